package fast

import (
	"math/rand/v2"
	"testing"
)

// naiveQuoteScan is QuoteScan one byte at a time.
func naiveQuoteScan(b []byte, i int) int {
	for i < len(b) && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20 {
		i++
	}
	return i
}

// TestQuoteScan compares QuoteScan and QuoteScanSWAR with a byte-by-byte
// scan from every start of random strings of every length up to 80, whose
// bytes are mostly plain with quotes, backslashes, control characters and
// bytes from 0x80 up mixed in.
func TestQuoteScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := []byte{'"', '\\', 0, 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0x9f, 0xdf, 0xff, 'a', 'Z', '0'}
	for n := 0; n <= 80; n++ {
		for trial := 0; trial < 40; trial++ {
			b := make([]byte, n)
			for j := range b {
				if rng.IntN(12) == 0 {
					b[j] = pick[rng.IntN(len(pick))]
				} else {
					b[j] = byte('a' + rng.IntN(26))
				}
			}
			for i := 0; i <= n+1; i++ {
				want := naiveQuoteScan(b, i)
				if got := QuoteScan(b, i); got != want {
					t.Fatalf("QuoteScan(%q, %d) = %d, want %d", b, i, got, want)
				}
				if got := QuoteScanSWAR(b, i); got != want {
					t.Fatalf("QuoteScanSWAR(%q, %d) = %d, want %d", b, i, got, want)
				}
			}
		}
	}
}
