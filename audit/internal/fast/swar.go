package fast

import (
	"encoding/binary"
	"math/bits"
)

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// QuoteScanSWAR is QuoteScan in portable Go. It looks at 8 bytes at a time
// (SWAR: the has-zero-byte test on the bytes xor the wanted byte, and a
// has-byte-below-0x20 test; the lowest flagged byte is always a true
// match).
func QuoteScanSWAR(b []byte, i int) int {
	for i+8 <= len(b) {
		v := binary.LittleEndian.Uint64(b[i:])
		q := v ^ (lo8 * '"')
		e := v ^ (lo8 * '\\')
		m := ((q-lo8)&^q | (e-lo8)&^e | (v-lo8*0x20)&^v) & hi8
		if m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(b) && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20 {
		i++
	}
	return i
}
