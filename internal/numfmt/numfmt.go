// Package numfmt renders numbers for people: a comma every three digits of
// the integer part. It is the one thousands-separator formatter of the
// module; the domain packages (audit, simulate) and the renderers use it so
// that a count reads the same in a note, a table and a workbook label.
package numfmt

import (
	"strconv"
	"strings"
)

// Int renders n with a comma every three digits: 17500 → "17,500",
// -1234567 → "-1,234,567".
func Int(n int64) string {
	return Group(strconv.FormatInt(n, 10))
}

// Group inserts a comma every three digits into the integer part of the
// decimal string s, keeping its sign and fraction: "-1234.50" →
// "-1,234.50". s must be a plain decimal (an optional "-", digits, an
// optional "." and digits), as decimal.Decimal.String and StringFixed give.
func Group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return sign + intPart + frac
	}
	var b strings.Builder
	pre := len(intPart) % 3
	if pre > 0 {
		b.WriteString(intPart[:pre])
	}
	for i := pre; i < len(intPart); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	return sign + b.String() + frac
}

// Count renders n with the noun, singular for one: "1 request",
// "1,234 requests". The plural adds an s.
func Count(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Int(n) + " " + noun + "s"
}

// Percent renders k/n as a whole percentage that rounds half up but never
// up to 100% or down to 0% unless k/n is exactly that: 999 of 1000 is
// "99%", 1 of 1000 is "<1%". It is "0%" when n is not positive.
func Percent(k, n int64) string {
	if n <= 0 {
		return "0%"
	}
	p := k * 100 / n
	if k > 0 && p == 0 {
		return "<1%"
	}
	if k*100%n*2 >= n && p < 99 {
		p++
	}
	return strconv.FormatInt(p, 10) + "%"
}
