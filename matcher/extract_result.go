package matcher

import (
	"slices"
	"sort"
	"strings"
)

// Options tune Extract. The zero value gives the defaults.
type Options struct {
	// SuggestPerSentence is how many suggested competencies a sentence may
	// add beyond its detected ones: 0 means 2, a negative value none.
	SuggestPerSentence int
	// MinSuggestScore is the lowest score of a suggestion kept: 0 means
	// 0.45.
	MinSuggestScore float64
}

func (o Options) perSentence() int {
	switch {
	case o.SuggestPerSentence < 0:
		return 0
	case o.SuggestPerSentence == 0:
		return 2
	}
	return o.SuggestPerSentence
}

func (o Options) minScore() float64 {
	if o.MinSuggestScore <= 0 {
		return 0.45
	}
	return o.MinSuggestScore
}

// Extraction is the result of analysing one job posting.
type Extraction struct {
	// Language is the detected language of the text ("en" or "fr").
	Language string `json:"language"`
	// Requirements are ordered must-haves first, then detected before
	// suggested, then by score, then by position in the text.
	Requirements []Requirement `json:"requirements"`
}

// Candidate is one competency proposed for a text, in the ranked batch mode.
type Candidate struct {
	ID         string     `json:"id"`
	Label      string     `json:"label"`
	Score      float64    `json:"score"`
	Confidence Confidence `json:"confidence"`
	Spans      [][2]int   `json:"spans"`
}

// doc is one analysed text.
type doc struct {
	text    string
	toks    []Token
	lang    string
	content []int       // indices of non-stop tokens and conjunctions
	ids     []int32     // term ID of each content token (see contentTerms)
	dets    []detection // detected competencies
	loose   []detection // occurrences of loose labels: strong suggestions
}

func (e *Extractor) analyze(text string) *doc {
	toks, lang := e.an.Analyze(text)
	d := &doc{text: text, toks: toks, lang: lang, content: make([]int, 0, len(toks))}
	for i := range toks {
		if !toks[i].Stop || isConj(toks[i].Norm) {
			d.content = append(d.content, i)
		}
	}
	d.ids = e.contentTerms(toks, d.content)
	dets := e.resolve(toks, d.content, e.detect(toks, d.content, d.ids))
	d.dets = make([]detection, 0, len(dets))
	for _, dt := range dets {
		if dt.loose {
			d.loose = append(d.loose, dt)
		} else {
			d.dets = append(d.dets, dt)
		}
	}
	return d
}

// Detect returns the competencies whose labels occur in text, in text
// order, as detected requirements without semantics (all must-haves): the
// cheap half of Extract.
func (e *Extractor) Detect(text string) []Requirement {
	d := e.analyze(text)
	out := make([]Requirement, 0, len(d.dets))
	spans := make([][2]int, len(d.dets)) // one allocation for every span
	for i, dt := range d.dets {
		spans[i] = [2]int{d.toks[dt.first].Start, d.toks[dt.last].End}
		out = append(out, Requirement{
			CompetencyID: e.comps[dt.comp].ID, Label: e.comps[dt.comp].Label(d.lang), Must: true, Weight: 1,
			Confidence: Detected, Score: detectedScore(dt.kind),
			Spans: spans[i : i+1 : i+1],
		})
	}
	return out
}

// looseScore is the score of a loose label occurrence: above every other
// suggestion, below every detection.
// A one-word loose label ("writing" for "copywriting") scores lower.
func looseScore(dt detection) float64 {
	s := maxSuggested
	if dt.kind != kindAlt {
		s -= 0.01
	}
	if dt.first == dt.last {
		s -= 0.14
	}
	return s
}

func detectedScore(k labelKind) float64 {
	switch k {
	case kindPreferred:
		return 1
	case kindAlt:
		return 0.95
	case kindHidden:
		return 0.9
	}
	return 0.85
}

// Extract finds the requirements of a job posting with the default Options.
func (e *Extractor) Extract(text string) Extraction { return e.ExtractWith(text, Options{}) }

// ExtractWith finds the requirements of a job posting: detected label
// occurrences, plus up to opt.SuggestPerSentence suggestions per sentence,
// each with must/asset, minimum years and level read from the headings and
// cue words around it. A competency found several times is one requirement
// with every span; a competency found in the same sentences as one of its
// narrower competencies is dropped in favour of the specific one.
func (e *Extractor) ExtractWith(text string, opt Options) Extraction {
	d := e.analyze(text)
	sents := sentences(text, d.toks)
	sentOf := func(tok int) *sentenceInfo { return &sents[d.toks[tok].Sentence] }

	type acc struct {
		req       Requirement
		sentences []int // sorted
		first     int
	}
	reqs := map[int32]*acc{}
	var order []int32
	add := func(comp int32, conf Confidence, score float64, s *sentenceInfo, sentence int, lvl Level, first int, spans ...[2]int) {
		a := reqs[comp]
		if a == nil {
			a = &acc{req: Requirement{CompetencyID: e.comps[comp].ID, Label: e.comps[comp].Label(d.lang), Confidence: conf}, first: first}
			reqs[comp] = a
			order = append(order, comp)
		}
		r := &a.req
		if conf == Detected && r.Confidence != Detected {
			r.Confidence, r.Score = Detected, 0
		}
		if conf == r.Confidence {
			r.Score = max(r.Score, score)
		}
		r.Must = r.Must || s.mustAt(first)
		r.MinYears = max(r.MinYears, s.years)
		if lvl.Rank() > r.MinLevel.Rank() {
			r.MinLevel = lvl
		}
		r.Spans = append(r.Spans, spans...)
		if i, ok := slices.BinarySearch(a.sentences, sentence); !ok {
			a.sentences = slices.Insert(a.sentences, i, sentence)
		}
		a.first = min(a.first, first)
	}

	detectedIn := map[int]map[int32]bool{}
	anywhere := map[int32]bool{}
	for _, dt := range d.dets {
		s := sentOf(dt.first)
		if s.section == sectionOther {
			continue // "about us", "what we offer": not requirements
		}
		sentence := d.toks[dt.first].Sentence
		anywhere[dt.comp] = true
		if detectedIn[sentence] == nil {
			detectedIn[sentence] = map[int32]bool{}
		}
		detectedIn[sentence][dt.comp] = true
		add(dt.comp, Detected, detectedScore(dt.kind), s, sentence, levelNear(d.toks, dt.first, dt.last), dt.first, [2]int{d.toks[dt.first].Start, d.toks[dt.last].End})
	}
	if opt.perSentence() > 0 {
		for _, dt := range d.loose {
			s := sentOf(dt.first)
			sentence := d.toks[dt.first].Sentence
			if anywhere[dt.comp] || s.section == sectionOther {
				continue
			}
			if detectedIn[sentence] == nil {
				detectedIn[sentence] = map[int32]bool{}
			}
			detectedIn[sentence][dt.comp] = true
			add(dt.comp, Suggested, looseScore(dt), s, sentence, levelNear(d.toks, dt.first, dt.last), dt.first, [2]int{d.toks[dt.first].Start, d.toks[dt.last].End})
		}
	}

	if per := opt.perSentence(); per > 0 {
		boost := e.occupationBoost(d.dets)
		for si := range sents {
			s := &sents[si]
			if s.heading || s.section == sectionOther {
				continue
			}
			content, ids := sentenceContent(d, s)
			explained := detectedTerms(d, content, ids)
			kept := 0
			for _, c := range e.suggestSentence(d.toks, content, ids, per+len(detectedIn[si])+4, opt.minScore(), boost) {
				if kept == per || c.score < opt.minScore() {
					break
				}
				if detectedIn[si][c.comp] || anywhere[c.comp] || e.ancestorOfAny(c.comp, detectedIn[si]) {
					continue
				}
				if subsetOf(c.stems, explained) {
					// Every word behind it already produced a detection or a
					// better suggestion of this sentence: "Teaching digital
					// literacy" adds nothing to "Digital literacy".
					continue
				}
				spans, first := spansOf(d, content, ids, c.stems)
				if len(spans) == 0 {
					continue
				}
				kept++
				explained = append(explained, c.stems...)
				add(c.comp, Suggested, c.score, s, si, levelNear(d.toks, first, first), first, spans...)
			}
		}
	}

	// Drop an ancestor found only where one of its descendants is.
	// accs[i] is reqs[order[i]]: the pairwise loop below reads slices, not
	// the map.
	accs := make([]*acc, len(order))
	detected := make([]bool, len(order))
	for i, c := range order {
		accs[i] = reqs[c]
		detected[i] = accs[i].req.Confidence == Detected
	}
	drop := make([]bool, len(order))
	for i, a := range order {
		for j, b := range order {
			if i == j || drop[j] {
				continue
			}
			if detected[i] && !detected[j] {
				continue // a suggestion does not displace a detection
			}
			if e.isAncestor(a, b) && subset(accs[i].sentences, accs[j].sentences) {
				drop[i] = true
				break
			}
		}
	}
	// Each requirement is sorted with the position of its first occurrence.
	type ranked struct {
		r     Requirement
		first int
	}
	kept := make([]ranked, 0, len(order))
	for i := range order {
		if drop[i] {
			continue
		}
		a := accs[i]
		r := a.req
		r.Spans = mergeSpans(r.Spans)
		r.Weight = weightOf(r)
		kept = append(kept, ranked{r, a.first})
	}
	slices.SortStableFunc(kept, func(x, y ranked) int {
		a, b := &x.r, &y.r
		switch {
		case a.Must != b.Must:
			if a.Must {
				return -1
			}
			return 1
		case (a.Confidence == Detected) != (b.Confidence == Detected):
			if a.Confidence == Detected {
				return -1
			}
			return 1
		case a.Score != b.Score:
			if a.Score > b.Score {
				return -1
			}
			return 1
		case x.first != y.first:
			return x.first - y.first
		}
		return strings.Compare(a.CompetencyID, b.CompetencyID)
	})
	out := Extraction{Language: d.lang, Requirements: make([]Requirement, len(kept))}
	for i := range kept {
		out.Requirements[i] = kept[i].r
	}
	return out
}

// weightOf is 1 for a detected must-have, 0.5 for a detected asset, scaled
// by the score for a suggestion.
func weightOf(r Requirement) float64 {
	w := 1.0
	if !r.Must {
		w = 0.5
	}
	if r.Confidence != Detected {
		w *= max(r.Score, 0.1)
	}
	return w
}

// detectedTerms returns the terms of the content tokens (of terms ids) that
// lie in a detection, or in an occurrence of a loose label (a strong
// suggestion).
func detectedTerms(d *doc, content []int, ids []int32) []int32 {
	var out []int32
	in := func(ti int, dets []detection) bool {
		for i := range dets {
			if dt := &dets[i]; dt.first <= ti && ti <= dt.last {
				return true
			}
		}
		return false
	}
	for k, ti := range content {
		if in(ti, d.dets) || in(ti, d.loose) {
			out = append(out, ids[k])
		}
	}
	return out
}

// subsetOf reports whether the non-empty list a holds only elements of b.
func subsetOf(a, b []int32) bool {
	if len(a) == 0 {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// subset reports whether every element of the sorted a is in the sorted b.
func subset(a, b []int) bool {
	for _, k := range a {
		if _, ok := slices.BinarySearch(b, k); !ok {
			return false
		}
	}
	return true
}

func (e *Extractor) ancestorOfAny(comp int32, of map[int32]bool) bool {
	for o := range of {
		if e.isAncestor(comp, o) {
			return true
		}
	}
	return false
}

// sentenceContent returns the content tokens of a sentence and their
// terms.
func sentenceContent(d *doc, s *sentenceInfo) ([]int, []int32) {
	lo := sort.SearchInts(d.content, s.first)
	hi := sort.SearchInts(d.content, s.last)
	return d.content[lo:hi], d.ids[lo:hi]
}

// spansOf returns the byte spans of the content tokens (of terms ids)
// whose terms are in stems, joining neighbours separated only by stop
// words, and the first token.
func spansOf(d *doc, content []int, ids []int32, stems []int32) ([][2]int, int) {
	var spans [][2]int
	first, prev := -1, -2
	for k, ti := range content {
		if d.toks[ti].Stop || !slices.Contains(stems, ids[k]) {
			continue
		}
		t := &d.toks[ti]
		if first < 0 {
			first = ti
		}
		if prev == k-1 && len(spans) > 0 {
			spans[len(spans)-1][1] = t.End
		} else {
			spans = append(spans, [2]int{t.Start, t.End})
		}
		prev = k
	}
	return spans, first
}

// mergeSpans sorts spans and merges overlapping ones, in place.
func mergeSpans(spans [][2]int) [][2]int {
	if len(spans) == 0 {
		return [][2]int{}
	}
	slices.SortFunc(spans, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s[0] < last[1] {
			last[1] = max(last[1], s[1])
			continue
		}
		out = append(out, s)
	}
	return slices.Clip(out)
}

// Candidates ranks competencies for text, best first, detected and
// suggested together, at most k of them (k ≤ 0: 10). It is the batch mode:
// every suggestion of every sentence competes, with no score floor.
func (e *Extractor) Candidates(text string, k int) []Candidate {
	if k <= 0 {
		k = 10
	}
	d := e.analyze(text)
	best := map[int32]*Candidate{}
	var order []int32
	put := func(comp int32, conf Confidence, score float64, spans [][2]int) {
		c := best[comp]
		if c == nil {
			c = &Candidate{ID: e.comps[comp].ID, Label: e.comps[comp].Label(d.lang), Confidence: conf}
			best[comp] = c
			order = append(order, comp)
		}
		if conf == Detected && c.Confidence != Detected {
			c.Confidence, c.Score = Detected, 0
		}
		if conf == c.Confidence {
			c.Score = max(c.Score, score)
		}
		c.Spans = append(c.Spans, spans...)
	}
	detected := map[int32]bool{}
	for _, dt := range d.dets {
		detected[dt.comp] = true
		put(dt.comp, Detected, detectedScore(dt.kind), [][2]int{{d.toks[dt.first].Start, d.toks[dt.last].End}})
	}
	for _, dt := range d.loose {
		if !detected[dt.comp] {
			put(dt.comp, Suggested, looseScore(dt), [][2]int{{d.toks[dt.first].Start, d.toks[dt.last].End}})
		}
	}
	boost := e.occupationBoost(d.dets)
	for si, s := range sentences(text, d.toks) {
		_ = si
		content, ids := sentenceContent(d, &s)
		for _, c := range e.suggestSentence(d.toks, content, ids, k+len(detected), 0, boost) {
			if detected[c.comp] {
				continue
			}
			spans, _ := spansOf(d, content, ids, c.stems)
			put(c.comp, Suggested, c.score, spans)
		}
	}
	out := make([]Candidate, 0, len(order))
	for _, c := range order {
		cd := *best[c]
		cd.Spans = mergeSpans(cd.Spans)
		out = append(out, cd)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}

// Label returns the preferred label of a competency ID in lang, or the ID.
func (e *Extractor) Label(id, lang string) string {
	if c, ok := e.tax.Get(id); ok {
		return c.Label(lang)
	}
	return strings.TrimSpace(id)
}
