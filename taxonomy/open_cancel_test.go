package taxonomy

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// cancelAfter is a context whose Err reports cancellation once it has been
// asked more than n times (from any goroutine): it stops an import
// part-way, deterministically.
type cancelAfter struct {
	context.Context
	n     int64
	asked atomic.Int64
}

func (c *cancelAfter) Err() error {
	if c.asked.Add(1) > c.n {
		return context.Canceled
	}
	return nil
}

// TestOpenContextStops cancels imports before they start and part-way
// through reading their files: each returns an error that wraps
// context.Canceled and names what was being imported, never a taxonomy.
func TestOpenContextStops(t *testing.T) {
	cases := []struct {
		name, spec string
		allowed    int64 // calls of Err that report no cancellation
	}{
		{"esco before reading", "esco:" + filepath.Join("testdata", "esco"), 0},
		{"esco part-way", "esco:" + filepath.Join("testdata", "esco"), 3},
		{"onet part-way", "onet:" + filepath.Join("testdata", "onet"), 2},
		{"csv", "csv:" + filepath.Join("testdata", "plain", "company.csv"), 0},
		{"second element of a merge", "default+csv:" + filepath.Join("testdata", "plain", "company.csv"), 1},
	}
	if _, err := os.Stat(filepath.Join(escoDir, "skills_en.csv")); err == nil {
		cases = append(cases, struct {
			name, spec string
			allowed    int64
		}{"full ESCO part-way", "esco:" + escoDir, 50})
	} else {
		t.Logf("full ESCO case skipped: shared ESCO 1.1.1 not found at %s", escoDir)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := &cancelAfter{Context: context.Background(), n: tc.allowed}
			tax, err := OpenContext(ctx, tc.spec)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("OpenContext(%s) = %v, %v; want an error wrapping context.Canceled", tc.spec, tax, err)
			}
			if tax != nil {
				t.Errorf("a cancelled import returned a taxonomy")
			}
			if !strings.Contains(err.Error(), "stopped") {
				t.Errorf("error %q does not say the import stopped", err)
			}
			if tc.allowed > 0 && ctx.asked.Load() <= tc.allowed {
				t.Errorf("Err asked %d times: cancelled before the files were read", ctx.asked.Load())
			}
		})
	}
	// Not cancelled: the same specs import as with Open.
	for _, spec := range []string{"esco:" + filepath.Join("testdata", "esco"), "default+csv:" + filepath.Join("testdata", "plain", "company.csv")} {
		got, err := OpenContext(context.Background(), spec)
		if err != nil {
			t.Fatalf("OpenContext(%s): %v", spec, err)
		}
		want, err := Open(spec)
		if err != nil {
			t.Fatal(err)
		}
		if got.Len() != want.Len() {
			t.Errorf("OpenContext(%s): %d competencies, Open: %d", spec, got.Len(), want.Len())
		}
	}
}
