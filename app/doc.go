// Package app is Skillmatch's desktop user interface, built with Fyne.
//
// [New] builds the main window of a Skillmatch app around a fyne.App that
// the caller creates (cmd/skillmatch uses fyne.io/fyne/v2/app; tests use
// fyne.io/fyne/v2/test), so every screen can be driven headless with
// `CGO_ENABLED=0 go test -tags ci ./app/...`.
//
// Each screen keeps its state in plain Go types next to its widgets; long
// work (imports, searches over a large taxonomy) runs off the UI goroutine
// with a context.Context and hands its results back with fyne.Do.
//
// The interface speaks English and French. Strings live in
// translations/en.json and translations/fr.json (embedded, loaded through
// Fyne's lang package); the language follows the system unless the user
// picks one in Settings.
package app
