//go:build noasm

package audit

import "testing"

// TestNoasmSelectsPortableCode checks that the noasm build tag leaves the
// assembly out and selects the portable quoteScan and prefetch, so that
// `go test -tags noasm ./audit/` tests the fallback CI would otherwise
// never run on amd64.
func TestNoasmSelectsPortableCode(t *testing.T) {
	if haveAsm {
		t.Fatal("built with -tags noasm, but the assembly quoteScan is in")
	}
	b := []byte(`abc"def`)
	if got := quoteScan(b, 0); got != 3 {
		t.Fatalf("quoteScan = %d, want 3", got)
	}
	prefetch(0) // the portable prefetch is a no-op, even on address 0
}
