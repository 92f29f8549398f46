package taxonomy

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// ImportError is a problem in an input file. It names the file, the line
// and column (1-based, columns counted in bytes; 0 when not known) or the
// ID of the entry, and says what to fix.
type ImportError struct {
	File   string
	Line   int
	Column int
	ID     string // the offending competency or occupation ID, if any
	Msg    string
	Err    error // the underlying error, if any (a *csv.ParseError, …)
}

func (e *ImportError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if e.ID != "" && !strings.Contains(e.Msg, e.ID) {
		fmt.Fprintf(&b, ": %s", e.ID)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func (e *ImportError) Unwrap() error { return e.Err }

// table reads a delimited file with a header row, by column name. It wraps
// encoding/csv: every record must have as many fields as the header, and
// syntax errors come back as *ImportError with the parser's line and column.
type table struct {
	file string // as given, for messages
	kind string // what the file should be, for messages ("an ESCO skills file")
	r    *csv.Reader
	f    *os.File
	cols map[string]int
	hdr  []string
	rec  []string
	// ragged accepts records shorter than the header (missing trailing
	// fields read as empty), as in ESCO's skillsHierarchy files.
	ragged bool
}

// ctxReader fails its reads once ctx is done, so that an import stops at
// the next block it reads from a file.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// stopped wraps ctx's error, if ctx is done, as the reason an import of
// what stopped.
func stopped(ctx context.Context, what string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("taxonomy: import of %s stopped: %w", what, err)
	}
	return nil
}

// openTable opens file, reads its header and checks that every required
// column is present. Columns are found by name, so the extra columns of
// later releases are accepted.
func openTable(ctx context.Context, file, kind string, comma rune, required ...string) (*table, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("taxonomy: %w", err)
	}
	t, err := newTable(ctxReader{ctx, f}, file, kind, comma, required...)
	if err != nil {
		f.Close()
		return nil, err
	}
	t.f = f
	return t, nil
}

func newTable(rd io.Reader, file, kind string, comma rune, required ...string) (*table, error) {
	r := csv.NewReader(bufio.NewReaderSize(rd, 1<<16))
	r.Comma = comma
	r.ReuseRecord = true
	t := &table{file: file, kind: kind, r: r}
	hdr, err := r.Read()
	if err == io.EOF {
		return nil, &ImportError{File: file, Line: 1, Column: 1, Msg: fmt.Sprintf("file is empty; expected %s with the header %s", kind, strings.Join(required, string(comma)))}
	}
	if err != nil {
		return nil, t.wrap(err)
	}
	t.hdr = make([]string, len(hdr))
	t.cols = make(map[string]int, len(hdr))
	for i, h := range hdr {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		h = strings.TrimSpace(h)
		t.hdr[i] = h
		if _, dup := t.cols[h]; dup {
			_, col := r.FieldPos(i)
			return nil, &ImportError{File: file, Line: 1, Column: col, Msg: fmt.Sprintf("column %q appears twice in the header; remove one", h)}
		}
		t.cols[h] = i
	}
	for _, name := range required {
		if _, ok := t.cols[name]; !ok {
			return nil, &ImportError{File: file, Line: 1, Column: 1, Msg: fmt.Sprintf("header lacks column %q (found %s); is this %s? The header must name %s",
				name, quoteList(t.hdr), kind, quoteList(required))}
		}
	}
	return t, nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// next reads the next record; it returns false at the end of the file.
func (t *table) next() (bool, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, t.wrap(err)
	}
	t.rec = rec
	if t.ragged && len(rec) > len(t.hdr) {
		line, col := t.r.FieldPos(len(t.hdr))
		return false, &ImportError{File: t.file, Line: line, Column: col, Msg: fmt.Sprintf("record has %d fields, more than the %d of the header; check for an unquoted comma inside a field", len(rec), len(t.hdr))}
	}
	return true, nil
}

// col returns the index of a column, or -1.
func (t *table) col(name string) int {
	if i, ok := t.cols[name]; ok {
		return i
	}
	return -1
}

// get returns field i of the current record with surrounding spaces removed
// ("" for i < 0).
func (t *table) get(i int) string {
	if i < 0 || i >= len(t.rec) {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

// errAt builds an *ImportError at field i of the current record.
func (t *table) errAt(i int, format string, args ...any) *ImportError {
	line, col := t.pos(i)
	return &ImportError{File: t.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// pos returns the line and column of field i of the current record; for a
// field missing from a ragged record, the position just after the last one.
func (t *table) pos(i int) (line, col int) {
	if i >= len(t.rec) {
		line, col = t.r.FieldPos(len(t.rec) - 1)
		return line, col + len(t.rec[len(t.rec)-1])
	}
	return t.r.FieldPos(max(i, 0))
}

// line returns the line on which the current record starts.
func (t *table) line() int {
	line, _ := t.r.FieldPos(0)
	return line
}

func (t *table) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			msg = fmt.Sprintf("record has a different number of fields than the header (%d); check for a missing or extra separator or an unquoted separator inside a field", len(t.hdr))
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			msg += "; a field containing quotes, separators or line breaks must be enclosed in double quotes, with inner quotes doubled (\"\")"
		}
		if pe.StartLine != 0 && pe.StartLine != pe.Line {
			msg += fmt.Sprintf(" (the record starts on line %d: look for a quote that is opened there and never closed)", pe.StartLine)
		}
		return &ImportError{File: t.file, Line: pe.Line, Column: pe.Column, Msg: msg, Err: err}
	}
	return fmt.Errorf("taxonomy: reading %s: %w", t.file, err)
}

func (t *table) close() {
	if t.f != nil {
		t.f.Close()
	}
}

// tsv reads a tab-separated file without quoting, such as the text files
// O*NET distributes (their fields may contain bare double quotes, which
// encoding/csv would reject). Every line must have as many fields as the
// header.
type tsv struct {
	file string
	kind string
	sc   *bufio.Scanner
	cols map[string]int
	hdr  []string
	rec  []string
	ln   int
	raw  string
}

func newTSV(rd io.Reader, file, kind string, required ...string) (*tsv, error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	t := &tsv{file: file, kind: kind, sc: sc}
	ok, err := t.next()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &ImportError{File: file, Line: 1, Column: 1, Msg: fmt.Sprintf("file is empty; expected %s with the tab-separated header %s", kind, quoteList(required))}
	}
	t.hdr = make([]string, len(t.rec))
	t.cols = make(map[string]int, len(t.rec))
	for i, h := range t.rec {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		h = strings.TrimSpace(h)
		t.hdr[i] = h
		t.cols[h] = i
	}
	for _, name := range required {
		if _, ok := t.cols[name]; !ok {
			return nil, &ImportError{File: file, Line: 1, Column: 1, Msg: fmt.Sprintf("header lacks column %q (found %s); is this %s? O*NET text files are tab-separated and their header names %s",
				name, quoteList(t.hdr), kind, quoteList(required))}
		}
	}
	return t, nil
}

// next reads the next non-empty line.
func (t *tsv) next() (bool, error) {
	for t.sc.Scan() {
		t.ln++
		line := strings.TrimSuffix(t.sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !utf8.ValidString(line) {
			return false, &ImportError{File: t.file, Line: t.ln, Column: invalidUTF8(line) + 1, Msg: "text is not UTF-8; save the file as UTF-8 (O*NET publishes UTF-8 text files)"}
		}
		t.raw = line
		t.rec = strings.Split(line, "\t")
		if t.hdr != nil && len(t.rec) != len(t.hdr) {
			col := len(line) + 1
			if len(t.rec) > len(t.hdr) {
				col = t.fieldCol(len(t.hdr))
			}
			return false, &ImportError{File: t.file, Line: t.ln, Column: col, Msg: fmt.Sprintf("line has %d tab-separated fields, the header has %d; check for a missing or extra tab", len(t.rec), len(t.hdr))}
		}
		return true, nil
	}
	if err := t.sc.Err(); err != nil {
		return false, &ImportError{File: t.file, Line: t.ln + 1, Msg: err.Error() + "; the line is too long for an O*NET file", Err: err}
	}
	return false, nil
}

func invalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return i
			}
		}
	}
	return 0
}

// fieldCol returns the 1-based byte column at which field i starts.
func (t *tsv) fieldCol(i int) int {
	col := 1
	for j := 0; j < i && j < len(t.rec); j++ {
		col += len(t.rec[j]) + 1
	}
	return col
}

func (t *tsv) col(name string) int {
	if i, ok := t.cols[name]; ok {
		return i
	}
	return -1
}

func (t *tsv) get(i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

func (t *tsv) errAt(i int, format string, args ...any) *ImportError {
	return &ImportError{File: t.file, Line: t.ln, Column: t.fieldCol(max(i, 0)), Msg: fmt.Sprintf(format, args...)}
}
