package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// settingsScreen is the Settings tab.
type settingsScreen struct {
	app      *App
	language *widget.Select
	root     fyne.CanvasObject
}

// languageChoices pairs the language codes with their names as shown in
// the language picker (each in its own language, as users look for them).
var languageChoices = []struct{ code, name string }{
	{"", ""}, // system language; its name is translated
	{"en", "English"},
	{"fr", "Français"},
}

func newSettingsScreen(a *App) *settingsScreen {
	s := &settingsScreen{app: a}
	names := make([]string, len(languageChoices))
	current := 0
	for i, c := range languageChoices {
		names[i] = c.name
		if c.code == "" {
			names[i] = T("settings.language.system")
		}
		if c.code == activeLang {
			current = i
		}
	}
	s.language = widget.NewSelect(names, nil)
	s.language.SetSelectedIndex(current)
	s.language.OnChanged = func(string) {
		s.setLanguage(languageChoices[s.language.SelectedIndex()].code)
	}
	hint := widget.NewLabel(T("settings.language.hint"))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance

	form := widget.NewForm(widget.NewFormItem(T("settings.language"), s.language))
	s.root = container.NewVScroll(container.NewPadded(container.NewVBox(
		widget.NewRichText(&widget.TextSegment{Text: T("settings.interface"), Style: widget.RichTextStyleSubHeading}),
		form, hint,
	)))
	return s
}

func (s *settingsScreen) content() fyne.CanvasObject { return s.root }

// setLanguage saves the interface language choice and rebuilds the window
// in that language.
func (s *settingsScreen) setLanguage(code string) {
	if code == activeLang {
		return
	}
	if err := setLanguage(code); err != nil {
		fyne.LogError("interface language", err)
		return
	}
	s.app.fyne.Preferences().SetString(prefLanguage, code)
	s.app.build()
}
