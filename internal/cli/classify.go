package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TEMPORARY placeholder: replaced by the real command.
func newClassifyCmd(env Env) *cobra.Command {
	return &cobra.Command{Use: "classify", Short: "(in progress)", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("classify: not built yet") }}
}
