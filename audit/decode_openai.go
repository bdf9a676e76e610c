package audit

import (
	"encoding/json"
	"time"

	"github.com/costaudit/costaudit/pricing"
)

// OpenAI adapters: logged Chat Completions and Responses objects (bare or
// in the metadata wrapper, see decode_wrapper.go), streamed chunks, and
// Batch API output and error files.

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
}

type openaiDecoder struct{ env envelope }

func newOpenAIDecoder(*worker) decoder { return &openaiDecoder{} }

func (d *openaiDecoder) decode(w *worker, item []byte) {
	if !parseEnvelope(w, item, &d.env) {
		return
	}
	var o oaiObject
	if err := unmarshalFast(d.env.body, &o); err != nil {
		w.reject("", firstBytes(item), ReasonInvalidJSON, err.Error())
		return
	}
	if o.Object == "" && (o.Type == "message" || o.Type == "error") {
		// An Anthropic response in a file of OpenAI responses: teams that
		// log both providers through one wrapper write them side by side.
		w.decoderFor(formatByName(FormatAnthropic)).decode(w, item)
		return
	}
	if o.Object == "chat.completion.chunk" && o.Usage == nil {
		// A streamed chunk without usage: only the final chunk (with
		// stream_options.include_usage) carries the request's tokens.
		w.skip()
		return
	}
	r := w.newRecord()
	r.Provider = "openai"
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
	if o.Object == "chat.completion.chunk" {
		r.Mode = pricing.ModeStream
	}
	r.Mode = tierMode(o.ServiceTier, r.Mode)
	switch o.Status {
	case "failed":
		r.Status = StatusError
	case "cancelled":
		r.Status = StatusCancelled
	}
	if wf, ok := o.Metadata["workflow"].(string); ok {
		r.Workflow = w.intern.get([]byte(wf))
	} else if !d.env.wrapped {
		r.Workflow = w.intern.get([]byte(w.file.stem))
	}
	if o.Model != "" {
		r.Model = w.intern.get([]byte(o.Model))
	}
	if o.Usage == nil {
		if len(o.Error) == 0 || isNull(o.Error) {
			w.reject("usage", nil, reasonMissing("usage"), "the response has no usage object")
			return
		}
		r.Status = StatusError
	} else if !openaiUsage(w, o.Usage, r) {
		return
	}
	if !d.env.apply(w, r) {
		return
	}
	if r.Model == "" {
		w.reject("model", nil, reasonMissing("model"), "")
		return
	}
	if finishVendor(w, item, r) {
		w.emit(r)
	}
}

// openaiUsage normalizes an OpenAI usage object into disjoint buckets.
//
// Rule (provider-facts §1.2): Chat Completions prompt_tokens and Responses
// input_tokens INCLUDE the cached tokens (prompt_tokens_details /
// input_tokens_details .cached_tokens) and the cache writes
// (.cache_write_tokens, SDK 2.45.0+), so uncached input = total − cached −
// written. Cache writes go to the 5-minute bucket: OpenAI has one write
// price (1.25× input where billed), which the OpenAI price book puts there.
// completion_tokens / output_tokens include reasoning tokens, which are an
// informational subset.
func openaiUsage(w *worker, u *oaiUsage, r *Record) bool {
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
	if odet != nil {
		r.ReasoningTokens = count(w, odetName+".reasoning_tokens", odet.ReasoningTokens, &ok)
	}
	if !ok {
		return false
	}
	if in == nil && out == nil {
		w.reject("usage", nil, reasonMissing("tokens"), "usage has neither prompt/input nor completion/output tokens")
		return false
	}
	r.InputTokens = total - r.CacheReadTokens - r.CacheWrite5mTokens
	if r.InputTokens < 0 {
		w.reject(inName, in, ReasonBadValue, "fewer prompt tokens than cached tokens")
		return false
	}
	return true
}

// tierMode maps an echoed service tier to a delivery mode (provider-facts
// §1.3: the response echoes the tier actually used; "fast" comes back as
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
func oaiCreated(w *worker, prefix string, o *oaiObject) (ts time.Time, ok bool) {
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
		w.reject(prefix+name, v, ReasonBadTimestamp, detail)
		return time.Time{}, false
	}
	return ts, true
}

// oaiBatchLine is one line of a Batch API output or error file
// (provider-facts §1.1).
type oaiBatchLine struct {
	ID       string `json:"id"`
	CustomID string `json:"custom_id"`
	Response *struct {
		StatusCode int             `json:"status_code"`
		RequestID  string          `json:"request_id"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// openaiBatchDecoder reads Batch API output and error lines. They are not
// wrapped (their own "response" member would clash with the wrapper's).
type openaiBatchDecoder struct{}

func newOpenAIBatchDecoder(*worker) decoder { return &openaiBatchDecoder{} }

func (d *openaiBatchDecoder) decode(w *worker, item []byte) {
	var l oaiBatchLine
	if err := unmarshalFast(item, &l); err != nil {
		w.reject("", firstBytes(item), ReasonInvalidJSON, err.Error())
		return
	}
	if l.CustomID == "" && l.ID == "" {
		w.reject("custom_id", nil, reasonMissing("custom_id"), "not a Batch API output line")
		return
	}
	r := w.newRecord()
	r.Provider = "openai"
	r.Mode = pricing.ModeBatch
	// The request id of a completed request is the API's request_id; lines
	// of the error file have only the batch line id.
	r.RequestID = l.ID
	if l.Response != nil && l.Response.RequestID != "" {
		r.RequestID = l.Response.RequestID
	}
	r.Workflow = w.intern.get([]byte(batchWorkflow(l.CustomID, w.file)))
	// Error-file lines and non-200 responses are not billed; an expired
	// request (code batch_expired) is written to the error file
	// (provider-facts §1.1).
	switch {
	case l.Response != nil && l.Response.StatusCode == 200 && len(l.Response.Body) > 0:
		var o oaiObject
		if err := unmarshalFast(l.Response.Body, &o); err != nil {
			w.reject("response.body", firstBytes(l.Response.Body), ReasonInvalidJSON, err.Error())
			return
		}
		r.Model = w.intern.get([]byte(o.Model))
		ts, ok := oaiCreated(w, "response.body.", &o)
		if !ok {
			return
		}
		r.TS = ts
		if o.Usage == nil {
			w.reject("response.body.usage", nil, reasonMissing("usage"), "")
			return
		}
		if !openaiUsage(w, o.Usage, r) {
			return
		}
	case l.Error != nil && l.Error.Code == "batch_expired":
		r.Status = StatusExpired
	default:
		r.Status = StatusError
		if l.Response != nil && len(l.Response.Body) > 0 {
			var o oaiObject
			if unmarshalFast(l.Response.Body, &o) == nil && o.Model != "" {
				r.Model = w.intern.get([]byte(o.Model))
			}
		}
	}
	if r.TS.IsZero() {
		// No created (error-file lines never have one): the output and
		// error files are written when the batch ends, within its
		// completion window of the request, so the file's modification
		// time stands in. A created that is present but not a time was
		// rejected above.
		r.TS, r.TSFromFile = w.file.modTime, true
	}
	if r.Status == StatusOK && r.Model == "" {
		w.reject("model", nil, reasonMissing("model"), "")
		return
	}
	if finishVendor(w, item, r) {
		w.emit(r)
	}
}
