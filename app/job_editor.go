package app

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/matcher"
)

// reqEditor edits the requirement selected in the list: must-have or
// asset, weight, minimum level and years, and shows the words of the
// posting it came from.
type reqEditor struct {
	s       *jobScreen
	id      string
	loading bool // set while the controls are filled from a row

	title   *widget.Label
	source  *widget.Label
	warn    *widget.Label // the competency is not in the active taxonomy
	must    *widget.RadioGroup
	weight  *widget.Slider
	wlabel  *widget.Label
	level   *widget.Select
	years   *widget.Entry
	accept  *widget.Button
	reject  *widget.Button
	form    *fyne.Container
	hint    *widget.Label
	root    *fyne.Container
	options []string // must radio options: must, asset
}

func newReqEditor(s *jobScreen) *reqEditor {
	e := &reqEditor{s: s}
	e.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.title.Truncation = fyne.TextTruncateEllipsis
	e.source = widget.NewLabel("")
	e.source.Wrapping = fyne.TextWrapWord
	e.source.TextStyle = fyne.TextStyle{Italic: true}
	e.warn = widget.NewLabel("")
	e.warn.Wrapping = fyne.TextWrapWord
	e.warn.Importance = widget.WarningImportance

	e.options = []string{T("job.must"), T("job.asset")}
	e.must = widget.NewRadioGroup(e.options, func(v string) {
		if e.loading || e.id == "" || v == "" {
			return
		}
		s.state.setMust(e.id, v == e.options[0])
		s.refresh()
	})
	e.must.Horizontal = true
	e.must.Required = true

	e.weight = widget.NewSlider(0.1, 1)
	e.weight.Step = 0.05
	e.wlabel = widget.NewLabel("")
	e.weight.OnChanged = func(v float64) {
		e.wlabel.SetText(strconv.FormatFloat(v, 'f', 2, 64))
	}
	e.weight.OnChangeEnded = func(v float64) {
		if e.loading || e.id == "" {
			return
		}
		s.state.setWeight(e.id, v)
		s.refresh()
	}

	names := make([]string, len(levels))
	for i, l := range levels {
		names[i] = levelName(l)
	}
	e.level = widget.NewSelect(names, func(string) {
		if e.loading || e.id == "" {
			return
		}
		s.state.setLevel(e.id, levels[e.level.SelectedIndex()])
		s.refresh()
	})

	e.years = widget.NewEntry()
	e.years.SetPlaceHolder("0")
	e.years.Validator = func(v string) error {
		_, err := parseYears(v)
		return err
	}
	e.years.OnChanged = func(v string) {
		if e.loading || e.id == "" {
			return
		}
		if y, err := parseYears(v); err == nil {
			s.state.setYears(e.id, y)
			s.refresh()
		}
	}

	e.accept = widget.NewButtonWithIcon(T("job.accept"), nil, func() {
		s.state.accept(e.id)
		s.refresh()
	})
	e.accept.Importance = widget.HighImportance
	e.reject = widget.NewButton(T("job.reject"), func() {
		s.state.remove(e.id)
		s.refresh()
	})

	e.form = container.New(formLayout(),
		widget.NewLabel(T("job.required")), e.must,
		widget.NewLabel(T("job.weight.label")), container.NewBorder(nil, nil, nil, e.wlabel, e.weight),
		widget.NewLabel(T("job.level")), e.level,
		widget.NewLabel(T("job.years.label")), e.years,
	)
	e.hint = widget.NewLabel(T("job.editor.hint"))
	e.hint.Wrapping = fyne.TextWrapWord
	e.root = container.NewVBox(widget.NewSeparator(), e.hint)
	return e
}

func levelName(l matcher.Level) string {
	if l == matcher.LevelNone {
		return T("level.none")
	}
	return T("level." + string(l))
}

// parseYears reads a number of years ("", "3", "2.5"; a comma works as the
// decimal mark too).
func parseYears(v string) (float64, error) {
	v = strings.TrimSpace(strings.ReplaceAll(v, ",", "."))
	if v == "" {
		return 0, nil
	}
	y, err := strconv.ParseFloat(v, 64)
	if err != nil || y < 0 || y > 60 {
		return 0, errYears
	}
	return y, nil
}

type yearsError struct{}

func (yearsError) Error() string { return T("job.years.invalid") }

var errYears error = yearsError{}

// show fills the editor with a row.
func (e *reqEditor) show(r reqRow) {
	e.loading = true
	defer func() { e.loading = false }()
	e.id = r.req.CompetencyID
	e.title.SetText(r.req.Label)
	e.source.SetText(e.sourceText(r))
	if r.req.Must {
		e.must.SetSelected(e.options[0])
	} else {
		e.must.SetSelected(e.options[1])
	}
	e.weight.SetValue(r.req.Weight)
	e.wlabel.SetText(strconv.FormatFloat(r.req.Weight, 'f', 2, 64))
	for i, l := range levels {
		if l == r.req.MinLevel {
			e.level.SetSelectedIndex(i)
		}
	}
	// Leave the entry alone while it already says the same number (the
	// user may be in the middle of typing "2,5").
	if y, err := parseYears(e.years.Text); err != nil || y != r.req.MinYears {
		if r.req.MinYears == 0 {
			e.years.SetText("")
		} else {
			e.years.SetText(formatYears(r.req.MinYears))
		}
	}
	buttons := container.NewHBox()
	switch r.status {
	case statusPending:
		buttons.Add(e.accept)
		e.reject.SetText(T("job.reject"))
		buttons.Add(e.reject)
	case statusRejected:
		buttons.Add(widget.NewButton(T("job.restore"), func() {
			e.s.state.restore(e.id)
			e.s.refresh()
		}))
	case statusAdded, statusTemplate:
		e.reject.SetText(T("job.remove"))
		buttons.Add(e.reject)
	default:
		e.reject.SetText(T("job.reject"))
		buttons.Add(e.reject)
	}
	e.root.Objects = []fyne.CanvasObject{widget.NewSeparator(), container.NewBorder(nil, nil, nil, buttons, e.title)}
	if !e.s.inTaxonomy(e.id) {
		e.warn.SetText(T("evidence.job.unmapped", map[string]any{"Taxonomy": e.s.app.tax.Name}))
		e.root.Objects = append(e.root.Objects, e.warn)
	}
	e.root.Objects = append(e.root.Objects, e.source, e.form)
	e.root.Refresh()
}

// clear shows the hint instead of a requirement.
func (e *reqEditor) clear() {
	e.id = ""
	e.root.Objects = []fyne.CanvasObject{widget.NewSeparator(), e.hint}
	e.root.Refresh()
}

// sourceText says where a requirement came from: the words of the posting
// that produced it, or how it was added.
func (e *reqEditor) sourceText(r reqRow) string {
	var quotes []string
	text := e.s.state.text
	for _, sp := range r.req.Spans {
		if sp[0] >= 0 && sp[1] <= len(text) && sp[0] < sp[1] {
			quotes = append(quotes, "“"+strings.Join(strings.Fields(text[sp[0]:sp[1]]), " ")+"”")
		}
	}
	switch {
	case r.status == statusAdded:
		return T("job.source.added.long")
	case r.status == statusTemplate:
		return T("job.source.template.long")
	case len(quotes) == 0:
		return ""
	case r.req.Confidence == matcher.Suggested:
		return T("job.source.suggested.long", map[string]any{"Words": strings.Join(quotes, ", "), "Score": int(r.req.Score*100 + 0.5)})
	}
	return T("job.source.detected.long", map[string]any{"Words": strings.Join(quotes, ", ")})
}

// showAddDialog lets the recruiter search the taxonomy and add a
// competency as a must-have.
func (s *jobScreen) showAddDialog() {
	if s.app.tax == nil {
		return
	}
	p := newCompetencyPicker(s.app)
	d := dialog.NewCustomConfirm(T("job.add.title"), T("job.add.confirm"), T("dialog.cancel"), p.root, func(ok bool) {
		if ok && p.chosen != "" {
			s.addCompetency(p.chosen)
		}
	}, s.app.win)
	d.Resize(fyne.NewSize(560, 480))
	d.Show()
	s.app.win.Canvas().Focus(p.entry)
}

// addCompetency adds the competency id as a must-have requirement and
// selects it.
func (s *jobScreen) addCompetency(id string) {
	c, ok := s.app.tax.Get(id)
	if !ok {
		return
	}
	lang := s.state.lang
	if lang == "" {
		lang = uiLanguage()
	}
	s.state.add(matcher.Requirement{
		CompetencyID: id, Label: c.Label(lang), Must: true, Weight: 1,
		Confidence: confidenceAdded, Score: 1, Spans: [][2]int{},
	}, statusAdded)
	s.selected = id
	s.refresh()
}

// showTemplateDialog lets the recruiter pick an occupation profile whose
// competencies become requirements.
func (s *jobScreen) showTemplateDialog() {
	p := newOccupationPicker(s.app)
	d := dialog.NewCustomConfirm(T("job.template.title"), T("job.template.confirm"), T("dialog.cancel"), p.root, func(ok bool) {
		if ok && p.chosen != "" {
			if err := s.applyTemplate(p.chosen); err != nil {
				dialog.ShowError(err, s.app.win)
			}
		}
	}, s.app.win)
	d.Resize(fyne.NewSize(560, 480))
	d.Show()
	s.app.win.Canvas().Focus(p.entry)
}

// applyTemplate adds the competencies of an occupation profile.
func (s *jobScreen) applyTemplate(occupationID string) error {
	lang := s.state.lang
	if lang == "" {
		lang = uiLanguage()
	}
	reqs, err := matcher.For(s.app.tax).FromOccupation(occupationID, lang)
	if err != nil {
		return err
	}
	for _, r := range reqs {
		s.state.add(r, statusTemplate)
	}
	s.refresh()
	return nil
}
