package audit

import (
	"encoding/json"

	"github.com/costaudit/costaudit/pricing"
)

// Anthropic adapters: logged Messages responses (bare or in the metadata
// wrapper, see decode_wrapper.go) and Message Batches result files.
// Neither carries a timestamp: the wrapper's ts is used, else the file's
// modification time.

type antUsage struct {
	InputTokens              json.RawMessage `json:"input_tokens"`
	CacheCreationInputTokens json.RawMessage `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     json.RawMessage `json:"cache_read_input_tokens"`
	CacheCreation            *struct {
		Ephemeral5m json.RawMessage `json:"ephemeral_5m_input_tokens"`
		Ephemeral1h json.RawMessage `json:"ephemeral_1h_input_tokens"`
	} `json:"cache_creation"`
	OutputTokens json.RawMessage `json:"output_tokens"`
	ServiceTier  string          `json:"service_tier"`
}

type antMessage struct {
	ID     string          `json:"id"`
	Type   string          `json:"type"`
	Object string          `json:"object"`
	Model  string          `json:"model"`
	Usage  *antUsage       `json:"usage"`
	Error  json.RawMessage `json:"error"`
}

// anthropicUsage normalizes an Anthropic usage object into disjoint
// buckets.
//
// Rule (provider-facts §2.2): input_tokens EXCLUDES cached tokens; total
// input = input_tokens + cache_creation_input_tokens + cache_read_input_tokens.
// So input, cache reads and cache writes map one to one. Cache writes are
// split by TTL with the cache_creation breakdown (ephemeral_5m / ephemeral_1h);
// without it, cache_creation_input_tokens are 5-minute writes, the default
// TTL (§2.3). Should the breakdown sum to less than the total, the rest is
// counted as 5-minute writes so no token is lost. output_tokens includes
// thinking tokens (§2.2). usage.service_tier "batch" / "priority" sets the
// mode.
func anthropicUsage(w *worker, prefix string, u *antUsage, r *Record) bool {
	ok := true
	r.InputTokens = count(w, prefix+"input_tokens", u.InputTokens, &ok)
	r.CacheReadTokens = count(w, prefix+"cache_read_input_tokens", u.CacheReadInputTokens, &ok)
	created := count(w, prefix+"cache_creation_input_tokens", u.CacheCreationInputTokens, &ok)
	r.OutputTokens = count(w, prefix+"output_tokens", u.OutputTokens, &ok)
	if u.CacheCreation != nil {
		r.CacheWrite5mTokens = count(w, prefix+"cache_creation.ephemeral_5m_input_tokens", u.CacheCreation.Ephemeral5m, &ok)
		r.CacheWrite1hTokens = count(w, prefix+"cache_creation.ephemeral_1h_input_tokens", u.CacheCreation.Ephemeral1h, &ok)
	}
	if !ok {
		return false
	}
	if u.InputTokens == nil && u.OutputTokens == nil {
		w.reject(prefix[:len(prefix)-1], nil, reasonMissing("tokens"), "usage has neither input_tokens nor output_tokens")
		return false
	}
	if rest := created - r.CacheWrite5mTokens - r.CacheWrite1hTokens; rest > 0 {
		r.CacheWrite5mTokens += rest
	}
	r.Mode = tierMode(u.ServiceTier, r.Mode)
	return true
}

type anthropicDecoder struct{ env envelope }

func newAnthropicDecoder(*worker) decoder { return &anthropicDecoder{} }

func (d *anthropicDecoder) decode(w *worker, item []byte) {
	if !parseEnvelope(w, item, &d.env) {
		return
	}
	var m antMessage
	if err := unmarshalFast(d.env.body, &m); err != nil {
		w.reject("", firstBytes(item), ReasonInvalidJSON, err.Error())
		return
	}
	if m.Object != "" && m.Type != "message" && m.Type != "error" {
		// An OpenAI response in a file of Anthropic responses.
		w.decoderFor(formatByName(FormatOpenAI)).decode(w, item)
		return
	}
	r := w.newRecord()
	r.Provider = "anthropic"
	r.TS, r.TSFromFile = w.file.modTime, true
	r.RequestID = m.ID
	r.Model = w.intern.get([]byte(m.Model))
	if !d.env.wrapped {
		r.Workflow = w.intern.get([]byte(w.file.stem))
	}
	switch {
	case m.Type == "error":
		// A logged error response: the request failed and is not billed.
		r.Status = StatusError
	case m.Type != "" && m.Type != "message":
		// Stream events (message_start, message_delta, ...) would have to
		// be joined across lines; they are not a supported log shape.
		w.reject("type", []byte(m.Type), ReasonUnknownFormat, "log the final Message object, not stream events")
		return
	case m.Usage == nil:
		w.reject("usage", nil, reasonMissing("usage"), "the message has no usage object")
		return
	default:
		if !anthropicUsage(w, "usage.", m.Usage, r) {
			return
		}
	}
	if !d.env.apply(w, r) {
		return
	}
	if r.Model == "" && r.Status == StatusOK {
		w.reject("model", nil, reasonMissing("model"), "")
		return
	}
	if finishVendor(w, item, r) {
		w.emit(r)
	}
}

// antBatchLine is one line of a Message Batches results file
// (provider-facts §2.1).
type antBatchLine struct {
	CustomID string `json:"custom_id"`
	Result   *struct {
		Type    string      `json:"type"`
		Message *antMessage `json:"message"`
		Error   *struct {
			RequestID string `json:"request_id"`
		} `json:"error"`
	} `json:"result"`
}

type anthropicBatchDecoder struct{ env envelope }

func newAnthropicBatchDecoder(*worker) decoder { return &anthropicBatchDecoder{} }

func (d *anthropicBatchDecoder) decode(w *worker, item []byte) {
	if !parseEnvelope(w, item, &d.env) {
		return
	}
	var l antBatchLine
	if err := unmarshalFast(d.env.body, &l); err != nil {
		w.reject("", firstBytes(item), ReasonInvalidJSON, err.Error())
		return
	}
	if l.Result == nil {
		w.reject("result", nil, reasonMissing("result"), "not a Message Batches result line")
		return
	}
	r := w.newRecord()
	r.Provider = "anthropic"
	r.Mode = pricing.ModeBatch
	r.TS, r.TSFromFile = w.file.modTime, true
	r.Workflow = w.intern.get([]byte(batchWorkflow(l.CustomID, w.file)))
	// Results errored, canceled or expired are not billed (provider-facts
	// §2.1); only succeeded results carry usage.
	switch l.Result.Type {
	case "succeeded":
		m := l.Result.Message
		if m == nil || m.Usage == nil {
			w.reject("result.message.usage", nil, reasonMissing("usage"), "")
			return
		}
		r.RequestID = m.ID
		r.Model = w.intern.get([]byte(m.Model))
		if !anthropicUsage(w, "result.message.usage.", m.Usage, r) {
			return
		}
		r.Mode = pricing.ModeBatch
	case "errored":
		r.Status = StatusError
		if l.Result.Error != nil {
			r.RequestID = l.Result.Error.RequestID
		}
	case "canceled":
		r.Status = StatusCancelled
	case "expired":
		r.Status = StatusExpired
	default:
		w.reject("result.type", []byte(l.Result.Type), ReasonBadValue, "allowed: succeeded, errored, canceled, expired")
		return
	}
	if r.RequestID == "" && l.CustomID != "" {
		// custom_id is unique within a batch: with the batch id from the
		// file name it identifies the request across re-exports.
		if id := batchIDPattern.FindString(w.file.stem); id != "" {
			r.RequestID = id + "#" + l.CustomID
		}
	}
	if !d.env.apply(w, r) {
		return
	}
	if r.Status == StatusOK && r.Model == "" {
		w.reject("model", nil, reasonMissing("model"), "")
		return
	}
	if finishVendor(w, item, r) {
		w.emit(r)
	}
}
