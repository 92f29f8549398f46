package matcher

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// planTeam is Ana (forklift) and Ben (nothing) against a warehouse role.
func planTeam(t testing.TB, forkliftLevel Level) *GapAnalysis {
	t.Helper()
	tax := upskillTax(t)
	reqs := []Requirement{
		{CompetencyID: "forklift", Label: "forklift operation", Must: true, Weight: 1, MinLevel: forkliftLevel},
		{CompetencyID: "whmis", Label: "WHMIS", Must: true, Weight: 1},
		{CompetencyID: "rf-scanning", Label: "RF scanning", Weight: 0.5},
		{CompetencyID: "cpr", Label: "CPR", Must: true, Weight: 1},
	}
	people := []Applicant{
		{ID: "ana", Name: "Ana", Evidence: []Evidence{staffEvidence("forklift", func() CredentialRef {
			c := staffCred("a1", credential.StatusValid, true, 0)
			c.Level = LevelExpert
			return c
		}())}},
		{ID: "ben", Name: "Ben"},
	}
	return AnalyzeGaps(NewScorer(tax, reqs, DefaultPolicy(), upNow), people)
}

func planCatalogue() []CatalogueItem {
	return []CatalogueItem{
		{ID: "fl-basic", Title: "Forklift Basics", Provider: "Meridian", Competencies: []string{"forklift"}, Cost: 300, Hours: 5, Currency: "CAD", Format: "in-person", Language: "en", Level: "basic"},
		{ID: "rt-course", Title: "Reach Truck Operator", Provider: "Meridian", Competencies: []string{"reach-truck"}, Cost: 250, Hours: 6, Currency: "CAD", Format: "in-person", Language: "en", StackableInto: "Warehouse Certificate"},
		{ID: "wh-online", Title: "WHMIS Online", Provider: "SafeWork", Competencies: []string{"whmis"}, Cost: 40, Hours: 2, Currency: "CAD", Format: "online", Language: "en"},
		{ID: "wh-fr", Title: "SIMDUT en ligne", Provider: "SafeWork", Competencies: []string{"whmis"}, Cost: 30, Hours: 2, Currency: "CAD", Format: "online", Language: "fr"},
		{ID: "wms-101", Title: "WMS 101", Provider: "Meridian", Competencies: []string{"wms"}, Cost: 100, Hours: 4, Currency: "CAD", Format: "self-paced", Language: "en"},
		{ID: "logistics-intro", Title: "Intro to Logistics", Provider: "Meridian", Competencies: []string{"logistics"}, Cost: 80, Hours: 3, Currency: "CAD", Format: "online", Language: "en"},
	}
}

// stepsOf renders a plan's steps as "person:item>closed,closed".
func stepsOf(p *UpskillPlan) []string {
	var out []string
	for _, s := range p.Steps {
		var ids []string
		for _, c := range s.Closes {
			ids = append(ids, c.CompetencyID)
		}
		out = append(out, s.Person+":"+s.Item.ID+">"+strings.Join(ids, ","))
	}
	return out
}

// openOf renders a plan's open gaps as "person:competency=reason".
func openOf(p *UpskillPlan) []string {
	var out []string
	for _, o := range p.Open {
		out = append(out, fmt.Sprintf("%s:%s=%s", o.Person, o.CompetencyID, o.Reason))
	}
	return out
}

func TestPlanUpskilling(t *testing.T) {
	tests := []struct {
		name  string
		level Level
		opt   UpskillOptions
		steps []string
		open  []string
		cost  float64
		note  string // in the note of the first open gap of the given reason
	}{
		{
			name:  "no budget, cheapest: the narrower reach-truck course closes forklift, French WHMIS is cheapest",
			steps: []string{"ana:wh-fr>whmis", "ben:rt-course>forklift", "ben:wh-fr>whmis"},
			open:  []string{"ana:rf-scanning=weak-items", "ana:cpr=no-item", "ben:rf-scanning=weak-items", "ben:cpr=no-item"},
			cost:  310,
			note:  `"WMS 101", teaches wms (related), credited 0.40, below the 0.80 needed`,
		},
		{
			name:  "fewest hours picks the shorter forklift course",
			opt:   UpskillOptions{Minimise: MinimiseHours},
			steps: []string{"ana:wh-fr>whmis", "ben:fl-basic>forklift", "ben:wh-fr>whmis"},
			cost:  360,
		},
		{
			name:  "English only",
			opt:   UpskillOptions{Languages: []string{"en"}},
			steps: []string{"ana:wh-online>whmis", "ben:rt-course>forklift", "ben:wh-online>whmis"},
			cost:  330,
		},
		{
			name:  "online only leaves forklift open by constraint",
			opt:   UpskillOptions{Formats: []string{"online"}},
			steps: []string{"ana:wh-fr>whmis", "ben:wh-fr>whmis"},
			open:  []string{"ana:rf-scanning=weak-items", "ana:cpr=no-item", "ben:forklift=constraint", "ben:rf-scanning=weak-items", "ben:cpr=no-item"},
			cost:  60,
			note:  `excluded by the constraints: "Forklift Basics" would close it, but format in-person is not allowed`,
		},
		{
			name:  "a budget of 100 closes both WHMIS gaps, not forklift",
			opt:   UpskillOptions{Budget: 100},
			steps: []string{"ana:wh-fr>whmis", "ben:wh-fr>whmis"},
			open:  []string{"ana:rf-scanning=weak-items", "ana:cpr=no-item", "ben:forklift=budget", "ben:rf-scanning=weak-items", "ben:cpr=no-item"},
			cost:  60,
			note:  `over budget: the cheapest item that closes it, "Reach Truck Operator" (250 CAD), does not fit the 40 CAD left`,
		},
		{
			name:  "a budget of 300: forklift and one WHMIS close no more than both WHMIS, which cost less",
			opt:   UpskillOptions{Budget: 300},
			steps: []string{"ana:wh-fr>whmis", "ben:wh-fr>whmis"},
			cost:  60,
		},
		{
			name:  "stackable only",
			opt:   UpskillOptions{Stacking: StackOnly},
			steps: []string{"ben:rt-course>forklift"},
			cost:  250,
			note:  "it does not stack toward a larger credential",
		},
		{
			name:  "a basic course is a level short of intermediate; an unstated level still closes (0.9 × 0.9)",
			level: LevelIntermediate,
			steps: []string{"ana:wh-fr>whmis", "ben:rt-course>forklift", "ben:wh-fr>whmis"},
			cost:  310,
		},
		{
			name:  "only the reach-truck course for an advanced requirement: basic is two levels short",
			level: LevelAdvanced,
			opt:   UpskillOptions{Minimise: MinimiseHours},
			steps: []string{"ana:wh-fr>whmis", "ben:rt-course>forklift", "ben:wh-fr>whmis"},
			cost:  310,
		},
		{
			name:  "a lower close threshold lets the broader logistics course count",
			opt:   UpskillOptions{CloseThreshold: 0.5, Formats: []string{"online"}},
			steps: []string{"ana:wh-fr>whmis", "ben:logistics-intro>forklift", "ben:wh-fr>whmis"},
			cost:  140,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := planTeam(t, tt.level)
			plan, err := PlanUpskilling(g, planCatalogue(), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := stepsOf(plan); !slices.Equal(got, tt.steps) {
				t.Errorf("steps %v, want %v", got, tt.steps)
			}
			if tt.open != nil && !slices.Equal(openOf(plan), tt.open) {
				t.Errorf("open %v, want %v", openOf(plan), tt.open)
			}
			if plan.Cost != tt.cost || plan.Currency != "CAD" || !plan.Exact {
				t.Errorf("cost %v %s exact %v, want %v CAD exact", plan.Cost, plan.Currency, plan.Exact, tt.cost)
			}
			if plan.Gaps != len(plan.Open)+plan.Closed {
				t.Errorf("%d gaps, %d closed + %d open", plan.Gaps, plan.Closed, len(plan.Open))
			}
			if tt.note != "" && !slices.ContainsFunc(plan.Open, func(o OpenGap) bool { return strings.Contains(o.Note, tt.note) }) {
				t.Errorf("no open gap says %q: %+v", tt.note, plan.Open)
			}
			for _, s := range plan.Steps {
				for _, c := range s.Closes {
					if c.Credit < DefaultCloseThreshold && tt.opt.CloseThreshold == 0 {
						t.Errorf("%s closes %s with credit %v", s.Item.ID, c.CompetencyID, c.Credit)
					}
				}
			}
			if plan.Summary() == "" {
				t.Error("empty summary")
			}
		})
	}
}

func TestPlanExplainsRelation(t *testing.T) {
	plan, err := PlanUpskilling(planTeam(t, ""), planCatalogue(), UpskillOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range plan.Steps {
		if s.Item.ID != "rt-course" {
			continue
		}
		c := s.Closes[0]
		if c.Via != "reach-truck" || c.Relation != RelNarrower || c.Credit != 0.9 || c.Before != OutcomeMissing || !c.Must {
			t.Errorf("rt-course closes %+v, want forklift via the narrower reach-truck at 0.9", c)
		}
		return
	}
	t.Fatal("rt-course not chosen")
}

func TestPlanUpskillingErrors(t *testing.T) {
	g := planTeam(t, "")
	mixed := append(planCatalogue(), CatalogueItem{ID: "eu", Title: "EU course", Competencies: []string{"cpr"}, Cost: 10, Currency: "EUR"})
	tests := []struct {
		name string
		g    *GapAnalysis
		cat  []CatalogueItem
		opt  UpskillOptions
		want string
	}{
		{"no analysis", nil, planCatalogue(), UpskillOptions{}, "AnalyzeGaps"},
		{"bad objective", g, planCatalogue(), UpskillOptions{Minimise: "fun"}, `minimise "fun"`},
		{"bad stacking", g, planCatalogue(), UpskillOptions{Stacking: "always"}, `stacking "always"`},
		{"negative budget", g, planCatalogue(), UpskillOptions{Budget: -5}, "budget -5"},
		{"bad format", g, planCatalogue(), UpskillOptions{Formats: []string{"carrier pigeon"}}, `format "carrier pigeon"`},
		{"threshold above 1", g, planCatalogue(), UpskillOptions{CloseThreshold: 1.5}, "close threshold 1.5"},
		{"mixed currencies", g, mixed, UpskillOptions{}, "mixes currencies (CAD, EUR)"},
	}
	for _, tt := range tests {
		if _, err := PlanUpskilling(tt.g, tt.cat, tt.opt); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
	}
}

// bruteForcePlan computes the best plan by enumeration, independently of
// PlanUpskilling: options from Relate and Policy.Credit, every subset
// tried. It returns the best closed weight and, for it, the least price.
func bruteForcePlan(t *testing.T, tax *taxonomy.Taxonomy, g *GapAnalysis, cat []CatalogueItem, opt UpskillOptions) (closed, price float64) {
	t.Helper()
	p := DefaultPolicy()
	type option struct {
		price  float64
		closes []int
	}
	var gaps []float64
	gapID := map[[2]int]int{}
	for pi, pg := range g.People {
		for j, d := range pg.Requirements {
			if d.Outcome != OutcomeMet {
				gapID[[2]int{pi, j}] = len(gaps)
				gaps = append(gaps, p.requirementWeight(&g.Requirements[j]))
			}
		}
	}
	var opts []option
	for pi := range g.People {
		for _, it := range cat {
			if len(opt.Formats) > 0 && !slices.Contains(opt.Formats, it.Format) {
				continue
			}
			o := option{price: it.Cost}
			if opt.Minimise == MinimiseHours {
				o.price = it.Hours
			}
			for j, req := range g.Requirements {
				gi, ok := gapID[[2]int{pi, j}]
				if !ok {
					continue
				}
				for _, c := range it.Competencies {
					rel, dist := Relate(tax, req.CompetencyID, c, p.BroaderDepth)
					ev := Evidence{CompetencyID: c, Link: LinkAlignment, Score: 1, Credential: CredentialRef{Status: credential.StatusValid, Trusted: true, IssuedAt: upNow, Level: catalogueLevel(it.Level)}}
					if p.Credit(&req, rel, dist, ev, upNow).Value >= DefaultCloseThreshold {
						o.closes = append(o.closes, gi)
						break
					}
				}
			}
			if len(o.closes) > 0 {
				opts = append(opts, o)
			}
		}
	}
	if len(opts) > 16 {
		t.Fatalf("%d options: too many to enumerate", len(opts))
	}
	closed, price = 0, 0
	for mask := 0; mask < 1<<len(opts); mask++ {
		done := make([]bool, len(gaps))
		c, pr := 0.0, 0.0
		for i, o := range opts {
			if mask&(1<<i) == 0 {
				continue
			}
			pr += o.price
			for _, gi := range o.closes {
				if !done[gi] {
					done[gi] = true
					c += gaps[gi]
				}
			}
		}
		if opt.Budget > 0 && pr > opt.Budget+1e-9 {
			continue
		}
		if c > closed+1e-9 || (math.Abs(c-closed) <= 1e-9 && pr < price-1e-9) {
			closed, price = c, pr
		}
	}
	return closed, price
}

// TestPlanOptimalAgainstBruteForce: on small random teams and catalogues,
// the plan closes as much weight as the best subset of options, at the
// least price.
func TestPlanOptimalAgainstBruteForce(t *testing.T) {
	tax := upskillTax(t)
	var comps []string
	for _, c := range tax.Competencies() {
		comps = append(comps, c.ID)
	}
	formats := []string{"online", "in-person", "self-paced"}
	levels := []string{"", "", "basic", "intermediate", "advanced"}
	r := rand.New(rand.NewPCG(40, 2))
	nontrivial, binding := 0, 0
	for round := range 150 {
		var reqs []Requirement
		for i := range 2 + r.IntN(3) {
			req := Requirement{CompetencyID: comps[r.IntN(len(comps))], Must: i%2 == 0, Weight: 0.5 + float64(r.IntN(3))/4}
			if r.IntN(4) == 0 {
				req.MinLevel = LevelIntermediate
			}
			reqs = append(reqs, req)
		}
		var people []Applicant
		for p := range 1 + r.IntN(2) {
			people = append(people, randomStaff(r, fmt.Sprintf("p%d", p), 3, comps))
		}
		var cat []CatalogueItem
		for k := range 3 + r.IntN(4) {
			it := CatalogueItem{ID: fmt.Sprintf("item%d", k), Title: fmt.Sprintf("Item %d", k), Cost: float64(20 + r.IntN(300)), Hours: float64(1 + r.IntN(30)), Format: formats[r.IntN(len(formats))], Level: levels[r.IntN(len(levels))]}
			for range 1 + r.IntN(2) {
				it.Competencies = append(it.Competencies, comps[r.IntN(len(comps))])
			}
			slices.Sort(it.Competencies)
			it.Competencies = slices.Compact(it.Competencies)
			if r.IntN(3) == 0 {
				it.StackableInto = "Certificate"
			}
			cat = append(cat, it)
		}
		opt := UpskillOptions{}
		if r.IntN(2) == 0 {
			opt.Minimise = MinimiseHours
		}
		if r.IntN(3) > 0 {
			opt.Budget = float64(10 + r.IntN(400))
			if opt.Minimise == MinimiseHours {
				opt.Budget = float64(1 + r.IntN(40))
			}
		}
		if r.IntN(4) == 0 {
			opt.Formats = []string{"online", "self-paced"}
		}
		g := AnalyzeGaps(NewScorer(tax, reqs, DefaultPolicy(), upNow), people)
		plan, err := PlanUpskilling(g, cat, opt)
		if err != nil {
			t.Fatal(err)
		}
		wantClosed, wantPrice := bruteForcePlan(t, tax, g, cat, opt)
		gotPrice := plan.Cost
		if opt.Minimise == MinimiseHours {
			gotPrice = plan.Hours
		}
		if math.Abs(plan.ClosedWeight-wantClosed) > 1e-9 || math.Abs(gotPrice-wantPrice) > 1e-9 || !plan.Exact {
			t.Fatalf("round %d: plan closes %v for %v (exact %v), brute force %v for %v\nsteps %v\nopen %v", round, plan.ClosedWeight, gotPrice, plan.Exact, wantClosed, wantPrice, stepsOf(plan), openOf(plan))
		}
		if opt.Budget > 0 && gotPrice > opt.Budget+1e-9 {
			t.Fatalf("round %d: plan spends %v of %v", round, gotPrice, opt.Budget)
		}
		if wantClosed > 0 {
			nontrivial++
		}
		if slices.ContainsFunc(plan.Open, func(o OpenGap) bool { return o.Reason == ReasonBudget }) {
			binding++
		}
	}
	// The instances must exercise the search: most close something, and
	// the budget binds in some.
	t.Logf("%d of 150 rounds close a gap; the budget binds in %d", nontrivial, binding)
	if nontrivial < 75 || binding < 15 {
		t.Errorf("%d rounds close a gap and the budget binds in %d: the random instances are too easy", nontrivial, binding)
	}
}

// TestPlanPerPersonMatchesJoint: without a budget, solving each person on
// their own gives the same totals as one joint instance.
func TestPlanPerPersonMatchesJoint(t *testing.T) {
	g := planTeam(t, "")
	per, err := PlanUpskilling(g, planCatalogue(), UpskillOptions{})
	if err != nil {
		t.Fatal(err)
	}
	joint, err := PlanUpskilling(g, planCatalogue(), UpskillOptions{Budget: 1e9})
	if err != nil {
		t.Fatal(err)
	}
	if per.ClosedWeight != joint.ClosedWeight || per.Cost != joint.Cost || !slices.Equal(stepsOf(per), stepsOf(joint)) {
		t.Errorf("per person %v, joint %v", stepsOf(per), stepsOf(joint))
	}
	if !strings.Contains(per.Method, "each of 2 people") || !strings.Contains(joint.Method, "branch and bound over") {
		t.Errorf("methods %q / %q", per.Method, joint.Method)
	}
}

// TestPlanDominance: an option no better than another for the same person
// is dropped before the search.
func TestPlanDominance(t *testing.T) {
	cat := append(planCatalogue(),
		CatalogueItem{ID: "wh-dear", Title: "WHMIS deluxe", Competencies: []string{"whmis"}, Cost: 90, Hours: 3, Currency: "CAD"},
		CatalogueItem{ID: "wh-twin", Title: "SIMDUT twin", Competencies: []string{"whmis"}, Cost: 30, Hours: 2, Currency: "CAD", Language: "fr"},
	)
	for _, tt := range []struct {
		minimise   Objective
		candidates int
		want       []string
	}{
		// Minimising cost, the reach-truck course (250) dominates the
		// forklift course (300): it closes the same gap for less. The
		// dearer WHMIS course is dominated, and so is the twin with a
		// later ID.
		{MinimiseCost, 3, []string{"ana:wh-fr>whmis", "ben:rt-course>forklift", "ben:wh-fr>whmis"}},
		// Minimising hours, the forklift course (5 h) is shorter but the
		// reach-truck course stacks: neither dominates.
		{MinimiseHours, 4, []string{"ana:wh-fr>whmis", "ben:fl-basic>forklift", "ben:wh-fr>whmis"}},
	} {
		plan, err := PlanUpskilling(planTeam(t, ""), cat, UpskillOptions{Minimise: tt.minimise})
		if err != nil {
			t.Fatal(err)
		}
		if plan.Candidates != tt.candidates || !slices.Equal(stepsOf(plan), tt.want) {
			t.Errorf("minimise %s: %d candidates, steps %v; want %d candidates, %v", tt.minimise, plan.Candidates, stepsOf(plan), tt.candidates, tt.want)
		}
	}
}

func TestCatalogueLevel(t *testing.T) {
	for in, want := range map[string]Level{"": LevelNone, "Intermediate": LevelIntermediate, "EQF 5": LevelAdvanced, "EQF level 2": LevelBasic, "avancé": LevelAdvanced, "expert": LevelExpert, "whatever": LevelNone} {
		if got := catalogueLevel(in); got != want {
			t.Errorf("catalogueLevel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlanPreferLanguage(t *testing.T) {
	cat := append(planCatalogue(), CatalogueItem{ID: "wh-zz-en", Title: "WHMIS (English)", Competencies: []string{"whmis"}, Cost: 30, Hours: 2, Currency: "CAD", Format: "online", Language: "en"})
	for _, tt := range []struct {
		prefer string
		want   string
	}{{"", "wh-fr"}, {"fr", "wh-fr"}, {"en", "wh-zz-en"}} {
		plan, err := PlanUpskilling(planTeam(t, ""), cat, UpskillOptions{PreferLanguage: tt.prefer})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range plan.Steps {
			if s.Closes[0].CompetencyID == "whmis" && s.Item.ID != tt.want {
				t.Errorf("prefer %q: %s gets %s for WHMIS, want %s", tt.prefer, s.Person, s.Item.ID, tt.want)
			}
		}
	}
}

func TestPlanWriteCSV(t *testing.T) {
	plan, err := PlanUpskilling(planTeam(t, ""), planCatalogue(), UpskillOptions{Budget: 100})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := plan.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+plan.Closed+len(plan.Open) || rows[0][0] != "row" {
		t.Fatalf("%d rows for %d closed and %d open gaps:\n%s", len(rows), plan.Closed, len(plan.Open), b.String())
	}
	var cost float64
	for _, r := range rows[1:] {
		if r[0] == "closes" && r[9] != "" {
			v, _ := strconv.ParseFloat(r[9], 64)
			cost += v
		}
		if r[0] == "open" && (r[19] == "" || r[20] == "") {
			t.Errorf("open row without reason or note: %v", r)
		}
	}
	if cost != plan.Cost {
		t.Errorf("cost column sums to %v, plan costs %v", cost, plan.Cost)
	}
}

func TestPruneOptions(t *testing.T) {
	cost := func(o *PlanOption) float64 { return o.Cost }
	byItem := func(opts []PlanOption) func(a, b int) int {
		return func(a, b int) int { return strings.Compare(opts[a].Item, opts[b].Item) }
	}
	tests := []struct {
		name string
		opts []PlanOption
		want []string // kept items, in price order
	}{
		{"a bundle dearer than its parts goes", []PlanOption{
			{Item: "bundle", Cost: 100, Closes: []int{0, 1}}, {Item: "a", Cost: 30, Closes: []int{0}}, {Item: "b", Cost: 40, Closes: []int{1}},
		}, []string{"a", "b"}},
		{"a bundle cheaper than its parts stays, and dominates a dearer part", []PlanOption{
			{Item: "bundle", Cost: 60, Closes: []int{0, 1}}, {Item: "a", Cost: 30, Closes: []int{0}}, {Item: "b", Cost: 70, Closes: []int{1}},
		}, []string{"a", "bundle"}},
		{"a bundle costing exactly its parts stays (ties are SolvePlan's)", []PlanOption{
			{Item: "bundle", Cost: 70, Closes: []int{0, 1}}, {Item: "a", Cost: 30, Closes: []int{0}}, {Item: "b", Cost: 40, Closes: []int{1}},
		}, []string{"a", "b", "bundle"}},
		{"equal options: the first by the tie-break", []PlanOption{
			{Item: "y", Cost: 30, Closes: []int{0}}, {Item: "x", Cost: 30, Closes: []int{0}},
		}, []string{"x"}},
		{"a stackable option is not dominated by a cheaper plain one", []PlanOption{
			{Item: "plain", Cost: 30, Closes: []int{0}}, {Item: "stack", Cost: 50, Closes: []int{0}, Stackable: true}, {Item: "dear", Cost: 60, Closes: []int{0}},
		}, []string{"plain", "stack"}},
	}
	for _, tt := range tests {
		var got []string
		for _, i := range pruneOptions(tt.opts, byItem(tt.opts), cost) {
			got = append(got, tt.opts[i].Item)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: kept %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestPlanLargeTeamInvariants: on the benchmark's team of 200 and
// catalogue of 2,000, with a budget (one instance, greedy), the plan stays
// within the budget, closes each gap once, explains every open gap, and
// without a budget closes every gap some allowed item can close.
func TestPlanLargeTeamInvariants(t *testing.T) {
	if testing.Short() {
		t.Skip("plans for 200 people")
	}
	s, people, cat := upskillBench(t)
	g := AnalyzeGaps(s, people)
	for _, opt := range []UpskillOptions{{Budget: 20000}, {}, {Minimise: MinimiseHours, Budget: 500, Formats: []string{"online"}}} {
		plan, err := PlanUpskilling(g, cat, opt)
		if err != nil {
			t.Fatal(err)
		}
		price := plan.Cost
		if opt.Minimise == MinimiseHours {
			price = plan.Hours
		}
		if opt.Budget > 0 && price > opt.Budget+1e-6 {
			t.Errorf("%+v: spends %v", opt, price)
		}
		if plan.Closed+len(plan.Open) != plan.Gaps || plan.Closed == 0 {
			t.Errorf("%+v: %d closed + %d open != %d gaps", opt, plan.Closed, len(plan.Open), plan.Gaps)
		}
		seen := map[string]bool{}
		for _, st := range plan.Steps {
			if len(st.Closes) == 0 {
				t.Errorf("%+v: %s for %s closes nothing", opt, st.Item.ID, st.Person)
			}
			for _, c := range st.Closes {
				k := st.Person + "/" + c.CompetencyID
				if seen[k] {
					t.Errorf("%+v: %s closed twice", opt, k)
				}
				seen[k] = true
			}
		}
		for _, o := range plan.Open {
			if o.Reason == "" || o.Note == "" {
				t.Errorf("%+v: open gap %+v unexplained", opt, o)
			}
			if opt.Budget == 0 && (o.Reason == ReasonBudget || o.Reason == ReasonNotChosen) {
				t.Errorf("no budget, yet %s/%s is open: %s", o.Person, o.CompetencyID, o.Note)
			}
		}
		if opt.Budget > 0 && opt.Minimise == MinimiseCost && (plan.Exact || !strings.Contains(plan.Method, "greedy")) {
			t.Errorf("%+v: %d options solved by %q", opt, plan.Candidates, plan.Method)
		}
	}
}
