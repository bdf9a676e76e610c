package audit

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/audit/decode"
)

// TestFormatTraps feeds each new or fixed format the cases that cost tools
// get wrong. The expected buckets were worked out from the provider rules
// before the decoders ran.
func TestFormatTraps(t *testing.T) {
	cases := []struct {
		name, file, data string
		format           string
		want             []string
		stats            string // records/duplicates/rejected/skipped
	}{
		{
			name: "anthropic advisor iteration on another model gets its own record", file: "advisor.jsonl", format: decode.FormatAnthropic,
			data: `{"ts":"2026-05-01T10:00:00Z","response":{"id":"msg_adv","type":"message","model":"claude-sonnet-4-5","usage":{"input_tokens":10,"output_tokens":5,"iterations":[{"type":"message","input_tokens":10,"cache_read_input_tokens":7,"output_tokens":5},{"type":"advisor_message","model":"claude-opus-4-1","input_tokens":500,"cache_read_input_tokens":100,"cache_creation_input_tokens":30,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":30},"output_tokens":40}]}}}`,
			want: []string{
				"msg_adv|anthropic|claude-sonnet-4-5||sync|ok|2026-05-01T10:00:00Z|in=10 cr=7 w5=0 w1=0 out=5 rs=0",
				"msg_adv#claude-opus-4-1|anthropic|claude-opus-4-1||sync|ok|2026-05-01T10:00:00Z|in=500 cr=100 w5=0 w1=30 out=40 rs=0",
			},
			stats: "2/0/0/0",
		},
		{
			name: "anthropic stream: cumulative delta with cache counts, a cut stream, an orphan delta", file: "events.jsonl", format: decode.FormatAnthropic,
			data: `{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}
{"type":"message_start","message":{"id":"msg_s1","type":"message","model":"claude-sonnet-4-5","usage":{"input_tokens":3,"cache_creation_input_tokens":16833,"cache_read_input_tokens":0,"output_tokens":1}}}
{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}
{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":3,"cache_creation_input_tokens":16833,"cache_read_input_tokens":0,"output_tokens":45}}
{"type":"message_stop"}
{"type":"message_start","message":{"id":"msg_s2","type":"message","model":"claude-haiku-4-5","usage":{"input_tokens":120,"output_tokens":1}}}
{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
			want: []string{
				"msg_s1|anthropic|claude-sonnet-4-5|events|stream|ok|2026-06-01T12:00:00Z|in=3 cr=0 w5=16833 w1=0 out=45 rs=0",
				"msg_s2|anthropic|claude-haiku-4-5|events|stream|ok|2026-06-01T12:00:00Z|in=120 cr=0 w5=0 w1=0 out=1 rs=0",
			},
			stats: "2/0/1/4",
		},
		{
			name: "anthropic stream logged in the metadata wrapper keeps the wrapper's ts and workflow", file: "wrapped-events.jsonl", format: decode.FormatAnthropic,
			data: `{"ts":"2026-05-01T10:00:00Z","workflow":"chat-ui","source":"web_ui","tags":{"env":"prod"},"response":{"type":"message_start","message":{"id":"msg_w","type":"message","model":"claude-haiku-4-5","usage":{"input_tokens":50,"output_tokens":1}}}}
{"ts":"2026-05-01T10:00:00Z","workflow":"other","tags":{"env":"dev"},"response":{"id":"msg_x","type":"message","model":"claude-haiku-4-5","usage":{"input_tokens":5,"output_tokens":5}}}
{"ts":"2026-05-01T10:00:00Z","workflow":"chat-ui","response":{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":30}}}`,
			want: []string{
				"msg_w|anthropic|claude-haiku-4-5|chat-ui|stream|ok|2026-05-01T10:00:00Z|in=50 cr=0 w5=0 w1=0 out=30 rs=0 src=web_ui tags=map[env:prod]",
				"msg_x|anthropic|claude-haiku-4-5|other|sync|ok|2026-05-01T10:00:00Z|in=5 cr=0 w5=0 w1=0 out=5 rs=0 tags=map[env:dev]",
			},
			stats: "2/0/0/1",
		},
		{
			name: "a gateway tag is added to a copy of the wrapper's tags, never to the map other records share", file: "shared-tags.jsonl", format: decode.FormatOpenAI,
			data: `{"ts":"2026-05-01T10:00:00Z","workflow":"w","tags":{"env":"prod"},"response":{"id":"a","object":"chat.completion","model":"deepseek-chat","usage":{"prompt_tokens":3,"completion_tokens":1}}}
{"ts":"2026-05-01T10:00:00Z","workflow":"w","tags":{"env":"prod"},"response":{"id":"b","object":"chat.completion","model":"gpt-4o","usage":{"prompt_tokens":3,"completion_tokens":1}}}
{"ts":"2026-05-01T10:00:00Z","workflow":"w","tags":{"env":"prod","gateway":"litellm"},"response":{"id":"c","object":"chat.completion","model":"deepseek-chat","usage":{"prompt_tokens":3,"completion_tokens":1}}}`,
			want: []string{
				"a|deepseek|deepseek-chat|w|sync|ok|2026-05-01T10:00:00Z|in=3 cr=0 w5=0 w1=0 out=1 rs=0 tags=map[env:prod gateway:openai-compatible]",
				"b|openai|gpt-4o|w|sync|ok|2026-05-01T10:00:00Z|in=3 cr=0 w5=0 w1=0 out=1 rs=0 tags=map[env:prod]",
				"c|deepseek|deepseek-chat|w|sync|ok|2026-05-01T10:00:00Z|in=3 cr=0 w5=0 w1=0 out=1 rs=0 tags=map[env:prod gateway:litellm]",
			},
			stats: "3/0/0/0",
		},
		{
			name: "openinference span with cache, reasoning and cost; tool and chain spans skipped", file: "phoenix.jsonl", format: decode.FormatOTel,
			data: `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"rag"}}]},"scopeSpans":[{"spans":[` +
				`{"traceId":"t","spanId":"a","startTimeUnixNano":"1760000000000000000","endTimeUnixNano":"1760000001000000000","attributes":[{"key":"openinference.span.kind","value":{"stringValue":"LLM"}},{"key":"llm.provider","value":{"stringValue":"anthropic"}},{"key":"llm.model_name","value":{"stringValue":"claude-sonnet-4-5"}},{"key":"llm.token_count.prompt","value":{"intValue":"1000"}},{"key":"llm.token_count.prompt_details.cache_read","value":{"intValue":"600"}},{"key":"llm.token_count.prompt_details.cache_write","value":{"intValue":"100"}},{"key":"llm.token_count.completion","value":{"intValue":"50"}},{"key":"llm.token_count.completion_details.reasoning","value":{"intValue":"20"}},{"key":"llm.cost.total","value":{"doubleValue":0.0123}}]},` +
				`{"traceId":"t","spanId":"b","startTimeUnixNano":"1760000000000000000","attributes":[{"key":"openinference.span.kind","value":{"stringValue":"TOOL"}},{"key":"llm.token_count.prompt","value":{"intValue":"1000"}}]},` +
				`{"traceId":"t","spanId":"c","startTimeUnixNano":"1760000000000000000","attributes":[{"key":"openinference.span.kind","value":{"stringValue":"CHAIN"}},{"key":"llm.token_count.prompt","value":{"intValue":"1000"}}]},` +
				`{"traceId":"t","spanId":"d","startTimeUnixNano":"1760000000000000000","attributes":[{"key":"openinference.span.kind","value":{"stringValue":"LLM"}},{"key":"llm.token_count.prompt","value":{"intValue":"5"}}]}` +
				`]}]}]}`,
			want: []string{
				"otel:t:a|anthropic|claude-sonnet-4-5|rag|sync|ok|2025-10-09T08:53:20Z|in=300 cr=600 w5=100 w1=0 out=50 rs=20 lat=1000 cost=0.0123",
			},
			stats: "1/0/1/2",
		},
		{
			name: "otel semconv 1.40 cache names and the Sentry spellings", file: "semconv.jsonl", format: decode.FormatOTel,
			data: `{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[` +
				`{"traceId":"t","spanId":"a","startTimeUnixNano":"1760000000000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.provider.name","value":{"stringValue":"openai.responses"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-5"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"900"}},{"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"800"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"70"}},{"key":"gen_ai.usage.reasoning.output_tokens","value":{"intValue":"60"}}]},` +
				`{"traceId":"t","spanId":"b","startTimeUnixNano":"1760000000000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.system","value":{"stringValue":"openai"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"100"}},{"key":"gen_ai.usage.input_tokens.cached","value":{"intValue":"50"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"30"}},{"key":"gen_ai.usage.output_tokens.reasoning","value":{"intValue":"10"}}]}` +
				`]}]}]}`,
			want: []string{
				"otel:t:a|openai|gpt-5|/chat|sync|ok|2025-10-09T08:53:20Z|in=100 cr=800 w5=0 w1=0 out=70 rs=60",
				"otel:t:b|openai|gpt-4o|/chat|sync|ok|2025-10-09T08:53:20Z|in=50 cr=50 w5=0 w1=0 out=30 rs=10",
			},
			stats: "2/0/0/0",
		},
		{
			name: "openai-compatible: DeepSeek cache fields counted once, unknown vendor left to the books, include_usage stream kept whole", file: "compat.jsonl", format: decode.FormatOpenAI,
			data: `{"id":"ds-1","object":"chat.completion","created":1760000000,"model":"deepseek-chat","usage":{"prompt_tokens":30000,"completion_tokens":1500,"prompt_cache_hit_tokens":27000,"prompt_cache_miss_tokens":3000}}
{"id":"ds-2","object":"chat.completion","created":1760000000,"model":"deepseek-reasoner","usage":{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":64},"prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":36,"completion_tokens_details":{"reasoning_tokens":12}}}
{"id":"tg-1","object":"chat.completion","created":1760000000,"model":"meta-llama/Llama-3.3-70B-Instruct-Turbo","usage":{"prompt_tokens":10,"completion_tokens":2}}
{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1760000000,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1760000000,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4}}
{"id":"resp_inc","object":"response","type":"response.incomplete","created_at":1760000000,"model":"gpt-5","status":"incomplete","usage":null}
{"type":"error","code":"ERR_SOMETHING","message":"Something went wrong","param":null,"sequence_number":1}`,
			want: []string{
				"chatcmpl-9|openai|gpt-4o|compat|stream|ok|2025-10-09T08:53:20Z|in=9 cr=0 w5=0 w1=0 out=4 rs=0",
				"ds-1|deepseek|deepseek-chat|compat|sync|ok|2025-10-09T08:53:20Z|in=3000 cr=27000 w5=0 w1=0 out=1500 rs=0 tags=map[gateway:openai-compatible]",
				"ds-2|deepseek|deepseek-reasoner|compat|sync|ok|2025-10-09T08:53:20Z|in=36 cr=64 w5=0 w1=0 out=20 rs=12 tags=map[gateway:openai-compatible]",
				"resp_inc|openai|gpt-5|compat|stream|ok|2025-10-09T08:53:20Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0 unknown-tokens",
				"tg-1||meta-llama/Llama-3.3-70B-Instruct-Turbo|compat|sync|ok|2025-10-09T08:53:20Z|in=10 cr=0 w5=0 w1=0 out=2 rs=0",
			},
			stats: "5/0/0/2",
		},
		{
			name: "gemini: cached content, tool-use prompt and thoughts; flex tier; batch lines of both APIs; cached above prompt rejected", file: "gem.jsonl", format: decode.FormatGemini,
			data: `{"responseId":"g1","modelVersion":"gemini-2.5-pro","createTime":"2026-05-01T10:00:00Z","candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1200,"cachedContentTokenCount":1000,"toolUsePromptTokenCount":50,"candidatesTokenCount":30,"thoughtsTokenCount":70,"totalTokenCount":1350,"trafficType":"ON_DEMAND_FLEX"}}
{"status":"","processed_time":"2026-05-02T03:00:00.000+00:00","request":{"contents":[]},"response":{"responseId":"g2","modelVersion":"gemini-2.0-flash-001","candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":10,"totalTokenCount":50}}}
{"key":"request-1","response":{"responseId":"g3","modelVersion":"gemini-2.5-flash","candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":5}}}
{"responseId":"g4","modelVersion":"gemini-2.5-flash","candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":10,"cachedContentTokenCount":11,"candidatesTokenCount":1}}`,
			want: []string{
				"g1|vertex|gemini-2.5-pro|gem|flex|ok|2026-05-01T10:00:00Z|in=250 cr=1000 w5=0 w1=0 out=100 rs=70 tags=map[traffic_type:ON_DEMAND_FLEX]",
				"g2|vertex|gemini-2.0-flash-001|gem|batch|ok|2026-05-02T03:00:00Z|in=40 cr=0 w5=0 w1=0 out=10 rs=0",
				"g3|google|gemini-2.5-flash|gem|batch|ok|2026-06-01T12:00:00Z|in=20 cr=0 w5=0 w1=0 out=5 rs=0",
			},
			stats: "3/0/1/0",
		},
		{
			name: "bedrock: failed invocation unbilled, inference-profile ARN, assumed role, stream metadata event", file: "bedrock.jsonl", format: decode.FormatBedrock,
			data: `{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-05-03T08:00:00Z","requestId":"r1","operation":"InvokeModel","modelId":"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0","region":"us-east-1","identity":{"arn":"arn:aws:sts::123456789012:assumed-role/NightlyBatch/i-0abc"},"input":{"inputTokenCount":12,"cacheReadInputTokenCount":5000,"cacheWriteInputTokenCount":300},"output":{"outputTokenCount":80}}
{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-05-03T08:01:00Z","requestId":"r2","operation":"Converse","modelId":"amazon.nova-pro-v1:0","region":"eu-west-1","identity":{"arn":"arn:aws:iam::123456789012:role/app"},"errorCode":"ThrottlingException","input":{"inputTokenCount":0},"output":{"outputTokenCount":0}}
{"ts":"2026-05-03T08:02:00Z","model":"anthropic.claude-3-haiku-20240307-v1:0","response":{"metadata":{"usage":{"inputTokens":25,"outputTokens":7,"totalTokens":32},"metrics":{"latencyMs":410}}}}
{"ts":"2026-05-03T08:02:00Z","model":"anthropic.claude-3-haiku-20240307-v1:0","response":{"contentBlockDelta":{"delta":{"text":"hi"},"contentBlockIndex":0}}}`,
			want: []string{
				"|bedrock|anthropic.claude-3-haiku-20240307-v1:0||stream|ok|2026-05-03T08:02:00Z|in=25 cr=0 w5=0 w1=0 out=7 rs=0 lat=410",
				"r1|bedrock|us.anthropic.claude-sonnet-4-5-20250929-v1:0|NightlyBatch|sync|ok|2026-05-03T08:00:00Z|in=12 cr=5000 w5=300 w1=0 out=80 rs=0 tags=map[region:us-east-1]",
				"r2|bedrock|amazon.nova-pro-v1:0|app|sync|error|2026-05-03T08:01:00Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0 tags=map[region:eu-west-1]",
			},
			stats: "3/0/0/1",
		},
		{
			name: "codex: a token_count before any turn_context, a rate-limit update, the same response written twice", file: "rollout-2026-05-04T10-00-00-0190aaaa.jsonl", format: decode.FormatCodex,
			data: `{"timestamp":"2026-05-04T10:00:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":11},"total_token_usage":{"total_tokens":11}}}}
{"timestamp":"2026-05-04T10:00:01.000Z","type":"session_meta","payload":{"id":"0190aaaa","cwd":"/home/u/repo/api","model_provider":"openai"}}
{"timestamp":"2026-05-04T10:00:02.000Z","type":"turn_context","payload":{"cwd":"/home/u/repo/api","model":"gpt-5-codex"}}
{"timestamp":"2026-05-04T10:00:03.000Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":{"primary":{"used_percent":7.0}}}}
{"timestamp":"2026-05-04T10:00:04.000Z","type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":{"input_tokens":5000,"cached_input_tokens":4096,"output_tokens":300,"reasoning_output_tokens":256,"total_tokens":5300},"total_token_usage":{"input_tokens":5000,"cached_input_tokens":4096,"output_tokens":300,"reasoning_output_tokens":256,"total_tokens":5300}}}}
{"timestamp":"2026-05-04T10:00:04.000Z","type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":{"input_tokens":5000,"cached_input_tokens":4096,"output_tokens":300,"reasoning_output_tokens":256,"total_tokens":5300},"total_token_usage":{"input_tokens":5000,"cached_input_tokens":4096,"output_tokens":300,"reasoning_output_tokens":256,"total_tokens":5300}}}}
{"timestamp":"2026-05-04T10:00:05.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[]}}`,
			want: []string{
				"codex:0190aaaa:5300|openai|gpt-5-codex|api|stream|ok|2026-05-04T10:00:04Z|in=904 cr=4096 w5=0 w1=0 out=300 rs=256 src=ide",
			},
			stats: "1/1/1/4",
		},
		{
			name: "langfuse: reasoning and audio detail keys, legacy usage, character usage, failed generation, agent observation", file: "lf.jsonl", format: decode.FormatLangfuse,
			data: `{"id":"g1","traceId":"t","type":"GENERATION","name":"plan","startTime":"2026-05-05T10:00:00Z","model":"o3-mini","usageDetails":{"input":100,"input_audio_tokens":7,"input_cached_tokens":50,"output":40,"output_reasoning_tokens":200,"total":397}}
{"id":"g2","traceId":"t","type":"GENERATION","name":"legacy","startTime":"2026-05-05T10:00:00Z","model":"gpt-4o","usage":{"input":30,"output":5,"total":35,"unit":"TOKENS"}}
{"id":"g3","traceId":"t","type":"GENERATION","name":"tts","startTime":"2026-05-05T10:00:00Z","model":"tts-1","usage":{"input":300,"unit":"CHARACTERS"}}
{"id":"g4","traceId":"t","type":"GENERATION","name":"plan","startTime":"2026-05-05T10:00:00Z","model":"o3-mini","level":"ERROR","statusMessage":"rate limited"}
{"id":"a1","traceId":"t","type":"AGENT","name":"planner","startTime":"2026-05-05T10:00:00Z","usageDetails":{"input":100,"output":240}}
{"id":"g5","traceId":"t","type":"GENERATION","name":"1h","startTime":"2026-05-05T10:00:00Z","model":"claude-opus-4-1","usageDetails":{"input":3,"cache_creation_input_tokens_1h":900,"output":8}}`,
			want: []string{
				"langfuse:g1|openai|o3-mini|plan|sync|ok|2026-05-05T10:00:00Z|in=107 cr=50 w5=0 w1=0 out=240 rs=200",
				"langfuse:g2|openai|gpt-4o|legacy|sync|ok|2026-05-05T10:00:00Z|in=30 cr=0 w5=0 w1=0 out=5 rs=0",
				"langfuse:g4|openai|o3-mini|plan|sync|error|2026-05-05T10:00:00Z|in=0 cr=0 w5=0 w1=0 out=0 rs=0",
				"langfuse:g5|anthropic|claude-opus-4-1|1h|sync|ok|2026-05-05T10:00:00Z|in=3 cr=0 w5=0 w1=900 out=8 rs=0",
			},
			stats: "4/0/1/1",
		},
		{
			name: "litellm: metadata text that is not JSON is rejected, not silently dropped", file: "spend.jsonl", format: decode.FormatLiteLLM,
			data: `{"request_id":"a","spend":0.1,"prompt_tokens":10,"completion_tokens":2,"startTime":"2026-05-01T10:00:00Z","model":"gpt-4o","custom_llm_provider":"openai","metadata":"{not json","request_tags":"[]","cache_hit":"False"}
{"request_id":"b","spend":0.1,"prompt_tokens":10,"completion_tokens":2,"startTime":"2026-05-01T10:00:00Z","model":"gpt-4o","custom_llm_provider":"openai","metadata":"{\"user_api_key_alias\":\"etl\"}","request_tags":"[\"env:prod\"]","cache_hit":"True"}`,
			want:  nil,
			stats: "0/0/1/1",
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
