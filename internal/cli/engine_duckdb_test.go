//go:build duckdb

package cli

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/internal/loggen"
	"github.com/costaudit/costaudit/internal/testutil"

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
			if i == 0 && f.name == "agg.csv" && *testutil.Update {
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

// TestDuckDBLongContext checks the long-context tiers through the engine
// and through the query: requests just at and just above each threshold of
// the embedded books (200,000 and 272,000 input tokens, counting cache
// reads and writes) price as the streaming engine prices them.
func TestDuckDBLongContext(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	n := 0
	for _, m := range []struct{ provider, model string }{
		{"anthropic", "claude-sonnet-4-5"}, {"google", "gemini-2.5-pro"}, {"openai", "gpt-5.5"},
	} {
		for _, total := range []int64{199999, 200000, 200001, 271999, 272000, 272001, 400000} {
			n++
			fmt.Fprintf(&b, `{"ts":"2026-11-0%dT1%d:00:00Z","request_id":"r%d","provider":%q,"model":%q,"workflow":"long","input_tokens":%d,"cache_read_tokens":1000,"cache_write_5m_tokens":500,"output_tokens":100}`+"\n",
				2+n%5, n%10, n, m.provider, m.model, total-1500)
		}
	}
	logPath := filepath.Join(dir, "long.jsonl")
	if err := os.WriteFile(logPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stream, stderr, code := scaleRun(t, "analyze", "-f", "json", logPath)
	if code != 0 {
		t.Fatalf("streaming: exit %d: %s", code, stderr)
	}
	for _, tier := range []string{"claude-sonnet-4-5@2025-09-29#>200K", "gemini-2.5-pro@2025-03-25#>200K", "gpt-5.5@2026-04-23#>272K", "gpt-5.5@2026-04-23\""} {
		if !strings.Contains(stream, tier) {
			t.Fatalf("the streaming report has no price %s; the test log misses its point", tier)
		}
	}
	duck, stderr, code := scaleRun(t, "analyze", "-f", "json", "--engine", "duckdb", logPath)
	if code != 0 {
		t.Fatalf("duckdb: exit %d: %s", code, stderr)
	}
	if stream != duck {
		t.Errorf("--engine duckdb: report differs from the streaming engine")
		sameReport(t, "long", scaleJSON(t, stream), scaleJSON(t, duck))
	}
	query, stderr, code := scaleRun(t, "sql", "--dialect", "duckdb", "--table", "("+duckdb.JSONLSelect([]string{logPath})+") AS logs")
	if code != 0 {
		t.Fatalf("sql: exit %d: %s", code, stderr)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	agg := filepath.Join(dir, "agg.csv")
	if _, err := db.Exec("COPY (" + query + ") TO '" + agg + "' (FORMAT csv, HEADER)"); err != nil {
		t.Fatal(err)
	}
	want := scaleJSON(t, stream)
	cov := want["coverage"].(map[string]any)
	cov["formats"] = map[string]any{"aggregates": float64(1)}
	sameReport(t, "--aggregates", want, scaleReport(t, "--aggregates", agg))
}

// TestDuckDBBounds checks that the DuckDB engine (and so the SQL query)
// applies the streaming engine's bounds: timestamps outside 2000–2099 and
// token counts above 10^12 are rejected with the same reasons, max_tokens
// -1 means no ceiling, model names are listed normalized, and an error
// copy of a request id never beats an ok copy with equal tokens.
func TestDuckDBBounds(t *testing.T) {
	lines := []string{
		`{"ts":"2026-05-01T10:00:00Z","request_id":"a","model":"gpt-4o","workflow":"w","input_tokens":100,"output_tokens":10}`,
		`{"ts":"2026-05-02T10:00:00Z","request_id":"b","model":"GPT-4O","workflow":"w","input_tokens":100,"output_tokens":10,"status":"error"}`,
		`{"ts":"2026-05-02T10:00:00Z","request_id":"b","model":"GPT-4O","workflow":"w","input_tokens":100,"output_tokens":10,"status":"ok"}`,
		`{"ts":"2026-05-03T10:00:00Z","request_id":"c","model":"gpt-4o","workflow":"w","input_tokens":100,"output_tokens":10,"mode":"stream","status":"cancelled","max_tokens":-1}`,
		`{"ts":"9999-12-31T00:00:00Z","request_id":"d","model":"gpt-4o","workflow":"w","input_tokens":1}`,
		`{"ts":"1816-03-30T00:00:00Z","request_id":"e","model":"gpt-4o","workflow":"w","input_tokens":1}`,
		`{"ts":"2026-05-04T10:00:00Z","request_id":"f","model":"gpt-4o","workflow":"w","input_tokens":4611686018427387904}`,
		`{"ts":"2026-05-04T10:00:00Z","request_id":"g","model":"gpt-4o","workflow":"w","output_tokens":1000000000001}`,
	}
	p := filepath.Join(t.TempDir(), "bounds.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	streamOut, stderr, code := scaleRun(t, "analyze", "-f", "json", p)
	if code != 0 {
		t.Fatalf("streaming: exit %d: %s", code, stderr)
	}
	duckOut, stderr, code := scaleRun(t, "analyze", "-f", "json", "--engine", "duckdb", p)
	if code != 0 {
		t.Fatalf("duckdb: exit %d: %s", code, stderr)
	}
	// The aggregate query does not count conflicting duplicates (README).
	stream, duck := scaleJSON(t, streamOut), scaleJSON(t, duckOut)
	cov := stream["coverage"].(map[string]any)
	if cov["conflicting_duplicates"] != float64(1) || cov["conflict_example"] != "b" {
		t.Errorf("streaming coverage %v", cov)
	}
	delete(cov, "conflicting_duplicates")
	delete(cov, "conflict_example")
	var notes []any
	for _, n := range stream["notes"].([]any) {
		if !strings.HasPrefix(n.(string), "duplicates that disagree") {
			notes = append(notes, n)
		}
	}
	stream["notes"] = notes
	sameReport(t, "bounds", stream, duck)
	if !strings.Contains(streamOut, `"timestamp out of range": 2`) || !strings.Contains(streamOut, `"token count too large": 2`) {
		t.Errorf("streaming report lacks the bound rejections:\n%s", streamOut)
	}
}

// TestDuckDBMixedJobPart checks a mixed workflow through the engine and
// through the query: a nightly job beside people by day, whose job part is
// priced from the priced usage of its minutes. Errored copies inside the
// job's minutes count as arrivals but not as priced usage, so a query that
// summed every arrival's tokens would price the job part too high.
func TestDuckDBMixedJobPart(t *testing.T) {
	var sc *loggen.AdversarialScenario
	for _, s := range loggen.Adversarial(1) {
		if s.Name == "mixed-45d" {
			sc = &s
			break
		}
	}
	if sc == nil {
		t.Fatal("loggen.Adversarial has no mixed-45d scenario")
	}
	var b strings.Builder
	n := 0
	for _, r := range sc.Records {
		if r.Workflow != "support-digest" {
			continue
		}
		n++
		fmt.Fprintf(&b, `{"ts":%q,"request_id":"r%d","provider":%q,"model":%q,"workflow":%q,"input_tokens":%d,"output_tokens":%d}`+"\n",
			r.TS.UTC().Format(time.RFC3339Nano), n, r.Provider, r.Model, r.Workflow, r.InputTokens, r.OutputTokens)
		if r.TS.UTC().Hour() == 1 && n%7 == 0 {
			// An errored retry a second later, in the job's minute: unbilled.
			fmt.Fprintf(&b, `{"ts":%q,"request_id":"e%d","provider":%q,"model":%q,"workflow":%q,"input_tokens":%d,"output_tokens":0,"status":"error"}`+"\n",
				r.TS.Add(time.Second).UTC().Format(time.RFC3339Nano), n, r.Provider, r.Model, r.Workflow, r.InputTokens)
		}
	}
	dir := t.TempDir()
	logPath := filepath.Join(dir, "mixed.jsonl")
	if err := os.WriteFile(logPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stream, stderr, code := scaleRun(t, "analyze", "-f", "json", logPath)
	if code != 0 {
		t.Fatalf("streaming: exit %d: %s", code, stderr)
	}
	rep := scaleJSON(t, stream)
	priced := false
	for _, w := range rep["workflows"].([]any) {
		for _, p := range asList(w.(map[string]any)["parts"]) {
			if _, ok := p.(map[string]any)["cost_usd"]; ok {
				priced = true
			}
		}
	}
	if !priced {
		t.Fatalf("the streaming report prices no job part; the test log misses its point:\n%s", stream)
	}
	duck, stderr, code := scaleRun(t, "analyze", "-f", "json", "--engine", "duckdb", logPath)
	if code != 0 {
		t.Fatalf("duckdb: exit %d: %s", code, stderr)
	}
	if stream != duck {
		t.Errorf("--engine duckdb: report differs from the streaming engine")
		sameReport(t, "mixed", rep, scaleJSON(t, duck))
	}
	query, stderr, code := scaleRun(t, "sql", "--dialect", "duckdb", "--table", "("+duckdb.JSONLSelect([]string{logPath})+") AS logs")
	if code != 0 {
		t.Fatalf("sql: exit %d: %s", code, stderr)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	agg := filepath.Join(dir, "agg.csv")
	if _, err := db.Exec("COPY (" + query + ") TO '" + agg + "' (FORMAT csv, HEADER)"); err != nil {
		t.Fatal(err)
	}
	cov := rep["coverage"].(map[string]any)
	cov["formats"] = map[string]any{"aggregates": float64(1)}
	sameReport(t, "--aggregates", rep, scaleReport(t, "--aggregates", agg))
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
