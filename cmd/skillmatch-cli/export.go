package main

import (
	"context"
	"fmt"
)

func init() {
	register(&command{
		name:    "export",
		usage:   "[--anonymise] FILE.zip",
		summary: "export the whole workspace as a ZIP of JSON and the original credential files (--anonymise: pseudonyms, no originals)",
		run:     runExport,
	})
}

func runExport(e *env, args []string) error {
	fs := e.flags(commands["export"])
	anon := fs.Bool("anonymise", false, "replace names and contacts by stable pseudonyms and leave out notes and original files")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("give the ZIP file to write")
	}
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	if *anon {
		err = s.ExportAnonymised(ctx, rest[0])
	} else {
		err = s.Export(ctx, rest[0])
	}
	if err != nil {
		return err
	}
	kind := "exported"
	if *anon {
		kind = "exported (anonymised)"
	}
	fmt.Fprintf(e.stdout, "%s the workspace to %s\n", kind, rest[0])
	return nil
}
