package decode

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// FormatLangfuse is Langfuse observation exports and API pages.
const FormatLangfuse = "langfuse"

var langfuseFormat = &Format{Name: FormatLangfuse, Detect: detectLangfuse, New: newLangfuseDecoder}

// detectLangfuse recognizes an observation (traceId with usage or cost,
// rank 40) or an API page of them (rank 50).
func detectLangfuse(p *probe) int {
	switch {
	case p.has("traceId") && (p.has("usageDetails") || p.has("usage") || p.has("costDetails") || p.has("providedModelName")):
		return 40
	case p.has("data") && p.has("meta") && bytes.Contains(p.m["data"], []byte(`"traceId"`)):
		return 50
	}
	return 0
}

// Langfuse exports: observations as the public API returns them
// (GET /api/public/observations and /api/public/v2/observations, one
// object per line, a JSON array, or the API's {"data":[…],"meta":{…}}
// page) and the UI's JSON export of generations
// (langfuse.com/docs/api-and-data-platform/features/export-from-ui).
// Generations (and embeddings) are requests; spans, events, agents, tools
// and the other observation types are skipped: their usage, if any,
// repeats that of the generations below them.

// lfUsage is the legacy usage object of a Langfuse observation.
type lfUsage struct {
	Input  json.RawMessage `json:"input"`
	Output json.RawMessage `json:"output"`
	Unit   string          `json:"unit"`
}

// lfObservation is a Langfuse observation as the public API returns it.
type lfObservation struct {
	ID                  string          `json:"id"`
	TraceID             string          `json:"traceId"`
	Type                string          `json:"type"`
	Name                string          `json:"name"`
	StartTime           json.RawMessage `json:"startTime"`
	EndTime             json.RawMessage `json:"endTime"`
	CompletionStartTime json.RawMessage `json:"completionStartTime"`
	Model               string          `json:"model"`
	ProvidedModelName   string          `json:"providedModelName"`
	Usage               *lfUsage        `json:"usage"`
	UsageDetails        json.RawMessage `json:"usageDetails"`
	CostDetails         json.RawMessage `json:"costDetails"`
	CalculatedTotalCost json.RawMessage `json:"calculatedTotalCost"`
	TotalCost           json.RawMessage `json:"totalCost"`
	Level               string          `json:"level"`
	Environment         string          `json:"environment"`
	PromptName          string          `json:"promptName"`
}

// langfuseDecoder reads Langfuse observation exports.
type langfuseDecoder struct{}

func newLangfuseDecoder() Decoder { return &langfuseDecoder{} }

func (d *langfuseDecoder) Decode(w *State, item []byte) {
	if data, ok := lookupKey(item, "data"); ok && len(data) > 0 && data[0] == '[' {
		// An API page: each element of data is one observation.
		var obs []json.RawMessage
		if err := json.Unmarshal(data, &obs); err != nil {
			w.reject("data", firstBytes(data), record.ReasonInvalidJSON, err.Error())
			return
		}
		for _, o := range obs {
			d.observation(w, o, "data[].")
			if w.halt {
				return
			}
		}
		if len(obs) == 0 {
			w.skip()
		}
		return
	}
	d.observation(w, item, "")
}

// langfuseRequestTypes are the observation types that are model calls.
var langfuseRequestTypes = map[string]bool{"": true, "GENERATION": true, "EMBEDDING": true}

func (d *langfuseDecoder) observation(w *State, item []byte, prefix string) {
	var o lfObservation
	if err := unmarshalFast(item, &o); err != nil {
		w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		return
	}
	if !langfuseRequestTypes[strings.ToUpper(o.Type)] || (o.Type == "" && (len(o.UsageDetails) == 0 || isNull(o.UsageDetails)) && o.Usage == nil) {
		w.skip()
		return
	}
	r := w.newRecord()
	if o.ID != "" {
		r.RequestID = "langfuse:" + o.ID
	}
	model := o.ProvidedModelName
	if model == "" {
		model = o.Model
	}
	r.Model = w.intern.get([]byte(model))
	r.Provider = openaiCompatProvider(model)
	if o.StartTime == nil || isNull(o.StartTime) {
		w.reject(prefix+"startTime", nil, record.ReasonMissing("startTime"), "")
		return
	}
	ts, ok := timestampValue(o.StartTime)
	if !ok {
		w.reject(prefix+"startTime", o.StartTime, record.ReasonBadTimestamp, "")
		return
	}
	r.TS = ts
	end, endOK := timestampValue(o.EndTime)
	if endOK && !end.Before(ts) {
		r.LatencyMS = end.Sub(ts).Milliseconds()
	}
	// A completion start before the end is the first chunk of a stream
	// (the SDKs set it for streamed generations).
	if cst, ok := timestampValue(o.CompletionStartTime); ok && !cst.Before(ts) {
		r.TTFTMS = cst.Sub(ts).Milliseconds()
		if endOK && cst.Before(end) {
			r.Mode = pricing.ModeStream
		}
	}
	if strings.EqualFold(o.Level, "ERROR") {
		r.Status = record.StatusError
	}
	if !langfuseUsage(w, prefix, &o, r) {
		return
	}
	var costTotal json.RawMessage
	if len(o.CostDetails) > 0 && o.CostDetails[0] == '{' {
		costTotal, _ = lookupKey(o.CostDetails, "total")
	}
	for _, v := range []json.RawMessage{costTotal, o.CalculatedTotalCost, o.TotalCost} {
		if v == nil || isNull(v) {
			continue
		}
		c, ok := exactDecimal(v)
		if !ok {
			w.reject(prefix+"costDetails.total", v, record.ReasonBadValue, "want a number")
			return
		}
		r.LoggedCostUSD = c
		break
	}
	wf := o.PromptName
	if wf == "" {
		wf = o.Name
	}
	if wf == "" {
		wf = w.file.Stem
	}
	r.Workflow = w.intern.get([]byte(wf))
	if o.Environment != "" {
		r.Tags = w.tagMap()
		r.Tags["env"] = w.intern.get([]byte(o.Environment))
	}
	if r.Model == "" && r.Status == record.StatusOK {
		w.reject(prefix+"model", nil, record.ReasonMissing("model"), "")
		return
	}
	if key := w.workflowKey; key != "" {
		r.Workflow = workflowFromPath(w, item, key)
	}
	w.emit(r)
}

// langfuseUsage reads usageDetails (or the legacy usage object) into
// disjoint buckets.
//
// Rule (github.com/langfuse/langfuse, packages/shared/src/server/ingestion/types.ts,
// and langfuse.com/docs/observability/features/token-and-cost-tracking):
// usage details are disjoint usage types. Langfuse turns OpenAI usage into
// "input" minus every prompt_tokens_details entry, each kept as
// "input_<key>" (input_cached_tokens, input_audio_tokens), and "output"
// minus every completion_tokens_details entry, kept as "output_<key>"
// (output_reasoning_tokens); Anthropic integrations send "input" (already
// uncached) with cache_read_input_tokens and cache_creation_input_tokens.
// Its UI adds the keys that contain "input" into the input and those that
// contain "output" into the output, which is what is done here: a key with
// "input" and "cache_read" or "cached" is a cache read, one with
// "cache_creation" or "cache_write" a cache write ("1h" in the key: the
// 1-hour TTL, else 5 minutes), any other "input" key uncached input; every
// "output" key is output, those with "reasoning" also reasoning. "total"
// and keys naming neither are not tokens of a bucket.
func langfuseUsage(w *State, prefix string, o *lfObservation, r *record.Record) bool {
	ok := true
	if len(o.UsageDetails) > 0 && o.UsageDetails[0] == '{' {
		it, _ := newObjectIter(o.UsageDetails)
		seen := false
		for {
			kb, v, esc, done := it.next()
			if done {
				break
			}
			k := string(kb)
			if esc {
				if u, good := unquote(append(append([]byte{'"'}, kb...), '"')); good {
					k = string(u)
				}
			}
			lk := strings.ToLower(k)
			in, out := strings.Contains(lk, "input"), strings.Contains(lk, "output")
			if lk == "total" || (!in && !out) {
				continue
			}
			n := count(w, prefix+"usageDetails."+k, v, &ok)
			if !ok {
				return false
			}
			seen = true
			switch {
			case in && (strings.Contains(lk, "cache_read") || strings.Contains(lk, "cached")):
				r.CacheReadTokens += n
			case in && (strings.Contains(lk, "cache_creation") || strings.Contains(lk, "cache_write")):
				if strings.Contains(lk, "1h") {
					r.CacheWrite1hTokens += n
				} else {
					r.CacheWrite5mTokens += n
				}
			case in:
				r.InputTokens += n
			default:
				r.OutputTokens += n
				if strings.Contains(lk, "reasoning") {
					r.ReasoningTokens += n
				}
			}
		}
		if seen {
			return true
		}
	}
	if u := o.Usage; u != nil && (u.Unit == "" || strings.EqualFold(u.Unit, "TOKENS")) && (u.Input != nil || u.Output != nil) {
		r.InputTokens = count(w, prefix+"usage.input", u.Input, &ok)
		r.OutputTokens = count(w, prefix+"usage.output", u.Output, &ok)
		return ok
	}
	if r.Status == record.StatusError {
		return true
	}
	w.reject(prefix+"usageDetails", nil, record.ReasonMissing("usageDetails"), "a generation without token usage (usageDetails with input/output keys, or usage in TOKENS)")
	return false
}
