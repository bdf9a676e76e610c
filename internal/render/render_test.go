package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/internal/testutil"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/report"
)

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", name), got)
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name   string
		rep    *report.Report
		format string
		opts   Options
	}{
		{"analyze.table.txt", goldenAnalyze(), "table", Options{}},
		{"analyze.top1.table.txt", goldenAnalyze(), "table", Options{TopN: 1, GroupBy: []string{"team"}}},
		{"analyze.w80.table.txt", goldenAnalyze(), "table", Options{Width: 80}},
		{"analyze.json", goldenAnalyze(), "json", Options{}},
		{"analyze.csv", goldenAnalyze(), "csv", Options{}},
		{"analyze.md", goldenAnalyze(), "markdown", Options{}},
		{"classify.table.txt", goldenAnalyze(), "table", Options{View: ViewInventory}},
		{"classify.json", goldenAnalyze(), "json", Options{View: ViewInventory}},
		{"classify.csv", goldenAnalyze(), "csv", Options{View: ViewInventory}},
		{"classify.md", goldenAnalyze(), "markdown", Options{View: ViewInventory}},
		{"examples.table.txt", goldenExamples(), "table", Options{}},
		{"examples.json", goldenExamples(), "json", Options{}},
		{"examples.csv", goldenExamples(), "csv", Options{}},
		{"examples.md", goldenExamples(), "markdown", Options{}},
		{"empty.table.txt", &report.Report{Kind: "analyze"}, "table", Options{}},
		{"empty.json", &report.Report{Kind: "analyze"}, "json", Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, c.rep, c.format, c.opts); err != nil {
				t.Fatal(err)
			}
			golden(t, c.name, buf.Bytes())
		})
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	err := Render(&bytes.Buffer{}, goldenAnalyze(), "yaml", Options{})
	var ue *UnknownFormatError
	if !errors.As(err, &ue) || ue.Format != "yaml" {
		t.Fatalf("err = %v, want UnknownFormatError for yaml", err)
	}
	if !strings.Contains(err.Error(), "csv, ") || !strings.Contains(err.Error(), "table") {
		t.Errorf("error %q does not list the known formats", err)
	}
}

func TestFormatsSortedAndOwnRegistered(t *testing.T) {
	fs := Formats()
	for i := 1; i < len(fs); i++ {
		if fs[i-1] >= fs[i] {
			t.Fatalf("Formats() = %v, not sorted", fs)
		}
	}
	for _, f := range []string{"csv", "json", "markdown", "table"} {
		if !Has(f) {
			t.Errorf("format %q not registered; have %v", f, fs)
		}
	}
}

func TestRegisterDuplicatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("registering table twice did not panic")
		}
	}()
	Register("table", Table)
}

func TestUSD(t *testing.T) {
	cases := []struct {
		in     string
		places int
		want   string
	}{
		{"0", 0, "$0.00"},
		{"1234567.891", 0, "$1,234,567.89"},
		{"103.125", 2, "$103.13"},
		{"-0.5", 2, "-$0.50"},
		{"999.995", 2, "$1,000.00"},
		{"0.0042", 2, "$0.0042"},
		{"0.00037549", 2, "$0.00038"},
		{"0.005", 2, "$0.01"},
		{"-0.0000027", 2, "-$0.0000027"},
		{"12.3456", 4, "$12.3456"},
		{"100", 2, "$100.00"},
	}
	for _, c := range cases {
		if got := USD(dec(c.in), c.places); got != c.want {
			t.Errorf("USD(%s, %d) = %q, want %q", c.in, c.places, got, c.want)
		}
	}
}

func TestCountAndPercent(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 17500: "17,500", -1234567: "-1,234,567"} {
		if got := Count(in); got != want {
			t.Errorf("Count(%d) = %q, want %q", in, got, want)
		}
	}
	if got := Percent(dec("1"), dec("3")); got != "33.3%" {
		t.Errorf("Percent(1,3) = %q", got)
	}
	if got := Percent(dec("1"), decimal.Zero); got != "—" {
		t.Errorf("Percent(1,0) = %q", got)
	}
}

func TestNeutralizeCell(t *testing.T) {
	cases := map[string]string{
		"":                  "",
		"nightly":           "nightly",
		"=1+2":              "'=1+2",
		"+cmd":              "'+cmd",
		"-x":                "'-x",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tx":               "'\tx",
		"\rx":               "'\rx",
		"＝1":                "'＝1",
		"-12.50":            "-12.50",
		"+3":                "+3",
		"1e5":               "1e5",
		"a=b":               "a=b",
		"--1":               "'--1",
		"-1-1":              "'-1-1",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
	}
	for in, want := range cases {
		if got := NeutralizeCell(in); got != want {
			t.Errorf("NeutralizeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSVRoundTripsAndNeutralizes(t *testing.T) {
	var buf bytes.Buffer
	if err := CSV(&buf, goldenAnalyze(), Options{}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(goldenAnalyze().Workflows) {
		t.Fatalf("%d rows, want header + %d", len(rows), len(goldenAnalyze().Workflows))
	}
	if strings.Join(rows[0], ",") != strings.Join(CSVWorkflowColumns, ",") {
		t.Errorf("header %v", rows[0])
	}
	if got := rows[3][0]; got != "'=HYPERLINK(\"http://x\")" {
		t.Errorf("formula workflow cell = %q, want it neutralized", got)
	}
	if got := rows[1][13]; got != "896.25" {
		t.Errorf("cost_usd = %q, want the exact decimal 896.25", got)
	}
}

func TestJSONIsTheContract(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, goldenAnalyze(), Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(buf.Bytes(), []byte("}\n")) {
		t.Error("json does not end with a newline")
	}
	var back report.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if !back.Totals.CostUSD.Equal(dec("1437.5042")) || back.Workflows[1].Workflow != "chat|ui \x1b[31mred" {
		t.Errorf("round trip lost data: %+v", back.Totals)
	}
	// Reading it back and rendering again gives the same bytes.
	var again bytes.Buffer
	if err := JSON(&again, &back, Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("json → report → json is not byte-identical")
	}
	// An empty report has every list as [] and every map as {}.
	buf.Reset()
	if err := JSON(&buf, &report.Report{Kind: "analyze"}, Options{}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("null")) {
		t.Errorf("empty report has null values:\n%s", buf.Bytes())
	}
}

func TestTableEscapesTerminalControl(t *testing.T) {
	var buf bytes.Buffer
	if err := Table(&buf, goldenAnalyze(), Options{}); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsRune(buf.Bytes(), 0x1b) {
		t.Error("table output carries a raw escape character from a workflow name")
	}
	if !bytes.Contains(buf.Bytes(), []byte(`chat|ui \x1b[31mred`)) {
		t.Error("escaped workflow name missing from the table")
	}
	buf.Reset()
	if err := Table(&buf, goldenAnalyze(), Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("\x1b[1mcoverage:\x1b[0m")) {
		t.Error("Color does not bold the labels")
	}
}

func TestMarkdownEscapesPipes(t *testing.T) {
	if got := EscapeMarkdown("a|b*c_d`e<f>[g]#\\"); got != `a\|b\*c\_d`+"\\`"+`e\<f\>\[g\]\#\\` {
		t.Errorf("EscapeMarkdown = %q", got)
	}
	var buf bytes.Buffer
	if err := Markdown(&buf, goldenAnalyze(), Options{}); err != nil {
		t.Fatal(err)
	}
	// Every table row of the inventory has exactly its column count of
	// unescaped pipes.
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, "chat") && strings.HasPrefix(line, "|") {
			cells := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|")
			if strings.Contains(line, " | realtime | high |") && cells != 8 {
				t.Errorf("row %q has %d pipes, want 8", line, cells)
			}
		}
	}
}

func TestTopN(t *testing.T) {
	cases := []struct{ top, n, want int }{{0, 25, 10}, {0, 3, 3}, {-1, 25, 25}, {5, 25, 5}, {50, 25, 25}}
	for _, c := range cases {
		if got := (Options{TopN: c.top}).topN(c.n); got != c.want {
			t.Errorf("TopN %d of %d = %d, want %d", c.top, c.n, got, c.want)
		}
	}
}

// TestFigureValueSingularCount checks that a count of one takes the
// singular unit ("1 job", not "1 jobs").
func TestFigureValueSingularCount(t *testing.T) {
	for _, tc := range []struct{ value, unit, want string }{
		{"1", "jobs", "1 job"},
		{"1", "jobs/day", "1 job/day"},
		{"1.0000", "requests", "1 request"},
		{"2", "jobs", "2 jobs"},
		{"0", "jobs/day", "0 jobs/day"},
		{"1.5", "hours", "1.5 hours"},
		{"1", "x", "1 x"},
	} {
		if got := figureValue(tc.value, tc.unit, 2); got != tc.want {
			t.Errorf("figureValue(%q, %q) = %q, want %q", tc.value, tc.unit, got, tc.want)
		}
	}
}
