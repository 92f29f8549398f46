package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// progressDialog is the modal dialog that long work in the workspace
// (imports, re-verification) shows while it runs off the UI goroutine: a
// message, a progress bar and a Cancel button that cancels ctx. The work
// watches ctx, reports with set (from any goroutine) and, in the UI update
// it returns, calls hide.
type progressDialog struct {
	ctx    context.Context
	cancel context.CancelFunc
	d      dialog.Dialog
	bar    *widget.ProgressBar
	msg    *widget.Label
	stop   *widget.Button
}

// showProgress shows a progress dialog titled title with the message
// start, on win.
func showProgress(title, start string, win fyne.Window) *progressDialog {
	p := &progressDialog{bar: widget.NewProgressBar(), msg: widget.NewLabel(start)}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.msg.Truncation = fyne.TextTruncateEllipsis
	p.stop = widget.NewButton(T("dialog.cancel"), p.cancel)
	p.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(p.msg, p.bar, p.stop), win)
	p.d.Resize(fyne.NewSize(520, 180))
	p.d.Show()
	return p
}

// set shows that done of total items are finished, with text; it may be
// called from any goroutine.
func (p *progressDialog) set(done, total int, text string) {
	fyne.Do(func() {
		p.bar.SetValue(float64(done) / float64(max(total, 1)))
		p.msg.SetText(text)
	})
}

// hide closes the dialog (on the UI goroutine) and releases its context.
func (p *progressDialog) hide() {
	p.cancel()
	p.d.Hide()
}
