package app

import (
	"context"
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
)

// rankDelay is the pause after a change of the job before re-ranking.
const rankDelay = 200 * time.Millisecond

var rankColWidths = [numRankCols]float32{52, 160, 124, 96, 100, 72, 138}

// rankingScreen is the Ranking tab: the applicants sorted by fit, the
// explanation of the selected one, and a heatmap of applicants ×
// requirements.
type rankingScreen struct {
	app      *App
	st       *rankingState
	reqs     []matcher.Requirement // the requirements last ranked against
	selected string                // applicant whose explanation is open
	stages   map[string]string     // applicant → pipeline stage for the job

	status   *widget.Label
	blind    *widget.Check
	table    *widget.Table
	heat     *widget.Table
	explain  *widget.RichText
	reveal   *widget.Button
	stage    *widget.Select
	note     *widget.Entry
	pipeline *fyne.Container
	stageKey []string
	empty    *widget.Label
	views    *container.AppTabs
	body     *fyne.Container
	loading  fyne.CanvasObject
	content_ fyne.CanvasObject
	root     fyne.CanvasObject

	ranking      latest
	loadingStage bool
}

func newRankingScreen(a *App) *rankingScreen {
	s := &rankingScreen{app: a, st: a.rankState}
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis
	s.blind = widget.NewCheck(T("ranking.blind"), func(on bool) {
		if on == s.st.blind {
			return
		}
		s.st.setBlind(on)
		s.refresh()
	})
	s.blind.Checked = s.st.blind

	s.table = widget.NewTable(
		func() (int, int) { return len(s.st.order), numRankCols },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			bar := widget.NewProgressBar()
			return container.NewStack(l, bar)
		},
		s.updateCell)
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 {
			return
		}
		col := id.Col
		text := T(rankColKeys[col])
		if col == s.st.sortCol {
			if s.st.sortDesc {
				text += " ▼"
			} else {
				text += " ▲"
			}
		}
		b.SetText(text)
		b.OnTapped = func() {
			s.st.sortBy(col)
			s.refresh()
		}
	}
	for i, w := range rankColWidths {
		s.table.SetColumnWidth(i, w)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.st.order) {
			s.open(s.st.row(id.Row).Applicant)
		}
	}

	s.heat = newHeatmap(
		func() (int, int) { return len(s.st.order), len(s.reqs) },
		s.updateHeat)
	s.heat.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		switch {
		case id.Row < 0 && id.Col >= 0 && id.Col < len(s.reqs):
			l.SetText(s.reqs[id.Col].Label)
		case id.Col < 0 && id.Row >= 0 && id.Row < len(s.st.order):
			f := s.st.row(id.Row)
			l.SetText(fmt.Sprintf("%d. %s", f.Rank, s.st.name(s.st.order[id.Row])))
		default:
			l.SetText("")
		}
	}
	s.heat.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.st.order) {
			s.open(s.st.row(id.Row).Applicant)
		}
	}

	s.explain = widget.NewRichText()
	s.explain.Wrapping = fyne.TextWrapWord
	s.reveal = widget.NewButtonWithIcon(T("ranking.reveal"), theme.VisibilityIcon(), s.revealSelected)
	s.stage = widget.NewSelect(nil, s.setStage)
	s.stage.PlaceHolder = T("ranking.stage.pick")
	s.note = widget.NewEntry()
	s.note.SetPlaceHolder(T("ranking.note.placeholder"))
	s.note.OnSubmitted = func(string) { s.addNote() }

	s.pipeline = container.NewBorder(nil, nil, widget.NewLabel(T("ranking.stage")), nil, s.stage)
	noteBox := container.NewBorder(nil, nil, nil, widget.NewButton(T("ranking.note.add"), s.addNote), s.note)
	shortlist := container.NewHSplit(s.table, container.NewBorder(container.NewVBox(s.reveal, s.pipeline, noteBox), nil, nil, nil, container.NewVScroll(s.explain)))
	shortlist.SetOffset(0.6)
	heatLegend := container.NewHBox(
		heatKey(T("ranking.heat.met"), matcher.OutcomeMet),
		heatKey(T("ranking.heat.partly"), matcher.OutcomePartly),
		heatKey(T("ranking.heat.missing"), matcher.OutcomeMissing))
	s.views = container.NewAppTabs(
		container.NewTabItem(T("ranking.view.shortlist"), shortlist),
		container.NewTabItem(T("ranking.view.heatmap"), container.NewBorder(heatLegend, nil, nil, nil, s.heat)),
	)
	s.empty = widget.NewLabel("")
	s.empty.Wrapping = fyne.TextWrapWord
	s.content_ = s.views
	s.loading = a.progressView()
	s.body = container.NewStack()
	s.root = container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(s.exportMenu(), s.blind), s.status), nil, nil, nil, s.body)
	s.refresh()
	return s
}

var rankColKeys = [numRankCols]string{"ranking.col.rank", "ranking.col.name", "ranking.col.fit", "ranking.col.must", "ranking.col.stage", "ranking.col.verified", "ranking.col.knockout"}

func (s *rankingScreen) content() fyne.CanvasObject { return s.root }

// rank ranks the pool against the job's current requirements, off the UI
// goroutine, once the job has stopped changing for a moment.
func (s *rankingScreen) rank() {
	p := s.app.pool
	reqs := s.app.job.state.Requirements()
	ids, stages := s.app.jobPool()
	s.stages = stages
	s.orderStages()
	if p == nil || len(reqs) == 0 || s.app.tax == nil {
		s.ranking.stop()
		s.reqs = reqs
		s.st.setFits(nil)
		s.refresh()
		return
	}
	tax, policy, now := s.app.tax, s.app.policy, p.now
	apps := p.matcherApplicants(ids)
	s.ranking.run(rankDelay, func(ctx context.Context) func() {
		fits, err := matcher.RankContext(ctx, matcher.NewScorer(tax, reqs, policy, now), apps, nil)
		if err != nil {
			return nil
		}
		return func() {
			s.reqs = reqs
			s.st.setFits(fits)
			s.refresh()
		}
	})
}

// refresh redraws the screen from the state.
func (s *rankingScreen) refresh() {
	p := s.app.pool
	var body fyne.CanvasObject
	switch {
	case s.app.wsErr != nil:
		s.empty.SetText(T("workspace.error", map[string]any{"Error": s.app.wsErr.Error()}))
		body = container.NewPadded(s.empty)
	case p == nil && s.app.poolErr != nil:
		s.empty.SetText(T("pool.error", map[string]any{"Error": s.app.poolErr.Error()}))
		body = container.NewPadded(s.empty)
	case p == nil && (s.app.poolLoading || s.app.wsLoading):
		body = s.loading
	case p == nil || len(p.applicants) == 0:
		s.empty.SetText(T("ranking.empty.applicants"))
		body = container.NewPadded(s.empty)
	case len(s.app.job.state.Requirements()) == 0:
		s.empty.SetText(T("ranking.empty.job"))
		body = container.NewPadded(s.empty)
	default:
		body = s.content_
	}
	if len(s.body.Objects) != 1 || s.body.Objects[0] != body {
		s.body.Objects = []fyne.CanvasObject{body}
		s.body.Refresh()
	}
	if len(s.st.fits) > 0 {
		knocked := 0
		for _, f := range s.st.fits {
			if f.KnockedOut {
				knocked++
			}
		}
		s.status.SetText(T("ranking.status", map[string]any{
			"Applicants": len(s.st.fits), "Requirements": len(s.reqs), "KnockedOut": knocked,
			"Date": p.now.Format("2006-01-02"),
		}))
	} else {
		s.status.SetText("")
	}
	for c := 0; c < len(s.reqs); c++ {
		s.heat.SetColumnWidth(c, 120)
	}
	s.heat.SetColumnWidth(-1, 220)
	s.table.Refresh()
	s.heat.Refresh()
	s.showExplanation()
}

func (s *rankingScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	st := o.(*fyne.Container)
	l := st.Objects[0].(*widget.Label)
	bar := st.Objects[1].(*widget.ProgressBar)
	if id.Row >= len(s.st.order) {
		return
	}
	f := s.st.row(id.Row)
	l.Show()
	bar.Hide()
	l.Importance = widget.MediumImportance
	switch id.Col {
	case colRank:
		l.SetText(fmt.Sprint(f.Rank))
	case colName:
		l.SetText(s.st.name(s.st.order[id.Row]))
	case colFit:
		l.Hide()
		bar.Show()
		score := f.Score
		bar.TextFormatter = func() string { return fmt.Sprintf("%.1f", score) }
		bar.SetValue(score / 100)
	case colMust:
		l.SetText(fmt.Sprintf("%d / %d", f.MustMet, f.MustTotal))
	case colVerified:
		l.SetText(fmt.Sprint(f.Verified))
	case colStage:
		l.SetText(s.stageLabel(s.stages[f.Applicant]))
	case colKnockOut:
		if f.KnockedOut {
			l.Importance = widget.DangerImportance
			l.SetText("✗ " + T("ranking.knockedout"))
		} else {
			l.SetText("")
		}
	}
	l.Refresh()
}

// heatColor is the cell colour of an outcome.
func heatColor(o matcher.Outcome) color.Color {
	var c color.Color
	switch o {
	case matcher.OutcomeMet:
		c = theme.Color(theme.ColorNameSuccess)
	case matcher.OutcomePartly:
		c = theme.Color(theme.ColorNameWarning)
	default:
		c = theme.Color(theme.ColorNameError)
	}
	r, g, b, _ := c.RGBA()
	alpha := uint8(0x60)
	if o == matcher.OutcomeMet {
		alpha = 0xb0
	}
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: alpha}
}

func heatMark(o matcher.Outcome) string {
	switch o {
	case matcher.OutcomeMet:
		return "✓"
	case matcher.OutcomePartly:
		return "½"
	}
	return "✗"
}

func heatKey(text string, o matcher.Outcome) fyne.CanvasObject {
	r := canvas.NewRectangle(heatColor(o))
	r.SetMinSize(fyne.NewSize(18, 18))
	return container.NewHBox(container.NewCenter(r), widget.NewLabel(heatMark(o)+" "+text))
}

func (s *rankingScreen) updateHeat(id widget.TableCellID, o fyne.CanvasObject) {
	st := o.(*fyne.Container)
	bg := st.Objects[0].(*canvas.Rectangle)
	l := st.Objects[1].(*widget.Label)
	if id.Row >= len(s.st.order) || id.Col >= len(s.reqs) {
		return
	}
	f := s.st.row(id.Row)
	if id.Col >= len(f.Requirements) {
		return
	}
	rf := f.Requirements[id.Col]
	bg.FillColor = heatColor(rf.Outcome)
	bg.Refresh()
	text := heatMark(rf.Outcome)
	if rf.Outcome == matcher.OutcomePartly {
		text = fmt.Sprintf("%.0f%%", 100*rf.Fit)
	}
	l.SetText(text)
}

// open shows the explanation of an applicant.
func (s *rankingScreen) open(id string) {
	s.selected = id
	s.showExplanation()
}

func (s *rankingScreen) showExplanation() {
	var f *matcher.Fit
	for i := range s.st.fits {
		if s.st.fits[i].Applicant == s.selected {
			f = &s.st.fits[i]
		}
	}
	if f == nil {
		s.selected = ""
		s.reveal.Hide()
		s.pipeline.Hide()
		s.explain.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: T("ranking.explain.hint"), Style: widget.RichTextStyleParagraph}}
		s.explain.Refresh()
		return
	}
	if s.st.hidden(f.Applicant) {
		s.reveal.Show()
	} else {
		s.reveal.Hide()
	}
	s.showPipeline(f.Applicant)
	idx := 0
	for i := range s.st.fits {
		if &s.st.fits[i] == f {
			idx = i
		}
	}
	var b richBuilder
	b.text(s.st.name(idx), widget.RichTextStyleHeading)
	b.text(T("ranking.explain.summary", map[string]any{
		"Rank": f.Rank, "Score": fmt.Sprintf("%.1f", f.Score), "MustMet": f.MustMet, "MustTotal": f.MustTotal, "Verified": f.Verified,
	}), widget.RichTextStyleStrong)
	b.end()
	if f.KnockedOut {
		b.text(T("ranking.explain.knockedout"), widget.RichTextStyle{ColorName: theme.ColorNameError, TextStyle: fyne.TextStyle{Bold: true}})
	}
	b.text(s.scrub(f.Explanation()), widget.RichTextStyleParagraph)
	b.text(T("ranking.explain.requirements"), widget.RichTextStyleSubHeading)
	for _, d := range f.Details() {
		kind := T("job.chip.asset")
		if d.Must {
			kind = T("job.chip.must")
		}
		b.text(heatMark(d.Outcome)+" "+d.Label, widget.RichTextStyle{Inline: true, ColorName: outcomeColor(d.Outcome), TextStyle: fyne.TextStyle{Bold: true}})
		b.text(fmt.Sprintf("  %s · %.0f%% · +%.1f", strings.ToLower(kind), 100*d.Fit, d.Points), widget.RichTextStyleInline)
		b.end()
		if note := s.scrub(d.Note); note != "" {
			b.text(note, widget.RichTextStyleParagraph)
		}
	}
	if f.Rank > 1 {
		if tb := f.TieBreak(); tb != "" {
			b.text(T("ranking.explain.tiebreak"), widget.RichTextStyleSubHeading)
			b.text(s.scrub(tb), widget.RichTextStyleParagraph)
		}
	}
	for _, e := range s.st.audit {
		if e.Applicant == f.Applicant {
			b.text(T("ranking.explain.revealed", map[string]any{"Time": e.At.Format("15:04:05")}), italic)
		}
	}
	for _, n := range s.notes(f.Applicant) {
		b.text(T("ranking.note", map[string]any{"Time": n.CreatedAt.Local().Format("2006-01-02 15:04")}), inlineStrong)
		b.text(n.Body, widget.RichTextStyleInline)
		b.end()
	}
	s.explain.Segments = b.segs
	s.explain.Refresh()
}

// scrub replaces, in blind mode, the name of every applicant not revealed
// by their alias: explanations name applicants (the tie-break names the one
// ranked above).
func (s *rankingScreen) scrub(text string) string {
	if !s.st.blind {
		return text
	}
	for i := range s.st.fits {
		f := &s.st.fits[i]
		if f.Name != "" && s.st.hidden(f.Applicant) {
			text = strings.ReplaceAll(text, f.Name, s.st.name(i))
		}
	}
	return text
}

func outcomeColor(o matcher.Outcome) fyne.ThemeColorName {
	switch o {
	case matcher.OutcomeMet:
		return theme.ColorNameSuccess
	case matcher.OutcomePartly:
		return theme.ColorNameWarning
	}
	return theme.ColorNameError
}

// defaultStageLabels are the labels the workspace gives its stages until
// the user renames them.
var defaultStageLabels = map[string]string{
	"new": "New", "screening": "Screening", "shortlisted": "Shortlisted", "interview": "Interview",
	"offer": "Offer", "hired": "Hired", "rejected": "Rejected",
}

// stageDisplay is the label shown for a stage: the user's own name for it
// if they renamed it, else the built-in name in the interface language.
func stageDisplay(st data.Stage) string {
	if def, ok := defaultStageLabels[st.Key]; ok && st.Label == def {
		return T("stage." + st.Key)
	}
	return st.Label
}

// stageLabel is the label of a pipeline stage key.
func (s *rankingScreen) stageLabel(key string) string {
	for i, k := range s.stageKey {
		if k == key {
			return s.stage.Options[i]
		}
	}
	return key
}

// showPipeline shows the stage picker for an applicant of the job's pool.
func (s *rankingScreen) showPipeline(id string) {
	st := s.app.store
	if st == nil || s.app.jobID == 0 {
		s.pipeline.Hide()
		return
	}
	s.orderStages()
	s.loadingStage = true
	s.stage.ClearSelected()
	for i, k := range s.stageKey {
		if k == s.stages[id] {
			s.stage.SetSelectedIndex(i)
		}
	}
	s.loadingStage = false
	s.pipeline.Show()
}

// setStage moves the selected applicant to a stage of the job's pipeline
// (adding them to the job's pool if needed).
func (s *rankingScreen) setStage(string) {
	st := s.app.store
	i := s.stage.SelectedIndex()
	if s.loadingStage || st == nil || s.selected == "" || i < 0 {
		return
	}
	id, err := strconv.ParseInt(s.selected, 10, 64)
	if err != nil {
		return
	}
	if s.stages[s.selected] == "" {
		if err := st.AddToPool(s.app.jobID, id); err != nil {
			s.app.showErr(err)
			return
		}
	}
	if err := st.SetStage(s.app.jobID, id, s.stageKey[i]); err != nil {
		s.app.showErr(err)
		return
	}
	if s.stages == nil {
		s.stages = map[string]string{}
	}
	s.stages[s.selected] = s.stageKey[i]
	s.orderStages()
	s.table.Refresh()
}

// notes returns the notes on an applicant.
func (s *rankingScreen) notes(id string) []data.Note {
	n, err := strconv.ParseInt(id, 10, 64)
	if s.app.store == nil || err != nil {
		return nil
	}
	notes, err := s.app.store.Notes(n)
	if err != nil {
		return nil
	}
	return notes
}

// addNote saves the note typed for the selected applicant.
func (s *rankingScreen) addNote() {
	body := strings.TrimSpace(s.note.Text)
	id, err := strconv.ParseInt(s.selected, 10, 64)
	if s.app.store == nil || body == "" || err != nil {
		return
	}
	if _, err := s.app.store.AddNote(id, s.app.jobID, body); err != nil {
		s.app.showErr(err)
		return
	}
	s.note.SetText("")
	s.showExplanation()
}

// revealSelected shows the selected applicant's name in blind mode and
// records it in the workspace's audit log.
func (s *rankingScreen) revealSelected() {
	id := s.selected
	if !s.st.hidden(id) {
		return
	}
	s.st.reveal(id, time.Now())
	if st := s.app.store; st != nil {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			if err := st.Audit("reveal", s.app.jobID, n, "blind mode: name revealed"); err != nil {
				s.app.showErr(err)
			}
		}
	}
	s.refresh()
}

// orderStages tells the ranking state the position of each applicant's
// stage, for sorting by stage.
func (s *rankingScreen) orderStages() {
	if s.stageKey == nil && s.app.store != nil {
		if stages, err := s.app.store.Stages(); err == nil {
			for _, x := range stages {
				s.stageKey = append(s.stageKey, x.Key)
				s.stage.Options = append(s.stage.Options, stageDisplay(x))
			}
		}
	}
	s.st.stageOrder = map[string]int{}
	for id, key := range s.stages {
		for i, k := range s.stageKey {
			if k == key {
				s.st.stageOrder[id] = i + 1
			}
		}
	}
}
