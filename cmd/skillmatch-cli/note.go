package main

import (
	"fmt"
	"strings"
)

func init() {
	register(&command{
		name:    "note",
		usage:   "[--job ID] APPLICANT TEXT... | --list APPLICANT",
		summary: "add a note about an applicant (optionally for a job), or list their notes",
		run:     runNote,
	})
}

func runNote(e *env, args []string) error {
	fs := e.flags(commands["note"])
	job := fs.Int64("job", 0, "the job the note is about")
	list := fs.Bool("list", false, "list the applicant's notes")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 || (!*list && len(rest) < 2) {
		return usagef("give the applicant and the text of the note")
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
	if !*list {
		if *job != 0 {
			if _, err := s.Job(*job); err != nil {
				return err
			}
		}
		n, err := s.AddNote(a.ID, *job, strings.Join(rest[1:], " "))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "note %d added for %s\n", n.ID, a.Name)
		return nil
	}
	notes, err := s.Notes(a.ID)
	if err != nil {
		return err
	}
	for _, n := range notes {
		job := ""
		if n.JobID != 0 {
			job = fmt.Sprintf(" job %d", n.JobID)
		}
		fmt.Fprintf(e.stdout, "%d %s%s: %s\n", n.ID, n.CreatedAt.Format("2006-01-02 15:04"), job, n.Body)
	}
	return nil
}
