package decode

import (
	"encoding/json"
	"maps"
	"strconv"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// FormatAnthropic is logged Anthropic Messages responses and stream events.
const FormatAnthropic = "anthropic"

var anthropicFormat = &Format{Name: FormatAnthropic, Detect: detectAnthropic, New: newAnthropicDecoder}

// detectAnthropic recognizes a message or message_start object (rank 120),
// or a usage object with Anthropic's cache field names (rank 160).
func detectAnthropic(p *probe) int {
	if t := p.innerStr("type"); t == "message" || t == "message_start" {
		return 120
	}
	if p.innerContains("usage", `"cache_creation_input_tokens"`) || p.innerContains("usage", `"cache_read_input_tokens"`) {
		return 160
	}
	return 0
}

// Anthropic adapters: logged Messages responses (bare or in the metadata
// wrapper, see wrapper.go) and their stream events; Message Batches result
// files are anthropic_batch.go. A response carries no timestamp: the
// wrapper's ts is used, else the file's modification time.

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
	// Iterations break a response into its sampling iterations
	// (compaction, message, advisor sub-inferences that may run on another
	// model), each with its own usage.
	Iterations []antIteration `json:"iterations"`
}

// antIteration is one entry of usage.iterations. Its usage members are
// spelled out rather than embedding antUsage: goccy/go-json drops the
// members of an embedded struct that contains a slice of the embedding
// type.
type antIteration struct {
	Type                     string          `json:"type"`
	Model                    string          `json:"model"`
	InputTokens              json.RawMessage `json:"input_tokens"`
	CacheCreationInputTokens json.RawMessage `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     json.RawMessage `json:"cache_read_input_tokens"`
	CacheCreation            *struct {
		Ephemeral5m json.RawMessage `json:"ephemeral_5m_input_tokens"`
		Ephemeral1h json.RawMessage `json:"ephemeral_1h_input_tokens"`
	} `json:"cache_creation"`
	OutputTokens json.RawMessage `json:"output_tokens"`
}

type antMessage struct {
	ID     string          `json:"id"`
	Type   string          `json:"type"`
	Object string          `json:"object"`
	Model  string          `json:"model"`
	Usage  *antUsage       `json:"usage"`
	Error  json.RawMessage `json:"error"`
	// Message is the message of a message_start stream event.
	Message *antMessage `json:"message"`
}

// anthropicUsage normalizes an Anthropic usage object into disjoint
// buckets.
//
// Rule (https://platform.claude.com/docs/en/build-with-claude/prompt-caching): input_tokens EXCLUDES cached tokens; total
// input = input_tokens + cache_creation_input_tokens + cache_read_input_tokens.
// So input, cache reads and cache writes map one to one. Cache writes are
// split by TTL with the cache_creation breakdown (ephemeral_5m / ephemeral_1h);
// without it, cache_creation_input_tokens are 5-minute writes, the default
// TTL (§2.3). Should the breakdown sum to less than the total, the rest is
// counted as 5-minute writes so no token is lost. output_tokens includes
// thinking tokens (§2.2). usage.service_tier "batch" / "priority" sets the
// mode.
func anthropicUsage(w *State, prefix string, u *antUsage, r *record.Record) bool {
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
		w.reject(prefix[:len(prefix)-1], nil, record.ReasonMissing("tokens"), "usage has neither input_tokens nor output_tokens")
		return false
	}
	if rest := created - r.CacheWrite5mTokens - r.CacheWrite1hTokens; rest > 0 {
		r.CacheWrite5mTokens += rest
	}
	r.Mode = tierMode(u.ServiceTier, r.Mode)
	return true
}

type anthropicDecoder struct {
	env envelope
	// pend is the record of the last message_start event, waiting for
	// its message_delta in the same chunk.
	pend    record.Record
	pendOK  bool
	pendSeq int64
	pendF   *File
}

func newAnthropicDecoder() Decoder { return &anthropicDecoder{} }

func (d *anthropicDecoder) Decode(w *State, item []byte) {
	if !parseEnvelope(w, item, &d.env) {
		return
	}
	var m antMessage
	if err := unmarshalFast(d.env.body, &m); err != nil {
		w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		return
	}
	if m.Object != "" && m.Type != "message" && m.Type != "error" {
		// An OpenAI response in a file of Anthropic responses.
		w.decoderFor(openAIFormat).Decode(w, item)
		return
	}
	r := w.newRecord()
	r.Provider = "anthropic"
	r.TS, r.TSFromFile = w.file.ModTime, true
	r.RequestID = m.ID
	r.Model = w.intern.get([]byte(m.Model))
	if !d.env.wrapped {
		r.Workflow = w.intern.get([]byte(w.file.Stem))
	}
	switch {
	case m.Type == "error":
		// A logged error response: the request failed and is not billed.
		r.Status = record.StatusError
	case m.Type == "message_start", m.Type == "message_delta":
		d.streamEvent(w, item, &m, r)
		return
	case m.Type != "" && m.Type != "message":
		// Other stream events (content_block_start/delta/stop, ping,
		// message_stop) hold no usage.
		if isStreamEvent(m.Type) {
			w.skip()
			return
		}
		w.reject("type", []byte(m.Type), record.ReasonUnknownFormat, "want a Message object or its stream events")
		return
	case m.Usage == nil:
		w.reject("usage", nil, record.ReasonMissing("usage"), "the message has no usage object")
		return
	default:
		if !anthropicUsage(w, "usage.", m.Usage, r) {
			return
		}
	}
	if !d.env.apply(w, r) {
		return
	}
	if r.Model == "" && r.Status == record.StatusOK {
		w.reject("model", nil, record.ReasonMissing("model"), "")
		return
	}
	if !finishVendor(w, item, r) {
		return
	}
	if m.Usage != nil && len(m.Usage.Iterations) > 0 {
		emitIterations(w, "usage.", m.Usage, r)
		return
	}
	w.emit(r)
}

// isStreamEvent reports whether t is a Messages streaming event type
// (docs.anthropic.com/en/docs/build-with-claude/streaming).
func isStreamEvent(t string) bool {
	switch t {
	case "message_start", "message_delta", "message_stop", "content_block_start",
		"content_block_delta", "content_block_stop", "ping":
		return true
	}
	return false
}

// streamEvent reads a message_start or message_delta event into one record
// per streamed message.
//
// Rule (docs.anthropic.com/en/docs/build-with-claude/streaming): the
// message_start event carries the message id, model and the usage known at
// the start (input and cache tokens, a first output count); message_delta
// carries the usage at the end, whose counts are cumulative. The record of
// message_start is held until the message_delta that follows it in the
// same chunk, which emits it with the final counts (the larger of the two
// for each bucket); a stream cut before its message_delta (the next
// message_start comes first, or the chunk ends) is emitted with what its
// message_start said, so its input still counts. A message_delta whose
// message_start is not before it in the same chunk cannot be joined and is
// rejected, so its output tokens are not lost silently.
func (d *anthropicDecoder) streamEvent(w *State, item []byte, m *antMessage, r *record.Record) {
	r.Mode = pricing.ModeStream
	if m.Type == "message_start" {
		msg := m.Message
		if msg == nil || msg.Usage == nil {
			w.reject("message.usage", nil, record.ReasonMissing("message.usage"), "a message_start event without its message usage")
			return
		}
		r.RequestID = msg.ID
		r.Model = w.intern.get([]byte(msg.Model))
		if !anthropicUsage(w, "message.usage.", msg.Usage, r) {
			return
		}
		r.Mode = pricing.ModeStream
		if !d.env.apply(w, r) {
			return
		}
		if r.Model == "" {
			w.reject("message.model", nil, record.ReasonMissing("message.model"), "")
			return
		}
		if !finishVendor(w, item, r) {
			return
		}
		// A stream still held was cut before its message_delta: it
		// counts with what its message_start said.
		d.EndChunk(w)
		d.pend, d.pendOK, d.pendSeq, d.pendF = *r, true, w.chunkSeq, w.file
		// r.Tags may be the worker's reusable map, which later lines
		// clear and refill.
		d.pend.Tags = maps.Clone(r.Tags)
		w.hold()
		return
	}
	if !d.pendOK || d.pendSeq != w.chunkSeq || d.pendF != w.file {
		w.reject("type", []byte(m.Type), record.ReasonUnknownFormat, "a message_delta event without its message_start before it: log whole streams, or the final Message object")
		return
	}
	if m.Usage == nil {
		w.skip()
		return
	}
	var u record.Record
	if !anthropicUsage(w, "usage.", m.Usage, &u) {
		return
	}
	*r = d.pend
	d.pendOK = false
	// The message_delta line stands for the request; the message_start
	// line it completes holds nothing more.
	w.settleSkip()
	r.InputTokens = max(r.InputTokens, u.InputTokens)
	r.CacheReadTokens = max(r.CacheReadTokens, u.CacheReadTokens)
	r.CacheWrite5mTokens = max(r.CacheWrite5mTokens, u.CacheWrite5mTokens)
	r.CacheWrite1hTokens = max(r.CacheWrite1hTokens, u.CacheWrite1hTokens)
	r.OutputTokens = max(r.OutputTokens, u.OutputTokens)
	if len(m.Usage.Iterations) > 0 {
		emitIterations(w, "usage.", m.Usage, r)
		return
	}
	w.emit(r)
}

// endChunk emits the stream record still held (its stream was cut, or its
// end is in another chunk).
func (d *anthropicDecoder) EndChunk(w *State) {
	if d.pendOK {
		d.pendOK = false
		w.emitHeld(&d.pend)
	}
}

// emitIterations emits the request of a response whose usage lists its
// sampling iterations.
//
// Rule (docs.anthropic.com/en/docs/build-with-claude/context-editing#compaction
// and the advisor tool): the top-level usage does not include the
// compaction iteration; the billed total is the sum over usage.iterations,
// each iteration at the price of its own model (an advisor iteration names
// its model; the others run on the message's model). So the iterations of
// the message's model are summed into the record, and those of every other
// model into one record each, with the request id suffixed "#model".
func emitIterations(w *State, prefix string, u *antUsage, r *record.Record) {
	type sum struct {
		model string
		rec   record.Record
	}
	var sums []sum
	for i := range u.Iterations {
		it := &u.Iterations[i]
		model := r.Model
		if it.Model != "" {
			model = w.intern.get([]byte(it.Model))
		}
		var one record.Record
		iu := antUsage{InputTokens: it.InputTokens, CacheCreationInputTokens: it.CacheCreationInputTokens,
			CacheReadInputTokens: it.CacheReadInputTokens, CacheCreation: it.CacheCreation, OutputTokens: it.OutputTokens}
		if !anthropicUsage(w, prefix+"iterations."+strconv.Itoa(i)+".", &iu, &one) {
			return
		}
		j := 0
		for j < len(sums) && sums[j].model != model {
			j++
		}
		if j == len(sums) {
			sums = append(sums, sum{model: model})
		}
		s := &sums[j].rec
		s.InputTokens += one.InputTokens
		s.CacheReadTokens += one.CacheReadTokens
		s.CacheWrite5mTokens += one.CacheWrite5mTokens
		s.CacheWrite1hTokens += one.CacheWrite1hTokens
		s.OutputTokens += one.OutputTokens
	}
	base := *r
	for _, s := range sums {
		*r = base
		r.Model = s.model
		if s.model != base.Model && base.RequestID != "" {
			r.RequestID = base.RequestID + "#" + s.model
		}
		r.InputTokens, r.CacheReadTokens = s.rec.InputTokens, s.rec.CacheReadTokens
		r.CacheWrite5mTokens, r.CacheWrite1hTokens = s.rec.CacheWrite5mTokens, s.rec.CacheWrite1hTokens
		r.OutputTokens = s.rec.OutputTokens
		w.emit(r)
	}
}
