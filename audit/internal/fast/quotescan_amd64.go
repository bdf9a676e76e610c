//go:build !noasm

package fast

// QuoteScan returns the index of the first byte of b at or after i that is
// a quote, a backslash or a control character (below 0x20), or len(b)
// when there is none. i must not be negative. This one is SSE2 assembly
// that looks at 16 bytes at a time.
//
//go:noescape
func QuoteScan(b []byte, i int) int

// HaveAsm reports whether the assembly QuoteScan and Prefetch are built in
// (amd64 without the noasm build tag).
const HaveAsm = true
