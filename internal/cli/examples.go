package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/examples"
	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/report"
	"github.com/costaudit/costaudit/simulate"
)

// examplesOptions are the flags of costaudit examples run.
type examplesOptions struct {
	Names      []string
	Format     string
	Output     string
	Pricebooks []string
	Places     int
}

func newExamplesCmd(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "examples",
		Short: "List and recompute the seeds' worked examples",
		Long: `examples holds the worked examples of the documents costaudit grew from,
each a scenario file (examples/scenarios/). "examples" lists them; "examples
run" recomputes them and shows each figure the seed quoted beside the
computed one, with a note wherever they differ.`,
		Example: `  costaudit examples
  costaudit examples run
  costaudit examples run 003-hybrid-stream-deepseek-batch
  costaudit examples run 002 --format markdown`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return listExamples(env) },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the worked examples",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return listExamples(env) },
	})
	var o examplesOptions
	run := &cobra.Command{
		Use:   "run [NAME...]",
		Short: "Recompute worked examples (all, or those whose name starts with NAME)",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Names = args
			formatFromOutput(cmd, &o.Format, o.Output)
			if err := checkScenarioFormat(o.Format, o.Output, o.Places); err != nil {
				return err
			}
			return runExamples(env, o)
		},
	}
	f := run.Flags()
	bindFormatFlag(f, &o.Format, "table", scenarioFormats(), true)
	bindOutputFlag(f, &o.Output, "the results")
	f.StringArrayVar(&o.Pricebooks, "pricebook", nil, "extra price book `PATH` (a .toml file or a directory of them); repeatable")
	bindPlacesFlag(f, &o.Places)
	cmd.AddCommand(run)
	return cmd
}

func loadEmbeddedExamples() ([]*simulate.File, error) {
	return simulate.LoadExamples(examples.Scenarios, "scenarios")
}

func listExamples(env Env) error {
	files, err := loadEmbeddedExamples()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSEED\tEXAMPLE")
	for _, f := range files {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Example.Seed, f.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintln(env.Stdout, "\nrun them with: costaudit examples run [NAME]")
	return err
}

// selectExamples keeps the files whose name equals or starts with one of
// names; every name must match at least one.
func selectExamples(files []*simulate.File, names []string) ([]*simulate.File, error) {
	if len(names) == 0 {
		return files, nil
	}
	var out []*simulate.File
	for _, n := range names {
		matched := false
		for _, f := range files {
			if f.Name == n || strings.HasPrefix(f.Name, n) {
				matched = true
				dup := false
				for _, o := range out {
					dup = dup || o == f
				}
				if !dup {
					out = append(out, f)
				}
			}
		}
		if !matched {
			all := make([]string, len(files))
			for i, f := range files {
				all[i] = f.Name
			}
			return nil, usagef("examples run: no example %q (have: %s)", n, strings.Join(all, ", "))
		}
	}
	return out, nil
}

func runExamples(env Env, o examplesOptions) error {
	if err := refuseOverwrite(env, [][2]string{{"-o", o.Output}}, o.Pricebooks); err != nil {
		return err
	}
	files, err := loadEmbeddedExamples()
	if err != nil {
		return err
	}
	files, err = selectExamples(files, o.Names)
	if err != nil {
		return err
	}
	cat, err := loadCatalog(o.Pricebooks)
	if err != nil {
		return err
	}
	// Every example that uses the price books names its own date, so the
	// default date only shows in examples that need none.
	opt, rec, err := simOptions(env, "", "", cat)
	if err != nil {
		return err
	}
	var scs []report.Scenario
	for _, f := range files {
		sc, err := simulate.RunExample(f, opt)
		if err != nil {
			return err
		}
		scs = append(scs, sc)
	}
	rep := simulate.ExamplesReport(scs)
	rep.Pricebooks = rec.cite(cat)
	return renderReport(env, o.Output, rep, o.Format, render.Options{Places: o.Places})
}
