package app

import (
	"archive/zip"
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
)

// fixtureExtraction is what an extractor could return for fixtureText.
const fixtureText = "Kubernetes and Docker\nmaybe wound care"

func fixtureExtraction() matcher.Extraction {
	return matcher.Extraction{Language: "en", Requirements: []matcher.Requirement{
		{CompetencyID: "kubernetes", Label: "Kubernetes", Must: true, Weight: 1, Confidence: matcher.Detected, Score: 1, Spans: [][2]int{{0, 10}}},
		{CompetencyID: "docker", Label: "Docker", Must: false, Weight: 0.5, Confidence: matcher.Detected, Score: 1, Spans: [][2]int{{15, 21}}},
		{CompetencyID: "wound-care", Label: "Wound care", Must: true, Weight: 0.7, Confidence: matcher.Suggested, Score: 0.7, Spans: [][2]int{{28, 38}}},
	}}
}

func ids(reqs []matcher.Requirement) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.CompetencyID
	}
	return out
}

func TestJobStateDecisions(t *testing.T) {
	type step func(s *jobState)
	tests := []struct {
		name      string
		steps     []step
		wantRows  []string    // competency IDs in list order
		wantStat  []reqStatus // statuses in list order
		wantReqs  []string    // Requirements()
		checkReqs func(t *testing.T, reqs []matcher.Requirement)
	}{
		{
			name:     "as extracted: must, asset, pending suggestion",
			wantRows: []string{"kubernetes", "docker", "wound-care"},
			wantStat: []reqStatus{statusDetected, statusDetected, statusPending},
			wantReqs: []string{"kubernetes", "docker"},
		},
		{
			name:     "accepting a suggestion makes it count",
			steps:    []step{func(s *jobState) { s.accept("wound-care") }},
			wantRows: []string{"kubernetes", "wound-care", "docker"},
			wantStat: []reqStatus{statusDetected, statusAccepted, statusDetected},
			wantReqs: []string{"kubernetes", "wound-care", "docker"},
		},
		{
			name:     "rejecting moves to the end and stops counting; restore undoes",
			steps:    []step{func(s *jobState) { s.reject("kubernetes") }},
			wantRows: []string{"docker", "wound-care", "kubernetes"},
			wantStat: []reqStatus{statusDetected, statusPending, statusRejected},
			wantReqs: []string{"docker"},
		},
		{
			name:     "restore",
			steps:    []step{func(s *jobState) { s.reject("kubernetes") }, func(s *jobState) { s.restore("kubernetes") }},
			wantRows: []string{"kubernetes", "docker", "wound-care"},
			wantStat: []reqStatus{statusDetected, statusDetected, statusPending},
			wantReqs: []string{"kubernetes", "docker"},
		},
		{
			name: "edits: asset made must, level, years, weight",
			steps: []step{func(s *jobState) {
				s.setMust("docker", true)
				s.setLevel("docker", matcher.LevelAdvanced)
				s.setYears("docker", 2.5)
				s.setWeight("kubernetes", 0.4)
			}},
			wantRows: []string{"kubernetes", "docker", "wound-care"},
			wantStat: []reqStatus{statusDetected, statusDetected, statusPending},
			wantReqs: []string{"kubernetes", "docker"},
			checkReqs: func(t *testing.T, reqs []matcher.Requirement) {
				d := reqs[1]
				if !d.Must || d.MinLevel != matcher.LevelAdvanced || d.MinYears != 2.5 {
					t.Errorf("docker = %+v", d)
				}
				if reqs[0].Weight != 0.4 {
					t.Errorf("kubernetes weight = %v", reqs[0].Weight)
				}
			},
		},
		{
			name: "added competency counts; removing an added one deletes it",
			steps: []step{func(s *jobState) {
				s.add(matcher.Requirement{CompetencyID: "python", Label: "Python", Must: true, Weight: 1, Confidence: confidenceAdded}, statusAdded)
				s.add(matcher.Requirement{CompetencyID: "whmis", Label: "WHMIS", Must: true, Weight: 1, Confidence: confidenceAdded}, statusAdded)
				s.remove("whmis")
			}},
			wantRows: []string{"kubernetes", "python", "docker", "wound-care"},
			wantStat: []reqStatus{statusDetected, statusAdded, statusDetected, statusPending},
			wantReqs: []string{"kubernetes", "python", "docker"},
		},
		{
			name:     "removing an extracted one rejects it",
			steps:    []step{func(s *jobState) { s.remove("docker") }},
			wantRows: []string{"kubernetes", "wound-care", "docker"},
			wantStat: []reqStatus{statusDetected, statusPending, statusRejected},
			wantReqs: []string{"kubernetes"},
		},
		{
			name: "adding an extracted competency again does not duplicate it and undoes its rejection",
			steps: []step{func(s *jobState) {
				s.reject("docker")
				s.add(matcher.Requirement{CompetencyID: "docker", Label: "Docker", Must: true, Weight: 1, Confidence: confidenceAdded}, statusAdded)
			}},
			wantRows: []string{"kubernetes", "docker", "wound-care"},
			wantStat: []reqStatus{statusDetected, statusDetected, statusPending},
			wantReqs: []string{"kubernetes", "docker"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newJobState()
			s.setExtraction(fixtureText, fixtureExtraction())
			for _, st := range tt.steps {
				st(s)
			}
			rows := s.rows()
			var gotIDs []string
			var gotStat []reqStatus
			for _, r := range rows {
				gotIDs = append(gotIDs, r.req.CompetencyID)
				gotStat = append(gotStat, r.status)
			}
			if !slices.Equal(gotIDs, tt.wantRows) || !slices.Equal(gotStat, tt.wantStat) {
				t.Errorf("rows = %v %v, want %v %v", gotIDs, gotStat, tt.wantRows, tt.wantStat)
			}
			reqs := s.Requirements()
			if got := ids(reqs); !slices.Equal(got, tt.wantReqs) {
				t.Errorf("Requirements() = %v, want %v", got, tt.wantReqs)
			}
			if tt.checkReqs != nil {
				tt.checkReqs(t, reqs)
			}
		})
	}
}

func TestJobStateDecisionsSurviveReextraction(t *testing.T) {
	s := newJobState()
	s.setExtraction(fixtureText, fixtureExtraction())
	s.accept("wound-care")
	s.setMust("docker", true)
	// The recruiter edits the text; the extractor returns the same competencies at new places.
	ex := fixtureExtraction()
	for i := range ex.Requirements {
		ex.Requirements[i].Spans = [][2]int{{ex.Requirements[i].Spans[0][0] + 4, ex.Requirements[i].Spans[0][1] + 4}}
	}
	s.setExtraction("New "+fixtureText, ex)
	if got := ids(s.Requirements()); !slices.Equal(got, []string{"kubernetes", "docker", "wound-care"}) {
		t.Errorf("after re-extraction Requirements() = %v", got)
	}
}

func TestJobStateHighlights(t *testing.T) {
	s := newJobState()
	s.setExtraction(fixtureText, fixtureExtraction())
	s.reject("docker")
	type span struct {
		text  string
		class hlClass
	}
	var got []span
	for _, h := range s.highlights() {
		got = append(got, span{fixtureText[h.start:h.end], h.class})
	}
	want := []span{
		{"Kubernetes", hlMust},
		{" and Docker\nmaybe ", hlNone}, // docker is rejected: not highlighted
		{"wound care", hlSuggested},
	}
	if !slices.Equal(got, want) {
		t.Errorf("highlights = %+v, want %+v", got, want)
	}
	// Overlapping spans take the strongest class.
	s = newJobState()
	s.setExtraction("abcdef", matcher.Extraction{Requirements: []matcher.Requirement{
		{CompetencyID: "x", Must: false, Confidence: matcher.Detected, Spans: [][2]int{{0, 4}}},
		{CompetencyID: "y", Must: true, Confidence: matcher.Detected, Spans: [][2]int{{2, 6}}},
	}})
	got = nil
	for _, h := range s.highlights() {
		got = append(got, span{"abcdef"[h.start:h.end], h.class})
	}
	if want := []span{{"ab", hlAsset}, {"cdef", hlMust}}; !slices.Equal(got, want) {
		t.Errorf("overlap highlights = %+v, want %+v", got, want)
	}
}

func TestReadPosting(t *testing.T) {
	// testdata/posting.txt, .html and .rtf are the same posting; each must
	// keep its headings and one requirement per line.
	const want = "Requirements\n\n- Kubernetes and Docker (3+ years)\n- Python programming\n\nAssets\n\n- wound dressing changes\n"
	tests := []struct {
		file    string
		want    string
		wantErr error
		message string
	}{
		{"testdata/posting.txt", "Requirements\n- Kubernetes and Docker (3+ years)\n- Python programming\n\nAssets\n- wound dressing changes\n", nil, ""},
		{"testdata/posting-crlf.txt", "Line one\nLine two\n", nil, ""},
		{"testdata/posting.html", want, nil, ""},
		{"testdata/posting.rtf", want, nil, ""},
		{"testdata/binary.bin", "", data.ErrPostingBinary, "save the posting as .docx"},
	}
	for _, tt := range tests {
		f, err := readTestFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readPosting(f, tt.file)
		f.Close()
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) || !strings.HasPrefix(err.Error(), tt.file+": ") || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("%s: err = %v, want %v starting with the file name and saying %q", tt.file, err, tt.wantErr, tt.message)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.file, got, tt.want)
		}
	}
}

// TestReadPostingDocx loads a Word document as the file dialog gives it.
func TestReadPostingDocx(t *testing.T) {
	got, err := readPosting(bytes.NewReader(testDocx(t)), "posting.docx")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Requirements\n\n- Kubernetes and Docker (3+ years)\n- Python programming\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReadPostingTooLarge(t *testing.T) {
	big := strings.Repeat("Requirements\n", maxPostingBytes/13+1)
	_, err := readPosting(strings.NewReader(big), "big.txt")
	if !errors.Is(err, data.ErrPostingTooLarge) || !strings.HasPrefix(err.Error(), "big.txt: ") || !strings.Contains(err.Error(), "paste the posting's text") {
		t.Errorf("err = %v, want one that says the file is too large", err)
	}
}

// testDocx is a small Word document: a heading style, list paragraphs and
// a run split in the middle of a word, as Word writes them.
func testDocx(t *testing.T) []byte {
	t.Helper()
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + w + `><w:body>` +
		`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Require</w:t></w:r><w:r><w:t>ments</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">Kubernetes and Docker (3+ </w:t></w:r><w:r><w:t>years)</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Python programming</w:t></w:r></w:p>` +
		`</w:body></w:document>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range map[string]string{"word/document.xml": doc, "[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`} {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJobStateReconcilesSavedRequirements(t *testing.T) {
	saved := []matcher.Requirement{
		// kept detected, turned into an asset with a level
		{CompetencyID: "kubernetes", Label: "Kubernetes", Must: false, Weight: 0.5, MinLevel: matcher.LevelAdvanced, Confidence: matcher.Detected},
		// a suggestion the recruiter accepted
		{CompetencyID: "wound-care", Label: "Wound care", Must: true, Weight: 0.7, Confidence: matcher.Suggested},
		// added by hand, and from a template
		{CompetencyID: "python", Label: "Python", Must: true, Weight: 1, Confidence: confidenceAdded},
		{CompetencyID: "whmis", Label: "WHMIS", Must: false, Weight: 0.5, Confidence: matcher.Template},
	}
	s := newJobState()
	s.loadSaved(fixtureText, "en", saved)
	if n := len(s.rows()); n != 0 {
		t.Fatalf("before the text is extracted: %d rows, want none", n)
	}
	s.setExtraction(fixtureText, fixtureExtraction())
	got := map[string]reqRow{}
	for _, r := range s.rows() {
		got[r.req.CompetencyID] = r
	}
	tests := []struct {
		id     string
		status reqStatus
		must   bool
	}{
		{"kubernetes", statusDetected, false},
		{"wound-care", statusAccepted, true},
		{"python", statusAdded, true},
		{"whmis", statusTemplate, false},
		{"docker", statusRejected, false}, // extracted but not kept
	}
	for _, tt := range tests {
		r, ok := got[tt.id]
		if !ok || r.status != tt.status || r.req.Must != tt.must {
			t.Errorf("%s = %+v (found %v), want status %v must %v", tt.id, r, ok, tt.status, tt.must)
		}
	}
	if got["kubernetes"].req.MinLevel != matcher.LevelAdvanced {
		t.Errorf("kubernetes level = %q", got["kubernetes"].req.MinLevel)
	}
	// The saved list comes back unchanged.
	if ids := ids(s.Requirements()); !slices.Equal(ids, []string{"wound-care", "python", "kubernetes", "whmis"}) {
		t.Errorf("Requirements() = %v", ids)
	}
}
