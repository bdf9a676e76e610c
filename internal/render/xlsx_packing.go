package render

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// sheetPacking is the batch packer's sheet, present when the report holds
// a packer section (costaudit analyze --pack).
const sheetPacking = "Batch packer"

// Columns of the Batch packer sheet.
const (
	kcWorkflow = iota + 1
	kcEvery
	kcFull     // the workflow's batch saving with every request batched (Workflows sheet)
	kcRequests // requests × replays
	kcMissed
	kcOnTime // (requests − missed) / requests
	kcSaving // full × on-time share
	kcMonthly
	kcP50
	kcP95
	kcWorst
	kcJobs
	kcJobsPerDay
	kcBest
)

// packingSheet writes one row per workflow and submission interval. The
// savings are live: the full batch saving sums the workflow's Savings
// cells on the Workflows sheet (so a changed batch discount on Inputs
// flows through), the on-time share comes from the replay's counts, and
// the monthly figure uses days_of_data and days_per_month.
func (b *xlsxBuilder) packingSheet() error {
	pk := b.rep.Packing
	if pk == nil {
		return nil
	}
	const s = sheetPacking
	if err := b.widths(s, 28, 9, 14, 12, 12, 11, 14, 14, 11, 11, 11, 8, 10, 12); err != nil {
		return err
	}
	if err := b.str(s, 1, 1, "Batch packer: each workflow's logged arrivals replayed through a queue that submits every N hours", b.st.title); err != nil {
		return err
	}
	note := "Monte Carlo: " + pk.MonteCarlo + "."
	if pk.DeadlineHours != "" {
		note += " Deadline " + pk.DeadlineHours + " h: a request later than that is sent again at the real-time price and saves nothing."
	}
	if err := b.str(s, 1, 2, note, b.st.note); err != nil {
		return err
	}
	if err := b.header(s, 4, "Workflow", "Every (h)", "Batch saving, all batched", "Requests × replays", "Missed deadline",
		"On-time share", "Saving on time", "Saving per month", "Wait p50 (h)", "Wait p95 (h)", "Worst wait (h)", "Jobs", "Jobs per day", "Best batch"); err != nil {
		return err
	}
	if err := b.freeze(s, 1, 4); err != nil {
		return err
	}
	spans := map[string]wfSpan{}
	for _, sp := range b.wf {
		spans[sp.w.Workflow] = sp
	}
	days, _ := parseDec(pk.WindowDays)
	if v, ok := b.inputVals[nameDaysOfData]; ok {
		days = v
	}
	perMonth := decimal.NewFromInt(30)
	if v, ok := b.inputVals[nameDaysPerMonth]; ok {
		perMonth = v
	}
	row := 5
	for _, t := range pk.Workflows {
		full, _ := parseDec(t.FullSavingsUSD)
		sp, linked := spans[t.Workflow]
		for _, r := range t.Rows {
			if err := b.str(s, kcWorkflow, row, t.Workflow, b.st.text); err != nil {
				return err
			}
			if err := b.integer(s, kcEvery, row, int64(r.EveryHours), b.st.integer); err != nil {
				return err
			}
			fullCell := cell(kcFull, row)
			if linked {
				full = sp.cost.Sub(sp.batch)
				f := fmt.Sprintf("SUM(%s)", absRange(sheetWorkflows, wcSavings, sp.first, sp.last))
				if err := b.formula(s, kcFull, row, f, full, b.st.usd, "full batch saving of "+t.Workflow); err != nil {
					return err
				}
			} else if err := b.num(s, kcFull, row, full, b.st.usd); err != nil {
				return err
			}
			if err := b.integer(s, kcRequests, row, r.Requests, b.st.integer); err != nil {
				return err
			}
			if err := b.integer(s, kcMissed, row, r.Missed, b.st.integer); err != nil {
				return err
			}
			onTime := decimal.Zero
			if r.Requests > 0 {
				onTime = decimal.NewFromInt(r.Requests-r.Missed).DivRound(decimal.NewFromInt(r.Requests), 20)
			}
			rc, mc := cell(kcRequests, row), cell(kcMissed, row)
			if err := b.formula(s, kcOnTime, row, fmt.Sprintf("IF(%s>0,(%s-%s)/%s,0)", rc, rc, mc, rc), onTime, b.st.pct, "on-time share of "+t.Workflow); err != nil {
				return err
			}
			saving := full.Mul(onTime)
			if err := b.formula(s, kcSaving, row, fullCell+"*"+cell(kcOnTime, row), saving, b.st.usd, "on-time saving of "+t.Workflow); err != nil {
				return err
			}
			monthly := decimal.Zero
			if days.IsPositive() {
				monthly = saving.Mul(perMonth).DivRound(days, 20)
			}
			if err := b.formula(s, kcMonthly, row, fmt.Sprintf("IF(%s>0,%s*%s/%s,0)", nameDaysOfData, cell(kcSaving, row), nameDaysPerMonth, nameDaysOfData),
				monthly, b.st.usd, "monthly on-time saving of "+t.Workflow); err != nil {
				return err
			}
			for _, hv := range []struct {
				col int
				v   string
			}{{kcP50, r.WaitP50Hours}, {kcP95, r.WaitP95Hours}, {kcWorst, r.WaitWorstHours}} {
				d, _ := parseDec(hv.v)
				if err := b.num(s, hv.col, row, d, b.st.factor); err != nil {
					return err
				}
			}
			if err := b.integer(s, kcJobs, row, r.Jobs, b.st.integer); err != nil {
				return err
			}
			perDay := decimal.Zero
			if days.IsPositive() {
				perDay = decimal.NewFromInt(r.Jobs).DivRound(days, 20)
			}
			if err := b.formula(s, kcJobsPerDay, row, fmt.Sprintf("IF(%s>0,%s/%s,0)", nameDaysOfData, cell(kcJobs, row), nameDaysOfData), perDay, b.st.factor, "jobs per day of "+t.Workflow); err != nil {
				return err
			}
			best := ""
			if r.Chosen {
				best = "best"
			}
			if err := b.str(s, kcBest, row, best, b.st.text); err != nil {
				return err
			}
			row++
		}
		if t.FlexMonthlySavingsUSD != "" {
			fx, _ := parseDec(t.FlexMonthlySavingsUSD)
			if err := b.str(s, kcWorkflow, row, t.Workflow+" on flex", b.st.text); err != nil {
				return err
			}
			if err := b.num(s, kcMonthly, row, fx, b.st.usd); err != nil {
				return err
			}
			if err := b.str(s, kcP50, row, "no queue: synchronous, slower, may be refused for capacity", b.st.note); err != nil {
				return err
			}
			row++
		}
		row++
	}
	return nil
}
