package audit

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify" // classify is a function of decode_format.go until the decoders move out
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

// BuildOptions are the report inputs besides the aggregate and the scan
// counts.
type BuildOptions struct {
	// Rules are the explicit classification rules (--rules); nil for none.
	Rules *classify.Rules
	// BatchClasses are the latency classes whose workflows the batch what-if
	// moves to the batch API. Empty means DefaultBatchClasses.
	BatchClasses []string
	// BatchClassesFromFlag says the classes came from --batch-classes (for
	// the assumptions list).
	BatchClassesFromFlag bool
	// Notes are extra notes the caller adds to the report.
	Notes []string
	// MaxWorkflows bounds the workflows listed one by one: above it, the
	// costliest MaxWorkflows are kept and the others are folded into one
	// row per latency class with exact sums (see builder.fold), and the
	// aggregator is rewritten in place. 0 lists every workflow.
	MaxWorkflows int
}

// DefaultBatchClasses are the classes the batch what-if applies to unless
// told otherwise: only work nobody waits for on a schedule.
var DefaultBatchClasses = []string{classify.Scheduled}

// projectionDays is the length of the month the projection scales to.
const projectionDays = 30

// windowDaysPlaces is the number of decimal places of Window.Days.
const windowDaysPlaces = 6

// projectionPlaces is the number of decimal places of projected money.
const projectionPlaces = 6

// BuildReport prices the aggregate and assembles the analyze report: every
// key of report.Report, lists sorted (cost descending, then name). cat must
// be the catalog the aggregator was made with (nil means that one). Money is
// the sum of one exact quote per aggregate row; the only rounding is in the
// window length and the monthly projection, which divide by it.
func BuildReport(agg *aggregate.Aggregator, stats Stats, cat *pricing.Catalog, opts BuildOptions) (*report.Report, error) {
	if cat == nil {
		cat = agg.Catalog()
	}
	if cat != agg.Catalog() {
		return nil, fmt.Errorf("build report: the catalog is not the one the aggregate was priced against (price keys index into it); pass the aggregator's catalog")
	}
	classes := opts.BatchClasses
	if len(classes) == 0 {
		classes = DefaultBatchClasses
	}
	eligibleClass := map[string]bool{}
	for _, c := range classes {
		if _, err := classify.ParseClass(c); err != nil {
			return nil, fmt.Errorf("batch classes: %w", err)
		}
		eligibleClass[c] = true
	}
	// Work that can wait minutes can wait for a schedule too: naming
	// near-realtime never drops the scheduled work.
	if eligibleClass[classify.NearRealtime] && !eligibleClass[classify.Scheduled] {
		eligibleClass[classify.Scheduled] = true
		classes = append([]string{classify.Scheduled}, classes...)
	}
	b := &builder{
		agg:       agg,
		cat:       cat,
		opts:      opts,
		eligible:  eligibleClass,
		classes:   classes,
		cls:       map[string]classify.Classification{},
		wf:        map[string]*wfAcc{},
		byClass:   map[string]*report.ClassRow{},
		byModel:   map[[2]string]*report.ModelRow{},
		byMode:    map[string]*report.ModeRow{},
		byDay:     map[string]*report.DayRow{},
		groups:    map[groupKey]*report.GroupRow{},
		focus:     map[focusKey]*report.FocusUsage{},
		prices:    map[pricing.PriceKey]pricing.EntryInfo{},
		batchRule: map[pricing.PriceKey]batchRule{},
		recon:     map[reconKey]*reconAcc{},
		unpriced:  map[string]int64{},
		unpricedT: map[string]report.Tokens{},
	}
	for _, c := range classify.Workflows(agg.Workflows(), opts.Rules, agg.Options().TZ) {
		b.cls[c.Workflow] = c
	}
	// Rows read back without their evidence (AddRow alone) have nothing
	// to classify them by.
	for row := range agg.EachRow() {
		if _, ok := b.cls[row.Workflow]; !ok {
			b.cls[row.Workflow] = classify.Classification{Workflow: row.Workflow, Class: classify.Realtime, Confidence: classify.ConfidenceLow, Basis: "default", Evidence: []string{classify.Unclassified, "no classification evidence in the aggregate"}}
		}
	}
	if !agg.SumsFit() {
		return nil, fmt.Errorf("build report: the token sums exceed %d, the largest count costaudit can add exactly; split the logs into smaller runs (by month or by workflow)", int64(math.MaxInt64))
	}
	note, err := b.fold(opts.MaxWorkflows)
	if err != nil {
		return nil, err
	}
	if note != "" {
		b.opts.Notes = append([]string{note}, opts.Notes...)
	}
	if err := b.rows(); err != nil {
		return nil, err
	}
	return b.assemble(stats)
}

// unpricedName is the coverage.unpriced_models key of a model as listed.
func unpricedName(model string) string {
	if model == "" {
		return "(no model)"
	}
	return model
}

type batchRule struct {
	ok  bool
	why string
}

type groupKey struct {
	index int
	value string
}

// groupSep joins the group-by values of a row inside a map key.
const groupSep = "\x1f"

type focusKey struct {
	day    string
	ref    string
	bucket string
	mode   pricing.Mode
	groups string // the group-by values, joined by groupSep
}

type reconKey struct{ workflow, provider, model string }

type reconAcc struct {
	requests int64
	logged   decimal.Decimal
	ours     decimal.Decimal
	unpriced bool
	// alternative costs of the same rows, for the likely cause
	cacheAsInput decimal.Decimal
	altOK        bool
	versions     map[int32]decimal.Decimal // other price entries of the same model
	versionsBad  map[int32]bool
	cacheTokens  int64
	pks          map[pricing.PriceKey]bool
}

type lineKey struct {
	pk   pricing.PriceKey
	mode pricing.Mode
}

type wfAcc struct {
	usage     pricing.Usage
	cost      decimal.Decimal
	batchCost decimal.Decimal
	lines     map[lineKey]*report.WorkflowLine
	providers map[string]bool
	models    map[string]bool
	modes     map[string]bool
	// what-if bookkeeping over priced lines
	// price lines (not rows) by batch outcome
	linesAlready, linesNoBatch, linesEligible int
	noBatchWhy                                map[string]bool
	// rows of lines whose batch quote is not cheaper than their own
	// delivery (flex with cache reads on a book where cache does not stack
	// with batch), by mode: they stay where they are.
	linesDearer  int
	dearerModes  map[string]bool
	batchWhy     string // batch rule of the costliest eligible line
	batchWhyCost decimal.Decimal
	// early cancel
	streams, cancelled, delivered, withMax, headroom int64
	savedMax                                         decimal.Decimal
	unpricedRequests                                 int64
	records                                          int64 // priced, unbilled and unpriced
	unbilledRequests                                 int64
}

type builder struct {
	agg      *aggregate.Aggregator
	cat      *pricing.Catalog
	opts     BuildOptions
	eligible map[string]bool
	classes  []string
	cls      map[string]classify.Classification

	wf        map[string]*wfAcc
	byClass   map[string]*report.ClassRow
	byModel   map[[2]string]*report.ModelRow
	byMode    map[string]*report.ModeRow
	byDay     map[string]*report.DayRow
	groups    map[groupKey]*report.GroupRow
	focus     map[focusKey]*report.FocusUsage
	prices    map[pricing.PriceKey]pricing.EntryInfo
	batchRule map[pricing.PriceKey]batchRule
	recon     map[reconKey]*reconAcc
	unpriced  map[string]int64
	moves     map[wfLine]bool // lines that move to batch (batchLines)
	unpricedT map[string]report.Tokens
	totals    report.Totals

	priced, unbilled, unpricedN int64
	earlyUnpriced               int64
	// foldedUnclassified counts the folded workflows that had no
	// evidence (see fold), for the note on unclassified workflows.
	foldedUnclassified int
}

func (b *builder) acc(name string) *wfAcc {
	w := b.wf[name]
	if w == nil {
		w = &wfAcc{
			lines:       map[lineKey]*report.WorkflowLine{},
			providers:   map[string]bool{},
			models:      map[string]bool{},
			modes:       map[string]bool{},
			noBatchWhy:  map[string]bool{},
			dearerModes: map[string]bool{},
		}
		b.wf[name] = w
	}
	return w
}

func (b *builder) entry(k pricing.PriceKey) pricing.EntryInfo {
	e, ok := b.prices[k]
	if !ok {
		e = b.cat.Entry(k)
		b.prices[k] = e
	}
	return e
}

func (b *builder) batch(k pricing.PriceKey) batchRule {
	r, ok := b.batchRule[k]
	if !ok {
		r.ok, r.why = b.cat.BatchRule(k)
		b.batchRule[k] = r
	}
	return r
}

// wfLine names one price line of a workflow.
type wfLine struct {
	workflow string
	line     lineKey
}

// batchLines decides which price lines of the eligible workflows move to
// batch: a line moves only when the batch quote of all its rows is below
// their quote as delivered. Flex traffic whose cache reads keep a discount
// that batch does not give is never moved at a loss, so no negative saving
// enters a workflow's what-if, the opportunities or the projection.
func (b *builder) batchLines() (map[wfLine]bool, error) {
	type sums struct{ cost, batch decimal.Decimal }
	acc := map[wfLine]*sums{}
	for row := range b.agg.EachRow() {
		if row.Status != aggregate.RowPriced || row.Mode == pricing.ModeBatch || !b.eligible[b.cls[row.Workflow].Class] || !b.batch(row.PriceKey).ok {
			continue
		}
		u := row.Usage()
		q, err := b.cat.Quote(row.PriceKey, row.Mode, u)
		if err != nil {
			return nil, fmt.Errorf("price workflow %q model %q on %s: %w", row.Workflow, row.Model, row.Day, err)
		}
		bq, err := b.cat.Quote(row.PriceKey, pricing.ModeBatch, u)
		if err != nil {
			// A batch rule that does not cover this row (explicit batch
			// prices without its long-context tier): pricedRow marks the
			// row not batchable, so it takes no part in the line's move.
			continue
		}
		wl := wfLine{row.Workflow, lineKey{row.PriceKey, row.Mode}}
		a := acc[wl]
		if a == nil {
			a = &sums{}
			acc[wl] = a
		}
		a.cost, a.batch = a.cost.Add(q.Total), a.batch.Add(bq.Total)
	}
	moves := make(map[wfLine]bool, len(acc))
	for wl, a := range acc {
		moves[wl] = a.batch.LessThan(a.cost)
	}
	return moves, nil
}

// rows prices every aggregate row once and adds it to every breakdown.
func (b *builder) rows() error {
	moves, err := b.batchLines()
	if err != nil {
		return err
	}
	b.moves = moves
	for row := range b.agg.EachRow() {
		u := row.Usage()
		w := b.acc(row.Workflow)
		w.records += u.Requests
		if row.Provider != "" {
			w.providers[row.Provider] = true
		}
		if row.Model != "" {
			w.models[row.Model] = true
		}
		w.modes[string(row.Mode)] = true
		if row.Mode == pricing.ModeStream {
			w.streams += u.Requests
		}
		w.cancelled += row.CancelledStreams
		w.delivered += row.CancelledOutputTokens
		w.withMax += row.CancelledWithMax
		w.headroom += row.CancelledHeadroomTokens
		switch row.Status {
		case aggregate.RowUnbilled:
			b.unbilled += u.Requests
			w.unbilledRequests += u.Requests
			continue
		case aggregate.RowUnpriced:
			b.unpricedN += u.Requests
			w.unpricedRequests += u.Requests
			b.unpriced[unpricedName(row.Model)] += u.Requests
			t := b.unpricedT[unpricedName(row.Model)]
			t.Requests += u.Requests
			t.InputTokens += u.Input
			t.CacheReadTokens += u.CacheRead
			t.CacheWrite5mTokens += u.CacheWrite5m
			t.CacheWrite1hTokens += u.CacheWrite1h
			t.OutputTokens += u.Output
			b.unpricedT[unpricedName(row.Model)] = t
			b.earlyUnpriced += row.CancelledStreams
			if row.LoggedCost {
				r := b.reconAcc(&row)
				r.requests += u.Requests
				r.logged = r.logged.Add(row.LoggedCostUSD)
				r.unpriced = true
			}
			continue
		}
		b.priced += u.Requests
		if err := b.pricedRow(&row, w); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) reconAcc(row *aggregate.Row) *reconAcc {
	rk := reconKey{row.Workflow, row.Provider, row.Model}
	r := b.recon[rk]
	if r == nil {
		r = &reconAcc{versions: map[int32]decimal.Decimal{}, versionsBad: map[int32]bool{}, pks: map[pricing.PriceKey]bool{}, altOK: true}
		b.recon[rk] = r
	}
	return r
}

func (b *builder) pricedRow(row *aggregate.Row, w *wfAcc) error {
	u := row.Usage()
	q, err := b.cat.Quote(row.PriceKey, row.Mode, u)
	if err != nil {
		return fmt.Errorf("price workflow %q model %q on %s: %w", row.Workflow, row.Model, row.Day, err)
	}
	cost := q.Total
	info := b.entry(row.PriceKey)
	cls := b.cls[row.Workflow]

	// Batch what-if of the row. A line's rows all fall in the same case
	// (the class is the workflow's, the rule the price entry's, the move
	// the line's), so each line is counted once, on its first row.
	batchCost := cost
	eligible := false
	lk := lineKey{row.PriceKey, row.Mode}
	first := w.lines[lk] == nil
	once := func(n *int) {
		if first {
			*n++
		}
	}
	switch {
	case row.Mode == pricing.ModeBatch:
		once(&w.linesAlready)
	case !b.eligible[cls.Class]:
	default:
		br := b.batch(row.PriceKey)
		if !br.ok {
			once(&w.linesNoBatch)
			w.noBatchWhy[br.why] = true
			break
		}
		bq, err := b.cat.Quote(row.PriceKey, pricing.ModeBatch, u)
		if err != nil {
			// A batch rule that does not cover this row (explicit batch
			// prices without its long-context tier): not batchable.
			w.linesNoBatch++
			w.noBatchWhy[err.Error()] = true
			break
		}
		if !b.moves[wfLine{row.Workflow, lk}] {
			once(&w.linesDearer)
			w.dearerModes[string(row.Mode)] = true
			break
		}
		batchCost = bq.Total
		eligible = true
		once(&w.linesEligible)
		if w.batchWhy == "" || cost.GreaterThan(w.batchWhyCost) || (cost.Equal(w.batchWhyCost) && br.why < w.batchWhy) {
			w.batchWhy, w.batchWhyCost = br.why, cost
		}
	}
	savings := cost.Sub(batchCost)

	// Totals and breakdowns.
	b.totals.Requests += u.Requests
	b.totals.InputTokens += u.Input
	b.totals.CacheReadTokens += u.CacheRead
	b.totals.CacheWrite5mTokens += u.CacheWrite5m
	b.totals.CacheWrite1hTokens += u.CacheWrite1h
	b.totals.OutputTokens += u.Output
	b.totals.CostUSD = b.totals.CostUSD.Add(cost)

	cr := b.byClass[cls.Class]
	if cr == nil {
		cr = &report.ClassRow{Class: cls.Class}
		b.byClass[cls.Class] = cr
	}
	cr.Requests += u.Requests
	cr.CostUSD = cr.CostUSD.Add(cost)

	mk := [2]string{row.Provider, row.Model}
	mr := b.byModel[mk]
	if mr == nil {
		mr = &report.ModelRow{Provider: row.Provider, Model: row.Model}
		b.byModel[mk] = mr
	}
	mr.Requests += u.Requests
	mr.CostUSD = mr.CostUSD.Add(cost)

	md := b.byMode[string(row.Mode)]
	if md == nil {
		md = &report.ModeRow{Mode: string(row.Mode)}
		b.byMode[string(row.Mode)] = md
	}
	md.Requests += u.Requests
	md.CostUSD = md.CostUSD.Add(cost)

	dr := b.byDay[row.Day]
	if dr == nil {
		dr = &report.DayRow{Day: row.Day, ByClass: map[string]decimal.Decimal{}}
		b.byDay[row.Day] = dr
	}
	dr.Requests += u.Requests
	dr.CostUSD = dr.CostUSD.Add(cost)
	dr.ByClass[cls.Class] = dr.ByClass[cls.Class].Add(cost)

	if len(b.agg.Options().GroupBy) > 0 {
		for i, val := range row.Groups {
			gk := groupKey{i, val}
			g := b.groups[gk]
			if g == nil {
				g = &report.GroupRow{Key: b.agg.Options().GroupBy[i], Value: val}
				b.groups[gk] = g
			}
			g.Requests += u.Requests
			g.CostUSD = g.CostUSD.Add(cost)
			g.SavingsUSD = g.SavingsUSD.Add(savings)
		}
	}

	// Workflow and its price lines.
	w.usage = w.usage.Add(u)
	w.cost = w.cost.Add(cost)
	w.batchCost = w.batchCost.Add(batchCost)
	ln := w.lines[lk]
	if ln == nil {
		ln = &report.WorkflowLine{Provider: row.PriceKey.Provider, Model: row.PriceKey.ModelID, PriceRef: info.Ref, Mode: string(row.Mode), BatchEligible: eligible}
		w.lines[lk] = ln
	}
	ln.Requests += u.Requests
	ln.InputTokens += u.Input
	ln.CacheReadTokens += u.CacheRead
	ln.CacheWrite5mTokens += u.CacheWrite5m
	ln.CacheWrite1hTokens += u.CacheWrite1h
	ln.OutputTokens += u.Output
	ln.CostUSD = ln.CostUSD.Add(cost)
	ln.BatchCostUSD = ln.BatchCostUSD.Add(batchCost)

	// Early cancel: the output a cancelled stream could still have made.
	if row.CancelledHeadroomTokens > 0 {
		hq, err := b.cat.Quote(row.PriceKey, row.Mode, pricing.Usage{Output: row.CancelledHeadroomTokens})
		if err != nil {
			return fmt.Errorf("early-cancel price of workflow %q model %q: %w", row.Workflow, row.Model, err)
		}
		w.savedMax = w.savedMax.Add(hq.Total)
	}

	// FOCUS cells: the quote's line items at this day, price and mode.
	list := q
	if row.Mode != pricing.ModeSync {
		if lq, err := b.cat.Quote(row.PriceKey, pricing.ModeSync, u); err == nil {
			list = lq
		}
	}
	listCost := map[string]decimal.Decimal{}
	for _, it := range list.Items {
		listCost[it.Bucket] = it.Cost
	}
	for _, it := range q.Items {
		if it.Tokens == 0 {
			continue
		}
		fk := focusKey{row.Day, info.Ref, it.Bucket, row.Mode, strings.Join(row.Groups, groupSep)}
		f := b.focus[fk]
		if f == nil {
			f = &report.FocusUsage{Day: row.Day, Provider: row.PriceKey.Provider, Model: row.PriceKey.ModelID, Bucket: it.Bucket, Mode: string(row.Mode), UnitPrice: it.UnitPrice, PriceRef: info.Ref}
			if len(b.agg.Options().GroupBy) > 0 {
				f.Groups = map[string]string{}
				for i, val := range row.Groups {
					f.Groups[b.agg.Options().GroupBy[i]] = val
				}
			}
			b.focus[fk] = f
		}
		f.Tokens += it.Tokens
		f.CostUSD = f.CostUSD.Add(it.Cost)
		f.ListCostUSD = f.ListCostUSD.Add(listCost[it.Bucket])
	}

	// Reconciliation inputs.
	if row.LoggedCost {
		r := b.reconAcc(row)
		r.requests += u.Requests
		r.logged = r.logged.Add(row.LoggedCostUSD)
		r.ours = r.ours.Add(cost)
		r.pks[row.PriceKey] = true
		r.cacheTokens += u.CacheRead + u.CacheWrite5m + u.CacheWrite1h
		alt := pricing.Usage{Requests: u.Requests, Input: u.TotalInput(), Output: u.Output}
		if aq, err := b.cat.Quote(row.PriceKey, row.Mode, alt); err == nil {
			r.cacheAsInput = r.cacheAsInput.Add(aq.Total)
		} else {
			r.altOK = false
		}
		// The same usage under the model's other price entries.
		for e := int32(0); e < 64; e++ {
			if e == row.PriceKey.Entry || r.versionsBad[e] {
				continue
			}
			ok := row.PriceKey
			ok.Entry = e
			vq, err := b.cat.Quote(ok, row.Mode, u)
			if err != nil {
				r.versionsBad[e] = true
				if e > row.PriceKey.Entry {
					break
				}
				continue
			}
			r.versions[e] = r.versions[e].Add(vq.Total)
		}
	}
	return nil
}

// withinPct reports whether a and b differ by at most pct percent of b.
func withinPct(a, b decimal.Decimal, pct int64) bool {
	d := a.Sub(b).Abs()
	return d.Mul(decimal.NewFromInt(100)).LessThanOrEqual(b.Abs().Mul(decimal.NewFromInt(pct)))
}

func sortedStrings(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// windowDays is the priced window's length in days.
func windowDays(first, last time.Time) decimal.Decimal {
	ns := last.Sub(first).Nanoseconds()
	return decimal.NewFromInt(ns).DivRound(decimal.NewFromInt(int64(24*time.Hour)), windowDaysPlaces)
}
