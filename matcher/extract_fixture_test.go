package matcher

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/skillmatch/skillmatch/taxonomy"
)

var (
	fixtureOnce sync.Once
	fixtureTax  *taxonomy.Taxonomy
	fixtureErr  error
)

// fixtureTaxonomy loads testdata/extract_taxonomy.json: a small English/French
// taxonomy with the competencies of the postings in testdata/postings and a
// few occupation profiles.
func fixtureTaxonomy(tb testing.TB) *taxonomy.Taxonomy {
	tb.Helper()
	fixtureOnce.Do(func() {
		data, err := os.ReadFile(filepath.Join("testdata", "extract_taxonomy.json"))
		if err != nil {
			fixtureErr = err
			return
		}
		var f struct {
			Competencies []taxonomy.Competency `json:"competencies"`
			Occupations  []taxonomy.Occupation `json:"occupations"`
		}
		if err := json.Unmarshal(data, &f); err != nil {
			fixtureErr = err
			return
		}
		fixtureTax, fixtureErr = taxonomy.New("fixture", f.Competencies, f.Occupations)
	})
	if fixtureErr != nil {
		tb.Fatalf("testdata/extract_taxonomy.json: %v", fixtureErr)
	}
	return fixtureTax
}

func readPosting(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "postings", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
