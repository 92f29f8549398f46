package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// checkDepth reports an error wrapping ErrTooDeep when data nests JSON
// arrays/objects deeper than MaxJSONDepth. It scans bytes (strings are
// skipped), so it runs before any recursive decoder.
func checkDepth(data []byte) error {
	depth, inStr, esc := 0, false, false
	for i, b := range data {
		if inStr {
			switch {
			case esc:
				esc = false
			case b == '\\':
				esc = true
			case b == '"':
				inStr = false
			}
			continue
		}
		switch b {
		case '"':
			inStr = true
		case '{', '[':
			depth++
			if depth > MaxJSONDepth {
				return fmt.Errorf("JSON nested more than %d levels deep at byte %d: %w", MaxJSONDepth, i, ErrTooDeep)
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}

// decodeJSON decodes one JSON value with the size and depth limits and
// refuses trailing data. Errors give the byte offset.
func decodeJSON(data []byte) (any, error) {
	if len(data) > MaxCredentialBytes {
		return nil, fmt.Errorf("JSON of %d bytes exceeds the %d-byte limit: %w", len(data), MaxCredentialBytes, ErrTooLarge)
	}
	if err := checkDepth(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonError(data, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("unexpected data after the JSON value at byte %d", dec.InputOffset())
	}
	return v, nil
}

// decodeObject decodes a JSON object.
func decodeObject(data []byte) (map[string]any, error) {
	v, err := decodeJSON(data)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("expected a JSON object, found %s", jsonKind(v))
	}
	return m, nil
}

// jsonError adds line and column to a JSON syntax error.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var off int64 = -1
	if e, ok := err.(*json.SyntaxError); ok {
		se = e
		off = se.Offset
	}
	if e, ok := err.(*json.UnmarshalTypeError); ok {
		off = e.Offset
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		line := 1 + bytes.Count(data, []byte("\n"))
		return fmt.Errorf("invalid JSON: the document ends early at line %d (truncated?): %w", line, err)
	}
	if off < 0 || off > int64(len(data)) {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64, json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// str returns m[key] as a string ("" when absent or not a string).
func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// obj returns m[key] as an object; the first element when it is an array.
func obj(m map[string]any, key string) map[string]any {
	switch v := m[key].(type) {
	case map[string]any:
		return v
	case []any:
		if len(v) > 0 {
			o, _ := v[0].(map[string]any)
			return o
		}
	}
	return nil
}

// list returns m[key] as a list: an array as is, a single value wrapped.
func list(m map[string]any, key string) []any {
	switch v := m[key].(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

// strs returns the string members of m[key] (a string or array).
func strs(m map[string]any, key string) []string {
	var out []string
	for _, v := range list(m, key) {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// objs returns the object members of m[key].
func objs(m map[string]any, key string) []map[string]any {
	var out []map[string]any
	for _, v := range list(m, key) {
		if o, ok := v.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

// idOrString returns a string value, or the "id" of an object value.
func idOrString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		return str(t, "id")
	}
	return ""
}

// langString returns a plain string, or the first value of a language map
// / language value object (OB 3.0 allows multilingual names).
func langString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		if s, ok := t["@value"].(string); ok {
			return s
		}
		for _, k := range sortedKeys(t) {
			if s, ok := t[k].(string); ok {
				return s
			}
		}
	case []any:
		for _, e := range t {
			if s := langString(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// parseTime parses an XML Schema dateTime as used by credentials
// (RFC 3339, with or without fractional seconds; a missing zone is UTC).
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date-time such as 2024-05-01T12:00:00Z", s)
}

func cloneJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = cloneJSON(e)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, e := range t {
			a[i] = cloneJSON(e)
		}
		return a
	}
	return v
}
