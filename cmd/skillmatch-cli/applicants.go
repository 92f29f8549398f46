package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/skillmatch/skillmatch/data"
)

func init() {
	register(&command{
		name:    "applicants",
		usage:   "[--job ID] [--staff] [--limit N] [--format text|json] [QUERY...] | show [--format text|json] APPLICANT",
		summary: "list or search the people in the workspace (name, e-mail, issuer, credential, competency, status: \"issuer:northgate status:revoked\"), or show one",
		run:     runApplicants,
	})
}

func runApplicants(e *env, args []string) error {
	if len(args) > 0 && args[0] == "show" {
		return showApplicant(e, args[1:])
	}
	c := commands["applicants"]
	fs := e.flags(c)
	job := fs.Int64("job", 0, "only the pool of this job")
	staff := fs.Bool("staff", false, "staff instead of applicants")
	limit := fs.Int("limit", 50, "at most this many")
	format := fs.String("format", "text", "text or json")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	f := data.ApplicantFilter{JobID: *job, Kind: data.KindApplicant, Limit: *limit}
	if *staff {
		f.Kind = data.KindEmployee
	}
	var people []*data.Applicant
	total := 0
	if q := strings.Join(rest, " "); q != "" {
		res, err := s.Search(context.Background(), q, f, *limit)
		if err != nil {
			return err
		}
		people, total = res.Applicants, res.Total
	} else {
		if people, err = s.Applicants(f); err != nil {
			return err
		}
		total = len(people)
	}
	if *format == "json" {
		return writeJSON(e.stdout, map[string]any{"total": total, "applicants": people})
	}
	if len(people) == 0 {
		fmt.Fprintln(e.stdout, "nobody found")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tE-MAIL\tCREDENTIALS")
	for _, a := range people {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", a.ID, a.Name, a.Email, a.Credentials)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total > len(people) {
		fmt.Fprintf(e.stdout, "(%d of %d shown; use --limit)\n", len(people), total)
	}
	return nil
}

func showApplicant(e *env, args []string) error {
	c := &command{name: "applicants show", usage: "[--format text|json] APPLICANT", summary: "show a person, their credentials, stages and notes"}
	fs := e.flags(c)
	format := fs.String("format", "text", "text or json")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("applicants show needs one applicant (ID, e-mail address or exact name)")
	}
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := s.FindApplicant(rest[0])
	if err != nil {
		return err
	}
	creds, err := s.Credentials(a.ID)
	if err != nil {
		return err
	}
	notes, err := s.Notes(a.ID)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(e.stdout, map[string]any{"applicant": a, "credentials": creds, "notes": notes})
	}
	fmt.Fprintf(e.stdout, "%d: %s <%s> (%s)\n", a.ID, a.Name, a.Email, a.Kind)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CREDENTIAL\tSTATUS\tISSUER\tTITLE\tCOMPETENCIES")
	for _, c := range creds {
		st := string(c.Ref.Status)
		if st == "" {
			st = "not verified"
		}
		var comps []string
		for _, ev := range c.Evidence {
			comps = append(comps, ev.CompetencyID)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", c.ID, st, c.Ref.Issuer, c.Ref.Name, strings.Join(comps, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintf(e.stdout, "note %d (%s): %s\n", n.ID, n.CreatedAt.Format("2006-01-02"), n.Body)
	}
	return nil
}
