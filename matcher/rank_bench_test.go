package matcher

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// benchTaxonomy builds a taxonomy of 10 groups × 10 skills × 6 narrower
// skills (710 competencies) with related links, like a mid-sized real one.
func benchTaxonomy(b *testing.B) (*taxonomy.Taxonomy, []string) {
	b.Helper()
	var comps []taxonomy.Competency
	label := func(s string) map[string]taxonomy.Labels {
		return map[string]taxonomy.Labels{"en": {Preferred: s}}
	}
	var leaves []string
	for g := range 10 {
		gid := fmt.Sprintf("g%d", g)
		comps = append(comps, taxonomy.Competency{ID: gid, Kind: taxonomy.KindGroup, Labels: label(gid)})
		for s := range 10 {
			sid := fmt.Sprintf("%s-s%d", gid, s)
			c := taxonomy.Competency{ID: sid, Kind: taxonomy.KindSkill, Labels: label(sid), Broader: []string{gid}}
			if s > 0 {
				c.Related = []string{fmt.Sprintf("%s-s%d", gid, s-1)}
			}
			comps = append(comps, c)
			leaves = append(leaves, sid)
			for n := range 6 {
				nid := fmt.Sprintf("%s-n%d", sid, n)
				comps = append(comps, taxonomy.Competency{ID: nid, Kind: taxonomy.KindSkill, Labels: label(nid), Broader: []string{sid}})
				leaves = append(leaves, nid)
			}
		}
	}
	tax, err := taxonomy.New("bench", comps, nil)
	if err != nil {
		b.Fatal(err)
	}
	return tax, leaves
}

// BenchmarkRank ranks 10,000 applicants, each with 8 credentials showing 3
// competencies apiece (evidence precomputed), against 20 requirements.
func BenchmarkRank(b *testing.B) {
	tax, comps := benchTaxonomy(b)
	r := rand.New(rand.NewPCG(10000, 8))
	reqs := make([]Requirement, 20)
	for i := range reqs {
		reqs[i] = Requirement{CompetencyID: comps[r.IntN(len(comps))], Must: i < 6, Weight: 1 - float64(i)/40}
		if i%5 == 0 {
			reqs[i].MinLevel = LevelIntermediate
		}
	}
	statuses := []credential.Status{credential.StatusValid, credential.StatusValid, credential.StatusValid, credential.StatusUnverifiable, credential.StatusRevoked, credential.StatusExpired}
	applicants := make([]Applicant, 10000)
	for i := range applicants {
		a := &applicants[i]
		a.ID = fmt.Sprintf("applicant-%05d", i)
		for c := range 8 {
			ref := cref(fmt.Sprintf("%s-c%d", a.ID, c), statuses[r.IntN(len(statuses))], r.IntN(2) == 0, r.Float64()*10)
			ref.Level = Level([]Level{LevelNone, LevelBasic, LevelAdvanced}[r.IntN(3)])
			for range 3 {
				e := aligned(comps[r.IntN(len(comps))], ref)
				if r.IntN(2) == 0 {
					e.Link, e.Score = LinkText, 0.7
				}
				a.Evidence = append(a.Evidence, e)
			}
		}
	}
	p := DefaultPolicy()
	b.ReportAllocs()
	var cpu time.Duration
	n := 0
	for b.Loop() {
		start := processCPU()
		fits := Rank(reqs, applicants, p, tax, rankNow)
		cpu += processCPU() - start
		n++
		if len(fits) != len(applicants) {
			b.Fatal("lost applicants")
		}
	}
	// With -cpu 1 the process has one P, so its CPU time is the ranking's
	// (plus the garbage collector's): the figure to compare with the 50 ms
	// goal when the machine is shared and wall time includes waiting.
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/op")
	}
}
