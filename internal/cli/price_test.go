package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/internal/testutil"

	"github.com/shopspring/decimal"
)

// runCLI runs costaudit with args and stdin at a fixed clock.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errb,
		Now:    func() time.Time { return time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC) },
	}
	code = Main(args, env)
	return out.String(), errb.String(), code
}

// golden compares got with testdata/pricing/NAME, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", "pricing", name), []byte(got))
}

// TestPriceOracle is the acceptance test: `costaudit price` on the oracle
// fixture reproduces every expected_cost_usd exactly.
func TestPriceOracle(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("..", "..", "pricing", "testdata", "oracle-prices.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCLI(t, string(in), "price")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stderr != "price: 80 lines: 80 priced, 0 unbilled, 0 not priced (see \"error\"), 0 blank\n" {
		t.Errorf("summary: %q", stderr)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	inLines := strings.Split(strings.TrimSpace(string(in)), "\n")
	n := 0
	for sc.Scan() {
		var got map[string]any
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		var orig map[string]any
		if err := json.Unmarshal([]byte(inLines[n]), &orig); err != nil {
			t.Fatal(err)
		}
		n++
		for k, v := range orig {
			if b1, _ := json.Marshal(v); string(b1) != mustMarshal(got[k]) {
				t.Errorf("line %d: field %s changed from %v to %v", n, k, v, got[k])
			}
		}
		cost, _ := got["cost_usd"].(string)
		want := decimal.RequireFromString(orig["expected_cost_usd"].(string))
		if cost != want.String() {
			t.Errorf("line %d %s %s: cost_usd %q, want %s", n, orig["model"], orig["mode"], cost, want)
		}
		p, ok := got["price"].(map[string]any)
		if !ok || p["book"] == "" || p["effective_from"] == "" || p["tier"] == "" {
			t.Errorf("line %d: price %v lacks book, effective_from or tier", n, got["price"])
		}
	}
	if n != 80 {
		t.Fatalf("%d records out, want 80", n)
	}
}

func mustMarshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

const priceInput = `{"ts":"2026-01-15T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-5-20250929","mode":"batch","input_tokens":1500,"output_tokens":250,"workflow":"nightly","tags":{"team":"x"}}
{"ts":"2026-01-15T10:00:00Z","model":"gpt-4o","input_tokens":2048,"cache_read_tokens":1024,"output_tokens":150,"logged_cost_usd":"0.0079"}

{"ts":"2026-01-15T10:00:00Z","provider":"deepseek","model":"deepseek-chat","mode":"batch","input_tokens":10,"output_tokens":5}
{"ts":"2026-01-15T10:00:00Z","model":"llama-3-70b","input_tokens":10}
{"ts":"2026-01-15T10:00:00Z","model":"gpt-4o","input_tokens":-5}
{"ts":"2026-01-15T10:00:00Z","model":"gpt-4o","input_tokens":1.5}
{"ts":"yesterday","model":"gpt-4o","input_tokens":1}
{"model":"gpt-4o","output_tokens":1}
{"ts":"2026-01-15T10:00:00Z","model":"gpt-4o"}
not json
{"ts":"2026-01-15T10:00:00Z","model":"claude-haiku-4-5","mode":"batch","status":"expired","input_tokens":100,"output_tokens":0}
{"ts":"2025-06-09T23:59:59Z","model":"o3","output_tokens":1000}
{"ts":"2025-06-10T00:00:00Z","model":"openai/o3","output_tokens":1000}
`

func TestPriceJSONLGolden(t *testing.T) {
	out, stderr, code := runCLI(t, priceInput, "price")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "price-jsonl.golden", out+"--- stderr\n"+stderr)
	// --strict stops at the first record it cannot price.
	_, stderr, code = runCLI(t, priceInput, "price", "--strict")
	if code != ExitFailure || !strings.Contains(stderr, "price stdin:4:") || !strings.Contains(stderr, "DeepSeek has no batch API") {
		t.Errorf("--strict: exit %d, stderr %q", code, stderr)
	}
}

func TestPriceFlagsGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"price-flags-batch.golden", []string{"price", "--model", "claude-sonnet-4-5", "--input", "1500", "--output", "250", "--mode", "batch", "--at", "2026-01-15"}},
		{"price-flags-tier.golden", []string{"price", "--model", "claude-sonnet-4-5", "--input", "150000", "--cache-read", "50000", "--cache-write-5m", "2048", "--cache-write-1h", "10", "--output", "1", "--at", "2026-01-15"}},
		{"price-flags-json.golden", []string{"price", "--model", "gpt-5", "--provider", "openai", "--input", "1000", "--cache-read", "500", "--output", "100", "--mode", "priority", "--format", "json"}},
		{"price-flags-now.golden", []string{"price", "--model", "o3", "--output", "1000000"}},
		// 2026 rules: modifiers, a DeepSeek peak window, GPT-5.6 cache writes.
		{"price-flags-modifier.golden", []string{"price", "--model", "claude-opus-5", "--modifier", "us-only", "--modifier", "fast", "--input", "1000", "--cache-read", "5000", "--output", "100", "--at", "2026-11-15"}},
		{"price-flags-deepseek-peak.golden", []string{"price", "--model", "deepseek-v4-flash", "--input", "1000", "--cache-read", "9000", "--output", "500", "--at", "2026-11-02T02:30:00Z"}},
		{"price-flags-gpt56.golden", []string{"price", "--model", "gpt-5.6", "--input", "2000", "--cache-read", "8000", "--cache-write-5m", "4000", "--output", "300", "--mode", "flex", "--at", "2026-11-15"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCLI(t, "", tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden(t, tt.name, out)
		})
	}
}

func TestPriceErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"price", "--input", "5"}, ExitUsage, "--input needs --model"},
		{[]string{"price", "--model", "gpt-4o", "x.jsonl"}, ExitUsage, "not both"},
		{[]string{"price", "--model", "gpt-4o", "--mode", "fast"}, ExitUsage, `unknown mode "fast"`},
		{[]string{"price", "--model", "claude-opus-5", "--modifier", "fast", "--mode", "batch", "--input", "1"}, ExitFailure, "fast does not combine with batch"},
		{[]string{"price", "--model", "gpt-4o", "--modifier", "eu", "--input", "1"}, ExitFailure, `--modifier: modifier "eu": no loaded price book defines it`},
		{[]string{"price", "--model", "gpt-4o", "--input", "-1"}, ExitUsage, "--input: negative value -1"},
		{[]string{"price", "--model", "gpt-4o", "--at", "soon"}, ExitUsage, `bad date "soon"`},
		{[]string{"price", "--model", "gpt-4o", "--format", "xml"}, ExitUsage, "table or json"},
		{[]string{"price", "--model", "gpt-99"}, ExitFailure, `unknown model: "gpt-99" is not in any price book`},
		{[]string{"price", "--model", "deepseek-chat", "--mode", "batch"}, ExitFailure, "DeepSeek has no batch API"},
		{[]string{"price", "--model", "o3", "--at", "2025-01-01"}, ExitFailure, "no price before 2025-04-16"},
		{[]string{"price", "no-such-file.jsonl"}, ExitFailure, "no-such-file.jsonl"},
		{[]string{"price", "--model", "gpt-4o", "--pricebook", "no-such-dir"}, ExitFailure, "--pricebook no-such-dir"},
	}
	for _, tt := range tests {
		_, stderr, code := runCLI(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d stderr %q; want exit %d containing %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

const overlayTOML = `schema = 1
id = "acme-contract"
kind = "overlay"
title = "ACME negotiated discount"
source = "ACME master agreement, exhibit B"

[[discounts]]
provider = "anthropic"
discount = "0.15"
effective_from = "2026-01-01"
note = "15% off all Claude models from 2026"
`

const newModelTOML = `schema = 1
id = "acme-models"
provider = "openai"

[[models]]
id = "ft:gpt-4o-mini:acme:support"
  [[models.prices]]
  effective_from = "2025-01-01"
  source = "OpenAI fine-tuning pricing page"
  source_date = "2025-01-01"
  input = "0.30"
  cache_read = "0.15"
  output = "1.20"
`

func writeBooks(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestUserPricebookDir is the user story: a directory with a 15%
// overlay and a new model, used and cited; a malformed one fails with file,
// line and key.
func TestUserPricebookDir(t *testing.T) {
	dir := writeBooks(t, map[string]string{"acme.toml": overlayTOML, "models.toml": newModelTOML})
	in := `{"ts":"2026-02-01T00:00:00Z","model":"claude-sonnet-4-5","input_tokens":1500,"output_tokens":250}
{"ts":"2026-02-01T00:00:00Z","model":"ft:gpt-4o-mini:acme:support","input_tokens":1000000,"output_tokens":1000000}
`
	out, stderr, code := runCLI(t, in, "price", "--pricebook", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.Contains(lines[0], `"cost_usd":"0.0070125"`) || !strings.Contains(lines[0], `"overlays":["acme-contract: 15% off"]`) {
		t.Errorf("overlay not applied and cited: %s", lines[0])
	}
	if !strings.Contains(lines[1], `"cost_usd":"1.5"`) || !strings.Contains(lines[1], `"book":"acme-models"`) {
		t.Errorf("new model not priced from the user book: %s", lines[1])
	}
	out, _, code = runCLI(t, "", "pricebook", "list", "--pricebook", dir)
	if code != 0 || !strings.Contains(out, "acme-contract  overlay") || !strings.Contains(out, filepath.ToSlash(dir)+"/acme.toml") {
		t.Errorf("pricebook list does not cite the overlay:\n%s", out)
	}
	out, _, code = runCLI(t, "", "pricebook", "validate", dir)
	if code != 0 || !strings.Contains(out, "2 price book files valid") {
		t.Errorf("validate: exit %d\n%s", code, out)
	}

	bad := writeBooks(t, map[string]string{"acme.toml": strings.Replace(overlayTOML, `discount = "0.15"`, `discount = 0.15`, 1)})
	_, stderr, code = runCLI(t, in, "price", "--pricebook", bad)
	want := filepath.ToSlash(bad) + `/acme.toml:9: discounts.discount: must be a decimal string such as "0.5", got float 0.15`
	if code != ExitFailure || !strings.Contains(stderr, want) {
		t.Errorf("malformed book: exit %d stderr %q, want %q", code, stderr, want)
	}
	out, _, code = runCLI(t, "", "pricebook", "validate", bad)
	if code != ExitFailure || !strings.Contains(out, "FAIL "+filepath.ToSlash(bad)+"/acme.toml") || !strings.Contains(out, want) {
		t.Errorf("validate malformed: exit %d\n%s", code, out)
	}
}

func TestPricebookGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"pricebook-list.golden", []string{"pricebook", "list"}, 0},
		{"pricebook-show-snapshot.golden", []string{"pricebook", "show", "claude-sonnet-4-20250514", "--at", "2025-09-01"}, 0},
		{"pricebook-show-o3.golden", []string{"pricebook", "show", "openai/o3", "--at", "2025-05-01"}, 0},
		{"pricebook-show-deepseek.golden", []string{"pricebook", "show", "deepseek-reasoner"}, 0},
		{"pricebook-show-deepseek-peak.golden", []string{"pricebook", "show", "deepseek-flash", "--at", "2026-11-02T02:00:00Z"}, 0},
		{"pricebook-show-modifiers.golden", []string{"pricebook", "show", "claude-opus-4-8", "--at", "2026-11-02"}, 0},
		{"pricebook-show-json.golden", []string{"pricebook", "show", "models/gemini-2.5-pro", "--provider", "google", "--at", "2026-01-01", "--format", "json"}, 0},
		{"pricebook-diff-dates.golden", []string{"pricebook", "diff", "--at", "2025-06-01", "--at", "2025-10-01"}, 0},
		{"pricebook-diff-books.golden", []string{"pricebook", "diff", "testdata/pricing/books-old", "../../pricebooks/openai.toml"}, 0},
		// What the last update of the embedded books changed.
		{"pricebook-diff-previous.golden", []string{"pricebook", "diff", "embedded:previous", "embedded"}, 0},
		{"pricebook-validate.golden", []string{"pricebook", "validate", "../../pricebooks", "testdata/pricing/books-old/openai-old.toml", "testdata/pricing/bad.toml"}, ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			golden(t, tt.name, out)
		})
	}
}

func TestPricebookUsage(t *testing.T) {
	for _, args := range [][]string{
		{"pricebook", "show"},
		{"pricebook", "show", "gpt-4o", "--format", "yaml"},
		{"pricebook", "validate"},
		{"pricebook", "diff", "a"},
		{"pricebook", "diff", "--at", "2025-01-01"},
		{"pricebook", "list", "extra"},
	} {
		if _, stderr, code := runCLI(t, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d (%s), want usage error", args, code, stderr)
		}
	}
	if _, stderr, code := runCLI(t, "", "pricebook", "show", "gpt-99"); code != ExitFailure || !strings.Contains(stderr, "unknown model") {
		t.Errorf("show unknown: exit %d %s", code, stderr)
	}
}
