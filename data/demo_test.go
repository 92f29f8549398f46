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
	for _, a := range man.Applicants {
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
	if rep.Catalogue == 0 {
		t.Error("no catalogue items")
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
