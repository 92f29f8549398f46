package data

// Reading job postings from the documents recruiters have: plain text in
// UTF-8, UTF-16 or Windows-1252, Markdown, HTML, RTF, Word (.docx) and
// OpenDocument (.odt). The output is plain text whose lines keep the
// structure the requirement extractor relies on: headings alone on their
// line, one list item per line prefixed with "- ", a blank line between
// paragraphs and table cells separated by " | ".

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
