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

// The stored evidence (which competencies each credential shows) and the
// requirements of the saved jobs name competencies of the taxonomy active
// when they were computed or edited. After the active taxonomy changes,
// the app moves the jobs to it with data.Store.MapJobsToActive (keeping
// the recruiter's edits; the Job screen flags what could not be moved) and
// computes the evidence again with data.Store.RefreshEvidence — no
// network, no re-verification — with a progress dialog that can cancel;
// while the evidence is stale (a refresh was cancelled, or the workspace
// was switched elsewhere), a banner offers to refresh, which maps the jobs
// too.

// startEvidenceRefresh shows the progress dialog of a refresh of the
// evidence with the active taxonomy taxName; it must run on the UI
// goroutine.
func (a *App) startEvidenceRefresh(taxName string) *evidenceRun {
	a.evidenceRefreshing = true
	a.updateBanners()
	return &evidenceRun{
		progress: showProgress(T("evidence.title"), T("evidence.starting", map[string]any{"Taxonomy": taxName}), a.win),
		saves:    a.job.pendingSaves(),
	}
}

// evidenceRun is a refresh started on the UI goroutine: its progress
// dialog, and the Job screen's saves pending at its start, which must be
// written before the jobs are mapped (a save written after the mapping
// would bring back the old taxonomy's competencies).
type evidenceRun struct {
	progress *progressDialog
	saves    []*latest
}

// refreshResult is what runEvidenceRefresh did: the saved jobs moved to
// the active taxonomy, then the evidence refreshed.
type refreshResult struct {
	jobs *data.JobMapReport
	// saved are the workspace's jobs read again when the mapping changed
	// some; nil otherwise.
	saved    []*data.Job
	evidence *data.RefreshReport
}

// runEvidenceRefresh, off the UI goroutine, moves the requirements of the
// saved jobs of st to the active taxonomy (data.Store.MapJobsToActive:
// jobs saved before a switch would otherwise rank everyone at 0), then
// refreshes the evidence, reporting to d and stopping when d is cancelled.
func runEvidenceRefresh(st *data.Store, run *evidenceRun) (refreshResult, error) {
	var res refreshResult
	d := run.progress
	for _, l := range run.saves {
		l.wait()
	}
	d.set(0, 1, T("evidence.jobs.mapping"))
	jr, err := st.MapJobsToActive(d.ctx)
	res.jobs = jr
	if jr != nil && jr.Changed > 0 {
		saved, lerr := st.Jobs()
		if err == nil {
			err = lerr
		}
		res.saved = saved
	}
	if err != nil {
		return res, err
	}
	res.evidence, err = st.RefreshEvidence(d.ctx, func(done, total int) {
		d.set(done, total, TN("evidence.progress", total, map[string]any{"Done": done}))
	})
	return res, err
}

// updateJobs copies the jobs read again after a mapping onto the app's
// jobs of the same ID (screens keep pointers to them), on the UI
// goroutine.
func (a *App) updateJobs(saved []*data.Job) {
	for _, n := range saved {
		for _, j := range a.jobs {
			if j.ID == n.ID {
				*j = *n
			}
		}
	}
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
	run := a.startEvidenceRefresh(name)
	a.refreshingEvidence.run(0, func(context.Context) func() {
		defer run.progress.cancel()
		res, err := runEvidenceRefresh(st, run)
		return func() {
			run.progress.hide()
			a.evidenceRefreshed(st, "", res, err)
		}
	})
}

// evidenceRefreshed ends a refresh of the evidence on the UI goroutine:
// it says what was done (after intro, when not empty), updates the banner,
// shows the jobs as mapped, reloads the applicants and analyses the team
// shown on the Upskilling screen again, so that every list, ranking and
// analysis uses the new evidence.
func (a *App) evidenceRefreshed(st *data.Store, intro string, res refreshResult, err error) {
	a.evidenceRefreshing = false
	if st != a.store {
		return // another workspace was opened meanwhile
	}
	if res.saved != nil {
		a.updateJobs(res.saved)
		if a.job != nil {
			a.job.loadCurrent()
		}
	}
	a.updateBanners()
	a.loadPool()
	if a.upskilling != nil && a.upskilling.gaps != nil {
		a.upskilling.analyse() // the staff's evidence changed too
	}
	text := refreshText(res, err)
	if intro != "" {
		text = intro + "\n\n" + text
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	sc := container.NewVScroll(l)
	sc.SetMinSize(fyne.NewSize(560, 220))
	dialog.ShowCustom(T("evidence.title"), T("dialog.close"), sc, a.win)
}

// refreshText is the text of the dialog that ends a refresh: what became
// of the saved jobs, then of the evidence.
func refreshText(res refreshResult, err error) string {
	var parts []string
	if j := jobMapText(res.jobs); j != "" {
		parts = append(parts, j)
	}
	if res.evidence == nil && errors.Is(err, context.Canceled) {
		parts = append(parts, T("evidence.jobs.stopped"))
	} else {
		parts = append(parts, evidenceReport(res.evidence, err))
	}
	return strings.Join(parts, "\n\n")
}

// maxUnmappedListed bounds the requirements a report lists by name.
const maxUnmappedListed = 12

// jobMapText says what MapJobsToActive did: how many requirements of how
// many jobs now use the active taxonomy, and which were not found in it.
func jobMapText(rep *data.JobMapReport) string {
	if rep == nil || rep.Jobs == 0 {
		return ""
	}
	var lines []string
	switch {
	case rep.Mapped() == 0 && len(rep.Unmapped) == 0:
		lines = append(lines, T("evidence.jobs.none"))
	case rep.Mapped() > 0:
		lines = append(lines, TN("evidence.jobs.summary", rep.Changed, map[string]any{
			"Mapped": rep.Mapped(), "ByRef": rep.ByRef, "ByLabel": rep.ByLabel,
		}))
		if rep.Merged > 0 {
			lines = append(lines, TN("evidence.jobs.merged", rep.Merged))
		}
	}
	if n := len(rep.Unmapped); n > 0 {
		lines = append(lines, TN("evidence.jobs.unmapped", n))
		for i, u := range rep.Unmapped {
			if i == maxUnmappedListed {
				lines = append(lines, TN("evidence.jobs.more", n-i))
				break
			}
			lines = append(lines, T("evidence.jobs.item", map[string]any{"Job": u.JobTitle, "Label": u.Label, "ID": u.CompetencyID}))
		}
	}
	return strings.Join(lines, "\n")
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
