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
// says the evidence is stale and to run reindex, reindex refreshes it, and
// then "workspace" no longer complains. A Go test rather than a script
// because no command activates a taxonomy.
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
			`^refreshed the evidence of 289 credentials with taxonomy alt \(stored verification kept\): 520 evidence links before, 43 now, 286 credentials changed$`,
			`^indexed 57 people \(42 applicants, 15 staff\) for search, with the competency labels of taxonomy alt$`,
		}, nil},
		{[]string{"workspace"}, []string{`^taxonomy +alt$`}, []string{`evidence`}},
		{[]string{"applicants", "competency:cariste", "--limit", "100"}, []string{`Kofi Mensah`}, nil},
		{[]string{"reindex"}, []string{`^refreshed the evidence of 289 credentials with taxonomy alt \(stored verification kept\): 43 evidence links before, 43 now, 0 credentials changed$`}, nil},
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
