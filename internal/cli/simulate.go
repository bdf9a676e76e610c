package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TEMPORARY placeholder: replaced by the real command.
func newSimulateCmd(env Env) *cobra.Command {
	return &cobra.Command{Use: "simulate", Short: "(in progress)", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("simulate: not built yet") }}
}
