package simulate

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
)

// rng is the allowed range of a number in a scenario file.
type rng struct {
	min, max         decimal.Decimal
	hasMin, hasMax   bool
	minOpen, maxOpen bool // strict bounds
	whole            bool // integers only
	text             string
}

var (
	dZero    = decimal.Zero
	dOne     = decimal.NewFromInt(1)
	nonNeg   = rng{min: dZero, hasMin: true, text: "0 or more"}
	positive = rng{min: dZero, hasMin: true, minOpen: true, text: "more than 0"}
	unit     = rng{min: dZero, max: dOne, hasMin: true, hasMax: true, text: "0 to 1"}
	share    = rng{min: dZero, max: dOne, hasMin: true, hasMax: true, minOpen: true, text: "more than 0, at most 1"}
	discount = rng{min: dZero, max: dOne, hasMin: true, hasMax: true, maxOpen: true, text: "0 or more, less than 1"}
	draws    = rng{min: dOne, max: decimal.NewFromInt(10_000_000), hasMin: true, hasMax: true, whole: true, text: "a whole number from 1 to 10000000"}
	seedRng  = rng{min: dZero, max: decimal.NewFromInt(1<<62 - 1), hasMin: true, hasMax: true, whole: true, text: "a whole number from 0 to 4611686018427387903"}
)

func (r rng) ok(d decimal.Decimal) bool {
	if r.whole && !d.IsInteger() {
		return false
	}
	if r.hasMin && (d.LessThan(r.min) || (r.minOpen && d.Equal(r.min))) {
		return false
	}
	if r.hasMax && (d.GreaterThan(r.max) || (r.maxOpen && d.Equal(r.max))) {
		return false
	}
	return true
}

func rangeErr(n Num, r rng) error {
	return fmt.Errorf("%s is out of range (allowed: %s)", n.D.String(), r.text)
}

var (
	nameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	// segment names become key prefixes, so they are identifiers.
	segRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,30}$`)
)

// periodsPerYear is the default number of periods in a year for each
// period label. Weeks are 52 a year, so a month is 52/12 weeks.
// The period "run" is a one-off job: it has no months and no queue.
var periodsPerYear = map[string]int64{"run": 0, "hour": 8760, "day": 365, "night": 365, "week": 52, "month": 12, "year": 1}

var (
	modes   = []string{"sync", "stream", "batch"}
	classes = []string{"realtime", "near-realtime", "scheduled"}
)

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// validate checks every value against its allowed range and fills the
// defaults that do not need a price book.
func (f *File) validate() error {
	if f.Name == "" {
		base := filepath.Base(f.path)
		f.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	if !nameRe.MatchString(f.Name) {
		return f.errAt(fmt.Errorf("%q is not a valid name (allowed: lower-case letters, digits and '-')", f.Name), "name")
	}
	if f.Period == "" {
		f.Period = "month"
	}
	if _, ok := periodsPerYear[f.Period]; !ok {
		return f.errAt(fmt.Errorf("unknown period %q (allowed: run, hour, day, night, week, month, year)", f.Period), "period")
	}
	if f.PeriodsPerYear.Set && f.Period == "run" {
		return f.errAt(errors.New("a one-off run has no periods per year (remove it, or choose another period)"), "periods_per_year")
	}
	if f.PeriodsPerYear.Set && !positive.ok(f.PeriodsPerYear.D) {
		return f.errAt(rangeErr(f.PeriodsPerYear, positive), "periods_per_year")
	}
	if err := f.checkVolume(&f.Volume, func(key string, err error) error { return f.errAt(err, "volume", key) }); err != nil {
		return err
	}
	if f.logs {
		return f.validateWhatIf()
	}
	if err := f.noWorkflows(); err != nil {
		return err
	}
	if len(f.Workload) == 0 {
		return &FileError{File: f.path, Key: "workload", Err: errors.New("no [[workload]] segment (a scenario needs at least one)")}
	}
	seen := map[string]bool{}
	shares := decimal.Zero
	for i := range f.Workload {
		s := &f.Workload[i]
		if s.Name == "" {
			if len(f.Workload) > 1 {
				return f.errSeg(i, "name", errors.New("missing: every segment of a multi-segment workload needs a name"))
			}
			s.Name = "workload"
		}
		if !segRe.MatchString(s.Name) || !ValidKey(s.Name) {
			return f.errSeg(i, "name", fmt.Errorf("%q is not a valid segment name (allowed: a lower-case identifier such as \"tickets\", up to 31 characters, not a cell reference)", s.Name))
		}
		if seen[s.Name] {
			return f.errSeg(i, "name", fmt.Errorf("duplicate segment name %q", s.Name))
		}
		seen[s.Name] = true
		if s.Share.Set {
			if s.Requests.Set || s.Spend.Set || s.TotalInputTokens.Set || s.TotalOutputTokens.Set {
				return f.errSeg(i, "share", errors.New("share scales the [volume] table; give either share or the segment's own requests, totals or spend"))
			}
			if !share.ok(s.Share.D) {
				return f.errSeg(i, "share", rangeErr(s.Share, share))
			}
			shares = shares.Add(s.Share.D)
		}
		if s.Mode == "" {
			s.Mode = "sync"
		}
		if !oneOf(s.Mode, modes) {
			return f.errSeg(i, "mode", fmt.Errorf("unknown mode %q (allowed: sync, stream, batch)", s.Mode))
		}
		if s.Class != "" && !oneOf(s.Class, classes) {
			return f.errSeg(i, "class", fmt.Errorf("unknown class %q (allowed: realtime, near-realtime, scheduled)", s.Class))
		}
		if s.EligibleShare.Set && !unit.ok(s.EligibleShare.D) {
			return f.errSeg(i, "eligible_share", rangeErr(s.EligibleShare, unit))
		}
		if err := f.checkVolume(&s.Volume, func(key string, err error) error { return f.errSeg(i, key, err) }); err != nil {
			return err
		}
		if s.Model == "" && s.Prices == nil {
			return f.errSeg(i, "model", errors.New("missing: name a model (priced from the price books) or give [workload.prices]"))
		}
		if s.Model != "" && s.Prices != nil {
			return f.errSeg(i, "prices", errors.New("give either model or prices, not both"))
		}
		if s.Prices != nil {
			if err := f.checkPrices(s.Prices, func(key string, err error) error { return f.errSeg(i, "prices."+key, err) }); err != nil {
				return err
			}
		}
		v := f.vol(s)
		switch {
		case v.Spend.Set:
			if v.Requests.Set && (v.InputTokens.Set || v.OutputTokens.Set || v.PrefixTokens.Set) || v.TotalInputTokens.Set || v.TotalOutputTokens.Set {
				return f.errSeg(i, "spend", errors.New("give spend or token volumes, not both"))
			}
			if s.Prices == nil {
				return f.errSeg(i, "spend", errors.New("a segment described by its spend needs prices.batch_discount (or prices.no_batch) instead of a model"))
			}
		case v.Requests.Set && (v.InputTokens.Set || v.OutputTokens.Set || v.PrefixTokens.Set):
			if v.TotalInputTokens.Set || v.TotalOutputTokens.Set {
				return f.errSeg(i, "total_input_tokens", errors.New("give per-request tokens or period totals, not both"))
			}
			f.sized = true
		case v.TotalInputTokens.Set || v.TotalOutputTokens.Set:
		case v.Requests.Set && s.Prices != nil && s.Prices.PerRequest.Set:
		default:
			return f.errSeg(i, "requests", errors.New("missing volume: give requests with input_tokens/output_tokens per request, or total_input_tokens/total_output_tokens, or spend (here or in [volume])"))
		}
	}
	if shares.GreaterThan(dOne) {
		return &FileError{File: f.path, Line: f.lineIn("workload", 0, "share"), Key: "workload.share", Err: fmt.Errorf("segment shares add up to %s (allowed: at most 1)", shares)}
	}
	return f.validateLevers()
}

// vol merges a segment's volume over [volume].
func (f *File) vol(s *Segment) Volume {
	v := f.Volume
	pick := func(dst *Num, src Num) {
		if src.Set {
			*dst = src
		}
	}
	pick(&v.Requests, s.Requests)
	pick(&v.InputTokens, s.InputTokens)
	pick(&v.PrefixTokens, s.PrefixTokens)
	pick(&v.OutputTokens, s.OutputTokens)
	pick(&v.TotalInputTokens, s.TotalInputTokens)
	pick(&v.TotalOutputTokens, s.TotalOutputTokens)
	pick(&v.Spend, s.Spend)
	return v
}

func (f *File) checkVolume(v *Volume, fail func(string, error) error) error {
	for _, c := range []struct {
		key string
		n   Num
		r   rng
	}{
		{"requests", v.Requests, nonNeg},
		{"input_tokens", v.InputTokens, nonNeg},
		{"prefix_tokens", v.PrefixTokens, nonNeg},
		{"output_tokens", v.OutputTokens, nonNeg},
		{"total_input_tokens", v.TotalInputTokens, nonNeg},
		{"total_output_tokens", v.TotalOutputTokens, nonNeg},
		{"spend", v.Spend, nonNeg},
	} {
		if c.n.Set && !c.r.ok(c.n.D) {
			return fail(c.key, rangeErr(c.n, c.r))
		}
	}
	return nil
}

func (f *File) checkPrices(p *PriceSpec, fail func(string, error) error) error {
	for _, c := range []struct {
		key string
		n   Num
	}{
		{"input", p.Input}, {"output", p.Output}, {"cache_read", p.CacheRead},
		{"cache_write_5m", p.CacheWrite5m}, {"cache_write_1h", p.CacheWrite1h}, {"per_request", p.PerRequest},
	} {
		if c.n.Set && !nonNeg.ok(c.n.D) {
			return fail(c.key, rangeErr(c.n, nonNeg))
		}
	}
	if p.BatchDiscount.Set && !discount.ok(p.BatchDiscount.D) {
		return fail("batch_discount", rangeErr(p.BatchDiscount, discount))
	}
	if p.BatchDiscount.Set && p.NoBatch != "" {
		return fail("no_batch", errors.New("give batch_discount or no_batch, not both"))
	}
	if p.Source == "" {
		return fail("source", errors.New("missing: say where explicit prices come from (e.g. \"seed 002\", \"contract 2026\")"))
	}
	return nil
}

func (f *File) segExists(names []string, fail func(error) error) error {
	for _, n := range names {
		found := false
		for _, s := range f.Workload {
			if s.Name == n {
				found = true
			}
		}
		if !found {
			var have []string
			for _, s := range f.Workload {
				have = append(have, s.Name)
			}
			return fail(fmt.Errorf("unknown segment %q (allowed: %s)", n, strings.Join(have, ", ")))
		}
	}
	return nil
}

// check is one number of a lever's table to range-check: required ones
// must be set.
type check struct {
	table, key string
	n          Num
	r          rng
	required   bool
}

// validateLevers checks every lever's table: first what each lever checks
// itself (in the order of levers, then [sensitivity]), then the ranges of
// the numbers they return.
func (f *File) validateLevers() error {
	var checks []check
	for _, l := range levers {
		if !l.on(f) {
			continue
		}
		c, err := l.check(f)
		if err != nil {
			return err
		}
		checks = append(checks, c...)
	}
	if s := f.Sensitivity; s != nil {
		checks = append(checks, check{"sensitivity", "step", s.Step, rng{min: dZero, max: dOne, hasMin: true, hasMax: true, minOpen: true, maxOpen: true, text: "more than 0, less than 1"}, false})
	}
	for _, c := range checks {
		if !c.n.Set {
			if c.required {
				return f.errAt(errors.New("missing (required)"), c.table, c.key)
			}
			continue
		}
		if !c.r.ok(c.n.D) {
			return f.errAt(rangeErr(c.n, c.r), c.table, c.key)
		}
	}
	if e := f.Example; e != nil {
		for i, q := range e.Quotes {
			if q.Figure == "" {
				return &FileError{File: f.path, Line: f.lineIn("example.quote", i, ""), Key: "example.quote.figure", Err: errors.New("missing (required)")}
			}
		}
	}
	return nil
}

// noWorkflows rejects the workflows selectors in a described scenario.
func (f *File) noWorkflows() error {
	for _, c := range []struct {
		table string
		set   bool
	}{
		{"batch", f.Batch != nil && len(f.Batch.Workflows) > 0},
		{"cache", f.Cache != nil && len(f.Cache.Workflows) > 0},
		{"cancel", f.Cancel != nil && len(f.Cancel.Workflows) > 0},
		{"swap", f.Swap != nil && len(f.Swap.Workflows) > 0},
	} {
		if c.set {
			return f.errAt(errors.New("workflows selects logged workflows (a what-if applied to audited logs); in a described workload select segments"), c.table, "workflows")
		}
	}
	if f.Cache != nil && f.Cache.PrefixTokens.Set {
		return f.errAt(errors.New("in a described workload the prefix belongs to the segments: set prefix_tokens in [[workload]] or [volume]"), "cache", "prefix_tokens")
	}
	return nil
}

// validateWhatIf checks a what-if file for audited logs: no workload, and
// levers that select workflows by name.
func (f *File) validateWhatIf() error {
	if len(f.Workload) > 0 || f.Volume != (Volume{}) {
		line := f.lineIn("workload", 0, "")
		if line == 0 {
			line = f.lineIn("volume", -1, "")
		}
		return &FileError{File: f.path, Line: line, Key: "workload", Err: errors.New("a what-if over logs takes its workload from the logs: remove [[workload]] and [volume] (or run the file with costaudit simulate)")}
	}
	for _, c := range []struct {
		table string
		set   bool
	}{
		{"cache", f.Cache != nil && len(f.Cache.Segments) > 0},
		{"cancel", f.Cancel != nil && len(f.Cancel.Segments) > 0},
		{"swap", f.Swap != nil && len(f.Swap.Segments) > 0},
	} {
		if c.set {
			return f.errAt(errors.New("segments select parts of a described workload; over logs select workflows = [...]"), c.table, "segments")
		}
	}
	if f.Cache != nil && f.Cache.PrefixTokens.Set && !nonNeg.ok(f.Cache.PrefixTokens.D) {
		return f.errAt(rangeErr(f.Cache.PrefixTokens, nonNeg), "cache", "prefix_tokens")
	}
	return f.validateLevers()
}
