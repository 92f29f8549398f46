package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/skillmatch/skillmatch/data"
)

func init() {
	register(&command{
		name:    "teams",
		usage:   "[--format text|json] | members [--format text|json] TEAM",
		summary: "list the workspace's teams of staff with their member counts, or a team's members",
		run:     runTeams,
	})
}

func runTeams(e *env, args []string) error {
	if len(args) > 0 && args[0] == "members" {
		return runTeamMembers(e, args[1:])
	}
	c := commands["teams"]
	fs := e.flags(c)
	format := fs.String("format", "text", "output format: text or json")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("teams takes no arguments (did you mean \"teams members %s\"?)", rest[0])
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	teams, err := s.Teams()
	if err != nil {
		return err
	}
	if *format == "json" {
		if teams == nil {
			teams = []data.Team{}
		}
		return writeJSON(e.stdout, teams)
	}
	if len(teams) == 0 {
		fmt.Fprintln(e.stdout, "no teams; import staff with \"skillmatch-cli import --employee --team NAME FILE|DIR...\"")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tMEMBERS\tNAME")
	for _, t := range teams {
		fmt.Fprintf(tw, "%d\t%d\t%s\n", t.ID, t.Members, t.Name)
	}
	return tw.Flush()
}

func runTeamMembers(e *env, args []string) error {
	c := &command{name: "teams members", usage: "[--format text|json] TEAM", summary: "list a team's members (TEAM is its name or ID)"}
	fs := e.flags(c)
	format := fs.String("format", "text", "output format: text or json")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("give one team, by name or ID")
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	s, err := e.store()
	if err != nil {
		return err
	}
	defer s.Close()
	t, err := s.FindTeam(rest[0])
	if err != nil {
		return fmt.Errorf("%w; list the teams with \"skillmatch-cli teams\"", err)
	}
	people, err := s.Applicants(data.ApplicantFilter{Kind: data.KindEmployee, TeamID: t.ID})
	if err != nil {
		return err
	}
	if *format == "json" {
		if people == nil {
			people = []*data.Applicant{}
		}
		return writeJSON(e.stdout, map[string]any{"team": t, "members": people})
	}
	fmt.Fprintf(e.stdout, "%s: %d members\n", t.Name, len(people))
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tE-MAIL\tCREDENTIALS")
	for _, a := range people {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", a.ID, a.Name, a.Email, a.Credentials)
	}
	return tw.Flush()
}
