package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/aggregate/aggsql"
	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

// Engines of costaudit analyze --engine.
const (
	engineStreaming = "streaming"
	engineDuckDB    = "duckdb"
)

// scaleOptions are the analyze flags that read logs some other way than the
// streaming engine: an aggregate file, or DuckDB.
type scaleOptions struct {
	Aggregates []string
	Engine     string
	Reconcile  []string // provider cost reports (audit.ReadCostReport)
}

// cliAggHints name the flags that fix an aggregate row summed with other
// settings than the report's.
var cliAggHints = aggregate.Hints{
	GroupBy: "make the query with the same --group-by",
	TZ:      "sum the rows with the time zone you report in: costaudit sql --tz",
	Window:  "sum the rows with the same --since and --until: costaudit sql --since --until",
}

// active reports whether the flags ask for anything but the streaming
// engine over raw logs.
func (s *scaleOptions) active() bool {
	return len(s.Aggregates) > 0 || (s.Engine != "" && s.Engine != engineStreaming)
}

// bindScaleFlags registers --aggregates and --engine on cmd.
func bindScaleFlags(cmd *cobra.Command, o *scaleOptions) {
	f := cmd.Flags()
	f.StringArrayVar(&o.Aggregates, "aggregates", nil, "report from an aggregate `FILE` (CSV or JSONL, optionally .gz or .zst, as printed by the query of costaudit sql; - for stdin) instead of raw logs; repeatable, the files add up")
	f.StringVar(&o.Engine, "engine", engineStreaming, "`ENGINE` that reads the logs: streaming (built in), or duckdb (JSONL and Parquet; needs a binary built with -tags duckdb)")
	f.StringArrayVar(&o.Reconcile, "reconcile", nil, "compare the computed cost with a provider cost report `FILE` (OpenAI /v1/organization/costs or Anthropic /v1/organizations/cost_report pages, as saved from the API); repeatable")
}

// applyCostReports reads the --reconcile cost reports and adds their
// reconciliation rows and a note to rep.
func applyCostReports(rep *report.Report, cat *pricing.Catalog, files []string) error {
	var costs []audit.ProviderCost
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("--reconcile: %w", err)
		}
		c, err := audit.ReadCostReport(path, f)
		f.Close()
		if err != nil {
			return err
		}
		costs = append(costs, c...)
	}
	if len(files) == 0 {
		return nil
	}
	rows := audit.ReconcileCosts(rep, costs, cat)
	rep.Reconciliation = append(rep.Reconciliation, rows...)
	var billed decimal.Decimal
	for _, c := range costs {
		billed = billed.Add(c.CostUSD)
	}
	rep.Notes = append(rep.Notes, fmt.Sprintf("cost reports (%s) bill $%s; %d workflow/model pairs differ from the computed cost by more than 1%% (see reconciliation)",
		strings.Join(files, ", "), billed.String(), len(rows)))
	return nil
}

// runAnalyzeScaled builds the analyze report from an aggregate file or with
// the DuckDB engine, then renders it as runAnalyze does.
func runAnalyzeScaled(env Env, o *analyzeOptions, batchFromFlag bool) error {
	s := &o.scale
	switch s.Engine {
	case "", engineStreaming, engineDuckDB:
	default:
		return usagef("--engine %q: unknown (streaming or duckdb)", s.Engine)
	}
	if len(s.Aggregates) > 0 {
		if s.Engine == engineDuckDB {
			return usagef("--aggregates and --engine duckdb: give one (an aggregate file is already summed)")
		}
		if len(o.Inputs) > 0 {
			return usagef("--aggregates %s and log inputs %s: give one or the other", strings.Join(s.Aggregates, " "), strings.Join(o.Inputs, " "))
		}
		o.Inputs = s.Aggregates
	}
	for _, c := range []struct {
		flag string
		set  bool
	}{
		{"--format-in", o.FormatIn != ""},
		{"--workflow-key", o.WorkflowKey != ""},
		{"--strict", o.Strict},
		{"--rejects", o.Rejects != ""},
		{"--file-times", o.FileTimes},
	} {
		if c.set {
			return usagef("%s: not available with --aggregates or --engine duckdb (the aggregate query reads canonical records; map other fields in the query: costaudit sql --map)", c.flag)
		}
	}
	cfg, err := o.check()
	if err != nil {
		return err
	}
	reads := append([]string(nil), o.Inputs...)
	if o.WhatIf != "" {
		reads = append(reads, o.WhatIf)
	}
	if err := o.checkOutputs(env, reads); err != nil {
		return err
	}
	cat, err := loadCatalog(o.Pricebooks, o.Modifiers...)
	if err != nil {
		return err
	}
	aggOpts := aggregate.Options{TZ: cfg.tz, GroupBy: o.GroupBy, Since: cfg.since, Until: cfg.until}
	if cfg.rules != nil {
		aggOpts.TagKeys = cfg.rules.TagKeys()
	}
	agg := aggregate.New(cat, aggOpts)
	ld, err := aggregate.NewLoader(agg)
	if err != nil {
		return err
	}
	ld.Hints = cliAggHints
	if len(s.Aggregates) > 0 {
		ld.SetInputs(len(s.Aggregates), map[string]int64{aggregateFormat: int64(len(s.Aggregates))})
		for _, path := range s.Aggregates {
			if err = loadAggregateFile(env, path, ld); err != nil {
				break
			}
		}
	} else {
		err = runDuckDBEngine(o, cat, aggOpts, ld)
	}
	if err != nil {
		return err
	}
	var notes []string
	if missing := ld.MissingTagKeys(); len(missing) > 0 && len(s.Aggregates) > 0 {
		notes = append(notes, fmt.Sprintf("the aggregate file counts no tag %s: rules or group-by keys on it match nothing unless the query is made with costaudit sql --tag-key %s",
			strings.Join(missing, ", "), strings.Join(missing, " --tag-key ")))
	}
	rep, err := audit.BuildReport(agg, audit.FileStats(ld.Coverage()), cat, audit.BuildOptions{
		Rules:                cfg.rules,
		BatchClasses:         cfg.batchClasses,
		BatchClassesFromFlag: batchFromFlag,
		Notes:                notes,
		MaxWorkflows:         o.MaxWorkflows,
	})
	if err != nil {
		return err
	}
	if err := applyCostReports(rep, cat, s.Reconcile); err != nil {
		return err
	}
	citeConfig(rep.Assumptions, o.configFrom)
	if o.WhatIf != "" {
		// Aggregates carry no per-request batch completion times or prefix
		// counts: the cache lever applies its rule to the lines' totals.
		if err := applyWhatIfWith(rep, cat, o.WhatIf, whatIfLogs{}); err != nil {
			return err
		}
	}
	top := o.Top
	if top == 0 {
		top = -1
	}
	return renderReport(env, o.Output, rep, o.Format, render.Options{TopN: top, GroupBy: o.GroupBy})
}

// aggregateFormat is the coverage format name of an aggregate file.
const aggregateFormat = "aggregates"

// loadAggregateFile reads an aggregate file (or - for stdin; .gz and .zst
// are decompressed) into ld.
func loadAggregateFile(env Env, path string, ld *aggregate.Loader) error {
	var r io.Reader
	if path == "-" {
		if env.Stdin == nil {
			return usagef("--aggregates -: no standard input")
		}
		r = env.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("--aggregates: %w", err)
		}
		defer f.Close()
		r = f
		switch {
		case strings.HasSuffix(path, ".gz"):
			zr, err := gzip.NewReader(f)
			if err != nil {
				return fmt.Errorf("read %s: %w", path, err)
			}
			defer zr.Close()
			r = zr
		case strings.HasSuffix(path, ".zst"):
			zr, err := zstd.NewReader(f)
			if err != nil {
				return fmt.Errorf("read %s: %w", path, err)
			}
			defer zr.Close()
			r = zr
		}
	}
	return aggregate.ReadFile(path, r, ld.Add)
}

// runDuckDBEngine reads the logs with DuckDB into ld.
func runDuckDBEngine(o *analyzeOptions, cat *pricing.Catalog, opts aggregate.Options, ld *aggregate.Loader) error {
	th, err := aggsql.LongContextThresholds(cat)
	if err != nil {
		return err
	}
	q := aggsql.Options{Thresholds: th, TagKeys: opts.TagKeys, GroupBy: opts.GroupBy, TZ: opts.TZ.String(), Since: opts.Since, Until: opts.Until}
	return duckDBAggregate(context.Background(), o.Inputs, q, o.Workers, ld)
}
