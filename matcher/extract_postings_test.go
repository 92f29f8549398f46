package matcher

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// postingExpect is what a recruiter expects from one posting of
// testdata/postings (expect.json): the competencies that must be found, with
// must/asset, the exact words of one of their spans, and where stated the
// years, the level and whether only a suggestion is acceptable.
type postingExpect struct {
	Language string `json:"language"`
	Found    []struct {
		ID        string  `json:"id"`
		Must      bool    `json:"must"`
		Text      string  `json:"text"`
		Years     float64 `json:"years"`
		Level     Level   `json:"level"`
		Suggested bool    `json:"suggested"`
	} `json:"found"`
	Absent []string `json:"absent"`
}

func loadExpectations(t *testing.T) map[string]postingExpect {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "postings", "expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp map[string]postingExpect
	if err := json.Unmarshal(data, &exp); err != nil {
		t.Fatalf("testdata/postings/expect.json: %v", err)
	}
	return exp
}

// TestPostingsGolden extracts every posting of testdata/postings against the
// fixture taxonomy and checks the competencies a recruiter expects, with
// spans on the right words.
func TestPostingsGolden(t *testing.T) {
	exp := loadExpectations(t)
	files, _ := filepath.Glob(filepath.Join("testdata", "postings", "*.txt"))
	if len(files) < 12 {
		t.Fatalf("%d postings, want a dozen", len(files))
	}
	e := For(fixtureTaxonomy(t))
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(strings.TrimSuffix(name, ".txt"), func(t *testing.T) {
			want, ok := exp[name]
			if !ok {
				t.Fatalf("no expectations for %s in expect.json", name)
			}
			text := string(readPosting(t, name))
			x := e.Extract(text)
			if x.Language != want.Language {
				t.Errorf("language %s, want %s", x.Language, want.Language)
			}
			checkSpans(t, text, x.Requirements)
			for _, w := range want.Found {
				r, ok := found(x.Requirements, w.ID)
				if !ok {
					t.Errorf("%s not found", w.ID)
					continue
				}
				if r.Confidence != Detected && !w.Suggested {
					t.Errorf("%s only %s (%.2f), want detected", w.ID, r.Confidence, r.Score)
				}
				if r.Must != w.Must {
					t.Errorf("%s must = %v, want %v", w.ID, r.Must, w.Must)
				}
				if texts := spanTexts(text, r.Spans); !slices.Contains(texts, w.Text) {
					t.Errorf("%s spans %q, want one on %q", w.ID, texts, w.Text)
				}
				if w.Years != 0 && r.MinYears != w.Years {
					t.Errorf("%s min years %v, want %v", w.ID, r.MinYears, w.Years)
				}
				if w.Level != "" && r.MinLevel != w.Level {
					t.Errorf("%s level %q, want %q", w.ID, r.MinLevel, w.Level)
				}
			}
			for _, id := range want.Absent {
				if r, ok := found(x.Requirements, id); ok {
					t.Errorf("%s found (%s %.2f on %q), want absent", id, r.Confidence, r.Score, spanTexts(text, r.Spans))
				}
			}
		})
	}
}

// checkSpans verifies the invariants of every requirement: spans inside the
// text, sorted and disjoint; scores and weights in [0,1]; no duplicate
// competency.
func checkSpans(t *testing.T, text string, reqs []Requirement) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range reqs {
		if seen[r.CompetencyID] {
			t.Errorf("%s listed twice", r.CompetencyID)
		}
		seen[r.CompetencyID] = true
		if r.Score <= 0 || r.Score > 1 || r.Weight <= 0 || r.Weight > 1 {
			t.Errorf("%s score %v weight %v", r.CompetencyID, r.Score, r.Weight)
		}
		if len(r.Spans) == 0 {
			t.Errorf("%s has no span", r.CompetencyID)
		}
		prev := 0
		for _, s := range r.Spans {
			if s[0] < prev || s[1] <= s[0] || s[1] > len(text) {
				t.Errorf("%s span %v out of order or outside the text", r.CompetencyID, s)
			}
			prev = s[1]
		}
	}
}

// TestPostingsDefaultTaxonomy extracts every posting against the embedded
// default taxonomy: the invariants hold and each posting yields several
// detected must-haves.
func TestPostingsDefaultTaxonomy(t *testing.T) {
	tax, err := taxonomy.Default()
	if err != nil {
		t.Fatalf("the embedded default taxonomy does not load: %v", err)
	}
	e := For(tax)
	files, _ := filepath.Glob(filepath.Join("testdata", "postings", "*.txt"))
	for _, f := range files {
		text := string(readPosting(t, filepath.Base(f)))
		x := e.Extract(text)
		checkSpans(t, text, x.Requirements)
		var detected []string
		for _, r := range x.Requirements {
			if r.Confidence == Detected && r.Must {
				detected = append(detected, r.Label)
			}
		}
		sort.Strings(detected)
		t.Logf("%s: %d requirements, detected must-haves: %s", filepath.Base(f), len(x.Requirements), strings.Join(detected, ", "))
		if len(detected) < 2 {
			t.Errorf("%s: only %d detected must-haves with the default taxonomy", filepath.Base(f), len(detected))
		}
	}
}
