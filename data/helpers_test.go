package data

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var (
	demoOnce sync.Once
	demoFile string
	demoErr  error
)

// demoCopy returns a private copy of the demo workspace (built once per test
// binary, which takes a few seconds because every credential is verified).
func demoCopy(t testing.TB) string {
	t.Helper()
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "skillmatch-data-test-")
		if err != nil {
			demoErr = err
			return
		}
		demoFile = filepath.Join(dir, "demo.db")
		_, demoErr = CreateDemo(context.Background(), demoFile)
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	dst := filepath.Join(t.TempDir(), "workspace.db")
	if err := copyFile(demoFile, dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

func openDemo(t testing.TB) *Store {
	t.Helper()
	s, err := Open(demoCopy(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openEmpty(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		crashChild()
		return
	}
	if os.Getenv(concurrentChildEnv) != "" {
		concurrentChild()
		return
	}
	code := m.Run()
	if demoFile != "" {
		os.RemoveAll(filepath.Dir(demoFile))
	}
	if scaleTemp != "" {
		os.RemoveAll(scaleTemp)
	}
	os.Exit(code)
}
