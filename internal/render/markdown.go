package render

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/costaudit/costaudit/report"
)

func init() { Register("markdown", Markdown) }

// Markdown renders the same content as Table as GitHub-flavoured Markdown:
// a title, sections, GFM tables with numbers right-aligned, and bullet
// lists, for pull requests, issues and wikis. All text is escaped with
// EscapeMarkdown, so a workflow named "a|b" or "**x**" stays one cell of
// plain text.
//
// The output is meant to be pasted into a pull-request comment, so it is
// bounded: every section shows at most the --top rows (the rest are
// summarized in one line), and when the page would still be longer than
// GitHub's comment limit (MarkdownLimit characters) the limit is halved
// until it fits.
func Markdown(w io.Writer, rep *report.Report, opts Options) error {
	opts.bounded = true
	top := opts.TopN
	for {
		page := markdownPage(rep, opts)
		if utf8.RuneCount(page) <= MarkdownLimit || opts.TopN == 1 {
			_, err := w.Write(page)
			return err
		}
		if top <= 0 {
			top = DefaultTopN
			if opts.TopN < 0 {
				top = max(len(rep.Workflows), len(rep.Opportunities), len(rep.Reconciliation), len(rep.Groups))
			}
		}
		top = max(1, top/2)
		opts.TopN = top
	}
}

// MarkdownLimit is the most characters the Markdown report holds: GitHub
// rejects a comment body longer than 65,536 characters; the margin leaves
// room for a line of text around the pasted report.
const MarkdownLimit = 65_536 - 512

func markdownPage(rep *report.Report, opts Options) []byte {
	return docMarkdown(buildDoc(rep, opts))
}

// docMarkdown writes a laid-out document as GitHub Markdown.
func docMarkdown(d *doc) []byte {
	var buf bytes.Buffer
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
	return buf.Bytes()
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
