package credential

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Status lists are shared by many credentials: a folder of 1,000 badges
// from one issuer usually names one or two lists. A Verifier therefore
// remembers, per list URL, the outcome of fetching and verifying the list
// (its proof, and what it says about its issuer, type, purposes, validity
// and bits), and each credential only does its own lookup (issuer match,
// type, purpose, validity as of the verification moment, index, size) in
// that outcome. The memo belongs to the Verifier and to the copies made
// from it after it exists (see Verifier.ShareStatusLists).
//
// The same machinery remembers the documents an Open Badges 2.0 issuer
// publishes for all its badges — Profile, BadgeClass, CryptographicKey,
// RevocationList (ob2_shared.go) — in a second memo of the Verifier with
// bounds of its own, so that badges from many issuers never push status
// lists out and the other way round.

const (
	// statusListTTL is how long a remembered status list is reused by a
	// Verifier whose Now is zero (it verifies as of the current time):
	// long enough that one import or re-verification fetches each list
	// once, short enough that a long-running app sees a revocation within
	// five minutes. A Verifier with a fixed Now verifies as of that moment,
	// so its entries do not expire.
	statusListTTL = 5 * time.Minute
	// maxStatusMemoLists and maxStatusMemoBytes bound one memo; beyond
	// them expired entries, then the oldest ones, are dropped (and
	// fetched again if asked for).
	maxStatusMemoLists = 256
	maxStatusMemoBytes = 64 << 20
)

// statusMemoKind tells the kinds of entry apart: the same URL read as a
// bitstring list credential and as a 1EdTech revocation list (or as an
// OB 2.0 Profile and as a BadgeClass) gives different outcomes.
type statusMemoKind uint8

const (
	memoBitstring statusMemoKind = iota + 1
	memo1EdTech
	// OB 2.0 documents (ob2_shared.go), kept in Verifier.ob2Docs.
	memoOB2Profile
	memoOB2BadgeClass
	memoOB2Key
	memoOB2RevocationList
)

// statusMemoKey identifies a memo entry. Besides the list, it holds every
// Verifier setting that can change the outcome of fetching and verifying
// it, because copies of a Verifier share the memo and may change those
// settings (Recipient and Trust play no part in verifying a list).
type statusMemoKey struct {
	kind statusMemoKind
	url  string
	// at is Verifier.Now without monotonic reading or location; the zero
	// time means "the current time" (entries then expire).
	at        time.Time
	offline   bool
	documents *DocumentCache
	client    *http.Client
	timeout   time.Duration
	maxBytes  int64
	allowHTTP bool
}

func (v *Verifier) statusMemoKey(kind statusMemoKind, url string) statusMemoKey {
	return statusMemoKey{
		kind: kind, url: url, at: v.Now.Round(0).UTC(),
		offline: v.Offline, documents: v.Documents, client: v.HTTPClient,
		timeout: v.Timeout, maxBytes: v.MaxFetchBytes, allowHTTP: v.AllowHTTP,
	}
}

// statusMemoEntry is one list, being verified (done open) or verified.
// val, size, kept and expires are written before done is closed and only
// read after it is.
type statusMemoEntry struct {
	done    chan struct{}
	val     any
	size    int
	kept    bool      // the outcome is remembered (the verifying context was not done)
	seq     uint64    // order of remembering, for eviction
	expires time.Time // zero: never (the Verifier has a fixed Now)
}

// statusMemo is the per-Verifier memo of verified status lists. It is
// safe for concurrent use; concurrent requests for one list wait for the
// single verification in progress instead of starting their own.
type statusMemo struct {
	mu      sync.Mutex
	entries map[statusMemoKey]*statusMemoEntry
	bytes   int
	seq     uint64 // last statusMemoEntry.seq
	// maxEntries and maxBytes bound the memo (maxStatusMemoLists and
	// maxStatusMemoBytes for status lists).
	maxEntries, maxBytes int
}

// newStatusMemo returns an empty memo with the given bounds.
func newStatusMemo(maxEntries, maxBytes int) *statusMemo {
	return &statusMemo{entries: map[statusMemoKey]*statusMemoEntry{}, maxEntries: maxEntries, maxBytes: maxBytes}
}

// statusMemoInit guards the lazy creation of Verifier.statusLists and
// Verifier.ob2Docs.
var statusMemoInit sync.Mutex

// ShareStatusLists gives v its memo of verified status lists (and of
// Open Badges 2.0 issuer documents: Profiles, BadgeClasses, keys,
// revocation lists) now instead of at the first verification that needs
// it, so that the copies made from v afterwards share it. Make one call
// after configuring v and before copying it — for example before a loop
// that copies v once per applicant to set Recipient — and each status
// list or issuer document is then fetched once for all the copies rather
// than once per copy.
//
// Verify creates the memo on first use, which writes to v; so when one
// goroutine copies v while another verifies with it, call
// ShareStatusLists before either starts. Calling it again does nothing.
func (v *Verifier) ShareStatusLists() {
	v.statusMemo()
	v.ob2Memo()
}

func (v *Verifier) statusMemo() *statusMemo {
	statusMemoInit.Lock()
	defer statusMemoInit.Unlock()
	if v.statusLists == nil {
		v.statusLists = newStatusMemo(maxStatusMemoLists, maxStatusMemoBytes)
	}
	return v.statusLists
}

// remember returns the outcome of verify for key: the remembered one when
// there is a live entry, otherwise verify's result, remembered when ctx
// was not done by the time verify returned (a fetch that failed because
// the caller cancelled says nothing about the list). verify returns the
// outcome and its approximate size in bytes. A caller whose ctx is done
// while it waits for another goroutine's verification runs verify itself
// (which fails fast, as it would have without the memo).
func (m *statusMemo) remember(ctx context.Context, key statusMemoKey, verify func() (any, int)) any {
	for {
		m.mu.Lock()
		e := m.entries[key]
		if e != nil && e.expired(time.Now()) {
			m.drop(key, e)
			e = nil
		}
		if e == nil {
			e = &statusMemoEntry{done: make(chan struct{})}
			m.entries[key] = e
			m.mu.Unlock()
			return m.fill(ctx, key, e, verify)
		}
		m.mu.Unlock()
		if !e.finished() {
			select {
			case <-e.done:
			case <-ctx.Done():
				val, _ := verify()
				return val
			}
		}
		if e.kept {
			return e.val
		}
		// That verification was cancelled and not remembered: try again,
		// as this caller's context may still be live.
	}
}

// fill runs verify for the new entry e and publishes the outcome. If
// verify panics, e is withdrawn so that waiters retry.
func (m *statusMemo) fill(ctx context.Context, key statusMemoKey, e *statusMemoEntry, verify func() (any, int)) any {
	defer func() {
		m.mu.Lock()
		if !e.kept {
			if m.entries[key] == e {
				delete(m.entries, key)
			}
		} else {
			m.seq++
			e.seq = m.seq
			if key.at.IsZero() {
				e.expires = time.Now().Add(statusListTTL)
			}
			m.bytes += e.size
			m.evict(key)
		}
		m.mu.Unlock()
		close(e.done)
	}()
	val, size := verify()
	e.val, e.size = val, size
	e.kept = ctx.Err() == nil
	return val
}

func (e *statusMemoEntry) finished() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

func (e *statusMemoEntry) expired(now time.Time) bool {
	return e.finished() && !e.expires.IsZero() && !now.Before(e.expires)
}

// drop removes a finished entry; m.mu must be held.
func (m *statusMemo) drop(key statusMemoKey, e *statusMemoEntry) {
	if m.entries[key] == e {
		delete(m.entries, key)
		m.bytes -= e.size
	}
}

// evict keeps the memo within m.maxEntries and m.maxBytes by dropping
// expired entries, then the oldest finished ones, never keep (the entry
// just added). m.mu must be held.
func (m *statusMemo) evict(keep statusMemoKey) {
	over := func() bool { return len(m.entries) > m.maxEntries || m.bytes > m.maxBytes }
	if !over() {
		return
	}
	now := time.Now()
	for k, e := range m.entries {
		if k != keep && e.expired(now) {
			m.drop(k, e)
		}
	}
	for over() {
		var oldest *statusMemoEntry
		var oldestKey statusMemoKey
		for k, e := range m.entries {
			if k == keep || !e.finished() || !e.kept {
				continue
			}
			if oldest == nil || e.seq < oldest.seq {
				oldest, oldestKey = e, k
			}
		}
		if oldest == nil {
			return
		}
		m.drop(oldestKey, oldest)
	}
}
