package taxonomy

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// addSeeds adds every file of dir matching pattern to the corpus.
func addSeeds(f *testing.F, pattern string) {
	names, err := filepath.Glob(pattern)
	if err != nil {
		f.Fatal(err)
	}
	if len(names) == 0 {
		f.Fatalf("no seed files match %s", pattern)
	}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzESCOSkills parses arbitrary bytes as skills_<lang>.csv. It must never
// panic, and what it accepts must be clean: IDs and preferred labels set and
// trimmed, no empty, repeated or preferred-equal alternatives.
func FuzzESCOSkills(f *testing.F) {
	addSeeds(f, filepath.Join("testdata", "esco", "skills_*.csv"))
	addSeeds(f, filepath.Join("testdata", "esco-broken", "*", "skills_en.csv"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := parseESCOConceptsFrom(bytes.NewReader(data), "skills_en.csv", 0, escoSkillsKind, escoSkillType, escoSkillsColumns, skillExtra)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "skills_en.csv:") {
				t.Errorf("error does not name the file and line: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, c := range out.concepts {
			if c.id == "" || seen[c.id] || c.labels.Preferred == "" || c.labels.Preferred != strings.TrimSpace(c.labels.Preferred) {
				t.Fatalf("bad concept accepted: %+v", c)
			}
			seen[c.id] = true
			for i, a := range c.labels.Alt {
				if a == "" || a != strings.TrimSpace(a) || a == c.labels.Preferred || slices.Contains(c.labels.Alt[:i], a) {
					t.Fatalf("bad alternative label %q accepted in %+v", a, c.labels)
				}
			}
		}
	})
}

// FuzzPlainCSV parses arbitrary bytes as a plain CSV framework. It must never
// panic; whatever imports must survive WriteCSV and a second import
// unchanged.
func FuzzPlainCSV(f *testing.F) {
	addSeeds(f, filepath.Join("testdata", "plain", "*.csv"))
	addSeeds(f, filepath.Join("testdata", "plain-broken", "*.csv"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parseCSVPart(bytes.NewReader(data), "in.csv")
		if err != nil {
			return
		}
		tax, err := p.finish(func(string) bool { return false })
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, tax); err != nil {
			t.Fatal(err)
		}
		p2, err := parseCSVPart(bytes.NewReader(buf.Bytes()), "out.csv")
		if err != nil {
			t.Fatalf("re-reading WriteCSV output: %v\n%s", err, buf.String())
		}
		back, err := p2.finish(func(string) bool { return false })
		if err != nil {
			t.Fatalf("re-importing WriteCSV output: %v\n%s", err, buf.String())
		}
		sameTaxonomy(t, tax, back)
	})
}

// FuzzJSON parses arbitrary bytes as a JSON framework: no panic, errors name
// the file, and whatever imports survives WriteJSON and a second import.
func FuzzJSON(f *testing.F) {
	addSeeds(f, filepath.Join("testdata", "plain", "*.json"))
	addSeeds(f, filepath.Join("testdata", "plain-broken", "*.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parseJSONPart(data, "in.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "in.json") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		tax, err := p.finish(func(string) bool { return false })
		if err != nil {
			if !strings.Contains(err.Error(), "in.json") && !strings.Contains(err.Error(), "problem(s)") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteJSON(&buf, tax); err != nil {
			t.Fatal(err)
		}
		p2, err := parseJSONPart(buf.Bytes(), "out.json")
		if err != nil {
			t.Fatalf("re-reading WriteJSON output: %v\n%s", err, buf.String())
		}
		back, err := p2.finish(func(string) bool { return false })
		if err != nil {
			t.Fatalf("re-importing WriteJSON output: %v", err)
		}
		sameTaxonomy(t, tax, back)
	})
}

// FuzzONET parses arbitrary bytes as Skills.txt (with the fixture's
// occupations known) and as Technology Skills.txt. It must never panic, and
// accepted elements must have valid IDs and labels.
func FuzzONET(f *testing.F) {
	addSeeds(f, filepath.Join("testdata", "onet", "*.txt"))
	addSeeds(f, filepath.Join("testdata", "onet-broken", "*", "*.txt"))
	occ, err := os.ReadFile(filepath.Join("testdata", "onet", onetOccupations))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []string{"skills", "technology"} {
			b := newONETBuilder("fuzz")
			if err := b.readOccupations(bytes.NewReader(occ), onetOccupations); err != nil {
				t.Fatal(err)
			}
			if kind == "skills" {
				err = b.readElements(bytes.NewReader(data), onetSkills, KindSkill)
			} else {
				err = b.readTechnology(bytes.NewReader(data), onetTechnology)
			}
			if err != nil {
				if !strings.Contains(err.Error(), ".txt:") {
					t.Errorf("error does not name file and line: %v", err)
				}
				continue
			}
			b.addGroups()
			for _, c := range b.comps {
				if c.Label("en") == c.ID || c.ID == "" {
					t.Fatalf("competency without a label accepted: %+v", c)
				}
			}
			if _, err := New("fuzz", b.comps, b.occs); err != nil {
				t.Fatalf("accepted O*NET rows do not make a valid taxonomy: %v", err)
			}
		}
	})
}
