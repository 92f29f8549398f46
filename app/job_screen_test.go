package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/data"
	"github.com/skillmatch/skillmatch/data/demo"
	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// typePosting pastes the posting of testdata/posting.txt into the Job
// screen and waits for the extraction.
func typePosting(t *testing.T, s *jobScreen) {
	t.Helper()
	data, err := os.ReadFile("testdata/posting.txt")
	if err != nil {
		t.Fatal(err)
	}
	s.posting.SetText(string(data))
	s.extracting.wait()
}

func rowIndex(s *jobScreen, id string) int {
	return slices.IndexFunc(s.rows, func(r reqRow) bool { return r.req.CompetencyID == id })
}

func TestJobScreenExtractsAsTheUserTypes(t *testing.T) {
	a := newTestApp(t, Options{})
	s := a.job
	a.ShowScreen("job")
	// Typing character by character: each keystroke cancels the pending
	// extraction, the last one runs.
	test.Type(s.posting, "Kubernetes, Docker")
	s.extracting.wait()
	if got := ids(s.state.Requirements()); !slices.Equal(got, []string{"kubernetes", "docker"}) {
		t.Fatalf("requirements after typing = %v", got)
	}
	if s.listArea.Objects[0] != s.list {
		t.Error("the requirement list is not shown")
	}
	// The posting is shown with the detected competencies highlighted.
	var kube *widget.TextSegment
	for _, seg := range s.highlight.Segments {
		if ts, ok := seg.(*widget.TextSegment); ok && ts.Text == "Kubernetes" {
			kube = ts
		}
	}
	if kube == nil {
		t.Fatalf("Kubernetes is not a segment of the highlighted text: %q", s.highlight.String())
	}
	if kube.Style.ColorName != theme.ColorNamePrimary || !kube.Style.TextStyle.Bold {
		t.Errorf("must-have Kubernetes is styled %+v", kube.Style)
	}
	if !strings.Contains(s.summary.Text, "2 must-have") {
		t.Errorf("summary = %q", s.summary.Text)
	}
}

func TestJobScreenEmptyStateGuides(t *testing.T) {
	a := newTestApp(t, Options{})
	s := a.job
	if s.listArea.Objects[0] != s.emptyList || !strings.Contains(s.emptyList.Text, "Paste a posting") {
		t.Errorf("empty requirement list shows %v", texts(s.listArea))
	}
	if !strings.Contains(s.highlight.String(), "highlighted") {
		t.Errorf("empty highlight panel shows %q", s.highlight.String())
	}
}

func TestJobScreenReviewSuggestionAndEdit(t *testing.T) {
	a := newTestApp(t, Options{})
	s := a.job
	a.ShowScreen("job")
	typePosting(t, s)
	for _, id := range []string{"kubernetes", "docker", "python"} {
		if i := rowIndex(s, id); i < 0 || s.rows[i].status != statusDetected {
			t.Errorf("%s not detected; rows %+v", id, s.rows)
		}
	}
	// Years stated in the posting are read.
	if i := rowIndex(s, "kubernetes"); i >= 0 && s.rows[i].req.MinYears != 3 {
		t.Errorf("kubernetes min years = %v, want 3", s.rows[i].req.MinYears)
	}

	// Review a suggestion: select it, tap Accept in the editor.
	i := slices.IndexFunc(s.rows, func(r reqRow) bool { return r.status == statusPending })
	if i < 0 {
		t.Fatalf("no suggestion to review in %+v", s.rows)
	}
	sugg := s.rows[i].req.CompetencyID
	s.list.Select(i)
	if s.editor.id != sugg {
		t.Fatalf("editor shows %q, want %q", s.editor.id, sugg)
	}
	if !strings.Contains(s.editor.source.Text, "Suggested") {
		t.Errorf("editor source = %q", s.editor.source.Text)
	}
	test.Tap(s.editor.accept)
	if !slices.Contains(ids(s.state.Requirements()), sugg) {
		t.Errorf("accepted suggestion %s does not count: %v", sugg, ids(s.state.Requirements()))
	}
	if s.editor.id != sugg {
		t.Errorf("the editor left the accepted requirement for %q", s.editor.id)
	}

	// Make Docker an asset with a minimum level and years, through the editor.
	s.list.Select(rowIndex(s, "docker"))
	s.editor.must.SetSelected("Asset")
	s.editor.level.SetSelected("advanced")
	s.editor.years.SetText("")
	test.Type(s.editor.years, "2,5")
	var docker matcher.Requirement
	for _, r := range s.state.Requirements() {
		if r.CompetencyID == "docker" {
			docker = r
		}
	}
	if docker.Must || docker.MinLevel != matcher.LevelAdvanced || docker.MinYears != 2.5 {
		t.Errorf("docker after editing = %+v", docker)
	}
	if got := rowText(s.rows[rowIndex(s, "docker")]); !strings.Contains(got, "advanced") || !strings.Contains(got, "2.5+ years") {
		t.Errorf("docker row reads %q", got)
	}
	test.Type(s.editor.years, "x")
	if s.editor.years.Validate() == nil {
		t.Error("years entry accepts \"2,5x\"")
	}

	// Reject Kubernetes; the row stays, greyed, and can be restored.
	s.list.Select(rowIndex(s, "kubernetes"))
	test.Tap(s.editor.reject)
	if slices.Contains(ids(s.state.Requirements()), "kubernetes") {
		t.Error("rejected kubernetes still counts")
	}
	if r := s.rows[len(s.rows)-1]; r.req.CompetencyID != "kubernetes" || r.status != statusRejected {
		t.Errorf("last row = %+v, want rejected kubernetes", r)
	}
}

func TestJobScreenAddCompetencyFromTaxonomy(t *testing.T) {
	a := newTestApp(t, Options{})
	s := a.job
	p := newCompetencyPicker(a)
	test.Type(p.entry, "simdut")
	if p.chosen != "whmis" {
		t.Fatalf("picker chose %q for simdut", p.chosen)
	}
	s.addCompetency(p.chosen)
	if got := ids(s.state.Requirements()); !slices.Equal(got, []string{"whmis"}) {
		t.Fatalf("requirements = %v", got)
	}
	if s.editor.id != "whmis" || !strings.Contains(s.editor.source.Text, "Added by you") {
		t.Errorf("editor = %q %q", s.editor.id, s.editor.source.Text)
	}
}

func TestJobScreenOccupationTemplate(t *testing.T) {
	tax := loadTaxonomy(t)
	var comps []taxonomy.Competency
	for _, c := range tax.Competencies() {
		comps = append(comps, *c)
	}
	occ := taxonomy.Occupation{
		ID:        "devops-engineer",
		Labels:    map[string]taxonomy.Labels{"en": {Preferred: "DevOps engineer", Alt: []string{"site reliability engineer"}}},
		Essential: []string{"kubernetes", "docker"},
		Optional:  []string{"python"},
	}
	withOcc, err := taxonomy.New("fixture+occupations", comps, []taxonomy.Occupation{occ})
	if err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{Taxonomy: withOcc})
	s := a.job
	if !slices.Contains(texts(s.root), "Start from an occupation…") {
		t.Error("no template button although the taxonomy has occupations")
	}
	p := newOccupationPicker(a)
	test.Type(p.entry, "devops engineer")
	if p.chosen != "devops-engineer" {
		t.Fatalf("occupation picker chose %q", p.chosen)
	}
	if err := s.applyTemplate(p.chosen); err != nil {
		t.Fatal(err)
	}
	reqs := s.state.Requirements()
	if got := ids(reqs); !slices.Equal(got, []string{"docker", "kubernetes", "python"}) {
		t.Fatalf("template requirements = %v", got)
	}
	if reqs[2].Must {
		t.Error("the optional competency python became a must-have")
	}

	// Without occupations there is no template button.
	b := newTestApp(t, Options{})
	if slices.Contains(texts(b.job.root), "Start from an occupation…") {
		t.Error("template button shown for a taxonomy without occupations")
	}
}

func TestJobScreenOpeningAWorkspaceWritesNothing(t *testing.T) {
	st := demoStore(t)
	before, err := st.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{Store: st})
	a.waitIdle()
	a.job.waitSaved()
	// Switch to every job and back: still nothing written.
	for i := range a.jobs {
		a.job.jobPick.SetSelectedIndex(i)
		a.job.extracting.wait()
		a.job.waitSaved()
	}
	after, err := st.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	for i := range before {
		if !after[i].UpdatedAt.Equal(before[i].UpdatedAt) || after[i].Text != before[i].Text || !sameRequirements(after[i].Requirements, before[i].Requirements) {
			t.Errorf("opening job %d (%s) rewrote it", before[i].ID, before[i].Title)
		}
	}
	// An edit is saved.
	a.job.title.SetText("Senior " + a.currentJob().Title)
	a.job.waitSaved()
	j, err := st.Job(a.jobID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(j.Title, "Senior ") {
		t.Errorf("title edit not saved: %q", j.Title)
	}
}

func TestJobScreenTypingInAnEmptyWorkspaceStartsAJob(t *testing.T) {
	st, err := data.Open(filepath.Join(t.TempDir(), "empty.skillmatch"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := newTestApp(t, Options{Store: st})
	a.waitIdle()
	if a.currentJob() != nil {
		t.Fatal("an empty workspace has a current job")
	}
	typePosting(t, a.job)
	a.job.waitSaved()
	jobs, err := st.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || !strings.Contains(jobs[0].Text, "Kubernetes") || len(jobs[0].Requirements) == 0 {
		t.Fatalf("jobs after typing = %+v", jobs)
	}
	if a.job.jobPick.Selected != jobs[0].Title {
		t.Errorf("job picker shows %q", a.job.jobPick.Selected)
	}
}

// TestDropPostingOnJobScreen drops documents on the window while the Job
// screen is shown: a posting goes into the Job screen, a credential (even
// one saved as .txt) to the applicant import as before.
func TestDropPostingOnJobScreen(t *testing.T) {
	st, err := data.Open(filepath.Join(t.TempDir(), "drop.skillmatch"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := newTestApp(t, Options{Store: st})
	a.waitIdle()

	dir := t.TempDir()
	posting := filepath.Join(dir, "platform engineer.docx")
	if err := os.WriteFile(posting, testDocx(t), 0o600); err != nil {
		t.Fatal(err)
	}
	a.ShowScreen("job")
	a.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(posting)})
	a.job.extracting.wait()
	if got := a.tabs.Selected().Text; got != T("tab.job") {
		t.Errorf("after dropping a posting the %q tab is shown, want the job", got)
	}
	if !startsWith(a.job.posting.Text, "Requirements\n\n- Kubernetes and Docker") {
		t.Errorf("posting after the drop = %q", a.job.posting.Text)
	}
	if rowIndex(a.job, "it-kubernetes") < 0 {
		t.Errorf("no Kubernetes requirement after the drop: %+v", a.job.rows)
	}

	// A badge saved with a posting's extension is still imported.
	badge, err := demoFile("applicants/03-sanna-moreau/code.json")
	if err != nil {
		t.Fatal(err)
	}
	badgePath := filepath.Join(dir, "badge.txt")
	if err := os.WriteFile(badgePath, badge, 0o600); err != nil {
		t.Fatal(err)
	}
	before := a.job.posting.Text
	a.ShowScreen("job")
	a.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(badgePath)})
	a.applicants.importing.wait()
	a.poolLoad.wait()
	if got := a.tabs.Selected().Text; got != T("tab.applicants") {
		t.Errorf("after dropping a badge the %q tab is shown, want the applicants", got)
	}
	if a.job.posting.Text != before {
		t.Errorf("the dropped badge changed the posting to %q", a.job.posting.Text)
	}

	// A PDF posting dropped on the Job screen says how to load it; it is
	// not offered to the import as a credential.
	pdf := filepath.Join(dir, "posting.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a.ShowScreen("job")
	before = a.job.posting.Text
	a.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(pdf)})
	if got := a.tabs.Selected().Text; got != T("tab.job") {
		t.Errorf("after dropping a PDF the %q tab is shown, want the job", got)
	}
	if a.job.posting.Text != before {
		t.Errorf("the dropped PDF changed the posting to %q", a.job.posting.Text)
	}
	if msg := strings.ToLower(overlayText(a)); !strings.Contains(msg, "posting.pdf: pdf postings cannot be read") || !strings.Contains(msg, ".docx") {
		t.Errorf("dropping a PDF shows %q, want the file name and how to load it", msg)
	}
}

// demoFile reads a file of the demo pool.
func demoFile(rel string) ([]byte, error) { return fs.ReadFile(demo.FS(), rel) }
