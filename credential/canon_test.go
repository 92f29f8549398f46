package credential

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// graphDoc builds a JSON-LD document of n blank nodes linked by edges.
func graphDoc(n int, edges func(i int) []int) map[string]any {
	var nodes []any
	for i := 0; i < n; i++ {
		var links []any
		for _, j := range edges(i) {
			links = append(links, map[string]any{"@id": fmt.Sprintf("_:b%d", j)})
		}
		nodes = append(nodes, map[string]any{"@id": fmt.Sprintf("_:b%d", i), "http://ex.org/p": links})
	}
	return map[string]any{"@context": []any{contextVC2}, "type": "VerifiableCredential", "http://ex.org/x": nodes}
}

// TestPoisonGraphs: RDFC-1.0 is exponential on graphs of blank nodes that
// only their neighbours tell apart; such documents are refused before
// canonicalisation, while realistic repetition (identical sibling objects,
// pairs, short cycles) is canonicalised.
func TestPoisonGraphs(t *testing.T) {
	clique := func(n int) func(int) []int {
		return func(i int) []int {
			var o []int
			for j := 0; j < n; j++ {
				if j != i {
					o = append(o, j)
				}
			}
			return o
		}
	}
	identical := func(n int) map[string]any {
		var kids []any
		for i := 0; i < n; i++ {
			kids = append(kids, map[string]any{"http://ex.org/name": "same"})
		}
		return map[string]any{"@context": []any{contextVC2}, "type": "VerifiableCredential", "http://ex.org/x": kids}
	}
	cases := []struct {
		name    string
		doc     map[string]any
		refused bool
	}{
		{"clique of 6", graphDoc(6, clique(6)), true},
		{"clique of 4", graphDoc(4, clique(4)), false},
		{"3-regular ring of 20", graphDoc(20, func(i int) []int { return []int{(i + 1) % 20, (i + 10) % 20} }), true},
		{"cycle of 64", graphDoc(64, func(i int) []int { return []int{(i + 1) % 64} }), true},
		{"cycle of 16", graphDoc(16, func(i int) []int { return []int{(i + 1) % 16} }), false},
		{"256 identical siblings", identical(256), false},
		{"128 identical pairs", graphDoc(256, func(i int) []int { return []int{i ^ 1} }), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := canonicalize(context.Background(), &contextLoader{}, tc.doc)
			if tc.refused {
				if !errors.Is(err, ErrTooLarge) {
					t.Errorf("expected refusal, got %v", err)
				}
				return
			}
			if err != nil || r.nquads == "" {
				t.Errorf("canonicalisation failed: %v", err)
			}
		})
	}
}

// TestJCSNumbers checks the ECMAScript number formatting of RFC 8785
// (values from the RFC's appendix and edge cases).
func TestJCSNumbers(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0", 1: "1", -1: "-1", 0.5: "0.5", 1e21: "1e+21", 1e20: "100000000000000000000",
		1e-7: "1e-7", 1e-6: "0.000001", 123456789012345680000: "123456789012345680000",
		4.50: "4.5", 2e-3: "0.002", 0.000001234: "0.000001234", 5e-324: "5e-324",
		1.7976931348623157e308: "1.7976931348623157e+308", 333333333.3333333: "333333333.3333333",
	} {
		got, err := jcsNumber(f)
		if err != nil || got != want {
			t.Errorf("jcsNumber(%v) = %q, %v; want %q", f, got, err, want)
		}
	}
	v, _ := decodeJSON([]byte(`{"b":[1,{"d":true,"c":null}],"a":"\u00e9\u0001","\u20ac":1,"\ud83d\ude00":2,"\r":3}`))
	got, err := CanonicalJSON(v)
	want := "{\"\\r\":3,\"a\":\"é\\u0001\",\"b\":[1,{\"c\":null,\"d\":true}],\"€\":1,\"😀\":2}"
	if err != nil || string(got) != want {
		t.Errorf("CanonicalJSON = %s, %v; want %s", got, err, want)
	}
}

// TestUndefinedTermsReported checks that properties no context defines
// are found with their JSON pointer.
func TestUndefinedTermsReported(t *testing.T) {
	doc := map[string]any{
		"@context":          []any{contextVC1},
		"type":              []any{"VerifiableCredential"},
		"issuer":            "did:example:1",
		"issuanceDate":      "2024-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:2", "skill": "Go", "nested": map[string]any{"x": 1}},
		"bogus":             true,
	}
	got, _, err := expandCheck(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/bogus", "/credentialSubject/nested", "/credentialSubject/skill"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("undefined terms %v, want %v", got, want)
	}
}
