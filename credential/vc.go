package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Context URLs of the VC data model versions.
const (
	contextVC1 = "https://www.w3.org/2018/credentials/v1"
	contextVC2 = "https://www.w3.org/ns/credentials/v2"
)

func init() {
	Register(Family{
		Name:     "Verifiable Credential",
		Priority: 50,
		Detect:   detectVC,
		Parse:    parseVCFamily,
		Formats:  []Format{FormatOB3, FormatVC, FormatVCJWT, FormatCLR},
		Verify:   verifyVCFamily,
	})
}

var compactJWS = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$`)

// detectVC recognises W3C VC JSON-LD (a JSON object naming a VC context)
// and compact JWS tokens.
func detectVC(data []byte) bool {
	t := bytes.TrimSpace(data)
	if len(t) > 0 && t[0] == '{' {
		return bytes.Contains(t, []byte(contextVC1)) || bytes.Contains(t, []byte(contextVC2))
	}
	return len(t) > 0 && len(t) < MaxCredentialBytes && compactJWS.Match(t)
}

func parseVCFamily(data []byte) (*Credential, error) {
	t := bytes.TrimSpace(data)
	if len(t) > 0 && t[0] != '{' {
		return parseJWT(data)
	}
	doc, err := decodeObject(data)
	if err != nil {
		return nil, err
	}
	c, err := fromDocument(doc, data, 0)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// fromDocument builds a Credential from a decoded VC JSON-LD document.
// depth counts CLR nesting.
func fromDocument(doc map[string]any, raw []byte, depth int) (*Credential, error) {
	ctxs := list(doc, "@context")
	if len(ctxs) == 0 {
		return nil, fmt.Errorf("field @context: missing; a Verifiable Credential starts with %q or %q: %w", contextVC2, contextVC1, ErrNotCredential)
	}
	first, _ := ctxs[0].(string)
	if first != contextVC1 && first != contextVC2 {
		return nil, fmt.Errorf("field @context: the first context is %v, expected %q or %q: %w", ctxs[0], contextVC2, contextVC1, ErrNotCredential)
	}
	c := &Credential{Raw: raw, Document: doc}
	c.Types = strs(doc, "type")
	switch {
	case slices.Contains(c.Types, "ClrCredential"):
		c.Format = FormatCLR
	case slices.Contains(c.Types, "OpenBadgeCredential") || slices.Contains(c.Types, "AchievementCredential"):
		c.Format = FormatOB3
	default:
		c.Format = FormatVC
	}
	if !slices.Contains(c.Types, "VerifiableCredential") {
		c.problems = append(c.problems, "field type: must include \"VerifiableCredential\"")
	}
	// Undefined terms: computed with the embedded contexts (no fetch). A
	// pinned remote context not yet fetched defers this to Verify.
	undefined, expanded, err := expandCheck(doc)
	switch {
	case errors.Is(err, ErrContextUnavailable):
		c.termsPending = true
	case err != nil:
		c.ldErr = err
	}
	c.UndefinedTerms = undefined
	c.expanded = expanded
	c.fill(removePointers(doc, undefined))
	if c.Format == FormatCLR {
		if err := c.parseInner(depth); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// expandCheck expands doc offline and returns the pointers of dropped
// (undefined) properties.
func expandCheck(doc map[string]any) ([]string, []any, error) {
	l := &contextLoader{}
	opts := ldOptions(l)
	counts := map[string]int{}
	opts.ExpandedElementHandler = func(p string, e any) {
		if m, ok := e.(map[string]any); ok {
			counts[p] = len(m)
		}
	}
	var expanded []any
	if err := safeLD(func() (e error) { expanded, e = ldExpand(doc, opts); return }); err != nil {
		return nil, nil, err
	}
	return droppedProperties(doc, counts, func(d map[string]any) map[string]int {
		o := ldOptions(l)
		cnt := map[string]int{}
		o.ExpandedElementHandler = func(p string, e any) {
			if m, ok := e.(map[string]any); ok {
				cnt[p] = len(m)
			}
		}
		if err := safeLD(func() error { _, e := ldExpand(d, o); return e }); err != nil {
			return nil
		}
		return cnt
	}), expanded, nil
}

// fill sets the record fields from a (sanitised) VC document.
func (c *Credential) fill(doc map[string]any) {
	c.ID = str(doc, "id")
	c.Name = langString(doc["name"])
	c.Description = langString(doc["description"])
	c.Issuer = profile(doc["issuer"])
	if c.Issuer.ID == "" {
		c.problems = append(c.problems, "field issuer: missing or without an id")
	}
	subj := obj(doc, "credentialSubject")
	if subj == nil {
		c.problems = append(c.problems, "field credentialSubject: missing")
		subj = map[string]any{}
	}
	c.Subject = Subject{ID: str(subj, "id"), Name: langString(subj["name"])}
	for _, id := range objs(subj, "identifier") {
		hashed, _ := id["hashed"].(bool)
		c.Subject.Identifiers = append(c.Subject.Identifiers, Identifier{
			IdentityType: str(id, "identityType"),
			Identity:     str(id, "identityHash"),
			Hashed:       hashed,
			Salt:         str(id, "salt"),
		})
	}
	if c.Format == FormatCLR {
		// A CLR lists many achievements; each enclosed credential carries
		// its own. The CLR itself is described by its Name.
	} else if a := obj(subj, "achievement"); a != nil {
		c.Achievement = achievement(a)
	} else if c.Format == FormatOB3 {
		c.problems = append(c.problems, "field credentialSubject.achievement: an Open Badges 3.0 credential must name its achievement")
	}
	for _, r := range objs(subj, "result") {
		c.Results = append(c.Results, AwardResult{
			ResultDescription: str(r, "resultDescription"),
			Value:             scalarString(r["value"]),
			Status:            str(r, "status"),
			AchievedLevel:     str(r, "achievedLevel"),
		})
	}
	for _, e := range objs(doc, "evidence") {
		c.Evidence = append(c.Evidence, Evidence{
			ID: str(e, "id"), Name: langString(e["name"]), Description: langString(e["description"]),
			Narrative: langString(e["narrative"]), Genre: str(e, "genre"), Audience: str(e, "audience"),
		})
	}
	c.IssuedAt, c.ValidFrom, c.ValidUntil = c.dates(doc)
	c.Status = nil
	for _, s := range objs(doc, "credentialStatus") {
		e := StatusEntry{ID: str(s, "id"), Type: str(s, "type"), Purpose: str(s, "statusPurpose"), ListCredential: str(s, "statusListCredential"), Index: -1}
		if e.Type == "" {
			e.Type = strings.Join(strs(s, "type"), ",")
		}
		switch v := s["statusListIndex"].(type) {
		case string:
			if i, err := strconv.Atoi(v); err == nil && i >= 0 {
				e.Index = i
			}
		case float64:
			if v >= 0 && v == float64(int(v)) {
				e.Index = int(v)
			}
		}
		c.Status = append(c.Status, e)
	}
}

// dates returns issue date, valid-from and valid-until of a VC document.
func (c *Credential) dates(doc map[string]any) (issued, from, until time.Time) {
	get := func(field string) time.Time {
		s, ok := doc[field].(string)
		if !ok {
			if doc[field] != nil {
				c.problems = append(c.problems, fmt.Sprintf("field %s: expected a date-time string", field))
			}
			return time.Time{}
		}
		t, err := parseTime(s)
		if err != nil {
			c.problems = append(c.problems, fmt.Sprintf("field %s: %v", field, err))
		}
		return t
	}
	from = get("validFrom")
	if from.IsZero() {
		from = get("issuanceDate")
	}
	issued = from
	if aw := get("awardedDate"); issued.IsZero() {
		issued = aw
	}
	until = get("validUntil")
	if until.IsZero() {
		until = get("expirationDate")
	}
	return issued, from, until
}

func profile(v any) Issuer {
	switch t := v.(type) {
	case string:
		return Issuer{ID: t}
	case map[string]any:
		return Issuer{ID: str(t, "id"), Name: langString(t["name"]), URL: idOrString(t["url"]), Email: str(t, "email")}
	}
	return Issuer{}
}

func achievement(a map[string]any) Achievement {
	out := Achievement{
		ID:              str(a, "id"),
		Name:            langString(a["name"]),
		Description:     langString(a["description"]),
		AchievementType: str(a, "achievementType"),
		Tags:            strs(a, "tag"),
		ImageURL:        idOrString(a["image"]),
		Creator:         profile(a["creator"]),
		FieldOfStudy:    langString(a["fieldOfStudy"]),
		Specialization:  langString(a["specialization"]),
		HumanCode:       str(a, "humanCode"),
		Version:         str(a, "version"),
		Language:        str(a, "inLanguage"),
	}
	if cr := obj(a, "criteria"); cr != nil {
		out.Criteria = Criteria{ID: str(cr, "id"), Narrative: langString(cr["narrative"])}
	}
	if f, ok := a["creditsAvailable"].(float64); ok {
		out.CreditsAvailable = f
	}
	for _, r := range objs(a, "resultDescription") {
		out.ResultDescription = append(out.ResultDescription, ResultDescription{
			ID: str(r, "id"), Name: langString(r["name"]), ResultType: str(r, "resultType"), AllowedValues: strs(r, "allowedValue"),
		})
	}
	for _, al := range objs(a, "alignment") {
		out.Alignments = append(out.Alignments, Alignment{
			TargetURL: str(al, "targetUrl"), TargetName: langString(al["targetName"]),
			TargetFramework: langString(al["targetFramework"]), TargetCode: str(al, "targetCode"),
			TargetType: str(al, "targetType"), TargetDescription: langString(al["targetDescription"]),
		})
	}
	return out
}

func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// parseInner parses the credentials a CLR encloses
// (credentialSubject.verifiableCredential): embedded JSON-LD credentials,
// compact JWS strings, or EnvelopedVerifiableCredential data: URLs.
func (c *Credential) parseInner(depth int) error {
	if depth > 2 {
		return fmt.Errorf("CLR nested more than 2 levels deep: %w", ErrTooDeep)
	}
	subj := obj(removePointers(c.Document, c.UndefinedTerms), "credentialSubject")
	inner := list(subj, "verifiableCredential")
	if len(inner) > MaxInnerCredentials {
		return fmt.Errorf("CLR encloses %d credentials, more than %d: %w", len(inner), MaxInnerCredentials, ErrTooLarge)
	}
	raws := innerRaw(c.Raw, len(inner))
	for i, v := range inner {
		var in *Credential
		var err error
		switch t := v.(type) {
		case string:
			in, err = parseJWT([]byte(t))
		case map[string]any:
			if slices.Contains(strs(t, "type"), "EnvelopedVerifiableCredential") {
				tok, ok := strings.CutPrefix(str(t, "id"), "data:application/vc+jwt,")
				if !ok {
					err = errors.New("EnvelopedVerifiableCredential id must be a data:application/vc+jwt, URL")
				} else {
					in, err = parseJWT([]byte(tok))
				}
				break
			}
			raw := raws[i]
			if raw == nil {
				raw, _ = json.Marshal(t)
			}
			in, err = fromDocument(t, raw, depth+1)
		default:
			err = fmt.Errorf("expected a credential object or JWT string, found %s", jsonKind(v))
		}
		if err != nil {
			// Keep the slot so that the CLR shows which entry is bad.
			raw, _ := json.Marshal(v)
			in = &Credential{Format: FormatVC, Raw: raw, problems: []string{err.Error()}}
		}
		c.Inner = append(c.Inner, in)
	}
	return nil
}

// innerRaw returns the original bytes of each enclosed credential of a
// CLR (credentialSubject.verifiableCredential), so that Raw keeps what the
// issuer wrote; nil entries when they cannot be located.
func innerRaw(raw []byte, n int) [][]byte {
	out := make([][]byte, n)
	var top map[string]json.RawMessage
	if json.Unmarshal(raw, &top) != nil {
		return out
	}
	var subj map[string]json.RawMessage
	if json.Unmarshal(top["credentialSubject"], &subj) != nil {
		var subjs []map[string]json.RawMessage
		if json.Unmarshal(top["credentialSubject"], &subjs) != nil || len(subjs) == 0 {
			return out
		}
		subj = subjs[0]
	}
	var list []json.RawMessage
	if json.Unmarshal(subj["verifiableCredential"], &list) != nil {
		list = []json.RawMessage{subj["verifiableCredential"]}
	}
	if len(list) != n {
		return out
	}
	for i, r := range list {
		out[i] = []byte(r)
	}
	return out
}
