package credential

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sharedData is the project's shared test data, outside the repository.
const sharedData = "../../shared/data/credentials"

// needShared skips the test when the shared data folder is absent and
// registers the example contexts the W3C vectors use (they are not part of
// Skillmatch's embedded set, being examples) for the test's duration.
func needShared(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(sharedData); err != nil {
		t.Skipf("shared test data %s is absent (%v): the W3C/1EdTech vector tests need it", sharedData, err)
	}
	extra := map[string]string{
		"https://www.w3.org/ns/credentials/examples/v2":   "credentials-examples-v2.jsonld",
		"https://www.w3.org/2018/credentials/examples/v1": "credentials-examples-v1.jsonld",
		"https://w3id.org/citizenship/v4rc1":              "citizenship-v4rc1.jsonld",
	}
	for u, f := range extra {
		data, err := os.ReadFile(filepath.Join(sharedData, "contexts", f))
		if err != nil {
			t.Fatal(err)
		}
		d, err := decodeJSON(data)
		if err != nil {
			t.Fatal(err)
		}
		ExtraContexts[u] = d
	}
	t.Cleanup(func() {
		for u := range extra {
			delete(ExtraContexts, u)
		}
	})
	return sharedData
}

func readJSONFile(t testing.TB, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := decodeObject(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

func readText(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// privFromMultibase decodes a Multikey Ed25519 private key (0x8026 prefix).
func privFromMultibase(t testing.TB, mb string) ed25519.PrivateKey {
	t.Helper()
	b, err := multibaseDecode(mb)
	if err != nil || len(b) != 34 || b[0] != 0x80 || b[1] != 0x26 {
		t.Fatalf("private key %s: %v", mb, err)
	}
	return ed25519.NewKeyFromSeed(b[2:])
}

// TestW3CEdDSAVectors reproduces every intermediate value of the W3C
// vc-di-eddsa test vectors: canonical document and proof options, their
// hashes, the signature, and verification of the signed credential.
func TestW3CEdDSAVectors(t *testing.T) {
	dir := filepath.Join(needShared(t), "w3c-vc-di-eddsa", "TestVectors")
	keys := readJSONFile(t, filepath.Join(dir, "keyPair.json"))
	priv := privFromMultibase(t, str(keys, "privateKeyMultibase"))
	cases := []struct {
		suite, sub, suffix string
	}{
		{SuiteEdDSARDFC2022, "eddsa-rdfc-2022", "DataInt"},
		{SuiteEdDSARDFC2022, "eddsa-rdfc-2022/employ", "DataInt"},
		{SuiteEdDSAJCS2022, "eddsa-jcs-2022", "JCS"},
		{SuiteEd25519Signature2020, "Ed25519Signature2020", "EdSig"},
	}
	for _, tc := range cases {
		t.Run(tc.sub, func(t *testing.T) {
			d := filepath.Join(dir, tc.sub)
			signed := readJSONFile(t, filepath.Join(d, "signed"+tc.suffix+".json"))
			cfg := readJSONFile(t, filepath.Join(d, "proofConfig"+tc.suffix+".json"))
			doc := cloneJSON(signed).(map[string]any)
			delete(doc, "proof")
			ctx := context.Background()
			l := &contextLoader{}
			var canonDoc, canonCfg string
			if tc.suite == SuiteEdDSAJCS2022 {
				b, err := CanonicalJSON(doc)
				if err != nil {
					t.Fatal(err)
				}
				canonDoc = string(b)
				if b, err = CanonicalJSON(cfg); err != nil {
					t.Fatal(err)
				}
				canonCfg = string(b)
			} else {
				r, err := canonicalize(ctx, l, doc)
				if err != nil {
					t.Fatal(err)
				}
				canonDoc = r.nquads
				if len(r.undefined) != 0 {
					t.Errorf("vector document has undefined terms %v", r.undefined)
				}
				if r, err = canonicalize(ctx, l, cfg); err != nil {
					t.Fatal(err)
				}
				canonCfg = r.nquads
			}
			if want := readText(t, filepath.Join(d, "canonDoc"+tc.suffix+".txt")); canonDoc != want {
				t.Errorf("canonical document differs:\ngot  %q\nwant %q", canonDoc, want)
			}
			if want := readText(t, filepath.Join(d, "proofCanon"+tc.suffix+".txt")); canonCfg != want {
				t.Errorf("canonical proof options differ:\ngot  %q\nwant %q", canonCfg, want)
			}
			dh := sha256.Sum256([]byte(canonDoc))
			ph := sha256.Sum256([]byte(canonCfg))
			if want := strings.TrimSpace(readText(t, filepath.Join(d, "docHash"+tc.suffix+".txt"))); hex.EncodeToString(dh[:]) != want {
				t.Errorf("document hash %x, want %s", dh, want)
			}
			if want := strings.TrimSpace(readText(t, filepath.Join(d, "proofHash"+tc.suffix+".txt"))); hex.EncodeToString(ph[:]) != want {
				t.Errorf("proof hash %x, want %s", ph, want)
			}
			combined := append(ph[:], dh[:]...)
			if want := strings.TrimSpace(readText(t, filepath.Join(d, "combinedHash"+tc.suffix+".txt"))); hex.EncodeToString(combined) != want {
				t.Errorf("combined hash %x, want %s", combined, want)
			}
			// The hashData path used by verification gives the same bytes.
			p := obj(signed, "proof")
			data, _, err := hashData(ctx, l, tc.suite, doc, p)
			if err != nil {
				t.Fatal(err)
			}
			if hex.EncodeToString(data) != hex.EncodeToString(combined) {
				t.Errorf("hashData differs from the vector's combined hash")
			}
			sig := ed25519.Sign(priv, combined)
			if want := strings.TrimSpace(readText(t, filepath.Join(d, "sigHex"+tc.suffix+".txt"))); hex.EncodeToString(sig) != want {
				t.Errorf("signature %x, want %s", sig, want)
			}
			if want := strings.TrimSpace(readText(t, filepath.Join(d, "sigBTC58"+tc.suffix+".txt"))); "z"+base58Encode(sig) != want && base58Encode(sig) != want {
				t.Errorf("base58 signature %s, want %s", base58Encode(sig), want)
			}
			if str(p, "proofValue") != "z"+base58Encode(sig) {
				t.Errorf("signed vector's proofValue %s, our signature z%s", str(p, "proofValue"), base58Encode(sig))
			}
			// Verification: the signature is valid; the vector's issuer is
			// not the key's controller, so the key check must fail.
			raw, _ := json.Marshal(signed)
			c, err := Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			v := &Verifier{Offline: true, Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
			res := v.Verify(ctx, c)
			if k, _ := res.Check(CheckProof); k.Result != ResultPass {
				t.Errorf("proof check %+v, want pass", k)
			}
			if k, _ := res.Check(CheckKey); k.Result != ResultFail {
				t.Errorf("key check %+v, want fail (issuer %s is not the key's controller)", k, c.Issuer.ID)
			}
			if res.Status != StatusInvalid {
				t.Errorf("status %s, want invalid", res.Status)
			}
		})
	}
}

// TestW3CProofSetsAndChains verifies each proof of the proof-set and
// proof-chain vectors with its own key as issuer.
func TestW3CProofSetsAndChains(t *testing.T) {
	dir := filepath.Join(needShared(t), "w3c-vc-di-eddsa", "TestVectors", "proof-set-chain")
	for _, name := range []string{"signedProofSet1.json", "signedProofSet2.json", "signedProofChain1.json", "signedProofChain2.json"} {
		t.Run(name, func(t *testing.T) {
			doc := readJSONFile(t, filepath.Join(dir, name))
			proofs := objs(doc, "proof")
			if len(proofs) == 0 {
				t.Fatal("expected proofs")
			}
			v := &Verifier{Offline: true}
			for i, p := range proofs {
				issuer, _ := splitFragment(str(p, "verificationMethod"))
				o := v.verifyOneProof(context.Background(), doc, proofs, p, issuer, nil)
				if o.proof.Result != ResultPass || o.key.Result != ResultPass {
					t.Errorf("proof %d: %+v / %+v", i, o.proof, o.key)
				}
				// Tampering with a proof the chain depends on breaks it.
				if len(strs(p, "previousProof")) > 0 {
					bad := cloneJSON(doc).(map[string]any)
					bp := objs(bad, "proof")
					for _, q := range bp {
						if strings.Contains(strings.Join(strs(p, "previousProof"), " "), str(q, "id")) {
							q["created"] = "2020-01-01T00:00:00Z"
						}
					}
					o := v.verifyOneProof(context.Background(), bad, bp, bp[i], issuer, nil)
					if o.proof.Result != ResultFail {
						t.Errorf("proof %d with altered previous proof: %+v, want fail", i, o.proof)
					}
				}
			}
		})
	}
}

// issuerCache writes a document cache holding the 1EdTech example issuer's
// profile with its Multikey verification method, as the issuer would
// publish it at its URL.
func issuerCache(t testing.TB, issuer, multikey string, extra map[string][]byte) *DocumentCache {
	t.Helper()
	dir := t.TempDir()
	cache, err := OpenDocumentCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	prof := map[string]any{
		"@context": []any{contextVC2},
		"id":       issuer,
		"type":     "Profile",
		"verificationMethod": []any{map[string]any{
			"id": issuer + "#" + multikey, "type": "Multikey", "controller": issuer, "publicKeyMultibase": multikey,
		}},
		"assertionMethod": []any{issuer + "#" + multikey},
	}
	b, _ := json.Marshal(prof)
	if err := cache.Put(issuer, b); err != nil {
		t.Fatal(err)
	}
	for u, d := range extra {
		if err := cache.Put(u, d); err != nil {
			t.Fatal(err)
		}
	}
	// Reopen to exercise index.json loading.
	cache, err = OpenDocumentCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	return cache
}

// Test1EdTechVectors verifies the 1EdTech OB 3.0 and CLR 2.0 signed
// examples and reproduces their hashes and signatures.
func Test1EdTechVectors(t *testing.T) {
	root := needShared(t)
	dir := filepath.Join(root, "1edtech-spec-testvectors")
	clrCtx, err := os.ReadFile(filepath.Join(root, "contexts", "clr-v2p0-context-2.0.1.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ signed, values, canon string }{
		{"obv3-signed.json", "obv3-vector-values.json", "obv3p0"},
		{"clrv2-signed.json", "clrv2-vector-values.json", "clrv2p0"},
	} {
		t.Run(tc.signed, func(t *testing.T) {
			vals := readJSONFile(t, filepath.Join(dir, tc.values))
			raw, err := os.ReadFile(filepath.Join(dir, tc.signed))
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			cache := issuerCache(t, c.Issuer.ID, str(vals, "publicKeyMultibase"), map[string][]byte{
				"https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": clrCtx,
			})
			v := &Verifier{Offline: true, Documents: cache, Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
				Trust: &TrustList{Issuers: []TrustedIssuer{{ID: c.Issuer.ID, Name: "Example"}}}}
			res := v.Verify(context.Background(), c)
			if res.Status != StatusValid {
				t.Errorf("status %s, want valid; checks %+v", res.Status, res.Checks)
			}
			for i, in := range res.Inner {
				if in.Status != StatusValid {
					t.Errorf("inner credential %d: %s %+v", i, in.Status, in.Checks)
				}
			}
			// Reproduce the vector's intermediate values.
			doc := cloneJSON(c.Document).(map[string]any)
			p := objs(doc, "proof")[0]
			delete(doc, "proof")
			l := &contextLoader{v: v}
			dr, err := canonicalize(context.Background(), l, doc)
			if err != nil {
				t.Fatal(err)
			}
			if want := readText(t, filepath.Join(dir, tc.canon, "document-canon.txt")); strings.TrimSpace(dr.nquads) != strings.TrimSpace(want) {
				t.Errorf("canonical document differs from %s/document-canon.txt", tc.canon)
			}
			data, _, err := hashData(context.Background(), l, SuiteEdDSARDFC2022, doc, p)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(data); got != str(vals, "Data to sign (hex)") {
				t.Errorf("data to sign %s, want %s", got, str(vals, "Data to sign (hex)"))
			}
			seed, _ := hex.DecodeString(str(vals, "Private key (hex)"))
			sig := ed25519.Sign(ed25519.PrivateKey(seed), data)
			if got := hex.EncodeToString(sig); got != str(vals, "Signature (hex)") {
				t.Errorf("signature %s, want %s", got, str(vals, "Signature (hex)"))
			}
		})
	}
}

// TestRemoteContextPins checks the pinned digests of the contexts fetched
// at first use against the copies in the shared data, and that the
// embedded contexts equal the reference copies where they should.
func TestRemoteContextPins(t *testing.T) {
	root := needShared(t)
	for _, tc := range []struct{ url, file string }{
		{"https://purl.imsglobal.org/spec/clr/v2p0/context.json", "clr-v2p0-context.json"},
		{"https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json", "clr-v2p0-context-2.0.1.json"},
		{"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "ob-v3p0-context-3.0.3.json"},
	} {
		data, err := os.ReadFile(filepath.Join(root, "contexts", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		cache, err := OpenDocumentCache(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if err := cache.Put(tc.url, data); err != nil {
			t.Fatal(err)
		}
		parsedMu.Lock()
		delete(remoteMem, tc.url)
		parsedMu.Unlock()
		l := &contextLoader{v: &Verifier{Offline: true, Documents: cache}}
		if _, err := l.remote(tc.url); err != nil {
			t.Errorf("%s: %v", tc.file, err)
		}
	}
	// A context with another digest is refused.
	cache, _ := OpenDocumentCache(t.TempDir())
	if err := cache.Put("https://purl.imsglobal.org/spec/clr/v2p0/context.json", []byte(`{"@context":{"x":"http://evil.example/x"}}`)); err != nil {
		t.Fatal(err)
	}
	parsedMu.Lock()
	delete(remoteMem, "https://purl.imsglobal.org/spec/clr/v2p0/context.json")
	parsedMu.Unlock()
	l := &contextLoader{v: &Verifier{Offline: true, Documents: cache}}
	if _, err := l.remote("https://purl.imsglobal.org/spec/clr/v2p0/context.json"); err == nil {
		t.Error("a context with a wrong digest was accepted")
	}
	// Embedded contexts that equal the reference copies (as JSON).
	for url, file := range map[string]string{
		"https://www.w3.org/ns/credentials/v2":                       "credentials-v2.jsonld",
		"https://www.w3.org/2018/credentials/v1":                     "credentials-v1.jsonld",
		"https://w3id.org/security/data-integrity/v2":                "data-integrity-v2.jsonld",
		"https://w3id.org/security/suites/ed25519-2020/v1":           "ed25519-2020-v1.jsonld",
		"https://www.w3.org/ns/credentials/status/v1":                "credentials-status-v1.jsonld",
		"https://w3id.org/vc/status-list/2021/v1":                    "vc-status-list-2021-v1.jsonld",
		"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
		"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json":    "ob-v3p0-extensions.json",
		"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.spec-repo-2024.json",
		"https://www.w3.org/ns/did/v1":                               "did-v1.jsonld",
		"https://w3id.org/security/v1":                               "security-v1.jsonld",
	} {
		emb, ok, err := embeddedContext(url)
		if err != nil || !ok {
			t.Fatalf("%s not embedded: %v", url, err)
		}
		ref := readJSONFile(t, filepath.Join(root, "contexts", file))
		a, _ := CanonicalJSON(emb)
		b, _ := CanonicalJSON(ref)
		if string(a) != string(b) {
			t.Errorf("embedded %s differs from the reference copy %s", url, file)
		}
	}
}

// TestOB303LaterRevision signs a credential that uses "endorsementJwt",
// which only the later in-place revision of the OB 3.0.3 context defines,
// and checks that it verifies once that revision is in the document cache,
// and is unverifiable (not invalid, not valid) while it is not.
func TestOB303LaterRevision(t *testing.T) {
	root := needShared(t)
	later, err := os.ReadFile(filepath.Join(root, "contexts", "ob-v3p0-context-3.0.3.json"))
	if err != nil {
		t.Fatal(err)
	}
	cache, err := OpenDocumentCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := cache.Put(ob303Context, later); err != nil {
		t.Fatal(err)
	}
	parsedMu.Lock()
	delete(remoteMem, ob303Context)
	parsedMu.Unlock()
	k := newKey(t)
	doc := ob3(k.did)
	doc["endorsementJwt"] = []any{"eyJhbGciOiJFZERTQSJ9.e30.c2ln"}
	p := map[string]any{
		"type": "DataIntegrityProof", "cryptosuite": SuiteEdDSARDFC2022, "created": "2024-01-01T00:00:00Z",
		"verificationMethod": k.vm, "proofPurpose": "assertionMethod",
	}
	v := &Verifier{Offline: true, Documents: cache, Now: testNow}
	l := &contextLoader{v: v, alternate: map[string]bool{ob303Context: true}}
	data, undefined, err := hashData(context.Background(), l, SuiteEdDSARDFC2022, doc, p)
	if err != nil || len(undefined) != 0 {
		t.Fatalf("hashData with the later revision: %v, undefined %v", err, undefined)
	}
	p["proofValue"] = "z" + base58Encode(ed25519.Sign(k.priv, data))
	doc["proof"] = p
	raw, _ := json.Marshal(doc)

	parsedMu.Lock()
	delete(remoteMem, ob303Context)
	parsedMu.Unlock()
	c, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if res := (&Verifier{Offline: true, Now: testNow}).Verify(context.Background(), c); res.Status != StatusUnverifiable {
		t.Errorf("without the later revision: %s %+v", res.Status, res.Checks)
	}
	c, _ = Parse(raw)
	if res := v.Verify(context.Background(), c); res.Status != StatusValid {
		t.Errorf("with the later revision cached: %s %+v", res.Status, res.Checks)
	} else if k, _ := res.Check(CheckFormat); k.Result != ResultPass || len(c.UndefinedTerms) != 0 {
		t.Errorf("endorsementJwt is defined by the later revision: format %+v, undefined %v", k, c.UndefinedTerms)
	}
	parsedMu.Lock()
	delete(remoteMem, ob303Context)
	parsedMu.Unlock()
}
