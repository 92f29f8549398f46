package credential

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// The Open Badges 2.0 tests below use the example issuer of issuerWeb
// (ob2_test.go): its Profile, BadgeClass, keys and revocation list are
// served over HTTPS by a server that counts the requests it answers per
// URL, and the Verifier's client goes through ob2CountingTransport, which
// counts the requests the Verifier starts and can hold them.

const (
	ob2ProfileURL = "https://issuer.example.com/issuer"
	ob2BadgeURL   = "https://issuer.example.com/badges/data"
	ob2ListURL    = "https://issuer.example.com/revocations"
	ob2RSAKeyURL  = "https://issuer.example.com/keys/rsa"
	ob2ECKeyURL   = "https://issuer.example.com/keys/ec"
	ob2ForeignURL = "https://issuer.example.com/keys/foreign"
	// ob2RevokedID and ob2RevokedBareID are on revocations.json, the
	// first with the reason "Academic misconduct", the second bare.
	ob2RevokedID     = "urn:uuid:0d3b4f0e-revoked-0001"
	ob2RevokedBareID = "urn:uuid:0d3b4f0e-revoked-0002"
)

// ob2IssuerDocs are the documents the example issuer shares between its
// badges.
var ob2IssuerDocs = []string{ob2ProfileURL, ob2BadgeURL, ob2ListURL, ob2RSAKeyURL, ob2ECKeyURL, ob2ForeignURL}

// ob2CountingTransport counts, per URL, the requests a Verifier starts,
// and holds the requests for a URL that has a gate until the gate opens
// or the request's context is done.
type ob2CountingTransport struct {
	base  http.RoundTripper
	mu    sync.Mutex
	tries map[string]int
	gates map[string]*fetchGate
}

func (g *ob2CountingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	u := r.URL.String()
	g.mu.Lock()
	g.tries[u]++
	gate := g.gates[u]
	g.mu.Unlock()
	if gate != nil {
		select {
		case gate.started <- struct{}{}:
		default:
		}
		select {
		case <-gate.release:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return g.base.RoundTrip(r)
}

// ob2CacheWeb is issuerWeb with a counting, holding client.
type ob2CacheWeb struct {
	*fakeWeb
	tr     *ob2CountingTransport
	client *http.Client
}

func newOB2CacheWeb(t testing.TB) *ob2CacheWeb {
	w := issuerWeb(t)
	tr := &ob2CountingTransport{base: w.client.Transport, tries: map[string]int{}, gates: map[string]*fetchGate{}}
	return &ob2CacheWeb{fakeWeb: w, tr: tr, client: &http.Client{Transport: tr, Timeout: 5 * time.Second}}
}

// hold makes the Verifier's requests for u wait until the returned gate
// opens; it opens at the end of the test at the latest.
func (w *ob2CacheWeb) hold(t testing.TB, u string) *fetchGate {
	g := &fetchGate{started: make(chan struct{}, 1), release: make(chan struct{})}
	w.tr.mu.Lock()
	w.tr.gates[u] = g
	w.tr.mu.Unlock()
	t.Cleanup(g.open)
	return g
}

func (w *ob2CacheWeb) tries(u string) int {
	w.tr.mu.Lock()
	defer w.tr.mu.Unlock()
	return w.tr.tries[u]
}

// verifier returns a new Verifier for alice@example.org (the recipient of
// every test badge) as of ob2Now.
func (w *ob2CacheWeb) verifier() *Verifier {
	return &Verifier{HTTPClient: w.client, Now: ob2Now, Recipient: "alice@example.org", Timeout: 5 * time.Second}
}

func ob2SignedID(i int) string { return fmt.Sprintf("urn:uuid:2f6f8c5e-0000-4000-8000-%012d", i) }

// ob2SignedFolder returns n signed badges of the example issuer made from
// testdata/ob2/assertion-signed.json (key named by creator:
// keys/rsa), the i-th with id ob2SignedID(i) and then changed by edit
// (when not nil), signed with alg and key.
func ob2SignedFolder(t testing.TB, n int, alg string, key crypto.Signer, edit func(i int, m map[string]any)) [][]byte {
	t.Helper()
	base := readFixture(t, "ob2/assertion-signed.json")
	out := make([][]byte, n)
	for i := range out {
		var m map[string]any
		if err := json.Unmarshal(base, &m); err != nil {
			t.Fatal(err)
		}
		m["id"] = ob2SignedID(i)
		if edit != nil {
			edit(i, m)
		}
		payload, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = signJWS(t, alg, key, payload)
	}
	return out
}

// ob2HostedFolder publishes n hosted badges of the example issuer at
// origin/assertions/c<i> (made from testdata/ob2/assertion-hosted.json)
// and returns the copies the applicants present. hosted (when not nil)
// changes what the issuer hosts for badge i, or returns an HTTP status
// to answer instead of it.
func ob2HostedFolder(t testing.TB, w *fakeWeb, n int, origin string, hosted func(i int, m map[string]any) int) [][]byte {
	t.Helper()
	base := readFixture(t, "ob2/assertion-hosted.json")
	out := make([][]byte, n)
	for i := range out {
		u := fmt.Sprintf("%s/assertions/c%d", origin, i)
		var m map[string]any
		if err := json.Unmarshal(base, &m); err != nil {
			t.Fatal(err)
		}
		m["id"] = u
		var err error
		if out[i], err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		status := 0
		if hosted != nil {
			status = hosted(i, m)
		}
		if status != 0 {
			w.serveStatus(u, status)
			continue
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		w.serve(u, b)
	}
	return out
}

func ob2HostedURL(origin string, i int) string { return fmt.Sprintf("%s/assertions/c%d", origin, i) }

// ob2VerifyRaw parses raw and verifies it with v.
func ob2VerifyRaw(t testing.TB, ctx context.Context, v *Verifier, raw []byte) (Verification, *Credential) {
	t.Helper()
	c, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v.Verify(ctx, c), c
}

// ob2CompareAlone verifies every badge again with a Verifier of its own
// (which fetches the issuer's documents for that badge alone, as every
// badge did before they were remembered) and reports any difference in
// the verification or in the credential it fills in.
func ob2CompareAlone(t *testing.T, w *ob2CacheWeb, raws [][]byte, res []Verification, creds []*Credential) {
	t.Helper()
	for i, raw := range raws {
		alone, c := ob2VerifyRaw(t, context.Background(), w.verifier(), raw)
		if !reflect.DeepEqual(alone, res[i]) {
			t.Errorf("badge %d: with the shared issuer documents\n%s(%s)\nwith documents fetched for it alone\n%s(%s)", i, detailText(res[i]), res[i].Status, detailText(alone), alone.Status)
		}
		if !reflect.DeepEqual(c, creds[i]) {
			t.Errorf("badge %d: the credential filled in with the shared documents differs from the one filled in alone:\n%+v\n%+v", i, creds[i], c)
		}
	}
}

// TestOB2CacheSharedIssuer verifies folders of badges from one issuer
// with one Verifier: the issuer's Profile, BadgeClass, keys and
// revocation list are fetched once for the folder, each hosted assertion
// once per badge, and every badge gets exactly what a Verifier of its own
// gives it.
func TestOB2CacheSharedIssuer(t *testing.T) {
	k := testOB2Keys(t)
	const n = 30
	cases := []struct {
		name   string
		origin string // of hosted badges ("" for signed ones)
		folder func(t *testing.T, w *ob2CacheWeb) [][]byte
		// revoked are the badges that are revoked, with a fragment of
		// their status detail; the others are valid.
		revoked map[int]string
		// gone are the badges whose hosted assertion the issuer withdrew
		// (410): their credential keeps what was presented.
		gone map[int]bool
		// hits is how often the server answered for each of the
		// issuer's documents (absent: 0).
		hits map[string]int
	}{
		{name: "signed, key named by creator", folder: func(t *testing.T, w *ob2CacheWeb) [][]byte {
			return ob2SignedFolder(t, n, "RS256", k.rsa, func(i int, m map[string]any) {
				if i == 7 {
					m["id"] = ob2RevokedID
				}
			})
		}, revoked: map[int]string{7: "revocation list https://issuer.example.com/revocations (Academic misconduct)"},
			hits: map[string]int{ob2ProfileURL: 1, ob2BadgeURL: 1, ob2ListURL: 1, ob2RSAKeyURL: 1}},
		{name: "signed, no key named: every listed key is tried", folder: func(t *testing.T, w *ob2CacheWeb) [][]byte {
			return ob2SignedFolder(t, n, "ES256", k.ec, func(i int, m map[string]any) {
				delete(m["verification"].(map[string]any), "creator")
				if i == 12 {
					m["id"] = ob2RevokedBareID
				}
			})
		}, revoked: map[int]string{12: "(no reason given)"},
			hits: map[string]int{ob2ProfileURL: 1, ob2BadgeURL: 1, ob2ListURL: 1, ob2RSAKeyURL: 1, ob2ECKeyURL: 1, ob2ForeignURL: 1}},
		{name: "hosted at the issuer's origin", origin: "https://issuer.example.com", folder: func(t *testing.T, w *ob2CacheWeb) [][]byte {
			return ob2HostedFolder(t, w.fakeWeb, n, "https://issuer.example.com", func(i int, m map[string]any) int {
				switch i {
				case 4:
					m["revoked"], m["revocationReason"] = true, "Issued in error"
				case 9:
					return http.StatusGone
				}
				return 0
			})
		}, revoked: map[int]string{4: "marked the hosted assertion as revoked (Issued in error)", 9: "410 Gone"}, gone: map[int]bool{9: true},
			hits: map[string]int{ob2ProfileURL: 1, ob2BadgeURL: 1}},
		{name: "hosted at an origin the issuer allows", origin: "https://badges.example.com", folder: func(t *testing.T, w *ob2CacheWeb) [][]byte {
			return ob2HostedFolder(t, w.fakeWeb, n, "https://badges.example.com", nil)
		}, hits: map[string]int{ob2ProfileURL: 1, ob2BadgeURL: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newOB2CacheWeb(t)
			raws := tc.folder(t, w)
			v := w.verifier()
			res := make([]Verification, len(raws))
			creds := make([]*Credential, len(raws))
			for i, raw := range raws {
				res[i], creds[i] = ob2VerifyRaw(t, context.Background(), v, raw)
			}
			for _, u := range ob2IssuerDocs {
				if got := w.hitCount(u); got != tc.hits[u] {
					t.Errorf("%s fetched %d times for %d badges, want %d", u, got, len(raws), tc.hits[u])
				}
			}
			if tc.origin != "" {
				for i := range raws {
					if got := w.hitCount(ob2HostedURL(tc.origin, i)); got != 1 {
						t.Errorf("hosted assertion %d fetched %d times, want once (hosted assertions are never shared)", i, got)
					}
				}
			}
			for i, r := range res {
				want, detail := StatusValid, ""
				if d, ok := tc.revoked[i]; ok {
					want, detail = StatusRevoked, d
				}
				if r.Status != want || !strings.Contains(detailText(r), detail) {
					t.Errorf("badge %d: %s, want %s with %q:\n%s", i, r.Status, want, detail, detailText(r))
				}
				if !tc.gone[i] && (creds[i].Issuer.Name != "Example Institute of Technology" || creds[i].Achievement.Name != "Data Analysis Fundamentals") {
					t.Errorf("badge %d: issuer %q, achievement %q after verification", i, creds[i].Issuer.Name, creds[i].Achievement.Name)
				}
			}
			ob2CompareAlone(t, w, raws, res, creds)
		})
	}
}

// TestOB2CacheBadIssuerDocuments publishes a broken issuer document and
// verifies a folder of signed and hosted badges with one Verifier: the
// broken document is fetched once (a failure with a live context is
// remembered like a success), and every badge gets exactly the checks a
// Verifier of its own gives it.
func TestOB2CacheBadIssuerDocuments(t *testing.T) {
	k := testOB2Keys(t)
	const n = 10
	cases := []struct {
		name    string
		url     string // the broken document
		fixture string // served at url; "" serves status instead
		status  int
		// what signed and hosted badges become, with a fragment of
		// some check's detail ("" for none).
		signed, hosted             Status
		signedDetail, hostedDetail string
	}{
		{name: "Profile not found", url: ob2ProfileURL, status: http.StatusNotFound,
			signed: StatusUnverifiable, signedDetail: "the issuer Profile https://issuer.example.com/issuer could not be checked: fetching https://issuer.example.com/issuer: server answered 404 Not Found",
			hosted: StatusUnverifiable, hostedDetail: "server answered 404 Not Found"},
		{name: "Profile published under another id", url: ob2ProfileURL, fixture: "ob2/cache/profile-wrong-id.json",
			signed: StatusUnverifiable, signedDetail: "says its id is https://impostor.example.com/issuer",
			hosted: StatusUnverifiable, hostedDetail: "says its id is https://impostor.example.com/issuer"},
		{name: "Profile is not JSON", url: ob2ProfileURL, fixture: "ob2/cache/profile-not-json.html",
			signed: StatusUnverifiable, signedDetail: "the issuer Profile at https://issuer.example.com/issuer:",
			hosted: StatusUnverifiable, hostedDetail: "the issuer Profile at https://issuer.example.com/issuer:"},
		{name: "Profile lists no key", url: ob2ProfileURL, fixture: "ob2/cache/profile-no-keys.json",
			signed: StatusInvalid, signedDetail: "publishes no publicKey", hosted: StatusValid},
		{name: "Profile does not list the signing key", url: ob2ProfileURL, fixture: "ob2/cache/profile-unlisted-key.json",
			signed: StatusInvalid, signedDetail: "the signing key https://issuer.example.com/keys/rsa is not among the keys", hosted: StatusValid},
		{name: "key document unreachable", url: ob2RSAKeyURL, status: http.StatusInternalServerError,
			signed: StatusUnverifiable, signedDetail: "the key https://issuer.example.com/keys/rsa could not be checked", hosted: StatusValid},
		{name: "BadgeClass gone", url: ob2BadgeURL, status: http.StatusGone,
			signed: StatusUnverifiable, signedDetail: "the BadgeClass could not be checked",
			hosted: StatusUnverifiable, hostedDetail: "the BadgeClass of the hosted assertion could not be checked"},
		{name: "revocation list is not an object", url: ob2ListURL, fixture: "ob2/cache/revocations-array.json",
			signed: StatusUnverifiable, signedDetail: "the revocation list https://issuer.example.com/revocations could not be checked: the RevocationList at https://issuer.example.com/revocations: expected a JSON object",
			hosted: StatusValid},
		{name: "revocation list unreachable", url: ob2ListURL, status: http.StatusServiceUnavailable,
			signed: StatusUnverifiable, signedDetail: "503 Service Unavailable", hosted: StatusValid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newOB2CacheWeb(t)
			if tc.fixture != "" {
				w.serveFile(t, tc.url, tc.fixture)
			} else {
				w.serveStatus(tc.url, tc.status)
			}
			signed := ob2SignedFolder(t, n, "RS256", k.rsa, nil)
			hosted := ob2HostedFolder(t, w.fakeWeb, n, "https://issuer.example.com", nil)
			raws := append(signed, hosted...)
			v := w.verifier()
			res := make([]Verification, len(raws))
			creds := make([]*Credential, len(raws))
			for i, raw := range raws {
				res[i], creds[i] = ob2VerifyRaw(t, context.Background(), v, raw)
			}
			if got := w.hitCount(tc.url); got != 1 {
				t.Errorf("the broken %s was fetched %d times for %d badges, want once", tc.url, got, len(raws))
			}
			for i, r := range res {
				want, detail := tc.signed, tc.signedDetail
				if i >= n {
					want, detail = tc.hosted, tc.hostedDetail
				}
				if r.Status != want || !strings.Contains(detailText(r), detail) {
					t.Errorf("badge %d: %s, want %s with %q:\n%s", i, r.Status, want, detail, detailText(r))
				}
			}
			ob2CompareAlone(t, w, raws, res, creds)
		})
	}
}

// TestOB2CacheCancellation checks that an issuer document whose fetch was
// cut short by the caller's context is not remembered: the next badge
// fetches it again and gets the real answer.
func TestOB2CacheCancellation(t *testing.T) {
	k := testOB2Keys(t)
	cases := []struct {
		name string
		// first verifies raw with v in a way that gets cancelled while
		// gate holds the Profile, and returns the verification.
		first func(t *testing.T, v *Verifier, raw []byte, gate *fetchGate) Verification
		// tries is how many fetches of the Profile the Verifier starts in
		// all: the cancelled ones and the one that is remembered.
		tries int
	}{
		{name: "context cancelled before any fetch", tries: 1,
			first: func(t *testing.T, v *Verifier, raw []byte, gate *fetchGate) Verification {
				gate.open()
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				res, _ := ob2VerifyRaw(t, ctx, v, raw)
				return res
			}},
		{name: "context cancelled during the Profile fetch", tries: 2,
			first: func(t *testing.T, v *Verifier, raw []byte, gate *fetchGate) Verification {
				ctx, cancel := context.WithCancel(context.Background())
				go func() {
					<-gate.started
					cancel()
				}()
				res, _ := ob2VerifyRaw(t, ctx, v, raw)
				gate.open()
				return res
			}},
		{name: "waiter cancelled while another goroutine fetches the Profile", tries: 2,
			first: func(t *testing.T, v *Verifier, raw []byte, gate *fetchGate) Verification {
				// A live verification holds the fetch; a second one, whose
				// context is then cancelled, must not wait for it.
				done := make(chan Verification)
				go func() {
					res, _ := ob2VerifyRaw(t, context.Background(), v, raw)
					done <- res
				}()
				<-gate.started
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				res, _ := ob2VerifyRaw(t, ctx, v, raw)
				gate.open()
				if live := <-done; live.Status != StatusValid {
					t.Errorf("the live verification got %s:\n%s", live.Status, detailText(live))
				}
				return res
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newOB2CacheWeb(t)
			raws := ob2SignedFolder(t, 3, "RS256", k.rsa, func(i int, m map[string]any) {
				if i == 2 {
					m["id"] = ob2RevokedID
				}
			})
			gate := w.hold(t, ob2ProfileURL)
			v := w.verifier()
			first := tc.first(t, v, raws[0], gate)
			if first.Status != StatusUnverifiable || !strings.Contains(detailText(first), "context canceled") {
				t.Errorf("cancelled verification: %s, want unverifiable with %q:\n%s", first.Status, "context canceled", detailText(first))
			}
			for i, want := range []Status{StatusValid, StatusValid, StatusRevoked} {
				if res, _ := ob2VerifyRaw(t, context.Background(), v, raws[i]); res.Status != want {
					t.Errorf("after the cancellation, badge %d: %s, want %s:\n%s", i, res.Status, want, detailText(res))
				}
			}
			if got := w.tries(ob2ProfileURL); got != tc.tries {
				t.Errorf("the Verifier fetched the Profile %d times, want %d", got, tc.tries)
			}
			for _, u := range []string{ob2ProfileURL, ob2BadgeURL, ob2RSAKeyURL, ob2ListURL} {
				if got := w.hitCount(u); got != 1 {
					t.Errorf("the server answered %d requests for %s, want 1", got, u)
				}
			}
		})
	}
}

// TestOB2CacheConcurrent verifies one folder of signed and hosted badges
// from several goroutines, with one Verifier and with per-applicant
// copies of it: one fetch of each issuer document in total, and one
// fetch of each hosted assertion per verification. Run it with -race.
func TestOB2CacheConcurrent(t *testing.T) {
	k := testOB2Keys(t)
	for _, copies := range []bool{false, true} {
		t.Run(fmt.Sprintf("copies=%v", copies), func(t *testing.T) {
			w := newOB2CacheWeb(t)
			signed := ob2SignedFolder(t, 18, "RS256", k.rsa, func(i int, m map[string]any) {
				if i == 5 {
					m["id"] = ob2RevokedID
				}
			})
			hosted := ob2HostedFolder(t, w.fakeWeb, 6, "https://badges.example.com", nil)
			raws := append(signed, hosted...)
			v := w.verifier()
			v.ShareStatusLists()
			const workers = 6
			var wg sync.WaitGroup
			errs := make(chan error, workers*len(raws))
			for wk := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					vv := v
					if copies {
						c := *v
						c.Recipient = "Alice@Example.org"
						vv = &c
					}
					for j := range raws {
						i := (j + wk*5) % len(raws)
						c, err := Parse(raws[i])
						if err != nil {
							errs <- err
							return
						}
						res := vv.Verify(context.Background(), c)
						want := StatusValid
						if i == 5 {
							want = StatusRevoked
						}
						if res.Status != want {
							errs <- fmt.Errorf("worker %d, badge %d: %s, want %s:\n%s", wk, i, res.Status, want, detailText(res))
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			for _, u := range []string{ob2ProfileURL, ob2BadgeURL, ob2RSAKeyURL, ob2ListURL} {
				if got := w.hitCount(u); got != 1 {
					t.Errorf("%s fetched %d times by %d goroutines, want 1", u, got, workers)
				}
			}
			for i := range hosted {
				if got := w.hitCount(ob2HostedURL("https://badges.example.com", i)); got != workers {
					t.Errorf("hosted assertion %d fetched %d times by %d goroutines, want %d", i, got, workers, workers)
				}
			}
		})
	}
}

// TestOB2CacheLifetime pins how long issuer documents are reused: for the
// Verifier's fixed Now, or statusListTTL when Now is zero; copies made
// after ShareStatusLists share them, copies with other fetch settings do
// not.
func TestOB2CacheLifetime(t *testing.T) {
	k := testOB2Keys(t)
	// age makes every entry that can expire look statusListTTL old.
	age := func(v *Verifier) { expireMemo(v.ob2Memo()) }
	cases := []struct {
		name    string
		now     time.Time
		share   bool
		copy    func(v Verifier, i int) Verifier
		between func(v *Verifier)
		want    int // fetches of each issuer document
	}{
		{name: "fixed Now: reused however old", now: ob2Now, between: age, want: 1},
		{name: "zero Now: reused within the TTL", want: 1},
		{name: "zero Now: fetched again after the TTL", between: age, want: 2},
		{name: "copies after ShareStatusLists share the documents", now: ob2Now, share: true,
			copy: func(v Verifier, i int) Verifier { v.Recipient = "Alice@Example.org"; return v }, want: 1},
		{name: "copies of a Verifier never used before ShareStatusLists do not", now: ob2Now,
			copy: func(v Verifier, i int) Verifier { v.Recipient = "Alice@Example.org"; return v }, want: 2 * 4},
		{name: "copies with other fetch settings do not", now: ob2Now, share: true,
			copy: func(v Verifier, i int) Verifier { v.Timeout = time.Duration(i+1) * time.Second; return v }, want: 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newOB2CacheWeb(t)
			raws := ob2SignedFolder(t, 4, "RS256", k.rsa, func(i int, m map[string]any) {
				if i == 2 {
					m["id"] = ob2RevokedID
				}
			})
			v := w.verifier()
			v.Now = tc.now
			if tc.share {
				v.ShareStatusLists()
			}
			pass := func() {
				for i, raw := range raws {
					vv := v
					if tc.copy != nil {
						c := tc.copy(*v, i)
						vv = &c
					}
					res, _ := ob2VerifyRaw(t, context.Background(), vv, raw)
					if want := map[bool]Status{true: StatusRevoked, false: StatusValid}[i == 2]; res.Status != want {
						t.Errorf("badge %d: %s, want %s:\n%s", i, res.Status, want, detailText(res))
					}
				}
			}
			pass()
			if tc.between != nil {
				tc.between(v)
			}
			pass()
			for _, u := range []string{ob2ProfileURL, ob2BadgeURL, ob2RSAKeyURL, ob2ListURL} {
				if got := w.hitCount(u); got != tc.want {
					t.Errorf("%s fetched %d times, want %d", u, got, tc.want)
				}
			}
		})
	}
}

// TestOB2CacheDocumentsNotShared checks that the credentials filled in
// from remembered documents do not share them: changing one credential's
// Document changes neither the memo nor the next badge.
func TestOB2CacheDocumentsNotShared(t *testing.T) {
	k := testOB2Keys(t)
	cases := []struct {
		name   string
		folder func(t *testing.T, w *ob2CacheWeb) [][]byte
	}{
		{name: "signed", folder: func(t *testing.T, w *ob2CacheWeb) [][]byte {
			return ob2SignedFolder(t, 2, "RS256", k.rsa, nil)
		}},
		{name: "hosted", folder: func(t *testing.T, w *ob2CacheWeb) [][]byte {
			return ob2HostedFolder(t, w.fakeWeb, 2, "https://issuer.example.com", nil)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newOB2CacheWeb(t)
			raws := tc.folder(t, w)
			v := w.verifier()
			_, first := ob2VerifyRaw(t, context.Background(), v, raws[0])
			badge := first.Document["badge"].(map[string]any)
			badge["name"] = "Forged"
			badge["issuer"].(map[string]any)["name"] = "Forged Institute"
			badge["alignment"].([]any)[0].(map[string]any)["targetCode"] = "forged"
			res, second := ob2VerifyRaw(t, context.Background(), v, raws[1])
			if res.Status != StatusValid {
				t.Fatalf("second badge: %s:\n%s", res.Status, detailText(res))
			}
			if second.Achievement.Name != "Data Analysis Fundamentals" || second.Issuer.Name != "Example Institute of Technology" ||
				len(second.Achievement.Alignments) == 0 || second.Achievement.Alignments[0].TargetCode != "S2.7.1" {
				t.Errorf("a change to the first badge's Document reached the second: achievement %+v, issuer %+v", second.Achievement, second.Issuer)
			}
			if got := w.hitCount(ob2BadgeURL); got != 1 {
				t.Errorf("BadgeClass fetched %d times, want 1", got)
			}
		})
	}
}

// TestOB2CacheRevocationListLookup checks that the indexed revocation
// list finds the entry the list's first matching entry names, as walking
// revokedAssertions in order does.
func TestOB2CacheRevocationListLookup(t *testing.T) {
	doc, err := decodeObject(readFixture(t, "ob2/cache/revocations-order.json"))
	if err != nil {
		t.Fatal(err)
	}
	l := newOB2RevocationList(doc)
	// walk is the lookup by walking the list in order.
	walk := func(id, uid string) (string, bool) {
		for _, e := range list(doc, "revokedAssertions") {
			rid, reason := "", ""
			switch t := e.(type) {
			case string:
				rid = t
			case map[string]any:
				rid, reason = str(t, "id"), str(t, "revocationReason")
				if rid == "" {
					rid = str(t, "uid")
				}
			}
			if rid != "" && (ob2SameIRI(rid, id) || (uid != "" && rid == uid)) {
				return reason, true
			}
		}
		return "", false
	}
	cases := []struct {
		id, uid string
		revoked bool
		reason  string
	}{
		{id: "urn:uuid:0d3b4f0e-revoked-0001", revoked: true, reason: "first entry for this id"},
		{id: "https://issuer.example.com/assertions/41", revoked: true, reason: "matched as an IRI despite the trailing slash"},
		{id: "https://issuer.example.com/assertions/41//", revoked: true, reason: "matched as an IRI despite the trailing slash"},
		{id: "urn:uuid:not-revoked", uid: "abc123", revoked: true, reason: "matched by OB 1.x uid"},
		{id: "abc123", revoked: true, reason: "matched by OB 1.x uid"},
		{id: "urn:uuid:0d3b4f0e-revoked-0003", revoked: true, reason: ""},
		{id: "urn:uuid:0d3b4f0e-revoked-0005", uid: "uid-of-0005", revoked: true, reason: "listed by uid before the id"},
		{id: "urn:uuid:0d3b4f0e-revoked-0005", revoked: true, reason: "listed by id after the uid"},
		{id: "urn:uuid:not-revoked"},
		{id: "urn:uuid:not-revoked", uid: "uid-not-revoked"},
		{id: ""},
		{id: "42"},
	}
	for _, tc := range cases {
		t.Run(tc.id+"|"+tc.uid, func(t *testing.T) {
			r, ok := l.lookup(tc.id, tc.uid)
			if ok != tc.revoked || r.reason != tc.reason {
				t.Errorf("lookup(%q, %q) = %q, %v; want %q, %v", tc.id, tc.uid, r.reason, ok, tc.reason, tc.revoked)
			}
			if reason, found := walk(tc.id, tc.uid); found != ok || reason != r.reason {
				t.Errorf("lookup(%q, %q) = %q, %v; walking the list gives %q, %v", tc.id, tc.uid, r.reason, ok, reason, found)
			}
		})
	}
}

// BenchmarkVerifyOB2FolderSharedIssuer verifies a folder of 200 signed
// Open Badges 2.0 badges from one issuer (one Profile, BadgeClass, key
// and revocation list; badge 8 revoked) with a new Verifier per folder
// (one import), the issuer's documents served over HTTPS by a local
// server or read from a DocumentCache (the app's stored documents).
// Badges per second are reported as "badges/s".
func BenchmarkVerifyOB2FolderSharedIssuer(b *testing.B) {
	k := testOB2Keys(b)
	w := issuerWeb(b)
	const folder = 200
	raws := ob2SignedFolder(b, folder, "RS256", k.rsa, func(i int, m map[string]any) {
		if i == 8 {
			m["id"] = "urn:uuid:0d3b4f0e-revoked-0001"
		}
	})
	dc, err := OpenDocumentCache(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	docs := map[string][]byte{
		"https://issuer.example.com/issuer":      readFixture(b, "ob2/issuer.json"),
		"https://issuer.example.com/badges/data": readFixture(b, "ob2/badge.json"),
		"https://issuer.example.com/revocations": readFixture(b, "ob2/revocations.json"),
		"https://issuer.example.com/keys/rsa":    keyDoc(b, "https://issuer.example.com/keys/rsa", "https://issuer.example.com/issuer", k.rsa.Public()),
	}
	for u, d := range docs {
		if err := dc.Put(u, d); err != nil {
			b.Fatal(err)
		}
	}
	for _, where := range []struct {
		name string
		v    func() *Verifier
	}{
		{"https", func() *Verifier {
			return &Verifier{Now: ob2Now, HTTPClient: w.client, Timeout: 5 * time.Second, Recipient: "alice@example.org"}
		}},
		{"document-cache", func() *Verifier {
			return &Verifier{Now: ob2Now, Offline: true, Documents: dc, Recipient: "alice@example.org"}
		}},
	} {
		b.Run(where.name, func(b *testing.B) { benchVerifyFolder(b, raws, where.v, 8, "badges/s") })
	}
}

// TestOB2CacheMemoBounds checks that the memo of issuer documents keeps
// its own bounds and does not push status lists out.
func TestOB2CacheMemoBounds(t *testing.T) {
	cases := []struct {
		name     string
		docs     int
		size     int
		wantDocs int
	}{
		{name: "many small documents", docs: maxOB2MemoDocs + 30, size: 2000, wantDocs: maxOB2MemoDocs},
		{name: "a few huge documents", docs: 6, size: 10 << 20, wantDocs: maxOB2MemoBytes / (10 << 20)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v Verifier
			v.Now = ob2Now
			sl := v.statusMemo().remember(context.Background(), v.statusMemoKey(memoBitstring, "https://lists.example/1"), func() (any, int) { return "list", 100 })
			m := v.ob2Memo()
			for i := range tc.docs {
				key := v.statusMemoKey(memoOB2Profile, fmt.Sprintf("https://issuer%d.example/issuer", i))
				if got := m.remember(context.Background(), key, func() (any, int) { return i, tc.size }); got != i {
					t.Fatalf("document %d: got %v", i, got)
				}
			}
			if len(m.entries) != tc.wantDocs || m.bytes != tc.wantDocs*tc.size {
				t.Errorf("%d documents of %d bytes kept (%d bytes), want %d", len(m.entries), tc.size, m.bytes, tc.wantDocs)
			}
			if _, ok := m.entries[v.statusMemoKey(memoOB2Profile, fmt.Sprintf("https://issuer%d.example/issuer", tc.docs-1))]; !ok {
				t.Error("the newest document was evicted")
			}
			if len(v.statusLists.entries) != 1 || sl != "list" {
				t.Errorf("the status lists changed: %d entries", len(v.statusLists.entries))
			}
		})
	}
}
