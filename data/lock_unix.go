//go:build unix

package data

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes a shared or exclusive flock(2) lock on f without waiting;
// it returns errLocked when a conflicting lock is held. The kernel drops
// the lock when the last descriptor of f is closed, which includes the end
// of the process however it ends. On NFS, Linux emulates flock with
// byte-range locks, which the server coordinates between machines.
func tryLock(f *os.File, exclusive bool) error {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return errLocked
		default:
			return err
		}
	}
}

func unlockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

// lockHolders returns the processes holding a lock on the lock file f,
// when the system says: Linux lists flock locks in /proc/locks by device
// and inode. Elsewhere (macOS, BSD) it returns nil and errors name no
// process.
func lockHolders(f *os.File) []int {
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	locks, err := os.Open("/proc/locks")
	if err != nil {
		return nil
	}
	defer locks.Close()
	// Linux's encoding of dev_t (glibc's gnu_dev_major/gnu_dev_minor).
	dev := uint64(st.Dev)
	major := (dev>>8)&0xfff | (dev>>32)&^uint64(0xfff)
	minor := dev&0xff | (dev>>12)&^uint64(0xff)
	return procLocksHolders(locks, major, minor, uint64(st.Ino))
}
