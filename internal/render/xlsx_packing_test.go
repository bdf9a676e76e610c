package render

import (
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
)

// packReport is `costaudit analyze --format json --deadline 6h --replays
// 20 --seed 3 examples/logs/canonical.jsonl`; regenerate it with that
// command (> internal/render/testdata/xlsx/analyze-pack.json).
func packReport(t *testing.T) string { return filepath.Join("testdata", "xlsx", "analyze-pack.json") }

// TestXLSXPackingRecalc recalculates a workbook with the Batch packer
// sheet in LibreOffice: every formula agrees with the Go value, and each
// row's monthly on-time saving matches the report's figure to the cent.
func TestXLSXPackingRecalc(t *testing.T) {
	needSoffice(t)
	rep := loadReport(t, packReport(t))
	if rep.Packing == nil || len(rep.Packing.Workflows) == 0 {
		t.Fatal("the fixture holds no packer section")
	}
	data, b := renderBook(t, rep)
	checkCoverage(t, data, b.checks)
	got := recalc(t, data)
	checkAll(t, got, b.checks)
	row := 5
	for _, w := range rep.Packing.Workflows {
		for _, r := range w.Rows {
			want := decimal.RequireFromString(r.MonthlySavingsUSD)
			if g := number(t, got, sheetPacking, cell(kcMonthly, row)); cents(g) != want.Round(2).StringFixed(2) {
				t.Errorf("%s every %d h: workbook %.6f a month, report %s", w.Workflow, r.EveryHours, g, want)
			}
			row++
		}
		if w.FlexMonthlySavingsUSD != "" {
			row++
		}
		row++
	}
}

// TestXLSXPackingSheetOnlyWithPacking keeps the workbook of a report
// without a packer section as it was: no Batch packer sheet.
func TestXLSXPackingSheetOnlyWithPacking(t *testing.T) {
	rep := loadReport(t, packReport(t))
	_, b := renderBook(t, rep)
	if i, _ := b.f.GetSheetIndex(sheetPacking); i < 0 {
		t.Error("a report with packing has no Batch packer sheet")
	}
	rep.Packing = nil
	_, b = renderBook(t, rep)
	if i, _ := b.f.GetSheetIndex(sheetPacking); i >= 0 {
		t.Error("a report without packing has a Batch packer sheet")
	}
}
