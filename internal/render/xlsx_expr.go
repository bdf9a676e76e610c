package render

import (
	"fmt"
	"strings"

	"github.com/costaudit/costaudit/simulate"
)

// parseFormula parses a figure expression (report.Figure.Expr, in the
// grammar of simulate.ParseExpr) and translates its tree into a spreadsheet
// formula. Each identifier is looked up with name, which returns the
// defined name (or cell reference) that holds it; an expression that does
// not parse, or an identifier name does not know, is an error.
func parseFormula(expr string, name func(ident string) (string, bool)) (string, error) {
	e, err := simulate.ParseExpr(expr)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := writeFormula(&b, e.Root(), name); err != nil {
		return "", fmt.Errorf("expression %q: %w", expr, err)
	}
	return b.String(), nil
}

// writeFormula writes the formula of one node. The grammar is the common
// subset of the figure expressions and spreadsheet formulas (MIN, MAX and
// IF exist in Excel 2007), so every node translates one to one: numbers as
// written, parentheses where the expression has them.
func writeFormula(b *strings.Builder, n simulate.Node, name func(string) (string, bool)) error {
	switch n := n.(type) {
	case simulate.Number:
		b.WriteString(n.Text)
	case simulate.Ident:
		ref, ok := name(n.Name)
		if !ok {
			return fmt.Errorf("unknown name %q (not an assumption or an earlier figure of the scenario)", n.Name)
		}
		b.WriteString(ref)
	case simulate.Neg:
		b.WriteByte('-')
		return writeFormula(b, n.X, name)
	case simulate.Group:
		b.WriteByte('(')
		if err := writeFormula(b, n.X, name); err != nil {
			return err
		}
		b.WriteByte(')')
	case simulate.Binary:
		if err := writeFormula(b, n.L, name); err != nil {
			return err
		}
		b.WriteString(n.Op)
		return writeFormula(b, n.R, name)
	case simulate.Call:
		b.WriteString(n.Fn)
		b.WriteByte('(')
		for i, a := range n.Args {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeFormula(b, a, name); err != nil {
				return err
			}
		}
		b.WriteByte(')')
	default:
		return fmt.Errorf("internal: no formula for expression node %T", n)
	}
	return nil
}
