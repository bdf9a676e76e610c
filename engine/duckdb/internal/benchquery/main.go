//go:build duckdb

// Command benchquery is DuckDB's side of scripts/bench-compare.sh: it runs
// read_json with explicit columns over canonical JSONL files and groups the
// token sums by workflow, provider, model, mode and day, the GROUP BY at
// the heart of costaudit analyze, and prints the number of groups. It does
// no de-duplication, pricing or classification, so it is a lower bound on
// what a SQL engine needs for the same audit.
//
// Usage: go run -tags duckdb ./engine/duckdb/internal/benchquery [-threads N] IN.jsonl...
//
//	go run -tags duckdb ./engine/duckdb/internal/benchquery -version
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2"
)

// columns are the canonical fields the query reads; read_json skips the
// others without building them.
const columns = `{ts: 'TIMESTAMPTZ', provider: 'VARCHAR', model: 'VARCHAR', workflow: 'VARCHAR', mode: 'VARCHAR',
	input_tokens: 'BIGINT', cache_read_tokens: 'BIGINT', cache_write_5m_tokens: 'BIGINT', cache_write_1h_tokens: 'BIGINT',
	output_tokens: 'BIGINT', reasoning_tokens: 'BIGINT'}`

func main() {
	threads := flag.Int("threads", 2, "DuckDB `THREADS`")
	version := flag.Bool("version", false, "print DuckDB's version and exit")
	flag.Parse()
	if *version {
		v, err := duckdbVersion()
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchquery:", err)
			os.Exit(1)
		}
		fmt.Println(v)
		return
	}
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: benchquery [-threads N] IN.jsonl...")
		os.Exit(2)
	}
	n, err := run(*threads, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchquery:", err)
		os.Exit(1)
	}
	fmt.Println(n)
}

// query returns the GROUP BY over files, counting its groups.
func query(files []string) string {
	quoted := make([]string, len(files))
	for i, f := range files {
		quoted[i] = "'" + strings.ReplaceAll(f, "'", "''") + "'"
	}
	return `SELECT count(*) FROM (
  SELECT workflow, provider, model, mode, CAST(ts AS DATE) AS day,
    sum(input_tokens), sum(cache_read_tokens), sum(cache_write_5m_tokens), sum(cache_write_1h_tokens),
    sum(output_tokens), sum(reasoning_tokens), count(*)
  FROM read_json([` + strings.Join(quoted, ", ") + `], format = 'newline_delimited', columns = ` + columns + `)
  GROUP BY ALL)`
}

func run(threads int, files []string) (int64, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // SET applies to the one connection that queries
	for _, s := range []string{"SET TimeZone = 'UTC'", fmt.Sprintf("SET threads = %d", threads)} {
		if _, err := db.Exec(s); err != nil {
			return 0, fmt.Errorf("%s: %w", s, err)
		}
	}
	var n int64
	if err := db.QueryRow(query(files)).Scan(&n); err != nil {
		return 0, err
	}
	return n, nil
}

func duckdbVersion() (string, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var v string
	err = db.QueryRow("SELECT version()").Scan(&v)
	return v, err
}
