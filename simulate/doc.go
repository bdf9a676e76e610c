// Package simulate answers "what if" for LLM inference spend: what a
// workload would cost delivered by batch, with a prompt cache stacked on
// batch, with a cancel button on its streams, on another model, and what
// the wait for a batch costs and risks.
//
// It works on two inputs. Run simulates a scenario file that describes a
// workload without logs ([[workload]] segments: requests per period, tokens
// per request or per period, a model from the price books or explicit
// prices, the delivery mode and latency class). RunOnReport applies the
// same levers to the workflows of an audited report (costaudit analyze
// --what-if), taking the workload from the report's per-workflow lines and
// price rows. RunExample runs a seed's worked example and sets the figure
// the seed quoted beside the computed one, with a note where they differ.
//
// # Figures are expressions
//
// Every arithmetic figure is defined by an expression over the scenario's
// assumption keys and earlier figure keys (+ - * / parentheses, numbers,
// MIN, MAX, IF), and its value is that expression evaluated with exact
// decimals (divisions keep 20 places). A spreadsheet can therefore turn
// each figure into a live formula and get the same number; the Excel
// export does exactly that. Figures that are not plain arithmetic (Monte
// Carlo statistics, counts rounded up) carry no expression. Every
// assumption names its source: the scenario file and key, the logs, a
// price book entry, or a documented default.
//
// # The levers
//
// Batch moves eligible segments (by latency class; scheduled by default)
// to the provider's batch rule; providers without a batch API are refused
// with the reason and already-batched traffic is untouched. Over logs a
// price line moves only when its batch quote is cheaper than its delivery
// today (flex with cache reads on OpenAI is not), so no saving is negative. It sizes the
// batch jobs under each provider's per-job limits (OpenAI 50,000 requests /
// 200 MB, Anthropic 100,000 / 256 MB, Gemini 2 GB) and the wait the queue
// pattern adds: requests accumulate for submit_every_hours (a day by
// default) and wait half of that on average before their batch is sent.
//
// Cache prices a shared prefix of P tokens per request at hit rate h: hits
// read it at the cache-read price, misses write it at the 5-minute or
// 1-hour write price. Caching pays above the break-even hit rate
// (write − base) / (write − read): 21.7% with Anthropic's 1.25× writes and
// 0.1× reads, 52.6% with 2× one-hour writes. On batch the cache prices are
// discounted again where the provider stacks the discounts (Anthropic) and
// not where the cache discount takes precedence (OpenAI, Vertex, Gemini);
// there a miss, which writes at the input price, pays the batch input
// price. Over logs the lever starts from the caching the logs show: per
// request, only the prefix tokens not already read from or written to a
// cache move, at most the request's uncached input (PrefixTokens).
//
// Cancel prices a cancel button at a cancel rate and position as a range:
// from nothing (the provider finishes and bills the generation after a
// disconnect; no provider documents otherwise) to every output token not
// generated. Moving a streamed workload to batch forfeits those savings.
//
// Swap prices the same tokens on another model. Time value weighs the batch
// savings against a cost of delay per hour of one submission's delay (times
// the submissions of the period), per request moved and per period, and
// gives the break-even cost of delay per submission and the break-even
// volume. Completion draws batch completion times from a lognormal (gonum
// distuv), fitted to the user's own batch completion times when given (the
// records CalibratesCompletion accepts), else the documented prior
// (median 2 h, 80% of batches within 1–4 h, 24 h window), and reports
// P(miss the deadline), p50 and p95 for a printed seed. Sensitivity moves
// every uncertain assumption by ±20% (rates capped at 1) and ranks them by
// how far the headline figure swings (tornado data); price-book prices are
// facts and stay fixed.
//
// The package never reads the clock, never prints and never imports the
// command line or the renderers.
package simulate
