package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/internal/testutil"

	"github.com/costaudit/costaudit/report"
)

// anRun runs costaudit with args and returns stdout, stderr and the exit
// code.
func anRun(t *testing.T, stdin io.Reader, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	code := Main(args, Env{
		Stdin: stdin, Stdout: &out, Stderr: &errb,
		Now: func() time.Time { return time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC) },
	})
	return out.String(), errb.String(), code
}

// anGenLog writes a synthetic canonical log with costaudit gen and returns
// its lines.
func anGenLog(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	path := filepath.Join(dir, "gen.jsonl")
	_, stderr, code := anRun(t, nil, append([]string{"gen", "-o", path}, args...)...)
	if code != 0 {
		t.Fatalf("gen exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	return strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
}

// anWriteParts writes lines into len(cuts)+1 files split at the given line
// indexes; names ending in .gz are gzip-compressed.
func anWriteParts(t *testing.T, dir string, lines []string, cuts []int, names []string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bounds := append(append([]int{0}, cuts...), len(lines))
	for i, name := range names {
		var buf bytes.Buffer
		for _, l := range lines[bounds[i]:bounds[i+1]] {
			buf.WriteString(strings.TrimSuffix(l, "\n") + "\n")
		}
		data := buf.Bytes()
		if strings.HasSuffix(name, ".gz") {
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			if _, err := zw.Write(data); err != nil {
				t.Fatal(err)
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			data = z.Bytes()
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAnalyzeDeterministic checks issue 4 item 7: the same records in any
// order, split across any files, decoded by 1, 2 or 4 workers give
// byte-identical reports in every format.
func TestAnalyzeDeterministic(t *testing.T) {
	tmp := t.TempDir()
	lines := anGenLog(t, tmp, "--seed", "7", "--days", "7", "--requests", "3000", "--dup-share", "0.02", "--bad-share", "0.01")
	if len(lines) < 3000 {
		t.Fatalf("gen wrote %d lines", len(lines))
	}

	shuffled := func(seed uint64) []string {
		s := append([]string(nil), lines...)
		r := rand.New(rand.NewPCG(seed, seed))
		r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		return s
	}
	n := len(lines)
	layouts := []struct {
		name  string
		lines []string
		cuts  []int
		files []string
	}{
		{"in order", lines, []int{n / 3, 2 * n / 3}, []string{"a.jsonl", "b.jsonl", "c.jsonl"}},
		{"shuffled, uneven, gzip", shuffled(1), []int{17, n - 900}, []string{"x.jsonl", "y.jsonl.gz", "z.jsonl"}},
		{"shuffled again", shuffled(2), []int{n / 2, n/2 + 1}, []string{"1.jsonl", "2.jsonl", "3.jsonl.gz"}},
	}
	formats := []string{"json", "table", "csv", "markdown"}
	want := map[string]string{}
	for li, lay := range layouts {
		dir := filepath.Join(tmp, fmt.Sprintf("layout%d", li))
		anWriteParts(t, dir, lay.lines, lay.cuts, lay.files)
		for _, workers := range []string{"1", "2", "4"} {
			for _, format := range formats {
				out, stderr, code := anRun(t, nil, "analyze", "--format", format, "--workers", workers, "--group-by", "team", dir)
				if code != 0 {
					t.Fatalf("%s, %s workers, %s: exit %d: %s", lay.name, workers, format, code, stderr)
				}
				if w, ok := want[format]; !ok {
					want[format] = out
				} else if out != w {
					t.Errorf("%s format differs for layout %q with %s workers:\n%s", format, lay.name, workers, anFirstDiff(w, out))
				}
			}
		}
	}
	// The run is not vacuous: records were priced, and the duplicates and
	// bad lines were accounted for.
	var rep report.Report
	if err := json.Unmarshal([]byte(want["json"]), &rep); err != nil {
		t.Fatal(err)
	}
	c := rep.Coverage
	if c.Priced == 0 || c.Duplicates == 0 || c.Rejected == 0 || c.Files != 3 {
		t.Errorf("coverage %+v: want priced records, duplicates, rejections and 3 files", c)
	}
	if c.Lines != c.Records+c.Duplicates+c.Rejected+c.Skipped || int(c.Lines) != n {
		t.Errorf("coverage does not add up: %+v, %d input lines", c, n)
	}
}

// anFirstDiff shows the first line where two outputs differ.
func anFirstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}

func TestAnalyzeExitCodes(t *testing.T) {
	tmp := t.TempDir()
	good := filepath.Join(tmp, "good.jsonl")
	bad := filepath.Join(tmp, "bad.jsonl")
	empty := filepath.Join(tmp, "empty.jsonl")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	line := `{"ts":"2026-06-01T02:00:00Z","provider":"openai","model":"gpt-4o-mini","workflow":"nightly","source":"cron","input_tokens":1000,"output_tokens":100}` + "\n"
	if err := os.WriteFile(good, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	badLine := `{"ts":"2026-06-01T02:00:00Z","model":"gpt-4o-mini","workflow":"nightly","input_tokens":1000,"output_tokens":-5}` + "\n"
	if err := os.WriteFile(bad, []byte(line+badLine), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		args    []string
		code    int
		errHas  []string
		outHas  string
		outNone bool
	}{
		{"ok", []string{"analyze", good}, 0, nil, "coverage:", false},
		{"unknown format", []string{"analyze", "--format", "yaml", good}, 2, []string{`--format "yaml"`, "json", "table"}, "", true},
		{"bad since", []string{"analyze", "--since", "yesterday", good}, 2, []string{`--since "yesterday"`, "2026-06-01"}, "", true},
		{"bad tz", []string{"analyze", "--tz", "Mars/Olympus", good}, 2, []string{"--tz", "Mars/Olympus"}, "", true},
		{"until before since", []string{"analyze", "--since", "2026-06-02", "--until", "2026-06-01", good}, 2, []string{"--until"}, "", true},
		{"bad group-by", []string{"analyze", "--group-by", "colour", good}, 2, []string{"colour", "tag:KEY"}, "", true},
		{"batch realtime", []string{"analyze", "--batch-classes", "scheduled,realtime", good}, 2, []string{"realtime"}, "", true},
		{"bad format-in", []string{"analyze", "--format-in", "xml", good}, 2, []string{"xml"}, "", true},
		{"negative top", []string{"analyze", "--top", "-1", good}, 2, []string{"--top"}, "", true},
		{"no input", []string{"analyze"}, 2, []string{"no input"}, "", true},
		{"unknown flag", []string{"analyze", "--colour", good}, 2, []string{"colour"}, "", true},
		{"missing file", []string{"analyze", filepath.Join(tmp, "nope.jsonl")}, 1, []string{"nope.jsonl"}, "", true},
		{"lenient counts the rejection", []string{"analyze", "--format", "json", bad}, 0, nil, `"rejected": 1`, false},
		{"strict stops", []string{"analyze", "--strict", bad}, 1, []string{"bad.jsonl:2", "output_tokens", "-5"}, "", true},
		{"classify html is not an inventory format", []string{"classify", "--format", "html", good}, 2, []string{"csv, json, markdown, table"}, "", true},
		{"classify ok", []string{"classify", good}, 0, nil, "Latency inventory", false},
		{"empty file warns", []string{"analyze", empty}, 0, []string{"warning", "empty.jsonl is empty"}, "0 lines in 1 file", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, code := anRun(t, nil, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, c.code, stderr)
			}
			for _, s := range c.errHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q does not mention %q", stderr, s)
				}
			}
			if c.outHas != "" && !strings.Contains(out, c.outHas) {
				t.Errorf("stdout does not contain %q:\n%s", c.outHas, out)
			}
			if c.outNone && out != "" {
				t.Errorf("stdout not empty on failure: %q", out)
			}
		})
	}
}

func TestAnalyzeOutputFileStdinAndRejects(t *testing.T) {
	tmp := t.TempDir()
	log := `{"ts":"2026-06-01T02:00:00Z","provider":"openai","model":"gpt-4o-mini","workflow":"=cmd","source":"cron","input_tokens":1000,"output_tokens":100}
not json at all
`
	out := filepath.Join(tmp, "report.csv")
	rejects := filepath.Join(tmp, "rejects.txt")
	stdout, stderr, code := anRun(t, strings.NewReader(log), "analyze", "-o", out, "--rejects", rejects, "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want the report only in the file", stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The format follows the -o extension, and the workflow name from the
	// log is neutralized as a CSV cell.
	if !strings.HasPrefix(string(data), "workflow,class,") || !strings.Contains(string(data), "\n'=cmd,scheduled,") {
		t.Errorf("report.csv:\n%s", data)
	}
	rej, err := os.ReadFile(rejects)
	if err != nil {
		t.Fatal(err)
	}
	if string(rej) != "not json at all\n" {
		t.Errorf("rejects file = %q", rej)
	}
	entries, _ := os.ReadDir(tmp)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestAnalyzeSinceUntilFilters(t *testing.T) {
	tmp := t.TempDir()
	var b strings.Builder
	for day := 1; day <= 3; day++ {
		fmt.Fprintf(&b, `{"ts":"2026-06-0%dT12:00:00Z","provider":"openai","model":"gpt-4o-mini","workflow":"w","input_tokens":1000,"output_tokens":100}`+"\n", day)
	}
	path := filepath.Join(tmp, "three-days.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// --until a date includes that day: the 2nd and the 3rd of June... up
	// to the end of the 2nd, so only the 2nd remains with --since 2026-06-02.
	out, stderr, code := anRun(t, nil, "analyze", "--format", "json", "--since", "2026-06-02", "--until", "2026-06-02", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Coverage.Records != 1 || rep.Coverage.Filtered != 2 || len(rep.ByDay) != 1 || rep.ByDay[0].Day != "2026-06-02" {
		t.Errorf("coverage %+v, by_day %+v: want only 2026-06-02", rep.Coverage, rep.ByDay)
	}
}

// TestAnalyzeCanonicalGolden renders the newcomer's first command,
// costaudit analyze examples/logs/canonical.jsonl, in every format this
// package owns and compares it with testdata/analyze/ (go test
// ./internal/cli -run TestAnalyzeCanonicalGolden -update rewrites them).
func TestAnalyzeCanonicalGolden(t *testing.T) {
	log := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	cases := []struct {
		golden string
		args   []string
	}{
		{"canonical.table.txt", []string{"analyze", log}},
		{"canonical.json", []string{"analyze", "--format", "json", log}},
		{"canonical.csv", []string{"analyze", "--format", "csv", log}},
		{"canonical.md", []string{"analyze", "--format", "markdown", log}},
		{"canonical.near-realtime.table.txt", []string{"analyze", "--batch-classes", "scheduled,near-realtime", "--group-by", "team", "--top", "3", log}},
		{"canonical.classify.table.txt", []string{"classify", log}},
		{"canonical.classify.json", []string{"classify", "--format", "json", log}},
		{"canonical.classify.csv", []string{"classify", "--format", "csv", log}},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			out, stderr, code := anRun(t, nil, c.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			testutil.Golden(t, filepath.Join("testdata", "analyze", c.golden), []byte(out))
		})
	}
}

// TestAnalyzeWhatIf applies a what-if file to the audited sample logs: the
// scenario lands in the report with its figures, and a bad file is exit 1.
func TestAnalyzeWhatIf(t *testing.T) {
	log := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	tmp := t.TempDir()
	wi := filepath.Join(tmp, "wi.toml")
	if err := os.WriteFile(wi, []byte("name = \"nightly\"\n[batch]\nclasses = [\"scheduled\"]\n[cancel]\nrate = 0.1\nposition = 0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := anRun(t, nil, "analyze", "--format", "json", "--what-if", wi, log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Scenarios) != 1 || rep.Scenarios[0].Name != "nightly" || len(rep.Scenarios[0].Figures) == 0 {
		t.Fatalf("scenarios = %+v", rep.Scenarios)
	}
	// The batch savings of the what-if agree with the report's own batch
	// what-if for the same classes.
	var whatIf string
	for _, f := range rep.Scenarios[0].Figures {
		if f.Key == "batch_savings" && f.Unit == "USD" {
			whatIf = f.Value
		}
	}
	if whatIf == "" || whatIf != rep.Projection.WindowSavingsUSD.String() {
		t.Errorf("what-if batch savings %s, report window savings %s", whatIf, rep.Projection.WindowSavingsUSD)
	}
	table, _, code := anRun(t, nil, "analyze", "--what-if", wi, log)
	if code != 0 || !strings.Contains(table, "nightly") {
		t.Errorf("table with --what-if: exit %d, scenario missing", code)
	}

	bad := filepath.Join(tmp, "bad.toml")
	if err := os.WriteFile(bad, []byte("[cache]\nhit_rate = 1.4\nprefix_tokens = 100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = anRun(t, nil, "analyze", "--what-if", bad, log)
	if code != 1 || !strings.Contains(stderr, "bad.toml") || !strings.Contains(stderr, "hit_rate") {
		t.Errorf("bad what-if: exit %d, stderr %q; want 1 naming the file and key", code, stderr)
	}
	_, stderr, code = anRun(t, nil, "analyze", "--what-if", filepath.Join(tmp, "missing.toml"), log)
	if code != 1 || !strings.Contains(stderr, "missing.toml") {
		t.Errorf("missing what-if: exit %d, stderr %q", code, stderr)
	}
}
