package matcher

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// The built index of an Extractor (interned stems, BM25 postings, phrases
// and their trie) can be saved with MarshalBinary and loaded back with
// UnmarshalExtractor, which takes a fraction of the time of NewExtractor on
// a large framework such as ESCO. LoadOrBuildExtractor keeps such files in a
// cache folder, keyed by IndexKey.

// indexMagic opens every saved index; indexVersion changes whenever the
// layout or the analysis behind it changes.
const (
	indexMagic   = "SKMX"
	indexVersion = 2
)

// ErrIndexStale is returned (wrapped) by UnmarshalExtractor when the saved
// index was built from another taxonomy, or by another build of the
// program: build a new one.
var ErrIndexStale = errors.New("saved extraction index does not match this taxonomy or program version")

// IndexKey returns a hex SHA-256 of everything the extraction index of t
// depends on: the labels, descriptions, kinds and relations of every
// competency, the index format version and the program's build revision
// (the stemming rules are code). Two taxonomies with the same key give the
// same index.
func IndexKey(t *taxonomy.Taxonomy) string {
	k := keyWriter{h: sha256.New(), buf: make([]byte, 0, 64<<10)}
	k.str(fmt.Sprintf("%s/%d/%s", indexMagic, indexVersion, buildRevision()))
	var langs []string
	for _, c := range t.Competencies() {
		k.str(c.ID)
		k.str(string(c.Kind))
		langs = appendSortedKeys(langs[:0], c.Labels)
		for _, lang := range langs {
			l := c.Labels[lang]
			k.tag('L', len(lang))
			k.str(lang)
			k.str(l.Preferred)
			k.list('A', l.Alt)
			k.list('H', l.Hidden)
		}
		langs = appendSortedKeys(langs[:0], c.Description)
		for _, lang := range langs {
			k.tag('D', len(lang))
			k.str(lang)
			k.str(c.Description[lang])
		}
		k.list('B', c.Broader)
		k.list('N', c.Narrower)
		k.list('R', c.Related)
	}
	k.flush()
	return hex.EncodeToString(k.h.Sum(nil))
}

// keyWriter feeds length-prefixed strings to a hash through a buffer.
type keyWriter struct {
	h   hash.Hash
	buf []byte
}

func (k *keyWriter) tag(c byte, n int) {
	k.buf = append(k.buf, c)
	k.buf = binary.AppendUvarint(k.buf, uint64(n))
}

func (k *keyWriter) str(s string) {
	k.buf = binary.AppendUvarint(k.buf, uint64(len(s)))
	k.buf = append(k.buf, s...)
	if len(k.buf) >= 32<<10 {
		k.flush()
	}
}

func (k *keyWriter) list(c byte, list []string) {
	k.tag(c, len(list))
	for _, s := range list {
		k.str(s)
	}
}

func (k *keyWriter) flush() {
	k.h.Write(k.buf)
	k.buf = k.buf[:0]
}

func appendSortedKeys[V any](dst []string, m map[string]V) []string {
	for key := range m {
		dst = append(dst, key)
	}
	slices.Sort(dst)
	return dst
}

var buildRevision = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	rev := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
			rev += "/" + s.Value
		}
	}
	return rev
})

// MarshalBinary returns the built index of e (not the taxonomy, which the
// loader is given again) in a compact binary form, for UnmarshalExtractor.
// The output is deterministic.
func (e *Extractor) MarshalBinary() ([]byte, error) {
	w := &indexWriter{b: make([]byte, 0, 16<<20)}
	w.b = append(w.b, indexMagic...)
	w.u32(indexVersion)
	w.str(IndexKey(e.tax))
	w.u32(uint32(len(e.comps)))

	w.strs(e.termStr)
	idf := make([]float32, len(e.terms))
	descDF := make([]int32, len(e.terms))
	postLen := make([]int32, len(e.terms))
	topLen := make([]int32, len(e.terms))
	var postComp, topComp []int32
	var postTF, topTF []float32
	for i := range e.terms {
		tm := &e.terms[i]
		idf[i], descDF[i] = tm.idf, tm.descDF
		postLen[i], topLen[i] = int32(len(tm.postings)), int32(len(tm.top))
		for _, p := range tm.postings {
			postComp, postTF = append(postComp, p.comp), append(postTF, p.tf)
		}
		for _, p := range tm.top {
			topComp, topTF = append(topComp, p.comp), append(topTF, p.tf)
		}
	}
	w.f32s(idf)
	w.i32s(descDF)
	w.i32s(postLen)
	w.i32s(postComp)
	w.f32s(postTF)
	w.i32s(topLen)
	w.i32s(topComp)
	w.f32s(topTF)

	w.f32s(e.docLen)
	w.f32s([]float32{e.avgLen})
	w.i32s(e.docStart)
	w.i32s(e.docTerms)

	n := len(e.phrases)
	comp := make([]int32, n)
	meta := make([]byte, 0, 3*n)
	weight := make([]float32, n)
	stemLen := make([]int32, n)
	var stems []int32
	var lens []byte
	labels := make([]string, n)
	norms := make([]string, n)
	for i := range e.phrases {
		ph := &e.phrases[i]
		comp[i], weight[i], stemLen[i] = ph.comp, ph.weight, int32(len(ph.stems))
		meta = append(meta, byte(ph.kind), byte(ph.shape), flagsOf(ph))
		stems = append(stems, ph.stems...)
		lens = append(lens, ph.lens...)
		labels[i], norms[i] = ph.label, ph.norm
	}
	w.i32s(comp)
	w.bytes(meta)
	w.f32s(weight)
	w.i32s(stemLen)
	w.i32s(stems)
	w.bytes(lens)
	w.strs(labels)
	w.strs(norms)

	keys := make([]uint64, 0, len(e.edges))
	for k := range e.edges {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	children := make([]int32, len(keys))
	for i, k := range keys {
		children[i] = e.edges[k]
	}
	w.u64s(keys)
	w.i32s(children)
	w.i32s(e.termStart)
	w.i32s(e.termList)
	return w.b, nil
}

const (
	flagAmbiguous = 1 << iota
	flagGeneric
	flagLoose
	flagUpper
	flagEnglish
	flagFrench
)

// langsOf returns the phrase.langs of phrase flags f.
func langsOf(f byte) uint8 {
	var l uint8
	if f&flagEnglish != 0 {
		l |= langBit(English)
	}
	if f&flagFrench != 0 {
		l |= langBit(French)
	}
	return l
}

func flagsOf(ph *phrase) byte {
	var f byte
	if ph.ambiguous {
		f |= flagAmbiguous
	}
	if ph.generic {
		f |= flagGeneric
	}
	if ph.loose {
		f |= flagLoose
	}
	if ph.upper {
		f |= flagUpper
	}
	if ph.langs&langBit(English) != 0 {
		f |= flagEnglish
	}
	if ph.langs&langBit(French) != 0 {
		f |= flagFrench
	}
	return f
}

// UnmarshalExtractor returns the Extractor of t whose index MarshalBinary
// saved in data, with the analyzer an (nil means DefaultAnalyzer). It fails
// with an error wrapping ErrIndexStale when data was built from another
// taxonomy or by another build, and with a description of the damage when
// data is truncated or corrupt.
func UnmarshalExtractor(t *taxonomy.Taxonomy, an *Analyzer, data []byte) (*Extractor, error) {
	return unmarshalExtractor(t, an, data, IndexKey(t))
}

// unmarshalExtractor is UnmarshalExtractor with the IndexKey of t.
func unmarshalExtractor(t *taxonomy.Taxonomy, an *Analyzer, data []byte, want string) (*Extractor, error) {
	r := &indexReader{b: data}
	if string(r.take(len(indexMagic))) != indexMagic {
		return nil, fmt.Errorf("extraction index: not a saved index (no %q header)", indexMagic)
	}
	if v := r.u32(); r.err == nil && v != indexVersion {
		return nil, fmt.Errorf("extraction index: format version %d, this program reads %d: %w", v, indexVersion, ErrIndexStale)
	}
	if key := r.str(); r.err == nil && key != want {
		return nil, fmt.Errorf("extraction index: built for taxonomy/program %.12s…, not %.12s…: %w", key, want, ErrIndexStale)
	}
	e := newExtractorBase(t, an)
	if nc := r.u32(); r.err == nil && int(nc) != len(e.comps) {
		return nil, fmt.Errorf("extraction index: %d competencies, the taxonomy has %d: %w", nc, len(e.comps), ErrIndexStale)
	}

	e.termStr = r.strs()
	nt := len(e.termStr)
	idf, descDF := r.f32s(), r.i32s()
	postLen, postComp, postTF := r.i32s(), r.i32s(), r.f32s()
	topLen, topComp, topTF := r.i32s(), r.i32s(), r.f32s()
	if r.err == nil && (len(idf) != nt || len(descDF) != nt || len(postLen) != nt || len(topLen) != nt ||
		len(postComp) != len(postTF) || len(topComp) != len(topTF)) {
		r.fail("term tables of unequal lengths")
	}
	e.terms = make([]term, nt)
	if r.err == nil {
		posts := r.postings("postings", postLen, postComp, postTF, len(e.comps))
		tops := r.postings("top postings", topLen, topComp, topTF, len(e.comps))
		for i := 0; r.err == nil && i < nt; i++ {
			e.terms[i] = term{idf: idf[i], descDF: descDF[i], postings: posts[i], top: tops[i]}
		}
	}

	e.docLen = r.f32s()
	if avg := r.f32s(); len(avg) == 1 {
		e.avgLen = avg[0]
	} else {
		r.fail("average document length")
	}
	e.docStart, e.docTerms = r.i32s(), r.i32s()
	if r.err == nil && (len(e.docLen) != len(e.comps) || len(e.docStart) != len(e.comps)+1 ||
		!r.offsets(e.docStart, len(e.docTerms)) || !r.ids(e.docTerms, nt)) {
		r.fail("document tables")
	}

	comp, meta, weight := r.i32s(), r.bytes(), r.f32s()
	stemLen, stems, lens := r.i32s(), r.i32s(), r.bytes()
	labels, norms := r.strs(), r.strs()
	n := len(comp)
	if r.err == nil && (len(meta) != 3*n || len(weight) != n || len(stemLen) != n || len(labels) != n || len(norms) != n ||
		len(lens) != len(stems) || !r.ids(comp, len(e.comps)) || !r.ids(stems, nt)) {
		r.fail("phrase tables")
	}
	if r.err == nil {
		e.phrases = make([]phrase, n)
		off := 0
		for i := range e.phrases {
			l := int(stemLen[i])
			if l <= 0 || off+l > len(stems) {
				r.fail("phrase terms")
				break
			}
			f := meta[3*i+2]
			e.phrases[i] = phrase{
				comp: comp[i], kind: labelKind(meta[3*i]), shape: Shape(meta[3*i+1]),
				ambiguous: f&flagAmbiguous != 0, generic: f&flagGeneric != 0, loose: f&flagLoose != 0, upper: f&flagUpper != 0, langs: langsOf(f),
				stems: stems[off : off+l : off+l], lens: lens[off : off+l : off+l], weight: weight[i], label: labels[i], norm: norms[i],
			}
			off += l
		}
	}

	keys, children := r.u64s(), r.i32s()
	e.termStart, e.termList = r.i32s(), r.i32s()
	nodes := len(e.termStart) - 1
	if r.err == nil && (len(keys) != len(children) || nodes < 1 || !r.offsets(e.termStart, len(e.termList)) ||
		!r.ids(children, nodes) || !r.ids(e.termList, len(e.phrases))) {
		r.fail("trie tables")
	}
	if r.err == nil {
		e.edges = make(map[uint64]int32, len(keys))
		for i, k := range keys {
			if int(k>>32) >= nodes || int(uint32(k)) >= nt {
				r.fail("trie edge")
				break
			}
			e.edges[k] = children[i]
		}
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail(fmt.Sprintf("%d bytes after the end", len(r.b)))
	}
	if r.err != nil {
		return nil, fmt.Errorf("extraction index: %w (rebuild it)", r.err)
	}
	e.derive()
	return e, nil
}

// DefaultIndexCacheDir returns the folder where LoadOrBuildExtractor keeps
// indexes by default: skillmatch/index in the user cache directory.
func DefaultIndexCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache directory for the extraction index: %w", err)
	}
	return filepath.Join(dir, "skillmatch", "index"), nil
}

// LoadOrBuildExtractor returns the Extractor of t, loading its index from
// dir when a file for IndexKey(t) is there and valid, and otherwise
// building it and saving it there (atomically, by renaming a complete
// temporary file). A cache that cannot be read or written is not an error
// for extraction: the index is then built, and the error says why it was
// not saved.
func LoadOrBuildExtractor(t *taxonomy.Taxonomy, an *Analyzer, dir string) (*Extractor, error) {
	key := IndexKey(t)
	path := filepath.Join(dir, "extract-"+key[:32]+".idx")
	if data, err := os.ReadFile(path); err == nil {
		if e, err := unmarshalExtractor(t, an, data, key); err == nil {
			return e, nil
		}
	}
	e := NewExtractor(t, an)
	data, err := e.MarshalBinary()
	if err != nil {
		return e, fmt.Errorf("saving the extraction index to %s: %w", path, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return e, fmt.Errorf("saving the extraction index: creating %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "extract-*.tmp")
	if err != nil {
		return e, fmt.Errorf("saving the extraction index in %s: %w", dir, err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return e, fmt.Errorf("saving the extraction index to %s: %w", path, werr)
	}
	return e, nil
}

// indexWriter appends little-endian tables with length prefixes.
type indexWriter struct{ b []byte }

func (w *indexWriter) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }

func (w *indexWriter) i32s(v []int32) {
	w.u32(uint32(len(v)))
	for _, x := range v {
		w.b = binary.LittleEndian.AppendUint32(w.b, uint32(x))
	}
}

func (w *indexWriter) u64s(v []uint64) {
	w.u32(uint32(len(v)))
	for _, x := range v {
		w.b = binary.LittleEndian.AppendUint64(w.b, x)
	}
}

func (w *indexWriter) f32s(v []float32) {
	w.u32(uint32(len(v)))
	for _, x := range v {
		w.b = binary.LittleEndian.AppendUint32(w.b, math.Float32bits(x))
	}
}

func (w *indexWriter) bytes(v []byte) {
	w.u32(uint32(len(v)))
	w.b = append(w.b, v...)
}

func (w *indexWriter) str(s string) {
	w.u32(uint32(len(s)))
	w.b = append(w.b, s...)
}

// strs writes the lengths, then every string's bytes, so that the reader
// makes one string of all of them and slices it.
func (w *indexWriter) strs(v []string) {
	lens := make([]int32, len(v))
	total := 0
	for i, s := range v {
		lens[i] = int32(len(s))
		total += len(s)
	}
	w.i32s(lens)
	w.u32(uint32(total))
	for _, s := range v {
		w.b = append(w.b, s...)
	}
}

// indexReader reads what indexWriter wrote; the first error sticks and
// every later read returns zero values.
type indexReader struct {
	b   []byte
	err error
}

func (r *indexReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("corrupt or truncated: %s", what)
	}
}

func (r *indexReader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.fail(fmt.Sprintf("a table of %d bytes with %d left", n, len(r.b)))
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *indexReader) u32() uint32 {
	b := r.take(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *indexReader) count(size int) int {
	n := int(r.u32())
	if r.err == nil && n > len(r.b)/size {
		r.fail(fmt.Sprintf("a table of %d entries with %d bytes left", n, len(r.b)))
		return 0
	}
	return n
}

func (r *indexReader) i32s() []int32 {
	n := r.count(4)
	b := r.take(4 * n)
	if b == nil {
		return nil
	}
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

func (r *indexReader) u64s() []uint64 {
	n := r.count(8)
	b := r.take(8 * n)
	if b == nil {
		return nil
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return out
}

func (r *indexReader) f32s() []float32 {
	n := r.count(4)
	b := r.take(4 * n)
	if b == nil {
		return nil
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

func (r *indexReader) bytes() []byte {
	n := r.count(1)
	return slices.Clone(r.take(n))
}

func (r *indexReader) str() string {
	n := r.count(1)
	return string(r.take(n))
}

func (r *indexReader) strs() []string {
	lens := r.i32s()
	all := r.str()
	if r.err != nil {
		return nil
	}
	out := make([]string, len(lens))
	off := 0
	for i, l := range lens {
		if l < 0 || off+int(l) > len(all) {
			r.fail("string table")
			return nil
		}
		out[i] = all[off : off+int(l)]
		off += int(l)
	}
	if off != len(all) {
		r.fail("string table length")
		return nil
	}
	return out
}

// postings lays out the postings of every term (lens[t] of them, in
// comp/tf order) over one backing array.
func (r *indexReader) postings(what string, lens, comp []int32, tf []float32, ncomps int) [][]posting {
	backing := make([]posting, len(comp))
	for i := range backing {
		if comp[i] < 0 || int(comp[i]) >= ncomps {
			r.fail(what)
			return nil
		}
		backing[i] = posting{comp: comp[i], tf: tf[i]}
	}
	out := make([][]posting, len(lens))
	off := 0
	for t, l := range lens {
		if l < 0 || off+int(l) > len(backing) {
			r.fail(what)
			return nil
		}
		out[t] = backing[off : off+int(l) : off+int(l)]
		off += int(l)
	}
	if off != len(backing) {
		r.fail(what)
		return nil
	}
	return out
}

// offsets reports whether starts are non-decreasing offsets from 0 to n.
func (r *indexReader) offsets(starts []int32, n int) bool {
	if len(starts) == 0 || starts[0] != 0 || int(starts[len(starts)-1]) != n {
		return false
	}
	for i := 1; i < len(starts); i++ {
		if starts[i] < starts[i-1] {
			return false
		}
	}
	return true
}

// ids reports whether every id is in [0,n).
func (r *indexReader) ids(list []int32, n int) bool {
	for _, id := range list {
		if id < 0 || int(id) >= n {
			return false
		}
	}
	return true
}
