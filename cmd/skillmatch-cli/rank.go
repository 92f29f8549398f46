package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

func init() {
	register(&command{
		name:    "rank",
		usage:   "(--job FILE --applicants DIR | --job ID [--all] [--snapshot]) [--format table|json|csv] [--policy FILE] [--offline] [--documents DIR] [--trust FILE] [--now RFC3339] [--suggested]",
		summary: "rank applicants by how well their verified micro-credentials fit a job, and say why",
		run:     runRank,
	})
}

// rankJob is what applicants are ranked against: the job's requirements,
// from a posting (extracted) or given as JSON.
type rankJob struct {
	Title        string                `json:"title,omitempty"`
	File         string                `json:"file,omitempty"`
	Language     string                `json:"language,omitempty"`
	Requirements []matcher.Requirement `json:"requirements"`
}

// rankReport is the result of ranking, ready to print in any format. Its
// JSON form is the documented output of "rank --format json".
type rankReport struct {
	Job     rankJob      `json:"job"`
	Ranking []rankedJSON `json:"ranking"`
}

type rankedJSON struct {
	Rank         int               `json:"rank"`
	Applicant    string            `json:"applicant"`
	Name         string            `json:"name,omitempty"`
	Score        float64           `json:"score"`
	KnockedOut   bool              `json:"knocked_out"`
	Requirements []rankedReqJSON   `json:"requirements"`
	Explanation  string            `json:"explanation"`
	fit          *matcher.Fit      // for the table and CSV writers
	files        map[string]string // credential ID → file, for evidence
}

type rankedReqJSON struct {
	ID       string        `json:"id"`
	Label    string        `json:"label"`
	Must     bool          `json:"must"`
	Fit      float64       `json:"fit"`
	Outcome  string        `json:"outcome"`
	Evidence *evidenceJSON `json:"evidence"`
}

type evidenceJSON struct {
	Credential string  `json:"credential"`
	File       string  `json:"file,omitempty"`
	Issuer     string  `json:"issuer,omitempty"`
	Competency string  `json:"competency"`
	Relation   string  `json:"relation"`
	Status     string  `json:"status"`
	Trusted    bool    `json:"trusted"`
	AgeYears   float64 `json:"age_years"`
}

// loadedApplicant is an applicant read from a folder (or, for the
// workspace, from the store): the matcher's view plus where each credential
// came from.
type loadedApplicant struct {
	matcher.Applicant
	// Files maps a credential ID to the file it was read from.
	Files map[string]string
}

func runRank(e *env, args []string) error {
	c := commands["rank"]
	fs := e.flags(c)
	jobFile := fs.String("job", "", "job posting (plain text, extracted with the taxonomy) or JSON {\"title\", \"text\"} / {\"title\", \"requirements\": […]}")
	dir := fs.String("applicants", "", "folder with one sub-folder per applicant: optional applicant.json {\"name\",\"email\"} and credential files")
	format := fs.String("format", "table", "output format: table, json or csv")
	policyFile := fs.String("policy", "", "ranking policy JSON (fields of matcher.Policy; omitted fields keep their defaults)")
	vf := addVerifierFlags(fs, "rank as of this moment (RFC 3339) instead of now: verification, expiry and ageing", false)
	all := fs.Bool("all", false, "with --job ID: rank every applicant of the workspace, not only the job's pool")
	snapshot := fs.Bool("snapshot", false, "with --job ID: record the ranking and its explanations as a snapshot in the workspace")
	suggested := fs.Bool("suggested", false, "also rank on competencies the extractor only suggests for the posting (by default only those whose labels occur in it, which a recruiter need not confirm)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	switch *format {
	case "table", "json", "csv":
	default:
		return usagef("--format must be table, json or csv, not %q", *format)
	}
	// Workspace mode: --job ID without --applicants ranks a job of the
	// workspace (--db); see rankWorkspace in workspace.go.
	if id, err := strconv.ParseInt(*jobFile, 10, 64); err == nil && *dir == "" {
		at, err := vf.at()
		if err != nil {
			return err
		}
		return rankWorkspace(e, id, *format, *policyFile, at, *all, *snapshot)
	}
	if *jobFile == "" || *dir == "" {
		return usagef("--job and --applicants are required (or --job ID alone, to rank a job of the workspace)")
	}
	policy := matcher.DefaultPolicy()
	if *policyFile != "" {
		if policy, err = matcher.LoadPolicy(*policyFile); err != nil {
			return usagef("--policy: %v", err)
		}
	}
	v, err := vf.verifier()
	if err != nil {
		return err
	}
	if v.Now.IsZero() {
		v.Now = time.Now().UTC()
	}
	now := v.Now
	tax, err := e.taxonomy()
	if err != nil {
		return err
	}
	ex := matcher.For(tax)
	job, err := loadRankJob(*jobFile, tax, ex, *suggested)
	if err != nil {
		return err
	}
	ctx := context.Background()
	apps, err := loadApplicantFolders(ctx, *dir, v, tax, ex, e.stderr)
	if err != nil {
		return err
	}
	report, err := rankCore(ctx, tax, job, apps, policy, now)
	if err != nil {
		return err
	}
	return writeRankReport(e.stdout, *format, report)
}

// loadRankJob reads a job: JSON with requirements (used as given), JSON
// with a text, or a plain-text posting, whose requirements are extracted.
// Extracted requirements that are only suggested (no label of the
// competency occurs in the text) are left out unless withSuggested: they
// need a recruiter's confirmation, which a batch command cannot ask for.
func loadRankJob(path string, tax *taxonomy.Taxonomy, ex *matcher.Extractor, withSuggested bool) (rankJob, error) {
	data, err := readLimited(path, 4<<20)
	if err != nil {
		return rankJob{}, fmt.Errorf("--job: %w", err)
	}
	job := rankJob{File: path}
	text := string(data)
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var in struct {
			Title        string                `json:"title"`
			Text         string                `json:"text"`
			Language     string                `json:"language"`
			Requirements []matcher.Requirement `json:"requirements"`
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return rankJob{}, fmt.Errorf("--job %s: expected {\"title\", \"text\"} or {\"title\", \"requirements\": […]}: %w", path, err)
		}
		job.Title, job.Language, text = in.Title, in.Language, in.Text
		if len(in.Requirements) > 0 {
			job.Requirements = in.Requirements
			for i, r := range job.Requirements {
				if r.CompetencyID == "" {
					return rankJob{}, fmt.Errorf("--job %s: requirements[%d] has no \"id\"; give the competency's taxonomy ID", path, i)
				}
				if _, ok := tax.Get(r.CompetencyID); !ok {
					return rankJob{}, fmt.Errorf("--job %s: requirements[%d]: competency %q is not in the taxonomy", path, i, r.CompetencyID)
				}
			}
			return job, nil
		}
	}
	if job.Title == "" {
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				job.Title = line
				break
			}
		}
	}
	x := ex.Extract(text)
	for _, r := range x.Requirements {
		if r.Confidence != matcher.Suggested || withSuggested {
			job.Requirements = append(job.Requirements, r)
		}
	}
	if job.Language == "" {
		job.Language = x.Language
	}
	if len(job.Requirements) == 0 {
		return rankJob{}, fmt.Errorf("--job %s: no competencies of the taxonomy were found in the posting; check --taxonomy or give the requirements as JSON", path)
	}
	return job, nil
}

// applicantInfo is applicant.json.
type applicantInfo struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// loadApplicantFolders reads every sub-folder of dir as one applicant:
// applicant.json (optional) and every credential file in it, recursively.
// Each credential is verified with v (the applicant's e-mail as recipient)
// and turned into evidence. Files that are not credentials, and
// duplicates, are reported on warn and skipped; a bad applicant.json is an
// error.
func loadApplicantFolders(ctx context.Context, dir string, v *credential.Verifier, tax *taxonomy.Taxonomy, ex *matcher.Extractor, warn io.Writer) ([]loadedApplicant, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--applicants: %w", err)
	}
	var out []loadedApplicant
	for _, ent := range entries {
		p := filepath.Join(dir, ent.Name())
		if !ent.IsDir() {
			fmt.Fprintf(warn, "skipped %s: not a folder (put each applicant's files in a folder of their own)\n", p)
			continue
		}
		a := loadedApplicant{Applicant: matcher.Applicant{ID: ent.Name(), Credentials: []matcher.CredentialRef{}}, Files: map[string]string{}}
		var info applicantInfo
		infoPath := filepath.Join(p, "applicant.json")
		if data, err := os.ReadFile(infoPath); err == nil {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&info); err != nil {
				return nil, fmt.Errorf("%s: expected {\"name\": …, \"email\": …}: %w", infoPath, err)
			}
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", infoPath, err)
		}
		a.Name = info.Name
		items, err := credential.ReadPathContext(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("applicant %s: %w", ent.Name(), err)
		}
		av := *v
		av.Recipient = info.Email
		for _, it := range items {
			if filepath.Clean(it.File) == filepath.Clean(infoPath) {
				continue
			}
			rel, _ := filepath.Rel(p, it.Path)
			switch {
			case it.Err != nil:
				fmt.Fprintf(warn, "skipped %s: %v\n", it.Path, it.Err)
				continue
			case it.DuplicateOf != "":
				fmt.Fprintf(warn, "skipped %s: the same credential as %s\n", it.Path, it.DuplicateOf)
				continue
			}
			ver := av.Verify(ctx, it.Credential)
			ref := matcher.RefFor(it.Credential, ver)
			a.Credentials = append(a.Credentials, ref)
			a.Files[ref.ID] = filepath.ToSlash(rel)
			ev := matcher.EvidenceFor(tax, ex, it.Credential, ver)
			for _, e := range ev {
				if _, ok := a.Files[e.Credential.ID]; !ok {
					a.Files[e.Credential.ID] = filepath.ToSlash(rel) // enclosed in a CLR
				}
			}
			a.Evidence = append(a.Evidence, ev...)
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--applicants %s holds no applicant folders", dir)
	}
	return out, nil
}

// rankCore ranks loaded applicants against a job under a policy as of now
// and builds the report. It is the whole ranking step of the CLI, shared by
// "rank --applicants DIR" and the workspace (which loads applicants from
// the store instead of folders).
func rankCore(ctx context.Context, tax *taxonomy.Taxonomy, job rankJob, apps []loadedApplicant, policy matcher.Policy, now time.Time) (rankReport, error) {
	applicants := make([]matcher.Applicant, len(apps))
	files := make(map[string]map[string]string, len(apps))
	for i, a := range apps {
		applicants[i] = a.Applicant
		files[a.ID] = a.Files
	}
	s := matcher.NewScorer(tax, job.Requirements, policy, now).WithLanguage(job.Language)
	fits, err := matcher.RankContext(ctx, s, applicants, nil)
	if err != nil {
		return rankReport{}, err
	}
	r := rankReport{Job: job, Ranking: make([]rankedJSON, len(fits))}
	for i := range fits {
		f := &fits[i]
		row := rankedJSON{Rank: f.Rank, Applicant: f.Applicant, Name: f.Name, Score: f.Score, KnockedOut: f.KnockedOut, Explanation: f.Explanation(), fit: f, files: files[f.Applicant]}
		for _, d := range f.Details() {
			req := rankedReqJSON{ID: d.ID, Label: d.Label, Must: d.Must, Fit: round3(d.Fit), Outcome: d.Outcome.String()}
			if c := d.Evidence; c != nil {
				req.Evidence = &evidenceJSON{
					Credential: c.Evidence.Credential.Name, File: row.files[c.Evidence.Credential.ID], Issuer: c.Evidence.Credential.Issuer,
					Competency: c.Evidence.CompetencyID, Relation: string(c.Relation), Status: string(c.Status), Trusted: c.Trusted,
					AgeYears: round1(c.AgeYears),
				}
			}
			row.Requirements = append(row.Requirements, req)
		}
		r.Ranking[i] = row
	}
	return r, nil
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// writeRankReport prints the report as a table, JSON or CSV.
func writeRankReport(w io.Writer, format string, r rankReport) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "csv":
		return writeRankCSV(w, r)
	}
	return writeRankTable(w, r)
}

func displayName(row rankedJSON) string {
	if row.Name != "" {
		return row.Name
	}
	return row.Applicant
}

func writeRankTable(w io.Writer, r rankReport) error {
	must, assets := 0, 0
	for _, q := range r.Job.Requirements {
		if q.Must {
			must++
		} else {
			assets++
		}
	}
	fmt.Fprintf(w, "%s — %d requirements (%d must-have, %d asset), %d applicants\n\n", r.Job.Title, len(r.Job.Requirements), must, assets, len(r.Ranking))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tSCORE\tMUST\tAPPLICANT\tGAPS")
	for _, row := range r.Ranking {
		f := row.fit
		ko := ""
		if row.KnockedOut {
			ko = " KO"
		}
		var gaps []string
		for _, g := range f.Gaps() {
			s := g.Label
			if g.Outcome == matcher.OutcomePartly {
				s += " (partly)"
			}
			gaps = append(gaps, s)
		}
		gapText := strings.Join(gaps, ", ")
		if gapText == "" {
			gapText = "—"
		}
		fmt.Fprintf(tw, "%d\t%.1f\t%d/%d%s\t%s\t%s\n", row.Rank, row.Score, f.MustMet, f.MustTotal, ko, displayName(row), gapText)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, row := range r.Ranking {
		fmt.Fprintf(w, "%d. %s\n", row.Rank, row.Explanation)
	}
	return nil
}

func writeRankCSV(w io.Writer, r rankReport) error {
	cw := csv.NewWriter(w)
	header := []string{"rank", "applicant", "name", "score", "knocked_out", "must_met", "must_total", "verified_credentials"}
	for _, q := range r.Job.Requirements {
		header = append(header, "fit:"+q.CompetencyID)
	}
	header = append(header, "explanation")
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, row := range r.Ranking {
		f := row.fit
		rec := []string{strconv.Itoa(row.Rank), row.Applicant, row.Name, strconv.FormatFloat(row.Score, 'f', 1, 64),
			strconv.FormatBool(row.KnockedOut), strconv.Itoa(f.MustMet), strconv.Itoa(f.MustTotal), strconv.Itoa(f.Verified)}
		for _, q := range row.Requirements {
			rec = append(rec, strconv.FormatFloat(q.Fit, 'f', 3, 64))
		}
		rec = append(rec, row.Explanation)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
