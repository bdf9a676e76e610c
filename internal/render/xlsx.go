package render

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/costaudit/costaudit/report"
)

// Sheet names of the workbook.
const (
	sheetSummary   = "Summary"
	sheetInputs    = "Inputs"
	sheetWorkflows = "Workflows"
	sheetPrices    = "Prices"
	sheetScenarios = "Scenarios"
	sheetBreakEven = "Break-even"
)

// xlsxDocDate is the fixed creation and modification date of every
// workbook, so the same report always gives the same bytes.
const xlsxDocDate = "2000-01-01T00:00:00Z"

// one is the decimal 1.
var one = decimal.NewFromInt(1)

// cellCheck is the value the Go code computed for one formula cell. Tests
// recalculate the workbook with an independent engine and compare.
type cellCheck struct {
	Sheet, Cell string
	Formula     string
	Want        decimal.Decimal // numeric result
	Text        string          // text result when IsText
	IsText      bool
	What        string // what the cell is, for failure messages
}

// xlsxBuilder writes one workbook and remembers what every formula should
// evaluate to.
type xlsxBuilder struct {
	f      *excelize.File
	rep    *report.Report
	checks []cellCheck
	// fallbacks lists the cells written as constants because no formula
	// over the workbook's prices reproduces the report's figure.
	fallbacks []string
	names     map[string]bool // defined names in use (lower case)
	st        xlsxStyles
	greyed    map[int]int // style -> its computed (grey) variant
	// used is the last column and row written on each sheet, for the
	// print areas (excelize computes a sheet's dimension only on save).
	used map[string][2]int
	// printed marks the sheets already set up for printing (a streamed
	// sheet is, before its stream is flushed).
	printed map[string]bool
	// headers is the number of titles of each header row, by sheet and
	// row, for the autofilters.
	headers map[string]map[int]int

	// live inputs
	inputVals    map[string]decimal.Decimal // defined name -> default value of a scalar input
	discountName map[string]string          // provider -> defined name of its batch discount
	discount     map[string]decimal.Decimal // provider -> default discount
	eligibleName map[string]string          // class -> defined name of its flag
	eligible     map[string]bool            // class -> default flag

	priceRow   map[string]int // price ref -> row on Prices
	priceFirst int
	priceLast  int
	pricesByID map[string]report.PriceRow
	batchPrice map[string][5]decimal.Decimal // effective batch price per bucket at the default discount

	// Workflows sheet results used by Summary and Break-even
	wf []wfSpan
	// figures of the Scenarios sheet, for the Summary
	scen []scenarioCell
	// rows of the Workflows sheet
	wfFirst, wfLast, wfTotal int
	// inputCost is the uncached input of every Workflows line at the
	// line's input price (zero where the cost is written as run).
	inputCost decimal.Decimal

	// stream, while set, receives every cell of streamSheet: that sheet
	// (Workflows, one row per workflow line) is written row by row with
	// excelize's StreamWriter, so its size in memory does not grow with
	// the number of rows. Rows must come in ascending order.
	stream      *excelize.StreamWriter
	streamSheet string
	streamRow   int
	streamCells []any
}

// startStream writes sheet through a StreamWriter from now on.
func (b *xlsxBuilder) startStream(sheet string) error {
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	b.stream, b.streamSheet, b.streamRow, b.streamCells = sw, sheet, 0, nil
	return nil
}

// streamed reports whether sheet is being streamed.
func (b *xlsxBuilder) streamed(sheet string) bool { return b.stream != nil && sheet == b.streamSheet }

// put adds one cell to the streamed row, writing out the previous row
// when the row changes.
func (b *xlsxBuilder) put(col, row int, c excelize.Cell) error {
	if row != b.streamRow {
		if row < b.streamRow {
			return fmt.Errorf("%s!%s: rows of a streamed sheet must be written in order (row %d after %d)", b.streamSheet, cell(col, row), row, b.streamRow)
		}
		if err := b.flushStreamRow(); err != nil {
			return err
		}
		b.streamRow = row
	}
	for len(b.streamCells) < col {
		b.streamCells = append(b.streamCells, nil)
	}
	b.streamCells[col-1] = c
	return nil
}

func (b *xlsxBuilder) flushStreamRow() error {
	if b.streamRow == 0 || len(b.streamCells) == 0 {
		return nil
	}
	err := b.stream.SetRow(cell(1, b.streamRow), b.streamCells)
	b.streamCells = b.streamCells[:0]
	return err
}

// endStream writes the last streamed row and closes the stream.
func (b *xlsxBuilder) endStream() error {
	if b.stream == nil {
		return nil
	}
	if err := b.flushStreamRow(); err != nil {
		return err
	}
	err := b.stream.Flush()
	b.stream, b.streamSheet = nil, ""
	return err
}

// wfSpan is the rows of one workflow on the Workflows sheet.
type wfSpan struct {
	w           report.Workflow
	first, last int
	requests    int64
	cost, batch decimal.Decimal
}

type xlsxStyles struct {
	title, header, section, text, wrap, label, unit      int
	usd, usdTotal, price, integer, intTotal, pct, factor int
	input, inputPct, inputUSD, inputInt, note            int
}

func init() { Register("xlsx", RenderXLSX) }

// RenderXLSX writes rep as an Excel workbook: a live model whose costs,
// savings and break-even figures are formulas over an Inputs sheet of named
// assumptions. The workbook carries no cached values; spreadsheet engines
// recalculate it on load. The same report always gives the same bytes. No
// option changes the workbook.
func RenderXLSX(w io.Writer, rep *report.Report, _ Options) error {
	b, err := buildXLSX(rep)
	if err != nil {
		return err
	}
	defer b.f.Close()
	if err := b.f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// buildXLSX lays out the workbook for rep.
func buildXLSX(rep *report.Report) (*xlsxBuilder, error) {
	f := excelize.NewFile()
	b := &xlsxBuilder{
		f: f, rep: rep, names: map[string]bool{},
		discountName: map[string]string{}, discount: map[string]decimal.Decimal{},
		eligibleName: map[string]string{}, eligible: map[string]bool{},
		priceRow: map[string]int{}, pricesByID: map[string]report.PriceRow{},
		batchPrice: map[string][5]decimal.Decimal{}, inputVals: map[string]decimal.Decimal{}, printed: map[string]bool{},
	}
	if err := b.build(); err != nil {
		f.Close()
		return nil, err
	}
	// excelize adds the image content types from a map: sort them so the
	// same report gives the same bytes.
	if ct := f.ContentTypes; ct != nil {
		sort.SliceStable(ct.Defaults, func(i, j int) bool { return ct.Defaults[i].Extension < ct.Defaults[j].Extension })
	}
	return b, nil
}

func (b *xlsxBuilder) build() error {
	if err := b.setup(); err != nil {
		return err
	}
	analyze := b.rep.Kind == "analyze" || b.rep.Kind == ""
	steps := []func() error{b.inputsSheet}
	if analyze {
		steps = append(steps, b.pricesSheet, b.workflowsSheet)
	} else if len(b.rep.Prices) > 0 {
		steps = append(steps, b.pricesSheet)
	}
	if len(b.rep.Scenarios) > 0 {
		steps = append(steps, b.scenariosSheet)
	}
	steps = append(steps, b.breakEvenSheet)
	if analyze && b.rep.Packing != nil {
		steps = append(steps, b.packingSheet) // xlsx_packing.go
	}
	if analyze {
		steps = append(steps, b.summaryAnalyze)
	} else {
		steps = append(steps, b.summaryScenarios)
	}
	steps = append(steps, b.finishPrint)
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

// setup creates the sheets in display order, styles and fixed properties.
func (b *xlsxBuilder) setup() error {
	f := b.f
	if err := f.SetSheetName("Sheet1", sheetSummary); err != nil {
		return err
	}
	sheets := []string{sheetInputs}
	analyze := b.rep.Kind == "analyze" || b.rep.Kind == ""
	if analyze {
		sheets = append(sheets, sheetWorkflows)
	}
	if analyze || len(b.rep.Prices) > 0 {
		sheets = append(sheets, sheetPrices)
	}
	if len(b.rep.Scenarios) > 0 {
		sheets = append(sheets, sheetScenarios)
	}
	sheets = append(sheets, sheetBreakEven)
	if analyze && b.rep.Packing != nil {
		sheets = append(sheets, sheetPacking) // xlsx_packing.go
	}
	for _, s := range sheets {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Created:        xlsxDocDate,
		Modified:       xlsxDocDate,
		Creator:        "costaudit",
		LastModifiedBy: "costaudit",
		Title:          "costaudit " + kindTitle(b.rep.Kind),
		Description:    "Live cost model: edit the yellow cells on the Inputs sheet; every cost and saving is a formula.",
		Language:       "en-US",
	}); err != nil {
		return err
	}
	t := true
	if err := f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &t}); err != nil {
		return err
	}
	return b.styles()
}

func kindTitle(kind string) string {
	switch kind {
	case "simulate":
		return "what-if scenarios"
	case "examples":
		return "worked examples"
	}
	return "inference cost audit"
}

func (b *xlsxBuilder) styles() error {
	f := b.f
	mk := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil {
			panic(err) // styles are constants: a failure is a programming error
		}
		return id
	}
	fmtp := func(s string) *string { return &s }
	const (
		// usd shows cents, and amounts under a cent (either sign) with
		// up to six decimals so they never read as $0.00: one format for
		// every money column.
		usd   = `[>=0.01]"$"#,##0.00;[<=-0.01]-"$"#,##0.00;"$"0.00####`
		price = `"$"#,##0.00####`
		pct   = `0.00%`
	)
	bold := &excelize.Font{Bold: true}
	yellow := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}
	grey := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}
	top := []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	b.st = xlsxStyles{
		title:   mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}),
		header:  mk(&excelize.Style{Font: bold, Fill: grey, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		section: mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}}),
		// label is a one-cell heading inside a sheet: bold on the header
		// fill, not wrapped, so its text runs on into the empty cells.
		label: mk(&excelize.Style{Font: bold, Fill: grey}),
		// unit sits right of a right-aligned number: indented so the two
		// do not run together.
		unit:     mk(&excelize.Style{Alignment: &excelize.Alignment{Indent: 1}}),
		text:     mk(&excelize.Style{}),
		wrap:     mk(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		usd:      mk(&excelize.Style{CustomNumFmt: fmtp(usd)}),
		usdTotal: mk(&excelize.Style{CustomNumFmt: fmtp(usd), Font: bold, Border: top}),
		price:    mk(&excelize.Style{CustomNumFmt: fmtp(price)}),
		integer:  mk(&excelize.Style{NumFmt: 3}),
		intTotal: mk(&excelize.Style{NumFmt: 3, Font: bold, Border: top}),
		pct:      mk(&excelize.Style{CustomNumFmt: fmtp(pct)}),
		factor:   mk(&excelize.Style{CustomNumFmt: fmtp(`0.00##`)}),
		input:    mk(&excelize.Style{Fill: yellow, CustomNumFmt: fmtp(`General`)}),
		inputPct: mk(&excelize.Style{Fill: yellow, CustomNumFmt: fmtp(pct)}),
		inputUSD: mk(&excelize.Style{Fill: yellow, CustomNumFmt: fmtp(price)}),
		inputInt: mk(&excelize.Style{Fill: yellow, NumFmt: 3}),
		note:     mk(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}}),
	}
	return nil
}

// cell returns the A1 name of (col, row), both 1-based.
func cell(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err)
	}
	return s
}

// colName returns the letters of a 1-based column.
func colName(col int) string {
	s, err := excelize.ColumnNumberToName(col)
	if err != nil {
		panic(err)
	}
	return s
}

// sheetRef quotes a sheet name for use in a formula.
func sheetRef(sheet string) string {
	return "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
}

// absRef is an absolute reference to one cell of sheet: 'Sheet'!$A$1.
func absRef(sheet string, col, row int) string {
	return fmt.Sprintf("%s$%s$%d", sheetRef(sheet), colName(col), row)
}

// absRange is an absolute reference to a column range of sheet.
func absRange(sheet string, col, first, last int) string {
	return fmt.Sprintf("%s$%s$%d:$%s$%d", sheetRef(sheet), colName(col), first, colName(col), last)
}

// touch records that (col, row) of sheet holds something.
func (b *xlsxBuilder) touch(sheet string, col, row int) {
	if b.used == nil {
		b.used = map[string][2]int{}
	}
	u := b.used[sheet]
	b.used[sheet] = [2]int{max(u[0], col), max(u[1], row)}
}

func (b *xlsxBuilder) str(sheet string, col, row int, s string, style int) error {
	b.touch(sheet, col, row)
	if b.streamed(sheet) {
		return b.put(col, row, excelize.Cell{StyleID: style, Value: s})
	}
	c := cell(col, row)
	if err := b.f.SetCellStr(sheet, c, s); err != nil {
		return err
	}
	return b.f.SetCellStyle(sheet, c, c, style)
}

func (b *xlsxBuilder) num(sheet string, col, row int, v decimal.Decimal, style int) error {
	b.touch(sheet, col, row)
	if b.streamed(sheet) {
		if v.IsInteger() && v.Abs().LessThan(decimal.New(1, 15)) {
			return b.put(col, row, excelize.Cell{StyleID: style, Value: v.IntPart()})
		}
		return b.put(col, row, excelize.Cell{StyleID: style, Value: v.InexactFloat64()})
	}
	c := cell(col, row)
	var err error
	if v.IsInteger() && v.Abs().LessThan(decimal.New(1, 15)) {
		err = b.f.SetCellInt(sheet, c, v.IntPart())
	} else {
		// excelize writes the shortest float64 text; a decimal of up to 15
		// significant digits survives the round trip.
		err = b.f.SetCellFloat(sheet, c, v.InexactFloat64(), -1, 64)
	}
	if err != nil {
		return err
	}
	return b.f.SetCellStyle(sheet, c, c, style)
}

func (b *xlsxBuilder) integer(sheet string, col, row int, v int64, style int) error {
	return b.num(sheet, col, row, decimal.NewFromInt(v), style)
}

// formula writes a formula whose value the Go code computed as want.
func (b *xlsxBuilder) formula(sheet string, col, row int, formula string, want decimal.Decimal, style int, what string) error {
	b.touch(sheet, col, row)
	c := cell(col, row)
	if b.streamed(sheet) {
		b.checks = append(b.checks, cellCheck{Sheet: sheet, Cell: c, Formula: formula, Want: want, What: what})
		return b.put(col, row, excelize.Cell{StyleID: style, Formula: formula})
	}
	if err := b.f.SetCellFormula(sheet, c, formula); err != nil {
		return fmt.Errorf("%s!%s %s: %w", sheet, c, formula, err)
	}
	b.checks = append(b.checks, cellCheck{Sheet: sheet, Cell: c, Formula: formula, Want: want, What: what})
	return b.f.SetCellStyle(sheet, c, c, style)
}

// textFormula writes a formula with a text result.
func (b *xlsxBuilder) textFormula(sheet string, col, row int, formula, want string, style int, what string) error {
	b.touch(sheet, col, row)
	c := cell(col, row)
	if b.streamed(sheet) {
		b.checks = append(b.checks, cellCheck{Sheet: sheet, Cell: c, Formula: formula, Text: want, IsText: true, What: what})
		return b.put(col, row, excelize.Cell{StyleID: style, Formula: formula})
	}
	if err := b.f.SetCellFormula(sheet, c, formula); err != nil {
		return fmt.Errorf("%s!%s %s: %w", sheet, c, formula, err)
	}
	b.checks = append(b.checks, cellCheck{Sheet: sheet, Cell: c, Formula: formula, Text: want, IsText: true, What: what})
	return b.f.SetCellStyle(sheet, c, c, style)
}

// header writes a header row starting at column 1, tall enough that
// every title shows whole in its column (the header style wraps).
func (b *xlsxBuilder) header(sheet string, row int, titles ...string) error {
	if b.headers == nil {
		b.headers = map[string]map[int]int{}
	}
	if b.headers[sheet] == nil {
		b.headers[sheet] = map[int]int{}
	}
	b.headers[sheet][row] = len(titles)
	widths := make([]float64, len(titles))
	for i, t := range titles {
		if err := b.str(sheet, i+1, row, t, b.st.header); err != nil {
			return err
		}
		w, err := b.f.GetColWidth(sheet, colName(i+1))
		if err != nil {
			return err
		}
		widths[i] = w
	}
	if h := headerHeight(titles, widths); h > 15 {
		return b.f.SetRowHeight(sheet, row, h)
	}
	return nil
}

// widths sets column widths starting at column 1.
func (b *xlsxBuilder) widths(sheet string, ws ...float64) error {
	for i, w := range ws {
		if b.streamed(sheet) {
			if err := b.stream.SetColWidth(i+1, i+1, w); err != nil {
				return err
			}
			continue
		}
		c := colName(i + 1)
		if err := b.f.SetColWidth(sheet, c, c, w); err != nil {
			return err
		}
	}
	return nil
}

// freeze keeps the first rows (and columns) in view.
func (b *xlsxBuilder) freeze(sheet string, cols, rows int) error {
	pane := "bottomLeft"
	if cols > 0 {
		pane = "bottomRight"
	}
	panes := &excelize.Panes{
		Freeze: true, XSplit: cols, YSplit: rows,
		TopLeftCell: cell(cols+1, rows+1), ActivePane: pane,
	}
	if b.streamed(sheet) {
		return b.stream.SetPanes(panes)
	}
	return b.f.SetPanes(sheet, panes)
}

// defineName names one cell of sheet. Names are checked to be unique and
// never to look like a cell reference (they always carry a prefix with an
// underscore).
func (b *xlsxBuilder) defineName(name, sheet string, col, row int, comment string) error {
	key := strings.ToLower(name)
	if b.names[key] {
		return fmt.Errorf("defined name %q used twice", name)
	}
	b.names[key] = true
	return b.f.SetDefinedName(&excelize.DefinedName{Name: name, RefersTo: absRef(sheet, col, row), Comment: comment})
}

// uniqueName turns s into a defined name with prefix: lower case letters,
// digits and underscores, unique in the workbook.
func (b *xlsxBuilder) uniqueName(prefix, s string) string {
	var sb strings.Builder
	sb.WriteString(prefix)
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	base := sb.String()
	if len(base) > 200 {
		base = base[:200]
	}
	name := base
	for i := 2; b.names[strings.ToLower(name)]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	return name
}

// dec parses a decimal string; ok is false for text that is not a number.
func parseDec(s string) (decimal.Decimal, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, false
	}
	return d, true
}

// fixed writes a number as a constant and records that no formula could
// reproduce it.
func (b *xlsxBuilder) fixed(sheet string, col, row int, v decimal.Decimal, style int, why string) error {
	b.fallbacks = append(b.fallbacks, fmt.Sprintf("%s!%s: %s", sheet, cell(col, row), why))
	return b.num(sheet, col, row, v, style)
}
