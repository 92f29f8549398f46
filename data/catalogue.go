package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
)

// SaveCatalogue adds or replaces catalogue items (by ID), all in one
// transaction.
func (s *Store) SaveCatalogue(items []matcher.CatalogueItem) error {
	now := stamp(s.now())
	return s.write(context.Background(), func(tx *sql.Tx) error {
		for _, it := range items {
			if strings.TrimSpace(it.ID) == "" {
				return fmt.Errorf("catalogue item %q has no id", it.Title)
			}
			b, err := json.Marshal(it)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO catalogue(id, data, imported_at) VALUES (?, ?, ?)
				ON CONFLICT(id) DO UPDATE SET data = excluded.data, imported_at = excluded.imported_at`, it.ID, string(b), now); err != nil {
				return fmt.Errorf("catalogue item %s: %w", it.ID, err)
			}
		}
		return nil
	})
}

// Catalogue lists the catalogue items by ID.
func (s *Store) Catalogue() ([]matcher.CatalogueItem, error) {
	rows, err := s.r.Query("SELECT id, data FROM catalogue ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []matcher.CatalogueItem{}
	for rows.Next() {
		var id, b string
		if err := rows.Scan(&id, &b); err != nil {
			return nil, err
		}
		var it matcher.CatalogueItem
		if err := json.Unmarshal([]byte(b), &it); err != nil {
			return nil, fmt.Errorf("catalogue item %s: stored data is damaged: %w", id, err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// DeleteCatalogueItem removes one catalogue item.
func (s *Store) DeleteCatalogueItem(id string) error {
	return s.write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec("DELETE FROM catalogue WHERE id = ?", id)
		return err
	})
}

// SaveDocuments stores documents for offline verification (did:web
// documents, status lists, hosted assertions), by URL.
func (s *Store) SaveDocuments(docs map[string][]byte) error {
	now := stamp(s.now())
	return s.write(context.Background(), func(tx *sql.Tx) error {
		for u, b := range docs {
			if _, err := tx.Exec(`INSERT INTO documents(url, body, fetched_at) VALUES (?, ?, ?)
				ON CONFLICT(url) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`, u, b, now); err != nil {
				return fmt.Errorf("document %s: %w", u, err)
			}
		}
		return nil
	})
}

// Verifier returns a verifier configured from the workspace: its trust
// list, its offline setting, and a document cache holding the workspace's
// stored documents (written to a temporary folder, which cleanup removes).
func (s *Store) Verifier() (v *credential.Verifier, cleanup func(), err error) {
	tl, err := s.TrustList()
	if err != nil {
		return nil, nil, err
	}
	v = &credential.Verifier{Trust: tl, Offline: s.Offline()}
	cleanup = func() {}
	rows, err := s.r.Query("SELECT url, body FROM documents ORDER BY url")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var dc *credential.DocumentCache
	for rows.Next() {
		var u string
		var b []byte
		if err := rows.Scan(&u, &b); err != nil {
			cleanup()
			return nil, nil, err
		}
		if dc == nil {
			dir, err := os.MkdirTemp("", "skillmatch-documents-")
			if err != nil {
				return nil, nil, err
			}
			cleanup = func() { os.RemoveAll(dir) }
			if dc, err = credential.OpenDocumentCache(dir); err != nil {
				cleanup()
				return nil, nil, err
			}
		}
		if err := dc.Put(u, b); err != nil {
			cleanup()
			return nil, nil, err
		}
	}
	if err := rows.Err(); err != nil {
		cleanup()
		return nil, nil, err
	}
	v.Documents = dc
	v.ShareStatusLists() // imports verify with copies of v: one fetch per status list
	return v, cleanup, nil
}

// Reverify verifies the credentials of a person (applicantID 0: of
// everyone) again with v and stores the new verification, trust verdict and
// evidence, one person per transaction. progress, when not nil, is called
// after each person.
func (s *Store) Reverify(ctx context.Context, applicantID int64, v *credential.Verifier, progress func(done, total int)) error {
	var people []*Applicant
	if applicantID != 0 {
		a, err := s.Applicant(applicantID)
		if err != nil {
			return err
		}
		people = []*Applicant{a}
	} else {
		var err error
		if people, err = s.Applicants(ApplicantFilter{}); err != nil {
			return err
		}
	}
	tax, err := s.ActiveTaxonomy()
	if err != nil {
		return err
	}
	ex := matcher.For(tax)
	labels := func(id string) []string { return competencyLabels(tax, id) }
	basis, err := taxonomyBasis(s.r, tax.Name)
	if err != nil {
		return fmt.Errorf("workspace %s: %w", s.path, err)
	}
	for i, a := range people {
		creds, err := s.Credentials(a.ID)
		if err != nil {
			return err
		}
		type upd struct {
			id  int64
			ver credential.Verification
			ref matcher.CredentialRef
			ev  []matcher.Evidence
		}
		var ups []upd
		for _, sc := range creds {
			c, err := s.Parsed(sc.ID)
			if err != nil {
				return err
			}
			vv := *v
			vv.Recipient = a.Email
			ver := vv.Verify(ctx, c)
			if err := ctx.Err(); err != nil {
				return err
			}
			ups = append(ups, upd{sc.ID, ver, matcher.RefFor(c, ver), matcher.EvidenceFor(tax, ex, c, ver)})
		}
		err = s.write(ctx, func(tx *sql.Tx) error {
			for _, u := range ups {
				b, err := json.Marshal(u.ver)
				if err != nil {
					return err
				}
				r := u.ref
				if _, err := tx.Exec(`UPDATE credentials SET verification = ?, verified_at = ?, status = ?, trusted = ?, ref_id = ?, title = ?,
					issuer = ?, issuer_id = ?, self_reported = ?, issued_at = ?, valid_from = ?, valid_until = ?, level = ?, credits = ? WHERE id = ?`,
					string(b), stamp(u.ver.At), string(r.Status), r.Trusted, r.ID, r.Name, r.Issuer, r.IssuerID, r.SelfReported,
					unix(r.IssuedAt), unix(r.ValidFrom), unix(r.ValidUntil), string(r.Level), r.Credits, u.id); err != nil {
					return err
				}
				if err := insertEvidence(tx, u.id, r, u.ev); err != nil {
					return err
				}
			}
			if len(ups) > 0 {
				if err := noteEvidenceBasis(tx, basis); err != nil {
					return err
				}
			}
			return s.reindexWith(tx, a.ID, labels)
		})
		if err != nil {
			return fmt.Errorf("verifying the credentials of applicant %d: %w", a.ID, err)
		}
		if progress != nil {
			progress(i+1, len(people))
		}
	}
	if applicantID != 0 {
		return nil
	}
	// Everyone's evidence now comes from tax (see EvidenceStale).
	err = s.write(context.WithoutCancel(ctx), func(tx *sql.Tx) error {
		return writeEvidenceBases(tx, []evidenceBasis{basis})
	})
	if err != nil {
		return fmt.Errorf("workspace %s: recording the taxonomy of the evidence: %w", s.path, err)
	}
	return nil
}
