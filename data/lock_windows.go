package data

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// tryLock takes a shared or exclusive LockFileEx lock on the first byte of
// f without waiting (LOCKFILE_FAIL_IMMEDIATELY); it returns errLocked when
// a conflicting lock is held. Windows drops the lock when the handle is
// closed, which includes the end of the process however it ends. The lock
// file holds no data, so locking a byte past its end stops nobody from
// reading it.
func tryLock(f *os.File, exclusive bool) error {
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if exclusive {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, new(windows.Overlapped))
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return errLocked
	}
	return err
}

func unlockFile(f *os.File) error {
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, new(windows.Overlapped))
}

// lockHolders returns nil: Windows does not say which process holds a
// lock, so errors name no process.
func lockHolders(*os.File) []int { return nil }
