package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// TestPlanWorkspaceTeam plans for a team of the workspace (--staff TEAM)
// against a job of the workspace (--role TITLE or ID), from the workspace's
// catalogue (no --catalogue) and policy.
func TestPlanWorkspaceTeam(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	db := filepath.Join(t.TempDir(), "work.db")
	st, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	team, err := st.SaveTeam("Warehouse crew")
	if err != nil {
		t.Fatal(err)
	}
	tax, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, p := range []string{"ana", "ben", "cy"} {
		dirs = append(dirs, filepath.Join("testdata", "plan", "staff", p))
	}
	rep, err := st.ImportFiles(context.Background(), dirs, data.ImportOptions{
		Kind: data.KindEmployee, TeamID: team.ID, Taxonomy: tax,
		Verifier: &credential.Verifier{Offline: true, Now: now},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rejections) > 0 {
		t.Fatalf("import rejected %+v", rep.Rejections)
	}
	// An applicant outside the team must not be planned for.
	if err := st.SaveApplicant(&data.Applicant{Name: "Outsider", Kind: data.KindApplicant}); err != nil {
		t.Fatal(err)
	}
	job := &data.Job{Title: "Warehouse Associate", Language: "en", Status: data.JobOpen, Requirements: []matcher.Requirement{
		{CompetencyID: "lt-forklift-operation", Label: "forklift operation", Must: true, Weight: 1},
		{CompetencyID: "cert-whmis", Label: "WHMIS", Must: true, Weight: 1},
		{CompetencyID: "ohs-safe-lifting", Label: "safe lifting", Must: true, Weight: 1},
	}}
	if err := st.SaveJob(job); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join("testdata", "plan", "catalogue.csv"))
	if err != nil {
		t.Fatal(err)
	}
	items, err := matcher.ReadCatalogueCSV(f, "catalogue.csv", tax, nil)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveCatalogue(items); err != nil {
		t.Fatal(err)
	}
	p := matcher.DefaultPolicy()
	p.Verification.Unverifiable = 1 // roster lines count in full
	if err := st.SetPolicy(p); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		args []string
		code int
		want []string
		not  []string
	}{
		{
			name: "team and job by title, workspace catalogue",
			args: []string{"--role", "Warehouse Associate", "--staff", "Warehouse crew"},
			want: []string{
				"Warehouse Associate — 3 requirements, team Warehouse crew: 3 people",
				"Ben Okoye", "Reach Truck Operator [reach-1]", "(via lt-reach-truck, narrower)",
				"Plan: 6 item(s) for 535 CAD and 19 h close 6 of 6 gap(s)",
			},
			not: []string{"Outsider"},
		},
		{
			name: "job by ID, team by ID, a budget",
			args: []string{"--role", "1", "--staff", "1", "--budget", "100", "--format", "csv"},
			want: []string{"closes,", "over budget"},
		},
		{
			name: "unknown team",
			args: []string{"--role", "Warehouse Associate", "--staff", "Night shift"},
			code: 1,
			want: []string{`--staff Night shift: not a folder, and not a team of the workspace`},
		},
		{
			name: "unknown job",
			args: []string{"--role", "Astronaut", "--staff", "Warehouse crew"},
			code: 1,
			want: []string{`no job titled "Astronaut" in the workspace`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"--db", db, "plan", "--now", now.Format(time.RFC3339)}, tt.args...)
			code := run(args, strings.NewReader(""), &out, &errOut)
			all := out.String() + errOut.String()
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, all)
			}
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(all, n) {
					t.Errorf("output has %q:\n%s", n, all)
				}
			}
		})
	}
}
