// Package importer converts community price databases into costaudit price
// books, so users can refresh prices without waiting for a release:
//
//   - LiteLLM's model_prices_and_context_window.json (USD per token, one
//     price per model, no history), and
//   - the data file of pydantic's genai-prices (USD per million tokens,
//     with dated price changes and long-context tiers).
//
// Prices are converted exactly: every JSON number is read as its decimal
// text (never through float64) and shifted by powers of ten, so "2.5e-06"
// USD per token becomes "2.5" USD per million tokens.
//
// A source cannot always say what a costaudit book can (genai-prices has no
// batch prices; LiteLLM has no price history and no batch cache prices), and
// costaudit has no rule for some source prices (audio tokens, web searches,
// images). Import never invents a price to fill a gap: everything left out
// is listed in Result.Omitted, and prices the source does not date are
// flagged in Result.Undated and in the book's notes.
//
// The package takes bytes, not files, and validates every book it writes
// with package pricing.
package importer
