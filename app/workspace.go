package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// workspace is what the app reads from a workspace when it opens it.
type workspace struct {
	store  *data.Store
	tax    *taxonomy.Taxonomy
	policy matcher.Policy
	jobs   []*data.Job
}

// readWorkspace reads what the screens need from an open store.
func readWorkspace(st *data.Store) (*workspace, error) {
	tax, err := st.ActiveTaxonomy()
	if err != nil {
		return nil, fmt.Errorf("workspace %s: its taxonomy: %w", st.Path(), err)
	}
	pol, err := st.Policy()
	if err != nil {
		return nil, fmt.Errorf("workspace %s: its ranking policy: %w", st.Path(), err)
	}
	jobs, err := st.Jobs()
	if err != nil {
		return nil, fmt.Errorf("workspace %s: its jobs: %w", st.Path(), err)
	}
	return &workspace{store: st, tax: tax, policy: pol, jobs: jobs}, nil
}

// openWorkspace opens (and, for the demo, first creates) the workspace at
// path off the UI goroutine, then shows it.
func (a *App) openWorkspace(path string, createDemo bool) {
	a.wsLoading, a.wsErr = true, nil
	_ = a.poolMsg.Set(T("workspace.opening", map[string]any{"Path": path}))
	a.wsLoad.run(0, func(ctx context.Context) func() {
		var st *data.Store
		var err error
		if _, statErr := os.Stat(path); createDemo && errors.Is(statErr, os.ErrNotExist) {
			_ = a.poolMsg.Set(T("workspace.creating.demo"))
			st, err = data.OpenDemo(ctx, path)
		} else {
			st, err = data.Open(path)
		}
		var ws *workspace
		if err == nil {
			if ws, err = readWorkspace(st); err != nil {
				st.Close()
			}
		}
		return func() {
			a.wsLoading = false
			if err != nil {
				a.wsErr = err
				a.build()
				return
			}
			a.attach(ws)
		}
	})
}

// attach makes ws the app's workspace (closing the previous one), rebuilds
// the screens and loads the applicant pool.
func (a *App) attach(ws *workspace) {
	if a.store != nil && a.store != ws.store {
		a.store.Close()
	}
	a.store, a.tax, a.taxErr, a.policy, a.jobs = ws.store, ws.tax, nil, ws.policy, ws.jobs
	a.pool, a.poolErr = nil, nil
	a.jobID = 0
	if len(a.jobs) > 0 {
		a.jobID = a.jobs[0].ID
	}
	if !a.opts.Temporary || ws.store.Path() != a.opts.Workspace {
		a.fyne.Preferences().SetString(prefWorkspace, ws.store.Path())
	}
	a.build()
	a.loadPool()
	if a.opts.OnWorkspace != nil {
		a.opts.OnWorkspace(ws.store.Path())
	}
}

// WorkspaceToOpen says which workspace the desktop app opens at start: the
// one opened last, if it still exists, else workspace.skillmatch in the
// user's data folder if the command line made one (it is the CLI's default
// --db), else the demo workspace there (created on first start).
func WorkspaceToOpen(a fyne.App) (path string, createDemo bool) {
	if p := a.Preferences().String(prefWorkspace); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p, false
		}
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".local", "share")
		} else {
			dir = os.TempDir()
		}
	}
	if p := filepath.Join(dir, "skillmatch", "workspace"+workspaceExt); fileExists(p) {
		return p, false
	}
	return filepath.Join(dir, "skillmatch", "demo"+workspaceExt), true
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// loadPool reads the workspace's applicants off the UI goroutine,
// reporting progress.
func (a *App) loadPool() {
	st := a.store
	if st == nil {
		return
	}
	a.poolLoading = true
	_ = a.poolMsg.Set(T("pool.loading"))
	_ = a.poolDone.Set(0)
	a.poolLoad.run(0, func(ctx context.Context) func() {
		p, err := loadPool(ctx, st, func(done, total int) {
			// bindings may be set from any goroutine
			_ = a.poolDone.Set(float64(done) / float64(total))
			_ = a.poolMsg.Set(T("pool.loading.progress", map[string]any{"Done": done, "Total": total}))
		})
		return func() {
			if st != a.store {
				return // another workspace was opened meanwhile
			}
			a.poolLoading = false
			if errors.Is(err, context.Canceled) {
				err = errors.New(T("pool.cancelled"))
			}
			a.pool, a.poolErr = p, err
			if p != nil {
				for i, ap := range p.applicants {
					a.rankState.alias[ap.ID] = i + 1
				}
			}
			a.poolChanged()
		}
	})
}

// poolChanged tells the screens that show the pool.
func (a *App) poolChanged() {
	if a.applicants != nil {
		a.applicants.refresh()
	}
	if a.ranking != nil {
		a.ranking.refresh()
		a.ranking.rank()
	}
}

// progressView is the progress bar, message and Cancel button shown while
// the workspace or its applicants load.
func (a *App) progressView() fyne.CanvasObject {
	bar := widget.NewProgressBarWithData(a.poolDone)
	msg := widget.NewLabelWithData(a.poolMsg)
	msg.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButton(T("dialog.cancel"), func() { a.poolLoad.stopAndReport() })
	return container.NewPadded(container.NewVBox(msg, bar, container.NewHBox(cancel)))
}

// currentJob returns the job being edited, or nil.
func (a *App) currentJob() *data.Job {
	for _, j := range a.jobs {
		if j.ID == a.jobID {
			return j
		}
	}
	return nil
}

// jobPool returns the IDs of the applicants in the current job's pool, or
// nil when the pool is empty (then everyone is ranked, as RankJob does),
// and their stages.
func (a *App) jobPool() (map[string]bool, map[string]string) {
	if a.store == nil || a.jobID == 0 {
		return nil, nil
	}
	entries, err := a.store.Pipeline(a.jobID)
	if err != nil || len(entries) == 0 {
		return nil, nil
	}
	ids := map[string]bool{}
	stages := map[string]string{}
	for _, e := range entries {
		id := strconv.FormatInt(e.ApplicantID, 10)
		ids[id] = true
		stages[id] = e.Stage
	}
	return ids, stages
}

// Close closes the open workspace, if any. Call it after the window has
// closed, when the app is done with the file.
func (a *App) Close() error {
	if a.store == nil {
		return nil
	}
	err := a.store.Close()
	a.store = nil
	return err
}
