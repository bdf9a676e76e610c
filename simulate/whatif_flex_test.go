package simulate

import (
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

// flexReport audits two scheduled workflows on o3 over exactly one
// day with the embedded books. At the books' prices (list $2 input, $0.50
// cached, $8 output; flex and batch 50% off, but flex keeps its discount
// on cached input and batch does not) a request of 1,000 input + 4,000
// cached + 200 output costs $0.0028 on flex and $0.0038 on batch.
//
//	nightly-flex: 20 flex requests with cache reads   0.056 (batch 0.076: stays)
//	              20 sync requests, 1,000 in / 200 out 0.072 (batch 0.036: moves)
//	              10 flex requests, 1,000 in / 200 out 0.018 (batch 0.018: stays)
//	all-flex:     10 flex requests with cache reads   0.028 (batch 0.038: stays)
func flexReport(t *testing.T) *report.Report {
	t.Helper()
	cat := catalog(t)
	rules, err := classify.ParseRules("rules.toml", []byte("[[rule]]\nworkflow = \"*\"\nclass = \"scheduled\"\nreason = \"test: nightly jobs\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	agg := aggregate.New(cat, aggregate.Options{TZ: time.UTC})
	n := 0
	add := func(wf string, mode pricing.Mode, perDay int, in, cached, out int64) {
		for d := range 2 {
			for i := range perDay {
				// Day 1 from 02:00:00 on, day 2 up to 02:00:00: the window is one day.
				ts := time.Date(2026, 11, 2, 2, 0, i, 0, time.UTC)
				if d == 1 {
					ts = time.Date(2026, 11, 3, 2, 0, -i, 0, time.UTC)
				}
				n++
				agg.Consume(&audit.Record{TS: ts, Provider: "openai", Model: "o3", Workflow: wf, Source: "cron", Mode: mode,
					UserWaiting: -1, InputTokens: in, CacheReadTokens: cached, OutputTokens: out, LatencyMS: -1, TTFTMS: -1, Status: audit.StatusOK})
			}
		}
	}
	add("nightly-flex", pricing.ModeFlex, 10, 1000, 4000, 200)
	add("nightly-flex", pricing.ModeSync, 10, 1000, 0, 200)
	add("nightly-flex", pricing.ModeFlex, 5, 1000, 0, 200)
	add("all-flex", pricing.ModeFlex, 5, 1000, 4000, 200)
	rep, err := audit.BuildReport(agg, audit.Stats{Files: 1, Lines: int64(n), Records: int64(n)}, cat, audit.BuildOptions{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestFlexNeverMovedAtALoss checks that a line moves to batch only when its
// batch quote is cheaper, in the report's own what-if and in analyze
// --what-if alike, and that no negative saving reaches the projection.
func TestFlexNeverMovedAtALoss(t *testing.T) {
	rep := flexReport(t)
	got := map[string]string{}
	for _, w := range rep.Workflows {
		got[w.Workflow] = w.CostUSD.String() + " → " + w.WhatIf.BatchCostUSD.String() + ", saves " + w.WhatIf.SavingsUSD.String() + ": " + w.WhatIf.Reason
		for _, l := range w.Lines {
			if l.Mode == "flex" && (l.BatchEligible || !l.BatchCostUSD.Equal(l.CostUSD)) {
				t.Errorf("%s: flex line %s moved: eligible %v, batch cost %s", w.Workflow, l.PriceRef, l.BatchEligible, l.BatchCostUSD)
			}
		}
	}
	want := map[string]string{
		"nightly-flex": "0.146 → 0.11, saves 0.036: scheduled: moves to the provider's batch API; part stays: flex traffic would cost no less on batch, so it is not moved",
		"all-flex":     "0.028 → 0.028, saves 0: flex traffic would cost no less on batch, so it is not moved",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s:\n  got  %s\n  want %s", k, got[k], v)
		}
	}
	if len(rep.Opportunities) != 1 || rep.Opportunities[0].Workflow != "nightly-flex" || rep.Opportunities[0].SavingsUSD.String() != "0.036" {
		t.Errorf("opportunities %+v, want nightly-flex saving 0.036 only", rep.Opportunities)
	}
	if p := rep.Projection; p.WindowSavingsUSD.String() != "0.036" || p.MonthlySavingsUSD.String() != "1.08" {
		t.Errorf("projection: window %s, month %s; want 0.036 and 1.08 (30 × 0.036 over one day)", p.WindowSavingsUSD, p.MonthlySavingsUSD)
	}

	f, err := ParseWhatIf("w.toml", []byte("[batch]\n"))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := RunOnReport(f, rep, Options{})
	if err != nil {
		t.Fatal(err)
	}
	figs := map[string]string{}
	for _, fg := range sc.Figures {
		figs[fg.Key] = fg.Value
	}
	for k, v := range map[string]string{"cost": "0.174", "batch_cost": "0.138", "batch_savings": "0.036", "monthly_batch_savings": "1.08",
		// Only the 20 sync requests move: 20 × 1 submission a day / 24 h.
		"wf1_batch_requests_per_submission": "20"} {
		if figs[k] != v {
			t.Errorf("what-if %s = %q, want %s", k, figs[k], v)
		}
	}
	var outcomes []string
	for _, tb := range sc.Tables {
		if tb.Name == "batch by workflow" {
			for _, row := range tb.Rows {
				outcomes = append(outcomes, row[1]+": "+row[5])
			}
		}
	}
	wantOut := "nightly-flex: moves to batch; flex lines stay (no cheaper on batch) | all-flex: flex traffic would cost no less on batch"
	if g := strings.Join(outcomes, " | "); g != wantOut {
		t.Errorf("outcomes\n  %s\nwant\n  %s", g, wantOut)
	}
	checkScenarioExprs(t, "flex", sc)
}
