package app

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
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
