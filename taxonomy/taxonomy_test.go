package taxonomy

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func en(pref string, alt ...string) map[string]Labels {
	return map[string]Labels{"en": {Preferred: pref, Alt: alt}}
}

// sample is a small hierarchy with a diamond:
//
//	it ── software ── go ── goroutines
//	  └── ops ─────── kubernetes
//	                  docker (broader: ops, software)
func sample(t *testing.T) *Taxonomy {
	t.Helper()
	tax, err := New("sample", []Competency{
		{ID: "it", Kind: KindGroup, Labels: en("Information technology", "IT")},
		{ID: "software", Kind: KindGroup, Broader: []string{"it"}, Labels: en("Software development")},
		{ID: "ops", Kind: KindGroup, Broader: []string{"it"}, Labels: en("IT operations", "DevOps")},
		{ID: "go", Kind: KindSkill, Broader: []string{"software"}, Related: []string{"docker"}, Labels: map[string]Labels{
			"en": {Preferred: "Go programming", Alt: []string{"Golang", "Go"}},
			"fr": {Preferred: "programmation Go", Hidden: []string{"langage go"}},
		}, Refs: []Ref{{"onet", "x"}, {"esco", "http://data.europa.eu/esco/skill/go"}}},
		{ID: "goroutines", Kind: KindKnowledge, Broader: []string{"go"}, Labels: en("goroutines")},
		{ID: "kubernetes", Kind: KindTool, Broader: []string{"ops"}, Labels: map[string]Labels{
			"en": {Preferred: "Kubernetes", Alt: []string{"k8s"}},
			"fr": {Preferred: "Kubernetes"},
		}},
		{ID: "docker", Kind: KindTool, Broader: []string{"ops", "software", "ops"}, Labels: en("Docker", "containers")},
		{ID: "sécurité", Kind: KindSkill, Broader: []string{"ops"}, Labels: map[string]Labels{"fr": {Preferred: "Sécurité des systèmes"}}},
	}, []Occupation{
		{ID: "devops-engineer", Labels: en("DevOps engineer"), Essential: []string{"kubernetes", "docker", "docker"}, Optional: []string{"go"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return tax
}

func TestNewDerivesRelations(t *testing.T) {
	tax := sample(t)
	tests := []struct {
		what      string
		got, want []string
	}{
		{"roots", ids(tax.Roots()), []string{"it"}},
		{"children of it", ids(tax.Children("it")), []string{"ops", "software"}},
		{"children of ops", ids(tax.Children("ops")), []string{"docker", "kubernetes", "sécurité"}},
		{"parents of docker (deduplicated)", ids(tax.Parents("docker")), []string{"ops", "software"}},
		{"related of go", ids(tax.Related("go")), []string{"docker"}},
		{"related is symmetric", ids(tax.Related("docker")), []string{"go"}},
		{"all IDs sorted", ids(tax.Competencies()), []string{"docker", "go", "goroutines", "it", "kubernetes", "ops", "software", "sécurité"}},
		{"languages", tax.Languages(), []string{"en", "fr"}},
		{"unknown ID has no children", ids(tax.Children("nope")), []string{}},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.what, tt.got, tt.want)
		}
	}
	g, _ := tax.Get("go")
	if g.Refs[0].Scheme != "esco" || g.Refs[1].Scheme != "onet" {
		t.Errorf("refs not sorted by scheme: %v", g.Refs)
	}
	o, _ := tax.Occupation("devops-engineer")
	if !slices.Equal(o.Essential, []string{"docker", "kubernetes"}) {
		t.Errorf("occupation essential %v, want sorted and deduplicated", o.Essential)
	}
}

func TestNewDoesNotTouchInput(t *testing.T) {
	broader := make([]string, 1, 10) // spare capacity New could append into
	broader[0] = "a"
	related := make([]string, 1, 10)
	related[0] = "a"
	in := []Competency{
		{ID: "a", Kind: KindGroup, Labels: en("A")},
		{ID: "b", Kind: KindSkill, Broader: broader, Related: related, Refs: []Ref{{"z", "1"}, {"a", "2"}}, Labels: en("B")},
	}
	if _, err := New("t", in, nil); err != nil {
		t.Fatal(err)
	}
	if in[1].Refs[0].Scheme != "z" || len(in[0].Related) != 0 || related[:2][1] != "" {
		t.Errorf("New changed its input: %+v", in)
	}
}

func TestNewValidation(t *testing.T) {
	_, err := New("bad", []Competency{
		{ID: "", Kind: KindSkill, Labels: en("no id")},
		{ID: "dup", Kind: KindSkill, Labels: en("first")},
		{ID: "dup", Kind: KindSkill, Labels: en("second")},
		{ID: "odd-kind", Kind: "softskill", Labels: en("odd")},
		{ID: "no-label", Kind: KindSkill, Labels: map[string]Labels{"en": {Preferred: "  ", Alt: []string{"x"}}}},
		{ID: "orphan", Kind: KindSkill, Broader: []string{"missing-parent"}, Related: []string{"missing-friend"}, Labels: en("orphan")},
		{ID: "self", Kind: KindSkill, Broader: []string{"self"}, Labels: en("self")},
		{ID: "c1", Kind: KindSkill, Broader: []string{"c3"}, Labels: en("c1")},
		{ID: "c2", Kind: KindSkill, Broader: []string{"c1"}, Labels: en("c2")},
		{ID: "c3", Kind: KindSkill, Broader: []string{"c2"}, Labels: en("c3")},
	}, []Occupation{
		{ID: "job", Essential: []string{"ghost"}, Optional: []string{"dup"}},
		{ID: "job"},
		{ID: ""},
	})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v, want a *ValidationError", err)
	}
	want := []string{
		`competency #1 ("no id") has no ID`,
		"dup: duplicate competency ID",
		`odd-kind: unknown kind "softskill"`,
		"no-label: no preferred label in any language",
		"orphan: broader missing-parent does not exist",
		"orphan: related missing-friend does not exist",
		"self: is broader than itself",
		"c1: cycle in broader: c1 → c3 → c2 → c1",
		"occupation job: competency ghost does not exist",
		"job: duplicate occupation ID",
		"occupation #3",
	}
	all := strings.Join(ve.Problems, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("problems lack %q:\n%s", w, all)
		}
	}
	if len(ve.Problems) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(ve.Problems), len(want), all)
	}
	if !strings.HasPrefix(err.Error(), "taxonomy: 11 problem(s); ") {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestValidationErrorTruncates(t *testing.T) {
	var comps []Competency
	for i := range 30 {
		comps = append(comps, Competency{ID: "x" + string(rune('a'+i)), Kind: KindSkill, Broader: []string{"nowhere"}, Labels: en("x")})
	}
	_, err := New("t", comps, nil)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 30 {
		t.Fatalf("want 30 problems, got %v", err)
	}
	if !strings.HasSuffix(err.Error(), "… and 10 more") {
		t.Errorf("Error() does not summarise the rest: %q", err.Error())
	}
}

func TestAncestors(t *testing.T) {
	tax := sample(t)
	tests := []struct {
		id   string
		want []string
	}{
		{"goroutines", []string{"go", "software", "it"}},
		// Breadth-first, nearest first, each once although it is reached twice.
		{"docker", []string{"ops", "software", "it"}},
		{"it", []string{}},
		{"nope", []string{}},
	}
	for _, tt := range tests {
		if got := ids(tax.Ancestors(tt.id)); !slices.Equal(got, tt.want) {
			t.Errorf("Ancestors(%s) = %v, want %v", tt.id, got, tt.want)
		}
	}
	dist := []struct {
		anc, id string
		d       int
		ok      bool
	}{
		{"it", "goroutines", 3, true},
		{"go", "goroutines", 1, true},
		{"ops", "docker", 1, true},
		{"goroutines", "it", 0, false},
		{"it", "nope", 0, false},
	}
	for _, tt := range dist {
		if d, ok := tax.IsAncestor(tt.anc, tt.id); d != tt.d || ok != tt.ok {
			t.Errorf("IsAncestor(%s, %s) = %d, %v; want %d, %v", tt.anc, tt.id, d, ok, tt.d, tt.ok)
		}
	}
	for id, want := range map[string]int{"it": 0, "ops": 1, "docker": 2, "goroutines": 3} {
		if d := tax.Depth(id); d != want {
			t.Errorf("Depth(%s) = %d, want %d", id, d, want)
		}
	}
}

func TestSearch(t *testing.T) {
	tax := sample(t)
	tests := []struct {
		query string
		limit int
		want  []string // ID:label:score
	}{
		// Exact (Go, alt) beats prefix (goroutines), which beats a word inside.
		{"go", 0, []string{"go:Go:3", "goroutines:goroutines:2"}},
		{"K8S", 0, []string{"kubernetes:k8s:3"}},
		// Accents and case are ignored; the French label matches.
		{"securite", 0, []string{"sécurité:Sécurité des systèmes:2"}},
		{"SYSTÈMES", 0, []string{"sécurité:Sécurité des systèmes:1"}},
		// Hidden labels match.
		{"langage", 0, []string{"go:langage go:2"}},
		// A word prefix scores 1, a substring inside a word 0; ties by label
		// length, then ID.
		{"o", 0, []string{"ops:IT operations:1", "go:Go:0", "docker:Docker:0", "goroutines:goroutines:0", "software:Software development:0", "it:Information technology:0"}},
		{"o", 2, []string{"ops:IT operations:1", "go:Go:0"}},
		{"  ", 0, nil},
		{"cobol", 0, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range tax.Search(tt.query, tt.limit) {
			got = append(got, m.Competency.ID+":"+m.Label+":"+string(rune('0'+m.Score)))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q, %d) = %v, want %v", tt.query, tt.limit, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain ascii", "plain ascii"},
		{"MiXeD", "mixed"},
		{"Évaluer la qualité", "evaluer la qualite"},
		{"Straße", "strasse"},
		{"Œuvre cœur", "oeuvre coeur"},
		{"l’équipe", "l'equipe"},
		{"CI–CD", "ci-cd"},
		{"Ångström", "angstrom"},
		{"日本語", "日本語"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLabelsAndLookup(t *testing.T) {
	tax := sample(t)
	g, _ := tax.Get("go")
	s, _ := tax.Get("sécurité")
	tests := []struct{ got, want string }{
		{g.Label("fr"), "programmation Go"},
		{g.Label("de"), "Go programming"},        // English fallback
		{s.Label("en"), "Sécurité des systèmes"}, // any language
		{strings.Join(g.Labels["fr"].All(), "|"), "programmation Go|langage go"},
		{strings.Join(g.Languages(), ","), "en,fr"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("#%d: %q, want %q", i, tt.got, tt.want)
		}
	}
	if (&Competency{ID: "bare"}).Label("en") != "bare" {
		t.Error("Label without labels should fall back to the ID")
	}
	if c, ok := tax.ByRef("esco", "http://data.europa.eu/esco/skill/go"); !ok || c.ID != "go" {
		t.Errorf("ByRef esco: %v %v", c, ok)
	}
	if c, ok := tax.ByRef("esco", "docker"); !ok || c.ID != "docker" {
		t.Errorf("ByRef falls back to the ID: %v %v", c, ok)
	}
	if c, ok := tax.Lookup("x"); !ok || c.ID != "go" {
		t.Errorf("Lookup by onet ref: %v %v", c, ok)
	}
	if _, ok := tax.Lookup("nope"); ok {
		t.Error("Lookup(nope) found something")
	}
	o, _ := tax.Occupation("devops-engineer")
	if o.Label("fr") != "DevOps engineer" || (&Occupation{ID: "z"}).Label("en") != "z" {
		t.Errorf("occupation label fallback: %q", o.Label("fr"))
	}
	if !KindTool.Valid() || Kind("soft").Valid() {
		t.Error("Kind.Valid")
	}
}

func TestStats(t *testing.T) {
	s := sample(t).Stats()
	want := Stats{Competencies: 8, Labels: map[string]int{"en": 13, "fr": 4}, Broader: 8, Related: 1, MaxDepth: 3, Occupations: 1,
		Kinds: map[Kind]int{KindGroup: 3, KindSkill: 2, KindKnowledge: 1, KindTool: 2}, Roots: 1}
	if s.Competencies != want.Competencies || s.Broader != want.Broader || s.Related != want.Related || s.MaxDepth != want.MaxDepth ||
		s.Occupations != want.Occupations || s.Roots != want.Roots || len(s.Labels) != 2 || s.Labels["en"] != 13 || s.Labels["fr"] != 4 ||
		len(s.Kinds) != 4 || s.Kinds[KindGroup] != 3 || s.Kinds[KindTool] != 2 {
		t.Errorf("Stats() = %+v\nwant %+v", s, want)
	}
}
