package matcher

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestSuggestSentenceFloor checks that a floor only saves work: on every
// sentence of the fixture postings, the floored result is exactly the part
// of the unfloored result that scores at least the floor (same candidates,
// order, scores, lenders and supporting stems), with the fixture taxonomy
// and, when the shared data is present, full ESCO.
func TestSuggestSentenceFloor(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "postings", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no postings in testdata/postings: %v", err)
	}
	taxonomies := []struct {
		name string
		e    func(*testing.T) *Extractor
	}{
		{"fixture", func(t *testing.T) *Extractor { return NewExtractor(fixtureTaxonomy(t), nil) }},
		{"esco", func(t *testing.T) *Extractor {
			if testing.Short() {
				t.Skip("imports full ESCO; skipped with -short")
			}
			return For(escoTaxonomy(t))
		}},
	}
	for _, tx := range taxonomies {
		t.Run(tx.name, func(t *testing.T) {
			e := tx.e(t)
			compared, cut := 0, 0
			for _, file := range files {
				text, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				d := e.analyze(string(text))
				boost := e.occupationBoost(d.dets)
				sents := sentences(string(text), d.toks)
				for si := range sents {
					content, ids := sentenceContent(d, &sents[si])
					for _, limit := range []int{4, 10} {
						full := e.suggestSentence(d.toks, content, ids, limit, 0, boost)
						for _, floor := range []float64{0.02, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6} {
							got := e.suggestSentence(d.toks, content, ids, limit, floor, boost)
							n := 0
							for n < len(full) && full[n].score >= floor {
								n++
							}
							compared++
							if n < len(full) {
								cut++
							}
							if !sameCandidates(got, full[:n]) {
								t.Fatalf("%s, sentence %d, limit %d, floor %.2f:\ngot  %v\nwant %v", filepath.Base(file), si, limit, floor, got, full[:n])
							}
						}
					}
				}
			}
			if cut == 0 {
				t.Fatalf("no floor removed a candidate in %d comparisons: the test exercises nothing", compared)
			}
		})
	}
}

func sameCandidates(a, b []candidate) bool {
	return slices.EqualFunc(a, b, func(x, y candidate) bool {
		return x.comp == y.comp && x.score == y.score && x.from == y.from && slices.Equal(x.stems, y.stems)
	})
}
