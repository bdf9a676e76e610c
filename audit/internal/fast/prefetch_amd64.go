//go:build !noasm

package fast

// Prefetch asks the CPU to bring the cache line at addr into its caches
// without waiting for it. It never faults, whatever addr is, so callers may
// pass an address computed from a table that is being replaced.
//
//go:noescape
func Prefetch(addr uintptr)
