// Package loggen generates synthetic LLM request logs: realistic workloads,
// deterministic from a seed, written in the canonical format and in every
// vendor format costaudit reads. Decoder, classification and cross-format
// tests, the examples and the benchmarks use it.
//
// A Workload is a list of Workflows. Each has a provider and model, a
// ground-truth latency class (realtime, near-realtime, scheduled) that
// classification tests score against, hints (source, user_waiting, mode),
// an arrival pattern (business_hours, around_the_clock, daily, weekly), a
// volume, log-normal token distributions with an optional cached prefix,
// and cancel, error and expiry shares. Default returns eight workflows over
// OpenAI, Anthropic, Google and DeepSeek; LoadWorkload reads one from TOML.
//
// Generate draws every number from PCG streams of math/rand/v2 seeded with
// Options.Seed, one stream for the records and one for duplicates and bad
// lines, so the records do not depend on the output format: the same seed
// gives the same records in every format, and the same bytes in one.
// Records yields the ground truth without writing anything.
//
// # Formats and what each one drops
//
// Every format keeps each record's token counts exactly where its schema has
// a place for them; a record it cannot carry is skipped and counted in
// Stats.Skipped.
//
//   - canonical (JSONL) and canonical-csv: everything. CSV puts tags in one
//     cell as a JSON object and drops the hint columns under StripHints.
//   - openai: every record, as {"ts", "provider", "model", "workflow", "source",
//     "user_waiting", "mode", "status", "latency_ms", "ttft_ms",
//     "max_tokens", "logged_cost_usd", "team", "tags", "response"} around a
//     chat.completion object; a failed request's response is an OpenAI
//     error object. usage.prompt_tokens includes cache reads and writes;
//     prompt_tokens_details.cached_tokens holds the reads and
//     cache_write_tokens the writes, whose 5m/1h split is lost.
//   - openai-responses: OpenAI non-batch, non-failed records as bare
//     Responses objects. The timestamp is created_at in whole seconds, the
//     workflow, team and tags are in metadata; source, user_waiting, mode,
//     timings, max_tokens, logged cost and the provider are lost.
//     input_tokens includes cache reads and writes.
//   - openai-batch: OpenAI batch records as Batch API output lines, and
//     failed, expired and cancelled ones as error lines (codes server_error,
//     batch_expired, batch_cancelled). The timestamp is body.created in
//     whole seconds; the workflow is custom_id without its "-NNNNNNNN"
//     suffix; every hint is lost.
//   - anthropic: Anthropic records in the same wrapper as openai around a
//     Messages response (or an Anthropic error object). input_tokens
//     excludes the cache; cache_creation splits writes into 5m and 1h. The
//     reasoning count is lost (Anthropic reports thinking inside output).
//   - anthropic-batch: Anthropic batch records as Message Batches results
//     (succeeded, errored, canceled, expired). The lines carry no timestamp
//     at all; the workflow is the custom_id prefix as for openai-batch;
//     every hint and the reasoning count are lost.
//   - otel: non-batch records as one OTLP JSON TracesData per line with one
//     GenAI client span; service.name is the workflow, service.namespace the
//     team. gen_ai.usage.input_tokens includes cache reads and writes; the
//     5m/1h split, source, user_waiting, tags, logged cost and the cancelled
//     status are lost; gen_ai.request.stream carries stream versus sync.
//   - litellm: non-batch records as SpendLogs rows. prompt_tokens includes
//     cache reads (metadata.additional_usage_values.prompt_tokens_details.
//     cached_tokens) and cache writes, which the row cannot tell from plain
//     input; spend is the generator's list-price cost (LoggedCost) as a
//     number; the workflow is request_tags "workflow:NAME"; source,
//     user_waiting, mode and the cancelled status are lost.
//   - claude-code: Anthropic non-batch, non-failed records as session logs
//     projects/<workflow>/<session>.jsonl with a user line and one to three
//     assistant lines per request; split lines repeat message.id, requestId
//     and the same usage, so a decoder must count each message once. Every
//     hint but the timestamp and the workflow (the project directory) is lost.
//     Message content is a placeholder, or with Options.ContentBytes about
//     that many bytes per line of prose and code as prompts, tool results,
//     thinking, text and tool_use blocks (a benchmark for skipping text).
//   - gemini: non-batch records in the openai wrapper around a Gemini
//     generateContent response (or a Google error object).
//     promptTokenCount includes cache reads and writes (Gemini has no
//     cache-write bucket, so writes read back as input);
//     thoughtsTokenCount is the reasoning, beside candidatesTokenCount.
//   - bedrock: non-batch, non-failed records in the same wrapper around a
//     Bedrock Converse response. inputTokens excludes the cache;
//     cacheWriteInputTokens loses the 5m/1h split; the reasoning count is
//     lost.
//   - langfuse: non-batch records as Langfuse generation observations
//     (JSONL) with disjoint usageDetails (input uncached,
//     input_cached_tokens, cache_creation_input_tokens,
//     cache_creation_1h_input_tokens, output without the reasoning,
//     output_reasoning_tokens); a failed request has level ERROR. The
//     workflow is the name; source, user_waiting, team, tags but env and
//     the cancelled status are lost; the mode is stream when a completion
//     start time before the end is known.
//
// Portable and PortableBatch are workloads that every format that accepts
// their records carries without loss of tokens or cost, for the test that the
// same workload gives the same totals and cost in every format.
//
// Bad lines (Options.BadShare) are written in addition to the records, so
// the records' totals stay the ground truth: a line cut short (invalid
// JSON; a short row in CSV), a negative output token count, an unparseable
// timestamp, or a missing model. Duplicates (Options.DupShare) repeat a
// record with the same ids one to fifty records later.
package loggen
