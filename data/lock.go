package data

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Inter-process locking of a workspace.
//
// SQLite's own locking makes concurrent reads and writes from several
// processes safe, but not replacing the whole file: a program that has the
// workspace open keeps writing into the old file (or applies its
// write-ahead log to the new one) after Restore renamed another file over
// it. So every Store holds a shared advisory lock on a lock file beside the
// workspace, "<workspace>.lock", from Open to Close, and the operations
// that replace the workspace file (Restore, CreateDemo, a Backup written
// over a workspace) take an exclusive lock on it first, failing at once
// with an error wrapping ErrInUse when any Store, in this or another
// process, has the workspace open.
//
// The lock file is created when missing and never deleted. It must not be:
// a lock belongs to the file (inode) that was opened, so if one process
// deleted the lock file while another held a lock on it, a third process
// would create a new lock file, lock that one, and the two would no longer
// exclude each other. An empty lock file left beside a workspace is
// harmless; it is not part of backups or exports.
//
// On Unix the lock is flock(2) (LOCK_SH for an open Store, LOCK_EX|LOCK_NB
// to replace); on Windows it is LockFileEx on the first byte of the lock
// file (shared, or LOCKFILE_EXCLUSIVE_LOCK|LOCKFILE_FAIL_IMMEDIATELY). In
// both cases the operating system drops the lock when the process ends,
// however it ends, so a crashed or killed program never blocks a restore.
// Locks belong to an open file, not to a process: two Stores in one
// program hold two shared locks, and a Restore in a program that still has
// a Store open on the workspace is refused like one in another program.
// The lock file is opened close-on-exec, so programs started by a
// Skillmatch process do not inherit its lock.

// ErrInUse is wrapped by the error of an operation that must replace a
// workspace file (Restore, CreateDemo, Backup over a workspace) while the
// workspace is open in a Store, in this or another program, and by the
// error of Open while another program is replacing the file.
var ErrInUse = errors.New("workspace is open elsewhere")

// errLocked is what tryLock returns when a conflicting lock is held.
var errLocked = errors.New("locked by another open file")

// InUseError is the error of an operation refused because the workspace is
// open elsewhere. It wraps ErrInUse.
type InUseError struct {
	// Path is the workspace, as the caller named it.
	Path string
	// PIDs are the processes that hold the workspace open, when the system
	// says (Linux, through /proc/locks); empty otherwise. The calling
	// process's own ID is among them when one of its Stores has it open.
	PIDs []int
	// Advice says what to do, e.g. "close it and run restore again".
	Advice string
}

func (e *InUseError) Error() string {
	var who string
	switch len(e.PIDs) {
	case 0:
	case 1:
		who = " (pid " + strconv.Itoa(e.PIDs[0]) + ")"
	default:
		ids := make([]string, len(e.PIDs))
		for i, p := range e.PIDs {
			ids[i] = strconv.Itoa(p)
		}
		who = " (pids " + strings.Join(ids, ", ") + ")"
	}
	return fmt.Sprintf("%s is open in another Skillmatch window or command%s; %s", e.Path, who, e.Advice)
}

func (e *InUseError) Unwrap() error { return ErrInUse }

// lockPath is the lock file of the workspace at abs.
func lockPath(abs string) string { return abs + ".lock" }

// workspaceLock is a lock held on a workspace's lock file.
type workspaceLock struct {
	f *os.File
}

// release drops the lock. It may be called more than once, and on nil.
func (l *workspaceLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// lockWait is how long Open waits for another program to finish replacing
// the workspace (tests shorten it).
var lockWait = busyTimeout

// sharedLock takes the shared lock an open Store holds on the workspace at
// abs (name is how the caller named it, for errors). While another program
// replaces the file (an exclusive lock), it waits up to lockWait, polling,
// as SQLite waits for another program's write.
func sharedLock(abs, name string) (*workspaceLock, error) {
	lp := lockPath(abs)
	f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: cannot create its lock file %s (Skillmatch needs to write in the workspace's folder): %w", name, lp, err)
	}
	deadline := time.Now().Add(lockWait)
	pause := 5 * time.Millisecond
	for {
		err := tryLock(f, false)
		if err == nil {
			return &workspaceLock{f: f}, nil
		}
		if !errors.Is(err, errLocked) {
			f.Close()
			return nil, fmt.Errorf("workspace %s: locking %s: %w", name, lp, err)
		}
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, fmt.Errorf("workspace %s is being replaced (restored) by another Skillmatch window or command; try again when it has finished: %w", name, ErrInUse)
		}
		time.Sleep(pause)
		pause = min(2*pause, 200*time.Millisecond)
	}
}

// exclusiveLock takes the lock needed to replace the workspace file at abs,
// creating the lock file if needed. It does not wait: when the workspace is
// open anywhere it returns an *InUseError with the advice given.
func exclusiveLock(abs, name, advice string) (*workspaceLock, error) {
	lp := lockPath(abs)
	f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: cannot create its lock file %s (Skillmatch needs to write in the workspace's folder): %w", name, lp, err)
	}
	return exclusive(f, name, advice)
}

// exclusiveLockIfWorkspace takes the exclusive lock on abs only when abs
// has a lock file, that is, when it has been opened as a workspace: a
// Backup then does not leave lock files beside ordinary backup files. It
// returns nil, nil when there is no lock file.
func exclusiveLockIfWorkspace(abs, name, advice string) (*workspaceLock, error) {
	lp := lockPath(abs)
	f, err := os.OpenFile(lp, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("workspace %s: cannot open its lock file %s: %w", name, lp, err)
	}
	return exclusive(f, name, advice)
}

func exclusive(f *os.File, name, advice string) (*workspaceLock, error) {
	err := tryLock(f, true)
	if err == nil {
		return &workspaceLock{f: f}, nil
	}
	defer f.Close()
	if errors.Is(err, errLocked) {
		return nil, &InUseError{Path: name, PIDs: lockHolders(f), Advice: advice}
	}
	return nil, fmt.Errorf("workspace %s: locking %s: %w", name, f.Name(), err)
}

// procLocksHolders reads a Linux /proc/locks table and returns the IDs of
// the processes holding a flock(2) lock (shared or exclusive, not waiting)
// on the file with the given device numbers and inode, in order, without
// duplicates. Lines look like
//
//	3: FLOCK  ADVISORY  READ  1234 08:02:131090 0 EOF
//	3: -> FLOCK  ADVISORY  WRITE 1240 08:02:131090 0 EOF
//
// where the second is a process waiting for the lock, and the device is
// major:minor in hexadecimal.
func procLocksHolders(r io.Reader, major, minor, inode uint64) []int {
	var pids []int
	seen := map[int]bool{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || f[1] == "->" || f[1] != "FLOCK" {
			continue
		}
		pid, err := strconv.Atoi(f[4])
		if err != nil || pid <= 0 || seen[pid] {
			continue
		}
		dev := strings.Split(f[5], ":")
		if len(dev) != 3 {
			continue
		}
		maj, err1 := strconv.ParseUint(dev[0], 16, 64)
		mnr, err2 := strconv.ParseUint(dev[1], 16, 64)
		ino, err3 := strconv.ParseUint(dev[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || maj != major || mnr != minor || ino != inode {
			continue
		}
		seen[pid] = true
		pids = append(pids, pid)
	}
	return pids
}
