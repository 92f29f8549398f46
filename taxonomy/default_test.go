package taxonomy

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// escoDir is the shared ESCO 1.1.1 distribution, beside the repository.
var escoDir = filepath.Join("..", "..", "shared", "data", "esco-1.1.1")

func TestDefaultValidatesAndMeetsTheNumbers(t *testing.T) {
	tax, err := Default()
	if err != nil {
		t.Fatalf("embedded default taxonomy: %v", err)
	}
	s := tax.Stats()
	if s.Competencies < 600 {
		t.Errorf("default has %d competencies, want ≥ 600", s.Competencies)
	}
	for _, lang := range []string{"en", "fr"} {
		if avg := float64(s.Labels[lang]) / float64(s.Competencies); avg < 3 {
			t.Errorf("%s: %.2f labels per competency on average, want ≥ 3", lang, avg)
		}
	}
	if s.MaxDepth < 3 {
		t.Errorf("hierarchy depth %d, want ≥ 3 levels below the roots", s.MaxDepth)
	}
	families := []string{"software-data", "it-ops-security", "health-care", "trades-construction",
		"manufacturing-maintenance", "finance-accounting", "sales-marketing-service", "hr-admin",
		"education-training", "hospitality-food", "logistics-transport", "energy-green",
		"transversal", "languages", "ohs", "certifications"}
	for _, f := range families {
		if _, ok := tax.Get(f); !ok {
			t.Errorf("family root %q missing", f)
			continue
		}
		n := 0
		for _, c := range tax.Competencies() {
			if _, ok := tax.IsAncestor(f, c.ID); ok {
				n++
			}
		}
		if n < 15 {
			t.Errorf("family %q has %d competencies below it, want ≥ 15", f, n)
		}
	}
	for _, c := range tax.Competencies() {
		if c.Kind != KindGroup && len(c.Broader) == 0 {
			t.Errorf("%s: a non-group competency must have a parent", c.ID)
		}
	}
}

// TestDefaultESCOURIsExist checks that every ESCO reference of the default
// taxonomy names a real ESCO 1.1.1 skill or skill group.
func TestDefaultESCOURIsExist(t *testing.T) {
	tax, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, name := range []string{"skills_en.csv", "skillGroups_en.csv"} {
		f, err := os.Open(filepath.Join(escoDir, name))
		if err != nil {
			t.Skipf("ESCO data not found at %s (%v): ESCO URIs not checked", escoDir, err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			known[r[1]] = true
		}
	}
	n := 0
	for _, c := range tax.Competencies() {
		if uri, ok := c.Ref("esco"); ok {
			n++
			if !known[uri] {
				t.Errorf("%s: ESCO URI %s is not an ESCO 1.1.1 skill", c.ID, uri)
			}
		}
	}
	t.Logf("%d of %d competencies carry an ESCO URI", n, tax.Len())
}
