// Package blindtest holds a blind evaluation set for the latency classifier:
// workloads written without looking at the classifier, each with a ground
// truth per workflow fixed before the classifier was ever run on them.
//
// Every workload is generated from a fixed seed with math/rand/v2, so the
// same seed gives the same records, byte for byte.
//
// Scoring rules, fixed with the truth before any run:
//   - realtime, near-realtime, scheduled: right when the reported class is the
//     truth's class ("unclassified — assumed realtime" counts as realtime).
//   - mixed: right when the whole workflow stays realtime, or when it is split
//     into parts of which one is realtime and holds at least the human
//     requests, and the batched parts hold no more than the machine requests.
//   - never batched (every NeverBatch workflow): no row of it (or of its
//     parts, for mixed beyond the machine requests) may show eligible=true,
//     a positive batch saving, or a batch opportunity.
//   - cost right: the cost of rightly classed workflows over all cost.
package blindtest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"time"
	_ "time/tzdata" // Pacific/Chatham and friends must not depend on the host's zone files.
)

// Class names of the ground truth. Mixed means the workflow holds a realtime
// population and a machine population under one name.
const (
	Realtime     = "realtime"
	NearRealtime = "near-realtime"
	Scheduled    = "scheduled"
	Mixed        = "mixed"
)

// Truth is the ground truth of one workflow, decided when the trap was designed.
type Truth struct {
	Workflow string
	Class    string
	// NeverBatch marks workflows that must never get a batch saving or be
	// eligible for batch: every realtime and mixed workflow, and any other
	// whose delay would hurt someone.
	NeverBatch bool
	// Why says what the trap is and why the truth is what it is.
	Why string
	// HumanRequests and MachineRequests count the two populations of a
	// mixed workflow (filled by the generator; zero otherwise).
	HumanRequests, MachineRequests int
}

// Record is one generated request. Nil pointers are fields left out of the log.
type Record struct {
	TS          time.Time
	RequestID   string
	Provider    string
	Model       string
	Workflow    string
	Source      string
	Mode        string
	UserWaiting *bool
	Input       int
	Output      int
	LatencyMS   *int
	TTFTMS      *int
	Status      string
	human       bool // which population produced it (for mixed workflows)
}

// Workload is one log file with its zone, window and truth.
type Workload struct {
	Name  string
	TZ    string
	Start time.Time // first instant of the window (local 13:37 or similar)
	End   time.Time // end of the window, exclusive
	// LocalOffsets writes ts with the zone's offset instead of Z.
	LocalOffsets bool
	Seed         uint64
	Records      []Record
	Truth        []Truth
}

// Days is the window length in days.
func (w *Workload) Days() float64 { return w.End.Sub(w.Start).Hours() / 24 }

type line struct {
	TS           string `json:"ts"`
	RequestID    string `json:"request_id"`
	Provider     string `json:"provider,omitempty"`
	Model        string `json:"model"`
	Workflow     string `json:"workflow"`
	Source       string `json:"source,omitempty"`
	Mode         string `json:"mode,omitempty"`
	UserWaiting  *bool  `json:"user_waiting,omitempty"`
	InputTokens  int    `json:"input_tokens"`
	OutputTokens int    `json:"output_tokens"`
	LatencyMS    *int   `json:"latency_ms,omitempty"`
	TTFTMS       *int   `json:"ttft_ms,omitempty"`
	Status       string `json:"status,omitempty"`
}

// WriteJSONL writes the workload as canonical JSONL, one record a line, in
// time order.
func (w *Workload) WriteJSONL(out io.Writer) error {
	loc, err := time.LoadLocation(w.TZ)
	if err != nil {
		return fmt.Errorf("write %s: tz %q: %w", w.Name, w.TZ, err)
	}
	enc := json.NewEncoder(out)
	for i := range w.Records {
		r := &w.Records[i]
		ts := r.TS.UTC()
		if w.LocalOffsets {
			ts = r.TS.In(loc)
		}
		l := line{
			TS: ts.Format("2006-01-02T15:04:05.000Z07:00"), RequestID: r.RequestID,
			Provider: r.Provider, Model: r.Model, Workflow: r.Workflow, Source: r.Source,
			Mode: r.Mode, UserWaiting: r.UserWaiting, InputTokens: r.Input,
			OutputTokens: r.Output, LatencyMS: r.LatencyMS, TTFTMS: r.TTFTMS, Status: r.Status,
		}
		if err := enc.Encode(&l); err != nil {
			return fmt.Errorf("write %s: record %d: %w", w.Name, i, err)
		}
	}
	return nil
}

// Requests counts the workload's records of one workflow (errors included).
func (w *Workload) Requests(workflow string) int {
	n := 0
	for i := range w.Records {
		if w.Records[i].Workflow == workflow {
			n++
		}
	}
	return n
}

// model is a priced model with the token sizes one workflow sends it.
type model struct {
	provider, name string
	inLo, inHi     int
	outLo, outHi   int
}

// hints are the fields a workflow logs besides tokens.
type hints struct {
	source      string
	mode        string
	userWaiting *bool
	// waitingShare logs user_waiting on only this share of records (0 = all).
	waitingShare float64
	latency      bool // log latency_ms
	ttft         bool // log ttft_ms (streams)
	errorShare   float64
}

func boolp(b bool) *bool { return &b }
func intp(i int) *int    { return &i }

// builder accumulates one workload's records.
type builder struct {
	w   *Workload
	loc *time.Location
	rng *rand.Rand
	n   int
}

func newBuilder(name, tz string, seed uint64, startLocal string, days int, localOffsets bool) *builder {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		panic(fmt.Sprintf("blindtest: tz %q: %v", tz, err))
	}
	start, err := time.ParseInLocation("2006-01-02 15:04", startLocal, loc)
	if err != nil {
		panic(fmt.Sprintf("blindtest: start %q: %v", startLocal, err))
	}
	end := time.Date(start.Year(), start.Month(), start.Day()+days, start.Hour(), start.Minute(), 0, 0, loc)
	return &builder{
		w:   &Workload{Name: name, TZ: tz, Start: start, End: end, LocalOffsets: localOffsets, Seed: seed},
		loc: loc,
		rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}
}

func (b *builder) uni(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + b.rng.IntN(hi-lo+1)
}

// add appends one request sent at t, dropping it when outside the window.
func (b *builder) add(t time.Time, wf string, m model, h hints, latMS int, human bool) {
	if t.Before(b.w.Start) || !t.Before(b.w.End) {
		return
	}
	b.n++
	r := Record{
		TS: t, RequestID: fmt.Sprintf("%s-%07d", b.w.Name, b.n), Provider: m.provider, Model: m.name,
		Workflow: wf, Source: h.source, Mode: h.mode, Input: b.uni(m.inLo, m.inHi),
		Output: b.uni(m.outLo, m.outHi), human: human,
	}
	if h.userWaiting != nil && (h.waitingShare == 0 || b.rng.Float64() < h.waitingShare) {
		r.UserWaiting = boolp(*h.userWaiting)
	}
	if h.latency {
		r.LatencyMS = intp(latMS)
	}
	if h.ttft {
		r.TTFTMS = intp(200 + b.rng.IntN(latMS/3+1))
	}
	if h.errorShare > 0 && b.rng.Float64() < h.errorShare {
		r.Status = "error"
		r.Output = 0
	}
	b.w.Records = append(b.w.Records, r)
}

// day returns local midnight of the window's day d (d = 0 is the first day).
func (b *builder) day(d int) time.Time {
	s := b.w.Start
	return time.Date(s.Year(), s.Month(), s.Day()+d, 0, 0, 0, 0, b.loc)
}

// at returns local wall time h:m:s on day d.
func (b *builder) at(d, h, m int, sec float64) time.Time {
	s := b.w.Start
	whole := int(sec)
	ns := int((sec - float64(whole)) * 1e9)
	return time.Date(s.Year(), s.Month(), s.Day()+d, h, m, whole, ns, b.loc)
}

// ndays is the number of local calendar days touched by the window.
func (b *builder) ndays() int {
	return int(math.Ceil(b.w.Days())) + 1
}

func (b *builder) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		v := int(math.Round(lambda + math.Sqrt(lambda)*b.rng.NormFloat64()))
		if v < 0 {
			return 0
		}
		return v
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= b.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// humanLatency is a chat-sized response time in ms.
func (b *builder) humanLatency() int { return 700 + int(b.rng.ExpFloat64()*1800) }

// people adds a non-homogeneous Poisson stream: rate(d, hour) is the expected
// requests per minute on local day d at local hour (fractional).
func (b *builder) people(wf string, m model, h hints, rate func(d int, wd time.Weekday, hour float64) float64) {
	for d := 0; d < b.ndays(); d++ {
		midnight := b.day(d)
		wd := midnight.Weekday()
		for min := 0; min < 24*60; min++ {
			lam := rate(d, wd, float64(min)/60)
			k := b.poisson(lam)
			for i := 0; i < k; i++ {
				t := time.Date(midnight.Year(), midnight.Month(), midnight.Day(), 0, min, 0, 0, b.loc).
					Add(time.Duration(b.rng.Float64() * float64(time.Minute)))
				b.add(t, wf, m, h, b.humanLatency(), true)
			}
		}
	}
}

// machine adds a run of n requests sent by `workers` concurrent workers that
// each send the next request as soon as the previous one returns. It returns
// when the run ended.
func (b *builder) machine(t0 time.Time, n, workers int, wf string, m model, h hints, latLo, latHi int) time.Time {
	next := make([]time.Time, workers)
	for k := range next {
		next[k] = t0.Add(time.Duration(k*7+b.rng.IntN(40)) * time.Millisecond)
	}
	end := t0
	for i := 0; i < n; i++ {
		k := i % workers
		lat := b.uni(latLo, latHi)
		b.add(next[k], wf, m, h, lat, false)
		next[k] = next[k].Add(time.Duration(lat+5+b.rng.IntN(30)) * time.Millisecond)
		if next[k].After(end) {
			end = next[k]
		}
	}
	return end
}

// paced adds requests one every `every` (± 20%) from t0 to t1, one worker,
// as a rate-limited crawler or long enrichment job sends them.
func (b *builder) paced(t0, t1 time.Time, every time.Duration, wf string, m model, h hints, latLo, latHi int) int {
	n := 0
	for t := t0; t.Before(t1); {
		b.add(t, wf, m, h, b.uni(latLo, latHi), false)
		n++
		t = t.Add(time.Duration(float64(every) * (0.8 + 0.4*b.rng.Float64())))
	}
	return n
}

// chain adds an agent loop: one trigger then calls back to back, each sent
// when the previous returned.
func (b *builder) chain(t0 time.Time, n int, wf string, m model, h hints, latLo, latHi int) {
	t := t0
	for i := 0; i < n; i++ {
		lat := b.uni(latLo, latHi)
		mm := m
		// The context grows with every step of the loop.
		mm.inLo += i * 400
		mm.inHi += i * 400
		b.add(t, wf, mm, h, lat, true)
		t = t.Add(time.Duration(lat+30+b.rng.IntN(170)) * time.Millisecond)
	}
}

func (b *builder) truth(t Truth) { b.w.Truth = append(b.w.Truth, t) }

func (b *builder) done() *Workload {
	w := b.w
	sort.SliceStable(w.Records, func(i, j int) bool {
		if !w.Records[i].TS.Equal(w.Records[j].TS) {
			return w.Records[i].TS.Before(w.Records[j].TS)
		}
		return w.Records[i].RequestID < w.Records[j].RequestID
	})
	for i := range w.Truth {
		t := &w.Truth[i]
		if t.Class != Mixed {
			continue
		}
		for j := range w.Records {
			if w.Records[j].Workflow != t.Workflow {
				continue
			}
			if w.Records[j].human {
				t.HumanRequests++
			} else {
				t.MachineRequests++
			}
		}
	}
	return w
}

// ramp is 0 before a, 1 after b, linear between (hours).
func ramp(h, a, b float64) float64 {
	switch {
	case h <= a:
		return 0
	case h >= b:
		return 1
	}
	return (h - a) / (b - a)
}

// within is 1 inside [a, b) hours, 0 outside.
func within(h, a, b float64) float64 {
	if h >= a && h < b {
		return 1
	}
	return 0
}

var (
	gpt41     = func(inLo, inHi, outLo, outHi int) model { return model{"openai", "gpt-4.1", inLo, inHi, outLo, outHi} }
	gpt4oMini = func(inLo, inHi, outLo, outHi int) model {
		return model{"openai", "gpt-4o-mini", inLo, inHi, outLo, outHi}
	}
	sonnet45 = func(inLo, inHi, outLo, outHi int) model {
		return model{"anthropic", "claude-sonnet-4-5", inLo, inHi, outLo, outHi}
	}
	haiku45 = func(inLo, inHi, outLo, outHi int) model {
		return model{"anthropic", "claude-haiku-4-5", inLo, inHi, outLo, outHi}
	}
	syncLat     = hints{mode: "sync", latency: true}
	streamLat   = hints{mode: "stream", latency: true, ttft: true}
	noHints     = hints{}
	yes, no     = true, false
	waitingTrue = &yes
	waitingNo   = &no
)

// Workloads returns the blind set, generated from seed.
func Workloads(seed uint64) []*Workload {
	return []*Workload{
		saoPaulo(seed + 1), sydney(seed + 2), kolkata(seed + 3), stJohns(seed + 4),
		chatham(seed + 5), jakarta(seed + 6), london(seed + 7),
	}
}

// saoPaulo: 30 days from a Wednesday 13:37 local, America/Sao_Paulo (−03:00,
// no DST since 2019). Latency and mode logged, no source, no user_waiting.
func saoPaulo(seed uint64) *Workload {
	b := newBuilder("saopaulo-30d", "America/Sao_Paulo", seed, "2026-06-10 13:37", 30, false)
	h := syncLat
	h.errorShare = 0.015
	b.people("atendimento-callcentre", gpt4oMini(1200, 4000, 120, 400), h, func(_ int, wd time.Weekday, hr float64) float64 {
		if wd == time.Sunday {
			return 0
		}
		end := 20.0
		if wd == time.Saturday {
			end = 14
		}
		// Agents log on between 07:50 and 08:15; lunch dip 12:00–13:30.
		r := 1.1 * ramp(hr, 7.8, 8.25) * (1 - ramp(hr, end-0.25, end))
		if hr >= 12 && hr < 13.5 {
			r *= 0.35
		}
		return r
	})
	b.truth(Truth{Workflow: "atendimento-callcentre", Class: Realtime, NeverBatch: true,
		Why: "call-centre agents answering customers: Mon–Sat shift with a crowd log-on at 08:00 and a lunch dip, no hints"})

	sale := 10 // 2026-06-20, a Saturday
	b.people("loja-flashsale", haiku45(600, 1500, 100, 300), h, func(_ int, _ time.Weekday, hr float64) float64 {
		return 0.25 * within(hr, 9, 22)
	})
	// The flash sale opens at exactly 12:00:00: shoppers who had the page open
	// click within seconds; the crowd decays over ten minutes.
	open := b.at(sale, 12, 0, 0)
	for i := 0; i < 2400; i++ {
		delay := 0.3 + b.rng.ExpFloat64()*150 // seconds after 12:00:00
		b.add(open.Add(time.Duration(delay*float64(time.Second))), "loja-flashsale", haiku45(600, 1500, 100, 300), h, b.humanLatency(), true)
	}
	b.truth(Truth{Workflow: "loja-flashsale", Class: Realtime, NeverBatch: true,
		Why: "shop assistant with a daily trickle and one flash sale at exactly 12:00:00 local: a sharp onset on the second, but made by people (decaying crowd, irregular gaps, one day only)"})

	for d := 0; d < b.ndays(); d++ {
		b.machine(b.at(d, 2, 0, 0.4+b.rng.Float64()), 400, 4, "fechamento-nightly", gpt41(5000, 9000, 600, 1200), syncLat, 2500, 4500)
	}
	b.truth(Truth{Workflow: "fechamento-nightly", Class: Scheduled,
		Why: "nightly close at 02:00 local every day, 400 documents by 4 workers at machine pace"})

	// Runs only on the 1st of each month at 04:00: July 1 is the one run in the window.
	for d := 0; d < b.ndays(); d++ {
		if b.day(d).Day() == 1 {
			b.machine(b.at(d, 4, 0, 0.2), 1500, 6, "faturas-monthly", sonnet45(3000, 6000, 800, 1500), syncLat, 6000, 12000)
		}
	}
	b.truth(Truth{Workflow: "faturas-monthly", Class: Scheduled,
		Why: "monthly invoicing cron on the 1st at 04:00 local: one run in a 30-day window, 1500 requests at machine pace by 6 workers in the dead of night"})
	return b.done()
}

// sydney: 7 days across the DST start (Sunday 2026-10-04 02:00 AEST → 03:00
// AEDT), from a Thursday 13:37 local.
func sydney(seed uint64) *Workload {
	b := newBuilder("sydney-dst-7d", "Australia/Sydney", seed, "2026-10-01 13:37", 7, false)
	ide := streamLat
	ide.source = "ide"
	b.people("dev-copilot", sonnet45(4000, 15000, 200, 1200), ide, func(_ int, wd time.Weekday, hr float64) float64 {
		if wd == time.Saturday || wd == time.Sunday {
			return 0.02 * within(hr, 10, 16)
		}
		r := 0.9 * ramp(hr, 8.3, 9.5) * (1 - ramp(hr, 17, 18.5))
		if hr >= 12.5 && hr < 13.5 {
			r *= 0.5
		}
		return r
	})
	b.truth(Truth{Workflow: "dev-copilot", Class: Realtime, NeverBatch: true,
		Why: "Sydney developers streaming in the IDE on weekdays; their local clock moves an hour against UTC mid-window"})

	// A ledger sync whose cron is in UTC (15:00 UTC) with systemd
	// RandomizedDelaySec=600: it fires 15:00–15:10 UTC, i.e. 01:00 AEST before
	// the change and 02:00 AEDT after it.
	for d := -1; d < b.ndays(); d++ {
		day := b.day(d)
		t := time.Date(day.Year(), day.Month(), day.Day(), 15, 0, 0, 0, time.UTC).Add(time.Duration(b.rng.IntN(600_000)) * time.Millisecond)
		b.machine(t, 250, 3, "au-ledger-sync", gpt41(3000, 7000, 300, 700), syncLat, 1500, 3500)
	}
	b.truth(Truth{Workflow: "au-ledger-sync", Class: Scheduled,
		Why: "cron at 15:00 UTC with a random 0–10 min splay (±5 min around 15:05): a 1-hour jump in local time at the DST change and no common start second"})

	for d := 0; d < b.ndays(); d++ {
		for q := 0; q < 96; q++ {
			t := b.at(d, q/4, (q%4)*15, 2+2*b.rng.Float64())
			b.machine(t, 6, 1, "metrics-15min", gpt4oMini(2000, 3000, 150, 250), syncLat, 600, 1400)
		}
	}
	b.truth(Truth{Workflow: "metrics-15min", Class: Scheduled,
		Why: "a job every 15 minutes all day, 6 requests back to back at :00/:15/:30/:45 + 2–4 s: flat daily volume like a queue, but a cron"})
	return b.done()
}

// kolkata: 7 days from a Monday 13:37 local, Asia/Kolkata (+05:30), ts
// written with the +05:30 offset.
func kolkata(seed uint64) *Workload {
	b := newBuilder("kolkata-oncall-7d", "Asia/Kolkata", seed, "2026-11-09 13:37", 7, true)
	for d := 0; d < b.ndays(); d++ {
		incidents := 2 + b.rng.IntN(3)
		for i := 0; i < incidents; i++ {
			var start time.Time
			if b.rng.Float64() < 0.6 { // after night deploys: 00:00–05:00
				start = b.day(d).Add(time.Duration(b.rng.Float64() * 5 * float64(time.Hour)))
			} else {
				start = b.day(d).Add(time.Duration(b.rng.Float64() * 24 * float64(time.Hour)))
			}
			t := start
			for k, n := 0, 8+b.rng.IntN(18); k < n; k++ {
				b.add(t, "oncall-triage", gpt41(6000, 20000, 400, 1200), syncLat, b.humanLatency()+2000, true)
				think := 20 + math.Exp(3.5+0.8*b.rng.NormFloat64()) // seconds
				t = t.Add(time.Duration(think * float64(time.Second)))
			}
		}
	}
	b.truth(Truth{Workflow: "oncall-triage", Class: Realtime, NeverBatch: true,
		Why: "on-call engineers pasting logs during incidents, 60% between 00:00 and 05:00 local: night-time concentration made by people at human think times"})

	tutor := streamLat
	b.people("school-tutor", gpt4oMini(500, 1500, 200, 500), tutor, func(_ int, wd time.Weekday, hr float64) float64 {
		if wd == time.Saturday || wd == time.Sunday {
			return 0
		}
		r := 0.0
		// Class periods: the teacher says "open the tutor" at the bell; 30
		// students arrive within two minutes, then ask at human pace.
		for _, p := range []float64{9, 10, 11.5, 13.5} {
			if hr >= p && hr < p+2.0/60 {
				r += 12
			} else if hr >= p+2.0/60 && hr < p+40.0/60 {
				r += 1.5
			}
		}
		return r
	})
	b.truth(Truth{Workflow: "school-tutor", Class: Realtime, NeverBatch: true,
		Why: "school-hours tutoring, Mon–Fri only, weekend silence: students arrive within two minutes of each bell at the same minutes every weekday, as sharp as a cron"})

	agent := syncLat
	agent.source = "agent"
	for d := 0; d < b.ndays(); d++ {
		for i, n := 0, 4+b.rng.IntN(4); i < n; i++ {
			t := b.day(d).Add(time.Duration(b.rng.Float64() * 24 * float64(time.Hour)))
			b.chain(t, 40, "incident-agent", sonnet45(8000, 12000, 200, 600), agent, 1200, 2400)
		}
	}
	b.truth(Truth{Workflow: "incident-agent", Class: Realtime, NeverBatch: true,
		Why: "an agent loop: an engineer asks once, then 40 chained calls at machine pace finish within two minutes; the engineer waits for the end"})

	liar := syncLat
	liar.source = "cron"
	liar.userWaiting = waitingTrue
	b.people("digest-liar", haiku45(1500, 4000, 200, 600), liar, func(_ int, wd time.Weekday, hr float64) float64 {
		if wd == time.Sunday {
			return 0
		}
		return 0.3 * within(hr, 10, 19)
	})
	b.truth(Truth{Workflow: "digest-liar", Class: Realtime, NeverBatch: true,
		Why: "source=cron (an SDK default nobody changed) but user_waiting=true on every record and people's arrivals Mon–Sat 10:00–19:00: the hints conflict, a person waits"})

	stale := syncLat
	stale.source = "ui"
	for d := 0; d < b.ndays(); d++ {
		b.machine(b.at(d, 3, 0, 0.1+0.3*b.rng.Float64()), 200, 2, "stale-ui-label", haiku45(2000, 3500, 300, 500), stale, 1500, 3000)
	}
	b.truth(Truth{Workflow: "stale-ui-label", Class: Scheduled,
		Why: "source=ui is a stale label: 200 requests at machine pace every day at 03:00:00 local by 2 workers; no user_waiting"})
	return b.done()
}

// stJohns: 3 days from a Tuesday 13:37 local, America/St_Johns (−03:30 in
// November).
func stJohns(seed uint64) *Workload {
	b := newBuilder("stjohns-3d", "America/St_Johns", seed, "2026-11-17 13:37", 3, false)
	for _, t := range []time.Time{b.at(0, 15, 12, 7), b.at(1, 10, 41, 33), b.at(2, 9, 5, 2)} {
		b.add(t, "claims-review", sonnet45(30000, 60000, 1500, 3000), syncLat, 25000, true)
	}
	b.truth(Truth{Workflow: "claims-review", Class: Realtime, NeverBatch: true,
		Why: "3 requests in 3 days at office hours: no evidence of a machine, so assumed realtime"})

	for d := 1; d <= 3; d++ {
		b.machine(b.at(d, 3, 0, 0.1), 1, 1, "sparse-cron", gpt41(20000, 30000, 2000, 3000), syncLat, 30000, 40000)
	}
	b.truth(Truth{Workflow: "sparse-cron", Class: Scheduled,
		Why: "one request at 03:00:00.1 local on each of the 3 days: a cron, though only 3 requests"})

	// A marketing send goes out at 10:00:00 on day 1 (Wednesday). Recipients'
	// replies arrive through the ESP's inbound webhook; each one gets a drafted
	// answer that a support agent reviews within the hour.
	wh := syncLat
	wh.source = "webhook"
	wh.userWaiting = waitingNo
	send := b.at(1, 10, 0, 0)
	for i := 0; i < 1800; i++ {
		// People open and reply minutes to hours later: a ramp then a long tail.
		delay := 90 + math.Exp(7.2+1.0*b.rng.NormFloat64()) // seconds
		b.add(send.Add(time.Duration(delay*float64(time.Second))), "reply-triage", sonnet45(2500, 5000, 300, 700), wh, 4000+b.rng.IntN(4000), true)
	}
	b.truth(Truth{Workflow: "reply-triage", Class: NearRealtime, NeverBatch: true,
		Why: "webhook storm after a marketing send at 10:00:00: machine-triggered (source=webhook, user_waiting=false) but each call is a person's reply; the drafted answer is read by an agent within the hour, so minutes are fine and a 24 h batch is not"})

	desk := syncLat
	desk.userWaiting = waitingTrue
	desk.waitingShare = 0.5
	b.people("frontdesk-chat", gpt4oMini(800, 2500, 150, 400), desk, func(_ int, wd time.Weekday, hr float64) float64 {
		if wd == time.Saturday || wd == time.Sunday {
			return 0.05 * within(hr, 10, 16)
		}
		return 0.5 * ramp(hr, 8, 9) * (1 - ramp(hr, 17, 18))
	})
	b.truth(Truth{Workflow: "frontdesk-chat", Class: Realtime, NeverBatch: true,
		Why: "front-desk chat in a −03:30 zone, user_waiting=true on half the records, absent on the rest"})
	return b.done()
}

// chatham: 60 days from 2026-02-10 13:37 local, Pacific/Chatham (+13:45
// until DST ends on 2026-04-05, then +12:45). No hints at all: no source, no
// mode, no user_waiting, no latency, no status.
func chatham(seed uint64) *Workload {
	b := newBuilder("chatham-60d", "Pacific/Chatham", seed, "2026-02-10 13:37", 60, false)
	b.people("skipper-logbook", gpt4oMini(800, 2000, 150, 350), noHints, func(_ int, _ time.Weekday, hr float64) float64 {
		// Fishers work every day: a dawn peak and a return-to-port peak.
		return 0.25*math.Exp(-math.Pow((hr-5.75)/0.6, 2)) + 0.35*math.Exp(-math.Pow((hr-17)/1.0, 2)) + 0.04*within(hr, 6, 19)
	})
	b.truth(Truth{Workflow: "skipper-logbook", Class: Realtime, NeverBatch: true,
		Why: "fishers' logbook used every day of the week at dawn and on return to port, in a +13:45 zone, no hints"})

	for d := 0; d < b.ndays(); d++ {
		if b.day(d).Weekday() == time.Sunday {
			t0 := b.at(d, 22, 0, 0.3)
			b.paced(t0, t0.Add(3*time.Hour), 4*time.Second, "weekly-catch-report", sonnet45(2000, 5000, 400, 900), noHints, 2000, 3500)
		}
	}
	b.truth(Truth{Workflow: "weekly-catch-report", Class: Scheduled,
		Why: "weekly job Sundays 22:00 local for 3 hours, crossing local midnight, one request every ~4 s; the window starts on a Tuesday afternoon"})

	for d := 0; d < b.ndays(); d++ {
		t0 := b.at(d, 1, 30, 0.2)
		b.paced(t0, t0.Add(3*time.Hour+15*time.Minute), 30*time.Second, "nightly-3h-enrich", gpt41(1500, 3000, 200, 400), noHints, 3000, 9000)
	}
	b.truth(Truth{Workflow: "nightly-3h-enrich", Class: Scheduled,
		Why: "nightly enrichment 01:30–04:45 local, a request every ~30 s: a burst of many hours, thin like people"})

	for d := 0; d < b.ndays(); d++ {
		b.machine(b.at(d, 4, 0, 0.5), 300, 3, "cooperative-mixed", haiku45(3000, 6000, 300, 800), noHints, 1500, 3000)
	}
	b.people("cooperative-mixed", haiku45(3000, 6000, 300, 800), noHints, func(_ int, _ time.Weekday, hr float64) float64 {
		return 0.065 * within(hr, 8, 17)
	})
	b.truth(Truth{Workflow: "cooperative-mixed", Class: Mixed, NeverBatch: true,
		Why: "90% a nightly job at 04:00 local, 10% people by day under the same name, no hints"})
	return b.done()
}

// jakarta: 60 days from 2026-02-01 13:37 local, Asia/Jakarta (+07). Ramadan
// 1447 runs 2026-02-18 to 2026-03-19; Eid al-Fitr 2026-03-20/21.
func jakarta(seed uint64) *Workload {
	b := newBuilder("jakarta-ramadan-60d", "Asia/Jakarta", seed, "2026-02-01 13:37", 60, false)
	ramadanStart := time.Date(2026, 2, 18, 0, 0, 0, 0, b.loc)
	eid := time.Date(2026, 3, 20, 0, 0, 0, 0, b.loc)
	b.people("toko-chat", gpt4oMini(700, 2200, 150, 450), streamLat, func(d int, _ time.Weekday, hr float64) float64 {
		day := b.day(d)
		switch {
		case !day.Before(eid) && day.Before(eid.AddDate(0, 0, 2)):
			return 0.05 * within(hr, 9, 21)
		case !day.Before(ramadanStart) && day.Before(eid):
			// Sahur at 02:30–04:30, quiet fasting day, a peak after iftar (18:15).
			return 0.5*within(hr, 2.5, 4.5) + 0.15*within(hr, 9, 17) + 0.9*within(hr, 18.25, 22.5) + 0.3*within(hr, 22.5, 24)
		}
		r := 0.45 * ramp(hr, 8, 9.5) * (1 - ramp(hr, 21, 22.5))
		if hr >= 12 && hr < 13 {
			r *= 0.6
		}
		return r
	})
	b.truth(Truth{Workflow: "toko-chat", Class: Realtime, NeverBatch: true,
		Why: "shop chat whose daily shape moves for a month: sahur peak 02:30–04:30 (people at 03:00), iftar peak 18:15, Eid near-silence"})

	for d := 0; d < b.ndays(); d++ {
		b.machine(b.at(d, 23, 0, 0.05), 150, 2, "halal-catalog-sync", haiku45(2500, 4000, 400, 800), syncLat, 1200, 2500)
	}
	b.truth(Truth{Workflow: "halal-catalog-sync", Class: Scheduled,
		Why: "catalog sync every day at 23:00:00 local, 150 requests at machine pace, next to the iftar crowd"})
	return b.done()
}

// london: 1 day from a Tuesday 13:37 local, Europe/London (GMT = UTC in
// November).
func london(seed uint64) *Workload {
	b := newBuilder("london-1d", "Europe/London", seed, "2026-11-24 13:37", 1, false)
	q := syncLat
	q.source = "queue"
	q.userWaiting = waitingNo
	q.errorShare = 0.01
	b.paced(b.w.Start.Add(-time.Hour), b.w.End, 4*time.Second, "queue-worker", gpt4oMini(1500, 2500, 200, 300), q, 800, 2000)
	b.truth(Truth{Workflow: "queue-worker", Class: NearRealtime,
		Why: "a worker draining a ticket-enrichment queue at machine pace all day (one request every ~4 s, source=queue, user_waiting=false): nobody waits on a call, but the enrichment shows in the UI within minutes"})

	b.people("warehouse-picking", gpt4oMini(600, 1500, 80, 200), syncLat, func(_ int, wd time.Weekday, hr float64) float64 {
		// Two shifts, 06:00–14:00 and 14:00–22:00, with a hand-over dip.
		r := 1.2 * ramp(hr, 6, 6.3) * (1 - ramp(hr, 21.7, 22))
		if hr >= 13.8 && hr < 14.3 {
			r *= 0.3
		}
		return r
	})
	b.truth(Truth{Workflow: "warehouse-picking", Class: Realtime, NeverBatch: true,
		Why: "warehouse pickers on two shifts with a hand-over dip at 14:00, in a zone equal to UTC"})

	b.machine(b.at(1, 2, 0, 0.2), 500, 5, "nightly-export", gpt41(4000, 8000, 500, 900), syncLat, 2500, 5000)
	b.truth(Truth{Workflow: "nightly-export", Class: Scheduled,
		Why: "a 02:00 local export, 500 requests by 5 workers at machine pace: the one run a 1-day window starting 13:37 can hold"})
	return b.done()
}

// blindSeed is the seed of the committed evaluation.
const blindSeed = 20261202
