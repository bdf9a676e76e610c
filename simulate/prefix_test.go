package simulate

import (
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

// prefixRecords are the requests of TestCacheOverLogs: a 2,000-token
// prefix per request against what each request already caches.
//
//	ide (Sonnet 4.5, sync):   input   cached  new prefix tokens
//	                            500        0    500 (capped at its own input)
//	                          10000        0   2000
//	                           1000     1500    500 (1,500 already read)
//	                           3000     2000      0 (all of it already read)
//	nightly (gpt-4.1, batch): 5000 × 2     0   2000 each
func prefixRecords() []audit.Record {
	at := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	rec := func(i int, wf, provider, model string, mode pricing.Mode, in, cached int64) audit.Record {
		return audit.Record{TS: at.Add(time.Duration(i) * time.Hour), Provider: provider, Model: model, Workflow: wf, Mode: mode,
			UserWaiting: -1, InputTokens: in, CacheReadTokens: cached, OutputTokens: 100, LatencyMS: -1, TTFTMS: -1, Status: audit.StatusOK}
	}
	return []audit.Record{
		rec(0, "ide", "anthropic", "claude-sonnet-4-5", pricing.ModeSync, 500, 0),
		rec(1, "ide", "anthropic", "claude-sonnet-4-5", pricing.ModeSync, 10000, 0),
		rec(2, "ide", "anthropic", "claude-sonnet-4-5", pricing.ModeSync, 1000, 1500),
		rec(3, "ide", "anthropic", "claude-sonnet-4-5", pricing.ModeSync, 3000, 2000),
		rec(4, "nightly", "openai", "gpt-4.1", pricing.ModeBatch, 5000, 0),
		rec(5, "nightly", "openai", "gpt-4.1", pricing.ModeBatch, 5000, 0),
	}
}

func prefixReport(t *testing.T) (*report.Report, *PrefixTokens) {
	t.Helper()
	cat := catalog(t)
	agg := aggregate.New(cat, aggregate.Options{TZ: time.UTC})
	// Two workers, merged, as the scan runs them.
	p1, p2 := NewPrefixTokens(cat, 2000, time.Time{}, time.Time{}), NewPrefixTokens(cat, 2000, time.Time{}, time.Time{})
	recs := prefixRecords()
	for i := range recs {
		agg.Consume(&recs[i])
		[]*PrefixTokens{p1, p2}[i%2].Consume(&recs[i])
	}
	rep, err := audit.BuildReport(agg, audit.Stats{Files: 1, Lines: int64(len(recs)), Records: int64(len(recs))}, cat, audit.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rep, MergePrefixTokens(p1, p2)
}

func TestNewPrefix(t *testing.T) {
	tests := []struct {
		in, read, w5, w1, want int64
	}{
		{500, 0, 0, 0, 500},
		{10000, 0, 0, 0, 2000},
		{1000, 1500, 0, 0, 500},
		{3000, 2000, 0, 0, 0},
		{3000, 1000, 600, 600, 0}, // writes count as already cached
		{3000, 0, 0, 500, 1500},
		{0, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		r := audit.Record{InputTokens: tt.in, CacheReadTokens: tt.read, CacheWrite5mTokens: tt.w5, CacheWrite1hTokens: tt.w1}
		if got := NewPrefix(2000, &r); got != tt.want {
			t.Errorf("NewPrefix(2000, %+v) = %d, want %d", tt, got, tt.want)
		}
	}
}

// TestCacheOverLogs checks the cache lever over logs against hand
// calculations at the books' prices: Sonnet 4.5 $3 input, $0.30 read,
// $3.75 5-minute write, $15 output; gpt-4.1 on batch $1 input, $0.50 read
// (cache does not stack with batch), $4 output, and a miss writes at the
// batch input price $1.
func TestCacheOverLogs(t *testing.T) {
	rep, pt := prefixReport(t)
	f, err := ParseWhatIf("w.toml", []byte("[cache]\nprefix_tokens = 2000\nhit_rate = 0.8\nttl = \"5m\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opt  Options
		want map[string]string
	}{
		{"per request", Options{Prefix: pt}, map[string]string{
			// ide: 14,500 input × $3 + 3,500 read × $0.30 + 400 out × $15 = 0.05055;
			// 3,000 new prefix tokens: − 0.009 + 0.8 × 0.0009 + 0.2 × 0.01125.
			"wf1_prefix_at_input": "0.009",
			"wf1_cache_cost":      "0.04452",
			// nightly: 10,000 × $1 + 200 × $4 = 0.0108; 4,000 new tokens:
			// − 0.004 + 0.8 × 0.002 + 0.2 × 0.004.
			"wf2_prefix_at_write": "0.004",
			"wf2_cache_cost":      "0.0092",
			"cache_savings":       "0.00763",
		}},
		{"over the lines' totals", Options{}, map[string]string{
			// ide: 4 × 2,000 − 3,500 cached = 4,500 tokens (the 500-token
			// request lends input it does not have): − 0.0135 + 0.8 ×
			// 0.00135 + 0.2 × 0.016875.
			"wf1_prefix_at_input": "0.0135",
			"wf1_cache_cost":      "0.041505",
			"wf2_cache_cost":      "0.0092",
		}},
		{"another prefix than measured", Options{Prefix: NewPrefixTokens(catalog(t), 1000, time.Time{}, time.Time{})}, map[string]string{
			"wf1_cache_cost": "0.041505",
		}},
	}
	for _, tt := range tests {
		sc, err := RunOnReport(f, rep, tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, fg := range sc.Figures {
			got[fg.Key] = fg.Value
		}
		for _, a := range sc.Assumptions {
			got[a.Key] = a.Value
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %s", tt.name, k, got[k], v)
			}
		}
		checkScenarioExprs(t, "cache over logs", sc)
	}
}
