package matcher

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// upNow is the moment the upskilling tests assess as of.
var upNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

func upskillTax(t testing.TB) *taxonomy.Taxonomy {
	t.Helper()
	tax, err := taxonomy.LoadDefaultFS(os.DirFS("testdata/upskill"), "tax")
	if err != nil {
		t.Fatal(err)
	}
	return tax
}

// staffCred is a credential issued ageYears before upNow.
func staffCred(id string, status credential.Status, trusted bool, ageYears float64) CredentialRef {
	return CredentialRef{
		ID: id, Name: "Badge " + id, Issuer: "Provider", Status: status, Trusted: trusted,
		IssuedAt: upNow.Add(-time.Duration(ageYears * 365.25 * 24 * float64(time.Hour))),
	}
}

func staffEvidence(comp string, c CredentialRef) Evidence {
	return Evidence{CompetencyID: comp, Credential: c, Link: LinkAlignment, Score: 1, Source: "urn:test:" + comp}
}

// TestGapSemantics pins that a person's fit to a requirement follows the
// ranking's relation, verification and currency rules.
func TestGapSemantics(t *testing.T) {
	tax := upskillTax(t)
	valid := func(id string) CredentialRef { return staffCred(id, credential.StatusValid, true, 0) }
	expired := staffCred("exp", credential.StatusValid, true, 1)
	expired.ValidUntil = upNow.Add(-24 * time.Hour)
	tests := []struct {
		name     string
		required string
		level    Level
		evidence []Evidence
		outcome  Outcome
		fit      float64
		relation Relation // of the deciding evidence
		rejected bool     // a failed credential is named
	}{
		{"exact, valid, trusted, fresh", "forklift", "", []Evidence{staffEvidence("forklift", valid("a"))}, OutcomeMet, 1, RelExact, false},
		{"narrower counts 0.9", "forklift", "", []Evidence{staffEvidence("reach-truck", valid("a"))}, OutcomeMet, 0.9, RelNarrower, false},
		{"broader counts 0.5: met at the threshold", "reach-truck", "", []Evidence{staffEvidence("forklift", valid("a"))}, OutcomeMet, 0.5, RelBroader, false},
		{"related counts 0.4: partly", "rf-scanning", "", []Evidence{staffEvidence("wms", valid("a"))}, OutcomePartly, 0.4, RelRelated, false},
		{"sibling counts 0.3: partly", "reach-truck", "", []Evidence{staffEvidence("forklift-inspection", valid("a"))}, OutcomePartly, 0.3, RelSibling, false},
		{"siblings under a group do not count", "whmis", "", []Evidence{staffEvidence("first-aid", valid("a"))}, OutcomeMissing, 0, RelNone, false},
		{"valid, issuer not trusted: 0.8", "whmis", "", []Evidence{staffEvidence("whmis", staffCred("u", credential.StatusValid, false, 0))}, OutcomeMet, 0.8, RelExact, false},
		{"self-reported: 0.5", "whmis", "", []Evidence{staffEvidence("whmis", staffCred("s", credential.StatusUnverifiable, false, 0))}, OutcomeMet, 0.5, RelExact, false},
		{"revoked counts nothing and is named", "whmis", "", []Evidence{staffEvidence("whmis", staffCred("r", credential.StatusRevoked, true, 0))}, OutcomeMissing, 0, RelNone, true},
		{"validUntil passed: expired, not old", "whmis", "", []Evidence{staffEvidence("whmis", expired)}, OutcomeMissing, 0, RelNone, true},
		{"five years old: half", "first-aid", "", []Evidence{staffEvidence("first-aid", staffCred("o", credential.StatusValid, true, 5))}, OutcomeMet, 0.5, RelExact, false},
		{"ten years old: a quarter, partly", "first-aid", "", []Evidence{staffEvidence("first-aid", staffCred("o", credential.StatusValid, true, 10))}, OutcomePartly, 0.25, RelExact, false},
		{"level below the one asked", "forklift", LevelAdvanced, []Evidence{staffEvidence("forklift", func() CredentialRef {
			c := valid("l")
			c.Level = LevelBasic
			return c
		}())}, OutcomePartly, 0.49, RelExact, false},
		{"a second credential corroborates", "cpr", "", []Evidence{staffEvidence("cpr", staffCred("c1", credential.StatusValid, true, 5)), staffEvidence("cpr", staffCred("c2", credential.StatusValid, true, 5))}, OutcomeMet, 0.55, RelExact, false},
		{"nothing", "cpr", "", nil, OutcomeMissing, 0, RelNone, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reqs := []Requirement{{CompetencyID: tt.required, Label: tt.required, Must: true, Weight: 1, MinLevel: tt.level}}
			s := NewScorer(tax, reqs, DefaultPolicy(), upNow)
			g := AnalyzeGaps(s, []Applicant{{ID: "p1", Name: "Pat", Evidence: tt.evidence}})
			d := g.People[0].Requirements[0]
			if d.Outcome != tt.outcome || !near2(d.Fit, tt.fit) {
				t.Fatalf("outcome %s fit %.4f, want %s %.4f (%s)", d.Outcome, d.Fit, tt.outcome, tt.fit, d.Note)
			}
			if tt.relation != RelNone {
				if d.Evidence == nil || d.Evidence.Relation != tt.relation {
					t.Errorf("deciding evidence %+v, want relation %s", d.Evidence, tt.relation)
				}
			} else if d.Evidence != nil {
				t.Errorf("evidence %+v counted, want none", d.Evidence)
			}
			if (d.Rejected != nil) != tt.rejected {
				t.Errorf("rejected evidence %+v, want named: %v", d.Rejected, tt.rejected)
			}
			// The same person ranked as an applicant gets the same fit.
			fits := Rank(reqs, []Applicant{{ID: "p1", Evidence: tt.evidence}}, DefaultPolicy(), tax, upNow)
			if r := fits[0].Requirements[0]; r.Outcome != d.Outcome || r.Fit != d.Fit {
				t.Errorf("ranking says %s %.4f, gap analysis %s %.4f", r.Outcome, r.Fit, d.Outcome, d.Fit)
			}
			// Coverage agrees with the person's outcome.
			c := g.Coverage[0]
			in := func(hs []Holder) bool { return len(hs) == 1 && hs[0].Person == "p1" }
			switch tt.outcome {
			case OutcomeMet:
				if !in(c.Met) || c.Holders != 1 || !c.AtRisk {
					t.Errorf("coverage %+v, want p1 meeting it alone", c)
				}
			case OutcomePartly:
				if !in(c.Partly) || c.Holders != 0 || c.Partly[0].Evidence == nil {
					t.Errorf("coverage %+v, want p1 partly, with the evidence", c)
				}
			default:
				if !slices.Equal(c.Lacking, []string{"p1"}) || c.Holders != 0 {
					t.Errorf("coverage %+v, want p1 lacking", c)
				}
			}
		})
	}
}

func near2(a, b float64) bool { return a-b < 0.005 && b-a < 0.005 }

// TestGapPolicyChangesApply: the gap analysis reads the same Policy as
// ranking, so changing a factor changes the outcome.
func TestGapPolicyChangesApply(t *testing.T) {
	tax := upskillTax(t)
	reqs := []Requirement{{CompetencyID: "rf-scanning", Label: "RF scanning", Must: true, Weight: 1}}
	people := []Applicant{{ID: "p", Evidence: []Evidence{staffEvidence("wms", staffCred("a", credential.StatusValid, true, 0))}}}
	p := DefaultPolicy()
	if got := AnalyzeGaps(NewScorer(tax, reqs, p, upNow), people).People[0].Requirements[0].Outcome; got != OutcomePartly {
		t.Fatalf("default policy: %s, want partly", got)
	}
	p.Relations.Related = 0.6
	if got := AnalyzeGaps(NewScorer(tax, reqs, p, upNow), people).People[0].Requirements[0].Outcome; got != OutcomeMet {
		t.Errorf("related factor 0.6: %s, want met", got)
	}
	p = DefaultPolicy()
	p.HalfLifeYears = 0.5
	old := []Applicant{{ID: "p", Evidence: []Evidence{staffEvidence("rf-scanning", staffCred("a", credential.StatusValid, true, 1))}}}
	if got := AnalyzeGaps(NewScorer(tax, reqs, p, upNow), old).People[0].Requirements[0].Outcome; got != OutcomePartly {
		t.Errorf("half-life 0.5 years, 1-year-old credential: %s, want partly", got)
	}
}

// TestTeamCoverage checks who meets what, the bus factor and the heatmap.
func TestTeamCoverage(t *testing.T) {
	tax := upskillTax(t)
	reqs := []Requirement{
		{CompetencyID: "forklift", Label: "forklift operation", Must: true, Weight: 1},
		{CompetencyID: "whmis", Label: "WHMIS", Must: true, Weight: 1},
		{CompetencyID: "rf-scanning", Label: "RF scanning", Weight: 0.5},
	}
	v := func(id string) CredentialRef { return staffCred(id, credential.StatusValid, true, 0) }
	people := []Applicant{
		{ID: "c-cam", Name: "Cam", Evidence: []Evidence{staffEvidence("wms", v("c1"))}},
		{ID: "a-ana", Name: "Ana", Evidence: []Evidence{staffEvidence("forklift", v("a1")), staffEvidence("whmis", v("a2"))}},
		{ID: "b-ben", Name: "Ben", Evidence: []Evidence{staffEvidence("reach-truck", v("b1")), staffEvidence("whmis", staffCred("b2", credential.StatusRevoked, true, 0))}},
	}
	g := AnalyzeGaps(NewScorer(tax, reqs, DefaultPolicy(), upNow), people)
	if ids := []string{g.People[0].Person, g.People[1].Person, g.People[2].Person}; !slices.Equal(ids, []string{"a-ana", "b-ben", "c-cam"}) {
		t.Fatalf("people in order %v, want by ID", ids)
	}
	tests := []struct {
		req     int
		met     []string
		partly  []string
		lacking []string
		atRisk  bool
	}{
		{0, []string{"a-ana", "b-ben"}, nil, []string{"c-cam"}, false},
		{1, []string{"a-ana"}, nil, []string{"b-ben", "c-cam"}, true},
		{2, nil, []string{"c-cam"}, []string{"a-ana", "b-ben"}, true},
	}
	ids := func(hs []Holder) []string {
		var out []string
		for _, h := range hs {
			out = append(out, h.Person)
		}
		return out
	}
	for _, tt := range tests {
		c := g.Coverage[tt.req]
		if !slices.Equal(ids(c.Met), tt.met) || !slices.Equal(ids(c.Partly), tt.partly) || !slices.Equal(c.Lacking, tt.lacking) || c.AtRisk != tt.atRisk || c.Holders != len(tt.met) {
			t.Errorf("%s: met %v partly %v lacking %v risk %v, want %v %v %v %v", c.Label, ids(c.Met), ids(c.Partly), c.Lacking, c.AtRisk, tt.met, tt.partly, tt.lacking, tt.atRisk)
		}
	}
	// Ana's exact credential ranks before Ben's narrower one.
	if m := g.Coverage[0].Met; m[0].Fit != 1 || m[1].Fit != 0.9 {
		t.Errorf("holders of forklift %+v, want fits 1 then 0.9", m)
	}
	if risk := g.AtRisk(); len(risk) != 2 || risk[0].CompetencyID != "whmis" || risk[1].CompetencyID != "rf-scanning" {
		t.Errorf("at risk %+v, want whmis then rf-scanning", risk)
	}
	s := g.Coverage[1].Summary(nil)
	if !strings.Contains(s, "only a-ana (1.00) meets it") || !strings.Contains(s, "lacking: b-ben, c-cam") || !strings.Contains(s, "bus factor 1") {
		t.Errorf("summary %q", s)
	}
	h := g.Heatmap()
	if !slices.Equal(h.People, []string{"Ana", "Ben", "Cam"}) || !slices.Equal(h.Holders, []int{2, 1, 0}) {
		t.Errorf("heatmap people %v holders %v", h.People, h.Holders)
	}
	if h.Fit[1][0] != 0.9 || h.Outcome[1][1] != OutcomeMissing || h.Fit[2][2] != 0.4 || h.Outcome[2][2] != OutcomePartly {
		t.Errorf("heatmap fits %v outcomes %v", h.Fit, h.Outcome)
	}
	if p, ok := g.Person("b-ben"); !ok || p.Met != 1 || p.Missing != 2 {
		t.Errorf("Person(b-ben) = %+v, %v", p, ok)
	}
	if _, ok := g.Person("zed"); ok {
		t.Error("Person(zed) found")
	}
}

// TestGapsAgreeWithRanking: on random teams, every cell of the gap
// analysis is the ranking's requirement fit.
func TestGapsAgreeWithRanking(t *testing.T) {
	tax := upskillTax(t)
	var comps []string
	for _, c := range tax.Competencies() {
		comps = append(comps, c.ID)
	}
	r := rand.New(rand.NewPCG(9, 9))
	for round := range 30 {
		var reqs []Requirement
		for i := range 1 + r.IntN(6) {
			reqs = append(reqs, Requirement{CompetencyID: comps[r.IntN(len(comps))], Must: i%2 == 0, Weight: 0.5 + r.Float64()/2})
		}
		var people []Applicant
		for p := range 1 + r.IntN(8) {
			people = append(people, randomStaff(r, string(rune('a'+p)), r.IntN(5), comps))
		}
		g := AnalyzeGaps(NewScorer(tax, reqs, DefaultPolicy(), upNow), people)
		fits := Rank(reqs, people, DefaultPolicy(), tax, upNow)
		for _, f := range fits {
			pg, ok := g.Person(f.Applicant)
			if !ok {
				t.Fatalf("round %d: %s missing from the gap analysis", round, f.Applicant)
			}
			if pg.Score != f.Score {
				t.Errorf("round %d: %s score %v, ranking %v", round, f.Applicant, pg.Score, f.Score)
			}
			for j, rf := range f.Requirements {
				if d := pg.Requirements[j]; d.Fit != rf.Fit || d.Outcome != rf.Outcome {
					t.Errorf("round %d: %s req %d: gap %s %v, ranking %s %v", round, f.Applicant, j, d.Outcome, d.Fit, rf.Outcome, rf.Fit)
				}
			}
		}
	}
}

func TestAnalyzeGapsErrors(t *testing.T) {
	tax := upskillTax(t)
	s := NewScorer(tax, []Requirement{{CompetencyID: "cpr", Weight: 1}}, DefaultPolicy(), upNow)
	if _, err := AnalyzeGapsContext(context.Background(), s, []Applicant{{ID: "x"}, {ID: "x"}}, nil); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Errorf("duplicate IDs: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	people := make([]Applicant, 250)
	for i := range people {
		people[i].ID = string(rune('A' + i))
	}
	if _, err := AnalyzeGapsContext(ctx, s, people, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	var last [2]int
	if _, err := AnalyzeGapsContext(context.Background(), s, people, func(d, n int) { last = [2]int{d, n} }); err != nil || last != [2]int{250, 250} {
		t.Errorf("progress ended at %v, err %v", last, err)
	}
}

// randomStaff draws a person with up to n credentials of random status,
// trust, age and level, each evidencing one or two competencies of comps.
func randomStaff(r *rand.Rand, id string, n int, comps []string) Applicant {
	statuses := []credential.Status{credential.StatusValid, credential.StatusValid, credential.StatusUnverifiable, credential.StatusRevoked, credential.StatusExpired}
	levels := []Level{LevelNone, LevelBasic, LevelIntermediate, LevelAdvanced, LevelExpert}
	a := Applicant{ID: id}
	for c := range r.IntN(n + 1) {
		ref := staffCred(id+"-c"+string(rune('0'+c)), statuses[r.IntN(len(statuses))], r.IntN(2) == 0, r.Float64()*12)
		ref.Level = levels[r.IntN(len(levels))]
		for range 1 + r.IntN(2) {
			a.Evidence = append(a.Evidence, staffEvidence(comps[r.IntN(len(comps))], ref))
		}
	}
	return a
}
