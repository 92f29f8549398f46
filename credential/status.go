package credential

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Bitstring status list parameters.
const (
	// minStatusListBits is the minimum length the Bitstring Status List
	// and Status List 2021 specifications require (16 KiB), for privacy.
	minStatusListBits = 131072
	// maxStatusListBytes caps a decompressed status list.
	maxStatusListBytes = 16 << 20
)

// checkStatus checks every credentialStatus entry of c.
func (v *Verifier) checkStatus(ctx context.Context, c *Credential) Check {
	if len(c.Status) == 0 {
		return skip(CheckStatus, StatusValid, "the credential has no status list, so its issuer cannot revoke it")
	}
	var checks []Check
	for _, e := range c.Status {
		checks = append(checks, v.checkStatusEntry(ctx, c, e))
	}
	best := checks[0]
	resultRank := map[Result]int{ResultPass: 0, ResultSkip: 1, ResultWarn: 2, ResultFail: 3}
	var details []string
	for _, k := range checks {
		details = append(details, k.Detail)
		if k.Effect.Severity() > best.Effect.Severity() ||
			(k.Effect == best.Effect && resultRank[k.Result] > resultRank[best.Result]) {
			best = k
		}
	}
	best.Detail = strings.Join(details, "; ")
	return best
}

func (v *Verifier) checkStatusEntry(ctx context.Context, c *Credential, e StatusEntry) Check {
	types := strings.Split(e.Type, ",")
	switch {
	case slices.Contains(types, "BitstringStatusListEntry"):
		return v.checkBitstring(ctx, c, e, "BitstringStatusListCredential", "BitstringStatusList")
	case slices.Contains(types, "StatusList2021Entry"):
		return v.checkBitstring(ctx, c, e, "StatusList2021Credential", "StatusList2021")
	case slices.Contains(types, "1EdTechRevocationList"):
		return v.check1EdTechList(ctx, c, e)
	}
	return skip(CheckStatus, StatusUnverifiable, "status type %q is not supported, so revocation could not be checked", e.Type)
}

// listUnavailable describes why a status list could not be used.
func listUnavailable(url string, err error) Check {
	if errors.Is(err, ErrOffline) {
		return skip(CheckStatus, StatusUnverifiable, "status list %s not checked: offline", url)
	}
	return skip(CheckStatus, StatusUnverifiable, "status list %s could not be checked: %v", url, err)
}

func (v *Verifier) checkBitstring(ctx context.Context, c *Credential, e StatusEntry, listType, subjectType string) Check {
	if e.ListCredential == "" {
		return fail(CheckStatus, StatusInvalid, "status entry %s names no statusListCredential", e.ID)
	}
	if e.Index < 0 {
		return fail(CheckStatus, StatusInvalid, "status entry %s has no valid statusListIndex", e.ID)
	}
	if e.Purpose != "revocation" && e.Purpose != "suspension" {
		return skip(CheckStatus, StatusValid, "status purpose %q is informational and was not checked", e.Purpose)
	}
	list := v.bitstringList(ctx, e.ListCredential)
	if list.err != nil {
		return listUnavailable(e.ListCredential, list.err)
	}
	if normIssuer(list.issuer) != normIssuer(c.Issuer.ID) {
		return listUnavailable(e.ListCredential, fmt.Errorf("it was issued by %s, not by the credential's issuer %s", list.issuer, c.Issuer.ID))
	}
	if !slices.Contains(list.types, listType) {
		return listUnavailable(e.ListCredential, fmt.Errorf("its type is %v, expected %s", list.types, listType))
	}
	if !slices.Contains(list.subjectTypes, subjectType) {
		return listUnavailable(e.ListCredential, fmt.Errorf("its credentialSubject is not a %s", subjectType))
	}
	if !slices.Contains(list.purposes, e.Purpose) {
		return listUnavailable(e.ListCredential, fmt.Errorf("it is a %v list, not a %s list", list.purposes, e.Purpose))
	}
	now := v.now()
	if !list.validUntil.IsZero() && !now.Before(list.validUntil) {
		return listUnavailable(e.ListCredential, fmt.Errorf("it expired at %s", list.validUntil.Format("2006-01-02T15:04:05Z")))
	}
	if !list.validFrom.IsZero() && now.Before(list.validFrom) {
		return listUnavailable(e.ListCredential, fmt.Errorf("it is not valid before %s", list.validFrom.Format("2006-01-02T15:04:05Z")))
	}
	if size, ok := statusSize(c, e); ok && size != 1 {
		return skip(CheckStatus, StatusUnverifiable, "status entries of %d bits are not supported", size)
	}
	if list.bitsErr != nil {
		return listUnavailable(e.ListCredential, list.bitsErr)
	}
	bits := list.bits
	n := len(bits) * 8
	if e.Index >= n {
		return fail(CheckStatus, StatusInvalid, "status index %d is beyond the end of the %d-entry list %s", e.Index, n, e.ListCredential)
	}
	set := bits[e.Index/8]>>(7-uint(e.Index%8))&1 == 1
	where := fmt.Sprintf("list %s, index %d", e.ListCredential, e.Index)
	if set {
		if e.Purpose == "suspension" {
			return fail(CheckStatus, StatusSuspended, "the issuer has suspended this credential (%s)", where)
		}
		return fail(CheckStatus, StatusRevoked, "the issuer has revoked this credential (%s)", where)
	}
	verb := map[string]string{"revocation": "revoked", "suspension": "suspended"}[e.Purpose]
	if n < minStatusListBits {
		return warn(CheckStatus, "not %s (%s); the list has only %d entries, fewer than the %d the specification requires for privacy", verb, where, n, minStatusListBits)
	}
	return pass(CheckStatus, "not %s (%s)", verb, where)
}

// bitstringList is what a Bitstring Status List or StatusList2021
// credential says, once fetched and verified; the checks that depend on
// the credential asking (issuer, expected type and purpose, validity as of
// the verification moment, index) are made by checkBitstring.
type bitstringList struct {
	// err is why the list cannot be used at all: it could not be
	// fetched, is not a credential, or its proof failed.
	err                   error
	issuer                string
	types                 []string
	subjectTypes          []string // nil when there is no credentialSubject
	purposes              []string
	validFrom, validUntil time.Time
	bits                  []byte
	bitsErr               error // why encodedList could not be decoded
}

// bitstringList returns the status list credential at url, fetched and
// verified once per Verifier (see statusMemo).
func (v *Verifier) bitstringList(ctx context.Context, url string) *bitstringList {
	m := v.statusMemo()
	return m.remember(ctx, v.statusMemoKey(memoBitstring, url), func() (any, int) {
		l := v.fetchBitstringList(ctx, url)
		return l, len(l.bits) + 1024
	}).(*bitstringList)
}

// fetchBitstringList fetches the list credential at url, verifies its own
// proof and decodes its subject.
func (v *Verifier) fetchBitstringList(ctx context.Context, url string) *bitstringList {
	data, err := v.Fetch(ctx, url)
	if err != nil {
		return &bitstringList{err: err}
	}
	list, err := parseVCFamily(data)
	if err != nil {
		return &bitstringList{err: fmt.Errorf("not a status list credential: %w", err)}
	}
	// The list's own proof and key.
	var proof, key Check
	if list.jwt != nil {
		proof, key = v.verifyJWT(ctx, list)
	} else {
		o := v.verifyEmbeddedProofs(ctx, list.Document, list.Issuer.ID, list.expanded)
		proof, key = o.proof, o.key
	}
	if proof.Result != ResultPass || key.Result != ResultPass {
		d := proof.Detail
		if proof.Result == ResultPass {
			d = key.Detail
		}
		return &bitstringList{err: fmt.Errorf("its signature could not be verified (%s)", d)}
	}
	out := &bitstringList{issuer: list.Issuer.ID, types: list.Types, validFrom: list.ValidFrom, validUntil: list.ValidUntil}
	if subj := obj(list.Document, "credentialSubject"); subj != nil {
		out.subjectTypes = strs(subj, "type")
		out.purposes = strs(subj, "statusPurpose")
		out.bits, out.bitsErr = decodeStatusList(str(subj, "encodedList"))
	}
	return out
}

// statusSize returns the statusSize of the entry in the raw document.
func statusSize(c *Credential, e StatusEntry) (int, bool) {
	for _, s := range objs(c.Document, "credentialStatus") {
		if str(s, "id") != e.ID {
			continue
		}
		switch t := s["statusSize"].(type) {
		case float64:
			return int(t), true
		case string:
			n, err := strconv.Atoi(t)
			return n, err == nil
		}
	}
	return 1, false
}

// decodeStatusList decodes an encodedList: GZIP-compressed bits in
// multibase base64url ('u' prefix, Bitstring Status List) or plain
// base64url (Status List 2021).
func decodeStatusList(enc string) ([]byte, error) {
	if enc == "" {
		return nil, errors.New("the list has no encodedList")
	}
	raw, err := b64url(strings.TrimPrefix(enc, "u"))
	if err != nil && strings.HasPrefix(enc, "u") {
		raw, err = b64url(enc)
	}
	if err != nil {
		return nil, fmt.Errorf("encodedList is not base64url: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("encodedList is not GZIP-compressed: %w", err)
	}
	bits, err := io.ReadAll(io.LimitReader(zr, maxStatusListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("encodedList: %w", err)
	}
	if len(bits) > maxStatusListBytes {
		return nil, fmt.Errorf("status list larger than %d bytes: %w", maxStatusListBytes, ErrTooLarge)
	}
	return bits, nil
}

// EncodeStatusList compresses a bitstring (bit i = byte i/8, most
// significant bit first) as a Bitstring Status List encodedList.
func EncodeStatusList(bits []byte) (string, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(bits); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return "u" + b64urlEncode(buf.Bytes()), nil
}

// check1EdTechList checks a 1EdTech revocation list: a JSON document at
// the entry's id listing revoked credential ids.
func (v *Verifier) check1EdTechList(ctx context.Context, c *Credential, e StatusEntry) Check {
	if e.ID == "" {
		return fail(CheckStatus, StatusInvalid, "1EdTechRevocationList status entry has no id (the list's URL)")
	}
	if c.ID == "" {
		return skip(CheckStatus, StatusUnverifiable, "the credential has no id, so the revocation list %s cannot name it", e.ID)
	}
	list := v.edTechList(ctx, e.ID)
	if list.err != nil {
		return listUnavailable(e.ID, list.err)
	}
	if iss := list.issuer; iss != "" && normIssuer(iss) != normIssuer(c.Issuer.ID) {
		return listUnavailable(e.ID, fmt.Errorf("it was published by %s, not by the credential's issuer %s", iss, c.Issuer.ID))
	}
	if list.notAList {
		return listUnavailable(e.ID, errors.New("revokedCredentials is not a list"))
	}
	if reason, ok := list.revoked[c.ID]; ok {
		if reason != "" {
			reason = ": " + reason
		}
		return fail(CheckStatus, StatusRevoked, "the issuer has revoked this credential (1EdTech revocation list %s)%s", e.ID, reason)
	}
	return pass(CheckStatus, "not on the 1EdTech revocation list %s", e.ID)
}

// edTechRevocationList is what a 1EdTech revocation list says, once
// fetched.
type edTechRevocationList struct {
	err      error  // the list could not be fetched or is not a JSON object
	issuer   string // the publisher's id, if it names one
	notAList bool   // revokedCredentials is present but not an array
	// revoked maps each revoked credential id to its revocationReason
	// ("" when none); the first entry for an id wins.
	revoked map[string]string
}

// edTechList returns the 1EdTech revocation list at url, fetched once per
// Verifier (see statusMemo).
func (v *Verifier) edTechList(ctx context.Context, url string) *edTechRevocationList {
	m := v.statusMemo()
	return m.remember(ctx, v.statusMemoKey(memo1EdTech, url), func() (any, int) {
		l, size := v.fetchEdTechList(ctx, url)
		return l, size + 1024
	}).(*edTechRevocationList)
}

// fetchEdTechList fetches and reads the list at url; it also returns an
// estimate of the memory the result holds.
func (v *Verifier) fetchEdTechList(ctx context.Context, url string) (*edTechRevocationList, int) {
	doc, err := v.fetchJSON(ctx, url)
	if err != nil {
		return &edTechRevocationList{err: err}, 0
	}
	out := &edTechRevocationList{issuer: profile(doc["issuer"]).ID, revoked: map[string]string{}}
	revoked, ok := doc["revokedCredentials"].([]any)
	if !ok && doc["revokedCredentials"] != nil {
		out.notAList = true
		return out, 0
	}
	size := 0
	for _, r := range revoked {
		id := idOrString(r)
		if _, seen := out.revoked[id]; seen {
			continue
		}
		reason := ""
		if m, ok := r.(map[string]any); ok {
			reason = str(m, "revocationReason")
		}
		out.revoked[id] = reason
		size += len(id) + len(reason) + 64
	}
	return out, size
}
