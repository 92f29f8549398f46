package data

// HTML postings: a small tokenizer for tags, comments, raw text and entities.

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

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
