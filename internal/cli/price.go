package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// TEMPORARY placeholder: replaced by the real command.
func newPriceCmd(env Env) *cobra.Command {
	return &cobra.Command{Use: "price", Short: "(in progress)", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("price: not built yet") }}
}
