package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TEMPORARY placeholder: replaced by the real command.
func newAnalyzeCmd(env Env) *cobra.Command {
	return &cobra.Command{Use: "analyze", Short: "(in progress)", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("analyze: not built yet") }}
}
