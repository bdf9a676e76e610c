// Package render writes a costaudit report.Report in the output formats of
// the command line: table (the terminal screen), json (the interchange
// contract), csv and markdown here, and more formats (xlsx, html, focus)
// that other files register with Register.
//
// The table and markdown formats show the same content: both are built
// from one document model (sections, lines, tables, bullet lists) by
// buildDoc, so a report reads the same in a terminal and in a pull request.
// Every list is rendered in the order the report holds it; the report
// builder sorts, the renderers never range over a map without sorting.
//
// Names that come from logs (workflows, models, tags, evidence) are data:
// the table renderer shows control characters as escapes, markdown escapes
// the characters that would change a table or add markup, and csv
// neutralizes cells a spreadsheet would run as a formula.
package render
