package decode

import "testing"

// TestDetectPrecedence checks which format wins when an object matches
// the rules of several: the lower rank (detect.go), whatever the order of
// the registry.
func TestDetectPrecedence(t *testing.T) {
	for _, tc := range []struct{ obj, want string }{
		{`{"resourceSpans":[],"sessionId":"s","spend":1,"startTime":"x"}`, FormatOTel},
		{`{"schemaType":"ModelInvocationLog","custom_id":"a","result":{}}`, FormatBedrock},
		{`{"payload":{},"timestamp":"t","type":"event_msg","sessionId":"s"}`, FormatCodex},
		{`{"payload":{},"timestamp":"t","type":"other","sessionId":"s"}`, FormatClaudeCode},
		{`{"traceId":"t","usage":{"input":1},"custom_id":"a","result":{}}`, FormatLangfuse},
		{`{"data":[{"traceId":"t"}],"meta":{},"custom_id":"a","result":{}}`, FormatLangfuse},
		{`{"custom_id":"a","result":{},"error":{}}`, FormatAnthropicBatch},
		{`{"custom_id":"a","error":{}}`, FormatOpenAIBatch},
		{`{"custom_id":"a","result":null,"error":{}}`, FormatOpenAIBatch},
		{`{"sessionId":"s","spend":1,"startTime":"x"}`, FormatClaudeCode},
		{`{"spend":0.1,"call_type":"completion","model":"m","input_tokens":1}`, FormatLiteLLM},
		{`{"response":{"custom_id":"a","result":null},"ts":"t","model":"m","input_tokens":1}`, FormatAnthropicBatch},
		{`{"object":"chat.completion","type":"message","usage":{"cache_read_input_tokens":1}}`, FormatOpenAI},
		{`{"type":"message","usageMetadata":{}}`, FormatAnthropic},
		{`{"usageMetadata":null,"metadata":{"inputTokens":1}}`, FormatGemini},
		{`{"metadata":{"inputTokens":1},"usage":{"prompt_tokens":1}}`, FormatBedrock},
		{`{"usage":{"prompt_tokens":1,"cache_read_input_tokens":1}}`, FormatOpenAI},
		{`{"usage":{"cache_read_input_tokens":1,"inputTokens":1}}`, FormatAnthropic},
		{`{"usage":{"inputTokens":1},"model":"m","input_tokens":1}`, FormatBedrock},
		{`{"response":{"usage":{"prompt_tokens":1}},"ts":"t","model":"m","input_tokens":1}`, FormatOpenAI},
		{`{"ts":"t","model":"m","usage":{"x":1},"output_tokens":1}`, FormatCanonical},
		{`{"ts":"t","model":"m","reasoning_tokens":1}`, ""},
		{`{"model":null,"ts":null,"input_tokens":1}`, ""},
		{`[1,2]`, ""},
	} {
		got := ""
		if f := classify([]byte(tc.obj)); f != nil {
			got = f.Name
		}
		if got != tc.want {
			t.Errorf("%s: detected %q, want %q", tc.obj, got, tc.want)
		}
	}
}
