package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/skillmatch/skillmatch/credential"
)

func init() {
	register(&command{
		name:    "verify",
		usage:   "[--offline] [--documents DIR] [--trust FILE] [--now RFC3339] [--recipient EMAIL] [--format text|json] FILE|FOLDER... (files, folders, ZIPs, JSON arrays, roster CSVs)",
		summary: "verify micro-credentials (Open Badges, Verifiable Credentials, CLR); exit 0 when all are valid",
		run:     runVerify,
	})
}

// verifyResult is one line of `verify --format json` (JSON Lines).
type verifyResult struct {
	File        string           `json:"file"`
	Format      string           `json:"format"`
	Status      string           `json:"status"`
	Issuer      string           `json:"issuer"`
	Achievement string           `json:"achievement"`
	Checks      []verifyCheck    `json:"checks"`
	Inner       []verifyInnerRes `json:"inner,omitempty"`
	// DuplicateOf names an earlier item holding the same credential.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

type verifyInnerRes struct {
	Format      string        `json:"format"`
	Status      string        `json:"status"`
	Issuer      string        `json:"issuer"`
	Achievement string        `json:"achievement"`
	Checks      []verifyCheck `json:"checks"`
}

type verifyCheck struct {
	Name   string `json:"name"`
	Result string `json:"result"`
	Detail string `json:"detail"`
}

func runVerify(e *env, args []string) error {
	c := commands["verify"]
	fs := e.flags(c)
	vf := addVerifierFlags(fs, "verify as of this moment (RFC 3339, e.g. 2025-01-31T12:00:00Z) instead of now", true)
	format := fs.String("format", "text", "output format: text or json (JSON Lines, one object per file)")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no credential files given")
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	v, err := vf.verifier()
	if err != nil {
		return err
	}
	ctx := context.Background()
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	allValid := true
	for _, f := range files {
		for _, res := range verifyPath(ctx, v, f) {
			if res.Status != string(credential.StatusValid) {
				allValid = false
			}
			if *format == "json" {
				if err := enc.Encode(res); err != nil {
					return err
				}
			} else {
				printVerifyText(e.stdout, res)
			}
		}
	}
	if !allValid {
		return exitError{1}
	}
	return nil
}

// verifyPath reads a file, a folder (recursively) or a bundle (ZIP, JSON
// array, roster CSV) and verifies every credential in it, one result each.
// Files that are not credentials are reported with status "error", never
// dropped.
func verifyPath(ctx context.Context, v *credential.Verifier, path string) []verifyResult {
	items, err := credential.ReadPathContext(ctx, path)
	if err != nil {
		return []verifyResult{errorResult(path, err)}
	}
	if len(items) == 0 {
		return []verifyResult{errorResult(path, fmt.Errorf("%s holds no files", path))}
	}
	out := make([]verifyResult, 0, len(items))
	for _, it := range items {
		if it.Err != nil {
			out = append(out, errorResult(it.Path, it.Err))
			continue
		}
		out = append(out, verifyCredential(ctx, v, it.Path, it.DuplicateOf, it.Credential))
	}
	return out
}

func errorResult(path string, err error) verifyResult {
	return verifyResult{
		File:   path,
		Status: string(credential.StatusError),
		Checks: []verifyCheck{{Name: credential.CheckFormat, Result: string(credential.ResultFail), Detail: err.Error()}},
	}
}

// verifyCredential verifies one parsed credential, with the enclosed
// credentials of a CLR as inner results.
func verifyCredential(ctx context.Context, v *credential.Verifier, path, duplicateOf string, c *credential.Credential) verifyResult {
	res := verifyResult{File: path, DuplicateOf: duplicateOf}
	ver := v.Verify(ctx, c)
	res.Format, res.Status, res.Issuer, res.Achievement, res.Checks = summarize(c, ver)
	for i, in := range c.Inner {
		var iv credential.Verification
		if i < len(ver.Inner) {
			iv = ver.Inner[i]
		}
		var r verifyInnerRes
		r.Format, r.Status, r.Issuer, r.Achievement, r.Checks = summarize(in, iv)
		res.Inner = append(res.Inner, r)
	}
	return res
}

func summarize(c *credential.Credential, ver credential.Verification) (format, status, issuer, achievement string, checks []verifyCheck) {
	issuer = c.Issuer.ID
	if c.Issuer.Name != "" {
		issuer = c.Issuer.Name + " <" + c.Issuer.ID + ">"
	}
	achievement = c.Achievement.Name
	if achievement == "" {
		achievement = c.Name
	}
	checks = []verifyCheck{}
	for _, k := range ver.Checks {
		checks = append(checks, verifyCheck{Name: k.Name, Result: string(k.Result), Detail: k.Detail})
	}
	return string(c.Format), string(ver.Status), issuer, achievement, checks
}

func printVerifyText(w io.Writer, r verifyResult) {
	fmt.Fprintf(w, "%s: %s", r.File, strings.ToUpper(r.Status))
	if r.Format != "" {
		fmt.Fprintf(w, " (%s)", r.Format)
	}
	fmt.Fprintln(w)
	if r.Issuer != "" {
		fmt.Fprintf(w, "  issuer:      %s\n", r.Issuer)
	}
	if r.Achievement != "" {
		fmt.Fprintf(w, "  achievement: %s\n", r.Achievement)
	}
	for _, k := range r.Checks {
		fmt.Fprintf(w, "  %-4s %-12s %s\n", k.Result, k.Name, k.Detail)
	}
	for i, in := range r.Inner {
		fmt.Fprintf(w, "  enclosed credential %d: %s (%s) %s\n", i+1, strings.ToUpper(in.Status), in.Format, in.Achievement)
		for _, k := range in.Checks {
			fmt.Fprintf(w, "    %-4s %-12s %s\n", k.Result, k.Name, k.Detail)
		}
	}
}

// readLimited reads a whole file, refusing one larger than limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes; not a credential Skillmatch accepts", path, limit)
	}
	return data, nil
}
