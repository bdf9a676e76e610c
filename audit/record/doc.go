// Package record holds the canonical request record that every log decoder
// produces and every later stage reads: its disjoint token buckets, its
// status values and whether the provider bills it, the bounds a record must
// keep (timestamps in [MinTimestamp, MaxTimestamp), token counts under
// MaxRecordTokens), and the rejection reasons and RejectError with which a
// decoder refuses an input line.
//
// The package is a leaf: it imports only pricing (for the mode and the
// usage a record prices as), never prints and never reads the clock.
package record
