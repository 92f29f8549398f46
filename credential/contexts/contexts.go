// Package contexts embeds the JSON-LD contexts that credential
// verification needs, so that verification works offline and never fetches
// a context a credential merely names.
//
// The contexts are not written or copied by us: fetch.sh takes them from
// the npm packages in which the reference implementers publish them, at the
// versions pinned (with SHA-256 digests) in pins.tsv, and writes them to
// generated/, which is git-ignored and embedded here. Run
//
//	sh credential/contexts/fetch.sh
//
// before building (the Makefile does). Contexts that no package publishes
// (CLR 2.0, and the later in-place revision of OB 3.0.3) are listed in
// Remote with pinned digests; the credential package fetches them from
// their canonical URL on first use and caches them.
package contexts

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:generate sh fetch.sh

//go:embed generated
var generated embed.FS

var (
	loadOnce sync.Once
	byURL    map[string][]byte
	loadErr  error
)

func load() {
	byURL = map[string][]byte{}
	idx, err := generated.ReadFile("generated/index.tsv")
	if err != nil {
		loadErr = fmt.Errorf("embedded contexts have no index (run credential/contexts/fetch.sh and rebuild): %w", err)
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(idx))
	line := 0
	for sc.Scan() {
		line++
		url, file, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			loadErr = fmt.Errorf("generated/index.tsv line %d: expected url<TAB>file (rerun fetch.sh)", line)
			return
		}
		data, err := generated.ReadFile("generated/" + file)
		if err != nil {
			loadErr = fmt.Errorf("generated/index.tsv line %d: %w (rerun fetch.sh)", line, err)
			return
		}
		byURL[url] = data
	}
}

// Lookup returns the embedded context document for url.
func Lookup(url string) ([]byte, bool) {
	loadOnce.Do(load)
	d, ok := byURL[url]
	return d, ok
}

// Err reports whether the embedded contexts could be loaded.
func Err() error {
	loadOnce.Do(load)
	return loadErr
}

// URLs lists the URLs of the embedded contexts, sorted.
func URLs() []string {
	loadOnce.Do(load)
	out := make([]string, 0, len(byURL))
	for u := range byURL {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// RemotePin is a context that no package publishes: it is fetched from
// its canonical URL on first use and accepted only when the SHA-256 of its
// RFC 8785 (JCS) canonical form is one of Digests.
type RemotePin struct {
	URL string
	// Digests are hex SHA-256 digests of the JCS form of each accepted
	// revision of the context.
	Digests []string
	// Note says where the pin comes from.
	Note string
}

// Remote lists the pinned contexts fetched at first use.
var Remote = []RemotePin{
	{
		URL:     "https://purl.imsglobal.org/spec/clr/v2p0/context.json",
		Digests: []string{clrV2p0Digest},
		Note:    "CLR 2.0 context as served by 1EdTech (digest of the copy in 1EdTech/digital-credentials-public-validator)",
	},
	{
		URL:     "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
		Digests: []string{clrV2p0v201Digest},
		Note:    "CLR 2.0.1 context as served by 1EdTech",
	},
	{
		URL:     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
		Digests: []string{ob303LaterDigest},
		Note:    "later in-place revision of OB 3.0.3 (adds endorsementJwt and jti); the embedded one is the earlier revision published on npm",
	},
}

// RemoteFor returns the pin for url.
func RemoteFor(url string) (RemotePin, bool) {
	for _, p := range Remote {
		if p.URL == url {
			return p, true
		}
	}
	return RemotePin{}, false
}
