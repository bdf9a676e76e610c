// Package decode turns the items of request logs (JSONL lines, JSON array
// elements, CSV rows) into canonical records, one decoder per input
// format, and recognizes a file's format from its first items.
//
// A format is a Format descriptor in its decoder's file (its name, its
// detection rule and its decoder's constructor) plus one line in the
// registry (format.go): adding a format touches nothing else. Detection
// ranks each format's rules so that an envelope only one format has wins
// over the field names of a vendor object, and those over the canonical
// shape (see detect.go).
//
// Decoders report through a Sink, once per record, rejection or skipped
// item, never per field: the scan's workers are sinks, as is LineDecoder
// (one canonical line at a time, for `costaudit price`). Everything a
// decoder reuses between items — interned labels, the record, tag maps,
// the canonical skimmer's memory of the previous line's layout, the last
// timestamp's minute — lives in the worker's State, passed to every call,
// so that decoding a typical line allocates nothing. Records are validated
// against the bounds of package record before they reach the sink.
//
// The canonical JSONL decoder's fast path is a structural skimmer
// (skim.go) that walks a line once and parses only the known fields; lines
// it refuses take encoding/json, so that both accept the same lines.
package decode
