package simulate

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// defaultMedianHours is the documented prior median of a batch's completion
// time: seed 002 says batches "complete in 1–4 hours" in practice and
// Anthropic says most finish within 1 hour (https://platform.claude.com/docs/en/build-with-claude/batch-processing); 2 h is the
// geometric middle of 1–4 h.
var defaultMedianHours = decimal.NewFromInt(2)

type batchLever struct{}

func (batchLever) on(f *File) bool { return f.Batch != nil }

func (batchLever) check(f *File) ([]check, error) {
	b := f.Batch
	for _, c := range b.Classes {
		if !oneOf(c, classes) {
			return nil, f.errAt(fmt.Errorf("unknown class %q (allowed: realtime, near-realtime, scheduled)", c), "batch", "classes")
		}
	}
	return []check{{"batch", "submit_every_hours", b.SubmitEveryHours, positive, false}, {"batch", "bytes_per_request", b.BytesPerRequest, positive, false}}, nil
}

// apply moves the eligible units to batch and sizes the jobs they need.
func (batchLever) apply(r *run, v view) error {
	keys, err := v.batchCosts()
	if err != nil {
		return err
	}
	r.total(v, totals{name: "batch", cost: "with eligible traffic on batch", savings: "batch savings", monthlySavings: true}, keys)
	v.batchJobs()
	return nil
}

// batchCosts moves every eligible segment to its provider's batch rule.
func (r *segView) batchCosts() ([]string, error) {
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
			return nil, r.f.errSeg(g.i, "model", err)
		}
		full := r.s.figKey(g.pf+"cost_all_batch", pfName(g)+"cost per "+r.f.Period+" if all of it ran on batch", "USD", expr)
		r.s.fig(g.batch, label, "USD", g.cost+" * (1 - "+g.elig+") + "+g.elig+" * "+full)
		keys = append(keys, g.batch)
	}
	var delayed []string
	for _, g := range r.segs {
		if g.reason != "" || r.s.value(g.elig).IsZero() {
			continue
		}
		if g.req == "" {
			delayed = nil
			break
		}
		delayed = append(delayed, g.req+" * "+g.elig)
	}
	if len(delayed) > 0 && r.f.TimeValue != nil {
		r.delayed = r.s.figKey("delayed_requests", "requests moved to batch per "+r.f.Period, "requests", strings.Join(delayed, " + "))
	}
	return keys, nil
}

// batchJobs sizes the batch jobs each eligible segment needs per
// submission under its provider's limits, and the wait the queue pattern
// adds: requests accumulate for submit_every_hours, so a request waits
// half that on average before its batch is even submitted.
func (r *segView) batchJobs() {
	b := r.f.Batch
	every, oneOff := r.queueWait()
	var units []jobUnit
	for _, g := range r.segs {
		if g.reason != "" || g.req == "" || r.s.value(g.elig).IsZero() {
			continue
		}
		pf := g.pf
		u := jobUnit{pf: pf, name: pfName(g), maxReq: g.p.BatchMaxRequests, maxBytes: g.p.BatchMaxBytes, limitSrc: g.p.BatchLimitSource, who: providerName(g),
			perSub: g.req + " * " + g.elig + " * periods_per_year * submit_every_hours / 8760"}
		if oneOff {
			u.perSub = g.req + " * " + g.elig
		}
		if g.tin != "" || g.tpre != "" {
			u.bytes = func() string {
				r.bytesPerToken()
				if b.BytesPerRequest.Set {
					return r.num("bytes_per_request", b.BytesPerRequest, r.fileSrc("batch.bytes_per_request"), input)
				}
				r.bytesOverhead()
				var tok []string
				for _, k := range []string{g.v.InputTokens.keyOr(pf, "input_tokens", r.run), g.v.PrefixTokens.keyOr(pf, "prefix_tokens", r.run)} {
					if k != "" {
						tok = append(tok, k)
					}
				}
				return r.s.figKey(pf+"batch_bytes_per_request", pfName(g)+"JSONL bytes per request", "bytes",
					"("+strings.Join(tok, " + ")+") * bytes_per_token + bytes_overhead_per_request")
			}
		}
		units = append(units, u)
	}
	r.sizeJobs(units, every, !oneOff)
}

// jobUnit is what sizing one unit's batch jobs reads.
type jobUnit struct {
	pf, name         string // key prefix and label prefix ("" or "name: ")
	perSub           string // expression of its requests per submission
	maxReq, maxBytes int64  // the tightest per-job limits, 0 when none
	limitSrc         string // where the limits come from
	who              string // whose limits, for the note when there are none
	// bytes returns the key of the JSONL bytes per request, recording
	// its assumptions; nil when the unit's request size is unknown.
	bytes func() string
}

// sizeJobs sizes the batch jobs of each unit per submission: enough JSONL
// files to stay under the request and the size limit of a job, rounded
// up; and, unless the run is one-off (perDay false), per day at a
// submission every every hours.
func (r *run) sizeJobs(units []jobUnit, every decimal.Decimal, perDay bool) {
	for _, u := range units {
		pf, name := u.pf, u.name
		perSub := r.s.figKey(pf+"batch_requests_per_submission", name+"requests per batch submission", "requests", u.perSub)
		if u.maxReq == 0 && u.maxBytes == 0 {
			r.s.note(perSub, "no documented per-job limits for "+u.who)
			continue
		}
		var parts []string
		if u.maxReq > 0 {
			k := pf + "batch_max_requests"
			r.s.assume(k, decimal.NewFromInt(u.maxReq), u.limitSrc, fixed)
			parts = append(parts, r.s.figKey(pf+"batch_files_by_requests", name+"batch files per submission by request limit (exact)", "files", perSub+" / "+k))
		}
		if u.maxBytes > 0 && u.bytes != nil {
			bytesKey := u.bytes()
			k := pf + "batch_max_bytes"
			r.s.assume(k, decimal.NewFromInt(u.maxBytes), u.limitSrc, fixed)
			parts = append(parts, r.s.figKey(pf+"batch_files_by_bytes", name+"batch files per submission by size limit (exact)", "files", perSub+" * "+bytesKey+" / "+k))
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
		r.s.stat(pf+"batch_jobs_per_submission", name+"batch jobs per submission (rounded up)", "jobs", files.String())
		if perDay {
			r.s.stat(pf+"batch_jobs_per_day", name+"batch jobs per day", "jobs/day", files.Mul(decimal.NewFromInt(24)).DivRound(every, 4).String())
		}
	}
}

// bytesPerToken records the default JSONL bytes per prompt token once.
func (r *run) bytesPerToken() {
	if !r.s.has("bytes_per_token") {
		r.s.assume("bytes_per_token", decimal.NewFromInt(4), "default: about 4 bytes of JSONL per token of prompt text", input)
	}
}

// bytesOverhead records the default JSONL bytes of a request's envelope
// once.
func (r *run) bytesOverhead() {
	if !r.s.has("bytes_overhead_per_request") {
		r.s.assume("bytes_overhead_per_request", decimal.NewFromInt(500), "default: JSONL envelope, custom_id and parameters per request", input)
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
// completion time, at most the 24 h window. A one-off run has no queue;
// logs always do, whatever the file's period: their traffic spreads over
// the window.
func (r *run) queueWait() (every decimal.Decimal, oneOff bool) {
	every = decimal.NewFromInt(24)
	oneOff = r.f.Period == "run" && !r.overLogs
	b := r.f.Batch
	if !oneOff {
		everySrc := "default: accumulate a day's requests and submit once a day (seed 000's queue pattern)"
		if b.SubmitEveryHours.Set {
			every, everySrc = b.SubmitEveryHours.D, r.fileSrc("batch.submit_every_hours")
		}
		r.s.assume("submit_every_hours", every, everySrc, input)
	}
	r.s.assume("batch_window_hours", decimal.NewFromInt(24), "provider batch window: results within 24 h or expired (https://developers.openai.com/api/docs/guides/batch; https://platform.claude.com/docs/en/build-with-claude/batch-processing)", fixed)
	median, medSrc := defaultMedianHours, "default prior: batches typically finish in 1–4 h (seed 002; Anthropic: most within 1 h, https://platform.claude.com/docs/en/build-with-claude/batch-processing)"
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
