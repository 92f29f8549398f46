package matcher

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestDbgCPU(t *testing.T) {
	tax := escoTaxonomy(t)
	measure := func(name string, n int, f func()) {
		f()
		c0, w0 := cpuNow(), time.Now()
		for i := 0; i < n; i++ {
			f()
		}
		fmt.Printf("%-12s cpu %v/op wall %v/op\n", name, (cpuNow()-c0)/time.Duration(n), time.Since(w0)/time.Duration(n))
	}
	var e *Extractor
	measure("build", 3, func() { e = NewExtractor(tax, nil) })
	text := string(must(t, "testdata/postings/en-backend-developer.txt"))
	measure("extract", 50, func() { e.Extract(text) })
	measure("detect", 200, func() { e.Detect(text) })
	measure("floor", 200, func() { DefaultAnalyzer().Analyze(text) })
}
