package credential

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// HTTPStatusError is returned (wrapped) by Verifier.Fetch when the server
// answers with a status other than 200 OK. Hosted Open Badges 2.0
// assertions use it: 410 Gone means the issuer revoked the assertion.
type HTTPStatusError struct {
	URL        string
	StatusCode int
	Status     string
}

func (e *HTTPStatusError) Error() string { return "server answered " + e.Status }

// ob2Verify verifies an OB 2.0 assertion (hosted or signed). On success it
// replaces c's fields by those of the authoritative documents (the hosted
// copy, the fetched BadgeClass and Profile), so that the caller sees what
// the issuer vouches for rather than what was presented. Raw and Image
// are never changed.
func ob2Verify(ctx context.Context, v *Verifier, c *Credential) []Check {
	var checks []Check
	switch {
	case c.Document == nil:
		// A legacy baked image holding only the URL of a hosted assertion.
		checks = ob2VerifyHosted(ctx, v, c)
	case ob2VerificationType(c.Document) == ob2Hosted:
		checks = ob2VerifyHosted(ctx, v, c)
	case ob2VerificationType(c.Document) == ob2Signed:
		checks = ob2VerifySigned(ctx, v, c)
	default:
		return []Check{fail(CheckFormat, StatusInvalid, "Open Badges 2.0 assertion with verification type %q; expected hosted or signed", ob2VerificationTypeRaw(c.Document))}
	}
	if c.Issuer.ID == "" {
		// The issuer is named by a BadgeClass that could not be fetched.
		checks = append(checks, skip(CheckIssuerTrust, StatusUnverifiable, "the issuer is not known: it is named by the BadgeClass %s, which could not be read", c.Achievement.ID))
	}
	if c.Document == nil && !slices.ContainsFunc(checks, func(k Check) bool { return k.Name == CheckRecipient }) {
		checks = append(checks, skip(CheckRecipient, StatusUnverifiable, "the recipient is not known: the hosted assertion could not be read"))
	}
	return checks
}

// ob2Unavailable turns a fetch error into a skip (offline, unreachable:
// the credential is unverifiable) — never into a pass.
func ob2Unavailable(name, what string, err error) Check {
	return skip(name, StatusUnverifiable, "%s could not be checked: %v", what, err)
}

// ob2FetchDoc fetches a linked OB 2.0 document (BadgeClass, Profile,
// CryptographicKey, RevocationList, hosted Assertion) and checks that its
// id is the IRI it was fetched from.
//
// Only the hosted assertion is fetched with it directly; the documents an
// issuer shares between its badges go through ob2LinkedDoc,
// ob2SharedKey and ob2SharedRevocationList, which fetch each once per
// Verifier (ob2_shared.go).
func ob2FetchDoc(ctx context.Context, v *Verifier, iri, what string) (map[string]any, error) {
	m, _, err := ob2FetchDocSized(ctx, v, iri, what)
	return m, err
}

// ob2FetchDocSized is ob2FetchDoc that also returns the size of the
// fetched document in bytes.
func ob2FetchDocSized(ctx context.Context, v *Verifier, iri, what string) (map[string]any, int, error) {
	if !ob2Fetchable(iri) {
		return nil, 0, fmt.Errorf("the %s is linked as %q, which is not a URL that can be fetched", what, ob2Shorten(iri, 80))
	}
	data, err := v.Fetch(ctx, iri)
	if err != nil {
		return nil, 0, err
	}
	m, err := decodeObject(data)
	if err != nil {
		return nil, len(data), fmt.Errorf("the %s at %s: %w", what, iri, err)
	}
	if id := str(m, "id"); id != "" && !ob2SameIRI(id, iri) {
		return nil, len(data), fmt.Errorf("the %s fetched from %s says its id is %s; a linked document must be published at its own id", what, iri, id)
	}
	return m, len(data), nil
}

func ob2SameIRI(a, b string) bool {
	return strings.TrimRight(a, "/") == strings.TrimRight(b, "/")
}

// ob2Badge returns the BadgeClass of an assertion: embedded, or fetched
// from its IRI (once per Verifier; see ob2LinkedDoc).
func ob2Badge(ctx context.Context, v *Verifier, m map[string]any) (map[string]any, error) {
	switch b := m["badge"].(type) {
	case map[string]any:
		return b, nil
	case string:
		return ob2LinkedDoc(ctx, v, memoOB2BadgeClass, b, "BadgeClass")
	}
	return nil, errors.New(`the assertion has no "badge"`)
}

// ob2IssuerOf returns the issuer id of a BadgeClass and its embedded
// Profile, if any.
func ob2IssuerOf(b map[string]any) (string, map[string]any) {
	switch is := b["issuer"].(type) {
	case string:
		return is, nil
	case map[string]any:
		return str(is, "id"), is
	}
	return "", nil
}

// ob2Complete embeds badge and profile into a copy of the assertion and
// rebuilds c from it, keeping Raw and Image. The badge and profile are
// copied deeply: they may be documents the Verifier remembers for other
// badges (ob2_shared.go), which c must not share.
func ob2Complete(c *Credential, assertion, badge, profile map[string]any) error {
	doc := make(map[string]any, len(assertion))
	for k, val := range assertion {
		doc[k] = val
	}
	if badge != nil {
		b := make(map[string]any, len(badge))
		for k, val := range badge {
			if k != "issuer" || profile == nil {
				b[k] = ob2CloneJSON(val)
			}
		}
		if profile != nil {
			b["issuer"] = ob2CloneObject(profile)
		}
		doc["badge"] = b
	}
	nc, err := ob2FromAssertion(doc)
	if err != nil {
		return err
	}
	nc.Raw, nc.Image, nc.Inner = c.Raw, c.Image, c.Inner
	*c = *nc
	return nil
}

// ob2VerifyHosted implements hosted verification: the assertion is
// fetched from its id, the BadgeClass and Profile from the fetched copy,
// the id must lie within the issuer's allowed origins, and the presented
// copy must match the hosted one.
func ob2VerifyHosted(ctx context.Context, v *Verifier, c *Credential) []Check {
	id := c.ID
	presented := c.Document
	u, err := url.Parse(id)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return []Check{fail(CheckFormat, StatusInvalid, "a hosted Open Badges 2.0 assertion's id must be the URL it is published at; %q is not a URL", ob2Shorten(id, 80))}
	}
	format := pass(CheckFormat, "Open Badges 2.0 hosted assertion published at %s", id)
	if presented == nil {
		format = pass(CheckFormat, "baked image referring to the Open Badges hosted assertion at %s", id)
	}
	checks := []Check{format}

	fetched, err := ob2FetchDoc(ctx, v, id, "hosted assertion")
	var se *HTTPStatusError
	switch {
	case errors.As(err, &se) && se.StatusCode == http.StatusGone:
		return append(checks,
			skip(CheckProof, StatusValid, "the hosted assertion was not compared: the issuer withdrew it"),
			fail(CheckStatus, StatusRevoked, "the issuer answered 410 Gone at %s: the assertion has been revoked", id))
	case err != nil:
		return append(checks,
			ob2Unavailable(CheckProof, "the hosted assertion at "+id, err),
			skip(CheckKey, StatusUnverifiable, "the issuer's allowed origins were not checked because the hosted assertion could not be fetched"),
			skip(CheckStatus, StatusUnverifiable, "revocation was not checked because the hosted assertion could not be fetched"))
	}
	if ob2VerificationType(fetched) != ob2Hosted {
		return append(checks, fail(CheckProof, StatusInvalid, "the document at %s is not a hosted assertion (verification type %q)", id, ob2VerificationTypeRaw(fetched)))
	}

	badge, err := ob2Badge(ctx, v, fetched)
	if err != nil {
		return append(checks, ob2Unavailable(CheckKey, "the BadgeClass of the hosted assertion", err))
	}
	issuerID, profile := ob2IssuerOf(badge)
	if issuerID == "" {
		return append(checks, fail(CheckKey, StatusInvalid, "the BadgeClass %s names no issuer", str(badge, "id")))
	}
	if profile == nil {
		if profile, err = ob2LinkedDoc(ctx, v, memoOB2Profile, issuerID, "issuer Profile"); err != nil {
			return append(checks, ob2Unavailable(CheckKey, "the issuer Profile "+issuerID, err))
		}
	}
	checks = append(checks, ob2CheckOrigin(ctx, v, id, issuerID))

	if diffs := ob2Differences(presented, fetched, badge); len(diffs) > 0 {
		checks = append(checks, fail(CheckProof, StatusInvalid, "the presented assertion differs from the one the issuer hosts at %s: %s", id, strings.Join(diffs, "; ")))
	} else if presented == nil {
		checks = append(checks, pass(CheckProof, "the assertion was fetched from %s", id))
	} else {
		checks = append(checks, pass(CheckProof, "the presented assertion matches the one the issuer hosts at %s", id))
	}
	if rev, _ := fetched["revoked"].(bool); rev {
		reason := str(fetched, "revocationReason")
		if reason == "" {
			reason = "no reason given"
		}
		checks = append(checks, fail(CheckStatus, StatusRevoked, "the issuer marked the hosted assertion as revoked (%s)", reason))
	} else {
		checks = append(checks, pass(CheckStatus, "the issuer hosts the assertion at %s and has not revoked it", id))
	}
	if err := ob2Complete(c, fetched, badge, profile); err != nil {
		checks = append(checks, fail(CheckFormat, StatusInvalid, "the hosted assertion at %s is malformed: %v", id, err))
	}
	return checks
}

// ob2CheckOrigin checks that a hosted assertion's id lies within the
// issuer's allowed origins. The default is the origin of the issuer's id;
// otherwise the Profile — fetched from its own id, never a presented copy,
// which anyone could write — may widen it with verification.allowedOrigins
// (host names) or verification.startsWith (URL prefixes).
func ob2CheckOrigin(ctx context.Context, v *Verifier, assertionID, issuerID string) Check {
	au, _ := url.Parse(assertionID)
	iu, err := url.Parse(issuerID)
	if err == nil && iu.Scheme == au.Scheme && strings.EqualFold(iu.Host, au.Host) {
		return pass(CheckKey, "the assertion is hosted at %s, the origin of its issuer %s", ob2Origin(au), issuerID)
	}
	profile, err := ob2LinkedDoc(ctx, v, memoOB2Profile, issuerID, "issuer Profile")
	if err != nil {
		return ob2Unavailable(CheckKey, "whether "+ob2Origin(au)+" is an origin the issuer allows", err)
	}
	vo := obj(profile, "verification")
	for _, prefix := range strs(vo, "startsWith") {
		if prefix != "" && strings.HasPrefix(assertionID, prefix) {
			return pass(CheckKey, "the assertion's id starts with %s, which the issuer %s allows", prefix, issuerID)
		}
	}
	for _, host := range strs(vo, "allowedOrigins") {
		if strings.EqualFold(strings.TrimSpace(host), au.Host) {
			return pass(CheckKey, "the assertion is hosted at %s, which the issuer %s lists among its allowed origins", au.Host, issuerID)
		}
	}
	allowed := strs(vo, "allowedOrigins")
	if len(allowed) == 0 {
		allowed = []string{iu.Host}
	}
	return fail(CheckKey, StatusInvalid, "the assertion is hosted at %s, outside the origins its issuer %s allows (%s): anyone can publish a copy there", au.Host, issuerID, strings.Join(allowed, ", "))
}

func ob2Origin(u *url.URL) string { return u.Scheme + "://" + u.Host }

// ob2Differences lists what differs between a presented assertion and the
// hosted one (recipient, badge, dates, id). A nil presented copy (a baked
// URL) has nothing to differ.
func ob2Differences(presented, hosted, hostedBadge map[string]any) []string {
	if presented == nil {
		return nil
	}
	var diffs []string
	if a, b := str(presented, "id"), str(hosted, "id"); b != "" && !ob2SameIRI(a, b) {
		diffs = append(diffs, fmt.Sprintf("id %s, hosted %s", a, b))
	}
	pr, _ := presented["recipient"].(map[string]any)
	hr, _ := hosted["recipient"].(map[string]any)
	for _, k := range []string{"identity", "type", "salt"} {
		if str(pr, k) != str(hr, k) {
			diffs = append(diffs, "recipient "+k)
		}
	}
	if fmt.Sprint(pr["hashed"]) != fmt.Sprint(hr["hashed"]) {
		diffs = append(diffs, "recipient hashed")
	}
	if a, b := idOrString(presented["badge"]), str(hostedBadge, "id"); a != "" && b != "" && !ob2SameIRI(a, b) {
		diffs = append(diffs, fmt.Sprintf("badge %s, hosted %s", a, b))
	}
	if pb, ok := presented["badge"].(map[string]any); ok {
		if a, b := langString(pb["name"]), langString(hostedBadge["name"]); a != b {
			diffs = append(diffs, fmt.Sprintf("badge name %q, hosted %q", a, b))
		}
		if a, _ := ob2IssuerOf(pb); a != "" {
			if b, _ := ob2IssuerOf(hostedBadge); !ob2SameIRI(a, b) {
				diffs = append(diffs, fmt.Sprintf("issuer %s, hosted %s", a, b))
			}
		}
	}
	for _, k := range []string{"issuedOn", "expires"} {
		a, errA := ob2Time(presented[k])
		b, errB := ob2Time(hosted[k])
		if (presented[k] == nil) != (hosted[k] == nil) || (errA == nil && errB == nil && !a.Equal(b)) {
			diffs = append(diffs, k)
		}
	}
	return diffs
}

// ob2VerifySigned implements signed verification: the JWS is checked with
// a key that the issuer's Profile (fetched from its id) lists in publicKey
// and that names the issuer as owner; revocation by the Profile's
// revocationList.
func ob2VerifySigned(ctx context.Context, v *Verifier, c *Credential) []Check {
	payload, err := ob2SignedPayload(c)
	if err != nil {
		return []Check{fail(CheckFormat, StatusInvalid, "%v", err)}
	}
	tok, err := ob2ParseJWS(payload)
	if err != nil {
		return []Check{fail(CheckFormat, StatusInvalid, "%v", err)}
	}
	m := c.Document
	checks := []Check{pass(CheckFormat, "Open Badges 2.0 signed assertion (JWS, %s)", tok.alg)}
	if rev, _ := m["revoked"].(bool); rev {
		checks = append(checks, fail(CheckStatus, StatusRevoked, "the assertion itself says it is revoked (%s)", str(m, "revocationReason")))
	}
	badge, err := ob2Badge(ctx, v, m)
	if err != nil {
		return append(checks, ob2Unavailable(CheckKey, "the BadgeClass", err),
			skip(CheckProof, StatusUnverifiable, "the signature was not checked because the issuer's keys are unknown"))
	}
	issuerID, embedded := ob2IssuerOf(badge)
	if issuerID == "" {
		return append(checks, fail(CheckKey, StatusInvalid, "the BadgeClass names no issuer"))
	}
	// The Profile's key list must come from the issuer's own id: a copy
	// embedded in the JWS is signed by the very key it would vouch for.
	profile, err := ob2LinkedDoc(ctx, v, memoOB2Profile, issuerID, "issuer Profile")
	if err != nil {
		checks = append(checks, ob2Unavailable(CheckKey, "the issuer Profile "+issuerID, err),
			skip(CheckProof, StatusUnverifiable, "the signature was not checked because the issuer's keys could not be fetched"))
		if !slices.ContainsFunc(checks, func(k Check) bool { return k.Name == CheckStatus }) {
			checks = append(checks, skip(CheckStatus, StatusUnverifiable, "the revocation list was not checked because the issuer Profile could not be fetched"))
		}
		_ = ob2Complete(c, m, badge, embedded)
		return checks
	}
	creator := str(obj(m, "verification"), "creator")
	keyCheck, keys := ob2IssuerKeys(ctx, v, profile, issuerID, creator)
	checks = append(checks, keyCheck)
	switch {
	case len(keys) == 0:
		checks = append(checks, skip(CheckProof, StatusUnverifiable, "the signature was not checked because no usable key of the issuer was found"))
	default:
		var errs []string
		verified := ""
		for _, k := range keys {
			if err := ob2VerifyJWS(tok, k.key); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %v", k.id, err))
				continue
			}
			verified = k.id
			break
		}
		if verified != "" {
			checks = append(checks, pass(CheckProof, "the JWS signature (%s) verifies with the issuer's key %s", tok.alg, verified))
		} else {
			checks = append(checks, fail(CheckProof, StatusInvalid, "the JWS signature does not verify with the issuer's key (%s)", strings.Join(errs, "; ")))
		}
	}
	if !slices.ContainsFunc(checks, func(k Check) bool { return k.Name == CheckStatus }) {
		checks = append(checks, ob2CheckRevocationList(ctx, v, profile, c.ID, str(m, "uid")))
	}
	if err := ob2Complete(c, m, badge, profile); err != nil {
		checks = append(checks, fail(CheckFormat, StatusInvalid, "the signed assertion is malformed: %v", err))
	}
	return checks
}

// ob2SignedPayload returns the compact JWS of a signed assertion: Raw, or
// the payload baked into Raw's image.
func ob2SignedPayload(c *Credential) ([]byte, error) {
	raw := c.Raw
	if len(c.Image) > 0 || bakedIsPNG(raw) || bakedIsSVG(raw) {
		b, err := Unbake(raw)
		if err != nil {
			return nil, err
		}
		raw = b.Payload
	}
	raw = bytes.TrimSpace(bytes.TrimPrefix(raw, utf8BOM))
	if _, ok := ob2JWSPayload(raw); !ok {
		return nil, errors.New("the assertion says it is signed but was not presented as a JWS; a signed Open Badges 2.0 assertion must be the JWS itself")
	}
	return raw, nil
}

// ob2Key is a public key the issuer's Profile lists.
type ob2Key struct {
	id  string
	key crypto.PublicKey
}

// ob2MaxKeys caps the keys tried when an assertion does not name its key.
const ob2MaxKeys = 8

// ob2IssuerKeys finds the keys to check the signature with: the
// assertion's verification.creator when given (it must be listed in the
// Profile's publicKey), else every key the Profile lists. A key whose
// owner is not the issuer is refused.
func ob2IssuerKeys(ctx context.Context, v *Verifier, profile map[string]any, issuerID, creator string) (Check, []ob2Key) {
	listed := list(profile, "publicKey")
	if len(listed) == 0 {
		return fail(CheckKey, StatusInvalid, "the issuer Profile %s publishes no publicKey, so no signature can be its own", issuerID), nil
	}
	var entries []any
	if creator != "" {
		for _, k := range listed {
			if ob2SameIRI(idOrString(k), creator) {
				entries = append(entries, k)
				break
			}
		}
		if len(entries) == 0 {
			return fail(CheckKey, StatusInvalid, "the signing key %s is not among the keys the issuer %s lists in its Profile", creator, issuerID), nil
		}
	} else {
		entries = listed[:min(len(listed), ob2MaxKeys)]
	}
	var keys []ob2Key
	var problems []Check
	for _, entry := range entries {
		keyDoc, _ := entry.(map[string]any)
		keyID := idOrString(entry)
		var k *ob2KeyDoc
		if keyDoc == nil || str(keyDoc, "publicKeyPem") == "" {
			// A linked key: fetched and decoded once per Verifier.
			if k = ob2SharedKey(ctx, v, keyID); k.err != nil {
				problems = append(problems, ob2Unavailable(CheckKey, "the key "+keyID, k.err))
				continue
			}
		} else {
			k = &ob2KeyDoc{owner: str(keyDoc, "owner")}
			k.key, k.keyErr = ob2ParsePEM(str(keyDoc, "publicKeyPem"))
		}
		if owner := k.owner; owner != "" && !ob2SameIRI(owner, issuerID) {
			problems = append(problems, fail(CheckKey, StatusInvalid, "the key %s belongs to %s, not to the issuer %s", keyID, owner, issuerID))
			continue
		}
		key, err := k.key, k.keyErr
		if err != nil {
			problems = append(problems, fail(CheckKey, StatusInvalid, "the key %s: %v", keyID, err))
			continue
		}
		keys = append(keys, ob2Key{id: keyID, key: key})
	}
	switch {
	case len(keys) == 0:
		return problems[0], nil
	case creator != "":
		return pass(CheckKey, "the key %s is listed by the issuer %s in its Profile", keys[0].id, issuerID), keys
	}
	return pass(CheckKey, "the assertion names no key; trying the %d key(s) the issuer %s lists in its Profile", len(keys), issuerID), keys
}

// ob2CheckRevocationList looks the assertion up in the issuer's
// revocationList (fetched once per Verifier; see ob2SharedRevocationList).
func ob2CheckRevocationList(ctx context.Context, v *Verifier, profile map[string]any, id, uid string) Check {
	listURL := idOrString(profile["revocationList"])
	if listURL == "" {
		return pass(CheckStatus, "the issuer publishes no revocation list, so the signed assertion cannot have been revoked")
	}
	rl := ob2SharedRevocationList(ctx, v, listURL)
	if rl.err != nil {
		return ob2Unavailable(CheckStatus, "the revocation list "+listURL, rl.err)
	}
	if r, ok := rl.lookup(id, uid); ok {
		reason := r.reason
		if reason == "" {
			reason = "no reason given"
		}
		return fail(CheckStatus, StatusRevoked, "the assertion is on the issuer's revocation list %s (%s)", listURL, reason)
	}
	return pass(CheckStatus, "the assertion is not on the issuer's revocation list %s", listURL)
}

// ob2JWS is a decoded compact JWS.
type ob2JWS struct {
	alg          string
	signingInput []byte
	signature    []byte
}

// ob2ParseJWS decodes a compact JWS, refusing "none" and unknown critical
// header parameters.
func ob2ParseJWS(data []byte) (*ob2JWS, error) {
	parts := strings.Split(string(bytes.TrimSpace(data)), ".")
	if len(parts) != 3 {
		return nil, errors.New("a JWS must have three dot-separated parts")
	}
	hb, err := b64url(parts[0])
	if err != nil {
		return nil, fmt.Errorf("JWS header is not base64url: %w", err)
	}
	var h map[string]any
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, fmt.Errorf("JWS header is not a JSON object: %w", err)
	}
	alg, _ := h["alg"].(string)
	if alg == "" || strings.EqualFold(alg, "none") {
		return nil, fmt.Errorf("JWS algorithm %q is refused; the assertion must be signed", alg)
	}
	if crit, ok := h["crit"]; ok && crit != nil {
		return nil, fmt.Errorf("JWS header has critical parameters %v that Skillmatch does not understand", crit)
	}
	if b64, ok := h["b64"].(bool); ok && !b64 {
		return nil, errors.New("JWS with an unencoded payload (b64: false) is not an Open Badges 2.0 signature")
	}
	sig, err := b64url(parts[2])
	if err != nil {
		return nil, fmt.Errorf("JWS signature is not base64url: %w", err)
	}
	return &ob2JWS{alg: alg, signingInput: []byte(parts[0] + "." + parts[1]), signature: sig}, nil
}

// ob2VerifyJWS checks a JWS signature. The algorithm must fit the key
// type (no algorithm substitution): RS*/PS* for RSA, ES256/384/512 for the
// matching ECDSA curve, EdDSA for Ed25519.
func ob2VerifyJWS(t *ob2JWS, key crypto.PublicKey) error {
	hashOf := func(h crypto.Hash) []byte {
		var hh hash.Hash
		switch h {
		case crypto.SHA256:
			hh = sha256.New()
		case crypto.SHA384:
			hh = sha512.New384()
		default:
			hh = sha512.New()
		}
		hh.Write(t.signingInput)
		return hh.Sum(nil)
	}
	algHash := map[string]crypto.Hash{"256": crypto.SHA256, "384": crypto.SHA384, "512": crypto.SHA512}
	switch k := key.(type) {
	case *rsa.PublicKey:
		h, ok := algHash[strings.TrimLeft(t.alg, "RSP")]
		if !ok || len(t.alg) != 5 || (t.alg[:2] != "RS" && t.alg[:2] != "PS") {
			return fmt.Errorf("algorithm %s does not fit an RSA key (use RS256, RS384, RS512 or PS*)", t.alg)
		}
		if k.N.BitLen() < 2048 {
			return fmt.Errorf("the RSA key has %d bits; at least 2048 are required", k.N.BitLen())
		}
		if t.alg[:2] == "PS" {
			return rsa.VerifyPSS(k, h, hashOf(h), t.signature, nil)
		}
		return rsa.VerifyPKCS1v15(k, h, hashOf(h), t.signature)
	case *ecdsa.PublicKey:
		want := map[elliptic.Curve]string{elliptic.P256(): "ES256", elliptic.P384(): "ES384", elliptic.P521(): "ES512"}[k.Curve]
		if t.alg != want {
			return fmt.Errorf("algorithm %s does not fit an ECDSA %s key (use %s)", t.alg, k.Curve.Params().Name, want)
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(t.signature) != 2*size {
			return fmt.Errorf("an %s signature has %d bytes, not %d", t.alg, 2*size, len(t.signature))
		}
		r := new(big.Int).SetBytes(t.signature[:size])
		s := new(big.Int).SetBytes(t.signature[size:])
		if !ecdsa.Verify(k, hashOf(algHash[t.alg[2:]]), r, s) {
			return errors.New("signature mismatch")
		}
		return nil
	case ed25519.PublicKey:
		if t.alg != "EdDSA" && t.alg != "Ed25519" {
			return fmt.Errorf("algorithm %s does not fit an Ed25519 key (use EdDSA)", t.alg)
		}
		if !ed25519.Verify(k, t.signingInput, t.signature) {
			return errors.New("signature mismatch")
		}
		return nil
	}
	return fmt.Errorf("keys of type %T are not supported", key)
}

// ob2ParsePEM decodes a CryptographicKey's publicKeyPem (PKIX "PUBLIC
// KEY" or PKCS#1 "RSA PUBLIC KEY").
func ob2ParsePEM(s string) (crypto.PublicKey, error) {
	blk, _ := pem.Decode([]byte(strings.ReplaceAll(s, `\n`, "\n")))
	if blk == nil {
		return nil, errors.New(`publicKeyPem is not a PEM block ("-----BEGIN PUBLIC KEY-----" …)`)
	}
	switch blk.Type {
	case "PUBLIC KEY":
		return x509.ParsePKIXPublicKey(blk.Bytes)
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(blk.Bytes)
	}
	return nil, fmt.Errorf("PEM block of type %q is not a public key", blk.Type)
}
