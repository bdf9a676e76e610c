package simulate

import (
	"fmt"
	"time"

	"github.com/costaudit/costaudit/pricing"
	"github.com/shopspring/decimal"
)

// CatalogPricer prices models from loaded price books.
type CatalogPricer struct{ Cat *pricing.Catalog }

// NewCatalogPricer returns a Pricer over cat.
func NewCatalogPricer(cat *pricing.Catalog) CatalogPricer { return CatalogPricer{Cat: cat} }

// Prices implements Pricer: the entry in force at at, in the tier of a
// request with totalInput input tokens. A book that states no cache-write
// price charges the input price for a write (no write premium), so a cache
// miss pays the input price of its delivery mode; a zero cache-read price
// means the model has no prompt cache.
func (c CatalogPricer) Prices(provider, model string, at time.Time, totalInput int64) (Prices, error) {
	k, err := c.Cat.Key(provider, model, at, totalInput)
	if err != nil {
		return Prices{}, err
	}
	return FromEntry(c.Cat.Entry(k)), nil
}

// FromEntry turns a price-book entry into simulation prices.
func FromEntry(e pricing.EntryInfo) Prices {
	src := fmt.Sprintf("book %s: %s (effective %s; %s)", e.Book, e.Ref, e.EffectiveFrom, e.Source)
	p := Prices{
		Provider:   e.Provider,
		Model:      e.ModelID,
		Source:     src,
		Book:       e.Book,
		Input:      e.Prices.Input,
		Output:     e.Prices.Output,
		PerRequest: e.Prices.RequestFee,
	}
	p.HasPerRequest = !e.Prices.RequestFee.IsZero()
	p.CacheRead, p.HasCacheRead = e.Prices.CacheRead, !e.Prices.CacheRead.IsZero()
	p.CacheWrite5m, p.HasCacheWrite5m = orInput(e.Prices.CacheWrite5m, e.Prices.Input), true
	p.CacheWrite1h, p.HasCacheWrite1h = orInput(e.Prices.CacheWrite1h, e.Prices.Input), true
	p.WriteIsInput5m, p.WriteIsInput1h = p.CacheWrite5m.Equal(p.Input), p.CacheWrite1h.Equal(p.Input)
	p.HasBatch = e.HasBatch
	p.NoBatchWhy = e.BatchWhy
	if e.HasBatch {
		p.NoBatchWhy = ""
		p.BatchInput = e.Batch.Input
		p.BatchOutput = e.Batch.Output
		p.BatchCacheRead = e.Batch.CacheRead
		p.BatchCacheWrite5m = orInput(e.Batch.CacheWrite5m, e.Batch.Input)
		p.BatchCacheWrite1h = orInput(e.Batch.CacheWrite1h, e.Batch.Input)
		p.BatchPerRequest = e.Batch.RequestFee
		p.CacheStacksWithBatch = e.CacheStacksWithBatch
	} else if p.NoBatchWhy == "" {
		p.NoBatchWhy = e.Provider + " has no batch API"
	}
	return withLimits(p)
}

func orInput(v, in decimal.Decimal) decimal.Decimal {
	if v.IsZero() {
		return in
	}
	return v
}
