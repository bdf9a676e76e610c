package render

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/costaudit/costaudit/report"
)

// recalcScript is the repository's copy of the LibreOffice recalculation
// tool (../shared/tools/recalc.sh).
var recalcScript = filepath.Join("..", "..", "scripts", "recalc.sh")

// needSoffice skips the test when LibreOffice is missing on a developer
// machine; under CI a missing LibreOffice is a failure.
func needSoffice(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("soffice"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("soffice not installed (apt-get install -y --no-install-recommends libreoffice-calc-nogui); set CI=1 to make this a failure")
		}
		t.Fatalf("soffice not found under CI: %v", err)
	}
}

// recalc recalculates data with LibreOffice and returns the re-saved
// workbook, whose cached values are LibreOffice's results. It fails on any
// spreadsheet error cell.
func recalc(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.xlsx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cmd := exec.Command("bash", recalcScript, in, out)
	cmd.Env = append(os.Environ(), "RECALC_XLSX=1", "RECALC_FAIL_ON_ERROR=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("recalc.sh: %v\n%s", err, stderr.String())
	}
	f, err := excelize.OpenFile(filepath.Join(out, "recalculated.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// value returns the recalculated value of one cell.
func value(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func number(t *testing.T, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	v := value(t, f, sheet, cell)
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q: not a number", sheet, cell, v)
	}
	return x
}

// relClose reports whether got is want within a relative 1e-9 (absolute
// 1e-12 around zero).
func relClose(got, want float64) bool {
	d := math.Abs(got - want)
	return d <= 1e-9*math.Max(math.Abs(got), math.Abs(want)) || d <= 1e-12
}

// checkAll compares every formula cell LibreOffice computed with the value
// the Go code computed.
func checkAll(t *testing.T, got *excelize.File, checks []cellCheck) {
	t.Helper()
	bad := 0
	for _, c := range checks {
		v := value(t, got, c.Sheet, c.Cell)
		if c.IsText {
			if v != c.Text {
				t.Errorf("%s!%s (%s) = %q, want %q; formula %s", c.Sheet, c.Cell, c.What, v, c.Text, c.Formula)
				bad++
			}
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || !relClose(x, c.Want.InexactFloat64()) {
			t.Errorf("%s!%s (%s) = %q, want %s; formula %s", c.Sheet, c.Cell, c.What, v, c.Want, c.Formula)
			bad++
		}
		if bad > 20 {
			t.Fatal("too many mismatches")
		}
	}
}

// formulaCells lists every formula cell of the workbook as "Sheet!A1".
func formulaCells(t *testing.T, data []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	for _, s := range f.GetSheetList() {
		rows, err := f.Rows(s)
		if err != nil {
			t.Fatal(err)
		}
		r := 0
		for rows.Next() {
			r++
			cols, _ := rows.Columns()
			for c := 1; c <= max(len(cols), 40); c++ {
				name := cell(c, r)
				if fm, _ := f.GetCellFormula(s, name); fm != "" {
					out = append(out, s+"!"+name)
				}
			}
		}
		rows.Close()
	}
	return out
}

// render builds the workbook of rep and returns its bytes and builder.
func renderBook(t *testing.T, rep *report.Report) ([]byte, *xlsxBuilder) {
	t.Helper()
	b, err := buildXLSX(rep)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := b.f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	b.f.Close()
	return buf.Bytes(), b
}

// checkCoverage fails when a formula cell has no Go value to compare with.
func checkCoverage(t *testing.T, data []byte, checks []cellCheck) {
	t.Helper()
	known := map[string]bool{}
	for _, c := range checks {
		known[c.Sheet+"!"+c.Cell] = true
	}
	cells := formulaCells(t, data)
	for _, c := range cells {
		if !known[c] {
			t.Errorf("formula cell %s has no Go-computed value to check", c)
		}
	}
	if len(cells) != len(checks) {
		t.Errorf("%d formula cells, %d checks", len(cells), len(checks))
	}
}

func TestXLSXSameBytes(t *testing.T) {
	for _, rep := range []*report.Report{xlsxAnalyzeFixture(t), xlsxScenarioFixture()} {
		var a, b bytes.Buffer
		if err := RenderXLSX(&a, rep, Options{}); err != nil {
			t.Fatal(err)
		}
		if err := RenderXLSX(&b, rep, Options{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two renders differ (%d and %d bytes)", rep.Kind, a.Len(), b.Len())
		}
	}
}

// TestXLSXNoCachedValues checks that no formula carries a cached value and
// that the workbook asks for a full recalculation on load.
func TestXLSXNoCachedValues(t *testing.T) {
	data, _ := renderBook(t, xlsxAnalyzeFixture(t))
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	cached := regexp.MustCompile(`<f>[^<]*</f>\s*<v>`)
	sawCalc, formulas := false, 0
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		if strings.HasPrefix(zf.Name, "xl/worksheets/") {
			formulas += strings.Count(string(body), "<f>")
			if cached.Match(body) {
				t.Errorf("%s: a formula carries a cached value", zf.Name)
			}
		}
		if zf.Name == "xl/workbook.xml" {
			sawCalc = strings.Contains(string(body), `fullCalcOnLoad="1"`) || strings.Contains(string(body), `fullCalcOnLoad="true"`)
		}
		if zf.Name == "docProps/core.xml" && !strings.Contains(string(body), "2000-01-01T00:00:00Z") {
			t.Errorf("docProps/core.xml has no fixed date: %s", body)
		}
	}
	if !sawCalc {
		t.Error(`xl/workbook.xml lacks calcPr fullCalcOnLoad="1"`)
	}
	if formulas < 100 {
		t.Errorf("only %d formulas", formulas)
	}
}

// TestXLSXLogNamesAreText checks that a workflow named like a formula is
// written as a string, never as a formula.
func TestXLSXLogNamesAreText(t *testing.T) {
	data, _ := renderBook(t, xlsxAnalyzeFixture(t))
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := false
	rows, _ := f.GetRows(sheetWorkflows)
	for i, r := range rows {
		if len(r) > 0 && strings.HasPrefix(r[0], "=HYPERLINK") {
			found = true
			if fm, _ := f.GetCellFormula(sheetWorkflows, cell(1, i+1)); fm != "" {
				t.Errorf("workflow name became formula %q", fm)
			}
		}
	}
	if !found {
		t.Error("the formula-like workflow name is missing")
	}
}

func TestXLSXDefinedNames(t *testing.T) {
	data, _ := renderBook(t, xlsxAnalyzeFixture(t))
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := map[string]string{}
	cellLike := regexp.MustCompile(`^(?i)([a-z]{1,3}[0-9]+|r[0-9]*c[0-9]*)$`)
	for _, d := range f.GetDefinedName() {
		got[d.Name] = d.RefersTo
		if cellLike.MatchString(d.Name) {
			t.Errorf("defined name %q looks like a cell reference", d.Name)
		}
	}
	for _, want := range []string{
		"batch_discount_anthropic", "batch_discount_google", "batch_discount_openai",
		"eligible_realtime", "eligible_near_realtime", "eligible_scheduled",
		nameDaysOfData, nameDaysPerMonth, nameMonths, nameCacheHitRate, nameCacheWrite5m, nameCacheWrite1h,
		nameCacheRead, nameDelayHours, nameDelayCost, nameBudgetRows, nameBudgetPrice, nameBudgetTokSmall, nameBudgetTokLarge,
	} {
		if !strings.HasPrefix(got[want], "'Inputs'!$B$") {
			t.Errorf("defined name %s refers to %q, want a cell of Inputs column B", want, got[want])
		}
	}
	if _, ok := got["batch_discount_deepseek"]; ok {
		t.Error("deepseek has no batch API but got a discount input")
	}
}

// TestXLSXAnalyzeRecalc recalculates analyze workbooks with LibreOffice,
// compares every formula with the Go value, and checks the headline
// figures against the report: the hand-built fixture (tiers, cache
// stacking, no batch API, traffic already on batch) and the report of
// `costaudit analyze examples/logs/canonical.jsonl`. Regenerate
// testdata/xlsx/analyze.json with
//
//	go run ./cmd/costaudit analyze --format json examples/logs/canonical.jsonl > internal/render/testdata/xlsx/analyze.json
func TestXLSXAnalyzeRecalc(t *testing.T) {
	needSoffice(t)
	for _, tc := range []struct {
		name string
		rep  *report.Report
	}{
		{"fixture", xlsxAnalyzeFixture(t)},
		{"canonical.jsonl", loadReport(t, filepath.Join("testdata", "xlsx", "analyze.json"))},
	} {
		t.Run(tc.name, func(t *testing.T) { checkAnalyzeBook(t, tc.rep) })
	}
}

// cents rounds a recalculated amount to the cent.
func cents(x float64) string { return decimal.NewFromFloat(x).Round(2).StringFixed(2) }

func checkAnalyzeBook(t *testing.T, rep *report.Report) {
	data, b := renderBook(t, rep)
	if len(b.fallbacks) > 0 {
		t.Errorf("cells written as values instead of formulas:\n%s", strings.Join(b.fallbacks, "\n"))
	}
	lines := len(b.allLines())
	if lines == 0 || b.wfTotal-b.wfFirst != lines {
		t.Fatalf("%d workflow lines on the sheet, report has %d", b.wfTotal-b.wfFirst, lines)
	}
	checkCoverage(t, data, b.checks)
	got := recalc(t, data)
	checkAll(t, got, b.checks)

	// The headline figures are the report's, to the cent.
	for _, h := range []struct {
		cell, what string
		want       decimal.Decimal
	}{
		{"B5", "total cost", rep.Totals.CostUSD},
		{"B7", "window savings", rep.Projection.WindowSavingsUSD},
		{"B10", "monthly cost", rep.Projection.MonthlyCostUSD},
		{"B11", "monthly savings", rep.Projection.MonthlySavingsUSD},
	} {
		if g := number(t, got, sheetSummary, h.cell); cents(g) != h.want.Round(2).StringFixed(2) {
			t.Errorf("workbook %s %.9f, report %s", h.what, g, h.want)
		}
	}
	// Cost by class: the Summary's class table against by_class.
	rows, err := got.GetRows(sheetSummary, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.ByClass {
		found := false
		for _, r := range rows {
			if len(r) > 2 && r[0] == c.Class {
				x, _ := strconv.ParseFloat(r[2], 64)
				if cents(x) != c.CostUSD.Round(2).StringFixed(2) {
					t.Errorf("class %s: workbook %s, report %s", c.Class, r[2], c.CostUSD)
				}
				found = true
				break
			}
		}
		if !found {
			t.Errorf("class %s missing from the Summary", c.Class)
		}
	}
	for _, c := range b.checks {
		if c.Sheet == sheetBreakEven && strings.HasPrefix(c.What, "cache break-even") && strings.HasPrefix(c.Cell, "D") {
			t.Logf("%s: break-even hit rate %s", c.What, value(t, got, c.Sheet, c.Cell))
		}
	}
	t.Logf("%d lines, %d formula cells checked; total %s, savings %s", lines, len(b.checks),
		cents(number(t, got, sheetSummary, "B5")), cents(number(t, got, sheetSummary, "B7")))
}

// TestXLSXInputChange lowers every batch discount from 0.5 to 0.3 in the
// workbook, recalculates, and checks that every saving follows: savings of
// a discount rule scale by 0.3 / 0.5.
func TestXLSXInputChange(t *testing.T) {
	needSoffice(t)
	rep := xlsxAnalyzeFixture(t)
	data, b := renderBook(t, rep)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, d := range f.GetDefinedName() {
		if !strings.HasPrefix(d.Name, "batch_discount_") {
			continue
		}
		ref := strings.ReplaceAll(strings.TrimPrefix(d.RefersTo, "'Inputs'!"), "$", "")
		if v, _ := f.GetCellValue(sheetInputs, ref, excelize.Options{RawCellValue: true}); v != "0.5" {
			t.Fatalf("%s = %q, want 0.5", d.Name, v)
		}
		if err := f.SetCellValue(sheetInputs, ref, 0.3); err != nil {
			t.Fatal(err)
		}
		changed++
	}
	if changed < 3 {
		t.Fatalf("changed %d discounts, want openai, anthropic and google", changed)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got := recalc(t, buf.Bytes())

	scale := 0.3 / 0.5
	moved := 0
	for i, l := range b.allLines() {
		row := b.wfFirst + i
		c := cell(wcSavings, row)
		want := l.CostUSD.Sub(l.BatchCostUSD).InexactFloat64() * scale
		if g := number(t, got, sheetWorkflows, c); !relClose(g, want) {
			t.Errorf("line %d (%s %s): savings %.10f after the change, want %.10f", i, l.PriceRef, l.Mode, g, want)
		}
		if l.BatchEligible {
			moved++
		}
	}
	if moved < 4 {
		t.Errorf("only %d lines move to batch: the test would not show much", moved)
	}
	tot := decimal.Zero
	for _, l := range b.allLines() {
		tot = tot.Add(l.CostUSD.Sub(l.BatchCostUSD))
	}
	if g, want := number(t, got, sheetSummary, "B7"), tot.InexactFloat64()*scale; !relClose(g, want) {
		t.Errorf("Summary savings %.10f, want %.10f", g, want)
	}
	// Cost is untouched; the Batch Budgeter follows the OpenAI discount.
	if g, want := number(t, got, sheetSummary, "B5"), rep.Totals.CostUSD.InexactFloat64(); !relClose(g, want) {
		t.Errorf("Summary cost %.10f changed, want %.10f", g, want)
	}
	for _, c := range b.checks {
		if c.Sheet == sheetBreakEven && c.What == "Batch Budgeter Large rows" && strings.HasPrefix(c.Cell, "H") {
			if g := number(t, got, c.Sheet, c.Cell); !relClose(g, 15000*0.3) {
				t.Errorf("Budgeter saving %v at a 30%% discount, want 4500", g)
			}
		}
	}
}

func TestParseFormula(t *testing.T) {
	names := map[string]string{"tickets": "s1_tickets", "input": "s1_input", "realtime_cost": "s1_realtime_cost"}
	look := func(id string) (string, bool) { v, ok := names[id]; return v, ok }
	for _, tc := range []struct{ in, want, err string }{
		{"tickets*(input*3+250*15)/1000000", "s1_tickets*(s1_input*3+250*15)/1000000", ""},
		{"realtime_cost * 0.50", "s1_realtime_cost*0.50", ""},
		{"(tickets * input) / 1000000", "(s1_tickets*s1_input)/1000000", ""},
		{"-(tickets - 1) * -input", "-(s1_tickets-1)*-s1_input", ""},
		{"MAX(tickets, 1000000) - MIN(input, 0.0025, 1)", "MAX(s1_tickets,1000000)-MIN(s1_input,0.0025,1)", ""},
		{"IF(tickets >= 10, input, 0)", "IF(s1_tickets>=10,s1_input,0)", ""},
		{"IF(tickets = 1, input, -1)", "IF(s1_tickets=1,s1_input,-1)", ""},
		{"IF(tickets <> 1, 1, 0)", "IF(s1_tickets<>1,1,0)", ""},
		{"tickets * price", "", `unknown name "price"`},
		{"(tickets", "", "missing )"},
		{"tickets)", "", `unexpected ")"`},
		{"tickets # 2", "", `unexpected "#"`},
		{"1..2", "", `unexpected "."`},
		{"  ", "", "unexpected end"},
		{"SUM(tickets)", "", `unexpected "S"`},
	} {
		got, err := parseFormula(tc.in, look)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseFormula(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseFormula(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// FuzzParseFormula checks that a formula is the expression as written
// without its spaces and with each name replaced: the tree keeps every
// token, so nothing is added, dropped or reordered.
func FuzzParseFormula(f *testing.F) {
	for _, s := range []string{"a*(b+1)/2", "IF(a>=1,MIN(a,b),MAX(1,2))", "1.5-a", "((a)", "-(-a)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseFormula(s, func(id string) (string, bool) { return id, true })
		if err != nil {
			return
		}
		if want := strings.ReplaceAll(s, " ", ""); got != want {
			t.Fatalf("parseFormula(%q) = %q, want %q", s, got, want)
		}
	})
}

var _ = fmt.Sprintf

// TestXLSXScenariosRecalc recalculates a worked-examples workbook: every
// figure with an expression is a formula over named assumptions and must
// give the Go value.
func TestXLSXScenariosRecalc(t *testing.T) {
	needSoffice(t)
	// One workbook, one LibreOffice run: the seeds' worked examples and the
	// fixture's MIN / MAX / IF figures.
	rep := xlsxExamplesReport(t)
	if len(rep.Scenarios) < 10 {
		t.Fatalf("%d worked examples, want the seeds' 10 or more", len(rep.Scenarios))
	}
	rep.Scenarios = append(rep.Scenarios, xlsxScenarioFixture().Scenarios...)
	checkScenarioBook(t, rep)
}

func checkScenarioBook(t *testing.T, rep *report.Report) {
	data, b := renderBook(t, rep)
	checkCoverage(t, data, b.checks)
	exprs := 0
	for _, s := range rep.Scenarios {
		for _, f := range s.Figures {
			if f.Expr != "" {
				exprs++
			}
		}
	}
	if len(b.fallbacks) > 0 {
		t.Errorf("figures written as values instead of formulas:\n%s", strings.Join(b.fallbacks, "\n"))
	}
	if n := countPrefix(b.checks, sheetScenarios); n != exprs {
		t.Errorf("%d figure formulas on Scenarios, want %d", n, exprs)
	}
	got := recalc(t, data)
	checkAll(t, got, b.checks)
	t.Logf("%d scenarios, %d figure formulas, %d formula cells checked", len(rep.Scenarios), exprs, len(b.checks))
}

func countPrefix(checks []cellCheck, sheet string) int {
	n := 0
	for _, c := range checks {
		if c.Sheet == sheet {
			n++
		}
	}
	return n
}

// TestXLSXEdgeReports renders reports with nothing in them: no records, no
// scenarios, a kind-less report. Each must give a workbook, through the
// dispatcher.
func TestXLSXEdgeReports(t *testing.T) {
	if !Has("xlsx") {
		t.Fatal("xlsx is not registered")
	}
	for _, rep := range []*report.Report{
		{Kind: "analyze", SchemaVersion: report.SchemaVersion},
		{SchemaVersion: report.SchemaVersion},
		{Kind: "simulate", SchemaVersion: report.SchemaVersion},
		{Kind: "examples", SchemaVersion: report.SchemaVersion, Scenarios: []report.Scenario{{Name: "x", Figures: []report.Figure{
			{Key: "a", Value: "n/a"}, {Key: "b", Value: "2", Expr: "unknown_key * 2"}}}}},
	} {
		var buf bytes.Buffer
		if err := Render(&buf, rep, "xlsx", Options{}); err != nil {
			t.Errorf("kind %q: %v", rep.Kind, err)
			continue
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Errorf("kind %q: unreadable workbook: %v", rep.Kind, err)
			continue
		}
		want := []string{sheetSummary, sheetInputs, sheetWorkflows, sheetPrices, sheetBreakEven}
		switch {
		case rep.Kind == "examples":
			want = []string{sheetSummary, sheetInputs, sheetScenarios, sheetBreakEven}
		case rep.Kind == "simulate":
			want = []string{sheetSummary, sheetInputs, sheetBreakEven}
		}
		if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("kind %q: sheets %v, want %v", rep.Kind, got, want)
		}
		f.Close()
	}
	// A figure whose expression names an unknown key is written as its
	// value, with the reason beside it.
	_, b := renderBook(t, &report.Report{Kind: "examples", Scenarios: []report.Scenario{{Name: "x", Figures: []report.Figure{
		{Key: "b", Value: "2", Expr: "unknown_key * 2"}}}}})
	if len(b.fallbacks) != 1 || !strings.Contains(b.fallbacks[0], `unknown name "unknown_key"`) {
		t.Errorf("fallbacks %q, want the unknown name", b.fallbacks)
	}
}
