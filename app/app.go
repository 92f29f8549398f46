package app

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// WindowSize is the size of the main window: it fits a 1280×800 screen.
var WindowSize = fyne.NewSize(1280, 800)

// Preference keys.
const (
	prefLanguage  = "language"
	prefWorkspace = "workspace"
)

// Options configure a Skillmatch app.
type Options struct {
	// Store is an open workspace to show. When nil and Workspace is set,
	// that file is opened in the background once the window is up.
	Store *data.Store
	// Workspace is the path of the workspace file to open; with
	// CreateDemo, the demo workspace is created there first if the file
	// does not exist.
	Workspace  string
	CreateDemo bool
	// Temporary keeps Workspace from becoming the workspace opened at the
	// next start (cmd/skillmatch sets it for --db and --screenshots);
	// workspaces opened from the File menu are always remembered.
	Temporary bool
	// Taxonomy is the taxonomy used while no workspace is open; nil means
	// the embedded default (taxonomy.Default). A workspace brings its own.
	Taxonomy *taxonomy.Taxonomy
	// Language forces the interface language ("en" or "fr"); empty means
	// the user's choice in Settings, else the system language.
	Language string
	// OnWorkspace, if set, is called on the UI goroutine each time a
	// workspace has been opened and shown (cmd/skillmatch logs timings).
	OnWorkspace func(path string)
}

// App is the Skillmatch desktop app: one main window with a tab per screen.
type App struct {
	fyne fyne.App
	win  fyne.Window
	opts Options

	tax    *taxonomy.Taxonomy
	taxErr error

	// store is the open workspace (nil while none is); wsLoading is true
	// while one opens, wsErr says why it did not.
	store     *data.Store
	wsLoading bool
	wsErr     error
	wsLoad    latest
	jobs      []*data.Job
	jobID     int64

	// pool is the workspace's applicants (nil until loaded); poolLoading
	// is true while they load, poolErr says why they did not.
	pool        *pool
	poolErr     error
	poolLoading bool
	poolLoad    latest
	poolDone    binding.Float
	poolMsg     binding.String
	// reverifying runs a re-verification of stored credentials (from the
	// Applicants or Settings screen).
	reverifying latest
	// refreshingEvidence runs a refresh of the stored evidence (from the
	// banner); evidenceRefreshing is true while one runs (then the banner
	// is hidden), evidenceButton is the banner's button.
	refreshingEvidence latest
	evidenceRefreshing bool
	evidenceButton     *widget.Button
	policy             matcher.Policy
	rankState          *rankingState

	tabs       *container.AppTabs
	banners    *fyne.Container // above the tabs: demo, stale evidence
	screens    []screen
	job        *jobScreen
	applicants *applicantsScreen
	ranking    *rankingScreen
	taxonomy   *taxonomyScreen
	settings   *settingsScreen
	upskilling *upskillingScreen
}

// screen is one tab of the main window.
type screen struct {
	name    string // stable, used for screenshot file names
	icon    fyne.Resource
	content fyne.CanvasObject
}

// New builds the Skillmatch main window on a (the caller runs it).
func New(a fyne.App, opts Options) *App {
	// Keep the extraction index of large taxonomies (ESCO) between starts,
	// in the same cache as the CLI.
	if dir, err := matcher.DefaultIndexCacheDir(); err == nil {
		matcher.SetIndexCacheDir(dir)
	}
	app := &App{fyne: a, opts: opts, policy: matcher.DefaultPolicy(), rankState: newRankingState(),
		poolDone: binding.NewFloat(), poolMsg: binding.NewString()}
	code := opts.Language
	if code == "" {
		code = a.Preferences().String(prefLanguage)
	}
	if err := setLanguage(code); err != nil {
		fyne.LogError("interface language", err)
		_ = setLanguage("")
	}
	app.tax = opts.Taxonomy
	if app.tax == nil {
		app.tax, app.taxErr = taxonomy.Default()
		if app.taxErr != nil {
			app.taxErr = fmt.Errorf("the embedded default taxonomy does not load: %w", app.taxErr)
		}
	}
	app.win = a.NewWindow("Skillmatch")
	app.win.Resize(WindowSize)
	switch {
	case opts.Store != nil:
		ws, err := readWorkspace(opts.Store)
		if err != nil {
			app.wsErr = err
			app.build()
		} else {
			app.attach(ws)
		}
	case opts.Workspace != "":
		app.build()
		app.openWorkspace(opts.Workspace, opts.CreateDemo)
	default:
		app.build()
	}
	return app
}

// Window returns the main window.
func (a *App) Window() fyne.Window { return a.win }

// Store returns the open workspace, or nil.
func (a *App) Store() *data.Store { return a.store }

// build (re)creates every screen in the current language and puts them in
// the window, keeping the tab that was selected.
func (a *App) build() {
	selected := ""
	if a.tabs != nil && a.tabs.Selected() != nil {
		if i := a.tabs.SelectedIndex(); i >= 0 && i < len(a.screens) {
			selected = a.screens[i].name
		}
	}
	var posting string
	if a.job != nil && a.store == nil {
		posting = a.job.posting.Text
	}
	a.job = newJobScreen(a)
	a.applicants = newApplicantsScreen(a)
	a.ranking = newRankingScreen(a)
	a.job.onChange = a.ranking.rank
	a.taxonomy = newTaxonomyScreen(a)
	a.settings = newSettingsScreen(a)
	a.screens = nil
	if a.tax != nil {
		a.screens = append(a.screens, screen{name: "job", icon: theme.DocumentCreateIcon(), content: a.job.content()})
	}
	if a.store != nil || a.wsLoading || a.wsErr != nil {
		a.screens = append(a.screens,
			screen{name: "applicants", icon: theme.AccountIcon(), content: a.applicants.content()},
			screen{name: "ranking", icon: theme.GridIcon(), content: a.ranking.content()})
		a.upskilling = newUpskillingScreen(a)
		a.screens = append(a.screens, screen{name: "upskilling", icon: theme.UploadIcon(), content: a.upskilling.content()})
	}
	a.screens = append(a.screens,
		screen{name: "taxonomy", icon: theme.ListIcon(), content: a.taxonomy.content()},
		screen{name: "settings", icon: theme.SettingsIcon(), content: a.settings.content()})
	items := make([]*container.TabItem, len(a.screens))
	for i, s := range a.screens {
		items[i] = container.NewTabItemWithIcon(T("tab."+s.name), s.icon, s.content)
	}
	a.tabs = container.NewAppTabs(items...)
	a.tabs.SetTabLocation(container.TabLocationTop)
	if selected != "" {
		a.ShowScreen(selected)
	}

	a.banners = container.NewVBox()
	a.updateBanners()
	a.win.SetContent(container.NewBorder(a.banners, a.statusBar(), nil, nil, a.tabs))
	a.win.SetMainMenu(a.mainMenu())
	a.job.loadCurrent()
	if posting != "" && a.store == nil {
		a.job.SetPosting(posting)
	}
}

// Screens returns the names of the screens, in tab order.
func (a *App) Screens() []string {
	out := make([]string, len(a.screens))
	for i, s := range a.screens {
		out[i] = s.name
	}
	return out
}

// ShowScreen selects the tab of the named screen and reports whether it
// exists.
func (a *App) ShowScreen(name string) bool {
	for i, s := range a.screens {
		if s.name == name {
			a.tabs.SelectIndex(i)
			return true
		}
	}
	return false
}

// updateBanners shows the strips above the tabs: the demo banner, and the
// banner offering to refresh the evidence when it was computed with
// another taxonomy than the active one (checked at start, after a
// refresh and whenever the screens are rebuilt).
func (a *App) updateBanners() {
	if a.banners == nil {
		return
	}
	a.banners.Objects = nil
	a.evidenceButton = nil
	if a.store != nil && a.store.IsDemo() {
		a.banners.Add(demoBanner())
	}
	if b := a.evidenceBanner(); b != nil {
		a.banners.Add(b)
	}
	a.banners.Refresh()
}

// demoBanner is the strip that says the workspace is the demo one.
func demoBanner() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.NRGBA{R: 0xf5, G: 0xb0, B: 0x1b, A: 0x48})
	icon := widget.NewIcon(theme.InfoIcon())
	text := widget.NewLabelWithStyle(T("demo.banner"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewStack(bg, container.NewBorder(nil, nil, icon, nil, text))
}

// statusBar shows which workspace and taxonomy are open.
func (a *App) statusBar() fyne.CanvasObject {
	var text string
	switch {
	case a.wsErr != nil:
		text = T("status.workspace.error", map[string]any{"Error": a.wsErr.Error()})
	case a.wsLoading:
		text = T("status.workspace.loading")
	case a.tax != nil:
		st := a.tax.Stats()
		text = T("status.taxonomy", map[string]any{
			"Name":         a.tax.Name,
			"Competencies": st.Competencies,
			"Occupations":  st.Occupations,
		})
		if a.store != nil {
			text = T("status.workspace", map[string]any{"Path": a.store.Path()}) + " · " + text
		}
	default:
		text = T("status.taxonomy.none")
	}
	l := widget.NewLabel(text)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}
