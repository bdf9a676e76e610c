package classify

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/internal/numfmt"
)

// The arrival classifier reads the minute counts of a workflow for
// evidence that separates machines from people. Volume is not such
// evidence: a crowd arriving at 09:00 every weekday is as dense as a cron
// job. Shape is:
//
//   - a run (requests with no gap over runGapMinutes) that starts within
//     onsetToleranceMS of the same instant every hour, day or week, at full
//     speed from its first minute (a scheduler fires; a crowd ramps and its
//     first arrival drifts by minutes from day to day);
//   - a long run at a steady pace: per-minute counts that vary less than
//     their mean (a Fano factor under paceFano), which independent
//     arrivals of people never do, since they vary at least as much as a
//     Poisson count;
//   - a schedule every 5 to 30 minutes, read from runs cut at silences
//     over fineGapMinutes (its silences are shorter than runGapMinutes);
//   - daily or weekly runs whose starts spread up to looseToleranceMS (a
//     random start delay) but whose per-minute counts inside the runs vary
//     so little that a Poisson count would do it with a chance under
//     loosePaceP.
//
// A run that bursts at its onset and then trickles (see collapses) is a
// crowd answering a bell, not a scheduler.
//
// Everything else, however regular, could be people.
const (
	// minPatternRequests is the fewest requests a pattern is read from.
	minPatternRequests = 20
	// runGapMinutes is the longest silence inside one run.
	runGapMinutes = 15
	// fineGapMinutes is the longest silence inside one run of a schedule
	// under an hour (every 5 to 30 minutes).
	fineGapMinutes = 2
	// minRunRequests is the fewest requests of a run that can show a
	// schedule.
	minRunRequests = 3
	// onsetToleranceMS is how close (in milliseconds) the starts of the
	// runs of one schedule must be, modulo its period.
	onsetToleranceMS = 20_000
	// familyCoverage is the share of the schedule's occurrences inside the
	// data window that must hold a run (5 of 7 days is 0.71: a weekday cron).
	familyCoverage = 0.6
	// steepShare is the share of a schedule's runs that must start at full
	// speed.
	steepShare = 0.7
	// familyMinRate is the fewest requests per minute of the median run of
	// a schedule longer than five minutes.
	familyMinRate = 1.0
	// paceMinutes, paceMinRate and paceFano: a run of at least paceMinutes
	// minutes, at least paceMinRate requests per minute, whose per-minute
	// counts have a variance under paceFano times their mean, is paced by a
	// machine.
	paceMinutes = 60
	paceMinRate = 2.0
	paceFano    = 0.4
	// shortPaceMinutes and shortPaceP: a run of half an hour or more is
	// paced by a machine when a Poisson count would vary as little with a
	// chance under one in a million (at 30 minutes, a Fano factor under
	// about 0.2).
	shortPaceMinutes = 30
	shortPaceP       = 1e-6
	// machineShare is the share of requests in machine runs that makes a
	// workflow scheduled on arrival evidence alone; mixedShare the share
	// above which the rest is a second population (a mixed workflow).
	machineShare = 0.95
	mixedShare   = 0.1
	// secondPopShare and secondPopMin: traffic outside machine runs of at
	// least this share and count is a second population.
	secondPopShare = 0.01
	secondPopMin   = 10
	// looseToleranceMS is how far the starts of a daily or weekly schedule
	// may spread when its runs keep a machine's pace (a scheduler with a
	// random start delay, such as systemd's RandomizedDelaySec).
	looseToleranceMS = 10 * msPerMinute
	// loosePaceP, loosePaceDF and loosePaceRate: the per-minute counts
	// inside those runs (each run's first and last minute left out), pooled
	// over the runs, must vary so little that a Poisson count (people
	// arriving independently; real crowds vary more) would do it with a
	// chance under loosePaceP (a chi-squared test of their Fano factor, at
	// least loosePaceDF degrees of freedom: at 10, a Fano factor under
	// about 0.2), at loosePaceRate requests a minute or more, and under
	// loosePaceFano whatever the degrees of freedom: a fixed number of
	// people each acting once inside a few minutes spreads over them as a
	// multinomial count, whose Fano factor is 1 − 1/k over k minutes (0.5
	// to 0.8 for runs of a few minutes), not 1.
	loosePaceP    = 0.005
	loosePaceFano = 0.2
	loosePaceDF   = 10
	loosePaceRate = 10.0
	// OfficeStart and OfficeEnd bound the working day (Mon–Fri, report
	// zone) that lowers the confidence of a machine schedule.
	OfficeStart = 8
	OfficeEnd   = 18
)

const (
	msPerMinute = 60_000
	msPerHour   = 3_600_000
	msPerDay    = 86_400_000
	msPerWeek   = 7 * msPerDay
)

// Window is the time span of the whole data set in Unix milliseconds,
// from the first request of any workflow to the last: a schedule is
// expected to fire at every occurrence of its time inside it, partial
// edge days included.
type Window struct{ StartMS, EndMS int64 }

// Days returns the length of the window in days.
func (w Window) Days() float64 { return float64(w.EndMS-w.StartMS) / msPerDay }

// WindowOf is the Window of every workflow's minute counts; when none
// has minute counts (an aggregate read back from a file) it is the span
// of the 10-minute bins.
func WindowOf(wfs []*aggregate.WorkflowStats) Window {
	w := Window{StartMS: math.MaxInt64, EndMS: math.MinInt64}
	for _, s := range wfs {
		for m, c := range s.Arrival.Minutes {
			w.StartMS = min(w.StartMS, m*msPerMinute+int64(c.FirstMS))
			w.EndMS = max(w.EndMS, m*msPerMinute+msPerMinute-1)
		}
	}
	if w.StartMS > w.EndMS {
		for _, s := range wfs {
			for k := range s.Arrival.Bins {
				w.StartMS = min(w.StartMS, k*aggregate.BinMinutes*msPerMinute)
				w.EndMS = max(w.EndMS, (k+1)*aggregate.BinMinutes*msPerMinute-1)
			}
		}
	}
	if w.StartMS > w.EndMS {
		return Window{}
	}
	return w
}

// run is one stretch of requests without a gap over runGapMinutes.
type run struct {
	startMS     int64   // first request, Unix ms
	first, last int64   // Unix minutes of the first and last request
	n           int64   // requests
	counts      []int64 // per minute from first to last
	firstMS     []int32 // earliest arrival of each minute, ms into it; -1 when none
	edge        bool    // starts at the window's start: its onset is not seen
	steep       bool    // at full speed from its first minute
	paced       bool    // a long run at a machine's steady pace
	fano        float64
	machine     bool // part of a schedule or paced
}

func (r *run) minutes() int64 { return r.last - r.first + 1 }

func (r *run) rate() float64 { return float64(r.n) / float64(r.minutes()) }

// family is the runs of one schedule: every period, at one phase.
type family struct {
	period     int64 // ms: msPerHour, msPerDay or msPerWeek
	runs       []*run
	n          int64
	expected   int64 // occurrences of the phase inside the window
	phaseLo    int64 // earliest and latest start, ms modulo period
	phaseHi    int64
	steep      int // runs at full speed from their first minute
	medianMins int64
	crossesMid bool // a run crosses midnight in the report's zone
	late       []*run
	// loose marks a schedule whose starts spread up to looseToleranceMS
	// (a random start delay), found by the machine pace inside its runs;
	// fano and fanoDF are that pace: the pooled within-run Fano factor and
	// its degrees of freedom.
	loose   bool
	fano    float64
	fanoDF  int
	shifted []*run // runs an hour off the phase after (or before) a clock change
}

// arrival is what the arrival counts of one workflow say.
type arrival struct {
	n      int64
	win    Window
	tz     *time.Location
	tzName string
	// minutes reports that minute counts exist (not an aggregate file).
	minutes bool
	mins    map[int64]aggregate.MinuteCell

	runs     []*run
	families []*family
	paced    []*run
	// subPeriod is the period (ms) of a schedule under an hour found at
	// the fine gap, 0 when none: then the runs are cut at fineGapMinutes.
	subPeriod int64
	bell      *family // runs that start like a schedule but collapse after their onset
	machineN  int64   // requests in machine runs
	edgeN     int64   // requests in runs cut by the window start
	restN     int64   // requests in neither

	// The rest (people or unknown), described in the report's zone.
	restWeekday [7]int64
	restHour    [24]int64
	restOnsets  []int64               // ms of day (report zone) of the first request of each day's largest rest run
	restDays    map[string]*[24]int64 // rest requests per day and hour (report zone)
}

func analyzeArrival(s *aggregate.ArrivalStats, n int64, tz *time.Location, win Window) *arrival {
	a := &arrival{n: n, win: win, tz: tz, tzName: tz.String(), minutes: len(s.Minutes) > 0, mins: s.Minutes}
	if n == 0 {
		return a
	}
	if !a.minutes {
		// An aggregate file: the 10-minute bins describe when the traffic
		// comes, but not how runs start.
		for k, c := range s.BinCounts() {
			t := time.UnixMilli(k * aggregate.BinMinutes * msPerMinute).In(tz)
			a.addRest(t, c)
		}
		return a
	}
	keys := make([]int64, 0, len(s.Minutes))
	for m := range s.Minutes {
		keys = append(keys, m)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	a.runs = buildRuns(keys, s.Minutes, runGapMinutes)
	a.markRuns()
	// A job every few minutes leaves silences shorter than the gap that
	// ends a run: read at a finer gap, its runs may show the schedule.
	if fine := buildRuns(keys, s.Minutes, fineGapMinutes); len(fine) > len(a.runs) {
		coarse := a.runs
		a.runs = fine
		a.markRuns()
		if p := a.subHourlyPeriod(); p > 0 {
			a.subPeriod = p
		} else {
			a.runs = coarse
		}
	}
	a.findFamilies()
	a.findLooseFamilies()
	a.findBell()
	a.markLate()
	for _, r := range a.runs {
		if r.paced && !r.machine {
			r.machine = true
			a.paced = append(a.paced, r)
		}
		switch {
		case r.machine:
			a.machineN += r.n
		case r.edge:
			a.edgeN += r.n
		default:
			a.restN += r.n
		}
	}
	a.describeRest()
	return a
}

// buildRuns cuts the minute counts (keys sorted) into runs at silences
// over gap minutes.
func buildRuns(keys []int64, mins map[int64]aggregate.MinuteCell, gap int64) []*run {
	var runs []*run
	var cur *run
	for _, m := range keys {
		c := mins[m]
		if cur == nil || m-cur.last > gap {
			cur = &run{startMS: m*msPerMinute + int64(c.FirstMS), first: m, last: m - 1}
			runs = append(runs, cur)
		}
		for cur.last+1 < m {
			cur.counts = append(cur.counts, 0)
			cur.firstMS = append(cur.firstMS, -1)
			cur.last++
		}
		cur.counts = append(cur.counts, c.N)
		cur.firstMS = append(cur.firstMS, c.FirstMS)
		cur.last = m
		cur.n += c.N
	}
	return runs
}

// markRuns sets the edge, steep and pace marks of every run.
func (a *arrival) markRuns() {
	for _, r := range a.runs {
		r.edge = r.startMS-a.win.StartMS < runGapMinutes*msPerMinute
		r.steep = steepStart(r) && plateau(r) && !collapses(r)
		r.fano, r.paced = pace(r)
	}
}

// subHourlyPeriods are the periods under an hour a schedule is looked for
// at, in minutes: those that divide an hour.
var subHourlyPeriods = []int64{5, 10, 15, 20, 30}

// subHourlyPeriod returns the period (ms) of the schedule under an hour
// that holds half of the requests or more among a.runs, 0 when there is
// none.
func (a *arrival) subHourlyPeriod() int64 {
	var pool []*run
	for _, r := range a.runs {
		if r.n >= minRunRequests {
			pool = append(pool, r)
		}
	}
	var best *family
	for _, p := range subHourlyPeriods {
		if f := a.bestFamily(pool, p*msPerMinute); f != nil && (best == nil || f.n > best.n) {
			best = f
		}
	}
	if best == nil || 2*best.n < a.n {
		return 0
	}
	return best.period
}

// steepStart: the run's first two minutes hold at least the median count
// of its active minutes (a machine starts at full speed; a crowd ramps).
// Runs of at most two minutes are steep.
func steepStart(r *run) bool {
	if len(r.counts) <= 2 {
		return true
	}
	var active []float64
	for _, c := range r.counts {
		if c > 0 {
			active = append(active, float64(c))
		}
	}
	sort.Float64s(active)
	med := stat.Quantile(0.5, stat.Empirical, active, nil)
	return float64(r.counts[0]+r.counts[1]) >= med
}

// plateau: a run of five minutes or more keeps its pace rather than
// decaying: the first third of its minutes holds no more than three times
// the rate of the last third (its final minute left out). A crowd answering
// the same trigger arrives at once and then thins out; a job keeps going
// until its work is done.
func plateau(r *run) bool {
	if len(r.counts) < 5 {
		return true
	}
	c := r.counts[:len(r.counts)-1]
	k := len(c) / 3
	var head, tail int64
	for _, x := range c[:k] {
		head += x
	}
	for _, x := range c[len(c)-k:] {
		tail += x
	}
	return head <= 3*tail
}

// collapseRatio is how many times its later rate a run's first two
// minutes may hold: a machine keeps going at the speed it started with; a
// crowd answering a bell arrives at once, then asks at its own pace.
const collapseRatio = 3

// collapses: a run of five minutes or more whose first two minutes hold
// more than collapseRatio times the rate of the minutes after them (its
// final minute left out): a burst at the onset, then a trickle, as people
// who all arrive at a bell and then work at human pace produce.
func collapses(r *run) bool {
	if len(r.counts) < 5 {
		return false
	}
	var head, body int64
	for _, x := range r.counts[:2] {
		head += x
	}
	rest := r.counts[2 : len(r.counts)-1]
	for _, x := range rest {
		body += x
	}
	return float64(head)/2 > collapseRatio*float64(body)/float64(len(rest))
}

// pace returns the Fano factor (variance over mean) of the run's
// per-minute counts without its first and last minute, and whether the
// run is long and fast enough and steady enough to be a machine's: an
// hour or more under paceFano, or half an hour or more so steady that a
// Poisson count (people arriving independently) would be that steady
// with a chance under shortPaceP. The factor is NaN for runs too short or
// too slow to be read, and for short runs that fail.
func pace(r *run) (float64, bool) {
	if r.minutes() < shortPaceMinutes || len(r.counts) < 3 {
		return math.NaN(), false
	}
	x := make([]float64, 0, len(r.counts)-2)
	for _, c := range r.counts[1 : len(r.counts)-1] {
		x = append(x, float64(c))
	}
	mean, v := stat.MeanVariance(x, nil)
	if mean < paceMinRate {
		return math.NaN(), false
	}
	f := v / mean
	if r.minutes() >= paceMinutes {
		return f, f <= paceFano
	}
	if poissonChance(f, len(x)-1) <= shortPaceP {
		return f, true
	}
	return math.NaN(), false
}

// findFamilies groups the runs into schedules: the runs whose starts fall
// within onsetToleranceMS of one phase of an hour, a day or a week, that
// cover familyCoverage of that phase's occurrences in the window. The
// schedule covering most requests is taken first.
func (a *arrival) findFamilies() {
	// Runs at the start of the data may have been cut, but one that starts
	// at a schedule's time is that schedule's run.
	var pool []*run
	for _, r := range a.runs {
		if r.n >= minRunRequests {
			pool = append(pool, r)
		}
	}
	for len(pool) >= 1 {
		var best *family
		for _, p := range a.periods() {
			f := a.bestFamily(pool, p)
			if f != nil && (best == nil || f.n > best.n) {
				best = f
			}
		}
		if best == nil {
			return
		}
		a.families = append(a.families, best)
		in := map[*run]bool{}
		for _, r := range best.runs {
			in[r] = true
			r.machine = true
		}
		rest := pool[:0]
		for _, r := range pool {
			if !in[r] {
				rest = append(rest, r)
			}
		}
		pool = rest
	}
}

// findLooseFamilies looks, among the runs outside every schedule, for
// daily or weekly schedules whose starts spread up to looseToleranceMS but
// whose runs keep a machine's pace (see withinRunPace): a cron with a
// random start delay. The onset alone is what a crowd could produce; the
// pace inside the runs is not.
func (a *arrival) findLooseFamilies() {
	for {
		var pool []*run
		for _, r := range a.runs {
			if !r.machine && r.n >= minRunRequests {
				pool = append(pool, r)
			}
		}
		var best *family
		for _, p := range []int64{msPerDay, msPerWeek} {
			f := a.bestFamilyTol(pool, p, looseToleranceMS, func(runs []*run) bool {
				fano, df, mean := withinRunPace(runs)
				return df >= loosePaceDF && mean >= loosePaceRate && fano <= loosePaceFano && poissonChance(fano, df) <= loosePaceP
			})
			if f != nil && (best == nil || f.n > best.n) {
				best = f
			}
		}
		if best == nil {
			return
		}
		best.loose = true
		best.fano, best.fanoDF, _ = withinRunPace(best.runs)
		a.families = append(a.families, best)
		for _, r := range best.runs {
			r.machine = true
		}
	}
}

// poissonChance is the chance that counts from a Poisson process give a
// sample Fano factor of fano or less over df degrees of freedom (df·fano
// is then chi-squared with df degrees of freedom).
func poissonChance(fano float64, df int) float64 {
	if math.IsNaN(fano) || df <= 0 {
		return 1
	}
	return distuv.ChiSquared{K: float64(df)}.CDF(float64(df) * fano)
}

// chanceText renders a probability as "of 0.37%", or "under 0.01%".
func chanceText(p float64) string {
	if p < 0.0001 {
		return "under 0.01%"
	}
	return fmt.Sprintf("of %.2f%%", 100*p)
}

// withinRunPace returns the Fano factor of the per-minute counts inside
// the runs (each run's first and last minute left out, as partial
// minutes), the variance pooled around each run's own mean, with its
// degrees of freedom and the mean count.
func withinRunPace(runs []*run) (fano float64, df int, mean float64) {
	var ss, sum float64
	var cells int
	for _, r := range runs {
		if len(r.counts) < 4 {
			continue
		}
		x := r.counts[1 : len(r.counts)-1]
		var m float64
		for _, c := range x {
			m += float64(c)
		}
		m /= float64(len(x))
		for _, c := range x {
			ss += (float64(c) - m) * (float64(c) - m)
			sum += float64(c)
		}
		cells += len(x)
		df += len(x) - 1
	}
	if df == 0 || sum == 0 {
		return math.NaN(), 0, 0
	}
	mean = sum / float64(cells)
	return ss / float64(df) / mean, df, mean
}

// periods are the periods a schedule is looked for at: hourly, daily,
// weekly, and the one under an hour the runs were cut for.
func (a *arrival) periods() []int64 {
	if a.subPeriod > 0 {
		return []int64{a.subPeriod, msPerHour, msPerDay, msPerWeek}
	}
	return []int64{msPerHour, msPerDay, msPerWeek}
}

// nearTolerance is the modulus and tolerance of near misses and late runs
// of a schedule of the period: within an hour of its time of day, ten
// minutes of its minute of the hour, a sixth of a period under an hour.
func nearTolerance(period int64) (mod, tol int64) {
	switch {
	case period < msPerHour:
		return period, period / 6
	case period == msPerHour:
		return msPerHour, 10 * msPerMinute
	}
	return msPerDay, msPerHour
}

// findBell looks, among the runs left outside every schedule, for one
// that would be a schedule if runs collapsing after their onset (see
// collapses) counted as keeping their pace: the runs of a crowd answering
// a bell. It is evidence against a schedule, never for one.
func (a *arrival) findBell() {
	var pool, flipped []*run
	for _, r := range a.runs {
		if r.machine || r.n < minRunRequests {
			continue
		}
		pool = append(pool, r)
		if !r.steep && collapses(r) && steepStart(r) && plateau(r) {
			r.steep = true
			flipped = append(flipped, r)
		}
	}
	if len(flipped) > 0 {
		for _, p := range a.periods() {
			if f := a.bestFamily(pool, p); f != nil && (a.bell == nil || f.n > a.bell.n) {
				a.bell = f
			}
		}
	}
	for _, r := range flipped {
		r.steep = false
	}
}

// bellEvidence says that the runs of a.bell start like a scheduler's but
// collapse after their onset.
func (a *arrival) bellEvidence() string {
	f := a.bell
	if f == nil {
		return ""
	}
	var head, body, bodyMins int64
	k := 0
	for _, r := range f.runs {
		if !collapses(r) {
			continue
		}
		k++
		head += r.counts[0] + r.counts[1]
		for _, x := range r.counts[2 : len(r.counts)-1] {
			body += x
		}
		bodyMins += int64(len(r.counts) - 3)
	}
	// Most of the runs must collapse: one that does beside a steady one says
	// little.
	if k < 2 || 2*k < len(f.runs) {
		return ""
	}
	when, _ := a.familyWhen(f)
	return fmt.Sprintf("%s of the %s runs that start within seconds of the same time (%s) collapse after their onset: %.1f requests per minute in the first two minutes, then %.1f, as a crowd answering a bell and then working at its own pace does, not a scheduler",
		numfmt.Int(int64(k)), numfmt.Int(int64(len(f.runs))), when, float64(head)/float64(2*k), float64(body)/float64(max(bodyMins, 1)))
}

// markLate marks the runs that start within the near-miss tolerance of a
// schedule's time (see nearMisses) as late runs of that schedule: a job
// whose start slipped, not a second population.
func (a *arrival) markLate() {
	for _, f := range a.families {
		mod, tol := nearTolerance(f.period)
		for _, r := range a.runs {
			if r.machine || r.edge || r.n < minRunRequests {
				continue
			}
			d := floorMod(r.startMS-f.phaseLo, mod)
			if d <= tol || mod-d <= tol {
				r.machine = true
				f.late = append(f.late, r)
			}
		}
	}
}

// minFamilyRuns is the fewest runs of a schedule of each period.
func minFamilyRuns(period int64) int {
	switch period {
	case msPerHour:
		return 6
	case msPerDay:
		return 3
	case msPerWeek:
		return 2
	}
	return 12
}

// phased is a run with the phase of its start modulo a period.
type phased struct {
	p int64
	r *run
}

func (a *arrival) bestFamily(pool []*run, period int64) *family {
	return a.bestFamilyTol(pool, period, onsetToleranceMS, nil)
}

// bestFamilyTol is bestFamily with the runs' starts within tol of one
// phase, and, when paced is not nil, runs that paced accepts.
func (a *arrival) bestFamilyTol(pool []*run, period, tol int64, paced func([]*run) bool) *family {
	ps := make([]phased, len(pool))
	for i, r := range pool {
		ps[i] = phased{floorMod(r.startMS, period), r}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].p < ps[j].p })
	var best *family
	m := len(ps)
	for i := 0; i < m; i++ {
		// runs with phase in [ps[i].p, ps[i].p+tol], circularly
		var runs []*run
		var n int64
		hi := ps[i].p
		for j := 0; j < m; j++ {
			k := (i + j) % m
			d := floorMod(ps[k].p-ps[i].p, period)
			if d > tol {
				break
			}
			runs = append(runs, ps[k].r)
			n += ps[k].r.n
			hi = ps[k].p
		}
		// A schedule kept in local time moves by an hour in UTC when the
		// clocks change: the runs an hour off, all before or all after the
		// others, are the same schedule.
		var shifted []*run
		if period > msPerHour {
			shifted = clockChange(ps, runs, period, ps[i].p, tol)
			for _, r := range shifted {
				n += r.n
			}
		}
		all := append(append([]*run(nil), runs...), shifted...)
		// The larger part names the schedule's time.
		if len(all) < minFamilyRuns(period) || len(shifted) > len(runs) || (best != nil && n <= best.n) {
			continue
		}
		runs, hiMain := all, hi
		// One run per period: two runs in the same period are not a schedule
		// of that period.
		seen := map[int64]bool{}
		dup := false
		for _, r := range runs {
			k := floorDiv(r.startMS, period)
			if seen[k] {
				dup = true
			}
			seen[k] = true
		}
		if dup {
			continue
		}
		// The first run may start a little before its phase is seen: count
		// the occurrences from the tolerance before the data starts.
		exp := occurrences(Window{StartMS: a.win.StartMS - tol, EndMS: a.win.EndMS}, period, ps[i].p)
		if exp == 0 || float64(len(runs)) < familyCoverage*float64(exp) {
			continue
		}
		exp = max(exp, int64(len(runs)))
		steep := 0
		for _, r := range runs {
			if r.steep {
				steep++
			}
		}
		if float64(steep) < steepShare*float64(len(runs)) || !dense(runs) {
			continue
		}
		if nearMisses(pool, runs, period, ps[i].p)*4 >= len(runs) {
			continue
		}
		if paced != nil && !paced(runs) {
			continue
		}
		best = &family{period: period, runs: runs, n: n, expected: exp, phaseLo: ps[i].p, phaseHi: hiMain, steep: steep, shifted: shifted}
	}
	if best != nil {
		mins := make([]float64, len(best.runs))
		for i, r := range best.runs {
			mins[i] = float64(r.minutes())
			st := time.UnixMilli(r.startMS).In(a.tz)
			en := time.UnixMilli(r.last*msPerMinute + msPerMinute - 1).In(a.tz)
			if st.YearDay() != en.YearDay() {
				best.crossesMid = true
			}
		}
		sort.Float64s(mins)
		best.medianMins = int64(stat.Quantile(0.5, stat.Empirical, mins, nil))
	}
	return best
}

// dense: the runs of a schedule, at the median, are short (five minutes
// or less), send at least familyMinRate requests a minute, or keep a
// machine's even spacing (per-minute counts varying under paceFano times
// their mean). A few people trickling in are sparse and uneven, and with
// few arrivals a chance alignment of their first one is likely.
func dense(runs []*run) bool {
	rates := make([]float64, 0, len(runs))
	for _, r := range runs {
		switch {
		case r.minutes() <= 5:
			rates = append(rates, math.Inf(1))
		case r.rate() < familyMinRate && evenlySpaced(r):
			rates = append(rates, math.Inf(1))
		default:
			rates = append(rates, r.rate())
		}
	}
	sort.Float64s(rates)
	return stat.Quantile(0.5, stat.Empirical, rates, nil) >= familyMinRate
}

// evenlySpaced: the run's requests come at even intervals. Where nearly
// every active minute holds one request, its arrival time is known to the
// millisecond and the gaps between them must vary less than half their
// mean (independent arrivals vary as much as their mean); otherwise the
// per-minute counts, first and last minute left out, must vary less than
// paceFano times their mean.
func evenlySpaced(r *run) bool {
	if len(r.counts) < 10 {
		return false
	}
	var active, single int
	for _, c := range r.counts {
		if c > 0 {
			active++
		}
		if c == 1 {
			single++
		}
	}
	if active >= 5 && 10*single >= 9*active {
		var gaps []float64
		prev := int64(-1)
		for i, c := range r.counts {
			if c == 0 {
				continue
			}
			t := (r.first+int64(i))*msPerMinute + int64(r.firstMS[i])
			if prev >= 0 && c == 1 && r.counts[lastActive(r.counts, i)] == 1 {
				gaps = append(gaps, float64(t-prev))
			}
			prev = t
		}
		if len(gaps) >= 4 {
			mean, sd := stat.MeanStdDev(gaps, nil)
			return mean > 0 && sd <= 0.5*mean
		}
	}
	x := make([]float64, 0, len(r.counts)-2)
	for _, c := range r.counts[1 : len(r.counts)-1] {
		x = append(x, float64(c))
	}
	mean, v := stat.MeanVariance(x, nil)
	return mean > 0 && v/mean <= paceFano
}

// lastActive returns the index of the last minute before i with requests.
func lastActive(counts []int64, i int) int {
	for j := i - 1; j >= 0; j-- {
		if counts[j] > 0 {
			return j
		}
	}
	return i
}

// clockChange returns the runs of ps (sorted by phase modulo period) that
// start within tol either side of an hour before or after
// phase, when they
// all start before, or all after, every run of main: one schedule kept in a
// zone whose clocks changed. It returns nil when there are none.
func clockChange(ps []phased, main []*run, period, phase, tol int64) []*run {
	first, last := main[0].startMS, main[0].startMS
	in := map[*run]bool{}
	for _, r := range main {
		first, last = min(first, r.startMS), max(last, r.startMS)
		in[r] = true
	}
	for _, shift := range []int64{msPerHour, -msPerHour} {
		var got []*run
		before, after := true, true
		for _, x := range ps {
			if in[x.r] {
				continue
			}
			if d := floorMod(x.p-(phase+shift), period); d <= tol || period-d <= tol {
				got = append(got, x.r)
				before = before && x.r.startMS < first
				after = after && x.r.startMS > last
			}
		}
		if len(got) > 0 && (before || after) {
			return got
		}
	}
	return nil
}

// nearMisses counts the runs of pool outside the family that start near
// its time without matching it: within an hour of its time of day (daily
// and weekly schedules) or ten minutes of its minute of the hour (hourly).
// A crowd that happens to start at the same second on a few days has
// many; a scheduler has none.
func nearMisses(pool, fam []*run, period, phase int64) int {
	in := map[*run]bool{}
	for _, r := range fam {
		in[r] = true
	}
	mod, tol := nearTolerance(period)
	k := 0
	for _, r := range pool {
		if in[r] {
			continue
		}
		d := floorMod(r.startMS-phase, mod)
		if d <= tol || mod-d <= tol {
			k++
		}
	}
	return k
}

// occurrences counts the instants t ≡ phase (mod period) inside the window.
func occurrences(w Window, period, phase int64) int64 {
	if w.EndMS < w.StartMS {
		return 0
	}
	first := w.StartMS + floorMod(phase-w.StartMS, period)
	if first > w.EndMS {
		return 0
	}
	return (w.EndMS-first)/period + 1
}

// describeRest counts the requests outside machine runs by weekday and
// hour in the report's zone, and the onset of each day's largest run.
func (a *arrival) describeRest() {
	mainRun := map[string]*run{}
	for _, r := range a.runs {
		if r.machine || r.edge {
			continue
		}
		for i, c := range r.counts {
			if c == 0 {
				continue
			}
			a.addRest(time.UnixMilli((r.first+int64(i))*msPerMinute).In(a.tz), c)
		}
		day := time.UnixMilli(r.startMS).In(a.tz).Format(time.DateOnly)
		if m := mainRun[day]; m == nil || r.n > m.n {
			mainRun[day] = r
		}
	}
	days := make([]string, 0, len(mainRun))
	for d := range mainRun {
		days = append(days, d)
	}
	sort.Strings(days)
	for _, d := range days {
		r := mainRun[d]
		if r.n < minRunRequests {
			continue
		}
		t := time.UnixMilli(r.startMS).In(a.tz)
		a.restOnsets = append(a.restOnsets, int64(t.Hour()*3600+t.Minute()*60+t.Second())*1000)
	}
}

// addRest counts c requests outside machine runs at t (report zone).
func (a *arrival) addRest(t time.Time, c int64) {
	a.restWeekday[t.Weekday()] += c
	a.restHour[t.Hour()] += c
	if a.restDays == nil {
		a.restDays = map[string]*[24]int64{}
	}
	d := t.Format(time.DateOnly)
	if a.restDays[d] == nil {
		a.restDays[d] = &[24]int64{}
	}
	a.restDays[d][t.Hour()] += c
	if !a.minutes {
		a.restN += c
	}
}

// counted is the number of requests the shares are taken over: all but
// those in a run cut by the window start.
func (a *arrival) counted() int64 { return a.n - a.edgeN }

// machineFrac is the share of the counted requests in machine runs.
func (a *arrival) machineFrac() float64 {
	if a.counted() <= 0 {
		return 0
	}
	return float64(a.machineN) / float64(a.counted())
}

// secondPopulation: enough requests outside machine runs to be people.
func (a *arrival) secondPopulation() bool {
	return a.restN >= secondPopMin && float64(a.restN) >= secondPopShare*float64(a.counted())
}

// recurring: outside the machine runs, nearly all requests (90%) fall in
// the same two hours of the day (report zone), on most days of the window.
// A crowd does this too, so it counts only where the hints already say
// nobody waits.
func (a *arrival) recurring() bool {
	_, l, share, days := a.restSlot()
	return a.restN >= minPatternRequests && a.win.Days() >= 1.5 && l <= 2 && share >= 0.9 &&
		float64(days) >= familyCoverage*math.Floor(a.win.Days()) &&
		float64(a.machineN+a.restN) >= machineShare*float64(a.counted())
}

// restSlot returns the narrowest run of at most two hours holding 90% of
// the rest (start hour, hours, share) and the number of days with requests
// in it.
func (a *arrival) restSlot() (start, length int, share float64, days int) {
	for l := 1; l <= 2; l++ {
		var best int64 = -1
		bs := 0
		for s := 0; s < 24; s++ {
			sum := a.restHour[s] + a.restHour[(s+1)%24]*int64(l-1)
			if sum > best {
				best, bs = sum, s
			}
		}
		if float64(best) >= 0.9*float64(a.restN) || l == 2 {
			for _, h := range a.restDays {
				if h[bs] > 0 || (l == 2 && h[(bs+1)%24] > 0) {
					days++
				}
			}
			return bs, l, float64(best) / float64(max(a.restN, 1)), days
		}
	}
	return 0, 0, 0, 0
}

// recurringEvidence describes the recurring slot.
func (a *arrival) recurringEvidence() string {
	st, l, share, days := a.restSlot()
	return fmt.Sprintf("%s of %s arrive %02d:00–%02d:00 %s, on %d days of the data window: a daily schedule, since nobody waits",
		numfmt.Percent(int64(math.Round(share*float64(a.restN))), a.n), numfmt.Count(a.n, "request"), st, (st+l)%24, a.tzName, days)
}

// machine: arrival evidence alone says a machine sends (nearly) all of it.
func (a *arrival) machine() bool {
	return a.n >= minPatternRequests && 2*a.machineN > a.n && a.machineFrac() >= machineShare && !a.secondPopulation()
}

// mixed: machine runs carry a tenth of the requests or more (and 20),
// and a second population remains.
func (a *arrival) mixed() bool {
	return a.n >= minPatternRequests && a.machineN >= minPatternRequests && a.machineFrac() >= mixedShare && a.secondPopulation()
}

// schedConfidence is the confidence of a scheduled verdict from the
// machine runs: the number of runs seen, lowered one step when the runs
// keep office hours (weekdays only, inside the working day).
func (a *arrival) schedConfidence() string {
	runs := 0
	for _, f := range a.families {
		runs += len(f.runs)
	}
	runs += len(a.paced)
	conf := ConfidenceLow
	switch {
	case runs >= 7 || (len(a.families) > 0 && a.families[0].period == msPerWeek && runs >= 4):
		conf = ConfidenceHigh
	case runs >= 2:
		conf = ConfidenceMedium
	}
	if a.officeHours() {
		conf = lower(conf)
	}
	// Starts that spread by minutes speak against a scheduler, though the
	// pace inside the runs speaks for one.
	if len(a.families) > 0 && a.families[0].loose {
		conf = lower(conf)
	}
	return conf
}

func lower(c string) string {
	switch c {
	case ConfidenceHigh:
		return ConfidenceMedium
	}
	return ConfidenceLow
}

// officeHours: every machine run starts Monday to Friday between 08:00
// and 18:00 in the report's zone, and the window holds a weekend.
func (a *arrival) officeHours() bool {
	if a.win.Days() < 7 {
		return false
	}
	any := false
	for _, r := range a.runs {
		if !r.machine {
			continue
		}
		any = true
		t := time.UnixMilli(r.startMS).In(a.tz)
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday || t.Hour() < OfficeStart || t.Hour() >= OfficeEnd {
			return false
		}
	}
	return any
}

// machineEvidence describes the machine runs, largest first.
func (a *arrival) machineEvidence() []string {
	var ev []string
	for i, f := range a.families {
		if i == maxFamilyLines-1 && len(a.families) > maxFamilyLines {
			ev = append(ev, a.moreFamilies(a.families[i:]))
			break
		}
		ev = append(ev, a.familyEvidence(f))
	}
	if len(a.paced) > 0 {
		var n int64
		var mins int64
		var fanos []float64
		for _, r := range a.paced {
			n += r.n
			mins += r.minutes()
			fanos = append(fanos, r.fano)
		}
		sort.Float64s(fanos)
		r0 := a.paced[0]
		what := fmt.Sprintf("in %d runs of %s on average", len(a.paced), fmtDuration(mins/int64(len(a.paced))))
		if len(a.paced) == 1 {
			what = fmt.Sprintf("in one run of %s from %s", fmtDuration(r0.minutes()), time.UnixMilli(r0.startMS).In(a.tz).Format("Mon 2 Jan 15:04 MST"))
		}
		ev = append(ev, fmt.Sprintf("%s of %s arrive %s at a steady %s requests per minute (the variance of the per-minute counts is %.2f× their mean; people arriving independently give at least 1×): paced by a machine",
			numfmt.Int(n), numfmt.Count(a.n, "request"), what, numfmt.Int(int64(math.Round(float64(n)/float64(mins)))), fanos[len(fanos)/2]))
	}
	if a.officeHours() {
		ev = append(ev, fmt.Sprintf("but every run starts Mon–Fri %02d:00–%02d:00 %s, when people work: confidence lowered", OfficeStart, OfficeEnd, a.tzName))
	}
	return ev
}

// maxFamilyLines is the most schedules described one line each; the rest
// share one line.
const maxFamilyLines = 3

// moreFamilies sums up the schedules fs in one line: their requests and
// their times in the report's zone.
func (a *arrival) moreFamilies(fs []*family) string {
	var n int64
	var runs int
	var times []string
	for _, f := range fs {
		n += f.n
		runs += len(f.runs)
		t := time.UnixMilli(f.runs[0].startMS - floorMod(f.runs[0].startMS, f.period) + f.phaseLo).In(a.tz)
		switch {
		case f.period < msPerHour:
			times = append(times, subHourlyWhen(t, t, f.period))
		case f.period == msPerHour:
			times = append(times, "hourly at :"+t.Format("04:05"))
		case f.period == msPerDay:
			times = append(times, "daily at "+t.Format("15:04:05"))
		default:
			times = append(times, t.Weekday().String()+"s at "+t.Format("15:04:05"))
		}
	}
	return fmt.Sprintf("%s more of the %s are in %d runs of %d more schedules of the same kind, starting %s %s",
		numfmt.Int(n), numfmt.Count(a.n, "request"), runs, len(fs), strings.Join(times, ", "), a.tzName)
}

// subHourlyWhen renders the start times lo–hi of a schedule of a period
// under an hour (which divides an hour), e.g. "every 15 minutes, at
// :00:02–:00:04, :15:02–:15:04, :30:02–:30:04 and :45:02–:45:04 past each
// hour".
func subHourlyWhen(lo, hi time.Time, period int64) string {
	into := func(t time.Time) int64 {
		return int64(t.Minute())*msPerMinute + int64(t.Second())*1000 + int64(t.Nanosecond()/1e6)
	}
	span := hi.Sub(lo)
	lo = lo.Add(-time.Duration(into(lo)-floorMod(into(lo), period)) * time.Millisecond)
	hi = lo.Add(span)
	var slots []string
	k := msPerHour / period
	for i := int64(0); i < k; i++ {
		if k > 4 && i == 2 {
			slots = append(slots, "…")
			break
		}
		off := time.Duration(i*period) * time.Millisecond
		slots = append(slots, ":"+strings.ReplaceAll(clockRange(lo.Add(off), hi.Add(off), "04:05"), "–", "–:"))
	}
	list := strings.Join(slots, ", ")
	if k <= 4 {
		list = strings.Join(slots[:k-1], ", ") + " and " + slots[k-1]
	}
	return fmt.Sprintf("every %d minutes, at %s past each hour", period/msPerMinute, list)
}

// clockRange renders the start times lo and hi with layout, once when
// they read the same.
func clockRange(lo, hi time.Time, layout string) string {
	if lo.Format(layout) == hi.Format(layout) {
		return lo.Format(layout)
	}
	return lo.Format(layout) + "–" + hi.Format(layout)
}

// familyWhen renders when the runs of f start, e.g. "daily at 02:00:01
// Europe/London", and the unit its occurrences are counted in.
func (a *arrival) familyWhen(f *family) (when, unit string) {
	lo := time.UnixMilli(f.runs[0].startMS - floorMod(f.runs[0].startMS, f.period) + f.phaseLo).In(a.tz)
	hi := lo.Add(time.Duration(floorMod(f.phaseHi-f.phaseLo, f.period)) * time.Millisecond)
	if f.period < msPerHour {
		return subHourlyWhen(lo, hi, f.period), fmt.Sprintf("%d-minute slots", f.period/msPerMinute)
	}
	switch f.period {
	case msPerHour:
		when = "every hour at :" + strings.ReplaceAll(clockRange(lo, hi, "04:05"), "–", "–:")
		unit = "hours"
	case msPerDay:
		when = fmt.Sprintf("daily at %s %s", clockRange(lo, hi, "15:04:05"), a.tzName)
		if s := a.offsetChange(f); s != "" {
			when = fmt.Sprintf("daily within %s of one instant (%s: a schedule kept in a zone whose clocks did not change)", fmtDurationMS(floorMod(f.phaseHi-f.phaseLo, f.period)), s)
		}
		unit = "days"
		if wd := runWeekdays(f.runs, a.tz); wd != "" && a.win.Days() >= 7 {
			when += " on " + wd + " only"
		}
	default:
		when = fmt.Sprintf("weekly on %ss at %s %s", lo.Weekday(), clockRange(lo, hi, "15:04:05"), a.tzName)
		unit = lo.Weekday().String() + "s"
	}
	return when, unit
}

// offsetChange describes the local start times of the runs of a daily
// schedule, in the report's zone, before and after each change of the
// zone's offset, e.g. "at 01:00:28–01:09:29 Australia/Sydney until Sat 3
// Oct, at 02:04:10–02:08:00 from Sun 4 Oct"; "" when the zone's offset is
// the same at every start or f holds runs an hour off (a schedule kept in
// the report's zone, described by clockChangeEvidence).
func (a *arrival) offsetChange(f *family) string {
	if len(f.shifted) > 0 {
		return ""
	}
	runs := append([]*run(nil), f.runs...)
	sort.Slice(runs, func(i, j int) bool { return runs[i].startMS < runs[j].startMS })
	type group struct {
		off   int
		ms    []int64
		first time.Time
		last  time.Time
	}
	var gs []*group
	for _, r := range runs {
		t := time.UnixMilli(r.startMS).In(a.tz)
		_, off := t.Zone()
		if len(gs) == 0 || gs[len(gs)-1].off != off {
			gs = append(gs, &group{off: off, first: t})
		}
		g := gs[len(gs)-1]
		g.ms = append(g.ms, int64(t.Hour()*3600+t.Minute()*60+t.Second())*1000+int64(t.Nanosecond()/1e6))
		g.last = t
	}
	if len(gs) < 2 {
		return ""
	}
	var parts []string
	for i, g := range gs {
		lo, hi := circularSpread(g.ms, msPerDay)
		at := "at " + clockMS(lo)
		if clockMS(lo) != clockMS(hi) {
			at += "–" + clockMS(hi)
		}
		if i == 0 {
			at += " " + a.tzName
		}
		switch {
		case i == 0:
			at += " until " + g.last.Format("Mon 2 Jan")
		case i == len(gs)-1:
			at += " from " + g.first.Format("Mon 2 Jan")
		default:
			at += " from " + g.first.Format("Mon 2 Jan") + " to " + g.last.Format("Mon 2 Jan")
		}
		parts = append(parts, at)
	}
	return strings.Join(parts, ", ")
}

func (a *arrival) familyEvidence(f *family) string {
	when, unit := a.familyWhen(f)
	speed := "all at full speed from the first minute and keeping their pace"
	if f.steep < len(f.runs) {
		speed = fmt.Sprintf("%d of them at full speed from the first minute and keeping their pace", f.steep)
	}
	lasting := fmtDuration(f.medianMins)
	if f.medianMins <= 1 {
		lasting = "a minute or less"
	}
	s := fmt.Sprintf("%s of %s are in %d runs that start %s (%d of the %d %s the data window holds that time), %s, lasting %s (median)",
		numfmt.Int(f.n), numfmt.Count(a.n, "request"), len(f.runs), when, len(f.runs), f.expected, unit, speed, lasting)
	if f.crossesMid {
		s += ", across midnight"
	}
	if len(f.shifted) > 0 {
		s += a.clockChangeEvidence(f)
	}
	if len(f.late) > 0 {
		var n int64
		for _, r := range f.late {
			n += r.n
		}
		s += fmt.Sprintf("; %s more are in %s that start later but within %s of that time (late runs)", numfmt.Int(n), numfmt.Count(int64(len(f.late)), "run"), lateTolerance(f.period))
	}
	if f.loose {
		return s + fmt.Sprintf(": their starts spread over %s, more than a scheduler's seconds (a random start delay, such as systemd's RandomizedDelaySec, gives that), but inside the runs the per-minute counts vary %.2f× their mean (pooled over %d runs, %d degrees of freedom; people arriving independently give at least 1×, and vary this little with a chance %s): a machine's pace, which a crowd does not keep",
			fmtDurationMS(floorMod(f.phaseHi-f.phaseLo, f.period)), f.fano, len(f.runs), f.fanoDF, chanceText(poissonChance(f.fano, f.fanoDF)))
	}
	return s + ": a scheduler starts within seconds of the same time, a crowd of people does not"
}

// lateTolerance names how late a late run of a schedule of the period may
// start (see nearTolerance).
func lateTolerance(period int64) string {
	_, tol := nearTolerance(period)
	if tol == msPerHour {
		return "an hour"
	}
	if tol%msPerMinute == 0 {
		return fmt.Sprintf("%d minutes", tol/msPerMinute)
	}
	return fmt.Sprintf("%d s", tol/1000)
}

// clockChangeEvidence describes the runs of f an hour off its phase.
func (a *arrival) clockChangeEvidence(f *family) string {
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	first, last := f.shifted[0], f.shifted[0]
	for _, r := range f.shifted {
		p := floorMod(r.startMS, f.period)
		lo, hi = min(lo, p), max(hi, p)
		if r.startMS < first.startMS {
			first = r
		}
		if r.startMS > last.startMS {
			last = r
		}
	}
	base := first.startMS - floorMod(first.startMS, f.period)
	t0 := time.UnixMilli(base + lo).In(a.tz)
	t1 := time.UnixMilli(base + hi).In(a.tz)
	when := "from " + time.UnixMilli(first.startMS).In(a.tz).Format("Mon 2 Jan") + " on"
	if last.startMS < f.runs[0].startMS || last.startMS < earliestOther(f) {
		when = "until " + time.UnixMilli(last.startMS).In(a.tz).Format("Mon 2 Jan")
	}
	return fmt.Sprintf("; %s, %s of them start an hour off, at %s–%s %s: a schedule kept in a zone whose clocks changed",
		when, numfmt.Count(int64(len(f.shifted)), "run"), t0.Format("15:04:05"), t1.Format("15:04:05"), a.tzName)
}

// earliestOther is the first start among f's runs that are not shifted.
func earliestOther(f *family) int64 {
	in := map[*run]bool{}
	for _, r := range f.shifted {
		in[r] = true
	}
	first := int64(math.MaxInt64)
	for _, r := range f.runs {
		if !in[r] {
			first = min(first, r.startMS)
		}
	}
	return first
}

// runWeekdays names the weekdays (report zone) of the runs when they skip
// some weekdays, e.g. "Mon–Fri"; "" when every weekday has runs.
func runWeekdays(runs []*run, tz *time.Location) string {
	var has [7]bool
	k := 0
	for _, r := range runs {
		wd := time.UnixMilli(r.startMS).In(tz).Weekday()
		if !has[wd] {
			k++
		}
		has[wd] = true
	}
	if k == 7 {
		return ""
	}
	if k == 5 && !has[time.Saturday] && !has[time.Sunday] {
		return "Mon–Fri"
	}
	var names []string
	for d := 0; d < 7; d++ {
		if has[d] {
			names = append(names, time.Weekday(d).String()[:3])
		}
	}
	return strings.Join(names, ", ")
}

// peopleLike: the traffic outside machine runs keeps a working day in some
// zone (80% of it spread over 3 to 12 consecutive hours: one busy hour is
// as much a job's as people's) or a working week (weekends far quieter
// than weekdays).
func (a *arrival) peopleLike() bool {
	if a.restN < minPatternRequests {
		return false
	}
	_, l, share := a.restHours()
	return (share >= 0.8 && l >= 3) || a.weekendQuiet()
}

// restHours returns the narrowest run of consecutive hours (report zone)
// holding 80% of the rest, up to 12, its start, length and share.
func (a *arrival) restHours() (start, length int, share float64) {
	for l := 1; l <= 12; l++ {
		var best int64 = -1
		bs := 0
		for s := 0; s < 24; s++ {
			var sum int64
			for j := 0; j < l; j++ {
				sum += a.restHour[(s+j)%24]
			}
			if sum > best {
				best, bs = sum, s
			}
		}
		if float64(best) >= 0.8*float64(a.restN) || l == 12 {
			return bs, l, float64(best) / float64(max(a.restN, 1))
		}
	}
	return 0, 0, 0
}

// weekendQuiet: Saturday and Sunday (report zone) together carry less than
// a quarter of a weekday's average per day each, over a window of a week
// or more.
func (a *arrival) weekendQuiet() bool {
	if a.win.Days() < 7 || a.restN < minPatternRequests {
		return false
	}
	we := float64(a.restWeekday[0]+a.restWeekday[6]) / 2
	var wd float64
	for d := 1; d <= 5; d++ {
		wd += float64(a.restWeekday[d])
	}
	wd /= 5
	return we < 0.25*wd
}

// restEvidence describes the traffic outside machine runs in the report's
// zone.
func (a *arrival) restEvidence() string {
	if a.restN == 0 {
		return ""
	}
	st, l, share := a.restHours()
	s := fmt.Sprintf("%s of %s", numfmt.Int(a.restN), numfmt.Count(a.n, "request"))
	if a.machineN > 0 {
		s += " fall outside those runs"
	} else {
		s += " are in no machine run"
	}
	if share >= 0.8 {
		s += fmt.Sprintf("; %s of them %02d:00–%02d:00 %s", numfmt.Percent(int64(math.Round(share*float64(a.restN))), a.restN), st, (st+l)%24, a.tzName)
	} else {
		s += fmt.Sprintf("; they arrive at all hours (no 12 consecutive hours in %s hold 80%% of them)", a.tzName)
	}
	weekend := a.restWeekday[0] + a.restWeekday[6]
	if a.win.Days() >= 7 {
		s += fmt.Sprintf(", %s on Saturdays and Sundays", numfmt.Percent(weekend, a.restN))
	}
	if len(a.restOnsets) >= 3 && share >= 0.8 {
		lo, hi := circularSpread(a.restOnsets, msPerDay)
		if d := floorMod(hi-lo, msPerDay); d <= msPerHour {
			s += fmt.Sprintf("; the first request of each day's busiest run falls between %s and %s %s, drifting %s from day to day", clockMS(lo), clockMS(hi), a.tzName, fmtDurationMS(d))
		}
	}
	return s
}

// circularSpread returns the smallest arc (lo, hi) of the circle of
// length period that holds every value.
func circularSpread(v []int64, period int64) (int64, int64) {
	x := append([]int64(nil), v...)
	sort.Slice(x, func(i, j int) bool { return x[i] < x[j] })
	// The largest gap between neighbours is outside the arc.
	bestGap, at := int64(-1), 0
	for i := range x {
		next := x[(i+1)%len(x)]
		gap := floorMod(next-x[i], period)
		if len(x) == 1 {
			gap = period
		}
		if gap > bestGap {
			bestGap, at = gap, i
		}
	}
	return x[(at+1)%len(x)], x[at]
}

func clockMS(ms int64) string {
	s := floorMod(ms, msPerDay) / 1000
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

func fmtDurationMS(ms int64) string {
	if ms < msPerMinute {
		return fmt.Sprintf("%d s", ms/1000)
	}
	return fmtDuration(ms / msPerMinute)
}

// fmtDuration renders minutes as "2 h 30 min" or "40 min".
func fmtDuration(mins int64) string {
	if mins < 60 {
		return fmt.Sprintf("%d min", mins)
	}
	if mins%60 == 0 {
		return fmt.Sprintf("%d h", mins/60)
	}
	return fmt.Sprintf("%d h %d min", mins/60, mins%60)
}

// unevenEvidence describes the largest long run that is not a machine's
// pace, when there are no machine runs: the pace test was made and failed.
func (a *arrival) unevenEvidence() string {
	if a.machineN > 0 {
		return ""
	}
	var big *run
	for _, r := range a.runs {
		if !math.IsNaN(r.fano) && (big == nil || r.n > big.n) {
			big = r
		}
	}
	if big == nil {
		return ""
	}
	like := "at least as uneven as independent arrivals (1×)"
	if big.fano < 1 {
		like = fmt.Sprintf("more uneven than a machine's pace (under %.1f×)", paceFano)
	}
	return fmt.Sprintf("in its largest run (%s over %s) the variance of the per-minute counts is %.1f× their mean: %s, not a machine's pace",
		numfmt.Count(big.n, "request"), fmtDuration(big.minutes()), big.fano, like)
}

// evidence is the arrival evidence lines, or none when there are too few
// requests to say anything.
func (a *arrival) evidence() []string {
	if a.n < minPatternRequests {
		return nil
	}
	if !a.minutes {
		return []string{"arrival times by the minute are not in this aggregate (this aggregate file holds 10-minute bins, as files written before the query carried minutes do: rerun costaudit sql): onset and pace, the arrival evidence of a machine, need the logs"}
	}
	ev := a.machineEvidence()
	if e := a.bellEvidence(); e != "" {
		ev = append(ev, e)
	}
	if e := a.restEvidence(); e != "" {
		ev = append(ev, e)
	}
	if e := a.unevenEvidence(); e != "" {
		ev = append(ev, e)
	}
	if a.edgeN > 0 {
		ev = append(ev, fmt.Sprintf("%s in a run already under way when the data starts %s left out of the shares", numfmt.Count(a.edgeN, "request"), map[bool]string{true: "is", false: "are"}[a.edgeN == 1]))
	}
	return ev
}

// floorDiv is a / b rounded towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// floorMod is a mod b with the sign of b.
func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
