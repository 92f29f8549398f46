package data

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestSearchPlan checks that multi-word queries are evaluated rarest word
// first, with short prefixes rewritten as their index terms, and that the
// plan finds exactly the people the query as typed finds.
func TestSearchPlan(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	tests := []struct {
		query string
		// first is the start of the planned query: the rarest term.
		first string
		none  bool
	}{
		{query: "issuer:provider status:revoked forklift", none: true},
		{query: "mail.example forklift", first: `("forklift")`},
		{query: "status:valid issuer:northgate", first: `issuer : ("northgate")`},
		{query: "status:revoked issuer:northgate", first: `status : ("revoked")`},
		{query: "status:v issuer:safework forklift", first: `("forklift")`},
		{query: "Safe status:valid", first: `status : ("valid")`},
		{query: `"first aid" status:valid`, first: `status : ("valid")`},
		{query: "cuissón status:valid", first: `status : ("valid")`},
		{query: "zzzzunknown northgate", none: true},
		{query: "name:northgate issuer:northgate", none: true},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			terms := ftsTerms(tc.query)
			q, none, err := s.planQuery(ctx, slices.Clone(terms))
			if err != nil {
				t.Fatal(err)
			}
			if none != tc.none {
				t.Fatalf("none = %v, want %v (plan %q)", none, tc.none, q)
			}
			if !none && !strings.HasPrefix(q, tc.first) {
				t.Errorf("plan %q, want it to start with %q", q, tc.first)
			}
			// The plan and the query as typed find the same people.
			planned, err := s.Search(ctx, tc.query, ApplicantFilter{}, 1000)
			if err != nil {
				t.Fatal(err)
			}
			var typed []int64
			rank := map[int64]float64{}
			rows, err := s.r.Query("SELECT rowid, rank FROM search WHERE search MATCH ? ORDER BY rowid", ftsQuery(tc.query))
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				var r float64
				if err := rows.Scan(&id, &r); err != nil {
					t.Fatal(err)
				}
				typed = append(typed, id)
				rank[id] = r
			}
			rows.Close()
			// Best match first, by bm25 of the query as typed (up to the
			// weight FTS5 gives words most rows hold).
			var got []int64
			for i, a := range planned.Applicants {
				got = append(got, a.ID)
				if i > 0 && rank[a.ID] < rank[planned.Applicants[i-1].ID]-1e-5 {
					t.Errorf("#%d %s (rank %v) after #%d (rank %v)", i+1, a.Name, rank[a.ID], i, rank[planned.Applicants[i-1].ID])
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, typed) {
				t.Errorf("planned search finds %v, the query as typed %v", got, typed)
			}
			if tc.none && len(typed) != 0 {
				t.Errorf("planned as matching nothing, but %d match", len(typed))
			}
		})
	}
}
