package data

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	newer := filepath.Join(dir, "newer.db")
	s, err := Open(newer)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	other := filepath.Join(dir, "other.db")
	raw, err = sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE t(x)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not sqlite "), 400), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, path string
		want       []string
		is         error
	}{
		{"newer", newer, []string{fmt.Sprintf("schema version %d", SchemaVersion()+1), fmt.Sprintf("up to %d", SchemaVersion())}, ErrNewerSchema},
		{"other app", other, []string{"not a Skillmatch workspace"}, nil},
		{"garbage", garbage, []string{"garbage.db", "Skillmatch workspace"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(tc.path)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
		})
	}
}

func TestOpenTwiceMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.db")
	for range 2 {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var v int
		if err := s.r.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != SchemaVersion() {
			t.Errorf("user_version %d, want %d", v, SchemaVersion())
		}
		var mode string
		s.r.QueryRow("PRAGMA journal_mode").Scan(&mode)
		var fk int
		s.w.QueryRow("PRAGMA foreign_keys").Scan(&fk)
		if mode != "wal" || fk != 1 {
			t.Errorf("journal_mode %s, foreign_keys %d", mode, fk)
		}
		s.Close()
	}
}

func TestImportFiles(t *testing.T) {
	tests := []struct {
		name          string
		paths         []string
		imported      int
		rejectedFiles int
		rejections    []string // substrings, in order
		people        int
	}{
		{"roster of two people", []string{"testdata/roster_good.csv"}, 3, 0, nil, 2},
		{"bad roster row rejects the whole file", []string{"testdata/roster_bad.csv"}, 0, 1, []string{"roster_bad.csv:3"}, 0},
		{"not a credential", []string{"testdata/letter.txt"}, 0, 1, []string{"letter.txt: "}, 0},
		{"bad applicant.json", []string{"testdata/badperson"}, 0, 2, []string{"applicant.json: field name", "certificates.csv:2: applicant.json in this folder cannot be used"}, 0},
		{"mixed", []string{"testdata/roster_good.csv", "testdata/roster_bad.csv", "testdata/letter.txt"}, 3, 2, []string{"roster_bad.csv:3", "letter.txt"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openEmpty(t)
			var calls int
			rep, err := s.ImportFiles(context.Background(), tc.paths, ImportOptions{}, func(p Progress) { calls++ })
			if err != nil {
				t.Fatal(err)
			}
			if rep.Imported != tc.imported || len(rep.RejectedFiles) != tc.rejectedFiles {
				t.Errorf("imported %d, rejected files %v; want %d, %d", rep.Imported, rep.RejectedFiles, tc.imported, tc.rejectedFiles)
			}
			if len(rep.Rejections) < len(tc.rejections) {
				t.Fatalf("rejections %v, want %v", rep.Rejections, tc.rejections)
			}
			for i, w := range tc.rejections {
				if got := rep.Rejections[i].String(); !strings.Contains(got, w) {
					t.Errorf("rejection %d = %q, want it to contain %q", i, got, w)
				}
			}
			if calls != rep.Files {
				t.Errorf("progress called %d times for %d files", calls, rep.Files)
			}
			c, _ := s.Counts()
			if c.Applicants != tc.people || c.Credentials != tc.imported {
				t.Errorf("workspace holds %d people and %d credentials, want %d and %d", c.Applicants, c.Credentials, tc.people, tc.imported)
			}
		})
	}
}

func TestImportDuplicatesAndResume(t *testing.T) {
	s := openEmpty(t)
	ctx := context.Background()
	dir := t.TempDir()
	for i := range 5 {
		writeRoster(t, filepath.Join(dir, fmt.Sprintf("r%02d.csv", i)), i, 2)
	}
	// Cancel after the second file.
	cctx, cancel := context.WithCancel(ctx)
	rep, err := s.ImportFiles(cctx, []string{dir}, ImportOptions{Workers: 1}, func(p Progress) {
		if p.Done == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want cancelled", err)
	}
	if rep.Imported != 4 {
		t.Errorf("imported %d before cancelling, want 4", rep.Imported)
	}
	rep, err = s.ImportFiles(ctx, []string{dir}, ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 2 || rep.Imported != 6 {
		t.Errorf("resume: skipped %v, imported %d; want 2 skipped, 6 imported", rep.Skipped, rep.Imported)
	}
	// The same content under another name: duplicates, not stored twice.
	b, _ := os.ReadFile(filepath.Join(dir, "r00.csv"))
	copyPath := filepath.Join(t.TempDir(), "copy.csv")
	os.WriteFile(copyPath, b, 0o600)
	rep, err = s.ImportFiles(ctx, []string{copyPath}, ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 0 || len(rep.Duplicates) != 2 || rep.Duplicates[0].OtherPerson {
		t.Errorf("copy: imported %d, duplicates %+v", rep.Imported, rep.Duplicates)
	}
	c, _ := s.Counts()
	if c.Credentials != 10 || c.Applicants != 5 {
		t.Errorf("workspace: %+v, want 10 credentials of 5 people", c)
	}
}

// writeRoster writes a roster of n credentials of person i.
func writeRoster(t testing.TB, path string, i, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("name,email,title,issuer,issued,expires,competencies\n")
	for k := range n {
		fmt.Fprintf(&b, "Person %05d,person%05d@mail.example,Course %d,Provider %d,2024-01-%02d,,lt-forklift-operation\n", i, i, k, k%3, k%28+1)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestImportIntoJobPool(t *testing.T) {
	s := openEmpty(t)
	j := &Job{Title: "Warehouse", Requirements: []matcher.Requirement{{CompetencyID: "lt-forklift-operation", Label: "forklift", Must: true, Weight: 1}}}
	if err := s.SaveJob(j); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportFiles(context.Background(), []string{"testdata/roster_good.csv"}, ImportOptions{JobID: j.ID}, nil); err != nil {
		t.Fatal(err)
	}
	pl, err := s.Pipeline(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl) != 2 || pl[0].Stage != StageNew {
		t.Fatalf("pipeline %+v", pl)
	}
	if err := s.RenameStage(StageShortlisted, "Short list"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStage(j.ID, pl[0].ApplicantID, "short list"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStage(j.ID, pl[0].ApplicantID, "maybe"); err == nil {
		t.Error("unknown stage accepted")
	}
	pl, _ = s.Pipeline(j.ID)
	if pl[0].Stage != StageShortlisted || pl[0].Label != "Short list" {
		t.Errorf("after SetStage: %+v", pl[0])
	}
	r, err := s.RankJob(context.Background(), j.ID, RankOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Fits) != 2 {
		t.Fatalf("%d fits", len(r.Fits))
	}
	// The forklift holder ranks first; roster lines are self-reported.
	a, _ := s.FindApplicant("w.quarrington@mail.example")
	if r.Fits[0].Applicant != fmt.Sprint(a.ID) || r.Fits[0].Score == 0 {
		t.Errorf("ranking: %+v", r.Fits)
	}
	snap, err := s.SaveSnapshot(r, "first screen")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Snapshot(snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != 2 || got.Entries[0].Explanation == "" || got.Entries[0].Explanation != snap.Entries[0].Explanation || len(got.Entries[0].Details) != 1 {
		t.Errorf("snapshot round trip: %+v", got.Entries)
	}
	if got.Entries[0].Details[0].Evidence == nil || got.Entries[0].Details[0].Evidence.Flags != snap.Entries[0].Details[0].Evidence.Flags {
		t.Errorf("snapshot evidence flags lost: %+v", got.Entries[0].Details[0])
	}
}

func TestSearch(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	tests := []struct {
		query string
		min   int
		max   int
		check func(*Applicant) bool
	}{
		{"", 0, 0, nil},
		{"***", 0, 0, nil},
		{"northgate", 1, 42, nil},
		{"issuer:northgate", 1, 42, nil},
		{"status:revoked", 8, 8, nil}, // six applicants and two members of staff
		{"status:expired", 1, 42, nil},
		{"forklift", 1, 20, nil},
		{"chariot", 0, 20, nil}, // French label of forklift, if the taxonomy has one
		{"cuisson", 1, 20, nil},
		{"CUISSÓN", 1, 20, nil},
		{"quickcert", 6, 6, nil},
		{`"first aid"`, 1, 42, nil},
		{"mail.example", 42, 42, nil},
		{"name:nosuchperson", 0, 0, nil},
		{`bad"quote (paren) AND OR NOT`, 0, 42, nil},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			res, err := s.Search(ctx, tc.query, ApplicantFilter{}, 100)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total < tc.min || res.Total > tc.max || len(res.Applicants) != res.Total {
				t.Errorf("%d hits (%d listed), want %d–%d", res.Total, len(res.Applicants), tc.min, tc.max)
			}
		})
	}
	// A name finds its person, and only them.
	all, _ := s.Applicants(ApplicantFilter{})
	res, err := s.Search(ctx, all[3].Name, ApplicantFilter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Applicants[0].ID != all[3].ID {
		t.Errorf("search %q: %+v", all[3].Name, res)
	}
}

// fileBytes returns the workspace file and its -wal.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, sfx := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(path + sfx)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func TestEraseApplicant(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	people, _ := s.Applicants(ApplicantFilter{})
	victim := people[5]
	creds, _ := s.Credentials(victim.ID)
	if len(creds) == 0 {
		t.Fatal("the chosen applicant has no credentials")
	}
	jobs, _ := s.Jobs()
	if _, err := s.AddNote(victim.ID, jobs[0].ID, "Called "+victim.Name+" back"); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(AuditReveal, jobs[0].ID, victim.ID, "blind mode reveal"); err != nil {
		t.Fatal(err)
	}
	r, err := s.RankJob(ctx, jobs[0].ID, RankOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveSnapshot(r, ""); err != nil {
		t.Fatal(err)
	}
	cache := s.ApplicantCacheDir(victim.ID)
	os.MkdirAll(cache, 0o700)
	os.WriteFile(filepath.Join(cache, "badge.png"), []byte("image"), 0o600)

	// Spell the name and e-mail the way they are stored (UTF-8, lower case
	// as in the search index's tokens too).
	secrets := [][]byte{[]byte(victim.Name), []byte(victim.Email), []byte(strings.ToLower(victim.Name))}
	for _, w := range strings.Fields(victim.Name) {
		if len(w) > 4 {
			secrets = append(secrets, []byte(strings.ToLower(taxonomy.Fold(w))))
		}
	}
	before := fileBytes(t, s.Path())
	if !bytes.Contains(before, []byte(victim.Email)) {
		t.Fatal("the e-mail address is not in the file before erasure; the test would prove nothing")
	}
	if err := s.EraseApplicant(ctx, victim.ID); err != nil {
		t.Fatal(err)
	}
	after := fileBytes(t, s.Path())
	for _, sec := range secrets {
		// Common surnames may occur in other people's names.
		if bytes.Contains(after, sec) && !otherPersonHas(people, victim.ID, string(sec)) {
			t.Errorf("%q still in the workspace files after erasure", sec)
		}
	}
	if _, err := os.Stat(cache); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cache folder still there: %v", err)
	}
	if _, err := s.Applicant(victim.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("applicant still there: %v", err)
	}
	var n int
	for _, q := range []string{"credentials WHERE applicant_id = ?", "notes WHERE applicant_id = ?", "pipeline WHERE applicant_id = ?",
		"snapshot_entries WHERE applicant_id = ?", "audit WHERE applicant_id = ?", "search WHERE rowid = ?"} {
		s.r.QueryRow("SELECT count(*) FROM "+q, victim.ID).Scan(&n)
		if n != 0 {
			t.Errorf("%d rows left in %s", n, q)
		}
	}
	if err := s.IntegrityCheck(); err != nil {
		t.Error(err)
	}
	res, _ := s.Search(ctx, victim.Email, ApplicantFilter{}, 10)
	if res.Total != 0 {
		t.Errorf("search still finds %s", victim.Email)
	}
	log, _ := s.AuditLog(1)
	if len(log) != 1 || log[0].Action != AuditErase || strings.Contains(log[0].Detail, victim.Name) {
		t.Errorf("audit: %+v", log)
	}
}

func otherPersonHas(people []*Applicant, except int64, s string) bool {
	for _, p := range people {
		if p.ID != except && (strings.Contains(p.Name, s) || strings.Contains(strings.ToLower(taxonomy.Fold(p.Name)), s) || strings.Contains(p.Email, s)) {
			return true
		}
	}
	return false
}

func TestBackupRestore(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	dir := t.TempDir()
	bak := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, bak); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Counts()
	people, _ := s.Applicants(ApplicantFilter{})
	if err := s.EraseApplicant(ctx, people[0].ID); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()

	// A damaged backup is refused and the workspace left alone.
	bad := filepath.Join(dir, "bad.db")
	b, _ := os.ReadFile(bak)
	for i := 4096 * 3; i < 4096*6 && i < len(b); i++ {
		b[i] = 0x5a
	}
	os.WriteFile(bad, b, 0o600)
	if err := Restore(bad, path); err == nil || !strings.Contains(err.Error(), "not changed") {
		t.Errorf("restore from a damaged backup: %v", err)
	}
	if err := Restore(filepath.Join(dir, "missing.db"), path); err == nil {
		t.Error("restore from a missing file succeeded")
	}
	if err := Restore(bak, path); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	after, _ := s2.Counts()
	if after != before {
		t.Errorf("restored counts %+v, want %+v", after, before)
	}
	log, _ := s2.AuditLog(1)
	if len(log) == 0 || log[0].Action != AuditRestore {
		t.Errorf("no restore audit entry: %+v", log)
	}
}

func readZip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func TestExport(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	people, _ := s.Applicants(ApplicantFilter{})
	jobs, _ := s.Jobs()
	s.AddNote(people[0].ID, 0, "Met "+people[0].Name+" at the fair")
	r, _ := s.RankJob(ctx, jobs[0].ID, RankOptions{})
	if _, err := s.SaveSnapshot(r, ""); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	full, anon := filepath.Join(dir, "full.zip"), filepath.Join(dir, "anon.zip")
	if err := s.Export(ctx, full); err != nil {
		t.Fatal(err)
	}
	if err := s.ExportAnonymised(ctx, anon); err != nil {
		t.Fatal(err)
	}
	fz := readZip(t, full)
	for _, name := range []string{"README.txt", "manifest.json", "applicants.json", "jobs.json", "snapshots.json", "trust.json", "policy.json"} {
		if _, ok := fz[name]; !ok {
			t.Errorf("full export lacks %s", name)
		}
	}
	var originals int
	for name := range fz {
		if strings.HasPrefix(name, "credentials/") {
			originals++
		}
	}
	c, _ := s.Counts()
	if originals != c.Credentials {
		t.Errorf("%d original files for %d credentials", originals, c.Credentials)
	}
	if !bytes.Contains(fz["applicants.json"], []byte(people[0].Email)) {
		t.Error("full export lacks the e-mail addresses")
	}
	az := readZip(t, anon)
	for name := range az {
		if strings.HasPrefix(name, "credentials/") {
			t.Errorf("anonymised export holds the original file %s", name)
		}
	}
	if !bytes.Contains(az["README.txt"], []byte("ANONYMISED")) {
		t.Error("README does not say the export is anonymised")
	}
	p0, _ := s.Pseudonym(people[0].ID)
	if !bytes.Contains(az["applicants.json"], []byte(p0)) || !bytes.Contains(az["snapshots.json"], []byte(`"P-`)) {
		t.Error("pseudonyms missing")
	}
	p0again, _ := s.Pseudonym(people[0].ID)
	if p0 != p0again {
		t.Error("pseudonym not stable")
	}
	for name, b := range az {
		for _, p := range people {
			for _, sec := range []string{p.Email, p.Name} {
				if bytes.Contains(b, []byte(sec)) {
					t.Errorf("anonymised %s contains %q", name, sec)
				}
			}
		}
	}
}

func TestTaxonomyCache(t *testing.T) {
	s := openEmpty(t)
	def, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	name, _ := s.ActiveTaxonomyName()
	if name != taxonomy.DefaultName {
		t.Errorf("active %q", name)
	}
	// Cache a copy of the default under another name, activate it, reload.
	data, err := encodeTaxonomy(def)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := decodeTaxonomy(data)
	if err != nil {
		t.Fatal(err)
	}
	cp.Name = "company"
	if err := s.SaveTaxonomy(cp, true); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadTaxonomy("company")
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != def.Len() || len(got.Occupations()) != len(def.Occupations()) || got.Stats().Related != def.Stats().Related {
		t.Errorf("round trip: %d competencies, %d occupations; want %d, %d", got.Len(), len(got.Occupations()), def.Len(), len(def.Occupations()))
	}
	list, _ := s.Taxonomies()
	if len(list) != 2 || !list[1].Active || list[0].Active {
		t.Errorf("list %+v", list)
	}
	if err := s.SetActiveTaxonomy("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("activating a missing taxonomy: %v", err)
	}
}

func TestJobsTrustPolicyCatalogue(t *testing.T) {
	s := openEmpty(t)
	j, err := s.NewJobFromPosting("", "Forklift Operator\n\nMust have: forklift operation and first aid.")
	if err != nil {
		t.Fatal(err)
	}
	if j.Title != "Forklift Operator" || len(j.Requirements) == 0 {
		t.Errorf("job %+v", j)
	}
	if err := s.SaveJob(&Job{Title: "x", Status: "paused"}); err == nil {
		t.Error("bad status accepted")
	}
	if err := s.AddTrusted(credential.TrustedIssuer{ID: "did:key:z6Mk", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.RemoveTrusted("did:key:nope"); ok {
		t.Error("removed a missing issuer")
	}
	tl, _ := s.TrustList()
	if len(tl.Issuers) != 1 {
		t.Errorf("trust %+v", tl)
	}
	p := matcher.DefaultPolicy()
	p.HalfLifeYears = 3
	if err := s.SetPolicy(p); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Policy()
	if got.HalfLifeYears != 3 {
		t.Errorf("policy %+v", got)
	}
	p.MetThreshold = 7
	if err := s.SetPolicy(p); err == nil {
		t.Error("invalid policy accepted")
	}
	items := []matcher.CatalogueItem{{ID: "c1", Title: "Forklift", Competencies: []string{"lt-forklift-operation"}, Hours: 8, Cost: 200}}
	if err := s.SaveCatalogue(items); err != nil {
		t.Fatal(err)
	}
	cat, _ := s.Catalogue()
	if len(cat) != 1 || cat[0].Hours != 8 {
		t.Errorf("catalogue %+v", cat)
	}
	team, err := s.SaveTeam("Warehouse crew")
	if err != nil {
		t.Fatal(err)
	}
	a := &Applicant{Name: "Staff One", Kind: KindEmployee, TeamID: team.ID}
	if err := s.SaveApplicant(a); err != nil {
		t.Fatal(err)
	}
	staff, _ := s.Applicants(ApplicantFilter{TeamID: team.ID})
	if len(staff) != 1 || staff[0].Kind != KindEmployee {
		t.Errorf("team members %+v", staff)
	}
}
