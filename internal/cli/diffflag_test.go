package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/report"
)

// monthPair is February (28 days) and March (31 days) with the same spend
// per day for "steady" — the trap: its total rose 10.7% — and real changes
// elsewhere.
func monthPair() (*report.Report, *report.Report) {
	wf := func(name, class, cost string) report.Workflow {
		return report.Workflow{Workflow: name, Class: class, CostUSD: dd(cost)}
	}
	feb := &report.Report{Kind: "analyze", Window: report.Window{Days: dd("28")}, Workflows: []report.Workflow{
		wf("steady", "realtime", "28"),       // $1/day both months
		wf("grows", "scheduled", "28"),       // $1/day → $1.50/day: +50%
		wf("shrinks", "realtime", "56"),      // $2/day → $1/day: -50%
		wf("reclassed", "scheduled", "2.8"),  // $3/30 d, class changes
		wf("tiny-reclass", "scheduled", "0"), // class changes, no spend
		wf("gone", "realtime", "14"),         // removed
	}}
	mar := &report.Report{Kind: "analyze", Window: report.Window{Days: dd("31")}, Workflows: []report.Workflow{
		wf("steady", "realtime", "31"),
		wf("grows", "scheduled", "46.5"),
		wf("shrinks", "realtime", "31"),
		wf("reclassed", "realtime", "3.1"),
		wf("tiny-reclass", "realtime", "0"),
		wf("fresh", "near-realtime", "6.2"), // new, $6/30 d
	}}
	return feb, mar
}

func TestFlagChangesPerDay(t *testing.T) {
	feb, mar := monthPair()
	type row struct {
		name    string
		reasons []string
		oldM    string
		newM    string
	}
	got := func(threshold, min string) []row {
		fs, rc := flagChanges(feb, mar, dd(threshold), dd(min))
		if !rc.perDay {
			t.Fatal("windows with a length are not compared per day")
		}
		var out []row
		for _, f := range fs {
			out = append(out, row{f.Workflow, f.Reasons, f.OldMonthlyUSD.String(), f.NewMonthlyUSD.String()})
		}
		return out
	}
	// 10%: steady (same $ per day) is not flagged although its total rose
	// 10.7%; the largest change per 30 days comes first.
	want := []row{
		{"shrinks", []string{"spend"}, "60", "30"},
		{"gone", []string{"removed"}, "15", "0"}, // ties with grows on $15 per 30 days: by name
		{"grows", []string{"spend"}, "30", "45"},
		{"fresh", []string{"new"}, "0", "6"},
		{"reclassed", []string{"class"}, "3", "3"},
		{"tiny-reclass", []string{"class"}, "0", "0"},
	}
	if g := got("0.1", "0"); !reflect.DeepEqual(g, want) {
		t.Errorf("threshold 10%%:\n got %v\nwant %v", g, want)
	}
	// $10 per 30 days keeps the large changes only, and drops class
	// changes of small workflows.
	want = []row{
		{"shrinks", []string{"spend"}, "60", "30"},
		{"gone", []string{"removed"}, "15", "0"},
		{"grows", []string{"spend"}, "30", "45"},
	}
	if g := got("0.49", "10"); !reflect.DeepEqual(g, want) {
		t.Errorf("threshold 49%%, $10:\n got %v\nwant %v", g, want)
	}
	// Exactly +50% and -50% are not "more than 50%".
	want = []row{{"gone", []string{"removed"}, "15", "0"}}
	if g := got("0.5", "10"); !reflect.DeepEqual(g, want) {
		t.Errorf("threshold 50%%, $10:\n got %v\nwant %v", g, want)
	}
	// Without window lengths the totals are compared: steady is flagged.
	feb.Window.Days, mar.Window.Days = dd("0"), dd("0")
	fs, rc := flagChanges(feb, mar, dd("0.1"), dd("0"))
	if rc.perDay || len(fs) == 0 || !strings.Contains(rc.basis(), "totals are compared") {
		t.Fatalf("no window length: perDay %v, %d flags", rc.perDay, len(fs))
	}
	found := false
	for _, f := range fs {
		found = found || f.Workflow == "steady"
	}
	if !found {
		t.Error("totals compared, yet steady (+10.7%) is not flagged at 10%")
	}
}

func TestDiffThresholdCommand(t *testing.T) {
	feb, mar := monthPair()
	dir := t.TempDir()
	write := func(name string, r *report.Report) string {
		r.SchemaVersion = report.SchemaVersion
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old, cur := write("feb.json", feb), write("mar.json", mar)
	out, stderr, code := checkRun(t, "", "diff", "--no-config", old, cur, "--threshold", "49%", "--min-usd", "10", "--format", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, s := range []string{
		"## Flagged: spend per day changed by more than 49% and by at least $10.00 per 30 days, or class changed\n",
		"| shrinks | $60.00 | $30.00 | -50.0% | realtime | spend |\n",
		"| gone | $15.00 | $0.00 | -100.0% | realtime | removed |\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("markdown lacks %q:\n%s", s, out)
		}
	}
	out, _, _ = checkRun(t, "", "diff", "--no-config", old, cur, "--threshold", "0.49", "--min-usd", "10", "--format", "json")
	var d struct {
		Flagged struct {
			Threshold string
			MinUSD    string `json:"min_usd"`
			Basis     string
			Workflows []struct{ Workflow string }
		} `json:"flagged"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Flagged.Threshold != "0.49" || d.Flagged.MinUSD != "10" || d.Flagged.Basis != "per_day" || len(d.Flagged.Workflows) != 3 || d.Flagged.Workflows[0].Workflow != "shrinks" {
		t.Errorf("json flagged = %+v", d.Flagged)
	}
	// Without --threshold nothing is flagged and the JSON has no "flagged".
	out, _, _ = checkRun(t, "", "diff", "--no-config", old, cur, "--format", "json")
	if strings.Contains(out, `"flagged"`) {
		t.Error("diff without --threshold wrote flagged")
	}
	if _, stderr, code := checkRun(t, "", "diff", "--no-config", old, cur, "--min-usd", "5"); code != ExitUsage || !strings.Contains(stderr, "--min-usd 5: give the change to flag with --threshold P") {
		t.Errorf("--min-usd alone: exit %d: %s", code, stderr)
	}
	if _, stderr, code := checkRun(t, "", "diff", "--no-config", old, cur, "--threshold", "lots"); code != ExitUsage || !strings.Contains(stderr, `--threshold "lots"`) {
		t.Errorf("bad --threshold: exit %d: %s", code, stderr)
	}
	// The threshold can come from costaudit.toml, as a percentage too.
	cfg := writeConfig(t, dir, "[diff]\nthreshold = \"49%\"\nmin_usd = 10\n")
	out, stderr, code = checkRun(t, "", "diff", "--config", cfg, old, cur)
	if code != 0 || !strings.Contains(out, "Flagged: spend per day changed by more than 49% and by at least $10.00 per 30 days") {
		t.Errorf("threshold from the config: exit %d: %s%s", code, out, stderr)
	}
	cfg = writeConfig(t, dir, "[diff]\nthreshold = 0.49\nmin_usd = 10\n")
	out, stderr, code = checkRun(t, "", "diff", "--config", cfg, old, cur)
	if code != 0 || !strings.Contains(out, "Flagged: spend per day changed by more than 49% and by at least $10.00 per 30 days") {
		t.Errorf("threshold from the config: exit %d: %s%s", code, out, stderr)
	}
}
