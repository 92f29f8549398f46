package matcher

import (
	"fmt"
	"testing"
	"time"
)

func TestRatioTmp(t *testing.T) {
	e := For(escoTaxonomy(t))
	text := string(readPosting(t, "en-backend-developer.txt"))
	e.Extract(text)
	var fl, ex, dt time.Duration
	for i := 0; i < 300; i++ {
		t0 := time.Now()
		e.an.Analyze(text)
		t1 := time.Now()
		e.Extract(text)
		t2 := time.Now()
		e.Detect(text)
		t3 := time.Now()
		fl += t1.Sub(t0)
		ex += t2.Sub(t1)
		dt += t3.Sub(t2)
	}
	fmt.Printf("floor %v extract %v (x%.1f) detect %v (x%.1f)\n", fl/300, ex/300, float64(ex)/float64(fl), dt/300, float64(dt)/float64(fl))
}
