package matcher

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// found returns the requirement for id, if any.
func found(reqs []Requirement, id string) (Requirement, bool) {
	for _, r := range reqs {
		if r.CompetencyID == id {
			return r, true
		}
	}
	return Requirement{}, false
}

func spanTexts(text string, spans [][2]int) []string {
	out := make([]string, 0, len(spans))
	for _, s := range spans {
		out = append(out, text[s[0]:s[1]])
	}
	return out
}

func TestDetectPhrases(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	for _, tc := range []struct {
		name, text string
		want       map[string]string // id → text of its first span
		absent     []string
	}{
		{"longest match wins", "Valid forklift licence required.", map[string]string{"forklift-licence": "forklift licence"}, []string{"forklift"}},
		{"word order respected", "A licence for the forklift.", nil, []string{"forklift-licence"}},
		{"stemmed inflections", "Financial statements preparation and bank reconciliations.",
			map[string]string{"financial-statements": "Financial statements preparation", "bank-rec": "bank reconciliations"}, nil},
		{"conjunction is part of the label", "Food safety and hygiene rules", map[string]string{"food-safety": "Food safety and hygiene"}, nil},
		{"a conjunction the label lacks breaks it", "Knife and skills of the chef", nil, []string{"knife-skills"}},
		{"accents and case folded", "CONNAISSANCE DE LA FISCALITE DES ENTREPRISES", map[string]string{"taxation": "FISCALITE DES ENTREPRISES"}, nil},
		{"French label in a French sentence of an English text", "Experience with Java.\n\nNous offrons des soins palliatifs à domicile pour les patients et leurs familles.",
			map[string]string{"palliative": "soins palliatifs", "java": "Java"}, nil},
		{"symbols", "C++, CI/CD and Node.js", map[string]string{"cpp": "C++", "cicd": "CI/CD", "nodejs": "Node.js"}, nil},
		{"hyphenated label written joined", "A/B testing of prices", map[string]string{"ab-testing": "A/B testing"}, nil},
		{"derivation is not inflection", "You will report to the management team.", nil, []string{"hr-management"}},
		{"markup ignored", "<li>Python</li><li>PostgreSQL</li>", map[string]string{"python": "Python", "postgresql": "PostgreSQL"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := e.Detect(tc.text)
			for id, span := range tc.want {
				r, ok := found(got, id)
				if !ok {
					t.Errorf("%q: %s not detected; got %+v", tc.text, id, got)
					continue
				}
				if s := spanTexts(tc.text, r.Spans); len(s) == 0 || s[0] != span {
					t.Errorf("%q: %s spans %q, want %q first", tc.text, id, s, span)
				}
				if r.Confidence != Detected || r.Score < minDetected {
					t.Errorf("%q: %s confidence %s score %v", tc.text, id, r.Confidence, r.Score)
				}
			}
			for _, id := range tc.absent {
				if _, ok := found(got, id); ok {
					t.Errorf("%q: %s detected, want not", tc.text, id)
				}
			}
		})
	}
}

// TestAmbiguousLabels checks that one- and two-letter labels and names that
// are also common words need evidence: the case they are written in, a
// neighbouring technology, or a list.
func TestAmbiguousLabels(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	for _, tc := range []struct {
		text string
		id   string
		want bool
	}{
		{"Experience with Go, Python and Docker.", "go", true},
		{"Go, Python and C++ in production.", "go", true},
		{"You will go to clients every week.", "go", false},
		{"Go to the front desk first.", "go", false},
		{"Statistics in Python or R.", "r-lang", true},
		{"Grade R of the scale.", "r-lang", false},
		{"Advanced Excel skills.", "excel", true},
		{"You excel at building trust with employees.", "excel", false},
		{"Maîtrise d'Excel (tableaux croisés dynamiques).", "tableau", false},
		{"Dashboards in Tableau or Power BI.", "tableau", true},
		{"Experience with C++ or Rust.", "rust", true},
		{"Remove rust from the parts before welding.", "rust", false},
	} {
		_, got := found(e.Detect(tc.text), tc.id)
		if got != tc.want {
			t.Errorf("%q: %s detected = %v, want %v", tc.text, tc.id, got, tc.want)
		}
		// A rejected ambiguous label is not brought back as a suggestion.
		if !tc.want {
			if r, ok := found(e.Extract(tc.text).Requirements, tc.id); ok {
				t.Errorf("%q: %s extracted as %s %.2f, want absent", tc.text, tc.id, r.Confidence, r.Score)
			}
		}
	}
}

func TestExtractSuggestsBeyondLabels(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	for _, tc := range []struct {
		text, id string
	}{
		{"Talk to customers on the phone and answer their calls in our contact centre.", "phone-support"},
		{"Unload the trucks and check deliveries against packing slips.", "receiving"},
		{"Explain charges and solve billing problems for our clients.", "billing"},
	} {
		x := e.Extract(tc.text)
		r, ok := found(x.Requirements, tc.id)
		if !ok {
			t.Errorf("%q: %s not suggested; got %+v", tc.text, tc.id, x.Requirements)
			continue
		}
		if r.Score <= 0 || r.Score > 1 || len(r.Spans) == 0 {
			t.Errorf("%q: %s score %v spans %v", tc.text, tc.id, r.Score, r.Spans)
		}
		if r.Confidence == Suggested && r.Score >= minDetected {
			t.Errorf("%q: suggested %s scores %v, not below detected ones", tc.text, tc.id, r.Score)
		}
	}
}

func TestExtractDropsAncestorInSamePlace(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	text := "Expérience en soudage et en soudage MIG."
	x := e.Extract(text)
	if _, ok := found(x.Requirements, "mig"); !ok {
		t.Fatalf("MIG welding not found: %+v", x.Requirements)
	}
	if _, ok := found(x.Requirements, "welding"); ok {
		t.Errorf("welding kept next to its narrower MIG welding in the same sentence: %+v", x.Requirements)
	}
	// In another sentence the broader competency stays.
	text = "Soudage exigé.\nUn atout : soudage MIG."
	x = e.Extract(text)
	w, ok1 := found(x.Requirements, "welding")
	m, ok2 := found(x.Requirements, "mig")
	if !ok1 || !ok2 || !w.Must || m.Must {
		t.Errorf("%q: welding %v (must %v), MIG %v (must %v); want both, welding must, MIG asset", text, ok1, w.Must, ok2, m.Must)
	}
}

func TestExtractMergesOccurrences(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	text := "Docker in production.\n\nNice to have\n- More Docker."
	x := e.Extract(text)
	r, ok := found(x.Requirements, "docker")
	if !ok {
		t.Fatal("docker not found")
	}
	if !r.Must || len(r.Spans) != 2 || r.Weight != 1 {
		t.Errorf("docker: must %v spans %v weight %v; want must (any occurrence), 2 spans, weight 1", r.Must, r.Spans, r.Weight)
	}
	n := 0
	for _, q := range x.Requirements {
		if q.CompetencyID == "docker" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("docker appears %d times", n)
	}
}

func TestCandidatesRanking(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	text := "Pick and pack orders with an RF scanner; keep the warehouse tidy."
	c := e.Candidates(text, 5)
	if len(c) == 0 || len(c) > 5 {
		t.Fatalf("got %d candidates", len(c))
	}
	if !slices.IsSortedFunc(c, func(a, b Candidate) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	}) {
		t.Errorf("candidates not sorted best first: %+v", c)
	}
	seenSuggested := false
	for _, cd := range c {
		if cd.Confidence == Suggested {
			seenSuggested = true
		} else if seenSuggested {
			t.Errorf("detected %s ranked below a suggestion", cd.ID)
		}
	}
	ids := []string{c[0].ID, c[1].ID}
	slices.Sort(ids)
	if !reflect.DeepEqual(ids, []string{"order-picking", "rf-scanning"}) {
		t.Errorf("top two = %v, want order-picking and rf-scanning", ids)
	}
	if got := e.Candidates("", 3); len(got) != 0 {
		t.Errorf("empty text: %+v", got)
	}
}

func TestExtractDeterministic(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	text := string(readPosting(t, "en-backend-developer.txt"))
	a, b := e.Extract(text), NewExtractor(fixtureTaxonomy(t), NewAnalyzer()).Extract(text)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two extractions differ:\n%+v\n%+v", a, b)
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Requirements:\n- 5+ years of Go, Python and C++.\n\nNice to have\n- Docker",
		"Exigences : 3 ans d'expérience en soudage MIG (exigé). Un atout : anglais.",
		"Go", "R", "<b>Excel</b>", "3-5 years", "\xff\xfe", "…", "ISO 9001 & R&D", "at least five years of SQL",
	} {
		f.Add(s)
	}
	e := NewExtractor(fixtureTaxonomy(f), NewAnalyzer())
	f.Fuzz(func(t *testing.T, text string) {
		x := e.Extract(text)
		for _, r := range x.Requirements {
			if r.Score < 0 || r.Score > 1 || r.Weight < 0 || r.Weight > 1 {
				t.Fatalf("%s: score %v weight %v", r.CompetencyID, r.Score, r.Weight)
			}
			if len(r.Spans) == 0 {
				t.Fatalf("%s: no span", r.CompetencyID)
			}
			prev := -1
			for _, s := range r.Spans {
				if s[0] < 0 || s[1] > len(text) || s[0] >= s[1] || s[0] < prev {
					t.Fatalf("%s: span %v out of the text (%d bytes) or out of order", r.CompetencyID, s, len(text))
				}
				prev = s[1]
			}
		}
		for _, c := range e.Candidates(text, 5) {
			for _, s := range c.Spans {
				if s[0] < 0 || s[1] > len(text) || s[0] > s[1] {
					t.Fatalf("candidate %s: span %v out of the text", c.ID, s)
				}
			}
		}
	})
}

// TestExtractConcurrent runs extractions of different postings from several
// goroutines on one shared Extractor (run with -race to check it is safe)
// and compares them with sequential results.
func TestExtractConcurrent(t *testing.T) {
	tax := fixtureTaxonomy(t)
	e := NewExtractor(tax, NewAnalyzer())
	names := []string{"en-data-analyst.txt", "fr-comptable.txt", "en-line-cook.txt", "fr-soudeur.txt"}
	want := make([]Extraction, len(names))
	texts := make([]string, len(names))
	for i, n := range names {
		texts[i] = string(readPosting(t, n))
		want[i] = NewExtractor(tax, NewAnalyzer()).Extract(texts[i])
	}
	done := make(chan string, len(names)*3)
	for g := 0; g < len(names)*3; g++ {
		go func(g int) {
			i := g % len(names)
			got := e.Extract(texts[i])
			if !reflect.DeepEqual(got, want[i]) {
				done <- names[i] + ": concurrent extraction differs"
				return
			}
			e.MatchOccupations("line cook", 1)
			done <- ""
		}(g)
	}
	for g := 0; g < len(names)*3; g++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}
