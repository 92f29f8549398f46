package taxonomy

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// KindOccupation is the kind column value that makes a row of a plain CSV
// file an occupation profile instead of a competency.
const KindOccupation = "occupation"

// plainCSVDoc lists the columns of the plain CSV form, for messages.
const plainCSVDoc = "id, kind, broader, related, label_<lang>, alt_<lang>, hidden_<lang>, description_<lang>, esco_uri, onet_id, ref_<scheme>, code, essential, optional"

// csvLayout is what each column of a plain CSV file means.
type csvLayout struct {
	id, kind, broader, related, code, essential, optional int
	firstLabel                                            int            // column of the first label_<lang>, for messages
	label, alt, hidden, desc                              map[string]int // lang → column
	refs                                                  []refCol
	langs                                                 []string
}

type refCol struct {
	scheme string
	col    int
}

func plainLayout(t *table) (*csvLayout, error) {
	l := &csvLayout{id: -1, kind: -1, broader: -1, related: -1, code: -1, essential: -1, optional: -1,
		label: map[string]int{}, alt: map[string]int{}, hidden: map[string]int{}, desc: map[string]int{}}
	langs := map[string]bool{}
	for i, h := range t.hdr {
		h = strings.ToLower(h)
		bad := func(format string, args ...any) error {
			_, col := t.r.FieldPos(i)
			return &ImportError{File: t.file, Line: 1, Column: col, Msg: fmt.Sprintf(format, args...)}
		}
		fixed := map[string]*int{"id": &l.id, "kind": &l.kind, "broader": &l.broader, "related": &l.related,
			"code": &l.code, "essential": &l.essential, "optional": &l.optional}
		if p, ok := fixed[h]; ok {
			*p = i
			continue
		}
		switch h {
		case "esco_uri":
			l.refs = append(l.refs, refCol{"esco", i})
			continue
		case "onet_id":
			l.refs = append(l.refs, refCol{"onet", i})
			continue
		}
		prefix, suffix, ok := strings.Cut(h, "_")
		if !ok {
			return nil, bad("unknown column %q; the columns are %s", h, plainCSVDoc)
		}
		var m map[string]int
		switch prefix {
		case "label":
			m = l.label
		case "alt":
			m = l.alt
		case "hidden":
			m = l.hidden
		case "description":
			m = l.desc
		case "ref":
			if suffix == "" {
				return nil, bad("column %q names no scheme; write ref_<scheme>, e.g. ref_isco", h)
			}
			l.refs = append(l.refs, refCol{suffix, i})
			continue
		default:
			return nil, bad("unknown column %q; the columns are %s", h, plainCSVDoc)
		}
		if !isLangCode(suffix) {
			return nil, bad("column %q: %q is not a language code such as en or fr", h, suffix)
		}
		m[suffix] = i
		langs[suffix] = true
	}
	if l.id < 0 {
		return nil, &ImportError{File: t.file, Line: 1, Column: 1, Msg: fmt.Sprintf("header lacks the id column (found %s); the columns are %s", quoteList(t.hdr), plainCSVDoc)}
	}
	if len(l.label) == 0 {
		return nil, &ImportError{File: t.file, Line: 1, Column: 1, Msg: fmt.Sprintf("header has no label_<lang> column (found %s); add at least label_en", quoteList(t.hdr))}
	}
	for lg := range langs {
		l.langs = append(l.langs, lg)
	}
	sort.Slice(l.langs, func(i, j int) bool { return langLess(l.langs[i], l.langs[j]) })
	for _, lg := range l.langs {
		if c, ok := l.label[lg]; ok {
			l.firstLabel = c
			break
		}
	}
	return l, nil
}

// sniffComma returns the separator of a plain CSV file from its header
// line: a comma, or a semicolon or tab when the header has those and no
// comma (spreadsheets in French and other locales save with semicolons).
func sniffComma(br *bufio.Reader) rune {
	head, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	if bytes.IndexByte(head, ',') < 0 {
		switch {
		case bytes.IndexByte(head, ';') >= 0:
			return ';'
		case bytes.IndexByte(head, '\t') >= 0:
			return '\t'
		}
	}
	return ','
}

// splitList splits a "|"-separated field, honouring "\|" and "\\", trimming
// values and dropping empty ones.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	var b strings.Builder
	flush := func() {
		if v := strings.TrimSpace(b.String()); v != "" {
			out = append(out, v)
		}
		b.Reset()
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '|' || s[i+1] == '\\'):
			b.WriteByte(s[i+1])
			i++
		case c == '|':
			flush()
		default:
			b.WriteByte(c)
		}
	}
	flush()
	return out
}

// joinList is the inverse of splitList.
func joinList(vals []string) string {
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteByte('|')
		}
		for j := 0; j < len(v); j++ {
			if v[j] == '|' || v[j] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(v[j])
		}
	}
	return b.String()
}

// ImportCSV reads a company's own framework from a plain CSV file and
// validates it on its own. Errors name the file, line and column. To lay the
// file over another taxonomy, whose IDs it may reference, use
// Open("default+csv:FILE").
//
// The file has one row per competency (or occupation profile) and a header
// naming the columns, in any order:
//
//	id                 required; the stable ID (a URI or a short code)
//	kind               skill, knowledge, transversal, language, tool,
//	                   certification, group, or occupation; empty = skill
//	                   (or, for an ID merged onto another taxonomy, keep)
//	broader            IDs of the parents
//	related            IDs of related competencies
//	label_<lang>       preferred label in a language (label_en, label_fr…)
//	alt_<lang>         alternative labels
//	hidden_<lang>      hidden labels (matched, never shown)
//	description_<lang> definition
//	esco_uri           ESCO concept URI(s)
//	onet_id            O*NET element ID(s)
//	ref_<scheme>       IDs in any other framework
//	code               occupations only: a code such as ISCO-08
//	essential          occupations only: IDs of essential competencies
//	optional           occupations only: IDs of optional competencies
//
// A list field holds several values separated by "|"; write "\|" for a "|"
// inside a value and "\\" for a backslash. At least one label_<lang> column
// is required. Column names are case-insensitive. The separator is a comma,
// or a semicolon or tab when the header line has one of those and no comma.
func ImportCSV(file string) (*Taxonomy, error) {
	p, err := readCSVPart(context.Background(), file)
	if err != nil {
		return nil, err
	}
	return p.finish(func(string) bool { return false })
}

// finish checks the part's references against itself and known, then builds.
func (p *part) finish(known func(string) bool) (*Taxonomy, error) {
	if err := p.check(known); err != nil {
		return nil, err
	}
	t, err := p.build()
	if err != nil {
		return nil, fmt.Errorf("taxonomy: %s: %w", p.file, err)
	}
	return t, nil
}

func readCSVPart(ctx context.Context, file string) (part, error) {
	f, err := os.Open(file)
	if err != nil {
		return part{}, fmt.Errorf("taxonomy: %w", err)
	}
	defer f.Close()
	p, err := parseCSVPart(ctxReader{ctx, f}, file)
	if err := stopped(ctx, "csv:"+file); err != nil {
		return part{}, err
	}
	return p, err
}

func parseCSVPart(r io.Reader, file string) (part, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	t, err := newTable(br, file, "a Skillmatch competency CSV file", sniffComma(br))
	if err != nil {
		return part{}, err
	}
	l, err := plainLayout(t)
	if err != nil {
		return part{}, err
	}
	p := part{name: "csv:" + file, file: file, where: map[string]srcPos{}}
	colOf := func(i int) int {
		if i < 0 {
			return 0
		}
		_, c := t.r.FieldPos(i)
		return c
	}
	for {
		ok, err := t.next()
		if err != nil {
			return part{}, err
		}
		if !ok {
			break
		}
		id := t.get(l.id)
		if id == "" {
			return part{}, t.errAt(l.id, "id is empty; every row needs an ID")
		}
		if strings.ContainsAny(id, "\r\n") {
			return part{}, t.errAt(l.id, "id %q contains a line break; choose an ID without one", id)
		}
		if first, dup := p.where[id]; dup {
			return part{}, t.errAt(l.id, "duplicate id %q (first on line %d); merge the two rows or rename one", id, first.line)
		}
		pos := srcPos{line: t.line(), broaderCol: colOf(l.broader), relatedCol: colOf(l.related), kindCol: colOf(l.kind),
			essentialCol: colOf(l.essential), optionalCol: colOf(l.optional), labelCol: colOf(l.firstLabel)}
		p.where[id] = pos
		labels := map[string]Labels{}
		desc := map[string]string{}
		for _, lg := range l.langs {
			lb := Labels{Preferred: t.get(colIn(l.label, lg)), Alt: splitList(t.get(colIn(l.alt, lg))), Hidden: splitList(t.get(colIn(l.hidden, lg)))}
			if lb.Preferred != "" || len(lb.Alt) > 0 || len(lb.Hidden) > 0 {
				labels[lg] = lb
			}
			if d := t.get(colIn(l.desc, lg)); d != "" {
				desc[lg] = d
			}
		}
		if len(labels) == 0 {
			labels = nil
		}
		if len(desc) == 0 {
			desc = nil
		}
		kind := t.get(l.kind)
		if kind == KindOccupation {
			for _, c := range []int{l.broader, l.related} {
				if t.get(c) != "" {
					return part{}, t.errAt(c, "an occupation row has no %s; list its competencies in essential and optional", t.hdr[c])
				}
			}
			for _, rc := range l.refs {
				if t.get(rc.col) != "" {
					return part{}, t.errAt(rc.col, "an occupation row has no external references; leave %s empty", t.hdr[rc.col])
				}
			}
			p.occs = append(p.occs, Occupation{ID: id, Code: t.get(l.code), Labels: labels, Description: desc,
				Essential: splitList(t.get(l.essential)), Optional: splitList(t.get(l.optional))})
			continue
		}
		for _, c := range []int{l.code, l.essential, l.optional} {
			if t.get(c) != "" {
				return part{}, t.errAt(c, "only occupation rows (kind occupation) have %s; empty it or set kind to occupation", t.hdr[c])
			}
		}
		if kind != "" && !Kind(kind).Valid() {
			return part{}, t.errAt(l.kind, "unknown kind %q; use one of %s, or %s", kind, kindList(), KindOccupation)
		}
		c := Competency{ID: id, Kind: Kind(kind), Labels: labels, Description: desc,
			Broader: splitList(t.get(l.broader)), Related: splitList(t.get(l.related))}
		for _, rc := range l.refs {
			for _, v := range splitList(t.get(rc.col)) {
				c.Refs = append(c.Refs, Ref{Scheme: rc.scheme, ID: v})
			}
		}
		p.comps = append(p.comps, c)
	}
	return p, nil
}

func colIn(m map[string]int, lang string) int {
	if c, ok := m[lang]; ok {
		return c
	}
	return -1
}

// WriteCSV writes t in the plain CSV form that ImportCSV reads: the columns
// id, kind, broader, related, then label_, alt_, hidden_ and description_
// for each language (English first), esco_uri and onet_id and ref_<scheme>
// for the external references in use, and, when t has occupation profiles,
// code, essential and optional. Competencies come first, sorted by ID, then
// occupations (kind "occupation").
func WriteCSV(w io.Writer, t *Taxonomy) error {
	langSet := map[string]bool{}
	schemes := map[string]bool{}
	for _, c := range t.comps {
		for lg := range c.Labels {
			langSet[lg] = true
		}
		for lg := range c.Description {
			langSet[lg] = true
		}
		for _, r := range c.Refs {
			schemes[r.Scheme] = true
		}
	}
	for _, o := range t.occs {
		for lg := range o.Labels {
			langSet[lg] = true
		}
		for lg := range o.Description {
			langSet[lg] = true
		}
	}
	if len(langSet) == 0 {
		langSet["en"] = true
	}
	langs := make([]string, 0, len(langSet))
	for lg := range langSet {
		langs = append(langs, lg)
	}
	sort.Slice(langs, func(i, j int) bool { return langLess(langs[i], langs[j]) })
	var schemeList []string
	for _, s := range []string{"esco", "onet"} {
		if schemes[s] {
			schemeList = append(schemeList, s)
		}
	}
	var others []string
	for s := range schemes {
		if s != "esco" && s != "onet" {
			others = append(others, s)
		}
	}
	sort.Strings(others)
	schemeList = append(schemeList, others...)

	hdr := []string{"id", "kind", "broader", "related"}
	for _, lg := range langs {
		hdr = append(hdr, "label_"+lg, "alt_"+lg, "hidden_"+lg, "description_"+lg)
	}
	for _, s := range schemeList {
		switch s {
		case "esco":
			hdr = append(hdr, "esco_uri")
		case "onet":
			hdr = append(hdr, "onet_id")
		default:
			hdr = append(hdr, "ref_"+s)
		}
	}
	occs := len(t.occs) > 0
	if occs {
		hdr = append(hdr, "code", "essential", "optional")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(hdr); err != nil {
		return err
	}
	rec := make([]string, len(hdr))
	for _, c := range t.comps {
		clear(rec)
		rec[0], rec[1], rec[2], rec[3] = c.ID, string(c.Kind), joinList(c.Broader), joinList(c.Related)
		for i, lg := range langs {
			l := c.Labels[lg]
			rec[4+4*i], rec[5+4*i], rec[6+4*i], rec[7+4*i] = l.Preferred, joinList(l.Alt), joinList(l.Hidden), c.Description[lg]
		}
		for i, s := range schemeList {
			var ids []string
			for _, r := range c.Refs {
				if r.Scheme == s {
					ids = append(ids, r.ID)
				}
			}
			rec[4+4*len(langs)+i] = joinList(ids)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	for _, o := range t.occs {
		clear(rec)
		rec[0], rec[1] = o.ID, KindOccupation
		for i, lg := range langs {
			l := o.Labels[lg]
			rec[4+4*i], rec[5+4*i], rec[6+4*i], rec[7+4*i] = l.Preferred, joinList(l.Alt), joinList(l.Hidden), o.Description[lg]
		}
		n := len(hdr)
		rec[n-3], rec[n-2], rec[n-1] = o.Code, joinList(o.Essential), joinList(o.Optional)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonFile is the JSON form of a taxonomy.
type jsonFile struct {
	Name         string        `json:"name,omitempty"`
	Competencies []*Competency `json:"competencies"`
	Occupations  []*Occupation `json:"occupations,omitempty"`
}

// WriteJSON writes t as {"name":…, "competencies":[…], "occupations":[…]}
// with each competency in its JSON form (narrower is derived, so left out),
// the form ImportJSON reads.
func WriteJSON(w io.Writer, t *Taxonomy) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(jsonFile{Name: t.Name, Competencies: t.comps, Occupations: t.occs})
}

// ImportJSON reads a taxonomy in the JSON form WriteJSON writes and
// validates it on its own. Errors name the file, line and column, or the
// index and ID of the entry. Use Open("default+json:FILE") for a file that
// references IDs of another taxonomy.
func ImportJSON(file string) (*Taxonomy, error) {
	p, err := readJSONPart(file)
	if err != nil {
		return nil, err
	}
	t, err := p.finish(func(string) bool { return false })
	if err != nil {
		return nil, err
	}
	return t, nil
}

func readJSONPart(file string) (part, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return part{}, fmt.Errorf("taxonomy: %w", err)
	}
	return parseJSONPart(data, file)
}

// tidyLabels trims labels and drops empty ones, as the CSV importers do, so
// that a taxonomy reads the same from every form.
func tidyLabels(m map[string]Labels) map[string]Labels {
	for lang, l := range m {
		l.Preferred = strings.TrimSpace(l.Preferred)
		l.Alt, l.Hidden = tidyList(l.Alt), tidyList(l.Hidden)
		if l.Preferred == "" && l.Alt == nil && l.Hidden == nil {
			delete(m, lang)
			continue
		}
		m[lang] = l
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

func tidyList(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func tidyDescriptions(m map[string]string) map[string]string {
	for lang, d := range m {
		if d = strings.TrimSpace(d); d == "" {
			delete(m, lang)
		} else {
			m[lang] = d
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// lineCol turns a byte offset of data into a 1-based line and column,
// skipping the separators before the value that starts there.
func lineCol(data []byte, off int64) (int, int) {
	o := min(int(off), len(data))
	for o < len(data) && strings.IndexByte(" \t\r\n,:", data[o]) >= 0 {
		o++
	}
	line := 1 + bytes.Count(data[:o], []byte("\n"))
	col := o - bytes.LastIndexByte(data[:o], '\n')
	return line, col
}

func parseJSONPart(data []byte, file string) (part, error) {
	p := part{name: "json:" + file, file: file, where: map[string]srcPos{}}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // a byte-order mark some editors write
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	fail := func(off int64, err error, what string) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset - 1
		case errors.As(err, &te):
			// Relative to the value being decoded; it points just past the
			// offending field's value.
			off += te.Offset - 1
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			off = int64(len(data))
			err = fmt.Errorf("the file ends too early: %w", io.ErrUnexpectedEOF)
		}
		line, col := lineCol(data, max(off, 0))
		return &ImportError{File: file, Line: line, Column: col, Msg: fmt.Sprintf("%s: %v", what, err), Err: err}
	}
	const shape = `the file must be one object {"name": …, "competencies": [ … ], "occupations": [ … ]}`
	delim := func(want json.Delim, what string) error {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return fail(off, err, what)
		}
		if d, ok := tok.(json.Delim); !ok || d != want {
			return fail(off, fmt.Errorf("found %v where %q was expected", tok, want), what)
		}
		return nil
	}
	if err := delim('{', shape); err != nil {
		return part{}, err
	}
	seenOcc := map[string]int{}
	for dec.More() {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return part{}, fail(off, err, shape)
		}
		key, _ := tok.(string)
		switch key {
		case "name":
			if err := dec.Decode(&p.name); err != nil {
				return part{}, fail(off, err, `"name" must be a string`)
			}
		case "competencies", "occupations":
			if err := delim('[', fmt.Sprintf("%q must be an array", key)); err != nil {
				return part{}, err
			}
			for i := 0; dec.More(); i++ {
				start := dec.InputOffset()
				line, col := lineCol(data, start)
				what := fmt.Sprintf("%s[%d]", key, i)
				var id string
				if key == "competencies" {
					var c Competency
					if err := dec.Decode(&c); err != nil {
						return part{}, fail(start, err, what+" (fields: id, kind, labels, description, broader, related, refs)")
					}
					c.Narrower = nil
					c.ID = strings.TrimSpace(c.ID)
					c.Labels, c.Description = tidyLabels(c.Labels), tidyDescriptions(c.Description)
					id = c.ID
					p.comps = append(p.comps, c)
				} else {
					var o Occupation
					if err := dec.Decode(&o); err != nil {
						return part{}, fail(start, err, what+" (fields: id, code, labels, description, essential, optional)")
					}
					o.ID = strings.TrimSpace(o.ID)
					o.Labels, o.Description = tidyLabels(o.Labels), tidyDescriptions(o.Description)
					id = o.ID
					p.occs = append(p.occs, o)
				}
				if id == "" {
					return part{}, &ImportError{File: file, Line: line, Column: col, Msg: what + ` has no "id"; every entry needs one`}
				}
				if key == "competencies" {
					if first, dup := p.where[id]; dup {
						return part{}, &ImportError{File: file, Line: line, Column: col, ID: id, Msg: fmt.Sprintf("%s: duplicate id %q (first at competencies[%d], line %d); merge the two entries or rename one", what, id, first.index, first.line)}
					}
				} else {
					if first, dup := seenOcc[id]; dup {
						return part{}, &ImportError{File: file, Line: line, Column: col, ID: id, Msg: fmt.Sprintf("%s: duplicate occupation id %q (first at occupations[%d]); merge the two entries or rename one", what, id, first)}
					}
					seenOcc[id] = i
				}
				if key == "competencies" || p.where[id].json == "" {
					p.where[id] = srcPos{line: line, index: i, json: key}
				}
			}
			if err := delim(']', fmt.Sprintf("%q must be an array", key)); err != nil {
				return part{}, err
			}
		default:
			line, col := lineCol(data, off)
			return part{}, &ImportError{File: file, Line: line, Column: col, Msg: fmt.Sprintf("unknown field %q; %s", key, shape)}
		}
	}
	if err := delim('}', shape); err != nil {
		return part{}, err
	}
	if off := dec.InputOffset(); len(bytes.TrimSpace(data[off:])) > 0 {
		line, col := lineCol(data, off)
		return part{}, &ImportError{File: file, Line: line, Column: col, Msg: "extra data after the taxonomy object; " + shape}
	}
	return p, nil
}
