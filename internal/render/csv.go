package render

import (
	"encoding/csv"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/report"
)

func init() { Register("csv", CSV) }

// CSVWorkflowColumns are the columns of the csv format for an analyze
// report, one row per workflow in the report's order (cost descending, then
// name). Lists (providers, models, modes) are joined with ";". Money is the
// exact decimal string of the JSON report, in USD. The token columns are
// the billed buckets of the record table (record.BilledNames).
var CSVWorkflowColumns = slices.Concat(
	[]string{"workflow", "class", "confidence", "requests", "providers", "models", "modes", "team"},
	record.BilledNames,
	[]string{"cost_usd", "batch_cost_usd", "savings_usd", "batch_eligible", "batch_reason", "top_evidence"},
)

// workflowTokens returns the billed token count of a workflow for the
// billed field f.
func workflowTokens(wf *report.Workflow, f record.FieldID) int64 {
	switch f {
	case record.FieldInputTokens:
		return wf.InputTokens
	case record.FieldCacheReadTokens:
		return wf.CacheReadTokens
	case record.FieldCacheWrite5mTokens:
		return wf.CacheWrite5mTokens
	case record.FieldCacheWrite1hTokens:
		return wf.CacheWrite1hTokens
	case record.FieldOutputTokens:
		return wf.OutputTokens
	}
	panic("render: no workflow token count for field " + f.String())
}

// CSVFigureColumns are the columns of the csv format for a simulate or
// examples report, one row per scenario figure.
var CSVFigureColumns = []string{
	"scenario", "scenario_kind", "scenario_title", "key", "label", "value", "unit", "quoted", "note", "expr",
}

// CSVInventoryColumns are the columns of costaudit classify --format csv,
// one row per workflow; evidence items are joined with "; ".
var CSVInventoryColumns = []string{"workflow", "class", "confidence", "requests", "cost_usd", "evidence"}

// CSV writes the report as comma-separated values with a header row (RFC
// 4180 quoting, "\n" line ends): one row per workflow for an analyze
// report, one row per figure for a simulate or examples report, and the
// latency inventory with ViewInventory. Every cell passes through
// NeutralizeCell, so a name from the logs cannot become a spreadsheet
// formula.
func CSV(w io.Writer, rep *report.Report, opts Options) error {
	cw := csv.NewWriter(w)
	write := func(cells []string) error {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = NeutralizeCell(c)
		}
		return cw.Write(out)
	}
	var err error
	switch {
	case opts.View == ViewInventory:
		err = write(CSVInventoryColumns)
		for _, wf := range rep.Workflows {
			if err != nil {
				break
			}
			err = write([]string{wf.Workflow, wf.Class, wf.Confidence, itoa(wf.Requests), wf.CostUSD.String(),
				strings.Join(wf.Evidence, "; ")})
		}
	case rep.Kind == "simulate" || rep.Kind == "examples":
		err = write(CSVFigureColumns)
		for _, sc := range rep.Scenarios {
			for _, f := range sc.Figures {
				if err != nil {
					break
				}
				err = write([]string{sc.Name, sc.Kind, sc.Title, f.Key, f.Label, f.Value, f.Unit, f.Quoted, f.Note, f.Expr})
			}
		}
	default:
		err = write(CSVWorkflowColumns)
		for _, wf := range rep.Workflows {
			if err != nil {
				break
			}
			row := []string{
				wf.Workflow, wf.Class, wf.Confidence, itoa(wf.Requests),
				strings.Join(wf.Providers, ";"), strings.Join(wf.Models, ";"), strings.Join(wf.Modes, ";"), wf.Team,
			}
			for _, f := range record.BilledFields {
				row = append(row, itoa(workflowTokens(&wf, f)))
			}
			err = write(append(row,
				wf.CostUSD.String(), wf.WhatIf.BatchCostUSD.String(), wf.WhatIf.SavingsUSD.String(),
				strconv.FormatBool(wf.WhatIf.Eligible), wf.WhatIf.Reason, firstEvidence(wf.Evidence),
			))
		}
	}
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// plainNumber matches a cell that is only a decimal number, which a
// spreadsheet reads as a number and never as a formula.
var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)

// NeutralizeCell defuses CSV injection: a cell that starts with =, +, -, @,
// a tab or a carriage return (or the full-width ＝ ＋ － ＠) gets a leading
// apostrophe, so a spreadsheet shows it as text instead of running it as a
// formula. A cell that is a plain decimal number ("-12.50") is left as it
// is, so numbers stay numbers.
func NeutralizeCell(s string) string {
	if s == "" || plainNumber.MatchString(s) {
		return s
	}
	switch r, _ := utf8.DecodeRuneInString(s); r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return "'" + s
	}
	return s
}
