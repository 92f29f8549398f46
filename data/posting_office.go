package data

// Word (.docx) and OpenDocument (.odt) postings: ZIP containers of XML.

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
