// Package demo is Skillmatch's embedded demo pool: 42 fictional applicants
// with realistic micro-credentials, six job postings from different job
// families (one in French), two teams of the demo employer's staff
// ("Warehouse crew" and "Electrical crew", 15 employees with their own
// credentials and gaps, for upskilling plans), the trust list of the fictional training
// providers and a document cache that lets every credential be verified
// offline. The desktop app loads it into the demo workspace; tests and the
// CLI ("skillmatch-cli demo export DIR") use it as a fixture.
//
// The pool is produced by gen.go from a fixed seed (go generate
// ./data/demo): the same seed gives byte-identical files. It contains
//
//   - Open Badges 3.0 credentials signed with did:key (eddsa-rdfc-2022) by
//     seven fictional providers, with ESCO alignments, EQF levels and
//     credits; one provider (QuickCert Online) is deliberately not on the
//     trust list;
//   - Open Badges 2.0 hosted assertions baked into PNG and SVG images,
//     whose hosted copies are in the document cache;
//   - an Open Badges 3.0 credential baked into a PNG for some applicants;
//   - paper certificates as roster CSV files (self-reported);
//   - revoked credentials (their providers' signed Bitstring status lists
//     are in the document cache), expired ones and tampered ones.
//
// manifest.json states, for every credential file, the verification status
// it must have as of Now, offline, with the pool's documents and trust list.
// Everything is fictional: names, e-mail addresses (example domains),
// organisations and keys. The signing keys derive from the public seed and
// protect nothing.
package demo

//go:generate go run gen.go -out pool

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/skillmatch/skillmatch/credential"
)

//go:embed pool
var pool embed.FS

// Now is the moment the demo's verification statuses are stated as of.
// Verify and rank the demo with this time to get the documented results
// (later, more credentials will have expired).
var Now = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// FS returns the pool: jobs/, applicants/, employees/, documents/, trust.json and
// manifest.json.
func FS() fs.FS {
	sub, err := fs.Sub(pool, "pool")
	if err != nil {
		panic(err) // the embedded folder is always there
	}
	return sub
}

// Manifest describes the pool.
type Manifest struct {
	Seed       string      `json:"seed"`
	Now        time.Time   `json:"now"`
	Jobs       []Job       `json:"jobs"`
	Applicants []Applicant `json:"applicants"`
	// Teams are the demo employer's teams; Employees their members, in
	// folders employees/ID laid out like applicants' (Team names the
	// member's team, Target is empty).
	Teams     []Team      `json:"teams"`
	Employees []Applicant `json:"employees"`
}

// Team is a team of the demo employer's staff.
type Team struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Role is the ID of the demo job whose requirements the team's work
	// matches: the role to plan its upskilling against.
	Role string `json:"role"`
}

// Job is one demo job posting.
type Job struct {
	// ID names the job (e.g. "electrician"); File is its posting text in
	// the pool (e.g. "jobs/electrician.txt").
	ID       string `json:"id"`
	Title    string `json:"title"`
	Language string `json:"language"`
	// Family is the job family ("trades", "health", "hospitality",
	// "logistics", "energy", "manufacturing").
	Family string `json:"family"`
	File   string `json:"file"`
	// Requirements is a JSON file ({"title", "language", "text",
	// "requirements"}) with the requirements a recruiter confirmed for the
	// posting (must-haves weigh 1, assets 0.5), so that the demo ranks the
	// same whatever the extractor proposes.
	Requirements string `json:"requirements"`
}

// Applicant is one fictional applicant: the folder applicants/ID holds
// applicant.json and the credential files.
type Applicant struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	// Target is the ID of the job the applicant was made for.
	Target string `json:"target_job,omitempty"`
	// Team is the team of a member of staff (Manifest.Employees).
	Team        string       `json:"team,omitempty"`
	Credentials []Credential `json:"credentials"`
}

// Credential is one credential of an applicant as the generator made it.
type Credential struct {
	// File is relative to the applicant's folder. A roster CSV holds
	// several credentials and appears once per row.
	File string `json:"file"`
	// Format is ob3, ob3-png, ob2-png, ob2-svg or roster.
	Format string `json:"format"`
	Title  string `json:"title"`
	Issuer string `json:"issuer"`
	// Expected is the verification status as of Now, offline, with the
	// pool's documents and trust list.
	Expected credential.Status `json:"expected"`
	Note     string            `json:"note,omitempty"`
}

// ReadManifest returns the pool's manifest.
func ReadManifest() (*Manifest, error) {
	data, err := fs.ReadFile(FS(), "manifest.json")
	if err != nil {
		return nil, fmt.Errorf("demo pool: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("demo pool manifest.json: %w", err)
	}
	return &m, nil
}

// JobText returns the posting text of a demo job.
func JobText(j Job) (string, error) {
	data, err := fs.ReadFile(FS(), j.File)
	if err != nil {
		return "", fmt.Errorf("demo job %s: %w", j.ID, err)
	}
	return string(data), nil
}

// TrustList returns the demo workspace's trust list: every demo provider
// except QuickCert Online.
func TrustList() (*credential.TrustList, error) {
	data, err := fs.ReadFile(FS(), "trust.json")
	if err != nil {
		return nil, fmt.Errorf("demo pool: %w", err)
	}
	return credential.ParseTrustList("demo trust.json", data)
}

// Export writes the whole pool under dir (created if needed): jobs/,
// applicants/ (one folder per applicant, the layout "skillmatch-cli rank
// --applicants" reads), documents/ (a document cache for --documents),
// trust.json and manifest.json. Existing files of the same name are
// overwritten.
func Export(dir string) error {
	return fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(FS(), p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return fmt.Errorf("exporting the demo pool: %w", err)
		}
		return nil
	})
}

// Documents exports the pool's document cache (status lists, hosted Open
// Badges 2.0 assertions and badge classes) to dir and opens it, for a
// credential.Verifier that must work offline.
func Documents(dir string) (*credential.DocumentCache, error) {
	err := fs.WalkDir(FS(), "documents", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(FS(), p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("documents", filepath.FromSlash(p))
		target := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		return nil, fmt.Errorf("exporting the demo documents: %w", err)
	}
	return credential.OpenDocumentCache(dir)
}
