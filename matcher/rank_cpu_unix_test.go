//go:build unix

package matcher

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) the test process has used,
// so that benchmarks can report it next to wall time: on a shared machine the
// wall time includes time spent waiting for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
