package simulate

import (
	"time"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/pricing"
)

// PrefixLine names one price line of a workflow as the report lists it:
// the workflow, the price entry (report.WorkflowLine.PriceRef) and the
// delivery mode.
type PrefixLine struct {
	Workflow, PriceRef, Mode string
}

// PrefixTokens is an audit.Consumer that measures, request by request, how
// many tokens of a shared prompt prefix of Prefix tokens a prompt cache
// would newly serve: the prefix less what the request already read from or
// wrote to a cache, at most its uncached input. Summing per request keeps
// a large request from lending its input to a small one, which a cap over
// a line's totals would do. Only billed records in [Since, Until) that the
// catalog prices count, as in the report.
type PrefixTokens struct {
	Cat          *pricing.Catalog
	Prefix       int64
	Since, Until time.Time

	// Tokens and Requests are the new prefix tokens and the requests that
	// have any, per line.
	Tokens   map[PrefixLine]int64
	Requests map[PrefixLine]int64
	refs     map[pricing.PriceKey]string
}

// NewPrefixTokens returns a consumer for a prefix of prefix tokens.
func NewPrefixTokens(cat *pricing.Catalog, prefix int64, since, until time.Time) *PrefixTokens {
	return &PrefixTokens{Cat: cat, Prefix: prefix, Since: since, Until: until,
		Tokens: map[PrefixLine]int64{}, Requests: map[PrefixLine]int64{}, refs: map[pricing.PriceKey]string{}}
}

// NewPrefix returns the prefix tokens a cache would newly serve for one
// request: prefix − (cache reads + cache writes), at least 0 and at most
// the uncached input.
func NewPrefix(prefix int64, r *audit.Record) int64 {
	n := prefix - r.CacheReadTokens - r.CacheWrite5mTokens - r.CacheWrite1hTokens
	if n > r.InputTokens {
		n = r.InputTokens
	}
	if n < 0 {
		n = 0
	}
	return n
}

// Consume implements audit.Consumer.
func (p *PrefixTokens) Consume(r *audit.Record) {
	if !r.Billed() || (!p.Since.IsZero() && r.TS.Before(p.Since)) || (!p.Until.IsZero() && !r.TS.Before(p.Until)) {
		return
	}
	n := NewPrefix(p.Prefix, r)
	if n == 0 {
		return
	}
	k, err := p.Cat.Key(r.Provider, r.Model, r.TS, r.Usage().TotalInput())
	if err != nil {
		return
	}
	ref, ok := p.refs[k]
	if !ok {
		ref = p.Cat.Entry(k).Ref
		p.refs[k] = ref
	}
	wf, mode := r.Workflow, string(r.Mode)
	if wf == "" {
		wf = aggregate.UnnamedWorkflow
	}
	if mode == "" {
		mode = string(pricing.ModeSync)
	}
	l := PrefixLine{wf, ref, mode}
	p.Tokens[l] += n
	p.Requests[l]++
}

// MergePrefixTokens sums the counts of several consumers (one per scan
// worker) into the first.
func MergePrefixTokens(ps ...*PrefixTokens) *PrefixTokens {
	if len(ps) == 0 {
		return nil
	}
	out := ps[0]
	for _, p := range ps[1:] {
		for k, v := range p.Tokens {
			out.Tokens[k] += v
		}
		for k, v := range p.Requests {
			out.Requests[k] += v
		}
	}
	return out
}
