package credential

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

type testKey struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
	did  string
	vm   string
}

func newKey(t testing.TB) testKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{pub, priv, DIDKeyFromPublic(pub), DIDKeyVerificationMethod(pub)}
}

// ob3 returns an unsigned OB 3.0 credential issued by issuer.
func ob3(issuer string) map[string]any {
	return map[string]any{
		"@context":  []any{contextVC2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":        "urn:uuid:3f1c6f8e-0000-4000-8000-000000000001",
		"type":      []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":    map[string]any{"id": issuer, "type": []any{"Profile"}, "name": "Test College"},
		"name":      "Go programming",
		"validFrom": "2024-01-01T00:00:00Z",
		"credentialSubject": map[string]any{
			"type": []any{"AchievementSubject"},
			"identifier": []any{map[string]any{
				"type": "IdentityObject", "identityType": "emailAddress", "hashed": true, "salt": "pepper",
				"identityHash": "sha256$" + sha256Hex("ada@example.org"+"pepper"),
			}},
			"achievement": map[string]any{
				"id":              "https://college.example/achievements/go",
				"type":            []any{"Achievement"},
				"name":            "Go programming",
				"description":     "Writes idiomatic Go.",
				"criteria":        map[string]any{"narrative": "Passed the exam."},
				"achievementType": "Certificate",
				"tag":             []any{"go", "programming"},
				"alignment": []any{map[string]any{
					"type": []any{"Alignment"}, "targetName": "Go (programming language)",
					"targetUrl": "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d", "targetFramework": "ESCO",
					"targetCode": "ccd0a1d9", "targetType": "ceasn:Competency",
				}},
			},
		},
	}
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func mustSign(t testing.TB, doc map[string]any, k testKey, suite string) map[string]any {
	t.Helper()
	s, err := signProof(doc, k.priv, k.vm, testNow.Add(-time.Hour), suite)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustParse(t testing.TB, doc map[string]any) *Credential {
	t.Helper()
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// noNetwork is an HTTP client that fails the test if used.
func noNetwork(t *testing.T) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected network access to %s", r.URL)
		return nil, errors.New("network forbidden in this test")
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// statusServer serves bitstring status list credentials signed by k.
type statusServer struct {
	srv   *httptest.Server
	lists map[string][]byte
}

func newStatusServer(t *testing.T) *statusServer {
	s := &statusServer{lists: map[string][]byte{}}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := s.lists[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/vc+ld+json")
		w.Write(b)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// addList publishes a status list of n bits with the given bits set.
func (s *statusServer) addList(t *testing.T, path string, k testKey, purpose string, n int, set ...int) string {
	bits := make([]byte, n/8)
	for _, i := range set {
		bits[i/8] |= 1 << (7 - uint(i%8))
	}
	enc, err := EncodeStatusList(bits)
	if err != nil {
		t.Fatal(err)
	}
	u := s.srv.URL + path
	doc := map[string]any{
		"@context":  []any{contextVC2},
		"id":        u,
		"type":      []any{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer":    k.did,
		"validFrom": "2024-01-01T00:00:00Z",
		"credentialSubject": map[string]any{
			"id": u + "#list", "type": "BitstringStatusList", "statusPurpose": purpose, "encodedList": enc,
		},
	}
	signed := mustSign(t, doc, k, SuiteEdDSARDFC2022)
	s.lists[path], _ = json.Marshal(signed)
	return u
}

// add2021List publishes a StatusList2021 revocation list (VC 1.1).
func (s *statusServer) add2021List(t *testing.T, path string, k testKey, n int, set ...int) string {
	bits := make([]byte, n/8)
	for _, i := range set {
		bits[i/8] |= 1 << (7 - uint(i%8))
	}
	enc, err := EncodeStatusList(bits)
	if err != nil {
		t.Fatal(err)
	}
	u := s.srv.URL + path
	doc := map[string]any{
		"@context":     []any{contextVC1, "https://w3id.org/vc/status-list/2021/v1", "https://w3id.org/security/data-integrity/v2"},
		"id":           u,
		"type":         []any{"VerifiableCredential", "StatusList2021Credential"},
		"issuer":       k.did,
		"issuanceDate": "2024-01-01T00:00:00Z",
		"credentialSubject": map[string]any{
			"id": u + "#list", "type": "StatusList2021", "statusPurpose": "revocation", "encodedList": strings.TrimPrefix(enc, "u"),
		},
	}
	signed := mustSign(t, doc, k, SuiteEdDSARDFC2022)
	s.lists[path], _ = json.Marshal(signed)
	return u
}

func withStatus(doc map[string]any, listURL, purpose string, index int) map[string]any {
	d := cloneJSON(doc).(map[string]any)
	d["credentialStatus"] = map[string]any{
		"id": fmt.Sprintf("%s#%d", listURL, index), "type": "BitstringStatusListEntry",
		"statusPurpose": purpose, "statusListIndex": fmt.Sprint(index), "statusListCredential": listURL,
	}
	return d
}

func TestVerifyCases(t *testing.T) {
	iss := newKey(t)
	other := newKey(t)
	ss := newStatusServer(t)
	revURL := ss.addList(t, "/status/revocation", iss, "revocation", minStatusListBits, 7, 42)
	susURL := ss.addList(t, "/status/suspension", iss, "suspension", minStatusListBits, 9)
	shortURL := ss.addList(t, "/status/short", iss, "revocation", 1024)
	foreignURL := ss.addList(t, "/status/foreign", other, "revocation", minStatusListBits)
	sl2021URL := ss.add2021List(t, "/status/2021", iss, minStatusListBits, 11)
	edtechURL := ss.srv.URL + "/revocations"
	ss.lists["/revocations"], _ = json.Marshal(map[string]any{
		"id": edtechURL, "issuer": iss.did,
		"revokedCredentials": []any{map[string]any{"id": "urn:uuid:revoked-1", "revocationReason": "issued in error"}},
	})
	trust := &TrustList{Issuers: []TrustedIssuer{{ID: iss.did, Name: "Test College"}}}

	// did:web issuer served by an httptest TLS server.
	webSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	}))
	defer webSrv.Close()
	host := strings.TrimPrefix(webSrv.URL, "https://")
	didWeb := "did:web:" + strings.ReplaceAll(host, ":", "%3A")

	type tc struct {
		name     string
		doc      func() map[string]any
		verifier func(v *Verifier)
		status   Status
		results  map[string]Result
		inspect  func(t *testing.T, c *Credential)
	}
	signed := func(d map[string]any) map[string]any { return mustSign(t, d, iss, SuiteEdDSARDFC2022) }
	cases := []tc{
		{name: "valid eddsa-rdfc-2022", doc: func() map[string]any { return signed(ob3(iss.did)) }, status: StatusValid,
			results: map[string]Result{CheckFormat: ResultPass, CheckProof: ResultPass, CheckKey: ResultPass, CheckValidity: ResultPass, CheckStatus: ResultSkip, CheckRecipient: ResultPass, CheckIssuerTrust: ResultPass},
			inspect: func(t *testing.T, c *Credential) {
				if c.Format != FormatOB3 || c.Achievement.Name != "Go programming" || len(c.Achievement.Alignments) != 1 || c.Achievement.Alignments[0].TargetFramework != "ESCO" {
					t.Errorf("parsed record %+v", c.Achievement)
				}
				if !c.ValidFrom.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) || c.Issuer.Name != "Test College" {
					t.Errorf("dates/issuer %v %+v", c.ValidFrom, c.Issuer)
				}
			}},
		{name: "valid eddsa-jcs-2022", doc: func() map[string]any { return mustSign(t, ob3(iss.did), iss, SuiteEdDSAJCS2022) }, status: StatusValid},
		{name: "valid Ed25519Signature2020", doc: func() map[string]any {
			d := ob3(iss.did)
			d["@context"] = append(d["@context"].([]any), "https://w3id.org/security/suites/ed25519-2020/v1")
			return mustSign(t, d, iss, SuiteEd25519Signature2020)
		}, status: StatusValid},
		{name: "VC 1.1 credential", doc: func() map[string]any {
			d := ob3(iss.did)
			d["@context"] = []any{contextVC1, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://w3id.org/security/data-integrity/v2"}
			delete(d, "validFrom")
			d["issuanceDate"] = "2024-01-01T00:00:00Z"
			d["expirationDate"] = "2030-01-01T00:00:00Z"
			return signed(d)
		}, status: StatusValid, inspect: func(t *testing.T, c *Credential) {
			if c.ValidUntil.Year() != 2030 || c.IssuedAt.Year() != 2024 {
				t.Errorf("VC 1.1 dates: %v %v", c.IssuedAt, c.ValidUntil)
			}
		}},
		{name: "tampered field", doc: func() map[string]any {
			d := signed(ob3(iss.did))
			d["credentialSubject"].(map[string]any)["achievement"].(map[string]any)["name"] = "Rust programming"
			return d
		}, status: StatusInvalid, results: map[string]Result{CheckProof: ResultFail}},
		{name: "tampered jcs field", doc: func() map[string]any {
			d := mustSign(t, ob3(iss.did), iss, SuiteEdDSAJCS2022)
			d["name"] = "Other"
			return d
		}, status: StatusInvalid, results: map[string]Result{CheckProof: ResultFail}},
		{name: "tampered proof", doc: func() map[string]any {
			d := signed(ob3(iss.did))
			p := d["proof"].(map[string]any)
			p["created"] = "2024-02-02T00:00:00Z"
			return d
		}, status: StatusInvalid, results: map[string]Result{CheckProof: ResultFail}},
		{name: "tampered proofValue", doc: func() map[string]any {
			d := signed(ob3(iss.did))
			p := d["proof"].(map[string]any)
			sig, _ := multibaseDecode(p["proofValue"].(string))
			sig[10] ^= 1
			p["proofValue"] = "z" + base58Encode(sig)
			return d
		}, status: StatusInvalid, results: map[string]Result{CheckProof: ResultFail}},
		{name: "key of another controller", doc: func() map[string]any { return mustSign(t, ob3(iss.did), other, SuiteEdDSARDFC2022) },
			status: StatusInvalid, results: map[string]Result{CheckProof: ResultPass, CheckKey: ResultFail}},
		{name: "two proofs, one by the issuer", doc: func() map[string]any {
			return mustSign(t, mustSign(t, ob3(iss.did), other, SuiteEdDSARDFC2022), iss, SuiteEdDSARDFC2022)
		}, status: StatusValid},
		{name: "no proof", doc: func() map[string]any { return ob3(iss.did) }, status: StatusInvalid, results: map[string]Result{CheckProof: ResultFail}},
		{name: "unsupported suite", doc: func() map[string]any {
			d := signed(ob3(iss.did))
			d["proof"].(map[string]any)["cryptosuite"] = "ecdsa-sd-2023"
			return d
		}, status: StatusUnverifiable, results: map[string]Result{CheckProof: ResultSkip}},
		{name: "expired", doc: func() map[string]any {
			d := ob3(iss.did)
			d["validUntil"] = "2025-01-01T00:00:00Z"
			return signed(d)
		}, status: StatusExpired, results: map[string]Result{CheckValidity: ResultFail}},
		{name: "not yet valid", doc: func() map[string]any {
			d := ob3(iss.did)
			d["validFrom"] = "2026-01-01T00:00:00Z"
			return signed(d)
		}, status: StatusNotYetValid, results: map[string]Result{CheckValidity: ResultFail}},
		{name: "expired and revoked: revoked wins", doc: func() map[string]any {
			d := withStatus(ob3(iss.did), revURL, "revocation", 42)
			d["validUntil"] = "2025-01-01T00:00:00Z"
			return signed(d)
		}, status: StatusRevoked},
		{name: "revoked", doc: func() map[string]any { return signed(withStatus(ob3(iss.did), revURL, "revocation", 7)) },
			status: StatusRevoked, results: map[string]Result{CheckStatus: ResultFail}},
		{name: "not revoked", doc: func() map[string]any { return signed(withStatus(ob3(iss.did), revURL, "revocation", 8)) },
			status: StatusValid, results: map[string]Result{CheckStatus: ResultPass}},
		{name: "suspended", doc: func() map[string]any { return signed(withStatus(ob3(iss.did), susURL, "suspension", 9)) },
			status: StatusSuspended, results: map[string]Result{CheckStatus: ResultFail}},
		{name: "short status list warns", doc: func() map[string]any { return signed(withStatus(ob3(iss.did), shortURL, "revocation", 3)) },
			status: StatusValid, results: map[string]Result{CheckStatus: ResultWarn}},
		{name: "index beyond the list", doc: func() map[string]any { return signed(withStatus(ob3(iss.did), shortURL, "revocation", 5000)) },
			status: StatusInvalid, results: map[string]Result{CheckStatus: ResultFail}},
		{name: "revoked on a StatusList2021", doc: func() map[string]any {
			d := ob3(iss.did)
			d["@context"] = append(d["@context"].([]any), "https://w3id.org/vc/status-list/2021/v1")
			d["credentialStatus"] = map[string]any{"id": sl2021URL + "#11", "type": "StatusList2021Entry", "statusPurpose": "revocation", "statusListIndex": "11", "statusListCredential": sl2021URL}
			return signed(d)
		}, status: StatusRevoked, results: map[string]Result{CheckStatus: ResultFail}},
		{name: "not revoked on a StatusList2021", doc: func() map[string]any {
			d := ob3(iss.did)
			d["@context"] = append(d["@context"].([]any), "https://w3id.org/vc/status-list/2021/v1")
			d["credentialStatus"] = map[string]any{"id": sl2021URL + "#12", "type": "StatusList2021Entry", "statusPurpose": "revocation", "statusListIndex": "12", "statusListCredential": sl2021URL}
			return signed(d)
		}, status: StatusValid, results: map[string]Result{CheckStatus: ResultPass}},
		{name: "revoked on a 1EdTech revocation list", doc: func() map[string]any {
			d := ob3(iss.did)
			d["id"] = "urn:uuid:revoked-1"
			d["credentialStatus"] = map[string]any{"id": edtechURL, "type": "1EdTechRevocationList"}
			return signed(d)
		}, status: StatusRevoked, results: map[string]Result{CheckStatus: ResultFail}},
		{name: "not on the 1EdTech revocation list", doc: func() map[string]any {
			d := ob3(iss.did)
			d["credentialStatus"] = map[string]any{"id": edtechURL, "type": "1EdTechRevocationList"}
			return signed(d)
		}, status: StatusValid, results: map[string]Result{CheckStatus: ResultPass}},
		{name: "status list of another issuer", doc: func() map[string]any { return signed(withStatus(ob3(iss.did), foreignURL, "revocation", 3)) },
			status: StatusUnverifiable, results: map[string]Result{CheckStatus: ResultSkip}},
		{name: "status list unreachable", doc: func() map[string]any {
			return signed(withStatus(ob3(iss.did), ss.srv.URL+"/status/missing", "revocation", 3))
		},
			status: StatusUnverifiable, results: map[string]Result{CheckStatus: ResultSkip}},
		{name: "status list offline", doc: func() map[string]any { return signed(withStatus(ob3(iss.did), revURL, "revocation", 3)) },
			verifier: func(v *Verifier) { v.Offline = true }, status: StatusUnverifiable, results: map[string]Result{CheckStatus: ResultSkip}},
		{name: "unresolvable did:web", doc: func() map[string]any {
			d := ob3(didWeb)
			s, err := signProof(d, iss.priv, didWeb+"#key-1", testNow.Add(-time.Hour), SuiteEdDSARDFC2022)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, status: StatusUnverifiable, results: map[string]Result{CheckProof: ResultSkip, CheckKey: ResultSkip}},
		{name: "unknown did method", doc: func() map[string]any {
			s, err := signProof(ob3("did:example:123"), iss.priv, "did:example:123#k", testNow.Add(-time.Hour), SuiteEdDSARDFC2022)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, status: StatusUnverifiable},
		{name: "unknown context is never fetched", doc: func() map[string]any {
			d := signed(ob3(iss.did))
			d["@context"] = append(d["@context"].([]any), "https://evil.example/context.json")
			return d
		}, verifier: func(v *Verifier) { v.HTTPClient = noNetwork(t) }, status: StatusUnverifiable, results: map[string]Result{CheckFormat: ResultSkip}},
		{name: "undefined term injected into VC 1.1", doc: func() map[string]any {
			d := ob3(iss.did)
			d["@context"] = []any{contextVC1, "https://w3id.org/security/data-integrity/v2"}
			delete(d, "validFrom")
			d["issuanceDate"] = "2024-01-01T00:00:00Z"
			d["type"] = []any{"VerifiableCredential"}
			d["issuer"] = iss.did
			delete(d, "name")
			cs := d["credentialSubject"].(map[string]any)
			delete(cs, "achievement")
			delete(cs, "identifier")
			delete(cs, "type")
			cs["id"] = "did:example:ada"
			s := signed(d)
			// Added after signing: not defined by VC 1.1, so not signed.
			s["credentialSubject"].(map[string]any)["achievement"] = map[string]any{"name": "Brain surgery"}
			return s
		}, verifier: func(v *Verifier) { v.Recipient = "" }, status: StatusValid, results: map[string]Result{CheckFormat: ResultWarn, CheckProof: ResultPass},
			inspect: func(t *testing.T, c *Credential) {
				if c.Achievement.Name != "" {
					t.Errorf("undefined data shown as verified: %+v", c.Achievement)
				}
				if !slices.Contains(c.UndefinedTerms, "/credentialSubject/achievement") {
					t.Errorf("UndefinedTerms = %v", c.UndefinedTerms)
				}
			}},
		{name: "recipient mismatch", doc: func() map[string]any { return signed(ob3(iss.did)) },
			verifier: func(v *Verifier) { v.Recipient = "eve@example.org" }, status: StatusInvalid, results: map[string]Result{CheckRecipient: ResultFail}},
		{name: "issuer not trusted warns", doc: func() map[string]any { return signed(ob3(iss.did)) },
			verifier: func(v *Verifier) { v.Trust = &TrustList{} }, status: StatusValid, results: map[string]Result{CheckIssuerTrust: ResultWarn}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, tc.doc())
			v := &Verifier{Now: testNow, Trust: trust, Recipient: "Ada@example.org", HTTPClient: ss.srv.Client(), Timeout: 5 * time.Second}
			if tc.verifier != nil {
				tc.verifier(v)
			}
			res := v.Verify(context.Background(), c)
			if res.Status != tc.status {
				t.Errorf("status %s, want %s", res.Status, tc.status)
				for _, k := range res.Checks {
					t.Logf("  %s %s: %s", k.Result, k.Name, k.Detail)
				}
			}
			for name, want := range tc.results {
				if k, _ := res.Check(name); k.Result != want {
					t.Errorf("check %s = %s (%s), want %s", name, k.Result, k.Detail, want)
				}
			}
			if len(res.Checks) != len(CheckOrder) {
				t.Errorf("%d checks, want one per check name", len(res.Checks))
			}
			for i, k := range res.Checks {
				if k.Name != CheckOrder[i] || k.Detail == "" {
					t.Errorf("check %d: %+v", i, k)
				}
			}
			if tc.inspect != nil {
				tc.inspect(t, c)
			}
		})
	}
}

func TestDIDWebAndHTTPSKeys(t *testing.T) {
	iss := newKey(t)
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.TrimPrefix(srv.URL, "https://")
		did := "did:web:" + strings.ReplaceAll(host, ":", "%3A")
		switch r.URL.Path {
		case "/.well-known/did.json":
			json.NewEncoder(w).Encode(map[string]any{
				"id": did,
				"verificationMethod": []any{map[string]any{
					"id": did + "#key-1", "type": "Multikey", "controller": did, "publicKeyMultibase": Ed25519Multikey(iss.pub),
				}},
				"assertionMethod": []any{"#key-1"},
			})
		case "/users/alice/did.json":
			json.NewEncoder(w).Encode(map[string]any{
				"id": did + ":users:alice",
				"verificationMethod": []any{map[string]any{
					"id": "#key-1", "type": "Ed25519VerificationKey2020", "publicKeyMultibase": Ed25519Multikey(iss.pub),
				}},
				"authentication": []any{"#key-1"},
			})
		case "/issuer":
			json.NewEncoder(w).Encode(map[string]any{
				"id": srv.URL + "/issuer", "type": "Profile",
				"verificationMethod": []any{map[string]any{
					"id": srv.URL + "/issuer#k", "type": "Multikey", "controller": srv.URL + "/issuer", "publicKeyMultibase": Ed25519Multikey(iss.pub),
				}},
			})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "https://")
	did := "did:web:" + strings.ReplaceAll(host, ":", "%3A")
	for _, tc := range []struct {
		name, issuer, vm string
		status           Status
	}{
		{"did:web root", did, did + "#key-1", StatusValid},
		{"did:web path, key only for authentication", did + ":users:alice", did + ":users:alice#key-1", StatusInvalid},
		{"https issuer profile", srv.URL + "/issuer", srv.URL + "/issuer#k", StatusValid},
		{"did:web key not listed", did, did + "#key-2", StatusUnverifiable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := signProof(ob3(tc.issuer), iss.priv, tc.vm, testNow.Add(-time.Hour), SuiteEdDSARDFC2022)
			if err != nil {
				t.Fatal(err)
			}
			v := &Verifier{Now: testNow, HTTPClient: srv.Client()}
			res := v.Verify(context.Background(), mustParse(t, s))
			if res.Status != tc.status {
				t.Errorf("status %s, want %s: %+v", res.Status, tc.status, res.Checks)
			}
		})
	}
}

func TestDIDWebURL(t *testing.T) {
	for in, want := range map[string]string{
		"did:web:example.com":                  "https://example.com/.well-known/did.json",
		"did:web:example.com%3A3000":           "https://example.com:3000/.well-known/did.json",
		"did:web:example.com:users:alice":      "https://example.com/users/alice/did.json",
		"did:web:w3c-ccg.github.io:user:alice": "https://w3c-ccg.github.io/user/alice/did.json",
	} {
		got, err := didWebURL(in)
		if err != nil || got != want {
			t.Errorf("didWebURL(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"did:web:", "did:web:exa/mple.com", "did:web:a@b"} {
		if _, err := didWebURL(bad); err == nil {
			t.Errorf("didWebURL(%s) accepted", bad)
		}
	}
}

// jwtCredential returns a VC 1.1 JWT claims set for the issuer.
func jwtClaims(issuer string) map[string]any {
	vc := ob3(issuer)
	vc["@context"] = []any{contextVC1, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}
	delete(vc, "validFrom")
	delete(vc, "issuer")
	return map[string]any{"iss": issuer, "nbf": float64(testNow.Add(-48 * time.Hour).Unix()), "jti": "urn:uuid:1", "vc": vc}
}

func TestVCJWT(t *testing.T) {
	ed := newKey(t)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	pad32 := func(b []byte) []byte { return append(make([]byte, 32-len(b)), b...) }
	ecJWK := map[string]any{"kty": "EC", "crv": "P-256", "x": b64urlEncode(pad32(ecKey.X.Bytes())), "y": b64urlEncode(pad32(ecKey.Y.Bytes()))}
	jwkJSON, _ := json.Marshal(ecJWK)
	ecDID := "did:jwk:" + b64urlEncode(jwkJSON)

	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/issuer/jwks.json" {
			json.NewEncoder(w).Encode(map[string]any{"keys": []any{map[string]any{
				"kty": "RSA", "kid": "rsa-1", "n": b64urlEncode(rsaKey.N.Bytes()), "e": b64urlEncode(big.NewInt(int64(rsaKey.E)).Bytes()),
			}}})
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	rsaIssuer := srv.URL + "/issuer"

	signEd := func(b []byte) ([]byte, error) { return ed25519.Sign(ed.priv, b), nil }
	signEC := func(b []byte) ([]byte, error) {
		h := sha256.Sum256(b)
		r, s, err := ecdsa.Sign(rand.Reader, ecKey, h[:])
		if err != nil {
			return nil, err
		}
		return append(pad32(r.Bytes()), pad32(s.Bytes())...), nil
	}
	signRSA := func(b []byte) ([]byte, error) {
		h := sha256.Sum256(b)
		return rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, h[:])
	}
	cases := []struct {
		name   string
		header map[string]any
		claims map[string]any
		sign   func([]byte) ([]byte, error)
		status Status
	}{
		{"EdDSA did:key", map[string]any{"alg": "EdDSA", "kid": ed.vm}, jwtClaims(ed.did), signEd, StatusValid},
		{"ES256 did:jwk", map[string]any{"alg": "ES256", "kid": ecDID + "#0"}, jwtClaims(ecDID), signEC, StatusValid},
		{"RS256 JWKS of the issuer", map[string]any{"alg": "RS256", "kid": rsaIssuer + "/jwks.json#rsa-1"}, jwtClaims(rsaIssuer), signRSA, StatusValid},
		{"alg none", map[string]any{"alg": "none", "kid": ed.vm}, jwtClaims(ed.did), func([]byte) ([]byte, error) { return nil, nil }, StatusInvalid},
		{"HS256 with the public key as secret", map[string]any{"alg": "HS256", "kid": ed.vm}, jwtClaims(ed.did), signEd, StatusInvalid},
		{"algorithm substitution ES256 on Ed25519 key", map[string]any{"alg": "ES256", "kid": ed.vm}, jwtClaims(ed.did), signEd, StatusInvalid},
		{"tampered payload", map[string]any{"alg": "EdDSA", "kid": ed.vm}, jwtClaims(ed.did), nil, StatusInvalid},
		{"iss of someone else", map[string]any{"alg": "EdDSA", "kid": ed.vm}, jwtClaims(ecDID), signEd, StatusInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sign := tc.sign
			if sign == nil {
				sign = signEd
			}
			tok, err := encodeJWT(tc.header, tc.claims, sign)
			if err != nil {
				t.Fatal(err)
			}
			if tc.sign == nil {
				// Re-encode the payload with another achievement name.
				parts := strings.Split(tok, ".")
				cl := cloneJSON(tc.claims).(map[string]any)
				cl["vc"].(map[string]any)["name"] = "Forged"
				pb, _ := json.Marshal(cl)
				tok = parts[0] + "." + b64urlEncode(pb) + "." + parts[2]
			}
			c, err := Parse([]byte(tok))
			if err != nil {
				t.Fatal(err)
			}
			if c.Format != FormatVCJWT || c.Achievement.Name != "Go programming" || c.ID != "urn:uuid:1" {
				t.Errorf("parsed %s %q %q", c.Format, c.Achievement.Name, c.ID)
			}
			v := &Verifier{Now: testNow, HTTPClient: srv.Client()}
			res := v.Verify(context.Background(), c)
			if res.Status != tc.status {
				t.Errorf("status %s, want %s: %+v", res.Status, tc.status, res.Checks)
			}
		})
	}
}

// clrTestContext stands in for the CLR 2.0 context (fetched at first use
// in production) so that this test needs neither network nor shared data.
const clrTestContext = "https://skillmatch.test/clr-test-context.json"

func TestCLRWithOneBadInnerCredential(t *testing.T) {
	ExtraContexts[clrTestContext] = map[string]any{"@context": map[string]any{
		"ClrCredential": "https://purl.imsglobal.org/spec/vc/clr/vocab.html#ClrCredential",
		"ClrSubject":    "https://purl.imsglobal.org/spec/vc/clr/vocab.html#ClrSubject",
		"verifiableCredential": map[string]any{
			"@id": "https://www.w3.org/2018/credentials#verifiableCredential", "@type": "@id", "@container": "@graph",
		},
	}}
	defer delete(ExtraContexts, clrTestContext)
	iss := newKey(t)
	good := mustSign(t, ob3(iss.did), iss, SuiteEdDSARDFC2022)
	bad := mustSign(t, ob3(iss.did), iss, SuiteEdDSARDFC2022)
	bad["credentialSubject"].(map[string]any)["achievement"].(map[string]any)["name"] = "Forged"
	tok, err := encodeJWT(map[string]any{"alg": "EdDSA", "kid": iss.vm}, jwtClaims(iss.did), func(m []byte) ([]byte, error) { return ed25519.Sign(iss.priv, m), nil })
	if err != nil {
		t.Fatal(err)
	}
	clr := map[string]any{
		"@context":  []any{contextVC2, clrTestContext, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":        "urn:uuid:clr-1",
		"type":      []any{"VerifiableCredential", "ClrCredential"},
		"issuer":    map[string]any{"id": iss.did, "type": "Profile", "name": "Test College"},
		"name":      "Transcript",
		"validFrom": "2024-01-01T00:00:00Z",
		"credentialSubject": map[string]any{
			"type":                 "ClrSubject",
			"verifiableCredential": []any{good, bad, map[string]any{"id": "data:application/vc+jwt," + tok, "type": "EnvelopedVerifiableCredential"}},
		},
	}
	c := mustParse(t, mustSign(t, clr, iss, SuiteEdDSARDFC2022))
	if c.Format != FormatCLR || len(c.Inner) != 3 || c.Inner[2].Format != FormatVCJWT {
		t.Fatalf("format %s with %d inner credentials", c.Format, len(c.Inner))
	}
	res := (&Verifier{Now: testNow, Offline: true}).Verify(context.Background(), c)
	if res.Status != StatusValid {
		t.Errorf("CLR status %s: %+v", res.Status, res.Checks)
	}
	if len(res.Inner) != 3 || res.Inner[0].Status != StatusValid || res.Inner[1].Status != StatusInvalid || res.Inner[2].Status != StatusValid {
		t.Errorf("inner statuses %+v", res.Inner)
	}
	if k, _ := res.Inner[1].Check(CheckProof); k.Result != ResultFail {
		t.Errorf("bad inner proof check %+v", k)
	}
}

func TestParseLimits(t *testing.T) {
	deep := strings.Repeat("[", MaxJSONDepth+1) + strings.Repeat("]", MaxJSONDepth+1)
	doc := `{"@context":["` + contextVC2 + `"],"x":` + deep + `}`
	if _, err := Parse([]byte(doc)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("deep JSON: %v, want ErrTooDeep", err)
	}
	big := bytes.Repeat([]byte(" "), MaxCredentialBytes+1)
	if _, err := Parse(big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized input: %v, want ErrTooLarge", err)
	}
	for _, in := range []string{"", "hello", "{}", `{"@context":"https://example.org"}`, "a.b", `[1,2]`} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
	if _, err := Parse([]byte(`{"@context":["` + contextVC2 + `"], "type": [`)); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("truncated JSON error %v should give the line", err)
	}
}

func TestMatchRecipient(t *testing.T) {
	md := md5.Sum([]byte("bob@example.org" + "s"))
	s := Subject{ID: "did:example:1", Identifiers: []Identifier{
		{IdentityType: "emailAddress", Identity: "sha256$" + sha256Hex("ada@example.org"+"salt"), Hashed: true, Salt: "salt"},
		{IdentityType: "emailAddress", Identity: "md5$" + hex.EncodeToString(md[:]), Hashed: true, Salt: "s"},
		{IdentityType: "studentId", Identity: "S-42"},
	}}
	for who, want := range map[string]bool{
		"ada@example.org": true, "ADA@example.org": true, "mailto:ada@example.org": true,
		"bob@example.org": true, "S-42": true, "did:example:1": true,
		"eve@example.org": false, "": false,
	} {
		if got, how := MatchRecipient(s, who); got != want {
			t.Errorf("MatchRecipient(%q) = %v (%s), want %v", who, got, how, want)
		}
	}
}

func TestTrustListRoundTrip(t *testing.T) {
	path := t.TempDir() + "/trust.json"
	tl := &TrustList{}
	tl.Add(TrustedIssuer{ID: "https://college.example/", Name: "College"})
	tl.Add(TrustedIssuer{ID: "did:key:z6Mkabc", Name: "Badge issuer", Note: "checked 2025"})
	tl.Add(TrustedIssuer{ID: "https://college.example", Name: "College (renamed)"})
	if len(tl.Issuers) != 2 {
		t.Fatalf("Add should replace the same issuer: %+v", tl.Issuers)
	}
	if err := tl.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadTrustList(path)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := back.Lookup("https://college.example"); !ok || e.Name != "College (renamed)" {
		t.Errorf("Lookup after load: %+v %v", e, ok)
	}
	if !back.Remove("did:key:z6Mkabc") || back.Remove("did:key:z6Mkabc") {
		t.Error("Remove")
	}
	for _, bad := range []string{`{"issuers":[{"name":"x"}]}`, `{"issuer":[]}`, `[]`} {
		if _, err := ParseTrustList("t.json", []byte(bad)); err == nil {
			t.Errorf("ParseTrustList(%s) accepted", bad)
		}
	}
}

func TestStatusSeverity(t *testing.T) {
	order := []Status{StatusValid, StatusUnverifiable, StatusNotYetValid, StatusExpired, StatusSuspended, StatusRevoked, StatusInvalid, StatusError}
	for i := 1; i < len(order); i++ {
		if Worse(order[i-1], order[i]) != order[i] || Worse(order[i], order[i-1]) != order[i] {
			t.Errorf("%s should be worse than %s", order[i], order[i-1])
		}
	}
}

func TestOfflineDocumentCache(t *testing.T) {
	dir := t.TempDir()
	cache, err := OpenDocumentCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := cache.Put("https://x.example/a", []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	v := &Verifier{Offline: true, Documents: cache}
	if b, err := v.Fetch(context.Background(), "https://x.example/a"); err != nil || string(b) != `{"a":1}` {
		t.Errorf("cached fetch: %s %v", b, err)
	}
	if _, err := v.Fetch(context.Background(), "https://x.example/b"); !errors.Is(err, ErrOffline) {
		t.Errorf("offline miss: %v", err)
	}
	if _, err := (&Verifier{}).Fetch(context.Background(), "http://x.example/"); err == nil {
		t.Error("plain http fetched")
	}
	big := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 2048))
	}))
	defer big.Close()
	if _, err := (&Verifier{HTTPClient: big.Client(), MaxFetchBytes: 1024}).Fetch(context.Background(), big.URL); !errors.Is(err, ErrTooLarge) {
		t.Errorf("size cap: %v", err)
	}
}

// TestConcurrentVerify verifies credentials from several goroutines with
// one Verifier (run with -race to check the shared caches).
func TestConcurrentVerify(t *testing.T) {
	k := newKey(t)
	raw, _ := json.Marshal(mustSign(t, ob3(k.did), k, SuiteEdDSARDFC2022))
	v := &Verifier{Offline: true, Now: testNow}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			c, err := Parse(raw)
			if err == nil {
				if res := v.Verify(context.Background(), c); res.Status != StatusValid {
					err = fmt.Errorf("status %s", res.Status)
				}
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
