package audit

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/costaudit/costaudit/audit/decode"
	"github.com/costaudit/costaudit/audit/internal/fast"
	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/internal/numfmt"
)

// ScanOptions configures Scan.
type ScanOptions struct {
	// FormatIn forces one format for every input; "" detects it per file
	// from its first records. See Formats for the names.
	FormatIn string
	// WorkflowKey names where the workflow comes from instead of the
	// format's default: a field ("team"), a tag ("tags.feature"), or a dotted
	// path into the logged object ("metadata.user_api_key_alias"); for OTel
	// spans a span or resource attribute key; for CSV a column name or
	// tags.KEY. A record without it gets an empty workflow.
	WorkflowKey string
	// Strict makes the first rejection (in input order) an error.
	Strict bool
	// Workers is the number of decoding goroutines; 0 means runtime.NumCPU().
	Workers int
	// Rejects receives the raw rejected lines, in input order, each ending
	// in a newline (nil drops them). A line longer than MaxLineBytes is
	// written cut to MaxLineBytes; a CSV row is written re-encoded.
	Rejects io.Writer
	// Progress, when set, is called from one goroutine with the raw bytes
	// read so far (before decompression), about once per MiB.
	Progress func(bytesRead int64)
	// MaxLineBytes bounds one line (or one JSON array element); a longer one
	// is rejected as "line too long" without being held in memory. 0 means
	// DefaultMaxLineBytes.
	MaxLineBytes int
}

// DefaultMaxLineBytes is the longest line Scan accepts unless told otherwise.
const DefaultMaxLineBytes = 8 << 20

// chunkSize is the size of the newline-aligned chunks the reader hands to
// the workers.
const chunkSize = 1 << 20

// Consumer receives the records of one worker. Scan creates one per worker
// and never calls one concurrently, and it may hand a worker's records over
// in another order than it read them (see worker.emit): results must not
// depend on the order. The record, its Tags map and its
// RequestID string are only valid during the call (they alias buffers that
// are reused): copy what must outlive it, with strings.Clone for RequestID.
// Provider, Model, Workflow, Source and Team, and the keys and values of
// Tags, are safe to keep. Tags maps may be shared between records: never
// modify one.
type Consumer interface {
	Consume(r *Record)
}

// Stats counts what Scan read. Every input item (a non-blank line, a JSON
// array element, a CSV row after the header; for OTLP files every span, a
// line without spans counting as one skipped item) is exactly one of a
// record, a duplicate, a rejection or a skipped item:
// Lines == Records + Duplicates + Rejected + Skipped.
type Stats struct {
	Files      int
	Lines      int64
	Records    int64 // records handed to consumers
	Duplicates int64 // items whose request id was already kept
	Rejected   int64
	Skipped    int64 // valid items that hold no request (Claude Code user turns, non-LLM spans, ...)
	// RejectedByReason counts rejections by reason (the Reason* keys,
	// "missing field X", ...).
	RejectedByReason map[string]int64
	// Formats counts input files by the format they were read as.
	Formats map[string]int64
	// FirstReject is the message of the first rejection in input order,
	// empty when nothing was rejected.
	FirstReject string
	// DedupConflicts counts duplicates whose content differed from the
	// kept copy (see the de-duplication rule in dedup.go).
	DedupConflicts int64
	// DedupMismatches counts the conflicting duplicates whose workflow,
	// model or status differ from the kept copy's; MismatchExample is the
	// smallest request id among them.
	DedupMismatches int64
	MismatchExample string
	// DistinctIDs is the size of the de-duplication set.
	DistinctIDs int64
	// Passes is 2 when differing copies of one id made Scan re-read the
	// inputs to keep the content-chosen copy, else 1.
	Passes int
	// EmptyFiles names the inputs that held no item at all.
	EmptyFiles []string
	// Warnings are facts about the inputs a user should see, such as a
	// --format-in that does not match a file, or one under which no item
	// is a record. BuildReport adds them to the report's notes.
	Warnings []string
	// BytesRead is the raw bytes read (before decompression).
	BytesRead int64
}

func (s *Stats) add(o *Stats) {
	s.Lines += o.Lines
	s.Records += o.Records
	s.Duplicates += o.Duplicates
	s.Rejected += o.Rejected
	s.Skipped += o.Skipped
	s.DedupConflicts += o.DedupConflicts
	s.DedupMismatches += o.DedupMismatches
	if o.MismatchExample != "" && (s.MismatchExample == "" || o.MismatchExample < s.MismatchExample) {
		s.MismatchExample = o.MismatchExample
	}
	for k, v := range o.RejectedByReason {
		if s.RejectedByReason == nil {
			s.RejectedByReason = map[string]int64{}
		}
		s.RejectedByReason[k] += v
	}
}

// Scan decodes every input into canonical records and hands each kept
// record to the consumer of the worker that decoded it. It returns the
// counts, the consumers (one per worker, to be merged by the caller), and an
// error for what makes the result unusable: an unreadable input, a truncated
// or corrupt compressed stream, a binary file, an unknown --format-in, and
// under Strict the first rejection (a *RejectError, wrapped). Rejections are
// otherwise only counted.
//
// Totals do not depend on the order of inputs or lines, on how the lines
// are split into files, or on the number of workers.
func Scan(inputs []Input, opts ScanOptions, newConsumer func() Consumer) (Stats, []Consumer, error) {
	if opts.FormatIn != "" && decode.FormatByName(opts.FormatIn) == nil {
		return Stats{}, nil, fmt.Errorf("unknown input format %q (allowed: %s)", opts.FormatIn, strings.Join(decode.Formats(), ", "))
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	dd := newDedupSet()
	// Reserve the de-duplication set for one record per 420 bytes of
	// uncompressed input: canonical lines (about 430 bytes from costaudit
	// gen) are rarely much shorter, vendor lines are longer, and compressed
	// inputs are not counted, so the tables end at most one doubling
	// bigger than they would have grown to.
	var plain int64
	for _, in := range inputs {
		if in.Size > 0 && !isCompressedName(in.Name) {
			plain += in.Size
		}
	}
	dd.reserve(plain / 420)
	st, cons, err := scanPass(inputs, opts, newConsumer, dd, false)
	if err != nil {
		dd.free()
		return st, cons, err
	}
	st.Passes = 1
	if dd.superseded > 0 {
		// A kept copy lost to a later, larger copy of the same id: read
		// again with the winners known. Rejects were written in pass one.
		opts2 := opts
		opts2.Rejects = nil
		opts2.Progress = nil
		st2, cons2, err2 := scanPass(inputs, opts2, newConsumer, dd, true)
		if err2 != nil {
			dd.free()
			return st, cons, fmt.Errorf("second de-duplication pass (copies of one request id differ, so the inputs are read again to keep the larger copy): %w", err2)
		}
		st2.Passes = 2
		st2.BytesRead = st.BytesRead
		st, cons = st2, cons2
	}
	st.DistinctIDs = dd.len()
	dd.free()
	if opts.FormatIn != "" && st.Records == 0 && st.Duplicates == 0 && st.Lines > 0 {
		st.Warnings = append(st.Warnings, fmt.Sprintf("--format-in %s: none of the %s items read is a record of that format (%s skipped, %s rejected): check --format-in, or leave it out to detect each file's format",
			opts.FormatIn, numfmt.Int(st.Lines), numfmt.Int(st.Skipped), numfmt.Int(st.Rejected)))
	}
	return st, cons, nil
}

// chunk is one unit of work: newline-separated lines, a list of JSON
// elements, or CSV rows, all from one file.
type chunk struct {
	seq       int64
	file      *fileCtx
	buf       *[]byte // owning buffer, returned to the pool after use
	data      []byte
	firstLine int64
	elems     []elemSpan // JSON array/stream elements, when set
	rows      [][]string // CSV rows, when set
	rowLines  []int64
	tooLong   int64 // >0: data is the cut prefix of one over-long item of this size
}

type elemSpan struct {
	start, end int
	line       int64
}

// fileCtx describes one input file as the workers see it.
type fileCtx struct {
	decode.File
	index  int
	format *decode.Format
}

// scanState is shared by the reader and the workers of one pass.
type scanState struct {
	opts    *ScanOptions
	dd      *dedupSet
	frozen  bool
	stop    atomic.Int64 // strict: skip chunks with a greater seq
	abort   atomic.Bool  // fatal error: stop everything
	pool    chan *[]byte
	bufSize int
	rejects *orderedWriter
}

func scanPass(inputs []Input, opts ScanOptions, newConsumer func() Consumer, dd *dedupSet, frozen bool) (Stats, []Consumer, error) {
	ss := &scanState{opts: &opts, dd: dd, frozen: frozen}
	ss.stop.Store(1<<62 - 1)
	// Buffers are allocated on first use; small inputs get small ones
	// (they grow for long lines or decompressed data as needed).
	nbuf := 2*opts.Workers + 2
	ss.bufSize = 64 << 10
	for _, in := range inputs {
		if in.Size < 0 || in.Size >= chunkSize/16 {
			ss.bufSize = chunkSize
		}
	}
	ss.pool = make(chan *[]byte, nbuf)
	for i := 0; i < nbuf; i++ {
		ss.pool <- new([]byte)
	}
	if opts.Rejects != nil {
		ss.rejects = &orderedWriter{w: opts.Rejects, pending: map[int64][]byte{}}
	}
	work := make(chan *chunk, opts.Workers)
	workers := make([]*worker, opts.Workers)
	var wg sync.WaitGroup
	for i := range workers {
		w := newWorker(ss, newConsumer())
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				w.run(c)
				if c.buf != nil {
					ss.pool <- c.buf
				}
			}
		}()
	}
	rd := &reader{ss: ss, work: work}
	readErr := rd.readAll(inputs)
	close(work)
	wg.Wait()

	st := Stats{Files: len(inputs), Formats: rd.formats, EmptyFiles: rd.empty, Warnings: rd.warnings, BytesRead: rd.bytesRead}
	var first *RejectError
	var firstPos position
	cons := make([]Consumer, len(workers))
	for i, w := range workers {
		st.add(&w.stats)
		cons[i] = w.consumer
		if w.firstRej != nil && (first == nil || w.firstPos.less(firstPos)) {
			first, firstPos = w.firstRej, w.firstPos
		}
	}
	if st.RejectedByReason == nil {
		st.RejectedByReason = map[string]int64{}
	}
	if first != nil {
		st.FirstReject = first.Error()
	}
	if ss.rejects != nil && ss.rejects.err != nil && readErr == nil {
		readErr = fmt.Errorf("write rejects: %w", ss.rejects.err)
	}
	if readErr != nil {
		return st, cons, readErr
	}
	if opts.Strict && first != nil {
		return st, cons, fmt.Errorf("strict: %w", first)
	}
	return st, cons, nil
}

// orderedWriter writes the rejected lines of each chunk in chunk order.
type orderedWriter struct {
	mu      sync.Mutex
	w       io.Writer
	next    int64
	pending map[int64][]byte
	err     error
}

func (o *orderedWriter) put(seq int64, b []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if seq != o.next {
		o.pending[seq] = append([]byte(nil), b...)
		return
	}
	o.write(b)
	o.next++
	for {
		p, ok := o.pending[o.next]
		if !ok {
			return
		}
		delete(o.pending, o.next)
		o.write(p)
		o.next++
	}
}

func (o *orderedWriter) write(b []byte) {
	if len(b) == 0 || o.err != nil {
		return
	}
	_, o.err = o.w.Write(b)
}

// worker decodes chunks and feeds its consumer; it is the decoders'
// decode.Sink.
type worker struct {
	ss       *scanState
	consumer Consumer
	stats    Stats
	firstRej *RejectError
	firstPos position
	dec      *decode.State
	rejBuf   []byte

	// pend holds records whose de-duplication is deferred until a few
	// more have been decoded, so that the set's slots, prefetched when
	// each record was emitted, are in cache when admitted (see Emit).
	pend    [pendCap]pendingRecord
	npend   int
	idArena []byte // pending records' request ids
	// dedupCount counts the worker's inserts into the de-duplication set.
	dedupCount dedupLocal
	ident      [identSlots]identSlot

	// The item being decoded.
	file     *fileCtx
	line     int64
	raw      []byte
	rawRow   []string
	rejected bool
	chunkSeq int64
}

func newWorker(ss *scanState, c Consumer) *worker {
	w := &worker{
		ss:       ss,
		consumer: c,
		stats:    Stats{RejectedByReason: map[string]int64{}},
	}
	w.dec = decode.NewState(w, ss.opts.WorkflowKey)
	return w
}

func (w *worker) run(c *chunk) {
	w.rejBuf = w.rejBuf[:0]
	w.chunkSeq = c.seq
	skip := w.ss.abort.Load() || c.seq > w.ss.stop.Load()
	if !skip {
		w.ss.dd.enter()
		w.decodeChunk(c)
		w.flushPending()
		w.ss.dd.leave()
	}
	if w.ss.rejects != nil {
		w.ss.rejects.put(c.seq, w.rejBuf)
	}
}

func (w *worker) decodeChunk(c *chunk) {
	w.file = c.file
	w.dec.BeginChunk(&c.file.File, c.seq)
	if c.tooLong > 0 {
		w.begin(c.firstLine, c.data)
		w.Reject("", fmt.Appendf(nil, "%d", c.tooLong), ReasonLineTooLong, fmt.Sprintf("over the %d-byte limit (the line is not read; a line that long holds no request log)", w.ss.opts.MaxLineBytes))
		return
	}
	dec := w.dec.Decoder(c.file.format)
	defer w.dec.EndChunk()
	switch {
	case c.rows != nil:
		cd := dec.(decode.RowDecoder)
		for i, row := range c.rows {
			if w.dec.Halted() {
				return
			}
			w.begin(c.rowLines[i], nil)
			w.rawRow = row
			cd.DecodeRow(w.dec, row)
			w.dec.End()
		}
	case c.elems != nil:
		for _, e := range c.elems {
			if w.dec.Halted() {
				return
			}
			item := c.data[e.start:e.end]
			w.begin(e.line, item)
			dec.Decode(w.dec, item)
			w.dec.End()
		}
	default:
		data := c.data
		line := c.firstLine
		for len(data) > 0 && !w.dec.Halted() {
			i := bytes.IndexByte(data, '\n')
			var item []byte
			if i < 0 {
				item, data = data, nil
			} else {
				item, data = data[:i], data[i+1:]
			}
			if decode.Blank(item) {
				line++
				continue
			}
			w.begin(line, item)
			dec.Decode(w.dec, decode.TrimCR(item))
			w.dec.End()
			line++
		}
	}
}

func (w *worker) begin(line int64, raw []byte) {
	w.dec.Begin()
	w.line = line
	w.raw = raw
	w.rawRow = nil
	w.rejected = false
}

// pendCap is the number of records a worker decodes ahead of their
// de-duplication: enough to keep several memory loads in flight.
const pendCap = 16

// idArenaCap is the size of the buffer holding pending request ids.
const idArenaCap = pendCap * 64

// pendingRecord is a decoded record waiting for its dedup verdict.
type pendingRecord struct {
	rec    Record
	si     int
	k0, k1 uint64
	tokens int64
	fp     uint64
}

// Emit counts r and, unless it is a duplicate, hands it to the consumer.
//
// A record with a request id is usually not admitted at once: its slot in
// the de-duplication set is prefetched and the record is copied to a small
// queue that is admitted and consumed when full (and at the end of each
// chunk). Lookups in a set far bigger than the CPU caches then overlap
// instead of each waiting for memory. Consumers see the queued copy, with
// its request id copied to the worker's arena; the order in which a worker
// consumes its records does not change any total.
func (w *worker) Emit(r *Record) {
	w.stats.Lines++
	if r.RequestID == "" || w.ss.dd == nil {
		w.stats.Records++
		w.consumer.Consume(r)
		return
	}
	k := hashID(r.RequestID)
	fp, ok := w.dec.Fingerprint()
	if ok {
		fp &^= takenBit
	} else {
		fp = fingerprint(r)
	}
	dd := w.ss.dd
	si, k0, k1 := dd.locate(k)
	if w.dec.AliasesScratch(r) || len(r.RequestID) > idArenaCap {
		// The record aliases per-record scratch state: admit it now.
		w.flushPending()
		w.admit(r, si, k0, k1, w.dedupRank(r), fp)
		return
	}
	dd.prefetch(si, k0)
	if len(w.idArena)+len(r.RequestID) > cap(w.idArena) {
		w.flushPending()
		if w.idArena == nil {
			w.idArena = make([]byte, 0, idArenaCap)
		}
	}
	p := &w.pend[w.npend]
	w.npend++
	p.rec = *r
	n := len(w.idArena)
	w.idArena = append(w.idArena, r.RequestID...)
	p.rec.RequestID = fast.String(w.idArena[n:])
	p.si, p.k0, p.k1, p.tokens, p.fp = si, k0, k1, w.dedupRank(r), fp
	if w.npend == pendCap {
		w.flushPending()
	}
}

// The bounds live in package record; these names keep the package's
// callers compiling while the split by stage lands.
var (
	MinTimestamp = record.MinTimestamp
	MaxTimestamp = record.MaxTimestamp
)

// MaxRecordTokens is record.MaxRecordTokens.
const MaxRecordTokens = record.MaxRecordTokens

// flushPending admits and consumes the queued records.
func (w *worker) flushPending() {
	for i := 0; i < w.npend; i++ {
		p := &w.pend[i]
		w.admit(&p.rec, p.si, p.k0, p.k1, p.tokens, p.fp)
		p.rec = Record{}
	}
	w.npend = 0
	w.idArena = w.idArena[:0]
}

// admit de-duplicates r and consumes it when it is kept.
func (w *worker) admit(r *Record, si int, k0, k1 uint64, tokens int64, fp uint64) {
	switch w.ss.dd.admitIn(&w.dedupCount, si, k0, k1, tokens, fp, w.ss.frozen) {
	case admitDuplicate:
		w.stats.Duplicates++
		return
	case admitConflict:
		w.stats.Duplicates++
		w.stats.DedupConflicts++
		return
	case admitMismatch:
		w.stats.Duplicates++
		w.stats.DedupConflicts++
		w.stats.DedupMismatches++
		if w.stats.MismatchExample == "" || r.RequestID < w.stats.MismatchExample {
			w.stats.MismatchExample = strings.Clone(r.RequestID)
		}
		return
	}
	w.stats.Records++
	w.consumer.Consume(r)
}

// Skip counts an item that holds no request.
func (w *worker) Skip() {
	w.stats.Lines++
	w.stats.Skipped++
}

// Reject counts a rejected item and keeps its raw line for --rejects.
func (w *worker) Reject(field string, value []byte, reason, detail string) {
	w.stats.Lines++
	w.stats.Rejected++
	w.stats.RejectedByReason[reason]++
	pos := position{w.file.index, w.line}
	if w.firstRej == nil || pos.less(w.firstPos) {
		w.firstRej = &RejectError{File: w.file.Name, Line: w.line, Field: field, Value: record.ShortValue(value), Reason: reason, Detail: detail}
		w.firstPos = pos
	}
	if w.ss.opts.Strict {
		w.dec.Halt()
		for {
			cur := w.ss.stop.Load()
			if w.chunkSeq >= cur || w.ss.stop.CompareAndSwap(cur, w.chunkSeq) {
				break
			}
		}
	}
	if w.ss.rejects != nil && !w.rejected {
		if w.rawRow != nil {
			w.rejBuf = decode.AppendRow(w.rejBuf, w.rawRow)
		} else {
			w.rejBuf = append(w.rejBuf, w.raw...)
			w.rejBuf = append(w.rejBuf, '\n')
		}
	}
	w.rejected = true
}
