//go:build !amd64 || noasm

package audit

// quoteScan returns the index of the first byte of b at or after i that is
// a quote, a backslash or a control character (below 0x20), or len(b)
// when there is none. i must not be negative.
func quoteScan(b []byte, i int) int { return quoteScanSWAR(b, i) }

// haveAsm reports whether the assembly quoteScan and prefetch are built in;
// on this architecture, or with the noasm build tag, they are not.
const haveAsm = false
