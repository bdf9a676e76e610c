package render

import (
	"fmt"
	"strings"
	"unicode"
)

// exprFuncs are the functions a figure expression may call; they pass
// through to the spreadsheet unchanged (all exist in Excel 2007).
var exprFuncs = map[string]bool{"MIN": true, "MAX": true, "IF": true}

// translateExpr turns a figure expression (report.Figure.Expr: numbers,
// identifiers, + - * / ( ), comparison operators and MIN, MAX, IF) into a
// spreadsheet formula. Each identifier is looked up with name, which returns
// the defined name (or cell reference) that holds it; an identifier name
// does not know is an error.
func translateExpr(expr string, name func(ident string) (string, bool)) (string, error) {
	var b strings.Builder
	rs := []rune(expr)
	depth := 0
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case isIdentStart(c):
			j := i + 1
			for j < len(rs) && isIdentPart(rs[j]) {
				j++
			}
			id := string(rs[i:j])
			i = j
			// a function call: identifier followed by "("
			k := i
			for k < len(rs) && unicode.IsSpace(rs[k]) {
				k++
			}
			if k < len(rs) && rs[k] == '(' && exprFuncs[strings.ToUpper(id)] {
				b.WriteString(strings.ToUpper(id))
				continue
			}
			ref, ok := name(id)
			if !ok {
				return "", fmt.Errorf("expression %q: unknown name %q (not an assumption or an earlier figure of the scenario)", expr, id)
			}
			b.WriteString(ref)
		case c >= '0' && c <= '9' || c == '.':
			j := i
			for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || rs[j] == '.') {
				j++
			}
			// exponent: 1e6, 2.5E-3
			if j < len(rs) && (rs[j] == 'e' || rs[j] == 'E') {
				k := j + 1
				if k < len(rs) && (rs[k] == '+' || rs[k] == '-') {
					k++
				}
				if k < len(rs) && rs[k] >= '0' && rs[k] <= '9' {
					for k < len(rs) && rs[k] >= '0' && rs[k] <= '9' {
						k++
					}
					j = k
				}
			}
			num := string(rs[i:j])
			if strings.Count(num, ".") > 1 || num == "." {
				return "", fmt.Errorf("expression %q: bad number %q", expr, num)
			}
			b.WriteString(num)
			i = j
		case c == '(':
			depth++
			b.WriteRune(c)
			i++
		case c == ')':
			depth--
			if depth < 0 {
				return "", fmt.Errorf("expression %q: unbalanced ')'", expr)
			}
			b.WriteRune(c)
			i++
		case strings.ContainsRune("+-*/,", c):
			b.WriteRune(c)
			i++
		case c == '<' || c == '>' || c == '=' || c == '!':
			op := string(c)
			if i+1 < len(rs) && rs[i+1] == '=' || c == '<' && i+1 < len(rs) && rs[i+1] == '>' {
				op += string(rs[i+1])
			}
			i += len(op)
			switch op {
			case "==":
				op = "="
			case "!=":
				op = "<>"
			case "!":
				return "", fmt.Errorf("expression %q: unexpected '!'", expr)
			}
			b.WriteString(op)
		default:
			return "", fmt.Errorf("expression %q: unexpected character %q", expr, c)
		}
	}
	if depth != 0 {
		return "", fmt.Errorf("expression %q: unbalanced '('", expr)
	}
	if b.Len() == 0 {
		return "", fmt.Errorf("expression %q: empty", expr)
	}
	return b.String(), nil
}

func isIdentStart(c rune) bool { return c == '_' || c < 128 && unicode.IsLetter(c) }
func isIdentPart(c rune) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '.'
}
