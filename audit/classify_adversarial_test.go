package audit_test

import (
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/internal/loggen"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// ofRequests matches the "N of M requests" counts of evidence strings.
var ofRequests = regexp.MustCompile(`([0-9,]+) of ([0-9,]+) requests`)

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestClassifyAdversarial is the acceptance test of classification on
// workloads written to defeat it (loggen.Adversarial): every workflow's
// class against its ground truth, no realtime or mixed workflow with a
// batch saving, at least 90% of cost classed right, and evidence counts
// that add up to the workflow's requests.
func TestClassifyAdversarial(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	var right, total decimal.Decimal
	var wfRight, wfTotal int
	for _, seed := range []uint64{1, 2, 3} {
		for _, sc := range loggen.Adversarial(seed) {
			agg := aggregate.New(cat, aggregate.Options{TZ: sc.TZ})
			for i := range sc.Records {
				agg.Consume(&sc.Records[i])
			}
			rep, err := audit.BuildReport(agg, audit.Stats{}, cat, audit.BuildOptions{BatchClasses: []string{classify.NearRealtime}})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range rep.Workflows {
				truth, ok := sc.Truth[w.Workflow]
				if !ok {
					t.Fatalf("%s: workflow %s has no ground truth", sc.Name, w.Workflow)
				}
				total = total.Add(w.CostUSD)
				wfTotal++
				if w.Class == truth.Class {
					right = right.Add(w.CostUSD)
					wfRight++
				} else {
					t.Errorf("seed %d %s: %s is %s (%s), truth %s (%s)\n\t%s", seed, sc.Name, w.Workflow, w.Class, w.Confidence, truth.Class, truth.Trap, strings.Join(w.Evidence, "\n\t"))
				}
				if (truth.Class == classify.Realtime || truth.Mixed) && w.WhatIf.SavingsUSD.IsPositive() {
					t.Errorf("seed %d %s: %s (truth %s, mixed %v) gets a batch saving of $%s", seed, sc.Name, w.Workflow, truth.Class, truth.Mixed, w.WhatIf.SavingsUSD)
				}
				// --batch-classes near-realtime keeps the scheduled work.
				if w.Class == classify.Scheduled && !w.WhatIf.SavingsUSD.IsPositive() {
					t.Errorf("seed %d %s: scheduled %s gets no batch saving under batch classes near-realtime: %+v", seed, sc.Name, w.Workflow, w.WhatIf)
				}
				if truth.Evidence != "" && !strings.Contains(strings.Join(w.Evidence, "\n"), truth.Evidence) {
					t.Errorf("seed %d %s: %s evidence lacks %q:\n\t%s", seed, sc.Name, w.Workflow, truth.Evidence, strings.Join(w.Evidence, "\n\t"))
				}
				if len(w.Parts) == 2 && w.Parts[0].CostUSD != nil {
					if sum := w.Parts[0].CostUSD.Add(*w.Parts[1].CostUSD); !sum.Equal(w.CostUSD) {
						t.Errorf("seed %d %s: %s parts cost %s, workflow %s", seed, sc.Name, w.Workflow, sum, w.CostUSD)
					}
					if w.Parts[0].SavingsUSD == nil || !w.Parts[0].SavingsUSD.IsPositive() {
						t.Errorf("seed %d %s: %s job part has no batch saving: %+v", seed, sc.Name, w.Workflow, w.Parts[0])
					}
				}
				if truth.Mixed && !strings.Contains(strings.Join(w.Evidence, " "), "mixed workflow") {
					t.Errorf("seed %d %s: mixed %s not called mixed: %v", seed, sc.Name, w.Workflow, w.Evidence)
				}
				for _, e := range w.Evidence {
					for _, m := range ofRequests.FindAllStringSubmatch(e, -1) {
						if k, n := atoi(t, m[1]), atoi(t, m[2]); n != w.Requests || k > n {
							t.Errorf("seed %d %s: %s shows %d requests, evidence says %q", seed, sc.Name, w.Workflow, w.Requests, e)
						}
					}
				}
				if testing.Verbose() {
					for _, p := range w.Parts {
						t.Logf("%s %s part %s: %s, %d requests, cost %v batch %v saving %v: %s", sc.Name, w.Workflow, p.Name, p.Class, p.Requests, p.CostUSD, p.BatchCostUSD, p.SavingsUSD, p.Note)
					}
					t.Logf("%s %s: %s (%s) $%s saving $%s\n\t%s", sc.Name, w.Workflow, w.Class, w.Confidence, w.CostUSD.StringFixed(2), w.WhatIf.SavingsUSD.StringFixed(2), strings.Join(w.Evidence, "\n\t"))
				}
			}
		}
	}
	share, _ := right.Div(total).Float64()
	t.Logf("adversarial set, 3 seeds: %d of %d workflows and %.1f%% of $%s classed right", wfRight, wfTotal, 100*share, total.StringFixed(2))
	if share < 0.9 {
		t.Errorf("%.1f%% of cost classed right, want ≥ 90%%", 100*share)
	}
}

// TestClassifyEvidenceInTZ checks that the times and weekday names of the
// evidence are those of --tz: the same Tokyo workload read in UTC and in
// Asia/Tokyo.
func TestClassifyEvidenceInTZ(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	var sc loggen.AdversarialScenario
	for _, s := range loggen.Adversarial(1) {
		if s.Name == "tokyo-14d" {
			sc = s
		}
	}
	tokyo := sc.TZ
	for _, tc := range []struct {
		tz   *time.Location
		want map[string]string
	}{
		{time.UTC, map[string]string{
			"weekly-report-sunday": "start weekly on Sundays at 23:30:0",
			"nightly-etl-jst":      "start daily at 17:00:0",
			"tokyo-briefing":       "of them 23:00–01:00 UTC",
		}},
		{tokyo, map[string]string{
			"weekly-report-sunday": "start weekly on Mondays at 08:30:0",
			"nightly-etl-jst":      "start daily at 02:00:0",
			"tokyo-briefing":       "of them 08:00–10:00 Asia/Tokyo, 0% on Saturdays and Sundays",
		}},
	} {
		agg := aggregate.New(cat, aggregate.Options{TZ: tc.tz})
		for i := range sc.Records {
			agg.Consume(&sc.Records[i])
		}
		for _, c := range classify.Workflows(agg.Workflows(), nil, agg.Options().TZ) {
			want, ok := tc.want[c.Workflow]
			if ok && !strings.Contains(strings.Join(c.Evidence, "\n"), want) {
				t.Errorf("--tz %s: %s evidence lacks %q:\n%s", tc.tz, c.Workflow, want, strings.Join(c.Evidence, "\n"))
			}
		}
	}
}

// TestCrowdNeverBatched is the hard rule: arrival evidence a crowd of
// people could produce (any size, arriving around the same minute every
// weekday or every day, or rushing in when something opens at 09:00:00)
// never makes a workflow scheduled. A rush whose spread is under a minute
// is left out: it is done within a few minutes and looks like a short job
// (a limit the README states). A "bell" is a class at a school bell: every
// student opens the app within two minutes of 09:00:00 on weekdays, then
// asks at human pace for 40 minutes.
func TestCrowdNeverBatched(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 10, 5, 11, 23, 0, 0, time.UTC)
	for _, people := range []int{5, 12, 40, 200, 1000} {
		for _, sd := range []time.Duration{20 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute} {
			for _, days := range []int{1, 7, 14, 45} {
				for _, shape := range []string{"every day", "weekdays", "rush", "bell"} {
					weekdays := shape == "weekdays" || shape == "bell"
					if (shape == "rush" && sd < time.Minute) || (shape == "bell" && (sd != 20*time.Second || people < 12)) {
						continue
					}
					rng := rand.New(rand.NewPCG(uint64(people), uint64(sd)))
					agg := aggregate.New(cat, aggregate.Options{})
					for d := 0; d < days+1; d++ {
						day := start.AddDate(0, 0, d).Truncate(24 * time.Hour)
						if wd := day.Weekday(); weekdays && (wd == time.Saturday || wd == time.Sunday) {
							continue
						}
						for p := 0; p < people; p++ {
							at := day.Add(9*time.Hour + time.Duration(rng.NormFloat64()*float64(sd)))
							if shape == "rush" {
								at = day.Add(9*time.Hour + time.Duration(math.Abs(rng.NormFloat64())*float64(sd)))
							}
							asks := rng.IntN(3)
							if shape == "bell" {
								at = day.Add(9*time.Hour + time.Duration(rng.Float64()*float64(2*time.Minute)))
								asks = 1 + rng.IntN(3)
							}
							for k := 0; k <= asks; k++ {
								if at.After(start) && at.Before(start.AddDate(0, 0, days)) {
									r := audit.Record{TS: at, Provider: "openai", Model: "gpt-4o-mini", Workflow: "crowd", UserWaiting: -1, LatencyMS: -1, TTFTMS: -1,
										InputTokens: 1000, OutputTokens: 200, Status: audit.StatusOK}
									agg.Consume(&r)
								}
								at = at.Add(time.Duration(rng.ExpFloat64() * float64(2*time.Minute)))
								if shape == "bell" {
									// Questions spread evenly over the lesson.
									at = day.Add(9*time.Hour + 2*time.Minute + time.Duration(rng.Float64()*float64(38*time.Minute)))
								}
							}
						}
					}
					for _, c := range classify.Workflows(agg.Workflows(), nil, agg.Options().TZ) {
						if c.Class == classify.Scheduled {
							t.Errorf("%d people, sd %s, %d days, %s: called scheduled: %s", people, sd, days, shape, strings.Join(c.Evidence, "\n"))
						}
					}
				}
			}
		}
	}
}

// TestClassifySubHourly: a job every 15 minutes leaves silences of under
// 15 minutes (the gap that ends a run), so at that gap the whole window is
// one run already under way; read at a finer gap, its runs start within
// seconds of the same minute of every quarter hour.
func TestClassifySubHourly(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 15))
	agg := aggregate.New(cat, aggregate.Options{})
	start := time.Date(2026, 10, 5, 13, 37, 0, 0, time.UTC)
	for q := 0; q < 7*96; q++ {
		at := start.Truncate(15 * time.Minute).Add(time.Duration(q+1)*15*time.Minute + 2*time.Second + time.Duration(rng.Float64()*float64(2*time.Second)))
		for k := 0; k < 6; k++ {
			r := audit.Record{TS: at, Provider: "openai", Model: "gpt-4o-mini", Workflow: "metrics", UserWaiting: -1, LatencyMS: -1, TTFTMS: -1,
				InputTokens: 1000, OutputTokens: 200, Status: audit.StatusOK}
			agg.Consume(&r)
			at = at.Add(time.Duration(600+rng.IntN(800)) * time.Millisecond)
		}
	}
	c := classify.Workflows(agg.Workflows(), nil, agg.Options().TZ)[0]
	want := "4,032 of 4,032 requests are in 672 runs that start every 15 minutes, at :00:02–:00:03, :15:02–:15:03, :30:02–:30:03 and :45:02–:45:03 past each hour (672 of the 672 15-minute slots"
	if c.Class != classify.Scheduled || c.Confidence != classify.ConfidenceHigh || !strings.HasPrefix(c.Evidence[0], want) {
		t.Errorf("got %s (%s):\n\t%s\nwant scheduled (high), evidence starting %q", c.Class, c.Confidence, strings.Join(c.Evidence, "\n\t"), want)
	}
}

// TestClassifySplayedCron: a cron at 15:00 UTC with a random 0–10 minute
// start delay, 300 requests a run by three workers each sending the next request 5–35 ms after
// the previous reply, read in Australia/Sydney across the clock change of
// 4 October 2026, is scheduled by the pace inside its runs; people
// arriving independently at the same rate in the same ten minutes (a
// Poisson count) are not, whatever their number.
func TestClassifySplayedCron(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	syd, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		t.Fatal(err)
	}
	rec := func(at time.Time) audit.Record {
		return audit.Record{TS: at, Provider: "openai", Model: "gpt-4o-mini", Workflow: "sync", UserWaiting: -1, LatencyMS: -1, TTFTMS: -1,
			InputTokens: 1000, OutputTokens: 200, Status: audit.StatusOK}
	}
	for _, tc := range []struct {
		name, class, evidence string
		people                bool
	}{
		{"cron", classify.Scheduled, "2,100 of 2,100 requests are in 7 runs that start daily within 7 min of one instant (at 01:01:00–01:07:04 Australia/Sydney until Sun 4 Oct, at 02:01:27–02:08:23 from Mon 5 Oct", false},
		{"people", classify.Realtime, "", true},
	} {
		rng := rand.New(rand.NewPCG(11, 600))
		agg := aggregate.New(cat, aggregate.Options{TZ: syd})
		for d := 1; d <= 7; d++ {
			t0 := time.Date(2026, 10, d, 15, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(540_000)) * time.Millisecond)
			if d == 1 {
				t0 = time.Date(2026, 10, 1, 15, 1, 0, 0, time.UTC) // the earliest start, for an exact evidence line
			}
			if tc.people {
				// 300 people in 4 minutes, arriving independently.
				for i := 0; i < 300; i++ {
					r := rec(t0.Add(time.Duration(rng.Float64() * float64(250*time.Second))))
					agg.Consume(&r)
				}
				continue
			}
			next := []time.Time{t0, t0.Add(7 * time.Millisecond), t0.Add(14 * time.Millisecond)}
			for i := 0; i < 300; i++ {
				k := i % 3
				r := rec(next[k])
				agg.Consume(&r)
				next[k] = next[k].Add(time.Duration(1500+rng.IntN(2000)+5+rng.IntN(30)) * time.Millisecond)
			}
		}
		c := classify.Workflows(agg.Workflows(), nil, agg.Options().TZ)[0]
		if c.Class != tc.class || !strings.HasPrefix(strings.Join(c.Evidence, "\n"), tc.evidence) {
			t.Errorf("%s: got %s (%s):\n\t%s\nwant %s, evidence starting %q", tc.name, c.Class, c.Confidence, strings.Join(c.Evidence, "\n\t"), tc.class, tc.evidence)
		}
		if tc.people {
			continue
		}
		if ev := c.Evidence[0]; !strings.Contains(ev, "Australia/Sydney until Sun 4 Oct, at 02:") || !strings.Contains(ev, "a machine's pace, which a crowd does not keep") || c.Confidence != classify.ConfidenceMedium {
			t.Errorf("cron: %s evidence lacks the clock change or the pace: %s", c.Confidence, ev)
		}
	}
}

// TestClassifyShortPacedRun: one 38-minute run of six workers at a
// machine's pace (the one monthly run a 30-day window holds) is paced by
// a machine; people arriving independently at the same rate for as long
// are not.
func TestClassifyShortPacedRun(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 7, 1, 7, 0, 0, 200_000_000, time.UTC)
	for _, tc := range []struct {
		name, class, evidence string
	}{
		{"job", classify.Scheduled, "1,500 of 1,500 requests arrive in one run of 39 min from Wed 1 Jul 07:00 UTC at a steady 38 requests per minute (the variance of the per-minute counts is 0.05× their mean"},
		{"people", classify.Realtime, ""},
	} {
		rng := rand.New(rand.NewPCG(6, 38))
		agg := aggregate.New(cat, aggregate.Options{})
		// A day of the same workflow's silence either side, so the run is
		// not cut by the data window.
		for _, at := range []time.Time{t0.Add(-24 * time.Hour), t0.Add(24 * time.Hour)} {
			r := audit.Record{TS: at, Provider: "openai", Model: "gpt-4o-mini", Workflow: "other", UserWaiting: -1, LatencyMS: -1, TTFTMS: -1, InputTokens: 10, OutputTokens: 1, Status: audit.StatusOK}
			agg.Consume(&r)
		}
		next := make([]time.Time, 6)
		for k := range next {
			next[k] = t0.Add(time.Duration(7*k) * time.Millisecond)
		}
		for i := 0; i < 1500; i++ {
			at := next[i%6]
			next[i%6] = at.Add(time.Duration(6000+rng.IntN(6000)+5+rng.IntN(30)) * time.Millisecond)
			if tc.name == "people" {
				at = t0.Add(time.Duration(rng.Float64() * float64(38*time.Minute)))
			}
			r := audit.Record{TS: at, Provider: "openai", Model: "gpt-4o-mini", Workflow: "run", UserWaiting: -1, LatencyMS: -1, TTFTMS: -1, InputTokens: 1000, OutputTokens: 200, Status: audit.StatusOK}
			agg.Consume(&r)
		}
		for _, c := range classify.Workflows(agg.Workflows(), nil, agg.Options().TZ) {
			if c.Workflow != "run" {
				continue
			}
			if c.Class != tc.class || !strings.HasPrefix(strings.Join(c.Evidence, "\n"), tc.evidence) {
				t.Errorf("%s: got %s (%s):\n\t%s\nwant %s, evidence starting %q", tc.name, c.Class, c.Confidence, strings.Join(c.Evidence, "\n\t"), tc.class, tc.evidence)
			}
		}
	}
}
