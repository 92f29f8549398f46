package app

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// pdfDoc is a small PDF writer for the hiring manager's report: A4 pages
// of text in the standard Helvetica fonts (WinAnsi encoding, which covers
// English and French) and filled rectangles for the fit chart. It needs no
// font files and no library.
type pdfDoc struct {
	pages []*bytes.Buffer
	y     float64 // baseline of the next line on the current page
}

const (
	pdfW, pdfH   = 595.0, 842.0 // A4 in points
	pdfMargin    = 50.0
	pdfTextWidth = pdfW - 2*pdfMargin
)

func newPDF() *pdfDoc {
	d := &pdfDoc{}
	d.newPage()
	return d
}

func (d *pdfDoc) newPage() {
	d.pages = append(d.pages, &bytes.Buffer{})
	d.y = pdfH - pdfMargin
}

func (d *pdfDoc) page() *bytes.Buffer { return d.pages[len(d.pages)-1] }

// need starts a new page unless h points are left on this one.
func (d *pdfDoc) need(h float64) {
	if d.y-h < pdfMargin {
		d.newPage()
	}
}

// text writes a paragraph, wrapped to the text width, at size points,
// bold or not, indented by indent points.
func (d *pdfDoc) text(s string, size float64, bold bool, indent float64) {
	font := "F1"
	if bold {
		font = "F2"
	}
	lead := size * 1.3
	for _, line := range wrapPDF(s, size, pdfTextWidth-indent) {
		d.need(lead)
		d.y -= lead
		fmt.Fprintf(d.page(), "BT /%s %.1f Tf %.1f %.1f Td (%s) Tj ET\n", font, size, pdfMargin+indent, d.y, pdfString(line))
	}
}

// space leaves h points of vertical space.
func (d *pdfDoc) space(h float64) {
	d.need(h)
	d.y -= h
}

// bar draws a labelled horizontal bar of value in [0,1] (the fit chart).
func (d *pdfDoc) bar(label string, value float64, note string) {
	const h, labelW = 14.0, 170.0
	d.need(h + 4)
	d.y -= h + 4
	p := d.page()
	fmt.Fprintf(p, "BT /F1 9 Tf %.1f %.1f Td (%s) Tj ET\n", pdfMargin, d.y+3, pdfString(truncatePDF(label, 9, labelW-6)))
	w := (pdfTextWidth - labelW - 60) * max(0, min(1, value))
	fmt.Fprintf(p, "0.85 0.88 0.95 rg %.1f %.1f %.1f %.1f re f\n", pdfMargin+labelW, d.y, pdfTextWidth-labelW-60, h)
	fmt.Fprintf(p, "0.16 0.38 0.85 rg %.1f %.1f %.1f %.1f re f\n0 0 0 rg\n", pdfMargin+labelW, d.y, w, h)
	fmt.Fprintf(p, "BT /F1 9 Tf %.1f %.1f Td (%s) Tj ET\n", pdfW-pdfMargin-55, d.y+3, pdfString(note))
}

// write assembles the document.
func (d *pdfDoc) write(w io.Writer, title string) error {
	var out bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	n := len(d.pages)
	// 1 catalog, 2 pages, 3–4 fonts, 5 info, then a page and its content per page
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, n)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 6+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	obj(fmt.Sprintf("<< /Title (%s) /Producer (Skillmatch) >>", pdfString(title)))
	for i, p := range d.pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>", pdfW, pdfH, 7+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", p.Len(), p.String()))
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	_, err := w.Write(out.Bytes())
	return err
}

// winAnsi maps the characters outside Latin-1 that reports use to their
// WinAnsiEncoding bytes; other characters outside Latin-1 become '?'
// (marks such as ✓ and ✗ are written as words by the caller).
var winAnsi = map[rune]byte{
	'€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, 'œ': 0x9c, 'Œ': 0x8c,
}

// pdfString encodes s for a PDF literal string in WinAnsiEncoding.
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		var c byte
		switch {
		case r < 0x80:
			c = byte(r)
		case winAnsi[r] != 0:
			c = winAnsi[r]
		case r >= 0xa0 && r <= 0xff:
			c = byte(r)
		case r == '\u00a0' || r == '\u202f':
			c = ' '
		default:
			c = '?'
		}
		switch c {
		case '(', ')', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			if c >= 0x80 {
				fmt.Fprintf(&b, "\\%03o", c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// charWidth approximates Helvetica's advance width of r, in thousandths
// of the font size (narrow letters, wide capitals, average otherwise).
func charWidth(r rune) float64 {
	switch {
	case strings.ContainsRune("iljtfI.,;:!'|", r):
		return 280
	case r == ' ':
		return 278
	case strings.ContainsRune("mwMW", r):
		return 860
	case r >= 'A' && r <= 'Z':
		return 680
	case r >= '0' && r <= '9':
		return 556
	}
	return 540
}

func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += charWidth(r)
	}
	return w * size / 1000
}

// wrapPDF splits s into lines that fit width at size.
func wrapPDF(s string, size, width float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && textWidth(try, size) > width {
				lines = append(lines, line)
				line = word
				continue
			}
			line = try
		}
		lines = append(lines, line)
	}
	return lines
}

func truncatePDF(s string, size, width float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && textWidth(string(r)+"…", size) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
