package render

import (
	"bytes"
	"io"
	"strings"

	"github.com/costaudit/costaudit/report"
)

func init() { Register("markdown", Markdown) }

// Markdown renders the same content as Table as GitHub-flavoured Markdown:
// a title, sections, GFM tables with numbers right-aligned, and bullet
// lists, for pull requests, issues and wikis. All text is escaped with
// EscapeMarkdown, so a workflow named "a|b" or "**x**" stays one cell of
// plain text.
func Markdown(w io.Writer, rep *report.Report, opts Options) error {
	var buf bytes.Buffer
	d := buildDoc(rep, opts)
	for i, b := range d.blocks {
		if i > 0 {
			buf.WriteString("\n")
		}
		switch b.kind {
		case blockTitle:
			buf.WriteString("# " + EscapeMarkdown(b.text) + "\n")
		case blockHeading:
			buf.WriteString("## " + EscapeMarkdown(b.text) + "\n")
		case blockLine:
			if b.label != "" {
				buf.WriteString("**" + EscapeMarkdown(b.label) + ":** ")
			}
			buf.WriteString(EscapeMarkdown(b.text) + "\n")
		case blockCaption:
			buf.WriteString("*" + EscapeMarkdown(b.text) + "*\n")
		case blockBullets:
			for _, it := range b.items {
				buf.WriteString("- " + EscapeMarkdown(it) + "\n")
			}
		case blockTable:
			writeMarkdownGrid(&buf, b.grid)
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func writeMarkdownGrid(buf *bytes.Buffer, g *grid) {
	row := func(cells []string) {
		buf.WriteString("|")
		for i := range g.cols {
			c := ""
			if i < len(cells) {
				c = escapeCell(cells[i])
			}
			buf.WriteString(" " + c + " |")
		}
		buf.WriteString("\n")
	}
	titles := make([]string, len(g.cols))
	for i, c := range g.cols {
		titles[i] = c.title
	}
	row(titles)
	buf.WriteString("|")
	for _, c := range g.cols {
		if c.right {
			buf.WriteString(" ---: |")
		} else {
			buf.WriteString(" --- |")
		}
	}
	buf.WriteString("\n")
	for _, r := range g.rows {
		row(r)
	}
}

// markdownEscaper backslash-escapes the characters that would end a table
// cell or start markup (emphasis, code, links, HTML) in GitHub Markdown.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, `|`, `\|`, "`", "\\`", `*`, `\*`, `_`, `\_`, `~`, `\~`,
	`[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`, `#`, `\#`,
)

// EscapeMarkdown makes text safe inside a Markdown paragraph or table cell:
// control characters become visible escapes, and the characters | \ ` * _
// ~ [ ] < > # are backslash-escaped.
func EscapeMarkdown(s string) string {
	return markdownEscaper.Replace(Clean(s))
}

// escapeCell escapes a table cell; the lines of a multi-line cell are
// joined with <br>, which GitHub renders as a line break inside the cell.
func escapeCell(s string) string {
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		parts[i] = EscapeMarkdown(p)
	}
	return strings.Join(parts, "<br>")
}
