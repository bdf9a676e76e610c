// Package audit reads LLM request logs and says what they cost.
//
// It owns the canonical Record, the format adapters that decode every
// supported log shape into it (canonical JSONL and CSV, OpenAI and
// OpenAI-compatible gateways, Anthropic, Gemini and Vertex AI, Amazon
// Bedrock, OpenTelemetry GenAI, OpenInference and Vercel AI SDK spans,
// LiteLLM SpendLogs, Langfuse observations, Claude Code and Codex CLI
// session logs), the providers' usage exports and cost reports,
// de-duplication, coverage accounting (every input line is a priced,
// unbilled or unpriced record, a duplicate, a skipped line or a rejection),
// aggregation, reconciliation and the report builder, which classifies the
// workflows through package classify.
//
// Analyze runs the whole pipeline (Scan, MergeConsumers, BuildReport) in
// one call; the stages stay exported for callers that aggregate elsewhere.
//
// The package never prints, never reads the clock and imports neither
// simulate nor any renderer.
package audit
