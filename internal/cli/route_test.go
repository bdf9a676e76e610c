package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/internal/testutil"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"

	"github.com/costaudit/costaudit/simulate"
)

// testdata/route/mixed.jsonl is a hand-made week (2026-11-02 to 11-08) of
// five workflows whose right routes are known before costaudit runs:
//   - enrich: 20 cron requests at 02:00 daily on gpt-5-mini, nobody waits →
//     batch-eligible; gpt-5-mini's flex price equals its batch price, so
//     flex saves at least as much with no queue → flex (LiteLLM: exact).
//   - triage: webhooks every 2 h on gpt-5-mini → near-realtime, not batched
//     by default → flex.
//   - summaries: a DeepSeek queue at 04:00 → scheduled, no batch API → sync.
//   - chat: people streaming on gpt-5 → stream, never batch.
//   - support: people streaming at 10:00 and a cron job at 03:00 under one
//     name → mixed: the workflow and its people part stream, its job part
//     is batch once it has its own name.
const routeLog = "testdata/route/mixed.jsonl"

// TestRouteGolden writes the policy in every format for the hand-made
// log and for the bundled sample (go test ./internal/cli -run
// TestRouteGolden -update rewrites testdata/route/).
func TestRouteGolden(t *testing.T) {
	canon := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	base := []string{"route", "--deadline", "6h", "--replays", "20", "--seed", "3"}
	cases := []struct {
		golden string
		args   []string
	}{
		{"mixed.json", []string{"--format", "json", routeLog}},
		{"mixed.toml", []string{"--format", "toml", routeLog}},
		{"mixed.yaml", []string{"--format", "yaml", routeLog}},
		{"mixed.litellm.yaml", []string{"--format", "litellm", routeLog}},
		{"mixed.table.txt", []string{routeLog}},
		{"mixed.md", []string{"--format", "markdown", routeLog}},
		{"canonical.json", []string{"--format", "json", canon}},
		{"canonical.table.txt", []string{canon}},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			out, stderr, code := anRun(t, nil, append(base, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			routeGolden(t, c.golden, out)
		})
	}
}

func routeGolden(t *testing.T, name, got string) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", "route", name), []byte(got))
}

// TestRouteFormatsAgree reads the JSON, TOML and YAML policies back: they
// hold the same document, and the -o extension picks the format.
func TestRouteFormatsAgree(t *testing.T) {
	dir := t.TempDir()
	read := func(name string, unmarshal func([]byte, any) error) simulate.Policy {
		path := filepath.Join(dir, name)
		if _, stderr, code := anRun(t, nil, "route", "--deadline", "6h", "--replays", "5", "-o", path, routeLog); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var p simulate.Policy
		if err := unmarshal(b, &p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return p
	}
	j := read("policy.json", json.Unmarshal)
	tm := read("policy.toml", toml.Unmarshal)
	y := read("policy.yaml", yaml.Unmarshal)
	if len(j.Routes) != 7 {
		t.Fatalf("%d routes, want 7 (5 workflows and the job and people parts of support)", len(j.Routes))
	}
	if !reflect.DeepEqual(j, tm) {
		t.Errorf("toml policy differs from json:\n%+v\n%+v", tm, j)
	}
	if !reflect.DeepEqual(j, y) {
		t.Errorf("yaml policy differs from json:\n%+v\n%+v", y, j)
	}
}

// TestRouteExpected checks the routes worked out by hand for mixed.jsonl.
func TestRouteExpected(t *testing.T) {
	out, stderr, code := anRun(t, nil, "route", "--format", "json", "--deadline", "6h", "--replays", "5", routeLog)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var p simulate.Policy
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"chat": "stream", "enrich": "flex", "summaries": "sync", "triage": "flex",
		"support": "stream", "support/job": "batch", "support/people": "stream",
	}
	got := map[string]string{}
	for _, r := range p.Routes {
		k := r.Workflow
		if r.Part != "" {
			k += "/" + r.Part
		}
		got[k] = r.Mode
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("routes %v, want %v", got, want)
	}
}

// TestRouteNeverBatchesPeople is the hard rule: over the bundled sample,
// the hand-made log and the adversarial crowd generator, no realtime or
// mixed workflow and no realtime part is routed to batch, whatever the
// deadline or batch classes.
func TestRouteNeverBatchesPeople(t *testing.T) {
	logs := []string{routeLog, filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")}
	for _, log := range logs {
		for _, extra := range [][]string{nil, {"--batch-classes", "scheduled,near-realtime"}, {"--deadline", "30m"}} {
			args := append([]string{"route", "--format", "json", "--replays", "3"}, extra...)
			out, stderr, code := anRun(t, nil, append(args, log)...)
			if code != 0 {
				t.Fatalf("%s %v: exit %d: %s", log, extra, code, stderr)
			}
			var p simulate.Policy
			if err := json.Unmarshal([]byte(out), &p); err != nil {
				t.Fatal(err)
			}
			mixed := map[string]bool{}
			for _, r := range p.Routes {
				if r.Part != "" {
					mixed[r.Workflow] = true
				}
			}
			for _, r := range p.Routes {
				if r.Mode == "batch" && (r.Class == "realtime" || (r.Part == "" && mixed[r.Workflow])) {
					t.Errorf("%s %v: %s part %q (%s) routed to batch", log, extra, r.Workflow, r.Part, r.Class)
				}
			}
		}
	}
}

func TestRouteUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--deadline", "soon"}, `--deadline "soon": want a duration such as 6h, 90m or 2d`},
		{[]string{"--deadline", "0h"}, `--deadline "0h": want a duration above zero`},
		{[]string{"--every", "36"}, "--every 36: want whole hours from 1 to 24"},
		{[]string{"--replays", "0"}, "--replays 0: want 1 or more"},
		{[]string{"--format", "xml"}, `--format "xml": unknown format (use one of json, litellm, markdown, table, toml, yaml)`},
	} {
		_, stderr, code := anRun(t, nil, append(append([]string{"route"}, c.args...), routeLog)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

func TestParseDeadline(t *testing.T) {
	for in, want := range map[string]float64{"6h": 6, "90m": 1.5, "2d": 48, "0.5d": 12} {
		got, err := parseDeadline(in)
		if err != nil || got != want {
			t.Errorf("%s: %v, %v; want %v", in, got, err, want)
		}
	}
}

// TestReadmeRouteExamples runs the README's route section as written from
// the repository root: every command of its sh block succeeds (outputs
// redirected into a temporary directory), and the LiteLLM console example
// is the exact output.
func TestReadmeRouteExamples(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	block := readmeBlock(t, "sh", "costaudit route examples/logs/canonical.jsonl")
	console := readmeBlock(t, "console", "$ costaudit route ")
	t.Chdir(repo)
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		line, _, _ = strings.Cut(line, "#")
		args := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "costaudit "))
		for i, a := range args {
			if i > 0 && args[i-1] == "-o" {
				args[i] = filepath.Join(dir, a)
			}
		}
		if _, stderr, code := anRun(t, nil, args...); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
		n++
	}
	if n < 5 {
		t.Errorf("%d commands in the README's route block, want the route and analyze examples", n)
	}
	for _, f := range []string{"policy.toml", "policy.json", "policy.yaml", "report.xlsx"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	cmd, want, _ := strings.Cut(console, "\n")
	out, stderr, code := anRun(t, nil, strings.Fields(strings.TrimPrefix(cmd, "$ costaudit "))...)
	if code != 0 || out != want {
		t.Errorf("exit %d %s; README output differs from the run:\n got:\n%s\nwant:\n%s", code, stderr, out, want)
	}
}

// TestRouteDeterministic writes the same policy bytes whatever the number
// of decoding workers: the arrivals are merged and sorted before the
// replay, and the draws are seeded.
func TestRouteDeterministic(t *testing.T) {
	canon := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	var first string
	for _, w := range []string{"1", "2", "7"} {
		out, stderr, code := anRun(t, nil, "route", "--format", "json", "--deadline", "6h", "--replays", "10", "--workers", w, canon, routeLog)
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		if first == "" {
			first = out
		} else if out != first {
			t.Errorf("workers %s: a different policy", w)
		}
	}
}

// TestRouteLiteLLMMergesIntoDocsConfig merges the LiteLLM fragment into a
// config.yaml taken from LiteLLM's documentation: the entries have the
// documented shape (model_name, litellm_params.model with the openai/
// prefix the docs use for OpenAI) and only flex routes on OpenAI appear.
func TestRouteLiteLLMMergesIntoDocsConfig(t *testing.T) {
	type entry struct {
		ModelName string         `yaml:"model_name"`
		Params    map[string]any `yaml:"litellm_params"`
	}
	type config struct {
		ModelList []entry `yaml:"model_list"`
	}
	docs, err := os.ReadFile(filepath.Join("testdata", "route", "litellm-docs-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var base config
	if err := yaml.Unmarshal(docs, &base); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := anRun(t, nil, "route", "--format", "litellm", "--replays", "5", routeLog)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var frag config
	if err := yaml.Unmarshal([]byte(out), &frag); err != nil {
		t.Fatalf("fragment is not YAML: %v\n%s", err, out)
	}
	if len(frag.ModelList) != 1 {
		t.Fatalf("%d model_list entries, want 1 (gpt-5-mini for enrich and triage):\n%s", len(frag.ModelList), out)
	}
	merged := append(base.ModelList, frag.ModelList...)
	b, err := yaml.Marshal(config{ModelList: merged})
	if err != nil {
		t.Fatal(err)
	}
	var back config
	if err := yaml.Unmarshal(b, &back); err != nil || len(back.ModelList) != 4 {
		t.Fatalf("merged config: %v, %d entries", err, len(back.ModelList))
	}
	e := frag.ModelList[0]
	if e.ModelName != "gpt-5-mini-flex" || e.Params["model"] != "openai/gpt-5-mini" || e.Params["service_tier"] != "flex" || len(e.Params) != 2 {
		t.Errorf("entry %+v", e)
	}
	for _, d := range base.ModelList {
		if _, ok := d.Params["model"].(string); !ok || d.ModelName == "" {
			t.Errorf("docs entry %+v lacks the keys the fragment relies on", d)
		}
	}
}

// TestRouteDeadlineTooShort gives a 30-minute deadline: no batch job can
// finish in time, so enrich goes to flex instead of batch, saying why, and
// the mixed workflow's job part keeps its estimate.
func TestRouteDeadlineTooShort(t *testing.T) {
	out, stderr, code := anRun(t, nil, "route", "--format", "json", "--deadline", "30m", "--replays", "5", routeLog)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var p simulate.Policy
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Routes {
		if r.Workflow != "enrich" {
			continue
		}
		why := strings.Join(r.Why, "\n")
		if r.Mode != "flex" || !strings.Contains(why, "at every interval tried the requests miss the 0.5 h deadline") {
			t.Errorf("enrich: mode %s, why:\n%s", r.Mode, why)
		}
	}
	for _, pk := range p.Packing {
		for _, row := range pk.Rows {
			if row.MissShare != "1" || row.MonthlySavingsUSD != "0" {
				t.Errorf("%s every %d h: miss %s, saving %s; want all late, nothing saved", pk.Workflow, row.EveryHours, row.MissShare, row.MonthlySavingsUSD)
			}
		}
	}
}

// TestRouteRealtimeRuleOverBatchedLogs is a trap: a rules file calls an
// already-batched workflow realtime. The route must not keep it on batch.
func TestRouteRealtimeRuleOverBatchedLogs(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules.toml")
	if err := os.WriteFile(rules, []byte("[[rule]]\nworkflow = \"eval-batch\"\nclass = \"realtime\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	canon := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	out, stderr, code := anRun(t, nil, "route", "--format", "json", "--replays", "3", "--rules", rules, canon)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var p simulate.Policy
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range p.Routes {
		if r.Workflow == "eval-batch" {
			found = true
			if r.Class != "realtime" || r.Mode == "batch" {
				t.Errorf("eval-batch: class %s, mode %s; want realtime and not batch", r.Class, r.Mode)
			}
		}
	}
	if !found {
		t.Error("no eval-batch route")
	}
}

func TestAnalyzePackNeedsLogs(t *testing.T) {
	_, stderr, code := anRun(t, nil, "analyze", "--pack", "--aggregates", filepath.Join("testdata", "aggregates", "canonical.csv"))
	if code != 2 || !strings.Contains(stderr, "--pack and --deadline replay the arrivals of log records") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
