package matcher

import (
	"fmt"
	"math"
	"strings"

	"github.com/skillmatch/skillmatch/credential"
)

// Best returns the contribution of the evidence that decided requirement i
// (an index into Requirements), with every factor, or false when nothing
// counted.
func (f *Fit) Best(i int) (Contribution, bool) {
	if i < 0 || i >= len(f.Requirements) || f.scorer == nil {
		return Contribution{}, false
	}
	r := &f.Requirements[i]
	if r.best < 0 {
		return Contribution{}, false
	}
	return f.scorer.policy.Credit(&f.scorer.reqs[i], r.bestRel.relation(), int(r.bestDist), f.evidence[r.best], f.scorer.now), true
}

// Rejected returns the most relevant evidence for requirement i that counted
// nothing because its credential failed verification (revoked, expired,
// invalid…), so that the explanation can say so; false when there is none.
func (f *Fit) Rejected(i int) (Contribution, bool) {
	if i < 0 || i >= len(f.Requirements) || f.scorer == nil {
		return Contribution{}, false
	}
	r := &f.Requirements[i]
	if r.rejected < 0 {
		return Contribution{}, false
	}
	return f.scorer.policy.Credit(&f.scorer.reqs[i], r.rejRel.relation(), int(r.rejDist), f.evidence[r.rejected], f.scorer.now), true
}

// Requirement returns requirement i of the job the fit was scored against.
func (f *Fit) Requirement(i int) Requirement {
	return f.scorer.reqs[i]
}

// RequirementDetail is the explanation of one requirement for one
// applicant: what was asked, how far it is met, by which credential,
// through which relation, with which status and age, and what it adds to
// the score.
type RequirementDetail struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Must  bool   `json:"must"`
	// Level and MinYears are what the requirement asks for, if anything.
	Level    Level   `json:"level,omitempty"`
	MinYears float64 `json:"min_years,omitempty"`
	Outcome  Outcome `json:"outcome"`
	Fit      float64 `json:"fit"`
	Points   float64 `json:"points"`
	// Evidence is the deciding contribution (nil when missing).
	Evidence *Contribution `json:"evidence,omitempty"`
	// Corroborating further credentials and the bonus they added.
	Corroborating int32   `json:"corroborating,omitempty"`
	Bonus         float64 `json:"bonus,omitempty"`
	// Rejected is the most relevant evidence that did not count because
	// its credential failed verification (nil when none).
	Rejected *Contribution `json:"rejected,omitempty"`
	// Note says the same in one sentence.
	Note string `json:"note"`
}

// Details explains every requirement, in the order of the requirements.
func (f *Fit) Details() []RequirementDetail {
	out := make([]RequirementDetail, len(f.Requirements))
	for i := range f.Requirements {
		out[i] = f.Detail(i)
	}
	return out
}

// Detail explains requirement i.
func (f *Fit) Detail(i int) RequirementDetail {
	r := &f.Requirements[i]
	req := f.scorer.reqs[i]
	d := RequirementDetail{
		ID: req.CompetencyID, Label: labelOf(req), Must: req.Must, Level: req.MinLevel, MinYears: req.MinYears, Outcome: r.Outcome,
		Fit: r.Fit, Points: r.Points, Corroborating: r.Corroborating, Bonus: r.Bonus,
	}
	if c, ok := f.Best(i); ok {
		d.Evidence = &c
	}
	if c, ok := f.Rejected(i); ok && r.Outcome != OutcomeMet {
		d.Rejected = &c
	}
	d.Note = noteFor(d)
	return d
}

// Gaps returns the requirements that are not met (partly met or missing),
// must-haves first, each group in the order of the requirements.
func (f *Fit) Gaps() []RequirementDetail {
	var must, assets []RequirementDetail
	for i := range f.Requirements {
		if f.Requirements[i].Outcome == OutcomeMet {
			continue
		}
		d := f.Detail(i)
		if d.Must {
			must = append(must, d)
		} else {
			assets = append(assets, d)
		}
	}
	return append(must, assets...)
}

func labelOf(r Requirement) string {
	if r.Label != "" {
		return r.Label
	}
	return r.CompetencyID
}

// displayName is the applicant's name, or their ID when they have none.
func (f *Fit) displayName() string {
	if f.Name != "" {
		return f.Name
	}
	return f.Applicant
}

// statusWords says a credential's effective status in plain words.
func statusWords(c *Contribution) string {
	switch c.Status {
	case credential.StatusValid:
		if c.Trusted {
			return "verified, from a trusted issuer"
		}
		return "verified, issuer not on the trust list"
	case credential.StatusUnverifiable:
		if c.Evidence.Credential.SelfReported {
			return "self-reported, not verifiable"
		}
		return "could not be verified"
	case credential.StatusNotYetValid:
		return "not yet valid"
	case credential.StatusError:
		return "could not be checked because of an error"
	}
	return string(c.Status)
}

// ageWords says how old a credential is.
func ageWords(years float64) string {
	switch {
	case years < 0:
		return "undated"
	case years < 1:
		months := int(math.Round(years * 12))
		if months <= 1 {
			return "issued this month"
		}
		return fmt.Sprintf("%d months old", months)
	case years < 1.05:
		return "1 year old"
	}
	return fmt.Sprintf("%.1f years old", years)
}

// relationWords says how the evidenced competency relates to the required
// one.
func relationWords(c *Contribution) string {
	switch c.Relation {
	case RelExact:
		return ""
	case RelNarrower:
		return fmt.Sprintf(" through the more specific %q", c.Evidence.CompetencyID)
	case RelBroader:
		return fmt.Sprintf(" only through the broader %q", c.Evidence.CompetencyID)
	case RelRelated:
		return fmt.Sprintf(" only through the related %q", c.Evidence.CompetencyID)
	case RelSibling:
		return fmt.Sprintf(" only through the neighbouring %q", c.Evidence.CompetencyID)
	}
	return ""
}

func credentialWords(c *Contribution) string {
	name := c.Evidence.Credential.Name
	if name == "" {
		name = c.Evidence.Credential.ID
	}
	s := fmt.Sprintf("%q", name)
	if c.Evidence.Credential.Issuer != "" {
		s += " from " + c.Evidence.Credential.Issuer
	}
	return s
}

func noteFor(d RequirementDetail) string {
	kind := "asset"
	if d.Must {
		kind = "must-have"
	}
	var b strings.Builder
	switch d.Outcome {
	case OutcomeMet:
		fmt.Fprintf(&b, "%s (%s): met", d.Label, kind)
	case OutcomePartly:
		fmt.Fprintf(&b, "%s (%s): partly met", d.Label, kind)
	default:
		fmt.Fprintf(&b, "%s (%s): missing", d.Label, kind)
	}
	if c := d.Evidence; c != nil {
		fmt.Fprintf(&b, " by %s%s (%s, %s", credentialWords(c), relationWords(c), statusWords(c), ageWords(c.AgeYears))
		if c.Flags.Has(FlagLevelBelow) {
			fmt.Fprintf(&b, ", level %s below the %s asked", c.Evidence.Credential.Level, d.Level)
		}
		if c.Flags.Has(FlagTextLink) {
			fmt.Fprintf(&b, ", found in its %s", c.Evidence.Source)
		}
		b.WriteString(")")
		if d.Corroborating > 0 {
			fmt.Fprintf(&b, ", backed by %d more credential(s)", d.Corroborating)
		}
	}
	if c := d.Rejected; c != nil {
		fmt.Fprintf(&b, "; %s does not count: %s", credentialWords(c), statusWords(c))
	}
	fmt.Fprintf(&b, "; fit %.2f, %.1f points.", d.Fit, d.Points)
	return b.String()
}

// TieBreak says, when this applicant has the same score (and knock-out
// state) as the applicant ranked just above, which rule put that one first:
// more must-haves met, more verified credentials, or — all else equal — the
// applicant ID. It is empty when the scores differ or before Order ran.
func (f *Fit) TieBreak() string {
	a := f.above
	if a == nil {
		return ""
	}
	switch {
	case a.mustMet != f.MustMet:
		return fmt.Sprintf("same score as %s (%.1f); %s ranks first with more must-haves met (%d against %d)", a.name, f.Score, a.name, a.mustMet, f.MustMet)
	case a.verified != f.Verified:
		return fmt.Sprintf("same score as %s (%.1f) and as many must-haves met; %s ranks first with more verified credentials (%d against %d)", a.name, f.Score, a.name, a.verified, f.Verified)
	}
	return fmt.Sprintf("same score, must-haves and verified credentials as %s (%.1f); the order is by applicant ID (%s before %s)", a.name, f.Score, a.id, f.Applicant)
}

// Explanation is a plain-language account of the fit that a recruiter can
// paste into an e-mail: the score, the must-haves and assets met, the
// strongest evidence, the gaps, and any credential that did not count.
func (f *Fit) Explanation() string {
	var b strings.Builder
	var mustMet, mustAll, assetMet, assetAll int
	var missing, partly, rejected []string
	strongest := -1
	strongestPts := 0.0
	for i := range f.Requirements {
		r := &f.Requirements[i]
		req := f.scorer.reqs[i]
		if req.Must {
			mustAll++
		} else {
			assetAll++
		}
		switch r.Outcome {
		case OutcomeMet:
			if req.Must {
				mustMet++
			} else {
				assetMet++
			}
			if r.Points > strongestPts {
				strongest, strongestPts = i, r.Points
			}
		case OutcomePartly:
			partly = append(partly, mustLabel(req))
		default:
			missing = append(missing, mustLabel(req))
		}
		if r.Outcome != OutcomeMet {
			if c, ok := f.Rejected(i); ok {
				rejected = append(rejected, fmt.Sprintf("%s (%s)", credentialWords(&c), statusWords(&c)))
			}
		}
	}
	fmt.Fprintf(&b, "%s scores %.1f out of 100", f.displayName(), f.Score)
	if f.Rank > 0 {
		fmt.Fprintf(&b, " and ranks #%d", f.Rank)
	}
	fmt.Fprintf(&b, ", meeting %d of %s and %d of %s.", mustMet, plural(mustAll, "must-have"), assetMet, plural(assetAll, "asset"))
	if f.KnockedOut {
		b.WriteString(" A must-have is not met, so this applicant ranks after those who meet them all.")
	}
	if strongest >= 0 {
		if c, ok := f.Best(strongest); ok {
			fmt.Fprintf(&b, " Strongest evidence: %s for %s%s (%s, %s).", credentialWords(&c), labelOf(f.scorer.reqs[strongest]), relationWords(&c), statusWords(&c), ageWords(c.AgeYears))
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, " Missing: %s.", strings.Join(dedupeStrings(missing), ", "))
	}
	if len(partly) > 0 {
		fmt.Fprintf(&b, " Partly met: %s.", strings.Join(dedupeStrings(partly), ", "))
	}
	if len(rejected) > 0 {
		fmt.Fprintf(&b, " Not counted: %s.", strings.Join(dedupeStrings(rejected), "; "))
	}
	if t := f.TieBreak(); t != "" {
		fmt.Fprintf(&b, " Tie: %s.", t)
	}
	return b.String()
}

// mustLabel is the requirement's label, marked when it is a must-have.
func mustLabel(r Requirement) string {
	if r.Must {
		return labelOf(r) + " (must-have)"
	}
	return labelOf(r)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func dedupeStrings(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
