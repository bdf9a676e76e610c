package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/costaudit/costaudit/report"
)

// bigReport is goldenAnalyze with n workflows, each with four long
// evidence items, a batch opportunity with a long rule, a cancelled-stream
// ledger row and a reconciliation row: the size of a large organisation's
// audit.
func bigReport(n int) *report.Report {
	rep := goldenAnalyze()
	rep.Workflows, rep.Opportunities, rep.Reconciliation = nil, nil, nil
	rep.EarlyCancel.Workflows = nil
	rule := strings.Repeat("50% off input and output; cache reads stay at standard prices ", 4)
	for i := range n {
		name := fmt.Sprintf("team-%03d/nightly-report-generation-job", i)
		ev := []string{}
		for k := range 4 {
			ev = append(ev, fmt.Sprintf("evidence %d: %s", k, strings.Repeat("source cron on 100% of 1,234 requests ", 4)))
		}
		cost := dec(fmt.Sprintf("%d.25", 1000-i))
		rep.Workflows = append(rep.Workflows, report.Workflow{Workflow: name, Class: "scheduled", Confidence: "high", Evidence: ev,
			Requests: 1234, Models: []string{"claude-sonnet-4-5", "gpt-4o-mini"}, CostUSD: cost,
			WhatIf: report.WhatIf{BatchCostUSD: cost.Div(dec("2")), SavingsUSD: cost.Div(dec("2")), Eligible: true, Reason: "scheduled"}})
		rep.Opportunities = append(rep.Opportunities, report.Opportunity{Rank: i + 1, Workflow: name, Lever: "batch", Class: "scheduled",
			CostUSD: cost, NewCostUSD: cost.Div(dec("2")), SavingsUSD: cost.Div(dec("2")), MonthlySavingsUSD: cost.Mul(dec("2")),
			Why: "scheduled (high confidence): " + ev[0] + "; batch rule: " + rule + fmt.Sprint(i%3)})
		rep.EarlyCancel.Workflows = append(rep.EarlyCancel.Workflows, report.CancelRow{Workflow: name, Streams: 100, Cancelled: 3, SavedUSDMax: dec("0.5")})
		rep.Reconciliation = append(rep.Reconciliation, report.Reconciliation{Workflow: name, Provider: "openai", Model: "gpt-4o-mini",
			Requests: 10, LoggedCostUSD: dec("2"), OurCostUSD: dec("1"), DiffUSD: dec("1"), DiffPct: dec("100"), LikelyCause: strings.Repeat("a cause ", 10)})
	}
	return rep
}

// TestMarkdownFitsAPullRequestComment renders 250 workflows as Markdown:
// the page must stay under GitHub's 65,536-character comment limit with
// the default --top and with --top 0 (all), name the top workflow, and
// summarize the rest instead of dropping them silently.
func TestMarkdownFitsAPullRequestComment(t *testing.T) {
	for _, top := range []int{0, 10, -1} {
		t.Run(fmt.Sprint("top ", top), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Markdown(&buf, bigReport(250), Options{TopN: top}); err != nil {
				t.Fatal(err)
			}
			n := utf8.RuneCount(buf.Bytes())
			if n > 65_536 {
				t.Fatalf("markdown is %d characters, over GitHub's 65,536", n)
			}
			out := buf.String()
			for _, want := range []string{"team-000/nightly-report-generation-job", "more workflows costing", "batch rule A:"} {
				if !strings.Contains(out, want) {
					t.Errorf("markdown lacks %q", want)
				}
			}
			if strings.Contains(out, "team-249/") {
				t.Errorf("markdown lists the last of 250 workflows; want it summarized")
			}
			t.Logf("top %d: %d characters", top, n)
		})
	}
}
