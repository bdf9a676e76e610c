package audit

import (
	"fmt"
	"testing"
	"unsafe"
)

func TestDedupAdmit(t *testing.T) {
	d := newDedupSet()
	k := hashID("req-1")
	steps := []struct {
		tokens int64
		fp     uint64
		frozen bool
		want   int
	}{
		{10, 5, false, admitKeep},
		{10, 5, false, admitDuplicate},
		{9, 7, false, admitConflict},  // loses on tokens
		{10, 9, false, admitConflict}, // wins on fingerprint: supersedes
		{10, 5, true, admitConflict},  // second pass: the old copy now loses
		{10, 9, true, admitKeep},      // the winner is consumed once
		{10, 9, true, admitDuplicate},
	}
	for i, s := range steps {
		if got := d.admit(k, s.tokens, s.fp, s.frozen); got != s.want {
			t.Errorf("step %d: admit = %d, want %d", i, got, s.want)
		}
	}
	if d.superseded != 1 || d.len() != 1 {
		t.Errorf("superseded %d, len %d", d.superseded, d.len())
	}
	if hashID("a") == hashID("b") || hashID("req_0000000001") == hashID("req_0000000002") {
		t.Error("distinct ids share a key")
	}
}

// TestDedupBytesPerID measures the set's memory per distinct id at sizes
// where the tables are freshly grown and where they are about to grow.
func TestDedupBytesPerID(t *testing.T) {
	for _, n := range []int{100_000, 400_000} {
		d := newDedupSet()
		for i := 0; i < n; i++ {
			d.admit(hashID(fmt.Sprintf("req_%012d", i)), 1, 1, false)
		}
		per := float64(d.bytes()) / float64(d.len())
		t.Logf("%d ids: %.1f bytes per id", n, per)
		if d.len() != int64(n) || per < 40 || per > 80 {
			t.Errorf("%d ids: len %d, %.1f bytes per id, want 40-80", n, d.len(), per)
		}
	}
}

// TestDedupShardSize keeps each shard on a cache line of its own.
func TestDedupShardSize(t *testing.T) {
	if s := unsafe.Sizeof(dedupShard{}); s != 64 {
		t.Errorf("dedupShard is %d bytes, want 64", s)
	}
}
