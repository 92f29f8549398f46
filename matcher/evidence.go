package matcher

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// LinkKind says how a credential was linked to a competency.
type LinkKind string

// Link kinds.
const (
	// LinkAlignment: an alignment of the achievement targets the
	// competency (its URL or code is the competency's ID or one of its
	// external references such as an ESCO URI or O*NET code). Exact, score 1.
	LinkAlignment LinkKind = "alignment"
	// LinkText: the competency was found in the achievement's name,
	// description, criteria or tags by the same extractor as job text; the
	// score is the extractor's.
	LinkText LinkKind = "text"
)

// CredentialRef is what ranking needs to know about a credential: which
// one it is, who issued it, how it verified and when, its level and
// workload. It is a value (copied into every Evidence) so that evidence can
// be stored, ranked and explained without the credential at hand.
type CredentialRef struct {
	// The fields ranking reads come first, so that they share cache lines.

	// ID is the credential's own id, or "sha256:" and a hash of its bytes
	// when it has none.
	ID string `json:"id"`
	// Status is the verification status as verified; see EffectiveStatus
	// for the status as of the ranking time. Empty means not verified,
	// which counts as unverifiable.
	Status credential.Status `json:"status"`
	// Trusted is true when the issuer-trust check passed.
	Trusted bool `json:"trusted"`
	// SelfReported marks a credential that the applicant or the employer
	// typed in (a roster line) rather than one issued digitally.
	SelfReported bool `json:"self_reported,omitempty"`
	// Level is the proficiency level the credential attests, when it says
	// (achieved level of a result, EQF alignment, or a level word in its
	// name).
	Level Level `json:"level,omitempty"`
	// Credits is the workload (creditsAvailable; ECTS where stated), 0
	// when not stated.
	Credits    float64   `json:"credits,omitempty"`
	IssuedAt   time.Time `json:"issued_at,omitzero"`
	ValidFrom  time.Time `json:"valid_from,omitzero"`
	ValidUntil time.Time `json:"valid_until,omitzero"`
	// Name is the achievement's name (the credential's when the achievement
	// has none).
	Name string `json:"name"`
	// Issuer is the issuer's name (its ID when it has no name); IssuerID
	// its DID or URL.
	Issuer   string            `json:"issuer"`
	IssuerID string            `json:"issuer_id,omitempty"`
	Format   credential.Format `json:"format,omitempty"`
}

// EffectiveStatus is the status of the credential as of now: a credential
// that verified as valid (or unverifiable) but whose validUntil has passed
// by now is expired, and one whose validFrom is still ahead is not yet
// valid. An empty Status (never verified) is unverifiable.
func (r *CredentialRef) EffectiveStatus(now time.Time) credential.Status {
	s := r.Status
	if s == "" {
		s = credential.StatusUnverifiable
	}
	if s == credential.StatusValid || s == credential.StatusUnverifiable {
		if !r.ValidUntil.IsZero() && !now.Before(r.ValidUntil) {
			return credential.StatusExpired
		}
		if !r.ValidFrom.IsZero() && now.Before(r.ValidFrom) {
			return credential.StatusNotYetValid
		}
	}
	return s
}

// Evidence is one competency that one credential shows.
type Evidence struct {
	// CompetencyID is the taxonomy ID of the evidenced competency.
	CompetencyID string `json:"competency"`
	// Link says how the competency was found; Score is 1 for an alignment
	// and the extractor's score for text.
	Link  LinkKind `json:"link"`
	Score float64  `json:"score"`
	// Credential is the credential that shows it, with its verification.
	Credential CredentialRef `json:"credential"`
	// Source is the alignment target (URL or code) for an alignment, or the
	// field of the achievement for text: "name", "description", "criteria"
	// or "tags".
	Source string `json:"source"`
	// Spans are the byte ranges [start,end) of the Source field's text that
	// produced text evidence.
	Spans [][2]int `json:"spans,omitempty"`
}

// RefFor summarises a credential and its verification for ranking.
func RefFor(c *credential.Credential, v credential.Verification) CredentialRef {
	r := CredentialRef{
		ID:         c.ID,
		Name:       c.Achievement.Name,
		Issuer:     c.Issuer.Name,
		IssuerID:   c.Issuer.ID,
		Format:     c.Format,
		Status:     v.Status,
		IssuedAt:   c.IssuedAt,
		ValidFrom:  c.ValidFrom,
		ValidUntil: c.ValidUntil,
		Level:      credentialLevel(c),
		Credits:    c.Achievement.CreditsAvailable,
	}
	if r.ID == "" {
		sum := sha256.Sum256(c.Raw)
		r.ID = "sha256:" + hex.EncodeToString(sum[:16])
	}
	if r.Name == "" {
		r.Name = c.Name
	}
	if r.Issuer == "" {
		r.Issuer = c.Issuer.ID
	}
	if k, ok := v.Check(credential.CheckIssuerTrust); ok && k.Result == credential.ResultPass {
		r.Trusted = true
	}
	r.SelfReported = isSelfReported(c)
	return r
}

// isSelfReported recognises credentials typed in rather than issued: roster
// lines, and credentials whose types say they are self-reported.
func isSelfReported(c *credential.Credential) bool {
	if c.Format == credential.FormatRoster {
		return true
	}
	for _, t := range c.Types {
		if l := strings.ToLower(t); strings.Contains(l, "selfreported") || strings.Contains(l, "self-reported") {
			return true
		}
	}
	return false
}

// EvidenceFor lists the competencies a credential shows, with v its
// verification. First the achievement's alignments: a target URL or code
// that is a competency ID or an external reference of the taxonomy (ESCO
// URI, O*NET code) is exact evidence with score 1. Then the achievement's
// name, description, criteria and tags, each read by the extractor ex —
// the same one that reads job postings (Extractor.Detect; nil skips text):
// only competencies whose labels occur word for word count (suggestions
// are too loose to stand as evidence), each with its best score and spans,
// and only where no alignment already names them. The enclosed credentials of
// a CLR contribute their own evidence, with their own verification. The
// result is sorted by credential ID, then competency ID.
func EvidenceFor(tax *taxonomy.Taxonomy, ex *Extractor, c *credential.Credential, v credential.Verification) []Evidence {
	if c == nil {
		return nil
	}
	var out []Evidence
	if c.Format == credential.FormatCLR {
		for i, in := range c.Inner {
			iv := credential.Verification{Status: credential.StatusUnverifiable}
			if i < len(v.Inner) {
				iv = v.Inner[i]
			}
			// An enclosed credential is no better than the record that
			// carries it.
			iv.Status = credential.Worse(iv.Status, v.Status)
			out = append(out, EvidenceFor(tax, ex, in, iv)...)
		}
	}
	ref := RefFor(c, v)
	seen := map[string]int{} // competency → index in own
	var own []Evidence
	for _, a := range c.Achievement.Alignments {
		for _, target := range []string{a.TargetURL, a.TargetCode} {
			comp, ok := lookupTarget(tax, target, a.TargetFramework)
			if !ok {
				continue
			}
			if _, dup := seen[comp.ID]; dup {
				break
			}
			seen[comp.ID] = len(own)
			own = append(own, Evidence{CompetencyID: comp.ID, Credential: ref, Link: LinkAlignment, Score: 1, Source: strings.TrimSpace(target)})
			break
		}
	}
	if ex != nil {
		fields := []struct{ name, text string }{
			{"name", c.Achievement.Name},
			{"description", c.Achievement.Description},
			{"criteria", c.Achievement.Criteria.Narrative},
			{"tags", strings.Join(c.Achievement.Tags, ", ")},
		}
		if c.Achievement.Name == "" {
			fields[0].text = c.Name
		}
		if c.Achievement.Description == "" {
			fields[1].text = c.Description
		}
		for _, f := range fields {
			if strings.TrimSpace(f.text) == "" {
				continue
			}
			for _, r := range ex.Detect(f.text) {
				if r.Confidence != Detected || r.CompetencyID == "" {
					continue
				}
				if _, ok := tax.Get(r.CompetencyID); !ok {
					continue
				}
				if i, dup := seen[r.CompetencyID]; dup {
					if own[i].Link == LinkText && r.Score > own[i].Score {
						own[i].Score, own[i].Source, own[i].Spans = r.Score, f.name, r.Spans
					}
					continue
				}
				seen[r.CompetencyID] = len(own)
				own = append(own, Evidence{CompetencyID: r.CompetencyID, Credential: ref, Link: LinkText, Score: clamp01(r.Score), Source: f.name, Spans: r.Spans})
			}
		}
	}
	out = append(out, own...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Credential.ID != out[j].Credential.ID {
			return out[i].Credential.ID < out[j].Credential.ID
		}
		return out[i].CompetencyID < out[j].CompetencyID
	})
	return out
}

// lookupTarget resolves an alignment target to a competency: the target as
// given, then its http/https twin and without a trailing slash (ESCO URIs
// are written both ways), then as a code of the named framework.
func lookupTarget(tax *taxonomy.Taxonomy, target, framework string) (*taxonomy.Competency, bool) {
	target = strings.TrimSpace(target)
	if target == "" {
		return nil, false
	}
	candidates := []string{target, strings.TrimRight(target, "/")}
	if rest, ok := strings.CutPrefix(target, "https://"); ok {
		candidates = append(candidates, "http://"+rest)
	} else if rest, ok := strings.CutPrefix(target, "http://"); ok {
		candidates = append(candidates, "https://"+rest)
	}
	for _, id := range candidates {
		if c, ok := tax.Lookup(id); ok {
			return c, true
		}
	}
	if fw := strings.ToLower(strings.TrimSpace(framework)); fw != "" {
		for _, scheme := range []string{"esco", "onet"} {
			if strings.Contains(strings.ReplaceAll(fw, "*", ""), scheme) {
				if c, ok := tax.ByRef(scheme, target); ok {
					return c, true
				}
			}
		}
	}
	return nil, false
}

// eqfPattern finds an EQF level in an alignment URL or code, e.g.
// http://data.europa.eu/snb/eqf/5 or "EQF level 4".
var eqfPattern = regexp.MustCompile(`(?i)eqf[^0-9]{0,12}([1-8])\b`)

// credentialLevel works out the proficiency level a credential attests:
// the achieved level of a result, else an EQF alignment (1–2 basic, 3–4
// intermediate, 5–6 advanced, 7–8 expert), else a level word in the
// achievement's name (English or French).
func credentialLevel(c *credential.Credential) Level {
	for _, r := range c.Results {
		for _, s := range []string{r.AchievedLevel, r.Value} {
			if l := levelWord(s); l != LevelNone {
				return l
			}
		}
	}
	for _, a := range c.Achievement.Alignments {
		for _, s := range []string{a.TargetURL, a.TargetCode, a.TargetFramework + " " + a.TargetName} {
			if m := eqfPattern.FindStringSubmatch(s); m != nil {
				n, _ := strconv.Atoi(m[1])
				switch {
				case n <= 2:
					return LevelBasic
				case n <= 4:
					return LevelIntermediate
				case n <= 6:
					return LevelAdvanced
				default:
					return LevelExpert
				}
			}
		}
	}
	name := c.Achievement.Name
	if name == "" {
		name = c.Name
	}
	return levelWord(name)
}

// levelWords maps words that state a level, in English and French (folded
// to lower case without accents), to the level.
var levelWords = map[string]Level{
	"basic": LevelBasic, "beginner": LevelBasic, "foundation": LevelBasic, "foundations": LevelBasic,
	"fundamentals": LevelBasic, "introduction": LevelBasic, "introductory": LevelBasic, "novice": LevelBasic,
	"elementary": LevelBasic, "essentials": LevelBasic, "debutant": LevelBasic, "initiation": LevelBasic,
	"fondamentaux": LevelBasic, "bases": LevelBasic, "a1": LevelBasic, "a2": LevelBasic,
	"intermediate": LevelIntermediate, "practitioner": LevelIntermediate, "associate": LevelIntermediate,
	"intermediaire": LevelIntermediate, "b1": LevelIntermediate, "b2": LevelIntermediate,
	"advanced": LevelAdvanced, "professional": LevelAdvanced, "proficient": LevelAdvanced,
	"avance": LevelAdvanced, "perfectionnement": LevelAdvanced, "c1": LevelAdvanced,
	"expert": LevelExpert, "master": LevelExpert, "mastery": LevelExpert, "c2": LevelExpert,
}

// levelWord returns the highest level named by a word of s.
func levelWord(s string) Level {
	best := LevelNone
	for _, w := range strings.FieldsFunc(taxonomy.Fold(s), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	}) {
		if l, ok := levelWords[w]; ok && l.Rank() > best.Rank() {
			best = l
		}
	}
	return best
}
