package audit

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify" // classify is a function of decode_format.go until the decoders move out
	"github.com/costaudit/costaudit/pricing"
)

// synthFlow is one workflow of the in-test workload generator: a truth
// class, hints, and an arrival shape.
type synthFlow struct {
	name, class string
	source      string
	waiting     int8 // -1 absent
	mode        pricing.Mode
	perDay      int
	// at draws the time of day (seconds) and says whether the request runs
	// on day d (0-based; day 0 is a Monday).
	at  func(r *rand.Rand, d int) (sec int, ok bool)
	in  int64
	out int64
}

var synthStart = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // a Monday

func window(fromH, fromM, toH, toM int) func(*rand.Rand, int) (int, bool) {
	lo, hi := fromH*3600+fromM*60, toH*3600+toM*60
	return func(r *rand.Rand, d int) (int, bool) { return lo + r.IntN(hi-lo), true }
}

func officeHours(r *rand.Rand, d int) (int, bool) {
	wd := (d + 1) % 7 // day 0 is a Monday
	if (wd == 0 || wd == 6) && r.Float64() > 0.15 {
		return 0, false
	}
	if r.Float64() < 0.05 {
		return r.IntN(86400), true
	}
	u := (r.Float64() + r.Float64()) / 2
	return 8*3600 + int(u*10*3600), true
}

// globalUsers is realtime traffic of users across time zones: every hour,
// with a soft daily wave.
func globalUsers(r *rand.Rand, d int) (int, bool) {
	for {
		x := r.IntN(86400)
		h := float64(x) / 3600
		if r.Float64()*1.6 < 1+0.6*math.Sin(2*math.Pi*h/24) {
			return x, true
		}
	}
}

func morningSpike(r *rand.Rand, d int) (int, bool) {
	wd := (d + 1) % 7
	if wd == 0 || wd == 6 {
		return 0, false
	}
	if r.Float64() < 0.85 {
		return 9*3600 + r.IntN(1800), true // everyone opens the tool at 09:00
	}
	return 8*3600 + r.IntN(10*3600), true
}

func hourlyJob(r *rand.Rand, d int) (int, bool) {
	return r.IntN(24)*3600 + r.IntN(300), true
}

func weekly(wd int, h int) func(*rand.Rand, int) (int, bool) {
	return func(r *rand.Rand, d int) (int, bool) {
		if (d+1)%7 != wd {
			return 0, false
		}
		return h*3600 + r.IntN(1800), true
	}
}

func roundTheClock(r *rand.Rand, d int) (int, bool) { return r.IntN(86400), true }

// synthWorkload is a mix with traps for a classifier: realtime traffic
// around the clock and with a morning spike, an hourly job, a weekly job,
// and hints that contradict each other.
func synthWorkload() []synthFlow {
	return []synthFlow{
		{name: "support-chat", class: classify.Realtime, source: "web_ui", waiting: 1, mode: pricing.ModeStream, perDay: 300, at: officeHours, in: 2000, out: 400},
		{name: "global-assistant", class: classify.Realtime, source: "chat", waiting: 1, mode: pricing.ModeStream, perDay: 400, at: globalUsers, in: 1500, out: 300},
		{name: "standup-summaries", class: classify.Realtime, source: "web_ui", waiting: 1, mode: pricing.ModeSync, perDay: 200, at: morningSpike, in: 3000, out: 500},
		{name: "mislabelled-cron", class: classify.Realtime, source: "cron", waiting: 1, mode: pricing.ModeSync, perDay: 50, at: officeHours, in: 1000, out: 200},
		{name: "night-owl-dev", class: classify.Realtime, source: "ide", waiting: 1, mode: pricing.ModeStream, perDay: 40, at: window(23, 0, 23, 50), in: 20000, out: 2000},
		{name: "webhook-enrich", class: classify.NearRealtime, source: "webhook", waiting: 0, mode: pricing.ModeSync, perDay: 300, at: roundTheClock, in: 800, out: 100},
		{name: "nightly-etl", class: classify.Scheduled, source: "etl", waiting: 0, mode: pricing.ModeSync, perDay: 500, at: window(1, 0, 1, 45), in: 4000, out: 800},
		{name: "hourly-sync", class: classify.Scheduled, source: "cron", waiting: -1, mode: pricing.ModeSync, perDay: 240, at: hourlyJob, in: 2000, out: 300},
		{name: "weekly-report", class: classify.Scheduled, source: "cron", waiting: 0, mode: pricing.ModeSync, perDay: 60, at: weekly(0, 5), in: 6000, out: 1500},
		{name: "queue-drain", class: classify.Scheduled, source: "queue", waiting: 0, mode: pricing.ModeSync, perDay: 200, at: window(22, 0, 23, 0), in: 2500, out: 400},
		{name: "batch-evals", class: classify.Scheduled, source: "etl", waiting: 0, mode: pricing.ModeBatch, perDay: 150, at: window(3, 0, 3, 20), in: 1000, out: 1000},
	}
}

// synthRecords generates days of records of the workload; strip removes
// every hint (source, user_waiting, mode, TTFT), as a bare log would.
func synthRecords(flows []synthFlow, days int, seed uint64, strip bool) []Record {
	r := rand.New(rand.NewPCG(seed, 7))
	var out []Record
	for d := range days {
		day := synthStart.AddDate(0, 0, d)
		for _, f := range flows {
			for range f.perDay {
				sec, ok := f.at(r, d)
				if !ok {
					continue
				}
				rc := Record{
					TS: day.Add(time.Duration(sec) * time.Second), Provider: "acme", Model: "acme-large", Workflow: f.name,
					Source: f.source, Mode: f.mode, UserWaiting: f.waiting,
					InputTokens: f.in + int64(r.IntN(100)), OutputTokens: f.out + int64(r.IntN(50)),
					LatencyMS: -1, TTFTMS: -1, Status: StatusOK,
				}
				if f.mode == pricing.ModeStream {
					rc.TTFTMS = 300 + int64(r.IntN(700))
				}
				if strip {
					rc.Source, rc.Mode, rc.UserWaiting, rc.TTFTMS = "", "", -1, -1
				}
				out = append(out, rc)
			}
		}
	}
	return out
}

// scoreClassification returns the share of cost classified as its truth
// class and the workflows called scheduled whose truth is realtime.
func scoreClassification(t *testing.T, agg *aggregate.Aggregator, truth map[string]string) (float64, []string) {
	t.Helper()
	rep, err := BuildReport(agg, Stats{}, agg.Catalog(), BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var right, total decimal.Decimal
	var bad []string
	for _, w := range rep.Workflows {
		total = total.Add(w.CostUSD)
		if w.Class == truth[w.Workflow] {
			right = right.Add(w.CostUSD)
		} else {
			t.Logf("%s: truth %s, classified %s (%s): %s", w.Workflow, truth[w.Workflow], w.Class, w.Confidence, strings.Join(w.Evidence, " | "))
		}
		if truth[w.Workflow] == classify.Realtime && w.Class == classify.Scheduled {
			bad = append(bad, w.Workflow)
		}
	}
	share, _ := right.Div(total).Float64()
	return share, bad
}

// TestClassifyAccuracySynthetic is the acceptance test on the in-test
// workload: at least 90% of cost classified right with hints, 70% from
// arrival patterns alone, and no realtime workflow ever called scheduled.
// Its jobs draw independent arrivals inside a window whose start drifts by
// up to a minute, which a crowd of people could produce too: without hints
// they stay realtime (measured 72–73%).
func TestClassifyAccuracySynthetic(t *testing.T) {
	cat := testCatalog(t)
	flows := synthWorkload()
	truth := map[string]string{}
	for _, f := range flows {
		truth[f.name] = f.class
	}
	for _, tc := range []struct {
		strip bool
		min   float64
	}{{false, 0.9}, {true, 0.7}} {
		for _, days := range []int{7, 14} {
			agg := aggregate.New(cat, aggregate.Options{})
			for _, rc := range synthRecords(flows, days, 42, tc.strip) {
				agg.Consume(&rc)
			}
			share, bad := scoreClassification(t, agg, truth)
			t.Logf("hints stripped=%v, %d days: %.1f%% of cost classified right", tc.strip, days, 100*share)
			if share < tc.min {
				t.Errorf("hints stripped=%v, %d days: %.1f%% of cost classified right, want ≥ %.0f%%", tc.strip, days, 100*share, 100*tc.min)
			}
			if len(bad) > 0 {
				t.Errorf("hints stripped=%v, %d days: realtime workflows called scheduled: %v", tc.strip, days, bad)
			}
		}
	}
}
