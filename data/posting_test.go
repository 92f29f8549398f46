package data

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

var updateGolden = flag.Bool("update", false, "rewrite the .golden.txt files of testdata/postings")

// postingFixture is one posting of testdata/postings: a file, or a
// folder NAME.docx.d / NAME.odt.d zipped into NAME.docx / NAME.odt.
type postingFixture struct {
	name string // the file name given to ReadPosting
	path string // the file or folder in testdata
	data []byte
}

// postingFixtures lists the fixtures (not the goldens), zipping the
// document folders.
func postingFixtures(t testing.TB) []postingFixture {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("testdata", "postings"))
	if err != nil {
		t.Fatal(err)
	}
	var out []postingFixture
	for _, e := range entries {
		path := filepath.Join("testdata", "postings", e.Name())
		switch {
		case strings.HasSuffix(e.Name(), ".golden.txt") || e.Name() == "README.md" || strings.HasSuffix(e.Name(), ".pdf"):
			continue
		case e.IsDir() && strings.HasSuffix(e.Name(), ".d"):
			out = append(out, postingFixture{name: strings.TrimSuffix(e.Name(), ".d"), path: path, data: zipFolder(t, path)})
		case !e.IsDir():
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, postingFixture{name: e.Name(), path: path, data: b})
		}
	}
	if len(out) < 14 {
		t.Fatalf("found only %d posting fixtures", len(out))
	}
	return out
}

// zipFolder zips a folder as Word and LibreOffice do: "mimetype" first and
// stored, everything else deflated.
func zipFolder(t testing.TB, dir string) []byte {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i] == "mimetype" && files[j] != "mimetype" })
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		method := zip.Deflate
		if f == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadPostingGolden reads every fixture and compares its text with
// the .golden.txt beside it (go test -run TestReadPostingGolden -update
// rewrites them).
func TestReadPostingGolden(t *testing.T) {
	for _, f := range postingFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			got, err := ReadPosting(bytes.NewReader(f.data), f.name)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "postings", f.name+".golden.txt")
			if *updateGolden {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("text differs from %s:\n%s", golden, lineDiff(string(want), got))
			}
			checkPostingShape(t, got)
		})
	}
}

// checkPostingShape checks what every output must be: no carriage
// returns, no markup left, no trailing space, at most one blank line in a
// row, one final newline.
func checkPostingShape(t *testing.T, s string) {
	t.Helper()
	if strings.ContainsAny(s, "\r\u00a0\ufeff") {
		t.Errorf("output holds a carriage return, no-break space or BOM: %q", s)
	}
	if !strings.HasSuffix(s, "\n") || strings.HasSuffix(s, "\n\n") {
		t.Errorf("output does not end with exactly one newline")
	}
	if strings.Contains(s, "\n\n\n") {
		t.Errorf("output has two blank lines in a row")
	}
	for i, l := range strings.Split(s, "\n") {
		if l != strings.TrimRight(l, " \t") {
			t.Errorf("line %d has trailing space: %q", i+1, l)
		}
		for _, m := range []string{"<p", "</", "\\par", "\\'", "&amp;", "&nbsp;", "w:t", "{\\"} {
			if strings.Contains(l, m) {
				t.Errorf("line %d holds markup %q: %q", i+1, m, l)
			}
		}
	}
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var sb strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			fmt.Fprintf(&sb, "line %d:\n  want %q\n  got  %q\n", i+1, a, b)
		}
	}
	return sb.String()
}

// TestReadPostingKeepsRequirements checks that the structure survives:
// each fixture, once read, gives the matcher the same requirements (the
// same competencies, must-have or asset) as the plain-text posting in the
// same language.
func TestReadPostingKeepsRequirements(t *testing.T) {
	tax, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	ex := matcher.For(tax)
	reqs := func(text string) []string {
		var out []string
		for _, r := range ex.Extract(text).Requirements {
			out = append(out, fmt.Sprintf("%s must=%v", r.CompetencyID, r.Must))
		}
		sort.Strings(out)
		return out
	}
	want := map[string][]string{}
	for _, lang := range []string{"en", "fr"} {
		text, err := ReadPostingFile(filepath.Join("testdata", "postings", "job-"+lang+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		want[lang] = reqs(text)
		var must, asset int
		for _, r := range want[lang] {
			if strings.HasSuffix(r, "must=true") {
				must++
			} else {
				asset++
			}
		}
		if must < 3 || asset < 2 {
			t.Fatalf("job-%s.txt gives %d must-haves and %d assets; the test needs a posting with both", lang, must, asset)
		}
	}
	for _, f := range postingFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			lang := "en"
			if strings.Contains(f.name, "-fr") {
				lang = "fr"
			}
			text, err := ReadPosting(bytes.NewReader(f.data), f.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := reqs(text); !slices.Equal(got, want[lang]) {
				t.Errorf("requirements differ from job-%s.txt:\n got  %v\n want %v", lang, got, want[lang])
			}
		})
	}
}

// docxOf zips a minimal Word document around the body XML.
func docxOf(t testing.TB, body string) []byte {
	t.Helper()
	return zipOf(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`,
	})
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBomb is a document whose document.xml deflates size bytes of spaces.
func zipBomb(t testing.TB, size int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte(" "), 1<<16)
	for n := 0; n < size; n += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// lyingZip is a ZIP bomb whose directory says document.xml is 1000
// bytes long while it inflates to more than maxZipEntry.
func lyingZip(t testing.TB) []byte {
	t.Helper()
	var deflated bytes.Buffer
	fw, err := flate.NewWriter(&deflated, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("<w:p/>"), 1<<14)
	for n := 0; n <= maxZipEntry; n += len(chunk) {
		if _, err := fw.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CompressedSize64: uint64(deflated.Len()), UncompressedSize64: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(deflated.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encryptedZip has a document.xml entry marked as encrypted.
func encryptedZip(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Store, Flags: 1, CompressedSize64: 4, UncompressedSize64: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("\x8f\x13\xa2\x07")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadPostingRefuses(t *testing.T) {
	goodDocx := docxOf(t, `<w:p><w:r><w:t>Requirements</w:t></w:r></w:p>`)
	pdf, err := os.ReadFile(filepath.Join("testdata", "postings", "scanned.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		data    []byte
		want    error
		message string // a part of the error that tells the user what to do
	}{
		{"scanned.pdf", pdf, ErrPostingPDF, "save the posting as .docx or .txt"},
		{"posting.txt", pdf, ErrPostingPDF, "paste its text"},
		{"logo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"), ErrPostingBinary, "not a text document"},
		{"protected.docx", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00\x00\x00\x00\x00"), ErrPostingEncrypted, "remove the password"},
		{"old.doc", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 504)...), ErrPostingEncrypted, ".doc"},
		{"cut.docx", goodDocx[:len(goodDocx)/2], ErrPostingDamaged, "save it again"},
		{"renamed.docx", []byte("Requirements\n- Go\n"), ErrPostingDamaged, "not a .docx document"},
		{"broken.docx", docxOf(t, `<w:p><w:r><w:t>Requirements</w:r></w:p>`), ErrPostingDamaged, "word/document.xml is damaged"},
		{"locked.docx", encryptedZip(t), ErrPostingEncrypted, "password"},
		{"bomb.docx", zipBomb(t, 8<<20), ErrPostingTooLarge, "ZIP bomb"},
		{"huge.docx", zipBomb(t, maxZipEntry+1<<16), ErrPostingTooLarge, "more than 50 MB"},
		{"lying.docx", lyingZip(t), ErrPostingDamaged, "cannot be read"},
		{"archive.zip", zipOf(t, map[string]string{"readme.txt": "Requirements"}), ErrPostingUnsupported, "save the posting as .docx"},
		{"sheet.odt", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), ErrPostingUnsupported, "not a text document"},
		{"secret.odt", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "\x01\x02", "META-INF/manifest.xml": `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`}), ErrPostingEncrypted, "password"},
		{"empty.docx", docxOf(t, `<w:p/>`), ErrPostingEmpty, "contains no text"},
		{"blank.txt", []byte(" \r\n\t\r\n"), ErrPostingEmpty, "contains no text"},
		{"long.txt", bytes.Repeat([]byte("Requirements and more requirements.\n"), MaxPostingText/30), ErrPostingTooLarge, "more than 5 MB of text"},
		{"long.html", append([]byte("<html><body>"), bytes.Repeat([]byte("<p>Requirements and more.</p>"), MaxPostingText/20)...), ErrPostingTooLarge, "more than 5 MB of text"},
		{"cyrillic.rtf", []byte(`{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\par}`), ErrPostingUnsupported, "code page 1251"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadPosting(bytes.NewReader(tt.data), tt.name)
			if err == nil {
				t.Fatalf("read %q, want an error", got)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q does not wrap %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.name+": ") {
				t.Errorf("error %q does not start with the file name", err)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not say %q", err, tt.message)
			}
		})
	}
}

func TestReadPostingFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nowhere.docx")
	_, err := ReadPostingFile(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("err = %v, want one that starts with the path and wraps fs.ErrNotExist", err)
	}
}

// TestReadPostingFormats pins the structure kept by each format on small
// inputs.
func TestReadPostingFormats(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"crlf.txt", "Exigences\r\n- Go\r\n\r\n\r\n\r\nAtouts\r\n- SQL\r\n", "Exigences\n- Go\n\nAtouts\n- SQL\n"},
		{"bom.txt", "\xEF\xBB\xBFR\xC3\xA9sum\xC3\xA9 \n", "Résumé\n"},
		{"latin1.txt", "Exp\xe9rience \x96 \x93Go\x94 \x80\n", "Expérience – “Go” €\n"},
		{"utf16be.txt", "\xFE\xFF\x00E\x00x\x00i\x00g\x00e\x00n\x00c\x00e\x00s\x00\r\x00\n\x00-\x00 \x00\xe9", "Exigences\n- é\n"},
		{"nobom16.txt", "R\x00e\x00q\x00u\x00i\x00r\x00e\x00m\x00e\x00n\x00t\x00s\x00\n\x00", "Requirements\n"},
		{"fragment.html", "<h2>Requirements</h2><ul><li>Go<li>SQL</ul><p>Apply &amp; win &copy &#x41;&#65;&#150;&bogus;</p>", "Requirements\n\n- Go\n- SQL\n\nApply & win &copy AA–&bogus;\n"},
		{"page.txt", "<!DOCTYPE html><html><body><h1>Title</h1><p>One<br>two<br/><br/>three</p></body></html>", "Title\n\nOne\ntwo\n\nthree\n"},
		{"script.html", "<html><script>var s = '</p><h1>No</h1>';</script ><SCRIPT>x</SCRIPT><p>Yes</p><style>p{}</style><!-- <p>No</p> --><p>a < b</p>", "Yes\n\na < b\n"},
		{"nested.html", "<html><ol><li>Parent<ul><li>Child</li></ul></li><li><p>Third</p></li></ol>", "- Parent\n- Child\n- Third\n"},
		{"table.html", "<html><table><tr><th>Skill</th><th></th><th>Years</th></tr><tr><td><p>Go</p><p>lang</p></td><td>3</td></tr></table><p>After</p>", "Skill | Years\nGo lang | 3\n\nAfter\n"},
		{"bullets.html", "<html><p>• Go</p><p>&#8211; SQL</p><p>-not a bullet</p>", "- Go\n- SQL\n\n-not a bullet\n"},
		{"attrs.html", `<html><p title="a > b" class='x'>Text</p><img alt="<p>"><p data-x=">">More</p>`, "Text\n\nMore\n"},
		{"unicode.rtf", `{\rtf1\ansi\uc2 caf\u233\'e9\'e9 \u-10179\'3f\'3f\u-8704\'3f\'3f{\b bold}\line next\tab x\~y\par}`, "café 😀bold\nnext x y\n"},
		{"skip.rtf", `{\rtf1{\fonttbl{\f0 Arial;}}{\*\unknown hidden}{\info{\title T}}\pard\ls1 item\par\pard plain\par{\pict\bin3 {}}\par}`, "- item\n\nplain\n"},
		{"escapes.rtf", `{\rtf1 a\{b\}c\\d\emdash e\-f\_g\par}`, "a{b}c\\d—ef-g\n"},
		{"list.md", "Title\n=====\n\n* one\n* two\n\n1) three\n- [x] done\n\n## Plus ##\n\n> quoted **bold** and [link](http://x) and ![img](i.png) and snake_case\n\n```\n# code\n```\n", "Title\n\n- one\n- two\n\n- three\n- done\n\nPlus\n\nquoted bold and link and  and snake_case\n\n# code\n"},
		{"docx-list.docx", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			want := tt.want
			if tt.name == "docx-list.docx" {
				in = docxOf(t, `<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Skills</w:t></w:r></w:p>`+
					`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr></w:pPr><w:r><w:t>Go</w:t></w:r><w:r><w:tab/><w:t>SQL</w:t><w:br/><w:t>next</w:t><w:noBreakHyphen/><w:t>line</w:t></w:r></w:p>`+
					`<w:p><w:pPr><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>not numbered</w:t></w:r></w:p>`+
					`<w:p><w:pPr><w:pStyle w:val="Titre3"/></w:pPr><w:r><w:t>Titre</w:t></w:r></w:p>`+
					`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>`)
				want = "Skills\n\n- Go SQL\nnext-line\n\nnot numbered\n\nTitre\n\na | inner\n"
			}
			got, err := ReadPosting(bytes.NewReader(in), tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
		})
	}
}

func TestDecodeEntity(t *testing.T) {
	tests := []struct {
		in   string
		want string
		n    int
	}{
		{"&amp;x", "&", 5},
		{"&amp x", "&", 4},
		{"&eacute;", "é", 8},
		{"&eacute", "&", 1},
		{"&Eacute;", "É", 8},
		{"&#233;", "é", 6},
		{"&#xe9;", "é", 6},
		{"&#XE9", "é", 5},
		{"&#146;", "’", 6},
		{"&#0;", "\uFFFD", 4},
		{"&#xD800;", "\uFFFD", 8},
		{"&#99999999999;", "\uFFFD", 14},
		{"&#;", "&", 1},
		{"&nosuch;", "&", 1},
		{"&", "&", 1},
	}
	for _, tt := range tests {
		got, n := decodeEntity(tt.in)
		if got != tt.want || n != tt.n {
			t.Errorf("decodeEntity(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.n)
		}
	}
}

func TestWindows1252(t *testing.T) {
	var all []byte
	for c := 0x20; c < 0x100; c++ {
		all = append(all, byte(c))
	}
	got := decodeWindows1252(all)
	// 224 bytes, 5 of them unassigned
	if n := len([]rune(got)); n != 224-5 {
		t.Errorf("decoded %d runes, want %d", n, 224-5)
	}
	for _, tt := range []struct {
		b    byte
		want rune
	}{{0x80, '€'}, {0x92, '’'}, {0x9c, 'œ'}, {0x9f, 'Ÿ'}, {0xe9, 'é'}, {0xff, 'ÿ'}, {0x81, 0}} {
		if got := win1252Rune(tt.b); got != tt.want {
			t.Errorf("win1252Rune(%#x) = %q, want %q", tt.b, got, tt.want)
		}
	}
}

func TestIsHeadingStyle(t *testing.T) {
	for s, want := range map[string]bool{
		"heading 1": true, "Heading2": true, "Titre1": true, "Titre 3": true, "Title": true, "Titre": true,
		"Überschrift 1": true, "Normal": false, "Heading1Char": false, "TitreCar": false, "List Paragraph": false,
	} {
		if got := isHeadingStyle(s); got != want {
			t.Errorf("isHeadingStyle(%q) = %v, want %v", s, got, want)
		}
	}
}

// BenchmarkReadPosting reads each fixture; the postings are a page long,
// like real ones.
func BenchmarkReadPosting(b *testing.B) {
	for _, f := range postingFixtures(b) {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(f.data)))
			for b.Loop() {
				if _, err := ReadPosting(bytes.NewReader(f.data), f.name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
