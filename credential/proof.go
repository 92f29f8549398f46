package credential

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Proof suites understood by Skillmatch.
const (
	SuiteEdDSARDFC2022        = "eddsa-rdfc-2022"
	SuiteEdDSAJCS2022         = "eddsa-jcs-2022"
	SuiteEd25519Signature2020 = "Ed25519Signature2020"
)

const ob303Context = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

// proofOutcome is the verdict on one proof of a document.
type proofOutcome struct {
	proof, key Check
	// undefined are the document's undefined terms found while
	// canonicalising (nil when not computed).
	undefined []string
	canonDone bool
	// alternate: the proof verified with the later revision of the OB
	// 3.0.3 context; undefined then lists the terms undefined under it.
	alternate bool
}

// rank orders outcomes: a fully valid proof first, then unverifiable
// ones, then invalid ones.
func (o proofOutcome) rank() int {
	w := Worse(o.proof.Effect, o.key.Effect)
	switch w {
	case StatusValid:
		return 0
	case StatusUnverifiable:
		return 1
	}
	return 2
}

// suiteName returns the suite of a proof object.
func suiteName(p map[string]any) string {
	if str(p, "type") == "DataIntegrityProof" {
		return str(p, "cryptosuite")
	}
	return str(p, "type")
}

// verifyEmbeddedProofs checks the Data Integrity proofs of doc: any proof
// that verifies with a key of issuer suffices.
//
// expanded, when not nil, is the JSON-LD expansion of doc (made by Parse)
// and saves expanding the document again.
func (v *Verifier) verifyEmbeddedProofs(ctx context.Context, doc map[string]any, issuer string, expanded []any) proofOutcome {
	proofs := objs(doc, "proof")
	if len(proofs) == 0 {
		return proofOutcome{
			proof: fail(CheckProof, StatusInvalid, "the credential carries no proof (signature)"),
			key:   skip(CheckKey, StatusInvalid, "no proof, so no key to check"),
		}
	}
	if len(proofs) > 16 {
		return proofOutcome{
			proof: fail(CheckProof, StatusInvalid, "the credential carries %d proofs; more than 16 are refused", len(proofs)),
			key:   skip(CheckKey, StatusInvalid, "proofs not checked"),
		}
	}
	var best *proofOutcome
	var undefined []string
	canonDone := false
	for i, p := range proofs {
		o := v.verifyOneProof(ctx, doc, proofs, p, issuer, expanded)
		if len(proofs) > 1 {
			o.proof.Detail = fmt.Sprintf("proof %d of %d: %s", i+1, len(proofs), o.proof.Detail)
		}
		if o.canonDone && !canonDone {
			undefined, canonDone = o.undefined, true
		}
		if best == nil || o.rank() < best.rank() {
			best = &o
		}
		if best.rank() == 0 {
			break
		}
	}
	if !best.alternate {
		best.undefined, best.canonDone = undefined, canonDone
	}
	return *best
}

func (v *Verifier) verifyOneProof(ctx context.Context, doc map[string]any, all []map[string]any, p map[string]any, issuer string, expanded []any) proofOutcome {
	suite := suiteName(p)
	notChecked := func(effect Status, format string, args ...any) proofOutcome {
		return proofOutcome{
			proof: skip(CheckProof, effect, format, args...),
			key:   skip(CheckKey, effect, "key not checked because the proof could not be checked"),
		}
	}
	bad := func(format string, args ...any) proofOutcome {
		return proofOutcome{
			proof: fail(CheckProof, StatusInvalid, format, args...),
			key:   skip(CheckKey, StatusInvalid, "key not checked because the proof is invalid"),
		}
	}
	switch suite {
	case SuiteEdDSARDFC2022, SuiteEdDSAJCS2022, SuiteEd25519Signature2020:
	case "":
		return bad("the proof has no type/cryptosuite")
	default:
		return notChecked(StatusUnverifiable, "proof suite %q is not supported (supported: %s, %s, %s)", suite, SuiteEdDSARDFC2022, SuiteEdDSAJCS2022, SuiteEd25519Signature2020)
	}
	if pp := str(p, "proofPurpose"); pp != "assertionMethod" {
		return bad("proof purpose is %q; a credential must be signed for \"assertionMethod\"", pp)
	}
	vm := str(p, "verificationMethod")
	if vm == "" {
		return bad("the proof names no verificationMethod")
	}
	sig, err := multibaseDecode(str(p, "proofValue"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return bad("proofValue is not a base58btc-encoded 64-byte Ed25519 signature")
	}
	if c := str(p, "created"); c != "" {
		if _, err := parseTime(c); err != nil {
			return bad("proof created: %v", err)
		}
	}
	if ex := str(p, "expires"); ex != "" {
		if t, err := parseTime(ex); err == nil && !v.now().Before(t) {
			return bad("the proof expired at %s", t.Format(time.RFC3339))
		}
	}

	key, err := v.resolveKey(ctx, vm)
	if err != nil {
		if errors.Is(err, ErrUnsupportedMethod) {
			return notChecked(StatusUnverifiable, "cannot use verification method %s: %v", vm, err)
		}
		return proofOutcome{
			proof: skip(CheckProof, StatusUnverifiable, "signature not checked: the key could not be resolved"),
			key:   skip(CheckKey, StatusUnverifiable, "could not resolve key %s: %v", vm, err),
		}
	}
	pub, ok := key.key.(ed25519.PublicKey)
	if !ok {
		return bad("suite %s needs an Ed25519 key, but %s is a %T", suite, vm, key.key)
	}

	unsecured := unsecuredDocument(doc, all, p)
	out := proofOutcome{}
	verifyWith := func(alt map[string]bool) (bool, error) {
		l := &contextLoader{ctx: ctx, v: v, alternate: alt}
		var pre []any
		if alt == nil && expanded != nil && len(strs(p, "previousProof")) == 0 {
			pre = withoutProof(expanded)
		}
		data, undefined, err := hashDataPre(ctx, l, suite, unsecured, p, pre)
		if err != nil {
			return false, err
		}
		if undefined != nil {
			out.undefined, out.canonDone = undefined, true
		}
		return ed25519.Verify(pub, data, sig), nil
	}
	valid, err := verifyWith(nil)
	if err == nil && !valid && suite != SuiteEdDSAJCS2022 && usesContext(doc, ob303Context) && usesLater303Terms(doc, 0) {
		// OB 3.0.3's context changed in place: the later revision defines
		// endorsementJwt and jti, which the embedded one drops. Such a
		// credential may have been signed with the later revision.
		alt := out
		ok2, err2 := verifyWith(map[string]bool{ob303Context: true})
		switch {
		case err2 != nil:
			return notChecked(StatusUnverifiable, "signature not checked: the credential uses terms of the later revision of the OB 3.0.3 context, which is not available: %v", err2)
		case ok2:
			valid = true
			out.alternate = true
		default:
			out = alt
		}
	}
	if err != nil {
		switch {
		case errors.Is(err, ErrContextUnavailable):
			return notChecked(StatusUnverifiable, "signature not checked: %v", err)
		case errors.Is(err, ErrUnknownContext):
			return notChecked(StatusUnverifiable, "signature not checked: %v", err)
		}
		return bad("the credential cannot be canonicalised for %s: %v", suite, err)
	}
	if !valid {
		out.proof = fail(CheckProof, StatusInvalid, "the %s signature does not match the credential: it was altered after signing or signed with another key", suite)
		out.key = skip(CheckKey, StatusInvalid, "key not trusted because the signature is invalid")
		return out
	}
	out.proof = pass(CheckProof, "valid %s signature by %s", suite, vm)
	if err := keyBelongsTo(key, issuer); err != nil {
		out.key = fail(CheckKey, StatusInvalid, "%v", err)
	} else {
		out.key = pass(CheckKey, "the signing key belongs to the issuer %s", issuer)
	}
	return out
}

// usesLater303Terms reports whether the document uses a property that
// only the later revision of the OB 3.0.3 context defines.
func usesLater303Terms(v any, depth int) bool {
	if depth > MaxJSONDepth {
		return false
	}
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if k == "endorsementJwt" || k == "jti" || usesLater303Terms(e, depth+1) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if usesLater303Terms(e, depth+1) {
				return true
			}
		}
	}
	return false
}

func usesContext(doc map[string]any, url string) bool {
	for _, c := range list(doc, "@context") {
		if s, ok := c.(string); ok && s == url {
			return true
		}
	}
	return false
}

// unsecuredDocument returns doc without its proofs, except those that p
// chains to with previousProof.
func unsecuredDocument(doc map[string]any, all []map[string]any, p map[string]any) map[string]any {
	u := make(map[string]any, len(doc))
	for k, e := range doc {
		if k != "proof" {
			u[k] = e
		}
	}
	prev := strs(p, "previousProof")
	if len(prev) == 0 {
		return u
	}
	var kept []any
	for _, q := range all {
		if slices.Contains(prev, str(q, "id")) {
			kept = append(kept, q)
		}
	}
	if len(kept) == 1 {
		u["proof"] = kept[0]
	} else if len(kept) > 1 {
		u["proof"] = kept
	}
	return u
}

// proofConfig returns the proof options that are signed: the proof
// without proofValue, with the document's @context.
func proofConfig(doc, p map[string]any) map[string]any {
	cfg := make(map[string]any, len(p))
	for k, e := range p {
		if k != "proofValue" {
			cfg[k] = e
		}
	}
	if c, ok := doc["@context"]; ok {
		cfg["@context"] = c
	} else {
		delete(cfg, "@context")
	}
	return cfg
}

// hashData computes SHA-256(canonical proof config) ‖ SHA-256(canonical
// document), the bytes an eddsa proof signs.
func hashData(ctx context.Context, l *contextLoader, suite string, doc, p map[string]any) ([]byte, []string, error) {
	return hashDataPre(ctx, l, suite, doc, p, nil)
}

// hashDataPre is hashData with the document's expansion already made
// (pre, nil when not available).
func hashDataPre(ctx context.Context, l *contextLoader, suite string, doc, p map[string]any, pre []any) ([]byte, []string, error) {
	cfg := proofConfig(doc, p)
	var cfgBytes, docBytes []byte
	var undefined []string
	switch suite {
	case SuiteEdDSAJCS2022:
		var err error
		if cfgBytes, err = CanonicalJSON(cfg); err != nil {
			return nil, nil, err
		}
		if docBytes, err = CanonicalJSON(doc); err != nil {
			return nil, nil, err
		}
	default:
		cr, err := canonicalize(ctx, l, cfg)
		if err != nil {
			return nil, nil, fmt.Errorf("proof options: %w", err)
		}
		if len(cr.undefined) > 0 {
			return nil, nil, fmt.Errorf("proof options contain undefined terms %s", strings.Join(cr.undefined, ", "))
		}
		cfgBytes = []byte(cr.nquads)
		if pre != nil {
			nq, err := canonicalizeExpanded(ctx, pre, ldOptions(l))
			if err != nil {
				return nil, nil, err
			}
			docBytes = []byte(nq)
		} else {
			dr, err := canonicalize(ctx, l, doc)
			if err != nil {
				return nil, nil, err
			}
			docBytes = []byte(dr.nquads)
			undefined = dr.undefined
		}
		if undefined == nil {
			undefined = []string{}
		}
	}
	h1 := sha256.Sum256(cfgBytes)
	h2 := sha256.Sum256(docBytes)
	return append(h1[:], h2[:]...), undefined, nil
}

// SignDataIntegrity signs an unsigned credential with an Ed25519 key using
// a DataIntegrityProof with the eddsa-rdfc-2022 cryptosuite and returns a
// signed copy (doc is not modified). verificationMethod is the key's id,
// e.g. DIDKeyVerificationMethod(pub); the credential's issuer must be the
// key's controller for it to verify. The credential's contexts must be
// embedded ones; the data-integrity terms come from the VC 2.0 context (for
// a VC 1.1 credential, add "https://w3id.org/security/data-integrity/v2").
func SignDataIntegrity(doc map[string]any, priv ed25519.PrivateKey, verificationMethod string, created time.Time) (map[string]any, error) {
	return signProof(doc, priv, verificationMethod, created, SuiteEdDSARDFC2022)
}

// signProof adds a proof of the given suite to a copy of doc.
func signProof(doc map[string]any, priv ed25519.PrivateKey, vm string, created time.Time, suite string) (map[string]any, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, errors.New("SignDataIntegrity: not an Ed25519 private key")
	}
	out := cloneJSON(doc).(map[string]any)
	existing := list(out, "proof")
	delete(out, "proof")
	p := map[string]any{
		"type":               "DataIntegrityProof",
		"cryptosuite":        suite,
		"created":            created.UTC().Format(time.RFC3339),
		"verificationMethod": vm,
		"proofPurpose":       "assertionMethod",
	}
	if suite == SuiteEd25519Signature2020 {
		p["type"] = SuiteEd25519Signature2020
		delete(p, "cryptosuite")
	}
	l := &contextLoader{}
	data, undefined, err := hashData(context.Background(), l, suite, out, p)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	if len(undefined) > 0 {
		return nil, fmt.Errorf("signing: the credential has properties no context defines (%s); they would not be signed", strings.Join(undefined, ", "))
	}
	p["proofValue"] = "z" + base58Encode(ed25519.Sign(priv, data))
	if len(existing) == 0 {
		out["proof"] = p
	} else {
		out["proof"] = append(existing, p)
	}
	return out, nil
}
