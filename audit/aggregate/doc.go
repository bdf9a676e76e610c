// Package aggregate holds what the aggregation stage keeps per workflow:
// WorkflowStats, the classification evidence (labels, hints, time to first
// token and latency histograms, arrivals per minute and per 10-minute bin),
// which merges by addition and which the classifier reads.
//
// The package never prints and never reads the clock.
package aggregate
