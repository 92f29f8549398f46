package main

import (
	"context"
	"fmt"

	"github.com/skillmatch/skillmatch/data"
)

func init() {
	register(&command{
		name:    "backup",
		usage:   "FILE",
		summary: "write a consistent, checked copy of the workspace to FILE",
		run:     runBackup,
	})
	register(&command{
		name:    "restore",
		usage:   "FILE",
		summary: "replace the workspace with a backup, after checking the backup's integrity (close the app first)",
		run:     runRestore,
	})
}

func runBackup(e *env, args []string) error {
	rest, err := parse(e.flags(commands["backup"]), args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("give the backup file")
	}
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(context.Background(), rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s\n", e.dbPath, rest[0])
	return nil
}

func runRestore(e *env, args []string) error {
	rest, err := parse(e.flags(commands["restore"]), args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("give the backup file")
	}
	if err := data.Restore(rest[0], e.dbPath); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s from %s\n", e.dbPath, rest[0])
	return nil
}
