package credential

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseRoster(t *testing.T) {
	entries, err := ParseRoster("good.csv", readFixture(t, "roster/good.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Fatalf("%d entries, want 3", len(entries))
	}
	a := entries[0].Credential
	if entries[0].Line != 2 || a.Format != FormatRoster || a.Subject.Name != "Alice Martin" || a.Achievement.Name != "Data Analysis Fundamentals" ||
		a.Issuer.Name != "Example Institute of Technology" || !a.IssuedAt.Equal(time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)) ||
		!a.ValidUntil.Equal(time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("first row: %+v", a)
	}
	if len(a.Achievement.Alignments) != 2 || a.Achievement.Alignments[0].TargetURL == "" || a.Achievement.Alignments[1].TargetCode != "S2.7.1" {
		t.Errorf("alignments %+v", a.Achievement.Alignments)
	}
	if !strings.HasPrefix(string(a.Raw), "Applicant name,E-mail") || !strings.HasSuffix(string(a.Raw), "verified by HR") {
		t.Errorf("Raw %q does not keep the header and the row", a.Raw)
	}
	c := entries[2].Credential
	if c.Achievement.Name != "Project management, advanced" || len(c.Achievement.Alignments) != 2 || c.Achievement.Alignments[1].TargetCode != "skill:agile" {
		t.Errorf("quoted row: %+v", c.Achievement)
	}
	semi, err := ParseRoster("semicolon.csv", readFixture(t, "roster/semicolon.csv"), nil)
	if err != nil || len(semi) != 1 || semi[0].Credential.Subject.Name != "Dana Kovač" || semi[0].Credential.Issuer.Name != "Technical College" {
		t.Fatalf("semicolon roster: %+v, %v", semi, err)
	}
}

func TestParseRosterErrors(t *testing.T) {
	tests := []struct {
		file string
		good int
		want []string
	}{
		{file: "errors.csv", good: 1, want: []string{
			`errors.csv:3:9: email: "bob at example.org" is not an e-mail address; write it as name@example.org`,
			`errors.csv:4:28: title: the credential title is empty; every row needs one`,
			`errors.csv:5:48: issued: "15/03/2024" is not a date; write it as YYYY-MM-DD (e.g. 2024-03-31)`,
			`errors.csv:6:54: expires: the expiry date 2023-01-01 is not after the issue date 2024-01-01`,
			`errors.csv:7: the row has 3 fields but the header has 6; quote fields that contain the delimiter ","`,
			`errors.csv:8: the same credential for alice@example.org is already on line 2; remove one of the two rows`,
		}},
		{file: "bad-header.csv", want: []string{
			`bad-header.csv:1:25: unknown column "expiery"; the columns are name, email, title, issuer, issued, expires, competencies, badge (and notes, which is ignored)`,
			`bad-header.csv:1: no "issuer" column; the header must name the columns name, email, title, issuer, issued`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			entries, err := ParseRoster(tc.file, readFixture(t, "roster/"+tc.file), nil)
			if len(entries) != tc.good {
				t.Errorf("%d good rows, want %d", len(entries), tc.good)
			}
			var rerr *RosterError
			if !errors.As(err, &rerr) {
				t.Fatalf("error %v is not a *RosterError", err)
			}
			var got []string
			for _, p := range rerr.Problems {
				got = append(got, p.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			var p RosterProblem
			if !errors.As(err, &p) || p.File != tc.file {
				t.Errorf("errors.As(RosterProblem) = %+v", p)
			}
		})
	}
}

func TestRosterVerification(t *testing.T) {
	w := issuerWeb(t)
	entries, err := ParseRoster("good.csv", readFixture(t, "roster/good.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		row     int
		offline bool
		want    Status
		proof   Result
		detail  string
	}{
		{row: 0, want: StatusValid, proof: ResultPass, detail: "badge: "},
		{row: 0, offline: true, want: StatusUnverifiable, proof: ResultSkip, detail: "self-reported"},
		{row: 1, want: StatusUnverifiable, proof: ResultSkip, detail: "self-reported"},
		{row: 2, want: StatusExpired, proof: ResultSkip, detail: "expired"},
	}
	for _, tc := range tests {
		c := entries[tc.row].Credential
		res := (&Verifier{HTTPClient: w.client, Now: ob2Now, Offline: tc.offline}).Verify(context.Background(), c)
		if res.Status != tc.want {
			t.Errorf("row %d: status %s, want %s:\n%s", tc.row, res.Status, tc.want, detailText(res))
		}
		if got := checkResults(res)[CheckProof]; got != tc.proof {
			t.Errorf("row %d: proof %s, want %s", tc.row, got, tc.proof)
		}
		if !strings.Contains(detailText(res), tc.detail) {
			t.Errorf("row %d: no check mentions %q:\n%s", tc.row, tc.detail, detailText(res))
		}
	}
}

func TestRosterBadgeFile(t *testing.T) {
	w := issuerWeb(t)
	dir := t.TempDir()
	roster := "name,email,title,issuer,issued,badge\n" +
		"Alice Martin,alice@example.org,Data Analysis Fundamentals,Example Institute,2024-03-15,alice.json\n" +
		"Bob Lee,bob@example.org,Data Analysis Fundamentals,Example Institute,2024-03-15,alice.json\n" +
		"Carl Berg,carl@example.org,Welding,Example Institute,2024-03-15,missing.json\n"
	if err := os.WriteFile(filepath.Join(dir, "roster.csv"), []byte(roster), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "alice.json"), readFixture(t, "ob2/assertion-hosted.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	items, err := ReadPath(filepath.Join(dir, "roster.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items: %+v", len(items), items)
	}
	if items[2].Err == nil || !strings.Contains(items[2].Err.Error(), `roster.csv:4:65: badge: badge file "missing.json": not found next to the roster`) {
		t.Errorf("missing badge file: %v", items[2].Err)
	}
	v := &Verifier{HTTPClient: w.client, Now: ob2Now}
	if res := v.Verify(context.Background(), items[0].Credential); res.Status != StatusValid {
		t.Errorf("Alice backed by her badge: %s\n%s", res.Status, detailText(res))
	}
	res := v.Verify(context.Background(), items[1].Credential)
	if res.Status != StatusInvalid || checkResults(res)[CheckRecipient] != ResultFail {
		t.Errorf("Bob claiming Alice's badge: %s\n%s", res.Status, detailText(res))
	}
}

func FuzzParseRoster(f *testing.F) {
	for _, name := range []string{"good.csv", "errors.csv", "semicolon.csv", "bad-header.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", "roster", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseRoster("f.csv", data, nil)
		var rerr *RosterError
		if err != nil && !errors.As(err, &rerr) {
			t.Fatalf("error of type %T", err)
		}
		if rerr != nil {
			for _, p := range rerr.Problems {
				if p.Line < 1 || p.File != "f.csv" {
					t.Fatalf("problem without a position: %+v", p)
				}
			}
		}
		for _, e := range entries {
			c := e.Credential
			if c.Achievement.Name == "" || c.Subject.ID == "" || c.IssuedAt.IsZero() {
				t.Fatalf("row %d accepted without title, e-mail or date", e.Line)
			}
		}
	})
}
