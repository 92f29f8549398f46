package matcher

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// TestScorerCompetencies checks that evidence for competencies the Scorer
// does not list plays no part: an applicant holding evidence for every
// competency of the taxonomy gets the same fit from the listed evidence
// alone. VerifiedCount stands in for the credentials when they are not
// loaded.
func TestScorerCompetencies(t *testing.T) {
	tax, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		reqs []string
	}{
		{"warehouse", []string{"lt-forklift-operation", "lt-rf-scanning", "ohs-safe-lifting"}},
		{"electrician", []string{"tc-residential-wiring", "tc-electrical-code", "ohs-first-aid"}},
		{"none", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var reqs []Requirement
			for i, id := range tc.reqs {
				reqs = append(reqs, Requirement{CompetencyID: id, Label: id, Must: i == 0, Weight: 1, Confidence: Detected, Score: 1})
			}
			sc := NewScorer(tax, reqs, DefaultPolicy(), now)
			comps := sc.Competencies()
			if !slices.IsSorted(comps) {
				t.Error("not sorted")
			}
			for _, id := range tc.reqs {
				if !slices.Contains(comps, id) {
					t.Errorf("%s, a requirement, is not listed", id)
				}
			}
			if len(tc.reqs) > 0 && len(comps) >= len(tax.Competencies()) {
				t.Errorf("%d of %d competencies listed: no filtering", len(comps), len(tax.Competencies()))
			}
			all := Applicant{ID: "all"}
			some := Applicant{ID: "all"}
			for i, c := range tax.Competencies() {
				ref := CredentialRef{ID: fmt.Sprintf("urn:c:%05d", i), Status: credential.StatusValid, Trusted: i%2 == 0, IssuedAt: now.AddDate(-i%9, 0, 0)}
				ev := Evidence{CompetencyID: c.ID, Credential: ref, Link: LinkAlignment, Score: 1}
				all.Evidence = append(all.Evidence, ev)
				if slices.Contains(comps, c.ID) {
					some.Evidence = append(some.Evidence, ev)
				}
			}
			some.VerifiedCount = len(all.Evidence)
			fits, err := RankContext(context.Background(), sc, []Applicant{all, some}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if fits[0].Score != fits[1].Score || fits[0].MustMet != fits[1].MustMet || fits[0].Verified != fits[1].Verified {
				t.Errorf("all evidence: score %v, %d must-haves, %d verified; listed evidence: %v, %d, %d",
					fits[0].Score, fits[0].MustMet, fits[0].Verified, fits[1].Score, fits[1].MustMet, fits[1].Verified)
			}
			if fits[1].Verified != len(all.Evidence) {
				t.Errorf("VerifiedCount %d gave %d verified", some.VerifiedCount, fits[1].Verified)
			}
		})
	}
}
