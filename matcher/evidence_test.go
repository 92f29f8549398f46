package matcher

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/skillmatch/skillmatch/credential"
)

func TestEvidenceFor(t *testing.T) {
	tax := rankTax(t)
	ex := NewExtractor(tax, nil)
	valid := credential.Verification{Status: credential.StatusValid, Checks: []credential.Check{
		{Name: credential.CheckIssuerTrust, Result: credential.ResultPass},
	}}
	issued := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	base := func(mod func(*credential.Credential)) *credential.Credential {
		c := &credential.Credential{
			Format: credential.FormatOB3, ID: "urn:uuid:1", IssuedAt: issued,
			Issuer: credential.Issuer{ID: "did:key:z6Mk", Name: "Northwind Academy"},
		}
		mod(c)
		return c
	}
	type want struct {
		comp   string
		link   LinkKind
		source string
	}
	tests := []struct {
		name string
		cred *credential.Credential
		want []want
	}{
		{"alignment by taxonomy ID", base(func(c *credential.Credential) {
			c.Achievement.Alignments = []credential.Alignment{{TargetURL: "python", TargetName: "Python"}}
		}), []want{{"python", LinkAlignment, "python"}}},
		{"alignment by ESCO URI, https spelling", base(func(c *credential.Credential) {
			c.Achievement.Alignments = []credential.Alignment{{TargetURL: "https://data.europa.eu/esco/skill/test-python", TargetFramework: "ESCO"}}
		}), []want{{"python", LinkAlignment, "https://data.europa.eu/esco/skill/test-python"}}},
		{"alignment by O*NET code", base(func(c *credential.Credential) {
			c.Achievement.Alignments = []credential.Alignment{{TargetURL: "https://example.org/onet", TargetCode: "2.B.3.test", TargetFramework: "O*NET"}}
		}), []want{{"sql", LinkAlignment, "2.B.3.test"}}},
		{"unknown alignment ignored", base(func(c *credential.Credential) {
			c.Achievement.Alignments = []credential.Alignment{{TargetURL: "https://example.org/unknown"}}
		}), nil},
		{"text of name, description and tags", base(func(c *credential.Credential) {
			c.Achievement.Name = "Containers with Docker"
			c.Achievement.Description = "Hands-on data analysis with SQL."
			c.Achievement.Tags = []string{"analytics"}
		}), []want{{"data-analysis", LinkText, "description"}, {"docker", LinkText, "name"}, {"sql", LinkText, "description"}}},
		{"alignment wins over text", base(func(c *credential.Credential) {
			c.Achievement.Name = "Python basics"
			c.Achievement.Alignments = []credential.Alignment{{TargetURL: "python"}}
		}), []want{{"python", LinkAlignment, "python"}}},
		{"criteria", base(func(c *credential.Credential) {
			c.Achievement.Name = "Capstone"
			c.Achievement.Criteria.Narrative = "Build a web service in Django."
		}), []want{{"django", LinkText, "criteria"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := EvidenceFor(tax, ex, tc.cred, valid)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d pieces of evidence %+v, want %d", len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.CompetencyID != w.comp || g.Link != w.link || g.Source != w.source {
					t.Errorf("evidence %d = %s/%s/%s, want %s/%s/%s", i, g.CompetencyID, g.Link, g.Source, w.comp, w.link, w.source)
				}
				if w.link == LinkAlignment && g.Score != 1 {
					t.Errorf("alignment score %v, want 1", g.Score)
				}
				if w.link == LinkText && (g.Score <= 0 || g.Score > 1 || len(g.Spans) == 0) {
					t.Errorf("text evidence without score or spans: %+v", g)
				}
				if g.Credential.Status != credential.StatusValid || !g.Credential.Trusted || !g.Credential.IssuedAt.Equal(issued) || g.Credential.Issuer != "Northwind Academy" {
					t.Errorf("credential ref %+v", g.Credential)
				}
			}
		})
	}
	// Without an extractor only alignments count.
	c := base(func(c *credential.Credential) { c.Achievement.Name = "Docker" })
	if got := EvidenceFor(tax, nil, c, valid); len(got) != 0 {
		t.Fatalf("nil extractor read the text: %+v", got)
	}
}

func TestEvidenceForCLR(t *testing.T) {
	tax := rankTax(t)
	inner := []*credential.Credential{
		{Format: credential.FormatOB3, ID: "urn:b", Achievement: credential.Achievement{Alignments: []credential.Alignment{{TargetURL: "sql"}}}},
		{Format: credential.FormatOB3, ID: "urn:a", Achievement: credential.Achievement{Alignments: []credential.Alignment{{TargetURL: "java"}}}},
	}
	clr := &credential.Credential{Format: credential.FormatCLR, ID: "urn:clr", Inner: inner}
	v := credential.Verification{Status: credential.StatusValid, Inner: []credential.Verification{
		{Status: credential.StatusValid}, {Status: credential.StatusRevoked},
	}}
	got := EvidenceFor(tax, nil, clr, v)
	if len(got) != 2 || got[0].Credential.ID != "urn:a" || got[0].Credential.Status != credential.StatusRevoked || got[1].CompetencyID != "sql" {
		t.Fatalf("CLR evidence %+v", got)
	}
	// An enclosed credential is never better than its record.
	v.Status = credential.StatusInvalid
	for _, e := range EvidenceFor(tax, nil, clr, v) {
		if e.Credential.Status != credential.StatusInvalid {
			t.Fatalf("inner evidence of an invalid CLR is %s", e.Credential.Status)
		}
	}
}

func TestCredentialLevel(t *testing.T) {
	tests := []struct {
		name string
		c    credential.Credential
		want Level
	}{
		{"achieved level", credential.Credential{Results: []credential.AwardResult{{AchievedLevel: "Advanced"}}}, LevelAdvanced},
		{"EQF alignment", credential.Credential{Achievement: credential.Achievement{Alignments: []credential.Alignment{{TargetURL: "http://data.europa.eu/snb/eqf/4"}}}}, LevelIntermediate},
		{"EQF 7", credential.Credential{Achievement: credential.Achievement{Alignments: []credential.Alignment{{TargetFramework: "EQF", TargetName: "level 7"}}}}, LevelExpert},
		{"name, English", credential.Credential{Achievement: credential.Achievement{Name: "Python Fundamentals"}}, LevelBasic},
		{"name, French", credential.Credential{Achievement: credential.Achievement{Name: "Excel — perfectionnement"}}, LevelAdvanced},
		{"CEFR", credential.Credential{Achievement: credential.Achievement{Name: "English B2"}}, LevelIntermediate},
		{"none", credential.Credential{Achievement: credential.Achievement{Name: "Forklift safety"}}, LevelNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := credentialLevel(&tc.c); got != tc.want {
				t.Fatalf("level %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRefFor(t *testing.T) {
	data, err := os.ReadFile("testdata/rank/roster-row.json")
	if err != nil {
		t.Fatal(err)
	}
	c := &credential.Credential{Format: credential.FormatRoster, Raw: data, Name: "First aid", ValidUntil: rankNow.Add(-24 * time.Hour)}
	r := RefFor(c, credential.Verification{Status: credential.StatusUnverifiable})
	if !r.SelfReported || r.Name != "First aid" || !strings.HasPrefix(r.ID, "sha256:") {
		t.Fatalf("ref %+v", r)
	}
	if s := r.EffectiveStatus(rankNow); s != credential.StatusExpired {
		t.Fatalf("a roster line past its expiry is %s, want expired", s)
	}
}
