package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// newHeatmap builds the table of a heatmap, people × requirements, as the
// Ranking and Upskilling screens show it: each cell a coloured background
// under a bold, centred mark (update fills both), with row and column
// headers that truncate long names. The caller sets UpdateHeader.
func newHeatmap(length func() (int, int), update func(widget.TableCellID, fyne.CanvasObject)) *widget.Table {
	t := widget.NewTable(length,
		func() fyne.CanvasObject {
			bg := canvas.NewRectangle(color.Transparent)
			l := widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
			return container.NewStack(bg, l)
		},
		update)
	t.ShowHeaderRow = true
	t.ShowHeaderColumn = true
	t.CreateHeader = newTruncatedLabel
	return t
}

// newTruncatedLabel is a one-line label that ends in an ellipsis where the
// text does not fit: the template of list rows and table headers.
func newTruncatedLabel() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}
