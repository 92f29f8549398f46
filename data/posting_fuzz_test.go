package data

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadPosting feeds ReadPosting every fixture (the documents zipped)
// and mutations of them: it must never panic, and what it returns must be
// clean text, the same on a second read, or an error that starts with the
// file name.
func FuzzReadPosting(f *testing.F) {
	for _, fx := range postingFixtures(f) {
		f.Add(fx.data, fx.name)
	}
	f.Add([]byte(`{\rtf1{\*\x{\u-1\'zz}}}\bin99999 {`), "odd.rtf")
	f.Add([]byte("<html><li><td><tr><h1></li></table>&#x110000;&"), "odd.html")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		if name == "" {
			name = "fuzz.txt"
		}
		got, err := ReadPosting(bytes.NewReader(data), name)
		if err != nil {
			if !strings.HasPrefix(err.Error(), name+": ") {
				t.Fatalf("error %q does not start with the file name %q", err, name)
			}
			return
		}
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 in %q", got)
		}
		if strings.ContainsAny(got, "\r\x00") || !strings.HasSuffix(got, "\n") || strings.Contains(got, "\n\n\n") {
			t.Fatalf("untidy text %q", got)
		}
		if len(got) > MaxPostingText {
			t.Fatalf("%d bytes of text, more than %d", len(got), MaxPostingText)
		}
		again, err := ReadPosting(bytes.NewReader(data), name)
		if err != nil || again != got {
			t.Fatalf("second read differs: %q, %v", again, err)
		}
	})
}
