//go:build !amd64

package audit

// prefetch is a hint that does nothing on this architecture.
func prefetch(addr uintptr) {}
