package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/taxonomy"
)

var (
	fixtureOnce sync.Once
	fixtureTax  *taxonomy.Taxonomy
	fixtureErr  error
)

// loadTaxonomy returns the small fixture taxonomy of testdata/taxonomy.json
// (built once: it is read-only, and the demo pool read with it is cached).
func loadTaxonomy(t *testing.T) *taxonomy.Taxonomy {
	t.Helper()
	fixtureOnce.Do(func() { fixtureTax, fixtureErr = readFixtureTaxonomy() })
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixtureTax
}

func readFixtureTaxonomy() (*taxonomy.Taxonomy, error) {
	data, err := os.ReadFile("testdata/taxonomy.json")
	if err != nil {
		return nil, err
	}
	var comps []taxonomy.Competency
	if err := json.Unmarshal(data, &comps); err != nil {
		return nil, fmt.Errorf("testdata/taxonomy.json: %w", err)
	}
	tax, err := taxonomy.New("fixture", comps, nil)
	if err != nil {
		return nil, fmt.Errorf("testdata/taxonomy.json: %w", err)
	}
	return tax, nil
}

var (
	demoOnce sync.Once
	demoDir  string
	demoErr  error
)

// TestMain removes the demo workspace the tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

// demoStore opens a private copy of the demo workspace (created once per
// test run with data.CreateDemo, then copied, so tests may change it).
func demoStore(t *testing.T) *data.Store {
	t.Helper()
	demoOnce.Do(func() {
		if demoDir, demoErr = os.MkdirTemp("", "skillmatch-app-test-"); demoErr == nil {
			_, demoErr = data.CreateDemo(context.Background(), filepath.Join(demoDir, "demo.skillmatch"))
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	b, err := os.ReadFile(filepath.Join(demoDir, "demo.skillmatch"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.skillmatch")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newDemoApp builds the app on the demo workspace and waits for its
// applicants to load.
func newDemoApp(t *testing.T, lang string) *App {
	t.Helper()
	a := newTestApp(t, Options{Store: demoStore(t), Language: lang})
	a.waitIdle()
	if a.pool == nil {
		t.Fatalf("the demo pool did not load: %v", a.poolErr)
	}
	return a
}

// newTestApp builds the app on Fyne's headless test driver, in English
// unless opts say otherwise.
func newTestApp(t *testing.T, opts Options) *App {
	t.Helper()
	fa := test.NewTempApp(t)
	if opts.Taxonomy == nil && opts.Store == nil {
		opts.Taxonomy = loadTaxonomy(t)
	}
	if opts.Language == "" {
		opts.Language = "en"
	}
	a := New(fa, opts)
	a.Window().Show()
	t.Cleanup(func() {
		_ = setLanguage("")
		a.Window().Close()
	})
	return a
}

// texts returns the text of every label, rich text, hyperlink, button and
// entry placeholder under o, in tree order.
func texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.RichText:
			out = append(out, w.String())
		case *widget.Hyperlink:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *widget.Entry:
			out = append(out, w.PlaceHolder)
		case *widget.Select:
			out = append(out, w.Selected)
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, ch := range c.Objects {
				walk(ch)
			}
		case *container.Scroll:
			walk(c.Content)
		case *container.Split:
			walk(c.Leading)
			walk(c.Trailing)
		case *container.AppTabs:
			for _, it := range c.Items {
				out = append(out, it.Text)
				walk(it.Content)
			}
		case *widget.Form:
			for _, it := range c.Items {
				out = append(out, it.Text)
				walk(it.Widget)
			}
		}
	}
	walk(o)
	return out
}

func readTestFile(name string) (*os.File, error) { return os.Open(name) }

func startsWith(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

func widgetCell(row, col int) widget.TableCellID { return widget.TableCellID{Row: row, Col: col} }

func strconvID(id int64) string { return fmt.Sprint(id) }
