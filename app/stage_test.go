package app

import (
	"testing"

	"github.com/skillmatch/skillmatch/data"
)

// TestStageDisplay: built-in stage names follow the interface language; a
// stage the user renamed keeps their name in every language.
func TestStageDisplay(t *testing.T) {
	t.Cleanup(func() { _ = setLanguage("en") })
	tests := []struct {
		lang  string
		stage data.Stage
		want  string
	}{
		{"en", data.Stage{Key: "interview", Label: "Interview"}, "Interview"},
		{"fr", data.Stage{Key: "interview", Label: "Interview"}, "Entrevue"},
		{"fr", data.Stage{Key: "rejected", Label: "Rejected"}, "Refusé"},
		{"fr", data.Stage{Key: "offer", Label: "Offer sent"}, "Offer sent"},
		{"en", data.Stage{Key: "custom", Label: "Reference check"}, "Reference check"},
	}
	for _, tt := range tests {
		if err := setLanguage(tt.lang); err != nil {
			t.Fatal(err)
		}
		if got := stageDisplay(tt.stage); got != tt.want {
			t.Errorf("%s: stageDisplay(%+v) = %q, want %q", tt.lang, tt.stage, got, tt.want)
		}
	}
}
