package decode

import (
	"encoding/json"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// OpenAI Batch API output and error files: one line per request of a
// batch.

// FormatOpenAIBatch is OpenAI Batch API output files.
const FormatOpenAIBatch = "openai-batch"

var openAIBatchFormat = &Format{Name: FormatOpenAIBatch, Detect: detectOpenAIBatch, New: newOpenAIBatchDecoder}

// detectOpenAIBatch recognizes custom_id with response or error (rank 70).
func detectOpenAIBatch(p *probe) int {
	if p.has("custom_id") && (p.has("response") || p.has("error")) {
		return 70
	}
	return 0
}

// oaiBatchLine is one line of a Batch API output or error file
// (https://developers.openai.com/api/docs/guides/batch).
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

func newOpenAIBatchDecoder() Decoder { return &openaiBatchDecoder{} }

func (d *openaiBatchDecoder) Decode(w *State, item []byte) {
	var l oaiBatchLine
	if err := unmarshalFast(item, &l); err != nil {
		w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		return
	}
	if l.CustomID == "" && l.ID == "" {
		w.reject("custom_id", nil, record.ReasonMissing("custom_id"), "not a Batch API output line")
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
	// (https://developers.openai.com/api/docs/guides/batch).
	switch {
	case l.Response != nil && l.Response.StatusCode == 200 && len(l.Response.Body) > 0:
		var o oaiObject
		if err := unmarshalFast(l.Response.Body, &o); err != nil {
			w.reject("response.body", firstBytes(l.Response.Body), record.ReasonInvalidJSON, err.Error())
			return
		}
		r.Model = w.intern.get([]byte(o.Model))
		ts, ok := oaiCreated(w, "response.body.", &o)
		if !ok {
			return
		}
		r.TS = ts
		if o.Usage == nil {
			w.reject("response.body.usage", nil, record.ReasonMissing("usage"), "")
			return
		}
		if !openaiUsage(w, o.Usage, r) {
			return
		}
	case l.Error != nil && l.Error.Code == "batch_expired":
		r.Status = record.StatusExpired
	default:
		r.Status = record.StatusError
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
		r.TS, r.TSFromFile = w.file.ModTime, true
	}
	if r.Status == record.StatusOK && r.Model == "" {
		w.reject("model", nil, record.ReasonMissing("model"), "")
		return
	}
	if finishVendor(w, item, r) {
		w.emit(r)
	}
}
