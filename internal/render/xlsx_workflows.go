package render

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/report"
)

// Columns of the Workflows sheet.
const (
	wcWorkflow = iota + 1
	wcClass
	wcProvider
	wcModel
	wcRef
	wcMode
	wcRequests
	wcInput // tokens: input, cache read, cache write 5m, cache write 1h, output
	wcCacheRead
	wcCW5m
	wcCW1h
	wcOutput
	wcBasis
	wcPInput // prices of the line's current mode, same bucket order
	wcPCacheRead
	wcPCW5m
	wcPCW1h
	wcPOutput
	wcFee
	wcCost
	wcBatchable
	wcClassMoves
	wcEligible
	wcBInput // batch prices, same bucket order
	wcBCacheRead
	wcBCW5m
	wcBCW1h
	wcBOutput
	wcBatchCost
	wcSavings
	wcWhy
)

func lineTokens(l report.WorkflowLine) [5]int64 {
	return [5]int64{l.InputTokens, l.CacheReadTokens, l.CacheWrite5mTokens, l.CacheWrite1hTokens, l.OutputTokens}
}

// priceCost is the cost of tokens at prices (USD per million) plus the
// request fees.
func priceCost(tok [5]int64, prices [5]decimal.Decimal, requests int64, fee decimal.Decimal) decimal.Decimal {
	sum := decimal.Zero
	for k := range tok {
		sum = sum.Add(decimal.NewFromInt(tok[k]).Mul(prices[k]))
	}
	return sum.Shift(-6).Add(decimal.NewFromInt(requests).Mul(fee))
}

// closeTo reports whether a and b agree to a relative 1e-12 (exactly, for
// the exact decimals of the pipeline; the slack absorbs any rounding of a
// long division).
func closeTo(a, b decimal.Decimal) bool {
	diff := a.Sub(b).Abs()
	scale := decimal.Max(a.Abs(), b.Abs())
	return diff.LessThanOrEqual(scale.Mul(decimal.New(1, -12))) || diff.LessThan(decimal.New(1, -15))
}

// classFlagFormula is the class's batch flag from Inputs.
func (b *xlsxBuilder) classFlagFormula(classCell string) string {
	f := "0"
	for i := len(latencyClasses) - 1; i >= 0; i-- {
		c := latencyClasses[i]
		f = fmt.Sprintf(`IF(%s="%s",%s,%s)`, classCell, c, b.eligibleName[c], f)
	}
	return f
}

// priceLookup is the formula that fetches one price of ref from column col
// of the Prices sheet.
func (b *xlsxBuilder) priceLookup(refCell, ref string, col int) string {
	if strings.ContainsAny(ref, "*?~") {
		// MATCH would read these as wildcards: point at the row instead.
		return absRef(sheetPrices, col, b.priceRow[ref])
	}
	return fmt.Sprintf("INDEX(%s,MATCH(%s,%s,0))",
		absRange(sheetPrices, col, b.priceFirst, b.priceLast), refCell,
		absRange(sheetPrices, pcRef, b.priceFirst, b.priceLast))
}

func (b *xlsxBuilder) workflowsSheet() error {
	const s = sheetWorkflows
	// The stream writes the sheet properties when it starts and the page
	// setup, autofilter and print names from the sheet as it is when it
	// is flushed: set them up around the rows.
	if err := b.pageSetup(s); err != nil {
		return err
	}
	if err := b.startStream(s); err != nil {
		return err
	}
	if err := b.workflowsRows(); err != nil {
		return err
	}
	if err := b.printSheet(s); err != nil {
		return err
	}
	b.printed[s] = true
	return b.endStream()
}

// workflowsRows writes the rows of the Workflows sheet in order: the
// header, one row per workflow line, the totals.
func (b *xlsxBuilder) workflowsRows() error {
	const s = sheetWorkflows
	if err := b.widths(s, 28, 13, 11, 24, 36, 8, 11, 14, 14, 14, 14, 14, 10,
		10, 10, 10, 10, 10, 9, 14, 10, 10, 9, 10, 10, 10, 10, 10, 14, 14, 60); err != nil {
		return err
	}
	if err := b.header(s, 1, "Workflow", "Class", "Provider", "Model", "Price ref", "Mode", "Requests",
		"Input tokens", "Cache read tokens", "Cache write 5m tokens", "Cache write 1h tokens", "Output tokens",
		"Priced at", "Input $/M", "Cache read $/M", "Cache write 5m $/M", "Cache write 1h $/M", "Output $/M", "Request fee $",
		"Cost (as run)", "Batch possible", "Class moves", "Moves to batch",
		"Batch input $/M", "Batch cache read $/M", "Batch cache write 5m $/M", "Batch cache write 1h $/M", "Batch output $/M",
		"Batch what-if cost", "Savings", "Why"); err != nil {
		return err
	}
	if err := b.freeze(s, 1, 1); err != nil {
		return err
	}
	row := 2
	b.wfFirst = row
	for _, w := range b.rep.Workflows {
		span := wfSpan{w: w, first: row}
		for _, l := range w.Lines {
			if err := b.workflowLine(row, w, l); err != nil {
				return err
			}
			span.requests += l.Requests
			span.cost = span.cost.Add(l.CostUSD)
			span.batch = span.batch.Add(l.BatchCostUSD)
			row++
		}
		span.last = row - 1
		if span.last >= span.first {
			b.wf = append(b.wf, span)
		}
	}
	b.wfLast = row - 1
	b.wfTotal = row
	if err := b.str(s, wcWorkflow, row, "Total", b.st.header); err != nil {
		return err
	}
	if b.wfLast < b.wfFirst {
		// no lines: totals are zero constants
		for _, c := range []int{wcRequests, wcInput, wcCacheRead, wcCW5m, wcCW1h, wcOutput, wcCost, wcBatchCost, wcSavings} {
			if err := b.num(s, c, row, decimal.Zero, b.st.intTotal); err != nil {
				return err
			}
		}
		return nil
	}
	lines := b.allLines()
	sumInt := func(get func(report.WorkflowLine) int64) decimal.Decimal {
		var n int64
		for _, l := range lines {
			n += get(l)
		}
		return decimal.NewFromInt(n)
	}
	sumDec := func(get func(report.WorkflowLine) decimal.Decimal) decimal.Decimal {
		d := decimal.Zero
		for _, l := range lines {
			d = d.Add(get(l))
		}
		return d
	}
	totals := []struct {
		col   int
		want  decimal.Decimal
		style int
	}{
		{wcRequests, sumInt(func(l report.WorkflowLine) int64 { return l.Requests }), b.st.intTotal},
		{wcInput, sumInt(func(l report.WorkflowLine) int64 { return l.InputTokens }), b.st.intTotal},
		{wcCacheRead, sumInt(func(l report.WorkflowLine) int64 { return l.CacheReadTokens }), b.st.intTotal},
		{wcCW5m, sumInt(func(l report.WorkflowLine) int64 { return l.CacheWrite5mTokens }), b.st.intTotal},
		{wcCW1h, sumInt(func(l report.WorkflowLine) int64 { return l.CacheWrite1hTokens }), b.st.intTotal},
		{wcOutput, sumInt(func(l report.WorkflowLine) int64 { return l.OutputTokens }), b.st.intTotal},
		{wcCost, sumDec(func(l report.WorkflowLine) decimal.Decimal { return l.CostUSD }), b.st.usdTotal},
		{wcBatchCost, sumDec(func(l report.WorkflowLine) decimal.Decimal { return l.BatchCostUSD }), b.st.usdTotal},
		{wcSavings, sumDec(func(l report.WorkflowLine) decimal.Decimal { return l.CostUSD.Sub(l.BatchCostUSD) }), b.st.usdTotal},
	}
	for _, t := range totals {
		f := fmt.Sprintf("SUM(%s%d:%s%d)", colName(t.col), b.wfFirst, colName(t.col), b.wfLast)
		if err := b.formula(s, t.col, row, f, t.want, t.style, "Workflows total of column "+colName(t.col)); err != nil {
			return err
		}
	}
	return nil
}

// workflowLine writes one row of the Workflows sheet.
func (b *xlsxBuilder) workflowLine(row int, w report.Workflow, l report.WorkflowLine) error {
	const s = sheetWorkflows
	what := fmt.Sprintf("%s %s %s", w.Workflow, l.PriceRef, l.Mode)
	for _, cv := range []struct {
		col int
		v   string
	}{{wcWorkflow, w.Workflow}, {wcClass, w.Class}, {wcProvider, l.Provider}, {wcModel, l.Model}, {wcRef, l.PriceRef}, {wcMode, l.Mode}} {
		if err := b.str(s, cv.col, row, cv.v, b.st.text); err != nil {
			return err
		}
	}
	if err := b.integer(s, wcRequests, row, l.Requests, b.st.integer); err != nil {
		return err
	}
	tok := lineTokens(l)
	for k, t := range tok {
		if err := b.integer(s, wcInput+k, row, t, b.st.integer); err != nil {
			return err
		}
	}
	p, known := b.pricesByID[l.PriceRef]
	batch, hasBatch := b.batchPrice[l.PriceRef]
	hasBatch = known && hasBatch

	// Which prices reproduce the cost as run?
	basis := "fixed"
	var cur [5]decimal.Decimal
	if known {
		switch {
		case closeTo(priceCost(tok, listPrices(p), l.Requests, p.RequestFee), l.CostUSD):
			basis, cur = "list", listPrices(p)
		case hasBatch && closeTo(priceCost(tok, batch, l.Requests, p.RequestFee), l.CostUSD):
			basis, cur = "batch", batch
		}
	}
	// The uncached input at the line's input price, for the caching
	// lever of Break-even (SUMPRODUCT of the two columns there).
	b.inputCost = b.inputCost.Add(decimal.NewFromInt(tok[0]).Mul(cur[0]).Shift(-6))
	refCell := "$" + cell(wcRef, row)
	costCell := cell(wcCost, row)
	if basis == "fixed" {
		why := "no price row reproduces the cost of " + what
		if !known {
			why = "price ref " + l.PriceRef + " is not on the Prices sheet"
		}
		if err := b.str(s, wcBasis, row, "as run", b.st.text); err != nil {
			return err
		}
		if err := b.fixed(s, wcCost, row, l.CostUSD, b.st.usd, why); err != nil {
			return err
		}
	} else {
		label := "list"
		if basis == "batch" {
			label = "batch (as run)"
		}
		if err := b.str(s, wcBasis, row, label, b.st.text); err != nil {
			return err
		}
		for k := range cur {
			if basis == "batch" {
				// Already on batch: the prices it ran at are facts, not
				// what-ifs, so they do not follow the discount inputs.
				if err := b.num(s, wcPInput+k, row, cur[k], b.st.price); err != nil {
					return err
				}
				continue
			}
			if err := b.formula(s, wcPInput+k, row, b.priceLookup(refCell, l.PriceRef, pcInput+k), cur[k], b.st.price,
				bucketLabels[k]+" price of "+what); err != nil {
				return err
			}
		}
		if err := b.formula(s, wcFee, row, b.priceLookup(refCell, l.PriceRef, pcFee), p.RequestFee, b.st.price,
			"request fee of "+what); err != nil {
			return err
		}
		f := fmt.Sprintf("SUMPRODUCT(%s:%s,%s:%s)/1000000+%s*%s",
			cell(wcInput, row), cell(wcOutput, row), cell(wcPInput, row), cell(wcPOutput, row),
			cell(wcRequests, row), cell(wcFee, row))
		if err := b.formula(s, wcCost, row, f, l.CostUSD, b.st.usd, "cost of "+what); err != nil {
			return err
		}
	}

	// Batch eligibility: a fact of the line (provider has a batch API and
	// the line is not already at batch prices) times the class flag.
	possible := hasBatch && basis == "list"
	var batchable bool
	why := w.WhatIf.Reason
	switch {
	case l.BatchEligible:
		batchable = true
	case !hasBatch:
		why = l.Provider + " has no batch API"
	case basis == "batch":
		why = "already at batch prices (mode " + l.Mode + ")"
	case b.eligible[w.Class]:
		batchable = false // the report kept it for a reason of its own
	default:
		batchable = possible
	}
	classOn := b.eligible[w.Class]
	if err := b.integer(s, wcBatchable, row, b01(batchable), b.st.integer); err != nil {
		return err
	}
	if err := b.formula(s, wcClassMoves, row, b.classFlagFormula("$"+cell(wcClass, row)), decimal.NewFromInt(b01(classOn)), b.st.integer,
		"class flag of "+what); err != nil {
		return err
	}
	elig := batchable && classOn
	if err := b.formula(s, wcEligible, row, cell(wcBatchable, row)+"*"+cell(wcClassMoves, row), decimal.NewFromInt(b01(elig)), b.st.integer,
		"batch flag of "+what); err != nil {
		return err
	}
	if hasBatch {
		for k := range batch {
			if err := b.formula(s, wcBInput+k, row, b.priceLookup(refCell, l.PriceRef, pcBatchInput+k), batch[k], b.st.price,
				"batch "+bucketLabels[k]+" price of "+what); err != nil {
				return err
			}
		}
	}
	// The Go value of the batch formula must be the report's.
	goBatch := l.CostUSD
	if elig {
		goBatch = priceCost(tok, batch, l.Requests, p.RequestFee)
	}
	if hasBatch && closeTo(goBatch, l.BatchCostUSD) && (elig == l.BatchEligible) {
		f := fmt.Sprintf("IF(%s=1,SUMPRODUCT(%s:%s,%s:%s)/1000000+%s*%s,%s)", cell(wcEligible, row),
			cell(wcInput, row), cell(wcOutput, row), cell(wcBInput, row), cell(wcBOutput, row),
			cell(wcRequests, row), cell(wcFee, row), costCell)
		if err := b.formula(s, wcBatchCost, row, f, l.BatchCostUSD, b.st.usd, "batch cost of "+what); err != nil {
			return err
		}
	} else if !hasBatch && l.BatchCostUSD.Equal(l.CostUSD) {
		if err := b.formula(s, wcBatchCost, row, costCell, l.BatchCostUSD, b.st.usd, "batch cost of "+what); err != nil {
			return err
		}
	} else {
		if err := b.fixed(s, wcBatchCost, row, l.BatchCostUSD, b.st.usd, "no batch formula reproduces the batch cost of "+what); err != nil {
			return err
		}
	}
	if err := b.formula(s, wcSavings, row, costCell+"-"+cell(wcBatchCost, row), l.CostUSD.Sub(l.BatchCostUSD), b.st.usd,
		"savings of "+what); err != nil {
		return err
	}
	return b.str(s, wcWhy, row, why, b.st.text)
}

func b01(v bool) int64 {
	if v {
		return 1
	}
	return 0
}
