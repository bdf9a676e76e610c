package render

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"
)

// USD formats money for people: rounded half away from zero to places
// decimals (2 when places <= 0) with thousands separators, "$1,234.56",
// "-$0.50". A non-zero amount that would round to zero keeps two
// significant digits instead ("$0.0042"), so a small cost never shows as
// $0.00.
func USD(d decimal.Decimal, places int) string {
	if places <= 0 {
		places = 2
	}
	neg := d.Sign() < 0
	a := d.Abs()
	var s string
	if r := a.Round(int32(places)); r.Sign() == 0 && a.Sign() != 0 {
		// Two significant digits: the exponent of the leading digit.
		lead := a.Exponent() + int32(a.NumDigits()) - 1 // 0.0042 → -3
		s = a.Round(-lead + 1).String()
	} else {
		s = groupThousands(r.StringFixed(int32(places)))
	}
	if neg {
		return "-$" + s
	}
	return "$" + s
}

// Count formats an integer with thousands separators: 17500 → "17,500".
func Count(n int64) string {
	return groupThousands(strconv.FormatInt(n, 10))
}

// Percent formats part/whole as a percentage with one decimal, "64.8%";
// "—" when whole is zero.
func Percent(part, whole decimal.Decimal) string {
	if whole.Sign() == 0 {
		return "—"
	}
	return part.Mul(decimal.NewFromInt(100)).Div(whole).Round(1).StringFixed(1) + "%"
}

// groupThousands inserts commas into the integer part of a decimal string.
func groupThousands(s string) string {
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

// Clean makes text that came from logs safe to print on a terminal: control
// characters (escape sequences, carriage returns, newlines) are shown as Go
// escapes (\x1b, \n) instead of being interpreted.
func Clean(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			q := strconv.QuoteRune(r) // '\x1b'
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}

// figureValue formats a scenario figure for people according to its unit:
// money like USD, percentages to two decimals with a % sign, other values
// to four decimals with thousands separators and the unit. JSON and CSV
// keep the exact value.
func figureValue(value, unit string, places int) string {
	if value == "" {
		return ""
	}
	d, err := decimal.NewFromString(value)
	if err != nil {
		// Ranges and other non-numeric values are shown as computed.
		if unit == "" {
			return value
		}
		return value + " " + unit
	}
	switch {
	case unit == "USD":
		return USD(d, places)
	case strings.HasPrefix(unit, "USD/"):
		return USD(d, places) + "/" + strings.TrimPrefix(unit, "USD/")
	case unit == "%":
		return decimalText(d.Round(2)) + "%"
	case unit == "":
		return decimalText(d.Round(4))
	default:
		return decimalText(d.Round(4)) + " " + countUnit(d.Round(4), unit)
	}
}

// singular maps the plural count units of figures to their singular.
var singular = map[string]string{
	"jobs": "job", "requests": "request", "tokens": "token", "rows": "row", "records": "record",
	"days": "day", "hours": "hour", "minutes": "minute", "submissions": "submission", "files": "file",
}

// countUnit returns unit in the singular when d is one ("1 job",
// "1 job/day"), else unit as given.
func countUnit(d decimal.Decimal, unit string) string {
	if !d.Abs().Equal(decimal.NewFromInt(1)) {
		return unit
	}
	word, rest, _ := strings.Cut(unit, "/")
	s, ok := singular[word]
	if !ok {
		return unit
	}
	if rest != "" {
		return s + "/" + rest
	}
	return s
}

// decimalText groups the integer digits of an exact decimal and keeps its
// fraction as computed.
func decimalText(d decimal.Decimal) string {
	return groupThousands(d.String())
}

// quotedValue formats a seed's quoted figure: numeric quotes like figure
// values, anything else as quoted.
func quotedValue(quoted, unit string, places int) string {
	if quoted == "" {
		return ""
	}
	if _, err := decimal.NewFromString(quoted); err != nil {
		return quoted
	}
	return figureValue(quoted, unit, places)
}
