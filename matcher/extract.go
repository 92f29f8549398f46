package matcher

import (
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// labelKind ranks the labels of a competency for phrase matching: a
// preferred label beats an alternative, which beats a hidden label, which
// beats a label shortened by dropping its parenthesised qualifier
// ("Java (computer programming)" → "Java").
type labelKind uint8

const (
	kindPreferred labelKind = iota
	kindAlt
	kindHidden
	kindShortened
)

// phrase is one label of one competency, as a sequence of content stems.
type phrase struct {
	comp      int32
	kind      labelKind
	ambiguous bool
	// generic one-word labels ("experience", "data", "work") are too common
	// in the taxonomy's own descriptions to be detected; they only feed
	// suggestions.
	generic bool
	// loose labels are alternative or hidden labels written as plain words
	// ("presentation skills" for "address an audience"): in large
	// frameworks they are near-synonyms, so an occurrence is a strong
	// suggestion, not a detection.
	loose bool
	upper bool // the label has a capital letter (a name: "Excel", "Go")
	// langs has bit langIndex set for each language the label was
	// analysed in (a label written alike in English and French has both)
	langs  uint8
	norm   string  // folded label, for one-word names that must match as written
	shape  Shape   // shape of a one-word label
	stems  []int32 // term IDs
	lens   []uint8 // length in runes of the label word behind each stem
	weight float32 // sum of the IDF of its stems (label coverage)
	label  string
}

// covPhrase is a phrase as label coverage reads it.
type covPhrase struct {
	sig      uint64 // termSig of its terms
	weight   float32
	damp     bool  // ambiguous or generic: coverage counts less
	one      bool  // a one-word label
	langs    uint8 // see phrase.langs
	off, len int32 // its distinct terms: covTerms[off:off+len]
}

// termSig is the bit of a term in the 64-bit signatures of covPhrase: a
// phrase whose signature shares no bit with the query's has none of its
// terms.
func termSig(t int32) uint64 { return 1 << (uint32(t) * 0x9E3779B1 >> 26) }

// edgeKey is the key of the trie transition from node on term.
func edgeKey(node, term int32) uint64 { return uint64(uint32(node))<<32 | uint64(uint32(term)) }

// term is everything the index knows about one stem.
type term struct {
	idf      float32   // BM25 IDF over competency documents
	postings []posting // competency documents holding the stem, by competency
	// top are the postings with the highest BM25 impact, best first, at
	// most maxImpact of them: sentence scoring walks only these.
	top    []posting
	descDF int32 // number of competencies with the stem in their description
}

type posting struct {
	comp int32
	tf   float32 // field-weighted term frequency
}

// Extractor finds the competencies of one taxonomy in job text. Build it
// once per taxonomy with NewExtractor (it indexes every label, description
// and relation); it is then read-only and safe for concurrent use.
type Extractor struct {
	tax   *taxonomy.Taxonomy
	an    *Analyzer
	comps []*taxonomy.Competency
	index map[string]int32 // competency ID → position in comps

	// Phrase trie: node 0 is the root; edges maps edgeKey(node, term) to
	// the child node.
	edges map[uint64]int32
	// termList[termStart[n]:termStart[n+1]] are the phrases ending at
	// node n, best label kind first.
	termStart []int32
	termList  []int32
	phrases   []phrase
	// compPhrases lists the phrases of each competency.
	compPhrases [][]int32
	// covs[covStart[c]:covStart[c+1]] are the phrases of competency c
	// with a positive weight, laid out for label coverage; their terms are
	// in covTerms.
	covStart []int32
	covs     []covPhrase
	covTerms []int32
	covSig   []uint64 // per competency: the union of its phrases' signatures
	// labelLangs has, per competency, bit langIndex set for each
	// language its labels were analysed in.
	labelLangs []uint8

	// Stems are interned as term IDs, numbered in the byte order of the
	// stems (so that sorting IDs sorts stems).
	termIDs map[string]int32
	termStr []string
	terms   []term
	filler  []bool // per term: a filler stem (see fillerStems)
	conjID  int32  // term ID of conjStem, or -1
	// docTerms[docStart[c]:docStart[c+1]] are the terms of competency c's
	// BM25 document, sorted.
	docStart []int32
	docTerms []int32
	// rootChild[t] is the trie node reached from the root on term t, or 0:
	// most trie steps start at the root, and a dense array is faster than
	// the edge map.
	rootChild []int32
	docLen    []float32
	avgLen    float32
	bm25Norm  []float32 // per competency: k1·(1−b+b·len/avgLen)

	neighbours [][]int32 // broader, narrower and related competencies
	broader    [][]int32 // direct parents
	ancestors  [][]int32 // all broader competencies, transitively, sorted
	groups     []bool    // KindGroup: never proposed on their own

	scratchPool    sync.Pool
	ambiguousStems map[int32][]int32 // competency → terms of its ambiguous one-word labels

	occOnce sync.Once
	occ     *occIndex
}

// Field weights of a competency document for BM25.
var (
	weightLabel     float32 = 3.0
	weightPreferred float32 = 2.0 // extra for the preferred label
	weightDesc      float32 = 1.0
	weightNeighbour float32 = 0.5
)

// maxImpact bounds the postings of one stem walked per sentence: beyond the
// strongest few hundred, a common word's contributions are too small to
// change the top of the ranking.
const maxImpact = 300

// maxNeighbourDocs: a hub with more neighbours lends none of their words.
const maxNeighbourDocs = 40

// extractors caches one Extractor per taxonomy.
var extractors sync.Map // *taxonomy.Taxonomy → *extractorOnce

type extractorOnce struct {
	once sync.Once
	e    *Extractor
}

// For returns the Extractor of t, building it on first use and sharing it
// afterwards. When SetIndexCacheDir named a folder, the index of a large
// taxonomy is loaded from there (or built and saved there) instead.
func For(t *taxonomy.Taxonomy) *Extractor {
	v, _ := extractors.LoadOrStore(t, &extractorOnce{})
	eo := v.(*extractorOnce)
	eo.once.Do(func() {
		if dir, _ := indexCacheDir.Load().(string); dir != "" && t.Len() >= minCachedComps {
			// A cache that cannot be written only costs the next start-up
			// a build: the Extractor is complete either way.
			eo.e, _ = LoadOrBuildExtractor(t, DefaultAnalyzer(), dir)
			return
		}
		eo.e = NewExtractor(t, DefaultAnalyzer())
	})
	return eo.e
}

// minCachedComps is the size from which For uses the index cache: smaller
// taxonomies build faster than their index loads.
const minCachedComps = 2000

var indexCacheDir atomic.Value // string

// SetIndexCacheDir makes For keep the built indexes of large taxonomies in
// dir (see LoadOrBuildExtractor and DefaultIndexCacheDir); "" turns the
// cache off, which is the default. Call it at start-up, before For.
func SetIndexCacheDir(dir string) { indexCacheDir.Store(dir) }

// analyzedComp holds the analysis of one competency, computed in parallel.
type analyzedComp struct {
	labels  []analyzedLabel
	desc    []string // stems of the descriptions
	descIDs []int32  // their term IDs (see intern)
}

type analyzedLabel struct {
	kind  labelKind
	text  string
	stems []string
	ids   []int32 // term IDs of stems (see intern)
	lens  []uint8
	shape Shape
	upper bool
	langs uint8 // bit langIndex of the language it was analysed in
}

// NewExtractor indexes t for extraction with the analyzer an (nil means
// DefaultAnalyzer).
func NewExtractor(t *taxonomy.Taxonomy, an *Analyzer) *Extractor {
	e := newExtractorBase(t, an)
	comps := e.comps

	// Analyse labels and descriptions on every core, each worker
	// collecting the distinct stems it meets.
	ac := make([]analyzedComp, len(comps))
	workers := min(runtime.GOMAXPROCS(0), 8)
	seen := make([]map[string]struct{}, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			la := &labelAnalyzer{an: e.an, memo: newWordMemo()}
			set := map[string]struct{}{}
			for i := w; i < len(comps); i += workers {
				ac[i] = la.analyzeComp(comps[i])
				for _, l := range ac[i].labels {
					for _, st := range l.stems {
						set[st] = struct{}{}
					}
				}
				for _, st := range ac[i].desc {
					set[st] = struct{}{}
				}
			}
			seen[w] = set
		}(w)
	}
	wg.Wait()

	// Intern the stems: term IDs in the byte order of the stems.
	e.intern(ac, seen, workers)

	// BM25 documents: labels, description, labels of neighbours.
	nterms := len(e.termStr)
	tf := make([]float32, nterms)
	var tfTouched []int32
	descSeen := make([]bool, nterms)
	var descTouched []int32
	// Where the words of one-word plain preferred labels ("soudage",
	// "protein") occur in descriptions: see passing.
	single := map[int32][]int32{}
	for i := range comps {
		for _, l := range ac[i].labels {
			if l.kind == kindPreferred && len(l.ids) == 1 && !isName(l.text) {
				single[l.ids[0]] = nil
			}
		}
	}
	// Postings are collected per competency, then laid out per term.
	type rawPosting struct {
		term int32
		tf   float32
	}
	raw := make([][]rawPosting, len(comps))
	df := make([]int32, nterms)
	var total float64
	for i := range comps {
		var length float32
		add := func(ids []int32, w float32) {
			for _, s := range ids {
				if tf[s] == 0 {
					tfTouched = append(tfTouched, s)
				}
				tf[s] += w
				length += w
			}
		}
		for _, l := range ac[i].labels {
			w := weightLabel
			if l.kind == kindPreferred {
				w += weightPreferred
			}
			add(l.ids, w)
		}
		add(ac[i].descIDs, weightDesc)
		for _, st := range ac[i].descIDs {
			if !descSeen[st] {
				descSeen[st] = true
				descTouched = append(descTouched, st)
				if list, ok := single[st]; ok {
					single[st] = append(list, int32(i))
				}
				e.terms[st].descDF++
			}
		}
		for _, st := range descTouched {
			descSeen[st] = false
		}
		descTouched = descTouched[:0]
		if n := e.neighbours[i]; len(n) <= maxNeighbourDocs {
			for _, j := range n {
				for _, l := range ac[j].labels {
					if l.kind == kindPreferred {
						add(l.ids, weightNeighbour)
					}
				}
			}
		}
		e.docLen[i] = length
		total += float64(length)
		rp := make([]rawPosting, len(tfTouched))
		for k, s := range tfTouched {
			rp[k] = rawPosting{s, tf[s]}
			df[s]++
			tf[s] = 0
		}
		raw[i] = rp
		tfTouched = tfTouched[:0]
	}
	if len(comps) > 0 {
		e.avgLen = float32(total / float64(len(comps)))
	}
	e.docStart = make([]int32, len(comps)+1)
	for i, rp := range raw {
		e.docStart[i+1] = e.docStart[i] + int32(len(rp))
	}
	e.docTerms = make([]int32, 0, e.docStart[len(comps)])
	for _, rp := range raw {
		start := len(e.docTerms)
		for _, p := range rp {
			e.docTerms = append(e.docTerms, p.term)
		}
		slices.Sort(e.docTerms[start:])
	}
	e.bm25Norm = make([]float32, len(comps))
	for i, l := range e.docLen {
		e.bm25Norm[i] = bm25K1 * (1 - bm25B + bm25B*l/max(e.avgLen, 1))
	}
	// One backing array for every term's postings, by competency.
	var npost int
	for _, d := range df {
		npost += int(d)
	}
	backing := make([]posting, npost)
	off := 0
	for t := range e.terms {
		e.terms[t].postings = backing[off : off : off+int(df[t])]
		off += int(df[t])
	}
	for i, rp := range raw {
		for _, p := range rp {
			tm := &e.terms[p.term]
			tm.postings = append(tm.postings, posting{comp: int32(i), tf: p.tf})
		}
	}
	raw = nil
	n := float64(len(comps))
	var ntop int
	for t := range e.terms {
		ntop += min(len(e.terms[t].postings), maxImpact)
	}
	topBacking := make([]posting, 0, ntop)
	for t := range e.terms {
		tm := &e.terms[t]
		d := float64(len(tm.postings))
		tm.idf = float32(math.Log(1 + (n-d+0.5)/(d+0.5)))
		// In top, tf holds the BM25 impact tf·(k1+1)/(tf+norm), ready to
		// be multiplied by the IDF.
		top := make([]posting, len(tm.postings))
		for k, p := range tm.postings {
			top[k] = posting{comp: p.comp, tf: p.tf * (bm25K1 + 1) / (p.tf + e.bm25Norm[p.comp])}
		}
		if len(top) > maxImpact {
			slices.SortFunc(top, func(a, b posting) int {
				ia, ib := a.tf, b.tf
				switch {
				case ia > ib:
					return -1
				case ia < ib:
					return 1
				}
				return int(a.comp - b.comp)
			})
			top = top[:maxImpact]
		}
		start := len(topBacking)
		topBacking = append(topBacking, top...)
		tm.top = topBacking[start:len(topBacking):len(topBacking)]
	}

	// Phrases and the trie.
	nphrases := 0
	for i := range comps {
		nphrases += len(ac[i].labels)
	}
	e.phrases = make([]phrase, 0, nphrases)
	e.edges = make(map[uint64]int32, nphrases*2)
	ends := make([]int32, 0, nphrases) // trie node where each phrase ends
	nodes := int32(1)
	for i := range comps {
		for _, l := range ac[i].labels {
			e.phrases = append(e.phrases, phrase{comp: int32(i), kind: l.kind, stems: l.ids, lens: l.lens, label: l.text, shape: l.shape, upper: l.upper, langs: l.langs})
			node := int32(0)
			for _, st := range l.ids {
				k := edgeKey(node, st)
				child, ok := e.edges[k]
				if !ok {
					child = nodes
					nodes++
					e.edges[k] = child
				}
				node = child
			}
			ends = append(ends, node)
		}
	}

	// Phrases ending at each node, as one flat array (compressed rows).
	e.termStart = make([]int32, nodes+1)
	for _, n := range ends {
		e.termStart[n+1]++
	}
	for n := int32(1); n <= nodes; n++ {
		e.termStart[n] += e.termStart[n-1]
	}
	e.termList = make([]int32, len(ends))
	fill := slices.Clone(e.termStart[:nodes])
	for p, n := range ends {
		e.termList[fill[n]] = int32(p)
		fill[n]++
	}
	prefStems := make([][][]int32, len(comps))
	for p := range e.phrases {
		ph := &e.phrases[p]
		if ph.kind == kindPreferred {
			prefStems[ph.comp] = append(prefStems[ph.comp], ph.stems)
		}
	}
	for p := range e.phrases {
		ph := &e.phrases[p]
		for _, s := range ph.stems {
			ph.weight += e.terms[s].idf
		}
		ph.ambiguous = e.isAmbiguous(ph)
		ph.generic = e.isGeneric(ph)
		// A loose alternative (see looseAlt) gives a strong suggestion. A
		// one-word preferred label that is a plain word used in other
		// competencies' descriptions ("protein", "crafting") is too often
		// meant in passing: loose too.
		ph.loose = (ph.kind == kindAlt || ph.kind == kindHidden) && e.looseAlt(ph, prefStems[ph.comp]) ||
			ph.kind == kindPreferred && len(ph.stems) == 1 && !isName(ph.label) && e.passing(ph.comp, single[ph.stems[0]])
		if len(ph.stems) == 1 && isName(ph.label) {
			ph.norm = taxonomy.Fold(strings.TrimSpace(ph.label))
		}
	}
	for n := range len(e.termStart) - 1 {
		list := e.terminal(int32(n))
		if len(list) > 1 {
			sort.SliceStable(list, func(a, b int) bool { return e.phrases[list[a]].kind < e.phrases[list[b]].kind })
		}
	}
	e.derive()
	return e
}

// derive computes the lookup structures that follow from the index (terms,
// phrases, trie), after building it or loading it (see UnmarshalExtractor).
func (e *Extractor) derive() {
	if e.termIDs == nil {
		e.termIDs = make(map[string]int32, len(e.termStr))
		for i, s := range e.termStr {
			e.termIDs[s] = int32(i)
		}
	}
	e.filler = make([]bool, len(e.termStr))
	for i, s := range e.termStr {
		e.filler[i] = fillerStems[s]
	}
	e.conjID = e.termID(conjStem)
	e.bm25Norm = make([]float32, len(e.comps))
	for i, l := range e.docLen {
		e.bm25Norm[i] = bm25K1 * (1 - bm25B + bm25B*l/max(e.avgLen, 1))
	}
	e.rootChild = make([]int32, len(e.termStr))
	for t := range e.rootChild {
		e.rootChild[t] = e.edges[edgeKey(0, int32(t))]
	}
	e.compPhrases = make([][]int32, len(e.comps))
	e.ambiguousStems = nil
	e.labelLangs = make([]uint8, len(e.comps))
	for p := range e.phrases {
		ph := &e.phrases[p]
		e.compPhrases[ph.comp] = append(e.compPhrases[ph.comp], int32(p))
		e.labelLangs[ph.comp] |= ph.langs
		if ph.ambiguous {
			if e.ambiguousStems == nil {
				e.ambiguousStems = map[int32][]int32{}
			}
			if !slices.Contains(e.ambiguousStems[ph.comp], ph.stems[0]) {
				e.ambiguousStems[ph.comp] = append(e.ambiguousStems[ph.comp], ph.stems[0])
			}
		}
	}
	e.covStart = make([]int32, len(e.comps)+1)
	e.covSig = make([]uint64, len(e.comps))
	e.covs, e.covTerms = e.covs[:0], e.covTerms[:0]
	for c, list := range e.compPhrases {
		for _, p := range list {
			ph := &e.phrases[p]
			if ph.weight <= 0 {
				continue
			}
			off := len(e.covTerms)
			for k, st := range ph.stems {
				if !slices.Contains(ph.stems[:k], st) {
					e.covTerms = append(e.covTerms, st)
				}
			}
			var sig uint64
			for _, st := range e.covTerms[off:] {
				sig |= termSig(st)
			}
			e.covs = append(e.covs, covPhrase{sig: sig, weight: ph.weight, damp: ph.ambiguous || ph.generic, one: len(ph.stems) == 1,
				langs: ph.langs, off: int32(off), len: int32(len(e.covTerms) - off)})

			e.covSig[c] |= sig
		}
		e.covStart[c+1] = int32(len(e.covs))
	}
}

// newExtractorBase returns an Extractor of t with what the taxonomy gives
// without analysis: competency positions and relations.
func newExtractorBase(t *taxonomy.Taxonomy, an *Analyzer) *Extractor {
	if an == nil {
		an = DefaultAnalyzer()
	}
	comps := t.Competencies()
	e := &Extractor{
		tax:    t,
		an:     an,
		comps:  comps,
		index:  make(map[string]int32, len(comps)),
		docLen: make([]float32, len(comps)),
	}
	for i, c := range comps {
		e.index[c.ID] = int32(i)
	}

	// Relations.
	e.neighbours = make([][]int32, len(comps))
	e.broader = make([][]int32, len(comps))
	e.groups = make([]bool, len(comps))
	for i, c := range comps {
		e.groups[i] = c.Kind == taxonomy.KindGroup
		for _, id := range c.Broader {
			e.broader[i] = append(e.broader[i], e.index[id])
		}
		for _, list := range [][]string{c.Broader, c.Narrower, c.Related} {
			for _, id := range list {
				e.neighbours[i] = append(e.neighbours[i], e.index[id])
			}
		}
	}

	e.ancestors = make([][]int32, len(comps))
	done := make([]bool, len(comps))
	var up func(i int32) []int32
	up = func(i int32) []int32 {
		if done[i] {
			return e.ancestors[i]
		}
		done[i] = true // the hierarchy is acyclic (taxonomy.New checks)
		var list []int32
		for _, p := range e.broader[i] {
			list = append(list, p)
			list = append(list, up(p)...)
		}
		slices.Sort(list)
		e.ancestors[i] = slices.Compact(list)
		return e.ancestors[i]
	}
	for i := range comps {
		up(int32(i))
	}

	return e
}

// intern numbers the stems of seen (sets of the stems of ac collected by
// workers goroutines, worker w having analysed ac[w], ac[w+workers]…) in
// byte order, and sets the term IDs of ac, in parallel.
func (e *Extractor) intern(ac []analyzedComp, seen []map[string]struct{}, workers int) {
	n := 0
	for _, set := range seen {
		n = max(n, len(set))
	}
	ids := make(map[string]int32, n+n/4)
	for _, set := range seen {
		for s := range set {
			ids[s] = 0
		}
	}
	e.termStr = make([]string, 0, len(ids))
	for s := range ids {
		e.termStr = append(e.termStr, s)
	}
	slices.Sort(e.termStr)
	for i, s := range e.termStr {
		ids[s] = int32(i)
	}
	e.termIDs = ids
	e.terms = make([]term, len(e.termStr))
	e.filler = make([]bool, len(e.termStr))
	for i, s := range e.termStr {
		e.filler[i] = fillerStems[s]
	}
	e.conjID = e.termID(conjStem)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(ac); i += workers {
				for k := range ac[i].labels {
					l := &ac[i].labels[k]
					l.ids = make([]int32, len(l.stems))
					for j, s := range l.stems {
						l.ids[j] = ids[s]
					}
				}
				ac[i].descIDs = make([]int32, len(ac[i].desc))
				for j, s := range ac[i].desc {
					ac[i].descIDs[j] = ids[s]
				}
				ac[i].desc = nil
			}
		}(w)
	}
	wg.Wait()
}

// termID returns the ID of a stem, or -1 when no label or description of
// the taxonomy has it.
func (e *Extractor) termID(stem string) int32 {
	if id, ok := e.termIDs[stem]; ok {
		return id
	}
	return -1
}

// terminal returns the phrases that end at trie node n.
func (e *Extractor) terminal(n int32) []int32 {
	return e.termList[e.termStart[n]:e.termStart[n+1]]
}

// labelAnalyzer analyses labels and descriptions in bulk: one per
// goroutine, with its own word memo and token buffer.
type labelAnalyzer struct {
	an   *Analyzer
	memo *wordMemo
	buf  []Token
}

func (la *labelAnalyzer) tokens(text, lang string) []Token {
	if la.memo == nil {
		return la.an.Tokens(text, lang)
	}
	la.buf = la.an.tokensBuf(la.buf, text, lang, la.memo)
	return la.buf
}

// analyzeComp analyses every label (all languages) and description of c.
func (la *labelAnalyzer) analyzeComp(c *taxonomy.Competency) analyzedComp {
	var out analyzedComp
	for _, lang := range c.Languages() {
		l := c.Labels[lang]
		add := func(text string, kind labelKind) {
			stems, lens, shape, upper := la.labelWords(text, lang)
			out.labels = append(out.labels, analyzedLabel{kind: kind, text: text, stems: stems, lens: lens, shape: shape, upper: upper, langs: langBit(lang)})
			// "front-end" is also written "frontend", "life-cycle" "lifecycle".
			if strings.Contains(text, "-") {
				joined := strings.ReplaceAll(text, "-", "")
				stems, lens, shape, upper := la.labelWords(joined, lang)
				out.labels = append(out.labels, analyzedLabel{kind: kind, text: text, stems: stems, lens: lens, shape: shape, upper: upper, langs: langBit(lang)})
			}
			// "Java (computer programming)" is written "Java".
			if i := strings.IndexByte(text, '('); i > 0 && strings.HasSuffix(strings.TrimSpace(text), ")") {
				short := strings.TrimSpace(text[:i])
				stems, lens, shape, upper := la.labelWords(short, lang)
				out.labels = append(out.labels, analyzedLabel{kind: kindShortened, text: short, stems: stems, lens: lens, shape: shape, upper: upper, langs: langBit(lang)})
			}
		}
		if l.Preferred != "" {
			add(l.Preferred, kindPreferred)
		}
		for _, a := range l.Alt {
			add(a, kindAlt)
		}
		for _, h := range l.Hidden {
			add(h, kindHidden)
		}
	}
	// Keep the first (best kind) of labels with the same stems, in all the
	// languages that have it.
	seen := make(map[string]int, len(out.labels))
	kept := out.labels[:0]
	for _, l := range out.labels {
		key := strings.Join(l.stems, "\x00")
		if len(l.stems) == 0 {
			continue
		}
		if k, ok := seen[key]; ok {
			kept[k].langs |= l.langs
			continue
		}
		seen[key] = len(kept)
		kept = append(kept, l)
	}
	out.labels = kept
	langs := make([]string, 0, len(c.Description))
	for lang := range c.Description {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		if la.memo != nil {
			out.desc = la.an.appendContentStems(out.desc, c.Description[lang], lang, la.memo)
			continue
		}
		for _, t := range la.tokens(c.Description[lang], lang) {
			if !t.Stop {
				out.desc = append(out.desc, t.Stem)
			}
		}
	}
	return out
}

func (e *Extractor) labelStems(text, lang string) ([]string, Shape, bool) {
	la := labelAnalyzer{an: e.an}
	stems, _, shape, upper := la.labelWords(text, lang)
	return stems, shape, upper
}

// labelWords analyses a label into the stems phrase matching walks, the
// length in runes of the word behind each stem (0 for a conjunction), its
// shape when it is one word, and whether it has a capital letter.
func (la *labelAnalyzer) labelWords(text, lang string) ([]string, []uint8, Shape, bool) {
	toks := la.tokens(strings.TrimSpace(text), lang)
	stems := make([]string, 0, len(toks))
	lens := make([]uint8, 0, len(toks))
	for i := range toks {
		t := &toks[i]
		switch {
		case !t.Stop:
			stems = append(stems, t.Stem)
			lens = append(lens, runeLen(t.Norm))
		case isConj(t.Norm) && len(stems) > 0 && stems[len(stems)-1] != conjStem:
			stems = append(stems, conjStem)
			lens = append(lens, 0)
		}
	}
	for len(stems) > 0 && stems[len(stems)-1] == conjStem {
		stems, lens = stems[:len(stems)-1], lens[:len(lens)-1]
	}
	if len(stems) == 0 {
		// A label made of stop words only ("IT" is not one): keep them.
		for _, t := range toks {
			stems = append(stems, t.Stem)
			lens = append(lens, runeLen(t.Norm))
		}
	}
	upper := strings.ToLower(text) != text
	shape := ShapeLower
	if len(toks) == 1 {
		shape = toks[0].Shape
	}
	return stems, lens, shape, upper
}

func runeLen(s string) uint8 {
	return uint8(min(utf8.RuneCountInString(s), 255))
}

// maxInflection is how many more or fewer letters a word of the text may
// have than the label word with the same stem: "rapprochements" matches
// "rapprochement" and "communicate" "communication", but "management" does
// not match "manage" (Snowball strips derivational suffixes too).
const maxInflection = 3

// anyForm reports whether one of the phrases has the form of the text at
// content index ci.
func (e *Extractor) anyForm(toks []Token, content []int, ci int, list []int32) bool {
	for _, p := range list {
		if sameForm(toks, content, ci, &e.phrases[p]) {
			return true
		}
	}
	return false
}

// sameForm reports whether the content tokens of the text from index ci on
// are close enough in form to the phrase's words.
func sameForm(toks []Token, content []int, ci int, p *phrase) bool {
	for k, l := range p.lens {
		if l == 0 || ci+k >= len(content) {
			continue
		}
		n := int(runeLen(toks[content[ci+k]].Norm))
		if d := n - int(l); d > maxInflection || d < -maxInflection {
			return false
		}
	}
	return true
}

// ambiguousNames are words that name a technology but are also common words
// in English or French; a one-word label made of one needs evidence.
var ambiguousNames = setOf("go", "swift", "excel", "rust", "ruby", "spark", "chef", "puppet", "lean", "less",
	"shell", "dart", "julia", "elm", "pig", "hive", "flask", "express", "spring", "access", "word", "outlook",
	"teams", "basic", "scheme", "logo", "scratch", "pascal", "crystal", "unity", "oracle", "office", "project",
	"vision", "sage", "paint", "premiere", "numbers", "pages", "keynote", "bootstrap", "ember", "backbone",
	"meteor", "mercury", "salt", "jade", "pug", "sass", "nest", "next", "gatsby", "apex", "delphi", "maple",
	"eclipse", "slack", "zoom", "notion", "miro", "asana", "trello", "make", "ant", "bash", "fish",
	"groovy", "alice", "io", "tableau", "solid", "polymer", "prism", "d", "r", "c", "j", "q", "s", "k", "e", "v", "b", "m", "f", "it")

// isAmbiguous reports whether a phrase needs evidence before it counts: a
// one-word label of at most two letters, a known technology name that is
// also a common word, or a capitalised name whose word is frequent in the
// taxonomy's descriptions.
func (e *Extractor) isAmbiguous(p *phrase) bool {
	if len(p.stems) != 1 {
		return false
	}
	s := p.stems[0]
	norm := taxonomy.Fold(strings.TrimSpace(p.label))
	if len([]rune(norm)) <= 2 || ambiguousNames[norm] || ambiguousNames[e.termStr[s]] {
		return true
	}
	if p.upper && p.shape == ShapeCapitalized {
		tm := e.terms[s]
		descDF := int(tm.descDF)
		if descDF >= 3 && float64(descDF) >= 0.0015*float64(len(e.comps)) {
			return true
		}
	}
	return false
}

// genericDF is the share of competency descriptions above which a word is
// too common to be a one-word label that is detected on its own.
const genericDF = 0.01

// isGeneric reports whether a phrase may not be detected: a label of a
// group, or a one-word label that frames requirements ("experience",
// "skills") or whose word is frequent in the taxonomy's descriptions
// ("data", "work").
func (e *Extractor) isGeneric(p *phrase) bool {
	if e.comps[p.comp].Kind == taxonomy.KindGroup {
		return true
	}
	if len(p.stems) != 1 {
		return false
	}
	if fillerWords[taxonomy.Fold(strings.TrimSpace(p.label))] || e.filler[p.stems[0]] && !isName(p.label) {
		return true // "experience", "knowledge", "skills"; but "Excel" is not "excellent"
	}
	tm := e.terms[p.stems[0]]
	descDF := int(tm.descDF)
	return float64(descDF) > genericDF*float64(len(e.comps)) && descDF > 20
}

// passing reports whether the word of a one-word preferred label is used
// in passing elsewhere: in the descriptions of three competencies or more
// that are neither the labelled competency, its neighbours nor below it.
// "protein" in ESCO's descriptions of unrelated skills is such a word;
// "soudage" in the descriptions of MIG and TIG welding is not.
func (e *Extractor) passing(comp int32, users []int32) bool {
	n := 0
	for _, u := range users {
		if u == comp || slices.Contains(e.neighbours[comp], u) {
			continue
		}
		if e.isAncestor(comp, u) {
			continue
		}
		if n++; n >= 3 {
			return true
		}
	}
	return false
}

// looseAlt reports whether an alternative or hidden label is only loosely
// a synonym: a plain-word label that does not contain every word of a
// preferred label ("presentation skills" for "address an audience", "stay
// focused" for "stay alert"; but "operate a forklift" is tight for
// "forklift operation"), or a name ("PowerShell") given to a competency
// whose preferred label is a plain concept ("computer programming"), of
// which it is an example.
func (e *Extractor) looseAlt(ph *phrase, prefs [][]int32) bool {
	if isName(ph.label) {
		return !isName(e.comps[ph.comp].Label("en")) && !isName(e.comps[ph.comp].Label("fr"))
	}
	for _, pref := range prefs {
		all := true
		for _, s := range pref {
			if s != e.conjID && !slices.Contains(ph.stems, s) {
				all = false
				break
			}
		}
		if all {
			return false
		}
	}
	return true
}

// isName reports whether a label is written like a name (a capital, a digit
// or a symbol: "Java", "SQL", "C++", "ISO 9001") rather than as plain words.
// A multi-word label whose only capital is its first letter ("Digital
// literacy") is a sentence-case concept, not a name.
func isName(label string) bool {
	if strings.ContainsAny(label, "0123456789+#./&") {
		return true
	}
	_, size := utf8.DecodeRuneInString(label)
	rest := label[size:]
	if strings.ToLower(rest) != rest {
		return true
	}
	return strings.ToLower(label) != label && !strings.Contains(strings.TrimSpace(label), " ")
}

// conjStem stands for "and", "or", "&", "et", "ou" in phrases: a label
// without a conjunction does not match text with one ("architecture and
// design" is not "architectural design").
const conjStem = "&"

func isConj(norm string) bool {
	switch norm {
	case "and", "or", "&", "et", "ou", "nor":
		return true
	}
	return false
}

// isAncestor reports whether a is broader than b, at any distance.
func (e *Extractor) isAncestor(a, b int32) bool {
	_, ok := slices.BinarySearch(e.ancestors[b], a)
	return ok
}

func otherLang(lang string) string {
	if lang == French {
		return English
	}
	return French
}

// match is one phrase occurrence in the text.
type match struct {
	first, last int // token indices (inclusive) in the document
	ci          int // index of first in the content tokens
	phrases     []int32
	ntok        int  // content tokens covered
	strict      bool // a phrase of it detects (neither loose nor generic)
	kind        labelKind
}

// contentTerms returns the term ID each content token contributes to
// phrase matching (its stem, or conjStem for a conjunction), -1 for a stem
// no label or description has.
func (e *Extractor) contentTerms(toks []Token, content []int) []int32 {
	ids := make([]int32, len(content))
	for ci, ti := range content {
		t := &toks[ti]
		if t.Stop && isConj(t.Norm) {
			ids[ci] = e.conjID
			continue
		}
		ids[ci] = e.termID(t.Stem)
	}
	return ids
}

// step returns the trie node reached from node on term id (-1: a term no
// label has).
func (e *Extractor) step(node, id int32) (int32, bool) {
	switch {
	case id < 0:
		return 0, false
	case node == 0:
		child := e.rootChild[id]
		return child, child != 0
	}
	child, ok := e.edges[edgeKey(node, id)]
	return child, ok
}

// noTerm marks a term not looked up yet in altTerms.
const noTerm = -2

// detect finds label occurrences: at every content token it walks the trie
// as far as the stems allow and keeps the longest phrase; overlapping
// occurrences are resolved longest first, then leftmost. ids are the
// content terms (see contentTerms).
func (e *Extractor) detect(toks []Token, content []int, ids []int32) []match {
	found := make([]match, 0, len(content)/4+4)
	// alt[ci] is the term of the content token stemmed in the other
	// language, looked up when first needed.
	var alt []int32
	for ci, ti := range content {
		node := int32(0)
		var best match
		sentence := toks[ti].Sentence
		for cj := ci; cj < len(content); cj++ {
			t := &toks[content[cj]]
			if t.Sentence != sentence {
				break
			}
			child, ok := e.step(node, ids[cj])
			if !ok && !t.Stop {
				// A word of the other language ("Anglais" in a text
				// detected as English) still meets its labels.
				if alt == nil {
					alt = make([]int32, len(content))
					for k := range alt {
						alt[k] = noTerm
					}
				}
				if alt[cj] == noTerm {
					alt[cj] = -1
					if s := e.an.Stem(t.Text, otherLang(t.Lang)); s != t.Stem {
						alt[cj] = e.termID(s)
					}
				}
				child, ok = e.step(node, alt[cj])
			}
			if !ok {
				break
			}
			node = child
			if list := e.terminal(node); len(list) > 0 && e.anyForm(toks, content, ci, list) {
				best = match{first: ti, last: content[cj], ci: ci, phrases: list, ntok: cj - ci + 1}
			}
		}
		if best.ntok > 0 {
			// Among equally long matches, one with a label that detects
			// (not loose) wins, then the best label kind.
			best.kind = kindShortened + 1
			for _, p := range best.phrases {
				ph := &e.phrases[p]
				best.strict = best.strict || !ph.loose && !ph.generic
				best.kind = min(best.kind, ph.kind)
			}
			found = append(found, best)
		}
	}
	// Longest first; among equals, one with a label that detects (not
	// loose), then the best label kind, then the leftmost.
	slices.SortStableFunc(found, func(a, b match) int {
		if a.ntok != b.ntok {
			return b.ntok - a.ntok
		}
		if a.strict != b.strict {
			if a.strict {
				return -1
			}
			return 1
		}
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		return a.first - b.first
	})
	kept := found[:0]
	for _, m := range found {
		overlap := false
		for _, k := range kept {
			if m.first <= k.last && k.first <= m.last {
				overlap = true
				break
			}
		}
		if !overlap {
			kept = append(kept, m)
		}
	}
	slices.SortFunc(kept, func(a, b match) int { return a.first - b.first })
	return kept
}

// detection is an accepted phrase occurrence of one competency.
type detection struct {
	comp  int32
	kind  labelKind
	loose bool // an occurrence of a loose label: a strong suggestion
	first int  // token indices
	last  int
}

// resolve turns phrase occurrences into detections: of the phrases ending at
// a trie node it keeps those of the best label kind, and it drops ambiguous
// one-word labels that lack evidence (written like the name, next to another
// detected competency, or in a list).
func (e *Extractor) resolve(toks []Token, content []int, matches []match) []detection {
	out := make([]detection, 0, len(matches)+len(matches)/2)
	sure := make([]bool, len(matches))
	for i, m := range matches {
		for _, p := range m.phrases {
			if !e.phrases[p].ambiguous {
				sure[i] = true
				break
			}
		}
	}
	for i, m := range matches {
		bestKind := e.phrases[m.phrases[0]].kind
		start := len(out) // out[start:] are the detections of m
		for _, p := range m.phrases {
			ph := &e.phrases[p]
			if ph.kind != bestKind || ph.generic || !sameForm(toks, content, m.ci, ph) || detectedComp(out[start:], ph.comp) {
				continue
			}
			if ph.ambiguous && !sure[i] && !e.evidence(toks, matches, sure, i, ph) {
				continue
			}
			if ph.norm != "" && m.first == m.last && !sameName(toks[m.first].Norm, ph.norm) {
				continue // "solid" is not "Solidity", though both stem to "solid"
			}
			if m.first == m.last && e.foreign(ph, toks[m.first].Lang) && taxonomy.Fold(ph.label) != toks[m.first].Norm {
				continue // English "message" is not the French label "messager"
			}
			out = append(out, detection{comp: ph.comp, kind: ph.kind, loose: ph.loose, first: m.first, last: m.last})
		}
	}
	return out
}

// langBit is the bit of lang in phrase.langs.
func langBit(lang string) uint8 { return 1 << langIndex(lang) }

// foreign reports whether phrase ph is in another language than lang while
// its competency has labels in lang: those labels speak for it in text of
// that language, and a one-word label of the other language that stems
// alike but is written otherwise is a false friend.
func (e *Extractor) foreign(ph *phrase, lang string) bool {
	b := langBit(lang)
	return ph.langs&b == 0 && e.labelLangs[ph.comp]&b != 0
}

func detectedComp(dets []detection, comp int32) bool {
	for i := range dets {
		if dets[i].comp == comp {
			return true
		}
	}
	return false
}

// evidence decides whether the ambiguous one-word phrase ph, matched by
// matches[i], really names the competency.
func (e *Extractor) evidence(toks []Token, matches []match, sure []bool, i int, ph *phrase) bool {
	t := &toks[matches[i].first]
	caseOK := false
	if ph.upper {
		switch ph.shape {
		case ShapeUpper:
			caseOK = t.Shape == ShapeUpper
		case ShapeCapitalized, ShapeMixed:
			caseOK = t.Shape != ShapeLower && (!t.SentenceStart || t.Shape == ShapeMixed)
		}
	} else {
		caseOK = t.Shape == ShapeLower && !t.SentenceStart
	}
	neighbour := false
	for j, m := range matches {
		if j != i && sure[j] && toks[m.first].Sentence == t.Sentence && abs(m.first-matches[i].first) <= 8 {
			neighbour = true
			break
		}
	}
	list := isListed(toks, matches[i].first)
	if !caseOK && ph.upper && t.SentenceStart && t.Shape == ph.shape && neighbour && list {
		caseOK = true // "Go, Python and C++" opening a line
	}
	switch {
	case len([]rune(t.Norm)) <= 2:
		return caseOK && (neighbour || list) // "Go", "R", "C"
	case ambiguousNames[t.Norm]:
		return caseOK || neighbour && list // "Excel", "Swift", "Rust"
	}
	return caseOK || neighbour || list
}

// isListed reports whether token i stands in a list: a comma, slash,
// parenthesis, colon or bullet right before or after it.
func isListed(toks []Token, i int) bool {
	listSep := func(r rune) bool {
		return r == ',' || r == '/' || r == '(' || r == ')' || r == ':' || r == '•' || r == '|' || r == '*' || r == '-' || r == '·' || r == '▪'
	}
	if listSep(toks[i].Before) {
		return true
	}
	if i+1 < len(toks) && toks[i+1].Sentence == toks[i].Sentence && listSep(toks[i+1].Before) {
		return true
	}
	// "and Go", "or R" closing a list.
	if i >= 2 && (toks[i-1].Norm == "and" || toks[i-1].Norm == "or" || toks[i-1].Norm == "et" || toks[i-1].Norm == "ou") && toks[i-1].Sentence == toks[i].Sentence {
		return listSep(toks[i-1].Before) || toks[i-2].Before == ','
	}
	return false
}

// sameName reports whether a token written as norm names the one-word label
// name: equal, or its plural.
func sameName(norm, name string) bool {
	return norm == name || norm == name+"s" || norm == name+"es"
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
