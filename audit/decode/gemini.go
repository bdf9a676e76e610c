package decode

import (
	"encoding/json"
	"strings"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// FormatGemini is logged Gemini API responses.
const FormatGemini = "gemini"

var geminiFormat = &Format{Name: FormatGemini, Detect: detectGemini, New: newGeminiDecoder}

// detectGemini recognizes usageMetadata (rank 130).
func detectGemini(p *probe) int {
	if _, ok := p.inner["usageMetadata"]; ok {
		return 130
	}
	return 0
}

// Gemini API and Vertex AI generateContent responses
// (ai.google.dev/api/generate-content#v1beta.GenerateContentResponse,
// cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/GenerateContentResponse):
// bare, in the metadata wrapper (wrapper.go), the elements of a
// streamGenerateContent array, and batch prediction output lines (Vertex AI
// {"request","response","processed_time"} and Gemini API {"key","response"}).

// gemUsage is the usageMetadata of a generateContent response.
type gemUsage struct {
	PromptTokenCount        json.RawMessage `json:"promptTokenCount"`
	CachedContentTokenCount json.RawMessage `json:"cachedContentTokenCount"`
	CandidatesTokenCount    json.RawMessage `json:"candidatesTokenCount"`
	ToolUsePromptTokenCount json.RawMessage `json:"toolUsePromptTokenCount"`
	ThoughtsTokenCount      json.RawMessage `json:"thoughtsTokenCount"`
	TrafficType             string          `json:"trafficType"`
}

// gemResponse is a generateContent response (or stream chunk).
type gemResponse struct {
	ResponseID   string          `json:"responseId"`
	ModelVersion string          `json:"modelVersion"`
	CreateTime   json.RawMessage `json:"createTime"`
	Usage        *gemUsage       `json:"usageMetadata"`
	Candidates   []struct {
		FinishReason string `json:"finishReason"`
	} `json:"candidates"`
	PromptFeedback *struct {
		BlockReason string `json:"blockReason"`
	} `json:"promptFeedback"`
	Error json.RawMessage `json:"error"`
}

// geminiDecoder reads Gemini API and Vertex AI responses.
type geminiDecoder struct{ env envelope }

func newGeminiDecoder() Decoder { return &geminiDecoder{} }

func (d *geminiDecoder) Decode(w *State, item []byte) {
	if !parseEnvelope(w, item, &d.env) {
		return
	}
	var g gemResponse
	if err := unmarshalFast(d.env.body, &g); err != nil {
		w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		return
	}
	batch, vertexBatch := false, false
	if d.env.wrapped {
		// Batch prediction output: Vertex AI writes processed_time, the
		// Gemini API the request's key, beside the response.
		if v, ok := lookupKey(item, "processed_time"); ok {
			batch, vertexBatch = true, true
			if d.env.vals[cfTS] == nil {
				d.env.vals[cfTS] = v
			}
		} else if _, ok := lookupKey(item, "key"); ok {
			batch = true
		}
		if batch {
			// The batch line's own "status" is the request's error text
			// ("" when it succeeded), not a canonical status.
			d.env.vals[cfStatus] = nil
		}
	}
	finished := len(g.Candidates) == 0
	for _, c := range g.Candidates {
		if c.FinishReason != "" {
			finished = true
		}
	}
	if !finished {
		// A streamGenerateContent chunk before the last: the last chunk
		// (with a finishReason) carries the request's whole usage.
		w.skip()
		return
	}
	r := w.newRecord()
	r.Provider = "google"
	if len(g.CreateTime) > 0 || (g.Usage != nil && g.Usage.TrafficType != "") || vertexBatch {
		// Only Vertex AI writes createTime, usageMetadata.trafficType
		// and, in batch prediction output, processed_time.
		r.Provider = "vertex"
	}
	r.TS = w.file.ModTime
	if v := g.CreateTime; len(v) > 0 && !isNull(v) {
		ts, ok := timestampValue(v)
		if !ok {
			w.reject("createTime", v, record.ReasonBadTimestamp, "")
			return
		}
		r.TS = ts
	}
	r.RequestID = g.ResponseID
	r.Model = w.intern.get([]byte(g.ModelVersion))
	if !d.env.wrapped || batch {
		r.Workflow = w.intern.get([]byte(w.file.Stem))
	}
	if batch {
		r.Mode = pricing.ModeBatch
	}
	switch {
	case g.Usage == nil && len(g.Error) > 0 && !isNull(g.Error):
		r.Status = record.StatusError
	case g.Usage == nil:
		w.reject("usageMetadata", nil, record.ReasonMissing("usageMetadata"), "the response has no usage metadata")
		return
	default:
		if !geminiUsage(w, g.Usage, r) {
			return
		}
		if g.Usage.PromptTokenCount == nil && g.Usage.CandidatesTokenCount == nil && g.PromptFeedback != nil && g.PromptFeedback.BlockReason != "" {
			// A prompt blocked before the model ran: no tokens counted.
			r.Status = record.StatusError
		}
	}
	if !d.env.apply(w, r) {
		return
	}
	if g.Usage != nil && g.Usage.TrafficType != "" {
		addTag(w, r, "traffic_type", w.intern.get([]byte(g.Usage.TrafficType)))
	}
	if r.Model == "" && r.Status == record.StatusOK {
		w.reject("modelVersion", nil, record.ReasonMissing("modelVersion"), "log the model with the response (wrapper \"model\")")
		return
	}
	if finishVendor(w, item, r) {
		w.emit(r)
	}
}

// geminiUsage normalizes usageMetadata into disjoint buckets.
//
// Rule (ai.google.dev/api/generate-content#UsageMetadata): promptTokenCount
// is the whole prompt and "includes the number of tokens in the cached
// content" (cachedContentTokenCount); toolUsePromptTokenCount counts the
// prompt of tool use (search grounding, code execution) and is billed as
// input; candidatesTokenCount is the response, and thoughtsTokenCount the
// thinking, billed as output ("output prices include thinking tokens",
// ai.google.dev/gemini-api/docs/pricing). So uncached input = prompt +
// tool-use prompt − cached, output = candidates + thoughts, reasoning =
// thoughts. Vertex AI's trafficType names the quota the request used
// (GenerateContentResponse.UsageMetadata.TrafficType,
// cloud.google.com/vertex-ai/docs/reference/rest/v1/GenerateContentResponse):
// ON_DEMAND_FLEX is Flex and ON_DEMAND_PRIORITY is Priority Pay-As-You-Go;
// every value, PROVISIONED_THROUGHPUT included, is also kept as the tag
// traffic_type.
func geminiUsage(w *State, u *gemUsage, r *record.Record) bool {
	ok := true
	prompt := count(w, "usageMetadata.promptTokenCount", u.PromptTokenCount, &ok)
	tool := count(w, "usageMetadata.toolUsePromptTokenCount", u.ToolUsePromptTokenCount, &ok)
	r.CacheReadTokens = count(w, "usageMetadata.cachedContentTokenCount", u.CachedContentTokenCount, &ok)
	cand := count(w, "usageMetadata.candidatesTokenCount", u.CandidatesTokenCount, &ok)
	r.ReasoningTokens = count(w, "usageMetadata.thoughtsTokenCount", u.ThoughtsTokenCount, &ok)
	if !ok {
		return false
	}
	r.InputTokens = prompt + tool - r.CacheReadTokens
	if r.InputTokens < 0 {
		w.reject("usageMetadata.promptTokenCount", u.PromptTokenCount, record.ReasonBadValue, "fewer prompt tokens than cached content tokens")
		return false
	}
	r.OutputTokens = cand + r.ReasoningTokens
	switch strings.ToUpper(u.TrafficType) {
	case "ON_DEMAND_FLEX":
		r.Mode = pricing.ModeFlex
	case "ON_DEMAND_PRIORITY":
		r.Mode = pricing.ModePriority
	}
	return true
}
