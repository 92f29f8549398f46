package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/data/demo"
)

func TestApplicantsSearchFilterAndVerificationPanel(t *testing.T) {
	a := newDemoApp(t, "en")
	s := a.applicants
	a.ShowScreen("applicants")
	if len(s.shown) != 42 {
		t.Fatalf("%d applicants listed, want the 42 of the demo", len(s.shown))
	}
	tests := []struct {
		query  string
		status credential.Status
		check  func(t *testing.T, shown []*poolApplicant)
	}{
		{"sato", "", func(t *testing.T, shown []*poolApplicant) {
			if len(shown) != 1 || shown[0].Stored.Name != "Viktor Sato" {
				t.Errorf("search sato = %d applicants", len(shown))
			}
		}},
		{"", credential.StatusRevoked, func(t *testing.T, shown []*poolApplicant) {
			if len(shown) == 0 || len(shown) == 42 {
				t.Errorf("revoked filter keeps %d applicants", len(shown))
			}
			for _, p := range shown {
				if !hasStatus(p, credential.StatusRevoked) {
					t.Errorf("%s has no revoked credential", p.Stored.Name)
				}
			}
		}},
		{"northgate", "", func(t *testing.T, shown []*poolApplicant) {
			if len(shown) == 0 {
				t.Error("no applicant with a Northgate credential")
			}
		}},
	}
	for _, tt := range tests {
		s.search.SetText("")
		for i, st := range statusFilters {
			if st == tt.status {
				s.status.SetSelectedIndex(i)
			}
		}
		test.Type(s.search, tt.query)
		tt.check(t, s.shown)
	}

	// The page of an applicant with a revoked credential shows one line per
	// check with its mark, and the failed revocation check.
	s.search.SetText("")
	s.status.SetSelectedIndex(0)
	var revoked *poolApplicant
	for _, p := range s.shown {
		if hasStatus(p, credential.StatusRevoked) {
			revoked = p
			break
		}
	}
	s.open(revoked.ID)
	page := strings.Join(texts(s.page), "\n")
	for _, want := range []string{revoked.Stored.Name, "Verification:", "✓ Format:", "✗ Revocation:", "revoked", "Transparency profile", "Competencies it evidences:"} {
		if !strings.Contains(page, want) {
			t.Errorf("applicant page lacks %q:\n%s", want, page)
		}
	}
}

func TestApplicantsImportIntoANewWorkspace(t *testing.T) {
	st, err := data.Open(filepath.Join(t.TempDir(), "new.skillmatch"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := newTestApp(t, Options{Store: st})
	a.waitIdle()
	s := a.applicants
	if a.pool == nil || len(a.pool.applicants) != 0 {
		t.Fatalf("new workspace pool = %+v", a.pool)
	}
	if !strings.Contains(strings.Join(texts(s.page), "\n"), "No applicants yet") {
		t.Errorf("the empty workspace gives no guidance: %q", texts(s.page))
	}
	// Import two demo applicants' folders, and a file that is no credential.
	dir := t.TempDir()
	if err := demo.Export(dir); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "in")
	for _, name := range []string{"01-viktor-sato", "02-zoe-novak"} {
		if err := os.CopyFS(filepath.Join(in, name), os.DirFS(filepath.Join(dir, "applicants", name))); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(in, "notes.json"), []byte(`{"hello": "world"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s.importPaths([]string{in})
	s.importing.wait()
	a.poolLoad.wait()
	if n := len(a.pool.applicants); n != 2 {
		t.Fatalf("%d applicants after the import, want 2", n)
	}
	if len(s.shown) != 2 {
		t.Errorf("list shows %d", len(s.shown))
	}
	// The report dialog lists the rejected file.
	var report string
	for _, o := range a.Window().Canvas().Overlays().List() {
		report += strings.Join(texts(o), "\n")
	}
	for _, o := range test.LaidOutObjects(a.Window().Canvas().Overlays().Top()) {
		report += strings.Join(texts(o), "\n")
	}
	if !strings.Contains(report, "notes.json") || !strings.Contains(report, "rejected") {
		t.Errorf("import report does not name the rejected file:\n%s", report)
	}
}

// TestDropFilesOnTheWindow drops a demo applicant's folder (and a web link,
// which is ignored) on the window: the Applicants screen opens and imports it.
func TestDropFilesOnTheWindow(t *testing.T) {
	st, err := data.Open(filepath.Join(t.TempDir(), "drop.skillmatch"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := newTestApp(t, Options{Store: st})
	a.waitIdle()
	dir := t.TempDir()
	if err := demo.Export(dir); err != nil {
		t.Fatal(err)
	}
	link, err := storage.ParseURI("https://example.org/badge.json")
	if err != nil {
		t.Fatal(err)
	}
	a.ShowScreen("taxonomy")
	a.dropped(fyne.NewPos(10, 10), []fyne.URI{
		storage.NewFileURI(filepath.Join(dir, "applicants", "03-sanna-moreau")),
		link,
	})
	a.applicants.importing.wait()
	a.poolLoad.wait()
	if a.tabs.Selected().Text != T("tab.applicants") {
		t.Errorf("after the drop the %q tab is shown, want the applicants", a.tabs.Selected().Text)
	}
	if a.pool == nil || len(a.pool.applicants) != 1 {
		t.Fatalf("pool after the drop: %+v", a.pool)
	}
}
