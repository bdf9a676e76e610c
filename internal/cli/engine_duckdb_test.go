//go:build duckdb

package cli

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/costaudit/costaudit/engine/duckdb"
)

func scaleReport(t *testing.T, args ...string) map[string]any {
	t.Helper()
	out, stderr, code := scaleRun(t, append([]string{"analyze", "-f", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("analyze %v: exit %d: %s", args, code, stderr)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// parquetCoverage is the streaming engine's coverage of the example log
// without its 3 lines that are not JSON: the Parquet copy holds only the
// lines DuckDB parsed, so its lines and rejections lack them.
func parquetCoverage(t *testing.T, cov map[string]any, format string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for k, v := range cov {
		out[k] = v
	}
	bad := cov["rejected_by_reason"].(map[string]any)["invalid json"].(float64)
	if bad != 3 {
		t.Fatalf("example log: %v invalid json lines, want 3", bad)
	}
	out["lines"] = cov["lines"].(float64) - bad
	out["rejected"] = cov["rejected"].(float64) - bad
	rbr := map[string]any{}
	for k, v := range cov["rejected_by_reason"].(map[string]any) {
		if k != "invalid json" {
			rbr[k] = v
		}
	}
	out["rejected_by_reason"] = rbr
	out["formats"] = map[string]any{format: float64(1)}
	return out
}

func sameReport(t *testing.T, name string, want, got map[string]any) {
	t.Helper()
	for k := range want {
		if !reflect.DeepEqual(want[k], got[k]) {
			w, _ := json.MarshalIndent(want[k], "", " ")
			g, _ := json.MarshalIndent(got[k], "", " ")
			t.Errorf("%s: %s differs from the streaming engine:\nwant %s\ngot  %s", name, k, w, g)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: extra key %s", name, k)
		}
	}
}

// TestDuckDBMatchesStreaming checks that the example log gives the
// streaming engine's JSON report through every other path: --engine duckdb
// on the JSONL (byte for byte), on a Parquet copy, and the printed DuckDB
// query over the Parquet copy fed to --aggregates as CSV and as JSONL. The
// Parquet paths differ only in the coverage of the 3 lines that are not
// JSON (a Parquet file has no such lines) and in the format names.
func TestDuckDBMatchesStreaming(t *testing.T) {
	logPath := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	streamOut, stderr, code := scaleRun(t, "analyze", "-f", "json", logPath)
	if code != 0 {
		t.Fatalf("streaming: exit %d: %s", code, stderr)
	}
	duckOut, stderr, code := scaleRun(t, "analyze", "-f", "json", "--engine", "duckdb", logPath)
	if code != 0 {
		t.Fatalf("duckdb: exit %d: %s", code, stderr)
	}
	if streamOut != duckOut {
		t.Errorf("--engine duckdb on JSONL: report differs from the streaming engine")
		sameReport(t, "jsonl", scaleJSON(t, streamOut), scaleJSON(t, duckOut))
	}
	stream := scaleJSON(t, streamOut)

	dir := t.TempDir()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pq := filepath.Join(dir, "canonical.parquet")
	if _, err := db.Exec("COPY (SELECT * FROM " + duckdb.JSONLTable([]string{logPath}) + " WHERE NOT (ts IS NULL AND request_id IS NULL AND model IS NULL)) TO '" + pq + "' (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}

	wantPQ := map[string]any{}
	for k, v := range stream {
		wantPQ[k] = v
	}
	wantPQ["coverage"] = parquetCoverage(t, stream["coverage"].(map[string]any), "parquet")
	sameReport(t, "parquet", wantPQ, scaleReport(t, "--engine", "duckdb", pq))

	query, stderr, code := scaleRun(t, "sql", "--dialect", "duckdb", "--table", "read_parquet('"+pq+"')")
	if code != 0 {
		t.Fatalf("sql: exit %d: %s", code, stderr)
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
			t.Fatalf("%s: %v", f.name, err)
		}
		sameReport(t, "--aggregates "+f.name, wantAgg, scaleReport(t, "--aggregates", p))
		if f.name == "agg.csv" && scaleUpdate() {
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

func scaleJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}
