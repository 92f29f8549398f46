package app

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestSheetCol(t *testing.T) {
	for c, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := sheetCol(c); got != want {
			t.Errorf("sheetCol(%d) = %q, want %q", c, got, want)
		}
	}
}

func TestExportShortlist(t *testing.T) {
	a := newDemoApp(t, "en")
	r := a.ranking
	tests := []struct {
		anonymised bool
	}{{false}, {true}}
	for _, tt := range tests {
		rows := r.shortlistTable(tt.anonymised)
		if len(rows) != len(r.st.fits)+1 {
			t.Fatalf("%d rows for %d applicants", len(rows), len(r.st.fits))
		}
		top := r.st.row(0)
		var buf bytes.Buffer
		if err := writeCSV(&buf, rows); err != nil {
			t.Fatal(err)
		}
		text := buf.String()
		if !strings.HasPrefix(text, "\ufeffRank,Applicant,Fit (0–100)") {
			t.Errorf("CSV header: %.80q", text)
		}
		back, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\ufeff"))).ReadAll()
		if err != nil || len(back) != len(rows) {
			t.Fatalf("CSV reads back as %d rows, %v", len(back), err)
		}
		named := strings.Contains(text, top.Name)
		if named == tt.anonymised {
			t.Errorf("anonymised=%v but the top applicant's name appears: %v", tt.anonymised, named)
		}
		if tt.anonymised {
			for _, f := range r.st.fits {
				if f.Name != "" && strings.Contains(text, f.Name) {
					t.Errorf("anonymised export names %s", f.Name)
				}
			}
		}

		buf.Reset()
		if err := writeXLSX(&buf, sheetName("Job: a/b [test] with a very long title indeed"), rows); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		var sheet []byte
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if err := xml.Unmarshal(b, new(struct{})); err != nil {
				t.Errorf("%s is not well-formed XML: %v", f.Name, err)
			}
			if f.Name == "xl/worksheets/sheet1.xml" {
				sheet = b
			}
		}
		if !bytes.Contains(sheet, []byte(`<c r="A2"><v>1</v></c>`)) {
			t.Errorf("rank 1 is not a number cell in A2: %.300s", sheet)
		}
		if bytes.Contains(sheet, []byte(top.Name)) == tt.anonymised {
			t.Errorf("XLSX anonymised=%v but name presence differs", tt.anonymised)
		}
	}
	if got := sheetName("Job: a/b [test] with a very long title indeed"); got != "Job- a-b -test- with a very lon" {
		t.Errorf("sheetName = %q", got)
	}
}

func TestExportReportPDF(t *testing.T) {
	a := newDemoApp(t, "fr")
	r := a.ranking
	for _, anonymised := range []bool{false, true} {
		var buf bytes.Buffer
		if err := r.writeReport(&buf, anonymised); err != nil {
			t.Fatal(err)
		}
		pdf := buf.Bytes()
		if !bytes.HasPrefix(pdf, []byte("%PDF-1.4")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
			t.Fatalf("not a PDF: %.20q … %q", pdf, pdf[len(pdf)-10:])
		}
		// Every xref offset points at its object.
		xref := bytes.LastIndex(pdf, []byte("\nxref\n")) + 1
		lines := strings.Split(string(pdf[xref:]), "\n")
		var n int
		if _, err := fmt.Sscanf(lines[1], "0 %d", &n); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < n; i++ {
			var off int
			fmt.Sscanf(lines[2+i], "%d", &off)
			if want := fmt.Sprintf("%d 0 obj", i); !bytes.HasPrefix(pdf[off:], []byte(want)) {
				t.Errorf("xref entry %d points at %.12q", i, pdf[off:])
			}
		}
		// French text in WinAnsi: "Exigences" heading, "é" as octal escape.
		if !bytes.Contains(pdf, []byte("(Exigences)")) || !bytes.Contains(pdf, []byte(`pr\351s`)) {
			t.Error("the French report lacks its headings")
		}
		top := r.st.row(0)
		if bytes.Contains(pdf, []byte(pdfString(top.Name))) == anonymised {
			t.Errorf("anonymised=%v: the top applicant's name presence is wrong", anonymised)
		}
	}
}

func TestPDFText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a (b) \\ c", `a \(b\) \\ c`},
		{"élève – “dit”", `\351l\350ve \226 \223dit\224`},
		{"✓ ok", "? ok"},
	}
	for _, tt := range tests {
		if got := pdfString(tt.in); got != tt.want {
			t.Errorf("pdfString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	lines := wrapPDF("one two three four five six seven eight nine ten", 10, 60)
	for _, l := range lines {
		if textWidth(l, 10) > 60 && strings.Contains(l, " ") {
			t.Errorf("line %q is wider than 60pt", l)
		}
	}
	if len(lines) < 3 {
		t.Errorf("wrapped into %d lines", len(lines))
	}
}
