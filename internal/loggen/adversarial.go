package loggen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/pricing"
)

// AdversarialTruth is the true latency class of one workflow of an
// adversarial scenario. Mixed marks a workflow that holds a second
// population (people beside a job): it must never be moved to batch.
type AdversarialTruth struct {
	Class string
	Mixed bool
	// Trap says what the workflow is built to get wrong.
	Trap string
	// Evidence is a phrase the workflow's evidence must hold when read in
	// the scenario's zone (the schedule it truly runs on), "" for none.
	Evidence string
}

// AdversarialScenario is one workload of the adversarial set: records
// written independently of the classifier's thresholds, the time zone to
// analyze them in, and the ground truth per workflow.
type AdversarialScenario struct {
	Name       string
	TZ         *time.Location
	Start, End time.Time
	Truth      map[string]AdversarialTruth
	Records    []audit.Record
}

// Adversarial returns the adversarial scenarios drawn with seed. The
// traps: crowds of people that arrive at the same time every weekday
// (a Tokyo office briefing 08:40–10:10 JST, a 07:00 London shift start, a
// 09:00 JST standup helper, meeting prep at the top of each hour), chat
// across time zones with no hints, a workflow that is 90% nightly job and
// 10% people by day, cron jobs that stream and log TTFT, weekly jobs whose
// run starts mid-day or crosses UTC midnight, nightly jobs longer than two
// hours, hourly jobs that straddle a 10-minute bin edge, a one-off 3-hour
// backfill in business hours, conflicting hints; windows of 1, 7, 14 and
// 45 days that start mid-day.
func Adversarial(seed uint64) []AdversarialScenario {
	mk := func(name, tz string, start string, days float64) *advGen {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			panic(err)
		}
		st, err := time.Parse(time.RFC3339, start)
		if err != nil {
			panic(err)
		}
		g := &advGen{rng: rand.New(rand.NewPCG(seed, uint64(len(name))*7919+uint64(name[0]))), sc: AdversarialScenario{
			Name: name, TZ: loc, Start: st, End: st.Add(time.Duration(days * 24 * float64(time.Hour))),
			Truth: map[string]AdversarialTruth{},
		}}
		return g
	}
	var out []AdversarialScenario

	// Tokyo, 14 days from a Monday 05:17 UTC (14:17 JST).
	g := mk("tokyo-14d", "Asia/Tokyo", "2026-11-02T05:17:00Z", 14)
	tokyo := g.sc.TZ
	g.truth("tokyo-briefing", classify.Realtime, false, "150 people open a briefing 08:40–10:10 JST on weekdays: dense, same hours, off-hours in UTC", "of them 08:00–10:00 Asia/Tokyo, 0% on Saturdays and Sundays")
	g.crowd(crowdSpec{wf: "tokyo-briefing", model: "claude-sonnet-4-5", loc: tokyo, weekdays: true, center: "09:10", sd: 20 * time.Minute,
		lo: "08:40", hi: "10:10", users: 150, follow: 2, followMean: 4 * time.Minute, in: 2500, out: 400})
	g.truth("standup-helper", classify.Realtime, false, "30 people at a 09:00 JST standup: a sharp crowd, weekdays only", "of them 08:00–10:00 Asia/Tokyo, 0% on Saturdays and Sundays")
	g.crowd(crowdSpec{wf: "standup-helper", model: "gpt-4o", loc: tokyo, weekdays: true, center: "09:00", sd: 60 * time.Second,
		lo: "08:50", hi: "09:15", users: 30, follow: 1, followMean: 2 * time.Minute, in: 1800, out: 300})
	g.truth("nightly-etl-jst", classify.Scheduled, false, "a 02:00 JST cron that runs 2.5 hours (longer than any 2-hour window)", "start daily at 02:00:0")
	g.daily(jobSpec{wf: "nightly-etl-jst", model: "gpt-4.1", loc: tokyo, at: "02:00:00", dur: 150 * time.Minute, workers: 3, latency: 12 * time.Second, in: 3000, out: 500})
	g.truth("weekly-report-sunday", classify.Scheduled, false, "a weekly job Sundays 23:30 UTC (Monday 08:30 JST) that crosses UTC midnight, 2 runs in the window", "start weekly on Mondays at 08:30:0")
	g.weekly(jobSpec{wf: "weekly-report-sunday", model: "gpt-4.1", loc: time.UTC, at: "23:30:00", weekday: time.Sunday, dur: 90 * time.Minute, workers: 4, latency: 10 * time.Second, in: 6000, out: 900})
	g.truth("ops-assistant", classify.Realtime, true, "people by day in Tokyo (about three quarters of requests) beside a 5-minute 03:00 JST job", "mixed workflow")
	g.daily(jobSpec{wf: "ops-assistant", model: "claude-sonnet-4-5", loc: tokyo, at: "03:00:00", dur: 5 * time.Minute, workers: 2, latency: 6 * time.Second, in: 2000, out: 300})
	g.crowd(crowdSpec{wf: "ops-assistant", model: "claude-sonnet-4-5", loc: tokyo, weekdays: true, center: "14:00", sd: 150 * time.Minute, lo: "09:00", hi: "19:00",
		users: 300, follow: 1, followMean: 10 * time.Minute, in: 2000, out: 300})
	out = append(out, g.done())

	// London, 7 days from a Wednesday 13:40 UTC.
	g = mk("london-7d", "Europe/London", "2026-11-04T13:40:00Z", 7)
	london := g.sc.TZ
	g.truth("warehouse-shift", classify.Realtime, false, "80 staff at a 07:00 London shift start, then through the shift", "")
	g.crowd(crowdSpec{wf: "warehouse-shift", model: "gpt-4o-mini", loc: london, weekdays: true, center: "07:03", sd: 4 * time.Minute,
		lo: "06:45", hi: "07:40", users: 80, follow: 3, followMean: 25 * time.Minute, in: 1200, out: 250})
	g.truth("hourly-sync", classify.Scheduled, false, "an hourly cron at :09:40, every run straddles the :10 bin edge", "start every hour at :09:4")
	g.hourly(jobSpec{wf: "hourly-sync", model: "gpt-4o-mini", at: "09:40", n: 24, workers: 2, latency: 6 * time.Second, in: 4000, out: 600})
	g.truth("meeting-prep", classify.Realtime, false, "people prepare for meetings at the top of each hour, 09–17 London weekdays", "")
	g.topOfHour("meeting-prep", "claude-haiku-4-5", london, 6)
	g.truth("backfill-once", classify.Scheduled, false, "a one-off 3-hour backfill on a Friday afternoon, in business hours", "in one run of 3 h")
	g.run(jobSpec{wf: "backfill-once", model: "gpt-4o-mini", workers: 8, latency: 9 * time.Second, dur: 3 * time.Hour, in: 5000, out: 700},
		time.Date(2026, 11, 6, 13, 17, 0, 0, time.UTC))
	out = append(out, g.done())

	// 45 days in UTC from a Sunday 16:45.
	g = mk("mixed-45d", "UTC", "2026-09-20T16:45:00Z", 45)
	g.truth("support-digest", classify.Realtime, true, "90% a 01:30 nightly job, 10% people by day, with no hint", "start daily at 01:30:0")
	g.daily(jobSpec{wf: "support-digest", model: "claude-sonnet-4-5", loc: time.UTC, at: "01:30:00", dur: 40 * time.Minute, workers: 2, latency: 8 * time.Second, in: 3000, out: 500})
	nJob := g.count("support-digest")
	g.crowd(crowdSpec{wf: "support-digest", model: "claude-sonnet-4-5", loc: time.UTC, weekdays: true, center: "13:00", sd: 150 * time.Minute,
		lo: "08:00", hi: "18:00", users: int(nJob / 9 / 32), follow: 0, in: 3000, out: 500})
	g.truth("nightly-stream-ttft", classify.Scheduled, false, "a 02:00 UTC cron that streams and logs ttft_ms", "start daily at 02:00:0")
	g.daily(jobSpec{wf: "nightly-stream-ttft", model: "gpt-4.1", loc: time.UTC, at: "02:00:00", dur: 40 * time.Minute, workers: 3, latency: 7 * time.Second, in: 2500, out: 800, stream: true})
	g.truth("chat-nohints", classify.Realtime, false, "chat from New York, Berlin and Kolkata, no hints", "")
	for _, z := range []string{"America/New_York", "Europe/Berlin", "Asia/Kolkata"} {
		loc, _ := time.LoadLocation(z)
		g.crowd(crowdSpec{wf: "chat-nohints", model: "gpt-4o", loc: loc, center: "13:00", sd: 3 * time.Hour, lo: "07:00", hi: "23:00",
			users: 40, weekendShare: 0.4, follow: 4, followMean: 3 * time.Minute, in: 1500, out: 350, stream: true})
	}
	g.truth("weekly-wednesday", classify.Scheduled, false, "a weekly job at 12:00 UTC on Wednesdays, mid-day", "start weekly on Wednesdays at 12:00:0")
	g.weekly(jobSpec{wf: "weekly-wednesday", model: "gemini-2.5-flash", loc: time.UTC, at: "12:00:00", weekday: time.Wednesday, dur: 30 * time.Minute, workers: 4, latency: 5 * time.Second, in: 8000, out: 1200})
	g.truth("london-local-cron", classify.Scheduled, false, "a 02:30 Europe/London cron read in UTC across the clock change of 25 October: its UTC start moves by an hour", "a schedule kept in a zone whose clocks changed")
	g.daily(jobSpec{wf: "london-local-cron", model: "gpt-4o-mini", loc: mustZone("Europe/London"), at: "02:30:00", dur: 25 * time.Minute, workers: 2, latency: 5 * time.Second, in: 3000, out: 400})
	g.truth("webhook-triage", classify.NearRealtime, false, "webhook events around the clock, source webhook, nobody waits", "source webhook on 100%")
	g.poisson(poissonSpec{wf: "webhook-triage", model: "gpt-4o-mini", perHour: 30, source: "webhook", waiting: 2, in: 1500, out: 200})
	g.truth("queue-nightly", classify.Scheduled, false, "a queue drained by a nightly job at 03:00, source queue, user_waiting false", "start daily at 03:00:0")
	g.daily(jobSpec{wf: "queue-nightly", model: "gpt-4o-mini", loc: time.UTC, at: "03:00:00", dur: 25 * time.Minute, workers: 2, latency: 4 * time.Second, in: 2000, out: 300, source: "queue", waiting: 2})
	g.truth("cron-with-people", classify.Realtime, true, "source cron on most requests, but user_waiting true by day", "start daily at 04:00:0")
	g.daily(jobSpec{wf: "cron-with-people", model: "gpt-4o", loc: time.UTC, at: "04:00:00", dur: 20 * time.Minute, workers: 2, latency: 6 * time.Second, in: 2000, out: 300, source: "cron"})
	g.crowd(crowdSpec{wf: "cron-with-people", model: "gpt-4o", loc: time.UTC, weekdays: true, center: "14:00", sd: 2 * time.Hour, lo: "09:00", hi: "18:00",
		users: 8, follow: 1, followMean: 5 * time.Minute, in: 2000, out: 300, source: "web_ui", waiting: 1})
	out = append(out, g.done())

	// One day in New York from 15:00 UTC.
	g = mk("newyork-1d", "America/New_York", "2026-11-10T15:00:00Z", 1)
	ny := g.sc.TZ
	g.truth("hourly-eval", classify.Scheduled, false, "an hourly job at :00:05, 24 runs in one day", "start every hour at :00:0")
	g.hourly(jobSpec{wf: "hourly-eval", model: "o4-mini", at: "00:05", n: 30, workers: 3, latency: 5 * time.Second, in: 3000, out: 1500})
	g.truth("nightly-ny", classify.Scheduled, false, "one run of a 2-hour job at 03:00 New York: the window holds a single run", "from Wed 11 Nov 03:00 EST")
	g.daily(jobSpec{wf: "nightly-ny", model: "gpt-4.1", loc: ny, at: "03:00:00", dur: 2 * time.Hour, workers: 4, latency: 10 * time.Second, in: 3000, out: 600})
	g.truth("ide-helper", classify.Realtime, false, "an IDE assistant with source ide", "source ide on 100%")
	g.crowd(crowdSpec{wf: "ide-helper", model: "claude-sonnet-4-5", loc: ny, center: "13:00", sd: 2 * time.Hour, lo: "08:00", hi: "19:00",
		users: 40, follow: 10, followMean: 6 * time.Minute, in: 6000, out: 500, source: "ide"})
	g.truth("support-chat", classify.Realtime, false, "support chat by day in New York, no hints", "")
	g.crowd(crowdSpec{wf: "support-chat", model: "gpt-4o", loc: ny, center: "12:30", sd: 150 * time.Minute, lo: "08:00", hi: "20:00",
		users: 300, follow: 3, followMean: 2 * time.Minute, in: 1500, out: 300})
	out = append(out, g.done())
	return out
}

type advGen struct {
	rng *rand.Rand
	sc  AdversarialScenario
}

func (g *advGen) truth(wf, class string, mixed bool, trap, evidence string) {
	g.sc.Truth[wf] = AdversarialTruth{Class: class, Mixed: mixed, Trap: trap, Evidence: evidence}
}

func (g *advGen) count(wf string) int64 {
	var n int64
	for i := range g.sc.Records {
		if g.sc.Records[i].Workflow == wf {
			n++
		}
	}
	return n
}

// done returns the scenario with its records sorted by time (then by
// workflow), only those inside the window.
func (g *advGen) done() AdversarialScenario {
	recs := g.sc.Records[:0]
	for _, r := range g.sc.Records {
		if !r.TS.Before(g.sc.Start) && r.TS.Before(g.sc.End) {
			recs = append(recs, r)
		}
	}
	sort.SliceStable(recs, func(i, j int) bool {
		if !recs[i].TS.Equal(recs[j].TS) {
			return recs[i].TS.Before(recs[j].TS)
		}
		return recs[i].Workflow < recs[j].Workflow
	})
	for i := range recs {
		recs[i].RequestID = fmt.Sprintf("%s-%06d", g.sc.Name, i)
	}
	g.sc.Records = recs
	return g.sc
}

func (g *advGen) add(wf, model string, at time.Time, in, out int64, stream bool, source string, waiting int8, latency time.Duration) {
	provider := providerOf(model)
	r := audit.Record{
		TS: at.UTC(), Provider: provider, Model: model, Workflow: wf, Mode: pricing.ModeSync, Source: source,
		UserWaiting: waiting, InputTokens: in + int64(g.rng.IntN(int(in/5+1))), OutputTokens: out + int64(g.rng.IntN(int(out/5+1))),
		LatencyMS: latency.Milliseconds(), TTFTMS: -1, Status: audit.StatusOK,
	}
	if latency <= 0 {
		r.LatencyMS = -1
	}
	if stream {
		r.Mode = pricing.ModeStream
		r.TTFTMS = 300 + int64(g.rng.IntN(600))
	}
	g.sc.Records = append(g.sc.Records, r)
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// waitingOf maps a spec's waiting (0 not logged, 1 true, 2 false) to
// Record.UserWaiting.
func waitingOf(w int8) int8 {
	switch w {
	case 1:
		return 1
	case 2:
		return 0
	}
	return -1
}

func providerOf(model string) string {
	switch {
	case len(model) >= 6 && model[:6] == "claude":
		return "anthropic"
	case len(model) >= 6 && model[:6] == "gemini":
		return "google"
	}
	return "openai"
}

// days calls fn with the local midnight of every day that overlaps the
// window, one day either side included (done trims to the window).
func (g *advGen) days(loc *time.Location, fn func(midnight time.Time)) {
	s := g.sc.Start.In(loc)
	d := time.Date(s.Year(), s.Month(), s.Day()-1, 0, 0, 0, 0, loc)
	for !d.After(g.sc.End.Add(24 * time.Hour)) {
		fn(d)
		d = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
	}
}

func clock(midnight time.Time, hhmmss string) time.Time {
	var h, m, s int
	if _, err := fmt.Sscanf(hhmmss, "%d:%d:%d", &h, &m, &s); err != nil {
		if _, err := fmt.Sscanf(hhmmss, "%d:%d", &h, &m); err != nil {
			panic(hhmmss)
		}
	}
	return time.Date(midnight.Year(), midnight.Month(), midnight.Day(), h, m, s, 0, midnight.Location())
}

// crowdSpec is people: each user arrives once a day at a normal draw
// around center (clipped to [lo, hi)) and sends follow more requests at
// exponential gaps.
type crowdSpec struct {
	wf, model      string
	loc            *time.Location
	weekdays       bool    // only Monday–Friday in loc
	weekendShare   float64 // users on weekend days, as a share of a weekday's
	center, lo, hi string
	sd             time.Duration
	users, follow  int
	followMean     time.Duration
	in, out        int64
	stream         bool
	source         string
	waiting        int8 // see waitingOf
}

func (g *advGen) crowd(c crowdSpec) {
	waiting := waitingOf(c.waiting)
	g.days(c.loc, func(mid time.Time) {
		users := c.users
		if wd := mid.Weekday(); wd == time.Saturday || wd == time.Sunday {
			if c.weekdays {
				return
			}
			users = int(math.Round(float64(users) * c.weekendShare))
		}
		center, lo, hi := clock(mid, c.center), clock(mid, c.lo), clock(mid, c.hi)
		for u := 0; u < users; u++ {
			t := center.Add(time.Duration(g.rng.NormFloat64() * float64(c.sd)))
			if t.Before(lo) || !t.Before(hi) {
				t = lo.Add(time.Duration(g.rng.Int64N(int64(hi.Sub(lo)))))
			}
			k := c.follow
			if k > 0 {
				k = g.rng.IntN(c.follow + 1)
			}
			for i := 0; i <= k; i++ {
				g.add(c.wf, c.model, t, c.in, c.out, c.stream, c.source, waiting, time.Duration(800+g.rng.IntN(2500))*time.Millisecond)
				t = t.Add(time.Duration(g.rng.ExpFloat64() * float64(c.followMean)))
			}
		}
	})
}

// topOfHour is people preparing for meetings: each hour 09–17 on weekdays,
// perHour people arrive around hh:58 (sd 3 minutes).
func (g *advGen) topOfHour(wf, model string, loc *time.Location, perHour int) {
	g.days(loc, func(mid time.Time) {
		if wd := mid.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return
		}
		for h := 9; h <= 17; h++ {
			c := clock(mid, fmt.Sprintf("%02d:58", h-1))
			for u := 0; u < perHour; u++ {
				t := c.Add(time.Duration(g.rng.NormFloat64() * float64(3*time.Minute)))
				for i := 0; i <= g.rng.IntN(2); i++ {
					g.add(wf, model, t, 2500, 400, false, "", -1, 2*time.Second)
					t = t.Add(time.Duration(30+g.rng.IntN(120)) * time.Second)
				}
			}
		}
	})
}

// jobSpec is a machine: workers send requests back to back, each taking a
// lognormal latency around latency, from the start (a small stagger) until
// dur has passed, or n requests in all when n > 0.
type jobSpec struct {
	wf, model string
	loc       *time.Location
	at        string // HH:MM:SS of the day (HH ignored for hourly: "MM:SS")
	weekday   time.Weekday
	dur       time.Duration
	n         int
	workers   int
	latency   time.Duration
	in, out   int64
	stream    bool
	source    string
	waiting   int8 // see waitingOf
}

func (g *advGen) run(j jobSpec, start time.Time) {
	waiting := waitingOf(j.waiting)
	// The job starts within 3 s of its schedule.
	start = start.Add(time.Duration(g.rng.IntN(3000)) * time.Millisecond)
	sent := 0
	for w := 0; w < j.workers; w++ {
		t := start.Add(time.Duration(g.rng.IntN(1500)) * time.Millisecond)
		for {
			if j.n > 0 && sent >= j.n {
				break
			}
			if j.n == 0 && t.Sub(start) >= j.dur {
				break
			}
			lat := time.Duration(float64(j.latency) * math.Exp(0.45*g.rng.NormFloat64()))
			g.add(j.wf, j.model, t, j.in, j.out, j.stream, j.source, waiting, lat)
			sent++
			t = t.Add(lat + time.Duration(20+g.rng.IntN(200))*time.Millisecond)
		}
	}
}

func (g *advGen) daily(j jobSpec) {
	g.days(j.loc, func(mid time.Time) { g.run(j, clock(mid, j.at)) })
}

func (g *advGen) weekly(j jobSpec) {
	g.days(j.loc, func(mid time.Time) {
		if mid.Weekday() == j.weekday {
			g.run(j, clock(mid, j.at))
		}
	})
}

// hourly runs the job every hour at minute:second j.at ("MM:SS"), sending
// j.n requests per run.
func (g *advGen) hourly(j jobSpec) {
	var m, s int
	if _, err := fmt.Sscanf(j.at, "%d:%d", &m, &s); err != nil {
		panic(j.at)
	}
	st := g.sc.Start.Truncate(time.Hour).Add(-time.Hour)
	for t := st; t.Before(g.sc.End); t = t.Add(time.Hour) {
		jj := j
		per := j.n
		// Split n over the workers: each sends its share back to back.
		for w := 0; w < j.workers; w++ {
			jj.workers, jj.n = 1, per/j.workers
			g.run(jj, t.Add(time.Duration(m)*time.Minute+time.Duration(s)*time.Second))
		}
	}
}

// poissonSpec is event-driven traffic: independent arrivals around the
// clock at perHour.
type poissonSpec struct {
	wf, model string
	perHour   float64
	source    string
	waiting   int8 // see waitingOf
	in, out   int64
}

func (g *advGen) poisson(p poissonSpec) {
	t := g.sc.Start
	for {
		t = t.Add(time.Duration(g.rng.ExpFloat64() * float64(time.Hour) / p.perHour))
		if !t.Before(g.sc.End) {
			return
		}
		g.add(p.wf, p.model, t, p.in, p.out, false, p.source, waitingOf(p.waiting), time.Duration(1000+g.rng.IntN(4000))*time.Millisecond)
	}
}
