// Package duckdb reads canonical request records from JSONL and Parquet
// files with an embedded DuckDB and sums them into the aggregate
// interchange records (see aggregate.FileRecord), which costaudit then prices,
// classifies and reports exactly as it does the output of its own
// streaming engine.
//
// The package needs cgo and is compiled only with the build tag duckdb
// (go build -tags duckdb ./cmd/costaudit), so the default binary stays
// pure Go.
package duckdb
