package matcher

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// sameExtractions fails unless a and b extract the same requirements and
// candidates from every posting of testdata/postings.
func sameExtractions(t *testing.T, a, b *Extractor) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "postings", "*.txt"))
	if len(files) == 0 {
		t.Fatal("no postings in testdata/postings")
	}
	for _, f := range files {
		text := string(readPosting(t, filepath.Base(f)))
		if x, y := a.Extract(text), b.Extract(text); !reflect.DeepEqual(x, y) {
			t.Errorf("%s: Extract differs after a round trip:\n built  %+v\n loaded %+v", f, x, y)
		}
		if x, y := a.Candidates(text, 20), b.Candidates(text, 20); !reflect.DeepEqual(x, y) {
			t.Errorf("%s: Candidates differ after a round trip:\n built  %+v\n loaded %+v", f, x, y)
		}
	}
}

func TestIndexRoundTrip(t *testing.T) {
	taxes := []struct {
		name string
		tax  func(testing.TB) *taxonomy.Taxonomy
	}{
		{"fixture", fixtureTaxonomy},
		{"default", func(tb testing.TB) *taxonomy.Taxonomy {
			tax, err := taxonomy.Default()
			if err != nil {
				tb.Fatalf("the embedded default taxonomy does not load: %v", err)
			}
			return tax
		}},
		{"esco", func(tb testing.TB) *taxonomy.Taxonomy {
			if testing.Short() {
				tb.Skip("imports full ESCO; skipped with -short")
			}
			return escoTaxonomy(tb)
		}},
	}
	for _, tc := range taxes {
		t.Run(tc.name, func(t *testing.T) {
			tax := tc.tax(t)
			built := NewExtractor(tax, nil)
			data, err := built.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			loaded, err := UnmarshalExtractor(tax, nil, data)
			if err != nil {
				t.Fatalf("UnmarshalExtractor: %v", err)
			}
			again, err := loaded.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, again) {
				t.Errorf("marshalling the loaded index gives %d bytes that differ from the %d saved", len(again), len(data))
			}
			sameExtractions(t, built, loaded)
		})
	}
}

func TestIndexStaleOrCorrupt(t *testing.T) {
	tax := fixtureTaxonomy(t)
	data, err := NewExtractor(tax, nil).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// The same competencies with one label changed: another taxonomy.
	var comps []taxonomy.Competency
	for i, c := range tax.Competencies() {
		cc := *c
		if i == 0 {
			cc.Labels = map[string]taxonomy.Labels{"en": {Preferred: c.Label("en") + " changed"}}
		}
		cc.Narrower = nil
		comps = append(comps, cc)
	}
	other, err := taxonomy.New("other", comps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if IndexKey(other) == IndexKey(tax) {
		t.Fatal("IndexKey ignores a changed label")
	}
	if _, err := UnmarshalExtractor(other, nil, data); !errors.Is(err, ErrIndexStale) {
		t.Errorf("loading the index of another taxonomy: err = %v, want ErrIndexStale", err)
	}

	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not an index", []byte("{\"competencies\": []}")},
		{"trailing bytes", append(bytes.Clone(data), 0)},
		{"truncated header", data[:10]},
		{"truncated middle", data[:len(data)/2]},
		{"truncated end", data[:len(data)-1]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := UnmarshalExtractor(tax, nil, tc.data); err == nil {
				t.Error("no error")
			}
		})
	}
	// Every truncation fails; no flipped byte makes loading or extracting
	// panic.
	text := string(readPosting(t, "en-backend-developer.txt"))
	step := max(1, len(data)/300)
	for n := 0; n < len(data); n += step {
		if _, err := UnmarshalExtractor(tax, nil, data[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(data))
		}
		flipped := bytes.Clone(data)
		flipped[n] ^= 0xA5
		if e, err := UnmarshalExtractor(tax, nil, flipped); err == nil {
			e.Extract(text)
		}
	}
}

func TestLoadOrBuildExtractor(t *testing.T) {
	tax := fixtureTaxonomy(t)
	dir := filepath.Join(t.TempDir(), "cache")
	first, err := LoadOrBuildExtractor(tax, nil, dir)
	if err != nil {
		t.Fatalf("first call (build and save): %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "extract-*.idx"))
	if len(files) != 1 {
		t.Fatalf("saved index files: %v, want one", files)
	}
	saved, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	second, err := LoadOrBuildExtractor(tax, nil, dir)
	if err != nil {
		t.Fatalf("second call (load): %v", err)
	}
	sameExtractions(t, first, second)

	// A damaged file is rebuilt and replaced.
	if err := os.WriteFile(files[0], saved[:len(saved)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := LoadOrBuildExtractor(tax, nil, dir)
	if err != nil {
		t.Fatalf("third call (rebuild): %v", err)
	}
	sameExtractions(t, first, third)
	if again, _ := os.ReadFile(files[0]); !bytes.Equal(again, saved) {
		t.Error("the damaged index file was not replaced by a complete one")
	}

	// A cache folder that cannot be created still gives an Extractor.
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := LoadOrBuildExtractor(tax, nil, filepath.Join(blocker, "sub"))
	if err == nil || e == nil {
		t.Errorf("unwritable cache: got extractor %v, err %v; want both", e != nil, err)
	}
}

func FuzzUnmarshalExtractor(f *testing.F) {
	tax := fixtureTaxonomy(f)
	data, err := NewExtractor(tax, nil).MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add([]byte(indexMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		if e, err := UnmarshalExtractor(tax, nil, b); err == nil {
			e.Extract("Java and SQL required; forklift licence an asset.")
		}
	})
}

// TestForUsesIndexCache: after SetIndexCacheDir, For saves the index of a
// large taxonomy in the folder, and a later For of an equal taxonomy
// (another *Taxonomy value) loads it.
func TestForUsesIndexCache(t *testing.T) {
	dir := t.TempDir()
	SetIndexCacheDir(dir)
	defer SetIndexCacheDir("")
	synthetic := func() *taxonomy.Taxonomy {
		comps := make([]taxonomy.Competency, minCachedComps)
		for i := range comps {
			comps[i] = taxonomy.Competency{
				ID: fmt.Sprintf("c%d", i), Kind: taxonomy.KindSkill,
				Labels:      map[string]taxonomy.Labels{"en": {Preferred: fmt.Sprintf("skill %d widget %c", i, 'a'+i%26)}},
				Description: map[string]string{"en": fmt.Sprintf("Assemble widget number %d for customers.", i)},
			}
		}
		tax, err := taxonomy.New("synthetic", comps, nil)
		if err != nil {
			t.Fatal(err)
		}
		return tax
	}
	first := For(synthetic())
	files, _ := filepath.Glob(filepath.Join(dir, "extract-*.idx"))
	if len(files) != 1 {
		t.Fatalf("index files in the cache folder: %v, want one", files)
	}
	info, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	second := For(synthetic())
	if first == second {
		t.Fatal("For shared an Extractor between two Taxonomy values")
	}
	if again, _ := os.Stat(files[0]); !again.ModTime().Equal(info.ModTime()) {
		t.Error("the second For rewrote the cached index instead of loading it")
	}
	text := "We assemble widget number 12 for customers: skill 12 widget m required."
	if a, b := first.Extract(text), second.Extract(text); !reflect.DeepEqual(a, b) {
		t.Errorf("built and cached extractors differ:\n%+v\n%+v", a, b)
	}
}
