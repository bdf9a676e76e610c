package simulate

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

// keyRe is the shape of an assumption or figure key: a spreadsheet-safe
// identifier.
var keyRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// cellRefRe matches names a spreadsheet would read as a cell reference
// (A1 or R1C1 style), which cannot be defined names.
var cellRefRe = regexp.MustCompile(`^([a-z]{1,3}[0-9]+|r[0-9]*c[0-9]*|r|c)$`)

// reservedKeys are names a key may not take because formulas read them as
// functions or constants.
var reservedKeys = map[string]bool{"if": true, "min": true, "max": true, "true": true, "false": true}

// ValidKey reports whether k may name an assumption or figure: an
// identifier [a-z][a-z0-9_]* that no spreadsheet reads as a cell reference
// or function.
func ValidKey(k string) bool {
	return keyRe.MatchString(k) && !cellRefRe.MatchString(k) && !reservedKeys[k]
}

// bounds limit the values an assumption can take under the ±20%
// perturbation of the sensitivity analysis.
type bounds struct {
	sensitive bool            // part of the tornado
	hasMax    bool            // capped above (rates and shares at 1)
	max       decimal.Decimal // the cap
}

// sheet accumulates the assumptions and figures of one scenario. Every
// figure is defined by an expression and its value is the expression's
// value, so the figure and the spreadsheet formula built from it cannot
// disagree.
type sheet struct {
	assumptions []report.Assumption
	bounds      map[string]bounds
	env         map[string]decimal.Decimal
	figures     []report.Figure
	exprs       []*Expr // parallel to figures; nil for statistics
	err         error
}

func newSheet() *sheet {
	return &sheet{bounds: map[string]bounds{}, env: map[string]decimal.Decimal{}}
}

func (s *sheet) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// has reports whether key is already an assumption or figure.
func (s *sheet) has(key string) bool {
	_, ok := s.env[key]
	return ok
}

// assume records an input with its source. Sensitive inputs are perturbed by
// the tornado analysis; rate inputs are capped at 1 there.
func (s *sheet) assume(key string, v decimal.Decimal, source string, b bounds) {
	if !ValidKey(key) {
		s.fail(fmt.Errorf("internal: assumption key %q is not a valid name", key))
		return
	}
	if s.has(key) {
		s.fail(fmt.Errorf("internal: assumption key %q defined twice", key))
		return
	}
	s.env[key] = v
	s.bounds[key] = b
	s.assumptions = append(s.assumptions, report.Assumption{Key: key, Value: v.String(), Source: source})
}

// input is a sensitive, uncapped assumption.
var input = bounds{sensitive: true}

// rate is a sensitive assumption capped at 1.
var rate = bounds{sensitive: true, hasMax: true, max: decimal.NewFromInt(1)}

// fixed is an assumption the tornado leaves alone (unit conversions,
// provider limits).
var fixed = bounds{}

// fig defines a figure by its expression and returns its value.
func (s *sheet) fig(key, label, unit, expr string) decimal.Decimal {
	if !ValidKey(key) || s.has(key) {
		s.fail(fmt.Errorf("internal: figure key %q is invalid or defined twice", key))
		return decimal.Zero
	}
	e, err := ParseExpr(expr)
	if err != nil {
		s.fail(fmt.Errorf("internal: figure %s: %w", key, err))
		return decimal.Zero
	}
	v, err := e.Eval(s.env)
	if err != nil {
		s.fail(fmt.Errorf("internal: figure %s: %w", key, err))
		return decimal.Zero
	}
	s.env[key] = v
	s.figures = append(s.figures, report.Figure{Key: key, Label: label, Value: v.String(), Unit: unit, Expr: expr})
	s.exprs = append(s.exprs, e)
	return v
}

// stat records a figure that is not plain arithmetic (a Monte Carlo
// statistic, a count rounded up); it has no expression and later figures
// may not refer to it.
func (s *sheet) stat(key, label, unit, value string) {
	if !ValidKey(key) {
		s.fail(fmt.Errorf("internal: figure key %q is invalid", key))
		return
	}
	s.figures = append(s.figures, report.Figure{Key: key, Label: label, Value: value, Unit: unit})
	s.exprs = append(s.exprs, nil)
}

// note attaches a note to the figure key.
func (s *sheet) note(key, note string) {
	for i := range s.figures {
		if s.figures[i].Key == key {
			if s.figures[i].Note != "" {
				s.figures[i].Note += "; "
			}
			s.figures[i].Note += note
			return
		}
	}
}

// value returns the current value of a key.
func (s *sheet) value(key string) decimal.Decimal { return s.env[key] }

// recompute evaluates every figure again with one assumption replaced and
// returns the value of target.
func (s *sheet) recompute(key string, v decimal.Decimal, target string) (decimal.Decimal, error) {
	env := make(map[string]decimal.Decimal, len(s.env))
	for _, a := range s.assumptions {
		env[a.Key] = s.env[a.Key]
	}
	env[key] = v
	for i, f := range s.figures {
		if s.exprs[i] == nil {
			continue
		}
		// A figure that cannot be computed at the moved value (a
		// denominator reaching zero) is left out; only the target matters.
		x, err := s.exprs[i].Eval(env)
		if err != nil {
			continue
		}
		env[f.Key] = x
	}
	out, ok := env[target]
	if !ok {
		return decimal.Zero, fmt.Errorf("%s cannot be computed with %s = %s", target, key, v)
	}
	return out, nil
}

// TornadoRow is the effect on the headline figure of moving one assumption
// down and up by the sensitivity step.
type TornadoRow struct {
	Key        string
	Base       decimal.Decimal
	LowInput   decimal.Decimal
	HighInput  decimal.Decimal
	LowResult  decimal.Decimal
	HighResult decimal.Decimal
	Swing      decimal.Decimal // |HighResult - LowResult|
}

// tornado moves every sensitive assumption by ±step (a fraction, 0.2 for
// ±20%), capped at its bound, and ranks the assumptions by how far the
// target figure swings: largest first, then by key.
func (s *sheet) tornado(target string, step decimal.Decimal) ([]TornadoRow, error) {
	var rows []TornadoRow
	for _, a := range s.assumptions {
		b := s.bounds[a.Key]
		if !b.sensitive {
			continue
		}
		base := s.env[a.Key]
		if base.IsZero() {
			continue
		}
		lo := base.Mul(one.Sub(step))
		hi := base.Mul(one.Add(step))
		if b.hasMax && hi.GreaterThan(b.max) {
			hi = b.max
		}
		rl, errLo := s.recompute(a.Key, lo, target)
		rh, errHi := s.recompute(a.Key, hi, target)
		if errLo != nil || errHi != nil {
			continue
		}
		rows = append(rows, TornadoRow{Key: a.Key, Base: base, LowInput: lo, HighInput: hi, LowResult: rl, HighResult: rh, Swing: rh.Sub(rl).Abs()})
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if c := rows[i].Swing.Cmp(rows[j].Swing); c != 0 {
			return c > 0
		}
		return rows[i].Key < rows[j].Key
	})
	return rows, nil
}
