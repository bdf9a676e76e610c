package pricing_test

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
	"github.com/shopspring/decimal"
)

func embedded(t testing.TB) *pricing.Catalog {
	t.Helper()
	c, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatalf("load embedded books: %v", err)
	}
	return c
}

// TestOracle reproduces every expected_cost_usd of the oracle fixture
// (computed by pydantic/genai-prices, batch rows at 50%) exactly.
func TestOracle(t *testing.T) {
	c := embedded(t)
	f, err := os.Open("testdata/oracle-prices.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		var r struct {
			TS       time.Time `json:"ts"`
			Provider string    `json:"provider"`
			Model    string    `json:"model"`
			Mode     string    `json:"mode"`
			In       int64     `json:"input_tokens"`
			CR       int64     `json:"cache_read_tokens"`
			CW5      int64     `json:"cache_write_5m_tokens"`
			CW1      int64     `json:"cache_write_1h_tokens"`
			Out      int64     `json:"output_tokens"`
			Want     string    `json:"expected_cost_usd"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		want := decimal.RequireFromString(r.Want)
		q, err := c.Price(r.Provider, r.Model, r.TS, pricing.Mode(r.Mode), pricing.Usage{Input: r.In, CacheRead: r.CR, CacheWrite5m: r.CW5, CacheWrite1h: r.CW1, Output: r.Out})
		if err != nil {
			t.Errorf("line %d %s %s: %v", n, r.Provider, r.Model, err)
			continue
		}
		if !q.Total.Equal(want) || q.Total.String() != want.String() {
			t.Errorf("line %d %s/%s %s %s: cost %s, want %s (items %+v)", n, r.Provider, r.Model, r.TS.Format("2006-01-02"), r.Mode, q.Total, want, q.Items)
		}
	}
	if n != 80 {
		t.Fatalf("read %d oracle rows, want 80", n)
	}
}
