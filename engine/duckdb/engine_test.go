//go:build duckdb

package duckdb

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/costaudit/costaudit/internal/testutil" // registers -update: go test ./... -update runs here too

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/aggregate/aggsql"
)

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.jsonl", "b.jsonl.gz", "c.parquet", "notes.txt", "sub/d.ndjson", "sub/e.json.zst"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	j, p, err := Expand([]string{dir, filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "*.parquet")})
	if err != nil {
		t.Fatal(err)
	}
	wantJ := []string{filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl.gz"), filepath.Join(dir, "sub/d.ndjson"), filepath.Join(dir, "sub/e.json.zst")}
	wantP := []string{filepath.Join(dir, "c.parquet")}
	if !reflect.DeepEqual(j, wantJ) || !reflect.DeepEqual(p, wantP) {
		t.Errorf("Expand: jsonl %v parquet %v; want %v %v", j, p, wantJ, wantP)
	}
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"-"}, "input -: the duckdb engine reads files, not standard input"},
		{[]string{filepath.Join(dir, "*.csv")}, "no file matches"},
		{[]string{filepath.Join(dir, "missing.jsonl")}, "no such file or directory"},
		{[]string{filepath.Join(dir, "sub", "nothing")}, "no such file"},
	} {
		if _, _, err := Expand(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Expand(%v): error %v, want %q", c.in, err, c.want)
		}
	}
}

// TestAggregateLines checks that every JSONL line is a record or a counted
// rejection with the streaming engine's reason, whatever precedes it: a
// line cut after a key (which DuckDB's JSON reader would join to the next
// line), a JSON array, a fractional token count, blank lines, and a line
// that is not UTF-8 (which the DuckDB engine rejects where the streaming
// engine reads it).
func TestAggregateLines(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"ts":"2026-11-02T09:00:00Z","request_id":"a","provider":"openai","model":"gpt-4o","workflow":"w","input_tokens":100,"output_tokens":10}`,
		`{"ts":"2026-11-02T09:01:00Z","request_id":"b","provider":"openai","model":"gpt-4o","workflow":"w","input_tokens":`,
		`{"ts":"2026-11-02T09:02:00Z","request_id":"c","provider":"openai","model":"gpt-4o","workflow":"w","input_tokens":200,"output_tokens":20}`,
		`[1,2]`,
		``,
		`{"ts":"2026-11-02T09:03:00Z","request_id":"d","provider":"openai","model":"gpt-4o","workflow":"w","input_tokens":1.5}`,
		`   `,
		`{"ts":1793610240,"request_id":"e","provider":"openai","model":"gpt-4o","workflow":"w","input_tokens":300,"output_tokens":30}`,
		`{"ts":"2026-11-02T09:05:00Z","request_id":"a","provider":"openai","model":"gpt-4o","workflow":"w","input_tokens":100,"output_tokens":10}`,
		"{\"ts\":\"2026-11-02T09:06:00Z\",\"model\":\"gpt-\xff4o\",\"input_tokens\":1}",
		`{"ts":"2026-11-02T09:07:00Z","request_id":"f","provider":"openai","model":"gpt-4o","workflow":"w","input_tokens":1e3,"output_tokens":"7"}`,
		`{"ts":"2026-11-02T09:08:00Z","request_id":"g","provider":"openai","model":"gpt-4o","workflow":"w","input_tokens":-0.5}`,
	}
	path := filepath.Join(dir, "x.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	var input int64
	res, err := Aggregate(context.Background(), Options{Inputs: []string{path}, Query: aggsql.Options{Thresholds: []int64{200000}}}, func(r *aggregate.FileRecord) error {
		key := r.Kind
		if r.Kind == aggregate.KindRejected {
			key += ":" + r.Reason
		}
		got[key] += r.Requests
		if r.Kind == aggregate.KindRow {
			input += r.InputTokens
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{
		"row": 4, "evidence": 4, "arrival": 4, "scanned": 10, "duplicate": 1,
		"rejected:invalid json": 1, "rejected:not a json object": 1, "rejected:non-integer token count": 1,
		"rejected:invalid utf-8": 1, "rejected:negative token count": 1,
	}
	if !reflect.DeepEqual(got, want) || input != 1600 {
		t.Errorf("records %v (input %d), want %v (input 1600)", got, input, want)
	}
	if res.Files != 1 || !reflect.DeepEqual(res.Formats, map[string]int64{FormatJSONL: 1}) {
		t.Errorf("result %+v", res)
	}
}

// TestAggregateParquetColumns checks that Parquet files without some
// canonical columns read those as absent, and that JSONL and Parquet inputs
// add up in one run.
func TestAggregateParquetColumns(t *testing.T) {
	dir := t.TempDir()
	jl := filepath.Join(dir, "a.jsonl")
	if err := os.WriteFile(jl, []byte(`{"ts":"2026-11-02T09:00:00Z","model":"gpt-4o","provider":"openai","workflow":"w","input_tokens":100,"tags":{"env":"prod"}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pq := filepath.Join(dir, "b.parquet")
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`COPY (SELECT TIMESTAMPTZ '2026-11-02 10:00:00+00' AS ts, 'gpt-4o' AS model, 'w' AS workflow, 50 AS input_tokens, 5 AS output_tokens, MAP {'env': 'dev'} AS tags) TO '` + pq + `' (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	res, err := Aggregate(context.Background(), Options{Inputs: []string{dir}, Query: aggsql.Options{TagKeys: []string{"env"}}}, func(r *aggregate.FileRecord) error {
		got[r.Kind] += r.Requests
		if r.Kind == aggregate.KindRow {
			got["input"] += r.InputTokens
			got["output"] += r.OutputTokens
		}
		if r.Kind == aggregate.KindTag {
			got[r.Tag] += r.Requests
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"row": 2, "evidence": 2, "arrival": 2, "tag": 2, "duplicate": 0, "env=prod": 1, "env=dev": 1, "scanned": 2, "input": 150, "output": 5}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records %v, want %v", got, want)
	}
	if res.Files != 2 || !reflect.DeepEqual(res.Formats, map[string]int64{FormatJSONL: 1, FormatParquet: 1}) {
		t.Errorf("result %+v", res)
	}
}
