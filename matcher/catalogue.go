package matcher

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// CatalogueItem is a micro-credential on offer: a course a manager can buy
// for a member of staff to close a skill gap.
type CatalogueItem struct {
	ID       string `json:"id"`
	Provider string `json:"provider"`
	Title    string `json:"title"`
	URL      string `json:"url,omitempty"`
	// Competencies are the taxonomy IDs the item teaches, resolved from
	// taxonomy IDs, alignment URLs (ESCO URIs, O*NET codes) or free text.
	Competencies []string `json:"competencies"`
	Hours        float64  `json:"hours"`
	Cost         float64  `json:"cost"`
	Currency     string   `json:"currency,omitempty"`
	// Format is "online", "in-person", "self-paced" or "blended".
	Format   string `json:"format,omitempty"`
	Language string `json:"language,omitempty"`
	Level    string `json:"level,omitempty"`
	// StackableInto names the larger credential this one counts toward.
	StackableInto string `json:"stackable_into,omitempty"`
	// Source says where the item was read from (file:line).
	Source string `json:"source,omitempty"`
}

// CatalogueFormats are the delivery formats a catalogue item may have.
var CatalogueFormats = []string{"online", "in-person", "self-paced", "blended"}

// catalogueColumns is the header of a catalogue CSV file. Only id, title and
// competencies are required; the columns may come in any order.
var catalogueColumns = []string{"id", "provider", "title", "url", "competencies", "hours", "cost", "currency", "format", "language", "level", "stackable_into"}

// CatalogueError lists every rejected row of a catalogue file.
type CatalogueError struct {
	File     string
	Problems []string // each "FILE:LINE:COLUMN: what is wrong and what to do"
}

func (e *CatalogueError) Error() string {
	return fmt.Sprintf("catalogue %s: %d problem(s):\n  %s", e.File, len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// TextResolver finds the competencies a piece of free text names; the
// extractor provides one. It may be nil, and then free text is an error.
type TextResolver func(text string) []string

// ReadCatalogueCSV reads a catalogue of micro-credentials from CSV with the
// header
//
//	id,provider,title,url,competencies,hours,cost,currency,format,language,level,stackable_into
//
// (columns in any order; id, title and competencies required). The
// competencies cell holds values separated by "|": taxonomy IDs, alignment
// URLs or codes that the taxonomy knows as external references, or free
// text resolved by resolve. The import is all or nothing: any bad row makes
// it fail with a *CatalogueError naming every problem by file, line and
// column.
func ReadCatalogueCSV(r io.Reader, file string, tax *taxonomy.Taxonomy, resolve TextResolver) ([]CatalogueItem, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("catalogue %s: empty file: the first line must be the header %s", file, strings.Join(catalogueColumns, ","))
		}
		return nil, fmt.Errorf("catalogue %s: %w", file, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(catalogueColumns, h) {
			return nil, fmt.Errorf("catalogue %s:1:%d: unknown column %q; the columns are %s", file, i+1, h, strings.Join(catalogueColumns, ","))
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("catalogue %s:1:%d: column %q appears twice", file, i+1, h)
		}
		col[h] = i
	}
	for _, req := range []string{"id", "title", "competencies"} {
		if _, ok := col[req]; !ok {
			return nil, fmt.Errorf("catalogue %s:1: the header has no %q column; required columns are id, title, competencies", file, req)
		}
	}
	cerr := &CatalogueError{File: file}
	bad := func(line, column int, format string, args ...any) {
		cerr.Problems = append(cerr.Problems, fmt.Sprintf("%s:%d:%d: %s", file, line, column, fmt.Sprintf(format, args...)))
	}
	var items []CatalogueItem
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			bad(pe.Line, pe.Column, "%v (check the quotes on this line)", pe.Err)
			if pe.Err == csv.ErrQuote || pe.Err == csv.ErrBareQuote {
				break // the rest of the file cannot be trusted
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			bad(line, 1, "%d fields, the header has %d", len(rec), len(header))
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		colOf := func(name string) int { return col[name] + 1 }
		it := CatalogueItem{
			ID: get("id"), Provider: get("provider"), Title: get("title"), URL: get("url"),
			Currency: get("currency"), Format: strings.ToLower(get("format")), Language: strings.ToLower(get("language")),
			Level: get("level"), StackableInto: get("stackable_into"), Source: fmt.Sprintf("%s:%d", file, line),
		}
		if it.ID == "" {
			bad(line, colOf("id"), "empty id: give every item a unique id")
		} else if first, dup := seen[it.ID]; dup {
			bad(line, colOf("id"), "duplicate id %q (first on line %d)", it.ID, first)
		} else {
			seen[it.ID] = line
		}
		if it.Title == "" {
			bad(line, colOf("title"), "empty title")
		}
		for _, f := range []struct {
			name string
			dst  *float64
		}{{"hours", &it.Hours}, {"cost", &it.Cost}} {
			s := get(f.name)
			if s == "" {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 {
				bad(line, colOf(f.name), "%s %q is not a non-negative number (write e.g. 12.5, no currency sign)", f.name, s)
				continue
			}
			*f.dst = v
		}
		if it.Format != "" && !slices.Contains(CatalogueFormats, it.Format) {
			bad(line, colOf("format"), "format %q: use one of %s", it.Format, strings.Join(CatalogueFormats, ", "))
		}
		for _, v := range strings.Split(get("competencies"), "|") {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if c, ok := tax.Lookup(v); ok {
				it.Competencies = append(it.Competencies, c.ID)
				continue
			}
			if strings.Contains(v, "://") {
				bad(line, colOf("competencies"), "%q is not a competency of the taxonomy %s (use a taxonomy ID or an ESCO/O*NET reference it knows)", v, tax.Name)
				continue
			}
			var ids []string
			if resolve != nil {
				ids = resolve(v)
			}
			if len(ids) == 0 {
				bad(line, colOf("competencies"), "no competency of the taxonomy %s matches %q: use a taxonomy ID (see `skillmatch-cli taxonomy search`)", tax.Name, v)
				continue
			}
			it.Competencies = append(it.Competencies, ids...)
		}
		slices.Sort(it.Competencies)
		it.Competencies = slices.Compact(it.Competencies)
		if len(it.Competencies) == 0 && get("competencies") == "" {
			bad(line, colOf("competencies"), "no competencies: list what the item teaches, separated by |")
		}
		items = append(items, it)
	}
	if len(cerr.Problems) > 0 {
		return nil, cerr
	}
	return items, nil
}
