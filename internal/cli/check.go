package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/report"
)

// checkOptions are the flags of costaudit check. Budgets are kept as the
// text given and parsed exactly as decimals.
type checkOptions struct {
	scanOptions
	MaxBatchableUSD      string
	MaxBatchableShare    string
	MaxUnclassifiedShare string
	MaxUnpricedShare     string
	Baseline             string
	MaxIncrease          string
	MinUSD               string
	Summary              string
	Report               string
	// stepSummary is $GITHUB_STEP_SUMMARY: a file the summary is appended to.
	stepSummary string
	// label names where a flag's value came from, for error messages.
	label func(flag string) string
}

// stepSummaryEnv is the variable GitHub Actions sets to the file whose
// Markdown it shows on the run's summary page; steps append to it.
// https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary
const stepSummaryEnv = "GITHUB_STEP_SUMMARY"

func newCheckCmd(env Env) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check PATH... [--max-batchable-usd N] [--max-batchable-share P] [--max-unclassified-share P] [--max-unpriced-share P] [--baseline last.json --max-increase P]",
		Short: "Fail (exit 1) when spend breaks a budget: for CI and scheduled jobs",
		Long: `check audits request logs like analyze and holds the result to budgets:

  --max-batchable-usd N       batch savings left on the table, in USD: the sum of
                              the positive batch savings of the workflows eligible
                              for batch (the classes of --batch-classes, default
                              scheduled, on a provider with a batch API)
  --max-batchable-share P     the same as a share of total priced spend
  --max-unclassified-share P  spend of workflows with no class evidence (assumed
                              realtime) as a share of total priced spend
  --max-unpriced-share P      records whose model no price book knows, as a share
                              of all records (they have no cost to share)
  --baseline FILE --max-increase P
                              spend per day of the window against a saved JSON
                              report (last month's), as a relative increase

Shares are decimals (0.05) or percentages (5%). A budget holds when its
measure is at most the limit; all arithmetic is exact. With every budget
held, check prints one line and exits 0; otherwise it prints one line per
broken budget and exits 1. It writes a Markdown summary for a pull-request
comment to --summary FILE, and appends it to $GITHUB_STEP_SUMMARY when that
is set (GitHub Actions). Exit codes: 0 every budget held, 1 a budget broken
or a failure, 2 a usage error.`,
		Example: `  costaudit check --max-batchable-share 0.05 --max-unclassified-share 0.2 logs/
  costaudit check --baseline 2026-05.json --max-increase 25% --report 2026-06.json logs/2026-06/
  costaudit check --config ci/costaudit.toml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Inputs = configInputs(cmd, args)
			o.configFrom = stateOf(cmd).from
			o.label = func(flag string) string { return flagLabel(cmd, flag) }
			o.stepSummary = getenv(env, stepSummaryEnv)
			return runCheck(env, o, cmd.Flags().Changed("batch-classes"))
		},
	}
	bindScanFlags(cmd, &o.scanOptions, true)
	f := cmd.Flags()
	f.StringVar(&o.MaxBatchableUSD, "max-batchable-usd", "", "budget: at most `N` USD of batch savings left on the table")
	f.StringVar(&o.MaxBatchableShare, "max-batchable-share", "", "budget: batch savings at most `P` of total spend (0.05 or 5%)")
	f.StringVar(&o.MaxUnclassifiedShare, "max-unclassified-share", "", "budget: spend of workflows with no class evidence at most `P` of total spend")
	f.StringVar(&o.MaxUnpricedShare, "max-unpriced-share", "", "budget: records no price book knows at most `P` of all records")
	f.StringVar(&o.Baseline, "baseline", "", "a saved JSON report `FILE` (last month's) to compare spend with; needs --max-increase")
	f.StringVar(&o.MaxIncrease, "max-increase", "", "budget: spend per day at most `P` above --baseline's (0.25 or 25%)")
	f.StringVar(&o.MinUSD, "min-usd", "0", "with --baseline, list a workflow as a driver only when its spend per 30 days changed by at least `N` USD")
	f.StringVar(&o.Summary, "summary", "", "write the Markdown summary to `FILE` (atomically; - for stdout)")
	f.StringVar(&o.Report, "report", "", "also write the JSON report to `FILE`, to serve as next run's --baseline")
	return cmd
}

// getenv reads an environment variable through env (none when env has no
// Getenv).
func getenv(env Env, name string) string {
	if env.Getenv != nil {
		return env.Getenv(name)
	}
	return ""
}

var (
	one        = decimal.NewFromInt(1)
	thirty     = decimal.NewFromInt(30)
	errBudgets = errors.New("budget exceeded")
)

// parseShare reads a share: a decimal between 0 and 1 (0.05) or a
// percentage (5%). A bare number above 1 is refused rather than guessed to
// be a percentage.
func parseShare(label, v string) (decimal.Decimal, error) {
	s := strings.TrimSpace(v)
	pct := strings.HasSuffix(s, "%")
	d, err := decimal.NewFromString(strings.TrimSpace(strings.TrimSuffix(s, "%")))
	if err != nil {
		return decimal.Zero, usagef("%s %q: want a share such as 0.05 or 5%%", label, v)
	}
	if pct {
		d = d.Div(hundred)
	}
	if d.IsNegative() || (!pct && d.GreaterThan(one)) {
		return decimal.Zero, usagef("%s %q: want a share between 0 and 1 (0.05) or a percentage (5%%)", label, v)
	}
	return d, nil
}

// parseIncrease reads a relative increase: 0.25 or 25%; above 1 (100%) is
// allowed as a percentage or a decimal.
func parseIncrease(label, v string) (decimal.Decimal, error) {
	s := strings.TrimSpace(v)
	pct := strings.HasSuffix(s, "%")
	d, err := decimal.NewFromString(strings.TrimSpace(strings.TrimSuffix(s, "%")))
	if err != nil || d.IsNegative() {
		return decimal.Zero, usagef("%s %q: want a relative increase such as 0.25 or 25%%", label, v)
	}
	if pct {
		d = d.Div(hundred)
	}
	return d, nil
}

// parseUSD reads a non-negative amount of USD.
func parseUSD(label, v string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(strings.TrimPrefix(strings.TrimSpace(v), "$"))
	if err != nil || d.IsNegative() {
		return decimal.Zero, usagef("%s %q: want an amount of USD such as 25 or 0.50", label, v)
	}
	return d, nil
}

// budgetLimits are the validated budgets; nil means not set.
type budgetLimits struct {
	BatchableUSD, BatchableShare, UnclassifiedShare, UnpricedShare, Increase *decimal.Decimal
	MinUSD                                                                   decimal.Decimal
}

func (o *checkOptions) limits() (*budgetLimits, error) {
	label := o.label
	l := &budgetLimits{}
	set := func(dst **decimal.Decimal, flag, v string, parse func(string, string) (decimal.Decimal, error)) error {
		if v == "" {
			return nil
		}
		d, err := parse(label(flag), v)
		if err != nil {
			return err
		}
		*dst = &d
		return nil
	}
	if err := set(&l.BatchableUSD, "max-batchable-usd", o.MaxBatchableUSD, parseUSD); err != nil {
		return nil, err
	}
	if err := set(&l.BatchableShare, "max-batchable-share", o.MaxBatchableShare, parseShare); err != nil {
		return nil, err
	}
	if err := set(&l.UnclassifiedShare, "max-unclassified-share", o.MaxUnclassifiedShare, parseShare); err != nil {
		return nil, err
	}
	if err := set(&l.UnpricedShare, "max-unpriced-share", o.MaxUnpricedShare, parseShare); err != nil {
		return nil, err
	}
	if err := set(&l.Increase, "max-increase", o.MaxIncrease, parseIncrease); err != nil {
		return nil, err
	}
	minUSD, err := parseUSD(label("min-usd"), o.MinUSD)
	if err != nil {
		return nil, err
	}
	l.MinUSD = minUSD
	switch {
	case o.Baseline != "" && l.Increase == nil:
		return nil, usagef("%s %s: give the budget with --max-increase P (0.25 or 25%%)", label("baseline"), o.Baseline)
	case o.Baseline == "" && l.Increase != nil:
		return nil, usagef("%s %s: give the report to compare with, --baseline FILE", label("max-increase"), o.MaxIncrease)
	}
	if l.BatchableUSD == nil && l.BatchableShare == nil && l.UnclassifiedShare == nil && l.UnpricedShare == nil && l.Increase == nil {
		return nil, usagef("check: no budget: give at least one of --max-batchable-usd, --max-batchable-share, --max-unclassified-share, --max-unpriced-share, --baseline with --max-increase (or set them in [check] of costaudit.toml)")
	}
	return l, nil
}

func runCheck(env Env, o *checkOptions, batchFromFlag bool) error {
	if o.label == nil {
		o.label = func(flag string) string { return "--" + flag }
	}
	limits, err := o.limits()
	if err != nil {
		return err
	}
	cfg, err := o.check()
	if err != nil {
		return err
	}
	var base *report.Report
	if o.Baseline != "" {
		if base, err = readReportFile(env, o.Baseline); err != nil {
			return fmt.Errorf("%s: %w", o.label("baseline"), err)
		}
		if base.Kind != "analyze" {
			return fmt.Errorf("%s %s: a %s report holds no audited spend; give a report written by analyze --format json or check --report", o.label("baseline"), o.Baseline, base.Kind)
		}
	}
	res, err := scanAndBuild(env, &o.scanOptions, cfg, batchFromFlag, false)
	if err != nil {
		return err
	}
	rep := res.rep
	if o.Report != "" {
		if err := renderReport(env, o.Report, rep, "json", render.Options{TopN: render.DefaultTopN, GroupBy: o.GroupBy}); err != nil {
			return err
		}
	}
	if rep.Coverage.Records == 0 {
		return fmt.Errorf("check: the input holds no record (%s lines read): there is nothing to hold to a budget; is it the right export?", render.Count(rep.Coverage.Lines))
	}
	verdict := evaluateBudgets(rep, limits, base, o.Baseline)
	for i := range verdict.Budgets {
		verdict.Budgets[i].Source = o.label(verdict.Budgets[i].Flag)
	}
	md := checkMarkdown(rep, verdict)
	if o.Summary != "" {
		if err := writeOutput(env, o.Summary, func(w io.Writer) error { _, err := w.Write(md); return err }); err != nil {
			return err
		}
	}
	if o.stepSummary != "" {
		if err := appendFile(o.stepSummary, md); err != nil {
			return fmt.Errorf("$%s: %w", stepSummaryEnv, err)
		}
	}
	_, err = io.WriteString(env.Stdout, checkText(rep, verdict))
	if err != nil {
		return err
	}
	if n := verdict.broken(); n > 0 {
		return fmt.Errorf("%w: %d of %s", errBudgets, n, plural(len(verdict.Budgets), "budget"))
	}
	return nil
}

// appendFile appends data to path, creating it when missing, as GitHub
// Actions expects of $GITHUB_STEP_SUMMARY.
func appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// budgetResult is one budget held against the report.
type budgetResult struct {
	Name string // "batchable spend"
	Flag string // "max-batchable-usd"
	// Source names where the limit came from: "--max-batchable-usd" or
	// "costaudit.toml:12 (check.max_batchable_usd)"; "" means the flag.
	Source string
	Held   bool
	Value  string // the measure as people read it ("$0.08", "10.38%")
	Limit  string // the limit as people read it ("$25.00", "5%")
	// Why explains a broken budget in one line: what, how much, where.
	Why string
}

func (b budgetResult) source() string {
	if b.Source == "" {
		return "--" + b.Flag
	}
	return b.Source
}

// checkResult is every budget held against the report, with the figures
// the summary details.
type checkResult struct {
	Budgets      []budgetResult
	Batchable    []report.Workflow // eligible workflows with positive savings, largest first
	BatchableUSD decimal.Decimal
	Unclassified []report.Workflow // largest first
	UnclassUSD   decimal.Decimal
	Baseline     string
	Changes      []changeFlag
	Rate         rateCompare
	BaseRep      *report.Report
}

func (c *checkResult) broken() int {
	n := 0
	for _, b := range c.Budgets {
		if !b.Held {
			n++
		}
	}
	return n
}

// batchable returns the workflows eligible for batch whose batch savings
// are positive, largest saving first, and the sum of those savings.
func batchable(rep *report.Report) ([]report.Workflow, decimal.Decimal) {
	var ws []report.Workflow
	sum := decimal.Zero
	for _, w := range rep.Workflows {
		if w.WhatIf.Eligible && w.WhatIf.SavingsUSD.IsPositive() {
			ws = append(ws, w)
			sum = sum.Add(w.WhatIf.SavingsUSD)
		}
	}
	sort.SliceStable(ws, func(i, j int) bool {
		if c := ws[i].WhatIf.SavingsUSD.Cmp(ws[j].WhatIf.SavingsUSD); c != 0 {
			return c > 0
		}
		return ws[i].Workflow < ws[j].Workflow
	})
	return ws, sum
}

// unclassified returns the workflows without class evidence (assumed
// realtime), costliest first, and their cost.
func unclassified(rep *report.Report) ([]report.Workflow, decimal.Decimal) {
	var ws []report.Workflow
	sum := decimal.Zero
	for _, w := range rep.Workflows {
		if len(w.Evidence) > 0 && w.Evidence[0] == classify.Unclassified {
			ws = append(ws, w)
			sum = sum.Add(w.CostUSD)
		}
	}
	sort.SliceStable(ws, func(i, j int) bool {
		if c := ws[i].CostUSD.Cmp(ws[j].CostUSD); c != 0 {
			return c > 0
		}
		return ws[i].Workflow < ws[j].Workflow
	})
	return ws, sum
}

// evaluateBudgets holds rep to every budget that is set. Each comparison
// is exact: a share part/whole ≤ P is tested as part ≤ P × whole.
func evaluateBudgets(rep *report.Report, l *budgetLimits, base *report.Report, basePath string) *checkResult {
	res := &checkResult{Baseline: basePath, BaseRep: base}
	res.Batchable, res.BatchableUSD = batchable(rep)
	res.Unclassified, res.UnclassUSD = unclassified(rep)
	total := rep.Totals.CostUSD
	names := func(ws []report.Workflow, val func(report.Workflow) decimal.Decimal) string {
		var parts []string
		for i, w := range ws {
			if i == 3 {
				parts = append(parts, fmt.Sprintf("and %d more", len(ws)-3))
				break
			}
			parts = append(parts, fmt.Sprintf("%s %s", render.Clean(w.Workflow), render.USD(val(w), 2)))
		}
		return strings.Join(parts, ", ")
	}
	savings := func(w report.Workflow) decimal.Decimal { return w.WhatIf.SavingsUSD }
	cost := func(w report.Workflow) decimal.Decimal { return w.CostUSD }
	if l.BatchableUSD != nil {
		b := budgetResult{Name: "batchable spend", Flag: "max-batchable-usd", Held: !res.BatchableUSD.GreaterThan(*l.BatchableUSD)}
		b.Value, b.Limit = usdPair(res.BatchableUSD, *l.BatchableUSD)
		if !b.Held {
			b.Why = fmt.Sprintf("batch delivery would save %s on %s that nobody waits for: %s", b.Value, plural(len(res.Batchable), "workflow"), names(res.Batchable, savings))
		}
		res.Budgets = append(res.Budgets, b)
	}
	if l.BatchableShare != nil {
		b := budgetResult{Name: "batchable share", Flag: "max-batchable-share", Held: !res.BatchableUSD.GreaterThan(l.BatchableShare.Mul(total))}
		b.Value, b.Limit = sharePair(res.BatchableUSD, total, *l.BatchableShare)
		if !b.Held {
			b.Why = fmt.Sprintf("batch delivery would save %s of %s spend on %s that nobody waits for: %s", render.USD(res.BatchableUSD, 2), render.USD(total, 2), plural(len(res.Batchable), "workflow"), names(res.Batchable, savings))
		}
		res.Budgets = append(res.Budgets, b)
	}
	if l.UnclassifiedShare != nil {
		b := budgetResult{Name: "unclassified share", Flag: "max-unclassified-share", Held: !res.UnclassUSD.GreaterThan(l.UnclassifiedShare.Mul(total))}
		b.Value, b.Limit = sharePair(res.UnclassUSD, total, *l.UnclassifiedShare)
		if !b.Held {
			b.Why = fmt.Sprintf("%s of %s spend is in %s with no class evidence, assumed realtime: %s; add user_waiting or source to the logs, or a --rules file", render.USD(res.UnclassUSD, 2), render.USD(total, 2), plural(len(res.Unclassified), "workflow"), names(res.Unclassified, cost))
		}
		res.Budgets = append(res.Budgets, b)
	}
	if l.UnpricedShare != nil {
		unpriced := decimal.NewFromInt(rep.Coverage.Unpriced)
		records := decimal.NewFromInt(rep.Coverage.Records)
		b := budgetResult{Name: "unpriced share", Flag: "max-unpriced-share", Held: !unpriced.GreaterThan(l.UnpricedShare.Mul(records))}
		b.Value, b.Limit = sharePair(unpriced, records, *l.UnpricedShare)
		if !b.Held {
			var ms []string
			for _, m := range render.SortedByCount(rep.Coverage.UnpricedModels) {
				ms = append(ms, fmt.Sprintf("%s (%s)", render.Clean(m), render.Count(rep.Coverage.UnpricedModels[m])))
			}
			if len(ms) > 3 {
				ms = append(ms[:3], fmt.Sprintf("and %d more", len(ms)-3))
			}
			b.Why = fmt.Sprintf("%s of %s records have a model no price book knows, so their cost is missing from every figure: %s; add them with --pricebook", render.Count(rep.Coverage.Unpriced), render.Count(rep.Coverage.Records), strings.Join(ms, ", "))
		}
		res.Budgets = append(res.Budgets, b)
	}
	if l.Increase != nil && base != nil {
		res.Changes, res.Rate = flagChanges(base, rep, *l.Increase, l.MinUSD)
		up := res.Rate.exceeds(base.Totals.CostUSD, total, *l.Increase, decimal.Zero, true)
		b := budgetResult{Name: "increase on baseline", Flag: "max-increase", Held: !up}
		b.Value = res.Rate.changeText(base.Totals.CostUSD, total)
		b.Limit = "+" + pctText(l.Increase.Mul(hundred)) + "%"
		if !b.Held {
			var drivers []string
			for _, c := range res.Changes {
				if c.NewMonthlyUSD.GreaterThan(c.OldMonthlyUSD) {
					drivers = append(drivers, fmt.Sprintf("%s %s", render.Clean(c.Workflow), c.changeText()))
				}
			}
			if len(drivers) > 3 {
				drivers = append(drivers[:3], fmt.Sprintf("and %d more", len(drivers)-3))
			}
			b.Why = fmt.Sprintf("spend %s against %s (%s): %s", res.Rate.basis(), render.Clean(basePath), res.Rate.pairText(base.Totals.CostUSD, total), strings.Join(drivers, ", "))
			if len(drivers) == 0 {
				b.Why = fmt.Sprintf("spend %s against %s (%s); no single workflow rose by more than the limit", res.Rate.basis(), render.Clean(basePath), res.Rate.pairText(base.Totals.CostUSD, total))
			}
		}
		res.Budgets = append(res.Budgets, b)
	}
	return res
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// pctText prints a percentage without trailing zeros: 5, 12.5, 0.01.
func pctText(p decimal.Decimal) string {
	return p.String()
}

// usdPair renders a measure and its limit in USD with enough decimals that
// the rendering agrees with the exact comparison ($25.004 is not shown as
// $25.00 > $25.00).
func usdPair(v, limit decimal.Decimal) (string, string) {
	over := v.GreaterThan(limit)
	for places := 2; places < 12; places++ {
		rv, rl := v.Round(int32(places)), limit.Round(int32(places))
		if over == rv.GreaterThan(rl) {
			return render.USD(v, places), render.USD(limit, places)
		}
	}
	return "$" + v.String(), "$" + limit.String()
}

// sharePair renders part/whole and the limit share as percentages with
// enough decimals that the rendering agrees with the exact comparison.
func sharePair(part, whole, limit decimal.Decimal) (string, string) {
	lp := limit.Mul(hundred)
	if whole.IsZero() {
		return "0% (nothing to share)", pctText(lp) + "%"
	}
	over := part.GreaterThan(limit.Mul(whole))
	for places := int32(2); places < 12; places++ {
		v := part.Mul(hundred).DivRound(whole, places)
		if over == v.GreaterThan(lp) {
			return v.StringFixed(places) + "%", pctText(lp) + "%"
		}
	}
	return part.Mul(hundred).DivRound(whole, 12).String() + "%", pctText(lp) + "%"
}

// checkText is what check prints: one line when every budget holds, else
// a headline and one line per broken budget.
func checkText(rep *report.Report, res *checkResult) string {
	var b strings.Builder
	scope := fmt.Sprintf("%s records, %s spend", render.Count(rep.Coverage.Records), render.USD(rep.Totals.CostUSD, 2))
	if n := res.broken(); n == 0 {
		var parts []string
		for _, x := range res.Budgets {
			parts = append(parts, fmt.Sprintf("%s %s ≤ %s", x.Name, x.Value, x.Limit))
		}
		fmt.Fprintf(&b, "costaudit check: pass: %s held on %s: %s\n", plural(len(res.Budgets), "budget"), scope, strings.Join(parts, "; "))
		return b.String()
	} else {
		fmt.Fprintf(&b, "costaudit check: FAIL: %d of %s exceeded on %s\n", n, plural(len(res.Budgets), "budget"), scope)
	}
	for _, x := range res.Budgets {
		if !x.Held {
			fmt.Fprintf(&b, "  %s %s > %s (%s): %s\n", x.Name, x.Value, x.Limit, x.source(), x.Why)
		}
	}
	return b.String()
}

// checkMarkdown is the summary for a pull-request comment or the GitHub
// Actions job summary.
func checkMarkdown(rep *report.Report, res *checkResult) []byte {
	var b bytes.Buffer
	esc := render.EscapeMarkdown
	if n := res.broken(); n == 0 {
		fmt.Fprintf(&b, "## costaudit check: pass\n\n%s held.\n\n", plural(len(res.Budgets), "budget"))
	} else {
		fmt.Fprintf(&b, "## costaudit check: FAIL\n\n%d of %s exceeded.\n\n", n, plural(len(res.Budgets), "budget"))
	}
	w := rep.Window
	fmt.Fprintf(&b, "%s records, %s priced spend, %s to %s (%s days, %s).\n\n", render.Count(rep.Coverage.Records), render.USD(rep.Totals.CostUSD, 2), w.Start, w.End, w.Days, w.TZ)
	b.WriteString("| Budget | Measure | Limit | Result |\n|---|---:|---:|---|\n")
	for _, x := range res.Budgets {
		result := "pass"
		if !x.Held {
			result = "**FAIL**"
		}
		src := "`" + x.source() + "`"
		if x.Source != "" && !strings.HasPrefix(x.Source, "--") {
			src = esc(x.Source)
		}
		fmt.Fprintf(&b, "| %s (%s) | %s | %s | %s |\n", x.Name, src, esc(x.Value), esc(x.Limit), result)
	}
	for _, x := range res.Budgets {
		if !x.Held {
			fmt.Fprintf(&b, "\n- **%s**: %s", x.Name, esc(x.Why))
		}
	}
	if res.broken() > 0 {
		b.WriteString("\n")
	}
	const top = 10
	more := func(n int) {
		if n > top {
			fmt.Fprintf(&b, "\n%d more (costaudit analyze lists every workflow).\n", n-top)
		}
	}
	if len(res.Batchable) > 0 {
		b.WriteString("\n### Work nobody waits for, paid at real-time prices\n\n| Workflow | Class | Cost | On batch | Savings |\n|---|---|---:|---:|---:|\n")
		for i, x := range res.Batchable {
			if i == top {
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", esc(x.Workflow), x.Class, render.USD(x.CostUSD, 2), render.USD(x.WhatIf.BatchCostUSD, 2), render.USD(x.WhatIf.SavingsUSD, 2))
		}
		more(len(res.Batchable))
	}
	if len(res.Unclassified) > 0 {
		b.WriteString("\n### Workflows without class evidence (assumed realtime)\n\n| Workflow | Requests | Cost |\n|---|---:|---:|\n")
		for i, x := range res.Unclassified {
			if i == top {
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", esc(x.Workflow), render.Count(x.Requests), render.USD(x.CostUSD, 2))
		}
		more(len(res.Unclassified))
	}
	if len(rep.Coverage.UnpricedModels) > 0 {
		b.WriteString("\n### Models no price book knows\n\n| Model | Records |\n|---|---:|\n")
		ms := render.SortedByCount(rep.Coverage.UnpricedModels)
		for i, m := range ms {
			if i == top {
				fmt.Fprintf(&b, "\n%d more (costaudit analyze lists every model).\n", len(ms)-top)
				break
			}
			fmt.Fprintf(&b, "| %s | %s |\n", esc(m), render.Count(rep.Coverage.UnpricedModels[m]))
		}
	}
	if res.BaseRep != nil {
		fmt.Fprintf(&b, "\n### Changes since %s\n\n", esc(res.Baseline))
		fmt.Fprintf(&b, "Spend %s (%s). ", res.Rate.basis(), esc(res.Rate.pairText(res.BaseRep.Totals.CostUSD, rep.Totals.CostUSD)))
		var books []string
		for _, c := range diffBooks(res.BaseRep.Pricebooks, rep.Pricebooks) {
			if c.Status != "unchanged" {
				books = append(books, esc(c.ID)+" ("+c.Status+")")
			}
		}
		if len(books) > 0 {
			fmt.Fprintf(&b, "Price books changed since then: %s. ", strings.Join(books, ", "))
		}
		if len(res.Changes) == 0 {
			b.WriteString("No workflow changed beyond the limit.\n")
		} else {
			b.WriteString("Workflows whose spend changed beyond the limit, or whose class changed:\n\n")
			const maxChanges = 2 * top
			writeChangesMarkdown(&b, res.Changes[:min(len(res.Changes), maxChanges)])
			if n := len(res.Changes) - maxChanges; n > 0 {
				fmt.Fprintf(&b, "\n%d more (costaudit diff --threshold lists every one).\n", n)
			}
		}
	}
	return b.Bytes()
}
