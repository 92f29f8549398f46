package credential

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// The transparency profile says how much a credential tells about itself,
// measured against the mandatory information of a micro-credential in the
// Council Recommendation of 16 June 2022 on a European approach to
// micro-credentials (Annex I): identification of the learner, title,
// country/region of the issuer, awarding body, date of issuing, learning
// outcomes, notional workload, level (EQF/QF-EHEA), type of assessment,
// form of participation, type of quality assurance.
//
// Neither Open Badges 2.0 nor 3.0 has a field for every element; each is
// looked for where the formats can carry it (a structured property first,
// then — marked as free text — a mention in the description, criteria or
// tags). The profile describes; it does not verify: a credential that
// fails verification may still describe itself fully.

// Transparency element keys, in the order of the Recommendation.
const (
	TElemLearner          = "learner"
	TElemTitle            = "title"
	TElemCountry          = "country"
	TElemAwardingBody     = "awarding-body"
	TElemIssued           = "issued"
	TElemOutcomes         = "learning-outcomes"
	TElemWorkload         = "workload"
	TElemLevel            = "level"
	TElemAssessment       = "assessment"
	TElemParticipation    = "participation"
	TElemQualityAssurance = "quality-assurance"
)

// TransparencyElement is one element of the profile.
type TransparencyElement struct {
	// Key is one of the TElem* constants; Label its name for people.
	Key   string `json:"key"`
	Label string `json:"label"`
	// Present reports whether the credential gives the element.
	Present bool `json:"present"`
	// Value is what the credential says (shortened), when present.
	Value string `json:"value,omitempty"`
	// Where is the property it was found in (e.g.
	// "credentialSubject.achievement.creditsAvailable"), or the field
	// whose free text mentions it.
	Where string `json:"where,omitempty"`
	// FreeText is true when the element was found only as words in a
	// description, criteria or tag, not in a property meant for it.
	FreeText bool `json:"freeText,omitempty"`
}

// Transparency is a credential's transparency profile.
type Transparency struct {
	Elements []TransparencyElement `json:"elements"`
	// Present counts the elements present (free text included), Total
	// the elements of the Recommendation.
	Present int `json:"present"`
	Total   int `json:"total"`
	// Score is Present/Total, from 0 to 1.
	Score float64 `json:"score"`
}

// String gives the score as "7/11 (64%)".
func (t Transparency) String() string {
	return fmt.Sprintf("%d/%d (%.0f%%)", t.Present, t.Total, 100*t.Score)
}

var transparencyLabels = []struct{ key, label string }{
	{TElemLearner, "identification of the learner"},
	{TElemTitle, "title of the micro-credential"},
	{TElemCountry, "country/region of the issuer"},
	{TElemAwardingBody, "awarding body"},
	{TElemIssued, "date of issuing"},
	{TElemOutcomes, "learning outcomes"},
	{TElemWorkload, "notional workload"},
	{TElemLevel, "level (EQF/QF-EHEA)"},
	{TElemAssessment, "type of assessment"},
	{TElemParticipation, "form of participation"},
	{TElemQualityAssurance, "type of quality assurance"},
}

var (
	tWorkloadRe      = regexp.MustCompile(`(?i)\b\d+(?:[.,]\d+)?\s*(?:ects|credits?|credit points|hours?|hrs|h)\b`)
	tLevelRe         = regexp.MustCompile(`(?i)\b(?:eqf|nqf|qf-ehea|isced)\s*(?:level\s*)?\d\b|\blevel\s*\d\s*(?:of the\s*)?(?:eqf|european qualifications framework)|\b(?:first|second|third|short)[- ]cycle\b`)
	tAssessmentRe    = regexp.MustCompile(`(?i)\b(?:assess(?:ed|ment)?|exam(?:ination)?s?|tests?|quiz(?:zes)?|graded|proctored|evaluat(?:ed|ion)|portfolio|capstone|practical task|peer[- ]review(?:ed)?|final project)\b`)
	tParticipationRe = regexp.MustCompile(`(?i)\b(?:online|on-?site|in[- ]person|face[- ]to[- ]face|blended|hybrid|remote|distance learning|classroom|self-paced|e-learning)\b`)
	tQARe            = regexp.MustCompile(`(?i)\b(?:accredit(?:ed|ation)|quality[- ]assur(?:ed|ance)|eqavet|enqa|eqar|iso 9001|iso 21001|quality label)\b`)
	tEQFURLRe        = regexp.MustCompile(`(?i)eqf|qf-ehea|europa\.eu/.*/(?:eqf|qualification)|ploteus|snb/eqf`)
)

// TransparencyOf computes the transparency profile of c.
func TransparencyOf(c *Credential) Transparency {
	var t Transparency
	p := transparencyPaths(c)
	a := c.Achievement
	found := map[string]TransparencyElement{}
	set := func(key, value, where string, free bool) {
		if _, done := found[key]; done {
			return
		}
		found[key] = TransparencyElement{Key: key, Present: true, Value: tShort(value), Where: where, FreeText: free}
	}
	// texts are the free-text fields, in the order they are searched.
	texts := []struct{ where, text string }{
		{p.ach + "description", a.Description},
		{p.ach + "criteria.narrative", a.Criteria.Narrative},
		{p.ach + "tags", strings.Join(a.Tags, ", ")},
		{p.cred + "description", c.Description},
	}
	fromText := func(key string, re *regexp.Regexp) {
		for _, tx := range texts {
			if m := re.FindString(tx.text); m != "" {
				set(key, m, tx.where, true)
				return
			}
		}
	}

	// Learner.
	switch {
	case c.Subject.Name != "":
		set(TElemLearner, c.Subject.Name, p.subject+"name", false)
	case c.Subject.ID != "":
		set(TElemLearner, c.Subject.ID, p.subject+"id", false)
	case len(c.Subject.Identifiers) > 0:
		id := c.Subject.Identifiers[0]
		v := id.Identity
		if id.Hashed {
			v = "hashed " + id.IdentityType
		}
		set(TElemLearner, v, p.identifier, false)
	}
	// Title.
	if a.Name != "" {
		set(TElemTitle, a.Name, p.ach+"name", false)
	} else if c.Name != "" {
		set(TElemTitle, c.Name, p.cred+"name", false)
	}
	// Country/region of the issuer.
	if addr := obj(tIssuerDoc(c), "address"); addr != nil {
		v := strings.TrimSpace(strings.Join(tNonEmpty(str(addr, "addressRegion"), str(addr, "addressCountry"), str(addr, "addressCountryCode")), ", "))
		if v != "" {
			set(TElemCountry, v, p.issuer+"address", false)
		}
	}
	// Awarding body.
	if c.Issuer.Name != "" {
		set(TElemAwardingBody, c.Issuer.Name, p.issuer+"name", false)
	} else if c.Issuer.ID != "" {
		set(TElemAwardingBody, c.Issuer.ID, p.issuer+"id", false)
	}
	// Date of issuing.
	if !c.IssuedAt.IsZero() {
		set(TElemIssued, c.IssuedAt.UTC().Format(time.DateOnly), p.issued, false)
	}
	// Level: an alignment to EQF/QF-EHEA.
	var outcomes []string
	for _, al := range a.Alignments {
		if tEQFURLRe.MatchString(al.TargetFramework+" "+al.TargetURL+" "+al.TargetCode) || strings.Contains(strings.ToLower(al.TargetFramework), "european qualifications framework") {
			set(TElemLevel, tFirst(al.TargetName, al.TargetCode, al.TargetURL), p.ach+"alignment", false)
			continue
		}
		outcomes = append(outcomes, tFirst(al.TargetName, al.TargetCode, al.TargetURL))
	}
	fromText(TElemLevel, tLevelRe)
	// Learning outcomes: aligned competencies, or the criteria.
	if len(outcomes) > 0 {
		noun := "aligned competencies"
		if len(outcomes) == 1 {
			noun = "aligned competency"
		}
		set(TElemOutcomes, fmt.Sprintf("%d %s: %s", len(outcomes), noun, strings.Join(outcomes, "; ")), p.ach+"alignment", false)
	} else if a.Criteria.Narrative != "" {
		set(TElemOutcomes, a.Criteria.Narrative, p.ach+"criteria.narrative", false)
	}
	// Workload.
	if a.CreditsAvailable > 0 {
		set(TElemWorkload, fmt.Sprintf("%g credits", a.CreditsAvailable), p.ach+"creditsAvailable", false)
	}
	fromText(TElemWorkload, tWorkloadRe)
	// Assessment: result descriptions or results say how it was assessed.
	if len(a.ResultDescription) > 0 {
		var names []string
		for _, r := range a.ResultDescription {
			names = append(names, tFirst(r.Name, r.ResultType))
		}
		set(TElemAssessment, strings.Join(names, "; "), p.ach+"resultDescription", false)
	} else if len(c.Results) > 0 {
		set(TElemAssessment, tFirst(c.Results[0].Value, c.Results[0].Status, c.Results[0].AchievedLevel), p.subject+"result", false)
	}
	fromText(TElemAssessment, tAssessmentRe)
	// Form of participation: only ever free text in OB 2.0/3.0.
	fromText(TElemParticipation, tParticipationRe)
	// Quality assurance: endorsements of the credential, achievement or
	// issuer; else an accreditation mentioned in words.
	if where, n := tEndorsements(c, p); n > 0 {
		set(TElemQualityAssurance, fmt.Sprintf("%d endorsement(s)", n), where, false)
	}
	fromText(TElemQualityAssurance, tQARe)

	for _, l := range transparencyLabels {
		e, ok := found[l.key]
		if !ok {
			e = TransparencyElement{Key: l.key}
		}
		if col, isCol := rosterColumnOf[l.key]; ok && isCol && c.Format == FormatRoster {
			e.Where = "roster column " + col
		}
		e.Label = l.label
		t.Elements = append(t.Elements, e)
		if e.Present {
			t.Present++
		}
	}
	t.Total = len(t.Elements)
	t.Score = float64(t.Present) / float64(t.Total)
	return t
}

// rosterColumnOf names the roster column that gives an element.
var rosterColumnOf = map[string]string{
	TElemLearner: rosterName, TElemTitle: rosterTitle, TElemAwardingBody: rosterIssuer, TElemIssued: rosterIssued,
}

// tPaths are the JSON paths at which a format carries the elements.
type tPaths struct {
	cred, subject, identifier, ach, issuer, issued string
}

func transparencyPaths(c *Credential) tPaths {
	switch c.Format {
	case FormatOB2:
		return tPaths{cred: "", subject: "recipientProfile.", identifier: "recipient", ach: "badge.", issuer: "badge.issuer.", issued: "issuedOn"}
	case FormatRoster:
		// Where is rewritten to the column names by TransparencyOf; only
		// free-text fields keep these.
		return tPaths{cred: "roster ", subject: "roster ", identifier: "roster column email", ach: "roster ", issuer: "roster ", issued: "roster column issued"}
	}
	issued := "validFrom"
	if c.Document != nil {
		for _, k := range []string{"validFrom", "issuanceDate", "awardedDate"} {
			if _, ok := c.Document[k]; ok {
				issued = k
				break
			}
		}
	}
	return tPaths{cred: "", subject: "credentialSubject.", identifier: "credentialSubject.identifier", ach: "credentialSubject.achievement.", issuer: "issuer.", issued: issued}
}

// tIssuerDoc returns the issuer object of the credential's document.
func tIssuerDoc(c *Credential) map[string]any {
	if c.Document == nil {
		return nil
	}
	if c.Format == FormatOB2 {
		if b, ok := c.Document["badge"].(map[string]any); ok {
			return obj(b, "issuer")
		}
		return nil
	}
	return obj(c.Document, "issuer")
}

// tEndorsements counts endorsements on the credential, its achievement and
// its issuer, and says where the first was found.
func tEndorsements(c *Credential, p tPaths) (string, int) {
	d := c.Document
	if d == nil {
		return "", 0
	}
	var ach map[string]any
	if c.Format == FormatOB2 {
		ach, _ = d["badge"].(map[string]any)
	} else {
		ach = obj(obj(d, "credentialSubject"), "achievement")
	}
	where, n := "", 0
	for _, s := range []struct {
		m    map[string]any
		path string
	}{{d, p.cred}, {ach, p.ach}, {tIssuerDoc(c), p.issuer}} {
		for _, k := range []string{"endorsement", "endorsementJwt"} {
			if k := len(list(s.m, k)); k > 0 {
				if where == "" {
					where = s.path + "endorsement"
				}
				n += k
			}
		}
	}
	return where, n
}

func tFirst(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func tNonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

func tShort(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		return string(r[:119]) + "…"
	}
	return s
}
