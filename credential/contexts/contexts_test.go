package contexts

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestEmbeddedMatchPins checks that every context pinned in pins.tsv is
// embedded, parses as JSON-LD context JSON, and has the pinned SHA-256.
func TestEmbeddedMatchPins(t *testing.T) {
	if err := Err(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("pins.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "" {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 5 {
			t.Fatalf("pins.tsv line %d: %d columns, want 5", line, len(cols))
		}
		n++
		data, ok := Lookup(cols[0])
		if !ok {
			t.Errorf("pins.tsv line %d: %s is not embedded", line, cols[0])
			continue
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != cols[4] {
			t.Errorf("pins.tsv line %d: embedded %s has SHA-256 %x, pinned %s", line, cols[0], sum, cols[4])
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil || doc["@context"] == nil {
			t.Errorf("%s is not a JSON-LD context document: %v", cols[0], err)
		}
	}
	if n == 0 || len(URLs()) != n {
		t.Errorf("%d pins, %d embedded URLs", n, len(URLs()))
	}
	if _, ok := Lookup("https://evil.example/context.json"); ok {
		t.Error("an unknown URL was found")
	}
	for _, p := range Remote {
		if len(p.Digests) == 0 || len(p.Digests[0]) != 64 {
			t.Errorf("remote pin %s has no SHA-256 digest", p.URL)
		}
		if _, ok := RemoteFor(p.URL); !ok {
			t.Errorf("RemoteFor(%s) not found", p.URL)
		}
	}
}
