package loggen

import (
	"encoding/json"
	"time"

	"github.com/costaudit/costaudit/audit"
)

// The formats added for the logs teams have beyond OpenAI and Anthropic:
// Gemini generateContent responses and Bedrock Converse responses in the
// metadata wrapper, and Langfuse observations.

// ---- Gemini ----

type geminiResponse struct {
	Candidates    []geminiCandidate `json:"candidates"`
	UsageMetadata geminiUsage       `json:"usageMetadata"`
	ModelVersion  string            `json:"modelVersion,omitempty"`
	ResponseID    string            `json:"responseId"`
}

type geminiCandidate struct {
	Content      geminiContent `json:"content"`
	FinishReason string        `json:"finishReason"`
	Index        int           `json:"index"`
}

type geminiContent struct {
	Parts []geminiPart `json:"parts"`
	Role  string       `json:"role"`
}

type geminiPart struct {
	Text string `json:"text"`
}

// geminiUsage is usageMetadata: promptTokenCount INCLUDES the cached
// content, thoughtsTokenCount is output beside candidatesTokenCount.
type geminiUsage struct {
	PromptTokenCount        int64 `json:"promptTokenCount"`
	CandidatesTokenCount    int64 `json:"candidatesTokenCount"`
	CachedContentTokenCount int64 `json:"cachedContentTokenCount,omitempty"`
	ThoughtsTokenCount      int64 `json:"thoughtsTokenCount,omitempty"`
	TotalTokenCount         int64 `json:"totalTokenCount"`
}

type geminiError struct {
	Error geminiErrorBody `json:"error"`
}

type geminiErrorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Status  string `json:"status"`
}

func geminiObject(e *Event, r *audit.Record, badTS string) wrapped {
	if r.Status == audit.StatusError {
		return wrap(e, r, badTS, geminiError{Error: geminiErrorBody{Code: 500, Message: "Internal error encountered.", Status: "INTERNAL"}})
	}
	finish := "STOP"
	if e.Truncated {
		finish = "MAX_TOKENS"
	}
	prompt := r.InputTokens + r.CacheReadTokens + r.CacheWrite5mTokens + r.CacheWrite1hTokens
	u := geminiUsage{PromptTokenCount: prompt, CandidatesTokenCount: r.OutputTokens - r.ReasoningTokens,
		CachedContentTokenCount: r.CacheReadTokens, ThoughtsTokenCount: r.ReasoningTokens, TotalTokenCount: prompt + r.OutputTokens}
	return wrap(e, r, badTS, geminiResponse{
		Candidates:    []geminiCandidate{{Content: geminiContent{Parts: []geminiPart{{Text: placeholder}}, Role: "model"}, FinishReason: finish}},
		UsageMetadata: u, ModelVersion: r.Model, ResponseID: "resp-" + hexID(e.ID),
	})
}

// ---- Bedrock ----

type bedrockConverseResponse struct {
	Output           bedrockOutput   `json:"output"`
	StopReason       string          `json:"stopReason"`
	Usage            bedrockUsage    `json:"usage"`
	Metrics          *bedrockMetrics `json:"metrics,omitempty"`
	ResponseMetadata bedrockMetadata `json:"ResponseMetadata"`
}

type bedrockOutput struct {
	Message bedrockMessage `json:"message"`
}

type bedrockMessage struct {
	Role    string       `json:"role"`
	Content []geminiPart `json:"content"`
}

// bedrockUsage is Converse TokenUsage: inputTokens EXCLUDES the cache reads
// and writes, which are counted beside it.
type bedrockUsage struct {
	InputTokens           int64 `json:"inputTokens"`
	OutputTokens          int64 `json:"outputTokens"`
	TotalTokens           int64 `json:"totalTokens"`
	CacheReadInputTokens  int64 `json:"cacheReadInputTokens,omitempty"`
	CacheWriteInputTokens int64 `json:"cacheWriteInputTokens,omitempty"`
}

type bedrockMetrics struct {
	LatencyMS int64 `json:"latencyMs"`
}

type bedrockMetadata struct {
	RequestID string `json:"RequestId"`
}

func bedrockObject(e *Event, r *audit.Record, badTS string) wrapped {
	stop := "end_turn"
	if e.Truncated {
		stop = "max_tokens"
	}
	writes := r.CacheWrite5mTokens + r.CacheWrite1hTokens
	resp := bedrockConverseResponse{
		Output:     bedrockOutput{Message: bedrockMessage{Role: "assistant", Content: []geminiPart{{Text: placeholder}}}},
		StopReason: stop,
		Usage: bedrockUsage{InputTokens: r.InputTokens, OutputTokens: r.OutputTokens, CacheReadInputTokens: r.CacheReadTokens,
			CacheWriteInputTokens: writes, TotalTokens: r.InputTokens + r.CacheReadTokens + writes + r.OutputTokens},
		ResponseMetadata: bedrockMetadata{RequestID: uuidFor(e.ID)},
	}
	if r.LatencyMS >= 0 {
		resp.Metrics = &bedrockMetrics{LatencyMS: r.LatencyMS}
	}
	return wrap(e, r, badTS, resp)
}

// uuidFor is a UUID-shaped id derived from a record id.
func uuidFor(id uint64) string {
	h := hexID(mix(id)) + hexID(id)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ---- Langfuse ----

type langfuseObservation struct {
	ID                  string           `json:"id"`
	TraceID             string           `json:"traceId"`
	Type                string           `json:"type"`
	Name                string           `json:"name,omitempty"`
	StartTime           string           `json:"startTime"`
	EndTime             string           `json:"endTime,omitempty"`
	CompletionStartTime string           `json:"completionStartTime,omitempty"`
	Model               string           `json:"model,omitempty"`
	Level               string           `json:"level"`
	UsageDetails        map[string]int64 `json:"usageDetails"`
	CostDetails         map[string]any   `json:"costDetails,omitempty"`
	Environment         string           `json:"environment,omitempty"`
}

// langfuseObject writes a record as Langfuse stores a generation: usage
// details are disjoint usage types (input is uncached; output leaves out
// the reasoning, kept as output_reasoning_tokens).
func langfuseObject(e *Event, r *audit.Record, badTS string) langfuseObservation {
	o := langfuseObservation{
		ID: "obs-" + hexID(e.ID), TraceID: hexID(mix(e.ID)), Type: "GENERATION", Name: r.Workflow,
		StartTime: tsString(r.TS, badTS), Model: r.Model, Level: "DEFAULT", Environment: r.Tags["env"],
		UsageDetails: map[string]int64{"input": r.InputTokens, "output": r.OutputTokens - r.ReasoningTokens,
			"total": r.InputTokens + r.CacheReadTokens + r.CacheWrite5mTokens + r.CacheWrite1hTokens + r.OutputTokens},
	}
	if r.CacheReadTokens > 0 {
		o.UsageDetails["input_cached_tokens"] = r.CacheReadTokens
	}
	if r.CacheWrite5mTokens > 0 {
		o.UsageDetails["cache_creation_input_tokens"] = r.CacheWrite5mTokens
	}
	if r.CacheWrite1hTokens > 0 {
		o.UsageDetails["cache_creation_1h_input_tokens"] = r.CacheWrite1hTokens
	}
	if r.ReasoningTokens > 0 {
		o.UsageDetails["output_reasoning_tokens"] = r.ReasoningTokens
	}
	if r.Status == audit.StatusError {
		o.Level = "ERROR"
	}
	if badTS == "" && r.LatencyMS >= 0 {
		o.EndTime = r.TS.Add(time.Duration(r.LatencyMS) * time.Millisecond).UTC().Format(tsLayout)
		if r.Mode == "stream" && r.TTFTMS >= 0 && r.TTFTMS < r.LatencyMS {
			o.CompletionStartTime = r.TS.Add(time.Duration(r.TTFTMS) * time.Millisecond).UTC().Format(tsLayout)
		}
	}
	if r.LoggedCostUSD != "" {
		o.CostDetails = map[string]any{"total": json.Number(r.LoggedCostUSD)}
	}
	return o
}
