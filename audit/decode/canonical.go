package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/costaudit/costaudit/audit/internal/fast"
	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// FormatCanonical is the canonical JSONL format.
const FormatCanonical = "canonical"

var canonicalFormat = &Format{Name: FormatCanonical, Detect: detectCanonical, New: newCanonicalDecoder}

// detectCanonical recognizes a flat object with ts or model and a billed
// token field (rank 180, the last resort).
func detectCanonical(p *probe) int {
	if p.has("ts") || p.has("model") {
		for _, k := range canonicalTokenFields {
			if p.has(k) {
				return 180
			}
		}
	}
	return 0
}

// The canonical JSONL format: one flat JSON object per line with the field
// names of the canonical record. Only ts, model and one token field are
// required. The hot path is a structural skimmer (skim.go, json.go) that
// walks the line once, keeps the raw value of each known field, and parses
// only those; encoding/json is used only for lines the skimmer refuses, to
// accept what it accepts and to name the syntax error of what it rejects.

// Canonical field indices.
const (
	cfTS = iota
	cfRequestID
	cfProvider
	cfModel
	cfWorkflow
	cfSource
	cfMode
	cfUserWaiting
	cfInput
	cfCacheRead
	cfCacheWrite5m
	cfCacheWrite1h
	cfOutput
	cfReasoning
	cfLatency
	cfTTFT
	cfStatus
	cfMaxTokens
	cfLoggedCost
	cfTeam
	cfTags
	cfCount
)

// canonicalFields are the field names, in index order.
var canonicalFields = [cfCount]string{
	"ts", "request_id", "provider", "model", "workflow", "source", "mode", "user_waiting",
	"input_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens",
	"output_tokens", "reasoning_tokens", "latency_ms", "ttft_ms", "status", "max_tokens",
	"logged_cost_usd", "team", "tags",
}

// canonicalTokenFields are the billed token fields; a record needs one.
var canonicalTokenFields = []string{"input_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "output_tokens"}

func canonField(k []byte) int {
	switch string(k) {
	case "ts":
		return cfTS
	case "request_id":
		return cfRequestID
	case "provider":
		return cfProvider
	case "model":
		return cfModel
	case "workflow":
		return cfWorkflow
	case "source":
		return cfSource
	case "mode":
		return cfMode
	case "user_waiting":
		return cfUserWaiting
	case "input_tokens":
		return cfInput
	case "cache_read_tokens":
		return cfCacheRead
	case "cache_write_5m_tokens":
		return cfCacheWrite5m
	case "cache_write_1h_tokens":
		return cfCacheWrite1h
	case "output_tokens":
		return cfOutput
	case "reasoning_tokens":
		return cfReasoning
	case "latency_ms":
		return cfLatency
	case "ttft_ms":
		return cfTTFT
	case "status":
		return cfStatus
	case "max_tokens":
		return cfMaxTokens
	case "logged_cost_usd":
		return cfLoggedCost
	case "team":
		return cfTeam
	case "tags":
		return cfTags
	}
	return -1
}

// canonicalDecoder decodes canonical JSONL lines.
type canonicalDecoder struct {
	vals [cfCount][]byte
	sk   skimmer
}

func newCanonicalDecoder() Decoder { return &canonicalDecoder{} }

func (d *canonicalDecoder) Decode(w *State, line []byte) {
	// The values live on the stack: storing slices there needs no GC
	// write barrier.
	var vals [cfCount][]byte
	if !d.sk.skim(line, &vals) {
		d.slow(w, line)
		return
	}
	w.escKnown, w.escMask = true, d.sk.esc
	w.numMask, w.nums = d.sk.num, &d.sk.nums
	w.tagsSlot = d.sk.tagsSlot()
	// The raw line identifies the record for de-duplication: hashing it is
	// cheaper than hashing the decoded fields, and a line decodes to one
	// record (copies written differently are then resolved by content).
	w.lineFP, w.lineFPOK = xxhash.Sum64(line), true
	r := buildCanonical(w, &vals, line)
	w.escKnown, w.numMask, w.tagsSlot = false, 0, nil
	if r != nil {
		w.emit(r)
	}
}

// slow decodes a line the skimmer refused, with encoding/json.
func (d *canonicalDecoder) slow(w *State, line []byte) {
	m, ok := parseObjectSlow(w, line)
	if !ok {
		return
	}
	d.vals = [cfCount][]byte{}
	for k, v := range m {
		if f := canonField([]byte(k)); f >= 0 {
			d.vals[f] = v
		}
	}
	if r := buildCanonical(w, &d.vals, line); r != nil {
		w.emit(r)
	}
}

// parseObjectSlow parses a line as a JSON object with encoding/json,
// rejecting it (and returning false) when it is not one.
func parseObjectSlow(w *State, line []byte) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			w.reject("", firstBytes(line), record.ReasonNotObject, "")
		} else {
			w.reject("", firstBytes(line), record.ReasonInvalidJSON, err.Error())
		}
		return nil, false
	}
	if m == nil {
		w.reject("", firstBytes(line), record.ReasonNotObject, "")
		return nil, false
	}
	return m, true
}

func firstBytes(b []byte) []byte { return b[:min(len(b), 40)] }

// buildCanonical validates the raw field values of a canonical item and
// fills the worker's record; it rejects the item and returns nil on the
// first bad field, checked in a fixed order.
func buildCanonical(w *State, vals *[cfCount][]byte, line []byte) *record.Record {
	r := w.newRecord()
	// ts: required.
	v := vals[cfTS]
	if v == nil || isNull(v) {
		w.reject("ts", nil, record.ReasonMissing("ts"), "")
		return nil
	}
	var (
		ts time.Time
		ok bool
	)
	if len(v) >= 2 && v[0] == '"' && w.plain(cfTS) {
		ts, ok = w.timestamp(v[1 : len(v)-1])
	} else {
		ts, ok = timestampValue(v)
	}
	if !ok {
		w.reject("ts", v, record.ReasonBadTimestamp, "")
		return nil
	}
	r.TS = ts
	// model: required.
	v = vals[cfModel]
	if v == nil || isNull(v) {
		w.reject("model", nil, record.ReasonMissing("model"), "")
		return nil
	}
	if len(v) < 3 || v[0] != '"' || !labelField(w, cfModel, v, "model", &r.Model, false) {
		if len(v) >= 3 && v[0] == '"' {
			return nil
		}
		w.reject("model", v, record.ReasonBadValue, "want a model name string")
		return nil
	}
	// Tokens: at least one billed bucket.
	have := false
	for i, dst := range [...]*int64{&r.InputTokens, &r.CacheReadTokens, &r.CacheWrite5mTokens, &r.CacheWrite1hTokens, &r.OutputTokens, &r.ReasoningTokens} {
		f := cfInput + i
		if w.numMask&(1<<f) != 0 {
			// Parsed by the skimmer: a plain non-negative integer.
			*dst = w.nums[f]
			have = have || f != cfReasoning
			continue
		}
		n, present, ok := countField(w, canonicalFields[f], vals[f])
		if !ok {
			return nil
		}
		if present {
			*dst = n
			if f != cfReasoning {
				have = true
			}
		}
	}
	if !have {
		w.reject("", nil, record.ReasonMissing("tokens"), "need at least one of input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, output_tokens")
		return nil
	}
	if !applyMeta(w, vals, r) {
		return nil
	}
	if key := w.workflowKey; key != "" {
		r.Workflow = workflowFromPath(w, line, key)
	}
	return r
}

// timestamp is parseTimestamp with a memory of the last minute parsed:
// logs are mostly in time order, so consecutive lines share the
// "YYYY-MM-DDTHH:MM" of a UTC timestamp and only the seconds, the fraction
// and the "Z" need reading. Anything else takes parseTimestamp, whose
// result for these shapes this equals.
func (w *State) timestamp(s []byte) (time.Time, bool) {
	if n := len(s); n >= 20 && w.tsMinuteOK && string(s[:16]) == string(w.tsMinute[:]) && s[16] == ':' && s[n-1] == 'Z' {
		if sec, ok := twoDigits(s[17], s[18]); ok && sec <= 59 {
			if n == 20 {
				return time.Unix(w.tsMinuteUnix+int64(sec), 0).UTC(), true
			}
			if frac := s[19 : n-1]; s[19] == '.' && len(frac) >= 2 && len(frac) <= 10 {
				nsec, scale := 0, 100000000
				for _, c := range frac[1:] {
					if c < '0' || c > '9' {
						nsec = -1
						break
					}
					nsec += int(c-'0') * scale
					scale /= 10
				}
				if nsec >= 0 {
					return time.Unix(w.tsMinuteUnix+int64(sec), int64(nsec)).UTC(), true
				}
			}
		}
	}
	t, ok := parseTimestamp(s)
	if n := len(s); ok && n >= 20 && s[4] == '-' && s[13] == ':' && s[16] == ':' && s[n-1] == 'Z' {
		if sec, ok2 := twoDigits(s[17], s[18]); ok2 {
			copy(w.tsMinute[:], s[:16])
			w.tsMinuteUnix = t.Unix() - int64(sec)
			w.tsMinuteOK = true
		}
	}
	return t, ok
}

// twoDigits reads a two-digit decimal number.
func twoDigits(a, b byte) (int, bool) {
	if a < '0' || a > '9' || b < '0' || b > '9' {
		return 0, false
	}
	return int(a-'0')*10 + int(b-'0'), true
}

// applyMeta validates and sets the optional canonical fields present in
// vals (everything but ts, model and the token counts). Wrapped vendor
// objects use it for their metadata, which overrides the vendor's values.
// It rejects the item and returns false on the first bad field.
func applyMeta(w *State, vals *[cfCount][]byte, r *record.Record) bool {
	var v []byte
	if !labelField(w, cfProvider, vals[cfProvider], "provider", &r.Provider, true) ||
		!labelField(w, cfWorkflow, vals[cfWorkflow], "workflow", &r.Workflow, false) ||
		!labelField(w, cfSource, vals[cfSource], "source", &r.Source, false) ||
		!labelField(w, cfTeam, vals[cfTeam], "team", &r.Team, false) {
		return false
	}
	if v = vals[cfRequestID]; v != nil && !isNull(v) {
		s, ok := fieldString(w, cfRequestID, v)
		if !ok {
			if t, ok2 := scalarText(v); ok2 {
				s, ok = []byte(t), true
			}
		}
		if !ok {
			w.reject("request_id", v, record.ReasonBadValue, "want a string")
			return false
		}
		r.RequestID = fast.String(s)
	}
	if v = vals[cfMode]; v != nil && !isNull(v) {
		s, _ := fieldString(w, cfMode, v)
		m, ok := parseMode(s)
		if !ok {
			w.reject("mode", v, record.ReasonBadValue, "allowed: sync, stream, batch, flex, priority")
			return false
		}
		r.Mode = m
	}
	if v = vals[cfStatus]; v != nil && !isNull(v) {
		s, _ := fieldString(w, cfStatus, v)
		st, ok := normalizeStatus(s)
		if !ok {
			w.reject("status", v, record.ReasonBadValue, "allowed: ok, error, cancelled, expired")
			return false
		}
		r.Status = st
	}
	if v = vals[cfUserWaiting]; v != nil && !isNull(v) {
		switch string(v) {
		case "true", `"true"`, "1":
			r.UserWaiting = 1
		case "false", `"false"`, "0":
			r.UserWaiting = 0
		default:
			w.reject("user_waiting", v, record.ReasonBadValue, "want true or false")
			return false
		}
	}
	if w.numMask&(1<<cfLatency) != 0 {
		r.LatencyMS = w.nums[cfLatency]
	} else if !msField(w, vals[cfLatency], "latency_ms", &r.LatencyMS) {
		return false
	}
	if w.numMask&(1<<cfTTFT) != 0 {
		r.TTFTMS = w.nums[cfTTFT]
	} else if !msField(w, vals[cfTTFT], "ttft_ms", &r.TTFTMS) {
		return false
	}
	if w.numMask&(1<<cfMaxTokens) != 0 {
		r.MaxTokens = w.nums[cfMaxTokens]
	} else if v = vals[cfMaxTokens]; string(v) == "-1" || string(v) == `"-1"` {
		// -1 is the usual way of saying "no limit": no ceiling.
	} else if _, res := ParseCount(v); res == CountTooLarge {
		// Beyond any count: no ceiling either.
	} else if n, present, ok := countField(w, "max_tokens", v); !ok {
		return false
	} else if present {
		r.MaxTokens = n
	}
	if v = vals[cfLoggedCost]; v != nil && !isNull(v) {
		c, ok := decimalText(v)
		if !ok {
			why := "want a decimal number"
			if u := bytes.Trim(v, `"`); validNumber(u) {
				why = "out of range: want 0, or a cost from 1e-30 to below 1000000 USD per record"
			}
			w.reject("logged_cost_usd", v, record.ReasonBadValue, why)
			return false
		}
		r.LoggedCostUSD = c
	}
	if v = vals[cfTags]; v != nil && !isNull(v) {
		if p := w.tagsSlot; p != nil && *p != nil {
			// The skimmer met these exact bytes before and kept their map.
			r.Tags = *p
		} else {
			tags, ok := tagObject(w, v)
			if !ok {
				w.reject("tags", v, record.ReasonBadValue, "want an object of strings")
				return false
			}
			r.Tags = tags
			if p != nil {
				*p = tags
			}
		}
	}
	return true
}

// fieldString returns the content of a string value, without decoding
// when the skimmer saw no escape in it.
func fieldString(w *State, f int, v []byte) ([]byte, bool) {
	if n := len(v); n >= 2 && v[0] == '"' && v[n-1] == '"' && w.plain(f) {
		return v[1 : n-1], true
	}
	return unquote(v)
}

// timestampValue parses a raw JSON timestamp: a string or a number.
func timestampValue(v []byte) (ts time.Time, ok bool) {
	if len(v) > 0 && v[0] == '"' {
		s, ok := unquote(v)
		if !ok {
			return ts, false
		}
		return parseTimestamp(s)
	}
	return parseTimestamp(v)
}

// requiredTimestamp parses the required timestamp field name of a vendor
// log line, rejecting the line (missing, or not a time) when it cannot.
func requiredTimestamp(w *State, name string, v []byte) (time.Time, bool) {
	if v == nil || isNull(v) {
		w.reject(name, nil, record.ReasonMissing(name), "")
		return time.Time{}, false
	}
	ts, ok := timestampValue(v)
	if !ok {
		w.reject(name, v, record.ReasonBadTimestamp, "")
	}
	return ts, ok
}

// countField parses an optional token count. present is false for an
// absent or null field; ok is false after a rejection.
func countField(w *State, name string, v []byte) (n int64, present, ok bool) {
	if v == nil {
		return 0, false, true
	}
	n, res := ParseCount(v)
	switch res {
	case CountOK:
		return n, true, true
	case CountNull:
		return 0, false, true
	case CountNegative:
		w.reject(name, v, record.ReasonNegative, "")
	case CountTooLarge:
		w.reject(name, v, record.ReasonTooManyTokens, "the most one record may hold is "+strconv.FormatInt(record.MaxRecordTokens, 10))
	default:
		w.reject(name, v, record.ReasonNotInteger, "")
	}
	return 0, false, false
}

// msField parses an optional duration in milliseconds (fractions rounded).
func msField(w *State, v []byte, name string, dst *int64) bool {
	if v == nil || isNull(v) {
		return true
	}
	if n, res := ParseCount(v); res == CountOK {
		*dst = n
		return true
	}
	f, ok := parseFloatValue(v)
	if !ok || f < 0 || f > 1e15 {
		w.reject(name, v, record.ReasonBadValue, "want milliseconds, a number >= 0")
		return false
	}
	*dst = int64(f + 0.5)
	return true
}

// labelField interns an optional string label; lower lower-cases it.
func labelField(w *State, f int, v []byte, name string, dst *string, lower bool) bool {
	if v == nil || isNull(v) {
		return true
	}
	// Fast path: a string without escapes, interned as is (the interner
	// checks UTF-8 when it first sees a label).
	if n := len(v); n >= 2 && v[0] == '"' && v[n-1] == '"' && (w.plain(f) || bytes.IndexByte(v[1:n-1], '\\') < 0) {
		s := v[1 : n-1]
		if lower {
			s = lowerASCII(s)
		}
		*dst = w.intern.get(s)
		return true
	}
	s, ok := unquote(v)
	if !ok {
		t, ok2 := scalarText(v)
		if !ok2 {
			w.reject(name, v, record.ReasonBadValue, "want a string")
			return false
		}
		s = []byte(t)
	}
	if lower {
		s = lowerASCII(s)
	}
	*dst = w.intern.get(s)
	return true
}

func lowerASCII(s []byte) []byte {
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			out := make([]byte, len(s))
			copy(out, s)
			for j := i; j < len(out); j++ {
				if out[j] >= 'A' && out[j] <= 'Z' {
					out[j] += 'a' - 'A'
				}
			}
			return out
		}
	}
	return s
}

// parseMode is pricing.ParseMode without allocating.
func parseMode(s []byte) (pricing.Mode, bool) {
	switch string(s) {
	case "", "sync":
		return pricing.ModeSync, true
	case "stream":
		return pricing.ModeStream, true
	case "batch":
		return pricing.ModeBatch, true
	case "flex":
		return pricing.ModeFlex, true
	case "priority":
		return pricing.ModePriority, true
	}
	return "", false
}

// normalizeStatus maps the status words logs use to the canonical ones.
func normalizeStatus(s []byte) (string, bool) {
	switch string(s) {
	case "", "ok", "success", "succeeded", "completed":
		return record.StatusOK, true
	case "error", "errored", "failed", "failure":
		return record.StatusError, true
	case "cancelled", "canceled", "aborted":
		return record.StatusCancelled, true
	case "expired":
		return record.StatusExpired, true
	}
	return "", false
}

// decimalText returns the exact decimal text of a raw JSON number or of a
// string holding one.
func decimalText(v []byte) (string, bool) {
	if len(v) > 1 && v[0] == '"' {
		v = v[1 : len(v)-1]
	}
	if !validNumber(v) || !costMagnitudeOK(v) {
		return "", false
	}
	return string(v), true
}

// MaxLoggedCostUSD bounds a logged cost: |logged_cost_usd| must be below
// this many US dollars per record, and its first significant digit no
// further than 1e-30. A cost outside (such as 1e400) is a rejection, so
// it can neither swamp the reconciliation nor make the exact decimal
// arithmetic expand a 400-digit number.
const MaxLoggedCostUSD = 1_000_000

// costMagnitudeOK reports whether a valid JSON number is 0 or has its
// first significant digit between 1e-30 and 1e5 (below MaxLoggedCostUSD).
func costMagnitudeOK(v []byte) bool {
	if len(v) > 0 && v[0] == '-' {
		v = v[1:]
	}
	exp := 0
	if i := bytes.IndexAny(v, "eE"); i >= 0 {
		e := v[i+1:]
		if len(e) > 0 && (e[0] == '+' || e[0] == '-') {
			e = e[1:]
		}
		if len(e) > 4 {
			return len(bytes.Trim(v[:i], "0.")) == 0 // only 0e99999 is in range
		}
		n, err := strconv.Atoi(string(v[i+1:]))
		if err != nil {
			return false
		}
		exp, v = n, v[:i]
	}
	intPart, frac, _ := bytes.Cut(v, []byte("."))
	intPart = bytes.TrimLeft(intPart, "0")
	var order int
	switch {
	case len(intPart) > 0:
		order = len(intPart) - 1 + exp
	default:
		k := bytes.IndexFunc(frac, func(r rune) bool { return r != '0' })
		if k < 0 {
			return true // zero
		}
		order = -(k + 1) + exp
	}
	return order < 6 && order >= -30
}

// tagObject decodes a flat object of labels into a tag map; numbers and
// booleans become their text. Logs repeat the same few tag objects, so the
// maps are cached per worker by the object's raw bytes and shared between
// records (consumers must not modify them).
func tagObject(w *State, v []byte) (map[string]string, bool) {
	e := &w.tagCache[xxhash.Sum64(v)&(tagCacheSize-1)]
	if e.m != nil && bytes.Equal(e.raw, v) {
		return e.m, true
	}
	it, ok := newObjectIter(v)
	if !ok {
		return nil, false
	}
	tags := map[string]string{}
	for {
		k, tv, esc, done := it.next()
		if done {
			break
		}
		key := k
		if esc {
			kk, ok := unquote(append(append([]byte{'"'}, k...), '"'))
			if !ok {
				return nil, false
			}
			key = kk
		}
		if isNull(tv) {
			continue
		}
		var val []byte
		if tv[0] == '"' {
			if val, ok = unquote(tv); !ok {
				return nil, false
			}
		} else if tv[0] == '{' || tv[0] == '[' {
			return nil, false
		} else {
			val = tv
		}
		tags[w.intern.get(key)] = w.intern.get(val)
	}
	if !it.finish() {
		return nil, false
	}
	e.raw = append(e.raw[:0], v...)
	e.m = tags
	return tags, true
}

// tagCacheSize is the number of tag maps a worker keeps for reuse.
const tagCacheSize = 64

type tagCacheEntry struct {
	raw []byte
	m   map[string]string
}

// workflowFromPath reads the workflow at --workflow-key from a JSON item.
func workflowFromPath(w *State, item []byte, key string) string {
	v, ok := lookupPath(item, key)
	if !ok {
		return ""
	}
	s, ok := scalarText(v)
	if !ok {
		return ""
	}
	return w.intern.get([]byte(s))
}
