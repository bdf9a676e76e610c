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
