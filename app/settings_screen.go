package app

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
)

// settingsScreen is the Settings tab: interface language, and for a
// workspace its offline mode, ranking policy and trust list.
type settingsScreen struct {
	app      *App
	language *widget.Select
	offline  *widget.Check
	policy   matcher.Policy
	sliders  map[string]*widget.Slider
	knockOut *widget.Check
	trust    *credential.TrustList
	trustBox *fyne.Container
	trustID  *widget.Entry
	trustNm  *widget.Entry
	message  *widget.Label
	root     fyne.CanvasObject

	// reverify verifies every stored credential again; offering is true
	// while the question "re-verify now?" is open.
	reverify *widget.Button
	offering bool
}

// languageChoices pairs the language codes with their names as shown in
// the language picker (each in its own language, as users look for them).
var languageChoices = []struct{ code, name string }{
	{"", ""}, // system language; its name is translated
	{"en", "English"},
	{"fr", "Français"},
}

// policyKnob is one policy number the Settings screen lets the user set.
type policyKnob struct {
	key      string
	min, max float64
	step     float64
	field    func(p *matcher.Policy) *float64
}

var policyKnobs = []policyKnob{
	{"policy.must_weight", 0.1, 5, 0.1, func(p *matcher.Policy) *float64 { return &p.MustWeight }},
	{"policy.asset_weight", 0, 5, 0.1, func(p *matcher.Policy) *float64 { return &p.AssetWeight }},
	{"policy.met_threshold", 0.1, 1, 0.05, func(p *matcher.Policy) *float64 { return &p.MetThreshold }},
	{"policy.half_life", 0.5, 30, 0.5, func(p *matcher.Policy) *float64 { return &p.HalfLifeYears }},
	{"policy.narrower", 0, 1, 0.05, func(p *matcher.Policy) *float64 { return &p.Relations.Narrower }},
	{"policy.broader", 0, 1, 0.05, func(p *matcher.Policy) *float64 { return &p.Relations.Broader }},
	{"policy.related", 0, 1, 0.05, func(p *matcher.Policy) *float64 { return &p.Relations.Related }},
	{"policy.untrusted", 0, 1, 0.05, func(p *matcher.Policy) *float64 { return &p.Verification.ValidUntrusted }},
	{"policy.unverifiable", 0, 1, 0.05, func(p *matcher.Policy) *float64 { return &p.Verification.Unverifiable }},
}

func newSettingsScreen(a *App) *settingsScreen {
	s := &settingsScreen{app: a, policy: a.policy, sliders: map[string]*widget.Slider{}}
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
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord

	objs := []fyne.CanvasObject{
		heading(T("settings.interface")),
		widget.NewForm(widget.NewFormItem(T("settings.language"), s.language)), hint,
	}
	if st := a.store; st != nil {
		s.offline = widget.NewCheck(T("settings.offline"), nil)
		s.offline.Checked = st.Offline()
		s.offline.OnChanged = func(on bool) {
			if err := st.SetOffline(on); err != nil {
				s.message.SetText(err.Error())
				return
			}
			s.offerReverify()
		}
		offHint := widget.NewLabel(T("settings.offline.hint"))
		offHint.Wrapping = fyne.TextWrapWord
		objs = append(objs, heading(T("settings.workspace")), s.offline, offHint)
		objs = append(objs, heading(T("settings.policy")), s.policyForm())
		if tl, err := st.TrustList(); err == nil {
			s.trust = tl
		} else {
			s.trust = &credential.TrustList{}
			s.message.SetText(err.Error())
		}
		s.trustBox = container.NewVBox()
		s.fillTrust()
		s.trustID = widget.NewEntry()
		s.trustID.SetPlaceHolder(T("settings.trust.id"))
		s.trustNm = widget.NewEntry()
		s.trustNm.SetPlaceHolder(T("settings.trust.name"))
		add := widget.NewButtonWithIcon(T("settings.trust.add"), theme.ContentAddIcon(), s.addTrusted)
		imp := widget.NewButtonWithIcon(T("settings.trust.import"), theme.FolderOpenIcon(), s.importTrust)
		trustHint := widget.NewLabel(T("settings.trust.hint"))
		trustHint.Wrapping = fyne.TextWrapWord
		s.reverify = widget.NewButtonWithIcon(T("settings.reverify"), theme.ViewRefreshIcon(), func() { a.reverify(0) })
		objs = append(objs, heading(T("settings.trust")), trustHint, s.trustBox,
			container.NewBorder(nil, nil, nil, container.NewHBox(add, imp), container.NewGridWithColumns(2, s.trustID, s.trustNm)),
			container.NewHBox(s.reverify))
	}
	objs = append(objs, s.message)
	s.root = container.NewVScroll(container.NewPadded(container.NewVBox(objs...)))
	return s
}

func heading(text string) fyne.CanvasObject {
	return widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyleSubHeading})
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
	s.app.ShowScreen("settings")
}

// policyForm has a slider per policy number and the knock-out switch; a
// change is validated, saved to the workspace and the ranking redone.
func (s *settingsScreen) policyForm() fyne.CanvasObject {
	form := container.New(formLayout())
	s.knockOut = widget.NewCheck(T("policy.knock_out"), nil)
	s.knockOut.Checked = s.policy.KnockOut
	s.knockOut.OnChanged = func(on bool) {
		p := s.policy
		p.KnockOut = on
		s.setPolicy(p)
	}
	form.Add(widget.NewLabel(""))
	form.Add(s.knockOut)
	for _, k := range policyKnobs {
		k := k
		value := widget.NewLabel("")
		sl := widget.NewSlider(k.min, k.max)
		sl.Step = k.step
		sl.SetValue(*k.field(&s.policy))
		value.SetText(strconv.FormatFloat(sl.Value, 'f', 2, 64))
		sl.OnChanged = func(v float64) { value.SetText(strconv.FormatFloat(v, 'f', 2, 64)) }
		sl.OnChangeEnded = func(v float64) {
			p := s.policy
			*k.field(&p) = v
			s.setPolicy(p)
		}
		s.sliders[k.key] = sl
		form.Add(widget.NewLabel(T(k.key)))
		form.Add(container.NewBorder(nil, nil, nil, value, sl))
	}
	reset := widget.NewButton(T("policy.reset"), func() {
		s.setPolicy(matcher.DefaultPolicy())
		for _, k := range policyKnobs {
			p := s.policy
			s.sliders[k.key].SetValue(*k.field(&p))
		}
		s.knockOut.SetChecked(s.policy.KnockOut)
	})
	return container.NewVBox(form, container.NewHBox(reset))
}

// setPolicy validates p, saves it and re-ranks.
func (s *settingsScreen) setPolicy(p matcher.Policy) {
	if err := p.Validate(); err != nil {
		s.message.SetText(err.Error())
		return
	}
	if err := s.app.store.SetPolicy(p); err != nil {
		s.message.SetText(err.Error())
		return
	}
	s.policy = p
	s.app.policy = p
	s.message.SetText(T("policy.saved"))
	if s.app.ranking != nil {
		s.app.ranking.rank()
	}
}

// fillTrust lists the trusted issuers with a Remove button each.
func (s *settingsScreen) fillTrust() {
	s.trustBox.Objects = nil
	if len(s.trust.Issuers) == 0 {
		s.trustBox.Add(widget.NewLabel(T("settings.trust.empty")))
	}
	for _, is := range s.trust.Issuers {
		id := is.ID
		text := is.ID
		if is.Name != "" {
			text = is.Name + " — " + is.ID
		}
		l := widget.NewLabel(text)
		l.Truncation = fyne.TextTruncateEllipsis
		rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.removeTrusted(id) })
		rm.Importance = widget.LowImportance
		s.trustBox.Add(container.NewBorder(nil, nil, nil, rm, l))
	}
	s.trustBox.Refresh()
}

func (s *settingsScreen) reloadTrust() {
	if tl, err := s.app.store.TrustList(); err == nil {
		s.trust = tl
	}
	s.fillTrust()
}

func (s *settingsScreen) addTrusted() {
	id := strings.TrimSpace(s.trustID.Text)
	if id == "" {
		s.message.SetText(T("settings.trust.needid"))
		return
	}
	if err := s.app.store.AddTrusted(credential.TrustedIssuer{ID: id, Name: strings.TrimSpace(s.trustNm.Text)}); err != nil {
		s.message.SetText(err.Error())
		return
	}
	s.trustID.SetText("")
	s.trustNm.SetText("")
	s.message.SetText(T("settings.trust.changed"))
	s.reloadTrust()
	s.offerReverify()
}

func (s *settingsScreen) removeTrusted(id string) {
	if _, err := s.app.store.RemoveTrusted(id); err != nil {
		s.message.SetText(err.Error())
		return
	}
	s.message.SetText(T("settings.trust.changed"))
	s.reloadTrust()
	s.offerReverify()
}

// importTrust adds every issuer of a trust list file.
func (s *settingsScreen) importTrust() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			s.app.showErr(err)
			return
		}
		defer r.Close()
		b, err := io.ReadAll(io.LimitReader(r, 4<<20))
		if err == nil {
			var tl *credential.TrustList
			if tl, err = credential.ParseTrustList(r.URI().Path(), b); err == nil {
				err = s.app.store.AddTrusted(tl.Issuers...)
			}
		}
		if err != nil {
			s.app.showErr(fmt.Errorf("%s: %w", r.URI().Path(), err))
			return
		}
		s.message.SetText(T("settings.trust.changed"))
		s.reloadTrust()
		s.offerReverify()
	}, s.app.win)
}
