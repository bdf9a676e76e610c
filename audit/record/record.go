package record

import (
	"time"

	"github.com/costaudit/costaudit/pricing"
)

// Status values of a canonical record.
const (
	StatusOK        = "ok"
	StatusError     = "error"
	StatusCancelled = "cancelled"
	StatusExpired   = "expired"
)

// Record is one LLM request after decoding, in the canonical disjoint token
// buckets (see the README's "Canonical record"). Every adapter produces it.
type Record struct {
	TS        time.Time // request start, UTC
	RequestID string    // provider or gateway id; de-duplication key when set
	Provider  string    // as logged, lower case; may be empty (inferred from the model)
	Model     string    // as logged
	Workflow  string
	Source    string // web_ui, chat, ide, api, webhook, queue, cron, etl, ...
	Mode      pricing.Mode

	// UserWaiting is 1 when a human waited for the response, 0 when nobody
	// did, and -1 when the log does not say.
	UserWaiting int8

	InputTokens        int64 // uncached input only
	CacheReadTokens    int64
	CacheWrite5mTokens int64
	CacheWrite1hTokens int64
	OutputTokens       int64 // all output, reasoning included
	ReasoningTokens    int64 // informational subset of OutputTokens

	LatencyMS int64 // -1 when absent
	TTFTMS    int64 // -1 when absent
	Status    string
	MaxTokens int64 // 0 when absent

	// LoggedCostUSD is the cost the source recorded, as an exact decimal
	// string; empty when absent.
	LoggedCostUSD string

	Team string
	Tags map[string]string

	// TokensUnknown marks a request the log shows but whose tokens it does
	// not give (a stream logged without its usage): it is counted, and
	// reported unpriced, never priced at $0.
	TokensUnknown bool

	// TSFromFile is set when the log gives the request no time (Anthropic
	// responses and batch results, OpenAI batch error lines) and TS is the
	// file's modification time: a guess that says when the file was last
	// written (or checked out), not when the request ran.
	TSFromFile bool
}

// Usage returns the record's tokens as a one-request pricing.Usage.
func (r *Record) Usage() pricing.Usage {
	return pricing.Usage{
		Requests:     1,
		Input:        r.InputTokens,
		CacheRead:    r.CacheReadTokens,
		CacheWrite5m: r.CacheWrite5mTokens,
		CacheWrite1h: r.CacheWrite1hTokens,
		Output:       r.OutputTokens,
	}
}

// Billed reports whether the provider bills this request. Failed and expired
// requests are not billed, nor are batch requests cancelled before they ran
// (https://developers.openai.com/api/docs/guides/batch, https://platform.claude.com/docs/en/build-with-claude/batch-processing).
// A stream the client cancelled is billed.
func (r *Record) Billed() bool {
	switch r.Status {
	case StatusError, StatusExpired:
		return false
	case StatusCancelled:
		return r.Mode != pricing.ModeBatch
	}
	return true
}

// The range of accepted timestamps, [MinTimestamp, MaxTimestamp), and
// the largest token count of one bucket of one record. Records outside are
// rejected (ReasonTimestampRange, ReasonTooManyTokens): a year-9999 or
// year-1816 timestamp would stretch the window and empty the projection,
// and counts this large are not requests (no model has a context a
// thousandth of it) and could overflow the sums. With every count under
// MaxRecordTokens, the sums overflow only past 9 million such records,
// which the aggregator detects.
var (
	MinTimestamp = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxTimestamp = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// MaxRecordTokens bounds every token count of one record (see
// MinTimestamp). A max_tokens above it means no ceiling.
const MaxRecordTokens = 1_000_000_000_000
