package render

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// divOrZero is a / b, or zero when b is zero (the workbook's IF(b>0, …, 0)).
func divOrZero(a, b decimal.Decimal) decimal.Decimal {
	if !b.IsPositive() {
		return decimal.Zero
	}
	return a.DivRound(b, 30)
}

func (b *xlsxBuilder) breakEvenSheet() error {
	const s = sheetBreakEven
	if err := b.widths(s, 34, 14, 14, 16, 16, 16, 16, 16, 14, 18); err != nil {
		return err
	}
	row := 1
	if err := b.str(s, 1, row, "Break-even: when waiting for batch, and caching, pay", b.st.title); err != nil {
		return err
	}
	if err := b.freeze(s, 0, 1); err != nil {
		return err
	}
	row += 2
	days := b.rep.Window.Days
	// the cost of one run waiting delay_hours
	delay := b.inputValue(nameDelayHours).Mul(b.inputValue(nameDelayCost))
	delayF := nameDelayHours + "*" + nameDelayCost

	// Time value per workflow.
	if len(b.wf) > 0 {
		if err := b.str(s, 1, row, "Time value: savings per day versus the cost of one day's batch run waiting (Inputs: delay_hours × delay_cost_usd_per_hour)", b.st.section); err != nil {
			return err
		}
		row++
		if err := b.str(s, 1, row, "Worth waiting? assumes the cost of delay on Inputs. Its default, $0 an hour, is the Summary's assumption: the workflows it recommends for batch have evidence that nobody waits for them. Set what an hour of waiting costs you and the answers follow.", b.st.note); err != nil {
			return err
		}
		row++
		if err := b.header(s, row, "Workflow", "Class", "Requests", "Savings in window", "Savings per day",
			"Savings per request", "Cost of delay per day", "Net gain per day", "Worth waiting?", "Break-even requests per day"); err != nil {
			return err
		}
		row++
		for _, sp := range b.wf {
			what := "time value of " + sp.w.Workflow
			sav := sp.cost.Sub(sp.batch)
			perDay := divOrZero(sav, days)
			perReq := divOrZero(sav, decimal.NewFromInt(sp.requests))
			if err := b.str(s, 1, row, sp.w.Workflow, b.st.text); err != nil {
				return err
			}
			if err := b.str(s, 2, row, sp.w.Class, b.st.text); err != nil {
				return err
			}
			r := func(c int) string { return cell(c, row) }
			wfRange := func(col int) string {
				return fmt.Sprintf("%s%s%d:%s%d", sheetRef(sheetWorkflows), colName(col), sp.first, colName(col), sp.last)
			}
			worth := "no"
			if perDay.GreaterThan(delay) {
				worth = "yes"
			}
			for _, fc := range []struct {
				col   int
				f     string
				want  decimal.Decimal
				style int
			}{
				{3, "SUM(" + wfRange(wcRequests) + ")", decimal.NewFromInt(sp.requests), b.st.integer},
				{4, "SUM(" + wfRange(wcSavings) + ")", sav, b.st.usd},
				{5, fmt.Sprintf("IF(%s>0,%s/%s,0)", nameDaysOfData, r(4), nameDaysOfData), perDay, b.st.usd},
				{6, fmt.Sprintf("IF(%s>0,%s/%s,0)", r(3), r(4), r(3)), perReq, b.st.price},
				{7, delayF, delay, b.st.usd},
				{8, r(5) + "-" + r(7), perDay.Sub(delay), b.st.usd},
			} {
				if err := b.formula(s, fc.col, row, fc.f, fc.want, fc.style, what); err != nil {
					return err
				}
			}
			if err := b.textFormula(s, 9, row, fmt.Sprintf(`IF(%s>%s,"yes","no")`, r(5), r(7)), worth, b.st.text, what); err != nil {
				return err
			}
			bf := fmt.Sprintf(`IF(%s>0,%s/%s,"never")`, r(6), r(7), r(6))
			if perReq.IsPositive() {
				if err := b.formula(s, 10, row, bf, delay.DivRound(perReq, 30), b.st.integer, what); err != nil {
					return err
				}
			} else if err := b.textFormula(s, 10, row, bf, "never", b.st.text, what); err != nil {
				return err
			}
			row++
		}
		row++
	}

	// Cache break-even.
	if err := b.str(s, 1, row, "Prompt caching: break-even hit rate = (write premium − 1) / (write premium − read price)", b.st.section); err != nil {
		return err
	}
	row++
	analyze := len(b.wf) > 0
	cacheHead := []string{"Cache TTL", "Write premium ×", "Read price ×", "Break-even hit rate",
		"Cost at hit rate (× uncached)", "Saving at hit rate", "Caching pays?"}
	if analyze {
		cacheHead = append(cacheHead, "Uncached input cost in the window", "Saving in the window (USD)", "Saving per month (USD)")
	}
	if err := b.header(s, row, cacheHead...); err != nil {
		return err
	}
	row++
	hit := b.inputValue(nameCacheHitRate)
	rd := b.inputValue(nameCacheRead)
	// The input a cache could serve: the uncached input tokens of every
	// Workflows line at the line's input price, times the prefix share.
	var inputCost decimal.Decimal
	inputF := ""
	if analyze {
		inputCost = b.inputCost
		inputF = fmt.Sprintf("SUMPRODUCT(%s,%s)/1000000", absRange(sheetWorkflows, wcInput, b.wfFirst, b.wfLast), absRange(sheetWorkflows, wcPInput, b.wfFirst, b.wfLast))
	}
	prefix := decimal.Zero
	if analyze {
		prefix = b.inputValue(nameCachePrefix)
	}
	for _, c := range []struct{ label, name string }{{"5 minutes", nameCacheWrite5m}, {"1 hour", nameCacheWrite1h}} {
		w := b.inputValue(c.name)
		what := "cache break-even " + c.label
		r := func(col int) string { return cell(col, row) }
		be := divOrZero(w.Sub(one), w.Sub(rd))
		costAt := one.Sub(hit).Mul(w).Add(hit.Mul(rd))
		pays := "no"
		if hit.GreaterThan(be) {
			pays = "yes"
		}
		if err := b.str(s, 1, row, c.label, b.st.text); err != nil {
			return err
		}
		for _, fc := range []struct {
			col   int
			f     string
			want  decimal.Decimal
			style int
		}{
			{2, c.name, w, b.st.factor},
			{3, nameCacheRead, rd, b.st.factor},
			{4, fmt.Sprintf("IF(%s-%s>0,(%s-1)/(%s-%s),0)", r(2), r(3), r(2), r(2), r(3)), be, b.st.pct},
			{5, fmt.Sprintf("(1-%s)*%s+%s*%s", nameCacheHitRate, r(2), nameCacheHitRate, r(3)), costAt, b.st.factor},
			{6, "1-" + r(5), one.Sub(costAt), b.st.pct},
		} {
			if err := b.formula(s, fc.col, row, fc.f, fc.want, fc.style, what); err != nil {
				return err
			}
		}
		if err := b.textFormula(s, 7, row, fmt.Sprintf(`IF(%s>%s,"yes","no")`, nameCacheHitRate, r(4)), pays, b.st.text, what); err != nil {
			return err
		}
		if analyze {
			saved := inputCost.Mul(prefix).Mul(one.Sub(costAt))
			for _, fc := range []struct {
				col  int
				f    string
				want decimal.Decimal
			}{
				{8, inputF, inputCost},
				{9, fmt.Sprintf("%s*%s*%s", r(8), nameCachePrefix, r(6)), saved},
				{10, fmt.Sprintf("IF(%s>0,%s*%s/%s,0)", nameDaysOfData, r(9), nameDaysPerMonth, nameDaysOfData), divOrZero(saved.Mul(b.inputValue(nameDaysPerMonth)), b.rep.Window.Days)},
			} {
				if err := b.formula(s, fc.col, row, fc.f, fc.want, b.st.usd, what); err != nil {
					return err
				}
			}
		}
		row++
	}
	if err := b.str(s, 1, row, "A cached prefix costs (1 − h) × write + h × read of the uncached price; caching pays above the break-even hit rate h.", b.st.note); err != nil {
		return err
	}
	row++
	if analyze {
		if err := b.str(s, 1, row, "Dollars: the uncached input cost × cache_prefix_share × the saving at the hit rate (Inputs: cache_hit_rate, cache_prefix_share, the premiums).", b.st.note); err != nil {
			return err
		}
		row++
	}
	row++

	// Early cancel.
	if ec := b.rep.EarlyCancel; analyze && len(ec.Workflows) > 0 {
		if err := b.str(s, 1, row, "Early cancel: output not generated after a client cancels a stream", b.st.section); err != nil {
			return err
		}
		row++
		if err := b.header(s, row, "Workflow", "Cancelled streams", "Not billed at most (USD)", "Share not billed", "Saved (USD)", "Saved per month (USD)"); err != nil {
			return err
		}
		row++
		share := b.inputValue(nameCancelUnbilled)
		first := row
		for _, w := range ec.Workflows {
			what := "early cancel " + w.Workflow
			r := func(col int) string { return cell(col, row) }
			saved := w.SavedUSDMax.Mul(share)
			if err := b.str(s, 1, row, w.Workflow, b.st.text); err != nil {
				return err
			}
			if err := b.integer(s, 2, row, w.Cancelled, b.st.integer); err != nil {
				return err
			}
			if err := b.num(s, 3, row, w.SavedUSDMax, b.st.usd); err != nil {
				return err
			}
			for _, fc := range []struct {
				col   int
				f     string
				want  decimal.Decimal
				style int
			}{
				{4, nameCancelUnbilled, share, b.st.pct},
				{5, r(3) + "*" + r(4), saved, b.st.usd},
				{6, fmt.Sprintf("IF(%s>0,%s*%s/%s,0)", nameDaysOfData, r(5), nameDaysPerMonth, nameDaysOfData), divOrZero(saved.Mul(b.inputValue(nameDaysPerMonth)), b.rep.Window.Days), b.st.usd},
			} {
				if err := b.formula(s, fc.col, row, fc.f, fc.want, fc.style, what); err != nil {
					return err
				}
			}
			row++
		}
		var total, totalSaved decimal.Decimal
		for _, w := range ec.Workflows {
			total = total.Add(w.SavedUSDMax)
			totalSaved = totalSaved.Add(w.SavedUSDMax.Mul(share))
		}
		if err := b.str(s, 1, row, "Total", b.st.header); err != nil {
			return err
		}
		for _, fc := range []struct {
			col  int
			want decimal.Decimal
		}{{3, total}, {5, totalSaved}} {
			f := fmt.Sprintf("SUM(%s:%s)", cell(fc.col, first), cell(fc.col, row-1))
			if err := b.formula(s, fc.col, row, f, fc.want, b.st.usdTotal, "early cancel total"); err != nil {
				return err
			}
		}
		row++
		if err := b.str(s, 1, row, "Not billed at most: every token up to max_tokens not generated (from the logs). No provider documents billing after a disconnect, so the saving is that maximum × cancel_unbilled_share on Inputs.", b.st.note); err != nil {
			return err
		}
		row += 2
	}

	// Batch Budgeter.
	if err := b.str(s, 1, row, "The Batch Budgeter (seed 000, a source document of the worked examples): is it worth $7.50 / $7,500 to wait 24 hours?", b.st.section); err != nil {
		return err
	}
	row++
	if err := b.header(s, row, "Case", "Rows", "Tokens per row", "Tokens", "Standard cost", "Batch discount",
		"Batch cost", "Saved by waiting", "Cost of the wait", "Worth waiting?"); err != nil {
		return err
	}
	row++
	discName, ok := b.discountName["openai"]
	disc := b.discount["openai"]
	if !ok {
		return fmt.Errorf("xlsx: no openai batch discount input for the Batch Budgeter")
	}
	rows := b.inputValue(nameBudgetRows)
	price := b.inputValue(nameBudgetPrice)
	for _, c := range []struct{ label, name string }{{"Small rows", nameBudgetTokSmall}, {"Large rows", nameBudgetTokLarge}} {
		what := "Batch Budgeter " + c.label
		r := func(col int) string { return cell(col, row) }
		tpr := b.inputValue(c.name)
		tokens := rows.Mul(tpr)
		std := tokens.Mul(price).Shift(-6)
		bc := std.Mul(one.Sub(disc))
		saved := std.Sub(bc)
		worth := "no"
		if saved.GreaterThan(delay) {
			worth = "yes"
		}
		if err := b.str(s, 1, row, c.label, b.st.text); err != nil {
			return err
		}
		for _, fc := range []struct {
			col   int
			f     string
			want  decimal.Decimal
			style int
		}{
			{2, nameBudgetRows, rows, b.st.integer},
			{3, c.name, tpr, b.st.integer},
			{4, r(2) + "*" + r(3), tokens, b.st.integer},
			{5, r(4) + "*" + nameBudgetPrice + "/1000000", std, b.st.usd},
			{6, discName, disc, b.st.pct},
			{7, r(5) + "*(1-" + r(6) + ")", bc, b.st.usd},
			{8, r(5) + "-" + r(7), saved, b.st.usd},
			{9, delayF, delay, b.st.usd},
		} {
			if err := b.formula(s, fc.col, row, fc.f, fc.want, fc.style, what); err != nil {
				return err
			}
		}
		if err := b.textFormula(s, 10, row, fmt.Sprintf(`IF(%s>%s,"yes","no")`, r(8), r(9)), worth, b.st.text, what); err != nil {
			return err
		}
		row++
	}
	return b.str(s, 1, row, "Waiting pays when the saving is larger than what the wait costs you (Inputs: delay_hours × delay_cost_usd_per_hour; the seed asks about 24 hours).", b.st.note)
}

// inputValue returns the default value of a named scalar input.
func (b *xlsxBuilder) inputValue(name string) decimal.Decimal {
	v, ok := b.inputVals[name]
	if !ok {
		panic("xlsx: no input " + name)
	}
	return v
}

func (b *xlsxBuilder) summaryAnalyze() error {
	const s = sheetSummary
	if err := b.widths(s, 54, 16, 12, 18, 16, 16, 18); err != nil {
		return err
	}
	row := 1
	if err := b.str(s, 1, row, "costaudit: LLM inference cost audit", b.st.title); err != nil {
		return err
	}
	row++
	if err := b.str(s, 1, row, "Every figure is a formula over the other sheets: change the yellow cells on Inputs and the workbook follows.", b.st.note); err != nil {
		return err
	}
	row += 2
	if err := b.header(s, row, "Figure", "Value", "Unit", "As run (costaudit)"); err != nil {
		return err
	}
	if err := b.freeze(s, 0, row); err != nil {
		return err
	}
	row++
	wt := func(col int) string { return absRef(sheetWorkflows, col, b.wfTotal) }
	var cost, batch decimal.Decimal
	for _, sp := range b.wf {
		cost = cost.Add(sp.cost)
		batch = batch.Add(sp.batch)
	}
	sav := cost.Sub(batch)
	var asRunBatch decimal.Decimal
	for _, w := range b.rep.Workflows {
		asRunBatch = asRunBatch.Add(w.WhatIf.BatchCostUSD)
	}
	days := b.rep.Window.Days
	perMonth := b.inputValue(nameDaysPerMonth)
	months := b.inputValue(nameMonths)
	monthly := divOrZero(cost.Mul(perMonth), days)
	monthlySav := divOrZero(sav.Mul(perMonth), days)
	first := row
	ref := func(i int) string { return cell(2, first+i) }
	heads := []struct {
		label, f, unit string
		want           decimal.Decimal
		asRun          *decimal.Decimal
		style          int
	}{
		{"Total cost in the window", wt(wcCost), "USD", cost, &b.rep.Totals.CostUSD, b.st.usd},
		{"Cost with eligible work on batch", wt(wcBatchCost), "USD", batch, &asRunBatch, b.st.usd},
		{"Batch savings in the window", wt(wcSavings), "USD", sav, &b.rep.Projection.WindowSavingsUSD, b.st.usd},
		{"Savings share of cost", fmt.Sprintf("IF(%s>0,%s/%s,0)", ref(0), ref(2), ref(0)), "%", divOrZero(sav, cost), nil, b.st.pct},
		{"Days of data", nameDaysOfData, "days", days, nil, b.st.factor},
		{"Monthly cost (projected)", fmt.Sprintf("IF(%s>0,%s*%s/%s,0)", nameDaysOfData, ref(0), nameDaysPerMonth, nameDaysOfData), "USD/month", monthly, &b.rep.Projection.MonthlyCostUSD, b.st.usd},
		{"Monthly batch savings (projected)", fmt.Sprintf("IF(%s>0,%s*%s/%s,0)", nameDaysOfData, ref(2), nameDaysPerMonth, nameDaysOfData), "USD/month", monthlySav, &b.rep.Projection.MonthlySavingsUSD, b.st.usd},
		{"Cost over the months to project (Inputs: months_to_project)", ref(5) + "*" + nameMonths, "USD", monthly.Mul(months), nil, b.st.usd},
		{"Batch savings over the months to project", ref(6) + "*" + nameMonths, "USD", monthlySav.Mul(months), nil, b.st.usd},
	}
	for _, h := range heads {
		if err := b.str(s, 1, row, h.label, b.st.text); err != nil {
			return err
		}
		if err := b.formula(s, 2, row, h.f, h.want, h.style, "Summary "+h.label); err != nil {
			return err
		}
		if err := b.str(s, 3, row, h.unit, b.st.unit); err != nil {
			return err
		}
		if h.asRun != nil {
			if err := b.num(s, 4, row, *h.asRun, h.style); err != nil {
				return err
			}
		}
		row++
	}
	row++

	// Cost by latency class.
	if err := b.str(s, 1, row, "Cost by latency class", b.st.section); err != nil {
		return err
	}
	row++
	if err := b.header(s, row, "Class", "Requests", "Cost", "Batch what-if cost", "Savings", "Share of cost", "As run (costaudit)"); err != nil {
		return err
	}
	row++
	classes := append([]string(nil), latencyClasses...)
	for _, c := range b.rep.ByClass {
		if !contains(classes, c.Class) {
			classes = append(classes, c.Class)
		}
	}
	for _, w := range b.rep.Workflows {
		if !contains(classes, w.Class) {
			classes = append(classes, w.Class)
		}
	}
	classFirst := row
	rng := func(col int) string {
		last := b.wfLast
		if last < b.wfFirst {
			last = b.wfFirst
		}
		return absRange(sheetWorkflows, col, b.wfFirst, last)
	}
	for _, c := range classes {
		var req int64
		var cc, cb decimal.Decimal
		for _, w := range b.rep.Workflows {
			if w.Class != c {
				continue
			}
			for _, l := range w.Lines {
				req += l.Requests
				cc = cc.Add(l.CostUSD)
				cb = cb.Add(l.BatchCostUSD)
			}
		}
		what := "Summary class " + c
		if err := b.str(s, 1, row, c, b.st.text); err != nil {
			return err
		}
		sumif := func(col int) string {
			return fmt.Sprintf("SUMIF(%s,%s,%s)", rng(wcClass), "$"+cell(1, row), rng(col))
		}
		for _, fc := range []struct {
			col   int
			f     string
			want  decimal.Decimal
			style int
		}{
			{2, sumif(wcRequests), decimal.NewFromInt(req), b.st.integer},
			{3, sumif(wcCost), cc, b.st.usd},
			{4, sumif(wcBatchCost), cb, b.st.usd},
			{5, cell(3, row) + "-" + cell(4, row), cc.Sub(cb), b.st.usd},
			{6, fmt.Sprintf("IF(%s>0,%s/%s,0)", ref(0), cell(3, row), ref(0)), divOrZero(cc, cost), b.st.pct},
		} {
			if err := b.formula(s, fc.col, row, fc.f, fc.want, fc.style, what); err != nil {
				return err
			}
		}
		for _, r := range b.rep.ByClass {
			if r.Class == c {
				if err := b.num(s, 7, row, r.CostUSD, b.st.usd); err != nil {
					return err
				}
			}
		}
		row++
	}
	classLast := row - 1
	row++

	// Savings by workflow.
	if err := b.str(s, 1, row, "Batch savings by workflow", b.st.section); err != nil {
		return err
	}
	row++
	if err := b.header(s, row, "Workflow (largest savings first)", "Class", "Requests", "Cost", "Batch what-if cost", "Savings", "Monthly savings (projected)"); err != nil {
		return err
	}
	row++
	wfFirst := row
	// Largest savings first, then cost, then name, so the chart's top N
	// are the first rows.
	ranked := append([]wfSpan(nil), b.wf...)
	sort.SliceStable(ranked, func(i, j int) bool {
		si, sj := ranked[i].cost.Sub(ranked[i].batch), ranked[j].cost.Sub(ranked[j].batch)
		if c := si.Cmp(sj); c != 0 {
			return c > 0
		}
		if c := ranked[i].cost.Cmp(ranked[j].cost); c != 0 {
			return c > 0
		}
		return ranked[i].w.Workflow < ranked[j].w.Workflow
	})
	saving := 0
	for _, sp := range ranked {
		if sp.cost.Sub(sp.batch).IsPositive() {
			saving++
		}
	}
	listed := ranked
	if len(listed) > xlsxSummaryTop {
		listed = listed[:xlsxSummaryTop]
	}
	for _, sp := range listed {
		what := "Summary workflow " + sp.w.Workflow
		if err := b.str(s, 1, row, sp.w.Workflow, b.st.text); err != nil {
			return err
		}
		if err := b.str(s, 2, row, sp.w.Class, b.st.text); err != nil {
			return err
		}
		wsum := func(col int) string {
			return fmt.Sprintf("SUM(%s%s%d:%s%d)", sheetRef(sheetWorkflows), colName(col), sp.first, colName(col), sp.last)
		}
		ws := sp.cost.Sub(sp.batch)
		for _, fc := range []struct {
			col   int
			f     string
			want  decimal.Decimal
			style int
		}{
			{3, wsum(wcRequests), decimal.NewFromInt(sp.requests), b.st.integer},
			{4, wsum(wcCost), sp.cost, b.st.usd},
			{5, wsum(wcBatchCost), sp.batch, b.st.usd},
			{6, cell(4, row) + "-" + cell(5, row), ws, b.st.usd},
			{7, fmt.Sprintf("IF(%s>0,%s*%s/%s,0)", nameDaysOfData, cell(6, row), nameDaysPerMonth, nameDaysOfData), divOrZero(ws.Mul(perMonth), days), b.st.usd},
		} {
			if err := b.formula(s, fc.col, row, fc.f, fc.want, fc.style, what); err != nil {
				return err
			}
		}
		row++
	}
	if rest := ranked[len(listed):]; len(rest) > 0 {
		// The others in one row, so the Summary stays one page: the
		// Workflows total minus the rows above.
		var req int64
		var rc, rb decimal.Decimal
		for _, sp := range rest {
			req += sp.requests
			rc, rb = rc.Add(sp.cost), rb.Add(sp.batch)
		}
		last := row - 1
		what := "Summary other workflows"
		if err := b.str(s, 1, row, fmt.Sprintf("All other %d workflows (see Workflows)", len(rest)), b.st.text); err != nil {
			return err
		}
		others := func(col, wcol int) string {
			return fmt.Sprintf("%s-SUM(%s:%s)", wt(wcol), cell(col, wfFirst), cell(col, last))
		}
		for _, fc := range []struct {
			col   int
			f     string
			want  decimal.Decimal
			style int
		}{
			{3, others(3, wcRequests), decimal.NewFromInt(req), b.st.integer},
			{4, others(4, wcCost), rc, b.st.usd},
			{5, others(5, wcBatchCost), rb, b.st.usd},
			{6, cell(4, row) + "-" + cell(5, row), rc.Sub(rb), b.st.usd},
			{7, fmt.Sprintf("IF(%s>0,%s*%s/%s,0)", nameDaysOfData, cell(6, row), nameDaysPerMonth, nameDaysOfData), divOrZero(rc.Sub(rb).Mul(perMonth), days), b.st.usd},
		} {
			if err := b.formula(s, fc.col, row, fc.f, fc.want, fc.style, what); err != nil {
				return err
			}
		}
		row++
	}
	if len(b.scen) > 0 {
		row++
		if err := b.str(s, 1, row, "What-if scenarios (formulas on the Scenarios sheet)", b.st.section); err != nil {
			return err
		}
		if _, err := b.scenarioTable(row + 1); err != nil {
			return err
		}
	}

	// Charts beside the tables.
	noVary := false
	if n := min(saving, xlsxChartTop); n > 0 {
		wfLast := wfFirst + n - 1
		title := fmt.Sprintf("Batch savings in the window, top %d workflows", n)
		if n == 1 {
			title = "Batch savings in the window"
		}
		if err := b.f.AddChart(s, "I4", &excelize.Chart{
			Type: excelize.Bar,
			Series: []excelize.ChartSeries{{
				Name:       sheetRef(s) + "$F$" + fmt.Sprint(wfFirst-1),
				Categories: fmt.Sprintf("%s$A$%d:$A$%d", sheetRef(s), wfFirst, wfLast),
				Values:     fmt.Sprintf("%s$F$%d:$F$%d", sheetRef(s), wfFirst, wfLast),
			}},
			Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
			Legend:     excelize.ChartLegend{Position: "none"},
			VaryColors: &noVary,
			// Largest at the top, and dollars on the value axis.
			XAxis:     excelize.ChartAxis{ReverseOrder: true},
			YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: `"$"#,##0.00`}, MajorGridLines: true},
			PlotArea:  excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: `"$"#,##0.00`}},
			Format:    excelize.GraphicOptions{AltText: title},
			Dimension: excelize.ChartDimension{Width: 560, Height: uint(120 + 24*n)},
		}); err != nil {
			return fmt.Errorf("xlsx: savings chart: %w", err)
		}
		// The print area covers the chart: about 64 px a column and 15 px
		// a row (at least) from I4.
		b.touch(s, 9+560/64, 5+(120+24*n)/15)
	}
	if err := b.f.AddChart(s, "I25", &excelize.Chart{
		Type: excelize.Pie,
		Series: []excelize.ChartSeries{{
			Name:       sheetRef(s) + "$C$" + fmt.Sprint(classFirst-1),
			Categories: fmt.Sprintf("%s$A$%d:$A$%d", sheetRef(s), classFirst, classLast),
			Values:     fmt.Sprintf("%s$C$%d:$C$%d", sheetRef(s), classFirst, classLast),
		}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Cost by latency class (USD)"}}},
		Legend:    excelize.ChartLegend{Position: "right"},
		Format:    excelize.GraphicOptions{AltText: "Cost by latency class"},
		Dimension: excelize.ChartDimension{Width: 480, Height: 300},
	}); err != nil {
		return fmt.Errorf("xlsx: class chart: %w", err)
	}
	b.touch(s, 9+480/64, 26+300/15)
	return nil
}

// xlsxChartTop is how many workflows the Summary's savings chart shows.
const xlsxChartTop = 10

// xlsxSummaryTop is how many workflows the Summary lists (largest savings
// first); the rest share one row, so the Summary prints on one page.
const xlsxSummaryTop = 20

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
