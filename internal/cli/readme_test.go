package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// readmeBlocks returns the fenced blocks of README.md in the given
// language.
func readmeBlocks(t *testing.T, lang string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```\n")
	var out []string
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		out = append(out, m[1])
	}
	return out
}

// readmeBlock returns the one block of lang whose first line starts with
// prefix.
func readmeBlock(t *testing.T, lang, prefix string) string {
	t.Helper()
	var found []string
	for _, b := range readmeBlocks(t, lang) {
		if strings.HasPrefix(b, prefix) {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		t.Fatalf("README.md has %d %s blocks starting with %q, want 1", len(found), lang, prefix)
	}
	return found[0]
}

// TestReadmeCheckExamples runs the README's check section on the bundled
// logs: the console example (exact output), costaudit.toml and config show
// (exact output), and the GitHub Actions job's costaudit check step.
func TestReadmeCheckExamples(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	logs := filepath.Join(repo, "examples", "logs")
	dir := t.TempDir()
	toml := readmeBlock(t, "toml", "# costaudit.toml\n")
	cfg := writeConfig(t, dir, toml)

	// The console example, run from the repository root as it is written.
	t.Run("console", func(t *testing.T) {
		block := readmeBlock(t, "console", "$ costaudit check ")
		cmd, want, _ := strings.Cut(block, "\n")
		args := strings.Fields(strings.TrimPrefix(cmd, "$ costaudit "))
		t.Chdir(repo)
		out, stderr, code := checkRun(t, "", args...)
		if code != ExitFailure {
			t.Errorf("exit %d, want 1", code)
		}
		if got := out + stderr; got != want {
			t.Errorf("README output differs from the run:\n got:\n%s\nwant:\n%s", got, want)
		}
	})

	t.Run("config show", func(t *testing.T) {
		block := readmeBlock(t, "console", "$ costaudit config show ")
		cmd, want, _ := strings.Cut(block, "\n")
		args := strings.Fields(strings.TrimPrefix(cmd, "$ costaudit "))
		t.Chdir(dir)
		out, stderr, code := checkRun(t, "", args...)
		if code != 0 || out != want {
			t.Errorf("exit %d %s; README output differs from the run:\n got:\n%s\nwant:\n%s", code, stderr, out, want)
		}
	})

	// The workflow's check step, with the export and the baseline
	// replaced by the bundled logs and a report made from them.
	t.Run("github actions", func(t *testing.T) {
		yaml := readmeBlock(t, "yaml", "# .github/workflows/inference-budget.yml\n")
		checkWorkflowShape(t, yaml)
		var step string
		for _, line := range strings.Split(yaml, "\n") {
			if _, after, ok := strings.Cut(line, "run: costaudit check "); ok {
				step = after
			}
		}
		if step == "" {
			t.Fatal("the workflow has no `run: costaudit check` step")
		}
		baseline := filepath.Join(dir, "baseline.json")
		if _, stderr, code := checkRun(t, "", "analyze", "--no-config", "--format", "json", "-o", baseline, logs); code != 0 {
			t.Fatalf("baseline: exit %d: %s", code, stderr)
		}
		replace := map[string]string{"costaudit.toml": cfg, "baseline.json": baseline, "report.json": filepath.Join(dir, "report.json"), "export/": logs}
		args := []string{"check"}
		for _, a := range strings.Fields(step) {
			if r, ok := replace[a]; ok {
				a = r
			}
			args = append(args, a)
		}
		stepSummary := filepath.Join(dir, "step-summary.md")
		out, stderr, code := checkRun(t, stepSummary, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d:\n%s%s", args, code, out, stderr)
		}
		want := "costaudit check: pass: 5 budgets held on 4,908 records, $40.11 spend: batchable spend $2.06 ≤ $25.00; batchable share 5.13% ≤ 10%; unclassified share 2.16% ≤ 15%; unpriced share 0.00% ≤ 1%; increase on baseline 0.0% ≤ +25%\n"
		if out != want {
			t.Errorf("stdout\n%q\nwant\n%q", out, want)
		}
		md, err := os.ReadFile(filepath.Join(dir, "costaudit-summary.md")) // [check] summary, beside the config
		if err != nil {
			t.Fatal(err)
		}
		step2, err := os.ReadFile(stepSummary)
		if err != nil || string(step2) != string(md) || !strings.HasPrefix(string(md), "## costaudit check: pass\n") {
			t.Errorf("summary %q, step summary %q (%v)", md, step2, err)
		}
		if _, err := readReportFile(Env{}, filepath.Join(dir, "report.json")); err != nil {
			t.Errorf("--report: %v", err)
		}
	})
}

// checkWorkflowShape parses the README's workflow as YAML and checks the
// keys GitHub Actions needs: a monthly schedule with a five-field cron, a
// job with runs-on, and steps that each use an action or run a command.
// https://docs.github.com/en/actions/using-workflows/workflow-syntax-for-github-actions
func checkWorkflowShape(t *testing.T, text string) {
	t.Helper()
	var wf struct {
		Name string `yaml:"name"`
		On   struct {
			Schedule []struct {
				Cron string `yaml:"cron"`
			} `yaml:"schedule"`
			Dispatch *struct{} `yaml:"workflow_dispatch"`
		} `yaml:"on"`
		Jobs map[string]struct {
			RunsOn string `yaml:"runs-on"`
			Steps  []struct {
				Name string         `yaml:"name"`
				Uses string         `yaml:"uses"`
				Run  string         `yaml:"run"`
				With map[string]any `yaml:"with"`
				If   string         `yaml:"if"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	dec := yaml.NewDecoder(strings.NewReader(text))
	dec.KnownFields(true)
	if err := dec.Decode(&wf); err != nil {
		t.Fatalf("README workflow is not valid YAML of the expected shape: %v", err)
	}
	if len(wf.On.Schedule) != 1 || len(strings.Fields(wf.On.Schedule[0].Cron)) != 5 {
		t.Errorf("schedule = %+v, want one five-field cron", wf.On.Schedule)
	}
	job, ok := wf.Jobs["check"]
	if !ok || job.RunsOn == "" || len(job.Steps) == 0 {
		t.Fatalf("jobs.check = %+v", job)
	}
	for i, st := range job.Steps {
		if (st.Uses == "") == (st.Run == "") {
			t.Errorf("step %d (%s): want exactly one of uses and run", i+1, st.Name)
		}
	}
}
