package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// PersonFile is the name of the optional file, in a folder of one person's
// credentials, that says who they are: {"name": …, "email": …, "contact": …}.
const PersonFile = "applicant.json"

// ImportOptions say where imported credentials go and how they are checked.
type ImportOptions struct {
	// ApplicantID puts every credential with this person. When 0, the
	// person is worked out per file: from applicant.json in the file's
	// folder, else from the name and clear e-mail address the credential
	// states (roster rows), else one person per first-level folder of an
	// imported folder, else one per file.
	ApplicantID int64
	// JobID adds everyone imported to the job's pool (stage "new").
	JobID int64
	// Kind of the people created: KindApplicant (default) or KindEmployee,
	// in TeamID for staff.
	Kind   string
	TeamID int64
	// Verifier verifies every credential (its Recipient is set to the
	// person's e-mail address); nil stores them unverified.
	Verifier *credential.Verifier
	// Taxonomy is used to find the competencies credentials evidence; nil
	// means the workspace's active taxonomy.
	Taxonomy *taxonomy.Taxonomy
	// Reimport reads files again that were already imported with the
	// same content (normally skipped, which is what makes an interrupted
	// import resumable).
	Reimport bool
	// Workers is how many files are parsed and verified at once; 0 means
	// the number of CPUs. Writing is always one file at a time.
	Workers int
}

// Progress is reported after each file.
type Progress struct {
	// Done of Total files are finished (imported, skipped or rejected).
	Done, Total int
	// File is the file just finished.
	File string
	// Running totals: credentials imported, duplicates not stored again,
	// files skipped as already imported, files rejected.
	Imported, Duplicates, Skipped, Rejected int
}

// Rejection is one record that could not be imported, and why.
type Rejection struct {
	// File is the file as given (or found in a folder).
	File string `json:"file"`
	// Where locates the record: "roster.csv:4", "list.json[2]",
	// "bundle.zip!/inner.json"; equal to File for a single credential.
	Where string `json:"where"`
	// Line, Column and Field, when known (roster rows).
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

func (r Rejection) String() string {
	loc := r.Where
	if r.Line > 0 && !strings.Contains(loc, fmt.Sprintf(":%d", r.Line)) {
		loc += fmt.Sprintf(":%d", r.Line)
	}
	if r.Column > 0 {
		loc += fmt.Sprintf(":%d", r.Column)
	}
	if r.Field != "" {
		loc += ": " + r.Field
	}
	return loc + ": " + r.Reason
}

// Duplicate is a credential that was already in the workspace.
type Duplicate struct {
	File  string `json:"file"`
	Where string `json:"where"`
	// Fingerprint identifies the credential by content.
	Fingerprint string `json:"fingerprint"`
	// ApplicantID and CredentialID are the copy already stored.
	ApplicantID  int64 `json:"applicant_id"`
	CredentialID int64 `json:"credential_id"`
	// OtherPerson is true when the copy belongs to someone else: the
	// credential is stored for both, and the user should look at why two
	// people present the same credential.
	OtherPerson bool `json:"other_person,omitempty"`
}

// ImportReport says what an import did.
type ImportReport struct {
	// Files counts the files considered.
	Files int `json:"files"`
	// Imported counts the credentials stored.
	Imported int `json:"imported"`
	// Applicants are the people created or given credentials, in ID order.
	Applicants []int64 `json:"applicants"`
	// Skipped lists the files already imported with the same content.
	Skipped []string `json:"skipped,omitempty"`
	// RejectedFiles lists the files of which nothing was imported;
	// Rejections says why, record by record.
	RejectedFiles []string    `json:"rejected_files,omitempty"`
	Rejections    []Rejection `json:"rejections,omitempty"`
	Duplicates    []Duplicate `json:"duplicates,omitempty"`
}

// person says who a file's credentials belong to, before the database is
// consulted.
type person struct {
	id                    int64 // known ID (ImportOptions.ApplicantID)
	name, email, contact  string
	source                string // key for people without e-mail: folder or file
	fromPersonFile        bool
	personFileLoadProblem error
}

// inputFile is one file to import.
type inputFile struct {
	path  string // absolute
	shown string // as reported to the user
	root  string // the imported folder it was found in ("" for a file given directly)
}

// prepared is a file read, parsed and verified, ready to be written.
type prepared struct {
	in         inputFile
	hash       string
	skip       bool
	rejections []Rejection
	personOnly *person // an applicant.json file
	creds      []preparedCred
	dups       []Duplicate // duplicates inside the file
	err        error       // fatal (cancelled)
}

type preparedCred struct {
	who         person
	c           *credential.Credential
	where       string
	fingerprint string
	record      []byte
	ref         matcher.CredentialRef
	ver         *credential.Verification
	evidence    []matcher.Evidence
}

// ImportFiles imports credentials from files and folders (recursively;
// files whose names start with a dot are ignored). Each file is imported
// in its own transaction, all or nothing: a file with any bad record is
// rejected whole and every bad record is reported with its file and line or
// field. Credentials already held by the same person (same fingerprint) are
// not stored twice. Files already imported with the same content are
// skipped, so an import that was cancelled (through ctx) or interrupted can
// simply be run again. progress, when not nil, is called after every file.
//
// The returned error is for the import as a whole (ctx cancelled, the
// workspace not writable, a path that does not exist); the report says
// what was done until then.
func (s *Store) ImportFiles(ctx context.Context, paths []string, opts ImportOptions, progress func(Progress)) (*ImportReport, error) {
	rep := &ImportReport{}
	if opts.Kind == "" {
		opts.Kind = KindApplicant
	}
	if !validKind(opts.Kind) {
		return rep, fmt.Errorf("import: kind %q is not applicant or employee", opts.Kind)
	}
	var fixed *Applicant
	if opts.ApplicantID != 0 {
		a, err := s.Applicant(opts.ApplicantID)
		if err != nil {
			return rep, fmt.Errorf("import: %w", err)
		}
		fixed = a
	}
	if opts.JobID != 0 {
		if _, err := s.Job(opts.JobID); err != nil {
			return rep, fmt.Errorf("import: %w", err)
		}
	}
	tax := opts.Taxonomy
	if tax == nil {
		t, err := s.ActiveTaxonomy()
		if err != nil {
			return rep, err
		}
		tax = t
	}
	files, err := expandPaths(paths)
	if err != nil {
		return rep, err
	}
	rep.Files = len(files)
	persons := personFiles(files)

	done, err := s.knownImports(files)
	if err != nil {
		return rep, err
	}
	ex := matcher.For(tax)
	labels := func(id string) []string { return competencyLabels(tax, id) }
	basis, err := taxonomyBasis(s.r, tax.Name)
	if err != nil {
		return rep, fmt.Errorf("workspace %s: %w", s.path, err)
	}

	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Prepare files in parallel, write them in order.
	results := make([]chan prepared, len(files))
	for i := range results {
		results[i] = make(chan prepared, 1)
	}
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range files {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		go func() {
			for i := range next {
				results[i] <- s.prepare(ctx, files[i], opts, fixed, persons, done, tax, ex)
			}
		}()
	}

	touched := map[int64]bool{}
	var p Progress
	p.Total = len(files)
	for i := range files {
		var pr prepared
		select {
		case pr = <-results[i]:
		case <-ctx.Done():
			return finish(rep, touched), ctx.Err()
		}
		if pr.err != nil {
			return finish(rep, touched), pr.err
		}
		if err := ctx.Err(); err != nil {
			return finish(rep, touched), err
		}
		switch {
		case pr.skip:
			rep.Skipped = append(rep.Skipped, pr.in.shown)
			p.Skipped++
		case len(pr.rejections) > 0:
			rep.RejectedFiles = append(rep.RejectedFiles, pr.in.shown)
			rep.Rejections = append(rep.Rejections, pr.rejections...)
			p.Rejected++
		default:
			n, dups, ids, err := s.commitFile(ctx, pr, opts, labels, basis)
			if err != nil {
				return finish(rep, touched), err
			}
			rep.Imported += n
			rep.Duplicates = append(rep.Duplicates, dups...)
			for _, id := range ids {
				touched[id] = true
			}
			p.Imported += n
			p.Duplicates += len(dups)
		}
		p.Done++
		p.File = pr.in.shown
		if progress != nil {
			progress(p)
		}
	}
	return finish(rep, touched), nil
}

func finish(rep *ImportReport, touched map[int64]bool) *ImportReport {
	rep.Applicants = rep.Applicants[:0]
	for id := range touched {
		rep.Applicants = append(rep.Applicants, id)
	}
	sort.Slice(rep.Applicants, func(i, j int) bool { return rep.Applicants[i] < rep.Applicants[j] })
	return rep
}

// expandPaths lists the files to import, in the order given and, inside a
// folder, in lexical order.
func expandPaths(paths []string) ([]inputFile, error) {
	var out []inputFile
	seen := map[string]bool{}
	add := func(f inputFile) {
		if !seen[f.path] {
			seen[f.path] = true
			out = append(out, f)
		}
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", p, err)
		}
		info, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", p, err)
		}
		if !info.IsDir() {
			add(inputFile{path: abs, shown: p})
			continue
		}
		err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && path != abs {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				rel, _ := filepath.Rel(abs, path)
				add(inputFile{path: path, shown: filepath.Join(p, rel), root: abs})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", p, err)
		}
	}
	return out, nil
}

// personFiles reads the applicant.json files among the inputs, by folder.
func personFiles(files []inputFile) map[string]person {
	out := map[string]person{}
	for _, f := range files {
		if filepath.Base(f.path) != PersonFile {
			continue
		}
		p, err := readPersonFile(f.path)
		p.personFileLoadProblem = err
		out[filepath.Dir(f.path)] = p
	}
	return out
}

func readPersonFile(path string) (person, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return person{}, err
	}
	var v struct {
		Name    string `json:"name"`
		Email   string `json:"email"`
		Contact string `json:"contact"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return person{}, fmt.Errorf("not the expected {\"name\": …, \"email\": …, \"contact\": …}: %w", err)
	}
	if strings.TrimSpace(v.Name) == "" {
		return person{}, fmt.Errorf("field name: empty; say who the credentials in this folder belong to")
	}
	return person{name: strings.TrimSpace(v.Name), email: strings.TrimSpace(v.Email), contact: strings.TrimSpace(v.Contact), source: filepath.Dir(path), fromPersonFile: true}, nil
}

// knownImports returns the (path, hash) pairs already imported among files.
func (s *Store) knownImports(files []inputFile) (map[string]string, error) {
	out := map[string]string{}
	if len(files) == 0 {
		return out, nil
	}
	rows, err := s.r.Query("SELECT path, hash FROM import_files")
	if err != nil {
		return nil, fmt.Errorf("workspace %s: reading the import log: %w", s.path, err)
	}
	defer rows.Close()
	want := map[string]bool{}
	for _, f := range files {
		want[f.path] = true
	}
	for rows.Next() {
		var p, h string
		if err := rows.Scan(&p, &h); err != nil {
			return nil, err
		}
		if want[p] {
			out[p+"\x00"+h] = h
		}
	}
	return out, rows.Err()
}

func hashBytes(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

// prepare reads, parses and verifies one file. It touches no table.
func (s *Store) prepare(ctx context.Context, in inputFile, opts ImportOptions, fixed *Applicant, persons map[string]person, done map[string]string, tax *taxonomy.Taxonomy, ex *matcher.Extractor) prepared {
	pr := prepared{in: in}
	if err := ctx.Err(); err != nil {
		pr.err = err
		return pr
	}
	data, err := os.ReadFile(in.path)
	if err != nil {
		pr.rejections = []Rejection{{File: in.shown, Where: in.shown, Reason: fmt.Sprintf("cannot be read: %v", err)}}
		return pr
	}
	pr.hash = hashBytes(data)
	if _, ok := done[in.path+"\x00"+pr.hash]; ok && !opts.Reimport {
		pr.skip = true
		return pr
	}
	if filepath.Base(in.path) == PersonFile && fixed == nil {
		p := persons[filepath.Dir(in.path)]
		if p.personFileLoadProblem != nil {
			pr.rejections = []Rejection{{File: in.shown, Where: in.shown, Reason: p.personFileLoadProblem.Error()}}
			return pr
		}
		pr.personOnly = &p
		return pr
	}
	items, err := credential.ReadBundle(in.shown, data)
	if err != nil {
		pr.rejections = []Rejection{{File: in.shown, Where: in.shown, Reason: err.Error()}}
		return pr
	}
	for _, it := range items {
		if it.Err != nil {
			pr.rejections = append(pr.rejections, rejectionsOf(in.shown, it)...)
		}
	}
	if len(pr.rejections) > 0 {
		return pr
	}
	for _, it := range items {
		c := it.Credential
		fp := c.Fingerprint()
		if it.DuplicateOf != "" {
			pr.dups = append(pr.dups, Duplicate{File: in.shown, Where: it.Path, Fingerprint: fp})
			continue
		}
		who, rej := resolvePerson(in, c, fixed, persons)
		if rej != "" {
			pr.rejections = append(pr.rejections, Rejection{File: in.shown, Where: it.Path, Reason: rej})
			continue
		}
		var ver *credential.Verification
		if opts.Verifier != nil {
			v := *opts.Verifier
			v.Recipient = who.email
			vv := v.Verify(ctx, c)
			if err := ctx.Err(); err != nil {
				pr.err = err
				return pr
			}
			ver = &vv
		}
		var vv credential.Verification
		if ver != nil {
			vv = *ver
		}
		rec, err := recordJSON(c)
		if err != nil {
			pr.rejections = append(pr.rejections, Rejection{File: in.shown, Where: it.Path, Reason: "cannot be stored: " + err.Error()})
			continue
		}
		pc := preparedCred{who: who, c: c, where: it.Path, fingerprint: fp, record: rec, ref: matcher.RefFor(c, vv), ver: ver}
		if ver == nil {
			pc.ref.Status = ""
		}
		pc.evidence = matcher.EvidenceFor(tax, ex, c, vv)
		pr.creds = append(pr.creds, pc)
	}
	return pr
}

// rejectionsOf turns an item's error into rejections, one per roster
// problem when the error lists them.
func rejectionsOf(file string, it credential.Item) []Rejection {
	var out []Rejection
	var walk func(err error)
	walk = func(err error) {
		var rp credential.RosterProblem
		if m, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range m.Unwrap() {
				walk(e)
			}
			return
		}
		if errors.As(err, &rp) {
			out = append(out, Rejection{File: file, Where: it.Path, Line: rp.Line, Column: rp.Column, Field: rp.Field, Reason: rp.Msg})
			return
		}
		out = append(out, Rejection{File: file, Where: it.Path, Reason: err.Error()})
	}
	walk(it.Err)
	return out
}

// resolvePerson decides whose credential c is (see ImportOptions.ApplicantID).
func resolvePerson(in inputFile, c *credential.Credential, fixed *Applicant, persons map[string]person) (person, string) {
	if fixed != nil {
		return person{id: fixed.ID, name: fixed.Name, email: fixed.Email}, ""
	}
	if p, ok := persons[filepath.Dir(in.path)]; ok {
		if p.personFileLoadProblem != nil {
			return person{}, fmt.Sprintf("%s in this folder cannot be used (%v); fix it so that the credentials have an owner", PersonFile, p.personFileLoadProblem)
		}
		return p, ""
	}
	if email := clearEmail(c.Subject); email != "" {
		name := strings.TrimSpace(c.Subject.Name)
		if name == "" {
			name = email
		}
		return person{name: name, email: email}, ""
	}
	if in.root != "" {
		rel, _ := filepath.Rel(in.root, in.path)
		if first, _, ok := strings.Cut(filepath.ToSlash(rel), "/"); ok {
			dir := filepath.Join(in.root, first)
			name := first
			if n := strings.TrimSpace(c.Subject.Name); n != "" {
				name = n
			}
			return person{name: name, source: dir}, ""
		}
	}
	name := strings.TrimSuffix(filepath.Base(in.path), filepath.Ext(in.path))
	if n := strings.TrimSpace(c.Subject.Name); n != "" {
		name = n
	}
	return person{name: name, source: in.path}, ""
}

// clearEmail returns the e-mail address a subject states in clear, if any.
func clearEmail(sub credential.Subject) string {
	if e, ok := strings.CutPrefix(sub.ID, "mailto:"); ok && strings.Contains(e, "@") {
		return strings.TrimSpace(e)
	}
	for _, id := range sub.Identifiers {
		t := strings.ToLower(id.IdentityType)
		if !id.Hashed && (t == "emailaddress" || t == "email") && strings.Contains(id.Identity, "@") {
			return strings.TrimSpace(strings.TrimPrefix(id.Identity, "mailto:"))
		}
	}
	return ""
}

// recordJSON is the parsed credential as stored: every field but the bytes
// (kept separately) and the decoded document (re-parsed from the bytes
// when needed).
func recordJSON(c *credential.Credential) ([]byte, error) {
	return json.Marshal(strip(c))
}

func strip(c *credential.Credential) *credential.Credential {
	cp := *c
	cp.Raw, cp.Image, cp.Document = nil, nil, nil
	cp.Inner = nil
	for _, in := range c.Inner {
		cp.Inner = append(cp.Inner, strip(in))
	}
	return &cp
}

// commitFile writes one prepared file in one transaction; basis is the
// taxonomy its evidence was computed with.
func (s *Store) commitFile(ctx context.Context, pr prepared, opts ImportOptions, labels func(string) []string, basis evidenceBasis) (int, []Duplicate, []int64, error) {
	var imported int
	var dups []Duplicate
	touched := map[int64]bool{}
	err := s.write(ctx, func(tx *sql.Tx) error {
		imported, dups = 0, append([]Duplicate(nil), pr.dups...)
		clear(touched)
		now := stamp(s.now())
		_, err := tx.Exec(`INSERT INTO import_files(path, hash, credentials, duplicates, finished_at) VALUES (?, ?, 0, 0, ?)
			ON CONFLICT(path, hash) DO UPDATE SET finished_at = excluded.finished_at`, pr.in.path, pr.hash, now)
		if err != nil {
			return err
		}
		var importID int64
		if err := tx.QueryRow("SELECT id FROM import_files WHERE path = ? AND hash = ?", pr.in.path, pr.hash).Scan(&importID); err != nil {
			return err
		}
		ids := map[person]int64{}
		resolve := func(p person) (int64, error) {
			if id, ok := ids[p]; ok {
				return id, nil
			}
			id, err := s.findOrCreatePerson(tx, p, opts)
			if err != nil {
				return 0, err
			}
			ids[p] = id
			return id, nil
		}
		if pr.personOnly != nil {
			id, err := resolve(*pr.personOnly)
			if err != nil {
				return err
			}
			touched[id] = true
		}
		for _, pc := range pr.creds {
			aid, err := resolve(pc.who)
			if err != nil {
				return err
			}
			touched[aid] = true
			var existing, owner int64
			err = tx.QueryRow("SELECT id, applicant_id FROM credentials WHERE fingerprint = ? ORDER BY applicant_id = ? DESC, id LIMIT 1", pc.fingerprint, aid).Scan(&existing, &owner)
			switch {
			case err == nil && owner == aid:
				dups = append(dups, Duplicate{File: pr.in.shown, Where: pc.where, Fingerprint: pc.fingerprint, ApplicantID: owner, CredentialID: existing})
				continue
			case err == nil:
				dups = append(dups, Duplicate{File: pr.in.shown, Where: pc.where, Fingerprint: pc.fingerprint, ApplicantID: owner, CredentialID: existing, OtherPerson: true})
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if _, err := s.insertCredential(tx, aid, importID, pr.in.path, pc); err != nil {
				return fmt.Errorf("%s: %w", pc.where, err)
			}
			imported++
		}
		if opts.JobID != 0 {
			for id := range touched {
				if _, err := tx.Exec("INSERT INTO pipeline(job_id, applicant_id, stage, updated_at) VALUES (?, ?, 'new', ?) ON CONFLICT DO NOTHING", opts.JobID, id, now); err != nil {
					return err
				}
			}
		}
		for id := range touched {
			if err := s.reindexWith(tx, id, labels); err != nil {
				return err
			}
		}
		if imported > 0 {
			if err := noteEvidenceBasis(tx, basis); err != nil {
				return err
			}
		}
		_, err = tx.Exec("UPDATE import_files SET credentials = ?, duplicates = ? WHERE id = ?", imported, len(dups), importID)
		return err
	})
	if err != nil {
		return 0, nil, nil, fmt.Errorf("import %s: %w", pr.in.shown, err)
	}
	out := make([]int64, 0, len(touched))
	for id := range touched {
		out = append(out, id)
	}
	return imported, dups, out, nil
}

// findOrCreatePerson finds the person p names (by ID, e-mail address, or
// source folder/file) or creates them.
func (s *Store) findOrCreatePerson(tx *sql.Tx, p person, opts ImportOptions) (int64, error) {
	if p.id != 0 {
		return p.id, nil
	}
	var id int64
	var err error
	switch {
	case p.email != "":
		err = tx.QueryRow("SELECT id FROM applicants WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 1", p.email).Scan(&id)
	default:
		err = tx.QueryRow("SELECT id FROM applicants WHERE email = '' AND source = ? ORDER BY id LIMIT 1", p.source).Scan(&id)
	}
	if err == nil {
		if p.fromPersonFile {
			if _, err := tx.Exec("UPDATE applicants SET name = ?, contact = CASE WHEN ? <> '' THEN ? ELSE contact END WHERE id = ?", p.name, p.contact, p.contact, id); err != nil {
				return 0, err
			}
		}
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	a := &Applicant{Name: p.name, Email: p.email, Contact: p.contact, Source: p.source, Kind: opts.Kind, TeamID: opts.TeamID}
	if a.Source == "" {
		a.Source = "import"
	}
	a.CreatedAt = s.now().UTC()
	res, err := tx.Exec(`INSERT INTO applicants(name, email, contact, source, kind, team_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.Name, a.Email, a.Contact, a.Source, a.Kind, nullID(a.TeamID), stamp(a.CreatedAt))
	if err != nil {
		return 0, fmt.Errorf("creating applicant %q: %w", p.name, err)
	}
	return res.LastInsertId()
}

// insertCredential stores one credential with its evidence.
func (s *Store) insertCredential(tx *sql.Tx, applicantID, importID int64, path string, pc preparedCred) (int64, error) {
	var verJSON, verAt any
	if pc.ver != nil {
		b, err := json.Marshal(pc.ver)
		if err != nil {
			return 0, err
		}
		verJSON, verAt = string(b), stamp(pc.ver.At)
	}
	r := pc.ref
	res, err := tx.Exec(`INSERT INTO credentials(applicant_id, import_id, fingerprint, format, file_name, item_path, original, record,
		ref_id, title, issuer, issuer_id, status, trusted, self_reported, issued_at, valid_from, valid_until, level, credits,
		verification, verified_at, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		applicantID, nullID(importID), pc.fingerprint, string(pc.c.Format), filepath.Base(path), pc.where, pc.c.Raw, string(pc.record),
		r.ID, r.Name, r.Issuer, r.IssuerID, string(r.Status), r.Trusted, r.SelfReported, unix(r.IssuedAt), unix(r.ValidFrom), unix(r.ValidUntil),
		string(r.Level), r.Credits, verJSON, verAt, stamp(s.now()))
	if err != nil {
		return 0, err
	}
	cid, _ := res.LastInsertId()
	if err := insertEvidence(tx, cid, r, pc.evidence); err != nil {
		return 0, err
	}
	return cid, nil
}

func insertEvidence(tx *sql.Tx, cid int64, r matcher.CredentialRef, ev []matcher.Evidence) error {
	if _, err := tx.Exec("DELETE FROM evidence WHERE credential_id = ?", cid); err != nil {
		return err
	}
	for i, e := range ev {
		var inner any
		if e.Credential != r {
			b, err := json.Marshal(e.Credential)
			if err != nil {
				return err
			}
			inner = string(b)
		}
		if _, err := tx.Exec("INSERT INTO evidence(credential_id, seq, competency, link, score, source, spans, inner_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			cid, i, e.CompetencyID, string(e.Link), e.Score, e.Source, formatSpans(e.Spans), inner); err != nil {
			return err
		}
	}
	return nil
}
