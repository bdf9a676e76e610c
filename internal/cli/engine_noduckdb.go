//go:build !duckdb

package cli

import (
	"context"
	"errors"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/aggregate/aggsql"
)

// errNoDuckDB is the error of --engine duckdb in a binary built without it.
var errNoDuckDB = errors.New("--engine duckdb: this build has no DuckDB engine; build with -tags duckdb (go build -tags duckdb ./cmd/costaudit)")

// duckDBAggregate fails: this binary was built without the duckdb tag, so
// it stays pure Go.
func duckDBAggregate(context.Context, []string, aggsql.Options, int, *aggregate.Loader) error {
	return errNoDuckDB
}
