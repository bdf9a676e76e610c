package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/report"
)

// fakeRowName is a workflow name that, printed raw, draws a row of its own
// under the real one.
const fakeRowName = "evil\n  2  fake-row  scheduled (high)  1  $999.00"

// controlReport is goldenAnalyze with control characters in a workflow,
// a model, a team and a map key.
func controlReport() *report.Report {
	rep := goldenAnalyze()
	rep.Workflows[0].Workflow = fakeRowName
	rep.Workflows[0].Models = []string{"gpt-4o\r\nfake"}
	rep.ByModel[0].Model = "m\x1b[2J"
	rep.Coverage.UnpricedModels = map[string]int64{"bad\nmodel": 3}
	return rep
}

// TestControlCharactersEscapedInEveryTextFormat checks that no renderer
// but JSON lets a newline or an escape sequence from a name through: the
// fake row never starts a line, CSV parses into as many records as it has
// lines, and JSON keeps the exact name.
func TestControlCharactersEscapedInEveryTextFormat(t *testing.T) {
	for _, format := range []string{"table", "markdown", "csv", "html", "focus"} {
		t.Run(format, func(t *testing.T) {
			rep := controlReport()
			var buf bytes.Buffer
			if err := Render(&buf, rep, format, Options{TopN: -1}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if strings.ContainsAny(out, "\x1b\r") {
				t.Errorf("raw control character in the %s output", format)
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, "fake-row") && !strings.Contains(line, "evil") {
					t.Errorf("fake row drawn: %q", line)
				}
				if strings.HasPrefix(strings.TrimSpace(line), "fake") || strings.HasPrefix(strings.TrimSpace(line), "model") {
					t.Errorf("a name's second line starts a line: %q", line)
				}
			}
			if format == "csv" || format == "focus" {
				recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil {
					t.Fatalf("invalid CSV: %v", err)
				}
				if lines := strings.Count(out, "\n"); len(recs) != lines {
					t.Errorf("%d records on %d lines: a cell holds a line break", len(recs), lines)
				}
			}
			if rep.Workflows[0].Workflow != fakeRowName {
				t.Error("rendering changed the caller's report")
			}
		})
	}
	t.Run("json keeps the name", func(t *testing.T) {
		var buf bytes.Buffer
		if err := Render(&buf, controlReport(), "json", Options{}); err != nil {
			t.Fatal(err)
		}
		var back report.Report
		if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, w := range back.Workflows {
			found = found || w.Workflow == fakeRowName
		}
		if !found {
			t.Error("json lost the exact workflow name")
		}
	})
}

// TestCleanCopyLeavesCleanReportsAlone checks that a report without
// control characters is rendered from itself, not a copy.
func TestCleanCopyLeavesCleanReportsAlone(t *testing.T) {
	rep := CleanCopy(goldenAnalyze()) // its chat workflow holds \x1b
	if got := CleanCopy(rep); got != rep {
		t.Error("CleanCopy copied a clean report")
	}
	rep.Workflows[1].Workflow = "a\tb"
	got := CleanCopy(rep)
	if got == rep || got.Workflows[1].Workflow != `a\tb` || rep.Workflows[1].Workflow != "a\tb" {
		t.Errorf("CleanCopy: %q (original %q)", got.Workflows[1].Workflow, rep.Workflows[1].Workflow)
	}
	if !got.Totals.CostUSD.Equal(rep.Totals.CostUSD) {
		t.Error("CleanCopy lost an exact decimal")
	}
}
