package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Open Badges 2.0 (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html).
//
// An OB 2.0 award is an Assertion. It names its recipient (often as a
// salted hash of an e-mail address), its BadgeClass (embedded or an IRI)
// and, through the BadgeClass, its issuer Profile (embedded or an IRI).
// It is secured in one of two ways:
//
//   - hosted: the issuer publishes the assertion at its id; a verifier
//     fetches it from there (within the issuer's allowed origins) and
//     compares it with the copy presented;
//   - signed: the assertion is the payload of a JWS made with a key that
//     the issuer Profile lists in publicKey; revocation is by the
//     Profile's revocationList.
//
// Parse never fetches anything: a linked BadgeClass or Profile is left as
// an IRI (Achievement.ID, Issuer.ID) until Verifier.Verify (or
// Verifier.ResolveOB2) fetches it through Verifier.Fetch, the same
// document cache and network rules as every other verification fetch.

// ob2Context is the JSON-LD context of Open Badges 2.0 (and of 1.1, which
// used a different URL).
var ob2Contexts = []string{"https://w3id.org/openbadges/v2", "https://w3id.org/openbadges/v1"}

// Verification types of OB 2.0 (and the 1.x "verify" spellings).
const (
	ob2Hosted = "hosted"
	ob2Signed = "signed"
)

func init() {
	Register(Family{
		Name:     "Open Badges 2.0",
		Priority: 20,
		Detect:   ob2Detect,
		Parse:    ob2Parse,
		Formats:  []Format{FormatOB2},
		Verify:   ob2Verify,
	})
}

// ob2Detect recognises an OB 2.0 JSON document (assertion, BadgeClass or
// Profile: the latter two are reported by Parse as "not an award") or a
// compact JWS whose payload is an OB 2.0 assertion.
func ob2Detect(data []byte) bool {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))
	if len(data) == 0 {
		return false
	}
	if data[0] == '{' {
		return ob2LooksLikeJSON(data)
	}
	if payload, ok := ob2JWSPayload(data); ok {
		return ob2LooksLikeJSON(payload)
	}
	return false
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ob2LooksLikeJSON reports whether a JSON object is an OB 2.0 (or 1.x)
// document: it names the OB 2.0 context, or has the shape of an
// assertion (recipient + badge) without being a Verifiable Credential.
func ob2LooksLikeJSON(data []byte) bool {
	if !bytes.Contains(data, []byte("openbadges/v")) && !(bytes.Contains(data, []byte(`"recipient"`)) && bytes.Contains(data, []byte(`"badge"`))) {
		return false
	}
	var top map[string]json.RawMessage
	if checkDepth(data) != nil || json.Unmarshal(data, &top) != nil {
		return false
	}
	if _, vc := top["credentialSubject"]; vc {
		return false
	}
	if _, vc := top["vc"]; vc {
		return false
	}
	var ctx any
	_ = json.Unmarshal(top["@context"], &ctx)
	for _, c := range ob2AnyStrings(ctx) {
		for _, want := range ob2Contexts {
			if strings.TrimRight(c, "/") == want || strings.HasPrefix(c, want+"/") {
				return true
			}
		}
		if strings.Contains(c, "/credentials/") || strings.Contains(c, "openbadges/v3") || strings.Contains(c, "ob/v3p0") {
			return false
		}
	}
	_, r := top["recipient"]
	_, b := top["badge"]
	return r && b
}

func ob2AnyStrings(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ob2JWSPayload returns the decoded payload of a compact JWS (three
// base64url segments), if data is one.
func ob2JWSPayload(data []byte) ([]byte, bool) {
	s := string(bytes.TrimSpace(data))
	if len(s) > MaxCredentialBytes || strings.ContainsAny(s, " \t\r\n{}\"") {
		return nil, false
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return nil, false
	}
	payload, err := b64url(parts[1])
	if err != nil {
		return nil, false
	}
	return payload, true
}

// ob2Parse decodes an OB 2.0 assertion given as JSON or as a JWS.
func ob2Parse(data []byte) (*Credential, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))
	doc := trimmed
	signed := false
	if len(trimmed) > 0 && trimmed[0] != '{' {
		payload, ok := ob2JWSPayload(trimmed)
		if !ok {
			return nil, fmt.Errorf("expected an Open Badges 2.0 assertion as JSON or as a JWS: %w", ErrNotCredential)
		}
		if _, err := ob2ParseJWS(trimmed); err != nil {
			return nil, err
		}
		doc, signed = payload, true
	}
	m, err := decodeObject(doc)
	if err != nil {
		return nil, err
	}
	c, err := ob2FromAssertion(m)
	if err != nil {
		return nil, err
	}
	if signed && ob2VerificationType(m) != ob2Signed {
		return nil, fmt.Errorf("the assertion is a JWS but its verification.type is %q; a signed assertion must say \"signed\"", ob2VerificationTypeRaw(m))
	}
	c.Raw = data
	return c, nil
}

// ob2Types returns the JSON-LD types of a document.
func ob2Types(m map[string]any) []string {
	return strs(m, "type")
}

func ob2HasType(m map[string]any, names ...string) bool {
	for _, t := range ob2Types(m) {
		t = strings.TrimPrefix(t, "obi:")
		for _, n := range names {
			if strings.EqualFold(t, n) {
				return true
			}
		}
	}
	return false
}

// ob2FromAssertion builds a Credential from a decoded assertion, with the
// BadgeClass and Profile as far as they are embedded. It checks the
// required properties and says which one is missing or malformed.
func ob2FromAssertion(m map[string]any) (*Credential, error) {
	if ob2HasType(m, "BadgeClass") || (m["recipient"] == nil && m["criteria"] != nil && m["issuer"] != nil) {
		return nil, fmt.Errorf("this is an Open Badges 2.0 BadgeClass (the definition of a badge), not an assertion awarding it to someone: %w", ErrNotCredential)
	}
	if ob2HasType(m, "Issuer", "Profile") {
		return nil, fmt.Errorf("this is an Open Badges 2.0 issuer Profile, not an assertion: %w", ErrNotCredential)
	}
	if ob2HasType(m, "CryptographicKey", "RevocationList") {
		return nil, fmt.Errorf("this is an Open Badges 2.0 %s, not an assertion: %w", ob2Types(m)[0], ErrNotCredential)
	}
	c := &Credential{Format: FormatOB2, Document: m, Types: ob2Types(m)}
	c.ID = str(m, "id")
	if c.ID == "" {
		// Open Badges 1.x: the hosted assertion's URL is verify.url.
		c.ID = str(obj(m, "verify"), "url")
	}
	if c.ID == "" {
		c.ID = str(m, "uid")
	}
	if c.ID == "" {
		return nil, errors.New(`the assertion has no "id"; an Open Badges 2.0 assertion must have one (its URL when hosted, a urn:uuid when signed)`)
	}
	rec, ok := m["recipient"].(map[string]any)
	if !ok {
		if s, isStr := m["recipient"].(string); isStr && s != "" {
			// Open Badges 0.5/1.0 allowed a bare hashed e-mail.
			rec = map[string]any{"type": "email", "identity": s, "hashed": strings.Contains(s, "$")}
		} else {
			return nil, errors.New(`the assertion has no "recipient" object; it must say who the badge was awarded to ({"type": "email", "identity": …, "hashed": …})`)
		}
	}
	id, err := ob2Recipient(rec)
	if err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	c.Subject.Identifiers = []Identifier{id}
	if !id.Hashed && (id.IdentityType == "email" || id.IdentityType == "emailAddress") {
		c.Subject.ID = "mailto:" + id.Identity
	} else if !id.Hashed && (id.IdentityType == "url" || id.IdentityType == "id") {
		c.Subject.ID = id.Identity
	}
	if p, ok := m["recipientProfile"].(map[string]any); ok {
		c.Subject.Name = langString(p["name"])
	}
	if vt := ob2VerificationType(m); vt == "" {
		return nil, fmt.Errorf(`the assertion has no usable "verification" ({"type": "hosted"} or {"type": "signed"}); found %q`, ob2VerificationTypeRaw(m))
	}
	switch b := m["badge"].(type) {
	case string:
		if b == "" {
			return nil, errors.New(`the assertion's "badge" is empty; it must be the BadgeClass or its URL`)
		}
		c.Achievement.ID = b
	case map[string]any:
		if err := ob2FillBadge(c, b); err != nil {
			return nil, fmt.Errorf("badge: %w", err)
		}
	default:
		return nil, errors.New(`the assertion has no "badge"; it must be the BadgeClass or its URL`)
	}
	issued, ok := m["issuedOn"]
	if !ok {
		return nil, errors.New(`the assertion has no "issuedOn" date`)
	}
	if c.IssuedAt, err = ob2Time(issued); err != nil {
		return nil, fmt.Errorf("issuedOn: %w", err)
	}
	c.ValidFrom = c.IssuedAt
	if exp, ok := m["expires"]; ok && exp != nil {
		if c.ValidUntil, err = ob2Time(exp); err != nil {
			return nil, fmt.Errorf("expires: %w", err)
		}
	}
	for _, e := range list(m, "evidence") {
		switch t := e.(type) {
		case string:
			c.Evidence = append(c.Evidence, Evidence{ID: t})
		case map[string]any:
			c.Evidence = append(c.Evidence, Evidence{
				ID: str(t, "id"), Name: langString(t["name"]), Description: langString(t["description"]),
				Narrative: langString(t["narrative"]), Genre: str(t, "genre"), Audience: str(t, "audience"),
			})
		}
	}
	if n := langString(m["narrative"]); n != "" {
		c.Evidence = append(c.Evidence, Evidence{Narrative: n})
	}
	return c, nil
}

// ob2Recipient decodes an IdentityObject.
func ob2Recipient(r map[string]any) (Identifier, error) {
	id := Identifier{IdentityType: str(r, "type"), Identity: str(r, "identity"), Salt: str(r, "salt")}
	if id.Identity == "" {
		return id, errors.New(`"identity" is missing; it holds the e-mail address (or its hash)`)
	}
	if id.IdentityType == "" {
		id.IdentityType = "email"
	}
	switch h := r["hashed"].(type) {
	case bool:
		id.Hashed = h
	case string:
		id.Hashed = strings.EqualFold(h, "true")
	case nil:
	default:
		return id, errors.New(`"hashed" must be true or false`)
	}
	if id.Hashed {
		alg, digest, ok := strings.Cut(id.Identity, "$")
		alg = strings.ToLower(alg)
		if !ok || (alg != "sha256" && alg != "md5") {
			return id, fmt.Errorf(`hashed identity %q must be "sha256$<hex>" or "md5$<hex>"`, ob2Shorten(id.Identity, 24))
		}
		want := 64
		if alg == "md5" {
			want = 32
		}
		if len(digest) != want || !ob2IsHex(digest) {
			return id, fmt.Errorf("hashed identity must have %d hexadecimal digits after %s$", want, alg)
		}
	}
	return id, nil
}

func ob2IsHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

func ob2Shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ob2VerificationTypeRaw returns the verification type as written
// (OB 2.0 "verification", OB 1.x "verify").
func ob2VerificationTypeRaw(m map[string]any) string {
	v := obj(m, "verification")
	if v == nil {
		v = obj(m, "verify")
	}
	if v == nil {
		return ""
	}
	return strings.Join(strs(v, "type"), ",")
}

// ob2VerificationType normalises the verification type to ob2Hosted or
// ob2Signed ("" when absent or unknown).
func ob2VerificationType(m map[string]any) string {
	for _, t := range strings.Split(ob2VerificationTypeRaw(m), ",") {
		switch strings.ToLower(strings.TrimPrefix(t, "obi:")) {
		case "hosted", "hostedbadge":
			return ob2Hosted
		case "signed", "signedbadge":
			return ob2Signed
		}
	}
	return ""
}

// ob2FillBadge copies an embedded BadgeClass (and its issuer) into c.
func ob2FillBadge(c *Credential, b map[string]any) error {
	a := &c.Achievement
	a.ID = str(b, "id")
	a.Name = langString(b["name"])
	if a.Name == "" {
		return errors.New(`the BadgeClass has no "name"`)
	}
	a.Description = langString(b["description"])
	switch cr := b["criteria"].(type) {
	case string:
		if ob2IsIRI(cr) {
			a.Criteria.ID = cr
		} else {
			a.Criteria.Narrative = cr
		}
	case map[string]any:
		a.Criteria = Criteria{ID: str(cr, "id"), Narrative: langString(cr["narrative"])}
		if a.Criteria.ID == "" {
			a.Criteria.ID = str(cr, "url")
		}
	}
	a.Tags = strs(b, "tags")
	a.ImageURL = idOrString(b["image"])
	a.AchievementType = ob2BadgeType(b)
	a.Alignments = nil
	for _, al := range objs(b, "alignment") {
		a.Alignments = append(a.Alignments, Alignment{
			TargetURL:         str(al, "targetUrl"),
			TargetName:        langString(al["targetName"]),
			TargetFramework:   langString(al["targetFramework"]),
			TargetCode:        str(al, "targetCode"),
			TargetDescription: langString(al["targetDescription"]),
			TargetType:        str(al, "targetType"),
		})
	}
	if v, ok := b["creditsAvailable"]; ok {
		a.CreditsAvailable = ob2Number(v)
	}
	switch is := b["issuer"].(type) {
	case string:
		c.Issuer = Issuer{ID: is}
	case map[string]any:
		c.Issuer = ob2Issuer(is)
	default:
		return errors.New(`the BadgeClass has no "issuer"; it must be the issuer Profile or its URL`)
	}
	if c.Issuer.ID == "" {
		return errors.New(`the issuer Profile has no "id"`)
	}
	return nil
}

// ob2BadgeType returns a BadgeClass's type beyond "BadgeClass" (some
// issuers add e.g. "Certificate"), or "Badge".
func ob2BadgeType(b map[string]any) string {
	for _, t := range ob2Types(b) {
		if !strings.EqualFold(strings.TrimPrefix(t, "obi:"), "BadgeClass") {
			return t
		}
	}
	return "Badge"
}

func ob2Issuer(p map[string]any) Issuer {
	return Issuer{ID: str(p, "id"), Name: langString(p["name"]), URL: str(p, "url"), Email: str(p, "email")}
}

func ob2Number(v any) float64 {
	switch t := v.(type) {
	case float64:
		return t
	case string:
		f, _ := strconv.ParseFloat(strings.TrimSpace(t), 64)
		return f
	}
	return 0
}

func ob2IsIRI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && !strings.ContainsAny(s, " \n")
}

var ob2Digits = regexp.MustCompile(`^[0-9]{9,11}$`)

// ob2Time parses an OB 2.0 DateTime: ISO 8601 / RFC 3339 (a missing zone
// means UTC), a date alone, or — as OB 1.0 allowed — a Unix timestamp.
func ob2Time(v any) (time.Time, error) {
	switch t := v.(type) {
	case float64:
		return time.Unix(int64(t), 0).UTC(), nil
	case string:
		s := strings.TrimSpace(t)
		if ob2Digits.MatchString(s) {
			n, _ := strconv.ParseInt(s, 10, 64)
			return time.Unix(n, 0).UTC(), nil
		}
		for _, layout := range []string{"2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04Z07:00"} {
			if tm, err := time.Parse(layout, s); err == nil {
				return tm.UTC(), nil
			}
		}
		return parseTime(s)
	}
	return time.Time{}, fmt.Errorf("expected a date such as 2024-05-01T12:00:00Z, found %s", jsonKind(v))
}
