package render

import (
	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

// d parses an exact decimal for test fixtures.
func hd(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// fixtureAnalyzeReport is a small but complete analyze report. Its names
// carry markup and formula prefixes on purpose: renderers must treat them as
// data.
func fixtureAnalyzeReport() *report.Report {
	return &report.Report{
		Kind:          "analyze",
		SchemaVersion: report.SchemaVersion,
		Window:        report.Window{Start: "2026-05-01T00:00:00Z", End: "2026-05-04T00:00:00Z", Days: hd("3"), TZ: "UTC"},
		Pricebooks: []report.Pricebook{
			{ID: "anthropic", Source: "embedded:anthropic.toml", SHA256: "5a3f0c1d2e4b6a7980c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d"},
			{ID: "openai", Source: "embedded:openai.toml", SHA256: "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0"},
		},
		Coverage: report.Coverage{
			Files: 2, Lines: 14, Records: 11, Priced: 10, Unbilled: 0, Unpriced: 1,
			Duplicates: 1, Rejected: 1, Skipped: 1,
			RejectedByReason: map[string]int64{"output_tokens: negative value": 1},
			UnpricedModels:   map[string]int64{"mystery-model-<b>": 1},
			Formats:          map[string]int64{"canonical": 9, "openai": 2},
		},
		Totals: report.Totals{
			Requests: 10, InputTokens: 40000, CacheReadTokens: 5000, CacheWrite5mTokens: 1000,
			OutputTokens: 6000, CostUSD: hd("0.3275"),
		},
		Projection: report.Projection{Basis: "30 / 3 days of data", MonthlyCostUSD: hd("3.275"), MonthlySavingsUSD: hd("0.6"), WindowSavingsUSD: hd("0.06")},
		ByClass: []report.ClassRow{
			{Class: "realtime", Requests: 5, CostUSD: hd("0.1875")},
			{Class: "scheduled", Requests: 4, CostUSD: hd("0.12")},
			{Class: "near-realtime", Requests: 1, CostUSD: hd("0.02")},
		},
		ByModel: []report.ModelRow{
			{Provider: "anthropic", Model: "claude-sonnet-4-5", Requests: 6, CostUSD: hd("0.2475")},
			{Provider: "openai", Model: "gpt-4o", Requests: 4, CostUSD: hd("0.08")},
		},
		ByMode: []report.ModeRow{
			{Mode: "stream", Requests: 5, CostUSD: hd("0.1875")},
			{Mode: "sync", Requests: 5, CostUSD: hd("0.14")},
		},
		ByDay: []report.DayRow{
			{Day: "2026-05-01", Requests: 4, CostUSD: hd("0.1275"), ByClass: map[string]decimal.Decimal{"realtime": hd("0.0675"), "scheduled": hd("0.06")}},
			{Day: "2026-05-02", Requests: 3, CostUSD: hd("0.08"), ByClass: map[string]decimal.Decimal{"realtime": hd("0.06"), "near-realtime": hd("0.02")}},
			{Day: "2026-05-03", Requests: 3, CostUSD: hd("0.12"), ByClass: map[string]decimal.Decimal{"realtime": hd("0.06"), "scheduled": hd("0.06")}},
		},
		Groups: []report.GroupRow{
			{Key: "team", Value: "=cmd|' /C calc'!A0", Requests: 6, CostUSD: hd("0.2475"), SavingsUSD: hd("0.06")},
			{Key: "team", Value: "", Requests: 4, CostUSD: hd("0.08"), SavingsUSD: hd("0")},
			{Key: "tag:env", Value: "prod", Requests: 10, CostUSD: hd("0.3275"), SavingsUSD: hd("0.06")},
		},
		Workflows: []report.Workflow{
			{
				Workflow: "chat-<script>alert(1)</script>", Class: "realtime", Confidence: "high",
				Evidence: []string{"user_waiting=true on 5/5 requests", "source=web_ui"},
				Requests: 5, Providers: []string{"anthropic"}, Models: []string{"claude-sonnet-4-5"}, Modes: []string{"stream"},
				InputTokens: 20000, CacheReadTokens: 5000, CacheWrite5mTokens: 1000, OutputTokens: 3000, CostUSD: hd("0.1875"),
				WhatIf: report.WhatIf{BatchCostUSD: hd("0.1875"), SavingsUSD: hd("0"), Eligible: false, Reason: "realtime: a user is waiting"},
			},
			{
				Workflow: "nightly-report", Class: "scheduled", Confidence: "medium",
				Evidence: []string{"daily burst at 02:00 UTC on 2/3 days", "source=cron"},
				Requests: 4, Providers: []string{"openai"}, Models: []string{"gpt-4o"}, Modes: []string{"sync"},
				InputTokens: 16000, OutputTokens: 2000, CostUSD: hd("0.12"), Team: "=cmd|' /C calc'!A0",
				WhatIf: report.WhatIf{BatchCostUSD: hd("0.06"), SavingsUSD: hd("0.06"), Eligible: true, Reason: "scheduled: batch API at 50%"},
			},
			{
				Workflow: "+summarize", Class: "near-realtime", Confidence: "low",
				Evidence: []string{"source=queue"},
				Requests: 1, Providers: []string{"anthropic"}, Models: []string{"claude-sonnet-4-5"}, Modes: []string{"sync"},
				InputTokens: 4000, OutputTokens: 1000, CostUSD: hd("0.02"),
				WhatIf: report.WhatIf{BatchCostUSD: hd("0.02"), SavingsUSD: hd("0"), Eligible: false, Reason: "near-realtime: not moved without --include-near-realtime"},
			},
		},
		Opportunities: []report.Opportunity{
			{Rank: 1, Workflow: "nightly-report", Lever: "batch", Class: "scheduled", CostUSD: hd("0.12"), NewCostUSD: hd("0.06"), SavingsUSD: hd("0.06"), MonthlySavingsUSD: hd("0.6"), Why: "scheduled daily job; OpenAI Batch API bills 50% of list"},
		},
		EarlyCancel: report.EarlyCancel{
			CancelledStreams: 1, WithMaxTokens: 1, DeliveredOutputTokens: 200, NotGeneratedTokensMin: 0, NotGeneratedTokensMax: 824,
			SavedUSDMin: hd("0"), SavedUSDMax: hd("0.01236"),
			Workflows: []report.CancelRow{{Workflow: "chat-<script>alert(1)</script>", Streams: 5, Cancelled: 1, DeliveredOutputTokens: 200, NotGeneratedTokensMax: 824, SavedUSDMax: hd("0.01236")}},
			Note:      "providers do not document billing after a client disconnect",
		},
		Reconciliation: []report.Reconciliation{
			{Workflow: "nightly-report", Provider: "openai", Model: "gpt-4o", Requests: 4, LoggedCostUSD: hd("0.13"), OurCostUSD: hd("0.12"), DiffUSD: hd("0.01"), DiffPct: hd("8.33"), LikelyCause: "cached tokens priced as input by the source"},
		},
		Prices: []report.PriceRow{
			{Ref: "anthropic/claude-sonnet-4-5@2025-09-29", Book: "anthropic", Provider: "anthropic", Model: "claude-sonnet-4-5", EffectiveFrom: "2025-09-29",
				Input: hd("3"), CacheRead: hd("0.3"), CacheWrite5m: hd("3.75"), CacheWrite1h: hd("6"), Output: hd("15"), HasBatch: true,
				BatchInput: hd("1.5"), BatchCacheRead: hd("0.15"), BatchCacheWrite5m: hd("1.875"), BatchCacheWrite1h: hd("3"), BatchOutput: hd("7.5"), Source: "https://www.anthropic.com/pricing"},
			{Ref: "openai/gpt-4o@2024-10-01", Book: "openai", Provider: "openai", Model: "gpt-4o", EffectiveFrom: "2024-10-01",
				Input: hd("2.5"), CacheRead: hd("1.25"), Output: hd("10"), HasBatch: true, BatchInput: hd("1.25"), BatchCacheRead: hd("0.625"), BatchOutput: hd("5"), Source: "https://openai.com/api/pricing"},
		},
		FocusRows: []report.FocusUsage{
			{Day: "2026-05-01", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "input", Mode: "stream", Tokens: 8000, UnitPrice: hd("3"), ListCostUSD: hd("0.024"), CostUSD: hd("0.024"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-01", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "output", Mode: "stream", Tokens: 1000, UnitPrice: hd("15"), ListCostUSD: hd("0.015"), CostUSD: hd("0.015"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-01", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "cache_read", Mode: "stream", Tokens: 5000, UnitPrice: hd("0.3"), ListCostUSD: hd("0.0015"), CostUSD: hd("0.0015"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-01", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "cache_write_5m", Mode: "stream", Tokens: 1000, UnitPrice: hd("3.75"), ListCostUSD: hd("0.00375"), CostUSD: hd("0.00375"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-01", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "output", Mode: "stream", Tokens: 1550, UnitPrice: hd("15"), ListCostUSD: hd("0.02325"), CostUSD: hd("0.02325"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-01", Provider: "openai", Model: "gpt-4o", Bucket: "input", Mode: "sync", Tokens: 8000, UnitPrice: hd("2.5"), ListCostUSD: hd("0.02"), CostUSD: hd("0.02"), PriceRef: "openai/gpt-4o@2024-10-01"},
			{Day: "2026-05-01", Provider: "openai", Model: "gpt-4o", Bucket: "output", Mode: "sync", Tokens: 1000, UnitPrice: hd("10"), ListCostUSD: hd("0.01"), CostUSD: hd("0.01"), PriceRef: "openai/gpt-4o@2024-10-01"},
			{Day: "2026-05-02", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "input", Mode: "stream", Tokens: 8000, UnitPrice: hd("3"), ListCostUSD: hd("0.024"), CostUSD: hd("0.024"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-02", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "output", Mode: "stream", Tokens: 2400, UnitPrice: hd("15"), ListCostUSD: hd("0.036"), CostUSD: hd("0.036"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-02", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "input", Mode: "sync", Tokens: 4000, UnitPrice: hd("3"), ListCostUSD: hd("0.012"), CostUSD: hd("0.012"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-02", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "output", Mode: "flex", Tokens: 1000, UnitPrice: hd("8"), ListCostUSD: hd("0.015"), CostUSD: hd("0.008"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-03", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "input", Mode: "stream", Tokens: 6000, UnitPrice: hd("3"), ListCostUSD: hd("0.018"), CostUSD: hd("0.018"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-03", Provider: "anthropic", Model: "claude-sonnet-4-5", Bucket: "output", Mode: "stream", Tokens: 2000, UnitPrice: hd("15"), ListCostUSD: hd("0.03"), CostUSD: hd("0.03"), PriceRef: "anthropic/claude-sonnet-4-5@2025-09-29"},
			{Day: "2026-05-03", Provider: "openai", Model: "gpt-4o", Bucket: "input", Mode: "sync", Tokens: 8000, UnitPrice: hd("2.5"), ListCostUSD: hd("0.02"), CostUSD: hd("0.02"), PriceRef: "openai/gpt-4o@2024-10-01"},
			{Day: "2026-05-03", Provider: "openai", Model: "gpt-4o", Bucket: "output", Mode: "sync", Tokens: 1000, UnitPrice: hd("10"), ListCostUSD: hd("0.01"), CostUSD: hd("0.01"), PriceRef: "openai/gpt-4o@2024-10-01"},
			{Day: "2026-05-03", Provider: "openai", Model: "gpt-4o", Bucket: "request_fee", Mode: "sync", Tokens: 0, UnitPrice: hd("0"), ListCostUSD: hd("0"), CostUSD: hd("0"), PriceRef: "openai/gpt-4o@2024-10-01"},
			{Day: "2026-05-03", Provider: "openai", Model: "gpt-4o", Bucket: "input", Mode: "batch", Tokens: 0, UnitPrice: hd("1.25"), ListCostUSD: hd("0"), CostUSD: hd("0"), PriceRef: "openai/gpt-4o@2024-10-01"},
			{Day: "2026-05-03", Provider: "openai", Model: "gpt-4o", Bucket: "cache_read", Mode: "sync", Tokens: 57600, UnitPrice: hd("1.25"), ListCostUSD: hd("0.072"), CostUSD: hd("0.072"), PriceRef: "openai/gpt-4o@2024-10-01"},
		},
		Assumptions: []report.Assumption{
			{Key: "near_realtime_batch", Value: "false", Source: "default"},
			{Key: "projection_days", Value: "30", Source: "default"},
		},
		Notes: []string{"1 record of an unknown model is unpriced, not $0"},
	}
}

// fixtureExamplesReport is a worked-examples report: scenarios only.
func fixtureExamplesReport() *report.Report {
	return &report.Report{
		Kind:          "examples",
		SchemaVersion: report.SchemaVersion,
		Pricebooks:    []report.Pricebook{{ID: "anthropic", Source: "embedded:anthropic.toml", SHA256: "5a3f0c1d2e4b6a7980c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d"}},
		Scenarios: []report.Scenario{
			{
				Name: "seed-002-tickets", Kind: "batch", Title: "25,000 tickets × 1,500 in / 250 out at $3/$15",
				Figures: []report.Figure{
					{Key: "realtime_cost", Label: "Real-time cost", Value: "206.25", Unit: "USD", Quoted: "$125", Expr: "tickets*(in*3+out*15)/1000000", Note: "the seed's arithmetic is off: 25,000 × (1,500 × $3 + 250 × $15) / 1M = $206.25"},
					{Key: "batch_cost", Label: "Batch cost", Value: "103.125", Unit: "USD", Quoted: "$62", Expr: "realtime_cost*0.5"},
					{Key: "monthly", Label: "12M calls/month, 80% eligible", Value: "72000", Unit: "USD/month", Quoted: "~$72K"},
					{Key: "sonnet", Label: "Batch cost rounded", Value: "103.125", Unit: "USD", Quoted: "$103.13"},
				},
				Tables: []report.Table{{Name: "sensitivity", Columns: []string{"hit rate", "cost"}, Rows: [][]string{{"0.2", "1.00"}, {"0.5", "0.75"}}}},
				Assumptions: []report.Assumption{
					{Key: "tickets", Value: "25000", Source: "seed 002"},
					{Key: "in", Value: "1500", Source: "seed 002"},
				},
				Notes: []string{"Anthropic batch is 50% of list."},
			},
		},
		Assumptions: []report.Assumption{{Key: "pricebook", Value: "embedded", Source: "default"}},
	}
}
