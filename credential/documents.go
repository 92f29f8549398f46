package credential

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// DocumentCache is a folder of documents keyed by URL, for air-gapped
// machines and reproducible checks. The folder holds an index.json that
// maps each URL to a file name relative to the folder:
//
//	{"https://example.org/.well-known/did.json": "example-did.json",
//	 "https://example.org/status/3": "status-3.json"}
//
// Verifier.Fetch answers from the cache before it tries the network.
type DocumentCache struct {
	dir   string
	mu    sync.Mutex
	index map[string]string
}

// OpenDocumentCache opens the cache in dir. A missing folder or index.json
// is an empty cache (created on the first Put); a malformed index.json is
// an error.
func OpenDocumentCache(dir string) (*DocumentCache, error) {
	d := &DocumentCache{dir: dir, index: map[string]string{}}
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if errors.Is(err, os.ErrNotExist) {
		return d, nil
	}
	if err != nil {
		return nil, fmt.Errorf("document cache: %w", err)
	}
	if err := json.Unmarshal(data, &d.index); err != nil {
		return nil, fmt.Errorf("document cache %s: index.json must be a JSON object mapping URL to file name: %w", filepath.Join(dir, "index.json"), err)
	}
	for u, f := range d.index {
		if f == "" || filepath.IsAbs(f) || strings.Contains(filepath.ToSlash(filepath.Clean(f)), "../") || filepath.Clean(f) == ".." {
			return nil, fmt.Errorf("document cache %s: entry %q points to %q, which is outside the folder; use a plain file name", filepath.Join(dir, "index.json"), u, f)
		}
	}
	return d, nil
}

// Dir returns the cache folder.
func (d *DocumentCache) Dir() string { return d.dir }

// Get returns the cached document for url, if any.
func (d *DocumentCache) Get(url string) ([]byte, bool, error) {
	if d == nil {
		return nil, false, nil
	}
	d.mu.Lock()
	name, ok := d.index[url]
	d.mu.Unlock()
	if !ok {
		return nil, false, nil
	}
	data, err := os.ReadFile(filepath.Join(d.dir, name))
	if err != nil {
		return nil, false, fmt.Errorf("document cache entry for %s: %w", url, err)
	}
	return data, true, nil
}

// Put stores data as the document for url and rewrites index.json.
func (d *DocumentCache) Put(url string, data []byte) error {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return fmt.Errorf("document cache: %w", err)
	}
	sum := sha256.Sum256([]byte(url))
	name := hex.EncodeToString(sum[:12]) + ".json"
	if err := writeAtomic(filepath.Join(d.dir, name), data); err != nil {
		return fmt.Errorf("document cache entry for %s: %w", url, err)
	}
	d.index[url] = name
	idx, err := json.MarshalIndent(d.index, "", "  ")
	if err != nil {
		return fmt.Errorf("document cache index: %w", err)
	}
	if err := writeAtomic(filepath.Join(d.dir, "index.json"), append(idx, '\n')); err != nil {
		return fmt.Errorf("document cache index: %w", err)
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Fetch returns the document at url: from the document cache when it has
// it, otherwise — unless the verifier is offline — over HTTPS with the
// verifier's time-out and size cap. Offline misses return an error
// wrapping ErrOffline. Other families (hosted Open Badges 2.0 assertions)
// use it too, so that every network access obeys the same rules.
func (v *Verifier) Fetch(ctx context.Context, url string) ([]byte, error) {
	if data, ok, err := v.Documents.Get(url); err != nil {
		return nil, err
	} else if ok {
		return data, nil
	}
	if v.Offline {
		return nil, fmt.Errorf("%s is not in the document cache: %w", url, ErrOffline)
	}
	if !strings.HasPrefix(url, "https://") && !(v.AllowHTTP && strings.HasPrefix(url, "http://")) {
		return nil, fmt.Errorf("refusing to fetch %s: only https:// URLs are fetched", url)
	}
	timeout := v.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", url, err)
	}
	req.Header.Set("Accept", "application/ld+json, application/json;q=0.9, application/jwt;q=0.8, */*;q=0.1")
	client := v.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: timeout, CheckRedirect: httpsRedirectsOnly}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching %s: %w", url, &HTTPStatusError{URL: url, StatusCode: resp.StatusCode, Status: resp.Status})
	}
	limit := v.MaxFetchBytes
	if limit <= 0 {
		limit = MaxFetchBytes
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", url, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("fetching %s: document larger than %d bytes: %w", url, limit, ErrTooLarge)
	}
	return data, nil
}

// httpsRedirectsOnly follows at most 5 redirects, and only to https URLs.
func httpsRedirectsOnly(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return fmt.Errorf("stopped after %d redirects", len(via))
	}
	if req.URL.Scheme != "https" {
		return fmt.Errorf("refusing redirect to %s: only https is followed", req.URL)
	}
	return nil
}
