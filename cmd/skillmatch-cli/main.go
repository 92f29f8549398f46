// Command skillmatch-cli is Skillmatch without a window: the same engine as
// the desktop app, for batch use and scripting. It builds with
// CGO_ENABLED=0.
//
// Usage:
//
//	skillmatch-cli [global flags] COMMAND [flags] [args]
//
// Global flags:
//
//	--taxonomy SPEC   competency taxonomy: default, esco:DIR, onet:DIR,
//	                  csv:FILE or json:FILE; several joined by + are merged
//	                  left to right (default "default")
//	--db FILE         workspace file (default: the one the desktop app opened
//	                  last, else ~/.local/share/skillmatch/workspace.skillmatch)
//
// Run "skillmatch-cli help" for the list of commands and
// "skillmatch-cli COMMAND -h" for the flags of one.
//
// Exit status: 0 on success, 1 when the command ran but found a problem
// (such as a credential that is not valid), 2 on a usage error.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// command is one subcommand. Each lives in its own file and registers itself
// from an init function.
type command struct {
	name    string // may contain a space for a sub-subcommand group, e.g. "taxonomy"
	usage   string // arguments after the name, e.g. "[--format json] FILE..."
	summary string // one line for "help"
	run     func(e *env, args []string) error
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("skillmatch-cli: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// env is what a command runs with: the streams and the global flags.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	taxonomySpec   string
	dbPath         string

	tax *taxonomy.Taxonomy
}

// taxonomy loads the taxonomy named by --taxonomy, once.
func (e *env) taxonomy() (*taxonomy.Taxonomy, error) {
	if e.tax != nil {
		return e.tax, nil
	}
	t, err := taxonomy.Open(e.taxonomySpec)
	if err != nil {
		return nil, fmt.Errorf("--taxonomy %s: %w", e.taxonomySpec, err)
	}
	e.tax = t
	return t, nil
}

// usageError is a mistake in how the command was called: exit status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// exitError ends the program with a status after the command has already
// reported what it found (e.g. verify found an invalid credential).
type exitError struct{ code int }

func (x exitError) Error() string { return fmt.Sprintf("exit status %d", x.code) }

// flags returns a FlagSet for the command that reports usage on e.stderr and
// returns errors rather than exiting.
func (e *env) flags(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: skillmatch-cli %s %s\n%s\n", c.name, c.usage, c.summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses the command's flags, allowing flags after positional
// arguments ("verify a.json --offline"), and turns flag errors into usage
// errors.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitError{0}
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		if args[0] == "--" {
			return append(rest, args[1:]...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// defaultDBPath is the workspace the desktop app opened last (as its Fyne
// preferences record it), else workspace.skillmatch in the user's data
// folder, which the desktop app also opens when it has no other.
func defaultDBPath() string {
	if dir, err := os.UserConfigDir(); err == nil {
		if b, err := os.ReadFile(filepath.Join(dir, "fyne", appID, "preferences.json")); err == nil {
			var prefs map[string]any
			if json.Unmarshal(b, &prefs) == nil {
				if p, ok := prefs["workspace"].(string); ok && p != "" {
					if _, err := os.Stat(p); err == nil {
						return p
					}
				}
			}
		}
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "workspace.skillmatch"
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "skillmatch", "workspace.skillmatch")
}

// appID is the desktop app's ID (FyneApp.toml); the CLI shares its folder.
const appID = "io.github.skillmatch.skillmatch"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	// Keep the extraction index of large taxonomies (ESCO) between runs; the
	// desktop app shares the same cache.
	if dir, err := matcher.DefaultIndexCacheDir(); err == nil {
		matcher.SetIndexCacheDir(dir)
	}
	global := flag.NewFlagSet("skillmatch-cli", flag.ContinueOnError)
	global.SetOutput(stderr)
	global.StringVar(&e.taxonomySpec, "taxonomy", "default", "competency taxonomy: default, esco:DIR, onet:DIR, csv:FILE, json:FILE; join several with + to merge")
	global.StringVar(&e.dbPath, "db", defaultDBPath(), "workspace file")
	global.Usage = func() { printHelp(stderr) }
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	rest := global.Args()
	if len(rest) == 0 {
		printHelp(stderr)
		return 2
	}
	if rest[0] == "help" {
		printHelp(stdout)
		return 0
	}
	c, ok := commands[rest[0]]
	if !ok {
		fmt.Fprintf(stderr, "skillmatch-cli: unknown command %q; run \"skillmatch-cli help\" for the list\n", rest[0])
		return 2
	}
	err := c.run(e, rest[1:])
	var ue usageError
	var xe exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &xe):
		return xe.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "skillmatch-cli %s: %s\nusage: skillmatch-cli %s %s\n", c.name, ue.msg, c.name, c.usage)
		return 2
	default:
		fmt.Fprintf(stderr, "skillmatch-cli %s: %v\n", c.name, err)
		return 1
	}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "usage: skillmatch-cli [--taxonomy SPEC] [--db FILE] COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-12s %s\n", n, c.summary)
		if c.usage != "" {
			fmt.Fprintf(w, "  %-12s   %s %s\n", "", n, strings.ReplaceAll(c.usage, "\n", " "))
		}
	}
	fmt.Fprintln(w, "\nglobal flags:\n  --taxonomy SPEC  default, esco:DIR, onet:DIR, csv:FILE, json:FILE (join with + to merge)\n  --db FILE        workspace file")
}
