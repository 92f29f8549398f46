package credential

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestScratchPoison(t *testing.T) {
	for _, n := range []int{6, 8, 10, 12} {
		var nodes []any
		for i := 0; i < n; i++ {
			var links []any
			for j := 0; j < n; j++ {
				if j != i {
					links = append(links, map[string]any{"@id": fmt.Sprintf("_:b%d", j)})
				}
			}
			nodes = append(nodes, map[string]any{"@id": fmt.Sprintf("_:b%d", i), "http://ex.org/p": links})
		}
		doc := map[string]any{"@context": []any{contextVC2}, "type": "VerifiableCredential", "http://ex.org/x": nodes}
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		r, err := canonicalize(ctx, &contextLoader{}, doc)
		cancel()
		t.Logf("n=%d %v %v %d bytes", n, time.Since(start), err, len(r.nquads))
	}
}
