package taxonomy

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestImportONETFixture(t *testing.T) {
	tax, err := ImportONET(filepath.Join("testdata", "onet"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id      string
		kind    Kind
		label   string
		broader []string
		ref     Ref
	}{
		{"onet:2.A.1.a", KindSkill, "Reading Comprehension", []string{"onet:2.A.1"}, Ref{"onet", "2.A.1.a"}},
		{"onet:2.A.1", KindGroup, "Content", []string{"onet:2.A"}, Ref{"onet", "2.A.1"}},
		{"onet:2.A", KindGroup, "Basic Skills", nil, Ref{"onet", "2.A"}},
		{"onet:2.B.3.e", KindSkill, "Programming", []string{"onet:2.B.3"}, Ref{"onet", "2.B.3.e"}},
		{"onet:2.B.3", KindGroup, "Technical Skills", []string{"onet:2.B"}, Ref{"onet", "2.B.3"}},
		{"onet:2.C.1.b", KindKnowledge, "Economics and Accounting", []string{"onet:2.C.1"}, Ref{"onet", "2.C.1.b"}},
		// A knowledge element one level up, directly under 2.C.
		{"onet:2.C.10", KindKnowledge, "Transportation", []string{"onet:2.C"}, Ref{"onet", "2.C.10"}},
		{"onet:2.C", KindGroup, "Knowledge", nil, Ref{"onet", "2.C"}},
		{"onet:commodity:43232110", KindTool, "Spreadsheet software", []string{ONETTechnologyRoot}, Ref{"unspsc", "43232110"}},
		{"onet:tech:Microsoft Excel", KindTool, "Microsoft Excel", []string{"onet:commodity:43232110"}, Ref{}},
		// Bare quotes are text in O*NET files.
		{`onet:tech:Oracle Java 2 Platform Enterprise Edition "J2EE"`, KindTool, `Oracle Java 2 Platform Enterprise Edition "J2EE"`, []string{"onet:commodity:43232402"}, Ref{}},
		{ONETTechnologyRoot, KindGroup, "Technology Skills", nil, Ref{}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c, ok := tax.Get(tt.id)
			if !ok {
				t.Fatalf("%s not imported", tt.id)
			}
			if c.Kind != tt.kind || c.Label("en") != tt.label || !slices.Equal(c.Broader, tt.broader) {
				t.Errorf("got kind %s, label %q, broader %v; want %s, %q, %v", c.Kind, c.Label("en"), c.Broader, tt.kind, tt.label, tt.broader)
			}
			if tt.ref.Scheme != "" {
				if id, ok := c.Ref(tt.ref.Scheme); !ok || id != tt.ref.ID {
					t.Errorf("ref %s = %q, want %q", tt.ref.Scheme, id, tt.ref.ID)
				}
			}
		})
	}
	if n := tax.Len(); n != 34 {
		t.Errorf("%d competencies, want 34 (6 skills, 5 knowledge, 10 groups, technology root, 4 commodities, 8 examples)", n)
	}
	if c, _ := tax.Lookup("2.B.3.e"); c == nil || c.ID != "onet:2.B.3.e" {
		t.Errorf("Lookup by O*NET element ID failed: %v", c)
	}

	occs := []struct {
		id                  string
		title               string
		essential, optional []string
		absent              string
	}{
		{"onet:15-1252.00", "Software Developers",
			[]string{"onet:2.A.1.a", "onet:2.A.1.b", "onet:2.A.2.a", "onet:2.B.3.e", "onet:2.C.3.a", "onet:tech:Git", "onet:tech:Python"},
			[]string{"onet:2.A.1.e", "onet:2.B.1.a", "onet:2.C.1.a", "onet:2.C.1.b", "onet:2.C.10", "onet:2.C.5.a",
				"onet:tech:Microsoft Excel", "onet:tech:Microsoft Visual Studio", `onet:tech:Oracle Java 2 Platform Enterprise Edition "J2EE"`}, ""},
		// Transportation is "Recommend Suppress" for nurses.
		{"onet:29-1141.00", "Registered Nurses",
			[]string{"onet:2.A.1.a", "onet:2.A.1.b", "onet:2.A.2.a", "onet:2.B.1.a", "onet:2.C.3.a", "onet:2.C.5.a", "onet:tech:Epic Systems"},
			[]string{"onet:2.A.1.e", "onet:2.B.3.e", "onet:2.C.1.a", "onet:2.C.1.b", "onet:tech:Microsoft Excel"}, "onet:2.C.10"},
	}
	for _, tt := range occs {
		o, ok := tax.Occupation(tt.id)
		if !ok {
			t.Errorf("occupation %s not imported", tt.id)
			continue
		}
		if o.Label("en") != tt.title || o.Code != strings.TrimPrefix(tt.id, "onet:") {
			t.Errorf("%s: title %q code %q", tt.id, o.Label("en"), o.Code)
		}
		if !slices.Equal(o.Essential, tt.essential) {
			t.Errorf("%s essential:\n got %v\nwant %v", tt.id, o.Essential, tt.essential)
		}
		if !slices.Equal(o.Optional, tt.optional) {
			t.Errorf("%s optional:\n got %v\nwant %v", tt.id, o.Optional, tt.optional)
		}
		if tt.absent != "" && (slices.Contains(o.Essential, tt.absent) || slices.Contains(o.Optional, tt.absent)) {
			t.Errorf("%s lists %s, whose row is suppressed", tt.id, tt.absent)
		}
	}
	if len(tax.Occupations()) != 3 || len(tax.Notes) != 0 {
		t.Errorf("%d occupations, notes %v; want 3 and none", len(tax.Occupations()), tax.Notes)
	}
}

func TestImportONETContentModelAndPartialFiles(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, filepath.Join("testdata", "onet"), dir)
	cm := "Element ID\tElement Name\tDescription\n" +
		"2.A\tBasic Skills\tDeveloped capacities that facilitate learning or the more rapid acquisition of knowledge.\n" +
		"2.A.1\tContent\tBackground structures needed to work with and acquire more specific skills in a variety of different domains.\n" +
		"2.A.1.a\tReading Comprehension\tUnderstanding written sentences and paragraphs in work-related documents.\n"
	if err := os.WriteFile(filepath.Join(dir, onetContent), []byte(cm), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, onetOccupations)); err != nil {
		t.Fatal(err)
	}
	tax, err := ImportONET(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := tax.Get("onet:2.A.1.a")
	if c == nil || !strings.HasPrefix(c.Description["en"], "Understanding written sentences") {
		t.Errorf("2.A.1.a description from the content model missing: %+v", c)
	}
	if g, _ := tax.Get("onet:2.A.1"); g == nil || !strings.HasPrefix(g.Description["en"], "Background structures") {
		t.Errorf("2.A.1 description missing: %+v", g)
	}
	if n := len(tax.Occupations()); n != 0 {
		t.Errorf("%d occupations without Occupation Data.txt, want 0", n)
	}
	if len(tax.Notes) != 1 || !strings.Contains(tax.Notes[0], "no occupation profiles") {
		t.Errorf("notes %v, want one saying no occupation profiles were built", tax.Notes)
	}
}

func TestImportONETBroken(t *testing.T) {
	tests := []struct {
		dir  string
		want string
	}{
		{"wrong-header", `Skills.txt:1:1: header lacks column "O*NET-SOC Code"`},
		{"field-count", `Skills.txt:3:79: line has 12 tab-separated fields, the header has 13`},
		{"bad-element-id", `Skills.txt:2:12: Element ID "2-A-1-a" is not an O*NET element ID`},
		{"unknown-soc", `Knowledge.txt:3:1: O*NET-SOC Code 99-9999.00 is not in Occupation Data.txt`},
		{"bad-value", `Skills.txt:2:45: Data Value "high" is not an importance between 1 and 5`},
		{"name-mismatch", `Knowledge.txt:3:12: onet:2.C.3.a is named "Computer Science" here but "Computers and Electronics" at`},
		{"kind-clash", `Knowledge.txt:2:12: onet:2.A.1.a is a knowledge here but a skill at`},
		{"bad-commodity", `Technology Skills.txt:2:16: Commodity Code "4323X402" is not a UNSPSC number`},
		{"not-utf8", `Occupation Data.txt:2:33: text is not UTF-8`},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, filepath.Join("testdata", "onet"), dir)
			copyDir(t, filepath.Join("testdata", "onet-broken", tt.dir), dir)
			tax, err := ImportONET(dir)
			if err == nil {
				t.Fatalf("imported %d competencies, want an error", tax.Len())
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n  %v\nwant it to contain\n  %s", err, tt.want)
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Errorf("error %T is not an *ImportError", err)
			}
		})
	}
}

func TestImportONETMissing(t *testing.T) {
	for _, dir := range []string{filepath.Join("testdata", "no-such-folder"), filepath.Join("testdata", "esco"), filepath.Join("testdata", "onet", "Skills.txt")} {
		if _, err := ImportONET(dir); err == nil {
			t.Errorf("ImportONET(%s) succeeded, want an error", dir)
		}
	}
}
