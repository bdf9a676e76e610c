package record

import (
	"strconv"
	"strings"
)

// Rejection reasons: the keys of Stats.RejectedByReason. "missing field X"
// and "bad X" carry the field name after the fixed words.
const (
	ReasonInvalidJSON   = "invalid json"
	ReasonLineTooLong   = "line too long"
	ReasonNegative      = "negative token count"
	ReasonNotInteger    = "non-integer token count"
	ReasonBadTimestamp  = "bad timestamp"
	ReasonBadValue      = "bad value"
	ReasonNotObject     = "not a json object"
	ReasonUnknownFormat = "not a record of the format"
	ReasonBadCSV        = "invalid csv"
	// ReasonTimestampRange is a timestamp outside [MinTimestamp, MaxTimestamp).
	ReasonTimestampRange = "timestamp out of range"
	// ReasonUnrecognized is a JSON object of no supported format.
	ReasonUnrecognized = "format not recognized"
	// ReasonTooManyTokens is a token count above MaxRecordTokens.
	ReasonTooManyTokens = "token count too large"
)

// ReasonMissing returns the rejection reason of a missing required field.
func ReasonMissing(field string) string { return "missing field " + field }

// RejectError is one rejected input line: where it is, which field is wrong,
// the offending value and why. Under ScanOptions.Strict, Scan returns the
// first one (wrapped); otherwise rejections are only counted in Stats.
type RejectError struct {
	File   string // Input.Name
	Line   int64  // 1-based line number where the rejected item starts
	Field  string // JSON field or CSV column; empty when the whole line is at fault
	Value  string // the offending value as written, cut to 80 bytes
	Reason string // one of the Reason* keys
	Detail string // extra words for the message, e.g. the JSON syntax error
}

// Error formats the rejection like "read logs.jsonl:1207: output_tokens:
// negative value -5".
func (e *RejectError) Error() string {
	loc := "read " + e.File + ":" + strconv.FormatInt(e.Line, 10) + ": "
	if e.Field != "" && !strings.HasPrefix(e.Reason, "missing field ") {
		loc += e.Field + ": "
	}
	msg := e.Reason
	switch e.Reason {
	case ReasonNegative:
		msg = "negative value " + e.Value
	case ReasonNotInteger:
		msg = "not an integer token count " + e.Value
	case ReasonBadTimestamp:
		msg = "bad timestamp " + e.Value + " (want RFC 3339 like 2026-05-01T10:00:00Z, or unix seconds)"
	case ReasonBadValue:
		msg = "bad value " + e.Value
	case ReasonInvalidJSON:
		msg = e.Reason
	case ReasonTimestampRange:
		msg = "timestamp " + e.Value + " out of range"
	case ReasonTooManyTokens:
		msg = "token count " + e.Value + " too large"
	case ReasonLineTooLong:
		msg = "line too long: " + e.Value + " bytes"
	default:
		if e.Value != "" {
			msg += " " + e.Value
		}
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return loc + msg
}

// ShortValue cuts a value to 80 bytes for a RejectError's Value or a
// message.
func ShortValue(b []byte) string {
	const max = 80
	s := string(b)
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
