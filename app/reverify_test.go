package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data"
)

// northgate is the demo's Northgate Skills Institute, on its trust list.
const northgate = "did:key:z6Mki1mbCpcNFQmd3Ao6Xb2ywB3vtMvH9X5mpiHj1tcy719Z"

// overlayText is the text of every dialog open on the window.
func overlayText(a *App) string {
	var b strings.Builder
	for _, o := range a.Window().Canvas().Overlays().List() {
		for _, x := range test.LaidOutObjects(o) {
			b.WriteString(strings.Join(texts(x), "\n"))
			b.WriteString("\n")
		}
	}
	return b.String()
}

// overlayButtons returns the buttons labelled text in the open dialogs.
func overlayButtons(a *App, text string) []*widget.Button {
	var out []*widget.Button
	for _, o := range a.Window().Canvas().Overlays().List() {
		for _, x := range test.LaidOutObjects(o) {
			if b, ok := x.(*widget.Button); ok && b.Text == text {
				out = append(out, b)
			}
		}
	}
	return out
}

// poolCredential returns the credential titled title of the named
// applicant in the app's pool.
func poolCredential(t *testing.T, a *App, name, title string) *data.StoredCredential {
	t.Helper()
	for _, p := range a.pool.applicants {
		if p.Stored.Name != name {
			continue
		}
		for _, c := range p.Credentials {
			if c.Ref.Name == title {
				return c
			}
		}
	}
	t.Fatalf("%s has no credential %q in the pool", name, title)
	return nil
}

// otherNorthgateHolder returns an applicant other than Viktor Sato who
// holds a trusted Northgate credential, and its title, to see that
// re-verifying one person leaves the others alone.
func otherNorthgateHolder(t *testing.T, a *App) (name, title string) {
	t.Helper()
	for _, p := range a.pool.applicants {
		if p.Stored.Name == "Viktor Sato" {
			continue
		}
		for _, c := range p.Credentials {
			if c.Ref.IssuerID == northgate && c.Ref.Trusted {
				return p.Stored.Name, c.Ref.Name
			}
		}
	}
	t.Fatal("nobody but Viktor Sato holds a trusted Northgate credential")
	return "", ""
}

func TestReverifyFromTheApplicantsScreen(t *testing.T) {
	tests := []struct {
		name string
		tap  func(s *applicantsScreen) *widget.Button
		// report is what the report dialog must say.
		report []string
		// othersToo is whether people other than Viktor Sato are
		// re-verified.
		othersToo bool
	}{
		{
			name:      "everyone",
			tap:       func(s *applicantsScreen) *widget.Button { return s.reverifyAll },
			report:    []string{"Re-verified 57 people (", "No credential changed status.", "no longer trusted", "• Viktor Sato — Canadian Electrical Code in Practice: issuer no longer trusted"},
			othersToo: true,
		},
		{
			name:   "the selected applicant",
			tap:    func(s *applicantsScreen) *widget.Button { return s.reverifyOne },
			report: []string{"Re-verified 1 person (7 credentials).", "• Viktor Sato — Canadian Electrical Code in Practice: issuer no longer trusted"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newDemoApp(t, "en")
			a.ShowScreen("applicants")
			s := a.applicants
			other, otherTitle := otherNorthgateHolder(t, a)
			if !poolCredential(t, a, "Viktor Sato", "Canadian Electrical Code in Practice").Ref.Trusted {
				t.Fatal("the demo's Viktor Sato holds no trusted Northgate credential")
			}
			// Northgate leaves the trust list; the stored results still say
			// trusted until the credentials are verified again.
			if _, err := a.store.RemoveTrusted(northgate); err != nil {
				t.Fatal(err)
			}
			test.Type(s.search, "sato")
			s.list.Select(0)
			if s.selected == "" || a.pool.applicant(s.selected).Stored.Name != "Viktor Sato" {
				t.Fatalf("selected %q, want Viktor Sato", s.selected)
			}
			test.Tap(tt.tap(s))
			a.reverifying.wait()
			a.poolLoad.wait()

			report := overlayText(a)
			for _, w := range tt.report {
				if !strings.Contains(report, w) {
					t.Errorf("report lacks %q:\n%s", w, report)
				}
			}
			// The lists show the new results.
			if poolCredential(t, a, "Viktor Sato", "Canadian Electrical Code in Practice").Ref.Trusted {
				t.Error("Viktor Sato's Northgate credential still trusted after re-verification")
			}
			if got := poolCredential(t, a, other, otherTitle).Ref.Trusted; got == tt.othersToo {
				t.Errorf("%s's Northgate credential trusted = %v after re-verifying %s", other, got, tt.name)
			}
			// The applicant's page is shown again, without the trust mark.
			page := strings.Join(texts(s.page), "\n")
			if !strings.Contains(page, "Viktor Sato") || strings.Contains(page, "Northgate Skills Institute (trusted)") {
				t.Errorf("applicant page after re-verification:\n%s", page)
			}
		})
	}
}

func TestReverifyReportText(t *testing.T) {
	v, x, r := credential.StatusValid, credential.StatusExpired, credential.StatusRevoked
	many := &data.ReverifyReport{People: 60, Total: 60, Credentials: 300}
	for i := range reverifyListLimit + 3 {
		many.Changes = append(many.Changes, data.CredentialChange{Applicant: fmt.Sprint("P", i), Title: "First Aid", From: v, To: x})
	}
	tests := []struct {
		name, lang string
		rep        *data.ReverifyReport
		err        error
		want       []string
		not        []string
	}{
		{
			name: "nothing changed", lang: "en",
			rep:  &data.ReverifyReport{People: 1, Total: 1, Credentials: 4},
			want: []string{"Re-verified 1 person (4 credentials).", "No credential changed status."},
			not:  []string{"•", "trust"},
		},
		{
			name: "statuses and trust", lang: "en",
			rep: &data.ReverifyReport{People: 3, Total: 3, Credentials: 9, Changes: []data.CredentialChange{
				{Applicant: "Ana", Title: "Forklift", From: v, To: r},
				{Applicant: "Ben", Title: "WHMIS", From: "", To: v, TrustedAfter: true},
				{Applicant: "Ben", Title: "CPR", From: v, To: v, TrustedBefore: true},
			}},
			want: []string{"Re-verified 3 people (9 credentials).", "2 credentials changed status:", "not verified → valid: 1", "valid → revoked: 1",
				"Issuer trust changed for 2 credentials: 1 now trusted, 1 no longer trusted.",
				"• Ana — Forklift: valid → revoked", "• Ben — WHMIS: not verified → valid, issuer now trusted", "• Ben — CPR: issuer no longer trusted"},
		},
		{
			name: "in French", lang: "fr",
			rep: &data.ReverifyReport{People: 2, Total: 2, Credentials: 5, Changes: []data.CredentialChange{
				{Applicant: "Ana", Title: "Cariste", From: v, To: x},
			}},
			want: []string{"2 personnes revérifiées (5 titres).", "1 titre a changé de statut :", "valide → expiré : 1", "• Ana — Cariste : valide → expiré"},
		},
		{
			name: "cancelled", lang: "en",
			rep:  &data.ReverifyReport{People: 2, Total: 57, Credentials: 11},
			err:  fmt.Errorf("verifying: %w", context.Canceled),
			want: []string{"Stopped after 2 of 57 people; the new results of those finished are kept.", "Re-verified 2 people (11 credentials)."},
		},
		{
			name: "failed before starting", lang: "en",
			err:  errors.New("workspace w.skillmatch: disk I/O error"),
			want: []string{"The re-verification stopped: workspace w.skillmatch: disk I/O error"},
			not:  []string{"Re-verified"},
		},
		{
			name: "long list is cut", lang: "en",
			rep:  many,
			want: []string{fmt.Sprintf("%d credentials changed status:", reverifyListLimit+3), "• P0 — First Aid", fmt.Sprintf("• P%d — First Aid", reverifyListLimit-1), "… and 3 more."},
			not:  []string{fmt.Sprintf("• P%d — First Aid", reverifyListLimit)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := setLanguage(tt.lang); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = setLanguage("") })
			got := reverifyReport(tt.rep, tt.err)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("report lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("report has %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestReverifyJobCancelled stops a re-verification after the first
// person, as the Cancel button does: what was finished is kept and said.
func TestReverifyJobCancelled(t *testing.T) {
	_ = setLanguage("en")
	t.Cleanup(func() { _ = setLanguage("") })
	st := demoStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := reverifyJob(ctx, st, 0, func(done, total int) {
		if done == 1 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if rep == nil || rep.People != 1 || rep.Total != 57 {
		t.Fatalf("report %+v, want 1 of 57 people", rep)
	}
	if got := reverifyReport(rep, err); !strings.Contains(got, "Stopped after 1 of 57 people") {
		t.Errorf("report: %s", got)
	}
}

func TestProgressDialog(t *testing.T) {
	a := newTestApp(t, Options{})
	p := showProgress("Working", "Starting…", a.Window())
	if got := overlayText(a); !strings.Contains(got, "Starting…") || !strings.Contains(got, "Cancel") {
		t.Fatalf("progress dialog shows %q", got)
	}
	p.set(1, 4, "1 of 4")
	if p.bar.Value != 0.25 || p.msg.Text != "1 of 4" {
		t.Errorf("after set: bar %v, message %q", p.bar.Value, p.msg.Text)
	}
	p.set(0, 0, "nothing to do")
	if p.bar.Value != 0 {
		t.Errorf("0 of 0: bar %v", p.bar.Value)
	}
	test.Tap(p.stop)
	if p.ctx.Err() == nil {
		t.Error("Cancel did not cancel the work's context")
	}
	p.hide()
	if top := a.Window().Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog is still open: %q", texts(top))
	}
}

func TestSettingsOfferReverify(t *testing.T) {
	tests := []struct {
		name string
		// change changes a setting the stored results depend on.
		change func(s *settingsScreen)
		accept bool
		// trusted is whether Viktor Sato's Northgate credential is trusted
		// in the pool afterwards.
		trusted bool
	}{
		{"trust list, accepted", func(s *settingsScreen) { s.removeTrusted(northgate) }, true, false},
		{"trust list, later", func(s *settingsScreen) { s.removeTrusted(northgate) }, false, true},
		{"offline mode, later", func(s *settingsScreen) { test.Tap(s.offline) }, false, true},
		{"two changes, one question", func(s *settingsScreen) {
			s.removeTrusted(northgate)
			test.Type(s.trustID, "did:web:training.example")
			s.addTrusted()
		}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newDemoApp(t, "en")
			a.ShowScreen("settings")
			tt.change(a.settings)
			if !strings.Contains(overlayText(a), "Re-verify all credentials now?") {
				t.Fatalf("no offer to re-verify after the change; dialogs: %q", overlayText(a))
			}
			answer := T("reverify.later")
			if tt.accept {
				answer = T("reverify.now")
			}
			buttons := overlayButtons(a, answer)
			if len(buttons) != 1 {
				t.Fatalf("%d %q buttons open, want the one of a single question", len(buttons), answer)
			}
			test.Tap(buttons[0])
			a.reverifying.wait()
			a.poolLoad.wait()
			if a.settings.offering {
				t.Error("the question is still marked open after it was answered")
			}
			report := overlayText(a)
			if ran := strings.Contains(report, "Re-verified 57 people"); ran != tt.accept {
				t.Errorf("re-verification ran = %v after answering %q; dialogs:\n%s", ran, answer, report)
			}
			if got := poolCredential(t, a, "Viktor Sato", "Canadian Electrical Code in Practice").Ref.Trusted; got != tt.trusted {
				t.Errorf("Viktor Sato's Northgate credential trusted = %v, want %v", got, tt.trusted)
			}
		})
	}
}

func TestSettingsReverifyButton(t *testing.T) {
	a := newDemoApp(t, "fr")
	a.ShowScreen("settings")
	if a.settings.reverify == nil || a.settings.reverify.Text != "Revérifier tous les titres…" {
		t.Fatalf("Settings has no re-verify button in French: %+v", a.settings.reverify)
	}
	test.Tap(a.settings.reverify)
	a.reverifying.wait()
	a.poolLoad.wait()
	if got := overlayText(a); !strings.Contains(got, "57 personnes revérifiées") || !strings.Contains(got, "Aucun titre n’a changé de statut.") {
		t.Errorf("report in French:\n%s", got)
	}
}

// TestTaxonomySwitchReindexes imports a taxonomy that names a competency
// differently: the workspace's search index (used by the command line's
// "applicants competency:…") finds the applicants by the new label.
func TestTaxonomySwitchReindexes(t *testing.T) {
	st := demoStore(t)
	a := newTestApp(t, Options{Store: st})
	a.waitIdle()
	search := func(q string) []string {
		t.Helper()
		res, err := st.Search(context.Background(), q, data.ApplicantFilter{Kind: data.KindApplicant}, 100)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range res.Applicants {
			names = append(names, p.Name)
		}
		return names
	}
	if got := search("competency:zorblax"); len(got) != 0 {
		t.Fatalf("competency:zorblax finds %v before the switch", got)
	}
	a.taxonomy.importSpec("default+csv:testdata/relabel.csv")
	a.taxonomy.importing.wait()
	if a.tax == nil || a.tax.Name != "default+csv:testdata/relabel.csv" {
		t.Fatalf("taxonomy after the import: %v", a.tax)
	}
	got := search("competency:zorblax")
	if !strings.Contains(strings.Join(got, ","), "Kofi Mensah") {
		t.Errorf("competency:zorblax finds %v after the switch, want Kofi Mensah among them", got)
	}
	if shown := overlayText(a); strings.Contains(shown, "search index") {
		t.Errorf("an index error is shown:\n%s", shown)
	}
}
