package simulate

import (
	"fmt"
	"sort"
	"time"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/pricing"
)

// MaxBatchSamples bounds the completion times kept to fit the completion
// model; beyond it MergeBatchHours keeps evenly spaced ranks.
const MaxBatchSamples = 100_000

// CalibratesCompletion reports whether a record's latency_ms is a batch
// completion time that may calibrate the completion-risk model. It is the
// one rule both analyze --what-if and simulate --batch-logs use: the
// record is in mode batch, the provider billed it (its status is not
// error, expired or cancelled: those results never completed), and it
// logged a latency_ms above 0 (absent or 0 says nothing about how long
// the batch took, and a lognormal cannot hold a zero).
func CalibratesCompletion(r *audit.Record) bool {
	return r.Mode == pricing.ModeBatch && r.Billed() && r.LatencyMS > 0
}

// BatchHours is an audit.Consumer that collects, in hours, the completion
// times of the records that CalibratesCompletion accepts and whose
// timestamp lies in [Since, Until) (a zero bound is open).
type BatchHours struct {
	Since, Until time.Time
	Hours        []float64
}

// Consume implements audit.Consumer.
func (b *BatchHours) Consume(r *audit.Record) {
	if !CalibratesCompletion(r) ||
		(!b.Since.IsZero() && r.TS.Before(b.Since)) || (!b.Until.IsZero() && !r.TS.Before(b.Until)) {
		return
	}
	b.Hours = append(b.Hours, float64(r.LatencyMS)/3_600_000)
}

// MergeBatchHours joins the hours of several consumers (one per scan
// worker) in ascending order and, past MaxBatchSamples, keeps that many
// evenly spaced in rank (the smallest and largest included), so the fit
// depends neither on how the records were split between workers nor on
// their order.
func MergeBatchHours(bs ...*BatchHours) []float64 {
	var out []float64
	for _, b := range bs {
		if b != nil {
			out = append(out, b.Hours...)
		}
	}
	sort.Float64s(out)
	if len(out) <= MaxBatchSamples {
		return out
	}
	kept := make([]float64, MaxBatchSamples)
	for i := range kept {
		kept[i] = out[i*(len(out)-1)/(MaxBatchSamples-1)]
	}
	return kept
}

// BatchHoursSource cites n calibrating records of the logs at where.
func BatchHoursSource(n int, where string) string {
	return fmt.Sprintf("fitted to %d completed batch records with latency_ms above 0 (logs: %s)", n, where)
}
