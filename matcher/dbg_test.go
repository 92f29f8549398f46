package matcher

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestDbgTmp(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	files, _ := filepath.Glob("testdata/postings/*.txt")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		text := string(data)
		x := e.Extract(text)
		fmt.Println("=====", f, x.Language)
		for _, r := range x.Requirements {
			var sp []string
			for _, s := range r.Spans {
				sp = append(sp, text[s[0]:s[1]])
			}
			fmt.Printf("  %-5v %-9s %.2f y=%v l=%s %-25s %q\n", r.Must, r.Confidence, r.Score, r.MinYears, r.MinLevel, r.CompetencyID, sp)
		}
	}
}

func must(t *testing.T, f string) []byte {
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
