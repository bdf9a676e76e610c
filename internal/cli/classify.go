package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/internal/render"
)

// classifyFormats are the formats of the latency inventory.
var classifyFormats = []string{"csv", "json", "markdown", "table"}

// classifyOptions are the flags of costaudit classify.
type classifyOptions struct {
	scanOptions
	Format string
	Output string
}

func newClassifyCmd(env Env) *cobra.Command {
	o := &classifyOptions{}
	cmd := &cobra.Command{
		Use:   "classify PATH...",
		Short: "Print the latency inventory: each workflow's class with evidence",
		Long: `classify reads request logs like analyze and prints the latency inventory:
every workflow with its class (realtime, near-realtime or scheduled), the
confidence, the evidence that decided it (rules, record hints such as
user_waiting and source, arrival patterns), its requests and its cost.

A workflow without evidence is realtime, marked "unclassified — assumed
realtime": costaudit never recommends batch without evidence.`,
		Example: `  costaudit classify examples/logs/canonical.jsonl
  costaudit classify --rules rules.toml --format csv -o inventory.csv logs/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Inputs, o.configFrom = configInputs(cmd, args), stateOf(cmd).from
			formatFromOutput(cmd, &o.Format, o.Output)
			return runClassify(env, o)
		},
	}
	bindScanFlags(cmd, &o.scanOptions, false)
	f := cmd.Flags()
	f.StringVarP(&o.Format, "format", "f", "table", "output `FORMAT`: "+strings.Join(classifyFormats, ", ")+" (with -o and no --format, the file extension picks it)")
	f.StringVarP(&o.Output, "output", "o", "", "write the inventory to `FILE` (atomically) instead of stdout")
	return cmd
}

// runClassify validates the options and writes the inventory.
func runClassify(env Env, o *classifyOptions) error {
	if err := checkFormat(o.Format, classifyFormats); err != nil {
		return err
	}
	cfg, err := o.check()
	if err != nil {
		return err
	}
	res, err := scanAndBuild(env, &o.scanOptions, cfg, false, false)
	if err != nil {
		return err
	}
	return renderReport(env, o.Output, res.rep, o.Format, render.Options{View: render.ViewInventory})
}
