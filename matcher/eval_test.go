package matcher

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// sharedData is the shared test data folder beside the repository.
var sharedData = filepath.Join("..", "..", "shared", "data")

var (
	escoOnce sync.Once
	escoTax  *taxonomy.Taxonomy
	escoErr  error
)

// escoTaxonomy imports ESCO 1.1.1 from the shared data once, or skips.
func escoTaxonomy(tb testing.TB) *taxonomy.Taxonomy {
	tb.Helper()
	dir := filepath.Join(sharedData, "esco-1.1.1")
	if _, err := os.Stat(filepath.Join(dir, "skills_en.csv")); err != nil {
		tb.Skipf("ESCO 1.1.1 not found at %s (shared test data absent): %v", dir, err)
	}
	escoOnce.Do(func() { escoTax, escoErr = taxonomy.ImportESCO(dir) })
	if escoErr != nil {
		tb.Fatalf("importing ESCO from %s: %v", dir, escoErr)
	}
	return escoTax
}

// TestEvaluateSkillExtractionDev measures RP@5, MRR and the precision of the
// detected set on the skill-extraction validation files with ESCO, logs the
// figures and fails if they fall below the recorded floors (a regression
// guard a few points under what the extractor reaches).
func TestEvaluateSkillExtractionDev(t *testing.T) {
	if testing.Short() {
		t.Skip("imports full ESCO; skipped with -short")
	}
	tax := escoTaxonomy(t)
	e := For(tax)
	for _, tc := range []struct {
		file                 string
		minRP, minMRR, minDP float64
	}{
		// Reached on 2026-11-29 (second session): tech RP@5 73.4, MRR 69.2, detected
		// precision 87.5 %; house 49.3, 55.0, 80.6 %.
		{"tech_validation_annotations.csv", 68, 62, 80},
		{"house_validation_annotations.csv", 45, 50, 75},
	} {
		t.Run(strings.TrimSuffix(tc.file, "_annotations.csv"), func(t *testing.T) {
			path := filepath.Join(sharedData, "skill-extraction-dev", tc.file)
			f, err := os.Open(path)
			if err != nil {
				t.Skipf("skill-extraction data absent: %v", err)
			}
			defer f.Close()
			sents, err := ReadEvalCSV(f, path)
			if err != nil {
				t.Fatal(err)
			}
			res := Evaluate(e, sents, 5, 50)
			t.Logf("%s: %d sentences, %d labels (%d not in ESCO 1.1.1): RP@5 %.1f, MRR %.1f, detected precision %.1f%% (%d/%d)",
				tc.file, res.Sentences, res.Labels, res.Unknown, 100*res.RPAtK, 100*res.MRR, 100*res.DetectedPrecision, res.DetectedCorrect, res.Detected)
			if os.Getenv("SKILLMATCH_EVAL_VERBOSE") != "" {
				for _, f := range res.FalseDetections {
					t.Logf("FALSE %s", f)
				}
				for _, m := range res.Misses {
					t.Logf("MISS %q\n    want %q\n    got  %q", m.Text, m.Missing, m.Predicted)
				}
			}
			if 100*res.RPAtK < tc.minRP || 100*res.MRR < tc.minMRR || 100*res.DetectedPrecision < tc.minDP {
				t.Errorf("below the floor: RP@5 %.1f (min %.0f), MRR %.1f (min %.0f), detected precision %.1f (min %.0f)",
					100*res.RPAtK, tc.minRP, 100*res.MRR, tc.minMRR, 100*res.DetectedPrecision, tc.minDP)
			}
		})
	}
}
