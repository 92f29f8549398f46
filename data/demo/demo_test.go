package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

func TestManifest(t *testing.T) {
	m, err := ReadManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Applicants) < 40 {
		t.Errorf("%d applicants, want at least 40", len(m.Applicants))
	}
	if len(m.Jobs) != 6 {
		t.Errorf("%d jobs, want 6", len(m.Jobs))
	}
	families, french := map[string]bool{}, 0
	for _, j := range m.Jobs {
		families[j.Family] = true
		if j.Language == "fr" {
			french++
		}
		text, err := JobText(j)
		if err != nil || len(text) < 200 {
			t.Errorf("job %s: %d bytes of text, err %v", j.ID, len(text), err)
		}
	}
	if len(families) != 6 || french != 1 {
		t.Errorf("job families %v with %d in French; want 6 families, one French posting", families, french)
	}
	want := map[string]int{}
	for _, a := range m.Applicants {
		for _, c := range a.Credentials {
			want[c.Format]++
			want[string(c.Expected)]++
		}
	}
	for _, k := range []string{"ob3", "ob3-png", "ob2-png", "ob2-svg", "roster", "valid", "revoked", "expired", "invalid", "unverifiable"} {
		if want[k] == 0 {
			t.Errorf("the pool has no %s credential", k)
		}
	}
	jobs := map[string]bool{}
	for _, j := range m.Jobs {
		jobs[j.ID] = true
	}
	teams := map[string]int{}
	for _, tm := range m.Teams {
		if !jobs[tm.Role] {
			t.Errorf("team %q: role %q is not a demo job", tm.Name, tm.Role)
		}
		teams[tm.Name] = 0
	}
	for _, a := range m.Employees {
		if _, ok := teams[a.Team]; !ok || a.Target != "" || len(a.Credentials) == 0 {
			t.Errorf("employee %s: team %q (listed: %v), target %q, %d credentials", a.ID, a.Team, ok, a.Target, len(a.Credentials))
		}
		teams[a.Team]++
	}
	for name, n := range teams {
		if n < 6 || n > 10 {
			t.Errorf("team %q has %d members, want 6 to 10", name, n)
		}
	}
	if len(teams) < 2 {
		t.Errorf("%d teams, want 2", len(teams))
	}
	tl, err := TrustList()
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Issuers) < 7 {
		t.Errorf("trust list has %d issuers", len(tl.Issuers))
	}
}

// TestEveryCredentialVerifiesAsDocumented reads each applicant's folder
// like the CLI does and verifies every credential offline with the pool's
// documents and trust list: each must have the status manifest.json states.
func TestEveryCredentialVerifiesAsDocumented(t *testing.T) {
	m, err := ReadManifest()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Export(dir); err != nil {
		t.Fatal(err)
	}
	docs, err := credential.OpenDocumentCache(filepath.Join(dir, "documents"))
	if err != nil {
		t.Fatal(err)
	}
	trust, err := TrustList()
	if err != nil {
		t.Fatal(err)
	}
	folder := map[string]string{}
	for _, a := range m.Applicants {
		folder[a.ID] = "applicants"
	}
	for _, a := range m.Employees {
		folder[a.ID] = "employees"
	}
	for _, a := range append(append([]Applicant(nil), m.Applicants...), m.Employees...) {
		t.Run(a.ID, func(t *testing.T) {
			items, err := credential.ReadPath(filepath.Join(dir, folder[a.ID], a.ID))
			if err != nil {
				t.Fatal(err)
			}
			v := &credential.Verifier{Offline: true, Documents: docs, Trust: trust, Now: Now, Recipient: a.Email}
			got := map[string][]credential.Status{}
			for _, it := range items {
				base := filepath.Base(it.File)
				if base == "applicant.json" {
					continue
				}
				if it.Err != nil {
					t.Errorf("%s: %v", it.Path, it.Err)
					continue
				}
				ver := v.Verify(context.Background(), it.Credential)
				got[base] = append(got[base], ver.Status)
				if ver.Status != expectedFor(a, base) {
					var checks []string
					for _, c := range ver.Checks {
						checks = append(checks, c.Name+"="+string(c.Result)+": "+c.Detail)
					}
					t.Errorf("%s: %s, manifest says %s\n  %s", it.Path, ver.Status, expectedFor(a, base), strings.Join(checks, "\n  "))
				}
			}
			for _, c := range a.Credentials {
				if len(got[c.File]) == 0 {
					t.Errorf("%s: in the manifest but not read from the folder", c.File)
				}
			}
		})
	}
}

func expectedFor(a Applicant, file string) credential.Status {
	for _, c := range a.Credentials {
		if c.File == file {
			return c.Expected
		}
	}
	return "not in manifest"
}

// TestGeneratorIsReproducible re-runs the generator and compares its output
// with the embedded pool byte for byte.
func TestGeneratorIsReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator with go run; skipped in -short mode")
	}
	out := t.TempDir()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH to run the generator: %v", err)
	}
	cmd := exec.Command(goBin, "run", "gen.go", "-out", out)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run gen.go: %v\n%s", err, stderr.String())
	}
	seen := 0
	err = fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		seen++
		want, _ := fs.ReadFile(FS(), p)
		got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Errorf("%s: not generated again: %v", p, err)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs when generated again: run go generate ./data/demo and commit the result", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	filepath.WalkDir(out, func(_ string, d fs.DirEntry, _ error) error {
		if d != nil && !d.IsDir() {
			n++
		}
		return nil
	})
	if n != seen {
		t.Errorf("the generator writes %d files, the embedded pool has %d: run go generate ./data/demo", n, seen)
	}
}

// TestDemoRanking ranks the pool for each job with its confirmed
// requirements: the best-ranked applicant must be one made for that job and
// meet every must-have, and ranking twice gives the same order.
func TestDemoRanking(t *testing.T) {
	m, err := ReadManifest()
	if err != nil {
		t.Fatal(err)
	}
	tax, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Export(dir); err != nil {
		t.Fatal(err)
	}
	docs, err := credential.OpenDocumentCache(filepath.Join(dir, "documents"))
	if err != nil {
		t.Fatal(err)
	}
	trust, err := TrustList()
	if err != nil {
		t.Fatal(err)
	}
	ex := matcher.For(tax)
	target := map[string]string{}
	var applicants []matcher.Applicant
	for _, a := range m.Applicants {
		target[a.ID] = a.Target
		items, err := credential.ReadPath(filepath.Join(dir, "applicants", a.ID))
		if err != nil {
			t.Fatal(err)
		}
		v := &credential.Verifier{Offline: true, Documents: docs, Trust: trust, Now: Now, Recipient: a.Email}
		app := matcher.Applicant{ID: a.ID, Name: a.Name}
		for _, it := range items {
			if it.Credential == nil {
				continue
			}
			ver := v.Verify(context.Background(), it.Credential)
			app.Credentials = append(app.Credentials, matcher.RefFor(it.Credential, ver))
			app.Evidence = append(app.Evidence, matcher.EvidenceFor(tax, ex, it.Credential, ver)...)
		}
		applicants = append(applicants, app)
	}
	for _, j := range m.Jobs {
		t.Run(j.ID, func(t *testing.T) {
			data, err := fs.ReadFile(FS(), j.Requirements)
			if err != nil {
				t.Fatal(err)
			}
			var job struct {
				Requirements []matcher.Requirement `json:"requirements"`
			}
			if err := json.Unmarshal(data, &job); err != nil {
				t.Fatal(err)
			}
			fits := matcher.Rank(job.Requirements, applicants, matcher.DefaultPolicy(), tax, Now)
			top := fits[0]
			if target[top.Applicant] != j.ID || top.KnockedOut || top.MustMet != top.MustTotal {
				t.Errorf("top applicant %s (made for %s) meets %d of %d must-haves: %s", top.Applicant, target[top.Applicant], top.MustMet, top.MustTotal, top.Explanation())
			}
			again := matcher.Rank(job.Requirements, applicants, matcher.DefaultPolicy(), tax, Now)
			for i := range fits {
				if fits[i].Applicant != again[i].Applicant || fits[i].Score != again[i].Score {
					t.Fatalf("ranking twice differs at #%d: %s %v vs %s %v", i+1, fits[i].Applicant, fits[i].Score, again[i].Applicant, again[i].Score)
				}
			}
		})
	}
}
