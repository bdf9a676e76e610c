package simulate

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

func catalog(t *testing.T) *pricing.Catalog {
	t.Helper()
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func runExamples(t *testing.T) map[string]report.Scenario {
	t.Helper()
	files, err := LoadExamples(os.DirFS("../examples"), "scenarios")
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Pricer: NewCatalogPricer(catalog(t)), At: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), AtSource: "test"}
	out := map[string]report.Scenario{}
	for _, f := range files {
		sc, err := RunExample(f, opt)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = sc
	}
	return out
}

func figure(t *testing.T, sc report.Scenario, key string) report.Figure {
	t.Helper()
	for _, f := range sc.Figures {
		if f.Key == key {
			return f
		}
	}
	t.Fatalf("%s: no figure %q", sc.Name, key)
	return report.Figure{}
}

// TestExamplesReproduceDesignTable checks every row of the worked-examples
// table (examples/README.md): the correct figure exactly, and a note wherever the
// seed's quoted figure differs.
func TestExamplesReproduceDesignTable(t *testing.T) {
	scs := runExamples(t)
	tests := []struct {
		example, figure, value string
		quoted                 string   // the seed's figure shown beside it ("" if none)
		note                   []string // substrings of the note; nil: the figures agree
	}{
		// 000: $7.50 saved at 1 token/row; $7,500 at 1,000 tokens/row.
		{"000-batch-budgeter-1-token", "cost", "15", "", nil},
		{"000-batch-budgeter-1-token", "batch_savings", "7.5", "$7.50", []string{"matches the seed"}},
		{"000-batch-budgeter-1-token", "breakeven_delay_cost_per_hour", "0.3125", "", nil},
		{"000-batch-budgeter-1000-tokens", "cost", "15000", "", nil},
		{"000-batch-budgeter-1000-tokens", "batch_savings", "7500", "$7,500.00", []string{"matches the seed"}},
		{"000-batch-budgeter-1000-tokens", "breakeven_delay_cost_per_hour", "312.5", "", nil},
		// 001: $500/night → $250/night batch.
		{"001-tickets-nightly", "cost", "500", "", nil},
		{"001-tickets-nightly", "batch_cost", "250", "batch saves most", []string{"$500 a night becomes $250"}},
		// 001: $120K × (1 − 0.8 × 0.5) = $72K.
		{"001-analytics-saas", "cost", "120000", "", nil},
		{"001-analytics-saas", "batch_cost", "72000", "~$72K", []string{"matches the seed"}},
		// 002: $206.25 / $103.13 (seed $125 / $62).
		{"002-email-drafts", "cost", "206.25", "$125", []string{"the seed says $125; the arithmetic gives $206.25"}},
		{"002-email-drafts", "batch_cost", "103.125", "$62", []string{"the arithmetic gives $103.13"}},
		// 002: $46.50/week = $201.50/month; $100.75 batch (seed $54 / $27).
		{"002-product-descriptions", "cost", "46.5", "", nil},
		{"002-product-descriptions", "monthly_cost", "201.5", "$54/month", []string{"the arithmetic gives $201.50", "52/12 weeks"}},
		{"002-product-descriptions", "monthly_batch_cost", "100.75", "$27/month", []string{"the arithmetic gives $100.75"}},
		// 002: $1,125; cache reads only $450 (60% off); + batch $225 (80% off).
		{"002-cache-plus-batch", "cost", "1125", "$1,125", []string{"matches the seed"}},
		{"002-cache-plus-batch", "cache_cost", "450", "", nil},
		{"002-cache-plus-batch", "cache_savings_pct", "60", "90% off cached input", []string{"60% off the bill"}},
		{"002-cache-plus-batch", "cache_batch_cost", "225", "", nil},
		{"002-cache-plus-batch", "cache_batch_savings_pct", "80", "~70–80% off", []string{"80% off, before cache-write costs"}},
		{"002-cache-plus-batch", "cache_breakeven_hit_rate", "21.739130434782608696", "", nil},
		// 003: the 1,000× slips and the batch discount DeepSeek does not have.
		{"003-deepseek-only", "cost", "4.2", "$4,200", []string{"1,000× too high"}},
		{"003-half-gpt41-half-deepseek", "cost", "42.1", "$42,100", []string{"1,000× too high"}},
		{"003-gpt41-streaming", "cost", "80", "$80,000", []string{"1,000× too high"}},
		{"003-hybrid-stream-deepseek-batch", "cost", "26.94", "$29,260", []string{"the arithmetic gives $26.94", "DeepSeek has no batch API"}},
		{"003-hybrid-stream-deepseek-batch", "deepseek_cost", "2.94", "", []string{"DeepSeek has no batch API, so no batch discount applies"}},
	}
	for _, tt := range tests {
		sc, ok := scs[tt.example]
		if !ok {
			t.Errorf("no example %s", tt.example)
			continue
		}
		f := figure(t, sc, tt.figure)
		if f.Value != tt.value {
			t.Errorf("%s %s = %s, want %s", tt.example, tt.figure, f.Value, tt.value)
		}
		if f.Quoted != tt.quoted {
			t.Errorf("%s %s quoted %q, want %q", tt.example, tt.figure, f.Quoted, tt.quoted)
		}
		if tt.note == nil && f.Note != "" {
			t.Errorf("%s %s: unexpected note %q", tt.example, tt.figure, f.Note)
		}
		for _, n := range tt.note {
			if !strings.Contains(f.Note, n) {
				t.Errorf("%s %s: note %q lacks %q", tt.example, tt.figure, f.Note, n)
			}
		}
	}
	if len(scs) != 11 {
		t.Errorf("%d examples, want 11", len(scs))
	}
}

// TestFiguresMatchTheirExpressions recomputes every figure of every
// example from its expression over the assumptions and earlier figures,
// the check a spreadsheet makes, and checks that every key is a valid
// name and every expression refers only to names defined before it.
func TestFiguresMatchTheirExpressions(t *testing.T) {
	for name, sc := range runExamples(t) {
		checkScenarioExprs(t, name, sc)
	}
}

func checkScenarioExprs(t *testing.T, name string, sc report.Scenario) {
	t.Helper()
	env := map[string]decimal.Decimal{}
	for _, a := range sc.Assumptions {
		if !ValidKey(a.Key) {
			t.Errorf("%s: assumption key %q is not a valid name", name, a.Key)
		}
		if a.Source == "" {
			t.Errorf("%s: assumption %s has no source", name, a.Key)
		}
		v, err := decimal.NewFromString(a.Value)
		if err != nil {
			t.Errorf("%s: assumption %s = %q is not a number", name, a.Key, a.Value)
		}
		env[a.Key] = v
	}
	for _, f := range sc.Figures {
		if !ValidKey(f.Key) {
			t.Errorf("%s: figure key %q is not a valid name", name, f.Key)
		}
		if f.Expr == "" {
			continue
		}
		e, err := ParseExpr(f.Expr)
		if err != nil {
			t.Errorf("%s: %s: %v", name, f.Key, err)
			continue
		}
		for _, id := range e.Idents() {
			if _, ok := env[id]; !ok {
				t.Errorf("%s: %s refers to %q before it is defined", name, f.Key, id)
			}
		}
		v, err := e.Eval(env)
		if err != nil {
			t.Errorf("%s: %s: %v", name, f.Key, err)
			continue
		}
		if v.String() != f.Value {
			t.Errorf("%s: %s = %s but its expression gives %s", name, f.Key, f.Value, v)
		}
		env[f.Key] = v
	}
}
