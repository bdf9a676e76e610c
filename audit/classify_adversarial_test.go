package audit_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/internal/loggen"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// ofRequests matches the "N of M requests" counts of evidence strings.
var ofRequests = regexp.MustCompile(`([0-9,]+) of ([0-9,]+) requests`)

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestClassifyAdversarial is the acceptance test of classification on
// workloads written to defeat it (loggen.Adversarial): every workflow's
// class against its ground truth, no realtime or mixed workflow with a
// batch saving, at least 90% of cost classed right, and evidence counts
// that add up to the workflow's requests.
func TestClassifyAdversarial(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	var right, total decimal.Decimal
	var wfRight, wfTotal int
	for _, seed := range []uint64{1, 2, 3} {
		for _, sc := range loggen.Adversarial(seed) {
			agg := audit.NewAggregator(cat, audit.AggregateOptions{TZ: sc.TZ})
			for i := range sc.Records {
				agg.Consume(&sc.Records[i])
			}
			rep, err := audit.BuildReport(agg, audit.Stats{}, cat, audit.BuildOptions{BatchClasses: []string{audit.ClassNearRealtime}})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range rep.Workflows {
				truth, ok := sc.Truth[w.Workflow]
				if !ok {
					t.Fatalf("%s: workflow %s has no ground truth", sc.Name, w.Workflow)
				}
				total = total.Add(w.CostUSD)
				wfTotal++
				if w.Class == truth.Class {
					right = right.Add(w.CostUSD)
					wfRight++
				} else {
					t.Errorf("seed %d %s: %s is %s (%s), truth %s (%s)\n\t%s", seed, sc.Name, w.Workflow, w.Class, w.Confidence, truth.Class, truth.Trap, strings.Join(w.Evidence, "\n\t"))
				}
				if (truth.Class == audit.ClassRealtime || truth.Mixed) && w.WhatIf.SavingsUSD.IsPositive() {
					t.Errorf("seed %d %s: %s (truth %s, mixed %v) gets a batch saving of $%s", seed, sc.Name, w.Workflow, truth.Class, truth.Mixed, w.WhatIf.SavingsUSD)
				}
				if truth.Mixed && !strings.Contains(strings.Join(w.Evidence, " "), "mixed workflow") {
					t.Errorf("seed %d %s: mixed %s not called mixed: %v", seed, sc.Name, w.Workflow, w.Evidence)
				}
				for _, e := range w.Evidence {
					for _, m := range ofRequests.FindAllStringSubmatch(e, -1) {
						if k, n := atoi(t, m[1]), atoi(t, m[2]); n != w.Requests || k > n {
							t.Errorf("seed %d %s: %s shows %d requests, evidence says %q", seed, sc.Name, w.Workflow, w.Requests, e)
						}
					}
				}
				if seed == 1 && testing.Verbose() {
					t.Logf("%s %s: %s (%s) $%s saving $%s\n\t%s", sc.Name, w.Workflow, w.Class, w.Confidence, w.CostUSD.StringFixed(2), w.WhatIf.SavingsUSD.StringFixed(2), strings.Join(w.Evidence, "\n\t"))
				}
			}
		}
	}
	share, _ := right.Div(total).Float64()
	t.Logf("adversarial set, 3 seeds: %d of %d workflows and %.1f%% of $%s classed right", wfRight, wfTotal, 100*share, total.StringFixed(2))
	if share < 0.9 {
		t.Errorf("%.1f%% of cost classed right, want ≥ 90%%", 100*share)
	}
}
