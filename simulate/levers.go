package simulate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

// cancel prices a cancel button on streamed responses: at a cancel rate c
// and a cancel position p (the share of the output already generated), the
// output not generated is at most tokens_output · c · (1 − p). Providers
// do not document billing after a disconnect (no official statement found,
// e.g. https://community.openai.com/t/928978), so the
// saving is a range from nothing to that maximum.
type cancelLever struct{}

func (cancelLever) on(f *File) bool { return f.Cancel != nil }

func (cancelLever) check(f *File) ([]check, error) {
	c := f.Cancel
	if err := f.segExists(c.Segments, func(err error) error { return f.errAt(err, "cancel", "segments") }); err != nil {
		return nil, err
	}
	return []check{{"cancel", "rate", c.Rate, unit, true}, {"cancel", "position", c.Position, unit, true}}, nil
}

func (cancelLever) apply(r *run, v view) error {
	saved, forfeit, err := v.cancelSaved()
	if err != nil {
		return err
	}
	// The wording over logs ("a cancel button saves in the window") and
	// the share of today's cost only in a scenario are historical, kept so
	// that outputs do not change.
	lead := "cancel button saves " + r.span()
	if r.overLogs {
		lead = "a " + lead
	}
	if len(saved) > 0 {
		r.sum("cancel_saved_max", lead+" (at most)", "USD", saved)
		r.s.fig("cancel_saved_min", lead+" (at least)", "USD", "0")
		r.s.note("cancel_saved_min", "nothing, if the provider or a gateway finishes the generation after the disconnect and bills it (unverified: no provider documents billing after a disconnect)")
		if !r.overLogs {
			r.pct("cancel_saved_max_pct", "cancel button saves (at most)", "cancel_saved_max", "cost")
		}
	}
	if len(forfeit) > 0 {
		r.s.fig("batch_forfeits_cancel_max", "cancel savings given up by moving streams to batch (at most)", "USD", strings.Join(forfeit, " + "))
		if !r.overLogs {
			r.s.note("batch_forfeits_cancel_max", "a batch request cannot be cancelled mid-generation: every token is generated and billed")
		}
		r.s.fig("batch_savings_net_of_cancel", "batch savings net of forfeited cancels (at least)", "USD", "batch_savings - batch_forfeits_cancel_max")
	}
	return nil
}

// cancelRates records the cancel rate and position and returns their keys.
func (r *run) cancelRates() (crate, pos string) {
	c := r.f.Cancel
	return r.num("cancel_rate", c.Rate, r.fileSrc("cancel.rate"), rate), r.num("cancel_position", c.Position, r.fileSrc("cancel.position"), rate)
}

// cancelSaved prices the cancel button on the streamed segments (or the
// segments cancel.segments names) from their output tokens.
func (r *segView) cancelSaved() (saved, forfeit []string, err error) {
	c := r.f.Cancel
	var sel []*seg
	for _, g := range r.segs {
		if len(c.Segments) > 0 {
			if !oneOf(g.f.Name, c.Segments) {
				continue
			}
		} else if g.f.Mode != "stream" {
			continue
		}
		if g.tout == "" {
			if len(c.Segments) > 0 {
				return nil, nil, r.f.errSeg(g.i, "output_tokens", errors.New("missing: [cancel] needs the output tokens of the segment"))
			}
			continue
		}
		sel = append(sel, g)
	}
	if len(sel) == 0 {
		return nil, nil, r.f.errAt(errors.New("no streamed segment with output tokens to cancel (set mode = \"stream\" or list segments)"), "cancel")
	}
	crate, pos := r.cancelRates()
	for _, g := range sel {
		pf := g.pf
		out := "output"
		if g.inBat {
			out = "batch_output"
			if g.p.HasBatchDiscount {
				out = "output"
			}
		}
		O, err := r.price(g, g.p, pf, out)
		if err != nil {
			return nil, nil, r.f.errSeg(g.i, "model", err)
		}
		tok := r.s.figKey(pf+"cancel_tokens_max", pfName(g)+"output tokens not generated per "+r.f.Period+" (at most)", "tokens",
			g.tout+" * "+crate+" * (1 - "+pos+")")
		k := r.s.figKey(pf+"cancel_saved_max", pfName(g)+"cancel button saves per "+r.f.Period+" (at most)", "USD", tok+" * "+O+" / 1000000")
		saved = append(saved, k)
		if r.f.Batch != nil && g.reason == "" && !g.inBat {
			forfeit = append(forfeit, g.elig+" * "+k)
		}
	}
	return saved, forfeit, nil
}

type swapLever struct{}

func (swapLever) on(f *File) bool { return f.Swap != nil }

func (swapLever) check(f *File) ([]check, error) {
	s := f.Swap
	if s.Model == "" && s.Prices == nil {
		return nil, f.errAt(errors.New("missing: name the model to swap to, or give [swap.prices]"), "swap", "model")
	}
	if s.Model != "" && s.Prices != nil {
		return nil, f.errAt(errors.New("give either model or prices, not both"), "swap", "prices")
	}
	if s.Prices != nil {
		if err := f.checkPrices(s.Prices, func(key string, err error) error { return f.errAt(err, "swap", "prices", key) }); err != nil {
			return nil, err
		}
	}
	return nil, f.segExists(s.Segments, func(err error) error { return f.errAt(err, "swap", "segments") })
}

// apply prices the units' tokens on another model, and with [batch] the
// swapped model with eligible traffic on batch.
func (swapLever) apply(r *run, v view) error {
	keys, bkeys, err := v.swapCosts()
	if err != nil {
		return err
	}
	r.total(v, totals{name: "swap", cost: "on the swapped model", savings: "model swap savings"}, keys)
	if r.f.Batch != nil && len(bkeys) > 0 {
		r.sum("swap_batch_cost", "cost "+r.span()+" on the swapped model with eligible traffic on batch", "USD", bkeys)
		r.s.fig("swap_batch_savings", "model swap + batch savings "+r.span(), "USD", "cost - swap_batch_cost")
	}
	return nil
}

// swapCosts prices the segments on another model with the same tokens.
func (r *segView) swapCosts() (keys, bkeys []string, err error) {
	sw := r.f.Swap
	for _, g := range r.segs {
		if (len(sw.Segments) > 0 && !oneOf(g.f.Name, sw.Segments)) || g.spend != "" {
			if len(sw.Segments) > 0 && g.spend != "" {
				return nil, nil, r.f.errAt(fmt.Errorf("segment %q is described by its spend; a model swap needs its tokens", g.f.Name), "swap", "segments")
			}
			keys = append(keys, g.cost)
			if g.batch != "" {
				bkeys = append(bkeys, g.batch)
			}
			continue
		}
		var p Prices
		if sw.Prices != nil {
			p = explicitPrices(sw.Prices)
			p.Provider = sw.Provider
		} else {
			if r.opt.Pricer == nil {
				return nil, nil, r.f.errAt(errors.New("no price books loaded to price this model"), "swap", "model")
			}
			perReq := g.v.InputTokens.D.Add(g.v.PrefixTokens.D).IntPart()
			var err error
			p, err = r.opt.Pricer.Prices(sw.Provider, sw.Model, r.at, perReq)
			if err != nil {
				return nil, nil, r.f.errAt(fmt.Errorf("%w (allowed: a model of the price books; see costaudit pricebook list)", err), "swap", "model")
			}
			r.notes = append(r.notes, fmt.Sprintf("swap: %s/%s prices from %s", p.Provider, p.Model, p.Source))
		}
		h := *g
		h.p = withLimits(p)
		h.label = "swap target"
		batch := g.inBat && h.p.HasBatch
		e, err := r.costExpr(&h, h.p, g.pf+"swap_", batch)
		if err != nil {
			return nil, nil, r.f.errAt(err, "swap", "model")
		}
		k := r.s.figKey(g.pf+"swap_cost", pfName(g)+"cost per "+r.f.Period+" on the swapped model", "USD", e)
		keys = append(keys, k)
		if g.batch == "" {
			continue
		}
		if !h.p.HasBatch || g.inBat || r.s.value(g.elig).IsZero() {
			bk := r.s.figKey(g.pf+"swap_batch_cost", pfName(g)+"cost per "+r.f.Period+" on the swapped model with eligible traffic on batch", "USD", k)
			if !h.p.HasBatch {
				r.s.note(bk, h.p.NoBatchWhy)
			}
			bkeys = append(bkeys, bk)
			continue
		}
		eb, err := r.costExpr(&h, h.p, g.pf+"swap_", true)
		if err != nil {
			return nil, nil, r.f.errAt(err, "swap", "model")
		}
		full := r.s.figKey(g.pf+"swap_all_batch_cost", pfName(g)+"cost per "+r.f.Period+" on the swapped model, all on batch", "USD", eb)
		bkeys = append(bkeys, r.s.figKey(g.pf+"swap_batch_cost", pfName(g)+"cost per "+r.f.Period+" on the swapped model with eligible traffic on batch", "USD",
			k+" * (1 - "+g.elig+") + "+g.elig+" * "+full))
	}
	return keys, bkeys, nil
}

// timeValue weighs the batch savings against the cost of waiting for them.
// Every batch submission's results arrive delay_hours later, so the costs
// are counted where they arise: cost_per_hour per hour of one submission's
// delay (times the submissions of the period), cost_per_request per request
// that moves to batch, and fixed_cost per period (per 30-day month over
// logs). The savings and the cost of delay are per period (in the window
// over logs); the break-even delay cost is per submission.
func (r *run) timeValue(v view) {
	t := r.f.TimeValue
	delay, src := decimal.NewFromInt(24), "default: the 24 h batch window (the longest a batch may take)"
	if t.DelayHours.Set {
		delay, src = t.DelayHours.D, r.fileSrc("time_value.delay_hours")
	}
	r.s.assume("delay_hours", delay, src+"; each submission's results arrive this much later", input)
	per, window := r.span(), r.overLogs && r.s.has("window_days")
	// times scales a per-submission amount to the submissions of the
	// period, "" for one submission; the division comes last so that whole
	// numbers stay exact.
	times, perSub := "", "batch_savings"
	switch {
	case window:
		times = " * window_days * 24 / submit_every_hours"
		r.s.fig("submissions", "batch submissions in the window", "submissions", "window_days * 24 / submit_every_hours")
		perSub = r.s.figKey("batch_savings_per_submission", "batch savings per submission", "USD", "batch_savings * submit_every_hours / (window_days * 24)")
	case !r.overLogs && r.f.Period != "run":
		times = " * 8760 / periods_per_year / submit_every_hours"
		r.s.fig("submissions", "batch submissions per "+r.f.Period, "submissions", "8760 / periods_per_year / submit_every_hours")
		perSub = r.s.figKey("batch_savings_per_submission", "batch savings per submission", "USD", "batch_savings * periods_per_year * submit_every_hours / 8760")
	}
	r.s.fig("breakeven_delay_cost_per_hour", "per submission: waiting pays while an hour of its delay costs less than", "USD/hour per submission", perSub+" / delay_hours")
	sized := r.delayed != "" && !r.s.value(r.delayed).IsZero()
	if sized {
		r.s.fig("batch_savings_per_request", "batch savings per request moved to batch", "USD", "batch_savings / "+r.delayed)
	}
	// hourTerm and fixedTerm are the costs of delay that do not grow with
	// the requests moved.
	var hourTerm, fixedTerm string
	if t.CostPerHour.Set {
		hourTerm = "delay_hours * " + r.num("delay_cost_per_hour", t.CostPerHour, r.fileSrc("time_value.cost_per_hour")+" (USD per hour of one submission's delay)", input) + times
	}
	if t.FixedCost.Set {
		unit := " (USD " + per + ")"
		if r.overLogs {
			unit = " (USD per 30-day month)"
		}
		fixedTerm = r.num("fixed_cost", t.FixedCost, r.fileSrc("time_value.fixed_cost")+unit, input)
		if window {
			fixedTerm += " * window_days / 30"
		}
	}
	costTerms := nonEmpty(hourTerm)
	if t.CostPerRequest.Set && sized {
		costTerms = append(costTerms, r.delayed+" * "+r.num("delay_cost_per_request", t.CostPerRequest, r.fileSrc("time_value.cost_per_request")+" (USD per request moved to batch)", input))
	}
	costTerms = append(costTerms, nonEmpty(fixedTerm)...)
	if len(costTerms) == 0 {
		r.notes = append(r.notes, "time value: give time_value.cost_per_hour or cost_per_request to weigh the savings against the delay")
		return
	}
	r.s.fig("delay_cost", "cost of the delay "+per, "USD", strings.Join(costTerms, " + "))
	r.s.fig("net_batch_savings", "batch savings net of the cost of delay "+per, "USD", "batch_savings - delay_cost")
	v.monthly("monthly_net_batch_savings", "batch savings net of the cost of delay", "net_batch_savings")
	if r.s.value("net_batch_savings").IsPositive() {
		r.notes = append(r.notes, "time value: waiting pays: the batch savings exceed the cost of the delay")
	} else {
		r.notes = append(r.notes, "time value: waiting does not pay: the cost of the delay is at least the batch savings")
	}
	fixedTerms := nonEmpty(hourTerm, fixedTerm)
	if !sized || len(fixedTerms) == 0 {
		return
	}
	// fixed / (savings per request − cost per request), with one division.
	margin := "batch_savings"
	if t.CostPerRequest.Set {
		margin = "(batch_savings - " + r.delayed + " * delay_cost_per_request)"
	}
	m, _ := EvalExpr(margin, r.s.env)
	label := "requests moved to batch " + per + " at which waiting pays"
	if !m.IsPositive() {
		r.s.stat("breakeven_requests", label, "requests", "never")
		r.s.note("breakeven_requests", "each request saves no more than its delay costs")
		return
	}
	r.s.fig("breakeven_requests", label, "requests", "("+strings.Join(fixedTerms, " + ")+") * "+r.delayed+" / "+margin)
	if times != "" {
		r.s.note("breakeven_requests", "with the submissions "+per+" as they are")
	}
}

func nonEmpty(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// summary lists the segments with their cost and batch outcome.
func (r *segView) summary() {
	t := report.Table{Name: "segments", Columns: []string{"segment", "priced as", "mode", "cost_usd", "batch_cost_usd", "batch"}}
	for _, g := range r.segs {
		batch, outcome := "", ""
		if g.batch != "" {
			batch = r.s.value(g.batch).String()
			outcome = g.reason
			if outcome == "" {
				outcome = "eligible share " + r.s.value(g.elig).String()
			}
		}
		t.Rows = append(t.Rows, []string{g.f.Name, g.label, g.f.Mode, r.s.value(g.cost).String(), batch, outcome})
	}
	r.tables = append(r.tables, t)
}

// sensitivity ranks the assumptions by how much ±step moves the target.
func (r *run) sensitivity() error {
	sv := r.f.Sensitivity
	target := sv.Target
	if target == "" {
		target = "cost"
		for _, k := range []string{"batch_savings", "cache_batch_savings", "swap_savings"} {
			if r.s.has(k) {
				target = k
				break
			}
		}
	}
	found := false
	for i, f := range r.s.figures {
		if f.Key == target && r.s.exprs[i] != nil {
			found = true
		}
	}
	if !found {
		var keys []string
		for i, f := range r.s.figures {
			if r.s.exprs[i] != nil {
				keys = append(keys, f.Key)
			}
		}
		return r.f.errAt(fmt.Errorf("unknown figure %q (allowed: %s)", target, strings.Join(keys, ", ")), "sensitivity", "target")
	}
	step, src := decimal.NewFromFloat(0.2), "default: ±20%"
	if sv.Step.Set {
		step, src = sv.Step.D, r.fileSrc("sensitivity.step")
	}
	rows, err := r.s.tornado(target, step)
	if err != nil {
		return err
	}
	t := report.Table{Name: "sensitivity", Columns: []string{"assumption", "base", "low_input", "high_input", target + "_at_low", target + "_at_high", "swing"}}
	still := 0
	for _, row := range rows {
		if row.Swing.IsZero() {
			still++
			continue
		}
		t.Rows = append(t.Rows, []string{row.Key, row.Base.String(), row.LowInput.String(), row.HighInput.String(), row.LowResult.String(), row.HighResult.String(), row.Swing.String()})
	}
	r.tables = append(r.tables, t)
	r.notes = append(r.notes, fmt.Sprintf("sensitivity: each assumption moved by %s (%s); capped rates stay at most 1", step, src))
	if len(rows) > 0 && rows[0].Swing.IsPositive() {
		r.notes = append(r.notes, fmt.Sprintf("sensitivity: %s moves %s most (swing %s)", rows[0].Key, target, rows[0].Swing.String()))
	}
	if still > 0 {
		r.notes = append(r.notes, fmt.Sprintf("sensitivity: %d other assumptions do not move %s", still, target))
	}
	return nil
}
