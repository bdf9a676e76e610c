package audit

import (
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/audit/decode"
)

// TestDecoderRejections pins lines the decoders once took for records (or
// dated with the file time) although they are broken: a CSV row whose cells
// do not match the header, an OpenAI created that is not a time, a Claude
// Code response without a model. Each must be one counted rejection naming
// the line, field, value and reason, while the valid neighbours of each
// case stay records or skipped lines.
func TestDecoderRejections(t *testing.T) {
	const csvHead = "ts,model,input_tokens,output_tokens,workflow\n"
	const csvOK = "2026-01-01T00:00:00Z,gpt-4o,10,5,a\n"
	batchLine := func(body string) string {
		return `{"id":"batch_req_1","custom_id":"doc-1","response":{"status_code":200,"request_id":"req_1","body":{"id":"chatcmpl-1","object":"chat.completion",` + body + `,"model":"gpt-4.1","usage":{"prompt_tokens":20,"completion_tokens":3}}},"error":null}`
	}
	ccLine := func(msg string, extra string) string {
		return `{"parentUuid":"u1","sessionId":"s","type":"assistant","message":{"id":"msg_1","type":"message","role":"assistant"` + msg + `},"requestId":"req_1","uuid":"a1","timestamp":"2026-05-01T10:00:02.000Z"` + extra + `}`
	}
	const ccUsage = `,"usage":{"input_tokens":4,"cache_read_input_tokens":100,"output_tokens":8}`
	cases := []struct {
		name, file, format, data string
		want                     []string         // records
		stats                    string           // records/duplicates/rejected/skipped
		reasons                  map[string]int64 // rejections by reason
		first                    string           // message of the first rejection
	}{
		{
			name: "csv row with fewer cells than the header", file: "short.csv", format: decode.FormatCanonicalCSV,
			data:    csvHead + csvOK + "2026-01-01T00:00:00Z,gpt-4o,10\n",
			want:    []string{"||gpt-4o|a|sync|ok|2026-01-01T00:00:00Z|in=10 cr=0 w5=0 w1=0 out=5 rs=0"},
			stats:   "1/0/1/0",
			reasons: map[string]int64{ReasonBadCSV: 1},
			first:   "read short.csv:3: output_tokens: invalid csv: wrong number of fields: 3 cells, the header has 5 columns (write an empty cell for each absent value)",
		},
		{
			name: "csv row with more cells than the header", file: "long.csv", format: decode.FormatCanonicalCSV,
			data:    csvHead + "2026-01-01T00:00:00Z,gpt-4o,10,5,a,9\n" + csvOK,
			want:    []string{"||gpt-4o|a|sync|ok|2026-01-01T00:00:00Z|in=10 cr=0 w5=0 w1=0 out=5 rs=0"},
			stats:   "1/0/1/0",
			reasons: map[string]int64{ReasonBadCSV: 1},
			first:   `read long.csv:2: column 6: invalid csv: wrong number of fields: 6 cells, the header has 5 columns (extra cell "9": quote cells that hold commas)`,
		},
		{
			name: "csv token count with an unquoted thousands separator", file: "sep.csv", format: decode.FormatCanonicalCSV,
			data:    "ts,model,input_tokens,output_tokens\n2026-01-01T00:00:00Z,gpt-4o,1,000,5\n",
			stats:   "0/0/1/0",
			reasons: map[string]int64{ReasonBadCSV: 1},
			first:   `read sep.csv:2: column 5: invalid csv: wrong number of fields: 5 cells, the header has 4 columns (extra cell "5": quote cells that hold commas)`,
		},
		{
			name: "csv quoted comma and empty trailing cells are rows of the header's width", file: "ok.csv", format: decode.FormatCanonicalCSV,
			data: csvHead + "2026-01-01T00:00:00Z,gpt-4o,10,5,\"a,b\"\n2026-01-01T00:00:00Z,gpt-4o,10,,\n",
			want: []string{
				"||gpt-4o|a,b|sync|ok|2026-01-01T00:00:00Z|in=10 cr=0 w5=0 w1=0 out=5 rs=0",
				"||gpt-4o||sync|ok|2026-01-01T00:00:00Z|in=10 cr=0 w5=0 w1=0 out=0 rs=0",
			},
			stats:   "2/0/0/0",
			reasons: map[string]int64{},
		},
		{
			name: "openai batch created that is not a number", file: "batch_a_output.jsonl", format: decode.FormatOpenAIBatch,
			data:    batchLine(`"created":"yesterday"`),
			stats:   "0/0/1/0",
			reasons: map[string]int64{ReasonBadTimestamp: 1},
			first:   `read batch_a_output.jsonl:1: response.body.created: bad timestamp "yesterday" (want RFC 3339 like 2026-05-01T10:00:00Z, or unix seconds)`,
		},
		{
			name: "openai batch created zero", file: "batch_a_output.jsonl", format: decode.FormatOpenAIBatch,
			data:    batchLine(`"created":0`),
			stats:   "0/0/1/0",
			reasons: map[string]int64{ReasonBadTimestamp: 1},
			first:   "read batch_a_output.jsonl:1: response.body.created: bad timestamp 0 (want RFC 3339 like 2026-05-01T10:00:00Z, or unix seconds): not after 1970-01-01T00:00:00Z",
		},
		{
			name: "openai batch responses body with a bad created_at", file: "batch_a_output.jsonl", format: decode.FormatOpenAIBatch,
			data:    batchLine(`"created_at":true`),
			stats:   "0/0/1/0",
			reasons: map[string]int64{ReasonBadTimestamp: 1},
			first:   "read batch_a_output.jsonl:1: response.body.created_at: bad timestamp true (want RFC 3339 like 2026-05-01T10:00:00Z, or unix seconds)",
		},
		{
			name: "openai batch created missing or null falls back to the file time", file: "batch_a_output.jsonl", format: decode.FormatOpenAIBatch,
			data: batchLine(`"system_fingerprint":"fp"`) + "\n" + strings.Replace(batchLine(`"created":null`), `"req_1"`, `"req_2"`, 1) + "\n" +
				strings.Replace(batchLine(`"created":1760000000`), `"req_1"`, `"req_3"`, 1),
			want: []string{
				"req_1|openai|gpt-4.1|doc|batch|ok|2026-06-01T12:00:00Z|in=20 cr=0 w5=0 w1=0 out=3 rs=0",
				"req_2|openai|gpt-4.1|doc|batch|ok|2026-06-01T12:00:00Z|in=20 cr=0 w5=0 w1=0 out=3 rs=0",
				"req_3|openai|gpt-4.1|doc|batch|ok|2025-10-09T08:53:20Z|in=20 cr=0 w5=0 w1=0 out=3 rs=0",
			},
			stats:   "3/0/0/0",
			reasons: map[string]int64{},
		},
		{
			name: "openai bare completion with a bad created", file: "bot.jsonl", format: decode.FormatOpenAI,
			data:    `{"id":"chatcmpl-1","object":"chat.completion","created":"yesterday","model":"gpt-4o","usage":{"prompt_tokens":7,"completion_tokens":3}}`,
			stats:   "0/0/1/0",
			reasons: map[string]int64{ReasonBadTimestamp: 1},
			first:   `read bot.jsonl:1: created: bad timestamp "yesterday" (want RFC 3339 like 2026-05-01T10:00:00Z, or unix seconds)`,
		},
		{
			name: "openai wrapped completion: the wrapper's ts wins over a bad created", file: "bot.jsonl", format: decode.FormatOpenAI,
			data:    `{"ts":"2026-05-01T10:00:00Z","workflow":"w","response":{"id":"chatcmpl-1","object":"chat.completion","created":"yesterday","model":"gpt-4o","usage":{"prompt_tokens":7,"completion_tokens":3}}}`,
			want:    []string{"chatcmpl-1|openai|gpt-4o|w|sync|ok|2026-05-01T10:00:00Z|in=7 cr=0 w5=0 w1=0 out=3 rs=0"},
			stats:   "1/0/0/0",
			reasons: map[string]int64{},
		},
		{
			name: "claude code response without a model", file: "projects/app/s.jsonl", format: decode.FormatClaudeCode,
			data:    ccLine(ccUsage, ""),
			stats:   "0/0/1/0",
			reasons: map[string]int64{"missing field model": 1},
			first:   "read projects/app/s.jsonl:1: missing field model",
		},
		{
			name: "claude code synthetic, usage-less and user lines stay skipped", file: "projects/app/s.jsonl", format: decode.FormatClaudeCode,
			data: ccLine(`,"model":"<synthetic>","usage":{"input_tokens":0,"output_tokens":0}`, `,"isApiErrorMessage":true`) + "\n" +
				ccLine(`,"model":"claude-sonnet-4-5"`, "") + "\n" +
				`{"parentUuid":null,"sessionId":"s","type":"user","message":{"role":"user","content":"hi"},"uuid":"u1","timestamp":"2026-05-01T10:00:00.000Z"}` + "\n" +
				strings.Replace(ccLine(`,"model":"claude-sonnet-4-5"`+ccUsage, ""), "msg_1", "msg_2", 1),
			want:    []string{"msg_2:req_1|anthropic|claude-sonnet-4-5|app|stream|ok|2026-05-01T10:00:02Z|in=4 cr=100 w5=0 w1=0 out=8 rs=0 src=ide"},
			stats:   "1/0/0/3",
			reasons: map[string]int64{},
		},
		{
			name: "claude code api error without a model is an unbilled error record", file: "projects/app/s.jsonl", format: decode.FormatClaudeCode,
			data:    ccLine(`,"usage":{"input_tokens":0,"output_tokens":0}`, `,"isApiErrorMessage":true`),
			want:    []string{"msg_1:req_1|anthropic||app|stream|error|2026-05-01T10:00:02Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0 src=ide"},
			stats:   "1/0/0/0",
			reasons: map[string]int64{},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, recs := mustScan(t, []Input{testInput(tc.file, tc.data)}, ScanOptions{FormatIn: tc.format})
			checkInvariant(t, st)
			var got []string
			for _, r := range recs {
				got = append(got, brief(r))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if s := fmt.Sprintf("%d/%d/%d/%d", st.Records, st.Duplicates, st.Rejected, st.Skipped); s != tc.stats {
				t.Errorf("records/duplicates/rejected/skipped = %s, want %s", s, tc.stats)
			}
			if !maps.Equal(st.RejectedByReason, tc.reasons) {
				t.Errorf("rejected by reason %v, want %v", st.RejectedByReason, tc.reasons)
			}
			if st.FirstReject != tc.first {
				t.Errorf("first rejection:\n got %q\nwant %q", st.FirstReject, tc.first)
			}
		})
	}
}
