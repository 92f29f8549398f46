package matcher

import (
	"fmt"
	"math"
	"strconv"
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
	d.Note = f.noteFor(d)
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

// phrasebook holds the wording of explanations in one language.
type phrasebook struct {
	lang                                        string
	trusted, untrusted, selfReported, unchecked string
	notYetValid, checkError                     string
	statuses                                    map[credential.Status]string
	undated, thisMonth, months, oneYear, years  string
	narrower, broader, related, sibling         string
	from                                        string
	met, partly, missing, must, asset, by       string
	backed, doesNotCount, fitPoints             string
	scores, ranks, meeting, mustWord, assetWord string
	knockedOut, strongest, missingList          string
	partlyList, notCounted, tie                 string
	tieMust, tieVerified, tieID                 string
}

var phrasebooks = map[string]*phrasebook{
	"en": {
		lang: "en", trusted: "verified, from a trusted issuer", untrusted: "verified, issuer not on the trust list",
		selfReported: "self-reported, not verifiable", unchecked: "could not be verified",
		notYetValid: "not yet valid", checkError: "could not be checked because of an error",
		statuses: map[credential.Status]string{credential.StatusRevoked: "revoked", credential.StatusExpired: "expired",
			credential.StatusSuspended: "suspended", credential.StatusInvalid: "invalid"},
		undated: "undated", thisMonth: "issued this month", months: "%d months old", oneYear: "1 year old", years: "%s years old",
		narrower: " through the more specific %q", broader: " only through the broader %q",
		related: " only through the related %q", sibling: " only through the neighbouring %q",
		from: "%q from %s",
		met:  "%s (%s): met", partly: "%s (%s): partly met", missing: "%s (%s): missing", must: "must-have", asset: "asset", by: " by %s%s (%s, %s",
		backed: ", backed by %d more credential(s)", doesNotCount: "; %s does not count: %s", fitPoints: "; fit %s, %s points.",
		scores: "%s scores %s out of 100", ranks: " and ranks #%d", meeting: ", meeting %[1]d of %[2]d %[5]s and %[3]d of %[4]d %[6]s.",
		mustWord: "must-have", assetWord: "asset",
		knockedOut:  " A must-have is not met, so this applicant ranks after those who meet them all.",
		strongest:   " Strongest evidence: %s for %s%s (%s, %s).",
		missingList: " Missing: %s.", partlyList: " Partly met: %s.", notCounted: " Not counted: %s.", tie: " Tie: %s.",
		tieMust:     "same score as %s (%s); %s ranks first with more must-haves met (%d against %d)",
		tieVerified: "same score as %s (%s) and as many must-haves met; %s ranks first with more verified credentials (%d against %d)",
		tieID:       "same score, must-haves and verified credentials as %s (%s); the order is by applicant ID (%s before %s)",
	},
	"fr": {
		lang: "fr", trusted: "vérifié, émetteur de confiance", untrusted: "vérifié, émetteur absent de la liste de confiance",
		selfReported: "déclaré, non vérifiable", unchecked: "non vérifiable",
		notYetValid: "pas encore valide", checkError: "non vérifié à cause d'une erreur",
		statuses: map[credential.Status]string{credential.StatusRevoked: "révoqué", credential.StatusExpired: "expiré",
			credential.StatusSuspended: "suspendu", credential.StatusInvalid: "invalide"},
		undated: "non daté", thisMonth: "délivré ce mois-ci", months: "délivré il y a %d mois", oneYear: "délivré il y a 1 an", years: "délivré il y a %s ans",
		narrower: " par la compétence plus précise « %s »", broader: " seulement par la compétence plus générale « %s »",
		related: " seulement par la compétence connexe « %s »", sibling: " seulement par la compétence voisine « %s »",
		from: "« %s » de %s",
		met:  "%s (%s) : critère satisfait", partly: "%s (%s) : critère en partie satisfait", missing: "%s (%s) : critère non satisfait", must: "exigence", asset: "atout", by: " par %s%s (%s, %s",
		backed: ", appuyé par %d autre(s) titre(s)", doesNotCount: " ; %s ne compte pas : %s", fitPoints: " ; adéquation %s, %s points.",
		scores: "%s obtient %s sur 100", ranks: " (rang %d)", meeting: " et satisfait %[1]d %[5]s sur %[2]d et %[3]d %[6]s sur %[4]d.",
		mustWord: "exigence", assetWord: "atout",
		knockedOut:  " Une exigence n'est pas satisfaite : cette candidature est classée après celles qui les satisfont toutes.",
		strongest:   " Meilleure preuve : %s pour %s%s (%s, %s).",
		missingList: " Manque : %s.", partlyList: " En partie : %s.", notCounted: " Non pris en compte : %s.", tie: " Égalité : %s.",
		tieMust:     "même score que %s (%s) ; %s passe devant avec plus d'exigences satisfaites (%d contre %d)",
		tieVerified: "même score que %s (%s) et autant d'exigences satisfaites ; %s passe devant avec plus de titres vérifiés (%d contre %d)",
		tieID:       "même score, mêmes exigences et autant de titres vérifiés que %s (%s) ; l'ordre suit l'identifiant (%s avant %s)",
	},
}

// book returns the phrasebook of lang, English when there is none.
func book(lang string) *phrasebook {
	if b, ok := phrasebooks[lang]; ok {
		return b
	}
	return phrasebooks["en"]
}

// num formats a number with the language's decimal separator.
func (b *phrasebook) num(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if b.lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// statusWords says a credential's effective status in plain words.
func (b *phrasebook) statusWords(c *Contribution) string {
	switch c.Status {
	case credential.StatusValid:
		if c.Trusted {
			return b.trusted
		}
		return b.untrusted
	case credential.StatusUnverifiable:
		if c.Evidence.Credential.SelfReported {
			return b.selfReported
		}
		return b.unchecked
	case credential.StatusNotYetValid:
		return b.notYetValid
	case credential.StatusError:
		return b.checkError
	}
	if w, ok := b.statuses[c.Status]; ok {
		return w
	}
	return string(c.Status)
}

// ageWords says how old a credential is.
func (b *phrasebook) ageWords(years float64) string {
	switch {
	case years < 0:
		return b.undated
	case years < 1:
		months := int(math.Round(years * 12))
		if months <= 1 {
			return b.thisMonth
		}
		return fmt.Sprintf(b.months, months)
	case years < 1.05:
		return b.oneYear
	}
	return fmt.Sprintf(b.years, b.num(years, 1))
}

// compLabel is the label of a competency in the explanation's language.
func (f *Fit) compLabel(id string) string {
	if f.scorer != nil && f.scorer.tax != nil {
		if c, ok := f.scorer.tax.Get(id); ok {
			return c.Label(f.lang())
		}
	}
	return id
}

func (f *Fit) lang() string {
	if f.scorer == nil || f.scorer.lang == "" {
		return "en"
	}
	return f.scorer.lang
}

// relationWords says how the evidenced competency relates to the required
// one.
func (f *Fit) relationWords(b *phrasebook, c *Contribution) string {
	var format string
	switch c.Relation {
	case RelNarrower:
		format = b.narrower
	case RelBroader:
		format = b.broader
	case RelRelated:
		format = b.related
	case RelSibling:
		format = b.sibling
	default:
		return ""
	}
	return fmt.Sprintf(format, f.compLabel(c.Evidence.CompetencyID))
}

func (b *phrasebook) credentialWords(c *Contribution) string {
	name := c.Evidence.Credential.Name
	if name == "" {
		name = c.Evidence.Credential.ID
	}
	if c.Evidence.Credential.Issuer == "" {
		if b.lang == "fr" {
			return "« " + name + " »"
		}
		return strconv.Quote(name)
	}
	return fmt.Sprintf(b.from, name, c.Evidence.Credential.Issuer)
}

func (f *Fit) noteFor(d RequirementDetail) string {
	b := book(f.lang())
	kind := b.asset
	if d.Must {
		kind = b.must
	}
	var w strings.Builder
	switch d.Outcome {
	case OutcomeMet:
		fmt.Fprintf(&w, b.met, d.Label, kind)
	case OutcomePartly:
		fmt.Fprintf(&w, b.partly, d.Label, kind)
	default:
		fmt.Fprintf(&w, b.missing, d.Label, kind)
	}
	if c := d.Evidence; c != nil {
		fmt.Fprintf(&w, b.by, b.credentialWords(c), f.relationWords(b, c), b.statusWords(c), b.ageWords(c.AgeYears))
		for _, name := range c.Flags.Names() {
			switch name {
			case "level-below", "level-unknown", "years-unproven", "small", "text-link":
				w.WriteString(", " + flagWords(b.lang, name, c, d))
			}
		}
		w.WriteString(")")
		if d.Corroborating > 0 {
			fmt.Fprintf(&w, b.backed, d.Corroborating)
		}
	}
	if c := d.Rejected; c != nil {
		fmt.Fprintf(&w, b.doesNotCount, b.credentialWords(c), b.statusWords(c))
	}
	fmt.Fprintf(&w, b.fitPoints, b.num(d.Fit, 2), b.num(d.Points, 1))
	return w.String()
}

// flagWords says in words what a flag means for one contribution.
func flagWords(lang, flag string, c *Contribution, d RequirementDetail) string {
	fr := lang == "fr"
	switch flag {
	case "level-below":
		if fr {
			return fmt.Sprintf("niveau %s sous le niveau %s demandé", c.Evidence.Credential.Level, d.Level)
		}
		return fmt.Sprintf("level %s below the %s asked", c.Evidence.Credential.Level, d.Level)
	case "level-unknown":
		if fr {
			return "niveau non précisé"
		}
		return "no level stated"
	case "years-unproven":
		if fr {
			return "les années d'expérience ne sont pas prouvées par un titre"
		}
		return "years of experience are not proven by a credential"
	case "small":
		if fr {
			return "charge de travail réduite"
		}
		return "small workload"
	case "text-link":
		if fr {
			return "trouvée dans le texte (" + c.Evidence.Source + ")"
		}
		return "found in its " + c.Evidence.Source
	}
	return flag
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
	b := book(f.lang())
	score := b.num(f.Score, 1)
	switch {
	case a.mustMet != f.MustMet:
		return fmt.Sprintf(b.tieMust, a.name, score, a.name, a.mustMet, f.MustMet)
	case a.verified != f.Verified:
		return fmt.Sprintf(b.tieVerified, a.name, score, a.name, a.verified, f.Verified)
	}
	return fmt.Sprintf(b.tieID, a.name, score, a.id, f.Applicant)
}

// Explanation is a plain-language account of the fit that a recruiter can
// paste into an e-mail: the score, the must-haves and assets met, the
// strongest evidence, the gaps, and any credential that did not count. It
// is written in the scorer's language (see Scorer.WithLanguage): English or
// French.
func (f *Fit) Explanation() string {
	b := book(f.lang())
	var w strings.Builder
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
			partly = append(partly, mustLabel(b, req))
		default:
			missing = append(missing, mustLabel(b, req))
		}
		if r.Outcome != OutcomeMet {
			if c, ok := f.Rejected(i); ok {
				rejected = append(rejected, fmt.Sprintf("%s (%s)", b.credentialWords(&c), b.statusWords(&c)))
			}
		}
	}
	fmt.Fprintf(&w, b.scores, f.displayName(), b.num(f.Score, 1))
	if f.Rank > 0 {
		fmt.Fprintf(&w, b.ranks, f.Rank)
	}
	// English agrees with the total ("1 of 3 must-haves"), French with the
	// number met ("1 exigence sur 3").
	mustN, assetN := mustAll, assetAll
	if b.lang == "fr" {
		mustN, assetN = mustMet, assetMet
	}
	mustWord, assetWord := pluralWord(mustN, b.mustWord, b.lang), pluralWord(assetN, b.assetWord, b.lang)
	fmt.Fprintf(&w, b.meeting, mustMet, mustAll, assetMet, assetAll, mustWord, assetWord)
	if f.KnockedOut {
		w.WriteString(b.knockedOut)
	}
	if strongest >= 0 {
		if c, ok := f.Best(strongest); ok {
			fmt.Fprintf(&w, b.strongest, b.credentialWords(&c), labelOf(f.scorer.reqs[strongest]), f.relationWords(b, &c), b.statusWords(&c), b.ageWords(c.AgeYears))
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(&w, b.missingList, strings.Join(dedupeStrings(missing), ", "))
	}
	if len(partly) > 0 {
		fmt.Fprintf(&w, b.partlyList, strings.Join(dedupeStrings(partly), ", "))
	}
	if len(rejected) > 0 {
		fmt.Fprintf(&w, b.notCounted, strings.Join(dedupeStrings(rejected), "; "))
	}
	if t := f.TieBreak(); t != "" {
		fmt.Fprintf(&w, b.tie, t)
	}
	return w.String()
}

// mustLabel is the requirement's label, marked when it is a must-have.
func mustLabel(b *phrasebook, r Requirement) string {
	if r.Must {
		return labelOf(r) + " (" + b.must + ")"
	}
	return labelOf(r)
}

// pluralWord adds an s to word unless n is 1 (or, in French, 0).
func pluralWord(n int, word, lang string) string {
	if n == 1 || lang == "fr" && n == 0 {
		return word
	}
	return word + "s"
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
