package simulate

import (
	"sort"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/pricing"
)

// BatchHours is an audit.Consumer that collects the completion times, in
// hours, of the batch requests in logs: records in mode batch that the
// provider billed and that logged latency_ms. They calibrate the
// completion-risk Monte Carlo.
type BatchHours struct {
	Hours []float64
}

// Consume implements audit.Consumer.
func (b *BatchHours) Consume(r *audit.Record) {
	if r.Mode != pricing.ModeBatch || r.LatencyMS <= 0 || !r.Billed() {
		return
	}
	b.Hours = append(b.Hours, float64(r.LatencyMS)/3_600_000)
}

// MergeBatchHours joins the hours of several consumers (one per scan
// worker) in ascending order, so the fit does not depend on how the
// records were split between workers.
func MergeBatchHours(cs []audit.Consumer) []float64 {
	var out []float64
	for _, c := range cs {
		if b, ok := c.(*BatchHours); ok {
			out = append(out, b.Hours...)
		}
	}
	sort.Float64s(out)
	return out
}
