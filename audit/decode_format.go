package audit

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Names of the input formats (ScanOptions.FormatIn, Stats.Formats).
const (
	FormatCanonical      = "canonical"
	FormatCanonicalCSV   = "canonical-csv"
	FormatOpenAI         = "openai"
	FormatOpenAIBatch    = "openai-batch"
	FormatAnthropic      = "anthropic"
	FormatAnthropicBatch = "anthropic-batch"
	FormatOTel           = "otel"
	FormatLiteLLM        = "litellm"
	FormatClaudeCode     = "claude-code"
	FormatGemini         = "gemini"
	FormatBedrock        = "bedrock"
	FormatCodex          = "codex"
	FormatLangfuse       = "langfuse"
)

// decoder turns one item (a JSONL line or a JSON array element) of a file
// into records, skips or rejections, reported through the worker. It never
// keeps item after returning. One decoder exists per worker and format.
type decoder interface {
	decode(w *worker, item []byte)
}

// rowDecoder decodes CSV rows.
type rowDecoder interface {
	decoder
	decodeRow(w *worker, row []string)
}

// format is one supported input format.
type format struct {
	name       string
	newDecoder func(w *worker) decoder
}

// registry lists the formats in detection order.
var registry = []*format{
	{name: FormatCanonical, newDecoder: newCanonicalDecoder},
	{name: FormatCanonicalCSV, newDecoder: newCSVDecoder},
	{name: FormatOpenAI, newDecoder: newOpenAIDecoder},
	{name: FormatOpenAIBatch, newDecoder: newOpenAIBatchDecoder},
	{name: FormatAnthropic, newDecoder: newAnthropicDecoder},
	{name: FormatAnthropicBatch, newDecoder: newAnthropicBatchDecoder},
	{name: FormatOTel, newDecoder: newOTelDecoder},
	{name: FormatLiteLLM, newDecoder: newLiteLLMDecoder},
	{name: FormatClaudeCode, newDecoder: newClaudeCodeDecoder},
	{name: FormatGemini, newDecoder: newGeminiDecoder},
	{name: FormatBedrock, newDecoder: newBedrockDecoder},
	{name: FormatCodex, newDecoder: newCodexDecoder},
	{name: FormatLangfuse, newDecoder: newLangfuseDecoder},
}

// Formats returns the names of the supported input formats.
func Formats() []string {
	names := make([]string, len(registry))
	for i, f := range registry {
		names[i] = f.name
	}
	return names
}

func formatNames() string { return strings.Join(Formats(), ", ") }

func formatByName(name string) *format {
	for _, f := range registry {
		if f.name == name {
			return f
		}
	}
	return nil
}

// FormatUnrecognized names, in Stats.Formats, the files whose first
// records are JSON objects of no supported shape. Their objects are
// rejected as ReasonUnrecognized, naming what was tried, unless one of them
// is recognizable on its own.
const FormatUnrecognized = "unrecognized"

// unrecognized is the format of such files.
var unrecognized = &format{name: FormatUnrecognized, newDecoder: newUnrecognizedDecoder}

// formatTried says how each format is recognized, for the rejection of
// objects of no known shape.
const formatTried = "tried canonical (ts or model with a token field), openai (object chat.completion, chat.completion.chunk or response, or usage.prompt_tokens), " +
	"openai-batch (custom_id with response or error), anthropic (type message, or usage.cache_read_input_tokens), anthropic-batch (custom_id with result), " +
	"otel (resourceSpans), litellm (spend with startTime, call_type or request_tags), claude-code (sessionId, parentUuid or leafUuid); " +
	"force one with --format-in"

// detectFormat decides a file's format from its first items: the first item
// that is a JSON object of a recognizable shape decides. A file of which no
// item is recognized is read as canonical when none of its samples is a JSON
// object (so its lines are rejected with the canonical format's reasons,
// "invalid json" ...), else as unrecognized; ok is false in both cases.
func detectFormat(name string, samples [][]byte) (f *format, ok bool) {
	object := false
	for _, s := range samples {
		if n := classify(s); n != "" {
			if f := formatByName(n); f != nil {
				return f, true
			}
		}
		if t := bytes.TrimSpace(s); len(t) > 0 && t[0] == '{' && json.Valid(t) {
			object = true
		}
	}
	if object {
		return unrecognized, false
	}
	return formatByName(FormatCanonical), false
}

// unrecognizedDecoder decodes the items of an unrecognized file: an item
// of a recognizable shape with that format's decoder, an invalid one as
// the canonical decoder does, any other object is rejected.
type unrecognizedDecoder struct{}

func newUnrecognizedDecoder(*worker) decoder { return unrecognizedDecoder{} }

func (unrecognizedDecoder) decode(w *worker, item []byte) {
	if n := classify(item); n != "" {
		w.decoderFor(formatByName(n)).decode(w, item)
		return
	}
	if t := bytes.TrimSpace(item); len(t) > 0 && t[0] == '{' && json.Valid(t) {
		w.reject("", nil, ReasonUnrecognized, formatTried)
		return
	}
	w.decoderFor(formatByName(FormatCanonical)).decode(w, item)
}

// classify names the format of one JSON object, or "".
func classify(item []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(item, &m) != nil {
		return ""
	}
	has := func(k string) bool { v, ok := m[k]; return ok && !isNull(v) }
	str := func(k string) string {
		var s string
		json.Unmarshal(m[k], &s)
		return s
	}
	switch {
	case has("resourceSpans"):
		return FormatOTel
	case str("schemaType") == "ModelInvocationLog":
		return FormatBedrock
	case has("payload") && has("timestamp") && codexLineTypes[str("type")]:
		return FormatCodex
	case has("traceId") && (has("usageDetails") || has("usage") || has("costDetails") || has("providedModelName")):
		return FormatLangfuse
	case has("data") && has("meta") && bytes.Contains(m["data"], []byte(`"traceId"`)):
		return FormatLangfuse
	case has("custom_id") && has("result"):
		return FormatAnthropicBatch
	case has("custom_id") && (has("response") || has("error")):
		return FormatOpenAIBatch
	case has("sessionId") || has("parentUuid") || has("leafUuid"):
		return FormatClaudeCode
	case has("spend") && (has("startTime") || has("call_type") || has("request_tags")):
		return FormatLiteLLM
	}
	inner := m
	if r, ok := m["response"]; ok && len(r) > 0 && r[0] == '{' {
		var im map[string]json.RawMessage
		if json.Unmarshal(r, &im) == nil {
			inner = im
		}
		if _, ok := im["custom_id"]; ok {
			if _, ok := im["result"]; ok {
				return FormatAnthropicBatch
			}
		}
	}
	if f := classifyVendorObject(inner); f != "" {
		return f
	}
	if has("ts") || has("model") {
		for _, k := range canonicalTokenFields {
			if has(k) {
				return FormatCanonical
			}
		}
	}
	return ""
}

// codexLineTypes are the line types of Codex CLI session logs.
var codexLineTypes = map[string]bool{"session_meta": true, "turn_context": true, "event_msg": true, "response_item": true, "compacted": true}

// classifyVendorObject recognizes a bare OpenAI or Anthropic response.
func classifyVendorObject(m map[string]json.RawMessage) string {
	var obj, typ string
	json.Unmarshal(m["object"], &obj)
	json.Unmarshal(m["type"], &typ)
	switch obj {
	case "chat.completion", "chat.completion.chunk", "response", "text_completion":
		return FormatOpenAI
	}
	if typ == "message" || typ == "message_start" {
		return FormatAnthropic
	}
	if _, ok := m["usageMetadata"]; ok {
		return FormatGemini
	}
	if md, ok := m["metadata"]; ok && bytes.Contains(md, []byte(`"inputTokens"`)) {
		return FormatBedrock
	}
	u, ok := m["usage"]
	if !ok {
		return ""
	}
	switch {
	case bytes.Contains(u, []byte(`"prompt_tokens"`)), bytes.Contains(u, []byte(`"input_tokens_details"`)):
		return FormatOpenAI
	case bytes.Contains(u, []byte(`"cache_creation_input_tokens"`)), bytes.Contains(u, []byte(`"cache_read_input_tokens"`)):
		return FormatAnthropic
	case bytes.Contains(u, []byte(`"inputTokens"`)):
		// Bedrock Converse TokenUsage (camelCase).
		return FormatBedrock
	}
	return ""
}
