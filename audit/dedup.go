package audit

import (
	"encoding/binary"
	"sync"

	"github.com/cespare/xxhash/v2"
)

// De-duplication.
//
// Two records with the same provider request id are one request logged
// twice (a retry logged on both sides, a re-export, Claude Code writing one
// message on several lines). The first pass keeps the first copy it meets
// and counts the others as duplicates. Which copy is "first" depends on the
// order of files, lines and goroutines, so when the copies of one id differ
// the kept copy is chosen by content instead: the copy with the most tokens
// (input + cache reads + cache writes + output) wins, ties broken by the
// greater 63-bit content fingerprint. When the first pass met a copy that
// beats the one it had already handed to a consumer, Scan runs a second pass
// with fresh consumers in which each id's winner is known in advance, so the
// totals never depend on the order of the input.
//
// Memory: the set holds no strings. An id is reduced to a 128-bit xxhash key
// (two seeds; a collision among 10^9 ids has odds below 10^-20) mapped to 16
// bytes (token total and fingerprint), a 32-byte slot. With the Swiss-table
// map's load factor and growth the set costs about 40–70 bytes per distinct
// id (measured: see BenchmarkDedupMemory), and the garbage collector never
// scans it because it holds no pointers.

const dedupShards = 256

// dedupKey is the 128-bit hash of a request id.
type dedupKey [16]byte

// dedupEntry describes the kept copy of an id. The top bit of fp marks, in
// the second pass, that the winner has been consumed.
type dedupEntry struct {
	tokens int64
	fp     uint64
}

const takenBit = 1 << 63

type dedupShard struct {
	mu sync.Mutex
	m  map[dedupKey]dedupEntry
	_  [40]byte // keep shards on separate cache lines
}

// dedupSet is the set of request ids seen, shared by all workers.
type dedupSet struct {
	shards [dedupShards]dedupShard
	// superseded counts ids whose first-consumed copy lost to a later copy
	// in the first pass; non-zero means a second pass is needed.
	superseded int64
	mu         sync.Mutex
}

func newDedupSet() *dedupSet {
	d := &dedupSet{}
	for i := range d.shards {
		d.shards[i].m = make(map[dedupKey]dedupEntry)
	}
	return d
}

// hashID returns the dedup key of a request id.
func hashID(dig *xxhash.Digest, id string) dedupKey {
	var k dedupKey
	binary.LittleEndian.PutUint64(k[:8], xxhash.Sum64String(id))
	dig.ResetWithSeed(0x9e3779b97f4a7c15)
	dig.WriteString(id)
	binary.LittleEndian.PutUint64(k[8:], dig.Sum64())
	return k
}

// Outcomes of dedupSet.admit.
const (
	admitKeep      = iota // consume the record
	admitDuplicate        // an identical copy is kept
	admitConflict         // a different copy of the same id is kept
)

// beats reports whether copy (t, fp) wins over copy (t2, fp2).
func beats(t int64, fp uint64, t2 int64, fp2 uint64) bool {
	if t != t2 {
		return t > t2
	}
	return fp > fp2
}

// admit decides whether a record with key k, token total t and content
// fingerprint fp (63 bits) is consumed. frozen is true in the second pass,
// when every id's winner is already in the set.
func (d *dedupSet) admit(k dedupKey, t int64, fp uint64, frozen bool) int {
	sh := &d.shards[k[0]]
	sh.mu.Lock()
	e, ok := sh.m[k]
	if !frozen {
		if !ok {
			sh.m[k] = dedupEntry{tokens: t, fp: fp}
			sh.mu.Unlock()
			return admitKeep
		}
		if e.fp == fp {
			sh.mu.Unlock()
			return admitDuplicate
		}
		if beats(t, fp, e.tokens, e.fp) {
			sh.m[k] = dedupEntry{tokens: t, fp: fp}
			sh.mu.Unlock()
			d.mu.Lock()
			d.superseded++
			d.mu.Unlock()
			return admitConflict
		}
		sh.mu.Unlock()
		return admitConflict
	}
	// Second pass: consume the winning copy once.
	win := e.fp &^ takenBit
	switch {
	case fp != win:
		sh.mu.Unlock()
		return admitConflict
	case e.fp&takenBit != 0:
		sh.mu.Unlock()
		return admitDuplicate
	}
	e.fp |= takenBit
	sh.m[k] = e
	sh.mu.Unlock()
	return admitKeep
}

// len returns the number of distinct ids in the set.
func (d *dedupSet) len() int64 {
	var n int64
	for i := range d.shards {
		d.shards[i].mu.Lock()
		n += int64(len(d.shards[i].m))
		d.shards[i].mu.Unlock()
	}
	return n
}

// fingerprint returns a 63-bit hash of everything in r that decides its
// cost or its classification; two copies of one id with equal fingerprints
// are the same record.
func fingerprint(buf []byte, r *Record) ([]byte, uint64) {
	b := buf[:0]
	b = binary.LittleEndian.AppendUint64(b, uint64(r.TS.UnixNano()))
	for _, s := range [...]string{r.Provider, r.Model, r.Workflow, r.Source, string(r.Mode), r.Status, r.Team, r.LoggedCostUSD} {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	for _, v := range [...]int64{r.InputTokens, r.CacheReadTokens, r.CacheWrite5mTokens, r.CacheWrite1hTokens,
		r.OutputTokens, r.ReasoningTokens, r.LatencyMS, r.TTFTMS, r.MaxTokens, int64(r.UserWaiting)} {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	return b, xxhash.Sum64(b) &^ takenBit
}

// tokenTotal is the token count that ranks copies of one id.
func tokenTotal(r *Record) int64 {
	return r.InputTokens + r.CacheReadTokens + r.CacheWrite5mTokens + r.CacheWrite1hTokens + r.OutputTokens
}
