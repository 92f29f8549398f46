package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// formLayout is a two-column label/control layout.
func formLayout() fyne.Layout { return layout.NewFormLayout() }

// competencyPicker is a search box with the matching competencies; the one
// the user selects is chosen.
type competencyPicker struct {
	entry   *widget.Entry
	list    *widget.List
	matches []taxonomy.Match
	chosen  string
	root    fyne.CanvasObject
}

func newCompetencyPicker(a *App) *competencyPicker {
	p := &competencyPicker{}
	lang := uiLanguage()
	p.entry = widget.NewEntry()
	p.entry.SetPlaceHolder(T("taxonomy.search.placeholder"))
	p.list = widget.NewList(func() int { return len(p.matches) },
		newTruncatedLabel,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			m := p.matches[i]
			text := m.Competency.Label(lang)
			if m.Label != text {
				text += " — " + m.Label
			}
			o.(*widget.Label).SetText(text + " · " + T("kind."+string(m.Competency.Kind)))
		})
	p.list.OnSelected = func(i widget.ListItemID) { p.chosen = p.matches[i].Competency.ID }
	p.entry.OnChanged = func(q string) {
		p.matches = a.tax.Search(q, 100)
		p.chosen = ""
		p.list.UnselectAll()
		p.list.Refresh()
		if len(p.matches) > 0 {
			p.list.Select(0)
		}
	}
	p.root = container.NewBorder(p.entry, nil, nil, nil, p.list)
	return p
}

// occupationPicker finds occupation profiles by job title.
type occupationPicker struct {
	entry   *widget.Entry
	list    *widget.List
	matches []matcher.OccupationMatch
	chosen  string
	root    fyne.CanvasObject
}

func newOccupationPicker(a *App) *occupationPicker {
	p := &occupationPicker{}
	lang := uiLanguage()
	ex := matcher.For(a.tax)
	p.entry = widget.NewEntry()
	p.entry.SetPlaceHolder(T("job.template.placeholder"))
	p.list = widget.NewList(func() int { return len(p.matches) },
		newTruncatedLabel,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			m := p.matches[i]
			o.(*widget.Label).SetText(m.Occupation.Label(lang) + " · " + TN("job.template.count", len(m.Occupation.Essential)+len(m.Occupation.Optional)))
		})
	p.list.OnSelected = func(i widget.ListItemID) { p.chosen = p.matches[i].Occupation.ID }
	p.entry.OnChanged = func(q string) {
		p.matches = ex.MatchOccupations(q, 50)
		p.chosen = ""
		p.list.UnselectAll()
		p.list.Refresh()
		if len(p.matches) > 0 {
			p.list.Select(0)
		}
	}
	p.root = container.NewBorder(p.entry, nil, nil, nil, p.list)
	return p
}
