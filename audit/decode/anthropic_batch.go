package decode

import (
	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// Anthropic Message Batches result files: one line per request of a
// batch, without a timestamp (the file's modification time stands in).

// FormatAnthropicBatch is Anthropic Message Batches result files.
const FormatAnthropicBatch = "anthropic-batch"

var anthropicBatchFormat = &Format{Name: FormatAnthropicBatch, Detect: detectAnthropicBatch, New: newAnthropicBatchDecoder}

// detectAnthropicBatch recognizes custom_id with result (rank 60), or a
// response object holding both (rank 100).
func detectAnthropicBatch(p *probe) int {
	if p.has("custom_id") && p.has("result") {
		return 60
	}
	if _, ok := p.response["custom_id"]; ok {
		if _, ok := p.response["result"]; ok {
			return 100
		}
	}
	return 0
}

// antBatchLine is one line of a Message Batches results file
// (https://platform.claude.com/docs/en/build-with-claude/batch-processing).
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

func newAnthropicBatchDecoder() Decoder { return &anthropicBatchDecoder{} }

func (d *anthropicBatchDecoder) Decode(w *State, item []byte) {
	if !parseEnvelope(w, item, &d.env) {
		return
	}
	var l antBatchLine
	if err := unmarshalFast(d.env.body, &l); err != nil {
		w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		return
	}
	if l.Result == nil {
		w.reject("result", nil, record.ReasonMissing("result"), "not a Message Batches result line")
		return
	}
	r := w.newRecord()
	r.Provider = "anthropic"
	r.Mode = pricing.ModeBatch
	r.TS, r.TSFromFile = w.file.ModTime, true
	r.Workflow = w.intern.get([]byte(batchWorkflow(l.CustomID, w.file)))
	// Results errored, canceled or expired are not billed
	// (https://platform.claude.com/docs/en/build-with-claude/batch-processing); only succeeded results carry usage.
	switch l.Result.Type {
	case "succeeded":
		m := l.Result.Message
		if m == nil || m.Usage == nil {
			w.reject("result.message.usage", nil, record.ReasonMissing("usage"), "")
			return
		}
		r.RequestID = m.ID
		r.Model = w.intern.get([]byte(m.Model))
		if !anthropicUsage(w, "result.message.usage.", m.Usage, r) {
			return
		}
		r.Mode = pricing.ModeBatch
	case "errored":
		r.Status = record.StatusError
		if l.Result.Error != nil {
			r.RequestID = l.Result.Error.RequestID
		}
	case "canceled":
		r.Status = record.StatusCancelled
	case "expired":
		r.Status = record.StatusExpired
	default:
		w.reject("result.type", []byte(l.Result.Type), record.ReasonBadValue, "allowed: succeeded, errored, canceled, expired")
		return
	}
	if r.RequestID == "" && l.CustomID != "" {
		// custom_id is unique within a batch: with the batch id from the
		// file name it identifies the request across re-exports.
		if id := batchIDPattern.FindString(w.file.Stem); id != "" {
			r.RequestID = id + "#" + l.CustomID
		}
	}
	if !d.env.apply(w, r) {
		return
	}
	if r.Status == record.StatusOK && r.Model == "" {
		w.reject("model", nil, record.ReasonMissing("model"), "")
		return
	}
	if !finishVendor(w, item, r) {
		return
	}
	if m := l.Result.Message; l.Result.Type == "succeeded" && len(m.Usage.Iterations) > 0 {
		emitIterations(w, "result.message.usage.", m.Usage, r)
		return
	}
	w.emit(r)
}
