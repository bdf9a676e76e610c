//go:build linux

package audit

import (
	"syscall"
	"unsafe"
)

// allocSlots returns a zeroed table of n slots. On Linux, tables of 2 MiB
// and more are mapped outside the Go heap and marked for transparent huge
// pages: lookups in a set of millions of ids are random, and with 4 KiB
// pages nearly each one also misses the TLB. The slots hold no pointers,
// so the garbage collector need not see them; freeSlots unmaps them.
func allocSlots(n int) ([]dedupSlot, bool) {
	size := n * int(unsafe.Sizeof(dedupSlot{}))
	if size < 2<<20 {
		return make([]dedupSlot, n), false
	}
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]dedupSlot, n), false
	}
	syscall.Madvise(mem, 14) // MADV_HUGEPAGE; an error only means small pages
	return unsafe.Slice((*dedupSlot)(unsafe.Pointer(&mem[0])), n), true
}

// freeSlots releases a table from allocSlots.
func freeSlots(s []dedupSlot, mapped bool) {
	if !mapped || len(s) == 0 {
		return
	}
	size := len(s) * int(unsafe.Sizeof(dedupSlot{}))
	syscall.Munmap(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), size))
}

// releaseSlots returns the whole pages of s, a part of a table from
// allocSlots' mapping that is no longer used, to the system; they read as
// zeros if touched again.
func releaseSlots(s []dedupSlot) {
	if len(s) == 0 {
		return
	}
	page := uintptr(syscall.Getpagesize())
	start := uintptr(unsafe.Pointer(&s[0]))
	end := start + uintptr(len(s))*unsafe.Sizeof(dedupSlot{})
	lo, hi := (start+page-1)&^(page-1), end&^(page-1)
	if lo >= hi {
		return
	}
	p := unsafe.Add(unsafe.Pointer(&s[0]), lo-start)
	syscall.Madvise(unsafe.Slice((*byte)(p), hi-lo), syscall.MADV_DONTNEED)
}
