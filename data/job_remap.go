package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// A saved job keeps the requirement IDs of the taxonomy that was active when
// it was extracted or edited, while RefreshEvidence makes the stored
// evidence name the competencies of the active taxonomy: after a switch,
// such a job would rank every applicant at 0. MapJobsToActive moves the
// requirements of every job to the active taxonomy, keeping the recruiter's
// edits.

// Ways a requirement is mapped to the active taxonomy.
const (
	// MappedByRef: the old and the new competency are tied by an external
	// reference (an ESCO or O*NET URI): one's ID is a reference of the
	// other, or both carry the same reference.
	MappedByRef = "reference"
	// MappedByLabel: the new competency is the only one of the active
	// taxonomy with a preferred or alternative label equal (folded) to the
	// old competency's preferred label.
	MappedByLabel = "label"
)

// JobMapReport says what MapJobsToActive did (or, from PreviewJobMapping,
// would do).
type JobMapReport struct {
	// Taxonomy is the name of the active taxonomy the jobs were mapped to.
	Taxonomy string `json:"taxonomy"`
	// DryRun is true for a report of PreviewJobMapping: nothing was
	// written.
	DryRun bool `json:"dry_run,omitempty"`
	// Jobs counts the jobs read, Changed those whose requirements changed
	// (and were stored, unless DryRun).
	Jobs    int `json:"jobs"`
	Changed int `json:"changed"`
	// ByRef and ByLabel count the requirements mapped each way; Merged
	// counts those merged into another requirement of the same job that
	// maps to the same competency (they are counted in ByRef or ByLabel
	// too).
	ByRef   int `json:"by_reference"`
	ByLabel int `json:"by_label"`
	Merged  int `json:"merged"`
	// Unmapped lists the requirements whose competency is not in the
	// active taxonomy and could not be mapped; they are kept as they are
	// and ranking counts them as unmet.
	Unmapped []UnmappedRequirement `json:"unmapped,omitempty"`
}

// Mapped returns the number of requirements mapped.
func (r *JobMapReport) Mapped() int { return r.ByRef + r.ByLabel }

// UnmappedRequirement is a requirement of a saved job whose competency is
// not in the active taxonomy and has no counterpart there.
type UnmappedRequirement struct {
	JobID    int64  `json:"job_id"`
	JobTitle string `json:"job_title"`
	// CompetencyID and Label are the requirement's, as stored.
	CompetencyID string `json:"id"`
	Label        string `json:"label"`
	// Known is false when no taxonomy of the workspace has the
	// competency (it was then matched by the stored label only).
	Known bool `json:"known"`
	// Candidates lists, when the label was ambiguous, the competencies of
	// the active taxonomy that carry it.
	Candidates []string `json:"candidates,omitempty"`
}

// MapJobsToActive maps, in every saved job, each requirement whose
// competency is not in the active taxonomy to a competency of the active
// taxonomy, in this order:
//
//   - by reference: a competency whose ID is a reference (ESCO/O*NET URI)
//     of the old competency, or that carries the old competency's ID or
//     one of its references as a reference;
//   - by label: the only competency whose preferred or alternative label
//     in the job's language (then English), folded, equals the old
//     competency's preferred label in that language. Two or more such
//     competencies leave the requirement unmapped.
//
// The old competency is looked up in the taxonomies the workspace knows:
// the embedded default, then the cached ones by name (each loaded at most
// once per call, only when a job needs it); one that none knows is matched
// by its ID and stored label. A mapped requirement keeps the recruiter's
// edits (must, weight, level, years, confidence, spans) and takes the ID
// and the label (in the job's language) of the new competency. Two
// requirements of a job that end on one competency are merged at the place
// of the first: must if either is, the larger weight, level, years and
// score, the spans of both, the first's confidence. Unmapped requirements
// stay as they are and are listed in the report.
//
// Each changed job is written in its own transaction (UpdatedAt set to
// now; unchanged jobs are not written). ctx is checked between jobs: a run
// stopped early keeps the jobs done and returns the report with the error.
// A second run changes nothing.
func (s *Store) MapJobsToActive(ctx context.Context) (*JobMapReport, error) {
	return s.mapJobs(ctx, false, nil)
}

// PreviewJobMapping reports what MapJobsToActive would do, without writing:
// its Unmapped list names the requirements of saved jobs that are not in
// the active taxonomy and have no counterpart there.
func (s *Store) PreviewJobMapping(ctx context.Context) (*JobMapReport, error) {
	return s.mapJobs(ctx, true, nil)
}

// mapJobs maps (or, with dryRun, previews) every job; done, when not nil,
// is called after each job with the report so far.
func (s *Store) mapJobs(ctx context.Context, dryRun bool, done func(*JobMapReport)) (*JobMapReport, error) {
	active, err := s.ActiveTaxonomy()
	if err != nil {
		return nil, err
	}
	ids, err := s.jobIDs(ctx)
	if err != nil {
		return nil, err
	}
	m := &jobMapper{s: s, active: active}
	rep := &JobMapReport{Taxonomy: active.Name, DryRun: dryRun}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		var res jobMapResult
		apply := func(q queryRower) (*jobMapResult, error) {
			j, err := scanJob(q.QueryRow("SELECT "+jobColumns+" FROM jobs WHERE id = ?", id))
			if errors.Is(err, sql.ErrNoRows) {
				return nil, nil // deleted meanwhile
			}
			if err != nil {
				return nil, fmt.Errorf("job %d: %w", id, err)
			}
			r, err := m.mapJob(j)
			if err != nil {
				return nil, fmt.Errorf("job %d (%s): %w", j.ID, j.Title, err)
			}
			return r, nil
		}
		if dryRun {
			r, err := apply(s.r)
			if err != nil {
				return rep, err
			}
			if r != nil {
				res = *r
			}
		} else {
			// Read and write in one transaction, so that an edit saved
			// meanwhile is neither lost nor half mapped.
			err = s.write(ctx, func(tx *sql.Tx) error {
				r, err := apply(tx)
				if err != nil || r == nil {
					return err
				}
				res = *r
				if !r.changed {
					return nil
				}
				b, err := json.Marshal(r.reqs)
				if err != nil {
					return fmt.Errorf("job %d: requirements: %w", id, err)
				}
				_, err = tx.Exec("UPDATE jobs SET requirements = ?, updated_at = ? WHERE id = ?", string(b), stamp(s.now().UTC()), id)
				if err != nil {
					return fmt.Errorf("job %d: %w", id, err)
				}
				return nil
			})
			if err != nil {
				return rep, fmt.Errorf("workspace %s: mapping the requirements of job %d to taxonomy %s: %w", s.path, id, active.Name, err)
			}
		}
		if !res.seen {
			continue
		}
		rep.Jobs++
		if res.changed {
			rep.Changed++
		}
		rep.ByRef += res.byRef
		rep.ByLabel += res.byLabel
		rep.Merged += res.merged
		rep.Unmapped = append(rep.Unmapped, res.unmapped...)
		if done != nil {
			done(rep)
		}
	}
	return rep, nil
}

// jobIDs lists the IDs of every job, oldest first.
func (s *Store) jobIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id FROM jobs ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("workspace %s: listing jobs: %w", s.path, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("workspace %s: listing jobs: %w", s.path, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// jobMapper maps requirements to the active taxonomy, with the indexes and
// the old taxonomies it loaded so far.
type jobMapper struct {
	s      *Store
	active *taxonomy.Taxonomy
	// byRef maps an external reference ID to the competencies of the
	// active taxonomy that carry it, sorted by ID.
	byRef map[string][]*taxonomy.Competency
	// byLabel maps language + "\x00" + folded preferred or alternative
	// label to the IDs of the competencies of the active taxonomy that
	// carry it, sorted.
	byLabel map[string][]string
	// old are the other taxonomies the workspace knows, loaded on demand:
	// the default first, then the cached ones by name.
	oldNames []string
	old      []*taxonomy.Taxonomy
}

type jobMapResult struct {
	seen, changed          bool
	reqs                   []matcher.Requirement
	byRef, byLabel, merged int
	unmapped               []UnmappedRequirement
}

func (m *jobMapper) index() {
	if m.byRef != nil {
		return
	}
	m.byRef = map[string][]*taxonomy.Competency{}
	m.byLabel = map[string][]string{}
	for _, c := range m.active.Competencies() { // sorted by ID
		for _, r := range c.Refs {
			if l := m.byRef[r.ID]; len(l) == 0 || l[len(l)-1] != c {
				m.byRef[r.ID] = append(l, c)
			}
		}
		for lang, ls := range c.Labels {
			for _, l := range append([]string{ls.Preferred}, ls.Alt...) {
				if l == "" {
					continue
				}
				k := lang + "\x00" + taxonomy.Fold(l)
				if ids := m.byLabel[k]; !slices.Contains(ids, c.ID) {
					m.byLabel[k] = append(ids, c.ID)
				}
			}
		}
	}
}

// lookupOld finds the competency id in the taxonomies the workspace knows
// besides the active one, loading them one at a time as needed.
func (m *jobMapper) lookupOld(id string) (*taxonomy.Competency, error) {
	for _, t := range m.old {
		if c, ok := t.Get(id); ok {
			return c, nil
		}
	}
	if m.oldNames == nil {
		infos, err := m.s.Taxonomies()
		if err != nil {
			return nil, err
		}
		m.oldNames = []string{}
		for _, ti := range infos { // the default first, then by name
			if ti.Name != m.active.Name {
				m.oldNames = append(m.oldNames, ti.Name)
			}
		}
	}
	for len(m.old) < len(m.oldNames) {
		name := m.oldNames[len(m.old)]
		t, err := m.s.LoadTaxonomy(name)
		if err != nil {
			return nil, fmt.Errorf("looking up competency %s: %w", id, err)
		}
		m.old = append(m.old, t)
		if c, ok := t.Get(id); ok {
			return c, nil
		}
	}
	return nil, nil
}

// target finds the competency of the active taxonomy for the requirement
// r of a job in lang: the competency, how it was found, and, when the
// label was ambiguous, the candidates.
func (m *jobMapper) target(r matcher.Requirement, lang string) (c *taxonomy.Competency, by string, candidates []string, known bool, err error) {
	m.index()
	old, err := m.lookupOld(r.CompetencyID)
	if err != nil {
		return nil, "", nil, false, err
	}
	known = old != nil
	// By reference: the old competency's references as IDs, then as
	// references of the new, then its ID as a reference of the new.
	var refs []string
	if old != nil {
		for _, rf := range old.Refs {
			refs = append(refs, rf.ID)
		}
	}
	for _, id := range refs {
		if c, ok := m.active.Get(id); ok {
			return c, MappedByRef, nil, known, nil
		}
	}
	for _, id := range append([]string{r.CompetencyID}, refs...) {
		if cs := m.byRef[id]; len(cs) > 0 {
			return m.pick(cs, old, r, lang), MappedByRef, nil, known, nil
		}
	}
	// By label, in the job's language, then English.
	langs := []string{lang}
	if lang != "en" {
		langs = append(langs, "en")
	}
	for _, lg := range langs {
		label := r.Label
		if old != nil {
			l, ok := old.Labels[lg]
			if !ok || l.Preferred == "" {
				continue
			}
			label = l.Preferred
		} else if lg != lang {
			break // the stored label is in the job's language
		}
		ids := m.byLabel[lg+"\x00"+taxonomy.Fold(label)]
		switch len(ids) {
		case 0:
			continue
		case 1:
			c, _ := m.active.Get(ids[0])
			return c, MappedByLabel, nil, known, nil
		default:
			return nil, "", ids, known, nil
		}
	}
	return nil, "", nil, known, nil
}

// pick chooses among several competencies of the active taxonomy that
// carry the same reference: the one whose label is the old competency's
// (or the stored) label, else the first by ID.
func (m *jobMapper) pick(cs []*taxonomy.Competency, old *taxonomy.Competency, r matcher.Requirement, lang string) *taxonomy.Competency {
	if len(cs) == 1 {
		return cs[0]
	}
	want := taxonomy.Fold(r.Label)
	if old != nil {
		want = taxonomy.Fold(old.Label(lang))
	}
	for _, c := range cs {
		if taxonomy.Fold(c.Label(lang)) == want {
			return c
		}
	}
	return cs[0]
}

// mapJob maps the requirements of j (see MapJobsToActive).
func (m *jobMapper) mapJob(j *Job) (*jobMapResult, error) {
	res := &jobMapResult{seen: true}
	lang := j.Language
	if lang == "" {
		lang = "en"
	}
	type entry struct {
		req    matcher.Requirement
		mapped bool
	}
	var out []entry
	at := map[string]int{}
	for _, r := range j.Requirements {
		mapped := false
		if _, ok := m.active.Get(r.CompetencyID); !ok {
			c, by, cands, known, err := m.target(r, lang)
			if err != nil {
				return nil, err
			}
			if c == nil {
				res.unmapped = append(res.unmapped, UnmappedRequirement{
					JobID: j.ID, JobTitle: j.Title, CompetencyID: r.CompetencyID, Label: r.Label, Known: known, Candidates: cands,
				})
			} else {
				mapped = true
				r.CompetencyID, r.Label = c.ID, c.Label(lang)
				if by == MappedByRef {
					res.byRef++
				} else {
					res.byLabel++
				}
			}
		}
		if k, ok := at[r.CompetencyID]; ok && (mapped || out[k].mapped) {
			out[k].req = mergeRequirements(out[k].req, r)
			out[k].mapped = true
			res.merged++
			continue
		}
		if _, ok := at[r.CompetencyID]; !ok {
			at[r.CompetencyID] = len(out)
		}
		out = append(out, entry{r, mapped})
	}
	res.reqs = make([]matcher.Requirement, len(out))
	for i, e := range out {
		res.reqs[i] = e.req
	}
	res.changed = res.byRef+res.byLabel > 0
	return res, nil
}

// mergeRequirements merges b into a, two requirements of one job that ask
// for the same competency: must if either is, the larger weight, level,
// years and score, the spans of both, a's confidence and label.
func mergeRequirements(a, b matcher.Requirement) matcher.Requirement {
	a.Must = a.Must || b.Must
	a.Weight = max(a.Weight, b.Weight)
	if b.MinLevel.Rank() > a.MinLevel.Rank() {
		a.MinLevel = b.MinLevel
	}
	a.MinYears = max(a.MinYears, b.MinYears)
	a.Score = max(a.Score, b.Score)
	a.Spans = joinSpans(a.Spans, b.Spans)
	return a
}

// joinSpans returns the byte ranges of a and b in order, overlapping ones
// joined.
func joinSpans(a, b [][2]int) [][2]int {
	all := append(append([][2]int{}, a...), b...)
	if len(all) == 0 {
		return a
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i][0] != all[j][0] {
			return all[i][0] < all[j][0]
		}
		return all[i][1] < all[j][1]
	})
	out := all[:1]
	for _, sp := range all[1:] {
		last := &out[len(out)-1]
		if sp[0] < last[1] {
			last[1] = max(last[1], sp[1])
			continue
		}
		out = append(out, sp)
	}
	return out
}
