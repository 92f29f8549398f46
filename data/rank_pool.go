package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
)

// rankingPool loads the people f selects for ranking as of now, reading
// only what can change a Fit: the credentials that evidence one of the
// competencies (with their evidence for those competencies), and each
// person's count of verified credentials from the columns the triggers of
// migration 3 keep (valid_count, valid_since, valid_expiring). Only for a
// person some of whose verified credentials are not yet valid or have
// expired as of now are their credential rows read to count them.
// Credentials of each matcher.Applicant is nil, VerifiedCount the count.
func (s *Store) rankingPool(ctx context.Context, f ApplicantFilter, competencies []string, now time.Time) ([]matcher.Applicant, error) {
	where, args := poolWhere(f)
	var out []matcher.Applicant
	index := map[int64]int{}
	var recount []int64
	rows, err := s.r.QueryContext(ctx, "SELECT a.id, a.name, a.valid_count, a.valid_since, a.valid_expiring FROM applicants a"+where+" ORDER BY a.id", args...)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: loading applicants: %w", s.path, err)
	}
	for rows.Next() {
		var id, since, expiring int64
		var n int
		var name string
		if err := rows.Scan(&id, &name, &n, &since, &expiring); err != nil {
			rows.Close()
			return nil, err
		}
		a := matcher.Applicant{ID: strconv.FormatInt(id, 10), Name: name}
		if n > 0 {
			if (since == 0 || !now.Before(fromUnix(since))) && (expiring == 0 || now.Before(fromUnix(expiring))) {
				a.VerifiedCount = n
			} else {
				recount = append(recount, id)
			}
		}
		index[id] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(recount) > 0 {
		ids, _ := json.Marshal(recount)
		rows, err := s.r.QueryContext(ctx, "SELECT applicant_id, valid_from, valid_until FROM credentials WHERE status = 'valid' AND applicant_id IN (SELECT value FROM json_each(?))", string(ids))
		if err != nil {
			return nil, fmt.Errorf("workspace %s: counting verified credentials: %w", s.path, err)
		}
		for rows.Next() {
			var aid, from, until int64
			if err := rows.Scan(&aid, &from, &until); err != nil {
				rows.Close()
				return nil, err
			}
			ref := matcher.CredentialRef{Status: credential.StatusValid, ValidFrom: fromUnix(from), ValidUntil: fromUnix(until)}
			if i, ok := index[aid]; ok && ref.EffectiveStatus(now) == credential.StatusValid {
				out[i].VerifiedCount++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(competencies) == 0 {
		return out, nil
	}
	compJSON, _ := json.Marshal(competencies)
	// The credentials that evidence a relevant competency, through the
	// evidence table's competency index.
	type held struct {
		app int
		ref matcher.CredentialRef
	}
	refs := map[int64]*held{}
	in := intern{}
	rows, err = s.r.QueryContext(ctx, `SELECT id, applicant_id, ref_id, title, issuer, issuer_id, format, status, trusted, self_reported, issued_at, valid_from, valid_until, level, credits
		FROM credentials WHERE id IN (SELECT credential_id FROM evidence WHERE competency IN (SELECT value FROM json_each(?)))`, string(compJSON))
	if err != nil {
		return nil, fmt.Errorf("workspace %s: loading credentials: %w", s.path, err)
	}
	for rows.Next() {
		var cid, aid, issued, from, until int64
		var r matcher.CredentialRef
		var refID, title, issuer, issuerID, format, status, level string
		if err := rows.Scan(&cid, &aid, &refID, &title, &issuer, &issuerID, &format, &status, &r.Trusted, &r.SelfReported, &issued, &from, &until, &level, &r.Credits); err != nil {
			rows.Close()
			return nil, err
		}
		i, ok := index[aid]
		if !ok {
			continue
		}
		r.ID, r.Name, r.Issuer, r.IssuerID = refID, in.s(title), in.s(issuer), in.s(issuerID)
		r.Format, r.Status, r.Level = credential.Format(in.s(format)), credential.Status(in.s(status)), matcher.Level(in.s(level))
		r.IssuedAt, r.ValidFrom, r.ValidUntil = fromUnix(issued), fromUnix(from), fromUnix(until)
		refs[cid] = &held{app: i, ref: r}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.r.QueryContext(ctx, "SELECT credential_id, seq, competency, link, score, source, spans, inner_ref FROM evidence WHERE competency IN (SELECT value FROM json_each(?))", string(compJSON))
	if err != nil {
		return nil, fmt.Errorf("workspace %s: loading evidence: %w", s.path, err)
	}
	defer rows.Close()
	type evKey struct{ cred, seq int64 }
	keys := make([][]evKey, len(out))
	for rows.Next() {
		var cid, seq int64
		var e matcher.Evidence
		var comp, link, spans string
		var inner sql.NullString
		if err := rows.Scan(&cid, &seq, &comp, &link, &e.Score, &e.Source, &spans, &inner); err != nil {
			return nil, err
		}
		h, ok := refs[cid]
		if !ok {
			continue
		}
		e.CompetencyID, e.Link, e.Spans = in.s(comp), matcher.LinkKind(in.s(link)), parseSpans(spans)
		e.Credential = h.ref
		if inner.Valid {
			if err := json.Unmarshal([]byte(inner.String), &e.Credential); err != nil {
				return nil, fmt.Errorf("credential %d: stored evidence is damaged: %w", cid, err)
			}
		}
		out[h.app].Evidence = append(out[h.app].Evidence, e)
		keys[h.app] = append(keys[h.app], evKey{cid, seq})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Evidence of one credential together, credentials in ID order, as
	// matcher.Rank expects.
	for i := range out {
		ev, k := out[i].Evidence, keys[i]
		if len(ev) < 2 {
			continue
		}
		less := func(a, b evKey) bool { return a.cred < b.cred || a.cred == b.cred && a.seq < b.seq }
		if sort.SliceIsSorted(k, func(a, b int) bool { return less(k[a], k[b]) }) {
			continue
		}
		sort.Sort(evidenceByKey[evKey]{ev, k, less})
	}
	return out, nil
}

// evidenceByKey sorts evidence and its keys together.
type evidenceByKey[K any] struct {
	ev   []matcher.Evidence
	keys []K
	less func(a, b K) bool
}

func (s evidenceByKey[K]) Len() int           { return len(s.ev) }
func (s evidenceByKey[K]) Less(i, j int) bool { return s.less(s.keys[i], s.keys[j]) }
func (s evidenceByKey[K]) Swap(i, j int) {
	s.ev[i], s.ev[j] = s.ev[j], s.ev[i]
	s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
}
