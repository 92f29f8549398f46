package app

import (
	"context"
	"errors"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/data"
)

// The stored evidence (which competencies each credential shows) names
// competencies of the taxonomy active when it was computed. After the
// active taxonomy changes, the app computes it again with
// data.Store.RefreshEvidence — no network, no re-verification — with a
// progress dialog that can cancel; while it is stale (a refresh was
// cancelled, or the workspace was switched elsewhere), a banner offers to
// refresh.

// startEvidenceRefresh shows the progress dialog of a refresh of the
// evidence with the active taxonomy taxName; it must run on the UI
// goroutine.
func (a *App) startEvidenceRefresh(taxName string) *progressDialog {
	a.evidenceRefreshing = true
	a.updateBanners()
	return showProgress(T("evidence.title"), T("evidence.starting", map[string]any{"Taxonomy": taxName}), a.win)
}

// runEvidenceRefresh refreshes the evidence of st off the UI goroutine,
// reporting to d and stopping when d is cancelled.
func runEvidenceRefresh(st *data.Store, d *progressDialog) (*data.RefreshReport, error) {
	return st.RefreshEvidence(d.ctx, func(done, total int) {
		d.set(done, total, TN("evidence.progress", total, map[string]any{"Done": done}))
	})
}

// refreshEvidence refreshes the evidence of the open workspace with its
// active taxonomy off the UI goroutine (the banner's Refresh now).
func (a *App) refreshEvidence() {
	st := a.store
	if st == nil {
		a.showErr(errNoWorkspace)
		return
	}
	name := ""
	if a.tax != nil {
		name = a.tax.Name
	}
	d := a.startEvidenceRefresh(name)
	a.refreshingEvidence.run(0, func(context.Context) func() {
		defer d.cancel()
		rep, err := runEvidenceRefresh(st, d)
		return func() {
			d.hide()
			a.evidenceRefreshed(st, "", rep, err)
		}
	})
}

// evidenceRefreshed ends a refresh of the evidence on the UI goroutine:
// it says what was done (after intro, when not empty), updates the banner,
// reloads the applicants and analyses the team shown on the Upskilling
// screen again, so that every list, ranking and analysis uses the new
// evidence.
func (a *App) evidenceRefreshed(st *data.Store, intro string, rep *data.RefreshReport, err error) {
	a.evidenceRefreshing = false
	if st != a.store {
		return // another workspace was opened meanwhile
	}
	a.updateBanners()
	a.loadPool()
	if a.upskilling != nil && a.upskilling.gaps != nil {
		a.upskilling.analyse() // the staff's evidence changed too
	}
	text := evidenceReport(rep, err)
	if intro != "" {
		text = intro + "\n\n" + text
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	sc := container.NewVScroll(l)
	sc.SetMinSize(fyne.NewSize(560, 220))
	dialog.ShowCustom(T("evidence.title"), T("dialog.close"), sc, a.win)
}

// evidenceReport is the text of the dialog that ends a refresh.
func evidenceReport(rep *data.RefreshReport, err error) string {
	var lines []string
	switch {
	case errors.Is(err, context.Canceled) && rep != nil:
		lines = append(lines, T("evidence.stopped", map[string]any{"Done": rep.People, "Total": rep.Total}))
	case err != nil:
		lines = append(lines, T("evidence.failed", map[string]any{"Error": err.Error()}))
	}
	if rep != nil && rep.People > 0 {
		lines = append(lines,
			TN("evidence.summary", rep.People, map[string]any{"Credentials": rep.Credentials, "Taxonomy": rep.Taxonomy}),
			T("evidence.links", map[string]any{"Before": rep.Before, "After": rep.After, "Changed": rep.Changed}))
	}
	return strings.Join(lines, "\n")
}

// evidenceBanner is the strip that says the evidence is stale, with a
// button to refresh it; nil when it is not (or while a refresh runs).
func (a *App) evidenceBanner() fyne.CanvasObject {
	if a.store == nil || a.evidenceRefreshing {
		return nil
	}
	stale, err := a.store.EvidenceStale()
	if err != nil {
		fyne.LogError("checking the evidence of the workspace", err)
		return nil
	}
	if !stale {
		return nil
	}
	name := ""
	if a.tax != nil {
		name = a.tax.Name
	}
	bg := canvas.NewRectangle(color.NRGBA{R: 0xd9, G: 0x53, B: 0x4f, A: 0x40})
	icon := widget.NewIcon(theme.WarningIcon())
	text := widget.NewLabelWithStyle(T("evidence.stale", map[string]any{"Taxonomy": name}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text.Wrapping = fyne.TextWrapWord
	a.evidenceButton = widget.NewButtonWithIcon(T("evidence.refresh"), theme.ViewRefreshIcon(), a.refreshEvidence)
	return container.NewStack(bg, container.NewBorder(nil, nil, icon, a.evidenceButton, text))
}
