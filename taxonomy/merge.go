package taxonomy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// part is an unvalidated piece of a taxonomy as read from one source. Its
// references may point at IDs of a taxonomy it will be merged onto, so it
// remembers where each entry came from to name the line of a bad one.
type part struct {
	name  string
	comps []Competency
	occs  []Occupation
	// where maps a competency or occupation ID to its source position.
	where map[string]srcPos
	// file is the source file, for messages about entries without a
	// position.
	file string
}

// srcPos is where an entry was read: its line and the columns of its
// reference fields (0 when unknown).
type srcPos struct {
	line                                int
	broaderCol, relatedCol, kindCol     int
	essentialCol, optionalCol, labelCol int
	// index is the entry's position in a JSON array, for messages.
	index int
	json  string // "competencies" or "occupations" for JSON sources
}

// fromTaxonomy returns a validated taxonomy's entries as a part, deep-copied
// so that merging never changes the original.
func fromTaxonomy(t *Taxonomy) part {
	p := part{name: t.Name, file: t.Name, comps: make([]Competency, len(t.comps)), occs: make([]Occupation, len(t.occs))}
	for i, c := range t.comps {
		p.comps[i] = cloneCompetency(c)
	}
	for i, o := range t.occs {
		p.occs[i] = cloneOccupation(o)
	}
	return p
}

func cloneLabels(m map[string]Labels) map[string]Labels {
	if m == nil {
		return nil
	}
	out := make(map[string]Labels, len(m))
	for k, l := range m {
		out[k] = Labels{Preferred: l.Preferred, Alt: slices.Clone(l.Alt), Hidden: slices.Clone(l.Hidden)}
	}
	return out
}

func cloneStrings(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cloneCompetency(c *Competency) Competency {
	return Competency{
		ID:          c.ID,
		Kind:        c.Kind,
		Labels:      cloneLabels(c.Labels),
		Description: cloneStrings(c.Description),
		Broader:     slices.Clone(c.Broader),
		Related:     slices.Clone(c.Related),
		Refs:        slices.Clone(c.Refs),
	}
}

func cloneOccupation(o *Occupation) Occupation {
	return Occupation{
		ID:          o.ID,
		Code:        o.Code,
		Labels:      cloneLabels(o.Labels),
		Description: cloneStrings(o.Description),
		Essential:   slices.Clone(o.Essential),
		Optional:    slices.Clone(o.Optional),
	}
}

// Merge lays overlay over base and returns the merged taxonomy; neither
// argument changes. An overlay competency or occupation with an ID that base
// already has extends it:
//
//   - kind, code and the preferred label and description of each language
//     are replaced when the overlay sets them;
//   - alternative and hidden labels, broader, related, refs and an
//     occupation's essential and optional competencies are added to base's
//     (an overlay essential competency stops being optional).
//
// Entries with new IDs are added. The result is validated as a whole and
// named "BASE+OVERLAY". To merge a company file whose entries point at IDs
// of base, use Open with a spec such as "default+csv:company.csv": the file
// alone would not validate.
func Merge(base, overlay *Taxonomy) (*Taxonomy, error) {
	merged := mergeParts(fromTaxonomy(base), fromTaxonomy(overlay))
	t, err := merged.build()
	if err != nil {
		return nil, fmt.Errorf("taxonomy: merging %s onto %s: %w", overlay.Name, base.Name, err)
	}
	t.Notes = append(slices.Clone(base.Notes), overlay.Notes...)
	return t, nil
}

// mergeParts returns base with over laid on it. It takes ownership of both.
func mergeParts(base, over part) part {
	out := part{name: base.name + "+" + over.name, file: over.file, where: over.where}
	out.comps = mergeByID(base.comps, over.comps, func(c *Competency) string { return c.ID }, func(b, c *Competency) {
		if c.Kind != "" {
			b.Kind = c.Kind
		}
		b.Labels = mergeLabels(b.Labels, c.Labels)
		b.Description = mergeDescriptions(b.Description, c.Description)
		b.Broader = union(b.Broader, c.Broader)
		b.Related = union(b.Related, c.Related)
		for _, r := range c.Refs {
			if !slices.Contains(b.Refs, r) {
				b.Refs = append(b.Refs, r)
			}
		}
	})
	out.occs = mergeByID(base.occs, over.occs, func(o *Occupation) string { return o.ID }, func(b, o *Occupation) {
		if o.Code != "" {
			b.Code = o.Code
		}
		b.Labels = mergeLabels(b.Labels, o.Labels)
		b.Description = mergeDescriptions(b.Description, o.Description)
		b.Essential = union(b.Essential, o.Essential)
		b.Optional = slices.DeleteFunc(union(b.Optional, o.Optional), func(id string) bool { return slices.Contains(b.Essential, id) })
	})
	return out
}

// mergeByID lays over on base: an entry of over whose ID base has is
// merged into it with merge(baseEntry, overEntry); the others are appended
// in their order. It takes ownership of base.
func mergeByID[T any](base, over []T, id func(*T) string, merge func(dst, src *T)) []T {
	at := make(map[string]int, len(base)+len(over))
	for i := range base {
		at[id(&base[i])] = i
	}
	for k := range over {
		e := &over[k]
		i, ok := at[id(e)]
		if !ok {
			at[id(e)] = len(base)
			base = append(base, *e)
			continue
		}
		merge(&base[i], e)
	}
	return base
}

func mergeLabels(base, over map[string]Labels) map[string]Labels {
	if len(over) == 0 {
		return base
	}
	if base == nil {
		base = make(map[string]Labels, len(over))
	}
	for lang, o := range over {
		b := base[lang]
		if o.Preferred != "" && o.Preferred != b.Preferred {
			if b.Preferred != "" {
				b.Alt = union(b.Alt, []string{b.Preferred})
			}
			b.Preferred = o.Preferred
		}
		b.Alt = union(b.Alt, o.Alt)
		b.Alt = slices.DeleteFunc(b.Alt, func(s string) bool { return s == b.Preferred })
		b.Hidden = union(b.Hidden, o.Hidden)
		base[lang] = b
	}
	return base
}

func mergeDescriptions(base, over map[string]string) map[string]string {
	if len(over) == 0 {
		return base
	}
	if base == nil {
		base = make(map[string]string, len(over))
	}
	for lang, d := range over {
		if d != "" {
			base[lang] = d
		}
	}
	return base
}

// union appends to a the elements of b it lacks, keeping a's order.
func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}

// check verifies the references of p's own entries against p and the IDs of
// the parts merged before it (known), and that every new entry has what New
// needs, so that a mistake is reported at its file and line. It lists every
// problem, each an *ImportError.
func (p *part) check(known func(id string) bool) error {
	own := make(map[string]bool, len(p.comps))
	for _, c := range p.comps {
		own[c.ID] = true
	}
	exists := func(id string) bool { return own[id] || known(id) }
	var errs []error
	at := func(id string, col func(srcPos) int, format string, args ...any) {
		pos, ok := p.where[id]
		e := &ImportError{File: p.file, ID: id, Msg: fmt.Sprintf(format, args...)}
		if ok {
			e.Line = pos.line
			if col != nil {
				e.Column = col(pos)
			}
			if pos.json != "" {
				e.Msg = fmt.Sprintf("%s[%d] (id %q): %s", pos.json, pos.index, id, e.Msg)
			}
		}
		errs = append(errs, e)
	}
	const fix = "is not a competency of this file or of a taxonomy merged before it; correct the ID or add the competency"
	for _, c := range p.comps {
		for _, b := range c.Broader {
			if !exists(b) {
				at(c.ID, func(s srcPos) int { return s.broaderCol }, "broader %q %s", b, fix)
			} else if b == c.ID {
				at(c.ID, func(s srcPos) int { return s.broaderCol }, "%s lists itself as broader; remove it", c.ID)
			}
		}
		for _, r := range c.Related {
			if !exists(r) {
				at(c.ID, func(s srcPos) int { return s.relatedCol }, "related %q %s", r, fix)
			}
		}
		if known(c.ID) {
			continue // extends an entry merged before: may leave kind and labels out
		}
		if c.Kind != "" && !c.Kind.Valid() {
			at(c.ID, func(s srcPos) int { return s.kindCol }, "unknown kind %q; use one of %s", c.Kind, kindList())
		}
		hasLabel := false
		for _, l := range c.Labels {
			hasLabel = hasLabel || l.Preferred != ""
		}
		if !hasLabel {
			at(c.ID, func(s srcPos) int { return s.labelCol }, "%s has no preferred label in any language; fill label_<lang> (or labels.<lang>.preferred in JSON)", c.ID)
		}
	}
	for _, o := range p.occs {
		for _, id := range o.Essential {
			if !exists(id) {
				at(o.ID, func(s srcPos) int { return s.essentialCol }, "essential competency %q %s", id, fix)
			}
		}
		for _, id := range o.Optional {
			if !exists(id) {
				at(o.ID, func(s srcPos) int { return s.optionalCol }, "optional competency %q %s", id, fix)
			}
		}
	}
	return errors.Join(errs...)
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// build fills in defaults (kind skill where none was given) and validates.
func (p *part) build() (*Taxonomy, error) {
	for i := range p.comps {
		if p.comps[i].Kind == "" {
			p.comps[i].Kind = KindSkill
		}
	}
	return New(p.name, p.comps, p.occs)
}
