//go:build noasm

package fast

import "testing"

// TestNoasmSelectsPortableCode checks that the noasm build tag leaves the
// assembly out and selects the portable QuoteScan and Prefetch, so that
// `go test -tags noasm ./...` tests the fallback CI would otherwise never
// run on amd64.
func TestNoasmSelectsPortableCode(t *testing.T) {
	if HaveAsm {
		t.Fatal("built with -tags noasm, but the assembly QuoteScan is in")
	}
	b := []byte(`abc"def`)
	if got := QuoteScan(b, 0); got != 3 {
		t.Fatalf("QuoteScan = %d, want 3", got)
	}
	Prefetch(0) // the portable Prefetch is a no-op, even on address 0
}
