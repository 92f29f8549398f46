package matcher

import (
	"slices"
	"strconv"
	"strings"
)

// section is the kind of part of a posting a heading opens.
type section uint8

const (
	sectionNone   section = iota // before any heading
	sectionMust                  // requirements, qualifications, profile
	sectionAsset                 // nice to have, bonus, atouts
	sectionDuties                // responsibilities, missions
	sectionOther                 // about us, benefits, how to apply
)

// Cue phrases, folded and written as the Analyzer's Norm forms joined by
// spaces. Asset cues are tested before must cues, so "preferred
// qualifications" is an asset heading and "a plus but not required" an asset.
var (
	assetHeadings = cuePhrases("nice to have", "nice-to-have", "bonus", "bonus points", "preferred", "preferred qualifications",
		"assets", "asset", "pluses", "desirable", "desired", "optional", "good to have", "atouts", "un plus", "atout",
		"souhaite", "souhaitees", "souhaitees", "apprecie", "appreciees", "serait un plus", "les plus", "facultatif")
	otherHeadings = cuePhrases("about us", "who we are", "about the company", "benefits", "we offer", "what we offer",
		"perks", "salary", "compensation", "how to apply", "apply", "a propos", "qui sommes nous", "avantages",
		"nous offrons", "nous proposons", "ce que nous offrons", "remuneration", "salaire", "postuler", "pour postuler",
		"l entreprise", "entreprise", "our company", "the company", "why join us", "pourquoi nous rejoindre")
	dutiesHeadings = cuePhrases("responsibilities", "duties", "what you will do", "what you ll do", "your role", "the role",
		"role", "your mission", "missions", "vos missions", "mission", "responsabilites", "taches", "le poste",
		"description du poste", "job description", "key responsibilities", "vos responsabilites", "your tasks", "tasks")
	mustHeadings = cuePhrases("requirements", "required", "requirement", "qualifications", "must have", "must-have",
		"what you bring", "what we re looking for", "what we are looking for", "you have", "your profile", "profile",
		"essential", "minimum qualifications", "skills", "required skills", "exigences", "profil", "profil recherche",
		"competences", "competences requises", "qualifications requises", "prerequis", "votre profil",
		"ce que nous recherchons", "indispensable", "obligatoire", "who you are", "about you", "requis")

	assetCues = cuePhrases("a plus", "is a plus", "nice to have", "nice-to-have", "an asset", "asset", "preferred",
		"preferably", "preferable", "bonus", "advantage", "advantageous", "an advantage", "ideally", "desirable",
		"would be great", "optional", "not required", "not mandatory", "not essential", "helpful", "welcome",
		"un atout", "atout", "un plus", "souhaite", "souhaitee", "souhaitable", "apprecie", "appreciee",
		"idealement", "serait un plus", "est un plus", "de preference", "facultatif", "facultative", "bienvenue")
	mustCues = cuePhrases("required", "require", "requires", "must", "mandatory", "essential", "minimum", "at least",
		"necessary", "prerequisite", "prerequisites", "need", "needs", "exige", "exigee", "exiges", "obligatoire",
		"indispensable", "requis", "requise", "requises", "imperatif", "imperative", "au moins", "au minimum",
		"necessaire", "necessaires", "doit", "devez", "devrez", "essentiel", "essentielle")

	// offerLeads open a sentence about what the employer offers.
	offerLeads = cuePhrases("we offer", "we provide", "we are offering", "we re offering", "we will offer", "we ll offer",
		"salary", "salaire", "compensation", "remuneration", "benefits include", "perks include", "what we offer",
		"nous offrons", "nous proposons", "nous vous offrons", "on offre", "ce que nous offrons", "avantages sociaux")

	// benefitCues name what an employer gives: in prose after the lists
	// of a posting they mark a sentence about benefits.
	benefitCues = cuePhrases("insurance", "group insurance", "assurance", "assurances", "pension", "rrsp", "reer", "bonus",
		"bonuses", "prime", "primes", "vacation", "vacations", "paid time off", "vacances", "conges", "dental", "dentaire",
		"salary", "salaire", "wage", "wages", "discount", "rabais", "paid training", "formation payee", "perks",
		"benefits", "avantages", "tips", "pourboires", "stock options", "remuneration", "compensation")

	levelCueWords = map[string]Level{
		"basic": LevelBasic, "beginner": LevelBasic, "elementary": LevelBasic, "notions": LevelBasic, "notion": LevelBasic,
		"debutant": LevelBasic, "familiarity": LevelBasic, "familiar": LevelBasic, "exposure": LevelBasic, "base": LevelBasic,
		"intermediate": LevelIntermediate, "working": LevelIntermediate, "good": LevelIntermediate, "solid": LevelIntermediate,
		"bonne": LevelIntermediate, "bon": LevelIntermediate, "intermediaire": LevelIntermediate, "decent": LevelIntermediate,
		"advanced": LevelAdvanced, "strong": LevelAdvanced, "extensive": LevelAdvanced, "deep": LevelAdvanced,
		"thorough": LevelAdvanced, "proficient": LevelAdvanced, "proficiency": LevelAdvanced, "fluent": LevelAdvanced,
		"excellent": LevelAdvanced, "maitrise": LevelAdvanced, "maitriser": LevelAdvanced, "maitrisez": LevelAdvanced,
		"approfondie": LevelAdvanced, "approfondies": LevelAdvanced, "avance": LevelAdvanced, "avancee": LevelAdvanced,
		"avancees": LevelAdvanced, "solide": LevelAdvanced, "solides": LevelAdvanced, "courant": LevelAdvanced,
		"expert": LevelExpert, "expertise": LevelExpert, "mastery": LevelExpert, "experte": LevelExpert,
	}
	numberWords = map[string]float64{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
		"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
	}
	yearWords = setOf("year", "years", "yr", "yrs", "an", "ans", "annee", "annees")
	// inHeading words on an "in-depth" heading that are not cues.
)

// fillerStems are the stems of words that frame a requirement rather than
// name a competency ("experience", "knowledge", "strong"); they take no part
// in suggestion scoring.
var fillerStems = func() map[string]bool {
	m := map[string]bool{}
	for w := range fillerWords {
		m[defaultAnalyzer.Stem(w, English)] = true
		m[defaultAnalyzer.Stem(w, French)] = true
	}
	return m
}()

// fillerWords are those words, folded. A one-word label that is one of them
// is never detected (though "Excel" shares the stem of "excellent").
var fillerWords = setOf("experience", "experienced", "knowledge", "understanding", "ability", "able", "skill", "skills",
	"strong", "good", "excellent", "solid", "proven", "year", "years", "required", "requirement", "preferred",
	"plus", "asset", "bonus", "minimum", "least", "candidate", "candidates", "role", "position", "job", "opportunity",
	"looking", "seek", "ideal", "great", "successful", "will", "want", "expected", "expect", "new", "etc",
	"competence", "competences", "connaissance", "connaissances", "maitrise", "capacite", "aptitude", "annee", "ans",
	"poste", "profil", "candidat", "recherche", "souhaite", "atout", "bonne", "bon", "exige", "requis")

type cueSet struct {
	phrases [][]string
	byFirst map[string][]int32 // first word → phrases starting with it
}

func cuePhrases(list ...string) cueSet {
	c := cueSet{byFirst: map[string][]int32{}}
	for _, p := range list {
		p = strings.NewReplacer("-", " ", "'", " ").Replace(p)
		words := strings.Fields(p)
		c.byFirst[words[0]] = append(c.byFirst[words[0]], int32(len(c.phrases)))
		c.phrases = append(c.phrases, words)
	}
	return c
}

// leads reports whether the tokens start with one of the cue phrases.
func (c cueSet) leads(toks []Token) bool {
	if len(toks) == 0 {
		return false
	}
	for _, pi := range c.byFirst[toks[0].Norm] {
		p := c.phrases[pi]
		if len(p) > len(toks) {
			continue
		}
		k := 1
		for k < len(p) && toks[k].Norm == p[k] {
			k++
		}
		if k == len(p) {
			return true
		}
	}
	return false
}

// in reports whether one of the cue phrases occurs in the token norms.
func (c cueSet) in(norms []string) bool { return c.index(norms) >= 0 }

// index returns the position of the first cue phrase found in norms, or -1.
func (c cueSet) index(norms []string) int {
	for i, n := range norms {
		for _, pi := range c.byFirst[n] {
			if p := c.phrases[pi]; i+len(p) <= len(norms) && slices.Equal(norms[i:i+len(p)], p) {
				return i
			}
		}
	}
	return -1
}

// sentenceInfo is what the text says about the requirements of one
// sentence.
type sentenceInfo struct {
	first, last int // token range [first,last)
	heading     bool
	section     section
	must        bool
	cued        bool // must was set by a cue of the sentence itself
	assetFrom   int  // token from which the sentence asks for assets only, or -1
	years       float64
}

// sentences groups tokens into sentences and reads their semantics:
// headings open sections, cue words override the section's must/asset, and
// "3+ years", "at least five years", "5 ans" set the minimum years.
func sentences(text string, toks []Token) []sentenceInfo {
	var out []sentenceInfo
	var marks []cueMark // per sentence: the marks of its words
	for i := 0; i < len(toks); {
		var m cueMark
		j := i
		for ; j < len(toks) && toks[j].Sentence == toks[i].Sentence; j++ {
			m |= markOf(toks[j].Norm)
		}
		out = append(out, sentenceInfo{first: i, last: j})
		marks = append(marks, m)
		i = j
	}
	cur := sectionNone
	trailing := false // after prose that closed a section
	var norms []string
	for k := range out {
		s := &out[k]
		norms = norms[:0]
		if marks[k] != 0 || s.last-s.first <= maxHeadingWords {
			for _, t := range toks[s.first:s.last] {
				norms = append(norms, t.Norm)
			}
		}
		if k > 0 && cur != sectionNone && s.last-s.first >= 6 && proseAfterBlank(text, toks, out[k-1].last-1, s.first) {
			// A paragraph of prose after a list ("Horaire de soir avec
			// prime, assurances collectives…") is outside the section.
			cur, trailing = sectionNone, true
		}
		if isHeading(text, toks, s.first, s.last) {
			switch {
			case assetHeadings.in(norms):
				cur, s.heading = sectionAsset, true
			case otherHeadings.in(norms):
				cur, s.heading = sectionOther, true
			case dutiesHeadings.in(norms):
				cur, s.heading = sectionDuties, true
			case mustHeadings.in(norms):
				cur, s.heading = sectionMust, true
			default:
				// A title without a cue ("How we work", "Our stack") ends
				// the previous section.
				if isTitle(text, toks, s.first, s.last) {
					cur, s.heading = sectionNone, true
				}
			}
		}
		s.section = cur
		if !s.heading && cur != sectionOther && offerLeads.leads(toks[s.first:s.last]) {
			// "We offer a hybrid schedule and a pension plan": what the
			// employer gives, wherever it stands, asks nothing.
			s.section = sectionOther
		}
		s.must = s.section != sectionAsset && s.section != sectionOther
		s.assetFrom = -1
		mustCue := marks[k]&markMust != 0 && mustCues.in(norms)
		at := -1
		if marks[k]&markAsset != 0 {
			at = assetCues.index(norms)
		}
		if at >= 0 {
			// "SQL and relational databases, PostgreSQL preferred": an
			// asset cue closing a short clause after a comma or dash
			// concerns that clause only.
			clause := s.first + at
			for clause > s.first && !clauseBreak(toks[clause].Before) {
				clause--
			}
			if clause > s.first && s.first+at-clause <= 3 {
				s.assetFrom = clause
				s.must = s.must || mustCue
			} else {
				s.must = false
			}
			s.cued = true
		} else if mustCue {
			s.must, s.cued = true, true
		}
		if trailing && s.section == sectionNone && !s.heading && !mustCue && marks[k]&markBenefit != 0 && benefitCues.in(norms) {
			// "Paid training, group insurance from day one and a
			// performance bonus." after the lists: benefits, not
			// requirements.
			s.section, s.must, s.assetFrom = sectionOther, false, -1
			continue
		}
		if marks[k]&markNumber != 0 {
			s.years = yearsIn(toks[s.first:s.last])
		}
	}
	return out
}

// cueMark flags what a word can start: a must cue, an asset cue, a number.
// sentences looks for cues and years only in the sentences whose words
// are marked for them.
type cueMark uint8

const (
	markMust cueMark = 1 << iota
	markAsset
	markNumber
	markBenefit
)

// cueMarks holds the marks of the words that have one.
var cueMarks = func() map[string]cueMark {
	m := map[string]cueMark{}
	for _, c := range []struct {
		set  cueSet
		mark cueMark
	}{{mustCues, markMust}, {assetCues, markAsset}, {benefitCues, markBenefit}} {
		for w := range c.set.byFirst {
			m[w] |= c.mark
		}
	}
	for w := range numberWords {
		m[w] |= markNumber
	}
	return m
}()

// markOf returns the marks of a folded word: a word starting with a digit
// may be a number.
func markOf(norm string) cueMark {
	if norm != "" && norm[0] >= '0' && norm[0] <= '9' {
		return markNumber | cueMarks[norm]
	}
	return cueMarks[norm]
}

// maxHeadingWords is the most words a heading has.
const maxHeadingWords = 7

// isHeading reports whether the sentence of tokens [first,last) is a heading:
// alone on its line, short, and ended by a colon or written without a final
// full stop.
func isHeading(text string, toks []Token, first, last int) bool {
	if last-first > maxHeadingWords {
		return false
	}
	start, end := toks[first].Start, toks[last-1].End
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	lineEnd := strings.IndexByte(text[end:], '\n')
	if lineEnd < 0 {
		lineEnd = len(text)
	} else {
		lineEnd += end
	}
	before := strings.Trim(text[lineStart:start], " \t#*•-=_>")
	after := strings.TrimSpace(text[end:lineEnd])
	if before != "" {
		return false
	}
	after = strings.Trim(after, "*_#=")
	return after == "" || after == ":" || after == "?" || after == "!"
}

func clauseBreak(r rune) bool {
	return r == ',' || r == ';' || r == '-' || r == '–' || r == '—' || r == '('
}

// mustAt says whether a competency found at token tok of the sentence is a
// must-have.
func (s *sentenceInfo) mustAt(tok int) bool {
	if s.assetFrom >= 0 && tok >= s.assetFrom {
		return false
	}
	return s.must
}

// proseAfterBlank reports whether the token first starts a line of prose
// (no bullet) after a blank line following token prev.
func proseAfterBlank(text string, toks []Token, prev, first int) bool {
	if !blankLineBetween(text, toks[prev].End, toks[first].Start) {
		return false
	}
	start := toks[first].Start
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	return strings.TrimSpace(text[lineStart:start]) == ""
}

// isTitle reports whether a heading-like line is surely a title: no bullet
// before it, at most five words starting with a capital letter, and either
// ended by a colon or of two words or more with a function word ("Our
// stack", "How we work"; not "Power BI").
func isTitle(text string, toks []Token, first, last int) bool {
	if last-first > 5 || toks[first].Shape == ShapeLower {
		return false
	}
	start := toks[first].Start
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	if strings.Trim(text[lineStart:start], " \t#") != "" {
		return false
	}
	end := toks[last-1].End
	if rest := strings.TrimLeft(text[end:], " \t"); strings.HasPrefix(rest, ":") {
		return true
	}
	if last-first < 2 {
		return false
	}
	for _, t := range toks[first:last] {
		if t.Stop {
			return true
		}
	}
	return false
}

// yearsIn finds the minimum years of experience a sentence asks for: a
// number (digits, "3+", "five", "cinq") followed within four tokens by a
// year word. In a range ("3-5 years") the lower bound counts.
func yearsIn(toks []Token) float64 {
	for i, t := range toks {
		n, ok := numberOf(t.Norm)
		if !ok {
			continue
		}
		for j := i + 1; j < len(toks) && j <= i+4; j++ {
			if yearWords[toks[j].Norm] {
				return n
			}
			if _, isNum := numberOf(toks[j].Norm); !isNum && !isRangeWord(toks[j].Norm) && !toks[j].Stop && toks[j].Norm != "plus" && toks[j].Norm != "more" {
				break
			}
		}
	}
	return 0
}

func isRangeWord(s string) bool { return s == "to" || s == "a" || s == "or" || s == "ou" }

func numberOf(s string) (float64, bool) {
	if v, ok := numberWords[s]; ok {
		return v, true
	}
	s = strings.TrimRight(s, "+")
	if s == "" || len(s) > 4 || s[0] < '0' || s[0] > '9' {
		return 0, false // not a number (nor "nan" or "inf", which ParseFloat takes)
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil || v < 0 || v > 60 {
		return 0, false
	}
	return v, true
}

// levelNear returns the level word closest before token first (up to six
// tokens back) or right after last (up to three tokens), within the same
// sentence.
func levelNear(toks []Token, first, last int) Level {
	for i := first - 1; i >= 0 && i >= first-6 && toks[i].Sentence == toks[first].Sentence; i-- {
		if l, ok := levelCueWords[toks[i].Norm]; ok {
			return l
		}
	}
	for i := last + 1; i < len(toks) && i <= last+3 && toks[i].Sentence == toks[last].Sentence; i++ {
		if l, ok := levelCueWords[toks[i].Norm]; ok {
			return l
		}
	}
	return LevelNone
}
