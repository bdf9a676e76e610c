//go:build duckdb

package duckdb

import (
	"database/sql"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" database/sql driver
)

// open returns an in-memory DuckDB database.
func open() (*sql.DB, error) { return sql.Open("duckdb", "") }
