package taxonomy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestImportCSV(t *testing.T) {
	tax, err := ImportCSV(filepath.Join("testdata", "plain", "company.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if tax.Len() != 5 || len(tax.Occupations()) != 1 {
		t.Fatalf("%d competencies, %d occupations; want 5 and 1", tax.Len(), len(tax.Occupations()))
	}
	tests := []struct {
		id      string
		want    Competency
		compare func(got *Competency) bool
	}{
		{id: "acme-crm", want: Competency{ID: "acme-crm", Kind: KindTool,
			Labels: map[string]Labels{
				"en": {Preferred: "Salesforce CRM", Alt: []string{"Salesforce", "SFDC", "Salesforce.com"}, Hidden: []string{"salesforce crm admin"}},
				"fr": {Preferred: "CRM Salesforce", Alt: []string{"Salesforce"}},
			},
			Description: map[string]string{"en": "Track customer accounts, cases and follow-ups in Salesforce."},
			Broader:     []string{"acme-digital"}, Related: []string{"acme-customer-care"}}},
		{id: "acme-customer-care", want: Competency{ID: "acme-customer-care", Kind: KindSkill,
			Labels: map[string]Labels{
				"en": {Preferred: "handle customer complaints", Alt: []string{"complaint handling", "deal with unhappy customers"}},
				"fr": {Preferred: "traiter les réclamations des clients", Alt: []string{"gestion des plaintes"}},
			},
			Description: map[string]string{"en": "Listen to a complaint, log it and resolve it within a day."},
			Related:     []string{"acme-crm"}, Refs: []Ref{{"esco", escoSkill + "test-customers"}}}},
		// "\|" and "\\" escape the separator and the backslash.
		{id: "acme-ci", want: Competency{ID: "acme-ci", Kind: KindSkill,
			Labels: map[string]Labels{
				"en": {Preferred: "CI/CD pipelines", Alt: []string{"continuous integration", "CI | CD", `pipe\line`}},
				"fr": {Preferred: "pipelines CI/CD", Alt: []string{"intégration continue"}},
			},
			Broader: []string{"acme-digital"}}},
	}
	for _, tt := range tests {
		c, ok := tax.Get(tt.id)
		if !ok {
			t.Errorf("%s missing", tt.id)
			continue
		}
		got := *c
		got.Narrower = nil
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", tt.id, got, tt.want)
		}
	}
	if got := ids(tax.Children("acme-digital")); !slices.Equal(got, []string{"acme-ci", "acme-crm"}) {
		t.Errorf("children of acme-digital %v", got)
	}
	o, _ := tax.Occupation("acme-support-agent")
	want := &Occupation{ID: "acme-support-agent", Code: "4222",
		Labels:      map[string]Labels{"en": {Preferred: "customer support agent", Alt: []string{"support agent", "help desk agent"}}, "fr": {Preferred: "agent de soutien à la clientèle"}},
		Description: map[string]string{"en": "Answers customers by phone and chat."},
		Essential:   []string{"acme-crm", "acme-customer-care"}, Optional: []string{"acme-forklift"}}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("occupation:\n got %#v\nwant %#v", o, want)
	}
}

func TestImportJSON(t *testing.T) {
	tax, err := ImportJSON(filepath.Join("testdata", "plain", "company.json"))
	if err != nil {
		t.Fatal(err)
	}
	if tax.Name != "Acme framework" || tax.Len() != 3 || len(tax.Occupations()) != 1 {
		t.Fatalf("name %q, %d competencies, %d occupations", tax.Name, tax.Len(), len(tax.Occupations()))
	}
	c, _ := tax.Get("acme-crm")
	if c.Labels["en"].Hidden[0] != "salesforce crm admin" || c.Label("fr") != "CRM Salesforce" || !slices.Equal(c.Related, []string{"acme-customer-care"}) {
		t.Errorf("acme-crm = %+v", c)
	}
	// Related is symmetric after New.
	if c, _ := tax.Get("acme-customer-care"); !slices.Equal(c.Related, []string{"acme-crm"}) {
		t.Errorf("acme-customer-care related %v", c.Related)
	}
	if c, _ := tax.ByRef("esco", escoSkill+"test-customers"); c == nil || c.ID != "acme-customer-care" {
		t.Errorf("ByRef esco → %v", c)
	}
}

func TestPlainBroken(t *testing.T) {
	tests := []struct {
		file string
		want []string // the error must contain each
	}{
		{"wrong-header.csv", []string{`wrong-header.csv:1:4: unknown column "name_en"`}},
		{"no-label.csv", []string{`no-label.csv:1:1: header has no label_<lang> column`}},
		{"broken-quote.csv", []string{`broken-quote.csv:3:54: extraneous or missing " in quoted-field`, "the record starts on line 2"}},
		{"field-count.csv", []string{`field-count.csv:2:1: record has a different number of fields than the header (4)`}},
		{"unknown-broader.csv", []string{`unknown-broader.csv:3:15: acme-crm: broader "acme-software" is not a competency`}},
		{"duplicate.csv", []string{`duplicate.csv:4:1: duplicate id "acme-crm" (first on line 2)`}},
		{"bad-kind.csv", []string{`bad-kind.csv:2:10: unknown kind "software"`}},
		{"occupation-broader.csv", []string{`occupation-broader.csv:3:31: an occupation row has no broader`}},
		{"no-preferred.csv", []string{`no-preferred.csv:2:15: acme-crm has no preferred label`}},
		{"unknown-essential.csv", []string{`unknown-essential.csv:3:54: acme-support-agent: essential competency "acme-phone" is not a competency`}},
		{"cycle.csv", []string{`cycle in broader: acme-a → acme-b → acme-a`}},
		{"syntax.json", []string{`syntax.json:4:5: competencies[1]`}},
		{"duplicate.json", []string{`duplicate.json:4:5: competencies[1]: duplicate id "acme-crm" (first at competencies[0], line 3)`}},
		{"unknown-field.json", []string{`unknown-field.json:3:5: competencies[0]`, `unknown field "lables"`}},
		{"unknown-broader.json", []string{`unknown-broader.json:4: competencies[1] (id "acme-ci"): broader "acme-devops" is not a competency`}},
		{"wrong-type.json", []string{`wrong-type.json:3:63: competencies[0]`, `cannot unmarshal string into Go struct field Competency.broader of type []string`}},
		{"not-object.json", []string{`not-object.json:1:1: `, `found [ where "{" was expected`}},
		{"top-level-field.json", []string{`top-level-field.json:1:18: unknown field "skills"`}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "plain-broken", tt.file)
			var tax *Taxonomy
			var err error
			if strings.HasSuffix(tt.file, ".json") {
				tax, err = ImportJSON(path)
			} else {
				tax, err = ImportCSV(path)
			}
			if err == nil {
				t.Fatalf("imported %d competencies, want an error", tax.Len())
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n  %v\nwant it to contain\n  %s", err, w)
				}
			}
			var ie *ImportError
			var ve *ValidationError
			if !errors.As(err, &ie) && !errors.As(err, &ve) {
				t.Errorf("error %T is neither an *ImportError nor a *ValidationError", err)
			}
		})
	}
}

// sameTaxonomy reports the first difference between the competencies and
// occupations of a and b.
func sameTaxonomy(t *testing.T, a, b *Taxonomy) {
	t.Helper()
	if a.Len() != b.Len() || len(a.Occupations()) != len(b.Occupations()) {
		t.Fatalf("%d competencies and %d occupations became %d and %d", a.Len(), len(a.Occupations()), b.Len(), len(b.Occupations()))
	}
	for i, c := range a.Competencies() {
		if d := b.Competencies()[i]; !reflect.DeepEqual(c, d) {
			t.Fatalf("competency changed:\n was %#v\n now %#v", c, d)
		}
	}
	for i, o := range a.Occupations() {
		if d := b.Occupations()[i]; !reflect.DeepEqual(o, d) {
			t.Fatalf("occupation changed:\n was %#v\n now %#v", o, d)
		}
	}
}

func TestWriteRoundTrip(t *testing.T) {
	sources := []struct {
		name string
		open func() (*Taxonomy, error)
	}{
		{"esco", func() (*Taxonomy, error) { return ImportESCO(filepath.Join("testdata", "esco")) }},
		{"onet", func() (*Taxonomy, error) { return ImportONET(filepath.Join("testdata", "onet")) }},
		{"csv", func() (*Taxonomy, error) { return ImportCSV(filepath.Join("testdata", "plain", "company.csv")) }},
		{"json", func() (*Taxonomy, error) { return ImportJSON(filepath.Join("testdata", "plain", "company.json")) }},
		{"default", Default},
	}
	for _, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			orig, err := src.open()
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, format := range []string{"csv", "json"} {
				var buf bytes.Buffer
				write, read := WriteCSV, ImportCSV
				if format == "json" {
					write, read = WriteJSON, ImportJSON
				}
				if err := write(&buf, orig); err != nil {
					t.Fatal(err)
				}
				file := filepath.Join(dir, "out."+format)
				if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				back, err := read(file)
				if err != nil {
					t.Fatalf("%s: re-import: %v", format, err)
				}
				sameTaxonomy(t, orig, back)
			}
		})
	}
}

func TestWriteCSVHeader(t *testing.T) {
	tax, err := ImportESCO(filepath.Join("testdata", "esco"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tax); err != nil {
		t.Fatal(err)
	}
	hdr, _, _ := strings.Cut(buf.String(), "\n")
	want := "id,kind,broader,related,label_en,alt_en,hidden_en,description_en,label_fr,alt_fr,hidden_fr,description_fr,esco_uri,code,essential,optional"
	if hdr != want {
		t.Errorf("header\n %s\nwant\n %s", hdr, want)
	}
}

func TestSplitJoinList(t *testing.T) {
	tests := []struct {
		field string
		vals  []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{" a | b |", []string{"a", "b"}},
		{`a\|b|c`, []string{"a|b", "c"}},
		{`C:\\temp|x`, []string{`C:\temp`, "x"}},
		{`back\slash`, []string{`back\slash`}},
	}
	for _, tt := range tests {
		if got := splitList(tt.field); !slices.Equal(got, tt.vals) {
			t.Errorf("splitList(%q) = %q, want %q", tt.field, got, tt.vals)
		}
		if len(tt.vals) > 0 {
			if got := splitList(joinList(tt.vals)); !slices.Equal(got, tt.vals) {
				t.Errorf("splitList(joinList(%q)) = %q", tt.vals, got)
			}
		}
	}
}

// TestImportCSVSemicolons reads a file as a French spreadsheet saves it: a
// byte-order mark, semicolons and capitalised column names.
func TestImportCSVSemicolons(t *testing.T) {
	tax, err := ImportCSV(filepath.Join("testdata", "plain", "excel-fr.csv"))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := tax.Get("acme-dsn")
	if !ok {
		t.Fatalf("acme-dsn missing from %v", ids(tax.Competencies()))
	}
	want := map[string]Labels{
		"fr": {Preferred: "établir la DSN", Alt: []string{"déclaration sociale nominative", "DSN mensuelle"}},
		"en": {Preferred: "file the DSN payroll return"},
	}
	if !reflect.DeepEqual(c.Labels, want) || c.Kind != KindSkill || !slices.Equal(c.Broader, []string{"acme-paie"}) {
		t.Errorf("acme-dsn = %+v", c)
	}
}
