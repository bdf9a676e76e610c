package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TEMPORARY placeholder: replaced by the real command.
func newExamplesCmd(env Env) *cobra.Command {
	return &cobra.Command{Use: "examples", Short: "(in progress)", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("examples: not built yet") }}
}
