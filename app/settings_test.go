package app

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/skillmatch/skillmatch/credential"
)

func TestSettingsChangeTheWorkspace(t *testing.T) {
	a := newDemoApp(t, "en")
	s := a.settings
	a.ShowScreen("settings")

	// Offline mode is a workspace setting.
	was := a.store.Offline()
	test.Tap(s.offline)
	if a.store.Offline() == was {
		t.Error("offline mode not saved")
	}

	// The knock-out rule is saved and the ranking redone with it.
	ko := s.policy.KnockOut
	test.Tap(s.knockOut)
	p, err := a.store.Policy()
	if err != nil {
		t.Fatal(err)
	}
	if p.KnockOut == ko || a.policy.KnockOut == ko {
		t.Errorf("knock-out not saved: store %v, app %v", p.KnockOut, a.policy.KnockOut)
	}
	a.ranking.ranking.wait()
	for _, f := range a.rankState.fits {
		if f.KnockedOut && !p.KnockOut {
			t.Errorf("%s knocked out with knock-outs off", f.Applicant)
		}
	}
	// An invalid policy is refused with a message, not saved.
	bad := s.policy
	bad.MetThreshold = 7
	s.setPolicy(bad)
	if s.message.Text == "" || a.policy.MetThreshold == 7 {
		t.Errorf("invalid policy accepted; message %q", s.message.Text)
	}

	// Trust list: add an issuer, then remove it.
	test.Type(s.trustID, "did:web:training.example")
	test.Type(s.trustNm, "Example Training")
	s.addTrusted()
	tl, err := a.store.TrustList()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(tl.Issuers, func(i credential.TrustedIssuer) bool { return i.ID == "did:web:training.example" }) {
		t.Fatalf("issuer not added: %+v", tl.Issuers)
	}
	s.removeTrusted("did:web:training.example")
	tl, _ = a.store.TrustList()
	if slices.ContainsFunc(tl.Issuers, func(i credential.TrustedIssuer) bool { return i.ID == "did:web:training.example" }) {
		t.Error("issuer not removed")
	}
	s.trustID.SetText("")
	s.addTrusted()
	if s.message.Text != "Type the issuer’s DID or URL first." {
		t.Errorf("empty issuer ID: message %q", s.message.Text)
	}
}
