package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/audit/decode"
)

// TestRealVendorSamples decodes the samples under testdata/vendor, each
// written by others (SDK recordings and fixtures, vendor API references;
// the .SOURCE file beside each names where it comes from and what was
// edited), and checks the record count and every token bucket.
func TestRealVendorSamples(t *testing.T) {
	cases := []struct {
		file   string // under testdata/vendor
		format string
		want   []string // brief of each record, sorted by request id then ts
		stats  string   // records/duplicates/rejected/skipped
	}{
		// Gemini API: promptTokenCount 7, candidates 157, thoughts 41,
		// total 205 = 7 + 157 + 41: thinking is output on top of the
		// candidates.
		{"gemini-generate-content.jsonl", decode.FormatGemini, []string{
			"cS4WaZXcHp7nz7IPjcjT2Ao|google|gemini-2.5-flash|gemini-generate-content|sync|ok|2026-06-01T12:00:00Z|in=7 cr=0 w5=0 w1=0 out=198 rs=41",
		}, "1/0/0/0"},
		// Vertex AI streamGenerateContent: the first chunk (no
		// finishReason, usage without counts) is skipped; createTime and
		// trafficType make it Vertex.
		{"vertex-stream-generate-content.json", decode.FormatGemini, []string{
			"iAQRaKCUI_D7ld8Pq-aaaaa|vertex|gemini-2.0-flash-001|vertex-stream-generate-content|sync|ok|2025-04-29T16:55:36.576032Z|in=2 cr=0 w5=0 w1=0 out=11 rs=0 tags=map[traffic_type:ON_DEMAND]",
		}, "1/0/0/1"},
		// Bedrock invocation log: ConverseStream, workflow from the IAM
		// user, region kept.
		{"bedrock-invocation-log.jsonl", decode.FormatBedrock, []string{
			"ff4b6c63-5561-4431-93b8-06a817275900|bedrock|amazon.nova-lite-v1:0|dheeraj|stream|ok|2025-03-11T00:38:02Z|in=4 cr=0 w5=0 w1=0 out=38 rs=0 tags=map[region:us-east-1]",
		}, "1/0/0/0"},
		// Bedrock Converse: inputTokens exclude the 1789 cache-write
		// tokens (3 + 401 + 1789 = totalTokens 2193).
		{"bedrock-converse.jsonl", decode.FormatBedrock, []string{
			"|bedrock|us.anthropic.claude-3-7-sonnet-20250219-v1:0|contract-review|sync|ok|2026-05-04T09:30:00Z|in=3 cr=0 w5=1789 w1=0 out=401 rs=0 lat=4120",
		}, "1/0/0/0"},
		// Anthropic raw stream: one record; message_start's output count
		// (1) is replaced by message_delta's cumulative 15; the start line
		// it completes is skipped with the other events.
		{"anthropic-stream-events.jsonl", decode.FormatAnthropic, []string{
			"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY|anthropic|claude-3-5-sonnet-20241022|anthropic-stream-events|stream|ok|2026-06-01T12:00:00Z|in=25 cr=0 w5=0 w1=0 out=15 rs=0",
		}, "1/0/0/7"},
		// Compaction: the billed total is the sum of the iterations,
		// 180000 + 23000 input and 3500 + 1000 output, not the top-level
		// 23000 / 1000.
		{"anthropic-compaction-iterations.jsonl", decode.FormatAnthropic, []string{
			"msg_compact_01|anthropic|claude-sonnet-4-5|long-agent|sync|ok|2026-05-06T14:00:00Z|in=203000 cr=0 w5=0 w1=0 out=4500 rs=0",
		}, "1/0/0/0"},
		// Responses streaming: created and delta events are skipped; the
		// completed and failed events are the requests, in mode stream.
		{"openai-responses-stream-events.jsonl", decode.FormatOpenAI, []string{
			"resp_123|openai|gpt-4o-mini-2024-07-18|openai-responses-stream-events|stream|ok|2025-03-01T19:04:29Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0",
			"resp_124|openai|gpt-4o-mini-2024-07-18|openai-responses-stream-events|stream|error|2025-03-01T19:04:29Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0",
		}, "2/0/0/2"},
		// A Chat Completions stream without include_usage: the chunk with
		// the finish_reason stands for the request, tokens unknown.
		{"openai-chat-stream-no-usage.jsonl", decode.FormatOpenAI, []string{
			"chatcmpl-123|openai|gpt-4o-mini|openai-chat-stream-no-usage|stream|ok|2023-09-09T14:03:10Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0 unknown-tokens",
		}, "1/0/0/2"},
		// OpenRouter: the provider from the model prefix, the gateway as a
		// tag, usage.cost kept; prompt 10 includes 2 cached.
		{"openrouter-chat-completion.jsonl", decode.FormatOpenAI, []string{
			"gen-1752847305-Ux5wH0qQjnB1eP8uCh2f|anthropic|anthropic/claude-sonnet-4.5|openrouter-chat-completion|sync|ok|2025-07-18T14:01:45Z|in=8 cr=2 w5=0 w1=0 out=15 rs=5 cost=0.0012 tags=map[gateway:openrouter]",
		}, "1/0/0/0"},
		// OpenInference: the two LLM spans; the CHAIN span holding their
		// sum is skipped.
		{"openinference-spans.jsonl", decode.FormatOTel, []string{
			"otel:409df945e0584829b240cfbdd2ff4488:01fa961201b84358|openai|gpt-3.5-turbo-0613|shakespeare-bot|sync|ok|2024-01-11T23:45:17.982858Z|in=229 cr=0 w5=0 w1=0 out=21 rs=0 lat=535",
			"otel:409df945e0584829b240cfbdd2ff4488:f26d1f269671435d|openai|gpt-3.5-turbo-0613|shakespeare-bot|sync|ok|2024-01-11T23:45:18.519427Z|in=259 cr=0 w5=0 w1=0 out=14 rs=0 lat=640",
		}, "2/0/0/1"},
		// Vercel AI SDK: only the doGenerate span; "openai.chat" is openai;
		// 11 input include 3 cached.
		{"vercel-ai-sdk-spans.jsonl", decode.FormatOTel, []string{
			"response-current|openai|gpt-4o-mini-2024-07-18|support-agent|sync|ok|2026-05-02T09:00:00.01Z|in=8 cr=3 w5=0 w1=0 out=4 rs=0 lat=1230",
		}, "1/0/0/1"},
		// LiteLLM SpendLogsPayload: metadata and request_tags as JSON text.
		{"litellm-spendlogs-payload.jsonl", decode.FormatLiteLLM, []string{
			"chatcmpl-2f9c|openai|gpt-4o-2024-08-06|ticket-triage|stream|ok|2026-05-01T10:00:00Z|in=476 cr=1024 w5=0 w1=0 out=150 rs=0 lat=2400 ttft=650 cost=0.004125 team=team-cs tags=map[workflow:ticket-triage]",
			"chatcmpl-2f9d|openai|gpt-4o-2024-08-06|team-cs|stream|ok|2026-05-01T10:00:00Z|in=100 cr=0 w5=0 w1=0 out=20 rs=0 lat=2400 ttft=650 cost=0.0005 team=team-cs",
		}, "2/0/0/0"},
		// Codex CLI: input_tokens include the cached input, output_tokens
		// the reasoning; the model of the first event comes from the
		// turn_context line, the second names its own.
		{"codex-sessions/session-alpha.jsonl", decode.FormatCodex, []string{
			"codex:session-alpha:1200|openai|gpt-5.2-codex|codex|stream|ok|2026-05-13T09:01:00Z|in=750 cr=250 w5=0 w1=0 out=125 rs=75 src=ide",
			"codex:session-alpha:4200|openai|gpt-5.3-codex|codex|stream|ok|2026-05-14T10:00:00Z|in=2000 cr=500 w5=0 w1=0 out=300 rs=200 src=ide",
		}, "2/0/0/1"},
		// Langfuse API page: the span is skipped; usage details are
		// disjoint (input 86 is what is left of 2006 after the 1920 cached).
		{"langfuse-observations.json", decode.FormatLangfuse, []string{
			"langfuse:b2d4f6a8-1c3e-4f5a-9b7d-2e4f6a8c0d12|openai|gpt-4o-2024-08-06|answer-question|stream|ok|2026-05-05T09:00:00.05Z|in=86 cr=1920 w5=0 w1=0 out=300 rs=0 lat=2000 ttft=400 cost=0.005615 tags=map[env:production]",
			"langfuse:e5f7a9c1-3b5d-4e7f-8a0c-4d6e8f0a2b34|anthropic|claude-sonnet-4-5|summarize|sync|ok|2026-05-05T09:05:00Z|in=12 cr=3000 w5=200 w1=0 out=410 rs=0 lat=4000 cost=0.00801 tags=map[env:production]",
		}, "2/0/0/1"},
		// Claude Code lines with message.usage and no "type":"assistant".
		{"claude-projects/project-alpha/session-alpha/chat.jsonl", decode.FormatClaudeCode, []string{
			"msg-alpha-1:req-alpha-1|anthropic|claude-sonnet-4-20250514|project-alpha|stream|ok|2026-01-09T10:00:00Z|in=100 cr=10 w5=25 w1=0 out=50 rs=0 cost=0.12 src=ide",
			"msg-alpha-2:req-alpha-2|anthropic|claude-opus-4-20250514|project-alpha|stream|ok|2026-01-09T12:30:00Z|in=200 cr=20 w5=50 w1=0 out=75 rs=0 cost=0.34 src=ide",
			"msg-alpha-3:req-alpha-3|anthropic|claude-sonnet-4-20250514|project-alpha|stream|ok|2026-01-10T09:15:00Z|in=300 cr=40 w5=0 w1=0 out=125 rs=0 cost=0.56 src=ide",
		}, "3/0/0/0"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "vendor", filepath.FromSlash(tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join("testdata", "vendor", filepath.FromSlash(tc.file)) + ".SOURCE"); err != nil {
				t.Errorf("no SOURCE note beside the sample: %v", err)
			}
			name := "/logs/" + tc.file
			if strings.HasPrefix(tc.file, "claude-projects/") {
				name = "/home/u/.claude/projects/" + strings.TrimPrefix(tc.file, "claude-projects/")
			}
			for _, forced := range []string{"", tc.format} {
				st, recs := mustScan(t, []Input{testInput(name, string(b))}, ScanOptions{FormatIn: forced})
				checkInvariant(t, st)
				if st.Formats[tc.format] != 1 {
					t.Errorf("forced %q: formats %v, want %s", forced, st.Formats, tc.format)
				}
				var got []string
				for _, r := range recs {
					s := brief(r)
					if r.TokensUnknown {
						s += " unknown-tokens"
					}
					got = append(got, s)
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("forced %q: records:\n%s\nwant:\n%s", forced, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
				if s := fmt.Sprintf("%d/%d/%d/%d", st.Records, st.Duplicates, st.Rejected, st.Skipped); s != tc.stats {
					t.Errorf("forced %q: records/duplicates/rejected/skipped = %s, want %s (%v, first %v)", forced, s, tc.stats, st.RejectedByReason, st.FirstReject)
				}
			}
		})
	}
}
