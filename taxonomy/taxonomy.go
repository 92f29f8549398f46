package taxonomy

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Kind says what sort of competency an entry is.
type Kind string

// The kinds of competency Skillmatch knows. ESCO's "skill/competence" maps to
// KindSkill and its "knowledge" to KindKnowledge.
const (
	KindSkill         Kind = "skill"
	KindKnowledge     Kind = "knowledge"
	KindTransversal   Kind = "transversal"
	KindLanguage      Kind = "language"
	KindTool          Kind = "tool"
	KindCertification Kind = "certification"
	// KindGroup marks a grouping node (such as an ESCO skill group) that
	// organises the hierarchy but is rarely asked for on its own.
	KindGroup Kind = "group"
)

// Kinds lists every valid Kind in a stable order.
var Kinds = []Kind{KindSkill, KindKnowledge, KindTransversal, KindLanguage, KindTool, KindCertification, KindGroup}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Labels are the names of a competency in one language.
type Labels struct {
	// Preferred is the name shown to users.
	Preferred string `json:"preferred"`
	// Alt are synonyms, acronyms and spellings people really write.
	Alt []string `json:"alt,omitempty"`
	// Hidden are labels used for matching but never shown (misspellings,
	// outdated terms).
	Hidden []string `json:"hidden,omitempty"`
}

// All returns the preferred, alternative and hidden labels, in that order,
// without empty strings.
func (l Labels) All() []string {
	out := make([]string, 0, 1+len(l.Alt)+len(l.Hidden))
	if l.Preferred != "" {
		out = append(out, l.Preferred)
	}
	for _, s := range l.Alt {
		if s != "" {
			out = append(out, s)
		}
	}
	for _, s := range l.Hidden {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Ref is a reference to the same competency in an external framework.
type Ref struct {
	// Scheme names the framework: "esco", "onet", "isco", or any other word.
	Scheme string `json:"scheme"`
	// ID is the framework's identifier, such as an ESCO concept URI or an
	// O*NET element ID.
	ID string `json:"id"`
}

// Competency is one skill, piece of knowledge, transversal competence,
// language, tool or certification that a job can ask for and a credential
// can prove.
type Competency struct {
	// ID is stable across versions; for imported frameworks it is their URI.
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Labels maps a language code ("en", "fr") to the names in that language.
	Labels map[string]Labels `json:"labels"`
	// Description maps a language code to a definition, where one exists.
	Description map[string]string `json:"description,omitempty"`
	// Broader holds the IDs of the parents (more general competencies).
	Broader []string `json:"broader,omitempty"`
	// Related holds the IDs of related competencies (symmetric).
	Related []string `json:"related,omitempty"`
	// Refs point at the same competency in other frameworks.
	Refs []Ref `json:"refs,omitempty"`

	// Narrower is derived by New from the Broader links of other
	// competencies; it is never read from input.
	Narrower []string `json:"-"`
}

// Label returns the preferred label in lang, falling back to English, then
// to any language (alphabetically first), then to the ID.
func (c *Competency) Label(lang string) string {
	if l, ok := c.Labels[lang]; ok && l.Preferred != "" {
		return l.Preferred
	}
	if l, ok := c.Labels["en"]; ok && l.Preferred != "" {
		return l.Preferred
	}
	for _, lg := range c.Languages() {
		if p := c.Labels[lg].Preferred; p != "" {
			return p
		}
	}
	return c.ID
}

// Languages returns the language codes the competency has labels in, sorted.
func (c *Competency) Languages() []string {
	out := make([]string, 0, len(c.Labels))
	for lg := range c.Labels {
		out = append(out, lg)
	}
	sort.Strings(out)
	return out
}

// Ref returns the competency's ID in the named scheme, if it has one.
func (c *Competency) Ref(scheme string) (string, bool) {
	for _, r := range c.Refs {
		if r.Scheme == scheme {
			return r.ID, true
		}
	}
	return "", false
}

// Occupation is an occupation profile: a job title with the competencies it
// needs, the seed of a job template.
type Occupation struct {
	ID          string            `json:"id"`
	Code        string            `json:"code,omitempty"` // e.g. ISCO-08 group
	Labels      map[string]Labels `json:"labels"`
	Description map[string]string `json:"description,omitempty"`
	Essential   []string          `json:"essential,omitempty"`
	Optional    []string          `json:"optional,omitempty"`
}

// Label returns the occupation's preferred label in lang (English, then the
// ID, as fallbacks).
func (o *Occupation) Label(lang string) string {
	if l, ok := o.Labels[lang]; ok && l.Preferred != "" {
		return l.Preferred
	}
	if l, ok := o.Labels["en"]; ok && l.Preferred != "" {
		return l.Preferred
	}
	return o.ID
}

// Taxonomy is a validated, indexed set of competencies and occupation
// profiles. It is read-only after New and safe for concurrent use.
type Taxonomy struct {
	// Name says where the taxonomy came from ("default", "esco:DIR", …).
	Name string
	// Notes lists what an importer deliberately left out (rows that name
	// concept types Skillmatch does not import, relations of occupations the
	// source does not describe), one line each with file and line. Empty for
	// a taxonomy built with New.
	Notes []string

	comps   []*Competency // sorted by ID
	byID    map[string]*Competency
	roots   []*Competency
	occs    []*Occupation // sorted by ID
	occByID map[string]*Occupation
	byRef   map[Ref]*Competency
	search  []searchEntry
}

type searchEntry struct {
	folded string // case- and accent-folded label
	lang   string
	label  string
	comp   *Competency
}

// ValidationError lists every problem found in a taxonomy. Each problem names
// the offending competency or occupation ID.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	const max = 20
	var b strings.Builder
	fmt.Fprintf(&b, "taxonomy: %d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == max {
			fmt.Fprintf(&b, "; … and %d more", len(e.Problems)-max)
			break
		}
		b.WriteString("; ")
		b.WriteString(p)
	}
	return b.String()
}

// New indexes and validates competencies and occupations. It derives
// Narrower from Broader, sorts and de-duplicates relation lists, makes
// Related symmetric, and fails with a *ValidationError listing every empty or
// duplicate ID, missing preferred label, unknown kind, dangling reference and
// cycle in the broader hierarchy. The slices passed in are not retained.
func New(name string, comps []Competency, occs []Occupation) (*Taxonomy, error) {
	t := &Taxonomy{
		Name:    name,
		comps:   make([]*Competency, 0, len(comps)),
		byID:    make(map[string]*Competency, len(comps)),
		occByID: make(map[string]*Occupation, len(occs)),
		byRef:   make(map[Ref]*Competency, len(comps)),
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	store := make([]Competency, len(comps))
	copy(store, comps)
	for i := range store {
		c := &store[i]
		c.Narrower = nil
		// New appends to and filters these lists: never touch the caller's.
		c.Broader = slices.Clone(c.Broader)
		c.Related = slices.Clone(c.Related)
		c.Refs = slices.Clone(c.Refs)
		sortRefs(c.Refs)
		switch {
		case c.ID == "":
			bad("competency #%d (%q) has no ID", i+1, c.Label("en"))
			continue
		case t.byID[c.ID] != nil:
			bad("%s: duplicate competency ID", c.ID)
			continue
		}
		if !c.Kind.Valid() {
			bad("%s: unknown kind %q (use one of %v)", c.ID, c.Kind, Kinds)
		}
		hasLabel := false
		for _, l := range c.Labels {
			if strings.TrimSpace(l.Preferred) != "" {
				hasLabel = true
			}
		}
		if !hasLabel {
			bad("%s: no preferred label in any language", c.ID)
		}
		t.byID[c.ID] = c
		t.comps = append(t.comps, c)
	}
	for _, c := range t.comps {
		c.Broader = dedupe(c.Broader)
		for _, b := range c.Broader {
			switch p := t.byID[b]; {
			case p == nil:
				bad("%s: broader %s does not exist", c.ID, b)
			case b == c.ID:
				bad("%s: is broader than itself", c.ID)
			default:
				p.Narrower = append(p.Narrower, c.ID)
			}
		}
		for _, r := range c.Related {
			switch o := t.byID[r]; {
			case o == nil:
				bad("%s: related %s does not exist", c.ID, r)
			case r != c.ID:
				o.Related = append(o.Related, c.ID)
			}
		}
	}
	for _, c := range t.comps {
		c.Related = dedupe(slices.DeleteFunc(c.Related, func(r string) bool { return r == c.ID || t.byID[r] == nil }))
		c.Broader = slices.DeleteFunc(c.Broader, func(b string) bool { return b == c.ID || t.byID[b] == nil })
		c.Narrower = dedupe(c.Narrower)
		for _, r := range c.Refs {
			if _, taken := t.byRef[r]; !taken {
				t.byRef[r] = c
			}
		}
	}
	problems = append(problems, t.cycles()...)

	for i := range occs {
		o := occs[i]
		switch {
		case o.ID == "":
			bad("occupation #%d (%q) has no ID", i+1, o.Label("en"))
			continue
		case t.occByID[o.ID] != nil:
			bad("%s: duplicate occupation ID", o.ID)
			continue
		}
		o.Essential = dedupe(o.Essential)
		o.Optional = dedupe(o.Optional)
		for _, id := range append(slices.Clone(o.Essential), o.Optional...) {
			if t.byID[id] == nil {
				bad("occupation %s: competency %s does not exist", o.ID, id)
			}
		}
		t.occByID[o.ID] = &o
		t.occs = append(t.occs, &o)
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}

	sort.Slice(t.comps, func(i, j int) bool { return t.comps[i].ID < t.comps[j].ID })
	sort.Slice(t.occs, func(i, j int) bool { return t.occs[i].ID < t.occs[j].ID })
	nLabels := 0
	for _, c := range t.comps {
		for _, l := range c.Labels {
			nLabels += 1 + len(l.Alt) + len(l.Hidden)
		}
	}
	t.search = make([]searchEntry, 0, nLabels)
	for _, c := range t.comps {
		if len(c.Broader) == 0 {
			t.roots = append(t.roots, c)
		}
		for _, lg := range c.Languages() {
			for _, l := range c.Labels[lg].All() {
				t.search = append(t.search, searchEntry{folded: Fold(l), lang: lg, label: l, comp: c})
			}
		}
	}
	return t, nil
}

// cycles reports every competency that lies on a cycle of broader links.
func (t *Taxonomy) cycles() []string {
	const (
		unseen = iota
		onPath
		done
	)
	state := make(map[string]int, len(t.comps))
	var problems []string
	reported := map[string]bool{}
	var visit func(id string, path []string)
	visit = func(id string, path []string) {
		state[id] = onPath
		path = append(path, id)
		for _, b := range t.byID[id].Broader {
			if t.byID[b] == nil {
				continue
			}
			switch state[b] {
			case onPath:
				start := slices.Index(path, b)
				cycle := append(slices.Clone(path[start:]), b)
				if !reported[b] {
					for _, m := range path[start:] {
						reported[m] = true
					}
					problems = append(problems, fmt.Sprintf("%s: cycle in broader: %s", b, strings.Join(cycle, " → ")))
				}
			case unseen:
				visit(b, path)
			}
		}
		state[id] = done
	}
	ids := make([]string, 0, len(t.comps))
	for _, c := range t.comps {
		ids = append(ids, c.ID)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if state[id] == unseen {
			visit(id, nil)
		}
	}
	return problems
}

// sortRefs orders references by scheme, then ID, so that every source of the
// same competency lists them alike.
func sortRefs(refs []Ref) {
	slices.SortStableFunc(refs, func(a, b Ref) int {
		if c := strings.Compare(a.Scheme, b.Scheme); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

func dedupe(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	out := slices.Clone(ids)
	sort.Strings(out)
	return slices.Compact(out)
}

// Len returns the number of competencies.
func (t *Taxonomy) Len() int { return len(t.comps) }

// Competencies returns every competency, sorted by ID. The slice must not be
// modified.
func (t *Taxonomy) Competencies() []*Competency { return t.comps }

// Get returns the competency with the given ID.
func (t *Taxonomy) Get(id string) (*Competency, bool) {
	c, ok := t.byID[id]
	return c, ok
}

// ByRef returns the competency that carries the external reference, e.g.
// ByRef("esco", "http://data.europa.eu/esco/skill/…"). Where no competency
// carries it, a competency whose own ID equals ref.ID is returned.
func (t *Taxonomy) ByRef(scheme, id string) (*Competency, bool) {
	if c, ok := t.byRef[Ref{Scheme: scheme, ID: id}]; ok {
		return c, true
	}
	c, ok := t.byID[id]
	return c, ok
}

// Lookup resolves an identifier found in the wild (a competency ID, an ESCO
// URI, an O*NET element ID) to a competency, trying IDs first and then every
// external reference.
func (t *Taxonomy) Lookup(id string) (*Competency, bool) {
	if c, ok := t.byID[id]; ok {
		return c, true
	}
	for r, c := range t.byRef {
		if r.ID == id {
			return c, true
		}
	}
	return nil, false
}

// Roots returns the competencies without parents, sorted by ID.
func (t *Taxonomy) Roots() []*Competency { return t.roots }

// Children returns the direct narrower competencies of id, sorted by ID.
func (t *Taxonomy) Children(id string) []*Competency {
	return t.resolve(t.byID[id], func(c *Competency) []string { return c.Narrower })
}

// Parents returns the direct broader competencies of id, sorted by ID.
func (t *Taxonomy) Parents(id string) []*Competency {
	return t.resolve(t.byID[id], func(c *Competency) []string { return c.Broader })
}

// Related returns the competencies related to id, sorted by ID.
func (t *Taxonomy) Related(id string) []*Competency {
	return t.resolve(t.byID[id], func(c *Competency) []string { return c.Related })
}

func (t *Taxonomy) resolve(c *Competency, ids func(*Competency) []string) []*Competency {
	if c == nil {
		return nil
	}
	list := ids(c)
	out := make([]*Competency, 0, len(list))
	for _, id := range list {
		out = append(out, t.byID[id])
	}
	return out
}

// Ancestors returns every broader competency of id, transitively, nearest
// first (breadth-first), each once.
func (t *Taxonomy) Ancestors(id string) []*Competency {
	c := t.byID[id]
	if c == nil {
		return nil
	}
	seen := map[string]bool{id: true}
	var out []*Competency
	queue := slices.Clone(c.Broader)
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		if seen[b] {
			continue
		}
		seen[b] = true
		p := t.byID[b]
		out = append(out, p)
		queue = append(queue, p.Broader...)
	}
	return out
}

// IsAncestor reports whether anc is a broader competency of id, at any
// distance, and returns that distance (1 = parent).
func (t *Taxonomy) IsAncestor(anc, id string) (int, bool) {
	c := t.byID[id]
	if c == nil {
		return 0, false
	}
	seen := map[string]bool{id: true}
	frontier := c.Broader
	for depth := 1; len(frontier) > 0; depth++ {
		var next []string
		for _, b := range frontier {
			if b == anc {
				return depth, true
			}
			if !seen[b] {
				seen[b] = true
				next = append(next, t.byID[b].Broader...)
			}
		}
		frontier = next
	}
	return 0, false
}

// Depth returns the length of the longest chain of broader links above id
// (0 for a root).
func (t *Taxonomy) Depth(id string) int {
	memo := map[string]int{}
	return t.depth(id, memo)
}

func (t *Taxonomy) depth(id string, memo map[string]int) int {
	if d, ok := memo[id]; ok {
		return d
	}
	d := 0
	for _, b := range t.byID[id].Broader {
		d = max(d, 1+t.depth(b, memo))
	}
	memo[id] = d
	return d
}

// Occupations returns every occupation profile, sorted by ID.
func (t *Taxonomy) Occupations() []*Occupation { return t.occs }

// Occupation returns the occupation profile with the given ID.
func (t *Taxonomy) Occupation(id string) (*Occupation, bool) {
	o, ok := t.occByID[id]
	return o, ok
}

// Match is one result of a label search.
type Match struct {
	Competency *Competency
	Label      string // the label that matched
	Lang       string
	// Score orders matches: 3 exact, 2 prefix, 1 word prefix, 0 substring.
	Score int
}

// Search finds competencies whose labels contain query, ignoring case and
// accents. Results are ordered by Score, then by the length of the matching
// label, then by ID; each competency appears once, with its best label.
// limit ≤ 0 means no limit. An empty query matches nothing.
func (t *Taxonomy) Search(query string, limit int) []Match {
	q := Fold(strings.TrimSpace(query))
	if q == "" {
		return nil
	}
	best := map[*Competency]Match{}
	for _, e := range t.search {
		i := strings.Index(e.folded, q)
		if i < 0 {
			continue
		}
		score := 0
		switch {
		case e.folded == q:
			score = 3
		case i == 0:
			score = 2
		case !isWordByte(e.folded[i-1]):
			score = 1
		}
		m := Match{Competency: e.comp, Label: e.label, Lang: e.lang, Score: score}
		if old, ok := best[e.comp]; !ok || better(m, old) {
			best[e.comp] = m
		}
	}
	out := make([]Match, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		if better(out[i], out[j]) {
			return true
		}
		if better(out[j], out[i]) {
			return false
		}
		return out[i].Competency.ID < out[j].Competency.ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func better(a, b Match) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if len(a.Label) != len(b.Label) {
		return len(a.Label) < len(b.Label)
	}
	return a.Lang < b.Lang
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
}

// Languages returns every language code that appears in a label, sorted.
func (t *Taxonomy) Languages() []string {
	seen := map[string]bool{}
	for _, c := range t.comps {
		for lg := range c.Labels {
			seen[lg] = true
		}
	}
	out := make([]string, 0, len(seen))
	for lg := range seen {
		out = append(out, lg)
	}
	sort.Strings(out)
	return out
}

// ErrNotFound is returned (wrapped) when an ID is not in the taxonomy.
var ErrNotFound = errors.New("not found")
