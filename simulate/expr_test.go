package simulate

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestEvalExpr(t *testing.T) {
	env := map[string]decimal.Decimal{"a": d("3"), "b": d("0.5"), "cost": d("206.25"), "periods_per_year": d("52")}
	tests := []struct {
		expr, want string
	}{
		{"1 + 2 * 3", "7"},
		{"(1 + 2) * 3", "9"},
		{"10 - 4 - 3", "3"},
		{"12 / 4 / 3", "1"},
		{"-a + 1", "-2"},
		{"a * (1 - b)", "1.5"},
		{"46.5 * periods_per_year / 12", "201.5"},
		{"cost * (1 - b)", "103.125"},
		{"1 / 3", "0.33333333333333333333"},
		{"0.25 / 1.15", "0.21739130434782608696"},
		{"MIN(a, b, 7)", "0.5"},
		{"MAX(a, b)", "3"},
		{"IF(a > b, 1, 2)", "1"},
		{"IF(a <= b, 1, 2)", "2"},
		{"IF(a = 3, 10, 20)", "10"},
		{"IF(a <> 3, 10, 20)", "20"},
		{"MAX(0, (1.25 - 1) / (1.25 - 0.1)) * 100", "21.739130434782608696"},
	}
	for _, tt := range tests {
		got, err := EvalExpr(tt.expr, env)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, got, tt.want)
		}
	}
}

func TestEvalExprErrors(t *testing.T) {
	env := map[string]decimal.Decimal{"a": d("1"), "zero": d("0")}
	tests := []struct{ expr, want string }{
		{"a +", "unexpected end"},
		{"a / zero", "division by zero"},
		{"b + 1", `unknown name "b"`},
		{"(a + 1", "missing )"},
		{"IF(a, 1)", "IF takes 3 arguments"},
		{"MIN(a)", "MIN takes at least 2 arguments"},
		{"a ^ 2", `unexpected "^"`},
		{"SUM(a, 1)", `unexpected "S"`},
	}
	for _, tt := range tests {
		_, err := EvalExpr(tt.expr, env)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.expr, err, tt.want)
		}
	}
}

func TestExprIdents(t *testing.T) {
	e, err := ParseExpr("cost * (1 - eligible_share) + eligible_share * cost_all_batch")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(e.Idents(), ",")
	if got != "cost,eligible_share,cost_all_batch" {
		t.Errorf("Idents = %s", got)
	}
}

func TestValidKey(t *testing.T) {
	for k, want := range map[string]bool{
		"cost": true, "price_input": true, "wf1_cost": true, "gpt_share": true,
		"a1": false, "xfd1048576": false, "r1c1": false, "r": false, "c": false,
		"Cost": false, "1cost": false, "min": false, "if": false, "cost-x": false,
	} {
		if got := ValidKey(k); got != want {
			t.Errorf("ValidKey(%q) = %v, want %v", k, got, want)
		}
	}
}
