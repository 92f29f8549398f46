package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data/demo"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// settingAsOf holds the moment rankings are computed as of when the caller
// gives none; the demo workspace sets it to demo.Now so that its documented
// results hold whatever today's date.
const settingAsOf = "as_of"

// AsOf returns the fixed moment the workspace ranks as of, when it has one
// (the demo workspace does), or the zero time.
func (s *Store) AsOf() time.Time {
	var t time.Time
	if ok, err := s.Setting(settingAsOf, &t); !ok || err != nil {
		return time.Time{}
	}
	return t
}

// DemoReport says what CreateDemo loaded.
type DemoReport struct {
	Jobs, Applicants, Employees, Teams, Credentials, Catalogue int
	// Statuses counts credentials by verification status.
	Statuses map[credential.Status]int
	// Rejections lists any demo record that failed to import (none,
	// unless the embedded pool and this binary disagree).
	Rejections []Rejection
}

// OpenDemo opens the demo workspace at path, creating it first when the
// file does not exist (see CreateDemo).
func OpenDemo(ctx context.Context, path string) (*Store, error) {
	if _, err := os.Stat(path); err == nil {
		return Open(path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if _, err := CreateDemo(ctx, path); err != nil {
		return nil, err
	}
	return Open(path)
}

// CreateDemo builds the demo workspace at path from the embedded demo pool
// (package data/demo): the default taxonomy, the six demo jobs with the
// requirements a recruiter confirmed, the 42 fictional applicants, each in
// the pool of the job they applied to, with all their credentials imported
// and verified offline as of demo.Now (the pool's documents are stored in
// the workspace so that re-verification works offline too), the demo
// employer's two teams of staff (kind employee) with their credentials,
// verified the same way, the trust list
// of the demo providers, the demo catalogue of micro-credentials, and the
// "demo" setting the app shows a banner for. The workspace is built in a
// temporary file and renamed into place, so path never holds half a demo.
// An existing file at path is an error.
func CreateDemo(ctx context.Context, path string) (*DemoReport, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("demo workspace %s: the file exists; choose another path or delete it first", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, err
	}
	// Nobody may open path until the demo is in place.
	lk, err := exclusiveLock(abs, path, "close it, or choose another path for the demo workspace")
	if err != nil {
		return nil, fmt.Errorf("demo workspace: %w", err)
	}
	defer lk.release()
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("demo workspace %s: the file exists; choose another path or delete it first", path)
	}
	tmp := abs + ".building-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	defer func() {
		// tmp's lock file too: no other program knows tmp's name.
		for _, sfx := range []string{"", "-wal", "-shm", ".lock"} {
			os.Remove(tmp + sfx)
		}
	}()
	s, err := Open(tmp)
	if err != nil {
		return nil, err
	}
	rep, err := s.loadDemo(ctx)
	if err == nil {
		err = s.checkpoint(ctx)
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("demo workspace %s: %w", path, err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		return nil, fmt.Errorf("demo workspace %s: %w", path, err)
	}
	return rep, syncDir(filepath.Dir(abs))
}

func (s *Store) loadDemo(ctx context.Context) (*DemoReport, error) {
	rep := &DemoReport{Statuses: map[credential.Status]int{}}
	man, err := demo.ReadManifest()
	if err != nil {
		return nil, err
	}
	tax, err := taxonomy.Default()
	if err != nil {
		return nil, err
	}
	if err := s.SetActiveTaxonomy(taxonomy.DefaultName); err != nil {
		return nil, err
	}
	tl, err := demo.TrustList()
	if err != nil {
		return nil, err
	}
	if err := s.SetTrustList(tl); err != nil {
		return nil, err
	}
	// Documents for offline verification.
	idx, err := fs.ReadFile(demo.FS(), "documents/index.json")
	if err != nil {
		return nil, err
	}
	var index map[string]string
	if err := json.Unmarshal(idx, &index); err != nil {
		return nil, fmt.Errorf("demo documents/index.json: %w", err)
	}
	docs := map[string][]byte{}
	for u, name := range index {
		b, err := fs.ReadFile(demo.FS(), "documents/"+name)
		if err != nil {
			return nil, err
		}
		docs[u] = b
	}
	if err := s.SaveDocuments(docs); err != nil {
		return nil, err
	}
	for k, v := range map[string]any{settingDemo: true, settingOffline: true, settingAsOf: demo.Now} {
		if err := s.SetSetting(k, v); err != nil {
			return nil, err
		}
	}
	// Jobs with their confirmed requirements.
	jobIDs := map[string]int64{}
	for _, mj := range man.Jobs {
		text, err := demo.JobText(mj)
		if err != nil {
			return nil, err
		}
		j := &Job{Title: mj.Title, Text: text, Language: mj.Language, Status: JobOpen}
		if mj.Requirements != "" {
			b, err := fs.ReadFile(demo.FS(), mj.Requirements)
			if err != nil {
				return nil, err
			}
			var rf struct {
				Requirements []matcher.Requirement `json:"requirements"`
			}
			if err := json.Unmarshal(b, &rf); err != nil {
				return nil, fmt.Errorf("demo %s: %w", mj.Requirements, err)
			}
			j.Requirements = rf.Requirements
		} else {
			j.Requirements = matcher.For(tax).Extract(text).Requirements
		}
		if err := s.SaveJob(j); err != nil {
			return nil, err
		}
		jobIDs[mj.ID] = j.ID
		rep.Jobs++
	}
	// Applicants: export the pool to a temporary folder and import it, each
	// applicant into the pool of their target job.
	dir, err := os.MkdirTemp("", "skillmatch-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := demo.Export(dir); err != nil {
		return nil, err
	}
	dc, err := credential.OpenDocumentCache(filepath.Join(dir, "documents"))
	if err != nil {
		return nil, err
	}
	v := &credential.Verifier{Offline: true, Documents: dc, Trust: tl, Now: demo.Now}
	v.ShareStatusLists() // the import verifies with copies of v
	byJob := map[string][]string{}
	var order []string
	for _, a := range man.Applicants {
		if _, ok := byJob[a.Target]; !ok {
			order = append(order, a.Target)
		}
		byJob[a.Target] = append(byJob[a.Target], filepath.Join(dir, "applicants", a.ID))
	}
	for _, target := range order {
		jid, ok := jobIDs[target]
		if !ok {
			return nil, fmt.Errorf("demo manifest: applicants target job %q, which it does not list", target)
		}
		ir, err := s.ImportFiles(ctx, byJob[target], ImportOptions{JobID: jid, Verifier: v, Taxonomy: tax}, nil)
		if err != nil {
			return nil, err
		}
		rep.Rejections = append(rep.Rejections, ir.Rejections...)
	}
	// Staff: each team's members into the team, as employees.
	for _, mt := range man.Teams {
		t, err := s.SaveTeam(mt.Name)
		if err != nil {
			return nil, err
		}
		var dirs []string
		for _, a := range man.Employees {
			if a.Team == mt.Name {
				dirs = append(dirs, filepath.Join(dir, "employees", a.ID))
			}
		}
		ir, err := s.ImportFiles(ctx, dirs, ImportOptions{Kind: KindEmployee, TeamID: t.ID, Verifier: v, Taxonomy: tax}, nil)
		if err != nil {
			return nil, err
		}
		rep.Rejections = append(rep.Rejections, ir.Rejections...)
	}
	for _, a := range man.Employees {
		if !slices.ContainsFunc(man.Teams, func(t demo.Team) bool { return t.Name == a.Team }) {
			return nil, fmt.Errorf("demo manifest: employee %s is in team %q, which it does not list", a.ID, a.Team)
		}
	}
	// The temporary paths mean nothing to the user.
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec("UPDATE applicants SET source = 'demo pool'"); err != nil {
			return err
		}
		_, err := tx.Exec("UPDATE credentials SET import_id = NULL; DELETE FROM import_files")
		return err
	})
	if err != nil {
		return nil, err
	}
	items, err := demo.Catalogue(tax)
	if err != nil {
		return nil, err
	}
	if err := s.SaveCatalogue(items); err != nil {
		return nil, err
	}
	rep.Catalogue = len(items)
	c, err := s.Counts()
	if err != nil {
		return nil, err
	}
	rep.Applicants, rep.Employees, rep.Teams, rep.Credentials = c.Applicants, c.Employees, c.Teams, c.Credentials
	rows, err := s.r.Query("SELECT status, count(*) FROM credentials GROUP BY status")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		rep.Statuses[credential.Status(st)] = n
	}
	return rep, rows.Err()
}
