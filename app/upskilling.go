package app

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// upT returns an interface string of the Upskilling screen. Its strings
// live in translations/upskilling.en.json and upskilling.fr.json (loaded
// with the others, Fyne merging files of the same language); the test
// TestUpskillingKeysAreTranslated checks that every key used here is in
// both.
func upT(key string, data ...any) string { return lang.X(key, key, data...) }

// upFormats are the catalogue formats with their translation keys.
var upFormats = []struct{ format, key string }{
	{"online", "upskilling.format.online"},
	{"in-person", "upskilling.format.in_person"},
	{"self-paced", "upskilling.format.self_paced"},
	{"blended", "upskilling.format.blended"},
}

var upLanguages = []struct{ code, key string }{
	{"en", "upskilling.lang.en"},
	{"fr", "upskilling.lang.fr"},
}

var upStacking = []struct {
	value matcher.Stacking
	key   string
}{
	{matcher.StackPrefer, "upskilling.stacking.prefer"},
	{matcher.StackOnly, "upskilling.stacking.only"},
	{matcher.StackIgnore, "upskilling.stacking.ignore"},
}

var upReasons = map[matcher.OpenReason]string{
	matcher.ReasonNoItem:     "upskilling.reason.no_item",
	matcher.ReasonWeakItems:  "upskilling.reason.weak_items",
	matcher.ReasonConstraint: "upskilling.reason.constraint",
	matcher.ReasonBudget:     "upskilling.reason.budget",
	matcher.ReasonNotChosen:  "upskilling.reason.not_chosen",
	matcher.ReasonNoWeight:   "upskilling.reason.no_weight",
}

// upskillingScreen is the Upskilling tab: pick a team of staff and a role
// (a job of the workspace), see the team's heatmap and coverage, plan the
// micro-credentials of the catalogue that close the gaps under a budget and
// constraints, and export the plan as CSV.
type upskillingScreen struct {
	app   *App
	teams []data.Team
	jobs  []*data.Job

	team     *widget.Select
	role     *widget.Select
	minimise *widget.Select
	budget   *widget.Entry
	formats  *widget.CheckGroup
	langs    *widget.CheckGroup
	stacking *widget.Select
	planBtn  *widget.Button
	export   *widget.Button
	exportPD *widget.Button
	status   *widget.Label
	busy     *widget.ProgressBarInfinite
	heat     *widget.Table
	detail   *widget.Label
	coverage *widget.RichText
	planView *widget.RichText
	root     fyne.CanvasObject

	// gaps is the analysis shown (nil until a team and a role are
	// chosen); catalogue the workspace's catalogue read with it; plan the
	// last plan (nil until Plan is pressed, and after any change).
	gaps      *matcher.GapAnalysis
	catalogue []matcher.CatalogueItem
	plan      *matcher.UpskillPlan

	analysing latest
	planning  latest
}

func newUpskillingScreen(a *App) *upskillingScreen {
	s := &upskillingScreen{app: a}
	st := a.store
	if st == nil {
		msg := widget.NewLabel(upT("upskilling.noworkspace"))
		msg.Wrapping = fyne.TextWrapWord
		s.root = container.NewPadded(msg)
		return s
	}
	var err error
	if s.teams, err = st.Teams(); err != nil {
		fyne.LogError("upskilling: listing teams", err)
	}
	s.jobs = a.jobs

	teamNames := make([]string, len(s.teams))
	for i, t := range s.teams {
		teamNames[i] = upT("upskilling.team.item", map[string]any{"Name": t.Name, "Members": t.Members})
	}
	s.team = widget.NewSelect(teamNames, func(string) { s.analyse() })
	s.team.PlaceHolder = upT("upskilling.team.pick")
	jobNames := make([]string, len(s.jobs))
	for i, j := range s.jobs {
		jobNames[i] = j.Title
	}
	s.role = widget.NewSelect(jobNames, func(string) { s.analyse() })
	s.role.PlaceHolder = upT("upskilling.role.pick")

	s.minimise = widget.NewSelect([]string{upT("upskilling.minimise.cost"), upT("upskilling.minimise.hours")}, func(string) { s.invalidate() })
	s.minimise.SetSelectedIndex(0)
	s.budget = widget.NewEntry()
	s.budget.SetPlaceHolder(upT("upskilling.budget.none"))
	s.budget.OnChanged = func(string) { s.invalidate() }
	var fmts []string
	for _, f := range upFormats {
		fmts = append(fmts, upT(f.key))
	}
	s.formats = widget.NewCheckGroup(fmts, func([]string) { s.invalidate() })
	s.formats.Horizontal = true
	s.formats.Selected = fmts
	var langs []string
	for _, l := range upLanguages {
		langs = append(langs, upT(l.key))
	}
	s.langs = widget.NewCheckGroup(langs, func([]string) { s.invalidate() })
	s.langs.Horizontal = true
	s.langs.Selected = langs
	var stacks []string
	for _, k := range upStacking {
		stacks = append(stacks, upT(k.key))
	}
	s.stacking = widget.NewSelect(stacks, func(string) { s.invalidate() })
	s.stacking.SetSelectedIndex(0)
	s.planBtn = widget.NewButtonWithIcon(upT("upskilling.plan"), theme.MediaPlayIcon(), s.runPlan)
	s.planBtn.Importance = widget.HighImportance
	s.export = widget.NewButtonWithIcon(upT("upskilling.export"), theme.DocumentSaveIcon(), func() { s.exportDialog("csv") })
	s.exportPD = widget.NewButtonWithIcon(upT("upskilling.export.pdf"), theme.DocumentPrintIcon(), func() { s.exportDialog("pdf") })

	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.busy = widget.NewProgressBarInfinite()
	s.busy.Hide()

	s.heat = newHeatmap(
		func() (int, int) {
			if s.gaps == nil {
				return 0, 0
			}
			return len(s.gaps.People), len(s.gaps.Requirements)
		},
		s.updateHeat)
	s.heat.UpdateHeader = s.updateHeatHeader
	s.heat.OnSelected = s.showCell
	s.detail = widget.NewLabel(upT("upskilling.cell.hint"))
	s.detail.Wrapping = fyne.TextWrapWord
	s.coverage = widget.NewRichText()
	s.coverage.Wrapping = fyne.TextWrapWord
	s.planView = widget.NewRichText()
	s.planView.Wrapping = fyne.TextWrapWord

	pickers := container.New(formLayout(),
		widget.NewLabel(upT("upskilling.team")), s.team,
		widget.NewLabel(upT("upskilling.role")), s.role)
	constraints := container.New(formLayout(),
		widget.NewLabel(upT("upskilling.minimise")), container.NewBorder(nil, nil, nil,
			container.NewHBox(widget.NewLabel(upT("upskilling.budget")), container.NewGridWrap(fyne.NewSize(120, s.budget.MinSize().Height), s.budget)), s.minimise),
		widget.NewLabel(upT("upskilling.formats")), s.formats,
		widget.NewLabel(upT("upskilling.languages")), s.langs,
		widget.NewLabel(upT("upskilling.stacking")), s.stacking)
	buttons := container.NewHBox(s.planBtn, s.export, s.exportPD)
	top := container.NewVBox(container.NewGridWithColumns(2, pickers, constraints), buttons, s.status, s.busy)

	legend := container.NewHBox(
		heatKey(upT("upskilling.heat.met"), matcher.OutcomeMet),
		heatKey(upT("upskilling.heat.partly"), matcher.OutcomePartly),
		heatKey(upT("upskilling.heat.missing"), matcher.OutcomeMissing))
	views := container.NewAppTabs(
		container.NewTabItem(upT("upskilling.view.heatmap"), container.NewBorder(legend, s.detail, nil, nil, s.heat)),
		container.NewTabItem(upT("upskilling.view.coverage"), container.NewVScroll(s.coverage)),
	)
	split := container.NewHSplit(views, container.NewVScroll(s.planView))
	split.SetOffset(0.55)
	s.root = container.NewBorder(container.NewPadded(top), nil, nil, nil, split)

	switch {
	case len(s.teams) == 0:
		s.status.SetText(upT("upskilling.team.none"))
	case len(s.jobs) == 0:
		s.status.SetText(upT("upskilling.role.none"))
	default:
		s.status.SetText(upT("upskilling.start"))
	}
	s.refreshButtons()
	s.showPlan()
	return s
}

func (s *upskillingScreen) content() fyne.CanvasObject { return s.root }

// options reads the constraints. The error names the field to fix.
func (s *upskillingScreen) options() (matcher.UpskillOptions, error) {
	opt := matcher.UpskillOptions{Minimise: matcher.MinimiseCost, Stacking: matcher.StackPrefer}
	if s.minimise.SelectedIndex() == 1 {
		opt.Minimise = matcher.MinimiseHours
	}
	if b := strings.TrimSpace(strings.ReplaceAll(s.budget.Text, ",", ".")); b != "" {
		v, err := strconv.ParseFloat(b, 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return opt, fmt.Errorf("%s", upT("upskilling.budget.invalid", map[string]any{"Text": s.budget.Text}))
		}
		opt.Budget = v
	}
	for _, f := range upFormats {
		for _, sel := range s.formats.Selected {
			if sel == upT(f.key) {
				opt.Formats = append(opt.Formats, f.format)
			}
		}
	}
	if len(opt.Formats) == 0 {
		return opt, fmt.Errorf("%s", upT("upskilling.formats.none"))
	}
	for _, l := range upLanguages {
		for _, sel := range s.langs.Selected {
			if sel == upT(l.key) {
				opt.Languages = append(opt.Languages, l.code)
			}
		}
	}
	if len(opt.Languages) == 0 {
		return opt, fmt.Errorf("%s", upT("upskilling.languages.none"))
	}
	if i := s.stacking.SelectedIndex(); i >= 0 {
		opt.Stacking = upStacking[i].value
	}
	return opt, nil
}

// selected returns the chosen team and job, if both are chosen.
func (s *upskillingScreen) selected() (*data.Team, *data.Job, bool) {
	ti, ji := s.team.SelectedIndex(), s.role.SelectedIndex()
	if ti < 0 || ji < 0 || ti >= len(s.teams) || ji >= len(s.jobs) {
		return nil, nil, false
	}
	return &s.teams[ti], s.jobs[ji], true
}

// analyse loads the chosen team's members, their evidence and the
// catalogue, and assesses them against the chosen role, off the UI
// goroutine; a newer choice cancels it.
func (s *upskillingScreen) analyse() {
	team, job, ok := s.selected()
	if !ok {
		return
	}
	a := s.app
	st, tax, policy := a.store, a.tax, a.policy
	s.gaps, s.plan = nil, nil
	s.planning.stop()
	s.busy.Show()
	s.status.SetText(upT("upskilling.analysing", map[string]any{"Team": team.Name, "Role": job.Title}))
	s.heat.Refresh()
	s.showPlan()
	s.refreshButtons()
	teamID, reqs := team.ID, job.Requirements
	s.analysing.run(0, func(ctx context.Context) func() {
		g, cat, err := analyseTeam(ctx, st, teamID, reqs, tax, policy)
		return func() {
			s.busy.Hide()
			if err != nil {
				s.status.SetText(upT("upskilling.error", map[string]any{"Error": err.Error()}))
				s.refreshButtons()
				return
			}
			s.gaps, s.catalogue = g, cat
			s.showAnalysis()
		}
	})
}

// analyseTeam is the background half of analyse.
func analyseTeam(ctx context.Context, st *data.Store, teamID int64, reqs []matcher.Requirement, tax *taxonomy.Taxonomy, policy matcher.Policy) (*matcher.GapAnalysis, []matcher.CatalogueItem, error) {
	if len(reqs) == 0 {
		return nil, nil, fmt.Errorf("%s", upT("upskilling.role.empty"))
	}
	people, err := st.RankingApplicants(ctx, data.ApplicantFilter{Kind: data.KindEmployee, TeamID: teamID}, nil)
	if err != nil {
		return nil, nil, err
	}
	if len(people) == 0 {
		return nil, nil, fmt.Errorf("%s", upT("upskilling.team.empty"))
	}
	cat, err := st.Catalogue()
	if err != nil {
		return nil, nil, err
	}
	now := st.AsOf()
	if now.IsZero() {
		now = time.Now().UTC()
	}
	g, err := matcher.AnalyzeGapsContext(ctx, matcher.NewScorer(tax, reqs, policy, now), people, nil)
	if err != nil {
		return nil, nil, err
	}
	return g, cat, nil
}

// showAnalysis shows the heatmap and coverage of s.gaps.
func (s *upskillingScreen) showAnalysis() {
	g := s.gaps
	risk := len(g.AtRisk())
	s.status.SetText(upT("upskilling.status", map[string]any{
		"People": len(g.People), "Requirements": len(g.Requirements), "AtRisk": risk,
		"Items": len(s.catalogue), "Date": g.Now.Format("2006-01-02"),
	}))
	for c := range g.Requirements {
		s.heat.SetColumnWidth(c, 120)
	}
	s.heat.SetColumnWidth(-1, 200)
	s.heat.Refresh()
	s.detail.SetText(upT("upskilling.cell.hint"))

	var segs []widget.RichTextSegment
	for _, c := range g.Coverage {
		kind := upT("upskilling.asset")
		if c.Must {
			kind = upT("upskilling.must")
		}
		style := widget.RichTextStyleStrong
		if c.AtRisk {
			style.ColorName = theme.ColorNameError
		}
		segs = append(segs, &widget.TextSegment{Text: fmt.Sprintf("%s (%s)", c.Label, kind), Style: style})
		line := upT("upskilling.coverage.line", map[string]any{"Met": c.Holders, "Partly": len(c.Partly), "Lacking": len(c.Lacking)})
		if c.AtRisk {
			line += " — " + upT("upskilling.coverage.risk")
		}
		var who []string
		for _, h := range c.Met {
			who = append(who, fmt.Sprintf("%s ✓", s.name(h.Person)))
		}
		for _, h := range c.Partly {
			who = append(who, fmt.Sprintf("%s ½ %.0f%%", s.name(h.Person), 100*h.Fit))
		}
		if len(who) > 0 {
			line += "\n" + strings.Join(who, ", ")
		}
		segs = append(segs, &widget.TextSegment{Text: line, Style: widget.RichTextStyleParagraph})
	}
	s.coverage.Segments = segs
	s.coverage.Refresh()
	s.refreshButtons()
	s.showPlan()
}

// name returns a person's display name.
func (s *upskillingScreen) name(id string) string {
	if s.gaps != nil {
		if p, ok := s.gaps.Person(id); ok {
			return p.DisplayName()
		}
	}
	return id
}

func (s *upskillingScreen) updateHeatHeader(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	g := s.gaps
	switch {
	case g == nil:
		l.SetText("")
	case id.Row < 0 && id.Col >= 0 && id.Col < len(g.Coverage):
		c := g.Coverage[id.Col]
		text := fmt.Sprintf("%s (%d)", c.Label, c.Holders)
		if c.AtRisk {
			text = "⚠ " + text
		}
		l.SetText(text)
	case id.Col < 0 && id.Row >= 0 && id.Row < len(g.People):
		p := &g.People[id.Row]
		l.SetText(fmt.Sprintf("%s · %.0f", p.DisplayName(), p.Score))
	default:
		l.SetText("")
	}
}

func (s *upskillingScreen) updateHeat(id widget.TableCellID, o fyne.CanvasObject) {
	st := o.(*fyne.Container)
	bg := st.Objects[0].(*canvas.Rectangle)
	l := st.Objects[1].(*widget.Label)
	g := s.gaps
	if g == nil || id.Row >= len(g.People) || id.Col >= len(g.Requirements) {
		return
	}
	d := g.People[id.Row].Requirements[id.Col]
	bg.FillColor = heatColor(d.Outcome)
	bg.Refresh()
	text := heatMark(d.Outcome)
	if d.Outcome == matcher.OutcomePartly {
		text = fmt.Sprintf("%.0f%%", 100*d.Fit)
	}
	l.SetText(text)
}

// showCell explains one cell: the person's fit to the requirement, with
// the evidence.
func (s *upskillingScreen) showCell(id widget.TableCellID) {
	g := s.gaps
	if g == nil || id.Row < 0 || id.Col < 0 || id.Row >= len(g.People) || id.Col >= len(g.Requirements) {
		return
	}
	p := &g.People[id.Row]
	s.detail.SetText(p.DisplayName() + ": " + p.Requirements[id.Col].Note)
}

// invalidate drops the plan after a change of the constraints.
func (s *upskillingScreen) invalidate() {
	if s.plan == nil {
		return
	}
	s.plan = nil
	s.planning.stop()
	s.showPlan()
	s.refreshButtons()
}

func (s *upskillingScreen) refreshButtons() {
	if s.planBtn == nil {
		return
	}
	if s.gaps == nil {
		s.planBtn.Disable()
	} else {
		s.planBtn.Enable()
	}
	if s.plan == nil {
		s.export.Disable()
		s.exportPD.Disable()
	} else {
		s.export.Enable()
		s.exportPD.Enable()
	}
}

// runPlan plans off the UI goroutine with the current constraints.
func (s *upskillingScreen) runPlan() {
	g, cat := s.gaps, s.catalogue
	if g == nil {
		return
	}
	opt, err := s.options()
	if err != nil {
		s.status.SetText(err.Error())
		return
	}
	if _, job, ok := s.selected(); ok {
		opt.PreferLanguage = job.Language
	}
	s.busy.Show()
	s.status.SetText(upT("upskilling.planning"))
	s.planning.run(0, func(ctx context.Context) func() {
		plan, err := matcher.PlanUpskillingContext(ctx, g, cat, opt)
		return func() {
			s.busy.Hide()
			if g != s.gaps {
				return // the team or role changed meanwhile
			}
			if err != nil {
				s.status.SetText(upT("upskilling.error", map[string]any{"Error": err.Error()}))
				return
			}
			s.plan = plan
			s.status.SetText(upT("upskilling.planned", map[string]any{"Closed": plan.Closed, "Gaps": plan.Gaps}))
			s.showPlan()
			s.refreshButtons()
		}
	})
}

// showPlan renders the plan: the summary, the chosen items with the gaps
// each closes, and what stays open and why.
func (s *upskillingScreen) showPlan() {
	if s.planView == nil {
		return
	}
	p := s.plan
	var segs []widget.RichTextSegment
	heading := func(text string) {
		segs = append(segs, &widget.TextSegment{Text: text, Style: widget.RichTextStyleSubHeading})
	}
	para := func(text string) {
		segs = append(segs, &widget.TextSegment{Text: text, Style: widget.RichTextStyleParagraph})
	}
	// A bold line of its own: RichTextStyleStrong is inline and would run
	// into the paragraph after it.
	strongLine := widget.RichTextStyle{ColorName: theme.ColorNameForeground, TextStyle: fyne.TextStyle{Bold: true}}
	heading(upT("upskilling.plan.title"))
	if p == nil {
		para(upT("upskilling.plan.empty"))
		s.planView.Segments = segs
		s.planView.Refresh()
		return
	}
	method := upT("upskilling.plan.approx")
	if p.Exact {
		method = upT("upskilling.plan.exact")
	}
	para(upT("upskilling.plan.summary", map[string]any{
		"Items": len(p.Steps), "Cost": upMoney(p.Cost, p.Currency), "Hours": upNum(p.Hours),
		"Closed": p.Closed, "Gaps": p.Gaps, "Method": method,
	}))
	if len(p.Steps) > 0 {
		heading(upT("upskilling.plan.steps"))
		for _, st := range p.Steps {
			var closes []string
			for _, c := range st.Closes {
				t := c.Label
				if c.Relation != matcher.RelExact {
					t += " (" + upT("upskilling.plan.via", map[string]any{"Competency": c.Via}) + ")"
				}
				closes = append(closes, t)
			}
			segs = append(segs, &widget.TextSegment{Text: s.name(st.Person) + " — " + st.Item.Title, Style: strongLine})
			line := fmt.Sprintf("%s · %s · %s h · %s", st.Item.Provider, upFormatName(st.Item.Format), upNum(st.Item.Hours), upMoney(st.Item.Cost, st.Item.Currency))
			if st.Item.StackableInto != "" {
				line += " · " + upT("upskilling.plan.stacks", map[string]any{"Into": st.Item.StackableInto})
			}
			para(line + "\n" + upT("upskilling.plan.closes", map[string]any{"Gaps": strings.Join(closes, "; ")}))
		}
	}
	if len(p.Open) > 0 {
		heading(upT("upskilling.plan.open"))
		for _, o := range p.Open {
			kind := upT("upskilling.asset")
			if o.Must {
				kind = upT("upskilling.must")
			}
			segs = append(segs, &widget.TextSegment{Text: fmt.Sprintf("%s — %s (%s)", s.name(o.Person), o.Label, kind), Style: strongLine})
			para(upT(upReasons[o.Reason]) + ": " + o.Note)
		}
	}
	s.planView.Segments = segs
	s.planView.Refresh()
}

// exportDialog asks where to save the plan as CSV or PDF and writes it.
func (s *upskillingScreen) exportDialog(format string) {
	p := s.plan
	if p == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			s.app.showErr(err)
			return
		}
		if format == "pdf" {
			err = s.exportPDF(w, p)
		} else {
			err = s.exportTo(w, p)
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			s.app.showErr(err)
			return
		}
		s.status.SetText(upT("upskilling.export.done", map[string]any{"Path": w.URI().Path()}))
	}, s.app.win)
	d.SetFileName("upskilling-plan." + format)
	d.SetFilter(storage.NewExtensionFileFilter([]string{"." + format}))
	d.Show()
}

// exportTo writes the plan as CSV (see matcher.UpskillPlan.WriteCSV).
func (s *upskillingScreen) exportTo(w io.Writer, p *matcher.UpskillPlan) error {
	return p.WriteCSV(w)
}

// exportPDF writes the plan as a PDF for the manager: the team and role,
// the summary, each chosen micro-credential with the gaps it closes, and
// what stays open and why — the same text as the plan view.
func (s *upskillingScreen) exportPDF(w io.Writer, p *matcher.UpskillPlan) error {
	d := newPDF()
	title := upT("upskilling.plan.title")
	d.text(title, 18, true, 0)
	if team, job, ok := s.selected(); ok {
		d.text(team.Name+" · "+job.Title, 11, false, 0)
	}
	d.space(6)
	method := upT("upskilling.plan.approx")
	if p.Exact {
		method = upT("upskilling.plan.exact")
	}
	d.text(upT("upskilling.plan.summary", map[string]any{
		"Items": len(p.Steps), "Cost": upMoney(p.Cost, p.Currency), "Hours": upNum(p.Hours),
		"Closed": p.Closed, "Gaps": p.Gaps, "Method": method,
	}), 10, false, 0)
	if len(p.Steps) > 0 {
		d.space(8)
		d.text(upT("upskilling.plan.steps"), 13, true, 0)
		for _, st := range p.Steps {
			var closes []string
			for _, c := range st.Closes {
				t := c.Label
				if c.Relation != matcher.RelExact {
					t += " (" + upT("upskilling.plan.via", map[string]any{"Competency": c.Via}) + ")"
				}
				closes = append(closes, t)
			}
			d.space(4)
			d.text(s.name(st.Person)+" — "+st.Item.Title, 10, true, 0)
			line := fmt.Sprintf("%s · %s · %s h · %s", st.Item.Provider, upFormatName(st.Item.Format), upNum(st.Item.Hours), upMoney(st.Item.Cost, st.Item.Currency))
			if st.Item.StackableInto != "" {
				line += " · " + upT("upskilling.plan.stacks", map[string]any{"Into": st.Item.StackableInto})
			}
			d.text(line, 9, false, 12)
			d.text(upT("upskilling.plan.closes", map[string]any{"Gaps": strings.Join(closes, "; ")}), 9, false, 12)
		}
	}
	if len(p.Open) > 0 {
		d.space(8)
		d.text(upT("upskilling.plan.open"), 13, true, 0)
		for _, o := range p.Open {
			kind := upT("upskilling.asset")
			if o.Must {
				kind = upT("upskilling.must")
			}
			d.space(4)
			d.text(fmt.Sprintf("%s — %s (%s)", s.name(o.Person), o.Label, kind), 10, true, 0)
			d.text(upT(upReasons[o.Reason])+": "+o.Note, 9, false, 12)
		}
	}
	return d.write(w, title)
}

// wait blocks until background work has finished (tests).
func (s *upskillingScreen) wait() {
	s.analysing.wait()
	s.planning.wait()
}

func upNum(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

func upMoney(v float64, currency string) string {
	if currency == "" {
		return upNum(v)
	}
	return upNum(v) + " " + currency
}

func upFormatName(format string) string {
	for _, f := range upFormats {
		if f.format == format {
			return upT(f.key)
		}
	}
	return format
}

// selectDemo chooses the first team and the role that best matches its
// name (the job whose title shares the team name's first word stem, such
// as "Electrical crew" and "Residential Electrician"), for the screenshots
// of a new user's first look.
func (s *upskillingScreen) selectDemo() {
	if len(s.teams) == 0 || len(s.jobs) == 0 {
		return
	}
	s.team.SetSelectedIndex(0)
	role := 0
	if w := strings.Fields(strings.ToLower(s.teams[0].Name)); len(w) > 0 {
		stem := w[0][:min(len(w[0]), 6)]
		for i, j := range s.jobs {
			if strings.Contains(strings.ToLower(j.Title), stem) {
				role = i
				break
			}
		}
	}
	s.role.SetSelectedIndex(role)
}
