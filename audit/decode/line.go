package decode

import (
	"bytes"

	"github.com/costaudit/costaudit/audit/record"
)

// LineDecoder decodes canonical JSONL lines one at a time, with exactly the
// decoder and validation Scan uses for canonical input (the same accepted
// forms, bounds and rejection reasons), but without de-duplication or
// aggregation: `costaudit price` uses it so that it accepts the records
// `costaudit analyze` accepts, and rejects the others with the same
// message. A LineDecoder is not safe for concurrent use.
type LineDecoder struct {
	st   *State
	dec  Decoder
	file File
	line int64
	got  *record.Record
	rec  record.Record
	rej  *record.RejectError
}

// NewLineDecoder returns a decoder of the canonical lines of the input
// called name (as it appears in messages: "stdin", "logs.jsonl").
func NewLineDecoder(name string) *LineDecoder {
	d := &LineDecoder{file: File{Name: name}}
	d.st = NewState(lineSink{d}, "")
	d.st.BeginChunk(&d.file, 0)
	d.dec = d.st.Decoder(canonicalFormat)
	return d
}

// lineSink is the sink of a LineDecoder: it keeps the record, or the first
// rejection, of the line.
type lineSink struct{ d *LineDecoder }

func (s lineSink) Emit(r *record.Record) {
	s.d.rec = *r
	s.d.got = &s.d.rec
}

func (s lineSink) Reject(field string, value []byte, reason, detail string) {
	if s.d.rej == nil {
		s.d.rej = &record.RejectError{File: s.d.file.Name, Line: s.d.line, Field: field, Value: record.ShortValue(value), Reason: reason, Detail: detail}
	}
}

func (s lineSink) Skip() {}

// Decode decodes line number n (1-based; a byte order mark is dropped
// from line 1). It returns the record, or a *record.RejectError saying
// where and why the line is not one; nil and nil for a blank line. The
// record's RequestID and Tags are only valid until the next call.
func (d *LineDecoder) Decode(n int64, line []byte) (*record.Record, error) {
	if n == 1 {
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	}
	line = TrimCR(line)
	if Blank(line) {
		return nil, nil
	}
	d.rej, d.got, d.line = nil, nil, n
	d.st.Begin()
	d.dec.Decode(d.st, line)
	if d.rej != nil {
		return nil, d.rej
	}
	if d.got == nil {
		return nil, &record.RejectError{File: d.file.Name, Line: n, Reason: "not a record"}
	}
	return d.got, nil
}

// Blank reports whether b holds nothing but spaces, tabs and CRs: a blank
// line is no item.
func Blank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// TrimCR drops the CR of a CRLF line ending.
func TrimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}
