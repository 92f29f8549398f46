package taxonomy

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"
)

//go:embed default/*.json
var defaultFS embed.FS

// DefaultName is the Name of the embedded default taxonomy.
const DefaultName = "default"

var (
	defaultOnce sync.Once
	defaultTax  *Taxonomy
	defaultErr  error
)

// Default returns the embedded default taxonomy: competencies for the job
// families small employers hire for, in English and French, with ESCO URIs
// where ESCO has a counterpart. It is parsed once and shared.
func Default() (*Taxonomy, error) {
	defaultOnce.Do(func() { defaultTax, defaultErr = LoadDefaultFS(defaultFS, "default") })
	return defaultTax, defaultErr
}

// defaultEntry is the compact, hand-written form of one competency in the
// files under default/: the first label of a language is the preferred one,
// the others are alternatives.
type defaultEntry struct {
	ID       string   `json:"id"`
	Kind     Kind     `json:"kind"`
	Broader  []string `json:"broader,omitempty"`
	Related  []string `json:"related,omitempty"`
	EN       []string `json:"en"`
	FR       []string `json:"fr"`
	ENHidden []string `json:"en_hidden,omitempty"`
	FRHidden []string `json:"fr_hidden,omitempty"`
	DescEN   string   `json:"desc_en,omitempty"`
	DescFR   string   `json:"desc_fr,omitempty"`
	ESCO     string   `json:"esco,omitempty"`
	ONET     string   `json:"onet,omitempty"`
}

type defaultFile struct {
	Family       string         `json:"family"`
	Competencies []defaultEntry `json:"competencies"`
}

// LoadDefaultFS reads every *.json file of dir in fsys in the compact
// default-taxonomy form and builds a Taxonomy named DefaultName.
func LoadDefaultFS(fsys fs.FS, dir string) (*Taxonomy, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var comps []Competency
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("taxonomy: reading %s: %w", name, err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var f defaultFile
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("taxonomy: %s: %w (fix the JSON; fields are id, kind, broader, related, en, fr, en_hidden, fr_hidden, desc_en, desc_fr, esco, onet)", name, err)
		}
		for i, e := range f.Competencies {
			if len(e.EN) == 0 || len(e.FR) == 0 {
				return nil, fmt.Errorf("taxonomy: %s: competency #%d (%s) needs at least one English and one French label", name, i+1, e.ID)
			}
			c := Competency{
				ID:      e.ID,
				Kind:    e.Kind,
				Broader: e.Broader,
				Related: e.Related,
				Labels: map[string]Labels{
					"en": {Preferred: e.EN[0], Alt: e.EN[1:], Hidden: e.ENHidden},
					"fr": {Preferred: e.FR[0], Alt: e.FR[1:], Hidden: e.FRHidden},
				},
			}
			if e.DescEN != "" || e.DescFR != "" {
				c.Description = map[string]string{}
				if e.DescEN != "" {
					c.Description["en"] = e.DescEN
				}
				if e.DescFR != "" {
					c.Description["fr"] = e.DescFR
				}
			}
			if e.ESCO != "" {
				c.Refs = append(c.Refs, Ref{Scheme: "esco", ID: e.ESCO})
			}
			if e.ONET != "" {
				c.Refs = append(c.Refs, Ref{Scheme: "onet", ID: e.ONET})
			}
			comps = append(comps, c)
		}
	}
	return New(DefaultName, comps, nil)
}
