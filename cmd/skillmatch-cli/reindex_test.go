package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// TestReindexRefreshesStaleEvidence switches the active taxonomy of a demo
// workspace as the desktop app does (the command line cannot): "workspace"
// says the evidence is stale and to run reindex, reindex maps the saved
// jobs to the new taxonomy (listing the requirements it lacks) and
// refreshes the evidence, then "workspace" no longer complains and a job
// saved before the switch ranks applicants again. A Go test rather than a
// script because no command activates a taxonomy.
func TestReindexRefreshesStaleEvidence(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	if _, err := data.CreateDemo(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	tax, err := taxonomy.ImportCSV(filepath.Join("testdata", "evidence_taxonomy.csv"))
	if err != nil {
		t.Fatal(err)
	}
	tax.Name = "alt"
	st, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	err = st.SaveTaxonomy(tax, true)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"--db", db}, args...), strings.NewReader(""), &stdout, &stderr); code != 0 || stderr.Len() > 0 {
			t.Fatalf("%s: exit %d, stderr:\n%s", strings.Join(args, " "), code, stderr.String())
		}
		return stdout.String()
	}
	tests := []struct {
		args    []string
		want    []string // regular expressions, each matching a line
		notWant []string
	}{
		{[]string{"workspace"}, []string{
			`^taxonomy +alt$`,
			`^evidence +stale: computed with taxonomy default, not the active taxonomy alt; run "skillmatch-cli --db \S+ws\.db reindex" to refresh it \(until then applicants score 0 for jobs analysed with alt\)$`,
		}, nil},
		{[]string{"reindex"}, []string{
			`^mapped the requirements of 6 jobs to taxonomy alt: 2 jobs changed, 2 requirements mapped \(0 by reference, 2 by label\), 0 merged, 38 not found$`,
			`^not in taxonomy alt \(ranked as unmet\): job 1 "Residential Electrician": tc-residential-wiring \(residential wiring\)$`,
			`^refreshed the evidence of 289 credentials with taxonomy alt \(stored verification kept\): 520 evidence links before, 43 now, 286 credentials changed$`,
			`^indexed 57 people \(42 applicants, 15 staff\) for search, with the competency labels of taxonomy alt$`,
		}, nil},
		{[]string{"workspace"}, []string{`^taxonomy +alt$`}, []string{`evidence`}},
		{[]string{"applicants", "competency:cariste", "--limit", "100"}, []string{`Kofi Mensah`}, nil},
		{[]string{"jobs", "show", "1"}, []string{`^asset +0\.50 +- +0 +alt-first-aid +first aid$`}, []string{`ohs-first-aid`}},
		// Job 1 ranked everyone at 0 once the evidence followed alt;
		// mapped, its best applicant scores again.
		{[]string{"rank", "--job", "1", "--all", "--format", "csv"}, []string{`,fit:alt-first-aid,`, `^1,\d+,[^,]+,[1-9][0-9.]*,`}, nil},
		{[]string{"reindex"}, []string{
			`^mapped the requirements of 6 jobs to taxonomy alt: 0 jobs changed, 0 requirements mapped \(0 by reference, 0 by label\), 0 merged, 38 not found$`,
			`^refreshed the evidence of 289 credentials with taxonomy alt \(stored verification kept\): 43 evidence links before, 43 now, 0 credentials changed$`,
		}, nil},
	}
	for _, tt := range tests {
		out := cli(tt.args...)
		for _, w := range tt.want {
			if !regexp.MustCompile(`(?m)` + w).MatchString(out) {
				t.Errorf("%s: no line matches %s:\n%s", strings.Join(tt.args, " "), w, out)
			}
		}
		for _, w := range tt.notWant {
			if regexp.MustCompile(`(?m)` + w).MatchString(out) {
				t.Errorf("%s: a line matches %s:\n%s", strings.Join(tt.args, " "), w, out)
			}
		}
	}
}
