package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/skillmatch/skillmatch/credential"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

func init() {
	register(&command{
		name:    "inspect",
		usage:   "[--format text|json] [--offline] [--documents DIR] [--trust FILE] [--now RFC3339] [--recipient EMAIL] FILE|FOLDER...",
		summary: "show what credentials say: the parsed record, its EU transparency profile, its competency evidence and a verification summary (files, folders, ZIPs, JSON arrays, roster CSVs)",
		run:     runInspect,
	})
}

// inspectItem is one line of `inspect --format json` (JSON Lines): one
// per credential, or per file/row/element that is not one.
type inspectItem struct {
	File         string                      `json:"file"`
	Path         string                      `json:"path"`
	Error        string                      `json:"error,omitempty"`
	Skipped      bool                        `json:"skipped,omitempty"`
	DuplicateOf  string                      `json:"duplicateOf,omitempty"`
	Credential   *inspectRecord              `json:"credential,omitempty"`
	Transparency *credential.Transparency    `json:"transparency,omitempty"`
	Verification *credential.Verification    `json:"verification,omitempty"`
	Competencies []inspectEvidence           `json:"competencies,omitempty"`
	Enclosed     []inspectEnclosedCredential `json:"enclosed,omitempty"`
}

// inspectEvidence is one competency the credential shows (see
// matcher.EvidenceFor), with the competency's label in the taxonomy.
type inspectEvidence struct {
	Competency string   `json:"competency"`
	Label      string   `json:"label"`
	Link       string   `json:"link"`
	Score      float64  `json:"score"`
	Source     string   `json:"source"`
	Spans      [][2]int `json:"spans,omitempty"`
	// Credential is the achievement that shows it, when it is an enclosed
	// credential of a CLR rather than the item itself.
	Credential string `json:"credential,omitempty"`
}

type inspectEnclosedCredential struct {
	Credential *inspectRecord `json:"credential"`
}

// inspectRecord is the Credential as shown to people: everything but the
// raw bytes and the decoded document.
type inspectRecord struct {
	Format         string                   `json:"format"`
	Fingerprint    string                   `json:"fingerprint"`
	ID             string                   `json:"id,omitempty"`
	Types          []string                 `json:"types,omitempty"`
	Name           string                   `json:"name,omitempty"`
	Description    string                   `json:"description,omitempty"`
	Issuer         credential.Issuer        `json:"issuer"`
	Subject        inspectSubject           `json:"subject"`
	Achievement    inspectAchievement       `json:"achievement"`
	Results        []credential.AwardResult `json:"results,omitempty"`
	Evidence       []credential.Evidence    `json:"evidence,omitempty"`
	IssuedAt       string                   `json:"issuedAt,omitempty"`
	ValidFrom      string                   `json:"validFrom,omitempty"`
	ValidUntil     string                   `json:"validUntil,omitempty"`
	Status         []credential.StatusEntry `json:"status,omitempty"`
	UndefinedTerms []string                 `json:"undefinedTerms,omitempty"`
	Image          string                   `json:"image,omitempty"`
	Bytes          int                      `json:"bytes"`
}

type inspectSubject struct {
	ID          string                  `json:"id,omitempty"`
	Name        string                  `json:"name,omitempty"`
	Identifiers []credential.Identifier `json:"identifiers,omitempty"`
}

type inspectAchievement struct {
	ID                string                         `json:"id,omitempty"`
	Name              string                         `json:"name,omitempty"`
	Description       string                         `json:"description,omitempty"`
	Criteria          credential.Criteria            `json:"criteria"`
	Type              string                         `json:"type,omitempty"`
	CreditsAvailable  float64                        `json:"creditsAvailable,omitempty"`
	Tags              []string                       `json:"tags,omitempty"`
	Alignments        []credential.Alignment         `json:"alignments,omitempty"`
	ResultDescription []credential.ResultDescription `json:"resultDescription,omitempty"`
	ImageURL          string                         `json:"imageUrl,omitempty"`
}

func runInspect(e *env, args []string) error {
	c := commands["inspect"]
	fs := e.flags(c)
	format := fs.String("format", "text", "output format: text or json (JSON Lines, one object per credential or skipped file)")
	vf := addVerifierFlags(fs, "verify as of this moment (RFC 3339) instead of now", true)
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("no files or folders given")
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	v, err := vf.verifier()
	if err != nil {
		return err
	}
	tax, err := e.taxonomy()
	if err != nil {
		return err
	}
	ctx := context.Background()
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	problems := 0
	for _, p := range paths {
		items, err := credential.ReadPathContext(ctx, p)
		if err != nil {
			fmt.Fprintf(e.stderr, "skillmatch-cli inspect: %v\n", err)
			problems++
			continue
		}
		for _, it := range items {
			out := inspectOne(ctx, v, tax, it)
			if out.Error != "" {
				problems++
			}
			if *format == "json" {
				if err := enc.Encode(out); err != nil {
					return err
				}
			} else {
				printInspectText(e.stdout, out)
			}
		}
	}
	if problems > 0 {
		return exitError{1}
	}
	return nil
}

// inspectOne verifies an item first (verification fills in the linked
// parts of an Open Badges 2.0 assertion), then describes it.
func inspectOne(ctx context.Context, v *credential.Verifier, tax *taxonomy.Taxonomy, it credential.Item) inspectItem {
	out := inspectItem{File: it.File, Path: it.Path, DuplicateOf: it.DuplicateOf}
	if it.Err != nil {
		out.Error = it.Err.Error()
		out.Skipped = errors.Is(it.Err, credential.ErrNotCredential)
		return out
	}
	c := it.Credential
	ver := v.Verify(ctx, c)
	tp := credential.TransparencyOf(c)
	out.Credential = inspectRecordOf(c)
	out.Transparency = &tp
	out.Verification = &ver
	ref := matcher.RefFor(c, ver)
	for _, ev := range matcher.EvidenceFor(tax, matcher.For(tax), c, ver) {
		ie := inspectEvidence{Competency: ev.CompetencyID, Link: string(ev.Link), Score: ev.Score, Source: ev.Source, Spans: ev.Spans}
		if comp, ok := tax.Get(ev.CompetencyID); ok {
			ie.Label = comp.Label("en")
		}
		if ev.Credential.ID != ref.ID {
			ie.Credential = ev.Credential.Name
		}
		out.Competencies = append(out.Competencies, ie)
	}
	if c.Format == credential.FormatCLR || c.Format == credential.FormatRoster {
		for _, in := range c.Inner {
			out.Enclosed = append(out.Enclosed, inspectEnclosedCredential{Credential: inspectRecordOf(in)})
		}
	}
	return out
}

func inspectRecordOf(c *credential.Credential) *inspectRecord {
	a := c.Achievement
	r := &inspectRecord{
		Format: string(c.Format), Fingerprint: c.Fingerprint(), ID: c.ID, Types: c.Types,
		Name: c.Name, Description: c.Description, Issuer: c.Issuer,
		Subject: inspectSubject{ID: c.Subject.ID, Name: c.Subject.Name, Identifiers: c.Subject.Identifiers},
		Achievement: inspectAchievement{
			ID: a.ID, Name: a.Name, Description: a.Description, Criteria: a.Criteria, Type: a.AchievementType,
			CreditsAvailable: a.CreditsAvailable, Tags: a.Tags, Alignments: a.Alignments,
			ResultDescription: a.ResultDescription, ImageURL: a.ImageURL,
		},
		Results: c.Results, Evidence: c.Evidence, Status: c.Status, UndefinedTerms: c.UndefinedTerms,
		IssuedAt: inspectTime(c.IssuedAt), ValidFrom: inspectTime(c.ValidFrom), ValidUntil: inspectTime(c.ValidUntil),
		Bytes: len(c.Raw),
	}
	if len(c.Image) > 0 {
		kind := "PNG"
		if b, err := credential.Unbake(c.Image); err == nil && b.Container == "svg" {
			kind = "SVG"
		}
		r.Image = fmt.Sprintf("baked %s, %d bytes", kind, len(c.Image))
	}
	return r
}

// inspectTime shows a date alone when it is midnight UTC (as most badges
// give only a day), else RFC 3339.
func inspectTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

func printInspectText(w io.Writer, it inspectItem) {
	if it.Error != "" {
		what := "ERROR"
		if it.Skipped {
			what = "SKIPPED (not a credential)"
		}
		fmt.Fprintf(w, "== %s: %s\n  %s\n\n", it.Path, what, strings.ReplaceAll(it.Error, "\n", "\n  "))
		return
	}
	r := it.Credential
	fmt.Fprintf(w, "== %s: %s (%s)\n", it.Path, strings.ToUpper(string(it.Verification.Status)), r.Format)
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "  %-13s %s\n", label+":", value)
		}
	}
	if it.DuplicateOf != "" {
		line("duplicate of", it.DuplicateOf)
	}
	line("id", r.ID)
	issuer := r.Issuer.Name
	if r.Issuer.ID != "" {
		issuer = strings.TrimSpace(issuer + " <" + r.Issuer.ID + ">")
	}
	line("issuer", issuer)
	line("recipient", inspectRecipient(r.Subject))
	line("achievement", r.Achievement.Name)
	line("type", r.Achievement.Type)
	line("description", inspectShort(r.Achievement.Description))
	crit := r.Achievement.Criteria.Narrative
	if crit == "" {
		crit = r.Achievement.Criteria.ID
	}
	line("criteria", inspectShort(crit))
	if r.Achievement.CreditsAvailable > 0 {
		line("credits", fmt.Sprintf("%g", r.Achievement.CreditsAvailable))
	}
	line("tags", strings.Join(r.Achievement.Tags, ", "))
	for _, a := range r.Achievement.Alignments {
		target := a.TargetURL
		if target == "" {
			target = a.TargetCode
		}
		desc := target
		if a.TargetName != "" {
			desc = fmt.Sprintf("%s (%s)", a.TargetName, target)
		}
		if a.TargetFramework != "" {
			desc = "[" + a.TargetFramework + "] " + desc
		}
		line("alignment", desc)
	}
	line("issued", r.IssuedAt)
	line("expires", r.ValidUntil)
	line("image", r.Image)
	line("fingerprint", r.Fingerprint)
	for _, u := range r.UndefinedTerms {
		line("unsigned term", u+" (not covered by the signature; ignored)")
	}
	fmt.Fprintf(w, "  transparency: %s\n", it.Transparency)
	for _, e := range it.Transparency.Elements {
		mark, detail := "-", "missing"
		if e.Present {
			mark = "+"
			detail = fmt.Sprintf("%s  [%s]", e.Value, e.Where)
			if e.FreeText {
				detail = fmt.Sprintf("%s  [free text in %s]", e.Value, e.Where)
			}
		}
		fmt.Fprintf(w, "    %s %-30s %s\n", mark, e.Label, detail)
	}
	if len(it.Competencies) == 0 {
		fmt.Fprintf(w, "  competencies: none found in the taxonomy\n")
	} else {
		fmt.Fprintf(w, "  competencies: %d\n", len(it.Competencies))
	}
	for _, ev := range it.Competencies {
		how := fmt.Sprintf("alignment %s", ev.Source)
		if ev.Link != "alignment" {
			how = fmt.Sprintf("%s %.2f in %s", ev.Link, ev.Score, ev.Source)
		}
		if ev.Credential != "" {
			how += " of " + ev.Credential
		}
		fmt.Fprintf(w, "    %s %q  [%s]\n", ev.Competency, ev.Label, how)
	}
	fmt.Fprintf(w, "  verification: %s\n", it.Verification.Status)
	for _, k := range it.Verification.Checks {
		fmt.Fprintf(w, "    %-4s %-12s %s\n", k.Result, k.Name, k.Detail)
	}
	for i, in := range it.Enclosed {
		fmt.Fprintf(w, "  enclosed %d: %s (%s) %s\n", i+1, in.Credential.Achievement.Name, in.Credential.Format, in.Credential.ID)
	}
	fmt.Fprintln(w)
}

func inspectRecipient(s inspectSubject) string {
	var parts []string
	if s.Name != "" {
		parts = append(parts, s.Name)
	}
	if s.ID != "" {
		parts = append(parts, s.ID)
	}
	for _, id := range s.Identifiers {
		if id.Hashed {
			alg, _, _ := strings.Cut(id.Identity, "$")
			salted := "unsalted"
			if id.Salt != "" {
				salted = "salted"
			}
			parts = append(parts, fmt.Sprintf("%s hashed with %s (%s)", id.IdentityType, alg, salted))
		} else if !strings.EqualFold("mailto:"+id.Identity, s.ID) && id.Identity != s.ID {
			parts = append(parts, id.Identity)
		}
	}
	return strings.Join(parts, ", ")
}

func inspectShort(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 100 {
		return string(r[:99]) + "…"
	}
	return s
}
