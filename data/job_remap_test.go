package data

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skillmatch/skillmatch/matcher"
	"github.com/skillmatch/skillmatch/taxonomy"
)

// Demo job IDs (CreateDemo saves them in manifest order).
const (
	demoElectrician = 1
	demoCuisinier   = 3
	demoWarehouse   = 4
)

// switchToRemapTaxonomy makes testdata/job_remap_taxonomy.csv the active
// taxonomy: competencies tied to default ones by an ESCO URI as ID, a
// shared ESCO reference, a reference to a default ID, or a label only,
// and "RF scanning" as the label of two competencies.
func switchToRemapTaxonomy(t testing.TB, s *Store) {
	t.Helper()
	tax, err := taxonomy.ImportCSV("testdata/job_remap_taxonomy.csv")
	if err != nil {
		t.Fatal(err)
	}
	tax.Name = "test-remap"
	if err := s.SaveTaxonomy(tax, true); err != nil {
		t.Fatal(err)
	}
}

// jobsDump lists every stored job row, for comparing two states.
func jobsDump(t testing.TB, s *Store) string {
	t.Helper()
	rows, err := s.r.Query("SELECT id, requirements, updated_at FROM jobs ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id int64
		var reqs, at string
		if err := rows.Scan(&id, &reqs, &at); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d %s %s\n", id, at, reqs)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// editWarehouse stores recruiter edits on the demo warehouse job: levels,
// years, spans, weights that MapJobsToActive must keep or merge.
func editWarehouse(t testing.TB, s *Store) {
	t.Helper()
	j, err := s.Job(demoWarehouse)
	if err != nil {
		t.Fatal(err)
	}
	for i := range j.Requirements {
		r := &j.Requirements[i]
		switch r.CompetencyID {
		case "lt-forklift-operation":
			r.MinLevel, r.MinYears, r.Spans, r.Weight = matcher.LevelIntermediate, 1, [][2]int{{40, 48}}, 0.9
		case "lt-reach-truck":
			r.MinLevel, r.MinYears, r.Spans, r.Weight, r.Must = matcher.LevelAdvanced, 3, [][2]int{{10, 21}, {45, 50}}, 0.5, false
		case "ohs-safe-lifting":
			r.Must, r.Weight, r.MinYears, r.Spans, r.Confidence = false, 0.7, 2, [][2]int{{60, 72}}, matcher.Suggested
		}
	}
	if err := s.SaveJob(j); err != nil {
		t.Fatal(err)
	}
}

func findReq(reqs []matcher.Requirement, id string) (matcher.Requirement, int) {
	for i, r := range reqs {
		if r.CompetencyID == id {
			return r, i
		}
	}
	return matcher.Requirement{}, -1
}

const escoForklift = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"

func TestMapJobsToActive(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	editWarehouse(t, s)
	before, err := s.Job(demoWarehouse)
	if err != nil {
		t.Fatal(err)
	}
	switchToRemapTaxonomy(t, s)
	stamps := map[int64]time.Time{}
	all, err := s.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range all {
		stamps[j.ID] = j.UpdatedAt
	}
	mappedAt := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	s.now = func() time.Time { return mappedAt }

	// The preview says what would be done and writes nothing.
	stored := jobsDump(t, s)
	preview, err := s.PreviewJobMapping(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if jobsDump(t, s) != stored {
		t.Error("PreviewJobMapping changed the stored jobs")
	}
	rep, err := s.MapJobsToActive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report: jobs %d, changed %d, by reference %d, by label %d, merged %d, unmapped %d",
		rep.Jobs, rep.Changed, rep.ByRef, rep.ByLabel, rep.Merged, len(rep.Unmapped))
	if !preview.DryRun || rep.DryRun {
		t.Errorf("DryRun: preview %v, run %v", preview.DryRun, rep.DryRun)
	}
	preview.DryRun = false
	if fmt.Sprint(*preview) != fmt.Sprint(*rep) {
		t.Errorf("the preview differs from the run:\n%+v\n%+v", *preview, *rep)
	}
	if rep.Taxonomy != "test-remap" || rep.Jobs != 6 || rep.Changed == 0 || rep.ByRef == 0 || rep.ByLabel == 0 || rep.Merged != 1 {
		t.Errorf("report %+v: want 6 jobs of test-remap, some mapped by reference and by label, 1 merge", rep)
	}

	jobs := map[int64]*Job{}
	for _, id := range []int64{demoElectrician, demoCuisinier, demoWarehouse} {
		if jobs[id], err = s.Job(id); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		job   int64
		want  matcher.Requirement
		index int
	}{
		{"ESCO URI of the old competency is the new ID; merged with reach truck (label)", demoWarehouse, matcher.Requirement{
			CompetencyID: escoForklift, Label: "operate forklift", Must: true, Weight: 0.9, MinLevel: matcher.LevelAdvanced, MinYears: 3,
			Confidence: matcher.Detected, Spans: [][2]int{{10, 21}, {40, 50}}}, 0},
		{"by label, edits kept", demoWarehouse, matcher.Requirement{
			CompetencyID: "rm-lifting", Label: "Safe Lifting", Must: false, Weight: 0.7, MinYears: 2,
			Confidence: matcher.Suggested, Spans: [][2]int{{60, 72}}}, 2},
		{"the new competency refers to the old ID", demoWarehouse, matcher.Requirement{
			CompetencyID: "rm-wms", Label: "warehouse software", Weight: 0.5, Confidence: matcher.Detected}, 4},
		{"both carry the same ESCO reference", demoElectrician, matcher.Requirement{
			CompetencyID: "rm-first-aid", Label: "emergency first aid", Weight: 0.5, Confidence: matcher.Detected}, -1},
		{"French label of a French job", demoCuisinier, matcher.Requirement{
			CompetencyID: "rm-sauces", Label: "Préparation de sauces", Must: true, Weight: 1, Confidence: matcher.Detected}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, i := findReq(jobs[tt.job].Requirements, tt.want.CompetencyID)
			if i < 0 {
				t.Fatalf("job %d has no requirement %s: %+v", tt.job, tt.want.CompetencyID, jobs[tt.job].Requirements)
			}
			if tt.index >= 0 && i != tt.index {
				t.Errorf("at position %d, want %d (order of first occurrence)", i, tt.index)
			}
			got.Score = 0
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
	// Warehouse: six requirements, the reach truck merged into forklift.
	var ids []string
	for _, r := range jobs[demoWarehouse].Requirements {
		ids = append(ids, r.CompetencyID)
	}
	if want := []string{escoForklift, "lt-rf-scanning", "rm-lifting", "lt-cycle-counting", "rm-wms"}; !slices.Equal(ids, want) {
		t.Errorf("warehouse requirements %q; want %q", ids, want)
	}
	// Changed jobs were updated now, the others kept their time.
	if all, err = s.Jobs(); err != nil {
		t.Fatal(err)
	}
	for _, j := range all {
		want := stamps[j.ID]
		if j.ID == demoElectrician || j.ID == demoCuisinier || j.ID == demoWarehouse {
			want = mappedAt
		}
		if !j.UpdatedAt.Equal(want) {
			t.Errorf("job %d updated at %v; want %v", j.ID, j.UpdatedAt, want)
		}
	}

	// Unmapped: an ambiguous label, a competency the new taxonomy lacks.
	unmapped := map[string]UnmappedRequirement{}
	for _, u := range rep.Unmapped {
		if u.JobID == demoWarehouse {
			unmapped[u.CompetencyID] = u
		}
	}
	for _, tt := range []struct {
		id         string
		candidates []string
	}{
		{"lt-rf-scanning", []string{"rm-barcodes", "rm-scanner"}},
		{"lt-cycle-counting", nil},
	} {
		u, ok := unmapped[tt.id]
		if !ok {
			t.Errorf("%s is not listed as unmapped: %+v", tt.id, rep.Unmapped)
			continue
		}
		if !u.Known || u.JobTitle != before.Title || !slices.Equal(u.Candidates, tt.candidates) || u.Label == "" {
			t.Errorf("unmapped %+v; want known, job %q, candidates %q", u, before.Title, tt.candidates)
		}
	}

	// Idempotent: a second run changes nothing and lists the same.
	mapped := jobsDump(t, s)
	s.now = func() time.Time { return mappedAt.Add(time.Hour) }
	again, err := s.MapJobsToActive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed != 0 || again.Mapped() != 0 || again.Merged != 0 || again.Jobs != 6 || len(again.Unmapped) != len(rep.Unmapped) {
		t.Errorf("second run %+v: want nothing changed, the same %d unmapped", again, len(rep.Unmapped))
	}
	if jobsDump(t, s) != mapped {
		t.Error("a second run changed the stored jobs")
	}
}

// TestMapJobRequirements maps the requirements of one job in an empty
// workspace switched to the test taxonomy.
func TestMapJobRequirements(t *testing.T) {
	type want struct {
		reqs                   []matcher.Requirement
		byRef, byLabel, merged int
		unmapped               []string
	}
	tests := []struct {
		name string
		lang string
		in   []matcher.Requirement
		want want
	}{
		{"an ID no taxonomy knows is matched by its stored label", "en",
			[]matcher.Requirement{{CompetencyID: "legacy-sauces", Label: "Sauce Making", Weight: 1}},
			want{reqs: []matcher.Requirement{{CompetencyID: "rm-sauces", Label: "sauce making", Weight: 1}}, byLabel: 1}},
		{"an ID and a label nobody knows stay", "en",
			[]matcher.Requirement{{CompetencyID: "legacy-welding", Label: "underwater welding", Weight: 1}},
			want{reqs: []matcher.Requirement{{CompetencyID: "legacy-welding", Label: "underwater welding", Weight: 1}}, unmapped: []string{"legacy-welding"}}},
		{"merged into a requirement already of the active taxonomy", "en",
			[]matcher.Requirement{
				{CompetencyID: "rm-lifting", Label: "lifting", Weight: 0.5, Confidence: matcher.Suggested, Spans: [][2]int{{5, 9}}},
				{CompetencyID: "ohs-safe-lifting", Label: "safe lifting", Must: true, Weight: 1, MinLevel: matcher.LevelBasic, MinYears: 1, Confidence: matcher.Detected, Spans: [][2]int{{1, 3}}},
			},
			want{reqs: []matcher.Requirement{{CompetencyID: "rm-lifting", Label: "lifting", Must: true, Weight: 1, MinLevel: matcher.LevelBasic, MinYears: 1,
				Confidence: matcher.Suggested, Spans: [][2]int{{1, 3}, {5, 9}}}}, byLabel: 1, merged: 1}},
		{"a French job falls back to the English label", "fr",
			[]matcher.Requirement{{CompetencyID: "ohs-safe-lifting", Label: "levage sécuritaire", Weight: 1}},
			want{reqs: []matcher.Requirement{{CompetencyID: "rm-lifting", Label: "levage sûr", Weight: 1}}, byLabel: 1}},
		{"unmapped ones keep their place", "en",
			[]matcher.Requirement{{CompetencyID: "lt-cycle-counting", Label: "cycle counting"}, {CompetencyID: "lt-wms", Label: "WMS", MinYears: 2}},
			want{reqs: []matcher.Requirement{{CompetencyID: "lt-cycle-counting", Label: "cycle counting"}, {CompetencyID: "rm-wms", Label: "warehouse software", MinYears: 2}},
				byRef: 1, unmapped: []string{"lt-cycle-counting"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openEmpty(t)
			switchToRemapTaxonomy(t, s)
			j := &Job{Title: tt.name, Language: tt.lang, Requirements: tt.in}
			if err := s.SaveJob(j); err != nil {
				t.Fatal(err)
			}
			rep, err := s.MapJobsToActive(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Job(j.ID)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got.Requirements) != fmt.Sprint(tt.want.reqs) {
				t.Errorf("requirements\n got  %+v\n want %+v", got.Requirements, tt.want.reqs)
			}
			var unmapped []string
			for _, u := range rep.Unmapped {
				unmapped = append(unmapped, u.CompetencyID)
			}
			if rep.ByRef != tt.want.byRef || rep.ByLabel != tt.want.byLabel || rep.Merged != tt.want.merged || !slices.Equal(unmapped, tt.want.unmapped) {
				t.Errorf("report %+v; want %d by reference, %d by label, %d merged, unmapped %q", rep, tt.want.byRef, tt.want.byLabel, tt.want.merged, tt.want.unmapped)
			}
		})
	}
}

// TestMapJobsToActiveCancelled: a run stopped between jobs keeps the jobs
// done; running again finishes.
func TestMapJobsToActiveCancelled(t *testing.T) {
	s := openDemo(t)
	switchToRemapTaxonomy(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := s.mapJobs(ctx, false, func(r *JobMapReport) {
		if r.Jobs == 1 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || rep == nil || rep.Jobs != 1 {
		t.Fatalf("report %+v, err %v; want 1 job done and context.Canceled", rep, err)
	}
	j1, _ := s.Job(demoElectrician)
	if _, i := findReq(j1.Requirements, "rm-first-aid"); i < 0 {
		t.Errorf("job 1, done before the cancellation, was not kept mapped: %+v", j1.Requirements)
	}
	j4, _ := s.Job(demoWarehouse)
	if _, i := findReq(j4.Requirements, "lt-forklift-operation"); i < 0 {
		t.Errorf("job 4 was mapped after the cancellation: %+v", j4.Requirements)
	}
	rest, err := s.MapJobsToActive(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rest.Jobs != 6 || rest.Changed == 0 {
		t.Errorf("resumed run %+v: want the other jobs changed", rest)
	}
	if j4, _ = s.Job(demoWarehouse); func() bool { _, i := findReq(j4.Requirements, escoForklift); return i < 0 }() {
		t.Errorf("job 4 not mapped by the resumed run: %+v", j4.Requirements)
	}
}

// bestJobScore ranks every applicant for a job and returns the best score.
func bestJobScore(t testing.TB, s *Store, jobID int64) float64 {
	t.Helper()
	r, err := s.RankJob(context.Background(), jobID, RankOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	best := 0.0
	for _, f := range r.Fits {
		best = max(best, f.Score)
	}
	return best
}

// TestMapJobsRanksAgain is the end-to-end fix: a job saved before the
// switch ranked everyone at 0 once the evidence followed the new taxonomy;
// mapped, it ranks applicants again.
func TestMapJobsRanksAgain(t *testing.T) {
	s := openDemo(t)
	ctx := context.Background()
	first := bestJobScore(t, s, demoElectrician)
	switchTaxonomy(t, s) // testdata/evidence_taxonomy.csv
	if _, err := s.RefreshEvidence(ctx, nil); err != nil {
		t.Fatal(err)
	}
	stale := bestJobScore(t, s, demoElectrician)
	rep, err := s.MapJobsToActive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshEvidence(ctx, nil); err != nil {
		t.Fatal(err)
	}
	mapped := bestJobScore(t, s, demoElectrician)
	t.Logf("job 1 best score: %.1f with the default, %.1f after the switch, %.1f mapped (report: %d jobs changed, %d by reference, %d by label, %d merged, %d unmapped)",
		first, stale, mapped, rep.Changed, rep.ByRef, rep.ByLabel, rep.Merged, len(rep.Unmapped))
	if first == 0 || stale != 0 {
		t.Fatalf("best score %.1f with the default, %.1f after the switch: the test needs a job that ranks at 0 after the switch", first, stale)
	}
	if mapped == 0 {
		t.Errorf("job 1 still ranks everyone at 0 after mapping; report %+v", rep)
	}
	j, err := s.Job(demoElectrician)
	if err != nil {
		t.Fatal(err)
	}
	if r, i := findReq(j.Requirements, "alt-first-aid"); i < 0 || r.Label != "first aid" || r.Must {
		t.Errorf("job 1: first aid not mapped to alt-first-aid as an asset: %+v", j.Requirements)
	}
}

// TestMapJobsToESCO switches the demo to the real ESCO: most of the
// electrician's requirements carry the ESCO URI that is an ESCO ID.
func TestMapJobsToESCO(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "data", "esco-1.1.1")
	if _, err := os.Stat(filepath.Join(dir, "skills_en.csv")); err != nil {
		t.Skipf("ESCO v1.1.1 CSV files not found at %s (%v); the test needs the shared data", dir, err)
	}
	if testing.Short() {
		t.Skip("imports ESCO: skipped with -short")
	}
	tax, err := taxonomy.ImportESCO(dir)
	if err != nil {
		t.Fatal(err)
	}
	tax.Name = "esco-1.1.1"
	s := openDemo(t)
	if err := s.SaveTaxonomy(tax, true); err != nil {
		t.Fatal(err)
	}
	before, err := s.Job(demoElectrician)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.MapJobsToActive(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	j, err := s.Job(demoElectrician)
	if err != nil {
		t.Fatal(err)
	}
	esco := 0
	for _, r := range j.Requirements {
		if strings.HasPrefix(r.CompetencyID, "http://data.europa.eu/esco/skill/") {
			esco++
		}
	}
	t.Logf("ESCO: %d jobs changed, %d by reference, %d by label, %d merged, %d unmapped; job 1: %d of %d requirements are ESCO skills",
		rep.Changed, rep.ByRef, rep.ByLabel, rep.Merged, len(rep.Unmapped), esco, len(before.Requirements))
	if esco*2 <= len(before.Requirements) || rep.ByRef < rep.ByLabel {
		t.Errorf("job 1: %d of %d requirements map to ESCO; report %+v", esco, len(before.Requirements), rep)
	}
}
