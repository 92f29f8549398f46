package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// literalKey finds T("key") and TN("key", …) calls in the source.
var literalKey = regexp.MustCompile(`\bTN?\("([a-z_]+(?:\.[a-z_]+)+)"`)

func TestEveryKeyUsedIsTranslated(t *testing.T) {
	used := map[string]string{} // key → file
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literalKey.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = f
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys in the source; is the pattern right?", len(used))
	}
	// Keys built at run time from a value.
	for _, k := range taxonomy.Kinds {
		used["kind."+string(k)] = "taxonomy.Kinds"
	}
	for _, s := range []credential.Status{credential.StatusValid, credential.StatusUnverifiable, credential.StatusNotYetValid, credential.StatusExpired, credential.StatusSuspended, credential.StatusRevoked, credential.StatusInvalid, credential.StatusError} {
		used["status."+string(s)] = "credential.Status"
	}
	for _, c := range credential.CheckOrder {
		used["check."+c] = "credential.CheckOrder"
	}
	for _, l := range []matcher.LinkKind{matcher.LinkAlignment, matcher.LinkText} {
		used["link."+string(l)] = "matcher.LinkKind"
	}
	for _, l := range levels[1:] {
		used["level."+string(l)] = "levels"
	}
	for _, s := range []string{"job", "applicants", "ranking", "taxonomy", "settings"} {
		used["tab."+s] = "screens"
	}
	for _, k := range rankColKeys {
		used[k] = "rankColKeys"
	}
	for _, code := range Languages {
		data, err := translationFS.ReadFile("translations/" + code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		for k, f := range used {
			if _, ok := m[k]; !ok {
				t.Errorf("translations/%s.json lacks %q (used in %s)", code, k, f)
			}
		}
	}
}
