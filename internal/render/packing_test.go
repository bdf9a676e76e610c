package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/internal/render/htmlcheck"
	"github.com/costaudit/costaudit/report"
)

// TestPackingGolden renders the packer section of an analyze report
// (testdata/xlsx/analyze-pack.json, see packReport) as a table, Markdown
// and HTML (go test ./internal/render -run TestPackingGolden -update).
func TestPackingGolden(t *testing.T) {
	rep := loadReport(t, packReport(t))
	for _, c := range []struct{ format, golden string }{
		{"table", "analyze.table.txt"},
		{"markdown", "analyze.md"},
		{"html", "analyze.html"},
	} {
		t.Run(c.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, rep, c.format, Options{}); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("pack", c.golden), buf.Bytes())
			for _, want := range []string{"nightly-enrichment", "weekly-digest", "best batch", "seed 3"} {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("%s lacks %q", c.format, want)
				}
			}
		})
	}
}

// TestPackChart checks the scatter chart's geometry on a hand-made
// section: the 4 h point at 10 h p95 and $4 a month sits where the axes
// put it, flex sits on the y axis, and names from logs stay text.
func TestPackChart(t *testing.T) {
	p := &report.Packing{Workflows: []report.PackTable{{
		Workflow: "<b>job</b>", FlexMonthlySavingsUSD: "3",
		Rows: []report.PackOut{
			{EveryHours: 1, WaitP95Hours: "5.00", MonthlySavingsUSD: "4"},
			{EveryHours: 4, WaitP95Hours: "10.00", MonthlySavingsUSD: "4"},
		},
	}}}
	c := htmlPackChart(p)
	// x: 0..12 (step 2) over 64..624 px; y: 0..5 (step 1) over 242..12 px.
	if len(c.Points) != 3 || c.Points[1].X != "530.7" || c.Points[1].Y != "58" || c.Points[2].X != "64" || c.Points[2].Y != "104" || !c.Points[2].Flex {
		t.Errorf("points %+v", c.Points)
	}
	var buf bytes.Buffer
	rep := &report.Report{Kind: "analyze", Packing: p}
	if err := RenderHTML(&buf, rep, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<b>job</b>") || !strings.Contains(buf.String(), "&lt;b&gt;job&lt;/b&gt;") {
		t.Error("a workflow name from the logs is not escaped in the packer section")
	}
}

// TestPackingHTMLInChromium renders an analyze page with the packer
// section in headless Chromium: no console message (the chart is inline
// SVG under the page's Content-Security-Policy) and a sane screenshot.
func TestPackingHTMLInChromium(t *testing.T) {
	browser := chromiumOrSkip(t)
	var buf bytes.Buffer
	if err := RenderHTML(&buf, loadReport(t, packReport(t)), Options{}); err != nil {
		t.Fatal(err)
	}
	out, shot, err := runScreenshot(t, browser, buf.Bytes())
	if err != nil {
		t.Fatalf("html-screenshot.sh: %v\n%s", err, out)
	}
	f, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := htmlcheck.Check(bytes.NewReader(f), 0.05, 0.60); err != nil {
		t.Fatal(err)
	}
}
