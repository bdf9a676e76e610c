package aggregate

import (
	"math"
	"os"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// TestConsumeOverflow checks that Consume notices a token sum that passes
// the largest int64 on a row already near the limit.
func TestConsumeOverflow(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "test", FS: os.DirFS("../testdata/books"), Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	agg := New(cat, Options{})
	r := record.Record{TS: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), Provider: "acme", Model: "acme-large", Workflow: "w", Mode: pricing.ModeSync,
		UserWaiting: -1, InputTokens: record.MaxRecordTokens, LatencyMS: -1, TTFTMS: -1, Status: record.StatusOK}
	agg.Consume(&r)
	if agg.Overflowed() {
		t.Fatal("overflow after one record")
	}
	agg.flush()
	for _, v := range agg.rows {
		v.usage.Input = math.MaxInt64 - 10
	}
	agg.Consume(&r)
	if !agg.Overflowed() {
		t.Error("overflow not detected")
	}
}

func TestPicoUSD(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"0.41", 410_000_000_000, true},
		{"12", 12_000_000_000_000, true},
		{"0.000000000001", 1, true},
		{"999999.999999999999", 999_999_999_999_999_999, true},
		{"0.0000000000001", 0, false}, // 13 decimals
		{"1000000", 0, false},         // 7 digits before the point
		{"-0.5", 0, false},
		{".5", 0, false},
		{"5.", 0, false},
		{"1e-3", 0, false},
		{"0.1.2", 0, false},
		{"", 0, false},
	} {
		got, ok := picoUSD(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("picoUSD(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
		if ok {
			if d := decimal.New(got, -12); !d.Equal(decimal.RequireFromString(c.in)) {
				t.Errorf("picoUSD(%q) is %s", c.in, d)
			}
		}
	}
}
