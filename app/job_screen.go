package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
)

// extractDelay is the pause in typing after which the posting is analysed;
// saveDelay the pause after which the job is saved.
const (
	extractDelay = 300 * time.Millisecond
	saveDelay    = 600 * time.Millisecond
)

// maxPostingBytes is the largest posting file the Job screen loads. A
// Word document with a logo or a photo is much larger than its text,
// which data.ReadPosting limits separately.
const maxPostingBytes = 16 << 20

// confidenceAdded marks a requirement the recruiter added from the
// taxonomy: it comes from no words of the posting.
const confidenceAdded matcher.Confidence = "added"

// levels are the minimum levels offered, lowest first.
var levels = []matcher.Level{matcher.LevelNone, matcher.LevelBasic, matcher.LevelIntermediate, matcher.LevelAdvanced, matcher.LevelExpert}

// jobScreen is the Job tab: the posting, highlighted, and the requirements
// found in it, which the recruiter reviews and edits.
type jobScreen struct {
	app   *App
	state *jobState
	rows  []reqRow
	// selected is the competency ID of the requirement open in the editor.
	selected string
	// onChange is called (on the UI goroutine) when the requirements of
	// the job change.
	onChange func()
	// loadingJob is set while a stored job is put in the widgets;
	// loadedID is the job the widgets show (0: none yet). Nothing is
	// saved until a job is loaded, so that the empty screen never
	// overwrites a stored job.
	loadingJob bool
	loadedID   int64

	posting   *widget.Entry
	highlight *widget.RichText
	summary   *widget.Label
	list      *widget.List
	emptyList *widget.Label
	listArea  *fyne.Container
	editor    *reqEditor
	jobPick   *widget.Select
	title     *widget.Entry
	saveState *widget.Label
	root      fyne.CanvasObject

	extracting latest
	// savers debounce the saving of each job separately, so that
	// switching jobs never cancels the pending save of the one left.
	savers map[int64]*latest
}

func newJobScreen(a *App) *jobScreen {
	s := &jobScreen{app: a, state: newJobState()}

	s.posting = widget.NewMultiLineEntry()
	s.posting.Wrapping = fyne.TextWrapWord
	s.posting.SetPlaceHolder(T("job.posting.placeholder"))
	s.posting.OnChanged = s.extract

	s.highlight = widget.NewRichText()
	s.highlight.Wrapping = fyne.TextWrapWord
	s.summary = widget.NewLabel("")
	s.summary.Truncation = fyne.TextTruncateEllipsis

	s.list = widget.NewList(
		func() int { return len(s.rows) },
		s.newRow,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.rows) {
				s.updateRow(s.rows[i], o)
			}
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.rows) {
			s.selected = s.rows[i].req.CompetencyID
			s.editor.show(s.rows[i])
		}
	}
	s.emptyList = widget.NewLabel(T("job.requirements.empty"))
	s.emptyList.Wrapping = fyne.TextWrapWord
	s.listArea = container.NewStack(s.emptyList)
	s.editor = newReqEditor(s)

	load := widget.NewButtonWithIcon(T("job.load"), theme.FolderOpenIcon(), s.loadFile)
	add := widget.NewButtonWithIcon(T("job.add"), theme.ContentAddIcon(), s.showAddDialog)
	tools := container.NewHBox(load, add)
	s.saveState = widget.NewLabel("")
	s.saveState.Importance = widget.LowImportance
	var jobBar fyne.CanvasObject
	if a.store != nil {
		titles := make([]string, len(a.jobs))
		for i, j := range a.jobs {
			titles[i] = j.Title
		}
		s.jobPick = widget.NewSelect(titles, func(string) {
			if i := s.jobPick.SelectedIndex(); i >= 0 && i < len(a.jobs) && a.jobs[i].ID != a.jobID {
				a.jobID = a.jobs[i].ID
				s.loadCurrent()
			}
		})
		s.jobPick.PlaceHolder = T("job.pick")
		s.title = widget.NewEntry()
		s.title.SetPlaceHolder(T("job.title.placeholder"))
		s.title.OnChanged = func(string) { s.save() }
		newJob := widget.NewButtonWithIcon(T("job.new"), theme.ContentAddIcon(), s.newJob)
		pickWidth := canvas.NewRectangle(color.Transparent)
		pickWidth.SetMinSize(fyne.NewSize(300, 1))
		jobBar = container.NewBorder(nil, nil,
			container.NewHBox(widget.NewLabel(T("job.label")), container.NewStack(pickWidth, s.jobPick), newJob, widget.NewLabel(T("job.title"))),
			s.saveState, s.title)
	}
	if a.tax != nil && len(a.tax.Occupations()) > 0 {
		tools.Add(widget.NewButtonWithIcon(T("job.template"), theme.DocumentIcon(), s.showTemplateDialog))
	}

	postingBox := container.NewBorder(
		widget.NewRichText(&widget.TextSegment{Text: T("job.posting"), Style: widget.RichTextStyleSubHeading}),
		nil, nil, nil, s.posting)
	highlightBox := container.NewBorder(
		container.NewVBox(
			widget.NewRichText(&widget.TextSegment{Text: T("job.highlighted"), Style: widget.RichTextStyleSubHeading}),
			legend()),
		nil, nil, nil, container.NewVScroll(s.highlight))
	left := container.NewVSplit(postingBox, highlightBox)
	left.SetOffset(0.42)

	reqHeader := container.NewVBox(
		container.NewBorder(nil, nil,
			widget.NewRichText(&widget.TextSegment{Text: T("job.requirements"), Style: widget.RichTextStyleSubHeading}),
			nil),
		s.summary)
	right := container.NewBorder(reqHeader, s.editor.root, nil, nil, s.listArea)

	body := container.NewHSplit(left, right)
	body.SetOffset(0.55)
	top := fyne.CanvasObject(tools)
	if jobBar != nil {
		top = container.NewVBox(jobBar, tools)
	}
	s.root = container.NewBorder(top, nil, nil, nil, body)
	s.refresh()
	return s
}

func (s *jobScreen) content() fyne.CanvasObject { return s.root }

// legend explains the highlight colours.
func legend() fyne.CanvasObject {
	item := func(key string, c hlClass) fyne.CanvasObject {
		st := hlStyle(c)
		t := canvas.NewText("■ "+T(key), theme.Color(st.ColorName))
		t.TextStyle = st.TextStyle
		return t
	}
	return container.NewHBox(item("job.legend.must", hlMust), item("job.legend.asset", hlAsset), item("job.legend.suggested", hlSuggested))
}

// hlStyle is how a class of highlighted text is drawn: must-haves bold in
// the primary colour, assets bold in the success colour, suggestions
// italic in the warning colour.
func hlStyle(c hlClass) widget.RichTextStyle {
	st := widget.RichTextStyleInline
	switch c {
	case hlMust:
		st.ColorName = theme.ColorNamePrimary
		st.TextStyle = fyne.TextStyle{Bold: true}
	case hlAsset:
		st.ColorName = theme.ColorNameSuccess
		st.TextStyle = fyne.TextStyle{Bold: true}
	case hlSuggested:
		st.ColorName = theme.ColorNameWarning
		st.TextStyle = fyne.TextStyle{Italic: true}
	}
	return st
}

// extract analyses the posting off the UI goroutine once typing pauses.
func (s *jobScreen) extract(text string) {
	tax := s.app.tax
	if tax == nil {
		return
	}
	s.extracting.run(extractDelay, func(ctx context.Context) func() {
		ex := matcher.For(tax).Extract(text)
		if ctx.Err() != nil {
			return nil
		}
		return func() {
			s.state.setExtraction(text, ex)
			s.refresh()
		}
	})
}

// SetPosting replaces the posting text and analyses it.
func (s *jobScreen) SetPosting(text string) { s.posting.SetText(text) }

// refresh redraws the highlighted text, the summary and the list from the
// state.
func (s *jobScreen) refresh() {
	s.rows = s.state.rows()
	s.highlight.Segments = highlightSegments(s.state.text, s.state.highlights())
	if len(s.highlight.Segments) == 0 {
		s.highlight.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: T("job.highlighted.empty"), Style: italic}}
	}
	s.highlight.Refresh()

	var must, asset, pending, rejected int
	for _, r := range s.rows {
		switch {
		case r.status == statusRejected:
			rejected++
		case r.status == statusPending:
			pending++
		case r.req.Must:
			must++
		default:
			asset++
		}
	}
	if len(s.rows) == 0 {
		s.summary.SetText("")
		s.listArea.Objects = []fyne.CanvasObject{s.emptyList}
	} else {
		lang := languageName(s.state.lang)
		s.summary.SetText(T("job.summary", map[string]any{
			"Must": must, "Asset": asset, "Pending": pending, "Rejected": rejected, "Language": lang,
		}))
		s.listArea.Objects = []fyne.CanvasObject{s.list}
	}
	s.listArea.Refresh()
	s.list.Refresh()
	s.reselect()
	s.save()
	if s.onChange != nil {
		s.onChange()
	}
}

// loadCurrent shows the app's current job: its title, its posting (which
// is extracted again) and its requirements as saved.
func (s *jobScreen) loadCurrent() {
	j := s.app.currentJob()
	if j == nil || s.jobPick == nil {
		return
	}
	for i, x := range s.app.jobs {
		if x.ID == j.ID {
			s.jobPick.SetSelectedIndex(i)
		}
	}
	s.state.loadSaved(j.Text, j.Language, j.Requirements)
	s.loadedID = j.ID
	s.loadingJob = true
	s.title.SetText(j.Title)
	same := s.posting.Text == j.Text
	s.posting.SetText(j.Text)
	s.loadingJob = false
	if same && j.Text != "" {
		// The entry does not report an unchanged text (the job is loaded
		// again, e.g. after its requirements were mapped to another
		// taxonomy): extract it, so that the saved requirements are
		// reconciled.
		s.extract(j.Text)
	}
	s.selected = ""
	s.refresh()
}

// save writes the job to the workspace once the edits pause, off the UI
// goroutine. Nothing is written while a stored job is being loaded and
// reconciled.
func (s *jobScreen) save() {
	j := s.app.currentJob()
	st := s.app.store
	if j == nil && st != nil && s.title != nil && !s.loadingJob &&
		(strings.TrimSpace(s.posting.Text) != "" || strings.TrimSpace(s.title.Text) != "") {
		// The first thing typed in a workspace without jobs starts one,
		// so that nothing typed is lost.
		j = s.startJob()
	}
	if j == nil || st == nil || s.loadingJob || s.loadedID != j.ID || s.state.saved != nil || s.title == nil {
		return
	}
	next := *j
	next.Title = strings.TrimSpace(s.title.Text)
	if next.Title == "" {
		next.Title = T("job.untitled")
	}
	next.Text = s.posting.Text
	if s.state.text == s.posting.Text && s.state.lang != "" {
		next.Language = s.state.lang
	}
	next.Requirements = s.state.Requirements()
	if next.Title == j.Title && next.Text == j.Text && sameRequirements(next.Requirements, j.Requirements) {
		return
	}
	if s.savers == nil {
		s.savers = map[int64]*latest{}
	}
	saver := s.savers[j.ID]
	if saver == nil {
		saver = &latest{}
		s.savers[j.ID] = saver
	}
	saver.run(saveDelay, func(ctx context.Context) func() {
		err := st.SaveJob(&next)
		return func() {
			if err != nil {
				s.saveState.SetText(T("job.save.failed", map[string]any{"Error": err.Error()}))
				return
			}
			*j = next
			if s.jobPick != nil {
				for i, x := range s.app.jobs {
					if x.ID == j.ID {
						s.jobPick.Options[i] = j.Title
					}
				}
				s.jobPick.Refresh()
			}
			s.saveState.SetText(T("job.saved", map[string]any{"Time": j.UpdatedAt.Local().Format("15:04:05")}))
		}
	})
}

// sameRequirements reports whether two lists ask for the same
// competencies in the same way, in any order (the screen lists must-haves
// first; the order carries no meaning for ranking).
func sameRequirements(a, b []matcher.Requirement) bool {
	if len(a) != len(b) {
		return false
	}
	byID := make(map[string]matcher.Requirement, len(b))
	for _, r := range b {
		byID[r.CompetencyID] = r
	}
	for _, x := range a {
		y, ok := byID[x.CompetencyID]
		if !ok || x.Must != y.Must || x.Weight != y.Weight || x.MinLevel != y.MinLevel || x.MinYears != y.MinYears {
			return false
		}
	}
	return true
}

// pendingSaves returns the savers of the jobs, for a goroutine other than
// the UI's to wait until their pending saves are written (the UI
// goroutine must not wait: a save ends with an update on it). s may be nil.
func (s *jobScreen) pendingSaves() []*latest {
	if s == nil {
		return nil
	}
	out := make([]*latest, 0, len(s.savers))
	for _, l := range s.savers {
		out = append(out, l)
	}
	return out
}

// waitSaved waits until every pending save is written (tests, and the
// screenshots, use it).
func (s *jobScreen) waitSaved() {
	for _, l := range s.savers {
		l.wait()
	}
}

// startJob stores a new, untitled job for what the screen shows and makes
// it the current one without reloading the screen.
func (s *jobScreen) startJob() *data.Job {
	j := &data.Job{Title: T("job.untitled"), Status: data.JobDraft, Requirements: []matcher.Requirement{}}
	if err := s.app.store.SaveJob(j); err != nil {
		s.saveState.SetText(T("job.save.failed", map[string]any{"Error": err.Error()}))
		return nil
	}
	s.app.jobs = append(s.app.jobs, j)
	s.app.jobID, s.loadedID = j.ID, j.ID
	s.jobPick.Options = append(s.jobPick.Options, j.Title)
	s.jobPick.SetSelectedIndex(len(s.jobPick.Options) - 1)
	return j
}

// newJob adds an empty job to the workspace and opens it.
func (s *jobScreen) newJob() {
	j := &data.Job{Title: T("job.untitled"), Status: data.JobDraft, Requirements: []matcher.Requirement{}}
	if err := s.app.store.SaveJob(j); err != nil {
		dialog.ShowError(err, s.app.win)
		return
	}
	s.app.jobs = append(s.app.jobs, j)
	s.app.jobID = j.ID
	s.jobPick.Options = append(s.jobPick.Options, j.Title)
	s.loadCurrent()
}

// reselect keeps the editor on the selected competency after the list
// changed.
func (s *jobScreen) reselect() {
	for i, r := range s.rows {
		if r.req.CompetencyID == s.selected {
			s.list.Select(i)
			s.editor.show(r)
			return
		}
	}
	s.selected = ""
	s.list.UnselectAll()
	s.editor.clear()
}

// highlightSegments turns the stretches of the posting into rich text, one
// paragraph per line of the posting.
func highlightSegments(text string, hs []highlight) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	for _, h := range hs {
		part := text[h.start:h.end]
		for i, line := range strings.Split(part, "\n") {
			if i > 0 {
				// end the paragraph; a blank line keeps its height
				segs = append(segs, &widget.TextSegment{Style: widget.RichTextStyleParagraph})
			}
			if line != "" {
				segs = append(segs, &widget.TextSegment{Text: line, Style: hlStyle(h.class)})
			}
		}
	}
	return segs
}

// The requirement list rows.

type rowWidgets struct {
	chip    *widget.RichText
	label   *widget.Label
	accept  *widget.Button
	reject  *widget.Button
	restore *widget.Button
}

func (s *jobScreen) newRow() fyne.CanvasObject {
	chip := widget.NewRichText(&widget.TextSegment{})
	label := widget.NewLabel("")
	label.Truncation = fyne.TextTruncateEllipsis
	accept := widget.NewButtonWithIcon("", theme.ConfirmIcon(), nil)
	accept.Importance = widget.LowImportance
	reject := widget.NewButtonWithIcon("", theme.CancelIcon(), nil)
	reject.Importance = widget.LowImportance
	restore := widget.NewButtonWithIcon("", theme.ContentUndoIcon(), nil)
	restore.Importance = widget.LowImportance
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(chipWidth, 1))
	row := container.NewBorder(nil, nil, container.NewStack(width, chip), container.NewHBox(accept, reject, restore), label)
	return row
}

func rowParts(o fyne.CanvasObject) rowWidgets {
	row := o.(*fyne.Container)
	var w rowWidgets
	for _, ob := range row.Objects {
		switch ob := ob.(type) {
		case *widget.Label:
			w.label = ob
		case *fyne.Container:
			if len(ob.Objects) == 3 {
				w.accept = ob.Objects[0].(*widget.Button)
				w.reject = ob.Objects[1].(*widget.Button)
				w.restore = ob.Objects[2].(*widget.Button)
			} else if len(ob.Objects) == 2 {
				w.chip = ob.Objects[1].(*widget.RichText)
			}
		}
	}
	return w
}

// chipWidth is the width of the status column of the requirement list.
const chipWidth = 132

// chipOf names and colours a row's status.
func chipOf(r reqRow) (string, fyne.ThemeColorName) {
	switch {
	case r.status == statusRejected:
		return T("job.chip.rejected"), theme.ColorNameDisabled
	case r.status == statusPending:
		return T("job.chip.suggested"), theme.ColorNameWarning
	case r.req.Must:
		return T("job.chip.must"), theme.ColorNamePrimary
	}
	return T("job.chip.asset"), theme.ColorNameSuccess
}

// rowText describes a requirement on one line.
func rowText(r reqRow) string {
	parts := []string{r.req.Label}
	if r.req.MinLevel != matcher.LevelNone {
		parts = append(parts, T("level."+string(r.req.MinLevel)))
	}
	if r.req.MinYears > 0 {
		parts = append(parts, TN("job.years", int(r.req.MinYears), map[string]any{"Years": formatYears(r.req.MinYears)}))
	}
	parts = append(parts, T("job.weight", map[string]any{"Weight": fmt.Sprintf("%.2g", r.req.Weight)}))
	switch r.status {
	case statusAdded:
		parts = append(parts, T("job.source.added"))
	case statusTemplate:
		parts = append(parts, T("job.source.template"))
	case statusAccepted:
		parts = append(parts, T("job.source.accepted"))
	}
	return strings.Join(parts, " · ")
}

func formatYears(y float64) string { return strconv.FormatFloat(y, 'f', -1, 64) }

func (s *jobScreen) updateRow(r reqRow, o fyne.CanvasObject) {
	w := rowParts(o)
	text, col := chipOf(r)
	seg := w.chip.Segments[0].(*widget.TextSegment)
	seg.Text = text
	seg.Style = widget.RichTextStyle{ColorName: col, TextStyle: fyne.TextStyle{Bold: true}}
	w.chip.Refresh()
	text = rowText(r)
	switch {
	case r.status == statusRejected:
		w.label.Importance = widget.LowImportance
	case !s.inTaxonomy(r.req.CompetencyID):
		// Saved before a switch of taxonomy and not found in the new one.
		text += " · " + T("evidence.job.unmapped.short")
		w.label.Importance = widget.WarningImportance
	default:
		w.label.Importance = widget.MediumImportance
	}
	w.label.SetText(text)
	w.label.Refresh()
	id := r.req.CompetencyID
	show := func(b *widget.Button, visible bool, tap func()) {
		b.OnTapped = tap
		if visible {
			b.Show()
		} else {
			b.Hide()
		}
	}
	show(w.accept, r.status == statusPending, func() { s.state.accept(id); s.refresh() })
	show(w.reject, r.status != statusRejected, func() { s.state.remove(id); s.refresh() })
	show(w.restore, r.status == statusRejected, func() { s.state.restore(id); s.refresh() })
	o.(*fyne.Container).Refresh() // lay the row out again for the visible buttons
}

// inTaxonomy reports whether the competency id is in the active taxonomy
// (true when there is none to check against). A requirement saved before a
// switch of taxonomy that data.Store.MapJobsToActive could not map is not:
// ranking counts it as unmet.
func (s *jobScreen) inTaxonomy(id string) bool {
	if s.app.tax == nil {
		return true
	}
	_, ok := s.app.tax.Get(id)
	return ok
}

// loadFile reads a posting from a document the user picks: plain text,
// Markdown, HTML, RTF, Word or OpenDocument (see data.ReadPosting).
func (s *jobScreen) loadFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.app.win)
			return
		}
		if r == nil {
			return
		}
		defer r.Close()
		text, err := readPosting(r, r.URI().Path())
		if err != nil {
			dialog.ShowError(err, s.app.win)
			return
		}
		s.SetPosting(text)
	}, s.app.win)
	d.SetFilter(storage.NewExtensionFileFilter(data.PostingExtensions))
	d.Show()
}

// readPosting reads a posting document (see data.ReadPosting), refusing
// files larger than maxPostingBytes. Every error starts with the file
// name and says what to do.
func readPosting(r io.Reader, name string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPostingBytes+1))
	if err != nil {
		return "", fmt.Errorf("%s: reading the posting: %w", name, err)
	}
	if len(b) > maxPostingBytes {
		return "", fmt.Errorf("%s: the file is larger than %d MB; paste the posting's text instead: %w", name, maxPostingBytes>>20, data.ErrPostingTooLarge)
	}
	return data.ReadPosting(bytes.NewReader(b), name)
}

// documentOnly are the extensions of documents no credential comes in:
// dropped on the Job screen they are postings, and when one cannot be read
// the recruiter is told why (a PDF: save it as .docx or paste its text)
// instead of being told it is not a credential.
var documentOnly = []string{".pdf", ".doc", ".docx", ".odt", ".rtf"}

// droppedPosting reads the file dropped on the Job screen as a posting
// when it is one: a file with a posting extension that is not a
// credential and that data.ReadPosting reads, or any document in
// documentOnly (err then says why it could not be read). ok is false for
// everything else (badges, bundles, rosters, folders, and text files
// ReadPosting refuses), which goes to the applicant import as before.
func droppedPosting(path string) (text string, ok bool, err error) {
	ext := strings.ToLower(filepath.Ext(path))
	if slices.Contains(documentOnly, ext) {
		f, err := os.Open(path)
		if err != nil {
			return "", true, err
		}
		defer f.Close()
		text, err := readPosting(f, filepath.Base(path))
		return text, true, err
	}
	if !slices.Contains(data.PostingExtensions, ext) {
		return "", false, nil
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxPostingBytes {
		return "", false, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", false, nil
	}
	// A credential saved as .txt (a JWT) or .html is imported.
	if _, err := credential.Parse(b); err == nil || !errors.Is(err, credential.ErrNotCredential) && !errors.Is(err, credential.ErrTooLarge) {
		return "", false, nil
	}
	text, err = data.ReadPosting(bytes.NewReader(b), path)
	if err != nil {
		return "", false, nil
	}
	return text, true, nil
}
