package decode

import (
	"encoding/json"
	"path/filepath"
	"strings"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// FormatClaudeCode is Claude Code session transcripts.
const FormatClaudeCode = "claude-code"

var claudeCodeFormat = &Format{Name: FormatClaudeCode, Detect: detectClaudeCode, New: newClaudeCodeDecoder}

// detectClaudeCode recognizes sessionId, parentUuid or leafUuid (rank 80).
func detectClaudeCode(p *probe) int {
	if p.has("sessionId") || p.has("parentUuid") || p.has("leafUuid") {
		return 80
	}
	return 0
}

// Claude Code session logs: ~/.claude/projects/<project>/<session>.jsonl
// (and subagent files below it). Each assistant line carries the Anthropic
// usage of one API response in message.usage; one response is written on
// several lines (one per content block) with the same message.id and
// requestId, so those are one request and the copies are counted as
// duplicates. User turns, summaries, system lines and the like hold no
// request and are skipped, as are the synthetic assistant messages Claude
// Code writes itself (model "<synthetic>", e.g. the API error notices
// marked isApiErrorMessage, with zero usage). An assistant line with usage
// but no model is rejected as "missing field model", as in the other
// formats, unless it is marked as an API error: that is an unbilled error
// record.

type ccLine struct {
	Type      string          `json:"type"`
	Timestamp json.RawMessage `json:"timestamp"`
	RequestID string          `json:"requestId"`
	CWD       string          `json:"cwd"`
	CostUSD   json.RawMessage `json:"costUSD"`
	Message   *struct {
		ID    string    `json:"id"`
		Model string    `json:"model"`
		Usage *antUsage `json:"usage"`
	} `json:"message"`
	IsAPIError bool `json:"isApiErrorMessage"`
}

type claudeCodeDecoder struct {
	project map[*File]string
}

func newClaudeCodeDecoder() Decoder { return &claudeCodeDecoder{project: map[*File]string{}} }

// ccProject returns the project directory name of a session file: the path
// component after "projects", else the file's directory name.
func ccProject(name string) string {
	parts := strings.Split(filepath.ToSlash(name), "/")
	for i := len(parts) - 2; i >= 0; i-- {
		if parts[i] == "projects" && i+1 < len(parts)-1 {
			return parts[i+1]
		}
	}
	if len(parts) >= 2 && parts[len(parts)-2] != "." && parts[len(parts)-2] != "" {
		return parts[len(parts)-2]
	}
	return ""
}

func (d *claudeCodeDecoder) Decode(w *State, item []byte) {
	var l ccLine
	if err := unmarshalFast(item, &l); err != nil {
		var m map[string]json.RawMessage
		if json.Unmarshal(item, &m) == nil {
			w.reject("", firstBytes(item), record.ReasonBadValue, err.Error())
		} else {
			w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		}
		return
	}
	// Any line whose message carries usage is an API response, whatever
	// its type (ccusage counts them the same way); user turns, summaries
	// and system lines carry none.
	if l.Message == nil || l.Message.Usage == nil || l.Message.Model == "<synthetic>" {
		w.skip()
		return
	}
	if l.Message.Model == "" && !l.IsAPIError {
		// Claude Code names the model of every response it got (and
		// "<synthetic>" for the messages it writes itself): usage without
		// a model cannot be priced, as in every other format.
		w.reject("message.model", nil, record.ReasonMissing("model"), "")
		return
	}
	r := w.newRecord()
	r.Provider = "anthropic"
	r.Mode = pricing.ModeStream
	r.Source = "ide"
	r.Model = w.intern.get([]byte(l.Message.Model))
	if l.Message.ID != "" || l.RequestID != "" {
		r.RequestID = l.Message.ID + ":" + l.RequestID
	}
	ts, ok := requiredTimestamp(w, "timestamp", l.Timestamp)
	if !ok {
		return
	}
	r.TS = ts
	// Same usage rules as the Messages API (https://platform.claude.com/docs/en/build-with-claude/prompt-caching).
	if !anthropicUsage(w, "message.usage.", l.Message.Usage, r) {
		return
	}
	if r.Mode == pricing.ModeSync {
		r.Mode = pricing.ModeStream
	}
	if l.IsAPIError {
		r.Status = record.StatusError
	}
	iterations := len(l.Message.Usage.Iterations) > 0
	if v := l.CostUSD; v != nil && !isNull(v) {
		if c, ok := exactDecimal(v); ok {
			r.LoggedCostUSD = c
		}
	}
	proj, ok := d.project[w.file]
	if !ok {
		proj = ccProject(w.file.Name)
		d.project[w.file] = proj
	}
	if proj == "" && l.CWD != "" {
		proj = filepath.Base(l.CWD)
	}
	r.Workflow = w.intern.get([]byte(proj))
	if key := w.workflowKey; key != "" {
		r.Workflow = workflowFromPath(w, item, key)
	}
	if iterations {
		emitIterations(w, "message.usage.", l.Message.Usage, r)
		return
	}
	w.emit(r)
}
