//go:build !amd64

package audit

// quoteScan returns the index of the first byte of b at or after i that is
// a quote, a backslash or a control character (below 0x20), or len(b)
// when there is none. i must not be negative.
func quoteScan(b []byte, i int) int { return quoteScanSWAR(b, i) }
