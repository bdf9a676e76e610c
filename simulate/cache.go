package simulate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// BreakEvenHitRate is the cache hit rate above which caching a prefix costs
// less than sending it uncached. Every request either reads the prefix
// from the cache (price read) or misses and writes it (price write), while
// without caching it pays price base, so caching pays when
//
//	h·read + (1 − h)·write < base  ⇔  h > (write − base) / (write − read).
//
// With Anthropic's multipliers (read 0.1×, 5-minute write 1.25×) that is
// 0.25/1.15 ≈ 21.7%; with the 1-hour write (2×) it is 1/1.9 ≈ 52.6%. The
// result is 0 when writing costs no more than the base price, and ok is
// false when reads are not cheaper than writes (caching never pays).
func BreakEvenHitRate(base, read, write decimal.Decimal) (h decimal.Decimal, ok bool) {
	if !write.GreaterThan(read) {
		return decimal.Zero, read.LessThan(base)
	}
	h = write.Sub(base).DivRound(write.Sub(read), divPrecision)
	if h.IsNegative() {
		h = decimal.Zero
	}
	return h, true
}

type cacheLever struct{}

func (cacheLever) on(f *File) bool { return f.Cache != nil }

func (cacheLever) check(f *File) ([]check, error) {
	c := f.Cache
	if c.TTL == "" {
		c.TTL = "5m"
	}
	if c.TTL != "5m" && c.TTL != "1h" {
		return nil, f.errAt(fmt.Errorf("unknown ttl %q (allowed: 5m, 1h)", c.TTL), "cache", "ttl")
	}
	if err := f.segExists(c.Segments, func(err error) error { return f.errAt(err, "cache", "segments") }); err != nil {
		return nil, err
	}
	return []check{{"cache", "hit_rate", c.HitRate, unit, true}, {"cache", "batch_hit_rate", c.BatchHitRate, unit, false}}, nil
}

// apply prices a shared prefix served from the prompt cache, and with
// [batch] the cache stacked on batch.
func (cacheLever) apply(r *run, v view) error {
	keys, err := v.cacheCosts()
	if err != nil {
		return err
	}
	r.total(v, totals{name: "cache", cost: "with the prefix cached", savings: "cache savings"}, keys)
	if r.f.Batch == nil {
		return nil
	}
	keys, err = v.cacheBatchCosts()
	if err != nil || keys == nil {
		return err
	}
	r.total(v, totals{name: "cache_batch", cost: "with cache and batch", savings: "cache + batch savings"}, keys)
	return nil
}

// cacheCosts prices the stated prefix of the selected segments served
// from the prompt cache.
func (r *segView) cacheCosts() ([]string, error) {
	c := r.f.Cache
	var sel []*seg
	for _, g := range r.segs {
		if len(c.Segments) > 0 && !oneOf(g.f.Name, c.Segments) {
			continue
		}
		if g.tpre == "" {
			if len(c.Segments) > 0 {
				return nil, r.f.errSeg(g.i, "prefix_tokens", errors.New("missing: [cache] needs the shared prompt prefix per request (prefix_tokens) and requests"))
			}
			continue
		}
		sel = append(sel, g)
	}
	if len(sel) == 0 {
		return nil, r.f.errAt(errors.New("no segment has prefix_tokens (the shared prompt prefix per request) to cache"), "cache")
	}
	h := r.num("cache_hit_rate", c.HitRate, r.fileSrc("cache.hit_rate"), rate)
	hb := h
	if c.BatchHitRate.Set {
		hb = r.num("cache_batch_hit_rate", c.BatchHitRate, r.fileSrc("cache.batch_hit_rate"), rate)
	}
	write := "cache_write_" + c.TTL
	r.notes = append(r.notes, fmt.Sprintf("cache: every miss writes the prefix with the %s TTL; hits read it; the break-even hit rate is (write − input) / (write − read)", c.TTL))
	cached := map[*seg]bool{}
	for _, g := range sel {
		cached[g] = true
		pf := g.pf
		R, err := r.price(g, g.p, pf, "cache_read")
		if err != nil {
			return nil, r.f.errSeg(g.i, "model", err)
		}
		W, err := r.price(g, g.p, pf, write)
		if err != nil {
			return nil, r.f.errSeg(g.i, "model", err)
		}
		B, err := r.price(g, g.p, pf, "input")
		if err != nil {
			return nil, r.f.errSeg(g.i, "model", err)
		}
		rest, err := r.restExpr(g, g.inBat)
		if err != nil {
			return nil, err
		}
		prefix := g.tpre + " * (" + h + " * " + R + " + (1 - " + h + ") * " + W + ") / 1000000"
		if g.inBat {
			prefix, err = r.batchPrefixExpr(g, hb, write)
			if err != nil {
				return nil, err
			}
		}
		r.s.fig(pf+"cache_cost", pfName(g)+"cost per "+r.f.Period+" with the prefix cached", "USD", joinPlus(rest, prefix))
		r.breakEven(pf+"cache_breakeven_hit_rate", pfName(g)+"break-even cache hit rate ("+c.TTL+" TTL)", B, R, W)
	}
	var keys []string
	for _, g := range r.segs {
		if cached[g] {
			keys = append(keys, g.pf+"cache_cost")
		} else {
			keys = append(keys, g.cost)
		}
	}
	r.cached, r.hb, r.write = cached, hb, write
	return keys, nil
}

// cacheBatchCosts prices the cached segments' eligible traffic on batch:
// the prefix at the provider's cache prices on batch, the rest at its
// batch prices.
func (r *segView) cacheBatchCosts() ([]string, error) {
	c, cached, hb, write := r.f.Cache, r.cached, r.hb, r.write
	var keys []string
	for _, g := range r.segs {
		pf := g.pf
		if !cached[g] {
			keys = append(keys, g.batch)
			continue
		}
		if g.reason != "" {
			k := r.s.figKey(pf+"cache_batch_cost", pfName(g)+"cost per "+r.f.Period+" with cache and batch", "USD", pf+"cache_cost")
			r.s.note(k, g.reason)
			keys = append(keys, k)
			continue
		}
		rest, err := r.restExpr(g, true)
		if err != nil {
			return nil, err
		}
		prefix, err := r.batchPrefixExpr(g, hb, write)
		if err != nil {
			return nil, err
		}
		full := r.s.figKey(pf+"cache_all_batch_cost", pfName(g)+"cost per "+r.f.Period+" if all of it ran on batch with the prefix cached", "USD", joinPlus(rest, prefix))
		if !g.p.CacheStacksWithBatch {
			r.s.note(full, "the cache and batch discounts do not stack here: cache reads and priced cache writes pay the standard cache prices, the rest (a miss that writes at the input price included) the batch price")
		}
		keys = append(keys, r.s.figKey(pf+"cache_batch_cost", pfName(g)+"cost per "+r.f.Period+" with cache and batch", "USD",
			pf+"cache_cost * (1 - "+g.elig+") + "+g.elig+" * "+full))
		// Break-even on batch: the base is the batch input price.
		B, R, W, err := r.batchCachePrices(g, write)
		if err != nil {
			return nil, err
		}
		r.breakEven(pf+"cache_batch_breakeven_hit_rate", pfName(g)+"break-even cache hit rate on batch ("+c.TTL+" TTL)", B, R, W)
	}
	return keys, nil
}

// restExpr is the cost of a segment's tokens other than the prefix, at list
// or batch prices; "" when there are none.
func (r *run) restExpr(g *seg, batch bool) (string, error) {
	h := *g
	h.tpre = ""
	if h.tin == "" && h.tout == "" && !(h.p.HasPerRequest && h.req != "") {
		return "", nil
	}
	e, err := r.costExpr(&h, h.p, h.pf, batch)
	if err != nil {
		return "", r.f.errSeg(g.i, "model", err)
	}
	return e, nil
}

// batchPrefixExpr is the cost of the prefix on batch: the batch cache
// prices where the provider stacks the discounts, the list cache prices
// where the cache discount takes precedence.
func (r *run) batchPrefixExpr(g *seg, hb, write string) (string, error) {
	pf := g.pf
	if !g.p.CacheStacksWithBatch || !g.p.HasBatchDiscount {
		rk, wk := "cache_read", write
		if g.p.CacheStacksWithBatch {
			rk, wk = "batch_cache_read", "batch_"+write
		}
		R, err := r.price(g, g.p, pf, rk)
		if err != nil {
			return "", r.f.errSeg(g.i, "model", err)
		}
		W, err := r.price(g, g.p, pf, wk)
		if err != nil {
			return "", r.f.errSeg(g.i, "model", err)
		}
		if !g.p.CacheStacksWithBatch {
			if W, err = r.batchMiss(g, write, W); err != nil {
				return "", err
			}
		}
		return g.tpre + " * (" + hb + " * " + R + " + (1 - " + hb + ") * " + W + ") / 1000000", nil
	}
	R, _ := r.price(g, g.p, pf, "cache_read")
	W, err := r.price(g, g.p, pf, write)
	if err != nil {
		return "", r.f.errSeg(g.i, "model", err)
	}
	d, err := r.price(g, g.p, pf, "batch_discount")
	if err != nil {
		return "", r.f.errSeg(g.i, "model", err)
	}
	return g.tpre + " * (" + hb + " * " + R + " + (1 - " + hb + ") * " + W + ") * (1 - " + d + ") / 1000000", nil
}

// batchCachePrices returns expressions of the base, read and write prices a
// prefix pays on batch.
func (r *run) batchCachePrices(g *seg, write string) (base, read, wr string, err error) {
	pf := g.pf
	R, _ := r.price(g, g.p, pf, "cache_read")
	W, _ := r.price(g, g.p, pf, write)
	B, _ := r.price(g, g.p, pf, "input")
	if g.p.HasBatchDiscount {
		d, _ := r.price(g, g.p, pf, "batch_discount")
		f := " * (1 - " + d + ")"
		if g.p.CacheStacksWithBatch {
			return "(" + B + f + ")", "(" + R + f + ")", "(" + W + f + ")", nil
		}
		W, err = r.batchMiss(g, write, W)
		return "(" + B + f + ")", R, W, err
	}
	Bb, err := r.price(g, g.p, pf, "batch_input")
	if err != nil {
		return "", "", "", r.f.errSeg(g.i, "model", err)
	}
	if g.p.CacheStacksWithBatch {
		Rb, err := r.price(g, g.p, pf, "batch_cache_read")
		if err != nil {
			return "", "", "", r.f.errSeg(g.i, "model", err)
		}
		Wb, err := r.price(g, g.p, pf, "batch_"+write)
		if err != nil {
			return "", "", "", r.f.errSeg(g.i, "model", err)
		}
		return Bb, Rb, Wb, nil
	}
	W, err = r.batchMiss(g, write, W)
	return Bb, R, W, err
}

// batchMiss is the price a cache miss pays on batch where cache prices do
// not take the batch discount: the standard cache-write price W where the
// book states a write premium, but the batch input price where writing
// costs what input costs (OpenAI, Google), since an uncached prefix on
// batch is batch input.
func (r *run) batchMiss(g *seg, write, W string) (string, error) {
	isInput := g.p.WriteIsInput5m
	if write == "cache_write_1h" {
		isInput = g.p.WriteIsInput1h
	}
	if !isInput {
		return W, nil
	}
	if g.p.HasBatchDiscount {
		B, err := r.price(g, g.p, g.pf, "input")
		if err != nil {
			return "", r.f.errSeg(g.i, "model", err)
		}
		d, err := r.price(g, g.p, g.pf, "batch_discount")
		if err != nil {
			return "", r.f.errSeg(g.i, "model", err)
		}
		return "(" + B + " * (1 - " + d + "))", nil
	}
	Bb, err := r.price(g, g.p, g.pf, "batch_input")
	if err != nil {
		return "", r.f.errSeg(g.i, "model", err)
	}
	return Bb, nil
}

// breakEven adds the break-even hit rate (in %) of base, read and write
// price expressions.
func (r *run) breakEven(key, label, base, read, write string) {
	b, _ := EvalExpr(base, r.s.env)
	rd, _ := EvalExpr(read, r.s.env)
	w, _ := EvalExpr(write, r.s.env)
	h, ok := BreakEvenHitRate(b, rd, w)
	switch {
	case !ok:
		r.s.stat(key, label, "%", "never")
		r.s.note(key, "cache reads cost no less than uncached input: caching never pays")
	case !w.GreaterThan(rd) || h.IsZero():
		r.s.fig(key, label, "%", "0")
		r.s.note(key, "cache writes cost no more than uncached input: caching pays at any hit rate")
	default:
		r.s.fig(key, label, "%", "("+write+" - "+base+") / ("+write+" - "+read+") * 100")
	}
}

func joinPlus(parts ...string) string {
	var nz []string
	for _, p := range parts {
		if p != "" {
			nz = append(nz, p)
		}
	}
	return strings.Join(nz, " + ")
}
