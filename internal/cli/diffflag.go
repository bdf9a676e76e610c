package cli

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/report"
)

// rateCompare compares spend across two report windows. When both windows
// have a length it compares spend per day, so a 28-day February is not
// "down 10%" on a 31-day March; otherwise it compares window totals. Every
// test is exact: a rate v/days is never divided out, the inequalities are
// cross-multiplied by the (positive) window lengths instead.
type rateCompare struct {
	oldDays, newDays decimal.Decimal
	perDay           bool
}

func newRateCompare(o, n report.Window) rateCompare {
	if o.Days.IsPositive() && n.Days.IsPositive() {
		return rateCompare{oldDays: o.Days, newDays: n.Days, perDay: true}
	}
	return rateCompare{oldDays: one, newDays: one}
}

// delta is the change of rate scaled by both window lengths:
// (new/newDays − old/oldDays) × oldDays × newDays.
func (c rateCompare) delta(oldV, newV decimal.Decimal) decimal.Decimal {
	return newV.Mul(c.oldDays).Sub(oldV.Mul(c.newDays))
}

// exceeds reports whether the rate changed by more than p relative to the
// old rate and by at least minUSD per 30 days (increases only when
// upOnly). From an old rate of zero any rise is more than p.
func (c rateCompare) exceeds(oldV, newV, p, minUSD decimal.Decimal, upOnly bool) bool {
	d := c.delta(oldV, newV)
	if d.IsZero() || (upOnly && d.IsNegative()) {
		return false
	}
	ad := d.Abs()
	// |Δrate| > p × oldRate  ⇔  |d| > p × old × newDays
	if !ad.GreaterThan(p.Mul(oldV).Mul(c.newDays)) {
		return false
	}
	if !c.perDay {
		return ad.GreaterThanOrEqual(minUSD)
	}
	// |Δrate| × 30 ≥ minUSD  ⇔  |d| × 30 ≥ minUSD × oldDays × newDays
	return ad.Mul(thirty).GreaterThanOrEqual(minUSD.Mul(c.oldDays).Mul(c.newDays))
}

// monthly is spend per 30 days (rounded to 6 decimals, the precision of
// the report's projection), or the window total when windows are not
// compared per day.
func (c rateCompare) monthly(v decimal.Decimal, newSide bool) decimal.Decimal {
	if !c.perDay {
		return v
	}
	days := c.oldDays
	if newSide {
		days = c.newDays
	}
	return v.Mul(thirty).DivRound(days, 6)
}

// pct is the relative change of rate in percent, rounded to one decimal;
// nil when the old rate is zero.
func (c rateCompare) pct(oldV, newV decimal.Decimal) *decimal.Decimal {
	if oldV.IsZero() {
		return nil
	}
	p := c.delta(oldV, newV).Mul(hundred).DivRound(oldV.Mul(c.newDays), 1)
	return &p
}

// changeText is the relative change for people: "+12.5%", "-3.0%", "new".
func (c rateCompare) changeText(oldV, newV decimal.Decimal) string {
	p := c.pct(oldV, newV)
	switch {
	case p == nil && newV.IsZero():
		return "+0%"
	case p == nil:
		return "new"
	case p.IsPositive():
		return "+" + p.StringFixed(1) + "%"
	}
	return p.StringFixed(1) + "%"
}

// basis names what is compared: "per day" or "in the window".
func (c rateCompare) basis() string {
	if c.perDay {
		return "per day"
	}
	return "in the window (a report window has no length, so totals are compared)"
}

// pairText is "old → new" in the unit compared.
func (c rateCompare) pairText(oldV, newV decimal.Decimal) string {
	unit := " per 30 days"
	if !c.perDay {
		unit = " in the window"
	}
	return fmt.Sprintf("%s → %s%s, %s", render.USD(c.monthly(oldV, false), 2), render.USD(c.monthly(newV, true), 2), unit, c.changeText(oldV, newV))
}

// changeFlag is one workflow whose spend or class changed beyond the
// threshold of diff --threshold or check --max-increase.
type changeFlag struct {
	Workflow string `json:"workflow"`
	// Reasons holds "spend" (its spend rate changed beyond the
	// threshold), "class" (its latency class changed), "new" or "removed".
	Reasons       []string         `json:"reasons"`
	OldCostUSD    decimal.Decimal  `json:"old_cost_usd"`
	NewCostUSD    decimal.Decimal  `json:"new_cost_usd"`
	OldMonthlyUSD decimal.Decimal  `json:"old_monthly_usd"`
	NewMonthlyUSD decimal.Decimal  `json:"new_monthly_usd"`
	ChangePct     *decimal.Decimal `json:"change_pct"`
	OldClass      string           `json:"old_class"`
	NewClass      string           `json:"new_class"`
	rate          rateCompare
}

func (f changeFlag) changeText() string { return f.rate.changeText(f.OldCostUSD, f.NewCostUSD) }

// diffFlags is what diff --threshold flagged, with the rule it applied.
type diffFlags struct {
	Threshold decimal.Decimal `json:"threshold"`
	MinUSD    decimal.Decimal `json:"min_usd"`
	Basis     string          `json:"basis"` // per_day or window
	Workflows []changeFlag    `json:"workflows"`
}

// flagChanges lists the workflows of o and n whose spend rate changed by
// more than threshold (relative) and at least minUSD per 30 days, or whose
// class changed while at least one side spends minUSD per 30 days. The
// largest change of spend per 30 days comes first, then by name.
func flagChanges(o, n *report.Report, threshold, minUSD decimal.Decimal) ([]changeFlag, rateCompare) {
	rc := newRateCompare(o.Window, n.Window)
	type side struct {
		cost  decimal.Decimal
		class string
		in    bool
	}
	collect := func(r *report.Report) map[string]side {
		m := map[string]side{}
		for _, w := range r.Workflows {
			s := m[w.Workflow]
			s.cost, s.in = s.cost.Add(w.CostUSD), true
			if s.class == "" {
				s.class = w.Class
			}
			m[w.Workflow] = s
		}
		return m
	}
	om, nm := collect(o), collect(n)
	names := map[string]bool{}
	for k := range om {
		names[k] = true
	}
	for k := range nm {
		names[k] = true
	}
	var out []changeFlag
	for name := range names {
		was, now := om[name], nm[name]
		f := changeFlag{
			Workflow: name, OldCostUSD: was.cost, NewCostUSD: now.cost,
			OldMonthlyUSD: rc.monthly(was.cost, false), NewMonthlyUSD: rc.monthly(now.cost, true),
			ChangePct: rc.pct(was.cost, now.cost), OldClass: was.class, NewClass: now.class, rate: rc,
		}
		if rc.exceeds(was.cost, now.cost, threshold, minUSD, false) {
			switch {
			case !was.in:
				f.Reasons = append(f.Reasons, "new")
			case !now.in:
				f.Reasons = append(f.Reasons, "removed")
			default:
				f.Reasons = append(f.Reasons, "spend")
			}
		}
		if was.in && now.in && was.class != now.class {
			bigger := decimal.Max(f.OldMonthlyUSD, f.NewMonthlyUSD)
			if bigger.GreaterThanOrEqual(minUSD) {
				f.Reasons = append(f.Reasons, "class")
			}
		}
		if len(f.Reasons) > 0 {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		di := out[i].rate.delta(out[i].OldCostUSD, out[i].NewCostUSD).Abs()
		dj := out[j].rate.delta(out[j].OldCostUSD, out[j].NewCostUSD).Abs()
		if c := di.Cmp(dj); c != 0 {
			return c > 0
		}
		return out[i].Workflow < out[j].Workflow
	})
	if out == nil {
		out = []changeFlag{}
	}
	return out, rc
}

// flagRows lays flagged changes out as table rows.
func flagRows(fs []changeFlag) [][]string {
	rows := make([][]string, 0, len(fs))
	for _, f := range fs {
		class := f.NewClass
		if f.OldClass != "" && f.NewClass != "" && f.OldClass != f.NewClass {
			class = f.OldClass + " → " + f.NewClass
		} else if f.NewClass == "" {
			class = f.OldClass
		}
		rows = append(rows, []string{f.Workflow, render.USD(f.OldMonthlyUSD, 2), render.USD(f.NewMonthlyUSD, 2), f.changeText(), class, strings.Join(f.Reasons, ", ")})
	}
	return rows
}

func flagColumns(rc rateCompare) []string {
	unit := "/30 d"
	if !rc.perDay {
		unit = " (window)"
	}
	return []string{"Workflow", "Old" + unit, "New" + unit, "Change", "Class", "Flagged for"}
}

// writeChangesMarkdown writes flagged changes as a Markdown table.
func writeChangesMarkdown(b *bytes.Buffer, fs []changeFlag) {
	if len(fs) == 0 {
		return
	}
	b.WriteString("|")
	for _, c := range flagColumns(fs[0].rate) {
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n|---|---:|---:|---:|---|---|\n")
	for _, r := range flagRows(fs) {
		b.WriteString("|")
		for _, c := range r {
			b.WriteString(" " + render.EscapeMarkdown(c) + " |")
		}
		b.WriteString("\n")
	}
}

// flagSection is the diff section of flagged workflows.
func flagSection(f *diffFlags, rc rateCompare) diffSection {
	cols := flagColumns(rc)
	title := fmt.Sprintf("Flagged: spend %s changed by more than %s%%", rc.basis(), pctText(f.Threshold.Mul(hundred)))
	if f.MinUSD.IsPositive() {
		title += " and by at least " + render.USD(f.MinUSD, 2) + map[bool]string{true: " per 30 days", false: ""}[rc.perDay]
	}
	title += ", or class changed"
	return diffSection{Title: title, Columns: cols, Right: []bool{false, true, true, true, false, false}, Rows: flagRows(f.Workflows)}
}
