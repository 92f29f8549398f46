package main

import (
	"context"
	"fmt"
)

func init() {
	register(&command{
		name:    "erase",
		usage:   "APPLICANT",
		summary: "erase a person from the workspace: every row, search entry and cached file, overwritten in the file",
		run:     runErase,
	})
}

func runErase(e *env, args []string) error {
	rest, err := parse(e.flags(commands["erase"]), args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("give one applicant: ID, e-mail address or exact name")
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
	if err := s.EraseApplicant(context.Background(), a.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "erased applicant %d\n", a.ID)
	return nil
}
