package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/internal/testutil"
)

// TestSQLGolden prints the aggregate query of every dialect, with and
// without mapped columns and tag keys, and compares it with
// testdata/sql/ (go test ./internal/cli -update rewrites them). Only the
// DuckDB query runs in a test (engine_duckdb_test.go); the others are
// checked here against their reviewed text.
func TestSQLGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"duckdb", []string{"--dialect", "duckdb", "--table", "read_parquet('logs/*.parquet')"}},
		{"clickhouse", []string{"--dialect", "clickhouse", "--table", "llm.requests"}},
		{"bigquery", []string{"--dialect", "bigquery", "--table", "`proj.llm.requests`"}},
		{"postgres", []string{"--dialect", "postgres", "--table", "public.llm_requests"}},
		{"postgres-mapped", []string{"--dialect", "postgres", "--table", "requests", "--map", "ts=created_at", "--map", "model=model_name", "--map", "tags.env=labels->>'environment'", "--tag-key", "env", "--tag-key", "feature"}},
		{"clickhouse-tags", []string{"--dialect", "clickhouse", "--table", "llm.requests", "--tag-key", "feature"}},
		{"duckdb-window", []string{"--dialect", "duckdb", "--table", "logs", "--tz", "Europe/Paris", "--since", "2026-11-01", "--until", "2026-12-01", "--group-by", "team", "--group-by", "tag:env"}},
		{"clickhouse-window", []string{"--dialect", "clickhouse", "--table", "logs", "--tz", "Europe/Paris", "--since", "2026-11-01", "--until", "2026-12-01", "--group-by", "team", "--group-by", "tag:env"}},
		{"bigquery-window", []string{"--dialect", "bigquery", "--table", "logs", "--tz", "Europe/Paris", "--since", "2026-11-01", "--until", "2026-12-01", "--group-by", "team", "--group-by", "tag:env"}},
		{"postgres-window", []string{"--dialect", "postgres", "--table", "logs", "--tz", "Europe/Paris", "--since", "2026-11-01", "--until", "2026-12-01", "--group-by", "team", "--group-by", "tag:env"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, code := scaleRun(t, append([]string{"sql"}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			testutil.Golden(t, filepath.Join("testdata", "sql", c.name+".sql"), []byte(out))
		})
	}
}

// TestSQLUsage checks the usage errors of costaudit sql (exit 2).
func TestSQLUsage(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--table", "t"}, "--dialect: missing (one of bigquery, clickhouse, duckdb, postgres)"},
		{[]string{"--dialect", "mysql", "--table", "t"}, `--dialect "mysql": unknown (one of bigquery, clickhouse, duckdb, postgres)`},
		{[]string{"--dialect", "duckdb"}, "--table: missing; name the table of canonical records"},
		{[]string{"--dialect", "duckdb", "--table", "t", "--map", "tokens=x"}, `--map "tokens=x": unknown canonical field "tokens"`},
		{[]string{"--dialect", "duckdb", "--table", "t", "--map", "ts"}, `--map "ts": want canonical_field=column, e.g. ts=created_at`},
		{[]string{"--dialect", "duckdb", "--table", "t", "--map", "ts=a", "--map", "ts=b"}, "--map ts=b: field ts mapped twice"},
		{[]string{"--dialect", "duckdb", "--table", "t", "--tag-key", "a'b"}, `tag key "a'b": use letters, digits and _ . : / -`},
		{[]string{"--dialect", "duckdb", "--table", "t", "--group-by", "user"}, `--group-by "user": unknown key (allowed: team, tag:KEY such as tag:env)`},
		{[]string{"--dialect", "duckdb", "--table", "t", "--tz", "Mars/Base"}, `--tz "Mars/Base": unknown time zone`},
		{[]string{"--dialect", "duckdb", "--table", "t", "--since", "2026-12-01", "--until", "2026-11-01"}, "--until 2026-11-01 is not after --since 2026-12-01"},
		{[]string{"--dialect", "duckdb", "--table", "t", "--since", "yesterday"}, `--since "yesterday": want a date such as 2026-06-01`},
	}
	for _, c := range cases {
		_, stderr, code := scaleRun(t, append([]string{"sql"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("sql %v: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// scaleRun runs costaudit with args and returns stdout, stderr and the exit
// code.
func scaleRun(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Now: func() time.Time { return time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC) },
	})
	return out.String(), errb.String(), code
}

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
	// An aggregate file carries 10-minute arrival bins, not the minutes
	// the arrival evidence of a machine is read from: the classes must
	// agree, the wording of the evidence may not.
	want, got = withoutEvidence(want), withoutEvidence(got)
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

// withoutEvidence returns a copy of the report r whose workflows lack
// their evidence and parts.
func withoutEvidence(r map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range r {
		out[k] = v
	}
	wfs, ok := r["workflows"].([]any)
	if !ok {
		return out
	}
	var cp []any
	for _, w := range wfs {
		m := map[string]any{}
		for k, v := range w.(map[string]any) {
			if k != "evidence" && k != "parts" {
				m[k] = v
			}
		}
		cp = append(cp, m)
	}
	out["workflows"] = cp
	return out
}

func scaleJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestAnalyzeAggregates reads testdata/aggregates/canonical.csv, the
// DuckDB query's result over the example log (rewritten by the duckdb-tagged
// test with -update), and checks the report is the streaming engine's,
// except the coverage of the 3 lines that are not JSON and the format name.
func TestAnalyzeAggregates(t *testing.T) {
	logPath := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	stream := scaleReport(t, logPath)
	want := map[string]any{}
	for k, v := range stream {
		want[k] = v
	}
	want["coverage"] = parquetCoverage(t, stream["coverage"].(map[string]any), "aggregates")
	agg := filepath.Join("testdata", "aggregates", "canonical.csv")
	sameReport(t, "--aggregates canonical.csv", want, scaleReport(t, "--aggregates", agg))
	// A file from the query before arrival records carried minutes (10-minute
	// bins only) still reads; this log's classes do not need the minutes.
	sameReport(t, "--aggregates canonical-bins.csv", want, scaleReport(t, "--aggregates", filepath.Join("testdata", "aggregates", "canonical-bins.csv")))

	// The same records as JSONL, from stdin.
	data, err := os.ReadFile(agg)
	if err != nil {
		t.Fatal(err)
	}
	var jsonl strings.Builder
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	cols := strings.Split(lines[0], ",")
	for _, l := range lines[1:] {
		vals := splitCSVLine(t, l)
		m := map[string]any{}
		for i, c := range cols {
			m[c] = vals[i]
		}
		b, _ := json.Marshal(m)
		jsonl.Write(b)
		jsonl.WriteByte('\n')
	}
	var out, errb bytes.Buffer
	code := Main([]string{"analyze", "-f", "json", "--aggregates", "-"}, Env{
		Stdin: strings.NewReader(jsonl.String()), Stdout: &out, Stderr: &errb,
		Now: func() time.Time { return time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC) },
	})
	if code != 0 {
		t.Fatalf("--aggregates - (JSONL): exit %d: %s", code, errb.String())
	}
	sameReport(t, "--aggregates - (JSONL)", want, scaleJSON(t, out.String()))

	// The same records split over a CSV file and a gzipped one add up.
	dir := t.TempDir()
	half := len(lines) / 2
	first := filepath.Join(dir, "a.csv")
	second := filepath.Join(dir, "b.csv.gz")
	if err := os.WriteFile(first, []byte(strings.Join(lines[:half], "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write([]byte(lines[0] + "\n" + strings.Join(lines[half:], "\n") + "\n")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(second, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	want2 := map[string]any{}
	for k, v := range want {
		want2[k] = v
	}
	cov := map[string]any{}
	for k, v := range want["coverage"].(map[string]any) {
		cov[k] = v
	}
	cov["files"] = float64(2)
	cov["formats"] = map[string]any{"aggregates": float64(2)}
	want2["coverage"] = cov
	sameReport(t, "--aggregates a.csv --aggregates b.csv.gz", want2, scaleReport(t, "--aggregates", first, "--aggregates", second))
}

// splitCSVLine splits one line of the golden aggregate CSV, whose only
// quoted fields are "" (empty).
func splitCSVLine(t *testing.T, l string) []string {
	t.Helper()
	f := strings.Split(l, ",")
	for i, v := range f {
		if v == `""` {
			f[i] = ""
		} else if strings.Contains(v, `"`) {
			t.Fatalf("unexpected quoted field %s", v)
		}
	}
	return f
}

// TestAnalyzeAggregatesErrors checks the usage errors (exit 2) and the
// file errors (exit 1, naming file, line and column) of --aggregates.
func TestAnalyzeAggregatesErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	agg := filepath.Join("testdata", "aggregates", "canonical.csv")
	header := "kind,workflow,provider,model,mode,billed,logged_cost,day,input_above,requests,input_tokens,output_tokens,first_ts_us,last_ts_us\n"
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--aggregates", agg, "x.jsonl"}, 2, "give one or the other"},
		{[]string{"--aggregates", agg, "--group-by", "team"}, 1, "canonical.csv:775: group_values: 0 values for the 1 group-by keys [team] (make the query with the same --group-by)"},
		{[]string{"--aggregates", agg, "--since", "2026-11-03"}, 1, "canonical.csv:775: first_ts_us 1793587696828000, last_ts_us 1793647625227000: outside the reported window (sum the rows with the same --since and --until: costaudit sql --since --until)"},
		{[]string{"--aggregates", agg, "--tz", "Europe/Paris"}, 1, "canonical.csv:818: first_ts_us 1793590048982000, last_ts_us 1793660958905000: not inside day 2026-11-02 in Europe/Paris (sum the rows with the time zone you report in: costaudit sql --tz)"},
		{[]string{"--aggregates", agg, "--engine", "duckdb"}, 2, "give one"},
		{[]string{"--engine", "spark", "x.jsonl"}, 2, `--engine "spark": unknown (streaming or duckdb)`},
		{[]string{"--aggregates", filepath.Join(dir, "missing.csv")}, 1, "--aggregates: open"},
		{[]string{"--aggregates", write("empty.csv", "")}, 1, "empty aggregate file"},
		{[]string{"--aggregates", write("col.csv", "kind,workflow,cost\n")}, 1, `col.csv:1: header: "cost": unknown column`},
		{[]string{"--aggregates", write("int.csv", header+"row,w,openai,gpt-4o,sync,1,0,2026-11-02,0,x,1,1,1793587696828000,1793587696828000\n")}, 1, `int.csv:2: requests: not an integer "x"`},
		{[]string{"--aggregates", write("kind.csv", header+"total,w,openai,gpt-4o,sync,1,0,2026-11-02,0,1,1,1,0,0\n")}, 1, `kind.csv:2: kind "total": unknown`},
		{[]string{"--aggregates", write("mode.csv", header+"row,w,openai,gpt-4o,fast,1,0,2026-11-02,0,1,1,1,0,0\n")}, 1, `mode.csv:2: mode "fast": unknown`},
		{[]string{"--aggregates", write("day.csv", header+"row,w,openai,gpt-4o,sync,1,0,2026-11-03,0,1,1,1,1793587696828000,1793587696828000\n")}, 1, "day.csv:2: first_ts_us 1793587696828000, last_ts_us 1793587696828000: not inside day 2026-11-03 in UTC"},
		{[]string{"--aggregates", write("neg.csv", header+"row,w,openai,gpt-4o,sync,1,0,2026-11-02,0,1,-1,1,1793587696828000,1793587696828000\n")}, 1, "neg.csv:2: input_tokens: negative value -1"},
		{[]string{"--aggregates", write("bool.csv", header+"row,w,openai,gpt-4o,sync,yes,0,2026-11-02,0,1,1,1,1793587696828000,1793587696828000\n")}, 1, `bool.csv:2: billed: not a boolean "yes" (want 1 or 0)`},
		{[]string{"--aggregates", write("j.jsonl", "{\"kind\":\"scanned\",\"requests\":3}\n{\"kind\":\"row\",\"price\":1}\n")}, 1, "j.jsonl:2: price: unknown column"},
		{[]string{"--aggregates", write("k.jsonl", "{\"kind\":\"scanned\",\"requests\":3}\n\n{\"requests\":1}\n")}, 1, "k.jsonl:3: kind: missing"},
		{[]string{"--aggregates", write("b.jsonl", "{\"kind\":\"scanned\",\"requests\":3}\n{\"kind\":\"row\"\n")}, 1, "b.jsonl:2: invalid json"},
		{[]string{"--aggregates", write("t.jsonl", "{\"kind\":\"tag\",\"workflow\":\"w\",\"requests\":3}\n")}, 1, "t.jsonl:1: tag: empty (want key=value)"},
		{[]string{"--aggregates", write("e.jsonl", "{\"kind\":\"evidence\",\"workflow\":\"w\",\"mode\":\"sync\",\"ttft_bucket\":13,\"requests\":3}\n")}, 1, "e.jsonl:1: ttft_bucket 13: out of range -1..12"},
		{[]string{"--aggregates", write("a.jsonl", "{\"kind\":\"arrival\",\"workflow\":\"w\",\"day\":\"2026-11-02\",\"bin\":144,\"requests\":3}\n")}, 1, "a.jsonl:1: arrival cell 2026-11-02: bin 144 out of range 0..143"},
	}
	for _, c := range cases {
		_, stderr, code := scaleRun(t, append([]string{"analyze", "-f", "json"}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("analyze %v: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// TestAnalyzeAggregatesMissingTags checks the note that says a rules file
// matches on a tag the aggregate file does not count.
func TestAnalyzeAggregatesMissingTags(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules.toml")
	if err := os.WriteFile(rules, []byte("[[rule]]\ntags = { feature = \"triage\" }\nclass = \"near-realtime\"\nreason = \"tickets wait an hour\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := scaleReport(t, "--aggregates", filepath.Join("testdata", "aggregates", "canonical.csv"), "--rules", rules)
	want := "the aggregate file counts no tag feature: rules or group-by keys on it match nothing unless the query is made with costaudit sql --tag-key feature"
	found := false
	for _, n := range rep["notes"].([]any) {
		found = found || n == want
	}
	if !found {
		t.Errorf("notes %v: want %q", rep["notes"], want)
	}
}
