package data

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Backup writes a consistent copy of the workspace to dest (VACUUM INTO a
// temporary file next to it, integrity-checked, then renamed into place).
// dest is replaced if it exists; when dest has been opened as a workspace
// (it has a lock file), Backup refuses to replace it while it is open
// anywhere (an error wrapping ErrInUse) and removes its stale write-ahead
// log files.
func (s *Store) Backup(ctx context.Context, dest string) error {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("backup %s: %w", dest, err)
	}
	if abs == s.path {
		return fmt.Errorf("backup %s: that is the workspace itself; choose another file", dest)
	}
	lk, err := exclusiveLockIfWorkspace(abs, dest, "close it, or choose another file for the backup")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer lk.release()
	tmp := abs + ".tmp-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	defer os.Remove(tmp)
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fmt.Errorf("backup %s: %w", dest, err)
	}
	if err := checkWorkspaceFile(tmp); err != nil {
		return fmt.Errorf("backup %s: the copy failed its check: %w", dest, err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup %s: %w", dest, err)
	}
	if lk != nil {
		// dest was a workspace: its old write-ahead log must not be applied
		// to the copy.
		if err := removeWAL(abs); err != nil {
			return fmt.Errorf("backup %s: %w", dest, err)
		}
	}
	if err := os.Rename(tmp, abs); err != nil {
		return fmt.Errorf("backup %s: %w", dest, err)
	}
	return syncDir(filepath.Dir(abs))
}

// removeWAL removes the write-ahead log files of the workspace at abs.
func removeWAL(abs string) error {
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(abs + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some file systems cannot sync a directory; the rename is done anyway.
	d.Sync()
	return nil
}

// checkWorkspaceFile opens path read-only and checks that it is a sound
// Skillmatch workspace this binary can open.
func checkWorkspaceFile(path string) error {
	u := dsn(path, []string{"query_only(1)"}, "mode=ro")
	db, err := sql.Open("sqlite", u)
	if err != nil {
		return err
	}
	defer db.Close()
	var appID, version int
	if err := db.QueryRow("PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("%s is not a readable SQLite file: %w", path, err)
	}
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if appID != applicationID {
		return fmt.Errorf("%s is not a Skillmatch workspace", path)
	}
	if v := SchemaVersion(); version > v {
		return fmt.Errorf("%w: %s has schema version %d, this Skillmatch knows up to %d", ErrNewerSchema, path, version, v)
	}
	return integrityCheck(db, path)
}

// Restore replaces the workspace at path with the backup file. The backup
// is checked first (integrity_check, and that it is a workspace this
// Skillmatch can open); the workspace is then replaced atomically (copy to a
// temporary file, sync, rename), so a failure at any point leaves either the
// old or the new workspace, never a mix. Close the workspace (in every
// program) before restoring: while it is open anywhere, Restore changes
// nothing and returns an *InUseError (wrapping ErrInUse), and Open waits
// while Restore runs.
func Restore(backup, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return fmt.Errorf("restore: cannot create the folder of %s: %w", path, err)
	}
	lk, err := exclusiveLock(abs, path, "close it and run restore again")
	if err != nil {
		return fmt.Errorf("restore from %s: %w", backup, err)
	}
	defer lk.release()
	if err := checkWorkspaceFile(backup); err != nil {
		return fmt.Errorf("restore from %s: %w; the workspace was not changed", backup, err)
	}
	// Fold the old workspace's write-ahead log into it, so that no stale
	// -wal file can be applied to the restored one.
	if _, err := os.Stat(abs); err == nil {
		old, err := openLocked(abs, path)
		if err != nil {
			return fmt.Errorf("restore: the current workspace %s cannot be opened to close it cleanly: %w", path, err)
		}
		cerr := old.checkpoint(context.Background())
		old.Close()
		if cerr != nil {
			return fmt.Errorf("restore: %w; close the other programs using %s first", cerr, path)
		}
	}
	tmp := abs + ".restore-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	defer os.Remove(tmp)
	if err := copyFile(backup, tmp); err != nil {
		return fmt.Errorf("restore from %s: %w", backup, err)
	}
	if err := removeWAL(abs); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		return fmt.Errorf("restore from %s: %w", backup, err)
	}
	if err := syncDir(filepath.Dir(abs)); err != nil {
		return err
	}
	st, err := openLocked(abs, path)
	if err != nil {
		return fmt.Errorf("restore: the restored workspace does not open: %w", err)
	}
	defer st.Close()
	return st.Audit(AuditRestore, 0, 0, "restored from "+filepath.Base(backup))
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// pseudonymSecret returns the workspace's secret for pseudonyms, creating
// it on first use. It never leaves the workspace.
func (s *Store) pseudonymSecret() ([]byte, error) {
	var hexSecret string
	ok, err := s.Setting(settingSecret, &hexSecret)
	if err != nil {
		return nil, err
	}
	if !ok {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		hexSecret = hex.EncodeToString(b)
		err := s.write(context.Background(), func(tx *sql.Tx) error {
			// Keep an existing secret if another program created one meanwhile.
			_, err := tx.Exec("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", settingSecret, strconv.Quote(hexSecret))
			return err
		})
		if err != nil {
			return nil, err
		}
		if _, err := s.Setting(settingSecret, &hexSecret); err != nil {
			return nil, err
		}
	}
	return hex.DecodeString(hexSecret)
}

// Pseudonym returns the stable pseudonym of a person in this workspace:
// "P-" and 12 hex digits of an HMAC-SHA256 of their ID under a secret kept
// in the workspace. The same person always gets the same pseudonym; without
// the workspace, it cannot be traced back.
func (s *Store) Pseudonym(id int64) (string, error) {
	secret, err := s.pseudonymSecret()
	if err != nil {
		return "", err
	}
	return pseudonym(secret, id), nil
}

func pseudonym(secret []byte, id int64) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("applicant:" + strconv.FormatInt(id, 10)))
	return "P-" + hex.EncodeToString(m.Sum(nil))[:12]
}

// exportFormat names the layout of export archives.
const exportFormat = "skillmatch-export/1"

type exportManifest struct {
	Format        string    `json:"format"`
	ExportedAt    time.Time `json:"exported_at"`
	SchemaVersion int       `json:"schema_version"`
	Anonymised    bool      `json:"anonymised"`
	Counts        Counts    `json:"counts"`
	Files         []string  `json:"files"`
	// Left out lists what the archive deliberately does not contain.
	LeftOut []string `json:"left_out"`
}

type exportApplicant struct {
	ID          any                 `json:"id"`
	Name        string              `json:"name"`
	Email       string              `json:"email,omitempty"`
	Contact     string              `json:"contact,omitempty"`
	Source      string              `json:"source,omitempty"`
	Kind        string              `json:"kind"`
	Team        string              `json:"team,omitempty"`
	CreatedAt   time.Time           `json:"created_at"`
	Pipeline    []PipelineEntry     `json:"pipeline,omitempty"`
	Notes       []Note              `json:"notes,omitempty"`
	Credentials []*exportCredential `json:"credentials"`
}

type exportCredential struct {
	*StoredCredential
	// Record is the parsed credential.
	Record json.RawMessage `json:"record"`
	// File is the original file inside the archive.
	File string `json:"file,omitempty"`
}

type exportSnapshotEntry struct {
	SnapshotEntry
	ApplicantID any `json:"applicant_id"`
}

// Export writes the whole workspace to a ZIP file at dest: README.txt,
// manifest.json, one JSON file per kind of record, and the original
// credential files under credentials/. See ExportAnonymised for a copy
// without personal data.
func (s *Store) Export(ctx context.Context, dest string) error {
	return s.export(ctx, dest, false)
}

// ExportAnonymised writes the workspace like Export, but with every person
// named by their stable pseudonym (see Pseudonym) and without e-mail
// addresses, other contacts, sources, notes (free text may name people),
// the subjects of credentials, file names, or the original credential files
// (they name or identify their holder). Verification sentences and
// snapshot explanations have the person's name, e-mail address and contact
// replaced by the pseudonym. Jobs, requirements, the competencies,
// issuers, dates and statuses of credentials, stages and rankings remain.
func (s *Store) ExportAnonymised(ctx context.Context, dest string) error {
	return s.export(ctx, dest, true)
}

func (s *Store) export(ctx context.Context, dest string, anon bool) (err error) {
	var secret []byte
	if anon {
		if secret, err = s.pseudonymSecret(); err != nil {
			return err
		}
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	tmp := abs + ".tmp-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("export %s: %w", dest, err)
	}
	defer func() {
		f.Close()
		os.Remove(tmp)
	}()
	zw := zip.NewWriter(f)
	man := exportManifest{Format: exportFormat, ExportedAt: s.now().UTC(), SchemaVersion: SchemaVersion(), Anonymised: anon}
	if man.Counts, err = s.Counts(); err != nil {
		return err
	}
	put := func(name string, b []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: man.ExportedAt})
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		man.Files = append(man.Files, name)
		return nil
	}
	putJSON := func(name string, v any) error {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Errorf("export %s: %w", name, err)
		}
		return put(name, append(b, '\n'))
	}

	// People.
	people, err := s.Applicants(ApplicantFilter{})
	if err != nil {
		return err
	}
	teams, err := s.Teams()
	if err != nil {
		return err
	}
	teamName := map[int64]string{}
	for _, t := range teams {
		teamName[t.ID] = t.Name
	}
	stages, err := s.allPipeline()
	if err != nil {
		return err
	}
	redactors := map[int64]*strings.Replacer{}
	pseudo := map[int64]string{}
	var out []exportApplicant
	for _, a := range people {
		if err := ctx.Err(); err != nil {
			return err
		}
		ea := exportApplicant{ID: a.ID, Name: a.Name, Email: a.Email, Contact: a.Contact, Source: a.Source, Kind: a.Kind, Team: teamName[a.TeamID], CreatedAt: a.CreatedAt, Pipeline: stages[a.ID]}
		var red *strings.Replacer
		if anon {
			p := pseudonym(secret, a.ID)
			pseudo[a.ID] = p
			red = redactor(p, a.Name, a.Email, a.Contact)
			redactors[a.ID] = red
			ea = exportApplicant{ID: p, Name: p, Kind: a.Kind, Team: teamName[a.TeamID], CreatedAt: a.CreatedAt, Pipeline: stages[a.ID]}
			for i := range ea.Pipeline {
				ea.Pipeline[i].ApplicantID = 0
			}
		} else if ea.Notes, err = s.Notes(a.ID); err != nil {
			return err
		}
		creds, err := s.Credentials(a.ID)
		if err != nil {
			return err
		}
		for _, c := range creds {
			var rec string
			if err := s.r.QueryRow("SELECT record FROM credentials WHERE id = ?", c.ID).Scan(&rec); err != nil {
				return err
			}
			ec := &exportCredential{StoredCredential: c, Record: json.RawMessage(rec)}
			if anon {
				c.ApplicantID = 0
				c.FileName, c.ItemPath = "", ""
				ec.Record = anonymiseRecord(ec.Record, red)
				if c.Verification != nil {
					for i := range c.Verification.Checks {
						c.Verification.Checks[i].Detail = red.Replace(c.Verification.Checks[i].Detail)
					}
				}
			} else {
				orig, name, err := s.Original(c.ID)
				if err != nil {
					return err
				}
				ec.File = fmt.Sprintf("credentials/%d/%d-%s", a.ID, c.ID, safeName(name))
				if err := put(ec.File, orig); err != nil {
					return err
				}
			}
			ea.Credentials = append(ea.Credentials, ec)
		}
		out = append(out, ea)
	}
	if err := putJSON("applicants.json", out); err != nil {
		return err
	}

	jobs, err := s.Jobs()
	if err != nil {
		return err
	}
	if err := putJSON("jobs.json", jobs); err != nil {
		return err
	}
	if err := putJSON("teams.json", teams); err != nil {
		return err
	}
	st, err := s.Stages()
	if err != nil {
		return err
	}
	if err := putJSON("stages.json", st); err != nil {
		return err
	}
	tl, err := s.TrustList()
	if err != nil {
		return err
	}
	if err := putJSON("trust.json", tl); err != nil {
		return err
	}
	pol, err := s.Policy()
	if err != nil {
		return err
	}
	if err := putJSON("policy.json", pol); err != nil {
		return err
	}
	taxes, err := s.Taxonomies()
	if err != nil {
		return err
	}
	if err := putJSON("taxonomies.json", taxes); err != nil {
		return err
	}
	cat, err := s.Catalogue()
	if err != nil {
		return err
	}
	if err := putJSON("catalogue.json", cat); err != nil {
		return err
	}
	// Snapshots with their entries.
	var snaps []any
	for _, j := range jobs {
		list, err := s.Snapshots(j.ID)
		if err != nil {
			return err
		}
		for _, sn := range list {
			full, err := s.Snapshot(sn.ID)
			if err != nil {
				return err
			}
			if !anon {
				snaps = append(snaps, full)
				continue
			}
			entries := make([]exportSnapshotEntry, 0, len(full.Entries))
			for _, e := range full.Entries {
				red := redactors[e.ApplicantID]
				if red != nil {
					e.Name = pseudo[e.ApplicantID]
					e.Explanation = red.Replace(e.Explanation)
				}
				entries = append(entries, exportSnapshotEntry{SnapshotEntry: e, ApplicantID: pseudo[e.ApplicantID]})
			}
			full.Entries = nil
			snaps = append(snaps, struct {
				*Snapshot
				Entries []exportSnapshotEntry `json:"entries"`
			}{full, entries})
		}
	}
	if err := putJSON("snapshots.json", snaps); err != nil {
		return err
	}
	audit, err := s.AuditLog(0)
	if err != nil {
		return err
	}
	if anon {
		var aa []map[string]any
		for _, e := range audit {
			m := map[string]any{"at": e.At, "action": e.Action}
			if e.JobID != 0 {
				m["job_id"] = e.JobID
			}
			if e.ApplicantID != 0 {
				m["applicant_id"] = pseudo[e.ApplicantID]
			}
			aa = append(aa, m)
		}
		err = putJSON("audit.json", aa)
	} else {
		err = putJSON("audit.json", audit)
	}
	if err != nil {
		return err
	}

	if anon {
		man.LeftOut = []string{
			"names, e-mail addresses, other contacts and sources of people (each person is named by a stable pseudonym)",
			"notes (free text that may name people)",
			"original credential files and their file names (they name or identify their holder)",
			"the subject (holder) of each parsed credential record",
			"audit log details",
			"the workspace's pseudonym secret and cached taxonomies' contents",
		}
	} else {
		man.LeftOut = []string{
			"the workspace's pseudonym secret",
			"the contents of cached taxonomies (taxonomies.json lists them; import them again from their source)",
		}
	}
	if err := put("README.txt", []byte(exportReadme(man))); err != nil {
		return err
	}
	man.Files = append(man.Files, "manifest.json")
	if err := putJSON("manifest.json", man); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("export %s: %w", dest, err)
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, abs); err != nil {
		return fmt.Errorf("export %s: %w", dest, err)
	}
	action := "export"
	if anon {
		action = "anonymised export"
	}
	return s.Audit(AuditExport, 0, 0, action)
}

func (s *Store) allPipeline() (map[int64][]PipelineEntry, error) {
	rows, err := s.r.Query(`SELECT p.job_id, p.applicant_id, p.stage, st.label, p.updated_at FROM pipeline p
		JOIN stages st ON st.key = p.stage ORDER BY p.applicant_id, p.job_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]PipelineEntry{}
	for rows.Next() {
		var e PipelineEntry
		var at string
		if err := rows.Scan(&e.JobID, &e.ApplicantID, &e.Stage, &e.Label, &at); err != nil {
			return nil, err
		}
		e.UpdatedAt = parseStamp(at)
		out[e.ApplicantID] = append(out[e.ApplicantID], e)
	}
	return out, rows.Err()
}

// redactor replaces a person's name, e-mail address and contact by their
// pseudonym, in any letter case found.
func redactor(p string, values ...string) *strings.Replacer {
	var pairs []string
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < 3 {
			continue
		}
		pairs = append(pairs, v, p, strings.ToLower(v), p, strings.ToUpper(v), p)
		// Words of a name on their own ("Osei" in "Ms Osei").
		for w := range strings.FieldsSeq(v) {
			if len(w) >= 3 && !strings.Contains(w, "@") {
				pairs = append(pairs, w, p)
			}
		}
	}
	return strings.NewReplacer(pairs...)
}

// anonymiseRecord drops the subject of a stored credential record (and of
// its enclosed credentials) and redacts the rest.
func anonymiseRecord(rec json.RawMessage, red *strings.Replacer) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(rec, &m); err != nil {
		return json.RawMessage(`{}`)
	}
	var drop func(m map[string]any)
	drop = func(m map[string]any) {
		delete(m, "Subject")
		delete(m, "Evidence") // evidence narratives describe the person's work
		if inner, ok := m["Inner"].([]any); ok {
			for _, in := range inner {
				if im, ok := in.(map[string]any); ok {
					drop(im)
				}
			}
		}
	}
	drop(m)
	b, err := json.Marshal(m)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return json.RawMessage(red.Replace(string(b)))
}

func safeName(name string) string {
	name = filepath.Base(name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == '\\' || r == ':' || r < 32:
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "credential"
	}
	return b.String()
}

func exportReadme(m exportManifest) string {
	var b bytes.Buffer
	kind := "a full export"
	if m.Anonymised {
		kind = "an ANONYMISED export"
	}
	fmt.Fprintf(&b, "Skillmatch workspace export (%s)\n", m.Format)
	fmt.Fprintf(&b, "Exported %s; this is %s.\n\n", m.ExportedAt.Format(time.RFC3339), kind)
	fmt.Fprintf(&b, "It holds %d jobs, %d applicants, %d staff, %d credentials, %d teams, %d catalogue items and %d ranking snapshots.\n\n",
		m.Counts.Jobs, m.Counts.Applicants, m.Counts.Employees, m.Counts.Credentials, m.Counts.Teams, m.Counts.Catalogue, m.Counts.Snapshots)
	b.WriteString(`Files:
  manifest.json     this list, as JSON
  applicants.json   people (applicants and staff) with their pipeline stages,
                    notes, and credentials: parsed record, latest verification
                    (one line per check), competency evidence
  jobs.json         jobs with their text and requirements as edited
  snapshots.json    ranking snapshots: every score with its explanation as shown
  teams.json, stages.json, trust.json, policy.json, taxonomies.json,
  catalogue.json, audit.json
`)
	if !m.Anonymised {
		b.WriteString("  credentials/ID/  the original credential files exactly as received, per person\n")
	}
	b.WriteString("\nThis export contains personal data")
	if m.Anonymised {
		b.WriteString(" only in pseudonymised form: each person is named by a stable pseudonym (P-…)")
	} else {
		b.WriteString(" (names, e-mail addresses, contacts, credentials): keep it safe and delete it when no longer needed")
	}
	b.WriteString(".\n\nLeft out:\n")
	for _, l := range m.LeftOut {
		b.WriteString("  - " + l + "\n")
	}
	return b.String()
}
