package app

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestTaxonomyIndexChildrenInLabelOrder(t *testing.T) {
	x := newTaxonomyIndex(loadTaxonomy(t), "en")
	tests := []struct {
		uid  string
		want []string
	}{
		// roots sorted by English label: Health care, IT operations, Software and data, WHMIS
		{"", []string{"care", "it-ops", "software", "whmis"}},
		{"software", []string{"software" + uidSep + "containers", "software" + uidSep + "python"}},
		// containers has two parents: its children get a path under each
		{"software" + uidSep + "containers", []string{"software" + uidSep + "containers" + uidSep + "docker", "software" + uidSep + "containers" + uidSep + "kubernetes"}},
		{"it-ops" + uidSep + "containers", []string{"it-ops" + uidSep + "containers" + uidSep + "docker", "it-ops" + uidSep + "containers" + uidSep + "kubernetes"}},
		{"care" + uidSep + "wound-care", []string{}},
	}
	for _, tt := range tests {
		got := x.childUIDs(tt.uid)
		if !slices.Equal(got, tt.want) {
			t.Errorf("childUIDs(%q) = %q, want %q", tt.uid, got, tt.want)
		}
		if again := x.childUIDs(tt.uid); len(got) > 0 && &again[0] != &got[0] {
			t.Errorf("childUIDs(%q) is recomputed on every call; the tree must read from memory", tt.uid)
		}
		if isBranch := x.isBranch(tt.uid); isBranch != (len(tt.want) > 0) && tt.uid != "" {
			t.Errorf("isBranch(%q) = %v", tt.uid, isBranch)
		}
	}
	fr := newTaxonomyIndex(loadTaxonomy(t), "fr")
	// French labels: Exploitation informatique, Logiciel et données, SIMDUT, Soins de santé
	if got, want := fr.childUIDs(""), []string{"it-ops", "software", "whmis", "care"}; !slices.Equal(got, want) {
		t.Errorf("French roots = %q, want %q", got, want)
	}
}

func TestTaxonomyIndexPathTo(t *testing.T) {
	x := newTaxonomyIndex(loadTaxonomy(t), "en")
	tests := []struct {
		id   string
		want []string
	}{
		{"whmis", []string{"whmis"}},
		{"python", []string{"software", "software" + uidSep + "python"}},
		// two parents: "IT operations" sorts before "Software and data"
		{"kubernetes", []string{"it-ops", "it-ops" + uidSep + "containers", "it-ops" + uidSep + "containers" + uidSep + "kubernetes"}},
		{"no-such-id", []string{"no-such-id"}},
	}
	for _, tt := range tests {
		if got := x.pathTo(tt.id); !slices.Equal(got, tt.want) {
			t.Errorf("pathTo(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestTaxonomySearchSelectsAndShowsDetails(t *testing.T) {
	tests := []struct {
		lang, query string
		wantID      string // "" means no match
		wantCount   string
		wantDetail  []string // texts the detail panel must contain
	}{
		{"en", "k8s", "kubernetes", "1 match", []string{"Kubernetes", "Tool or technology · kubernetes", "Run containerised applications on a cluster.", "Containers", "Docker", "http://data.europa.eu/esco/skill/00000000-test-kubernetes", "O*NET  43232408"}},
		{"en", "KUBERNETS", "kubernetes", "1 match", []string{"Kubernetes"}},
		{"en", "python", "python", "1 match", []string{"Python programming", "Software and data"}},
		// both have a French label starting "évaluer"; the shorter label wins
		{"en", "evaluer", "wound-care", "2 matches", []string{"Wound care", "Soin des plaies"}},
		{"fr", "évaluation", "patient-assessment", "1 résultat", []string{"Évaluation du patient", "Soin des plaies", "Savoir-faire · patient-assessment"}},
		{"fr", "simdut", "whmis", "1 résultat", []string{"SIMDUT", "Certification · whmis"}},
		{"en", "zzz", "", "No match", nil},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.query, func(t *testing.T) {
			a := newTestApp(t, Options{Language: tt.lang})
			s := a.taxonomy
			a.ShowScreen("taxonomy")
			test.Type(s.search, tt.query)
			s.searching.wait()
			if got := s.count.Text; got != tt.wantCount {
				t.Errorf("count label = %q, want %q", got, tt.wantCount)
			}
			if s.selected != tt.wantID {
				t.Fatalf("selected %q, want %q", s.selected, tt.wantID)
			}
			if tt.wantID == "" {
				return
			}
			if s.left.Objects[0] != s.withList {
				t.Error("the results list is not shown while a query is typed")
			}
			detail := strings.Join(texts(s.detail), "\n")
			for _, w := range tt.wantDetail {
				if !strings.Contains(detail, w) {
					t.Errorf("detail panel lacks %q; it shows:\n%s", w, detail)
				}
			}
			// The best match is revealed in the tree: its branch is open and it is selected.
			path := s.idx.pathTo(tt.wantID)
			for _, uid := range path[:len(path)-1] {
				if !s.tree.IsBranchOpen(uid) {
					t.Errorf("tree branch %q is not open", uid)
				}
			}
			if sel := idOf(s.treeSel); sel != tt.wantID {
				t.Errorf("tree selection = %q, want %q", sel, tt.wantID)
			}
		})
	}
}

func TestTaxonomySearchClearedShowsTreeOnly(t *testing.T) {
	a := newTestApp(t, Options{})
	s := a.taxonomy
	test.Type(s.search, "docker")
	s.searching.wait()
	if s.left.Objects[0] != s.withList {
		t.Fatal("results not shown")
	}
	s.search.SetText("")
	s.searching.wait()
	if s.left.Objects[0] != s.treeOnly {
		t.Error("clearing the search does not go back to the tree alone")
	}
	if s.count.Text != "" {
		t.Errorf("count label = %q after clearing", s.count.Text)
	}
}

func TestTaxonomyDetailLinksNavigate(t *testing.T) {
	a := newTestApp(t, Options{})
	s := a.taxonomy
	s.reveal("kubernetes")
	var related *widget.Hyperlink
	for _, o := range test.LaidOutObjects(s.detail) {
		if h, ok := o.(*widget.Hyperlink); ok && h.Text == "Docker" {
			related = h
		}
	}
	if related == nil {
		t.Fatalf("no link to the related competency Docker in %q", texts(s.detail))
	}
	test.TapAt(related, fyne.NewPos(theme.Padding()*2+2, related.Size().Height/2))
	if s.selected != "docker" {
		t.Fatalf("tapping Docker selected %q", s.selected)
	}
	if sel := idOf(s.treeSel); sel != "docker" {
		t.Errorf("tree selection = %q, want docker", sel)
	}
}

func TestTaxonomyTreeSelectionShowsDetails(t *testing.T) {
	a := newTestApp(t, Options{})
	s := a.taxonomy
	s.tree.Select("care" + uidSep + "wound-care")
	if s.selected != "wound-care" {
		t.Fatalf("selected %q", s.selected)
	}
	detail := strings.Join(texts(s.detail), "\n")
	for _, w := range []string{"Wound care", "Also: dressing changes", "Soin des plaies", "Health care", "Patient assessment"} {
		if !strings.Contains(detail, w) {
			t.Errorf("detail lacks %q:\n%s", w, detail)
		}
	}
}

func TestTaxonomyErrorIsShown(t *testing.T) {
	a := newTestApp(t, Options{})
	a.tax, a.taxErr = nil, errors.New("taxonomy: 2 problem(s); x: broader y does not exist")
	s := newTaxonomyScreen(a)
	got := strings.Join(texts(s.content()), "\n")
	if !strings.Contains(got, "broader y does not exist") || !strings.Contains(got, "could not be loaded") {
		t.Errorf("the error is not shown; the screen says %q", got)
	}
}

func TestTaxonomyImport(t *testing.T) {
	tests := []struct {
		name     string
		spec     string
		wantErr  string // part of the error shown; "" for success
		wantName string
		wantIDs  []string
	}{
		{"own CSV", "csv:testdata/company.csv", "", "csv:testdata/company.csv", []string{"forklift", "pallet-jack"}},
		{"laid over the default", "default+csv:testdata/company.csv", "", "default+csv:testdata/company.csv", []string{"forklift"}},
		{"broken file", "csv:testdata/company-broken.csv", "company-broken.csv", "fixture", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := demoStore(t)
			a := newTestApp(t, Options{Store: st})
			a.waitIdle()
			before := a.tax
			a.taxonomy.importSpec(tt.spec)
			a.taxonomy.importing.wait()
			if tt.wantErr != "" {
				if a.tax != before {
					t.Error("a failed import replaced the taxonomy")
				}
				var shown string
				for _, o := range a.Window().Canvas().Overlays().List() {
					for _, x := range test.LaidOutObjects(o) {
						shown += strings.Join(texts(x), "\n")
					}
				}
				if !strings.Contains(shown, tt.wantErr) {
					t.Errorf("error dialog does not name %q:\n%s", tt.wantErr, shown)
				}
				return
			}
			if a.tax.Name != tt.wantName {
				t.Fatalf("taxonomy = %q", a.tax.Name)
			}
			for _, id := range tt.wantIDs {
				if _, ok := a.tax.Get(id); !ok {
					t.Errorf("%s not in the imported taxonomy", id)
				}
			}
			// The workspace keeps it as its active taxonomy.
			name, err := st.ActiveTaxonomyName()
			if err != nil || name != tt.wantName {
				t.Errorf("workspace active taxonomy = %q, %v", name, err)
			}
			// The screens use it: the taxonomy search finds the new competency.
			test.Type(a.taxonomy.search, "acme lift")
			a.taxonomy.searching.wait()
			if a.taxonomy.selected != "forklift" {
				t.Errorf("search acme lift selected %q", a.taxonomy.selected)
			}
		})
	}
}
