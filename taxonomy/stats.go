package taxonomy

// Stats are the counts a user checks after an import.
type Stats struct {
	Competencies int            `json:"competencies"`
	Labels       map[string]int `json:"labels"` // language → preferred+alt+hidden labels
	Broader      int            `json:"broader"`
	Related      int            `json:"related"` // unordered pairs
	MaxDepth     int            `json:"max_depth"`
	Occupations  int            `json:"occupations"`
	Kinds        map[Kind]int   `json:"kinds"`
	Roots        int            `json:"roots"`
}

// Stats counts the taxonomy's competencies, labels per language, relations,
// kinds, occupation profiles and the depth of its hierarchy (the longest
// chain of broader links; a taxonomy of roots only has depth 0).
func (t *Taxonomy) Stats() Stats {
	s := Stats{
		Competencies: len(t.comps),
		Labels:       map[string]int{},
		Kinds:        map[Kind]int{},
		Occupations:  len(t.occs),
		Roots:        len(t.roots),
	}
	memo := make(map[string]int, len(t.comps))
	for _, c := range t.comps {
		for lg, l := range c.Labels {
			s.Labels[lg] += len(l.All())
		}
		s.Broader += len(c.Broader)
		s.Related += len(c.Related)
		s.Kinds[c.Kind]++
		s.MaxDepth = max(s.MaxDepth, t.depth(c.ID, memo))
	}
	s.Related /= 2
	return s
}
