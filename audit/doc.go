// Package audit reads LLM request logs and says what they cost.
//
// It scans logs with the format adapters of package decode, which turn
// every supported log shape into the canonical record of package record
// (canonical JSONL and CSV, OpenAI and OpenAI-compatible gateways,
// Anthropic, Gemini and Vertex AI, Amazon Bedrock, OpenTelemetry GenAI,
// OpenInference and Vercel AI SDK spans, LiteLLM SpendLogs, Langfuse
// observations, Claude Code and Codex CLI session logs), and owns the
// providers' usage exports and cost reports, de-duplication, coverage accounting (every input line is a priced,
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
