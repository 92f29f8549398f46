package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
)

// Applicant kinds: people applying, and staff (for upskilling plans).
const (
	KindApplicant = "applicant"
	KindEmployee  = "employee"
)

// Applicant is a person in the workspace: someone who applied, or a member
// of staff (Kind employee, usually in a team).
type Applicant struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	// Contact is any other way to reach them (phone, address, profile URL).
	Contact string `json:"contact,omitempty"`
	// Source says where they came from: the file or folder imported, a job
	// board, "manual".
	Source string `json:"source,omitempty"`
	Kind   string `json:"kind"`
	// TeamID is the team of a member of staff (0: none).
	TeamID    int64     `json:"team_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Credentials counts their credentials (filled by listings).
	Credentials int `json:"credentials"`
}

// StoredCredential is a credential as kept in the workspace.
type StoredCredential struct {
	ID          int64  `json:"id"`
	ApplicantID int64  `json:"applicant_id"`
	Fingerprint string `json:"fingerprint"`
	Format      string `json:"format"`
	// FileName is the file it was received in; ItemPath says where inside
	// it ("bundle.zip!/a.json", "roster.csv:4").
	FileName string `json:"file_name"`
	ItemPath string `json:"item_path"`
	// Ref is what ranking needs: title, issuer, status, dates, level.
	Ref matcher.CredentialRef `json:"ref"`
	// Verification is the latest verification; nil when never verified.
	Verification *credential.Verification `json:"verification,omitempty"`
	VerifiedAt   time.Time                `json:"verified_at,omitzero"`
	// Evidence lists the competencies it evidences.
	Evidence   []matcher.Evidence `json:"evidence"`
	ImportedAt time.Time          `json:"imported_at"`
}

func validKind(k string) bool { return k == KindApplicant || k == KindEmployee }

// SaveApplicant inserts a (ID 0) or updates it, and refreshes the search
// index.
func (s *Store) SaveApplicant(a *Applicant) error {
	if strings.TrimSpace(a.Name) == "" {
		return fmt.Errorf("applicant: the name is empty; every person needs a name")
	}
	if a.Kind == "" {
		a.Kind = KindApplicant
	}
	if !validKind(a.Kind) {
		return fmt.Errorf("applicant %q: kind %q is not applicant or employee", a.Name, a.Kind)
	}
	return s.write(context.Background(), func(tx *sql.Tx) error {
		return s.saveApplicant(tx, a)
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (s *Store) saveApplicant(tx *sql.Tx, a *Applicant) error {
	if a.ID == 0 {
		a.CreatedAt = s.now().UTC()
		res, err := tx.Exec(`INSERT INTO applicants(name, email, contact, source, kind, team_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.Name, a.Email, a.Contact, a.Source, a.Kind, nullID(a.TeamID), stamp(a.CreatedAt))
		if err != nil {
			return fmt.Errorf("applicant %q: %w", a.Name, err)
		}
		a.ID, _ = res.LastInsertId()
	} else {
		res, err := tx.Exec(`UPDATE applicants SET name = ?, email = ?, contact = ?, source = ?, kind = ?, team_id = ? WHERE id = ?`,
			a.Name, a.Email, a.Contact, a.Source, a.Kind, nullID(a.TeamID), a.ID)
		if err != nil {
			return fmt.Errorf("applicant %d: %w", a.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("applicant %d: %w", a.ID, ErrNotFound)
		}
	}
	return s.reindex(tx, a.ID)
}

const applicantColumns = `a.id, a.name, a.email, a.contact, a.source, a.kind, coalesce(a.team_id, 0), a.created_at,
	(SELECT count(*) FROM credentials c WHERE c.applicant_id = a.id)`

func scanApplicant(sc interface{ Scan(...any) error }) (*Applicant, error) {
	var a Applicant
	var created string
	if err := sc.Scan(&a.ID, &a.Name, &a.Email, &a.Contact, &a.Source, &a.Kind, &a.TeamID, &created, &a.Credentials); err != nil {
		return nil, err
	}
	a.CreatedAt = parseStamp(created)
	return &a, nil
}

// Applicant returns the person with the given ID.
func (s *Store) Applicant(id int64) (*Applicant, error) {
	a, err := scanApplicant(s.r.QueryRow("SELECT "+applicantColumns+" FROM applicants a WHERE a.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("applicant %d: %w; list them with \"skillmatch-cli applicants\"", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("applicant %d: %w", id, err)
	}
	return a, nil
}

// ApplicantFilter selects people in listings. The zero value lists everyone.
type ApplicantFilter struct {
	// Kind restricts to applicants or employees; "" means both.
	Kind string
	// JobID restricts to the pool of a job; TeamID to a team.
	JobID, TeamID int64
	// Limit and Offset page the list (Limit 0: no limit).
	Limit, Offset int
}

// Applicants lists people in ID order.
func (s *Store) Applicants(f ApplicantFilter) ([]*Applicant, error) {
	q := "SELECT " + applicantColumns + " FROM applicants a"
	var where []string
	var args []any
	if f.JobID != 0 {
		q += " JOIN pipeline p ON p.applicant_id = a.id AND p.job_id = ?"
		args = append(args, f.JobID)
	}
	if f.Kind != "" {
		where = append(where, "a.kind = ?")
		args = append(args, f.Kind)
	}
	if f.TeamID != 0 {
		where = append(where, "a.team_id = ?")
		args = append(args, f.TeamID)
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY a.id"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit) + " OFFSET " + strconv.Itoa(f.Offset)
	}
	rows, err := s.r.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: listing applicants: %w", s.path, err)
	}
	defer rows.Close()
	var out []*Applicant
	for rows.Next() {
		a, err := scanApplicant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FindApplicant resolves what a user typed to name someone: a numeric ID,
// an e-mail address, or an exact name (case-insensitive). Several people
// with that name is an error listing their IDs.
func (s *Store) FindApplicant(ref string) (*Applicant, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return s.Applicant(id)
	}
	rows, err := s.r.Query("SELECT "+applicantColumns+" FROM applicants a WHERE a.email = ? COLLATE NOCASE OR a.name = ? COLLATE NOCASE ORDER BY a.id", ref, ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var found []*Applicant
	for rows.Next() {
		a, err := scanApplicant(rows)
		if err != nil {
			return nil, err
		}
		found = append(found, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("applicant %q: %w; give an ID, e-mail address or exact name (search with \"skillmatch-cli applicants QUERY\")", ref, ErrNotFound)
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, a := range found {
		ids[i] = strconv.FormatInt(a.ID, 10)
	}
	return nil, fmt.Errorf("applicant %q: %d people match (IDs %s); give the ID", ref, len(found), strings.Join(ids, ", "))
}

const credentialColumns = `id, applicant_id, fingerprint, format, file_name, item_path, ref_id, title, issuer, issuer_id,
	status, trusted, self_reported, issued_at, valid_from, valid_until, level, credits, verification, verified_at, imported_at`

func scanCredential(sc interface{ Scan(...any) error }) (*StoredCredential, error) {
	var c StoredCredential
	var level, status, format string
	var issued, from, until int64
	var verification, verifiedAt sql.NullString
	var imported string
	if err := sc.Scan(&c.ID, &c.ApplicantID, &c.Fingerprint, &format, &c.FileName, &c.ItemPath, &c.Ref.ID, &c.Ref.Name,
		&c.Ref.Issuer, &c.Ref.IssuerID, &status, &c.Ref.Trusted, &c.Ref.SelfReported, &issued, &from, &until,
		&level, &c.Ref.Credits, &verification, &verifiedAt, &imported); err != nil {
		return nil, err
	}
	c.Format = format
	c.Ref.Format = credential.Format(format)
	c.Ref.Status = credential.Status(status)
	c.Ref.IssuedAt, c.Ref.ValidFrom, c.Ref.ValidUntil = fromUnix(issued), fromUnix(from), fromUnix(until)
	c.Ref.Level = matcher.Level(level)
	if verification.Valid {
		var v credential.Verification
		if err := json.Unmarshal([]byte(verification.String), &v); err != nil {
			return nil, fmt.Errorf("credential %d: stored verification is damaged: %w", c.ID, err)
		}
		c.Verification = &v
		c.VerifiedAt = parseStamp(verifiedAt.String)
	}
	c.ImportedAt = parseStamp(imported)
	return &c, nil
}

// Credentials returns a person's credentials with their evidence, in
// import order.
func (s *Store) Credentials(applicantID int64) ([]*StoredCredential, error) {
	rows, err := s.r.Query("SELECT "+credentialColumns+" FROM credentials WHERE applicant_id = ? ORDER BY id", applicantID)
	if err != nil {
		return nil, fmt.Errorf("applicant %d: credentials: %w", applicantID, err)
	}
	var out []*StoredCredential
	for rows.Next() {
		c, err := scanCredential(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, c := range out {
		if c.Evidence, err = s.evidence(c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Credential returns one stored credential with its evidence.
func (s *Store) Credential(id int64) (*StoredCredential, error) {
	c, err := scanCredential(s.r.QueryRow("SELECT "+credentialColumns+" FROM credentials WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("credential %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("credential %d: %w", id, err)
	}
	if c.Evidence, err = s.evidence(c); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Store) evidence(c *StoredCredential) ([]matcher.Evidence, error) {
	rows, err := s.r.Query("SELECT competency, link, score, source, spans, inner_ref FROM evidence WHERE credential_id = ? ORDER BY seq", c.ID)
	if err != nil {
		return nil, fmt.Errorf("credential %d: evidence: %w", c.ID, err)
	}
	defer rows.Close()
	out := []matcher.Evidence{}
	for rows.Next() {
		var e matcher.Evidence
		var link, spans string
		var inner sql.NullString
		if err := rows.Scan(&e.CompetencyID, &link, &e.Score, &e.Source, &spans, &inner); err != nil {
			return nil, err
		}
		e.Link = matcher.LinkKind(link)
		e.Spans = parseSpans(spans)
		e.Credential = c.Ref
		if inner.Valid {
			if err := json.Unmarshal([]byte(inner.String), &e.Credential); err != nil {
				return nil, fmt.Errorf("credential %d: stored evidence is damaged: %w", c.ID, err)
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Original returns the bytes of a credential exactly as received, with the
// name of the file it came in.
func (s *Store) Original(credentialID int64) ([]byte, string, error) {
	var b []byte
	var name string
	err := s.r.QueryRow("SELECT original, file_name FROM credentials WHERE id = ?", credentialID).Scan(&b, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("credential %d: %w", credentialID, ErrNotFound)
	}
	return b, name, err
}

// Parsed parses a stored credential again from its original bytes, for
// display of every field and for re-verification.
func (s *Store) Parsed(credentialID int64) (*credential.Credential, error) {
	var b []byte
	var name, fp string
	err := s.r.QueryRow("SELECT original, file_name, fingerprint FROM credentials WHERE id = ?", credentialID).Scan(&b, &name, &fp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("credential %d: %w", credentialID, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	items, err := credential.ReadBundle(name, b)
	if err != nil {
		return nil, fmt.Errorf("credential %d (%s): %w", credentialID, name, err)
	}
	var first *credential.Credential
	for _, it := range items {
		if it.Credential == nil {
			continue
		}
		if it.Credential.Fingerprint() == fp {
			return it.Credential, nil
		}
		if first == nil {
			first = it.Credential
		}
	}
	if first == nil {
		return nil, fmt.Errorf("credential %d (%s): the stored bytes no longer parse as a credential", credentialID, name)
	}
	return first, nil
}

func formatSpans(spans [][2]int) string {
	var b strings.Builder
	for i, sp := range spans {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(sp[0]))
		b.WriteByte('-')
		b.WriteString(strconv.Itoa(sp[1]))
	}
	return b.String()
}

func parseSpans(s string) [][2]int {
	if s == "" {
		return nil
	}
	var out [][2]int
	for f := range strings.FieldsSeq(s) {
		a, b, ok := strings.Cut(f, "-")
		if !ok {
			continue
		}
		x, err1 := strconv.Atoi(a)
		y, err2 := strconv.Atoi(b)
		if err1 == nil && err2 == nil {
			out = append(out, [2]int{x, y})
		}
	}
	return out
}

// Team is a group of staff.
type Team struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Members int    `json:"members"`
}

// SaveTeam creates a team (or returns the existing one with that name).
func (s *Store) SaveTeam(name string) (*Team, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, fmt.Errorf("team: the name is empty")
	}
	t := &Team{Name: name}
	err := s.write(context.Background(), func(tx *sql.Tx) error {
		if _, err := tx.Exec("INSERT INTO teams(name, created_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING", name, stamp(s.now())); err != nil {
			return err
		}
		return tx.QueryRow("SELECT id, (SELECT count(*) FROM applicants WHERE team_id = teams.id) FROM teams WHERE name = ?", name).Scan(&t.ID, &t.Members)
	})
	if err != nil {
		return nil, fmt.Errorf("team %q: %w", name, err)
	}
	return t, nil
}

// Teams lists the teams by name.
func (s *Store) Teams() ([]Team, error) {
	rows, err := s.r.Query("SELECT id, name, (SELECT count(*) FROM applicants WHERE team_id = teams.id) FROM teams ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Team
	for rows.Next() {
		var t Team
		if err := rows.Scan(&t.ID, &t.Name, &t.Members); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FindTeam returns a team by ID or name.
func (s *Store) FindTeam(ref string) (*Team, error) {
	var t Team
	err := s.r.QueryRow("SELECT id, name, (SELECT count(*) FROM applicants WHERE team_id = teams.id) FROM teams WHERE name = ? COLLATE NOCASE OR CAST(id AS TEXT) = ?", ref, ref).Scan(&t.ID, &t.Name, &t.Members)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("team %q: %w", ref, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// DeleteTeam deletes a team; its members stay, without a team.
func (s *Store) DeleteTeam(id int64) error {
	return s.write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec("DELETE FROM teams WHERE id = ?", id)
		return err
	})
}
