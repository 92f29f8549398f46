package data

import (
	"context"
	"testing"
	"time"

	"github.com/skillmatch/skillmatch/data/demo"
	"github.com/skillmatch/skillmatch/matcher"
)

// TestRankingPoolMatchesFullLoad ranks every demo job from the lean pool
// (relevant evidence only, verified counts from the applicants' columns)
// and from every credential loaded in full: scores, must-haves met and
// verified counts must agree, also at moments where some credentials are
// not yet valid or have expired (the lean pool then counts those people's
// rows).
func TestRankingPoolMatchesFullLoad(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	jobs, err := s.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	for _, now := range []time.Time{demo.Now, time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)} {
		for _, j := range jobs {
			t.Run(now.Format("2006")+"/"+j.Title, func(t *testing.T) {
				in, err := s.RankInput(ctx, j.ID, RankOptions{Now: now})
				if err != nil {
					t.Fatal(err)
				}
				full, err := s.RankingApplicants(ctx, ApplicantFilter{JobID: j.ID}, nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(in.Applicants) != len(full) || len(full) == 0 {
					t.Fatalf("lean pool %d, full %d", len(in.Applicants), len(full))
				}
				lean := 0
				for _, a := range in.Applicants {
					if a.Credentials != nil {
						t.Errorf("%s: credentials loaded in full", a.Name)
					}
					lean += len(a.Evidence)
				}
				all := 0
				for _, a := range full {
					all += len(a.Evidence)
				}
				if lean >= all {
					t.Errorf("lean pool reads %d evidence rows, the full load %d", lean, all)
				}
				sc := matcher.NewScorer(in.Taxonomy, in.Job.Requirements, in.Policy, now)
				a, err := matcher.RankContext(ctx, sc, in.Applicants, nil)
				if err != nil {
					t.Fatal(err)
				}
				b, err := matcher.RankContext(ctx, sc, full, nil)
				if err != nil {
					t.Fatal(err)
				}
				verified := 0
				for i := range a {
					if a[i].Applicant != b[i].Applicant || a[i].Score != b[i].Score || a[i].MustMet != b[i].MustMet || a[i].Verified != b[i].Verified {
						t.Errorf("#%d: lean %s %v %d/%d verified %d; full %s %v %d/%d verified %d", i+1,
							a[i].Name, a[i].Score, a[i].MustMet, a[i].MustTotal, a[i].Verified, b[i].Name, b[i].Score, b[i].MustMet, b[i].MustTotal, b[i].Verified)
					}
					verified += b[i].Verified
				}
				if verified == 0 && now.Equal(demo.Now) {
					t.Error("nobody has a verified credential: the comparison shows nothing")
				}
			})
		}
	}
}

// TestValidityColumns checks that the triggers keep each person's count of
// verified credentials and its validity window in step with the credential
// rows through status changes, date changes, deletions and erasure.
func TestValidityColumns(t *testing.T) {
	s := openDemo(t)
	check := func(step string) {
		t.Helper()
		var bad int
		err := s.r.QueryRow(`SELECT count(*) FROM applicants a WHERE
			a.valid_count <> (SELECT count(*) FROM credentials c WHERE c.applicant_id = a.id AND c.status = 'valid') OR
			a.valid_since <> (SELECT coalesce(max(c.valid_from), 0) FROM credentials c WHERE c.applicant_id = a.id AND c.status = 'valid') OR
			a.valid_expiring <> (SELECT coalesce(min(c.valid_until), 0) FROM credentials c WHERE c.applicant_id = a.id AND c.status = 'valid' AND c.valid_until > 0)`).Scan(&bad)
		if err != nil {
			t.Fatal(err)
		}
		if bad != 0 {
			t.Errorf("%s: %d people's validity columns disagree with their credentials", step, bad)
		}
	}
	check("demo")
	var total int
	if err := s.r.QueryRow("SELECT sum(valid_count) FROM applicants").Scan(&total); err != nil || total == 0 {
		t.Fatalf("sum of valid_count %d, err %v", total, err)
	}
	ctx := context.Background()
	steps := []struct{ name, sql string }{
		{"revoke", "UPDATE credentials SET status = 'revoked' WHERE id IN (SELECT id FROM credentials WHERE status = 'valid' ORDER BY id LIMIT 5)"},
		{"reinstate", "UPDATE credentials SET status = 'valid' WHERE id IN (SELECT id FROM credentials WHERE status = 'revoked' ORDER BY id LIMIT 3)"},
		{"expiry", "UPDATE credentials SET valid_until = unixepoch('2027-01-01') WHERE id IN (SELECT id FROM credentials WHERE status = 'valid' ORDER BY id DESC LIMIT 4)"},
		{"start", "UPDATE credentials SET valid_from = unixepoch('2026-09-01') WHERE id IN (SELECT id FROM credentials WHERE status = 'valid' ORDER BY id LIMIT 2)"},
		{"move", "UPDATE credentials SET applicant_id = applicant_id + 1 WHERE id = (SELECT max(id) FROM credentials WHERE status = 'valid') AND applicant_id + 1 IN (SELECT id FROM applicants)"},
		{"delete", "DELETE FROM credentials WHERE id IN (SELECT id FROM credentials WHERE status = 'valid' ORDER BY id LIMIT 3)"},
	}
	for _, st := range steps {
		if _, err := s.w.ExecContext(ctx, st.sql); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		check(st.name)
	}
	apps, err := s.Applicants(ApplicantFilter{Kind: KindApplicant, Limit: 1})
	if err != nil || len(apps) == 0 {
		t.Fatal(err)
	}
	if err := s.EraseApplicant(ctx, apps[0].ID); err != nil {
		t.Fatal(err)
	}
	check("erase")
}
