package audit

import (
	"github.com/costaudit/costaudit/audit/record"
)

// The rejection reasons and RejectError live in package record; these
// names keep the package's callers compiling while the split by stage lands.
const (
	ReasonInvalidJSON    = record.ReasonInvalidJSON
	ReasonLineTooLong    = record.ReasonLineTooLong
	ReasonNegative       = record.ReasonNegative
	ReasonNotInteger     = record.ReasonNotInteger
	ReasonBadTimestamp   = record.ReasonBadTimestamp
	ReasonBadValue       = record.ReasonBadValue
	ReasonNotObject      = record.ReasonNotObject
	ReasonUnknownFormat  = record.ReasonUnknownFormat
	ReasonBadCSV         = record.ReasonBadCSV
	ReasonTimestampRange = record.ReasonTimestampRange
	ReasonUnrecognized   = record.ReasonUnrecognized
	ReasonTooManyTokens  = record.ReasonTooManyTokens
)

// RejectError is record.RejectError.
type RejectError = record.RejectError

func reasonMissing(field string) string { return record.ReasonMissing(field) }

// shortValue cuts a value to 80 bytes for messages and quotes it when it is
// not a bare number.
func shortValue(b []byte) string {
	const max = 80
	s := string(b)
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// position orders rejections by where they are: input index, then line.
type position struct {
	input int
	line  int64
}

func (p position) less(q position) bool {
	if p.input != q.input {
		return p.input < q.input
	}
	return p.line < q.line
}
