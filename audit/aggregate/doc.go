// Package aggregate sums canonical records (record.Record) into priced rows
// and keeps the per-workflow evidence the classifier reads.
//
// An Aggregator keys its rows by workflow, provider, model, delivery mode,
// status (priced, unbilled or unpriced), whether a cost was logged, local
// day, price-book entry and tier, and the group-by values; the hot loop adds
// integers only, and money is computed once per row by the report builder
// (audit.BuildReport), which reads the aggregate through Rows or EachRow,
// Workflows and the accessors. WorkflowStats is the evidence of one
// workflow: label counts, the record hints, the TTFT and latency histograms
// and the arrivals per minute. Every sum merges by addition (Merge, Take),
// so an aggregate split across workers, files or days merges exactly.
//
// The aggregate file is the interchange form of an aggregate: FileRecord
// rows in CSV or JSONL with the columns FileColumns, read by ReadFile (which
// also reads the OpenAI and Anthropic usage exports) and loaded into an
// Aggregator by a Loader. Package aggsql writes the SQL that sums a table of
// canonical records into that form.
//
// The package never prints and never reads the clock.
package aggregate
