package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// evidenceOf counts the evidence of a competency in the app's pool.
func evidenceOf(a *App, competency string) (links int, people []string) {
	if a.pool == nil {
		return 0, nil
	}
	for _, p := range a.pool.applicants {
		n := 0
		for _, e := range p.Matcher.Evidence {
			if e.CompetencyID == competency {
				n++
			}
		}
		if n > 0 {
			links += n
			people = append(people, p.Stored.Name)
		}
	}
	return links, people
}

// bestScore ranks, in the store, a new job analysed with the active
// taxonomy, and returns the best score.
func bestScore(t *testing.T, st *data.Store, posting string) (float64, []string) {
	t.Helper()
	job, err := st.NewJobFromPosting("Forklift driver", posting)
	if err != nil {
		t.Fatal(err)
	}
	var reqs []string
	for _, r := range job.Requirements {
		reqs = append(reqs, r.CompetencyID)
	}
	r, err := st.RankJob(context.Background(), job.ID, data.RankOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	best := 0.0
	for _, f := range r.Fits {
		best = max(best, f.Score)
	}
	return best, reqs
}

// TestTaxonomySwitchRefreshesEvidence imports a taxonomy whose
// competencies carry other IDs than the default's: the app refreshes the
// stored evidence at once, so that the applicants' evidence names the new
// competencies and a job analysed with the new taxonomy ranks them.
func TestTaxonomySwitchRefreshesEvidence(t *testing.T) {
	st := demoStore(t)
	a := newTestApp(t, Options{Store: st})
	a.waitIdle()
	if n, _ := evidenceOf(a, "lt-forklift-operation"); n == 0 {
		t.Fatal("the demo pool has no lt-forklift-operation evidence to start with")
	}
	a.taxonomy.importSpec("csv:testdata/evidence_taxonomy.csv")
	a.taxonomy.importing.wait()
	a.waitIdle()
	if a.tax == nil || a.tax.Name != "csv:testdata/evidence_taxonomy.csv" {
		t.Fatalf("taxonomy after the import: %v", a.tax)
	}
	shown := overlayText(a)
	for _, want := range []string{"imported: 3 competencies", "were found again with taxonomy csv:testdata/evidence_taxonomy.csv", "57 people (289 credentials)"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the dialog after the import does not say %q:\n%s", want, shown)
		}
	}
	if stale, err := st.EvidenceStale(); err != nil || stale {
		t.Errorf("EvidenceStale after the switch = %v, %v; want false", stale, err)
	}
	if a.evidenceButton != nil {
		t.Error("the stale-evidence banner is shown after a complete refresh")
	}
	// The reloaded pool has the evidence of the new taxonomy.
	if n, _ := evidenceOf(a, "lt-forklift-operation"); n != 0 {
		t.Errorf("%d links to lt-forklift-operation of the old taxonomy remain in the pool", n)
	}
	n, people := evidenceOf(a, "alt-forklift")
	if n == 0 || !strings.Contains(strings.Join(people, ","), "Kofi Mensah") {
		t.Errorf("alt-forklift evidenced %d times, by %v; want Kofi Mensah among them", n, people)
	}
	if best, reqs := bestScore(t, st, "We need a forklift operator with first aid."); best == 0 {
		t.Errorf("every applicant scores 0 for a job of the new taxonomy (requirements %v)", reqs)
	}
	// A job saved before the switch was moved to the new taxonomy: it
	// ranks applicants again (it ranked everyone at 0 before the
	// mapping), and the report says so.
	for _, want := range []string{"Jobs: 2 updated; requirements now using the new taxonomy: 2 (0 by ESCO/O*NET reference, 2 by label)",
		"38 requirements were not found in the new taxonomy", "• Residential Electrician: residential wiring (tc-residential-wiring)", "• … and 26 more"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the dialog after the import does not say %q:\n%s", want, shown)
		}
	}
	if best := jobBest(t, st, 1); best == 0 {
		t.Error("demo job 1, saved before the switch, still ranks everyone at 0")
	}
	var first *data.Job
	for _, j := range a.jobs {
		if j.ID == 1 {
			first = j
		}
	}
	if first == nil || !slices.ContainsFunc(first.Requirements, func(r matcher.Requirement) bool { return r.CompetencyID == "alt-first-aid" }) {
		t.Errorf("the app's copy of job 1 was not updated: %+v", first)
	}
	checkUnmappedFlag(t, a, "Not in the active taxonomy (csv:testdata/evidence_taxonomy.csv): ranking counts it as unmet.", "not in the active taxonomy")
}

// jobBest ranks a saved job and returns the best score.
func jobBest(t *testing.T, st *data.Store, id int64) float64 {
	t.Helper()
	r, err := st.RankJob(context.Background(), id, data.RankOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	best := 0.0
	for _, f := range r.Fits {
		best = max(best, f.Score)
	}
	return best
}

// checkUnmappedFlag checks that the Job screen flags, in its row and in
// the editor, a requirement not in the active taxonomy, and only those.
func checkUnmappedFlag(t *testing.T, a *App, detail, row string) {
	t.Helper()
	s := a.job
	flagged := 0
	for i, r := range s.rows {
		o := s.newRow()
		s.updateRow(r, o)
		text := rowParts(o).label.Text
		_, in := a.tax.Get(r.req.CompetencyID)
		if in == strings.Contains(text, row) {
			t.Errorf("row %q of %s: flagged %v, in the active taxonomy %v", text, r.req.CompetencyID, !in, in)
		}
		if in {
			continue
		}
		flagged++
		s.list.Select(i)
		if shown := strings.Join(texts(s.editor.root), "\n"); !strings.Contains(shown, detail) {
			t.Errorf("the editor of %s does not say %q:\n%s", r.req.CompetencyID, detail, shown)
		}
	}
	if flagged == 0 {
		t.Errorf("no requirement of the current job (%d rows) is flagged", len(s.rows))
	}
}

// TestEvidenceBannerOffersRefresh opens a workspace whose evidence was
// computed with another taxonomy (a refresh that did not finish): a banner
// says so, and its button refreshes the evidence.
func TestEvidenceBannerOffersRefresh(t *testing.T) {
	for _, lang := range []struct{ code, banner, button, report, jobs, detail, row string }{
		{"en", "were found with another taxonomy than the active one (stale-test)", "Refresh now", "were found again with taxonomy stale-test",
			"Jobs: 2 updated", "Not in the active taxonomy (stale-test)", "not in the active taxonomy"},
		{"fr", "ont été trouvées avec une autre taxonomie que la taxonomie active (stale-test)", "Actualiser", "ont été retrouvées avec la taxonomie stale-test",
			"Postes : 2 mis à jour", "Absente de la taxonomie active (stale-test)", "absente de la taxonomie active"},
	} {
		t.Run(lang.code, func(t *testing.T) {
			st := demoStore(t)
			tax, err := taxonomy.ImportCSV("testdata/evidence_taxonomy.csv")
			if err != nil {
				t.Fatal(err)
			}
			tax.Name = "stale-test"
			if err := st.SaveTaxonomy(tax, true); err != nil {
				t.Fatal(err)
			}
			a := newTestApp(t, Options{Store: st, Language: lang.code})
			a.waitIdle()
			if a.evidenceButton == nil {
				t.Fatal("no banner offers to refresh the evidence")
			}
			banner := strings.Join(texts(a.banners), "\n")
			if !strings.Contains(banner, lang.banner) || a.evidenceButton.Text != lang.button {
				t.Errorf("banner %q with button %q; want %q and %q", banner, a.evidenceButton.Text, lang.banner, lang.button)
			}
			test.Tap(a.evidenceButton)
			a.refreshingEvidence.wait()
			a.waitIdle()
			if stale, err := st.EvidenceStale(); err != nil || stale {
				t.Errorf("EvidenceStale after the refresh = %v, %v; want false", stale, err)
			}
			if a.evidenceButton != nil || len(a.banners.Objects) != 1 {
				t.Errorf("after the refresh, %d banners (want the demo one only), refresh button %v", len(a.banners.Objects), a.evidenceButton)
			}
			shown := overlayText(a)
			for _, want := range []string{lang.report, lang.jobs} {
				if !strings.Contains(shown, want) {
					t.Errorf("the report does not say %q:\n%s", want, shown)
				}
			}
			if best := jobBest(t, st, 1); best == 0 {
				t.Error("demo job 1, saved before the switch, still ranks everyone at 0 after Refresh now")
			}
			checkUnmappedFlag(t, a, lang.detail, lang.row)
			if n, _ := evidenceOf(a, "alt-forklift"); n == 0 {
				t.Error("the reloaded pool has no evidence of the active taxonomy")
			}
		})
	}
}

func TestEvidenceReport(t *testing.T) {
	if err := setLanguage("en"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = setLanguage("") })
	done := &data.RefreshReport{Taxonomy: "esco", People: 57, Total: 57, Credentials: 289, Before: 520, After: 430, Changed: 250}
	part := &data.RefreshReport{Taxonomy: "esco", People: 3, Total: 57, Credentials: 12, Before: 20, After: 15, Changed: 10}
	tests := []struct {
		name    string
		rep     *data.RefreshReport
		err     error
		want    []string
		notWant []string
	}{
		{"done", done, nil, []string{"of 57 people (289 credentials) were found again with taxonomy esco", "Evidence links: 520 before, 430 now; 250 credentials changed."}, []string{"Stopped"}},
		{"one person", &data.RefreshReport{Taxonomy: "esco", People: 1, Total: 1, Credentials: 2}, nil, []string{"of 1 person (2 credentials)"}, nil},
		{"cancelled", part, fmt.Errorf("refreshing: %w", context.Canceled), []string{"Stopped after 3 of 57 people", "of 3 people (12 credentials)"}, []string{"stopped:"}},
		{"failed before anyone", &data.RefreshReport{Total: 57}, errors.New("disk full"), []string{"The refresh of the evidence stopped: disk full"}, []string{"were found again"}},
		{"failed to start", nil, errors.New("no taxonomy"), []string{"stopped: no taxonomy"}, nil},
	}
	for _, tt := range tests {
		got := evidenceReport(tt.rep, tt.err)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: report lacks %q:\n%s", tt.name, w, got)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(got, w) {
				t.Errorf("%s: report says %q:\n%s", tt.name, w, got)
			}
		}
	}
}

func TestJobMapText(t *testing.T) {
	if err := setLanguage("en"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = setLanguage("") })
	unmapped := func(n int) []data.UnmappedRequirement {
		var out []data.UnmappedRequirement
		for i := range n {
			out = append(out, data.UnmappedRequirement{JobID: 1, JobTitle: "Electrician", CompetencyID: fmt.Sprintf("tc-%d", i), Label: fmt.Sprintf("skill %d", i)})
		}
		return out
	}
	tests := []struct {
		name    string
		rep     *data.JobMapReport
		want    []string
		notWant []string
	}{
		{"no report", nil, nil, []string{"Jobs"}},
		{"no jobs", &data.JobMapReport{}, nil, []string{"Jobs"}},
		{"nothing to do", &data.JobMapReport{Jobs: 6}, []string{"Jobs: every requirement already uses the active taxonomy."}, []string{"not found"}},
		{"mapped and merged", &data.JobMapReport{Jobs: 6, Changed: 3, ByRef: 18, ByLabel: 5, Merged: 1},
			[]string{"Jobs: 3 updated; requirements now using the new taxonomy: 23 (18 by ESCO/O*NET reference, 5 by label)", "1 requirement named the same competency"}, []string{"not found"}},
		{"one unmapped", &data.JobMapReport{Jobs: 1, Changed: 1, ByLabel: 1, Unmapped: unmapped(1)},
			[]string{"1 requirement was not found in the new taxonomy", "• Electrician: skill 0 (tc-0)"}, []string{"more", "merged"}},
		{"only unmapped, long list", &data.JobMapReport{Jobs: 6, Unmapped: unmapped(15)},
			[]string{"15 requirements were not found", "• Electrician: skill 11 (tc-11)", "• … and 3 more"}, []string{"tc-12", "updated", "already"}},
	}
	for _, tt := range tests {
		got := jobMapText(tt.rep)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: text lacks %q:\n%s", tt.name, w, got)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(got, w) {
				t.Errorf("%s: text says %q:\n%s", tt.name, w, got)
			}
		}
		if tt.want == nil && got != "" {
			t.Errorf("%s: text %q; want none", tt.name, got)
		}
	}
}

// TestRefreshWaitsForPendingJobSave edits a job just before Refresh now:
// the pending save is written first, so the mapping sees the edit and the
// edit does not bring the old taxonomy's competencies back afterwards.
func TestRefreshWaitsForPendingJobSave(t *testing.T) {
	st := demoStore(t)
	tax, err := taxonomy.ImportCSV("testdata/evidence_taxonomy.csv")
	if err != nil {
		t.Fatal(err)
	}
	tax.Name = "stale-test"
	if err := st.SaveTaxonomy(tax, true); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{Store: st})
	a.waitIdle()
	a.ShowScreen("job")
	j := a.currentJob()
	if j == nil || a.evidenceButton == nil {
		t.Fatalf("no current job (%v) or no refresh banner (%v)", j, a.evidenceButton)
	}
	test.Type(a.job.title, "Night shift: ")
	want := strings.TrimSpace(a.job.title.Text)
	test.Tap(a.evidenceButton) // within the save's 600 ms pause
	a.refreshingEvidence.wait()
	a.job.waitSaved()
	a.waitIdle()
	saved, err := st.Job(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Title != want {
		t.Errorf("stored title %q, want the edit %q", saved.Title, want)
	}
	rep, err := st.PreviewJobMapping(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed != 0 {
		t.Errorf("after the refresh %d jobs still have requirements to map: a save wrote the old competencies back", rep.Changed)
	}
}
