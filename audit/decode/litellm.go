package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// FormatLiteLLM is LiteLLM spend logs.
const FormatLiteLLM = "litellm"

var liteLLMFormat = &Format{Name: FormatLiteLLM, Detect: detectLiteLLM, New: newLiteLLMDecoder}

// detectLiteLLM recognizes spend with startTime, call_type or request_tags
// (rank 90).
func detectLiteLLM(p *probe) int {
	if p.has("spend") && (p.has("startTime") || p.has("call_type") || p.has("request_tags")) {
		return 90
	}
	return 0
}

// LiteLLM proxy LiteLLM_SpendLogs rows exported as JSON (an array, read
// element by element) or JSONL; columns: https://github.com/BerriAI/litellm/blob/main/schema.prisma

type litellmRow struct {
	RequestID           string          `json:"request_id"`
	CallType            string          `json:"call_type"`
	Spend               json.RawMessage `json:"spend"`
	PromptTokens        json.RawMessage `json:"prompt_tokens"`
	CompletionTokens    json.RawMessage `json:"completion_tokens"`
	StartTime           json.RawMessage `json:"startTime"`
	EndTime             json.RawMessage `json:"endTime"`
	CompletionStartTime json.RawMessage `json:"completionStartTime"`
	DurationMS          json.RawMessage `json:"request_duration_ms"`
	Model               string          `json:"model"`
	ModelGroup          string          `json:"model_group"`
	Provider            string          `json:"custom_llm_provider"`
	TeamID              *string         `json:"team_id"`
	Status              string          `json:"status"`
	CacheHit            json.RawMessage `json:"cache_hit"`
	RequestTags         json.RawMessage `json:"request_tags"`
	Metadata            json.RawMessage `json:"metadata"`
}

// litellmMetadata is the metadata column of a SpendLogs row. LiteLLM's own
// SpendLogsPayload (litellm/proxy/_types.py) declares it "str  # json str":
// the proxy writes json.dumps of the dict, and exports of the table keep
// that text, while exports through the API return the object. Both are
// read (parseLiteLLMMetadata).
type litellmMetadata struct {
	KeyAlias        *string `json:"user_api_key_alias"`
	TeamAlias       *string `json:"user_api_key_team_alias"`
	TeamID          *string `json:"user_api_key_team_id"`
	Status          string  `json:"status"`
	AdditionalUsage *struct {
		PromptDetails *struct {
			CachedTokens json.RawMessage `json:"cached_tokens"`
		} `json:"prompt_tokens_details"`
		CompletionDetails *struct {
			ReasoningTokens json.RawMessage `json:"reasoning_tokens"`
		} `json:"completion_tokens_details"`
		CacheRead     json.RawMessage `json:"cache_read_input_tokens"`
		CacheCreation json.RawMessage `json:"cache_creation_input_tokens"`
	} `json:"additional_usage_values"`
}

// parseLiteLLMMetadata decodes the metadata column: an object, or a string
// holding one; null, "" and absent are no metadata.
func parseLiteLLMMetadata(v json.RawMessage) (*litellmMetadata, error) {
	if len(v) == 0 || isNull(v) {
		return nil, nil
	}
	if v[0] == '"' {
		s, ok := unquote(v)
		if !ok {
			return nil, errors.New("metadata: not a JSON string")
		}
		if len(bytes.TrimSpace(s)) == 0 {
			return nil, nil
		}
		v = s
	}
	var md litellmMetadata
	if err := unmarshalFast(v, &md); err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	return &md, nil
}

type litellmDecoder struct{}

func newLiteLLMDecoder() Decoder { return &litellmDecoder{} }

func (d *litellmDecoder) Decode(w *State, item []byte) {
	var row litellmRow
	if err := unmarshalFast(item, &row); err != nil {
		w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		return
	}
	md, err := parseLiteLLMMetadata(row.Metadata)
	if err != nil {
		w.reject("metadata", firstBytes(row.Metadata), record.ReasonInvalidJSON, err.Error())
		return
	}
	switch strings.ToLower(strings.Trim(string(row.CacheHit), `"`)) {
	case "true", "1":
		// Served from LiteLLM's own response cache: no provider request
		// was made, so nothing was billed (its spend is 0).
		w.skip()
		return
	}
	r := w.newRecord()
	r.RequestID = row.RequestID
	r.Provider = w.intern.get(lowerASCII([]byte(row.Provider)))
	model := row.Model
	if model == "" {
		model = row.ModelGroup
	}
	r.Model = w.intern.get([]byte(model))
	ts, ok := timestampValue(row.StartTime)
	if row.StartTime == nil || isNull(row.StartTime) {
		w.reject("startTime", nil, record.ReasonMissing("startTime"), "")
		return
	}
	if !ok {
		w.reject("startTime", row.StartTime, record.ReasonBadTimestamp, "")
		return
	}
	r.TS = ts
	if n, res := ParseCount(row.DurationMS); res == CountOK {
		r.LatencyMS = n
	} else if end, ok := timestampValue(row.EndTime); ok && !end.Before(ts) {
		r.LatencyMS = end.Sub(ts).Milliseconds()
	}
	// LiteLLM sets completionStartTime to the first chunk of a stream and
	// to the end time otherwise: a first chunk before the end means a stream.
	if cst, ok := timestampValue(row.CompletionStartTime); ok && !cst.Before(ts) {
		if end, ok := timestampValue(row.EndTime); ok && cst.Before(end) {
			r.Mode = pricing.ModeStream
			r.TTFTMS = cst.Sub(ts).Milliseconds()
		}
	}
	status := row.Status
	if status == "" && md != nil {
		status = md.Status
	}
	if st, ok := normalizeStatus([]byte(status)); ok {
		r.Status = st
	}
	if v := row.Spend; v != nil && !isNull(v) {
		c, ok := exactDecimal(v)
		if !ok {
			w.reject("spend", v, record.ReasonBadValue, "want a number")
			return
		}
		r.LoggedCostUSD = c
	}

	// Rule (LiteLLM's schema.prisma above): LiteLLM reports OpenAI-style usage,
	// prompt_tokens INCLUDING cached tokens; the cache counts are in
	// metadata.additional_usage_values (prompt_tokens_details.cached_tokens,
	// or Anthropic's cache_read_input_tokens and cache_creation_input_tokens,
	// which LiteLLM also adds into prompt_tokens). Uncached input = prompt −
	// cache read − cache creation; cache creation has no TTL here and counts
	// as 5-minute writes (Anthropic's default, §2.3).
	okc := true
	prompt := count(w, "prompt_tokens", row.PromptTokens, &okc)
	r.OutputTokens = count(w, "completion_tokens", row.CompletionTokens, &okc)
	if md != nil && md.AdditionalUsage != nil {
		au := md.AdditionalUsage
		if au.PromptDetails != nil {
			r.CacheReadTokens = count(w, "metadata.additional_usage_values.prompt_tokens_details.cached_tokens", au.PromptDetails.CachedTokens, &okc)
		}
		if r.CacheReadTokens == 0 {
			r.CacheReadTokens = count(w, "metadata.additional_usage_values.cache_read_input_tokens", au.CacheRead, &okc)
		}
		r.CacheWrite5mTokens = count(w, "metadata.additional_usage_values.cache_creation_input_tokens", au.CacheCreation, &okc)
		if au.CompletionDetails != nil {
			r.ReasoningTokens = count(w, "metadata.additional_usage_values.completion_tokens_details.reasoning_tokens", au.CompletionDetails.ReasoningTokens, &okc)
		}
	}
	if !okc {
		return
	}
	if row.PromptTokens == nil && row.CompletionTokens == nil {
		w.reject("prompt_tokens", nil, record.ReasonMissing("tokens"), "need prompt_tokens or completion_tokens")
		return
	}
	r.InputTokens = prompt - r.CacheReadTokens - r.CacheWrite5mTokens
	if r.InputTokens < 0 {
		w.reject("prompt_tokens", row.PromptTokens, record.ReasonBadValue, "fewer prompt tokens than cached tokens")
		return
	}
	if r.Model == "" && r.Status == record.StatusOK {
		w.reject("model", nil, record.ReasonMissing("model"), "")
		return
	}

	// Workflow: a request tag "workflow:NAME", else the key alias, else the
	// team. The other request tags become tags ("k:v" → k=v, "t" → t="").
	var tags []string
	rt := row.RequestTags
	if len(rt) > 0 && rt[0] == '"' {
		// Stored as JSON text, like metadata.
		if t, ok := unquote(rt); ok {
			rt = t
		}
	}
	json.Unmarshal(rt, &tags)
	var tagMap map[string]string
	for _, t := range tags {
		k, v, _ := strings.Cut(t, ":")
		if k == "workflow" && r.Workflow == "" {
			r.Workflow = w.intern.get([]byte(v))
		}
		if tagMap == nil {
			tagMap = w.tagMap()
		}
		tagMap[w.intern.get([]byte(k))] = w.intern.get([]byte(v))
	}
	if len(tagMap) > 0 {
		r.Tags = tagMap
	}
	team := ""
	if row.TeamID != nil {
		team = *row.TeamID
	}
	if md != nil {
		if md.TeamAlias != nil && *md.TeamAlias != "" {
			team = *md.TeamAlias
		} else if team == "" && md.TeamID != nil {
			team = *md.TeamID
		}
		if r.Workflow == "" && md.KeyAlias != nil {
			r.Workflow = w.intern.get([]byte(*md.KeyAlias))
		}
	}
	r.Team = w.intern.get([]byte(team))
	if r.Workflow == "" {
		r.Workflow = r.Team
	}
	if key := w.workflowKey; key != "" {
		r.Workflow = workflowFromPath(w, item, key)
	}
	w.emit(r)
}
