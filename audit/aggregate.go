package audit

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/pricing"
)

// UnnamedWorkflow is the workflow name given to records whose log names no
// workflow.
const UnnamedWorkflow = "(unnamed)"

// Row statuses of an AggregateRow: every record is exactly one of them.
const (
	RowPriced   = "priced"   // billed, and a price book knows the model
	RowUnbilled = "unbilled" // not billed by the provider (see Record.Billed)
	RowUnpriced = "unpriced" // billed, but no price book prices the model at its time
)

const (
	statusPriced uint8 = iota
	statusUnbilled
	statusUnpriced
)

var statusNames = [...]string{RowPriced, RowUnbilled, RowUnpriced}

// AggregateOptions says how an Aggregator keys its rows.
type AggregateOptions struct {
	// TZ is the time zone of the calendar day of each row; nil means UTC.
	TZ *time.Location
	// GroupBy lists the extra row keys: "team" or "tag:KEY" (see CheckGroupBy).
	GroupBy []string
	// TagKeys lists the tag keys whose values are counted per workflow so
	// that classification rules can match on them (Rules.TagKeys). Tag keys
	// named in GroupBy are counted too.
	TagKeys []string
	// Since and Until bound the records aggregated, [Since, Until); a zero
	// time leaves that side open. Records outside are counted as filtered.
	Since, Until time.Time
}

// CheckGroupBy reports whether every --group-by key is "team" or "tag:KEY"
// with a non-empty KEY.
func CheckGroupBy(keys []string) error {
	seen := map[string]bool{}
	for _, k := range keys {
		switch {
		case k == "team":
		case strings.HasPrefix(k, "tag:") && len(k) > len("tag:"):
		default:
			return fmt.Errorf("group-by %q: unknown key (allowed: team, tag:KEY such as tag:env)", k)
		}
		if seen[k] {
			return fmt.Errorf("group-by %q: given twice", k)
		}
		seen[k] = true
	}
	return nil
}

// groupSep separates the group values inside a row key.
const groupSep = "\x1f"

// rowKey is the aggregation key. Day is the local calendar day in TZ as a
// day number since 1970-01-01.
type rowKey struct {
	workflow string
	provider string
	model    string
	mode     pricing.Mode
	status   uint8
	logged   bool
	day      int32
	pk       pricing.PriceKey
	groups   string
}

// rowVal holds the integer sums of one row, and the logged cost of its
// records when the key says they carry one.
type rowVal struct {
	usage     pricing.Usage
	reasoning int64
	cancelled int64 // streams the client cancelled
	cDeliv    int64 // output tokens delivered by those streams
	cWithMax  int64 // cancelled streams that logged max_tokens
	cHeadroom int64 // sum of max_tokens - delivered over them
	logged    decimal.Decimal
}

func (v *rowVal) add(o *rowVal) {
	v.usage = v.usage.Add(o.usage)
	v.reasoning += o.reasoning
	v.cancelled += o.cancelled
	v.cDeliv += o.cDeliv
	v.cWithMax += o.cWithMax
	v.cHeadroom += o.cHeadroom
	v.logged = v.logged.Add(o.logged)
}

// modelRes is a cached model resolution.
type modelRes struct {
	res pricing.Resolution
	err error
}

// Aggregator sums records into rows keyed by workflow, provider, model,
// mode, status, price-book entry and tier, local day and group values, and
// keeps per-workflow classification evidence. It implements Consumer: the
// hot loop adds integers only, and money is computed once per row by
// BuildReport. Its memory depends on the number of distinct keys (and days
// of arrival history), never on the number of records.
//
// An Aggregator is not safe for concurrent use; give each worker its own
// and combine them with Merge.
type Aggregator struct {
	cat  *pricing.Catalog
	opts AggregateOptions
	tz   *time.Location

	models map[[2]string]modelRes
	rows   map[rowKey]*rowVal
	wfs    map[string]*WorkflowStats
	// unpricedWhy keeps, per unpriced model, the smallest error text seen,
	// so that the explanation does not depend on record order.
	unpricedWhy map[string]string

	filtered     int64
	badLogged    int64
	minTS, maxTS int64 // unix nanoseconds of the first and last priced record
	havePriced   bool

	tagKeys []string // tag keys counted per workflow

	// cache of the last local day computed
	dayLo, dayHi int64 // unix nanoseconds [lo, hi) of the cached day
	dayNum       int32
}

// NewAggregator returns an empty Aggregator that prices records against cat.
func NewAggregator(cat *pricing.Catalog, opts AggregateOptions) *Aggregator {
	tz := opts.TZ
	if tz == nil {
		tz = time.UTC
	}
	opts.TZ = tz
	opts.GroupBy = append([]string(nil), opts.GroupBy...)
	tk := map[string]bool{}
	var keys []string
	for _, k := range opts.TagKeys {
		if !tk[k] {
			tk[k] = true
			keys = append(keys, k)
		}
	}
	for _, g := range opts.GroupBy {
		if k, ok := strings.CutPrefix(g, "tag:"); ok && !tk[k] {
			tk[k] = true
			keys = append(keys, k)
		}
	}
	opts.TagKeys = keys
	return &Aggregator{
		cat:         cat,
		opts:        opts,
		tz:          tz,
		models:      map[[2]string]modelRes{},
		rows:        map[rowKey]*rowVal{},
		wfs:         map[string]*WorkflowStats{},
		unpricedWhy: map[string]string{},
		tagKeys:     keys,
		dayHi:       -1 << 63,
		dayLo:       -1 << 63,
	}
}

// Options returns the options the Aggregator was made with (TZ never nil).
func (a *Aggregator) Options() AggregateOptions { return a.opts }

// Catalog returns the price catalog the Aggregator prices against.
func (a *Aggregator) Catalog() *pricing.Catalog { return a.cat }

// Consume adds one record. It implements Consumer; r is not retained.
func (a *Aggregator) Consume(r *Record) {
	if (!a.opts.Since.IsZero() && r.TS.Before(a.opts.Since)) ||
		(!a.opts.Until.IsZero() && !r.TS.Before(a.opts.Until)) {
		a.filtered++
		return
	}
	wfName := r.Workflow
	if wfName == "" {
		wfName = UnnamedWorkflow
	}
	mode := r.Mode
	if mode == "" {
		mode = pricing.ModeSync
	}

	var logged decimal.Decimal
	hasLogged := false
	if r.LoggedCostUSD != "" {
		d, err := decimal.NewFromString(r.LoggedCostUSD)
		if err == nil {
			logged, hasLogged = d, true
		} else {
			a.badLogged++
		}
	}

	k := rowKey{
		workflow: wfName,
		provider: r.Provider,
		model:    r.Model,
		mode:     mode,
		logged:   hasLogged,
		day:      a.day(r.TS),
	}
	if len(a.opts.GroupBy) > 0 {
		k.groups = groupValues(a.opts.GroupBy, r)
	}
	m := a.resolve(r.Provider, r.Model)
	if m.err == nil {
		k.provider = m.res.Provider
	}
	switch {
	case !r.Billed():
		k.status = statusUnbilled
	case m.err != nil:
		k.status = statusUnpriced
		a.noteUnpriced(r.Model, m.err)
	default:
		u := r.Usage()
		pk, err := a.cat.KeyResolved(m.res, r.TS, u.TotalInput())
		if err != nil {
			k.status = statusUnpriced
			a.noteUnpriced(r.Model, err)
			break
		}
		k.status = statusPriced
		k.pk = pk
		ns := r.TS.UnixNano()
		if !a.havePriced || ns < a.minTS {
			a.minTS = ns
		}
		if !a.havePriced || ns > a.maxTS {
			a.maxTS = ns
		}
		a.havePriced = true
	}

	v := a.rows[k]
	if v == nil {
		v = &rowVal{}
		a.rows[k] = v
	}
	v.usage.Requests++
	v.usage.Input += r.InputTokens
	v.usage.CacheRead += r.CacheReadTokens
	v.usage.CacheWrite5m += r.CacheWrite5mTokens
	v.usage.CacheWrite1h += r.CacheWrite1hTokens
	v.usage.Output += r.OutputTokens
	v.reasoning += r.ReasoningTokens
	if r.Status == StatusCancelled && mode == pricing.ModeStream {
		v.cancelled++
		v.cDeliv += r.OutputTokens
		if r.MaxTokens > 0 {
			v.cWithMax++
			if h := r.MaxTokens - r.OutputTokens; h > 0 {
				v.cHeadroom += h
			}
		}
	}
	if hasLogged {
		v.logged = v.logged.Add(logged)
	}

	w := a.wfs[wfName]
	if w == nil {
		w = newWorkflowStats(wfName)
		a.wfs[wfName] = w
	}
	w.observe(r, mode, a.tagKeys)
}

// resolve returns the cached resolution of a logged provider and model; the
// catalog is asked once per distinct pair.
func (a *Aggregator) resolve(provider, model string) modelRes {
	key := [2]string{provider, model}
	if m, ok := a.models[key]; ok {
		return m
	}
	res, err := a.cat.Resolve(provider, model)
	m := modelRes{res: res, err: err}
	a.models[key] = m
	return m
}

func (a *Aggregator) noteUnpriced(model string, err error) {
	msg := err.Error()
	if old, ok := a.unpricedWhy[model]; !ok || msg < old {
		a.unpricedWhy[model] = msg
	}
}

// day returns the local calendar day of t in the aggregator's time zone as
// a day number since 1970-01-01, caching the bounds of the last day seen.
func (a *Aggregator) day(t time.Time) int32 {
	ns := t.UnixNano()
	if ns >= a.dayLo && ns < a.dayHi {
		return a.dayNum
	}
	lt := t.In(a.tz)
	y, mo, d := lt.Date()
	lo := time.Date(y, mo, d, 0, 0, 0, 0, a.tz)
	hi := time.Date(y, mo, d+1, 0, 0, 0, 0, a.tz)
	a.dayLo, a.dayHi = lo.UnixNano(), hi.UnixNano()
	a.dayNum = civilDay(y, mo, d)
	return a.dayNum
}

// civilDay is the number of days from 1970-01-01 to the given date.
func civilDay(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// dayString renders a day number as YYYY-MM-DD.
func dayString(day int32) string {
	return time.Unix(int64(day)*86400, 0).UTC().Format(time.DateOnly)
}

func groupValues(keys []string, r *Record) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(groupSep)
		}
		if k == "team" {
			b.WriteString(r.Team)
		} else if tag, ok := strings.CutPrefix(k, "tag:"); ok {
			b.WriteString(r.Tags[tag])
		}
	}
	return b.String()
}

// Merge returns a new Aggregator holding the sums of aggs, which must share
// one catalog and options (those of the first are kept). Sums are integer
// and exact, so the result does not depend on the order of aggs or on how
// records were split between them. Nil entries are ignored; Merge of
// nothing returns nil.
func Merge(aggs ...*Aggregator) *Aggregator {
	var out *Aggregator
	for _, g := range aggs {
		if g == nil {
			continue
		}
		if out == nil {
			out = NewAggregator(g.cat, g.opts)
		}
		out.add(g)
	}
	return out
}

// MergeConsumers merges the consumers returned by Scan, which must all be
// Aggregators.
func MergeConsumers(cs []Consumer) (*Aggregator, error) {
	aggs := make([]*Aggregator, 0, len(cs))
	for i, c := range cs {
		g, ok := c.(*Aggregator)
		if !ok {
			return nil, fmt.Errorf("merge consumers: consumer %d is %T, not *audit.Aggregator", i, c)
		}
		aggs = append(aggs, g)
	}
	if len(aggs) == 0 {
		return nil, errors.New("merge consumers: no aggregators")
	}
	return Merge(aggs...), nil
}

func (a *Aggregator) add(g *Aggregator) {
	for k, v := range g.rows {
		dst := a.rows[k]
		if dst == nil {
			dst = &rowVal{}
			a.rows[k] = dst
		}
		dst.add(v)
	}
	for name, w := range g.wfs {
		dst := a.wfs[name]
		if dst == nil {
			dst = newWorkflowStats(name)
			a.wfs[name] = dst
		}
		dst.Add(w)
	}
	for m, why := range g.unpricedWhy {
		if old, ok := a.unpricedWhy[m]; !ok || why < old {
			a.unpricedWhy[m] = why
		}
	}
	a.filtered += g.filtered
	a.badLogged += g.badLogged
	if g.havePriced {
		if !a.havePriced || g.minTS < a.minTS {
			a.minTS = g.minTS
		}
		if !a.havePriced || g.maxTS > a.maxTS {
			a.maxTS = g.maxTS
		}
		a.havePriced = true
	}
}

// Filtered returns the number of records outside [Since, Until).
func (a *Aggregator) Filtered() int64 { return a.filtered }

// InvalidLoggedCosts returns the number of records whose logged_cost_usd
// was not a decimal number; they are aggregated without a logged cost.
func (a *Aggregator) InvalidLoggedCosts() int64 { return a.badLogged }

// PricedWindow returns the timestamps of the first and last priced record,
// and false when there is none.
func (a *Aggregator) PricedWindow() (first, last time.Time, ok bool) {
	if !a.havePriced {
		return time.Time{}, time.Time{}, false
	}
	return time.Unix(0, a.minTS).UTC(), time.Unix(0, a.maxTS).UTC(), true
}

// UnpricedReasons returns, per unpriced model as logged, why no price book
// priced it.
func (a *Aggregator) UnpricedReasons() map[string]string {
	out := make(map[string]string, len(a.unpricedWhy))
	for k, v := range a.unpricedWhy {
		out[k] = v
	}
	return out
}
