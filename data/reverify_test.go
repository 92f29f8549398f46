package data

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/skillmatch/skillmatch/credential"
)

// demoVerifier is the workspace's verifier as of t (zero: the demo's
// moment), as the CLI and the app build it.
func demoVerifier(t *testing.T, s *Store, at time.Time) *credential.Verifier {
	t.Helper()
	v, cleanup, err := s.Verifier()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	v.Now = s.AsOf()
	if !at.IsZero() {
		v.Now = at
	}
	return v
}

func TestReverifyReported(t *testing.T) {
	later := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		// prepare changes the workspace before the run and returns the
		// applicant to re-verify (0: everyone).
		prepare func(t *testing.T, s *Store) int64
		at      time.Time
		// check inspects the report.
		check func(t *testing.T, s *Store, rep *ReverifyReport)
	}{
		{
			name: "same moment, nothing changes",
			check: func(t *testing.T, s *Store, rep *ReverifyReport) {
				c, err := s.Counts()
				if err != nil {
					t.Fatal(err)
				}
				if rep.People != c.Applicants+c.Employees || rep.Total != rep.People {
					t.Errorf("people %d of %d, want %d", rep.People, rep.Total, c.Applicants+c.Employees)
				}
				if rep.Credentials != c.Credentials {
					t.Errorf("credentials %d, want %d", rep.Credentials, c.Credentials)
				}
				if len(rep.Changes) != 0 {
					t.Errorf("changes %+v, want none", rep.Changes)
				}
			},
		},
		{
			name: "years later, valid credentials expire",
			at:   later,
			check: func(t *testing.T, s *Store, rep *ReverifyReport) {
				if rep.StatusChanges() == 0 {
					t.Fatal("no status changed five years after the demo's moment")
				}
				found := false
				for _, tr := range rep.Transitions() {
					if tr.From == credential.StatusValid && tr.To == credential.StatusExpired && tr.Count > 0 {
						found = true
					}
				}
				if !found {
					t.Errorf("transitions %+v have no valid→expired", rep.Transitions())
				}
				for _, ch := range rep.Changes {
					stored, err := s.Credential(ch.CredentialID)
					if err != nil {
						t.Fatal(err)
					}
					if stored.Ref.Status != ch.To || stored.ApplicantID != ch.ApplicantID {
						t.Errorf("credential %d: report says %s for applicant %d, stored %s for %d", ch.CredentialID, ch.To, ch.ApplicantID, stored.Ref.Status, stored.ApplicantID)
					}
				}
				// The search index follows: status:expired finds the holders.
				res, err := s.Search(context.Background(), "status:expired", ApplicantFilter{}, 0)
				if err != nil {
					t.Fatal(err)
				}
				holder := rep.Changes[0].ApplicantID
				if !containsApplicant(res.Applicants, holder) {
					t.Errorf("status:expired does not find applicant %d after re-verification", holder)
				}
			},
		},
		{
			name: "issuer removed from the trust list",
			prepare: func(t *testing.T, s *Store) int64 {
				tl, err := s.TrustList()
				if err != nil {
					t.Fatal(err)
				}
				for _, is := range tl.Issuers {
					if _, err := s.RemoveTrusted(is.ID); err != nil {
						t.Fatal(err)
					}
				}
				return 0
			},
			check: func(t *testing.T, s *Store, rep *ReverifyReport) {
				in, out := rep.TrustChanges()
				if in != 0 || out == 0 {
					t.Errorf("trust changes: %d now trusted, %d no longer; want 0 and some", in, out)
				}
				for _, ch := range rep.Changes {
					if ch.TrustedAfter {
						t.Errorf("credential %d still trusted with an empty trust list", ch.CredentialID)
					}
				}
			},
		},
		{
			name: "one applicant",
			prepare: func(t *testing.T, s *Store) int64 {
				return firstWithCredentials(t, s)
			},
			at: later,
			check: func(t *testing.T, s *Store, rep *ReverifyReport) {
				id := firstWithCredentials(t, s)
				creds, err := s.Credentials(id)
				if err != nil {
					t.Fatal(err)
				}
				if rep.People != 1 || rep.Total != 1 || rep.Credentials != len(creds) {
					t.Errorf("people %d of %d, credentials %d; want 1 of 1, %d", rep.People, rep.Total, rep.Credentials, len(creds))
				}
				for _, ch := range rep.Changes {
					if ch.ApplicantID != id {
						t.Errorf("change %+v is not applicant %d's", ch, id)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openDemo(t)
			var id int64
			if tt.prepare != nil {
				id = tt.prepare(t, s)
			}
			v := demoVerifier(t, s, tt.at)
			calls := 0
			rep, err := s.ReverifyReported(context.Background(), id, v, func(done, total int) {
				calls++
				if done != calls {
					t.Errorf("progress %d/%d at call %d", done, total, calls)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if calls != rep.Total {
				t.Errorf("progress called %d times for %d people", calls, rep.Total)
			}
			tt.check(t, s, rep)
		})
	}
}

func firstWithCredentials(t *testing.T, s *Store) int64 {
	t.Helper()
	all, err := s.Applicants(ApplicantFilter{Kind: KindApplicant})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.Credentials > 1 {
			return a.ID
		}
	}
	t.Fatal("the demo has no applicant with two credentials")
	return 0
}

func containsApplicant(as []*Applicant, id int64) bool {
	for _, a := range as {
		if a.ID == id {
			return true
		}
	}
	return false
}

func TestReverifyReportedCancel(t *testing.T) {
	s := openDemo(t)
	v := demoVerifier(t, s, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := s.ReverifyReported(ctx, 0, v, func(done, total int) {
		if done == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if rep == nil || rep.People != 2 || rep.Total <= 2 {
		t.Fatalf("report %+v, want 2 people finished of all", rep)
	}
	all, err := s.Applicants(ApplicantFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, a := range all[:2] {
		want += a.Credentials
	}
	if rep.Credentials != want {
		t.Errorf("credentials %d, want %d (those of the first two people)", rep.Credentials, want)
	}
	for _, ch := range rep.Changes {
		if ch.ApplicantID != all[0].ID && ch.ApplicantID != all[1].ID {
			t.Errorf("change %+v is of a person not re-verified", ch)
		}
	}
}

func TestReverifyReportedUnknownApplicant(t *testing.T) {
	s := openDemo(t)
	v := demoVerifier(t, s, time.Time{})
	rep, err := s.ReverifyReported(context.Background(), 999999, v, nil)
	if !errors.Is(err, ErrNotFound) || rep != nil {
		t.Fatalf("got %+v, %v; want ErrNotFound and no report", rep, err)
	}
}

func TestReverifyReportTransitions(t *testing.T) {
	v, x, r, u := credential.StatusValid, credential.StatusExpired, credential.StatusRevoked, credential.Status("")
	tests := []struct {
		name        string
		changes     []CredentialChange
		transitions []Transition
		statuses    int
		in, out     int
	}{
		{name: "none", transitions: []Transition{}},
		{
			name: "most frequent first, ties by from then to",
			changes: []CredentialChange{
				{From: v, To: r}, {From: v, To: x}, {From: v, To: x}, {From: u, To: v},
				{From: v, To: v, TrustedBefore: true},
				{From: x, To: x, TrustedAfter: true},
			},
			transitions: []Transition{{v, x, 2}, {u, v, 1}, {v, r, 1}},
			statuses:    4,
			in:          1, out: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &ReverifyReport{Changes: tt.changes}
			if got := rep.Transitions(); !reflect.DeepEqual(got, tt.transitions) {
				t.Errorf("Transitions() = %+v, want %+v", got, tt.transitions)
			}
			if got := rep.StatusChanges(); got != tt.statuses {
				t.Errorf("StatusChanges() = %d, want %d", got, tt.statuses)
			}
			if in, out := rep.TrustChanges(); in != tt.in || out != tt.out {
				t.Errorf("TrustChanges() = %d, %d; want %d, %d", in, out, tt.in, tt.out)
			}
		})
	}
}
