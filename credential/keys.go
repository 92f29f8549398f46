package credential

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strings"
)

// Errors of key resolution.
var (
	// ErrUnsupportedMethod: a DID method or key type Skillmatch cannot use.
	ErrUnsupportedMethod = errors.New("unsupported DID method or key type")
	// ErrKeyNotFound: the key document does not contain the key.
	ErrKeyNotFound = errors.New("verification method not found")
)

// verificationKey is a resolved verification method.
type verificationKey struct {
	id         string
	controller string
	key        crypto.PublicKey
	// relationships the key is listed under in its DID document
	// (nil when the source has none, e.g. did:key, bare key documents).
	purposes []string
	// hosted: the key came from a JWKS at controller (an https URL); it
	// belongs to an https issuer whose URL is, or is a prefix of, that URL.
	hosted bool
}

// multicodec prefix of an Ed25519 public key.
var ed25519Multicodec = []byte{0xed, 0x01}

// DIDKeyFromPublic returns the did:key identifier (z6Mk…) of an Ed25519
// public key. Its verification method is DID + "#" + the part after
// "did:key:".
func DIDKeyFromPublic(pub ed25519.PublicKey) string {
	return "did:key:" + Ed25519Multikey(pub)
}

// Ed25519Multikey returns the publicKeyMultibase (base58btc, z6Mk…) of an
// Ed25519 public key.
func Ed25519Multikey(pub ed25519.PublicKey) string {
	return "z" + base58Encode(append(slices.Clone(ed25519Multicodec), pub...))
}

// DIDKeyVerificationMethod returns the verification method id of a did:key.
func DIDKeyVerificationMethod(pub ed25519.PublicKey) string {
	mk := Ed25519Multikey(pub)
	return "did:key:" + mk + "#" + mk
}

// ed25519FromMultikey decodes a z6Mk… multikey.
func ed25519FromMultikey(mb string) (ed25519.PublicKey, error) {
	b, err := multibaseDecode(mb)
	if err != nil {
		return nil, fmt.Errorf("publicKeyMultibase %q: %w", mb, err)
	}
	if len(b) != 2+ed25519.PublicKeySize || b[0] != 0xed || b[1] != 0x01 {
		return nil, fmt.Errorf("publicKeyMultibase %q is not an Ed25519 multikey (z6Mk…): %w", mb, ErrUnsupportedMethod)
	}
	return ed25519.PublicKey(b[2:]), nil
}

// splitFragment splits a verification method id into document URL and
// fragment.
func splitFragment(id string) (string, string) {
	base, frag, _ := strings.Cut(id, "#")
	return base, frag
}

// resolveKey resolves a verification method id to a key.
func (v *Verifier) resolveKey(ctx context.Context, vm string) (*verificationKey, error) {
	base, frag := splitFragment(vm)
	switch {
	case strings.HasPrefix(base, "did:key:"):
		mk := strings.TrimPrefix(base, "did:key:")
		if frag != "" && frag != mk {
			return nil, fmt.Errorf("did:key verification method %s: fragment must repeat the key: %w", vm, ErrKeyNotFound)
		}
		pub, err := ed25519FromMultikey(mk)
		if err != nil {
			return nil, err
		}
		return &verificationKey{id: vm, controller: base, key: pub}, nil
	case strings.HasPrefix(base, "did:jwk:"):
		raw, err := b64url(strings.TrimPrefix(base, "did:jwk:"))
		if err != nil {
			return nil, fmt.Errorf("did:jwk %s: not base64url: %w", base, err)
		}
		var jwk map[string]any
		if err := json.Unmarshal(raw, &jwk); err != nil {
			return nil, fmt.Errorf("did:jwk %s: not a JSON JWK: %w", base, err)
		}
		k, err := jwkKey(jwk)
		if err != nil {
			return nil, fmt.Errorf("did:jwk %s: %w", base, err)
		}
		return &verificationKey{id: vm, controller: base, key: k}, nil
	case strings.HasPrefix(base, "did:web:"):
		u, err := didWebURL(base)
		if err != nil {
			return nil, err
		}
		doc, err := v.fetchJSON(ctx, u)
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", base, err)
		}
		if str(doc, "id") != base {
			return nil, fmt.Errorf("DID document at %s has id %q, expected %q: %w", u, str(doc, "id"), base, ErrKeyNotFound)
		}
		return findMethod(doc, base, vm)
	case strings.HasPrefix(base, "did:"):
		method, _, _ := strings.Cut(strings.TrimPrefix(base, "did:"), ":")
		return nil, fmt.Errorf("DID method %q (in %s): %w", method, vm, ErrUnsupportedMethod)
	case strings.HasPrefix(base, "https://") || strings.HasPrefix(base, "http://"):
		doc, err := v.fetchJSON(ctx, base)
		if err != nil {
			return nil, fmt.Errorf("resolving key %s: %w", vm, err)
		}
		// A JWKS: the key is the one whose kid is the fragment.
		if keys, ok := doc["keys"].([]any); ok {
			for _, k := range keys {
				jwk, _ := k.(map[string]any)
				if jwk != nil && (str(jwk, "kid") == frag || str(jwk, "kid") == vm) {
					pk, err := jwkKey(jwk)
					if err != nil {
						return nil, fmt.Errorf("key %s in JWKS %s: %w", frag, base, err)
					}
					return &verificationKey{id: vm, controller: base, key: pk, hosted: true}, nil
				}
			}
			return nil, fmt.Errorf("JWKS %s has no key with kid %q: %w", base, frag, ErrKeyNotFound)
		}
		// A key document (Multikey, Ed25519VerificationKey2020, …).
		if str(doc, "id") == vm && (doc["publicKeyMultibase"] != nil || doc["publicKeyJwk"] != nil || doc["publicKeyBase58"] != nil) {
			k, err := methodKey(doc)
			if err != nil {
				return nil, fmt.Errorf("key document %s: %w", base, err)
			}
			return &verificationKey{id: vm, controller: str(doc, "controller"), key: k}, nil
		}
		// A controller document (issuer profile or DID-like document).
		return findMethod(doc, str(doc, "id"), vm)
	}
	return nil, fmt.Errorf("verification method %q is neither a DID nor an https URL: %w", vm, ErrUnsupportedMethod)
}

// didWebURL maps did:web:host[:path…] to its DID document URL.
func didWebURL(did string) (string, error) {
	parts := strings.Split(strings.TrimPrefix(did, "did:web:"), ":")
	for i, p := range parts {
		d, err := url.PathUnescape(p)
		if err != nil || d == "" || strings.Contains(d, "/") && i > 0 {
			return "", fmt.Errorf("%s is not a valid did:web identifier", did)
		}
		parts[i] = d
	}
	host := parts[0]
	if strings.ContainsAny(host, "/?#@") {
		return "", fmt.Errorf("%s: host %q is not valid", did, host)
	}
	if len(parts) == 1 {
		return "https://" + host + "/.well-known/did.json", nil
	}
	return "https://" + host + "/" + strings.Join(parts[1:], "/") + "/did.json", nil
}

// findMethod finds verification method vm in a DID/controller document.
func findMethod(doc map[string]any, docID, vm string) (*verificationKey, error) {
	abs := func(id string) string {
		if strings.HasPrefix(id, "#") {
			return docID + id
		}
		return id
	}
	var purposes []string
	for _, rel := range []string{"assertionMethod", "authentication"} {
		for _, e := range list(doc, rel) {
			id := idOrString(e)
			if abs(id) == vm {
				purposes = append(purposes, rel)
			}
		}
	}
	var cands []map[string]any
	cands = append(cands, objs(doc, "verificationMethod")...)
	cands = append(cands, objs(doc, "assertionMethod")...)
	cands = append(cands, objs(doc, "publicKey")...)
	for _, m := range cands {
		if abs(str(m, "id")) != vm {
			continue
		}
		k, err := methodKey(m)
		if err != nil {
			return nil, fmt.Errorf("verification method %s: %w", vm, err)
		}
		ctrl := str(m, "controller")
		if ctrl == "" {
			ctrl = docID
		}
		// DID documents (and documents that list relationships) must list
		// the key as an assertionMethod; plain issuer profiles need not.
		_, hasAM := doc["assertionMethod"]
		if purposes == nil && (hasAM || strings.HasPrefix(docID, "did:")) {
			purposes = []string{}
		}
		return &verificationKey{id: vm, controller: ctrl, key: k, purposes: purposes}, nil
	}
	return nil, fmt.Errorf("%s does not list verification method %s: %w", docID, vm, ErrKeyNotFound)
}

// methodKey extracts the public key of a verification method object.
func methodKey(m map[string]any) (crypto.PublicKey, error) {
	switch {
	case str(m, "publicKeyMultibase") != "":
		return ed25519FromMultikey(str(m, "publicKeyMultibase"))
	case obj(m, "publicKeyJwk") != nil:
		return jwkKey(obj(m, "publicKeyJwk"))
	case str(m, "publicKeyBase58") != "":
		b, err := base58Decode(str(m, "publicKeyBase58"))
		if err != nil || len(b) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("publicKeyBase58 is not an Ed25519 key: %w", ErrUnsupportedMethod)
		}
		return ed25519.PublicKey(b), nil
	}
	return nil, fmt.Errorf("no publicKeyMultibase, publicKeyJwk or publicKeyBase58: %w", ErrUnsupportedMethod)
}

// jwkKey converts a public JWK (OKP Ed25519, EC P-256, RSA ≥ 2048 bits).
func jwkKey(jwk map[string]any) (crypto.PublicKey, error) {
	if jwk["d"] != nil {
		return nil, errors.New("the JWK contains a private key; refusing it")
	}
	dec := func(field string) ([]byte, error) {
		b, err := b64url(str(jwk, field))
		if err != nil || len(b) == 0 {
			return nil, fmt.Errorf("JWK field %q is missing or not base64url", field)
		}
		return b, nil
	}
	switch str(jwk, "kty") {
	case "OKP":
		if str(jwk, "crv") != "Ed25519" {
			return nil, fmt.Errorf("OKP curve %q: %w", str(jwk, "crv"), ErrUnsupportedMethod)
		}
		x, err := dec("x")
		if err != nil {
			return nil, err
		}
		if len(x) != ed25519.PublicKeySize {
			return nil, errors.New("Ed25519 JWK x must be 32 bytes")
		}
		return ed25519.PublicKey(x), nil
	case "EC":
		if str(jwk, "crv") != "P-256" {
			return nil, fmt.Errorf("EC curve %q: %w", str(jwk, "crv"), ErrUnsupportedMethod)
		}
		x, err := dec("x")
		if err != nil {
			return nil, err
		}
		y, err := dec("y")
		if err != nil {
			return nil, err
		}
		if len(x) != 32 || len(y) != 32 {
			return nil, errors.New("P-256 JWK x and y must be 32 bytes")
		}
		uncompressed := append(append([]byte{4}, x...), y...)
		pk, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), uncompressed)
		if err != nil {
			return nil, fmt.Errorf("P-256 JWK: %w", err)
		}
		return pk, nil
	case "RSA":
		n, err := dec("n")
		if err != nil {
			return nil, err
		}
		e, err := dec("e")
		if err != nil {
			return nil, err
		}
		if len(e) > 4 {
			return nil, errors.New("RSA exponent too large")
		}
		pk := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if pk.N.BitLen() < 2048 {
			return nil, fmt.Errorf("RSA key of %d bits is too short (2048 minimum)", pk.N.BitLen())
		}
		return pk, nil
	}
	return nil, fmt.Errorf("JWK key type %q: %w", str(jwk, "kty"), ErrUnsupportedMethod)
}

// fetchJSON fetches and decodes a JSON object.
func (v *Verifier) fetchJSON(ctx context.Context, u string) (map[string]any, error) {
	data, err := v.Fetch(ctx, u)
	if err != nil {
		return nil, err
	}
	doc, err := decodeObject(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return doc, nil
}

// keyBelongsTo checks that a resolved key is controlled by the issuer.
func keyBelongsTo(k *verificationKey, issuer string) error {
	if k.controller == "" {
		return fmt.Errorf("the key %s names no controller, so it cannot be tied to issuer %s", k.id, issuer)
	}
	if k.hosted && strings.HasPrefix(k.controller, strings.TrimSuffix(issuer, "/")+"/") && strings.HasPrefix(issuer, "https://") {
		return nil
	}
	if normIssuer(k.controller) != normIssuer(issuer) {
		return fmt.Errorf("the key %s is controlled by %s, not by the issuer %s", k.id, k.controller, issuer)
	}
	if k.purposes != nil && !slices.Contains(k.purposes, "assertionMethod") {
		return fmt.Errorf("the key %s is not listed as an assertionMethod of %s", k.id, issuer)
	}
	return nil
}
