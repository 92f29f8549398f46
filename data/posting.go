package data

// Reading job postings from the documents recruiters have: plain text in
// UTF-8, UTF-16 or Windows-1252, Markdown, HTML, RTF, Word (.docx) and
// OpenDocument (.odt). The output is plain text whose lines keep the
// structure the requirement extractor relies on: headings alone on their
// line, one list item per line prefixed with "- ", a blank line between
// paragraphs and table cells separated by " | ".

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

const (
	// MaxPostingText is the most text a posting may hold once extracted.
	MaxPostingText = 5 << 20
	// MaxPostingFile is the largest posting file read (a Word document
	// with pictures is much larger than its text).
	MaxPostingFile = 64 << 20
	// maxZipEntry is the most a ZIP entry read from a document may
	// uncompress to, and maxZipRatio the highest compression ratio
	// accepted for an entry larger than zipRatioFloor: more is a ZIP bomb.
	maxZipEntry   = 50 << 20
	maxZipRatio   = 100
	zipRatioFloor = 1 << 20
)

// PostingExtensions are the file extensions ReadPosting reads, for file
// dialogs.
var PostingExtensions = []string{".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".rtf", ".docx", ".odt"}

// The kinds of posting file ReadPosting refuses; its errors wrap one of
// them, so that callers can tell them apart with errors.Is.
var (
	ErrPostingPDF         = errors.New("PDF postings cannot be read: save the posting as .docx or .txt, or paste its text")
	ErrPostingTooLarge    = errors.New("posting too large")
	ErrPostingBinary      = errors.New("not a text document")
	ErrPostingDamaged     = errors.New("damaged document")
	ErrPostingEncrypted   = errors.New("encrypted or old-format Office document")
	ErrPostingUnsupported = errors.New("unsupported document")
	ErrPostingEmpty       = errors.New("no text")
)

// ReadPostingFile reads the posting in the file at path; see ReadPosting.
func ReadPostingFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s: opening the posting: %w", path, err)
	}
	defer f.Close()
	return ReadPosting(f, path)
}

// ReadPosting reads a job posting from r and returns its plain text. name
// (the file name, or a description such as "standard input") starts every
// error and its extension is a hint when the content is ambiguous: the
// format is chosen by content first (ZIP holding a Word or OpenDocument
// text, RTF, HTML, PDF, byte-order marks), then by extension (.html,
// .md). Text that is not valid UTF-8 is read as Windows-1252.
//
// PDF files, encrypted or old (.doc) Office files, binary files, damaged
// documents, ZIP bombs and postings of more than MaxPostingText bytes of
// text are refused with an error that says what to do.
func ReadPosting(r io.Reader, name string) (string, error) {
	if name == "" {
		name = "posting"
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxPostingFile+1))
	if err != nil {
		return "", fmt.Errorf("%s: reading the posting: %w", name, err)
	}
	if len(b) > MaxPostingFile {
		return "", fmt.Errorf("%s: the file is larger than %d MB; paste the posting's text instead: %w", name, MaxPostingFile>>20, ErrPostingTooLarge)
	}
	text, err := postingText(b, name)
	if err != nil {
		return "", err
	}
	text = tidyText(text)
	if len(text) > MaxPostingText {
		return "", fmt.Errorf("%s: the posting has more than %d MB of text; paste only the posting: %w", name, MaxPostingText>>20, ErrPostingTooLarge)
	}
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%s: the document contains no text; paste the posting's text instead: %w", name, ErrPostingEmpty)
	}
	return text, nil
}

// postingText picks the format of b and extracts its text.
func postingText(b []byte, name string) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06")):
		return zipText(b, name)
	case bytes.HasPrefix(b, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return "", fmt.Errorf("%s: this is a password-protected Office document or an old Word .doc file; open it in Word or LibreOffice, remove the password and save it as .docx, or paste its text: %w", name, ErrPostingEncrypted)
	case isPDF(b):
		return "", fmt.Errorf("%s: %w", name, ErrPostingPDF)
	}
	if ext == ".docx" || ext == ".odt" {
		return "", fmt.Errorf("%s: the file is not a %s document (no ZIP container); save the posting again from Word or LibreOffice: %w", name, ext, ErrPostingDamaged)
	}
	text, err := decodeText(b, name)
	if err != nil {
		return "", err
	}
	head := strings.TrimLeftFunc(text, unicode.IsSpace)
	switch {
	case strings.HasPrefix(head, `{\rtf`):
		return rtfText([]byte(head), name)
	case looksHTML(head) || ((ext == ".html" || ext == ".htm" || ext == ".xhtml") && strings.HasPrefix(head, "<")):
		return htmlText(text, name)
	case ext == ".md" || ext == ".markdown":
		return markdownText(text), nil
	}
	return text, nil
}

// isPDF reports whether b is a PDF: "%PDF-" within its first kilobyte
// (some writers put junk before it).
func isPDF(b []byte) bool {
	if len(b) > 1024 {
		b = b[:1024]
	}
	return bytes.Contains(b, []byte("%PDF-"))
}

// decodeText decodes b to a string: UTF-16 or UTF-8 after a byte-order
// mark, UTF-16 without one when every other byte is zero, UTF-8 when
// valid, otherwise Windows-1252. Binary content is refused.
func decodeText(b []byte, name string) (string, error) {
	var s string
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		s = string(b[3:])
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		s = decodeUTF16(b[2:], false)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		s = decodeUTF16(b[2:], true)
	case utf16NoBOM(b) != 0:
		s = decodeUTF16(b, utf16NoBOM(b) == 2)
	case utf8.Valid(b):
		s = string(b)
	default:
		s = decodeWindows1252(b)
	}
	if isBinary(s) {
		return "", fmt.Errorf("%s: this is not a text document; save the posting as .docx, .odt, .html, .rtf or .txt, or paste its text: %w", name, ErrPostingBinary)
	}
	return s, nil
}

// utf16NoBOM guesses UTF-16 without a byte-order mark: 1 for little
// endian, 2 for big endian, 0 for neither. Text in a Latin script has a
// zero in most high bytes.
func utf16NoBOM(b []byte) int {
	n := len(b) &^ 1
	if n < 8 {
		return 0
	}
	var zeroEven, zeroOdd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			zeroEven++
		}
		if b[i+1] == 0 {
			zeroOdd++
		}
	}
	half := n / 2
	switch {
	case zeroOdd*10 >= half*9 && zeroEven*10 < half:
		return 1
	case zeroEven*10 >= half*9 && zeroOdd*10 < half:
		return 2
	}
	return 0
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// win1252 maps the bytes 0x80–0x9F of Windows-1252 to Unicode; the other
// bytes are Latin-1. The five unassigned bytes map to 0 and are dropped.
var win1252 = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// win1252Rune decodes one byte of Windows-1252 (0 for an unassigned one).
func win1252Rune(c byte) rune {
	if c >= 0x80 && c < 0xA0 {
		return win1252[c-0x80]
	}
	return rune(c)
}

func decodeWindows1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		if r := win1252Rune(c); r != 0 {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// isBinary reports whether s holds NUL bytes or more than 1 in 50
// control characters other than white space: an image, an executable or a
// format this package does not read.
func isBinary(s string) bool {
	var ctl, n int
	for _, r := range s {
		n++
		if r == 0 {
			return true
		}
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' && r != '\v') || r == 0x7F {
			ctl++
		}
	}
	return ctl > 0 && ctl*50 > n
}

// looksHTML reports whether text (without leading space) is an HTML page.
func looksHTML(head string) bool {
	if len(head) > 1024 {
		head = head[:1024]
	}
	low := strings.ToLower(head)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body"} {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	// An XML declaration or a comment before the <html> of XHTML.
	if strings.HasPrefix(low, "<?xml") || strings.HasPrefix(low, "<!--") {
		return strings.Contains(low, "<html")
	}
	return false
}

// tidyText normalises the text of any format: line ends to "\n", no
// control characters, no-break spaces to spaces, no trailing space, at
// most one blank line in a row, none at the start, one "\n" at the end.
func tidyText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var sb strings.Builder
	sb.Grow(len(s))
	blank := 0 // newlines pending
	started := false
	var line strings.Builder
	flush := func() {
		l := strings.TrimRightFunc(line.String(), unicode.IsSpace)
		line.Reset()
		if l == "" {
			if started {
				blank++
			}
			return
		}
		if started {
			if blank > 0 {
				sb.WriteString("\n\n")
			} else {
				sb.WriteByte('\n')
			}
		}
		sb.WriteString(l)
		started = true
		blank = 0
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\f' || r == '\v' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			flush()
		case r == '\u00A0' || r == '\u202F' || r == '\u2007':
			line.WriteByte(' ')
		case r == '\t':
			line.WriteByte('\t')
		case r == '\uFEFF' || r == '\u00AD' || r == utf8.RuneError || unicode.Is(unicode.Cc, r):
			// BOM, soft hyphen, undecodable bytes and control characters
		default:
			line.WriteRune(r)
		}
	}
	flush()
	if started {
		sb.WriteByte('\n')
	}
	return sb.String()
}

// markdownText turns Markdown into plain text: heading marks, emphasis,
// code marks, link targets, images, HTML tags and rules removed, "*", "+"
// and numbered list items written "- ".
func markdownText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	fence := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = !fence
			continue
		}
		if fence {
			out = append(out, l)
			continue
		}
		// Setext headings: a line underlined with === or ---.
		if i+1 < len(lines) && t != "" && !isMarkdownItem(t) {
			if u := strings.TrimSpace(lines[i+1]); len(u) >= 2 && (strings.Trim(u, "=") == "" || strings.Trim(u, "-") == "") {
				out = append(out, "", markdownInline(t), "")
				i++
				continue
			}
		}
		if isMarkdownRule(t) {
			out = append(out, "")
			continue
		}
		if strings.HasPrefix(t, "#") {
			h := strings.TrimLeft(t, "#")
			if h == "" || h[0] == ' ' || h[0] == '\t' {
				h = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#"))
				out = append(out, "", markdownInline(h), "")
				continue
			}
		}
		if strings.HasPrefix(t, "|") {
			// a pipe table row; the row under the header is dropped
			cells := strings.Split(strings.Trim(t, "|"), "|")
			rule := true
			for i, c := range cells {
				c = strings.TrimSpace(c)
				if strings.Trim(c, ":-") != "" || c == "" {
					rule = false
				}
				cells[i] = markdownInline(c)
			}
			if !rule {
				out = append(out, strings.Join(cells, " | "))
			}
			continue
		}
		for strings.HasPrefix(t, ">") {
			t = strings.TrimSpace(t[1:])
		}
		if item, ok := markdownItem(t); ok {
			out = append(out, "- "+markdownInline(item))
			continue
		}
		out = append(out, markdownInline(t))
	}
	return strings.Join(out, "\n")
}

func isMarkdownRule(t string) bool {
	c := strings.ReplaceAll(t, " ", "")
	if len(c) < 3 {
		return false
	}
	for _, m := range []string{"-", "*", "_"} {
		if strings.Trim(c, m) == "" {
			return true
		}
	}
	return false
}

func isMarkdownItem(t string) bool { _, ok := markdownItem(t); return ok }

// markdownItem returns the text of a list item line ("- x", "* x", "+ x",
// "1. x", "1) x").
func markdownItem(t string) (string, bool) {
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || t[1] == '\t') {
		item := strings.TrimSpace(t[2:])
		// task list boxes
		for _, box := range []string{"[ ] ", "[x] ", "[X] "} {
			item = strings.TrimPrefix(item, box)
		}
		return item, true
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && (t[i+1] == ' ' || t[i+1] == '\t') {
		return strings.TrimSpace(t[i+2:]), true
	}
	return "", false
}

// markdownInline removes the inline marks of Markdown from one line. It
// is linear in the length of the line: brackets are paired in one pass.
func markdownInline(s string) string {
	links := markdownLinks(s)
	var sb strings.Builder
	noTagEnd := false
	for i := 0; i < len(s); {
		c := s[i]
		if after, ok := links[i]; ok {
			// "[" of a link is dropped, its "]" and target skipped;
			// an image is dropped whole.
			switch {
			case c == '!':
				i = after
			case c == '[':
				i++
			default:
				i = after
			}
			continue
		}
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_{}[]()#+-.!<>|~", s[i+1]) >= 0:
			sb.WriteByte(s[i+1])
			i += 2
			continue
		case c == '*' || c == '_' || c == '`' || c == '~':
			// emphasis, code and strike-through marks; an underscore
			// inside a word (snake_case) is kept
			if c == '_' && i > 0 && i+1 < len(s) && isWordByte(s[i-1]) && isWordByte(s[i+1]) {
				break
			}
			i++
			continue
		case c == '<' && !noTagEnd && isTagStart(s[i+1:]):
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				noTagEnd = true
				break
			}
			inner := s[i+1 : i+j]
			if strings.Contains(inner, "://") || strings.Contains(inner, "@") {
				sb.WriteString(inner) // autolink
			}
			i += j + 1
			continue
		}
		sb.WriteByte(c)
		i++
	}
	return strings.TrimSpace(sb.String())
}

// markdownLinks finds the links "[text](target)" and "[text][ref]" and
// images "![alt](target)" of a line. For a link it maps the index of "["
// to that of "]" and the index of "]" to the index after the target; for
// an image, the index of "!" to the index after the target.
func markdownLinks(s string) map[int]int {
	var links map[int]int
	var open []int
	// nextClose[k] is the index of the first ')' (or ']' for a
	// reference) at or after k, computed lazily from the end.
	var nextParen, nextBracket []int
	next := func(k int, closer byte) int {
		if nextParen == nil {
			nextParen, nextBracket = make([]int, len(s)+1), make([]int, len(s)+1)
			nextParen[len(s)], nextBracket[len(s)] = -1, -1
			for x := len(s) - 1; x >= 0; x-- {
				nextParen[x], nextBracket[x] = nextParen[x+1], nextBracket[x+1]
				switch s[x] {
				case ')':
					nextParen[x] = x
				case ']':
					nextBracket[x] = x
				}
			}
		}
		if k > len(s) {
			return -1
		}
		if closer == ')' {
			return nextParen[k]
		}
		return nextBracket[k]
	}
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '[':
			open = append(open, j)
		case ']':
			if len(open) == 0 {
				continue
			}
			i := open[len(open)-1]
			open = open[:len(open)-1]
			if j+1 >= len(s) || s[j+1] != '(' && s[j+1] != '[' {
				continue
			}
			closer := byte(')')
			if s[j+1] == '[' {
				closer = ']'
			}
			k := next(j+2, closer)
			if k < 0 {
				continue
			}
			if links == nil {
				links = map[int]int{}
			}
			if i > 0 && s[i-1] == '!' {
				links[i-1] = k + 1
			} else {
				links[i] = j
				links[j] = k + 1
			}
		}
	}
	return links
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func isTagStart(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c == '/' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// The text builder shared by the structured formats.

type blockKind int

const (
	blockPara blockKind = iota
	blockHeading
	blockItem
	blockRow
)

type textBlock struct {
	kind blockKind
	text string
}

// textBuilder collects the blocks of a document: paragraphs, headings,
// list items and table rows. Inline text has its white space collapsed;
// breaks inside a block become line ends.
type textBuilder struct {
	blocks  []textBlock
	cur     strings.Builder
	kind    blockKind
	space   bool // a space is pending
	breaks  int  // line ends pending
	cellSep bool // a cell separator is pending
	inRow   bool
	inCell  bool
	size    int
}

func (b *textBuilder) full() bool { return b.size > MaxPostingText }

// inline adds text, collapsing runs of white space to one space.
func (b *textBuilder) inline(s string) {
	for _, r := range s {
		b.char(r)
	}
}

func (b *textBuilder) char(r rune) {
	if unicode.IsSpace(r) || r == 0 {
		b.spaceNext()
		return
	}
	switch {
	case b.cellSep && b.cur.Len() > 0:
		b.cur.WriteString(" | ")
	case b.breaks > 0 && b.cur.Len() > 0:
		b.cur.WriteString(strings.Repeat("\n", b.breaks))
	case b.space && b.cur.Len() > 0:
		b.cur.WriteByte(' ')
	}
	b.cellSep, b.breaks, b.space = false, 0, false
	b.cur.WriteRune(r)
	b.size += utf8.RuneLen(r)
}

func (b *textBuilder) spaceNext() {
	if b.cur.Len() > 0 {
		b.space = true
	}
}

// lineBreak ends a line inside the block.
func (b *textBuilder) lineBreak() {
	if b.inCell {
		b.spaceNext()
		return
	}
	if b.cur.Len() > 0 && b.breaks < 2 {
		b.breaks++
	}
}

// open starts a block of the given kind. An empty list item stays one
// when a paragraph opens in it; in a table cell blocks are only spaces.
func (b *textBuilder) open(k blockKind) {
	if b.inCell {
		b.spaceNext()
		return
	}
	if b.cur.Len() == 0 && !b.inRow {
		// Nothing written yet: a paragraph opening in a list item or a
		// heading keeps that kind; a heading or an item replaces an
		// empty paragraph.
		if k != blockPara {
			b.kind = k
		}
		return
	}
	b.flush()
	b.kind = k
}

// close ends the current block.
func (b *textBuilder) close() {
	if b.inCell {
		b.spaceNext()
		return
	}
	b.flush()
}

func (b *textBuilder) flush() {
	text := b.cur.String()
	b.cur.Reset()
	b.space, b.breaks, b.cellSep = false, 0, false
	kind := b.kind
	b.kind = blockPara
	if strings.TrimSpace(text) == "" {
		return
	}
	if kind == blockPara {
		if item, ok := bulletItem(text); ok {
			kind, text = blockItem, item
		}
	}
	if kind == blockItem {
		text = "- " + text
	}
	b.blocks = append(b.blocks, textBlock{kind, text})
}

// bullets are the characters people type (or Word's Symbol font maps) at
// the start of a paragraph to make it a list item.
const bullets = "•◦▪▫●○■□‣⁃∙·–—*-\uF0B7\uF0A7\uF076\uF0D8\uF0FC"

// bulletItem recognises a paragraph typed as a list item ("• text").
func bulletItem(text string) (string, bool) {
	r, n := utf8.DecodeRuneInString(text)
	if n == 0 || !strings.ContainsRune(bullets, r) || n >= len(text) {
		return "", false
	}
	rest := text[n:]
	if rest[0] != ' ' && rest[0] != '\t' {
		return "", false
	}
	rest = strings.TrimSpace(rest)
	return rest, rest != ""
}

// startRow starts a table row; startCell a cell in it.
func (b *textBuilder) startRow() {
	b.inCell = false
	b.flush()
	b.kind = blockRow
	b.inRow = true
}

func (b *textBuilder) startCell() {
	if !b.inRow {
		b.startRow()
	}
	b.inCell = true
	if b.cur.Len() > 0 {
		b.cellSep = true
	}
}

func (b *textBuilder) endCell() {
	// the separator is written when the next cell brings text
	b.spaceNext()
}

func (b *textBuilder) endRow() {
	b.inCell = false
	b.inRow = false
	b.flush()
}

// String joins the blocks: list items and table rows one per line, other
// blocks with a blank line between them.
func (b *textBuilder) String() string {
	b.endRow()
	var sb strings.Builder
	for i, bl := range b.blocks {
		if i > 0 {
			prev := b.blocks[i-1].kind
			if prev == bl.kind && (bl.kind == blockItem || bl.kind == blockRow) {
				sb.WriteByte('\n')
			} else {
				sb.WriteString("\n\n")
			}
		}
		sb.WriteString(bl.text)
	}
	sb.WriteByte('\n')
	return sb.String()
}

// HTML

// htmlSkip are the elements whose content is not text of the page.
var htmlSkip = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "title": true, "svg": true, "math": true, "iframe": true, "object": true, "select": true, "textarea": true, "button": true}

// htmlBlocks are the elements that start and end a paragraph.
var htmlBlocks = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "header": true, "footer": true, "main": true,
	"nav": true, "aside": true, "blockquote": true, "pre": true, "address": true, "figure": true,
	"figcaption": true, "form": true, "fieldset": true, "legend": true, "dl": true, "dt": true, "dd": true,
	"hr": true, "ul": true, "ol": true, "menu": true, "table": true, "caption": true, "center": true,
	"details": true, "summary": true, "body": true, "html": true, "head": true, "label": true,
}

// htmlText extracts the text of an HTML page with a small tokenizer:
// tags, comments, doctype and processing instructions, the content of
// script-like elements skipped, entities decoded.
func htmlText(s, name string) (string, error) {
	var b textBuilder
	for i := 0; i < len(s); {
		if b.full() {
			break
		}
		c := s[i]
		switch c {
		case '<':
			switch {
			case strings.HasPrefix(s[i:], "<!--"):
				if j := strings.Index(s[i+4:], "-->"); j >= 0 {
					i += 4 + j + 3
				} else {
					i = len(s)
				}
				continue
			case strings.HasPrefix(s[i:], "<![CDATA["):
				j := strings.Index(s[i:], "]]>")
				if j < 0 {
					b.inline(s[i+9:])
					i = len(s)
				} else {
					b.inline(s[i+9 : i+j])
					i += j + 3
				}
				continue
			case strings.HasPrefix(s[i:], "<!") || strings.HasPrefix(s[i:], "<?"):
				if j := strings.IndexByte(s[i:], '>'); j >= 0 {
					i += j + 1
				} else {
					i = len(s)
				}
				continue
			case i+1 < len(s) && isTagStart(s[i+1:]):
				tag, end := parseTag(s, i)
				i = end
				if !tag.closing && htmlSkip[tag.name] && !tag.selfClosing {
					i = skipRawText(s, i, tag.name)
					continue
				}
				htmlTag(&b, tag)
				continue
			}
			b.char('<')
			i++
		case '&':
			r, n := decodeEntity(s[i:])
			b.inline(r)
			i += n
		default:
			j := i + 1
			for j < len(s) && s[j] != '<' && s[j] != '&' {
				j++
			}
			b.inline(s[i:j])
			i = j
		}
	}
	if b.full() {
		return "", fmt.Errorf("%s: the page has more than %d MB of text; paste only the posting: %w", name, MaxPostingText>>20, ErrPostingTooLarge)
	}
	return b.String(), nil
}

type htmlTagToken struct {
	name        string
	closing     bool
	selfClosing bool
}

// parseTag reads the tag at s[i] ("<" then a letter or "/") and returns it
// with the index after its ">". Attribute values in quotes may hold ">".
func parseTag(s string, i int) (htmlTagToken, int) {
	var t htmlTagToken
	j := i + 1
	if j < len(s) && s[j] == '/' {
		t.closing = true
		j++
	}
	start := j
	for j < len(s) && !isHTMLSpace(s[j]) && s[j] != '>' && s[j] != '/' {
		j++
	}
	t.name = strings.ToLower(s[start:j])
	if k := strings.IndexByte(t.name, ':'); k >= 0 {
		t.name = t.name[k+1:] // o:p and other prefixed names of Word's HTML
	}
	var quote byte
	for ; j < len(s); j++ {
		c := s[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			t.selfClosing = j > 0 && s[j-1] == '/'
			return t, j + 1
		}
	}
	return t, len(s)
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// skipRawText skips the content of a script-like element up to and
// including its end tag.
func skipRawText(s string, i int, name string) int {
	end := "</" + name
	for {
		j := indexFold(s[i:], end)
		if j < 0 {
			return len(s)
		}
		k := i + j + len(end)
		if k >= len(s) || isHTMLSpace(s[k]) || s[k] == '>' || s[k] == '/' {
			if g := strings.IndexByte(s[k:], '>'); g >= 0 {
				return k + g + 1
			}
			return len(s)
		}
		i = k
	}
}

// indexFold is strings.Index ignoring ASCII case of sub (lower case).
func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if s[i] == '<' && strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

// htmlTag applies a tag to the builder.
func htmlTag(b *textBuilder, t htmlTagToken) {
	switch t.name {
	case "br":
		b.lineBreak()
	case "h1", "h2", "h3", "h4", "h5", "h6":
		if t.closing {
			b.close()
		} else {
			b.open(blockHeading)
		}
	case "li":
		if t.closing {
			b.close()
		} else {
			b.open(blockItem)
		}
	case "tr":
		if t.closing {
			b.endRow()
		} else {
			b.startRow()
		}
	case "td", "th":
		if t.closing {
			b.endCell()
		} else {
			b.startCell()
		}
	case "table", "thead", "tbody", "tfoot":
		if b.inRow {
			b.endRow()
		}
		b.close()
	case "img", "input", "wbr":
	default:
		if htmlBlocks[t.name] {
			if t.closing || t.name == "hr" {
				b.close()
			} else {
				b.open(blockPara)
			}
		}
	}
}

// decodeEntity decodes the character reference at the start of s (which
// starts with "&"), returning its text and its length; an unknown one is
// a literal "&".
func decodeEntity(s string) (string, int) {
	if len(s) > 2 && s[1] == '#' {
		j := 2
		base := 10
		if s[j] == 'x' || s[j] == 'X' {
			base = 16
			j++
		}
		k := j
		for k < len(s) && isDigitBase(s[k], base) {
			k++
		}
		if k == j {
			return "&", 1
		}
		n, err := strconv.ParseUint(s[j:k], base, 32)
		end := k
		if end < len(s) && s[end] == ';' {
			end++
		}
		if err != nil {
			return "\uFFFD", end
		}
		r := rune(n)
		switch {
		case r >= 0x80 && r < 0xA0:
			// browsers read these as Windows-1252
			if w := win1252Rune(byte(r)); w != 0 {
				r = w
			}
		case r == 0 || r > unicode.MaxRune || r >= 0xD800 && r < 0xE000:
			r = '\uFFFD'
		}
		return string(r), end
	}
	j := 1
	for j < len(s) && j < 33 && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	name := s[1:j]
	if r, ok := htmlEntities[name]; ok {
		if j < len(s) && s[j] == ';' {
			return r, j + 1
		}
		// the old entities are recognised without a semicolon
		switch name {
		case "amp", "lt", "gt", "quot", "nbsp", "AMP", "LT", "GT", "QUOT":
			return r, j
		}
	}
	return "&", 1
}

func isDigitBase(c byte, base int) bool {
	if c >= '0' && c <= '9' {
		return true
	}
	return base == 16 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')
}

// htmlEntities are the named character references found in postings:
// markup, spaces, punctuation and the letters of French and the other
// Western European languages.
var htmlEntities = map[string]string{
	"amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "AMP": "&", "LT": "<", "GT": ">", "QUOT": "\"",
	"nbsp": "\u00A0", "ensp": "\u2002", "emsp": "\u2003", "thinsp": "\u2009", "zwnj": "", "zwj": "", "lrm": "", "rlm": "", "shy": "",
	"ndash": "–", "mdash": "—", "hellip": "…", "bull": "•", "middot": "·", "laquo": "«", "raquo": "»",
	"lsquo": "‘", "rsquo": "’", "sbquo": "‚", "ldquo": "“", "rdquo": "”", "bdquo": "„", "lsaquo": "‹", "rsaquo": "›",
	"prime": "′", "Prime": "″", "dagger": "†", "Dagger": "‡", "permil": "‰", "minus": "−", "times": "×", "divide": "÷",
	"plusmn": "±", "deg": "°", "micro": "µ", "para": "¶", "sect": "§", "copy": "©", "reg": "®", "trade": "™",
	"euro": "€", "cent": "¢", "pound": "£", "yen": "¥", "curren": "¤", "iexcl": "¡", "iquest": "¿",
	"ordf": "ª", "ordm": "º", "sup1": "¹", "sup2": "²", "sup3": "³", "frac14": "¼", "frac12": "½", "frac34": "¾",
	"larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "check": "✓", "hyphen": "‐", "colon": ":", "semi": ";",
	"comma": ",", "period": ".", "excl": "!", "quest": "?", "num": "#", "percnt": "%", "commat": "@", "lpar": "(", "rpar": ")",
	"agrave": "à", "aacute": "á", "acirc": "â", "atilde": "ã", "auml": "ä", "aring": "å", "aelig": "æ",
	"ccedil": "ç", "egrave": "è", "eacute": "é", "ecirc": "ê", "euml": "ë", "igrave": "ì", "iacute": "í",
	"icirc": "î", "iuml": "ï", "eth": "ð", "ntilde": "ñ", "ograve": "ò", "oacute": "ó", "ocirc": "ô",
	"otilde": "õ", "ouml": "ö", "oslash": "ø", "oelig": "œ", "ugrave": "ù", "uacute": "ú", "ucirc": "û",
	"uuml": "ü", "yacute": "ý", "yuml": "ÿ", "thorn": "þ", "szlig": "ß",
	"Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Atilde": "Ã", "Auml": "Ä", "Aring": "Å", "AElig": "Æ",
	"Ccedil": "Ç", "Egrave": "È", "Eacute": "É", "Ecirc": "Ê", "Euml": "Ë", "Igrave": "Ì", "Iacute": "Í",
	"Icirc": "Î", "Iuml": "Ï", "ETH": "Ð", "Ntilde": "Ñ", "Ograve": "Ò", "Oacute": "Ó", "Ocirc": "Ô",
	"Otilde": "Õ", "Ouml": "Ö", "Oslash": "Ø", "OElig": "Œ", "Ugrave": "Ù", "Uacute": "Ú", "Ucirc": "Û",
	"Uuml": "Ü", "Yacute": "Ý", "Yuml": "Ÿ", "THORN": "Þ",
}

// RTF

// rtfSkip are the destinations whose content is not text of the document.
var rtfSkip = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "info": true, "pict": true, "object": true,
	"header": true, "headerl": true, "headerr": true, "headerf": true, "footer": true, "footerl": true,
	"footerr": true, "footerf": true, "fldinst": true, "themedata": true, "colorschememapping": true,
	"latentstyles": true, "datastore": true, "xmlnstbl": true, "listtable": true, "listoverridetable": true,
	"rsidtbl": true, "generator": true, "filetbl": true, "revtbl": true, "bkmkstart": true, "bkmkend": true,
	"shppict": true, "nonshppict": true, "pgdsctbl": true, "mmathPr": true, "wgrffmtfilter": true, "xe": true,
	"tc": true, "footnote": true, "annotation": true, "atnid": true, "atnauthor": true, "template": true,
	"operator": true, "author": true, "title": true, "subject": true, "keywords": true, "comment": true,
	"doccomm": true, "company": true, "defchp": true, "defpap": true, "expandedcolortbl": true, "userprops": true,
	"formfield": true, "datafield": true, "sp": true, "sn": true, "sv": true, "objdata": true, "blipuid": true,
	"listtext": true, "pntext": true, "pntxta": true, "pntxtb": true, "pn": true, "fldtype": true,
}

// rtfSymbols are the control words that stand for a character.
var rtfSymbols = map[string]string{
	"emdash": "—", "endash": "–", "bullet": "•", "lquote": "‘", "rquote": "’", "ldblquote": "“", "rdblquote": "”",
	"emspace": " ", "enspace": " ", "qmspace": " ", "zwj": "", "zwnj": "", "ltrmark": "", "rtlmark": "",
}

type rtfState struct {
	skip   bool
	ucSkip int
}

// rtfText extracts the text of an RTF document: groups, control words
// and symbols, \'hh bytes in the declared code page (Windows-1252),
// \uN with its fallback skipped, destinations that hold no text skipped,
// paragraphs, line breaks, list paragraphs (\ls, \listtext), headings
// (\outlinelevel) and tables (\cell, \row).
func rtfText(s []byte, name string) (string, error) {
	var b textBuilder
	st := rtfState{ucSkip: 1}
	var stack []rtfState
	pendingSkip := 0 // characters of a \u fallback still to skip
	item, heading, intbl := false, false, false
	codepage := 1252
	// item and heading are paragraph properties (reset by \pard): the
	// kind of block is decided at the first character of the paragraph.
	text := func(str string) {
		if st.skip {
			return
		}
		if b.cur.Len() == 0 && !b.inCell && !b.inRow {
			switch {
			case heading:
				b.kind = blockHeading
			case item:
				b.kind = blockItem
			}
		}
		b.inline(str)
	}
	for i := 0; i < len(s); {
		if b.full() {
			return "", fmt.Errorf("%s: the document has more than %d MB of text; paste only the posting: %w", name, MaxPostingText>>20, ErrPostingTooLarge)
		}
		c := s[i]
		switch c {
		case '{':
			if len(stack) > 10000 {
				return "", fmt.Errorf("%s: groups nested more than 10000 deep; the RTF file is damaged: %w", name, ErrPostingDamaged)
			}
			stack = append(stack, st)
			pendingSkip = 0
			i++
		case '}':
			if len(stack) > 0 {
				st = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
			pendingSkip = 0
			i++
		case '\r', '\n':
			i++
		case '\\':
			i++
			if i >= len(s) {
				break
			}
			c = s[i]
			switch {
			case isASCIILetter(c):
				j := i
				for j < len(s) && j-i < 32 && isASCIILetter(s[j]) {
					j++
				}
				word := string(s[i:j])
				k := j
				if k < len(s) && s[k] == '-' {
					k++
				}
				for k < len(s) && k-j < 11 && s[k] >= '0' && s[k] <= '9' {
					k++
				}
				param, hasParam := 0, false
				if k > j && !(k == j+1 && s[j] == '-') {
					param, _ = strconv.Atoi(string(s[j:k]))
					hasParam = true
				}
				if k < len(s) && s[k] == ' ' {
					k++
				}
				i = k
				if pendingSkip > 0 && word != "u" {
					pendingSkip--
					continue
				}
				if word == "bin" && hasParam {
					// binary data of a picture or object
					if param > 0 {
						i += min(param, len(s)-i)
					}
					continue
				}
				if rtfSkip[word] {
					if (word == "listtext" || word == "pntext") && !st.skip {
						item = true
					}
					st.skip = true
					continue
				}
				if st.skip {
					// control words of a skipped destination (such as
					// the \pard of \listtext) change nothing
					continue
				}
				switch {
				case word == "u" && hasParam:
					r := rune(param)
					if r < 0 {
						r += 65536
					}
					if r >= 0xD800 && r < 0xDC00 {
						// high surrogate: the low one follows as \uN
						lo, n := rtfLowSurrogate(s[i:], st.ucSkip)
						if n > 0 {
							r = utf16.DecodeRune(r, lo)
							i += n
						}
					}
					if utf8.ValidRune(r) {
						text(string(r))
					}
					pendingSkip = st.ucSkip
				case word == "uc" && hasParam:
					st.ucSkip = max(param, 0)
				case word == "par" || word == "sect" || word == "page":
					if !st.skip {
						if b.inCell || intbl && b.inRow {
							b.spaceNext()
						} else {
							b.close()
						}
					}
				case word == "line":
					if !st.skip {
						b.lineBreak()
					}
				case word == "tab":
					if !st.skip {
						b.spaceNext()
					}
				case word == "pard":
					item, heading, intbl = false, false, false
				case word == "intbl":
					intbl = true
				case word == "ansicpg" && hasParam:
					codepage = param
				case word == "mac":
					codepage = 10000
				case word == "pc":
					codepage = 437
				case word == "pca":
					codepage = 850
				case word == "ls":
					item = true
				case word == "outlinelevel":
					heading = true
				case word == "trowd":
					if !b.inRow && !st.skip {
						b.startRow()
					}
				case word == "cell" || word == "nestcell":
					if !st.skip {
						if !b.inRow {
							b.startRow()
						}
						b.inCell = true
						b.endCell()
						if b.cur.Len() > 0 {
							b.cellSep = true
						}
					}
				case word == "row" || word == "nestrow":
					if !st.skip {
						b.endRow()
					}
				case rtfSymbols[word] != "" || word == "zwj" || word == "zwnj":
					text(rtfSymbols[word])
				}
			case c == '\'':
				if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
					v, _ := strconv.ParseUint(string(s[i+1:i+3]), 16, 8)
					i += 3
					if pendingSkip > 0 {
						pendingSkip--
						continue
					}
					if v >= 0x80 && !st.skip && codepage != 1252 && codepage != 28591 && codepage != 819 && codepage != 0 {
						return "", fmt.Errorf("%s: the RTF file uses code page %d, which Skillmatch does not read (it reads Windows-1252 and Unicode); save the posting as .docx or as UTF-8 .txt: %w", name, codepage, ErrPostingUnsupported)
					}
					if r := win1252Rune(byte(v)); r != 0 {
						text(string(r))
					}
				} else {
					i++
				}
			case c == '*':
				st.skip = true
				i++
			case c == '\\' || c == '{' || c == '}':
				i++
				if pendingSkip > 0 {
					pendingSkip--
					continue
				}
				text(string(c))
			case c == '~':
				i++
				text("\u00A0")
			case c == '_':
				i++
				text("-")
			case c == '\r' || c == '\n':
				i++
				if !st.skip && !b.inCell {
					b.close()
				}
			default:
				// \- (optional hyphen), \: (index entry) and unknown symbols
				i++
			}
		default:
			i++
			if pendingSkip > 0 {
				pendingSkip--
				continue
			}
			if c == '\t' {
				if !st.skip {
					b.spaceNext()
				}
				continue
			}
			if c < 0x80 {
				text(string(rune(c)))
			} else if r := win1252Rune(c); r != 0 {
				text(string(r))
			}
		}
	}
	return b.String(), nil
}

// rtfLowSurrogate reads "\uN" (with the fallback of an earlier \uN to
// skip first) at the start of s for the low half of a surrogate pair.
func rtfLowSurrogate(s []byte, skip int) (rune, int) {
	i := 0
	for ; skip > 0 && i < len(s); skip-- {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == '\'' {
			i += 4
		} else if s[i] != '\\' {
			i++
		} else {
			break
		}
	}
	if !bytes.HasPrefix(s[i:], []byte(`\u`)) {
		return 0, 0
	}
	j := i + 2
	k := j
	if k < len(s) && s[k] == '-' {
		k++
	}
	for k < len(s) && s[k] >= '0' && s[k] <= '9' && k-j < 7 {
		k++
	}
	n, err := strconv.Atoi(string(s[j:k]))
	if err != nil {
		return 0, 0
	}
	if n < 0 {
		n += 65536
	}
	if n < 0xDC00 || n >= 0xE000 {
		return 0, 0
	}
	if k < len(s) && s[k] == ' ' {
		k++
	}
	return rune(n), k
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isHex(c byte) bool { return isDigitBase(c, 16) }

// Word and OpenDocument

// zipText reads a Word (.docx) or OpenDocument text (.odt) document.
func zipText(b []byte, name string) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", fmt.Errorf("%s: the document is damaged (%v); open it in Word or LibreOffice and save it again: %w", name, err, ErrPostingDamaged)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	if f := files["word/document.xml"]; f != nil {
		doc, err := readZipEntry(f, name)
		if err != nil {
			return "", err
		}
		var styles []byte
		if sf := files["word/styles.xml"]; sf != nil {
			if styles, err = readZipEntry(sf, name); err != nil {
				return "", err
			}
		}
		return docxText(doc, styles, name)
	}
	if f := files["content.xml"]; f != nil {
		if mf := files["META-INF/manifest.xml"]; mf != nil {
			manifest, err := readZipEntry(mf, name)
			if err != nil {
				return "", err
			}
			if bytes.Contains(manifest, []byte("encryption-data")) {
				return "", fmt.Errorf("%s: the document is password-protected; open it in LibreOffice, remove the password and save it again, or paste its text: %w", name, ErrPostingEncrypted)
			}
		}
		if mf := files["mimetype"]; mf != nil {
			mt, err := readZipEntry(mf, name)
			if err != nil {
				return "", err
			}
			if m := strings.TrimSpace(string(mt)); !strings.HasPrefix(m, "application/vnd.oasis.opendocument.text") {
				return "", fmt.Errorf("%s: this OpenDocument file is %s, not a text document; save the posting as .odt or .docx: %w", name, m, ErrPostingUnsupported)
			}
		}
		content, err := readZipEntry(f, name)
		if err != nil {
			return "", err
		}
		return odtText(content, name)
	}
	return "", fmt.Errorf("%s: this ZIP file is not a Word (.docx) or OpenDocument (.odt) text document; save the posting as .docx, .odt or .txt: %w", name, ErrPostingUnsupported)
}

// readZipEntry reads one entry of a document, refusing encrypted entries
// and ZIP bombs.
func readZipEntry(f *zip.File, name string) ([]byte, error) {
	if f.Flags&1 != 0 {
		return nil, fmt.Errorf("%s: %s is encrypted; remove the document's password and save it again, or paste its text: %w", name, f.Name, ErrPostingEncrypted)
	}
	if f.UncompressedSize64 > maxZipEntry {
		return nil, fmt.Errorf("%s: %s would uncompress to more than %d MB; this is not a posting: %w", name, f.Name, maxZipEntry>>20, ErrPostingTooLarge)
	}
	if f.UncompressedSize64 > zipRatioFloor && f.UncompressedSize64 > maxZipRatio*f.CompressedSize64 {
		return nil, fmt.Errorf("%s: %s is compressed %d times, a ZIP bomb; this is not a posting: %w", name, f.Name, f.UncompressedSize64/max(f.CompressedSize64, 1), ErrPostingTooLarge)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %s cannot be read (%v); the document is damaged, save it again: %w", name, f.Name, err, ErrPostingDamaged)
	}
	defer rc.Close()
	// The sizes in the ZIP directory may lie: read no more than allowed.
	b, err := io.ReadAll(io.LimitReader(rc, maxZipEntry+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %s cannot be read (%v); the document is damaged, save it again: %w", name, f.Name, err, ErrPostingDamaged)
	}
	if len(b) > maxZipEntry {
		return nil, fmt.Errorf("%s: %s uncompresses to more than %d MB; this is not a posting: %w", name, f.Name, maxZipEntry>>20, ErrPostingTooLarge)
	}
	return b, nil
}

// The WordprocessingML namespaces, transitional and strict.
const (
	nsWord       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWordStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMarkup     = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

func isWord(n xml.Name, local string) bool {
	return n.Local == local && (n.Space == nsWord || n.Space == nsWordStrict)
}

func wordVal(e xml.StartElement) string {
	for _, a := range e.Attr {
		if a.Name.Local == "val" {
			return a.Value
		}
	}
	return ""
}

// docxStyle is what a paragraph style says about structure.
type docxStyle struct {
	name    string
	basedOn string
	list    bool
	outline bool
}

// docxStyles reads word/styles.xml: the paragraph styles' names, and
// whether they number paragraphs or give them an outline level.
func docxStyles(b []byte, name string) (map[string]*docxStyle, error) {
	styles := map[string]*docxStyle{}
	if len(b) == 0 {
		return styles, nil
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	var cur *docxStyle
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return styles, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: word/styles.xml is damaged (%v); open the document in Word and save it again: %w", name, err, ErrPostingDamaged)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case isWord(t.Name, "style"):
				cur = &docxStyle{}
				for _, a := range t.Attr {
					if a.Name.Local == "styleId" {
						styles[a.Value] = cur
					}
				}
			case cur == nil:
			case isWord(t.Name, "name"):
				cur.name = wordVal(t)
			case isWord(t.Name, "basedOn"):
				cur.basedOn = wordVal(t)
			case isWord(t.Name, "numId"):
				cur.list = wordVal(t) != "0"
			case isWord(t.Name, "outlineLvl"):
				if v, err := strconv.Atoi(wordVal(t)); err == nil && v < 9 {
					cur.outline = true
				}
			}
		case xml.EndElement:
			if isWord(t.Name, "style") {
				cur = nil
			}
		}
	}
}

// styleKind tells whether the paragraph style id makes a heading or a list
// item, following basedOn.
func styleKind(styles map[string]*docxStyle, id string) blockKind {
	for depth := 0; id != "" && depth < 20; depth++ {
		s := styles[id]
		if s == nil {
			break
		}
		if s.outline || isHeadingStyle(s.name) {
			return blockHeading
		}
		if s.list {
			return blockItem
		}
		id = s.basedOn
	}
	if isHeadingStyle(id) {
		return blockHeading
	}
	return blockPara
}

// isHeadingStyle recognises heading style names and ids: "heading 1",
// "Heading1", "Titre 2", "Titre1", "Title", "Titre".
func isHeadingStyle(s string) bool {
	l := strings.ToLower(strings.ReplaceAll(s, " ", ""))
	for _, p := range []string{"heading", "titre", "title", "überschrift", "encabezado", "titolo"} {
		if rest, ok := strings.CutPrefix(l, p); ok && strings.Trim(rest, "0123456789") == "" {
			return true
		}
	}
	return false
}

// docxText extracts the text of word/document.xml: paragraphs, headings
// (heading styles or outline levels), list paragraphs (numbering), runs
// (text, tabs, breaks), tables; deleted text, field codes and the
// fallback copies of drawings are skipped.
func docxText(doc, stylesXML []byte, name string) (string, error) {
	styles, err := docxStyles(stylesXML, name)
	if err != nil {
		return "", err
	}
	var b textBuilder
	d := xml.NewDecoder(bytes.NewReader(doc))
	inText := false
	skipDepth := 0 // > 0 inside an element whose content is skipped
	tables := 0    // tables open; the cells of nested tables are text of the outer cell
	for {
		if b.full() {
			return "", fmt.Errorf("%s: the document has more than %d MB of text; paste only the posting: %w", name, MaxPostingText>>20, ErrPostingTooLarge)
		}
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%s: word/document.xml is damaged (%v); open the document in Word and save it again: %w", name, err, ErrPostingDamaged)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skipDepth > 0 {
				skipDepth++
				continue
			}
			if t.Name.Space == nsMarkup && t.Name.Local == "Fallback" {
				skipDepth = 1
				continue
			}
			if t.Name.Space != nsWord && t.Name.Space != nsWordStrict {
				continue
			}
			switch t.Name.Local {
			case "delText", "instrText", "delInstrText", "footnoteReference", "endnoteReference", "commentReference",
				"tabs", "pPrChange", "rPrChange", "sectPr":
				// deleted text, field codes, tab stops and former properties
				skipDepth = 1
			case "p":
				b.open(blockPara)
			case "pStyle":
				if !b.inCell {
					if k := styleKind(styles, wordVal(t)); k != blockPara && b.cur.Len() == 0 {
						b.kind = k
					}
				}
			case "numPr":
				if !b.inCell && b.kind == blockPara && b.cur.Len() == 0 {
					b.kind = blockItem
				}
			case "numId":
				if wordVal(t) == "0" && b.kind == blockItem && b.cur.Len() == 0 {
					b.kind = blockPara
				}
			case "outlineLvl":
				if v, err := strconv.Atoi(wordVal(t)); err == nil && v < 9 && !b.inCell && b.cur.Len() == 0 {
					b.kind = blockHeading
				}
			case "t":
				inText = true
			case "tab", "ptab":
				b.spaceNext()
			case "br", "cr":
				b.lineBreak()
			case "noBreakHyphen":
				b.char('-')
			case "sym":
				for _, a := range t.Attr {
					if a.Name.Local == "char" {
						if v, err := strconv.ParseUint(a.Value, 16, 32); err == nil {
							if r := rune(v); r >= 0xF000 && r < 0xF100 {
								if strings.ContainsRune(bullets, r) {
									b.char('•')
								}
							} else if utf8.ValidRune(r) {
								b.char(r)
							}
						}
					}
				}
			case "tbl":
				tables++
				if tables == 1 {
					b.close()
				}
			case "tr":
				if tables == 1 {
					b.startRow()
				}
			case "tc":
				if tables == 1 {
					b.startCell()
				}
			}
		case xml.EndElement:
			if skipDepth > 0 {
				skipDepth--
				continue
			}
			if t.Name.Space != nsWord && t.Name.Space != nsWordStrict {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				b.close()
			case "tc":
				if tables == 1 {
					b.endCell()
				}
			case "tr":
				if tables == 1 {
					b.endRow()
				}
			case "tbl":
				tables--
				if tables == 0 {
					b.endRow()
				}
			}
		case xml.CharData:
			if inText && skipDepth == 0 {
				b.inline(string(t))
			}
		}
	}
	return b.String(), nil
}

// The OpenDocument namespaces.
const (
	nsODText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsODTable  = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsODOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
)

// odtText extracts the text of content.xml: headings (text:h), paragraphs,
// list items, tabs, line breaks, spaces (text:s) and tables; notes,
// annotations and tracked deletions are skipped.
func odtText(content []byte, name string) (string, error) {
	var b textBuilder
	d := xml.NewDecoder(bytes.NewReader(content))
	skipDepth := 0
	tables := 0
	inBody := false
	for {
		if b.full() {
			return "", fmt.Errorf("%s: the document has more than %d MB of text; paste only the posting: %w", name, MaxPostingText>>20, ErrPostingTooLarge)
		}
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%s: content.xml is damaged (%v); open the document in LibreOffice and save it again: %w", name, err, ErrPostingDamaged)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skipDepth > 0 {
				skipDepth++
				continue
			}
			n := t.Name
			switch {
			case n.Space == nsODOffice && n.Local == "body":
				inBody = true
			case n.Space == nsODOffice && n.Local == "annotation":
				skipDepth = 1
			case n.Space == nsODText:
				switch n.Local {
				case "note", "tracked-changes", "table-of-content", "sequence-decls", "variable-decls", "user-field-decls", "index-title-template", "table-of-content-source", "alphabetical-index-source":
					skipDepth = 1
				case "h":
					b.open(blockHeading)
				case "p":
					b.open(blockPara)
				case "list-item", "list-header":
					b.open(blockItem)
				case "tab":
					b.spaceNext()
				case "line-break":
					b.lineBreak()
				case "s":
					b.spaceNext()
				}
			case n.Space == nsODTable:
				switch n.Local {
				case "table":
					tables++
					if tables == 1 {
						b.close()
					}
				case "table-row":
					if tables == 1 {
						b.startRow()
					}
				case "table-cell":
					if tables == 1 {
						b.startCell()
					}
				case "covered-table-cell":
					skipDepth = 1
				}
			}
		case xml.EndElement:
			if skipDepth > 0 {
				skipDepth--
				continue
			}
			n := t.Name
			switch {
			case n.Space == nsODOffice && n.Local == "body":
				inBody = false
			case n.Space == nsODText:
				switch n.Local {
				case "h", "p", "list-item", "list-header":
					b.close()
				}
			case n.Space == nsODTable:
				switch n.Local {
				case "table":
					tables--
					if tables == 0 {
						b.endRow()
					}
				case "table-row":
					if tables == 1 {
						b.endRow()
					}
				case "table-cell":
					if tables == 1 {
						b.endCell()
					}
				}
			}
		case xml.CharData:
			if inBody && skipDepth == 0 {
				b.inline(string(t))
			}
		}
	}
	return b.String(), nil
}
