package audit

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/report"
)

// TestFoldKeepsSumsExact builds the fixture report with every workflow and
// with MaxWorkflows 2, and checks that the folded report lists the two
// costliest workflows as they were, one row per class for the others, and
// the same totals, class totals, day totals and savings to the last digit.
func TestFoldKeepsSumsExact(t *testing.T) {
	cat := testCatalog(t)
	records := fixtureRecords(t, cat)
	build := func(max int, parts int) *report.Report {
		aggs := make([]Consumer, parts)
		for i := range aggs {
			aggs[i] = aggregate.New(cat, aggregate.Options{})
		}
		for i := range records {
			aggs[(i*7)%parts].Consume(&records[i])
		}
		agg, err := MergeConsumers(aggs)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := BuildReport(agg, fixtureStats(len(records)), cat, BuildOptions{MaxWorkflows: max})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	full, folded := build(0, 1), build(2, 3)
	if len(full.Workflows) <= 3 {
		t.Fatalf("fixture has %d workflows; the test needs more than 3", len(full.Workflows))
	}
	if !full.Totals.CostUSD.Equal(folded.Totals.CostUSD) || full.Totals.Requests != folded.Totals.Requests ||
		full.Totals.InputTokens != folded.Totals.InputTokens || full.Totals.OutputTokens != folded.Totals.OutputTokens {
		t.Errorf("totals changed: %+v vs %+v", full.Totals, folded.Totals)
	}
	if !full.Projection.WindowSavingsUSD.Equal(folded.Projection.WindowSavingsUSD) || !full.Projection.MonthlyCostUSD.Equal(folded.Projection.MonthlyCostUSD) {
		t.Errorf("projection changed: %+v vs %+v", full.Projection, folded.Projection)
	}
	for i, c := range full.ByClass {
		f := folded.ByClass[i]
		if c.Class != f.Class || c.Requests != f.Requests || !c.CostUSD.Equal(f.CostUSD) {
			t.Errorf("by_class %s: %+v vs %+v", c.Class, c, f)
		}
	}
	for i, d := range full.ByDay {
		if f := folded.ByDay[i]; d.Requests != f.Requests || !d.CostUSD.Equal(f.CostUSD) {
			t.Errorf("by_day %s: %+v vs %+v", d.Day, d, f)
		}
	}
	// The two costliest are listed as before.
	kept := map[string]report.Workflow{}
	for _, w := range folded.Workflows {
		kept[w.Workflow] = w
	}
	for _, w := range full.Workflows[:2] {
		k, ok := kept[w.Workflow]
		if !ok || !k.CostUSD.Equal(w.CostUSD) || k.Requests != w.Requests || k.Class != w.Class || !k.WhatIf.SavingsUSD.Equal(w.WhatIf.SavingsUSD) {
			t.Errorf("workflow %s: %+v, want %+v", w.Workflow, k, w)
		}
	}
	// The others are one row per class with their exact sums.
	type sum struct {
		n, requests int64
		cost        string
	}
	want := map[string]*sum{}
	for _, w := range full.Workflows[2:] {
		s := want[w.Class]
		if s == nil {
			s = &sum{cost: "0"}
			want[w.Class] = s
		}
		s.n++
		s.requests += w.Requests
		s.cost = decAdd(s.cost, w.CostUSD.String())
	}
	buckets := 0
	for _, w := range folded.Workflows {
		if !strings.HasPrefix(w.Workflow, "(") {
			continue
		}
		buckets++
		s := want[w.Class]
		if s == nil {
			t.Fatalf("bucket %q of class %s, which no folded workflow has", w.Workflow, w.Class)
		}
		if name := foldName(w.Class); w.Workflow != name || w.Requests != s.requests || w.CostUSD.String() != s.cost {
			t.Errorf("bucket %q: %d requests $%s, want %q %d requests $%s", w.Workflow, w.Requests, w.CostUSD, name, s.requests, s.cost)
		}
	}
	if buckets != len(want) || len(folded.Workflows) != 2+len(want) {
		t.Errorf("%d workflows, %d buckets; want 2 + %d", len(folded.Workflows), buckets, len(want))
	}
	note := false
	for _, n := range folded.Notes {
		note = note || strings.Contains(n, "the 2 costliest are listed one by one")
	}
	if !note {
		t.Errorf("no fold note in %q", folded.Notes)
	}
}

func decAdd(a, b string) string {
	return mustDec(a).Add(mustDec(b)).String()
}

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
