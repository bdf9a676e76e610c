package render

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXPrintSetup checks that every sheet prints landscape and one page
// wide with its header rows repeated and a print area, that the audit's
// Summary fits one page, and that the Workflows and Prices tables carry an
// autofilter.
func TestXLSXPrintSetup(t *testing.T) {
	data, _ := renderBook(t, xlsxAnalyzeFixture(t))
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := map[string]bool{}
	for _, d := range f.GetDefinedName() {
		names[d.Scope+"|"+d.Name] = true
	}
	for _, s := range f.GetSheetList() {
		pl, err := f.GetPageLayout(s)
		if err != nil {
			t.Fatal(err)
		}
		if pl.Orientation == nil || *pl.Orientation != "landscape" {
			t.Errorf("%s: orientation %v, want landscape", s, pl.Orientation)
		}
		if pl.FitToWidth == nil || *pl.FitToWidth != 1 {
			t.Errorf("%s: fit to width %v, want 1 page", s, pl.FitToWidth)
		}
		wantTall := 0
		if s == sheetSummary {
			wantTall = 1
		}
		if pl.FitToHeight == nil || *pl.FitToHeight != wantTall {
			t.Errorf("%s: fit to height %v, want %d", s, pl.FitToHeight, wantTall)
		}
		if props, err := f.GetSheetProps(s); err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fit to page is off", s)
		}
		if !names[s+"|_xlnm.Print_Area"] {
			t.Errorf("%s: no print area", s)
		}
		if !names[s+"|_xlnm.Print_Titles"] {
			t.Errorf("%s: no repeated header rows", s)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	filters := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, _ := zf.Open()
		x, _ := io.ReadAll(rc)
		rc.Close()
		filters += strings.Count(string(x), "<autoFilter ref=")
	}
	if filters < 2 {
		t.Errorf("%d autofilters, want at least Workflows and Prices", filters)
	}
}

// TestXLSXMoneyFormat checks the one money format: cents, and amounts
// under a cent with their significant digits.
func TestXLSXMoneyFormat(t *testing.T) {
	data, b := renderBook(t, xlsxAnalyzeFixture(t))
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.GetStyle(b.st.usd)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil || *st.CustomNumFmt != `[>=0.01]"$"#,##0.00;[<=-0.01]-"$"#,##0.00;"$"0.00####` {
		t.Errorf("money format %v", st.CustomNumFmt)
	}
}

// TestXLSXBreakEvenAgreesWithSummary checks that with the default cost of
// delay, "worth waiting?" says yes exactly for the workflows whose batch
// what-if saves money (the ones the Summary recommends), and that the
// caching and early-cancel levers are dollar formulas over their inputs.
func TestXLSXBreakEvenAgreesWithSummary(t *testing.T) {
	rep := xlsxAnalyzeFixture(t)
	_, b := renderBook(t, rep)
	saves := map[string]bool{}
	for _, sp := range b.wf {
		saves["time value of "+sp.w.Workflow] = sp.cost.Sub(sp.batch).IsPositive()
	}
	seen := 0
	levers := map[string]bool{}
	for _, c := range b.checks {
		if c.Sheet != sheetBreakEven {
			continue
		}
		if want, ok := saves[c.What]; ok && c.IsText && strings.HasPrefix(c.Formula, "IF(") && strings.Contains(c.Formula, `"yes"`) {
			seen++
			if (c.Text == "yes") != want {
				t.Errorf("%s: worth waiting %q, want yes=%v", c.What, c.Text, want)
			}
		}
		for _, in := range []string{nameCachePrefix, nameCancelUnbilled} {
			if strings.Contains(c.Formula, in) {
				levers[in] = true
			}
		}
	}
	if seen != len(b.wf) {
		t.Errorf("%d worth-waiting cells, want one per workflow (%d)", seen, len(b.wf))
	}
	if len(rep.EarlyCancel.Workflows) > 0 && !levers[nameCancelUnbilled] {
		t.Error("no early-cancel dollar formula reads cancel_unbilled_share")
	}
	if !levers[nameCachePrefix] {
		t.Error("no caching dollar formula reads cache_prefix_share")
	}
}

// TestXLSXScenarioInputsLive checks that a scenario assumption is a yellow
// input only when a formula reads it, and that Monte Carlo figures are
// marked as computed.
func TestXLSXScenarioInputsLive(t *testing.T) {
	sc := goldenExamples().Scenarios[0]
	used := formulaInputs(sc)
	for _, a := range sc.Assumptions {
		reads := false
		for _, fg := range sc.Figures {
			if strings.Contains(strings.ToLower(fg.Expr), strings.ToLower(a.Key)) {
				reads = true
			}
		}
		if reads && !used[strings.ToLower(a.Key)] {
			t.Errorf("assumption %s is read by a formula but not marked live", a.Key)
		}
	}
}
