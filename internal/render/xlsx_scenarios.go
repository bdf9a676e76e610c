package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/costaudit/costaudit/report"
	"github.com/costaudit/costaudit/simulate"
)

// Columns of the Scenarios sheet.
const (
	scKey = iota + 1
	scLabel
	scValue
	scUnit
	scQuoted
	scNote
	scName
)

// scenarioCell is where one figure of a scenario lives.
type scenarioCell struct {
	scenario, key, label, unit, quoted, note string
	row                                      int
	text                                     string
	value                                    decimal.Decimal
	numeric                                  bool
}

// unitStyle picks a number format for a figure's unit.
func (b *xlsxBuilder) unitStyle(unit string, v decimal.Decimal, input bool) int {
	u := strings.ToLower(unit)
	switch {
	case strings.HasPrefix(u, "usd") || u == "$":
		if input {
			return b.st.inputUSD
		}
		return b.st.usd
	case u == "fraction" || u == "share" || u == "ratio":
		if input {
			return b.st.inputPct
		}
		return b.st.pct
	case v.IsInteger() && (u == "tokens" || u == "requests" || u == "rows" || u == "calls" || u == "tickets" || u == "count"):
		if input {
			return b.st.inputInt
		}
		return b.st.integer
	}
	if input {
		return b.st.input
	}
	return b.st.factor
}

func (b *xlsxBuilder) scenariosSheet() error {
	const s = sheetScenarios
	if err := b.widths(s, 38, 44, 18, 14, 18, 70, 34); err != nil {
		return err
	}
	if err := b.header(s, 1, "Key", "Label", "Value", "Unit", "Seed says", "Source / note", "Defined name"); err != nil {
		return err
	}
	if err := b.freeze(s, 0, 1); err != nil {
		return err
	}
	row := 3
	for i, sc := range b.rep.Scenarios {
		n := i + 1
		title := sc.Title
		if title == "" {
			title = sc.Name
		}
		if err := b.str(s, scKey, row, fmt.Sprintf("%d. %s", n, title), b.st.section); err != nil {
			return err
		}
		if err := b.str(s, scNote, row, "scenario "+sc.Name+" ("+sc.Kind+")", b.st.note); err != nil {
			return err
		}
		row++
		prefix := "s" + strconv.Itoa(n) + "_"
		idents := map[string]string{} // expression identifier -> defined name
		folded := map[string]string{} // lower-case identifier -> defined name (first wins)
		define := func(key, name string) {
			idents[key] = name
			if _, ok := folded[strings.ToLower(key)]; !ok {
				folded[strings.ToLower(key)] = name
			}
		}
		lookup := func(id string) (string, bool) {
			if v, ok := idents[id]; ok {
				return v, true
			}
			v, ok := folded[strings.ToLower(id)]
			return v, ok
		}
		used := formulaInputs(sc)
		if len(sc.Assumptions) > 0 {
			if err := b.str(s, scKey, row, "Assumptions (edit the yellow cells; the grey ones feed figures costaudit computed)", b.st.label); err != nil {
				return err
			}
			row++
		}
		for _, a := range sc.Assumptions {
			name := b.uniqueName(prefix, a.Key)
			if err := b.str(s, scKey, row, a.Key, b.st.text); err != nil {
				return err
			}
			// Only an assumption a formula reads is an editable (yellow)
			// input; the rest feed Monte Carlo or lookups that costaudit
			// computed, so editing them would change nothing.
			live := used[strings.ToLower(a.Key)]
			source := a.Source
			if !live {
				source = joinNote(source, "not read by any formula here: it feeds figures costaudit computed, so editing it changes nothing")
			}
			if v, ok := parseDec(a.Value); ok {
				style := b.unitStyle(unitOfKey(a.Key), v, live)
				if !live {
					style = b.computedStyle(style)
				}
				if err := b.num(s, scValue, row, v, style); err != nil {
					return err
				}
			} else {
				style := b.st.input
				if !live {
					style = b.computedStyle(b.st.text)
				}
				if err := b.str(s, scValue, row, a.Value, style); err != nil {
					return err
				}
			}
			if err := b.str(s, scNote, row, source, b.st.text); err != nil {
				return err
			}
			if err := b.str(s, scName, row, name, b.st.note); err != nil {
				return err
			}
			if err := b.defineName(name, s, scValue, row, sc.Name+": "+a.Key); err != nil {
				return err
			}
			define(a.Key, name)
			row++
		}
		if err := b.str(s, scKey, row, "Figures", b.st.label); err != nil {
			return err
		}
		row++
		for _, fg := range sc.Figures {
			name := b.uniqueName(prefix, fg.Key)
			v, numeric := parseDec(fg.Value)
			for _, cv := range []struct {
				col int
				v   string
			}{{scKey, fg.Key}, {scLabel, fg.Label}, {scUnit, fg.Unit}, {scQuoted, fg.Quoted}, {scName, name}} {
				if cv.v == "" {
					continue
				}
				st := b.st.text
				if cv.col == scName {
					st = b.st.note
				}
				if err := b.str(s, cv.col, row, cv.v, st); err != nil {
					return err
				}
			}
			note := fg.Note
			style := b.unitStyle(fg.Unit, v, false)
			what := "scenario " + sc.Name + " figure " + fg.Key
			switch {
			case fg.Expr != "" && numeric:
				f, err := parseFormula(fg.Expr, lookup)
				if err != nil {
					if err := b.fixed(s, scValue, row, v, style, err.Error()); err != nil {
						return err
					}
					note = joinNote(note, "written as a value: "+err.Error())
				} else if err := b.formula(s, scValue, row, f, v, style, what+" = "+fg.Expr); err != nil {
					return err
				}
			case numeric:
				if err := b.num(s, scValue, row, v, b.computedStyle(style)); err != nil {
					return err
				}
				note = joinNote(note, "computed by costaudit (Monte Carlo or a lookup, not a formula): a fixed result that does not follow the inputs")
			default:
				if err := b.str(s, scValue, row, fg.Value, b.st.text); err != nil {
					return err
				}
			}
			if note != "" {
				if err := b.str(s, scNote, row, note, b.st.wrap); err != nil {
					return err
				}
			}
			if err := b.defineName(name, s, scValue, row, sc.Name+": "+fg.Label); err != nil {
				return err
			}
			define(fg.Key, name)
			b.scen = append(b.scen, scenarioCell{scenario: title, key: fg.Key, label: fg.Label, unit: fg.Unit,
				quoted: fg.Quoted, note: fg.Note, row: row, value: v, numeric: numeric, text: fg.Value})
			row++
		}
		for _, n := range sc.Notes {
			if err := b.str(s, scLabel, row, n, b.st.note); err != nil {
				return err
			}
			row++
		}
		for _, t := range sc.Tables {
			if err := b.str(s, scKey, row, t.Name, b.st.label); err != nil {
				return err
			}
			row++
			for c, h := range t.Columns {
				if err := b.str(s, c+1, row, h, b.st.header); err != nil {
					return err
				}
			}
			row++
			for _, r := range t.Rows {
				for c, v := range r {
					if d, ok := parseDec(v); ok {
						if err := b.num(s, c+1, row, d, b.st.factor); err != nil {
							return err
						}
					} else if err := b.str(s, c+1, row, v, b.st.text); err != nil {
						return err
					}
				}
				row++
			}
		}
		row++
	}
	return nil
}

// unitOfKey guesses the unit of an assumption from its key, for its number
// format only.
func unitOfKey(key string) string {
	k := strings.ToLower(key)
	switch {
	case strings.Contains(k, "usd") || strings.Contains(k, "price") || strings.Contains(k, "cost"):
		return "USD"
	case strings.Contains(k, "discount") || strings.Contains(k, "share") || strings.Contains(k, "rate") || strings.Contains(k, "fraction"):
		return "fraction"
	}
	return ""
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// summaryScenarios is the Summary sheet of a simulate or examples report:
// every figure linked to the Scenarios sheet, with the seed's figure beside.
func (b *xlsxBuilder) summaryScenarios() error {
	const s = sheetSummary
	if err := b.widths(s, 44, 44, 18, 14, 18, 60); err != nil {
		return err
	}
	if err := b.str(s, 1, 1, "costaudit: "+kindTitle(b.rep.Kind), b.st.title); err != nil {
		return err
	}
	if err := b.str(s, 1, 2, "Figures link to the Scenarios sheet, where each is a formula over its named assumptions.", b.st.note); err != nil {
		return err
	}
	if err := b.freeze(s, 0, 4); err != nil {
		return err
	}
	_, err := b.scenarioTable(4)
	return err
}

// scenarioTable writes every scenario figure of the Scenarios sheet as a
// link on the Summary, from row on, and returns the next free row.
func (b *xlsxBuilder) scenarioTable(row int) (int, error) {
	const s = sheetSummary
	if err := b.header(s, row, "Scenario", "Figure", "Value", "Unit", "Seed says", "Why they differ"); err != nil {
		return 0, err
	}
	row++
	for _, c := range b.scen {
		if err := b.str(s, 1, row, c.scenario, b.st.text); err != nil {
			return 0, err
		}
		label := c.label
		if label == "" {
			label = c.key
		}
		if err := b.str(s, 2, row, label, b.st.text); err != nil {
			return 0, err
		}
		ref := absRef(sheetScenarios, scValue, c.row)
		if c.numeric {
			if err := b.formula(s, 3, row, ref, c.value, b.unitStyle(c.unit, c.value, false), "Summary "+c.scenario+" "+c.key); err != nil {
				return 0, err
			}
		} else if err := b.str(s, 3, row, c.text, b.st.text); err != nil {
			return 0, err
		}
		for _, cv := range []struct {
			col int
			v   string
		}{{4, c.unit}, {5, c.quoted}, {6, c.note}} {
			if cv.v == "" {
				continue
			}
			if err := b.str(s, cv.col, row, cv.v, b.st.text); err != nil {
				return 0, err
			}
		}
		row++
	}
	return row, nil
}

// formulaInputs is the set of identifiers (lower case) that the figure
// expressions of sc read: the assumptions that drive a live formula.
func formulaInputs(sc report.Scenario) map[string]bool {
	known := map[string]bool{}
	for _, a := range sc.Assumptions {
		known[strings.ToLower(a.Key)] = true
	}
	for _, f := range sc.Figures {
		known[strings.ToLower(f.Key)] = true
	}
	used := map[string]bool{}
	for _, f := range sc.Figures {
		if _, numeric := parseDec(f.Value); f.Expr == "" || !numeric {
			continue
		}
		e, err := simulate.ParseExpr(f.Expr)
		if err != nil {
			continue
		}
		for _, id := range e.Idents() {
			if k := strings.ToLower(id); known[k] {
				used[k] = true
			}
		}
	}
	return used
}

// computedStyle is style with a grey fill and italic grey text: the look
// of a value costaudit computed that does not follow the inputs.
func (b *xlsxBuilder) computedStyle(style int) int {
	if id, ok := b.greyed[style]; ok {
		return id
	}
	st, err := b.f.GetStyle(style)
	if err != nil {
		panic(err) // the style was made by this builder
	}
	st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}}
	st.Font = &excelize.Font{Italic: true, Color: "595959"}
	id, err := b.f.NewStyle(st)
	if err != nil {
		panic(err)
	}
	if b.greyed == nil {
		b.greyed = map[int]int{}
	}
	b.greyed[style] = id
	return id
}
