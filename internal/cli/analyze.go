package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	_ "time/tzdata" // --tz works the same on machines without a zoneinfo database

	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/audit/decode"
	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
	"github.com/costaudit/costaudit/simulate"
)

// scanOptions are the flags shared by the commands that read logs (analyze,
// classify): where the logs are, how to decode them, how to price and
// aggregate them.
type scanOptions struct {
	Inputs       []string
	Pricebooks   []string
	Modifiers    []string
	FormatIn     string
	WorkflowKey  string
	Strict       bool
	Rejects      string
	Workers      int
	TZ           string
	Since, Until string
	GroupBy      []string
	BatchClasses []string
	Rules        string
	NoProgress   bool
	// configFrom maps a flag to the costaudit.toml line that set it.
	configFrom   map[string]string
	FileTimes    bool
	MaxWorkflows int

	// outPath is the -o file of the command, checked against the inputs
	// (not a flag of its own).
	outPath string
}

// readPaths lists the files the scan reads besides the logs, which no
// output may overwrite.
func (o *scanOptions) readPaths() []string {
	paths := append([]string(nil), o.Pricebooks...)
	if o.Rules != "" {
		paths = append(paths, o.Rules)
	}
	return paths
}

// checkOutputs refuses an -o or --rejects file that is one of inputs (or
// a file the scan reads), or -o and --rejects naming one file.
func (o *scanOptions) checkOutputs(env Env, inputs []string) error {
	if o.Rejects != "" && o.outPath != "" && o.outPath != "-" {
		if a, err := os.Stat(o.Rejects); err == nil {
			if b, err := os.Stat(o.outPath); err == nil && os.SameFile(a, b) {
				return usagef("--rejects %s and -o %s name the same file; give each its own", o.Rejects, o.outPath)
			}
		}
		if filepath.Clean(o.Rejects) == filepath.Clean(o.outPath) {
			return usagef("--rejects %s and -o %s name the same file; give each its own", o.Rejects, o.outPath)
		}
	}
	return refuseOverwrite(env, [][2]string{{"-o", o.outPath}, {"--rejects", o.Rejects}}, append(inputs, o.readPaths()...))
}

// analyzeOptions are the flags of costaudit analyze.
type analyzeOptions struct {
	scanOptions
	Format string
	Output string
	WhatIf string
	Top    int
	scale  scaleOptions // --aggregates, --engine (analyze_aggregates.go)
	Pack   bool
	pack   packFlags // --pack, --deadline, --every, --replays, --seed (route.go)
}

// bindScanFlags registers the log-reading flags on cmd. withGrouping adds
// the flags that only shape the full report (--group-by, --batch-classes).
func bindScanFlags(cmd *cobra.Command, o *scanOptions, withGrouping bool) {
	f := cmd.Flags()
	f.StringArrayVar(&o.Pricebooks, "pricebook", nil, "price book `PATH` (a .toml file or a directory of them) loaded after the embedded books; repeatable, later books override earlier ones")
	f.StringArrayVar(&o.Modifiers, "modifier", nil, "price every request with the book modifier `NAME` switched on, e.g. us-only (Anthropic US-only inference, 1.1x) or fast (fast mode); repeatable")
	f.StringVar(&o.FormatIn, "format-in", "", "force the input `FORMAT` for every file instead of detecting it ("+strings.Join(decode.Formats(), ", ")+")")
	f.StringVar(&o.WorkflowKey, "workflow-key", "", "take the workflow name from this `FIELD`: a field (team), a tag (tags.feature) or a dotted path (metadata.job)")
	f.BoolVar(&o.Strict, "strict", false, "stop at the first rejected line with exit code 1 instead of counting it")
	f.StringVar(&o.Rejects, "rejects", "", "write the raw rejected lines to `FILE`")
	f.IntVar(&o.Workers, "workers", 0, "decode with `N` goroutines (0: one per CPU)")
	f.StringVar(&o.TZ, "tz", "UTC", "IANA time `ZONE` of calendar days, business hours and date-only --since/--until")
	f.StringVar(&o.Since, "since", "", "only records at or after `TIME` (a date such as 2026-06-01 in --tz, or RFC 3339)")
	f.StringVar(&o.Until, "until", "", "only records before `TIME`; a date includes that whole day")
	f.StringVar(&o.Rules, "rules", "", "classification rules `FILE` (TOML); the first matching rule decides a workflow's class")
	f.BoolVar(&o.NoProgress, "no-progress", false, "never draw a progress bar")
	f.BoolVar(&o.FileTimes, "file-times", false, "count records that carry no timestamp (Anthropic responses and batch results), dated by their file's modification time, in the window, the projection and the cadence evidence")
	f.IntVar(&o.MaxWorkflows, "max-workflows", audit.DefaultMaxWorkflows, "list the `N` costliest workflows one by one and fold the others into one row per class with exact sums, bounding memory (0: list all)")
	if withGrouping {
		f.StringArrayVar(&o.GroupBy, "group-by", nil, "also sum spend by `KEY`: team or tag:NAME; repeatable")
		f.StringSliceVar(&o.BatchClasses, "batch-classes", nil, "latency `CLASSES` the batch what-if moves to batch (default scheduled; add near-realtime with scheduled,near-realtime)")
	}
}

// scanConfig is scanOptions validated and resolved.
type scanConfig struct {
	tz           *time.Location
	since, until time.Time
	rules        *classify.Rules
	batchClasses []string
}

// check validates the flags that are usage errors when wrong (exit 2).
func (o *scanOptions) check() (*scanConfig, error) {
	if len(o.Inputs) == 0 {
		return nil, &UsageError{Err: errNoInput}
	}
	if o.MaxWorkflows < 0 {
		return nil, usagef("--max-workflows %d: want 0 (all) or more", o.MaxWorkflows)
	}
	if o.Workers < 0 {
		return nil, usagef("--workers %d: want 0 (one per CPU) or more", o.Workers)
	}
	cfg := &scanConfig{}
	tz, err := time.LoadLocation(o.TZ)
	if err != nil || o.TZ == "" {
		return nil, usagef("--tz %q: unknown time zone (use an IANA name such as UTC or Europe/Paris)", o.TZ)
	}
	cfg.tz = tz
	if cfg.since, err = parseTimeFlag("since", o.Since, tz, false); err != nil {
		return nil, err
	}
	if cfg.until, err = parseTimeFlag("until", o.Until, tz, true); err != nil {
		return nil, err
	}
	if !cfg.since.IsZero() && !cfg.until.IsZero() && !cfg.until.After(cfg.since) {
		return nil, usagef("--until %s is not after --since %s", o.Until, o.Since)
	}
	if err := aggregate.CheckGroupBy(o.GroupBy); err != nil {
		return nil, &UsageError{Err: fmt.Errorf("--%w", err)}
	}
	for _, c := range o.BatchClasses {
		c = strings.TrimSpace(c)
		if _, err := classify.ParseClass(c); err != nil {
			return nil, usagef("--batch-classes: %w", err)
		}
		if c == classify.Realtime {
			return nil, usagef("--batch-classes realtime: a human waits for realtime work; batch only scheduled or near-realtime")
		}
		cfg.batchClasses = append(cfg.batchClasses, c)
	}
	if o.FormatIn != "" {
		known := decode.Formats()
		ok := false
		for _, f := range known {
			ok = ok || f == o.FormatIn
		}
		if !ok {
			return nil, usagef("--format-in %q: unknown format (use one of %s)", o.FormatIn, strings.Join(known, ", "))
		}
	}
	if o.Rules != "" {
		data, err := os.ReadFile(o.Rules)
		if err != nil {
			return nil, fmt.Errorf("--rules: %w", err)
		}
		if cfg.rules, err = classify.ParseRules(o.Rules, data); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// parseTimeFlag reads --since or --until: a date (midnight in tz; for
// --until the end of that day, so the day is included) or an RFC 3339 time.
func parseTimeFlag(name, v string, tz *time.Location, endOfDay bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, tz); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("--%s %q: want a date such as 2026-06-01 or an RFC 3339 time such as 2026-06-01T09:30:00Z", name, v)
}

// scanResult is what reading and pricing the logs produced.
type scanResult struct {
	rep *report.Report
	cat *pricing.Catalog
	// whatIf holds what a what-if over the logs measures in them;
	// collected only when asked for.
	whatIf whatIfLogs
	// agg is the merged aggregate: the per-workflow arrival evidence that
	// costaudit route replays through its batch packer.
	agg *aggregate.Aggregator
}

// whatIfScan says what a what-if file needs measured during the scan.
type whatIfScan struct {
	// prefix is the file's cache.prefix_tokens, 0 without a cache lever.
	prefix int64
}

// batchTimer is the per-worker measuring consumer of a what-if scan
// (audit.AnalyzeConfig.Measure): it keeps the completion times of the batch
// requests that calibrate the what-if completion model
// (simulate.CalibratesCompletion, inside --since/--until) and, with a cache
// lever, counts new prefix tokens.
type batchTimer struct {
	hours  simulate.BatchHours
	prefix *simulate.PrefixTokens // nil without a cache lever
}

// Consume records r's completion time when it is a completed batch request
// that logged one, and counts its new prefix tokens.
func (b *batchTimer) Consume(r *audit.Record) {
	b.hours.Consume(r)
	if b.prefix != nil {
		b.prefix.Consume(r)
	}
}

// scanAndBuild runs the pipeline: load the price books, expand the inputs
// and hand them to audit.Analyze (decode in parallel, aggregate, merge,
// classify, price, build the report). With wantBatchHours it also collects the completion
// times of batch requests for the what-if completion-risk model.
func scanAndBuild(env Env, o *scanOptions, cfg *scanConfig, batchFromFlag, wantBatchHours bool) (*scanResult, error) {
	var wi *whatIfScan
	if wantBatchHours {
		wi = &whatIfScan{}
	}
	return scanAndBuildWhatIf(env, o, cfg, batchFromFlag, wi)
}

// scanAndBuildWhatIf is scanAndBuild that, with wi, also measures what a
// what-if over the logs needs: the completion times of batch requests, and
// the new prefix tokens per request of a cache lever.
func scanAndBuildWhatIf(env Env, o *scanOptions, cfg *scanConfig, batchFromFlag bool, wi *whatIfScan) (*scanResult, error) {
	cat, err := loadCatalog(o.Pricebooks, o.Modifiers...)
	if err != nil {
		return nil, err
	}
	inputs, err := audit.ExpandInputs(o.Inputs, env.Stdin)
	if err != nil {
		return nil, err
	}
	if err := o.checkOutputs(env, inputNames(inputs)); err != nil {
		return nil, err
	}
	var total int64
	for _, in := range inputs {
		if in.Size < 0 {
			total = -1
			break
		}
		total += in.Size
	}
	acfg := audit.AnalyzeConfig{
		Catalog:   cat,
		Aggregate: aggregate.Options{TZ: cfg.tz, GroupBy: o.GroupBy, Since: cfg.since, Until: cfg.until, FileTimes: o.FileTimes},
		Build: audit.BuildOptions{
			Rules:                cfg.rules,
			BatchClasses:         cfg.batchClasses,
			BatchClassesFromFlag: batchFromFlag,
			MaxWorkflows:         o.MaxWorkflows,
		},
	}
	if wi != nil {
		acfg.Measure = func() audit.Consumer {
			bt := &batchTimer{hours: simulate.BatchHours{Since: cfg.since, Until: cfg.until}}
			if wi.prefix > 0 {
				bt.prefix = simulate.NewPrefixTokens(cat, wi.prefix, cfg.since, cfg.until)
			}
			return bt
		}
	}
	analyze := func(rejects io.Writer) (*audit.Analysis, error) {
		progress, done := newProgress(env, total, o.NoProgress)
		defer done()
		acfg.Scan = audit.ScanOptions{
			FormatIn:    o.FormatIn,
			WorkflowKey: o.WorkflowKey,
			Strict:      o.Strict,
			Workers:     o.Workers,
			Rejects:     rejects,
			Progress:    progress,
		}
		return audit.Analyze(context.Background(), inputs, acfg)
	}
	var an *audit.Analysis
	if o.Rejects != "" {
		err = writeAtomic(o.Rejects, func(w io.Writer) error {
			var aerr error
			an, aerr = analyze(w)
			return aerr
		})
	} else {
		an, err = analyze(nil)
	}
	if err != nil {
		return nil, err
	}
	for _, name := range an.Stats.EmptyFiles {
		if name == "-" {
			fmt.Fprintln(env.Stderr, "costaudit: warning: standard input is empty: it holds no log line")
			continue
		}
		fmt.Fprintf(env.Stderr, "costaudit: warning: %s is empty: it holds no log line\n", name)
	}
	for _, w := range an.Stats.Warnings {
		fmt.Fprintf(env.Stderr, "costaudit: warning: %s\n", w)
	}
	res := &scanResult{cat: cat, rep: an.Report, agg: an.Aggregate}
	if wi != nil {
		var timers []*simulate.BatchHours
		var prefixes []*simulate.PrefixTokens
		for _, m := range an.Measures {
			bt := m.(*batchTimer)
			timers = append(timers, &bt.hours)
			if bt.prefix != nil {
				prefixes = append(prefixes, bt.prefix)
			}
		}
		res.whatIf = whatIfLogs{batchHours: simulate.MergeBatchHours(timers...), from: strings.Join(o.Inputs, " "), prefix: simulate.MergePrefixTokens(prefixes...)}
	}
	citeConfig(res.rep.Assumptions, o.configFrom)
	return res, nil
}

func newAnalyzeCmd(env Env) *cobra.Command {
	o := &analyzeOptions{}
	cmd := &cobra.Command{
		Use:   "analyze PATH...",
		Short: "Audit LLM request logs: spend, latency classes, batch savings",
		Long: `analyze reads request logs (files, directories, globs, or - for stdin; JSONL,
JSON, CSV, optionally .gz/.zst; canonical, OpenAI, Anthropic, OTel GenAI,
LiteLLM and Claude Code formats detected per file), classifies each workflow
realtime / near-realtime / scheduled with evidence, prices every request with
versioned price books and shows what moving the work nobody waits for to
batch delivery would save.

Every input line is accounted for: a priced, unbilled or unpriced record, a
duplicate, a skipped line or a rejection. Exit codes: 0 ok, 1 a failure
(unreadable input, or a rejected line under --strict), 2 a usage error.`,
		Example: `  costaudit analyze examples/logs/canonical.jsonl
  costaudit analyze --format json -o report.json logs/
  costaudit analyze --since 2026-06-01 --until 2026-06-07 --group-by team 'logs/*.jsonl.gz'
  zcat big.jsonl.gz | costaudit analyze --format csv -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Inputs, o.configFrom = configInputs(cmd, args), stateOf(cmd).from
			formatFromOutput(cmd, &o.Format, o.Output)
			return runAnalyze(env, o, cmd.Flags().Changed("batch-classes"))
		},
	}
	bindScanFlags(cmd, &o.scanOptions, true)
	bindScaleFlags(cmd, &o.scale)
	f := cmd.Flags()
	bindFormatFlag(f, &o.Format, "table", render.Formats(), true)
	bindOutputFlag(f, &o.Output, "the report")
	f.IntVar(&o.Top, "top", render.DefaultTopN, "rank `N` workflows on the first screen (0: all)")
	f.StringVar(&o.WhatIf, "what-if", "", "apply the what-if scenario `FILE` (TOML) to the audited workflows and add its figures to the report")
	f.BoolVar(&o.Pack, "pack", false, "replay each batch-eligible workflow's arrivals through the batch packer and add its table (also on with --deadline)")
	bindPackFlags(cmd, &o.pack)
	return cmd
}

// runAnalyze validates the options and writes the report.
func runAnalyze(env Env, o *analyzeOptions, batchFromFlag bool) error {
	if err := checkFormat(o.Format, nil); err != nil {
		return err
	}
	if err := checkOutputName(o.Output, o.Format); err != nil {
		return err
	}
	o.outPath = o.Output
	if o.Top < 0 {
		return usagef("--top %d: want 0 (all) or more", o.Top)
	}
	deadline, err := o.pack.check()
	if err != nil {
		return err
	}
	pack := o.Pack || deadline > 0
	if o.scale.active() {
		if pack {
			return usagef("--pack and --deadline replay the arrivals of log records: not available with --aggregates or --engine")
		}
		return runAnalyzeScaled(env, o, batchFromFlag)
	}
	cfg, err := o.check()
	if err != nil {
		return err
	}
	// The what-if file is read before the scan: a mistake in it fails
	// fast, and the scan measures what its levers need.
	var wf *simulate.File
	var wi *whatIfScan
	if o.WhatIf != "" {
		if _, err := os.Stat(o.WhatIf); err != nil {
			return fmt.Errorf("--what-if: %w", err)
		}
		if err := refuseOverwrite(env, [][2]string{{"-o", o.Output}, {"--rejects", o.Rejects}}, []string{o.WhatIf}); err != nil {
			return err
		}
		if wf, err = readWhatIf(o.WhatIf); err != nil {
			return err
		}
		wi = &whatIfScan{}
		if c := wf.Cache; c != nil && c.PrefixTokens.Set && c.PrefixTokens.D.IsInteger() {
			wi.prefix = c.PrefixTokens.D.IntPart()
		}
	}
	if pack && wi == nil {
		wi = &whatIfScan{}
	}
	res, err := scanAndBuildWhatIf(env, &o.scanOptions, cfg, batchFromFlag, wi)
	if err != nil {
		return err
	}
	if err := applyCostReports(res.rep, res.cat, o.scale.Reconcile); err != nil {
		return err
	}
	if pack {
		p, err := buildPolicy(res, &o.pack, deadline)
		if err != nil {
			return err
		}
		res.rep.Packing = simulate.PackingOf(p, res.rep.Window.Days)
	}
	if wf != nil {
		if err := applyWhatIfFile(res.rep, res.cat, wf, res.whatIf); err != nil {
			return err
		}
	}
	top := o.Top
	if top == 0 {
		top = -1
	}
	return renderReport(env, o.Output, res.rep, o.Format, render.Options{TopN: top, GroupBy: o.GroupBy})
}
