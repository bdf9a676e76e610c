package audit_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// TestPacedCrowdFalseAlarms measures how often people arriving
// independently pass the two pace tests that need no onset within seconds:
// 300 crowds of 150–550 people, each arriving once, uniformly within 3–7
// minutes of a time that moves by up to nine minutes from day to day, on
// 7–26 days (the start-delay test), and 300 steady crowds of 40 a minute
// for 30–60 minutes (the one-run pace test). The counts are exact for
// these seeds; README's limits section states them.
func TestPacedCrowdFalseAlarms(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	bad, short := 0, 0
	const N = 300
	for seed := 0; seed < N; seed++ {
		rng := rand.New(rand.NewPCG(uint64(seed), 99))
		agg := aggregate.New(cat, aggregate.Options{})
		agg2 := aggregate.New(cat, aggregate.Options{})
		days := 7 + rng.IntN(20)
		size := 150 + rng.IntN(400)
		dur := time.Duration(3+rng.IntN(5)) * time.Minute
		for d := 1; d <= days; d++ {
			t0 := time.Date(2026, 10, d, 15, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(540_000)) * time.Millisecond)
			for i := 0; i < size; i++ {
				r := audit.Record{TS: t0.Add(time.Duration(rng.Float64() * float64(dur))), Provider: "openai", Model: "gpt-4o-mini", Workflow: "p", UserWaiting: -1, LatencyMS: -1, TTFTMS: -1, InputTokens: 10, OutputTokens: 1, Status: audit.StatusOK}
				agg.Consume(&r)
			}
		}
		// One steady crowd of 30 to 60 minutes.
		t0 := time.Date(2026, 7, 1, 7, 0, 0, 0, time.UTC)
		m := 30 + rng.IntN(30)
		for i := 0; i < 40*m; i++ {
			r := audit.Record{TS: t0.Add(time.Duration(rng.Float64() * float64(time.Duration(m)*time.Minute))), Provider: "openai", Model: "gpt-4o-mini", Workflow: "p", UserWaiting: -1, LatencyMS: -1, TTFTMS: -1, InputTokens: 10, OutputTokens: 1, Status: audit.StatusOK}
			agg2.Consume(&r)
		}
		if c := classify.Workflows(agg.Workflows(), nil, agg.Options().TZ)[0]; c.Class == classify.Scheduled {
			bad++
		}
		if c := classify.Workflows(agg2.Workflows(), nil, agg2.Options().TZ)[0]; c.Class == classify.Scheduled {
			short++
		}
	}
	t.Logf("start-delay test: %d of %d crowds called scheduled; one-run pace test: %d of %d", bad, N, short, N)
	if bad != 1 || short != 0 {
		t.Errorf("crowds called scheduled: %d by the start-delay test, %d by the one-run pace test; measured 1 and 0 of %d", bad, short, N)
	}
}
