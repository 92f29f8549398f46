package credential

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Bundles: what an applicant sends is often not one credential but a ZIP
// of badge files, a folder, a JSON array of credentials or a roster CSV.
// ReadPath and ReadBundle open all of these. Every file is identified by
// its content, never by its name; a file that is not a credential becomes
// an Item with an error saying what it is (never silently dropped); the
// same credential met twice is marked as a duplicate of the first.

// Limits on bundles.
const (
	// MaxBundleBytes caps the bytes read from one bundle or folder (the
	// uncompressed size of a ZIP).
	MaxBundleBytes = 512 << 20
	// MaxBundleFiles caps the number of files in a bundle or folder.
	MaxBundleFiles = 20000
	// MaxZipRatio is the highest compression ratio accepted for a ZIP
	// entry larger than 1 MiB; beyond it the archive is refused as a
	// ZIP bomb.
	MaxZipRatio = 100
)

// ErrZipBomb is wrapped by the error for a ZIP archive whose entries
// would expand beyond the limits.
var ErrZipBomb = errors.New("refused as a possible ZIP bomb")

// Item is one thing found in a bundle: a credential, or an error saying
// why a file (or a row, or an array element) is not one.
type Item struct {
	// File is the file the item comes from: a path on disk, or
	// "archive.zip!/inner/path" for a ZIP entry.
	File string
	// Path is File plus the position inside it when the file holds
	// several items: "list.json[2]", "roster.csv:4".
	Path string
	// Credential is the parsed credential; nil when Err is set.
	Credential *Credential
	// Err says why the item is not a credential (wrapping
	// ErrNotCredential), or what is wrong with it.
	Err error
	// DuplicateOf is the Path of an earlier item holding the same
	// credential (same Fingerprint, or same credential id); empty for the
	// first occurrence.
	DuplicateOf string
}

// ReadPath reads a file or, recursively, a folder of credentials. See
// ReadPathContext.
func ReadPath(p string) ([]Item, error) {
	return ReadPathContext(context.Background(), p)
}

// ReadPathContext reads a file or a folder (recursively, in lexical
// order; symbolic links are reported, not followed). Each file is
// identified by content: a ZIP archive, a JSON array of credentials, a
// roster CSV, or a single credential in any format Parse knows. The error
// is for the path as a whole (missing, beyond the limits, cancelled); a
// file that cannot be read or is not a credential is an Item with Err.
func ReadPathContext(ctx context.Context, p string) ([]Item, error) {
	info, err := os.Lstat(p)
	if err != nil {
		return nil, fmt.Errorf("reading credentials: %w", err)
	}
	if !info.IsDir() {
		if info.Size() > MaxBundleBytes {
			return nil, fmt.Errorf("%s has %d bytes, more than the %d-byte limit for a bundle: %w", p, info.Size(), MaxBundleBytes, ErrTooLarge)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading credentials: %w", err)
		}
		items, err := bundleItems(ctx, p, data, true, bundleDirOpener(filepath.Dir(p), filepath.Dir(p)))
		if err != nil {
			return nil, err
		}
		return markDuplicates(items), nil
	}
	type entry struct {
		path string
		size int64
		note error
	}
	var files []entry
	var total int64
	err = filepath.WalkDir(p, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			files = append(files, entry{path: fp, note: err})
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if len(files) >= MaxBundleFiles {
			return fmt.Errorf("%s holds more than %d files; import it in parts", p, MaxBundleFiles)
		}
		if !d.Type().IsRegular() {
			files = append(files, entry{path: fp, note: fmt.Errorf("not a regular file (%s); symbolic links and devices are not followed: %w", d.Type(), ErrNotCredential)})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			files = append(files, entry{path: fp, note: err})
			return nil
		}
		total += info.Size()
		if total > MaxBundleBytes {
			return fmt.Errorf("%s holds more than %d bytes; import it in parts: %w", p, MaxBundleBytes, ErrTooLarge)
		}
		files = append(files, entry{path: fp, size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading credentials: %w", err)
	}
	results := make([][]Item, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	workers := max(1, runtime.GOMAXPROCS(0))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f := files[i]
				if f.note != nil {
					results[i] = []Item{{File: f.path, Path: f.path, Err: f.note}}
					continue
				}
				results[i] = readOneFile(ctx, p, f.path, f.size)
			}
		}()
	}
	for i := range files {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	var items []Item
	for _, r := range results {
		items = append(items, r...)
	}
	return markDuplicates(items), nil
}

// readOneFile reads one file of a folder into items; errors become items.
func readOneFile(ctx context.Context, root, fp string, size int64) []Item {
	zipLike := false
	if size > MaxCredentialBytes {
		f, err := os.Open(fp)
		if err == nil {
			var head [4]byte
			_, _ = io.ReadFull(f, head[:])
			f.Close()
			zipLike = bytes.Equal(head[:], []byte("PK\x03\x04"))
		}
		if !zipLike {
			return []Item{{File: fp, Path: fp, Err: fmt.Errorf("%d bytes, more than the %d-byte limit for one credential: %w", size, MaxCredentialBytes, ErrTooLarge)}}
		}
	}
	data, err := os.ReadFile(fp)
	if err != nil {
		return []Item{{File: fp, Path: fp, Err: err}}
	}
	items, err := bundleItems(ctx, fp, data, true, bundleDirOpener(root, filepath.Dir(fp)))
	if err != nil {
		return []Item{{File: fp, Path: fp, Err: err}}
	}
	return items
}

// bundleDirOpener opens badge files named by a roster, relative to dir and
// never outside root.
func bundleDirOpener(root, dir string) func(string) ([]byte, error) {
	return func(rel string) ([]byte, error) {
		if filepath.IsAbs(rel) || filepath.VolumeName(rel) != "" {
			return nil, fmt.Errorf("%q is an absolute path; name the badge file relative to the roster", rel)
		}
		fp := filepath.Join(dir, filepath.FromSlash(rel))
		if r, err := filepath.Rel(root, fp); err != nil || !filepath.IsLocal(r) {
			return nil, fmt.Errorf("%q leaves the imported folder", rel)
		}
		info, err := os.Lstat(fp)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("not found next to the roster")
		}
		if err != nil {
			return nil, err
		}
		if !info.Mode().IsRegular() || info.Size() > MaxCredentialBytes {
			return nil, fmt.Errorf("not a regular file of at most %d bytes", MaxCredentialBytes)
		}
		return os.ReadFile(fp)
	}
}

// ReadBundle reads the credentials in data, whose name is used in
// messages: a ZIP archive, a JSON array, a roster CSV or one credential.
// The error is for the bundle as a whole (a ZIP bomb, an unreadable
// archive); everything else is reported per Item. Badge files named by a
// roster are looked up inside the same ZIP.
func ReadBundle(name string, data []byte) ([]Item, error) {
	items, err := bundleItems(context.Background(), name, data, true, nil)
	if err != nil {
		return nil, err
	}
	return markDuplicates(items), nil
}

// bundleItems identifies data by content and returns its items.
func bundleItems(ctx context.Context, name string, data []byte, allowZip bool, open func(string) ([]byte, error)) ([]Item, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		if !allowZip {
			return []Item{{File: name, Path: name, Err: fmt.Errorf("a ZIP archive inside a ZIP archive is not opened; unpack the outer one first: %w", ErrNotCredential)}}, nil
		}
		return readZip(ctx, name, data)
	}
	if len(data) > MaxCredentialBytes {
		return []Item{{File: name, Path: name, Err: fmt.Errorf("%d bytes, more than the %d-byte limit for one credential: %w", len(data), MaxCredentialBytes, ErrTooLarge)}}, nil
	}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return jsonArrayItems(name, trimmed), nil
	}
	if rosterDetect(data) {
		return rosterItems(name, data, open), nil
	}
	c, err := Parse(data)
	if err != nil {
		if errors.Is(err, ErrNotCredential) {
			err = fmt.Errorf("%s: %w", sniffKind(data), err)
		}
		return []Item{{File: name, Path: name, Err: err}}, nil
	}
	return []Item{{File: name, Path: name, Credential: c}}, nil
}

// jsonArrayItems parses each element of a JSON array of credentials
// (objects, or JWT strings).
func jsonArrayItems(name string, data []byte) []Item {
	if err := checkDepth(data); err != nil {
		return []Item{{File: name, Path: name, Err: err}}
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(data, &elems); err != nil {
		return []Item{{File: name, Path: name, Err: fmt.Errorf("a JSON array that cannot be read: %w", jsonError(data, err))}}
	}
	if len(elems) > MaxInnerCredentials {
		return []Item{{File: name, Path: name, Err: fmt.Errorf("a JSON array of %d elements; at most %d credentials are read from one array: %w", len(elems), MaxInnerCredentials, ErrTooLarge)}}
	}
	if len(elems) == 0 {
		return []Item{{File: name, Path: name, Err: fmt.Errorf("an empty JSON array: %w", ErrNotCredential)}}
	}
	items := make([]Item, 0, len(elems))
	for i, e := range elems {
		it := Item{File: name, Path: fmt.Sprintf("%s[%d]", name, i)}
		raw := []byte(e)
		var s string
		if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
			raw = []byte(s)
		}
		it.Credential, it.Err = Parse(raw)
		if it.Err != nil && errors.Is(it.Err, ErrNotCredential) {
			it.Err = fmt.Errorf("array element %d is %s: %w", i, sniffKind(raw), it.Err)
		}
		items = append(items, it)
	}
	return items
}

// rosterItems turns a roster into one item per row; rows with problems
// are items with the problems as Err (a caller importing all-or-nothing
// per file rejects the whole File).
func rosterItems(name string, data []byte, open func(string) ([]byte, error)) []Item {
	entries, err := ParseRoster(name, data, open)
	type row struct {
		line int
		item Item
	}
	var rows []row
	for _, e := range entries {
		rows = append(rows, row{e.Line, Item{File: name, Path: fmt.Sprintf("%s:%d", name, e.Line), Credential: e.Credential}})
	}
	var rerr *RosterError
	if errors.As(err, &rerr) {
		byLine := map[int][]error{}
		var lines []int
		for _, p := range rerr.Problems {
			if _, ok := byLine[p.Line]; !ok {
				lines = append(lines, p.Line)
			}
			byLine[p.Line] = append(byLine[p.Line], p)
		}
		for _, l := range lines {
			rows = append(rows, row{l, Item{File: name, Path: fmt.Sprintf("%s:%d", name, l), Err: errors.Join(byLine[l]...)}})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].line < rows[j].line })
	items := make([]Item, len(rows))
	for i, r := range rows {
		items[i] = r.item
	}
	if len(items) == 0 {
		items = []Item{{File: name, Path: name, Err: fmt.Errorf("a roster with a header but no rows: %w", ErrNotCredential)}}
	}
	return items
}

// readZip reads a ZIP archive after checking it against the limits: entry
// count, total uncompressed size, compression ratio, unsafe names.
func readZip(ctx context.Context, name string, data []byte) ([]Item, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%s: not a readable ZIP archive: %w", name, err)
	}
	if len(zr.File) > MaxBundleFiles {
		return nil, fmt.Errorf("%s holds %d entries, more than %d; split it: %w", name, len(zr.File), MaxBundleFiles, ErrTooLarge)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > 1<<20 && (f.CompressedSize64 == 0 || f.UncompressedSize64/f.CompressedSize64 > MaxZipRatio) {
			return nil, fmt.Errorf("%s: entry %q would expand %d compressed bytes to %d (more than %d:1): %w", name, f.Name, f.CompressedSize64, f.UncompressedSize64, MaxZipRatio, ErrZipBomb)
		}
		if total > MaxBundleBytes {
			return nil, fmt.Errorf("%s would expand to more than %d bytes: %w", name, MaxBundleBytes, ErrZipBomb)
		}
	}
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		entries[f.Name] = f
	}
	read := func(f *zip.File) ([]byte, error) {
		if f.UncompressedSize64 > MaxCredentialBytes {
			return nil, fmt.Errorf("%d bytes uncompressed, more than the %d-byte limit for one credential: %w", f.UncompressedSize64, MaxCredentialBytes, ErrTooLarge)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
		if err != nil {
			return nil, err
		}
		if uint64(len(b)) > f.UncompressedSize64 {
			return nil, fmt.Errorf("the entry expands beyond the size its header declares: %w", ErrZipBomb)
		}
		return b, nil
	}
	var items []Item
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if strings.HasSuffix(f.Name, "/") && f.UncompressedSize64 == 0 {
			continue // a folder entry
		}
		full := name + "!/" + f.Name
		if !zipNameSafe(f.Name) {
			items = append(items, Item{File: full, Path: full, Err: fmt.Errorf("unsafe entry name %q (absolute, or with \"..\"); it is not read: %w", f.Name, ErrNotCredential)})
			continue
		}
		b, err := read(f)
		if err != nil {
			items = append(items, Item{File: full, Path: full, Err: err})
			continue
		}
		dir := path.Dir(f.Name)
		open := func(rel string) ([]byte, error) {
			p := path.Join(dir, rel)
			if !zipNameSafe(p) {
				return nil, fmt.Errorf("%q leaves the archive's folder", rel)
			}
			e, ok := entries[p]
			if !ok {
				return nil, fmt.Errorf("not found in %s next to the roster", name)
			}
			return read(e)
		}
		sub, err := bundleItems(ctx, full, b, false, open)
		if err != nil {
			items = append(items, Item{File: full, Path: full, Err: err})
			continue
		}
		items = append(items, sub...)
	}
	if len(items) == 0 {
		return []Item{{File: name, Path: name, Err: fmt.Errorf("an empty ZIP archive: %w", ErrNotCredential)}}, nil
	}
	return items, nil
}

// zipNameSafe reports whether a ZIP entry name stays inside the archive:
// relative, no ".." element, no drive letter, no NUL.
func zipNameSafe(n string) bool {
	if n == "" || strings.ContainsRune(n, 0) || !utf8.ValidString(n) {
		return false
	}
	n = strings.ReplaceAll(n, `\`, "/")
	if strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return false
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return false
		}
	}
	return true
}

// sniffKind names what non-credential bytes look like, for messages.
func sniffKind(data []byte) string {
	d := bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))
	lower := bytes.ToLower(d[:min(len(d), 512)])
	switch {
	case len(d) == 0:
		return "an empty file"
	case bytes.HasPrefix(d, []byte("%PDF")):
		return "a PDF document"
	case bytes.HasPrefix(d, []byte{0xFF, 0xD8, 0xFF}):
		return "a JPEG image (badges are baked only into PNG or SVG images)"
	case bytes.HasPrefix(d, []byte("GIF8")):
		return "a GIF image (badges are baked only into PNG or SVG images)"
	case bakedIsPNG(d):
		return "a PNG image without a baked badge"
	case bakedIsSVG(d):
		return "an SVG image without a baked badge"
	case bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.Contains(lower, []byte("<html")):
		return "an HTML page"
	case d[0] == '<':
		return "an XML document"
	case d[0] == '{':
		return "a JSON document that is not a credential"
	case !utf8.Valid(d[:min(len(d), 4096)]) || bytes.IndexByte(d[:min(len(d), 4096)], 0) >= 0:
		return "binary data"
	}
	return "plain text"
}

// markDuplicates sets DuplicateOf on every item whose credential was met
// before (same Fingerprint or same non-empty credential id).
func markDuplicates(items []Item) []Item {
	seen := map[string]string{}
	for i := range items {
		c := items[i].Credential
		if c == nil {
			continue
		}
		keys := []string{"fp\x00" + c.Fingerprint()}
		if c.ID != "" {
			keys = append(keys, "id\x00"+c.ID)
		}
		for _, k := range keys {
			if first, ok := seen[k]; ok {
				items[i].DuplicateOf = first
				break
			}
		}
		for _, k := range keys {
			if _, ok := seen[k]; !ok {
				seen[k] = items[i].Path
			}
		}
	}
	return items
}

// Fingerprint identifies a credential by content: "sha256:" and the hex
// SHA-256 of its canonical payload — the RFC 8785 canonical JSON of a
// JSON credential, the compact token of a JWS/JWT, the credential baked
// into an image (not the image), the normalised fields of a roster row.
// The same credential received as JSON, baked into a PNG or inside a ZIP
// has the same fingerprint.
func (c *Credential) Fingerprint() string {
	sum := sha256.Sum256(fingerprintPayload(c))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func fingerprintPayload(c *Credential) []byte {
	if c.Format == FormatRoster || len(c.Raw) == 0 {
		if b, err := CanonicalJSON(c.Document); err == nil && c.Document != nil {
			return b
		}
		return []byte(string(c.Format) + "\x00" + c.ID)
	}
	raw := c.Raw
	if bakedIsPNG(raw) || bakedIsSVG(raw) {
		if b, err := Unbake(raw); err == nil {
			raw = b.Payload
		}
	}
	raw = bytes.TrimSpace(bytes.TrimPrefix(raw, utf8BOM))
	if len(raw) > 0 && (raw[0] == '{' || raw[0] == '[') {
		if v, err := decodeJSON(raw); err == nil {
			if b, err := CanonicalJSON(v); err == nil {
				return b
			}
		}
	}
	return raw
}
