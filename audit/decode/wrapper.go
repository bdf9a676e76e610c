package decode

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/record"
)

// The metadata wrapper. Teams that log vendor responses usually add their
// own context around them. costaudit accepts, for OpenAI and Anthropic
// responses, either the bare response object or this wrapper:
//
//	{"ts":"2026-05-01T10:00:00Z", "workflow":"triage", "source":"webhook",
//	 "mode":"stream", "user_waiting":true, "latency_ms":2400, "ttft_ms":300,
//	 "team":"cs", "tags":{"env":"prod"}, "request_id":"...", "status":"ok",
//	 "max_tokens":1024, "logged_cost_usd":"0.0123", "provider":"azure",
//	 "request":{...the request params, optional...},
//	 "response":{...the vendor response object...}}
//
// Every wrapper field is optional and uses the canonical field name and
// rules; "timestamp" is accepted for "ts". A wrapper field overrides what
// the response says. From "request", the adapters read "stream" (mode
// stream) and "max_tokens" / "max_completion_tokens" / "max_output_tokens".

// envelope is an item split into its wrapper metadata and vendor object.
type envelope struct {
	vals    [cfCount][]byte // wrapper fields, when wrapped
	body    []byte          // the vendor object
	request []byte          // the logged request params, if any
	wrapped bool
}

// parseEnvelope splits item; it rejects the item and returns false when it
// is not a JSON object.
func parseEnvelope(w *State, item []byte, env *envelope) bool {
	*env = envelope{body: item}
	var ts, timestamp []byte
	it, ok := newObjectIter(item)
	var members map[string]json.RawMessage
	if ok {
		for {
			k, v, esc, done := it.next()
			if done {
				break
			}
			if esc {
				ok = false
				break
			}
			env.member(k, v, &ts, &timestamp)
		}
		ok = ok && it.finish()
	}
	if !ok {
		// The skimmer refused the item: let encoding/json decide.
		m, ok := parseObjectSlow(w, item)
		if !ok {
			return false
		}
		members = m
		*env = envelope{body: item}
		ts, timestamp = nil, nil
		for k, v := range members {
			env.member([]byte(k), v, &ts, &timestamp)
		}
	}
	if !env.wrapped {
		env.vals = [cfCount][]byte{}
		env.request = nil
		return true
	}
	if ts == nil {
		env.vals[cfTS] = timestamp
	}
	return true
}

// member records one wrapper member k: the vendor object under "response",
// the request params, the two timestamp spellings, and any canonical field.
func (env *envelope) member(k, v []byte, ts, timestamp *[]byte) {
	switch string(k) {
	case "response":
		if len(v) > 0 && v[0] == '{' {
			env.body = v
			env.wrapped = true
		}
	case "request":
		env.request = v
	case "timestamp":
		*timestamp = v
	case "ts":
		*ts = v
	}
	if f := canonField(k); f >= 0 {
		env.vals[f] = v
	}
}

// apply sets the wrapper's ts (when given) and metadata on r. It returns
// false after a rejection.
func (env *envelope) apply(w *State, r *record.Record) bool {
	if !env.wrapped {
		return true
	}
	if v := env.vals[cfTS]; v != nil && !isNull(v) {
		ts, ok := timestampValue(v)
		if !ok {
			w.reject("ts", v, record.ReasonBadTimestamp, "")
			return false
		}
		r.TS, r.TSFromFile = ts, false
	}
	if v := env.vals[cfModel]; v != nil && !isNull(v) {
		if !labelField(w, -1, v, "model", &r.Model, false) {
			return false
		}
	}
	if env.request != nil {
		var req struct {
			Stream          bool            `json:"stream"`
			MaxTokens       json.RawMessage `json:"max_tokens"`
			MaxCompletion   json.RawMessage `json:"max_completion_tokens"`
			MaxOutputTokens json.RawMessage `json:"max_output_tokens"`
		}
		if json.Unmarshal(env.request, &req) == nil {
			if req.Stream {
				r.Mode = "stream"
			}
			for _, v := range []json.RawMessage{req.MaxTokens, req.MaxCompletion, req.MaxOutputTokens} {
				if n, res := ParseCount(v); res == CountOK && n > 0 {
					r.MaxTokens = n
				}
			}
		}
	}
	return applyMeta(w, &env.vals, r)
}

// finishVendor applies the shared last steps of every vendor adapter:
// a timestamp is required; --workflow-key overrides the workflow.
func finishVendor(w *State, item []byte, r *record.Record) bool {
	if r.TS.IsZero() {
		w.reject("ts", nil, record.ReasonMissing("ts"), "this log line has no timestamp: wrap it as {\"ts\":...,\"response\":{...}} or keep the file's modification time")
		return false
	}
	if key := w.workflowKey; key != "" {
		r.Workflow = workflowFromPath(w, item, key)
	}
	return true
}

// count parses an optional vendor token count, rejecting the item on a
// bad value; absent or null counts are 0.
func count(w *State, field string, v json.RawMessage, ok *bool) int64 {
	if !*ok {
		return 0
	}
	n, _, good := countField(w, field, v)
	if !good {
		*ok = false
	}
	return n
}

// exactDecimal returns the plain decimal text of a JSON number ("1.2e-05"
// becomes "0.000012"), for logged costs.
func exactDecimal(v []byte) (string, bool) {
	t, ok := decimalText(v)
	if !ok {
		return "", false
	}
	if strings.ContainsAny(t, "eE") {
		d, err := decimal.NewFromString(t)
		if err != nil {
			return "", false
		}
		return d.String(), true
	}
	return t, true
}

var batchIDPattern = regexp.MustCompile(`(?:msgbatch|batch)_[A-Za-z0-9]+`)

// batchWorkflow returns the workflow of a batch result line: the custom_id
// prefix (the part before the last '-', '_', ':', '/', '#' or '.', or
// without trailing digits; "doc-42" → "doc", "ticket000123" → "ticket")
// unless that looks like a random id, then the batch id found in the file
// name (batch_… or msgbatch_…), then the file name stem.
func batchWorkflow(customID string, f *File) string {
	if p, ok := customIDPrefix(customID); ok {
		return p
	}
	if id := batchIDPattern.FindString(f.Stem); id != "" {
		return id
	}
	return f.Stem
}

func customIDPrefix(id string) (string, bool) {
	p := id
	if i := strings.LastIndexAny(p, "-_:/#."); i > 0 {
		p = p[:i]
	} else {
		p = strings.TrimRight(p, "0123456789")
	}
	p = strings.TrimRight(p, "-_:/#. ")
	if p == "" || p == id || looksRandom(p) {
		return "", false
	}
	return p, true
}

// looksRandom reports whether s holds a run of 8 or more characters mixing
// hex letters and digits, as UUIDs and hashes do.
func looksRandom(s string) bool {
	run, digits, letters := 0, 0, 0
	for i := 0; i <= len(s); i++ {
		var c byte
		if i < len(s) {
			c = s[i]
		}
		switch {
		case c >= '0' && c <= '9':
			run++
			digits++
		case (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'):
			run++
			letters++
		default:
			if run >= 8 && digits > 0 && letters > 0 {
				return true
			}
			run, digits, letters = 0, 0, 0
		}
	}
	return false
}
