package credential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// TrustList is the employer's list of trusted issuers. It is stored as
// JSON of the form
//
//	{"issuers": [{"id": "did:key:… or issuer URL", "name": "…", "note": "…"}]}
//
// which is also the form of the CLI's --trust file.
type TrustList struct {
	Issuers []TrustedIssuer `json:"issuers"`
}

// TrustedIssuer is one entry of a TrustList.
type TrustedIssuer struct {
	// ID is the issuer's DID or URL, compared exactly (after trimming
	// spaces and a trailing slash of a URL).
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Note string `json:"note,omitempty"`
}

// ParseTrustList decodes a trust list. name is used in error messages.
func ParseTrustList(name string, data []byte) (*TrustList, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t TrustList
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("trust list %s: expected {\"issuers\": [{\"id\": …, \"name\": …, \"note\": …}]}: %w", name, err)
	}
	for i, e := range t.Issuers {
		if strings.TrimSpace(e.ID) == "" {
			return nil, fmt.Errorf("trust list %s: issuers[%d] has no \"id\"; give the issuer's DID or URL", name, i)
		}
	}
	return &t, nil
}

// LoadTrustList reads a trust list from a JSON file.
func LoadTrustList(path string) (*TrustList, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading trust list: %w", err)
	}
	return ParseTrustList(path, data)
}

// Save writes the trust list to path atomically (temporary file + rename).
func (t *TrustList) Save(path string) error {
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding trust list: %w", err)
	}
	data = append(data, '\n')
	tmp, err := os.CreateTemp(filepath.Dir(path), ".trust-*.json")
	if err != nil {
		return fmt.Errorf("saving trust list %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("saving trust list %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving trust list %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving trust list %s: %w", path, err)
	}
	return nil
}

func normIssuer(id string) string {
	id = strings.TrimSpace(id)
	if strings.HasPrefix(id, "http://") || strings.HasPrefix(id, "https://") {
		id = strings.TrimRight(id, "/")
	}
	return id
}

// Lookup finds the entry for an issuer id.
func (t *TrustList) Lookup(id string) (TrustedIssuer, bool) {
	if t == nil {
		return TrustedIssuer{}, false
	}
	n := normIssuer(id)
	for _, e := range t.Issuers {
		if normIssuer(e.ID) == n {
			return e, true
		}
	}
	return TrustedIssuer{}, false
}

// Add inserts or replaces the entry with the same id.
func (t *TrustList) Add(e TrustedIssuer) {
	n := normIssuer(e.ID)
	for i := range t.Issuers {
		if normIssuer(t.Issuers[i].ID) == n {
			t.Issuers[i] = e
			return
		}
	}
	t.Issuers = append(t.Issuers, e)
}

// Remove deletes the entry for id and reports whether there was one.
func (t *TrustList) Remove(id string) bool {
	n := normIssuer(id)
	before := len(t.Issuers)
	t.Issuers = slices.DeleteFunc(t.Issuers, func(e TrustedIssuer) bool { return normIssuer(e.ID) == n })
	return len(t.Issuers) != before
}
