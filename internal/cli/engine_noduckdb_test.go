//go:build !duckdb

package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestEngineDuckDBNotBuilt checks that the default, pure-Go binary says how
// to get the DuckDB engine instead of reading the logs some other way.
func TestEngineDuckDBNotBuilt(t *testing.T) {
	logPath := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	out, stderr, code := scaleRun(t, "analyze", "--engine", "duckdb", logPath)
	want := "--engine duckdb: this build has no DuckDB engine; build with -tags duckdb (go build -tags duckdb ./cmd/costaudit)"
	if code != 1 || out != "" || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, stderr, want)
	}
}
