//go:build duckdb

package cli

import (
	"context"
	"fmt"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/aggregate/aggsql"
	"github.com/costaudit/costaudit/engine/duckdb"
)

// duckDBAggregate reads the inputs with the embedded DuckDB into ld.
func duckDBAggregate(ctx context.Context, inputs []string, q aggsql.Options, threads int, ld *aggregate.Loader) error {
	res, err := duckdb.Aggregate(ctx, duckdb.Options{Inputs: inputs, Query: q, Threads: threads}, func(r *aggregate.FileRecord) error {
		if err := ld.Add(r); err != nil {
			return fmt.Errorf("duckdb engine: %s record: %w", r.Kind, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	ld.SetInputs(res.Files, res.Formats)
	return nil
}
