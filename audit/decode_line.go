package audit

import "bytes"

// LineDecoder decodes canonical JSONL lines one at a time, with exactly the
// decoder and validation Scan uses for canonical input (the same accepted
// forms, bounds and rejection reasons), but without de-duplication or
// aggregation: `costaudit price` uses it so that it accepts the records
// `costaudit analyze` accepts, and rejects the others with the same
// message. A LineDecoder is not safe for concurrent use.
type LineDecoder struct {
	w   *worker
	dec decoder
	got *Record
	rec Record
}

// lineCatch is the consumer of a LineDecoder: it keeps the last record.
type lineCatch struct{ d *LineDecoder }

func (c lineCatch) Consume(r *Record) {
	c.d.rec = *r
	c.d.got = &c.d.rec
}

// NewLineDecoder returns a decoder of the canonical lines of the input
// called name (as it appears in messages: "stdin", "logs.jsonl").
func NewLineDecoder(name string) *LineDecoder {
	d := &LineDecoder{}
	ss := &scanState{opts: &ScanOptions{MaxLineBytes: DefaultMaxLineBytes}}
	ss.stop.Store(1<<62 - 1)
	d.w = newWorker(ss, lineCatch{d})
	f := formatByName(FormatCanonical)
	d.w.file = &fileCtx{name: name, format: f, stem: fileStem(name)}
	d.dec = d.w.decoderFor(f)
	return d
}

// Decode decodes line number n (1-based; a byte order mark is dropped
// from line 1). It returns the record, or a *RejectError saying where and
// why the line is not one; nil and nil for a blank line. The record's
// RequestID and Tags are only valid until the next call.
func (d *LineDecoder) Decode(n int64, line []byte) (*Record, error) {
	if n == 1 {
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	}
	line = trimCR(line)
	if isBlank(line) {
		return nil, nil
	}
	w := d.w
	w.firstRej = nil
	d.got = nil
	w.begin(n, line)
	d.dec.decode(w, line)
	w.flushPending()
	if w.firstRej != nil {
		return nil, w.firstRej
	}
	if d.got == nil {
		return nil, &RejectError{File: w.file.name, Line: n, Reason: "not a record"}
	}
	return d.got, nil
}
