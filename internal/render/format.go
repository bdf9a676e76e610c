package render

import (
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/costaudit/costaudit/internal/numfmt"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/report"
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
		s = numfmt.Group(r.StringFixed(int32(places)))
	}
	if neg {
		return "-$" + s
	}
	return "$" + s
}

// Count formats an integer with thousands separators: 17500 → "17,500".
func Count(n int64) string {
	return numfmt.Int(n)
}

// Percent formats part/whole as a percentage with one decimal, "64.8%";
// "—" when whole is zero.
func Percent(part, whole decimal.Decimal) string {
	if whole.Sign() == 0 {
		return "—"
	}
	return part.Mul(decimal.NewFromInt(100)).Div(whole).Round(1).StringFixed(1) + "%"
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
	return numfmt.Group(d.String())
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

// humanTime formats an RFC 3339 instant for people: "2 Nov 2026 01:01 UTC"
// (the report's instants are UTC). Text that does not parse is returned
// as it is.
func humanTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}

// humanDays formats a span in days to one decimal: "6.8 days", "7 days",
// "1 day".
func humanDays(d decimal.Decimal) string {
	r := d.Round(1)
	if r.Equal(decimal.NewFromInt(1)) {
		return "1 day"
	}
	return r.String() + " days"
}

// displayed is the amount USD shows for d: rounded to places (two when
// places <= 0), or to two significant digits when that would show a
// non-zero amount as zero.
func displayed(d decimal.Decimal, places int) decimal.Decimal {
	if places <= 0 {
		places = 2
	}
	a := d.Abs()
	if r := a.Round(int32(places)); r.Sign() != 0 || a.Sign() == 0 {
		return d.Round(int32(places))
	}
	lead := a.Exponent() + int32(a.NumDigits()) - 1
	return d.Round(-lead + 1)
}

// savingsShown is the saving shown beside a cost and a new cost: the
// shown cost minus the shown new cost, so the three columns subtract
// exactly on the page. It differs from the exact saving rounded by at
// most one unit of the last place.
func savingsShown(cost, newCost decimal.Decimal, places int) decimal.Decimal {
	return displayed(cost, places).Sub(displayed(newCost, places))
}

// apportion rounds non-negative parts to places decimals so that they add
// up to their exact sum rounded the same way (largest remainder: each part
// is rounded down, and the units left over go to the parts that lost the
// most, earlier parts first on ties). A part that is not zero but would be
// shown as zero keeps its two significant digits (see displayed), which
// the total then does not include. With a negative part every part is
// simply rounded.
func apportion(parts []decimal.Decimal, places int) []decimal.Decimal {
	if places <= 0 {
		places = 2
	}
	out := make([]decimal.Decimal, len(parts))
	sum := decimal.Zero
	for _, p := range parts {
		if p.Sign() < 0 {
			for i, q := range parts {
				out[i] = displayed(q, places)
			}
			return out
		}
		sum = sum.Add(p)
	}
	unit := decimal.New(1, -int32(places))
	left := sum.Round(int32(places))
	order := make([]int, len(parts))
	for i, p := range parts {
		out[i] = p.Truncate(int32(places))
		left = left.Sub(out[i])
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ra := parts[order[a]].Sub(out[order[a]])
		rb := parts[order[b]].Sub(out[order[b]])
		return ra.GreaterThan(rb)
	})
	for _, i := range order {
		if left.LessThan(unit) {
			break
		}
		out[i] = out[i].Add(unit)
		left = left.Sub(unit)
	}
	for i, p := range parts {
		if out[i].Sign() == 0 && p.Sign() != 0 {
			out[i] = displayed(p, places)
		}
	}
	return out
}

// RoundingNote is the rounding rule of every human format, printed under
// the figures it explains.
const RoundingNote = "Money is rounded half away from zero to the cent (amounts under a cent keep two significant digits). " +
	"Rows are rounded so that they add up to the rounded total (largest remainder), and a savings column is the rounded cost " +
	"minus the rounded new cost, so every table adds up on the page. The JSON report carries the exact amounts."

// tableCell formats cell i of a scenario table row for people: money
// columns (named "*_usd", "cost", "USD" or with "$" in the title) as USD,
// anything else as it is.
func tableCell(cols []string, i int, c string, places int) string {
	if i >= len(cols) {
		return c
	}
	name := strings.ToLower(cols[i])
	if !(strings.HasSuffix(name, "_usd") || strings.HasSuffix(name, " usd") || name == "cost" || strings.Contains(name, "$")) {
		return c
	}
	d, err := decimal.NewFromString(c)
	if err != nil {
		return c
	}
	return USD(d, places)
}

// monthlyShown is the monthly saving of each opportunity as shown: rounded
// by largest remainder so that the rows add up to their rounded sum (the
// headline's monthly saving).
func monthlyShown(ops []report.Opportunity, places int) []decimal.Decimal {
	parts := make([]decimal.Decimal, len(ops))
	for i, o := range ops {
		parts[i] = o.MonthlySavingsUSD
	}
	return apportion(parts, places)
}
