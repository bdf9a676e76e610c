package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TEMPORARY placeholder: replaced by the real command.
func newDiffCmd(env Env) *cobra.Command {
	return &cobra.Command{Use: "diff", Short: "(in progress)", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("diff: not built yet") }}
}
