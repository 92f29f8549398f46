package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTaxonomyStatsFullESCO runs `--taxonomy esco:DIR taxonomy stats` on the
// shared ESCO 1.1.1 (a Go test rather than a script so that it can skip when
// the data is absent) and checks the counts of its README.
func TestTaxonomyStatsFullESCO(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "esco-1.1.1")
	if _, err := os.Stat(filepath.Join(dir, "skills_en.csv")); err != nil {
		t.Skipf("shared ESCO 1.1.1 not found at %s (%v): full-import CLI test skipped", dir, err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--taxonomy", "esco:" + dir, "taxonomy", "stats", "--format", "json"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got taxStatsJSON
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"competencies (13,896 skills + 647 groups)", got.Competencies, 14543},
		{"broader", got.Broader, 20656},
		{"related (5,899 rows, one a self-link)", got.Related, 5898},
		{"occupations", got.Occupations, 3007},
		{"groups", got.Kinds["group"], 647},
		{"roots (the four pillars)", got.Roots, 4},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	if got.Labels["en"] < 97000 || len(got.Notes) != 1 {
		t.Errorf("labels %v, notes %v", got.Labels, got.Notes)
	}
}
