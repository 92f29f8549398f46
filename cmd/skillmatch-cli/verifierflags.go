package main

import (
	"flag"
	"os"
	"path/filepath"
	"time"

	"github.com/skillmatch/skillmatch/credential"
)

// verifierFlags are the flags of every command that verifies credentials:
// --offline, --documents, --trust, --now and, where the command checks who
// a credential names, --recipient.
type verifierFlags struct {
	offline   *bool
	documents *string
	trust     *string
	now       *string
	recipient *string // nil when the command has no --recipient
}

// addVerifierFlags defines the verification flags on fs; nowHelp says what
// --now changes for this command.
func addVerifierFlags(fs *flag.FlagSet, nowHelp string, recipient bool) *verifierFlags {
	f := &verifierFlags{
		offline:   fs.Bool("offline", false, `never use the network; checks that need it read "not checked: offline"`),
		documents: fs.String("documents", "", "document cache folder (index.json maps URL → file), consulted before the network (default: the user cache folder, which keeps pinned contexts fetched on first use)"),
		trust:     fs.String("trust", "", `trust list JSON file: {"issuers": [{"id": …, "name": …, "note": …}]}`),
		now:       fs.String("now", "", nowHelp),
	}
	if recipient {
		f.recipient = fs.String("recipient", "", "applicant's e-mail (or other identifier) the credentials must name")
	}
	return f
}

// at returns the moment --now names, or the zero time when it is not set.
func (f *verifierFlags) at() (time.Time, error) {
	if *f.now == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, *f.now)
	if err != nil {
		return time.Time{}, usagef("--now %q is not an RFC 3339 time such as 2025-01-31T12:00:00Z", *f.now)
	}
	return t, nil
}

// verifier builds the Verifier the flags describe. Without --documents, the
// user's cache folder answers first and keeps the pinned contexts fetched
// on first use (CLR 2.0) for the next run.
func (f *verifierFlags) verifier() (*credential.Verifier, error) {
	v := &credential.Verifier{Offline: *f.offline}
	if f.recipient != nil {
		v.Recipient = *f.recipient
	}
	at, err := f.at()
	if err != nil {
		return nil, err
	}
	v.Now = at
	if *f.documents != "" {
		if st, err := os.Stat(*f.documents); err != nil || !st.IsDir() {
			return nil, usagef("--documents %s is not a folder", *f.documents)
		}
		if v.Documents, err = credential.OpenDocumentCache(*f.documents); err != nil {
			return nil, usagef("--documents: %v", err)
		}
	} else if dir, err := os.UserCacheDir(); err == nil {
		if d, err := credential.OpenDocumentCache(filepath.Join(dir, "skillmatch", "documents")); err == nil {
			v.Documents = d
		}
	}
	if *f.trust != "" {
		if v.Trust, err = credential.LoadTrustList(*f.trust); err != nil {
			return nil, usagef("--trust: %v", err)
		}
	}
	v.ShareStatusLists() // rank verifies with a copy of v per applicant
	return v, nil
}
