package data

// RTF postings: groups, control words, skipped destinations, code page 1252.

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

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
