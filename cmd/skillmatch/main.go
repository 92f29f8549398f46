// Command skillmatch is the Skillmatch desktop app: a recruiter pastes a job
// posting, sees the competencies it asks for, and browses the competency
// taxonomy. It wires the app package to a Fyne application; everything
// else lives in package app.
//
// Usage:
//
//	skillmatch [--screenshots DIR] [--db FILE] [--lang en|fr] [--timing]
//
// Without --db it opens the workspace used last, or on first start the demo
// workspace (created in $XDG_DATA_HOME/skillmatch). --screenshots DIR shows
// every screen of a fresh demo workspace (or of --db FILE) in turn, saves
// each as DIR/<screen>.png and exits. --timing
// prints the time from exec to the first window and to the workspace shown.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/skillmatch/skillmatch/app"
)

// appID is the application ID of FyneApp.toml.
const appID = "io.github.skillmatch.skillmatch"

func main() {
	shots := flag.String("screenshots", "", "save a PNG of every screen into `DIR` and exit")
	db := flag.String("db", "", "open (or create) the workspace `FILE` instead of the last one used")
	langFlag := flag.String("lang", "", "interface language, en or fr (default: Settings, else the system language)")
	timing := flag.Bool("timing", false, "print the time from exec to the first window shown")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "skillmatch: unexpected argument %q (see skillmatch -h)\n", flag.Arg(0))
		os.Exit(2)
	}

	if *timing {
		log.Printf("skillmatch: main started %s after exec", sinceExec())
	}
	fa := fyneapp.NewWithID(appID)
	if *timing {
		log.Printf("skillmatch: Fyne app created %s after exec", sinceExec())
	}
	opts := app.Options{Language: *langFlag, Workspace: *db, Temporary: *db != "" || *shots != ""}
	var scratch string // a fresh demo workspace for --screenshots, removed at exit
	switch {
	case opts.Workspace != "":
	case *shots != "":
		// Screenshots show what a new user sees: a fresh demo workspace,
		// never the user's own.
		dir, err := os.MkdirTemp("", "skillmatch-screenshots-")
		if err != nil {
			fmt.Fprintf(os.Stderr, "skillmatch: %v\n", err)
			os.Exit(1)
		}
		scratch = dir
		opts.Workspace, opts.CreateDemo = filepath.Join(dir, "demo.skillmatch"), true
	default:
		opts.Workspace, opts.CreateDemo = app.WorkspaceToOpen(fa)
	}
	ready := make(chan struct{})
	opts.OnWorkspace = func(path string) {
		if *timing || *shots != "" {
			log.Printf("skillmatch: workspace %s shown %s after exec", path, sinceExec())
		}
		select {
		case <-ready:
		default:
			close(ready)
		}
	}
	a := app.New(fa, opts)
	if *timing {
		log.Printf("skillmatch: window built %s after exec", sinceExec())
	}
	w := a.Window()

	exit := 0
	fa.Lifecycle().SetOnStarted(func() {
		fyne.Do(func() {
			if *timing || *shots != "" {
				log.Printf("skillmatch: first window shown %s after exec", sinceExec())
			}
		})
		if *shots == "" {
			return
		}
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			// Screenshots show the workspace: wait for it (creating the
			// demo workspace on a first start takes a while).
			select {
			case <-ready:
			case <-ctx.Done():
				log.Printf("skillmatch: the workspace did not open in time")
			}
			files, err := a.SaveScreenshots(ctx, *shots, app.ScreenshotOptions{Settle: 150 * time.Millisecond, MaxTries: 20})
			if err != nil {
				log.Printf("skillmatch: %v", err)
				exit = 1
			}
			log.Printf("skillmatch: %d screenshots in %s", len(files), *shots)
			fyne.Do(fa.Quit)
		}()
	})
	w.ShowAndRun()
	if scratch != "" {
		a.Close()
		os.RemoveAll(scratch)
	}
	os.Exit(exit)
}

// sinceExec returns how long ago the process was started, from
// /proc/self/stat (Linux; 10 ms resolution), or the time since main started
// where /proc is unavailable.
func sinceExec() time.Duration {
	stat, err1 := os.ReadFile("/proc/self/stat")
	up, err2 := os.ReadFile("/proc/uptime")
	if err1 != nil || err2 != nil {
		return time.Since(mainStart).Round(time.Millisecond)
	}
	// Field 22 (starttime, in clock ticks of 1/100 s) follows the command
	// name, which is in parentheses and may contain spaces.
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	upFields := strings.Fields(string(up))
	if len(fields) < 20 || len(upFields) == 0 {
		return time.Since(mainStart).Round(time.Millisecond)
	}
	start, err1 := strconv.ParseFloat(fields[19], 64)
	now, err2 := strconv.ParseFloat(upFields[0], 64)
	if err1 != nil || err2 != nil {
		return time.Since(mainStart).Round(time.Millisecond)
	}
	return time.Duration((now - start/100) * float64(time.Second)).Round(10 * time.Millisecond)
}

var mainStart = time.Now()
