package audit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit/decode"
)

// equivRequest is one request of the workload written in every format.
type equivRequest struct {
	id                      string
	provider, model         string
	in, read, write, output int64
	ts                      time.Time
}

var equivWorkload = []equivRequest{
	{"a1", "anthropic", "claude-sonnet-4-5", 1200, 30000, 2000, 350, time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC)},
	{"a2", "anthropic", "claude-haiku-4-5", 15, 0, 0, 900, time.Date(2026, 5, 1, 2, 5, 0, 0, time.UTC)},
	{"o1", "openai", "gpt-4.1", 476, 1024, 0, 150, time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC)},
	{"o2", "openai", "gpt-4o-mini", 9000, 0, 128, 12, time.Date(2026, 5, 3, 23, 59, 59, 0, time.UTC)},
}

// equivLines renders the workload in one format.
func equivLines(format string) (name, data string) {
	var b strings.Builder
	for _, r := range equivWorkload {
		sec := r.ts.Unix()
		iso := r.ts.Format(time.RFC3339)
		switch format {
		case decode.FormatCanonical:
			fmt.Fprintf(&b, `{"ts":%q,"request_id":%q,"provider":%q,"model":%q,"input_tokens":%d,"cache_read_tokens":%d,"cache_write_5m_tokens":%d,"output_tokens":%d}`+"\n",
				iso, r.id, r.provider, r.model, r.in, r.read, r.write, r.output)
		case decode.FormatCanonicalCSV:
			if b.Len() == 0 {
				b.WriteString("ts,request_id,provider,model,input_tokens,cache_read_tokens,cache_write_5m_tokens,output_tokens\n")
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s,%d,%d,%d,%d\n", iso, r.id, r.provider, r.model, r.in, r.read, r.write, r.output)
		case decode.FormatOpenAI: // prompt_tokens include cached and written tokens (§1.2)
			fmt.Fprintf(&b, `{"ts":%q,"response":{"id":%q,"object":"chat.completion","created":%d,"model":%q,"usage":{"prompt_tokens":%d,"completion_tokens":%d,"prompt_tokens_details":{"cached_tokens":%d,"cache_write_tokens":%d}}}}`+"\n",
				iso, r.id, sec, r.model, r.in+r.read+r.write, r.output, r.read, r.write)
		case decode.FormatOpenAIBatch:
			fmt.Fprintf(&b, `{"id":"batch_req_%s","custom_id":"job-%s","response":{"status_code":200,"request_id":%q,"body":{"id":"chatcmpl-%s","object":"chat.completion","created":%d,"model":%q,"usage":{"prompt_tokens":%d,"completion_tokens":%d,"prompt_tokens_details":{"cached_tokens":%d,"cache_write_tokens":%d}}}},"error":null}`+"\n",
				r.id, r.id, r.id, r.id, sec, r.model, r.in+r.read+r.write, r.output, r.read, r.write)
		case decode.FormatAnthropic: // input_tokens exclude the cache (§2.2)
			fmt.Fprintf(&b, `{"ts":%q,"response":{"id":%q,"type":"message","model":%q,"usage":{"input_tokens":%d,"cache_read_input_tokens":%d,"cache_creation_input_tokens":%d,"output_tokens":%d}}}`+"\n",
				iso, r.id, r.model, r.in, r.read, r.write, r.output)
		case decode.FormatAnthropicBatch:
			fmt.Fprintf(&b, `{"ts":%q,"response":{"custom_id":"job-%s","result":{"type":"succeeded","message":{"id":%q,"type":"message","model":%q,"usage":{"input_tokens":%d,"cache_read_input_tokens":%d,"cache_creation_input_tokens":%d,"output_tokens":%d}}}}}`+"\n",
				iso, r.id, r.id, r.model, r.in, r.read, r.write, r.output)
		case decode.FormatOTel: // input_tokens include cache reads and creation (§5.1)
			fmt.Fprintf(&b, `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeSpans":[{"spans":[{"traceId":"t","spanId":%q,"startTimeUnixNano":"%d","endTimeUnixNano":"%d","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.provider.name","value":{"stringValue":%q}},{"key":"gen_ai.request.model","value":{"stringValue":%q}},{"key":"gen_ai.response.id","value":{"stringValue":%q}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"%d"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":%d}},{"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"%d"}},{"key":"gen_ai.usage.cache_creation.input_tokens","value":{"intValue":"%d"}}]}]}]}]}`+"\n",
				r.id, r.ts.UnixNano(), r.ts.UnixNano()+1e9, r.provider, r.model, r.id, r.in+r.read+r.write, r.output, r.read, r.write)
		case decode.FormatLiteLLM: // prompt_tokens include cached tokens (§5.2)
			fmt.Fprintf(&b, `{"request_id":%q,"spend":0.5,"prompt_tokens":%d,"completion_tokens":%d,"startTime":%q,"model":%q,"custom_llm_provider":%q,"metadata":{"additional_usage_values":{"cache_read_input_tokens":%d,"cache_creation_input_tokens":%d}},"request_tags":["workflow:w"],"status":"success"}`+"\n",
				r.id, r.in+r.read+r.write, r.output, iso, r.model, r.provider, r.read, r.write)
		case decode.FormatGemini: // promptTokenCount includes the cached content; no cache-write bucket, so writes are input
			fmt.Fprintf(&b, `{"ts":%q,"response":{"responseId":%q,"modelVersion":%q,"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":%d,"cachedContentTokenCount":%d,"candidatesTokenCount":%d,"totalTokenCount":%d}}}`+"\n",
				iso, r.id, r.model, r.in+r.read+r.write, r.read, r.output, r.in+r.read+r.write+r.output)
		case decode.FormatBedrock: // inputTokenCount excludes cache reads and writes
			fmt.Fprintf(&b, `{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":%q,"requestId":%q,"operation":"Converse","modelId":%q,"input":{"inputTokenCount":%d,"cacheReadInputTokenCount":%d,"cacheWriteInputTokenCount":%d},"output":{"outputTokenCount":%d}}`+"\n",
				iso, r.id, r.model, r.in, r.read, r.write, r.output)
		case decode.FormatCodex: // input_tokens include cached input and cache writes; the model comes from turn_context
			fmt.Fprintf(&b, `{"timestamp":%q,"type":"turn_context","payload":{"cwd":"/home/u/svc","model":%q}}`+"\n", iso, r.model)
			fmt.Fprintf(&b, `{"timestamp":%q,"type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":{"input_tokens":%d,"cached_input_tokens":%d,"cache_write_input_tokens":%d,"output_tokens":%d,"reasoning_output_tokens":0,"total_tokens":%d},"total_token_usage":{"total_tokens":%d}}}}`+"\n",
				iso, r.in+r.read+r.write, r.read, r.write, r.output, r.in+r.read+r.write+r.output, sec)
		case decode.FormatLangfuse: // usage details are disjoint: input is uncached, cache keys beside it
			fmt.Fprintf(&b, `{"id":%q,"traceId":"t","type":"GENERATION","name":"w","startTime":%q,"providedModelName":%q,"usageDetails":{"input":%d,"cache_read_input_tokens":%d,"cache_creation_input_tokens":%d,"output":%d,"total":%d}}`+"\n",
				r.id, iso, r.model, r.in, r.read, r.write, r.output, r.in+r.read+r.write+r.output)
		case decode.FormatClaudeCode:
			fmt.Fprintf(&b, `{"sessionId":"s","type":"assistant","requestId":"req","timestamp":%q,"message":{"id":%q,"model":%q,"usage":{"input_tokens":%d,"cache_read_input_tokens":%d,"cache_creation_input_tokens":%d,"output_tokens":%d}}}`+"\n",
				iso, r.id, r.model, r.in, r.read, r.write, r.output)
		}
	}
	name = "log.jsonl"
	if format == decode.FormatCanonicalCSV {
		name = "log.csv"
	}
	return name, b.String()
}

// TestFormatsAgree writes one workload in every format and checks that
// each adapter gives the same requests with the same disjoint buckets.
func TestFormatsAgree(t *testing.T) {
	type key struct {
		model                   string
		in, read, write, output int64
		day                     string
	}
	// noWrites are the formats without a cache-write bucket: their
	// requests carry the written tokens as uncached input.
	noWrites := map[string]bool{decode.FormatGemini: true}
	for _, format := range decode.Formats() {
		want := map[key]int{}
		for _, r := range equivWorkload {
			k := key{r.model, r.in, r.read, r.write, r.output, r.ts.Format("2006-01-02")}
			if noWrites[format] {
				k.in, k.write = r.in+r.write, 0
			}
			want[k]++
		}
		name, data := equivLines(format)
		st, recs := mustScan(t, []Input{testInput(name, data)}, ScanOptions{})
		if st.Formats[format] != 1 || st.Records != int64(len(equivWorkload)) {
			t.Errorf("%s: detected %v, %d records (%v)", format, st.Formats, st.Records, st.FirstReject)
			continue
		}
		got := map[key]int{}
		for _, r := range recs {
			got[key{r.Model, r.InputTokens, r.CacheReadTokens, r.CacheWrite5mTokens + r.CacheWrite1hTokens, r.OutputTokens, r.TS.Format("2006-01-02")}]++
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: records\n got %v\nwant %v", format, got, want)
		}
	}
}
