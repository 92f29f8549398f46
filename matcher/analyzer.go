package matcher

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// Languages the Analyzer stems. Any other language code is analysed with the
// English rules.
const (
	English = "en"
	French  = "fr"
)

// Shape is the letter case of a token as written.
type Shape uint8

// Token shapes.
const (
	ShapeLower       Shape = iota // "java", "3d"
	ShapeCapitalized              // "Java"
	ShapeUpper                    // "SQL", "C"
	ShapeMixed                    // "PostCSS", "iOS"
)

// Token is one word or symbol token of a text.
type Token struct {
	// Start and End are byte offsets into the analysed text: Text ==
	// text[Start:End].
	Start, End int
	// Text is the token as written.
	Text string
	// Norm is Text lower-cased and accent-folded ("Évaluer" → "evaluer").
	Norm string
	// Stem is the Snowball stem of the word in Lang, folded; for symbol tokens
	// (C++, .NET, CI/CD) and tokens with digits it equals Norm.
	Stem string
	// Lang is the language the token was stemmed in.
	Lang string
	// Shape is the case of Text.
	Shape Shape
	// Stop is true for stop words of Lang ("the", "de"). An all-capital
	// token of two letters or more ("IT", "AS") is never a stop word.
	Stop bool
	// Symbol is true when the token holds a symbol (+ # . / &).
	Symbol bool
	// Sentence is the index of the sentence (a line, or a run of text ended
	// by . ! ? ;) the token belongs to, from 0.
	Sentence int
	// SentenceStart is true for the first token of a sentence.
	SentenceStart bool
	// Before is the punctuation rune that separates the token from the
	// previous one (',' '/' '(' ':' …), '\n' for a line break, or 0 when only
	// spaces do.
	Before rune
}

// Analyzer turns text into tokens: Unicode words with byte offsets, symbol
// tokens kept whole, case and accent folding, stop words and Snowball stems
// in English or French. One Analyzer serves job text, taxonomy labels and
// credential text alike, so that they meet on the same stems. It caches the
// analysis of every distinct word it sees and is safe for concurrent use; the
// zero value is not usable, call NewAnalyzer.
type Analyzer struct {
	caches  [2]sync.Map // language index → raw word → *wordInfo
	entries atomic.Int64
}

// maxCacheEntries bounds the word cache; words beyond it are analysed anew
// each time (still correct, only slower).
const maxCacheEntries = 1 << 20

type wordInfo struct {
	norm, stem string
	stop       bool
}

var defaultAnalyzer = NewAnalyzer()

// DefaultAnalyzer returns an Analyzer shared by the package, whose cache
// every user warms.
func DefaultAnalyzer() *Analyzer { return defaultAnalyzer }

// NewAnalyzer returns an Analyzer with an empty stem cache.
func NewAnalyzer() *Analyzer { return &Analyzer{} }

func langIndex(lang string) int {
	if lang == French {
		return 1
	}
	return 0
}

// Word returns the folded form, the stem and the stop-word status of one
// word as written (case matters only for the stop-word rule on all-capital
// words). The result is cached.
func (a *Analyzer) Word(raw, lang string) (norm, stem string, stop bool) {
	li := langIndex(lang)
	if v, ok := a.caches[li].Load(raw); ok {
		w := v.(*wordInfo)
		return w.norm, w.stem, w.stop
	}
	w := analyzeWord(raw, li)
	if a.entries.Load() < maxCacheEntries {
		if _, loaded := a.caches[li].LoadOrStore(strings.Clone(raw), w); !loaded {
			a.entries.Add(1)
		}
	}
	return w.norm, w.stem, w.stop
}

// Stem returns the stem of one word in lang.
func (a *Analyzer) Stem(word, lang string) string {
	_, s, _ := a.Word(word, lang)
	return s
}

func analyzeWord(raw string, li int) *wordInfo {
	lower := strings.ToLower(raw)
	norm := taxonomy.Fold(lower)
	w := &wordInfo{norm: norm, stem: norm}
	plain := true
	for _, r := range lower {
		if !unicode.IsLetter(r) && r != '\'' {
			plain = false
			break
		}
	}
	// "IT", "AS", "C": short capitals are names, not function words.
	n := utf8.RuneCountInString(raw)
	upper := shapeOf(raw) == ShapeUpper && (n == 2 || n == 1 && raw != "A" && raw != "I" && raw != "À" && raw != "Y")
	if li == 1 {
		w.stop = !upper && (french.IsStopWord(lower) || frenchExtraStop[norm])
		if plain && !w.stop {
			// Stem the folded word: French typed without accents
			// ("FISCALITE", "experience") must meet the labels.
			w.stem = taxonomy.Fold(french.Stem(frenchAccents(norm), true))
		}
	} else {
		w.stop = !upper && (english.IsStopWord(lower) || englishExtraStop[norm])
		if plain && !w.stop {
			w.stem = taxonomy.Fold(english.Stem(lower, true))
		}
	}
	if w.stem == "" || acronym(raw, n) {
		w.stem = norm
	}
	return w
}

// acronym reports whether a word of n runes is written as an acronym: two
// to five capitals ("ASPE", "WHMIS", "HACCP"). Acronyms are not inflected,
// so they are not stemmed: "ASPE" must not meet "ASP".
func acronym(raw string, n int) bool {
	return n >= 2 && n <= 5 && shapeOf(raw) == ShapeUpper
}

// frenchAccents puts back the accents of the French endings whose
// Snowball rules need them ("-ité", "-ée"), so that a folded word stems like
// the accented one: "fiscalite" and "fiscalité" both give "fiscal".
func frenchAccents(norm string) string {
	for _, e := range [...][2]string{{"ites", "ités"}, {"ite", "ité"}, {"ees", "ées"}, {"ee", "ée"}} {
		if strings.HasSuffix(norm, e[0]) && len(norm) > len(e[0])+2 {
			return norm[:len(norm)-len(e[0])] + e[1]
		}
	}
	return norm
}

// englishExtraStop and frenchExtraStop complete the Snowball stop lists with
// words that carry no competency meaning in job text.
var englishExtraStop = setOf("also", "etc", "e.g", "i.e", "eg", "ie", "would", "could", "may", "might", "shall", "us", "via", "within", "across", "per", "well", "like", "including", "include", "includes", "must", "need", "needs", "able", "one", "two")

var frenchExtraStop = setOf("les", "a", "dont", "afin", "ainsi", "cette", "cet", "leurs", "tres", "plus", "aussi", "etc", "ou", "comme", "chez", "tout", "tous", "toute", "toutes", "entre", "sans", "sous", "vers", "selon", "lors", "ci", "qu", "jusqu", "lorsqu", "puisqu", "quelqu")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func shapeOf(s string) Shape {
	upper, lower, first := 0, 0, 0
	for i, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper++
			if i == 0 {
				first = 1
			}
		case unicode.IsLower(r):
			lower++
		}
	}
	switch {
	case upper == 0:
		return ShapeLower
	case lower == 0:
		return ShapeUpper
	case first == 1 && upper == 1:
		return ShapeCapitalized
	}
	return ShapeMixed
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func runeAt(s string, i int) rune {
	if i < 0 || i >= len(s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

func runeBefore(s string, i int) rune {
	if i <= 0 || i > len(s) {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// wordEnd returns the end of the run of word runes starting at i.
func wordEnd(s string, i int) int {
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			break
		}
		i += w
	}
	return i
}

// scanToken returns the end of the token that starts at the word rune at i,
// and whether it holds a symbol. It keeps C++, C#, A+, Node.js, ASP.NET, 3.5,
// CI/CD, TCP/IP, R&D and ISO 9001 whole.
func scanToken(s string, i int) (end int, symbol bool) {
	partStart := i
	j := wordEnd(s, i)
	for j < len(s) {
		c := s[j]
		switch {
		case c == '.' && isWordRune(runeAt(s, j+1)):
			partStart = j + 1
			j = wordEnd(s, j+1)
			symbol = true
			continue
		case (c == '+' || c == '#') && j-partStart <= 2:
			k := j
			for k < len(s) && (s[k] == '+' || s[k] == '#') {
				k++
			}
			if !isWordRune(runeAt(s, k)) {
				return k, true
			}
		case c == '/' || c == '&':
			if unicode.IsLetter(runeAt(s, j+1)) {
				next := wordEnd(s, j+1)
				left, right := s[partStart:j], s[j+1:next]
				if utf8.RuneCountInString(left) <= 4 && utf8.RuneCountInString(right) <= 4 &&
					(c == '/' && !(english.IsStopWord(strings.ToLower(left)) && english.IsStopWord(strings.ToLower(right))) ||
						c == '&' && shapeOf(left) == ShapeUpper) {
					partStart = j + 1
					j = next
					symbol = true
					continue
				}
			}
		}
		break
	}
	// ISO 9001, ISO/IEC 27001: a standard's name is one token.
	if strings.EqualFold(s[i:j], "iso") || strings.EqualFold(s[i:j], "iso/iec") {
		k := j
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if k > j && k < len(s) && s[k] >= '0' && s[k] <= '9' {
			e := k
			for e < len(s) && (s[e] >= '0' && s[e] <= '9' || s[e] == ':' && e+1 < len(s) && s[e+1] >= '0' && s[e+1] <= '9') {
				e++
			}
			return e, true
		}
	}
	return j, symbol
}

// Tokens splits text into tokens without choosing a language: Norm is set,
// Stem and Stop are those of lang.
func (a *Analyzer) Tokens(text, lang string) []Token {
	toks := a.split(text)
	a.fill(toks, lang)
	return toks
}

// split finds the token boundaries, sentences and separators.
func (a *Analyzer) split(text string) []Token {
	return a.splitAppend(make([]Token, 0, len(text)/6+1), text)
}

// splitAppend is split appending to toks.
func (a *Analyzer) splitAppend(toks []Token, text string) []Token {
	sentence, newSentence := 0, true
	var before rune
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		start := -1
		switch {
		case isWordRune(r):
			start = i
		case r == '.' && isWordRune(runeAt(text, i+1)) && !isWordRune(runeBefore(text, i)) && runeBefore(text, i) != '.':
			start = i // .NET
		case r == '&' && !isWordRune(runeBefore(text, i)) && !isWordRune(runeAt(text, i+1)):
			// A standalone "&" is the conjunction "and".
			if newSentence && len(toks) > 0 {
				sentence++
			}
			toks = append(toks, Token{Start: i, End: i + 1, Text: "&", Norm: "&", Stem: "&", Stop: true, Symbol: true,
				Sentence: sentence, SentenceStart: newSentence, Before: before})
			newSentence, before = false, 0
			i++
			continue
		}
		if start < 0 && r == '<' {
			if end := markupEnd(text, i); end > i {
				// Markup pasted with the text (<li>, </p>, <ORGANIZATION>)
				// is not text; it separates like a line break.
				i = end
				before = '\n'
				if len(toks) > 0 {
					newSentence = true
				}
				continue
			}
		}
		if start < 0 {
			switch r {
			case '\n', '\r':
				before = '\n'
				if len(toks) > 0 {
					newSentence = true
				}
			case '.', '!', '?', ';', '•', '·', '▪', '●', '◦', '■', '–', '—':
				before = r
				if len(toks) > 0 && (r != '.' || !isWordRune(runeAt(text, i+w))) {
					newSentence = true
				}
			case ' ', '\t', '\u00a0':
			default:
				if before == 0 || before == ' ' || unicode.IsPunct(r) && before != '\n' {
					before = r
				}
			}
			i += w
			continue
		}
		wstart := start
		if text[start] == '.' {
			wstart = start + 1
		}
		end, symbol := scanToken(text, wstart)
		if start != wstart {
			symbol = true
		}
		if newSentence && len(toks) > 0 {
			sentence++
		}
		toks = append(toks, Token{
			Start: start, End: end, Text: text[start:end],
			Symbol: symbol, Sentence: sentence, SentenceStart: newSentence, Before: before,
			Shape: shapeOf(text[start:end]),
		})
		newSentence, before = false, 0
		i = end
	}
	return toks
}

// markupEnd returns the end of an HTML/XML tag or an anonymisation
// placeholder starting at i ("<br/>", "</li>", "<a href=...>",
// "<ORGANIZATION>"), or i when there is none.
func markupEnd(s string, i int) int {
	j := i + 1
	if j < len(s) && s[j] == '/' {
		j++
	}
	if j >= len(s) || !(s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
		return i
	}
	for k := j; k < len(s) && k < i+200; k++ {
		switch s[k] {
		case '>':
			return k + 1
		case '<', '\n':
			return i
		}
	}
	return i
}

func (a *Analyzer) fill(toks []Token, lang string) { a.fillMemo(toks, lang, nil) }

// wordMemo is a goroutine-local first-level word cache, for bulk analysis
// (index building) where the shared cache's synchronisation would dominate.
type wordMemo [2]map[string]*wordInfo

func newWordMemo() *wordMemo {
	return &wordMemo{make(map[string]*wordInfo), make(map[string]*wordInfo)}
}

// fillMemo sets Lang, Norm, Stem and Stop of toks, looking words up in memo
// (when not nil) before the shared cache.
func (a *Analyzer) fillMemo(toks []Token, lang string, memo *wordMemo) {
	li := langIndex(lang)
	for i := range toks {
		t := &toks[i]
		t.Lang = lang
		if t.Text == "&" {
			continue
		}
		if t.Symbol || hasDigit(t.Text) {
			t.Norm = taxonomy.Fold(t.Text)
			t.Stem = t.Norm
			continue
		}
		if memo != nil {
			if w, ok := memo[li][t.Text]; ok {
				t.Norm, t.Stem, t.Stop = w.norm, w.stem, w.stop
				continue
			}
		}
		t.Norm, t.Stem, t.Stop = a.Word(t.Text, lang)
		if memo != nil {
			memo[li][t.Text] = &wordInfo{norm: t.Norm, stem: t.Stem, stop: t.Stop}
		}
	}
}

// appendContentStems appends the stems of the content words of text (no
// stop words) to dst, with the tokenisation and stems of Tokens but without
// building tokens: the bulk path for indexing descriptions.
func (a *Analyzer) appendContentStems(dst []string, text, lang string, memo *wordMemo) []string {
	li := langIndex(lang)
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		start := i
		if r == '.' && isWordRune(runeAt(text, i+1)) && !isWordRune(runeBefore(text, i)) && runeBefore(text, i) != '.' {
			start = i + 1 // .NET
		} else if !isWordRune(r) {
			if r == '<' {
				if end := markupEnd(text, i); end > i {
					i = end
					continue
				}
			}
			i += w
			continue
		}
		end, symbol := scanToken(text, start)
		word := text[i:end]
		symbol = symbol || start != i
		i = end
		if symbol || hasDigit(word) {
			dst = append(dst, taxonomy.Fold(word))
			continue
		}
		wi, ok := memo[li][word]
		if !ok {
			norm, stem, stop := a.Word(word, lang)
			wi = &wordInfo{norm: norm, stem: stem, stop: stop}
			memo[li][word] = wi
		}
		if !wi.stop {
			dst = append(dst, wi.stem)
		}
	}
	return dst
}

// tokensBuf is Tokens reusing buf and a word memo, for bulk analysis. The
// tokens are valid until the next call with the same buffer.
func (a *Analyzer) tokensBuf(buf []Token, text, lang string, memo *wordMemo) []Token {
	toks := a.splitAppend(buf[:0], text)
	a.fillMemo(toks, lang, memo)
	return toks
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// Analyze tokenises text, detects the language of each paragraph (English
// or French; paragraphs are separated by a blank line, and short ones take
// the language of the whole text) and stems every token in its paragraph's
// language. It returns the tokens and the language of the whole text.
func (a *Analyzer) Analyze(text string) ([]Token, string) {
	toks := a.split(text)
	docLang := detect(toks)
	// Paragraph boundaries: a blank line between two tokens.
	start := 0
	for i := 1; i <= len(toks); i++ {
		if i < len(toks) && !blankLineBetween(text, toks[i-1].End, toks[i].Start) {
			continue
		}
		para := toks[start:i]
		lang := docLang
		if len(para) >= 12 {
			lang = detect(para)
		}
		a.fill(para, lang)
		start = i
	}
	return toks, docLang
}

func blankLineBetween(text string, from, to int) bool {
	n := 0
	for _, r := range text[from:to] {
		if r == '\n' {
			n++
			if n == 2 {
				return true
			}
		} else if r != ' ' && r != '\t' && r != '\r' {
			n = 0
		}
	}
	return false
}

// DetectLanguage says whether text is English or French, by the share of
// each language's function words among its tokens; English wins ties and
// texts without function words.
func DetectLanguage(text string) string {
	return detect(defaultAnalyzer.split(text))
}

// Function words that are frequent in one language and rare in the other.
var (
	enMarkers = setOf("the", "and", "of", "to", "with", "for", "is", "are", "you", "your", "we", "our", "in", "will", "be", "an", "this", "that", "have", "or", "as", "on", "at", "from", "by", "who", "years", "experience", "skills", "team", "work")
	frMarkers = setOf("le", "la", "les", "des", "du", "de", "et", "pour", "avec", "vous", "nous", "est", "sont", "une", "un", "dans", "sur", "au", "aux", "votre", "notre", "qui", "que", "ou", "d", "l", "ans", "experience", "competences", "equipe", "poste")
)

func detect(toks []Token) string {
	en, fr := 0, 0
	for i := range toks {
		n := toks[i].Norm
		if n == "" {
			n = taxonomy.Fold(toks[i].Text)
		}
		if enMarkers[n] {
			en++
		}
		if frMarkers[n] {
			fr++
		}
	}
	if fr > en {
		return French
	}
	return English
}
