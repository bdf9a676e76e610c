package simulate

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// packSeries is a hand-made arrival series over two days: 2 requests at
// 01:30, 1 on the hour at 03:00, 1 at 05:15 and 4 at 23:00 (UTC). With a
// fixed 2-hour completion every wait below was worked out by hand before
// the packer ran (see TestPackKnownSeries).
func packSeries() []Arrival {
	at := func(h, m, n int) Arrival {
		return Arrival{AtMS: time.Date(2026, 11, 2, h, m, 0, 0, time.UTC).UnixMilli(), N: int64(n)}
	}
	// Out of order on purpose: the packer sorts.
	return []Arrival{at(23, 0, 4), at(1, 30, 2), at(5, 15, 1), at(3, 0, 1)}
}

func packOpts() PackOptions {
	return PackOptions{
		EveryHours:    []int{1, 4, 12, 24},
		DeadlineHours: 6,
		FixedHours:    2,
		Completion:    PriorCompletion(),
		SavingsUSD:    decimal.RequireFromString("10"),
		WindowDays:    decimal.NewFromInt(2),
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestPackKnownSeries checks the packer against waits computed by hand.
//
// Every hour: 01:30→02:00 (0.5 h + 2 h = 9000 s, ×2), 03:00→03:00 (7200 s),
// 05:15→06:00 (9900 s), 23:00→23:00 (7200 s, ×4): sorted 7200×5, 9000×2,
// 9900: p50 (4th of 8) 7200, p95 (8th) 9900; 4 jobs, none late.
// Every 4 h: 16200×2, 10800, 17100, 10800×4 → p50 10800, p95 17100; jobs at
// 04:00, 08:00 and 24:00.
// Every 12 h: 45000×2, 39600, 31500, 10800×4 → 4 of 8 beyond 6 h, so half
// the saving: $5, $75 a month.
// Every 24 h: 88200×2, 82800, 74700, 10800×4 → the same misses.
func TestPackKnownSeries(t *testing.T) {
	got, err := Pack(packSeries(), packOpts())
	if err != nil {
		t.Fatal(err)
	}
	want := []PackRow{
		{EveryHours: 1, Jobs: 4, JobsPerDay: dec("2"), WaitP50S: 7200, WaitP95S: 9900, WaitWorstS: 9900, Requests: 8, MissShare: dec("0"), SavingsUSD: dec("10"), MonthlySavingsUSD: dec("150")},
		{EveryHours: 4, Jobs: 3, JobsPerDay: dec("1.5"), WaitP50S: 10800, WaitP95S: 17100, WaitWorstS: 17100, Requests: 8, MissShare: dec("0"), SavingsUSD: dec("10"), MonthlySavingsUSD: dec("150")},
		{EveryHours: 12, Jobs: 2, JobsPerDay: dec("1"), WaitP50S: 10800, WaitP95S: 45000, WaitWorstS: 45000, Missed: 4, Requests: 8, MissShare: dec("0.5"), SavingsUSD: dec("5"), MonthlySavingsUSD: dec("75")},
		{EveryHours: 24, Jobs: 1, JobsPerDay: dec("0.5"), WaitP50S: 10800, WaitP95S: 88200, WaitWorstS: 88200, Missed: 4, Requests: 8, MissShare: dec("0.5"), SavingsUSD: dec("5"), MonthlySavingsUSD: dec("75")},
	}
	checkRows(t, got.Rows, want)
	if got.Requests != 8 || got.Replays != 1 || got.Model != "fixed: every job completes in 2 h" {
		t.Errorf("requests %d, replays %d, model %q", got.Requests, got.Replays, got.Model)
	}
}

// TestPackLimits fills jobs early. With at most 3 requests per job (or
// 1,000 bytes of 300-byte requests) and one submission a day: 01:30 ×2 and
// 03:00 fill job 1 at 03:00 (waits 12600×2, 7200); 05:15 and two of the
// 23:00 requests fill job 2 at 23:00 (71100, 7200×2); the last two go at
// 24:00 (10800×2). Sorted: 7200×3, 10800×2, 12600×2, 71100: p50 10800,
// p95 71100; one of 8 late, so 7/8 of $10.
func TestPackLimits(t *testing.T) {
	want := []PackRow{{EveryHours: 24, Jobs: 3, FullJobs: 2, JobsPerDay: dec("1.5"), WaitP50S: 10800, WaitP95S: 71100, WaitWorstS: 71100, Missed: 1, Requests: 8, MissShare: dec("0.125"), SavingsUSD: dec("8.75"), MonthlySavingsUSD: dec("131.25")}}
	for _, c := range []struct {
		name string
		set  func(*PackOptions)
	}{
		{"requests", func(o *PackOptions) { o.MaxRequests = 3 }},
		{"bytes", func(o *PackOptions) { o.MaxBytes, o.BytesPerRequest = 1000, 300 }},
		{"both", func(o *PackOptions) { o.MaxRequests, o.MaxBytes, o.BytesPerRequest = 5, 1000, 300 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := packOpts()
			o.EveryHours = []int{24}
			c.set(&o)
			got, err := Pack(packSeries(), o)
			if err != nil {
				t.Fatal(err)
			}
			checkRows(t, got.Rows, want)
		})
	}
}

// TestPackExpired caps completion: a job slower than the window expires
// and every request in it misses, even without a deadline.
func TestPackExpired(t *testing.T) {
	o := packOpts()
	o.EveryHours, o.DeadlineHours, o.FixedHours = []int{1}, 0, 30
	got, err := Pack(packSeries(), o)
	if err != nil {
		t.Fatal(err)
	}
	r := got.Rows[0]
	// Waits are the queue plus the 24 h cap: 1800 s + 86400 s at most.
	if r.Expired != 8 || r.Missed != 8 || !r.SavingsUSD.IsZero() || r.WaitWorstS != 86400+2700 {
		t.Errorf("got %+v: want all 8 expired, no saving, worst 89100 s", r)
	}
}

// TestPackMonteCarlo draws completion times: the same seed gives the same
// rows, another seed other waits, and every wait lies between the queue
// wait alone and the queue wait plus the 24 h window.
func TestPackMonteCarlo(t *testing.T) {
	o := packOpts()
	o.FixedHours, o.Replays, o.Seed = 0, 50, 7
	a, err := Pack(packSeries(), o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Pack(packSeries(), o)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different rows")
	}
	o.Seed = 8
	c, _ := Pack(packSeries(), o)
	if reflect.DeepEqual(a.Rows, c.Rows) {
		t.Error("seed 8 gave the rows of seed 7")
	}
	if a.Replays != 50 || a.Seed != 7 || a.Rows[0].Requests != 400 {
		t.Errorf("replays %d seed %d requests %d", a.Replays, a.Seed, a.Rows[0].Requests)
	}
	for _, r := range a.Rows {
		if r.WaitP50S <= 0 || r.WaitP50S > r.WaitP95S || r.WaitP95S > r.WaitWorstS || r.WaitWorstS > int64(r.EveryHours+24)*3600 {
			t.Errorf("every %d h: p50 %d p95 %d worst %d", r.EveryHours, r.WaitP50S, r.WaitP95S, r.WaitWorstS)
		}
	}
}

func TestPackErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*PackOptions)
		want string
	}{
		{"interval", func(o *PackOptions) { o.EveryHours = []int{25} }, "pack: submit every 25 hours: want 1 to 24"},
		{"bytes", func(o *PackOptions) { o.MaxBytes, o.BytesPerRequest = 100, 300 }, "pack: one request of 300 bytes exceeds the 100-byte job limit"},
		{"no size", func(o *PackOptions) { o.MaxBytes = 100 }, "pack: a byte limit needs bytes per request above 0"},
		{"deadline", func(o *PackOptions) { o.DeadlineHours = -1 }, "pack: deadline -1 hours: want 0 (none) or more"},
	} {
		o := packOpts()
		c.set(&o)
		if _, err := Pack(packSeries(), o); err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func checkRows(t *testing.T, got, want []PackRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if !g.JobsPerDay.Equal(w.JobsPerDay) || !g.MissShare.Equal(w.MissShare) || !g.SavingsUSD.Equal(w.SavingsUSD) || !g.MonthlySavingsUSD.Equal(w.MonthlySavingsUSD) {
			t.Errorf("every %d h: money/shares %s %s %s %s, want %s %s %s %s", w.EveryHours,
				g.JobsPerDay, g.MissShare, g.SavingsUSD, g.MonthlySavingsUSD, w.JobsPerDay, w.MissShare, w.SavingsUSD, w.MonthlySavingsUSD)
		}
		g.JobsPerDay, g.MissShare, g.SavingsUSD, g.MonthlySavingsUSD = w.JobsPerDay, w.MissShare, w.SavingsUSD, w.MonthlySavingsUSD
		if g != w {
			t.Errorf("every %d h:\n got %+v\nwant %+v", w.EveryHours, g, w)
		}
	}
}

// TestPackSplitsOneInstant puts 7 requests in one instant against a
// 3-request limit, one submission a day: two jobs leave full at 01:30
// (waits 7200 s ×6) and the last request waits for midnight (22.5 h + 2 h
// = 88200 s): p50 7200, p95 (7th of 7) 88200.
func TestPackSplitsOneInstant(t *testing.T) {
	o := packOpts()
	o.EveryHours, o.MaxRequests = []int{24}, 3
	arr := []Arrival{{AtMS: packSeries()[1].AtMS, N: 7}}
	got, err := Pack(arr, o)
	if err != nil {
		t.Fatal(err)
	}
	r := got.Rows[0]
	if r.Jobs != 3 || r.FullJobs != 2 || r.WaitP50S != 7200 || r.WaitP95S != 88200 || r.WaitWorstS != 88200 || r.Missed != 1 {
		t.Errorf("got %+v", r)
	}
}

// TestPackNoArrivals returns zero rows' figures, not a division by zero.
func TestPackNoArrivals(t *testing.T) {
	got, err := Pack(nil, packOpts())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range got.Rows {
		if r.Jobs != 0 || r.Requests != 0 || !r.SavingsUSD.IsZero() || r.WaitP95S != 0 {
			t.Errorf("every %d h: %+v", r.EveryHours, r)
		}
	}
}

// TestPackMatchesLognormal checks the Monte Carlo against the lognormal it
// draws from: requests that arrive on the hour wait for nothing but their
// job, so with the prior (median 2 h) the share later than 6 h is the
// lognormal's survival at 6 h (about 2.1%) and the median wait is 2 h.
func TestPackMatchesLognormal(t *testing.T) {
	var arr []Arrival
	for h := 0; h < 40; h++ {
		arr = append(arr, Arrival{AtMS: int64(h) * 3_600_000, N: 1})
	}
	m := PriorCompletion()
	o := PackOptions{EveryHours: []int{1}, DeadlineHours: 6, Completion: m, Replays: 500, Seed: 11,
		SavingsUSD: decimal.NewFromInt(1), WindowDays: decimal.NewFromInt(2)}
	got, err := Pack(arr, o)
	if err != nil {
		t.Fatal(err)
	}
	r := got.Rows[0]
	share := float64(r.Missed) / float64(r.Requests)
	want := SimulateCompletion(m, 6, 10, 1).AnalyticPMiss
	if math.Abs(share-want) > 0.005 {
		t.Errorf("miss share %.4f, lognormal survival %.4f", share, want)
	}
	if r.WaitP50S < 6900 || r.WaitP50S > 7500 {
		t.Errorf("median wait %d s, want about 7200 s", r.WaitP50S)
	}
	t.Logf("%d draws: miss %.4f (analytic %.4f), p50 %d s, p95 %d s", r.Requests, share, want, r.WaitP50S, r.WaitP95S)
}
