package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/skillmatch/skillmatch/data"
)

// workspaceExt is the file extension of workspaces.
const workspaceExt = ".skillmatch"

// mainMenu is the File menu: new, open, back up and restore a workspace,
// and import applicants. Dropping files or folders on the window imports
// them too.
func (a *App) mainMenu() *fyne.MainMenu {
	file := fyne.NewMenu(T("menu.file"),
		fyne.NewMenuItem(T("menu.new"), a.newWorkspace),
		fyne.NewMenuItem(T("menu.open"), a.chooseWorkspace),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(T("menu.backup"), a.backupWorkspace),
		fyne.NewMenuItem(T("menu.restore"), a.restoreWorkspace),
	)
	if a.store != nil {
		file.Items = append(file.Items, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(T("menu.import"), func() {
				a.ShowScreen("applicants")
				a.applicants.chooseImport()
			}))
		a.win.SetOnDropped(a.dropped)
	}
	return fyne.NewMainMenu(file)
}

// dropped imports the files and folders dropped on the window into the
// workspace, on the Applicants screen (which shows the progress and the
// report). Anything that is not a local file is ignored. One job posting
// document (not a credential) dropped while the Job screen is shown is
// loaded into it instead.
func (a *App) dropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	if len(paths) == 1 && a.job != nil && a.shownScreen() == "job" {
		if text, ok, err := droppedPosting(paths[0]); ok {
			if err != nil {
				dialog.ShowError(err, a.win)
				return
			}
			a.job.SetPosting(text)
			return
		}
	}
	if len(paths) == 0 || a.applicants == nil {
		return
	}
	a.ShowScreen("applicants")
	a.applicants.importPaths(paths)
}

// shownScreen is the name of the screen whose tab is selected ("" for
// none).
func (a *App) shownScreen() string {
	if a.tabs == nil || a.tabs.Selected() == nil {
		return ""
	}
	if i := a.tabs.SelectedIndex(); i >= 0 && i < len(a.screens) {
		return a.screens[i].name
	}
	return ""
}

// newWorkspace asks where to create an empty workspace and opens it.
func (a *App) newWorkspace() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			a.showErr(err)
			return
		}
		path := w.URI().Path()
		w.Close()
		// The dialog created an empty file; the store makes it a workspace.
		st, err := data.Open(path)
		if err != nil {
			a.showErr(err)
			return
		}
		ws, err := readWorkspace(st)
		if err != nil {
			st.Close()
			a.showErr(err)
			return
		}
		a.attach(ws)
	}, a.win)
	d.SetFileName("hiring" + workspaceExt)
	d.SetFilter(storage.NewExtensionFileFilter([]string{workspaceExt}))
	d.Show()
}

// chooseWorkspace opens an existing workspace.
func (a *App) chooseWorkspace() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			a.showErr(err)
			return
		}
		path := r.URI().Path()
		r.Close()
		a.openWorkspace(path, false)
		a.build()
	}, a.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{workspaceExt}))
	d.Show()
}

// backupWorkspace writes a consistent copy of the workspace.
func (a *App) backupWorkspace() {
	st := a.store
	if st == nil {
		a.showErr(errNoWorkspace)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			a.showErr(err)
			return
		}
		dest := w.URI().Path()
		w.Close()
		go func() {
			err := st.Backup(context.Background(), dest)
			fyne.Do(func() {
				if err != nil {
					a.showErr(err)
					return
				}
				dialog.ShowInformation(T("menu.backup"), T("backup.done", map[string]any{"Path": dest}), a.win)
			})
		}()
	}, a.win)
	d.SetFileName("backup" + workspaceExt)
	d.Show()
}

// restoreWorkspace replaces the open workspace with a backup, after
// asking, and opens it again.
func (a *App) restoreWorkspace() {
	st := a.store
	if st == nil {
		a.showErr(errNoWorkspace)
		return
	}
	path := st.Path()
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			a.showErr(err)
			return
		}
		backup := r.URI().Path()
		r.Close()
		dialog.ShowConfirm(T("menu.restore"), T("restore.confirm", map[string]any{"Backup": backup, "Path": path}), func(ok bool) {
			if !ok {
				return
			}
			a.store = nil
			st.Close()
			if err := data.Restore(backup, path); err != nil {
				a.showErr(err)
			}
			a.openWorkspace(path, false)
			a.build()
		}, a.win)
	}, a.win)
	d.Show()
}

type noWorkspaceError struct{}

func (noWorkspaceError) Error() string { return T("workspace.none") }

var errNoWorkspace error = noWorkspaceError{}

func (a *App) showErr(err error) {
	if err != nil {
		dialog.ShowError(err, a.win)
	}
}
