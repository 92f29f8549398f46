package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/skillmatch/skillmatch/matcher"
)

// Job statuses.
const (
	JobDraft  = "draft"
	JobOpen   = "open"
	JobClosed = "closed"
)

// Job is a job posting with its requirements as the recruiter edited them.
type Job struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	Language string `json:"language,omitempty"`
	// Requirements are the requirements as edited (accepted suggestions,
	// must/asset, weights, levels).
	Requirements []matcher.Requirement `json:"requirements"`
	Status       string                `json:"status"`
	CreatedAt    time.Time             `json:"created_at"`
	UpdatedAt    time.Time             `json:"updated_at"`
}

func validJobStatus(s string) bool { return s == JobDraft || s == JobOpen || s == JobClosed }

// SaveJob inserts j (ID 0) or updates it, and sets j.ID and the times.
func (s *Store) SaveJob(j *Job) error {
	if strings.TrimSpace(j.Title) == "" {
		return fmt.Errorf("job: the title is empty; give the job a title")
	}
	if j.Status == "" {
		j.Status = JobOpen
	}
	if !validJobStatus(j.Status) {
		return fmt.Errorf("job %q: status %q is not one of draft, open, closed", j.Title, j.Status)
	}
	reqs := j.Requirements
	if reqs == nil {
		reqs = []matcher.Requirement{}
	}
	rb, err := json.Marshal(reqs)
	if err != nil {
		return fmt.Errorf("job %q: requirements: %w", j.Title, err)
	}
	now := s.now().UTC()
	return s.write(context.Background(), func(tx *sql.Tx) error {
		if j.ID == 0 {
			res, err := tx.Exec(`INSERT INTO jobs(title, text, language, requirements, status, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, j.Title, j.Text, j.Language, string(rb), j.Status, stamp(now), stamp(now))
			if err != nil {
				return fmt.Errorf("job %q: %w", j.Title, err)
			}
			j.ID, _ = res.LastInsertId()
			j.CreatedAt = now
		} else {
			res, err := tx.Exec(`UPDATE jobs SET title = ?, text = ?, language = ?, requirements = ?, status = ?, updated_at = ? WHERE id = ?`,
				j.Title, j.Text, j.Language, string(rb), j.Status, stamp(now), j.ID)
			if err != nil {
				return fmt.Errorf("job %d: %w", j.ID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("job %d: %w", j.ID, ErrNotFound)
			}
		}
		j.UpdatedAt = now
		return nil
	})
}

// NewJobFromPosting creates a job from a posting: the requirements are those
// the active taxonomy's extractor finds in text. An empty title is taken
// from the first line of the text.
func (s *Store) NewJobFromPosting(title, text string) (*Job, error) {
	tax, err := s.ActiveTaxonomy()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(title) == "" {
		first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
		title = strings.TrimSpace(first)
	}
	ex := matcher.For(tax).Extract(text)
	j := &Job{Title: title, Text: text, Language: ex.Language, Requirements: ex.Requirements, Status: JobOpen}
	if err := s.SaveJob(j); err != nil {
		return nil, err
	}
	return j, nil
}

const jobColumns = "id, title, text, language, requirements, status, created_at, updated_at"

func scanJob(sc interface{ Scan(...any) error }) (*Job, error) {
	var j Job
	var reqs, created, updated string
	if err := sc.Scan(&j.ID, &j.Title, &j.Text, &j.Language, &reqs, &j.Status, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(reqs), &j.Requirements); err != nil {
		return nil, fmt.Errorf("job %d: stored requirements are damaged: %w", j.ID, err)
	}
	j.CreatedAt, j.UpdatedAt = parseStamp(created), parseStamp(updated)
	return &j, nil
}

// Job returns the job with the given ID.
func (s *Store) Job(id int64) (*Job, error) {
	j, err := scanJob(s.r.QueryRow("SELECT "+jobColumns+" FROM jobs WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("job %d: %w; list the jobs with \"skillmatch-cli jobs\"", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("job %d: %w", id, err)
	}
	return j, nil
}

// Jobs lists every job, newest first.
func (s *Store) Jobs() ([]*Job, error) {
	rows, err := s.r.Query("SELECT " + jobColumns + " FROM jobs ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("workspace %s: listing jobs: %w", s.path, err)
	}
	defer rows.Close()
	var out []*Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// SetJobRequirements stores the requirements of a job as edited.
func (s *Store) SetJobRequirements(id int64, reqs []matcher.Requirement) error {
	j, err := s.Job(id)
	if err != nil {
		return err
	}
	j.Requirements = reqs
	return s.SaveJob(j)
}

// DeleteJob deletes a job with its pipeline, notes and snapshots.
func (s *Store) DeleteJob(id int64) error {
	return s.write(context.Background(), func(tx *sql.Tx) error {
		res, err := tx.Exec("DELETE FROM jobs WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("job %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("job %d: %w", id, ErrNotFound)
		}
		return nil
	})
}
