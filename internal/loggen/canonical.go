package loggen

import (
	"bufio"
	"encoding/csv"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/costaudit/costaudit/audit"
)

const tsLayout = "2006-01-02T15:04:05.000Z07:00"

// badTimestamps are the unparseable ts values bad lines carry.
var badTimestamps = []string{"2026-13-01T00:00:00Z", "yesterday", "2026-02-30T25:61:00Z", "11/03/2026 02:00"}

// canonicalWriter writes canonical JSONL with strconv appends into one
// reused buffer: no reflection and no allocation per record on the hot path.
type canonicalWriter struct {
	w    *bufio.Writer
	buf  []byte
	tags map[*Workflow][]byte // encoded "tags" object per workflow
}

func newCanonicalWriter(t *countingTarget) *canonicalWriter {
	return &canonicalWriter{w: bufio.NewWriterSize(t, 256<<10), buf: make([]byte, 0, 1024), tags: map[*Workflow][]byte{}}
}

func (c *canonicalWriter) accepts(*Event) bool { return true }

func (c *canonicalWriter) write(e *Event) error {
	c.buf = c.appendLine(c.buf[:0], e, &e.Rec, "")
	_, err := c.w.Write(c.buf)
	return err
}

func (c *canonicalWriter) writeBad(e *Event, k BadKind) (BadKind, error) {
	rec := e.Rec
	ts := ""
	switch k {
	case BadNegativeTokens:
		rec.OutputTokens = -1 - int64(e.ID%500)
	case BadTimestamp:
		ts = badTimestamps[e.ID%uint64(len(badTimestamps))]
	case BadMissingModel:
		rec.Model = ""
	}
	c.buf = c.appendLine(c.buf[:0], e, &rec, ts)
	if k == BadInvalidJSON {
		c.buf = append(cutLine(c.buf, e.ID), '\n')
	}
	_, err := c.w.Write(c.buf)
	return k, err
}

// cutLine truncates a line (without its newline) somewhere in its middle
// third, so that it is no longer valid JSON.
func cutLine(b []byte, id uint64) []byte {
	b = b[:len(b)-1]
	third := max(1, len(b)/3)
	return b[:third+int(id%uint64(third))]
}

func (c *canonicalWriter) close() error { return c.w.Flush() }

func (c *canonicalWriter) appendLine(b []byte, e *Event, r *audit.Record, badTS string) []byte {
	b = append(b, `{"ts":"`...)
	if badTS != "" {
		b = append(b, badTS...)
	} else {
		b = r.TS.UTC().AppendFormat(b, tsLayout)
	}
	b = append(b, `","request_id":`...)
	b = appendJSONString(b, r.RequestID)
	b = append(b, `,"provider":`...)
	b = appendJSONString(b, r.Provider)
	if r.Model != "" {
		b = append(b, `,"model":`...)
		b = appendJSONString(b, r.Model)
	}
	b = append(b, `,"workflow":`...)
	b = appendJSONString(b, r.Workflow)
	if r.Source != "" {
		b = append(b, `,"source":`...)
		b = appendJSONString(b, r.Source)
	}
	if r.Mode != "" {
		b = append(b, `,"mode":`...)
		b = appendJSONString(b, string(r.Mode))
	}
	if r.UserWaiting >= 0 {
		b = append(b, `,"user_waiting":`...)
		b = strconv.AppendBool(b, r.UserWaiting == 1)
	}
	b = appendIntField(b, `,"input_tokens":`, r.InputTokens)
	b = appendIntField(b, `,"cache_read_tokens":`, r.CacheReadTokens)
	b = appendIntField(b, `,"cache_write_5m_tokens":`, r.CacheWrite5mTokens)
	b = appendIntField(b, `,"cache_write_1h_tokens":`, r.CacheWrite1hTokens)
	b = appendIntField(b, `,"output_tokens":`, r.OutputTokens)
	b = appendIntField(b, `,"reasoning_tokens":`, r.ReasoningTokens)
	if r.LatencyMS >= 0 {
		b = appendIntField(b, `,"latency_ms":`, r.LatencyMS)
	}
	if r.TTFTMS >= 0 {
		b = appendIntField(b, `,"ttft_ms":`, r.TTFTMS)
	}
	b = append(b, `,"status":`...)
	b = appendJSONString(b, r.Status)
	if r.MaxTokens > 0 {
		b = appendIntField(b, `,"max_tokens":`, r.MaxTokens)
	}
	if r.LoggedCostUSD != "" {
		b = append(b, `,"logged_cost_usd":`...)
		b = appendJSONString(b, r.LoggedCostUSD)
	}
	if r.Team != "" {
		b = append(b, `,"team":`...)
		b = appendJSONString(b, r.Team)
	}
	if len(r.Tags) > 0 {
		b = append(b, `,"tags":`...)
		b = append(b, c.tagsJSON(e.Flow, r.Tags)...)
	}
	return append(b, "}\n"...)
}

func (c *canonicalWriter) tagsJSON(wf *Workflow, tags map[string]string) []byte {
	if t, ok := c.tags[wf]; ok {
		return t
	}
	t := appendTagsObject(nil, tags)
	c.tags[wf] = t
	return t
}

// appendTagsObject appends tags as a JSON object with sorted keys.
func appendTagsObject(b []byte, tags map[string]string) []byte {
	b = append(b, '{')
	for i, k := range sortedKeys(tags) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, tags[k])
	}
	return append(b, '}')
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func appendIntField(b []byte, key string, v int64) []byte {
	b = append(b, key...)
	return strconv.AppendInt(b, v, 10)
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// csvColumns are the canonical CSV header; hint columns are dropped under
// StripHints.
var csvColumns = []struct {
	name string
	hint bool
}{
	{"ts", false}, {"request_id", false}, {"provider", false}, {"model", false}, {"workflow", false},
	{"source", true}, {"mode", true}, {"user_waiting", true},
	{"input_tokens", false}, {"cache_read_tokens", false}, {"cache_write_5m_tokens", false},
	{"cache_write_1h_tokens", false}, {"output_tokens", false}, {"reasoning_tokens", false},
	{"latency_ms", true}, {"ttft_ms", true}, {"status", false}, {"max_tokens", true},
	{"logged_cost_usd", true}, {"team", true}, {"tags", true},
}

type csvWriter struct {
	bw    *bufio.Writer
	w     *csv.Writer
	strip bool
	row   []string
}

func newCSVWriter(t *countingTarget, strip bool) (*csvWriter, error) {
	bw := bufio.NewWriterSize(t, 256<<10)
	c := &csvWriter{bw: bw, w: csv.NewWriter(bw), strip: strip}
	var head []string
	for _, col := range csvColumns {
		if !strip || !col.hint {
			head = append(head, col.name)
		}
	}
	return c, c.w.Write(head)
}

func (c *csvWriter) accepts(*Event) bool { return true }

func (c *csvWriter) write(e *Event) error { return c.w.Write(c.cells(&e.Rec, "")) }

func (c *csvWriter) writeBad(e *Event, k BadKind) (BadKind, error) {
	rec := e.Rec
	ts := ""
	switch k {
	case BadInvalidJSON:
		// A CSV row cannot be bad JSON; a row cut short is the CSV analogue.
		row := c.cells(&rec, "")
		return k, c.w.Write(row[:len(row)/2])
	case BadNegativeTokens:
		rec.OutputTokens = -1 - int64(e.ID%500)
	case BadTimestamp:
		ts = badTimestamps[e.ID%uint64(len(badTimestamps))]
	case BadMissingModel:
		rec.Model = ""
	}
	return k, c.w.Write(c.cells(&rec, ts))
}

func optInt(v int64, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.FormatInt(v, 10)
}

func (c *csvWriter) cells(r *audit.Record, badTS string) []string {
	ts := badTS
	if ts == "" {
		ts = r.TS.UTC().Format(tsLayout)
	}
	uw := ""
	if r.UserWaiting >= 0 {
		uw = strconv.FormatBool(r.UserWaiting == 1)
	}
	tags := ""
	if len(r.Tags) > 0 {
		tags = string(appendTagsObject(nil, r.Tags))
	}
	all := [...]string{
		ts, r.RequestID, r.Provider, r.Model, r.Workflow,
		r.Source, string(r.Mode), uw,
		strconv.FormatInt(r.InputTokens, 10), strconv.FormatInt(r.CacheReadTokens, 10),
		strconv.FormatInt(r.CacheWrite5mTokens, 10), strconv.FormatInt(r.CacheWrite1hTokens, 10),
		strconv.FormatInt(r.OutputTokens, 10), strconv.FormatInt(r.ReasoningTokens, 10),
		optInt(r.LatencyMS, r.LatencyMS >= 0), optInt(r.TTFTMS, r.TTFTMS >= 0), r.Status,
		optInt(r.MaxTokens, r.MaxTokens > 0), r.LoggedCostUSD, r.Team, tags,
	}
	c.row = c.row[:0]
	for i, col := range csvColumns {
		if !c.strip || !col.hint {
			c.row = append(c.row, all[i])
		}
	}
	return c.row
}

func (c *csvWriter) close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

// unixNanos formats t as decimal nanoseconds since the epoch.
func unixNanos(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }
