package data

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data/demo"
)

func TestCreateDemo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	rep, err := CreateDemo(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Rejections {
		t.Errorf("rejected: %s", r)
	}
	man, err := demo.ReadManifest()
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	expected := map[credential.Status]int{}
	for _, a := range append(append([]demo.Applicant(nil), man.Applicants...), man.Employees...) {
		want += len(a.Credentials)
		for _, c := range a.Credentials {
			expected[c.Expected]++
		}
	}
	if rep.Jobs != len(man.Jobs) || rep.Applicants != len(man.Applicants) || rep.Credentials != want {
		t.Errorf("loaded %d jobs, %d applicants, %d credentials; want %d, %d, %d", rep.Jobs, rep.Applicants, rep.Credentials, len(man.Jobs), len(man.Applicants), want)
	}
	for st, n := range expected {
		if rep.Statuses[st] != n {
			t.Errorf("%d credentials %s, manifest says %d (all: %v)", rep.Statuses[st], st, n, rep.Statuses)
		}
	}
	if rep.Employees != len(man.Employees) || rep.Teams != len(man.Teams) || len(man.Teams) < 2 || len(man.Employees) < 12 {
		t.Errorf("loaded %d employees in %d teams; the manifest has %d in %d, want at least 12 in 2", rep.Employees, rep.Teams, len(man.Employees), len(man.Teams))
	}
	if rep.Catalogue == 0 {
		t.Error("no catalogue items")
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	teams, err := s.Teams()
	if err != nil {
		t.Fatal(err)
	}
	members := map[string]int{}
	for _, a := range man.Employees {
		members[a.Team]++
	}
	for _, tm := range teams {
		if tm.Members != members[tm.Name] || tm.Members < 6 {
			t.Errorf("team %q has %d members, the manifest %d (want 6 or more)", tm.Name, tm.Members, members[tm.Name])
		}
		staff, err := s.Applicants(ApplicantFilter{Kind: KindEmployee, TeamID: tm.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range staff {
			if a.Credentials == 0 {
				t.Errorf("team %q: %s has no credentials", tm.Name, a.Name)
			}
		}
		if len(staff) != tm.Members {
			t.Errorf("team %q: %d employees listed, %d members", tm.Name, len(staff), tm.Members)
		}
	}
	if !s.IsDemo() || !s.Offline() || !s.AsOf().Equal(demo.Now) {
		t.Errorf("demo settings: demo %v offline %v as of %v", s.IsDemo(), s.Offline(), s.AsOf())
	}
	jobs, err := s.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		r, err := s.RankJob(context.Background(), j.ID, RankOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Fits) != 7 {
			t.Errorf("job %q: %d ranked, want the 7 of its pool", j.Title, len(r.Fits))
		}
		if len(r.Fits) > 0 && r.Fits[0].Score == 0 {
			t.Errorf("job %q: the best applicant scores 0", j.Title)
		}
	}
	if err := s.IntegrityCheck(); err != nil {
		t.Error(err)
	}
	if _, err := CreateDemo(context.Background(), path); err == nil {
		t.Error("CreateDemo over an existing file succeeded")
	}
}
