package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/internal/testutil"
)

// TestExamplesGolden runs every worked example through the command line
// and compares the JSON with examples/expected/NAME.json (regenerate with
// go test ./internal/cli -run TestExamplesGolden -update).
func TestExamplesGolden(t *testing.T) {
	files, err := loadEmbeddedExamples()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no embedded examples")
	}
	for _, f := range files {
		out, stderr, code := anRun(t, nil, "examples", "run", f.Name, "--format", "json")
		if code != 0 {
			t.Fatalf("examples run %s: exit %d: %s", f.Name, code, stderr)
		}
		simGolden(t, filepath.Join("..", "..", "examples", "expected", f.Name+".json"), out)
	}
	out, stderr, code := anRun(t, nil, "simulate", "--format", "json", filepath.Join("..", "..", "examples", "what-if", "support-assistant.toml"))
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, stderr)
	}
	simGolden(t, filepath.Join("..", "..", "examples", "expected", "support-assistant.json"), out)
}

func simGolden(t *testing.T, path, got string) {
	t.Helper()
	testutil.Golden(t, path, []byte(got))
}

// TestExamplesRunAll checks that `examples run` recomputes every example,
// flags each discrepancy the DESIGN table lists, and is deterministic.
func TestExamplesRunAll(t *testing.T) {
	out, stderr, code := anRun(t, nil, "examples", "run", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	again, _, _ := anRun(t, nil, "examples", "run", "--format", "json")
	if out != again {
		t.Error("examples run is not deterministic")
	}
	for _, want := range []string{
		`"kind": "examples"`,
		`the seed says $125; the arithmetic gives $206.25`,
		`the seed says $54/month; the arithmetic gives $201.50`,
		`the seed says $4,200; the arithmetic gives $4.20 — the seed is 1,000× too high`,
		`the seed says $42,100; the arithmetic gives $42.10`,
		`the seed says $80,000; the arithmetic gives $80.00`,
		`the seed says $29,260; the arithmetic gives $26.94`,
		`DeepSeek has no batch API, so no batch discount applies`,
		`"id": "deepseek"`,
		`"id": "openai"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("examples run output lacks %q", want)
		}
	}
	table, _, code := anRun(t, nil, "examples", "run")
	if code != 0 || !strings.Contains(table, "$26.94") || !strings.Contains(table, "$29,260") {
		t.Errorf("table output (exit %d) lacks the computed and quoted figures:\n%s", code, table)
	}
	list, _, code := anRun(t, nil, "examples")
	if code != 0 || !strings.Contains(list, "003-hybrid-stream-deepseek-batch") || !strings.Contains(list, "000-batch-budgeter-1-token") {
		t.Errorf("examples list (exit %d):\n%s", code, list)
	}
}

// TestSimulateExitCodes checks usage errors (exit 2) against bad input
// (exit 1), and that a bad value names the file, line, key and range.
func TestSimulateExitCodes(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join("..", "..", "examples", "scenarios", "002-email-drafts.toml")
	src, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, from, to string) string {
		p := filepath.Join(dir, name)
		s := strings.Replace(string(src), from, to, 1)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	neg := write("neg.toml", "requests = 25_000", "requests = -25_000")
	unknown := write("unknown.toml", `prices = { input = "3", output = "15", batch_discount = "0.5", source = "seed 002: $3/$15 per 1M tokens, Batch API 50% off" }`, `model = "claude-sonnet-9"`)
	hit := filepath.Join(dir, "hit.toml")
	hitSrc := strings.Replace(string(src), "[batch]", "[batch]\n\n[cache]\nhit_rate = 1.4", 1)
	if err := os.WriteFile(hit, []byte(hitSrc), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"simulate"}, 2, "give at least one scenario file"},
		{[]string{"simulate", "--format", "pdf", good}, 2, `--format "pdf"`},
		{[]string{"simulate", "--at", "yesterday", good}, 2, `--at "yesterday"`},
		{[]string{"simulate", "--seed", "-1", good}, 2, `--seed "-1"`},
		{[]string{"simulate", "--bogus", good}, 2, "unknown flag"},
		{[]string{"simulate", neg}, 1, neg + ":10: workload[1].requests: -25000 is out of range (allowed: 0 or more)"},
		{[]string{"simulate", hit}, 1, hit + ":21: cache.hit_rate: 1.4 is out of range (allowed: 0 to 1)"},
		{[]string{"simulate", unknown}, 1, unknown + ":16: workload[1].model: "},
		{[]string{"simulate", filepath.Join(dir, "missing.toml")}, 1, "missing.toml"},
		{[]string{"examples", "run", "999"}, 2, `no example "999"`},
		{[]string{"simulate", good}, 0, ""},
	}
	for _, tt := range tests {
		_, stderr, code := anRun(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.err) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with %q", tt.args, code, stderr, tt.code, tt.err)
		}
	}
	_, stderr, _ := anRun(t, nil, "simulate", unknown)
	if !strings.Contains(stderr, "unknown model") {
		t.Errorf("unknown model error %q does not say so", stderr)
	}
}

// TestSimulateSeedFlag checks that --seed overrides the file's seed and is
// printed.
func TestSimulateSeedFlag(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "what-if", "support-assistant.toml")
	a, _, code := anRun(t, nil, "simulate", "--format", "json", "--seed", "5", path)
	if code != 0 || !strings.Contains(a, "seed 5") || !strings.Contains(a, `"source": "flag --seed"`) {
		t.Errorf("exit %d, output does not print seed 5 from the flag", code)
	}
	b, _, _ := anRun(t, nil, "simulate", "--format", "json", path)
	if !strings.Contains(b, "seed 11") {
		t.Error("output does not print the file's seed 11")
	}
}

// TestApplyWhatIf applies a what-if file to a saved analyze report as
// analyze --what-if does.
func TestApplyWhatIf(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "simulate", "testdata", "analyze-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := decodeReport("analyze-report.json", data)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := loadCatalog(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := applyWhatIf(rep, cat, filepath.Join("..", "..", "simulate", "testdata", "whatif.toml")); err != nil {
		t.Fatal(err)
	}
	if len(rep.Scenarios) != 1 || rep.Scenarios[0].Kind != "what-if" {
		t.Fatalf("scenarios: %+v", rep.Scenarios)
	}
	var savings string
	for _, f := range rep.Scenarios[0].Figures {
		if f.Key == "batch_savings" {
			savings = f.Value
		}
	}
	if savings != "0.3510195" {
		t.Errorf("batch_savings %q, want 0.3510195", savings)
	}
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("[cache]\nprefix_tokens = 10\nhit_rate = 1.4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = applyWhatIf(rep, cat, bad)
	if err == nil || !strings.Contains(err.Error(), bad+":3: cache.hit_rate: 1.4 is out of range (allowed: 0 to 1)") {
		t.Errorf("error %v", err)
	}
}

// TestSimulateBatchLogs calibrates the completion Monte Carlo from the
// batch records of a log, through simulate --batch-logs and analyze
// --what-if alike: the completions of 1, 2 and 4 hours fit a lognormal with
// median 2 h and sigma ln 2; the batch record with latency_ms 0, the
// errored one, the expired one and the sync one are left out by both.
func TestSimulateBatchLogs(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "batch.jsonl")
	var b strings.Builder
	for i, ms := range []int{3_600_000, 7_200_000, 14_400_000} {
		fmt.Fprintf(&b, `{"ts":"2026-11-0%dT02:00:00Z","request_id":"b%d","model":"gpt-4.1","mode":"batch","latency_ms":%d,"input_tokens":100,"output_tokens":10,"status":"ok"}`+"\n", i+1, i, ms)
	}
	fmt.Fprintln(&b, `{"ts":"2026-11-04T02:00:00Z","request_id":"s1","model":"gpt-4.1","mode":"sync","latency_ms":900,"input_tokens":100,"output_tokens":10}`)
	fmt.Fprintln(&b, `{"ts":"2026-11-04T03:00:00Z","request_id":"z1","model":"gpt-4.1","mode":"batch","latency_ms":0,"input_tokens":100,"output_tokens":10,"status":"ok"}`)
	fmt.Fprintln(&b, `{"ts":"2026-11-04T04:00:00Z","request_id":"e1","model":"gpt-4.1","mode":"batch","latency_ms":18000000,"input_tokens":100,"output_tokens":0,"status":"error"}`)
	fmt.Fprintln(&b, `{"ts":"2026-11-04T05:00:00Z","request_id":"x1","model":"gpt-4.1","mode":"batch","latency_ms":86400000,"input_tokens":100,"output_tokens":0,"status":"expired"}`)
	if err := os.WriteFile(log, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	wi := filepath.Join(dir, "wi.toml")
	if err := os.WriteFile(wi, []byte("name = \"risk\"\n[batch]\n[completion]\ndeadline_hours = 6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "examples", "what-if", "support-assistant.toml")
	wantMedian := `"key": "completion_median_hours",
          "value": "2",
          "source": "fitted to 3 completed batch records with latency_ms above 0 (logs: ` + log + `)"`
	wantSigma := `"key": "completion_sigma",
          "value": "0.69314718056"`
	for _, args := range [][]string{
		{"simulate", "--format", "json", "--batch-logs", log, path},
		{"analyze", "--format", "json", "--what-if", wi, log},
	} {
		out, stderr, code := anRun(t, nil, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", args[0], code, stderr)
		}
		for _, want := range []string{wantMedian, wantSigma} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %s", args[0], want)
			}
		}
	}

	// One usable record: simulate was asked to calibrate and fails;
	// analyze uses the prior and says why.
	one := filepath.Join(dir, "one.jsonl")
	lines := strings.SplitAfter(b.String(), "\n")
	if err := os.WriteFile(one, []byte(lines[0]+strings.Join(lines[3:], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := anRun(t, nil, "simulate", "--batch-logs", one, path)
	if code != 1 || !strings.Contains(stderr, "--batch-logs "+one+": 1 completed batch records with latency_ms above 0; the completion model needs at least 2") {
		t.Errorf("simulate, one record: exit %d, stderr %q", code, stderr)
	}
	out, stderr, code := anRun(t, nil, "analyze", "--format", "json", "--what-if", wi, one)
	if code != 0 {
		t.Fatalf("analyze, one record: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`"completion: the logs do not calibrate the model (fit batch completion times: need at least 2 observations, have 1; a record counts when it is in mode batch, billed, with latency_ms above 0), so the prior is used"`,
		`"source": "default prior: median 2 h, 80% of batches within 1–4 h (a commonly reported range, not a provider promise: providers commit only to 24 h), 24 h window"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("analyze, one record: output lacks %s", want)
		}
	}
	_, stderr, code = anRun(t, nil, "simulate", "--batch-logs", filepath.Join("..", "..", "examples", "logs", "canonical.csv"), path)
	if code != 1 || !strings.Contains(stderr, "completed batch records with latency_ms above 0; the completion model needs at least 2") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestAnalyzeWhatIfCachePerRequest runs the cache lever of analyze
// --what-if over a log whose requests differ in size and in what they
// already cache (the case of simulate's TestCacheOverLogs): the prefix is
// capped per request, from the cache reads the log shows, so 3,000 of the
// ide requests' tokens move, not the 8,000 a cap over the totals allowed.
func TestAnalyzeWhatIfCachePerRequest(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "logs.jsonl")
	var b strings.Builder
	for i, r := range []struct {
		wf, provider, model, mode string
		in, cached                int
	}{
		{"ide", "anthropic", "claude-sonnet-4-5", "sync", 500, 0},
		{"ide", "anthropic", "claude-sonnet-4-5", "sync", 10000, 0},
		{"ide", "anthropic", "claude-sonnet-4-5", "sync", 1000, 1500},
		{"ide", "anthropic", "claude-sonnet-4-5", "sync", 3000, 2000},
		{"nightly", "openai", "gpt-4.1", "batch", 5000, 0},
		{"nightly", "openai", "gpt-4.1", "batch", 5000, 0},
	} {
		fmt.Fprintf(&b, `{"ts":"2026-11-02T%02d:00:00Z","request_id":"r%d","provider":%q,"model":%q,"workflow":%q,"mode":%q,"input_tokens":%d,"cache_read_tokens":%d,"output_tokens":100,"status":"ok"}`+"\n",
			2+i, i, r.provider, r.model, r.wf, r.mode, r.in, r.cached)
	}
	if err := os.WriteFile(log, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	wi := filepath.Join(dir, "wi.toml")
	if err := os.WriteFile(wi, []byte("name = \"cache\"\n[cache]\nprefix_tokens = 2000\nhit_rate = 0.8\nttl = \"5m\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := anRun(t, nil, "analyze", "--format", "json", "--what-if", wi, log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`"key": "wf1_cache_cost",
          "label": "ide: cost with the prefix cached",
          "value": "0.04452"`,
		`"key": "wf2_cache_cost",
          "label": "nightly: cost with the prefix cached",
          "value": "0.0092"`,
		`"key": "cache_savings",
          "label": "cache savings in the window",
          "value": "0.00763"`,
		`3000 prefix tokens not yet cached (per request: prefix_tokens less its cache reads and writes, at most its uncached input) at the input price`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s", want)
		}
	}
}

// TestLeversForLogsExample runs the README's what-if over the example log:
// nightly-enrichment (gpt-4.1, nothing cached today) gets 136,485 new
// prefix tokens, at most 1,000 per request and at most each request's
// input, and saves 136,485 × ($2 − 0.8 × $0.50 − 0.2 × $2) / 1M; the
// ide-assistant already caches an 8,000-token prefix on every request, so
// the lever adds nothing there and says so.
func TestLeversForLogsExample(t *testing.T) {
	out, stderr, code := anRun(t, nil, "analyze", "--format", "json", "--what-if",
		filepath.Join("..", "..", "examples", "what-if", "levers-for-logs.toml"), filepath.Join("..", "..", "examples", "logs", "canonical.jsonl"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`"key": "cache_savings",
          "label": "cache savings in the window",
          "value": "0.163782"`,
		`"cache: ide-assistant: no request has uncached input within its first 1000 prompt tokens that it does not already cache: nothing more to cache"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s", want)
		}
	}
}
