package simulate

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/costaudit/costaudit/audit/aggregate"
)

// Arrival is a group of requests of one workflow that arrived at the same
// instant, in milliseconds since the Unix epoch (UTC). The audit keeps
// arrivals per minute (the earliest arrival inside each minute), so every
// request of a minute is replayed at that minute's first arrival: a
// request's queue wait is overstated by less than a minute, never
// understated.
type Arrival struct {
	AtMS int64
	N    int64
}

// DefaultPackIntervals are the submission intervals, in hours, the packer
// tries when none are given: every hour, every 4 hours, twice a day and
// once a day.
var DefaultPackIntervals = []int{1, 4, 12, 24}

// DefaultPackReplays is the number of Monte Carlo replays of the arrivals
// (each replay draws a fresh completion time for every batch job).
const DefaultPackReplays = 200

// PackOptions are the inputs of the batch packer.
type PackOptions struct {
	// EveryHours are the submission intervals to try, in hours (1 to 24).
	// The queue submits at every multiple of the interval since midnight
	// UTC (00:00, 04:00, ... for 4), and a request that arrives exactly on
	// such a mark joins the job submitted at that mark.
	EveryHours []int
	// MaxRequests and MaxBytes are the provider's per-job limits (0: none).
	// A job is submitted early, at the arrival that fills it, when either
	// is reached; BytesPerRequest sizes the requests against MaxBytes.
	MaxRequests     int64
	MaxBytes        int64
	BytesPerRequest int64
	// DeadlineHours is the user's deadline for a result (0: none). A
	// request misses it when its added wait (queue plus completion) is
	// longer; a job that outlasts the completion model's cap expires and
	// every request in it misses, whatever the deadline.
	DeadlineHours float64
	// Completion is the batch completion-time model (PriorCompletion or
	// FitCompletion). FixedHours, when above 0, replaces it: every job
	// takes exactly that long (a known completion time; no draw).
	Completion CompletionModel
	FixedHours float64
	// Replays and Seed drive the Monte Carlo; Replays 0 means
	// DefaultPackReplays. FixedHours needs a single replay.
	Replays int
	Seed    uint64
	// SavingsUSD is the workflow's batch saving over the window when every
	// request is delivered by batch; WindowDays is the window's length in
	// days, the base of jobs per day and of the 30-day projection.
	SavingsUSD decimal.Decimal
	WindowDays decimal.Decimal
}

// PackRow is the packer's outcome for one submission interval.
type PackRow struct {
	EveryHours int `json:"every_hours"`
	// Jobs is the number of batch jobs over the window; JobsPerDay divides
	// it by the window's days (4 places).
	Jobs       int64           `json:"jobs"`
	JobsPerDay decimal.Decimal `json:"jobs_per_day"`
	// FullJobs counts the jobs submitted early because a per-job limit was
	// reached.
	FullJobs int64 `json:"full_jobs"`
	// Wait quantiles are the added wait each request would have seen
	// (time in the queue plus the job's completion time), in whole seconds,
	// over every request of every replay: the smallest wait that at least
	// 50% / 95% of the requests do not exceed, and the longest.
	WaitP50S   int64 `json:"wait_p50_s"`
	WaitP95S   int64 `json:"wait_p95_s"`
	WaitWorstS int64 `json:"wait_worst_s"`
	// Missed and Expired count requests, over all replays, that missed the
	// deadline (expired included) or whose job outlasted the batch window.
	Missed  int64 `json:"missed"`
	Expired int64 `json:"expired"`
	// Requests is requests × replays, the denominator of the shares.
	Requests int64 `json:"requests"`
	// MissShare is Missed / Requests (6 places).
	MissShare decimal.Decimal `json:"miss_share"`
	// SavingsUSD is the batch saving of the requests that arrive in time:
	// SavingsUSD × (1 − MissShare) over the window, on the assumption that
	// a request that misses its deadline is sent again at the real-time
	// price and saves nothing (6 places). MonthlySavingsUSD scales it to
	// 30 days.
	SavingsUSD        decimal.Decimal `json:"savings_usd"`
	MonthlySavingsUSD decimal.Decimal `json:"monthly_savings_usd"`
}

// PackResult is the packer's outcome for one workflow.
type PackResult struct {
	Requests int64     `json:"requests"`
	Replays  int       `json:"replays"`
	Seed     uint64    `json:"seed"`
	Model    string    `json:"completion_model"`
	Rows     []PackRow `json:"rows"`
}

// packPlaces is the rounding of the packer's shares and money: the
// divisions do not terminate.
const packPlaces = 6

// Pack replays arrivals through a queue for every interval of o and
// returns the savings, waits, jobs and deadline misses of each. The same
// arrivals and options always give the same result: completion times come
// from a PCG source seeded by o.Seed, one stream per interval.
func Pack(arrivals []Arrival, o PackOptions) (PackResult, error) {
	if o.FixedHours < 0 || math.IsNaN(o.FixedHours) {
		return PackResult{}, fmt.Errorf("pack: fixed completion %v hours: want 0 (use the model) or more", o.FixedHours)
	}
	if o.DeadlineHours < 0 || math.IsNaN(o.DeadlineHours) {
		return PackResult{}, fmt.Errorf("pack: deadline %v hours: want 0 (none) or more", o.DeadlineHours)
	}
	if o.MaxBytes > 0 && o.BytesPerRequest <= 0 {
		return PackResult{}, errors.New("pack: a byte limit needs bytes per request above 0")
	}
	every := o.EveryHours
	if len(every) == 0 {
		every = DefaultPackIntervals
	}
	replays := o.Replays
	if replays == 0 {
		replays = DefaultPackReplays
	}
	if o.FixedHours > 0 {
		replays = 1
	}
	if replays < 0 {
		return PackResult{}, fmt.Errorf("pack: %d replays: want 1 or more", replays)
	}
	arr := append([]Arrival(nil), arrivals...)
	sort.Slice(arr, func(i, j int) bool {
		if arr[i].AtMS != arr[j].AtMS {
			return arr[i].AtMS < arr[j].AtMS
		}
		return arr[i].N < arr[j].N
	})
	var n int64
	for i, a := range arr {
		if a.N < 0 {
			return PackResult{}, fmt.Errorf("pack: arrival %d: negative count %d", i+1, a.N)
		}
		n += a.N
	}
	capacity := o.MaxRequests
	if o.MaxBytes > 0 {
		byBytes := o.MaxBytes / o.BytesPerRequest
		if byBytes < 1 {
			return PackResult{}, fmt.Errorf("pack: one request of %d bytes exceeds the %d-byte job limit", o.BytesPerRequest, o.MaxBytes)
		}
		if capacity == 0 || byBytes < capacity {
			capacity = byBytes
		}
	}
	res := PackResult{Requests: n, Replays: replays, Seed: o.Seed, Model: o.Completion.Source}
	if o.FixedHours > 0 {
		res.Model = fmt.Sprintf("fixed: every job completes in %s h", ff(o.FixedHours, -1))
	}
	for i, h := range every {
		if h < 1 || h > 24 {
			return PackResult{}, fmt.Errorf("pack: submit every %d hours: want 1 to 24", h)
		}
		jobs := packJobs(arr, int64(h)*3_600_000, capacity)
		src := rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15+uint64(i))
		row := replay(jobs, o, replays, src)
		row.EveryHours = h
		row.Requests = n * int64(replays)
		if row.Requests > 0 {
			row.MissShare = decimal.NewFromInt(row.Missed).DivRound(decimal.NewFromInt(row.Requests), packPlaces)
			onTime := decimal.NewFromInt(row.Requests - row.Missed)
			row.SavingsUSD = o.SavingsUSD.Mul(onTime).DivRound(decimal.NewFromInt(row.Requests), packPlaces)
		}
		if o.WindowDays.IsPositive() {
			row.JobsPerDay = decimal.NewFromInt(row.Jobs).DivRound(o.WindowDays, 4)
			row.MonthlySavingsUSD = row.SavingsUSD.Mul(decimal.NewFromInt(30)).DivRound(o.WindowDays, packPlaces)
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// job is one batch job: when it was submitted and the queue wait of each
// group of its requests.
type job struct {
	submitMS int64
	waits    []Arrival // AtMS holds the queue wait in ms
	full     bool
}

// packJobs cuts the sorted arrivals into jobs submitted at every mark of
// periodMS and whenever capacity (0: none) requests are queued.
func packJobs(arr []Arrival, periodMS, capacity int64) []job {
	var (
		jobs []job
		cur  *job
		size int64
	)
	for _, a := range arr {
		left := a.N
		for left > 0 {
			mark := ceilDiv(a.AtMS, periodMS) * periodMS
			if cur != nil && cur.submitMS != mark {
				cur = nil
			}
			if cur == nil {
				jobs = append(jobs, job{submitMS: mark})
				cur, size = &jobs[len(jobs)-1], 0
			}
			take := left
			if capacity > 0 && size+take > capacity {
				take = capacity - size
			}
			size += take
			left -= take
			cur.waits = append(cur.waits, Arrival{AtMS: a.AtMS, N: take})
			if capacity > 0 && size == capacity {
				// The job is full: it leaves at the arrival that filled it.
				cur.submitMS, cur.full, cur = a.AtMS, true, nil
			}
		}
	}
	// Turn arrival times into queue waits.
	for i := range jobs {
		for k := range jobs[i].waits {
			jobs[i].waits[k].AtMS = jobs[i].submitMS - jobs[i].waits[k].AtMS
		}
	}
	return jobs
}

// replay draws completion times for the jobs replays times and measures
// the added waits, counted per whole second in a histogram.
func replay(jobs []job, o PackOptions, replays int, src rand.Source) PackRow {
	capMS := int64(math.Round(o.Completion.CapHours * 3_600_000))
	d := distuv.LogNormal{Mu: o.Completion.Mu, Sigma: o.Completion.Sigma, Src: src}
	deadlineMS := int64(math.Round(o.DeadlineHours * 3_600_000))
	fixedMS := int64(math.Round(o.FixedHours * 3_600_000))
	row := PackRow{}
	var maxQueue int64
	for _, j := range jobs {
		row.Jobs++
		if j.full {
			row.FullJobs++
		}
		for _, w := range j.waits {
			maxQueue = max(maxQueue, w.AtMS)
		}
	}
	// Waits are bounded by the longest queue wait plus the cap (or the
	// fixed time): one counter per second, and a map past the bound when
	// there is no cap.
	bound := maxQueue + max(capMS, fixedMS)
	if capMS <= 0 && fixedMS <= 0 {
		bound = maxQueue
	}
	hist := newSecHist(ceilDiv(bound, 1000))
	for r := 0; r < replays; r++ {
		for _, j := range jobs {
			c := fixedMS
			if o.FixedHours <= 0 {
				c = int64(math.Round(d.Rand() * 3_600_000))
			}
			expired := capMS > 0 && c > capMS
			if expired {
				c = capMS
			}
			for _, w := range j.waits {
				total := w.AtMS + c
				hist.add(ceilDiv(total, 1000), w.N)
				switch {
				case expired:
					row.Expired += w.N
					row.Missed += w.N
				case deadlineMS > 0 && total > deadlineMS:
					row.Missed += w.N
				}
			}
		}
	}
	row.WaitP50S = hist.quantile(50)
	row.WaitP95S = hist.quantile(95)
	row.WaitWorstS = hist.worst()
	return row
}

// secHist counts requests per whole second of wait: a slice up to a bound
// and a map beyond it.
type secHist struct {
	low   []int64
	high  map[int64]int64
	total int64
}

func newSecHist(bound int64) *secHist {
	return &secHist{low: make([]int64, bound+1), high: map[int64]int64{}}
}

func (h *secHist) add(sec, n int64) {
	h.total += n
	if sec >= 0 && sec < int64(len(h.low)) {
		h.low[sec] += n
		return
	}
	h.high[sec] += n
}

// quantile is the smallest wait with at least pct% of the requests at or
// below it (the nearest-rank quantile); 0 for no requests.
func (h *secHist) quantile(pct int64) int64 {
	if h.total == 0 {
		return 0
	}
	rank := ceilDiv(h.total*pct, 100)
	var cum int64
	for s, k := range h.low {
		if cum += k; k > 0 && cum >= rank {
			return int64(s)
		}
	}
	keys := make([]int64, 0, len(h.high))
	for s := range h.high {
		keys = append(keys, s)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, s := range keys {
		if cum += h.high[s]; cum >= rank {
			return s
		}
	}
	return 0
}

// worst is the longest wait counted.
func (h *secHist) worst() int64 {
	var w int64 = -1
	for s := range h.high {
		w = max(w, s)
	}
	if w >= 0 {
		return w
	}
	for s := len(h.low) - 1; s >= 0; s-- {
		if h.low[s] > 0 {
			return int64(s)
		}
	}
	return 0
}

func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) == (b < 0) {
		q++
	}
	return q
}

// BatchLimits returns the per-job limits of provider's batch API (0 where
// it documents none) and their source.
func BatchLimits(provider string) (requests, bytes int64, source string) {
	l := batchLimits[provider]
	return l.requests, l.bytes, l.source
}

// WorkflowArrivals turns a workflow's arrival evidence into the packer's
// input: each minute at its first arrival, and each 10-minute bin read
// from an aggregate file at the bin's start. It returns nil for a workflow
// agg does not hold.
func WorkflowArrivals(agg *aggregate.Aggregator, name string) []Arrival {
	w := agg.Workflow(name)
	if w == nil {
		return nil
	}
	out := make([]Arrival, 0, len(w.Arrival.Minutes)+len(w.Arrival.Bins))
	for m, c := range w.Arrival.Minutes {
		out = append(out, Arrival{AtMS: m*60_000 + int64(c.FirstMS), N: c.N})
	}
	for key, n := range w.Arrival.Bins {
		out = append(out, Arrival{AtMS: key * aggregate.BinMinutes * 60_000, N: n})
	}
	return out
}
