package audit

import (
	"testing"
)

// TestScanConflictingDuplicates checks that copies of one request id that
// disagree on workflow, model or status are counted with an example, in
// any order, and that an error copy never beats an ok copy with equal
// tokens.
func TestScanConflictingDuplicates(t *testing.T) {
	lines := []string{
		`{"ts":"2026-05-01T10:00:00Z","request_id":"r-9","model":"gpt-4o","workflow":"a","input_tokens":10,"status":"error"}`,
		`{"ts":"2026-05-01T10:00:00Z","request_id":"r-9","model":"gpt-4o","workflow":"a","input_tokens":10,"status":"ok"}`,
		`{"ts":"2026-05-01T10:00:00Z","request_id":"r-3","model":"gpt-4o","workflow":"a","input_tokens":10}`,
		`{"ts":"2026-05-01T10:00:00Z","request_id":"r-3","model":"gpt-4o","workflow":"b","input_tokens":10}`,
		`{"ts":"2026-05-01T10:00:00Z","request_id":"r-5","model":"gpt-4o","workflow":"a","input_tokens":10,"latency_ms":5}`,
		`{"ts":"2026-05-01T10:00:00Z","request_id":"r-5","model":"gpt-4o","workflow":"a","input_tokens":10,"latency_ms":6}`,
	}
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5}, {1, 0, 3, 2, 5, 4}, {5, 3, 1, 4, 2, 0}} {
		var log string
		for _, i := range order {
			log += lines[i] + "\n"
		}
		st, recs := mustScan(t, []Input{BytesInput("d.jsonl", []byte(log))}, ScanOptions{Workers: 1})
		if st.Duplicates != 3 || st.DedupConflicts != 3 || st.DedupMismatches != 2 || st.MismatchExample != "r-3" {
			t.Errorf("order %v: duplicates %d, conflicts %d, mismatches %d, example %q", order, st.Duplicates, st.DedupConflicts, st.DedupMismatches, st.MismatchExample)
		}
		for _, r := range recs {
			if r.RequestID == "r-9" && r.Status != StatusOK {
				t.Errorf("order %v: kept the %s copy of r-9", order, r.Status)
			}
		}
	}
}
