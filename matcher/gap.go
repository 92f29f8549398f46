package matcher

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// GapAnalysis is how a person or a team fits a role (a job's requirements
// or an occupation template): for every person, the fit of every
// requirement; for every requirement, who meets it, who partly meets it
// (with the evidence) and who lacks it; and the team's coverage.
//
// A person's fit to a requirement IS the ranking's requirement fit: the
// analysis runs the same Scorer as Rank, so the relation, verification,
// currency, level, years, volume and corroboration rules of the Policy
// apply unchanged, and a credential that would not count for an applicant
// does not count for an employee either.
type GapAnalysis struct {
	// Requirements are the role's requirements, in the order given.
	Requirements []Requirement `json:"requirements"`
	// People are the persons assessed, ordered by ID.
	People []PersonGaps `json:"people"`
	// Coverage has one entry per requirement, in the order of Requirements.
	Coverage []RequirementCoverage `json:"coverage"`
	// Now is the moment currency and expiry are judged as of.
	Now time.Time `json:"now"`

	scorer *Scorer
}

// PersonGaps is one person's fit to the role.
type PersonGaps struct {
	Person string `json:"person"`
	Name   string `json:"name,omitempty"`
	// Score is the ranking's score of the person for the role, 0–100.
	Score float64 `json:"score"`
	// Met, Partly and Missing count the person's requirements by outcome.
	Met     int `json:"met"`
	Partly  int `json:"partly"`
	Missing int `json:"missing"`
	// Requirements explain every requirement, in the role's order (the
	// ranking's RequirementDetail: outcome, fit, deciding evidence, any
	// credential that did not count, and a sentence).
	Requirements []RequirementDetail `json:"requirements"`

	fit Fit
}

// DisplayName is the person's name, or their ID when they have none.
func (p *PersonGaps) DisplayName() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Person
}

// Holder is a person who meets or partly meets a requirement, with the
// evidence that decided it.
type Holder struct {
	Person string  `json:"person"`
	Name   string  `json:"name,omitempty"`
	Fit    float64 `json:"fit"`
	// Evidence is the deciding contribution (credential, relation, status,
	// age and factors).
	Evidence *Contribution `json:"evidence,omitempty"`
}

// RequirementCoverage is the team's coverage of one requirement.
type RequirementCoverage struct {
	// Index of the requirement in GapAnalysis.Requirements.
	Index        int    `json:"index"`
	CompetencyID string `json:"id"`
	Label        string `json:"label"`
	Must         bool   `json:"must"`
	// Met and Partly are the people who meet or partly meet the
	// requirement, best fit first (then by person ID).
	Met    []Holder `json:"met"`
	Partly []Holder `json:"partly"`
	// Lacking are the IDs of the people without any counting evidence, in
	// person order.
	Lacking []string `json:"lacking"`
	// Holders is how many people meet the requirement: the team's bus
	// factor for the competency.
	Holders int `json:"holders"`
	// AtRisk is true when at most one person meets the requirement: one
	// departure or absence leaves the team without it.
	AtRisk bool `json:"at_risk"`
}

// Heatmap is the team × requirements matrix of fits, for display: rows are
// people (in GapAnalysis.People order), columns requirements.
type Heatmap struct {
	People       []string    `json:"people"`       // display names
	PersonIDs    []string    `json:"person_ids"`   // stable IDs
	Requirements []string    `json:"requirements"` // labels
	Competencies []string    `json:"competencies"` // competency IDs
	Must         []bool      `json:"must"`
	Fit          [][]float64 `json:"fit"`     // [person][requirement] in [0,1]
	Outcome      [][]Outcome `json:"outcome"` // [person][requirement]
	// Holders per requirement (column), as in Coverage.
	Holders []int `json:"holders"`
}

// AnalyzeGaps assesses every person against the scorer's requirements.
// See AnalyzeGapsContext.
func AnalyzeGaps(s *Scorer, people []Applicant) *GapAnalysis {
	g, _ := AnalyzeGapsContext(context.Background(), s, people, nil)
	return g
}

// AnalyzeGapsContext assesses every person (employees, with the evidence
// of their credentials) against the scorer's requirements, with the
// scorer's policy and time, and works out the team's coverage. progress
// (if not nil) is called with the number of people assessed, every 100
// people and at the end. It returns ctx's error when cancelled. People with
// the same ID are an error: IDs must identify people.
func AnalyzeGapsContext(ctx context.Context, s *Scorer, people []Applicant, progress func(done, total int)) (*GapAnalysis, error) {
	order := make([]int, len(people))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(people[a].ID, people[b].ID) })
	for k := 1; k < len(order); k++ {
		if people[order[k]].ID == people[order[k-1]].ID {
			return nil, fmt.Errorf("gap analysis: two people have the ID %q; give every person a unique ID", people[order[k]].ID)
		}
	}
	reqs := s.Requirements()
	g := &GapAnalysis{Requirements: reqs, Now: s.Now(), scorer: s, People: make([]PersonGaps, 0, len(people))}
	for n, i := range order {
		if n%100 == 0 && n > 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if progress != nil {
				progress(n, len(people))
			}
		}
		a := &people[i]
		f := s.Assess(a)
		p := PersonGaps{Person: a.ID, Name: a.Name, Score: f.Score, fit: f, Requirements: f.Details()}
		for _, d := range p.Requirements {
			switch d.Outcome {
			case OutcomeMet:
				p.Met++
			case OutcomePartly:
				p.Partly++
			default:
				p.Missing++
			}
		}
		g.People = append(g.People, p)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(len(people), len(people))
	}
	g.Coverage = make([]RequirementCoverage, len(reqs))
	for j := range reqs {
		c := RequirementCoverage{Index: j, CompetencyID: reqs[j].CompetencyID, Label: labelOf(reqs[j]), Must: reqs[j].Must, Met: []Holder{}, Partly: []Holder{}, Lacking: []string{}}
		for pi := range g.People {
			p := &g.People[pi]
			d := p.Requirements[j]
			h := Holder{Person: p.Person, Name: p.Name, Fit: d.Fit, Evidence: d.Evidence}
			switch d.Outcome {
			case OutcomeMet:
				c.Met = append(c.Met, h)
			case OutcomePartly:
				c.Partly = append(c.Partly, h)
			default:
				c.Lacking = append(c.Lacking, p.Person)
			}
		}
		byFit := func(a, b Holder) int {
			switch {
			case a.Fit > b.Fit:
				return -1
			case a.Fit < b.Fit:
				return 1
			}
			return strings.Compare(a.Person, b.Person)
		}
		slices.SortStableFunc(c.Met, byFit)
		slices.SortStableFunc(c.Partly, byFit)
		c.Holders = len(c.Met)
		c.AtRisk = c.Holders <= 1
		g.Coverage[j] = c
	}
	return g, nil
}

// Scorer returns the scorer the analysis was made with (its policy,
// taxonomy, requirements and time), for planning.
func (g *GapAnalysis) Scorer() *Scorer { return g.scorer }

// Person returns the gaps of the person with the given ID.
func (g *GapAnalysis) Person(id string) (*PersonGaps, bool) {
	i, ok := slices.BinarySearchFunc(g.People, id, func(p PersonGaps, id string) int { return strings.Compare(p.Person, id) })
	if !ok {
		return nil, false
	}
	return &g.People[i], true
}

// Heatmap returns the people × requirements matrix of fits.
func (g *GapAnalysis) Heatmap() Heatmap {
	h := Heatmap{
		People: make([]string, len(g.People)), PersonIDs: make([]string, len(g.People)),
		Requirements: make([]string, len(g.Requirements)), Competencies: make([]string, len(g.Requirements)),
		Must: make([]bool, len(g.Requirements)), Holders: make([]int, len(g.Requirements)),
		Fit: make([][]float64, len(g.People)), Outcome: make([][]Outcome, len(g.People)),
	}
	for j, r := range g.Requirements {
		h.Requirements[j] = labelOf(r)
		h.Competencies[j] = r.CompetencyID
		h.Must[j] = r.Must
		if j < len(g.Coverage) {
			h.Holders[j] = g.Coverage[j].Holders
		}
	}
	for i := range g.People {
		p := &g.People[i]
		h.People[i] = p.DisplayName()
		h.PersonIDs[i] = p.Person
		h.Fit[i] = make([]float64, len(g.Requirements))
		h.Outcome[i] = make([]Outcome, len(g.Requirements))
		for j, d := range p.Requirements {
			h.Fit[i][j] = d.Fit
			h.Outcome[i][j] = d.Outcome
		}
	}
	return h
}

// AtRisk returns the requirements that at most one person meets, must-haves
// first, each group in the role's order.
func (g *GapAnalysis) AtRisk() []RequirementCoverage {
	var must, assets []RequirementCoverage
	for _, c := range g.Coverage {
		if !c.AtRisk {
			continue
		}
		if c.Must {
			must = append(must, c)
		} else {
			assets = append(assets, c)
		}
	}
	return append(must, assets...)
}

// Summary says in one sentence per requirement who meets it, who partly
// meets it and who lacks it, with the bus factor.
func (c *RequirementCoverage) Summary(names func(id string) string) string {
	if names == nil {
		names = func(id string) string { return id }
	}
	list := func(hs []Holder) string {
		parts := make([]string, len(hs))
		for i, h := range hs {
			parts[i] = fmt.Sprintf("%s (%.2f)", names(h.Person), h.Fit)
		}
		return strings.Join(parts, ", ")
	}
	var b strings.Builder
	kind := "asset"
	if c.Must {
		kind = "must-have"
	}
	fmt.Fprintf(&b, "%s (%s): ", c.Label, kind)
	switch c.Holders {
	case 0:
		b.WriteString("nobody meets it")
	case 1:
		fmt.Fprintf(&b, "only %s meets it", list(c.Met))
	default:
		fmt.Fprintf(&b, "%d people meet it: %s", c.Holders, list(c.Met))
	}
	if len(c.Partly) > 0 {
		fmt.Fprintf(&b, "; partly: %s", list(c.Partly))
	}
	if len(c.Lacking) > 0 {
		ns := make([]string, len(c.Lacking))
		for i, id := range c.Lacking {
			ns[i] = names(id)
		}
		fmt.Fprintf(&b, "; lacking: %s", strings.Join(ns, ", "))
	}
	if c.AtRisk {
		b.WriteString(" — bus factor ")
		fmt.Fprintf(&b, "%d", c.Holders)
	}
	b.WriteString(".")
	return b.String()
}
