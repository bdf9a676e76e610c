// Package fast holds the code of the scan's fast path that the Go
// compiler cannot check for memory safety, so that it sits in one small
// place: the amd64 assembly (QuoteScan, 16 bytes per SSE2 step, and
// Prefetch, a cache hint) and the unsafe conversions (String, SameMap).
//
// The noasm build tag, or any architecture but amd64, selects portable Go
// instead of the assembly (HaveAsm says which is built in), so that
// `go test -tags noasm ./...` tests the fallback on amd64 as well.
package fast
