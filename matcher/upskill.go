package matcher

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/skillmatch/skillmatch/credential"
)

// DefaultCloseThreshold is the credit at or above which a catalogue item
// closes a gap (see UpskillOptions.CloseThreshold). With the default
// policy it admits items that teach the required competency (exact, 1.0)
// or a more specific one (narrower, 0.9), also when the item states no
// level for a requirement that asks one or the requirement asks for years
// of experience (one further 0.9 factor: 0.81); it rejects items that
// teach only a broader (0.5), related (0.4) or neighbouring (0.3)
// competency, or that stand a level below the one asked (0.7).
const DefaultCloseThreshold = 0.8

// Stacking says how a plan treats items that stack toward a larger
// credential (CatalogueItem.StackableInto).
type Stacking string

// Stacking preferences.
const (
	// StackPrefer: among plans that close the same gaps at the same price,
	// prefer the one with more stackable items (the default).
	StackPrefer Stacking = "prefer"
	// StackOnly: only stackable items may be chosen.
	StackOnly Stacking = "only"
	// StackIgnore: stackability plays no part.
	StackIgnore Stacking = "ignore"
)

// UpskillOptions are the manager's constraints on a plan.
type UpskillOptions struct {
	// Budget caps the total of the minimised quantity: the cost (in the
	// catalogue's currency) when minimising cost, the hours when
	// minimising hours. 0 means no cap.
	Budget float64
	// Minimise is MinimiseCost (default) or MinimiseHours.
	Minimise Objective
	// Formats are the delivery formats allowed (CatalogueFormats); empty
	// allows every format. An item that states no format is allowed.
	Formats []string
	// Languages are the languages allowed ("en", "fr"); empty allows
	// every language. An item that states no language is allowed.
	Languages []string
	// Stacking is the stacking preference; empty means StackPrefer.
	Stacking Stacking
	// PreferLanguage breaks the remaining ties (same gaps closed, same
	// cost, hours and stackability) in favour of items in this language,
	// e.g. the role's; empty: by item ID only.
	PreferLanguage string
	// CloseThreshold is the credit (Policy.Credit of a fresh credential
	// from a trusted issuer for the item's competency) an item must reach
	// for a requirement to count as closing it; 0 means
	// DefaultCloseThreshold. It is never below Policy.MetThreshold, so a
	// closed gap is a met requirement.
	CloseThreshold float64
}

// OpenReason says why a gap stays open.
type OpenReason string

// Reasons a gap stays open.
const (
	// ReasonNoItem: no catalogue item teaches the competency or one the
	// policy credits for it.
	ReasonNoItem OpenReason = "no-item"
	// ReasonWeakItems: items teach only related competencies (broader,
	// related, neighbouring, or at a lower level) that the policy credits
	// below the close threshold.
	ReasonWeakItems OpenReason = "weak-items"
	// ReasonConstraint: items would close it, but the format, language or
	// stacking constraints exclude all of them.
	ReasonConstraint OpenReason = "constraint"
	// ReasonBudget: items would close it, but they do not fit the budget
	// left once the chosen items are paid for.
	ReasonBudget OpenReason = "budget"
	// ReasonNotChosen: an affordable item would close it but the
	// approximation (used for large instances) did not choose it.
	ReasonNotChosen OpenReason = "not-chosen"
	// ReasonNoWeight: the requirement weighs nothing under the policy
	// (e.g. asset weight 0), so the plan does not try to close it.
	ReasonNoWeight OpenReason = "no-weight"
)

// UpskillPlan is a plan: which catalogue items to buy for whom, which gaps
// each closes, and what stays open and why.
type UpskillPlan struct {
	Minimise Objective `json:"minimise"`
	Budget   float64   `json:"budget,omitempty"`
	Currency string    `json:"currency,omitempty"`
	// Exact is true when the plan is a proven optimum; Method says how it
	// was found.
	Exact  bool   `json:"exact"`
	Method string `json:"method"`
	// Steps are the chosen items, by person then item ID.
	Steps []PlanStep `json:"steps"`
	// Open are the gaps the plan leaves open, by person then requirement.
	Open []OpenGap `json:"open"`
	// Cost and Hours are the totals of the chosen items.
	Cost  float64 `json:"cost"`
	Hours float64 `json:"hours"`
	// Gaps counts the gaps (requirements a person does not meet) and
	// Closed those the plan closes; the weights are the policy's
	// requirement weights.
	Gaps         int     `json:"gaps"`
	Closed       int     `json:"closed"`
	GapWeight    float64 `json:"gap_weight"`
	ClosedWeight float64 `json:"closed_weight"`
	// Candidates is the number of (person, item) options considered after
	// the constraints and the removal of dominated options.
	Candidates int `json:"candidates"`
}

// PlanStep is one chosen item for one person.
type PlanStep struct {
	Person string        `json:"person"`
	Name   string        `json:"name,omitempty"`
	Item   CatalogueItem `json:"item"`
	Closes []ClosedGap   `json:"closes"`
}

// ClosedGap is one gap a chosen item closes.
type ClosedGap struct {
	CompetencyID string `json:"id"`
	Label        string `json:"label"`
	Must         bool   `json:"must"`
	// Before is the outcome and fit before the item.
	Before    Outcome `json:"before"`
	FitBefore float64 `json:"fit_before"`
	// Via is the competency the item teaches that closes the gap, through
	// Relation; Credit is what the policy credits it for the requirement.
	Via      string   `json:"via"`
	Relation Relation `json:"relation"`
	Credit   float64  `json:"credit"`
}

// OpenGap is a gap the plan leaves open.
type OpenGap struct {
	Person       string     `json:"person"`
	Name         string     `json:"name,omitempty"`
	CompetencyID string     `json:"id"`
	Label        string     `json:"label"`
	Must         bool       `json:"must"`
	Outcome      Outcome    `json:"outcome"`
	Fit          float64    `json:"fit"`
	Reason       OpenReason `json:"reason"`
	// Note says why in words, naming the closest item where there is one.
	Note string `json:"note"`
}

// closer is an item's way of closing one requirement.
type closer struct {
	via    string
	rel    Relation
	credit float64
}

// gapRef locates a gap: person index and requirement index.
type gapRef struct{ person, req int }

// PlanUpskilling chooses catalogue items that close the gaps of the
// analysed people: every requirement a person does not meet (partly met
// or missing) is a gap weighing the policy's requirement weight (must-haves
// weigh more). An item closes a gap when it teaches the required
// competency or one that the policy would credit for it at or above the
// close threshold (see DefaultCloseThreshold): the credit is Policy.Credit
// of the credential the item would award — valid, from a trusted issuer,
// issued now, at the item's level — so relation, level and years follow
// the ranking's rules. Workload does not enter (a short course is what
// closes a narrow gap; the plan minimises hours when asked).
//
// The plan closes the greatest weight of gaps the budget allows and,
// among those, minimises cost or hours, preferring stackable items on
// ties (SolvePlan). Options that cannot be part of an optimal plan are
// dropped first (see pruneOptions: dominated by another option of the same
// person, or dearer than other options covering the same gaps together),
// which keeps most instances small enough for the exact search. Without a
// budget the people are independent and each
// is solved on their own, exactly when they have at most ExactPlanLimit
// options; with a budget the team is one instance, exact up to
// ExactPlanLimit options and the documented greedy approximation beyond.
//
// Items in several currencies cannot share a budget: that is an error.
func PlanUpskilling(g *GapAnalysis, catalogue []CatalogueItem, opt UpskillOptions) (*UpskillPlan, error) {
	return PlanUpskillingContext(context.Background(), g, catalogue, opt)
}

// PlanUpskillingContext is PlanUpskilling, stopping with ctx's error when
// ctx is done.
func PlanUpskillingContext(ctx context.Context, g *GapAnalysis, catalogue []CatalogueItem, opt UpskillOptions) (*UpskillPlan, error) {
	if g == nil || g.scorer == nil {
		return nil, fmt.Errorf("plan: no gap analysis: run AnalyzeGaps first")
	}
	s := g.scorer
	p := s.policy
	if opt.Minimise == "" {
		opt.Minimise = MinimiseCost
	}
	if opt.Minimise != MinimiseCost && opt.Minimise != MinimiseHours {
		return nil, fmt.Errorf("plan: minimise %q: use %q or %q", opt.Minimise, MinimiseCost, MinimiseHours)
	}
	if opt.Stacking == "" {
		opt.Stacking = StackPrefer
	}
	if opt.Stacking != StackPrefer && opt.Stacking != StackOnly && opt.Stacking != StackIgnore {
		return nil, fmt.Errorf("plan: stacking %q: use %q, %q or %q", opt.Stacking, StackPrefer, StackOnly, StackIgnore)
	}
	if opt.Budget < 0 || math.IsNaN(opt.Budget) || math.IsInf(opt.Budget, 0) {
		return nil, fmt.Errorf("plan: budget %g: give a positive amount, or 0 for no budget", opt.Budget)
	}
	for _, f := range opt.Formats {
		if !slices.Contains(CatalogueFormats, f) {
			return nil, fmt.Errorf("plan: format %q: use one of %s", f, strings.Join(CatalogueFormats, ", "))
		}
	}
	threshold := opt.CloseThreshold
	if threshold <= 0 {
		threshold = DefaultCloseThreshold
	}
	threshold = max(threshold, p.MetThreshold)
	if threshold > 1 {
		return nil, fmt.Errorf("plan: close threshold %g: use a number from %g (the policy's met threshold) to 1", opt.CloseThreshold, p.MetThreshold)
	}

	plan := &UpskillPlan{Minimise: opt.Minimise, Budget: opt.Budget, Steps: []PlanStep{}, Open: []OpenGap{}}
	currencies := map[string]bool{}
	for i := range catalogue {
		if c := strings.ToUpper(strings.TrimSpace(catalogue[i].Currency)); c != "" {
			currencies[c] = true
		}
	}
	if len(currencies) > 1 {
		list := make([]string, 0, len(currencies))
		for c := range currencies {
			list = append(list, c)
		}
		sort.Strings(list)
		return nil, fmt.Errorf("plan: the catalogue mixes currencies (%s); plan with items priced in one currency", strings.Join(list, ", "))
	}
	for c := range currencies {
		plan.Currency = c
	}

	// What each item would do for each requirement, regardless of person.
	reqs := g.Requirements
	type itemInfo struct {
		allowed bool
		why     string // the constraint that excludes it
		closes  map[int]closer
		weak    map[int]closer // credited, but below the threshold
	}
	infos := make([]itemInfo, len(catalogue))
	for k := range catalogue {
		it := &catalogue[k]
		info := itemInfo{allowed: true, closes: map[int]closer{}, weak: map[int]closer{}}
		switch {
		case len(opt.Formats) > 0 && it.Format != "" && !slices.Contains(opt.Formats, it.Format):
			info.allowed, info.why = false, fmt.Sprintf("format %s is not allowed", it.Format)
		case len(opt.Languages) > 0 && it.Language != "" && !slices.Contains(opt.Languages, it.Language):
			info.allowed, info.why = false, fmt.Sprintf("language %s is not allowed", it.Language)
		case opt.Stacking == StackOnly && it.StackableInto == "":
			info.allowed, info.why = false, "it does not stack toward a larger credential"
		}
		ev := Evidence{Credential: CredentialRef{ID: it.ID, Name: it.Title, Issuer: it.Provider, Status: credential.StatusValid, Trusted: true, IssuedAt: s.now, Level: catalogueLevel(it.Level)}, Link: LinkAlignment, Score: 1}
		for _, comp := range it.Competencies {
			ev.CompetencyID = comp
			for _, h := range s.index[comp] {
				c := p.Credit(&reqs[h.req], h.rel.relation(), int(h.dist), ev, s.now)
				cl := closer{via: comp, rel: h.rel.relation(), credit: c.Value}
				target := info.weak
				if c.Value >= threshold-planEps {
					target = info.closes
				}
				if old, ok := target[int(h.req)]; !ok || betterCloser(cl, old) {
					target[int(h.req)] = cl
				}
			}
		}
		infos[k] = info
	}

	// Gaps and options.
	var gaps []PlanGap
	var refs []gapRef
	gapIndex := map[gapRef]int{}
	for pi := range g.People {
		for j, d := range g.People[pi].Requirements {
			if d.Outcome == OutcomeMet {
				continue
			}
			plan.Gaps++
			w := p.requirementWeight(&reqs[j])
			plan.GapWeight += w
			if w <= 0 {
				continue
			}
			gapIndex[gapRef{pi, j}] = len(gaps)
			gaps = append(gaps, PlanGap{Person: g.People[pi].Person, Competency: reqs[j].CompetencyID, Weight: w})
			refs = append(refs, gapRef{pi, j})
		}
	}
	// Items in the preferred language come first, so that SolvePlan's
	// final tie-break (the first set of options) favours them.
	foreign := func(k int) bool {
		return opt.PreferLanguage != "" && catalogue[k].Language != "" && catalogue[k].Language != opt.PreferLanguage
	}
	itemOrder := make([]int, len(catalogue))
	for k := range itemOrder {
		itemOrder[k] = k
	}
	slices.SortStableFunc(itemOrder, func(a, b int) int {
		if fa, fb := foreign(a), foreign(b); fa != fb {
			if fb {
				return -1
			}
			return 1
		}
		return 0
	})
	reqItems := make([][]int, len(reqs))
	for _, k := range itemOrder {
		if !infos[k].allowed {
			continue
		}
		for j := range infos[k].closes {
			reqItems[j] = append(reqItems[j], k)
		}
	}
	price := func(o *PlanOption) float64 {
		if opt.Minimise == MinimiseHours {
			return o.Hours
		}
		return o.Cost
	}
	other := func(o *PlanOption) float64 {
		if opt.Minimise == MinimiseHours {
			return o.Cost
		}
		return o.Hours
	}
	// Options are built person by person from the person's gaps through
	// the items that close each requirement, pruned (see pruneOptions),
	// and only the kept ones join options; byPerson[pi] lists the option
	// indexes of person pi.
	var options []PlanOption
	var oinfo []optInfo
	byPerson := make([][]int, len(g.People))
	var local []PlanOption
	var litems []int
	optOf := map[int]int{} // item → local option
	for pi := range g.People {
		clear(optOf)
		local, litems = local[:0], litems[:0]
		for j := range reqs {
			gi, ok := gapIndex[gapRef{pi, j}]
			if !ok {
				continue
			}
			for _, k := range reqItems[j] {
				if oi, ok := optOf[k]; ok {
					// Gap indexes grow with j, so Closes stays sorted.
					local[oi].Closes = append(local[oi].Closes, gi)
					continue
				}
				it := &catalogue[k]
				optOf[k] = len(local)
				local = append(local, PlanOption{Person: g.People[pi].Person, Item: it.ID, Cost: it.Cost, Hours: it.Hours, Closes: []int{gi}, Stackable: it.StackableInto != "" && opt.Stacking != StackIgnore})
				litems = append(litems, k)
			}
		}
		for _, l := range pruneOptions(local, func(a, b int) int {
			oa, ob := &local[a], &local[b]
			if c := cmp.Compare(other(oa), other(ob)); c != 0 {
				return c
			}
			if fa, fb := foreign(litems[a]), foreign(litems[b]); fa != fb {
				if fb {
					return -1
				}
				return 1
			}
			return cmp.Compare(oa.Item, ob.Item)
		}, price) {
			byPerson[pi] = append(byPerson[pi], len(options))
			options = append(options, local[l])
			oinfo = append(oinfo, optInfo{item: litems[l], person: pi})
		}
	}
	kept := make([]int, len(options))
	for i := range kept {
		kept[i] = i
	}
	plan.Candidates = len(options)

	// Solve: per person without a budget (independent), else as one.
	var chosen []int // indexes into options
	if opt.Budget <= 0 {
		plan.Exact = true
		exactPeople, greedyPeople := 0, 0
		for pi := range g.People {
			mine := byPerson[pi]
			if len(mine) == 0 {
				continue
			}
			sol, err := solveSubset(ctx, gaps, options, mine, 0, opt.Minimise)
			if err != nil {
				return nil, err
			}
			chosen = append(chosen, sol.chosen...)
			if sol.exact {
				exactPeople++
			} else {
				greedyPeople++
				plan.Exact = false
			}
		}
		switch {
		case greedyPeople == 0:
			plan.Method = fmt.Sprintf("exact: branch and bound for each of %d people (no budget, so people are independent)", exactPeople)
		default:
			plan.Method = fmt.Sprintf("exact for %d people, greedy approximation for %d with more than %d options each (no budget, so people are independent)", exactPeople, greedyPeople, ExactPlanLimit)
		}
	} else {
		sol, err := solveSubset(ctx, gaps, options, kept, opt.Budget, opt.Minimise)
		if err != nil {
			return nil, err
		}
		chosen = sol.chosen
		plan.Exact = sol.exact
		if sol.exact {
			plan.Method = fmt.Sprintf("exact: branch and bound over %d options", len(kept))
		} else {
			plan.Method = fmt.Sprintf("greedy approximation for budgeted coverage over %d options (more than %d; within (1-1/e)/2 of the best closable weight)", len(kept), ExactPlanLimit)
		}
	}
	sort.Slice(chosen, func(a, b int) bool {
		oa, ob := oinfo[chosen[a]], oinfo[chosen[b]]
		if oa.person != ob.person {
			return oa.person < ob.person
		}
		return catalogue[oa.item].ID < catalogue[ob.item].ID
	})

	// Explain: which gap each chosen item closes. A gap closed by two
	// chosen items is credited to the first.
	closedBy := map[int]int{} // gap → option
	spent := 0.0
	for _, i := range chosen {
		o := &options[i]
		spent += price(o)
		plan.Cost += o.Cost
		plan.Hours += o.Hours
		oi := oinfo[i]
		step := PlanStep{Person: g.People[oi.person].Person, Name: g.People[oi.person].Name, Item: catalogue[oi.item], Closes: []ClosedGap{}}
		for _, gi := range o.Closes {
			if _, done := closedBy[gi]; done {
				continue
			}
			closedBy[gi] = i
			ref := refs[gi]
			d := g.People[ref.person].Requirements[ref.req]
			cl := infos[oi.item].closes[ref.req]
			step.Closes = append(step.Closes, ClosedGap{
				CompetencyID: reqs[ref.req].CompetencyID, Label: labelOf(reqs[ref.req]), Must: reqs[ref.req].Must,
				Before: d.Outcome, FitBefore: d.Fit, Via: cl.via, Relation: cl.rel, Credit: cl.credit,
			})
			plan.Closed++
			plan.ClosedWeight += gaps[gi].Weight
		}
		slices.SortStableFunc(step.Closes, func(a, b ClosedGap) int {
			if a.Must != b.Must {
				if a.Must {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.Label, b.Label)
		})
		plan.Steps = append(plan.Steps, step)
	}
	left := math.Inf(1)
	if opt.Budget > 0 {
		left = opt.Budget - spent
	}

	// Explain what stays open, and why.
	unit := func(v float64) string {
		if opt.Minimise == MinimiseHours {
			return trimNum(v) + " h"
		}
		if plan.Currency != "" {
			return trimNum(v) + " " + plan.Currency
		}
		return trimNum(v)
	}
	for pi := range g.People {
		pg := &g.People[pi]
		for j, d := range pg.Requirements {
			if d.Outcome == OutcomeMet {
				continue
			}
			gi, weighted := gapIndex[gapRef{pi, j}]
			if weighted {
				if _, closed := closedBy[gi]; closed {
					continue
				}
			}
			og := OpenGap{Person: pg.Person, Name: pg.Name, CompetencyID: reqs[j].CompetencyID, Label: labelOf(reqs[j]), Must: reqs[j].Must, Outcome: d.Outcome, Fit: d.Fit}
			// The cheapest allowed option for this gap, the best excluded
			// item and the best weak item.
			cheapest := -1
			for _, i := range byPerson[pi] {
				if weighted && slices.Contains(options[i].Closes, gi) && (cheapest < 0 || price(&options[i]) < price(&options[cheapest])) {
					cheapest = i
				}
			}
			excluded, weak := -1, -1
			var weakCl closer
			for k := range catalogue {
				info := &infos[k]
				if _, ok := info.closes[j]; ok && !info.allowed && excluded < 0 {
					excluded = k
				}
				if c, ok := info.weak[j]; ok && (weak < 0 || c.credit > weakCl.credit) {
					weak, weakCl = k, c
				}
			}
			switch {
			case !weighted:
				og.Reason = ReasonNoWeight
				og.Note = "the policy gives this requirement no weight, so the plan does not try to close it"
			case cheapest >= 0 && price(&options[cheapest]) > left+planEps:
				og.Reason = ReasonBudget
				it := &catalogue[oinfo[cheapest].item]
				og.Note = fmt.Sprintf("over budget: the cheapest item that closes it, %q (%s), does not fit the %s left", it.Title, unit(price(&options[cheapest])), unit(max(left, 0)))
			case cheapest >= 0:
				og.Reason = ReasonNotChosen
				it := &catalogue[oinfo[cheapest].item]
				og.Note = fmt.Sprintf("%q (%s) would close it and fits the budget, but the approximation did not choose it", it.Title, unit(price(&options[cheapest])))
			case excluded >= 0:
				og.Reason = ReasonConstraint
				it := &catalogue[excluded]
				og.Note = fmt.Sprintf("excluded by the constraints: %q would close it, but %s", it.Title, infos[excluded].why)
			case weak >= 0:
				og.Reason = ReasonWeakItems
				it := &catalogue[weak]
				og.Note = fmt.Sprintf("no item teaches it closely enough: the closest, %q, teaches %s (%s), credited %.2f, below the %.2f needed", it.Title, weakCl.via, relationName(weakCl.rel), weakCl.credit, threshold)
			default:
				og.Reason = ReasonNoItem
				og.Note = "no catalogue item teaches this competency or a more specific one"
			}
			plan.Open = append(plan.Open, og)
		}
	}
	return plan, nil
}

// betterCloser orders two ways of closing a requirement: higher credit, then the
// taught competency ID.
func betterCloser(a, b closer) bool {
	if a.credit != b.credit {
		return a.credit > b.credit
	}
	return a.via < b.via
}

func relationName(r Relation) string {
	if r == RelNone {
		return "unrelated"
	}
	return string(r)
}

// sortedSubset reports whether sorted a ⊆ sorted b.
func sortedSubset(a, b []int) bool {
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) || b[j] != x {
			return false
		}
	}
	return true
}

type subsetSolution struct {
	chosen []int
	exact  bool
}

// solveSubset runs SolvePlan on the options listed in idx (indexes into
// options), with only the gaps they close, and maps the answer back.
func solveSubset(ctx context.Context, gaps []PlanGap, options []PlanOption, idx []int, budget float64, minimise Objective) (subsetSolution, error) {
	local := map[int]int{}
	var pg []PlanGap
	po := make([]PlanOption, len(idx))
	for n, i := range idx {
		o := options[i]
		closes := make([]int, len(o.Closes))
		for k, g := range o.Closes {
			l, ok := local[g]
			if !ok {
				l = len(pg)
				local[g] = l
				pg = append(pg, gaps[g])
			}
			closes[k] = l
		}
		o.Closes = closes
		po[n] = o
	}
	sol, err := SolvePlanContext(ctx, PlanProblem{Gaps: pg, Options: po, Budget: budget, Minimise: minimise})
	if err != nil {
		return subsetSolution{}, err
	}
	out := subsetSolution{exact: sol.Exact}
	for _, c := range sol.Chosen {
		out.chosen = append(out.chosen, idx[c])
	}
	return out, nil
}

// catalogueLevel reads a catalogue item's level: a level word (English or
// French: "intermediate", "avancé") or an EQF level ("EQF 4").
func catalogueLevel(s string) Level {
	if l, err := ParseLevel(s); err == nil {
		return l
	}
	if m := eqfPattern.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		switch {
		case n <= 2:
			return LevelBasic
		case n <= 4:
			return LevelIntermediate
		case n <= 6:
			return LevelAdvanced
		}
		return LevelExpert
	}
	return levelWord(s)
}

func trimNum(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// Summary says in a few sentences what the plan does.
func (p *UpskillPlan) Summary() string {
	var b strings.Builder
	money := trimNum(p.Cost)
	if p.Currency != "" {
		money += " " + p.Currency
	}
	fmt.Fprintf(&b, "%d item(s) for %s and %s h close %d of %d gap(s)", len(p.Steps), money, trimNum(p.Hours), p.Closed, p.Gaps)
	if p.Budget > 0 {
		unit := " h"
		if p.Minimise == MinimiseCost {
			unit = ""
			if p.Currency != "" {
				unit = " " + p.Currency
			}
		}
		fmt.Fprintf(&b, " within a budget of %s%s", trimNum(p.Budget), unit)
	}
	fmt.Fprintf(&b, ", minimising %s (%s).", p.Minimise, p.Method)
	if len(p.Open) > 0 {
		counts := map[OpenReason]int{}
		for _, o := range p.Open {
			counts[o.Reason]++
		}
		var parts []string
		for _, r := range []OpenReason{ReasonBudget, ReasonConstraint, ReasonWeakItems, ReasonNoItem, ReasonNotChosen, ReasonNoWeight} {
			if counts[r] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[r], reasonWords[r]))
			}
		}
		fmt.Fprintf(&b, " Open: %s.", strings.Join(parts, ", "))
	}
	return b.String()
}

var reasonWords = map[OpenReason]string{
	ReasonBudget:     "over budget",
	ReasonConstraint: "excluded by format/language/stacking constraints",
	ReasonWeakItems:  "with only loosely related items",
	ReasonNoItem:     "with no catalogue item",
	ReasonNotChosen:  "left by the approximation",
	ReasonNoWeight:   "without weight",
}

// upskillCSVHeader is the header of UpskillPlan.WriteCSV.
var upskillCSVHeader = []string{"row", "person", "name", "item", "title", "provider", "format", "language", "hours", "cost", "currency", "stackable_into", "requirement", "label", "must", "outcome_before", "via", "relation", "credit", "reason", "note"}

// WriteCSV writes the plan as CSV for a spreadsheet: one "closes" row per
// gap a chosen item closes (an item closing two gaps gives two rows; its
// hours and cost are on the first only, so that columns sum to the plan's
// totals), and one "open" row per gap left open with the reason. The first
// line is the header.
func (p *UpskillPlan) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(upskillCSVHeader); err != nil {
		return err
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, s := range p.Steps {
		for i, c := range s.Closes {
			hours, cost := "", ""
			if i == 0 {
				hours, cost = num(s.Item.Hours), num(s.Item.Cost)
			}
			if err := cw.Write([]string{"closes", s.Person, s.Name, s.Item.ID, s.Item.Title, s.Item.Provider, s.Item.Format, s.Item.Language,
				hours, cost, s.Item.Currency, s.Item.StackableInto, c.CompetencyID, c.Label, strconv.FormatBool(c.Must), c.Before.String(),
				c.Via, string(c.Relation), strconv.FormatFloat(c.Credit, 'f', 2, 64), "", ""}); err != nil {
				return err
			}
		}
	}
	for _, o := range p.Open {
		if err := cw.Write([]string{"open", o.Person, o.Name, "", "", "", "", "", "", "", "", "", o.CompetencyID, o.Label, strconv.FormatBool(o.Must),
			o.Outcome.String(), "", "", "", string(o.Reason), o.Note}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// optInfo says which catalogue item and person an option stands for.
type optInfo struct {
	item   int
	person int
}

// pruneOptions returns the indexes of one person's options that can be
// part of an optimal plan, in order of price (the minimised quantity),
// dropping two kinds:
//
//   - dominated options: b dominates a when it closes every gap a closes
//     at no higher price and no less stackability. Swapping a for b in
//     any plan closes no less at no higher price, so some optimal plan
//     uses only undominated options. SolvePlan's objective does not look
//     at the other quantity; it only breaks ties here, through tie (then
//     the preferred language, then the item ID). Candidates are checked in
//     that order against the options kept so far (whatever a dropped
//     option dominates, its dominator dominates too);
//   - options that cost strictly more than other options covering their
//     gaps together: per gap, the cheapest other kept option that closes
//     it; if those cost less in total, the option is never in an optimal
//     plan. Every such drop swaps in a strictly cheaper cover, so no two
//     options can drop each other.
func pruneOptions(opts []PlanOption, tie func(a, b int) int, price func(*PlanOption) float64) []int {
	type key struct {
		price float64
		n     int
		stack bool
		idx   int
	}
	keys := make([]key, len(opts))
	// One person's gaps have consecutive indexes: when they span at most
	// 64, a bit mask per option makes the subset test one instruction.
	lo, hi := math.MaxInt, -1
	for i := range opts {
		keys[i] = key{price(&opts[i]), len(opts[i].Closes), opts[i].Stackable, i}
		for _, g := range opts[i].Closes {
			lo, hi = min(lo, g), max(hi, g)
		}
	}
	var masks []uint64
	if hi-lo < 64 {
		masks = make([]uint64, len(opts))
		for i := range opts {
			for _, g := range opts[i].Closes {
				masks[i] |= 1 << uint(g-lo)
			}
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.price, b.price); c != 0 {
			return c
		}
		if a.stack != b.stack {
			if a.stack {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		return tie(a.idx, b.idx)
	})
	var kept []int
	for _, k := range keys {
		a := k.idx
		oa := &opts[a]
		dominated := false
		for _, b := range kept {
			ob := &opts[b]
			if !ob.Stackable && oa.Stackable {
				continue
			}
			if masks != nil {
				dominated = masks[a]&^masks[b] == 0
			} else {
				dominated = sortedSubset(oa.Closes, ob.Closes)
			}
			if dominated {
				break
			}
		}
		if !dominated {
			kept = append(kept, a)
		}
	}
	type cheap struct {
		opt   int
		price float64
	}
	best := map[int][2]cheap{} // gap → the two cheapest kept options
	for _, b := range kept {
		c := cheap{b, price(&opts[b])}
		for _, g := range opts[b].Closes {
			two, ok := best[g]
			switch {
			case !ok:
				two = [2]cheap{c, {-1, math.Inf(1)}}
			case c.price < two[0].price:
				two = [2]cheap{c, two[0]}
			case c.price < two[1].price:
				two[1] = c
			}
			best[g] = two
		}
	}
	out := kept[:0:0]
	for _, a := range kept {
		if len(opts[a].Closes) > 1 {
			cover := 0.0
			for _, g := range opts[a].Closes {
				if two := best[g]; two[0].opt != a {
					cover += two[0].price
				} else {
					cover += two[1].price
				}
			}
			if cover < price(&opts[a])-planEps {
				continue
			}
		}
		out = append(out, a)
	}
	return out
}
