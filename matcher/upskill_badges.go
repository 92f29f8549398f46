package matcher

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// DefaultHoursPerCredit converts creditsAvailable to hours of study when an
// achievement states no duration: one ECTS credit stands for 25–30 hours of
// work (ECTS Users' Guide 2015); Skillmatch takes the middle, 27.5.
const DefaultHoursPerCredit = 27.5

// AchievementOptions tune ReadAchievementCatalogue.
type AchievementOptions struct {
	// HoursPerCredit converts creditsAvailable to hours; 0 means
	// DefaultHoursPerCredit.
	HoursPerCredit float64
	// Currency is the currency of prices that state none; empty leaves it
	// unset.
	Currency string
}

// ReadAchievementCatalogue reads catalogue items from the definitions of
// the micro-credentials a provider offers: Open Badges 3.0 Achievement
// objects, Open Badges 2.0 BadgeClasses, or credentials carrying them (an
// OpenBadgeCredential's or a CLR's credentialSubject.achievement); one
// object or a JSON array of them.
//
// The standards describe what is learnt, not what it costs, so the item is
// filled as follows:
//
//   - ID: the achievement's id (else "sha256:" of its name and provider);
//     Title: name; URL: the id when it is an http(s) URL, else the
//     criteria's id;
//   - Provider: the creator's name (OB 3.0), else the issuer's (OB 2.0),
//     else the host name of the issuer's URL;
//   - Competencies: alignments whose targetUrl or targetCode the taxonomy
//     knows (a competency ID, an ESCO URI, an O*NET code), as for evidence;
//     when none resolves, the competencies resolve finds in the name and
//     then the description;
//   - Hours: schema.org timeRequired ("PT12H", "PT7H30M") when present,
//     else creditsAvailable × HoursPerCredit (1 ECTS ≈ 25–30 h);
//   - Cost and Currency: schema.org offers ({"price": 250,
//     "priceCurrency": "CAD"}, or a list of them: the lowest price);
//   - Format: schema.org courseMode ("online", "onsite"/"in-person",
//     "blended", "self-paced"); Language: inLanguage (else undetected);
//   - Level: an EQF alignment or a level word in the name, as for
//     credentials; StackableInto: schema.org isPartOf (a name, or an
//     object with a name or id).
//
// Problems (no name, no competency, a bad duration or price) reject the
// whole file with a *CatalogueError naming each item by its position;
// items that state no price or no workload are kept, with a warning each
// (they would otherwise look free or instant in a plan).
func ReadAchievementCatalogue(data []byte, file string, tax *taxonomy.Taxonomy, resolve TextResolver, opt AchievementOptions) (items []CatalogueItem, warnings []string, err error) {
	if opt.HoursPerCredit <= 0 {
		opt.HoursPerCredit = DefaultHoursPerCredit
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, nil, fmt.Errorf("catalogue %s: not JSON: %w (expected an Open Badges 3.0 Achievement, an Open Badges 2.0 BadgeClass or an array of them)", file, err)
	}
	var objs []map[string]any
	var paths []string
	switch t := root.(type) {
	case map[string]any:
		objs, paths = []map[string]any{t}, []string{file}
	case []any:
		for i, v := range t {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, nil, fmt.Errorf("catalogue %s[%d]: a %s, expected an object (Achievement or BadgeClass)", file, i, jsonKind(v))
			}
			objs = append(objs, m)
			paths = append(paths, fmt.Sprintf("%s[%d]", file, i))
		}
	default:
		return nil, nil, fmt.Errorf("catalogue %s: a %s, expected an Achievement, a BadgeClass or an array of them", file, jsonKind(root))
	}
	cerr := &CatalogueError{File: file}
	seen := map[string]string{}
	for n, m := range objs {
		defs, problem := achievementDefs(m)
		if problem != "" {
			cerr.Problems = append(cerr.Problems, paths[n]+": "+problem)
			continue
		}
		for k, d := range defs {
			where := paths[n]
			if len(defs) > 1 {
				where = fmt.Sprintf("%s.achievement[%d]", paths[n], k)
			}
			it, warns, probs := achievementItem(d, where, tax, resolve, opt)
			for _, w := range warns {
				warnings = append(warnings, where+": "+w)
			}
			for _, p := range probs {
				cerr.Problems = append(cerr.Problems, where+": "+p)
			}
			if len(probs) > 0 {
				continue
			}
			if first, dup := seen[it.ID]; dup {
				cerr.Problems = append(cerr.Problems, fmt.Sprintf("%s: duplicate id %q (first at %s)", where, it.ID, first))
				continue
			}
			seen[it.ID] = where
			items = append(items, it)
		}
	}
	if len(cerr.Problems) > 0 {
		return nil, nil, cerr
	}
	return items, warnings, nil
}

// achievementDefs returns the achievement definitions of one JSON object:
// itself when it is an Achievement or a BadgeClass, or those a credential
// carries in credentialSubject.achievement.
func achievementDefs(m map[string]any) ([]map[string]any, string) {
	types := jsonStrings(m["type"])
	has := func(t string) bool {
		return slices.ContainsFunc(types, func(s string) bool {
			return strings.EqualFold(strings.TrimPrefix(s, "obi:"), t)
		})
	}
	switch {
	case has("Achievement") || has("BadgeClass"):
		return []map[string]any{m}, ""
	case has("VerifiableCredential") || has("OpenBadgeCredential") || has("AchievementCredential") || has("ClrCredential"):
		subj, _ := m["credentialSubject"].(map[string]any)
		var out []map[string]any
		switch a := subj["achievement"].(type) {
		case map[string]any:
			out = append(out, a)
		case []any:
			for _, v := range a {
				if am, ok := v.(map[string]any); ok {
					out = append(out, am)
				}
			}
		}
		if len(out) == 0 {
			return nil, "a credential without credentialSubject.achievement: there is no achievement definition to read"
		}
		return out, ""
	case has("Assertion"):
		return nil, "an Open Badges 2.0 assertion (a badge awarded to someone): give its BadgeClass, the definition of the badge"
	}
	return nil, fmt.Sprintf("type %q is neither an Open Badges 3.0 Achievement nor an Open Badges 2.0 BadgeClass", strings.Join(types, ", "))
}

// achievementItem turns one achievement definition into a catalogue item.
func achievementItem(a map[string]any, where string, tax *taxonomy.Taxonomy, resolve TextResolver, opt AchievementOptions) (it CatalogueItem, warnings, problems []string) {
	ach := credential.Achievement{
		ID:          jsonString(a["id"]),
		Name:        jsonLangString(a["name"]),
		Description: jsonLangString(a["description"]),
		Language:    strings.ToLower(jsonString(a["inLanguage"])),
	}
	if ach.Name == "" {
		problems = append(problems, `no "name": every achievement needs one`)
	}
	for _, key := range []string{"alignment", "alignments"} {
		for _, al := range jsonObjects(a[key]) {
			ach.Alignments = append(ach.Alignments, credential.Alignment{
				TargetURL: jsonString(al["targetUrl"]), TargetCode: jsonString(al["targetCode"]),
				TargetName: jsonLangString(al["targetName"]), TargetFramework: jsonLangString(al["targetFramework"]),
			})
		}
	}
	criteriaID := ""
	switch c := a["criteria"].(type) {
	case map[string]any:
		criteriaID = jsonString(c["id"])
	case string:
		criteriaID = c
	}
	it = CatalogueItem{ID: ach.ID, Title: ach.Name, Language: ach.Language, Source: where}
	if isHTTP(ach.ID) {
		it.URL = ach.ID
	} else if isHTTP(criteriaID) {
		it.URL = criteriaID
	}
	// Provider: creator (OB 3.0), else issuer (OB 2.0).
	for _, key := range []string{"creator", "issuer"} {
		switch p := a[key].(type) {
		case map[string]any:
			it.Provider = jsonLangString(p["name"])
			if it.Provider == "" {
				it.Provider = hostOf(jsonString(p["id"]))
			}
		case string:
			it.Provider = hostOf(p)
		}
		if it.Provider != "" {
			break
		}
	}
	if it.ID == "" {
		sum := sha256.Sum256([]byte(it.Provider + "\x00" + it.Title))
		it.ID = "sha256:" + hex.EncodeToString(sum[:8])
	}
	// Competencies: alignments first, then text.
	for _, al := range ach.Alignments {
		for _, target := range []string{al.TargetURL, al.TargetCode} {
			if c, ok := lookupTarget(tax, target, al.TargetFramework); ok {
				it.Competencies = append(it.Competencies, c.ID)
				break
			}
		}
	}
	if len(it.Competencies) == 0 && resolve != nil {
		for _, text := range []string{ach.Name, ach.Description} {
			if strings.TrimSpace(text) != "" {
				it.Competencies = append(it.Competencies, resolve(text)...)
			}
			if len(it.Competencies) > 0 {
				break
			}
		}
	}
	slices.Sort(it.Competencies)
	it.Competencies = slices.Compact(it.Competencies)
	if len(it.Competencies) == 0 && ach.Name != "" {
		problems = append(problems, fmt.Sprintf("no competency of the taxonomy %s: no alignment names one it knows, and neither the name nor the description does (align the achievement to a competency ID or an ESCO URI)", tax.Name))
	}
	// Hours: timeRequired, else credits.
	if tr := jsonString(a["timeRequired"]); tr != "" {
		h, err := isoHours(tr)
		if err != nil {
			problems = append(problems, fmt.Sprintf("timeRequired %q: %v", tr, err))
		}
		it.Hours = h
	} else if c, ok := jsonNumber(a["creditsAvailable"]); ok {
		if c < 0 {
			problems = append(problems, fmt.Sprintf("creditsAvailable %g is negative", c))
		}
		it.Hours = c * opt.HoursPerCredit
	} else {
		warnings = append(warnings, "states neither timeRequired nor creditsAvailable: counted as 0 hours")
	}
	// Price: schema.org offers, the lowest.
	priced := false
	for _, o := range append(jsonObjects(a["offers"]), jsonObjects(a["offer"])...) {
		price, ok := jsonNumber(o["price"])
		if !ok {
			problems = append(problems, `an offer without a numeric "price"`)
			continue
		}
		if price < 0 {
			problems = append(problems, fmt.Sprintf("price %g is negative", price))
			continue
		}
		if math.IsInf(price, 0) || math.IsNaN(price) {
			problems = append(problems, `a "price" that is not a finite number`)
			continue
		}
		if !priced || price < it.Cost {
			it.Cost, priced = price, true
			it.Currency = strings.ToUpper(jsonString(o["priceCurrency"]))
		}
	}
	if math.IsInf(it.Hours, 0) || it.Hours > 1e6 {
		problems = append(problems, fmt.Sprintf("%g hours is not a plausible workload (timeRequired, creditsAvailable)", it.Hours))
	}
	if !priced {
		warnings = append(warnings, `states no price (schema.org "offers"): counted as free`)
	}
	if it.Currency == "" {
		it.Currency = strings.ToUpper(opt.Currency)
	}
	if mode := strings.ToLower(jsonString(a["courseMode"])); mode != "" {
		f, ok := courseModes[strings.ReplaceAll(mode, "_", "-")]
		if !ok {
			problems = append(problems, fmt.Sprintf("courseMode %q: use online, onsite, blended or self-paced", mode))
		}
		it.Format = f
	}
	if l := credentialLevel(&credential.Credential{Achievement: ach}); l != LevelNone {
		it.Level = string(l)
	}
	switch p := a["isPartOf"].(type) {
	case string:
		it.StackableInto = p
	case map[string]any:
		it.StackableInto = jsonLangString(p["name"])
		if it.StackableInto == "" {
			it.StackableInto = jsonString(p["id"])
		}
	}
	return it, warnings, problems
}

// courseModes maps schema.org courseMode values to catalogue formats.
var courseModes = map[string]string{
	"online": "online", "onsite": "in-person", "on-site": "in-person", "in-person": "in-person",
	"classroom": "in-person", "blended": "blended", "hybrid": "blended", "self-paced": "self-paced",
	"selfpaced": "self-paced", "asynchronous": "self-paced",
}

var isoDuration = regexp.MustCompile(`^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?$`)

// isoHours reads an ISO 8601 duration of hours and minutes ("PT12H",
// "PT1H30M"). Days are refused: a "day" of training has no fixed length.
func isoHours(s string) (float64, error) {
	m := isoDuration.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	if m == nil || (m[1] == "" && m[2] == "") {
		return 0, fmt.Errorf("not an ISO 8601 duration in hours and minutes: write e.g. PT16H or PT7H30M")
	}
	h, _ := strconv.ParseFloat(cmpOr(m[1], "0"), 64)
	mins, _ := strconv.ParseFloat(cmpOr(m[2], "0"), 64)
	return h + mins/60, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func isHTTP(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

func hostOf(s string) string {
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		return u.Host
	}
	return s
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

func jsonString(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case json.Number:
		return t.String()
	}
	return ""
}

// jsonLangString reads a string or a JSON-LD language map / value object,
// preferring English.
func jsonLangString(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case map[string]any:
		if s := jsonString(t["@value"]); s != "" {
			return s
		}
		for _, k := range []string{"en", "en-CA", "en-US", "fr", "fr-CA"} {
			if s := jsonString(t[k]); s != "" {
				return s
			}
		}
	case []any:
		for _, x := range t {
			if s := jsonLangString(x); s != "" {
				return s
			}
		}
	}
	return ""
}

func jsonStrings(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func jsonObjects(v any) []map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return []map[string]any{t}
	case []any:
		var out []map[string]any
		for _, x := range t {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

func jsonNumber(v any) (float64, bool) {
	switch t := v.(type) {
	case json.Number:
		f, err := t.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		return f, err == nil
	}
	return 0, false
}
