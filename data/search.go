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

// ftsTerm is one word (or quoted phrase) of a query, in the field named
// before a colon ("" for any field).
type ftsTerm struct {
	field, text string
	// est is the number of rows the term matches (from the vocabulary),
	// or -1 when unknown; exact lists the index terms a prefix expands to
	// when there are few of them.
	est   int
	exact []string
}

// ftsTerms parses what a user typed: every word must occur (as a prefix),
// in any indexed field or in the field named before a colon
// ("issuer:northgate", "status:revoked", "competency:forklift"). Quotes
// group words into a phrase. Nothing the user types is FTS5 syntax.
func ftsTerms(q string) []ftsTerm {
	var terms []ftsTerm
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
		terms = append(terms, ftsTerm{field: field, text: tok, est: -1})
	}
	return terms
}

// expr is the term as an FTS5 expression: the few index terms its prefix
// expands to, or the prefix itself.
func (t ftsTerm) expr() string {
	var e string
	if len(t.exact) > 0 {
		q := make([]string, len(t.exact))
		for i, x := range t.exact {
			q[i] = `"` + x + `"`
		}
		e = "(" + strings.Join(q, " OR ") + ")"
	} else {
		e = `"` + strings.ReplaceAll(t.text, `"`, `""`) + `"*`
	}
	if t.field != "" {
		e = t.field + " : " + e
	}
	return e
}

// ftsQuery turns what a user typed into an FTS5 query, terms in the order
// given (see ftsTerms).
func ftsQuery(q string) string {
	var parts []string
	for _, t := range ftsTerms(q) {
		parts = append(parts, t.expr())
	}
	return strings.Join(parts, " AND ")
}

// maxExpansion is how many index terms a prefix may stand for and still be
// rewritten as their OR: FTS5 can skip through the doclist of an exact
// term, while a prefix's doclists are merged in full first, which is what
// makes a word that occurs in every row ("provider") slow.
const maxExpansion = 16

// plainWord reports whether the tokenizer (unicode61, diacritics removed)
// keeps w as one token that is simply w in lower case: ASCII letters and
// digits only. Only such words are looked up in the vocabulary, so that
// the lookup can never disagree with the tokenizer.
func plainWord(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return w != ""
}

// planQuery builds the FTS5 query for several terms, the most selective
// first: each plain word's document frequency (in its column, or in any)
// comes from the vocabulary tables, and a prefix that stands for few index
// terms is rewritten as their OR. FTS5 evaluates an AND from left to right,
// so the rare word sets the candidates the common ones are checked against.
// none is true when a plain word occurs nowhere, so nothing can match.
func (s *Store) planQuery(ctx context.Context, terms []ftsTerm) (q string, none bool, err error) {
	for i := range terms {
		t := &terms[i]
		if !plainWord(t.text) {
			continue
		}
		lo := strings.ToLower(t.text)
		var rows *sql.Rows
		if t.field != "" {
			rows, err = s.r.QueryContext(ctx, "SELECT term, doc FROM search_vocab_col WHERE term >= ? AND term < ? AND col = ?", lo, lo+"\U0010FFFF", t.field)
		} else {
			rows, err = s.r.QueryContext(ctx, "SELECT term, doc FROM search_vocab_row WHERE term >= ? AND term < ?", lo, lo+"\U0010FFFF")
		}
		if err != nil {
			return "", false, err
		}
		t.est = 0
		var exact []string
		for rows.Next() {
			var term string
			var doc int
			if err := rows.Scan(&term, &doc); err != nil {
				rows.Close()
				return "", false, err
			}
			t.est += doc
			exact = append(exact, term)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", false, err
		}
		if t.est == 0 {
			return "", true, nil
		}
		if len(exact) <= maxExpansion && plainTerms(exact) {
			t.exact = exact
		}
	}
	// Known frequencies first, rarest first; words that could not be
	// looked up keep their order after them.
	sort.SliceStable(terms, func(i, j int) bool {
		a, b := terms[i].est, terms[j].est
		if a < 0 || b < 0 {
			return a >= 0 && b < 0
		}
		return a < b
	})
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.expr()
	}
	return strings.Join(parts, " AND "), false, nil
}

// rankQuery returns the query to rank the hits of a planned query with:
// its words that at most half the rows hold (or whose frequency is not
// known), when there are some and there is at least one common word to
// leave out; else "" (rank with the query itself). Terms are those
// planQuery has looked up.
func (s *Store) rankQuery(ctx context.Context, terms []ftsTerm) (string, error) {
	var rows int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM applicants").Scan(&rows); err != nil {
		return "", err
	}
	var keep []string
	for _, t := range terms {
		if t.est < 0 || t.est*2 <= rows {
			keep = append(keep, t.expr())
		}
	}
	if len(keep) == 0 || len(keep) == len(terms) {
		return "", nil
	}
	return strings.Join(keep, " AND "), nil
}

// plainTerms reports whether every index term is letters and digits, so
// that it can be quoted in a query as it is.
func plainTerms(ts []string) bool {
	for _, t := range ts {
		if strings.ContainsAny(t, `"`) {
			return false
		}
	}
	return true
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
	res := &SearchResult{Applicants: []*Applicant{}}
	terms := ftsTerms(query)
	if len(terms) == 0 {
		return res, nil
	}
	if limit <= 0 {
		limit = 50
	}
	fq, rankQ := ftsQuery(query), ""
	if len(terms) > 1 {
		q, none, err := s.planQuery(ctx, terms)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", query, err)
		}
		if none {
			return res, nil
		}
		fq = q
		// A word most rows hold adds nothing to bm25 (FTS5 floors its
		// weight at 1e-6), yet ranking with it reads its whole doclist:
		// rank with the other words only.
		rankQ, err = s.rankQuery(ctx, terms)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", query, err)
		}
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
	type hit struct {
		id   int64
		rank float64
	}
	var hits []hit
	// One evaluation of the full-text query: every hit's ID and rank (or,
	// with a separate ranking query, only the IDs), sorted here; then the
	// page of applicants.
	rankCol := "search.rank"
	if rankQ != "" {
		rankCol = "0"
	}
	q := "SELECT a.id, " + rankCol + " FROM search JOIN applicants a ON a.id = search.rowid" + join + " WHERE " + where
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
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
	if rankQ != "" && len(hits) > 0 {
		pos := make(map[int64]int, len(hits))
		for i, h := range hits {
			pos[h.id] = i
		}
		rows, err := s.r.QueryContext(ctx, "SELECT rowid, rank FROM search WHERE search MATCH ?", rankQ)
		if err != nil {
			return nil, fmt.Errorf("search %q: ranking: %w", query, err)
		}
		for rows.Next() {
			var id int64
			var rank float64
			if err := rows.Scan(&id, &rank); err != nil {
				rows.Close()
				return nil, err
			}
			if i, ok := pos[id]; ok {
				hits[i].rank = rank
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("search %q: ranking: %w", query, err)
		}
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
