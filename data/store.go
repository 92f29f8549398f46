package data

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go)

	"github.com/skillmatch/skillmatch/taxonomy"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// applicationID marks a SQLite file as a Skillmatch workspace
// (PRAGMA application_id; "SkMa").
const applicationID = 0x536B4D61

// busyTimeout is how long a write waits for another process's write to
// finish before giving up.
const busyTimeout = 15 * time.Second

// ErrNewerSchema is wrapped by the error Open returns for a workspace written
// by a newer version of Skillmatch.
var ErrNewerSchema = errors.New("workspace written by a newer Skillmatch")

// ErrNotFound is wrapped by errors for a job, applicant, credential or other
// record that does not exist.
var ErrNotFound = errors.New("not found")

// Store is an open workspace. It is safe for concurrent use by several
// goroutines; several processes may open the same file.
type Store struct {
	path string
	w    *sql.DB // one connection: every write goes through it
	r    *sql.DB // read-only connections

	// now is the clock (tests replace it).
	now func() time.Time

	// lock is the shared lock on the workspace's lock file (see lock.go),
	// released by Close; nil for a Store opened under the caller's
	// exclusive lock.
	lock *workspaceLock

	mu      sync.Mutex
	taxName string // name of the cached active taxonomy
	tax     *taxonomy.Taxonomy
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. File names are
// NNNN_description.sql, numbered from 1 without gaps.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: the name must start with a number and _, like 0002_add_x.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d (migrations are numbered from 1 without gaps)", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this binary writes: the number of the
// last embedded migration.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// dsn builds the driver's data source name for path with the given pragmas.
func dsn(path string, pragmas []string, extra string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	q := make([]string, 0, len(pragmas)+1)
	for _, p := range pragmas {
		q = append(q, "_pragma="+url.QueryEscape(p))
	}
	if extra != "" {
		q = append(q, extra)
	}
	return u.String() + "?" + strings.Join(q, "&")
}

// Open opens the workspace at path, creating it (and its folder) when it
// does not exist, and brings its schema up to date. A file written by a
// newer Skillmatch is refused with an error wrapping ErrNewerSchema; a file
// that is not a Skillmatch workspace is refused too.
//
// The Store holds a shared lock on the lock file beside the workspace
// (path + ".lock") until Close, so that Restore and the other operations
// that replace the file refuse to while it is open (see ErrInUse). While
// another program replaces the file, Open waits for it like a write waits
// for another program's write, then fails with an error wrapping ErrInUse.
func Open(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("workspace %s: cannot create its folder: %w", path, err)
	}
	lk, err := sharedLock(abs, path)
	if err != nil {
		return nil, err
	}
	s, err := openLocked(abs, path)
	if err != nil {
		lk.release()
		return nil, err
	}
	s.lock = lk
	return s, nil
}

// openLocked opens the workspace at the absolute path abs (named path in
// errors) for a caller that holds its lock: Open (shared) or an operation
// replacing the file (exclusive).
func openLocked(abs, path string) (*Store, error) {
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	bt := strconv.Itoa(int(busyTimeout / time.Millisecond))
	w, err := sql.Open("sqlite", dsn(abs, []string{
		"busy_timeout(" + bt + ")",
		"foreign_keys(1)",
		"secure_delete(1)",
		"synchronous(FULL)",
		"cache_size(-65536)", // 64 MiB: bulk imports and index builds
		"temp_store(MEMORY)",
	}, "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("workspace %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{path: abs, w: w, now: time.Now}
	if err := s.migrate(ms); err != nil {
		w.Close()
		return nil, fmt.Errorf("workspace %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(abs, []string{
		"busy_timeout(" + bt + ")",
		"foreign_keys(1)",
		"query_only(1)",
		"cache_size(-32768)", // 32 MiB per reader: ranking a large pool
		"temp_store(MEMORY)",
		"mmap_size(1073741824)",
	}, ""))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("workspace %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s.r = r
	return s, nil
}

// migrate checks the file's identity and version and applies the pending
// migrations, each in its own transaction together with the new
// user_version.
func (s *Store) migrate(ms []migration) error {
	ctx := context.Background()
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("not a readable SQLite file (is it a Skillmatch workspace?): %w", err)
	}
	defer conn.Close()
	var version, appID, tables int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("not a readable SQLite file (is it a Skillmatch workspace?): %w", err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return err
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return fmt.Errorf("not a readable SQLite file (is it a Skillmatch workspace?): %w", err)
	}
	latest := ms[len(ms)-1].version
	switch {
	case appID != applicationID && (version != 0 || tables != 0):
		return fmt.Errorf("this SQLite file is not a Skillmatch workspace (application_id %#x); open or create a workspace file instead", appID)
	case version > latest:
		return fmt.Errorf("%w: the file has schema version %d but this Skillmatch knows versions up to %d; install the newer Skillmatch that wrote it (the file was not changed)", ErrNewerSchema, version, latest)
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
		return fmt.Errorf("switching to WAL mode: %w", err)
	}
	for _, m := range ms {
		if m.version <= version {
			continue
		}
		if err := applyMigration(ctx, conn, m); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, conn *sql.Conn, m migration) (err error) {
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	defer func() {
		if err != nil {
			conn.ExecContext(ctx, "ROLLBACK")
		}
	}()
	// Another process may have applied it while we waited for the lock.
	var cur int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if cur >= m.version {
		_, err = conn.ExecContext(ctx, "COMMIT")
		return err
	}
	if _, err := conn.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	return nil
}

// Path returns the absolute path of the workspace file.
func (s *Store) Path() string { return s.path }

// Close closes the workspace. SQLite checkpoints the write-ahead log into
// the file when the last connection closes; the lock is released after
// that, so that no restore can replace the file during the checkpoint.
func (s *Store) Close() error {
	err := s.r.Close()
	if werr := s.w.Close(); err == nil {
		err = werr
	}
	if lerr := s.lock.release(); err == nil {
		err = lerr
	}
	return err
}

// write runs fn in one write transaction (BEGIN IMMEDIATE), committing when
// it returns nil and rolling back otherwise.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("workspace %s: starting a write: %w", s.path, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("workspace %s: saving: %w", s.path, err)
	}
	return nil
}

// stamp formats a time for the text columns.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// unix stores a time as Unix seconds, 0 for the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// Setting reads the JSON setting key into v; it reports false when the
// setting is not set.
func (s *Store) Setting(key string, v any) (bool, error) {
	var raw string
	err := s.r.QueryRow("SELECT value FROM settings WHERE key = ?", key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("setting %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("setting %s: stored value is not valid JSON: %w", key, err)
	}
	return true, nil
}

// SetSetting stores v as the JSON setting key.
func (s *Store) SetSetting(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	return s.write(context.Background(), func(tx *sql.Tx) error {
		return setSetting(tx, key, b)
	})
}

func setSetting(tx *sql.Tx, key string, b []byte) error {
	_, err := tx.Exec("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, string(b))
	if err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	return nil
}

// Setting keys the store itself uses.
const (
	settingPolicy  = "policy"
	settingDemo    = "demo"
	settingSecret  = "pseudonym_secret"
	settingOffline = "offline"
)

// IsDemo reports whether the workspace is the demo workspace (the app shows
// a banner).
func (s *Store) IsDemo() bool {
	var demo bool
	ok, err := s.Setting(settingDemo, &demo)
	return ok && err == nil && demo
}

// Offline reports whether verification must not use the network.
func (s *Store) Offline() bool {
	var off bool
	ok, err := s.Setting(settingOffline, &off)
	return ok && err == nil && off
}

// SetOffline switches network use for verification off (or on).
func (s *Store) SetOffline(off bool) error { return s.SetSetting(settingOffline, off) }

// Counts are the numbers of records in a workspace.
type Counts struct {
	Jobs, Applicants, Employees, Credentials, Teams, Catalogue, Snapshots int
}

// Counts counts the workspace's records.
func (s *Store) Counts() (Counts, error) {
	var c Counts
	err := s.r.QueryRow(`SELECT
		(SELECT count(*) FROM jobs),
		(SELECT count(*) FROM applicants WHERE kind = 'applicant'),
		(SELECT count(*) FROM applicants WHERE kind = 'employee'),
		(SELECT count(*) FROM credentials),
		(SELECT count(*) FROM teams),
		(SELECT count(*) FROM catalogue),
		(SELECT count(*) FROM snapshots)`).Scan(&c.Jobs, &c.Applicants, &c.Employees, &c.Credentials, &c.Teams, &c.Catalogue, &c.Snapshots)
	if err != nil {
		return c, fmt.Errorf("workspace %s: counting: %w", s.path, err)
	}
	return c, nil
}

// IntegrityCheck runs PRAGMA integrity_check and returns nil when the file
// is sound, or an error listing what SQLite found. It uses a connection of
// its own: FTS5's check of the search index can report a false checksum
// mismatch on a long-lived connection that saw the index before other
// connections changed it.
func (s *Store) IntegrityCheck() error {
	db, err := sql.Open("sqlite", dsn(s.path, []string{"busy_timeout(15000)", "query_only(1)"}, ""))
	if err != nil {
		return err
	}
	defer db.Close()
	return integrityCheck(db, s.path)
}

func integrityCheck(db *sql.DB, path string) error {
	rows, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("%s: integrity check: %w", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: integrity check: %w", path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: integrity check failed: %s", path, strings.Join(problems, "; "))
	}
	return nil
}
