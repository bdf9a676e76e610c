package decode

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// FormatOTel is OpenTelemetry (OTLP JSON) trace exports.
const FormatOTel = "otel"

var otelFormat = &Format{Name: FormatOTel, Detect: detectOTel, New: newOTelDecoder}

// detectOTel recognizes resourceSpans (rank 10).
func detectOTel(p *probe) int {
	if p.has("resourceSpans") {
		return 10
	}
	return 0
}

// OpenTelemetry GenAI spans in the OTLP JSON file-exporter form
// (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/): one TracesData object per line,
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

func newOTelDecoder() Decoder { return &otelDecoder{} }

// llmOperations are the gen_ai.operation.name values of a single model
// call. Agent and workflow spans (invoke_agent, invoke_workflow,
// create_agent) may carry the summed usage of their children and are
// skipped so no token is counted twice; so are tools and retrieval.
var llmOperations = map[string]bool{"chat": true, "text_completion": true, "generate_content": true, "embeddings": true}

func (d *otelDecoder) Decode(w *State, item []byte) {
	var td otlpTraces
	if err := unmarshalFast(item, &td); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			w.reject(ute.Field, nil, record.ReasonBadValue, err.Error())
		} else {
			w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
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

func (d *otelDecoder) span(w *State, sp *otlpSpan, service string, resAttrs []otlpKV) {
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
	// OpenInference spans (Arize Phoenix, LlamaIndex, DSPy, ...) name their
	// kind and use their own attributes for the same facts
	// (https://arize-ai.github.io/openinference/spec/semantic_conventions.html).
	kind := str("openinference.span.kind")
	// The Vercel AI SDK (ai-sdk.dev/docs/ai-sdk-core/telemetry) writes a
	// span per call (ai.generateText, ai.streamText, ...) holding the
	// summed usage of its model calls, and one span per model call
	// (….doGenerate, ….doStream, ….doEmbed): only the latter are read.
	vercelOp := str("ai.operationId")
	keys := &otelGenAIKeys
	switch {
	case kind != "":
		keys = &openInferenceKeys
	case vercelOp != "":
		keys = &vercelKeys
	}
	// Current and deprecated (≤ v1.36) attribute names.
	inKey, outKey := keys.in[0], keys.out[0]
	for _, k := range keys.in {
		if _, ok := attrs[k]; ok {
			inKey = k
			break
		}
	}
	for _, k := range keys.out {
		if _, ok := attrs[k]; ok {
			outKey = k
			break
		}
	}
	_, hasIn := attrs[inKey]
	_, hasOut := attrs[outKey]
	isLLM := llmOperations[op] || (op == "" && kind == "" && (hasIn || hasOut))
	if kind != "" {
		// Only LLM and EMBEDDING spans are model calls; CHAIN, AGENT,
		// TOOL, RETRIEVER, RERANKER and GUARDRAIL spans may repeat the
		// usage of their children.
		isLLM = kind == "LLM" || (kind == "EMBEDDING" && (hasIn || hasOut))
	}
	if vercelOp != "" && kind == "" {
		isLLM = strings.HasSuffix(vercelOp, ".doGenerate") || strings.HasSuffix(vercelOp, ".doStream") || strings.HasSuffix(vercelOp, ".doEmbed")
	}
	if !isLLM {
		w.skip()
		return
	}
	r := w.newRecord()
	r.Provider = otelProvider(str(keys.provider...))
	r.Model = w.intern.get([]byte(str(keys.model...)))
	if id := str(keys.id...); id != "" {
		r.RequestID = id
	} else if sp.SpanID != "" {
		r.RequestID = "otel:" + sp.TraceID + ":" + sp.SpanID
	}
	name := service
	if op != "" {
		name += "/" + op
	}
	r.Workflow = w.intern.get([]byte(name))
	start, _ := ParseCount(sp.Start)
	end, _ := ParseCount(sp.End)
	if start <= 0 {
		w.reject("startTimeUnixNano", sp.Start, record.ReasonBadTimestamp, "")
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
	if strings.HasSuffix(vercelOp, ".doStream") {
		r.Mode = pricing.ModeStream
	}
	r.Mode = tierMode(str("openai.response.service_tier", "gen_ai.openai.response.service_tier", "openai.request.service_tier"), r.Mode)
	if code, _ := ParseCount(sp.Status.Code); code == 2 || str("error.type") != "" {
		r.Status = record.StatusError
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
	first := func(names []string) int64 {
		for _, k := range names {
			if _, present := attrs[k]; present {
				return cnt(k)
			}
		}
		return 0
	}
	r.CacheReadTokens = first(keys.cacheRead)
	r.CacheWrite5mTokens = first(keys.cacheWrite)
	r.ReasoningTokens = first(keys.reasoning)
	for _, k := range keys.cost {
		if v, present := attrs[k]; present {
			raw := v.DoubleValue
			if raw == nil {
				raw = v.IntValue
			}
			if raw == nil && v.StringValue != nil {
				raw = []byte(*v.StringValue)
			}
			if c, good := exactDecimal(raw); good {
				r.LoggedCostUSD = c
			}
			break
		}
	}
	if n := cnt("gen_ai.request.max_tokens"); n > 0 {
		r.MaxTokens = n
	}
	if !ok {
		return
	}
	if !hasIn && !hasOut && r.Status == record.StatusOK {
		w.reject(inKey, nil, record.ReasonMissing("tokens"), "an LLM span without gen_ai.usage attributes")
		return
	}
	// Rule (GenAI semconv, above): gen_ai.usage.input_tokens "SHOULD include
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
	if r.Model == "" && r.Status == record.StatusOK {
		w.reject(keys.modelField, nil, record.ReasonMissing(keys.modelField), "")
		return
	}
	if key := w.workflowKey; key != "" {
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

// otelKeys names the attributes of one convention, most current first.
type otelKeys struct {
	in, out, cacheRead, cacheWrite, reasoning, model, provider, cost, id []string
	// modelField names the model attribute in a rejection.
	modelField string
}

// otelGenAIKeys are the OpenTelemetry GenAI semantic conventions
// (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/): v1.37+
// names, the deprecated ≤ v1.36 token names, and the cache attributes of
// v1.40+ (gen_ai.usage.cache_read.input_tokens,
// gen_ai.usage.cache_creation.input_tokens, both included in
// gen_ai.usage.input_tokens) with the underscore spellings some
// instrumentations wrote before them and Sentry's
// gen_ai.usage.input_tokens.cached / gen_ai.usage.output_tokens.reasoning
// (develop.sentry.dev/sdk/telemetry/traces/modules/ai-agents/).
var otelGenAIKeys = otelKeys{
	in:         []string{"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"},
	out:        []string{"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"},
	cacheRead:  []string{"gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens", "gen_ai.usage.input_tokens.cached"},
	cacheWrite: []string{"gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens"},
	reasoning:  []string{"gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens", "gen_ai.usage.output_tokens.reasoning"},
	model:      []string{"gen_ai.response.model", "gen_ai.request.model"},
	provider:   []string{"gen_ai.provider.name", "gen_ai.system"},
	cost:       []string{"gen_ai.usage.cost", "gen_ai.cost.total"},
	id:         []string{"gen_ai.response.id"},
	modelField: "gen_ai.request.model",
}

// vercelKeys are the attributes of the Vercel AI SDK's model-call spans:
// the GenAI names it writes (v4 the deprecated token names, v5 the
// current ones) and its own ai.* names, whose inputTokens include the
// cachedInputTokens and whose outputTokens include the reasoningTokens.
var vercelKeys = otelKeys{
	in:         []string{"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "ai.usage.inputTokens", "ai.usage.promptTokens"},
	out:        []string{"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "ai.usage.outputTokens", "ai.usage.completionTokens"},
	cacheRead:  []string{"gen_ai.usage.cache_read.input_tokens", "ai.usage.cachedInputTokens"},
	cacheWrite: []string{"gen_ai.usage.cache_creation.input_tokens"},
	reasoning:  []string{"gen_ai.usage.reasoning.output_tokens", "ai.usage.reasoningTokens"},
	model:      []string{"gen_ai.response.model", "ai.response.model", "ai.model.id", "gen_ai.request.model"},
	provider:   []string{"gen_ai.provider.name", "gen_ai.system", "ai.model.provider"},
	id:         []string{"gen_ai.response.id", "ai.response.id"},
}

// openInferenceKeys are the OpenInference conventions: llm.token_count.prompt
// is the whole prompt, its prompt_details.cache_read / cache_write are parts
// of it, completion_details.reasoning is part of llm.token_count.completion,
// and llm.cost.total is the cost the instrumentation computed.
var openInferenceKeys = otelKeys{
	in:         []string{"llm.token_count.prompt"},
	out:        []string{"llm.token_count.completion"},
	cacheRead:  []string{"llm.token_count.prompt_details.cache_read"},
	cacheWrite: []string{"llm.token_count.prompt_details.cache_write"},
	reasoning:  []string{"llm.token_count.completion_details.reasoning"},
	model:      []string{"llm.model_name", "embedding.model_name"},
	provider:   []string{"llm.provider", "llm.system"},
	cost:       []string{"llm.cost.total"},
	modelField: "llm.model_name",
}

// otelProvider maps gen_ai.provider.name (and the deprecated gen_ai.system)
// values, OpenInference llm.provider / llm.system values, and the
// "provider.api" ids the Vercel AI SDK writes there ("openai.chat",
// "anthropic.messages", "google.generative-ai", "amazon-bedrock") to the
// provider ids of the price books: openai, anthropic, google, vertex,
// bedrock, azure, xai, mistral, deepseek, ...
func otelProvider(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	switch p {
	case "gcp.gemini", "gcp.gen_ai", "gemini", "google_ai_studio", "google.generative-ai":
		return "google"
	case "gcp.vertex_ai", "vertex_ai", "vertexai":
		return "vertex"
	case "azure.ai.openai", "az.ai.openai", "azure.ai.inference", "az.ai.inference", "azure_openai", "azure-openai":
		return "azure"
	case "aws.bedrock", "aws", "amazon-bedrock", "bedrock":
		return "bedrock"
	}
	// The Vercel AI SDK writes "<provider>.<api>" (openai.chat,
	// openai.responses, anthropic.messages, google.vertex.chat,
	// mistral.chat, xai.chat, deepseek.chat, azure.chat).
	if i := strings.IndexByte(p, '.'); i > 0 {
		head := p[:i]
		switch head {
		case "google":
			if strings.HasPrefix(p, "google.vertex") {
				return "vertex"
			}
			return "google"
		case "amazon-bedrock":
			return "bedrock"
		}
		p = head
	}
	switch p {
	case "x_ai", "x-ai":
		return "xai"
	case "azure-openai", "azure_openai":
		return "azure"
	case "mistral_ai", "mistralai":
		return "mistral"
	}
	return p
}
