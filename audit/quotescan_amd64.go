//go:build !noasm

package audit

// quoteScan returns the index of the first byte of b at or after i that is
// a quote, a backslash or a control character (below 0x20), or len(b)
// when there is none. i must not be negative.
//
//go:noescape
func quoteScan(b []byte, i int) int

// haveAsm reports whether the assembly quoteScan and prefetch are built in
// (amd64 without the noasm build tag).
const haveAsm = true
