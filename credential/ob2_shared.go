package credential

import (
	"context"
	"crypto"
	"strings"
)

// Open Badges 2.0 issuer documents are shared by many badges: a folder of
// 1,000 badges from one issuer names one issuer Profile, a few
// BadgeClasses, one or two keys and one revocation list. A Verifier
// therefore fetches each of them once, in the memo that remembers status
// lists (statuslists.go: same key of Verifier settings, same waiting for
// a fetch in progress, cancellations not remembered, five-minute lifetime
// when Now is zero), and every badge only makes its own checks against
// them: its recipient, dates and signature, whether its hosted copy is
// within the issuer's origins, whether it is on the revocation list.
//
// A hosted assertion itself is never remembered: each badge has its own
// URL, and fetching it is what tells a verifier that it still exists (410
// Gone) and what the issuer says about it now.
//
// Remembered documents are shared between goroutines and badges: they are
// only read, and ob2Complete copies what a Credential keeps of them. Their
// key is the status lists' (statusMemoKey), Now included: Now does not
// change what an issuer document says, but a zero Now is what makes the
// entries expire.

const (
	// maxOB2MemoDocs and maxOB2MemoBytes bound the memo of OB 2.0
	// documents, which is separate from the status lists' so that badges
	// from many issuers do not push status lists out (and the other way
	// round).
	maxOB2MemoDocs  = 1024
	maxOB2MemoBytes = 32 << 20
	// ob2DocOverhead is added to each remembered document's size for the
	// entry itself.
	ob2DocOverhead = 1024
)

func (v *Verifier) ob2Memo() *statusMemo {
	statusMemoInit.Lock()
	defer statusMemoInit.Unlock()
	if v.ob2Docs == nil {
		v.ob2Docs = newStatusMemo(maxOB2MemoDocs, maxOB2MemoBytes)
	}
	return v.ob2Docs
}

// ob2Fetchable reports whether iri is a URL ob2FetchDoc would fetch.
func ob2Fetchable(iri string) bool {
	return strings.HasPrefix(iri, "https://") || strings.HasPrefix(iri, "http://")
}

// ob2Doc is a linked document as ob2FetchDoc returned it.
type ob2Doc struct {
	doc map[string]any
	err error
}

// ob2LinkedDoc returns the document at iri (an issuer Profile for
// memoOB2Profile, a BadgeClass for memoOB2BadgeClass; what names it in
// errors) as ob2FetchDoc returns it, fetched once per Verifier. The map
// is shared: read it, never change it.
func ob2LinkedDoc(ctx context.Context, v *Verifier, kind statusMemoKind, iri, what string) (map[string]any, error) {
	if !ob2Fetchable(iri) {
		return ob2FetchDoc(ctx, v, iri, what) // its error, without remembering junk
	}
	d := v.ob2Memo().remember(ctx, v.statusMemoKey(kind, iri), func() (any, int) {
		m, n, err := ob2FetchDocSized(ctx, v, iri, what)
		return &ob2Doc{doc: m, err: err}, 4*n + ob2DocOverhead
	}).(*ob2Doc)
	return d.doc, d.err
}

// ob2KeyDoc is a CryptographicKey document, once fetched and its
// publicKeyPem decoded; whether the key may sign for a badge's issuer
// (owner) is decided per badge by ob2IssuerKeys.
type ob2KeyDoc struct {
	err    error // the key document could not be fetched or read
	owner  string
	key    crypto.PublicKey
	keyErr error // publicKeyPem is not a usable public key
}

// ob2SharedKey returns the key document at keyID, fetched and decoded
// once per Verifier.
func ob2SharedKey(ctx context.Context, v *Verifier, keyID string) *ob2KeyDoc {
	load := func() (*ob2KeyDoc, int) {
		doc, n, err := ob2FetchDocSized(ctx, v, keyID, "CryptographicKey")
		if err != nil {
			return &ob2KeyDoc{err: err}, 0
		}
		k := &ob2KeyDoc{owner: str(doc, "owner")}
		k.key, k.keyErr = ob2ParsePEM(str(doc, "publicKeyPem"))
		return k, n
	}
	if !ob2Fetchable(keyID) {
		k, _ := load()
		return k
	}
	return v.ob2Memo().remember(ctx, v.statusMemoKey(memoOB2Key, keyID), func() (any, int) {
		k, n := load()
		return k, 2*n + ob2DocOverhead
	}).(*ob2KeyDoc)
}

// ob2RevocationList is an issuer's RevocationList, once fetched: the
// revokedAssertions by id, so that each badge's lookup does not walk the
// list.
type ob2RevocationList struct {
	err error // the list could not be fetched or read
	// byIRI holds the first entry for each id without trailing slashes
	// (the assertion's id matches as an IRI, see ob2SameIRI); byID the
	// first entry for each id as written (an OB 1.x uid matches exactly).
	byIRI, byID map[string]ob2Revocation
}

// ob2Revocation is one entry of revokedAssertions.
type ob2Revocation struct {
	pos    int    // position in the list: the first matching entry wins
	reason string // revocationReason, "" when none
}

// ob2SharedRevocationList returns the revocation list at listURL, fetched
// and indexed once per Verifier.
func ob2SharedRevocationList(ctx context.Context, v *Verifier, listURL string) *ob2RevocationList {
	load := func() (*ob2RevocationList, int) {
		doc, n, err := ob2FetchDocSized(ctx, v, listURL, "RevocationList")
		if err != nil {
			return &ob2RevocationList{err: err}, 0
		}
		return newOB2RevocationList(doc), n
	}
	if !ob2Fetchable(listURL) {
		l, _ := load()
		return l
	}
	return v.ob2Memo().remember(ctx, v.statusMemoKey(memoOB2RevocationList, listURL), func() (any, int) {
		l, n := load()
		return l, 3*n + ob2DocOverhead
	}).(*ob2RevocationList)
}

// newOB2RevocationList indexes the revokedAssertions of a RevocationList:
// strings (ids) or objects with id (or OB 1.x uid) and revocationReason.
func newOB2RevocationList(doc map[string]any) *ob2RevocationList {
	l := &ob2RevocationList{byIRI: map[string]ob2Revocation{}, byID: map[string]ob2Revocation{}}
	for i, e := range list(doc, "revokedAssertions") {
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
		if rid == "" {
			continue
		}
		r := ob2Revocation{pos: i, reason: reason}
		if k := strings.TrimRight(rid, "/"); !ob2Has(l.byIRI, k) {
			l.byIRI[k] = r
		}
		if !ob2Has(l.byID, rid) {
			l.byID[rid] = r
		}
	}
	return l
}

func ob2Has(m map[string]ob2Revocation, k string) bool {
	_, ok := m[k]
	return ok
}

// lookup returns the first entry of the list that names the assertion:
// by its id (as an IRI) or, when uid is set, by its OB 1.x uid.
func (l *ob2RevocationList) lookup(id, uid string) (ob2Revocation, bool) {
	r, ok := l.byIRI[strings.TrimRight(id, "/")]
	if uid != "" {
		if u, found := l.byID[uid]; found && (!ok || u.pos < r.pos) {
			r, ok = u, true
		}
	}
	return r, ok
}

// ob2CloneJSON returns a deep copy of a decoded JSON value, so that a
// Credential never holds maps that a remembered document shares.
func ob2CloneJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return ob2CloneObject(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = ob2CloneJSON(e)
		}
		return out
	}
	return v
}

func ob2CloneObject(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[k] = ob2CloneJSON(e)
	}
	return out
}
