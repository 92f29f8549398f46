package main

import (
	"context"
	"fmt"

	"github.com/skillmatch/skillmatch/data"
)

func init() {
	register(&command{
		name:    "import",
		usage:   "[--job ID] [--applicant ID|EMAIL|NAME] [--employee [--team NAME]] [--no-verify] [--offline] [--progress] [--format text|json] FILE|DIR...",
		summary: "import credential files and folders into the workspace (all or nothing per file; reruns skip finished files)",
		run:     runImport,
	})
}

func runImport(e *env, args []string) error {
	c := commands["import"]
	fs := e.flags(c)
	job := fs.Int64("job", 0, "add everyone imported to this job's pool")
	applicant := fs.String("applicant", "", "give every credential to this person (ID, e-mail address or exact name) instead of working it out per file")
	employee := fs.Bool("employee", false, "the people imported are staff, not applicants")
	fs.BoolVar(employee, "employees", false, "the same as --employee")
	team := fs.String("team", "", "with --employee: put the people created in this team (created if needed)")
	noVerify := fs.Bool("no-verify", false, "store the credentials without verifying them")
	offline := fs.Bool("offline", false, "verify without the network (also when the workspace allows it)")
	progress := fs.Bool("progress", false, "report each file on stderr as it is finished")
	format := fs.String("format", "text", "output format: text or json")
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("give at least one file or folder to import")
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	if *team != "" && !*employee {
		return usagef("--team is for staff: add --employee")
	}
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	opts := data.ImportOptions{JobID: *job}
	if *applicant != "" {
		a, err := s.FindApplicant(*applicant)
		if err != nil {
			return err
		}
		opts.ApplicantID = a.ID
	}
	if *employee {
		opts.Kind = data.KindEmployee
		if *team != "" {
			t, err := s.SaveTeam(*team)
			if err != nil {
				return err
			}
			opts.TeamID = t.ID
		}
	}
	if !*noVerify {
		v, cleanup, err := s.Verifier()
		if err != nil {
			return err
		}
		defer cleanup()
		if *offline {
			v.Offline = true
		}
		if at := s.AsOf(); !at.IsZero() {
			v.Now = at
		}
		opts.Verifier = v
	}
	var onProgress func(data.Progress)
	if *progress {
		onProgress = func(p data.Progress) {
			fmt.Fprintf(e.stderr, "[%d/%d] %s\n", p.Done, p.Total, p.File)
		}
	}
	rep, err := s.ImportFiles(context.Background(), paths, opts, onProgress)
	if err != nil {
		return err
	}
	if *format == "json" {
		if err := writeJSON(e.stdout, rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "imported %d credentials for %d people from %d files", rep.Imported, len(rep.Applicants), rep.Files)
		if n := len(rep.Skipped); n > 0 {
			fmt.Fprintf(e.stdout, "; %d files skipped (already imported)", n)
		}
		if n := len(rep.Duplicates); n > 0 {
			fmt.Fprintf(e.stdout, "; %d duplicates", n)
		}
		fmt.Fprintln(e.stdout)
		for _, d := range rep.Duplicates {
			if d.OtherPerson {
				fmt.Fprintf(e.stdout, "warning: %s: the same credential is held by applicant %d (credential %d); stored for both\n", d.Where, d.ApplicantID, d.CredentialID)
			} else {
				fmt.Fprintf(e.stdout, "duplicate: %s: already stored as credential %d\n", d.Where, d.CredentialID)
			}
		}
		if n := len(rep.RejectedFiles); n > 0 {
			fmt.Fprintf(e.stdout, "%d files rejected, nothing imported from them:\n", n)
			for _, r := range rep.Rejections {
				fmt.Fprintf(e.stdout, "  %s\n", r)
			}
		}
	}
	if len(rep.RejectedFiles) > 0 {
		return exitError{1}
	}
	return nil
}
