package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// searchFields maps the field names a query may use ("issuer:northgate") to
// the columns of the search index.
var searchFields = map[string]string{
	"name":        "name",
	"email":       "email",
	"contact":     "contact",
	"issuer":      "issuer",
	"title":       "title",
	"credential":  "title",
	"achievement": "title",
	"competency":  "competencies",
	"skill":       "competencies",
	"status":      "status",
}

// labeler returns the labels (every language, preferred and alternative)
// of a competency ID in the active taxonomy.
func (s *Store) labeler() func(id string) []string {
	tax, err := s.ActiveTaxonomy()
	if err != nil {
		return func(id string) []string { return []string{id} }
	}
	return func(id string) []string { return competencyLabels(tax, id) }
}

func competencyLabels(tax *taxonomy.Taxonomy, id string) []string {
	c, ok := tax.Get(id)
	if !ok {
		return []string{id}
	}
	var out []string
	for _, lang := range c.Languages() {
		l := c.Labels[lang]
		out = append(out, l.Preferred)
		out = append(out, l.Alt...)
	}
	return out
}

// reindex rebuilds the search row of one applicant inside tx.
func (s *Store) reindex(tx *sql.Tx, id int64) error {
	return s.reindexWith(tx, id, s.labeler())
}

func (s *Store) reindexWith(tx *sql.Tx, id int64, labels func(string) []string) error {
	if _, err := tx.Exec("DELETE FROM search WHERE rowid = ?", id); err != nil {
		return fmt.Errorf("search index, applicant %d: %w", id, err)
	}
	var name, email, contact string
	err := tx.QueryRow("SELECT name, email, contact FROM applicants WHERE id = ?", id).Scan(&name, &email, &contact)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	rows, err := tx.Query("SELECT id, issuer, issuer_id, title, status FROM credentials WHERE applicant_id = ? ORDER BY id", id)
	if err != nil {
		return err
	}
	var issuers, titles, statuses []string
	var credIDs []int64
	for rows.Next() {
		var cid int64
		var issuer, issuerID, title, status string
		if err := rows.Scan(&cid, &issuer, &issuerID, &title, &status); err != nil {
			rows.Close()
			return err
		}
		credIDs = append(credIDs, cid)
		issuers = append(issuers, issuer, issuerID)
		titles = append(titles, title)
		if status == "" {
			status = "unverified"
		}
		statuses = append(statuses, status)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var comps []string
	if len(credIDs) > 0 {
		crow, err := tx.Query("SELECT DISTINCT e.competency FROM evidence e JOIN credentials c ON c.id = e.credential_id WHERE c.applicant_id = ? ORDER BY 1", id)
		if err != nil {
			return err
		}
		for crow.Next() {
			var cid string
			if err := crow.Scan(&cid); err != nil {
				crow.Close()
				return err
			}
			comps = append(comps, labels(cid)...)
		}
		crow.Close()
		if err := crow.Err(); err != nil {
			return err
		}
	}
	_, err = tx.Exec("INSERT INTO search(rowid, name, email, contact, issuer, title, competencies, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		id, name, email, contact, joinDistinct(issuers, " | "), strings.Join(titles, " | "), joinDistinct(comps, " | "), joinDistinct(statuses, " "))
	if err != nil {
		return fmt.Errorf("search index, applicant %d: %w", id, err)
	}
	return nil
}

func joinDistinct(vals []string, sep string) string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vals {
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	sort.Strings(out)
	return strings.Join(out, sep)
}

// Reindex rebuilds the whole search index, e.g. after the active taxonomy
// changed (competency labels are indexed).
func (s *Store) Reindex(ctx context.Context) error {
	labels := s.labeler()
	var ids []int64
	rows, err := s.r.QueryContext(ctx, "SELECT id FROM applicants ORDER BY id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec("DELETE FROM search"); err != nil {
			return err
		}
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := s.reindexWith(tx, id, labels); err != nil {
				return err
			}
		}
		_, err := tx.Exec("INSERT INTO search(search) VALUES ('optimize')")
		return err
	})
}

// ftsQuery turns what a user typed into an FTS5 query: every word must
// occur (as a prefix), in any indexed field or in the field named before a
// colon ("issuer:northgate", "status:revoked", "competency:forklift").
// Quotes group words into a phrase. Nothing the user types is FTS5 syntax,
// so no input is an error.
func ftsQuery(q string) string {
	var terms []string
	for _, tok := range splitQuery(q) {
		field := ""
		if f, v, ok := strings.Cut(tok, ":"); ok {
			if col, known := searchFields[strings.ToLower(f)]; known && v != "" {
				field, tok = col, v
			}
		}
		tok = strings.Trim(tok, `"`)
		if strings.TrimSpace(tok) == "" || !hasWordRune(tok) {
			continue
		}
		t := `"` + strings.ReplaceAll(tok, `"`, `""`) + `"*`
		if field != "" {
			t = field + " : " + t
		}
		terms = append(terms, t)
	}
	return strings.Join(terms, " AND ")
}

func hasWordRune(s string) bool {
	for _, r := range s {
		if r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 127 {
			return true
		}
	}
	return false
}

// splitQuery splits on spaces outside double quotes.
func splitQuery(q string) []string {
	var out []string
	var cur strings.Builder
	inQuote := false
	for _, r := range q {
		switch {
		case r == '"':
			inQuote = !inQuote
			cur.WriteRune(r)
		case (r == ' ' || r == '\t' || r == '\n') && !inQuote:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// SearchResult is one page of search hits.
type SearchResult struct {
	Applicants []*Applicant `json:"applicants"`
	// Total is the number of people matching.
	Total int `json:"total"`
}

// Search finds people by name, e-mail, contact, and the issuers, titles,
// competencies (labels in every language) and statuses of their
// credentials; every word must match, as a prefix, accents ignored. A word
// may name its field: "issuer:northgate status:revoked". Results are best
// match first; limit ≤ 0 means 50. An empty query lists nobody.
func (s *Store) Search(ctx context.Context, query string, f ApplicantFilter, limit int) (*SearchResult, error) {
	fq := ftsQuery(query)
	res := &SearchResult{Applicants: []*Applicant{}}
	if fq == "" {
		return res, nil
	}
	if limit <= 0 {
		limit = 50
	}
	where := "search MATCH ?"
	args := []any{fq}
	if f.Kind != "" {
		where += " AND a.kind = ?"
		args = append(args, f.Kind)
	}
	if f.TeamID != 0 {
		where += " AND a.team_id = ?"
		args = append(args, f.TeamID)
	}
	join := ""
	if f.JobID != 0 {
		join = " JOIN pipeline p ON p.applicant_id = a.id AND p.job_id = ?"
		args = append([]any{f.JobID}, args...)
	}
	// One evaluation of the full-text query: every hit's ID and rank,
	// sorted here; then the page of applicants.
	q := "SELECT a.id, search.rank FROM search JOIN applicants a ON a.id = search.rowid" + join + " WHERE " + where
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	type hit struct {
		id   int64
		rank float64
	}
	var hits []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.id, &h.rank); err != nil {
			rows.Close()
			return nil, err
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	res.Total = len(hits)
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].rank != hits[j].rank {
			return hits[i].rank < hits[j].rank
		}
		return hits[i].id < hits[j].id
	})
	if f.Offset >= len(hits) {
		return res, nil
	}
	hits = hits[f.Offset:min(len(hits), f.Offset+limit)]
	for _, h := range hits {
		a, err := scanApplicant(s.r.QueryRowContext(ctx, "SELECT "+applicantColumns+" FROM applicants a WHERE a.id = ?", h.id))
		if err != nil {
			return nil, fmt.Errorf("search %q: applicant %d: %w", query, h.id, err)
		}
		res.Applicants = append(res.Applicants, a)
	}
	return res, nil
}
