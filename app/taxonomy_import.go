package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// importKinds are the frameworks the Taxonomy screen imports: the spec
// scheme of taxonomy.Open and whether it reads a folder.
var importKinds = []struct {
	scheme string
	folder bool
}{{"esco", true}, {"onet", true}, {"csv", false}, {"json", false}}

// showImportDialog asks which framework to import, from where, and
// whether to lay it over the current taxonomy.
func (s *taxonomyScreen) showImportDialog() {
	names := make([]string, len(importKinds))
	for i, k := range importKinds {
		names[i] = T("taxonomy.import." + k.scheme)
	}
	kind := widget.NewSelect(names, nil)
	kind.SetSelectedIndex(0)
	merge := widget.NewCheck(T("taxonomy.import.merge"), nil)
	hint := widget.NewLabel(T("taxonomy.import.hint"))
	hint.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(kind, merge, hint)
	d := dialog.NewCustomConfirm(T("taxonomy.import.title"), T("taxonomy.import.choose"), T("dialog.cancel"), form, func(ok bool) {
		if !ok {
			return
		}
		k := importKinds[kind.SelectedIndex()]
		pick := func(path string) {
			spec := k.scheme + ":" + path
			if merge.Checked && s.app.tax != nil {
				spec = s.app.tax.Name + "+" + spec
			}
			s.importSpec(spec)
		}
		if k.folder {
			dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
				if err != nil || u == nil {
					s.app.showErr(err)
					return
				}
				pick(u.Path())
			}, s.app.win)
			return
		}
		dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				s.app.showErr(err)
				return
			}
			r.Close()
			pick(r.URI().Path())
		}, s.app.win)
	}, s.app.win)
	d.Resize(fyne.NewSize(520, 300))
	d.Show()
}

// importSpec loads the taxonomy spec names (taxonomy.Open) off the UI
// goroutine with a progress dialog, stores it in the workspace as the
// active taxonomy, and shows it. Cancel closes the dialog and stops the
// import at the next block it reads (taxonomy.OpenContext).
func (s *taxonomyScreen) importSpec(spec string) {
	bar := widget.NewProgressBarInfinite()
	msg := widget.NewLabel(T("taxonomy.import.running", map[string]any{"Spec": spec}))
	msg.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	cancel := widget.NewButton(T("dialog.cancel"), func() {
		s.importing.stop()
		d.Hide()
	})
	d = dialog.NewCustomWithoutButtons(T("taxonomy.import.title"), container.NewVBox(msg, bar, container.NewHBox(cancel)), s.app.win)
	d.Resize(fyne.NewSize(520, 180))
	d.Show()
	st := s.app.store
	app := s.app // setTaxonomy rebuilds the screens, s among them
	s.importing.run(0, func(ctx context.Context) func() {
		t, err := taxonomy.OpenContext(ctx, spec)
		// Activating another taxonomy leaves the saved jobs and the
		// stored evidence naming the competencies of the old one: the
		// jobs are mapped to the new one and the evidence is refreshed at
		// once, with their own progress dialog (cancelling it leaves the
		// taxonomy switched and the app offering to finish the refresh).
		var refresh *evidenceRun
		var res refreshResult
		var refreshErr error
		if err == nil && st != nil {
			if err = st.SaveTaxonomy(t, true); err == nil && ctx.Err() == nil {
				fyne.DoAndWait(func() {
					bar.Stop()
					d.Hide()
					refresh = app.startEvidenceRefresh(t.Name)
				})
				res, refreshErr = runEvidenceRefresh(st, refresh)
			}
		}
		if err == nil {
			matcher.For(t) // index it for extraction before it is shown
		}
		return func() {
			bar.Stop()
			d.Hide()
			if refresh != nil {
				refresh.progress.hide()
			}
			if err != nil {
				app.showErr(err)
				return
			}
			// The screens rebuilt by setTaxonomy show the jobs as mapped.
			app.updateJobs(res.saved)
			app.setTaxonomy(t)
			notes := ""
			if len(t.Notes) > 0 {
				notes = "\n\n" + strings.Join(t.Notes, "\n")
			}
			stats := t.Stats()
			done := T("taxonomy.import.done", map[string]any{
				"Name": t.Name, "Competencies": stats.Competencies, "Occupations": stats.Occupations,
			}) + notes
			if refresh != nil {
				app.evidenceRefreshed(st, done, res, refreshErr)
				return
			}
			dialog.ShowInformation(T("taxonomy.import.title"), done, app.win)
		}
	})
}

// setTaxonomy makes t the taxonomy of every screen.
func (a *App) setTaxonomy(t *taxonomy.Taxonomy) {
	a.tax, a.taxErr = t, nil
	a.build()
	a.ShowScreen("taxonomy")
	if a.ranking != nil {
		a.ranking.rank()
	}
}
