package audit

import "github.com/costaudit/costaudit/audit/decode"

// The aggregate file's readers of vendor usage exports parse token counts
// as the decoders do.
var parseCount = decode.ParseCount

const (
	countOK       = decode.CountOK
	countNegative = decode.CountNegative
)

func isNull(v []byte) bool { return string(v) == "null" }
