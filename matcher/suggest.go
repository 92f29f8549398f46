package matcher

import (
	"cmp"
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
	bm25    []float32 // per competency; not 0 exactly for those in touched
	cov     []float32 // per competency: best label coverage
	touched []int32
	pre     []int32 // the competencies whose coverage is computed
	keys    []uint64

	qw    []float32 // per term: IDF of a query term that is not too common
	qin   []bool    // per term: in query
	qbits []uint64  // per term: a bit set when qw is not 0 (small: stays in cache)
	// per term: the clauses of the sentence that hold it, a bit each (the
	// 64th and later share the last bit)
	qclause []uint64
	query   []int32

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
		qw:       make([]float32, nt),
		qin:      make([]bool, nt),
		qbits:    make([]uint64, (nt+63)/64),
		qclause:  make([]uint64, nt),
		lentV:    make([]float64, n),
		lentFrom: make([]int32, n),
		lentMark: make([]bool, n),
		inCand:   make([]bool, n),
	}
}

func (e *Extractor) putScratch(s *suggestScratch) {
	for _, c := range s.touched {
		s.bm25[c] = 0
	}
	for _, c := range s.pre {
		s.cov[c] = 0
	}
	s.touched = s.touched[:0]
	s.pre = s.pre[:0]
	for _, t := range s.query {
		s.qw[t], s.qin[t], s.qclause[t] = 0, false, 0
		s.qbits[t>>6] = 0
	}
	s.query = s.query[:0]
	s.clearLent()
	s.cands = s.cands[:0]
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
	clause, prev := 0, -1
	for ci, ti := range content {
		if prev >= 0 && clauseBetween(toks, prev, ti) {
			clause = min(clause+1, 63)
		}
		prev = ti
		st := ids[ci]
		if toks[ti].Stop || st < 0 || e.filler[st] {
			continue
		}
		s.qclause[st] |= 1 << clause
		if s.qin[st] {
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
			if s.bm25[p.comp] == 0 {
				s.touched = append(s.touched, p.comp)
			}
			s.bm25[p.comp] += idf * p.tf // tf holds the impact, > 0
		}
		s.qw[st] = idf
		s.qbits[st>>6] |= 1 << (st & 63)
		qsig |= termSig(st)
	}
	// Label coverage, for the competencies BM25 ranks best: their labels
	// weigh heavily in their BM25 documents, so a competency with a label
	// that covers the sentence is among them.
	if n := max(limit*4, coverageDepth); len(s.touched) > n {
		s.keys = s.keys[:0]
		for _, c := range s.touched {
			s.keys = append(s.keys, bm25Key(s.bm25[c], c))
		}
		for _, k := range topKeys(s.keys, n) {
			s.pre = append(s.pre, keyComp(k))
		}
	} else {
		s.pre = append(s.pre, s.touched...)
	}
	pre := s.pre
	lang := langBit(toks[content[0]].Lang)
	for _, c := range pre {
		if e.covSig[c]&qsig == 0 {
			continue // no label of c has a word of the sentence
		}
		// A competency labelled in the sentence's language is covered by
		// those labels only: English "message" is not French "messagerie".
		own := e.labelLangs[c]&lang != 0
		for _, p := range e.covs[e.covStart[c]:e.covStart[c+1]] {
			if p.sig&qsig == 0 || own && p.langs&lang == 0 {
				continue // none of its terms is in the sentence, or another language's
			}
			var acc float32
			present, common, any := 0, ^uint64(0), uint64(0)
			for _, st := range e.covTerms[p.off : p.off+p.len] {
				if s.qbits[st>>6]&(1<<(st&63)) != 0 {
					acc += s.qw[st]
					present++
					common &= s.qclause[st]
					any |= s.qclause[st]
				}
			}
			if acc == 0 {
				continue
			}
			if present > 1 && common == 0 {
				// Its words are in different clauses ("ask questions
				// early, share what they learn" is not "early
				// learning"): count the best clause only.
				acc = s.clauseCoverage(e.covTerms[p.off:p.off+p.len], any)
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

// clauseCoverage returns the highest sum of the query weights of the terms
// of one phrase found together in one clause, among the clauses in mask.
func (s *suggestScratch) clauseCoverage(terms []int32, mask uint64) float32 {
	var best float32
	for mask != 0 {
		bit := mask & -mask
		mask &^= bit
		var acc float32
		for _, st := range terms {
			if s.qbits[st>>6]&(1<<(st&63)) != 0 && s.qclause[st]&bit != 0 {
				acc += s.qw[st]
			}
		}
		best = max(best, acc)
	}
	return best
}

// clauseBetween reports whether a clause break (a comma, semicolon or
// colon; not a parenthesis, which mostly says the same thing again) separates
// token to from the earlier token from.
func clauseBetween(toks []Token, from, to int) bool {
	for k := from + 1; k <= to; k++ {
		switch toks[k].Before {
		case ',', ';', ':':
			return true
		}
	}
	return false
}

// loanCeiling is the highest score, before the occupation boost and the
// maxSuggested scale, of a competency put forward by a loan only: half
// the loan, itself at most neighbourShare of a score of at most 1.
func loanCeiling() float64 { return 0.5 * neighbourShare }

// bm25Key packs a positive BM25 score and its competency into one key
// that orders as the ranking does: higher score first, then lower index.
// The bits of a positive float32 order as its value.
func bm25Key(bm float32, comp int32) uint64 {
	return uint64(math.Float32bits(bm))<<32 | uint64(^uint32(comp))
}

// keyComp is the competency of a bm25Key.
func keyComp(k uint64) int32 { return int32(^uint32(k)) }

// topKeys returns the n highest keys of list, in no particular order,
// reordering list in place: a min-heap of the n best so far, whose root
// rejects most of the others with one comparison.
func topKeys(list []uint64, n int) []uint64 {
	if n >= len(list) {
		return list
	}
	if n <= 0 {
		return list[:0]
	}
	h := list[:n]
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= n {
				return
			}
			if r := l + 1; r < n && h[r] < h[l] {
				l = r
			}
			if h[l] >= h[i] {
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
		if x > h[0] {
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
// a text matches (see occupationBoost), sorted by competency, with a bit
// set in front because most candidates have none.
type boostSet struct {
	bits    []uint64
	entries []boostEntry // by competency, one each
	top     float64      // the highest bonus
}

// boostEntry is the bonus of one competency.
type boostEntry struct {
	comp int32
	v    float64
}

// newBoostSet keeps the highest bonus of each competency of entries (n
// competencies in all), reordering entries in place.
func newBoostSet(entries []boostEntry, n int) *boostSet {
	if len(entries) == 0 {
		return nil
	}
	slices.SortFunc(entries, func(a, b boostEntry) int {
		if a.comp != b.comp {
			return int(a.comp - b.comp)
		}
		return cmp.Compare(b.v, a.v) // the highest first
	})
	entries = slices.CompactFunc(entries, func(a, b boostEntry) bool { return a.comp == b.comp })
	b := &boostSet{bits: make([]uint64, (n+63)/64), entries: entries}
	for _, x := range entries {
		b.bits[x.comp>>6] |= 1 << (x.comp & 63)
		b.top = max(b.top, x.v)
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
	i, ok := slices.BinarySearchFunc(b.entries, c, func(x boostEntry, c int32) int { return int(x.comp - c) })
	if !ok {
		return 0, false
	}
	return b.entries[i].v, true
}
