package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func init() {
	// Register -update unless another test file of the package already did.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

func scaleUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, code := scaleRun(t, append([]string{"sql"}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			path := filepath.Join("testdata", "sql", c.name+".sql")
			if scaleUpdate() {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("query differs from %s (go test -update to accept):\n%s", path, out)
			}
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
