//go:build !amd64 || noasm

package fast

// QuoteScan returns the index of the first byte of b at or after i that is
// a quote, a backslash or a control character (below 0x20), or len(b)
// when there is none. i must not be negative.
func QuoteScan(b []byte, i int) int { return QuoteScanSWAR(b, i) }

// HaveAsm reports whether the assembly QuoteScan and Prefetch are built in;
// on this architecture, or with the noasm build tag, they are not.
const HaveAsm = false
