package matcher

import (
	"math"
	"slices"
	"sort"
)

// BM25 parameters and the mix of the suggestion score.
var (
	bm25K1 float32 = 1.2
	bm25B  float32 = 0.75
	// bm25Half is the BM25 value that maps to 0.5 once saturated.
	bm25Half = 9.0
	// coverageShare is the part of the suggestion score that comes from
	// label coverage; the rest comes from BM25.
	coverageShare = 0.5
	// neighbourShare is the part of a candidate's score passed to its
	// broader, narrower and related competencies.
	neighbourShare = 0.35
	// maxSuggested caps suggested scores below every detected one.
	maxSuggested = 0.79
	// minDetected is the lowest score of a detected competency.
	minDetected = 0.8
	// coverageDepth is how many of the best BM25 candidates of a sentence
	// get their label coverage computed.
	coverageDepth = 50
	// commonDF drops query stems held by more than this share of the
	// documents: they cannot tell competencies apart.
	commonDF = 0.12
)

// suggestScratch is per-call working memory for sentence scoring, pooled.
type suggestScratch struct {
	bm25    []float32 // per competency
	cov     []float32 // per competency: best label coverage
	mark    []bool    // per competency: in touched
	touched []int32
}

func (e *Extractor) getScratch() *suggestScratch {
	if v := e.scratchPool.Get(); v != nil {
		return v.(*suggestScratch)
	}
	n := len(e.comps)
	return &suggestScratch{
		bm25: make([]float32, n),
		cov:  make([]float32, n),
		mark: make([]bool, n),
	}
}

func (e *Extractor) putScratch(s *suggestScratch) {
	for _, c := range s.touched {
		s.bm25[c], s.cov[c], s.mark[c] = 0, 0, false
	}
	s.touched = s.touched[:0]
	e.scratchPool.Put(s)
}

// candidate is a competency scored for one sentence.
type candidate struct {
	comp  int32
	score float64
	// stems of the sentence that support it
	stems map[string]bool
	// from is the competency whose words support it (itself, or the
	// neighbour that lent it its score)
	from int32
}

// better orders candidates: higher score first, then lower index.
func (c *candidate) better(o *candidate) bool {
	if c.score != o.score {
		return c.score > o.score
	}
	return c.comp < o.comp
}

// suggestSentence scores every competency that shares a weighted stem with
// the content tokens of one sentence, mixing label coverage (the IDF share of
// a label's stems present in the sentence) with BM25 over the competency's
// labels, description and neighbours' labels, then lends part of the best
// scores to neighbours. It returns candidates with score > 0, best first, at
// most limit of them.
func (e *Extractor) suggestSentence(toks []Token, content []int, limit int, boost map[int32]float64) []candidate {
	if len(content) == 0 || len(e.comps) == 0 {
		return nil
	}
	s := e.getScratch()
	defer e.putScratch(s)
	query := make([]string, 0, len(content))
	for _, ti := range content {
		st := toks[ti].Stem
		if toks[ti].Stop || fillerStems[st] || slices.Contains(query, st) {
			continue
		}
		query = append(query, st)
	}
	slices.Sort(query) // a fixed order keeps float sums deterministic
	maxDF := int(commonDF * float64(len(e.comps)))
	qidf := make(map[string]float32, len(query))
	for _, st := range query {
		tm := e.terms[st]
		if tm == nil || len(tm.postings) > maxDF {
			continue
		}
		idf := tm.idf
		for _, p := range tm.top {
			s.bm25[p.comp] += idf * p.tf // tf holds the impact
			if !s.mark[p.comp] {
				s.mark[p.comp] = true
				s.touched = append(s.touched, p.comp)
			}
		}
		qidf[st] = idf
	}
	// Label coverage, for the competencies BM25 ranks best: their labels
	// weigh heavily in their BM25 documents, so a competency with a label
	// that covers the sentence is among them.
	pre := s.touched
	if n := max(limit*4, coverageDepth); len(pre) > n {
		pre = topByBM25(slices.Clone(pre), s.bm25, n)
	}
	for _, c := range pre {
		for _, ph := range e.compPhrases[c] {
			p := &e.phrases[ph]
			if p.weight <= 0 {
				continue
			}
			var acc float32
			for k, st := range p.stems {
				if w, ok := qidf[st]; ok && !slices.Contains(p.stems[:k], st) {
					acc += w
				}
			}
			if acc == 0 {
				continue
			}
			cov := acc / p.weight
			if p.ambiguous || p.generic {
				cov *= 0.3
			}
			if len(p.stems) == 1 && cov > 0.99 {
				// A one-word label present in the sentence but not detected
				// is ambiguous or inflected away: below full coverage.
				cov = 0.9
			}
			s.cov[c] = max(s.cov[c], cov)
		}
	}
	cands := make([]candidate, 0, len(pre))
	for _, c := range pre {
		if e.groups[c] {
			continue
		}
		bm := float64(s.bm25[c])
		sat := bm / (bm + bm25Half)
		cov := float64(s.cov[c])
		if score := coverageShare*cov*cov + (1-coverageShare)*sat; score > 0 {
			cands = append(cands, candidate{comp: c, score: score, from: c})
		}
	}
	// Only the best candidates can end in the top: keep a few times limit.
	keep := max(limit*4, 40)
	if limit <= 0 {
		keep = len(cands)
	}
	cands = topCandidates(cands, keep)

	// Lend to neighbours: a sentence about "Java and Kotlin" is also about
	// programming languages.
	type loan struct {
		v    float64
		from int32
	}
	lent := map[int32]loan{}
	for i := range cands {
		cd := &cands[i]
		if cd.score < 0.2 || len(e.neighbours[cd.comp]) > maxNeighbourDocs {
			continue // a hub lends to no one
		}
		for _, n := range e.neighbours[cd.comp] {
			if v := cd.score * neighbourShare; v > lent[n].v || v == lent[n].v && cd.comp < lent[n].from {
				lent[n] = loan{v, cd.comp}
			}
		}
	}
	for i := range cands {
		if l, ok := lent[cands[i].comp]; ok {
			cands[i].score += l.v * (1 - cands[i].score)
			delete(lent, cands[i].comp)
		}
	}
	base := len(cands)
	for c, l := range lent {
		if !e.groups[c] {
			cands = append(cands, candidate{comp: c, score: l.v * 0.5, from: l.from})
		}
	}
	if len(cands)-base > keep {
		cands = append(cands[:base], topCandidates(cands[base:], keep)...)
	}
	for i := range cands {
		if b, ok := boost[cands[i].comp]; ok && cands[i].score > 0.05 {
			cands[i].score += b * (1 - cands[i].score)
		}
		cands[i].score = math.Min(cands[i].score*maxSuggested, maxSuggested)
	}
	sort.Slice(cands, func(a, b int) bool { return cands[a].better(&cands[b]) })
	if limit > 0 && len(cands) > limit {
		cands = cands[:limit]
	}
	out := cands[:0]
	for i := range cands {
		cands[i].stems = e.supportingStems(cands[i].from, query)
		if !e.onlyAmbiguous(cands[i].from, cands[i].stems) {
			out = append(out, cands[i])
		}
	}
	return out
}

// topByBM25 returns the n competencies of comps with the highest BM25
// score (ties by index), in no particular order, reordering comps in place.
func topByBM25(comps []int32, bm25 []float32, n int) []int32 {
	better := func(a, b int32) bool {
		if bm25[a] != bm25[b] {
			return bm25[a] > bm25[b]
		}
		return a < b
	}
	lo, hi := 0, len(comps)-1
	for lo < hi {
		pivot := comps[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for better(comps[i], pivot) {
				i++
			}
			for better(pivot, comps[j]) {
				j--
			}
			if i <= j {
				comps[i], comps[j] = comps[j], comps[i]
				i++
				j--
			}
		}
		switch {
		case n-1 <= j:
			hi = j
		case n-1 >= i:
			lo = i
		default:
			return comps[:n]
		}
	}
	return comps[:n]
}

// topCandidates returns the k best candidates (in no particular order),
// reordering cands in place (quickselect).
func topCandidates(cands []candidate, k int) []candidate {
	if k >= len(cands) {
		return cands
	}
	lo, hi := 0, len(cands)-1
	for lo < hi {
		pivot := cands[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for cands[i].better(&pivot) {
				i++
			}
			for pivot.better(&cands[j]) {
				j--
			}
			if i <= j {
				cands[i], cands[j] = cands[j], cands[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return cands[:k]
		}
	}
	return cands[:k]
}

// onlyAmbiguous reports whether every supporting stem is the word of an
// ambiguous one-word label of the competency: "tableaux" in French text
// does not suggest Tableau.
func (e *Extractor) onlyAmbiguous(comp int32, stems map[string]bool) bool {
	amb := e.ambiguousStems[comp]
	if len(amb) == 0 {
		return false
	}
	for st := range stems {
		if !amb[st] {
			return false
		}
	}
	return true
}

// supportingStems returns the query stems found in the competency's own
// document (labels and description), to highlight the words that produced a
// suggestion.
func (e *Extractor) supportingStems(comp int32, query []string) map[string]bool {
	out := map[string]bool{}
	for _, st := range query {
		tm := e.terms[st]
		if tm == nil {
			continue
		}
		i := sort.Search(len(tm.postings), func(i int) bool { return tm.postings[i].comp >= comp })
		if i < len(tm.postings) && tm.postings[i].comp == comp {
			out[st] = true
		}
	}
	return out
}
