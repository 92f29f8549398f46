package matcher

import (
	"testing"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// TestDefaultTaxonomyFalseFriends pins, with the embedded default taxonomy,
// words that share a stem or a sentence with a label without naming its
// competency: a French label met in English text, an acronym inside
// another, the words of a two-word label in two clauses.
func TestDefaultTaxonomyFalseFriends(t *testing.T) {
	e := defaultExtractor(t)
	for _, tc := range []struct {
		name, text string
		want, not  []string
	}{
		{"French label in English text", "Requirements\n- Experience with message queues such as Kafka or RabbitMQ.",
			nil, []string{"lt-parcel-delivery"}},
		{"acronym inside another", "Exigences\n- Carte ASP Construction obligatoire.",
			[]string{"cert-asp-construction"}, []string{"fin-gaap"}},
		{"label words in two clauses", "We value people who ask questions early, who share what they learn and who leave the code better than they found it.",
			nil, []string{"edu-early-childhood"}},
		{"label written alike in both languages", "Exigences\n- Soudage MIG et TIG.",
			[]string{"tc-mig-welding"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) { checkFound(t, e.Extract(tc.text), tc.text, tc.want, tc.not) })
	}
}

// TestSuggestionsExplainedAway pins that a suggestion whose words all
// produced a detection or a better suggestion of the same sentence is not
// listed: it names no further requirement.
func TestSuggestionsExplainedAway(t *testing.T) {
	e := defaultExtractor(t)
	for _, tc := range []struct {
		name, text string
		want, not  []string
	}{
		{"licence detected", "Exigences\n- Permis de conduire valide.",
			[]string{"cert-drivers-licence"}, []string{"cert-commercial-licence"}},
		{"better suggestion first", "Requirements\n- Operate a forklift and pallet jack to move pallets.",
			[]string{"lt-forklift-operation", "lt-pallet-jack"}, []string{"lt-palletizing"}},
		{"strong suggestion of a label", "Requirements\n- Basic computer skills to use the warehouse management system.",
			[]string{"tr-digital-literacy", "lt-wms"}, []string{"edu-digital-literacy-teaching"}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkFound(t, e.Extract(tc.text), tc.text, tc.want, tc.not) })
	}
}

// defaultExtractor is the Extractor of the embedded default taxonomy.
func defaultExtractor(t *testing.T) *Extractor {
	t.Helper()
	tax, err := taxonomy.Default()
	if err != nil {
		t.Fatalf("the embedded default taxonomy does not load: %v", err)
	}
	return For(tax)
}

// checkFound reports the competencies of want missing from x and those of
// not present in it.
func checkFound(t *testing.T, x Extraction, text string, want, not []string) {
	t.Helper()
	for _, id := range want {
		if _, ok := found(x.Requirements, id); !ok {
			t.Errorf("%s missing from %q: %+v", id, text, x.Requirements)
		}
	}
	for _, id := range not {
		if r, ok := found(x.Requirements, id); ok {
			t.Errorf("%s (%s, %.2f) found in %q", id, r.Confidence, r.Score, text)
		}
	}
}
