package taxonomy

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Open loads the taxonomy a spec names:
//
//	default     the embedded default taxonomy
//	esco:DIR    an ESCO CSV download (ImportESCO)
//	onet:DIR    O*NET text files (ImportONET)
//	csv:FILE    a plain CSV framework (ImportCSV)
//	json:FILE   a JSON framework (ImportJSON)
//
// Several specs joined by "+" are merged left to right, each laid over the
// result of the ones before it as Merge does; a CSV or JSON file may then
// reference IDs of the taxonomies to its left ("default+csv:company.csv").
// Paths must not contain "+". The result is named spec.
func Open(spec string) (*Taxonomy, error) {
	return OpenContext(context.Background(), spec)
}

// OpenContext is Open, stopping with an error that wraps ctx's error when
// ctx is done (files are read in blocks, and ctx is consulted at each).
func OpenContext(ctx context.Context, spec string) (*Taxonomy, error) {
	elems := strings.Split(spec, "+")
	if len(elems) == 1 {
		t, p, err := openOne(ctx, spec)
		if err != nil || t != nil {
			return t, err
		}
		p.name = spec
		return p.finish(func(string) bool { return false })
	}
	var acc part
	known := map[string]bool{}
	var notes []string
	for i, e := range elems {
		if err := stopped(ctx, spec); err != nil {
			return nil, err
		}
		t, p, err := openOne(ctx, e)
		if err != nil {
			return nil, err
		}
		if t != nil {
			p = fromTaxonomy(t)
			notes = append(notes, t.Notes...)
		} else if err := p.check(func(id string) bool { return known[id] }); err != nil {
			return nil, err
		}
		for _, c := range p.comps {
			known[c.ID] = true
		}
		if i == 0 {
			acc = p
			continue
		}
		acc = mergeParts(acc, p)
	}
	acc.name = spec
	t, err := acc.build()
	if err != nil {
		return nil, fmt.Errorf("taxonomy: %s: %w", spec, err)
	}
	t.Notes = slices.Clip(notes)
	return t, nil
}

// openOne loads one element of a spec: a validated taxonomy, or for csv:
// and json: an unvalidated part that may reference IDs merged before it.
func openOne(ctx context.Context, spec string) (*Taxonomy, part, error) {
	spec = strings.TrimSpace(spec)
	if spec == DefaultName {
		t, err := Default()
		return t, part{}, err
	}
	scheme, arg, ok := strings.Cut(spec, ":")
	if !ok || arg == "" {
		return nil, part{}, fmt.Errorf("taxonomy: %q is not a taxonomy spec; write default, esco:DIR, onet:DIR, csv:FILE or json:FILE, joined by + to merge", spec)
	}
	switch scheme {
	case "esco":
		t, err := importESCO(ctx, arg)
		return t, part{}, err
	case "onet":
		t, err := importONET(ctx, arg)
		return t, part{}, err
	case "csv":
		p, err := readCSVPart(ctx, arg)
		return nil, p, err
	case "json":
		p, err := readJSONPart(arg)
		return nil, p, err
	}
	return nil, part{}, fmt.Errorf("taxonomy: unknown taxonomy source %q in %q; write default, esco:DIR, onet:DIR, csv:FILE or json:FILE, joined by + to merge", scheme, spec)
}
