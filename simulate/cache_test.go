package simulate

import "testing"

// TestBreakEvenHitRate checks the break-even formula against hand
// calculations: with read 0.1× and a 5-minute write of 1.25×, caching
// pays when 0.1h + 1.25(1 − h) < 1, that is h > 0.25/1.15 = 5/23; with a
// 1-hour write of 2×, when 0.1h + 2(1 − h) < 1, h > 1/1.9 = 10/19.
func TestBreakEvenHitRate(t *testing.T) {
	tests := []struct {
		name              string
		base, read, write string
		want              string
		ok                bool
	}{
		{"multipliers 5m: 5/23", "1", "0.1", "1.25", "0.21739130434782608696", true},
		{"multipliers 1h: 10/19", "1", "0.1", "2", "0.52631578947368421053", true},
		{"sonnet $3, read $0.30, 5m write $3.75", "3", "0.30", "3.75", "0.21739130434782608696", true},
		{"sonnet $3, read $0.30, 1h write $6", "3", "0.30", "6", "0.52631578947368421053", true},
		{"sonnet on batch, stacked: same ratio", "1.5", "0.15", "1.875", "0.21739130434782608696", true},
		{"vertex on batch, not stacked: base $0.15, read $0.03, write $0.30", "0.15", "0.03", "0.30", "0.55555555555555555556", true},
		{"no write premium (gemini, openai): pays at any rate", "0.3", "0.03", "0.3", "0", true},
		{"reads as dear as input: never", "1", "1", "1", "0", false},
	}
	for _, tt := range tests {
		h, ok := BreakEvenHitRate(d(tt.base), d(tt.read), d(tt.write))
		if ok != tt.ok || h.String() != tt.want {
			t.Errorf("%s: got %s, %v; want %s, %v", tt.name, h, ok, tt.want, tt.ok)
		}
	}
	// The documented rounded figures.
	h5, _ := BreakEvenHitRate(d("1"), d("0.1"), d("1.25"))
	h1, _ := BreakEvenHitRate(d("1"), d("0.1"), d("2"))
	if h5.Round(3).String() != "0.217" || h1.Round(3).String() != "0.526" {
		t.Errorf("break-even rounds to %s and %s, want 0.217 (21.7%%) and 0.526 (52.6%%)", h5.Round(3), h1.Round(3))
	}
}

// TestBreakEvenIsIndifference checks that at the break-even rate caching
// costs exactly what no caching costs.
func TestBreakEvenIsIndifference(t *testing.T) {
	base, read, write := d("3"), d("0.3"), d("3.75")
	h, _ := BreakEvenHitRate(base, read, write)
	cached := h.Mul(read).Add(dOne.Sub(h).Mul(write))
	if diff := cached.Sub(base).Abs(); diff.GreaterThan(d("1e-18")) {
		t.Errorf("at h=%s caching costs %s per token, uncached %s", h, cached, base)
	}
}

// TestCacheBatchNoStack checks cache + batch where cache prices do not
// take the batch discount: 1,000 requests × (1,000 prefix + 500 input) /
// 100 output, 80% hits.
func TestCacheBatchNoStack(t *testing.T) {
	sc := runFile(t, "testdata/cache-batch-nostack.toml")
	want := map[string]string{
		// gpt-4.1 $2/$8, read $0.50, no write price; batch $1/$4.
		// Rest on batch (5e5 × 2 + 1e5 × 8) / 1e6 × 0.5 = 0.9; prefix 1e6
		// tokens × (0.8 × 0.50 read + 0.2 × 1.00 batch input) / 1e6 = 0.6.
		"gpt_cache_all_batch_cost": "1.5",
		// On batch a miss costs the batch input price: caching pays at
		// any hit rate.
		"gpt_cache_batch_breakeven_hit_rate": "0",
		// Not on batch: 1.8 + 1e6 × (0.8 × 0.50 + 0.2 × 2) / 1e6.
		"gpt_cache_cost": "2.6",
		// gemini-2.5-pro $1.25/$10, read $0.125: (0.625 + 1) × 0.5 +
		// (0.8 × 0.125 + 0.2 × 0.625).
		"gemini_cache_all_batch_cost":           "1.0375",
		"gemini_cache_batch_breakeven_hit_rate": "0",
		// A stated write premium stays: (1.5 + 1.5) × 0.5 + (0.8 × 0.30 +
		// 0.2 × 3.75); break-even on batch (3.75 − 1.5) / (3.75 − 0.30).
		"premium_cache_all_batch_cost":           "2.49",
		"premium_cache_batch_breakeven_hit_rate": "65.217391304347826087",
		"cache_batch_cost":                       "5.0275",
	}
	got := map[string]string{}
	for _, f := range sc.Figures {
		got[f.Key] = f.Value
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %s", k, got[k], v)
		}
	}
	checkScenarioExprs(t, "cache-batch-nostack", sc)
}
