package audit

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/aggregate"
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
		{name: "support-chat", class: ClassRealtime, source: "web_ui", waiting: 1, mode: pricing.ModeStream, perDay: 300, at: officeHours, in: 2000, out: 400},
		{name: "global-assistant", class: ClassRealtime, source: "chat", waiting: 1, mode: pricing.ModeStream, perDay: 400, at: globalUsers, in: 1500, out: 300},
		{name: "standup-summaries", class: ClassRealtime, source: "web_ui", waiting: 1, mode: pricing.ModeSync, perDay: 200, at: morningSpike, in: 3000, out: 500},
		{name: "mislabelled-cron", class: ClassRealtime, source: "cron", waiting: 1, mode: pricing.ModeSync, perDay: 50, at: officeHours, in: 1000, out: 200},
		{name: "night-owl-dev", class: ClassRealtime, source: "ide", waiting: 1, mode: pricing.ModeStream, perDay: 40, at: window(23, 0, 23, 50), in: 20000, out: 2000},
		{name: "webhook-enrich", class: ClassNearRealtime, source: "webhook", waiting: 0, mode: pricing.ModeSync, perDay: 300, at: roundTheClock, in: 800, out: 100},
		{name: "nightly-etl", class: ClassScheduled, source: "etl", waiting: 0, mode: pricing.ModeSync, perDay: 500, at: window(1, 0, 1, 45), in: 4000, out: 800},
		{name: "hourly-sync", class: ClassScheduled, source: "cron", waiting: -1, mode: pricing.ModeSync, perDay: 240, at: hourlyJob, in: 2000, out: 300},
		{name: "weekly-report", class: ClassScheduled, source: "cron", waiting: 0, mode: pricing.ModeSync, perDay: 60, at: weekly(0, 5), in: 6000, out: 1500},
		{name: "queue-drain", class: ClassScheduled, source: "queue", waiting: 0, mode: pricing.ModeSync, perDay: 200, at: window(22, 0, 23, 0), in: 2500, out: 400},
		{name: "batch-evals", class: ClassScheduled, source: "etl", waiting: 0, mode: pricing.ModeBatch, perDay: 150, at: window(3, 0, 3, 20), in: 1000, out: 1000},
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
func scoreClassification(t *testing.T, agg *Aggregator, truth map[string]string) (float64, []string) {
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
		if truth[w.Workflow] == ClassRealtime && w.Class == ClassScheduled {
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
			agg := NewAggregator(cat, AggregateOptions{})
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

func TestClassifyHints(t *testing.T) {
	type hw struct {
		yes, no      int64
		sources      map[string]int64
		batch        int64
		streamsTTFT  int64
		nightlyBurst bool
		slowBurst    bool // 20 requests a night over 40 minutes
		few          bool // 10 requests in all: too few for a pattern
		slow         bool // every request logs a latency of 45 s
	}
	mk := func(h hw) *aggregate.WorkflowStats {
		w := aggregate.NewWorkflowStats("w")
		w.Requests = 100
		w.UserWaitingYes, w.UserWaitingNo = h.yes, h.no
		for k, v := range h.sources {
			w.Sources[k] = v
		}
		w.Modes["batch"] = h.batch
		w.Modes["sync"] = 100 - h.batch
		w.Streams, w.StreamsTTFT = h.streamsTTFT, h.streamsTTFT
		for range h.streamsTTFT {
			w.TTFT.Observe(400)
		}
		if h.slow {
			for range w.Requests {
				w.Latency.Observe(45000)
			}
		}
		days, per := 5, 20
		if h.few {
			w.Requests, w.Modes["sync"], w.Sources["api"], days, per = 10, 10, 10, 1, 10
		}
		for d := range days {
			for i := range per {
				at := synthStart.AddDate(0, 0, d).Add(time.Duration(i) * 30 * time.Second)
				switch {
				case h.nightlyBurst:
					at = at.Add(2 * time.Hour)
				case h.slowBurst:
					at = at.Add(2*time.Hour + time.Duration(i)*90*time.Second)
				default:
					at = at.Add(time.Duration(i) * 37 * time.Minute)
				}
				w.Arrival.Observe(at)
			}
		}
		return w
	}
	span := Window{StartMS: synthStart.UnixMilli(), EndMS: synthStart.AddDate(0, 0, 5).UnixMilli() - 1}
	for _, tc := range []struct {
		name        string
		h           hw
		class, conf string
		evidence0   string
		batched     bool
	}{
		{"user waiting", hw{yes: 100}, ClassRealtime, ConfidenceHigh, "user_waiting=true on 100% of 100 requests", false},
		{"interactive source", hw{sources: map[string]int64{"ide": 95, "api": 5}}, ClassRealtime, ConfidenceHigh, "source ide on 95% of 100 requests (interactive caller)", false},
		{"waiting beats cron", hw{yes: 100, sources: map[string]int64{"cron": 100}, nightlyBurst: true}, ClassRealtime, ConfidenceMedium, "user_waiting=true on 100% of 100 requests", false},
		{"some waiting", hw{yes: 10, no: 90, sources: map[string]int64{"cron": 100}}, ClassRealtime, ConfidenceMedium, "mixed workflow: user_waiting=true on 10% of 100 requests, but user_waiting=false on 90% of 100 requests: nobody waits; source cron on 100% of 100 requests (scheduled job): kept realtime", false},
		{"streaming with ttft", hw{streamsTTFT: 80}, ClassRealtime, ConfidenceMedium, "streamed with time to first token measured on 80% of 100 requests (median under 500 ms): someone watches the tokens arrive", false},
		{"already batched", hw{no: 100, batch: 100}, ClassScheduled, ConfidenceHigh, "already batched: mode batch on 100% of 100 requests", true},
		{"cron", hw{sources: map[string]int64{"cron": 100}}, ClassScheduled, ConfidenceMedium, "source cron on 100% of 100 requests (scheduled job)", false},
		{"mostly etl", hw{sources: map[string]int64{"etl": 60, "api": 40}}, ClassScheduled, ConfidenceLow, "source etl on 60% of 100 requests (scheduled job)", false},
		{"webhook", hw{sources: map[string]int64{"webhook": 100}}, ClassNearRealtime, ConfidenceHigh, "source webhook on 100% of 100 requests (event-driven caller)", false},
		{"nobody waits", hw{no: 100}, ClassNearRealtime, ConfidenceMedium, "user_waiting=false on 100% of 100 requests: nobody waits", false},
		{"queue drained nightly", hw{sources: map[string]int64{"queue": 100}, nightlyBurst: true}, ClassScheduled, ConfidenceMedium,
			"100 of 100 requests are in 5 runs that start daily at 02:00:00 UTC (5 of the 5 days the data window holds that time), all at full speed from the first minute and keeping their pace, lasting 10 min (median)", false},
		{"slow nightly queue", hw{sources: map[string]int64{"queue": 100}, slowBurst: true}, ClassScheduled, ConfidenceMedium,
			"100 of 100 requests are in 5 runs that start daily at 02:00:00 UTC (5 of the 5 days the data window holds that time), all at full speed from the first minute and keeping their pace, lasting 39 min (median)", false},
		{"slow nightly, no hints", hw{slowBurst: true}, ClassScheduled, ConfidenceMedium, "100 of 100 requests are in 5 runs that start daily at 02:00:00 UTC", false},
		{"people by day, no hints", hw{}, ClassRealtime, ConfidenceMedium, "99 of 100 requests are in no machine run; 81% of them 01:00–11:00 UTC: people could keep hours like these", false},
		{"slow answers for people", hw{sources: map[string]int64{"ide": 100}, slow: true}, ClassRealtime, ConfidenceMedium, "source ide on 100% of 100 requests (interactive caller)", false},
		{"nothing", hw{sources: map[string]int64{"api": 100}, few: true}, ClassRealtime, ConfidenceLow, Unclassified, false},
	} {
		c := ClassifyWorkflow(mk(tc.h), nil, time.UTC, span)
		if tc.h.slow && c.Evidence[len(c.Evidence)-1] != "but latency_ms of 30 s or more on 100% of the 100 requests that logged one: long for a person at a keyboard" {
			t.Errorf("%s: last evidence %q", tc.name, c.Evidence[len(c.Evidence)-1])
		}
		if c.Class != tc.class || c.Confidence != tc.conf || !strings.HasPrefix(c.Evidence[0], tc.evidence0) || c.AlreadyBatched != tc.batched {
			t.Errorf("%s: got %s %s %q batched=%v, want %s %s %q", tc.name, c.Class, c.Confidence, c.Evidence, c.AlreadyBatched, tc.class, tc.conf, tc.evidence0)
		}
	}
}

func TestFormatHelpers(t *testing.T) {
	for _, tc := range []struct {
		k, n int64
		want string
	}{{0, 10, "0%"}, {1, 1000, "<1%"}, {999, 1000, "99%"}, {1000, 1000, "100%"}, {945, 1000, "95%"}, {944, 1000, "94%"}} {
		if got := pct(tc.k, tc.n); got != tc.want {
			t.Errorf("pct(%d, %d) = %s, want %s", tc.k, tc.n, got, tc.want)
		}
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 17500: "17,500", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := fmtCount(n); got != want {
			t.Errorf("fmtCount(%d) = %s", n, got)
		}
	}
}

// TestRequestCount: evidence counts are singular for one request.
func TestRequestCount(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "0 requests"}, {1, "1 request"}, {2, "2 requests"}, {1234, "1,234 requests"}} {
		if got := requestCount(tc.n); got != tc.want {
			t.Errorf("requestCount(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
