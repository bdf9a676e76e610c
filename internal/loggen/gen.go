package loggen

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/pricing"
)

// DefaultStart is the first day generated when Options.Start is zero: a
// Monday, so that a seven-day window holds one weekly run.
var DefaultStart = time.Date(2026, time.November, 2, 0, 0, 0, 0, time.UTC)

// DefaultDays is the window length when Options.Days is zero.
const DefaultDays = 7

// Options are the knobs of one generation run. Equal Workload and Options
// give equal records, whatever the output format.
type Options struct {
	// Seed seeds every random draw (PCG streams derived from it).
	Seed uint64
	// Start is the first day (truncated to midnight UTC); zero means DefaultStart.
	Start time.Time
	// Days is the window length; zero means DefaultDays.
	Days int
	// Requests is the exact number of distinct records to generate; zero
	// means the workload's own rates (sum of requests_per_day over the window).
	Requests int64
	// DupShare is the share of records written a second time (same
	// request_id, same tokens) a few lines later, as retries and re-exports do.
	DupShare float64
	// BadShare is the share of records followed by one bad line (invalid
	// JSON, a negative token count, a bad timestamp or a missing model).
	BadShare float64
	// StripHints keeps only ts, provider, model, workflow, token counts,
	// request_id and status, so classification must rely on arrival patterns.
	StripHints bool
	// ContentBytes, when positive, fills the message content of every
	// Claude Code line with about this many bytes of text (prose, code,
	// tool calls and tool results, derived from each request's id), as real
	// session logs carry; zero writes a short placeholder. Other formats
	// ignore it.
	ContentBytes int
}

func (o Options) withDefaults() Options {
	if o.Start.IsZero() {
		o.Start = DefaultStart
	}
	o.Start = time.Date(o.Start.Year(), o.Start.Month(), o.Start.Day(), 0, 0, 0, 0, time.UTC)
	if o.Days == 0 {
		o.Days = DefaultDays
	}
	return o
}

func (o Options) validate() error {
	if o.Days < 0 || o.Days > 3660 {
		return fmt.Errorf("days: %d must be between 1 and 3660", o.Days)
	}
	if o.Requests < 0 {
		return fmt.Errorf("requests: negative value %d", o.Requests)
	}
	if !(o.DupShare >= 0 && o.DupShare < 1) {
		return fmt.Errorf("dup share: %v must be at least 0 and below 1", o.DupShare)
	}
	if !(o.BadShare >= 0 && o.BadShare < 1) {
		return fmt.Errorf("bad share: %v must be at least 0 and below 1", o.BadShare)
	}
	if o.ContentBytes < 0 || o.ContentBytes > 1<<20 {
		return fmt.Errorf("content bytes: %d must be between 0 and 1048576", o.ContentBytes)
	}
	return nil
}

// Event is one generated request: the canonical record plus what the writers
// need to render it in vendor shapes and what tests need to score it.
type Event struct {
	// Rec is the canonical record, with hints removed under StripHints.
	Rec audit.Record
	// Seq numbers the records of a run from 0 in timestamp order.
	Seq int64
	// ID is the random identity every format derives its ids from.
	ID uint64
	// Flow is the workflow that sent the request; FlowIndex its position.
	Flow      *Workflow
	FlowIndex int
	// Truncated reports that output stopped at max_tokens.
	Truncated bool
	// Dup marks the second copy of a duplicated record.
	Dup bool
}

// Class returns the ground-truth latency class of the event's workflow.
func (e *Event) Class() string { return e.Flow.Class }

// BadKind is the kind of a deliberately bad line.
type BadKind int

// The kinds of bad lines, in the order Stats.Bad counts them.
const (
	BadInvalidJSON BadKind = iota
	BadNegativeTokens
	BadTimestamp
	BadMissingModel
	numBadKinds
)

var badNames = [numBadKinds]string{"invalid_json", "negative_tokens", "bad_timestamp", "missing_model"}

func (k BadKind) String() string {
	if k >= 0 && k < numBadKinds {
		return badNames[k]
	}
	return fmt.Sprintf("BadKind(%d)", int(k))
}

// Stats summarizes what a run wrote.
type Stats struct {
	Seed uint64
	// Records is the number of distinct records written.
	Records int64
	// Duplicates is the number of extra copies written.
	Duplicates int64
	// Bad counts bad lines by BadKind.
	Bad [numBadKinds]int64
	// Skipped is the number of generated records the format cannot carry
	// (another provider, or a mode the format has no place for).
	Skipped int64
	// Usage sums the tokens of the distinct records written (Requests is
	// Records), whether billed or not.
	Usage pricing.Usage
	// Reasoning sums their reasoning tokens.
	Reasoning int64
	// Bytes is what was written, over every file.
	Bytes int64
}

// BadLines returns the number of bad lines of every kind.
func (s Stats) BadLines() int64 {
	var n int64
	for _, v := range s.Bad {
		n += v
	}
	return n
}

// Records calls fn for every distinct record of the workload in timestamp
// order, without duplicates or bad lines. It is the ground truth of what
// Generate writes. The Event is reused between calls.
func Records(w Workload, opts Options, fn func(*Event) error) error {
	g, err := newGen(w, opts)
	if err != nil {
		return err
	}
	return g.run(fn)
}

// Generate writes the workload in format f to t and returns what it wrote.
func Generate(w Workload, opts Options, f Format, t Target) (Stats, error) {
	g, err := newGen(w, opts)
	if err != nil {
		return Stats{}, err
	}
	cw := &countingTarget{t: t}
	wr, err := newWriter(f, cw, g.opts)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Seed: g.opts.Seed}
	noise := rand.New(rand.NewPCG(g.opts.Seed, 2))
	type pending struct {
		at int64
		ev Event
	}
	var dups []pending
	var n int64
	flushDue := func(upTo int64) error {
		for len(dups) > 0 && dups[0].at <= upTo {
			d := dups[0]
			dups = dups[1:]
			d.ev.Dup = true
			if err := wr.write(&d.ev); err != nil {
				return err
			}
			st.Duplicates++
		}
		return nil
	}
	var bad Event
	err = g.run(func(e *Event) error {
		n++
		// Draw the noise for every generated record, written or not, so
		// that each format sees the same duplicates and bad lines.
		dupDraw, delay := noise.Float64(), 1+noise.Int64N(50)
		badDraw, badKind, badID := noise.Float64(), BadKind(noise.IntN(int(numBadKinds))), noise.Uint64()
		if err := flushDue(n); err != nil {
			return err
		}
		if !wr.accepts(e) {
			st.Skipped++
			return nil
		}
		if err := wr.write(e); err != nil {
			return err
		}
		st.Records++
		st.Usage = st.Usage.Add(e.Rec.Usage())
		st.Reasoning += e.Rec.ReasoningTokens
		if dupDraw < g.opts.DupShare {
			d := pending{at: n + delay, ev: *e}
			i, _ := slices.BinarySearchFunc(dups, d.at, func(p pending, at int64) int { return cmp.Compare(p.at, at+1) })
			dups = slices.Insert(dups, i, d)
		}
		if badDraw < g.opts.BadShare {
			bad = *e
			bad.ID = badID
			bad.Rec.RequestID = requestID(badID)
			kind, err := wr.writeBad(&bad, badKind)
			if err != nil {
				return err
			}
			st.Bad[kind]++
		}
		return nil
	})
	if err == nil {
		err = flushDue(math.MaxInt64)
	}
	if cerr := wr.close(); err == nil {
		err = cerr
	}
	st.Usage.Requests = st.Records
	st.Bytes = cw.n
	return st, err
}

// RequestsForSize estimates how many records make about size bytes in
// format f, from a pilot run of the same workload and options.
func RequestsForSize(w Workload, opts Options, f Format, size int64) (int64, error) {
	if size <= 0 {
		return 0, fmt.Errorf("size: %d must be positive", size)
	}
	pilot := opts
	pilot.Requests = 20000
	st, err := Generate(w, pilot, f, Target{W: io.Discard, Create: discardCreate})
	if err != nil {
		return 0, err
	}
	gen := st.Records + st.Skipped
	if st.Bytes == 0 || gen == 0 {
		return 0, errors.New("size: the workload writes nothing in this format")
	}
	perRecord := float64(st.Bytes) / float64(gen)
	return max(1, int64(float64(size)/perRecord)), nil
}

func discardCreate(string) (io.WriteCloser, error) { return nopCloser{io.Discard}, nil }

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// gen holds the plan of one run.
type gen struct {
	w     Workload
	opts  Options
	flows []flowPlan
	// counts[d*len(flows)+f] is the number of requests of flow f on day d.
	counts []int64
}

type flowPlan struct {
	wf            *Workflow
	pattern       string
	startMS       int64
	endMS         int64
	weekday       time.Weekday
	weekendShare  float64
	offHoursShare float64
	mode          pricing.Mode
	userWaiting   int8
}

const dayMS = int64(24 * time.Hour / time.Millisecond)

func newGen(w Workload, opts Options) (*gen, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	g := &gen{w: w, opts: opts}
	g.flows = make([]flowPlan, len(w.Workflows))
	for i := range w.Workflows {
		wf := &g.w.Workflows[i]
		start, end, _ := wf.Arrival.window()
		p := flowPlan{wf: wf, pattern: wf.Arrival.Pattern, startMS: start.Milliseconds(), endMS: end.Milliseconds(),
			weekendShare: 0.15, offHoursShare: 0.05, mode: pricing.Mode(wf.Mode), userWaiting: -1}
		if p.pattern == PatternAroundTheClock {
			p.startMS, p.endMS = 0, dayMS
		}
		if wf.Arrival.WeekendShare != nil {
			p.weekendShare = *wf.Arrival.WeekendShare
		}
		if wf.Arrival.OffHoursShare != nil {
			p.offHoursShare = *wf.Arrival.OffHoursShare
		}
		p.weekday, _ = parseWeekday(wf.Arrival.Weekday)
		if wf.UserWaiting != nil {
			p.userWaiting = 0
			if *wf.UserWaiting {
				p.userWaiting = 1
			}
		}
		g.flows[i] = p
	}
	if err := g.allocate(); err != nil {
		return nil, err
	}
	return g, nil
}

// dayFactor is the day's volume relative to the workflow's daily average.
func (p *flowPlan) dayFactor(wd time.Weekday) float64 {
	switch p.pattern {
	case PatternBusinessHours:
		norm := 7 / (5 + 2*p.weekendShare)
		if wd == time.Saturday || wd == time.Sunday {
			return p.weekendShare * norm
		}
		return norm
	case PatternWeekly:
		if wd == p.weekday {
			return 7
		}
		return 0
	}
	return 1
}

// allocate fixes the number of requests per workflow and day: expected
// volumes with a little day-to-day jitter, scaled to Options.Requests and
// rounded by largest remainder so the total is exact.
func (g *gen) allocate() error {
	nf, days := len(g.flows), g.opts.Days
	jr := rand.New(rand.NewPCG(g.opts.Seed, 3))
	exp := make([]float64, nf*days)
	var total float64
	for d := range days {
		wd := g.opts.Start.AddDate(0, 0, d).Weekday()
		for f := range g.flows {
			e := g.flows[f].wf.RequestsPerDay * g.flows[f].dayFactor(wd) * math.Exp(0.08*jr.NormFloat64())
			exp[d*nf+f] = e
			total += e
		}
	}
	want := g.opts.Requests
	if want == 0 {
		want = int64(math.Round(total))
	}
	g.counts = make([]int64, nf*days)
	if want == 0 {
		return nil
	}
	if total == 0 {
		return fmt.Errorf("workload %q has no traffic in the %d-day window from %s (check requests_per_day and weekly weekdays)", g.w.Name, days, g.opts.Start.Format(time.DateOnly))
	}
	scale := float64(want) / total
	rem := make([]int, len(exp))
	var got int64
	for i, e := range exp {
		c := math.Floor(e * scale)
		g.counts[i] = int64(c)
		got += int64(c)
		exp[i] = e*scale - c
		rem[i] = i
	}
	slices.SortStableFunc(rem, func(a, b int) int { return cmp.Compare(exp[b], exp[a]) })
	for i := 0; got < want; i = (i + 1) % len(rem) {
		g.counts[rem[i]]++
		got++
	}
	return nil
}

// run generates every record in timestamp order, a day at a time.
func (g *gen) run(fn func(*Event) error) error {
	r := rand.New(rand.NewPCG(g.opts.Seed, 1))
	nf := len(g.flows)
	var keys []int64
	var ev Event
	var seq int64
	for d := range g.opts.Days {
		day := g.opts.Start.AddDate(0, 0, d)
		keys = keys[:0]
		for f := range g.flows {
			p := &g.flows[f]
			for range g.counts[d*nf+f] {
				keys = append(keys, p.drawOffset(r)<<8|int64(f))
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			f := int(k & 0xff)
			ts := day.Add(time.Duration(k>>8) * time.Millisecond)
			g.build(r, f, ts, seq, &ev)
			seq++
			if err := fn(&ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// drawOffset returns a request's time of day in milliseconds.
func (p *flowPlan) drawOffset(r *rand.Rand) int64 {
	switch p.pattern {
	case PatternBusinessHours:
		if r.Float64() < p.offHoursShare {
			return r.Int64N(dayMS)
		}
		// The mean of two uniforms peaks mid-window, like office traffic.
		u := (r.Float64() + r.Float64()) / 2
		return p.startMS + int64(u*float64(p.endMS-p.startMS))
	case PatternAroundTheClock:
		for {
			x := r.Int64N(dayMS)
			h := float64(x) / 3.6e6
			if r.Float64()*1.5 < 1+0.5*math.Cos(2*math.Pi*(h-14)/24) {
				return x
			}
		}
	}
	return p.startMS + r.Int64N(max(1, p.endMS-p.startMS))
}

func (d Dist) draw(r *rand.Rand) int64 {
	if d.Median <= 0 {
		return 0
	}
	v := int64(math.Round(d.Median * math.Exp(d.Sigma*r.NormFloat64())))
	v = max(v, d.Min)
	if d.Max > 0 {
		v = min(v, d.Max)
	}
	return v
}

// build fills e with the record of flow f at ts. The number of draws from r
// depends only on the workload, never on the output format.
func (g *gen) build(r *rand.Rand, f int, ts time.Time, seq int64, e *Event) {
	p := &g.flows[f]
	wf := p.wf
	*e = Event{Seq: seq, Flow: wf, FlowIndex: f, ID: r.Uint64()}
	rec := &e.Rec
	rec.TS = ts
	rec.RequestID = requestID(e.ID)
	rec.Provider = wf.Provider
	rec.Model = wf.Model
	rec.Workflow = wf.Name
	rec.Source = wf.Source
	rec.Mode = p.mode
	rec.UserWaiting = p.userWaiting
	rec.LatencyMS, rec.TTFTMS = -1, -1
	rec.MaxTokens = wf.MaxTokens
	rec.Team = wf.Team
	rec.Tags = wf.Tags
	rec.Status = audit.StatusOK

	u, hit, frac := r.Float64(), r.Float64(), r.Float64()
	input, output := wf.Input.draw(r), wf.Output.draw(r)
	reasonJitter, speedJitter := r.Float64(), r.Float64()
	ttft := wf.TTFT.draw(r)

	batch := p.mode == pricing.ModeBatch
	switch {
	case batch && u < wf.ErrorShare:
		rec.Status = audit.StatusError
	case batch && u < wf.ErrorShare+wf.ExpiredShare:
		rec.Status = audit.StatusExpired
	case batch && u < wf.ErrorShare+wf.ExpiredShare+wf.CancelShare:
		rec.Status = audit.StatusCancelled
	case !batch && u < wf.CancelShare:
		rec.Status = audit.StatusCancelled
	case !batch && u < wf.CancelShare+wf.ErrorShare:
		rec.Status = audit.StatusError
	}
	if rec.Status == audit.StatusError || rec.Status == audit.StatusExpired || (batch && rec.Status == audit.StatusCancelled) {
		// Not run or failed: providers report no usage for these.
		g.finish(e)
		return
	}
	if c := wf.Cache; c.PrefixTokens > 0 {
		switch {
		case hit < c.HitRate:
			rec.CacheReadTokens = c.PrefixTokens
		case c.Write == "5m":
			rec.CacheWrite5mTokens = c.PrefixTokens
		case c.Write == "1h":
			rec.CacheWrite1hTokens = c.PrefixTokens
		default:
			input += c.PrefixTokens
		}
	}
	rec.InputTokens = input
	if wf.MaxTokens > 0 && output >= wf.MaxTokens {
		output = wf.MaxTokens
		e.Truncated = true
	}
	if rec.Status == audit.StatusCancelled {
		output = max(1, int64(math.Round(float64(output)*(0.05+0.75*frac))))
		e.Truncated = false
	}
	rec.OutputTokens = output
	if wf.ReasoningShare > 0 {
		share := min(0.95, wf.ReasoningShare*(0.5+reasonJitter))
		rec.ReasoningTokens = int64(math.Floor(float64(output) * share))
	}
	if !batch && wf.TokensPerSecond > 0 {
		gen := float64(output) / (wf.TokensPerSecond * (0.8 + 0.4*speedJitter)) * 1000
		if p.mode == pricing.ModeStream {
			rec.TTFTMS = max(1, ttft)
			rec.LatencyMS = rec.TTFTMS + int64(gen)
		} else {
			rec.LatencyMS = 150 + int64(float64(rec.Usage().TotalInput())/40) + int64(gen)
		}
	}
	if wf.LoggedCost {
		rec.LoggedCostUSD = LoggedCost(rec)
	}
	g.finish(e)
}

// finish removes the hints when the options say so.
func (g *gen) finish(e *Event) {
	if !g.opts.StripHints {
		return
	}
	rec := &e.Rec
	rec.Source, rec.Mode, rec.UserWaiting = "", "", -1
	rec.LatencyMS, rec.TTFTMS, rec.MaxTokens = -1, -1, 0
	rec.Team, rec.Tags, rec.LoggedCostUSD = "", nil, ""
}

const hexDigits = "0123456789abcdef"

func appendHex(b []byte, id uint64) []byte {
	for s := 60; s >= 0; s -= 4 {
		b = append(b, hexDigits[(id>>uint(s))&0xf])
	}
	return b
}

func requestID(id uint64) string { return string(appendHex([]byte("req_"), id)) }
