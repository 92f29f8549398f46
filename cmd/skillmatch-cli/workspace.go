package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

func init() {
	register(&command{
		name:    "workspace",
		usage:   "[info] | demo | check | trust [list | add ID [NAME] | remove ID | import FILE] | policy [FILE] | taxonomy [list | use NAME|SPEC]",
		summary: "show the workspace (--db), create the demo workspace, check it, edit its trust list, ranking policy and taxonomy",
		run:     runWorkspace,
	})
}

// store opens the workspace named by --db.
func (e *env) store() (*data.Store, error) {
	s, err := data.Open(e.dbPath)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// parseID reads a numeric ID argument.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s %q is not an ID (a positive number)", what, s)
	}
	return id, nil
}

func runWorkspace(e *env, args []string) error {
	sub := "info"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "demo":
		if len(args) > 0 {
			return usagef("workspace demo takes no arguments; the workspace is --db")
		}
		rep, err := data.CreateDemo(context.Background(), e.dbPath)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created the demo workspace %s: %d jobs, %d applicants, %d staff in %d teams, %d credentials (%d valid), %d catalogue items\n",
			e.dbPath, rep.Jobs, rep.Applicants, rep.Employees, rep.Teams, rep.Credentials, rep.Statuses[credential.StatusValid], rep.Catalogue)
		for _, r := range rep.Rejections {
			fmt.Fprintf(e.stderr, "rejected: %s\n", r)
		}
		return nil
	case "info", "check", "trust", "policy", "taxonomy":
	default:
		return usagef("unknown subcommand %q: use info, demo, check, trust, policy or taxonomy", sub)
	}
	if _, err := os.Stat(e.dbPath); errors.Is(err, os.ErrNotExist) && sub != "trust" && sub != "policy" {
		return fmt.Errorf("no workspace at %s: import files into it, or create the demo with \"skillmatch-cli --db %s workspace demo\"", e.dbPath, e.dbPath)
	}
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	switch sub {
	case "check":
		if err := s.IntegrityCheck(); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: ok\n", e.dbPath)
		return nil
	case "trust":
		return workspaceTrust(e, s, args)
	case "policy":
		return workspacePolicy(e, s, args)
	case "taxonomy":
		return workspaceTaxonomy(e, s, args)
	}
	c, err := s.Counts()
	if err != nil {
		return err
	}
	taxName, err := s.ActiveTaxonomyName()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "workspace\t%s\n", s.Path())
	fmt.Fprintf(tw, "schema version\t%d\n", data.SchemaVersion())
	if s.IsDemo() {
		fmt.Fprintf(tw, "demo\tyes (fictional data, ranked as of %s)\n", s.AsOf().Format(time.DateOnly))
	}
	fmt.Fprintf(tw, "taxonomy\t%s\n", taxName)
	stale, err := s.EvidenceStale()
	if err != nil {
		return err
	}
	if stale {
		names, err := s.EvidenceTaxonomies()
		if err != nil {
			return err
		}
		var others []string
		for _, n := range names {
			if n != taxName {
				others = append(others, "taxonomy "+n)
			}
		}
		if len(others) == 0 {
			others = []string{"an earlier import of taxonomy " + taxName}
		}
		fmt.Fprintf(tw, "evidence\tstale: computed with %s, not the active taxonomy %s; run \"skillmatch-cli --db %s reindex\" to refresh it (until then applicants score 0 for jobs analysed with %s)\n",
			strings.Join(others, " and "), taxName, e.dbPath, taxName)
	}
	fmt.Fprintf(tw, "jobs\t%d\n", c.Jobs)
	fmt.Fprintf(tw, "applicants\t%d\n", c.Applicants)
	fmt.Fprintf(tw, "staff\t%d in %d teams\n", c.Employees, c.Teams)
	fmt.Fprintf(tw, "credentials\t%d\n", c.Credentials)
	fmt.Fprintf(tw, "catalogue\t%d items\n", c.Catalogue)
	fmt.Fprintf(tw, "snapshots\t%d\n", c.Snapshots)
	if s.Offline() {
		fmt.Fprintf(tw, "network\toff (verification offline)\n")
	}
	return tw.Flush()
}

func workspaceTrust(e *env, s *data.Store, args []string) error {
	op := "list"
	if len(args) > 0 {
		op, args = args[0], args[1:]
	}
	switch op {
	case "list":
	case "add":
		if len(args) < 1 || len(args) > 2 {
			return usagef("workspace trust add ID [NAME]")
		}
		ti := credential.TrustedIssuer{ID: args[0]}
		if len(args) == 2 {
			ti.Name = args[1]
		}
		if err := s.AddTrusted(ti); err != nil {
			return err
		}
	case "remove":
		if len(args) != 1 {
			return usagef("workspace trust remove ID")
		}
		ok, err := s.RemoveTrusted(args[0])
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%s is not on the trust list", args[0])
		}
	case "import":
		if len(args) != 1 {
			return usagef("workspace trust import FILE")
		}
		tl, err := credential.LoadTrustList(args[0])
		if err != nil {
			return err
		}
		if err := s.AddTrusted(tl.Issuers...); err != nil {
			return err
		}
	default:
		return usagef("unknown trust operation %q: use list, add, remove or import", op)
	}
	tl, err := s.TrustList()
	if err != nil {
		return err
	}
	if len(tl.Issuers) == 0 {
		fmt.Fprintln(e.stdout, "the trust list is empty")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ISSUER\tNAME")
	for _, t := range tl.Issuers {
		fmt.Fprintf(tw, "%s\t%s\n", t.ID, t.Name)
	}
	return tw.Flush()
}

func workspacePolicy(e *env, s *data.Store, args []string) error {
	if len(args) > 1 {
		return usagef("workspace policy [FILE]")
	}
	if len(args) == 1 {
		p, err := matcher.LoadPolicy(args[0])
		if err != nil {
			return err
		}
		if err := s.SetPolicy(p); err != nil {
			return err
		}
	}
	p, err := s.Policy()
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, p)
}

// rankWorkspace ranks a job of the workspace: its pool (or every applicant
// with all), its requirements as edited, the workspace's policy unless
// policyFile is given, as of now (zero: the workspace's moment or now).
// It prints the same report as "rank --applicants", and with snapshot
// records it as a ranking snapshot.
func rankWorkspace(e *env, jobID int64, format, policyFile string, now time.Time, all, snapshot bool) error {
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	opt := data.RankOptions{All: all, Now: now}
	if policyFile != "" {
		p, err := matcher.LoadPolicy(policyFile)
		if err != nil {
			return usagef("--policy: %v", err)
		}
		opt.Policy = &p
	}
	ctx := context.Background()
	in, err := s.RankInput(ctx, jobID, opt)
	if err != nil {
		return err
	}
	loaded := make([]loadedApplicant, len(in.Applicants))
	for i, a := range in.Applicants {
		loaded[i] = loadedApplicant{Applicant: a, Files: map[string]string{}}
	}
	job := rankJob{Title: in.Job.Title, Language: in.Job.Language, Requirements: in.Job.Requirements}
	report, err := rankCore(ctx, in.Taxonomy, job, loaded, in.Policy, in.Now)
	if err != nil {
		return err
	}
	if err := writeRankReport(e.stdout, format, report); err != nil {
		return err
	}
	if snapshot {
		r := &data.Ranking{Job: in.Job, Policy: in.Policy, Taxonomy: in.Taxonomy.Name, Now: in.Now}
		for _, row := range report.Ranking {
			r.Fits = append(r.Fits, *row.fit)
		}
		sn, err := s.SaveSnapshot(r, "skillmatch-cli rank")
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "saved ranking snapshot %d of job %d (%d applicants)\n", sn.ID, jobID, len(sn.Entries))
	}
	return nil
}

// workspaceTaxonomy lists the taxonomies the workspace holds, or makes one
// the active taxonomy jobs are analysed and ranked with: a held one by
// name, or a new one imported from a spec (as --taxonomy takes), kept in
// the workspace. The saved jobs and the stored evidence then follow it, as
// after a switch in the desktop app.
func workspaceTaxonomy(e *env, s *data.Store, args []string) error {
	if len(args) == 0 || args[0] == "list" {
		if len(args) > 1 {
			return usagef("workspace taxonomy list takes no arguments")
		}
		list, err := s.Taxonomies()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ACTIVE\tNAME\tCOMPETENCIES\tOCCUPATIONS\tIMPORTED")
		for _, t := range list {
			active, imported := "", "built in"
			if t.Active {
				active = "*"
			}
			if !t.ImportedAt.IsZero() {
				imported = t.ImportedAt.Format(time.DateOnly)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", active, t.Name, t.Competencies, t.Occupations, imported)
		}
		return tw.Flush()
	}
	if args[0] != "use" || len(args) != 2 {
		return usagef("use: workspace taxonomy [list | use NAME|SPEC] (a held taxonomy by name, or a spec such as esco:DIR to import)")
	}
	which := args[1]
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	held, err := s.Taxonomies()
	if err != nil {
		return err
	}
	known := false
	for _, t := range held {
		known = known || t.Name == which
	}
	if known {
		if err := s.SetActiveTaxonomy(which); err != nil {
			return err
		}
	} else {
		t, err := taxonomy.OpenContext(ctx, which)
		if err != nil {
			return err
		}
		if err := s.SaveTaxonomy(t, true); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "imported taxonomy %s: %d competencies, %d occupation profiles\n", t.Name, t.Len(), len(t.Occupations()))
	}
	fmt.Fprintf(e.stdout, "active taxonomy: %s\n", which)
	return followActiveTaxonomy(ctx, e, s)
}
