package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/internal/testutil"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/report"
)

func dd(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// nextMonth is the analyze fixture one month later: more batchable spend,
// a workflow that changed class, one new and one removed workflow, a model
// swapped for another, and a re-priced OpenAI book.
func nextMonth(t *testing.T) (*report.Report, *report.Report) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "report", "analyze.json"))
	if err != nil {
		t.Fatal(err)
	}
	old, err := decodeReport("analyze.json", data)
	if err != nil {
		t.Fatal(err)
	}
	n, err := decodeReport("analyze.json", data)
	if err != nil {
		t.Fatal(err)
	}
	n.Window.Start, n.Window.End = "2026-06-01T00:00:00Z", "2026-06-04T00:00:00Z"
	n.Totals.CostUSD = dd("0.4")
	n.Totals.Requests = 14
	n.Projection.MonthlyCostUSD = dd("4")
	n.Projection.WindowSavingsUSD = dd("0.15")
	n.Projection.MonthlySavingsUSD = dd("1.5")
	n.ByClass = []report.ClassRow{
		{Class: "scheduled", Requests: 8, CostUSD: dd("0.3")},
		{Class: "realtime", Requests: 6, CostUSD: dd("0.1")},
	}
	n.ByModel = []report.ModelRow{
		{Provider: "openai", Model: "gpt-4o", Requests: 8, CostUSD: dd("0.3")},
		{Provider: "anthropic", Model: "claude-haiku-4-5", Requests: 6, CostUSD: dd("0.1")},
	}
	chat, nightly := n.Workflows[0], n.Workflows[1]
	chat.Class, chat.Confidence, chat.Evidence = "near-realtime", "medium", []string{"source=queue on 6/6 requests"}
	chat.CostUSD = dd("0.05")
	nightly.CostUSD = dd("0.3")
	nightly.WhatIf.SavingsUSD = dd("0.15")
	weekly := report.Workflow{Workflow: "weekly-digest", Class: "scheduled", Confidence: "high", CostUSD: dd("0.05"),
		WhatIf: report.WhatIf{SavingsUSD: dd("0")}}
	n.Workflows = []report.Workflow{nightly, chat, weekly}
	n.Pricebooks[1].SHA256 = "1111111111111111111111111111111111111111111111111111111111111111"
	return old, n
}

func TestDiffReports(t *testing.T) {
	o, n := nextMonth(t)
	d := diffReports(o, n)
	row := func(rows []diffRow, name string) diffRow {
		for _, r := range rows {
			if r.Name == name {
				return r
			}
		}
		t.Fatalf("no row %q", name)
		return diffRow{}
	}
	pct := func(r diffRow) string {
		if r.Pct == nil {
			return "nil"
		}
		return r.Pct.String()
	}
	tests := []struct {
		name                  string
		r                     diffRow
		old, new, delta, pcts string
		status                string
	}{
		{"total", row(d.Totals, "cost_usd"), "0.3275", "0.4", "0.0725", "22.14", ""},
		{"monthly", row(d.Totals, "monthly_cost_usd"), "3.275", "4", "0.725", "22.14", ""},
		{"requests", row(d.Totals, "requests"), "10", "14", "4", "40", ""},
		{"scheduled", row(d.ByClass, "scheduled"), "0.12", "0.3", "0.18", "150", ""},
		{"realtime", row(d.ByClass, "realtime"), "0.1875", "0.1", "-0.0875", "-46.67", ""},
		{"near-realtime", row(d.ByClass, "near-realtime"), "0.02", "0", "-0.02", "-100", "removed"},
		{"haiku", row(d.ByModel, "anthropic/claude-haiku-4-5"), "0", "0.1", "0.1", "nil", "new"},
		{"nightly", row(d.ByWorkflow, "nightly-report"), "0.12", "0.3", "0.18", "150", ""},
		{"nightly savings", row(d.Savings, "nightly-report"), "0.06", "0.15", "0.09", "150", ""},
	}
	for _, tt := range tests {
		r := tt.r
		if r.Old.String() != tt.old || r.New.String() != tt.new || r.Delta.String() != tt.delta || pct(r) != tt.pcts || r.Status != tt.status {
			t.Errorf("%s: old %s new %s delta %s pct %s status %q; want %s %s %s %s %q",
				tt.name, r.Old, r.New, r.Delta, pct(r), r.Status, tt.old, tt.new, tt.delta, tt.pcts, tt.status)
		}
	}
	// Largest change first.
	if d.ByClass[0].Name != "scheduled" || d.ByClass[1].Name != "realtime" || d.ByClass[2].Name != "near-realtime" {
		t.Errorf("by_class order: %v", []string{d.ByClass[0].Name, d.ByClass[1].Name, d.ByClass[2].Name})
	}
	if len(d.ClassChanges) != 1 || d.ClassChanges[0].OldClass != "realtime" || d.ClassChanges[0].NewClass != "near-realtime" ||
		d.ClassChanges[0].NewEvidence != "source=queue on 6/6 requests" {
		t.Errorf("class changes: %+v", d.ClassChanges)
	}
	if strings.Join(d.NewWorkflows, ",") != "weekly-digest" || strings.Join(d.GoneWorkflows, ",") != "+summarize" {
		t.Errorf("workflows: new %v removed %v", d.NewWorkflows, d.GoneWorkflows)
	}
	if strings.Join(d.NewModels, ",") != "anthropic/claude-haiku-4-5" || strings.Join(d.GoneModels, ",") != "anthropic/claude-sonnet-4-5" {
		t.Errorf("models: new %v removed %v", d.NewModels, d.GoneModels)
	}
	if len(d.Pricebooks) != 2 || d.Pricebooks[0].ID != "openai" || d.Pricebooks[0].Status != "changed" || d.Pricebooks[1].Status != "unchanged" {
		t.Errorf("pricebooks: %+v", d.Pricebooks)
	}
	if len(d.Notes) != 0 {
		t.Errorf("notes for equal windows: %v", d.Notes)
	}
}

func TestDiffBooksMovedSource(t *testing.T) {
	o := []report.Pricebook{{ID: "openai", Source: "embedded:openai.toml", SHA256: "aa"}, {ID: "deepseek", Source: "embedded:deepseek.toml", SHA256: "cc"}}
	n := []report.Pricebook{{ID: "openai", Source: "books/openai.toml", SHA256: "bb"}, {ID: "google", Source: "embedded:google.toml", SHA256: "dd"}}
	got := diffBooks(o, n)
	want := []bookChange{
		{ID: "openai", Status: "changed", OldSHA: "aa", NewSHA: "bb"},
		{ID: "google", Status: "added", NewSHA: "dd"},
		{ID: "deepseek", Status: "removed", OldSHA: "cc"},
	}
	if len(got) != len(want) {
		t.Fatalf("diffBooks = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("diffBooks[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestDiffCommand runs costaudit diff in each format against golden files.
func TestDiffCommand(t *testing.T) {
	o, n := nextMonth(t)
	dir := t.TempDir()
	write := func(name string, rep *report.Report) string {
		var b bytes.Buffer
		if err := render.Render(&b, rep, "json", render.Options{}); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	op, np := write("2026-05.json", o), write("2026-06.json", n)
	for _, f := range []string{"table", "markdown", "json"} {
		t.Run(f, func(t *testing.T) {
			code, stdout, stderr := runCLIForReport(t, "", "diff", op, np, "--format", f)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			stdout = strings.ReplaceAll(stdout, dir+string(filepath.Separator), "")
			golden := filepath.Join("testdata", "diff", "2026-05_2026-06."+f)
			testutil.Golden(t, golden, []byte(stdout))
			if f == "json" {
				var v map[string]any
				if err := json.Unmarshal([]byte(stdout), &v); err != nil {
					t.Errorf("json output: %v", err)
				}
			}
		})
	}
}

func TestDiffErrors(t *testing.T) {
	good := filepath.Join("testdata", "report", "analyze.json")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"one file", []string{"diff", good}, ExitUsage, "want two JSON reports"},
		{"two stdins", []string{"diff", "-", "-"}, ExitUsage, "only one of OLD and NEW"},
		{"bad format", []string{"diff", good, good, "--format", "html"}, ExitUsage, `--format "html": unknown format for diff`},
		{"missing", []string{"diff", good, "nope.json"}, ExitFailure, "nope.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLIForReport(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}
