//go:build !linux

package audit

// allocSlots returns a zeroed table of n slots.
func allocSlots(n int) ([]dedupSlot, bool) { return make([]dedupSlot, n), false }

// freeSlots releases a table from allocSlots.
func freeSlots([]dedupSlot, bool) {}

// releaseSlots does nothing where tables are not mapped.
func releaseSlots([]dedupSlot) {}
