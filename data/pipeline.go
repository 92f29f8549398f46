package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The pipeline stages, in order. Their keys are fixed; their labels can be
// renamed (RenameStage).
const (
	StageNew         = "new"
	StageScreening   = "screening"
	StageShortlisted = "shortlisted"
	StageInterview   = "interview"
	StageOffer       = "offer"
	StageHired       = "hired"
	StageRejected    = "rejected"
)

// Stage is a pipeline stage with its label.
type Stage struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Stages lists the stages in order with their current labels.
func (s *Store) Stages() ([]Stage, error) {
	rows, err := s.r.Query("SELECT key, label FROM stages ORDER BY position")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Stage
	for rows.Next() {
		var st Stage
		if err := rows.Scan(&st.Key, &st.Label); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// RenameStage changes the label of a stage.
func (s *Store) RenameStage(key, label string) error {
	label = strings.TrimSpace(label)
	if label == "" {
		return fmt.Errorf("stage %s: the new label is empty", key)
	}
	return s.write(context.Background(), func(tx *sql.Tx) error {
		res, err := tx.Exec("UPDATE stages SET label = ? WHERE key = ?", label, key)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("stage %q: %w; the stages are new, screening, shortlisted, interview, offer, hired, rejected", key, ErrNotFound)
		}
		return nil
	})
}

// resolveStage accepts a stage key or its current label.
func (s *Store) resolveStage(tx *sql.Tx, ref string) (string, error) {
	var key string
	err := tx.QueryRow("SELECT key FROM stages WHERE key = ? COLLATE NOCASE OR label = ? COLLATE NOCASE ORDER BY key = ? DESC LIMIT 1", ref, ref, ref).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("stage %q: %w; use one of new, screening, shortlisted, interview, offer, hired, rejected (or their labels)", ref, ErrNotFound)
	}
	return key, err
}

// PipelineEntry is where one person stands for one job.
type PipelineEntry struct {
	JobID       int64     `json:"job_id"`
	ApplicantID int64     `json:"applicant_id"`
	Stage       string    `json:"stage"`
	Label       string    `json:"label"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// AddToPool adds people to a job's pool at stage "new" (people already in
// it keep their stage).
func (s *Store) AddToPool(jobID int64, applicantIDs ...int64) error {
	now := stamp(s.now())
	return s.write(context.Background(), func(tx *sql.Tx) error {
		for _, id := range applicantIDs {
			if _, err := tx.Exec("INSERT INTO pipeline(job_id, applicant_id, stage, updated_at) VALUES (?, ?, 'new', ?) ON CONFLICT DO NOTHING", jobID, id, now); err != nil {
				return fmt.Errorf("job %d, applicant %d: %w", jobID, id, err)
			}
		}
		return nil
	})
}

// SetStage moves a person to a stage for a job (adding them to its pool if
// needed). stage is a key or a label.
func (s *Store) SetStage(jobID, applicantID int64, stage string) error {
	now := stamp(s.now())
	return s.write(context.Background(), func(tx *sql.Tx) error {
		key, err := s.resolveStage(tx, stage)
		if err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO pipeline(job_id, applicant_id, stage, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT(job_id, applicant_id) DO UPDATE SET stage = excluded.stage, updated_at = excluded.updated_at`, jobID, applicantID, key, now)
		if err != nil {
			return fmt.Errorf("job %d, applicant %d: %w (do both exist?)", jobID, applicantID, err)
		}
		return nil
	})
}

// Pipeline lists a job's pool with stages, by applicant ID.
func (s *Store) Pipeline(jobID int64) ([]PipelineEntry, error) {
	rows, err := s.r.Query(`SELECT p.job_id, p.applicant_id, p.stage, st.label, p.updated_at FROM pipeline p
		JOIN stages st ON st.key = p.stage WHERE p.job_id = ? ORDER BY p.applicant_id`, jobID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PipelineEntry
	for rows.Next() {
		var e PipelineEntry
		var at string
		if err := rows.Scan(&e.JobID, &e.ApplicantID, &e.Stage, &e.Label, &at); err != nil {
			return nil, err
		}
		e.UpdatedAt = parseStamp(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Note is a recruiter's note about a person, optionally for one job.
type Note struct {
	ID          int64     `json:"id"`
	ApplicantID int64     `json:"applicant_id"`
	JobID       int64     `json:"job_id,omitempty"`
	Body        string    `json:"body"`
	CreatedAt   time.Time `json:"created_at"`
}

// AddNote stores a note (jobID 0: not about a particular job).
func (s *Store) AddNote(applicantID, jobID int64, body string) (*Note, error) {
	if strings.TrimSpace(body) == "" {
		return nil, fmt.Errorf("note: the text is empty")
	}
	n := &Note{ApplicantID: applicantID, JobID: jobID, Body: body, CreatedAt: s.now().UTC()}
	err := s.write(context.Background(), func(tx *sql.Tx) error {
		res, err := tx.Exec("INSERT INTO notes(applicant_id, job_id, body, created_at) VALUES (?, ?, ?, ?)", applicantID, nullID(jobID), body, stamp(n.CreatedAt))
		if err != nil {
			return fmt.Errorf("note for applicant %d: %w (does the applicant exist?)", applicantID, err)
		}
		n.ID, _ = res.LastInsertId()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Notes lists a person's notes, oldest first.
func (s *Store) Notes(applicantID int64) ([]Note, error) {
	rows, err := s.r.Query("SELECT id, applicant_id, coalesce(job_id, 0), body, created_at FROM notes WHERE applicant_id = ? ORDER BY id", applicantID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		var at string
		if err := rows.Scan(&n.ID, &n.ApplicantID, &n.JobID, &n.Body, &at); err != nil {
			return nil, err
		}
		n.CreatedAt = parseStamp(at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// DeleteNote deletes a note.
func (s *Store) DeleteNote(id int64) error {
	return s.write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec("DELETE FROM notes WHERE id = ?", id)
		return err
	})
}

// Audit actions the store and the app record.
const (
	AuditReveal  = "reveal"  // a blind-mode reveal of a person's name and contacts
	AuditErase   = "erase"   // a person erased (the entry keeps only the ID)
	AuditRestore = "restore" // the workspace restored from a backup
	AuditExport  = "export"  // the workspace exported
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	Action      string    `json:"action"`
	JobID       int64     `json:"job_id,omitempty"`
	ApplicantID int64     `json:"applicant_id,omitempty"`
	Detail      string    `json:"detail,omitempty"`
}

// Audit appends an entry to the audit log. Detail should not repeat
// personal data: the applicant ID identifies the person, and their entries
// go when they are erased.
func (s *Store) Audit(action string, jobID, applicantID int64, detail string) error {
	return s.write(context.Background(), func(tx *sql.Tx) error {
		return s.audit(tx, action, jobID, applicantID, detail)
	})
}

func (s *Store) audit(tx *sql.Tx, action string, jobID, applicantID int64, detail string) error {
	_, err := tx.Exec("INSERT INTO audit(at, action, job_id, applicant_id, detail) VALUES (?, ?, ?, ?, ?)",
		stamp(s.now()), action, nullID(jobID), nullID(applicantID), detail)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

// AuditLog lists the audit log, newest first (limit ≤ 0: everything).
func (s *Store) AuditLog(limit int) ([]AuditEntry, error) {
	q := "SELECT id, at, action, coalesce(job_id, 0), coalesce(applicant_id, 0), detail FROM audit ORDER BY id DESC"
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.r.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Action, &e.JobID, &e.ApplicantID, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseStamp(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
