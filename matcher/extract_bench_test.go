package matcher

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchPosting is a 652-word English job posting.
func benchPosting(b *testing.B) string {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "postings", "en-backend-developer.txt"))
	if err != nil {
		b.Fatal(err)
	}
	if n := len(strings.Fields(string(data))); n < 600 || n > 700 {
		b.Fatalf("bench posting has %d words, want about 650", n)
	}
	return string(data)
}

// BenchmarkESCOIndexBuild measures NewExtractor on full ESCO (13,896
// skills, 640 groups, their labels, descriptions and relations), with a
// warm stem cache as in a running application.
func BenchmarkESCOIndexBuild(b *testing.B) {
	tax := escoTaxonomy(b)
	NewExtractor(tax, nil) // warm the shared stem cache
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		NewExtractor(tax, nil)
	}
}

// BenchmarkESCOIndexBuildCold is the same with an empty stem cache: the
// first build after start-up.
func BenchmarkESCOIndexBuildCold(b *testing.B) {
	tax := escoTaxonomy(b)
	defer reportCPU(b, processCPU())
	for b.Loop() {
		NewExtractor(tax, NewAnalyzer())
	}
}

// BenchmarkESCOExtract measures Extract (detection, suggestions,
// semantics) of a 650-word posting against full ESCO.
func BenchmarkESCOExtract(b *testing.B) {
	e := For(escoTaxonomy(b))
	text := benchPosting(b)
	e.Extract(text)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		e.Extract(text)
	}
}

// BenchmarkESCODetect measures label detection alone (no suggestions) of
// the same posting.
func BenchmarkESCODetect(b *testing.B) {
	e := For(escoTaxonomy(b))
	text := benchPosting(b)
	e.Detect(text)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		e.Detect(text)
	}
}

// BenchmarkAnalyzeFloor is the floor of extraction: tokenising, detecting
// the language and stemming the same posting, nothing else.
func BenchmarkAnalyzeFloor(b *testing.B) {
	text := benchPosting(b)
	a := DefaultAnalyzer()
	a.Analyze(text)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		a.Analyze(text)
	}
}

// BenchmarkESCORatio runs the floor (Analyze), Detect, Extract without
// suggestions and Extract of the same posting one after the other in every
// iteration and reports each one's ratio to the floor: interleaving makes
// the ratios robust to the load of a shared machine, where the absolute
// times of separate benchmarks are not. nosuggest/floor is the part of
// extraction that does not depend on suggestion scoring (detection,
// semantics, result assembly).
func BenchmarkESCORatio(b *testing.B) {
	e := For(escoTaxonomy(b))
	text := benchPosting(b)
	a := DefaultAnalyzer()
	e.Extract(text)
	noSuggest := Options{SuggestPerSentence: -1}
	var floor, detect, bare, extract time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		a.Analyze(text)
		t1 := time.Now()
		e.Detect(text)
		t2 := time.Now()
		e.ExtractWith(text, noSuggest)
		t3 := time.Now()
		e.Extract(text)
		t4 := time.Now()
		floor += t1.Sub(t0)
		detect += t2.Sub(t1)
		bare += t3.Sub(t2)
		extract += t4.Sub(t3)
	}
	b.ReportMetric(float64(detect)/float64(floor), "detect/floor")
	b.ReportMetric(float64(bare)/float64(floor), "nosuggest/floor")
	b.ReportMetric(float64(extract)/float64(floor), "extract/floor")
	b.ReportMetric(float64(extract.Microseconds())/float64(b.N), "extract-µs/op")
}

// BenchmarkESCOIndexLoad measures UnmarshalExtractor of the saved full
// ESCO index (hashing the taxonomy to check the key included): the
// start-up cost with the index cache.
func BenchmarkESCOIndexLoad(b *testing.B) {
	tax := escoTaxonomy(b)
	data, err := For(tax).MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if _, err := UnmarshalExtractor(tax, nil, data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkESCOIndexKey measures IndexKey alone on full ESCO.
func BenchmarkESCOIndexKey(b *testing.B) {
	tax := escoTaxonomy(b)
	for b.Loop() {
		IndexKey(tax)
	}
}

// reportCPU reports the process CPU time per operation since start: on a
// shared machine it is steadier than wall time, which includes waiting for
// a core (it also counts the garbage collector and other goroutines, so it
// can exceed wall time on several cores).
func reportCPU(b *testing.B, start time.Duration) {
	if cpu := processCPU() - start; cpu > 0 && b.N > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
	}
}

// BenchmarkESCOSuggest measures the suggestion scoring of Extract alone:
// suggestSentence on every sentence of the posting that Extract scores,
// with the occupation boost of its detections.
func BenchmarkESCOSuggest(b *testing.B) {
	e := For(escoTaxonomy(b))
	text := benchPosting(b)
	d := e.analyze(text)
	sents := sentences(text, d.toks)
	boost := e.occupationBoost(d.dets)
	type sent struct {
		content []int
		ids     []int32
	}
	var list []sent
	for si := range sents {
		if s := &sents[si]; !s.heading && s.section != sectionOther {
			content, ids := sentenceContent(d, s)
			list = append(list, sent{content, ids})
		}
	}
	if len(list) == 0 {
		b.Fatal("the bench posting has no sentence to score")
	}
	b.ResetTimer()
	for b.Loop() {
		for _, s := range list {
			e.suggestSentence(d.toks, s.content, s.ids, 8, Options{}.minScore(), boost)
		}
	}
}
