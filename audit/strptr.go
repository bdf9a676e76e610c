package audit

import "unsafe"

// strPtr is the address of s's bytes, a cheap hash input for the interned
// names records carry (the de-duplication set's cache uses it; package
// aggregate has its own for its row cache).
func strPtr(s string) uint64 {
	return uint64(uintptr(unsafe.Pointer(unsafe.StringData(s))))
}
