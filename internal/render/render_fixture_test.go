package render

import (
	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/report"
)

// dec parses an exact decimal for the test fixtures.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// goldenAnalyze is a hand-built analyze report: three weeks of traffic with
// a nightly job, a webhook, a chat UI and names that try markup, a formula
// and terminal escapes. The figures are consistent (costs add up) so the
// golden files read like a real audit.
func goldenAnalyze() *report.Report {
	return &report.Report{
		Kind:          "analyze",
		SchemaVersion: report.SchemaVersion,
		Window:        report.Window{Start: "2026-06-01T00:00:00Z", End: "2026-06-08T00:00:00Z", Days: dec("7"), TZ: "UTC"},
		Pricebooks: []report.Pricebook{
			{ID: "anthropic-2026-06", Source: "embedded:anthropic.toml", SHA256: "9c1b7e2f33aa41d0b6c58e7f0a1d2c3b4e5f60718293a4b5c6d7e8f901234567"},
			{ID: "openai-2026-06", Source: "embedded:openai.toml", SHA256: "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0"},
		},
		Coverage: report.Coverage{
			Files: 3, Lines: 120_450, Records: 118_210, Priced: 118_000, Unbilled: 150, Unpriced: 60,
			Duplicates: 1_900, Rejected: 40, Skipped: 300,
			RejectedByReason: map[string]int64{"output_tokens: negative value": 25, "ts: unparseable timestamp": 15},
			UnpricedModels:   map[string]int64{"acme-llm-7b": 60},
			Formats:          map[string]int64{"canonical": 100_000, "openai": 18_210},
		},
		Totals: report.Totals{
			Requests: 118_000, InputTokens: 160_000_000, CacheReadTokens: 20_000_000, CacheWrite5mTokens: 1_000_000,
			OutputTokens: 30_000_000, CostUSD: dec("1437.5042"),
		},
		Projection: report.Projection{Basis: "30 / 7 days of data", MonthlyCostUSD: dec("6160.7322857"), MonthlySavingsUSD: dec("1920.5357142"), WindowSavingsUSD: dec("448.125")},
		ByClass: []report.ClassRow{
			{Class: "scheduled", Requests: 17_500, CostUSD: dec("896.25")},
			{Class: "realtime", Requests: 98_500, CostUSD: dec("521.2542")},
			{Class: "near-realtime", Requests: 2_000, CostUSD: dec("20")},
		},
		ByModel: []report.ModelRow{
			{Provider: "anthropic", Model: "claude-sonnet-4-5", Requests: 67_500, CostUSD: dec("1196.25")},
			{Provider: "openai", Model: "gpt-4o-mini", Requests: 50_500, CostUSD: dec("241.2542")},
		},
		ByMode: []report.ModeRow{
			{Mode: "sync", Requests: 19_500, CostUSD: dec("916.25")},
			{Mode: "stream", Requests: 98_500, CostUSD: dec("521.2542")},
		},
		ByDay: []report.DayRow{
			{Day: "2026-06-01", Requests: 16_857, CostUSD: dec("205.3577"), ByClass: map[string]decimal.Decimal{"realtime": dec("74.4649"), "scheduled": dec("128.0357"), "near-realtime": dec("2.8571")}},
			{Day: "2026-06-02", Requests: 16_857, CostUSD: dec("205.3577"), ByClass: map[string]decimal.Decimal{"realtime": dec("74.4649"), "scheduled": dec("128.0357"), "near-realtime": dec("2.8571")}},
		},
		Groups: []report.GroupRow{
			{Key: "team", Value: "support", Requests: 17_500, CostUSD: dec("896.25"), SavingsUSD: dec("448.125")},
			{Key: "team", Value: "", Requests: 100_500, CostUSD: dec("541.2542"), SavingsUSD: dec("0")},
		},
		Workflows: []report.Workflow{
			{
				Workflow: "nightly-ticket-summary", Class: "scheduled", Confidence: "high",
				Evidence: []string{"94% of 17,500 requests start 02:00–02:40 UTC on 7 of 7 days", "source=cron on 100% of requests"},
				Requests: 17_500, Providers: []string{"anthropic"}, Models: []string{"claude-sonnet-4-5"}, Modes: []string{"sync"}, Team: "support",
				InputTokens: 26_250_000, OutputTokens: 4_375_000, CostUSD: dec("896.25"),
				WhatIf: report.WhatIf{BatchCostUSD: dec("448.125"), SavingsUSD: dec("448.125"), Eligible: true, Reason: "scheduled; anthropic batch at 50% of list"},
			},
			{
				Workflow: "chat|ui \x1b[31mred", Class: "realtime", Confidence: "high",
				Evidence: []string{"user_waiting=true on 98,500 of 98,500 requests", "streaming, median TTFT 420 ms"},
				Requests: 98_500, Providers: []string{"anthropic", "openai"}, Models: []string{"claude-sonnet-4-5", "gpt-4o-mini"}, Modes: []string{"stream"},
				InputTokens: 130_000_000, CacheReadTokens: 20_000_000, CacheWrite5mTokens: 1_000_000, OutputTokens: 25_000_000, CostUSD: dec("521.2542"),
				WhatIf: report.WhatIf{BatchCostUSD: dec("521.2542"), SavingsUSD: dec("0"), Eligible: false, Reason: "realtime"},
			},
			{
				Workflow: "=HYPERLINK(\"http://x\")", Class: "near-realtime", Confidence: "medium",
				Evidence: []string{"source=webhook on 100% of requests"},
				Requests: 2_000, Providers: []string{"openai"}, Models: []string{"gpt-4o-mini"}, Modes: []string{"sync"},
				InputTokens: 3_750_000, OutputTokens: 625_000, CostUSD: dec("20"),
				WhatIf: report.WhatIf{BatchCostUSD: dec("20"), SavingsUSD: dec("0"), Eligible: false, Reason: "near-realtime (--batch-classes scheduled)"},
			},
			{
				Workflow: "probe", Class: "realtime", Confidence: "low",
				Evidence: []string{"unclassified — assumed realtime"},
				Requests: 0, Providers: []string{"openai"}, Models: []string{"gpt-4o-mini"}, Modes: []string{"sync"},
				InputTokens: 10, OutputTokens: 2, CostUSD: dec("0.0000027"),
				WhatIf: report.WhatIf{BatchCostUSD: dec("0.0000027"), SavingsUSD: dec("0"), Eligible: false, Reason: "realtime"},
			},
		},
		Opportunities: []report.Opportunity{
			{Rank: 1, Workflow: "nightly-ticket-summary", Lever: "batch", Class: "scheduled", CostUSD: dec("896.25"), NewCostUSD: dec("448.125"),
				SavingsUSD: dec("448.125"), MonthlySavingsUSD: dec("1920.5357142"), Why: "scheduled nightly burst; Anthropic Message Batches bill 50% of list"},
		},
		EarlyCancel: report.EarlyCancel{
			CancelledStreams: 1_200, WithMaxTokens: 900, DeliveredOutputTokens: 240_000, NotGeneratedTokensMin: 0, NotGeneratedTokensMax: 1_600_000,
			SavedUSDMin: dec("0"), SavedUSDMax: dec("24"),
			Workflows: []report.CancelRow{{Workflow: "chat|ui \x1b[31mred", Streams: 98_500, Cancelled: 1_200, DeliveredOutputTokens: 240_000, NotGeneratedTokensMax: 1_600_000, SavedUSDMax: dec("24")}},
			Note:      "providers do not document billing after a client disconnect, so the saving is a range",
		},
		Reconciliation: []report.Reconciliation{
			{Workflow: "=HYPERLINK(\"http://x\")", Provider: "openai", Model: "gpt-4o-mini", Requests: 2_000, LoggedCostUSD: dec("21.5"), OurCostUSD: dec("20"), DiffUSD: dec("1.5"), DiffPct: dec("7.5"), LikelyCause: "cache tokens priced as input by the logger"},
		},
		Assumptions: []report.Assumption{
			{Key: "batch_classes", Value: "scheduled", Source: "default"},
			{Key: "projection", Value: "30-day month, straight line", Source: "default"},
			{Key: "tz", Value: "UTC", Source: "default"},
		},
		Notes: []string{"60 records of acme-llm-7b are unpriced: no price book knows the model"},
	}
}

// goldenExamples is a worked-examples report: scenarios only, with a seed's
// quoted figure and the note on why it differs.
func goldenExamples() *report.Report {
	return &report.Report{
		Kind:          "examples",
		SchemaVersion: report.SchemaVersion,
		Pricebooks:    []report.Pricebook{{ID: "anthropic-2026-06", Source: "embedded:anthropic.toml", SHA256: "9c1b7e2f33aa41d0b6c58e7f0a1d2c3b4e5f60718293a4b5c6d7e8f901234567"}},
		Scenarios: []report.Scenario{
			{
				Name: "seed-002-tickets", Kind: "batch", Title: "25,000 tickets × 1,500 in / 250 out at $3/$15",
				Figures: []report.Figure{
					{Key: "realtime_cost", Label: "real-time cost", Value: "206.25", Unit: "USD", Quoted: "125", Expr: "tickets*(input*3+output*15)/1000000",
						Note: "25,000 × (1,500 × $3 + 250 × $15) / 1M = $206.25"},
					{Key: "batch_cost", Label: "batch cost", Value: "103.125", Unit: "USD", Quoted: "62", Expr: "realtime_cost*0.5", Note: "half of $206.25"},
					{Key: "tokens", Label: "output tokens", Value: "6250000", Unit: "tokens"},
					{Key: "share", Label: "saving", Value: "50", Unit: "%"},
					{Key: "share_exact", Label: "saving with cache", Value: "6.248196220146182357", Unit: "%"},
					{Key: "p95", Label: "batch completion p95", Value: "7.1234567", Unit: "hours"},
				},
				Tables: []report.Table{{Name: "cost by cache hit rate", Columns: []string{"hit rate", "cost"}, Rows: [][]string{{"20%", "$1,000.00"}, {"50%", "$750.00"}}}},
				Assumptions: []report.Assumption{
					{Key: "tickets", Value: "25000", Source: "seed 002"},
					{Key: "input", Value: "1500", Source: "seed 002"},
				},
				Notes: []string{"Anthropic Message Batches bill 50% of list."},
			},
			{
				Name: "seed-003-deepseek", Kind: "model-swap", Title: "10M output tokens/month on DeepSeek V3.2",
				Figures: []report.Figure{
					{Key: "monthly", Label: "monthly cost", Value: "4.2", Unit: "USD/month", Quoted: "$4,200", Note: "the page is off by 1,000×: 10M × $0.42/M = $4.20"},
				},
				Assumptions: []report.Assumption{{Key: "output_price", Value: "0.42", Source: "price book deepseek"}},
			},
		},
		Assumptions: []report.Assumption{{Key: "pricebook", Value: "embedded", Source: "default"}},
		Notes:       []string{"Figures are exact; the seeds' are quoted beside them."},
	}
}
