package app

import (
	"slices"
	"sort"

	"github.com/skillmatch/skillmatch/matcher"
)

// reqStatus says where a requirement on the Job screen stands.
type reqStatus int

const (
	statusDetected reqStatus = iota // found word for word in the posting
	statusPending                   // suggested by the extractor, not yet reviewed
	statusAccepted                  // suggested, accepted by the recruiter
	statusRejected                  // detected or suggested, rejected by the recruiter
	statusAdded                     // added by the recruiter from the taxonomy
	statusTemplate                  // proposed by an occupation template
)

// decision is what the recruiter changed on one requirement.
type decision struct {
	accepted, rejected bool
	must               *bool
	weight             *float64
	level              *matcher.Level
	years              *float64
}

// reqRow is one line of the requirement list: the requirement with the
// recruiter's changes applied, and its status.
type reqRow struct {
	req    matcher.Requirement
	status reqStatus
}

// counts reports whether the requirement is part of the job (ranking uses
// it): everything but pending suggestions and rejected ones.
func (r reqRow) counts() bool { return r.status != statusPending && r.status != statusRejected }

// jobState is the job being defined on the Job screen: the posting, what
// the extractor found in it and what the recruiter decided. Decisions are
// kept by competency ID, so they survive re-extraction as the posting is
// edited. It is plain Go, used on the UI goroutine only.
type jobState struct {
	// text is the posting as extracted; spans of extracted refer to it.
	text      string
	lang      string
	extracted []matcher.Requirement
	decisions map[string]*decision
	// added are requirements the recruiter or a template added, in order.
	added []reqRow
	// saved are the requirements of the stored job as last edited, not yet
	// reconciled with an extraction of savedText.
	saved     []matcher.Requirement
	savedText string
}

func newJobState() *jobState { return &jobState{decisions: map[string]*decision{}} }

// setExtraction records the extractor's result for text. The first
// extraction of a stored job's text is reconciled with the requirements as
// the recruiter saved them.
func (s *jobState) setExtraction(text string, ex matcher.Extraction) {
	s.text, s.lang, s.extracted = text, ex.Language, ex.Requirements
	if s.saved != nil && text == s.savedText {
		s.reconcile()
	}
}

// loadSaved starts the state from a stored job: its text (to be
// extracted) and its requirements as edited. A job with requirements but no
// text is reconciled at once.
func (s *jobState) loadSaved(text, lang string, reqs []matcher.Requirement) {
	*s = *newJobState()
	s.lang = lang
	if len(reqs) == 0 {
		return
	}
	s.saved, s.savedText = slices.Clone(reqs), text
	if text == "" {
		s.reconcile()
	}
}

// reconcile turns the saved requirements into decisions over the current
// extraction: what the extractor finds but the recruiter had not kept is
// rejected; what was kept takes its saved must/asset, weight, level and
// years (a kept suggestion is accepted); what the extractor does not find
// was added by hand or by a template.
func (s *jobState) reconcile() {
	saved := s.saved
	s.saved = nil
	kept := map[string]bool{}
	for _, r := range saved {
		kept[r.CompetencyID] = true
	}
	found := map[string]matcher.Requirement{}
	for _, r := range s.extracted {
		found[r.CompetencyID] = r
		if !kept[r.CompetencyID] {
			s.reject(r.CompetencyID)
		}
	}
	for _, r := range saved {
		id := r.CompetencyID
		if e, ok := found[id]; ok {
			if e.Confidence == matcher.Suggested {
				s.accept(id)
			}
		} else {
			status := statusAdded
			if r.Confidence == matcher.Template {
				status = statusTemplate
			}
			s.add(r, status)
		}
		s.setMust(id, r.Must)
		s.setWeight(id, r.Weight)
		s.setLevel(id, r.MinLevel)
		s.setYears(id, r.MinYears)
	}
}

func (s *jobState) decision(id string) *decision {
	d := s.decisions[id]
	if d == nil {
		d = &decision{}
		s.decisions[id] = d
	}
	return d
}

// rows returns the requirement list as shown: must-haves first, then
// assets, then pending suggestions, then rejected ones; within each group
// in the extractor's order, added ones after extracted ones.
func (s *jobState) rows() []reqRow {
	out := make([]reqRow, 0, len(s.extracted)+len(s.added))
	seen := map[string]bool{}
	for _, r := range s.extracted {
		row := reqRow{req: r, status: statusDetected}
		if r.Confidence == matcher.Suggested {
			row.status = statusPending
		}
		if r.Confidence == matcher.Template {
			row.status = statusTemplate
		}
		seen[r.CompetencyID] = true
		out = append(out, s.apply(row))
	}
	for _, row := range s.added {
		if seen[row.req.CompetencyID] {
			continue
		}
		seen[row.req.CompetencyID] = true
		out = append(out, s.apply(row))
	}
	group := func(r reqRow) int {
		switch {
		case r.status == statusRejected:
			return 3
		case r.status == statusPending:
			return 2
		case !r.req.Must:
			return 1
		}
		return 0
	}
	sort.SliceStable(out, func(i, j int) bool { return group(out[i]) < group(out[j]) })
	return out
}

// apply lays the recruiter's decision over a row.
func (s *jobState) apply(row reqRow) reqRow {
	d := s.decisions[row.req.CompetencyID]
	if d == nil {
		return row
	}
	switch {
	case d.rejected:
		row.status = statusRejected
	case d.accepted && row.status == statusPending:
		row.status = statusAccepted
	}
	if d.must != nil {
		row.req.Must = *d.must
	}
	if d.weight != nil {
		row.req.Weight = *d.weight
	}
	if d.level != nil {
		row.req.MinLevel = *d.level
	}
	if d.years != nil {
		row.req.MinYears = *d.years
	}
	return row
}

// Requirements returns the requirements of the job as ranking sees them:
// detected, accepted, added and template ones, not pending or rejected.
func (s *jobState) Requirements() []matcher.Requirement {
	var out []matcher.Requirement
	for _, r := range s.rows() {
		if r.counts() {
			out = append(out, r.req)
		}
	}
	return out
}

func (s *jobState) accept(id string) {
	d := s.decision(id)
	d.accepted, d.rejected = true, false
}

func (s *jobState) reject(id string) {
	d := s.decision(id)
	d.accepted, d.rejected = false, true
}

// restore undoes a rejection.
func (s *jobState) restore(id string) { s.decision(id).rejected = false }

func (s *jobState) setMust(id string, must bool) { s.decision(id).must = &must }

func (s *jobState) setWeight(id string, w float64) { s.decision(id).weight = &w }

func (s *jobState) setLevel(id string, l matcher.Level) { s.decision(id).level = &l }

func (s *jobState) setYears(id string, y float64) { s.decision(id).years = &y }

// add puts a requirement the recruiter chose (or a template proposed) on
// the list; it undoes an earlier rejection of the same competency.
func (s *jobState) add(r matcher.Requirement, status reqStatus) {
	if d := s.decisions[r.CompetencyID]; d != nil {
		d.rejected = false
	}
	if slices.ContainsFunc(s.added, func(x reqRow) bool { return x.req.CompetencyID == r.CompetencyID }) {
		return
	}
	s.added = append(s.added, reqRow{req: r, status: status})
}

// remove takes an added requirement off the list; an extracted one is
// rejected instead, so it stays visible and can be restored.
func (s *jobState) remove(id string) {
	if i := slices.IndexFunc(s.added, func(x reqRow) bool { return x.req.CompetencyID == id }); i >= 0 {
		s.added = slices.Delete(s.added, i, i+1)
		return
	}
	s.reject(id)
}

// highlight is one stretch of the posting text and how to show it.
type highlight struct {
	start, end int
	class      hlClass
	id         string // competency that produced it ("" for plain text)
}

type hlClass int

const (
	hlNone hlClass = iota
	hlSuggested
	hlAsset
	hlMust
)

// highlights cuts the extracted text into stretches: plain text, and the
// spans of each requirement classed must-have, asset or suggestion (a
// stretch covered by several requirements takes the strongest class).
// Rejected requirements are not highlighted.
func (s *jobState) highlights() []highlight {
	n := len(s.text)
	if n == 0 {
		return nil
	}
	class := make([]hlClass, n)
	owner := make([]string, n)
	for _, row := range s.rows() {
		var c hlClass
		switch {
		case row.status == statusRejected:
			continue
		case row.status == statusPending:
			c = hlSuggested
		case row.req.Must:
			c = hlMust
		default:
			c = hlAsset
		}
		for _, sp := range row.req.Spans {
			for i := max(sp[0], 0); i < min(sp[1], n); i++ {
				if c > class[i] {
					class[i], owner[i] = c, row.req.CompetencyID
				}
			}
		}
	}
	var out []highlight
	start := 0
	for i := 1; i <= n; i++ {
		if i == n || class[i] != class[start] || owner[i] != owner[start] {
			out = append(out, highlight{start: start, end: i, class: class[start], id: owner[start]})
			start = i
		}
	}
	return out
}
