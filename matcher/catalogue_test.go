package matcher

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/skillmatch/skillmatch/taxonomy"
)

func catalogueTaxonomy(t testing.TB) *taxonomy.Taxonomy {
	t.Helper()
	en := func(p string) map[string]taxonomy.Labels { return map[string]taxonomy.Labels{"en": {Preferred: p}} }
	tax, err := taxonomy.New("test", []taxonomy.Competency{
		{ID: "logistics", Kind: taxonomy.KindGroup, Labels: en("logistics")},
		{ID: "forklift", Kind: taxonomy.KindSkill, Labels: en("forklift operation"), Broader: []string{"logistics"}},
		{ID: "whmis", Kind: taxonomy.KindCertification, Labels: en("WHMIS"), Refs: []taxonomy.Ref{{Scheme: "esco", ID: "http://data.europa.eu/esco/skill/whmis-example"}}},
		{ID: "inventory", Kind: taxonomy.KindSkill, Labels: en("inventory control"), Broader: []string{"logistics"}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tax
}

// stockResolver stands in for the extractor: it knows one phrase.
func stockResolver(text string) []string {
	if strings.Contains(text, "stock") {
		return []string{"inventory"}
	}
	return nil
}

func TestReadCatalogueCSV(t *testing.T) {
	tax := catalogueTaxonomy(t)
	f, err := os.Open(filepath.Join("testdata", "catalogue", "good.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := ReadCatalogueCSV(f, "good.csv", tax, stockResolver)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id    string
		comps []string
		hours float64
		cost  float64
	}{
		{"fl-101", []string{"forklift"}, 8, 295},
		{"wh-online", []string{"whmis"}, 2, 39.99},
		{"inv-basics", []string{"forklift", "inventory"}, 12.5, 180},
	}
	if len(items) != len(want) {
		t.Fatalf("%d items, want %d", len(items), len(want))
	}
	for i, w := range want {
		it := items[i]
		if it.ID != w.id || !slices.Equal(it.Competencies, w.comps) || it.Hours != w.hours || it.Cost != w.cost {
			t.Errorf("item %d = %+v, want %+v", i, it, w)
		}
	}
	if items[2].Source != "good.csv:4" || items[0].StackableInto != "warehouse-cert" || items[2].Language != "fr" {
		t.Errorf("source/stack/language not kept: %+v", items)
	}
}

func TestReadCatalogueCSVErrors(t *testing.T) {
	tax := catalogueTaxonomy(t)
	data, err := os.ReadFile(filepath.Join("testdata", "catalogue", "bad.csv"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadCatalogueCSV(strings.NewReader(string(data)), "bad.csv", tax, stockResolver)
	var ce *CatalogueError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *CatalogueError", err)
	}
	for _, want := range []string{
		`bad.csv:2:6: hours "eight"`,
		`bad.csv:3:1: duplicate id "fl-101" (first on line 2)`,
		`bad.csv:3:9: format "by pigeon"`,
		`bad.csv:4:3: empty title`,
		`bad.csv:4:5: "https://unknown.example/skill" is not a competency`,
		`bad.csv:4:7: cost "-5"`,
		`bad.csv:5:5: no competency of the taxonomy test matches "juggling flaming torches"`,
	} {
		found := false
		for _, p := range ce.Problems {
			if strings.HasPrefix(p, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem starting %q in:\n%s", want, err)
		}
	}
	if len(ce.Problems) != 7 {
		t.Errorf("%d problems, want 7:\n%v", len(ce.Problems), err)
	}
}

func TestReadCatalogueCSVHeader(t *testing.T) {
	tax := catalogueTaxonomy(t)
	for _, tt := range []struct{ in, want string }{
		{"", "empty file"},
		{"id,title\n", `no "competencies" column`},
		{"id,title,competencies,price\n", `1:4: unknown column "price"`},
		{"id,title,competencies,id\n", `column "id" appears twice`},
		{"id,title,competencies\n\"a,b\n", "check the quotes"},
	} {
		_, err := ReadCatalogueCSV(strings.NewReader(tt.in), "c.csv", tax, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want it to mention %q", tt.in, err, tt.want)
		}
	}
}

func FuzzReadCatalogueCSV(f *testing.F) {
	for _, name := range []string{"good.csv", "bad.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", "catalogue", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("id,title,competencies\n\"x")
	tax := catalogueTaxonomy(f)
	f.Fuzz(func(t *testing.T, in string) {
		items, err := ReadCatalogueCSV(strings.NewReader(in), "fuzz.csv", tax, stockResolver)
		if err != nil && items != nil {
			t.Fatal("items returned with an error: imports are all or nothing")
		}
		for _, it := range items {
			if it.ID == "" || it.Hours < 0 || it.Cost < 0 {
				t.Fatalf("accepted a bad item %+v", it)
			}
		}
	})
}
