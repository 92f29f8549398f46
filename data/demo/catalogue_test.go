package demo

import (
	"slices"
	"testing"

	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

func TestCatalogue(t *testing.T) {
	tax, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	items, err := Catalogue(tax)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < 30 {
		t.Errorf("%d items, want about 30 or more", len(items))
	}
	providers, langs, formats, stackable := map[string]bool{}, map[string]int{}, map[string]bool{}, 0
	for _, it := range items {
		providers[it.Provider] = true
		langs[it.Language]++
		formats[it.Format] = true
		if it.Hours <= 0 || it.Cost <= 0 || it.Currency != "CAD" || it.URL == "" || it.Provider == "" {
			t.Errorf("%s: hours %v, cost %v %s, URL %q, provider %q: every demo item needs them", it.ID, it.Hours, it.Cost, it.Currency, it.URL, it.Provider)
		}
		if it.Language != "en" && it.Language != "fr" {
			t.Errorf("%s: language %q", it.ID, it.Language)
		}
		if it.StackableInto != "" {
			stackable++
		}
	}
	if len(providers) < 5 || langs["fr"] < 5 || len(formats) != len(matcher.CatalogueFormats) || stackable < 10 {
		t.Errorf("%d providers, %d French items, formats %v, %d stackable: the demo should show variety", len(providers), langs["fr"], formats, stackable)
	}
	// Every demo job's detected requirements are mostly teachable: an item
	// teaches the competency or a more specific one.
	m, err := ReadManifest()
	if err != nil {
		t.Fatal(err)
	}
	ex := matcher.For(tax)
	for _, j := range m.Jobs {
		text, err := JobText(j)
		if err != nil {
			t.Fatal(err)
		}
		var detected, taught int
		for _, r := range ex.Extract(text).Requirements {
			if r.Confidence != matcher.Detected {
				continue
			}
			detected++
			if slices.ContainsFunc(items, func(it matcher.CatalogueItem) bool {
				return slices.ContainsFunc(it.Competencies, func(c string) bool {
					rel, _ := matcher.Relate(tax, r.CompetencyID, c, 0)
					return rel == matcher.RelExact || rel == matcher.RelNarrower
				})
			}) {
				taught++
			}
		}
		if detected == 0 || taught*4 < detected*3 {
			t.Errorf("job %s: the catalogue teaches %d of its %d detected requirements, want at least three quarters", j.ID, taught, detected)
		}
	}
	if b := CatalogueCSV(); len(b) == 0 || b[0] != 'i' {
		t.Error("CatalogueCSV does not start with the header")
	}
}
