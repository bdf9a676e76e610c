package simulate

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

// Options are the inputs of a simulation that do not come from the file.
type Options struct {
	// At is the price date when the file gives none; AtSource says where
	// it came from ("flag --at", "default: today").
	At       time.Time
	AtSource string
	// Pricer prices the models a file names; nil allows explicit prices
	// only.
	Pricer Pricer
	// Seed, when SeedSet, overrides the Monte Carlo seed of the file.
	Seed    uint64
	SeedSet bool
	// ObservedBatchHours are the completion times, in hours, of the user's
	// own batch jobs, collected by BatchHours from the logs that
	// ObservedFrom names ("" when no logs were read). When logs were read
	// and the file gives no observed_hours, the completion model is fitted
	// to them; if they cannot be fitted (fewer than 2, or all equal) the
	// run fails when ObservedRequired is set (simulate --batch-logs asked
	// for it) and otherwise uses the prior and says why in a note.
	ObservedBatchHours []float64
	ObservedFrom       string
	ObservedRequired   bool
	// Prefix, when its Prefix equals the what-if file's
	// cache.prefix_tokens, holds the prefix tokens a cache would newly
	// serve, counted request by request over the logs; without it the
	// cache lever over logs applies the same rule to each line's totals.
	Prefix *PrefixTokens
}

// seg is one workload segment during a run: its file entry, prices and the
// keys that hold its quantities.
type seg struct {
	i      int
	f      *Segment
	v      Volume
	p      Prices
	pf     string // key prefix: "" for a single segment, else name + "_"
	label  string // provider/model or the prices' source
	req    string // key of requests per period, "" if unknown
	tin    string // key of uncached input tokens per period
	tpre   string // key of prefix tokens per period
	tout   string // key of output tokens per period
	spend  string // key of spend per period (spend-described segments)
	cost   string // key of the current cost
	batch  string // key of the batch cost ("" without [batch])
	elig   string // key of the eligible share
	reason string // why batch does not apply, "" when it does
	inBat  bool   // the segment is already delivered by batch
}

// Run simulates the scenario file and returns its figures, tables,
// assumptions and notes as a report.Scenario of kind "simulate".
func Run(f *File, opt Options) (report.Scenario, error) {
	r := &run{f: f, opt: opt, s: newSheet()}
	if err := r.do(); err != nil {
		return report.Scenario{}, err
	}
	if r.s.err != nil {
		return report.Scenario{}, r.s.err
	}
	sc := report.Scenario{
		Name:        f.Name,
		Kind:        "simulate",
		Title:       f.Title,
		Figures:     r.s.figures,
		Tables:      r.tables,
		Assumptions: r.s.assumptions,
		Notes:       r.notes,
	}
	if sc.Title == "" {
		sc.Title = f.Name
	}
	return sc, nil
}

type run struct {
	f      *File
	opt    Options
	s      *sheet
	segs   []*seg
	at     time.Time
	tables []report.Table
	notes  []string
	// overLogs is set for a what-if over audited logs: figures are in the
	// window, not per period.
	overLogs bool
	// delayed is the key of the requests that move to batch (per period,
	// or in the window over logs); "" when unknown.
	delayed string
}

func (r *run) fileSrc(key string) string { return "file " + r.f.path + ": " + key }

// num records a number of the file as an assumption once and returns its key.
func (r *run) num(key string, n Num, src string, b bounds) string {
	if !r.s.has(key) {
		r.s.assume(key, n.D, src, b)
	}
	return key
}

func (r *run) do() error {
	f := r.f
	r.at = r.opt.At
	atSrc := r.opt.AtSource
	if f.At.Set {
		r.at, atSrc = f.At.T, r.fileSrc("at")
	}
	ppy := decimal.NewFromInt(periodsPerYear[f.Period])
	ppySrc := fmt.Sprintf("default: %s periods a year for period %q", ppy, f.Period)
	if f.PeriodsPerYear.Set {
		ppy, ppySrc = f.PeriodsPerYear.D, r.fileSrc("periods_per_year")
	}
	if f.Period != "run" {
		r.s.assume("periods_per_year", ppy, ppySrc, fixed)
	}
	if err := r.segments(); err != nil {
		return err
	}
	for _, g := range r.segs {
		if g.p.Book != "" {
			r.notes = append(r.notes, fmt.Sprintf("prices as of %s (%s)", r.at.Format("2006-01-02"), atSrc))
			break
		}
	}
	v := &segView{run: r}
	if err := r.baseCost(v); err != nil {
		return err
	}
	return r.applyLevers(v)
}

// monthly adds what per month, unless the period is a month.
func (r *segView) monthly(key, what, of string) { r.run.monthly(key, what+" per month", of) }

// segments resolves prices and records the volume of every segment.
func (r *run) segments() error {
	f := r.f
	for i := range f.Workload {
		sf := &f.Workload[i]
		g := &seg{i: i, f: sf, v: f.vol(sf)}
		if len(f.Workload) > 1 {
			g.pf = sf.Name + "_"
		}
		perReq := g.v.InputTokens.D.Add(g.v.PrefixTokens.D).IntPart()
		switch {
		case sf.Prices != nil:
			g.p = explicitPrices(sf.Prices)
			g.p.Provider = sf.Provider
			g.p = withLimits(g.p)
			g.label = "prices from " + sf.Prices.Source
			if sf.Provider != "" {
				g.label = sf.Provider + " " + g.label
			}
		default:
			if r.opt.Pricer == nil {
				return f.errSeg(i, "model", errors.New("no price books loaded to price this model"))
			}
			p, err := r.opt.Pricer.Prices(sf.Provider, sf.Model, r.at, perReq)
			if err != nil {
				return f.errSeg(i, "model", fmt.Errorf("%w (allowed: a model of the price books; see costaudit pricebook list)", err))
			}
			g.p = withLimits(p)
			g.label = p.Provider + "/" + p.Model
		}
		if err := r.volume(g); err != nil {
			return err
		}
		r.segs = append(r.segs, g)
	}
	return nil
}

// volume records the segment's volume as assumptions and its tokens per
// period as figures.
func (r *run) volume(g *seg) error {
	sf, pf := g.f, g.pf
	if sf.Share.Set {
		r.s.assume(pf+"share", sf.Share.D, r.fileSrc(fmt.Sprintf("workload[%d].share", g.i+1)), rate)
	}
	// scaled returns the key of a per-period quantity: the segment's own,
	// or [volume]'s, scaled by the share when the segment has one.
	scaled := func(field string, own, vol Num) string {
		if own.Set {
			return r.num(pf+field, own, r.fileSrc(fmt.Sprintf("workload[%d].%s", g.i+1, field)), input)
		}
		if !vol.Set {
			return ""
		}
		k := r.num("volume_"+field, vol, r.fileSrc("volume."+field), input)
		if !sf.Share.Set {
			return k
		}
		return r.s.figKey(pf+field, pfName(g)+strings.ReplaceAll(strings.TrimPrefix(field, "total_"), "_", " ")+" per "+r.f.Period+" (share of [volume])", unitOf(field), pf+"share * "+k)
	}
	size := func(field string, own, vol Num) string {
		if own.Set {
			return r.num(pf+field, own, r.fileSrc(fmt.Sprintf("workload[%d].%s", g.i+1, field)), input)
		}
		if vol.Set {
			return r.num("volume_"+field, vol, r.fileSrc("volume."+field), input)
		}
		return ""
	}
	g.req = scaled("requests", sf.Requests, r.f.Volume.Requests)
	if g.v.Spend.Set {
		g.spend = scaled("spend", sf.Spend, r.f.Volume.Spend)
		return nil
	}
	if g.v.TotalInputTokens.Set || g.v.TotalOutputTokens.Set {
		g.tin = scaled("total_input_tokens", sf.TotalInputTokens, r.f.Volume.TotalInputTokens)
		g.tout = scaled("total_output_tokens", sf.TotalOutputTokens, r.f.Volume.TotalOutputTokens)
		return nil
	}
	per := func(field, tokKey string, own, vol Num) string {
		k := size(field, own, vol)
		if k == "" || g.req == "" {
			return ""
		}
		label := map[string]string{"tokens_input": "uncached input tokens", "tokens_prefix": "prefix tokens", "tokens_output": "output tokens"}[tokKey]
		return r.s.figKey(pf+tokKey, pfName(g)+label+" per "+r.f.Period, "tokens", g.req+" * "+k)
	}
	g.tin = per("input_tokens", "tokens_input", sf.InputTokens, r.f.Volume.InputTokens)
	g.tpre = per("prefix_tokens", "tokens_prefix", sf.PrefixTokens, r.f.Volume.PrefixTokens)
	g.tout = per("output_tokens", "tokens_output", sf.OutputTokens, r.f.Volume.OutputTokens)
	return nil
}

// figKey defines a figure and returns its key.
func (s *sheet) figKey(key, label, unit, expr string) string {
	s.fig(key, label, unit, expr)
	return key
}

func unitOf(field string) string {
	switch {
	case field == "spend":
		return "USD"
	case strings.Contains(field, "tokens"):
		return "tokens"
	}
	return "requests"
}

// price returns the key of one of the segment's list prices, recording it
// as an assumption on first use.
func (r *run) price(g *seg, p Prices, prefix, bucket string) (string, error) {
	var v decimal.Decimal
	var has bool
	switch bucket {
	case "input":
		v, has = p.Input, true
	case "output":
		v, has = p.Output, true
	case "cache_read":
		v, has = p.CacheRead, p.HasCacheRead
	case "cache_write_5m":
		v, has = p.CacheWrite5m, p.HasCacheWrite5m
	case "cache_write_1h":
		v, has = p.CacheWrite1h, p.HasCacheWrite1h
	case "request":
		v, has = p.PerRequest, p.HasPerRequest
	case "batch_input":
		v, has = p.BatchInput, p.HasBatch
	case "batch_output":
		v, has = p.BatchOutput, p.HasBatch
	case "batch_cache_read":
		v, has = p.BatchCacheRead, p.HasBatch && p.HasCacheRead
	case "batch_cache_write_5m":
		v, has = p.BatchCacheWrite5m, p.HasBatch && p.HasCacheWrite5m
	case "batch_cache_write_1h":
		v, has = p.BatchCacheWrite1h, p.HasBatch && p.HasCacheWrite1h
	case "batch_request":
		v, has = p.BatchPerRequest, p.HasBatch && p.HasPerRequest
	case "batch_discount":
		v, has = p.BatchDiscount, p.HasBatchDiscount
	}
	if !has {
		return "", fmt.Errorf("%s has no %s price (give it in prices.%s)", g.label, strings.ReplaceAll(bucket, "_", " "), bucket)
	}
	key := prefix + "price_" + bucket
	if bucket == "batch_discount" {
		key = prefix + "batch_discount"
	}
	if !r.s.has(key) {
		unitTxt := "USD per 1M tokens"
		if strings.HasSuffix(bucket, "request") {
			unitTxt = "USD per request"
		}
		if bucket == "batch_discount" {
			unitTxt = "share of list price"
		}
		// Book and stated prices are facts, not uncertain inputs, so the
		// tornado leaves them alone; a stated batch discount is a claim
		// worth testing.
		b := fixed
		if bucket == "batch_discount" {
			b = rate
		}
		r.s.assume(key, v, unitTxt+"; "+p.Source, b)
	}
	return key, nil
}

// costExpr builds the cost of a segment's tokens under a set of prices:
// list prices, or batch prices when batch is set. Discount-described batch
// prices scale the list cost.
func (r *run) costExpr(g *seg, p Prices, prefix string, batch bool) (string, error) {
	if g.spend != "" {
		if !batch {
			return g.spend, nil
		}
		d, err := r.price(g, p, prefix, "batch_discount")
		if err != nil {
			return "", err
		}
		return g.spend + " * (1 - " + d + ")", nil
	}
	bk := func(b string) string {
		if batch && !p.HasBatchDiscount {
			return "batch_" + b
		}
		return b
	}
	var terms []string
	for _, t := range []struct{ tok, bucket string }{{g.tin, "input"}, {g.tpre, "input"}, {g.tout, "output"}} {
		if t.tok == "" {
			continue
		}
		k, err := r.price(g, p, prefix, bk(t.bucket))
		if err != nil {
			return "", err
		}
		terms = append(terms, t.tok+" * "+k)
	}
	expr := ""
	if len(terms) > 0 {
		expr = "(" + strings.Join(terms, " + ") + ") / 1000000"
		if len(terms) == 1 {
			expr = terms[0] + " / 1000000"
		}
	}
	if p.HasPerRequest && g.req != "" {
		k, err := r.price(g, p, prefix, bk("request"))
		if err != nil {
			return "", err
		}
		if expr != "" {
			expr += " + "
		}
		expr += g.req + " * " + k
	}
	if expr == "" {
		return "", r.f.errSeg(g.i, "requests", errors.New("nothing to price: no tokens and no per-request price"))
	}
	if batch && p.HasBatchDiscount {
		d, err := r.price(g, p, prefix, "batch_discount")
		if err != nil {
			return "", err
		}
		expr = "(" + expr + ") * (1 - " + d + ")"
	}
	return expr, nil
}

// baseCost prices every segment as it is delivered today.
func (r *run) baseCost(v view) error {
	var keys []string
	for _, g := range r.segs {
		batch := false
		if g.f.Mode == "batch" {
			if g.p.HasBatch {
				batch, g.inBat = true, true
			} else {
				why := g.p.NoBatchWhy
				r.notes = append(r.notes, fmt.Sprintf("%s: mode batch, but %s: priced at list prices; no batch discount applies", g.f.Name, why))
			}
		}
		expr, err := r.costExpr(g, g.p, g.pf, batch)
		if err != nil {
			return r.f.errSeg(g.i, "model", err)
		}
		g.cost = g.pf + "cost"
		label := "cost per " + r.f.Period
		if g.pf != "" {
			label = g.f.Name + ": " + label + " (" + g.f.Mode + ")"
		}
		r.s.fig(g.cost, label, "USD", expr)
		if g.f.Mode == "batch" && !g.p.HasBatch {
			r.s.note(g.cost, g.p.NoBatchWhy+", so no batch discount applies")
		}
		keys = append(keys, g.cost)
	}
	if len(keys) > 1 {
		r.s.fig("cost", "cost per "+r.f.Period, "USD", strings.Join(keys, " + "))
	}
	v.monthly("monthly_cost", "cost", "cost")
	if r.allSized() {
		req := make([]string, 0, len(r.segs))
		for _, g := range r.segs {
			req = append(req, g.req)
		}
		if len(req) > 1 || req[0] != "requests" {
			r.s.fig("requests", "requests per "+r.f.Period, "requests", strings.Join(req, " + "))
		}
		if !r.s.value("requests").IsZero() {
			r.s.fig("cost_per_request", "cost per request", "USD", "cost / requests")
		}
	}
	return nil
}

// allSized reports whether every segment has a request count.
func (r *run) allSized() bool {
	for _, g := range r.segs {
		if g.req == "" {
			return false
		}
	}
	return true
}

// monthly adds a per-month figure for a per-period one, unless the period
// is a month.
func (r *run) monthly(key, label, of string) {
	if r.f.Period == "run" || r.f.Period == "month" && !r.f.PeriodsPerYear.Set {
		return
	}
	r.s.fig(key, label, "USD/month", of+" * periods_per_year / 12")
}

// pct adds a percentage figure part/whole × 100 when whole is not zero.
func (r *run) pct(key, label, part, whole string) {
	if r.s.value(whole).IsZero() {
		return
	}
	r.s.fig(key, label, "%", part+" / "+whole+" * 100")
}

// sum adds a figure summing keys.
func (r *run) sum(key, label, unit string, keys []string) {
	if len(keys) == 1 && keys[0] == key {
		return
	}
	r.s.fig(key, label, unit, strings.Join(keys, " + "))
}
