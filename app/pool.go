package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// pool is the applicant pool of the workspace as the Applicants and
// Ranking screens show it: each applicant's credentials with their stored
// verification and evidence. It is read from the store off the UI
// goroutine and then only read.
type pool struct {
	applicants []*poolApplicant // in workspace ID order
	byID       map[string]*poolApplicant
	// now is the moment the pool is ranked as of (the demo workspace has
	// a fixed one, so that its documented results hold).
	now time.Time
}

// poolApplicant is one person with their credentials.
type poolApplicant struct {
	Stored      *data.Applicant
	ID          string // the workspace ID in decimal, as matcher.Fit.Applicant has it
	Credentials []*data.StoredCredential
	// Matcher is the applicant as ranking sees it.
	Matcher matcher.Applicant
}

// loadPool reads every applicant (not staff) of the workspace. progress is
// called after each applicant. Cancelling ctx stops between applicants.
func loadPool(ctx context.Context, st *data.Store, progress func(done, total int)) (*pool, error) {
	apps, err := st.Applicants(data.ApplicantFilter{Kind: data.KindApplicant})
	if err != nil {
		return nil, err
	}
	p := &pool{byID: map[string]*poolApplicant{}, now: st.AsOf()}
	if p.now.IsZero() {
		p.now = time.Now().UTC()
	}
	for i, a := range apps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		creds, err := st.Credentials(a.ID)
		if err != nil {
			return nil, fmt.Errorf("workspace %s: credentials of applicant %d: %w", st.Path(), a.ID, err)
		}
		id := strconv.FormatInt(a.ID, 10)
		pa := &poolApplicant{Stored: a, ID: id, Credentials: creds,
			Matcher: matcher.Applicant{ID: id, Name: a.Name, Credentials: make([]matcher.CredentialRef, 0, len(creds))}}
		for _, c := range creds {
			pa.Matcher.Credentials = append(pa.Matcher.Credentials, c.Ref)
			pa.Matcher.Evidence = append(pa.Matcher.Evidence, c.Evidence...)
		}
		p.applicants = append(p.applicants, pa)
		p.byID[id] = pa
		if progress != nil {
			progress(i+1, len(apps))
		}
	}
	return p, nil
}

// matcherApplicants returns the applicants as ranking sees them; when ids
// is not empty, only those.
func (p *pool) matcherApplicants(ids map[string]bool) []matcher.Applicant {
	out := make([]matcher.Applicant, 0, len(p.applicants))
	for _, a := range p.applicants {
		if len(ids) == 0 || ids[a.ID] {
			out = append(out, a.Matcher)
		}
	}
	return out
}

// applicant returns the applicant with the given ID.
func (p *pool) applicant(id string) *poolApplicant { return p.byID[id] }

// filter returns the applicants whose name, e-mail, credential titles or
// issuers contain q (case- and accent-insensitive) and, when status is not
// empty, who hold a credential with that verification status.
func (p *pool) filter(q string, status credential.Status) []*poolApplicant {
	q = taxonomy.Fold(strings.TrimSpace(q))
	var out []*poolApplicant
	for _, a := range p.applicants {
		if status != "" && !hasStatus(a, status) {
			continue
		}
		if q == "" || matches(a, q) {
			out = append(out, a)
		}
	}
	return out
}

func hasStatus(a *poolApplicant, s credential.Status) bool {
	for _, c := range a.Credentials {
		if c.Ref.Status == s {
			return true
		}
	}
	return false
}

func matches(a *poolApplicant, q string) bool {
	hay := []string{a.Stored.Name, a.Stored.Email}
	for _, c := range a.Credentials {
		hay = append(hay, c.Ref.Name, c.Ref.Issuer)
	}
	for _, h := range hay {
		if strings.Contains(taxonomy.Fold(h), q) {
			return true
		}
	}
	return false
}
