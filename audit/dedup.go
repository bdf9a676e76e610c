package audit

import (
	"encoding/binary"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/cespare/xxhash/v2"

	"github.com/costaudit/costaudit/audit/internal/fast"
	"github.com/costaudit/costaudit/pricing"
)

// De-duplication.
//
// Two records with the same provider request id are one request logged
// twice (a retry logged on both sides, a re-export, Claude Code writing one
// message on several lines). The first pass keeps the first copy it meets
// and counts the others as duplicates. Which copy is "first" depends on the
// order of files, lines and goroutines, so when the copies of one id differ
// the kept copy is chosen by content instead: the copy with the most tokens
// (input + cache reads + cache writes + output) wins, then a billed copy
// over an unbilled one (an error copy never beats an ok one), then a copy
// whose log gives its time over one dated by its file, then the greater
// hash of workflow, model and status (see rank), ties broken by the
// greater 63-bit fingerprint (for a canonical line, a hash of the line's
// bytes; for other formats, a hash of the decoded fields). When the first
// pass met a copy that beats the one it had already handed to a consumer,
// Scan runs a second pass with fresh consumers in which each id's winner
// is known in advance, so the totals never depend on the order of the input.
//
// Memory: the set holds no strings. An id is reduced to a 128-bit key (its
// xxhash64, and its length, head and tail bytes) stored with 16 bytes
// (token total and fingerprint) in a 32-byte slot of an open-addressing
// table kept at most 80% full. Tables are reserved up front from the input
// size (one id per 420 bytes, 1.5 slots per id; mapped with transparent
// huge pages on Linux) and double when full: 40–80 bytes per distinct id
// while growing (TestDedupBytesPerID), about 48 when the reservation fits
// (112 MB for the 2.3 million ids of a 1 GB canonical log); a shard that
// outgrows its part of the reservation gives those pages back. The garbage
// collector never scans the tables because they hold no pointers.
//
// Speed: a lookup in a table far bigger than the CPU caches waits for
// memory. Workers therefore prefetch a record's slot when they decode it
// and admit records a few at a time (see worker.emit), so that the loads
// of several lookups overlap; and they admit without locks (see admitIn),
// so that two workers write the same cache line only for an id they share.

const dedupShards = 256

// dedupKey is the 128-bit hash of a request id.
type dedupKey [16]byte

// dedupSlot is one entry of a shard's open-addressing table: the id's key
// (k0 == 0 marks an empty slot; keys never have k0 == 0) and the kept
// copy's token total and fingerprint. The top bit of fp marks, in the
// second pass, that the winner has been consumed.
type dedupSlot struct {
	k0, k1 uint64
	tokens int64
	fp     uint64
}

const takenBit = 1 << 63

// dedupShard is a linear-probing hash table, grown by doubling at 80%
// load. A custom table rather than a Go map: one cache line holds two
// slots, so an insert into a table far bigger than the CPU caches costs one
// memory miss instead of several.
//
// Workers admit without a shard lock: each slot is claimed and updated
// under a busy bit in its own k0 word (see admitIn), so the only cache
// lines two workers both write are the slots of ids they share. The
// dedupSet's grow lock is held shared while admitting and exclusively to
// grow a table. n counts inserts in batches (see dedupLocal), so that the
// shard's line is not written per insert either.
type dedupShard struct {
	slots  []dedupSlot
	mapped bool // slots come from allocSlots' mapping
	// inRegion marks slots that are the shard's part of a mapped region
	// from reserve, released page by page when the shard outgrows them.
	inRegion bool
	n        atomic.Int64 // inserts, short of the ones still in dedupLocal counts
	// pub publishes the table for prefetch (see tablePub).
	pub *tablePub
	_   [16]byte // 64 bytes: keep shards on separate cache lines
}

// dedupLocal is one admitting goroutine's count of inserts per shard not
// yet added to the shard's n.
type dedupLocal struct {
	pending [dedupShards]int32
}

// countEvery is how many inserts into one shard a goroutine counts
// locally before adding them to the shard's n.
const countEvery = 32

// tablePub holds a shard table's address and length for prefetch, which
// reads them without the lock (a stale pair only wastes a hint). They live
// apart from the shards, whose cache lines every admit writes: reading
// those would wait for the other core's copy.
type tablePub struct {
	base atomic.Uintptr
	size atomic.Uint64
}

// dedupSet is the set of request ids seen, shared by all workers.
type dedupSet struct {
	shards [dedupShards]dedupShard
	pubs   [dedupShards]tablePub
	// growMu is held shared by goroutines admitting ids (enter, leave) and
	// exclusively to grow a table.
	growMu sync.RWMutex
	// local counts the inserts of admit (tests and benchmarks).
	local dedupLocal
	// superseded counts ids whose first-consumed copy lost to a later copy
	// in the first pass; non-zero means a second pass is needed.
	superseded int64
	mu         sync.Mutex
	// region is the one table memory reserve gave all shards, released by
	// free (a shard that outgrows it gets a heap table).
	region       []dedupSlot
	regionMapped bool
}

func newDedupSet() *dedupSet {
	d := &dedupSet{}
	for i := range d.shards {
		d.shards[i].pub = &d.pubs[i]
	}
	return d
}

// reserve sizes the tables for about n ids, so that they need not grow
// (and re-insert every id) while they fill. All shards share one region.
func (d *dedupSet) reserve(n int64) {
	// 3/2 slots per id: two thirds full when the estimate is right, with
	// room for shards that get more than their share before they grow.
	size := int(n / dedupShards * 3 / 2)
	size = max(64, (size+1)&^1) // even: slot pairs stay on one cache line
	d.region, d.regionMapped = allocSlots(size * dedupShards)
	d.growMu.Lock()
	defer d.growMu.Unlock()
	for i := range d.shards {
		sh := &d.shards[i]
		sh.setSlots(d.region[i*size:(i+1)*size:(i+1)*size], false)
		sh.inRegion = d.regionMapped
	}
}

// setSlots installs a table and publishes it for prefetch.
func (sh *dedupShard) setSlots(s []dedupSlot, mapped bool) {
	sh.slots, sh.mapped = s, mapped
	if len(s) == 0 {
		sh.pub.size.Store(0)
		sh.pub.base.Store(0)
		return
	}
	sh.pub.base.Store(uintptr(unsafe.Pointer(&s[0])))
	sh.pub.size.Store(uint64(len(s)))
}

// home returns the first slot index of key word k0 in a table of n slots:
// the high bits of k0 scaled to [0, n), so any table size works and the
// low bits, which pick the shard, play no part.
func home(k0 uint64, n int) int {
	hi, _ := bits.Mul64(k0, uint64(n))
	return int(hi)
}

// find returns the slot of (k0, k1), or the empty slot where it belongs.
// Only grow uses it, with the table to itself.
func (sh *dedupShard) find(k0, k1 uint64) *dedupSlot {
	slots := sh.slots
	for i := home(k0, len(slots)); ; i++ {
		if i == len(slots) {
			i = 0
		}
		s := &slots[i]
		if s.k0 == 0 || (s.k0 == k0 && s.k1 == k1) {
			return s
		}
	}
}

// prefetch starts loading the cache line where key word k0 of shard i
// would be found, so that a later admit of it does not wait for memory.
// Workers call it a few records ahead of admit; it takes no lock.
func (d *dedupSet) prefetch(i int, k0 uint64) {
	p := &d.pubs[i]
	if n := p.size.Load(); n > 0 {
		fast.Prefetch(p.base.Load() + uintptr(home(k0, int(n)))*unsafe.Sizeof(dedupSlot{}))
	}
}

// grow doubles the table (or creates it). The caller holds the grow lock
// exclusively.
func (sh *dedupShard) grow() {
	old := sh.slots
	size := 2 * len(old)
	if size == 0 {
		size = 64
	}
	oldMapped, oldInRegion := sh.mapped, sh.inRegion
	sh.setSlots(allocSlots(size))
	sh.inRegion = false
	var n int64
	for i := range old {
		if o := &old[i]; o.k0 != 0 {
			*sh.find(o.k0, o.k1) = *o
			n++
		}
	}
	sh.n.Store(n)
	if oldInRegion {
		// Give the pages back now: the whole region is only unmapped by
		// free, and a log of short lines can outgrow every shard's part.
		releaseSlots(old)
	} else {
		freeSlots(old, oldMapped)
	}
}

// free releases the tables; the set must not be used afterwards.
func (d *dedupSet) free() {
	d.growMu.Lock()
	defer d.growMu.Unlock()
	for i := range d.shards {
		sh := &d.shards[i]
		freeSlots(sh.slots, sh.mapped)
		sh.setSlots(nil, false)
		sh.n.Store(0)
	}
	freeSlots(d.region, d.regionMapped)
	d.region, d.regionMapped = nil, false
}

// hashID returns the 128-bit dedup key of a request id: its xxhash64, and
// a second word made of its length and its first and last 8 bytes, so two
// ids collide only when their xxhash64 does and they also share length,
// head and tail.
func hashID(id string) dedupKey {
	var k dedupKey
	binary.LittleEndian.PutUint64(k[:8], xxhash.Sum64String(id))
	binary.LittleEndian.PutUint64(k[8:], uint64(len(id))<<56^headWord(id)^bits.RotateLeft64(tailWord(id), 29))
	return k
}

// headWord and tailWord load up to 8 bytes from the start and the end of s.
func headWord(s string) uint64 {
	if len(s) >= 8 {
		return binary.LittleEndian.Uint64([]byte(s[:8]))
	}
	var w uint64
	for i := 0; i < len(s); i++ {
		w |= uint64(s[i]) << (8 * i)
	}
	return w
}

func tailWord(s string) uint64 {
	if len(s) <= 8 {
		return 0
	}
	return binary.LittleEndian.Uint64([]byte(s[len(s)-8:]))
}

// Outcomes of dedupSet.admit.
const (
	admitKeep      = iota // consume the record
	admitDuplicate        // an identical copy is kept
	admitConflict         // a different copy of the same id is kept
	admitMismatch         // a copy of another workflow, model or status is kept
)

// The rank a copy of a request id is judged by (dedupSlot.tokens): its
// token total, shifted up by rankBits; below it one bit that is set for a
// record the provider bills (Record.Billed), so that at equal tokens an ok
// copy (or a cancelled stream) beats an error or expired copy; one bit set for a record whose log gives its time, so that a copy
// dated by its file's modification time (Record.TSFromFile) never beats
// one that is not; and identBits of a hash of the workflow, model and
// status, so that copies that disagree on those are told apart from copies
// that differ only in other fields. Token totals are below
// 5·MaxRecordTokens < 2^43, so the rank fits in 63 bits.
const (
	identBits = 18
	rankBits  = identBits + 2
	identMask = 1<<identBits - 1
)

// rank returns the dedup rank of a copy with token total t, billed or not,
// a timestamp from the log or not, and identity hash ident.
func rank(t int64, ok, dated bool, ident uint64) int64 {
	r := t<<rankBits | int64(ident&identMask)
	if ok {
		r |= 1 << (identBits + 1)
	}
	if dated {
		r |= 1 << identBits
	}
	return r
}

// beats reports whether copy (t, fp) wins over copy (t2, fp2).
func beats(t int64, fp uint64, t2 int64, fp2 uint64) bool {
	if t != t2 {
		return t > t2
	}
	return fp > fp2
}

// admit decides whether a record with key k, token total t and content
// fingerprint fp (63 bits) is consumed. frozen is true in the second pass,
// when every id's winner is already in the set. It is for one goroutine
// at a time (tests); workers use enter, admitIn and leave.
func (d *dedupSet) admit(k dedupKey, t int64, fp uint64, frozen bool) int {
	i, k0, k1 := d.locate(k)
	d.enter()
	defer d.leave()
	return d.admitIn(&d.local, i, k0, k1, t, fp, frozen)
}

// locate returns the shard index of key k and the key's two words as
// stored (k0 with its low bit set and its busy bit clear).
func (d *dedupSet) locate(k dedupKey) (int, uint64, uint64) {
	return int(k[0]>>1 | k[1]&0x80), binary.LittleEndian.Uint64(k[:8])&^busyBit | 1, binary.LittleEndian.Uint64(k[8:])
}

// enter and leave bracket a goroutine's calls of admitIn: they hold the
// grow lock shared.
func (d *dedupSet) enter() { d.growMu.RLock() }
func (d *dedupSet) leave() { d.growMu.RUnlock() }

// busyBit marks a slot's k0 while one goroutine fills or updates the slot.
// Stored keys never have it (locate clears it).
const busyBit = 2

// loadK0 returns slot s's k0 once it is not busy.
func loadK0(s *dedupSlot) uint64 {
	for spins := 0; ; spins++ {
		v := atomic.LoadUint64(&s.k0)
		if v&busyBit == 0 {
			return v
		}
		if spins&63 == 63 {
			runtime.Gosched()
		}
	}
}

// admitIn is admit for a key already located, by a goroutine between enter
// and leave that counts its inserts in local. Slots are read and claimed
// without locks: an empty slot is claimed by setting its k0 to the key
// with the busy bit, filled, and published by clearing the bit (k1 never
// changes after that); a slot holding the key is updated under its busy
// bit. A table due to grow (80% full by n, or found full) is grown with
// the grow lock held exclusively.
func (d *dedupSet) admitIn(local *dedupLocal, si int, k0, k1 uint64, t int64, fp uint64, frozen bool) int {
	sh := &d.shards[si]
	for {
		slots := sh.slots
		full := !frozen && (sh.n.Load()+1)*5 > int64(len(slots))*4
		if !full {
			i := home(k0, len(slots))
			for probes := 0; probes < len(slots); probes++ {
				s := &slots[i]
				v := loadK0(s)
				if v == 0 {
					if frozen {
						return admitConflict // not in the set: cannot be the winner
					}
					if !atomic.CompareAndSwapUint64(&s.k0, 0, k0|busyBit) {
						probes-- // another goroutine took the slot: look again
						continue
					}
					s.k1, s.tokens, s.fp = k1, t, fp
					atomic.StoreUint64(&s.k0, k0)
					if local.pending[si]++; local.pending[si] >= countEvery {
						sh.n.Add(int64(local.pending[si]))
						local.pending[si] = 0
					}
					return admitKeep
				}
				if v == k0 && s.k1 == k1 {
					for !atomic.CompareAndSwapUint64(&s.k0, k0, k0|busyBit) {
						loadK0(s)
					}
					res := d.decide(s, t, fp, frozen)
					atomic.StoreUint64(&s.k0, k0)
					return res
				}
				if i++; i == len(slots) {
					i = 0
				}
			}
			if frozen {
				return admitConflict
			}
		}
		// Grow: wait for the other goroutines to leave, and let them in
		// again after.
		d.growMu.RUnlock()
		d.growMu.Lock()
		// Unless another goroutine grew the table meanwhile (tables only
		// grow, so an unchanged length is the same table).
		if cur := sh.slots; len(cur) == 0 || (sh.n.Load()+1)*5 > int64(len(cur))*4 || !full && len(cur) == len(slots) {
			sh.grow()
		}
		d.growMu.Unlock()
		d.growMu.RLock()
	}
}

// decide is admitIn for a slot holding the key, with its busy bit held.
//
// A copy that differs from the kept one is a mismatch when their identity
// bits (see rank) differ. Those counts do not depend on the input order:
// in a first pass where no kept copy was beaten, every copy is compared
// with its id's final winner; otherwise the second pass compares them all
// with the winner again, and its counts are the ones reported.
func (d *dedupSet) decide(e *dedupSlot, t int64, fp uint64, frozen bool) int {
	res := admitConflict
	if (t^e.tokens)&identMask != 0 {
		res = admitMismatch
	}
	if !frozen {
		if e.fp == fp {
			return admitDuplicate
		}
		if beats(t, fp, e.tokens, e.fp) {
			e.tokens, e.fp = t, fp
			d.mu.Lock()
			d.superseded++
			d.mu.Unlock()
		}
		return res
	}
	// Second pass: consume the winning copy once.
	switch win := e.fp &^ takenBit; {
	case fp != win:
		return res
	case e.fp&takenBit != 0:
		return admitDuplicate
	}
	e.fp |= takenBit
	return admitKeep
}

// len returns the number of distinct ids in the set, counting the slots in
// use; no goroutine may be admitting.
func (d *dedupSet) len() int64 {
	d.growMu.Lock()
	defer d.growMu.Unlock()
	var n int64
	for i := range d.shards {
		for j := range d.shards[i].slots {
			if d.shards[i].slots[j].k0 != 0 {
				n++
			}
		}
	}
	return n
}

// bytes returns the memory the set's tables hold.
func (d *dedupSet) bytes() int64 {
	d.growMu.Lock()
	defer d.growMu.Unlock()
	var n int64
	for i := range d.shards {
		n += int64(len(d.shards[i].slots)) * 32
	}
	return n
}

// fingerprint returns a 63-bit hash of everything in r that decides its
// cost or its classification; two copies of one id with equal fingerprints
// are the same record.
func fingerprint(r *Record) uint64 {
	h := uint64(r.TS.UnixNano())
	if r.TSFromFile {
		h = 0 // a file time is not part of the content
	}
	for _, s := range [...]string{r.Provider, r.Model, r.Workflow, r.Source, string(r.Mode), r.Status, r.Team, r.LoggedCostUSD} {
		h = mix(h, strHash(s))
	}
	for _, v := range [...]int64{r.InputTokens, r.CacheReadTokens, r.CacheWrite5mTokens, r.CacheWrite1hTokens,
		r.OutputTokens, r.ReasoningTokens, r.LatencyMS, r.TTFTMS, r.MaxTokens, int64(r.UserWaiting)} {
		h = mix(h, uint64(v))
	}
	return h &^ takenBit
}

// strHash hashes a label: short ones (most) by their bytes directly.
func strHash(s string) uint64 {
	if len(s) <= 16 {
		return mix(uint64(len(s))^headWord(s), tailWord(s)^headWord(s[min(len(s), 8):]))
	}
	return xxhash.Sum64String(s)
}

// mix folds v into h (a multiply-xorshift step, as in splitmix64).
func mix(h, v uint64) uint64 {
	h ^= v + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
	h *= 0xbf58476d1ce4e5b9
	return h ^ (h >> 31)
}

// tokenTotal is the token count that ranks copies of one id.
func tokenTotal(r *Record) int64 {
	return r.InputTokens + r.CacheReadTokens + r.CacheWrite5mTokens + r.CacheWrite1hTokens + r.OutputTokens
}

// identSlot caches the hash of one workflow and model pair. Records
// repeat a few pairs of interned strings, so a small table indexed by the
// strings' addresses answers most records with two compares of equal
// pointers.
type identSlot struct {
	workflow, model string
	h               uint64 // 0: empty
}

const identSlots = 16

// dedupRank returns r's rank (see rank).
func (w *worker) dedupRank(r *Record) int64 {
	wp, mp := fast.StringAddr(r.Workflow), fast.StringAddr(r.Model)
	c := &w.ident[(wp>>4^mp>>3)&(identSlots-1)]
	// Same address and length is the same string (the slot keeps its
	// strings alive, so the address cannot be reused); equal strings at
	// other addresses only miss the cache.
	if c.h == 0 || fast.StringAddr(c.workflow) != wp || fast.StringAddr(c.model) != mp || len(c.workflow) != len(r.Workflow) || len(c.model) != len(r.Model) {
		c.workflow, c.model = r.Workflow, r.Model
		c.h = mix(strHash(r.Workflow), strHash(r.Model)) | 1
	}
	// The statuses are the Status* constants: their lengths tell them
	// apart ("ok" 2, "error" 5, "cancelled" 9, "expired" 7).
	st := uint64(len(r.Status))
	billed := st == 2 || st == 9 && r.Mode != pricing.ModeBatch
	return rank(tokenTotal(r), billed, !r.TSFromFile, c.h+st*0x9e3779b97f4a7c15)
}
