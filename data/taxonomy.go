package data

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// taxonomyEncoding names the cached form of a taxonomy: gob of
// cachedTaxonomy, gzip-compressed. Gob decodes several times faster than
// JSON, which keeps a 14k-skill ESCO well under a second to load.
const taxonomyEncoding = "gob+gzip/1"

type cachedTaxonomy struct {
	Name         string
	Notes        []string
	Competencies []taxonomy.Competency
	Occupations  []taxonomy.Occupation
}

// TaxonomyInfo describes a taxonomy cached in the workspace.
type TaxonomyInfo struct {
	Name         string
	Competencies int
	Occupations  int
	ImportedAt   time.Time
	Active       bool
	// Size is the size of the cached form in bytes.
	Size int
}

func encodeTaxonomy(t *taxonomy.Taxonomy) ([]byte, error) {
	ct := cachedTaxonomy{Name: t.Name, Notes: t.Notes}
	for _, c := range t.Competencies() {
		cc := *c
		cc.Narrower = nil // derived by taxonomy.New
		ct.Competencies = append(ct.Competencies, cc)
	}
	for _, o := range t.Occupations() {
		ct.Occupations = append(ct.Occupations, *o)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if err := gob.NewEncoder(zw).Encode(&ct); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func decodeTaxonomy(data []byte) (*taxonomy.Taxonomy, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	// Inflate in one go: gob reads many small messages, which is much
	// slower through a gzip stream than from memory.
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	var ct cachedTaxonomy
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&ct); err != nil {
		return nil, err
	}
	t, err := taxonomy.New(ct.Name, ct.Competencies, ct.Occupations)
	if err != nil {
		return nil, err
	}
	t.Notes = ct.Notes
	return t, nil
}

// SaveTaxonomy caches t in the workspace under t.Name, replacing a taxonomy
// of the same name, and makes it the active one when activate is true. The
// embedded default taxonomy needs no saving: it is always available as
// taxonomy.DefaultName.
func (s *Store) SaveTaxonomy(t *taxonomy.Taxonomy, activate bool) error {
	if t.Name == "" {
		return fmt.Errorf("saving a taxonomy: it has no name; set Taxonomy.Name (e.g. to the spec it was opened with)")
	}
	if t.Name == taxonomy.DefaultName {
		if activate {
			return s.SetActiveTaxonomy(taxonomy.DefaultName)
		}
		return nil
	}
	data, err := encodeTaxonomy(t)
	if err != nil {
		return fmt.Errorf("saving taxonomy %s: %w", t.Name, err)
	}
	err = s.write(context.Background(), func(tx *sql.Tx) error {
		// Activating it, or replacing the active one, changes the basis
		// of the evidence (see EvidenceStale).
		if err := seedEvidenceBasis(tx); err != nil {
			return err
		}
		if activate {
			if _, err := tx.Exec("UPDATE taxonomies SET active = 0 WHERE active = 1"); err != nil {
				return err
			}
		}
		_, err := tx.Exec(`INSERT INTO taxonomies(name, competencies, occupations, encoding, data, imported_at, active)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(name) DO UPDATE SET competencies = excluded.competencies, occupations = excluded.occupations,
				encoding = excluded.encoding, data = excluded.data, imported_at = excluded.imported_at,
				active = max(taxonomies.active, excluded.active)`,
			t.Name, t.Len(), len(t.Occupations()), taxonomyEncoding, data, stamp(s.now()), activate)
		return err
	})
	if err != nil {
		return fmt.Errorf("saving taxonomy %s: %w", t.Name, err)
	}
	if activate {
		s.mu.Lock()
		s.taxName, s.tax = t.Name, t
		s.mu.Unlock()
	}
	return nil
}

// SetActiveTaxonomy makes the cached taxonomy name (or
// taxonomy.DefaultName) the one jobs are analysed with.
func (s *Store) SetActiveTaxonomy(name string) error {
	err := s.write(context.Background(), func(tx *sql.Tx) error {
		if name != taxonomy.DefaultName {
			var n int
			if err := tx.QueryRow("SELECT count(*) FROM taxonomies WHERE name = ?", name).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("taxonomy %q: %w in the workspace; import it first", name, ErrNotFound)
			}
		}
		if err := seedEvidenceBasis(tx); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE taxonomies SET active = 0 WHERE active = 1"); err != nil {
			return err
		}
		_, err := tx.Exec("UPDATE taxonomies SET active = 1 WHERE name = ?", name)
		return err
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.taxName, s.tax = "", nil
	s.mu.Unlock()
	return nil
}

// ActiveTaxonomyName returns the name of the active taxonomy
// (taxonomy.DefaultName when none was imported).
func (s *Store) ActiveTaxonomyName() (string, error) {
	var name string
	err := s.r.QueryRow("SELECT name FROM taxonomies WHERE active = 1").Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return taxonomy.DefaultName, nil
	}
	if err != nil {
		return "", fmt.Errorf("workspace %s: active taxonomy: %w", s.path, err)
	}
	return name, nil
}

// ActiveTaxonomy returns the active taxonomy, loading it from the cache the
// first time (the embedded default when none was imported).
func (s *Store) ActiveTaxonomy() (*taxonomy.Taxonomy, error) {
	name, err := s.ActiveTaxonomyName()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.tax != nil && s.taxName == name {
		t := s.tax
		s.mu.Unlock()
		return t, nil
	}
	s.mu.Unlock()
	t, err := s.LoadTaxonomy(name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.taxName, s.tax = name, t
	s.mu.Unlock()
	return t, nil
}

// LoadTaxonomy loads a cached taxonomy by name; taxonomy.DefaultName is the
// embedded default.
func (s *Store) LoadTaxonomy(name string) (*taxonomy.Taxonomy, error) {
	if name == taxonomy.DefaultName {
		return taxonomy.Default()
	}
	var enc string
	var data []byte
	err := s.r.QueryRow("SELECT encoding, data FROM taxonomies WHERE name = ?", name).Scan(&enc, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("taxonomy %q: %w in the workspace; import it first", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("workspace %s: taxonomy %q: %w", s.path, name, err)
	}
	if enc != taxonomyEncoding {
		return nil, fmt.Errorf("taxonomy %q is cached as %q, which this Skillmatch cannot read; import it again", name, enc)
	}
	t, err := decodeTaxonomy(data)
	if err != nil {
		return nil, fmt.Errorf("taxonomy %q: the cached copy is damaged (%w); import it again", name, err)
	}
	return t, nil
}

// Taxonomies lists the cached taxonomies, the embedded default first.
func (s *Store) Taxonomies() ([]TaxonomyInfo, error) {
	def, err := taxonomy.Default()
	if err != nil {
		return nil, err
	}
	active, err := s.ActiveTaxonomyName()
	if err != nil {
		return nil, err
	}
	out := []TaxonomyInfo{{Name: taxonomy.DefaultName, Competencies: def.Len(), Occupations: len(def.Occupations()), Active: active == taxonomy.DefaultName}}
	rows, err := s.r.Query("SELECT name, competencies, occupations, imported_at, active, length(data) FROM taxonomies ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("workspace %s: listing taxonomies: %w", s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var ti TaxonomyInfo
		var at string
		if err := rows.Scan(&ti.Name, &ti.Competencies, &ti.Occupations, &at, &ti.Active, &ti.Size); err != nil {
			return nil, err
		}
		ti.ImportedAt = parseStamp(at)
		out = append(out, ti)
	}
	return out, rows.Err()
}

// DeleteTaxonomy removes a cached taxonomy; when it was active, the default
// becomes active.
func (s *Store) DeleteTaxonomy(name string) error {
	err := s.write(context.Background(), func(tx *sql.Tx) error {
		if err := seedEvidenceBasis(tx); err != nil {
			return err
		}
		res, err := tx.Exec("DELETE FROM taxonomies WHERE name = ?", name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("taxonomy %q: %w", name, ErrNotFound)
		}
		return nil
	})
	s.mu.Lock()
	s.taxName, s.tax = "", nil
	s.mu.Unlock()
	return err
}
