package audit_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/internal/loggen"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// TestClassifyAccuracyLoggen is the regression test of classification on
// the generator's default workload, priced with the embedded books, over
// several seeds: the measured scores (100% of cost classified as its true
// class with hints; 96.2–99.4% with every hint field removed) must hold
// (floors 99% and 95%), and no realtime workflow is ever called scheduled.
func TestClassifyAccuracyLoggen(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	for _, strip := range []bool{false, true} {
		for _, seed := range []uint64{1, 2, 3} {
			for _, days := range []int{7, 28} {
				agg := aggregate.New(cat, aggregate.Options{})
				truth := map[string]string{}
				err := loggen.Records(loggen.Default(), loggen.Options{Seed: seed, Days: days, StripHints: strip}, func(e *loggen.Event) error {
					truth[e.Rec.Workflow] = e.Class()
					agg.Consume(&e.Rec)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				rep, err := audit.BuildReport(agg, audit.Stats{}, cat, audit.BuildOptions{})
				if err != nil {
					t.Fatal(err)
				}
				var right, total decimal.Decimal
				for _, w := range rep.Workflows {
					total = total.Add(w.CostUSD)
					if w.Class == truth[w.Workflow] {
						right = right.Add(w.CostUSD)
					}
					if truth[w.Workflow] == classify.Realtime && w.Class == classify.Scheduled {
						t.Errorf("strip=%v seed %d: realtime workflow %s called scheduled: %v", strip, seed, w.Workflow, w.Evidence)
					}
				}
				share, _ := right.Div(total).Float64()
				min := 0.99
				if strip {
					min = 0.95
				}
				t.Logf("hints stripped=%v seed %d, %d days: %.1f%% of $%s classified right", strip, seed, days, 100*share, total.StringFixed(2))
				if share < min {
					t.Errorf("hints stripped=%v seed %d, %d days: %.1f%% of cost classified right, want ≥ %.0f%%", strip, seed, days, 100*share, 100*min)
				}
			}
		}
	}
}
