package matcher

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestFlagsJSONRoundTrip writes every single flag and some combinations as
// names and reads them back to the same bits.
func TestFlagsJSONRoundTrip(t *testing.T) {
	cases := []Flags{0, FlagFailed, FlagOld | FlagUntrusted, FlagTextLink | FlagSmall | FlagLevelBelow}
	for i := range flagNames {
		cases = append(cases, Flags(1)<<i)
	}
	var all Flags
	for i := range flagNames {
		all |= 1 << i
	}
	cases = append(cases, all)
	for _, f := range cases {
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		var got Flags
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if got != f {
			t.Errorf("%s read back as %v, want %v", b, got.Names(), f.Names())
		}
	}
	// Inside a contribution, as snapshots store them.
	c := Contribution{Flags: FlagOld | FlagUnverifiable}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Contribution
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Flags != c.Flags {
		t.Errorf("contribution flags %v, want %v", back.Flags.Names(), c.Flags.Names())
	}
}

func TestFlagsUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Flags
		wantErr string
	}{
		{in: `[]`, want: 0},
		{in: `null`, want: 0},
		{in: `["old","untrusted"]`, want: FlagOld | FlagUntrusted},
		{in: `["untrusted","old","old"]`, want: FlagOld | FlagUntrusted},
		{in: `["old","sparkly"]`, wantErr: `unknown flag "sparkly"`},
		{in: `["OLD"]`, wantErr: `unknown flag "OLD"`},
		{in: `3`, wantErr: "want a list of names"},
		{in: `"old"`, wantErr: "want a list of names"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			f := FlagSmall // must be replaced, not added to
			err := json.Unmarshal([]byte(tt.in), &f)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f != tt.want {
				t.Errorf("got %v, want %v", f.Names(), tt.want.Names())
			}
		})
	}
}
