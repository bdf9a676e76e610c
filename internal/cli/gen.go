package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TEMPORARY placeholder: replaced by the real command.
func newGenCmd(env Env) *cobra.Command {
	return &cobra.Command{Use: "gen", Short: "(in progress)", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("gen: not built yet") }}
}
