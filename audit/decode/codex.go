package decode

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// FormatCodex is Codex CLI session logs.
const FormatCodex = "codex"

var codexFormat = &Format{Name: FormatCodex, Detect: detectCodex, New: newCodexDecoder}

// detectCodex recognizes payload and timestamp with a Codex line type
// (rank 30).
func detectCodex(p *probe) int {
	if p.has("payload") && p.has("timestamp") && codexLineTypes[p.str("type")] {
		return 30
	}
	return 0
}

// codexLineTypes are the line types of Codex CLI session logs.
var codexLineTypes = map[string]bool{"session_meta": true, "turn_context": true, "event_msg": true, "response_item": true, "compacted": true}

// Codex CLI session logs: ~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl
// (github.com/openai/codex, codex-rs/protocol). Each line is
// {"timestamp","type","payload"}: session_meta and turn_context lines name
// the working directory and the model, event_msg lines of payload type
// token_count carry the usage of the model response just received
// (info.last_token_usage) and the session's running total
// (info.total_token_usage). Every other line holds no request and is
// skipped, as is a token_count whose info is null (a rate-limit update).

// codexLine is one line of a Codex CLI session log.
type codexLine struct {
	Timestamp json.RawMessage `json:"timestamp"`
	Type      string          `json:"type"`
	Payload   *struct {
		Type          string `json:"type"`
		Model         string `json:"model"`
		ModelProvider string `json:"model_provider"`
		CWD           string `json:"cwd"`
		ID            string `json:"id"`
		Info          *struct {
			Model string      `json:"model"`
			Last  *codexUsage `json:"last_token_usage"`
			Total *codexUsage `json:"total_token_usage"`
		} `json:"info"`
	} `json:"payload"`
}

// codexUsage is a codex-rs TokenUsage.
type codexUsage struct {
	InputTokens     json.RawMessage `json:"input_tokens"`
	CachedInput     json.RawMessage `json:"cached_input_tokens"`
	CacheWriteInput json.RawMessage `json:"cache_write_input_tokens"`
	OutputTokens    json.RawMessage `json:"output_tokens"`
	ReasoningOutput json.RawMessage `json:"reasoning_output_tokens"`
	TotalTokens     json.RawMessage `json:"total_tokens"`
}

// codexState is what earlier lines of the same chunk of a session file
// said: the model and the working directory.
type codexState struct {
	seq      int64
	model    string
	provider string
	cwd      string
	session  string
}

// codexDecoder reads Codex CLI session logs.
type codexDecoder struct {
	state map[*File]*codexState
}

func newCodexDecoder() Decoder { return &codexDecoder{state: map[*File]*codexState{}} }

func (d *codexDecoder) Decode(w *State, item []byte) {
	var l codexLine
	if err := unmarshalFast(item, &l); err != nil {
		w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		return
	}
	st := d.state[w.file]
	if st == nil || st.seq != w.chunkSeq {
		// Lines of another chunk may have been read by another worker, or
		// later in the file: only what this chunk said before counts.
		st = &codexState{seq: w.chunkSeq}
		d.state[w.file] = st
	}
	p := l.Payload
	if p == nil {
		w.skip()
		return
	}
	switch l.Type {
	case "session_meta", "turn_context":
		if p.Model != "" {
			st.model = p.Model
		}
		if p.ModelProvider != "" {
			st.provider = strings.ToLower(p.ModelProvider)
		}
		if p.CWD != "" {
			st.cwd = p.CWD
		}
		if l.Type == "session_meta" && p.ID != "" {
			st.session = p.ID
		}
		w.skip()
		return
	case "event_msg":
	default:
		w.skip()
		return
	}
	if p.Type != "token_count" || p.Info == nil {
		w.skip()
		return
	}
	u := p.Info.Last
	if u == nil {
		w.reject("payload.info.last_token_usage", nil, record.ReasonMissing("payload.info.last_token_usage"), "a token_count without the usage of its response (older Codex versions wrote only the running total)")
		return
	}
	model := p.Info.Model
	if model == "" {
		model = st.model
	}
	if model == "" {
		w.reject("payload.info.model", nil, record.ReasonMissing("model"), "no turn_context line before this token_count (in the same part of the file) names the model")
		return
	}
	r := w.newRecord()
	r.Model = w.intern.get([]byte(model))
	r.Provider = st.provider
	if r.Provider == "" || r.Provider == "openai" {
		r.Provider = openaiCompatProvider(model)
	}
	r.Mode = pricing.ModeStream
	r.Source = "ide"
	ts, ok := requiredTimestamp(w, "timestamp", l.Timestamp)
	if !ok {
		return
	}
	r.TS = ts
	// Rule (codex-rs protocol TokenUsage, whose non_cached_input is
	// input_tokens − cached_input_tokens and whose billable total is that
	// plus output_tokens): as in the Responses API it reports, input_tokens
	// INCLUDE the cached input (and cache writes, where a provider reports
	// them), and output_tokens include the reasoning_output_tokens, an
	// informational subset.
	okc := true
	in := count(w, "payload.info.last_token_usage.input_tokens", u.InputTokens, &okc)
	r.CacheReadTokens = count(w, "payload.info.last_token_usage.cached_input_tokens", u.CachedInput, &okc)
	r.CacheWrite5mTokens = count(w, "payload.info.last_token_usage.cache_write_input_tokens", u.CacheWriteInput, &okc)
	r.OutputTokens = count(w, "payload.info.last_token_usage.output_tokens", u.OutputTokens, &okc)
	r.ReasoningTokens = count(w, "payload.info.last_token_usage.reasoning_output_tokens", u.ReasoningOutput, &okc)
	if !okc {
		return
	}
	r.InputTokens = in - r.CacheReadTokens - r.CacheWrite5mTokens
	if r.InputTokens < 0 {
		w.reject("payload.info.last_token_usage.input_tokens", u.InputTokens, record.ReasonBadValue, "fewer input tokens than cached input tokens")
		return
	}
	if r.InputTokens == 0 && r.CacheReadTokens == 0 && r.CacheWrite5mTokens == 0 && r.OutputTokens == 0 {
		// A usage of no tokens holds no request.
		w.skip()
		return
	}
	// The session's running total grows with every response: with the
	// session id it names this response, so the token_count Codex writes
	// twice for one response is counted once.
	if t := p.Info.Total; t != nil {
		if n, res := ParseCount(t.TotalTokens); res == CountOK {
			session := st.session
			if session == "" {
				session = w.file.Stem
			}
			r.RequestID = "codex:" + session + ":" + strconv.FormatInt(n, 10)
		}
	}
	wf := "codex"
	if st.cwd != "" {
		wf = strings.TrimRight(st.cwd, `/\`)
		wf = wf[strings.LastIndexAny(wf, `/\`)+1:]
	}
	r.Workflow = w.intern.get([]byte(wf))
	if key := w.workflowKey; key != "" {
		r.Workflow = workflowFromPath(w, item, key)
	}
	w.emit(r)
}
