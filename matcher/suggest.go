package matcher

import (
	"math"
	"slices"
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

// suggestScratch is per-call working memory for sentence scoring, pooled:
// dense arrays over competencies and terms, cleared through the lists of
// entries touched, so that a sentence costs in proportion to the postings
// of its own terms, not to the size of the taxonomy.
type suggestScratch struct {
	bm25    []float32 // per competency
	cov     []float32 // per competency: best label coverage
	mark    []bool    // per competency: in touched
	touched []int32
	pre     []int32

	qw     []float32 // per term: IDF of a query term that is not too common
	qin    []bool    // per term: in query
	qbits  []uint64  // per term: a bit set when qw is not 0 (small: stays in cache)
	ranked []scored
	query  []int32

	lentV       []float64 // per competency: best share lent by a neighbour
	lentFrom    []int32   // per competency: the neighbour that lent it
	lentMark    []bool    // per competency: in lentTouched
	lentTouched []int32
	inCand      []bool // per competency: a candidate (see suggestSentence's floor)

	cands []candidate
}

func (e *Extractor) getScratch() *suggestScratch {
	if v := e.scratchPool.Get(); v != nil {
		return v.(*suggestScratch)
	}
	n, nt := len(e.comps), len(e.terms)
	return &suggestScratch{
		bm25:     make([]float32, n),
		cov:      make([]float32, n),
		mark:     make([]bool, n),
		qw:       make([]float32, nt),
		qin:      make([]bool, nt),
		qbits:    make([]uint64, (nt+63)/64),
		lentV:    make([]float64, n),
		lentFrom: make([]int32, n),
		lentMark: make([]bool, n),
		inCand:   make([]bool, n),
	}
}

func (e *Extractor) putScratch(s *suggestScratch) {
	for _, c := range s.touched {
		s.bm25[c], s.cov[c], s.mark[c] = 0, 0, false
	}
	s.touched = s.touched[:0]
	for _, t := range s.query {
		s.qw[t], s.qin[t] = 0, false
		s.qbits[t>>6] = 0
	}
	s.query = s.query[:0]
	s.clearLent()
	s.cands = s.cands[:0]
	s.pre = s.pre[:0]
	e.scratchPool.Put(s)
}

func (s *suggestScratch) clearLent() {
	for _, c := range s.lentTouched {
		s.lentV[c], s.lentFrom[c], s.lentMark[c] = 0, 0, false
	}
	s.lentTouched = s.lentTouched[:0]
}

// candidate is a competency scored for one sentence.
type candidate struct {
	comp  int32
	score float64
	// stems are the terms of the sentence that support it
	stems []int32
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
// the content tokens of one sentence (ids are their terms, see
// contentTerms), mixing label coverage (the IDF share of a label's stems
// present in the sentence) with BM25 over the competency's labels,
// description and neighbours' labels, then lends part of the best scores to
// neighbours. It returns candidates with score > 0, best first, at most
// limit of them.
//
// A floor > 0 drops the candidates that score below it: the caller reads
// none of them. The result is then exactly the prefix of the unfloored
// result that scores at least floor, computed with less work: a
// competency that only a neighbour's loan puts forward scores at most
// loanCeiling(), so none is collected when the floor is above that, and the
// candidates under the floor get no supporting stems.
func (e *Extractor) suggestSentence(toks []Token, content []int, ids []int32, limit int, floor float64, boost *boostSet) []candidate {
	if len(content) == 0 || len(e.comps) == 0 {
		return nil
	}
	s := e.getScratch()
	defer e.putScratch(s)
	for ci, ti := range content {
		st := ids[ci]
		if toks[ti].Stop || st < 0 || e.filler[st] || s.qin[st] {
			continue
		}
		s.qin[st] = true
		s.query = append(s.query, st)
	}
	query := s.query
	slices.Sort(query) // a fixed order keeps float sums deterministic
	maxDF := int(commonDF * float64(len(e.comps)))
	var qsig uint64
	for _, st := range query {
		tm := &e.terms[st]
		if len(tm.postings) > maxDF {
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
		s.qw[st] = idf
		s.qbits[st>>6] |= 1 << (st & 63)
		qsig |= termSig(st)
	}
	// Label coverage, for the competencies BM25 ranks best: their labels
	// weigh heavily in their BM25 documents, so a competency with a label
	// that covers the sentence is among them.
	pre := s.touched
	if n := max(limit*4, coverageDepth); len(pre) > n {
		s.ranked = s.ranked[:0]
		for _, c := range pre {
			s.ranked = append(s.ranked, scored{s.bm25[c], c})
		}
		s.pre = s.pre[:0]
		for _, r := range topScored(s.ranked, n) {
			s.pre = append(s.pre, r.comp)
		}
		pre = s.pre
	}
	for _, c := range pre {
		if e.covSig[c]&qsig == 0 {
			continue // no label of c has a word of the sentence
		}
		for _, p := range e.covs[e.covStart[c]:e.covStart[c+1]] {
			if p.sig&qsig == 0 {
				continue // none of its terms is in the sentence
			}
			var acc float32
			for _, st := range e.covTerms[p.off : p.off+p.len] {
				if s.qbits[st>>6]&(1<<(st&63)) != 0 {
					acc += s.qw[st]
				}
			}
			if acc == 0 {
				continue
			}
			cov := acc / p.weight
			if p.damp {
				cov *= 0.3
			}
			if p.one && cov > 0.99 {
				// A one-word label present in the sentence but not detected
				// is ambiguous or inflected away: below full coverage.
				cov = 0.9
			}
			s.cov[c] = max(s.cov[c], cov)
		}
	}
	cands := s.cands[:0]
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
	// programming languages. Each competency keeps the best loan (ties: the
	// lender with the lower index).
	loansOnly := floor > boost.ceiling(loanCeiling())*maxSuggested+1e-9 // only to candidates
	if loansOnly {
		for i := range cands {
			s.inCand[cands[i].comp] = true
		}
	}
	for i := range cands {
		cd := &cands[i]
		if cd.score < 0.2 || len(e.neighbours[cd.comp]) > maxNeighbourDocs {
			continue // a hub lends to no one
		}
		v := cd.score * neighbourShare
		for _, n := range e.neighbours[cd.comp] {
			if loansOnly && !s.inCand[n] {
				continue // could not reach the floor
			}
			if !s.lentMark[n] {
				s.lentMark[n] = true
				s.lentTouched = append(s.lentTouched, n)
				s.lentV[n], s.lentFrom[n] = v, cd.comp
				continue
			}
			if v > s.lentV[n] || v == s.lentV[n] && cd.comp < s.lentFrom[n] {
				s.lentV[n], s.lentFrom[n] = v, cd.comp
			}
		}
	}
	if loansOnly {
		for i := range cands {
			s.inCand[cands[i].comp] = false
		}
	}
	for i := range cands {
		if c := cands[i].comp; s.lentMark[c] {
			cands[i].score += s.lentV[c] * (1 - cands[i].score)
			s.lentMark[c] = false // taken: not a new candidate
		}
	}
	base := len(cands)
	for _, c := range s.lentTouched {
		if s.lentMark[c] && !e.groups[c] {
			cands = append(cands, candidate{comp: c, score: s.lentV[c] * 0.5, from: s.lentFrom[c]})
		}
	}
	if len(cands)-base > keep {
		cands = append(cands[:base], topCandidates(cands[base:], keep)...)
	}
	s.cands = cands
	for i := range cands {
		if b, ok := boost.get(cands[i].comp); ok && cands[i].score > 0.05 {
			cands[i].score += b * (1 - cands[i].score)
		}
		cands[i].score = math.Min(cands[i].score*maxSuggested, maxSuggested)
	}
	if floor > 0 {
		cands = slices.DeleteFunc(cands, func(c candidate) bool { return c.score < floor })
	}
	if limit > 0 && len(cands) > limit {
		cands = topCandidates(cands, limit)
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		switch {
		case a.better(&b):
			return -1
		case b.better(&a):
			return 1
		}
		return 0
	})
	out := make([]candidate, 0, len(cands))
	stems := make([]int32, 0, len(cands)*len(query))
	for i := range cands {
		from := len(stems)
		stems = e.appendSupporting(stems, cands[i].from, query)
		cands[i].stems = stems[from:len(stems):len(stems)]
		if !e.onlyAmbiguous(cands[i].from, cands[i].stems) {
			out = append(out, cands[i])
		}
	}
	return out
}

// loanCeiling is the highest score, before the occupation boost and the
// maxSuggested scale, of a competency put forward by a loan only: half
// the loan, itself at most neighbourShare of a score of at most 1.
func loanCeiling() float64 { return 0.5 * neighbourShare }

// scored is a competency with its BM25 score.
type scored struct {
	bm   float32
	comp int32
}

// topScored returns the n entries of list with the highest score (ties: the
// lower index), in no particular order, reordering list in place: a heap of
// the n best so far, whose worst entry rejects most of the others at once.
func topScored(list []scored, n int) []scored {
	if n >= len(list) {
		return list
	}
	if n <= 0 {
		return list[:0]
	}
	worse := func(a, b scored) bool { return a.bm < b.bm || a.bm == b.bm && a.comp > b.comp }
	h := list[:n]
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= n {
				return
			}
			if r := l + 1; r < n && worse(h[r], h[l]) {
				l = r
			}
			if !worse(h[l], h[i]) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for i := n/2 - 1; i >= 0; i-- {
		down(i)
	}
	for _, x := range list[n:] {
		if worse(h[0], x) {
			h[0] = x
			down(0)
		}
	}
	return h
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
func (e *Extractor) onlyAmbiguous(comp int32, stems []int32) bool {
	amb := e.ambiguousStems[comp]
	if len(amb) == 0 {
		return false
	}
	for _, st := range stems {
		if !slices.Contains(amb, st) {
			return false
		}
	}
	return true
}

// appendSupporting appends to dst the query terms (sorted) found in the
// competency's own document (labels, description and neighbours' labels),
// to highlight the words that produced a suggestion.
func (e *Extractor) appendSupporting(dst []int32, comp int32, query []int32) []int32 {
	doc := e.docTerms[e.docStart[comp]:e.docStart[comp+1]]
	i, j := 0, 0
	for i < len(query) && j < len(doc) {
		switch {
		case query[i] < doc[j]:
			i++
		case query[i] > doc[j]:
			j++
		default:
			dst = append(dst, query[i])
			i++
			j++
		}
	}
	return dst
}

// boostSet holds the bonus of the competencies of the occupation profiles
// a text matches (see occupationBoost), with a bit set in front of the map
// because most candidates have none.
type boostSet struct {
	bits []uint64
	v    map[int32]float64
	top  float64 // the highest bonus
}

func newBoostSet(v map[int32]float64, n int) *boostSet {
	if len(v) == 0 {
		return nil
	}
	b := &boostSet{bits: make([]uint64, (n+63)/64), v: v}
	for c, x := range v {
		b.bits[c>>6] |= 1 << (c & 63)
		b.top = max(b.top, x)
	}
	return b
}

// ceiling is the highest score a candidate scoring at most score can
// reach with its bonus.
func (b *boostSet) ceiling(score float64) float64 {
	if b == nil {
		return score
	}
	return score + b.top*(1-score)
}

func (b *boostSet) get(c int32) (float64, bool) {
	if b == nil || b.bits[c>>6]&(1<<(c&63)) == 0 {
		return 0, false
	}
	v, ok := b.v[c]
	return v, ok
}
