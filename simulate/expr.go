package simulate

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
)

// divPrecision is the number of decimal places kept by a division in an
// expression. Twenty places keep a figure within 1e-12 of the spreadsheet's
// binary floating point recomputation for every magnitude a cost reaches.
const divPrecision = 20

// Expr is a parsed figure expression: the arithmetic a spreadsheet can
// recompute live. The grammar is deliberately the common subset of Go and
// spreadsheet formulas: numbers, identifiers (assumption and figure keys),
// + - * / with the usual precedence, unary minus, parentheses, the
// functions MIN, MAX and IF, and the comparisons < <= > >= = <> inside IF.
type Expr struct {
	src  string
	root node
}

// ParseExpr parses src into an Expr, or returns an error naming the
// position of the first token it cannot use.
func ParseExpr(src string) (*Expr, error) {
	p := &parser{src: src}
	p.next()
	n, err := p.comparison()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.errorf("unexpected %q", p.tok.text)
	}
	return &Expr{src: src, root: n}, nil
}

// String returns the expression as written.
func (e *Expr) String() string { return e.src }

// Eval evaluates the expression with the identifiers bound by env. Division
// keeps 20 decimal places; every other operation is exact.
func (e *Expr) Eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	return e.root.eval(env)
}

// Idents returns the identifiers the expression uses, in order of first use.
func (e *Expr) Idents() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case identNode:
			if !seen[string(n)] {
				seen[string(n)] = true
				out = append(out, string(n))
			}
		case binNode:
			walk(n.l)
			walk(n.r)
		case negNode:
			walk(n.x)
		case callNode:
			for _, a := range n.args {
				walk(a)
			}
		}
	}
	walk(e.root)
	return out
}

// EvalExpr parses and evaluates src with env: a convenience for tests and
// for checking a figure against its expression.
func EvalExpr(src string, env map[string]decimal.Decimal) (decimal.Decimal, error) {
	e, err := ParseExpr(src)
	if err != nil {
		return decimal.Zero, err
	}
	return e.Eval(env)
}

type node interface {
	eval(env map[string]decimal.Decimal) (decimal.Decimal, error)
}

type numNode decimal.Decimal

func (n numNode) eval(map[string]decimal.Decimal) (decimal.Decimal, error) {
	return decimal.Decimal(n), nil
}

type identNode string

func (n identNode) eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	v, ok := env[string(n)]
	if !ok {
		return decimal.Zero, fmt.Errorf("expression: unknown name %q", string(n))
	}
	return v, nil
}

type negNode struct{ x node }

func (n negNode) eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	v, err := n.x.eval(env)
	return v.Neg(), err
}

type binNode struct {
	op   string
	l, r node
}

var one = decimal.NewFromInt(1)

func (n binNode) eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	a, err := n.l.eval(env)
	if err != nil {
		return a, err
	}
	b, err := n.r.eval(env)
	if err != nil {
		return b, err
	}
	truth := func(t bool) (decimal.Decimal, error) {
		if t {
			return one, nil
		}
		return decimal.Zero, nil
	}
	switch n.op {
	case "+":
		return a.Add(b), nil
	case "-":
		return a.Sub(b), nil
	case "*":
		return a.Mul(b), nil
	case "/":
		if b.IsZero() {
			return decimal.Zero, fmt.Errorf("expression: division by zero")
		}
		return a.DivRound(b, divPrecision), nil
	case "<":
		return truth(a.LessThan(b))
	case "<=":
		return truth(a.LessThanOrEqual(b))
	case ">":
		return truth(a.GreaterThan(b))
	case ">=":
		return truth(a.GreaterThanOrEqual(b))
	case "=":
		return truth(a.Equal(b))
	case "<>":
		return truth(!a.Equal(b))
	}
	return decimal.Zero, fmt.Errorf("expression: unknown operator %q", n.op)
}

type callNode struct {
	fn   string
	args []node
}

func (n callNode) eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	if n.fn == "IF" {
		c, err := n.args[0].eval(env)
		if err != nil {
			return c, err
		}
		if !c.IsZero() {
			return n.args[1].eval(env)
		}
		return n.args[2].eval(env)
	}
	vals := make([]decimal.Decimal, len(n.args))
	for i, a := range n.args {
		v, err := a.eval(env)
		if err != nil {
			return v, err
		}
		vals[i] = v
	}
	if n.fn == "MIN" {
		return decimal.Min(vals[0], vals[1:]...), nil
	}
	return decimal.Max(vals[0], vals[1:]...), nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokNum
	tokIdent
	tokFunc
	tokOp
)

type token struct {
	kind tokKind
	text string
	pos  int
}

type parser struct {
	src string
	pos int
	tok token
}

var (
	numRe   = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?`)
	identRe = regexp.MustCompile(`^[a-z][a-z0-9_]*`)
	funcRe  = regexp.MustCompile(`^(MIN|MAX|IF)\b`)
)

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("expression %q at offset %d: %s", p.src, p.tok.pos, fmt.Sprintf(format, args...))
}

func (p *parser) next() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	rest := p.src[p.pos:]
	start := p.pos
	switch {
	case rest == "":
		p.tok = token{kind: tokEOF, pos: start}
		return
	case numRe.MatchString(rest):
		m := numRe.FindString(rest)
		p.tok = token{kind: tokNum, text: m, pos: start}
	case funcRe.MatchString(rest):
		m := funcRe.FindString(rest)
		p.tok = token{kind: tokFunc, text: m, pos: start}
	case identRe.MatchString(rest):
		m := identRe.FindString(rest)
		p.tok = token{kind: tokIdent, text: m, pos: start}
	default:
		for _, op := range []string{"<=", ">=", "<>", "+", "-", "*", "/", "(", ")", ",", "<", ">", "="} {
			if strings.HasPrefix(rest, op) {
				p.tok = token{kind: tokOp, text: op, pos: start}
				p.pos += len(op)
				return
			}
		}
		p.tok = token{kind: tokOp, text: rest[:1], pos: start}
		p.pos++
		return
	}
	p.pos += len(p.tok.text)
}

func (p *parser) isOp(ops ...string) bool {
	if p.tok.kind != tokOp {
		return false
	}
	for _, o := range ops {
		if p.tok.text == o {
			return true
		}
	}
	return false
}

func (p *parser) comparison() (node, error) {
	l, err := p.additive()
	if err != nil {
		return nil, err
	}
	if p.isOp("<", "<=", ">", ">=", "=", "<>") {
		op := p.tok.text
		p.next()
		r, err := p.additive()
		if err != nil {
			return nil, err
		}
		return binNode{op: op, l: l, r: r}, nil
	}
	return l, nil
}

func (p *parser) additive() (node, error) {
	l, err := p.multiplicative()
	if err != nil {
		return nil, err
	}
	for p.isOp("+", "-") {
		op := p.tok.text
		p.next()
		r, err := p.multiplicative()
		if err != nil {
			return nil, err
		}
		l = binNode{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *parser) multiplicative() (node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.isOp("*", "/") {
		op := p.tok.text
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = binNode{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *parser) unary() (node, error) {
	if p.isOp("-") {
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return negNode{x: x}, nil
	}
	return p.primary()
}

func (p *parser) primary() (node, error) {
	switch p.tok.kind {
	case tokNum:
		d, err := decimal.NewFromString(p.tok.text)
		if err != nil {
			return nil, p.errorf("bad number %q", p.tok.text)
		}
		p.next()
		return numNode(d), nil
	case tokIdent:
		n := identNode(p.tok.text)
		p.next()
		return n, nil
	case tokFunc:
		fn := p.tok.text
		p.next()
		if !p.isOp("(") {
			return nil, p.errorf("%s needs an argument list", fn)
		}
		p.next()
		var args []node
		for {
			a, err := p.comparison()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			if p.isOp(",") {
				p.next()
				continue
			}
			break
		}
		if !p.isOp(")") {
			return nil, p.errorf("missing ) after %s arguments", fn)
		}
		p.next()
		if fn == "IF" && len(args) != 3 {
			return nil, p.errorf("IF takes 3 arguments, got %d", len(args))
		}
		if fn != "IF" && len(args) < 2 {
			return nil, p.errorf("%s takes at least 2 arguments, got %d", fn, len(args))
		}
		return callNode{fn: fn, args: args}, nil
	case tokOp:
		if p.tok.text == "(" {
			p.next()
			n, err := p.comparison()
			if err != nil {
				return nil, err
			}
			if !p.isOp(")") {
				return nil, p.errorf("missing )")
			}
			p.next()
			return n, nil
		}
	}
	if p.tok.kind == tokEOF {
		return nil, p.errorf("unexpected end")
	}
	return nil, p.errorf("unexpected %q", p.tok.text)
}
