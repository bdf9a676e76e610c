package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/report"
)

// blockKind is the kind of one block of the document model.
type blockKind int

const (
	blockTitle   blockKind = iota // the report's title line
	blockHeading                  // a section heading
	blockLine                     // one line: a bold label and text
	blockTable                    // a table
	blockBullets                  // a bullet list
	blockCaption                  // the name of the table that follows
)

// block is one element of the document that table and markdown render.
type block struct {
	kind  blockKind
	label string   // blockLine: the label before the text ("coverage")
	text  string   // blockTitle, blockHeading, blockLine
	grid  *grid    // blockTable
	items []string // blockBullets
}

// grid is a table of the document model. A cell may hold several lines
// separated by "\n" (one evidence item per line).
type grid struct {
	cols []column
	rows [][]string
}

// column is one column of a grid.
type column struct {
	title string
	right bool // numbers are right-aligned
	wrap  int  // the terminal wraps the column at this width; 0: never
	// drop lets a narrow terminal leave the column out when wrapping the
	// text columns is not enough: 0 never, higher values go first.
	drop int
}

func (g *grid) add(cells ...string) { g.rows = append(g.rows, cells) }

// doc accumulates blocks.
type doc struct{ blocks []block }

func (d *doc) title(s string)   { d.blocks = append(d.blocks, block{kind: blockTitle, text: s}) }
func (d *doc) heading(s string) { d.blocks = append(d.blocks, block{kind: blockHeading, text: s}) }
func (d *doc) line(label, text string) {
	d.blocks = append(d.blocks, block{kind: blockLine, label: label, text: text})
}
func (d *doc) caption(s string) { d.blocks = append(d.blocks, block{kind: blockCaption, text: s}) }
func (d *doc) table(g *grid)    { d.blocks = append(d.blocks, block{kind: blockTable, grid: g}) }
func (d *doc) bullets(items []string) {
	if len(items) > 0 {
		d.blocks = append(d.blocks, block{kind: blockBullets, items: items})
	}
}

func newGrid(cols ...column) *grid { return &grid{cols: cols} }
func left(title string) column     { return column{title: title} }
func right(title string) column    { return column{title: title, right: true} }
func wrapped(title string, width int) column {
	return column{title: title, wrap: width}
}

// droppable marks a column a narrow terminal may leave out (see column.drop).
func droppable(c column, priority int) column { c.drop = priority; return c }

// buildDoc lays out a report as the document that the table and markdown
// renderers print.
func buildDoc(rep *report.Report, opts Options) *doc {
	d := &doc{}
	switch {
	case opts.View == ViewInventory:
		inventoryDoc(d, rep, opts)
	case rep.Kind == "simulate" || rep.Kind == "examples":
		scenarioDoc(d, rep, opts)
	default:
		analyzeDoc(d, rep, opts)
	}
	return d
}

// money is the human format of an amount under opts.
func (o Options) money(d decimal.Decimal) string { return USD(d, int(o.places())) }

// windowText describes the report's window: "2026-06-01 → 2026-06-07 (7 days, UTC)".
func windowText(w report.Window) string {
	if w.Start == "" {
		return "no records in the window"
	}
	tz := w.TZ
	if tz == "" {
		tz = "UTC"
	}
	return fmt.Sprintf("%s → %s (%s of data, days in %s)", humanTime(w.Start), humanTime(w.End), humanDays(w.Days), tz)
}

// projectionText says how the window was scaled to a month, in words.
func projectionText(rep *report.Report) string {
	if rep.Window.Start == "" || rep.Window.Days.Sign() <= 0 {
		return rep.Projection.Basis
	}
	return humanDays(rep.Window.Days) + " of data scaled to a 30-day month, straight line"
}

// batchRules splits the batch rule off the "why" of each opportunity
// ("...; batch rule: RULE"), so a table can state each rule once as a
// footnote. It returns the shortened reasons, the rule label of each
// opportunity ("" when it has none) and the distinct rules in the order
// they first appear, labelled A, B, C, ...
func batchRules(ops []report.Opportunity) (why, label []string, rules []string) {
	seen := map[string]string{}
	for _, o := range ops {
		w, rule, ok := strings.Cut(o.Why, "; batch rule: ")
		l := ""
		if ok {
			if l = seen[rule]; l == "" {
				l = ruleLabel(len(rules))
				seen[rule] = l
				rules = append(rules, rule)
			}
		}
		why = append(why, w)
		label = append(label, l)
	}
	return why, label, rules
}

// ruleLabel is A, B, ..., Z, AA, AB, ...
func ruleLabel(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// sourceLegend explains the verification marks of the price books' source
// notes when any of the texts uses them.
func sourceLegend(texts ...string) string {
	for _, t := range texts {
		if strings.Contains(t, "[V]") || strings.Contains(t, "[U]") || strings.Contains(t, "[S]") {
			return "[V] checked against the provider's own page or SDK; [S] a secondary source only; [U] unverified (no source found, or sources disagree)"
		}
	}
	return ""
}

// coverageText is the one coverage line of the first screen.
func coverageText(c report.Coverage) string {
	var b strings.Builder
	b.WriteString(counted(c.Lines, "line", "lines"))
	if c.Files > 0 {
		fmt.Fprintf(&b, " in %s", counted(int64(c.Files), "file", "files"))
	}
	fmt.Fprintf(&b, " → %s (%s priced, %s unbilled, %s unpriced) · %s · %s rejected · %s skipped",
		counted(c.Records, "record", "records"), Count(c.Priced), Count(c.Unbilled), Count(c.Unpriced),
		counted(c.Duplicates, "duplicate", "duplicates"), Count(c.Rejected), Count(c.Skipped))
	if c.Filtered > 0 {
		fmt.Fprintf(&b, " · %s outside --since/--until", Count(c.Filtered))
	}
	return b.String()
}

// counted is n with the singular or plural noun: "1 line", "1,017 lines".
func counted(n int64, one, many string) string { return Count(n) + " " + plural(n, one, many) }

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// countsText lists a name→count map as "a (40), b (10)", largest first,
// then by name.
// unpricedText lists the unpriced models with their counts and, where the
// report says, why each was not priced.
func unpricedText(c report.Coverage) string {
	if len(c.UnpricedReasons) == 0 {
		return countsText(c.UnpricedModels) + "; add a book with --pricebook"
	}
	parts := strings.Split(countsText(c.UnpricedModels), ", ")
	for i, m := range SortedByCount(c.UnpricedModels) {
		if why := c.UnpricedReasons[m]; why != "" {
			parts[i] += ": " + why
		}
	}
	return strings.Join(parts, "; ")
}

// SortedByCount returns m's keys by count, largest first, then by name:
// the order every count list of a report (rejections, unpriced models)
// is shown in.
func SortedByCount(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

func countsText(m map[string]int64) string {
	keys := SortedByCount(m)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s (%s)", k, Count(m[k]))
	}
	return strings.Join(parts, ", ")
}

// sortedKeys returns the keys of a map in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// classOrder ranks latency classes for display.
var classOrder = map[string]int{"realtime": 0, "near-realtime": 1, "scheduled": 2}

// classCell is a workflow's class with its confidence: "scheduled (high)".
func classCell(class, confidence string) string {
	if confidence == "" {
		return class
	}
	return class + " (" + confidence + ")"
}

// firstEvidence is the strongest evidence of a workflow: the classifier
// lists it first.
func firstEvidence(ev []string) string {
	if len(ev) == 0 {
		return ""
	}
	return ev[0]
}

// splitWorkflows separates the workflows batch delivery would make cheaper
// (eligible with a positive saving), ranked by savings descending, then
// cost descending, then name, from the rest, ranked by cost descending,
// then name.
func splitWorkflows(ws []report.Workflow) (movable, staying []report.Workflow) {
	for _, w := range ws {
		if w.WhatIf.Eligible && w.WhatIf.SavingsUSD.Sign() > 0 {
			movable = append(movable, w)
		} else {
			staying = append(staying, w)
		}
	}
	rankWorkflows(movable)
	rankWorkflows(staying)
	return movable, staying
}

// whyNot says why a workflow stays as it is: the what-if's reason, and for
// a class that is simply not batched the evidence that decided the class.
func whyNot(w report.Workflow) string {
	r := w.WhatIf.Reason
	ev := firstEvidence(w.Evidence)
	switch {
	case r == "" || r == w.Class:
		if ev == "" {
			return w.Class
		}
		return w.Class + ": " + ev
	case w.WhatIf.Eligible:
		// Eligible but saves nothing (e.g. a zero-cost workflow).
		return "no saving: " + r
	}
	return r
}

// moreLine says how many rows a --top limit left out.
func moreLine(d *doc, rest int, opts Options) {
	if rest <= 0 {
		return
	}
	where := "the latency inventory below lists every workflow"
	if opts.bounded {
		where = "the JSON, HTML and Excel reports list every workflow"
	}
	d.line("", fmt.Sprintf("… and %s more (--top 0 shows all; %s)", Count(int64(rest)), where))
}

// sectionLimit is how many rows a full section (inventory, ledger,
// reconciliation, groups) shows: all of them, except in the bounded form
// (Markdown for pull-request comments), where it is the --top limit.
func (o Options) sectionLimit(n int) int {
	if !o.bounded {
		return n
	}
	return o.topN(n)
}

// restLine summarizes the rows of a bounded section that were left out:
// how many and what they cost.
func restLine(d *doc, what string, rest int, cost decimal.Decimal, opts Options) {
	if rest <= 0 {
		return
	}
	d.line("", fmt.Sprintf("… and %s more %s costing %s in all (--top 0 shows all; the JSON, HTML and Excel reports list every row)",
		Count(int64(rest)), what, opts.money(cost)))
}

// rankWorkflows orders workflows in place: by savings descending, then
// cost descending, then name.
func rankWorkflows(out []report.Workflow) {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if c := a.WhatIf.SavingsUSD.Cmp(b.WhatIf.SavingsUSD); c != 0 {
			return c > 0
		}
		if c := a.CostUSD.Cmp(b.CostUSD); c != 0 {
			return c > 0
		}
		return a.Workflow < b.Workflow
	})
}

func analyzeDoc(d *doc, rep *report.Report, opts Options) {
	d.title("costaudit analyze · " + windowText(rep.Window))
	c := rep.Coverage
	d.line("coverage", coverageText(c))
	if c.Unpriced > 0 {
		d.line("unpriced", fmt.Sprintf("%s no price book could price, left out of every total (never priced at $0): %s",
			counted(c.Unpriced, "record", "records"), unpricedText(c)))
	}
	if c.FileDated > 0 {
		if c.FileTimesUsed {
			d.line("undated", fmt.Sprintf("records without a timestamp, dated by their file's modification time: %s, counted in the window and the cadence (--file-times)", Count(c.FileDated)))
		} else {
			d.line("undated", fmt.Sprintf("records without a timestamp, dated by their file's modification time: %s; counted, but left out of the window, the projection and the cadence evidence (--file-times counts them)", Count(c.FileDated)))
		}
	}
	if c.ConflictingDuplicates > 0 {
		d.line("conflicts", fmt.Sprintf("duplicates that disagree with the kept copy of their request id on workflow, model or status: %s (e.g. %q); the copy with the most tokens is kept",
			Count(c.ConflictingDuplicates), c.ConflictExample))
	}
	if c.Rejected > 0 {
		d.line("rejected", fmt.Sprintf("%s: %s; --rejects FILE keeps the raw lines, --strict stops at the first",
			counted(c.Rejected, "line", "lines"), countsText(c.RejectedByReason)))
	}
	t := rep.Totals
	d.line("spend", fmt.Sprintf("%s on %s", opts.money(t.CostUSD), counted(t.Requests, "priced request", "priced requests")))
	if len(rep.Workflows) > 0 {
		d.line("verdict", verdictText(rep, opts))
	}

	// Spend by class.
	if len(rep.ByClass) > 0 {
		d.heading("Spend by latency class")
		g := newGrid(left("class"), right("requests"), right("cost"), right("share"))
		parts := make([]decimal.Decimal, len(rep.ByClass))
		for i, r := range rep.ByClass {
			parts[i] = r.CostUSD
		}
		shown := apportion(parts, int(opts.places()))
		for i, r := range rep.ByClass {
			g.add(r.Class, Count(r.Requests), opts.money(shown[i]), Percent(r.CostUSD, t.CostUSD))
		}
		g.add("total", Count(t.Requests), opts.money(t.CostUSD), "100.0%")
		d.table(g)
	}

	// The headline: the workflows nobody waits for, ranked by what batch
	// delivery would save, then the ones that stay as they are and why.
	movable, staying := splitWorkflows(rep.Workflows)
	if len(rep.Workflows) > 0 {
		d.heading("Work nobody waits for, paid at real-time prices: batch what-if, ranked by savings")
		if len(movable) == 0 {
			d.line("", "none: no workflow has both evidence that nobody waits for it and a provider batch rule to move to, so nothing is recommended")
		} else {
			monthly := map[string]decimal.Decimal{}
			shownMonthly := monthlyShown(rep.Opportunities, int(opts.places()))
			for i, o := range rep.Opportunities {
				if o.Lever == "batch" {
					monthly[o.Workflow] = shownMonthly[i]
				}
			}
			g := newGrid(right("#"), wrapped("workflow", 32), left("class (confidence)"), droppable(right("requests"), 1),
				right("cost"), right("on batch"), right("savings"), right("per month"), droppable(wrapped("strongest evidence", 52), 2))
			n := opts.topN(len(movable))
			for i, w := range movable[:n] {
				pm := "—"
				if m, ok := monthly[w.Workflow]; ok {
					pm = opts.money(m)
				}
				g.add(fmt.Sprint(i+1), w.Workflow, classCell(w.Class, w.Confidence), Count(w.Requests),
					opts.money(w.CostUSD), opts.money(w.WhatIf.BatchCostUSD), opts.money(savingsShown(w.CostUSD, w.WhatIf.BatchCostUSD, int(opts.places()))), pm, firstEvidence(w.Evidence))
			}
			d.table(g)
			moreLine(d, len(movable)-n, opts)
		}
	}
	if p := rep.Projection; p.Basis != "" {
		d.line("projection", fmt.Sprintf("%s/month spend, %s/month saved by batching (%s)",
			opts.money(p.MonthlyCostUSD), opts.money(p.MonthlySavingsUSD), projectionText(rep)))
	}
	d.line("early cancel", earlyCancelText(rep.EarlyCancel, opts))
	if len(staying) > 0 {
		d.heading("Stays as it is")
		g := newGrid(wrapped("workflow", 32), left("class (confidence)"), droppable(right("requests"), 1), right("cost"), wrapped("why not batched", 72))
		n := opts.topN(len(staying))
		for _, w := range staying[:n] {
			g.add(w.Workflow, classCell(w.Class, w.Confidence), Count(w.Requests), opts.money(w.CostUSD), whyNot(w))
		}
		d.table(g)
		moreLine(d, len(staying)-n, opts)
	}
	if len(rep.Notes) > 0 {
		d.heading("Notes")
		d.bullets(rep.Notes)
	}

	// The fuller sections.
	if len(rep.Opportunities) > 0 {
		d.heading("Opportunities")
		g := newGrid(right("#"), wrapped("workflow", 32), droppable(left("lever"), 1), droppable(left("class"), 2), right("cost"), right("new cost"),
			right("savings"), right("per month"), wrapped("why", 72))
		why, label, rules := batchRules(rep.Opportunities)
		shownMonthly := monthlyShown(rep.Opportunities, int(opts.places()))
		n := opts.topN(len(rep.Opportunities))
		for i, o := range rep.Opportunities[:n] {
			w := why[i]
			if label[i] != "" {
				w += " (batch rule " + label[i] + ")"
			}
			g.add(fmt.Sprint(o.Rank), o.Workflow, o.Lever, o.Class, opts.money(o.CostUSD), opts.money(o.NewCostUSD),
				opts.money(savingsShown(o.CostUSD, o.NewCostUSD, int(opts.places()))), opts.money(shownMonthly[i]), w)
		}
		d.table(g)
		moreLine(d, len(rep.Opportunities)-n, opts)
		var notes []string
		for i, r := range rules {
			notes = append(notes, "batch rule "+ruleLabel(i)+": "+r)
		}
		if l := sourceLegend(rules...); l != "" {
			notes = append(notes, l)
		}
		d.bullets(notes)
	}
	if len(rep.Workflows) > 0 {
		inventoryTable(d, rep, opts)
	}
	if len(rep.ByModel) > 0 {
		d.heading("Spend by model")
		g := newGrid(left("provider"), left("model"), right("requests"), right("cost"), right("share"))
		parts := make([]decimal.Decimal, len(rep.ByModel))
		for i, r := range rep.ByModel {
			parts[i] = r.CostUSD
		}
		shown := apportion(parts, int(opts.places()))
		for i, r := range rep.ByModel {
			g.add(r.Provider, r.Model, Count(r.Requests), opts.money(shown[i]), Percent(r.CostUSD, t.CostUSD))
		}
		d.table(g)
	}
	if len(rep.ByMode) > 0 {
		d.heading("Spend by delivery mode")
		g := newGrid(left("mode"), right("requests"), right("cost"), right("share"))
		parts := make([]decimal.Decimal, len(rep.ByMode))
		for i, r := range rep.ByMode {
			parts[i] = r.CostUSD
		}
		shown := apportion(parts, int(opts.places()))
		for i, r := range rep.ByMode {
			g.add(r.Mode, Count(r.Requests), opts.money(shown[i]), Percent(r.CostUSD, t.CostUSD))
		}
		d.table(g)
	}
	if len(rep.ByDay) > 0 {
		byDayTable(d, rep, opts)
	}
	if len(rep.Groups) > 0 {
		title := "Spend by group"
		if len(opts.GroupBy) > 0 {
			title = "Spend by " + strings.Join(opts.GroupBy, ", ")
		}
		d.heading(title)
		g := newGrid(left("key"), left("value"), right("requests"), right("cost"), right("savings"))
		n := opts.sectionLimit(len(rep.Groups))
		for _, r := range rep.Groups[:n] {
			v := r.Value
			if v == "" {
				v = "(none)"
			}
			g.add(r.Key, v, Count(r.Requests), opts.money(r.CostUSD), opts.money(r.SavingsUSD))
		}
		d.table(g)
		rest := decimal.Zero
		for _, r := range rep.Groups[n:] {
			rest = rest.Add(r.CostUSD)
		}
		restLine(d, "groups", len(rep.Groups)-n, rest, opts)
	}
	d.heading("Totals")
	d.line("tokens", fmt.Sprintf("input %s · cache read %s · cache write 5m %s · cache write 1h %s · output %s",
		Count(t.InputTokens), Count(t.CacheReadTokens), Count(t.CacheWrite5mTokens), Count(t.CacheWrite1hTokens), Count(t.OutputTokens)))
	if len(c.Formats) > 0 {
		d.line("input", "files by detected format: "+countsText(c.Formats))
	}
	d.line("rounding", RoundingNote)
	if ec := rep.EarlyCancel; len(ec.Workflows) > 0 {
		d.heading("Early-cancel ledger")
		g := newGrid(wrapped("workflow", 32), droppable(right("streams"), 1), right("cancelled"), right("output delivered"),
			right("not generated (max)"), right("not billed (max)"))
		n := opts.sectionLimit(len(ec.Workflows))
		for _, r := range ec.Workflows[:n] {
			g.add(r.Workflow, Count(r.Streams), Count(r.Cancelled), Count(r.DeliveredOutputTokens),
				Count(r.NotGeneratedTokensMax), opts.money(r.SavedUSDMax))
		}
		d.table(g)
		rest := decimal.Zero
		for _, r := range ec.Workflows[n:] {
			rest = rest.Add(r.SavedUSDMax)
		}
		if n < len(ec.Workflows) {
			d.line("", fmt.Sprintf("… and %s more workflows with cancelled streams, %s not billed at most", Count(int64(len(ec.Workflows)-n)), opts.money(rest)))
		}
		if ec.Note != "" {
			d.bullets([]string{ec.Note})
		}
	}
	d.heading("Reconciliation with logged costs")
	if len(rep.Reconciliation) == 0 {
		d.line("", "no difference above 1% between a logged cost (logged_cost_usd, LiteLLM spend) and costaudit's price")
	} else {
		g := newGrid(wrapped("workflow", 32), droppable(left("model"), 2), droppable(right("requests"), 1), right("logged"), right("costaudit"),
			right("difference"), right("%"), wrapped("likely cause", 40))
		n := opts.sectionLimit(len(rep.Reconciliation))
		for _, r := range rep.Reconciliation[:n] {
			g.add(r.Workflow, r.Provider+"/"+r.Model, Count(r.Requests), opts.money(r.LoggedCostUSD), opts.money(r.OurCostUSD),
				opts.money(r.DiffUSD), r.DiffPct.Round(1).StringFixed(1)+"%", r.LikelyCause)
		}
		d.table(g)
		rest := decimal.Zero
		for _, r := range rep.Reconciliation[n:] {
			rest = rest.Add(r.DiffUSD)
		}
		restLine(d, "differences", len(rep.Reconciliation)-n, rest, opts)
	}
	packingSection(d, rep.Packing) // policy.go: analyze --pack
	scenarioSections(d, rep.Scenarios, "quoted", opts)
	assumptionsSection(d, rep.Assumptions)
	pricebooksSection(d, rep.Pricebooks)
}

// verdictText answers the headline question in one line: how many
// workflows pay real-time prices for work nobody waits for, what they cost
// and what batch delivery would save, in the window and per month.
func verdictText(rep *report.Report, opts Options) string {
	var eligible int64
	save, cost := decimal.Zero, decimal.Zero
	classes := map[string]bool{}
	for _, w := range rep.Workflows {
		if w.WhatIf.Eligible && w.WhatIf.SavingsUSD.Sign() > 0 {
			// The sums of the rows as shown, so the headline adds up
			// with the table under it.
			eligible++
			save = save.Add(savingsShown(w.CostUSD, w.WhatIf.BatchCostUSD, int(opts.places())))
			cost = cost.Add(displayed(w.CostUSD, int(opts.places())))
			classes[w.Class] = true
		}
	}
	if eligible == 0 {
		return "no workflow has both evidence that nobody waits for it and a provider batch rule to move to: nothing to batch"
	}
	cl := sortedKeys(classes)
	sort.SliceStable(cl, func(i, j int) bool { return classOrder[cl[i]] < classOrder[cl[j]] })
	s := fmt.Sprintf("%s of %s %s (%s) pay %s at real-time prices for work nobody waits for; batch would save %s of it (%s of all spend)",
		Count(eligible), Count(int64(len(rep.Workflows))), plural(int64(len(rep.Workflows)), "workflow", "workflows"),
		strings.Join(cl, ", "), opts.money(cost), opts.money(save), Percent(save, rep.Totals.CostUSD))
	if p := rep.Projection; p.Basis != "" && p.MonthlySavingsUSD.Sign() > 0 {
		s += ", about " + opts.money(p.MonthlySavingsUSD) + "/month"
	}
	return s
}

func earlyCancelText(ec report.EarlyCancel, opts Options) string {
	if ec.CancelledStreams == 0 {
		return "no cancelled streams"
	}
	s := fmt.Sprintf("%s cancelled %s (%s with max_tokens), %s output tokens delivered; %s–%s tokens not generated, %s–%s not billed",
		Count(ec.CancelledStreams), plural(ec.CancelledStreams, "stream", "streams"), Count(ec.WithMaxTokens),
		Count(ec.DeliveredOutputTokens), Count(ec.NotGeneratedTokensMin), Count(ec.NotGeneratedTokensMax),
		opts.money(ec.SavedUSDMin), opts.money(ec.SavedUSDMax))
	if ec.Note != "" && len(ec.Workflows) == 0 {
		s += " (" + ec.Note + ")"
	}
	return s
}

// inventoryTable is the latency inventory: every workflow with all its
// evidence.
func inventoryTable(d *doc, rep *report.Report, opts Options) {
	d.heading("Latency inventory")
	g := newGrid(wrapped("workflow", 32), left("class"), droppable(left("confidence"), 1), droppable(right("requests"), 2), right("cost"),
		droppable(wrapped("models", 28), 3), wrapped("evidence", 64))
	n := opts.sectionLimit(len(rep.Workflows))
	for _, w := range rep.Workflows[:n] {
		g.add(w.Workflow, w.Class, w.Confidence, Count(w.Requests), opts.money(w.CostUSD),
			strings.Join(w.Models, ", "), evidenceLines(w.Evidence))
	}
	d.table(g)
	rest := decimal.Zero
	for _, w := range rep.Workflows[n:] {
		rest = rest.Add(w.CostUSD)
	}
	restLine(d, "workflows", len(rep.Workflows)-n, rest, opts)
}

// evidenceLines puts each evidence item on its own line of a cell, marked
// with "- " so that a wrapped item reads as one.
func evidenceLines(ev []string) string {
	if len(ev) == 1 {
		return ev[0]
	}
	lines := make([]string, len(ev))
	for i, e := range ev {
		lines[i] = "- " + e
	}
	return strings.Join(lines, "\n")
}

func byDayTable(d *doc, rep *report.Report, opts Options) {
	tz := rep.Window.TZ
	if tz == "" {
		tz = "UTC"
	}
	d.heading("Spend by day (" + tz + ")")
	classes := map[string]bool{}
	for _, r := range rep.ByDay {
		for k := range r.ByClass {
			classes[k] = true
		}
	}
	cl := sortedKeys(classes)
	sort.SliceStable(cl, func(i, j int) bool { return classOrder[cl[i]] < classOrder[cl[j]] })
	cols := []column{left("day"), right("requests"), right("cost")}
	for _, k := range cl {
		cols = append(cols, right(k))
	}
	g := newGrid(cols...)
	for _, r := range rep.ByDay {
		cells := []string{r.Day, Count(r.Requests), opts.money(r.CostUSD)}
		parts := make([]decimal.Decimal, len(cl))
		for i, k := range cl {
			parts[i] = r.ByClass[k]
		}
		for _, v := range apportion(parts, int(opts.places())) {
			cells = append(cells, opts.money(v))
		}
		g.add(cells...)
	}
	d.table(g)
}

func assumptionsSection(d *doc, as []report.Assumption) {
	if len(as) == 0 {
		return
	}
	d.heading("Assumptions")
	g := newGrid(left("assumption"), wrapped("value", 48), wrapped("source", 40))
	for _, a := range as {
		g.add(a.Key, a.Value, a.Source)
	}
	d.table(g)
}

func pricebooksSection(d *doc, books []report.Pricebook) {
	if len(books) == 0 {
		return
	}
	d.heading("Price books")
	g := newGrid(left("book"), wrapped("source", 56), left("sha256"))
	for _, b := range books {
		g.add(b.ID, b.Source, shortHash(b.SHA256))
	}
	d.table(g)
}

// shortHash is the first 12 hex digits of a sha256, enough to tell books
// apart on screen; JSON carries the whole hash.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func scenarioDoc(d *doc, rep *report.Report, opts Options) {
	switch rep.Kind {
	case "examples":
		d.title("costaudit examples · the seeds' worked examples, recomputed")
	default:
		d.title("costaudit simulate")
	}
	quoted := "quoted"
	if rep.Kind == "examples" {
		quoted = "seed says"
		d.line("", "“seed 000”, “seed 001”, … name the source documents the worked examples come from (examples/README.md lists them); “seed says” is the figure the document printed.")
	}
	scenarioSections(d, rep.Scenarios, quoted, opts)
	if len(rep.Notes) > 0 {
		d.heading("Notes")
		d.bullets(rep.Notes)
	}
	assumptionsSection(d, rep.Assumptions)
	pricebooksSection(d, rep.Pricebooks)
}

// scenarioSections renders what-if scenarios: each figure with the seed's
// quoted value and the note on why they differ beside it.
func scenarioSections(d *doc, scs []report.Scenario, quotedTitle string, opts Options) {
	for _, sc := range scs {
		title := sc.Title
		if title == "" {
			title = sc.Name
		}
		if sc.Name != "" && sc.Name != title {
			title += " [" + sc.Name + "]"
		}
		d.heading(title)
		quoted := false
		for _, f := range sc.Figures {
			if f.Quoted != "" || f.Note != "" {
				quoted = true
			}
		}
		if len(sc.Figures) > 0 {
			cols := []column{wrapped("figure", 48), right("value")}
			if quoted {
				cols = append(cols, right(quotedTitle), wrapped("note", 56))
			}
			g := newGrid(cols...)
			for _, f := range sc.Figures {
				label := f.Label
				if label == "" {
					label = f.Key
				}
				cells := []string{label, figureValue(f.Value, f.Unit, int(opts.places()))}
				if quoted {
					cells = append(cells, quotedValue(f.Quoted, f.Unit, int(opts.places())), f.Note)
				}
				g.add(cells...)
			}
			d.table(g)
		}
		for _, t := range sc.Tables {
			if t.Name != "" {
				d.caption(t.Name)
			}
			cols := make([]column, len(t.Columns))
			for i, c := range t.Columns {
				cols[i] = column{title: c, right: numericColumn(t, i), wrap: 48}
			}
			g := newGrid(cols...)
			for _, r := range t.Rows {
				g.add(r...)
			}
			d.table(g)
		}
		if len(sc.Assumptions) > 0 {
			g := newGrid(left("assumption"), wrapped("value", 48), wrapped("source", 40))
			for _, a := range sc.Assumptions {
				g.add(a.Key, a.Value, a.Source)
			}
			d.table(g)
		}
		d.bullets(sc.Notes)
	}
}

// numericColumn reports whether every non-empty cell of column i looks like
// a number (digits, separators, currency and percent signs).
func numericColumn(t report.Table, i int) bool {
	seen := false
	for _, r := range t.Rows {
		if i >= len(r) || r[i] == "" {
			continue
		}
		seen = true
		for _, ch := range r[i] {
			if !strings.ContainsRune("0123456789.,-+$%– ", ch) {
				return false
			}
		}
	}
	return seen
}

// inventoryDoc is costaudit classify: the latency inventory alone.
func inventoryDoc(d *doc, rep *report.Report, opts Options) {
	d.title("costaudit classify · " + windowText(rep.Window))
	d.line("coverage", coverageText(rep.Coverage))
	if len(rep.ByClass) > 0 {
		parts := make([]string, len(rep.ByClass))
		for i, r := range rep.ByClass {
			parts[i] = fmt.Sprintf("%s %s (%s requests)", r.Class, opts.money(r.CostUSD), Count(r.Requests))
		}
		d.line("classes", strings.Join(parts, " · "))
	}
	inventoryTable(d, rep, opts)
	if len(rep.Notes) > 0 {
		d.heading("Notes")
		d.bullets(rep.Notes)
	}
}
