package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// hardenLog is a small canonical log of three records.
const hardenLog = `{"ts":"2026-06-01T10:00:00Z","request_id":"a","model":"gpt-4o","workflow":"chat","input_tokens":1000,"output_tokens":100}
{"ts":"2026-06-01T11:00:00Z","request_id":"b","model":"gpt-4o","workflow":"nightly","source":"cron","input_tokens":2000,"output_tokens":200}
{"ts":"2026-06-02T11:00:00Z","request_id":"c","model":"gpt-4o","workflow":"nightly","source":"cron","input_tokens":2000,"output_tokens":200}
`

// hardenFile writes data to dir/name and returns the path.
func hardenFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUsageErrorsExitTwo checks that every kind of command-line mistake
// exits 2 on every command, whatever part of cobra or costaudit finds it.
func TestUsageErrorsExitTwo(t *testing.T) {
	dir := t.TempDir()
	log := hardenFile(t, dir, "logs.jsonl", hardenLog)
	scenario := filepath.Join("..", "..", "examples", "scenarios", "002-cache-plus-batch.toml")
	report := filepath.Join("testdata", "report", "analyze.json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bogus"}, `unknown command "bogus" for "costaudit"`},
		{[]string{"analyz", log}, "did you mean analyze?"},
		{[]string{"examples", "bogus"}, `unknown command "bogus" for "costaudit examples"`},
		{[]string{"examples", "list", "x"}, "unknown command"},
		{[]string{"help", "bogus"}, "help bogus: unknown command"},
		{[]string{"completion", "bogus"}, `unknown command "bogus" for "costaudit completion"`},
		{[]string{"analyze", "--format-in", "nope", log}, `--format-in "nope": unknown format`},
		{[]string{"analyze", "--workers", "x", log}, `invalid argument "x" for "--workers"`},
		{[]string{"analyze", "--top", "-1", log}, "--top -1: want 0 (all) or more"},
		{[]string{"analyze", "-o", filepath.Join(dir, "r.xls"), log}, "writes Excel workbooks as .xlsx only"},
		{[]string{"analyze", "-f", "csv", "-o", filepath.Join(dir, "r.xlsx"), log}, "the name says an Excel workbook but --format is csv"},
		{[]string{"analyze", "-f", "xlsx", "-o", filepath.Join(dir, "r.csv"), log}, "an xlsx workbook must be named .xlsx"},
		{[]string{"report", "--from", report, "--top", "-2"}, "--top -2: want 0 (all) or more"},
		{[]string{"diff", "--top", "-1", report, report}, "--top -1: want 0 (all) or more"},
		{[]string{"diff", "--places", "-1", report, report}, "--places -1: want 1 to 12"},
		{[]string{"simulate", "--places", "40", scenario}, "--places 40: want 1 to 12"},
		{[]string{"simulate", "-f", "focus", scenario}, "--format focus: a FOCUS export lists billed usage from logs"},
		{[]string{"examples", "run", "--format", "focus"}, "--format focus"},
		{[]string{"sql", "--dialect", "duckdb", "--table", "t", "-o", filepath.Join(dir, "q.xlsx")}, "the name says an Excel workbook"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, stderr, code := runCLI(t, "", tc.args...)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

// TestOutputNamingAnInputIsRefused checks that -o and --rejects never
// overwrite a file the command reads, however the path is spelled.
func TestOutputNamingAnInputIsRefused(t *testing.T) {
	dir := t.TempDir()
	log := hardenFile(t, dir, "logs.jsonl", hardenLog)
	if err := os.Symlink(log, filepath.Join(dir, "link.jsonl")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(log, filepath.Join(dir, "hard.jsonl")); err != nil {
		t.Fatal(err)
	}
	rules := hardenFile(t, dir, "rules.toml", "[[rule]]\nworkflow = \"nightly\"\nclass = \"scheduled\"\n")
	report := hardenFile(t, dir, "run.json", mustRead(t, filepath.Join("testdata", "report", "analyze.json")))
	scenario := hardenFile(t, dir, "s.toml", mustRead(t, filepath.Join("..", "..", "examples", "scenarios", "002-cache-plus-batch.toml")))
	rel, err := filepath.Rel(".", log)
	if err != nil {
		rel = log
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"-o the log", []string{"analyze", "-f", "json", "-o", log, log}},
		{"--rejects the log", []string{"analyze", "--rejects", log, log}},
		{"symlink", []string{"analyze", "-o", filepath.Join(dir, "link.jsonl"), log}},
		{"hard link", []string{"analyze", "-o", filepath.Join(dir, "hard.jsonl"), log}},
		{"other spelling", []string{"analyze", "-o", filepath.Join(dir, ".", "logs.jsonl"), rel}},
		{"inside a directory input", []string{"analyze", "-o", log, dir}},
		{"classify", []string{"classify", "-o", log, log}},
		{"rules file", []string{"analyze", "-o", rules, "--rules", rules, log}},
		{"price", []string{"price", "-o", log, log}},
		{"report --from", []string{"report", "--from", report, "-o", report}},
		{"diff", []string{"diff", "-o", report, report, report}},
		{"simulate", []string{"simulate", "-o", scenario, scenario}},
		{"simulate --batch-logs", []string{"simulate", "-o", log, "--batch-logs", log, scenario}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := mustRead(t, log) + mustRead(t, rules) + mustRead(t, report) + mustRead(t, scenario)
			_, stderr, code := runCLI(t, "", tc.args...)
			if code != ExitUsage || !strings.Contains(stderr, "writing it would overwrite the log being read") {
				t.Errorf("exit %d, stderr %q; want exit 2 and a refusal", code, stderr)
			}
			if after := mustRead(t, log) + mustRead(t, rules) + mustRead(t, report) + mustRead(t, scenario); after != before {
				t.Errorf("an input changed")
			}
		})
	}
	t.Run("stdin redirected from the output", func(t *testing.T) {
		f, err := os.Open(log)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var out, errb bytes.Buffer
		code := Main([]string{"analyze", "-o", log, "-"}, Env{Stdin: f, Stdout: &out, Stderr: &errb})
		if code != ExitUsage || !strings.Contains(errb.String(), "is the standard input") {
			t.Errorf("exit %d, stderr %q", code, errb.String())
		}
	})
	t.Run("--rejects and -o the same new file", func(t *testing.T) {
		p := filepath.Join(dir, "same.out")
		_, stderr, code := runCLI(t, "", "analyze", "-o", p, "--rejects", p, log)
		if code != ExitUsage || !strings.Contains(stderr, "name the same file") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestOutputToDevices checks that -o /dev/null is written to (not refused
// as "not a regular file"), in a text format and as a workbook.
func TestOutputToDevices(t *testing.T) {
	if _, err := os.Stat(os.DevNull); err != nil || os.DevNull != "/dev/null" {
		t.Skip("no /dev/null")
	}
	dir := t.TempDir()
	log := hardenFile(t, dir, "logs.jsonl", hardenLog)
	for _, args := range [][]string{
		{"analyze", "-o", "/dev/null", log},
		{"analyze", "-f", "xlsx", "-o", "/dev/null", log},
		{"price", "-o", "/dev/null", log},
		{"sql", "--dialect", "duckdb", "--table", "t", "-o", "/dev/null"},
	} {
		if _, stderr, code := runCLI(t, "", args...); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
}

// TestEveryCommandSharesTheFlagConvention walks the command tree: every
// command with --format has -f and an -o FILE; every flag that takes a
// value names it with an upper-case placeholder, never pflag's type name
// (string, stringArray, int, ...).
func TestEveryCommandSharesTheFlagConvention(t *testing.T) {
	placeholder := regexp.MustCompile(`^[A-Z][A-Z0-9_.]*([|=][A-Z][A-Z0-9_.]*)*$`)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		f := c.Flags()
		if ff := f.Lookup("format"); ff != nil {
			if ff.Shorthand != "f" {
				t.Errorf("%s: --format has no -f", c.CommandPath())
			}
			if o := f.ShorthandLookup("o"); o == nil {
				t.Errorf("%s: renders (--format) but has no -o FILE", c.CommandPath())
			} else if name, _ := pflag.UnquoteUsage(o); name != "FILE" && name != "DIR" {
				t.Errorf("%s: -o takes %q, want FILE", c.CommandPath(), name)
			}
		}
		f.VisitAll(func(fl *pflag.Flag) {
			if fl.Value.Type() == "bool" || fl.Name == "help" {
				return
			}
			if name, _ := pflag.UnquoteUsage(fl); !placeholder.MatchString(name) {
				t.Errorf("%s --%s: placeholder %q, want an upper-case name such as FILE (put it in backquotes in the usage)", c.CommandPath(), fl.Name, name)
			}
		})
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(NewRoot(Env{}))
	// The commands the convention was missing on.
	for _, args := range [][]string{{"simulate"}, {"examples", "run"}, {"price"}, {"sql"}, {"pricebook", "list"}, {"pricebook", "show"}} {
		c, _, err := NewRoot(Env{}).Find(args)
		if err != nil {
			t.Fatal(err)
		}
		if c.Flags().ShorthandLookup("o") == nil {
			t.Errorf("%v: no -o", args)
		}
	}
}

// TestRenderCommandsWriteToOutputFile checks that -o writes what stdout
// would have shown, on the commands that lacked it.
func TestRenderCommandsWriteToOutputFile(t *testing.T) {
	dir := t.TempDir()
	log := hardenFile(t, dir, "logs.jsonl", hardenLog)
	for _, args := range [][]string{
		{"price", log},
		{"price", "--model", "gpt-4o", "--input", "1000", "--output", "10", "-f", "json", "--at", "2026-06-01"},
		{"sql", "--dialect", "duckdb", "--table", "t"},
		{"pricebook", "list", "-f", "json"},
		{"pricebook", "show", "gpt-4o", "--at", "2026-06-01"},
		{"examples", "run", "003-deepseek-only", "-f", "markdown"},
	} {
		want, stderr, code := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		out := filepath.Join(dir, "out")
		if _, stderr, code := runCLI(t, "", append(args, "-o", out)...); code != 0 {
			t.Fatalf("%v -o: exit %d: %s", args, code, stderr)
		}
		if got := mustRead(t, out); got != want {
			t.Errorf("%v -o wrote %d bytes, stdout had %d", args, len(got), len(want))
		}
	}
}

// TestDiffTopZeroMeansAll checks that --top 0 lists every row in diff, as
// in analyze and report.
func TestDiffTopZeroMeansAll(t *testing.T) {
	old, n := nextMonth(t)
	d := diffReports(old, n)
	_, secs := diffSections(d, 0, 2)
	rows := 0
	for _, s := range secs {
		if s.More != 0 {
			t.Errorf("section %q: %d rows left out with --top 0", s.Title, s.More)
		}
		rows += len(s.Rows)
	}
	_, one := diffSections(d, 1, 2)
	cut := 0
	for _, s := range one {
		cut += s.More
	}
	if rows == 0 || cut == 0 {
		t.Fatalf("test data too small: %d rows, %d cut at --top 1", rows, cut)
	}
}

// TestEmptyStdinIsNamed checks the warning for an empty standard input.
func TestEmptyStdinIsNamed(t *testing.T) {
	_, stderr, _ := runCLI(t, "", "analyze", "-")
	if !strings.Contains(stderr, "standard input is empty") || strings.Contains(stderr, "- is empty") {
		t.Errorf("stderr %q", stderr)
	}
}

// TestProgressBarShowsNoRateBeforeASecond checks that the progress bar is
// not drawn before a second of the scan has passed, so its first rate is
// not one block divided by microseconds ("(293 GB/s)").
func TestProgressBarShowsNoRateBeforeASecond(t *testing.T) {
	old := progressThreshold
	progressThreshold = 0
	defer func() { progressThreshold = old }()
	dir := t.TempDir()
	log := hardenFile(t, dir, "logs.jsonl", strings.Repeat(hardenLog, 4000)) // over 1 MiB: progress is reported per MiB
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var out, errb bytes.Buffer
	code := Main([]string{"analyze", "-o", filepath.Join(dir, "r.txt"), log}, Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Now: func() time.Time { return now }, IsTerminal: func() bool { return true },
	})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if strings.Contains(errb.String(), "B/s") || strings.Contains(errb.String(), "reading logs") {
		t.Errorf("bar drawn within the first second: %q", errb.String())
	}
	// Once a second has passed, the bar is drawn.
	var mu sync.Mutex
	tick := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(2 * time.Second)
		return now
	}
	errb.Reset()
	code = Main([]string{"analyze", "-o", filepath.Join(dir, "r.txt"), log}, Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Now: tick, IsTerminal: func() bool { return true },
	})
	if code != 0 || !strings.Contains(errb.String(), "reading logs") {
		t.Errorf("exit %d; no bar after the delay: %q", code, errb.String())
	}
}

// TestSignalRemovesTemporaryFiles interrupts a real costaudit process (this
// test binary, re-executed) while it writes --rejects, and checks that it
// exits 130 leaving no hidden .FILE.tmp-N file behind.
func TestSignalRemovesTemporaryFiles(t *testing.T) {
	if os.Getenv("COSTAUDIT_TEST_MAIN") == "1" {
		return
	}
	dir := t.TempDir()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "COSTAUDIT_TEST_MAIN=1", "COSTAUDIT_TEST_ARGS=analyze\x1f-\x1f--rejects\x1f"+filepath.Join(dir, "rejects.jsonl")+"\x1f-o\x1f"+filepath.Join(dir, "report.txt"))
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if _, err := stdin.Write([]byte(hardenLog + "not json\n")); err != nil {
			t.Fatal(err)
		}
		// Wait for the temporary rejects file: the scan is running and
		// blocked on the open standard input.
		deadline := time.Now().Add(30 * time.Second)
		for {
			m, _ := filepath.Glob(filepath.Join(dir, ".rejects.jsonl.tmp-*"))
			if len(m) > 0 {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("no temporary file appeared; stderr %q", errb.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		stdin.Close()
		code := cmd.ProcessState.ExitCode()
		if want := 128 + int(sig); code != want {
			t.Errorf("%s: exit %d (%v), want %d; stderr %q", sig, code, err, want, errb.String())
		}
		left, _ := filepath.Glob(filepath.Join(dir, ".*"))
		if len(left) > 0 {
			t.Errorf("%s: left %v; stderr %q", sig, left, errb.String())
		}
		for _, f := range []string{"rejects.jsonl", "report.txt"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				t.Errorf("%s: %s written by an interrupted run", sig, f)
			}
		}
	}
}

// TestMain runs costaudit itself when COSTAUDIT_TEST_MAIN is set, for the
// tests that need a real process to signal.
func TestMain(m *testing.M) {
	if os.Getenv("COSTAUDIT_TEST_MAIN") == "1" {
		args := strings.Split(os.Getenv("COSTAUDIT_TEST_ARGS"), "\x1f")
		os.Exit(Main(args, Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now, Signals: true}))
	}
	os.Exit(m.Run())
}

// TestReadmeCommandsNameRepositoryPaths checks that the files the README's
// commands read exist in a clone (not in a sibling checkout).
func TestReadmeCommandsNameRepositoryPaths(t *testing.T) {
	data := mustRead(t, filepath.Join("..", "..", "README.md"))
	if strings.Contains(data, "../shared") {
		t.Errorf("README names ../shared, which a clone does not have")
	}
	re := regexp.MustCompile("costaudit price < ([^` ]*oracle[^` ]*)")
	ms := re.FindAllStringSubmatch(data, -1)
	if len(ms) == 0 {
		t.Fatal("README has no costaudit price < FILE command")
	}
	for _, m := range ms {
		if _, err := os.Stat(filepath.Join("..", "..", m[1])); err != nil {
			t.Errorf("README: costaudit price < %s: %v", m[1], err)
		}
	}
}

// TestMaxWorkflowsFoldsTheTail checks --max-workflows end to end: the
// costliest workflows are listed, the others folded into one row per class
// with their sums, the total unchanged; 0 lists all; negative is a usage
// error.
func TestMaxWorkflowsFoldsTheTail(t *testing.T) {
	dir := t.TempDir()
	log := hardenFile(t, dir, "logs.jsonl", hardenLog+
		`{"ts":"2026-06-02T12:00:00Z","request_id":"d","model":"gpt-4o","workflow":"tiny","input_tokens":10,"output_tokens":1}`+"\n")
	all, stderr, code := runCLI(t, "", "analyze", "-f", "json", "--max-workflows", "0", log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	one, stderr, code := runCLI(t, "", "analyze", "-f", "json", "--max-workflows", "1", log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a, o struct {
		Totals struct {
			CostUSD string `json:"cost_usd"`
		} `json:"totals"`
		Workflows []struct {
			Workflow string `json:"workflow"`
			Requests int64  `json:"requests"`
		} `json:"workflows"`
		Notes []string `json:"notes"`
	}
	if err := json.Unmarshal([]byte(all), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(one), &o); err != nil {
		t.Fatal(err)
	}
	if len(a.Workflows) != 3 || a.Totals.CostUSD != o.Totals.CostUSD {
		t.Fatalf("all: %d workflows, total %s vs %s", len(a.Workflows), a.Totals.CostUSD, o.Totals.CostUSD)
	}
	names := map[string]int64{}
	for _, w := range o.Workflows {
		names[w.Workflow] = w.Requests
	}
	if names["nightly"] != 2 || names["(other realtime workflows)"] != 2 || len(names) != 2 {
		t.Errorf("folded workflows %v, want nightly and (other realtime workflows)", names)
	}
	if !strings.Contains(strings.Join(o.Notes, " "), "3 workflows: the 1 costliest are listed one by one") {
		t.Errorf("notes %q", o.Notes)
	}
	if _, stderr, code := runCLI(t, "", "analyze", "--max-workflows", "-1", log); code != ExitUsage || !strings.Contains(stderr, "--max-workflows -1") {
		t.Errorf("negative: exit %d, %q", code, stderr)
	}
}

// TestHugeLoggedCostIsARejection checks that logged_cost_usd 1e400 is
// counted as a rejected line with its reason, not summed.
func TestHugeLoggedCostIsARejection(t *testing.T) {
	in := `{"ts":"2026-06-01T10:00:00Z","model":"gpt-4o","input_tokens":10,"output_tokens":1,"logged_cost_usd":1e400}` + "\n" +
		`{"ts":"2026-06-01T10:00:01Z","model":"gpt-4o","input_tokens":10,"output_tokens":1,"logged_cost_usd":0.0001}` + "\n"
	out, stderr, code := runCLI(t, in, "analyze", "-f", "json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Coverage struct {
			Records  int64            `json:"records"`
			Rejected int64            `json:"rejected"`
			ByReason map[string]int64 `json:"rejected_by_reason"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Coverage.Records != 1 || rep.Coverage.Rejected != 1 || rep.Coverage.ByReason["bad value"] != 1 {
		t.Errorf("coverage %+v", rep.Coverage)
	}
	if _, stderr, code := runCLI(t, in, "analyze", "--strict", "-"); code != ExitFailure || !strings.Contains(stderr, "logged_cost_usd: bad value 1e400: out of range") {
		t.Errorf("strict: exit %d, %q", code, stderr)
	}
}

// TestGenUsageErrorPrintsOnlyTheError checks that a bad gen flag prints the
// error alone, not the seed line of a run that never starts.
func TestGenUsageErrorPrintsOnlyTheError(t *testing.T) {
	_, stderr, code := runCLI(t, "", "gen", "--size", "abc")
	if code != ExitUsage || strings.Contains(stderr, "seed") || !strings.Contains(stderr, `--size: "abc" is not a size`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestFoldedRowNeverMergesIntoALoggedWorkflow checks that a logged workflow
// named like a folded row keeps its own row.
func TestFoldedRowNeverMergesIntoALoggedWorkflow(t *testing.T) {
	in := `{"ts":"2026-06-01T10:00:00Z","model":"gpt-4o","workflow":"(other realtime workflows)","input_tokens":100000,"output_tokens":1}
{"ts":"2026-06-01T10:00:00Z","model":"gpt-4o","workflow":"a","input_tokens":10,"output_tokens":1}
{"ts":"2026-06-01T10:00:00Z","model":"gpt-4o","workflow":"b","input_tokens":10,"output_tokens":1}
`
	out, stderr, code := runCLI(t, in, "analyze", "-f", "json", "--max-workflows", "1", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Workflows []struct {
			Workflow string `json:"workflow"`
			Requests int64  `json:"requests"`
		} `json:"workflows"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, w := range rep.Workflows {
		got[w.Workflow] = w.Requests
	}
	if len(got) != 2 || got["(other realtime workflows)"] != 1 || got["(other realtime workflows)*"] != 2 {
		t.Errorf("workflows %v", got)
	}
}

// TestDiffEscapesControlCharacters checks that a newline in a workflow
// name prints as \n in diff's table and Markdown, not as a row of its own.
func TestDiffEscapesControlCharacters(t *testing.T) {
	old, n := nextMonth(t)
	n.Workflows[0].Workflow = "evil\nfake-row"
	d := diffReports(old, n)
	for name, write := range map[string]func(*bytes.Buffer) error{
		"table":    func(b *bytes.Buffer) error { return writeDiffTable(b, d, 0, 2) },
		"markdown": func(b *bytes.Buffer) error { return writeDiffMarkdown(b, d, 0, 2) },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), `evil\`) {
			t.Errorf("%s: escaped name missing", name)
		}
		for _, line := range strings.Split(buf.String(), "\n") {
			if strings.Contains(line, "fake-row") && !strings.Contains(line, "evil") {
				t.Errorf("%s: fake row %q", name, line)
			}
		}
	}
}
