package cli

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/costaudit/costaudit/report"
)

// whatIfView is the part of an analyze report a what-if golden keeps: the
// batch what-if of each workflow and its lines, the projection, and the
// scenarios. Classification evidence is left out (the rules file fixes
// the classes), so the goldens change only with the what-if logic.
type whatIfView struct {
	Workflows []whatIfWorkflow  `json:"workflows"`
	Savings   []string          `json:"opportunities"`
	Window    string            `json:"projection_window_savings_usd"`
	Monthly   string            `json:"projection_monthly_savings_usd"`
	Scenarios []report.Scenario `json:"scenarios"`
}

type whatIfWorkflow struct {
	Workflow string        `json:"workflow"`
	Class    string        `json:"class"`
	WhatIf   report.WhatIf `json:"what_if"`
	Lines    []string      `json:"lines"`
}

func whatIfViewOf(t *testing.T, out string) []byte {
	t.Helper()
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	v := whatIfView{Workflows: []whatIfWorkflow{}, Savings: []string{}, Window: rep.Projection.WindowSavingsUSD.String(),
		Monthly: rep.Projection.MonthlySavingsUSD.String(), Scenarios: rep.Scenarios}
	for _, w := range rep.Workflows {
		ww := whatIfWorkflow{Workflow: w.Workflow, Class: w.Class, WhatIf: w.WhatIf, Lines: []string{}}
		for _, l := range w.Lines {
			ww.Lines = append(ww.Lines, l.PriceRef+" "+l.Mode+": cost "+l.CostUSD.String()+", on batch "+l.BatchCostUSD.String())
		}
		v.Workflows = append(v.Workflows, ww)
	}
	for _, o := range rep.Opportunities {
		v.Savings = append(v.Savings, o.Workflow+": "+o.SavingsUSD.String()+" in the window, "+o.MonthlySavingsUSD.String()+" a month")
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestWhatIfGoldens runs the what-if cases of testdata/whatif/ through the
// command line and compares them with their goldens (regenerate with go
// test ./internal/cli -run TestWhatIfGoldens -update):
//
//   - flex: OpenAI flex with cache reads is cheaper than batch, so only the
//     sync line of nightly-flex moves (0.036) and all-flex stays; its one
//     daily submission waits 12 h at $0.001/h, so the break-even delay
//     cost is 0.036 / 12 = 0.003 per hour per submission;
//   - cache: the prefix is capped per request from the cache reads the log
//     shows (3,000 new tokens for ide, not 8,000), and a miss on the gpt-4.1
//     batch line writes at the batch input price;
//   - nostack: simulate cache + batch on gpt-4.1 and gemini-2.5-pro bills a
//     miss on batch at the batch input price;
//   - batch: analyze --what-if and simulate --batch-logs fit the same 3
//     completion times (median 2 h, sigma ln 2) from the same log.
func TestWhatIfGoldens(t *testing.T) {
	dir := filepath.Join("testdata", "whatif")
	in := func(name string) string { return filepath.Join(dir, name) }
	cases := []struct {
		golden string
		args   []string
		view   bool
	}{
		{"flex.golden.json", []string{"analyze", "--format", "json", "--rules", in("flex.rules.toml"), "--what-if", in("flex.whatif.toml"), in("flex.jsonl")}, true},
		{"cache.golden.json", []string{"analyze", "--format", "json", "--what-if", in("cache.whatif.toml"), in("cache.jsonl")}, true},
		{"nostack.golden.json", []string{"simulate", "--format", "json", in("nostack.toml")}, false},
		{"batch-analyze.golden.json", []string{"analyze", "--format", "json", "--what-if", in("batch.whatif.toml"), in("batch.jsonl")}, true},
		{"batch-simulate.golden.json", []string{"simulate", "--format", "json", "--batch-logs", in("batch.jsonl"), in("batch.simulate.toml")}, false},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			out, stderr, code := anRun(t, nil, c.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if c.view {
				out = string(whatIfViewOf(t, out))
			}
			simGolden(t, in(c.golden), out)
		})
	}
}
