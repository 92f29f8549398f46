package credential

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Format names the family and encoding a credential was received in.
type Format string

// Formats known to the package. Parsers of other families (see Register)
// may add their own values; a Format is just a short stable identifier that
// is shown to users and stored with the credential.
const (
	// FormatUnknown is the zero value: the bytes were not recognised.
	FormatUnknown Format = ""
	// FormatOB3 is an Open Badges 3.0 OpenBadgeCredential or
	// AchievementCredential secured with an embedded proof (JSON-LD).
	FormatOB3 Format = "ob3"
	// FormatVC is any other W3C Verifiable Credential with an embedded proof.
	FormatVC Format = "vc"
	// FormatVCJWT is a VC-JWT: a compact JWS whose payload carries the
	// credential (in a "vc" claim for VCDM 1.1, or as the payload itself for
	// VCDM 2.0 "vc+jwt").
	FormatVCJWT Format = "vc-jwt"
	// FormatCLR is a 1EdTech Comprehensive Learner Record 2.0 ClrCredential.
	// Its enclosed credentials are in Credential.Inner.
	FormatCLR Format = "clr"
	// FormatOB2 is an Open Badges 2.0 assertion (hosted or signed); parsed
	// by the Open Badges 2.0 family (issue 5).
	FormatOB2 Format = "ob2"
)

// Credential is one micro-credential as Skillmatch understands it,
// whatever format it arrived in. Fields that the credential does not carry
// are left at their zero value. A Credential is the result of Parse; it
// says nothing about whether the credential is genuine — that is what
// Verifier.Verify is for.
type Credential struct {
	// Format is the family/encoding the credential was parsed from.
	Format Format
	// ID is the credential's own identifier ("id" of the VC, OB 2.0
	// assertion id), if any.
	ID string
	// Types are the credential's JSON-LD types in document order, e.g.
	// ["VerifiableCredential", "OpenBadgeCredential"].
	Types []string
	// Name and Description of the credential itself (OB 3.0 allows them on
	// the credential, distinct from the achievement).
	Name        string
	Description string

	// Issuer is the party that issued (and, for signed formats, signed) it.
	Issuer Issuer
	// Subject is the holder the credential was issued to.
	Subject Subject
	// Achievement is what the subject achieved (OB 3.0 achievement, OB 2.0
	// BadgeClass, CLR association-free achievement summary).
	Achievement Achievement
	// Results are the subject's results against the achievement's result
	// descriptions (grades, levels, statuses).
	Results []AwardResult
	// Evidence supporting the award.
	Evidence []Evidence

	// IssuedAt is when the credential was issued or awarded: validFrom
	// (VCDM 2.0), issuanceDate (VCDM 1.1), awardedDate (OB 3.0) or issuedOn
	// (OB 2.0), whichever is present, in that order of preference.
	IssuedAt time.Time
	// ValidFrom and ValidUntil bound the period in which the credential is
	// valid; the zero time means the bound is absent.
	ValidFrom  time.Time
	ValidUntil time.Time

	// Status lists the credential's status entries (revocation, suspension).
	Status []StatusEntry

	// UndefinedTerms lists JSON paths of properties that none of the
	// credential's JSON-LD contexts define. They are dropped by JSON-LD
	// processing, hence not covered by a Data Integrity signature, and must
	// never be shown as verified data. Filled by Parse for JSON-LD formats
	// whose contexts are all available offline.
	UndefinedTerms []string

	// Raw holds the original bytes exactly as received (for a baked badge
	// image: the whole image). Never modified; it is what gets stored.
	Raw []byte
	// Inner are the credentials enclosed in a CLR, each parsed on its own.
	Inner []*Credential
	// Image is the image a badge was baked into (PNG or SVG bytes), if any.
	Image []byte

	// Document is the credential as decoded JSON (for VC-JWT: the
	// credential inside the token). Verification works on it; callers
	// should treat it as read-only.
	Document map[string]any

	// Family-private state: set by the parser, read by its verifier.
	jwt *jwtToken
	// problems are format errors found by Parse that make the credential
	// invalid without being unreadable (reported by the format check).
	problems []string
	// termsPending: undefined terms could not be computed at parse time
	// (a pinned context was not yet available); Verify computes them.
	termsPending bool
	// ldErr is why the JSON-LD document could not be expanded (unknown
	// context, …); the credential's data cannot then be interpreted.
	ldErr error
	// expanded is the JSON-LD expansion of Document made by Parse, reused
	// by eddsa-rdfc-2022/Ed25519Signature2020 verification.
	expanded []any
}

// Issuer identifies the issuer of a credential.
type Issuer struct {
	// ID is the issuer's identifier: a DID or an HTTPS URL.
	ID   string
	Name string
	// URL is the issuer's home page, when it gives one.
	URL   string
	Email string
}

// Subject is the holder of a credential.
type Subject struct {
	// ID is the subject's identifier (often a DID or mailto: URI), if any.
	ID string
	// Name is the subject's name when the credential states it.
	Name string
	// Identifiers are identity objects naming the subject, possibly hashed
	// (OB 3.0 "identifier" entries, OB 2.0 "recipient").
	Identifiers []Identifier
}

// Identifier is one way of naming a credential's subject: an e-mail
// address, a student id, a URL — either in clear or hashed with a salt.
type Identifier struct {
	// IdentityType is the kind of identity: "emailAddress", "email",
	// "url", "telephone", "studentId", …
	IdentityType string
	// Identity is the identity value; when Hashed it is "sha256$<hex>" or
	// "md5$<hex>" computed over the identity followed by Salt.
	Identity string
	Hashed   bool
	Salt     string
}

// Achievement is what a credential attests.
type Achievement struct {
	ID              string
	Name            string
	Description     string
	Criteria        Criteria
	AchievementType string
	// CreditsAvailable is the number of credits the achievement is worth;
	// zero when not stated.
	CreditsAvailable float64
	// ResultDescription names the results the achievement can have.
	ResultDescription []ResultDescription
	Tags              []string
	Alignments        []Alignment
	// ImageURL is the achievement's image (URL or data: URI), if any.
	ImageURL string
	// Creator is the organisation that defined the achievement, when it
	// differs from the issuer.
	Creator Issuer
	// FieldOfStudy, Specialization, HumanCode, Version and Language from OB 3.0.
	FieldOfStudy   string
	Specialization string
	HumanCode      string
	Version        string
	Language       string
}

// Criteria describes how the achievement is earned.
type Criteria struct {
	// ID is a URL of a page describing the criteria, if any.
	ID string
	// Narrative is the criteria in words (often Markdown).
	Narrative string
}

// Alignment links an achievement to an external competency framework
// entry; it is the strongest evidence of which competency a credential
// proves.
type Alignment struct {
	TargetURL       string
	TargetName      string
	TargetFramework string
	TargetCode      string
	// TargetType is e.g. "ceasn:Competency", "CFItem", "ext:…".
	TargetType        string
	TargetDescription string
}

// ResultDescription is one possible result of an achievement.
type ResultDescription struct {
	ID            string
	Name          string
	ResultType    string
	AllowedValues []string
}

// AwardResult is a result the subject obtained.
type AwardResult struct {
	// ResultDescription is the id of the ResultDescription it answers.
	ResultDescription string
	Value             string
	Status            string
	AchievedLevel     string
}

// Evidence is one piece of evidence attached to a credential.
type Evidence struct {
	ID          string
	Name        string
	Description string
	Narrative   string
	Genre       string
	Audience    string
}

// StatusEntry is one credentialStatus entry of a credential.
type StatusEntry struct {
	ID   string
	Type string
	// Purpose is "revocation" or "suspension" (bitstring/2021 lists).
	Purpose string
	// ListCredential is the URL of the status list credential; Index the
	// position of this credential in it (-1 when absent or malformed).
	ListCredential string
	Index          int
}

// Status is the overall verdict on a credential.
type Status string

// The overall statuses, from best to worst. See Severity.
const (
	StatusValid        Status = "valid"
	StatusUnverifiable Status = "unverifiable"
	StatusNotYetValid  Status = "not-yet-valid"
	StatusExpired      Status = "expired"
	StatusSuspended    Status = "suspended"
	StatusRevoked      Status = "revoked"
	StatusInvalid      Status = "invalid"
	StatusError        Status = "error"
)

// severityOrder lists the statuses from least to most severe.
var severityOrder = []Status{
	StatusValid, StatusUnverifiable, StatusNotYetValid, StatusExpired,
	StatusSuspended, StatusRevoked, StatusInvalid, StatusError,
}

// Severity ranks a status: valid is 0, error the highest. When several
// statuses apply to one credential the most severe wins:
// error > invalid > revoked > suspended > expired > not-yet-valid >
// unverifiable > valid. An unknown status ranks as error.
func (s Status) Severity() int {
	if i := slices.Index(severityOrder, s); i >= 0 {
		return i
	}
	return len(severityOrder) - 1
}

// Worse returns the more severe of two statuses.
func Worse(a, b Status) Status {
	if b.Severity() > a.Severity() {
		return b
	}
	return a
}

// Result is the outcome of one check.
type Result string

// Check results.
const (
	ResultPass Result = "pass"
	ResultFail Result = "fail"
	// ResultWarn: the check ran and found something the user should see
	// that does not make the credential invalid (issuer not on the trust
	// list, a short status list).
	ResultWarn Result = "warn"
	// ResultSkip: the check did not run (offline, not applicable, no
	// recipient given). Whether that matters is in Check.Effect.
	ResultSkip Result = "skip"
)

// Check names, in the order checks are reported.
const (
	CheckFormat      = "format"
	CheckProof       = "proof"
	CheckKey         = "key"
	CheckValidity    = "validity"
	CheckStatus      = "status"
	CheckRecipient   = "recipient"
	CheckIssuerTrust = "issuer-trust"
)

// CheckOrder is the order in which Verify reports checks.
var CheckOrder = []string{CheckFormat, CheckProof, CheckKey, CheckValidity, CheckStatus, CheckRecipient, CheckIssuerTrust}

// Check is the outcome of one verification step.
type Check struct {
	// Name is one of the Check* constants.
	Name string `json:"name"`
	// Result is pass, fail, warn or skip.
	Result Result `json:"result"`
	// Detail is a human sentence saying what was checked and found.
	Detail string `json:"detail"`
	// Effect is the overall status this check implies: StatusValid for a
	// pass, a warn or a skip that does not matter; StatusUnverifiable for
	// a required check that could not run; StatusRevoked, StatusExpired,
	// StatusInvalid… for failures.
	Effect Status `json:"effect,omitempty"`
}

// Verification is the result of verifying one credential.
type Verification struct {
	// Status is the most severe Effect of the checks.
	Status Status `json:"status"`
	// Checks has one entry per check, in CheckOrder.
	Checks []Check `json:"checks"`
	// At is the moment the credential was verified as of (Verifier.Now).
	At time.Time `json:"at"`
	// Inner holds the verifications of a CLR's enclosed credentials, in
	// the order of Credential.Inner.
	Inner []Verification `json:"inner,omitempty"`
}

// Check returns the check with the given name.
func (v Verification) Check(name string) (Check, bool) {
	for _, c := range v.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Limits on untrusted input. Parse and canonicalisation refuse documents
// beyond them.
const (
	// MaxCredentialBytes is the largest credential Parse accepts
	// (baked images included).
	MaxCredentialBytes = 8 << 20
	// MaxJSONDepth is the deepest nesting of JSON arrays/objects accepted.
	MaxJSONDepth = 64
	// MaxFetchBytes is the default size cap of a network fetch.
	MaxFetchBytes = 2 << 20
	// DefaultTimeout is the default time-out of a network fetch.
	DefaultTimeout = 10 * time.Second
	// MaxInnerCredentials is the largest number of credentials a CLR may
	// enclose.
	MaxInnerCredentials = 1000
)

// Errors returned by Parse and the fetchers; test with errors.Is.
var (
	// ErrNotCredential: the bytes are not any credential format we know.
	ErrNotCredential = errors.New("not a recognised credential")
	// ErrTooLarge: input beyond MaxCredentialBytes or a fetch size cap.
	ErrTooLarge = errors.New("too large")
	// ErrTooDeep: JSON nested deeper than MaxJSONDepth.
	ErrTooDeep = errors.New("nested too deeply")
	// ErrOffline: the document is not in the document cache and the
	// verifier is offline.
	ErrOffline = errors.New("not checked: offline")
)

// Family is a parser/verifier pair for one family of credential formats.
// The VC family (OB 3.0, VC-JWT, CLR) registers itself in this package;
// other families (Open Badges 2.0, baked images) register theirs with
// Register from an init function.
type Family struct {
	// Name is a short name for messages, e.g. "Open Badges 2.0".
	Name string
	// Priority orders detection: lower runs first. Container formats
	// (images) should use a low number, generic JSON a high one.
	Priority int
	// Detect reports whether data looks like this family's format. It
	// must be cheap and must not fail: Parse is what reports errors.
	Detect func(data []byte) bool
	// Parse decodes data into a Credential (setting Format and Raw).
	Parse func(data []byte) (*Credential, error)
	// Formats are the formats this family's Verify handles.
	Formats []Format
	// Verify returns the family-specific checks (format, proof, key,
	// status, and validity when the family computes it itself). Checks it
	// does not return are computed generically by Verifier.Verify from the
	// Credential fields (validity, recipient, issuer-trust).
	Verify func(ctx context.Context, v *Verifier, c *Credential) []Check
}

var (
	familiesMu sync.RWMutex
	families   []Family
)

// Register adds a credential family. It panics when Detect, Parse or
// Verify is nil, as that is a programming error.
func Register(f Family) {
	if f.Detect == nil || f.Parse == nil || f.Verify == nil {
		panic("credential.Register: family " + f.Name + " needs Detect, Parse and Verify")
	}
	familiesMu.Lock()
	defer familiesMu.Unlock()
	families = append(families, f)
	slices.SortStableFunc(families, func(a, b Family) int { return a.Priority - b.Priority })
}

func registered() []Family {
	familiesMu.RLock()
	defer familiesMu.RUnlock()
	return slices.Clone(families)
}

// Parse recognises the format of data and decodes it into a Credential.
// It refuses input larger than MaxCredentialBytes. The error wraps
// ErrNotCredential when no family recognises the bytes.
func Parse(data []byte) (*Credential, error) {
	if len(data) > MaxCredentialBytes {
		return nil, fmt.Errorf("credential of %d bytes is larger than the %d-byte limit: %w", len(data), MaxCredentialBytes, ErrTooLarge)
	}
	for _, f := range registered() {
		if f.Detect(data) {
			c, err := f.Parse(data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			if c.Raw == nil {
				c.Raw = data
			}
			return c, nil
		}
	}
	return nil, fmt.Errorf("expected an Open Badge, Verifiable Credential (JSON-LD or JWT) or CLR: %w", ErrNotCredential)
}

// Verifier verifies credentials. The zero value verifies online with the
// current time, no trust list and no recipient; set the fields to change
// that. A Verifier may be used from several goroutines once configured.
//
// A Verifier fetches and verifies each status list once and remembers the
// outcome (up to 256 lists) for the credentials that follow: for as long
// as it lives when Now is set, for five minutes when Now is zero, so that
// a long-running app sees revocations. It does the same with the
// documents an Open Badges 2.0 issuer publishes for all its badges (issuer
// Profile, BadgeClass, public keys, revocation list; up to 1,024 of them),
// though never with a hosted assertion. Copies made from it share that
// memory once it exists; see ShareStatusLists.
type Verifier struct {
	// Offline forbids all network access: documents come only from the
	// embedded contexts and Documents; checks that need the network are
	// skipped and the credential is at best unverifiable.
	Offline bool
	// Documents is the document cache consulted before the network (for
	// did:web documents, key URLs, status lists, hosted assertions, the
	// CLR context). Nil means no cache.
	Documents *DocumentCache
	// Trust is the employer's trust list; nil means no list (the
	// issuer-trust check is then a warn for every issuer).
	Trust *TrustList
	// Now is the moment to verify as of; the zero time means time.Now().
	Now time.Time
	// Recipient is the applicant's identifier (e-mail address, URL, DID…)
	// to check the subject against; empty skips the recipient check.
	Recipient string
	// HTTPClient is used for fetches; nil means a client with Timeout.
	HTTPClient *http.Client
	// Timeout bounds each fetch; zero means DefaultTimeout.
	Timeout time.Duration
	// MaxFetchBytes caps each fetched document; zero means MaxFetchBytes.
	MaxFetchBytes int64
	// AllowHTTP permits plain-http URLs for fetches (tests only; real
	// credentials must use HTTPS).
	AllowHTTP bool

	// statusLists remembers the status lists this Verifier has fetched
	// and verified (statuslists.go). It is created on the first status
	// check or by ShareStatusLists, and copies of the Verifier made after
	// that share it on purpose: a copy per applicant (to set Recipient)
	// reuses the lists its original verified.
	statusLists *statusMemo
	// ob2Docs remembers, in the same way, the Open Badges 2.0 issuer
	// documents this Verifier has fetched (ob2_shared.go).
	ob2Docs *statusMemo
}

func (v *Verifier) now() time.Time {
	if v.Now.IsZero() {
		return time.Now().UTC()
	}
	return v.Now
}

// Verify runs every check on c and returns the verdict. It never panics
// on hostile input and honours ctx for network fetches. A nil c, or one
// whose format no family verifies, yields StatusError.
//
// When Parse could not resolve all of a JSON-LD credential's contexts
// (the CLR 2.0 context before it was first fetched), Verify completes
// c.UndefinedTerms and re-reads the record's fields without them, so do
// not verify one *Credential from two goroutines at once. The Verifier
// itself may be shared.
func (v *Verifier) Verify(ctx context.Context, c *Credential) Verification {
	at := v.now()
	if c == nil {
		return Verification{Status: StatusError, At: at, Checks: []Check{{Name: CheckFormat, Result: ResultFail, Detail: "no credential to verify", Effect: StatusError}}}
	}
	var fam *Family
	for _, f := range registered() {
		if slices.Contains(f.Formats, c.Format) {
			fam = &f
			break
		}
	}
	if fam == nil {
		return Verification{Status: StatusError, At: at, Checks: []Check{{Name: CheckFormat, Result: ResultFail, Detail: fmt.Sprintf("format %q is not one Skillmatch can verify", c.Format), Effect: StatusError}}}
	}
	checks := fam.Verify(ctx, v, c)
	have := func(name string) bool {
		return slices.ContainsFunc(checks, func(k Check) bool { return k.Name == name })
	}
	if !have(CheckValidity) {
		checks = append(checks, v.checkValidity(c, at))
	}
	if !have(CheckRecipient) {
		checks = append(checks, v.checkRecipient(c))
	}
	if !have(CheckIssuerTrust) {
		checks = append(checks, v.checkTrust(c))
	}
	out := Verification{Checks: sortChecks(checks), At: at}
	if c.Format == FormatCLR {
		out.Inner = make([]Verification, len(c.Inner))
		for i, in := range c.Inner {
			out.Inner[i] = v.Verify(ctx, in)
		}
	}
	out.Status = Summarise(out.Checks)
	return out
}

// Summarise returns the overall status implied by a list of checks: the
// most severe Effect. A check without Effect counts as invalid when it
// failed, and valid otherwise.
func Summarise(checks []Check) Status {
	s := StatusValid
	if len(checks) == 0 {
		return StatusError
	}
	for _, k := range checks {
		e := k.Effect
		if e == "" {
			e = StatusValid
			if k.Result == ResultFail {
				e = StatusInvalid
			}
		}
		s = Worse(s, e)
	}
	return s
}

func sortChecks(checks []Check) []Check {
	rank := func(name string) int {
		if i := slices.Index(CheckOrder, name); i >= 0 {
			return i
		}
		return len(CheckOrder)
	}
	slices.SortStableFunc(checks, func(a, b Check) int { return rank(a.Name) - rank(b.Name) })
	return checks
}

// pass, fail, warn and skip build checks with a formatted detail.
func pass(name, format string, args ...any) Check {
	return Check{Name: name, Result: ResultPass, Detail: fmt.Sprintf(format, args...), Effect: StatusValid}
}

func fail(name string, effect Status, format string, args ...any) Check {
	return Check{Name: name, Result: ResultFail, Detail: fmt.Sprintf(format, args...), Effect: effect}
}

func warn(name, format string, args ...any) Check {
	return Check{Name: name, Result: ResultWarn, Detail: fmt.Sprintf(format, args...), Effect: StatusValid}
}

// skip builds a skipped check; effect is StatusValid when the check was
// optional and StatusUnverifiable when it was needed.
func skip(name string, effect Status, format string, args ...any) Check {
	return Check{Name: name, Result: ResultSkip, Detail: fmt.Sprintf(format, args...), Effect: effect}
}

// checkValidity compares the credential's validity period with at.
func (v *Verifier) checkValidity(c *Credential, at time.Time) Check {
	stamp := at.UTC().Format(time.RFC3339)
	if !c.ValidFrom.IsZero() && at.Before(c.ValidFrom) {
		return fail(CheckValidity, StatusNotYetValid, "not valid before %s (checked as of %s)", c.ValidFrom.UTC().Format(time.RFC3339), stamp)
	}
	if !c.ValidUntil.IsZero() && !at.Before(c.ValidUntil) {
		return fail(CheckValidity, StatusExpired, "expired at %s (checked as of %s)", c.ValidUntil.UTC().Format(time.RFC3339), stamp)
	}
	var parts []string
	if !c.ValidFrom.IsZero() {
		parts = append(parts, "valid from "+c.ValidFrom.UTC().Format(time.RFC3339))
	}
	if !c.ValidUntil.IsZero() {
		parts = append(parts, "until "+c.ValidUntil.UTC().Format(time.RFC3339))
	} else {
		parts = append(parts, "no expiry date")
	}
	return pass(CheckValidity, "%s (checked as of %s)", strings.Join(parts, ", "), stamp)
}

// checkTrust looks the issuer up in the trust list.
func (v *Verifier) checkTrust(c *Credential) Check {
	if c.Issuer.ID == "" {
		return fail(CheckIssuerTrust, StatusInvalid, "the credential names no issuer")
	}
	if v.Trust == nil {
		return warn(CheckIssuerTrust, "no trust list given; issuer %s is not known to be trusted", c.Issuer.ID)
	}
	if t, ok := v.Trust.Lookup(c.Issuer.ID); ok {
		name := t.Name
		if name == "" {
			name = t.ID
		}
		return pass(CheckIssuerTrust, "issuer %s is on the trust list as %q", c.Issuer.ID, name)
	}
	return warn(CheckIssuerTrust, "issuer %s is not on the trust list", c.Issuer.ID)
}
