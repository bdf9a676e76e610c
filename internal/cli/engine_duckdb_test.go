//go:build duckdb

package cli

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/costaudit/costaudit/engine/duckdb"
)

// TestDuckDBMatchesStreaming checks that the example log gives the
// streaming engine's JSON report through every other path: --engine duckdb
// on the JSONL (byte for byte), on a Parquet copy, and the printed DuckDB
// query over the Parquet copy fed to --aggregates as CSV and as JSONL; with
// the default flags and with a time zone and a time window. The Parquet
// paths differ only in the coverage of the 3 lines that are not JSON (a
// Parquet file has no such lines) and in the format names.
func TestDuckDBMatchesStreaming(t *testing.T) {
	logPath := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	dir := t.TempDir()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pq := filepath.Join(dir, "canonical.parquet")
	if _, err := db.Exec("COPY (SELECT * EXCLUDE (line_reject) FROM (" + duckdb.JSONLSelect([]string{logPath}) + ") WHERE line_reject IS NULL) TO '" + pq + "' (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
	for i, flags := range [][]string{
		nil,
		{"--tz", "Europe/Paris"},
		{"--tz", "America/New_York", "--since", "2026-11-03", "--until", "2026-11-07T12:00:00Z"},
		{"--group-by", "team", "--group-by", "tag:env"},
	} {
		args := func(more ...string) []string { return append(append([]string{}, flags...), more...) }
		name := strings.Join(flags, " ")
		streamOut, stderr, code := scaleRun(t, append([]string{"analyze", "-f", "json"}, args(logPath)...)...)
		if code != 0 {
			t.Fatalf("%s: streaming: exit %d: %s", name, code, stderr)
		}
		duckOut, stderr, code := scaleRun(t, append([]string{"analyze", "-f", "json", "--engine", "duckdb"}, args(logPath)...)...)
		if code != 0 {
			t.Fatalf("%s: duckdb: exit %d: %s", name, code, stderr)
		}
		if streamOut != duckOut {
			t.Errorf("%s: --engine duckdb on JSONL: report differs from the streaming engine", name)
			sameReport(t, "jsonl", scaleJSON(t, streamOut), scaleJSON(t, duckOut))
		}
		stream := scaleJSON(t, streamOut)

		wantPQ := map[string]any{}
		for k, v := range stream {
			wantPQ[k] = v
		}
		wantPQ["coverage"] = parquetCoverage(t, stream["coverage"].(map[string]any), "parquet")
		sameReport(t, name+" parquet", wantPQ, scaleReport(t, args("--engine", "duckdb", pq)...))

		query, stderr, code := scaleRun(t, append([]string{"sql", "--dialect", "duckdb", "--table", "read_parquet('" + pq + "')"}, flags...)...)
		if code != 0 {
			t.Fatalf("%s: sql: exit %d: %s", name, code, stderr)
		}
		wantAgg := map[string]any{}
		for k, v := range stream {
			wantAgg[k] = v
		}
		wantAgg["coverage"] = parquetCoverage(t, stream["coverage"].(map[string]any), "aggregates")
		for _, f := range []struct{ name, opts string }{
			{"agg.csv", "(FORMAT csv, HEADER)"},
			{"agg.jsonl", "(FORMAT json)"},
		} {
			p := filepath.Join(dir, f.name)
			if _, err := db.Exec("COPY (" + query + ") TO '" + p + "' " + f.opts); err != nil {
				t.Fatalf("%s: %s: %v", name, f.name, err)
			}
			sameReport(t, name+" --aggregates "+f.name, wantAgg, scaleReport(t, args("--aggregates", p)...))
			if i == 0 && f.name == "agg.csv" && scaleUpdate() {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join("testdata", "aggregates", "canonical.csv"), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestDuckDBGeneratedLogs checks --engine duckdb against the streaming
// engine, byte for byte, on generated logs with broken lines (JSON cut in
// the middle of a key, which DuckDB's own JSON reader would merge with the
// next line), duplicates, missing hints and compression.
func TestDuckDBGeneratedLogs(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		args []string
	}{
		{"bad.jsonl", []string{"--seed", "11", "--requests", "4000", "--bad-share", "0.03", "--dup-share", "0.03"}},
		{"stripped.jsonl.gz", []string{"--seed", "12", "--requests", "3000", "--strip-hints", "--dup-share", "0.05"}},
		{"bad.jsonl.zst", []string{"--seed", "13", "--requests", "3000", "--bad-share", "0.02"}},
	}
	for _, c := range cases {
		p := filepath.Join(dir, c.name)
		if _, stderr, code := scaleRun(t, append([]string{"gen", "-o", p}, c.args...)...); code != 0 {
			t.Fatalf("gen %s: exit %d: %s", c.name, code, stderr)
		}
		stream, stderr, code := scaleRun(t, "analyze", "-f", "json", p)
		if code != 0 {
			t.Fatalf("%s streaming: exit %d: %s", c.name, code, stderr)
		}
		duck, stderr, code := scaleRun(t, "analyze", "-f", "json", "--engine", "duckdb", p)
		if code != 0 {
			t.Fatalf("%s duckdb: exit %d: %s", c.name, code, stderr)
		}
		if stream != duck {
			t.Errorf("%s: --engine duckdb report differs from the streaming engine's", c.name)
			sameReport(t, c.name, scaleJSON(t, stream), scaleJSON(t, duck))
		}
	}
}
