package decode

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// Small JSON primitives shared by the decoders: a structural skimmer that
// walks objects without building them, exact integer parsing, and path
// look-up for --workflow-key. The skimmer only accepts what it fully
// understands; any other input goes to encoding/json, which also gives the
// syntax error of a rejected line.

// maxDepth bounds the nesting the skimmer walks; deeper input is handed to
// encoding/json, which has its own limit.
const maxDepth = 64

func skipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// scanString expects b[i] == '"' and returns the end (after the closing
// quote) and whether the string holds a backslash escape.
func scanString(b []byte, i int) (end int, escaped, ok bool) {
	j, esc := quoteEnd(b, i+1)
	if j < 0 {
		return 0, false, false
	}
	return j + 1, esc, true
}

// skipValue returns the end of the JSON value starting at b[i] (after
// whitespace), checking structure but not the content of numbers and
// literals beyond their characters.
func skipValue(b []byte, i int, depth int) (int, bool) {
	i = skipWS(b, i)
	if i >= len(b) {
		return 0, false
	}
	switch c := b[i]; c {
	case '"':
		end, _, ok := scanString(b, i)
		return end, ok
	case '{':
		if depth >= maxDepth {
			return 0, false
		}
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == '}' {
			return i + 1, true
		}
		for {
			i = skipWS(b, i)
			if i >= len(b) || b[i] != '"' {
				return 0, false
			}
			end, _, ok := scanString(b, i)
			if !ok {
				return 0, false
			}
			i = skipWS(b, end)
			if i >= len(b) || b[i] != ':' {
				return 0, false
			}
			if i, ok = skipValue(b, i+1, depth+1); !ok {
				return 0, false
			}
			i = skipWS(b, i)
			if i >= len(b) {
				return 0, false
			}
			if b[i] == '}' {
				return i + 1, true
			}
			if b[i] != ',' {
				return 0, false
			}
			i++
		}
	case '[':
		if depth >= maxDepth {
			return 0, false
		}
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == ']' {
			return i + 1, true
		}
		for {
			var ok bool
			if i, ok = skipValue(b, i, depth+1); !ok {
				return 0, false
			}
			i = skipWS(b, i)
			if i >= len(b) {
				return 0, false
			}
			if b[i] == ']' {
				return i + 1, true
			}
			if b[i] != ',' {
				return 0, false
			}
			i++
		}
	default:
		j := i
		for j < len(b) {
			c := b[j]
			if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || (c >= 'a' && c <= 'z') {
				j++
				continue
			}
			break
		}
		if j == i {
			return 0, false
		}
		switch tok := b[i:j]; {
		case tok[0] == '-' || (tok[0] >= '0' && tok[0] <= '9'):
			if !validNumber(tok) {
				return 0, false
			}
		case string(tok) == "true", string(tok) == "false", string(tok) == "null":
		default:
			return 0, false
		}
		return j, true
	}
}

// validNumber reports whether tok is a JSON number.
func validNumber(tok []byte) bool {
	i := 0
	if i < len(tok) && tok[i] == '-' {
		i++
	}
	if i >= len(tok) {
		return false
	}
	if tok[i] == '0' {
		i++
	} else if tok[i] >= '1' && tok[i] <= '9' {
		for i < len(tok) && tok[i] >= '0' && tok[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(tok) && tok[i] == '.' {
		i++
		d := i
		for i < len(tok) && tok[i] >= '0' && tok[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(tok) && (tok[i] == 'e' || tok[i] == 'E') {
		i++
		if i < len(tok) && (tok[i] == '+' || tok[i] == '-') {
			i++
		}
		d := i
		for i < len(tok) && tok[i] >= '0' && tok[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(tok)
}

// objectIter walks the members of a JSON object: keys and raw values.
type objectIter struct {
	b   []byte
	i   int
	n   int // members returned
	err bool
}

// newObjectIter starts at the first non-space byte of b, which must be '{'.
func newObjectIter(b []byte) (objectIter, bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return objectIter{}, false
	}
	return objectIter{b: b, i: i + 1}, true
}

// next returns the next key (raw, without quotes; escaped reports a
// backslash in it) and its raw value. done is true after the closing brace
// (with ok) or on a syntax error (without ok).
func (it *objectIter) next() (key, val []byte, escaped bool, done bool) {
	b := it.b
	i := skipWS(b, it.i)
	if i >= len(b) {
		it.err = true
		return nil, nil, false, true
	}
	if b[i] == '}' {
		it.i = i + 1
		return nil, nil, false, true
	}
	if it.n > 0 {
		if b[i] != ',' {
			it.err = true
			return nil, nil, false, true
		}
		i = skipWS(b, i+1)
	}
	if i >= len(b) || b[i] != '"' {
		it.err = true
		return nil, nil, false, true
	}
	end, esc, ok := scanString(b, i)
	if !ok {
		it.err = true
		return nil, nil, false, true
	}
	key = b[i+1 : end-1]
	i = skipWS(b, end)
	if i >= len(b) || b[i] != ':' {
		it.err = true
		return nil, nil, false, true
	}
	vs := skipWS(b, i+1)
	ve, ok := skipValue(b, vs, 1)
	if !ok {
		it.err = true
		return nil, nil, false, true
	}
	it.i = ve
	it.n++
	return key, b[vs:ve], esc, false
}

// finish reports whether the object ended cleanly with nothing after it.
func (it *objectIter) finish() bool {
	return !it.err && skipWS(it.b, it.i) == len(it.b)
}

// Outcomes of ParseCount: what a raw JSON value is as a token count.
const (
	CountOK = iota
	CountNegative
	CountNotInteger
	CountBad
	CountTooLarge // an integer beyond int64, or a float integer beyond 2^53
	CountNull
)

// ParseCount parses a token count from a raw JSON value: an integer, an
// integral float like 1500.0 (pandas writes those), or a quoted integer.
func ParseCount(v []byte) (int64, int) {
	if len(v) == 0 {
		return 0, CountBad
	}
	if v[0] == '"' {
		if len(v) < 2 {
			return 0, CountBad
		}
		v = v[1 : len(v)-1]
		if len(v) == 0 {
			return 0, CountNull
		}
	}
	if string(v) == "null" {
		return 0, CountNull
	}
	// Fast path: plain digits.
	var n int64
	i := 0
	neg := false
	if v[0] == '-' {
		neg = true
		i = 1
	}
	if i == len(v) {
		return 0, CountBad
	}
	for ; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			break
		}
		if n > (math.MaxInt64-9)/10 {
			if !neg && allDigits(v[i:]) {
				return 0, CountTooLarge
			}
			return 0, CountBad
		}
		n = n*10 + int64(c-'0')
	}
	if i == len(v) {
		if neg && n != 0 {
			return -n, CountNegative
		}
		return n, CountOK
	}
	if !validNumber(v) {
		return 0, CountBad
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if math.IsInf(f, 1) {
		return 0, CountTooLarge
	}
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, CountBad
	}
	if f < 0 {
		return int64(f), CountNegative
	}
	if f != math.Trunc(f) {
		return 0, CountNotInteger
	}
	if f > 1<<53 {
		return 0, CountTooLarge
	}
	return int64(f), CountOK
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseFloatValue parses a raw JSON number (or quoted number).
func parseFloatValue(v []byte) (float64, bool) {
	if len(v) > 1 && v[0] == '"' {
		v = v[1 : len(v)-1]
	}
	if !validNumber(v) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(v), 64)
	return f, err == nil
}

// unquote returns the content of a raw JSON string value, decoding escapes
// when there are any; ok is false for a value that is not a string.
func unquote(v []byte) ([]byte, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return nil, false
	}
	s := v[1 : len(v)-1]
	if bytes.IndexByte(s, '\\') < 0 {
		if !utf8.Valid(s) {
			return []byte(string([]rune(string(s)))), true
		}
		return s, true
	}
	var out string
	if err := json.Unmarshal(v, &out); err != nil {
		return nil, false
	}
	return []byte(out), true
}

// isNull reports whether a raw value is the JSON null.
func isNull(v []byte) bool { return string(v) == "null" }

// lookupPath finds the value at a dotted path in a JSON object: first the
// whole path as one key, then the part before the first dot as a key whose
// value is searched for the rest, recursively.
// It returns the raw value.
func lookupPath(b []byte, path string) ([]byte, bool) {
	if v, ok := lookupKey(b, path); ok {
		return v, true
	}
	for {
		i := indexByteString(path, '.')
		if i < 0 {
			return nil, false
		}
		v, ok := lookupKey(b, path[:i])
		if !ok {
			return nil, false
		}
		b, path = v, path[i+1:]
		if v, ok := lookupKey(b, path); ok {
			return v, true
		}
	}
}

func lookupKey(b []byte, key string) ([]byte, bool) {
	it, ok := newObjectIter(b)
	if !ok {
		return nil, false
	}
	var found []byte
	for {
		k, v, esc, done := it.next()
		if done {
			break
		}
		if esc {
			var s string
			if json.Unmarshal(append(append([]byte{'"'}, k...), '"'), &s) == nil && s == key {
				found = v
			}
			continue
		}
		if string(k) == key {
			found = v
		}
	}
	return found, found != nil
}

// scalarText returns the text of a raw scalar for use as a label: a
// string's content, or a number or boolean as written.
func scalarText(v []byte) (string, bool) {
	if len(v) == 0 || isNull(v) {
		return "", false
	}
	switch v[0] {
	case '"':
		s, ok := unquote(v)
		return string(s), ok
	case '{', '[':
		return "", false
	}
	return string(v), true
}

func indexByteString(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// unmarshalFast decodes data into v with goccy/go-json, several times
// faster than encoding/json on the vendor structs, and falls back to
// encoding/json (with v reset) on any error or panic, so that error
// messages and edge cases are the standard library's.
func unmarshalFast(data []byte, v any) (err error) {
	defer func() {
		if recover() != nil {
			reflect.ValueOf(v).Elem().SetZero()
			err = json.Unmarshal(data, v)
		}
	}()
	if gojson.Unmarshal(data, v) == nil {
		return nil
	}
	reflect.ValueOf(v).Elem().SetZero()
	return json.Unmarshal(data, v)
}
