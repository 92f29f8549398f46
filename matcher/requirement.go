package matcher

import (
	"fmt"
	"strings"
)

// Confidence says how a requirement was found.
type Confidence string

const (
	// Detected means a label of the competency (preferred, alternative or
	// hidden, in any language) occurs in the text, word for word after
	// stemming, with enough evidence when the label is ambiguous.
	Detected Confidence = "detected"
	// Suggested means the competency is lexically close to a sentence of the
	// text (its labels, description or neighbours share weighted words with
	// it) without an exact label occurrence. A recruiter should confirm it.
	Suggested Confidence = "suggested"
	// Template means the requirement comes from an occupation profile, not
	// from the text.
	Template Confidence = "template"
)

// Level is a proficiency level asked for. The zero value means no level was
// stated.
type Level string

// The levels Skillmatch recognises, from lowest to highest.
const (
	LevelNone         Level = ""
	LevelBasic        Level = "basic"
	LevelIntermediate Level = "intermediate"
	LevelAdvanced     Level = "advanced"
	LevelExpert       Level = "expert"
)

// Rank orders levels: 0 for none, 1 basic … 4 expert.
func (l Level) Rank() int {
	switch l {
	case LevelBasic:
		return 1
	case LevelIntermediate:
		return 2
	case LevelAdvanced:
		return 3
	case LevelExpert:
		return 4
	}
	return 0
}

// ParseLevel turns "basic", "intermediate", "advanced" or "expert" (any case)
// into a Level; the empty string gives LevelNone.
func ParseLevel(s string) (Level, error) {
	switch l := Level(strings.ToLower(strings.TrimSpace(s))); l {
	case LevelNone, LevelBasic, LevelIntermediate, LevelAdvanced, LevelExpert:
		return l, nil
	}
	return LevelNone, fmt.Errorf("matcher: unknown level %q (use basic, intermediate, advanced or expert)", s)
}

// Requirement is one competency a job asks for, as extracted from a job
// posting or proposed by an occupation template. It is the unit that
// ranking, gap analysis and the user interface work with.
type Requirement struct {
	// CompetencyID is the taxonomy ID of the competency.
	CompetencyID string `json:"id"`
	// Label is the competency's preferred label in the language of the text
	// (English as fallback).
	Label string `json:"label"`
	// Must is true for a must-have and false for an asset (nice to have).
	Must bool `json:"must"`
	// Weight is the importance of the requirement in (0,1]: must-haves weigh
	// more than assets, detected more than suggested. Ranking multiplies
	// coverage by it.
	Weight float64 `json:"weight"`
	// MinLevel is the lowest proficiency level accepted (LevelNone if the
	// text states none).
	MinLevel Level `json:"level,omitempty"`
	// MinYears is the minimum years of experience asked for (0 if none).
	MinYears float64 `json:"min_years,omitempty"`
	// Confidence says whether the competency was detected word for word,
	// suggested by similarity, or proposed by an occupation template.
	Confidence Confidence `json:"confidence"`
	// Score in [0,1] says how sure the extractor is; detected requirements
	// score above every suggested one of the same text.
	Score float64 `json:"score"`
	// Spans are the byte ranges [start,end) of the text that produced the
	// requirement, in order, never overlapping. Empty for templates.
	Spans [][2]int `json:"spans"`
}
