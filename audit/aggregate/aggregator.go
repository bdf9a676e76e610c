package aggregate

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/costaudit/costaudit/audit/internal/fast"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// UnnamedWorkflow is the workflow name given to records whose log names no
// workflow.
const UnnamedWorkflow = "(unnamed)"

// Row statuses of an Row: every record is exactly one of them.
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

// Options says how an Aggregator keys its rows.
type Options struct {
	// TZ is the time zone of the calendar day of each row; nil means UTC.
	TZ *time.Location
	// GroupBy lists the extra row keys: "team" or "tag:KEY" (see CheckGroupBy).
	GroupBy []string
	// TagKeys lists the tag keys whose values are counted per workflow so
	// that classification rules can match on them (classify.Rules.TagKeys). Tag keys
	// named in GroupBy are counted too.
	TagKeys []string
	// Since and Until bound the records aggregated, [Since, Until); a zero
	// time leaves that side open. Records outside are counted as filtered.
	Since, Until time.Time
	// FileTimes counts the records dated by their file's modification time
	// (Record.TSFromFile) in the priced window and the arrival evidence.
	// Without it they are priced and summed as usual but move neither the
	// window (so neither the projection) nor a workflow's cadence: a file
	// time says when the file was written or checked out, not when the
	// request ran.
	FileTimes bool
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

// add adds o's sums to v; it returns false when a sum overflows int64.
func (v *rowVal) add(o *rowVal) bool {
	ok := true
	for _, p := range [...][2]*int64{
		{&v.usage.Requests, &o.usage.Requests}, {&v.usage.Input, &o.usage.Input}, {&v.usage.CacheRead, &o.usage.CacheRead},
		{&v.usage.CacheWrite5m, &o.usage.CacheWrite5m}, {&v.usage.CacheWrite1h, &o.usage.CacheWrite1h}, {&v.usage.Output, &o.usage.Output},
		{&v.reasoning, &o.reasoning}, {&v.cancelled, &o.cancelled}, {&v.cDeliv, &o.cDeliv}, {&v.cWithMax, &o.cWithMax}, {&v.cHeadroom, &o.cHeadroom},
	} {
		ok = addChecked(p[0], *p[1]) && ok
	}
	v.logged = v.logged.Add(o.logged)
	return ok
}

// addChecked adds n to *dst and reports whether the sum fits in an int64
// (when it does not, *dst is left as it was).
func addChecked(dst *int64, n int64) bool {
	s := *dst + n
	if (n > 0 && s < *dst) || (n < 0 && s > *dst) {
		return false
	}
	*dst = s
	return true
}

// modelRes is a cached model resolution, with the price span last used
// for it.
type modelRes struct {
	res pricing.Resolution
	err error
	// display is the model name the report lists: as logged, trimmed and
	// lower-cased (price books match names that way, so "GPT-4O" and
	// "gpt-4o " are the model "gpt-4o").
	display string
	// noted is set once err is in unpricedWhy.
	noted bool
	// span, when haveSpan, is the price entry of the model's last priced
	// record: records inside it are keyed without asking the catalog.
	span     pricing.KeySpan
	haveSpan bool
}

// modelSlot caches one logged provider and model name pair.
type modelSlot struct {
	provider, model string
	m               *modelRes
}

// rowSlot caches one row and its workflow, keyed by the row key and the
// record's source and team. n counts the records added through the slot
// that the workflow's Sources, Modes, Models and Teams maps do not count
// yet (see flush).
type rowSlot struct {
	key          rowKey
	source, team string
	val          *rowVal
	ws           *WorkflowStats
	n            int64
	pico         int64 // logged cost not yet in val, in 1e-12 USD (see picoUSD)
	// binN records of the slot arrived in Unix minute minute, the first
	// of them firstMS into it, and are not yet in the workflow's
	// ArrivalStats.
	minute, binN int64
	firstMS      int32
	binPriced    pricing.Usage // usage of the pending records that are priced
}

// Sizes of the per-aggregator caches (powers of two).
const (
	modelSlots = 16
	rowSlots   = 64
)

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
	opts Options
	tz   *time.Location

	models map[[2]string]*modelRes
	rows   map[rowKey]*rowVal
	wfs    map[string]*WorkflowStats
	// unpricedWhy keeps, per unpriced model, why its records could not be
	// priced (see unpricedNote), so that the explanation does not depend on
	// record order.
	unpricedWhy map[string]*unpricedNote
	// modeOK caches, per price key and non-standard delivery mode, the
	// reason the catalog cannot price that mode ("" when it can).
	modeOK map[modeKey]string

	filtered     int64
	badLogged    int64
	overflow     bool  // a token sum overflowed int64 (see Overflowed)
	fileDated    int64 // records dated by their file's modification time
	minTS, maxTS int64 // unix nanoseconds of the first and last priced record
	havePriced   bool

	tagKeys []string // tag keys counted per workflow

	// cache of the last local day computed
	dayLo, dayHi int64 // unix nanoseconds [lo, hi) of the cached day
	dayNum       int32

	// The hot loop's caches: most records repeat a few names, so the maps
	// above are consulted once per distinct combination rather than once
	// per record. Names are compared with ==, which is quick for the
	// interned strings decoders hand out (equal pointers).
	mcache [modelSlots]modelSlot
	rcache [rowSlots]rowSlot
}

// New returns an empty Aggregator that prices records against cat.
func New(cat *pricing.Catalog, opts Options) *Aggregator {
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
		models:      map[[2]string]*modelRes{},
		rows:        map[rowKey]*rowVal{},
		wfs:         map[string]*WorkflowStats{},
		unpricedWhy: map[string]*unpricedNote{},
		modeOK:      map[modeKey]string{},
		tagKeys:     keys,
		dayHi:       -1 << 63,
		dayLo:       -1 << 63,
	}
}

// Options returns the options the Aggregator was made with (TZ never nil).
func (a *Aggregator) Options() Options { return a.opts }

// Catalog returns the price catalog the Aggregator prices against.
func (a *Aggregator) Catalog() *pricing.Catalog { return a.cat }

// Consume adds one record. It implements Consumer; r is not retained.
func (a *Aggregator) Consume(r *record.Record) {
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
	loggedPico, picoOK := int64(0), false
	if r.LoggedCostUSD != "" {
		if loggedPico, picoOK = picoUSD(r.LoggedCostUSD); picoOK {
			hasLogged = true
		} else if d, err := decimal.NewFromString(r.LoggedCostUSD); err == nil {
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
	k.model = m.display
	if m.err == nil {
		k.provider = m.res.Provider
	}
	switch {
	case !r.Billed():
		k.status = statusUnbilled
	case r.TokensUnknown:
		k.status = statusUnpriced
		a.noteUnpriced(m.display, errTokensUnknown)
	case m.err != nil:
		k.status = statusUnpriced
		if !m.noted {
			a.noteUnpriced(m.display, m.err)
			m.noted = true
		}
	default:
		pk, ok := a.priceKey(m, r)
		if ok && mode != pricing.ModeSync && mode != pricing.ModeStream {
			ok = a.modePriced(pk, mode, m.display)
		}
		if !ok {
			k.status = statusUnpriced
			break
		}
		k.status = statusPriced
		k.pk = pk
		if r.TSFromFile && !a.opts.FileTimes {
			break
		}
		ns := r.TS.UnixNano()
		if !a.havePriced || ns < a.minTS {
			a.minTS = ns
		}
		if !a.havePriced || ns > a.maxTS {
			a.maxTS = ns
		}
		a.havePriced = true
	}

	slot := a.row(&k, r)
	v := slot.val
	v.usage.Requests++
	v.usage.Input += r.InputTokens
	v.usage.CacheRead += r.CacheReadTokens
	v.usage.CacheWrite5m += r.CacheWrite5mTokens
	v.usage.CacheWrite1h += r.CacheWrite1hTokens
	v.usage.Output += r.OutputTokens
	v.reasoning += r.ReasoningTokens
	// Every count is at most MaxRecordTokens and every sum starts at 0,
	// so a sum that overflows turns negative: one test catches them all.
	if v.usage.Input|v.usage.CacheRead|v.usage.CacheWrite5m|v.usage.CacheWrite1h|v.usage.Output|v.reasoning < 0 {
		a.overflow = true
	}
	if r.Status == record.StatusCancelled && mode == pricing.ModeStream {
		v.cancelled++
		v.cDeliv += r.OutputTokens
		if r.MaxTokens > 0 {
			v.cWithMax++
			if h := r.MaxTokens - r.OutputTokens; h > 0 {
				v.cHeadroom += h
			}
		}
	}
	switch {
	case picoOK:
		if slot.pico > math.MaxInt64-loggedPico {
			a.flushSlot(slot)
		}
		slot.pico += loggedPico
	case hasLogged:
		v.logged = v.logged.Add(logged)
	}
	slot.n++
	slot.ws.ObserveRest(r, mode, a.tagKeys)
	if r.TSFromFile {
		a.fileDated++
		if !a.opts.FileTimes {
			return
		}
	}
	if minute, off := ArrivalMinute(r.TS); slot.binN == 0 || minute != slot.minute {
		a.flushBin(slot)
		slot.minute, slot.binN, slot.firstMS = minute, 1, off
	} else {
		slot.binN++
		if off < slot.firstMS {
			slot.firstMS = off
		}
	}
	if k.status == statusPriced {
		p := &slot.binPriced
		p.Requests++
		p.Input += r.InputTokens
		p.CacheRead += r.CacheReadTokens
		p.CacheWrite5m += r.CacheWrite5mTokens
		p.CacheWrite1h += r.CacheWrite1hTokens
		p.Output += r.OutputTokens
	}
}

// flushBin adds a row slot's pending arrival count to its workflow.
func (a *Aggregator) flushBin(s *rowSlot) {
	if s.binN > 0 {
		s.ws.Arrival.AddMinute(s.minute, s.binN, s.firstMS, s.binPriced)
		s.binN, s.binPriced = 0, pricing.Usage{}
	}
}

// maxSpanSec bounds the timestamps (in Unix seconds, either side of 1970)
// priced through a cached KeySpan, whose bounds are Unix nanoseconds.
const maxSpanSec = 9e9

// priceKey returns the price key of a billed record of resolved model m,
// or false (after noting why) when no entry prices it at its time.
func (a *Aggregator) priceKey(m *modelRes, r *record.Record) (pricing.PriceKey, bool) {
	tin := r.InputTokens + r.CacheReadTokens + r.CacheWrite5mTokens + r.CacheWrite1hTokens
	sec := r.TS.Unix()
	inRange := sec > -maxSpanSec && sec < maxSpanSec
	if m.haveSpan && tin >= 0 && inRange && m.span.Contains(r.TS.UnixNano()) {
		return m.span.Tier(tin), true
	}
	pk, err := a.cat.KeyResolved(m.res, r.TS, tin)
	if err != nil {
		a.notePredate(m, m.display, r.TS, err)
		return pricing.PriceKey{}, false
	}
	if inRange {
		if sp, err := a.cat.KeySpanResolved(m.res, r.TS); err == nil {
			m.span, m.haveSpan = sp, true
		}
	}
	return pk, true
}

// row returns the cache slot of row key k for record r, filling it on a
// miss (after flushing the counts of the combination it held).
func (a *Aggregator) row(k *rowKey, r *record.Record) *rowSlot {
	h := fast.StringAddr(k.workflow)*0x9e3779b97f4a7c15 ^ fast.StringAddr(k.model)*0xbf58476d1ce4e5b9 ^
		fast.StringAddr(r.Source)*0x94d049bb133111eb ^ fast.StringAddr(r.Team) ^ fast.StringAddr(string(k.mode))<<7 ^
		uint64(k.day)*0xff51afd7ed558ccd ^ uint64(k.pk.Entry)<<11 ^ uint64(k.pk.Tier)<<17 ^ uint64(k.status)<<23
	if k.logged {
		h ^= 1 << 29
	}
	h ^= h >> 29
	h *= 0xc4ceb9fe1a85ec53
	slot := &a.rcache[h>>(64-6)&(rowSlots-1)]
	if slot.val != nil && slot.key == *k && slot.source == r.Source && slot.team == r.Team {
		return slot
	}
	a.flushSlot(slot)
	v := a.rows[*k]
	if v == nil {
		v = &rowVal{}
		a.rows[*k] = v
	}
	w := a.wfs[k.workflow]
	if w == nil {
		w = NewWorkflowStats(k.workflow)
		a.wfs[k.workflow] = w
	}
	*slot = rowSlot{key: *k, source: r.Source, team: r.Team, val: v, ws: w}
	return slot
}

// flushSlot adds the counts a row slot holds to its workflow's maps, and
// its logged cost to its row.
func (a *Aggregator) flushSlot(s *rowSlot) {
	if s.n > 0 {
		s.ws.AddLabels(s.source, s.key.mode, s.key.model, s.team, s.n)
		s.n = 0
	}
	if s.pico != 0 {
		s.val.logged = s.val.logged.Add(decimal.New(s.pico, -12))
		s.pico = 0
	}
	a.flushBin(s)
}

// picoUSD returns a logged cost written as plain digits with at most six
// before and twelve after the decimal point ("0.00125") in millionths of a
// millionth of a dollar, or false for anything else (which goes through
// decimal.NewFromString). Summing these integers and converting once per
// row is exact, and saves a decimal per record.
func picoUSD(s string) (int64, bool) {
	var v int64
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		v = v*10 + int64(s[i]-'0')
		i++
	}
	if i == 0 || i > 6 {
		return 0, false
	}
	frac := 0
	if i < len(s) {
		if s[i] != '.' || i+1 == len(s) || len(s)-i-1 > 12 {
			return 0, false
		}
		for i++; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int64(c-'0')
			frac++
		}
	}
	for ; frac < 12; frac++ {
		v *= 10
	}
	return v, true
}

// flush brings every workflow's label counts and arrival bins and every
// row's logged cost up to date; everything that reads WorkflowStats or row values calls it
// first (Workflows, Workflow, sortedKeys, add).
func (a *Aggregator) flush() {
	for i := range a.rcache {
		a.flushSlot(&a.rcache[i])
	}
}

// resolve returns the cached resolution of a logged provider and model; the
// catalog is asked once per distinct pair.
func (a *Aggregator) resolve(provider, model string) *modelRes {
	slot := &a.mcache[(fast.StringAddr(model)>>3^uint64(len(model))^fast.StringAddr(provider)>>5)&(modelSlots-1)]
	if slot.m != nil && slot.model == model && slot.provider == provider {
		return slot.m
	}
	key := [2]string{provider, model}
	m, ok := a.models[key]
	if !ok {
		res, err := a.cat.Resolve(provider, model)
		m = &modelRes{res: res, err: err, display: strings.ToLower(strings.TrimSpace(model))}
		a.models[key] = m
	}
	*slot = modelSlot{provider: provider, model: model, m: m}
	return m
}

// errTokensUnknown is why a record whose log gives no tokens is unpriced.
var errTokensUnknown = errors.New("tokens not logged: a stream logged without its usage (OpenAI: request stream_options.include_usage); the request is counted but cannot be priced")

// modeKey is a price key and a delivery mode.
type modeKey struct {
	pk   pricing.PriceKey
	mode pricing.Mode
}

// modePriced reports whether the catalog prices mode at price key pk
// (a flex record of a model whose book has no flex rule, a priority record
// of a model without priority prices, a batch record of a provider without
// a batch API cannot be), noting why not for model.
func (a *Aggregator) modePriced(pk pricing.PriceKey, mode pricing.Mode, model string) bool {
	mk := modeKey{pk, mode}
	why, ok := a.modeOK[mk]
	if !ok {
		if _, err := a.cat.Quote(pk, mode, pricing.Usage{Requests: 1}); err != nil {
			why = "mode " + string(mode) + ": " + err.Error()
		}
		a.modeOK[mk] = why
	}
	if why != "" {
		a.note(model).reasons[why] = true
		return false
	}
	return true
}

// unpricedNote says why the records of one logged model were not priced:
// error texts, and for records older than the model's first price, the
// first and last such day and that first price's date.
type unpricedNote struct {
	reasons        map[string]bool
	early          bool
	earlyLo        int64 // unix nanoseconds of the earliest record before the first price
	earlyHi        int64
	firstPriceDate string
}

func (a *Aggregator) note(model string) *unpricedNote {
	n := a.unpricedWhy[model]
	if n == nil {
		n = &unpricedNote{reasons: map[string]bool{}}
		a.unpricedWhy[model] = n
	}
	return n
}

func (n *unpricedNote) add(o *unpricedNote) {
	for r := range o.reasons {
		n.reasons[r] = true
	}
	if o.early {
		if !n.early || o.earlyLo < n.earlyLo {
			n.earlyLo = o.earlyLo
		}
		if !n.early || o.earlyHi > n.earlyHi {
			n.earlyHi = o.earlyHi
		}
		n.early = true
		n.firstPriceDate = o.firstPriceDate
	}
}

// text renders the note: "no price in force on 2023-01-05 (first price
// 2024-07-18)", or "… from 2023-01-05 to 2023-02-01 …" for several days,
// then the other reasons, sorted, joined by "; ".
func (n *unpricedNote) text() string {
	var parts []string
	if n.early {
		lo := time.Unix(0, n.earlyLo).UTC().Format(time.DateOnly)
		hi := time.Unix(0, n.earlyHi).UTC().Format(time.DateOnly)
		on := "on " + lo
		if hi != lo {
			on = "from " + lo + " to " + hi
		}
		parts = append(parts, "no price in force "+on+" (first price "+n.firstPriceDate+")")
	}
	return strings.Join(append(parts, slices.Sorted(maps.Keys(n.reasons))...), "; ")
}

func (a *Aggregator) noteUnpriced(model string, err error) {
	a.note(model).reasons[err.Error()] = true
}

// notePredate notes why a record of resolved model m at ts has no price
// key: before the model's first price entry, or err.
func (a *Aggregator) notePredate(m *modelRes, model string, ts time.Time, err error) {
	first := a.cat.Entry(pricing.PriceKey{Provider: m.res.Provider, ModelID: m.res.ModelID})
	from, perr := pricing.ParseDate(first.EffectiveFrom)
	if first.EffectiveFrom == "" || perr != nil || !ts.Before(from) {
		a.noteUnpriced(model, err)
		return
	}
	n := a.note(model)
	ns := ts.UnixNano()
	if !n.early || ns < n.earlyLo {
		n.earlyLo = ns
	}
	if !n.early || ns > n.earlyHi {
		n.earlyHi = ns
	}
	n.early = true
	n.firstPriceDate = first.EffectiveFrom
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

func groupValues(keys []string, r *record.Record) string {
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
			out = New(g.cat, g.opts)
		}
		out.add(g)
	}
	return out
}

// Take adds g into a like Merge, moving g's rows and workflow stats where
// a has none of the same key instead of copying them, and empties g: the
// way to combine per-worker aggregators that are not used again without
// ever holding two copies of the aggregate.
func (a *Aggregator) Take(g *Aggregator) {
	a.flush()
	g.flush()
	for k, v := range g.rows {
		if dst := a.rows[k]; dst != nil {
			dst.add(v)
		} else {
			a.rows[k] = v
		}
		delete(g.rows, k)
	}
	for name, w := range g.wfs {
		if dst := a.wfs[name]; dst != nil {
			dst.Add(w)
		} else {
			a.wfs[name] = w
		}
		delete(g.wfs, name)
	}
	g.rows, g.wfs = map[rowKey]*rowVal{}, map[string]*WorkflowStats{}
	a.add(g) // the rest: unpriced reasons, counters, the priced window
}

func (a *Aggregator) add(g *Aggregator) {
	a.flush()
	g.flush()
	for k, v := range g.rows {
		dst := a.rows[k]
		if dst == nil {
			dst = &rowVal{}
			a.rows[k] = dst
		}
		if !dst.add(v) {
			a.overflow = true
		}
	}
	a.overflow = a.overflow || g.overflow
	for name, w := range g.wfs {
		dst := a.wfs[name]
		if dst == nil {
			dst = NewWorkflowStats(name)
			a.wfs[name] = dst
		}
		dst.Add(w)
	}
	for m, n := range g.unpricedWhy {
		a.note(m).add(n)
	}
	a.filtered += g.filtered
	a.fileDated += g.fileDated
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

// Overflowed reports whether a token sum of the aggregate went past the
// largest int64 (9,223,372,036,854,775,807): the sums are then wrong, and
// BuildReport refuses to report them.
func (a *Aggregator) Overflowed() bool { return a.overflow }

// FileDated returns the number of records dated by their file's
// modification time (Record.TSFromFile).
func (a *Aggregator) FileDated() int64 { return a.fileDated }

// Filtered returns the number of records outside [Since, Until).
func (a *Aggregator) Filtered() int64 { return a.filtered }

// PricedWindow returns the timestamps of the first and last priced record,
// and false when there is none.
func (a *Aggregator) PricedWindow() (first, last time.Time, ok bool) {
	if !a.havePriced {
		return time.Time{}, time.Time{}, false
	}
	return time.Unix(0, a.minTS).UTC(), time.Unix(0, a.maxTS).UTC(), true
}

// BadLoggedCosts returns the number of records whose logged_cost_usd is not
// a decimal number; they are aggregated as if none was logged.
func (a *Aggregator) BadLoggedCosts() int64 { return a.badLogged }

// UnpricedReason returns why no price book priced the records of model (as
// listed in the rows), whether some of them predate the model's first
// price, and false when the model has no unpriced records.
func (a *Aggregator) UnpricedReason(model string) (why string, beforeFirstPrice, ok bool) {
	n := a.unpricedWhy[model]
	if n == nil {
		return "", false, false
	}
	return n.text(), n.early, true
}

// UnpricedReasons returns, per unpriced model as logged, why no price book
// priced it.
func (a *Aggregator) UnpricedReasons() map[string]string {
	out := make(map[string]string, len(a.unpricedWhy))
	for k, v := range a.unpricedWhy {
		out[k] = v.text()
	}
	return out
}

// Workflows returns the evidence of every workflow, sorted by name. The
// values are shared with the Aggregator: treat them as read-only.
func (a *Aggregator) Workflows() []*WorkflowStats {
	a.flush()
	out := make([]*WorkflowStats, 0, len(a.wfs))
	for _, w := range a.wfs {
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Workflow < out[j].Workflow })
	return out
}

// Workflow returns the evidence of one workflow, or nil.
func (a *Aggregator) Workflow(name string) *WorkflowStats {
	a.flush()
	return a.wfs[name]
}
