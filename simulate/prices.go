package simulate

import (
	"time"

	"github.com/shopspring/decimal"
)

// Prices are the prices of one model, in USD per million tokens (PerRequest
// in USD per request), as the simulation uses them. A price a book or file
// does not state is absent (its Has flag false), never zero.
type Prices struct {
	Provider string
	Model    string
	// Source cites where the prices come from: a book id and entry, or the
	// scenario file's prices.source.
	Source string
	// Book is the id of the price book the prices come from; "" for
	// explicit prices.
	Book string

	Input, CacheRead, CacheWrite5m, CacheWrite1h, Output, PerRequest decimal.Decimal
	HasCacheRead, HasCacheWrite5m, HasCacheWrite1h, HasPerRequest    bool

	// HasBatch is false for a provider without a batch API; NoBatchWhy
	// says so in words.
	HasBatch   bool
	NoBatchWhy string
	// BatchDiscount, when set, derives every batch price as list × (1 −
	// BatchDiscount); otherwise the Batch* prices are stated.
	BatchDiscount                                                                                  decimal.Decimal
	HasBatchDiscount                                                                               bool
	BatchInput, BatchCacheRead, BatchCacheWrite5m, BatchCacheWrite1h, BatchOutput, BatchPerRequest decimal.Decimal
	// CacheStacksWithBatch is true where cache prices are discounted again
	// under batch (Anthropic); false where the cache discount takes
	// precedence and batch does not apply to cached tokens (Vertex).
	CacheStacksWithBatch bool

	// Limits of one batch job; zero when the provider documents none.
	BatchMaxRequests int64
	BatchMaxBytes    int64
	BatchLimitSource string
}

// Pricer looks up the prices of a model at a time, for requests of
// totalInput input tokens (which selects a long-context tier).
// NewCatalogPricer adapts a *pricing.Catalog.
type Pricer interface {
	Prices(provider, model string, at time.Time, totalInput int64) (Prices, error)
}

// explicitPrices turns a scenario file's [prices] table into Prices.
func explicitPrices(p *PriceSpec) Prices {
	out := Prices{
		Source:          p.Source,
		Input:           p.Input.D,
		Output:          p.Output.D,
		CacheRead:       p.CacheRead.D,
		HasCacheRead:    p.CacheRead.Set,
		CacheWrite5m:    p.CacheWrite5m.D,
		HasCacheWrite5m: p.CacheWrite5m.Set,
		CacheWrite1h:    p.CacheWrite1h.D,
		HasCacheWrite1h: p.CacheWrite1h.Set,
		PerRequest:      p.PerRequest.D,
		HasPerRequest:   p.PerRequest.Set,
	}
	switch {
	case p.NoBatch != "":
		out.NoBatchWhy = p.NoBatch
	case p.BatchDiscount.Set:
		out.HasBatch = true
		out.HasBatchDiscount = true
		out.BatchDiscount = p.BatchDiscount.D
		out.CacheStacksWithBatch = p.CacheStacksWithBatch == nil || *p.CacheStacksWithBatch
	default:
		out.NoBatchWhy = "the scenario's prices state no batch_discount"
	}
	return out
}

// batchLimits are the per-job limits of each provider's batch API
// (provider-facts §1.1, §2.1, §3). Gemini documents no request count,
// only the 2 GB input file; Vertex and Bedrock limits are not verified.
var batchLimits = map[string]struct {
	requests, bytes int64
	source          string
}{
	"openai":    {50_000, 200_000_000, "OpenAI Batch API: 50,000 requests and 200 MB per input file (provider-facts §1.1)"},
	"anthropic": {100_000, 256_000_000, "Anthropic Message Batches: 100,000 requests or 256 MB (provider-facts §2.1)"},
	"google":    {0, 2_000_000_000, "Gemini Batch Mode: input file up to 2 GB, no documented request limit (provider-facts §3)"},
	"gemini":    {0, 2_000_000_000, "Gemini Batch Mode: input file up to 2 GB, no documented request limit (provider-facts §3)"},
}

// withLimits fills the batch limits of the provider.
func withLimits(p Prices) Prices {
	if l, ok := batchLimits[p.Provider]; ok {
		p.BatchMaxRequests, p.BatchMaxBytes, p.BatchLimitSource = l.requests, l.bytes, l.source
	}
	return p
}
