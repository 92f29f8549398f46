package credential

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeWeb serves documents for any https://*.example.com URL from one
// httptest TLS server; its client dials that server whatever the host,
// and trusts its certificate (valid for example.com and *.example.com).
type fakeWeb struct {
	srv    *httptest.Server
	client *http.Client
	mu     sync.Mutex
	docs   map[string]servedDoc
	hits   map[string]int
}

type servedDoc struct {
	status int
	body   []byte
}

func newFakeWeb(t testing.TB) *fakeWeb {
	t.Helper()
	w := &fakeWeb{docs: map[string]servedDoc{}, hits: map[string]int{}}
	w.srv = httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		u := "https://" + r.Host + r.URL.Path
		w.mu.Lock()
		d, ok := w.docs[u]
		w.hits[u]++
		w.mu.Unlock()
		if !ok {
			http.NotFound(rw, r)
			return
		}
		if d.status != 0 && d.status != http.StatusOK {
			rw.WriteHeader(d.status)
			return
		}
		rw.Header().Set("Content-Type", "application/ld+json")
		_, _ = rw.Write(d.body)
	}))
	t.Cleanup(w.srv.Close)
	tr := w.srv.Client().Transport.(*http.Transport).Clone()
	addr := w.srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	w.client = &http.Client{Transport: tr, Timeout: 5 * time.Second}
	return w
}

func (w *fakeWeb) serve(u string, body []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.docs[u] = servedDoc{body: body}
}

func (w *fakeWeb) serveStatus(u string, status int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.docs[u] = servedDoc{status: status}
}

func (w *fakeWeb) serveFile(t testing.TB, u, file string) {
	t.Helper()
	w.serve(u, readFixture(t, file))
}

func (w *fakeWeb) hitCount(u string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hits[u]
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ob2Keys are the issuer's keys, generated per test run.
type ob2Keys struct {
	rsa     *rsa.PrivateKey
	ec      *ecdsa.PrivateKey
	foreign ed25519.PrivateKey
}

var (
	ob2KeysOnce sync.Once
	ob2TestKeys ob2Keys
)

func testOB2Keys(t testing.TB) ob2Keys {
	ob2KeysOnce.Do(func() {
		var err error
		if ob2TestKeys.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			t.Fatal(err)
		}
		if ob2TestKeys.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			t.Fatal(err)
		}
		if _, ob2TestKeys.foreign, err = ed25519.GenerateKey(rand.Reader); err != nil {
			t.Fatal(err)
		}
	})
	return ob2TestKeys
}

func pemOf(t testing.TB, pub crypto.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func keyDoc(t testing.TB, id, owner string, pub crypto.PublicKey) []byte {
	b, _ := json.Marshal(map[string]any{
		"@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey",
		"id": id, "owner": owner, "publicKeyPem": pemOf(t, pub),
	})
	return b
}

// signJWS makes a compact JWS of payload with the given algorithm.
func signJWS(t testing.TB, alg string, key crypto.Signer, payload []byte) []byte {
	t.Helper()
	h, _ := json.Marshal(map[string]string{"alg": alg})
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(payload)
	var sig []byte
	var err error
	switch k := key.(type) {
	case *rsa.PrivateKey:
		d := sha256.Sum256([]byte(input))
		sig, err = rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, d[:])
	case *ecdsa.PrivateKey:
		d := sha256.Sum256([]byte(input))
		var der []byte
		der, err = ecdsa.SignASN1(rand.Reader, k, d[:])
		if err == nil {
			sig = ecdsaRaw(t, der, 32)
		}
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, []byte(input))
	}
	if err != nil {
		t.Fatal(err)
	}
	return []byte(input + "." + base64.RawURLEncoding.EncodeToString(sig))
}

// ecdsaRaw converts an ASN.1 ECDSA signature to JWS's r||s form.
func ecdsaRaw(t testing.TB, der []byte, size int) []byte {
	var sig struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &sig); err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 2*size)
	sig.R.FillBytes(out[:size])
	sig.S.FillBytes(out[size:])
	return out
}

// issuerWeb serves the example issuer: Profile, BadgeClass, keys,
// revocation list and hosted assertions.
func issuerWeb(t testing.TB) *fakeWeb {
	k := testOB2Keys(t)
	w := newFakeWeb(t)
	w.serveFile(t, "https://issuer.example.com/issuer", "ob2/issuer.json")
	w.serveFile(t, "https://issuer.example.com/badges/data", "ob2/badge.json")
	w.serveFile(t, "https://issuer.example.com/revocations", "ob2/revocations.json")
	w.serveFile(t, "https://issuer.example.com/assertions/1", "ob2/assertion-hosted.json")
	w.serveFile(t, "https://issuer.example.com/assertions/2", "ob2/hosted-revoked.json")
	w.serveStatus("https://issuer.example.com/assertions/3", http.StatusGone)
	w.serveFile(t, "https://issuer.example.com/assertions/4", "ob2/assertion-expired.json")
	w.serveFile(t, "https://issuer.example.com/assertions/5", "ob2/assertion-md5.json")
	w.serveFile(t, "https://other.example.com/assertions/9", "ob2/assertion-wrong-origin.json")
	w.serveFile(t, "https://badges.example.com/assertions/7", "ob2/assertion-allowed-origin.json")
	w.serve("https://issuer.example.com/keys/rsa", keyDoc(t, "https://issuer.example.com/keys/rsa", "https://issuer.example.com/issuer", k.rsa.Public()))
	w.serve("https://issuer.example.com/keys/ec", keyDoc(t, "https://issuer.example.com/keys/ec", "https://issuer.example.com/issuer", k.ec.Public()))
	w.serve("https://issuer.example.com/keys/foreign", keyDoc(t, "https://issuer.example.com/keys/foreign", "https://other.example.com/issuer", k.foreign.Public()))
	return w
}

var ob2Now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func checkResults(v Verification) map[string]Result {
	out := map[string]Result{}
	for _, c := range v.Checks {
		out[c.Name] = c.Result
	}
	return out
}

func TestOB2Hosted(t *testing.T) {
	w := issuerWeb(t)
	tests := []struct {
		name      string
		file      string
		recipient string
		offline   bool
		want      Status
		checks    map[string]Result
		detail    string // substring of some check's detail
		badgeName string // Achievement.Name after verification
	}{
		{name: "linked badge, hashed recipient", file: "assertion-hosted.json", recipient: "alice@example.org", want: StatusValid,
			checks:    map[string]Result{CheckFormat: ResultPass, CheckProof: ResultPass, CheckKey: ResultPass, CheckStatus: ResultPass, CheckRecipient: ResultPass, CheckValidity: ResultPass},
			badgeName: "Data Analysis Fundamentals"},
		{name: "recipient e-mail in other case", file: "assertion-hosted.json", recipient: "Alice@Example.org", want: StatusValid},
		{name: "embedded badge", file: "assertion-embedded.json", recipient: "alice@example.org", want: StatusValid, badgeName: "Data Analysis Fundamentals"},
		{name: "hash mismatch", file: "assertion-hosted.json", recipient: "bob@example.org", want: StatusInvalid,
			checks: map[string]Result{CheckRecipient: ResultFail}, detail: "not issued to bob@example.org"},
		{name: "unsalted md5", file: "assertion-md5.json", recipient: "carol@example.org", want: StatusValid},
		{name: "revoked: true", file: "assertion-revoked.json", want: StatusRevoked,
			checks: map[string]Result{CheckStatus: ResultFail}, detail: "Issued in error"},
		{name: "410 Gone", file: "assertion-gone.json", want: StatusRevoked,
			checks: map[string]Result{CheckStatus: ResultFail}, detail: "410 Gone"},
		{name: "expired", file: "assertion-expired.json", want: StatusExpired,
			checks: map[string]Result{CheckValidity: ResultFail, CheckProof: ResultPass}},
		{name: "wrong origin", file: "assertion-wrong-origin.json", want: StatusInvalid,
			checks: map[string]Result{CheckKey: ResultFail}, detail: "outside the origins"},
		{name: "origin the issuer allows", file: "assertion-allowed-origin.json", want: StatusValid,
			checks: map[string]Result{CheckKey: ResultPass}, detail: "allowed origins"},
		{name: "forged badge name", file: "assertion-forged-name.json", want: StatusInvalid,
			checks: map[string]Result{CheckProof: ResultFail}, detail: `badge name "Data Science Master"`, badgeName: "Data Analysis Fundamentals"},
		{name: "swapped recipient", file: "assertion-swapped-recipient.json", recipient: "mallory@example.org", want: StatusInvalid,
			checks: map[string]Result{CheckProof: ResultFail, CheckRecipient: ResultFail}, detail: "recipient identity"},
		{name: "offline", file: "assertion-hosted.json", offline: true, want: StatusUnverifiable,
			checks: map[string]Result{CheckProof: ResultSkip}, detail: "offline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(readFixture(t, "ob2/"+tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if c.Format != FormatOB2 {
				t.Fatalf("format %q, want ob2", c.Format)
			}
			v := &Verifier{HTTPClient: w.client, Now: ob2Now, Recipient: tc.recipient, Offline: tc.offline}
			res := v.Verify(context.Background(), c)
			if res.Status != tc.want {
				t.Errorf("status %s, want %s; checks %+v", res.Status, tc.want, res.Checks)
			}
			got := checkResults(res)
			for name, want := range tc.checks {
				if got[name] != want {
					t.Errorf("check %s = %s, want %s (%+v)", name, got[name], want, res.Checks)
				}
			}
			if tc.detail != "" && !strings.Contains(detailText(res), tc.detail) {
				t.Errorf("no check mentions %q: %s", tc.detail, detailText(res))
			}
			if tc.badgeName != "" && c.Achievement.Name != tc.badgeName {
				t.Errorf("achievement %q after verification, want %q", c.Achievement.Name, tc.badgeName)
			}
		})
	}
	if n := w.hitCount("https://issuer.example.com/badges/data.png"); n != 0 {
		t.Errorf("the badge image was fetched %d times; only verification targets may be fetched", n)
	}
}

func detailText(v Verification) string {
	var b strings.Builder
	for _, c := range v.Checks {
		b.WriteString(c.Name + ": " + c.Detail + "\n")
	}
	return b.String()
}

func TestOB2HostedFillsLinkedParts(t *testing.T) {
	w := issuerWeb(t)
	c, err := Parse(readFixture(t, "ob2/assertion-hosted.json"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Achievement.ID != "https://issuer.example.com/badges/data" || c.Achievement.Name != "" {
		t.Fatalf("before verification: achievement %+v; Parse must not fetch", c.Achievement)
	}
	raw := string(c.Raw)
	res := (&Verifier{HTTPClient: w.client, Now: ob2Now}).Verify(context.Background(), c)
	if res.Status != StatusValid {
		t.Fatalf("status %s: %s", res.Status, detailText(res))
	}
	if c.Issuer.Name != "Example Institute of Technology" || c.Issuer.ID != "https://issuer.example.com/issuer" {
		t.Errorf("issuer %+v", c.Issuer)
	}
	if len(c.Achievement.Alignments) != 2 || c.Achievement.Alignments[0].TargetCode != "S2.7.1" {
		t.Errorf("alignments %+v", c.Achievement.Alignments)
	}
	if c.Achievement.Criteria.ID == "" || !strings.Contains(c.Achievement.Criteria.Narrative, "proctored") {
		t.Errorf("criteria %+v", c.Achievement.Criteria)
	}
	if string(c.Raw) != raw {
		t.Error("Raw changed during verification")
	}
	if !c.ValidUntil.Equal(time.Date(2027, 3, 15, 10, 0, 0, 0, time.UTC)) || !c.IssuedAt.Equal(time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("dates issued %v until %v", c.IssuedAt, c.ValidUntil)
	}
}

func TestOB2Signed(t *testing.T) {
	k := testOB2Keys(t)
	w := issuerWeb(t)
	base := readFixture(t, "ob2/assertion-signed.json")
	with := func(edit func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(base, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, _ := json.Marshal(m)
		return b
	}
	creator := func(u string) func(map[string]any) {
		return func(m map[string]any) { m["verification"].(map[string]any)["creator"] = u }
	}
	tampered := signJWS(t, "RS256", k.rsa, base)
	parts := strings.Split(string(tampered), ".")
	parts[1] = base64.RawURLEncoding.EncodeToString(with(func(m map[string]any) { m["issuedOn"] = "2024-05-03T08:30:00Z" }))
	tests := []struct {
		name      string
		jws       []byte
		recipient string
		offline   bool
		want      Status
		checks    map[string]Result
		detail    string
	}{
		{name: "RS256", jws: signJWS(t, "RS256", k.rsa, base), recipient: "alice@example.org", want: StatusValid,
			checks: map[string]Result{CheckProof: ResultPass, CheckKey: ResultPass, CheckStatus: ResultPass, CheckRecipient: ResultPass}},
		{name: "ES256", jws: signJWS(t, "ES256", k.ec, with(creator("https://issuer.example.com/keys/ec"))), want: StatusValid},
		{name: "no creator: the issuer's keys are tried", jws: signJWS(t, "ES256", k.ec, with(func(m map[string]any) { delete(m["verification"].(map[string]any), "creator") })), want: StatusValid,
			checks: map[string]Result{CheckProof: ResultPass, CheckKey: ResultPass}, detail: "key https://issuer.example.com/keys/ec"},
		{name: "tampered payload", jws: []byte(strings.Join(parts, ".")), want: StatusInvalid,
			checks: map[string]Result{CheckProof: ResultFail}},
		{name: "algorithm does not fit the key", jws: signJWS(t, "ES256", k.ec, base), want: StatusInvalid,
			checks: map[string]Result{CheckProof: ResultFail}, detail: "does not fit an RSA key"},
		{name: "key not listed by the issuer", jws: signJWS(t, "RS256", k.rsa, with(creator("https://evil.example.com/keys/1"))), want: StatusInvalid,
			checks: map[string]Result{CheckKey: ResultFail}, detail: "not among the keys"},
		{name: "key owned by someone else", jws: signJWS(t, "EdDSA", k.foreign, with(creator("https://issuer.example.com/keys/foreign"))), want: StatusInvalid,
			checks: map[string]Result{CheckKey: ResultFail}, detail: "belongs to https://other.example.com/issuer"},
		{name: "revoked by list", jws: signJWS(t, "RS256", k.rsa, with(func(m map[string]any) { m["id"] = "urn:uuid:0d3b4f0e-revoked-0001" })), want: StatusRevoked,
			checks: map[string]Result{CheckStatus: ResultFail, CheckProof: ResultPass}, detail: "Academic misconduct"},
		{name: "revoked by list (bare id)", jws: signJWS(t, "RS256", k.rsa, with(func(m map[string]any) { m["id"] = "urn:uuid:0d3b4f0e-revoked-0002" })), want: StatusRevoked},
		{name: "expired", jws: signJWS(t, "RS256", k.rsa, with(func(m map[string]any) { m["expires"] = "2025-01-01T00:00:00Z" })), want: StatusExpired},
		{name: "hash mismatch", jws: signJWS(t, "RS256", k.rsa, base), recipient: "eve@example.org", want: StatusInvalid,
			checks: map[string]Result{CheckRecipient: ResultFail, CheckProof: ResultPass}},
		{name: "offline", jws: signJWS(t, "RS256", k.rsa, base), offline: true, want: StatusUnverifiable,
			checks: map[string]Result{CheckProof: ResultSkip, CheckKey: ResultSkip}, detail: "offline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.jws)
			if err != nil {
				t.Fatal(err)
			}
			if c.Format != FormatOB2 {
				t.Fatalf("format %q", c.Format)
			}
			v := &Verifier{HTTPClient: w.client, Now: ob2Now, Recipient: tc.recipient, Offline: tc.offline}
			res := v.Verify(context.Background(), c)
			if res.Status != tc.want {
				t.Errorf("status %s, want %s:\n%s", res.Status, tc.want, detailText(res))
			}
			got := checkResults(res)
			for name, want := range tc.checks {
				if got[name] != want {
					t.Errorf("check %s = %s, want %s:\n%s", name, got[name], want, detailText(res))
				}
			}
			if tc.detail != "" && !strings.Contains(detailText(res), tc.detail) {
				t.Errorf("no check mentions %q:\n%s", tc.detail, detailText(res))
			}
		})
	}
}

func TestOB2ParseErrors(t *testing.T) {
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." +
		base64.RawURLEncoding.EncodeToString(readFixture(t, "ob2/assertion-signed.json")) + "."
	tests := []struct {
		name    string
		data    []byte
		notCred bool
		want    string
	}{
		{name: "BadgeClass alone", data: readFixture(t, "ob2/badge.json"), notCred: true, want: "BadgeClass"},
		{name: "issuer Profile alone", data: readFixture(t, "ob2/issuer.json"), notCred: true, want: "issuer Profile"},
		{name: "revocation list", data: readFixture(t, "ob2/revocations.json"), notCred: true, want: "RevocationList"},
		{name: "no recipient", data: readFixture(t, "ob2/assertion-no-recipient.json"), want: `no "recipient"`},
		{name: "bad issuedOn", data: readFixture(t, "ob2/assertion-bad-date.json"), want: "issuedOn"},
		{name: "alg none", data: []byte(none), want: `algorithm "none" is refused`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.data)
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			if errors.Is(err, ErrNotCredential) != tc.notCred {
				t.Errorf("errors.Is(ErrNotCredential) = %v, want %v: %v", !tc.notCred, tc.notCred, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestOB2Time(t *testing.T) {
	tests := []struct {
		in   any
		want time.Time
	}{
		{"2024-03-15T10:00:00Z", time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC)},
		{"2024-03-15T12:00:00+02:00", time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC)},
		{"2024-03-15T12:00:00+0200", time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC)},
		{"2024-03-15", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)},
		{"1710496800", time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC)},
		{float64(1710496800), time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		got, err := ob2Time(tc.in)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ob2Time(%v) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	if _, err := ob2Time("15/03/2024"); err == nil {
		t.Error("ob2Time accepted 15/03/2024")
	}
}

func FuzzOB2Parse(f *testing.F) {
	for _, name := range []string{"assertion-hosted.json", "assertion-embedded.json", "assertion-signed.json", "badge.json", "assertion-bad-date.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "ob2", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !ob2Detect(data) {
			return
		}
		c, err := ob2Parse(data)
		if err == nil && (c.Format != FormatOB2 || c.ID == "") {
			t.Fatalf("parsed without format or id: %+v", c)
		}
	})
}
