//go:build duckdb

// Command toparquet writes the canonical records of JSONL files as one
// Parquet file with typed columns (ts TIMESTAMP WITH TIME ZONE, integer
// token counts, tags MAP(VARCHAR, VARCHAR)), leaving out the lines that are
// not records. scripts/bench-duckdb.sh uses it to make the Parquet copy of
// its benchmark log.
//
// Usage: go run -tags duckdb ./engine/duckdb/internal/toparquet OUT.parquet IN.jsonl...
package main

import (
	"database/sql"
	"fmt"
	"os"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/costaudit/costaudit/engine/duckdb"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: toparquet OUT.parquet IN.jsonl...")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "toparquet:", err)
		os.Exit(1)
	}
}

func run(out string, in []string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec("SET TimeZone = 'UTC'"); err != nil {
		return err
	}
	q := "COPY (SELECT * EXCLUDE (line_reject, ts, tags), TRY_CAST(ts AS TIMESTAMPTZ) AS ts, TRY_CAST(tags AS MAP(VARCHAR, VARCHAR)) AS tags FROM (" +
		duckdb.JSONLSelect(in) + ") WHERE line_reject IS NULL) TO '" + strings.ReplaceAll(out, "'", "''") + "' (FORMAT parquet, COMPRESSION zstd)"
	_, err = db.Exec(q)
	return err
}
