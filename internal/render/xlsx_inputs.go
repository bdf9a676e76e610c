package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/report"
)

// latencyClasses are the classes of the latency inventory, in display order.
var latencyClasses = []string{"realtime", "near-realtime", "scheduled"}

// knownBatch is the documented batch discount of each provider costaudit
// knows; a zero value with ok false means the provider has no batch API.
var knownBatch = []struct {
	provider string
	discount string // "" = no batch API
	source   string
}{
	{"anthropic", "0.5", "Anthropic Message Batches: \"50% of the standard API prices\""},
	{"deepseek", "", "DeepSeek has no batch API"},
	{"google", "0.5", "Gemini API Batch Mode: \"50% of the standard cost\""},
	{"openai", "0.5", "OpenAI Batch API: \"50% cost discount compared to synchronous APIs\""},
}

// Named inputs that are not per provider or per class.
const (
	nameDaysOfData     = "days_of_data"
	nameDaysPerMonth   = "days_per_month"
	nameMonths         = "months_to_project"
	nameCacheHitRate   = "cache_hit_rate"
	nameCacheWrite5m   = "cache_write_premium_5m"
	nameCacheWrite1h   = "cache_write_premium_1h"
	nameCacheRead      = "cache_read_multiplier"
	nameCachePrefix    = "cache_prefix_share"
	nameCancelUnbilled = "cancel_unbilled_share"
	nameDelayHours     = "delay_hours"
	nameDelayCost      = "delay_cost_usd_per_hour"
	nameBudgetRows     = "budgeter_rows"
	nameBudgetPrice    = "budgeter_price_per_mtok"
	nameBudgetTokSmall = "budgeter_tokens_per_row_small"
	nameBudgetTokLarge = "budgeter_tokens_per_row_large"
)

// inputDefault is one scalar input: its default value and provenance.
type inputDefault struct {
	name, label, unit, source string
	value                     decimal.Decimal
	style                     int
}

// assumption returns the report assumption with one of keys.
func (b *xlsxBuilder) assumption(keys ...string) (report.Assumption, bool) {
	for _, k := range keys {
		for _, a := range b.rep.Assumptions {
			if strings.EqualFold(a.Key, k) {
				return a, true
			}
		}
	}
	return report.Assumption{}, false
}

// numAssumption returns the numeric report assumption with one of keys, or
// def with source "default".
func (b *xlsxBuilder) numAssumption(def, defSource string, keys ...string) (decimal.Decimal, string) {
	if a, ok := b.assumption(keys...); ok {
		if v, ok := parseDec(a.Value); ok {
			return v, "report assumption " + a.Key + " (" + a.Source + ")"
		}
	}
	return decimal.RequireFromString(def), defSource
}

// deriveDiscounts fills b.discount with each provider's batch discount: the
// discount the report's batch prices imply (1 − batch/list on input and
// output), else the documented one.
func (b *xlsxBuilder) deriveDiscounts() map[string]string {
	src := map[string]string{}
	seen := map[string]bool{}
	for _, k := range knownBatch {
		seen[k.provider] = true
		if k.discount != "" {
			b.discount[k.provider] = decimal.RequireFromString(k.discount)
		}
		src[k.provider] = k.source
	}
	votes := map[string]map[string]int{}
	for _, p := range b.rep.Prices {
		seen[p.Provider] = true
		if !p.HasBatch {
			continue
		}
		for _, pair := range [][2]decimal.Decimal{{p.Input, p.BatchInput}, {p.Output, p.BatchOutput}} {
			if pair[0].IsPositive() {
				d := one.Sub(pair[1].DivRound(pair[0], 20))
				if votes[p.Provider] == nil {
					votes[p.Provider] = map[string]int{}
				}
				votes[p.Provider][d.String()]++
			}
		}
	}
	for _, l := range b.allLines() {
		seen[l.Provider] = true
	}
	for p := range seen {
		if v := votes[p]; len(v) > 0 {
			best, n := "", 0
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if v[k] > n {
					best, n = k, v[k]
				}
			}
			b.discount[p] = decimal.RequireFromString(best)
			src[p] = "implied by the price book's batch prices (1 − batch price / list price)"
		} else if _, ok := src[p]; !ok {
			hasBatch := false
			for _, r := range b.rep.Prices {
				if r.Provider == p && r.HasBatch {
					hasBatch = true
				}
			}
			if hasBatch {
				b.discount[p] = decimal.RequireFromString("0.5")
				src[p] = "default"
			} else {
				src[p] = p + " has no batch API in the price book"
			}
		}
	}
	return src
}

func (b *xlsxBuilder) allLines() []report.WorkflowLine {
	var out []report.WorkflowLine
	for _, w := range b.rep.Workflows {
		out = append(out, w.Lines...)
	}
	return out
}

// deriveEligibility fills b.eligible with each class's default flag: the
// classes the report moved to batch, or the report's eligible-class
// assumption, or scheduled alone.
func (b *xlsxBuilder) deriveEligibility() string {
	any := false
	for _, w := range b.rep.Workflows {
		for _, l := range w.Lines {
			if l.BatchEligible {
				b.eligible[w.Class] = true
				any = true
			}
		}
	}
	if a, ok := b.assumption("batch_classes", "eligible_classes", "batch_eligible_classes"); ok {
		for _, c := range strings.FieldsFunc(a.Value, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
			b.eligible[c] = true
		}
		return "report assumption " + a.Key + " (" + a.Source + ")"
	}
	if !any {
		b.eligible["scheduled"] = true
		return "default: scheduled work moves to batch; realtime and near-realtime stay"
	}
	return "classes the report moved to batch"
}

func (b *xlsxBuilder) inputsSheet() error {
	const s = sheetInputs
	if err := b.widths(s, 48, 16, 26, 70, 32); err != nil {
		return err
	}
	if err := b.header(s, 1, "Input (edit the yellow cells)", "Value", "Unit", "Source", "Defined name"); err != nil {
		return err
	}
	if err := b.freeze(s, 0, 1); err != nil {
		return err
	}
	row := 2
	section := func(title string) error {
		row++
		err := b.str(s, 1, row, title, b.st.section)
		row++
		return err
	}
	put := func(in inputDefault) error {
		if err := b.str(s, 1, row, in.label, b.st.text); err != nil {
			return err
		}
		if err := b.num(s, 2, row, in.value, in.style); err != nil {
			return err
		}
		if err := b.str(s, 3, row, in.unit, b.st.text); err != nil {
			return err
		}
		if err := b.str(s, 4, row, in.source, b.st.text); err != nil {
			return err
		}
		if err := b.str(s, 5, row, in.name, b.st.note); err != nil {
			return err
		}
		if err := b.defineName(in.name, s, 2, row, in.label); err != nil {
			return err
		}
		b.inputVals[in.name] = in.value
		row++
		return nil
	}

	// Batch discounts per provider.
	srcs := b.deriveDiscounts()
	providers := make([]string, 0, len(srcs))
	for p := range srcs {
		providers = append(providers, p)
	}
	sort.Strings(providers)
	if err := section("Batch discount per provider"); err != nil {
		return err
	}
	for _, p := range providers {
		d, ok := b.discount[p]
		if !ok {
			for c, v := range []string{"Batch discount: " + p, "no batch API", "", srcs[p] + "; batch what-ifs leave its cost unchanged"} {
				if err := b.str(s, c+1, row, v, b.st.text); err != nil {
					return err
				}
			}
			row++
			continue
		}
		name := b.uniqueName("batch_discount_", p)
		b.discountName[p] = name
		if err := put(inputDefault{name: name, label: "Batch discount: " + p, unit: "fraction of list price",
			source: srcs[p], value: d, style: b.st.inputPct}); err != nil {
			return err
		}
	}

	// The inputs below up to prompt caching drive the Workflows and
	// Summary sheets of an audit; a simulate or examples workbook has
	// neither, so it does not show them as editable cells that change
	// nothing.
	analyze := b.rep.Kind == "analyze" || b.rep.Kind == ""
	if err := b.analyzeInputs(analyze, section, put); err != nil {
		return err
	}
	return b.sharedInputs(analyze, section, put, &row)
}

// analyzeInputs writes the inputs only an audit workbook uses: the latency
// classes moved to batch and the projection.
func (b *xlsxBuilder) analyzeInputs(analyze bool, section func(string) error, put func(inputDefault) error) error {
	if !analyze {
		return nil
	}
	// Eligible classes.
	eligSrc := b.deriveEligibility()
	if err := section("Latency classes moved to batch (1 = move, 0 = keep)"); err != nil {
		return err
	}
	for _, c := range latencyClasses {
		v := decimal.Zero
		if b.eligible[c] {
			v = one
		}
		name := b.uniqueName("eligible_", c)
		b.eligibleName[c] = name
		if err := put(inputDefault{name: name, label: "Move to batch: " + c, unit: "flag (1 or 0)",
			source: eligSrc, value: v, style: b.st.inputInt}); err != nil {
			return err
		}
	}

	// Projection.
	days := b.rep.Window.Days
	daysSrc := "the report's window"
	if b.rep.Window.Start != "" {
		daysSrc = fmt.Sprintf("the report's window, %s to %s", b.rep.Window.Start, b.rep.Window.End)
	}
	months, monthsSrc := b.numAssumption("12", "default: one year", "months_to_project", "months")
	if err := section("Projection"); err != nil {
		return err
	}
	for _, in := range []inputDefault{
		{nameDaysOfData, "Days of data", "days", daysSrc, days, b.st.input},
		{nameDaysPerMonth, "Days per month", "days", "costaudit projects to a 30-day month", decimal.NewFromInt(30), b.st.input},
		{nameMonths, "Months to project", "months", monthsSrc, months, b.st.input},
	} {
		if err := put(in); err != nil {
			return err
		}
	}
	return nil
}

// sharedInputs writes the inputs of the Break-even sheet (and, for an
// audit, its dollar levers) and the run's own assumptions.
func (b *xlsxBuilder) sharedInputs(analyze bool, section func(string) error, put func(inputDefault) error, rowp *int) error {
	const s = sheetInputs

	// Prompt caching.
	hit, hitSrc := b.numAssumption("0.5", "default: an illustrative 50% hit rate; set your own", "cache_hit_rate", "cache.hit_rate", "hit_rate")
	const cacheSrc = "Anthropic prompt-caching page: 5-minute write 1.25×, 1-hour write 2×, read 0.1× base input"
	prefix, prefixSrc := b.numAssumption("0.5", "default: an illustrative half of the input; measure your prompts' shared prefix", "cache_prefix_share", "cache.prefix_share")
	if err := section("Prompt caching"); err != nil {
		return err
	}
	for _, in := range []inputDefault{
		{nameCacheHitRate, "Cache hit rate", "fraction of prefix reads", hitSrc, hit, b.st.inputPct},
		{nameCacheWrite5m, "Cache write premium, 5-minute TTL", "× base input price", cacheSrc, decimal.RequireFromString("1.25"), b.st.input},
		{nameCacheWrite1h, "Cache write premium, 1-hour TTL", "× base input price", cacheSrc, decimal.NewFromInt(2), b.st.input},
		{nameCacheRead, "Cache read price", "× base input price", cacheSrc, decimal.RequireFromString("0.1"), b.st.input},
	} {
		if err := put(in); err != nil {
			return err
		}
	}
	if analyze {
		if err := put(inputDefault{nameCachePrefix, "Share of uncached input that is a repeated prefix", "fraction of input tokens", prefixSrc, prefix, b.st.inputPct}); err != nil {
			return err
		}
	}

	// Early cancel.
	unbilled, unbilledSrc := b.numAssumption("0.5", "default: the middle of the range; no provider documents billing after a client disconnects (unverified)", "cancel_unbilled_share")
	if analyze {
		if err := section("Early cancel"); err != nil {
			return err
		}
		if err := put(inputDefault{nameCancelUnbilled, "Unbilled share of the tokens not generated", "fraction (0 to 1)", unbilledSrc, unbilled, b.st.inputPct}); err != nil {
			return err
		}
	}

	// Time value.
	hours, hoursSrc := b.numAssumption("24", "default: the 24 h batch window (the longest a batch may take)", "delay_hours", "time_value.delay_hours")
	delaySrc := "default: $0, no cost of waiting; set what an hour of waiting costs you"
	if analyze {
		delaySrc = "default: $0, as the Summary assumes: the workflows it recommends for batch have evidence that nobody waits for them; set what an hour of waiting costs you"
	}
	perHour, perHourSrc := b.numAssumption("0", delaySrc,
		"delay_cost_per_hour", "delay_cost_usd_per_hour", "time_value.cost_per_hour")
	if err := section("Time value of waiting for batch (one batch run a day)"); err != nil {
		return err
	}
	for _, in := range []inputDefault{
		{nameDelayHours, "Hours a batch run waits", "hours", hoursSrc, hours, b.st.input},
		{nameDelayCost, "Cost of delay", "USD per hour of waiting", perHourSrc, perHour, b.st.inputUSD},
	} {
		if err := put(in); err != nil {
			return err
		}
	}

	// Batch Budgeter.
	if err := section("The Batch Budgeter exercise (from seed 000, one of the source documents of the worked examples; see examples/README.md)"); err != nil {
		return err
	}
	const seed0 = "seed 000, \"Exercise: The Batch Budgeter\""
	for _, in := range []inputDefault{
		{nameBudgetRows, "Rows of data", "rows", seed0, decimal.NewFromInt(1_000_000), b.st.inputInt},
		{nameBudgetPrice, "Price (\"standard GPT-4o pricing\")", "USD per 1M tokens", seed0 + ": $15/M tokens", decimal.NewFromInt(15), b.st.inputUSD},
		{nameBudgetTokSmall, "Tokens per row, small case", "tokens per row", "1 token per row gives the seed's $7.50", one, b.st.inputInt},
		{nameBudgetTokLarge, "Tokens per row, large case", "tokens per row", "1,000 tokens per row gives the seed's $7,500", decimal.NewFromInt(1000), b.st.inputInt},
	} {
		if err := put(in); err != nil {
			return err
		}
	}

	// The report's own assumptions, for provenance.
	if len(b.rep.Assumptions) > 0 {
		if err := section("Assumptions of the run (for reference; the live inputs are above)"); err != nil {
			return err
		}
		for _, a := range b.rep.Assumptions {
			for c, v := range []string{a.Key, a.Value, "", a.Source} {
				if err := b.str(s, c+1, *rowp, v, b.st.text); err != nil {
					return err
				}
			}
			*rowp++
		}
	}
	return nil
}
