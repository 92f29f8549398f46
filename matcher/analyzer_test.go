package matcher

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestTokensKeepSymbolsWhole(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // token texts
	}{
		{"C++, C# and .NET", []string{"C++", "C#", "and", ".NET"}},
		{"Node.js / ASP.NET Core", []string{"Node.js", "ASP.NET", "Core"}},
		{"CI/CD pipelines over TCP/IP", []string{"CI/CD", "pipelines", "over", "TCP/IP"}},
		{"ISO 9001 and ISO/IEC 27001:2022", []string{"ISO 9001", "and", "ISO/IEC 27001:2022"}},
		{"CompTIA A+ certified, 3D modelling", []string{"CompTIA", "A+", "certified", "3D", "modelling"}},
		{"R&D, P&L and AT&T", []string{"R&D", "P&L", "and", "AT&T"}},
		{"Java.", []string{"Java"}},
		{"version 3.5 of F#", []string{"version", "3.5", "of", "F#"}},
		{"configuration/environment issues", []string{"configuration", "environment", "issues"}},
		{"and/or", []string{"and", "or"}},
		{"full-stack front-end", []string{"full", "stack", "front", "end"}},
		{"l'entreprise d'expérience", []string{"l", "entreprise", "d", "expérience"}},
		{"Transport & Handling", []string{"Transport", "&", "Handling"}},
		{"<ORGANIZATION> needs <b>Go</b>", []string{"needs", "Go"}},
		{"", nil},
	} {
		toks := DefaultAnalyzer().Tokens(tc.text, English)
		var got []string
		for _, tk := range toks {
			got = append(got, tk.Text)
			if tc.text[tk.Start:tk.End] != tk.Text {
				t.Errorf("%q: token %q has offsets [%d,%d) = %q", tc.text, tk.Text, tk.Start, tk.End, tc.text[tk.Start:tk.End])
			}
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Tokens(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestTokensFoldStemStop(t *testing.T) {
	for _, tc := range []struct {
		lang, word        string
		norm, stem        string
		stop, symbol      bool
		shape             Shape
		sentenceStartNext bool
	}{
		{English, "Managing", "managing", "manag", false, false, ShapeCapitalized, false},
		{English, "management", "management", "manag", false, false, ShapeLower, false},
		{English, "the", "the", "the", true, false, ShapeLower, false},
		{English, "IT", "it", "it", false, false, ShapeUpper, false}, // capitals: not the pronoun
		{English, "it", "it", "it", true, false, ShapeLower, false},
		{English, "C", "c", "c", false, false, ShapeUpper, false},
		{English, "PostCSS", "postcss", "postcss", false, false, ShapeMixed, false},
		{English, "C++", "c++", "c++", false, true, ShapeUpper, false},
		{French, "Évaluer", "evaluer", "evalu", false, false, ShapeCapitalized, false},
		{French, "compétences", "competences", "competent", false, false, ShapeLower, false},
		{French, "les", "les", "les", true, false, ShapeLower, false},
		{French, "expérience", "experience", "experient", false, false, ShapeLower, false},
		{French, "Comptabilité", "comptabilite", "comptabl", false, false, ShapeCapitalized, false},
		{French, "COMPTABILITE", "comptabilite", "comptabl", false, false, ShapeUpper, false}, // typed without accents
		{French, "données", "donnees", "don", false, false, ShapeLower, false},
		{French, "donnees", "donnees", "don", false, false, ShapeLower, false},
		// Acronyms of two to five capitals are names: not stemmed.
		{English, "ASPE", "aspe", "aspe", false, false, ShapeUpper, false},
		{English, "ASP", "asp", "asp", false, false, ShapeUpper, false},
		{English, "APIs", "apis", "api", false, false, ShapeMixed, false},
		{English, "SKILLS", "skills", "skill", false, false, ShapeUpper, false}, // six letters: a word in capitals
		{French, "SIMDUT", "simdut", "simdut", false, false, ShapeUpper, false},
	} {
		toks := DefaultAnalyzer().Tokens(tc.word, tc.lang)
		if len(toks) != 1 {
			t.Fatalf("%s %q: %d tokens, want 1", tc.lang, tc.word, len(toks))
		}
		tk := toks[0]
		if tk.Norm != tc.norm || tk.Stem != tc.stem || tk.Stop != tc.stop || tk.Symbol != tc.symbol || tk.Shape != tc.shape || tk.Lang != tc.lang {
			t.Errorf("%s %q: norm %q stem %q stop %v symbol %v shape %v lang %s; want %q %q %v %v %v %s",
				tc.lang, tc.word, tk.Norm, tk.Stem, tk.Stop, tk.Symbol, tk.Shape, tk.Lang, tc.norm, tc.stem, tc.stop, tc.symbol, tc.shape, tc.lang)
		}
	}
}

func TestSentencesAndSeparators(t *testing.T) {
	text := "Requirements:\n- Java, Python; SQL. Go!\nNode.js is fine"
	toks := DefaultAnalyzer().Tokens(text, English)
	type tk struct {
		text     string
		sentence int
		start    bool
		before   rune
	}
	want := []tk{
		{"Requirements", 0, true, 0},
		{"Java", 1, true, '\n'},
		{"Python", 1, false, ','},
		{"SQL", 2, true, ';'},
		{"Go", 3, true, '.'},
		{"Node.js", 4, true, '\n'},
		{"is", 4, false, 0},
		{"fine", 4, false, 0},
	}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens, want %d: %+v", len(toks), len(want), toks)
	}
	for i, w := range want {
		g := toks[i]
		if g.Text != w.text || g.Sentence != w.sentence || g.SentenceStart != w.start || g.Before != w.before {
			t.Errorf("token %d = %q sentence %d start %v before %q; want %q %d %v %q", i, g.Text, g.Sentence, g.SentenceStart, g.Before, w.text, w.sentence, w.start, w.before)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	for _, tc := range []struct {
		text, want string
	}{
		{"We are looking for a developer with experience in Java and the cloud.", English},
		{"Nous recherchons un développeur avec de l'expérience en Java et dans le nuage.", French},
		{"Vous êtes responsable de la paie et des comptes fournisseurs.", French},
		{"You will be responsible for payroll and accounts payable.", English},
		{"Java Python SQL", English}, // no function words: English
		{"", English},                // empty: English
		{"Le la les des et", French}, // function words only
		{"The team and the role", English},
	} {
		if got := DetectLanguage(tc.text); got != tc.want {
			t.Errorf("DetectLanguage(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

func TestAnalyzePerParagraphLanguage(t *testing.T) {
	text := "We are looking for a warehouse associate who has experience with the forklift and the scanner.\n\n" +
		"Nous cherchons aussi une personne pour la réception des marchandises et la gestion des stocks de notre entrepôt."
	toks, lang := DefaultAnalyzer().Analyze(text)
	if lang != English && lang != French {
		t.Fatalf("document language %q", lang)
	}
	for _, tk := range toks {
		wantLang := English
		if tk.Start > strings.Index(text, "\n\n") {
			wantLang = French
		}
		if tk.Lang != wantLang {
			t.Errorf("token %q at %d stemmed as %s, want %s", tk.Text, tk.Start, tk.Lang, wantLang)
		}
	}
	// A short paragraph takes the language of the whole text.
	toks, lang = DefaultAnalyzer().Analyze("Nous cherchons un cuisinier pour notre équipe de la cuisine et du service.\n\nJava, SQL")
	if lang != French || toks[len(toks)-1].Lang != French {
		t.Errorf("short paragraph: document %s, last token %s; want fr, fr", lang, toks[len(toks)-1].Lang)
	}
}

// TestStemCacheConcurrent stems the same words from many goroutines; the
// results must agree with a fresh analyzer's (run with -race to check the
// cache's synchronisation).
func TestStemCacheConcurrent(t *testing.T) {
	words := strings.Fields("managing management developers développeurs compétences analysing analyses préparation preparing teams équipes soudage welding")
	a := NewAnalyzer()
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				w := words[(i+g)%len(words)]
				lang := []string{English, French}[i%2]
				if got, want := a.Stem(w, lang), NewAnalyzer().Stem(w, lang); got != want {
					errs <- fmt.Sprintf("%s %q: cached %q, fresh %q", lang, w, got, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := a.entries.Load(); n == 0 || n > int64(2*len(words)) {
		t.Errorf("cache holds %d entries for %d words in 2 languages", n, len(words))
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"C++, C# and .NET", "ISO 9001:2015", "l'expérience d'un A+", "<b>Go</b> & R&D", "Node.js/TS 3.5+",
		"\xff\xfe broken utf8", ".", "...NET", "a/b/c/d/e", "ISO ", "&&", "<", "<a", "C+++", "é́", "\n\n\n",
	} {
		f.Add(s)
	}
	a := NewAnalyzer()
	f.Fuzz(func(t *testing.T, text string) {
		toks, lang := a.Analyze(text)
		if lang != English && lang != French {
			t.Fatalf("language %q", lang)
		}
		prevEnd, prevSentence := 0, 0
		for i, tk := range toks {
			if tk.Start < prevEnd || tk.End <= tk.Start || tk.End > len(text) {
				t.Fatalf("token %d %q has span [%d,%d) after %d in a text of %d bytes", i, tk.Text, tk.Start, tk.End, prevEnd, len(text))
			}
			if text[tk.Start:tk.End] != tk.Text {
				t.Fatalf("token %d: Text %q but text[%d:%d] = %q", i, tk.Text, tk.Start, tk.End, text[tk.Start:tk.End])
			}
			if tk.Sentence < prevSentence || tk.Sentence > prevSentence+1 {
				t.Fatalf("token %d: sentence %d after %d", i, tk.Sentence, prevSentence)
			}
			if tk.Norm == "" || tk.Stem == "" {
				t.Fatalf("token %d %q: empty norm %q or stem %q", i, tk.Text, tk.Norm, tk.Stem)
			}
			if utf8.ValidString(tk.Text) && !utf8.ValidString(tk.Norm) {
				t.Fatalf("token %d %q: invalid folded form %q", i, tk.Text, tk.Norm)
			}
			prevEnd, prevSentence = tk.End, tk.Sentence
		}
		var want []string
		for _, tk := range a.Tokens(text, French) {
			if !tk.Stop {
				want = append(want, tk.Stem)
			}
		}
		if got := a.appendContentStems(nil, text, French, newWordMemo()); strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("bulk stems %q differ from the tokens' %q", got, want)
		}
	})
}

// TestContentStemsMatchTokens checks that the bulk indexing path gives the
// same stems as Tokens.
func TestContentStemsMatchTokens(t *testing.T) {
	for _, tc := range []struct{ text, lang string }{
		{"Design and build REST APIs with Node.js, C++ and .NET; ISO 9001 audits.", English},
		{"Préparer les états financiers et les déclarations de TPS/TVQ (R&D, 3D).", French},
		{"<li>Cook on the grill</li> & keep the kitchen clean", English},
	} {
		var want []string
		for _, tk := range DefaultAnalyzer().Tokens(tc.text, tc.lang) {
			if !tk.Stop {
				want = append(want, tk.Stem)
			}
		}
		got := DefaultAnalyzer().appendContentStems(nil, tc.text, tc.lang, newWordMemo())
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%q:\n got  %q\n want %q", tc.text, got, want)
		}
	}
}
