package classify

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/internal/numfmt"
	"github.com/costaudit/costaudit/pricing"
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
	// Parts are the populations of a mixed workflow, nil otherwise.
	Parts []Part `json:"parts,omitempty"`
}

// Unclassified is the evidence text of a workflow without any evidence.
const Unclassified = "unclassified — assumed realtime"

// Source values and the class they suggest.
var sourceClass = map[string]string{
	"web_ui":  Realtime,
	"chat":    Realtime,
	"ide":     Realtime,
	"webhook": NearRealtime,
	"queue":   NearRealtime,
	"cron":    Scheduled,
	"etl":     Scheduled,
}

// Workflows returns the latency class of every workflow of ws, in the
// order of ws (the Aggregator lists them sorted by name), each judged
// against the window of them all (WindowOf) with the evidence stated in tz
// (hours, weekday names); a nil tz is UTC and nil rules are none. The
// order of the evidence: explicit rules (first match wins), then the
// record hints (mode batch, user_waiting, source, streaming with measured
// TTFT) read together with the arrival evidence, and realtime when nothing
// says otherwise. Arrival evidence that a crowd of people could produce
// never makes a workflow scheduled, and a workflow with a part where people
// wait is never scheduled as a whole.
func Workflows(ws []*aggregate.WorkflowStats, rules *Rules, tz *time.Location) []Classification {
	if tz == nil {
		tz = time.UTC
	}
	win := WindowOf(ws)
	out := make([]Classification, 0, len(ws))
	for _, w := range ws {
		out = append(out, Workflow(w, rules, tz, win))
	}
	return out
}

// Part is one population of a mixed workflow: a job and the people beside
// it. The workflow keeps the class of its most urgent part.
type Part struct {
	Name     string `json:"name"`
	Class    string `json:"class"`
	Requests int64  `json:"requests"`
	Evidence string `json:"evidence"`
	// Priceable says the part is a set of minutes whose priced usage is
	// Priced (a part found by arrivals); parts found by hints are not.
	Priceable bool          `json:"-"`
	Priced    pricing.Usage `json:"-"`
}

// Workflow classifies one workflow (see Workflows). win is the time span
// of the whole data set (a weekly job is judged against every occurrence of its
// time in the data, not only its own days).
func Workflow(w *aggregate.WorkflowStats, rules *Rules, tz *time.Location, win Window) Classification {
	c := classifyWorkflow(w, rules, tz, win)
	if c.Basis == "rule" {
		return c
	}
	// A handful of requests shows little, whatever their hints say.
	if w.Requests < minPatternRequests && c.Basis != "default" && !c.AlreadyBatched {
		c.Confidence = lower(c.Confidence)
		c.Evidence = append(c.Evidence, fmt.Sprintf("only %s: confidence lowered", numfmt.Count(w.Requests, "request")))
	}
	// Slow responses support a machine verdict and speak against a realtime
	// one, but never decide: people do wait that long for some answers.
	if e := readHints(w).latencyEvidence(); e != "" {
		if c.Class == Realtime && c.Basis != "default" {
			c.Evidence = append(c.Evidence, "but "+e)
			c.Confidence = lower(c.Confidence)
		} else {
			c.Evidence = append(c.Evidence, e)
		}
	}
	return c
}

// classifyWorkflow is Workflow before the sample-size and latency
// adjustments: rules, then hints with the arrival evidence, then arrivals.
func classifyWorkflow(w *aggregate.WorkflowStats, rules *Rules, tz *time.Location, win Window) Classification {
	c := Classification{Workflow: w.Workflow, Requests: w.Requests}
	n := w.Requests
	batch := w.Modes["batch"]
	c.AlreadyBatched = majority(batch, n)
	ap := analyzeArrival(&w.Arrival, n, tz, win)

	if i, why := rules.match(w); i >= 0 {
		c.Class, c.Confidence, c.Basis, c.Rule = rules.Rules[i].Class, ConfidenceHigh, "rule", i+1
		c.Evidence = append(c.Evidence, why)
		c.Evidence = append(c.Evidence, ap.evidence()...)
		return c
	}

	h := readHints(w)
	set := func(class, conf, basis string, ev ...string) Classification {
		c.Class, c.Confidence, c.Basis = class, conf, basis
		c.Evidence = append(c.Evidence, ev...)
		return c
	}
	peopleHint := max(h.waitYes, h.interactive) // requests a hint says a person waits on
	machineHint := max(h.waitNo, h.sched+h.async)
	switch {
	case c.AlreadyBatched:
		c = set(Scheduled, ConfidenceHigh, "hints", fmt.Sprintf("already batched: mode batch on %s of %s", numfmt.Percent(batch, n), numfmt.Count(n, "request")))
		return c
	case peopleHint > 0 && machineHint > 0 && !majority(peopleHint, n):
		// Two populations by their hints: people wait on some requests.
		c = set(Realtime, ConfidenceMedium, "hints")
		c.Evidence = append(c.Evidence, "mixed workflow: "+strings.Join(h.realtimeEvidence(), "; ")+
			", but "+strings.Join(h.machineEvidence(), "; ")+
			": kept realtime, never batched as a whole; give the job part its own workflow name (--workflow-key, or a workflow field in the logs) to batch it")
		c.Parts = h.parts()
		c.Evidence = append(c.Evidence, ap.evidence()...)
		return c
	case h.realtimeStrong():
		c = set(Realtime, ConfidenceHigh, "hints", h.realtimeEvidence()...)
		c.Evidence = append(c.Evidence, h.contrary(Realtime)...)
		if ap.machine() {
			c.Confidence = ConfidenceMedium
			for _, e := range ap.machineEvidence() {
				c.Evidence = append(c.Evidence, "but "+e)
			}
			return c
		}
		c.Evidence = append(c.Evidence, ap.evidence()...)
		return c
	case h.sched > 0 && majority(h.sched, n):
		if ap.mixed() && ap.peopleLike() {
			return ap.mixedVerdict(c, h.sourceEvidence(Scheduled))
		}
		c = set(Scheduled, confFor(h.sched, n), "hints", h.sourceEvidence(Scheduled))
		if h.waitNo > 0 {
			c.Evidence = append(c.Evidence, h.waitNoEvidence())
		}
		c.Evidence = append(c.Evidence, ap.butPeople(&c)...)
		return c
	case (h.async > 0 && majority(h.async, n)) || majority(h.waitNo, n):
		var ev []string
		if h.async > 0 && majority(h.async, n) {
			ev = append(ev, h.sourceEvidence(NearRealtime))
		}
		if h.waitNo > 0 {
			ev = append(ev, h.waitNoEvidence())
		}
		conf := ConfidenceHigh
		if !(h.async > 0 && majority(h.async, n)) {
			conf = ConfidenceMedium
		}
		// Nobody waits, and the work runs on a schedule: a queue drained by
		// a nightly job.
		if ap.machine() {
			ev = append(ap.machineEvidence(), ev...)
			return set(Scheduled, ConfidenceMedium, "hints", ev...)
		}
		if ap.recurring() {
			ev = append([]string{ap.recurringEvidence()}, ev...)
			return set(Scheduled, ConfidenceMedium, "hints", ev...)
		}
		c = set(NearRealtime, conf, "hints", ev...)
		c.Evidence = append(c.Evidence, ap.evidence()...)
		return c
	case h.ttftShare > 0.5:
		// Streaming with a measured TTFT is what SDKs do by default: weak
		// evidence of a person watching, outweighed by a machine schedule.
		if ap.machine() {
			ev := ap.machineEvidence()
			ev = append(ev, "but "+h.ttftFacts()+": streaming alone does not show a person watching (clients stream by default); a user_waiting field would settle it")
			return set(Scheduled, ConfidenceMedium, "arrival", ev...)
		}
		c = set(Realtime, ConfidenceMedium, "hints", h.ttftEvidence())
		if ap.mixed() {
			for _, e := range ap.machineEvidence() {
				c.Evidence = append(c.Evidence, "but "+e)
			}
			c.Parts = ap.parts()
			if e := ap.restEvidence(); e != "" {
				c.Evidence = append(c.Evidence, e)
			}
			return c
		}
		c.Evidence = append(c.Evidence, ap.evidence()...)
		return c
	}

	// No usable hints: the arrival evidence.
	switch {
	case ap.machine():
		return set(Scheduled, ap.schedConfidence(), "arrival", ap.evidence()...)
	case ap.mixed():
		return ap.mixedVerdict(c)
	case ap.peopleLike() && ap.machineN == 0:
		ev := ap.evidence()
		for i, e := range ev {
			if strings.Contains(e, "are in no machine run") {
				ev[i] = e + ": people could keep hours like these, and no run starts like a scheduler or keeps a machine's pace, so it is not called scheduled (a user_waiting field or a --rules line would settle it)"
			}
		}
		return set(Realtime, ConfidenceMedium, "arrival", ev...)
	}
	c = set(Realtime, ConfidenceLow, "default", Unclassified)
	ev := ap.evidence()
	if len(ev) > 0 && ap.minutes {
		ev[len(ev)-1] += ": nothing a crowd of people could not produce; log user_waiting (or source), or add a --rules line, to settle it"
	}
	c.Evidence = append(c.Evidence, ev...)
	return c
}

// butPeople returns the arrival evidence for a workflow its source calls a
// scheduled job (event-driven work follows people, so it is not asked);
// when no run looks like a machine's and the traffic keeps a
// working day, the line says so with a "but" and lowers c's confidence.
func (a *arrival) butPeople(c *Classification) []string {
	ev := a.evidence()
	if !a.minutes || a.machineN > 0 || !a.peopleLike() {
		return ev
	}
	for i, e := range ev {
		if strings.Contains(e, "are in no machine run") {
			ev[i] = "but " + e + ": hours that people keep, with no run that starts like a scheduler or keeps a machine's pace"
			c.Confidence = lower(c.Confidence)
		}
	}
	return ev
}

// mixedVerdict keeps a workflow with machine runs and a second population
// realtime, and names both parts.
func (a *arrival) mixedVerdict(c Classification, lead ...string) Classification {
	c.Class, c.Confidence, c.Basis = Realtime, ConfidenceMedium, "arrival"
	c.Evidence = append(c.Evidence, lead...)
	c.Evidence = append(c.Evidence, fmt.Sprintf("mixed workflow: %s of %s are a job, but %s arrive outside its runs, as people would: kept realtime, never batched as a whole; give the job its own workflow name (--workflow-key, or a workflow field in the logs) to batch it",
		numfmt.Int(a.machineN), numfmt.Count(a.n, "request"), numfmt.Int(a.restN)))
	c.Evidence = append(c.Evidence, a.evidence()...)
	c.Parts = a.parts()
	return c
}

// parts names the job and the rest of a mixed workflow.
func (a *arrival) parts() []Part {
	ev := a.machineEvidence()
	job := ""
	if len(ev) > 0 {
		job = ev[0]
	}
	var priced pricing.Usage
	for _, r := range a.runs {
		if !r.machine {
			continue
		}
		for m := r.first; m <= r.last; m++ {
			if c, ok := a.mins[m]; ok {
				priced = priced.Add(c.Priced)
			}
		}
	}
	return []Part{
		{Name: "job", Class: Scheduled, Requests: a.machineN, Evidence: job, Priceable: true, Priced: priced},
		{Name: "rest", Class: Realtime, Requests: a.restN + a.edgeN, Evidence: a.restEvidence()},
	}
}

// hints are the record hints of a workflow.
type hints struct {
	w                  *aggregate.WorkflowStats
	n                  int64
	waitYes, waitNo    int64
	interactive, async int64 // requests whose source suggests realtime / near-realtime
	sched              int64 // requests whose source suggests scheduled
	streamsTTFT        int64
	ttftShare          float64
}

func readHints(w *aggregate.WorkflowStats) hints {
	h := hints{w: w, n: w.Requests, waitYes: w.UserWaitingYes, waitNo: w.UserWaitingNo, streamsTTFT: w.StreamsTTFT}
	for _, s := range slices.Sorted(maps.Keys(w.Sources)) {
		switch sourceClass[s] {
		case Realtime:
			h.interactive += w.Sources[s]
		case NearRealtime:
			h.async += w.Sources[s]
		case Scheduled:
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
		ev = append(ev, fmt.Sprintf("user_waiting=true on %s of %s", numfmt.Percent(h.waitYes, h.n), numfmt.Count(h.n, "request")))
	}
	if h.interactive > 0 {
		ev = append(ev, h.sourceEvidence(Realtime))
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
	if class == Realtime {
		if h.waitNo > 0 {
			ev = append(ev, "but "+h.waitNoEvidence())
		}
		if h.sched > 0 {
			ev = append(ev, "but "+h.sourceEvidence(Scheduled))
		}
		if h.async > 0 {
			ev = append(ev, "but "+h.sourceEvidence(NearRealtime))
		}
	}
	return ev
}

// slowShare is the share of the requests that logged a latency at or
// above slowLatencyMS that makes the latency worth stating.
const (
	slowLatencyMS = 30_000
	slowShare     = 0.5
)

// latencyEvidence says how many requests took 30 s or more, when most of
// those that logged a latency did; "" otherwise. It is supporting evidence
// only: people do wait that long for some answers.
func (h hints) latencyEvidence() string {
	l := h.w.Latency
	if l.Count < minPatternRequests {
		return ""
	}
	var slow int64
	for i, b := range aggregate.TTFTBoundsMS {
		if b > slowLatencyMS {
			break
		}
		if b == slowLatencyMS {
			for _, c := range l.Hist[i+1:] {
				slow += c
			}
		}
	}
	if float64(slow) < slowShare*float64(l.Count) {
		return ""
	}
	return fmt.Sprintf("latency_ms of 30 s or more on %s of the %s that logged one: long for a person at a keyboard", numfmt.Percent(slow, l.Count), numfmt.Count(l.Count, "request"))
}

// machineEvidence lists the hints that say a machine sends.
func (h hints) machineEvidence() []string {
	var ev []string
	if h.waitNo > 0 {
		ev = append(ev, h.waitNoEvidence())
	}
	if h.sched > 0 {
		ev = append(ev, h.sourceEvidence(Scheduled))
	}
	if h.async > 0 {
		ev = append(ev, h.sourceEvidence(NearRealtime))
	}
	return ev
}

// parts splits a workflow by its hints: the requests a person waits on
// and the rest.
func (h hints) parts() []Part {
	people := max(h.waitYes, h.interactive)
	return []Part{
		{Name: "people", Class: Realtime, Requests: people, Evidence: strings.Join(h.realtimeEvidence(), "; ")},
		{Name: "job", Class: h.jobClass(), Requests: h.n - people, Evidence: strings.Join(h.machineEvidence(), "; ")},
	}
}

func (h hints) jobClass() string {
	if h.sched >= h.async {
		return Scheduled
	}
	return NearRealtime
}

func (h hints) waitNoEvidence() string {
	return fmt.Sprintf("user_waiting=false on %s of %s: nobody waits", numfmt.Percent(h.waitNo, h.n), numfmt.Count(h.n, "request"))
}

func (h hints) ttftEvidence() string {
	return h.ttftFacts() + ": someone watches the tokens arrive"
}

// ttftFacts says how many requests streamed with a measured TTFT.
func (h hints) ttftFacts() string {
	s := fmt.Sprintf("streamed with time to first token measured on %s of %s", numfmt.Percent(h.streamsTTFT, h.n), numfmt.Count(h.n, "request"))
	if q, ok := h.w.TTFT.Quantile(0.5); ok {
		s += fmt.Sprintf(" (median under %s ms)", numfmt.Int(q))
	}
	return s
}

// sourceEvidence names the sources of the given class with their shares.
func (h hints) sourceEvidence(class string) string {
	var parts []string
	var total int64
	for _, s := range slices.Sorted(maps.Keys(h.w.Sources)) {
		if sourceClass[s] == class {
			parts = append(parts, s)
			total += h.w.Sources[s]
		}
	}
	what := map[string]string{
		Realtime:     "interactive caller",
		NearRealtime: "event-driven caller",
		Scheduled:    "scheduled job",
	}[class]
	return fmt.Sprintf("source %s on %s of %s (%s)", strings.Join(parts, ", "), numfmt.Percent(total, h.n), numfmt.Count(h.n, "request"), what)
}

func confFor(k, n int64) string {
	if 10*k >= 9*n {
		return ConfidenceHigh
	}
	return ConfidenceMedium
}
