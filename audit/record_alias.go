package audit

import "github.com/costaudit/costaudit/audit/record"

// Record is record.Record: the canonical request every decoder produces.
// The alias keeps the package's callers compiling while the split by stage
// lands.
type Record = record.Record

// Status values of a canonical record (see package record).
const (
	StatusOK        = record.StatusOK
	StatusError     = record.StatusError
	StatusCancelled = record.StatusCancelled
	StatusExpired   = record.StatusExpired
)
