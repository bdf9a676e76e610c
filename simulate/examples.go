package simulate

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/costaudit/costaudit/internal/numfmt"

	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

// LoadExamples parses every *.toml scenario file in dir of fsys, sorted by
// name. Each must carry an [example] table.
func LoadExamples(fsys fs.FS, dir string) ([]*File, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.toml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*File
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read example %s: %w", n, err)
		}
		f, err := ParseFile(n, data)
		if err != nil {
			return nil, err
		}
		if f.Example == nil {
			return nil, &FileError{File: n, Key: "example", Err: fmt.Errorf("missing: a worked example needs an [example] table")}
		}
		out = append(out, f)
	}
	return out, nil
}

// RunExample simulates a worked example and sets each quoted figure beside
// the computed one, with a note wherever they differ.
func RunExample(f *File, opt Options) (report.Scenario, error) {
	sc, err := Run(f, opt)
	if err != nil {
		return sc, err
	}
	sc.Kind = "example"
	e := f.Example
	for i, q := range e.Quotes {
		idx := -1
		for j := range sc.Figures {
			if sc.Figures[j].Key == q.Figure {
				idx = j
			}
		}
		if idx < 0 {
			var keys []string
			for _, fg := range sc.Figures {
				keys = append(keys, fg.Key)
			}
			return sc, &FileError{File: f.path, Line: f.lineIn("example.quote", i, "figure"), Key: "example.quote.figure",
				Err: fmt.Errorf("unknown figure %q (allowed: %s)", q.Figure, strings.Join(keys, ", "))}
		}
		fg := &sc.Figures[idx]
		fg.Quoted = q.Text
		if fg.Quoted == "" && q.Value.Set {
			fg.Quoted = q.Value.D.String()
		}
		fg.Note = joinNotes(compareQuote(fg, q), q.Why, fg.Note)
	}
	pre := []string{}
	if e.Seed != "" {
		pre = append(pre, "seed "+e.Seed+": "+e.Question)
	}
	if e.Correct != "" {
		pre = append(pre, "correct: "+e.Correct)
	}
	pre = append(pre, e.Notes...)
	sc.Notes = append(pre, sc.Notes...)
	return sc, nil
}

// Differs reports whether a worked-example figure disagrees with the
// figure the seed quoted (after rounding the computed value as the seed
// would print it). Figures without a numeric quote never differ.
func Differs(fg report.Figure, q Quote) bool {
	if !q.Value.Set {
		return false
	}
	v, err := decimal.NewFromString(fg.Value)
	if err != nil {
		return true
	}
	return !roundAs(v, fg.Unit).Equal(q.Value.D)
}

// roundAs rounds a value as the seeds print it: money to cents,
// percentages to one decimal.
func roundAs(v decimal.Decimal, unit string) decimal.Decimal {
	switch {
	case strings.HasPrefix(unit, "USD"):
		return v.Round(2)
	case unit == "%":
		return v.Round(1)
	}
	return v
}

var thousand = decimal.NewFromInt(1000)

// compareQuote explains a numeric quote that differs from the computed
// figure, naming a 1,000× unit slip when that is what it is.
func compareQuote(fg *report.Figure, q Quote) string {
	if !Differs(*fg, q) {
		if q.Value.Set {
			return "matches the seed"
		}
		return ""
	}
	v, _ := decimal.NewFromString(fg.Value)
	shown := roundAs(v, fg.Unit)
	msg := fmt.Sprintf("the seed says %s; the arithmetic gives %s", quoteText(q), display(shown, fg.Unit))
	if v.IsZero() {
		return msg
	}
	ratio := q.Value.D.DivRound(v, 6)
	tenPct := decimal.NewFromFloat(0.1)
	switch {
	case ratio.Sub(thousand).Abs().LessThanOrEqual(thousand.Mul(tenPct)):
		return msg + " — the seed is " + times(ratio) + " too high: per-thousand and per-million tokens mixed up"
	case ratio.Mul(thousand).Sub(dOne).Abs().LessThanOrEqual(tenPct):
		return msg + " — the seed is 1,000× too low"
	case ratio.GreaterThanOrEqual(decimal.NewFromInt(2)):
		return msg + " (the seed is " + times(ratio) + " the arithmetic)"
	}
	pct := q.Value.D.Sub(v).DivRound(v, 6).Mul(decimal.NewFromInt(100)).Round(1)
	dir := "too high"
	if pct.IsNegative() {
		dir, pct = "too low", pct.Neg()
	}
	return fmt.Sprintf("%s (the seed is %s%% %s)", msg, pct.String(), dir)
}

// times writes a ratio as "1,000×" or "about 1,086×".
func times(r decimal.Decimal) string {
	if r.LessThan(dOne) {
		return r.Round(3).String() + "×"
	}
	n := r.Round(0)
	if n.Equal(r) {
		return numfmt.Group(n.String()) + "×"
	}
	if r.LessThan(decimal.NewFromInt(10)) {
		return "about " + r.Round(1).String() + "×"
	}
	return "about " + numfmt.Group(n.String()) + "×"
}

func quoteText(q Quote) string {
	if q.Text != "" {
		return q.Text
	}
	return q.Value.D.String()
}

func joinNotes(parts ...string) string {
	var nz []string
	for _, p := range parts {
		if p != "" {
			nz = append(nz, p)
		}
	}
	return strings.Join(nz, "; ")
}

// ExamplesReport wraps worked-example scenarios in a report of kind
// "examples".
func ExamplesReport(scs []report.Scenario) *report.Report {
	return &report.Report{Kind: "examples", SchemaVersion: report.SchemaVersion, Scenarios: scs}
}

// display formats a rounded value for a note: money as $1,234.50,
// percentages with a % sign.
func display(v decimal.Decimal, unit string) string {
	switch {
	case strings.HasPrefix(unit, "USD"):
		return "$" + numfmt.Group(v.StringFixed(2))
	case unit == "%":
		return v.String() + "%"
	}
	return numfmt.Group(v.String())
}
