package loggen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/pricing"
	"github.com/shopspring/decimal"
)

// vendorWriter renders events as vendor JSON objects, one per line, with
// encoding/json over typed structs (field order fixed, map keys sorted).
type vendorWriter struct {
	f   Format
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
}

func newVendorWriter(f Format, t *countingTarget) *vendorWriter {
	v := &vendorWriter{f: f, w: bufio.NewWriterSize(t, 256<<10)}
	v.enc = json.NewEncoder(&v.buf)
	v.enc.SetEscapeHTML(false)
	return v
}

func (v *vendorWriter) accepts(e *Event) bool { return vendorAccepts(v.f, e) }

func vendorAccepts(f Format, e *Event) bool {
	p, batch, st := e.Flow.Provider, e.Flow.Mode == "batch", e.Rec.Status
	switch f {
	case FormatOpenAI:
		return true
	case FormatOpenAIResponses:
		return p == "openai" && !batch && st != audit.StatusError
	case FormatOpenAIBatch:
		return p == "openai" && batch
	case FormatAnthropic:
		return p == "anthropic"
	case FormatAnthropicBatch:
		return p == "anthropic" && batch
	case FormatOTel, FormatLiteLLM:
		return !batch
	case FormatClaudeCode:
		return p == "anthropic" && !batch && st != audit.StatusError
	case FormatGemini, FormatLangfuse:
		return !batch
	case FormatBedrock:
		return !batch && st != audit.StatusError
	}
	return true
}

func (v *vendorWriter) write(e *Event) error {
	return v.emit(v.object(e, &e.Rec, ""), false, e.ID)
}

func (v *vendorWriter) writeBad(e *Event, k BadKind) (BadKind, error) {
	rec := e.Rec
	ts := ""
	switch k {
	case BadNegativeTokens:
		rec.OutputTokens = -1 - int64(e.ID%500)
		if rec.Status != audit.StatusOK && rec.Status != audit.StatusCancelled {
			rec.Status = audit.StatusOK
		}
	case BadTimestamp:
		ts = badTimestamps[e.ID%uint64(len(badTimestamps))]
		if v.f == FormatAnthropicBatch { // its lines carry no timestamp
			k = BadInvalidJSON
		}
	case BadMissingModel:
		rec.Model = ""
	}
	return k, v.emit(v.object(e, &rec, ts), k == BadInvalidJSON, e.ID)
}

func (v *vendorWriter) emit(obj any, cut bool, id uint64) error {
	v.buf.Reset()
	if err := v.enc.Encode(obj); err != nil {
		return err
	}
	b := v.buf.Bytes()
	if cut {
		b = append(cutLine(b, id), '\n')
	}
	_, err := v.w.Write(b)
	return err
}

func (v *vendorWriter) close() error { return v.w.Flush() }

func (v *vendorWriter) object(e *Event, r *audit.Record, badTS string) any {
	switch v.f {
	case FormatOpenAI:
		var resp any = openAIChat(e, r, badTS)
		if r.Status == audit.StatusError {
			resp = openAIError{Error: openAIErrorBody{Message: "The server had an error while processing your request.", Type: "server_error"}}
		}
		return wrap(e, r, badTS, resp)
	case FormatOpenAIResponses:
		return openAIResponse(e, r, badTS)
	case FormatOpenAIBatch:
		return openAIBatchLine(e, r, badTS)
	case FormatAnthropic:
		var resp any = anthropicMessage(e, r)
		if r.Status == audit.StatusError {
			resp = anthropicError{Type: "error", Error: anthropicErrorBody{Type: "api_error", Message: "Internal server error"}}
		}
		return wrap(e, r, badTS, resp)
	case FormatAnthropicBatch:
		return anthropicBatchLine(e, r)
	case FormatOTel:
		return otelLine(e, r, badTS)
	case FormatLiteLLM:
		return liteLLMRow(e, r, badTS)
	case FormatGemini:
		return geminiObject(e, r, badTS)
	case FormatBedrock:
		return bedrockObject(e, r, badTS)
	case FormatLangfuse:
		return langfuseObject(e, r, badTS)
	}
	panic("loggen: no vendor object for format " + string(v.f))
}

// hexID renders an id as 16 lower-case hex digits.
func hexID(id uint64) string { return string(appendHex(nil, id)) }

// mix is SplitMix64: a derived id for cosmetic fields (span ids, uuids)
// that must be deterministic without consuming the record generator.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func tsString(t time.Time, badTS string) string {
	if badTS != "" {
		return badTS
	}
	return t.UTC().Format(tsLayout)
}

// unixOrBad is a Unix-seconds timestamp, or the bad value as a string.
func unixOrBad(t time.Time, badTS string) any {
	if badTS != "" {
		return badTS
	}
	return t.Unix()
}

// ---- wrapper ----

// wrapped is the metadata envelope around a logged OpenAI or Anthropic
// response: the canonical field names around a "response" object.
type wrapped struct {
	TS            string            `json:"ts"`
	Provider      string            `json:"provider,omitempty"`
	Model         string            `json:"model,omitempty"`
	Workflow      string            `json:"workflow,omitempty"`
	Source        string            `json:"source,omitempty"`
	UserWaiting   *bool             `json:"user_waiting,omitempty"`
	Mode          string            `json:"mode,omitempty"`
	Status        string            `json:"status,omitempty"`
	LatencyMS     *int64            `json:"latency_ms,omitempty"`
	TTFTMS        *int64            `json:"ttft_ms,omitempty"`
	MaxTokens     int64             `json:"max_tokens,omitempty"`
	LoggedCostUSD string            `json:"logged_cost_usd,omitempty"`
	Team          string            `json:"team,omitempty"`
	Tags          map[string]string `json:"tags,omitempty"`
	Response      any               `json:"response"`
}

func optMS(v int64) *int64 {
	if v < 0 {
		return nil
	}
	return &v
}

func wrap(e *Event, r *audit.Record, badTS string, resp any) wrapped {
	w := wrapped{
		TS: tsString(r.TS, badTS), Provider: r.Provider, Model: r.Model, Workflow: r.Workflow, Source: r.Source,
		Mode: string(r.Mode), Status: r.Status, LatencyMS: optMS(r.LatencyMS), TTFTMS: optMS(r.TTFTMS),
		MaxTokens: r.MaxTokens, LoggedCostUSD: r.LoggedCostUSD, Team: r.Team, Tags: r.Tags, Response: resp,
	}
	if r.UserWaiting >= 0 {
		b := r.UserWaiting == 1
		w.UserWaiting = &b
	}
	return w
}

// ---- OpenAI ----

type openAIChatCompletion struct {
	ID                string         `json:"id"`
	Object            string         `json:"object"`
	Created           any            `json:"created"`
	Model             string         `json:"model,omitempty"`
	ServiceTier       string         `json:"service_tier,omitempty"`
	Choices           []openAIChoice `json:"choices"`
	Usage             openAIUsage    `json:"usage"`
	SystemFingerprint string         `json:"system_fingerprint,omitempty"`
}

type openAIChoice struct {
	Index        int           `json:"index"`
	Message      openAIMessage `json:"message"`
	Logprobs     *struct{}     `json:"logprobs"`
	FinishReason *string       `json:"finish_reason"`
}

type openAIMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// openAIUsage is Chat Completions usage: prompt_tokens INCLUDES cached
// tokens and cache writes (https://github.com/openai/openai-python/blob/main/src/openai/types/completion_usage.py).
type openAIUsage struct {
	PromptTokens            int64                   `json:"prompt_tokens"`
	CompletionTokens        int64                   `json:"completion_tokens"`
	TotalTokens             int64                   `json:"total_tokens"`
	PromptTokensDetails     openAIPromptDetails     `json:"prompt_tokens_details"`
	CompletionTokensDetails openAICompletionDetails `json:"completion_tokens_details"`
}

type openAIPromptDetails struct {
	CachedTokens     int64 `json:"cached_tokens"`
	CacheWriteTokens int64 `json:"cache_write_tokens,omitempty"`
	AudioTokens      int64 `json:"audio_tokens"`
}

type openAICompletionDetails struct {
	ReasoningTokens          int64 `json:"reasoning_tokens"`
	AudioTokens              int64 `json:"audio_tokens"`
	AcceptedPredictionTokens int64 `json:"accepted_prediction_tokens"`
	RejectedPredictionTokens int64 `json:"rejected_prediction_tokens"`
}

type openAIError struct {
	Error openAIErrorBody `json:"error"`
}

type openAIErrorBody struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func finishReason(e *Event, r *audit.Record, stop, length string) *string {
	switch {
	case r.Status == audit.StatusCancelled:
		return nil
	case e.Truncated:
		return &length
	}
	return &stop
}

// placeholder is the message text of every generated response: logs are
// synthetic and carry no prompt or response text.
const placeholder = "[synthetic]"

func openAIChat(e *Event, r *audit.Record, badTS string) openAIChatCompletion {
	writes := r.CacheWrite5mTokens + r.CacheWrite1hTokens
	prompt := r.InputTokens + r.CacheReadTokens + writes
	return openAIChatCompletion{
		ID: "chatcmpl-" + hexID(e.ID), Object: "chat.completion", Created: unixOrBad(r.TS, badTS), Model: r.Model,
		ServiceTier: "default",
		Choices:     []openAIChoice{{Message: openAIMessage{Role: "assistant", Content: placeholder}, FinishReason: finishReason(e, r, "stop", "length")}},
		Usage: openAIUsage{
			PromptTokens: prompt, CompletionTokens: r.OutputTokens, TotalTokens: prompt + r.OutputTokens,
			PromptTokensDetails:     openAIPromptDetails{CachedTokens: r.CacheReadTokens, CacheWriteTokens: writes},
			CompletionTokensDetails: openAICompletionDetails{ReasoningTokens: r.ReasoningTokens},
		},
		SystemFingerprint: "fp_" + hexID(mix(uint64(e.FlowIndex)))[:10],
	}
}

type openAIResponseObject struct {
	ID          string               `json:"id"`
	Object      string               `json:"object"`
	CreatedAt   any                  `json:"created_at"`
	Status      string               `json:"status"`
	Model       string               `json:"model,omitempty"`
	Output      []openAIOutputItem   `json:"output"`
	ServiceTier string               `json:"service_tier"`
	Metadata    map[string]string    `json:"metadata"`
	Usage       openAIResponsesUsage `json:"usage"`
}

type openAIOutputItem struct {
	Type    string              `json:"type"`
	ID      string              `json:"id"`
	Status  string              `json:"status"`
	Role    string              `json:"role"`
	Content []openAIOutputBlock `json:"content"`
}

type openAIOutputBlock struct {
	Type        string `json:"type"`
	Text        string `json:"text"`
	Annotations []any  `json:"annotations"`
}

// openAIResponsesUsage is Responses API usage: input_tokens INCLUDES cached
// tokens (https://github.com/openai/openai-python/blob/main/src/openai/types/responses/response_usage.py).
type openAIResponsesUsage struct {
	InputTokens        int64 `json:"input_tokens"`
	InputTokensDetails struct {
		CachedTokens     int64 `json:"cached_tokens"`
		CacheWriteTokens int64 `json:"cache_write_tokens,omitempty"`
	} `json:"input_tokens_details"`
	OutputTokens        int64 `json:"output_tokens"`
	OutputTokensDetails struct {
		ReasoningTokens int64 `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
	TotalTokens int64 `json:"total_tokens"`
}

func openAIResponse(e *Event, r *audit.Record, badTS string) openAIResponseObject {
	status := "completed"
	switch {
	case r.Status == audit.StatusCancelled:
		status = "cancelled"
	case e.Truncated:
		status = "incomplete"
	}
	meta := map[string]string{"workflow": r.Workflow}
	if r.Team != "" {
		meta["team"] = r.Team
	}
	for k, v := range r.Tags {
		if k != "workflow" && k != "team" {
			meta[k] = v
		}
	}
	o := openAIResponseObject{
		ID: "resp_" + hexID(e.ID), Object: "response", CreatedAt: unixOrBad(r.TS, badTS), Status: status, Model: r.Model,
		Output: []openAIOutputItem{{Type: "message", ID: "msg_" + hexID(mix(e.ID)), Status: "completed", Role: "assistant",
			Content: []openAIOutputBlock{{Type: "output_text", Text: placeholder, Annotations: []any{}}}}},
		ServiceTier: "default", Metadata: meta,
	}
	writes := r.CacheWrite5mTokens + r.CacheWrite1hTokens
	u := &o.Usage
	u.InputTokens = r.InputTokens + r.CacheReadTokens + writes
	u.InputTokensDetails.CachedTokens = r.CacheReadTokens
	u.InputTokensDetails.CacheWriteTokens = writes
	u.OutputTokens = r.OutputTokens
	u.OutputTokensDetails.ReasoningTokens = r.ReasoningTokens
	u.TotalTokens = u.InputTokens + u.OutputTokens
	return o
}

type openAIBatchOutput struct {
	ID       string               `json:"id"`
	CustomID string               `json:"custom_id"`
	Response *openAIBatchResponse `json:"response"`
	Error    *openAIBatchError    `json:"error"`
}

type openAIBatchResponse struct {
	StatusCode int                  `json:"status_code"`
	RequestID  string               `json:"request_id"`
	Body       openAIChatCompletion `json:"body"`
}

type openAIBatchError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// customID names a batch request "<workflow>-<8-digit sequence>": a decoder
// recovers the workflow as the custom_id without its last "-" suffix.
func customID(e *Event, r *audit.Record) string {
	return fmt.Sprintf("%s-%08d", r.Workflow, e.Seq)
}

func openAIBatchLine(e *Event, r *audit.Record, badTS string) openAIBatchOutput {
	out := openAIBatchOutput{ID: "batch_req_" + hexID(e.ID), CustomID: customID(e, r)}
	switch r.Status {
	case audit.StatusError:
		out.Error = &openAIBatchError{Code: "server_error", Message: "The server had an error while processing your request."}
	case audit.StatusExpired:
		out.Error = &openAIBatchError{Code: "batch_expired", Message: "This request could not be executed before the completion window expired."}
	case audit.StatusCancelled:
		out.Error = &openAIBatchError{Code: "batch_cancelled", Message: "This request was cancelled before it was executed."}
	default:
		body := openAIChat(e, r, badTS)
		body.ServiceTier = "batch"
		out.Response = &openAIBatchResponse{StatusCode: 200, RequestID: "req_" + hexID(mix(e.ID)), Body: body}
	}
	return out
}

// ---- Anthropic ----

type anthropicMessageObject struct {
	ID           string             `json:"id"`
	Type         string             `json:"type"`
	Role         string             `json:"role"`
	Model        string             `json:"model,omitempty"`
	Content      []anthropicContent `json:"content"`
	StopReason   *string            `json:"stop_reason"`
	StopSequence *string            `json:"stop_sequence"`
	Usage        anthropicUsage     `json:"usage"`
}

type anthropicContent struct {
	Type string `json:"type"`
	Text string `json:"text,omitempty"`
	// Thinking and Signature fill a thinking block, ID, Name and Input a
	// tool_use block (Claude Code logs with Options.ContentBytes).
	Thinking  string            `json:"thinking,omitempty"`
	Signature string            `json:"signature,omitempty"`
	ID        string            `json:"id,omitempty"`
	Name      string            `json:"name,omitempty"`
	Input     map[string]string `json:"input,omitempty"`
}

// anthropicUsage is Messages usage: input_tokens EXCLUDES cache reads and
// writes, and cache_creation splits writes by TTL (https://platform.claude.com/docs/en/build-with-claude/prompt-caching).
type anthropicUsage struct {
	InputTokens              int64 `json:"input_tokens"`
	CacheCreationInputTokens int64 `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int64 `json:"cache_read_input_tokens"`
	CacheCreation            struct {
		Ephemeral5m int64 `json:"ephemeral_5m_input_tokens"`
		Ephemeral1h int64 `json:"ephemeral_1h_input_tokens"`
	} `json:"cache_creation"`
	OutputTokens int64  `json:"output_tokens"`
	ServiceTier  string `json:"service_tier"`
}

type anthropicError struct {
	Type  string             `json:"type"`
	Error anthropicErrorBody `json:"error"`
}

type anthropicErrorBody struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

func anthropicUsageOf(r *audit.Record, tier string) anthropicUsage {
	u := anthropicUsage{InputTokens: r.InputTokens, CacheCreationInputTokens: r.CacheWrite5mTokens + r.CacheWrite1hTokens,
		CacheReadInputTokens: r.CacheReadTokens, OutputTokens: r.OutputTokens, ServiceTier: tier}
	u.CacheCreation.Ephemeral5m = r.CacheWrite5mTokens
	u.CacheCreation.Ephemeral1h = r.CacheWrite1hTokens
	return u
}

func anthropicMessage(e *Event, r *audit.Record) anthropicMessageObject {
	tier := "standard"
	if e.Flow.Mode == "batch" {
		tier = "batch"
	}
	return anthropicMessageObject{
		ID: "msg_01" + hexID(e.ID), Type: "message", Role: "assistant", Model: r.Model,
		Content:    []anthropicContent{{Type: "text", Text: placeholder}},
		StopReason: finishReason(e, r, "end_turn", "max_tokens"),
		Usage:      anthropicUsageOf(r, tier),
	}
}

type anthropicBatchResult struct {
	CustomID string                `json:"custom_id"`
	Result   anthropicBatchOutcome `json:"result"`
}

type anthropicBatchOutcome struct {
	Type    string                  `json:"type"`
	Message *anthropicMessageObject `json:"message,omitempty"`
	Error   *anthropicBatchError    `json:"error,omitempty"`
}

type anthropicBatchError struct {
	Type      string             `json:"type"`
	Error     anthropicErrorBody `json:"error"`
	RequestID string             `json:"request_id"`
}

func anthropicBatchLine(e *Event, r *audit.Record) anthropicBatchResult {
	out := anthropicBatchResult{CustomID: customID(e, r)}
	switch r.Status {
	case audit.StatusError:
		out.Result = anthropicBatchOutcome{Type: "errored", Error: &anthropicBatchError{Type: "error",
			Error: anthropicErrorBody{Type: "invalid_request_error", Message: "prompt is too long"}, RequestID: "req_011" + hexID(mix(e.ID))}}
	case audit.StatusExpired:
		out.Result = anthropicBatchOutcome{Type: "expired"}
	case audit.StatusCancelled:
		out.Result = anthropicBatchOutcome{Type: "canceled"}
	default:
		m := anthropicMessage(e, r)
		out.Result = anthropicBatchOutcome{Type: "succeeded", Message: &m}
	}
	return out
}

// ---- OpenTelemetry ----

type otelTracesData struct {
	ResourceSpans []otelResourceSpans `json:"resourceSpans"`
}

type otelResourceSpans struct {
	Resource   otelResource     `json:"resource"`
	ScopeSpans []otelScopeSpans `json:"scopeSpans"`
}

type otelResource struct {
	Attributes []otelAttr `json:"attributes"`
}

type otelScopeSpans struct {
	Scope otelScope  `json:"scope"`
	Spans []otelSpan `json:"spans"`
}

type otelScope struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type otelSpan struct {
	TraceID           string     `json:"traceId"`
	SpanID            string     `json:"spanId"`
	Name              string     `json:"name"`
	Kind              int        `json:"kind"`
	StartTimeUnixNano string     `json:"startTimeUnixNano"`
	EndTimeUnixNano   string     `json:"endTimeUnixNano"`
	Attributes        []otelAttr `json:"attributes"`
	Status            otelStatus `json:"status"`
}

type otelStatus struct {
	Code    int    `json:"code"`
	Message string `json:"message,omitempty"`
}

type otelAttr struct {
	Key   string    `json:"key"`
	Value otelValue `json:"value"`
}

// otelValue is an OTLP AnyValue; int64 values are decimal strings as the
// OTLP JSON mapping requires.
type otelValue struct {
	StringValue *string        `json:"stringValue,omitempty"`
	BoolValue   *bool          `json:"boolValue,omitempty"`
	IntValue    string         `json:"intValue,omitempty"`
	DoubleValue *float64       `json:"doubleValue,omitempty"`
	ArrayValue  *otelArrayVals `json:"arrayValue,omitempty"`
}

type otelArrayVals struct {
	Values []otelValue `json:"values"`
}

func strAttr(k, v string) otelAttr { return otelAttr{Key: k, Value: otelValue{StringValue: &v}} }
func intAttr(k string, v int64) otelAttr {
	return otelAttr{Key: k, Value: otelValue{IntValue: strconv.FormatInt(v, 10)}}
}
func boolAttr(k string, v bool) otelAttr { return otelAttr{Key: k, Value: otelValue{BoolValue: &v}} }
func doubleAttr(k string, v float64) otelAttr {
	return otelAttr{Key: k, Value: otelValue{DoubleValue: &v}}
}

// otelProviderName maps a provider to its gen_ai.provider.name value.
func otelProviderName(p string) string {
	if p == "google" {
		return "gcp.gemini"
	}
	return p
}

// otelLine is one span per TracesData line. gen_ai.usage.input_tokens
// INCLUDES cache reads and writes (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/).
func otelLine(e *Event, r *audit.Record, badTS string) otelTracesData {
	res := []otelAttr{strAttr("service.name", r.Workflow)}
	if r.Team != "" {
		res = append(res, strAttr("service.namespace", r.Team))
	}
	writes := r.CacheWrite5mTokens + r.CacheWrite1hTokens
	name := "chat"
	attrs := []otelAttr{strAttr("gen_ai.operation.name", "chat"), strAttr("gen_ai.provider.name", otelProviderName(r.Provider))}
	if r.Model != "" {
		name += " " + r.Model
		attrs = append(attrs, strAttr("gen_ai.request.model", r.Model))
	}
	if r.MaxTokens > 0 {
		attrs = append(attrs, intAttr("gen_ai.request.max_tokens", r.MaxTokens))
	}
	if r.Mode != "" {
		attrs = append(attrs, boolAttr("gen_ai.request.stream", r.Mode == pricing.ModeStream))
	}
	attrs = append(attrs, strAttr("gen_ai.response.id", requestID(e.ID)))
	if r.Model != "" {
		attrs = append(attrs, strAttr("gen_ai.response.model", r.Model))
	}
	attrs = append(attrs,
		intAttr("gen_ai.usage.input_tokens", r.InputTokens+r.CacheReadTokens+writes),
		intAttr("gen_ai.usage.output_tokens", r.OutputTokens),
		intAttr("gen_ai.usage.cache_read.input_tokens", r.CacheReadTokens))
	if writes > 0 {
		attrs = append(attrs, intAttr("gen_ai.usage.cache_creation.input_tokens", writes))
	}
	if r.ReasoningTokens > 0 {
		attrs = append(attrs, intAttr("gen_ai.usage.reasoning.output_tokens", r.ReasoningTokens))
	}
	if r.TTFTMS >= 0 {
		attrs = append(attrs, doubleAttr("gen_ai.response.time_to_first_chunk", float64(r.TTFTMS)/1000))
	}
	status := otelStatus{}
	if r.Status == audit.StatusError {
		attrs = append(attrs, strAttr("error.type", "server_error"))
		status = otelStatus{Code: 2, Message: "server_error"}
	} else if fr := finishReason(e, r, "stop", "length"); fr != nil {
		attrs = append(attrs, otelAttr{Key: "gen_ai.response.finish_reasons", Value: otelValue{ArrayValue: &otelArrayVals{Values: []otelValue{{StringValue: fr}}}}})
	}
	dur := time.Second
	if r.LatencyMS >= 0 {
		dur = time.Duration(r.LatencyMS) * time.Millisecond
	}
	start, end := unixNanos(r.TS), unixNanos(r.TS.Add(dur))
	if badTS != "" {
		start = badTS
	}
	return otelTracesData{ResourceSpans: []otelResourceSpans{{
		Resource: otelResource{Attributes: res},
		ScopeSpans: []otelScopeSpans{{
			Scope: otelScope{Name: "opentelemetry.instrumentation.genai", Version: "0.4b0"},
			Spans: []otelSpan{{
				TraceID: hexID(e.ID) + hexID(mix(e.ID)), SpanID: hexID(mix(e.ID ^ 0x5bd1e995)), Name: name, Kind: 3,
				StartTimeUnixNano: start, EndTimeUnixNano: end, Attributes: attrs, Status: status,
			}},
		}},
	}}}
}

// ---- LiteLLM ----

type liteLLMSpendLog struct {
	RequestID           string          `json:"request_id"`
	CallType            string          `json:"call_type"`
	APIKey              string          `json:"api_key"`
	Spend               float64         `json:"spend"`
	TotalTokens         int64           `json:"total_tokens"`
	PromptTokens        int64           `json:"prompt_tokens"`
	CompletionTokens    int64           `json:"completion_tokens"`
	StartTime           string          `json:"startTime"`
	EndTime             string          `json:"endTime"`
	RequestDurationMS   int64           `json:"request_duration_ms"`
	CompletionStartTime *string         `json:"completionStartTime"`
	Model               string          `json:"model,omitempty"`
	ModelID             string          `json:"model_id"`
	ModelGroup          string          `json:"model_group,omitempty"`
	CustomLLMProvider   string          `json:"custom_llm_provider"`
	APIBase             string          `json:"api_base"`
	User                string          `json:"user"`
	Metadata            liteLLMMetadata `json:"metadata"`
	CacheHit            string          `json:"cache_hit"`
	CacheKey            string          `json:"cache_key"`
	RequestTags         []string        `json:"request_tags"`
	TeamID              *string         `json:"team_id"`
	OrganizationID      *string         `json:"organization_id"`
	EndUser             string          `json:"end_user"`
	SessionID           string          `json:"session_id"`
	Status              string          `json:"status"`
}

type liteLLMMetadata struct {
	UserAPIKeyAlias       string               `json:"user_api_key_alias,omitempty"`
	UserAPIKeyTeamID      string               `json:"user_api_key_team_id,omitempty"`
	AdditionalUsageValues liteLLMAdditionalUse `json:"additional_usage_values"`
	Status                string               `json:"status"`
}

type liteLLMAdditionalUse struct {
	PromptTokensDetails struct {
		CachedTokens int64 `json:"cached_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionTokensDetails *struct {
		ReasoningTokens int64 `json:"reasoning_tokens"`
	} `json:"completion_tokens_details,omitempty"`
}

var liteLLMProviders = map[string][2]string{
	"openai":    {"openai", "https://api.openai.com/v1"},
	"anthropic": {"anthropic", "https://api.anthropic.com"},
	"google":    {"gemini", "https://generativelanguage.googleapis.com"},
	"deepseek":  {"deepseek", "https://api.deepseek.com"},
}

// liteLLMRow is a SpendLogs row. prompt_tokens INCLUDES cached tokens (the
// OpenAI convention LiteLLM normalizes to) and cache writes, which the row
// cannot tell apart from plain input.
func liteLLMRow(e *Event, r *audit.Record, badTS string) liteLLMSpendLog {
	prov, ok := liteLLMProviders[r.Provider]
	if !ok {
		prov = [2]string{r.Provider, ""}
	}
	prompt := r.InputTokens + r.CacheReadTokens + r.CacheWrite5mTokens + r.CacheWrite1hTokens
	end := r.TS
	if r.LatencyMS >= 0 {
		end = r.TS.Add(time.Duration(r.LatencyMS) * time.Millisecond)
	}
	status := "success"
	if r.Status == audit.StatusError {
		status = "failure"
	}
	spend, _ := decimal.RequireFromString(LoggedCost(r)).Float64()
	row := liteLLMSpendLog{
		RequestID: "chatcmpl-" + hexID(e.ID), CallType: "acompletion",
		APIKey: hexID(mix(uint64(e.FlowIndex))) + hexID(mix(uint64(e.FlowIndex)+1)) + hexID(mix(uint64(e.FlowIndex)+2)) + hexID(mix(uint64(e.FlowIndex)+3)),
		Spend:  spend, TotalTokens: prompt + r.OutputTokens, PromptTokens: prompt, CompletionTokens: r.OutputTokens,
		StartTime: tsString(r.TS, badTS), EndTime: end.UTC().Format(tsLayout), RequestDurationMS: end.Sub(r.TS).Milliseconds(),
		Model: r.Model, ModelID: hexID(mix(uint64(e.FlowIndex) + 99))[:8], ModelGroup: r.Model,
		CustomLLMProvider: prov[0], APIBase: prov[1], User: "",
		CacheHit: "False", RequestTags: []string{"workflow:" + r.Workflow},
		Status: status,
	}
	if r.TTFTMS >= 0 {
		s := r.TS.Add(time.Duration(r.TTFTMS) * time.Millisecond).UTC().Format(tsLayout)
		row.CompletionStartTime = &s
	}
	row.Metadata = liteLLMMetadata{UserAPIKeyAlias: r.Workflow, UserAPIKeyTeamID: r.Team, Status: status}
	row.Metadata.AdditionalUsageValues.PromptTokensDetails.CachedTokens = r.CacheReadTokens
	if r.ReasoningTokens > 0 {
		row.Metadata.AdditionalUsageValues.CompletionTokensDetails = &struct {
			ReasoningTokens int64 `json:"reasoning_tokens"`
		}{r.ReasoningTokens}
	}
	if r.Team != "" {
		t := r.Team
		row.TeamID = &t
	}
	for _, k := range sortedKeys(r.Tags) {
		row.RequestTags = append(row.RequestTags, k+":"+r.Tags[k])
	}
	return row
}
