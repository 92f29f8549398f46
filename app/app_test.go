package app

import (
	"image/png"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestTranslationsHaveTheSameKeys(t *testing.T) {
	keys := map[string][]string{}
	for _, code := range Languages {
		m, where := translationsOf(t, code)
		for k, v := range m {
			switch v := v.(type) {
			case string:
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s: %s is empty", where[k], k)
				}
			case map[string]any:
				if v["one"] == nil || v["other"] == nil {
					t.Errorf("%s: plural %s needs one and other", where[k], k)
				}
			default:
				t.Errorf("%s: %s is a %T", where[k], k, v)
			}
			keys[code] = append(keys[code], k)
		}
		slices.Sort(keys[code])
	}
	for _, code := range Languages[1:] {
		for _, k := range keys[Languages[0]] {
			if _, found := slices.BinarySearch(keys[code], k); !found {
				t.Errorf("the %s translations lack %s", code, k)
			}
		}
		for _, k := range keys[code] {
			if _, found := slices.BinarySearch(keys[Languages[0]], k); !found {
				t.Errorf("the %s translations have %s, which the %s ones lack", code, k, Languages[0])
			}
		}
	}
}

// rawKey matches a translation key shown untranslated.
var rawKey = regexp.MustCompile(`^[a-z]+(\.[a-z_]+)+$`)

func TestEveryScreenIsTranslated(t *testing.T) {
	tests := []struct {
		lang string
		want []string // texts that must appear
	}{
		{"en", []string{"Taxonomy", "Settings", "This is a demo workspace — File › New workspace to start your own"}},
		{"fr", []string{"Taxonomie", "Paramètres", "Français", "Ceci est un espace de travail de démonstration — Fichier › Nouvel espace de travail pour créer le vôtre"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			a := newDemoApp(t, tt.lang)
			all := texts(a.Window().Content())
			for _, s := range all {
				if rawKey.MatchString(s) {
					t.Errorf("untranslated key %q on screen", s)
				}
			}
			for _, w := range tt.want {
				if !slices.Contains(all, w) {
					t.Errorf("%q not on screen; texts: %q", w, all)
				}
			}
		})
	}
}

func TestSettingsLanguageRebuildsTheWindow(t *testing.T) {
	a := newTestApp(t, Options{Language: "en"})
	a.ShowScreen("settings")
	if got := tabText(a, "taxonomy"); got != "Taxonomy" {
		t.Fatalf("first tab = %q", got)
	}
	a.settings.language.SetSelected("Français")
	if got := tabText(a, "taxonomy"); got != "Taxonomie" {
		t.Errorf("after choosing Français the first tab is %q", got)
	}
	if got := a.screens[a.tabs.SelectedIndex()].name; got != "settings" {
		t.Errorf("the rebuild lost the selected tab: now %q", got)
	}
	if got := a.fyne.Preferences().String(prefLanguage); got != "fr" {
		t.Errorf("language preference = %q, want fr", got)
	}
	// Competency labels follow the interface language.
	if got := a.taxonomy.idx.label["care"]; got != "Soins de santé" {
		t.Errorf("tree label of care = %q", got)
	}
	a.settings.language.SetSelected("English")
	if got := tabText(a, "taxonomy"); got != "Taxonomy" {
		t.Errorf("after choosing English the first tab is %q", got)
	}
}

func TestSaveScreenshots(t *testing.T) {
	a := newDemoApp(t, "en")
	dir := t.TempDir()
	files, err := a.SaveScreenshots(t.Context(), dir, ScreenshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	names := a.screenshotNames()
	if len(files) != len(names) || len(names) <= len(a.Screens()) {
		t.Fatalf("%d files for %d screenshots of %d screens", len(files), len(names), len(a.Screens()))
	}
	for i, f := range files {
		if want := dir + "/" + names[i] + ".png"; f != want {
			t.Errorf("file %d = %s, want %s", i, f, want)
		}
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if b := img.Bounds(); b.Dx() < 1280 || b.Dy() < 800 {
			t.Errorf("%s is %v, want the 1280×800 window", f, b)
		}
		if blank(img) {
			t.Errorf("%s is blank", f)
		}
	}
	// The taxonomy screenshot shows a search with its best match open.
	if a.taxonomy.selected == "" {
		t.Error("the taxonomy screenshot shows no competency")
	}
}

func TestWindowFitsTheScreen(t *testing.T) {
	a := newDemoApp(t, "en")
	for _, name := range a.Screens() {
		a.ShowScreen(name)
		min := a.Window().Content().MinSize()
		if min.Width > WindowSize.Width || min.Height > WindowSize.Height {
			t.Errorf("screen %s needs %v, more than the %v window", name, min, WindowSize)
		}
	}
}

// tabText returns the title of the named screen's tab.
func tabText(a *App, name string) string {
	for i, n := range a.Screens() {
		if n == name {
			return a.tabs.Items[i].Text
		}
	}
	return ""
}
