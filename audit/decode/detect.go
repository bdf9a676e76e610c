package decode

import (
	"bytes"
	"encoding/json"
)

// Format detection. Each format's Detect looks at one parsed JSON object
// and returns the rank of the rule that recognizes it, or 0; the lowest
// rank among the formats wins, so that a rule only an envelope matches
// (resourceSpans, custom_id with result) goes before the rules on a vendor
// object's fields, and those before canonical's. The ranks in use:
//
//	10 otel            resourceSpans
//	20 bedrock         schemaType ModelInvocationLog
//	30 codex           payload and timestamp with a Codex line type
//	40 langfuse        traceId with usageDetails, usage, costDetails or providedModelName
//	50 langfuse        an API page: data holding a traceId, and meta
//	60 anthropic-batch custom_id with result
//	70 openai-batch    custom_id with response or error
//	80 claude-code     sessionId, parentUuid or leafUuid
//	90 litellm         spend with startTime, call_type or request_tags
//	100 anthropic-batch a response object holding custom_id and result
//	110 openai         the vendor object's object is a completion or response
//	120 anthropic      the vendor object's type is message or message_start
//	130 gemini         usageMetadata
//	140 bedrock        metadata holding inputTokens
//	150 openai         usage holding prompt_tokens or input_tokens_details
//	160 anthropic      usage holding cache_creation_input_tokens or cache_read_input_tokens
//	170 bedrock        usage holding inputTokens (Converse TokenUsage)
//	180 canonical      ts or model, with a billed token field
//
// The vendor object is the object itself, or its response member when
// that is an object (the metadata wrapper).

// probe is one JSON object being classified.
type probe struct {
	m map[string]json.RawMessage
	// response is the response member parsed, when it is an object (nil
	// or partial when it does not parse); inner is the vendor object.
	response map[string]json.RawMessage
	inner    map[string]json.RawMessage
}

// has reports whether the object has member k, not null.
func (p *probe) has(k string) bool { v, ok := p.m[k]; return ok && !isNull(v) }

// str returns member k when it is a string, else "".
func (p *probe) str(k string) string {
	var s string
	json.Unmarshal(p.m[k], &s)
	return s
}

// innerStr returns member k of the vendor object when it is a string.
func (p *probe) innerStr(k string) string {
	var s string
	json.Unmarshal(p.inner[k], &s)
	return s
}

// innerContains reports whether member k of the vendor object holds sub.
func (p *probe) innerContains(k, sub string) bool {
	v, ok := p.inner[k]
	return ok && bytes.Contains(v, []byte(sub))
}

// classify returns the format of one JSON object, or nil.
func classify(item []byte) *Format {
	var p probe
	if json.Unmarshal(item, &p.m) != nil {
		return nil
	}
	p.inner = p.m
	if r, ok := p.m["response"]; ok && len(r) > 0 && r[0] == '{' {
		var im map[string]json.RawMessage
		if json.Unmarshal(r, &im) == nil {
			p.inner = im
		}
		p.response = im
	}
	var best *Format
	bestRank := 0
	for _, f := range registry {
		if f.Detect == nil {
			continue
		}
		if r := f.Detect(&p); r > 0 && (best == nil || r < bestRank) {
			best, bestRank = f, r
		}
	}
	return best
}
