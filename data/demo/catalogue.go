package demo

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// catalogueCSV is the demo catalogue of micro-credentials on offer: about
// forty fictional courses from the demo's training providers, priced in
// Canadian dollars, in English and French, aligned to competencies of the
// default taxonomy. It is hand-written (not produced by gen.go, which only
// rewrites pool/).
//
//go:embed catalogue.csv
var catalogueCSV []byte

// CatalogueFile is the name of the demo catalogue, as used in messages and
// in the source of its items.
const CatalogueFile = "demo/catalogue.csv"

// CatalogueCSV returns the demo catalogue in the catalogue CSV format (see
// matcher.ReadCatalogueCSV), e.g. to export it for "skillmatch-cli plan
// --catalogue".
func CatalogueCSV() []byte { return bytes.Clone(catalogueCSV) }

// Catalogue reads the demo catalogue. Its competencies are IDs of the
// default taxonomy; tax must hold them (the default taxonomy, or one
// merged with it).
func Catalogue(tax *taxonomy.Taxonomy) ([]matcher.CatalogueItem, error) {
	items, err := matcher.ReadCatalogueCSV(bytes.NewReader(catalogueCSV), CatalogueFile, tax, nil)
	if err != nil {
		return nil, fmt.Errorf("demo catalogue: %w", err)
	}
	return items, nil
}
