package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/matcher"
)

func init() {
	register(&command{
		name:    "jobs",
		usage:   "[list] | add [--title T] [--status S] FILE | show [--format text|json] ID | status ID draft|open|closed | pool ID",
		summary: "list the workspace's jobs, add one from a posting, show its requirements, set its status, show its pool",
		run:     runJobs,
	})
}

func runJobs(e *env, args []string) error {
	sub := "list"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	switch sub {
	case "list":
		if len(args) > 0 {
			return usagef("jobs list takes no arguments")
		}
		jobs, err := s.Jobs()
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			fmt.Fprintln(e.stdout, "no jobs; add one with \"skillmatch-cli jobs add POSTING.txt\"")
			return nil
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATUS\tREQUIREMENTS\tPOOL\tTITLE")
		for i := len(jobs) - 1; i >= 0; i-- {
			j := jobs[i]
			pool, err := s.Pipeline(j.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%s\n", j.ID, j.Status, len(j.Requirements), len(pool), j.Title)
		}
		return tw.Flush()
	case "add":
		c := &command{name: "jobs add", usage: "[--title T] [--status S] FILE", summary: "add a job from a posting: a document (.txt, .md, .html, .rtf, .docx or .odt; requirements extracted) or JSON {\"title\", \"text\", \"requirements\"}"}
		fs := e.flags(c)
		title := fs.String("title", "", "the job's title (default: the JSON title, or the first line of the text)")
		status := fs.String("status", data.JobOpen, "draft, open or closed")
		rest, err := parse(fs, args)
		if err != nil {
			return err
		}
		if len(rest) != 1 {
			return usagef("jobs add needs one posting file")
		}
		f, err := os.Open(rest[0])
		if err != nil {
			return err
		}
		b, err := io.ReadAll(io.LimitReader(f, data.MaxPostingFile+1))
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", rest[0], err)
		}
		if len(b) > data.MaxPostingFile {
			return fmt.Errorf("%s: the file is larger than %d MB; a posting is much smaller: %w", rest[0], data.MaxPostingFile>>20, data.ErrPostingTooLarge)
		}
		var j *data.Job
		if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") && !strings.HasPrefix(t, `{\rtf`) {
			var in struct {
				Title        string                `json:"title"`
				Text         string                `json:"text"`
				Language     string                `json:"language"`
				Requirements []matcher.Requirement `json:"requirements"`
			}
			if err := json.Unmarshal(b, &in); err != nil {
				return fmt.Errorf("%s: expected {\"title\", \"text\", \"requirements\"}: %w", rest[0], err)
			}
			if *title != "" {
				in.Title = *title
			}
			if in.Requirements == nil {
				if j, err = s.NewJobFromPosting(in.Title, in.Text); err != nil {
					return err
				}
			} else {
				j = &data.Job{Title: in.Title, Text: in.Text, Language: in.Language, Requirements: in.Requirements, Status: *status}
				if j.Title == "" {
					return fmt.Errorf("%s: the JSON has no title; add one or give --title", rest[0])
				}
				if err := s.SaveJob(j); err != nil {
					return err
				}
			}
		} else {
			// a posting document: Word, OpenDocument, HTML, RTF,
			// Markdown or text in any common encoding
			text, err := data.ReadPosting(bytes.NewReader(b), rest[0])
			if err != nil {
				return err
			}
			if j, err = s.NewJobFromPosting(*title, text); err != nil {
				return err
			}
		}
		if j.Status != *status {
			j.Status = *status
			if err := s.SaveJob(j); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stdout, "added job %d: %s (%d requirements)\n", j.ID, j.Title, len(j.Requirements))
		return nil
	case "show":
		c := &command{name: "jobs show", usage: "[--format text|json] ID", summary: "show a job and its requirements"}
		fs := e.flags(c)
		format := fs.String("format", "text", "text or json")
		rest, err := parse(fs, args)
		if err != nil {
			return err
		}
		if len(rest) != 1 {
			return usagef("jobs show needs a job ID")
		}
		id, err := parseID("job", rest[0])
		if err != nil {
			return err
		}
		j, err := s.Job(id)
		if err != nil {
			return err
		}
		if *format == "json" {
			return writeJSON(e.stdout, j)
		}
		fmt.Fprintf(e.stdout, "job %d: %s (%s, %s)\n", j.ID, j.Title, j.Status, j.Language)
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "MUST\tWEIGHT\tLEVEL\tYEARS\tCOMPETENCY\tLABEL")
		for _, r := range j.Requirements {
			must := "asset"
			if r.Must {
				must = "must"
			}
			lvl := string(r.MinLevel)
			if lvl == "" {
				lvl = "-"
			}
			fmt.Fprintf(tw, "%s\t%.2f\t%s\t%g\t%s\t%s\n", must, r.Weight, lvl, r.MinYears, r.CompetencyID, r.Label)
		}
		return tw.Flush()
	case "status":
		if len(args) != 2 {
			return usagef("jobs status ID draft|open|closed")
		}
		id, err := parseID("job", args[0])
		if err != nil {
			return err
		}
		j, err := s.Job(id)
		if err != nil {
			return err
		}
		j.Status = args[1]
		if err := s.SaveJob(j); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "job %d is %s\n", j.ID, j.Status)
		return nil
	case "pool":
		if len(args) != 1 {
			return usagef("jobs pool ID")
		}
		id, err := parseID("job", args[0])
		if err != nil {
			return err
		}
		if _, err := s.Job(id); err != nil {
			return err
		}
		pool, err := s.Pipeline(id)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTAGE\tNAME")
		for _, p := range pool {
			a, err := s.Applicant(p.ApplicantID)
			if err != nil {
				return err
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\n", a.ID, p.Label, a.Name)
		}
		return tw.Flush()
	}
	return usagef("unknown subcommand %q: use list, add, show, status or pool", sub)
}
