package render

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxPrint is how one sheet prints: landscape, as wide as one page, with
// its header rows repeated on every page, and optionally an autofilter over
// its main table.
type xlsxPrint struct {
	// titleRows are the first and last row repeated at the top of every
	// printed page (0: none).
	titleFirst, titleLast int
	// filterRow is the header row of the table that gets an autofilter
	// (0: none); the filter runs to filterLast (0: the sheet's last row).
	filterRow, filterLast int
	// onePage fits the whole sheet on one page (the Summary).
	onePage bool
}

// printSetups are the print settings of the workbook's sheets; sheets not
// listed print landscape and one page wide without repeated rows.
func (b *xlsxBuilder) printSetups() map[string]xlsxPrint {
	analyze := b.rep.Kind == "analyze" || b.rep.Kind == ""
	return map[string]xlsxPrint{
		// An audit's Summary fits one page; the Summary of many worked
		// examples lists every figure and prints one page wide.
		sheetSummary:   {titleFirst: 1, titleLast: 2, onePage: analyze},
		sheetInputs:    {titleFirst: 1, titleLast: 1},
		sheetWorkflows: {titleFirst: 1, titleLast: 1, filterRow: 1, filterLast: b.wfLast},
		sheetPrices:    {titleFirst: 1, titleLast: 1, filterRow: 1},
		sheetScenarios: {titleFirst: 1, titleLast: 1, filterRow: 1},
		sheetBreakEven: {titleFirst: 1, titleLast: 1},
	}
}

// finishPrint sets up every sheet for printing and filtering: landscape,
// fit to one page wide (the Summary to one page), repeated header rows,
// a print area over the used range, and autofilters on the tables.
func (b *xlsxBuilder) finishPrint() error {
	for _, s := range b.f.GetSheetList() {
		if b.printed[s] {
			continue
		}
		if err := b.printSheet(s); err != nil {
			return err
		}
	}
	return nil
}

// pageSetup sets sheet landscape on A4, one page wide (the Summary one
// page), with narrow margins. A streamed sheet takes it before its stream
// starts, because the stream writes the sheet properties first.
func (b *xlsxBuilder) pageSetup(s string) error {
	f := b.f
	landscape := "landscape"
	a4 := 9
	wide, tall := 1, 0
	if b.printSetups()[s].onePage {
		tall = 1
	}
	if err := f.SetPageLayout(s, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return fmt.Errorf("xlsx: page layout of %s: %w", s, err)
	}
	fit := true
	if err := f.SetSheetProps(s, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("xlsx: sheet properties of %s: %w", s, err)
	}
	margin := 0.4
	return f.SetPageMargins(s, &excelize.PageLayoutMarginsOptions{Left: &margin, Right: &margin, Top: &margin, Bottom: &margin})
}

// printSheet sets sheet up for printing and filtering: its autofilter,
// page setup, print area and repeated header rows. A streamed sheet calls
// it after its last row and before the stream is flushed, and is then
// marked printed so that finishPrint leaves it alone.
func (b *xlsxBuilder) printSheet(s string) error {
	f := b.f
	p := b.printSetups()[s]
	u, used := b.used[s]
	lastCol, lastRow := u[0], u[1]
	// The autofilter first: excelize resets the sheet properties when it
	// adds one, which would drop fit-to-page.
	if used && p.filterRow > 0 {
		end := p.filterLast
		if end <= 0 {
			end = lastRow
		}
		if end > p.filterRow {
			ref := fmt.Sprintf("A%d:%s%d", p.filterRow, colName(b.headerCols(s, p.filterRow, lastCol)), end)
			if err := f.AutoFilter(s, ref, nil); err != nil {
				return fmt.Errorf("xlsx: autofilter of %s: %w", s, err)
			}
		}
	}
	if err := b.pageSetup(s); err != nil {
		return err
	}
	if !used {
		return nil
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: s,
		RefersTo: fmt.Sprintf("%s$A$1:$%s$%d", sheetRef(s), colName(lastCol), lastRow)}); err != nil {
		return fmt.Errorf("xlsx: print area of %s: %w", s, err)
	}
	if p.titleFirst > 0 && lastRow > p.titleLast {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: s,
			RefersTo: fmt.Sprintf("%s$%d:$%d", sheetRef(s), p.titleFirst, p.titleLast)}); err != nil {
			return fmt.Errorf("xlsx: print titles of %s: %w", s, err)
		}
	}
	return nil
}

// headerCols is the number of titles of the header row on sheet (at
// least 1, at most max).
func (b *xlsxBuilder) headerCols(sheet string, row, max int) int {
	n := b.headers[sheet][row]
	if n < 1 {
		return 1
	}
	return min(n, max)
}

// headerHeight is the height in points a header row needs so that no
// title is clipped: titles wrap at spaces inside their column, which holds
// about its width in characters (one less for bold text).
func headerHeight(titles []string, widths []float64) float64 {
	lines := 1
	for i, t := range titles {
		w := 10.0
		if i < len(widths) && widths[i] > 0 {
			w = widths[i]
		}
		capacity := int(w) - 1
		need, line := 0, 0
		for _, word := range strings.Fields(t) {
			n := len([]rune(word))
			switch {
			case line == 0:
				line = n
				need++
			case line+1+n > capacity:
				line = n
				need++
			default:
				line += 1 + n
			}
		}
		lines = max(lines, need)
	}
	return 15 * float64(lines)
}
