package matcher

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// occIndex links competencies to the occupation profiles that need them and
// indexes occupation labels for title search.
type occIndex struct {
	occs      []*taxonomy.Occupation
	compOccs  [][]int32 // competency → occupations listing it
	essential [][]int32 // occupation → its essential competencies
	optional  [][]int32 // occupation → its optional competencies
	// title search
	terms map[string][]int32 // stem → occupations whose labels hold it
	idf   map[string]float64
	label [][][]string // occupation → its labels as stems

	votePool sync.Pool // of *occVotes
}

func (e *Extractor) occupations() *occIndex {
	e.occOnce.Do(func() {
		occs := e.tax.Occupations()
		ix := &occIndex{
			occs:      occs,
			compOccs:  make([][]int32, len(e.comps)),
			essential: make([][]int32, len(occs)),
			optional:  make([][]int32, len(occs)),
			terms:     map[string][]int32{},
			idf:       map[string]float64{},
			label:     make([][][]string, len(occs)),
		}
		for oi, o := range occs {
			for _, id := range o.Essential {
				if c, ok := e.index[id]; ok {
					ix.essential[oi] = append(ix.essential[oi], c)
					ix.compOccs[c] = append(ix.compOccs[c], int32(oi))
				}
			}
			for _, id := range o.Optional {
				if c, ok := e.index[id]; ok {
					ix.optional[oi] = append(ix.optional[oi], c)
					ix.compOccs[c] = append(ix.compOccs[c], int32(oi))
				}
			}
			seen := map[string]bool{}
			langs := make([]string, 0, len(o.Labels))
			for lg := range o.Labels {
				langs = append(langs, lg)
			}
			sort.Strings(langs)
			for _, lg := range langs {
				for _, l := range o.Labels[lg].All() {
					stems, _, _ := e.labelStems(l, lg)
					ix.label[oi] = append(ix.label[oi], stems)
					for _, s := range stems {
						if !seen[s] {
							seen[s] = true
							ix.terms[s] = append(ix.terms[s], int32(oi))
						}
					}
				}
			}
		}
		n := float64(len(occs))
		for s, list := range ix.terms {
			df := float64(len(list))
			ix.idf[s] = math.Log(1 + (n-df+0.5)/(df+0.5))
		}
		e.occ = ix
	})
	return e.occ
}

// occupationBoost returns, for the competencies of the occupation profiles
// that best explain the detected competencies, a bonus in [0,0.2]: a
// suggestion that co-occurs in the same profiles with what the text surely
// asks for is more likely. Profiles need two detected competencies to vote.
// It returns nil when no profile qualifies.
func (e *Extractor) occupationBoost(dets []detection) *boostSet {
	if len(e.tax.Occupations()) == 0 || len(dets) < 2 {
		return nil
	}
	ix := e.occupations()
	sc := ix.getVotes()
	defer ix.putVotes(sc)
	seen := make(map[int32]bool, len(dets))
	for _, d := range dets {
		if seen[d.comp] {
			continue
		}
		seen[d.comp] = true
		list := ix.compOccs[d.comp]
		w := 1 / math.Log2(2+float64(len(list)))
		for _, o := range list {
			if sc.support[o] == 0 {
				sc.touched = append(sc.touched, o)
			}
			sc.votes[o] += w
			sc.support[o]++
		}
	}
	type ov struct {
		occ  int32
		vote float64
	}
	var ranked []ov
	for _, o := range sc.touched {
		if sc.support[o] >= 2 {
			ranked = append(ranked, ov{o, sc.votes[o]})
		}
	}
	if len(ranked) == 0 {
		return nil
	}
	slices.SortFunc(ranked, func(a, b ov) int {
		switch {
		case a.vote > b.vote:
			return -1
		case a.vote < b.vote:
			return 1
		}
		return int(a.occ - b.occ)
	})
	if len(ranked) > 3 {
		ranked = ranked[:3]
	}
	size := 0
	for _, r := range ranked {
		size += len(ix.essential[r.occ]) + len(ix.optional[r.occ])
	}
	boost := make([]boostEntry, 0, size)
	for _, r := range ranked {
		strength := 0.2 * math.Min(1, r.vote/2)
		for _, c := range ix.essential[r.occ] {
			boost = append(boost, boostEntry{c, strength})
		}
		for _, c := range ix.optional[r.occ] {
			boost = append(boost, boostEntry{c, strength / 2})
		}
	}
	return newBoostSet(boost, len(e.comps))
}

// occVotes is the working memory of occupationBoost, pooled: votes and
// support per occupation, cleared through the list of those touched.
type occVotes struct {
	votes   []float64
	support []int32
	touched []int32
}

func (ix *occIndex) getVotes() *occVotes {
	if v := ix.votePool.Get(); v != nil {
		return v.(*occVotes)
	}
	return &occVotes{votes: make([]float64, len(ix.occs)), support: make([]int32, len(ix.occs))}
}

func (ix *occIndex) putVotes(v *occVotes) {
	for _, o := range v.touched {
		v.votes[o], v.support[o] = 0, 0
	}
	v.touched = v.touched[:0]
	ix.votePool.Put(v)
}

// FromOccupation proposes the competencies of an occupation profile as
// requirements: essential ones as must-haves (weight 1), optional ones as
// assets (weight 0.5), labelled in lang, sorted must first then by label.
func (e *Extractor) FromOccupation(occupationID, lang string) ([]Requirement, error) {
	o, ok := e.tax.Occupation(occupationID)
	if !ok {
		return nil, fmt.Errorf("matcher: occupation %q is not in taxonomy %s (search titles with MatchOccupations): %w", occupationID, e.tax.Name, taxonomy.ErrNotFound)
	}
	var out []Requirement
	for _, list := range []struct {
		ids  []string
		must bool
	}{{o.Essential, true}, {o.Optional, false}} {
		for _, id := range list.ids {
			c, ok := e.tax.Get(id)
			if !ok {
				continue
			}
			r := Requirement{CompetencyID: id, Label: c.Label(lang), Must: list.must, Weight: 1, Confidence: Template, Score: 1, Spans: [][2]int{}}
			if !list.must {
				r.Weight, r.Score = 0.5, 0.5
			}
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Must != out[j].Must {
			return out[i].Must
		}
		if out[i].Label != out[j].Label {
			return out[i].Label < out[j].Label
		}
		return out[i].CompetencyID < out[j].CompetencyID
	})
	return out, nil
}

// OccupationMatch is an occupation profile found for a job title.
type OccupationMatch struct {
	Occupation *taxonomy.Occupation
	// Label is the occupation label that matched best.
	Label string
	// Score in [0,1] is the IDF-weighted share of that label's words present
	// in the title, lowered when the title holds words the label lacks.
	Score float64
}

// MatchOccupations finds the occupation profiles whose labels (preferred,
// alternative, hidden; all languages) best match a job title as typed by a
// user ("Senior Java developer", "aide-soignante"), best first, at most k
// (k ≤ 0: 10).
func (e *Extractor) MatchOccupations(title string, k int) []OccupationMatch {
	if k <= 0 {
		k = 10
	}
	ix := e.occupations()
	toks, _ := e.an.Analyze(title)
	q := map[string]bool{}
	var qw float64
	for _, t := range toks {
		if !t.Stop && !q[t.Stem] {
			q[t.Stem] = true
			qw += ix.idfOr(t.Stem)
		}
	}
	cands := map[int32]bool{}
	for s := range q {
		for _, o := range ix.terms[s] {
			cands[o] = true
		}
	}
	var out []OccupationMatch
	for o := range cands {
		best, bestLabel := 0.0, ""
		labels := ix.occs[o].Labels
		flat := []string{}
		langs := make([]string, 0, len(labels))
		for lg := range labels {
			langs = append(langs, lg)
		}
		sort.Strings(langs)
		for _, lg := range langs {
			flat = append(flat, labels[lg].All()...)
		}
		for li, stems := range ix.label[o] {
			var have, total float64
			for _, s := range stems {
				w := ix.idfOr(s)
				total += w
				if q[s] {
					have += w
				}
			}
			if total == 0 || have == 0 {
				continue
			}
			// Coverage of the label, and of the title by the label.
			score := (have / total) * math.Sqrt(have/math.Max(qw, have))
			if score > best && li < len(flat) {
				best, bestLabel = score, flat[li]
			}
		}
		if best > 0 {
			out = append(out, OccupationMatch{Occupation: ix.occs[o], Label: bestLabel, Score: best})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Occupation.ID < out[j].Occupation.ID
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}

func (ix *occIndex) idfOr(s string) float64 {
	if v, ok := ix.idf[s]; ok {
		return v
	}
	return math.Log(1 + float64(len(ix.occs)))
}
