package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TEMPORARY placeholder: replaced by the real command.
func newReportCmd(env Env) *cobra.Command {
	return &cobra.Command{Use: "report", Short: "(in progress)", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("report: not built yet") }}
}
