package audit

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/costaudit/costaudit/pricing"
)

// OpenTelemetry GenAI spans in the OTLP JSON file-exporter form
// (provider-facts §5.1): one TracesData object per line,
// resourceSpans[].scopeSpans[].spans[]. Every span is one item: an LLM call
// becomes a record, any other span is skipped.

type otlpValue struct {
	StringValue *string         `json:"stringValue"`
	IntValue    json.RawMessage `json:"intValue"` // int64 as a decimal string, or a number
	DoubleValue json.RawMessage `json:"doubleValue"`
	BoolValue   *bool           `json:"boolValue"`
}

type otlpKV struct {
	Key   string    `json:"key"`
	Value otlpValue `json:"value"`
}

type otlpSpan struct {
	TraceID    string          `json:"traceId"`
	SpanID     string          `json:"spanId"`
	Name       string          `json:"name"`
	Start      json.RawMessage `json:"startTimeUnixNano"`
	End        json.RawMessage `json:"endTimeUnixNano"`
	Attributes []otlpKV        `json:"attributes"`
	Status     struct {
		Code json.RawMessage `json:"code"`
	} `json:"status"`
}

type otlpTraces struct {
	ResourceSpans []struct {
		Resource struct {
			Attributes []otlpKV `json:"attributes"`
		} `json:"resource"`
		ScopeSpans []struct {
			Spans []otlpSpan `json:"spans"`
		} `json:"scopeSpans"`
	} `json:"resourceSpans"`
}

type otelDecoder struct{}

func newOTelDecoder(*worker) decoder { return &otelDecoder{} }

// llmOperations are the gen_ai.operation.name values of a single model
// call. Agent and workflow spans (invoke_agent, invoke_workflow,
// create_agent) may carry the summed usage of their children and are
// skipped so no token is counted twice; so are tools and retrieval.
var llmOperations = map[string]bool{"chat": true, "text_completion": true, "generate_content": true, "embeddings": true}

func (d *otelDecoder) decode(w *worker, item []byte) {
	var td otlpTraces
	if err := unmarshalFast(item, &td); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			w.reject(ute.Field, nil, ReasonBadValue, err.Error())
		} else {
			w.reject("", firstBytes(item), ReasonInvalidJSON, err.Error())
		}
		return
	}
	for _, rs := range td.ResourceSpans {
		service := ""
		for _, kv := range rs.Resource.Attributes {
			if kv.Key == "service.name" && kv.Value.StringValue != nil {
				service = *kv.Value.StringValue
			}
		}
		for _, ss := range rs.ScopeSpans {
			for i := range ss.Spans {
				d.span(w, &ss.Spans[i], service, rs.Resource.Attributes)
				if w.halt {
					return
				}
			}
		}
	}
}

func attrString(v otlpValue) string {
	switch {
	case v.StringValue != nil:
		return *v.StringValue
	case v.IntValue != nil:
		return strings.Trim(string(v.IntValue), `"`)
	case v.DoubleValue != nil:
		return string(v.DoubleValue)
	case v.BoolValue != nil:
		if *v.BoolValue {
			return "true"
		}
		return "false"
	}
	return ""
}

func (d *otelDecoder) span(w *worker, sp *otlpSpan, service string, resAttrs []otlpKV) {
	attrs := map[string]otlpValue{}
	for _, kv := range sp.Attributes {
		attrs[kv.Key] = kv.Value
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			if v, ok := attrs[k]; ok {
				if s := attrString(v); s != "" {
					return s
				}
			}
		}
		return ""
	}
	op := str("gen_ai.operation.name")
	// Current and deprecated (≤ v1.36) attribute names.
	inKey, outKey := "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"
	if _, ok := attrs[inKey]; !ok {
		inKey = "gen_ai.usage.prompt_tokens"
	}
	if _, ok := attrs[outKey]; !ok {
		outKey = "gen_ai.usage.completion_tokens"
	}
	_, hasIn := attrs[inKey]
	_, hasOut := attrs[outKey]
	isLLM := llmOperations[op] || (op == "" && (hasIn || hasOut))
	if !isLLM {
		w.skip()
		return
	}
	r := w.newRecord()
	r.Provider = otelProvider(str("gen_ai.provider.name", "gen_ai.system"))
	r.Model = w.intern.get([]byte(str("gen_ai.response.model", "gen_ai.request.model")))
	if id := str("gen_ai.response.id"); id != "" {
		r.RequestID = id
	} else if sp.SpanID != "" {
		r.RequestID = "otel:" + sp.TraceID + ":" + sp.SpanID
	}
	name := service
	if op != "" {
		name += "/" + op
	}
	r.Workflow = w.intern.get([]byte(name))
	start, _ := parseCount(sp.Start)
	end, _ := parseCount(sp.End)
	if start <= 0 {
		w.reject("startTimeUnixNano", sp.Start, ReasonBadTimestamp, "")
		return
	}
	r.TS = time.Unix(0, start).UTC()
	if end >= start {
		r.LatencyMS = (end - start + 500_000) / 1_000_000
	}
	if v, ok := attrs["gen_ai.response.time_to_first_chunk"]; ok {
		if f, ok := parseFloatValue(v.DoubleValue); ok && f >= 0 {
			r.TTFTMS = int64(f*1000 + 0.5)
		}
	}
	if v, ok := attrs["gen_ai.request.stream"]; ok && v.BoolValue != nil && *v.BoolValue {
		r.Mode = pricing.ModeStream
	}
	r.Mode = tierMode(str("openai.response.service_tier", "gen_ai.openai.response.service_tier", "openai.request.service_tier"), r.Mode)
	if code, _ := parseCount(sp.Status.Code); code == 2 || str("error.type") != "" {
		r.Status = StatusError
	}

	ok := true
	cnt := func(key string) int64 {
		v, present := attrs[key]
		if !present || !ok {
			return 0
		}
		raw := v.IntValue
		if raw == nil {
			raw = v.DoubleValue
		}
		if raw == nil && v.StringValue != nil {
			raw, _ = json.Marshal(*v.StringValue)
		}
		return count(w, key, raw, &ok)
	}
	total := cnt(inKey)
	r.OutputTokens = cnt(outKey)
	r.CacheReadTokens = cnt("gen_ai.usage.cache_read.input_tokens")
	r.CacheWrite5mTokens = cnt("gen_ai.usage.cache_creation.input_tokens")
	r.ReasoningTokens = cnt("gen_ai.usage.reasoning.output_tokens")
	if n := cnt("gen_ai.request.max_tokens"); n > 0 {
		r.MaxTokens = n
	}
	if !ok {
		return
	}
	if !hasIn && !hasOut && r.Status == StatusOK {
		w.reject(inKey, nil, reasonMissing("tokens"), "an LLM span without gen_ai.usage attributes")
		return
	}
	// Rule (provider-facts §5.1): gen_ai.usage.input_tokens "SHOULD include
	// all types of input tokens, including cached"; cache read and cache
	// creation counts are subsets of it, so uncached input = input − read −
	// creation. Instrumentations that report Anthropic's own input_tokens
	// (which exclude the cache, §2.2) give an input smaller than the cache
	// counts; that input is then taken as already uncached. Cache creation
	// has no TTL in the conventions: 5-minute writes, Anthropic's default.
	if rest := total - r.CacheReadTokens - r.CacheWrite5mTokens; rest >= 0 {
		r.InputTokens = rest
	} else {
		r.InputTokens = total
	}
	if r.Model == "" && r.Status == StatusOK {
		w.reject("gen_ai.request.model", nil, reasonMissing("gen_ai.request.model"), "")
		return
	}
	if key := w.ss.opts.WorkflowKey; key != "" {
		r.Workflow = ""
		if v, ok := attrs[key]; ok {
			r.Workflow = w.intern.get([]byte(attrString(v)))
		} else {
			for _, kv := range resAttrs {
				if kv.Key == key {
					r.Workflow = w.intern.get([]byte(attrString(kv.Value)))
				}
			}
		}
	}
	w.emit(r)
}

// otelProvider maps gen_ai.provider.name (and the deprecated gen_ai.system)
// values to the providers of the price books.
func otelProvider(p string) string {
	switch p {
	case "gcp.gemini", "gcp.vertex_ai", "gcp.gen_ai", "vertex_ai", "gemini":
		return "google"
	case "azure.ai.openai", "az.ai.openai":
		return "azure"
	case "x_ai", "xai":
		return "xai"
	case "mistral_ai":
		return "mistral"
	case "aws.bedrock":
		return "bedrock"
	}
	return strings.ToLower(p)
}
