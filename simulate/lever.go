package simulate

import (
	"errors"
	"fmt"
)

// A lever is one what-if section of a scenario or what-if file ([batch],
// [cache], [cancel], [swap], [time_value], [completion]), implemented once
// for both inputs: a scenario's described segments (Run) and an audited
// report's workflows (RunOnReport). It reads the units it acts on through
// a view, which prices them from what that input holds; the lever owns
// everything else: which of its figures exist, their keys and wording, the
// totals, the savings against today's cost, the monthly projection, what
// it forfeits of another lever, and its notes.
//
// Adding a lever is its table in File (file.go), one type implementing
// lever and one entry in levers; a lever that prices units adds a method
// to view, and its type and both implementations of that method (on
// *segView and *logRun) can share one file.
type lever interface {
	// on reports whether the file asks for the lever.
	on(f *File) bool
	// check validates the lever's table, filling in its defaults, and
	// returns the numbers whose range validateLevers checks.
	check(f *File) ([]check, error)
	// apply adds the lever's assumptions, figures, tables and notes.
	apply(r *run, v view) error
}

// levers are the levers in the order they apply: batch first, since cache
// and cancel read what moves to batch, and time value and completion weigh
// the batch savings.
var levers = []lever{batchLever{}, cacheLever{}, cancelLever{}, swapLever{}, timeValueLever{}, completionLever{}}

// view is the workload a lever acts on: a scenario's segments (segView) or
// an audited report's workflows (logRun). Each method prices the units for
// one lever and returns the keys of their figures; the differences between
// the two inputs that are on purpose are stated on the method.
type view interface {
	// batchCosts returns, per unit, the key of its cost with eligible
	// traffic on batch (its cost key where nothing moves). Segments move
	// by eligible share at the provider's batch rule; a workflow's price
	// lines move one by one, only where batch is cheaper than their
	// delivery today.
	batchCosts() ([]string, error)
	// batchJobs records what follows the batch totals: the requests that
	// move, the queue's wait and the batch jobs they need.
	batchJobs()
	// cacheCosts returns, per unit, the key of its cost with the prefix
	// cached. A segment caches its stated prefix; a workflow caches only
	// the prefix tokens its logs do not already read from or write to a
	// cache.
	cacheCosts() ([]string, error)
	// cacheBatchCosts returns, per unit, the key of its cost with cache
	// and batch stacked, or nil where the view does not price the stack
	// (over logs: a report's lines hold no per-request prefix on batch).
	cacheBatchCosts() ([]string, error)
	// cancelSaved returns the keys of the most a cancel button saves per
	// unit and the terms of what moving to batch forfeits of it. Segments
	// are priced from their output tokens; over logs the forfeit is the
	// early-cancel ledger of the streams that move.
	cancelSaved() (saved, forfeit []string, err error)
	// swapCosts returns, per unit, the key of its cost on the swapped
	// model, and with [batch] the key of that cost with eligible traffic
	// on batch (nil over logs, whose lines keep their delivery mode).
	swapCosts() (cost, batch []string, err error)
	// monthly adds key, of projected to a month, labelled what + " per
	// month" (a scenario: by periods_per_year, unless the period is a
	// month) or what + " per 30-day month" (logs: by the window's days).
	monthly(key, what, of string)
	// summary adds the view's table of its units, after the levers.
	summary()
}

// totals names a lever's total figures: <name>_cost, the units' costs under
// the lever summed; <name>_savings, today's cost less that; its share of
// today's cost; and its monthly projection.
type totals struct {
	name    string // key stem: "batch" gives batch_cost, batch_savings, batch_savings_pct
	cost    string // the cost's wording after "cost": "with eligible traffic on batch"
	savings string // the savings' wording: "batch savings"
	// A scenario projects the cost under the lever to a month, and the
	// savings too where monthlySavings is set (batch); over logs the
	// savings are projected, never the cost. The asymmetry is historical,
	// kept so that outputs do not change.
	monthlySavings bool
}

// total adds the figures of t over the units' keys.
func (r *run) total(v view, t totals, keys []string) {
	per := " " + r.span()
	costPer := per
	if r.overLogs {
		costPer = ""
	}
	r.sum(t.name+"_cost", "cost"+costPer+" "+t.cost, "USD", keys)
	r.s.fig(t.name+"_savings", t.savings+per, "USD", "cost - "+t.name+"_cost")
	r.pct(t.name+"_savings_pct", t.savings, t.name+"_savings", "cost")
	if r.overLogs {
		v.monthly("monthly_"+t.name+"_savings", t.savings, t.name+"_savings")
		return
	}
	r.monthly("monthly_"+t.name+"_cost", "cost per month "+t.cost, t.name+"_cost")
	if t.monthlySavings {
		v.monthly("monthly_"+t.name+"_savings", t.savings, t.name+"_savings")
	}
}

// span is how the span of a figure is worded: "per day" for a scenario's
// period, "in the window" over logs.
func (r *run) span() string {
	if r.overLogs {
		return "in the window"
	}
	return "per " + r.f.Period
}

// applyLevers applies every lever the file asks for, then the view's
// summary and the sensitivity analysis over all the figures.
func (r *run) applyLevers(v view) error {
	for _, l := range levers {
		if !l.on(r.f) {
			continue
		}
		if err := l.apply(r, v); err != nil {
			return err
		}
	}
	v.summary()
	if r.f.Sensitivity != nil {
		return r.sensitivity()
	}
	return nil
}

// segView is the view of a scenario's segments (run.segs).
type segView struct {
	*run
	// cached, hb and write carry the cache lever's selection, its hit
	// rate on batch and its write price from cacheCosts to
	// cacheBatchCosts.
	cached    map[*seg]bool
	hb, write string
}

type timeValueLever struct{}

func (timeValueLever) on(f *File) bool { return f.TimeValue != nil }

func (timeValueLever) check(f *File) ([]check, error) {
	t := f.TimeValue
	if f.Batch == nil {
		return nil, f.errAt(errors.New("weighs the batch savings, so it needs a [batch] table"), "time_value")
	}
	return []check{{"time_value", "delay_hours", t.DelayHours, positive, false},
		{"time_value", "cost_per_hour", t.CostPerHour, nonNeg, false},
		{"time_value", "cost_per_request", t.CostPerRequest, nonNeg, false},
		{"time_value", "fixed_cost", t.FixedCost, nonNeg, false}}, nil
}
func (timeValueLever) apply(r *run, v view) error {
	r.timeValue(v)
	return nil
}

type completionLever struct{}

func (completionLever) on(f *File) bool { return f.Completion != nil }

func (completionLever) check(f *File) ([]check, error) {
	c := f.Completion
	for _, o := range c.ObservedHours {
		if !positive.ok(o.D) {
			return nil, f.errAt(fmt.Errorf("observed time %s is out of range (allowed: more than 0 hours)", o.D), "completion", "observed_hours")
		}
	}
	if n := len(c.ObservedHours); n > 0 && n < 2 {
		return nil, f.errAt(errors.New("need at least 2 observed completion times to fit a distribution"), "completion", "observed_hours")
	}
	return []check{{"completion", "deadline_hours", c.DeadlineHours, positive, true},
		{"completion", "median_hours", c.MedianHours, positive, false},
		{"completion", "sigma", c.Sigma, positive, false},
		{"completion", "cap_hours", c.CapHours, positive, false},
		{"completion", "draws", c.Draws, draws, false},
		{"completion", "seed", c.Seed, seedRng, false}}, nil
}

func (completionLever) apply(r *run, _ view) error { return r.completion() }
