package simulate

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// defaultMedianHours is the documented prior median of a batch's completion
// time: seed 002 says batches "complete in 1–4 hours" in practice and
// Anthropic says most finish within 1 hour (provider-facts §2.1); 2 h is the
// geometric middle of 1–4 h.
var defaultMedianHours = decimal.NewFromInt(2)

// batch moves every eligible segment to its provider's batch rule.
func (r *run) batch() error {
	b := r.f.Batch
	eligible := b.Classes
	eligSrc := r.fileSrc("batch.classes")
	if len(eligible) == 0 {
		eligible, eligSrc = []string{"scheduled"}, "default: only scheduled work moves to batch"
	}
	var keys []string
	for _, g := range r.segs {
		sf := g.f
		class, classSrc := sf.Class, r.fileSrc(fmt.Sprintf("workload[%d].class", g.i+1))
		if class == "" {
			class, classSrc = "scheduled", "default: a described workload is scheduled unless its class says otherwise"
		}
		g.elig = g.pf + "eligible_share"
		switch {
		case sf.EligibleShare.Set:
			r.s.assume(g.elig, sf.EligibleShare.D, r.fileSrc(fmt.Sprintf("workload[%d].eligible_share", g.i+1)), rate)
		case oneOf(class, eligible):
			r.s.assume(g.elig, dOne, fmt.Sprintf("class %s (%s) is eligible (%s)", class, classSrc, eligSrc), rate)
		default:
			r.s.assume(g.elig, dZero, fmt.Sprintf("class %s (%s) is not eligible (%s)", class, classSrc, eligSrc), fixed)
		}
		g.batch = g.pf + "batch_cost"
		label := "cost per " + r.f.Period + " with eligible traffic on batch"
		if g.pf != "" {
			label = sf.Name + ": " + label
		}
		switch {
		case g.inBat:
			g.reason = "already delivered by batch: untouched"
		case !g.p.HasBatch:
			g.reason = g.p.NoBatchWhy + ": refused, no batch discount exists"
		case r.s.value(g.elig).IsZero():
			g.reason = "class " + class + " is not batch-eligible"
		}
		if g.reason != "" {
			r.s.fig(g.batch, label, "USD", g.cost)
			r.s.note(g.batch, g.reason)
			keys = append(keys, g.batch)
			continue
		}
		expr, err := r.costExpr(g, g.p, g.pf, true)
		if err != nil {
			return r.f.errSeg(g.i, "model", err)
		}
		full := r.s.figKey(g.pf+"cost_all_batch", pfName(g)+"cost per "+r.f.Period+" if all of it ran on batch", "USD", expr)
		r.s.fig(g.batch, label, "USD", g.cost+" * (1 - "+g.elig+") + "+g.elig+" * "+full)
		keys = append(keys, g.batch)
	}
	r.sum("batch_cost", "cost per "+r.f.Period+" with eligible traffic on batch", "USD", keys)
	r.s.fig("batch_savings", "batch savings per "+r.f.Period, "USD", "cost - batch_cost")
	r.pct("batch_savings_pct", "batch savings", "batch_savings", "cost")
	r.monthly("monthly_batch_cost", "cost per month with eligible traffic on batch", "batch_cost")
	r.monthly("monthly_batch_savings", "batch savings per month", "batch_savings")
	r.jobs()
	return nil
}

// jobs sizes the batch jobs each eligible segment needs per submission
// under its provider's limits, and the wait the queue pattern adds:
// requests accumulate for submit_every_hours, so a request waits half that
// on average before its batch is even submitted.
func (r *run) jobs() {
	b := r.f.Batch
	every, oneOff := r.queueWait()
	bpt, overhead := false, false
	for _, g := range r.segs {
		if g.reason != "" || g.req == "" || r.s.value(g.elig).IsZero() {
			continue
		}
		pf := g.pf
		perSubExpr := g.req + " * " + g.elig + " * periods_per_year * submit_every_hours / 8760"
		if oneOff {
			perSubExpr = g.req + " * " + g.elig
		}
		perSub := r.s.figKey(pf+"batch_requests_per_submission", pfName(g)+"requests per batch submission", "requests", perSubExpr)
		if g.p.BatchMaxRequests == 0 && g.p.BatchMaxBytes == 0 {
			r.s.note(perSub, "no documented per-job limits for "+providerName(g))
			continue
		}
		var parts []string
		if g.p.BatchMaxRequests > 0 {
			k := pf + "batch_max_requests"
			r.s.assume(k, decimal.NewFromInt(g.p.BatchMaxRequests), g.p.BatchLimitSource, fixed)
			parts = append(parts, r.s.figKey(pf+"batch_files_by_requests", pfName(g)+"batch files per submission by request limit (exact)", "files", perSub+" / "+k))
		}
		if g.p.BatchMaxBytes > 0 && (g.tin != "" || g.tpre != "") {
			if !bpt {
				bpt = true
				r.s.assume("bytes_per_token", decimal.NewFromInt(4), "default: about 4 bytes of JSONL per token of prompt text", input)
			}
			var bytesKey string
			if b.BytesPerRequest.Set {
				bytesKey = r.num("bytes_per_request", b.BytesPerRequest, r.fileSrc("batch.bytes_per_request"), input)
			} else {
				if !overhead {
					overhead = true
					r.s.assume("bytes_overhead_per_request", decimal.NewFromInt(500), "default: JSONL envelope, custom_id and parameters per request", input)
				}
				var tok []string
				for _, k := range []string{g.v.InputTokens.keyOr(pf, "input_tokens", r), g.v.PrefixTokens.keyOr(pf, "prefix_tokens", r)} {
					if k != "" {
						tok = append(tok, k)
					}
				}
				bytesKey = r.s.figKey(pf+"batch_bytes_per_request", pfName(g)+"JSONL bytes per request", "bytes",
					"("+strings.Join(tok, " + ")+") * bytes_per_token + bytes_overhead_per_request")
			}
			k := pf + "batch_max_bytes"
			r.s.assume(k, decimal.NewFromInt(g.p.BatchMaxBytes), g.p.BatchLimitSource, fixed)
			parts = append(parts, r.s.figKey(pf+"batch_files_by_bytes", pfName(g)+"batch files per submission by size limit (exact)", "files", perSub+" * "+bytesKey+" / "+k))
		}
		if len(parts) == 0 {
			continue
		}
		need := r.s.value(parts[0])
		for _, p := range parts[1:] {
			need = decimal.Max(need, r.s.value(p))
		}
		files := need.Ceil()
		if files.IsZero() && r.s.value(perSub).IsPositive() {
			files = dOne
		}
		r.s.stat(pf+"batch_jobs_per_submission", pfName(g)+"batch jobs per submission (rounded up)", "jobs", files.String())
		if !oneOff {
			perDay := files.Mul(decimal.NewFromInt(24)).DivRound(every, 4)
			r.s.stat(pf+"batch_jobs_per_day", pfName(g)+"batch jobs per day", "jobs/day", perDay.String())
		}
	}
}

// keyOr returns the key holding a per-request size: the segment's own
// assumption or [volume]'s.
func (n Num) keyOr(pf, field string, r *run) string {
	if !n.Set {
		return ""
	}
	if r.s.has(pf + field) {
		return pf + field
	}
	if r.s.has("volume_" + field) {
		return "volume_" + field
	}
	return ""
}

func pfName(g *seg) string {
	if g.pf == "" {
		return ""
	}
	return g.f.Name + ": "
}

func providerName(g *seg) string {
	if g.p.Provider == "" {
		return "this provider"
	}
	return g.p.Provider
}

// queueWait records the queue pattern's assumptions and the waits it adds:
// requests accumulate for submit_every_hours and wait half of that on
// average before their batch is sent, then the batch takes its median
// completion time, at most the 24 h window. A one-off run has no queue.
func (r *run) queueWait() (every decimal.Decimal, oneOff bool) {
	every = decimal.NewFromInt(24)
	oneOff = r.f.Period == "run"
	b := r.f.Batch
	if !oneOff {
		everySrc := "default: accumulate a day's requests and submit once a day (seed 000's queue pattern)"
		if b.SubmitEveryHours.Set {
			every, everySrc = b.SubmitEveryHours.D, r.fileSrc("batch.submit_every_hours")
		}
		r.s.assume("submit_every_hours", every, everySrc, input)
	}
	r.s.assume("batch_window_hours", decimal.NewFromInt(24), "provider batch window: results within 24 h or expired (provider-facts §1.1, §2.1)", fixed)
	median, medSrc := defaultMedianHours, "default prior: batches typically finish in 1–4 h (seed 002; provider-facts §2.1)"
	if c := r.f.Completion; c != nil && c.MedianHours.Set {
		median, medSrc = c.MedianHours.D, r.fileSrc("completion.median_hours")
	}
	r.s.assume("batch_median_hours", median, medSrc, input)
	if oneOff {
		r.s.fig("avg_added_wait_hours", "typical added wait (median batch completion)", "hours", "batch_median_hours")
		r.s.fig("max_added_wait_hours", "longest added wait (the batch window)", "hours", "batch_window_hours")
	} else {
		r.s.fig("avg_queue_wait_hours", "average wait in the queue before submission", "hours", "submit_every_hours / 2")
		r.s.fig("avg_added_wait_hours", "average added wait (queue + median batch completion)", "hours", "avg_queue_wait_hours + batch_median_hours")
		r.s.fig("max_added_wait_hours", "longest added wait (a full interval + the 24 h window)", "hours", "submit_every_hours + batch_window_hours")
	}

	return every, oneOff
}
