package audit

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Classification is the latency class of one workflow with its confidence
// and the evidence, strongest first, in words a reviewer can check.
type Classification struct {
	Workflow   string   `json:"workflow"`
	Class      string   `json:"class"`
	Confidence string   `json:"confidence"`
	Evidence   []string `json:"evidence"`
	// Basis says what decided the class: "rule", "hints", "arrival" or
	// "default" (no evidence: assumed realtime).
	Basis string `json:"basis"`
	// Rule is the 1-based index of the rule that decided the class, 0 when
	// no rule did.
	Rule int `json:"rule,omitempty"`
	// AlreadyBatched reports that most requests already use the batch API.
	AlreadyBatched bool `json:"already_batched"`
	// Requests counts every record of the workflow in the window.
	Requests int64 `json:"requests"`
}

// Unclassified is the evidence text of a workflow without any evidence.
const Unclassified = "unclassified — assumed realtime"

// Source values and the class they suggest.
var sourceClass = map[string]string{
	"web_ui":  ClassRealtime,
	"chat":    ClassRealtime,
	"ide":     ClassRealtime,
	"webhook": ClassNearRealtime,
	"queue":   ClassNearRealtime,
	"cron":    ClassScheduled,
	"etl":     ClassScheduled,
}

// ClassifyOptions are the inputs of classification besides the aggregate.
type ClassifyOptions struct {
	// Rules are the explicit rules (--rules); nil for none.
	Rules *Rules
	// TZ is the time zone of business hours (Mon–Fri 08:00–18:00); nil
	// means the aggregate's.
	TZ *time.Location
}

// Classify returns the latency class of every workflow of agg, sorted by
// workflow name. The order: explicit rules (first match wins), then the
// record hints (user_waiting, source, mode batch, streaming with measured
// TTFT), then the arrival pattern, and realtime when nothing says
// otherwise. A workflow is never called scheduled on evidence that a human
// may be waiting.
func Classify(agg *Aggregator, opts ClassifyOptions) []Classification {
	tz := opts.TZ
	if tz == nil {
		tz = agg.tz
	}
	wfs := agg.Workflows()
	span := globalSpan(wfs)
	out := make([]Classification, 0, len(wfs))
	for _, w := range wfs {
		out = append(out, ClassifyWorkflow(w, opts.Rules, tz, span))
	}
	return out
}

// DaySpan is a range of UTC days, as day numbers since 1970-01-01,
// inclusive at both ends.
type DaySpan struct{ First, Last int64 }

// Days returns the number of days in the span.
func (s DaySpan) Days() int64 { return s.Last - s.First + 1 }

// globalSpan is the UTC day span of every request of every workflow.
func globalSpan(wfs []*WorkflowStats) DaySpan {
	s := DaySpan{First: 1 << 62, Last: -(1 << 62)}
	for _, w := range wfs {
		for k := range w.Arrival.Bins {
			d := floorDiv(k, BinsPerDay)
			s.First = min(s.First, d)
			s.Last = max(s.Last, d)
		}
	}
	if s.First > s.Last {
		return DaySpan{}
	}
	return s
}

// ClassifyWorkflow classifies one workflow. span is the UTC day span of the
// whole data set (a weekly job is judged against every day of the data,
// not only its own).
func ClassifyWorkflow(w *WorkflowStats, rules *Rules, tz *time.Location, span DaySpan) Classification {
	c := Classification{Workflow: w.Workflow, Requests: w.Requests}
	n := w.Requests
	batch := w.Modes["batch"]
	c.AlreadyBatched = majority(batch, n)
	ap := analyzeArrival(&w.Arrival, n, tz, span)

	if i, why := rules.match(w); i >= 0 {
		c.Class, c.Confidence, c.Basis, c.Rule = rules.Rules[i].Class, ConfidenceHigh, "rule", i+1
		c.Evidence = append(c.Evidence, why)
		if ev := ap.evidence(); ev != "" {
			c.Evidence = append(c.Evidence, ev)
		}
		return c
	}

	h := readHints(w)
	ap.nobodyWaits = h.waitYes == 0 && h.interactive == 0 &&
		(c.AlreadyBatched || majority(h.sched, n) || majority(h.async, n) || majority(h.waitNo, n))
	var class, conf string
	var ev []string
	switch {
	case h.realtimeStrong():
		class, conf = ClassRealtime, ConfidenceHigh
		ev = h.realtimeEvidence()
		ev = append(ev, h.contrary(ClassRealtime)...)
	case h.waitNo == 0 && h.ttftShare > 0.5:
		class, conf = ClassRealtime, ConfidenceMedium
		ev = h.realtimeEvidence()
		ev = append(ev, h.contrary(ClassRealtime)...)
	case h.waitYes > 0:
		// Some requests had a user waiting: never batch them.
		class, conf = ClassRealtime, ConfidenceMedium
		ev = h.realtimeEvidence()
		ev = append(ev, h.contrary(ClassRealtime)...)
	case c.AlreadyBatched:
		class, conf = ClassScheduled, ConfidenceHigh
		ev = append(ev, fmt.Sprintf("already batched: mode batch on %s of %s requests", pct(batch, n), fmtCount(n)))
	case h.sched > 0 && majority(h.sched, n):
		class, conf = ClassScheduled, confFor(h.sched, n)
		ev = append(ev, h.sourceEvidence(ClassScheduled))
		if h.waitNo > 0 {
			ev = append(ev, h.waitNoEvidence())
		}
	case (h.async > 0 && majority(h.async, n)) || majority(h.waitNo, n):
		class, conf = ClassNearRealtime, ConfidenceHigh
		if h.async > 0 && majority(h.async, n) {
			ev = append(ev, h.sourceEvidence(ClassNearRealtime))
		}
		if h.waitNo > 0 {
			ev = append(ev, h.waitNoEvidence())
		}
		if !(h.async > 0 && majority(h.async, n)) {
			conf = ConfidenceMedium
		}
		// A queue drained by a nightly job: the arrival pattern settles it.
		if ap.scheduledNobodyWaits() {
			class, conf = ClassScheduled, ConfidenceMedium
			ev = append([]string{ap.evidence()}, ev...)
			ap.used = true
		}
	}
	if class != "" {
		c.Class, c.Confidence, c.Basis = class, conf, "hints"
		c.Evidence = ev
		if !ap.used {
			if e := ap.evidence(); e != "" {
				c.Evidence = append(c.Evidence, e)
			}
		}
		return c
	}

	// No usable hints: the arrival pattern.
	if class, conf, ok := ap.classify(); ok {
		c.Class, c.Confidence, c.Basis = class, conf, "arrival"
		c.Evidence = append(c.Evidence, ap.evidence())
		c.Evidence = append(c.Evidence, ap.extra()...)
		return c
	}
	c.Class, c.Confidence, c.Basis = ClassRealtime, ConfidenceLow, "default"
	c.Evidence = append(c.Evidence, Unclassified)
	if e := ap.evidence(); e != "" {
		c.Evidence = append(c.Evidence, e)
	}
	return c
}

// hints are the record hints of a workflow.
type hints struct {
	w                      *WorkflowStats
	n                      int64
	waitYes, waitNo        int64
	interactive, async     int64 // requests whose source suggests realtime / near-realtime
	sched                  int64 // requests whose source suggests scheduled
	streamsTTFT            int64
	ttftShare              float64
	interactiveSrc, asyncS []string
}

func readHints(w *WorkflowStats) hints {
	h := hints{w: w, n: w.Requests, waitYes: w.UserWaitingYes, waitNo: w.UserWaitingNo, streamsTTFT: w.StreamsTTFT}
	for _, s := range sortedKeys(w.Sources) {
		switch sourceClass[s] {
		case ClassRealtime:
			h.interactive += w.Sources[s]
		case ClassNearRealtime:
			h.async += w.Sources[s]
		case ClassScheduled:
			h.sched += w.Sources[s]
		}
	}
	if h.n > 0 {
		h.ttftShare = float64(h.streamsTTFT) / float64(h.n)
	}
	return h
}

// realtimeStrong: a human waits on most requests, or most come from an
// interactive source (and the log does not say nobody waits).
func (h hints) realtimeStrong() bool {
	known := h.waitYes + h.waitNo
	if known > 0 && 2*h.waitYes >= known && h.waitYes > 0 {
		return true
	}
	return majority(h.interactive, h.n) && !majority(h.waitNo, h.n)
}

func (h hints) realtimeEvidence() []string {
	var ev []string
	if h.waitYes > 0 {
		ev = append(ev, fmt.Sprintf("user_waiting=true on %s of %s requests", pct(h.waitYes, h.n), fmtCount(h.n)))
	}
	if h.interactive > 0 {
		ev = append(ev, h.sourceEvidence(ClassRealtime))
	}
	if h.streamsTTFT > 0 {
		ev = append(ev, h.ttftEvidence())
	}
	return ev
}

// contrary lists the hints that point away from class, so the reader sees
// the conflict.
func (h hints) contrary(class string) []string {
	var ev []string
	if class == ClassRealtime {
		if h.waitNo > 0 {
			ev = append(ev, "but "+h.waitNoEvidence())
		}
		if h.sched > 0 {
			ev = append(ev, "but "+h.sourceEvidence(ClassScheduled))
		}
		if h.async > 0 {
			ev = append(ev, "but "+h.sourceEvidence(ClassNearRealtime))
		}
	}
	return ev
}

func (h hints) waitNoEvidence() string {
	return fmt.Sprintf("user_waiting=false on %s of %s requests: nobody waits", pct(h.waitNo, h.n), fmtCount(h.n))
}

func (h hints) ttftEvidence() string {
	s := fmt.Sprintf("streamed with time to first token measured on %s of %s requests", pct(h.streamsTTFT, h.n), fmtCount(h.n))
	if q, ok := h.w.TTFT.Quantile(0.5); ok {
		s += fmt.Sprintf(" (median under %s ms)", fmtCount(q))
	}
	return s + ": someone watches the tokens arrive"
}

// sourceEvidence names the sources of the given class with their shares.
func (h hints) sourceEvidence(class string) string {
	var parts []string
	var total int64
	for _, s := range sortedKeys(h.w.Sources) {
		if sourceClass[s] == class {
			parts = append(parts, s)
			total += h.w.Sources[s]
		}
	}
	what := map[string]string{
		ClassRealtime:     "interactive caller",
		ClassNearRealtime: "event-driven caller",
		ClassScheduled:    "scheduled job",
	}[class]
	return fmt.Sprintf("source %s on %s of %s requests (%s)", strings.Join(parts, ", "), pct(total, h.n), fmtCount(h.n), what)
}

func confFor(k, n int64) string {
	if 10*k >= 9*n {
		return ConfidenceHigh
	}
	return ConfidenceMedium
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fmtCount renders n with thousands separators: 17,500.
func fmtCount(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// pct renders k/n as a whole percentage that never rounds up to 100% or
// down to 0% unless exact.
func pct(k, n int64) string {
	if n <= 0 {
		return "0%"
	}
	p := k * 100 / n
	if k > 0 && p == 0 {
		return "<1%"
	}
	if k*100%n*2 >= n && p < 99 {
		p++
	}
	return fmt.Sprintf("%d%%", p)
}
