package matcher

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Objective is what an upskilling plan minimises once it closes as many
// gaps as the budget allows.
type Objective string

// The objectives a manager can choose.
const (
	MinimiseCost  Objective = "cost"
	MinimiseHours Objective = "hours"
)

// ExactPlanLimit is the largest number of candidate courses for which
// SolvePlan searches for a proven optimum (branch and bound). Beyond it,
// SolvePlan uses the greedy approximation described on SolvePlan.
const ExactPlanLimit = 40

// exactNodeLimit caps the branch and bound so that a pathological instance
// cannot freeze the app: past it, SolvePlan answers with the greedy
// approximation (Exact false).
const exactNodeLimit = 20_000_000

// PlanGap is one gap a plan may close: a person lacking a competency, with
// the weight the role gives that competency (must-haves weigh more).
type PlanGap struct {
	Person     string
	Competency string
	Weight     float64
}

// PlanOption is one candidate purchase: a catalogue course for one person,
// with the gaps (indexes into the gap list) it would close.
type PlanOption struct {
	Person    string
	Item      string // catalogue item ID
	Cost      float64
	Hours     float64
	Closes    []int // indexes of PlanGap values this option closes
	Stackable bool  // the item stacks toward a larger credential
}

// PlanSolution is the chosen options and what they achieve.
type PlanSolution struct {
	Chosen []int // indexes into the options, ascending
	// Closed is the total weight of closed gaps.
	Closed float64
	Cost   float64
	Hours  float64
	// Exact is true when the solution is a proven optimum, false when it
	// came from the greedy approximation.
	Exact bool
}

// PlanProblem is an upskilling instance for SolvePlan.
type PlanProblem struct {
	Gaps    []PlanGap
	Options []PlanOption
	// Budget caps the total of the minimised quantity (cost or hours,
	// following Minimise); 0 or negative means no cap.
	Budget   float64
	Minimise Objective
}

// SolvePlan chooses options that close the greatest total weight of gaps
// within the budget and, among those, minimise the total cost or hours;
// remaining ties prefer more stackable items, then the lexicographically
// first set of option indexes, so the answer is deterministic.
//
// With at most ExactPlanLimit options it is exact: a depth-first branch and
// bound over include/exclude decisions, pruned by an optimistic bound (the
// weight still closable by the remaining options) and by the budget. With
// more options it is the classic greedy for budgeted maximum coverage: add
// the option with the best ratio of newly closed weight to price until none
// fits, compare with the best single option (which guarantees at least
// (1−1/e)/2 of the optimum closed weight), then drop options made redundant.
func SolvePlan(p PlanProblem) (PlanSolution, error) {
	return SolvePlanContext(context.Background(), p)
}

// SolvePlanContext is SolvePlan, stopping with ctx's error when ctx is
// done (checked every few thousand nodes of the search).
func SolvePlanContext(ctx context.Context, p PlanProblem) (PlanSolution, error) {
	if p.Minimise == "" {
		p.Minimise = MinimiseCost
	}
	if p.Minimise != MinimiseCost && p.Minimise != MinimiseHours {
		return PlanSolution{}, fmt.Errorf("plan: minimise %q: use %q or %q", p.Minimise, MinimiseCost, MinimiseHours)
	}
	for i, o := range p.Options {
		if o.Cost < 0 || o.Hours < 0 || math.IsNaN(o.Cost) || math.IsNaN(o.Hours) {
			return PlanSolution{}, fmt.Errorf("plan: option %d (%s for %s): cost and hours must be non-negative numbers", i, o.Item, o.Person)
		}
		for _, g := range o.Closes {
			if g < 0 || g >= len(p.Gaps) {
				return PlanSolution{}, fmt.Errorf("plan: option %d (%s): gap index %d out of range", i, o.Item, g)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return PlanSolution{}, fmt.Errorf("plan: %w", err)
	}
	s := newPlanSearch(p)
	s.ctx = ctx
	if len(p.Options) <= ExactPlanLimit {
		sol, ok := s.exact()
		if s.err != nil {
			return PlanSolution{}, s.err
		}
		if ok {
			return sol, nil
		}
	}
	sol := s.greedy()
	if s.err != nil {
		return PlanSolution{}, s.err
	}
	return sol, nil
}

// ctxCheckEvery is how many search nodes or greedy rounds pass between two
// looks at the context.
const ctxCheckEvery = 4096

// stopped reports whether the search must stop: ctx is done (s.err then
// holds why). step counts the calls; ctx is read every ctxCheckEvery.
func (s *planSearch) stopped(step int) bool {
	if s.err != nil {
		return true
	}
	if step%ctxCheckEvery != 0 || s.ctx == nil {
		return false
	}
	if err := s.ctx.Err(); err != nil {
		s.err = fmt.Errorf("plan: %w", err)
		return true
	}
	return false
}

type planSearch struct {
	ctx    context.Context // nil: never stops
	err    error           // why the search stopped early
	p      PlanProblem
	price  []float64 // minimised quantity per option
	budget float64   // +Inf when uncapped
	order  []int     // options in search order
}

func newPlanSearch(p PlanProblem) *planSearch {
	s := &planSearch{p: p, price: make([]float64, len(p.Options)), budget: math.Inf(1)}
	if p.Budget > 0 {
		s.budget = p.Budget
	}
	for i, o := range p.Options {
		if p.Minimise == MinimiseHours {
			s.price[i] = o.Hours
		} else {
			s.price[i] = o.Cost
		}
	}
	// Try options that close much weight first: good solutions early make
	// the bound prune more.
	s.order = make([]int, len(p.Options))
	for i := range s.order {
		s.order[i] = i
	}
	w := func(i int) float64 {
		t := 0.0
		for _, g := range p.Options[i].Closes {
			t += p.Gaps[g].Weight
		}
		return t
	}
	sort.SliceStable(s.order, func(a, b int) bool { return w(s.order[a]) > w(s.order[b]) })
	return s
}

// eval returns the closed weight, price and stackable count of a set.
func (s *planSearch) eval(chosen []int) (closed, price float64, stack int) {
	done := make([]bool, len(s.p.Gaps))
	for _, i := range chosen {
		price += s.price[i]
		if s.p.Options[i].Stackable {
			stack++
		}
		for _, g := range s.p.Options[i].Closes {
			if !done[g] {
				done[g] = true
				closed += s.p.Gaps[g].Weight
			}
		}
	}
	return closed, price, stack
}

const planEps = 1e-9

// better reports whether candidate set a beats b under the lexicographic
// objective of SolvePlan. Both are sorted ascending.
func (s *planSearch) better(a, b []int) bool {
	ca, pa, sa := s.eval(a)
	cb, pb, sb := s.eval(b)
	switch {
	case ca > cb+planEps:
		return true
	case ca < cb-planEps:
		return false
	case pa < pb-planEps:
		return true
	case pa > pb+planEps:
		return false
	case sa != sb:
		return sa > sb
	}
	return slices.Compare(a, b) < 0
}

func (s *planSearch) solution(chosen []int, exact bool) PlanSolution {
	chosen = slices.Clone(chosen)
	sort.Ints(chosen)
	closed, _, _ := s.eval(chosen)
	sol := PlanSolution{Chosen: chosen, Closed: closed, Exact: exact}
	for _, i := range chosen {
		sol.Cost += s.p.Options[i].Cost
		sol.Hours += s.p.Options[i].Hours
	}
	if sol.Chosen == nil {
		sol.Chosen = []int{}
	}
	return sol
}

// exact runs the branch and bound; ok is false when it gave up after
// exactNodeLimit nodes.
func (s *planSearch) exact() (sol PlanSolution, ok bool) {
	n := len(s.order)
	var best []int
	// closable[k] = gaps closable by options order[k:], for the bound.
	closable := make([][]bool, n+1)
	closable[n] = make([]bool, len(s.p.Gaps))
	for k := n - 1; k >= 0; k-- {
		closable[k] = slices.Clone(closable[k+1])
		for _, g := range s.p.Options[s.order[k]].Closes {
			closable[k][g] = true
		}
	}
	covered := make([]int, len(s.p.Gaps)) // how many chosen options close each gap
	var chosen []int
	closed, price := 0.0, 0.0
	bestClosed, bestPrice := -1.0, math.Inf(1)

	nodes := 0
	var dfs func(k int)
	dfs = func(k int) {
		if nodes++; nodes > exactNodeLimit || s.stopped(nodes) {
			return
		}
		// Optimistic bound: everything still closable gets closed.
		bound := closed
		for g, ok := range closable[k] {
			if ok && covered[g] == 0 {
				bound += s.p.Gaps[g].Weight
			}
		}
		if bound < bestClosed-planEps {
			return
		}
		if bound <= bestClosed+planEps && price > bestPrice+planEps {
			return
		}
		if k == n {
			cand := slices.Clone(chosen)
			sort.Ints(cand)
			if best == nil || s.better(cand, best) {
				best = cand
				bestClosed, bestPrice = closed, price
			}
			return
		}
		i := s.order[k]
		o := s.p.Options[i]
		adds := 0.0
		for _, g := range o.Closes {
			if covered[g] == 0 {
				adds += s.p.Gaps[g].Weight
			}
		}
		// Include option i, when it fits the budget and closes something new
		// (an option that closes nothing new can only add price).
		if price+s.price[i] <= s.budget+planEps && adds > planEps {
			chosen = append(chosen, i)
			for _, g := range o.Closes {
				covered[g]++
			}
			closed += adds
			price += s.price[i]
			dfs(k + 1)
			price -= s.price[i]
			closed -= adds
			for _, g := range o.Closes {
				covered[g]--
			}
			chosen = chosen[:len(chosen)-1]
		}
		dfs(k + 1)
	}
	dfs(0)
	if nodes > exactNodeLimit {
		return PlanSolution{}, false
	}
	return s.solution(best, true), true
}

func (s *planSearch) greedy() PlanSolution {
	covered := make([]bool, len(s.p.Gaps))
	taken := make([]bool, len(s.p.Options))
	var chosen []int
	price := 0.0
	gain := func(i int) float64 {
		t := 0.0
		for _, g := range s.p.Options[i].Closes {
			if !covered[g] {
				t += s.p.Gaps[g].Weight
			}
		}
		return t
	}
	for {
		if s.stopped(0) { // a round scans every option: look every round
			return PlanSolution{}
		}
		bestI, bestRatio := -1, 0.0
		for i := range s.p.Options {
			if taken[i] || price+s.price[i] > s.budget+planEps {
				continue
			}
			g := gain(i)
			if g <= planEps {
				continue
			}
			ratio := g / math.Max(s.price[i], planEps)
			if ratio > bestRatio+planEps || (bestI >= 0 && math.Abs(ratio-bestRatio) <= planEps && s.p.Options[i].Stackable && !s.p.Options[bestI].Stackable) {
				bestI, bestRatio = i, ratio
			}
		}
		if bestI < 0 {
			break
		}
		taken[bestI] = true
		chosen = append(chosen, bestI)
		price += s.price[bestI]
		for _, g := range s.p.Options[bestI].Closes {
			covered[g] = true
		}
	}
	// Drop options whose gaps are all closed by others (most expensive first).
	sort.Slice(chosen, func(a, b int) bool { return s.price[chosen[a]] > s.price[chosen[b]] })
	for k := 0; k < len(chosen); {
		without := slices.Delete(slices.Clone(chosen), k, k+1)
		c1, _, _ := s.eval(chosen)
		c2, _, _ := s.eval(without)
		if c2 >= c1-planEps {
			chosen = without
			continue
		}
		k++
	}
	sort.Ints(chosen)
	// The best single affordable option guards the approximation ratio. A
	// single option can only beat the greedy set if it closes at least as
	// much weight on its own, which is cheap to test first.
	closed, _, _ := s.eval(chosen)
	for i := range s.p.Options {
		if s.price[i] > s.budget+planEps {
			continue
		}
		w := 0.0
		for _, g := range s.p.Options[i].Closes {
			w += s.p.Gaps[g].Weight
		}
		if w >= closed-planEps && s.better([]int{i}, chosen) {
			chosen = []int{i}
			closed, _, _ = s.eval(chosen)
		}
	}
	return s.solution(chosen, false)
}
