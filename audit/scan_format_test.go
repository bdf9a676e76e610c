package audit

import (
	"reflect"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/audit/decode"
)

// TestScanUnrecognizedFormat checks that a file of JSON objects of no
// supported shape is not taken for canonical JSONL ("missing field ts"):
// its objects are rejected as "format not recognized" with the list of
// what was tried, while invalid lines keep their own reason.
func TestScanUnrecognizedFormat(t *testing.T) {
	const log = `{"event":"login","user":"u1","at":"2026-05-01T10:00:00Z"}
{"event":"logout","user":"u1"}
not json
`
	st, recs, err := scanAll(t, []Input{BytesInput("events.jsonl", []byte(log))}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, st)
	if len(recs) != 0 || !reflect.DeepEqual(st.RejectedByReason, map[string]int64{ReasonUnrecognized: 2, ReasonInvalidJSON: 1}) {
		t.Errorf("rejected %v, %d records", st.RejectedByReason, len(recs))
	}
	if !reflect.DeepEqual(st.Formats, map[string]int64{decode.FormatUnrecognized: 1}) {
		t.Errorf("formats %v", st.Formats)
	}
	if !strings.HasPrefix(st.FirstReject, "read events.jsonl:1: format not recognized: tried canonical (ts or model with a token field), openai (") ||
		!strings.Contains(st.FirstReject, "claude-code (sessionId, parentUuid or leafUuid); force one with --format-in") {
		t.Errorf("first reject %q", st.FirstReject)
	}
}

// TestScanForcedFormatWarns checks that a --format-in that fits no item of
// a file is not silent.
func TestScanForcedFormatWarns(t *testing.T) {
	const log = `{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","input_tokens":1}
{"ts":"2026-05-01T10:00:01Z","model":"gpt-4o","input_tokens":2}
`
	st, recs, err := scanAll(t, []Input{BytesInput("c.jsonl", []byte(log))}, ScanOptions{FormatIn: decode.FormatOTel})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"c.jsonl: read as otel (--format-in), but its first records look like canonical",
		"--format-in otel: none of the 2 items read is a record of that format (2 skipped, 0 rejected): check --format-in, or leave it out to detect each file's format",
	}
	if len(recs) != 0 || !reflect.DeepEqual(st.Warnings, want) {
		t.Errorf("warnings %q, %d records", st.Warnings, len(recs))
	}
	// The right format forced: no warning.
	st, _ = mustScan(t, []Input{BytesInput("c.jsonl", []byte(log))}, ScanOptions{FormatIn: decode.FormatCanonical})
	if len(st.Warnings) != 0 {
		t.Errorf("warnings %q", st.Warnings)
	}
}
