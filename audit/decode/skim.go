package decode

import (
	"encoding/binary"

	"github.com/costaudit/costaudit/audit/internal/fast"
)

// The canonical skimmer: one pass over a flat JSON object line that keeps
// the raw value of each canonical field and skips the rest. It handles any
// member order, whitespace, unknown members and nested values (skipped, or
// walked for tags), but refuses escaped keys and anything malformed; the
// caller then falls back to encoding/json. It costs a few instructions per
// byte: strings are scanned 16 bytes at a time (SSE2 on amd64, 8 bytes
// elsewhere); each key is first compared, as three masked words, with the
// keys that followed the previous key in earlier lines (skimmer), and only
// then looked up with a collision-free hash over four of its bytes; plain
// integers are parsed as they are skipped; and a nested value (tags) equal
// to one validated recently is skipped with one comparison.

// fieldHash maps a key to a slot of fieldTable (see fieldIndex).
func fieldHash(k []byte) uint {
	n := len(k)
	x := k[n-1]
	if n > 8 {
		x = k[n-8]
	}
	return (uint(n)*2 + uint(k[0]) + uint(k[n-2])*3 + uint(x)*3) & 63
}

var fieldTable = func() (t [64]int8) {
	for i := range t {
		t[i] = -1
	}
	for f, name := range canonicalFields {
		h := fieldHash([]byte(name))
		if t[h] >= 0 {
			panic("audit: canonical field hash collision: " + name)
		}
		t[h] = int8(f)
	}
	return t
}()

// fieldIndex returns the canonical field of key k, or -1.
func fieldIndex(k []byte) int {
	if len(k) < 2 {
		return -1
	}
	f := fieldTable[fieldHash(k)]
	if f < 0 || canonicalFields[f] != string(k) {
		return -1
	}
	return int(f)
}

// quoteEnd returns the index of the quote closing a string whose content
// starts at b[i], and whether the content holds an escape; -1 when the
// string is not closed or holds a control character (invalid JSON). It
// finds the next quote, backslash or control character with fast.QuoteScan (16
// bytes at a time on amd64).
func quoteEnd(b []byte, i int) (int, bool) {
	escaped := false
	for {
		i = fast.QuoteScan(b, i)
		if i >= len(b) || b[i] < 0x20 {
			return -1, false
		}
		if b[i] == '"' {
			return i, escaped
		}
		escaped = true
		if i+1 >= len(b) {
			return -1, false
		}
		switch b[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if i+6 > len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
				return -1, false
			}
			i += 6
		default:
			return -1, false
		}
	}
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// skimmer is skimFlat with a memory of the keys of earlier lines. Logs
// written by one program repeat the same members in the same order with
// the same spacing, so each member first tries the key token (quote, key,
// quote, spaces, colon) that followed the previous member's key last time:
// one comparison instead of a string scan and a hash look-up. A miss takes
// the general path, finds the key's token in the template (or adds it) and
// continues from there, so lines that add or drop an optional member
// (latency_ms, logged_cost_usd, ...) cost one or two misses and leave the
// template as it was for the lines around them.
type skimmer struct {
	tmpl []tmplKey
	// pos is the template index of each canonical field's token, or -1.
	pos [cfCount]int8
	// start holds the template indexes of the first keys of recent lines,
	// the latest first (-1: none).
	start [2]int8
	init  bool
	// known holds recent nested values (see knownValue), and knownTags
	// the tag map decoded from each, once one is (nil until then).
	known     [knownValues][]byte
	knownTags [knownValues]map[string]string
	knownNext int
	// tagsKnown is the index in known of the line's tags value, or -1.
	tagsKnown int
	esc       uint32 // fields whose string value holds an escape, by bit
	// num marks, by bit, the fields whose value is a plain integer of at
	// most 18 digits (no sign, no leading zero), and nums holds them.
	num  uint32
	nums [cfCount]int64
}

// knownValues is the number of nested values (tag objects, mostly) a
// skimmer remembers, and maxKnownValue the longest it keeps.
const (
	knownValues   = 8
	maxKnownValue = 256
)

// knownValue returns the length of the remembered nested value that b
// starts with and its index in known, or 0 and -1. A remembered value was
// validated by skipValue, and a JSON object or array ends at its matching
// bracket, so b holds the same complete value.
func (s *skimmer) knownValue(b []byte) (int, int) {
	if len(b) < 8 {
		return 0, -1
	}
	head := binary.LittleEndian.Uint64(b)
	for j := range s.known {
		k := s.known[j]
		if len(k) >= 8 && binary.LittleEndian.Uint64(k) == head && len(b) >= len(k) && string(b[:len(k)]) == string(k) {
			return len(k), j
		}
	}
	return 0, -1
}

// remember keeps a nested value that skipValue accepted, replacing the
// oldest, and returns its index in known (-1 when it is not kept).
func (s *skimmer) remember(v []byte) int {
	if len(v) < 8 || len(v) > maxKnownValue {
		return -1
	}
	j := s.knownNext
	s.known[j] = append(s.known[j][:0], v...)
	s.knownTags[j] = nil
	if j == s.tagsKnown {
		s.tagsKnown = -1 // the line's tags value is no longer kept
	}
	s.knownNext = (j + 1) % knownValues
	return j
}

// tagsSlot returns where the tag map of this line's tags value is cached
// (see knownTags), or nil.
func (s *skimmer) tagsSlot() *map[string]string {
	if s.tagsKnown < 0 {
		return nil
	}
	return &s.knownTags[s.tagsKnown]
}

// maxTmpl bounds the template; keys beyond it always take the general path.
const maxTmpl = 64

// resync returns the template index of key token tok of field f (-1 for
// an unknown key), adding the token when the template lacks it; -1 when
// the template is full.
func (s *skimmer) resync(tok []byte, f int) int {
	if f >= 0 {
		if j := int(s.pos[f]); j >= 0 {
			if string(s.tmpl[j].tok) != string(tok) {
				// The same key written with other spacing: keep the latest.
				next := s.tmpl[j].next
				s.tmpl[j] = newTmplKey(s.tmpl[j].tok, tok, f)
				s.tmpl[j].next = next
			}
			return j
		}
	} else {
		for j := range s.tmpl {
			if s.tmpl[j].f < 0 && string(s.tmpl[j].tok) == string(tok) {
				return j
			}
		}
	}
	if len(s.tmpl) >= maxTmpl {
		return -1
	}
	s.tmpl = append(s.tmpl, newTmplKey(nil, tok, f))
	if f >= 0 {
		s.pos[f] = int8(len(s.tmpl) - 1)
	}
	return len(s.tmpl) - 1
}

type tmplKey struct {
	tok []byte // `"key":` as written, up to and including the colon
	f   int    // canonical field, or -1
	// w holds tok as little-endian words, and m masks the bytes of each
	// that belong to tok, for tokens of up to 24 bytes (fits).
	w    [3]uint64
	m    [3]uint64
	fits bool
	// next holds the template indexes of the keys that followed this one
	// most recently, the latest first (-1: none).
	next [2]int8
}

func newTmplKey(dst []byte, tok []byte, f int) tmplKey {
	k := tmplKey{tok: append(dst[:0], tok...), f: f, next: [2]int8{-1, -1}}
	if len(tok) <= 24 {
		var buf [24]byte
		copy(buf[:], tok)
		for j := range k.w {
			k.w[j] = binary.LittleEndian.Uint64(buf[8*j:])
			switch rem := len(tok) - 8*j; {
			case rem >= 8:
				k.m[j] = ^uint64(0)
			case rem > 0:
				k.m[j] = ^uint64(0) >> (64 - 8*rem)
			}
		}
		k.fits = true
	}
	return k
}

// match reports whether b[i:] starts with the key token.
// It compares three masked words without branching when it can (small
// enough to be inlined), and the bytes otherwise.
func (k *tmplKey) match(b []byte, i int) bool {
	if k.fits && len(b)-i >= 24 {
		return k.matchWords(b[i:])
	}
	return k.matchBytes(b, i)
}

// matchWords is match for a token that fits, on at least 24 bytes.
func (k *tmplKey) matchWords(c []byte) bool {
	_ = c[23]
	return (binary.LittleEndian.Uint64(c)&k.m[0]^k.w[0])|
		(binary.LittleEndian.Uint64(c[8:])&k.m[1]^k.w[1])|
		(binary.LittleEndian.Uint64(c[16:])&k.m[2]^k.w[2]) == 0
}

// matchBytes is match comparing bytes, for any token and position.
func (k *tmplKey) matchBytes(b []byte, i int) bool {
	n := len(k.tok)
	return len(b)-i >= n && string(b[i:i+n]) == string(k.tok)
}

// skim fills vals with the raw values of the canonical fields of the
// object in b. It returns false when the general path must decide.
func (s *skimmer) skim(b []byte, vals *[cfCount][]byte) bool {
	s.esc, s.num, s.tagsKnown = 0, 0, -1
	if !s.init {
		for i := range s.pos {
			s.pos[i] = -1
		}
		s.start = [2]int8{-1, -1}
		s.init = true
	}
	n := len(b)
	i := 0
	for i < n && b[i] <= ' ' && isSpace(b[i]) {
		i++
	}
	if i >= n || b[i] != '{' {
		return false
	}
	i++
	for i < n && b[i] <= ' ' && isSpace(b[i]) {
		i++
	}
	if i < n && b[i] == '}' {
		i++
	} else {
		// prev is the template index of the previous key (-1: none, or
		// not in the template); its next links say which keys to try.
		for prev := -1; ; {
			if i >= n || b[i] != '"' {
				return false
			}
			var f int
			nx := &s.start
			if prev >= 0 {
				nx = &s.tmpl[prev].next
			}
			// Try the two candidates; matchWords is match inlined for
			// the usual case of a short token well inside the line.
			room := n-i >= 24
			cur := int(nx[0])
			if cur >= 0 {
				if k := &s.tmpl[cur]; !(room && k.fits && k.matchWords(b[i:]) || !(room && k.fits) && k.match(b, i)) {
					cur = -1
				}
			}
			if cur < 0 {
				if cur = int(nx[1]); cur >= 0 {
					if k := &s.tmpl[cur]; room && k.fits && k.matchWords(b[i:]) || !(room && k.fits) && k.match(b, i) {
						nx[0], nx[1] = nx[1], nx[0]
					} else {
						cur = -1
					}
				}
			}
			if cur >= 0 {
				f = s.tmpl[cur].f
				i += len(s.tmpl[cur].tok)
			} else {
				ks := i
				ke, esc := quoteEnd(b, i+1)
				if ke < 0 || esc {
					return false
				}
				f = fieldIndex(b[i+1 : ke])
				i = ke + 1
				for i < n && b[i] <= ' ' && isSpace(b[i]) {
					i++
				}
				if i >= n || b[i] != ':' {
					return false
				}
				i++
				cur = s.resync(b[ks:i], f)
				if cur >= 0 {
					// resync may have moved the template: look nx up again.
					nx = &s.start
					if prev >= 0 {
						nx = &s.tmpl[prev].next
					}
					nx[0], nx[1] = int8(cur), nx[0]
				}
			}
			prev = cur
			for i < n && b[i] <= ' ' && isSpace(b[i]) {
				i++
			}
			if i >= n {
				return false
			}
			vs := i
			var (
				num   int64
				isNum bool
				known = -1 // index in s.known of a nested value
			)
			switch c := b[i]; c {
			case '"':
				// Most values hold no escape: one scan finds their end.
				ve, esc := fast.QuoteScan(b, i+1), false
				if ve >= n || b[ve] != '"' {
					ve, esc = quoteEnd(b, i+1)
				}
				if ve < 0 {
					return false
				}
				if esc && f >= 0 {
					s.esc |= 1 << f
				}
				i = ve + 1
			case '{', '[':
				if k, j := s.knownValue(b[i:]); k > 0 {
					// A value seen before: it is valid and ends there.
					i += k
					known = j
					break
				}
				e, ok := skipValue(b, i, 1)
				if !ok {
					return false
				}
				known = s.remember(b[i:e])
				i = e
			default:
				digits := true
				var v uint64
				for i < n {
					c := b[i]
					if c-'0' > 9 {
						if c == ',' || c == '}' || isSpace(c) {
							break
						}
						digits = false
					}
					v = v*10 + uint64(c-'0')
					i++
				}
				// Plain integers (most values) are valid JSON unless they
				// have a leading zero; anything else is checked in full.
				if digits && i > vs && (b[vs] != '0' || i == vs+1) {
					if i-vs <= 18 {
						num, isNum = int64(v), true
					}
				} else if !validScalar(b[vs:i]) {
					return false
				}
			}
			if f >= 0 {
				vals[f] = b[vs:i]
				if f == cfTags {
					s.tagsKnown = known
				}
				if isNum {
					s.num |= 1 << f
					s.nums[f] = num
				} else {
					s.num &^= 1 << f
				}
			}
			for i < n && b[i] <= ' ' && isSpace(b[i]) {
				i++
			}
			if i >= n {
				return false
			}
			if b[i] == '}' {
				i++
				break
			}
			if b[i] != ',' {
				return false
			}
			i++
			for i < n && b[i] <= ' ' && isSpace(b[i]) {
				i++
			}
		}
	}
	for i < n && b[i] <= ' ' && isSpace(b[i]) {
		i++
	}
	return i == n
}

// validScalar reports whether tok is a JSON number or literal.
func validScalar(tok []byte) bool {
	if len(tok) == 0 {
		return false
	}
	switch tok[0] {
	case 't':
		return string(tok) == "true"
	case 'f':
		return string(tok) == "false"
	case 'n':
		return string(tok) == "null"
	}
	return validNumber(tok)
}
