package simulate

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// z90 is the standard normal quantile at 0.9: the prior puts 80% of
// batches between median/2 and median·2.
const z90 = 1.2815515655446004

// DefaultSeed is the Monte Carlo seed when neither the file nor a flag
// gives one.
const DefaultSeed = 1

// DefaultDraws is the number of Monte Carlo draws when the file gives none.
const DefaultDraws = 100_000

// CompletionModel is a lognormal model of a batch job's completion time in
// hours: ln(hours) is normal with mean Mu and standard deviation Sigma.
// Completions later than CapHours (the provider's batch window) expire.
type CompletionModel struct {
	Mu, Sigma float64
	CapHours  float64
	Source    string
}

// PriorCompletion is the documented prior used when no batch logs exist:
// median 2 hours, with 80% of batches between 1 and 4 hours (a range
// commonly reported for batch jobs, not a provider promise: OpenAI and
// Anthropic commit only to completion within 24 hours), capped at the
// 24-hour window.
func PriorCompletion() CompletionModel {
	return CompletionModel{
		Mu:       math.Log(2),
		Sigma:    math.Log(2) / z90,
		CapHours: 24,
		Source:   "default prior: median 2 h, 80% of batches within 1–4 h (a commonly reported range, not a provider promise: providers commit only to 24 h), 24 h window",
	}
}

// FitCompletion fits the lognormal to observed completion times in hours:
// Mu and Sigma are the mean and the sample standard deviation of their
// logarithms. It needs at least two positive times that are not all equal.
func FitCompletion(hours []float64, capHours float64, source string) (CompletionModel, error) {
	if len(hours) < 2 {
		return CompletionModel{}, fmt.Errorf("fit batch completion times: need at least 2 observations, have %d", len(hours))
	}
	logs := make([]float64, len(hours))
	for i, h := range hours {
		if !(h > 0) || math.IsInf(h, 0) {
			return CompletionModel{}, fmt.Errorf("fit batch completion times: observation %d is %v hours (allowed: more than 0)", i+1, h)
		}
		logs[i] = math.Log(h)
	}
	mu, sigma := stat.MeanStdDev(logs, nil)
	if !(sigma > 0) {
		return CompletionModel{}, errors.New("fit batch completion times: every observation is the same; the spread cannot be estimated")
	}
	return CompletionModel{Mu: mu, Sigma: sigma, CapHours: capHours, Source: source}, nil
}

// Risk is the Monte Carlo outcome of a completion model against a deadline.
type Risk struct {
	Draws   int
	Seed    uint64
	P50     float64 // hours, empirical median of the draws
	P95     float64 // hours, empirical 95th percentile
	PMiss   float64 // share of draws later than min(deadline, cap)
	PExpire float64 // share of draws later than the cap
	// AnalyticPMiss is the lognormal survival at min(deadline, cap), the
	// value PMiss converges to.
	AnalyticPMiss float64
}

// SimulateCompletion draws n completion times from m with a PCG source
// seeded by seed and measures them against deadline hours. The same
// inputs always give the same Risk.
func SimulateCompletion(m CompletionModel, deadline float64, n int, seed uint64) Risk {
	d := distuv.LogNormal{Mu: m.Mu, Sigma: m.Sigma, Src: rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)}
	limit := deadline
	if m.CapHours > 0 && m.CapHours < limit {
		limit = m.CapHours
	}
	xs := make([]float64, n)
	miss, expire := 0, 0
	for i := range xs {
		x := d.Rand()
		xs[i] = x
		if x > limit {
			miss++
		}
		if m.CapHours > 0 && x > m.CapHours {
			expire++
		}
	}
	sort.Float64s(xs)
	return Risk{
		Draws:         n,
		Seed:          seed,
		P50:           stat.Quantile(0.5, stat.Empirical, xs, nil),
		P95:           stat.Quantile(0.95, stat.Empirical, xs, nil),
		PMiss:         float64(miss) / float64(n),
		PExpire:       float64(expire) / float64(n),
		AnalyticPMiss: distuv.LogNormal{Mu: m.Mu, Sigma: m.Sigma}.Survival(limit),
	}
}

func ff(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }

func fdec(x float64) decimal.Decimal {
	d, _ := decimal.NewFromString(strconv.FormatFloat(x, 'g', 12, 64))
	return d
}

// completion runs the Monte Carlo of the file's [completion] table.
func (r *run) completion() error {
	c := r.f.Completion
	m := PriorCompletion()
	fitted := false
	switch {
	case len(c.ObservedHours) > 0:
		hs := make([]float64, len(c.ObservedHours))
		for i, o := range c.ObservedHours {
			hs[i] = o.D.InexactFloat64()
		}
		fit, err := FitCompletion(hs, 24, fmt.Sprintf("fitted to %d observed completion times (file %s: completion.observed_hours)", len(hs), r.f.path))
		if err != nil {
			return r.f.errAt(err, "completion", "observed_hours")
		}
		m, fitted = fit, true
	case r.opt.ObservedFrom != "":
		hs := r.opt.ObservedBatchHours
		fit, err := FitCompletion(hs, 24, BatchHoursSource(len(hs), r.opt.ObservedFrom))
		if err == nil {
			m, fitted = fit, true
			break
		}
		if r.opt.ObservedRequired {
			return fmt.Errorf("logs %s: %w (a record counts when it is in mode batch, billed, with latency_ms above 0)", r.opt.ObservedFrom, err)
		}
		r.notes = append(r.notes, fmt.Sprintf("completion: the logs do not calibrate the model (%v; a record counts when it is in mode batch, billed, with latency_ms above 0), so the prior is used", err))
	}
	if !fitted {
		if c.MedianHours.Set {
			m.Mu = math.Log(c.MedianHours.D.InexactFloat64())
			m.Source = "median from " + r.fileSrc("completion.median_hours") + "; spread of the default prior"
		}
		if c.Sigma.Set {
			m.Sigma = c.Sigma.D.InexactFloat64()
			m.Source += "; sigma from " + r.fileSrc("completion.sigma")
		}
	}
	if c.CapHours.Set {
		m.CapHours = c.CapHours.D.InexactFloat64()
	}
	n := DefaultDraws
	if c.Draws.Set {
		n = int(c.Draws.D.IntPart())
	}
	seed, seedSrc := uint64(DefaultSeed), "default seed"
	switch {
	case r.opt.SeedSet:
		seed, seedSrc = r.opt.Seed, "flag --seed"
	case c.Seed.Set:
		seed, seedSrc = uint64(c.Seed.D.IntPart()), r.fileSrc("completion.seed")
	}
	deadline := c.DeadlineHours.D.InexactFloat64()
	r.s.assume("deadline_hours", c.DeadlineHours.D, r.fileSrc("completion.deadline_hours"), fixed)
	r.s.assume("completion_median_hours", fdec(math.Exp(m.Mu)), m.Source, fixed)
	r.s.assume("completion_sigma", fdec(m.Sigma), m.Source+" (standard deviation of ln hours)", fixed)
	r.s.assume("completion_cap_hours", fdec(m.CapHours), "provider batch window: later results expire (https://developers.openai.com/api/docs/guides/batch; https://platform.claude.com/docs/en/build-with-claude/batch-processing)", fixed)
	r.s.assume("mc_draws", decimal.NewFromInt(int64(n)), "Monte Carlo draws", fixed)
	r.s.assume("mc_seed", decimal.NewFromUint64(seed), seedSrc, fixed)
	risk := SimulateCompletion(m, deadline, n, seed)
	r.s.stat("completion_p50_hours", "batch completion time, median (Monte Carlo)", "hours", ff(risk.P50, 3))
	r.s.stat("completion_p95_hours", "batch completion time, 95th percentile (Monte Carlo)", "hours", ff(risk.P95, 3))
	r.s.stat("p_miss_deadline", "chance a batch misses the deadline (Monte Carlo)", "%", ff(risk.PMiss*100, 3))
	r.s.stat("p_miss_deadline_analytic", "chance a batch misses the deadline (lognormal, exact)", "%", ff(risk.AnalyticPMiss*100, 3))
	r.s.stat("p_expire", "chance a batch outlasts the window and expires (Monte Carlo)", "%", ff(risk.PExpire*100, 3))
	if risk.P95 > m.CapHours {
		r.s.note("completion_p95_hours", "beyond the batch window: those batches expire")
	}
	r.notes = append(r.notes, fmt.Sprintf("completion risk: Monte Carlo, %d lognormal draws (gonum distuv), seed %d; %s", n, seed, m.Source))
	return nil
}
