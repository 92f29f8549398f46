package matcher

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParsePolicy feeds arbitrary bytes to ParsePolicy: it must never
// panic, and every policy it accepts must validate and score within [0,1].
func FuzzParsePolicy(f *testing.F) {
	files, _ := filepath.Glob("testdata/rank/policy-*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"broader_depth": -1}`))
	f.Add([]byte(`{"half_life_years": 1e308, "volume_full_credits": 0.5, "volume_floor": 0}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy("fuzz", data)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted a policy that does not validate: %v", err)
		}
		req := Requirement{CompetencyID: "python", MinLevel: LevelExpert, MinYears: 2}
		ev := aligned("python", cref("c", "valid", true, 3))
		ev.Credential.Credits = 1
		for _, rel := range []Relation{RelExact, RelNarrower, RelBroader, RelRelated, RelSibling, RelNone} {
			c := p.Credit(&req, rel, 1, ev, rankNow)
			if c.Value < 0 || c.Value > 1 {
				t.Fatalf("%s: value %v outside [0,1]", rel, c.Value)
			}
		}
	})
}
