package pricing_test

import (
	"math"
	"testing"
	"time"

	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// TestKeySpanMatchesKeyResolved checks, for every entry of every embedded
// model, that the span's key and tiers are what KeyResolved gives inside the
// span and at its edges, and that the span ends where the next entry starts
// (or at a time-of-day window edge).
func TestKeySpanMatchesKeyResolved(t *testing.T) {
	c, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	inputs := []int64{0, 1, 32_000, 128_000, 128_001, 200_000, 200_001, 272_000, 272_001, 1_000_000, 1 << 40}
	spans := 0
	for _, mi := range c.Models() {
		res, err := c.Resolve(mi.Provider, mi.ID)
		if err != nil {
			t.Fatalf("resolve %s/%s: %v", mi.Provider, mi.ID, err)
		}
		for _, v := range mi.Versions {
			from := ts(v)
			for _, at := range []time.Time{from, from.Add(36 * time.Hour)} {
				span, err := c.KeySpanResolved(res, at)
				if err != nil {
					t.Fatalf("%s/%s at %s: %v", mi.Provider, mi.ID, at, err)
				}
				spans++
				if !span.Contains(at.UnixNano()) || span.Contains(span.Until) || span.Contains(span.From-1) {
					t.Errorf("%s/%s at %s: span [%d, %d) has the wrong bounds", mi.Provider, mi.ID, at, span.From, span.Until)
				}
				edges := []int64{span.From, at.UnixNano()}
				if span.Until != math.MaxInt64 {
					edges = append(edges, span.Until-1)
				}
				for _, ns := range edges {
					for _, n := range inputs {
						want, err := c.KeyResolved(res, time.Unix(0, ns), n)
						if err != nil {
							t.Fatalf("%s/%s at %d: %v", mi.Provider, mi.ID, ns, err)
						}
						if got := span.Tier(n); got != want {
							t.Errorf("%s/%s at %d, %d input tokens: span key %+v, KeyResolved %+v", mi.Provider, mi.ID, ns, n, got, want)
						}
					}
				}
				if span.Until != math.MaxInt64 {
					// A span ends where the next entry starts, or, in an
					// entry with time-of-day windows, at a window edge.
					next, err := c.KeyResolved(res, time.Unix(0, span.Until), 0)
					windows := len(c.Entry(span.Key).Windows) > 0
					if err != nil || (next.Entry == span.Key.Entry && !windows) {
						t.Errorf("%s/%s: the entry after the span is %+v (%v), want a later one", mi.Provider, mi.ID, next, err)
					}
				}
			}
			if _, err := c.KeySpanResolved(res, from.Add(-time.Nanosecond)); mi.Versions[0] == v && err == nil {
				t.Errorf("%s/%s: a span before the first entry", mi.Provider, mi.ID)
			}
		}
	}
	if spans == 0 {
		t.Fatal("no model in the embedded books")
	}
}
