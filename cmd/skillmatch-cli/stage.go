package main

import (
	"fmt"
	"text/tabwriter"
)

func init() {
	register(&command{
		name:    "stage",
		usage:   "JOB APPLICANT STAGE | --list | --rename STAGE LABEL",
		summary: "move an applicant to a pipeline stage of a job (new, screening, shortlisted, interview, offer, hired, rejected), list or rename the stages",
		run:     runStage,
	})
}

func runStage(e *env, args []string) error {
	fs := e.flags(commands["stage"])
	list := fs.Bool("list", false, "list the stages with their labels")
	rename := fs.Bool("rename", false, "rename a stage: STAGE LABEL")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	switch {
	case *rename:
		if len(rest) != 2 {
			return usagef("--rename needs STAGE LABEL")
		}
		if err := s.RenameStage(rest[0], rest[1]); err != nil {
			return err
		}
		fallthrough
	case *list:
		stages, err := s.Stages()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "STAGE\tLABEL")
		for _, st := range stages {
			fmt.Fprintf(tw, "%s\t%s\n", st.Key, st.Label)
		}
		return tw.Flush()
	}
	if len(rest) != 3 {
		return usagef("give JOB APPLICANT STAGE")
	}
	jobID, err := parseID("job", rest[0])
	if err != nil {
		return err
	}
	if _, err := s.Job(jobID); err != nil {
		return err
	}
	a, err := s.FindApplicant(rest[1])
	if err != nil {
		return err
	}
	if err := s.SetStage(jobID, a.ID, rest[2]); err != nil {
		return err
	}
	pl, err := s.Pipeline(jobID)
	if err != nil {
		return err
	}
	for _, p := range pl {
		if p.ApplicantID == a.ID {
			fmt.Fprintf(e.stdout, "%s is now at %q for job %d\n", a.Name, p.Label, jobID)
		}
	}
	return nil
}
