package aggregate

import (
	"fmt"
	"iter"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/pricing"
)

// Row is one row of the aggregate: the integer sums of every
// record sharing its key. It is the documented interchange form of an
// Aggregator (with WorkflowStats for the classification evidence), meant
// to be exported to CSV or JSONL for warehouses and read back with AddRow.
//
// The key is Workflow, Provider, Model, Mode, Status, LoggedCost, Day,
// the price-book entry (PriceKey, priced rows only) and Groups. Provider
// is the provider the price books resolved (as logged when unresolved);
// Model is as logged. Day is the calendar day in the aggregate's time zone.
// Groups holds one value per Options.GroupBy key, in that order.
// PriceKey.Entry indexes the model's price stretches in the catalog the
// aggregate was made with (the report's price books, cited by sha256);
// EntryInfo(PriceKey).Ref names it portably.
//
// Every value is a sum, so rows with the same key add up field by field
// and an aggregate split across workers, files or days merges exactly.
// Money is not part of a row (except the logged cost): it is computed
// once per row from the tokens by BuildReport. One row as JSON:
//
//	{"workflow":"nightly-enrich","provider":"openai","model":"gpt-4.1","mode":"sync",
//	 "status":"priced","logged_cost":false,"day":"2026-11-02",
//	 "price_key":{"Provider":"openai","ModelID":"gpt-4.1","Entry":0,"Tier":0},
//	 "requests":350,"input_tokens":525000,"cache_read_tokens":0,
//	 "cache_write_5m_tokens":0,"cache_write_1h_tokens":0,"output_tokens":87500,
//	 "reasoning_tokens":0,"cancelled_streams":0,"cancelled_output_tokens":0,
//	 "cancelled_with_max_tokens":0,"cancelled_headroom_tokens":0,"logged_cost_usd":"0"}
type Row struct {
	Workflow   string           `json:"workflow"`
	Provider   string           `json:"provider"`
	Model      string           `json:"model"`
	Mode       pricing.Mode     `json:"mode"`
	Status     string           `json:"status"`      // priced, unbilled or unpriced
	LoggedCost bool             `json:"logged_cost"` // the records carry logged_cost_usd
	Day        string           `json:"day"`         // YYYY-MM-DD in the aggregate's TZ
	PriceKey   pricing.PriceKey `json:"price_key"`   // zero unless Status is priced
	Groups     []string         `json:"groups,omitempty"`

	Requests           int64 `json:"requests"`
	InputTokens        int64 `json:"input_tokens"`
	CacheReadTokens    int64 `json:"cache_read_tokens"`
	CacheWrite5mTokens int64 `json:"cache_write_5m_tokens"`
	CacheWrite1hTokens int64 `json:"cache_write_1h_tokens"`
	OutputTokens       int64 `json:"output_tokens"`
	ReasoningTokens    int64 `json:"reasoning_tokens"`

	// CancelledStreams counts stream requests the client cancelled;
	// CancelledOutputTokens the output they delivered; CancelledWithMax
	// those that logged max_tokens, and CancelledHeadroomTokens the sum of
	// max_tokens minus delivered output over them.
	CancelledStreams        int64 `json:"cancelled_streams"`
	CancelledOutputTokens   int64 `json:"cancelled_output_tokens"`
	CancelledWithMax        int64 `json:"cancelled_with_max_tokens"`
	CancelledHeadroomTokens int64 `json:"cancelled_headroom_tokens"`

	// LoggedCostUSD sums logged_cost_usd over the row's records (zero
	// unless LoggedCost).
	LoggedCostUSD decimal.Decimal `json:"logged_cost_usd"`
}

// Usage returns the row's tokens as a pricing.Usage.
func (r *Row) Usage() pricing.Usage {
	return pricing.Usage{
		Requests:     r.Requests,
		Input:        r.InputTokens,
		CacheRead:    r.CacheReadTokens,
		CacheWrite5m: r.CacheWrite5mTokens,
		CacheWrite1h: r.CacheWrite1hTokens,
		Output:       r.OutputTokens,
	}
}

func (k rowKey) less(o rowKey) bool {
	switch {
	case k.workflow != o.workflow:
		return k.workflow < o.workflow
	case k.provider != o.provider:
		return k.provider < o.provider
	case k.model != o.model:
		return k.model < o.model
	case k.mode != o.mode:
		return k.mode < o.mode
	case k.status != o.status:
		return k.status < o.status
	case k.logged != o.logged:
		return !k.logged
	case k.day != o.day:
		return k.day < o.day
	case k.pk.Provider != o.pk.Provider:
		return k.pk.Provider < o.pk.Provider
	case k.pk.ModelID != o.pk.ModelID:
		return k.pk.ModelID < o.pk.ModelID
	case k.pk.Entry != o.pk.Entry:
		return k.pk.Entry < o.pk.Entry
	case k.pk.Tier != o.pk.Tier:
		return k.pk.Tier < o.pk.Tier
	}
	return k.groups < o.groups
}

// sortedKeys returns the row keys in a fixed order.
func (a *Aggregator) sortedKeys() []rowKey {
	a.flush()
	keys := make([]rowKey, 0, len(a.rows))
	for k := range a.rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	return keys
}

func (a *Aggregator) exportRow(k rowKey, v *rowVal) Row {
	r := Row{
		Workflow:                k.workflow,
		Provider:                k.provider,
		Model:                   k.model,
		Mode:                    k.mode,
		Status:                  statusNames[k.status],
		LoggedCost:              k.logged,
		Day:                     dayString(k.day),
		PriceKey:                k.pk,
		Requests:                v.usage.Requests,
		InputTokens:             v.usage.Input,
		CacheReadTokens:         v.usage.CacheRead,
		CacheWrite5mTokens:      v.usage.CacheWrite5m,
		CacheWrite1hTokens:      v.usage.CacheWrite1h,
		OutputTokens:            v.usage.Output,
		ReasoningTokens:         v.reasoning,
		CancelledStreams:        v.cancelled,
		CancelledOutputTokens:   v.cDeliv,
		CancelledWithMax:        v.cWithMax,
		CancelledHeadroomTokens: v.cHeadroom,
		LoggedCostUSD:           v.logged,
	}
	if len(a.opts.GroupBy) > 0 {
		r.Groups = strings.Split(k.groups, groupSep)
	}
	return r
}

// Rows returns every row of the aggregate in a fixed order (by workflow,
// provider, model, mode, status, day, price key and groups).
func (a *Aggregator) Rows() []Row {
	keys := a.sortedKeys()
	out := make([]Row, len(keys))
	for i, k := range keys {
		out[i] = a.exportRow(k, a.rows[k])
	}
	return out
}

// AddRow adds an exported row back into the aggregate, for reading an
// aggregate written by an earlier run. The row's Groups must match the
// aggregate's GroupBy keys. Priced rows also move the priced window to
// include their day (the exact timestamps are not part of a row).
func (a *Aggregator) AddRow(r Row) error {
	st := -1
	for i, n := range statusNames {
		if n == r.Status {
			st = i
		}
	}
	if st < 0 {
		return fmt.Errorf("aggregate row: status %q: unknown (allowed: priced, unbilled, unpriced)", r.Status)
	}
	if len(r.Groups) != len(a.opts.GroupBy) {
		return fmt.Errorf("aggregate row: %d group values for %d group-by keys (%s)", len(r.Groups), len(a.opts.GroupBy), strings.Join(a.opts.GroupBy, ", "))
	}
	day, err := time.Parse(time.DateOnly, r.Day)
	if err != nil {
		return fmt.Errorf("aggregate row: day %q: %w", r.Day, err)
	}
	if _, err := pricing.ParseMode(string(r.Mode)); err != nil || r.Mode == "" {
		return fmt.Errorf("aggregate row: mode %q: unknown (allowed: sync, stream, batch, flex, priority)", r.Mode)
	}
	k := rowKey{
		workflow: r.Workflow,
		provider: r.Provider,
		model:    r.Model,
		mode:     r.Mode,
		status:   uint8(st),
		logged:   r.LoggedCost,
		day:      int32(day.Unix() / 86400),
		pk:       r.PriceKey,
		groups:   strings.Join(r.Groups, groupSep),
	}
	v := &rowVal{
		usage:     r.Usage(),
		reasoning: r.ReasoningTokens,
		cancelled: r.CancelledStreams,
		cDeliv:    r.CancelledOutputTokens,
		cWithMax:  r.CancelledWithMax,
		cHeadroom: r.CancelledHeadroomTokens,
		logged:    r.LoggedCostUSD,
	}
	dst := a.rows[k]
	if dst == nil {
		dst = &rowVal{}
		a.rows[k] = dst
	}
	if !dst.add(v) {
		a.overflow = true
	}
	if k.status == statusPriced {
		y, m, d := day.Date()
		lo := time.Date(y, m, d, 0, 0, 0, 0, a.tz).UnixNano()
		hi := time.Date(y, m, d+1, 0, 0, 0, 0, a.tz).UnixNano() - 1
		if !a.havePriced || lo < a.minTS {
			a.minTS = lo
		}
		if !a.havePriced || hi > a.maxTS {
			a.maxTS = hi
		}
		a.havePriced = true
	}
	return nil
}

// EachRow yields every row of the aggregate in the order of Rows, one at
// a time, so that a reader of a large aggregate never holds a second copy
// of it.
func (a *Aggregator) EachRow() iter.Seq[Row] {
	return func(yield func(Row) bool) {
		for _, k := range a.sortedKeys() {
			if !yield(a.exportRow(k, a.rows[k])) {
				return
			}
		}
	}
}

// SumsFit reports whether no token sum overflowed and the grand totals of
// the tokens, and of the reasoning and early-cancel headroom tokens, each
// fit in an int64: every partial sum a report makes of the rows (per
// workflow, class, day or price line) is then exact, since none is larger.
func (a *Aggregator) SumsFit() bool {
	a.flush()
	var all, reasoning int64
	ok := !a.overflow
	for _, v := range a.rows {
		u := v.usage
		for _, n := range [...]int64{u.Input, u.CacheRead, u.CacheWrite5m, u.CacheWrite1h, u.Output} {
			ok = ok && n >= 0 && addChecked(&all, n)
		}
		ok = ok && v.reasoning >= 0 && addChecked(&reasoning, v.reasoning) && addChecked(&reasoning, v.cHeadroom)
	}
	return ok
}

// Rename moves the rows and the evidence of every workflow named in to into
// the workflow to names, adding them to what that workflow already holds:
// the sums stay exact, only the per-workflow detail of the renamed
// workflows is given up (the report folds its long tail this way).
func (a *Aggregator) Rename(to map[string]string) {
	a.flush()
	moved := map[rowKey]*rowVal{}
	for k, v := range a.rows {
		name, ok := to[k.workflow]
		if !ok {
			continue
		}
		delete(a.rows, k)
		k.workflow = name
		if dst := moved[k]; dst != nil {
			dst.add(v)
		} else {
			moved[k] = v
		}
	}
	for k, v := range moved {
		if dst := a.rows[k]; dst != nil {
			dst.add(v)
		} else {
			a.rows[k] = v
		}
	}
	for from, name := range to {
		ws := a.wfs[from]
		if ws == nil {
			continue
		}
		dst := a.wfs[name]
		if dst == nil {
			dst = NewWorkflowStats(name)
			a.wfs[name] = dst
		}
		dst.Add(ws)
		delete(a.wfs, from)
	}
}
