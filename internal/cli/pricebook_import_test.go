package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	liteLLMFile = filepath.Join("..", "..", "pricing", "importer", "testdata", "litellm-model-prices-2026-08-01.json")
	genAIFile   = filepath.Join("..", "..", "pricing", "importer", "testdata", "genai-prices-0.1.8.json")
)

// TestPricebookImportLiteLLM imports LiteLLM's file, validates the books,
// and lists their differences from the embedded books with pricebook diff.
func TestPricebookImportLiteLLM(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLIForReport(t, "", "pricebook", "import", "--from", "litellm", liteLLMFile,
		"--provider", "openai", "--provider", "anthropic", "--provider", "google", "--provider", "deepseek", "-o", dir)
	if code != ExitOK {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"pricebook import --from litellm litellm-model-prices-2026-08-01.json (sha256 f3586896abe7b20218409b88d8f9b9afe85b85c0de386e8ec7a0f14ac7f790ba), data of 2026-08-01",
		"  4 books, 188 models",
		"  - no dates in LiteLLM: effective from the file's date 2026-08-01: 188",
		"  - batch: LiteLLM gives no batch price (batch what-ifs on these models say so instead of inventing a discount): 131",
		"wrote 4 books and litellm-import-notes.txt to " + dir,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("import output lacks %q:\n%s", want, stdout)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.toml"))
	if len(files) != 4 {
		t.Fatalf("wrote %d books, want 4: %v", len(files), files)
	}
	notes, err := os.ReadFile(filepath.Join(dir, "litellm-import-notes.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(notes), "      openai/gpt-5\n") || strings.Contains(string(notes), "more (--verbose") {
		t.Error("the notes file does not list every model")
	}

	code, stdout, stderr = runCLIForReport(t, "", "pricebook", "validate", dir)
	if code != ExitOK {
		t.Fatalf("validate: exit %d: %s %s", code, stdout, stderr)
	}

	code, stdout, stderr = runCLIForReport(t, "", "pricebook", "diff", filepath.Join("..", "..", "pricebooks"), dir)
	if code != ExitOK {
		t.Fatalf("diff: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"+ anthropic/claude-3-7-sonnet-20250219  (book litellm-anthropic, versions 2026-08-01)",
		"~ anthropic/claude-haiku-4-5",
		"  + entry from 2026-08-01",
		"      batch input: 0.50 → —",
		" models added, ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("pricebook diff output lacks %q", want)
		}
	}
}

func TestPricebookImportGenAIPrices(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLIForReport(t, "", "pricebook", "import", "--from", "genai-prices", genAIFile, "--provider", "openai", "--date", "2026-09-23", "-o", dir, "--verbose")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"genai-prices-openai.toml",
		"no start date in genai-prices: effective from 1970-01-01",
		"batch: genai-prices has no batch prices",
		"      openai/gpt-4o\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(stdout, "more (--verbose") {
		t.Error("--verbose still elides models")
	}
	book, err := os.ReadFile(filepath.Join(dir, "genai-prices-openai.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(book), `source_date = "2026-09-23"`) {
		t.Error("--date is not the books' source_date")
	}
}

func TestPricebookImportDryRunAndErrors(t *testing.T) {
	code, stdout, stderr := runCLIForReport(t, "", "pricebook", "import", "--from", "litellm", liteLLMFile, "--provider", "deepseek")
	if code != ExitOK || !strings.Contains(stdout, "nothing written: give -o DIR") || !strings.Contains(stdout, "data of 2026-08-01") {
		t.Errorf("dry run: exit %d, %s %s", code, stdout, stderr)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"no --from", "", []string{"pricebook", "import", liteLLMFile}, ExitUsage, `--from "": use litellm or genai-prices`},
		{"bad --from", "", []string{"pricebook", "import", "--from", "helicone", liteLLMFile}, ExitUsage, `--from "helicone"`},
		{"no file", "", []string{"pricebook", "import", "--from", "litellm"}, ExitUsage, "want one source FILE"},
		{"no date", `{}`, []string{"pricebook", "import", "--from", "litellm", "-"}, ExitFailure, "give --date YYYY-MM-DD"},
		{"bad date", `{}`, []string{"pricebook", "import", "--from", "litellm", "-", "--date", "1 Aug"}, ExitFailure, `date "1 Aug": want YYYY-MM-DD`},
		{"missing file", "", []string{"pricebook", "import", "--from", "litellm", "nope-2026-01-01.json"}, ExitFailure, "nope-2026-01-01.json"},
		{"unknown provider", "", []string{"pricebook", "import", "--from", "litellm", liteLLMFile, "--provider", "acme"}, ExitFailure, "no model with per-token prices found for provider acme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLIForReport(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestDateInName(t *testing.T) {
	for in, want := range map[string]string{
		"litellm-model-prices-2026-08-01.json": "2026-08-01",
		"dir-2020-01-01/prices.json":           "",
		"a-2025-01-01-b-2025-02-02.json":       "2025-02-02",
		"-":                                    "",
	} {
		if got := dateInName(in); got != want {
			t.Errorf("dateInName(%q) = %q, want %q", in, got, want)
		}
	}
}
