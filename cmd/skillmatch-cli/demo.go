package main

import (
	"fmt"

	"github.com/skillmatch/skillmatch/data/demo"
)

func init() {
	register(&command{
		name:    "demo",
		usage:   "export DIR",
		summary: "write the fictional demo pool (jobs, applicant folders, documents, trust list) to a folder",
		run:     runDemo,
	})
}

func runDemo(e *env, args []string) error {
	c := commands["demo"]
	fs := e.flags(c)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 2 || rest[0] != "export" {
		return usagef("expected \"export DIR\"")
	}
	dir := rest[1]
	if err := demo.Export(dir); err != nil {
		return err
	}
	m, err := demo.ReadManifest()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote the demo pool to %s: %d jobs in jobs/, %d applicants in applicants/, documents/ and trust.json\n", dir, len(m.Jobs), len(m.Applicants))
	fmt.Fprintf(e.stdout, "try: skillmatch-cli rank --job %s/jobs/%s.txt --applicants %s/applicants --offline --documents %s/documents --trust %s/trust.json --now %s\n",
		dir, m.Jobs[0].ID, dir, dir, dir, demo.Now.Format("2006-01-02T15:04:05Z07:00"))
	return nil
}
