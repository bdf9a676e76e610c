package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
	"github.com/costaudit/costaudit/simulate"
)

// maxScenarioBytes bounds a scenario file; real ones are a few kilobytes.
const maxScenarioBytes = 1 << 20

// simulateOptions are the flags of costaudit simulate.
type simulateOptions struct {
	Files      []string
	Format     string
	Output     string
	Pricebooks []string
	At         string
	Seed       string
	Places     int
	BatchLogs  []string
}

func newSimulateCmd(env Env) *cobra.Command {
	var o simulateOptions
	cmd := &cobra.Command{
		Use:   "simulate SCENARIO.toml [SCENARIO.toml...]",
		Short: "Simulate batch, caching, early cancel and model swaps on a described workload",
		Long: `simulate reads scenario files that describe a workload without logs
(requests per period, tokens per request, a model or explicit prices, the
latency class) and the levers to try: [batch], [cache], [cancel], [swap],
[time_value], [completion] and [sensitivity]. Every figure is exact decimal
arithmetic with the expression that computes it, and every assumption says
where it came from. See examples/README.md for the file format.`,
		Example: `  costaudit simulate examples/scenarios/002-cache-plus-batch.toml
  costaudit simulate --format xlsx -o what-if.xlsx my-workload.toml
  costaudit simulate --seed 7 --at 2026-06-01 my-workload.toml`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("simulate: give at least one scenario file (see examples/scenarios/)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Files = args
			formatFromOutput(cmd, &o.Format, o.Output)
			if err := checkScenarioFormat(o.Format, o.Output, o.Places); err != nil {
				return err
			}
			return runSimulate(env, o)
		},
	}
	f := cmd.Flags()
	bindFormatFlag(f, &o.Format, "table", scenarioFormats(), true)
	bindOutputFlag(f, &o.Output, "the results")
	f.StringArrayVar(&o.Pricebooks, "pricebook", nil, "extra price book `PATH` (a .toml file or a directory of them); repeatable, overrides the embedded books")
	f.StringVar(&o.At, "at", "", "price `DATE` (YYYY-MM-DD) for files without at (default: today, UTC)")
	f.StringVar(&o.Seed, "seed", "", "Monte Carlo `SEED`, overriding the files' completion.seed")
	bindPlacesFlag(f, &o.Places)
	f.StringArrayVar(&o.BatchLogs, "batch-logs", nil, "`PATH` of logs whose completed batch records (mode batch, billed, latency_ms above 0) calibrate [completion] (repeatable: files, dirs, globs)")
	return cmd
}

// batchHoursFromLogs reads logs and returns the completion times, in hours,
// of their batch records that simulate.CalibratesCompletion accepts, and
// the logs they came from.
func batchHoursFromLogs(env Env, paths []string) ([]float64, string, error) {
	inputs, err := audit.ExpandInputs(paths, env.Stdin)
	if err != nil {
		return nil, "", fmt.Errorf("--batch-logs: %w", err)
	}
	_, cs, err := audit.Scan(inputs, audit.ScanOptions{}, func() audit.Consumer { return &simulate.BatchHours{} })
	if err != nil {
		return nil, "", fmt.Errorf("--batch-logs: %w", err)
	}
	var bs []*simulate.BatchHours
	for _, c := range cs {
		bs = append(bs, c.(*simulate.BatchHours))
	}
	hours := simulate.MergeBatchHours(bs...)
	if len(hours) < 2 {
		return nil, "", fmt.Errorf("--batch-logs %s: %d completed batch records with latency_ms above 0; the completion model needs at least 2", strings.Join(paths, " "), len(hours))
	}
	return hours, strings.Join(paths, " "), nil
}

// simOptions turns the shared --at and --seed flags into simulate.Options.
func simOptions(env Env, at, seed string, cat *pricing.Catalog) (simulate.Options, *bookRecorder, error) {
	opt := simulate.Options{}
	if at != "" {
		t, err := time.Parse("2006-01-02", at)
		if err != nil {
			return opt, nil, usagef("--at %q: not a date (want YYYY-MM-DD)", at)
		}
		opt.At, opt.AtSource = t.UTC(), "flag --at"
	} else {
		now := env.Now().UTC()
		opt.At = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		opt.AtSource = "default: today"
	}
	if seed != "" {
		n, err := strconv.ParseUint(seed, 10, 63)
		if err != nil {
			return opt, nil, usagef("--seed %q: want a whole number from 0 to %d", seed, uint64(1<<62-1))
		}
		opt.Seed, opt.SeedSet = n, true
	}
	rec := &bookRecorder{inner: simulate.NewCatalogPricer(cat), used: map[string]bool{}}
	opt.Pricer = rec
	return opt, rec, nil
}

// bookRecorder remembers which price books a simulation used, so the
// report cites exactly those.
type bookRecorder struct {
	inner simulate.Pricer
	used  map[string]bool
}

func (b *bookRecorder) Prices(provider, model string, at time.Time, totalInput int64) (simulate.Prices, error) {
	p, err := b.inner.Prices(provider, model, at, totalInput)
	if err == nil && p.Book != "" {
		b.used[p.Book] = true
	}
	return p, err
}

// cite lists the used books of cat for the report, in load order.
func (b *bookRecorder) cite(cat *pricing.Catalog) []report.Pricebook {
	var out []report.Pricebook
	for _, bi := range cat.Books() {
		if b.used[bi.ID] {
			out = append(out, report.Pricebook{ID: bi.ID, Source: bi.Source, SHA256: bi.SHA256})
		}
	}
	return out
}

func readScenario(env Env, path string) ([]byte, error) {
	var r io.Reader
	if path == "-" {
		r = env.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("read scenario: %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxScenarioBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxScenarioBytes {
		return nil, fmt.Errorf("read %s: larger than %d bytes; is it a scenario file?", path, maxScenarioBytes)
	}
	return data, nil
}

func runSimulate(env Env, o simulateOptions) error {
	reads := append(append([]string(nil), o.Files...), o.Pricebooks...)
	if len(o.BatchLogs) > 0 {
		if ins, err := audit.ExpandInputs(o.BatchLogs, env.Stdin); err == nil {
			reads = append(reads, inputNames(ins)...)
		}
	}
	if err := refuseOverwrite(env, [][2]string{{"-o", o.Output}}, reads); err != nil {
		return err
	}
	cat, err := loadCatalog(o.Pricebooks)
	if err != nil {
		return err
	}
	opt, rec, err := simOptions(env, o.At, o.Seed, cat)
	if err != nil {
		return err
	}
	if len(o.BatchLogs) > 0 {
		if opt.ObservedBatchHours, opt.ObservedFrom, err = batchHoursFromLogs(env, o.BatchLogs); err != nil {
			return err
		}
		opt.ObservedRequired = true
	}
	rep := &report.Report{Kind: "simulate", SchemaVersion: report.SchemaVersion}
	for _, path := range o.Files {
		data, err := readScenario(env, path)
		if err != nil {
			return err
		}
		name := path
		if path == "-" {
			name = "stdin"
		}
		f, err := simulate.ParseFile(name, data)
		if err != nil {
			return err
		}
		sc, err := simulate.Run(f, opt)
		if err != nil {
			return err
		}
		rep.Scenarios = append(rep.Scenarios, sc)
	}
	rep.Pricebooks = rec.cite(cat)
	return renderReport(env, o.Output, rep, o.Format, render.Options{Places: o.Places})
}
