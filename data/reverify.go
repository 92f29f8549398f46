package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/skillmatch/skillmatch/credential"
)

// ReverifyReport says what a re-verification (Store.ReverifyReported) did:
// how many people and credentials were verified again and which
// credentials came out with another status or trust verdict than before.
type ReverifyReport struct {
	// People and Credentials count what was verified again and stored.
	// When the run stopped early (cancelled, or an error), they count the
	// people finished before it stopped, whose results are kept.
	People      int `json:"people"`
	Credentials int `json:"credentials"`
	// Total is the number of people the run was asked to verify.
	Total int `json:"total"`
	// Changes lists every credential whose status or trust verdict
	// changed, in credential ID order.
	Changes []CredentialChange `json:"changes"`
}

// CredentialChange is one credential whose verification outcome changed.
// An empty status is a credential that had not been verified.
type CredentialChange struct {
	CredentialID  int64             `json:"credential_id"`
	ApplicantID   int64             `json:"applicant_id"`
	Applicant     string            `json:"applicant"`
	Title         string            `json:"title"`
	From          credential.Status `json:"from"`
	To            credential.Status `json:"to"`
	TrustedBefore bool              `json:"trusted_before"`
	TrustedAfter  bool              `json:"trusted_after"`
}

// StatusChanged reports whether the verification status changed.
func (c CredentialChange) StatusChanged() bool { return c.From != c.To }

// TrustChanged reports whether the trust verdict on the issuer changed.
func (c CredentialChange) TrustChanged() bool { return c.TrustedBefore != c.TrustedAfter }

// Transition is a number of credentials that went from one status to
// another.
type Transition struct {
	From  credential.Status `json:"from"`
	To    credential.Status `json:"to"`
	Count int               `json:"count"`
}

// StatusChanges counts the credentials whose status changed.
func (r *ReverifyReport) StatusChanges() int {
	n := 0
	for _, c := range r.Changes {
		if c.StatusChanged() {
			n++
		}
	}
	return n
}

// Transitions groups the status changes by (from, to): the most frequent
// first, ties in from/to order, so that the same changes always read the
// same.
func (r *ReverifyReport) Transitions() []Transition {
	counts := map[[2]credential.Status]int{}
	for _, c := range r.Changes {
		if c.StatusChanged() {
			counts[[2]credential.Status{c.From, c.To}]++
		}
	}
	out := make([]Transition, 0, len(counts))
	for k, n := range counts {
		out = append(out, Transition{From: k[0], To: k[1], Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	return out
}

// TrustChanges counts the credentials whose issuer is now trusted and
// those whose issuer no longer is.
func (r *ReverifyReport) TrustChanges() (nowTrusted, noLongerTrusted int) {
	for _, c := range r.Changes {
		switch {
		case !c.TrustChanged():
		case c.TrustedAfter:
			nowTrusted++
		default:
			noLongerTrusted++
		}
	}
	return nowTrusted, noLongerTrusted
}

// credentialState is what a report compares before and after.
type credentialState struct {
	applicantID int64
	applicant   string
	title       string
	status      credential.Status
	trusted     bool
}

// credentialStates reads the status and trust verdict of the credentials
// of one person (applicantID 0: of everyone), by credential ID.
func (s *Store) credentialStates(ctx context.Context, applicantID int64) (map[int64]credentialState, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT c.id, c.applicant_id, a.name, c.title, c.status, c.trusted
		FROM credentials c JOIN applicants a ON a.id = c.applicant_id
		WHERE ? = 0 OR c.applicant_id = ? ORDER BY c.id`, applicantID, applicantID)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: reading credential statuses: %w", s.path, err)
	}
	defer rows.Close()
	out := map[int64]credentialState{}
	for rows.Next() {
		var id int64
		var st credentialState
		var status string
		var trusted sql.NullBool
		if err := rows.Scan(&id, &st.applicantID, &st.applicant, &st.title, &status, &trusted); err != nil {
			return nil, fmt.Errorf("workspace %s: reading credential statuses: %w", s.path, err)
		}
		st.status, st.trusted = credential.Status(status), trusted.Bool
		out[id] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("workspace %s: reading credential statuses: %w", s.path, err)
	}
	return out, nil
}

// ReverifyReported runs Reverify (same arguments, same behaviour: one
// transaction per person, progress after each) and reports what it
// changed. When Reverify stops early, the report covers the people
// finished before it stopped and is returned with the error.
func (s *Store) ReverifyReported(ctx context.Context, applicantID int64, v *credential.Verifier, progress func(done, total int)) (*ReverifyReport, error) {
	// The people Reverify goes through, in the same order (ID order), so
	// that a run stopped after k people is known to have covered the first
	// k of them.
	var people []int64
	if applicantID != 0 {
		a, err := s.Applicant(applicantID)
		if err != nil {
			return nil, err
		}
		people = []int64{a.ID}
	} else {
		all, err := s.Applicants(ApplicantFilter{})
		if err != nil {
			return nil, err
		}
		for _, a := range all {
			people = append(people, a.ID)
		}
	}
	before, err := s.credentialStates(ctx, applicantID)
	if err != nil {
		return nil, err
	}
	rep := &ReverifyReport{Total: len(people)}
	done := 0
	runErr := s.Reverify(ctx, applicantID, v, func(d, total int) {
		done = d
		if progress != nil {
			progress(d, total)
		}
	})
	rep.People = min(done, len(people))
	finished := map[int64]bool{}
	for _, id := range people[:rep.People] {
		finished[id] = true
	}
	// Read what was stored even when the run was cancelled: the people
	// finished before it stopped were committed.
	after, err := s.credentialStates(context.WithoutCancel(ctx), applicantID)
	if err != nil {
		if runErr != nil {
			return rep, runErr
		}
		return rep, err
	}
	ids := make([]int64, 0, len(after))
	for id := range after {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		a := after[id]
		if !finished[a.applicantID] {
			continue
		}
		rep.Credentials++
		b, ok := before[id]
		if !ok || (b.status == a.status && b.trusted == a.trusted) {
			continue
		}
		rep.Changes = append(rep.Changes, CredentialChange{
			CredentialID: id, ApplicantID: a.applicantID, Applicant: a.applicant, Title: a.title,
			From: b.status, To: a.status, TrustedBefore: b.trusted, TrustedAfter: a.trusted,
		})
	}
	return rep, runErr
}
