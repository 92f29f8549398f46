package credential

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"
)

// Rosters: a CSV file with one row per applicant-credential, for employers
// whose applicants have no digital badges yet. A roster row is taken at
// its word — its verification is "unverifiable (self-reported)" — unless
// it gives the URL of a badge (or, inside a folder or ZIP, the name of a
// badge file) that backs it, in which case that badge is verified and
// must match the row.
//
// The first row names the columns (any order, case and spacing ignored):
//
//	name      applicant's name                    required
//	email     applicant's e-mail address          required
//	title     credential title                    required
//	issuer    issuer (a name, or its URL/DID)     required
//	issued    issue date, YYYY-MM-DD              required
//	expires   expiry date, YYYY-MM-DD             optional
//	competencies  taxonomy IDs or alignment URLs, separated by | or ;   optional
//	badge     URL of the badge, or a badge file next to the roster   optional
//	notes     ignored                             optional
//
// The delimiter is a comma, a semicolon or a tab (whichever the header
// uses); a UTF-8 byte-order mark is ignored.

// FormatRoster is a credential read from a roster row.
const FormatRoster Format = "roster"

// Roster column keys.
const (
	rosterName         = "name"
	rosterEmail        = "email"
	rosterTitle        = "title"
	rosterIssuer       = "issuer"
	rosterIssued       = "issued"
	rosterExpires      = "expires"
	rosterCompetencies = "competencies"
	rosterBadge        = "badge"
	rosterNotes        = "notes"
)

var rosterRequired = []string{rosterName, rosterEmail, rosterTitle, rosterIssuer, rosterIssued}

// rosterAliases maps normalised header spellings to column keys.
var rosterAliases = map[string]string{
	"name": rosterName, "applicant": rosterName, "applicantname": rosterName, "fullname": rosterName,
	"learner": rosterName, "learnername": rosterName, "candidate": rosterName, "employee": rosterName,
	"email": rosterEmail, "emailaddress": rosterEmail, "mail": rosterEmail, "applicantemail": rosterEmail,
	"title": rosterTitle, "credential": rosterTitle, "credentialtitle": rosterTitle, "credentialname": rosterTitle,
	"badgename": rosterTitle, "achievement": rosterTitle, "certificate": rosterTitle, "qualification": rosterTitle,
	"issuer": rosterIssuer, "issuedby": rosterIssuer, "awardingbody": rosterIssuer, "provider": rosterIssuer,
	"issuername": rosterIssuer, "organisation": rosterIssuer, "organization": rosterIssuer,
	"issued": rosterIssued, "issuedate": rosterIssued, "issuedon": rosterIssued, "dateissued": rosterIssued,
	"date": rosterIssued, "awarded": rosterIssued, "awardeddate": rosterIssued, "issuancedate": rosterIssued,
	"expires": rosterExpires, "expiry": rosterExpires, "expirydate": rosterExpires, "expirationdate": rosterExpires,
	"validuntil": rosterExpires, "expireson": rosterExpires,
	"competencies": rosterCompetencies, "competency": rosterCompetencies, "competencyids": rosterCompetencies,
	"skills": rosterCompetencies, "alignments": rosterCompetencies, "alignment": rosterCompetencies,
	"alignmenturls": rosterCompetencies,
	"badge":         rosterBadge, "badgeurl": rosterBadge, "badgefile": rosterBadge, "badgelink": rosterBadge,
	"url": rosterBadge, "link": rosterBadge, "verificationurl": rosterBadge,
	"notes": rosterNotes, "note": rosterNotes, "comment": rosterNotes, "comments": rosterNotes, "remarks": rosterNotes,
}

func rosterKey(header string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(header)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return rosterAliases[b.String()]
}

// RosterProblem is one thing wrong in a roster file, with where it is
// and what to do.
type RosterProblem struct {
	File   string
	Line   int
	Column int // 0 when the problem is the whole row
	Field  string
	Msg    string
}

func (p RosterProblem) Error() string {
	loc := fmt.Sprintf("%s:%d", p.File, p.Line)
	if p.Column > 0 {
		loc += fmt.Sprintf(":%d", p.Column)
	}
	if p.Field != "" {
		return loc + ": " + p.Field + ": " + p.Msg
	}
	return loc + ": " + p.Msg
}

// RosterError lists every problem found in a roster file.
type RosterError struct {
	File     string
	Problems []RosterProblem
}

func (e *RosterError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, for errors.As.
func (e *RosterError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// RosterEntry is one good row of a roster.
type RosterEntry struct {
	Line       int
	Credential *Credential
}

// rosterDelimiter picks the delimiter of a roster from its header line.
func rosterDelimiter(header string) rune {
	best, n := ',', strings.Count(header, ",")
	for _, d := range []rune{';', '\t'} {
		if c := strings.Count(header, string(d)); c > n {
			best, n = d, c
		}
	}
	return best
}

// rosterDetect reports whether data starts with a roster header.
func rosterDetect(data []byte) bool {
	data = bytes.TrimPrefix(data, utf8BOM)
	line, _, _ := bytes.Cut(data[:min(len(data), 4096)], []byte("\n"))
	if len(line) == 0 || bytes.ContainsAny(line[:1], "{[<") {
		return false
	}
	r := csv.NewReader(bytes.NewReader(line))
	r.Comma = rosterDelimiter(string(line))
	r.LazyQuotes = true
	rec, err := r.Read()
	if err != nil {
		return false
	}
	seen := map[string]bool{}
	for _, h := range rec {
		seen[rosterKey(h)] = true
	}
	return seen[rosterEmail] && seen[rosterTitle] && seen[rosterIssuer]
}

// ParseRoster reads a roster CSV. name is the file name used in messages;
// open, when not nil, reads a badge file named in the badge column
// (relative to the roster). It returns the good rows and, when any row is
// wrong, a *RosterError naming every problem by file:line:column. Callers
// that import all-or-nothing per file reject the file when err != nil.
func ParseRoster(name string, data []byte, open func(rel string) ([]byte, error)) ([]RosterEntry, error) {
	if len(data) > MaxCredentialBytes {
		return nil, &RosterError{File: name, Problems: []RosterProblem{{File: name, Line: 1, Msg: fmt.Sprintf("the roster has %d bytes, more than the %d-byte limit; split it into several files", len(data), MaxCredentialBytes)}}}
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	rerr := &RosterError{File: name}
	problem := func(line, col int, field, format string, args ...any) {
		rerr.Problems = append(rerr.Problems, RosterProblem{File: name, Line: line, Column: col, Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = rosterDelimiter(string(firstLine))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		if err == io.EOF {
			problem(1, 0, "", "the roster is empty; its first row must name the columns: %s", strings.Join(rosterRequired, ", "))
		} else {
			problem(1, 0, "", "the header row is not valid CSV: %v", err)
		}
		return nil, rerr
	}
	headerEnd := r.InputOffset()
	cols := make([]string, len(header))
	at := map[string]int{}
	for i, h := range header {
		k := rosterKey(h)
		_, col := r.FieldPos(i)
		switch {
		case k == "":
			problem(1, col, "", "unknown column %q; the columns are name, email, title, issuer, issued, expires, competencies, badge (and notes, which is ignored)", h)
		case at[k] > 0:
			problem(1, col, "", "column %q repeats the %s column %q", h, k, header[at[k]-1])
		default:
			at[k] = i + 1
		}
		cols[i] = k
	}
	for _, k := range rosterRequired {
		if at[k] == 0 {
			problem(1, 0, "", "no %q column; the header must name the columns %s", k, strings.Join(rosterRequired, ", "))
		}
	}
	if len(rerr.Problems) > 0 {
		return nil, rerr
	}
	var out []RosterEntry
	seen := map[string]int{}
	for {
		start := r.InputOffset()
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problem(pe.Line, pe.Column, "", "%v; put a field that contains quotes, commas or line breaks in double quotes and double the quotes inside it", pe.Err)
				if errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote) {
					continue
				}
			} else {
				problem(len(out)+len(rerr.Problems)+2, 0, "", "%v", err)
			}
			break
		}
		line, _ := r.FieldPos(0)
		if len(out)+len(rerr.Problems) >= MaxInnerCredentials*10 {
			problem(line, 0, "", "the roster has more than %d rows; split it into several files", MaxInnerCredentials*10)
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(header) {
			problem(line, 0, "", "the row has %d fields but the header has %d; quote fields that contain the delimiter %q", len(rec), len(header), string(r.Comma))
			continue
		}
		before := len(rerr.Problems)
		val := func(k string) (string, int) {
			i := at[k]
			if i == 0 {
				return "", 0
			}
			_, col := r.FieldPos(i - 1)
			return strings.TrimSpace(rec[i-1]), col
		}
		need := func(k, what string) (string, int) {
			v, col := val(k)
			if v == "" {
				problem(line, col, header[at[k]-1], "the %s is empty; every row needs one", what)
			}
			return v, col
		}
		name, _ := need(rosterName, "applicant's name")
		email, emailCol := need(rosterEmail, "e-mail address")
		if email != "" {
			if a, err := mail.ParseAddress(email); err != nil || a.Address != email || !strings.Contains(email, "@") {
				problem(line, emailCol, header[at[rosterEmail]-1], "%q is not an e-mail address; write it as name@example.org", email)
			}
		}
		title, _ := need(rosterTitle, "credential title")
		issuer, _ := need(rosterIssuer, "issuer")
		var issued, expires time.Time
		if s, col := need(rosterIssued, "issue date"); s != "" {
			if issued, err = rosterDate(s); err != nil {
				problem(line, col, header[at[rosterIssued]-1], "%v", err)
			}
		}
		if s, col := val(rosterExpires); s != "" {
			if expires, err = rosterDate(s); err != nil {
				problem(line, col, header[at[rosterExpires]-1], "%v", err)
			} else if !issued.IsZero() && !expires.After(issued) {
				problem(line, col, header[at[rosterExpires]-1], "the expiry date %s is not after the issue date %s", s, issued.Format(time.DateOnly))
			}
		}
		var aligns []Alignment
		if s, col := val(rosterCompetencies); s != "" {
			for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == ';' || r == '\n' || r == ',' }) {
				tok = strings.TrimSpace(tok)
				if tok == "" {
					continue
				}
				if strings.ContainsAny(tok, " \t") && !strings.Contains(tok, "://") {
					problem(line, col, header[at[rosterCompetencies]-1], "%q is not a competency ID or URL; separate several with | or ;", tok)
					continue
				}
				if strings.Contains(tok, "://") || strings.HasPrefix(tok, "urn:") {
					aligns = append(aligns, Alignment{TargetURL: tok})
				} else {
					aligns = append(aligns, Alignment{TargetCode: tok})
				}
			}
		}
		badge, badgeCol := val(rosterBadge)
		var inner []*Credential
		if badge != "" && !bakedIsURL([]byte(badge)) {
			switch {
			case strings.Contains(badge, "://"):
				problem(line, badgeCol, header[at[rosterBadge]-1], "%q: only https:// badge URLs (or a badge file next to the roster) can be checked", badge)
			case open == nil:
				problem(line, badgeCol, header[at[rosterBadge]-1], "%q is neither a URL nor a file that can be opened from here; give the badge's https:// URL, or import the roster together with the badge file", badge)
			default:
				bdata, err := open(badge)
				if err == nil {
					var bc *Credential
					if bc, err = Parse(bdata); err == nil {
						inner = []*Credential{bc}
					}
				}
				if err != nil {
					problem(line, badgeCol, header[at[rosterBadge]-1], "badge file %q: %v", badge, err)
				}
			}
		}
		if len(rerr.Problems) > before {
			continue
		}
		key := strings.ToLower(email + "\x00" + title + "\x00" + issuer + "\x00" + issued.Format(time.DateOnly))
		if prev, dup := seen[key]; dup {
			problem(line, 0, "", "the same credential for %s is already on line %d; remove one of the two rows", email, prev)
			continue
		}
		seen[key] = line
		doc := map[string]any{"name": name, "email": email, "title": title, "issuer": issuer, "issued": issued.Format(time.DateOnly)}
		if !expires.IsZero() {
			doc["expires"] = expires.Format(time.DateOnly)
		}
		if badge != "" {
			doc["badge"] = badge
		}
		if s, _ := val(rosterCompetencies); s != "" {
			doc["competencies"] = s
		}
		c := &Credential{
			Format:      FormatRoster,
			Types:       []string{"RosterEntry"},
			Issuer:      Issuer{Name: issuer},
			Subject:     Subject{ID: "mailto:" + email, Name: name, Identifiers: []Identifier{{IdentityType: "emailAddress", Identity: email}}},
			Achievement: Achievement{Name: title, Alignments: aligns},
			IssuedAt:    issued,
			ValidFrom:   issued,
			ValidUntil:  expires,
			Document:    doc,
			Inner:       inner,
			Raw:         rosterRaw(data[:headerEnd], data[start:r.InputOffset()]),
		}
		if strings.HasPrefix(issuer, "did:") || ob2IsIRI(issuer) {
			c.Issuer = Issuer{ID: issuer}
		}
		out = append(out, RosterEntry{Line: line, Credential: c})
	}
	if len(rerr.Problems) > 0 {
		return out, rerr
	}
	return out, nil
}

// rosterRaw keeps a row's original bytes with the header line, so that
// the stored copy says what each field was.
func rosterRaw(header, row []byte) []byte {
	header = bytes.TrimRight(header, "\r\n")
	row = bytes.TrimRight(row, "\r\n")
	raw := make([]byte, 0, len(header)+1+len(row))
	raw = append(raw, header...)
	raw = append(raw, '\n')
	return append(raw, row...)
}

// rosterDate parses an ISO date (or date-time); other spellings are
// refused with a hint, because 03/04/2024 means different days in
// different countries.
func rosterDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := parseTime(s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date; write it as YYYY-MM-DD (e.g. 2024-03-31)", s)
}

func init() {
	Register(Family{
		Name: "roster",
		// Roster rows come from ParseRoster/ReadBundle (one file, many
		// credentials), never from Parse.
		Priority: 1000,
		Detect:   func([]byte) bool { return false },
		Parse: func([]byte) (*Credential, error) {
			return nil, fmt.Errorf("a roster holds many credentials; read it with ParseRoster or ReadBundle: %w", ErrNotCredential)
		},
		Formats: []Format{FormatRoster},
		Verify:  rosterVerify,
	})
}

// rosterVerify verifies a roster row: self-reported unless a badge backs
// it, in which case the badge is verified and must match the row.
func rosterVerify(ctx context.Context, v *Verifier, c *Credential) []Check {
	badgeRef := str(c.Document, "badge")
	var badge *Credential
	where := badgeRef
	switch {
	case len(c.Inner) > 0:
		badge = c.Inner[0]
	case badgeRef != "" && bakedIsURL([]byte(badgeRef)):
		data, err := v.Fetch(ctx, badgeRef)
		if err != nil {
			return rosterSelfReported(c, fmt.Sprintf("the badge at %s could not be fetched (%v), so the row is self-reported", badgeRef, err))
		}
		if badge, err = Parse(data); err != nil {
			return rosterSelfReported(c, fmt.Sprintf("the page at %s is not a badge Skillmatch can read (%v); ask the applicant for the badge file", badgeRef, err))
		}
	default:
		return rosterSelfReported(c, "self-reported: the roster row gives no badge URL or file, so nothing can be checked")
	}
	// The copy shares v's status-list memo; creating it first also keeps
	// the copy from racing with its lazy creation by another goroutine.
	v.ShareStatusLists()
	bv := *v
	if bv.Recipient == "" {
		bv.Recipient = str(c.Document, "email")
	}
	res := bv.Verify(ctx, badge)
	checks := []Check{pass(CheckFormat, "roster row backed by the %s badge %s", badge.Format, where)}
	for _, k := range res.Checks {
		if k.Name == CheckFormat {
			continue
		}
		k.Detail = "badge: " + k.Detail
		checks = append(checks, k)
	}
	if !rosterSameTitle(c.Achievement.Name, badge.Achievement.Name) {
		checks = append(checks, fail(CheckFormat, StatusInvalid, "the badge is for %q, not the %q the roster names", badge.Achievement.Name, c.Achievement.Name))
	}
	if badge.Issuer.ID != "" {
		c.Issuer.ID = badge.Issuer.ID
	}
	return checks
}

func rosterSelfReported(c *Credential, why string) []Check {
	return []Check{
		pass(CheckFormat, "roster row (a spreadsheet entry, not a digital credential)"),
		skip(CheckProof, StatusUnverifiable, "%s", why),
		skip(CheckKey, StatusValid, "no key: nothing is signed"),
		skip(CheckStatus, StatusValid, "no revocation information for a self-reported entry"),
		skip(CheckIssuerTrust, StatusValid, "the issuer %q was typed into a roster; the trust list cannot vouch for a self-reported entry", str(c.Document, "issuer")),
	}
}

func rosterSameTitle(a, b string) bool {
	na, nb := strings.ToLower(strings.Join(strings.Fields(a), " ")), strings.ToLower(strings.Join(strings.Fields(b), " "))
	return na != "" && nb != "" && (na == nb || strings.Contains(na, nb) || strings.Contains(nb, na))
}
