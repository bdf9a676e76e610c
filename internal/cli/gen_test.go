package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

func runGenCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Now: func() time.Time { return time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC) }}
	code := Main(append([]string{"gen"}, args...), env)
	return code, out.String(), errb.String()
}

func TestGenIsDeterministicAndPrintsTheSeed(t *testing.T) {
	code, a, errA := runGenCLI(t, "--seed", "42", "--requests", "50")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errA)
	}
	_, b, _ := runGenCLI(t, "--seed", "42", "--requests", "50")
	if a != b || strings.Count(a, "\n") != 50 {
		t.Errorf("two runs differ or hold %d lines", strings.Count(a, "\n"))
	}
	if !strings.Contains(errA, "seed 42 ") || !strings.Contains(errA, "canonical: 50 records") {
		t.Errorf("stderr %q", errA)
	}
	// Without --seed the seed comes from the clock and is printed.
	_, c, errC := runGenCLI(t, "--requests", "5")
	want := "seed 1795251600000000000 "
	if !strings.Contains(errC, want) {
		t.Errorf("stderr %q lacks %q", errC, want)
	}
	_, d, _ := runGenCLI(t, "--requests", "5", "--seed", "1795251600000000000")
	if c != d {
		t.Error("the printed seed does not reproduce the run")
	}
}

func TestGenWritesFilesAtomically(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "logs.csv")
	code, stdout, stderr := runGenCLI(t, "--seed", "1", "--requests", "20", "--format", "canonical-csv", "-o", out)
	if code != ExitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "ts,request_id,provider,model,workflow,") || strings.Count(string(b), "\n") != 21 {
		t.Errorf("unexpected CSV:\n%s", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left behind: %v", ents)
	}
}

func TestGenCompressesByExtension(t *testing.T) {
	dir := t.TempDir()
	_, plain, _ := runGenCLI(t, "--seed", "4", "--requests", "30")
	for _, name := range []string{"logs.jsonl.gz", "logs.jsonl.zst"} {
		p := filepath.Join(dir, name)
		if code, _, stderr := runGenCLI(t, "--seed", "4", "--requests", "30", "-o", p); code != ExitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader
		if strings.HasSuffix(name, ".gz") {
			r, err = gzip.NewReader(f)
		} else {
			var d *zstd.Decoder
			d, err = zstd.NewReader(f)
			r = d
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		f.Close()
		if err != nil || string(b) != plain {
			t.Errorf("%s does not decompress to the plain output (%v)", name, err)
		}
	}
}

func TestGenAllFormatsIntoADirectory(t *testing.T) {
	out := filepath.Join(t.TempDir(), "samples")
	code, _, stderr := runGenCLI(t, "--seed", "3", "--requests", "300", "--format", "all", "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"canonical.jsonl", "canonical.csv", "openai.jsonl", "openai-responses.jsonl", "openai-batch.jsonl",
		"anthropic.jsonl", "anthropic-batch.jsonl", "otel.jsonl", "litellm.jsonl", "claude-code/projects/ide-assistant"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	// A non-empty directory is never overwritten.
	code, _, stderr = runGenCLI(t, "--seed", "3", "--requests", "300", "--format", "all", "-o", out)
	if code != ExitUsage || !strings.Contains(stderr, "not empty") {
		t.Errorf("second run: exit %d, %s", code, stderr)
	}
}

func TestGenUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "xml"}, `unknown format "xml"`},
		{[]string{"--format", "claude-code"}, "give -o DIR"},
		{[]string{"--days", "0"}, "--days: 0"},
		{[]string{"--start", "02/11/2026"}, "--start"},
		{[]string{"--size", "lots"}, `"lots" is not a size`},
		{[]string{"--size", "1GB", "--requests", "5"}, "one or the other"},
		{[]string{"--dup-share", "2"}, "--dup-share"},
		{[]string{"--workload", "/nonexistent/w.toml"}, "--workload"},
		{[]string{"--content-bytes", "100"}, "--content-bytes: only claude-code"},
		{[]string{"--format", "claude-code", "--content-bytes", "-1", "-o", "x"}, "--content-bytes: -1"},
	}
	for _, c := range cases {
		code, _, stderr := runGenCLI(t, c.args...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("gen %v: exit %d, stderr %q, want exit 2 with %q", c.args, code, stderr, c.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	cases := map[string]int64{"1GB": 1e9, "2GiB": 2 << 30, "500MB": 5e8, "1.5 GB": 1.5e9, "123456": 123456, "64KiB": 64 << 10}
	for in, want := range cases {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "GB", "-1GB", "0", "1XB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}

func TestGenPrintWorkload(t *testing.T) {
	code, out, stderr := runGenCLI(t, "--print-workload")
	if code != ExitOK || !strings.Contains(out, "[[workflow]]") || !strings.Contains(out, `name = "chat-ui"`) {
		t.Fatalf("exit %d, stderr %s, out:\n%s", code, stderr, out)
	}
	path := filepath.Join(t.TempDir(), "w.toml")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	_, fromFile, _ := runGenCLI(t, "--workload", path, "--seed", "9", "--requests", "40")
	_, builtin, _ := runGenCLI(t, "--seed", "9", "--requests", "40")
	if fromFile != builtin {
		t.Error("the printed workload does not reproduce the built-in one")
	}
}
