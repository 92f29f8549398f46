package app

import (
	"fmt"
	"sort"
	"time"

	"github.com/skillmatch/skillmatch/matcher"
)

// Ranking table columns.
const (
	colRank = iota
	colName
	colFit
	colMust
	colStage
	colVerified
	colKnockOut
	numRankCols
)

// rankingState is the ranking as shown: the fits in the matcher's order,
// the column the user sorted by, and blind mode with the names the user
// revealed. Plain Go, used on the UI goroutine.
type rankingState struct {
	fits     []matcher.Fit
	order    []int // display order: indices into fits
	sortCol  int
	sortDesc bool
	blind    bool
	revealed map[string]bool
	// alias numbers applicants for blind mode by their position in the
	// pool, which does not change with the job or the sort.
	alias map[string]int
	// audit lists every reveal, for the record.
	audit []auditEntry
	// stageOrder gives the position of each applicant's pipeline stage,
	// for sorting by stage (applicants outside the pool sort first).
	stageOrder map[string]int
}

// auditEntry records that a user saw something blind mode hid.
type auditEntry struct {
	At        time.Time
	Applicant string
	Action    string
}

func newRankingState() *rankingState {
	return &rankingState{revealed: map[string]bool{}, alias: map[string]int{}, sortCol: colRank}
}

// setFits replaces the ranking and sorts it as the user last asked.
func (s *rankingState) setFits(fits []matcher.Fit) {
	s.fits = fits
	s.sort()
}

// sortBy sorts by a column; sorting by the same column again reverses the
// order.
func (s *rankingState) sortBy(col int) {
	if col == s.sortCol {
		s.sortDesc = !s.sortDesc
	} else {
		s.sortCol = col
		// numbers read best first; names A→Z
		s.sortDesc = col == colFit || col == colMust || col == colVerified || col == colKnockOut
	}
	s.sort()
}

func (s *rankingState) sort() {
	s.order = make([]int, len(s.fits))
	for i := range s.order {
		s.order[i] = i
	}
	key := func(i int) float64 {
		f := &s.fits[i]
		switch s.sortCol {
		case colFit:
			return f.Score
		case colMust:
			if f.MustTotal == 0 {
				return 1
			}
			return float64(f.MustMet) / float64(f.MustTotal)
		case colVerified:
			return float64(f.Verified)
		case colKnockOut:
			if f.KnockedOut {
				return 1
			}
			return 0
		case colStage:
			return float64(s.stageOrder[f.Applicant])
		}
		return float64(f.Rank)
	}
	sort.SliceStable(s.order, func(a, b int) bool {
		i, j := s.order[a], s.order[b]
		if s.sortCol == colName {
			ni, nj := s.name(i), s.name(j)
			if ni != nj {
				return (ni < nj) != s.sortDesc
			}
			return s.fits[i].Rank < s.fits[j].Rank
		}
		ki, kj := key(i), key(j)
		if ki != kj {
			return (ki < kj) != s.sortDesc
		}
		return s.fits[i].Rank < s.fits[j].Rank // ties keep the ranking order
	})
}

// row returns the fit shown on display row r.
func (s *rankingState) row(r int) *matcher.Fit { return &s.fits[s.order[r]] }

// name returns what the table shows for fits[i]: the name, or in blind
// mode an alias until the user reveals it.
func (s *rankingState) name(i int) string {
	f := &s.fits[i]
	if s.blind && !s.revealed[f.Applicant] {
		return s.aliasOf(f.Applicant)
	}
	if f.Name != "" {
		return f.Name
	}
	return f.Applicant
}

func (s *rankingState) aliasOf(id string) string {
	return T("ranking.alias", map[string]any{"N": fmt.Sprintf("%02d", s.alias[id])})
}

// hidden reports whether blind mode hides the applicant's identity.
func (s *rankingState) hidden(id string) bool { return s.blind && !s.revealed[id] }

// reveal shows one applicant's identity in blind mode and logs it.
func (s *rankingState) reveal(id string, now time.Time) {
	if !s.hidden(id) {
		return
	}
	s.revealed[id] = true
	s.audit = append(s.audit, auditEntry{At: now, Applicant: id, Action: "reveal"})
}

// setBlind turns blind mode on or off; turning it on hides every name
// again.
func (s *rankingState) setBlind(on bool) {
	s.blind = on
	if on {
		s.revealed = map[string]bool{}
	}
	s.sort()
}
