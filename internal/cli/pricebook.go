package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TEMPORARY placeholder: replaced by the real command.
func newPricebookCmd(env Env) *cobra.Command {
	return &cobra.Command{Use: "pricebook", Short: "(in progress)", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("pricebook: not built yet") }}
}
