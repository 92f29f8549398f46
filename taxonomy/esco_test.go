package taxonomy

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const escoSkill = "http://data.europa.eu/esco/skill/"

// copyDir copies the regular files of src into dst (created if needed).
func copyDir(t testing.TB, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func ids(cs []*Competency) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func TestImportESCOFixture(t *testing.T) {
	tax, err := ImportESCO(filepath.Join("testdata", "esco"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id          string
		kind        Kind
		en          Labels
		fr          *Labels
		desc        string
		broader     []string
		related     []string
		descLangsFR bool
	}{
		{id: "test-python", kind: KindKnowledge,
			en:      Labels{Preferred: "Python (computer programming)", Alt: []string{"Python", "Python programming"}},
			fr:      &Labels{Preferred: "Python (programmation informatique)", Alt: []string{"Python", "programmation en Python"}},
			desc:    "The techniques and principles of software development",
			broader: []string{"test-group-programming"}, related: []string{"test-databases"}, descLangsFR: true},
		{id: "test-spreadsheets", kind: KindSkill,
			en:      Labels{Preferred: "use spreadsheets software", Alt: []string{"use spreadsheet", "work with spreadsheets", "operate spreadsheet programs"}, Hidden: []string{"use spreadshets"}},
			fr:      &Labels{Preferred: "utiliser un tableur", Alt: []string{"utiliser des tableurs", "travailler avec un tableur"}},
			desc:    "Use software tools to create and edit tabular data",
			broader: []string{"test-group-computers"}, related: []string{"test-pivot-tables"}, descLangsFR: true},
		{id: "test-pivot-tables", kind: KindSkill,
			en:      Labels{Preferred: "create pivot tables", Alt: []string{"build pivot tables", "Excel pivot tables"}},
			desc:    "Summarise large tables",
			broader: []string{"test-spreadsheets"}, related: []string{"test-spreadsheets"}},
		{id: "test-databases", kind: KindKnowledge,
			en:      Labels{Preferred: "databases", Alt: []string{"database", "database systems"}},
			desc:    "The classification of databases", // from definition: no description
			broader: []string{"test-group-ict"}, related: []string{"test-python"}},
		{id: "test-french", kind: KindLanguage, en: Labels{Preferred: "French"}, fr: &Labels{Preferred: "français"},
			desc: "The French language.", broader: []string{"test-group-languages"}, descLangsFR: true},
		{id: "test-teamwork", kind: KindTransversal,
			en:      Labels{Preferred: "work in teams", Alt: []string{"teamwork", "work in a team", "collaborate with colleagues"}},
			fr:      &Labels{Preferred: "travailler en équipe", Alt: []string{"travail d'équipe", "collaborer avec des collègues"}},
			desc:    "Work confidently within a group",
			broader: []string{"test-group-communication"}, related: []string{"test-customers"}},
		// Only under the transversal pillar: transversal although its
		// reuseLevel is cross-sector.
		{id: "test-customers", kind: KindTransversal, en: Labels{Preferred: "communicate with customers", Alt: []string{"talk to customers", "customer communication"}},
			desc: "Respond to and communicate", broader: []string{"test-group-communication"}, related: []string{"test-teamwork"}},
		// Empty skillType: a skill.
		{id: "test-ict-safety", kind: KindSkill, en: Labels{Preferred: "ICT safety", Alt: []string{"digital safety", "online safety"}},
			desc: "Protect devices", broader: []string{"test-group-computers"}},
		{id: "test-group-computers", kind: KindGroup, en: Labels{Preferred: "working with computers", Alt: []string{"using computers", "computer use"}},
			desc: "Using computers and other digital tools to develop", broader: []string{"335228d2-297d-4e0e-a6ee-bc6a8dc110d9"}},
		// Only in skillsHierarchy_en.csv: label and description from there.
		{id: "test-group-programming", kind: KindGroup, en: Labels{Preferred: "programming computer systems"},
			desc: "Writing and testing computer code", broader: []string{"test-group-computers"}},
		{id: "335228d2-297d-4e0e-a6ee-bc6a8dc110d9", kind: KindGroup, en: Labels{Preferred: "skills"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			id := escoSkill + tt.id
			c, ok := tax.Get(id)
			if !ok {
				t.Fatalf("%s not imported", id)
			}
			if c.Kind != tt.kind {
				t.Errorf("kind %s, want %s", c.Kind, tt.kind)
			}
			if !reflect.DeepEqual(c.Labels["en"], tt.en) {
				t.Errorf("en labels %#v, want %#v", c.Labels["en"], tt.en)
			}
			if tt.fr != nil && !reflect.DeepEqual(c.Labels["fr"], *tt.fr) {
				t.Errorf("fr labels %#v, want %#v", c.Labels["fr"], *tt.fr)
			}
			if tt.fr == nil && len(c.Labels) != 1 {
				t.Errorf("labels in %v, want en only", c.Languages())
			}
			if !strings.HasPrefix(c.Description["en"], tt.desc) {
				t.Errorf("description %q, want it to start with %q", c.Description["en"], tt.desc)
			}
			if _, ok := c.Description["fr"]; ok != tt.descLangsFR {
				t.Errorf("has French description: %v, want %v", ok, tt.descLangsFR)
			}
			var want []string
			for _, b := range tt.broader {
				want = append(want, escoSkill+b)
			}
			if !slices.Equal(c.Broader, want) {
				t.Errorf("broader %v, want %v", c.Broader, want)
			}
			want = nil
			for _, r := range tt.related {
				want = append(want, escoSkill+r)
			}
			if !slices.Equal(c.Related, want) {
				t.Errorf("related %v, want %v", c.Related, want)
			}
			if uri, ok := c.Ref("esco"); !ok || uri != id {
				t.Errorf("esco ref %q, want %q", uri, id)
			}
		})
	}

	s := tax.Stats()
	if s.Competencies != 17 || s.Occupations != 2 || s.Roots != 4 || s.Related != 3 {
		t.Errorf("stats %+v, want 17 competencies (8 skills, 9 groups), 2 occupations, 4 roots, 3 related pairs", s)
	}
	if got := ids(tax.Roots()); len(got) != 4 {
		t.Errorf("roots %v, want the 4 pillars", got)
	}
	if d := s.MaxDepth; d != 3 {
		t.Errorf("max depth %d, want 3 (pivot tables → spreadsheets → computers → skills)", d)
	}

	o, ok := tax.Occupation("http://data.europa.eu/esco/occupation/test-data-analyst")
	if !ok {
		t.Fatal("data analyst occupation not imported")
	}
	if o.Code != "2511" || o.Label("en") != "data analyst" || !slices.Equal(o.Labels["en"].Alt, []string{"data analysts", "business data analyst"}) {
		t.Errorf("data analyst = %+v", o)
	}
	if want := []string{escoSkill + "test-python", escoSkill + "test-spreadsheets"}; !slices.Equal(o.Essential, want) {
		t.Errorf("essential %v, want %v", o.Essential, want)
	}
	if want := []string{escoSkill + "test-databases", escoSkill + "test-pivot-tables"}; !slices.Equal(o.Optional, want) {
		t.Errorf("optional %v, want %v", o.Optional, want)
	}
	if len(tax.Notes) != 2 ||
		!strings.Contains(tax.Notes[0], "broaderRelationsSkillPillar.csv: skipped 1 broader relation(s) ISCOGroup → SkillGroup (first at line 15)") ||
		!strings.Contains(tax.Notes[1], "occupationSkillRelations.csv:8: skipped 1 relation(s) of occupation http://data.europa.eu/esco/occupation/test-withdrawn-occupation") {
		t.Errorf("notes:\n%s", strings.Join(tax.Notes, "\n"))
	}
}

func TestImportESCO12Names(t *testing.T) {
	tax, err := ImportESCO(filepath.Join("testdata", "esco-1.2"))
	if err != nil {
		t.Fatal(err)
	}
	s := tax.Stats()
	if s.Competencies != 4 || s.Broader != 3 || s.Related != 1 || s.Occupations != 1 {
		t.Errorf("stats %+v, want 4 competencies, 3 broader, 1 related, 1 occupation", s)
	}
	o, _ := tax.Occupation("http://data.europa.eu/esco/occupation/test-warehouse-worker")
	if o == nil || !slices.Equal(o.Essential, []string{escoSkill + "test-forklift"}) || !slices.Equal(o.Optional, []string{escoSkill + "test-stack-goods"}) {
		t.Errorf("warehouse worker = %+v", o)
	}
	if len(tax.Notes) != 0 {
		t.Errorf("unexpected notes %v", tax.Notes)
	}
}

// TestImportESCOBroken lays each folder of testdata/esco-broken over a copy
// of testdata/esco and checks the error names file, line, column and cause.
func TestImportESCOBroken(t *testing.T) {
	tests := []struct {
		dir  string
		want string // the error must contain it
	}{
		{"wrong-header", `skills_en.csv:1:1: header lacks column "conceptType"`},
		{"broken-quote", `skills_en.csv:3:149: extraneous or missing " in quoted-field`},
		{"duplicate-id", `skills_en.csv:4:26: duplicate conceptUri ` + escoSkill + `test-python (first on line 2)`},
		{"bad-skill-type", `skills_en.csv:2:71: skillType "competency"`},
		{"field-count", `broaderRelationsSkillPillar.csv:3:1: record has a different number of fields than the header (4)`},
		{"unknown-broader", `broaderRelationsSkillPillar.csv:4:88: broaderUri ` + escoSkill + `test-group-office-software is not in skills_<lang>.csv`},
		{"unknown-related", `skillSkillRelations.csv:3:75: relatedSkillUri ` + escoSkill + `test-sql is not a skill`},
		{"unknown-occupation-skill", `occupationSkillRelations.csv:3:77: skillUri ` + escoSkill + `test-statistics is not a skill`},
		{"bad-relation-type", `occupationSkillRelations.csv:2:57: relationType "mandatory" is neither essential nor optional`},
		{"cycle", `cycle in broader: ` + escoSkill + `test-group-computers → ` + escoSkill + `test-group-programming → ` + escoSkill + `test-group-computers`},
		{"hierarchy-gap", `skillsHierarchy_en.csv:2:`},
		{"wrong-concept-type", `skillGroups_en.csv:2:1: conceptType "Occupation", expected "SkillGroup"`},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, filepath.Join("testdata", "esco"), dir)
			copyDir(t, filepath.Join("testdata", "esco-broken", tt.dir), dir)
			tax, err := ImportESCO(dir)
			if err == nil {
				t.Fatalf("imported %d competencies, want an error", tax.Len())
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n  %v\nwant it to contain\n  %s", err, tt.want)
			}
			var ie *ImportError
			var ve *ValidationError
			if !errors.As(err, &ie) && !errors.As(err, &ve) {
				t.Errorf("error %T is neither an *ImportError nor a *ValidationError", err)
			}
		})
	}
}

func TestImportESCOMissing(t *testing.T) {
	for _, dir := range []string{filepath.Join("testdata", "no-such-folder"), filepath.Join("testdata", "onet")} {
		if _, err := ImportESCO(dir); err == nil {
			t.Errorf("ImportESCO(%s) succeeded, want an error", dir)
		}
	}
}

// TestImportESCOFull imports the real ESCO 1.1.1 and checks the counts of
// ../shared/data/README.md.
func TestImportESCOFull(t *testing.T) {
	if _, err := os.Stat(filepath.Join(escoDir, "skills_en.csv")); err != nil {
		t.Skipf("ESCO 1.1.1 not found at %s (%v): full import not tested", escoDir, err)
	}
	tax, err := ImportESCO(escoDir)
	if err != nil {
		t.Fatal(err)
	}
	s := tax.Stats()
	skills, groups := 0, 0
	for _, c := range tax.Competencies() {
		if c.Kind == KindGroup {
			groups++
		} else {
			skills++
		}
	}
	relations := 0
	for _, o := range tax.Occupations() {
		relations += len(o.Essential) + len(o.Optional)
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"skills (skills_en.csv)", skills, 13896},
		// 640 of skillGroups_en.csv + 7 that only skillsHierarchy_en.csv names.
		{"skill groups", groups, 647},
		{"broader relations", s.Broader, 20656},
		// 5,899 rows, one of which links a skill to itself.
		{"related pairs", s.Related, 5898},
		{"occupations", s.Occupations, 3007},
		// 123,855 rows less the 67 of the one occupation not in occupations_en.csv.
		{"occupation-skill relations", relations, 123855 - 67},
		{"pillar roots", s.Roots, 4},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	if len(tax.Notes) != 1 || !strings.Contains(tax.Notes[0], "skipped 67 relation(s) of occupation http://data.europa.eu/esco/occupation/a9e54177-a185-404d-b6e6-15663d31137e") {
		t.Errorf("notes %v, want the one about the 67 relations of the unlisted occupation", tax.Notes)
	}
	if s.Labels["en"] < 97000 {
		t.Errorf("%d English labels, want ≥ 97,000", s.Labels["en"])
	}
	t.Logf("stats: %+v", s)
}

// BenchmarkImportESCO imports the full ESCO 1.1.1. Besides time and
// allocations it reports cpu-ms/op (user+system CPU of the process, GC
// included, per import), alloc-MB/op (every byte allocated during one
// import, an upper bound of the import's peak heap) and retained-MB (the heap
// that the imported taxonomy keeps alive).
func BenchmarkImportESCO(b *testing.B) {
	if _, err := os.Stat(filepath.Join(escoDir, "skills_en.csv")); err != nil {
		b.Skipf("ESCO 1.1.1 not found at %s (%v)", escoDir, err)
	}
	b.ReportAllocs()
	var before, after runtime.MemStats
	cpu := cpuSeconds()
	for b.Loop() {
		if _, err := ImportESCO(escoDir); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if cpu > 0 {
		b.ReportMetric((cpuSeconds()-cpu)*1000/float64(b.N), "cpu-ms/op")
	}
	runtime.GC()
	runtime.ReadMemStats(&before)
	tax, err := ImportESCO(escoDir)
	if err != nil {
		b.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "alloc-MB/op")
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "retained-MB")
	runtime.KeepAlive(tax)
}
