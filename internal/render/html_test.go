package render

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/internal/testutil"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/report"
)

// checkGolden compares got with testdata/<path>, rewriting it under -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", path), got)
}

func renderHTMLString(t *testing.T, rep *report.Report, opts Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, rep, "html", opts); err != nil {
		t.Fatalf("render html: %v", err)
	}
	return b.String()
}

func TestHTMLGolden(t *testing.T) {
	tests := []struct {
		name string
		rep  *report.Report
	}{
		{"analyze.html", fixtureAnalyzeReport()},
		{"examples.html", fixtureExamplesReport()},
		{"empty.html", &report.Report{Kind: "analyze", SchemaVersion: report.SchemaVersion}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderHTMLString(t, tt.rep, Options{})
			checkGolden(t, filepath.Join("html", tt.name), []byte(got))
			// Same report, same bytes.
			if again := renderHTMLString(t, tt.rep, Options{}); again != got {
				t.Error("two renders of the same report differ")
			}
		})
	}
}

// TestHTMLSelfContained checks that the page loads nothing and runs nothing.
func TestHTMLSelfContained(t *testing.T) {
	for _, rep := range []*report.Report{fixtureAnalyzeReport(), fixtureExamplesReport()} {
		page := renderHTMLString(t, rep, Options{})
		for _, bad := range []string{"<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href=", "javascript:"} {
			if strings.Contains(strings.ToLower(page), bad) {
				t.Errorf("%s page contains %q", rep.Kind, bad)
			}
		}
		if !strings.Contains(page, `Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`) {
			t.Errorf("%s page lacks the restrictive Content-Security-Policy", rep.Kind)
		}
	}
}

// TestHTMLEscapesNames checks that names from logs stay text.
func TestHTMLEscapesNames(t *testing.T) {
	page := renderHTMLString(t, fixtureAnalyzeReport(), Options{})
	if strings.Contains(page, "<script>alert(1)</script>") {
		t.Fatal("workflow name rendered as markup")
	}
	if !strings.Contains(page, "chat-&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("escaped workflow name missing")
	}
	if !strings.Contains(page, "mystery-model-&lt;b&gt;") {
		t.Error("escaped unpriced model missing")
	}
	if strings.Contains(page, "ZgotmplZ") {
		t.Error("html/template rejected a value (ZgotmplZ in output)")
	}
}

// TestHTMLSections checks that each audience's section is present, with the
// figures the report holds.
func TestHTMLSections(t *testing.T) {
	page := renderHTMLString(t, fixtureAnalyzeReport(), Options{})
	for _, want := range []string{
		`id="coverage"`, `id="chart-days"`, `id="chart-savings"`, `id="chart-models"`,
		`id="inventory"`, `id="opportunities"`, `id="early-cancel"`, `id="assumptions"`, `id="pricebooks"`, `id="groups"`,
		"5a3f0c1d2e4b6a7980c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d", // sha256 of a book
		"daily burst at 02:00 UTC on 2/3 days",                             // evidence
		"$0.33",                                                            // total, rounded for reading
		"0.3275",                                                           // total, exact
		"$0.00 – $0.01",                                                    // early-cancel range
		"<h2>By team</h2>", "<h2>By tag:env</h2>", "(none)", "<td>prod</td>",
		`=cmd|&#39; /C calc&#39;!A0`, // group value kept as text
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// One rect per non-zero class segment per day: 2 + 2 + 2, in the
	// desktop drawing and again in the phone drawing.
	svg := page[strings.Index(page, `id="chart-days"`):strings.Index(page, `<h3>By latency class`)]
	if n := len(regexp.MustCompile(`<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="[0-9.]+" fill="#[0-9a-f]{6}"><title>`).FindAllString(svg, -1)); n != 12 {
		t.Errorf("day chart has %d class segments, want 2 × 6", n)
	}
}

// TestHTMLScenarioQuotes checks quoted-versus-computed in scenario reports.
func TestHTMLScenarioQuotes(t *testing.T) {
	page := renderHTMLString(t, fixtureExamplesReport(), Options{})
	for _, want := range []string{"206.25", "$125", "72,000", "~$72K", "the seed&#39;s arithmetic is off"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, `id="coverage"`) {
		t.Error("an examples report shows the log coverage section")
	}
	// Each status shows twice: in the summary and in its scenario.
	if got := strings.Count(page, `<span class="ok">matches</span>`); got != 4 {
		t.Errorf("%d figures match their quote, want 2 × 2 (~$72K and $103.13)", got)
	}
	if got := strings.Count(page, `<span class="bad">differs</span>`); got != 4 {
		t.Errorf("%d figures differ from their quote, want 2 × 2 ($125 and $62)", got)
	}
	for _, want := range []string{`id="headline"`, "2 quoted figures match, 2 differ from the seed", "&#43;$81.25 (&#43;65.0%)", `id="chart-examples"`} {
		if !strings.Contains(page, want) {
			t.Errorf("examples page lacks %q", want)
		}
	}
	if strings.Contains(page, "None.") && strings.Contains(page, "<th>Assumption</th>") {
		t.Error(`examples page says "None." for assumptions after listing them`)
	}
}

func TestHTMLQuoteStatus(t *testing.T) {
	tests := []struct{ value, quoted, want string }{
		{"206.25", "$125", "differs"},
		{"72000", "~$72K", "matches"},
		{"103.125", "$103.13", "matches"},
		{"103.125", "$103.12", "differs"},
		{"1125", "$1,125", "matches"},
		{"60", "60%", "matches"},
		{"4.2", "$4,200", "differs"},
		{"4.2", "", ""},
		{"4.2", "about four", "note"},
		{"250", "batch saves most", "note"},
		{"1.5M", "$1.5M", "note"},
		{"1500000", "$1.5M", "matches"},
		{"80", "~70–80% off", "matches"},
		{"69.4", "~70–80% off", "differs"},
		{"1500", "~1–2K", "matches"},
		{"7500", "$7,500.00", "matches"},
		{"201.5", "$54/month", "differs"},
		{"54", "$54/month", "matches"},
		{"60", "90% off cached input", "differs"},
	}
	for _, tt := range tests {
		if got := htmlQuoteStatus(tt.value, tt.quoted); got != tt.want {
			t.Errorf("htmlQuoteStatus(%q, %q) = %q, want %q", tt.value, tt.quoted, got, tt.want)
		}
	}
}

func TestHTMLNiceStep(t *testing.T) {
	tests := []struct {
		max  float64
		want float64
	}{{0.3275, 0.1}, {0.1275, 0.05}, {1000, 500}, {7, 2}, {0, 1}}
	for _, tt := range tests {
		if got := htmlNiceStep(tt.max, 4); got != tt.want {
			t.Errorf("htmlNiceStep(%v, 4) = %v, want %v", tt.max, got, tt.want)
		}
	}
}

// TestHTMLFixtureJSON keeps the fixtures as JSON reports in testdata, the
// input of the report --from and diff tests of package cli.
func TestHTMLFixtureJSON(t *testing.T) {
	for name, rep := range map[string]*report.Report{"analyze.json": focusFixture(), "examples.json": fixtureExamplesReport()} {
		var b bytes.Buffer
		if err := Render(&b, rep, "json", Options{}); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, filepath.Join("html", name), b.Bytes())
	}
}

func TestHTMLFillDays(t *testing.T) {
	day := func(s string) report.DayRow { return report.DayRow{Day: s, CostUSD: hd("1")} }
	tests := []struct {
		name string
		in   []report.DayRow
		want string
	}{
		{"gap", []report.DayRow{day("2026-02-27"), day("2026-03-02")}, "2026-02-27 2026-02-28 2026-03-01 2026-03-02"},
		{"no gap", []report.DayRow{day("2026-05-01"), day("2026-05-02")}, "2026-05-01 2026-05-02"},
		{"unsorted kept", []report.DayRow{day("2026-05-03"), day("2026-05-01")}, "2026-05-03 2026-05-01"},
		{"duplicate kept", []report.DayRow{day("2026-05-01"), day("2026-05-01"), day("2026-05-03")}, "2026-05-01 2026-05-01 2026-05-03"},
		{"not dates kept", []report.DayRow{day("x"), day("y")}, "x y"},
	}
	for _, tt := range tests {
		var got []string
		for _, d := range htmlFillDays(tt.in) {
			got = append(got, d.Day)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, got, tt.want)
		}
	}
}

// TestHTMLAnswerFirst checks the order a reader meets the page in: the
// headline and the ranked opportunities come before the spend, the
// per-workflow evidence (collapsible) and the coverage; --top limits the
// opportunities listed while the total row still counts them all; the
// batch rule is stated once, not on every row.
func TestHTMLAnswerFirst(t *testing.T) {
	rep := bigReport(30)
	page := renderHTMLString(t, rep, Options{TopN: 5})
	order := []string{`id="headline"`, `id="opportunities"`, `id="spend"`, `id="inventory"`, `id="coverage"`}
	last := -1
	for _, id := range order {
		i := strings.Index(page, id)
		if i < 0 || i < last {
			t.Fatalf("%s at %d, want it after %d (order %v)", id, i, last, order)
		}
		last = i
	}
	opp := page[strings.Index(page, `id="opportunities"`):strings.Index(page, `id="spend"`)]
	if n := strings.Count(opp, `data-k="Savings"`); n != 5+1 {
		t.Errorf("opportunities table has %d savings cells, want 5 rows + the total", n)
	}
	for _, want := range []string{"25 more opportunities are counted in the total", "Total of 30", "(batch rule A)", "<strong>Batch rule A:</strong>"} {
		if !strings.Contains(opp, want) {
			t.Errorf("opportunities lack %q", want)
		}
	}
	for _, end := range []string{"standard prices 0", "standard prices 1", "standard prices 2"} {
		if n := strings.Count(opp, end); n != 1 {
			t.Errorf("batch rule ending %q appears %d times, want once", end, n)
		}
	}
	inv := page[strings.Index(page, `id="inventory"`):strings.Index(page, `id="coverage"`)]
	if n := strings.Count(inv, "<details><summary>evidence 0:"); n != 30 {
		t.Errorf("%d workflows have collapsible evidence, want 30", n)
	}
}

// TestHTMLDayLabelsDoNotOverlap lays out 30 and 90 days in the desktop and
// the phone drawing: consecutive day labels must be at least a label's
// width apart, and the first and last day must still be labelled often
// enough to read the axis (at least 4 labels).
func TestHTMLDayLabelsDoNotOverlap(t *testing.T) {
	for _, n := range []int{30, 90} {
		var days []report.DayRow
		for i := range n {
			d := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
			days = append(days, report.DayRow{Day: d.Format("2006-01-02"), Requests: 1, CostUSD: dec("1.5"), ByClass: map[string]decimal.Decimal{"realtime": dec("1.5")}})
		}
		for _, width := range []float64{960, 400} {
			ch := htmlDayChart(days, func(d decimal.Decimal) string { return USD(d, 2) }, width)
			var xs []float64
			for _, b := range ch.Bars {
				if b.Label == "" {
					continue
				}
				x, err := strconv.ParseFloat(b.LabelX, 64)
				if err != nil {
					t.Fatal(err)
				}
				xs = append(xs, x)
			}
			if len(xs) < 4 {
				t.Errorf("%d days at %v: %d labels, want at least 4", n, width, len(xs))
			}
			for i := 1; i < len(xs); i++ {
				if xs[i]-xs[i-1] < 64 {
					t.Errorf("%d days at %v: labels %d and %d are %.1f apart, want ≥ 64", n, width, i-1, i, xs[i]-xs[i-1])
				}
			}
		}
	}
}
