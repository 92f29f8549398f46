package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrCheckpointBusy is wrapped by EraseApplicant's error when the person's
// rows are gone but another program (the desktop app, a CLI run) was
// reading the workspace, so the write-ahead log could not be emptied: old
// copies of the erased pages may remain in the -wal file until every
// program has closed the workspace (or EraseApplicant is run again).
var ErrCheckpointBusy = errors.New("the write-ahead log is in use by another program")

// CacheDir is the folder next to the workspace file where the app may keep
// files derived from it (badge images, previews), one sub-folder per
// person: ApplicantCacheDir. Erasure deletes a person's folder.
func (s *Store) CacheDir() string { return s.path + ".cache" }

// ApplicantCacheDir is the folder for files derived from one person's
// credentials.
func (s *Store) ApplicantCacheDir(id int64) string {
	return filepath.Join(s.CacheDir(), "applicant-"+strconv.FormatInt(id, 10))
}

// EraseApplicant removes every trace of a person: their row, credentials
// (with the original files), evidence, pipeline entries, notes, ranking
// snapshot entries, audit entries, search index entry, the import log
// entries of the files that brought their credentials, and their cache
// folder. The search index is then optimised so that no old index segment
// keeps their words, the database runs with secure_delete (freed content is
// overwritten with zeros), and the write-ahead log is checkpointed and
// truncated, so no byte of their name or e-mail address remains in the
// workspace files. One audit entry records the erasure by ID only.
func (s *Store) EraseApplicant(ctx context.Context, id int64) error {
	a, err := s.Applicant(id)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		// Other people's snapshot entries (tie-break sentences) and notes
		// may name them.
		if err := redactOthers(tx, id, a.Name, a.Email, a.Contact); err != nil {
			return fmt.Errorf("erasing applicant %d: %w", id, err)
		}
		stmts := []string{
			// Import log entries that only this person's credentials came from.
			`DELETE FROM import_files WHERE id IN (SELECT import_id FROM credentials WHERE applicant_id = ?1 AND import_id IS NOT NULL)
				AND NOT EXISTS (SELECT 1 FROM credentials c WHERE c.import_id = import_files.id AND c.applicant_id <> ?1)`,
			"DELETE FROM search WHERE rowid = ?1",
			// Cascades to credentials, evidence, pipeline, notes, snapshot
			// entries and audit entries.
			"DELETE FROM applicants WHERE id = ?1",
		}
		for _, q := range stmts {
			if _, err := tx.Exec(q, id); err != nil {
				return fmt.Errorf("erasing applicant %d: %w", id, err)
			}
		}
		// Segments written before secure-delete was on, or merged from
		// deleted rows, go away with an optimise.
		if _, err := tx.Exec("INSERT INTO search(search) VALUES ('optimize')"); err != nil {
			return fmt.Errorf("erasing applicant %d: optimising the search index: %w", id, err)
		}
		return s.audit(tx, AuditErase, 0, 0, fmt.Sprintf("applicant %d erased", id))
	})
	if err != nil {
		return err
	}
	if err := os.RemoveAll(s.ApplicantCacheDir(id)); err != nil {
		return fmt.Errorf("erasing applicant %d: removing the cached files: %w", id, err)
	}
	return s.checkpoint(ctx)
}

// checkpoint copies the write-ahead log into the database file and
// truncates it to zero bytes.
func (s *Store) checkpoint(ctx context.Context) error {
	var busy, logFrames, done int
	if err := s.w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("workspace %s: checkpoint: %w", s.path, err)
	}
	if busy != 0 {
		return fmt.Errorf("workspace %s: %w; close the other programs and run the erasure again", s.path, ErrCheckpointBusy)
	}
	return nil
}

// Compact rewrites the whole file (VACUUM) and truncates the write-ahead
// log. Erasure does not need it (secure_delete already overwrites freed
// content), but it returns free pages to the file system.
func (s *Store) Compact(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, "VACUUM"); err != nil {
		return fmt.Errorf("workspace %s: vacuum: %w", s.path, err)
	}
	return s.checkpoint(ctx)
}

// erasedName replaces an erased person's name in other records.
const erasedName = "[erased applicant]"

// redactOthers replaces the name, e-mail address and contact of person id
// in the snapshot entries and notes of other people.
func redactOthers(tx *sql.Tx, id int64, values ...string) error {
	var pairs []string
	for _, v := range values {
		if len(v) < 3 {
			continue
		}
		pairs = append(pairs, v, erasedName)
		if b, err := json.Marshal(v); err == nil && string(b[1:len(b)-1]) != v {
			pairs = append(pairs, string(b[1:len(b)-1]), erasedName)
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	rep := strings.NewReplacer(pairs...)
	for _, t := range []struct{ table, key, col string }{
		{"snapshot_entries", "snapshot_id || '/' || applicant_id", "data"},
		{"notes", "id", "body"},
	} {
		var conds []string
		var args []any
		for i := 0; i < len(pairs); i += 2 {
			conds = append(conds, "instr("+t.col+", ?) > 0")
			args = append(args, pairs[i])
		}
		q := "SELECT " + t.key + ", " + t.col + " FROM " + t.table + " WHERE applicant_id <> ? AND (" + strings.Join(conds, " OR ") + ")"
		rows, err := tx.Query(q, append([]any{id}, args...)...)
		if err != nil {
			return err
		}
		type upd struct{ key, val string }
		var ups []upd
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return err
			}
			ups = append(ups, upd{k, rep.Replace(v)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, u := range ups {
			if _, err := tx.Exec("UPDATE "+t.table+" SET "+t.col+" = ? WHERE "+t.key+" = ?", u.val, u.key); err != nil {
				return err
			}
		}
	}
	return nil
}
