package pricing

import (
	"fmt"
	"math"
	"time"
)

// KeyResolved is Key for a model that Resolve already resolved: it skips
// name resolution (aliases, snapshots, messages), so a hot loop that caches
// one Resolution per distinct logged name pays only the entry lookup by
// timestamp and the tier choice per request.
func (c *Catalog) KeyResolved(r Resolution, at time.Time, totalInput int64) (PriceKey, error) {
	m, ok := c.models[r.Provider+"/"+r.ModelID]
	if !ok {
		return PriceKey{}, fmt.Errorf("%w: no price book prices %s/%s", ErrUnknownModel, r.Provider, r.ModelID)
	}
	return c.keyFor(m, at, totalInput)
}

// KeySpan is the price key of a resolved model over the stretch of time in
// which one price entry (with its overlays) is in force: every request in
// [From, Until) gets Key with the tier Tier picks for its input total. It
// lets a hot loop ask the catalog once per model and entry instead of once
// per request.
type KeySpan struct {
	// Key is the key of a standard-tier request in the span.
	Key PriceKey
	// From and Until bound the span in Unix nanoseconds; Until is
	// math.MaxInt64 for the last entry of a model.
	From, Until int64
	// above lists the long-context tier thresholds in ascending order.
	above []int64
}

// Contains reports whether a request at Unix nanoseconds ns falls in the
// span.
func (s *KeySpan) Contains(ns int64) bool { return ns >= s.From && ns < s.Until }

// Tier returns the key of a request in the span with totalInput input
// tokens (input + cache reads + cache writes), which must not be negative:
// the highest tier whose threshold totalInput strictly exceeds, as Key.
func (s *KeySpan) Tier(totalInput int64) PriceKey {
	k := s.Key
	for t, above := range s.above {
		if totalInput > above {
			k.Tier = int8(t + 1)
		}
	}
	return k
}

// KeySpanResolved returns the span of the price entry in force at `at` for
// a model that Resolve already resolved, with the error KeyResolved gives
// when none is. For every request at t in the span and every non-negative
// totalInput, span.Tier(totalInput) equals KeyResolved(r, t, totalInput).
func (c *Catalog) KeySpanResolved(r Resolution, at time.Time) (KeySpan, error) {
	k, err := c.KeyResolved(r, at, 0)
	if err != nil {
		return KeySpan{}, err
	}
	m := c.models[r.Provider+"/"+r.ModelID]
	segs := c.segs[m]
	s := KeySpan{Key: k, From: segs[k.Entry].from.UnixNano(), Until: math.MaxInt64}
	if int(k.Entry)+1 < len(segs) {
		s.Until = segs[k.Entry+1].from.UnixNano()
	}
	e := segs[k.Entry].entry
	for _, tr := range e.tiers {
		s.above = append(s.above, tr.above)
	}
	if len(e.windows) > 0 {
		// The band is the window at `at`: the span ends at the nearest
		// window edges, so every request in it falls in the same window.
		from, until := windowBounds(e, at.UTC())
		if ns := from.UnixNano(); ns > s.From {
			s.From = ns
		}
		if ns := until.UnixNano(); ns < s.Until {
			s.Until = ns
		}
	}
	return s, nil
}
