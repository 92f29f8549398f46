package taxonomy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold lower-cases s and removes the accents of Latin letters ("Évaluer" →
// "evaluer", "Straße" → "strasse"), so that labels can be compared the way
// people type them. It uses the standard library only.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldTable maps lower-case accented Latin letters to their base letters.
var foldTable = func() map[rune]string {
	groups := map[string]string{
		"a":  "àáâãäåāăą",
		"ae": "æ",
		"c":  "çćĉċč",
		"d":  "ďđð",
		"e":  "èéêëēĕėęě",
		"g":  "ĝğġģ",
		"h":  "ĥħ",
		"i":  "ìíîïĩīĭįı",
		"j":  "ĵ",
		"k":  "ķ",
		"l":  "ĺļľŀł",
		"n":  "ñńņňŉ",
		"o":  "òóôõöøōŏő",
		"oe": "œ",
		"r":  "ŕŗř",
		"s":  "śŝşšș",
		"ss": "ß",
		"t":  "ţťŧț",
		"th": "þ",
		"u":  "ùúûüũūŭůűų",
		"w":  "ŵ",
		"y":  "ýÿŷ",
		"z":  "źżž",
		"'":  "’‘ʼ",
		"-":  "‐‑‒–—",
	}
	m := map[rune]string{}
	for base, runes := range groups {
		for _, r := range runes {
			m[r] = base
		}
	}
	return m
}()
