package simulate

import (
	"testing"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/internal/loggen"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// TestPolicyAdversarial routes the adversarial scenarios (crowds arriving
// at the same minute every weekday, a job with people beside it, cron jobs
// that stream, ...) with near-realtime in the batch classes and a long
// deadline, the settings most eager to batch, and checks every route
// against the scenario's ground truth: a workflow that is realtime or
// mixed in truth, or a realtime part, never goes to batch.
func TestPolicyAdversarial(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	batched := 0
	for _, sc := range loggen.Adversarial(1) {
		agg := aggregate.New(cat, aggregate.Options{TZ: sc.TZ})
		for i := range sc.Records {
			agg.Consume(&sc.Records[i])
		}
		rep, err := audit.BuildReport(agg, audit.Stats{}, cat, audit.BuildOptions{BatchClasses: []string{classify.Scheduled, classify.NearRealtime}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := BuildPolicy(rep, RouteOptions{
			Pack:     PackOptions{DeadlineHours: 48, Completion: PriorCompletion(), Replays: 3, Seed: 1},
			Arrivals: func(wf string) []Arrival { return WorkflowArrivals(agg, wf) },
			Quoter:   &CatalogQuoter{Cat: cat},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Routes {
			if r.Mode != RouteBatch {
				continue
			}
			batched++
			truth := sc.Truth[r.Workflow]
			switch {
			case r.Class == classify.Realtime:
				t.Errorf("%s: %s part %q is realtime and routed to batch", sc.Name, r.Workflow, r.Part)
			case r.Part == "" && (truth.Class == classify.Realtime || truth.Mixed):
				t.Errorf("%s: %s (truth %s, mixed %v: %s) routed to batch", sc.Name, r.Workflow, truth.Class, truth.Mixed, truth.Trap)
			}
		}
	}
	if batched == 0 {
		t.Error("no route went to batch: the test cannot fail")
	}
}
