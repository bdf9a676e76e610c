package fast

import "unsafe"

// String returns a string sharing b's memory, without copying: b must not
// change while the string is in use. The decoders use it for request ids,
// which are unique per record (interning them would only grow the table,
// and copying each costs an allocation); consumers are told that
// RequestID is valid only while they consume the record.
func String(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// SameMap reports whether a and b are the same map (not merely equal).
func SameMap(a, b map[string]string) bool {
	return *(*unsafe.Pointer)(unsafe.Pointer(&a)) == *(*unsafe.Pointer)(unsafe.Pointer(&b))
}

// StringAddr returns the address of s's bytes: a cheap hash input for the
// interned names records carry, which share their bytes.
func StringAddr(s string) uint64 {
	return uint64(uintptr(unsafe.Pointer(unsafe.StringData(s))))
}
