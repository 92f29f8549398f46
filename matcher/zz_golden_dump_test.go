package matcher

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestZZGoldenDump writes Candidates and Extract outputs for regression comparison (temporary).
func TestZZGoldenDump(t *testing.T) {
	out := os.Getenv("ZZ_GOLDEN_OUT")
	if out == "" {
		t.Skip("ZZ_GOLDEN_OUT unset")
	}
	e := For(escoTaxonomy(t))
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, file := range []string{"tech_validation_annotations.csv", "house_validation_annotations.csv"} {
		path := filepath.Join(sharedData, "skill-extraction-dev", file)
		r, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sents, err := ReadEvalCSV(r, path)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sents {
			enc.Encode(e.Candidates(s.Text, 50))
		}
	}
	files, _ := filepath.Glob("testdata/postings/*.txt")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		enc.Encode(e.Extract(string(b)))
		enc.Encode(e.Detect(string(b)))
	}
}
