package matcher

import "testing"

func TestYears(t *testing.T) {
	for _, tc := range []struct {
		text string
		want float64
	}{
		{"3+ years of Java", 3},
		{"at least five years of experience", 5},
		{"minimum 3 years of experience", 3},
		{"3-5 years in a similar role", 3},
		{"3 to 5 years in a similar role", 3},
		{"0-3 years of experience", 0},
		{"Ten years or more", 10},
		{"5 ans d'expérience en soudage", 5},
		{"au moins trois ans d'expérience", 3},
		{"2 années d'expérience", 2},
		{"1 year of warehouse experience", 1},
		{"+2 years experience in a similar role", 2},
		{"In 2020 we grew to 60 people", 0},
		{"5 days a week", 0},
		{"Python 3 and Java 17", 0},
	} {
		toks := DefaultAnalyzer().Tokens(tc.text, DetectLanguage(tc.text))
		if got := yearsIn(toks); got != tc.want {
			t.Errorf("yearsIn(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestMustAndAsset(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	for _, tc := range []struct {
		name, text string
		must       map[string]bool
	}{
		{"headings", "Requirements\n- Python\n\nNice to have\n- Docker", map[string]bool{"python": true, "docker": false}},
		{"heading with colon and list", "What you bring:\nSQL, Git.\nBonus: Kubernetes.", map[string]bool{"sql": true, "git": true, "kubernetes": false}},
		{"French headings", "Exigences\n- Soudage\n\nAtouts\n- Anglais", map[string]bool{"welding": true, "english": false}},
		{"asset cue in a sentence", "SQL experience is a plus but not required.", map[string]bool{"sql": false}},
		{"must cue inside an asset section", "Nice to have\n- Docker\n- Git is mandatory", map[string]bool{"docker": false, "git": true}},
		{"asset cue closing a short clause", "Solid knowledge of SQL and relational databases, PostgreSQL preferred.", map[string]bool{"sql": true, "postgresql": false}},
		{"French asset cue", "La connaissance de WordPress est un atout.", map[string]bool{"wordpress": false}},
		{"French must cue", "Permis de conduire exigé.", map[string]bool{"driving-licence": true}},
		{"no heading: must", "We use Python and Docker.", map[string]bool{"python": true, "docker": true}},
		{"unknown title ends the section", "Nice to have\n- Docker\n\nOur stack\nPython", map[string]bool{"docker": false, "python": true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := e.Extract(tc.text)
			for id, must := range tc.must {
				r, ok := found(x.Requirements, id)
				if !ok {
					t.Errorf("%q: %s not found in %+v", tc.text, id, x.Requirements)
					continue
				}
				if r.Must != must {
					t.Errorf("%q: %s must = %v, want %v", tc.text, id, r.Must, must)
				}
				wantWeight := 1.0
				if !must {
					wantWeight = 0.5
				}
				if r.Confidence == Detected && r.Weight != wantWeight {
					t.Errorf("%q: %s weight %v, want %v", tc.text, id, r.Weight, wantWeight)
				}
			}
		})
	}
}

func TestBenefitsSectionIsNotARequirement(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	x := e.Extract("Requirements\n- Python\n\nWhat we offer\n- A yearly budget for Docker courses")
	if _, ok := found(x.Requirements, "docker"); ok {
		t.Errorf("Docker in the benefits section became a requirement: %+v", x.Requirements)
	}
	if _, ok := found(x.Requirements, "python"); !ok {
		t.Errorf("Python missing: %+v", x.Requirements)
	}
}

// TestWhatTheEmployerOffers pins that sentences about what the employer
// gives ask for nothing, wherever they stand, while the same words in a
// list of duties stay requirements.
func TestWhatTheEmployerOffers(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	for _, tc := range []struct {
		name, text string
		want       map[string]bool // competency → expected among the requirements
	}{
		{"offer sentence without heading", "Requirements\n- Python\n\nWe offer a yearly budget for Docker courses and a pension plan.",
			map[string]bool{"python": true, "docker": false}},
		{"French offer sentence", "Exigences\n- Soudage\n\nNous offrons une formation en anglais et des assurances collectives.",
			map[string]bool{"welding": true, "english": false}},
		{"benefits prose after the lists", "Requirements\n- Python\n\nPaid training on Docker, group insurance from day one and a monthly bonus.",
			map[string]bool{"python": true, "docker": false}},
		{"benefits prose with a must cue stays", "Requirements\n- Python\n\nDocker is required; group insurance from day one.",
			map[string]bool{"python": true, "docker": true}},
		{"benefit words in a duty", "Responsibilities\n- Use Docker to ship the group insurance and pension portal.",
			map[string]bool{"docker": true}},
		{"benefit words in opening prose", "We build Docker tooling for insurance brokers.\n\nRequirements\n- Python",
			map[string]bool{"docker": true, "python": true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := e.Extract(tc.text)
			for id, want := range tc.want {
				if _, ok := found(x.Requirements, id); ok != want {
					t.Errorf("%q: %s found = %v, want %v (%+v)", tc.text, id, ok, want, x.Requirements)
				}
			}
		})
	}
}

func TestLevelsAndYearsOnRequirements(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	for _, tc := range []struct {
		text  string
		id    string
		level Level
		years float64
	}{
		{"Expert knowledge of Kubernetes.", "kubernetes", LevelExpert, 0},
		{"Basic knowledge of SQL.", "sql", LevelBasic, 0},
		{"Strong Python skills and 4+ years of experience.", "python", LevelAdvanced, 4},
		{"Git (intermediate).", "git", LevelIntermediate, 0},
		{"Bonne connaissance de la fiscalité des entreprises, 5 ans d'expérience.", "taxation", LevelIntermediate, 5},
		{"Maîtrise d'Excel.", "excel", LevelAdvanced, 0},
		{"Docker.", "docker", LevelNone, 0},
	} {
		r, ok := found(e.Extract(tc.text).Requirements, tc.id)
		if !ok {
			t.Errorf("%q: %s not found", tc.text, tc.id)
			continue
		}
		if r.MinLevel != tc.level || r.MinYears != tc.years {
			t.Errorf("%q: %s level %q years %v, want %q %v", tc.text, tc.id, r.MinLevel, r.MinYears, tc.level, tc.years)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Level
		ok   bool
	}{
		{"", LevelNone, true}, {"Basic", LevelBasic, true}, {" expert ", LevelExpert, true}, {"guru", LevelNone, false},
	} {
		got, err := ParseLevel(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseLevel(%q) = %q, %v", tc.in, got, err)
		}
	}
	if !(LevelBasic.Rank() < LevelIntermediate.Rank() && LevelIntermediate.Rank() < LevelAdvanced.Rank() && LevelAdvanced.Rank() < LevelExpert.Rank() && LevelNone.Rank() == 0) {
		t.Error("levels out of order")
	}
}
