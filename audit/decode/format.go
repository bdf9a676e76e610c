package decode

import (
	"bytes"
	"encoding/json"

	"github.com/costaudit/costaudit/audit/record"
)

// Format is one supported input format: its name (ScanOptions.FormatIn,
// Stats.Formats), how it is recognized and how its decoder is made. Each
// format's descriptor lives in its decoder's file; registry lists them.
type Format struct {
	// Name is the name users give and see.
	Name string
	// Detect ranks a sampled JSON object as this format: 0 when it is not
	// one, else the rank of the format's rule that matched (see detect.go;
	// the lowest rank among all formats wins). Nil for a format that is
	// never detected from JSON (canonical-csv, chosen by layout).
	Detect func(p *probe) int
	// New returns a decoder; each worker makes its own, on first use.
	New func() Decoder
}

// registry lists the formats in the order Formats names them (and in
// which their decoders settle held records at the end of a chunk). A new
// format adds its descriptor here, and nowhere else outside its file.
var registry = []*Format{
	canonicalFormat,
	canonicalCSVFormat,
	openAIFormat,
	openAIBatchFormat,
	anthropicFormat,
	anthropicBatchFormat,
	otelFormat,
	liteLLMFormat,
	claudeCodeFormat,
	geminiFormat,
	bedrockFormat,
	codexFormat,
	langfuseFormat,
}

// Decoder turns one item (a JSONL line or a JSON array element) of a file
// into records, skips or rejections, reported through the State. It never
// keeps item after returning. One decoder exists per worker and format.
type Decoder interface {
	Decode(w *State, item []byte)
}

// RowDecoder decodes CSV rows.
type RowDecoder interface {
	Decoder
	DecodeRow(w *State, row []string)
}

// chunkEnder is a decoder that holds a record across items (a stream's
// first event, waiting for the event that ends it) and settles what it
// still holds when the chunk ends; see State.hold.
type chunkEnder interface {
	EndChunk(w *State)
}

// Formats returns the names of the supported input formats.
func Formats() []string {
	names := make([]string, len(registry))
	for i, f := range registry {
		names[i] = f.Name
	}
	return names
}

// FormatByName returns the format called name, or nil.
func FormatByName(name string) *Format {
	for _, f := range registry {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// FormatUnrecognized names, in Stats.Formats, the files whose first
// records are JSON objects of no supported shape. Their objects are
// rejected as ReasonUnrecognized, naming what was tried, unless one of them
// is recognizable on its own.
const FormatUnrecognized = "unrecognized"

// Unrecognized is the format of such files.
var Unrecognized = &Format{Name: FormatUnrecognized, New: func() Decoder { return unrecognizedDecoder{} }}

// formatTried says how each format is recognized, for the rejection of
// objects of no known shape.
const formatTried = "tried canonical (ts or model with a token field), openai (object chat.completion, chat.completion.chunk or response, or usage.prompt_tokens), " +
	"openai-batch (custom_id with response or error), anthropic (type message, or usage.cache_read_input_tokens), anthropic-batch (custom_id with result), " +
	"otel (resourceSpans), litellm (spend with startTime, call_type or request_tags), claude-code (sessionId, parentUuid or leafUuid); " +
	"force one with --format-in"

// Detect decides a file's format from its first items: the first item
// that is a JSON object of a recognizable shape decides. A file of which no
// item is recognized is read as canonical when none of its samples is a JSON
// object (so its lines are rejected with the canonical format's reasons,
// "invalid json" ...), else as Unrecognized; ok is false in both cases.
func Detect(samples [][]byte) (f *Format, ok bool) {
	object := false
	for _, s := range samples {
		if f := classify(s); f != nil {
			return f, true
		}
		if t := bytes.TrimSpace(s); len(t) > 0 && t[0] == '{' && json.Valid(t) {
			object = true
		}
	}
	if object {
		return Unrecognized, false
	}
	return canonicalFormat, false
}

// unrecognizedDecoder decodes the items of an unrecognized file: an item
// of a recognizable shape with that format's decoder, an invalid one as
// the canonical decoder does, any other object is rejected.
type unrecognizedDecoder struct{}

func (unrecognizedDecoder) Decode(w *State, item []byte) {
	if f := classify(item); f != nil {
		w.decoderFor(f).Decode(w, item)
		return
	}
	if t := bytes.TrimSpace(item); len(t) > 0 && t[0] == '{' && json.Valid(t) {
		w.reject("", nil, record.ReasonUnrecognized, formatTried)
		return
	}
	w.decoderFor(canonicalFormat).Decode(w, item)
}
