package credential

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// itemSummary describes an item in one line for table comparisons:
// path, then the format, "dup of X" or the kind of error.
func itemSummary(it Item, root string) string {
	p := strings.TrimPrefix(filepath.ToSlash(it.Path), filepath.ToSlash(root)+"/")
	switch {
	case it.Err != nil && errors.Is(it.Err, ErrNotCredential):
		return p + " skipped"
	case it.Err != nil:
		return p + " error"
	case it.DuplicateOf != "":
		return p + " " + string(it.Credential.Format) + " dup of " + strings.TrimPrefix(filepath.ToSlash(it.DuplicateOf), filepath.ToSlash(root)+"/")
	}
	return p + " " + string(it.Credential.Format)
}

func TestReadPathFolder(t *testing.T) {
	root := filepath.Join("testdata", "bundle", "folder")
	items, err := ReadPath(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, itemSummary(it, root))
	}
	want := []string{
		"alice-hosted.json ob2",
		"list.json[0] ob2",
		"list.json[1] skipped",
		"readme.txt skipped",
		"roster.csv:2 roster",
		"roster.csv:3 error",
		"sub/alice-baked.svg ob2 dup of alice-hosted.json",
		"sub/badgeclass.json skipped",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	reasons := map[string]string{
		"readme.txt":          "plain text",
		"sub/badgeclass.json": "BadgeClass",
		"list.json[1]":        "array element 1",
		"roster.csv:3":        `roster.csv:3:45: issued: "2023-13-01" is not a date`,
	}
	for _, it := range items {
		p := strings.TrimPrefix(filepath.ToSlash(it.Path), filepath.ToSlash(root)+"/")
		if want, ok := reasons[p]; ok && (it.Err == nil || !strings.Contains(it.Err.Error(), want)) {
			t.Errorf("%s: error %v does not say %q", p, it.Err, want)
		}
	}
}

// zipOf builds a ZIP archive from name → content pairs, in order.
func zipOf(t testing.TB, files ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadBundleZip(t *testing.T) {
	hosted := string(readFixture(t, "ob2/assertion-hosted.json"))
	baked := string(mustBake(t, BakePNG, plainPNG(t), []byte(hosted), false))
	md5 := string(readFixture(t, "ob2/assertion-md5.json"))
	roster := "name,email,title,issuer,issued,badge\nCarol Ng,carol@example.org,Data Analysis Fundamentals,Example Institute,2024-03-15,../badges/carol.json\nCarol Ng,carol@example.org,Data Analysis Fundamentals,Example Institute,2024-03-15,../../etc/passwd\n"
	data := zipOf(t,
		[2]string{"badges/", ""},
		[2]string{"badges/alice.json", hosted},
		[2]string{"badges/alice.png", baked},
		[2]string{"badges/carol.json", md5},
		[2]string{"photo.jpg", "\xFF\xD8\xFF\xE0JFIF"},
		[2]string{"cv.pdf", "%PDF-1.7\n"},
		[2]string{"../../evil.json", hosted},
		[2]string{"/abs.json", hosted},
		[2]string{"inner.zip", string(zipOf(t, [2]string{"x.json", hosted}))},
		[2]string{"lists/roster.csv", roster},
		[2]string{"empty.json", ""},
	)
	items, err := ReadBundle("applicant.zip", data)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, itemSummary(it, ""))
	}
	want := []string{
		"applicant.zip!/badges/alice.json ob2",
		"applicant.zip!/badges/alice.png ob2 dup of applicant.zip!/badges/alice.json",
		"applicant.zip!/badges/carol.json ob2",
		"applicant.zip!/photo.jpg skipped",
		"applicant.zip!/cv.pdf skipped",
		"applicant.zip!/../../evil.json skipped",
		"applicant.zip!//abs.json skipped",
		"applicant.zip!/inner.zip skipped",
		"applicant.zip!/lists/roster.csv:2 roster",
		"applicant.zip!/lists/roster.csv:3 error",
		"applicant.zip!/empty.json skipped",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i, sub := range map[int]string{3: "JPEG", 4: "PDF", 5: "unsafe entry name", 7: "inside a ZIP", 9: "leaves the archive", 10: "empty file"} {
		if i < len(items) && (items[i].Err == nil || !strings.Contains(items[i].Err.Error(), sub)) {
			t.Errorf("item %d (%s): %v does not say %q", i, items[i].Path, items[i].Err, sub)
		}
	}
	if len(items) > 8 && items[8].Credential != nil && len(items[8].Credential.Inner) != 1 {
		t.Errorf("the roster row's badge file was not attached")
	}
}

func TestZipLimits(t *testing.T) {
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("huge.json")
	zeros := make([]byte, 1<<20)
	for i := 0; i < 20; i++ {
		_, _ = w.Write(zeros)
	}
	_ = zw.Close()
	_, err := ReadBundle("bomb.zip", bomb.Bytes())
	if !errors.Is(err, ErrZipBomb) || !strings.Contains(err.Error(), "huge.json") {
		t.Errorf("ZIP bomb: %v", err)
	}
	// Many small, highly compressible entries: each under the ratio
	// threshold, together beyond MaxBundleBytes.
	var wide bytes.Buffer
	zw = zip.NewWriter(&wide)
	for i := 0; i < 600; i++ {
		fh := &zip.FileHeader{Name: fmt.Sprintf("f%03d.json", i), Method: zip.Store}
		fh.UncompressedSize64 = 0
		w, _ := zw.CreateHeader(fh)
		_, _ = w.Write([]byte("{}"))
	}
	_ = zw.Close()
	if items, err := ReadBundle("wide.zip", wide.Bytes()); err != nil || len(items) != 600 {
		t.Errorf("600 small entries: %d items, %v", len(items), err)
	}
	// Headers that declare more than 512 MiB in total, each at a ratio
	// under the threshold.
	var big bytes.Buffer
	zw = zip.NewWriter(&big)
	chunk := make([]byte, 1<<20)
	for i := 0; i < 6; i++ {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("part%d.json", i), Method: zip.Store, CompressedSize64: uint64(len(chunk)), UncompressedSize64: 90 << 20})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(chunk)
	}
	_ = zw.Close()
	if _, err := ReadBundle("big.zip", big.Bytes()); !errors.Is(err, ErrZipBomb) || !strings.Contains(err.Error(), "would expand to more than") {
		t.Errorf("declared total beyond the cap: %v", err)
	}
	// An entry whose data expands beyond the size its header declares.
	var lying, deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	_, _ = fw.Write(make([]byte, 200<<10))
	_ = fw.Close()
	zw = zip.NewWriter(&lying)
	w, err = zw.CreateRaw(&zip.FileHeader{Name: "small.json", Method: zip.Deflate, CompressedSize64: uint64(deflated.Len()), UncompressedSize64: 10})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(deflated.Bytes())
	_ = zw.Close()
	items, err := ReadBundle("lying.zip", lying.Bytes())
	if err != nil || len(items) != 1 || items[0].Err == nil || items[0].Credential != nil {
		t.Errorf("entry larger than declared: %+v, %v", items, err)
	}
	if _, err := ReadBundle("broken.zip", []byte("PK\x03\x04 not really")); err == nil || !strings.Contains(err.Error(), "not a readable ZIP") {
		t.Errorf("broken zip: %v", err)
	}
}

func TestFingerprint(t *testing.T) {
	hosted := readFixture(t, "ob2/assertion-hosted.json")
	// Same assertion with keys in another order and no whitespace.
	var m map[string]any
	if err := json.Unmarshal(hosted, &m); err != nil {
		t.Fatal(err)
	}
	compact, _ := json.Marshal(m)
	forms := map[string][]byte{
		"json":     hosted,
		"indented": bytes.ReplaceAll(hosted, []byte("\n  "), []byte("\n\t\t")),
		"compact":  compact,
		"png":      mustBake(t, BakePNG, plainPNG(t), hosted, false),
		"svg":      mustBake(t, BakeSVG, readFixture(t, "baked/plain.svg"), hosted, false),
	}
	var first string
	for name, data := range forms {
		c, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fp := c.Fingerprint()
		if !strings.HasPrefix(fp, "sha256:") || len(fp) != 71 {
			t.Errorf("%s: fingerprint %q", name, fp)
		}
		if first == "" {
			first = fp
		} else if fp != first {
			t.Errorf("%s: fingerprint %s differs from %s", name, fp, first)
		}
	}
	other, err := Parse(readFixture(t, "ob2/assertion-md5.json"))
	if err != nil {
		t.Fatal(err)
	}
	if other.Fingerprint() == first {
		t.Error("two different assertions have the same fingerprint")
	}
}

func FuzzReadBundle(f *testing.F) {
	hosted := string(readFixture(f, "ob2/assertion-hosted.json"))
	f.Add(zipOf(f, [2]string{"a.json", hosted}, [2]string{"b.txt", "hello"}))
	f.Add(zipOf(f, [2]string{"../x.json", hosted}))
	f.Add(readFixture(f, "bundle/folder/list.json"))
	f.Add(readFixture(f, "roster/good.csv"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := ReadBundle("fuzz", data)
		if err != nil {
			return
		}
		if len(items) == 0 {
			t.Fatal("no items and no error: something was silently dropped")
		}
		for _, it := range items {
			if (it.Credential == nil) == (it.Err == nil) {
				t.Fatalf("item %s has both or neither of credential and error", it.Path)
			}
		}
	})
}

// BenchmarkReadPath1000 imports a folder of 1,000 badges: 800 OB 2.0
// assertions as JSON (embedded BadgeClass) and 200 baked PNGs.
func BenchmarkReadPath1000(b *testing.B) {
	dir := b.TempDir()
	base := readFixture(b, "ob2/assertion-embedded.json")
	img := plainPNG(b)
	for i := 0; i < 1000; i++ {
		doc := bytes.Replace(base, []byte("assertions/1"), []byte(fmt.Sprintf("assertions/%d", 1000+i)), 1)
		name := filepath.Join(dir, fmt.Sprintf("p%02d", i%10), fmt.Sprintf("badge-%04d.json", i))
		if i%5 == 0 {
			doc = mustBake(b, BakePNG, img, doc, false)
			name = strings.TrimSuffix(name, ".json") + ".png"
		}
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(name, doc, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		items, err := ReadPath(dir)
		if err != nil || len(items) != 1000 {
			b.Fatalf("%d items, %v", len(items), err)
		}
		for _, it := range items {
			if it.Err != nil || it.DuplicateOf != "" {
				b.Fatalf("%s: %v %s", it.Path, it.Err, it.DuplicateOf)
			}
		}
	}
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "badges/s")
}
