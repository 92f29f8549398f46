package taxonomy

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMerge(t *testing.T) {
	base, err := ImportESCO(filepath.Join("testdata", "esco"))
	if err != nil {
		t.Fatal(err)
	}
	spread := escoSkill + "test-spreadsheets"
	overlay, err := New("acme", []Competency{
		{ID: "acme-office", Kind: KindGroup, Labels: map[string]Labels{"en": {Preferred: "office software"}}},
		{ID: spread, Kind: KindTool, Broader: []string{"acme-office"}, Related: []string{"acme-office"},
			Labels:      map[string]Labels{"en": {Preferred: "spreadsheets", Alt: []string{"Excel", "use spreadsheet"}}, "de": {Preferred: "Tabellenkalkulation"}},
			Description: map[string]string{"de": "Tabellen bearbeiten."},
			Refs:        []Ref{{"onet", "43232110"}}},
		{ID: escoSkill + "test-databases", Kind: KindKnowledge, Labels: map[string]Labels{"en": {Preferred: "databases"}}},
	}, []Occupation{
		{ID: "http://data.europa.eu/esco/occupation/test-data-analyst", Labels: map[string]Labels{"en": {Preferred: "data analyst"}},
			Essential: []string{"acme-office", escoSkill + "test-databases"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Merge(base, overlay)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != base.Name+"+acme" || m.Len() != base.Len()+1 { // acme-office is new
		t.Errorf("name %q, %d competencies", m.Name, m.Len())
	}
	c, _ := m.Get(spread)
	checks := []struct {
		what      string
		got, want any
	}{
		{"kind replaced", c.Kind, KindTool},
		{"preferred replaced", c.Labels["en"].Preferred, "spreadsheets"},
		// The old preferred label becomes an alternative; alternatives are united.
		{"alt united", strings.Join(c.Labels["en"].Alt, "|"), "use spreadsheet|work with spreadsheets|operate spreadsheet programs|use spreadsheets software|Excel"},
		{"hidden kept", strings.Join(c.Labels["en"].Hidden, "|"), "use spreadshets"},
		{"fr kept", c.Labels["fr"].Preferred, "utiliser un tableur"},
		{"de added", c.Labels["de"].Preferred, "Tabellenkalkulation"},
		{"description added", c.Description["de"], "Tabellen bearbeiten."},
		{"description kept", strings.HasPrefix(c.Description["en"], "Use software tools"), true},
		{"broader united", strings.Join(c.Broader, " "), "acme-office " + escoSkill + "test-group-computers"},
		{"related united", strings.Join(c.Related, " "), "acme-office " + escoSkill + "test-pivot-tables"},
		{"refs united", len(c.Refs), 2},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.what, ch.got, ch.want)
		}
	}
	o, _ := m.Occupation("http://data.europa.eu/esco/occupation/test-data-analyst")
	// test-databases was optional in base: essential in the overlay wins.
	if want := []string{"acme-office", escoSkill + "test-databases", escoSkill + "test-python", escoSkill + "test-spreadsheets"}; !slices.Equal(o.Essential, want) {
		t.Errorf("essential %v, want %v", o.Essential, want)
	}
	if want := []string{escoSkill + "test-pivot-tables"}; !slices.Equal(o.Optional, want) {
		t.Errorf("optional %v, want %v", o.Optional, want)
	}
	if o.Code != "2511" || len(o.Labels["en"].Alt) != 2 {
		t.Errorf("base occupation data lost: %+v", o)
	}

	// Neither input changed.
	if b, _ := base.Get(spread); b.Kind != KindSkill || b.Labels["en"].Preferred != "use spreadsheets software" || len(b.Broader) != 1 || len(b.Labels) != 2 {
		t.Errorf("base changed: %+v", b)
	}
	if ob, _ := base.Occupation(o.ID); len(ob.Essential) != 2 {
		t.Errorf("base occupation changed: %+v", ob)
	}
	if oc, _ := overlay.Get(spread); len(oc.Broader) != 1 || len(oc.Labels["en"].Alt) != 2 {
		t.Errorf("overlay changed: %+v", oc)
	}
	if len(m.Notes) != len(base.Notes) {
		t.Errorf("notes %v, want base's", m.Notes)
	}
}

func TestMergeConflict(t *testing.T) {
	// The overlay makes a cycle with base's hierarchy.
	base, err := New("base", []Competency{
		{ID: "a", Kind: KindGroup, Labels: map[string]Labels{"en": {Preferred: "A"}}},
		{ID: "b", Kind: KindSkill, Broader: []string{"a"}, Labels: map[string]Labels{"en": {Preferred: "B"}}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	overlay, err := New("overlay", []Competency{
		{ID: "a", Kind: KindGroup, Broader: []string{"b"}, Labels: map[string]Labels{"en": {Preferred: "A"}}},
		{ID: "b", Kind: KindSkill, Labels: map[string]Labels{"en": {Preferred: "B"}}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Merge(base, overlay)
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "cycle in broader: a → b → a") {
		t.Errorf("Merge error %v, want a cycle a → b → a", err)
	}
}

func TestOpen(t *testing.T) {
	esco := "esco:" + filepath.Join("testdata", "esco")
	onet := "onet:" + filepath.Join("testdata", "onet")
	companyCSV := "csv:" + filepath.Join("testdata", "plain", "company.csv")
	companyJSON := "json:" + filepath.Join("testdata", "plain", "company.json")
	overlay := "csv:" + filepath.Join("testdata", "plain", "overlay.csv")
	def, err := Default()
	if err != nil {
		t.Fatalf("default taxonomy: %v", err)
	}
	tests := []struct {
		spec   string
		comps  int
		occs   int
		check  func(t *testing.T, tax *Taxonomy)
		errors []string
	}{
		{spec: "default", comps: def.Len()},
		{spec: esco, comps: 17, occs: 2},
		{spec: onet, comps: 34, occs: 3},
		{spec: companyCSV, comps: 5, occs: 1},
		{spec: companyJSON, comps: 3, occs: 1, check: func(t *testing.T, tax *Taxonomy) {
			if tax.Name != companyJSON {
				t.Errorf("name %q, want the spec", tax.Name)
			}
		}},
		{spec: esco + "+" + overlay, comps: 18, occs: 2, check: func(t *testing.T, tax *Taxonomy) {
			c, _ := tax.Get(escoSkill + "test-spreadsheets")
			if !slices.Contains(c.Labels["en"].Alt, "Google Sheets") || !slices.Equal(c.Labels["fr"].Alt, []string{"utiliser des tableurs", "travailler avec un tableur", "Excel"}) {
				t.Errorf("overlay labels not merged: %+v", c.Labels)
			}
			if c.Labels["en"].Preferred != "use spreadsheets software" || c.Kind != KindSkill {
				t.Errorf("an empty label or kind in the overlay must keep base's: %+v", c)
			}
			if got := ids(tax.Children(c.ID)); !slices.Equal(got, []string{"acme-power-query", escoSkill + "test-pivot-tables"}) {
				t.Errorf("children %v", got)
			}
			o, _ := tax.Occupation("http://data.europa.eu/esco/occupation/test-data-analyst")
			if !slices.Contains(o.Essential, "acme-power-query") || !slices.Contains(o.Labels["en"].Alt, "BI analyst") || o.Code != "2511" {
				t.Errorf("occupation not merged: %+v", o)
			}
			if tax.Name != esco+"+"+overlay || len(tax.Notes) != 2 {
				t.Errorf("name %q, notes %v", tax.Name, tax.Notes)
			}
		}},
		{spec: "default+" + esco + "+" + companyCSV, comps: def.Len() + 17 + 5, occs: 3},
		{spec: esco + "+" + onet, comps: 17 + 34, occs: 5},
		// Alone, the overlay's references to ESCO IDs dangle: every one is reported.
		{spec: overlay, errors: []string{
			`overlay.csv:2:55: http://data.europa.eu/esco/skill/test-spreadsheets has no preferred label`,
			`overlay.csv:3:74: acme-power-query: related "http://data.europa.eu/esco/skill/test-pivot-tables" is not a competency`,
		}},
		{spec: "", errors: []string{`"" is not a taxonomy spec`}},
		{spec: "xml:x.xml", errors: []string{`unknown taxonomy source "xml"`}},
		{spec: "esco:", errors: []string{`"esco:" is not a taxonomy spec`}},
		{spec: "default+", errors: []string{`"" is not a taxonomy spec`}},
		{spec: "csv:" + filepath.Join("testdata", "missing.csv"), errors: []string{"missing.csv", "no such file"}},
		{spec: esco + "+csv:" + filepath.Join("testdata", "plain-broken", "unknown-broader.csv"), errors: []string{`unknown-broader.csv:3:15: acme-crm: broader "acme-software"`}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			tax, err := Open(tt.spec)
			if len(tt.errors) > 0 {
				if err == nil {
					t.Fatalf("Open succeeded, want an error")
				}
				for _, w := range tt.errors {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error\n  %v\nwant it to contain\n  %s", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tax.Len() != tt.comps || len(tax.Occupations()) != tt.occs {
				t.Errorf("%d competencies and %d occupations, want %d and %d", tax.Len(), len(tax.Occupations()), tt.comps, tt.occs)
			}
			if tt.check != nil {
				tt.check(t, tax)
			}
		})
	}
}
