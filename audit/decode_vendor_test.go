package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit/decode"
)

// brief is the part of a record the adapter tests compare, printed on one
// line so a failing case shows the whole difference.
func brief(r Record) string {
	s := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|in=%d cr=%d w5=%d w1=%d out=%d rs=%d",
		r.RequestID, r.Provider, r.Model, r.Workflow, r.Mode, r.Status, r.TS.Format(time.RFC3339Nano),
		r.InputTokens, r.CacheReadTokens, r.CacheWrite5mTokens, r.CacheWrite1hTokens, r.OutputTokens, r.ReasoningTokens)
	if r.LatencyMS >= 0 {
		s += fmt.Sprintf(" lat=%d", r.LatencyMS)
	}
	if r.TTFTMS >= 0 {
		s += fmt.Sprintf(" ttft=%d", r.TTFTMS)
	}
	if r.MaxTokens > 0 {
		s += fmt.Sprintf(" max=%d", r.MaxTokens)
	}
	if r.LoggedCostUSD != "" {
		s += " cost=" + r.LoggedCostUSD
	}
	if r.Team != "" {
		s += " team=" + r.Team
	}
	if r.Source != "" {
		s += " src=" + r.Source
	}
	if len(r.Tags) > 0 {
		s += fmt.Sprintf(" tags=%v", r.Tags)
	}
	return s
}

var modTime = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func testInput(name string, data string) Input {
	in := BytesInput(name, []byte(data))
	in.ModTime = modTime
	return in
}

// TestVendorExamples decodes the literal vendor example lines of
// the vendors' docs and SDKs (testdata/formats) and lines built from the same
// schemas.
func TestVendorExamples(t *testing.T) {
	file := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "formats", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	cases := []struct {
		name, file, data string
		format           string
		want             []string // records, sorted by request id then ts
		stats            string   // records/duplicates/rejected/skipped
	}{
		{
			name: "openai batch output and error lines", file: "batch_abc123_output.jsonl", data: file("openai-batch-output.jsonl"),
			format: decode.FormatOpenAIBatch,
			want: []string{
				"batch_req_123|openai||request|batch|expired|2026-06-01T12:00:00Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0",
				"req_123|openai|gpt-3.5-turbo-0125|request|batch|ok|2024-03-28T19:06:35Z|in=22 cr=0 w5=0 w1=0 out=2 rs=0",
				"req_9f1|openai|gpt-4.1-2025-04-14|doc|batch|ok|2025-10-09T08:53:20Z|in=1024 cr=1024 w5=0 w1=0 out=150 rs=0",
			},
			stats: "3/0/0/0",
		},
		{
			name: "anthropic batch results", file: "msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d_results.jsonl", data: file("anthropic-batch-results.jsonl"),
			format: decode.FormatAnthropicBatch,
			want: []string{
				"msg_01Fq...|anthropic|claude-sonnet-4-5-20250929|my-first|batch|ok|2026-06-01T12:00:00Z|in=12 cr=0 w5=0 w1=2100 out=340 rs=0",
				"msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d#req-8|anthropic||req|batch|cancelled|2026-06-01T12:00:00Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0",
				"msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d#req-9|anthropic||req|batch|expired|2026-06-01T12:00:00Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0",
				"req_011...|anthropic||req|batch|error|2026-06-01T12:00:00Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0",
			},
			stats: "4/0/0/0",
		},
		{
			name: "otel genai span", file: "spans.jsonl", data: file("otel-spans.jsonl"),
			format: decode.FormatOTel,
			want: []string{
				"chatcmpl-9J3uIL87gldCFtiIbyaOvTeYBRA3l|openai|gpt-4-0613|support-bot/chat|sync|ok|2025-10-09T08:53:20Z|in=52 cr=0 w5=0 w1=0 out=47 rs=0 lat=1500 max=200",
			},
			stats: "1/0/0/0",
		},
		{
			name: "litellm spendlogs row", file: "spend.jsonl", data: file("litellm-spendlogs.jsonl"),
			format: decode.FormatLiteLLM,
			want: []string{
				"chatcmpl-2f9c|openai|gpt-4o-2024-08-06|ticket-triage|stream|ok|2026-05-01T10:00:00Z|in=476 cr=1024 w5=0 w1=0 out=150 rs=0 lat=2400 ttft=650 cost=0.004125 team=team-cs tags=map[workflow:ticket-triage]",
			},
			stats: "1/0/0/0",
		},
		{
			name: "litellm as a JSON array, workflow from key alias, exponent spend, proxy cache hit skipped", file: "spend.json",
			data: `[{"request_id":"a","spend":1.2e-05,"prompt_tokens":10,"completion_tokens":2,"startTime":"2026-05-01 10:00:00.000000","endTime":"2026-05-01 10:00:01.000000","completionStartTime":"2026-05-01 10:00:01.000000","model":"claude-haiku-4-5","custom_llm_provider":"anthropic","metadata":{"user_api_key_alias":"nightly-job","additional_usage_values":{"cache_read_input_tokens":4,"cache_creation_input_tokens":3}},"request_tags":[],"status":"success"},
			 {"request_id":"b","spend":0,"prompt_tokens":10,"completion_tokens":0,"startTime":"2026-05-01T10:00:00Z","model":"gpt-4o","custom_llm_provider":"openai","team_id":"t1","status":"failure"},
			 {"request_id":"c","spend":0,"prompt_tokens":10,"completion_tokens":5,"startTime":"2026-05-01T10:00:00Z","model":"gpt-4o","custom_llm_provider":"openai","cache_hit":"True","status":"success"}]`,
			format: decode.FormatLiteLLM,
			want: []string{
				"a|anthropic|claude-haiku-4-5|nightly-job|sync|ok|2026-05-01T10:00:00Z|in=3 cr=4 w5=3 w1=0 out=2 rs=0 lat=1000 cost=0.000012",
				"b|openai|gpt-4o|t1|sync|error|2026-05-01T10:00:00Z|in=10 cr=0 w5=0 w1=0 out=0 rs=0 cost=0 team=t1",
			},
			stats: "2/0/0/1",
		},
		{
			name: "openai chat completion, bare and wrapped, streamed chunks, responses API", file: "support-bot.jsonl",
			data: `{"id":"chatcmpl-1","object":"chat.completion","created":1760000000,"model":"gpt-4.1","service_tier":"flex","usage":{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":60,"cache_write_tokens":10},"completion_tokens_details":{"reasoning_tokens":5}}}
{"ts":"2026-05-01T10:00:00Z","workflow":"chat-ui","source":"web_ui","user_waiting":true,"tags":{"env":"prod"},"request":{"stream":true,"max_completion_tokens":512},"response":{"id":"chatcmpl-2","object":"chat.completion","created":1760000000,"model":"gpt-4o","usage":{"prompt_tokens":7,"completion_tokens":3}}}
{"id":"chatcmpl-3","object":"chat.completion.chunk","created":1760000001,"model":"gpt-4o","choices":[{"delta":{"content":"hi"}}]}
{"id":"chatcmpl-3","object":"chat.completion.chunk","created":1760000001,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4}}
{"id":"resp_1","object":"response","created_at":1760000002,"model":"gpt-5","status":"completed","metadata":{"workflow":"agent"},"usage":{"input_tokens":300,"input_tokens_details":{"cached_tokens":200},"output_tokens":50,"output_tokens_details":{"reasoning_tokens":30}}}
{"id":"chatcmpl-4","object":"chat.completion","created":1760000000,"model":"gpt-4.1","usage":{"prompt_tokens":5,"completion_tokens":-1}}`,
			format: decode.FormatOpenAI,
			want: []string{
				"chatcmpl-1|openai|gpt-4.1|support-bot|flex|ok|2025-10-09T08:53:20Z|in=30 cr=60 w5=10 w1=0 out=20 rs=5",
				"chatcmpl-2|openai|gpt-4o|chat-ui|stream|ok|2026-05-01T10:00:00Z|in=7 cr=0 w5=0 w1=0 out=3 rs=0 max=512 src=web_ui tags=map[env:prod]",
				"chatcmpl-3|openai|gpt-4o|support-bot|stream|ok|2025-10-09T08:53:21Z|in=9 cr=0 w5=0 w1=0 out=4 rs=0",
				"resp_1|openai|gpt-5|agent|sync|ok|2025-10-09T08:53:22Z|in=100 cr=200 w5=0 w1=0 out=50 rs=30",
			},
			stats: "4/0/1/1",
		},
		{
			name: "anthropic messages, bare and wrapped, bare cache_creation_input_tokens are 5m writes", file: "anthropic-log.jsonl",
			data: `{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":40}}
{"timestamp":"2026-05-01T10:00:00Z","workflow":"digest","mode":"batch","response":{"id":"msg_2","type":"message","model":"claude-opus-4-1","usage":{"input_tokens":1,"cache_creation_input_tokens":300,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":150},"output_tokens":2,"service_tier":"priority"}}}
{"type":"message_delta","usage":{"output_tokens":15}}`,
			format: decode.FormatAnthropic,
			want: []string{
				"msg_1|anthropic|claude-sonnet-4-5|anthropic-log|sync|ok|2026-06-01T12:00:00Z|in=10 cr=3000 w5=200 w1=0 out=40 rs=0",
				"msg_2|anthropic|claude-opus-4-1|digest|batch|ok|2026-05-01T10:00:00Z|in=1 cr=0 w5=150 w1=150 out=2 rs=0",
			},
			stats: "2/0/1/0",
		},
		{
			name: "otel deprecated names, numbers as intValue, cache subtraction, non-LLM spans skipped", file: "traces.jsonl",
			data: `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"rag"}}]},"scopeSpans":[{"spans":[` +
				`{"traceId":"t1","spanId":"s1","startTimeUnixNano":1760000000000000000,"endTimeUnixNano":"1760000000250000000","attributes":[{"key":"gen_ai.system","value":{"stringValue":"anthropic"}},{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"claude-haiku-4-5"}},{"key":"gen_ai.usage.prompt_tokens","value":{"intValue":1000}},{"key":"gen_ai.usage.completion_tokens","value":{"intValue":"20"}},{"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"600"}},{"key":"gen_ai.usage.cache_creation.input_tokens","value":{"intValue":"100"}},{"key":"gen_ai.request.stream","value":{"boolValue":true}}]},` +
				`{"traceId":"t1","spanId":"s2","startTimeUnixNano":"1760000000000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}}]},` +
				`{"traceId":"t1","spanId":"s3","startTimeUnixNano":"1760000000000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}}]},` +
				`{"traceId":"t1","spanId":"s4","startTimeUnixNano":"1760000000000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"m"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"-3"}}]}` +
				`]}]}]}
{"resourceSpans":[]}`,
			format: decode.FormatOTel,
			want: []string{
				"otel:t1:s1|anthropic|claude-haiku-4-5|rag/chat|stream|ok|2025-10-09T08:53:20Z|in=300 cr=600 w5=100 w1=0 out=20 rs=0 lat=250",
			},
			stats: "1/0/1/3",
		},
		{
			name: "claude code session: duplicate lines of one message, user turns skipped", file: "/home/u/.claude/projects/-home-u-webapp/0a1b.jsonl",
			data: `{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/home/u/webapp","sessionId":"0a1b","version":"1.0.80","type":"user","message":{"role":"user","content":"fix the bug"},"uuid":"u1","timestamp":"2026-05-01T10:00:00.000Z"}
{"parentUuid":"u1","isSidechain":false,"cwd":"/home/u/webapp","sessionId":"0a1b","type":"assistant","message":{"id":"msg_A","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"thinking","thinking":"..."}],"usage":{"input_tokens":4,"cache_creation_input_tokens":500,"cache_read_input_tokens":12000,"cache_creation":{"ephemeral_5m_input_tokens":500,"ephemeral_1h_input_tokens":0},"output_tokens":8,"service_tier":"standard"}},"requestId":"req_A","uuid":"a1","timestamp":"2026-05-01T10:00:02.000Z"}
{"parentUuid":"a1","isSidechain":false,"cwd":"/home/u/webapp","sessionId":"0a1b","type":"assistant","message":{"id":"msg_A","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"done"}],"usage":{"input_tokens":4,"cache_creation_input_tokens":500,"cache_read_input_tokens":12000,"cache_creation":{"ephemeral_5m_input_tokens":500,"ephemeral_1h_input_tokens":0},"output_tokens":310,"service_tier":"standard"}},"requestId":"req_A","uuid":"a2","timestamp":"2026-05-01T10:00:02.000Z"}
{"parentUuid":"a2","isSidechain":false,"cwd":"/home/u/webapp","sessionId":"0a1b","type":"assistant","message":{"id":"msg_A","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"tool_use","name":"Bash"}],"usage":{"input_tokens":4,"cache_creation_input_tokens":500,"cache_read_input_tokens":12000,"cache_creation":{"ephemeral_5m_input_tokens":500,"ephemeral_1h_input_tokens":0},"output_tokens":310,"service_tier":"standard"}},"requestId":"req_A","uuid":"a3","timestamp":"2026-05-01T10:00:02.000Z"}
{"type":"summary","summary":"Bug fix","leafUuid":"a3"}
{"parentUuid":"a3","sessionId":"0a1b","type":"assistant","message":{"id":"x","model":"<synthetic>","usage":{"input_tokens":0,"output_tokens":0}},"isApiErrorMessage":true,"uuid":"a4","timestamp":"2026-05-01T10:00:03.000Z"}`,
			format: decode.FormatClaudeCode,
			want: []string{
				"msg_A:req_A|anthropic|claude-sonnet-4-5-20250929|-home-u-webapp|stream|ok|2026-05-01T10:00:02Z|in=4 cr=12000 w5=500 w1=0 out=310 rs=0 src=ide",
			},
			stats: "1/2/0/3",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, forced := range []string{"", tc.format} {
				st, recs := mustScan(t, []Input{testInput(tc.file, tc.data)}, ScanOptions{FormatIn: forced})
				checkInvariant(t, st)
				if st.Formats[tc.format] != 1 {
					t.Errorf("forced %q: formats %v, want %s", forced, st.Formats, tc.format)
				}
				var got []string
				for _, r := range recs {
					got = append(got, brief(r))
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("forced %q: records:\n%s\nwant:\n%s", forced, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
				if s := fmt.Sprintf("%d/%d/%d/%d", st.Records, st.Duplicates, st.Rejected, st.Skipped); s != tc.stats {
					t.Errorf("forced %q: records/duplicates/rejected/skipped = %s, want %s (%v, first %q)", forced, s, tc.stats, st.RejectedByReason, st.FirstReject)
				}
			}
		})
	}
}

// TestMixedResponses checks that OpenAI and Anthropic responses logged in
// one file are each decoded by their own rules, whichever comes first.
func TestMixedResponses(t *testing.T) {
	oai := `{"ts":"2026-05-01T10:00:00Z","workflow":"w","response":{"id":"c1","object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":100,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":40}}}}`
	ant := `{"ts":"2026-05-01T10:00:00Z","workflow":"w","response":{"id":"m1","type":"message","model":"claude-haiku-4-5","usage":{"input_tokens":10,"cache_creation_input_tokens":7,"cache_read_input_tokens":40,"output_tokens":5}}}`
	want := []string{
		"c1|openai|gpt-4o|w|sync|ok|2026-05-01T10:00:00Z|in=60 cr=40 w5=0 w1=0 out=5 rs=0",
		"m1|anthropic|claude-haiku-4-5|w|sync|ok|2026-05-01T10:00:00Z|in=10 cr=40 w5=7 w1=0 out=5 rs=0",
	}
	for _, data := range []string{oai + "\n" + ant, ant + "\n" + oai} {
		st, recs := mustScan(t, []Input{testInput("mixed.jsonl", data)}, ScanOptions{})
		var got []string
		for _, r := range recs {
			got = append(got, brief(r))
		}
		if st.Records != 2 || !reflect.DeepEqual(got, want) {
			t.Errorf("formats %v:\n%s", st.Formats, strings.Join(got, "\n"))
		}
	}
}
