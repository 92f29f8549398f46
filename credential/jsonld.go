package credential

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/piprate/json-gold/ld"

	"github.com/skillmatch/skillmatch/credential/contexts"
)

// Errors of the JSON-LD document loader.
var (
	// ErrUnknownContext: a credential names a context that is neither
	// embedded nor pinned. It is never fetched.
	ErrUnknownContext = errors.New("unknown JSON-LD context")
	// ErrContextUnavailable: a pinned remote context (CLR 2.0) could not
	// be obtained (offline, not cached, or fetch failed).
	ErrContextUnavailable = errors.New("pinned JSON-LD context not available")
)

// Limits on RDF canonicalisation of untrusted documents. RDFC-1.0 is
// exponential on "poison" graphs (many blank nodes that only their
// neighbours tell apart), and json-gold cannot be interrupted, so such
// graphs are refused before canonicalisation (checkCanonWork), and the
// caller stops waiting after canonTimeout in any case.
const (
	maxQuads      = 20000
	maxBlankNodes = 2000
	// Blank nodes whose first-degree hash is shared with another one are
	// "ambiguous". Work grows exponentially with their number when they
	// are linked to each other, so the limit on their number depends on
	// the most ambiguous neighbours one of them has (the degree): more
	// than maxAmbiguousDegree is refused outright; see ambiguousLimit.
	maxAmbiguousDegree = 3
	canonTimeout       = 15 * time.Second
)

// checkCanonWork refuses datasets too large, or with too many
// indistinguishable blank nodes, for RDFC-1.0 to finish quickly.
func checkCanonWork(ds *ld.RDFDataset) error {
	var quads []*ld.Quad
	for _, g := range ds.Graphs {
		quads = append(quads, g...)
	}
	blankOf := func(n ld.Node) (string, bool) {
		if b, ok := n.(ld.BlankNode); ok {
			return b.Attribute, true
		}
		if b, ok := n.(*ld.BlankNode); ok && b != nil {
			return b.Attribute, true
		}
		return "", false
	}
	mention := map[string][]*ld.Quad{}
	for _, q := range quads {
		seen := map[string]bool{}
		for _, n := range []ld.Node{q.Subject, q.Object, q.Graph} {
			if b, ok := blankOf(n); ok && !seen[b] {
				seen[b] = true
				mention[b] = append(mention[b], q)
			}
		}
	}
	if len(quads) > maxQuads || len(mention) > maxBlankNodes {
		return fmt.Errorf("document has %d statements and %d blank nodes, more than the %d/%d Skillmatch canonicalises: %w", len(quads), len(mention), maxQuads, maxBlankNodes, ErrTooLarge)
	}
	term := func(n ld.Node, self string) string {
		if n == nil {
			return ""
		}
		if b, ok := blankOf(n); ok {
			if b == self {
				return "_:a"
			}
			return "_:z"
		}
		if l, ok := n.(ld.Literal); ok {
			return "\"" + l.Value + "\"^^" + l.Datatype + "@" + l.Language
		}
		return "<" + n.GetValue() + ">"
	}
	hashes := map[string]string{}
	count := map[string]int{}
	for b, qs := range mention {
		lines := make([]string, 0, len(qs))
		for _, q := range qs {
			lines = append(lines, term(q.Subject, b)+" "+term(q.Predicate, b)+" "+term(q.Object, b)+" "+term(q.Graph, b))
		}
		sort.Strings(lines)
		h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		hashes[b] = string(h[:])
		count[hashes[b]]++
	}
	ambiguous := map[string]bool{}
	for b, h := range hashes {
		if count[h] > 1 {
			ambiguous[b] = true
		}
	}
	degree := 0
	for b := range ambiguous {
		neigh := map[string]bool{}
		for _, q := range mention[b] {
			for _, n := range []ld.Node{q.Subject, q.Object, q.Graph} {
				if o, ok := blankOf(n); ok && o != b && ambiguous[o] {
					neigh[o] = true
				}
			}
		}
		if len(neigh) > maxAmbiguousDegree {
			return fmt.Errorf("document has a blank node linked to %d others that cannot be told apart (more than %d); refusing to canonicalise it: %w", len(neigh), maxAmbiguousDegree, ErrTooLarge)
		}
		degree = max(degree, len(neigh))
	}
	if limit := ambiguousLimit[degree]; len(ambiguous) > limit {
		return fmt.Errorf("document has %d blank nodes that cannot be told apart, linked to up to %d of each other (at most %d are canonicalised); refusing it: %w", len(ambiguous), degree, limit, ErrTooLarge)
	}
	return nil
}

// ambiguousLimit is the most ambiguous blank nodes accepted, by the
// largest ambiguous degree (measured: 16 nodes of degree 3 canonicalise
// in about 0.1 s, 24 in 5 s on the 2-core reference machine).
var ambiguousLimit = [maxAmbiguousDegree + 1]int{0: 1000, 1: 256, 2: 32, 3: 16}

var (
	parsedMu       sync.Mutex
	parsedContexts = map[string]any{}
	// remoteMem keeps pinned remote contexts fetched during this process.
	remoteMem = map[string]any{}
)

// embeddedContext returns the parsed embedded context for url.
func embeddedContext(url string) (any, bool, error) {
	parsedMu.Lock()
	defer parsedMu.Unlock()
	if d, ok := parsedContexts[url]; ok {
		return d, true, nil
	}
	data, ok := contexts.Lookup(url)
	if !ok {
		return nil, false, contexts.Err()
	}
	d, err := decodeJSON(data)
	if err != nil {
		return nil, false, fmt.Errorf("embedded context %s: %w", url, err)
	}
	parsedContexts[url] = d
	return d, true, nil
}

// contextLoader is a json-gold DocumentLoader that serves only embedded
// contexts, test-supplied extras and pinned remote contexts. It never
// fetches a URL merely because a document names it.
type contextLoader struct {
	ctx context.Context
	v   *Verifier
	// alternate, when set, serves the remote revision of a context that
	// is also embedded (OB 3.0.3 changed in place).
	alternate map[string]bool
	// used records the remote contexts served, for messages.
	used []string
}

// ExtraContexts are contexts added by tests or callers (URL → parsed
// JSON), consulted after the embedded ones. Set before verifying.
var ExtraContexts = map[string]any{}

// LoadDocument implements ld.DocumentLoader.
func (l *contextLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if l.alternate[u] {
		d, err := l.remote(u)
		if err != nil {
			return nil, err
		}
		return &ld.RemoteDocument{DocumentURL: u, Document: d}, nil
	}
	d, ok, err := embeddedContext(u)
	if err != nil {
		return nil, err
	}
	if ok {
		return &ld.RemoteDocument{DocumentURL: u, Document: d}, nil
	}
	if d, ok := ExtraContexts[u]; ok {
		return &ld.RemoteDocument{DocumentURL: u, Document: d}, nil
	}
	if _, ok := contexts.RemoteFor(u); ok {
		d, err := l.remote(u)
		if err != nil {
			return nil, err
		}
		return &ld.RemoteDocument{DocumentURL: u, Document: d}, nil
	}
	return nil, fmt.Errorf("context %s is not one Skillmatch knows, and contexts are never fetched: %w", u, ErrUnknownContext)
}

// remote returns a pinned remote context from memory, the document cache
// or the network (checking its pinned digest), caching what it fetched.
func (l *contextLoader) remote(u string) (any, error) {
	pin, _ := contexts.RemoteFor(u)
	parsedMu.Lock()
	d, ok := remoteMem[u]
	parsedMu.Unlock()
	if ok {
		l.used = append(l.used, u)
		return d, nil
	}
	if l.v == nil {
		return nil, fmt.Errorf("context %s must be fetched once from its canonical URL: %w", u, ErrContextUnavailable)
	}
	ctx := l.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	data, err := l.v.Fetch(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("context %s: %w: %w", u, ErrContextUnavailable, err)
	}
	d, err = decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("context %s: %w: %w", u, ErrContextUnavailable, err)
	}
	canon, err := CanonicalJSON(d)
	if err != nil {
		return nil, fmt.Errorf("context %s: %w: %w", u, ErrContextUnavailable, err)
	}
	sum := sha256.Sum256(canon)
	if !slices.Contains(pin.Digests, hex.EncodeToString(sum[:])) {
		return nil, fmt.Errorf("context %s has SHA-256 %x, which is not the pinned one; refusing it: %w", u, sum, ErrContextUnavailable)
	}
	if _, cached, _ := l.v.Documents.Get(u); !cached && l.v.Documents != nil {
		// Best effort: a read-only cache folder only costs a later fetch.
		_ = l.v.Documents.Put(u, data)
	}
	parsedMu.Lock()
	remoteMem[u] = d
	parsedMu.Unlock()
	l.used = append(l.used, u)
	return d, nil
}

func ldOptions(l *contextLoader) *ld.JsonLdOptions {
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = l
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.Algorithm = ld.AlgorithmURDNA2015 // RDFC-1.0; json-gold's default is URGNA2012
	return opts
}

// canonResult is the outcome of canonicalising one JSON-LD document.
type canonResult struct {
	nquads string
	// undefined are JSON pointers of properties that expansion dropped.
	undefined []string
}

// canonicalize expands doc with the offline loader, records dropped
// properties, and returns its RDFC-1.0 (URDNA2015) canonical N-Quads.
func canonicalize(ctx context.Context, l *contextLoader, doc map[string]any) (canonResult, error) {
	opts := ldOptions(l)
	counts := map[string]int{}
	opts.ExpandedElementHandler = func(pointer string, expanded any) {
		if m, ok := expanded.(map[string]any); ok {
			counts[pointer] = len(m)
		}
	}
	var expanded []any
	err := safeLD(func() (e error) { expanded, e = ldExpand(doc, opts); return })
	if err != nil {
		return canonResult{}, fmt.Errorf("JSON-LD expansion: %w", err)
	}
	res := canonResult{}
	res.undefined = droppedProperties(doc, counts, func(d map[string]any) map[string]int {
		o := ldOptions(l)
		c := map[string]int{}
		o.ExpandedElementHandler = func(p string, e any) {
			if m, ok := e.(map[string]any); ok {
				c[p] = len(m)
			}
		}
		if err := safeLD(func() error { _, e := ldExpand(d, o); return e }); err != nil {
			return nil
		}
		return c
	})
	nq, err := canonicalizeExpanded(ctx, expanded, opts)
	if err != nil {
		return canonResult{}, err
	}
	res.nquads = nq
	return res, nil
}

// canonicalizeExpanded turns an expanded JSON-LD document into RDFC-1.0
// canonical N-Quads, refusing poison graphs and bounding the wait.
func canonicalizeExpanded(ctx context.Context, expanded []any, opts *ld.JsonLdOptions) (string, error) {
	if opts == nil {
		opts = ldOptions(&contextLoader{})
	}
	api := ld.NewJsonLdApi()
	var ds *ld.RDFDataset
	err := safeLD(func() (e error) { ds, e = api.ToRDF(expanded, opts); return })
	if err != nil {
		return "", fmt.Errorf("JSON-LD to RDF: %w", err)
	}
	if err := checkCanonWork(ds); err != nil {
		return "", err
	}
	nopts := ld.NewJsonLdOptions("")
	nopts.Algorithm = ld.AlgorithmURDNA2015
	nopts.Format = "application/n-quads"
	type out struct {
		v   any
		err error
	}
	done := make(chan out, 1)
	go func() {
		var v any
		err := safeLD(func() (e error) { v, e = api.Normalize(ds, nopts); return })
		done <- out{v, err}
	}()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, canonTimeout)
	defer cancel()
	select {
	case <-ctx.Done():
		return "", fmt.Errorf("RDF canonicalisation: %w", ctx.Err())
	case r := <-done:
		if r.err != nil {
			return "", fmt.Errorf("RDF canonicalisation: %w", r.err)
		}
		s, ok := r.v.(string)
		if !ok {
			return "", fmt.Errorf("RDF canonicalisation returned %T", r.v)
		}
		return s, nil
	}
}

// withoutProof returns a copy of an expanded document without the
// top-level node's proof property: the expansion of the unsecured
// document (the proof is a separate property whose removal changes
// nothing else).
func withoutProof(expanded []any) []any {
	out := cloneJSON(any(expanded)).([]any)
	for _, n := range out {
		if m, ok := n.(map[string]any); ok {
			delete(m, secProof)
		}
	}
	return out
}

const secProof = "https://w3id.org/security#proof"

// droppedProperties finds the properties of doc that JSON-LD expansion
// dropped because no context defines them. counts maps the JSON pointer
// of every node object expansion kept to its number of expanded entries.
// A node whose source has more countable keys than its expansion has
// lost some; each of its keys is then tested by re-expanding the document
// without it (only in that abnormal case).
func droppedProperties(doc map[string]any, counts map[string]int, expand func(map[string]any) map[string]int) []string {
	var suspects []string
	for p, n := range counts {
		src, ok := atPointer(doc, p).(map[string]any)
		if !ok {
			continue
		}
		if countable(src) > n {
			suspects = append(suspects, p)
		}
	}
	sort.Strings(suspects)
	var out []string
	tests := 0
	for _, p := range suspects {
		src := atPointer(doc, p).(map[string]any)
		for _, k := range sortedKeys(src) {
			if k == "@context" || src[k] == nil || strings.HasPrefix(k, "@") {
				continue
			}
			if tests++; tests > 64 {
				return append(out, p+"/…")
			}
			cp := cloneJSON(doc).(map[string]any)
			delete(atPointer(cp, p).(map[string]any), k)
			c := expand(cp)
			if c != nil && c[p] == counts[p] {
				out = append(out, p+"/"+escapePointer(k))
			}
		}
	}
	sort.Strings(out)
	return out
}

// countable counts the keys of a source node that expansion should keep.
func countable(m map[string]any) int {
	n := 0
	for k, v := range m {
		if k == "@context" || v == nil {
			continue
		}
		n++
	}
	return n
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// atPointer resolves an RFC 6901 JSON pointer in a decoded document.
func atPointer(doc any, p string) any {
	if p == "" {
		return doc
	}
	cur := doc
	for _, tok := range strings.Split(p[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch t := cur.(type) {
		case map[string]any:
			cur = t[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t) {
				return nil
			}
			cur = t[i]
		default:
			return nil
		}
	}
	return cur
}

// removePointers deletes the properties at the given pointers from a copy
// of doc, so that undefined (unsigned) data is never read as verified.
func removePointers(doc map[string]any, ptrs []string) map[string]any {
	cp := cloneJSON(doc).(map[string]any)
	for _, p := range ptrs {
		i := strings.LastIndex(p, "/")
		if i < 0 {
			continue
		}
		parent, ok := atPointer(cp, p[:i]).(map[string]any)
		if !ok {
			continue
		}
		key := strings.ReplaceAll(strings.ReplaceAll(p[i+1:], "~1", "/"), "~0", "~")
		delete(parent, key)
	}
	return cp
}

var ldProcessor = ld.NewJsonLdProcessor()

// ErrJSONLD: the JSON-LD processor failed on a hostile or malformed
// document (it panicked; the panic is contained).
var ErrJSONLD = errors.New("JSON-LD processing failed")

// safeLD runs a json-gold call, turning a panic (json-gold is not
// hardened against malformed input) into an error.
func safeLD(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: the document is malformed (%v)", ErrJSONLD, r)
		}
	}()
	return f()
}

// Processed contexts are cached: parsing the large OB/VC contexts is most
// of the cost of expansion. Only context values made entirely of embedded
// contexts are cached (their processing needs no loader state).
var (
	ctxCacheMu sync.Mutex
	ctxCache   = map[string]*ld.Context{}
)

const maxCtxCache = 256

// cachedContext returns the processed active context for a document's
// @context value, or nil when it cannot be cached.
func cachedContext(ctxVal any) *ld.Context {
	urls, ok := ctxVal.([]any)
	if !ok {
		urls = []any{ctxVal}
	}
	for _, u := range urls {
		s, ok := u.(string)
		if !ok {
			return nil
		}
		if _, ok := contexts.Lookup(s); !ok {
			return nil
		}
	}
	key, err := CanonicalJSON(ctxVal)
	if err != nil {
		return nil
	}
	ctxCacheMu.Lock()
	defer ctxCacheMu.Unlock()
	if c, ok := ctxCache[string(key)]; ok {
		return c
	}
	opts := ldOptions(&contextLoader{})
	var active *ld.Context
	if err := safeLD(func() (e error) { active, e = ld.NewContext(nil, opts).Parse(ctxVal); return }); err != nil {
		return nil
	}
	if len(ctxCache) >= maxCtxCache {
		clear(ctxCache)
	}
	ctxCache[string(key)] = active
	return active
}

// ldExpand expands a JSON-LD document like json-gold's Expand, but with
// the document's top-level @context processed once and cached.
func ldExpand(doc map[string]any, opts *ld.JsonLdOptions) ([]any, error) {
	ctxVal, has := doc["@context"]
	var active *ld.Context
	if l, ok := opts.DocumentLoader.(*contextLoader); has && ok && len(l.alternate) == 0 {
		active = cachedContext(ctxVal)
	}
	if active == nil {
		return ldProcessor.Expand(doc, opts)
	}
	body := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "@context" {
			body[k] = v
		}
	}
	expanded, err := ld.NewJsonLdApi().Expand(active, "", body, opts, false, nil)
	if err != nil {
		return nil, err
	}
	// Final step of the expansion algorithm (as in json-gold's Expand).
	m, isMap := expanded.(map[string]any)
	if isMap && len(m) == 0 {
		expanded = nil
	}
	if g, ok := m["@graph"]; isMap && ok && len(m) == 1 {
		expanded = g
	} else if expanded == nil {
		return []any{}, nil
	}
	if l, ok := expanded.([]any); ok {
		return l, nil
	}
	return []any{expanded}, nil
}
