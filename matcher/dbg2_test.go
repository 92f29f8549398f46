package matcher

import (
	"fmt"
	"testing"
)

func TestDbg2Tmp(t *testing.T) {
	e := For(fixtureTaxonomy(t))
	for _, s := range []string{"- Advanced Excel: pivot tables, lookups and charts.", "Advanced Excel skills.", "You excel at building trust"} {
		fmt.Println(s, e.Detect(s), e.Candidates(s, 3))
	}
}
