package matcher

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSolvePlanSmall(t *testing.T) {
	gaps := []PlanGap{
		{Person: "ana", Competency: "forklift", Weight: 2},
		{Person: "ana", Competency: "whmis", Weight: 1},
		{Person: "ben", Competency: "whmis", Weight: 1},
	}
	opts := []PlanOption{
		{Person: "ana", Item: "forklift-course", Cost: 300, Hours: 8, Closes: []int{0}},
		{Person: "ana", Item: "whmis-online", Cost: 40, Hours: 2, Closes: []int{1}},
		{Person: "ana", Item: "safety-bundle", Cost: 320, Hours: 12, Closes: []int{0, 1}},
		{Person: "ben", Item: "whmis-online", Cost: 40, Hours: 2, Closes: []int{2}},
	}
	tests := []struct {
		name     string
		budget   float64
		minimise Objective
		want     []int
		closed   float64
	}{
		{"no budget, cheapest full cover", 0, MinimiseCost, []int{2, 3}, 4},
		{"no budget, fewest hours", 0, MinimiseHours, []int{0, 1, 3}, 4},
		{"budget 100 closes the two whmis gaps", 100, MinimiseCost, []int{1, 3}, 2},
		{"budget 340 buys the bundle, cheaper than two courses", 340, MinimiseCost, []int{2}, 3},
		{"budget 10 closes nothing", 10, MinimiseCost, []int{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sol, err := SolvePlan(PlanProblem{Gaps: gaps, Options: opts, Budget: tt.budget, Minimise: tt.minimise})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sol.Chosen, tt.want) || sol.Closed != tt.closed || !sol.Exact {
				t.Errorf("chose %v closing %v (exact %v), want %v closing %v", sol.Chosen, sol.Closed, sol.Exact, tt.want, tt.closed)
			}
		})
	}
}

func TestSolvePlanRejectsBadInput(t *testing.T) {
	for _, p := range []PlanProblem{
		{Minimise: "fun"},
		{Gaps: []PlanGap{{Weight: 1}}, Options: []PlanOption{{Cost: -1, Closes: []int{0}}}},
		{Gaps: []PlanGap{{Weight: 1}}, Options: []PlanOption{{Cost: 1, Closes: []int{3}}}},
	} {
		if _, err := SolvePlan(p); err == nil {
			t.Errorf("SolvePlan(%+v) = nil error, want one", p)
		}
	}
}

func randomPlan(r *rand.Rand, nOpts, nGaps int) PlanProblem {
	p := PlanProblem{Minimise: MinimiseCost}
	if r.IntN(2) == 0 {
		p.Minimise = MinimiseHours
	}
	for g := range nGaps {
		p.Gaps = append(p.Gaps, PlanGap{Person: "p", Competency: string(rune('a' + g)), Weight: float64(1 + r.IntN(3))})
	}
	total := 0.0
	for range nOpts {
		o := PlanOption{Cost: float64(10 + r.IntN(200)), Hours: float64(1 + r.IntN(40)), Stackable: r.IntN(3) == 0}
		for g := range nGaps {
			if r.IntN(4) == 0 {
				o.Closes = append(o.Closes, g)
			}
		}
		total += o.Cost
		p.Options = append(p.Options, o)
	}
	if r.IntN(3) > 0 {
		p.Budget = math.Round(total * (0.1 + 0.5*r.Float64()))
	}
	return p
}

// bruteForce enumerates every subset and keeps the best under the same
// lexicographic objective SolvePlan documents.
func bruteForce(p PlanProblem) []int {
	s := newPlanSearch(p)
	best := []int{}
	for mask := 0; mask < 1<<len(p.Options); mask++ {
		var set []int
		price := 0.0
		for i := range p.Options {
			if mask&(1<<i) != 0 {
				set = append(set, i)
				price += s.price[i]
			}
		}
		if price > s.budget+planEps {
			continue
		}
		if set == nil {
			set = []int{}
		}
		if s.better(set, best) {
			best = set
		}
	}
	return best
}

func TestSolvePlanExactMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		p := randomPlan(r, 1+r.IntN(12), 1+r.IntN(8))
		sol, err := SolvePlan(p)
		if err != nil {
			t.Fatal(err)
		}
		want := bruteForce(p)
		if !slices.Equal(sol.Chosen, want) {
			t.Fatalf("instance %d: exact chose %v, brute force %v", n, sol.Chosen, want)
		}
	}
}

// TestSolvePlanGreedyBound checks the approximation against brute force on
// small instances by calling the greedy directly: it stays within budget
// and closes at least (1−1/e)/2 of the optimum weight.
func TestSolvePlanGreedyBound(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ratio := (1 - 1/math.E) / 2
	worst := 1.0
	for n := range 300 {
		p := randomPlan(r, 1+r.IntN(12), 1+r.IntN(8))
		s := newPlanSearch(p)
		g := s.greedy()
		opt := s.solution(bruteForce(p), true)
		if g.Exact {
			t.Fatal("greedy solution marked exact")
		}
		if p.Budget > 0 {
			price := g.Cost
			if p.Minimise == MinimiseHours {
				price = g.Hours
			}
			if price > p.Budget+planEps {
				t.Fatalf("instance %d: greedy over budget: %v > %v", n, price, p.Budget)
			}
		}
		if opt.Closed > 0 {
			worst = min(worst, g.Closed/opt.Closed)
			if g.Closed < ratio*opt.Closed-planEps {
				t.Fatalf("instance %d: greedy closed %v, optimum %v", n, g.Closed, opt.Closed)
			}
		}
	}
	t.Logf("worst greedy/optimum closed weight over 300 instances: %.3f", worst)
}

func TestSolvePlanLargeUsesGreedy(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	p := randomPlan(r, ExactPlanLimit+10, 30)
	sol, err := SolvePlan(p)
	if err != nil {
		t.Fatal(err)
	}
	if sol.Exact {
		t.Errorf("%d options: want the greedy approximation", len(p.Options))
	}
}

func BenchmarkSolvePlanGreedy(b *testing.B) {
	// A team of 200 with 2,000 catalogue items is ~20k (person, item) options.
	r := rand.New(rand.NewPCG(7, 8))
	p := randomPlan(r, 4000, 400)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SolvePlan(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSolvePlanExact40(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	p := randomPlan(r, ExactPlanLimit, 25)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SolvePlan(p); err != nil {
			b.Fatal(err)
		}
	}
}

// stopAfter is a context whose Err reports cancellation once it has been
// asked more than n times: it cancels a search part-way, deterministically.
type stopAfter struct {
	context.Context
	n, asked int
}

func (c *stopAfter) Err() error {
	if c.asked++; c.asked > c.n {
		return context.Canceled
	}
	return nil
}

// TestSolvePlanStopsWhenCancelled cancels the exact search and the greedy
// part-way through and before they start: each returns the context's error
// and no plan.
func TestSolvePlanStopsWhenCancelled(t *testing.T) {
	for _, tc := range []struct {
		name    string
		p       PlanProblem
		allowed int // calls of Err that report no cancellation
	}{
		{"exact, part-way", randomPlan(rand.New(rand.NewPCG(9, 10)), ExactPlanLimit, 25), 1},
		{"greedy, part-way", randomPlan(rand.New(rand.NewPCG(7, 8)), 4000, 400), 3},
		{"before the search", randomPlan(rand.New(rand.NewPCG(1, 2)), 10, 5), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := &stopAfter{Context: context.Background(), n: tc.allowed}
			sol, err := SolvePlanContext(ctx, tc.p)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if ctx.asked != tc.allowed+1 {
				t.Errorf("Err asked %d times, want %d: the search did not stop where cancelled", ctx.asked, tc.allowed+1)
			}
			if len(sol.Chosen) != 0 {
				t.Errorf("a cancelled search chose %v", sol.Chosen)
			}
		})
	}
	if _, err := PlanUpskillingContext(&stopAfter{Context: context.Background()}, planTeam(t, ""), planCatalogue(), UpskillOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("PlanUpskillingContext with a cancelled context: err = %v, want context.Canceled", err)
	}
}
