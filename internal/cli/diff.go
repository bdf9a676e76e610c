package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/report"
)

// diffOptions are the flags of costaudit diff.
type diffOptions struct {
	Old, New string
	Format   string
	Output   string
	TopN     int
	Places   int
	// Threshold and MinUSD flag workflows whose spend or class changed
	// (diffflag.go); Threshold "" flags nothing.
	Threshold string
	MinUSD    string
}

func newDiffCmd(env Env) *cobra.Command {
	var o diffOptions
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json [--format table|json|markdown]",
		Short: "Show what changed between two saved JSON reports",
		Long: `diff compares two JSON reports (for example last month's and this month's
analyze --format json): total spend and its monthly projection, cost per
latency class, workflow, model and group with deltas and percentages,
workflows whose class changed, batch savings, price books whose content
changed (sha256), and workflows and models that appeared or disappeared.`,
		Example: `  costaudit analyze --format json -o 2026-05.json logs/2026-05/
  costaudit analyze --format json -o 2026-06.json logs/2026-06/
  costaudit diff 2026-05.json 2026-06.json
  costaudit diff 2026-05.json 2026-06.json --format markdown -o CHANGES.md`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usagef("diff: want two JSON reports, OLD and NEW; got %d argument(s)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Old, o.New = args[0], args[1]
			if o.Old == "-" && o.New == "-" {
				return usagef("diff: only one of OLD and NEW can be - (stdin)")
			}
			if !cmd.Flags().Changed("format") {
				switch formatForPath(o.Output) {
				case "json", "markdown":
					o.Format = formatForPath(o.Output)
				}
			}
			switch o.Format {
			case "table", "json", "markdown":
			default:
				return usagef("--format %q: unknown format for diff (use one of table, json, markdown)", o.Format)
			}
			return runDiff(env, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Format, "format", "f", "table", "output format: table, json or markdown")
	f.StringVarP(&o.Output, "output", "o", "", "write to FILE instead of stdout (written atomically)")
	f.IntVar(&o.TopN, "top", 20, "rows per section in table and markdown, largest change first (-1: all; json has all)")
	f.IntVar(&o.Places, "places", 0, "decimal places of money in table and markdown (default 2)")
	f.StringVar(&o.Threshold, "threshold", "", "flag workflows whose spend per day changed by more than `P` (0.2 or 20%), or whose class changed")
	f.StringVar(&o.MinUSD, "min-usd", "0", "with --threshold, flag only changes of at least `N` USD per 30 days")
	return cmd
}

func runDiff(env Env, o diffOptions) error {
	oldRep, err := readReportFile(env, o.Old)
	if err != nil {
		return err
	}
	newRep, err := readReportFile(env, o.New)
	if err != nil {
		return err
	}
	d := diffReports(oldRep, newRep)
	d.Old.Path, d.New.Path = o.Old, o.New
	if o.Threshold != "" {
		p, err := parseIncrease("--threshold", o.Threshold)
		if err != nil {
			return err
		}
		min, err := parseUSD("--min-usd", o.MinUSD)
		if err != nil {
			return err
		}
		fs, rc := flagChanges(oldRep, newRep, p, min)
		d.Flags = &diffFlags{Threshold: p, MinUSD: min, Basis: map[bool]string{true: "per_day", false: "window"}[rc.perDay], Workflows: fs}
		d.rate = rc
	} else if o.MinUSD != "0" {
		return usagef("--min-usd %s: give the change to flag with --threshold P", o.MinUSD)
	}
	return writeOutput(env, o.Output, func(w io.Writer) error {
		switch o.Format {
		case "json":
			return writeDiffJSON(w, d)
		case "markdown":
			return writeDiffMarkdown(w, d, o.TopN, o.Places)
		}
		return writeDiffTable(w, d, o.TopN, o.Places)
	})
}

// reportDiff is what changed between two reports. Every list is sorted by
// the size of the change (largest first), then by name.
type reportDiff struct {
	Old           diffSide      `json:"old"`
	New           diffSide      `json:"new"`
	Notes         []string      `json:"notes"`
	Totals        []diffRow     `json:"totals"`
	ByClass       []diffRow     `json:"by_class"`
	ByModel       []diffRow     `json:"by_model"`
	ByWorkflow    []diffRow     `json:"by_workflow"`
	Savings       []diffRow     `json:"savings"`
	Groups        []diffRow     `json:"groups"`
	ClassChanges  []classChange `json:"class_changes"`
	Pricebooks    []bookChange  `json:"pricebooks"`
	NewWorkflows  []string      `json:"new_workflows"`
	GoneWorkflows []string      `json:"removed_workflows"`
	NewModels     []string      `json:"new_models"`
	GoneModels    []string      `json:"removed_models"`
	Flags         *diffFlags    `json:"flagged,omitempty"`
	rate          rateCompare
}

// diffSide names one of the two reports.
type diffSide struct {
	Path   string        `json:"path"`
	Kind   string        `json:"kind"`
	Window report.Window `json:"window"`
}

// diffRow is one figure in both reports. Pct is the change relative to Old
// (null when Old is zero). Status is "new", "removed" or "" (in both).
type diffRow struct {
	Name   string           `json:"name"`
	Unit   string           `json:"unit"` // USD, requests, tokens
	Old    decimal.Decimal  `json:"old"`
	New    decimal.Decimal  `json:"new"`
	Delta  decimal.Decimal  `json:"delta"`
	Pct    *decimal.Decimal `json:"pct"`
	Status string           `json:"status,omitempty"`
}

// classChange is a workflow whose latency class changed.
type classChange struct {
	Workflow      string `json:"workflow"`
	OldClass      string `json:"old_class"`
	NewClass      string `json:"new_class"`
	OldConfidence string `json:"old_confidence"`
	NewConfidence string `json:"new_confidence"`
	NewEvidence   string `json:"new_evidence"`
}

// bookChange is one price book cited by either report.
type bookChange struct {
	ID     string `json:"id"`
	Status string `json:"status"` // changed, unchanged, added, removed
	OldSHA string `json:"old_sha256"`
	NewSHA string `json:"new_sha256"`
}

var hundred = decimal.NewFromInt(100)

func newDiffRow(name, unit string, oldV, newV decimal.Decimal, inOld, inNew bool) diffRow {
	r := diffRow{Name: name, Unit: unit, Old: oldV, New: newV, Delta: newV.Sub(oldV)}
	if oldV.Sign() != 0 {
		p := r.Delta.Mul(hundred).DivRound(oldV, 2)
		r.Pct = &p
	}
	switch {
	case !inOld && inNew:
		r.Status = "new"
	case inOld && !inNew:
		r.Status = "removed"
	}
	return r
}

// pairRows joins two name → value maps into diff rows, largest absolute
// change first, then by name.
func pairRows(unit string, oldM, newM map[string]decimal.Decimal) []diffRow {
	names := map[string]bool{}
	for k := range oldM {
		names[k] = true
	}
	for k := range newM {
		names[k] = true
	}
	rows := make([]diffRow, 0, len(names))
	for n := range names {
		ov, inOld := oldM[n]
		nv, inNew := newM[n]
		rows = append(rows, newDiffRow(n, unit, ov, nv, inOld, inNew))
	}
	sort.Slice(rows, func(i, j int) bool {
		if c := rows[i].Delta.Abs().Cmp(rows[j].Delta.Abs()); c != 0 {
			return c > 0
		}
		return rows[i].Name < rows[j].Name
	})
	return rows
}

// diffReports compares two reports.
func diffReports(o, n *report.Report) *reportDiff {
	d := &reportDiff{
		Old: diffSide{Kind: o.Kind, Window: o.Window},
		New: diffSide{Kind: n.Kind, Window: n.Window},
	}
	if !o.Window.Days.Equal(n.Window.Days) {
		d.Notes = append(d.Notes, fmt.Sprintf("the windows differ in length (%s vs %s days): compare the monthly projections, not the window totals", o.Window.Days, n.Window.Days))
	}
	if o.Window.TZ != n.Window.TZ {
		d.Notes = append(d.Notes, fmt.Sprintf("the reports use different time zones (%s vs %s)", o.Window.TZ, n.Window.TZ))
	}
	dec := decimal.NewFromInt
	t := func(name, unit string, ov, nv decimal.Decimal) {
		d.Totals = append(d.Totals, newDiffRow(name, unit, ov, nv, true, true))
	}
	t("cost_usd", "USD", o.Totals.CostUSD, n.Totals.CostUSD)
	t("monthly_cost_usd", "USD", o.Projection.MonthlyCostUSD, n.Projection.MonthlyCostUSD)
	t("window_savings_usd", "USD", o.Projection.WindowSavingsUSD, n.Projection.WindowSavingsUSD)
	t("monthly_savings_usd", "USD", o.Projection.MonthlySavingsUSD, n.Projection.MonthlySavingsUSD)
	t("requests", "requests", dec(o.Totals.Requests), dec(n.Totals.Requests))
	t("input_tokens", "tokens", dec(o.Totals.InputTokens), dec(n.Totals.InputTokens))
	t("cache_read_tokens", "tokens", dec(o.Totals.CacheReadTokens), dec(n.Totals.CacheReadTokens))
	t("cache_write_5m_tokens", "tokens", dec(o.Totals.CacheWrite5mTokens), dec(n.Totals.CacheWrite5mTokens))
	t("cache_write_1h_tokens", "tokens", dec(o.Totals.CacheWrite1hTokens), dec(n.Totals.CacheWrite1hTokens))
	t("output_tokens", "tokens", dec(o.Totals.OutputTokens), dec(n.Totals.OutputTokens))
	t("unpriced_records", "records", dec(o.Coverage.Unpriced), dec(n.Coverage.Unpriced))
	t("rejected_lines", "lines", dec(o.Coverage.Rejected), dec(n.Coverage.Rejected))

	classes := func(r *report.Report) map[string]decimal.Decimal {
		m := map[string]decimal.Decimal{}
		for _, c := range r.ByClass {
			m[c.Class] = m[c.Class].Add(c.CostUSD)
		}
		return m
	}
	d.ByClass = pairRows("USD", classes(o), classes(n))

	models := func(r *report.Report) map[string]decimal.Decimal {
		m := map[string]decimal.Decimal{}
		for _, x := range r.ByModel {
			k := x.Provider + "/" + x.Model
			m[k] = m[k].Add(x.CostUSD)
		}
		return m
	}
	d.ByModel = pairRows("USD", models(o), models(n))

	wfCost := func(r *report.Report) (map[string]decimal.Decimal, map[string]decimal.Decimal) {
		cost, sav := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
		for _, w := range r.Workflows {
			cost[w.Workflow] = cost[w.Workflow].Add(w.CostUSD)
			sav[w.Workflow] = sav[w.Workflow].Add(w.WhatIf.SavingsUSD)
		}
		return cost, sav
	}
	oldCost, oldSav := wfCost(o)
	newCost, newSav := wfCost(n)
	d.ByWorkflow = pairRows("USD", oldCost, newCost)
	d.Savings = pairRows("USD", oldSav, newSav)
	// Savings rows that are zero on both sides say nothing.
	kept := d.Savings[:0]
	for _, r := range d.Savings {
		if !r.Old.IsZero() || !r.New.IsZero() {
			kept = append(kept, r)
		}
	}
	d.Savings = kept

	groups := func(r *report.Report) map[string]decimal.Decimal {
		m := map[string]decimal.Decimal{}
		for _, g := range r.Groups {
			v := g.Value
			if v == "" {
				v = "(none)"
			}
			k := g.Key + "=" + v
			m[k] = m[k].Add(g.CostUSD)
		}
		return m
	}
	d.Groups = pairRows("USD", groups(o), groups(n))

	oldWF := map[string]report.Workflow{}
	for _, w := range o.Workflows {
		oldWF[w.Workflow] = w
	}
	newWF := map[string]bool{}
	for _, w := range n.Workflows {
		newWF[w.Workflow] = true
		ow, ok := oldWF[w.Workflow]
		if !ok {
			d.NewWorkflows = append(d.NewWorkflows, w.Workflow)
			continue
		}
		if ow.Class != w.Class {
			ev := ""
			if len(w.Evidence) > 0 {
				ev = w.Evidence[0]
			}
			d.ClassChanges = append(d.ClassChanges, classChange{
				Workflow: w.Workflow, OldClass: ow.Class, NewClass: w.Class,
				OldConfidence: ow.Confidence, NewConfidence: w.Confidence, NewEvidence: ev,
			})
		}
	}
	for _, w := range o.Workflows {
		if !newWF[w.Workflow] {
			d.GoneWorkflows = append(d.GoneWorkflows, w.Workflow)
		}
	}
	for _, r := range d.ByModel {
		switch r.Status {
		case "new":
			d.NewModels = append(d.NewModels, r.Name)
		case "removed":
			d.GoneModels = append(d.GoneModels, r.Name)
		}
	}
	sort.Strings(d.NewWorkflows)
	sort.Strings(d.GoneWorkflows)
	sort.Strings(d.NewModels)
	sort.Strings(d.GoneModels)
	sort.Slice(d.ClassChanges, func(i, j int) bool { return d.ClassChanges[i].Workflow < d.ClassChanges[j].Workflow })
	d.Pricebooks = diffBooks(o.Pricebooks, n.Pricebooks)
	d.Notes = orEmptyStrings(d.Notes)
	d.NewWorkflows = orEmptyStrings(d.NewWorkflows)
	d.GoneWorkflows = orEmptyStrings(d.GoneWorkflows)
	d.NewModels = orEmptyStrings(d.NewModels)
	d.GoneModels = orEmptyStrings(d.GoneModels)
	if d.ClassChanges == nil {
		d.ClassChanges = []classChange{}
	}
	return d
}

func orEmptyStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// diffBooks pairs the price books of two reports by id (source when the id
// repeats), and says whether their content (sha256) changed.
func diffBooks(o, n []report.Pricebook) []bookChange {
	key := func(b report.Pricebook) string { return b.ID + "\x00" + b.Source }
	byKey := func(bs []report.Pricebook) map[string]report.Pricebook {
		m := map[string]report.Pricebook{}
		for _, b := range bs {
			m[key(b)] = b
		}
		return m
	}
	om, nm := byKey(o), byKey(n)
	// A book whose source moved (embedded → a user directory) is matched by
	// id alone when the id is unique on both sides.
	ids := func(bs []report.Pricebook) map[string]int {
		c := map[string]int{}
		for _, b := range bs {
			c[b.ID]++
		}
		return c
	}
	oi, ni := ids(o), ids(n)
	var out []bookChange
	for k, ob := range om {
		nb, ok := nm[k]
		if !ok && oi[ob.ID] == 1 && ni[ob.ID] == 1 {
			for k2, b := range nm {
				if b.ID == ob.ID {
					nb, ok = b, true
					delete(nm, k2)
					break
				}
			}
		} else if ok {
			delete(nm, k)
		}
		c := bookChange{ID: ob.ID, OldSHA: ob.SHA256}
		switch {
		case !ok:
			c.Status = "removed"
		case nb.SHA256 == ob.SHA256:
			c.Status, c.NewSHA = "unchanged", nb.SHA256
		default:
			c.Status, c.NewSHA = "changed", nb.SHA256
		}
		out = append(out, c)
	}
	for _, nb := range nm {
		out = append(out, bookChange{ID: nb.ID, Status: "added", NewSHA: nb.SHA256})
	}
	rank := map[string]int{"changed": 0, "added": 1, "removed": 2, "unchanged": 3}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Status != out[j].Status {
			return rank[out[i].Status] < rank[out[j].Status]
		}
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].OldSHA+out[i].NewSHA < out[j].OldSHA+out[j].NewSHA
	})
	if out == nil {
		out = []bookChange{}
	}
	return out
}

func writeDiffJSON(w io.Writer, d *reportDiff) error {
	nz := func(r []diffRow) []diffRow {
		if r == nil {
			return []diffRow{}
		}
		return r
	}
	d.ByClass, d.ByModel, d.ByWorkflow, d.Savings, d.Groups = nz(d.ByClass), nz(d.ByModel), nz(d.ByWorkflow), nz(d.Savings), nz(d.Groups)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// diffSection is one titled table of the human diff formats.
type diffSection struct {
	Title   string
	Columns []string
	Right   []bool
	Rows    [][]string
	More    int // rows left out by --top
}

// diffSections lays the diff out as titled tables for table and markdown.
func diffSections(d *reportDiff, top, places int) (header []string, secs []diffSection) {
	win := func(s diffSide) string {
		w := s.Window
		if w.Start == "" {
			return s.Path + " (" + s.Kind + ")"
		}
		return fmt.Sprintf("%s: %s to %s (%s days)", s.Path, w.Start, w.End, w.Days)
	}
	header = []string{"old  " + win(d.Old), "new  " + win(d.New)}
	header = append(header, d.Notes...)
	fmtVal := func(r diffRow, v decimal.Decimal) string {
		if r.Unit == "USD" {
			return render.USD(v, places)
		}
		return render.Count(v.IntPart())
	}
	fmtDelta := func(r diffRow) string {
		s := fmtVal(r, r.Delta)
		if r.Delta.Sign() > 0 {
			s = "+" + s
		}
		return s
	}
	fmtPct := func(r diffRow) string {
		switch {
		case r.Status == "new":
			return "new"
		case r.Status == "removed":
			return "removed"
		case r.Pct == nil:
			return "—"
		}
		s := r.Pct.StringFixed(1) + "%"
		if r.Pct.Sign() > 0 {
			s = "+" + s
		}
		return s
	}
	rowsSection := func(title, first string, rows []diffRow, limit bool) {
		if len(rows) == 0 {
			return
		}
		s := diffSection{Title: title, Columns: []string{first, "Old", "New", "Change", "%"}, Right: []bool{false, true, true, true, true}}
		n := len(rows)
		if limit && top >= 0 && n > top {
			s.More = n - top
			n = top
		}
		for _, r := range rows[:n] {
			s.Rows = append(s.Rows, []string{r.Name, fmtVal(r, r.Old), fmtVal(r, r.New), fmtDelta(r), fmtPct(r)})
		}
		secs = append(secs, s)
	}
	if d.Flags != nil {
		if len(d.Flags.Workflows) == 0 {
			header = append(header, fmt.Sprintf("flagged: no workflow changed beyond --threshold %s%%", pctText(d.Flags.Threshold.Mul(hundred))))
		} else {
			secs = append(secs, flagSection(d.Flags, d.rate))
		}
	}
	rowsSection("Totals", "Figure", d.Totals, false)
	rowsSection("Cost by latency class", "Class", d.ByClass, false)
	rowsSection("Cost by model", "Provider/model", d.ByModel, true)
	rowsSection("Cost by workflow", "Workflow", d.ByWorkflow, true)
	rowsSection("Batch savings by workflow", "Workflow", d.Savings, true)
	rowsSection("Cost by group", "Group", d.Groups, true)
	if len(d.ClassChanges) > 0 {
		s := diffSection{Title: "Workflows whose class changed", Columns: []string{"Workflow", "Old class", "New class", "Evidence now"}, Right: []bool{false, false, false, false}}
		for _, c := range d.ClassChanges {
			s.Rows = append(s.Rows, []string{c.Workflow, c.OldClass + " (" + c.OldConfidence + ")", c.NewClass + " (" + c.NewConfidence + ")", c.NewEvidence})
		}
		secs = append(secs, s)
	}
	if len(d.NewWorkflows)+len(d.GoneWorkflows)+len(d.NewModels)+len(d.GoneModels) > 0 {
		s := diffSection{Title: "Appeared and disappeared", Columns: []string{"What", "Name"}, Right: []bool{false, false}}
		for _, x := range d.NewWorkflows {
			s.Rows = append(s.Rows, []string{"new workflow", x})
		}
		for _, x := range d.GoneWorkflows {
			s.Rows = append(s.Rows, []string{"removed workflow", x})
		}
		for _, x := range d.NewModels {
			s.Rows = append(s.Rows, []string{"new model", x})
		}
		for _, x := range d.GoneModels {
			s.Rows = append(s.Rows, []string{"removed model", x})
		}
		secs = append(secs, s)
	}
	if len(d.Pricebooks) > 0 {
		s := diffSection{Title: "Price books", Columns: []string{"Book", "Status", "Old sha256", "New sha256"}, Right: []bool{false, false, false, false}}
		short := func(h string) string {
			if len(h) > 12 {
				return h[:12]
			}
			if h == "" {
				return "—"
			}
			return h
		}
		for _, b := range d.Pricebooks {
			s.Rows = append(s.Rows, []string{b.ID, b.Status, short(b.OldSHA), short(b.NewSHA)})
		}
		secs = append(secs, s)
	}
	return header, secs
}

func writeDiffTable(w io.Writer, d *reportDiff, top, places int) error {
	header, secs := diffSections(d, top, places)
	var buf bytes.Buffer
	buf.WriteString("costaudit diff\n")
	for _, h := range header {
		buf.WriteString("  " + render.Clean(h) + "\n")
	}
	for _, s := range secs {
		buf.WriteString("\n" + s.Title + "\n")
		if err := writeDiffGrid(&buf, s); err != nil {
			return err
		}
		if s.More > 0 {
			fmt.Fprintf(&buf, "  … %d more (--top -1 shows all)\n", s.More)
		}
	}
	lines := strings.Split(buf.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

// writeDiffGrid prints one section in the table report's style.
func writeDiffGrid(buf *bytes.Buffer, s diffSection) error {
	cols := make([]render.Column, len(s.Columns))
	for i, c := range s.Columns {
		cols[i] = render.Column{Title: c, Right: s.Right[i]}
	}
	return render.WriteTable(buf, cols, s.Rows)
}

func writeDiffMarkdown(w io.Writer, d *reportDiff, top, places int) error {
	header, secs := diffSections(d, top, places)
	var buf bytes.Buffer
	buf.WriteString("# costaudit diff\n\n")
	for _, h := range header {
		buf.WriteString("- " + render.EscapeMarkdown(h) + "\n")
	}
	for _, s := range secs {
		buf.WriteString("\n## " + s.Title + "\n\n|")
		for _, c := range s.Columns {
			buf.WriteString(" " + c + " |")
		}
		buf.WriteString("\n|")
		for i := range s.Columns {
			if s.Right[i] {
				buf.WriteString("---:|")
			} else {
				buf.WriteString("---|")
			}
		}
		buf.WriteString("\n")
		for _, r := range s.Rows {
			buf.WriteString("|")
			for _, c := range r {
				buf.WriteString(" " + render.EscapeMarkdown(c) + " |")
			}
			buf.WriteString("\n")
		}
		if s.More > 0 {
			fmt.Fprintf(&buf, "\n%d more rows (--top -1 shows all).\n", s.More)
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}
