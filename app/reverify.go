package app

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data"
)

// reverifyListLimit is the number of changed credentials the report
// dialog lists one by one; the rest are counted.
const reverifyListLimit = 50

// reverifyJob verifies the stored credentials of one person (id 0:
// everyone, applicants and staff) again, as an import would verify them
// now: with the workspace's trust list, offline setting and stored
// documents, as of the workspace's moment (the demo's fixed date, else
// now, as the pool is ranked). It stores the new results and says what
// changed; progress is called after each person.
func reverifyJob(ctx context.Context, st *data.Store, id int64, progress func(done, total int)) (*data.ReverifyReport, error) {
	v, cleanup, err := st.Verifier()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	v.Now = st.AsOf()
	return st.ReverifyReported(ctx, id, v, progress)
}

// reverifyReport is the text of the dialog that ends a re-verification:
// what was verified, how many statuses changed and how, trust changes,
// then each changed credential (the first reverifyListLimit).
func reverifyReport(rep *data.ReverifyReport, err error) string {
	var lines []string
	switch {
	case errors.Is(err, context.Canceled) && rep != nil:
		lines = append(lines, T("reverify.stopped", map[string]any{"Done": rep.People, "Total": rep.Total}))
	case err != nil:
		lines = append(lines, T("reverify.failed", map[string]any{"Error": err.Error()}))
	}
	if rep == nil {
		return strings.Join(lines, "\n")
	}
	lines = append(lines, TN("reverify.summary", rep.People, map[string]any{"Credentials": rep.Credentials}))
	if n := rep.StatusChanges(); n == 0 {
		lines = append(lines, T("reverify.unchanged"))
	} else {
		lines = append(lines, TN("reverify.changed", n))
		for _, tr := range rep.Transitions() {
			lines = append(lines, "   "+T("reverify.transition", map[string]any{"From": reverifyStatus(tr.From), "To": reverifyStatus(tr.To), "Count": tr.Count}))
		}
	}
	if in, out := rep.TrustChanges(); in+out > 0 {
		lines = append(lines, T("reverify.trust", map[string]any{"Changed": in + out, "In": in, "Out": out}))
	}
	if len(rep.Changes) > 0 {
		lines = append(lines, "")
	}
	for i, ch := range rep.Changes {
		if i == reverifyListLimit {
			lines = append(lines, T("reverify.more", map[string]any{"Count": len(rep.Changes) - i}))
			break
		}
		var what []string
		if ch.StatusChanged() {
			what = append(what, reverifyStatus(ch.From)+" → "+reverifyStatus(ch.To))
		}
		if ch.TrustChanged() {
			if ch.TrustedAfter {
				what = append(what, T("reverify.change.trusted"))
			} else {
				what = append(what, T("reverify.change.untrusted"))
			}
		}
		lines = append(lines, "• "+T("reverify.change", map[string]any{"Applicant": ch.Applicant, "Title": ch.Title, "What": strings.Join(what, ", ")}))
	}
	return strings.Join(lines, "\n")
}

// reverifyStatus names a stored status in the interface language; a
// credential stored without verification has none.
func reverifyStatus(s credential.Status) string {
	if s == "" {
		return T("reverify.unverified")
	}
	return T("status." + string(s))
}

// reverify verifies the credentials of one person (id 0: everyone) again
// off the UI goroutine, with a progress dialog that can cancel, then
// reports what changed and reloads the applicants, so that every list
// and the ranking show the new results.
func (a *App) reverify(id int64) {
	st := a.store
	if st == nil {
		a.showErr(errNoWorkspace)
		return
	}
	d := showProgress(T("reverify.title"), T("reverify.starting"), a.win)
	a.reverifying.run(0, func(context.Context) func() {
		defer d.cancel()
		rep, err := reverifyJob(d.ctx, st, id, func(done, total int) {
			d.set(done, total, TN("reverify.progress", total, map[string]any{"Done": done}))
		})
		return func() {
			d.hide()
			if rep == nil && err != nil {
				a.showErr(err)
				return
			}
			a.showReverifyReport(rep, err)
			if st == a.store {
				a.loadPool()
			}
		}
	})
}

// showReverifyReport shows the report of a re-verification in a dialog.
func (a *App) showReverifyReport(rep *data.ReverifyReport, err error) {
	l := widget.NewLabel(reverifyReport(rep, err))
	l.Wrapping = fyne.TextWrapWord
	sc := container.NewVScroll(l)
	sc.SetMinSize(fyne.NewSize(560, 300))
	dialog.ShowCustom(T("reverify.title"), T("dialog.close"), sc, a.win)
}

// offerReverify asks, after the trust list or the offline mode changed,
// whether to verify every credential again now (stored results reflect
// the settings they were verified with). Only one question is open at a
// time: several changes in a row are answered once.
func (s *settingsScreen) offerReverify() {
	if s.offering {
		return
	}
	s.offering = true
	msg := widget.NewLabel(T("reverify.confirm"))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(T("reverify.title"), T("reverify.now"), T("reverify.later"), msg, func(ok bool) {
		s.offering = false
		if ok {
			s.app.reverify(0)
		}
	}, s.app.win)
	d.Resize(fyne.NewSize(480, 220))
	d.Show()
}
