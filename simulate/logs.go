package simulate

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

// ParseWhatIf decodes a what-if file for audited logs: the levers of a
// scenario file without [[workload]] or [volume], which come from the
// logs. Levers select workflows by latency class ([batch] classes) or by
// name (workflows = [...]).
func ParseWhatIf(path string, data []byte) (*File, error) {
	return parse(path, data, true)
}

// wfSel is one workflow of an audited report during a what-if.
type wfSel struct {
	w   *report.Workflow
	key string // key prefix "wfN_"
}

// RunOnReport applies a what-if file (from ParseWhatIf) to an audited
// report and returns the scenario. The figures are expressions over
// per-workflow assumptions taken from the report (source "logs"), so a
// spreadsheet can recompute them; costs come from the report's price rows.
func RunOnReport(f *File, rep *report.Report, opt Options) (report.Scenario, error) {
	if opt.At.IsZero() && rep.Window.End != "" {
		if t, err := time.Parse(time.RFC3339, rep.Window.End); err == nil {
			opt.At, opt.AtSource = t.UTC(), "logs: end of the window"
		}
	}
	r := &logRun{run: run{f: f, opt: opt, s: newSheet(), at: opt.At, overLogs: true}, rep: rep, prices: map[string]*report.PriceRow{}}
	for i := range rep.Prices {
		r.prices[rep.Prices[i].Ref] = &rep.Prices[i]
	}
	if err := r.do(); err != nil {
		return report.Scenario{}, err
	}
	if r.s.err != nil {
		return report.Scenario{}, r.s.err
	}
	title := f.Title
	if title == "" {
		title = f.Name
	}
	return report.Scenario{Name: f.Name, Kind: "what-if", Title: title, Figures: r.s.figures, Tables: r.tables, Assumptions: r.s.assumptions, Notes: r.notes}, nil
}

type logRun struct {
	run
	rep    *report.Report
	prices map[string]*report.PriceRow
	wfs    []*wfSel
	days   bool
	// delayedTerms are the requests each workflow moves to batch, summed
	// into delayed_requests after the batch totals.
	delayedTerms []string
}

var million = decimal.NewFromInt(1_000_000)

func (r *logRun) logSrc(w *report.Workflow, what string) string {
	return fmt.Sprintf("logs: workflow %q (%s, %d requests): %s", w.Workflow, w.Class, w.Requests, what)
}

func (r *logRun) do() error {
	for i := range r.rep.Workflows {
		w := &r.rep.Workflows[i]
		if w.Requests == 0 && w.CostUSD.IsZero() {
			continue
		}
		r.wfs = append(r.wfs, &wfSel{w: w, key: fmt.Sprintf("wf%d_", len(r.wfs)+1)})
	}
	if len(r.wfs) == 0 {
		return errors.New("what-if: the logs hold no priced workflow")
	}
	days := r.rep.Window.Days
	if days.IsPositive() {
		r.days = true
		r.s.assume("window_days", days, "logs: days between the first and last record", fixed)
	}
	var keys []string
	for _, ws := range r.wfs {
		keys = append(keys, r.wfCost(ws))
	}
	r.sum("cost", "cost of the priced workflows in the window", "USD", keys)
	r.monthly("monthly_cost", "cost", "cost")
	return r.applyLevers(r)
}

func (r *logRun) wfCost(ws *wfSel) string {
	k := ws.key + "cost"
	if !r.s.has(k) {
		r.s.assume(k, ws.w.CostUSD, r.logSrc(ws.w, "cost at the prices of the books used"), input)
	}
	return k
}

// monthly adds what per 30-day month, when the window has a length.
func (r *logRun) monthly(key, what, of string) {
	if r.days {
		r.s.fig(key, what+" per 30-day month", "USD/month", of+" * 30 / window_days")
	}
}

// summary adds nothing: the batch lever's table lists the workflows.
func (r *logRun) summary() {}

// lineCost prices a line's tokens with a price row's list or batch prices.
func lineCost(l report.WorkflowLine, p *report.PriceRow, batch bool) decimal.Decimal {
	in, cr, w5, w1, out := p.Input, p.CacheRead, p.CacheWrite5m, p.CacheWrite1h, p.Output
	if batch {
		in, cr, w5, w1, out = p.BatchInput, p.BatchCacheRead, p.BatchCacheWrite5m, p.BatchCacheWrite1h, p.BatchOutput
	}
	sum := decimal.NewFromInt(l.InputTokens).Mul(in).
		Add(decimal.NewFromInt(l.CacheReadTokens).Mul(cr)).
		Add(decimal.NewFromInt(l.CacheWrite5mTokens).Mul(w5)).
		Add(decimal.NewFromInt(l.CacheWrite1hTokens).Mul(w1)).
		Add(decimal.NewFromInt(l.OutputTokens).Mul(out))
	return sum.Div(million).Add(decimal.NewFromInt(l.Requests).Mul(p.RequestFee))
}

// selected reports whether a workflow is chosen by a lever's workflow
// list (all when empty).
func selected(w *report.Workflow, names []string) bool {
	return len(names) == 0 || oneOf(w.Workflow, names)
}

// batchCosts moves the eligible workflows' price lines to batch where
// batch is cheaper than their delivery today.
func (r *logRun) batchCosts() ([]string, error) {
	eligible := r.f.Batch.Classes
	src := r.fileSrc("batch.classes")
	if len(eligible) == 0 {
		eligible, src = []string{"scheduled"}, "default: only scheduled work moves to batch"
	}
	table := report.Table{Name: "batch by workflow", Columns: []string{"key", "workflow", "class", "cost_usd", "batch_cost_usd", "outcome"}}
	var keys, delayed []string
	for _, ws := range r.wfs {
		w := ws.w
		moved, already, none, dearer := decimal.Zero, 0, []string{}, []string{}
		var movedReqs int64
		allBatch := w.CostUSD
		for _, l := range w.Lines {
			p := r.prices[l.PriceRef]
			switch {
			case l.Mode == "batch":
				already++
			case p == nil || !p.HasBatch:
				none = append(none, l.Provider)
			default:
				// A line moves only when batch is cheaper than its own
				// delivery: flex traffic whose cache reads keep a discount
				// batch does not give stays, and no saving is negative.
				nb := lineCost(l, p, true)
				if !nb.LessThan(l.CostUSD) {
					dearer = append(dearer, l.Mode)
					continue
				}
				allBatch = allBatch.Sub(l.CostUSD).Add(nb)
				moved = moved.Add(l.CostUSD.Sub(nb))
				movedReqs += l.Requests
			}
		}
		outcome := ""
		switch {
		case len(r.f.Batch.Workflows) > 0 && !oneOf(w.Workflow, r.f.Batch.Workflows):
			outcome = "not in batch.workflows"
		case len(r.f.Batch.Workflows) == 0 && !oneOf(w.Class, eligible):
			outcome = "class " + w.Class + " is not eligible"
		case already == len(w.Lines):
			outcome = "already batched: untouched"
		case moved.IsZero() && (len(none) > 0 || len(dearer) > 0):
			var why []string
			if len(none) > 0 {
				why = append(why, strings.Join(uniq(none), ", ")+" has no batch API")
			}
			if len(dearer) > 0 {
				why = append(why, strings.Join(uniq(dearer), ", ")+" traffic would cost no less on batch")
			}
			outcome = strings.Join(why, "; ")
		}
		cost := r.wfCost(ws)
		if outcome != "" {
			keys = append(keys, cost)
			table.Rows = append(table.Rows, []string{ws.key + "cost", w.Workflow, w.Class, w.CostUSD.String(), w.CostUSD.String(), outcome})
			continue
		}
		why := fmt.Sprintf("class %s is eligible (%s)", w.Class, src)
		if len(r.f.Batch.Workflows) > 0 {
			why = "named in " + r.fileSrc("batch.workflows")
		}
		r.s.assume(ws.key+"eligible_share", dOne, why, rate)
		r.s.assume(ws.key+"cost_all_batch", allBatch, r.logSrc(w, "cost with its non-batched requests at the batch prices of the books, where those are lower"), input)
		k := r.s.figKey(ws.key+"batch_cost", fmt.Sprintf("%s: cost with eligible traffic on batch", ws.w.Workflow), "USD",
			cost+" * (1 - "+ws.key+"eligible_share) + "+ws.key+"eligible_share * "+ws.key+"cost_all_batch")
		keys = append(keys, k)
		r.s.assume(ws.key+"batch_requests", decimal.NewFromInt(movedReqs), r.logSrc(w, "requests that move to batch"), input)
		delayed = append(delayed, ws.key+"batch_requests * "+ws.key+"eligible_share")
		outcome = "moves to batch"
		if len(none) > 0 {
			outcome += "; " + strings.Join(uniq(none), ", ") + " lines stay (no batch API)"
		}
		if len(dearer) > 0 {
			outcome += "; " + strings.Join(uniq(dearer), ", ") + " lines stay (no cheaper on batch)"
		}
		table.Rows = append(table.Rows, []string{ws.key + "batch_cost", w.Workflow, w.Class, w.CostUSD.String(), r.s.value(k).String(), outcome})
	}
	r.tables = append(r.tables, table)
	r.delayedTerms = delayed
	return keys, nil
}

// batchJobs records the requests that move, the queue's wait and, with a
// window to spread them over, the daily batch jobs of every workflow that
// moves to batch, under the tightest per-job limits of its providers, from
// its requests per day and its average prompt size in the logs.
func (r *logRun) batchJobs() {
	r.s.assume("requests", decimal.NewFromInt(r.requests()), "logs: priced requests of the workflows", input)
	if len(r.delayedTerms) > 0 && r.f.TimeValue != nil {
		r.delayed = r.s.figKey("delayed_requests", "requests moved to batch in the window", "requests", strings.Join(r.delayedTerms, " + "))
	}
	every, oneOff := r.queueWait()
	if !r.days {
		return
	}
	var units []jobUnit
	for _, ws := range r.wfs {
		if !r.s.has(ws.key + "batch_cost") {
			continue
		}
		w := ws.w
		var maxReq, maxBytes int64
		var limitSrc []string
		var prompt, reqs int64
		for _, l := range w.Lines {
			p := r.prices[l.PriceRef]
			if l.Mode == "batch" || p == nil || !p.HasBatch || !lineCost(l, p, true).LessThan(l.CostUSD) {
				continue
			}
			reqs += l.Requests
			prompt += l.InputTokens + l.CacheReadTokens + l.CacheWrite5mTokens + l.CacheWrite1hTokens
			if lim, ok := batchLimits[l.Provider]; ok {
				if lim.requests > 0 && (maxReq == 0 || lim.requests < maxReq) {
					maxReq = lim.requests
				}
				if lim.bytes > 0 && (maxBytes == 0 || lim.bytes < maxBytes) {
					maxBytes = lim.bytes
				}
				if !oneOf(lim.source, limitSrc) {
					limitSrc = append(limitSrc, lim.source)
				}
			}
		}
		if reqs == 0 {
			continue
		}
		k := ws.key
		units = append(units, jobUnit{pf: k, name: w.Workflow + ": ", maxReq: maxReq, maxBytes: maxBytes, limitSrc: strings.Join(limitSrc, "; "), who: strings.Join(w.Providers, ", "),
			perSub: k + "batch_requests * " + k + "eligible_share * submit_every_hours / (window_days * 24)",
			bytes: func() string {
				r.bytesPerToken()
				r.bytesOverhead()
				r.s.assume(k+"prompt_tokens", decimal.NewFromInt(prompt), r.logSrc(w, "prompt tokens (input and cached) of the requests that move"), input)
				return r.s.figKey(k+"batch_bytes_per_request", w.Workflow+": JSONL bytes per request", "bytes",
					k+"prompt_tokens / "+k+"batch_requests * bytes_per_token + bytes_overhead_per_request")
			}})
	}
	r.sizeJobs(units, every, !oneOff)
}

func (r *logRun) requests() int64 {
	var n int64
	for _, ws := range r.wfs {
		n += ws.w.Requests
	}
	return n
}

func uniq(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !oneOf(x, out) {
			out = append(out, x)
		}
	}
	return out
}

// cacheCosts caches a prefix of prefix_tokens per request of the selected
// workflows. It starts from the caching the logs already show: per
// request, only the prefix tokens the request did not already read from or
// write to a cache move, at most its uncached input (Options.Prefix counts
// them record by record; without it, the same rule over each line's totals).
// Those tokens come out of the uncached input and pay the read price on a
// hit and the write price on a miss.
func (r *logRun) cacheCosts() ([]string, error) {
	c := r.f.Cache
	if !c.PrefixTokens.Set {
		return nil, r.f.errAt(errors.New("missing: a cache what-if over logs needs prefix_tokens, the shared prompt prefix per request"), "cache", "prefix_tokens")
	}
	prefix := c.PrefixTokens.D.IntPart()
	measured := r.opt.Prefix != nil && r.opt.Prefix.Prefix == prefix && c.PrefixTokens.D.IsInteger()
	h := r.num("cache_hit_rate", c.HitRate, r.fileSrc("cache.hit_rate"), rate)
	r.num("cache_prefix_tokens", c.PrefixTokens, r.fileSrc("cache.prefix_tokens"), input)
	var keys, skipped, full []string
	any := false
	for _, ws := range r.wfs {
		w := ws.w
		cost := r.wfCost(ws)
		if !selected(w, c.Workflows) {
			keys = append(keys, cost)
			continue
		}
		var tokens, already int64
		base, read, write := decimal.Zero, decimal.Zero, decimal.Zero
		for _, l := range w.Lines {
			p := r.prices[l.PriceRef]
			if p == nil || p.CacheRead.IsZero() {
				continue
			}
			if l.Mode == "flex" || l.Mode == "priority" {
				// The report holds no flex or priority prices to take the
				// prefix out of the line's cost at.
				skipped = append(skipped, w.Workflow+" ("+l.Mode+")")
				continue
			}
			any = true
			cached := l.CacheReadTokens + l.CacheWrite5mTokens + l.CacheWrite1hTokens
			already += cached
			var n int64
			if measured {
				n = r.opt.Prefix.Tokens[PrefixLine{w.Workflow, l.PriceRef, l.Mode}]
			} else {
				n = prefix*l.Requests - cached
				n = max(0, min(n, l.InputTokens))
			}
			in, cr, wr, listWr := p.Input, p.CacheRead, p.CacheWrite5m, p.CacheWrite5m
			if c.TTL == "1h" {
				wr, listWr = p.CacheWrite1h, p.CacheWrite1h
			}
			if l.Mode == "batch" {
				in, cr, wr = p.BatchInput, p.BatchCacheRead, p.BatchCacheWrite5m
				if c.TTL == "1h" {
					wr = p.BatchCacheWrite1h
				}
				// Where a write costs what input costs, a miss on batch is
				// batch input, whether or not cache prices stack with batch.
				if listWr.Equal(p.Input) {
					wr = p.BatchInput
				}
			}
			if wr.IsZero() {
				wr = in
			}
			tn := decimal.NewFromInt(n)
			tokens += n
			base = base.Add(tn.Mul(in).Div(million))
			read = read.Add(tn.Mul(cr).Div(million))
			write = write.Add(tn.Mul(wr).Div(million))
		}
		if tokens == 0 {
			if already > 0 {
				full = append(full, w.Workflow)
			}
			keys = append(keys, cost)
			continue
		}
		what := fmt.Sprintf("%d prefix tokens not yet cached (per request: prefix_tokens less its cache reads and writes, at most its uncached input", tokens)
		if !measured {
			what = fmt.Sprintf("%d prefix tokens not yet cached (prefix_tokens × requests less the %d cache-read and cache-write tokens the logs show, at most the uncached input, over each line's totals: no per-request counts", tokens, already)
		}
		what += ")"
		r.s.assume(ws.key+"prefix_at_input", base, r.logSrc(w, what+" at the input price"), input)
		r.s.assume(ws.key+"prefix_at_read", read, r.logSrc(w, what+" at the cache-read price"), input)
		r.s.assume(ws.key+"prefix_at_write", write, r.logSrc(w, what+" at the cache-write price ("+c.TTL+")"), input)
		keys = append(keys, r.s.figKey(ws.key+"cache_cost", ws.w.Workflow+": cost with the prefix cached", "USD",
			cost+" - "+ws.key+"prefix_at_input + "+h+" * "+ws.key+"prefix_at_read + (1 - "+h+") * "+ws.key+"prefix_at_write"))
	}
	if !any {
		return nil, r.f.errAt(errors.New("no selected workflow runs on a model with a prompt cache"), "cache")
	}
	if len(full) > 0 {
		r.notes = append(r.notes, fmt.Sprintf("cache: %s: no request has uncached input within its first %d prompt tokens that it does not already cache: nothing more to cache", strings.Join(full, ", "), prefix))
	}
	if len(skipped) > 0 {
		r.notes = append(r.notes, "cache: "+strings.Join(uniq(skipped), ", ")+" lines are left as they are: the report holds no flex or priority prices to re-price them at")
	}
	return keys, nil
}

// cacheBatchCosts does not price cache and batch stacked: a report's lines
// hold no per-request prefix on batch to take out of them.
func (r *logRun) cacheBatchCosts() ([]string, error) { return nil, nil }

// cancelSaved reports the early-cancel ledger of the logs and prices a
// cancel button on each selected workflow's streamed output; what moving
// to batch forfeits is the ledger of the workflows that move.
func (r *logRun) cancelSaved() (saved, forfeit []string, err error) {
	c := r.f.Cancel
	ec := r.rep.EarlyCancel
	r.s.assume("ledger_saved_max", ec.SavedUSDMax, fmt.Sprintf("logs: %d cancelled streams, up to %d output tokens not generated", ec.CancelledStreams, ec.NotGeneratedTokensMax), input)
	crate, pos := r.cancelRates()
	for _, ws := range r.wfs {
		w := ws.w
		if len(c.Workflows) > 0 && !oneOf(w.Workflow, c.Workflows) {
			continue
		}
		out := decimal.Zero
		for _, l := range w.Lines {
			if l.Mode != "stream" {
				continue
			}
			if p := r.prices[l.PriceRef]; p != nil {
				out = out.Add(decimal.NewFromInt(l.OutputTokens).Mul(p.Output).Div(million))
			}
		}
		if out.IsZero() {
			continue
		}
		r.s.assume(ws.key+"stream_output_cost", out, r.logSrc(w, "cost of its streamed output tokens"), input)
		saved = append(saved, r.s.figKey(ws.key+"cancel_saved_max", ws.w.Workflow+": a cancel button saves (at most)", "USD",
			ws.key+"stream_output_cost * "+crate+" * (1 - "+pos+")"))
	}
	if len(ec.Workflows) > 0 {
		t := report.Table{Name: "early-cancel ledger", Columns: []string{"workflow", "streams", "cancelled", "delivered_output_tokens", "not_generated_tokens_min", "not_generated_tokens_max", "saved_usd_min", "saved_usd_max"}}
		for _, row := range ec.Workflows {
			t.Rows = append(t.Rows, []string{row.Workflow, fmt.Sprint(row.Streams), fmt.Sprint(row.Cancelled), fmt.Sprint(row.DeliveredOutputTokens), "0", fmt.Sprint(row.NotGeneratedTokensMax), "0", row.SavedUSDMax.String()})
		}
		r.tables = append(r.tables, t)
		r.notes = append(r.notes, "early cancel: "+ec.Note)
	}
	// Streams of eligible workflows that move to batch lose their cancels.
	for _, row := range ec.Workflows {
		for _, ws := range r.wfs {
			if ws.w.Workflow == row.Workflow && r.s.has(ws.key+"batch_cost") && row.SavedUSDMax.IsPositive() {
				k := ws.key + "ledger_saved_max"
				r.s.assume(k, row.SavedUSDMax, r.logSrc(ws.w, fmt.Sprintf("%d cancelled streams", row.Cancelled)), input)
				forfeit = append(forfeit, k)
			}
		}
	}
	return saved, forfeit, nil
}

// swapCosts prices the selected workflows' tokens on another model, each
// line in its own delivery mode.
func (r *logRun) swapCosts() (keys, bkeys []string, err error) {
	sw := r.f.Swap
	for _, ws := range r.wfs {
		w := ws.w
		cost := r.wfCost(ws)
		if !selected(w, sw.Workflows) {
			keys = append(keys, cost)
			continue
		}
		total := decimal.Zero
		for _, l := range w.Lines {
			var p Prices
			if sw.Prices != nil {
				p = explicitPrices(sw.Prices)
			} else {
				if r.opt.Pricer == nil {
					return nil, nil, r.f.errAt(errors.New("no price books loaded to price this model"), "swap", "model")
				}
				per := int64(0)
				if l.Requests > 0 {
					per = (l.InputTokens + l.CacheReadTokens + l.CacheWrite5mTokens + l.CacheWrite1hTokens) / l.Requests
				}
				var err error
				p, err = r.opt.Pricer.Prices(sw.Provider, sw.Model, r.at, per)
				if err != nil {
					return nil, nil, r.f.errAt(fmt.Errorf("%w (allowed: a model of the price books; see costaudit pricebook list)", err), "swap", "model")
				}
			}
			row := &report.PriceRow{Input: p.Input, CacheRead: p.CacheRead, CacheWrite5m: p.CacheWrite5m, CacheWrite1h: p.CacheWrite1h, Output: p.Output, RequestFee: p.PerRequest}
			if !p.HasCacheRead {
				row.CacheRead = p.Input
			}
			batch := l.Mode == "batch" && p.HasBatch
			if batch {
				row.BatchInput, row.BatchCacheRead, row.BatchCacheWrite5m, row.BatchCacheWrite1h, row.BatchOutput = p.BatchInput, p.BatchCacheRead, p.BatchCacheWrite5m, p.BatchCacheWrite1h, p.BatchOutput
				if p.HasBatchDiscount {
					f := dOne.Sub(p.BatchDiscount)
					row.BatchInput, row.BatchCacheRead, row.BatchCacheWrite5m, row.BatchCacheWrite1h, row.BatchOutput = p.Input.Mul(f), row.CacheRead.Mul(f), p.CacheWrite5m.Mul(f), p.CacheWrite1h.Mul(f), p.Output.Mul(f)
				}
			}
			total = total.Add(lineCost(l, row, batch))
		}
		r.s.assume(ws.key+"swap_cost_logged", total, r.logSrc(w, "its tokens at the swap model's prices"), input)
		keys = append(keys, r.s.figKey(ws.key+"swap_cost", ws.w.Workflow+": cost on the swapped model", "USD", ws.key+"swap_cost_logged"))
	}
	return keys, nil, nil
}
