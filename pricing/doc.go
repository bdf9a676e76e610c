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
// # Using a catalog
//
// Load the books once, then price: Price for one request, or Key and Quote to
// aggregate first and price once per aggregate row. A PriceKey is comparable:
// it names the model, the stretch of time its entry and contract overlays
// cover, and the long-context tier, so requests with equal keys share one
// price.
//
//	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
//	k, err := cat.Key("anthropic", "claude-sonnet-4-5-20250929", ts, u.TotalInput())
//	q, err := cat.Quote(k, pricing.ModeBatch, u) // q.Items, q.Total, q.Overlays
//	info := cat.Entry(k)                         // list and batch prices, source
//
// Unknown models are errors wrapping ErrUnknownModel, never a zero cost; batch
// on a provider without a batch API wraps ErrNoBatch; flex or priority without
// prices wraps ErrNoModePrice.
//
// # Book format (schema 1)
//
// A book has top-level schema = 1, id, kind ("book", the default, or
// "overlay"), provider, and optionally provider_aliases, title, source, note,
// no_batch (the reason a provider has no batch API), infer_provider (default
// true; false keeps records that name no provider from resolving to this
// book, for a second host of models another book prices, such as Gemini on
// Vertex AI) and book-wide [batch] and [flex] rules. Each [[models]] table has an id, optional aliases and
// snapshots (default true: dated snapshots of the id fall back to it), and
// [[models.prices]] entries in ascending effective_from order. An entry names
// its source (and source_date) and gives input and output prices, optional
// cache_read, cache_write_5m and cache_write_1h (each defaulting to the input
// price), an optional request_fee (USD per request), [[models.prices.tiers]]
// (above = N input tokens; strictly more re-prices the whole request), and
// batch, flex or priority rules that override the book's. A mode rule is
// either discount = "0.5" (the fraction off input and output, and off the
// cache prices when cache_stacks = true) or explicit prices.
//
// An entry may also hold [[models.prices.windows]]: weekly time-of-day
// windows in UTC (label, days such as ["mon", "fri"] defaulting to every
// day, from = "HH:MM" inclusive, until = "HH:MM" exclusive, running past
// midnight when until <= from, and the window's input and output prices with
// optional cache prices). A request whose timestamp falls in a window is
// priced at the window's prices, the first listed window winning where they
// overlap; mode discounts apply on top. The window is the key's price band
// (PriceKey.Tier), so an entry has either tiers or windows, and a KeySpan
// ends at the nearest window edge. DeepSeek's peak and off-peak hours are
// windows inside dated entries.
//
// Book-level [[modifiers]] and entry-level [[models.prices.modifiers]] name
// a way of calling a model that scales its prices: name, multiplier (a
// decimal string applied to every token price, after the mode's rule) and
// excludes_modes (modes it does not combine with). Modifiers are off unless
// Catalog.WithModifiers switches them on by name; an entry's modifier
// replaces a book-level one of the same name. Anthropic's US-only data
// residency (1.1x) and fast mode (not with batch) are modifiers.
//
// An overlay holds [[discounts]] tables: provider, optional models (ids or
// aliases; none means the whole provider), discount (the fraction off every
// price), and optional effective_from and until (exclusive). Quotes list the
// overlays they applied.
//
// Errors in a book name the file, the line and the key.
//
// The package never reads the clock, never prints and imports nothing from
// audit, simulate or the command line.
package pricing
