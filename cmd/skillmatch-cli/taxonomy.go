package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// taxonomySubs are the subcommands of "taxonomy", in the order help lists
// them (set by init: they refer to it for their flags).
var taxonomySubs []*command

func init() {
	taxonomySubs = []*command{
		{name: "taxonomy stats", usage: "[--format text|json]",
			summary: "count competencies, labels per language, relations, depth, kinds and occupations", run: runTaxStats},
		{name: "taxonomy search", usage: "[--lang LANG] [--limit N] [--format text|json] QUERY...",
			summary: "find competencies by label (any language; case and accents ignored); exit 1 when none matches", run: runTaxSearch},
		{name: "taxonomy show", usage: "[--lang LANG] [--format text|json] ID",
			summary: "show a competency (ID, ESCO URI or O*NET element ID): labels, parents, children, related, refs", run: runTaxShow},
		{name: "taxonomy export", usage: "[--format json|csv] [--out FILE]",
			summary: "write the taxonomy in the JSON or CSV form that json:FILE and csv:FILE read back", run: runTaxExport},
		{name: "taxonomy occupations", usage: "[--lang LANG] [--limit N] [--format text|json] [QUERY...]",
			summary: "list occupation profiles, or those whose labels contain QUERY; exit 1 when none matches", run: runTaxOccupations},
		{name: "taxonomy occupation", usage: "[--lang LANG] [--format text|json] ID",
			summary: "show an occupation profile with its essential and optional competencies", run: runTaxOccupation},
	}
	names := make([]string, len(taxonomySubs))
	for i, s := range taxonomySubs {
		names[i] = strings.TrimPrefix(s.name, "taxonomy ")
	}
	register(&command{
		name:    "taxonomy",
		usage:   strings.Join(names, "|") + " [flags] [args]",
		summary: "inspect and export the competency taxonomy chosen with --taxonomy",
		run:     runTaxonomy,
	})
}

// taxSubcommandList describes every subcommand, for usage errors.
func taxSubcommandList() string {
	var b strings.Builder
	b.WriteString("subcommands:")
	for _, s := range taxonomySubs {
		fmt.Fprintf(&b, "\n  %s %s\n      %s", s.name, s.usage, s.summary)
	}
	return b.String()
}

func runTaxonomy(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("missing subcommand; %s", taxSubcommandList())
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, taxSubcommandList())
		return nil
	}
	for _, s := range taxonomySubs {
		if strings.TrimPrefix(s.name, "taxonomy ") == args[0] {
			return s.run(e, args[1:])
		}
	}
	return usagef("unknown subcommand %q; %s", args[0], taxSubcommandList())
}

// taxSub returns the subcommand's description, for its flag set.
func taxSub(name string) *command {
	for _, s := range taxonomySubs {
		if s.name == "taxonomy "+name {
			return s
		}
	}
	panic("skillmatch-cli: no taxonomy subcommand " + name)
}

func checkTaxFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usagef("--format must be %s, not %q", strings.Join(allowed, " or "), format)
}

// writeJSON writes v as indented JSON without HTML escaping. Other commands
// of the package use it too.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// taxStatsJSON is `taxonomy stats --format json`.
type taxStatsJSON struct {
	Name string `json:"name"`
	taxonomy.Stats
	Notes []string `json:"notes,omitempty"`
}

func runTaxStats(e *env, args []string) error {
	fs := e.flags(taxSub("stats"))
	format := fs.String("format", "text", "output format: text or json")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	if err := checkTaxFormat(*format, "text", "json"); err != nil {
		return err
	}
	t, err := e.taxonomy()
	if err != nil {
		return err
	}
	s := t.Stats()
	if *format == "json" {
		return writeJSON(e.stdout, taxStatsJSON{Name: t.Name, Stats: s, Notes: t.Notes})
	}
	w := e.stdout
	fmt.Fprintf(w, "taxonomy:      %s\n", t.Name)
	fmt.Fprintf(w, "competencies:  %d\n", s.Competencies)
	langs := make([]string, 0, len(s.Labels))
	for lg := range s.Labels {
		langs = append(langs, lg)
	}
	sort.Strings(langs)
	var parts []string
	for _, lg := range langs {
		parts = append(parts, fmt.Sprintf("%s %d", lg, s.Labels[lg]))
	}
	fmt.Fprintf(w, "labels:        %s\n", strings.Join(parts, ", "))
	parts = parts[:0]
	for _, k := range taxonomy.Kinds {
		if n := s.Kinds[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
		}
	}
	fmt.Fprintf(w, "kinds:         %s\n", strings.Join(parts, ", "))
	fmt.Fprintf(w, "broader:       %d\n", s.Broader)
	fmt.Fprintf(w, "related:       %d\n", s.Related)
	fmt.Fprintf(w, "roots:         %d\n", s.Roots)
	fmt.Fprintf(w, "max depth:     %d\n", s.MaxDepth)
	fmt.Fprintf(w, "occupations:   %d\n", s.Occupations)
	for _, n := range t.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

// taxSearchJSON is one result of `taxonomy search --format json`.
type taxSearchJSON struct {
	ID      string        `json:"id"`
	Kind    taxonomy.Kind `json:"kind"`
	Label   string        `json:"label"`
	Matched string        `json:"matched"`
	Lang    string        `json:"lang"`
	Score   int           `json:"score"`
}

func runTaxSearch(e *env, args []string) error {
	fs := e.flags(taxSub("search"))
	lang := fs.String("lang", "en", "language of the labels shown")
	limit := fs.Int("limit", 20, "show at most N results (0: all)")
	format := fs.String("format", "text", "output format: text (tab-separated: id, kind, label, matched label) or json")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := checkTaxFormat(*format, "text", "json"); err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(rest, " "))
	if query == "" {
		return usagef("missing QUERY")
	}
	t, err := e.taxonomy()
	if err != nil {
		return err
	}
	matches := t.Search(query, *limit)
	if len(matches) == 0 {
		fmt.Fprintf(e.stderr, "no competency matches %q\n", query)
		return exitError{1}
	}
	if *format == "json" {
		out := make([]taxSearchJSON, len(matches))
		for i, m := range matches {
			out[i] = taxSearchJSON{ID: m.Competency.ID, Kind: m.Competency.Kind, Label: m.Competency.Label(*lang), Matched: m.Label, Lang: m.Lang, Score: m.Score}
		}
		return writeJSON(e.stdout, out)
	}
	for _, m := range matches {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s (%s)\n", m.Competency.ID, m.Competency.Kind, m.Competency.Label(*lang), m.Label, m.Lang)
	}
	return nil
}

// findCompetency resolves an ID given on the command line (a competency ID
// or an external reference); when there is none, it suggests labels that
// match.
func findCompetency(e *env, t *taxonomy.Taxonomy, id string) (*taxonomy.Competency, error) {
	if c, ok := t.Lookup(id); ok {
		return c, nil
	}
	fmt.Fprintf(e.stderr, "no competency with ID %q in %s\n", id, t.Name)
	if ms := t.Search(id, 5); len(ms) > 0 {
		fmt.Fprintln(e.stderr, "labels that match:")
		for _, m := range ms {
			label := m.Competency.Label(m.Lang)
			if m.Label != label {
				label += fmt.Sprintf(" (%q)", m.Label)
			}
			fmt.Fprintf(e.stderr, "  %s\t%s\n", m.Competency.ID, label)
		}
	}
	return nil, exitError{1}
}

// taxShowJSON is `taxonomy show --format json`: the competency with its
// derived narrower list.
type taxShowJSON struct {
	*taxonomy.Competency
	Narrower []string `json:"narrower,omitempty"`
}

func runTaxShow(e *env, args []string) error {
	fs := e.flags(taxSub("show"))
	lang := fs.String("lang", "en", "language of the labels of parents, children and related")
	format := fs.String("format", "text", "output format: text or json")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := checkTaxFormat(*format, "text", "json"); err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("give exactly one ID")
	}
	t, err := e.taxonomy()
	if err != nil {
		return err
	}
	c, err := findCompetency(e, t, rest[0])
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(e.stdout, taxShowJSON{Competency: c, Narrower: c.Narrower})
	}
	w := e.stdout
	fmt.Fprintf(w, "id:    %s\nkind:  %s\n", c.ID, c.Kind)
	fmt.Fprintln(w, "labels:")
	for _, lg := range c.Languages() {
		l := c.Labels[lg]
		fmt.Fprintf(w, "  %s: %s\n", lg, l.Preferred)
		if len(l.Alt) > 0 {
			fmt.Fprintf(w, "      also: %s\n", strings.Join(l.Alt, "; "))
		}
		if len(l.Hidden) > 0 {
			fmt.Fprintf(w, "      hidden: %s\n", strings.Join(l.Hidden, "; "))
		}
	}
	if len(c.Description) > 0 {
		fmt.Fprintln(w, "description:")
		langs := make([]string, 0, len(c.Description))
		for lg := range c.Description {
			langs = append(langs, lg)
		}
		sort.Strings(langs)
		for _, lg := range langs {
			fmt.Fprintf(w, "  %s: %s\n", lg, strings.ReplaceAll(c.Description[lg], "\n", "\n      "))
		}
	}
	list := func(title string, cs []*taxonomy.Competency) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(w, "%s (%d):\n", title, len(cs))
		for _, x := range cs {
			fmt.Fprintf(w, "  %s\t%s\n", x.ID, x.Label(*lang))
		}
	}
	list("parents", t.Parents(c.ID))
	list("children", t.Children(c.ID))
	list("related", t.Related(c.ID))
	if len(c.Refs) > 0 {
		fmt.Fprintln(w, "refs:")
		for _, r := range c.Refs {
			fmt.Fprintf(w, "  %s\t%s\n", r.Scheme, r.ID)
		}
	}
	return nil
}

func runTaxExport(e *env, args []string) (err error) {
	fs := e.flags(taxSub("export"))
	format := fs.String("format", "json", "output format: json or csv")
	out := fs.String("out", "", "write to FILE instead of standard output")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	if err := checkTaxFormat(*format, "json", "csv"); err != nil {
		return err
	}
	t, err := e.taxonomy()
	if err != nil {
		return err
	}
	w := e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = cerr
			}
		}()
		w = f
	}
	if *format == "csv" {
		return taxonomy.WriteCSV(w, t)
	}
	return taxonomy.WriteJSON(w, t)
}

// taxOccupationJSON is one occupation in `taxonomy occupations --format json`.
type taxOccupationJSON struct {
	ID        string `json:"id"`
	Code      string `json:"code,omitempty"`
	Label     string `json:"label"`
	Essential int    `json:"essential"`
	Optional  int    `json:"optional"`
}

func runTaxOccupations(e *env, args []string) error {
	fs := e.flags(taxSub("occupations"))
	lang := fs.String("lang", "en", "language of the labels shown")
	limit := fs.Int("limit", 0, "show at most N occupations (0: all)")
	format := fs.String("format", "text", "output format: text (tab-separated: id, code, label, essential, optional) or json")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := checkTaxFormat(*format, "text", "json"); err != nil {
		return err
	}
	t, err := e.taxonomy()
	if err != nil {
		return err
	}
	query := taxonomy.Fold(strings.TrimSpace(strings.Join(rest, " ")))
	var list []*taxonomy.Occupation
	for _, o := range t.Occupations() {
		if query == "" || taxOccupationMatches(o, query) {
			list = append(list, o)
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := taxonomy.Fold(list[i].Label(*lang)), taxonomy.Fold(list[j].Label(*lang))
		if a != b {
			return a < b
		}
		return list[i].ID < list[j].ID
	})
	if len(list) == 0 {
		if query == "" {
			fmt.Fprintf(e.stderr, "%s has no occupation profiles (ESCO and O*NET imports do)\n", t.Name)
		} else {
			fmt.Fprintf(e.stderr, "no occupation matches %q\n", strings.Join(rest, " "))
		}
		return exitError{1}
	}
	if *limit > 0 && len(list) > *limit {
		list = list[:*limit]
	}
	if *format == "json" {
		out := make([]taxOccupationJSON, len(list))
		for i, o := range list {
			out[i] = taxOccupationJSON{ID: o.ID, Code: o.Code, Label: o.Label(*lang), Essential: len(o.Essential), Optional: len(o.Optional)}
		}
		return writeJSON(e.stdout, out)
	}
	for _, o := range list {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%d essential\t%d optional\n", o.ID, o.Code, o.Label(*lang), len(o.Essential), len(o.Optional))
	}
	return nil
}

func taxOccupationMatches(o *taxonomy.Occupation, folded string) bool {
	for _, l := range o.Labels {
		for _, s := range l.All() {
			if strings.Contains(taxonomy.Fold(s), folded) {
				return true
			}
		}
	}
	return strings.Contains(taxonomy.Fold(o.ID), folded) || o.Code == folded
}

// taxOccupationDetailJSON is `taxonomy occupation --format json`.
type taxOccupationDetailJSON struct {
	*taxonomy.Occupation
	EssentialDetail []taxCompetencyRef `json:"essential_detail"`
	OptionalDetail  []taxCompetencyRef `json:"optional_detail"`
}

type taxCompetencyRef struct {
	ID    string        `json:"id"`
	Kind  taxonomy.Kind `json:"kind"`
	Label string        `json:"label"`
}

func runTaxOccupation(e *env, args []string) error {
	fs := e.flags(taxSub("occupation"))
	lang := fs.String("lang", "en", "language of the labels shown")
	format := fs.String("format", "text", "output format: text or json")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := checkTaxFormat(*format, "text", "json"); err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("give exactly one occupation ID (see taxonomy occupations)")
	}
	t, err := e.taxonomy()
	if err != nil {
		return err
	}
	o, ok := t.Occupation(rest[0])
	if !ok {
		fmt.Fprintf(e.stderr, "no occupation with ID %q in %s; list them with: skillmatch-cli taxonomy occupations QUERY\n", rest[0], t.Name)
		return exitError{1}
	}
	refs := func(ids []string) []taxCompetencyRef {
		out := make([]taxCompetencyRef, 0, len(ids))
		for _, id := range ids {
			c, _ := t.Get(id)
			out = append(out, taxCompetencyRef{ID: id, Kind: c.Kind, Label: c.Label(*lang)})
		}
		sort.SliceStable(out, func(i, j int) bool { return taxonomy.Fold(out[i].Label) < taxonomy.Fold(out[j].Label) })
		return out
	}
	ess, opt := refs(o.Essential), refs(o.Optional)
	if *format == "json" {
		return writeJSON(e.stdout, taxOccupationDetailJSON{Occupation: o, EssentialDetail: ess, OptionalDetail: opt})
	}
	w := e.stdout
	fmt.Fprintf(w, "id:     %s\n", o.ID)
	if o.Code != "" {
		fmt.Fprintf(w, "code:   %s\n", o.Code)
	}
	fmt.Fprintf(w, "label:  %s\n", o.Label(*lang))
	if l := o.Labels[*lang]; len(l.Alt) > 0 {
		fmt.Fprintf(w, "also:   %s\n", strings.Join(l.Alt, "; "))
	}
	if d := o.Description[*lang]; d != "" {
		fmt.Fprintf(w, "description: %s\n", d)
	}
	for _, part := range []struct {
		title string
		list  []taxCompetencyRef
	}{{"essential", ess}, {"optional", opt}} {
		fmt.Fprintf(w, "%s (%d):\n", part.title, len(part.list))
		for _, r := range part.list {
			fmt.Fprintf(w, "  %s\t%s\t%s\n", r.ID, r.Kind, r.Label)
		}
	}
	return nil
}
