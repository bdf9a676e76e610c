package render

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

// xlsxLine is one workflow line of the workbook fixture: usage of one model
// under one mode, priced by the real embedded price books.
type xlsxLine struct {
	provider, model string
	mode            pricing.Mode
	perRequestInput int64 // total input of one request, for the long-context tier
	u               pricing.Usage
}

// xlsxAnalyzeFixture is an analyze report whose costs come from the
// embedded price books through the pricing package (not from the
// renderer's own arithmetic): batch-eligible scheduled work on Anthropic
// (cache stacking, a long-context tier), OpenAI and Google (no stacking),
// DeepSeek without a batch API, traffic already on batch, realtime
// streaming and a near-realtime webhook whose name is a formula.
func xlsxAnalyzeFixture(t testing.TB) *report.Report {
	t.Helper()
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	wfs := []struct {
		name, class string
		lines       []xlsxLine
	}{
		{"nightly-ticket-summary", "scheduled", []xlsxLine{
			{"anthropic", "claude-sonnet-4-5", pricing.ModeSync, 1800, pricing.Usage{Requests: 17_500, Input: 26_250_000, CacheRead: 5_000_000, CacheWrite5m: 400_000, CacheWrite1h: 100_000, Output: 4_375_000}},
			{"anthropic", "claude-sonnet-4-5", pricing.ModeSync, 250_000, pricing.Usage{Requests: 40, Input: 9_600_000, CacheRead: 400_000, Output: 120_000}},
		}},
		{"catalog-enrichment", "scheduled", []xlsxLine{
			{"openai", "gpt-4o-mini", pricing.ModeSync, 900, pricing.Usage{Requests: 10_000, Input: 6_000_000, CacheRead: 3_000_000, Output: 1_500_000}},
			{"google", "gemini-2.5-flash", pricing.ModeSync, 1200, pricing.Usage{Requests: 5_000, Input: 4_000_000, CacheRead: 2_000_000, Output: 750_000}},
		}},
		{"log-digest", "scheduled", []xlsxLine{
			{"deepseek", "deepseek-chat", pricing.ModeSync, 3000, pricing.Usage{Requests: 7_000, Input: 18_000_000, CacheRead: 3_000_000, Output: 2_100_000}},
		}},
		{"bulk-embeddings-qa", "scheduled", []xlsxLine{
			{"openai", "gpt-4o", pricing.ModeBatch, 2000, pricing.Usage{Requests: 20_000, Input: 40_000_000, Output: 4_000_000}},
		}},
		{"chat-ui", "realtime", []xlsxLine{
			{"anthropic", "claude-sonnet-4-5", pricing.ModeStream, 5000, pricing.Usage{Requests: 60_000, Input: 90_000_000, CacheRead: 200_000_000, CacheWrite5m: 10_000_000, Output: 24_000_000}},
			{"openai", "gpt-4.1", pricing.ModeStream, 1500, pricing.Usage{Requests: 38_500, Input: 40_000_000, CacheRead: 17_750_000, Output: 11_550_000}},
		}},
		{`=HYPERLINK("http://x","y")`, "near-realtime", []xlsxLine{
			{"openai", "gpt-4.1-mini", pricing.ModeSync, 2000, pricing.Usage{Requests: 2_000, Input: 3_750_000, Output: 625_000}},
		}},
	}
	rep := &report.Report{
		Kind: "analyze", SchemaVersion: report.SchemaVersion,
		Window: report.Window{Start: "2026-06-01T00:00:00Z", End: "2026-06-08T00:00:00Z", Days: decimal.NewFromInt(7), TZ: "UTC"},
		Assumptions: []report.Assumption{
			{Key: "batch_classes", Value: "scheduled", Source: "default"},
			{Key: "tz", Value: "UTC", Source: "default"},
		},
	}
	prices := map[string]report.PriceRow{}
	classCost := map[string]*report.ClassRow{}
	var saved decimal.Decimal
	for _, w := range wfs {
		rw := report.Workflow{Workflow: w.name, Class: w.class, Confidence: "high"}
		var eligibleAny bool
		for _, l := range w.lines {
			k, err := cat.Key(l.provider, l.model, at, l.perRequestInput)
			if err != nil {
				t.Fatal(err)
			}
			q, err := cat.Quote(k, l.mode, l.u)
			if err != nil {
				t.Fatal(err)
			}
			e := cat.Entry(k)
			if _, ok := prices[e.Ref]; !ok {
				prices[e.Ref] = report.PriceRow{
					Ref: e.Ref, Book: e.Book, Provider: e.Provider, Model: e.ModelID, EffectiveFrom: e.EffectiveFrom, Tier: e.Tier,
					Input: e.Prices.Input, CacheRead: e.Prices.CacheRead, CacheWrite5m: e.Prices.CacheWrite5m, CacheWrite1h: e.Prices.CacheWrite1h,
					Output: e.Prices.Output, RequestFee: e.Prices.RequestFee, HasBatch: e.HasBatch,
					BatchInput: e.Batch.Input, BatchCacheRead: e.Batch.CacheRead, BatchCacheWrite5m: e.Batch.CacheWrite5m,
					BatchCacheWrite1h: e.Batch.CacheWrite1h, BatchOutput: e.Batch.Output, Source: e.Source,
				}
			}
			eligible := w.class == "scheduled" && e.HasBatch && l.mode != pricing.ModeBatch
			batch := q.Total
			if eligible {
				bq, err := cat.Quote(k, pricing.ModeBatch, l.u)
				if err != nil {
					t.Fatal(err)
				}
				batch = bq.Total
				eligibleAny = true
			}
			rw.Lines = append(rw.Lines, report.WorkflowLine{
				Provider: l.provider, Model: l.model, PriceRef: e.Ref, Mode: string(l.mode), Requests: l.u.Requests,
				InputTokens: l.u.Input, CacheReadTokens: l.u.CacheRead, CacheWrite5mTokens: l.u.CacheWrite5m,
				CacheWrite1hTokens: l.u.CacheWrite1h, OutputTokens: l.u.Output,
				CostUSD: q.Total, BatchCostUSD: batch, BatchEligible: eligible,
			})
			rw.Requests += l.u.Requests
			rw.InputTokens += l.u.Input
			rw.CacheReadTokens += l.u.CacheRead
			rw.CacheWrite5mTokens += l.u.CacheWrite5m
			rw.CacheWrite1hTokens += l.u.CacheWrite1h
			rw.OutputTokens += l.u.Output
			rw.CostUSD = rw.CostUSD.Add(q.Total)
			rw.WhatIf.BatchCostUSD = rw.WhatIf.BatchCostUSD.Add(batch)
		}
		rw.WhatIf.SavingsUSD = rw.CostUSD.Sub(rw.WhatIf.BatchCostUSD)
		rw.WhatIf.Eligible = eligibleAny
		rw.WhatIf.Reason = w.class
		rep.Workflows = append(rep.Workflows, rw)
		rep.Totals.Requests += rw.Requests
		rep.Totals.InputTokens += rw.InputTokens
		rep.Totals.CacheReadTokens += rw.CacheReadTokens
		rep.Totals.CacheWrite5mTokens += rw.CacheWrite5mTokens
		rep.Totals.CacheWrite1hTokens += rw.CacheWrite1hTokens
		rep.Totals.OutputTokens += rw.OutputTokens
		rep.Totals.CostUSD = rep.Totals.CostUSD.Add(rw.CostUSD)
		saved = saved.Add(rw.WhatIf.SavingsUSD)
		if classCost[w.class] == nil {
			classCost[w.class] = &report.ClassRow{Class: w.class}
		}
		classCost[w.class].Requests += rw.Requests
		classCost[w.class].CostUSD = classCost[w.class].CostUSD.Add(rw.CostUSD)
	}
	for _, c := range classCost {
		rep.ByClass = append(rep.ByClass, *c)
	}
	sort.Slice(rep.ByClass, func(i, j int) bool { return rep.ByClass[i].CostUSD.GreaterThan(rep.ByClass[j].CostUSD) })
	refs := make([]string, 0, len(prices))
	for r := range prices {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	for _, r := range refs {
		rep.Prices = append(rep.Prices, prices[r])
	}
	// analyze --what-if: scenarios ride along with the audit.
	rep.Scenarios = xlsxScenarioFixture().Scenarios[:2]
	thirty := decimal.NewFromInt(30)
	rep.Projection = report.Projection{
		Basis:             "30 / 7 days of data",
		MonthlyCostUSD:    rep.Totals.CostUSD.Mul(thirty).DivRound(rep.Window.Days, 10),
		MonthlySavingsUSD: saved.Mul(thirty).DivRound(rep.Window.Days, 10),
		WindowSavingsUSD:  saved,
	}
	return rep
}

// xlsxScenarioFixture is a worked-examples report in the shape of
// `costaudit examples run --format json`: figures with expressions over
// their assumptions and earlier figures, the seeds' quoted figures beside,
// and a figure that is not plain arithmetic.
func xlsxScenarioFixture() *report.Report {
	return &report.Report{
		Kind: "examples", SchemaVersion: report.SchemaVersion,
		Scenarios: []report.Scenario{
			{
				Name: "seed-002-tickets", Kind: "batch", Title: "25,000 tickets × 1,500 in / 250 out at $3/$15",
				Assumptions: []report.Assumption{
					{Key: "tickets", Value: "25000", Source: "seed 002"},
					{Key: "input_tokens", Value: "1500", Source: "seed 002"},
					{Key: "output_tokens", Value: "250", Source: "seed 002"},
					{Key: "input_price", Value: "3", Source: "seed 002"},
					{Key: "output_price", Value: "15", Source: "seed 002"},
					{Key: "batch_discount", Value: "0.5", Source: "anthropic price book"},
				},
				Figures: []report.Figure{
					{Key: "realtime_cost", Label: "real-time cost", Value: "206.25", Unit: "USD", Quoted: "$125",
						Expr: "tickets * (input_tokens * input_price + output_tokens * output_price) / 1000000", Note: "25,000 × (1,500 × $3 + 250 × $15) / 1M"},
					{Key: "batch_cost", Label: "batch cost", Value: "103.125", Unit: "USD", Quoted: "$62", Expr: "realtime_cost * (1 - batch_discount)"},
					{Key: "saving_share", Label: "saving", Value: "0.5", Unit: "fraction", Expr: "(realtime_cost - batch_cost) / realtime_cost"},
				},
			},
			{
				Name: "seed-001-monthly", Kind: "batch", Title: "12M calls/month, $120K, 80% batch-eligible",
				Assumptions: []report.Assumption{
					{Key: "monthly_cost", Value: "120000", Source: "seed 001"},
					{Key: "eligible_share", Value: "0.8", Source: "seed 001"},
					{Key: "batch_discount", Value: "0.5", Source: "default"},
					{Key: "provider", Value: "openai", Source: "seed 001"},
				},
				Figures: []report.Figure{
					{Key: "new_cost", Label: "monthly cost with batch", Value: "72000", Unit: "USD/month", Quoted: "~$72K",
						Expr: "monthly_cost * (1 - eligible_share * batch_discount)"},
					{Key: "capped", Label: "saving capped at $40K", Value: "40000", Unit: "USD/month", Expr: "MIN(monthly_cost - new_cost, 40000)"},
					{Key: "worth", Label: "worth it (1 = yes)", Value: "1", Unit: "flag", Expr: "IF(monthly_cost - new_cost >= 1000, 1, 0)"},
					{Key: "floor", Label: "cost floor", Value: "72000", Unit: "USD/month", Expr: "MAX(new_cost, monthly_cost * 0.5)"},
				},
			},
			{
				Name: "seed-003-deepseek", Kind: "model-swap", Title: "10M output tokens/month on DeepSeek V3.2",
				Assumptions: []report.Assumption{
					{Key: "output_tokens", Value: "10000000", Source: "seed 003"},
					{Key: "output_price", Value: "0.42", Source: "price book deepseek"},
				},
				Figures: []report.Figure{
					{Key: "monthly", Label: "monthly cost", Value: "4.2", Unit: "USD/month", Quoted: "$4,200",
						Expr: "output_tokens * output_price / 1000000", Note: "the page is off by 1,000×: 10M × $0.42/M = $4.20"},
					{Key: "p95_hours", Label: "batch completion, 95th percentile", Value: "6.8", Unit: "hours", Note: "Monte Carlo, seed 1"},
				},
			},
		},
		Assumptions: []report.Assumption{{Key: "pricebook", Value: "embedded", Source: "default"}},
	}
}

// xlsxExamplesReport is the report of `costaudit examples run`: every
// seed's worked example, as the simulate engine computed it. Regenerate
// testdata/xlsx/examples.json with
//
//	go run ./cmd/costaudit examples run --format json > internal/render/testdata/xlsx/examples.json
func xlsxExamplesReport(t testing.TB) *report.Report {
	t.Helper()
	return loadReport(t, filepath.Join("testdata", "xlsx", "examples.json"))
}

// loadReport reads a JSON report.
func loadReport(t testing.TB, path string) *report.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &rep
}
