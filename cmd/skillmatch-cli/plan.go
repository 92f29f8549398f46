package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/data/demo"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

func init() {
	register(&command{
		name: "plan",
		usage: "--role FILE|ID --staff DIR|TEAM [--catalogue FILE|DIR|demo] [--budget N] [--minimise cost|hours] [--format table|json|csv]\n" +
			"[--formats LIST] [--languages LIST] [--stacking prefer|only|ignore] [--close-threshold X] [--policy FILE]\n" +
			"[--offline] [--documents DIR] [--trust FILE] [--now RFC3339] [--suggested]",
		summary: "analyse a team's skill gaps against a role and plan the micro-credentials that close them",
		run:     runPlan,
	})
}

// planReport is the result of "plan"; its JSON form is the documented
// output of "plan --format json".
type planReport struct {
	Role     rankJob                       `json:"role"`
	Staff    string                        `json:"staff"`
	Now      time.Time                     `json:"now"`
	People   []planPersonJSON              `json:"people"`
	Coverage []matcher.RequirementCoverage `json:"coverage"`
	Heatmap  matcher.Heatmap               `json:"heatmap"`
	Plan     *matcher.UpskillPlan          `json:"plan"`
	// Warnings are catalogue items read with assumptions (no price, no
	// workload).
	Warnings []string `json:"warnings,omitempty"`

	gaps *matcher.GapAnalysis
}

type planPersonJSON struct {
	Person       string                      `json:"person"`
	Name         string                      `json:"name,omitempty"`
	Score        float64                     `json:"score"`
	Met          int                         `json:"met"`
	Partly       int                         `json:"partly"`
	Missing      int                         `json:"missing"`
	Requirements []matcher.RequirementDetail `json:"requirements"`
}

func runPlan(e *env, args []string) error {
	c := commands["plan"]
	fs := e.flags(c)
	roleFlag := fs.String("role", "", "the role: a job posting file (text, or JSON as for rank --job), an occupation template ID of the taxonomy, or a job of the workspace (ID or exact title)")
	staffFlag := fs.String("staff", "", "the people: a folder with one sub-folder per person (as rank --applicants), or a team of the workspace (name or ID)")
	catFlag := fs.String("catalogue", "", "micro-credentials on offer: a catalogue CSV, a JSON file of Open Badges 3.0 achievements / 2.0 BadgeClasses, a folder of such files, or \"demo\" for the demo catalogue; default: the workspace's catalogue")
	budget := fs.Float64("budget", 0, "budget in the unit minimised: the catalogue's currency with --minimise cost, hours with --minimise hours (0: none)")
	minimise := fs.String("minimise", "cost", "what to minimise once the most gaps are closed: cost or hours")
	format := fs.String("format", "table", "output format: table, json or csv (the plan only)")
	formats := fs.String("formats", "", "allowed delivery formats, comma-separated: "+strings.Join(matcher.CatalogueFormats, ", ")+" (default: all)")
	languages := fs.String("languages", "", "allowed course languages, comma-separated, e.g. en,fr (default: all)")
	stacking := fs.String("stacking", "prefer", "stackable items: prefer (on ties), only, or ignore")
	threshold := fs.Float64("close-threshold", matcher.DefaultCloseThreshold, "credit an item must reach for a requirement to count as closing it (exact 1.0, narrower 0.9 with the default policy)")
	policyFile := fs.String("policy", "", "ranking policy JSON (default: the workspace's when staff come from it, else the defaults)")
	vf := addVerifierFlags(fs, "assess as of this moment (RFC 3339) instead of now", false)
	suggested := fs.Bool("suggested", false, "also count requirements the extractor only suggests for a posting")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	if *roleFlag == "" || *staffFlag == "" {
		return usagef("--role and --staff are required")
	}
	if !slices.Contains([]string{"table", "json", "csv"}, *format) {
		return usagef("--format must be table, json or csv, not %q", *format)
	}
	opt := matcher.UpskillOptions{Budget: *budget, Minimise: matcher.Objective(*minimise), Stacking: matcher.Stacking(*stacking), CloseThreshold: *threshold}
	if opt.Minimise != matcher.MinimiseCost && opt.Minimise != matcher.MinimiseHours {
		return usagef("--minimise must be cost or hours, not %q", *minimise)
	}
	if *budget < 0 || math.IsNaN(*budget) {
		return usagef("--budget must be 0 (none) or a positive amount")
	}
	opt.Formats = planSplitList(*formats)
	for _, f := range opt.Formats {
		if !slices.Contains(matcher.CatalogueFormats, f) {
			return usagef("--formats: %q is not one of %s", f, strings.Join(matcher.CatalogueFormats, ", "))
		}
	}
	opt.Languages = planSplitList(*languages)
	switch opt.Stacking {
	case matcher.StackPrefer, matcher.StackOnly, matcher.StackIgnore:
	default:
		return usagef("--stacking must be prefer, only or ignore, not %q", *stacking)
	}
	if *threshold <= 0 || *threshold > 1 {
		return usagef("--close-threshold must be above 0 and at most 1")
	}
	now, err := vf.at()
	if err != nil {
		return err
	}
	ctx := context.Background()

	// The workspace is used when --staff or --role name something in it,
	// or when no catalogue is given. It is only opened when it exists:
	// plan never creates a workspace.
	ws := &planWorkspace{path: e.dbPath}
	defer ws.close()

	staffIsDir := planIsDir(*staffFlag)
	_, roleErr := os.Stat(*roleFlag)
	roleIsFile := roleErr == nil
	useWS := !staffIsDir || *catFlag == ""

	// Taxonomy and policy: the workspace's when the people come from it.
	var tax *taxonomy.Taxonomy
	policy := matcher.DefaultPolicy()
	if !staffIsDir {
		st, err := ws.open()
		if err != nil {
			return fmt.Errorf("--staff %s is not a folder, so it names a team of the workspace: %w", *staffFlag, err)
		}
		if tax, err = st.ActiveTaxonomy(); err != nil {
			return err
		}
		if policy, err = st.Policy(); err != nil {
			return err
		}
		if now.IsZero() {
			now = st.AsOf()
		}
	} else if tax, err = e.taxonomy(); err != nil {
		return err
	}
	if now.IsZero() {
		now = time.Now().UTC()
	}
	if *policyFile != "" {
		if policy, err = matcher.LoadPolicy(*policyFile); err != nil {
			return usagef("--policy: %v", err)
		}
	}
	ex := matcher.For(tax)

	// The role.
	var role rankJob
	switch {
	case roleIsFile:
		if role, err = loadRankJob(*roleFlag, tax, ex, *suggested); err != nil {
			return fmt.Errorf("--role: %w", err)
		}
	default:
		if occ, ok := tax.Occupation(*roleFlag); ok {
			reqs, err := ex.FromOccupation(occ.ID, "en")
			if err != nil {
				return err
			}
			role = rankJob{Title: occ.Label("en"), Language: "en", Requirements: reqs}
			break
		}
		st, err := ws.open()
		if err != nil {
			return fmt.Errorf("--role %s: no such file, no occupation template %q in taxonomy %s, and no workspace to look for a job in: %w", *roleFlag, *roleFlag, tax.Name, err)
		}
		job, err := findWorkspaceJob(st, *roleFlag)
		if err != nil {
			return fmt.Errorf("--role %s: no such file, no occupation template %q in taxonomy %s, and %w", *roleFlag, *roleFlag, tax.Name, err)
		}
		role = rankJob{Title: job.Title, Language: job.Language, Requirements: job.Requirements}
	}
	if len(role.Requirements) == 0 {
		return fmt.Errorf("--role %s has no requirements to analyse", *roleFlag)
	}

	// The people.
	var people []matcher.Applicant
	staffLabel := *staffFlag
	if staffIsDir {
		v, err := vf.verifier()
		if err != nil {
			return err
		}
		loaded, err := loadApplicantFolders(ctx, *staffFlag, v, tax, ex, e.stderr)
		if err != nil {
			return fmt.Errorf("--staff: %w", err)
		}
		for _, a := range loaded {
			people = append(people, a.Applicant)
		}
	} else {
		st, _ := ws.open()
		team, err := st.FindTeam(*staffFlag)
		if err != nil {
			return fmt.Errorf("--staff %s: not a folder, and not a team of the workspace %s: %w", *staffFlag, ws.path, err)
		}
		if people, err = st.RankingApplicants(ctx, data.ApplicantFilter{Kind: data.KindEmployee, TeamID: team.ID}, nil); err != nil {
			return err
		}
		if len(people) == 0 {
			return fmt.Errorf("--staff %s: the team has no members marked as employees", team.Name)
		}
		staffLabel = "team " + team.Name
	}

	// The catalogue.
	var items []matcher.CatalogueItem
	var warnings []string
	switch {
	case *catFlag == "demo":
		if items, err = demo.Catalogue(tax); err != nil {
			return err
		}
	case *catFlag != "":
		if items, warnings, err = readCatalogues(*catFlag, tax, ex); err != nil {
			return err
		}
	case useWS:
		st, err := ws.open()
		if err != nil {
			return usagef("--catalogue is required without a workspace (%v)", err)
		}
		if items, err = st.Catalogue(); err != nil {
			return err
		}
	}
	if len(items) == 0 {
		return fmt.Errorf("the catalogue is empty: give --catalogue FILE (or \"demo\")")
	}

	opt.PreferLanguage = role.Language
	g, err := matcher.AnalyzeGapsContext(ctx, matcher.NewScorer(tax, role.Requirements, policy, now), people, nil)
	if err != nil {
		return err
	}
	plan, err := matcher.PlanUpskillingContext(ctx, g, items, opt)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "catalogue: %s\n", w)
	}
	r := planReport{Role: role, Staff: staffLabel, Now: now, Coverage: g.Coverage, Heatmap: g.Heatmap(), Plan: plan, Warnings: warnings, gaps: g}
	for _, p := range g.People {
		r.People = append(r.People, planPersonJSON{Person: p.Person, Name: p.Name, Score: p.Score, Met: p.Met, Partly: p.Partly, Missing: p.Missing, Requirements: p.Requirements})
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	case "csv":
		return plan.WriteCSV(e.stdout)
	}
	return writePlanTable(e.stdout, r)
}

// planWorkspace opens the workspace (--db) on first use, only if it exists.
type planWorkspace struct {
	path string
	st   *data.Store
	err  error
}

func (w *planWorkspace) open() (*data.Store, error) {
	if w.st != nil || w.err != nil {
		return w.st, w.err
	}
	if _, err := os.Stat(w.path); err != nil {
		w.err = fmt.Errorf("no workspace at %s (give --db FILE)", w.path)
		return nil, w.err
	}
	w.st, w.err = data.Open(w.path)
	return w.st, w.err
}

func (w *planWorkspace) close() {
	if w.st != nil {
		w.st.Close()
	}
}

// findWorkspaceJob finds a job by ID or exact title (case-insensitive).
func findWorkspaceJob(st *data.Store, ref string) (*data.Job, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return st.Job(id)
	}
	jobs, err := st.Jobs()
	if err != nil {
		return nil, err
	}
	var found []*data.Job
	for _, j := range jobs {
		if strings.EqualFold(strings.TrimSpace(j.Title), strings.TrimSpace(ref)) {
			found = append(found, j)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no job titled %q in the workspace %s: %w", ref, st.Path(), data.ErrNotFound)
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, j := range found {
		ids[i] = strconv.FormatInt(j.ID, 10)
	}
	return nil, fmt.Errorf("%d jobs are titled %q (IDs %s): give the ID", len(found), ref, strings.Join(ids, ", "))
}

// readCatalogues reads a catalogue file (CSV, or JSON achievements /
// BadgeClasses) or every such file of a folder, in name order. Item IDs
// must be unique across files.
func readCatalogues(path string, tax *taxonomy.Taxonomy, ex *matcher.Extractor) ([]matcher.CatalogueItem, []string, error) {
	files := []string{path}
	if planIsDir(path) {
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, nil, fmt.Errorf("--catalogue: %w", err)
		}
		files = files[:0]
		for _, ent := range entries {
			switch strings.ToLower(filepath.Ext(ent.Name())) {
			case ".csv", ".json":
				if !ent.IsDir() {
					files = append(files, filepath.Join(path, ent.Name()))
				}
			}
		}
		sort.Strings(files)
		if len(files) == 0 {
			return nil, nil, fmt.Errorf("--catalogue %s holds no .csv or .json file", path)
		}
	}
	resolve := func(text string) []string {
		var ids []string
		for _, r := range ex.Detect(text) {
			ids = append(ids, r.CompetencyID)
		}
		return ids
	}
	var items []matcher.CatalogueItem
	var warnings []string
	seen := map[string]string{}
	for _, f := range files {
		b, err := readLimited(f, 32<<20)
		if err != nil {
			return nil, nil, fmt.Errorf("--catalogue: %w", err)
		}
		var got []matcher.CatalogueItem
		if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
			var warns []string
			got, warns, err = matcher.ReadAchievementCatalogue(b, f, tax, resolve, matcher.AchievementOptions{})
			warnings = append(warnings, warns...)
		} else {
			got, err = matcher.ReadCatalogueCSV(strings.NewReader(string(b)), f, tax, resolve)
		}
		if err != nil {
			return nil, nil, err
		}
		for _, it := range got {
			if first, dup := seen[it.ID]; dup {
				return nil, nil, fmt.Errorf("--catalogue: item %q of %s is also in %s; item IDs must be unique", it.ID, it.Source, first)
			}
			seen[it.ID] = it.Source
		}
		items = append(items, got...)
	}
	return items, warnings, nil
}

func planIsDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func planSplitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.ToLower(strings.TrimSpace(v)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// money formats an amount with the plan's currency.
func planMoney(v float64, currency string) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	if currency != "" {
		s += " " + currency
	}
	return s
}

func writePlanTable(w io.Writer, r planReport) error {
	g, p := r.gaps, r.Plan
	fmt.Fprintf(w, "%s — %d requirements, %s: %d people\n\n", r.Role.Title, len(r.Role.Requirements), r.Staff, len(g.People))

	fmt.Fprintln(w, "Coverage (people who meet each requirement; * = at most one: a bus-factor risk)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REQUIREMENT\tMUST\tMET\tPARTLY\tLACKING\t")
	for _, c := range g.Coverage {
		must := ""
		if c.Must {
			must = "yes"
		}
		risk := ""
		if c.AtRisk {
			risk = " *"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d%s\t%d\t%d\t\n", c.Label, must, c.Holders, risk, len(c.Partly), len(c.Lacking))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nHeatmap (fit per person and requirement: ■ met, ▒ partly, · missing)")
	h := r.Heatmap
	tw = tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprint(tw, "PERSON\tSCORE\t")
	for j := range h.Requirements {
		fmt.Fprintf(tw, "R%d\t", j+1)
	}
	fmt.Fprintln(tw)
	for i, name := range h.People {
		fmt.Fprintf(tw, "%s\t%.1f\t", name, g.People[i].Score)
		for j := range h.Requirements {
			mark := "·"
			switch h.Outcome[i][j] {
			case matcher.OutcomeMet:
				mark = "■"
			case matcher.OutcomePartly:
				mark = "▒"
			}
			fmt.Fprintf(tw, "%s%.2f\t", mark, h.Fit[i][j])
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for j, label := range h.Requirements {
		fmt.Fprintf(w, "  R%d %s (%s)\n", j+1, label, h.Competencies[j])
	}

	fmt.Fprintf(w, "\nPlan: %s\n", p.Summary())
	if len(p.Steps) > 0 {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "PERSON\tITEM\tPROVIDER\tFORMAT\tHOURS\tCOST\tCLOSES")
		for _, s := range p.Steps {
			name := s.Name
			if name == "" {
				name = s.Person
			}
			var closes []string
			for _, c := range s.Closes {
				txt := c.Label
				if c.Relation != matcher.RelExact {
					txt += " (via " + c.Via + ", " + string(c.Relation) + ")"
				}
				closes = append(closes, txt)
			}
			title := s.Item.Title + " [" + s.Item.ID + "]"
			if s.Item.StackableInto != "" {
				title += " ⇢ " + s.Item.StackableInto
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, title, s.Item.Provider, s.Item.Format,
				strconv.FormatFloat(s.Item.Hours, 'f', -1, 64), planMoney(s.Item.Cost, s.Item.Currency), strings.Join(closes, "; "))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(p.Open) > 0 {
		fmt.Fprintln(w, "\nStill open:")
		for _, o := range p.Open {
			name := o.Name
			if name == "" {
				name = o.Person
			}
			kind := "asset"
			if o.Must {
				kind = "must-have"
			}
			fmt.Fprintf(w, "  %s — %s (%s, %s): %s\n", name, o.Label, kind, o.Outcome, o.Note)
		}
	}
	return nil
}
