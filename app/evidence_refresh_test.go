package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/skillmatch/skillmatch/data"
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
}

// TestEvidenceBannerOffersRefresh opens a workspace whose evidence was
// computed with another taxonomy (a refresh that did not finish): a banner
// says so, and its button refreshes the evidence.
func TestEvidenceBannerOffersRefresh(t *testing.T) {
	for _, lang := range []struct{ code, banner, button, report string }{
		{"en", "were found with another taxonomy than the active one (stale-test)", "Refresh now", "were found again with taxonomy stale-test"},
		{"fr", "ont été trouvées avec une autre taxonomie que la taxonomie active (stale-test)", "Actualiser", "ont été retrouvées avec la taxonomie stale-test"},
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
			if shown := overlayText(a); !strings.Contains(shown, lang.report) {
				t.Errorf("the report does not say %q:\n%s", lang.report, shown)
			}
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
