package audit

import (
	"fmt"
	"strings"
	"testing"
)

// TestStreamEventsSinglePass checks that logs of stream events are read in
// one pass with no de-duplication conflict (the record a stream's first
// event would give is held, not emitted and then replaced), and that a
// stream cut by a chunk boundary is still accounted for exactly: its
// message_start counts as a record with its input, its message_delta on
// the far side is rejected.
func TestStreamEventsSinglePass(t *testing.T) {
	var b strings.Builder
	streams := 0
	for b.Len() < 3*chunkSize {
		fmt.Fprintf(&b, `{"type":"message_start","message":{"id":"msg_%06d","type":"message","model":"claude-haiku-4-5","usage":{"input_tokens":20,"cache_read_input_tokens":100,"output_tokens":1}}}`+"\n", streams)
		b.WriteString(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"` + strings.Repeat("x", 200) + `"}}` + "\n")
		b.WriteString(`{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}` + "\n")
		b.WriteString(`{"type":"message_stop"}` + "\n")
		streams++
	}
	chunks := `{"id":"c%d","object":"chat.completion.chunk","created":1760000000,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n" +
		`{"id":"c%d","object":"chat.completion.chunk","created":1760000000,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4}}` + "\n"
	var o strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&o, chunks, i, i)
	}
	st, recs := mustScan(t, []Input{testInput("events.jsonl", b.String()), testInput("chunks.jsonl", o.String())}, ScanOptions{Workers: 2})
	checkInvariant(t, st)
	if st.Passes != 1 || st.DedupConflicts != 0 {
		t.Errorf("passes %d, conflicts %d: want one pass and none", st.Passes, st.DedupConflicts)
	}
	var cut, full, unknown int64
	for _, r := range recs {
		switch {
		case r.Provider == "anthropic" && r.OutputTokens == 15 && r.InputTokens == 20 && r.CacheReadTokens == 100:
			full++
		case r.Provider == "anthropic" && r.OutputTokens == 1 && r.InputTokens == 20:
			cut++
		case r.Provider == "openai" && r.InputTokens == 9 && r.OutputTokens == 4:
		default:
			unknown++
			t.Errorf("unexpected record %s", brief(r))
		}
	}
	t.Logf("%d streams, %d cut at a chunk boundary", streams, cut)
	if full+cut != int64(streams) || st.Rejected != cut || cut < 1 || cut > 3 {
		t.Errorf("%d streams: %d whole, %d cut at a chunk boundary, %d rejected deltas", streams, full, cut, st.Rejected)
	}
	if n := st.Records - int64(streams); n != 2000 {
		t.Errorf("%d chunk-stream records, want 2000", n)
	}
	if st.Lines != int64(4*streams+4000) {
		t.Errorf("lines %d, want %d", st.Lines, 4*streams+4000)
	}
}
