package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/pricing"
)

// The ccusage cross-check: scripts/ccusage-check.sh compares costaudit's
// per-day cost of Claude Code logs with ccusage's. These tests run the script
// on the logs in testdata/claude-code when ccusage is available (CCUSAGE, a
// ccusage on PATH, or an installed package npx can run without the network),
// and always test the script's own judging with stand-in tools.

// ccusageVersion is the ccusage release the check was measured with: the
// newest whose native binary installs here.
const ccusageVersion = "20.0.24"

const ccusageInstall = "npm install -g ccusage@" + ccusageVersion

func ccRepoRoot() string { return filepath.Join("..", "..") }

func ccScript() string { return filepath.Join(ccRepoRoot(), "scripts", "ccusage-check.sh") }

// ccNeedTools skips the test (fails it under CI=true) unless bash and jq,
// which the script needs, are installed.
func ccNeedTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"bash", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing; scripts/ccusage-check.sh needs it (apt-get install %s)", tool, tool)
			}
			t.Skipf("%s is missing; scripts/ccusage-check.sh needs it", tool)
		}
	}
}

// ccusageCommand returns the ccusage command for the script's CCUSAGE: the
// CCUSAGE environment variable as given, else ccusage 20.0.24 on PATH, else
// an installed ccusage@20.0.24 that npx runs without the network. It skips
// the test (fails it under CI=true) when there is none.
func ccusageCommand(t *testing.T) string {
	t.Helper()
	if c := os.Getenv("CCUSAGE"); c != "" {
		return c
	}
	if p, err := exec.LookPath("ccusage"); err == nil {
		out, err := exec.Command(p, "--version").Output()
		if err == nil && strings.Contains(string(out), ccusageVersion) {
			return p
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is ccusage %q, not the %s the check was measured with; install it with: %s (or set CCUSAGE)", p, strings.TrimSpace(string(out)), ccusageVersion, ccusageInstall)
		}
		t.Skipf("%s is ccusage %q, not %s (%s, or set CCUSAGE)", p, strings.TrimSpace(string(out)), ccusageVersion, ccusageInstall)
	}
	if _, err := exec.LookPath("npx"); err == nil {
		cmd := exec.Command("npx", "--no-install", "ccusage@"+ccusageVersion, "--version")
		if out, err := cmd.Output(); err == nil && strings.Contains(string(out), ccusageVersion) {
			return "npx --no-install ccusage@" + ccusageVersion
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("ccusage is not installed; install it with: %s (or set CCUSAGE to its command)", ccusageInstall)
	}
	t.Skipf("ccusage is not installed (%s, or set CCUSAGE)", ccusageInstall)
	return ""
}

type ccRow struct {
	Day               string
	CCUsage, CostAud  float64
	Diff              float64
	Long              int
	Status, FullState string
}

var ccRowRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(.*)$`)

// ccRows parses the per-day table the script prints.
func ccRows(t *testing.T, out string) []ccRow {
	t.Helper()
	var rows []ccRow
	for _, line := range strings.Split(out, "\n") {
		m := ccRowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var r ccRow
		r.Day, r.FullState = m[1], m[6]
		r.Status = strings.SplitN(m[6], ":", 2)[0]
		var err error
		for i, dst := range []*float64{&r.CCUsage, &r.CostAud, &r.Diff} {
			if *dst, err = strconv.ParseFloat(m[2+i], 64); err != nil {
				t.Fatalf("row %q: column %d: %v", line, 2+i, err)
			}
		}
		if r.Long, err = strconv.Atoi(m[5]); err != nil {
			t.Fatalf("row %q: %v", line, err)
		}
		rows = append(rows, r)
	}
	return rows
}

// runCCCheck runs the script on dir with extra environment and returns its
// stdout, stderr and exit code.
func runCCCheck(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command("bash", append([]string{ccScript()}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("run %s: %v", ccScript(), err)
		}
		code = ee.ExitCode()
	}
	return out.String(), errb.String(), code
}

func writeExec(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestClaudeCodeTestdataInStep regenerates the Claude Code logs of
// testdata/claude-code from their workloads and seeds and requires the same
// files, so the cross-check always runs on logs the generator writes today.
func TestClaudeCodeTestdataInStep(t *testing.T) {
	base := filepath.Join(ccRepoRoot(), "testdata", "claude-code")
	for _, set := range []struct{ dir, workload, seed, extra string }{
		{"short-context", "workload.toml", "20261102", "--dup-share=0.03"},
		{"long-context", "workload-long-context.toml", "19", ""},
	} {
		t.Run(set.dir, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), set.dir)
			args := []string{"gen", "--format", "claude-code", "--workload", filepath.Join(base, set.workload),
				"--seed", set.seed, "--days", "7", "-o", out}
			if set.extra != "" {
				args = append(args, set.extra)
			}
			if _, stderr, code := runCLI(t, "", args...); code != ExitOK {
				t.Fatalf("gen: exit %d: %s", code, stderr)
			}
			want, got := ccTree(t, filepath.Join(base, set.dir)), ccTree(t, out)
			if len(want) != len(got) {
				t.Fatalf("testdata holds %d files, the generator writes %d; regenerate with the command in %s", len(want), len(got), set.workload)
			}
			for name, b := range got {
				if want[name] != b {
					t.Fatalf("%s differs from the generator's; regenerate with the command in %s", name, set.workload)
				}
			}
		})
	}
}

func ccTree(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestCCUsageCheckScriptJudgesDays runs the script with stand-ins for
// ccusage and costaudit: it must call ccusage as the check requires, judge
// each day against the tolerance, leave days with long-context requests
// unjudged, fail on a day one tool lacks, and name unpriced records and
// rejected lines.
func TestCCUsageCheckScriptJudgesDays(t *testing.T) {
	ccNeedTools(t)
	long := `{"type":"assistant","timestamp":"2026-11-03T10:00:00.123Z","requestId":"req_1","message":{"id":"msg_1","model":"claude-sonnet-4-5","usage":{"input_tokens":50000,"cache_read_input_tokens":160000,"cache_creation_input_tokens":0,"output_tokens":10}}}`
	short := `{"type":"assistant","timestamp":"2026-11-02T10:00:00Z","requestId":"req_2","message":{"id":"msg_2","model":"claude-sonnet-4-5","usage":{"input_tokens":40,"cache_read_input_tokens":199950,"cache_creation_input_tokens":10,"output_tokens":10}}}`
	ccDays := `{"daily":[{"date":"2026-11-02","totalCost":1.5},{"date":"2026-11-03","totalCost":0.7}]}`
	cases := []struct {
		name     string
		byDay    string
		coverage string
		code     int
		status   map[string]string // per day: ok, DIFFERS or not judged
	}{
		{"agree", `[{"day":"2026-11-02","cost_usd":"1.5"},{"day":"2026-11-03","cost_usd":"0.9"}]`, `{"unpriced":0,"rejected":0}`,
			0, map[string]string{"2026-11-02": "ok", "2026-11-03": "not judged"}},
		{"within a cent", `[{"day":"2026-11-02","cost_usd":"1.51"},{"day":"2026-11-03","cost_usd":"0.7"}]`, `{"unpriced":0,"rejected":0}`,
			0, map[string]string{"2026-11-02": "ok", "2026-11-03": "not judged"}},
		{"over a cent", `[{"day":"2026-11-02","cost_usd":"1.4899"},{"day":"2026-11-03","cost_usd":"0.7"}]`, `{"unpriced":0,"rejected":0}`,
			1, map[string]string{"2026-11-02": "DIFFERS", "2026-11-03": "not judged"}},
		{"day missing", `[{"day":"2026-11-03","cost_usd":"0.7"},{"day":"2026-11-04","cost_usd":"0.001"}]`, `{"unpriced":0,"rejected":0}`,
			1, map[string]string{"2026-11-02": "DIFFERS", "2026-11-03": "not judged", "2026-11-04": "ok"}},
		{"unpriced records are noted", `[{"day":"2026-11-02","cost_usd":"1.5"},{"day":"2026-11-03","cost_usd":"0.9"}]`,
			`{"unpriced":2,"rejected":0,"unpriced_models":{"claude-x":2}}`,
			0, map[string]string{"2026-11-02": "ok", "2026-11-03": "not judged"}},
		{"rejected lines are noted", `[{"day":"2026-11-02","cost_usd":"1.5"},{"day":"2026-11-03","cost_usd":"0.9"}]`,
			`{"unpriced":0,"rejected":1,"rejected_by_reason":{"invalid JSON":1}}`,
			0, map[string]string{"2026-11-02": "ok", "2026-11-03": "not judged"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			logs := filepath.Join(dir, "claude", "projects", "p")
			if err := os.MkdirAll(logs, 0o755); err != nil {
				t.Fatal(err)
			}
			// The long request is logged on two lines (one message) and
			// counts once; the short one has 199,990 input tokens plus 10
			// cache-write tokens: exactly 200K, not above.
			lines := long + "\n" + long + "\nnot json\n" + short + "\n"
			if err := os.WriteFile(filepath.Join(logs, "s.jsonl"), []byte(lines), 0o644); err != nil {
				t.Fatal(err)
			}
			for name, body := range map[string]string{"cc.json": ccDays,
				"ca.json": `{"coverage":` + c.coverage + `,"by_day":` + c.byDay + `}`} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			calls := filepath.Join(dir, "calls")
			writeExec(t, filepath.Join(dir, "ccusage"), `if [ "$1" = --version ]; then echo "ccusage stand-in"; exit 0; fi
echo "TZ=$TZ CLAUDE_CONFIG_DIR=$CLAUDE_CONFIG_DIR $*" >> `+calls+`
cat `+filepath.Join(dir, "cc.json")+"\n")
			writeExec(t, filepath.Join(dir, "costaudit"), "cat "+filepath.Join(dir, "ca.json")+"\n")
			out, stderr, code := runCCCheck(t, []string{"CCUSAGE=" + filepath.Join(dir, "ccusage"), "COSTAUDIT=" + filepath.Join(dir, "costaudit")},
				filepath.Join(dir, "claude"))
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, c.code, out, stderr)
			}
			got, _ := os.ReadFile(calls)
			wantCall := "TZ=UTC CLAUDE_CONFIG_DIR=" + filepath.Join(dir, "claude") + " claude daily --json --offline --mode calculate --timezone UTC\n"
			if string(got) != wantCall {
				t.Errorf("ccusage called as %q, want %q", got, wantCall)
			}
			if strings.Contains(c.coverage, `"unpriced":2`) && !strings.Contains(out, `note: costaudit left 2 record(s) unpriced, by model: {"claude-x":2}`) {
				t.Errorf("the unpriced records are not noted:\n%s", out)
			}
			if strings.Contains(c.coverage, `"rejected":1`) && !strings.Contains(out, `note: costaudit rejected 1 line(s): {"invalid JSON":1}`) {
				t.Errorf("the rejected line is not noted:\n%s", out)
			}
			rows := ccRows(t, out)
			if len(rows) != len(c.status) {
				t.Fatalf("%d rows, want %d:\n%s", len(rows), len(c.status), out)
			}
			for _, r := range rows {
				if r.Status != c.status[r.Day] {
					t.Errorf("%s: status %q, want %q", r.Day, r.FullState, c.status[r.Day])
				}
				if wantLong := map[bool]int{true: 1}[r.Day == "2026-11-03"]; r.Long != wantLong {
					t.Errorf("%s: %d long-context requests, want %d", r.Day, r.Long, wantLong)
				}
			}
		})
	}
	if _, _, code := runCCCheck(t, nil, "-t", "a cent", t.TempDir()); code != 2 {
		t.Errorf("a bad tolerance: exit %d, want 2", code)
	}
	if _, _, code := runCCCheck(t, nil, t.TempDir()); code != 2 {
		t.Errorf("a directory without projects/: exit %d, want 2", code)
	}
}

// TestCCUsageAgreesPerDay is the acceptance check against ccusage itself:
// on Claude Code logs without long-context requests every UTC day agrees
// within $0.01, and on logs with some, each day's difference is exactly the
// long-context requests' whole-request premium that ccusage does not charge.
func TestCCUsageAgreesPerDay(t *testing.T) {
	ccNeedTools(t)
	cc := ccusageCommand(t)
	bin := filepath.Join(t.TempDir(), "costaudit")
	build := exec.Command("go", "build", "-o", bin, "github.com/costaudit/costaudit/cmd/costaudit")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	env := []string{"CCUSAGE=" + cc, "COSTAUDIT=" + bin}
	base := filepath.Join(ccRepoRoot(), "testdata", "claude-code")
	days := []string{"2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-07", "2026-11-08"}

	t.Run("short-context", func(t *testing.T) {
		out, stderr, code := runCCCheck(t, env, filepath.Join(base, "short-context"))
		t.Logf("\n%s", out)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out, stderr)
		}
		if strings.Contains(out, "note:") {
			t.Errorf("costaudit left records unpriced or rejected lines in the testdata")
		}
		rows := ccRows(t, out)
		if len(rows) != len(days) {
			t.Fatalf("%d days, want %d", len(rows), len(days))
		}
		for i, r := range rows {
			if r.Day != days[i] || r.Status != "ok" || r.Long != 0 || math.Abs(r.Diff) > 0.01 || r.CCUsage <= 0 {
				t.Errorf("row %+v: want day %s, ok, no long-context request, |diff| <= 0.01", r, days[i])
			}
		}
	})

	t.Run("long-context", func(t *testing.T) {
		dir := filepath.Join(base, "long-context")
		out, stderr, code := runCCCheck(t, env, dir)
		t.Logf("\n%s", out)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out, stderr)
		}
		gaps, counts := ccLongContextGaps(t, dir)
		rows := ccRows(t, out)
		if len(rows) != len(days) {
			t.Fatalf("%d days, want %d", len(rows), len(days))
		}
		longDays := 0
		for _, r := range rows {
			if r.Long != counts[r.Day] {
				t.Errorf("%s: script counts %d long-context requests, the logs hold %d", r.Day, r.Long, counts[r.Day])
			}
			gap := gaps[r.Day].InexactFloat64()
			if math.Abs(r.Diff-gap) > 2e-6 {
				t.Errorf("%s: costaudit - ccusage = %.6f, want the long-context premium %s", r.Day, r.Diff, gaps[r.Day])
			}
			if r.Long > 0 {
				longDays++
				if r.Status != "not judged" || r.Diff <= 0.01 {
					t.Errorf("%s: %+v: want a difference above a cent, not judged", r.Day, r)
				}
			} else if r.Status != "ok" {
				t.Errorf("%s: %+v: want ok", r.Day, r)
			}
		}
		if longDays < 2 || longDays == len(days) {
			t.Errorf("%d of %d days hold long-context requests; the set must show both kinds", longDays, len(days))
		}
	})
}

// ccLongContextGaps reads Claude Code logs and returns, per UTC day, what
// costaudit charges for the requests above 200K input tokens (the whole
// request at the >200K rates, as Anthropic bills) minus what ccusage charges
// (per bucket, base rates up to 200K tokens and >200K rates above), and the
// number of such requests.
func ccLongContextGaps(t *testing.T, dir string) (map[string]decimal.Decimal, map[string]int) {
	t.Helper()
	cat, err := pricing.Load(embeddedBooks())
	if err != nil {
		t.Fatal(err)
	}
	type usage struct {
		Input         int64 `json:"input_tokens"`
		CacheRead     int64 `json:"cache_read_input_tokens"`
		CacheCreation int64 `json:"cache_creation_input_tokens"`
		Output        int64 `json:"output_tokens"`
		Split         *struct {
			W5m int64 `json:"ephemeral_5m_input_tokens"`
			W1h int64 `json:"ephemeral_1h_input_tokens"`
		} `json:"cache_creation"`
	}
	type line struct {
		Type      string    `json:"type"`
		Timestamp time.Time `json:"timestamp"`
		RequestID string    `json:"requestId"`
		Message   *struct {
			ID    string `json:"id"`
			Model string `json:"model"`
			Usage *usage `json:"usage"`
		} `json:"message"`
	}
	const threshold = 200000
	split := func(n int64) (int64, int64) {
		if n > threshold {
			return threshold, n - threshold
		}
		return n, 0
	}
	gaps, counts := map[string]decimal.Decimal{}, map[string]int{}
	seen := map[string]bool{}
	var files []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".jsonl") {
			files = append(files, p)
		}
		return err
	})
	sort.Strings(files)
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var l line
			if json.Unmarshal(sc.Bytes(), &l) != nil || l.Type != "assistant" || l.Message == nil || l.Message.Usage == nil {
				continue
			}
			key := l.Message.ID + ":" + l.RequestID
			if seen[key] {
				continue
			}
			seen[key] = true
			u := l.Message.Usage
			w5, w1 := u.CacheCreation, int64(0)
			if u.Split != nil {
				w5, w1 = u.Split.W5m, u.Split.W1h
			}
			full := pricing.Usage{Requests: 1, Input: u.Input, CacheRead: u.CacheRead, CacheWrite5m: w5, CacheWrite1h: w1, Output: u.Output}
			if full.TotalInput() <= threshold {
				continue
			}
			if u.CacheCreation > threshold {
				t.Fatalf("%s: %s: %d cache-write tokens: how ccusage splits writes above 200K between 5m and 1h is not modelled here", f, key, u.CacheCreation)
			}
			tierK, err := cat.Key("anthropic", l.Message.Model, l.Timestamp, full.TotalInput())
			if err != nil {
				t.Fatal(err)
			}
			baseK, err := cat.Key("anthropic", l.Message.Model, l.Timestamp, 0)
			if err != nil {
				t.Fatal(err)
			}
			if tierK == baseK {
				t.Fatalf("%s: %s: model %s has no long-context tier; the set should hold only tiered long requests", f, key, l.Message.Model)
			}
			inLo, inHi := split(u.Input)
			crLo, crHi := split(u.CacheRead)
			outLo, outHi := split(u.Output)
			whole := ccQuote(t, cat, tierK, full)
			ccusage := ccQuote(t, cat, baseK, pricing.Usage{Requests: 1, Input: inLo, CacheRead: crLo, CacheWrite5m: w5, CacheWrite1h: w1, Output: outLo}).
				Add(ccQuote(t, cat, tierK, pricing.Usage{Input: inHi, CacheRead: crHi, Output: outHi}))
			day := l.Timestamp.UTC().Format(time.DateOnly)
			gaps[day] = gaps[day].Add(whole.Sub(ccusage))
			counts[day]++
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
	return gaps, counts
}

func ccQuote(t *testing.T, cat *pricing.Catalog, k pricing.PriceKey, u pricing.Usage) decimal.Decimal {
	t.Helper()
	q, err := cat.Quote(k, pricing.ModeStream, u)
	if err != nil {
		t.Fatal(err)
	}
	return q.Total
}
