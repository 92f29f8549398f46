package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// settingEvidenceTaxonomy records the taxonomies the stored evidence was
// computed with: a JSON list of evidenceBasis, one entry when all of it
// comes from one taxonomy. Import adds the taxonomy it used, a complete
// Reverify or RefreshEvidence sets it to the taxonomy they used, and
// activating another taxonomy first writes the outgoing active one when
// the record is missing (see seedEvidenceBasis).
const settingEvidenceTaxonomy = "evidence_taxonomy"

// evidenceBasis identifies a taxonomy as evidence was computed with it: its
// name and, for a cached (imported) taxonomy, when it was imported, so that
// importing a new version under the same name counts as a change.
type evidenceBasis struct {
	Name       string `json:"name"`
	ImportedAt string `json:"imported_at,omitempty"`
}

// queryRower is a *sql.Tx or a *sql.DB.
type queryRower interface {
	QueryRow(query string, args ...any) *sql.Row
}

// taxonomyBasis returns the basis of the taxonomy called name.
func taxonomyBasis(q queryRower, name string) (evidenceBasis, error) {
	b := evidenceBasis{Name: name}
	if name == taxonomy.DefaultName {
		return b, nil
	}
	err := q.QueryRow("SELECT imported_at FROM taxonomies WHERE name = ?", name).Scan(&b.ImportedAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return b, fmt.Errorf("taxonomy %q: %w", name, err)
	}
	return b, nil
}

// activeBasis returns the basis of the active taxonomy.
func activeBasis(q queryRower) (evidenceBasis, error) {
	var b evidenceBasis
	err := q.QueryRow("SELECT name, imported_at FROM taxonomies WHERE active = 1").Scan(&b.Name, &b.ImportedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return evidenceBasis{Name: taxonomy.DefaultName}, nil
	}
	if err != nil {
		return b, fmt.Errorf("active taxonomy: %w", err)
	}
	return b, nil
}

// evidenceBases reads the record of the taxonomies the evidence was
// computed with; ok is false when the workspace has none (written before
// the record existed).
func evidenceBases(q queryRower) (bases []evidenceBasis, ok bool, err error) {
	var raw string
	err = q.QueryRow("SELECT value FROM settings WHERE key = ?", settingEvidenceTaxonomy).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("setting %s: %w", settingEvidenceTaxonomy, err)
	}
	if err := json.Unmarshal([]byte(raw), &bases); err != nil {
		return nil, false, fmt.Errorf("setting %s: the stored value is damaged (%w); run a refresh of the evidence (skillmatch-cli reindex) to rewrite it", settingEvidenceTaxonomy, err)
	}
	return bases, true, nil
}

func writeEvidenceBases(tx *sql.Tx, bases []evidenceBasis) error {
	b, err := json.Marshal(bases)
	if err != nil {
		return fmt.Errorf("setting %s: %w", settingEvidenceTaxonomy, err)
	}
	return setSetting(tx, settingEvidenceTaxonomy, b)
}

// noteEvidenceBasis records, inside tx, that evidence was stored computed
// with b, beside what was stored before. A workspace without a record had
// its evidence computed with the active taxonomy.
func noteEvidenceBasis(tx *sql.Tx, b evidenceBasis) error {
	bases, ok, err := evidenceBases(tx)
	if err != nil {
		return err
	}
	if !ok {
		a, err := activeBasis(tx)
		if err != nil {
			return err
		}
		bases = []evidenceBasis{a}
	}
	if slices.Contains(bases, b) {
		if ok {
			return nil
		}
	} else {
		bases = append(bases, b)
	}
	return writeEvidenceBases(tx, bases)
}

// seedEvidenceBasis is called inside the transaction that changes the
// active taxonomy, before the change: a workspace without a record had its
// evidence computed with the outgoing active taxonomy, which is written
// down so that EvidenceStale sees the change. A workspace without
// credentials has no evidence: its record is dropped, so that the next
// import starts it afresh.
func seedEvidenceBasis(tx *sql.Tx) error {
	var has int
	if err := tx.QueryRow("SELECT EXISTS (SELECT 1 FROM credentials)").Scan(&has); err != nil {
		return err
	}
	if has == 0 {
		_, err := tx.Exec("DELETE FROM settings WHERE key = ?", settingEvidenceTaxonomy)
		return err
	}
	if _, ok, err := evidenceBases(tx); err != nil || ok {
		return err
	}
	a, err := activeBasis(tx)
	if err != nil {
		return err
	}
	return writeEvidenceBases(tx, []evidenceBasis{a})
}

// EvidenceStale reports whether some of the stored evidence (the
// competencies each credential shows) was computed with another taxonomy
// than the active one, or with an earlier import of it: then jobs analysed
// with the active taxonomy ask for competencies the stored evidence does
// not name, and RefreshEvidence should be run. A workspace without
// credentials is never stale. A workspace written before Skillmatch
// recorded the taxonomy of its evidence, which has no record, counts as
// computed with the active taxonomy (the record is written as soon as the
// active taxonomy changes, an import stores evidence, or the evidence is
// refreshed).
func (s *Store) EvidenceStale() (bool, error) {
	var has int
	if err := s.r.QueryRow("SELECT EXISTS (SELECT 1 FROM credentials)").Scan(&has); err != nil {
		return false, fmt.Errorf("workspace %s: %w", s.path, err)
	}
	if has == 0 {
		return false, nil
	}
	bases, ok, err := evidenceBases(s.r)
	if err != nil || !ok {
		return false, err
	}
	active, err := activeBasis(s.r)
	if err != nil {
		return false, fmt.Errorf("workspace %s: %w", s.path, err)
	}
	for _, b := range bases {
		if b != active {
			return true, nil
		}
	}
	return false, nil
}

// EvidenceTaxonomies returns the names of the taxonomies the stored
// evidence was computed with, in the order they were first used (see
// EvidenceStale; without a record, the active taxonomy).
func (s *Store) EvidenceTaxonomies() ([]string, error) {
	bases, ok, err := evidenceBases(s.r)
	if err != nil {
		return nil, err
	}
	if !ok {
		name, err := s.ActiveTaxonomyName()
		if err != nil {
			return nil, err
		}
		return []string{name}, nil
	}
	var names []string
	for _, b := range bases {
		if !slices.Contains(names, b.Name) {
			names = append(names, b.Name)
		}
	}
	return names, nil
}

// RefreshReport says what RefreshEvidence did.
type RefreshReport struct {
	// Taxonomy is the name of the taxonomy the evidence was computed with.
	Taxonomy string `json:"taxonomy"`
	// People and Credentials count what was refreshed and stored; when the
	// run stopped early, the people finished before it stopped, whose
	// results are kept. Total is the number of people to refresh.
	People      int `json:"people"`
	Credentials int `json:"credentials"`
	Total       int `json:"total"`
	// Changed counts the credentials whose evidence changed.
	Changed int `json:"changed"`
	// Before and After count the evidence links (credential, competency)
	// of the refreshed credentials before and after.
	Before int `json:"evidence_before"`
	After  int `json:"evidence_after"`
	// FromRecord counts the credentials read from the parsed record
	// stored at import; the others (CLRs whose enclosed credentials
	// have no ID, records that cannot be read) were parsed again from
	// their original bytes.
	FromRecord int `json:"from_record"`
}

// RefreshEvidence computes again, with the active taxonomy, which
// competencies every stored credential (applicants and staff) evidences,
// and rebuilds the search index (it holds the competency labels). It uses
// each credential's stored original bytes and its latest stored
// verification: nothing is verified again and the network is not used, so
// statuses and trust verdicts stay as they are (Reverify renews those).
//
// It goes one person per transaction, in ID order, calling progress (when
// not nil) after each; ctx is checked between people, and a run stopped
// early keeps the people finished before, returning the report with the
// error (EvidenceStale then stays true). Running it again gives the same
// evidence.
func (s *Store) RefreshEvidence(ctx context.Context, progress func(done, total int)) (*RefreshReport, error) {
	people, err := s.Applicants(ApplicantFilter{})
	if err != nil {
		return nil, err
	}
	tax, err := s.ActiveTaxonomy()
	if err != nil {
		return nil, err
	}
	basis, err := taxonomyBasis(s.r, tax.Name)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: %w", s.path, err)
	}
	rep := &RefreshReport{Taxonomy: tax.Name, Total: len(people)}
	ex := matcher.For(tax)
	type update struct {
		id  int64
		ref matcher.CredentialRef
		ev  []matcher.Evidence
	}
	for i, a := range people {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		creds, err := s.refreshInputs(ctx, a.ID)
		if err != nil {
			return rep, err
		}
		ups := make([]update, 0, len(creds))
		var before, after, fromRecord int
		for _, in := range creds {
			c := in.record
			if c == nil {
				// Parse again when the record cannot stand for the
				// credential (see refreshInputs).
				if c, err = s.Parsed(in.id); err != nil {
					return rep, err
				}
			} else {
				fromRecord++
			}
			ev := matcher.EvidenceFor(tax, ex, c, in.ver)
			before += len(in.old)
			after += len(ev)
			if !sameEvidence(in.old, ev) {
				ups = append(ups, update{in.id, matcher.RefFor(c, in.ver), ev})
			}
		}
		// A person whose evidence is already what the active taxonomy
		// gives (a second run, no credentials) needs no write.
		if len(ups) > 0 {
			err = s.write(ctx, func(tx *sql.Tx) error {
				for _, u := range ups {
					if err := insertEvidence(tx, u.id, u.ref, u.ev); err != nil {
						return fmt.Errorf("credential %d: %w", u.id, err)
					}
				}
				return noteEvidenceBasis(tx, basis)
			})
			if err != nil {
				return rep, fmt.Errorf("refreshing the evidence of %s (person %d): %w", a.Name, a.ID, err)
			}
		}
		rep.People++
		rep.Credentials += len(creds)
		rep.Before += before
		rep.After += after
		rep.Changed += len(ups)
		rep.FromRecord += fromRecord
		if progress != nil {
			progress(i+1, len(people))
		}
	}
	// Everyone is done: record it even if ctx is cancelled now.
	err = s.write(context.WithoutCancel(ctx), func(tx *sql.Tx) error {
		return writeEvidenceBases(tx, []evidenceBasis{basis})
	})
	if err != nil {
		return rep, fmt.Errorf("workspace %s: recording the refreshed evidence: %w", s.path, err)
	}
	if err := s.Reindex(context.WithoutCancel(ctx)); err != nil {
		return rep, fmt.Errorf("workspace %s: rebuilding the search index after refreshing the evidence: %w", s.path, err)
	}
	return rep, nil
}

// refreshInput is what RefreshEvidence needs of one stored credential.
type refreshInput struct {
	id int64
	// record is the parsed credential stored at import; nil when it
	// cannot stand for the credential: a CLR whose enclosed credentials
	// have no ID (their ID is then a hash of their original bytes, which
	// the record does not keep) or a record that cannot be read.
	record *credential.Credential
	ver    credential.Verification
	old    []matcher.Evidence // without Credential
}

// refreshInputs reads the credentials of one person with their stored
// record, latest verification and evidence, in two queries: reading the
// record instead of parsing the original bytes again (which expands
// JSON-LD) is what makes RefreshEvidence fast.
func (s *Store) refreshInputs(ctx context.Context, applicantID int64) ([]refreshInput, error) {
	fail := func(err error) error {
		return fmt.Errorf("workspace %s: reading the credentials of person %d: %w", s.path, applicantID, err)
	}
	rows, err := s.r.QueryContext(ctx, "SELECT id, record, verification FROM credentials WHERE applicant_id = ? ORDER BY id", applicantID)
	if err != nil {
		return nil, fail(err)
	}
	defer rows.Close()
	var out []refreshInput
	at := map[int64]int{}
	for rows.Next() {
		var in refreshInput
		var rec []byte
		var ver sql.NullString
		if err := rows.Scan(&in.id, &rec, &ver); err != nil {
			return nil, fail(err)
		}
		if ver.Valid {
			if err := json.Unmarshal([]byte(ver.String), &in.ver); err != nil {
				return nil, fmt.Errorf("credential %d: stored verification is damaged (%w); verify it again", in.id, err)
			}
		}
		var c credential.Credential
		if json.Unmarshal(rec, &c) == nil && innerIdentified(&c) {
			in.record = &c
		}
		at[in.id] = len(out)
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err)
	}
	rows.Close()
	ev, err := s.r.QueryContext(ctx, `SELECT e.credential_id, e.competency, e.link, e.score, e.source, e.spans
		FROM evidence e JOIN credentials c ON c.id = e.credential_id WHERE c.applicant_id = ? ORDER BY e.credential_id, e.seq`, applicantID)
	if err != nil {
		return nil, fail(err)
	}
	defer ev.Close()
	for ev.Next() {
		var cid int64
		var e matcher.Evidence
		var link, spans string
		if err := ev.Scan(&cid, &e.CompetencyID, &link, &e.Score, &e.Source, &spans); err != nil {
			return nil, fail(err)
		}
		e.Link, e.Spans = matcher.LinkKind(link), parseSpans(spans)
		if i, ok := at[cid]; ok {
			out[i].old = append(out[i].old, e)
		}
	}
	if err := ev.Err(); err != nil {
		return nil, fail(err)
	}
	return out, nil
}

// innerIdentified reports whether every credential c encloses has an ID.
func innerIdentified(c *credential.Credential) bool {
	for _, in := range c.Inner {
		if in.ID == "" || !innerIdentified(in) {
			return false
		}
	}
	return true
}

// sameEvidence reports whether two lists name the same competencies with
// the same link, score, field and spans.
func sameEvidence(a, b []matcher.Evidence) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.CompetencyID != y.CompetencyID || x.Link != y.Link || x.Score != y.Score || x.Source != y.Source || formatSpans(x.Spans) != formatSpans(y.Spans) {
			return false
		}
	}
	return true
}
