package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/data/demo"
	"github.com/skillmatch/skillmatch/matcher"
)

func TestRankingStateSort(t *testing.T) {
	fits := []matcher.Fit{
		{Applicant: "1", Name: "Bea", Rank: 1, Score: 80, MustMet: 2, MustTotal: 2, Verified: 3},
		{Applicant: "2", Name: "Al", Rank: 2, Score: 60, MustMet: 1, MustTotal: 2, Verified: 5, KnockedOut: true},
		{Applicant: "3", Name: "Cy", Rank: 3, Score: 60, MustMet: 2, MustTotal: 2, Verified: 1},
	}
	tests := []struct {
		clicks []int
		want   []string // applicant IDs in display order
	}{
		{nil, []string{"1", "2", "3"}},
		{[]int{colName}, []string{"2", "1", "3"}},          // Al, Bea, Cy
		{[]int{colName, colName}, []string{"3", "1", "2"}}, // reversed
		{[]int{colFit}, []string{"1", "2", "3"}},           // best first; the tie keeps rank order
		{[]int{colFit, colFit}, []string{"2", "3", "1"}},   // lowest first, tie in rank order
		{[]int{colVerified}, []string{"2", "1", "3"}},      // most verified first
		{[]int{colKnockOut}, []string{"2", "1", "3"}},      // knocked out first
		{[]int{colMust}, []string{"1", "3", "2"}},          // all must-haves met first
		{[]int{colFit, colRank}, []string{"1", "2", "3"}},  // back to rank order
		{[]int{colRank}, []string{"3", "2", "1"}},          // rank reversed
		{[]int{colStage}, []string{"1", "2", "3"}},         // no stages: rank order
	}
	for _, tt := range tests {
		s := newRankingState()
		s.setFits(fits)
		for _, c := range tt.clicks {
			s.sortBy(c)
		}
		var got []string
		for r := range s.order {
			got = append(got, s.row(r).Applicant)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("after clicking %v: %v, want %v", tt.clicks, got, tt.want)
		}
	}
}

func TestRankingStateBlindMode(t *testing.T) {
	if err := setLanguage("en"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = setLanguage("") })
	s := newRankingState()
	s.alias = map[string]int{"1": 7, "2": 3}
	s.setFits([]matcher.Fit{{Applicant: "1", Name: "Bea", Rank: 1}, {Applicant: "2", Name: "Al", Rank: 2}})
	s.setBlind(true)
	if got := s.name(0); got != "Applicant 07" {
		t.Errorf("blind name = %q", got)
	}
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	s.reveal("1", now)
	s.reveal("1", now) // revealing twice logs once
	if s.name(0) != "Bea" || s.name(1) != "Applicant 03" {
		t.Errorf("after reveal: %q %q", s.name(0), s.name(1))
	}
	if len(s.audit) != 1 || s.audit[0].Applicant != "1" || !s.audit[0].At.Equal(now) {
		t.Errorf("audit = %+v", s.audit)
	}
	s.setBlind(false)
	s.setBlind(true)
	if s.name(0) != "Applicant 07" {
		t.Error("turning blind mode on again does not hide revealed names")
	}
}

func TestRankingScreenOnTheDemoWorkspace(t *testing.T) {
	a := newDemoApp(t, "en")
	a.ShowScreen("ranking")
	r := a.ranking
	job := a.currentJob()
	if job == nil || len(r.st.fits) == 0 {
		t.Fatalf("no ranking for job %v", job)
	}
	// Ranks are 1..n in order, as the matcher ranked them, and the
	// ranking is the one data.RankJob computes for the saved job.
	want, err := a.store.RankJob(t.Context(), job.ID, data.RankOptions{Now: demo.Now})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Fits) != len(r.st.fits) {
		t.Fatalf("%d fits, RankJob gives %d", len(r.st.fits), len(want.Fits))
	}
	for i := range want.Fits {
		if got := r.st.row(i); got.Rank != i+1 || got.Applicant != want.Fits[i].Applicant || got.Score != want.Fits[i].Score {
			t.Errorf("row %d = %s rank %d score %v, RankJob: %s %v", i, got.Applicant, got.Rank, got.Score, want.Fits[i].Applicant, want.Fits[i].Score)
		}
	}
	// Selecting the top applicant opens the explanation.
	top := r.st.row(0)
	r.table.Select(widgetCell(0, colName))
	expl := r.explain.String()
	if !strings.Contains(expl, top.Name) || !strings.Contains(expl, "Rank 1") || !strings.Contains(expl, "Requirement by requirement") {
		t.Errorf("explanation of the top applicant:\n%s", expl)
	}

	// Blind mode hides names everywhere until revealed; the reveal is
	// written to the workspace's audit log.
	test.Tap(r.blind)
	if name := r.st.name(r.st.order[0]); strings.Contains(name, top.Name) || !strings.HasPrefix(name, "Applicant ") {
		t.Errorf("blind table name = %q", name)
	}
	for _, f := range r.st.fits {
		if strings.Contains(r.explain.String(), f.Name) {
			t.Errorf("blind explanation names %s:\n%s", f.Name, r.explain.String())
		}
	}
	if !r.reveal.Visible() {
		t.Fatal("no reveal button in blind mode")
	}
	test.Tap(r.reveal)
	if !strings.Contains(r.explain.String(), top.Name) {
		t.Error("the revealed name is not shown")
	}
	log, err := a.store.AuditLog(10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(log, func(e data.AuditEntry) bool { return e.Action == "reveal" }) {
		t.Errorf("no reveal in the audit log: %+v", log)
	}

	// The stage set here is the job's pipeline stage in the workspace.
	i := slices.Index(r.stageKey, data.StageShortlisted)
	if i < 0 {
		t.Fatalf("no shortlisted stage in %v", r.stageKey)
	}
	r.stage.SetSelectedIndex(i)
	pipe, err := a.store.Pipeline(job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(pipe, func(e data.PipelineEntry) bool {
		return e.Stage == data.StageShortlisted && strconvID(e.ApplicantID) == top.Applicant
	}) {
		t.Errorf("stage not saved: %+v", pipe)
	}
	// A note typed here is saved and shown.
	r.note.SetText("Call back on Monday")
	r.addNote()
	if !strings.Contains(r.explain.String(), "Call back on Monday") {
		t.Error("the note is not shown in the explanation")
	}

	// Heatmap: one row per applicant, one column per requirement.
	rows, cols := r.heat.Length()
	if rows != len(r.st.fits) || cols != len(r.reqs) || cols == 0 {
		t.Errorf("heatmap %d×%d, want %d×%d", rows, cols, len(r.st.fits), len(r.reqs))
	}
}

func TestRankingFollowsTheJob(t *testing.T) {
	a := newDemoApp(t, "en")
	r := a.ranking
	before := len(r.reqs)
	// Reject a requirement on the Job screen: the ranking is redone without it.
	j := a.job
	i := slices.IndexFunc(j.rows, func(x reqRow) bool { return x.counts() })
	id := j.rows[i].req.CompetencyID
	j.list.Select(i)
	test.Tap(j.editor.reject)
	r.ranking.wait()
	if len(r.reqs) != before-1 || slices.ContainsFunc(r.reqs, func(q matcher.Requirement) bool { return q.CompetencyID == id }) {
		t.Errorf("after rejecting %s the ranking uses %d requirements (was %d)", id, len(r.reqs), before)
	}
	// The edit is saved to the workspace.
	j.waitSaved()
	saved, err := a.store.Job(a.jobID)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(saved.Requirements, func(q matcher.Requirement) bool { return q.CompetencyID == id }) {
		t.Errorf("the rejected %s is still in the saved job", id)
	}
}
