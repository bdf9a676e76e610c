package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/report"
)

// TestSettingsNameRealFlags: every costaudit.toml key names a flag that
// each of its commands has, so a key cannot silently do nothing.
func TestSettingsNameRealFlags(t *testing.T) {
	root := NewRoot(Env{})
	for _, s := range settings {
		for _, name := range s.Commands {
			c, _, err := root.Find([]string{name})
			if err != nil || c == root {
				t.Errorf("%s: no command %s", s.Key, name)
				continue
			}
			if s.Flag != "" && c.Flags().Lookup(s.Flag) == nil {
				t.Errorf("%s: command %s has no flag --%s", s.Key, name, s.Flag)
			}
			if c.Flags().Lookup("config") == nil {
				t.Errorf("command %s has no --config", name)
			}
		}
	}
}

// writeConfig writes a costaudit.toml into dir and returns its path.
func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	path := filepath.Join(dir, "costaudit.toml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// assumption returns the value and source of a report assumption.
func assumption(t *testing.T, out, key string) (string, string) {
	t.Helper()
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, out)
	}
	for _, a := range rep.Assumptions {
		if a.Key == key {
			return a.Value, a.Source
		}
	}
	t.Fatalf("no assumption %s", key)
	return "", ""
}

// TestConfigPrecedence: a flag beats the config file, the file beats the
// default, for a scan setting (tz, read back from the report's
// assumptions and from config show) and for a budget (check's exit code).
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	logs, err := filepath.Abs(filepath.Join("..", "..", "examples", "logs"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, dir, `# CI defaults
inputs = ["`+filepath.ToSlash(logs)+`"]
tz = "Europe/Paris"

[check]
max_unclassified_share = 0.01
`)
	canonical := filepath.Join(logs, "canonical.jsonl")
	for _, c := range []struct {
		name      string
		args      []string
		tz, tzSrc string
	}{
		{"default", []string{"--no-config"}, "UTC", "default"},
		{"config", []string{"--config", cfg}, "Europe/Paris", "config " + cfg + ":3 (tz)"},
		{"flag", []string{"--config", cfg, "--tz", "Asia/Tokyo"}, "Asia/Tokyo", "flag --tz"},
	} {
		t.Run("tz from "+c.name, func(t *testing.T) {
			out, stderr, code := checkRun(t, "", append([]string{"analyze", "--format", "json", canonical}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if v, src := assumption(t, out, "tz"); v != c.tz || src != c.tzSrc {
				t.Errorf("tz = %s from %q, want %s from %q", v, src, c.tz, c.tzSrc)
			}
			show, stderr, code := checkRun(t, "", append([]string{"config", "show", "analyze"}, c.args...)...)
			if code != 0 {
				t.Fatalf("config show: exit %d: %s", code, stderr)
			}
			src := strings.TrimPrefix(c.tzSrc, "config ")
			if !hasRow(show, "tz", "--tz", c.tz, src) {
				t.Errorf("config show lacks the row tz --tz %s %s:\n%s", c.tz, src, show)
			}
		})
	}
	// The budget: the file's 1% breaks on the bundled logs (2.16%
	// unclassified), the flag's 20% holds, and with neither there is no
	// budget at all (a usage error). The inputs come from the file.
	if out, _, code := checkRun(t, "", "check", "--config", cfg); code != ExitFailure ||
		!strings.Contains(out, "  unclassified share 2.16% > 1% ("+cfg+":6 (check.max_unclassified_share)): ") {
		t.Errorf("config budget: exit %d, want 1:\n%s", code, out)
	}
	if out, stderr, code := checkRun(t, "", "check", "--config", cfg, "--max-unclassified-share", "0.2"); code != ExitOK {
		t.Errorf("flag budget: exit %d, want 0: %s%s", code, out, stderr)
	}
	if _, stderr, code := checkRun(t, "", "check", "--no-config", canonical); code != ExitUsage || !strings.Contains(stderr, "no budget") {
		t.Errorf("default: exit %d, want 2: %s", code, stderr)
	}
	show, _, _ := checkRun(t, "", "config", "show", "check", "--config", cfg, "--max-unpriced-share", "1%", "extra/")
	for _, row := range [][4]string{
		{"inputs", "PATH...", "extra/", "arguments"},
		{"check.max_unclassified_share", "--max-unclassified-share", "0.01", cfg + ":6 (check.max_unclassified_share)"},
		{"check.max_unpriced_share", "--max-unpriced-share", "1%", "flag --max-unpriced-share"},
		{"check.max_batchable_usd", "--max-batchable-usd", "(none)", "default"},
	} {
		if !hasRow(show, row[0], row[1], row[2], row[3]) {
			t.Errorf("config show check lacks %v:\n%s", row, show)
		}
	}
}

// hasRow reports whether a config show table has a row of these cells.
func hasRow(out string, cells ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.Join(strings.Fields(line), " ") == strings.Join(cells, " ") {
			return true
		}
	}
	return false
}

// TestConfigFoundInWorkingDirectory: ./costaudit.toml is read without
// --config, its relative paths are relative to its directory, and
// --no-config ignores it.
func TestConfigFoundInWorkingDirectory(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "logs", "canonical.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "logs", "june.jsonl"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	writeConfig(t, dir, "inputs = \"logs/\"\n\n[analyze]\nformat = \"json\"\noutput = \"out/report.json\"\n")
	if err := os.MkdirAll(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if _, stderr, code := checkRun(t, "", "analyze"); code != 0 {
		t.Fatalf("analyze with ./costaudit.toml: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "out", "report.json"))
	if err != nil || !strings.Contains(string(data), `"schema_version": 1`) {
		t.Fatalf("the config's output is not a JSON report: %v", err)
	}
	// -o on the command line picks the format from its extension over the
	// file's format, as it would over the default.
	if _, stderr, code := checkRun(t, "", "analyze", "-o", "inventory.csv"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile("inventory.csv"); !strings.HasPrefix(string(data), "workflow,class,") {
		t.Errorf("-o inventory.csv did not write CSV: %.80s", data)
	}
	if _, stderr, code := checkRun(t, "", "analyze", "--no-config"); code != ExitUsage || !strings.Contains(stderr, "no input") {
		t.Errorf("--no-config: exit %d: %s", code, stderr)
	}
	show, _, _ := checkRun(t, "", "config", "show")
	if !strings.HasPrefix(show, "config file: costaudit.toml (found in the working directory)\n") ||
		!hasRow(show, "inputs", "PATH...", "logs", "costaudit.toml:1 (inputs)") ||
		!hasRow(show, "analyze.output", "--output", filepath.Join("out", "report.json"), "costaudit.toml:5 (analyze.output)") {
		t.Errorf("config show:\n%s", show)
	}
	// A command that does not read the file is not broken by a bad one.
	writeConfig(t, dir, "tz = 5\n")
	if _, stderr, code := checkRun(t, "", "price", "--model", "gpt-4o", "--input", "10"); code != 0 {
		t.Errorf("price with a bad ./costaudit.toml: exit %d: %s", code, stderr)
	}
	if _, stderr, code := checkRun(t, "", "analyze"); code != ExitUsage || !strings.Contains(stderr, "costaudit.toml:1: tz: want a string, got the integer 5") {
		t.Errorf("analyze with a bad ./costaudit.toml: exit %d: %s", code, stderr)
	}
}

func TestConfigBadValuesNameTheLine(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ body, want string }{
		{"tz = \"Mars/Olympus\"\n", `:1 (tz): "Mars/Olympus": unknown time zone`},
		{"\nbatch_classes = [\"realtime\"]\n", `:2 (batch_classes): realtime: a human waits`},
		{"[analyze]\nformat = \"pdf\"\n", `:2 (analyze.format): --format "pdf": unknown format`},
		{"[diff]\nthreshold = \"x\"\n", `:2: diff.threshold: "x" is not a decimal number or a percentage`},
		{"[diff]\nformat = \"html\"\n", `:2 (diff.format): "html": unknown format for diff`},
		{"[classify]\nformat = \"xlsx\"\n", `:2 (classify.format): --format "xlsx": unknown format (use one of csv, json, markdown, table)`},
	} {
		cfg := writeConfig(t, dir, c.body)
		_, stderr, code := checkRun(t, "", "analyze", "--config", cfg, filepath.Join("..", "..", "examples", "logs", "canonical.jsonl"))
		if code != ExitUsage || !strings.Contains(stderr, cfg+c.want) {
			t.Errorf("%q: exit %d, stderr %q; want %q", c.body, code, stderr, c.want)
		}
	}
	if _, stderr, code := checkRun(t, "", "config", "show", "price"); code != ExitUsage || !strings.Contains(stderr, "not a command that reads costaudit.toml") {
		t.Errorf("config show price: exit %d: %s", code, stderr)
	}
}
