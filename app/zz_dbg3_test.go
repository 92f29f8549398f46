package app

import (
	"testing"
)

func TestZZSave(t *testing.T) {
	st := demoStore(t)
	before, _ := st.Jobs()
	a := newTestApp(t, Options{Store: st})
	a.waitIdle()
	j := before[0]
	t.Logf("title %v text %v lang %q/%q", j.Title == a.job.title.Text, j.Text == a.job.posting.Text, j.Language, a.job.state.lang)
	if j.Text != a.job.posting.Text {
		t.Logf("%q\n%q", j.Text[len(j.Text)-20:], a.job.posting.Text[len(a.job.posting.Text)-20:])
	}
}
