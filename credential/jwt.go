package credential

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// jwtToken is a decoded compact JWS (VC-JWT).
type jwtToken struct {
	header       map[string]any
	payload      map[string]any
	signingInput []byte
	signature    []byte
}

// maxJWTBytes bounds a VC-JWT.
const maxJWTBytes = 1 << 20

// parseJWT decodes a VC-JWT: a compact JWS whose payload is either a VCDM
// 2.0 credential (vc+jwt) or a JWT claims set with a "vc" claim (VCDM 1.1,
// where iss, sub, jti, nbf and exp stand for the credential's fields).
func parseJWT(data []byte) (*Credential, error) {
	t := bytes.TrimSpace(data)
	if len(t) > maxJWTBytes {
		return nil, fmt.Errorf("JWT of %d bytes exceeds %d: %w", len(t), maxJWTBytes, ErrTooLarge)
	}
	parts := strings.Split(string(t), ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("a VC-JWT has three dot-separated parts, found %d: %w", len(parts), ErrNotCredential)
	}
	hb, err := b64url(parts[0])
	if err != nil {
		return nil, fmt.Errorf("JWT header is not base64url: %w", err)
	}
	pb, err := b64url(parts[1])
	if err != nil {
		return nil, fmt.Errorf("JWT payload is not base64url: %w", err)
	}
	sig, err := b64url(parts[2])
	if err != nil {
		return nil, fmt.Errorf("JWT signature is not base64url: %w", err)
	}
	header, err := decodeObject(hb)
	if err != nil {
		return nil, fmt.Errorf("JWT header: %w", err)
	}
	payload, err := decodeObject(pb)
	if err != nil {
		return nil, fmt.Errorf("JWT payload: %w", err)
	}
	tok := &jwtToken{header: header, payload: payload, signingInput: []byte(parts[0] + "." + parts[1]), signature: sig}
	doc := payload
	if vc, ok := payload["vc"].(map[string]any); ok {
		doc = cloneJSON(vc).(map[string]any)
		// VCDM 1.1 JWT encoding: registered claims stand for VC fields.
		if iss, ok := payload["iss"].(string); ok {
			if is, ok := doc["issuer"].(map[string]any); ok {
				is["id"] = iss
			} else {
				doc["issuer"] = iss
			}
		}
		if jti, ok := payload["jti"].(string); ok {
			doc["id"] = jti
		}
		if sub, ok := payload["sub"].(string); ok {
			if cs, ok := doc["credentialSubject"].(map[string]any); ok {
				cs["id"] = sub
			}
		}
		if nbf, ok := payload["nbf"].(float64); ok {
			doc["issuanceDate"] = time.Unix(int64(nbf), 0).UTC().Format(time.RFC3339)
		}
		if exp, ok := payload["exp"].(float64); ok {
			doc["expirationDate"] = time.Unix(int64(exp), 0).UTC().Format(time.RFC3339)
		}
	}
	c, err := fromDocument(doc, data, 0)
	if err != nil {
		return nil, fmt.Errorf("credential in JWT: %w", err)
	}
	if c.Format != FormatCLR {
		c.Format = FormatVCJWT
	}
	c.jwt = tok
	// VCDM 2.0 vc+jwt: exp/nbf still bound the token.
	if _, ok := payload["vc"]; !ok {
		if exp, ok := payload["exp"].(float64); ok {
			t := time.Unix(int64(exp), 0).UTC()
			if c.ValidUntil.IsZero() || t.Before(c.ValidUntil) {
				c.ValidUntil = t
			}
		}
		if nbf, ok := payload["nbf"].(float64); ok {
			t := time.Unix(int64(nbf), 0).UTC()
			if t.After(c.ValidFrom) {
				c.ValidFrom = t
			}
		}
	}
	return c, nil
}

// jwtIssuer returns the issuer a VC-JWT claims: iss, else the credential's.
func jwtIssuer(c *Credential) string {
	if iss, ok := c.jwt.payload["iss"].(string); ok && iss != "" {
		return iss
	}
	return c.Issuer.ID
}

// verifyJWT checks the JWS signature and that the key belongs to the
// issuer. Algorithms are bound to key types: EdDSA↔Ed25519, ES256↔P-256,
// RS256↔RSA; "none" and any other algorithm are refused.
func (v *Verifier) verifyJWT(ctx context.Context, c *Credential) (Check, Check) {
	tok := c.jwt
	alg := str(tok.header, "alg")
	noKey := func(format string, args ...any) (Check, Check) {
		return fail(CheckProof, StatusInvalid, format, args...), skip(CheckKey, StatusInvalid, "key not checked because the token is invalid")
	}
	switch alg {
	case "EdDSA", "ES256", "RS256":
	case "none", "":
		return noKey("the token is unsigned (alg %q); unsigned credentials are refused", alg)
	case "HS256", "HS384", "HS512":
		return noKey("the token uses the shared-secret algorithm %s, which an issuer's public key cannot verify; refused", alg)
	default:
		return skip(CheckProof, StatusUnverifiable, "JWT algorithm %q is not supported (EdDSA, ES256, RS256)", alg), skip(CheckKey, StatusUnverifiable, "key not checked")
	}
	if crit, ok := tok.header["crit"]; ok {
		return noKey("the token has critical header parameters %v that Skillmatch does not understand", crit)
	}
	iss := jwtIssuer(c)
	if c.Issuer.ID != "" && iss != c.Issuer.ID {
		return noKey("the token's iss %q differs from the credential's issuer %q", iss, c.Issuer.ID)
	}
	kid := str(tok.header, "kid")
	vm := kid
	switch {
	case kid == "":
		if strings.HasPrefix(iss, "did:key:") || strings.HasPrefix(iss, "did:jwk:") {
			vm = iss
		} else {
			return noKey("the token names no key (kid) and its issuer %q does not embed one", iss)
		}
	case strings.HasPrefix(kid, "#"):
		vm = iss + kid
	case !strings.Contains(kid, ":") && strings.HasPrefix(iss, "https://"):
		vm = strings.TrimSuffix(iss, "/") + "#" + kid
	}
	if strings.HasPrefix(vm, "did:jwk:") && !strings.Contains(vm, "#") {
		vm += "#0"
	}
	key, err := v.resolveKey(ctx, vm)
	if err != nil {
		if errors.Is(err, ErrUnsupportedMethod) {
			return skip(CheckProof, StatusUnverifiable, "cannot use key %s: %v", vm, err), skip(CheckKey, StatusUnverifiable, "key not checked")
		}
		return skip(CheckProof, StatusUnverifiable, "signature not checked: the key could not be resolved"), skip(CheckKey, StatusUnverifiable, "could not resolve key %s: %v", vm, err)
	}
	if err := verifyJWS(alg, key.key, tok.signingInput, tok.signature); err != nil {
		return fail(CheckProof, StatusInvalid, "the %s signature does not match the token: %v", alg, err), skip(CheckKey, StatusInvalid, "key not trusted because the signature is invalid")
	}
	proof := pass(CheckProof, "valid %s JWT signature by %s", alg, vm)
	if err := keyBelongsTo(key, iss); err != nil {
		return proof, fail(CheckKey, StatusInvalid, "%v", err)
	}
	return proof, pass(CheckKey, "the signing key belongs to the issuer %s", iss)
}

// verifyJWS verifies a JWS signature, refusing algorithm/key mismatches.
func verifyJWS(alg string, key crypto.PublicKey, input, sig []byte) error {
	switch alg {
	case "EdDSA":
		k, ok := key.(ed25519.PublicKey)
		if !ok {
			return fmt.Errorf("algorithm EdDSA needs an Ed25519 key, the key is %T", key)
		}
		if !ed25519.Verify(k, input, sig) {
			return errors.New("signature mismatch")
		}
	case "ES256":
		k, ok := key.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("algorithm ES256 needs a P-256 key, the key is %T", key)
		}
		if len(sig) != 64 {
			return errors.New("ES256 signature must be 64 bytes")
		}
		h := sha256.Sum256(input)
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		if !ecdsa.Verify(k, h[:], r, s) {
			return errors.New("signature mismatch")
		}
	case "RS256":
		k, ok := key.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("algorithm RS256 needs an RSA key, the key is %T", key)
		}
		h := sha256.Sum256(input)
		if err := rsa.VerifyPKCS1v15(k, crypto.SHA256, h[:], sig); err != nil {
			return errors.New("signature mismatch")
		}
	default:
		return fmt.Errorf("algorithm %q refused", alg)
	}
	return nil
}

// encodeJWT builds a compact JWS from header and payload with a signer;
// used by tests and demo data.
func encodeJWT(header, payload map[string]any, sign func([]byte) ([]byte, error)) (string, error) {
	hb, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	pb, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	input := b64urlEncode(hb) + "." + b64urlEncode(pb)
	sig, err := sign([]byte(input))
	if err != nil {
		return "", err
	}
	return input + "." + b64urlEncode(sig), nil
}
