package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/report"
)

// checkRun runs costaudit with args, with $GITHUB_STEP_SUMMARY set to
// stepSummary ("" for unset), and returns stdout, stderr and the exit code.
func checkRun(t *testing.T, stepSummary string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Now: func() time.Time { return time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC) },
		Getenv: func(name string) string {
			if name == stepSummaryEnv {
				return stepSummary
			}
			return ""
		},
	})
	return out.String(), errb.String(), code
}

// budgetReport is a report built by hand so that every measure is a round
// number: $100 of spend, batchable $6 (nightly $5 + digest $1; the eligible
// workflow with a negative saving does not count), unclassified $8,
// 4 unpriced records of 200.
func budgetReport() *report.Report {
	wf := func(name, class, evidence, cost, batch string, eligible bool) report.Workflow {
		c, b := dd(cost), dd(batch)
		return report.Workflow{Workflow: name, Class: class, Evidence: []string{evidence}, Requests: 10, CostUSD: c,
			WhatIf: report.WhatIf{BatchCostUSD: b, SavingsUSD: c.Sub(b), Eligible: eligible}}
	}
	return &report.Report{
		Kind:   "analyze",
		Window: report.Window{Start: "2026-03-01T00:00:00Z", End: "2026-04-01T00:00:00Z", Days: dd("31"), TZ: "UTC"},
		Coverage: report.Coverage{Records: 200, Priced: 196, Unpriced: 4,
			UnpricedModels: map[string]int64{"acme-1": 3, "acme-2": 1}},
		Totals: report.Totals{Requests: 196, CostUSD: dd("100")},
		Workflows: []report.Workflow{
			wf("chat", "realtime", "user_waiting=true on 90% of 10 requests", "79.5", "79.5", false),
			wf("nightly", "scheduled", "source cron on 100% of 10 requests", "10", "5", true),
			wf("mystery", "realtime", classify.Unclassified, "8", "8", false),
			wf("digest", "scheduled", "source cron on 100% of 10 requests", "2", "1", true),
			wf("fees", "scheduled", "source cron on 100% of 10 requests", "0.5", "1", true),
		},
	}
}

func dp(s string) *decimal.Decimal { d := dd(s); return &d }

// TestBudgetsPassAndFail holds the hand-built report to each budget at its
// exact measure (holds: a budget is "at most") and just under it (broken).
func TestBudgetsPassAndFail(t *testing.T) {
	rep := budgetReport()
	cases := []struct {
		name   string
		limits budgetLimits
		held   bool
		line   string // the budget's line of check's output
	}{
		{"batchable usd at the limit", budgetLimits{BatchableUSD: dp("6")}, true, "batchable spend $6.00 ≤ $6.00"},
		{"batchable usd over", budgetLimits{BatchableUSD: dp("5.99")}, false,
			"batchable spend $6.00 > $5.99 (--max-batchable-usd): batch delivery would save $6.00 on 2 workflows that nobody waits for: nightly $5.00, digest $1.00"},
		{"batchable usd over by a tenth of a cent", budgetLimits{BatchableUSD: dp("5.999")}, false,
			"batchable spend $6.000 > $5.999 (--max-batchable-usd)"},
		{"batchable share at the limit", budgetLimits{BatchableShare: dp("0.06")}, true, "batchable share 6.00% ≤ 6%"},
		{"batchable share over", budgetLimits{BatchableShare: dp("0.0599")}, false,
			"batchable share 6.00% > 5.99% (--max-batchable-share): batch delivery would save $6.00 of $100.00 spend on 2 workflows that nobody waits for: nightly $5.00, digest $1.00"},
		{"unclassified share at the limit", budgetLimits{UnclassifiedShare: dp("0.08")}, true, "unclassified share 8.00% ≤ 8%"},
		{"unclassified share over", budgetLimits{UnclassifiedShare: dp("0.07999")}, false,
			"unclassified share 8.00% > 7.999% (--max-unclassified-share): $8.00 of $100.00 spend is in 1 workflow with no class evidence, assumed realtime: mystery $8.00; add user_waiting or source to the logs, or a --rules file"},
		{"unpriced share at the limit", budgetLimits{UnpricedShare: dp("0.02")}, true, "unpriced share 2.00% ≤ 2%"},
		{"unpriced share over", budgetLimits{UnpricedShare: dp("0.019")}, false,
			"unpriced share 2.00% > 1.9% (--max-unpriced-share): 4 of 200 records have a model no price book knows, so their cost is missing from every figure: acme-1 (3), acme-2 (1); add them with --pricebook"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := evaluateBudgets(rep, &c.limits, nil, "")
			if len(res.Budgets) != 1 {
				t.Fatalf("%d budgets, want 1", len(res.Budgets))
			}
			if res.Budgets[0].Held != c.held {
				t.Errorf("held = %v, want %v", res.Budgets[0].Held, c.held)
			}
			text := checkText(rep, res)
			if !strings.Contains(text, c.line) {
				t.Errorf("output\n%s\nlacks %q", text, c.line)
			}
			if lines := strings.Count(text, "\n"); c.held && lines != 1 {
				t.Errorf("a pass prints one line, got %d:\n%s", lines, text)
			}
		})
	}
	if res := evaluateBudgets(rep, &budgetLimits{}, nil, ""); !res.BatchableUSD.Equal(dd("6")) || !res.UnclassUSD.Equal(dd("8")) {
		t.Errorf("batchable %s, unclassified %s; want 6 and 8", res.BatchableUSD, res.UnclassUSD)
	}
}

// TestBudgetIncreaseIsPerDay holds March (31 days, $100) to February (28
// days, $90): the total rose 11.1% but spend per day only 0.358%
// (100×28 / (90×31) = 2800/2790), so a 1% budget holds and a 0.35% one
// breaks.
func TestBudgetIncreaseIsPerDay(t *testing.T) {
	rep := budgetReport()
	base := budgetReport()
	base.Window = report.Window{Start: "2026-02-01T00:00:00Z", End: "2026-03-01T00:00:00Z", Days: dd("28"), TZ: "UTC"}
	base.Totals.CostUSD = dd("90")
	base.Workflows[2].CostUSD = dd("1") // mystery: 1 → 8, a driver
	for _, c := range []struct {
		limit string
		held  bool
		line  string
	}{
		{"0.01", true, "increase on baseline +0.4% ≤ +1%"},
		{"0.0036", true, "increase on baseline +0.4% ≤ +0.36%"},
		{"0.0035", false, "increase on baseline +0.4% > +0.35% (--max-increase): spend per day against feb.json ($96.43 → $96.77 per 30 days, +0.4%): mystery +622.6%"},
	} {
		res := evaluateBudgets(rep, &budgetLimits{Increase: dp(c.limit)}, base, "feb.json")
		if res.Budgets[0].Held != c.held {
			t.Errorf("limit %s: held = %v, want %v", c.limit, res.Budgets[0].Held, c.held)
		}
		if text := checkText(rep, res); !strings.Contains(text, c.line) {
			t.Errorf("limit %s: output\n%s\nlacks %q", c.limit, text, c.line)
		}
	}
	// No spend in the baseline: any spend is more than any increase.
	base.Totals.CostUSD = decimal.Zero
	if res := evaluateBudgets(rep, &budgetLimits{Increase: dp("10")}, base, "feb.json"); res.Budgets[0].Held {
		t.Error("an increase from $0 held a budget")
	}
}

// TestSharePairAgreesWithTheComparison: a share just over its limit is
// never shown as equal to it.
func TestSharePairAgreesWithTheComparison(t *testing.T) {
	for _, c := range []struct{ part, whole, limit, value, shown string }{
		{"8.0004", "100", "0.08", "8.0004%", "8%"},
		{"8", "100", "0.08", "8.00%", "8%"},
		{"1", "3", "0.3333", "33.333%", "33.33%"},
		{"0", "0", "0", "0% (nothing to share)", "0%"},
	} {
		v, l := sharePair(dd(c.part), dd(c.whole), dd(c.limit))
		if v != c.value || l != c.shown {
			t.Errorf("sharePair(%s, %s, %s) = %s, %s; want %s, %s", c.part, c.whole, c.limit, v, l, c.value, c.shown)
		}
	}
}

func TestParseShare(t *testing.T) {
	for in, want := range map[string]string{"0.05": "0.05", "5%": "0.05", "12.5 %": "0.125", "0": "0", "1": "1", "100%": "1"} {
		got, err := parseShare("--x", in)
		if err != nil || !got.Equal(dd(want)) {
			t.Errorf("parseShare(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"5", "-0.1", "five", "", "1.01"} {
		if _, err := parseShare("--x", in); err == nil {
			t.Errorf("parseShare(%q) took it", in)
		}
	}
}

// TestCheckCommand runs check on the bundled logs: exit codes, the one
// line of a pass, the summary in --summary FILE and appended to
// $GITHUB_STEP_SUMMARY.
func TestCheckCommand(t *testing.T) {
	logs := filepath.Join("..", "..", "examples", "logs")
	dir := t.TempDir()
	step := filepath.Join(dir, "step-summary.md")
	if err := os.WriteFile(step, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(dir, "summary.md")
	out, stderr, code := checkRun(t, step, "check", "--no-config", "--max-batchable-usd", "3", "--max-unclassified-share", "15%", "--max-unpriced-share", "0", "--summary", summary, logs)
	if code != ExitOK {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
	want := "costaudit check: pass: 3 budgets held on 4,908 records, $40.11 spend: batchable spend $2.06 ≤ $3.00; unclassified share 2.16% ≤ 15%; unpriced share 0.00% ≤ 0%\n"
	if out != want {
		t.Errorf("stdout\n%q\nwant\n%q", out, want)
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## costaudit check: pass\n", "| unclassified share (`--max-unclassified-share`) | 2.16% | 15% | pass |", "| weekly-digest | scheduled | $0.54 | $0.27 | $0.27 |", "| nightly-enrichment/chat | 138 | $0.71 |"} {
		if !strings.Contains(string(md), s) {
			t.Errorf("summary lacks %q:\n%s", s, md)
		}
	}
	stepMD, err := os.ReadFile(step)
	if err != nil {
		t.Fatal(err)
	}
	if string(stepMD) != "earlier step\n"+string(md) {
		t.Errorf("$GITHUB_STEP_SUMMARY is not the earlier content followed by the summary:\n%s", stepMD)
	}

	out, stderr, code = checkRun(t, "", "check", "--no-config", "--max-batchable-usd", "0.05", "--max-unclassified-share", "0.2", logs)
	if code != ExitFailure {
		t.Fatalf("exit %d, want 1: %s%s", code, out, stderr)
	}
	wantOut := "costaudit check: FAIL: 1 of 2 budgets exceeded on 4,908 records, $40.11 spend\n" +
		"  batchable spend $2.06 > $0.05 (--max-batchable-usd): batch delivery would save $2.06 on 2 workflows that nobody waits for: nightly-enrichment $1.79, weekly-digest $0.27\n"
	if out != wantOut || stderr != "costaudit: budget exceeded: 1 of 2 budgets\n" {
		t.Errorf("stdout %q\nstderr %q", out, stderr)
	}

	base := filepath.Join(dir, "base.json")
	if _, stderr, code := checkRun(t, "", "check", "--no-config", "--max-unpriced-share", "0", "--report", base, filepath.Join(logs, "canonical.jsonl")); code != ExitOK {
		t.Fatalf("check --report: exit %d: %s", code, stderr)
	}
	// check --report writes what analyze --format json writes.
	analyzed := filepath.Join(dir, "analyzed.json")
	if _, stderr, code := checkRun(t, "", "analyze", "--no-config", "--format", "json", "-o", analyzed, filepath.Join(logs, "canonical.jsonl")); code != ExitOK {
		t.Fatalf("analyze: exit %d: %s", code, stderr)
	}
	if a, b := readFile(t, analyzed), readFile(t, base); a != b {
		t.Errorf("check --report differs from analyze --format json at %s", anFirstDiff(a, b))
	}
	// All samples hold the canonical week several times over (each format
	// is another copy of the same workload, over the same days), so their
	// spend per day is higher: the increase budget breaks and names the
	// workflows behind it.
	out, _, code = checkRun(t, "", "check", "--no-config", "--baseline", base, "--max-increase", "25%", logs)
	if code != ExitFailure || !strings.Contains(out, "increase on baseline +509.3% > +25% (--max-increase): spend per day against "+base+" ($28.84 → $175.74 per 30 days, +509.3%): ide-assistant +592.0%, chat-ui +403.9%, nightly-enrichment +400.0%, and 9 more\n") {
		t.Errorf("baseline increase: exit %d:\n%s", code, out)
	}
	// The other way round spend per day fell by 83.6%: the budget holds.
	now := filepath.Join(dir, "now.json")
	if _, stderr, code := checkRun(t, "", "check", "--no-config", "--max-unpriced-share", "0", "--report", now, logs); code != ExitOK {
		t.Fatalf("check --report: exit %d: %s", code, stderr)
	}
	out, stderr, code = checkRun(t, "", "check", "--no-config", "--baseline", now, "--max-increase", "0", "--min-usd", "0.5", filepath.Join(logs, "canonical.jsonl"))
	if code != ExitOK || !strings.Contains(out, "increase on baseline -83.6% ≤ +0%") {
		t.Errorf("baseline: exit %d: %s%s", code, out, stderr)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	logs := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	dir := t.TempDir()
	badConfig := filepath.Join(dir, "costaudit.toml")
	if err := os.WriteFile(badConfig, []byte("[check]\nmax_unclassified_share = 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(dir, "typo.toml")
	if err := os.WriteFile(typo, []byte("[check]\nmax_unclasified_share = 0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{logs}, ExitUsage, "check: no budget: give at least one of"},
		{[]string{"--max-batchable-share", "5", logs}, ExitUsage, `--max-batchable-share "5": want a share between 0 and 1 (0.05) or a percentage (5%)`},
		{[]string{"--max-batchable-usd", "-1", logs}, ExitUsage, `--max-batchable-usd "-1": want an amount of USD`},
		{[]string{"--baseline", "x.json", logs}, ExitUsage, "--baseline x.json: give the budget with --max-increase"},
		{[]string{"--max-increase", "0.1", logs}, ExitUsage, "--max-increase 0.1: give the report to compare with, --baseline FILE"},
		{[]string{"--max-batchable-usd", "1"}, ExitUsage, "no input"},
		{[]string{"--config", badConfig, logs}, ExitUsage, badConfig + `:2 (check.max_unclassified_share) "5": want a share between 0 and 1`},
		{[]string{"--config", typo, logs}, ExitUsage, typo + `:2: unknown key "check.max_unclasified_share"`},
		{[]string{"--config", filepath.Join(dir, "missing.toml"), "--max-batchable-usd", "1", logs}, ExitUsage, "--config: read config:"},
		{[]string{"--baseline", filepath.Join(dir, "missing.json"), "--max-increase", "0.1", logs}, ExitFailure, "--baseline: read report:"},
		{[]string{"--max-batchable-usd", "1", filepath.Join(dir, "missing.jsonl")}, ExitFailure, "missing.jsonl"},
	}
	for _, c := range cases {
		args := append([]string{"check"}, c.args...)
		if !strings.Contains(strings.Join(c.args, " "), "--config") {
			args = append(args, "--no-config")
		}
		_, stderr, code := checkRun(t, "", args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

func TestCheckEmptyInputFails(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	if err := os.WriteFile(empty, []byte("{\"type\":\"note\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := checkRun(t, "", "check", "--no-config", "--max-unpriced-share", "0", empty)
	if code != ExitFailure || !strings.Contains(stderr, "the input holds no record") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestCheckSummaryEscapesNames: workflow and model names come from logs;
// in the summary they cannot break a table row or inject Markdown, and in
// the terminal they cannot inject escape sequences.
func TestCheckSummaryEscapesNames(t *testing.T) {
	rep := budgetReport()
	rep.Workflows[2].Workflow = "evil|cell\n# heading \x1b[31m[link](http://x)"
	rep.Coverage.UnpricedModels = map[string]int64{"m|x\n": 4}
	res := evaluateBudgets(rep, &budgetLimits{UnclassifiedShare: dp("0"), UnpricedShare: dp("0")}, nil, "")
	md := string(checkMarkdown(rep, res))
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "## costaudit check") && !strings.HasPrefix(line, "### ") {
			t.Errorf("a name made a heading: %q", line)
		}
	}
	if !strings.Contains(md, "\n| evil\\|cell\\\\n\\# heading \\\\x1b\\[31m\\[link\\](http://x) | 10 | $8.00 |\n") {
		t.Errorf("summary does not hold the escaped name:\n%s", md)
	}
	if text := checkText(rep, res); strings.ContainsAny(text, "\x1b") || !strings.Contains(text, `evil|cell\n# heading \x1b[31m`) {
		t.Errorf("terminal text not cleaned:\n%q", text)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestCheckSummaryIsCapped: a month with many changed workflows keeps the
// summary short: 20 rows of changes and a count of the rest.
func TestCheckSummaryIsCapped(t *testing.T) {
	rep, base := budgetReport(), budgetReport()
	rep.Workflows = nil
	for i := 0; i < 25; i++ {
		rep.Workflows = append(rep.Workflows, report.Workflow{Workflow: fmt.Sprintf("wf-%02d", i), Class: "realtime", CostUSD: dd("4")})
	}
	base.Workflows = nil
	base.Pricebooks = []report.Pricebook{{ID: "openai", SHA256: "aa"}, {ID: "anthropic", SHA256: "bb"}}
	rep.Pricebooks = []report.Pricebook{{ID: "openai", SHA256: "cc"}, {ID: "anthropic", SHA256: "bb"}, {ID: "google", SHA256: "dd"}}
	res := evaluateBudgets(rep, &budgetLimits{Increase: dp("0.1")}, base, "base.json")
	if len(res.Changes) != 25 {
		t.Fatalf("%d changes, want 25", len(res.Changes))
	}
	md := string(checkMarkdown(rep, res))
	if !strings.Contains(md, "Price books changed since then: openai (changed), google (added). ") {
		t.Errorf("summary does not name the changed books:\n%s", md)
	}
	if n := strings.Count(md, "| wf-"); n != 20 || !strings.Contains(md, "\n5 more (costaudit diff --threshold lists every one).\n") {
		t.Errorf("%d change rows:\n%s", n, md)
	}
}
