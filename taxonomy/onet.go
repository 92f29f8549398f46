package taxonomy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// O*NET file names, as the O*NET Resource Center distributes the database
// in tab-delimited text.
const (
	onetSkills      = "Skills.txt"
	onetKnowledge   = "Knowledge.txt"
	onetTechnology  = "Technology Skills.txt"
	onetOccupations = "Occupation Data.txt"
	onetContent     = "Content Model Reference.txt"
)

// ONETEssential is the importance (O*NET scale IM, 1 to 5) from which a skill
// or knowledge element is essential to an occupation; below it, optional.
const ONETEssential = 3.0

// onetHeadings names the groups of the O*NET content model above the skill
// and knowledge elements, used when Content Model Reference.txt is absent.
var onetHeadings = map[string]string{
	"2.A": "Basic Skills", "2.A.1": "Content", "2.A.2": "Process",
	"2.B": "Cross-Functional Skills", "2.B.1": "Social Skills", "2.B.2": "Complex Problem Solving Skills",
	"2.B.3": "Technical Skills", "2.B.4": "Systems Skills", "2.B.5": "Resource Management Skills",
	"2.C": "Knowledge", "2.C.1": "Business and Management", "2.C.2": "Manufacturing and Production",
	"2.C.3": "Engineering and Technology", "2.C.4": "Mathematics and Science", "2.C.5": "Health Services",
	"2.C.6": "Education and Training", "2.C.7": "Arts and Humanities", "2.C.8": "Law and Public Safety",
	"2.C.9": "Communications", "2.C.10": "Transportation",
}

// ONETTechnologyRoot is the ID of the group above the technology commodities.
const ONETTechnologyRoot = "onet:technology"

// ImportONET reads O*NET text files (tab-separated, with O*NET's own headers)
// from dir: Skills.txt and Knowledge.txt (columns "O*NET-SOC Code", "Element
// ID", "Element Name", "Scale ID", "Data Value", …), Technology Skills.txt
// ("O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot
// Technology", …), and Occupation Data.txt ("O*NET-SOC Code", "Title",
// "Description"). At least one of the first three must be present.
// Content Model Reference.txt ("Element ID", "Element Name", "Description"),
// if present, names the content-model groups and describes every element.
//
// Skill and knowledge elements become competencies with the ID
// "onet:<Element ID>" (e.g. onet:2.A.1.a) and an "onet" Ref to the element
// ID. Their hierarchy follows the dotted IDs: 2.A.1.a has the broader group
// 2.A.1, which has 2.A (the groups are kind group). Technology examples
// ("onet:tech:<Example>", kind tool) sit under their commodity
// ("onet:commodity:<code>", kind tool, with a "unspsc" Ref), under the group
// onet:technology.
//
// With Occupation Data.txt, every occupation ("onet:<SOC code>") becomes a
// profile: an element whose importance (scale IM) is at least ONETEssential
// is essential, below it optional; rows O*NET marks "Recommend Suppress = Y"
// are left out. A technology example is essential where the "In Demand"
// column says Y, otherwise optional. Other scales (LV) only name elements.
// Without Occupation Data.txt no profiles are built (a note says so).
//
// Errors name file:line:column; a code that Occupation Data.txt does not
// list is an error. The import is all or nothing.
func ImportONET(dir string) (*Taxonomy, error) {
	return importONET(context.Background(), dir)
}

func importONET(ctx context.Context, dir string) (*Taxonomy, error) {
	if st, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("taxonomy: O*NET folder: %w", err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("taxonomy: O*NET source %s is not a folder; point onet: at the folder of the O*NET text files", dir)
	}
	b := newONETBuilder(dir)
	found := false
	for _, name := range []string{onetSkills, onetKnowledge, onetTechnology} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			found = true
		}
	}
	if !found {
		return nil, fmt.Errorf("taxonomy: %s has none of %q, %q, %q; point onet: at the folder of the O*NET database in text format", dir, onetSkills, onetKnowledge, onetTechnology)
	}
	steps := []struct {
		file string
		read func(io.Reader, string) error
	}{
		{onetContent, b.readContentModel},
		{onetOccupations, b.readOccupations},
		{onetSkills, func(r io.Reader, p string) error { return b.readElements(r, p, KindSkill) }},
		{onetKnowledge, func(r io.Reader, p string) error { return b.readElements(r, p, KindKnowledge) }},
		{onetTechnology, b.readTechnology},
	}
	for _, s := range steps {
		p := filepath.Join(dir, s.file)
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			if s.file == onetOccupations {
				b.notes = append(b.notes, fmt.Sprintf("%s: no %s, so no occupation profiles were built", dir, onetOccupations))
			}
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("taxonomy: %w", err)
		}
		err = s.read(ctxReader{ctx, f}, p)
		f.Close()
		if err := stopped(ctx, "onet:"+dir); err != nil {
			return nil, err
		}
		if err != nil {
			return nil, err
		}
	}
	b.addGroups()
	name := "onet:" + dir
	t, err := New(name, b.comps, b.occs)
	if err != nil {
		return nil, fmt.Errorf("taxonomy: O*NET import %s: %w", dir, err)
	}
	t.Notes = b.notes
	return t, nil
}

func newONETBuilder(dir string) *onetBuilder {
	return &onetBuilder{dir: dir, index: map[string]int{}, occIndex: map[string]int{}, names: map[string]onetName{}}
}

type onetName struct {
	name, desc string
}

type onetBuilder struct {
	dir      string
	comps    []Competency
	index    map[string]int
	where    []string // per competency: file:line where first defined
	occs     []Occupation
	occIndex map[string]int
	haveOccs bool
	names    map[string]onetName // Content Model Reference
	notes    []string
}

func (b *onetBuilder) readContentModel(r io.Reader, path string) error {
	t, err := newTSV(r, path, "the O*NET Content Model Reference", "Element ID", "Element Name")
	if err != nil {
		return err
	}
	cID, cName, cDesc := t.col("Element ID"), t.col("Element Name"), t.col("Description")
	for {
		ok, err := t.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		b.names[t.get(cID)] = onetName{t.get(cName), t.get(cDesc)}
	}
}

func (b *onetBuilder) readOccupations(r io.Reader, path string) error {
	t, err := newTSV(r, path, "the O*NET occupation data", "O*NET-SOC Code", "Title")
	if err != nil {
		return err
	}
	b.haveOccs = true
	cSOC, cTitle, cDesc := t.col("O*NET-SOC Code"), t.col("Title"), t.col("Description")
	first := map[string]int{}
	for {
		ok, err := t.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		soc, title := t.get(cSOC), t.get(cTitle)
		if soc == "" {
			return t.errAt(cSOC, "O*NET-SOC Code is empty")
		}
		if title == "" {
			return t.errAt(cTitle, "Title of %s is empty", soc)
		}
		if l, dup := first[soc]; dup {
			return t.errAt(cSOC, "duplicate O*NET-SOC Code %s (first on line %d); remove the repeated line", soc, l)
		}
		first[soc] = t.ln
		o := Occupation{ID: "onet:" + soc, Code: soc, Labels: map[string]Labels{"en": {Preferred: title}}}
		if d := t.get(cDesc); d != "" {
			o.Description = map[string]string{"en": d}
		}
		b.occIndex[soc] = len(b.occs)
		b.occs = append(b.occs, o)
	}
}

// occupation returns the profile for soc, or an error at the code's column.
func (b *onetBuilder) occupation(t *tsv, col int, soc string) (*Occupation, error) {
	if !b.haveOccs {
		return nil, nil
	}
	i, ok := b.occIndex[soc]
	if !ok {
		return nil, t.errAt(col, "O*NET-SOC Code %s is not in %s; use the files of one O*NET release", soc, onetOccupations)
	}
	return &b.occs[i], nil
}

// validElementID reports whether id looks like 2.A.1.a: at least two
// dot-separated parts of letters and digits.
func validElementID(id string) bool {
	parts := strings.Split(id, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for _, r := range p {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return false
			}
		}
	}
	return true
}

// define adds a competency, or checks that an existing one agrees.
func (b *onetBuilder) define(t *tsv, col int, id string, kind Kind, label string, refs ...Ref) (*Competency, error) {
	if i, ok := b.index[id]; ok {
		c := &b.comps[i]
		if c.Kind != kind {
			return nil, t.errAt(col, "%s is a %s here but a %s at %s; use the files of one O*NET release", id, kind, c.Kind, b.where[i])
		}
		if got := c.Labels["en"].Preferred; got != label {
			return nil, t.errAt(col, "%s is named %q here but %q at %s; use the files of one O*NET release", id, label, got, b.where[i])
		}
		return c, nil
	}
	c := Competency{ID: id, Kind: kind, Labels: map[string]Labels{"en": {Preferred: label}}, Refs: refs}
	b.index[id] = len(b.comps)
	b.comps = append(b.comps, c)
	b.where = append(b.where, fmt.Sprintf("%s:%d", t.file, t.ln))
	return &b.comps[len(b.comps)-1], nil
}

func (b *onetBuilder) readElements(r io.Reader, path string, kind Kind) error {
	t, err := newTSV(r, path, "an O*NET "+string(kind)+" file", "O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value")
	if err != nil {
		return err
	}
	cSOC, cID, cName, cScale, cVal, cSup := t.col("O*NET-SOC Code"), t.col("Element ID"), t.col("Element Name"), t.col("Scale ID"), t.col("Data Value"), t.col("Recommend Suppress")
	for {
		ok, err := t.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		eid, name := t.get(cID), t.get(cName)
		if !validElementID(eid) {
			return t.errAt(cID, "Element ID %q is not an O*NET element ID such as 2.A.1.a", eid)
		}
		if name == "" {
			return t.errAt(cName, "Element Name of %s is empty", eid)
		}
		c, err := b.define(t, cID, "onet:"+eid, kind, name, Ref{Scheme: "onet", ID: eid})
		if err != nil {
			return err
		}
		if t.get(cScale) != "IM" {
			continue
		}
		v, err := strconv.ParseFloat(t.get(cVal), 64)
		if err != nil || v < 0 || v > 5 {
			return t.errAt(cVal, "Data Value %q is not an importance between 1 and 5", t.get(cVal))
		}
		soc := t.get(cSOC)
		o, err := b.occupation(t, cSOC, soc)
		switch {
		case err != nil:
			return err
		case o == nil, t.get(cSup) == "Y":
			continue // no profiles, or O*NET advises against using the value
		case v >= ONETEssential:
			o.Essential = append(o.Essential, c.ID)
		default:
			o.Optional = append(o.Optional, c.ID)
		}
	}
}

func (b *onetBuilder) readTechnology(r io.Reader, path string) error {
	t, err := newTSV(r, path, "the O*NET technology skills file", "O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology")
	if err != nil {
		return err
	}
	cSOC, cEx, cCode, cTitle, cDemand := t.col("O*NET-SOC Code"), t.col("Example"), t.col("Commodity Code"), t.col("Commodity Title"), t.col("In Demand")
	if _, ok := b.index[ONETTechnologyRoot]; !ok {
		b.index[ONETTechnologyRoot] = len(b.comps)
		b.comps = append(b.comps, Competency{ID: ONETTechnologyRoot, Kind: KindGroup, Labels: map[string]Labels{"en": {Preferred: "Technology Skills"}},
			Description: map[string]string{"en": "Software and technology that workers use, grouped by UNSPSC commodity (O*NET Tools and Technology)."}})
		b.where = append(b.where, path)
	}
	for {
		ok, err := t.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		ex, code, title := t.get(cEx), t.get(cCode), t.get(cTitle)
		switch {
		case ex == "":
			return t.errAt(cEx, "Example is empty; name the software or technology")
		case code == "":
			return t.errAt(cCode, "Commodity Code of %q is empty", ex)
		case title == "":
			return t.errAt(cTitle, "Commodity Title of %q is empty", ex)
		}
		for _, r := range code {
			if r < '0' || r > '9' {
				return t.errAt(cCode, "Commodity Code %q is not a UNSPSC number", code)
			}
		}
		com, err := b.define(t, cTitle, "onet:commodity:"+code, KindTool, title, Ref{Scheme: "unspsc", ID: code})
		if err != nil {
			return err
		}
		if len(com.Broader) == 0 {
			com.Broader = []string{ONETTechnologyRoot}
		}
		comID := com.ID
		tool, err := b.define(t, cEx, "onet:tech:"+ex, KindTool, ex)
		if err != nil {
			return err
		}
		if !containsString(tool.Broader, comID) {
			tool.Broader = append(tool.Broader, comID)
		}
		o, err := b.occupation(t, cSOC, t.get(cSOC))
		if err != nil {
			return err
		}
		if o != nil {
			if t.get(cDemand) == "Y" {
				o.Essential = append(o.Essential, tool.ID)
			} else {
				o.Optional = append(o.Optional, tool.ID)
			}
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// addGroups creates the content-model groups above the elements (2.A.1 →
// 2.A) and links every element to its parent.
func (b *onetBuilder) addGroups() {
	n := len(b.comps)
	for i := 0; i < n; i++ {
		eid, ok := b.comps[i].Ref("onet")
		if !ok {
			continue
		}
		child := i
		for {
			dot := strings.LastIndexByte(eid, '.')
			parent := eid[:dot]
			if !strings.Contains(parent, ".") {
				break // the top of the skills and knowledge hierarchy, e.g. 2.A
			}
			pid := "onet:" + parent
			if !containsString(b.comps[child].Broader, pid) {
				b.comps[child].Broader = append(b.comps[child].Broader, pid)
			}
			if _, exists := b.index[pid]; exists {
				break
			}
			label := b.names[parent].name
			if label == "" {
				label = onetHeadings[parent]
			}
			if label == "" {
				label = "O*NET " + parent
			}
			g := Competency{ID: pid, Kind: KindGroup, Labels: map[string]Labels{"en": {Preferred: label}}, Refs: []Ref{{Scheme: "onet", ID: parent}}}
			j := len(b.comps)
			b.index[pid] = j
			b.comps = append(b.comps, g)
			b.where = append(b.where, b.dir)
			child, eid = j, parent
		}
	}
	for i := range b.comps {
		c := &b.comps[i]
		if eid, ok := c.Ref("onet"); ok {
			if d := b.names[eid].desc; d != "" {
				c.Description = map[string]string{"en": d}
			}
		}
	}
}
