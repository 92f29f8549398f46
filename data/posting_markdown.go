package data

// Markdown postings.

import "strings"

// markdownText turns Markdown into plain text: heading marks, emphasis,
// code marks, link targets, images, HTML tags and rules removed, "*", "+"
// and numbered list items written "- ".
func markdownText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	fence := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = !fence
			continue
		}
		if fence {
			out = append(out, l)
			continue
		}
		// Setext headings: a line underlined with === or ---.
		if i+1 < len(lines) && t != "" && !isMarkdownItem(t) {
			if u := strings.TrimSpace(lines[i+1]); len(u) >= 2 && (strings.Trim(u, "=") == "" || strings.Trim(u, "-") == "") {
				out = append(out, "", markdownInline(t), "")
				i++
				continue
			}
		}
		if isMarkdownRule(t) {
			out = append(out, "")
			continue
		}
		if strings.HasPrefix(t, "#") {
			h := strings.TrimLeft(t, "#")
			if h == "" || h[0] == ' ' || h[0] == '\t' {
				h = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#"))
				out = append(out, "", markdownInline(h), "")
				continue
			}
		}
		if strings.HasPrefix(t, "|") {
			// a pipe table row; the row under the header is dropped
			cells := strings.Split(strings.Trim(t, "|"), "|")
			rule := true
			for i, c := range cells {
				c = strings.TrimSpace(c)
				if strings.Trim(c, ":-") != "" || c == "" {
					rule = false
				}
				cells[i] = markdownInline(c)
			}
			if !rule {
				out = append(out, strings.Join(cells, " | "))
			}
			continue
		}
		for strings.HasPrefix(t, ">") {
			t = strings.TrimSpace(t[1:])
		}
		if item, ok := markdownItem(t); ok {
			out = append(out, "- "+markdownInline(item))
			continue
		}
		out = append(out, markdownInline(t))
	}
	return strings.Join(out, "\n")
}

func isMarkdownRule(t string) bool {
	c := strings.ReplaceAll(t, " ", "")
	if len(c) < 3 {
		return false
	}
	for _, m := range []string{"-", "*", "_"} {
		if strings.Trim(c, m) == "" {
			return true
		}
	}
	return false
}

func isMarkdownItem(t string) bool { _, ok := markdownItem(t); return ok }

// markdownItem returns the text of a list item line ("- x", "* x", "+ x",
// "1. x", "1) x").
func markdownItem(t string) (string, bool) {
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || t[1] == '\t') {
		item := strings.TrimSpace(t[2:])
		// task list boxes
		for _, box := range []string{"[ ] ", "[x] ", "[X] "} {
			item = strings.TrimPrefix(item, box)
		}
		return item, true
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && (t[i+1] == ' ' || t[i+1] == '\t') {
		return strings.TrimSpace(t[i+2:]), true
	}
	return "", false
}

// markdownInline removes the inline marks of Markdown from one line. It
// is linear in the length of the line: brackets are paired in one pass.
func markdownInline(s string) string {
	links := markdownLinks(s)
	var sb strings.Builder
	noTagEnd := false
	for i := 0; i < len(s); {
		c := s[i]
		if after, ok := links[i]; ok {
			// "[" of a link is dropped, its "]" and target skipped;
			// an image is dropped whole.
			switch {
			case c == '!':
				i = after
			case c == '[':
				i++
			default:
				i = after
			}
			continue
		}
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_{}[]()#+-.!<>|~", s[i+1]) >= 0:
			sb.WriteByte(s[i+1])
			i += 2
			continue
		case c == '*' || c == '_' || c == '`' || c == '~':
			// emphasis, code and strike-through marks; an underscore
			// inside a word (snake_case) is kept
			if c == '_' && i > 0 && i+1 < len(s) && isWordByte(s[i-1]) && isWordByte(s[i+1]) {
				break
			}
			i++
			continue
		case c == '<' && !noTagEnd && isTagStart(s[i+1:]):
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				noTagEnd = true
				break
			}
			inner := s[i+1 : i+j]
			if strings.Contains(inner, "://") || strings.Contains(inner, "@") {
				sb.WriteString(inner) // autolink
			}
			i += j + 1
			continue
		}
		sb.WriteByte(c)
		i++
	}
	return strings.TrimSpace(sb.String())
}

// markdownLinks finds the links "[text](target)" and "[text][ref]" and
// images "![alt](target)" of a line. For a link it maps the index of "["
// to that of "]" and the index of "]" to the index after the target; for
// an image, the index of "!" to the index after the target.
func markdownLinks(s string) map[int]int {
	var links map[int]int
	var open []int
	// nextClose[k] is the index of the first ')' (or ']' for a
	// reference) at or after k, computed lazily from the end.
	var nextParen, nextBracket []int
	next := func(k int, closer byte) int {
		if nextParen == nil {
			nextParen, nextBracket = make([]int, len(s)+1), make([]int, len(s)+1)
			nextParen[len(s)], nextBracket[len(s)] = -1, -1
			for x := len(s) - 1; x >= 0; x-- {
				nextParen[x], nextBracket[x] = nextParen[x+1], nextBracket[x+1]
				switch s[x] {
				case ')':
					nextParen[x] = x
				case ']':
					nextBracket[x] = x
				}
			}
		}
		if k > len(s) {
			return -1
		}
		if closer == ')' {
			return nextParen[k]
		}
		return nextBracket[k]
	}
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '[':
			open = append(open, j)
		case ']':
			if len(open) == 0 {
				continue
			}
			i := open[len(open)-1]
			open = open[:len(open)-1]
			if j+1 >= len(s) || s[j+1] != '(' && s[j+1] != '[' {
				continue
			}
			closer := byte(')')
			if s[j+1] == '[' {
				closer = ']'
			}
			k := next(j+2, closer)
			if k < 0 {
				continue
			}
			if links == nil {
				links = map[int]int{}
			}
			if i > 0 && s[i-1] == '!' {
				links[i-1] = k + 1
			} else {
				links[i] = j
				links[j] = k + 1
			}
		}
	}
	return links
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func isTagStart(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c == '/' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
