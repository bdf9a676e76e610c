// Package pricing turns token usage into exact money.
//
// It owns the price-book schema (TOML, decimal strings per million tokens),
// loading books from any fs.FS, validating them, resolving a logged model name
// to a priced model (exact ids, aliases, dated snapshots, provider prefixes),
// selecting the entry in force at a timestamp, and computing the cost of a
// usage under a delivery mode as line items per token bucket.
//
// Money is github.com/shopspring/decimal: exact, arbitrary precision. A price
// per million tokens times a token count shifted six places is exact, so no
// rounding happens anywhere in this package; renderers round for display.
//
// The package never reads the clock, never prints and imports nothing from
// audit, simulate or the command line.
package pricing
