package app

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/data"
)

// upKey finds upT("key") calls and "upskilling.…" keys in tables.
var upKey = regexp.MustCompile(`"(upskilling\.[a-z_]+(?:\.[a-z_]+)*)"`)

// TestUpskillingKeysAreTranslated checks that every key the Upskilling
// screen uses is in translations/upskilling.en.json and upskilling.fr.json,
// that both have the same keys, and that none is unused.
func TestUpskillingKeysAreTranslated(t *testing.T) {
	src, err := os.ReadFile("upskilling.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range upKey.FindAllStringSubmatch(string(src), -1) {
		used[m[1]] = true
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys in upskilling.go; is the pattern right?", len(used))
	}
	files := map[string]map[string]string{}
	for _, code := range Languages {
		b, err := translationFS.ReadFile("translations/upskilling." + code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("upskilling.%s.json: %v", code, err)
		}
		files[code] = m
		for k := range used {
			if strings.TrimSpace(m[k]) == "" {
				t.Errorf("translations/upskilling.%s.json lacks %q", code, k)
			}
		}
		for k := range m {
			if !used[k] {
				t.Errorf("translations/upskilling.%s.json has %q, which upskilling.go does not use", code, k)
			}
		}
	}
	if len(files["en"]) != len(files["fr"]) {
		t.Errorf("%d English strings, %d French", len(files["en"]), len(files["fr"]))
	}
}

// staffDemoApp opens a copy of the demo workspace, whose staff are in the
// teams "Electrical crew" and "Warehouse crew". It returns the app, the
// store, the electrical crew and the name of one of its members.
func staffDemoApp(t *testing.T, lang string) (*App, *data.Store, data.Team, string) {
	t.Helper()
	st := demoStore(t)
	team, err := st.FindTeam("Electrical crew")
	if err != nil {
		t.Fatalf("the demo workspace has no electrical crew: %v", err)
	}
	members, err := st.Applicants(data.ApplicantFilter{Kind: data.KindEmployee, TeamID: team.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(members) == 0 || len(members) != team.Members {
		t.Fatalf("electrical crew: %d employees listed, team says %d", len(members), team.Members)
	}
	a := newTestApp(t, Options{Store: st, Language: lang})
	a.waitIdle()
	return a, st, *team, members[0].Name
}

func selectJob(t *testing.T, s *upskillingScreen, title string) {
	t.Helper()
	i := slices.Index(s.role.Options, title)
	if i < 0 {
		t.Fatalf("job %q not offered: %q", title, s.role.Options)
	}
	s.role.SetSelectedIndex(i)
}

func TestUpskillingScreen(t *testing.T) {
	a, st, crew, member := staffDemoApp(t, "en")
	s := newUpskillingScreen(a)
	if s.planBtn.Disabled() == false || !s.export.Disabled() {
		t.Error("Plan and Export are enabled before a team and a role are chosen")
	}
	teams, err := st.Teams()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tm := range teams {
		want = append(want, fmt.Sprintf("%s (%d)", tm.Name, tm.Members))
	}
	if got := s.team.Options; !slices.Equal(got, want) {
		t.Fatalf("teams offered %q, want %q", got, want)
	}
	s.team.SetSelectedIndex(slices.Index(want, fmt.Sprintf("%s (%d)", crew.Name, crew.Members)))
	selectJob(t, s, "Residential Electrician")
	s.wait()
	if s.gaps == nil {
		t.Fatalf("no analysis; status %q", s.status.Text)
	}
	if rows, cols := s.heat.Length(); rows != crew.Members || cols != len(s.gaps.Requirements) || cols == 0 {
		t.Errorf("heatmap %d × %d, want %d people × %d requirements", rows, cols, crew.Members, len(s.gaps.Requirements))
	}
	if !strings.Contains(s.status.Text, fmt.Sprintf("%d people ×", crew.Members)) || !strings.Contains(s.status.Text, "catalogue items") {
		t.Errorf("status %q", s.status.Text)
	}
	cov := s.coverage.String()
	if !strings.Contains(cov, "meet it") || !strings.Contains(cov, member) {
		t.Errorf("coverage lacks %q or \"meet it\": %q", member, cov)
	}
	s.showCell(widget.TableCellID{Row: 0, Col: 0})
	if !strings.HasPrefix(s.detail.Text, s.gaps.People[0].DisplayName()+": ") {
		t.Errorf("cell detail %q", s.detail.Text)
	}

	// An invalid budget is refused with a message.
	s.budget.SetText("lots")
	test.Tap(s.planBtn)
	s.wait()
	if s.plan != nil || !strings.Contains(s.status.Text, "is not an amount") {
		t.Errorf("budget \"lots\": plan %v, status %q", s.plan != nil, s.status.Text)
	}

	// A plan within 1,000 CAD.
	s.budget.SetText("1000")
	test.Tap(s.planBtn)
	s.wait()
	if s.plan == nil {
		t.Fatalf("no plan; status %q", s.status.Text)
	}
	if s.plan.Cost > 1000 || s.plan.Closed == 0 || s.export.Disabled() {
		t.Errorf("plan costs %v, closes %d; export disabled %v", s.plan.Cost, s.plan.Closed, s.export.Disabled())
	}
	view := s.planView.String()
	for _, want := range []string{"Upskilling plan", "Chosen micro-credentials", "Closes: ", "Still open", "Over budget: "} {
		if !strings.Contains(view, want) {
			t.Errorf("plan view lacks %q:\n%s", want, view)
		}
	}
	var b bytes.Buffer
	if err := s.exportTo(&b, s.plan); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+s.plan.Closed+len(s.plan.Open) {
		t.Errorf("%d CSV rows for %d closed and %d open gaps", len(rows), s.plan.Closed, len(s.plan.Open))
	}

	// The same plan as a PDF for the manager: a whole document naming the
	// team, the role and every chosen micro-credential.
	var pdf bytes.Buffer
	if err := s.exportPDF(&pdf, s.plan); err != nil {
		t.Fatal(err)
	}
	doc := pdf.String()
	if !strings.HasPrefix(doc, "%PDF-1.4") || !strings.HasSuffix(doc, "%%EOF\n") {
		t.Errorf("not a whole PDF document (%d bytes)", pdf.Len())
	}
	for _, want := range []string{"(Upskilling plan)", "(" + crew.Name + " \\267 Residential Electrician)"} {
		if !strings.Contains(doc, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	for _, st := range s.plan.Steps {
		if !strings.Contains(doc, st.Item.Provider) {
			t.Errorf("PDF lacks the provider %q of %s", st.Item.Provider, st.Item.ID)
		}
	}

	// Changing a constraint drops the plan; only online items then.
	s.formats.SetSelected([]string{"Online"})
	if s.plan != nil || !s.export.Disabled() {
		t.Error("the plan survived a change of the constraints")
	}
	test.Tap(s.planBtn)
	s.wait()
	for _, st := range s.plan.Steps {
		if st.Item.Format != "online" {
			t.Errorf("online only, yet %s is %s", st.Item.ID, st.Item.Format)
		}
	}
	s.formats.SetSelected(nil)
	test.Tap(s.planBtn)
	s.wait()
	if !strings.Contains(s.status.Text, "Tick at least one format") {
		t.Errorf("no format: status %q", s.status.Text)
	}
}

func TestUpskillingScreenFrench(t *testing.T) {
	a, _, _, _ := staffDemoApp(t, "fr")
	s := newUpskillingScreen(a)
	all := texts(s.content())
	for _, str := range all {
		if rawKey.MatchString(str) {
			t.Errorf("untranslated key %q on screen", str)
		}
	}
	for _, want := range []string{"Planifier", "Exporter en CSV…", "Équipe", "Choisissez une équipe et un poste pour voir qui maîtrise quoi."} {
		if !slices.Contains(all, want) {
			t.Errorf("%q not on screen; texts: %q", want, all)
		}
	}
	s.team.SetSelectedIndex(0)
	selectJob(t, s, "Residential Electrician")
	s.wait()
	test.Tap(s.planBtn)
	s.wait()
	if v := s.planView.String(); !strings.Contains(v, "Plan de perfectionnement") || !strings.Contains(v, "Comble : ") {
		t.Errorf("French plan view %q", v)
	}
}

func TestUpskillingScreenWithoutTeamOrWorkspace(t *testing.T) {
	a := newTestApp(t, Options{})
	s := newUpskillingScreen(a)
	if got := texts(s.content()); !slices.Contains(got, "Open a workspace to plan upskilling: staff are the people imported as employees into a team.") {
		t.Errorf("without a workspace: %q", got)
	}
	// The demo workspace with its teams deleted: staff, but no team.
	st := demoStore(t)
	teams, err := st.Teams()
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams {
		if err := st.DeleteTeam(tm.ID); err != nil {
			t.Fatal(err)
		}
	}
	b := newTestApp(t, Options{Store: st})
	b.waitIdle()
	s = newUpskillingScreen(b)
	if !strings.Contains(s.status.Text, "no team yet") || !s.planBtn.Disabled() {
		t.Errorf("demo workspace without teams: status %q", s.status.Text)
	}
}
