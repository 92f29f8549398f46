package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// Policy returns the ranking policy (matcher.DefaultPolicy until one is
// saved).
func (s *Store) Policy() (matcher.Policy, error) {
	var raw json.RawMessage
	ok, err := s.Setting(settingPolicy, &raw)
	if err != nil || !ok {
		return matcher.DefaultPolicy(), err
	}
	p, err := matcher.ParsePolicy("workspace policy", raw)
	if err != nil {
		return matcher.DefaultPolicy(), fmt.Errorf("workspace %s: %w", s.path, err)
	}
	return p, nil
}

// SetPolicy validates and stores the ranking policy.
func (s *Store) SetPolicy(p matcher.Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.SetSetting(settingPolicy, p)
}

// TrustList returns the employer's list of trusted issuers.
func (s *Store) TrustList() (*credential.TrustList, error) {
	rows, err := s.r.Query("SELECT issuer_id, name, note FROM trust ORDER BY issuer_id")
	if err != nil {
		return nil, fmt.Errorf("workspace %s: trust list: %w", s.path, err)
	}
	defer rows.Close()
	tl := &credential.TrustList{Issuers: []credential.TrustedIssuer{}}
	for rows.Next() {
		var e credential.TrustedIssuer
		if err := rows.Scan(&e.ID, &e.Name, &e.Note); err != nil {
			return nil, err
		}
		tl.Issuers = append(tl.Issuers, e)
	}
	return tl, rows.Err()
}

// SetTrustList replaces the trust list.
func (s *Store) SetTrustList(tl *credential.TrustList) error {
	return s.write(context.Background(), func(tx *sql.Tx) error {
		if _, err := tx.Exec("DELETE FROM trust"); err != nil {
			return err
		}
		return addTrusted(tx, tl.Issuers)
	})
}

// AddTrusted adds or replaces entries of the trust list.
func (s *Store) AddTrusted(issuers ...credential.TrustedIssuer) error {
	return s.write(context.Background(), func(tx *sql.Tx) error { return addTrusted(tx, issuers) })
}

func addTrusted(tx *sql.Tx, issuers []credential.TrustedIssuer) error {
	for _, e := range issuers {
		id := strings.TrimSpace(e.ID)
		if id == "" {
			return fmt.Errorf("trust list: an entry has no id; give the issuer's DID or URL")
		}
		if _, err := tx.Exec(`INSERT INTO trust(issuer_id, name, note) VALUES (?, ?, ?)
			ON CONFLICT(issuer_id) DO UPDATE SET name = excluded.name, note = excluded.note`, id, e.Name, e.Note); err != nil {
			return fmt.Errorf("trust list, %s: %w", id, err)
		}
	}
	return nil
}

// RemoveTrusted removes an issuer from the trust list and reports whether
// it was there.
func (s *Store) RemoveTrusted(id string) (bool, error) {
	var n int64
	err := s.write(context.Background(), func(tx *sql.Tx) error {
		res, err := tx.Exec("DELETE FROM trust WHERE issuer_id = ?", strings.TrimSpace(id))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n > 0, err
}

// RankOptions tune RankJob.
type RankOptions struct {
	// All ranks every applicant (kind applicant) of the workspace instead
	// of the job's pool. An empty pool ranks everyone, too.
	All bool
	// Now is the moment currency and expiry are judged as of; zero means
	// the workspace's fixed moment (AsOf) if it has one, else now.
	Now time.Time
	// Policy overrides the workspace policy.
	Policy *matcher.Policy
	// Progress is called as applicants are scored.
	Progress func(done, total int)
}

// Ranking is the result of RankJob: the fits in rank order and what they
// were computed with (what SaveSnapshot stores).
type Ranking struct {
	Job      *Job
	Fits     []matcher.Fit
	Policy   matcher.Policy
	Taxonomy string
	Now      time.Time
}

// RankInput is what a ranking is computed from.
type RankInput struct {
	Job *Job
	// Applicants are the job's pool (or everyone), with the evidence that
	// can count for the job's requirements.
	Applicants []matcher.Applicant
	Policy     matcher.Policy
	Taxonomy   *taxonomy.Taxonomy
	Now        time.Time
}

// RankInput loads what RankJob ranks: the job, its pool (or, with
// RankOptions.All or an empty pool, every applicant of kind applicant), the
// active taxonomy, the policy and the moment.
func (s *Store) RankInput(ctx context.Context, jobID int64, opt RankOptions) (*RankInput, error) {
	job, err := s.Job(jobID)
	if err != nil {
		return nil, err
	}
	tax, err := s.ActiveTaxonomy()
	if err != nil {
		return nil, err
	}
	pol, err := s.Policy()
	if err != nil {
		return nil, err
	}
	if opt.Policy != nil {
		pol = *opt.Policy
	}
	now := opt.Now
	if now.IsZero() {
		now = s.AsOf()
	}
	if now.IsZero() {
		now = s.now()
	}
	f := ApplicantFilter{Kind: KindApplicant}
	if !opt.All {
		var n int
		if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM pipeline WHERE job_id = ?", jobID).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			f = ApplicantFilter{JobID: jobID}
		}
	}
	// Only evidence for the competencies that can score is read.
	comps := matcher.NewScorer(tax, job.Requirements, pol, now).Competencies()
	apps, err := s.rankingPool(ctx, f, comps, now)
	if err != nil {
		return nil, err
	}
	return &RankInput{Job: job, Applicants: apps, Policy: pol, Taxonomy: tax, Now: now}, nil
}

// RankJob ranks the job's pool (or everyone, see RankOptions.All) against
// the job's requirements as edited, with the workspace's taxonomy, the
// verification verdicts as stored, and the policy. Fit.Applicant is the
// applicant's ID in decimal.
func (s *Store) RankJob(ctx context.Context, jobID int64, opt RankOptions) (*Ranking, error) {
	in, err := s.RankInput(ctx, jobID, opt)
	if err != nil {
		return nil, err
	}
	sc := matcher.NewScorer(in.Taxonomy, in.Job.Requirements, in.Policy, in.Now).WithLanguage(in.Job.Language)
	fits, err := matcher.RankContext(ctx, sc, in.Applicants, opt.Progress)
	if err != nil {
		return nil, err
	}
	return &Ranking{Job: in.Job, Fits: fits, Policy: in.Policy, Taxonomy: in.Taxonomy.Name, Now: in.Now}, nil
}

// RankingApplicants loads the people f selects as matcher.Applicants: all
// their credentials, and the evidence for the competencies listed (nil:
// all evidence). The ID of each is the applicant ID in decimal. To load a
// large pool fast, credentials that evidence none of the competencies carry
// only their status and validity dates (all ranking reads of them: the
// count of verified credentials); the others carry their full reference.
func (s *Store) RankingApplicants(ctx context.Context, f ApplicantFilter, competencies []string) ([]matcher.Applicant, error) {
	where, args := poolWhere(f)
	var out []matcher.Applicant
	index := map[int64]int{}
	rows, err := s.r.QueryContext(ctx, "SELECT a.id, a.name FROM applicants a"+where+" ORDER BY a.id", args...)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: loading applicants: %w", s.path, err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		index[id] = len(out)
		out = append(out, matcher.Applicant{ID: strconv.FormatInt(id, 10), Name: name, Credentials: []matcher.CredentialRef{}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Credentials in ID (rowid) order, which needs no sort; each
	// applicant's credentials are then in ID order too. where names the
	// applicants table a.
	var pos positions
	in := intern{}
	// All credentials, with only what the tie-break on verified
	// credentials needs (status and validity); the credentials that
	// evidence a relevant competency get their full reference below.
	credQuery := `SELECT c.applicant_id, c.id, c.status, c.valid_from, c.valid_until FROM credentials c`
	if where != "" {
		credQuery += " WHERE c.applicant_id IN (SELECT a.id FROM applicants a" + where + ")"
	}
	rows, err = s.r.QueryContext(ctx, credQuery, args...)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: loading credentials: %w", s.path, err)
	}
	credIDs := make([][]int64, len(out))
	for rows.Next() {
		var aid, cid, from, until int64
		var status string
		if err := rows.Scan(&aid, &cid, &status, &from, &until); err != nil {
			rows.Close()
			return nil, err
		}
		i, ok := index[aid]
		if !ok {
			continue
		}
		out[i].Credentials = append(out[i].Credentials, matcher.CredentialRef{Status: credential.Status(in.s(status)), ValidFrom: fromUnix(from), ValidUntil: fromUnix(until)})
		credIDs[i] = append(credIDs[i], cid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Each applicant's credentials in ID order (sorted here rather than by
	// SQLite, whose sorter is the slow part on a large pool).
	pos.init(credIDs)
	for i := range out {
		ids, refs := credIDs[i], out[i].Credentials
		if !sort.SliceIsSorted(ids, func(a, b int) bool { return ids[a] < ids[b] }) {
			sort.Sort(credsByID{ids, refs})
		}
		for k, cid := range ids {
			pos.set(cid, credPos{int32(i), int32(k)})
		}
	}
	var compJSON string
	if competencies != nil {
		b, _ := json.Marshal(competencies)
		compJSON = string(b)
	}
	fullQuery := `SELECT id, ref_id, title, issuer, issuer_id, format, status, trusted, self_reported, issued_at, valid_from, valid_until, level, credits FROM credentials`
	var fullArgs []any
	if competencies != nil {
		fullQuery += " WHERE id IN (SELECT credential_id FROM evidence WHERE competency IN (SELECT value FROM json_each(?)))"
		fullArgs = append(fullArgs, compJSON)
	}
	rows, err = s.r.QueryContext(ctx, fullQuery, fullArgs...)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: loading credentials: %w", s.path, err)
	}
	for rows.Next() {
		var cid, issued, from, until int64
		var r matcher.CredentialRef
		var refID, title, issuer, issuerID, format, status, level string
		if err := rows.Scan(&cid, &refID, &title, &issuer, &issuerID, &format, &status, &r.Trusted, &r.SelfReported, &issued, &from, &until, &level, &r.Credits); err != nil {
			rows.Close()
			return nil, err
		}
		p, ok := pos.get(cid)
		if !ok {
			continue
		}
		r.ID, r.Name, r.Issuer, r.IssuerID = refID, in.s(title), in.s(issuer), in.s(issuerID)
		r.Format, r.Status, r.Level = credential.Format(in.s(format)), credential.Status(in.s(status)), matcher.Level(in.s(level))
		r.IssuedAt, r.ValidFrom, r.ValidUntil = fromUnix(issued), fromUnix(from), fromUnix(until)
		out[p.app].Credentials[p.idx] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Evidence for the competencies asked for, through the competency
	// index; the pool filter is the map of positions.
	evq := "SELECT credential_id, seq, competency, link, score, source, spans, inner_ref FROM evidence"
	var evArgs []any
	if competencies != nil {
		evq += " WHERE competency IN (SELECT value FROM json_each(?))"
		evArgs = append(evArgs, compJSON)
	}
	rows, err = s.r.QueryContext(ctx, evq, evArgs...)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: loading evidence: %w", s.path, err)
	}
	defer rows.Close()
	type evKey struct{ cred, seq int32 }
	keys := make([][]evKey, len(out))
	for rows.Next() {
		var cid, seq int64
		var e matcher.Evidence
		var comp, link, spans string
		var inner sql.NullString
		if err := rows.Scan(&cid, &seq, &comp, &link, &e.Score, &e.Source, &spans, &inner); err != nil {
			return nil, err
		}
		p, ok := pos.get(cid)
		if !ok {
			continue
		}
		e.CompetencyID, e.Link, e.Spans = in.s(comp), matcher.LinkKind(in.s(link)), parseSpans(spans)
		e.Credential = out[p.app].Credentials[p.idx]
		if inner.Valid {
			if err := json.Unmarshal([]byte(inner.String), &e.Credential); err != nil {
				return nil, fmt.Errorf("credential %d: stored evidence is damaged: %w", cid, err)
			}
		}
		out[p.app].Evidence = append(out[p.app].Evidence, e)
		keys[p.app] = append(keys[p.app], evKey{p.idx, int32(seq)})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Evidence of one credential together, credentials in ID order, as
	// matcher.Rank expects.
	for i := range out {
		ev, k := out[i].Evidence, keys[i]
		if sort.SliceIsSorted(k, func(a, b int) bool { return k[a].cred < k[b].cred || k[a].cred == k[b].cred && k[a].seq < k[b].seq }) {
			continue
		}
		idx := make([]int, len(ev))
		for j := range idx {
			idx[j] = j
		}
		sort.Slice(idx, func(a, b int) bool {
			x, y := k[idx[a]], k[idx[b]]
			return x.cred < y.cred || x.cred == y.cred && x.seq < y.seq
		})
		sorted := make([]matcher.Evidence, len(ev))
		for j, from := range idx {
			sorted[j] = ev[from]
		}
		out[i].Evidence = sorted
	}
	return out, nil
}

// credPos locates a credential: applicant index, credential index.
type credPos struct{ app, idx int32 }

// positions maps credential IDs to their place in the loaded pool: a slice
// indexed by ID when IDs are dense (SQLite rowids usually are), else a map.
type positions struct {
	dense []credPos // index = credential ID; app -1 = absent
	m     map[int64]credPos
}

func (p *positions) init(ids [][]int64) {
	var n, maxID int64
	for _, l := range ids {
		for _, id := range l {
			n++
			maxID = max(maxID, id)
		}
	}
	if maxID < 4*n+1024 {
		p.dense = make([]credPos, maxID+1)
		for i := range p.dense {
			p.dense[i].app = -1
		}
		return
	}
	p.m = make(map[int64]credPos, n)
}

func (p *positions) set(id int64, c credPos) {
	if p.dense != nil {
		p.dense[id] = c
		return
	}
	p.m[id] = c
}

func (p *positions) get(id int64) (credPos, bool) {
	if p.dense != nil {
		if id < 0 || id >= int64(len(p.dense)) || p.dense[id].app < 0 {
			return credPos{}, false
		}
		return p.dense[id], true
	}
	c, ok := p.m[id]
	return c, ok
}

// credsByID sorts credential IDs and their refs together.
type credsByID struct {
	ids  []int64
	refs []matcher.CredentialRef
}

func (c credsByID) Len() int           { return len(c.ids) }
func (c credsByID) Less(i, j int) bool { return c.ids[i] < c.ids[j] }
func (c credsByID) Swap(i, j int) {
	c.ids[i], c.ids[j] = c.ids[j], c.ids[i]
	c.refs[i], c.refs[j] = c.refs[j], c.refs[i]
}

// intern shares equal strings (issuers, formats, statuses repeat across a
// large pool).
type intern map[string]string

func (in intern) s(v string) string {
	if x, ok := in[v]; ok {
		return x
	}
	in[v] = v
	return v
}

// poolWhere is the WHERE clause (on applicants a) for a filter.
func poolWhere(f ApplicantFilter) (string, []any) {
	var conds []string
	var args []any
	if f.JobID != 0 {
		conds = append(conds, "a.id IN (SELECT applicant_id FROM pipeline WHERE job_id = ?)")
		args = append(args, f.JobID)
	}
	if f.Kind != "" {
		conds = append(conds, "a.kind = ?")
		args = append(args, f.Kind)
	}
	if f.TeamID != 0 {
		conds = append(conds, "a.team_id = ?")
		args = append(args, f.TeamID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// SnapshotEntry is one applicant's line of a ranking snapshot: the score and
// its explanation exactly as they were shown.
type SnapshotEntry struct {
	ApplicantID int64                       `json:"applicant_id"`
	Name        string                      `json:"name,omitempty"`
	Rank        int                         `json:"rank"`
	Score       float64                     `json:"score"`
	KnockedOut  bool                        `json:"knocked_out"`
	MustMet     int                         `json:"must_met"`
	MustTotal   int                         `json:"must_total"`
	Verified    int                         `json:"verified_credentials"`
	TieBreak    string                      `json:"tie_break,omitempty"`
	Explanation string                      `json:"explanation"`
	Details     []matcher.RequirementDetail `json:"details"`
}

// Snapshot is a dated record of a ranking as shown: an audit trail of
// screening decisions.
type Snapshot struct {
	ID           int64                 `json:"id"`
	JobID        int64                 `json:"job_id"`
	TakenAt      time.Time             `json:"taken_at"`
	AsOf         time.Time             `json:"as_of"`
	Taxonomy     string                `json:"taxonomy"`
	Policy       matcher.Policy        `json:"policy"`
	Requirements []matcher.Requirement `json:"requirements"`
	Note         string                `json:"note,omitempty"`
	Entries      []SnapshotEntry       `json:"entries"`
}

// SaveSnapshot records a ranking as shown, with the explanation of every
// score. Entries are removed with the person when they are erased.
func (s *Store) SaveSnapshot(r *Ranking, note string) (*Snapshot, error) {
	snap := &Snapshot{JobID: r.Job.ID, TakenAt: s.now().UTC(), AsOf: r.Now.UTC(), Taxonomy: r.Taxonomy, Policy: r.Policy, Requirements: r.Job.Requirements, Note: note}
	for i := range r.Fits {
		f := &r.Fits[i]
		id, err := strconv.ParseInt(f.Applicant, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("snapshot: fit %d has applicant %q, not a workspace ID", i, f.Applicant)
		}
		snap.Entries = append(snap.Entries, SnapshotEntry{
			ApplicantID: id, Name: f.Name, Rank: f.Rank, Score: f.Score, KnockedOut: f.KnockedOut, MustMet: f.MustMet, MustTotal: f.MustTotal,
			Verified: f.Verified, TieBreak: f.TieBreak(), Explanation: f.Explanation(), Details: f.Details(),
		})
	}
	pol, err := json.Marshal(snap.Policy)
	if err != nil {
		return nil, err
	}
	reqs, err := json.Marshal(snap.Requirements)
	if err != nil {
		return nil, err
	}
	err = s.write(context.Background(), func(tx *sql.Tx) error {
		res, err := tx.Exec("INSERT INTO snapshots(job_id, taken_at, as_of, taxonomy, policy, requirements, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
			snap.JobID, stamp(snap.TakenAt), stamp(snap.AsOf), snap.Taxonomy, string(pol), string(reqs), note)
		if err != nil {
			return err
		}
		snap.ID, _ = res.LastInsertId()
		st, err := tx.Prepare("INSERT INTO snapshot_entries(snapshot_id, applicant_id, rank, score, data) VALUES (?, ?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer st.Close()
		for _, e := range snap.Entries {
			b, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if _, err := st.Exec(snap.ID, e.ApplicantID, e.Rank, e.Score, string(b)); err != nil {
				return fmt.Errorf("snapshot entry for applicant %d: %w", e.ApplicantID, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("saving the ranking snapshot of job %d: %w", snap.JobID, err)
	}
	return snap, nil
}

// Snapshots lists a job's snapshots, newest first, without their entries.
func (s *Store) Snapshots(jobID int64) ([]*Snapshot, error) {
	rows, err := s.r.Query("SELECT id FROM snapshots WHERE job_id = ? ORDER BY id DESC", jobID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	var out []*Snapshot
	for _, id := range ids {
		sn, err := s.snapshot(id, false)
		if err != nil {
			return nil, err
		}
		out = append(out, sn)
	}
	return out, nil
}

// Snapshot returns a snapshot with its entries in rank order.
func (s *Store) Snapshot(id int64) (*Snapshot, error) { return s.snapshot(id, true) }

func (s *Store) snapshot(id int64, entries bool) (*Snapshot, error) {
	sn := &Snapshot{ID: id}
	var taken, asOf, pol, reqs string
	err := s.r.QueryRow("SELECT job_id, taken_at, as_of, taxonomy, policy, requirements, note FROM snapshots WHERE id = ?", id).
		Scan(&sn.JobID, &taken, &asOf, &sn.Taxonomy, &pol, &reqs, &sn.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("snapshot %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	sn.TakenAt, sn.AsOf = parseStamp(taken), parseStamp(asOf)
	if err := json.Unmarshal([]byte(pol), &sn.Policy); err != nil {
		return nil, fmt.Errorf("snapshot %d: policy: %w", id, err)
	}
	if err := json.Unmarshal([]byte(reqs), &sn.Requirements); err != nil {
		return nil, fmt.Errorf("snapshot %d: requirements: %w", id, err)
	}
	if !entries {
		return sn, nil
	}
	rows, err := s.r.Query("SELECT data FROM snapshot_entries WHERE snapshot_id = ? ORDER BY rank, applicant_id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		e, err := decodeSnapshotEntry([]byte(b))
		if err != nil {
			return nil, fmt.Errorf("snapshot %d: entry: %w", id, err)
		}
		sn.Entries = append(sn.Entries, e)
	}
	return sn, rows.Err()
}

// decodeSnapshotEntry reads a stored entry (matcher.Flags read back their
// list of names themselves).
func decodeSnapshotEntry(b []byte) (SnapshotEntry, error) {
	var e SnapshotEntry
	if err := json.Unmarshal(b, &e); err != nil {
		return e, err
	}
	return e, nil
}
