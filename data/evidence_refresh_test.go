package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// switchTaxonomy imports testdata/evidence_taxonomy.csv (three
// competencies with the labels of default ones but other IDs) and makes it
// the active taxonomy.
func switchTaxonomy(t testing.TB, s *Store) *taxonomy.Taxonomy {
	t.Helper()
	tax, err := taxonomy.ImportCSV("testdata/evidence_taxonomy.csv")
	if err != nil {
		t.Fatal(err)
	}
	tax.Name = "test-alt"
	if err := s.SaveTaxonomy(tax, true); err != nil {
		t.Fatal(err)
	}
	return tax
}

func evidenceCount(t testing.TB, s *Store, competency string) int {
	t.Helper()
	var n int
	if err := s.r.QueryRow("SELECT count(*) FROM evidence WHERE competency = ?", competency).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTaxonomySwitchRanksWithNewEvidence: after the active taxonomy
// changes, a job extracted with it must still find the applicants whose
// credentials show its competencies.
func TestTaxonomySwitchRanksWithNewEvidence(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	if n := evidenceCount(t, s, "lt-forklift-operation"); n == 0 {
		t.Fatal("the demo evidences no lt-forklift-operation; the test needs a competency the demo credentials show")
	}
	switchTaxonomy(t, s)
	if stale, err := s.EvidenceStale(); err != nil || !stale {
		t.Fatalf("EvidenceStale after switching taxonomy = %v, %v; want true", stale, err)
	}
	calls := 0
	rep, err := s.RefreshEvidence(ctx, func(done, total int) {
		calls++
		if done != calls || total != 57 {
			t.Errorf("progress(%d, %d) at call %d; want (%d, 57)", done, total, calls, calls)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("refresh: %+v", rep)
	if rep.People != 57 || rep.Total != 57 || rep.Credentials != 289 || calls != 57 || rep.Taxonomy != "test-alt" {
		t.Errorf("report %+v after %d progress calls; want 57 people (42 applicants, 15 staff), 289 credentials, taxonomy test-alt", rep, calls)
	}
	if rep.Changed == 0 || rep.After >= rep.Before || rep.FromRecord == 0 {
		t.Errorf("report %+v: want changed credentials, fewer links with a 3-competency taxonomy, credentials read from their record", rep)
	}
	if stale, err := s.EvidenceStale(); err != nil || stale {
		t.Errorf("EvidenceStale after RefreshEvidence = %v, %v; want false", stale, err)
	}
	if n := evidenceCount(t, s, "lt-forklift-operation"); n != 0 {
		t.Errorf("%d evidence rows still name lt-forklift-operation of the old taxonomy", n)
	}
	job, err := s.NewJobFromPosting("Forklift driver", "We need a forklift operator with first aid.")
	if err != nil {
		t.Fatal(err)
	}
	var reqs []string
	for _, r := range job.Requirements {
		reqs = append(reqs, r.CompetencyID)
	}
	if len(reqs) == 0 || reqs[0][:4] != "alt-" {
		t.Fatalf("requirements %v: want competencies of the new taxonomy", reqs)
	}
	r, err := s.RankJob(ctx, job.ID, RankOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	best := 0.0
	for _, f := range r.Fits {
		best = max(best, f.Score)
	}
	if best == 0 {
		t.Errorf("all %d applicants score 0 for a job of the new taxonomy (requirements %v); evidence rows for alt-forklift: %d, for lt-forklift-operation: %d",
			len(r.Fits), reqs, evidenceCount(t, s, "alt-forklift"), evidenceCount(t, s, "lt-forklift-operation"))
	}
}

func TestRefreshEvidenceIdempotentAndSearchable(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	switchTaxonomy(t, s)
	first, err := s.RefreshEvidence(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	snapshot := evidenceDump(t, s)
	second, err := s.RefreshEvidence(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.Changed != 0 || second.Before != first.After || second.After != first.After {
		t.Errorf("second run %+v after first %+v: want nothing changed", second, first)
	}
	if again := evidenceDump(t, s); again != snapshot {
		t.Error("a second refresh changed the stored evidence")
	}
	// The search index holds the labels of the new taxonomy's competencies:
	// the French label exists only in the test taxonomy's spelling.
	res, err := s.Search(ctx, `competency:"conduite de chariot"`, ApplicantFilter{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applicants) != evidencePeople(t, s, "alt-forklift") || len(res.Applicants) == 0 {
		t.Errorf("search finds %d people; %d people evidence alt-forklift", len(res.Applicants), evidencePeople(t, s, "alt-forklift"))
	}
}

func TestRefreshEvidenceCancelled(t *testing.T) {
	s := openDemo(t)
	switchTaxonomy(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := s.RefreshEvidence(ctx, func(done, total int) {
		if done == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	if rep.People != 3 || rep.Total != 57 {
		t.Errorf("report %+v: want 3 of 57 people done", rep)
	}
	if stale, err := s.EvidenceStale(); err != nil || !stale {
		t.Errorf("EvidenceStale after a cancelled refresh = %v, %v; want true", stale, err)
	}
	// Resuming finishes the job.
	if _, err := s.RefreshEvidence(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if stale, err := s.EvidenceStale(); err != nil || stale {
		t.Errorf("EvidenceStale after the refresh = %v, %v; want false", stale, err)
	}
}

// TestEvidenceStale follows the record through the ways the active
// taxonomy changes and the ways evidence is stored.
func TestEvidenceStale(t *testing.T) {
	ctx := context.Background()
	type step struct {
		name string
		do   func(t *testing.T, s *Store)
		want bool
	}
	activate := func(name string) func(t *testing.T, s *Store) {
		return func(t *testing.T, s *Store) {
			if err := s.SetActiveTaxonomy(name); err != nil {
				t.Fatal(err)
			}
		}
	}
	save := func(activate bool) func(t *testing.T, s *Store) {
		return func(t *testing.T, s *Store) {
			tax, err := taxonomy.ImportCSV("testdata/evidence_taxonomy.csv")
			if err != nil {
				t.Fatal(err)
			}
			tax.Name = "test-alt"
			if err := s.SaveTaxonomy(tax, activate); err != nil {
				t.Fatal(err)
			}
		}
	}
	refresh := func(t *testing.T, s *Store) {
		if _, err := s.RefreshEvidence(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	legacy := func(t *testing.T, s *Store) {
		if _, err := s.w.Exec("DELETE FROM settings WHERE key = ?", settingEvidenceTaxonomy); err != nil {
			t.Fatal(err)
		}
	}
	reverifyAll := func(t *testing.T, s *Store) {
		v, cleanup, err := s.Verifier()
		if err != nil {
			t.Fatal(err)
		}
		defer cleanup()
		v.Offline = true
		if err := s.Reverify(ctx, 0, v, nil); err != nil {
			t.Fatal(err)
		}
	}
	reverifyOne := func(t *testing.T, s *Store) {
		v, cleanup, err := s.Verifier()
		if err != nil {
			t.Fatal(err)
		}
		defer cleanup()
		v.Offline = true
		if err := s.Reverify(ctx, 1, v, nil); err != nil {
			t.Fatal(err)
		}
	}
	del := func(t *testing.T, s *Store) {
		if err := s.DeleteTaxonomy("test-alt"); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"demo as created", []step{{"none", func(*testing.T, *Store) {}, false}}},
		{"import and activate, refresh", []step{{"save+activate", save(true), true}, {"refresh", refresh, false}}},
		{"cache without activating", []step{{"save", save(false), false}}},
		{"activate a cached one, then back", []step{{"save", save(false), false}, {"activate", activate("test-alt"), true}, {"back to default", activate(taxonomy.DefaultName), false}}},
		{"delete the active one", []step{{"save+activate", save(true), true}, {"refresh", refresh, false}, {"delete", del, true}, {"refresh", refresh, false}}},
		{"re-import the active one", []step{{"save+activate", save(true), true}, {"refresh", refresh, false}, {"import again", save(false), true}}},
		{"workspace from before the record", []step{{"forget", legacy, false}, {"activate", save(true), true}, {"refresh", refresh, false}}},
		{"reverify one person is not enough", []step{{"save+activate", save(true), true}, {"reverify one", reverifyOne, true}, {"reverify all", reverifyAll, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openDemo(t)
			for _, st := range tt.steps {
				st.do(t, s)
				got, err := s.EvidenceStale()
				if err != nil {
					t.Fatal(err)
				}
				if got != st.want {
					t.Errorf("after %s: EvidenceStale = %v, want %v", st.name, got, st.want)
				}
			}
		})
	}
}

// TestEvidenceStaleImport: an import records the taxonomy it used; a
// workspace without credentials is never stale and forgets the record when
// the active taxonomy changes.
func TestEvidenceStaleImport(t *testing.T) {
	ctx := context.Background()
	s := openEmpty(t)
	check := func(when string, wantStale bool, wantNames ...string) {
		t.Helper()
		stale, err := s.EvidenceStale()
		if err != nil {
			t.Fatal(err)
		}
		names, err := s.EvidenceTaxonomies()
		if err != nil {
			t.Fatal(err)
		}
		if stale != wantStale || !slices.Equal(names, wantNames) {
			t.Errorf("%s: EvidenceStale = %v, EvidenceTaxonomies = %q; want %v, %q", when, stale, names, wantStale, wantNames)
		}
	}
	check("empty", false, taxonomy.DefaultName)
	switchTaxonomy(t, s)
	check("empty, switched", false, "test-alt")
	def, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.ImportFiles(ctx, []string{"testdata/roster_good.csv"}, ImportOptions{Taxonomy: def}, nil)
	if err != nil || rep.Imported == 0 {
		t.Fatalf("import: %v, %+v", err, rep)
	}
	check("imported with the default while test-alt is active", true, "test-alt", taxonomy.DefaultName)
	if _, err := s.RefreshEvidence(ctx, nil); err != nil {
		t.Fatal(err)
	}
	check("refreshed", false, "test-alt")
	if err := s.SetActiveTaxonomy(taxonomy.DefaultName); err != nil {
		t.Fatal(err)
	}
	check("back to the default", true, "test-alt")
}

// evidenceDump lists every evidence row, for comparing two states.
func evidenceDump(t testing.TB, s *Store) string {
	t.Helper()
	rows, err := s.r.Query("SELECT credential_id, seq, competency, link, score, source, spans, coalesce(inner_ref, '') FROM evidence ORDER BY credential_id, seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var cid, seq int64
		var comp, link, source, spans, inner string
		var score float64
		if err := rows.Scan(&cid, &seq, &comp, &link, &score, &source, &spans, &inner); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d %d %s %s %g %s %s %s\n", cid, seq, comp, link, score, source, spans, inner)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// evidencePeople counts the people with evidence of a competency.
func evidencePeople(t testing.TB, s *Store, competency string) int {
	t.Helper()
	var n int
	err := s.r.QueryRow("SELECT count(DISTINCT c.applicant_id) FROM evidence e JOIN credentials c ON c.id = e.credential_id WHERE e.competency = ?", competency).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// multiplyPool copies every person of the workspace, with their
// credentials (original bytes and verification included) and evidence,
// until it holds times as many: a larger pool of real credentials.
func multiplyPool(b *testing.B, s *Store, times int) {
	b.Helper()
	err := s.write(context.Background(), func(tx *sql.Tx) error {
		var maxA, maxC int64
		if err := tx.QueryRow("SELECT max(id) FROM applicants").Scan(&maxA); err != nil {
			return err
		}
		if err := tx.QueryRow("SELECT max(id) FROM credentials").Scan(&maxC); err != nil {
			return err
		}
		for k := int64(1); k < int64(times); k++ {
			stmts := []string{
				fmt.Sprintf(`INSERT INTO applicants(id, name, email, contact, source, kind, team_id, created_at)
					SELECT id + %d, name || ' %d', CASE WHEN email = '' THEN '' ELSE '%d.' || email END, contact, source, kind, team_id, created_at
					FROM applicants WHERE id <= %d`, k*maxA, k, k, maxA),
				fmt.Sprintf(`INSERT INTO credentials(id, applicant_id, import_id, fingerprint, format, file_name, item_path, original, record,
					ref_id, title, issuer, issuer_id, status, trusted, self_reported, issued_at, valid_from, valid_until, level, credits,
					verification, verified_at, imported_at)
					SELECT id + %d, applicant_id + %d, import_id, fingerprint, format, file_name, item_path, original, record,
					ref_id, title, issuer, issuer_id, status, trusted, self_reported, issued_at, valid_from, valid_until, level, credits,
					verification, verified_at, imported_at FROM credentials WHERE id <= %d`, k*maxC, k*maxA, maxC),
				fmt.Sprintf(`INSERT INTO evidence(credential_id, seq, competency, link, score, source, spans, inner_ref)
					SELECT credential_id + %d, seq, competency, link, score, source, spans, inner_ref FROM evidence WHERE credential_id <= %d`, k*maxC, maxC),
			}
			for _, q := range stmts {
				if _, err := tx.Exec(q); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// benchmarkRefresh switches between the default and the test taxonomy and
// refreshes the evidence, each iteration.
func benchmarkRefresh(b *testing.B, times int) {
	s := openDemo(b)
	if times > 1 {
		multiplyPool(b, s, times)
	}
	switchTaxonomy(b, s)
	names := []string{taxonomy.DefaultName, "test-alt"}
	var rep *RefreshReport
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := s.SetActiveTaxonomy(names[i%2]); err != nil {
			b.Fatal(err)
		}
		var err error
		if rep, err = s.RefreshEvidence(context.Background(), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rep.Credentials), "credentials")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(rep.Credentials), "µs/credential")
}

// BenchmarkRefreshEvidenceDemo refreshes the demo workspace (57 people,
// 289 credentials) after a switch of taxonomy.
func BenchmarkRefreshEvidenceDemo(b *testing.B) { benchmarkRefresh(b, 1) }

// BenchmarkRefreshEvidencePool refreshes the demo pool copied 20 times
// (1,140 people, 5,780 credentials).
func BenchmarkRefreshEvidencePool(b *testing.B) { benchmarkRefresh(b, 20) }

// TestRefreshEvidenceSameTaxonomy: refreshing with the taxonomy the import
// used (the demo's default) stores exactly what the import stored — the
// stored records give the evidence the parsed originals gave — and keeps
// the search index.
func TestRefreshEvidenceSameTaxonomy(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	before := evidenceDump(t, s)
	search := func() []int64 {
		res, err := s.Search(ctx, "competency:forklift", ApplicantFilter{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, a := range res.Applicants {
			ids = append(ids, a.ID)
		}
		return ids
	}
	found := search()
	rep, err := s.RefreshEvidence(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed != 0 || rep.Before != rep.After || rep.Credentials != 289 {
		t.Errorf("report %+v: want 289 credentials, none changed", rep)
	}
	if rep.FromRecord == 0 {
		t.Errorf("report %+v: no credential was read from its stored record", rep)
	}
	if after := evidenceDump(t, s); after != before {
		t.Errorf("the refresh changed the evidence the import stored:\n--- import\n%s--- refresh\n%s", before, after)
	}
	if again := search(); !slices.Equal(again, found) || len(found) == 0 {
		t.Errorf("competency:forklift finds %v after the refresh, %v before", again, found)
	}
}
