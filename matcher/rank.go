package matcher

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// Applicant is a person to rank: an identifier and the evidence of their
// credentials. Only Evidence (and Credentials, for the tie-break on the
// number of verified credentials) is scored; Name is carried for display
// and never read by the scoring code.
type Applicant struct {
	// ID identifies the applicant stably (workspace ID, folder name); it is
	// the last tie-break, so equal applicants always come out in the same
	// order.
	ID string `json:"id"`
	// Name is shown to the recruiter; it plays no part in the score.
	Name string `json:"name,omitempty"`
	// Credentials are all of the applicant's credentials, including those
	// that evidence nothing. When nil, the credentials named by Evidence
	// are counted instead.
	Credentials []CredentialRef `json:"credentials,omitempty"`
	// VerifiedCount, when Credentials is nil and it is positive, is the
	// number of the applicant's credentials whose effective status is
	// valid as of the ranking moment: a store that keeps that count need
	// not load every credential, only those Evidence names.
	VerifiedCount int `json:"verified_count,omitempty"`
	// Evidence is what the credentials show (see EvidenceFor). Evidence of
	// one credential should be consecutive and ordered by credential ID,
	// as EvidenceFor returns it; Rank sorts a copy otherwise.
	Evidence []Evidence `json:"evidence"`
}

// Outcome says how far a requirement is met. It is a small integer (so
// that ranking a large pool allocates no pointers per requirement) and reads
// and writes as "missing", "partly" or "met" in JSON and text.
type Outcome uint8

// Outcomes of a requirement.
const (
	OutcomeMissing Outcome = iota // no evidence counts
	OutcomePartly                 // 0 < fit < Policy.MetThreshold
	OutcomeMet                    // fit ≥ Policy.MetThreshold
)

var outcomeNames = [...]string{"missing", "partly", "met"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// MarshalText writes the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads "missing", "partly" or "met".
func (o *Outcome) UnmarshalText(b []byte) error {
	for i, n := range outcomeNames {
		if string(b) == n {
			*o = Outcome(i)
			return nil
		}
	}
	return fmt.Errorf("unknown outcome %q (want missing, partly or met)", b)
}

// RequirementFit is how one applicant fits one requirement.
type RequirementFit struct {
	// Fit in [0,1]: the value of the best evidence plus the corroboration
	// bonus, never above 1.
	Fit float64 `json:"fit"`
	// Points is what the requirement adds to the applicant's score (the
	// points of all requirements sum to the raw score, 0–100).
	Points float64 `json:"points"`
	// Bonus is what corroborating credentials added to Fit.
	Bonus float64 `json:"bonus"`
	// Index of the requirement in the list given to Rank.
	Index int `json:"index"`
	// Corroborating counts the further credentials that also evidence the
	// requirement.
	Corroborating int32   `json:"corroborating"`
	Outcome       Outcome `json:"outcome"`

	best, rejected    int32 // index into Fit.evidence, -1 if none
	bestRel, rejRel   relCode
	bestDist, rejDist int8
}

// relCode is a Relation as a small integer, so that RequirementFit holds no
// pointers.
type relCode uint8

var relations = [...]Relation{RelNone, RelExact, RelNarrower, RelBroader, RelRelated, RelSibling}

func codeOf(r Relation) relCode {
	for i, x := range relations {
		if x == r {
			return relCode(i)
		}
	}
	return 0
}

func (c relCode) relation() Relation { return relations[c] }

// Fit is how one applicant fits a job: the score, the per-requirement
// assessment and what decided the order. Explanation and Details turn it
// into words.
type Fit struct {
	// Applicant is the applicant's ID; Name their display name.
	Applicant string `json:"applicant"`
	Name      string `json:"name,omitempty"`
	// Rank is the 1-based position after sorting.
	Rank int `json:"rank"`
	// Score is the weighted coverage of the requirements, 0–100, rounded
	// to one decimal; ranking compares the rounded value so that the
	// tie-break is what the user sees.
	Score float64 `json:"score"`
	// KnockedOut is true when a must-have is not met and Policy.KnockOut
	// is on: the applicant ranks after everyone who meets every must-have.
	KnockedOut bool `json:"knocked_out"`
	// MustMet of MustTotal must-haves are met.
	MustMet   int `json:"must_met"`
	MustTotal int `json:"must_total"`
	// Verified counts the applicant's credentials that are valid as of the
	// ranking time (trusted or not).
	Verified int `json:"verified_credentials"`
	// Requirements has one entry per requirement, in the order given.
	Requirements []RequirementFit `json:"requirements"`
	scorer       *Scorer
	evidence     []Evidence
	// above is the applicant ranked just above when the scores and
	// knock-out states are equal (see TieBreak).
	above *tieInfo
}

// tieInfo is what TieBreak needs to know of the applicant ranked above.
type tieInfo struct {
	id, name          string
	mustMet, verified int
}

// relHit is one requirement that an evidenced competency can serve.
type relHit struct {
	req    int32
	dist   int8
	rel    relCode
	factor float64
}

// Scorer scores applicants against one list of requirements under one
// policy as of one moment. It precomputes, for every competency that could
// serve a requirement, which requirements and through which relation, so
// that scoring is a map look-up per piece of evidence. Gap analysis uses
// it to assess one person at a time. A Scorer is safe for concurrent use.
type Scorer struct {
	tax    *taxonomy.Taxonomy
	reqs   []Requirement
	policy Policy
	now    time.Time

	index     map[string][]relHit
	weights   []float64
	total     float64
	levelF    [5][5]float64 // [want][have]
	yearsF    []float64
	wantLevel []int8
	musts     int
	lang      string // of explanations
}

// WithLanguage returns a scorer that scores exactly like s but writes
// explanations in lang ("en" or "fr"; other languages get English). Use the
// language of the job posting.
func (s *Scorer) WithLanguage(lang string) *Scorer {
	c := *s
	c.lang = lang
	return &c
}

// NewScorer prepares the scoring of applicants against reqs. tax may be nil
// (then only exact matches count).
func NewScorer(tax *taxonomy.Taxonomy, reqs []Requirement, p Policy, now time.Time) *Scorer {
	s := &Scorer{tax: tax, reqs: reqs, policy: p, now: now, index: map[string][]relHit{}}
	s.weights = make([]float64, len(reqs))
	s.yearsF = make([]float64, len(reqs))
	s.wantLevel = make([]int8, len(reqs))
	levels := []Level{LevelNone, LevelBasic, LevelIntermediate, LevelAdvanced, LevelExpert}
	for w := range levels {
		for h := range levels {
			s.levelF[w][h] = p.LevelFactor(levels[w], levels[h])
		}
	}
	for i := range reqs {
		r := &reqs[i]
		s.weights[i] = p.requirementWeight(r)
		s.total += s.weights[i]
		s.yearsF[i] = 1
		if r.MinYears > 0 {
			s.yearsF[i] = p.YearsFactor
		}
		s.wantLevel[i] = int8(r.MinLevel.Rank())
		if r.Must {
			s.musts++
		}
		for comp, rd := range relatives(tax, r.CompetencyID, p.BroaderDepth) {
			f := p.relationFactor(rd.rel, rd.dist)
			if f <= 0 {
				continue
			}
			s.index[comp] = append(s.index[comp], relHit{req: int32(i), rel: codeOf(rd.rel), dist: int8(min(rd.dist, math.MaxInt8)), factor: f})
		}
	}
	return s
}

// Competencies returns, sorted, the IDs of the competencies whose evidence
// can count for some requirement (exact, narrower, broader, related or
// sibling, with a positive relation factor under the policy): evidence for
// any other competency plays no part in a Fit, so a store may load only
// evidence for these.
func (s *Scorer) Competencies() []string {
	out := make([]string, 0, len(s.index))
	for id := range s.index {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

type relDist struct {
	rel  Relation
	dist int
}

// relationStrength orders relations for choosing one when a competency is
// related to a requirement in several ways (the policy's factors decide
// the value; this only makes the choice deterministic).
var relationStrength = map[Relation]int{RelExact: 5, RelNarrower: 4, RelBroader: 3, RelRelated: 2, RelSibling: 1}

// relatives returns every competency that relates to required, with the
// strongest relation: itself (exact), its descendants (narrower, with
// their depth), its ancestors up to broaderDepth levels (broader), its
// related competencies and its siblings under a parent that is not a
// grouping node.
func relatives(tax *taxonomy.Taxonomy, required string, broaderDepth int) map[string]relDist {
	out := map[string]relDist{required: {RelExact, 0}}
	if tax == nil {
		return out
	}
	if _, ok := tax.Get(required); !ok {
		return out
	}
	put := func(id string, rd relDist) {
		if old, ok := out[id]; ok && relationStrength[old.rel] >= relationStrength[rd.rel] {
			return
		}
		out[id] = rd
	}
	// Narrower, breadth first so the shortest distance wins.
	frontier := []string{required}
	for d := 1; len(frontier) > 0; d++ {
		var next []string
		for _, id := range frontier {
			for _, c := range tax.Children(id) {
				if _, seen := out[c.ID]; seen {
					continue
				}
				out[c.ID] = relDist{RelNarrower, d}
				next = append(next, c.ID)
			}
		}
		frontier = next
	}
	frontier = []string{required}
	for d := 1; d <= broaderDepth && len(frontier) > 0; d++ {
		var next []string
		for _, id := range frontier {
			for _, p := range tax.Parents(id) {
				if _, seen := out[p.ID]; seen {
					continue
				}
				put(p.ID, relDist{RelBroader, d})
				next = append(next, p.ID)
			}
		}
		frontier = next
	}
	for _, c := range tax.Related(required) {
		put(c.ID, relDist{RelRelated, 0})
	}
	for _, p := range tax.Parents(required) {
		if p.Kind == taxonomy.KindGroup {
			continue
		}
		for _, c := range tax.Children(p.ID) {
			put(c.ID, relDist{RelSibling, 0})
		}
	}
	return out
}

// Relate returns how evidenced relates to required in tax, by the same
// rules ranking uses, and how many levels apart they are (for narrower and
// broader). broaderDepth bounds how far up a broader competency counts
// (Policy.BroaderDepth).
func Relate(tax *taxonomy.Taxonomy, required, evidenced string, broaderDepth int) (Relation, int) {
	if required == evidenced {
		return RelExact, 0
	}
	if tax == nil {
		return RelNone, 0
	}
	if d, ok := tax.IsAncestor(required, evidenced); ok {
		return RelNarrower, d
	}
	if d, ok := tax.IsAncestor(evidenced, required); ok && d <= broaderDepth {
		return RelBroader, d
	}
	req, ok := tax.Get(required)
	if !ok {
		return RelNone, 0
	}
	if slices.Contains(req.Related, evidenced) {
		return RelRelated, 0
	}
	if ev, ok := tax.Get(evidenced); ok {
		for _, p := range req.Broader {
			if slices.Contains(ev.Broader, p) {
				if pc, ok := tax.Get(p); ok && pc.Kind != taxonomy.KindGroup {
					return RelSibling, 0
				}
			}
		}
	}
	return RelNone, 0
}

// Requirements returns the requirements the scorer was built for.
func (s *Scorer) Requirements() []Requirement { return s.reqs }

// Policy returns the scorer's policy.
func (s *Scorer) Policy() Policy { return s.policy }

// Now returns the moment the scorer assesses as of.
func (s *Scorer) Now() time.Time { return s.now }

// scratch holds the per-applicant working arrays, reused across applicants.
type scratch struct {
	gBest    []float64 // best value of the current credential per requirement
	gIdx     []int32
	gRel     []relCode
	gDist    []int8
	touched  []int32
	others   []float64 // sum of the values of the non-best credentials
	rejected []float64 // strength of the best failed evidence
}

func (s *Scorer) newScratch() *scratch {
	m := len(s.reqs)
	sc := &scratch{
		gBest: make([]float64, m), gIdx: make([]int32, m), gRel: make([]relCode, m),
		gDist: make([]int8, m), others: make([]float64, m), rejected: make([]float64, m),
	}
	for i := range sc.gIdx {
		sc.gIdx[i] = -1
	}
	return sc
}

// Assess scores one applicant. The result's Rank and tie-break are unset;
// Order sets them.
func (s *Scorer) Assess(a *Applicant) Fit {
	return s.assess(a, s.newScratch(), make([]RequirementFit, len(s.reqs)))
}

func (s *Scorer) assess(a *Applicant, sc *scratch, rf []RequirementFit) Fit {
	p := &s.policy
	ev := a.Evidence
	for i := 1; i < len(ev); i++ {
		// Compare only where the credential changes: equal IDs are usually
		// the same string, which == checks without reading it.
		if ev[i].Credential.ID != ev[i-1].Credential.ID && ev[i].Credential.ID < ev[i-1].Credential.ID {
			ev = slices.Clone(ev)
			slices.SortStableFunc(ev, func(x, y Evidence) int { return strings.Compare(x.Credential.ID, y.Credential.ID) })
			break
		}
	}
	f := Fit{Applicant: a.ID, Name: a.Name, MustTotal: s.musts, Requirements: rf, scorer: s, evidence: ev}
	for i := range rf {
		rf[i] = RequirementFit{Index: i, best: -1, rejected: -1}
		sc.others[i] = 0
		sc.rejected[i] = 0
	}
	verifiedFromEvidence := a.Credentials == nil && a.VerifiedCount <= 0
	for start := 0; start < len(ev); {
		end := start + 1
		for end < len(ev) && ev[end].Credential.ID == ev[start].Credential.ID {
			end++
		}
		cred := &ev[start].Credential
		status := cred.EffectiveStatus(s.now)
		if verifiedFromEvidence && status == credential.StatusValid {
			f.Verified++
		}
		base := p.VerificationFactor(status, cred.Trusted)
		cur, _ := p.CurrencyFactor(cred.IssuedAt, s.now)
		base *= cur * p.VolumeFactor(cred.Credits)
		have := cred.Level.Rank()
		sc.touched = sc.touched[:0]
		for k := start; k < end; k++ {
			e := &ev[k]
			link := 1.0
			if e.Link == LinkText {
				link = clamp01(e.Score)
			}
			for _, h := range s.index[e.CompetencyID] {
				v := h.factor * base * link * s.levelF[s.wantLevel[h.req]][have] * s.yearsF[h.req]
				if v <= 0 {
					// Failed evidence: remember the most relevant one so the
					// explanation can say why it did not count.
					if strength := h.factor * link; strength > sc.rejected[h.req] {
						sc.rejected[h.req] = strength
						r := &rf[h.req]
						r.rejected, r.rejRel, r.rejDist = int32(k), h.rel, h.dist
					}
					continue
				}
				if sc.gIdx[h.req] < 0 {
					sc.touched = append(sc.touched, h.req)
				}
				if v > sc.gBest[h.req] {
					sc.gBest[h.req], sc.gIdx[h.req], sc.gRel[h.req], sc.gDist[h.req] = v, int32(k), h.rel, h.dist
				}
			}
		}
		// Fold this credential's best value per requirement into the
		// applicant's: the best credential counts in full, the others
		// corroborate.
		for _, q := range sc.touched {
			v := sc.gBest[q]
			r := &rf[q]
			switch {
			case r.best < 0:
				r.best, r.bestRel, r.bestDist, r.Fit = sc.gIdx[q], sc.gRel[q], sc.gDist[q], v
			case v > r.Fit:
				sc.others[q] += r.Fit
				r.Corroborating++
				r.best, r.bestRel, r.bestDist, r.Fit = sc.gIdx[q], sc.gRel[q], sc.gDist[q], v
			default:
				sc.others[q] += v
				r.Corroborating++
			}
			sc.gBest[q], sc.gIdx[q] = 0, -1
		}
		start = end
	}
	if !verifiedFromEvidence && a.Credentials == nil {
		f.Verified = a.VerifiedCount
	} else if !verifiedFromEvidence {
		for i := range a.Credentials {
			if a.Credentials[i].EffectiveStatus(s.now) == credential.StatusValid {
				f.Verified++
			}
		}
	}
	var sum float64
	for i := range rf {
		r := &rf[i]
		if r.best >= 0 {
			// r.Fit holds the best value so far.
			best := r.Fit
			r.Fit = min(1, best+min(p.CorroborationCap, p.CorroborationBonus*sc.others[i]))
			r.Bonus = r.Fit - best
		}
		switch {
		case r.Fit >= p.MetThreshold:
			r.Outcome = OutcomeMet
			if s.reqs[i].Must {
				f.MustMet++
			}
		case r.Fit > 0:
			r.Outcome = OutcomePartly
		default:
			r.Outcome = OutcomeMissing
		}
		if s.total > 0 {
			r.Points = 100 * s.weights[i] * r.Fit / s.total
		}
		sum += r.Points
	}
	f.Score = math.Round(sum*10) / 10
	f.KnockedOut = p.KnockOut && f.MustMet < f.MustTotal
	return f
}

// Rank scores every applicant against reqs and orders them: applicants who
// meet every must-have first (unless Policy.KnockOut is off), then by
// score, then by the number of must-haves met, then by the number of valid
// credentials, then by applicant ID. Every Fit says in TieBreak what
// separated it from an equal-scoring applicant ranked just above it. now is the moment
// the currency and expiry of credentials are judged as of.
//
// Nothing about the person enters the score: only their evidence (the
// competencies, verification, dates, levels and workloads of their
// credentials). Name and ID are used only for display and, for the ID, as
// the final tie-break.
func Rank(reqs []Requirement, applicants []Applicant, p Policy, tax *taxonomy.Taxonomy, now time.Time) []Fit {
	fits, _ := RankContext(context.Background(), NewScorer(tax, reqs, p, now), applicants, nil)
	return fits
}

// RankContext is Rank with a prepared Scorer, cancellation and progress:
// progress (if not nil) is called with the number of applicants scored so
// far, every 1,000 applicants and at the end. The context is checked before
// the first applicant and every 1,000; when it is done, RankContext returns
// its error and no fits.
func RankContext(ctx context.Context, s *Scorer, applicants []Applicant, progress func(done, total int)) ([]Fit, error) {
	n, m := len(applicants), len(s.reqs)
	fits := make([]Fit, n)
	all := make([]RequirementFit, n*m)
	sc := s.newScratch()
	for i := range applicants {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if progress != nil && i > 0 {
				progress(i, n)
			}
		}
		fits[i] = s.assess(&applicants[i], sc, all[i*m:(i+1)*m:(i+1)*m])
	}
	if progress != nil {
		progress(n, n)
	}
	Order(fits)
	return fits, nil
}

// Order sorts fits by the ranking rules (see Rank), sets Rank and explains
// every tie-break. Use it to re-order after editing fits, or to merge fits
// scored separately. Fits that compare equal (same applicant ID) keep their
// order.
func Order(fits []Fit) {
	// Sort positions rather than the (large) Fit values, then permute.
	idx := make([]int32, len(fits))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if c := compareFits(&fits[a], &fits[b]); c != 0 {
			return c
		}
		return int(a - b)
	})
	// Apply the permutation in place, cycle by cycle: fits[i] must become
	// the fit that was at idx[i].
	for i := range idx {
		if idx[i] < 0 || int(idx[i]) == i {
			continue
		}
		tmp := fits[i]
		j := i
		for {
			k := int(idx[j])
			idx[j] = -1
			if k == i {
				fits[j] = tmp
				break
			}
			fits[j] = fits[k]
			j = k
		}
	}
	ties := make([]tieInfo, 0, len(fits))
	for i := range fits {
		fits[i].Rank = i + 1
		fits[i].above = nil
		if i > 0 && fits[i-1].KnockedOut == fits[i].KnockedOut && fits[i-1].Score == fits[i].Score {
			ties = append(ties, tieInfo{id: fits[i-1].Applicant, name: fits[i-1].displayName(), mustMet: fits[i-1].MustMet, verified: fits[i-1].Verified})
			fits[i].above = &ties[len(ties)-1]
		}
	}
}

// compareFits orders two fits: negative when a ranks first.
func compareFits(a, b *Fit) int {
	switch {
	case a.KnockedOut != b.KnockedOut:
		if b.KnockedOut {
			return -1
		}
		return 1
	case a.Score != b.Score:
		if a.Score > b.Score {
			return -1
		}
		return 1
	case a.MustMet != b.MustMet:
		return b.MustMet - a.MustMet
	case a.Verified != b.Verified:
		return b.Verified - a.Verified
	case a.Applicant < b.Applicant:
		return -1
	case a.Applicant > b.Applicant:
		return 1
	}
	return 0
}
