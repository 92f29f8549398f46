package matcher

import (
	"errors"
	"testing"

	"github.com/skillmatch/skillmatch/taxonomy"
)

func TestFromOccupation(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	reqs, err := e.FromOccupation("occ-line-cook", French)
	if err != nil {
		t.Fatal(err)
	}
	var must, asset []string
	for _, r := range reqs {
		if r.Confidence != Template || len(r.Spans) != 0 {
			t.Errorf("%s: confidence %s spans %v", r.CompetencyID, r.Confidence, r.Spans)
		}
		if r.Must {
			must = append(must, r.CompetencyID)
			if r.Weight != 1 {
				t.Errorf("%s: must weight %v", r.CompetencyID, r.Weight)
			}
		} else {
			asset = append(asset, r.CompetencyID)
			if r.Weight != 0.5 {
				t.Errorf("%s: asset weight %v", r.CompetencyID, r.Weight)
			}
		}
	}
	// Sorted must first, then by label in the asked language.
	wantMust := []string{"cooking", "food-prep", "food-safety", "knife-skills"} // cuisine, préparation…, salubrité…, techniques…
	wantAsset := []string{"baking", "grill"}                                    // boulangerie, cuisson sur le gril
	if !equalStrings(must, wantMust) || !equalStrings(asset, wantAsset) {
		t.Errorf("must %v asset %v; want %v %v", must, asset, wantMust, wantAsset)
	}
	if reqs[0].Label != "cuisine" {
		t.Errorf("label in French: %q", reqs[0].Label)
	}
	if _, err := e.FromOccupation("occ-astronaut", English); !errors.Is(err, taxonomy.ErrNotFound) {
		t.Errorf("unknown occupation: %v", err)
	}
}

func TestMatchOccupations(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	for _, tc := range []struct {
		title, want string
	}{
		{"Senior Backend Developer", "occ-backend-developer"},
		{"Warehouse worker – night shift", "occ-warehouse-associate"},
		{"Cuisinier de ligne", "occ-line-cook"},
		{"Infirmière clinicienne", "occ-nurse"},
		{"Comptable principal", "occ-accountant"},
		{"data analyst (retail)", "occ-data-analyst"},
	} {
		m := e.MatchOccupations(tc.title, 3)
		if len(m) == 0 || m[0].Occupation.ID != tc.want {
			t.Errorf("MatchOccupations(%q) = %+v, want %s first", tc.title, m, tc.want)
			continue
		}
		if m[0].Score <= 0 || m[0].Score > 1 || m[0].Label == "" {
			t.Errorf("%q: score %v label %q", tc.title, m[0].Score, m[0].Label)
		}
	}
	if m := e.MatchOccupations("astronaut", 3); len(m) != 0 {
		t.Errorf("astronaut matched %+v", m)
	}
}

func TestOccupationBoost(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	// Two detected competencies of the data-analyst profile lift its other
	// competencies.
	d := e.analyze("SQL and statistics.")
	boost := e.occupationBoost(d.dets)
	da, _ := boost.get(e.index["data-analysis"])
	pbi, _ := boost.get(e.index["power-bi"])
	if da <= 0 || pbi <= 0 {
		t.Errorf("no boost for the profile's other competencies: %+v", boost)
	}
	if da <= pbi {
		t.Errorf("essential data analysis (%v) not boosted above optional Power BI (%v)", da, pbi)
	}
	if b := e.occupationBoost(e.analyze("SQL only.").dets); b != nil {
		t.Errorf("one detection should not vote: %+v", b)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
