package app

import (
	"encoding/json"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// loadTaxonomy builds the small fixture taxonomy of testdata/taxonomy.json.
func loadTaxonomy(t *testing.T) *taxonomy.Taxonomy {
	t.Helper()
	data, err := os.ReadFile("testdata/taxonomy.json")
	if err != nil {
		t.Fatal(err)
	}
	var comps []taxonomy.Competency
	if err := json.Unmarshal(data, &comps); err != nil {
		t.Fatalf("testdata/taxonomy.json: %v", err)
	}
	tax, err := taxonomy.New("fixture", comps, nil)
	if err != nil {
		t.Fatalf("testdata/taxonomy.json: %v", err)
	}
	return tax
}

// newTestApp builds the app on Fyne's headless test driver, in English
// unless opts say otherwise.
func newTestApp(t *testing.T, opts Options) *App {
	t.Helper()
	fa := test.NewTempApp(t)
	if opts.Taxonomy == nil {
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

// walkObjects returns o and every object below it.
func walkObjects(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			out = append(out, walkObjects(ch)...)
		}
	case *container.Scroll:
		out = append(out, walkObjects(c.Content)...)
	case *container.Split:
		out = append(out, walkObjects(c.Leading)...)
		out = append(out, walkObjects(c.Trailing)...)
	}
	return out
}

func readTestFile(name string) (*os.File, error) { return os.Open(name) }

func startsWith(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }
