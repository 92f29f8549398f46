package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/widget"
)

// ScreenshotOptions tune SaveScreenshots.
type ScreenshotOptions struct {
	// Settle is how long to let a screen draw before capturing it; the
	// capture is repeated, Settle apart, until two captures agree (at most
	// MaxTries times). Zero captures once, which is right for the test
	// driver, which draws on demand.
	Settle   time.Duration
	MaxTries int
}

// SaveScreenshots shows every screen in turn, prepared the way a new user
// sees it with the demo workspace, and saves the window's canvas as
// DIR/<screen>.png. It must be called off the UI goroutine (it hands each
// step to the UI goroutine with fyne.DoAndWait) once the window is shown.
// It returns the files written.
func (a *App) SaveScreenshots(ctx context.Context, dir string, opts ScreenshotOptions) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("screenshots: creating %s: %w", dir, err)
	}
	var names []string
	fyne.DoAndWait(func() { names = a.screenshotNames() })
	var files []string
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return files, err
		}
		fyne.DoAndWait(func() { a.prepareScreenshot(name) })
		a.waitIdle()
		fyne.DoAndWait(func() { a.finishScreenshot(name) })
		a.waitIdle()
		img, err := a.capture(ctx, opts)
		if err != nil {
			return files, fmt.Errorf("screenshots: %s: %w", name, err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return files, fmt.Errorf("screenshots: encoding %s: %w", name, err)
		}
		file := filepath.Join(dir, name+".png")
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			return files, fmt.Errorf("screenshots: writing %s: %w", file, err)
		}
		files = append(files, file)
	}
	return files, nil
}

// capture grabs the window canvas once it has stopped changing.
func (a *App) capture(ctx context.Context, opts ScreenshotOptions) (image.Image, error) {
	grab := func() (img image.Image) {
		fyne.DoAndWait(func() { img = a.render() })
		return img
	}
	if opts.Settle <= 0 {
		return grab(), nil
	}
	tries := max(opts.MaxTries, 2)
	var prev image.Image
	for range tries {
		t := time.NewTimer(opts.Settle)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		img := grab()
		if prev != nil && sameImage(prev, img) && !blank(img) {
			return img, nil
		}
		prev = img
	}
	if prev == nil {
		return nil, fmt.Errorf("the window never drew")
	}
	return prev, nil
}

// render draws the window's content with Fyne's software painter, at the
// window's size and padding, in the app's theme. The OpenGL driver's own
// Canvas.Capture reads the front buffer, which comes back blank under Xvfb
// (where `make test` and `make screenshots` run), so the content is moved to
// an off-screen canvas for the capture and then put back.
func (a *App) render() image.Image {
	wc := a.win.Canvas()
	content := wc.Content()
	size := wc.Size()
	c := software.NewCanvas()
	c.SetPadded(a.win.Padded())
	c.SetContent(content)
	c.Resize(size)
	img := c.Capture()
	a.win.SetContent(content)
	return img
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// blank reports whether every pixel of img is the same colour (a window
// that has not drawn yet).
func blank(img image.Image) bool {
	r := img.Bounds()
	if r.Empty() {
		return true
	}
	first := img.At(r.Min.X, r.Min.Y)
	for y := r.Min.Y; y < r.Max.Y; y += 4 {
		for x := r.Min.X; x < r.Max.X; x += 4 {
			if img.At(x, y) != first {
				return false
			}
		}
	}
	return true
}

// screenshotNames lists the screenshots SaveScreenshots takes: every
// screen, and the heatmap view of the ranking.
func (a *App) screenshotNames() []string {
	var out []string
	for _, n := range a.Screens() {
		out = append(out, n)
		if n == "ranking" {
			out = append(out, "heatmap")
		}
	}
	return out
}

// prepareScreenshot selects the screen of a screenshot and puts it in the
// state the screenshot shows: the taxonomy with a search typed and a
// competency open, and so on.
func (a *App) prepareScreenshot(name string) {
	screen := name
	if name == "heatmap" {
		screen = "ranking"
	}
	a.ShowScreen(screen)
	switch name {
	case "taxonomy":
		if a.taxonomy.search != nil {
			a.taxonomy.search.SetText(a.taxonomy.demoQuery())
		}
	case "upskilling":
		if a.upskilling != nil {
			a.upskilling.selectDemo()
		}
	}
}

// finishScreenshot does what needs the background work done: open the
// first suggestion to review, the explanation of the top applicant, the
// heatmap.
func (a *App) finishScreenshot(name string) {
	switch name {
	case "job":
		// the first suggestion to review, else the first requirement
		pick := -1
		for i, r := range a.job.rows {
			if r.status == statusPending {
				pick = i
				break
			}
		}
		if pick < 0 && len(a.job.rows) > 0 {
			pick = 0
		}
		if pick >= 0 {
			a.job.list.Select(pick)
			a.job.list.ScrollTo(pick)
		}
	case "ranking":
		a.ranking.views.SelectIndex(0)
		if len(a.rankState.order) > 0 {
			a.ranking.table.Select(widget.TableCellID{Row: 0, Col: colName})
		}
	case "heatmap":
		a.ranking.views.SelectIndex(1)
	case "upskilling":
		if a.upskilling != nil && a.upskilling.gaps != nil {
			a.upskilling.runPlan()
		}
	case "applicants":
		// the first applicant with a credential that failed a check
		if a.pool != nil {
			for i, p := range a.applicants.shown {
				if hasStatus(p, "revoked") || hasStatus(p, "expired") || hasStatus(p, "invalid") {
					a.applicants.list.Select(i)
					a.applicants.list.ScrollTo(i)
					break
				}
			}
		}
	}
}

// waitIdle waits for the background work of every screen to finish.
func (a *App) waitIdle() {
	a.wsLoad.wait()
	a.poolLoad.wait()
	if a.taxonomy != nil {
		a.taxonomy.searching.wait()
	}
	if a.job != nil {
		a.job.extracting.wait()
		a.job.waitSaved()
	}
	if a.ranking != nil {
		a.ranking.ranking.wait()
	}
	if a.upskilling != nil {
		a.upskilling.wait()
	}
}
