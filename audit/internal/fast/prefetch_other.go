//go:build !amd64 || noasm

package fast

// Prefetch is a hint that does nothing on this architecture.
func Prefetch(addr uintptr) {}
