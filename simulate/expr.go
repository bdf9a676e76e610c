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
// Its tree (Root) is what a renderer translates into a spreadsheet formula.
type Expr struct {
	src  string
	root Node
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

// Root returns the expression's parse tree.
func (e *Expr) Root() Node { return e.root }

// Eval evaluates the expression with the identifiers bound by env. Division
// keeps 20 decimal places; every other operation is exact.
func (e *Expr) Eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	return e.root.eval(env)
}

// Idents returns the identifiers the expression uses, in order of first use.
func (e *Expr) Idents() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(n Node)
	walk = func(n Node) {
		switch n := n.(type) {
		case Ident:
			if !seen[n.Name] {
				seen[n.Name] = true
				out = append(out, n.Name)
			}
		case Binary:
			walk(n.L)
			walk(n.R)
		case Neg:
			walk(n.X)
		case Group:
			walk(n.X)
		case Call:
			for _, a := range n.Args {
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

// Node is one node of an expression's parse tree: a Number, an Ident, a
// Neg, a Binary, a Call or a Group. The set is closed; a translator
// switches on the concrete type.
type Node interface {
	eval(env map[string]decimal.Decimal) (decimal.Decimal, error)
}

// Number is a decimal literal; Text is the literal as written (digits and
// at most one point), Value its value.
type Number struct {
	Text  string
	Value decimal.Decimal
}

func (n Number) eval(map[string]decimal.Decimal) (decimal.Decimal, error) {
	return n.Value, nil
}

// Ident is the key of an assumption or of an earlier figure.
type Ident struct{ Name string }

func (n Ident) eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	v, ok := env[n.Name]
	if !ok {
		return decimal.Zero, fmt.Errorf("expression: unknown name %q", n.Name)
	}
	return v, nil
}

// Neg is unary minus.
type Neg struct{ X Node }

func (n Neg) eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	v, err := n.X.eval(env)
	return v.Neg(), err
}

// Group is a parenthesised expression, kept in the tree so that a
// translation writes the parentheses where the expression has them.
type Group struct{ X Node }

func (n Group) eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	return n.X.eval(env)
}

// Binary is an arithmetic operator (+ - * /) or a comparison (< <= > >= =
// <>, worth 1 when true and 0 when false) applied to L and R.
type Binary struct {
	Op   string
	L, R Node
}

var one = decimal.NewFromInt(1)

func (n Binary) eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	a, err := n.L.eval(env)
	if err != nil {
		return a, err
	}
	b, err := n.R.eval(env)
	if err != nil {
		return b, err
	}
	truth := func(t bool) (decimal.Decimal, error) {
		if t {
			return one, nil
		}
		return decimal.Zero, nil
	}
	switch n.Op {
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
	return decimal.Zero, fmt.Errorf("expression: unknown operator %q", n.Op)
}

// Call is MIN or MAX (two or more arguments) or IF (condition, then,
// else).
type Call struct {
	Fn   string
	Args []Node
}

func (n Call) eval(env map[string]decimal.Decimal) (decimal.Decimal, error) {
	if n.Fn == "IF" {
		c, err := n.Args[0].eval(env)
		if err != nil {
			return c, err
		}
		if !c.IsZero() {
			return n.Args[1].eval(env)
		}
		return n.Args[2].eval(env)
	}
	vals := make([]decimal.Decimal, len(n.Args))
	for i, a := range n.Args {
		v, err := a.eval(env)
		if err != nil {
			return v, err
		}
		vals[i] = v
	}
	if n.Fn == "MIN" {
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

func (p *parser) comparison() (Node, error) {
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
		return Binary{Op: op, L: l, R: r}, nil
	}
	return l, nil
}

func (p *parser) additive() (Node, error) {
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
		l = Binary{Op: op, L: l, R: r}
	}
	return l, nil
}

func (p *parser) multiplicative() (Node, error) {
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
		l = Binary{Op: op, L: l, R: r}
	}
	return l, nil
}

func (p *parser) unary() (Node, error) {
	if p.isOp("-") {
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return Neg{X: x}, nil
	}
	return p.primary()
}

func (p *parser) primary() (Node, error) {
	switch p.tok.kind {
	case tokNum:
		d, err := decimal.NewFromString(p.tok.text)
		if err != nil {
			return nil, p.errorf("bad number %q", p.tok.text)
		}
		n := Number{Text: p.tok.text, Value: d}
		p.next()
		return n, nil
	case tokIdent:
		n := Ident{Name: p.tok.text}
		p.next()
		return n, nil
	case tokFunc:
		fn := p.tok.text
		p.next()
		if !p.isOp("(") {
			return nil, p.errorf("%s needs an argument list", fn)
		}
		p.next()
		var args []Node
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
		return Call{Fn: fn, Args: args}, nil
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
			return Group{X: n}, nil
		}
	}
	if p.tok.kind == tokEOF {
		return nil, p.errorf("unexpected end")
	}
	return nil, p.errorf("unexpected %q", p.tok.text)
}
