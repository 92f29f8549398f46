package data

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

const (
	scaleApplicants  = 100_000
	scaleCredentials = 800_000
)

var (
	scaleOnce sync.Once
	scalePath string
	scaleTemp string // removed by TestMain
	scaleErr  error
)

// scaleWorkspace builds, once per test binary, a workspace of 100,000
// applicants and 800,000 credentials (one evidence row each) with bulk
// inserts in one transaction, and a job with five requirements.
func scaleWorkspace(b *testing.B) string {
	b.Helper()
	scaleOnce.Do(func() {
		// SKILLMATCH_SCALE_DB keeps the workspace at that path between
		// runs (for benchstat); otherwise it is built in a temporary folder.
		if p := os.Getenv("SKILLMATCH_SCALE_DB"); p != "" {
			scalePath = p
			if _, err := os.Stat(p); err == nil {
				return
			}
		} else {
			dir, err := os.MkdirTemp("", "skillmatch-scale-")
			if err != nil {
				scaleErr = err
				return
			}
			scalePath = filepath.Join(dir, "scale.db")
			scaleTemp = dir
		}
		start := time.Now()
		scaleErr = buildScale(scalePath)
		b.Logf("generated %d applicants and %d credentials in %v", scaleApplicants, scaleCredentials, time.Since(start).Round(time.Millisecond))
	})
	if scaleErr != nil {
		b.Fatal(scaleErr)
	}
	return scalePath
}

func buildScale(path string) error {
	s, err := Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	tax, err := taxonomy.Default()
	if err != nil {
		return err
	}
	job := &Job{Title: "Scale job"}
	for _, id := range []string{"lt-forklift-operation", "lt-warehouse", "ohs-first-aid", "tc-residential-wiring", "hc-dementia-care"} {
		job.Requirements = append(job.Requirements, matcher.Requirement{CompetencyID: id, Label: id, Must: len(job.Requirements) < 2, Weight: 1, Confidence: matcher.Detected, Score: 1})
	}
	if err := s.SaveJob(job); err != nil {
		return err
	}
	now := stamp(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	// Everything is generated inside SQLite (recursive CTEs over a table of
	// the taxonomy's competencies), with deterministic pseudo-random
	// choices from multiplicative hashes of the row number: one statement
	// per table instead of 1.7 million.
	return s.write(context.Background(), func(tx *sql.Tx) error {
		if _, err := tx.Exec("CREATE TEMP TABLE comps(k INTEGER PRIMARY KEY, id TEXT, label TEXT, labels TEXT)"); err != nil {
			return err
		}
		for i, c := range tax.Competencies() {
			if _, err := tx.Exec("INSERT INTO comps VALUES (?, ?, ?, ?)", i, c.ID, c.Label("en"), strings.Join(competencyLabels(tax, c.ID), " | ")); err != nil {
				return err
			}
		}
		n := len(tax.Competencies())
		per := scaleCredentials / scaleApplicants
		stmts := []string{
			fmt.Sprintf(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < %d)
				INSERT INTO applicants(id, name, email, source, kind, created_at)
				SELECT i, printf('Person%%06d Surname%%04d', i, (i * 2654435761) %% 5000), printf('person%%06d@mail.example', i), 'generated', 'applicant', '%s' FROM g`,
				scaleApplicants, now),
			fmt.Sprintf(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < %d),
				r(i, h) AS (SELECT i, (i * 2654435761) %% 4294967291 FROM g)
				INSERT INTO credentials(id, applicant_id, fingerprint, format, file_name, item_path, original, record, ref_id, title, issuer,
					issuer_id, status, trusted, issued_at, credits, imported_at)
				SELECT r.i, (r.i - 1) / %d + 1, printf('sha256:%%016x', r.i), 'ob3', 'c.json', 'c.json', X'7B7D', '{}', 'urn:c:' || r.i,
					'Course in ' || c.label, printf('Provider %%02d Academy', h %% 20), printf('did:example:%%02d', h %% 20),
					CASE h %% 9 WHEN 6 THEN 'expired' WHEN 7 THEN 'revoked' WHEN 8 THEN 'unverifiable' ELSE 'valid' END,
					h %% 9 < 6 AND h %% 3 > 0, unixepoch('2015-01-01') + (h %% 3650) * 86400, h %% 6, '%s'
				FROM r JOIN comps c ON c.k = r.h %% %d`, scaleCredentials, per, now, n),
			fmt.Sprintf(`INSERT INTO evidence(credential_id, seq, competency, link, score, source)
				SELECT cr.id, 0, c.id, 'alignment', 1, '' FROM credentials cr JOIN comps c ON c.k = ((cr.id * 2654435761) %% 4294967291) %% %d`, n),
			`INSERT INTO search(rowid, name, email, contact, issuer, title, competencies, status)
				SELECT a.id, a.name, a.email, '',
					(SELECT group_concat(DISTINCT issuer) FROM credentials WHERE applicant_id = a.id),
					(SELECT group_concat(title, ' | ') FROM credentials WHERE applicant_id = a.id),
					(SELECT group_concat(DISTINCT c.labels) FROM credentials cr JOIN evidence e ON e.credential_id = cr.id JOIN comps c ON c.id = e.competency WHERE cr.applicant_id = a.id),
					(SELECT group_concat(DISTINCT status) FROM credentials WHERE applicant_id = a.id)
				FROM applicants a`,
			fmt.Sprintf("INSERT INTO pipeline(job_id, applicant_id, stage, updated_at) SELECT %d, id, 'new', '%s' FROM applicants", job.ID, now),
			"INSERT INTO search(search) VALUES ('optimize')",
			"DROP TABLE comps",
		}
		for _, q := range stmts {
			if _, err := tx.Exec(q); err != nil {
				return fmt.Errorf("%w in %s", err, q)
			}
		}
		return nil
	})
}

func BenchmarkScaleOpen(b *testing.B) {
	path := scaleWorkspace(b)
	b.ResetTimer()
	for b.Loop() {
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.ActiveTaxonomyName(); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func BenchmarkScaleCounts(b *testing.B) {
	s, err := Open(scaleWorkspace(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if _, err := s.Counts(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScaleSearch(b *testing.B) {
	s, err := Open(scaleWorkspace(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{"person054321", "surname1234", "issuer:provider status:revoked forklift", "forklift", "first aid"} {
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			var total int
			for b.Loop() {
				res, err := s.Search(context.Background(), q, ApplicantFilter{}, 50)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
}

func BenchmarkScaleRank(b *testing.B) {
	s, err := Open(scaleWorkspace(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for b.Loop() {
		r, err := s.RankJob(context.Background(), 1, RankOptions{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Fits) != scaleApplicants {
			b.Fatalf("%d fits", len(r.Fits))
		}
	}
}

// BenchmarkTaxonomyCacheESCO measures loading ESCO (≈14k skills) from the
// workspace cache, as the app does on every start.
func BenchmarkTaxonomyCacheESCO(b *testing.B) {
	dir := filepath.Join("..", "..", "shared", "data", "esco-1.1.1")
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("ESCO download not found at %s", dir)
	}
	t, err := taxonomy.ImportESCO(dir)
	if err != nil {
		b.Fatal(err)
	}
	t.Name = "esco"
	s := openEmpty(b)
	if err := s.SaveTaxonomy(t, true); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		got, err := s.LoadTaxonomy("esco")
		if err != nil {
			b.Fatal(err)
		}
		if got.Len() != t.Len() {
			b.Fatalf("%d competencies, want %d", got.Len(), t.Len())
		}
	}
	b.ReportMetric(float64(t.Len()), "competencies")
}
