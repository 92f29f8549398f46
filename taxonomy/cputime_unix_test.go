//go:build unix

package taxonomy

import "syscall"

// cpuSeconds returns the user and system CPU time the process has used, so
// that benchmarks can report CPU per operation, which a busy shared machine
// distorts less than wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
