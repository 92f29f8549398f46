package app

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// latest runs background work where only the newest request matters: each
// call to run cancels the previous one. The work runs off the UI
// goroutine; the function it returns is applied on the UI goroutine with
// fyne.Do, unless a newer request has started meanwhile.
type latest struct {
	// apply serialises the UI updates. With the desktop driver they all
	// run on the UI goroutine anyway; the test driver runs fyne.Do
	// functions on the calling goroutine.
	apply  sync.Mutex
	mu     sync.Mutex
	gen    uint64
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// run starts work after delay (a debounce: a newer call within delay
// cancels this one before it starts). work must watch ctx; it returns the
// UI update to apply, or nil.
func (l *latest) run(delay time.Duration, work func(ctx context.Context) func()) {
	l.mu.Lock()
	if l.cancel != nil {
		l.cancel()
	}
	l.gen++
	gen := l.gen
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	l.wg.Add(1)
	l.mu.Unlock()

	go func() {
		defer l.wg.Done()
		defer cancel()
		if delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		apply := work(ctx)
		if apply == nil {
			return
		}
		fyne.DoAndWait(func() {
			l.apply.Lock()
			defer l.apply.Unlock()
			l.mu.Lock()
			current := l.gen == gen
			l.mu.Unlock()
			if current {
				apply()
			}
		})
	}()
}

// stop cancels the running request, if any.
func (l *latest) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cancel != nil {
		l.cancel()
	}
	l.gen++
}

// wait blocks until every started request has finished or been cancelled
// and its UI update applied. Tests use it; the UI never calls it.
func (l *latest) wait() { l.wg.Wait() }

// stopAndReport cancels the running request but lets it apply its result
// (work that checks ctx reports the cancellation itself).
func (l *latest) stopAndReport() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cancel != nil {
		l.cancel()
	}
}
