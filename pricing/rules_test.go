package pricing_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/costaudit/costaudit/pricing"
)

// rulesBook has a model with two weekday peak windows and a weekly window
// that runs past midnight, and a model with modifiers.
const rulesBook = `
schema = 1
id = "rules"
provider = "acme"

[batch]
discount = "0.5"
cache_stacks = true

[[modifiers]]
name = "us-only"
multiplier = "1.1"

[[models]]
id = "tod"

  [[models.prices]]
  effective_from = "2026-08-16T16:00:00Z"
  source = "test"
  input = "1.00"
  cache_read = "0.10"
  output = "2.00"

    [[models.prices.windows]]
    label = "peak"
    days = ["mon", "tue", "wed", "thu", "fri"]
    from = "01:00"
    until = "04:00"
    input = "2.00"
    cache_read = "0.20"
    output = "4.00"

    [[models.prices.windows]]
    label = "peak-2"
    days = ["mon", "tue", "wed", "thu", "fri"]
    from = "06:00"
    until = "10:00"
    input = "2.00"
    cache_read = "0.20"
    output = "4.00"

    [[models.prices.windows]]
    label = "night"
    days = ["sun"]
    from = "22:00"
    until = "02:00"
    input = "0.50"
    output = "1.00"

[[models]]
id = "fastable"

  [[models.prices]]
  effective_from = "2026-01-01"
  source = "test"
  input = "5.00"
  cache_read = "0.50"
  cache_write_5m = "6.25"
  output = "25.00"

    [[models.prices.modifiers]]
    name = "fast"
    multiplier = "2"
    excludes_modes = ["batch"]

[[models]]
id = "plain"

  [[models.prices]]
  effective_from = "2026-01-01"
  source = "test"
  input = "1.00"
  output = "1.00"
`

func rulesCatalog(t *testing.T) *pricing.Catalog {
	t.Helper()
	c, err := pricing.Load(pricing.BookSource{Name: "t", FS: fstest.MapFS{"rules.toml": {Data: []byte(rulesBook)}}, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTimeOfDayWindowEdges prices one million input tokens at the edges of
// each window: the start minute is inside, the end minute outside, days
// outside the window's days are at the entry's own price, and a window past
// midnight belongs to the day it starts.
func TestTimeOfDayWindowEdges(t *testing.T) {
	c := rulesCatalog(t)
	// 2026-08-16 and 2026-08-23 are Sundays, 2026-08-18 a Tuesday.
	tests := []struct {
		at, band, cost string
	}{
		{"2026-08-16T15:59:59Z", "", ""}, // before the entry: unpriced
		{"2026-08-16T16:00:00Z", "standard", "1"},
		{"2026-08-18T00:59:59Z", "standard", "1"},
		{"2026-08-18T01:00:00Z", "peak", "2"},
		{"2026-08-18T03:59:59.999Z", "peak", "2"},
		{"2026-08-18T04:00:00Z", "standard", "1"},
		{"2026-08-18T05:59:59Z", "standard", "1"},
		{"2026-08-18T06:00:00Z", "peak-2", "2"},
		{"2026-08-18T09:59:59Z", "peak-2", "2"},
		{"2026-08-18T10:00:00Z", "standard", "1"},
		{"2026-08-22T02:00:00Z", "standard", "1"}, // Saturday
		{"2026-08-23T21:59:59Z", "standard", "1"}, // Sunday before the night window
		{"2026-08-23T22:00:00Z", "night", "0.5"},
		{"2026-08-24T00:30:00Z", "night", "0.5"}, // Monday, still Sunday's night window
		{"2026-08-24T01:00:00Z", "peak", "2"},    // where windows overlap, the first listed wins
		{"2026-08-24T02:00:00Z", "peak", "2"},
		{"2026-08-25T00:30:00Z", "standard", "1"}, // Tuesday: Monday has no night window
	}
	for _, tt := range tests {
		q, err := c.Price("acme", "tod", ts(tt.at), pricing.ModeSync, pricing.Usage{Input: 1000000})
		if tt.band == "" {
			if !errors.Is(err, pricing.ErrUnknownModel) {
				t.Errorf("%s: err %v, want unknown model", tt.at, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.at, err)
			continue
		}
		if q.Tier != tt.band {
			t.Errorf("%s: band %q, want %q", tt.at, q.Tier, tt.band)
		}
		mustEqual(t, tt.at+" cost", q.Total, tt.cost)
	}
	// A window's cache price left out defaults to the window's input price.
	q, err := c.Price("acme", "tod", ts("2026-08-23T23:00:00Z"), pricing.ModeSync, pricing.Usage{CacheRead: 1000000})
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "night cache read", q.Total, "0.5")
	// Batch discounts apply on top of the window's prices.
	q, err = c.Price("acme", "tod", ts("2026-08-18T02:00:00Z"), pricing.ModeBatch, pricing.Usage{Input: 1000000, CacheRead: 1000000})
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "peak batch", q.Total, "1.1")
}

// TestTimeOfDaySpan checks that a KeySpan of an entry with windows ends at
// the window edges, so a hot loop that keys requests through the span gives
// the same key as Key for every instant in it.
func TestTimeOfDaySpan(t *testing.T) {
	c := rulesCatalog(t)
	res, err := c.Resolve("acme", "tod")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ at, from, until string }{
		{"2026-08-18T01:30:00Z", "2026-08-18T01:00:00Z", "2026-08-18T02:00:00Z"},
		// Edges of windows that are not in force that day still end a
		// span (here the night window's 02:00): spans may be shorter than
		// the stretch of one price, never longer.
		{"2026-08-18T02:30:00Z", "2026-08-18T02:00:00Z", "2026-08-18T04:00:00Z"},
		{"2026-08-18T04:00:00Z", "2026-08-18T04:00:00Z", "2026-08-18T06:00:00Z"},
		// The span may not start before the entry.
		{"2026-08-16T20:00:00Z", "2026-08-16T16:00:00Z", "2026-08-16T22:00:00Z"},
		{"2026-08-23T23:00:00Z", "2026-08-23T22:00:00Z", "2026-08-24T01:00:00Z"},
	}
	for _, tt := range tests {
		sp, err := c.KeySpanResolved(res, ts(tt.at))
		if err != nil {
			t.Fatal(err)
		}
		if got := time.Unix(0, sp.From).UTC().Format(time.RFC3339); got != tt.from {
			t.Errorf("%s: span from %s, want %s", tt.at, got, tt.from)
		}
		if got := time.Unix(0, sp.Until).UTC().Format(time.RFC3339); got != tt.until {
			t.Errorf("%s: span until %s, want %s", tt.at, got, tt.until)
		}
		for ns := sp.From; ns < sp.Until; ns += int64(7 * time.Minute) {
			k, err := c.KeyResolved(res, time.Unix(0, ns), 5)
			if err != nil {
				t.Fatal(err)
			}
			if k != sp.Tier(5) {
				t.Fatalf("%s: key at %s is %+v, span gives %+v", tt.at, time.Unix(0, ns).UTC().Format(time.RFC3339), k, sp.Tier(5))
			}
		}
	}
}

// TestModifiers checks that an active modifier scales every bucket of the
// models that define it, leaves other models alone, refuses the modes it
// excludes, and that an unknown name is an error.
func TestModifiers(t *testing.T) {
	base := rulesCatalog(t)
	u := pricing.Usage{Input: 1000000, CacheRead: 1000000, CacheWrite5m: 1000000, Output: 1000000}
	c, err := base.WithModifiers("us-only", "fast")
	if err != nil {
		t.Fatal(err)
	}
	at := ts("2026-06-01")
	q, err := c.Price("acme", "fastable", at, pricing.ModeSync, u)
	if err != nil {
		t.Fatal(err)
	}
	// (5 + 0.5 + 6.25 + 25) × 2 × 1.1
	mustEqual(t, "fast + residency", q.Total, "80.85")
	if got := strings.Join(q.Modifiers, ", "); got != "fast ×2, us-only ×1.1" {
		t.Errorf("modifiers %q", got)
	}
	if _, err := c.Price("acme", "fastable", at, pricing.ModeBatch, u); !errors.Is(err, pricing.ErrModifierMode) {
		t.Errorf("fast in a batch: err %v, want ErrModifierMode", err)
	}
	k, _ := c.Key("acme", "fastable", at, 0)
	if e := c.Entry(k); e.HasBatch || !strings.Contains(e.BatchWhy, "fast does not combine with batch") {
		t.Errorf("entry with fast: has batch %v, why %q", e.HasBatch, e.BatchWhy)
	}
	// Residency alone combines with batch: 1.1 × 50% of every bucket.
	r, err := base.WithModifiers("us-only")
	if err != nil {
		t.Fatal(err)
	}
	q, err = r.Price("acme", "fastable", at, pricing.ModeBatch, u)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "residency batch", q.Total, "20.2125")
	// A model of the book without its own modifiers gets the book's.
	q, err = r.Price("acme", "plain", at, pricing.ModeSync, pricing.Usage{Input: 1000000, Output: 1000000})
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "plain residency", q.Total, "2.2")
	// Fast is not defined for "plain": its price does not change.
	f, _ := base.WithModifiers("fast")
	q, err = f.Price("acme", "plain", at, pricing.ModeBatch, pricing.Usage{Input: 1000000, Output: 1000000})
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "plain fast", q.Total, "1")
	if _, err := base.WithModifiers("eu"); err == nil || !strings.Contains(err.Error(), `modifier "eu": no loaded price book defines it (known: fast, us-only)`) {
		t.Errorf("unknown modifier: %v", err)
	}
}

func TestRuleValidation(t *testing.T) {
	head := "schema = 1\nid = \"x\"\nprovider = \"x\"\n[[models]]\nid = \"m\"\n  [[models.prices]]\n  effective_from = \"2026-01-01\"\n  source = \"s\"\n  input = \"1\"\n  output = \"1\"\n"
	tests := []struct{ name, body, want string }{
		{"bad clock", "    [[models.prices.windows]]\n    label = \"p\"\n    from = \"25:00\"\n    until = \"04:00\"\n    input = \"1\"\n    output = \"1\"\n", `x.toml:13: models.prices.windows.from: "25:00" is not a UTC time of day`},
		{"bad day", "    [[models.prices.windows]]\n    label = \"p\"\n    days = [\"monday\"]\n    from = \"01:00\"\n    until = \"04:00\"\n    input = \"1\"\n    output = \"1\"\n", `models.prices.windows.days: "monday" is not a day`},
		{"empty window", "    [[models.prices.windows]]\n    label = \"p\"\n    from = \"01:00\"\n    until = \"01:00\"\n    input = \"1\"\n    output = \"1\"\n", "is empty"},
		{"tiers and windows", "    [[models.prices.tiers]]\n    above = 10\n    input = \"1\"\n    output = \"1\"\n    [[models.prices.windows]]\n    label = \"p\"\n    from = \"01:00\"\n    until = \"02:00\"\n    input = \"1\"\n    output = \"1\"\n", "either long-context tiers or time-of-day windows, not both"},
		{"no multiplier", "    [[models.prices.modifiers]]\n    name = \"fast\"\n", "models.prices.modifiers.multiplier: missing"},
		{"bad mode", "    [[models.prices.modifiers]]\n    name = \"fast\"\n    multiplier = \"2\"\n    excludes_modes = [\"bulk\"]\n", `"bulk": not a delivery mode`},
		{"float multiplier", "    [[models.prices.modifiers]]\n    name = \"fast\"\n    multiplier = 2.0\n", "must be a decimal string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pricing.LoadFile("x.toml", []byte(head+tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
