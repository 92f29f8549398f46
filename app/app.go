package app

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// WindowSize is the size of the main window: it fits a 1280×800 screen.
var WindowSize = fyne.NewSize(1280, 800)

// prefLanguage is the preference key of the interface language override.
const prefLanguage = "language"

// Options configure a Skillmatch app.
type Options struct {
	// Taxonomy is the competency taxonomy to browse and match against;
	// nil means the embedded default (taxonomy.Default).
	Taxonomy *taxonomy.Taxonomy
	// Language forces the interface language ("en" or "fr"); empty means
	// the user's choice in Settings, else the system language.
	Language string
	// Demo shows the banner that says the workspace is the demo one.
	Demo bool
}

// App is the Skillmatch desktop app: one main window with a tab per screen.
type App struct {
	fyne fyne.App
	win  fyne.Window
	opts Options

	tax    *taxonomy.Taxonomy
	taxErr error

	tabs     *container.AppTabs
	screens  []screen
	job      *jobScreen
	taxonomy *taxonomyScreen
	settings *settingsScreen
}

// screen is one tab of the main window.
type screen struct {
	name    string // stable, used for screenshot file names
	icon    fyne.Resource
	content fyne.CanvasObject
}

// New builds the Skillmatch main window on a (the caller runs it).
func New(a fyne.App, opts Options) *App {
	app := &App{fyne: a, opts: opts}
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
	if app.tax != nil {
		// Index the taxonomy for extraction while the window comes up.
		go matcher.For(app.tax)
	}
	app.win = a.NewWindow("Skillmatch")
	app.win.Resize(WindowSize)
	app.build()
	if opts.Demo && app.job != nil {
		if text, err := demoPosting(); err == nil {
			app.job.SetPosting(text)
		}
	}
	return app
}

// Window returns the main window.
func (a *App) Window() fyne.Window { return a.win }

// ShowAndRun shows the main window and runs the app until it quits.
func (a *App) ShowAndRun() { a.win.ShowAndRun() }

// build (re)creates every screen in the current language and puts them in
// the window, keeping the tab that was selected.
func (a *App) build() {
	selected := ""
	if a.tabs != nil && a.tabs.Selected() != nil {
		if i := a.tabs.SelectedIndex(); i >= 0 && i < len(a.screens) {
			selected = a.screens[i].name
		}
	}
	posting := ""
	if a.job != nil {
		posting = a.job.posting.Text
	}
	a.job = newJobScreen(a)
	a.taxonomy = newTaxonomyScreen(a)
	a.settings = newSettingsScreen(a)
	a.screens = nil
	if a.tax != nil {
		a.screens = append(a.screens, screen{name: "job", icon: theme.DocumentCreateIcon(), content: a.job.content()})
	}
	a.screens = append(a.screens, []screen{
		{name: "taxonomy", icon: theme.ListIcon(), content: a.taxonomy.content()},
		{name: "settings", icon: theme.SettingsIcon(), content: a.settings.content()},
	}...)
	items := make([]*container.TabItem, len(a.screens))
	for i, s := range a.screens {
		items[i] = container.NewTabItemWithIcon(T("tab."+s.name), s.icon, s.content)
	}
	a.tabs = container.NewAppTabs(items...)
	a.tabs.SetTabLocation(container.TabLocationTop)
	if selected != "" {
		a.ShowScreen(selected)
	}

	var top fyne.CanvasObject
	if a.opts.Demo {
		top = demoBanner()
	}
	a.win.SetContent(container.NewBorder(top, a.statusBar(), nil, nil, a.tabs))
	if posting != "" {
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

// demoBanner is the strip that says the workspace is the demo one.
func demoBanner() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.NRGBA{R: 0xf5, G: 0xb0, B: 0x1b, A: 0x48})
	icon := widget.NewIcon(theme.InfoIcon())
	text := widget.NewLabelWithStyle(T("demo.banner"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewStack(bg, container.NewBorder(nil, nil, icon, nil, text))
}

// statusBar shows which taxonomy is loaded.
func (a *App) statusBar() fyne.CanvasObject {
	var text string
	if a.tax != nil {
		st := a.tax.Stats()
		text = T("status.taxonomy", map[string]any{
			"Name":         a.tax.Name,
			"Competencies": st.Competencies,
			"Occupations":  st.Occupations,
		})
	} else {
		text = T("status.taxonomy.none")
	}
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}
