package render

import (
	"strings"

	"github.com/mattn/go-runewidth"
)

// textWidth is the number of terminal cells s takes.
func textWidth(s string) int { return runewidth.StringWidth(s) }

// wrapText breaks s into lines of at most width cells at spaces; a word
// longer than a line is cut. Existing newlines are kept, and a paragraph
// that starts with "- " (an evidence item) indents its continuation lines
// under its text. A width of 0 or less only splits at newlines.
func wrapText(s string, width int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapParagraph(para, width)...)
	}
	return out
}

func wrapParagraph(para string, width int) []string {
	if width <= 0 || textWidth(para) <= width {
		return []string{para}
	}
	indent := ""
	if strings.HasPrefix(para, "- ") && width > 8 {
		indent = "  "
	}
	var lines []string
	line := ""
	room := func() int {
		if len(lines) == 0 {
			return width
		}
		return width - len(indent)
	}
	flush := func() {
		if len(lines) > 0 {
			line = indent + line
		}
		lines = append(lines, line)
		line = ""
	}
	for _, word := range strings.Fields(para) {
		if line != "" && textWidth(line)+1+textWidth(word) > room() {
			flush()
		}
		for line == "" && textWidth(word) > room() {
			line, word = cutWidth(word, room())
			flush()
		}
		if word == "" {
			continue
		}
		if line == "" {
			line = word
		} else {
			line += " " + word
		}
	}
	if line != "" {
		flush()
	}
	return lines
}

// cutWidth splits s after at most width cells (at least one rune).
func cutWidth(s string, width int) (string, string) {
	w := 0
	for i, r := range s {
		rw := runewidth.RuneWidth(r)
		if w+rw > width && i > 0 {
			return s[:i], s[i:]
		}
		w += rw
	}
	return s, ""
}

// fitColumns chooses the width of every column of g so that the table,
// with its leading space and two cells of padding per column, fits in
// width terminal cells. It returns the columns to keep (indexes into
// g.cols) and their widths. First the text columns wrap down to a
// comfortable width (24 cells); if the table is still too wide, the
// columns marked drop are left out, highest drop first; last, text columns
// wrap down to their longest word (at most 24 cells, at least 12) and
// number columns down to their title's longest word. A width of 0 or less
// keeps every column at its natural width, capped by the column's wrap.
func fitColumns(g *grid, width int) (keep []int, widths []int) {
	const comfortable = 24
	natural := make([]int, len(g.cols))
	hard := make([]int, len(g.cols))
	for i, c := range g.cols {
		natural[i] = textWidth(c.title)
		hard[i] = longestWord(titleBreaks(c.title))
		word := 0
		for _, r := range g.rows {
			if i >= len(r) {
				continue
			}
			natural[i] = max(natural[i], maxLineWidth(r[i]))
			if c.right {
				hard[i] = max(hard[i], maxLineWidth(r[i]))
			} else {
				word = max(word, longestWord(r[i]))
			}
		}
		if c.wrap > 0 && natural[i] > c.wrap {
			natural[i] = c.wrap
		}
		if !c.right {
			hard[i] = max(hard[i], min(word, comfortable), 12)
		}
		hard[i] = min(hard[i], natural[i])
	}
	comfort := make([]int, len(g.cols))
	for i, c := range g.cols {
		comfort[i] = natural[i]
		if !c.right {
			comfort[i] = max(hard[i], min(natural[i], comfortable))
		}
	}
	for i := range g.cols {
		keep = append(keep, i)
	}
	if width <= 0 {
		for _, i := range keep {
			widths = append(widths, natural[i])
		}
		return keep, widths
	}
	for {
		widths, ok := shrinkTo(keep, natural, comfort, width)
		if ok {
			return keep, widths
		}
		drop := -1
		for j, i := range keep {
			if g.cols[i].drop > 0 && (drop < 0 || g.cols[i].drop > g.cols[keep[drop]].drop) {
				drop = j
			}
		}
		if drop < 0 {
			widths, _ = shrinkTo(keep, natural, hard, width)
			return keep, widths
		}
		keep = append(keep[:drop:drop], keep[drop+1:]...)
	}
}

// shrinkTo narrows the widest of the kept columns, one cell at a time, but
// none below its floor, until the table fits in width; ok reports whether
// it does.
func shrinkTo(keep, natural, floor []int, width int) (widths []int, ok bool) {
	widths = make([]int, len(keep))
	total := 1
	for j, i := range keep {
		widths[j] = natural[i]
		total += natural[i] + 2
	}
	for total > width {
		best := -1
		for j, i := range keep {
			if widths[j] > floor[i] && (best < 0 || widths[j] > widths[best]) {
				best = j
			}
		}
		if best < 0 {
			return widths, false
		}
		widths[best]--
		total--
	}
	return widths, true
}

func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, textWidth(w))
	}
	return n
}

func maxLineWidth(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, textWidth(l))
	}
	return n
}

// titleBreaks lets a column title wrap after its underscores
// ("batch_savings_at_low"): wrapTitle undoes the inserted spaces.
func titleBreaks(s string) string { return strings.ReplaceAll(s, "_", "_ ") }

// wrapTitle wraps a column title to width, breaking at spaces and after
// underscores.
func wrapTitle(s string, width int) []string {
	if textWidth(s) <= width {
		return []string{s}
	}
	lines := wrapText(titleBreaks(s), width)
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(l, "_ ", "_")
	}
	return lines
}
