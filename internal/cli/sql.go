package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TEMPORARY placeholder: replaced by the real command.
func newSQLCmd(env Env) *cobra.Command {
	return &cobra.Command{Use: "sql", Short: "(in progress)", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("sql: not built yet") }}
}
