package matcher

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/skillmatch/skillmatch/credential"
)

// Policy holds every factor that turns evidence into a score. It is one
// value so that the desktop app can show it as a settings page, the CLI can
// read it from a JSON file (--policy FILE) and ranking, gap analysis and
// upskilling plans all apply the same rules. DefaultPolicy documents the
// defaults; a zero Policy is not useful, start from DefaultPolicy.
//
// The value of one piece of evidence for one requirement is the product
//
//	relation × verification × currency × level × years × volume × link
//
// each factor in [0,1], so a fresh, trusted credential aligned exactly to
// the required competency is worth 1 and anything less specific, less
// verified, older or smaller is worth less. Only the applicant's evidence
// enters the score: nothing about the person (name, e-mail, gender, age,
// school or the prestige of an issuer) is an input of any factor.
type Policy struct {
	// Relations weigh evidence by how the evidenced competency relates to
	// the required one in the taxonomy.
	Relations RelationFactors `json:"relations"`
	// BroaderDepth is how many levels above the required competency a
	// broader competency still counts (1 = the direct parent only). Each
	// extra level multiplies Relations.Broader once more.
	BroaderDepth int `json:"broader_depth"`
	// Verification weighs evidence by the verification of its credential.
	Verification VerificationFactors `json:"verification"`
	// HalfLifeYears is the age at which evidence counts half: skills age,
	// and a credential issued HalfLifeYears ago is worth half a fresh one,
	// one issued twice that long ago a quarter. 0 turns ageing off. A
	// credential whose validUntil has passed is expired (see
	// Verification), not old.
	HalfLifeYears float64 `json:"half_life_years"`
	// UndatedFactor applies to a credential without an issue date, whose
	// age cannot be known.
	UndatedFactor float64 `json:"undated_factor"`
	// LevelStepFactor applies once for each proficiency level the
	// credential stands below the level a requirement asks for (e.g. 0.7:
	// an intermediate credential for an expert requirement counts 0.7² =
	// 0.49).
	LevelStepFactor float64 `json:"level_step_factor"`
	// LevelUnknownFactor applies when a requirement asks for a level and
	// the credential states none.
	LevelUnknownFactor float64 `json:"level_unknown_factor"`
	// YearsFactor applies when a requirement asks for years of experience:
	// a credential proves a competency, not how long it has been
	// practised, so such evidence never counts in full.
	YearsFactor float64 `json:"years_factor"`
	// VolumeFullCredits is the workload (credits, ECTS where stated) at
	// which a credential counts in full; smaller credentials count from
	// VolumeFloor (0 credits) up to 1, linearly. Credentials that state no
	// workload are not penalised. 0 turns the volume factor off.
	VolumeFullCredits float64 `json:"volume_full_credits"`
	// VolumeFloor is the volume factor of a credential with a stated
	// workload of 0.
	VolumeFloor float64 `json:"volume_floor"`
	// CorroborationBonus is added to the best evidence of a requirement for
	// every other credential that also evidences it, times that
	// credential's own value; in total at most CorroborationCap, and the
	// fit of a requirement never exceeds 1.
	CorroborationBonus float64 `json:"corroboration_bonus"`
	// CorroborationCap bounds the total corroboration bonus of one
	// requirement.
	CorroborationCap float64 `json:"corroboration_cap"`
	// MetThreshold is the fit at or above which a requirement counts as
	// met; a fit above 0 but below it is "partly met".
	MetThreshold float64 `json:"met_threshold"`
	// KnockOut ranks applicants who miss a must-have (fit below
	// MetThreshold) after every applicant who meets all must-haves.
	KnockOut bool `json:"knock_out"`
	// MustWeight and AssetWeight multiply the weight of must-have and
	// asset (nice-to-have) requirements in the applicant's score (0–100).
	MustWeight  float64 `json:"must_weight"`
	AssetWeight float64 `json:"asset_weight"`
}

// RelationFactors weigh evidence by relation (see Relation).
type RelationFactors struct {
	Exact    float64 `json:"exact"`
	Narrower float64 `json:"narrower"`
	Broader  float64 `json:"broader"`
	Related  float64 `json:"related"`
	Sibling  float64 `json:"sibling"`
}

// VerificationFactors weigh evidence by the verification status of its
// credential. Invalid, revoked, suspended, expired, not-yet-valid and
// unverified-because-of-an-error credentials count Failed (0 by default)
// and are flagged in the explanation.
type VerificationFactors struct {
	// ValidTrusted: every check passed and the issuer is on the trust list.
	ValidTrusted float64 `json:"valid_trusted"`
	// ValidUntrusted: every check passed but the issuer is not on the
	// trust list (or there is none).
	ValidUntrusted float64 `json:"valid_untrusted"`
	// Unverifiable: the credential could not be checked (offline, no
	// signature, a self-reported roster line).
	Unverifiable float64 `json:"unverifiable"`
	// Failed: invalid, revoked, suspended, expired, not yet valid or
	// failed to verify.
	Failed float64 `json:"failed"`
}

// DefaultPolicy returns the documented defaults:
//
//	relations      exact 1.0, narrower 0.9, broader 0.5 (direct parent
//	               only), related 0.4, sibling 0.3
//	verification   valid and trusted 1.0, valid not trusted 0.8,
//	               unverifiable or self-reported 0.5, invalid, revoked,
//	               suspended, expired or not yet valid 0 (flagged)
//	currency       half-life 5 years; undated credentials 0.8
//	level          0.7 per level short of the required one; 0.9 when
//	               the credential states no level
//	years          0.9 when the requirement asks for years of experience
//	volume         full at 5 credits, from 0.8 at 0 credits; not stated:
//	               no penalty
//	corroboration  +0.1 × value per further credential, at most +0.1
//	met            fit ≥ 0.5; knock-outs on; must and asset weights 1
//	               (the extractor already weighs must-haves above assets)
func DefaultPolicy() Policy {
	return Policy{
		Relations:          RelationFactors{Exact: 1, Narrower: 0.9, Broader: 0.5, Related: 0.4, Sibling: 0.3},
		BroaderDepth:       1,
		Verification:       VerificationFactors{ValidTrusted: 1, ValidUntrusted: 0.8, Unverifiable: 0.5, Failed: 0},
		HalfLifeYears:      5,
		UndatedFactor:      0.8,
		LevelStepFactor:    0.7,
		LevelUnknownFactor: 0.9,
		YearsFactor:        0.9,
		VolumeFullCredits:  5,
		VolumeFloor:        0.8,
		CorroborationBonus: 0.1,
		CorroborationCap:   0.1,
		MetThreshold:       0.5,
		KnockOut:           true,
		MustWeight:         1,
		AssetWeight:        1,
	}
}

// ParsePolicy reads a policy from JSON. Fields that the JSON leaves out
// keep their DefaultPolicy value, so a file may hold only what it changes,
// e.g. {"half_life_years": 3, "knock_out": false}. Unknown fields are an
// error (a misspelt setting must not be ignored silently). name is used in
// error messages.
func ParsePolicy(name string, data []byte) (Policy, error) {
	p := DefaultPolicy()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Policy{}, fmt.Errorf("policy %s: %w (see matcher.Policy for the fields; omit a field to keep its default)", name, err)
	}
	if err := p.Validate(); err != nil {
		return Policy{}, fmt.Errorf("policy %s: %w", name, err)
	}
	return p, nil
}

// LoadPolicy reads a policy file (see ParsePolicy).
func LoadPolicy(path string) (Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Policy{}, fmt.Errorf("reading policy: %w", err)
	}
	return ParsePolicy(path, data)
}

// Validate reports every factor outside its range, naming the JSON field.
func (p Policy) Validate() error {
	var bad []string
	unit := func(field string, v float64) {
		if math.IsNaN(v) || v < 0 || v > 1 {
			bad = append(bad, fmt.Sprintf("%s is %g, want a number from 0 to 1", field, v))
		}
	}
	nonNeg := func(field string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			bad = append(bad, fmt.Sprintf("%s is %g, want 0 or more", field, v))
		}
	}
	unit("relations.exact", p.Relations.Exact)
	unit("relations.narrower", p.Relations.Narrower)
	unit("relations.broader", p.Relations.Broader)
	unit("relations.related", p.Relations.Related)
	unit("relations.sibling", p.Relations.Sibling)
	unit("verification.valid_trusted", p.Verification.ValidTrusted)
	unit("verification.valid_untrusted", p.Verification.ValidUntrusted)
	unit("verification.unverifiable", p.Verification.Unverifiable)
	unit("verification.failed", p.Verification.Failed)
	unit("undated_factor", p.UndatedFactor)
	unit("level_step_factor", p.LevelStepFactor)
	unit("level_unknown_factor", p.LevelUnknownFactor)
	unit("years_factor", p.YearsFactor)
	unit("volume_floor", p.VolumeFloor)
	unit("corroboration_bonus", p.CorroborationBonus)
	unit("corroboration_cap", p.CorroborationCap)
	unit("met_threshold", p.MetThreshold)
	nonNeg("half_life_years", p.HalfLifeYears)
	nonNeg("volume_full_credits", p.VolumeFullCredits)
	weight := func(field string, v float64) {
		if math.IsNaN(v) || v < 0 || v > 100 {
			bad = append(bad, fmt.Sprintf("%s is %g, want a number from 0 to 100", field, v))
		}
	}
	weight("must_weight", p.MustWeight)
	weight("asset_weight", p.AssetWeight)
	if p.BroaderDepth < 0 {
		bad = append(bad, fmt.Sprintf("broader_depth is %d, want 0 (broader never counts) or more", p.BroaderDepth))
	}
	if p.MetThreshold == 0 {
		bad = append(bad, "met_threshold is 0, which would count a requirement without any evidence as met; use a small positive number")
	}
	if len(bad) > 0 {
		return fmt.Errorf("invalid policy: %s", strings.Join(bad, "; "))
	}
	return nil
}

// Relation says how an evidenced competency relates to a required one.
type Relation string

// Relations, from strongest to weakest.
const (
	// RelExact: the evidenced competency is the required one.
	RelExact Relation = "exact"
	// RelNarrower: the evidenced competency is more specific than the
	// required one (a descendant of it), e.g. "Python" for "programming".
	RelNarrower Relation = "narrower"
	// RelBroader: the evidenced competency is more general than the
	// required one (an ancestor within Policy.BroaderDepth levels).
	RelBroader Relation = "broader"
	// RelRelated: the taxonomy marks the two as related.
	RelRelated Relation = "related"
	// RelSibling: the two share a direct broader competency that is not a
	// grouping node (taxonomy.KindGroup): two specialisations of the same
	// skill.
	RelSibling Relation = "sibling"
	// RelNone: no relation; the evidence does not count.
	RelNone Relation = ""
)

// relationFactor returns the policy's factor for a relation at a distance
// (levels apart in the hierarchy; ignored except for broader, where every
// level beyond the first multiplies the factor once more).
func (p Policy) relationFactor(r Relation, distance int) float64 {
	switch r {
	case RelExact:
		return p.Relations.Exact
	case RelNarrower:
		return p.Relations.Narrower
	case RelBroader:
		if distance < 1 || distance > p.BroaderDepth {
			return 0
		}
		return math.Pow(p.Relations.Broader, float64(distance))
	case RelRelated:
		return p.Relations.Related
	case RelSibling:
		return p.Relations.Sibling
	}
	return 0
}

// VerificationFactor returns the factor for an effective status (see
// CredentialRef.EffectiveStatus) and whether the issuer is trusted.
func (p Policy) VerificationFactor(s credential.Status, trusted bool) float64 {
	switch s {
	case credential.StatusValid:
		if trusted {
			return p.Verification.ValidTrusted
		}
		return p.Verification.ValidUntrusted
	case credential.StatusUnverifiable:
		return p.Verification.Unverifiable
	}
	return p.Verification.Failed
}

// CurrencyFactor returns the ageing factor of evidence issued at issued,
// as of now, and its age in years (negative when the date is unknown).
func (p Policy) CurrencyFactor(issued, now time.Time) (factor, ageYears float64) {
	if issued.IsZero() {
		return p.UndatedFactor, -1
	}
	age := now.Sub(issued).Hours() / (24 * 365.25)
	if age < 0 {
		age = 0
	}
	if p.HalfLifeYears <= 0 {
		return 1, age
	}
	return math.Exp2(-age / p.HalfLifeYears), age
}

// LevelFactor returns the factor for a credential of level have against a
// requirement of level want.
func (p Policy) LevelFactor(want, have Level) float64 {
	w := want.Rank()
	if w == 0 {
		return 1
	}
	h := have.Rank()
	if h == 0 {
		return p.LevelUnknownFactor
	}
	if h >= w {
		return 1
	}
	return math.Pow(p.LevelStepFactor, float64(w-h))
}

// VolumeFactor returns the factor for a credential worth credits (0 =
// not stated).
func (p Policy) VolumeFactor(credits float64) float64 {
	if credits <= 0 || p.VolumeFullCredits <= 0 || credits >= p.VolumeFullCredits {
		return 1
	}
	return p.VolumeFloor + (1-p.VolumeFloor)*credits/p.VolumeFullCredits
}

// requirementWeight is the weight of a requirement in the applicant's
// score: its own Weight (1 when unset) times the must or asset weight.
func (p Policy) requirementWeight(r *Requirement) float64 {
	w := r.Weight
	if w <= 0 || math.IsNaN(w) {
		w = 1
	}
	if r.Must {
		return w * p.MustWeight
	}
	return w * p.AssetWeight
}

// Flags mark what limited or voided a piece of evidence.
type Flags uint16

// The flags of a Contribution.
const (
	// FlagFailed: the credential is invalid, revoked, suspended, expired,
	// not yet valid or failed to verify; the evidence counts
	// Verification.Failed (0 by default).
	FlagFailed Flags = 1 << iota
	// FlagUntrusted: valid, but the issuer is not on the trust list.
	FlagUntrusted
	// FlagUnverifiable: could not be verified (offline, self-reported).
	FlagUnverifiable
	// FlagOld: older than the half-life.
	FlagOld
	// FlagUndated: no issue date.
	FlagUndated
	// FlagLevelBelow: the credential's level is below the required one.
	FlagLevelBelow
	// FlagLevelUnknown: a level is required and the credential states none.
	FlagLevelUnknown
	// FlagYearsUnproven: years of experience are required, which a
	// credential does not prove.
	FlagYearsUnproven
	// FlagSmall: the credential's workload is below Policy.VolumeFullCredits.
	FlagSmall
	// FlagTextLink: the competency was found in the credential's text, not
	// in an alignment.
	FlagTextLink
)

var flagNames = []string{"failed", "untrusted", "unverifiable", "old", "undated", "level-below", "level-unknown", "years-unproven", "small", "text-link"}

// Has reports whether every flag of g is set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// Names returns the names of the set flags, in a fixed order.
func (f Flags) Names() []string {
	var out []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// MarshalJSON writes the flags as a list of names.
func (f Flags) MarshalJSON() ([]byte, error) {
	n := f.Names()
	if n == nil {
		n = []string{}
	}
	return json.Marshal(n)
}

// UnmarshalJSON reads the list of names MarshalJSON writes (null or []
// is no flag). An unknown name is an error that names it, so that a
// snapshot written by a newer version is not read back with a flag lost.
func (f *Flags) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return fmt.Errorf("matcher flags: want a list of names such as [\"old\", \"untrusted\"]: %w", err)
	}
	var out Flags
	for _, n := range names {
		i := slices.Index(flagNames, n)
		if i < 0 {
			return fmt.Errorf("matcher flags: unknown flag %q (known: %s)", n, strings.Join(flagNames, ", "))
		}
		out |= 1 << i
	}
	*f = out
	return nil
}

// Factors are the multiplicands of a Contribution's Value.
type Factors struct {
	Relation     float64 `json:"relation"`
	Verification float64 `json:"verification"`
	Currency     float64 `json:"currency"`
	Level        float64 `json:"level"`
	Years        float64 `json:"years"`
	Volume       float64 `json:"volume"`
	Link         float64 `json:"link"`
}

// Contribution is what one piece of evidence is worth for one
// requirement, with every factor that made it so.
type Contribution struct {
	// Evidence is the evidence assessed.
	Evidence Evidence `json:"evidence"`
	// Relation of the evidenced competency to the required one, and how
	// many levels apart they are (0 for exact, related and sibling).
	Relation Relation `json:"relation"`
	Distance int      `json:"distance,omitempty"`
	// Status is the credential's effective status as of the ranking time.
	Status  credential.Status `json:"status"`
	Trusted bool              `json:"trusted"`
	// AgeYears is the age of the credential; negative when undated.
	AgeYears float64 `json:"age_years"`
	Factors  Factors `json:"factors"`
	// Value is the product of the factors, in [0,1].
	Value float64 `json:"value"`
	Flags Flags   `json:"flags"`
}

// Credit assesses one piece of evidence for one requirement whose relation
// to the evidenced competency is already known (see Relate): the product
// of the relation, verification, currency, level, years, volume and link
// factors, with flags saying what limited it. Ranking and gap analysis both
// call it, so a requirement is met by the same rules everywhere.
func (p Policy) Credit(req *Requirement, rel Relation, distance int, ev Evidence, now time.Time) Contribution {
	c := Contribution{Evidence: ev, Relation: rel, Distance: distance}
	c.Status = ev.Credential.EffectiveStatus(now)
	c.Trusted = ev.Credential.Trusted
	f := &c.Factors
	f.Relation = p.relationFactor(rel, distance)
	f.Verification = p.VerificationFactor(c.Status, c.Trusted)
	switch c.Status {
	case credential.StatusValid:
		if !c.Trusted {
			c.Flags |= FlagUntrusted
		}
	case credential.StatusUnverifiable:
		c.Flags |= FlagUnverifiable
	default:
		c.Flags |= FlagFailed
	}
	f.Currency, c.AgeYears = p.CurrencyFactor(ev.Credential.IssuedAt, now)
	if c.AgeYears < 0 {
		c.Flags |= FlagUndated
	} else if p.HalfLifeYears > 0 && c.AgeYears > p.HalfLifeYears {
		c.Flags |= FlagOld
	}
	f.Level = p.LevelFactor(req.MinLevel, ev.Credential.Level)
	if req.MinLevel.Rank() > 0 {
		if ev.Credential.Level.Rank() == 0 {
			c.Flags |= FlagLevelUnknown
		} else if ev.Credential.Level.Rank() < req.MinLevel.Rank() {
			c.Flags |= FlagLevelBelow
		}
	}
	f.Years = 1
	if req.MinYears > 0 {
		f.Years = p.YearsFactor
		c.Flags |= FlagYearsUnproven
	}
	f.Volume = p.VolumeFactor(ev.Credential.Credits)
	if f.Volume < 1 {
		c.Flags |= FlagSmall
	}
	f.Link = 1
	if ev.Link == LinkText {
		f.Link = clamp01(ev.Score)
		c.Flags |= FlagTextLink
	}
	c.Value = clamp01(f.Relation * f.Verification * f.Currency * f.Level * f.Years * f.Volume * f.Link)
	return c
}

func clamp01(v float64) float64 {
	switch {
	case math.IsNaN(v) || v < 0:
		return 0
	case v > 1:
		return 1
	}
	return v
}
