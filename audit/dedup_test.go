package audit

import (
	"fmt"
	"sync"
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
		if got := d.admit(k, rank(s.tokens, true, true, 0), s.fp, s.frozen); got != s.want {
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

// TestDedupRank checks the order of copies: tokens first, then an ok
// status over any other, and that copies of another workflow, model or
// status are told apart (admitMismatch).
func TestDedupRank(t *testing.T) {
	d := newDedupSet()
	k := hashID("req-2")
	steps := []struct {
		rank int64
		fp   uint64
		want int
	}{
		{rank(10, false, true, 77), 900, admitKeep},     // an error copy first
		{rank(10, true, true, 55), 1, admitMismatch},    // the ok copy, equal tokens, lower fingerprint: wins
		{rank(10, false, true, 77), 900, admitMismatch}, // the error copy again now loses
		{rank(10, true, true, 55), 2, admitConflict},    // same identity, other content: wins on fingerprint
		{rank(11, false, true, 77), 3, admitMismatch},   // more tokens beat status
	}
	for i, s := range steps {
		if got := d.admit(k, s.rank, s.fp, false); got != s.want {
			t.Errorf("step %d: admit = %d, want %d", i, got, s.want)
		}
	}
	if d.superseded != 3 {
		t.Errorf("superseded %d, want 3", d.superseded)
	}
	if rank(5*MaxRecordTokens, true, true, identMask) < 0 {
		t.Error("rank overflows")
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

// TestDedupOutgrowsReservation fills a reserved set to four times its
// estimate, so that every shard leaves (and releases) its part of the
// reserved region, and checks that every id is still found once.
func TestDedupOutgrowsReservation(t *testing.T) {
	d := newDedupSet()
	defer d.free()
	d.reserve(60_000)
	const n = 240_000
	for i := 0; i < n; i++ {
		if got := d.admit(hashID(fmt.Sprintf("req_%09d", i)), 5, uint64(i), false); got != admitKeep {
			t.Fatalf("id %d: first admit = %d", i, got)
		}
	}
	for i := 0; i < n; i++ {
		if got := d.admit(hashID(fmt.Sprintf("req_%09d", i)), 5, uint64(i), false); got != admitDuplicate {
			t.Fatalf("id %d: second admit = %d", i, got)
		}
	}
	if d.len() != n {
		t.Errorf("len %d, want %d", d.len(), n)
	}
	for i := range d.shards {
		if d.shards[i].inRegion {
			t.Fatalf("shard %d still in the reserved region", i)
		}
	}
}

// TestDedupConcurrent admits overlapping ids from four goroutines into a
// set that starts empty and grows meanwhile, and checks that each id is
// kept exactly once, and that in a second pass exactly the winning copy
// of each id is kept once.
func TestDedupConcurrent(t *testing.T) {
	const ids, copies, workers = 30_000, 3, 4
	d := newDedupSet()
	defer d.free()
	// copy c of id i has c tokens: copy copies-1 wins.
	run := func(frozen bool) []int64 {
		kept := make([]int64, ids)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for g := 0; g < workers; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var local dedupLocal
				mine := make([]int64, ids)
				d.enter()
				for j := 0; j < ids*copies; j++ {
					n := j * 7919 % (ids * copies) // every goroutine races for the same ids
					i, c := n%ids, n/ids
					si, k0, k1 := d.locate(hashID(fmt.Sprintf("req_%06d", i)))
					if d.admitIn(&local, si, k0, k1, int64(c), uint64(c), frozen) == admitKeep {
						mine[i]++
					}
				}
				d.leave()
				mu.Lock()
				for i, n := range mine {
					kept[i] += n
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		return kept
	}
	kept := run(false)
	for i, n := range kept {
		if n != 1 {
			t.Fatalf("pass 1: id %d kept %d times", i, n)
		}
	}
	if d.len() != ids {
		t.Errorf("len %d, want %d", d.len(), ids)
	}
	kept = run(true)
	for i, n := range kept {
		if n != 1 {
			t.Fatalf("pass 2: id %d kept %d times", i, n)
		}
	}
}

// TestDedupRankDated checks that at equal tokens and billing a copy whose
// log gives its time beats one dated by its file, whatever the
// fingerprints.
func TestDedupRankDated(t *testing.T) {
	d := newDedupSet()
	k := hashID("msg_1")
	if got := d.admit(k, rank(10, true, false, 5), 1<<62, false); got != admitKeep {
		t.Fatalf("first admit %d", got)
	}
	if got := d.admit(k, rank(10, true, true, 5), 1, false); got != admitConflict || d.superseded != 1 {
		t.Errorf("dated copy: admit %d, superseded %d", got, d.superseded)
	}
	if got := d.admit(k, rank(10, true, false, 5), 1<<62, false); got != admitConflict || d.superseded != 1 {
		t.Errorf("file-dated copy again: admit %d, superseded %d", got, d.superseded)
	}
}
