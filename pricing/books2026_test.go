package pricing_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/pricing"
)

// The tests in this file price the rules 2026 brought through the embedded
// books, with exact expected costs worked out by hand from the prices in
// the books.

// TestDeepSeekPeakWindows prices 1M input, 1M cache-hit and 1M output
// tokens of deepseek-v4-flash on either side of the peak edges and of the
// dated entries: peak 01:00-04:00 and 06:00-10:00 UTC, every day until
// 2026-08-23, weekdays after, V4.1 Flash prices from 2026-09-10 04:00 UTC.
func TestDeepSeekPeakWindows(t *testing.T) {
	c := embedded(t)
	u := pricing.Usage{Input: 1_000_000, CacheRead: 1_000_000, Output: 1_000_000}
	tests := []struct{ at, band, total string }{
		{"2026-08-16T15:59:59Z", "standard", "0.4228"}, // flat V4 price: 0.14 + 0.0028 + 0.28
		{"2026-08-16T16:00:00Z", "standard", "0.887"},  // off-peak: 0.22 + 0.007 + 0.66
		{"2026-08-18T00:59:59Z", "standard", "0.887"},
		{"2026-08-18T01:00:00Z", "peak", "1.774"}, // peak: 0.44 + 0.014 + 1.32
		{"2026-08-18T03:59:59Z", "peak", "1.774"},
		{"2026-08-18T04:00:00Z", "standard", "0.887"},
		{"2026-08-18T06:00:00Z", "peak-2", "1.774"},
		{"2026-08-18T10:00:00Z", "standard", "0.887"},
		{"2026-08-22T02:00:00Z", "peak", "1.774"},     // Saturday, before weekends went off-peak
		{"2026-08-29T02:00:00Z", "standard", "0.887"}, // Saturday after 2026-08-23
		{"2026-08-31T02:00:00Z", "peak", "1.774"},     // Monday
		{"2026-09-10T03:59:59Z", "peak", "1.774"},
		{"2026-09-10T04:00:00Z", "standard", "0.753"}, // V4.1 Flash off-peak: 0.15 + 0.003 + 0.60
		{"2026-09-10T06:00:00Z", "peak-2", "1.506"},   // V4.1 Flash peak: 0.30 + 0.006 + 1.20
	}
	for _, tt := range tests {
		q, err := c.Price("deepseek", "deepseek-v4-flash", ts(tt.at), pricing.ModeSync, u)
		if err != nil {
			t.Fatalf("%s: %v", tt.at, err)
		}
		if q.Tier != tt.band {
			t.Errorf("%s: band %q, want %q", tt.at, q.Tier, tt.band)
		}
		mustEqual(t, tt.at, q.Total, tt.total)
	}
	// Still no batch rule, in any window.
	if _, err := c.Price("deepseek", "deepseek-flash", ts("2026-11-02T02:00:00Z"), pricing.ModeBatch, u); !errors.Is(err, pricing.ErrNoBatch) {
		t.Errorf("deepseek-flash batch: err %v, want ErrNoBatch", err)
	}
}

// TestGPT56LongContextEdge checks the 272K rule on gpt-5.6-sol at the
// 2026-08-21 prices: 272,000 input tokens are standard, 272,001 re-price
// the whole request (cache reads and writes included) at 2x input and 1.5x
// output; batch halves the tier prices, priority does not cover the tier.
func TestGPT56LongContextEdge(t *testing.T) {
	c := embedded(t)
	at := ts("2026-11-15")
	tests := []struct {
		name        string
		u           pricing.Usage
		mode        pricing.Mode
		tier, total string
	}{
		// 0.262 × 4 + 0.01 × 0.40 + 1000 tokens out at 20.
		{"272000", pricing.Usage{Input: 262_000, CacheRead: 10_000, Output: 1000}, pricing.ModeSync, "standard", "1.072"},
		// 0.262 × 8 + 0.01 × 0.80 + 0.000001 × 10 + 0.001 × 30.
		{"272001", pricing.Usage{Input: 262_000, CacheRead: 10_000, CacheWrite5m: 1, Output: 1000}, pricing.ModeSync, ">272K", "2.13401"},
		{"272001 batch", pricing.Usage{Input: 262_000, CacheRead: 10_000, CacheWrite5m: 1, Output: 1000}, pricing.ModeBatch, ">272K", "1.067005"},
	}
	for _, tt := range tests {
		q, err := c.Price("openai", "gpt-5.6", at, tt.mode, tt.u)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if q.ModelID != "gpt-5.6-sol" || q.Tier != tt.tier {
			t.Errorf("%s: %s tier %q, want gpt-5.6-sol %q", tt.name, q.ModelID, q.Tier, tt.tier)
		}
		mustEqual(t, tt.name, q.Total, tt.total)
	}
	if _, err := c.Price("openai", "gpt-5.6-sol", at, pricing.ModePriority, pricing.Usage{Input: 272_001}); !errors.Is(err, pricing.ErrNoModePrice) {
		t.Errorf("priority above 272K: err %v, want ErrNoModePrice", err)
	}
}

// TestGPT56CacheWrites checks that GPT-5.6 cache writes cost 1.25x input,
// before and after the Terra price cut, stacked with the batch and flex
// discounts, while GPT-5.5 writes still cost the plain input price.
func TestGPT56CacheWrites(t *testing.T) {
	c := embedded(t)
	// 100K tokens, below the 272K long-context threshold.
	u := pricing.Usage{CacheWrite5m: 100_000}
	tests := []struct {
		model, at string
		mode      pricing.Mode
		total     string
	}{
		{"gpt-5.6-terra", "2026-07-20", pricing.ModeSync, "0.3125"}, // 0.1M × 1.25 × 2.50
		{"gpt-5.6-terra", "2026-08-01", pricing.ModeSync, "0.25"},   // 0.1M × 1.25 × 2.00
		{"gpt-5.6-terra", "2026-08-01", pricing.ModeBatch, "0.125"},
		{"gpt-5.6-luna", "2026-11-15", pricing.ModeFlex, "0.0125"},         // 1.25 × 0.20 × 50%
		{"gpt-5.6-luna", "2026-11-15", pricing.ModePriority, "0.05"},       // 2 × 1.25 × 0.20
		{"gpt-5.6-sol", "2026-08-21", pricing.ModeSync, "0.5"},             // 1.25 × 4.00
		{"gpt-5.6-sol", "2026-08-20T23:59:59Z", pricing.ModeSync, "0.625"}, // 1.25 × 5.00
		{"gpt-5.5", "2026-11-15", pricing.ModeSync, "0.5"},                 // no write fee before 5.6
	}
	for _, tt := range tests {
		q, err := c.Price("openai", tt.model, ts(tt.at), tt.mode, u)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.model, tt.at, err)
		}
		mustEqual(t, tt.model+" "+tt.at+" "+string(tt.mode), q.Total, tt.total)
	}
}

// TestAnthropicModifiers checks US-only residency at 1.1x (stacking with
// batch and caching), fast mode at 2x refused in a batch, and Haiku 5.5's
// prompt-size tier at 100K.
func TestAnthropicModifiers(t *testing.T) {
	base := embedded(t)
	at := ts("2026-11-15")
	u := pricing.Usage{Input: 1_000_000, CacheRead: 1_000_000, CacheWrite5m: 1_000_000, CacheWrite1h: 1_000_000, Output: 1_000_000}
	us, err := base.WithModifiers("us-only")
	if err != nil {
		t.Fatal(err)
	}
	// Opus 5: 5 + 0.5 + 6.25 + 10 + 25 = 46.75; × 1.1.
	q, err := us.Price("anthropic", "claude-opus-5", at, pricing.ModeSync, u)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "opus 5 us-only", q.Total, "51.425")
	q, err = us.Price("anthropic", "claude-opus-5", at, pricing.ModeBatch, u)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "opus 5 us-only batch", q.Total, "25.7125")
	// Models before Claude 4.6 have no residency modifier.
	q, err = us.Price("anthropic", "claude-haiku-4-5", at, pricing.ModeSync, pricing.Usage{Input: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "haiku 4.5 us-only", q.Total, "1")

	fast, err := base.WithModifiers("fast", "us-only")
	if err != nil {
		t.Fatal(err)
	}
	q, err = fast.Price("anthropic", "claude-opus-4-8", at, pricing.ModeSync, u)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "opus 4.8 fast us-only", q.Total, "102.85")
	_, err = fast.Price("anthropic", "claude-opus-4-8", at, pricing.ModeBatch, u)
	if !errors.Is(err, pricing.ErrModifierMode) || !strings.Contains(err.Error(), "fast does not combine with batch") {
		t.Errorf("fast in a batch: err %v", err)
	}

	// Haiku 5.5: at most 100K input tokens at $0.10/$0.50, above at $0.50/$2.50.
	for _, tt := range []struct {
		u           pricing.Usage
		tier, total string
	}{
		{pricing.Usage{Input: 90_000, CacheRead: 10_000, Output: 1000}, "standard", "0.0096"},
		{pricing.Usage{Input: 90_000, CacheRead: 10_000, CacheWrite1h: 1, Output: 1000}, ">100K", "0.048001"},
	} {
		q, err := base.Price("anthropic", "claude-haiku-5-5", at, pricing.ModeSync, tt.u)
		if err != nil {
			t.Fatal(err)
		}
		if q.Tier != tt.tier {
			t.Errorf("haiku 5.5 tier %q, want %q", q.Tier, tt.tier)
		}
		mustEqual(t, "haiku 5.5 "+tt.tier, q.Total, tt.total)
	}
}

// TestVertexCacheDoesNotStackWithBatch prices the same batch usage of
// gemini-2.5-pro on Vertex AI and of an Anthropic model: on Vertex the
// cached tokens keep the cache price, on Anthropic they are halved too.
func TestVertexCacheDoesNotStackWithBatch(t *testing.T) {
	c := embedded(t)
	at := ts("2026-11-15")
	u := pricing.Usage{Input: 100_000, CacheRead: 50_000, Output: 10_000}
	// 0.1M × 1.25 × 50% + 0.05M × 0.125 (no stacking) + 0.01M × 10 × 50%.
	q, err := c.Price("vertex_ai", "gemini-2.5-pro", at, pricing.ModeBatch, u)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "vertex batch", q.Total, "0.11875")
	if q.Book != "vertex_ai" {
		t.Errorf("book %s", q.Book)
	}
	// Claude Opus 5 on the Claude API: (0.1M × 5 + 0.05M × 0.5 + 0.01M × 25) × 50%.
	q, err = c.Price("anthropic", "claude-opus-5", at, pricing.ModeBatch, u)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "anthropic batch", q.Total, "0.3875")
}

// TestNewProviderBooks prices one request on each book added in 2026-12:
// Azure Global Batch (50%, cached input not discounted), a Bedrock
// geographic inference profile (its own, higher price) against the global
// one, xAI's long-context edge (prompts of 200K tokens or more) and a
// Mistral alias.
func TestNewProviderBooks(t *testing.T) {
	c := embedded(t)
	at := ts("2026-11-15")
	tests := []struct {
		provider, model string
		mode            pricing.Mode
		u               pricing.Usage
		tier, total     string
	}{
		// 0.1M × 2.50 × 50% + 0.1M × 0.25 + 0.01M × 15 × 50%.
		{"azure", "gpt-5.4", pricing.ModeBatch, pricing.Usage{Input: 100_000, CacheRead: 100_000, Output: 10_000}, "standard", "0.225"},
		{"bedrock", "eu.anthropic.claude-opus-5", pricing.ModeSync, pricing.Usage{Input: 100_000, Output: 10_000}, "standard", "0.825"},
		{"bedrock", "global.anthropic.claude-opus-5", pricing.ModeSync, pricing.Usage{Input: 100_000, Output: 10_000}, "standard", "0.75"},
		{"xai", "grok-4.5", pricing.ModeSync, pricing.Usage{Input: 199_999}, "standard", "0.399998"},
		{"xai", "grok-4.5", pricing.ModeSync, pricing.Usage{Input: 200_000}, ">=200K", "0.8"},
		{"mistral", "mistral-large-latest", pricing.ModeSync, pricing.Usage{Input: 1_000_000, Output: 1_000_000}, "standard", "2"},
	}
	for _, tt := range tests {
		q, err := c.Price(tt.provider, tt.model, at, tt.mode, tt.u)
		if err != nil {
			t.Fatalf("%s/%s: %v", tt.provider, tt.model, err)
		}
		if q.Tier != tt.tier {
			t.Errorf("%s/%s tier %q, want %q", tt.provider, tt.model, q.Tier, tt.tier)
		}
		mustEqual(t, tt.provider+"/"+tt.model, q.Total, tt.total)
	}
	// xAI and Mistral have no verified batch discount: no batch rule.
	for _, p := range [][2]string{{"xai", "grok-4.5"}, {"mistral", "mistral-large-latest"}} {
		if _, err := c.Price(p[0], p[1], at, pricing.ModeBatch, pricing.Usage{Input: 1}); !errors.Is(err, pricing.ErrNoBatch) {
			t.Errorf("%s batch: err %v, want ErrNoBatch", p[1], err)
		}
	}
}
