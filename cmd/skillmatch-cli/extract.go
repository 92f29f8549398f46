package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

func init() {
	register(&command{
		name:    "extract",
		usage:   "[--format text|json] [--lines [--top K]] [--occupation ID|TITLE] [FILE|-]",
		summary: "find the competencies a job posting (.txt, .md, .html, .rtf, .docx or .odt) asks for (must-haves and assets, with the words that produced them)",
		run:     runExtract,
	})
}

// extractJSON is the --format json form of one posting.
type extractJSON struct {
	Language     string                 `json:"language"`
	Occupation   *extractOccupationJSON `json:"occupation,omitempty"`
	Requirements []requirementJSON      `json:"requirements"`
}

type extractOccupationJSON struct {
	ID    string  `json:"id"`
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// requirementJSON has exactly the fields the extract command documents.
type requirementJSON struct {
	ID         string   `json:"id"`
	Label      string   `json:"label"`
	Score      float64  `json:"score"`
	Confidence string   `json:"confidence"`
	Must       bool     `json:"must"`
	MinYears   float64  `json:"min_years"`
	Level      string   `json:"level"`
	Spans      [][2]int `json:"spans"`
}

// lineJSON is one line of the --lines JSON Lines output.
type lineJSON struct {
	Line         int             `json:"line"`
	Competencies []candidateJSON `json:"competencies"`
}

type candidateJSON struct {
	ID    string  `json:"id"`
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

func runExtract(e *env, args []string) error {
	c := commands["extract"]
	fs := e.flags(c)
	format := fs.String("format", "text", "output format: text or json")
	lines := fs.Bool("lines", false, "treat every input line as its own document and print one result per line (JSON Lines with --format json): the batch mode")
	top := fs.Int("top", 10, "with --lines: how many competencies to print per line, best first (detected and suggested together)")
	occupation := fs.String("occupation", "", "instead of reading a posting, propose the essential (must) and optional (asset) competencies of an occupation profile, given by ID or by a job title to match")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usagef("--format %q: use text or json", *format)
	}
	if *top <= 0 {
		return usagef("--top %d: give a positive number of competencies", *top)
	}
	if len(rest) > 1 {
		return usagef("give one FILE (or - for standard input), not %d", len(rest))
	}
	if *occupation != "" && (*lines || len(rest) > 0) {
		return usagef("--occupation proposes a profile's competencies; it takes no FILE and no --lines")
	}
	tax, err := e.taxonomy()
	if err != nil {
		return err
	}
	ex := matcher.For(tax)
	if *occupation != "" {
		return extractOccupation(e, tax, ex, *occupation, *format)
	}

	name := "-"
	if len(rest) == 1 {
		name = rest[0]
	}
	in := e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("reading the posting: %w", err)
		}
		defer f.Close()
		in = f
	}
	if *lines {
		return extractLines(e, ex, in, name, *top, *format)
	}
	raw, err := io.ReadAll(io.LimitReader(in, data.MaxPostingFile+1))
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return fmt.Errorf("%s is empty: give the text of a job posting", name)
	}
	// The posting may be a document: Word, OpenDocument, HTML, RTF,
	// Markdown, or text in UTF-16 or Windows-1252.
	docName := name
	if name == "-" {
		docName = "standard input"
	}
	text, err := data.ReadPosting(bytes.NewReader(raw), docName)
	if err != nil {
		return err
	}
	x := ex.Extract(text)
	out := extractJSON{Language: x.Language, Requirements: make([]requirementJSON, 0, len(x.Requirements))}
	for _, r := range x.Requirements {
		out.Requirements = append(out.Requirements, toRequirementJSON(r))
	}
	if *format == "json" {
		return writeExtractJSON(e.stdout, out)
	}
	return writeExtractText(e.stdout, out, text)
}

func toRequirementJSON(r matcher.Requirement) requirementJSON {
	j := requirementJSON{
		ID: r.CompetencyID, Label: r.Label, Score: roundScore(r.Score), Confidence: string(r.Confidence),
		Must: r.Must, MinYears: r.MinYears, Level: string(r.MinLevel), Spans: r.Spans,
	}
	if j.Spans == nil {
		j.Spans = [][2]int{}
	}
	return j
}

// writeExtractText prints the requirements grouped must-have / asset, each
// with its confidence, score, years and level, and the words it came from
// with their line numbers.
func writeExtractText(w io.Writer, x extractJSON, text string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "language: %s\n", x.Language)
	if x.Occupation != nil {
		fmt.Fprintf(bw, "occupation: %s (%s)\n", x.Occupation.Label, x.Occupation.ID)
	}
	for _, group := range []struct {
		title string
		must  bool
	}{{"must-have", true}, {"asset", false}} {
		var list []requirementJSON
		for _, r := range x.Requirements {
			if r.Must == group.must {
				list = append(list, r)
			}
		}
		fmt.Fprintf(bw, "\n%s (%d):\n", group.title, len(list))
		for _, r := range list {
			var extra []string
			if r.MinYears > 0 {
				extra = append(extra, fmt.Sprintf("%g+ years", r.MinYears))
			}
			if r.Level != "" {
				extra = append(extra, r.Level)
			}
			more := ""
			if len(extra) > 0 {
				more = " — " + strings.Join(extra, ", ")
			}
			fmt.Fprintf(bw, "  %-9s %.2f  %s  [%s]%s\n", r.Confidence, r.Score, r.Label, r.ID, more)
			for _, s := range r.Spans {
				fmt.Fprintf(bw, "            line %d: %q\n", lineOf(text, s[0]), text[s[0]:s[1]])
			}
		}
	}
	return bw.Flush()
}

// writeExtractJSON writes v as one line of JSON, the form of the batch mode.
func writeExtractJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// roundScore keeps three decimals, enough to rank and stable to print.
func roundScore(f float64) float64 { return math.Round(f*1000) / 1000 }

func lineOf(text string, off int) int {
	return strings.Count(text[:off], "\n") + 1
}

// extractLines is the batch mode: every line is a document.
func extractLines(e *env, ex *matcher.Extractor, in io.Reader, name string, top int, format string) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	bw := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := 0
	for sc.Scan() {
		n++
		cands := ex.Candidates(sc.Text(), top)
		if format == "json" {
			out := lineJSON{Line: n, Competencies: make([]candidateJSON, 0, len(cands))}
			for _, c := range cands {
				out.Competencies = append(out.Competencies, candidateJSON{ID: c.ID, Label: c.Label, Score: roundScore(c.Score)})
			}
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		parts := make([]string, 0, len(cands))
		for _, c := range cands {
			parts = append(parts, fmt.Sprintf("%s (%.2f)", c.Label, c.Score))
		}
		fmt.Fprintf(bw, "%d\t%s\n", n, strings.Join(parts, "; "))
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: line %d: %w", name, n+1, err)
	}
	return bw.Flush()
}

// extractOccupation prints an occupation profile's competencies as
// requirements: the profile with that ID, or the best match for a title.
func extractOccupation(e *env, tax *taxonomy.Taxonomy, ex *matcher.Extractor, which, format string) error {
	if len(tax.Occupations()) == 0 {
		return fmt.Errorf("taxonomy %s has no occupation profiles; use one that has, such as --taxonomy esco:DIR", tax.Name)
	}
	occ := &extractOccupationJSON{ID: which, Score: 1}
	if o, ok := tax.Occupation(which); ok {
		occ.Label = o.Label("en")
	} else {
		m := ex.MatchOccupations(which, 1)
		if len(m) == 0 {
			return fmt.Errorf("no occupation has the ID %q or a title like it in %s; list them with \"skillmatch-cli taxonomy occupations\"", which, tax.Name)
		}
		occ.ID, occ.Label, occ.Score = m[0].Occupation.ID, m[0].Label, roundScore(m[0].Score)
	}
	reqs, err := ex.FromOccupation(occ.ID, "en")
	if err != nil {
		return err
	}
	out := extractJSON{Language: "en", Occupation: occ, Requirements: make([]requirementJSON, 0, len(reqs))}
	for _, r := range reqs {
		out.Requirements = append(out.Requirements, toRequirementJSON(r))
	}
	if format == "json" {
		return writeExtractJSON(e.stdout, out)
	}
	return writeExtractText(e.stdout, out, "")
}
