package audit

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/stat"
)

// Thresholds of the arrival-pattern classifier.
const (
	// minPatternRequests is the fewest requests a pattern is read from.
	minPatternRequests = 20
	// burstMaxBins is the widest time-of-day window a burst may span (2 h).
	burstMaxBins = 12
	// burstShare is the share of requests a burst window must hold.
	burstShare = 0.8
	// offHoursShare is the share of a burst's requests that must fall
	// outside business hours (Mon–Fri 08:00–18:00 in the report's TZ) to
	// call it scheduled.
	offHoursShare = 0.8
	// businessShare is the share of requests inside business hours that
	// marks traffic following the working day.
	businessShare = 0.6
	// roundTheClockHours is how many hours of the day must each hold at
	// least 1% of the requests for traffic to count as around the clock.
	roundTheClockHours = 20
	// burstRate is the average number of requests per 10 minutes inside a
	// burst that marks a machine rather than a person.
	burstRate     = 10
	businessStart = 8
	businessEnd   = 18
)

// arrival is what the arrival stats of one workflow say.
type arrival struct {
	n    int64
	span DaySpan
	tz   *time.Location

	// The tightest time-of-day window (UTC, circular) holding at least
	// burstShare of the requests, if any: start bin, width in bins, and
	// requests inside.
	burst             bool
	winStart, winBins int
	winReq            int64
	winDays           int64 // distinct days with requests in the window
	winCells          int64 // (day, 10-minute bin) cells with requests in the window
	activeDays        int64 // distinct days with any request
	winOffHours       int64 // window requests outside business hours
	weekday           int   // dominant UTC weekday of the window requests, -1 if spread
	weekdayReq        int64
	weekdaysInSpan    int64 // occurrences of that weekday in the span
	weekdayDays       int64 // of them, days with requests in the window
	business          int64 // requests inside business hours
	hoursCovered      int
	acf24, acf168     float64 // autocorrelation of hourly counts; NaN when not computable
	used              bool    // evidence already shown
	hourly            bool    // most requests in one 10-minute phase of every hour
	hourlyPhase       int
	nobodyWaits       bool // the hints already say no person waits
	hourlyReq         int64
	tzName            string
}

func analyzeArrival(s *ArrivalStats, n int64, tz *time.Location, span DaySpan) *arrival {
	a := &arrival{n: n, span: span, tz: tz, tzName: tz.String(), weekday: -1, acf24: math.NaN(), acf168: math.NaN()}
	if n == 0 || len(s.Bins) == 0 {
		return a
	}
	var tod [BinsPerDay]int64
	days := map[int64]bool{}
	for k, c := range s.Bins {
		d := floorDiv(k, BinsPerDay)
		tod[k-d*BinsPerDay] += c
		days[d] = true
		t := time.Unix(d*86400+(k-d*BinsPerDay)*BinMinutes*60, 0).In(tz)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday && t.Hour() >= businessStart && t.Hour() < businessEnd {
			a.business += c
		}
	}
	a.activeDays = int64(len(days))
	for _, c := range s.Hour {
		if 100*c >= n {
			a.hoursCovered++
		}
	}

	// The narrowest window holding 90% of the requests, else the narrowest
	// holding burstShare: the evidence then names the whole burst.
	var best [burstMaxBins + 1]int64
	var bestStart [burstMaxBins + 1]int
	for w := 1; w <= burstMaxBins; w++ {
		best[w] = -1
		for st := 0; st < BinsPerDay; st++ {
			var sum int64
			for j := 0; j < w; j++ {
				sum += tod[(st+j)%BinsPerDay]
			}
			if sum > best[w] {
				best[w], bestStart[w] = sum, st
			}
		}
	}
	for _, share := range []float64{0.9, burstShare} {
		need := int64(math.Ceil(share * float64(n)))
		for w := 1; w <= burstMaxBins && !a.burst; w++ {
			if best[w] >= need {
				a.burst, a.winStart, a.winBins, a.winReq = true, bestStart[w], w, best[w]
			}
		}
	}
	// Hourly jobs: most requests in one 10-minute phase of the hour.
	var phase [6]int64
	for b, c := range tod {
		phase[b%6] += c
	}
	for p, c := range phase {
		if float64(c) >= burstShare*float64(n) {
			a.hourly, a.hourlyPhase, a.hourlyReq = true, p, c
		}
	}
	if a.burst {
		inWin := func(bin int64) bool {
			off := (int(bin) - a.winStart + BinsPerDay) % BinsPerDay
			return off < a.winBins
		}
		winDays := map[int64]bool{}
		var cells int64
		var perWD [7]int64
		for k, c := range s.Bins {
			d := floorDiv(k, BinsPerDay)
			bin := k - d*BinsPerDay
			if !inWin(bin) {
				continue
			}
			winDays[d] = true
			cells++
			perWD[floorMod(d+4, 7)] += c
			t := time.Unix(d*86400+bin*BinMinutes*60, 0).In(tz)
			if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday || t.Hour() < businessStart || t.Hour() >= businessEnd {
				a.winOffHours += c
			}
		}
		a.winDays = int64(len(winDays))
		a.winCells = cells
		for wd, c := range perWD {
			if 10*c >= 9*a.winReq {
				a.weekday, a.weekdayReq = wd, c
			}
		}
		if a.weekday >= 0 && span.Days() > 0 {
			for d := span.First; d <= span.Last; d++ {
				if int(floorMod(d+4, 7)) == a.weekday {
					a.weekdaysInSpan++
					if winDays[d] {
						a.weekdayDays++
					}
				}
			}
		}
	}

	// Periodicity: autocorrelation of the hourly counts over the span.
	if span.Days() >= 2 {
		hours := make([]float64, span.Days()*24)
		for k, c := range s.Bins {
			d := floorDiv(k, BinsPerDay)
			i := (d-span.First)*24 + (k-d*BinsPerDay)/6
			if i >= 0 && i < int64(len(hours)) {
				hours[i] += float64(c)
			}
		}
		a.acf24 = lagCorrelation(hours, 24)
		if span.Days() >= 14 {
			a.acf168 = lagCorrelation(hours, 168)
		}
	}
	return a
}

// lagCorrelation is the Pearson correlation of x with itself shifted by
// lag, or NaN when either side is constant or too short.
func lagCorrelation(x []float64, lag int) float64 {
	if len(x) <= lag+1 {
		return math.NaN()
	}
	a, b := x[:len(x)-lag], x[lag:]
	if stat.Variance(a, nil) == 0 || stat.Variance(b, nil) == 0 {
		return math.NaN()
	}
	return stat.Correlation(a, b, nil)
}

// offHours: the burst falls outside business hours.
func (a *arrival) offHours() bool {
	return a.burst && float64(a.winOffHours) >= offHoursShare*float64(a.winReq)
}

// repeats: the burst recurs every day or every week of the data, or the
// data is too short to tell but the one burst is isolated.
func (a *arrival) daily() bool {
	return a.burst && a.weekday < 0 && a.winDays >= 2 && 10*a.winDays >= 6*a.span.Days()
}

func (a *arrival) weekly() bool {
	return a.burst && a.weekday >= 0 && a.weekdayDays >= 1 && a.weekdayDays == a.weekdaysInSpan && a.span.Days() >= 7
}

// scheduled: bursts at the same time of day, daily or weekly, outside
// business hours. Bursts inside business hours could be people and are
// not called scheduled.
func (a *arrival) scheduled() bool {
	return a.n >= minPatternRequests && ((a.offHours() && a.intense() && (a.daily() || a.weekly())) || a.hourlyJob())
}

// scheduledNobodyWaits is scheduled for a workflow whose hints already say
// no person is waiting: the burst need not run at machine speed.
func (a *arrival) scheduledNobodyWaits() bool {
	return a.n >= minPatternRequests && ((a.offHours() && (a.daily() || a.weekly())) || a.hourlyJob())
}

// intense: the burst runs at machine speed, at least burstRate requests per
// 10 minutes on average, faster than one person at a keyboard.
func (a *arrival) intense() bool {
	return a.burst && a.winCells > 0 && a.winReq >= burstRate*a.winCells
}

// hourlyJob: most requests in the same 10 minutes of the hour, through
// most hours of the day (nights included) on at least two days.
func (a *arrival) hourlyJob() bool {
	return !a.burst && a.hourly && a.hoursCovered >= 12 && a.activeDays >= 2
}

// classify returns the class the pattern alone supports.
func (a *arrival) classify() (string, string, bool) {
	if a.n < minPatternRequests || a.span.Days() < 2 {
		return "", "", false
	}
	switch {
	case a.scheduled():
		conf := ConfidenceMedium
		if a.burst && a.winReq*10 >= a.n*9 && ((a.daily() && a.winDays >= 3) || (a.weekly() && a.weekdayDays >= 2)) {
			conf = ConfidenceHigh
		}
		return ClassScheduled, conf, true
	case a.burst:
		// A burst inside business hours could be people arriving at work:
		// no evidence either way, so it stays assumed realtime.
		return "", "", false
	case float64(a.business) >= businessShare*float64(a.n):
		return ClassRealtime, ConfidenceMedium, true
		// Around-the-clock traffic could be users across time zones or machine
		// traffic: without a source hint it stays assumed realtime.
	}
	return "", "", false
}

// evidence is the one-line summary of the pattern, or "" when there are
// too few requests to say anything.
func (a *arrival) evidence() string {
	if a.n < minPatternRequests || a.span.Days() < 1 {
		return ""
	}
	if a.burst {
		where := fmt.Sprintf("%s–%s UTC", binClock(a.winStart), binClock(a.winStart+a.winBins))
		var s string
		switch {
		case a.weekday >= 0 && a.span.Days() >= 7:
			s = fmt.Sprintf("%s of %s requests start %s on %ss (%d of %d in the data)", pct(a.winReq, a.n), fmtCount(a.n), where,
				time.Weekday(a.weekday), a.weekdayDays, a.weekdaysInSpan)
		default:
			s = fmt.Sprintf("%s of %s requests start %s on %d of %d days", pct(a.winReq, a.n), fmtCount(a.n), where, a.winDays, a.span.Days())
		}
		s += fmt.Sprintf(", about %s requests per 10 minutes", fmtCount(a.winReq/max(a.winCells, 1)))
		switch {
		case a.offHours() && !a.intense() && !a.nobodyWaits:
			s += fmt.Sprintf(", outside business hours but slower than %d requests per 10 minutes, so it could be one person: a source or user_waiting hint, or a --rules entry, would settle it", burstRate)
		case a.offHours():
			s += ", outside business hours"
		default:
			s += fmt.Sprintf(", inside business hours (Mon–Fri %02d:00–%02d:00 %s): could be people starting work, so not called scheduled", businessStart, businessEnd, a.tzName)
		}
		return s
	}
	if a.hourlyJob() {
		return fmt.Sprintf("%s of %s requests start in minutes :%02d–:%02d of the hour, in %d of 24 hours on %d days: an hourly job",
			pct(a.hourlyReq, a.n), fmtCount(a.n), a.hourlyPhase*BinMinutes, (a.hourlyPhase+1)*BinMinutes, a.hoursCovered, a.activeDays)
	}
	if float64(a.business) >= businessShare*float64(a.n) {
		return fmt.Sprintf("%s of %s requests arrive Mon–Fri %02d:00–%02d:00 %s: traffic follows the working day", pct(a.business, a.n), fmtCount(a.n), businessStart, businessEnd, a.tzName)
	}
	if a.hoursCovered >= roundTheClockHours {
		return fmt.Sprintf("requests arrive around the clock (%d of 24 hours each hold ≥1%%, %s in business hours) with no burst: users across time zones or machine traffic, which only a source hint tells apart",
			a.hoursCovered, pct(a.business, a.n))
	}
	return fmt.Sprintf("no clear arrival pattern: %s of %s requests in business hours, %d of 24 hours active, no 2-hour window holds %d%%",
		pct(a.business, a.n), fmtCount(a.n), a.hoursCovered, int(burstShare*100))
}

// extra is the periodicity evidence.
func (a *arrival) extra() []string {
	var ev []string
	if !math.IsNaN(a.acf24) && a.acf24 >= 0.3 {
		ev = append(ev, fmt.Sprintf("hourly counts repeat every 24 h (autocorrelation %.2f)", a.acf24))
	}
	if !math.IsNaN(a.acf168) && a.acf168 >= 0.3 {
		ev = append(ev, fmt.Sprintf("hourly counts repeat every 168 h (autocorrelation %.2f)", a.acf168))
	}
	return ev
}

// binClock renders the start of a 10-minute bin as HH:MM (bin 144 is 24:00
// shown as 00:00).
func binClock(bin int) string {
	bin %= BinsPerDay
	m := bin * BinMinutes
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}
