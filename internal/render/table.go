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
	return writeDocText(w, buildDoc(rep, opts), opts)
}

// writeDocText writes a laid-out document for a terminal, fitted to
// opts.Width (unlimited when 0) and in bold where opts.Color says.
func writeDocText(w io.Writer, d *doc, opts Options) error {
	var buf bytes.Buffer
	bold := func(s string) string {
		if opts.Color {
			return "\x1b[1m" + s + "\x1b[0m"
		}
		return s
	}
	width := opts.Width
	// para writes text wrapped to the width: the first line after first,
	// the others after an indent of the same width.
	para := func(first, text string, style func(string) string) {
		lines := []string{text}
		if width > 0 {
			lines = wrapText(text, max(20, width-textWidth(first)))
		}
		indent := strings.Repeat(" ", textWidth(first))
		for k, l := range lines {
			if k == 0 {
				buf.WriteString(first + style(l) + "\n")
			} else {
				buf.WriteString(indent + style(l) + "\n")
			}
		}
	}
	plain := func(s string) string { return s }
	for i, b := range d.blocks {
		switch b.kind {
		case blockTitle:
			para("", Clean(b.text), bold)
		case blockHeading:
			buf.WriteString("\n")
			para("", Clean(b.text), bold)
		case blockLine:
			if b.label == "" {
				para("  ", Clean(b.text), plain)
				break
			}
			label := b.label + ":"
			first := bold(label) + strings.Repeat(" ", max(1, labelWidth+1-textWidth(label)))
			lines := []string{Clean(b.text)}
			if width > 0 {
				lines = wrapText(Clean(b.text), max(20, width-labelWidth-1))
			}
			for k, l := range lines {
				if k == 0 {
					buf.WriteString(first + l + "\n")
				} else {
					buf.WriteString(strings.Repeat(" ", labelWidth+1) + l + "\n")
				}
			}
		case blockCaption:
			buf.WriteString("\n")
			para("  ", Clean(b.text), plain)
		case blockBullets:
			for _, it := range b.items {
				para("  - ", Clean(it), plain)
			}
		case blockTable:
			if i > 0 && d.blocks[i-1].kind == blockTable {
				buf.WriteString("\n")
			}
			if err := writeGrid(&buf, b.grid, width); err != nil {
				return err
			}
		}
	}
	_, err := w.Write(trimLines(buf.Bytes()))
	return err
}

// writeGrid prints one grid with tablewriter: no outer border, a rule under
// the header, numbers right-aligned, long text wrapped. With width > 0 the
// table fits in that many terminal cells (see fitColumns); with 0 each
// column keeps its natural width, capped by its wrap.
func writeGrid(buf *bytes.Buffer, g *grid, width int) error {
	g = cleanGrid(g)
	keep, widths := fitColumns(g, width)
	aligns := make([]tw.Align, len(keep))
	header := make([]any, len(keep))
	for j, i := range keep {
		c := g.cols[i]
		aligns[j] = tw.AlignLeft
		if c.right {
			aligns[j] = tw.AlignRight
		}
		header[j] = strings.Join(wrapTitle(c.title, widths[j]), "\n")
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
			Formatting: tw.CellFormatting{AutoFormat: tw.Off, AutoWrap: tw.WrapNone},
			Alignment:  tw.CellAlignment{PerColumn: aligns},
			Padding:    pad,
		}),
		tablewriter.WithTrimSpace(tw.Off),
	)
	t.Header(header...)
	for _, r := range g.rows {
		cells := make([]string, len(keep))
		for j, i := range keep {
			if i < len(r) {
				cells[j] = strings.Join(wrapText(r[i], widths[j]), "\n")
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

// cleanGrid is g with control characters of every cell escaped (see Clean),
// so widths are measured on the text that is printed.
func cleanGrid(g *grid) *grid {
	out := &grid{cols: g.cols, rows: make([][]string, len(g.rows))}
	for k, r := range g.rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = cleanLines(c)
		}
		out.rows[k] = cells
	}
	return out
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
	return writeGrid(buf, g, 0)
}
