package app

import (
	"sort"
	"strings"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// uidSep separates the competency IDs of a tree path. A competency can have
// several parents, so a tree node is identified by its path from a root,
// which keeps node IDs unique; IDs (often URIs) never contain this byte.
const uidSep = "\x1f"

// taxonomyIndex is what the taxonomy tree reads from: the children of every
// competency sorted by their label in one language, precomputed, because
// Fyne's Tree asks for the children of every open node whenever it scrolls.
// Its methods are called on the UI goroutine only.
type taxonomyIndex struct {
	tax      *taxonomy.Taxonomy
	lang     string
	label    map[string]string   // competency ID → label in lang
	children map[string][]string // competency ID ("" for the roots) → child IDs in label order
	uids     map[string][]string // tree node ID → child node IDs, filled on first use
}

func newTaxonomyIndex(t *taxonomy.Taxonomy, lang string) *taxonomyIndex {
	x := &taxonomyIndex{
		tax:      t,
		lang:     lang,
		label:    make(map[string]string, t.Len()),
		children: make(map[string][]string, t.Len()/4+1),
		uids:     map[string][]string{},
	}
	fold := make(map[string]string, t.Len())
	for _, c := range t.Competencies() {
		l := c.Label(lang)
		x.label[c.ID] = l
		fold[c.ID] = taxonomy.Fold(l)
	}
	byLabel := func(ids []string) []string {
		out := append([]string(nil), ids...)
		sort.SliceStable(out, func(i, j int) bool {
			if fold[out[i]] != fold[out[j]] {
				return fold[out[i]] < fold[out[j]]
			}
			return out[i] < out[j]
		})
		return out
	}
	roots := make([]string, 0, len(t.Roots()))
	for _, c := range t.Roots() {
		roots = append(roots, c.ID)
	}
	x.children[""] = byLabel(roots)
	for _, c := range t.Competencies() {
		if len(c.Narrower) > 0 {
			x.children[c.ID] = byLabel(c.Narrower)
		}
	}
	return x
}

// idOf returns the competency ID a tree node stands for.
func idOf(uid string) string {
	if i := strings.LastIndex(uid, uidSep); i >= 0 {
		return uid[i+len(uidSep):]
	}
	return uid
}

// childUIDs returns the node IDs of the children of the node uid ("" is the
// invisible root).
func (x *taxonomyIndex) childUIDs(uid string) []string {
	if out, ok := x.uids[uid]; ok {
		return out
	}
	ids := x.children[idOf(uid)]
	out := make([]string, len(ids))
	for i, id := range ids {
		if uid == "" {
			out[i] = id
		} else {
			out[i] = uid + uidSep + id
		}
	}
	x.uids[uid] = out
	return out
}

func (x *taxonomyIndex) isBranch(uid string) bool {
	return uid == "" || len(x.children[idOf(uid)]) > 0
}

// pathTo returns the tree node IDs from a root down to the competency id,
// following the first parent in label order at each step (a competency
// with several parents is shown under each; this picks one).
func (x *taxonomyIndex) pathTo(id string) []string {
	var chain []string
	seen := map[string]bool{}
	for cur := id; cur != "" && !seen[cur]; {
		seen[cur] = true
		chain = append(chain, cur)
		c, ok := x.tax.Get(cur)
		if !ok || len(c.Broader) == 0 {
			break
		}
		parent := c.Broader[0]
		for _, b := range c.Broader[1:] {
			if taxonomy.Fold(x.label[b]) < taxonomy.Fold(x.label[parent]) {
				parent = b
			}
		}
		cur = parent
	}
	out := make([]string, len(chain))
	uid := ""
	for i := range chain {
		id := chain[len(chain)-1-i]
		if uid == "" {
			uid = id
		} else {
			uid += uidSep + id
		}
		out[i] = uid
	}
	return out
}
