package render

import (
	"bytes"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/costaudit/costaudit/report"
)

func init() { Register("table", Table) }

// labelWidth aligns the labels of consecutive lines ("coverage:", "spend:").
const labelWidth = 13

// Table renders the report for a terminal: the first screen answers which
// workflows pay real-time prices for work nobody waits for and what batch
// delivery would cost; fuller sections follow. Text from logs is printed
// with control characters escaped.
func Table(w io.Writer, rep *report.Report, opts Options) error {
	var buf bytes.Buffer
	d := buildDoc(rep, opts)
	bold := func(s string) string {
		if opts.Color {
			return "\x1b[1m" + s + "\x1b[0m"
		}
		return s
	}
	for i, b := range d.blocks {
		switch b.kind {
		case blockTitle:
			buf.WriteString(bold(Clean(b.text)) + "\n")
		case blockHeading:
			buf.WriteString("\n" + bold(Clean(b.text)) + "\n")
		case blockLine:
			if b.label == "" {
				buf.WriteString("  " + Clean(b.text) + "\n")
				break
			}
			label := b.label + ":"
			buf.WriteString(bold(label) + strings.Repeat(" ", max(1, labelWidth+1-len([]rune(label)))) + Clean(b.text) + "\n")
		case blockCaption:
			buf.WriteString("\n  " + Clean(b.text) + "\n")
		case blockBullets:
			for _, it := range b.items {
				buf.WriteString("  - " + Clean(it) + "\n")
			}
		case blockTable:
			if i > 0 && d.blocks[i-1].kind == blockTable {
				buf.WriteString("\n")
			}
			if err := writeGrid(&buf, b.grid); err != nil {
				return err
			}
		}
	}
	_, err := w.Write(trimLines(buf.Bytes()))
	return err
}

// writeGrid prints one grid with tablewriter: no outer border, a rule under
// the header, numbers right-aligned, long text columns wrapped.
func writeGrid(buf *bytes.Buffer, g *grid) error {
	aligns := make([]tw.Align, len(g.cols))
	widths := tw.NewMapper[int, int]()
	header := make([]any, len(g.cols))
	for i, c := range g.cols {
		aligns[i] = tw.AlignLeft
		if c.right {
			aligns[i] = tw.AlignRight
		}
		if c.wrap > 0 {
			widths.Set(i, c.wrap)
		}
		header[i] = c.title
	}
	pad := tw.CellPadding{Global: tw.Padding{Left: " ", Right: " ", Overwrite: true}}
	var tb bytes.Buffer
	t := tablewriter.NewTable(&tb,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleLight),
			Settings: tw.Settings{
				Separators: tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off},
				Lines:      tw.Lines{ShowHeaderLine: tw.On},
			},
		})),
		tablewriter.WithHeaderConfig(tw.CellConfig{
			Formatting: tw.CellFormatting{AutoFormat: tw.Off, AutoWrap: tw.WrapNone},
			Alignment:  tw.CellAlignment{PerColumn: aligns},
			Padding:    pad,
		}),
		tablewriter.WithRowConfig(tw.CellConfig{
			Formatting:   tw.CellFormatting{AutoFormat: tw.Off, AutoWrap: tw.WrapNormal},
			Alignment:    tw.CellAlignment{PerColumn: aligns},
			Padding:      pad,
			ColMaxWidths: tw.CellWidth{PerColumn: widths},
		}),
		tablewriter.WithTrimSpace(tw.Off),
	)
	t.Header(header...)
	for _, r := range g.rows {
		cells := make([]string, len(g.cols))
		for i := range cells {
			if i < len(r) {
				cells[i] = cleanLines(r[i])
			}
		}
		if err := t.Append(cells); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(tb.String(), "\n") {
		if line == "" {
			continue
		}
		if rule := []rune(strings.TrimSuffix(line, "\n")); len(rule) > 2 && rule[0] == '─' {
			// Align the header rule with the text, not the cell padding.
			line = " " + string(rule[1:len(rule)-1]) + "\n"
		}
		buf.WriteString(" " + line)
	}
	return nil
}

// trimLines removes trailing blanks from every line.
func trimLines(b []byte) []byte {
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " \t")
	}
	return bytes.Join(lines, []byte("\n"))
}

// cleanLines applies Clean to each line of a multi-line cell.
func cleanLines(s string) string {
	if !strings.Contains(s, "\n") {
		return Clean(s)
	}
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		parts[i] = Clean(p)
	}
	return strings.Join(parts, "\n")
}

// Column is one column of a plain-text table written by WriteTable.
type Column struct {
	Title string
	Right bool // right-align (numbers)
	Wrap  int  // wrap cells wider than this many characters; 0 = never
}

// WriteTable writes rows under cols to buf in the style of the table
// report: no outer border, a rule under the header, numbers right-aligned.
// Other commands (diff) use it so every costaudit table looks the same.
func WriteTable(buf *bytes.Buffer, cols []Column, rows [][]string) error {
	g := &grid{rows: rows}
	for _, c := range cols {
		g.cols = append(g.cols, column{title: c.Title, right: c.Right, wrap: c.Wrap})
	}
	return writeGrid(buf, g)
}
