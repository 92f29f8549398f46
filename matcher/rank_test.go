package matcher

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/taxonomy"
)

var rankNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// rankTax loads the small taxonomy of testdata/rank/tax: a group "sw" with
// programming > python > django, programming > java, and sql related to
// data-analysis.
func rankTax(t testing.TB) *taxonomy.Taxonomy {
	t.Helper()
	tax, err := taxonomy.LoadDefaultFS(os.DirFS("testdata/rank"), "tax")
	if err != nil {
		t.Fatal(err)
	}
	return tax
}

// cref builds a credential reference issued ageYears before rankNow.
func cref(id string, status credential.Status, trusted bool, ageYears float64) CredentialRef {
	return CredentialRef{
		ID: id, Name: "Badge " + id, Issuer: "Academy", IssuerID: "did:key:z" + id,
		Status: status, Trusted: trusted,
		IssuedAt: rankNow.Add(-time.Duration(ageYears * 365.25 * 24 * float64(time.Hour))),
	}
}

func aligned(comp string, c CredentialRef) Evidence {
	return Evidence{CompetencyID: comp, Credential: c, Link: LinkAlignment, Score: 1, Source: "urn:test:" + comp}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestRelations(t *testing.T) {
	tax := rankTax(t)
	p := DefaultPolicy()
	tests := []struct {
		required, evidenced string
		rel                 Relation
		dist                int
		factor              float64
	}{
		{"python", "python", RelExact, 0, 1.0},
		{"python", "django", RelNarrower, 1, 0.9},
		{"programming", "django", RelNarrower, 2, 0.9},
		{"python", "programming", RelBroader, 1, 0.5},
		{"django", "programming", RelNone, 0, 0}, // two levels up: beyond broader_depth 1
		{"sql", "data-analysis", RelRelated, 0, 0.4},
		{"data-analysis", "sql", RelRelated, 0, 0.4}, // related is symmetric
		{"python", "java", RelSibling, 0, 0.3},
		{"sql", "docker", RelNone, 0, 0}, // siblings only under a grouping node: not siblings
		{"python", "english", RelNone, 0, 0},
		{"python", "not-in-taxonomy", RelNone, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.required+"/"+tc.evidenced, func(t *testing.T) {
			rel, dist := Relate(tax, tc.required, tc.evidenced, p.BroaderDepth)
			if rel != tc.rel || dist != tc.dist {
				t.Fatalf("Relate = %q, %d; want %q, %d", rel, dist, tc.rel, tc.dist)
			}
			req := []Requirement{{CompetencyID: tc.required, Label: tc.required, Must: true, Weight: 1}}
			a := Applicant{ID: "a", Evidence: []Evidence{aligned(tc.evidenced, cref("c1", credential.StatusValid, true, 0))}}
			f := NewScorer(tax, req, p, rankNow).Assess(&a)
			if !near(f.Requirements[0].Fit, tc.factor) {
				t.Fatalf("fit = %v, want %v", f.Requirements[0].Fit, tc.factor)
			}
			c, ok := f.Best(0)
			if ok != (tc.factor > 0) {
				t.Fatalf("Best ok = %v, want %v", ok, tc.factor > 0)
			}
			if ok && (c.Relation != tc.rel || !near(c.Value, tc.factor)) {
				t.Fatalf("Best = %q %v, want %q %v", c.Relation, c.Value, tc.rel, tc.factor)
			}
		})
	}
}

func TestBroaderDepth(t *testing.T) {
	tax := rankTax(t)
	p := DefaultPolicy()
	p.BroaderDepth = 2
	req := []Requirement{{CompetencyID: "django", Weight: 1}}
	a := Applicant{ID: "a", Evidence: []Evidence{aligned("programming", cref("c", credential.StatusValid, true, 0))}}
	f := NewScorer(tax, req, p, rankNow).Assess(&a)
	if want := 0.25; !near(f.Requirements[0].Fit, want) {
		t.Fatalf("two levels broader with depth 2: fit %v, want %v (0.5²)", f.Requirements[0].Fit, want)
	}
	if rel, d := Relate(tax, "django", "programming", 2); rel != RelBroader || d != 2 {
		t.Fatalf("Relate = %q %d", rel, d)
	}
}

func TestVerificationStatuses(t *testing.T) {
	tax := rankTax(t)
	p := DefaultPolicy()
	tests := []struct {
		name    string
		ref     CredentialRef
		factor  float64
		outcome Outcome
		flag    Flags
	}{
		{"valid trusted", cref("c", credential.StatusValid, true, 0), 1, OutcomeMet, 0},
		{"valid untrusted", cref("c", credential.StatusValid, false, 0), 0.8, OutcomeMet, FlagUntrusted},
		{"unverifiable", cref("c", credential.StatusUnverifiable, false, 0), 0.5, OutcomeMet, FlagUnverifiable},
		{"not verified", cref("c", "", false, 0), 0.5, OutcomeMet, FlagUnverifiable},
		{"invalid", cref("c", credential.StatusInvalid, true, 0), 0, OutcomeMissing, FlagFailed},
		{"revoked", cref("c", credential.StatusRevoked, true, 0), 0, OutcomeMissing, FlagFailed},
		{"suspended", cref("c", credential.StatusSuspended, true, 0), 0, OutcomeMissing, FlagFailed},
		{"expired", cref("c", credential.StatusExpired, true, 0), 0, OutcomeMissing, FlagFailed},
		{"not yet valid", cref("c", credential.StatusNotYetValid, true, 0), 0, OutcomeMissing, FlagFailed},
		{"error", cref("c", credential.StatusError, true, 0), 0, OutcomeMissing, FlagFailed},
		{"validUntil passed since verification", func() CredentialRef {
			r := cref("c", credential.StatusValid, true, 0.5)
			r.ValidUntil = rankNow.Add(-time.Hour)
			return r
		}(), 0, OutcomeMissing, FlagFailed},
		{"validFrom ahead", func() CredentialRef {
			r := cref("c", credential.StatusValid, true, 0)
			r.ValidFrom = rankNow.Add(time.Hour)
			return r
		}(), 0, OutcomeMissing, FlagFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := []Requirement{{CompetencyID: "python", Label: "Python", Must: true, Weight: 1}}
			a := Applicant{ID: "a", Evidence: []Evidence{aligned("python", tc.ref)}}
			f := NewScorer(tax, req, p, rankNow).Assess(&a)
			r := f.Requirements[0]
			// Currency of a half-year-old credential is below 1; compare
			// with the verification factor times currency.
			cur, _ := p.CurrencyFactor(tc.ref.IssuedAt, rankNow)
			if !near(r.Fit, tc.factor*cur) || r.Outcome != tc.outcome {
				t.Fatalf("fit %v %s, want %v %s", r.Fit, r.Outcome, tc.factor*cur, tc.outcome)
			}
			var c Contribution
			if tc.factor > 0 {
				c, _ = f.Best(0)
			} else {
				var ok bool
				if c, ok = f.Rejected(0); !ok {
					t.Fatal("failed credential is not reported as rejected")
				}
				if d := f.Detail(0); d.Rejected == nil || !strings.Contains(d.Note, "does not count") {
					t.Fatalf("detail does not flag the failed credential: %+v", d)
				}
			}
			if tc.flag != 0 && !c.Flags.Has(tc.flag) {
				t.Fatalf("flags %v, want %v", c.Flags.Names(), Flags(tc.flag).Names())
			}
		})
	}
}

func TestAgeing(t *testing.T) {
	tax := rankTax(t)
	tests := []struct {
		name     string
		halfLife float64
		age      float64 // years; negative = undated
		want     float64
		flag     Flags
	}{
		{"fresh", 5, 0, 1, 0},
		{"one half-life", 5, 5, 0.5, 0},
		{"two half-lives", 5, 10, 0.25, FlagOld},
		{"shorter half-life", 2, 4, 0.25, FlagOld},
		{"ageing off", 0, 30, 1, 0},
		{"undated", 5, -1, 0.8, FlagUndated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultPolicy()
			p.HalfLifeYears = tc.halfLife
			ref := cref("c", credential.StatusValid, true, tc.age)
			if tc.age < 0 {
				ref.IssuedAt = time.Time{}
			}
			req := []Requirement{{CompetencyID: "python", Weight: 1}}
			a := Applicant{ID: "a", Evidence: []Evidence{aligned("python", ref)}}
			f := NewScorer(tax, req, p, rankNow).Assess(&a)
			if math.Abs(f.Requirements[0].Fit-tc.want) > 1e-6 {
				t.Fatalf("fit %v, want %v", f.Requirements[0].Fit, tc.want)
			}
			c, _ := f.Best(0)
			if tc.flag != 0 && !c.Flags.Has(tc.flag) {
				t.Fatalf("flags %v, want %v", c.Flags.Names(), tc.flag.Names())
			}
		})
	}
}

func TestLevelYearsVolumeLink(t *testing.T) {
	tax := rankTax(t)
	p := DefaultPolicy()
	tests := []struct {
		name string
		req  Requirement
		mod  func(*Evidence)
		want float64
		flag Flags
	}{
		{"no level asked", Requirement{}, func(e *Evidence) { e.Credential.Level = LevelBasic }, 1, 0},
		{"level met", Requirement{MinLevel: LevelAdvanced}, func(e *Evidence) { e.Credential.Level = LevelExpert }, 1, 0},
		{"one level short", Requirement{MinLevel: LevelAdvanced}, func(e *Evidence) { e.Credential.Level = LevelIntermediate }, 0.7, FlagLevelBelow},
		{"two levels short", Requirement{MinLevel: LevelAdvanced}, func(e *Evidence) { e.Credential.Level = LevelBasic }, 0.49, FlagLevelBelow},
		{"level unknown", Requirement{MinLevel: LevelAdvanced}, func(e *Evidence) {}, 0.9, FlagLevelUnknown},
		{"years asked", Requirement{MinYears: 3}, func(e *Evidence) {}, 0.9, FlagYearsUnproven},
		{"small workload", Requirement{}, func(e *Evidence) { e.Credential.Credits = 2.5 }, 0.9, FlagSmall},
		{"full workload", Requirement{}, func(e *Evidence) { e.Credential.Credits = 6 }, 1, 0},
		{"text link", Requirement{}, func(e *Evidence) { e.Link, e.Score, e.Source = LinkText, 0.8, "name" }, 0.8, FlagTextLink},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req
			req.CompetencyID, req.Weight = "python", 1
			e := aligned("python", cref("c", credential.StatusValid, true, 0))
			tc.mod(&e)
			a := Applicant{ID: "a", Evidence: []Evidence{e}}
			f := NewScorer(tax, []Requirement{req}, p, rankNow).Assess(&a)
			if !near(f.Requirements[0].Fit, tc.want) {
				t.Fatalf("fit %v, want %v", f.Requirements[0].Fit, tc.want)
			}
			c, _ := f.Best(0)
			if !c.Flags.Has(tc.flag) || (tc.flag == 0 && c.Flags != 0) {
				t.Fatalf("flags %v, want %v", c.Flags.Names(), tc.flag.Names())
			}
			if !near(c.Value, f.Requirements[0].Fit) {
				t.Fatalf("Credit says %v, ranking %v: the two must agree", c.Value, f.Requirements[0].Fit)
			}
		})
	}
}

func TestCorroboration(t *testing.T) {
	tax := rankTax(t)
	p := DefaultPolicy()
	req := []Requirement{{CompetencyID: "python", Weight: 1}}
	tests := []struct {
		name    string
		ev      []Evidence
		fit     float64
		corrobs int32
	}{
		{"one", []Evidence{aligned("python", cref("a", credential.StatusValid, false, 0))}, 0.8, 0},
		{"two", []Evidence{
			aligned("python", cref("a", credential.StatusValid, false, 0)),
			aligned("python", cref("b", credential.StatusUnverifiable, false, 0)),
		}, 0.85, 1},
		{"many, capped", []Evidence{
			aligned("python", cref("a", credential.StatusValid, false, 0)),
			aligned("python", cref("b", credential.StatusValid, false, 0)),
			aligned("python", cref("c", credential.StatusValid, false, 0)),
			aligned("python", cref("d", credential.StatusValid, false, 0)),
		}, 0.9, 3},
		{"never above 1", []Evidence{
			aligned("python", cref("a", credential.StatusValid, true, 0)),
			aligned("python", cref("b", credential.StatusValid, true, 0)),
		}, 1, 1},
		{"same credential twice counts once", []Evidence{
			aligned("django", cref("a", credential.StatusValid, false, 0)),
			aligned("python", cref("a", credential.StatusValid, false, 0)),
		}, 0.8, 0},
		{"revoked does not corroborate", []Evidence{
			aligned("python", cref("a", credential.StatusValid, false, 0)),
			aligned("python", cref("b", credential.StatusRevoked, true, 0)),
		}, 0.8, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := Applicant{ID: "x", Evidence: tc.ev}
			f := NewScorer(tax, req, p, rankNow).Assess(&a)
			r := f.Requirements[0]
			if !near(r.Fit, tc.fit) || r.Corroborating != tc.corrobs {
				t.Fatalf("fit %v with %d corroborating, want %v with %d", r.Fit, r.Corroborating, tc.fit, tc.corrobs)
			}
		})
	}
}

func TestKnockOut(t *testing.T) {
	tax := rankTax(t)
	reqs := []Requirement{
		{CompetencyID: "python", Label: "Python", Must: true, Weight: 1},
		{CompetencyID: "sql", Label: "SQL", Weight: 0.5},
		{CompetencyID: "docker", Label: "Docker", Weight: 0.5},
		{CompetencyID: "english", Label: "English", Weight: 0.5},
	}
	applicants := []Applicant{
		// All assets, no must-have: 60 points but knocked out.
		{ID: "assets", Evidence: []Evidence{
			aligned("sql", cref("a1", credential.StatusValid, true, 0)),
			aligned("docker", cref("a2", credential.StatusValid, true, 0)),
			aligned("english", cref("a3", credential.StatusValid, true, 0)),
		}},
		// Must-have only: 40 points.
		{ID: "must", Evidence: []Evidence{aligned("python", cref("m1", credential.StatusValid, true, 0))}},
		// Must-have partly (broader, unverifiable: 0.25 < 0.5): knocked out.
		{ID: "partly", Evidence: []Evidence{aligned("programming", cref("p1", credential.StatusUnverifiable, false, 0))}},
		{ID: "nothing"},
	}
	tests := []struct {
		knockOut bool
		order    []string
		knocked  map[string]bool
	}{
		{true, []string{"must", "assets", "partly", "nothing"}, map[string]bool{"assets": true, "partly": true, "nothing": true}},
		{false, []string{"assets", "must", "partly", "nothing"}, map[string]bool{}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint("knock_out=", tc.knockOut), func(t *testing.T) {
			p := DefaultPolicy()
			p.KnockOut = tc.knockOut
			fits := Rank(reqs, applicants, p, tax, rankNow)
			var got []string
			for i, f := range fits {
				got = append(got, f.Applicant)
				if f.Rank != i+1 {
					t.Errorf("%s: Rank %d at position %d", f.Applicant, f.Rank, i+1)
				}
				if f.KnockedOut != tc.knocked[f.Applicant] {
					t.Errorf("%s: knocked out %v, want %v", f.Applicant, f.KnockedOut, tc.knocked[f.Applicant])
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.order, ",") {
				t.Fatalf("order %v, want %v", got, tc.order)
			}
		})
	}
	fits := Rank(reqs, applicants, DefaultPolicy(), tax, rankNow)
	if fits[0].Score != 40 || fits[1].Score != 60 {
		t.Fatalf("scores %v, %v; want 40 and 60", fits[0].Score, fits[1].Score)
	}
	if !strings.Contains(fits[1].Explanation(), "A must-have is not met") {
		t.Fatalf("knocked-out explanation does not say so: %s", fits[1].Explanation())
	}
}

func TestTieOrder(t *testing.T) {
	tax := rankTax(t)
	p := DefaultPolicy()
	p.KnockOut = false
	reqs := []Requirement{
		{CompetencyID: "python", Label: "Python", Must: true, Weight: 1},
		{CompetencyID: "sql", Label: "SQL", Weight: 1},
	}
	valid := func(id, comp string) Evidence { return aligned(comp, cref(id, credential.StatusValid, true, 0)) }
	applicants := []Applicant{
		{ID: "zed", Evidence: []Evidence{valid("z1", "python")}},
		{ID: "amy", Evidence: []Evidence{valid("a1", "python")}},
		{ID: "bob", Evidence: []Evidence{valid("b1", "sql")}}, // same score, no must-have
		{ID: "cat", Evidence: []Evidence{valid("c1", "python")}, Credentials: []CredentialRef{
			cref("c1", credential.StatusValid, true, 0), cref("c2", credential.StatusValid, false, 1), cref("c3", credential.StatusRevoked, true, 1),
		}},
	}
	fits := Rank(reqs, applicants, p, tax, rankNow)
	var got []string
	for _, f := range fits {
		got = append(got, f.Applicant)
		if f.Score != 50 {
			t.Fatalf("%s scores %v, want 50", f.Applicant, f.Score)
		}
	}
	if want := "cat,amy,zed,bob"; strings.Join(got, ",") != want {
		t.Fatalf("order %v, want %s", got, want)
	}
	wantTie := []string{"", "more verified credentials (2 against 1)", "order is by applicant ID (amy before zed)", "more must-haves met (1 against 0)"}
	for i, f := range fits {
		if (wantTie[i] == "") != (f.TieBreak() == "") || !strings.Contains(f.TieBreak(), wantTie[i]) {
			t.Errorf("%s: tie-break %q, want it to mention %q", f.Applicant, f.TieBreak(), wantTie[i])
		}
	}
	// The order does not depend on the input order.
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 1))
		shuffled := append([]Applicant(nil), applicants...)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		var again []string
		for _, f := range Rank(reqs, shuffled, p, tax, rankNow) {
			again = append(again, f.Applicant)
		}
		if strings.Join(again, ",") != strings.Join(got, ",") {
			t.Fatalf("seed %d: order %v, want %v", seed, again, got)
		}
	}
}

func TestNameDoesNotScore(t *testing.T) {
	tax := rankTax(t)
	reqs := []Requirement{{CompetencyID: "python", Must: true, Weight: 1}}
	ev := []Evidence{aligned("python", cref("c", credential.StatusValid, false, 2))}
	a := NewScorer(tax, reqs, DefaultPolicy(), rankNow).Assess(&Applicant{ID: "1", Name: "Aïcha Benali", Evidence: ev})
	b := NewScorer(tax, reqs, DefaultPolicy(), rankNow).Assess(&Applicant{ID: "2", Name: "John Smith", Evidence: ev})
	if a.Score != b.Score || a.Requirements[0].Fit != b.Requirements[0].Fit {
		t.Fatalf("same evidence, different names, different scores: %v vs %v", a.Score, b.Score)
	}
}

// randomApplicant draws an applicant with up to n credentials, each
// evidencing one to three competencies of comps.
func randomApplicant(r *rand.Rand, id string, n int, comps []string) Applicant {
	statuses := []credential.Status{credential.StatusValid, credential.StatusValid, credential.StatusUnverifiable, credential.StatusRevoked, credential.StatusExpired}
	levels := []Level{LevelNone, LevelBasic, LevelIntermediate, LevelAdvanced, LevelExpert}
	a := Applicant{ID: id}
	for c := range r.IntN(n + 1) {
		ref := cref(fmt.Sprintf("%s-c%d", id, c), statuses[r.IntN(len(statuses))], r.IntN(2) == 0, r.Float64()*12)
		ref.Level = levels[r.IntN(len(levels))]
		if r.IntN(3) == 0 {
			ref.Credits = r.Float64() * 8
		}
		for range 1 + r.IntN(3) {
			e := aligned(comps[r.IntN(len(comps))], ref)
			if r.IntN(3) == 0 {
				e.Link, e.Score = LinkText, 0.5+r.Float64()/2
			}
			a.Evidence = append(a.Evidence, e)
		}
	}
	return a
}

// TestAddingValidCredentialNeverLowers is the property test: for random
// requirements, policies and applicants, adding a valid credential (with
// any evidence) never lowers the score nor the fit of any requirement, and
// never turns a met must-have into a knock-out.
func TestAddingValidCredentialNeverLowers(t *testing.T) {
	tax := rankTax(t)
	var comps []string
	for _, c := range tax.Competencies() {
		comps = append(comps, c.ID)
	}
	r := rand.New(rand.NewPCG(2026, 6))
	levels := []Level{LevelNone, LevelBasic, LevelIntermediate, LevelAdvanced, LevelExpert}
	for trial := range 2000 {
		p := DefaultPolicy()
		p.CorroborationBonus = r.Float64() * 0.3
		p.CorroborationCap = r.Float64() * 0.3
		p.HalfLifeYears = r.Float64() * 8
		p.BroaderDepth = r.IntN(3)
		var reqs []Requirement
		for range 1 + r.IntN(6) {
			reqs = append(reqs, Requirement{CompetencyID: comps[r.IntN(len(comps))], Must: r.IntN(2) == 0, Weight: 0.1 + r.Float64()*0.9, MinLevel: levels[r.IntN(len(levels))]})
		}
		s := NewScorer(tax, reqs, p, rankNow)
		a := randomApplicant(r, "a", 5, comps)
		before := s.Assess(&a)
		extra := randomApplicant(r, "extra", 3, comps)
		for i := range extra.Evidence {
			extra.Evidence[i].Credential.Status = credential.StatusValid
			extra.Evidence[i].Credential.ID = "zz-new" // one new credential
		}
		b := a
		b.Evidence = append(append([]Evidence(nil), a.Evidence...), extra.Evidence...)
		after := s.Assess(&b)
		if after.Score < before.Score {
			t.Fatalf("trial %d: score fell from %v to %v after adding a valid credential", trial, before.Score, after.Score)
		}
		for i := range reqs {
			if after.Requirements[i].Fit < before.Requirements[i].Fit-1e-12 {
				t.Fatalf("trial %d: fit of %s fell from %v to %v", trial, reqs[i].CompetencyID, before.Requirements[i].Fit, after.Requirements[i].Fit)
			}
		}
		if after.MustMet < before.MustMet || (after.KnockedOut && !before.KnockedOut) {
			t.Fatalf("trial %d: must-haves met fell from %d to %d", trial, before.MustMet, after.MustMet)
		}
	}
}

// TestIndexAgreesWithRelate checks the precomputed relation index against
// Relate for every pair of the test taxonomy, and for every 25th required
// competency of the default taxonomy against all others.
func TestIndexAgreesWithRelate(t *testing.T) {
	def, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		tax  *taxonomy.Taxonomy
		step int
	}{{"test", rankTax(t), 1}, {"default", def, 25}} {
		t.Run(tc.name, func(t *testing.T) { indexAgreesWithRelate(t, tc.tax, tc.step) })
	}
}

func indexAgreesWithRelate(t *testing.T, tax *taxonomy.Taxonomy, step int) {
	p := DefaultPolicy()
	for i, req := range tax.Competencies() {
		if i%step != 0 {
			continue
		}
		s := NewScorer(tax, []Requirement{{CompetencyID: req.ID, Weight: 1}}, p, rankNow)
		for _, ev := range tax.Competencies() {
			rel, dist := Relate(tax, req.ID, ev.ID, p.BroaderDepth)
			var got relHit
			for _, h := range s.index[ev.ID] {
				got = h
			}
			if got.rel.relation() != rel || (rel != RelNone && int(got.dist) != dist) {
				t.Errorf("%s ← %s: index %q %d, Relate %q %d", req.ID, ev.ID, got.rel.relation(), got.dist, rel, dist)
			}
		}
	}
}

func TestExplanation(t *testing.T) {
	tax := rankTax(t)
	reqs := []Requirement{
		{CompetencyID: "python", Label: "Python", Must: true, Weight: 1},
		{CompetencyID: "sql", Label: "SQL", Must: true, Weight: 1},
		{CompetencyID: "docker", Label: "Docker", Weight: 0.5},
		{CompetencyID: "programming", Label: "programming", Weight: 0.5, MinLevel: LevelAdvanced},
	}
	py := cref("py", credential.StatusValid, true, 2)
	py.Name, py.Issuer = "Python for Data Work", "Northwind Academy"
	db := cref("db", credential.StatusRevoked, true, 1)
	db.Name, db.Issuer = "Databases 101", "Harbour College"
	dj := aligned("django", cref("dj", credential.StatusValid, false, 0.5))
	dj.Credential.Name, dj.Credential.Issuer = "Web apps with Django", "Quick Courses"
	a := Applicant{ID: "app-1", Name: "Lena Okafor", Evidence: []Evidence{aligned("python", py), aligned("sql", db), dj}}
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			s := NewScorer(tax, reqs, DefaultPolicy(), rankNow).WithLanguage(lang)
			fits, err := RankContext(context.Background(), s, []Applicant{a}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			got.WriteString(fits[0].Explanation() + "\n")
			for _, d := range fits[0].Details() {
				got.WriteString(d.Note + "\n")
			}
			file := "testdata/rank/explanation-" + lang + ".golden"
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Fatalf("explanation:\n%s\nwant (%s):\n%s", got.String(), file, want)
			}
		})
	}
	fits := Rank(reqs, []Applicant{a}, DefaultPolicy(), tax, rankNow)
	gaps := fits[0].Gaps()
	if len(gaps) != 2 || gaps[0].ID != "sql" || gaps[1].ID != "docker" {
		t.Fatalf("gaps %+v, want sql (must) then docker (programming is met)", gaps)
	}
	if gaps[0].Rejected == nil || gaps[0].Rejected.Status != credential.StatusRevoked {
		t.Fatalf("the revoked credential is not flagged on the SQL gap: %+v", gaps[0])
	}
	d := fits[0].Detail(0)
	if d.Evidence == nil || d.Evidence.Relation != RelExact || d.Evidence.Evidence.Credential.Name != "Python for Data Work" || math.Abs(d.Evidence.AgeYears-2) > 0.01 {
		t.Fatalf("detail of Python: %+v", d)
	}
}

func TestPolicyJSON(t *testing.T) {
	tests := []struct {
		file    string
		wantErr string
		check   func(Policy) bool
	}{
		{"policy-partial.json", "", func(p Policy) bool {
			d := DefaultPolicy()
			return p.HalfLifeYears == 3 && !p.KnockOut && p.Relations.Broader == 0.6 && p.Relations.Exact == d.Relations.Exact
		}},
		{"policy-unknown-field.json", `unknown field "half_life"`, nil},
		{"policy-out-of-range.json", "relations.narrower is 1.5", nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			p, err := LoadPolicy("testdata/rank/" + tc.file)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), tc.file) {
					t.Fatalf("error %v, want it to name the file and contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(p) {
				t.Fatalf("policy %+v", p)
			}
		})
	}
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("default policy invalid: %v", err)
	}
}

func TestRankContextProgressAndCancel(t *testing.T) {
	tax := rankTax(t)
	reqs := []Requirement{{CompetencyID: "python", Must: true, Weight: 1}}
	applicants := make([]Applicant, 2500)
	for i := range applicants {
		applicants[i] = Applicant{ID: fmt.Sprintf("a%04d", i), Evidence: []Evidence{aligned("python", cref(fmt.Sprint(i), credential.StatusValid, true, float64(i%10)))}}
	}
	s := NewScorer(tax, reqs, DefaultPolicy(), rankNow)
	var seen []int
	fits, err := RankContext(context.Background(), s, applicants, func(done, total int) {
		if total != len(applicants) {
			t.Errorf("progress total %d", total)
		}
		seen = append(seen, done)
	})
	if err != nil || len(fits) != len(applicants) {
		t.Fatalf("RankContext: %d fits, %v", len(fits), err)
	}
	if want := []int{1000, 2000, 2500}; fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("progress %v, want %v", seen, want)
	}
	for i := 1; i < len(fits); i++ {
		if compareFits(&fits[i-1], &fits[i]) > 0 {
			t.Fatalf("not sorted at %d", i)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RankContext(ctx, s, applicants, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ranking returned %v, want context.Canceled", err)
	}
}
