package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data"
)

// statusFilters are the verification statuses the applicant list filters
// by ("" is every applicant).
var statusFilters = []credential.Status{"", credential.StatusValid, credential.StatusUnverifiable, credential.StatusExpired, credential.StatusRevoked, credential.StatusInvalid}

// applicantsScreen is the Applicants tab: import, a searchable list, and
// an applicant's page with each credential and its verification.
type applicantsScreen struct {
	app      *App
	shown    []*poolApplicant
	selected string

	search  *widget.Entry
	status  *widget.Select
	count   *widget.Label
	list    *widget.List
	page    *fyne.Container
	pageBox *container.Scroll
	body    *fyne.Container
	main    fyne.CanvasObject
	empty   *widget.Label
	root    fyne.CanvasObject

	importing latest

	// reverifyAll verifies everyone's credentials again; reverifyOne,
	// on an applicant's page, that applicant's.
	reverifyAll, reverifyOne *widget.Button
}

func newApplicantsScreen(a *App) *applicantsScreen {
	s := &applicantsScreen{app: a}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(T("applicants.search"))
	s.search.OnChanged = func(string) { s.refresh() }
	names := make([]string, len(statusFilters))
	for i, st := range statusFilters {
		names[i] = statusName(st)
	}
	s.status = widget.NewSelect(names, nil)
	s.status.SetSelectedIndex(0)
	s.status.OnChanged = func(string) { s.refresh() }
	s.count = widget.NewLabel("")
	s.list = widget.NewList(func() int { return len(s.shown) },
		newTruncatedLabel,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.shown) {
				p := s.shown[i]
				o.(*widget.Label).SetText(p.Stored.Name + " · " + TN("applicants.credentials", len(p.Credentials)))
			}
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.shown) {
			s.open(s.shown[i].ID)
		}
	}
	s.page = container.NewVBox()
	s.pageBox = container.NewVScroll(s.page)
	imp := widget.NewButtonWithIcon(T("applicants.import"), theme.FolderOpenIcon(), s.chooseImport)
	s.reverifyAll = widget.NewButtonWithIcon(T("reverify.all"), theme.ViewRefreshIcon(), func() { a.reverify(0) })
	hint := widget.NewLabel(T("applicants.drop"))
	hint.Importance = widget.LowImportance
	hint.Truncation = fyne.TextTruncateEllipsis
	left := container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, imp, nil, hint), s.search, container.NewBorder(nil, nil, nil, container.NewHBox(s.count, s.reverifyAll), s.status)),
		nil, nil, nil, s.list)
	split := container.NewHSplit(left, s.pageBox)
	split.SetOffset(0.34)
	s.main = split
	s.empty = widget.NewLabel("")
	s.empty.Wrapping = fyne.TextWrapWord
	s.body = container.NewStack()
	s.root = s.body
	s.showPageHint()
	s.refresh()
	return s
}

func (s *applicantsScreen) content() fyne.CanvasObject { return s.root }

func statusName(st credential.Status) string {
	if st == "" {
		return T("applicants.status.all")
	}
	return T("status." + string(st))
}

// refresh shows the loading state or the filtered list.
func (s *applicantsScreen) refresh() {
	a := s.app
	var body fyne.CanvasObject
	switch {
	case a.wsErr != nil:
		s.empty.SetText(T("workspace.error", map[string]any{"Error": a.wsErr.Error()}))
		body = container.NewPadded(s.empty)
	case a.poolErr != nil:
		s.empty.SetText(T("pool.error", map[string]any{"Error": a.poolErr.Error()}))
		body = container.NewPadded(s.empty)
	case a.pool == nil:
		body = a.progressView()
	default:
		body = s.main
		st := credential.Status("")
		if i := s.status.SelectedIndex(); i > 0 {
			st = statusFilters[i]
		}
		s.shown = a.pool.filter(s.search.Text, st)
		s.count.SetText(T("applicants.count", map[string]any{"Shown": len(s.shown), "Total": len(a.pool.applicants)}))
		s.list.UnselectAll()
		s.list.Refresh()
		for i, p := range s.shown {
			if p.ID == s.selected {
				s.list.Select(i)
			}
		}
		if len(a.pool.applicants) == 0 {
			s.empty.SetText(T("applicants.empty"))
			s.page.Objects = []fyne.CanvasObject{s.empty}
			s.page.Refresh()
		}
	}
	if len(s.body.Objects) != 1 || s.body.Objects[0] != body {
		s.body.Objects = []fyne.CanvasObject{body}
		s.body.Refresh()
	}
}

func (s *applicantsScreen) showPageHint() {
	l := widget.NewLabel(T("applicants.page.hint"))
	l.Wrapping = fyne.TextWrapWord
	s.page.Objects = []fyne.CanvasObject{l}
	s.page.Refresh()
}

// open shows an applicant's page.
func (s *applicantsScreen) open(id string) {
	p := s.app.pool.applicant(id)
	if p == nil {
		return
	}
	s.selected = id
	var head richBuilder
	head.text(p.Stored.Name, widget.RichTextStyleHeading)
	var contact []string
	for _, c := range []string{p.Stored.Email, p.Stored.Contact} {
		if c != "" {
			contact = append(contact, c)
		}
	}
	if len(contact) > 0 {
		head.text(strings.Join(contact, " · "), widget.RichTextStyleParagraph)
	}
	if p.Stored.Source != "" {
		head.text(T("applicants.source", map[string]any{"Source": p.Stored.Source}), italic)
	}
	title := widget.NewRichText(head.segs...)
	title.Wrapping = fyne.TextWrapWord
	who := p.Stored.ID
	s.reverifyOne = widget.NewButtonWithIcon(T("reverify.one"), theme.ViewRefreshIcon(), func() { s.app.reverify(who) })
	objs := []fyne.CanvasObject{title, container.NewHBox(s.reverifyOne)}
	for _, c := range p.Credentials {
		objs = append(objs, s.credentialCard(c))
	}
	s.page.Objects = objs
	s.page.Refresh()
	s.pageBox.ScrollToTop()
}

// checkMark is the mark of a verification check result.
func checkMark(r credential.Result) (string, fyne.ThemeColorName) {
	switch r {
	case credential.ResultPass:
		return "✓", theme.ColorNameSuccess
	case credential.ResultFail:
		return "✗", theme.ColorNameError
	case credential.ResultWarn:
		return "!", theme.ColorNameWarning
	}
	return "–", theme.ColorNamePlaceHolder
}

func statusColor(st credential.Status) fyne.ThemeColorName {
	switch st {
	case credential.StatusValid:
		return theme.ColorNameSuccess
	case credential.StatusUnverifiable, credential.StatusNotYetValid:
		return theme.ColorNameWarning
	}
	return theme.ColorNameError
}

// credentialCard shows one credential: its image, title, issuer and
// dates, the verification panel (one line per check), its transparency
// profile and the competencies it evidences.
func (s *applicantsScreen) credentialCard(c *data.StoredCredential) fyne.CanvasObject {
	var b richBuilder
	b.text(c.Ref.Name, widget.RichTextStyleSubHeading)
	b.text(T("status."+string(c.Ref.Status)), widget.RichTextStyle{Inline: true, ColorName: statusColor(c.Ref.Status), TextStyle: fyne.TextStyle{Bold: true}})
	issuer := c.Ref.Issuer
	if c.Ref.Trusted {
		issuer += " (" + T("applicants.trusted") + ")"
	}
	b.text("  "+T("applicants.issuer", map[string]any{"Issuer": issuer}), widget.RichTextStyleInline)
	b.end()
	var dates []string
	if !c.Ref.IssuedAt.IsZero() {
		dates = append(dates, T("applicants.issued", map[string]any{"Date": c.Ref.IssuedAt.Format("2006-01-02")}))
	}
	if !c.Ref.ValidUntil.IsZero() {
		dates = append(dates, T("applicants.until", map[string]any{"Date": c.Ref.ValidUntil.Format("2006-01-02")}))
	}
	dates = append(dates, T("applicants.file", map[string]any{"File": filepath.Base(c.FileName), "Format": c.Format}))
	b.text(strings.Join(dates, " · "), italic)

	b.text(T("applicants.verification"), inlineStrong)
	b.end()
	if v := c.Verification; v != nil {
		for _, ch := range v.Checks {
			mark, col := checkMark(ch.Result)
			b.text(mark+" ", widget.RichTextStyle{Inline: true, ColorName: col, TextStyle: fyne.TextStyle{Bold: true}})
			b.text(T("check."+ch.Name)+": ", inlineStrong)
			b.text(ch.Detail, widget.RichTextStyleInline)
			b.end()
		}
	} else {
		b.text(T("applicants.notverified"), italic)
	}

	if len(c.Evidence) > 0 {
		b.text(T("applicants.evidence"), inlineStrong)
		b.end()
		var labels []string
		seen := map[string]bool{}
		for _, e := range c.Evidence {
			if seen[e.CompetencyID] {
				continue
			}
			seen[e.CompetencyID] = true
			label := e.CompetencyID
			if s.app.tax != nil {
				if comp, ok := s.app.tax.Get(e.CompetencyID); ok {
					label = comp.Label(uiLanguage())
				}
			}
			labels = append(labels, label+" ("+T("link."+string(e.Link))+")")
		}
		b.text(strings.Join(labels, " · "), widget.RichTextStyleParagraph)
	}

	var img fyne.CanvasObject
	parsed, err := s.app.store.Parsed(c.ID)
	if err == nil {
		t := credential.TransparencyOf(parsed)
		b.text(T("applicants.transparency", map[string]any{"Score": t.String()}), inlineStrong)
		b.end()
		var present, missing []string
		for _, e := range t.Elements {
			if e.Present {
				present = append(present, e.Label)
			} else {
				missing = append(missing, e.Label)
			}
		}
		if len(present) > 0 {
			b.text("✓ "+strings.Join(present, ", "), widget.RichTextStyleParagraph)
		}
		if len(missing) > 0 {
			b.text(T("applicants.missing")+" "+strings.Join(missing, ", "), italic)
		}
		if len(parsed.Image) > 0 {
			im := canvas.NewImageFromResource(fyne.NewStaticResource(fmt.Sprintf("badge-%d", c.ID), parsed.Image))
			im.FillMode = canvas.ImageFillContain
			im.SetMinSize(fyne.NewSize(72, 72))
			img = im
		}
	}
	rt := widget.NewRichText(b.segs...)
	rt.Wrapping = fyne.TextWrapWord
	var body fyne.CanvasObject = rt
	if img != nil {
		body = container.NewBorder(nil, nil, container.NewVBox(img), nil, rt)
	}
	return container.NewVBox(widget.NewSeparator(), body)
}

// chooseImport lets the user pick a folder to import.
func (s *applicantsScreen) chooseImport() {
	dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, s.app.win)
			return
		}
		if u != nil {
			s.importPaths([]string{u.Path()})
		}
	}, s.app.win)
}

// importPaths imports files or folders into the workspace off the UI
// goroutine, with a progress dialog that can cancel, then reports what was
// rejected and why.
func (s *applicantsScreen) importPaths(paths []string) {
	st := s.app.store
	if st == nil || len(paths) == 0 {
		return
	}
	d := showProgress(T("import.title"), T("import.starting"), s.app.win)
	tax, jobID := s.app.tax, s.app.jobID
	s.importing.run(0, func(context.Context) func() {
		defer d.cancel()
		v, cleanup, err := st.Verifier()
		if err != nil {
			return func() { d.hide(); dialog.ShowError(err, s.app.win) }
		}
		defer cleanup()
		rep, err := st.ImportFiles(d.ctx, paths, data.ImportOptions{Verifier: v, Taxonomy: tax, JobID: jobID}, func(p data.Progress) {
			d.set(p.Done, p.Total, T("import.progress", map[string]any{"Done": p.Done, "Total": p.Total, "File": filepath.Base(p.File)}))
		})
		return func() {
			d.hide()
			s.showImportReport(rep, err)
			s.app.loadPool()
		}
	})
}

// showImportReport says what an import did and lists every rejection.
func (s *applicantsScreen) showImportReport(rep *data.ImportReport, err error) {
	var b strings.Builder
	if err != nil {
		b.WriteString(T("import.failed", map[string]any{"Error": err.Error()}) + "\n\n")
	}
	if rep != nil {
		b.WriteString(T("import.summary", map[string]any{
			"Files": rep.Files, "Imported": rep.Imported, "People": len(rep.Applicants),
			"Duplicates": len(rep.Duplicates), "Skipped": len(rep.Skipped), "Rejected": len(rep.Rejections),
		}))
		for _, r := range rep.Rejections {
			b.WriteString("\n• " + r.String())
		}
	}
	l := widget.NewLabel(b.String())
	l.Wrapping = fyne.TextWrapWord
	sc := container.NewVScroll(l)
	sc.SetMinSize(fyne.NewSize(560, 300))
	dialog.ShowCustom(T("import.title"), T("dialog.close"), sc, s.app.win)
}
