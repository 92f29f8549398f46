package credential

import (
	"context"
	"strings"
	"testing"
)

func TestTransparency(t *testing.T) {
	w := issuerWeb(t)
	ob3, err := Parse(readFixture(t, "transparency/ob3-full.json"))
	if err != nil {
		t.Fatal(err)
	}
	hosted, err := Parse(readFixture(t, "ob2/assertion-hosted.json"))
	if err != nil {
		t.Fatal(err)
	}
	if res := (&Verifier{HTTPClient: w.client, Now: ob2Now}).Verify(context.Background(), hosted); res.Status != StatusValid {
		t.Fatalf("hosted: %s", detailText(res))
	}
	linked, err := Parse(readFixture(t, "ob2/assertion-hosted.json")) // not resolved: BadgeClass still a link
	if err != nil {
		t.Fatal(err)
	}
	roster, err := ParseRoster("r.csv", readFixture(t, "roster/good.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	type el struct {
		key, where string
		free       bool
	}
	tests := []struct {
		name    string
		c       *Credential
		present []el
		score   string
	}{
		{name: "OB 3.0 with every element", c: ob3, score: "11/11 (100%)", present: []el{
			{TElemLearner, "credentialSubject.name", false},
			{TElemTitle, "credentialSubject.achievement.name", false},
			{TElemCountry, "issuer.address", false},
			{TElemAwardingBody, "issuer.name", false},
			{TElemIssued, "validFrom", false},
			{TElemOutcomes, "credentialSubject.achievement.alignment", false},
			{TElemWorkload, "credentialSubject.achievement.creditsAvailable", false},
			{TElemLevel, "credentialSubject.achievement.alignment", false},
			{TElemAssessment, "credentialSubject.achievement.resultDescription", false},
			{TElemParticipation, "credentialSubject.achievement.description", true},
			{TElemQualityAssurance, "credentialSubject.achievement.endorsement", false},
		}},
		{name: "OB 2.0 hosted, resolved", c: hosted, score: "10/11 (91%)", present: []el{
			{TElemLearner, "recipient", false},
			{TElemTitle, "badge.name", false},
			{TElemCountry, "badge.issuer.address", false},
			{TElemAwardingBody, "badge.issuer.name", false},
			{TElemIssued, "issuedOn", false},
			{TElemOutcomes, "badge.alignment", false},
			{TElemWorkload, "badge.description", true},
			{TElemLevel, "badge.alignment", false},
			{TElemAssessment, "badge.criteria.narrative", true},
			{TElemParticipation, "badge.description", true},
		}},
		{name: "OB 2.0 with a linked BadgeClass, not resolved", c: linked, score: "2/11 (18%)", present: []el{
			{TElemLearner, "recipient", false},
			{TElemIssued, "issuedOn", false},
		}},
		{name: "roster row", c: roster[1].Credential, score: "4/11 (36%)", present: []el{
			{TElemLearner, "roster column name", false},
			{TElemTitle, "roster column title", false},
			{TElemAwardingBody, "roster column issuer", false},
			{TElemIssued, "roster column issued", false},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := TransparencyOf(tc.c)
			if p.String() != tc.score || p.Total != 11 || len(p.Elements) != 11 {
				t.Errorf("score %s (%d elements), want %s", p, len(p.Elements), tc.score)
			}
			want := map[string]el{}
			for _, e := range tc.present {
				want[e.key] = e
			}
			for _, e := range p.Elements {
				w, ok := want[e.Key]
				if e.Present != ok {
					t.Errorf("%s present=%v (%q at %s), want %v", e.Key, e.Present, e.Value, e.Where, ok)
					continue
				}
				if ok && (e.Where != w.where || e.FreeText != w.free || e.Value == "") {
					t.Errorf("%s found at %q (free text %v, value %q), want %q (free text %v)", e.Key, e.Where, e.FreeText, e.Value, w.where, w.free)
				}
				if e.Label == "" {
					t.Errorf("%s has no label", e.Key)
				}
			}
		})
	}
	// Hashed identities are never shown.
	for _, e := range TransparencyOf(linked).Elements {
		if strings.Contains(e.Value, "sha256$") {
			t.Errorf("%s shows the hash %q", e.Key, e.Value)
		}
	}
}
