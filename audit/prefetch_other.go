//go:build !amd64 || noasm

package audit

// prefetch is a hint that does nothing on this architecture.
func prefetch(addr uintptr) {}
