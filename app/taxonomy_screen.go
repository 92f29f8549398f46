package app

import (
	"context"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/skillmatch/skillmatch/taxonomy"
)

// searchLimit caps the matches listed for a taxonomy search.
const searchLimit = 200

// detailListLimit caps the parents, children or related competencies listed
// in the detail panel; the rest are counted.
const detailListLimit = 60

// taxonomyScreen is the Taxonomy tab: a tree of the competency hierarchy, a
// search, and the details of the selected competency.
type taxonomyScreen struct {
	app *App

	idx      *taxonomyIndex
	matches  []taxonomy.Match
	selected string // competency ID shown in the detail panel
	treeSel  string // tree node selected

	search    *widget.Entry
	count     *widget.Label
	results   *widget.List
	tree      *widget.Tree
	left      *fyne.Container
	treeOnly  fyne.CanvasObject
	withList  fyne.CanvasObject
	detail    *widget.RichText
	detailBox *container.Scroll
	root      fyne.CanvasObject

	searching latest
	importing latest
}

func newTaxonomyScreen(a *App) *taxonomyScreen {
	s := &taxonomyScreen{app: a}
	if a.tax == nil {
		msg := widget.NewLabel(T("taxonomy.invalid", map[string]any{"Error": errString(a.taxErr)}))
		msg.Wrapping = fyne.TextWrapWord
		msg.Importance = widget.DangerImportance
		s.root = container.NewVScroll(container.NewPadded(msg))
		return s
	}
	s.idx = newTaxonomyIndex(a.tax, uiLanguage())

	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(T("taxonomy.search.placeholder"))
	s.search.OnChanged = s.runSearch
	s.search.OnSubmitted = func(string) {
		if len(s.matches) > 0 {
			s.results.Select(0)
		}
	}
	s.count = widget.NewLabel("")

	s.results = widget.NewList(
		func() int { return len(s.matches) },
		newTruncatedLabel,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.matches) {
				o.(*widget.Label).SetText(s.matchText(s.matches[i]))
			}
		})
	s.results.OnSelected = func(i widget.ListItemID) {
		if i < len(s.matches) {
			s.reveal(s.matches[i].Competency.ID)
		}
	}

	s.tree = widget.NewTree(s.idx.childUIDs, s.idx.isBranch,
		func(bool) fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(s.idx.label[idOf(uid)])
		})
	s.tree.OnSelected = func(uid widget.TreeNodeID) {
		s.treeSel = uid
		s.show(idOf(uid))
	}

	split := container.NewVSplit(s.results, s.tree)
	split.SetOffset(0.45)
	s.withList = split
	s.treeOnly = s.tree
	top := container.NewBorder(nil, nil, nil, s.count, s.search)
	s.left = container.NewBorder(top, nil, nil, nil, s.treeOnly)

	s.detail = widget.NewRichText()
	s.detail.Wrapping = fyne.TextWrapWord
	s.detailBox = container.NewVScroll(s.detail)
	s.showEmptyDetail()

	body := container.NewHSplit(s.left, s.detailBox)
	body.SetOffset(0.4)
	imp := widget.NewButtonWithIcon(T("taxonomy.import"), theme.DownloadIcon(), s.showImportDialog)
	where := T("taxonomy.session")
	if a.store != nil {
		where = T("taxonomy.stored")
	}
	info := widget.NewLabel(where)
	info.Truncation = fyne.TextTruncateEllipsis
	s.root = container.NewBorder(container.NewBorder(nil, nil, imp, nil, info), nil, nil, nil, body)
	return s
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func (s *taxonomyScreen) content() fyne.CanvasObject { return s.root }

func (s *taxonomyScreen) matchText(m taxonomy.Match) string {
	label := s.idx.label[m.Competency.ID]
	if m.Label != label {
		return label + " — " + m.Label + " (" + m.Lang + ")"
	}
	return label
}

// runSearch looks the query up off the UI goroutine (a search scans every
// label, which takes a while in a full ESCO taxonomy) and shows the matches,
// selecting the best one.
func (s *taxonomyScreen) runSearch(q string) {
	if strings.TrimSpace(q) == "" {
		s.searching.stop()
		s.matches = nil
		s.results.UnselectAll()
		s.results.Refresh()
		s.count.SetText("")
		s.setLeft(s.treeOnly)
		return
	}
	tax := s.app.tax
	s.searching.run(0, func(ctx context.Context) func() {
		m := tax.Search(q, searchLimit)
		return func() {
			s.matches = m
			s.results.UnselectAll()
			s.results.Refresh()
			s.results.ScrollToTop()
			s.setLeft(s.withList)
			switch {
			case len(m) == 0:
				s.count.SetText(T("taxonomy.search.none"))
			case len(m) >= searchLimit:
				s.count.SetText(T("taxonomy.search.many", map[string]any{"Count": len(m)}))
			default:
				s.count.SetText(TN("taxonomy.search.count", len(m)))
			}
			if len(m) > 0 {
				s.results.Select(0)
			} else {
				s.clearSelection()
			}
		}
	})
}

func (s *taxonomyScreen) setLeft(o fyne.CanvasObject) {
	if len(s.left.Objects) > 0 && s.left.Objects[0] == o {
		return
	}
	top := s.left.Objects[len(s.left.Objects)-1]
	s.left.Objects = []fyne.CanvasObject{o, top}
	s.left.Refresh()
}

// reveal opens the tree down to the competency id, selects it there and
// shows its details.
func (s *taxonomyScreen) reveal(id string) {
	path := s.idx.pathTo(id)
	if len(path) == 0 {
		return
	}
	for _, uid := range path[:len(path)-1] {
		s.tree.OpenBranch(uid)
	}
	last := path[len(path)-1]
	s.tree.Select(last)
	s.tree.ScrollTo(last)
	s.show(id)
}

// clearSelection unselects the tree and shows the overview in the detail
// panel.
func (s *taxonomyScreen) clearSelection() {
	s.selected, s.treeSel = "", ""
	s.tree.UnselectAll()
	s.showEmptyDetail()
}

func (s *taxonomyScreen) showEmptyDetail() {
	st := s.app.tax.Stats()
	var b richBuilder
	for _, p := range strings.Split(T("taxonomy.detail.empty", map[string]any{
		"Name":         s.app.tax.Name,
		"Competencies": st.Competencies,
		"Roots":        st.Roots,
		"Depth":        st.MaxDepth,
	}), "\n\n") {
		b.text(p, widget.RichTextStyleParagraph)
	}
	s.detail.Segments = b.segs
	s.detail.Refresh()
}

// show fills the detail panel with the competency id.
func (s *taxonomyScreen) show(id string) {
	c, ok := s.app.tax.Get(id)
	if !ok {
		return
	}
	s.selected = id
	lg := s.idx.lang
	var b richBuilder
	b.text(c.Label(lg), widget.RichTextStyleHeading)
	b.text(T("kind."+string(c.Kind))+" · "+c.ID, italic)
	if d := description(c, lg); d != "" {
		b.text(d, widget.RichTextStyleParagraph)
	}
	for _, code := range c.Languages() {
		l := c.Labels[code]
		b.text(languageName(code), widget.RichTextStyleSubHeading)
		b.text(l.Preferred, widget.RichTextStyleStrong)
		b.end()
		if len(l.Alt) > 0 {
			b.text(T("taxonomy.detail.alt")+" "+strings.Join(l.Alt, ", "), widget.RichTextStyleParagraph)
		}
		if len(l.Hidden) > 0 {
			b.text(T("taxonomy.detail.hidden")+" "+strings.Join(l.Hidden, ", "), italic)
		}
	}
	s.links(&b, "taxonomy.detail.parents", s.app.tax.Parents(id))
	s.links(&b, "taxonomy.detail.children", s.app.tax.Children(id))
	s.links(&b, "taxonomy.detail.related", s.app.tax.Related(id))
	if len(c.Refs) > 0 {
		b.text(T("taxonomy.detail.refs"), widget.RichTextStyleSubHeading)
		for _, r := range c.Refs {
			name := strings.ToUpper(r.Scheme)
			if r.Scheme == "onet" {
				name = "O*NET"
			}
			b.text(name+"  ", inlineStrong)
			if u, err := url.Parse(r.ID); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
				b.segs = append(b.segs, &widget.HyperlinkSegment{Text: r.ID, URL: u})
			} else {
				b.text(r.ID, widget.RichTextStyleInline)
			}
			b.end()
		}
	}
	s.detail.Segments = b.segs
	s.detail.Refresh()
	s.detailBox.ScrollToTop()
}

var (
	italic       = widget.RichTextStyle{ColorName: theme.ColorNameForeground, TextStyle: fyne.TextStyle{Italic: true}}
	inlineStrong = widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}}
)

// richBuilder collects the segments of a rich text.
type richBuilder struct{ segs []widget.RichTextSegment }

func (b *richBuilder) text(t string, style widget.RichTextStyle) {
	b.segs = append(b.segs, &widget.TextSegment{Text: t, Style: style})
}

func (b *richBuilder) link(t string, tap func()) {
	b.segs = append(b.segs, &widget.HyperlinkSegment{Text: t, OnTapped: tap})
}

// end ends the current line of inline segments.
func (b *richBuilder) end() {
	b.segs = append(b.segs, &widget.TextSegment{Style: widget.RichTextStyleParagraph})
}

func description(c *taxonomy.Competency, lg string) string {
	if d := c.Description[lg]; d != "" {
		return d
	}
	return c.Description["en"]
}

// links adds a section listing competencies as links that show them.
func (s *taxonomyScreen) links(b *richBuilder, title string, cs []*taxonomy.Competency) {
	b.text(T(title), widget.RichTextStyleSubHeading)
	if len(cs) == 0 {
		b.text(T("taxonomy.detail.none"), italic)
		return
	}
	for i, c := range cs {
		if i == detailListLimit {
			b.text(" "+T("taxonomy.detail.more", map[string]any{"Count": len(cs) - detailListLimit}), widget.RichTextStyleInline)
			break
		}
		if i > 0 {
			b.text(" · ", widget.RichTextStyleInline)
		}
		id := c.ID
		b.link(c.Label(s.idx.lang), func() { s.reveal(id) })
	}
	b.end()
}

// languageName returns the name of a label language in the interface
// language, or its code in capitals when the interface has no name for it.
func languageName(code string) string {
	key := "language." + code
	if n := T(key); n != key {
		return n
	}
	return strings.ToUpper(code)
}

// demoQuery is the search the screenshots show: an acronym people write,
// else the label of a competency that has parents (so the tree opens too).
func (s *taxonomyScreen) demoQuery() string {
	for _, q := range []string{"k8s", "forklift", "python"} {
		if len(s.app.tax.Search(q, 1)) > 0 {
			return q
		}
	}
	for _, c := range s.app.tax.Competencies() {
		if len(c.Broader) > 0 {
			return c.Label(s.idx.lang)
		}
	}
	return ""
}
