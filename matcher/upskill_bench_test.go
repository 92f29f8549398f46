package matcher

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// upskillBench builds a team of 200 people (up to 8 credentials each)
// against a role of 15 requirements of the default taxonomy, and a
// catalogue of 2,000 items: half teach a required competency or one below
// it, half something else.
func upskillBench(b testing.TB) (*Scorer, []Applicant, []CatalogueItem) {
	b.Helper()
	tax, err := taxonomy.Default()
	if err != nil {
		b.Fatal(err)
	}
	var comps []string
	for _, c := range tax.Competencies() {
		if c.Kind != taxonomy.KindGroup {
			comps = append(comps, c.ID)
		}
	}
	r := rand.New(rand.NewPCG(200, 2000))
	var reqs []Requirement
	var near []string // required competencies and their narrower ones
	for i := range 15 {
		id := comps[r.IntN(len(comps))]
		reqs = append(reqs, Requirement{CompetencyID: id, Label: id, Must: i < 8, Weight: 1 - float64(i)/40})
		near = append(near, id)
		for _, c := range tax.Children(id) {
			near = append(near, c.ID)
		}
	}
	people := make([]Applicant, 200)
	for i := range people {
		a := Applicant{ID: fmt.Sprintf("staff-%03d", i)}
		for c := range r.IntN(9) {
			ref := CredentialRef{ID: fmt.Sprintf("%s-c%d", a.ID, c), Status: credential.StatusValid, Trusted: r.IntN(4) > 0,
				IssuedAt: upNow.AddDate(-r.IntN(8), -r.IntN(12), 0)}
			pool := comps
			if r.IntN(2) == 0 {
				pool = near
			}
			a.Evidence = append(a.Evidence, Evidence{CompetencyID: pool[r.IntN(len(pool))], Credential: ref, Link: LinkAlignment, Score: 1})
		}
		people[i] = a
	}
	formats := []string{"online", "in-person", "self-paced", "blended"}
	cat := make([]CatalogueItem, 2000)
	for k := range cat {
		it := CatalogueItem{ID: fmt.Sprintf("item-%04d", k), Title: fmt.Sprintf("Course %d", k), Cost: float64(30 + r.IntN(1500)),
			Hours: float64(2 + r.IntN(60)), Currency: "CAD", Format: formats[r.IntN(len(formats))], Language: []string{"en", "fr"}[r.IntN(2)]}
		for range 1 + r.IntN(3) {
			pool := comps
			if k%2 == 0 {
				pool = near
			}
			it.Competencies = append(it.Competencies, pool[r.IntN(len(pool))])
		}
		if r.IntN(3) == 0 {
			it.StackableInto = "Certificate"
		}
		cat[k] = it
	}
	return NewScorer(tax, reqs, DefaultPolicy(), upNow), people, cat
}

// BenchmarkGapAnalysis200: gap analysis of a team of 200 against 15
// requirements (evidence precomputed).
func BenchmarkGapAnalysis200(b *testing.B) {
	s, people, _ := upskillBench(b)
	b.ResetTimer()
	for b.Loop() {
		AnalyzeGaps(s, people)
	}
}

// BenchmarkPlan200x2000 plans upskilling for a team of 200 from a
// catalogue of 2,000 items: without a budget (each person solved on their
// own) and with a budget (one instance for the team, greedy).
func BenchmarkPlan200x2000(b *testing.B) {
	s, people, cat := upskillBench(b)
	g := AnalyzeGaps(s, people)
	for _, bc := range []struct {
		name string
		opt  UpskillOptions
	}{
		{"no-budget", UpskillOptions{}},
		{"budget-50k", UpskillOptions{Budget: 50000}},
		{"budget-50k-online-en", UpskillOptions{Budget: 50000, Formats: []string{"online", "self-paced"}, Languages: []string{"en"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var plan *UpskillPlan
			for b.Loop() {
				var err error
				if plan, err = PlanUpskilling(g, cat, bc.opt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(plan.Candidates), "options")
			b.ReportMetric(float64(plan.Closed), "closed")
			b.ReportMetric(float64(plan.Gaps), "gaps")
			exact := 0.0
			if plan.Exact {
				exact = 1
			}
			b.ReportMetric(exact, "exact")
		})
	}
}
