package loggen

import (
	"bufio"
	"encoding/csv"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/record"
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

// jsonKeys are the `,"name":` prefixes of the canonical fields (the first
// without its comma).
var jsonKeys = func() (k [record.NumFields]string) {
	for i, f := range record.Fields {
		k[i] = `,"` + f.Name + `":`
	}
	k[0] = k[0][1:]
	return k
}()

// alwaysWritten are the text fields the generator writes even when empty
// (as gateways log an empty request id or provider); the other fields are
// written when the record has them (record.Record.Has).
var alwaysWritten = [record.NumFields]bool{
	record.FieldRequestID: true, record.FieldProvider: true, record.FieldWorkflow: true, record.FieldStatus: true,
}

// appendLine appends r as one canonical JSONL line, field by field in the
// order of the record table; badTS, when set, replaces the timestamp.
func (c *canonicalWriter) appendLine(b []byte, e *Event, r *audit.Record, badTS string) []byte {
	b = append(b, '{')
	for i, fd := range record.Fields {
		f := record.FieldID(i)
		if fd.Kind != record.KindTime && !alwaysWritten[f] && !r.Has(f) {
			continue
		}
		b = append(b, jsonKeys[f]...)
		switch fd.Kind {
		case record.KindTime:
			b = append(b, '"')
			if badTS != "" {
				b = append(b, badTS...)
			} else {
				b = r.TS.UTC().AppendFormat(b, tsLayout)
			}
			b = append(b, '"')
		case record.KindString, record.KindDecimal:
			b = appendJSONString(b, r.Text(f))
		case record.KindTokens, record.KindMillis:
			b = strconv.AppendInt(b, *r.Count(f), 10)
		case record.KindTriState:
			b = strconv.AppendBool(b, r.UserWaiting == 1)
		case record.KindTags:
			b = append(b, c.tagsJSON(e.Flow, r.Tags)...)
		}
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

// csvHint marks the hint columns, dropped under StripHints: every field of
// the record table but ts, request_id, provider, model, workflow, the
// token buckets and status.
var csvHint = func() (h [record.NumFields]bool) {
	for i, f := range record.Fields {
		switch record.FieldID(i) {
		case record.FieldTS, record.FieldRequestID, record.FieldProvider, record.FieldModel, record.FieldWorkflow, record.FieldStatus:
		default:
			h[i] = !f.Sum
		}
	}
	return h
}()

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
	for i, f := range record.Fields {
		if !strip || !csvHint[i] {
			head = append(head, f.Name)
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

// cells returns r as a CSV row, field by field in the order of the record
// table, an empty cell for a value r does not have; badTS, when set,
// replaces the timestamp.
func (c *csvWriter) cells(r *audit.Record, badTS string) []string {
	c.row = c.row[:0]
	for i, fd := range record.Fields {
		f := record.FieldID(i)
		if c.strip && csvHint[f] {
			continue
		}
		cell := ""
		switch {
		case fd.Kind == record.KindTime:
			cell = badTS
			if cell == "" {
				cell = r.TS.UTC().Format(tsLayout)
			}
		case !r.Has(f):
		case fd.Kind == record.KindString || fd.Kind == record.KindDecimal:
			cell = r.Text(f)
		case fd.Kind == record.KindTokens || fd.Kind == record.KindMillis:
			cell = strconv.FormatInt(*r.Count(f), 10)
		case fd.Kind == record.KindTriState:
			cell = strconv.FormatBool(r.UserWaiting == 1)
		case fd.Kind == record.KindTags:
			cell = string(appendTagsObject(nil, r.Tags))
		}
		c.row = append(c.row, cell)
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
