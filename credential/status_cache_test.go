package credential

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// listFixture is an https issuer (a Profile at /issuer whose key #k signs
// the credentials) that also publishes status lists, signed with a second
// key at /keys/list (a key document controlled by the issuer). Every
// request is counted per path, so fetches of a list count list fetches and
// fetches of /keys/list count verifications of a list's proof.
type listFixture struct {
	srv    *httptest.Server
	key    testKey
	issuer string // srv.URL + "/issuer"
	listVM string // srv.URL + "/keys/list"

	mu    sync.Mutex
	docs  map[string][]byte
	hits  map[string]int
	gates map[string]*fetchGate
}

// fetchGate holds a request for its path until released (or until the
// client gives up), so that a test can cancel a verification mid-fetch.
type fetchGate struct {
	started chan struct{} // receives a value when a request arrives
	release chan struct{} // closed by open to let requests proceed
	once    sync.Once
}

func (g *fetchGate) open() { g.once.Do(func() { close(g.release) }) }

func newListFixture(t testing.TB) *listFixture {
	fx := &listFixture{key: newKey(t), docs: map[string][]byte{}, hits: map[string]int{}, gates: map[string]*fetchGate{}}
	fx.srv = httptest.NewTLSServer(http.HandlerFunc(fx.serve))
	t.Cleanup(fx.srv.Close)
	fx.issuer = fx.srv.URL + "/issuer"
	fx.listVM = fx.srv.URL + "/keys/list"
	fx.putJSON(t, "/issuer", map[string]any{
		"id": fx.issuer, "type": "Profile", "name": "Test College",
		"verificationMethod": []any{map[string]any{
			"id": fx.issuer + "#k", "type": "Multikey", "controller": fx.issuer, "publicKeyMultibase": Ed25519Multikey(fx.key.pub),
		}},
	})
	fx.putJSON(t, "/keys/list", map[string]any{
		"id": fx.listVM, "type": "Multikey", "controller": fx.issuer, "publicKeyMultibase": Ed25519Multikey(fx.key.pub),
	})
	return fx
}

func (fx *listFixture) serve(w http.ResponseWriter, r *http.Request) {
	fx.mu.Lock()
	fx.hits[r.URL.Path]++
	b, ok := fx.docs[r.URL.Path]
	g := fx.gates[r.URL.Path]
	fx.mu.Unlock()
	if g != nil {
		select {
		case g.started <- struct{}{}:
		default:
		}
		select {
		case <-g.release:
		case <-r.Context().Done():
			return
		}
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

func (fx *listFixture) putJSON(t testing.TB, path string, doc any) string {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	fx.mu.Lock()
	fx.docs[path] = b
	fx.mu.Unlock()
	return fx.srv.URL + path
}

// hold makes requests for path wait until the returned gate is released;
// the gate is released at the end of the test at the latest.
func (fx *listFixture) hold(t testing.TB, path string) *fetchGate {
	g := &fetchGate{started: make(chan struct{}, 1), release: make(chan struct{})}
	fx.mu.Lock()
	fx.gates[path] = g
	fx.mu.Unlock()
	t.Cleanup(g.open)
	return g
}

func (fx *listFixture) count(path string) int {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	return fx.hits[path]
}

func (fx *listFixture) resetCounts() {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	clear(fx.hits)
}

// listOptions describe a status list credential to publish.
type listOptions struct {
	path       string
	vc11       bool     // a StatusList2021Credential (VC 1.1) instead of a BitstringStatusListCredential
	purpose    string   // "revocation" (default) or "suspension"
	bits       int      // list length (default minStatusListBits)
	set        []int    // bits set
	issuer     *testKey // sign as this did:key issuer instead of the fixture's issuer
	validUntil string
	tamper     bool // change the list after signing, so its proof fails
	badList    bool // an encodedList that is not GZIP
}

// addList publishes a status list credential and returns its URL.
func (fx *listFixture) addList(t testing.TB, o listOptions) string {
	t.Helper()
	if o.purpose == "" {
		o.purpose = "revocation"
	}
	if o.bits == 0 {
		o.bits = minStatusListBits
	}
	bits := make([]byte, o.bits/8)
	for _, i := range o.set {
		bits[i/8] |= 1 << (7 - uint(i%8))
	}
	enc, err := EncodeStatusList(bits)
	if err != nil {
		t.Fatal(err)
	}
	if o.badList {
		enc = "u" + b64urlEncode([]byte("not gzip"))
	}
	u := fx.srv.URL + o.path
	issuer, vm, priv := fx.issuer, fx.listVM, fx.key.priv
	if o.issuer != nil {
		issuer, vm, priv = o.issuer.did, o.issuer.vm, o.issuer.priv
	}
	doc := map[string]any{
		"@context":  []any{contextVC2},
		"id":        u,
		"type":      []any{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer":    issuer,
		"validFrom": "2024-01-01T00:00:00Z",
		"credentialSubject": map[string]any{
			"id": u + "#list", "type": "BitstringStatusList", "statusPurpose": o.purpose, "encodedList": enc,
		},
	}
	if o.vc11 {
		doc = map[string]any{
			"@context":     []any{contextVC1, "https://w3id.org/vc/status-list/2021/v1", "https://w3id.org/security/data-integrity/v2"},
			"id":           u,
			"type":         []any{"VerifiableCredential", "StatusList2021Credential"},
			"issuer":       issuer,
			"issuanceDate": "2024-01-01T00:00:00Z",
			"credentialSubject": map[string]any{
				"id": u + "#list", "type": "StatusList2021", "statusPurpose": o.purpose, "encodedList": strings.TrimPrefix(enc, "u"),
			},
		}
	}
	if o.validUntil != "" {
		doc["validUntil"] = o.validUntil
	}
	signed, err := signProof(doc, priv, vm, testNow.Add(-time.Hour), SuiteEdDSARDFC2022)
	if err != nil {
		t.Fatal(err)
	}
	if o.tamper {
		other, err := EncodeStatusList(make([]byte, o.bits/8))
		if err != nil {
			t.Fatal(err)
		}
		signed["credentialSubject"].(map[string]any)["encodedList"] = other
	}
	return fx.putJSON(t, o.path, signed)
}

// credentials returns n signed credentials of the fixture's issuer, the
// i-th with id urn:uuid:…-i and the status entry entry(i).
func (fx *listFixture) credentials(t testing.TB, n int, vc11 bool, entry func(i int) map[string]any) [][]byte {
	t.Helper()
	out := make([][]byte, n)
	for i := range out {
		d := ob3(fx.issuer)
		d["id"] = credentialID(i)
		if vc11 {
			d["@context"] = append(d["@context"].([]any), "https://w3id.org/vc/status-list/2021/v1")
		}
		d["credentialStatus"] = entry(i)
		s, err := signProof(d, fx.key.priv, fx.issuer+"#k", testNow.Add(-time.Hour), SuiteEdDSARDFC2022)
		if err != nil {
			t.Fatal(err)
		}
		if out[i], err = json.Marshal(s); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func credentialID(i int) string { return fmt.Sprintf("urn:uuid:3f1c6f8e-0000-4000-8000-%012d", i) }

func bitstringEntry(listURL, purpose string) func(int) map[string]any {
	return func(i int) map[string]any {
		return map[string]any{
			"id": fmt.Sprintf("%s#%d", listURL, i), "type": "BitstringStatusListEntry",
			"statusPurpose": purpose, "statusListIndex": fmt.Sprint(i), "statusListCredential": listURL,
		}
	}
}

func (fx *listFixture) verifier() *Verifier {
	return &Verifier{Now: testNow, HTTPClient: fx.srv.Client(), Timeout: 5 * time.Second}
}

// statusOf parses and verifies raw with v and returns its status check.
func statusOf(t testing.TB, ctx context.Context, v *Verifier, raw []byte) Check {
	t.Helper()
	c, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	res := v.Verify(ctx, c)
	k, ok := res.Check(CheckStatus)
	if !ok {
		t.Fatalf("no status check in %+v", res.Checks)
	}
	return k
}

// TestStatusCacheSharedList verifies a folder of credentials naming one
// list with one Verifier: the list is fetched once and its proof verified once, and
// every credential's status check is exactly what a Verifier of its own
// (which fetches and verifies the list for that credential alone, as
// every credential did before lists were remembered) reports.
func TestStatusCacheSharedList(t *testing.T) {
	fx := newListFixture(t)
	other := newKey(t)
	// The first case has the folder of 50; the others, 20 each, keep
	// the test quick on a shared machine.
	n := 50
	type tc struct {
		name  string
		setup func(t *testing.T) (creds [][]byte, listPath string)
		// effect is the status check's effect for credential i.
		effect     func(i int) Status
		detail     string // a fragment every credential's status detail contains
		listHits   int
		proofFetch int // fetches of the list's key: verifications of its proof
	}
	bitstring := func(o listOptions) func(t *testing.T) ([][]byte, string) {
		return func(t *testing.T) ([][]byte, string) {
			u := fx.addList(t, o)
			if o.vc11 {
				return fx.credentials(t, n, true, func(i int) map[string]any {
					return map[string]any{"id": fmt.Sprintf("%s#%d", u, i), "type": "StatusList2021Entry", "statusPurpose": "revocation", "statusListIndex": fmt.Sprint(i), "statusListCredential": u}
				}), o.path
			}
			purpose := o.purpose
			if purpose == "" {
				purpose = "revocation"
			}
			return fx.credentials(t, n, false, bitstringEntry(u, purpose)), o.path
		}
	}
	only := func(idx int, s Status) func(int) Status {
		return func(i int) Status {
			if i == idx {
				return s
			}
			return StatusValid
		}
	}
	all := func(s Status) func(int) Status { return func(int) Status { return s } }
	cases := []tc{
		{name: "bitstring revocation list, one bit set", setup: bitstring(listOptions{path: "/status/rev", set: []int{7}}),
			effect: only(7, StatusRevoked), detail: "/status/rev, index", listHits: 1, proofFetch: 1},
		{name: "bitstring suspension list", setup: bitstring(listOptions{path: "/status/sus", purpose: "suspension", set: []int{3}}),
			effect: only(3, StatusSuspended), detail: "/status/sus, index", listHits: 1, proofFetch: 1},
		{name: "StatusList2021", setup: bitstring(listOptions{path: "/status/2021", vc11: true, set: []int{11}}),
			effect: only(11, StatusRevoked), detail: "/status/2021, index", listHits: 1, proofFetch: 1},
		{name: "short list warns for everyone", setup: bitstring(listOptions{path: "/status/short", bits: 1024, set: []int{1}}),
			effect: only(1, StatusRevoked), detail: "/status/short, index", listHits: 1, proofFetch: 1},
		{name: "list whose proof is bad", setup: bitstring(listOptions{path: "/status/tampered", set: []int{7}, tamper: true}),
			effect: all(StatusUnverifiable), detail: "could not be checked: its signature could not be verified", listHits: 1, proofFetch: 1},
		{name: "list of another issuer", setup: bitstring(listOptions{path: "/status/foreign", issuer: &other}),
			effect: all(StatusUnverifiable), detail: "not by the credential's issuer", listHits: 1, proofFetch: 0},
		{name: "expired list", setup: bitstring(listOptions{path: "/status/expired", validUntil: "2025-01-01T00:00:00Z"}),
			effect: all(StatusUnverifiable), detail: "it expired at 2025-01-01T00:00:00Z", listHits: 1, proofFetch: 1},
		{name: "encodedList is not GZIP", setup: bitstring(listOptions{path: "/status/garbled", badList: true}),
			effect: all(StatusUnverifiable), detail: "encodedList is not GZIP-compressed", listHits: 1, proofFetch: 1},
		{name: "list not found", setup: func(t *testing.T) ([][]byte, string) {
			return fx.credentials(t, n, false, bitstringEntry(fx.srv.URL+"/status/missing", "revocation")), "/status/missing"
		}, effect: all(StatusUnverifiable), detail: "404", listHits: 1, proofFetch: 0},
		{name: "1EdTech revocation list", setup: func(t *testing.T) ([][]byte, string) {
			u := fx.putJSON(t, "/revocations", map[string]any{
				"id": fx.srv.URL + "/revocations", "issuer": fx.issuer,
				"revokedCredentials": []any{credentialID(5), map[string]any{"id": credentialID(9), "revocationReason": "issued in error"}},
			})
			return fx.credentials(t, n, false, func(int) map[string]any {
				return map[string]any{"id": u, "type": "1EdTechRevocationList"}
			}), "/revocations"
		}, effect: func(i int) Status {
			if i == 5 || i == 9 {
				return StatusRevoked
			}
			return StatusValid
		}, detail: "1EdTech revocation list", listHits: 1, proofFetch: 0},
	}
	for ci, tc := range cases {
		if ci > 0 {
			n = 20
		}
		t.Run(tc.name, func(t *testing.T) {
			creds, path := tc.setup(t)
			fx.resetCounts()
			ctx := context.Background()
			v := fx.verifier()
			shared := make([]Check, len(creds))
			for i, raw := range creds {
				shared[i] = statusOf(t, ctx, v, raw)
			}
			if got := fx.count(path); got != tc.listHits {
				t.Errorf("%d fetches of %s for %d credentials, want %d", got, path, len(creds), tc.listHits)
			}
			if got := fx.count("/keys/list"); got != tc.proofFetch {
				t.Errorf("the list's key was fetched %d times, want %d (once per verification of the list's proof)", got, tc.proofFetch)
			}
			if got := fx.count("/issuer"); got != len(creds) {
				t.Errorf("the credentials' key was fetched %d times, want one per credential (%d)", got, len(creds))
			}
			for i, raw := range creds {
				k := shared[i]
				if k.Effect != tc.effect(i) {
					t.Errorf("credential %d: status %s (%s), want %s", i, k.Effect, k.Detail, tc.effect(i))
				}
				if !strings.Contains(k.Detail, tc.detail) {
					t.Errorf("credential %d: detail %q does not contain %q", i, k.Detail, tc.detail)
				}
				if alone := statusOf(t, ctx, fx.verifier(), raw); alone != k {
					t.Errorf("credential %d: with the shared list\n  %+v\nwith a list fetched for it alone\n  %+v", i, k, alone)
				}
			}
		})
	}
}

// TestStatusCacheLifetime pins how long a verified list is reused: for
// the Verifier's fixed Now, or statusListTTL when Now is zero; copies
// made after ShareStatusLists share the lists, copies with another Now
// or other fetch settings do not.
func TestStatusCacheLifetime(t *testing.T) {
	fx := newListFixture(t)
	u := fx.addList(t, listOptions{path: "/status/life", set: []int{2}})
	creds := fx.credentials(t, 4, false, bitstringEntry(u, "revocation"))
	// age makes every entry that can expire look statusListTTL old.
	age := func(v *Verifier) { expireMemo(v.statusMemo()) }
	cases := []struct {
		name string
		// run verifies every credential (each with its own copy of the
		// Verifier when copy is set), calls between, and verifies them again.
		now     time.Time
		share   bool
		copy    func(v Verifier, i int) Verifier
		between func(v *Verifier)
		want    int // fetches of the list
	}{
		{name: "fixed Now: reused however old", now: testNow, between: age, want: 1},
		{name: "zero Now: reused within the TTL", want: 1},
		{name: "zero Now: fetched again after the TTL", between: age, want: 2},
		{name: "copies after ShareStatusLists share the list", now: testNow, share: true,
			copy: func(v Verifier, i int) Verifier { v.Recipient = fmt.Sprintf("applicant%d@example.org", i); return v }, want: 1},
		{name: "copies of a Verifier never used before ShareStatusLists do not", now: testNow,
			copy: func(v Verifier, i int) Verifier { v.Recipient = fmt.Sprintf("applicant%d@example.org", i); return v }, want: 2 * 4},
		{name: "copies verifying as of another moment do not", now: testNow, share: true,
			copy: func(v Verifier, i int) Verifier { v.Now = testNow.Add(time.Duration(i) * time.Minute); return v }, want: 4},
		{name: "copies with other fetch settings do not", now: testNow, share: true,
			copy: func(v Verifier, i int) Verifier { v.Timeout = time.Duration(i+1) * time.Second; return v }, want: 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx.resetCounts()
			v := fx.verifier()
			v.Now = tc.now
			if tc.share {
				v.ShareStatusLists()
			}
			pass := func() {
				for i, raw := range creds {
					w := v
					if tc.copy != nil {
						c := tc.copy(*v, i)
						w = &c
					}
					k := statusOf(t, context.Background(), w, raw)
					if want := map[bool]Status{true: StatusRevoked, false: StatusValid}[i == 2]; k.Effect != want {
						t.Errorf("credential %d: %s (%s), want %s", i, k.Effect, k.Detail, want)
					}
				}
			}
			pass()
			if tc.between != nil {
				tc.between(v)
			}
			pass()
			if got := fx.count("/status/life"); got != tc.want {
				t.Errorf("list fetched %d times, want %d", got, tc.want)
			}
		})
	}
}

// TestStatusCacheCancellation checks that a verification cut short by its
// context is not remembered: the next credential fetches the list again
// and gets the real answer.
func TestStatusCacheCancellation(t *testing.T) {
	fx := newListFixture(t)
	cases := []struct {
		name string
		// first verifies creds[0] with v in a way that gets cancelled and
		// returns its status check.
		first func(t *testing.T, v *Verifier, raw []byte, gate *fetchGate) Check
		// wantFirst is a fragment of the cancelled check's detail.
		wantFirst string
	}{
		{name: "context cancelled before the fetch", wantFirst: "context canceled",
			first: func(t *testing.T, v *Verifier, raw []byte, gate *fetchGate) Check {
				gate.open()
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return statusOf(t, ctx, v, raw)
			}},
		{name: "context cancelled during the fetch", wantFirst: "context canceled",
			first: func(t *testing.T, v *Verifier, raw []byte, gate *fetchGate) Check {
				ctx, cancel := context.WithCancel(context.Background())
				go func() {
					<-gate.started
					cancel()
				}()
				k := statusOf(t, ctx, v, raw)
				gate.open()
				return k
			}},
		{name: "waiter cancelled while another goroutine fetches", wantFirst: "context canceled",
			first: func(t *testing.T, v *Verifier, raw []byte, gate *fetchGate) Check {
				// A live verification holds the fetch; a second one, whose
				// context is then cancelled, must not wait for it.
				done := make(chan Check)
				go func() { done <- statusOf(t, context.Background(), v, raw) }()
				<-gate.started
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				k := statusOf(t, ctx, v, raw)
				gate.open()
				if live := <-done; live.Effect != StatusValid {
					t.Errorf("the live verification got %s (%s)", live.Effect, live.Detail)
				}
				return k
			}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := fmt.Sprintf("/status/cancel-%d", i)
			u := fx.addList(t, listOptions{path: path, set: []int{1}})
			creds := fx.credentials(t, 2, false, bitstringEntry(u, "revocation"))
			gate := fx.hold(t, path)
			v := fx.verifier()
			k := tc.first(t, v, creds[0], gate)
			if k.Effect != StatusUnverifiable || !strings.Contains(k.Detail, tc.wantFirst) {
				t.Errorf("cancelled verification: %s (%s), want unverifiable with %q", k.Effect, k.Detail, tc.wantFirst)
			}
			for j, want := range []Status{StatusValid, StatusRevoked} {
				if k := statusOf(t, context.Background(), v, creds[j]); k.Effect != want {
					t.Errorf("after the cancellation, credential %d: %s (%s), want %s", j, k.Effect, k.Detail, want)
				}
			}
			before := fx.count(path)
			statusOf(t, context.Background(), v, creds[0])
			if after := fx.count(path); after != before {
				t.Errorf("the list was fetched again (%d → %d) after a successful verification", before, after)
			}
		})
	}
}

// TestStatusCacheConcurrent verifies one folder from several goroutines
// with one Verifier and with per-applicant copies of it: one fetch and one
// proof verification of the list in total. Run it with -race.
func TestStatusCacheConcurrent(t *testing.T) {
	fx := newListFixture(t)
	u := fx.addList(t, listOptions{path: "/status/shared", set: []int{4, 13}})
	creds := fx.credentials(t, 24, false, bitstringEntry(u, "revocation"))
	for _, copies := range []bool{false, true} {
		t.Run(fmt.Sprintf("copies=%v", copies), func(t *testing.T) {
			fx.resetCounts()
			v := fx.verifier()
			v.ShareStatusLists()
			const workers = 6
			var wg sync.WaitGroup
			errs := make(chan error, workers*len(creds))
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					vv := v
					if copies {
						c := *v
						c.Recipient = fmt.Sprintf("worker%d@example.org", w)
						vv = &c
					}
					for i := range creds {
						i := (i + w*5) % len(creds)
						c, err := Parse(creds[i])
						if err != nil {
							errs <- err
							return
						}
						k, _ := vv.Verify(context.Background(), c).Check(CheckStatus)
						want := StatusValid
						if i == 4 || i == 13 {
							want = StatusRevoked
						}
						if k.Effect != want {
							errs <- fmt.Errorf("worker %d, credential %d: %s (%s), want %s", w, i, k.Effect, k.Detail, want)
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if got := fx.count("/status/shared"); got != 1 {
				t.Errorf("list fetched %d times by %d goroutines, want 1", got, workers)
			}
			if got := fx.count("/keys/list"); got != 1 {
				t.Errorf("list proof verified %d times, want 1", got)
			}
		})
	}
}

// TestStatusCacheMemoBounds exercises the memo itself: its size limits and
// its recovery from a verification that panics.
func TestStatusCacheMemoBounds(t *testing.T) {
	key := func(i int) statusMemoKey {
		return statusMemoKey{kind: memoBitstring, url: fmt.Sprintf("https://lists.example/%d", i), at: testNow}
	}
	cases := []struct {
		name      string
		lists     int
		size      int
		wantLists int
	}{
		{name: "many small lists", lists: maxStatusMemoLists + 40, size: 1000, wantLists: maxStatusMemoLists},
		{name: "a few huge lists", lists: 5, size: 30 << 20, wantLists: maxStatusMemoBytes / (30 << 20)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v Verifier
			m := v.statusMemo()
			for i := range tc.lists {
				got := m.remember(context.Background(), key(i), func() (any, int) { return i, tc.size })
				if got != i {
					t.Fatalf("list %d: got %v", i, got)
				}
			}
			if len(m.entries) != tc.wantLists || m.bytes != tc.wantLists*tc.size {
				t.Errorf("%d lists of %d bytes kept (%d bytes), want %d", len(m.entries), tc.size, m.bytes, tc.wantLists)
			}
			last := tc.lists - 1
			if _, ok := m.entries[key(last)]; !ok {
				t.Errorf("the newest list was evicted")
			}
			if _, ok := m.entries[key(0)]; ok {
				t.Errorf("the oldest list was kept")
			}
		})
	}
	t.Run("a verification that panics is not remembered", func(t *testing.T) {
		var v Verifier
		m := v.statusMemo()
		func() {
			defer func() {
				if recover() == nil {
					t.Error("the panic was swallowed")
				}
			}()
			m.remember(context.Background(), key(1), func() (any, int) { panic(errors.New("boom")) })
		}()
		if got := m.remember(context.Background(), key(1), func() (any, int) { return "fresh", 1 }); got != "fresh" {
			t.Errorf("after a panic got %v, want a fresh verification", got)
		}
	})
}

// BenchmarkVerifyFolderSharedStatusList verifies a folder of 200
// credentials of one issuer that name one Bitstring Status List, with a
// new Verifier per folder (one import), the list served over HTTPS by a
// local server or read from a DocumentCache (the app's stored documents).
// credentials/s is reported as "creds/s".
func BenchmarkVerifyFolderSharedStatusList(b *testing.B) {
	iss := newKey(b)
	ss := &statusServer{lists: map[string][]byte{}}
	ss.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := ss.lists[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	defer ss.srv.Close()
	bits := make([]byte, minStatusListBits/8)
	bits[1] = 0x80 // credential 8 is revoked
	enc, err := EncodeStatusList(bits)
	if err != nil {
		b.Fatal(err)
	}
	listURL := ss.srv.URL + "/status/1"
	list := mustSign(b, map[string]any{
		"@context": []any{contextVC2}, "id": listURL,
		"type":   []any{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer": iss.did, "validFrom": "2024-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": listURL + "#list", "type": "BitstringStatusList", "statusPurpose": "revocation", "encodedList": enc},
	}, iss, SuiteEdDSARDFC2022)
	ss.lists["/status/1"], _ = json.Marshal(list)
	dc, err := OpenDocumentCache(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	if err := dc.Put(listURL, ss.lists["/status/1"]); err != nil {
		b.Fatal(err)
	}
	const folder = 200
	raws := make([][]byte, folder)
	for i := range raws {
		d := ob3(iss.did)
		d["id"] = fmt.Sprintf("urn:uuid:3f1c6f8e-0000-4000-8000-%012d", i)
		d["credentialStatus"] = map[string]any{
			"id": fmt.Sprintf("%s#%d", listURL, i), "type": "BitstringStatusListEntry",
			"statusPurpose": "revocation", "statusListIndex": fmt.Sprint(i), "statusListCredential": listURL,
		}
		raws[i], _ = json.Marshal(mustSign(b, d, iss, SuiteEdDSARDFC2022))
	}
	for _, where := range []struct {
		name string
		v    func() *Verifier
	}{
		{"https", func() *Verifier {
			return &Verifier{Now: testNow, HTTPClient: ss.srv.Client(), Timeout: 5 * time.Second}
		}},
		{"document-cache", func() *Verifier { return &Verifier{Now: testNow, Offline: true, Documents: dc} }},
	} {
		b.Run(where.name, func(b *testing.B) { benchVerifyFolder(b, raws, where.v, 8, "creds/s") })
	}
}

// expireMemo makes every entry of m that can expire look older than its
// lifetime.
func expireMemo(m *statusMemo) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.entries {
		if !e.expires.IsZero() {
			e.expires = time.Now().Add(-time.Second)
		}
	}
}

// benchVerifyFolder verifies the credentials raws with a new Verifier from
// newVerifier at each iteration (the memos start empty, as in one import)
// and reports credentials per second in unit; the one at index revoked
// must come out revoked, the others valid.
func benchVerifyFolder(b *testing.B, raws [][]byte, newVerifier func() *Verifier, revoked int, unit string) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		v := newVerifier()
		for i, raw := range raws {
			c, err := Parse(raw)
			if err != nil {
				b.Fatal(err)
			}
			want := StatusValid
			if i == revoked {
				want = StatusRevoked
			}
			if res := v.Verify(ctx, c); res.Status != want {
				b.Fatalf("credential %d: %s:\n%s", i, res.Status, detailText(res))
			}
		}
	}
	b.ReportMetric(float64(len(raws)*b.N)/b.Elapsed().Seconds(), unit)
}
