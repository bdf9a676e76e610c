package audit

import (
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// userBook is a user's book without any batch rule.
const userBook = `schema = 1
id = "acme-models"
provider = "openai"

[[models]]
id = "ft:gpt-4o-mini:acme:support"

  [[models.prices]]
  effective_from = "2025-01-01"
  source = "test"
  source_date = "2025-01-01"
  input = "0.30"
  output = "1.20"
`

// TestUnpricedModes checks that a record in a delivery mode its model's
// book cannot price is counted as unpriced with the reason, and that the
// audit goes on; and that records older than a model's first price say so.
func TestUnpricedModes(t *testing.T) {
	cat, err := pricing.Load(
		pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."},
		pricing.BookSource{Name: "user", FS: fstest.MapFS{"acme.toml": {Data: []byte(userBook)}}, Path: "."},
	)
	if err != nil {
		t.Fatal(err)
	}
	recs := []Record{
		rec("2026-05-01T10:00:00Z", "openai", "gpt-4o-mini", "a", pricing.ModeSync, 100, 10),
		rec("2026-05-01T10:00:01Z", "openai", "gpt-4o-mini", "a", pricing.ModeFlex, 100, 10),
		rec("2026-05-01T10:00:02Z", "anthropic", "claude-sonnet-4-5", "b", pricing.ModePriority, 100, 10),
		rec("2026-05-01T10:00:03Z", "deepseek", "deepseek-chat", "c", pricing.ModeBatch, 100, 10),
		rec("2026-05-01T10:00:04Z", "openai", "ft:gpt-4o-mini:acme:support", "d", pricing.ModeBatch, 100, 10),
		rec("2023-01-05T10:00:00Z", "openai", "gpt-4o", "e", pricing.ModeSync, 100, 10),
		rec("2023-02-01T10:00:00Z", "openai", "gpt-4o", "e", pricing.ModeSync, 100, 10),
		rec("2026-05-01T10:00:05Z", "openai", "gpt-4o", "e", pricing.ModeSync, 100, 10),
		rec("2024-01-05T10:00:00Z", "openai", "o3", "f", pricing.ModeSync, 100, 10),
	}
	agg := aggregate.New(cat, aggregate.Options{})
	for i := range recs {
		agg.Consume(&recs[i])
	}
	rep, err := BuildReport(agg, Stats{Lines: int64(len(recs)), Records: int64(len(recs))}, nil, BuildOptions{})
	if err != nil {
		t.Fatalf("build report: %v", err)
	}
	c := rep.Coverage
	if c.Priced != 2 || c.Unpriced != 7 {
		t.Errorf("priced %d, unpriced %d; want 2 and 7", c.Priced, c.Unpriced)
	}
	wantModels := map[string]int64{"gpt-4o-mini": 1, "claude-sonnet-4-5": 1, "deepseek-chat": 1, "ft:gpt-4o-mini:acme:support": 1, "gpt-4o": 2, "o3": 1}
	if !reflect.DeepEqual(c.UnpricedModels, wantModels) {
		t.Errorf("unpriced models %v, want %v", c.UnpricedModels, wantModels)
	}
	want := map[string]string{
		"gpt-4o-mini":                 "mode flex: openai/gpt-4o-mini: no price for this delivery mode: book openai has no flex rule for it",
		"claude-sonnet-4-5":           "mode priority: anthropic/claude-sonnet-4-5: no price for this delivery mode: book anthropic has no priority prices for it",
		"deepseek-chat":               "mode batch: deepseek/deepseek-chat: no batch API: " + noBatchText(t, cat, "deepseek", "deepseek-chat"),
		"ft:gpt-4o-mini:acme:support": "mode batch: openai/ft:gpt-4o-mini:acme:support: no batch API: book acme-models has no batch rule for ft:gpt-4o-mini:acme:support",
		"gpt-4o":                      "no price in force from 2023-01-05 to 2023-02-01 (first price 2024-05-13)",
		"o3":                          "no price in force on 2024-01-05 (first price 2025-04-16)",
	}
	for m, w := range want {
		if got := c.UnpricedReasons[m]; got != w {
			t.Errorf("reason of %s:\n got %q\nwant %q", m, got, w)
		}
	}
	if len(c.UnpricedReasons) != len(want) {
		t.Errorf("reasons %v", c.UnpricedReasons)
	}
}

// noBatchText is the catalog's own words for a model without batch.
func noBatchText(t *testing.T, cat *pricing.Catalog, provider, model string) string {
	t.Helper()
	k, err := cat.Key(provider, model, ts("2026-05-01T00:00:00Z"), 0)
	if err != nil {
		t.Fatal(err)
	}
	_, why := cat.BatchRule(k)
	return why
}

// tieredBook has explicit batch prices that do not cover its long-context
// tier.
const tieredBook = `schema = 1
id = "tiered"
provider = "openai"

[[models]]
id = "tiered-1"

  [[models.prices]]
  effective_from = "2025-01-01"
  source = "test"
  source_date = "2025-01-01"
  input = "1.00"
  output = "2.00"
  batch = { input = "0.50", output = "1.00" }
  [[models.prices.tiers]]
  above = 1000
  input = "2.00"
  output = "4.00"
`

// TestBatchWhatIfUncoveredTier checks that a scheduled workflow whose
// request is in a tier the batch prices do not cover is reported as not
// batchable, instead of failing the whole report.
func TestBatchWhatIfUncoveredTier(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "user", FS: fstest.MapFS{"t.toml": {Data: []byte(tieredBook)}}, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	r := rec("2026-05-01T02:00:00Z", "openai", "tiered-1", "w", pricing.ModeSync, 5000, 0)
	r.Source = "cron"
	agg := aggregate.New(cat, aggregate.Options{})
	agg.Consume(&r)
	rep, err := BuildReport(agg, Stats{Lines: 1, Records: 1}, nil, BuildOptions{})
	if err != nil {
		t.Fatalf("build report: %v", err)
	}
	wi := rep.Workflows[0].WhatIf
	if wi.Eligible || wi.Reason != "openai/tiered-1: no price for this delivery mode: the batch prices do not cover the long-context tier or time-of-day window" {
		t.Errorf("what-if %+v", wi)
	}
}
