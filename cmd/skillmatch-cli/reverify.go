package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data"
)

func init() {
	register(&command{
		name:    "reverify",
		usage:   "[--applicant ID|EMAIL|NAME] [--offline] [--documents DIR] [--trust FILE] [--now RFC3339] [--progress] [--format text|json]",
		summary: "verify the stored credentials again (after a trust list change, or to learn of revocations and expiries) and say which changed status",
		run:     runReverify,
	})
	register(&command{
		name:    "reindex",
		usage:   "",
		summary: "move the requirements of the saved jobs to the active taxonomy (keeping their edits), find again with it the competencies every stored credential shows (no network, no re-verification) and rebuild the search index (e.g. after the active taxonomy changed)",
		run:     runReindex,
	})
}

// existingStore opens the workspace named by --db, which must exist: the
// commands that only act on stored data do not create an empty one.
func (e *env) existingStore() (*data.Store, error) {
	if _, err := os.Stat(e.dbPath); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no workspace at %s: import files into it, or create the demo with \"skillmatch-cli --db %s workspace demo\"", e.dbPath, e.dbPath)
	}
	return e.store()
}

func runReverify(e *env, args []string) error {
	c := commands["reverify"]
	fs := e.flags(c)
	who := fs.String("applicant", "", "only this person (ID, e-mail address or exact name); default everyone, applicants and staff")
	vf := addVerifierFlags(fs, "verify as of this moment (RFC 3339, e.g. 2030-01-31T12:00:00Z) instead of now (the demo workspace: its reference moment)", false)
	progress := fs.Bool("progress", false, "report each person on stderr as they are finished")
	format := fs.String("format", "text", "output format: text or json")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("reverify takes no arguments (got %q); name one person with --applicant", rest[0])
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	s, err := e.existingStore()
	if err != nil {
		return err
	}
	defer s.Close()
	var id int64
	if *who != "" {
		a, err := s.FindApplicant(*who)
		if err != nil {
			return err
		}
		id = a.ID
	}
	v, cleanup, err := workspaceVerifier(s, vf)
	if err != nil {
		return err
	}
	defer cleanup()
	var onProgress func(done, total int)
	if *progress {
		onProgress = func(done, total int) {
			fmt.Fprintf(e.stderr, "[%d/%d] people re-verified\n", done, total)
		}
	}
	rep, err := s.ReverifyReported(context.Background(), id, v, onProgress)
	if err != nil {
		if rep != nil && rep.People > 0 {
			fmt.Fprintln(e.stderr, reverifySummary(rep)+"; the people finished before the error keep their new results")
		}
		return fmt.Errorf("workspace %s: %w", s.Path(), err)
	}
	if *format == "json" {
		if rep.Changes == nil {
			rep.Changes = []data.CredentialChange{}
		}
		return writeJSON(e.stdout, struct {
			*data.ReverifyReport
			Transitions []data.Transition `json:"transitions"`
		}{rep, rep.Transitions()})
	}
	fmt.Fprintln(e.stdout, reverifySummary(rep))
	printChanges(e.stdout, rep.Changes)
	return nil
}

// workspaceVerifier is the verifier import uses (the workspace's trust
// list, offline setting and stored documents, as of the workspace's moment
// for the demo), with what the verifier flags set instead: --offline,
// --documents, --trust and --now.
func workspaceVerifier(s *data.Store, vf *verifierFlags) (*credential.Verifier, func(), error) {
	v, cleanup, err := s.Verifier()
	if err != nil {
		return nil, nil, err
	}
	if at := s.AsOf(); !at.IsZero() {
		v.Now = at
	}
	fromFlags, err := vf.verifier()
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	if *vf.offline {
		v.Offline = true
	}
	if *vf.documents != "" {
		v.Documents = fromFlags.Documents
	}
	if *vf.trust != "" {
		v.Trust = fromFlags.Trust
	}
	if *vf.now != "" {
		v.Now = fromFlags.Now
	}
	return v, cleanup, nil
}

// reverifySummary is the report in one line, e.g. "re-verified 42 people,
// 158 credentials: 3 changed (valid→expired 2, valid→revoked 1)".
func reverifySummary(rep *data.ReverifyReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "re-verified %s, %s", count(rep.People, "person", "people"), count(rep.Credentials, "credential", "credentials"))
	if rep.People < rep.Total {
		fmt.Fprintf(&b, " (stopped after %d of %d people)", rep.People, rep.Total)
	}
	if n := rep.StatusChanges(); n == 0 {
		b.WriteString(": no status changed")
	} else {
		fmt.Fprintf(&b, ": %d changed (", n)
		for i, t := range rep.Transitions() {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s→%s %d", statusLabel(t.From), statusLabel(t.To), t.Count)
		}
		b.WriteString(")")
	}
	if in, out := rep.TrustChanges(); in+out > 0 {
		fmt.Fprintf(&b, "; issuer trust changed for %d (%d now trusted, %d no longer trusted)", in+out, in, out)
	}
	return b.String()
}

// printChanges lists each credential that changed, one line each.
func printChanges(w io.Writer, changes []data.CredentialChange) {
	for _, ch := range changes {
		var what []string
		if ch.StatusChanged() {
			what = append(what, statusLabel(ch.From)+" → "+statusLabel(ch.To))
		}
		if ch.TrustChanged() {
			if ch.TrustedAfter {
				what = append(what, "issuer now trusted")
			} else {
				what = append(what, "issuer no longer trusted")
			}
		}
		fmt.Fprintf(w, "  applicant %d %s: credential %d %q: %s\n", ch.ApplicantID, ch.Applicant, ch.CredentialID, ch.Title, strings.Join(what, ", "))
	}
}

// statusLabel names a stored status; a credential stored without
// verification has none.
func statusLabel(s credential.Status) string {
	if s == "" {
		return "unverified"
	}
	return string(s)
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// printJobMapping writes what MapJobsToActive did: one line of counts,
// then one line per requirement not found in the active taxonomy.
func printJobMapping(w io.Writer, rep *data.JobMapReport) {
	fmt.Fprintf(w, "mapped the requirements of %s to taxonomy %s: %s changed, %s mapped (%d by reference, %d by label), %d merged, %d not found\n",
		count(rep.Jobs, "job", "jobs"), rep.Taxonomy, count(rep.Changed, "job", "jobs"), count(rep.Mapped(), "requirement", "requirements"),
		rep.ByRef, rep.ByLabel, rep.Merged, len(rep.Unmapped))
	for _, u := range rep.Unmapped {
		fmt.Fprintf(w, "not in taxonomy %s (ranked as unmet): job %d %q: %s (%s)\n", rep.Taxonomy, u.JobID, u.JobTitle, u.CompetencyID, u.Label)
	}
}

func runReindex(e *env, args []string) error {
	c := commands["reindex"]
	fs := e.flags(c)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("reindex takes no arguments (got %q); the workspace is --db", rest[0])
	}
	s, err := e.existingStore()
	if err != nil {
		return err
	}
	defer s.Close()
	// Ctrl-C stops between jobs, then between people; those finished keep
	// their new requirements or evidence and "workspace" says the rest is
	// stale.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return followActiveTaxonomy(ctx, e, s)
}

// followActiveTaxonomy moves the saved jobs and the stored evidence to the
// active taxonomy and rebuilds the search index, saying what it did.
func followActiveTaxonomy(ctx context.Context, e *env, s *data.Store) error {
	// Jobs saved before a switch of taxonomy ask for competencies of the
	// old one, which the refreshed evidence no longer names: they move to
	// the active taxonomy first.
	jobs, err := s.MapJobsToActive(ctx)
	if jobs != nil {
		printJobMapping(e.stdout, jobs)
	}
	if err != nil {
		return fmt.Errorf("workspace %s: mapping the requirements of the saved jobs to the active taxonomy: %w; run \"skillmatch-cli --db %s reindex\" again to finish", s.Path(), err, s.Path())
	}
	rep, err := s.RefreshEvidence(ctx, nil)
	if err != nil {
		if rep != nil && rep.People > 0 {
			fmt.Fprintf(e.stdout, "refreshed the evidence of %s of %d before stopping\n", count(rep.People, "person", "people"), rep.Total)
		}
		return fmt.Errorf("workspace %s: refreshing the evidence and the search index: %w; run \"skillmatch-cli --db %s reindex\" again to finish, and check the file with \"skillmatch-cli --db %s workspace check\" if it fails again", s.Path(), err, s.Path(), s.Path())
	}
	fmt.Fprintf(e.stdout, "refreshed the evidence of %s with taxonomy %s (stored verification kept): %d evidence links before, %d now, %s changed\n",
		count(rep.Credentials, "credential", "credentials"), rep.Taxonomy, rep.Before, rep.After, count(rep.Changed, "credential", "credentials"))
	n, err := s.Counts()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "indexed %s (%d applicants, %d staff) for search, with the competency labels of taxonomy %s\n",
		count(n.Applicants+n.Employees, "person", "people"), n.Applicants, n.Employees, rep.Taxonomy)
	return nil
}
