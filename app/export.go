package app

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/matcher"
)

// shortlistTable is the ranking as rows of cells, ready for CSV or XLSX:
// a header, then one row per applicant in the order shown, with the
// outcome of each requirement. Anonymised, names are replaced by the
// blind-mode aliases and the explanation (which names people) is left out.
func (s *rankingScreen) shortlistTable(anonymised bool) [][]string {
	head := []string{T("ranking.col.rank"), T("ranking.col.name"), T("export.score"), T("ranking.col.must"), T("ranking.col.stage"), T("ranking.col.verified"), T("ranking.col.knockout")}
	for _, r := range s.reqs {
		kind := T("job.chip.asset")
		if r.Must {
			kind = T("job.chip.must")
		}
		head = append(head, r.Label+" ("+strings.ToLower(kind)+")")
	}
	if !anonymised {
		head = append(head, T("export.explanation"))
	}
	rows := [][]string{head}
	for r := range s.st.order {
		f := s.st.row(r)
		name := f.Name
		if anonymised {
			name = s.st.aliasOf(f.Applicant)
		}
		ko := ""
		if f.KnockedOut {
			ko = T("ranking.knockedout")
		}
		row := []string{strconv.Itoa(f.Rank), name, strconv.FormatFloat(f.Score, 'f', 1, 64),
			fmt.Sprintf("%d/%d", f.MustMet, f.MustTotal), s.stageLabel(s.stages[f.Applicant]), strconv.Itoa(f.Verified), ko}
		for i := range s.reqs {
			if i < len(f.Requirements) {
				rf := f.Requirements[i]
				row = append(row, fmt.Sprintf("%s %.0f%%", outcomeWord(rf.Outcome), 100*rf.Fit))
			}
		}
		if !anonymised {
			row = append(row, f.Explanation())
		}
		rows = append(rows, row)
	}
	return rows
}

func outcomeWord(o matcher.Outcome) string {
	switch o {
	case matcher.OutcomeMet:
		return T("ranking.heat.met")
	case matcher.OutcomePartly:
		return T("ranking.heat.partly")
	}
	return T("ranking.heat.missing")
}

// writeCSV writes rows as CSV (UTF-8 with a byte-order mark, which
// spreadsheet programs need to read accents right).
func writeCSV(w io.Writer, rows [][]string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// writeXLSX writes rows as a one-sheet Office Open XML workbook with
// inline strings, numbers where a cell is a number, and the header row
// bold and frozen.
func writeXLSX(w io.Writer, sheet string, rows [][]string) error {
	z := zip.NewWriter(w)
	put := func(name, body string) error {
		f, err := z.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, xml.Header+body)
		return err
	}
	esc := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	var sh strings.Builder
	sh.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	sh.WriteString(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>`)
	for r, row := range rows {
		fmt.Fprintf(&sh, `<row r="%d">`, r+1)
		for c, v := range row {
			ref := sheetCol(c) + strconv.Itoa(r+1)
			style := ""
			if r == 0 {
				style = ` s="1"`
			}
			if _, err := strconv.ParseFloat(v, 64); err == nil && r > 0 {
				fmt.Fprintf(&sh, `<c r="%s"%s><v>%s</v></c>`, ref, style, v)
			} else {
				fmt.Fprintf(&sh, `<c r="%s" t="inlineStr"%s><is><t xml:space="preserve">%s</t></is></c>`, ref, style, esc(v))
			}
		}
		sh.WriteString(`</row>`)
	}
	sh.WriteString(`</sheetData></worksheet>`)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` + esc(sheet) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf fontId="0"/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>`},
		{"xl/worksheets/sheet1.xml", sh.String()},
	}
	for _, f := range files {
		if err := put(f.name, f.body); err != nil {
			return err
		}
	}
	return z.Close()
}

// sheetCol is the spreadsheet name of column c (0 → A, 26 → AA).
func sheetCol(c int) string {
	name := ""
	for c++; c > 0; c = (c - 1) / 26 {
		name = string(rune('A'+(c-1)%26)) + name
	}
	return name
}

// reportShortlist returns the applicants the report explains: those at
// stage "shortlisted" or beyond in the job's pipeline, else the first five
// in rank order.
func (s *rankingScreen) reportShortlist() []*matcher.Fit {
	var out []*matcher.Fit
	for i := range s.st.fits {
		switch s.stages[s.st.fits[i].Applicant] {
		case "shortlisted", "interview", "offer", "hired":
			out = append(out, &s.st.fits[i])
		}
	}
	if len(out) == 0 {
		for i := range s.st.fits {
			if i == 5 {
				break
			}
			out = append(out, &s.st.fits[i])
		}
	}
	return out
}

// anonymise replaces every applicant's name in text by their alias.
func (s *rankingScreen) anonymise(text string) string {
	for i := range s.st.fits {
		if f := &s.st.fits[i]; f.Name != "" {
			text = strings.ReplaceAll(text, f.Name, s.st.aliasOf(f.Applicant))
		}
	}
	return text
}

// writeReport writes the PDF report for a hiring manager: the job and its
// requirements, the ranking with a fit chart, and the explanation of each
// shortlisted applicant. Anonymised, people appear under their aliases.
func (s *rankingScreen) writeReport(w io.Writer, anonymised bool) error {
	name := func(f *matcher.Fit) string {
		if anonymised || f.Name == "" {
			return s.st.aliasOf(f.Applicant)
		}
		return f.Name
	}
	words := func(t string) string {
		if anonymised {
			return s.anonymise(t)
		}
		return t
	}
	title := T("export.sheet")
	if j := s.app.currentJob(); j != nil {
		title = j.Title
	}
	d := newPDF()
	d.text(T("report.title", map[string]any{"Job": title}), 18, true, 0)
	date := ""
	if s.app.pool != nil {
		date = s.app.pool.now.Format("2006-01-02")
	}
	sub := T("report.subtitle", map[string]any{"Applicants": len(s.st.fits), "Date": date})
	if anonymised {
		sub += " " + T("report.anonymised")
	}
	d.text(sub, 9, false, 0)
	d.space(10)
	d.text(T("report.requirements"), 13, true, 0)
	for _, r := range s.reqs {
		kind := T("job.chip.asset")
		if r.Must {
			kind = T("job.chip.must")
		}
		line := "• " + r.Label + " — " + strings.ToLower(kind) + ", " + T("job.weight", map[string]any{"Weight": fmt.Sprintf("%.2g", r.Weight)})
		if r.MinLevel != matcher.LevelNone {
			line += ", " + T("level."+string(r.MinLevel))
		}
		if r.MinYears > 0 {
			line += ", " + TN("job.years", int(r.MinYears), map[string]any{"Years": formatYears(r.MinYears)})
		}
		d.text(line, 10, false, 8)
	}
	d.space(10)
	d.text(T("report.ranking"), 13, true, 0)
	d.text(T("report.chart"), 8.5, false, 0)
	for r := range s.st.order {
		f := s.st.row(r)
		note := fmt.Sprintf("%.1f", f.Score)
		if f.KnockedOut {
			note += " KO"
		}
		d.bar(fmt.Sprintf("%d. %s", f.Rank, name(f)), f.Score/100, note)
	}
	d.space(12)
	d.text(T("report.explanations"), 13, true, 0)
	for _, f := range s.reportShortlist() {
		d.space(6)
		d.text(fmt.Sprintf("%s — %s", name(f), T("ranking.explain.summary", map[string]any{
			"Rank": f.Rank, "Score": fmt.Sprintf("%.1f", f.Score), "MustMet": f.MustMet, "MustTotal": f.MustTotal, "Verified": f.Verified,
		})), 11, true, 0)
		d.text(words(f.Explanation()), 9.5, false, 0)
		for _, det := range f.Details() {
			d.text(outcomeWord(det.Outcome)+": "+words(det.Note), 9, false, 10)
		}
	}
	return d.write(w, T("report.title", map[string]any{"Job": title}))
}

// export asks where to save the shortlist in a format (csv, xlsx or pdf),
// named or anonymised, and writes it off the UI goroutine.
func (s *rankingScreen) export(format string, anonymised bool) {
	rows := s.shortlistTable(anonymised)
	// The report is laid out now, on the UI goroutine, from the state as
	// shown; only the writing happens in the background.
	var pdf bytes.Buffer
	pdfErr := s.writeReport(&pdf, anonymised)
	report := func(w io.Writer) error {
		if pdfErr != nil {
			return pdfErr
		}
		_, err := w.Write(pdf.Bytes())
		return err
	}
	title := T("export.sheet")
	if j := s.app.currentJob(); j != nil {
		title = j.Title
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			s.app.showErr(err)
			return
		}
		go func() {
			var werr error
			switch format {
			case "xlsx":
				werr = writeXLSX(w, sheetName(title), rows)
			case "pdf":
				werr = report(w)
			default:
				werr = writeCSV(w, rows)
			}
			if cerr := w.Close(); werr == nil {
				werr = cerr
			}
			fyne.Do(func() {
				if werr != nil {
					s.app.showErr(fmt.Errorf("%s: %w", w.URI().Path(), werr))
					return
				}
				what := T("export.named")
				if anonymised {
					what = T("export.anonymised")
				}
				dialog.ShowInformation(T("export.title"), T("export.done", map[string]any{"Path": w.URI().Path(), "What": what, "Rows": len(rows) - 1}), s.app.win)
			})
		}()
	}, s.app.win)
	name := "shortlist"
	if anonymised {
		name += "-anonymised"
	}
	d.SetFileName(name + "." + format)
	d.Show()
}

// sheetName makes a valid worksheet name: at most 31 characters, none of
// : \ / ? * [ ].
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		s = "Shortlist"
	}
	return s
}

// exportMenu is the button that offers the export formats.
func (s *rankingScreen) exportMenu() fyne.CanvasObject {
	var b *widget.Button
	b = widget.NewButton(T("export.button"), func() {
		items := []*fyne.MenuItem{
			fyne.NewMenuItem(T("export.csv"), func() { s.export("csv", false) }),
			fyne.NewMenuItem(T("export.xlsx"), func() { s.export("xlsx", false) }),
			fyne.NewMenuItem(T("export.csv.anon"), func() { s.export("csv", true) }),
			fyne.NewMenuItem(T("export.xlsx.anon"), func() { s.export("xlsx", true) }),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(T("export.pdf"), func() { s.export("pdf", false) }),
			fyne.NewMenuItem(T("export.pdf.anon"), func() { s.export("pdf", true) }),
		}
		c := fyne.CurrentApp().Driver().CanvasForObject(b)
		widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", items...), c, fyne.NewPos(0, b.Size().Height), b)
	})
	return b
}
