package pricing

import (
	"errors"

	"github.com/shopspring/decimal"
)

// Mode is the delivery mode a request was made under.
type Mode string

// The delivery modes of the canonical record.
const (
	ModeSync     Mode = "sync"
	ModeStream   Mode = "stream"
	ModeBatch    Mode = "batch"
	ModeFlex     Mode = "flex"
	ModePriority Mode = "priority"
)

// ParseMode returns the Mode named by s, or an error listing the allowed values.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case ModeSync, ModeStream, ModeBatch, ModeFlex, ModePriority:
		return Mode(s), nil
	case "":
		return ModeSync, nil
	}
	return "", errors.New("unknown mode " + quote(s) + " (allowed: sync, stream, batch, flex, priority)")
}

func quote(s string) string { return "\"" + s + "\"" }

// Token bucket names, used in line items and reports.
const (
	BucketInput        = "input"
	BucketCacheRead    = "cache_read"
	BucketCacheWrite5m = "cache_write_5m"
	BucketCacheWrite1h = "cache_write_1h"
	BucketOutput       = "output"
	BucketRequest      = "request_fee"
)

// Usage is a count of tokens in the canonical disjoint buckets, summed over
// Requests requests. Input excludes every cached token; Output includes
// reasoning tokens.
type Usage struct {
	Requests     int64
	Input        int64
	CacheRead    int64
	CacheWrite5m int64
	CacheWrite1h int64
	Output       int64
}

// TotalInput is every input token of the usage: uncached input, cache reads
// and cache writes. Long-context tiers compare it against their threshold.
func (u Usage) TotalInput() int64 {
	return u.Input + u.CacheRead + u.CacheWrite5m + u.CacheWrite1h
}

// Add returns the bucket-wise sum of u and v.
func (u Usage) Add(v Usage) Usage {
	return Usage{
		Requests:     u.Requests + v.Requests,
		Input:        u.Input + v.Input,
		CacheRead:    u.CacheRead + v.CacheRead,
		CacheWrite5m: u.CacheWrite5m + v.CacheWrite5m,
		CacheWrite1h: u.CacheWrite1h + v.CacheWrite1h,
		Output:       u.Output + v.Output,
	}
}

// LineItem is the cost of one token bucket (or the per-request fee) of a quote.
type LineItem struct {
	Bucket    string          `json:"bucket"`
	Tokens    int64           `json:"tokens"`            // requests for BucketRequest
	UnitPrice decimal.Decimal `json:"price_per_million"` // USD per 1M tokens (per request for fees)
	Cost      decimal.Decimal `json:"cost_usd"`
}

// ErrUnknownModel is wrapped by every error about a model no price book knows.
var ErrUnknownModel = errors.New("unknown model")

// ErrNoBatch is wrapped by errors for a batch price asked of a model whose
// provider has no batch API.
var ErrNoBatch = errors.New("no batch API")
