package audit

import (
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify" // classify is a function of decode_format.go until the decoders move out
	"github.com/costaudit/costaudit/pricing"
)

// TestWhatIfReasonCountsLines checks the reason of a workflow's batch
// what-if when its price lines span several days (one aggregate row per
// day): a near-realtime workflow delivered entirely by batch is "already
// batched", whatever the number of days.
func TestWhatIfReasonCountsLines(t *testing.T) {
	cat := testCatalog(t)
	rules, err := classify.ParseRules("rules.toml", []byte("[[rule]]\nworkflow = \"*\"\nclass = \"near-realtime\"\nreason = \"test\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	agg := aggregate.New(cat, aggregate.Options{TZ: time.UTC})
	for d := range 3 {
		agg.Consume(&Record{TS: time.Date(2026, 11, 2+d, 3, 0, 0, 0, time.UTC), Provider: "acme", Model: "acme-small", Workflow: "evals",
			Mode: pricing.ModeBatch, UserWaiting: -1, InputTokens: 1000, OutputTokens: 100, LatencyMS: -1, TTFTMS: -1, Status: StatusOK})
	}
	rep, err := BuildReport(agg, Stats{Files: 1, Lines: 3, Records: 3}, cat, BuildOptions{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Workflows[0].WhatIf.Reason; got != "already batched" {
		t.Errorf("reason %q, want already batched", got)
	}
}
