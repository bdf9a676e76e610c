package decode

import (
	"encoding/json"
	"maps"
	"strings"
	"time"

	"github.com/costaudit/costaudit/audit/internal/fast"
	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// FormatOpenAI is logged OpenAI (and OpenAI-compatible) responses.
const FormatOpenAI = "openai"

var openAIFormat = &Format{Name: FormatOpenAI, Detect: detectOpenAI, New: newOpenAIDecoder}

// detectOpenAI recognizes a completion or response object (rank 110), or
// a usage object with OpenAI's field names (rank 150).
func detectOpenAI(p *probe) int {
	switch p.innerStr("object") {
	case "chat.completion", "chat.completion.chunk", "response", "text_completion":
		return 110
	}
	if p.innerContains("usage", `"prompt_tokens"`) || p.innerContains("usage", `"input_tokens_details"`) {
		return 150
	}
	return 0
}

// OpenAI adapters: logged Chat Completions and Responses objects (bare or
// in the metadata wrapper, see wrapper.go) and streamed chunks; the
// Batch API files are openai_batch.go.

// oaiUsage holds both usage shapes: Chat Completions (prompt_tokens,
// completion_tokens) and Responses (input_tokens, output_tokens).
type oaiUsage struct {
	PromptTokens     json.RawMessage `json:"prompt_tokens"`
	CompletionTokens json.RawMessage `json:"completion_tokens"`
	InputTokens      json.RawMessage `json:"input_tokens"`
	OutputTokens     json.RawMessage `json:"output_tokens"`
	PromptDetails    *oaiInDetails   `json:"prompt_tokens_details"`
	InputDetails     *oaiInDetails   `json:"input_tokens_details"`
	CompletionDetail *oaiOutDetails  `json:"completion_tokens_details"`
	OutputDetails    *oaiOutDetails  `json:"output_tokens_details"`
	// DeepSeek's own cache counts (api-docs.deepseek.com/api/create-chat-completion):
	// prompt_tokens = prompt_cache_hit_tokens + prompt_cache_miss_tokens.
	CacheHitTokens json.RawMessage `json:"prompt_cache_hit_tokens"`
	// Cost is the cost OpenRouter (openrouter.ai/docs/use-cases/usage-accounting)
	// and other gateways add to the usage object, in USD (OpenRouter
	// credits are dollars).
	Cost json.RawMessage `json:"cost"`
}

type oaiInDetails struct {
	CachedTokens     json.RawMessage `json:"cached_tokens"`
	CacheWriteTokens json.RawMessage `json:"cache_write_tokens"`
}

type oaiOutDetails struct {
	ReasoningTokens json.RawMessage `json:"reasoning_tokens"`
}

// oaiObject is a Chat Completion, a chunk, or a Responses object.
type oaiObject struct {
	ID          string          `json:"id"`
	Object      string          `json:"object"`
	Type        string          `json:"type"`
	Created     json.RawMessage `json:"created"`
	CreatedAt   json.RawMessage `json:"created_at"`
	Model       string          `json:"model"`
	ServiceTier string          `json:"service_tier"`
	Status      string          `json:"status"`
	Usage       *oaiUsage       `json:"usage"`
	Error       json.RawMessage `json:"error"`
	Metadata    map[string]any  `json:"metadata"`
	// Provider is the upstream OpenRouter routed the request to
	// ("OpenAI", "Anthropic", "DeepInfra", ...).
	Provider string `json:"provider"`
}

// oaiChunkChoices is read only from streamed chunks without usage, to find
// the one that ends the stream (kept out of oaiObject so that the choices
// of every other response are skipped, not decoded).
type oaiChunkChoices struct {
	Choices []struct {
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
}

type openaiDecoder struct {
	env envelope
	// prov caches the provider inferred from each (interned) model name.
	prov map[string]string
	// held is the record of a stream's finish_reason chunk, waiting for
	// its usage chunk (see decode).
	held   record.Record
	heldOK bool
}

func newOpenAIDecoder() Decoder { return &openaiDecoder{prov: map[string]string{}} }

// provider returns openaiCompatProvider(model), cached.
func (d *openaiDecoder) provider(model string) string {
	p, ok := d.prov[model]
	if !ok {
		p = openaiCompatProvider(model)
		if len(d.prov) < 4096 {
			d.prov[model] = p
		}
	}
	return p
}

func (d *openaiDecoder) Decode(w *State, item []byte) {
	if !parseEnvelope(w, item, &d.env) {
		return
	}
	var o oaiObject
	if err := unmarshalFast(d.env.body, &o); err != nil {
		w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		return
	}
	hasError := len(o.Error) > 0 && !isNull(o.Error)
	if o.Object == "" && (o.Type == "message" || o.Type == "message_start" || (o.Type == "error" && hasError)) {
		// An Anthropic response in a file of OpenAI responses: teams that
		// log both providers through one wrapper write them side by side.
		w.decoderFor(anthropicFormat).Decode(w, item)
		return
	}
	if o.Object == "" && o.Type == "error" {
		// A Responses stream "error" event: the request it ended is the
		// response.failed event that follows.
		w.skip()
		return
	}
	event := ""
	if d.env.wrapped && d.env.vals[cfTS] == nil {
		// A Responses API streaming event ({"type":"response.completed",
		// "sequence_number":…, "response":{…}}) looks like a wrapper
		// without a ts (the metadata wrapper nearly always has one, so
		// its lines are not searched again).
		if t, ok := lookupKey(item, "type"); ok {
			if s, ok := unquote(t); ok && strings.HasPrefix(string(s), "response.") {
				event = string(s)
			}
		}
	} else if strings.HasPrefix(o.Type, "response.") {
		event = o.Type
	}
	if event != "" {
		// Rule (platform.openai.com/docs/api-reference/responses-streaming):
		// only response.completed, response.incomplete and response.failed
		// carry the final Response with its usage; every other event
		// (created, in_progress, output_text.delta, ...) holds no request.
		switch event {
		case "response.completed", "response.incomplete", "response.failed":
		default:
			w.skip()
			return
		}
	}
	unknownTokens := event != "" && o.Usage == nil && (len(o.Error) == 0 || isNull(o.Error))
	if o.Object == "chat.completion.chunk" && o.Usage == nil {
		// A streamed chunk without usage: only the final chunk (with
		// stream_options.include_usage) carries the request's tokens.
		// The chunk with the finish_reason ends the stream's content: its
		// record, whose tokens are unknown, is held; the usage chunk of the
		// same id that follows (include_usage) replaces it, and without one
		// (a stream logged without include_usage) it is emitted when the
		// next response comes or the chunk ends.
		finished := false
		var cc oaiChunkChoices
		unmarshalFast(d.env.body, &cc)
		for _, c := range cc.Choices {
			if c.FinishReason != nil && *c.FinishReason != "" {
				finished = true
			}
		}
		if !finished {
			w.skip()
			return
		}
		unknownTokens = true
	}
	r := w.newRecord()
	model := w.intern.get([]byte(o.Model))
	r.Provider = d.provider(model)
	gateway := openaiGateway(&o, r.Provider)
	// The wrapper's ts, when given, wins over the body's created (and a
	// bad created is not read); a bare object needs a valid one.
	if v := d.env.vals[cfTS]; !d.env.wrapped || v == nil || isNull(v) {
		ts, ok := oaiCreated(w, "", &o)
		if !ok {
			return
		}
		r.TS = ts
	}
	r.RequestID = o.ID
	if o.Object == "chat.completion.chunk" || event != "" {
		r.Mode = pricing.ModeStream
	}
	r.Mode = tierMode(o.ServiceTier, r.Mode)
	switch o.Status {
	case "failed":
		r.Status = record.StatusError
	case "cancelled":
		r.Status = record.StatusCancelled
	}
	if event == "response.failed" {
		r.Status = record.StatusError
	}
	if wf, ok := o.Metadata["workflow"].(string); ok {
		r.Workflow = w.intern.get([]byte(wf))
	} else if !d.env.wrapped || event != "" {
		r.Workflow = w.intern.get([]byte(w.file.Stem))
	}
	r.Model = model
	switch {
	case unknownTokens:
		r.TokensUnknown = true
	case o.Usage == nil:
		if len(o.Error) == 0 || isNull(o.Error) {
			w.reject("usage", nil, record.ReasonMissing("usage"), "the response has no usage object")
			return
		}
		r.Status = record.StatusError
	default:
		if !openaiUsage(w, o.Usage, r) {
			return
		}
		if v := o.Usage.Cost; v != nil && !isNull(v) {
			c, ok := exactDecimal(v)
			if !ok {
				w.reject("usage.cost", v, record.ReasonBadValue, "want a number")
				return
			}
			r.LoggedCostUSD = c
		}
	}
	if event != "" {
		// The event's "response" is the vendor object, not the metadata
		// wrapper: nothing else of the event applies.
		d.env.wrapped = false
	}
	if !d.env.apply(w, r) {
		return
	}
	if gateway != "" {
		addTag(w, r, "gateway", gateway)
	}
	if r.Model == "" {
		w.reject("model", nil, record.ReasonMissing("model"), "")
		return
	}
	if !finishVendor(w, item, r) {
		return
	}
	if d.heldOK {
		if d.held.RequestID != "" && d.held.RequestID == r.RequestID && !unknownTokens {
			// The usage chunk of the held stream: that line is the
			// request; the finish_reason chunk holds nothing more.
			d.heldOK = false
			w.settleSkip()
		} else {
			d.EndChunk(w)
		}
	}
	if unknownTokens && o.Object == "chat.completion.chunk" {
		d.held, d.heldOK = *r, true
		d.held.Tags = maps.Clone(r.Tags)
		w.hold()
		return
	}
	w.emit(r)
}

// endChunk emits the held record of a stream whose usage chunk did not
// follow.
func (d *openaiDecoder) EndChunk(w *State) {
	if d.heldOK {
		d.heldOK = false
		w.emitHeld(&d.held)
	}
}

// openaiUsage normalizes an OpenAI usage object into disjoint buckets.
//
// Rule (https://github.com/openai/openai-python/blob/main/src/openai/types/completion_usage.py): Chat Completions prompt_tokens and Responses
// input_tokens INCLUDE the cached tokens (prompt_tokens_details /
// input_tokens_details .cached_tokens) and the cache writes
// (.cache_write_tokens, SDK 2.45.0+), so uncached input = total − cached −
// written. Cache writes go to the 5-minute bucket: OpenAI has one write
// price (1.25× input where billed), which the OpenAI price book puts there.
// completion_tokens / output_tokens include reasoning tokens, which are an
// informational subset.
func openaiUsage(w *State, u *oaiUsage, r *record.Record) bool {
	ok := true
	// Chat Completions names, else Responses names.
	in, out, det, odet := u.PromptTokens, u.CompletionTokens, u.PromptDetails, u.CompletionDetail
	inName, outName, detName, odetName := "usage.prompt_tokens", "usage.completion_tokens", "usage.prompt_tokens_details", "usage.completion_tokens_details"
	if in == nil && out == nil {
		in, out = u.InputTokens, u.OutputTokens
		inName, outName = "usage.input_tokens", "usage.output_tokens"
	}
	if det == nil {
		det, detName = u.InputDetails, "usage.input_tokens_details"
	}
	if odet == nil {
		odet, odetName = u.OutputDetails, "usage.output_tokens_details"
	}
	total := count(w, inName, in, &ok)
	r.OutputTokens = count(w, outName, out, &ok)
	if det != nil {
		r.CacheReadTokens = count(w, detName+".cached_tokens", det.CachedTokens, &ok)
		r.CacheWrite5mTokens = count(w, detName+".cache_write_tokens", det.CacheWriteTokens, &ok)
	}
	if (det == nil || det.CachedTokens == nil) && u.CacheHitTokens != nil {
		// DeepSeek without prompt_tokens_details: its hit count is the
		// cached part of prompt_tokens.
		r.CacheReadTokens = count(w, "usage.prompt_cache_hit_tokens", u.CacheHitTokens, &ok)
	}
	if odet != nil {
		r.ReasoningTokens = count(w, odetName+".reasoning_tokens", odet.ReasoningTokens, &ok)
	}
	if !ok {
		return false
	}
	if in == nil && out == nil {
		w.reject("usage", nil, record.ReasonMissing("tokens"), "usage has neither prompt/input nor completion/output tokens")
		return false
	}
	r.InputTokens = total - r.CacheReadTokens - r.CacheWrite5mTokens
	if r.InputTokens < 0 {
		w.reject(inName, in, record.ReasonBadValue, "fewer prompt tokens than cached tokens")
		return false
	}
	return true
}

// tierMode maps an echoed service tier to a delivery mode
// (https://platform.openai.com/docs/api-reference/chat/object: the response echoes the tier actually used; "fast" comes back as
// "priority").
func tierMode(tier string, def pricing.Mode) pricing.Mode {
	switch tier {
	case "flex":
		return pricing.ModeFlex
	case "priority", "fast":
		return pricing.ModePriority
	case "batch":
		return pricing.ModeBatch
	}
	return def
}

// oaiCreated returns the time of an OpenAI object: its created (Chat
// Completions) or, without one, its created_at (Responses), both Unix
// seconds (RFC 3339 text and larger Unix units are read as in the
// canonical format). The time is zero when neither is given or both are
// null; ok is false after rejecting a value that is not a time after 1970,
// named with prefix.
func oaiCreated(w *State, prefix string, o *oaiObject) (ts time.Time, ok bool) {
	name, v := "created", o.Created
	if v == nil || isNull(v) {
		name, v = "created_at", o.CreatedAt
	}
	if v == nil || isNull(v) {
		return time.Time{}, true
	}
	ts, ok = timestampValue(v)
	if !ok || ts.Unix() <= 0 {
		detail := ""
		if ok {
			detail = "not after 1970-01-01T00:00:00Z"
		}
		w.reject(prefix+name, v, record.ReasonBadTimestamp, detail)
		return time.Time{}, false
	}
	return ts, true
}

// openaiCompatProvider infers the provider of a response in the OpenAI
// format from its model: OpenAI-compatible APIs (DeepSeek, xAI, Mistral,
// Together, ...) and gateways (OpenRouter, LiteLLM, Portkey) answer in this
// format for every provider. A "provider/model" name (OpenRouter's
// "anthropic/claude-sonnet-4.5") names it; well-known model families name
// theirs; any other model (including open-weight families such as
// "meta-llama/…" that many hosts serve) is left without a provider, so the price books
// infer it from the model name (or report it unpriced with the reason).
func openaiCompatProvider(model string) string {
	m := strings.ToLower(strings.TrimSpace(model))
	if i := strings.IndexByte(m, '/'); i > 0 {
		switch p := m[:i]; p {
		case "openai", "anthropic", "google", "deepseek", "mistral", "mistralai", "x-ai", "xai", "azure", "bedrock", "vertex", "vertex_ai", "gemini":
			return otelProvider(canonGatewayPrefix(p))
		}
		return ""
	}
	switch {
	case strings.HasPrefix(m, "gpt-"), strings.HasPrefix(m, "chatgpt-"), strings.HasPrefix(m, "o1"),
		strings.HasPrefix(m, "o3"), strings.HasPrefix(m, "o4"), strings.HasPrefix(m, "codex-"),
		strings.HasPrefix(m, "text-embedding-"), strings.HasPrefix(m, "davinci"), strings.HasPrefix(m, "babbage"),
		strings.HasPrefix(m, "omni-moderation"), strings.HasPrefix(m, "computer-use"):
		return "openai"
	case strings.HasPrefix(m, "deepseek"):
		return "deepseek"
	case strings.HasPrefix(m, "claude"):
		return "anthropic"
	case strings.HasPrefix(m, "gemini"):
		return "google"
	case strings.HasPrefix(m, "grok"):
		return "xai"
	case strings.HasPrefix(m, "mistral"), strings.HasPrefix(m, "mixtral"), strings.HasPrefix(m, "codestral"),
		strings.HasPrefix(m, "ministral"), strings.HasPrefix(m, "magistral"), strings.HasPrefix(m, "pixtral"),
		strings.HasPrefix(m, "devstral"):
		return "mistral"
	}
	return ""
}

// canonGatewayPrefix maps the provider prefixes of gateway model names to
// the provider ids otelProvider knows.
func canonGatewayPrefix(p string) string {
	switch p {
	case "mistralai":
		return "mistral"
	case "x-ai":
		return "xai"
	case "vertex_ai":
		return "vertex"
	case "gemini":
		return "google"
	}
	return p
}

// openaiGateway names the gateway that answered in the OpenAI format for
// another provider, kept as the "gateway" tag: "openrouter" for OpenRouter
// responses (ids "gen-…", or a provider prefix with the upstream named in
// "provider"), "openai-compatible" for other non-OpenAI models.
func openaiGateway(o *oaiObject, provider string) string {
	switch {
	case strings.HasPrefix(o.ID, "gen-"), o.Provider != "" && strings.Contains(o.Model, "/"):
		return "openrouter"
	case provider != "" && provider != "openai":
		return "openai-compatible"
	}
	return ""
}

// addTag sets tag k on r unless r already has it (a wrapper's tag wins).
// Wrapper tag maps are shared between the records of equal tag text, so
// one that gains a tag is copied first.
func addTag(w *State, r *record.Record, k, v string) {
	switch {
	case r.Tags == nil:
		r.Tags = w.tagMap()
	case fast.SameMap(r.Tags, w.tags):
	default:
		if _, ok := r.Tags[k]; ok {
			return
		}
		r.Tags = maps.Clone(r.Tags)
	}
	if _, ok := r.Tags[k]; !ok {
		r.Tags[k] = v
	}
}
