package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
		m, _ := translationsOf(t, code)
		for k, f := range used {
			if _, ok := m[k]; !ok {
				t.Errorf("the %s translations lack %q (used in %s)", code, k, f)
			}
		}
	}
}

// translationsOf reads every translation file of a language, as Fyne
// loads them: translations/<code>.json and the files of one feature,
// translations/<feature>.<code>.json (e.g. evidence.en.json). It returns
// the keys with their values and, for messages, the file of each key; a
// key in two files, or a feature file missing for one language, is an
// error.
func translationsOf(t *testing.T, code string) (map[string]any, map[string]string) {
	t.Helper()
	entries, err := translationFS.ReadDir("translations")
	if err != nil {
		t.Fatal(err)
	}
	m, where := map[string]any{}, map[string]string{}
	found := false
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			t.Errorf("translations/%s: not a .json file", e.Name())
			continue
		}
		feature, lang, hasFeature := strings.Cut(base, ".")
		if !hasFeature {
			feature, lang = "", base
		}
		if !slices.Contains(Languages, lang) {
			t.Errorf("translations/%s: language %q is not one of %v", e.Name(), lang, Languages)
			continue
		}
		if lang != code {
			// Every feature file exists in every language.
			other := code + ".json"
			if feature != "" {
				other = feature + "." + other
			}
			if _, err := translationFS.ReadFile("translations/" + other); err != nil {
				t.Errorf("translations/%s has no %s counterpart translations/%s", e.Name(), code, other)
			}
			continue
		}
		found = found || feature == ""
		data, err := translationFS.ReadFile("translations/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		var part map[string]any
		if err := json.Unmarshal(data, &part); err != nil {
			t.Fatalf("translations/%s: %v", e.Name(), err)
		}
		for k, v := range part {
			if f, dup := where[k]; dup {
				t.Errorf("translations/%s: %s is also in %s", e.Name(), k, f)
			}
			m[k], where[k] = v, "translations/"+e.Name()
		}
	}
	if !found {
		t.Fatalf("translations/%s.json is missing", code)
	}
	return m, where
}
