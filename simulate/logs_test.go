package simulate

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/report"
)

func loadReport(t *testing.T) *report.Report {
	t.Helper()
	data, err := os.ReadFile("testdata/analyze-report.json")
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	return &rep
}

// TestRunOnReport applies testdata/whatif.toml to an audited report and
// checks the figures against hand calculations from the report's lines and
// price rows.
func TestRunOnReport(t *testing.T) {
	rep := loadReport(t)
	data, err := os.ReadFile("testdata/whatif.toml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseWhatIf("testdata/whatif.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := RunOnReport(f, rep, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		// 0.702039 + 0.25175 + 0.082125 + 0.013399
		"cost": "1.049313",
		// nightly-enrich on batch: 0.160692 + 0.1512575 + 0.03907, the
		// analyze report's own what-if; evals already batched, summaries
		// on a provider without batch, chat realtime.
		"wf1_batch_cost": "0.3510195",
		"batch_savings":  "0.3510195",
		// summaries: each of its 75 requests already reads 500 cached
		// tokens, so only 500 of the 1,000 prefix tokens per request are
		// new: 37,500 tokens at input $0.30, read $0.03, write = input:
		// 0.082125 − 0.01125 + 0.8 × 0.001125 + 0.2 × 0.01125 (no
		// per-request counts here: the rule over the line's totals).
		"wf3_cache_cost": "0.074025",
		"cache_savings":  "0.0081",
		// chat: streamed output 22,659 × $0.40/M × 0.1 × (1 − 0.5).
		"cancel_saved_max": "0.00045318",
		// Time value in the window of 2.659028 days, one submission a
		// day: 2.659028 submissions, each saving 0.3510195 / 2.659028 and
		// delayed 12 h; a submission's 12 h at $0.01 cost $0.12, so the
		// window's delay costs 2.659028 × 0.12.
		"submissions":                   "2.659028",
		"breakeven_delay_cost_per_hour": "0.01100087137104235081",
		"delay_cost":                    "0.31908336",
		"net_batch_savings":             "0.03193614",
		"delayed_requests":              "90",
		// 0.31908336 × 90 / 0.3510195 requests moved in the window.
		"breakeven_requests": "81.81170105934285702076",
		// 90 requests in 2.659028 days, submitted once a day.
		"wf1_batch_requests_per_submission": "33.84695460145587034059",
		"avg_added_wait_hours":              "14",
	}
	got := map[string]string{}
	for _, fg := range sc.Figures {
		got[fg.Key] = fg.Value
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %s", k, got[k], v)
		}
	}
	if rep.Projection.WindowSavingsUSD.String() != got["batch_savings"] {
		t.Errorf("batch savings %s differ from the report's own batch what-if %s", got["batch_savings"], rep.Projection.WindowSavingsUSD)
	}
	checkScenarioExprs(t, "whatif", sc)
	var table *report.Table
	for i := range sc.Tables {
		if sc.Tables[i].Name == "batch by workflow" {
			table = &sc.Tables[i]
		}
	}
	if table == nil {
		t.Fatal("no batch by workflow table")
	}
	outcomes := []string{}
	for _, r := range table.Rows {
		outcomes = append(outcomes, r[1]+": "+r[5])
	}
	wantOut := "nightly-enrich: moves to batch | evals: already batched: untouched | summaries: nob has no batch API | chat: class realtime is not eligible"
	if g := strings.Join(outcomes, " | "); g != wantOut {
		t.Errorf("outcomes\n  %s\nwant\n  %s", g, wantOut)
	}
}

func TestParseWhatIfErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"[batch]\n[[workload]]\nname = \"x\"\nrequests = 1\nmodel = \"m\"\n", "w.toml:2: workload: a what-if over logs takes its workload from the logs"},
		{"[cache]\nhit_rate = 0.5\nsegments = [\"a\"]\n", "w.toml:3: cache.segments: segments select parts of a described workload"},
		{"[cache]\nhit_rate = 1.5\nprefix_tokens = 100\n", "w.toml:2: cache.hit_rate: 1.5 is out of range (allowed: 0 to 1)"},
	}
	for _, tt := range tests {
		_, err := ParseWhatIf("w.toml", []byte(tt.src))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("error %v, want prefix %q", err, tt.want)
		}
	}
	f, err := ParseWhatIf("w.toml", []byte("[cache]\nhit_rate = 0.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = RunOnReport(f, loadReport(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "w.toml:1: cache.prefix_tokens: missing") {
		t.Errorf("error %v, want a missing prefix_tokens error", err)
	}
}

// TestRunOnReportOneOffPeriod checks that period = "run" does not make the
// queue over logs one-off: the logs' traffic spreads over their window, so
// the batch jobs are sized per daily submission: 90 requests over 2.659028
// days (this used to divide by a submission interval it never recorded).
func TestRunOnReportOneOffPeriod(t *testing.T) {
	f, err := ParseWhatIf("run.toml", []byte("name = \"oneoff\"\nperiod = \"run\"\n[batch]\n"))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := RunOnReport(f, loadReport(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, fg := range sc.Figures {
		got[fg.Key] = fg.Value
	}
	for _, a := range sc.Assumptions {
		got[a.Key] = a.Value
	}
	for k, want := range map[string]string{"submit_every_hours": "24", "avg_queue_wait_hours": "12", "wf1_batch_requests_per_submission": "33.84695460145587034059"} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
}
