package data

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// lockChildEnv names the workspace a child process of the test binary
// holds open (see lockChild).
const lockChildEnv = "SKILLMATCH_DATA_LOCK_CHILD"

// The child runs from init, before TestMain (which another file owns).
func init() {
	if os.Getenv(lockChildEnv) != "" {
		lockChild()
	}
}

// lockChild opens the workspace named by $SKILLMATCH_DATA_LOCK_CHILD,
// prints "open", and keeps it open until its standard input ends (then
// closes it, prints "closed" and exits) or it is killed.
func lockChild() {
	s, err := Open(os.Getenv(lockChildEnv))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	fmt.Println("open")
	io.Copy(io.Discard, os.Stdin)
	if err := s.Close(); err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	fmt.Println("closed")
	os.Exit(0)
}

// workspaceWithBackup creates a closed workspace whose "marker" setting is
// "current", and a backup of it taken when the marker was "backup".
func workspaceWithBackup(t *testing.T) (path, backup string) {
	t.Helper()
	dir := t.TempDir()
	path = filepath.Join(dir, "workspace.skillmatch")
	backup = filepath.Join(dir, "backup.skillmatch")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetSetting("marker", "backup"); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting("marker", "current"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, backup
}

// marker opens the workspace and returns its "marker" setting.
func marker(t *testing.T, path string) string {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var m string
	if _, err := s.Setting("marker", &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// fileState reads the workspace file and its write-ahead log (when there
// is one), to check that a refused operation changed neither.
func fileState(t *testing.T, path string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) && p != path {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

func sameState(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// procLocksReadable reports whether lock holders can be named here (Linux
// with /proc mounted).
func procLocksReadable() bool {
	if runtime.GOOS != "linux" {
		return false
	}
	_, err := os.Stat("/proc/locks")
	return err == nil
}

// checkInUse checks that err is the refusal for the workspace at path,
// naming the process pid where the system can say.
func checkInUse(t *testing.T, err error, path, advice string, pid int) {
	t.Helper()
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("got %v, want an error wrapping ErrInUse", err)
	}
	var iu *InUseError
	if !errors.As(err, &iu) {
		t.Fatalf("%v is not an *InUseError", err)
	}
	msg := err.Error()
	t.Logf("refused: %s", msg)
	want := path + " is open in another Skillmatch window or command"
	for _, w := range []string{want, advice} {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
	if procLocksReadable() {
		if !slices.Contains(iu.PIDs, pid) {
			t.Errorf("holders %v do not include pid %d", iu.PIDs, pid)
		}
		if !strings.Contains(msg, fmt.Sprintf("%d", pid)) {
			t.Errorf("error %q does not name pid %d", msg, pid)
		}
	}
}

func TestStoresShareWorkspace(t *testing.T) {
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprintf("%d stores", n), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "workspace.skillmatch")
			var stores []*Store
			for i := range n {
				s, err := Open(path)
				if err != nil {
					t.Fatalf("store %d: %v", i, err)
				}
				defer s.Close()
				stores = append(stores, s)
			}
			for i, s := range stores {
				if err := s.SetSetting(fmt.Sprintf("from%d", i), i); err != nil {
					t.Fatalf("store %d writes: %v", i, err)
				}
			}
			for i, s := range stores {
				for j := range stores {
					var v int
					if ok, err := s.Setting(fmt.Sprintf("from%d", j), &v); !ok || err != nil || v != j {
						t.Errorf("store %d reads store %d's setting: %d, %v, %v", i, j, v, ok, err)
					}
				}
			}
			for i, s := range stores {
				if err := s.Close(); err != nil {
					t.Errorf("closing store %d: %v", i, err)
				}
				if err := s.Close(); err != nil {
					t.Errorf("closing store %d again: %v", i, err)
				}
			}
			// The lock file stays (see lock.go for why).
			if _, err := os.Stat(path + ".lock"); err != nil {
				t.Errorf("lock file after Close: %v", err)
			}
		})
	}
}

func TestReplaceRefusedWhileOpen(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		advice string
		// replace replaces the workspace at path; backup is a backup of it.
		replace func(t *testing.T, path, backup string) error
		// want is the marker setting after a successful replacement.
		want string
	}{
		{
			name:    "restore",
			advice:  "close it and run restore again",
			replace: func(t *testing.T, path, backup string) error { return Restore(backup, path) },
			want:    "backup",
		},
		{
			name:   "backup over the workspace",
			advice: "close it, or choose another file for the backup",
			replace: func(t *testing.T, path, _ string) error {
				other, err := Open(filepath.Join(t.TempDir(), "other.skillmatch"))
				if err != nil {
					t.Fatal(err)
				}
				defer other.Close()
				if err := other.SetSetting("marker", "other"); err != nil {
					t.Fatal(err)
				}
				return other.Backup(ctx, path)
			},
			want: "other",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, backup := workspaceWithBackup(t)
			holder, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer holder.Close()
			// Leave a write in the holder's write-ahead log.
			if err := holder.SetSetting("unsaved", true); err != nil {
				t.Fatal(err)
			}
			before := fileState(t, path)
			err = tt.replace(t, path, backup)
			checkInUse(t, err, path, tt.advice, os.Getpid())
			if after := fileState(t, path); !sameState(before, after) {
				t.Error("the refused operation changed the workspace's files")
			}
			var m string
			if _, err := holder.Setting("marker", &m); err != nil || m != "current" {
				t.Errorf("the open store reads marker %q, %v; want current", m, err)
			}
			if err := holder.Close(); err != nil {
				t.Fatal(err)
			}
			if err := tt.replace(t, path, backup); err != nil {
				t.Fatalf("after Close: %v", err)
			}
			if m := marker(t, path); m != tt.want {
				t.Errorf("after replacing: marker %q, want %q", m, tt.want)
			}
			if _, err := os.Stat(path + ".lock"); err != nil {
				t.Errorf("lock file after replacing: %v", err)
			}
		})
	}
}

// TestBackupLeavesNoLockFile checks that an ordinary backup file gets no
// lock file beside it.
func TestBackupLeavesNoLockFile(t *testing.T) {
	_, backup := workspaceWithBackup(t)
	if _, err := os.Stat(backup + ".lock"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file beside a backup: %v", err)
	}
}

func TestCreateDemoRefusedWhileOpening(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.skillmatch")
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	// A program opening path holds the shared lock before the file exists.
	lk, err := sharedLock(abs, path)
	if err != nil {
		t.Fatal(err)
	}
	defer lk.release()
	_, err = CreateDemo(context.Background(), path)
	checkInUse(t, err, path, "close it, or choose another path for the demo workspace", os.Getpid())
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused CreateDemo left a file: %v", err)
	}
}

func TestOpenWhileReplaced(t *testing.T) {
	path, _ := workspaceWithBackup(t)
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	lk, err := exclusiveLock(abs, path, "close it and run restore again")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.release()
	saved := lockWait
	lockWait = 0
	defer func() { lockWait = saved }()
	s, err := Open(path)
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded while the file was being replaced")
	}
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "is being replaced") || !strings.Contains(err.Error(), path) {
		t.Errorf("Open while replaced: %v", err)
	}
	if err := lk.release(); err != nil {
		t.Fatal(err)
	}
	if m := marker(t, path); m != "current" {
		t.Errorf("after the replacement: marker %q", m)
	}
}

func TestLockHeldByChildProcess(t *testing.T) {
	tests := []struct {
		name string
		// letGo ends the child's hold on the workspace.
		letGo func(t *testing.T, cmd *exec.Cmd, stdin io.Closer, out *bufio.Scanner)
	}{
		{"killed", func(t *testing.T, cmd *exec.Cmd, _ io.Closer, _ *bufio.Scanner) {
			// SIGKILL on Unix: the child cannot release anything itself.
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
		}},
		{"closed", func(t *testing.T, cmd *exec.Cmd, stdin io.Closer, out *bufio.Scanner) {
			stdin.Close()
			if !out.Scan() || out.Text() != "closed" {
				t.Fatalf("child: %q", out.Text())
			}
			if err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, backup := workspaceWithBackup(t)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), lockChildEnv+"="+path)
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				cmd.Process.Kill()
				cmd.Wait()
			}()
			out := bufio.NewScanner(stdout)
			if !out.Scan() || out.Text() != "open" {
				t.Fatalf("child: %q", out.Text())
			}
			before := fileState(t, path)
			err = Restore(backup, path)
			checkInUse(t, err, path, "close it and run restore again", cmd.Process.Pid)
			if after := fileState(t, path); !sameState(before, after) {
				t.Error("the refused restore changed the workspace's files")
			}
			tt.letGo(t, cmd, stdin, out)
			if err := Restore(backup, path); err != nil {
				t.Fatalf("after the child let go: %v", err)
			}
			if m := marker(t, path); m != "backup" {
				t.Errorf("after restoring: marker %q, want backup", m)
			}
		})
	}
}

func TestProcLocksHolders(t *testing.T) {
	table, err := os.ReadFile(filepath.Join("testdata", "proc_locks.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                string
		major, minor, inode uint64
		want                []int
	}{
		// Waiting (->), POSIX, hidden (-1) and repeated entries are left out.
		{"two holders", 0x08, 0x02, 131090, []int{1234, 1250}},
		{"same inode on another device", 0xfd, 0x01, 131090, []int{2000}},
		{"hexadecimal device numbers", 0x103, 0x1a, 77, []int{2100}},
		{"inode is not a prefix match", 0x08, 0x02, 1310, nil},
		{"no lock", 0x08, 0x03, 131090, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := procLocksHolders(bytes.NewReader(table), tt.major, tt.minor, tt.inode)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
