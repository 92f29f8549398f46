package taxonomy

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// ESCO concept types as they appear in the conceptType / broaderType columns.
const (
	escoSkillType = "KnowledgeSkillCompetence"
	escoGroupType = "SkillGroup"
)

// ESCO concept schemes that mark the language and transversal collections.
const (
	escoLanguageScheme    = "http://data.europa.eu/esco/concept-scheme/skill-language-groups"
	escoTransversalScheme = "http://data.europa.eu/esco/concept-scheme/skill-transversal-groups"
)

// ImportESCO reads an ESCO CSV download: the folder as the European
// Commission distributes it. It reads
//
//   - skills_<lang>.csv — the skills and knowledge concepts (required, one
//     file per language; the languages merge into one taxonomy with labels
//     and descriptions per language);
//   - skillGroups_<lang>.csv and skillsHierarchy_<lang>.csv — the skill
//     groups, imported as competencies of kind group (skillsHierarchy also
//     supplies the pillar roots and the few groups skillGroups lacks);
//   - broaderRelationsSkillPillar[_<lang>].csv — the broader links between
//     skills and groups;
//   - skillSkillRelations[_<lang>].csv — the essential/optional links
//     between skills, stored as Related (symmetric; the direction and the
//     essential/optional mark are not kept);
//   - occupations_<lang>.csv and occupationSkillRelations[_<lang>].csv —
//     occupation profiles with their essential and optional skills.
//
// Relation files without a language suffix (ESCO 1.1.x) and with one
// (1.2.x) are both accepted; when several copies exist, the one without a
// suffix, else the _en one, is read (they hold the same relations).
// Columns are found by name, so later releases' extra columns are fine.
//
// Every concept's ID is its conceptUri, which is also recorded as an "esco"
// Ref. Labels: altLabels and hiddenLabels hold one label per line; labels are
// trimmed, and alternatives equal to the preferred label or repeated are
// dropped. The description column is kept per language (the definition
// where there is no description).
//
// Kinds: skillType "knowledge" becomes KindKnowledge, "skill/competence" (or
// empty) KindSkill; a skill in ESCO's language collection (concept scheme
// skill-language-groups, or placed only under the language pillar of
// skillsHierarchy) becomes KindLanguage, and one in the transversal
// collection (reuseLevel "transversal", scheme skill-transversal-groups, or
// placed only under the transversal pillar) KindTransversal.
//
// Relations must point at imported concepts: an unknown skill or group is an
// *ImportError naming file:line:column. Two cases are deliberately skipped
// and recorded in Taxonomy.Notes: broader rows whose conceptType or
// broaderType is neither KnowledgeSkillCompetence nor SkillGroup (such
// concepts, e.g. occupations or ISCO groups, are not part of the skills
// pillar), and occupation-skill rows whose occupation is not listed in any
// occupations_<lang>.csv (ESCO 1.1.1 has 67 rows for one such occupation:
// without its labels there is no profile to build). If no occupations file
// exists, the occupation-skill relations are not read.
//
// Files are parsed in parallel. The import is all or nothing.
func ImportESCO(dir string) (*Taxonomy, error) {
	return importESCO(context.Background(), dir)
}

func importESCO(ctx context.Context, dir string) (*Taxonomy, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("taxonomy: ESCO folder: %w", err)
	}
	files := escoFiles{relations: map[string]string{}}
	relCandidates := map[string][]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		stem, ok := strings.CutSuffix(name, ".csv")
		if !ok {
			continue
		}
		base, lang, hasLang := strings.Cut(stem, "_")
		if hasLang && !isLangCode(lang) {
			continue
		}
		path := filepath.Join(dir, name)
		switch base {
		case "skills", "skillGroups", "skillsHierarchy", "occupations":
			if hasLang {
				files.perLang = append(files.perLang, langFile{kind: base, lang: lang, path: path})
			}
		case "broaderRelationsSkillPillar", "skillSkillRelations", "occupationSkillRelations":
			relCandidates[base] = append(relCandidates[base], name)
		}
	}
	for base, names := range relCandidates {
		sort.Slice(names, func(i, j int) bool { return relRank(base, names[i]) < relRank(base, names[j]) })
		files.relations[base] = filepath.Join(dir, names[0])
	}
	sort.Slice(files.perLang, func(i, j int) bool {
		a, b := files.perLang[i], files.perLang[j]
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return langLess(a.lang, b.lang)
	})
	hasSkills := false
	for _, f := range files.perLang {
		hasSkills = hasSkills || f.kind == "skills"
	}
	if !hasSkills {
		return nil, fmt.Errorf("taxonomy: %s has no skills_<lang>.csv (such as skills_en.csv); point esco: at the folder of an ESCO CSV download", dir)
	}
	return files.load(ctx, "esco:"+dir)
}

// relRank orders the copies of a relation file: no suffix, then _en, then
// the others alphabetically.
func relRank(base, name string) string {
	switch name {
	case base + ".csv":
		return "0"
	case base + "_en.csv":
		return "1"
	}
	return "2" + name
}

// langLess sorts English first, then the other languages alphabetically, so
// that English wins where languages disagree (skillType).
func langLess(a, b string) bool {
	if (a == "en") != (b == "en") {
		return a == "en"
	}
	return a < b
}

func isLangCode(s string) bool {
	main, region, _ := strings.Cut(s, "-")
	if len(main) < 2 || len(main) > 3 {
		return false
	}
	for _, r := range main {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	for _, r := range region {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

type langFile struct{ kind, lang, path string }

type escoFiles struct {
	perLang   []langFile
	relations map[string]string // base name → path
}

// escoConcept is one row of a skills, skillGroups or occupations file.
type escoConcept struct {
	id        string
	skillType string
	reuse     string
	language  bool // in the language collection
	transv    bool // in the transversal collection
	isco      string
	labels    Labels
	desc      string
	line      int
}

// escoFacts are the ESCO-only facts about a competency that decide its kind,
// and where it was first read.
type escoFacts struct {
	skillType, reuse string
	language, transv bool
	loc              escoLoc
}

type escoLoc struct {
	file      string
	line, col int
}

func (l escoLoc) String() string {
	if l.col > 0 {
		return fmt.Sprintf("%s:%d:%d", l.file, l.line, l.col)
	}
	return fmt.Sprintf("%s:%d", l.file, l.line)
}

// escoHier is one row of skillsHierarchy_<lang>.csv.
type escoHier struct {
	uri   [4]string
	term  [4]string
	code0 string
	desc  string
	line  int
	col   [4]int
}

// escoRel is one row of a relation file.
type escoRel struct {
	fromType, from, typ, toType, to string
	line, fromCol, toCol, typCol    int32
}

type escoParsed struct {
	concepts []escoConcept
	hier     []escoHier
	rels     []escoRel
}

func (fs escoFiles) load(ctx context.Context, name string) (*Taxonomy, error) {
	type job struct {
		path  string
		parse func(context.Context, string) (escoParsed, error)
		out   escoParsed
		err   error
	}
	var jobs []*job
	for _, f := range fs.perLang {
		switch f.kind {
		case "skills":
			jobs = append(jobs, &job{path: f.path, parse: parseESCOSkills})
		case "skillGroups":
			jobs = append(jobs, &job{path: f.path, parse: parseESCOGroups})
		case "skillsHierarchy":
			jobs = append(jobs, &job{path: f.path, parse: parseESCOHierarchy})
		case "occupations":
			jobs = append(jobs, &job{path: f.path, parse: parseESCOOccupations})
		}
	}
	relJob := map[string]*job{}
	for _, base := range []string{"broaderRelationsSkillPillar", "skillSkillRelations", "occupationSkillRelations"} {
		if p, ok := fs.relations[base]; ok {
			j := &job{path: p, parse: relParser(base)}
			relJob[base] = j
			jobs = append(jobs, j)
		}
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() { j.out, j.err = j.parse(ctx, j.path) })
	}
	wg.Wait()
	if err := stopped(ctx, name); err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if j.err != nil {
			return nil, j.err
		}
	}

	total := 0
	for i, f := range fs.perLang {
		if f.kind != "occupations" {
			total += len(jobs[i].out.concepts) + len(jobs[i].out.hier)
		}
	}
	b := escoBuilder{index: make(map[string]int, total), comps: make([]Competency, 0, total), extra: make([]escoFacts, 0, total)}
	// Concepts first (jobs[i] parsed fs.perLang[i]), then the hierarchy,
	// which adds the groups only it names.
	for i, f := range fs.perLang {
		var err error
		switch f.kind {
		case "skills":
			err = b.addConcepts(f, jobs[i].out.concepts, false)
		case "skillGroups":
			err = b.addConcepts(f, jobs[i].out.concepts, true)
		}
		if err != nil {
			return nil, err
		}
	}
	for i, f := range fs.perLang {
		if f.kind == "skillsHierarchy" {
			if err := b.addHierarchy(f, jobs[i].out.hier); err != nil {
				return nil, err
			}
		}
	}
	for i := range b.comps {
		if c := &b.comps[i]; c.Labels == nil {
			loc := b.extra[i].loc
			return nil, &ImportError{File: loc.file, Line: loc.line, Column: loc.col, ID: c.ID, Msg: "skill group has no preferred term in any language; add it to skillGroups_<lang>.csv"}
		}
	}
	if j := relJob["broaderRelationsSkillPillar"]; j != nil {
		if err := b.addBroader(j.path, j.out.rels); err != nil {
			return nil, err
		}
	}
	if j := relJob["skillSkillRelations"]; j != nil {
		if err := b.addRelated(j.path, j.out.rels); err != nil {
			return nil, err
		}
	}
	b.assignKinds()
	if err := stopped(ctx, name); err != nil {
		return nil, err
	}

	for i, f := range fs.perLang {
		if f.kind == "occupations" {
			if err := b.addOccupations(f, jobs[i].out.concepts); err != nil {
				return nil, err
			}
		}
	}
	if j := relJob["occupationSkillRelations"]; j != nil {
		if err := b.addOccupationSkills(j.path, j.out.rels); err != nil {
			return nil, err
		}
	}
	t, err := New(name, b.comps, b.occs)
	if err != nil {
		return nil, fmt.Errorf("taxonomy: ESCO import %s: %w", name, err)
	}
	t.Notes = b.notes
	return t, nil
}

type escoBuilder struct {
	comps    []Competency
	index    map[string]int  // competency ID → position in comps
	extra    []escoFacts     // per competency (same index as comps)
	pillar   map[string]byte // pillar root ID → its code ("S", "K", "L", "T")
	occs     []Occupation
	occIndex map[string]int
	notes    []string
}

func (b *escoBuilder) addConcepts(f langFile, concepts []escoConcept, group bool) error {
	for _, c := range concepts {
		i, known := b.index[c.id]
		if !known {
			i = len(b.comps)
			b.index[c.id] = i
			kind := KindGroup
			if !group {
				kind = KindSkill
			}
			b.comps = append(b.comps, Competency{ID: c.id, Kind: kind, Refs: []Ref{{Scheme: "esco", ID: c.id}}})
			b.extra = append(b.extra, escoFacts{loc: escoLoc{file: f.path, line: c.line}})
		} else if (b.comps[i].Kind == KindGroup) != group {
			return &ImportError{File: f.path, Line: c.line, ID: c.id, Msg: fmt.Sprintf("concept %s is both a skill and a skill group (also at %s); remove one of the rows", c.id, b.extra[i].loc)}
		}
		comp := &b.comps[i]
		if _, dup := comp.Labels[f.lang]; dup {
			return &ImportError{File: f.path, Line: c.line, ID: c.id, Msg: fmt.Sprintf("duplicate conceptUri %s (first at %s); remove the repeated row", c.id, b.extra[i].loc)}
		}
		setLanguage(&comp.Labels, &comp.Description, f.lang, c.labels, c.desc)
		x := &b.extra[i]
		if x.skillType == "" {
			x.skillType = c.skillType
		}
		if x.reuse == "" {
			x.reuse = c.reuse
		}
		x.language = x.language || c.language
		x.transv = x.transv || c.transv
	}
	return nil
}

// addHierarchy adds the groups of skillsHierarchy that skillGroups lacks
// (and their terms in this language where missing) and the parent links
// between consecutive levels.
func (b *escoBuilder) addHierarchy(f langFile, rows []escoHier) error {
	if b.pillar == nil {
		b.pillar = map[string]byte{}
	}
	for _, h := range rows {
		for lvl := 0; lvl < 4; lvl++ {
			uri := h.uri[lvl]
			if uri == "" {
				continue
			}
			i, known := b.index[uri]
			if !known {
				i = len(b.comps)
				b.index[uri] = i
				b.comps = append(b.comps, Competency{ID: uri, Kind: KindGroup, Refs: []Ref{{Scheme: "esco", ID: uri}}})
				b.extra = append(b.extra, escoFacts{loc: escoLoc{file: f.path, line: h.line, col: h.col[lvl]}})
			} else if b.comps[i].Kind != KindGroup {
				return &ImportError{File: f.path, Line: h.line, Column: h.col[lvl], ID: uri, Msg: fmt.Sprintf("Level %d URI %s is a skill in skills_<lang>.csv, not a skill group; fix the hierarchy row", lvl, uri)}
			}
			c := &b.comps[i]
			if _, ok := c.Labels[f.lang]; !ok && h.term[lvl] != "" {
				if c.Labels == nil {
					c.Labels = make(map[string]Labels, 1)
				}
				c.Labels[f.lang] = Labels{Preferred: h.term[lvl]}
			}
			deepest := lvl == 3 || h.uri[lvl+1] == ""
			if deepest && h.desc != "" && c.Description[f.lang] == "" {
				if c.Description == nil {
					c.Description = make(map[string]string, 1)
				}
				c.Description[f.lang] = h.desc
			}
			if lvl == 0 && len(h.code0) == 1 {
				b.pillar[uri] = h.code0[0]
			}
			if lvl > 0 {
				// The level above was indexed in the previous iteration.
				c.Broader = append(c.Broader, b.comps[b.index[h.uri[lvl-1]]].ID)
			}
		}
	}
	return nil
}

func (b *escoBuilder) addBroader(file string, rels []escoRel) error {
	skipped := map[string]int{}
	first := map[string]int32{}
	for _, r := range rels {
		if !isSkillPillarType(r.fromType) || !isSkillPillarType(r.toType) {
			key := r.fromType + " → " + r.toType
			if skipped[key] == 0 {
				first[key] = r.line
			}
			skipped[key]++
			continue
		}
		i, ok := b.index[r.from]
		if !ok {
			return &ImportError{File: file, Line: int(r.line), Column: int(r.fromCol), ID: r.from,
				Msg: fmt.Sprintf("conceptUri %s is not in skills_<lang>.csv, skillGroups_<lang>.csv or skillsHierarchy_<lang>.csv; the files are from different ESCO releases or incomplete", r.from)}
		}
		j, ok := b.index[r.to]
		if !ok {
			return &ImportError{File: file, Line: int(r.line), Column: int(r.toCol), ID: r.to,
				Msg: fmt.Sprintf("broaderUri %s is not in skills_<lang>.csv, skillGroups_<lang>.csv or skillsHierarchy_<lang>.csv; the files are from different ESCO releases or incomplete", r.to)}
		}
		c := &b.comps[i]
		c.Broader = append(c.Broader, b.comps[j].ID)
	}
	keys := make([]string, 0, len(skipped))
	for k := range skipped {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.notes = append(b.notes, fmt.Sprintf("%s: skipped %d broader relation(s) %s (first at line %d): only skills and skill groups are imported", file, skipped[k], k, first[k]))
	}
	return nil
}

func isSkillPillarType(t string) bool { return t == escoSkillType || t == escoGroupType }

func (b *escoBuilder) addRelated(file string, rels []escoRel) error {
	for _, r := range rels {
		i, ok := b.index[r.from]
		if !ok {
			return &ImportError{File: file, Line: int(r.line), Column: int(r.fromCol), ID: r.from,
				Msg: fmt.Sprintf("originalSkillUri %s is not a skill of skills_<lang>.csv; the files are from different ESCO releases or incomplete", r.from)}
		}
		j, ok := b.index[r.to]
		if !ok {
			return &ImportError{File: file, Line: int(r.line), Column: int(r.toCol), ID: r.to,
				Msg: fmt.Sprintf("relatedSkillUri %s is not a skill of skills_<lang>.csv; the files are from different ESCO releases or incomplete", r.to)}
		}
		if r.typ != "essential" && r.typ != "optional" && r.typ != "" {
			return &ImportError{File: file, Line: int(r.line), Column: int(r.typCol), Msg: fmt.Sprintf("relationType %q is neither essential nor optional", r.typ)}
		}
		c := &b.comps[i]
		c.Related = append(c.Related, b.comps[j].ID)
	}
	return nil
}

// assignKinds turns skillType, reuseLevel, concept schemes and the pillar a
// skill sits under into a Kind.
func (b *escoBuilder) assignKinds() {
	bits := map[byte]uint8{'S': 1, 'K': 2, 'L': 4, 'T': 8}
	rootBit := make(map[string]uint8, len(b.pillar))
	for id, code := range b.pillar {
		rootBit[id] = bits[code]
	}
	const visiting = 0x80
	memo := make([]uint8, len(b.comps))
	done := make([]bool, len(b.comps))
	var mask func(i int) uint8
	mask = func(i int) uint8 {
		if done[i] {
			return memo[i]
		}
		if memo[i] == visiting {
			return 0 // a cycle: New reports it
		}
		memo[i] = visiting
		m := rootBit[b.comps[i].ID]
		for _, p := range b.comps[i].Broader {
			if j, ok := b.index[p]; ok {
				m |= mask(j)
			}
		}
		memo[i], done[i] = m, true
		return m
	}
	for i := range b.comps {
		c := &b.comps[i]
		if c.Kind == KindGroup {
			continue
		}
		x := b.extra[i]
		m := mask(i)
		switch {
		case x.language || m&4 != 0 && m&^(4|8) == 0:
			c.Kind = KindLanguage
		case x.transv || x.reuse == "transversal" || m == 8:
			c.Kind = KindTransversal
		case x.skillType == "knowledge":
			c.Kind = KindKnowledge
		default:
			c.Kind = KindSkill
		}
	}
}

func (b *escoBuilder) addOccupations(f langFile, concepts []escoConcept) error {
	if b.occIndex == nil {
		b.occIndex = map[string]int{}
	}
	for _, c := range concepts {
		i, known := b.occIndex[c.id]
		if !known {
			i = len(b.occs)
			b.occIndex[c.id] = i
			b.occs = append(b.occs, Occupation{ID: c.id, Code: c.isco})
		}
		o := &b.occs[i]
		if _, dup := o.Labels[f.lang]; dup {
			return &ImportError{File: f.path, Line: c.line, ID: c.id, Msg: fmt.Sprintf("duplicate occupation conceptUri %s; remove the repeated row", c.id)}
		}
		setLanguage(&o.Labels, &o.Description, f.lang, c.labels, c.desc)
		if o.Code == "" {
			o.Code = c.isco
		}
	}
	return nil
}

func (b *escoBuilder) addOccupationSkills(file string, rels []escoRel) error {
	if len(b.occs) == 0 {
		if len(rels) > 0 {
			b.notes = append(b.notes, fmt.Sprintf("%s: %d occupation-skill relation(s) not read: there is no occupations_<lang>.csv", file, len(rels)))
		}
		return nil
	}
	type miss struct {
		n     int
		first int32
	}
	missing := map[string]*miss{}
	var order []string
	for _, r := range rels {
		oi, ok := b.occIndex[r.from]
		if !ok {
			m := missing[r.from]
			if m == nil {
				m = &miss{first: r.line}
				missing[r.from] = m
				order = append(order, r.from)
			}
			m.n++
			continue
		}
		si, ok := b.index[r.to]
		if !ok {
			return &ImportError{File: file, Line: int(r.line), Column: int(r.toCol), ID: r.to,
				Msg: fmt.Sprintf("skillUri %s is not a skill of skills_<lang>.csv; the files are from different ESCO releases or incomplete", r.to)}
		}
		o := &b.occs[oi]
		switch r.typ {
		case "essential":
			o.Essential = append(o.Essential, b.comps[si].ID)
		case "optional":
			o.Optional = append(o.Optional, b.comps[si].ID)
		default:
			return &ImportError{File: file, Line: int(r.line), Column: int(r.typCol), Msg: fmt.Sprintf("relationType %q is neither essential nor optional", r.typ)}
		}
	}
	for _, id := range order {
		m := missing[id]
		b.notes = append(b.notes, fmt.Sprintf("%s:%d: skipped %d relation(s) of occupation %s, which no occupations_<lang>.csv lists", file, m.first, m.n, id))
	}
	return nil
}

// splitLabels splits a multi-line label field into trimmed labels, dropping
// empty lines, the preferred label and repeats.
func splitLabels(s, preferred string) []string {
	if s == "" {
		return nil
	}
	out := make([]string, 0, strings.Count(s, "\n")+1)
	for len(s) > 0 {
		line, rest, _ := strings.Cut(s, "\n")
		s = rest
		line = strings.TrimSpace(line)
		if line == "" || line == preferred {
			continue
		}
		dup := false
		for _, o := range out {
			if o == line {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func parseESCOConcepts(ctx context.Context, path, kind string, wantType string, required []string, extra func(t *table, c *escoConcept, cols []int) error) (escoParsed, error) {
	f, err := os.Open(path)
	if err != nil {
		return escoParsed{}, fmt.Errorf("taxonomy: %w", err)
	}
	defer f.Close()
	var hint int64
	if st, err := f.Stat(); err == nil {
		hint = st.Size() / 600
	}
	return parseESCOConceptsFrom(ctxReader{ctx, f}, path, hint, kind, wantType, required, extra)
}

func parseESCOConceptsFrom(r io.Reader, path string, sizeHint int64, kind string, wantType string, required []string, extra func(t *table, c *escoConcept, cols []int) error) (escoParsed, error) {
	t, err := newTable(r, path, kind, ',', required...)
	if err != nil {
		return escoParsed{}, err
	}
	cType, cURI, cPref, cAlt, cHid := t.col("conceptType"), t.col("conceptUri"), t.col("preferredLabel"), t.col("altLabels"), t.col("hiddenLabels")
	cDesc, cDef := t.col("description"), t.col("definition")
	cols := make([]int, 0, 4)
	for _, n := range []string{"skillType", "reuseLevel", "inScheme", "iscoGroup"} {
		cols = append(cols, t.col(n))
	}
	out := escoParsed{concepts: make([]escoConcept, 0, sizeHint)}
	seen := map[string]int{}
	for {
		ok, err := t.next()
		if err != nil {
			return escoParsed{}, err
		}
		if !ok {
			break
		}
		if typ := t.get(cType); typ != wantType {
			return escoParsed{}, t.errAt(cType, "conceptType %q, expected %q; is this %s?", typ, wantType, kind)
		}
		var c escoConcept
		c.line = t.line()
		c.id = t.get(cURI)
		if c.id == "" {
			return escoParsed{}, t.errAt(cURI, "conceptUri is empty; every concept needs its URI")
		}
		if first, dup := seen[c.id]; dup {
			return escoParsed{}, t.errAt(cURI, "duplicate conceptUri %s (first on line %d); remove the repeated row", c.id, first)
		}
		seen[c.id] = c.line
		c.labels.Preferred = t.get(cPref)
		if c.labels.Preferred == "" {
			return escoParsed{}, t.errAt(cPref, "preferredLabel of %s is empty; every concept needs one", c.id)
		}
		c.labels.Alt = splitLabels(t.get(cAlt), c.labels.Preferred)
		c.labels.Hidden = splitLabels(t.get(cHid), "")
		c.desc = t.get(cDesc)
		if c.desc == "" {
			c.desc = t.get(cDef)
		}
		if extra != nil {
			if err := extra(t, &c, cols); err != nil {
				return escoParsed{}, err
			}
		}
		out.concepts = append(out.concepts, c)
	}
	return out, nil
}

func parseESCOSkills(ctx context.Context, path string) (escoParsed, error) {
	return parseESCOConcepts(ctx, path, escoSkillsKind, escoSkillType, escoSkillsColumns, skillExtra)
}

const escoSkillsKind = "an ESCO skills file (skills_<lang>.csv)"

var escoSkillsColumns = []string{"conceptType", "conceptUri", "skillType", "preferredLabel", "altLabels"}

// skillExtra reads the skill-only columns of skills_<lang>.csv.
var skillExtra = func(t *table, c *escoConcept, cols []int) error {
	c.skillType = t.get(cols[0])
	switch c.skillType {
	case "", "skill/competence", "knowledge":
	default:
		return t.errAt(cols[0], "skillType %q of %s is neither \"skill/competence\" nor \"knowledge\"", c.skillType, c.id)
	}
	c.reuse = t.get(cols[1])
	if s := t.get(cols[2]); s != "" {
		c.language = strings.Contains(s, escoLanguageScheme)
		c.transv = strings.Contains(s, escoTransversalScheme)
	}
	return nil
}

func parseESCOGroups(ctx context.Context, path string) (escoParsed, error) {
	return parseESCOConcepts(ctx, path, "an ESCO skill groups file (skillGroups_<lang>.csv)", escoGroupType,
		[]string{"conceptType", "conceptUri", "preferredLabel", "altLabels"}, nil)
}

func parseESCOOccupations(ctx context.Context, path string) (escoParsed, error) {
	return parseESCOConcepts(ctx, path, "an ESCO occupations file (occupations_<lang>.csv)", "Occupation",
		[]string{"conceptType", "conceptUri", "preferredLabel", "altLabels"},
		func(t *table, c *escoConcept, cols []int) error { c.isco = t.get(cols[3]); return nil })
}

func parseESCOHierarchy(ctx context.Context, path string) (escoParsed, error) {
	var required []string
	for l := 0; l < 4; l++ {
		required = append(required, fmt.Sprintf("Level %d URI", l), fmt.Sprintf("Level %d preferred term", l))
	}
	t, err := openTable(ctx, path, "an ESCO skills hierarchy file (skillsHierarchy_<lang>.csv)", ',', required...)
	if err != nil {
		return escoParsed{}, err
	}
	defer t.close()
	t.ragged = true
	t.r.FieldsPerRecord = -1
	var uriCol, termCol [4]int
	for l := 0; l < 4; l++ {
		uriCol[l] = t.col(fmt.Sprintf("Level %d URI", l))
		termCol[l] = t.col(fmt.Sprintf("Level %d preferred term", l))
	}
	cDesc, cCode := t.col("Description"), t.col("Level 0 code")
	var out escoParsed
	for {
		ok, err := t.next()
		if err != nil {
			return escoParsed{}, err
		}
		if !ok {
			break
		}
		h := escoHier{line: t.line(), desc: t.get(cDesc), code0: t.get(cCode)}
		gap := false
		for l := 0; l < 4; l++ {
			h.uri[l] = t.get(uriCol[l])
			h.term[l] = t.get(termCol[l])
			_, h.col[l] = t.pos(uriCol[l])
			switch {
			case h.uri[l] == "":
				gap = true
				if h.term[l] != "" {
					return escoParsed{}, t.errAt(uriCol[l], "Level %d preferred term %q has no Level %d URI; add the URI", l, h.term[l], l)
				}
			case gap:
				return escoParsed{}, t.errAt(uriCol[l], "Level %d URI is set but Level %d URI is empty; a hierarchy row fills levels from 0 down", l, l-1)
			}
		}
		if h.uri[0] == "" {
			return escoParsed{}, t.errAt(uriCol[0], "Level 0 URI is empty; every hierarchy row starts at a pillar")
		}
		out.hier = append(out.hier, h)
	}
	return out, nil
}

// relParser returns the parser for one of the relation files.
func relParser(base string) func(context.Context, string) (escoParsed, error) {
	type spec struct {
		kind                            string
		fromType, from, typ, toType, to string
	}
	s := map[string]spec{
		"broaderRelationsSkillPillar": {"an ESCO broader relations file (broaderRelationsSkillPillar.csv)", "conceptType", "conceptUri", "", "broaderType", "broaderUri"},
		"skillSkillRelations":         {"an ESCO skill-skill relations file (skillSkillRelations.csv)", "originalSkillType", "originalSkillUri", "relationType", "relatedSkillType", "relatedSkillUri"},
		"occupationSkillRelations":    {"an ESCO occupation-skill relations file (occupationSkillRelations.csv)", "", "occupationUri", "relationType", "skillType", "skillUri"},
	}[base]
	return func(ctx context.Context, path string) (escoParsed, error) {
		var required []string
		for _, c := range []string{s.fromType, s.from, s.typ, s.toType, s.to} {
			if c != "" {
				required = append(required, c)
			}
		}
		t, err := openTable(ctx, path, s.kind, ',', required...)
		if err != nil {
			return escoParsed{}, err
		}
		defer t.close()
		cFT, cF, cTy, cTT, cT := t.col(s.fromType), t.col(s.from), t.col(s.typ), t.col(s.toType), t.col(s.to)
		var out escoParsed
		if st, err := os.Stat(path); err == nil {
			out.rels = make([]escoRel, 0, st.Size()/150)
		}
		for {
			ok, err := t.next()
			if err != nil {
				return escoParsed{}, err
			}
			if !ok {
				break
			}
			r := escoRel{fromType: t.get(cFT), from: t.get(cF), typ: t.get(cTy), toType: t.get(cTT), to: t.get(cT)}
			line, fc := t.r.FieldPos(cF)
			_, tc := t.r.FieldPos(cT)
			r.line, r.fromCol, r.toCol = int32(line), int32(fc), int32(tc)
			if cTy >= 0 {
				_, yc := t.r.FieldPos(cTy)
				r.typCol = int32(yc)
			}
			if r.from == "" {
				return escoParsed{}, t.errAt(cF, "%s is empty", s.from)
			}
			if r.to == "" {
				return escoParsed{}, t.errAt(cT, "%s is empty", s.to)
			}
			out.rels = append(out.rels, r)
		}
		return out, nil
	}
}

// setLanguage records the labels and the description (if any) of one
// language of a concept, making the maps on first use.
func setLanguage(labels *map[string]Labels, descs *map[string]string, lang string, l Labels, desc string) {
	if *labels == nil {
		*labels = make(map[string]Labels, 1)
	}
	(*labels)[lang] = l
	if desc != "" {
		if *descs == nil {
			*descs = make(map[string]string, 1)
		}
		(*descs)[lang] = desc
	}
}
