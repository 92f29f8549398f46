package credential

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"unicode/utf8"
)

// Baked badges: an Open Badge carried inside its own image.
//
//   - PNG: an iTXt chunk with keyword "openbadges" (Open Badges 2.0) or
//     "openbadgecredential" (Open Badges 3.0) whose text is the assertion
//     JSON, a JWS/JWT, or — for hosted 2.0 badges — the assertion's URL.
//     Open Badges 1.x used a tEXt chunk holding the URL; it is read too.
//   - SVG: an <openbadges:assertion> (2.0) or <openbadges:credential> (3.0)
//     element in the http://openbadges.org namespace whose CDATA body is
//     the JSON, or whose verify attribute is the URL or the JWS.
//
// Parse unbakes such an image and parses what it holds; the Credential
// keeps the whole image in Raw and Image. BakePNG and BakeSVG do the
// reverse (for demo data and tests).

// Baking keywords and the SVG namespace.
const (
	bakedKeyword2 = "openbadges"
	bakedKeyword3 = "openbadgecredential"
	bakedSVGNS    = "http://openbadges.org"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// Baked is what an image holds.
type Baked struct {
	// Container is "png" or "svg".
	Container string
	// Version is 2 or 3 after the keyword/element; 1 for a legacy tEXt
	// chunk.
	Version int
	// Payload is the baked text: JSON, a compact JWS/JWT, or a URL.
	Payload []byte
	// URL is true when the payload is the URL of a hosted assertion.
	URL bool
}

func init() {
	Register(Family{
		Name:     "baked badge image",
		Priority: 5,
		Detect:   func(data []byte) bool { return bakedIsPNG(data) || bakedIsSVG(data) },
		Parse:    bakedParse,
		// A baked credential takes the format of what it holds; this
		// family never verifies anything itself.
		Verify: func(_ context.Context, _ *Verifier, c *Credential) []Check {
			return []Check{fail(CheckFormat, StatusError, "format %q is verified by the family of the credential inside the image", c.Format)}
		},
	})
}

func bakedIsPNG(data []byte) bool { return bytes.HasPrefix(data, pngSignature) }

// bakedIsSVG reports whether data looks like an SVG document: XML whose
// first element (after a prolog, comments or a doctype) is <svg.
func bakedIsSVG(data []byte) bool {
	d := bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))
	if len(d) == 0 || d[0] != '<' {
		return false
	}
	head := d[:min(len(d), 4096)]
	return bytes.Contains(head, []byte("<svg")) || bytes.Contains(head, []byte(":svg"))
}

func bakedParse(data []byte) (*Credential, error) {
	b, err := Unbake(data)
	if err != nil {
		return nil, err
	}
	var c *Credential
	if b.URL {
		c = &Credential{Format: FormatOB2, ID: string(b.Payload)}
	} else {
		if bakedIsPNG(b.Payload) || bakedIsSVG(b.Payload) {
			return nil, errors.New("the image's baked payload is itself an image; expected JSON, a JWS or a URL")
		}
		if c, err = Parse(b.Payload); err != nil {
			return nil, fmt.Errorf("the credential baked into the %s image: %w", strings.ToUpper(b.Container), err)
		}
	}
	c.Raw = data
	c.Image = data
	return c, nil
}

// Unbake extracts the credential baked into a PNG or SVG image. The error
// wraps ErrNotCredential when the image holds no badge.
func Unbake(img []byte) (Baked, error) {
	if len(img) > MaxCredentialBytes {
		return Baked{}, fmt.Errorf("image of %d bytes is larger than the %d-byte limit: %w", len(img), MaxCredentialBytes, ErrTooLarge)
	}
	switch {
	case bakedIsPNG(img):
		return unbakePNG(img)
	case bakedIsSVG(img):
		return unbakeSVG(img)
	}
	return Baked{}, fmt.Errorf("expected a PNG or SVG image: %w", ErrNotCredential)
}

// pngChunk is one chunk of a PNG file, with its position.
type pngChunk struct {
	typ        string
	data       []byte
	start, end int // byte range of the whole chunk (length … CRC)
	crcOK      bool
}

// pngChunks splits a PNG into chunks, up to and including IEND.
func pngChunks(img []byte) ([]pngChunk, error) {
	if !bakedIsPNG(img) {
		return nil, errors.New("not a PNG image (bad signature)")
	}
	var out []pngChunk
	off := len(pngSignature)
	for {
		if off+12 > len(img) {
			return nil, fmt.Errorf("PNG truncated at byte %d: chunk %d has no room for its header (missing IEND?)", off, len(out)+1)
		}
		n := int(binary.BigEndian.Uint32(img[off:]))
		typ := string(img[off+4 : off+8])
		if n < 0 || n > len(img)-off-12 {
			return nil, fmt.Errorf("PNG chunk %q at byte %d claims %d bytes, beyond the end of the file", typ, off, n)
		}
		data := img[off+8 : off+8+n]
		crc := binary.BigEndian.Uint32(img[off+8+n:])
		out = append(out, pngChunk{typ: typ, data: data, start: off, end: off + 12 + n, crcOK: crc32.ChecksumIEEE(img[off+4:off+8+n]) == crc})
		off += 12 + n
		if len(out) == 1 && typ != "IHDR" {
			return nil, fmt.Errorf("PNG's first chunk is %q, not IHDR", typ)
		}
		if typ == "IEND" {
			return out, nil
		}
	}
}

func unbakePNG(img []byte) (Baked, error) {
	chunks, err := pngChunks(img)
	if err != nil {
		return Baked{}, err
	}
	var found []Baked
	for _, ch := range chunks {
		if ch.typ != "iTXt" && ch.typ != "tEXt" && ch.typ != "zTXt" {
			continue
		}
		kw, rest, ok := bytes.Cut(ch.data, []byte{0})
		if !ok {
			continue
		}
		version := 0
		switch string(kw) {
		case bakedKeyword2:
			version = 2
		case bakedKeyword3:
			version = 3
		default:
			continue
		}
		if !ch.crcOK {
			return Baked{}, fmt.Errorf("the PNG %s chunk %q at byte %d fails its CRC check: the image is corrupted", ch.typ, kw, ch.start)
		}
		text, err := pngText(ch.typ, rest)
		if err != nil {
			return Baked{}, fmt.Errorf("the PNG %s chunk %q at byte %d: %w", ch.typ, kw, ch.start, err)
		}
		if ch.typ != "iTXt" && version == 2 {
			version = 1
		}
		text = bytes.TrimSpace(text)
		found = append(found, Baked{Container: "png", Version: version, Payload: text, URL: bakedIsURL(text)})
	}
	switch len(found) {
	case 0:
		return Baked{}, fmt.Errorf("a PNG image without a baked badge (no %q or %q chunk): %w", bakedKeyword2, bakedKeyword3, ErrNotCredential)
	case 1:
		if len(found[0].Payload) == 0 {
			return Baked{}, errors.New("the PNG's baked badge chunk is empty")
		}
		return found[0], nil
	}
	return Baked{}, fmt.Errorf("the PNG holds %d baked badges; an image may carry only one", len(found))
}

// pngText decodes the text of a tEXt, zTXt or iTXt chunk (after the
// keyword and its NUL).
func pngText(typ string, rest []byte) ([]byte, error) {
	switch typ {
	case "tEXt":
		return latin1ToUTF8(rest), nil
	case "zTXt":
		if len(rest) < 1 || rest[0] != 0 {
			return nil, errors.New("unknown compression method")
		}
		t, err := inflateLimited(rest[1:])
		return latin1ToUTF8(t), err
	}
	// iTXt: compression flag, method, language tag\0, translated keyword\0, text.
	if len(rest) < 2 {
		return nil, errors.New("truncated iTXt header")
	}
	compressed, method := rest[0], rest[1]
	rest = rest[2:]
	for i := 0; i < 2; i++ {
		_, after, ok := bytes.Cut(rest, []byte{0})
		if !ok {
			return nil, errors.New("truncated iTXt header (language tag or translated keyword)")
		}
		rest = after
	}
	if compressed == 1 {
		if method != 0 {
			return nil, errors.New("unknown compression method")
		}
		return inflateLimited(rest)
	}
	if !utf8.Valid(rest) {
		return nil, errors.New("iTXt text is not valid UTF-8")
	}
	return rest, nil
}

// inflateLimited decompresses zlib data up to MaxCredentialBytes.
func inflateLimited(z []byte) ([]byte, error) {
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("compressed text: %w", err)
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, MaxCredentialBytes+1))
	if err != nil {
		return nil, fmt.Errorf("compressed text: %w", err)
	}
	if len(out) > MaxCredentialBytes {
		return nil, fmt.Errorf("compressed text expands beyond %d bytes: %w", MaxCredentialBytes, ErrTooLarge)
	}
	return out, nil
}

func latin1ToUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return []byte(string(r))
}

func bakedIsURL(b []byte) bool {
	s := string(b)
	return (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && !strings.ContainsAny(s, " \t\r\n{}\"<>")
}

// BakePNG returns a copy of png with payload baked into it as an iTXt
// chunk ("openbadgecredential" when v3, else "openbadges") placed before
// IEND. A badge already baked into the image is replaced.
func BakePNG(png []byte, payload []byte, v3 bool) ([]byte, error) {
	chunks, err := pngChunks(png)
	if err != nil {
		return nil, fmt.Errorf("baking: %w", err)
	}
	if err := bakePayloadOK(payload); err != nil {
		return nil, err
	}
	kw := bakedKeyword2
	if v3 {
		kw = bakedKeyword3
	}
	var data bytes.Buffer
	data.WriteString(kw)
	data.Write([]byte{0, 0, 0, 0, 0}) // NUL, not compressed, method 0, empty language, empty translation
	data.Write(bytes.TrimSpace(payload))
	var out bytes.Buffer
	out.Write(pngSignature)
	for _, ch := range chunks {
		if ch.typ == "iTXt" || ch.typ == "tEXt" || ch.typ == "zTXt" {
			k, _, _ := bytes.Cut(ch.data, []byte{0})
			if string(k) == bakedKeyword2 || string(k) == bakedKeyword3 {
				continue
			}
		}
		if ch.typ == "IEND" {
			writePNGChunk(&out, "iTXt", data.Bytes())
		}
		out.Write(png[ch.start:ch.end])
	}
	return out.Bytes(), nil
}

func writePNGChunk(w *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}

func bakePayloadOK(payload []byte) error {
	p := bytes.TrimSpace(payload)
	switch {
	case len(p) == 0:
		return errors.New("baking: the payload is empty; give the credential JSON, a JWS or a URL")
	case len(p) > MaxCredentialBytes:
		return fmt.Errorf("baking: payload of %d bytes: %w", len(p), ErrTooLarge)
	case !utf8.Valid(p):
		return errors.New("baking: the payload is not UTF-8 text")
	}
	return nil
}

// svgElement is a baked element found in an SVG, with its byte range.
type svgElement struct {
	local      string
	space      string
	verify     string
	text       strings.Builder
	start, end int64
}

// scanSVG finds the root <svg> start tag (its end offset, and whether it
// declares the openbadges namespace prefix) and the baked elements.
func scanSVG(img []byte) (rootEnd int64, hasNS bool, found []*svgElement, err error) {
	d := xml.NewDecoder(bytes.NewReader(img))
	d.Strict = false
	rootEnd = -1
	var cur *svgElement
	depth := 0
	// Prefixes bound to the Open Badges namespace; "openbadges" is accepted
	// even when an issuer forgot to declare it.
	prefixes := map[string]bool{"openbadges": true}
	for {
		start := d.InputOffset()
		tok, terr := d.RawToken()
		if terr == io.EOF {
			break
		}
		if terr != nil {
			return 0, false, nil, fmt.Errorf("SVG is not well-formed XML: %w", terr)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxJSONDepth*4 {
				return 0, false, nil, fmt.Errorf("SVG nested more than %d elements deep: %w", MaxJSONDepth*4, ErrTooDeep)
			}
			if rootEnd < 0 {
				if t.Name.Local != "svg" {
					return 0, false, nil, fmt.Errorf("the XML's root element is <%s>, not <svg>: %w", t.Name.Local, ErrNotCredential)
				}
				rootEnd = d.InputOffset()
				for _, a := range t.Attr {
					if a.Name.Space == "xmlns" && a.Name.Local == "openbadges" {
						hasNS = true
					}
					if a.Name.Space == "xmlns" && a.Value == bakedSVGNS {
						prefixes[a.Name.Local] = true
					}
				}
				continue
			}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" && a.Value == bakedSVGNS {
					prefixes[a.Name.Local] = true
				}
			}
			if cur == nil && (t.Name.Local == "assertion" || t.Name.Local == "credential") && (prefixes[t.Name.Space] || (t.Name.Space == "" && hasDefaultNS(t))) {
				cur = &svgElement{local: t.Name.Local, space: t.Name.Space, start: start, end: -1}
				for _, a := range t.Attr {
					if a.Name.Local == "verify" && a.Name.Space == "" {
						cur.verify = strings.TrimSpace(a.Value)
					}
				}
				found = append(found, cur)
			}
		case xml.EndElement:
			if cur != nil && t.Name.Space == cur.space && t.Name.Local == cur.local {
				cur.end = d.InputOffset()
				cur = nil
			}
			depth--
		case xml.CharData:
			if cur != nil {
				if cur.text.Len()+len(t) > MaxCredentialBytes {
					return 0, false, nil, ErrTooLarge
				}
				cur.text.Write(t)
			}
		}
	}
	if rootEnd < 0 {
		return 0, false, nil, fmt.Errorf("no <svg> element found: %w", ErrNotCredential)
	}
	if cur != nil {
		return 0, false, nil, fmt.Errorf("<openbadges:%s> is not closed", cur.local)
	}
	return rootEnd, hasNS, found, nil
}

func hasDefaultNS(t xml.StartElement) bool {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == "xmlns" && a.Value == bakedSVGNS {
			return true
		}
	}
	return false
}

func unbakeSVG(img []byte) (Baked, error) {
	_, _, found, err := scanSVG(img)
	if err != nil {
		return Baked{}, err
	}
	switch len(found) {
	case 0:
		return Baked{}, fmt.Errorf("an SVG image without a baked badge (no <openbadges:assertion> or <openbadges:credential> element): %w", ErrNotCredential)
	case 1:
	default:
		return Baked{}, fmt.Errorf("the SVG holds %d baked badges; an image may carry only one", len(found))
	}
	e := found[0]
	b := Baked{Container: "svg", Version: 2}
	if e.local == "credential" {
		b.Version = 3
	}
	if t := strings.TrimSpace(e.text.String()); t != "" {
		b.Payload = []byte(t)
	} else if e.verify != "" {
		b.Payload = []byte(e.verify)
		b.URL = bakedIsURL(b.Payload)
	} else {
		return Baked{}, fmt.Errorf("<openbadges:%s> has neither a verify attribute nor a body", e.local)
	}
	return b, nil
}

// BakeSVG returns a copy of svg with payload baked into it, right after
// the root <svg> start tag: JSON goes into the CDATA body of
// <openbadges:assertion> (2.0; its verify attribute is the assertion id
// when that is a URL) or <openbadges:credential> (3.0); a JWS/JWT or URL
// goes into the verify attribute. The namespace declaration is added when
// missing; a badge already baked into the image is replaced.
func BakeSVG(svg []byte, payload []byte, v3 bool) ([]byte, error) {
	if !bakedIsSVG(svg) {
		return nil, errors.New("baking: not an SVG image")
	}
	if err := bakePayloadOK(payload); err != nil {
		return nil, err
	}
	rootEnd, hasNS, found, err := scanSVG(svg)
	if err != nil {
		return nil, fmt.Errorf("baking: %w", err)
	}
	if bytes.HasSuffix(svg[:rootEnd], []byte("/>")) {
		return nil, errors.New("baking: the SVG's root element is empty (<svg …/>); it must have content")
	}
	p := bytes.TrimSpace(payload)
	local := "assertion"
	if v3 {
		local = "credential"
	}
	var el strings.Builder
	el.WriteString("<openbadges:" + local)
	switch {
	case p[0] == '{':
		if !v3 {
			if m, err := decodeObject(p); err == nil && bakedIsURL([]byte(str(m, "id"))) {
				el.WriteString(` verify="` + xmlEscape(str(m, "id")) + `"`)
			}
		}
		el.WriteString("><![CDATA[")
		el.WriteString(strings.ReplaceAll(string(p), "]]>", "]]]]><![CDATA[>"))
		el.WriteString("]]></openbadges:" + local + ">")
	default:
		el.WriteString(` verify="` + xmlEscape(string(p)) + `"></openbadges:` + local + ">")
	}
	var out bytes.Buffer
	head := svg[:rootEnd]
	if !hasNS {
		i := bytes.LastIndexByte(head, '>')
		out.Write(head[:i])
		out.WriteString(` xmlns:openbadges="` + bakedSVGNS + `"`)
		out.Write(head[i:])
	} else {
		out.Write(head)
	}
	out.WriteString(el.String())
	pos := rootEnd
	for _, f := range found {
		out.Write(svg[pos:f.start])
		pos = f.end
	}
	out.Write(svg[pos:])
	return out.Bytes(), nil
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&#34;")
}
