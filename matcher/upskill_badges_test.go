package matcher

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// detectResolver resolves free text with the extractor, as the CLI does.
func detectResolver(e *Extractor) TextResolver {
	return func(text string) []string {
		var ids []string
		for _, r := range e.Detect(text) {
			ids = append(ids, r.CompetencyID)
		}
		return ids
	}
}

func TestReadAchievementCatalogue(t *testing.T) {
	tax := upskillTax(t)
	data, err := os.ReadFile(filepath.Join("testdata", "upskill", "achievements", "offers.json"))
	if err != nil {
		t.Fatal(err)
	}
	items, warnings, err := ReadAchievementCatalogue(data, "offers.json", tax, detectResolver(For(tax)), AchievementOptions{Currency: "CAD"})
	if err != nil {
		t.Fatal(err)
	}
	want := []CatalogueItem{
		{ID: "https://meridian-logistics.example/achievements/reach-truck", Provider: "Meridian Logistics Training", Title: "Reach Truck Operator",
			URL: "https://meridian-logistics.example/achievements/reach-truck", Competencies: []string{"reach-truck"}, Hours: 7.5, Cost: 275, Currency: "CAD",
			Format: "in-person", Language: "en", Level: "intermediate", StackableInto: "Warehouse Operations Certificate", Source: "offers.json[0]"},
		{ID: "urn:uuid:0d6e9b1c-2f4b-4f3e-9d7a-6c1b5f0e8a21", Provider: "safework-academy.example", Title: "WHMIS 2015 online",
			Competencies: []string{"whmis"}, Hours: 0.1 * DefaultHoursPerCredit, Cost: 39.5, Currency: "CAD", Format: "self-paced", Language: "fr", Source: "offers.json[1]"},
		{ID: "https://riverside.example/badges/first-aid", Provider: "Riverside College", Title: "Standard First Aid (advanced)",
			URL: "https://riverside.example/badges/first-aid", Competencies: []string{"first-aid"}, Currency: "CAD", Level: "advanced", Source: "offers.json[2]"},
		{ID: "https://northgate.example/achievements/rf", Provider: "Northgate Skills Institute", Title: "RF scanning for pickers",
			URL: "https://northgate.example/achievements/rf", Competencies: []string{"rf-scanning"}, Hours: 3, Cost: 60, Currency: "CAD", Source: "offers.json[3]"},
	}
	if len(items) != len(want) {
		t.Fatalf("%d items, want %d: %+v", len(items), len(want), items)
	}
	for i := range want {
		got := items[i]
		if got.Hours-want[i].Hours > 1e-9 || want[i].Hours-got.Hours > 1e-9 {
			t.Errorf("item %d hours %v, want %v", i, got.Hours, want[i].Hours)
		}
		got.Hours = want[i].Hours
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("item %d\n got %+v\nwant %+v", i, got, want[i])
		}
	}
	// The BadgeClass states no price and no workload.
	if len(warnings) != 2 || !strings.Contains(warnings[0], "offers.json[2]") || !strings.Contains(strings.Join(warnings, "\n"), "counted as free") {
		t.Errorf("warnings %q", warnings)
	}
}

func TestReadAchievementCatalogueProblems(t *testing.T) {
	tax := upskillTax(t)
	data, err := os.ReadFile(filepath.Join("testdata", "upskill", "achievements", "bad.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = ReadAchievementCatalogue(data, "bad.json", tax, detectResolver(For(tax)), AchievementOptions{})
	var ce *CatalogueError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v, want a *CatalogueError", err)
	}
	want := []string{
		`bad.json[0]: no "name"`,
		"bad.json[1]: no competency of the taxonomy",
		`bad.json[2]: timeRequired "P2D"`,
		"bad.json[3]: price -4 is negative",
		"bad.json[4]: an Open Badges 2.0 assertion",
		`bad.json[5]: courseMode "telepathy"`,
	}
	if len(ce.Problems) != len(want) {
		t.Fatalf("problems:\n%s", strings.Join(ce.Problems, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(ce.Problems[i], w) {
			t.Errorf("problem %d = %q, want it to start with %q", i, ce.Problems[i], w)
		}
	}
	for _, in := range []string{`{`, `"a string"`, `[1]`, `{"type": "Profile"}`} {
		if _, _, err := ReadAchievementCatalogue([]byte(in), "x.json", tax, nil, AchievementOptions{}); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}

func TestIsoHours(t *testing.T) {
	for in, want := range map[string]float64{"PT12H": 12, "PT7H30M": 7.5, "pt45m": 0.75, "PT1.5H": 1.5} {
		if got, err := isoHours(in); err != nil || got != want {
			t.Errorf("isoHours(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "PT", "P1D", "12h", "PT1H30S"} {
		if _, err := isoHours(in); err == nil {
			t.Errorf("isoHours(%q): no error", in)
		}
	}
}

// FuzzReadAchievementCatalogue: the reader never panics, and what it
// accepts has a title, competencies of the taxonomy and non-negative hours
// and cost.
func FuzzReadAchievementCatalogue(f *testing.F) {
	for _, name := range []string{"offers.json", "bad.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "upskill", "achievements", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"BadgeClass","name":"x","alignment":[{"targetUrl":"cpr"}],"offers":{"price":"1e400"}}`))
	f.Add([]byte(`{"type":["Achievement"],"name":"y","alignment":{"targetCode":"whmis"},"timeRequired":"PT99999999999999999999H"}`))
	f.Add([]byte(`[{"type":"Achievement","name":"z","alignment":[{"targetUrl":"cpr"}],"creditsAvailable":1e308}]`))
	tax := upskillTax(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		items, _, err := ReadAchievementCatalogue(data, "fuzz.json", tax, nil, AchievementOptions{})
		if err != nil {
			return
		}
		for _, it := range items {
			if it.Title == "" || len(it.Competencies) == 0 || !(it.Hours >= 0 && it.Hours <= 1e6) || !(it.Cost >= 0) || math.IsInf(it.Cost, 0) {
				t.Fatalf("accepted %+v", it)
			}
			for _, c := range it.Competencies {
				if _, ok := tax.Get(c); !ok {
					t.Fatalf("competency %q is not in the taxonomy", c)
				}
			}
		}
	})
}
