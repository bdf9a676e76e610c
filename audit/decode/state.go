package decode

import (
	"strconv"
	"time"

	"github.com/costaudit/costaudit/audit/internal/fast"
	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// Sink receives what the decoders make of each item: a record, a
// rejection or a skip. The scan's worker is one; LineDecoder has its own.
// It is called once per record or rejection, never per field.
type Sink interface {
	// Emit receives a record within the accepted bounds. The record and
	// its RequestID are only valid during the call (see State.Fingerprint
	// and State.AliasesScratch for what else the sink may ask).
	Emit(r *record.Record)
	// Reject receives the rejection of the current item: the field and
	// value at fault (either may be empty), one of the record.Reason*
	// values or record.ReasonMissing, and a detail for the message.
	Reject(field string, value []byte, reason, detail string)
	// Skip counts an item that holds no request.
	Skip()
}

// File is what a decoder knows of the input it reads. Decoders that keep
// state per file key it by the *File.
type File struct {
	Name    string    // as it appears in messages
	Stem    string    // base name without extensions: a default workflow
	ModTime time.Time // the time of records without one
	CSV     *CSVTable // the header of a canonical CSV file
}

// State is one worker's decoding state: its sink, its decoders, the file
// and item being read, and the scratch the fast path reuses between items
// (the interned labels, the record, the tag maps, the last timestamp's
// minute). A State is not safe for concurrent use; each worker has one.
type State struct {
	sink        Sink
	workflowKey string
	decoders    map[*Format]Decoder
	intern      interner
	rec         record.Record
	tags        map[string]string
	tagCache    [tagCacheSize]tagCacheEntry

	// escKnown is set while the canonical skimmer's escMask tells which
	// fields' strings hold escapes (the others are used without decoding).
	escKnown bool
	escMask  uint32
	// numMask and nums, while set by the canonical decoder, hold the
	// fields the skimmer already parsed as plain integers (skimmer.num).
	numMask uint32
	nums    *[cfCount]int64
	// tagsSlot, while set by the canonical decoder, is where the skimmer
	// keeps the tag map of the line's tags bytes (skimmer.tagsSlot).
	tagsSlot *map[string]string
	// tsMinute is the "YYYY-MM-DDTHH:MM" of the last UTC timestamp parsed
	// and tsMinuteUnix its Unix time (see State.timestamp).
	tsMinute     [16]byte
	tsMinuteUnix int64
	tsMinuteOK   bool
	// lineFP, when lineFPOK, is a hash of the raw item that decoded to
	// the record being emitted (see Fingerprint).
	lineFP   uint64
	lineFPOK bool

	// The chunk and item being decoded.
	file     *File
	chunkSeq int64
	outcomes int
	halt     bool
}

// NewState returns the decoding state of one worker that reports to sink.
// workflowKey, when set, names where records take their workflow from
// (ScanOptions.WorkflowKey).
func NewState(sink Sink, workflowKey string) *State {
	return &State{
		sink:        sink,
		workflowKey: workflowKey,
		decoders:    map[*Format]Decoder{},
		intern:      newInterner(),
		tags:        map[string]string{},
	}
}

// Decoder returns the state's decoder of format f, made on first use.
func (w *State) Decoder(f *Format) Decoder { return w.decoderFor(f) }

func (w *State) decoderFor(f *Format) Decoder {
	dec := w.decoders[f]
	if dec == nil {
		dec = f.New()
		w.decoders[f] = dec
	}
	return dec
}

// BeginChunk starts a chunk of file f; seq tells chunks apart (a decoder
// holding state across items drops it at a new chunk).
func (w *State) BeginChunk(f *File, seq int64) {
	w.file, w.chunkSeq, w.halt = f, seq, false
}

// EndChunk lets the decoders settle the records they hold, in registry
// order.
func (w *State) EndChunk() {
	for _, f := range registry {
		if d, ok := w.decoders[f].(chunkEnder); ok {
			d.EndChunk(w)
		}
	}
}

// Begin starts an item.
func (w *State) Begin() {
	w.lineFPOK = false
	w.outcomes = 0
}

// End ends an item, counting it as skipped when the decoder reported
// nothing for it.
func (w *State) End() {
	if w.outcomes == 0 {
		w.skip()
	}
}

// Halt stops the decoders of an item that holds several requests (an OTLP
// batch, a Langfuse page) from going on: the sink calls it when a strict
// scan meets its first rejection. BeginChunk clears it.
func (w *State) Halt() { w.halt = true }

// Halted reports whether Halt was called in this chunk.
func (w *State) Halted() bool { return w.halt }

// Fingerprint returns, once, the hash the decoder computed of the raw item
// that became the record being emitted; ok is false when there is none
// (the sink then hashes the record's fields).
func (w *State) Fingerprint() (fp uint64, ok bool) {
	fp, ok = w.lineFP, w.lineFPOK
	w.lineFPOK = false
	return fp, ok
}

// AliasesScratch reports whether r's tag map is the state's reusable one,
// which the next item overwrites: a sink that keeps r past Emit must
// consume it before decoding goes on.
func (w *State) AliasesScratch(r *record.Record) bool {
	return r.Tags != nil && fast.SameMap(r.Tags, w.tags)
}

// plain reports whether canonical field f's string value is known to hold
// no escape.
func (w *State) plain(f int) bool {
	return w.escKnown && f >= 0 && w.escMask&(1<<f) == 0
}

// newRecord returns the state's reusable record, reset to the defaults of
// absent optional fields.
func (w *State) newRecord() *record.Record {
	w.rec = record.Record{
		UserWaiting: -1,
		LatencyMS:   -1,
		TTFTMS:      -1,
		Mode:        pricing.ModeSync,
		Status:      record.StatusOK,
	}
	return &w.rec
}

// tagMap returns the state's reusable, emptied tag map.
func (w *State) tagMap() map[string]string {
	clear(w.tags)
	return w.tags
}

// hold marks the current item as counted later by its decoder: with
// emitHeld when the record it holds is emitted, or settleSkip when a later
// item stands for the same request.
func (w *State) hold() { w.outcomes++ }

// settleSkip counts a held item as a skipped line.
func (w *State) settleSkip() { w.sink.Skip() }

// emitHeld emits a record held since an earlier item, as that item's
// outcome.
func (w *State) emitHeld(r *record.Record) {
	w.lineFPOK = false
	w.emit(r)
}

// skip counts an item that holds no request.
func (w *State) skip() {
	w.outcomes++
	w.sink.Skip()
}

// reject rejects the current item.
func (w *State) reject(field string, value []byte, reason, detail string) {
	w.outcomes++
	w.sink.Reject(field, value, reason, detail)
}

const (
	minTSUnix = 946684800  // record.MinTimestamp
	maxTSUnix = 4102444800 // record.MaxTimestamp
)

// emit hands r to the sink, or rejects it when its timestamp or a token
// count is out of bounds.
func (w *State) emit(r *record.Record) {
	// One unsigned compare for the time range; the OR of the counts is at
	// least the largest of them, so it passes only when all are in range
	// (otherwise rejectOutOfRange looks at each).
	if uint64(r.TS.Unix()-minTSUnix) >= maxTSUnix-minTSUnix ||
		r.InputTokens|r.CacheReadTokens|r.CacheWrite5mTokens|r.CacheWrite1hTokens|r.OutputTokens|r.ReasoningTokens > record.MaxRecordTokens {
		if w.rejectOutOfRange(r) {
			return
		}
	}
	if r.MaxTokens > record.MaxRecordTokens {
		r.MaxTokens = 0 // no ceiling
	}
	w.outcomes++
	w.sink.Emit(r)
}

// rejectOutOfRange rejects a record whose timestamp or token counts are
// outside the accepted ranges, and reports whether it did.
func (w *State) rejectOutOfRange(r *record.Record) bool {
	if sec := r.TS.Unix(); sec < minTSUnix || sec >= maxTSUnix {
		w.lineFPOK = false
		w.reject("ts", []byte(r.TS.Format(time.RFC3339Nano)), record.ReasonTimestampRange, "accepted: "+record.MinTimestamp.Format(time.DateOnly)+" to "+record.MaxTimestamp.Add(-time.Nanosecond).Format(time.DateOnly)+" UTC")
		return true
	}
	for _, f := range []struct {
		name string
		n    int64
	}{{"input_tokens", r.InputTokens}, {"cache_read_tokens", r.CacheReadTokens}, {"cache_write_5m_tokens", r.CacheWrite5mTokens}, {"cache_write_1h_tokens", r.CacheWrite1hTokens}, {"output_tokens", r.OutputTokens}, {"reasoning_tokens", r.ReasoningTokens}} {
		if f.n > record.MaxRecordTokens {
			w.lineFPOK = false
			w.reject(f.name, strconv.AppendInt(nil, f.n, 10), record.ReasonTooManyTokens, "the most one record may hold is "+strconv.FormatInt(record.MaxRecordTokens, 10))
			return true
		}
	}
	return false
}
