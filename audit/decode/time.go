package decode

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// parseTimestamp parses a log timestamp: RFC 3339 with or without
// fractional seconds ("2026-05-01T10:00:00Z", "2026-05-01 10:00:00.123+02:00";
// a space may stand for the T; no zone means UTC), or Unix time as a number
// (seconds, or milliseconds / microseconds / nanoseconds when larger than
// 1e11 / 1e14 / 1e17). The result is in UTC.
func parseTimestamp(s []byte) (time.Time, bool) {
	if len(s) == 0 {
		return time.Time{}, false
	}
	if s[0] >= '0' && s[0] <= '9' && (len(s) < 5 || s[4] != '-') {
		return parseUnix(s)
	}
	if t, ok := fastRFC3339(s); ok {
		return t, true
	}
	str := strings.Replace(string(s), " ", "T", 1)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, str); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func parseUnix(s []byte) (time.Time, bool) {
	if !validNumber(s) {
		return time.Time{}, false
	}
	var f float64
	var n int64
	isInt := true
	for _, c := range s {
		if c < '0' || c > '9' {
			isInt = false
			break
		}
		if n > math.MaxInt64/10-10 {
			return time.Time{}, false
		}
		n = n*10 + int64(c-'0')
	}
	if isInt {
		switch {
		case n > 1e17:
			return time.Unix(0, n).UTC(), true
		case n > 1e14:
			return time.UnixMicro(n).UTC(), true
		case n > 1e11:
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	v, ok := parseFloatValue(s)
	if !ok || v < 0 || v > 1e11 {
		return time.Time{}, false
	}
	f = v
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64(math.Round((f-sec)*1e9))).UTC(), true
}

// fastRFC3339 parses the common shapes without allocating:
// YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM|nothing).
func fastRFC3339(s []byte) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(b []byte) int {
		v := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(s[0:4]), num(s[5:7]), num(s[8:10])
	hour, minute, sec := num(s[11:13]), num(s[14:16]), num(s[17:19])
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	i := 19
	nsec := 0
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		scale := 100000000
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if i-start < 9 {
				nsec += int(s[i]-'0') * scale
				scale /= 10
			}
			i++
		}
		if i == start {
			return time.Time{}, false
		}
	}
	offset := 0
	switch {
	case i == len(s):
	case s[i] == 'Z' || s[i] == 'z':
		i++
	case s[i] == '+' || s[i] == '-':
		if len(s)-i != 6 || s[i+3] != ':' {
			return time.Time{}, false
		}
		oh, om := num(s[i+1:i+3]), num(s[i+4:i+6])
		if oh < 0 || oh > 23 || om < 0 || om > 59 {
			return time.Time{}, false
		}
		offset = oh*3600 + om*60
		if s[i] == '-' {
			offset = -offset
		}
		i += 6
	default:
		return time.Time{}, false
	}
	if i != len(s) {
		return time.Time{}, false
	}
	unix := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec) - int64(offset)
	return time.Unix(unix, int64(nsec)).UTC(), true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// interner keeps one copy of each label string (provider, model, workflow,
// source, team, tag keys and values) per worker, so that decoding a record
// allocates nothing for labels already seen. A small direct-mapped cache in
// front of the map answers the common case (the same few labels over and
// over) without hashing the whole string. The map stops growing at
// maxInterned entries; rarer labels are then allocated per record.
type interner struct {
	m     map[string]string
	cache [256]string
}

const maxInterned = 1 << 16

func newInterner() interner { return interner{m: make(map[string]string, 256)} }

func (in *interner) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	slot := (uint(len(b))*31 + uint(b[0])*7 + uint(b[len(b)-1])*3 + uint(b[len(b)/2])) & 255
	if c := in.cache[slot]; c == string(b) {
		return c
	}
	s, ok := in.m[string(b)]
	if !ok {
		key := string(b)
		s = key
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		if len(in.m) < maxInterned {
			in.m[key] = s
		}
	}
	in.cache[slot] = s
	return s
}
