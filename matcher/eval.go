package matcher

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// EvalSentence is one annotated sentence of a skill-extraction benchmark:
// the text and the preferred labels of the competencies annotators found in
// it.
type EvalSentence struct {
	Text string
	Gold []string
}

// Labels of the benchmark that stand for "no competency fits".
var noLabel = map[string]bool{"LABEL NOT PRESENT": true, "UNDERSPECIFIED": true}

// ReadEvalCSV reads a skill-extraction annotation file with the columns
// sentence,span,sub_span,label (one row per sentence, span and label; a
// sentence repeats over rows). Rows labelled LABEL NOT PRESENT or
// UNDERSPECIFIED are left out, and so are sentences left without a label.
// Sentences keep the order of their first row; gold labels are distinct.
// name is used in error messages.
func ReadEvalCSV(r io.Reader, name string) ([]EvalSentence, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	si, ok1 := col["sentence"]
	li, ok2 := col["label"]
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%s:1: header %q lacks a sentence or label column (expected sentence,span,sub_span,label)", name, strings.Join(header, ","))
	}
	index := map[string]int{}
	var out []EvalSentence
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) <= max(si, li) {
			return nil, fmt.Errorf("%s:%d: %d fields, need at least %d (sentence,span,sub_span,label)", name, line, len(rec), max(si, li)+1)
		}
		text, label := rec[si], strings.TrimSpace(rec[li])
		if noLabel[label] || label == "" {
			continue
		}
		i, ok := index[text]
		if !ok {
			i = len(out)
			index[text] = i
			out = append(out, EvalSentence{Text: text})
		}
		if !contains(out[i].Gold, label) {
			out[i].Gold = append(out[i].Gold, label)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// EvalResult holds the figures of a ranking evaluation.
type EvalResult struct {
	Sentences int // sentences with at least one gold label
	Labels    int // (sentence, gold label) pairs
	// Unknown counts gold labels that are no preferred label of the
	// taxonomy (they can never be found).
	Unknown int
	// RPAtK is the mean over sentences of |gold ∩ top-K| / min(K, |gold|).
	RPAtK float64
	K     int
	// MRR is the mean reciprocal rank of the first correct prediction.
	MRR float64
	// Detected and DetectedCorrect count the detected (not suggested)
	// predictions and those in the gold set; DetectedPrecision is their
	// ratio.
	Detected, DetectedCorrect int
	DetectedPrecision         float64
	// FalseDetections lists detected labels that are not gold, as
	// "label <- sentence", for error analysis.
	FalseDetections []string
	// Misses lists, per sentence, the gold labels not in the top K, for
	// error analysis.
	Misses []EvalMiss
}

// EvalMiss is a sentence where gold labels were not ranked in the top K.
type EvalMiss struct {
	Text      string
	Missing   []string
	Predicted []string // the top K labels, detected ones marked with "*"
}

// Evaluate ranks the competencies of every sentence with e.Candidates and
// scores the ranking against the gold labels, matched by preferred English
// label (case and accents ignored). depth is how many candidates count for
// MRR (the whole ranked list the system returns); k is the K of RP@K.
func Evaluate(e *Extractor, sents []EvalSentence, k, depth int) EvalResult {
	res := EvalResult{K: k}
	byLabel := map[string]string{}
	for _, c := range e.comps {
		byLabel[normLabel(c.Label("en"))] = c.ID
	}
	for _, s := range sents {
		if len(s.Gold) == 0 {
			continue
		}
		res.Sentences++
		gold := map[string]bool{}
		for _, g := range s.Gold {
			res.Labels++
			id, ok := byLabel[normLabel(g)]
			if !ok {
				res.Unknown++
				id = "?" + g
			}
			gold[id] = true
		}
		cands := e.Candidates(s.Text, max(k, depth))
		hits := 0
		rr := 0.0
		var predicted []string
		found := map[string]bool{}
		for i, c := range cands {
			if gold[c.ID] {
				if rr == 0 {
					rr = 1 / float64(i+1)
				}
				if i < k {
					hits++
					found[c.ID] = true
				}
			}
			if c.Confidence == Detected {
				res.Detected++
				if gold[c.ID] {
					res.DetectedCorrect++
				} else {
					res.FalseDetections = append(res.FalseDetections, fmt.Sprintf("%s [%s] <- %s", c.Label, spanText(s.Text, c.Spans), s.Text))
				}
			}
			if i < k {
				mark := ""
				if c.Confidence == Detected {
					mark = "*"
				}
				predicted = append(predicted, mark+c.Label)
			}
		}
		res.RPAtK += float64(hits) / float64(min(k, len(gold)))
		res.MRR += rr
		var missing []string
		for _, g := range s.Gold {
			if id, ok := byLabel[normLabel(g)]; !ok || !found[id] {
				missing = append(missing, g)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			res.Misses = append(res.Misses, EvalMiss{Text: s.Text, Missing: missing, Predicted: predicted})
		}
	}
	if res.Sentences > 0 {
		res.RPAtK /= float64(res.Sentences)
		res.MRR /= float64(res.Sentences)
	}
	if res.Detected > 0 {
		res.DetectedPrecision = float64(res.DetectedCorrect) / float64(res.Detected)
	}
	return res
}

func normLabel(s string) string { return taxonomy.Fold(strings.TrimSpace(s)) }

func spanText(text string, spans [][2]int) string {
	parts := make([]string, 0, len(spans))
	for _, sp := range spans {
		parts = append(parts, text[sp[0]:sp[1]])
	}
	return strings.Join(parts, "|")
}
