package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

// RenderHTML writes rep as one self-contained HTML page: inline CSS, inline
// SVG charts, no script, no font, no image and no network reference (a
// Content-Security-Policy forbids them). Names from logs go through
// html/template escaping, so they are always shown as text. The same report
// gives the same bytes.
func RenderHTML(w io.Writer, rep *report.Report, opts Options) error {
	if rep == nil {
		return fmt.Errorf("render html: no report")
	}
	v := newHTMLView(rep, opts)
	var buf bytes.Buffer
	page := template.Must(htmlPage.Clone()).Funcs(template.FuncMap{"usd": v.usd,
		"savings": func(cost, newCost decimal.Decimal) decimal.Decimal { return savingsShown(cost, newCost, v.places) },
		"cell":    func(cols []string, i int, c string) string { return tableCell(cols, i, c, v.places) }})
	if err := page.Execute(&buf, v); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// htmlView is everything the page template shows, precomputed and sorted.
type htmlView struct {
	R            *report.Report
	Title        string
	Subtitle     string
	IsAnalyze    bool
	DayChart     htmlStackChart
	SavingsChart htmlBarChart
	ModelChart   htmlBarChart
	// The *Phone charts are the same drawings laid out for a narrow
	// screen; CSS shows one set or the other.
	DayChartPhone     htmlStackChart
	SavingsChartPhone htmlBarChart
	ModelChartPhone   htmlBarChart
	Coverage          []htmlKV
	Rejected          []htmlKV
	Unpriced          []htmlKV
	Formats           []htmlKV
	Classes           []htmlShareRow
	Models            []htmlShareRow
	Modes             []htmlShareRow
	Groups            []htmlGroupSet
	Workflows         []htmlWorkflow
	Scenarios         []htmlScenario
	Cards             []htmlKV
	// Headline is the one-sentence answer (the terminal's verdict).
	Headline string
	// Opps are the ranked opportunities the page shows (--top of them),
	// OppMore how many more the report holds, Rules the batch rules their
	// reasons refer to (stated once), Legend the meaning of the sources'
	// verification marks.
	Opps     []htmlOpp
	OppMore  int
	OppTotal htmlOpp
	Rules    []htmlKV
	Legend   string
	Staying  []report.Workflow
	// Rounding explains how displayed money adds up.
	Rounding string
	// Summary is the examples/simulate overview: one row per figure that
	// carries a quote, with how far the computed value is from it.
	Summary           []htmlSummaryRow
	SummaryChart      htmlBarChart
	SummaryChartPhone htmlBarChart
	Matches           int
	Differs           int
	// SeedLegend explains "seed NNN" in scenario sources.
	SeedLegend string
	// ScenarioAssumptions is true when the scenarios list their own
	// assumptions, so the page-level section is left out when empty.
	ScenarioAssumptions bool
	places              int
}

// htmlOpp is one opportunity row as displayed: money already rounded so
// that cost − new cost = savings on the page.
type htmlOpp struct {
	Rank     int
	Workflow string
	Lever    string
	Class    string
	Cost     string
	NewCost  string
	Savings  string
	Monthly  string
	Why      string
	Rule     string
}

// htmlSummaryRow is one quoted figure of a worked example.
type htmlSummaryRow struct {
	Scenario string
	Anchor   string
	Label    string
	Computed string
	Quoted   string
	Diff     string
	Status   string
}

// usd formats money with the options' decimal places.
func (v *htmlView) usd(d decimal.Decimal) string { return USD(d, v.places) }

// htmlKV is a labelled value (already formatted).
type htmlKV struct {
	Key   string
	Value string
	Note  string
}

// htmlShareRow is a spend row with its share of the total.
type htmlShareRow struct {
	Name     string
	Requests int64
	Cost     decimal.Decimal
	Share    string
	Color    string
}

// htmlGroupSet is the spend of every value of one --group-by key.
type htmlGroupSet struct {
	Key  string
	Rows []htmlGroupRow
}

type htmlGroupRow struct {
	Value    string
	Requests int64
	Cost     decimal.Decimal
	Savings  decimal.Decimal
	Share    string
}

type htmlWorkflow struct {
	report.Workflow
	Color string
}

type htmlScenario struct {
	report.Scenario
	Anchor  string
	Figures []htmlFigure
}

// htmlFigure is a scenario figure with its quoted-versus-computed status.
type htmlFigure struct {
	report.Figure
	Computed string
	Quoted   string
	Status   string // "", "matches" or "differs"
}

func init() { Register("html", RenderHTML) }

func newHTMLView(rep *report.Report, opts Options) *htmlView {
	v := &htmlView{R: rep, IsAnalyze: rep.Kind == "analyze" || rep.Kind == "", places: int(opts.places())}
	htmlUSD := v.usd
	switch rep.Kind {
	case "examples":
		v.Title = "costaudit — worked examples"
		v.Subtitle = "The figures of the seed documents recomputed exactly; each quoted figure shown beside the computed one."
	case "simulate":
		v.Title = "costaudit — simulation"
		v.Subtitle = "What-if scenarios with their assumptions."
	default:
		v.Title = "costaudit — LLM spend audit"
		if rep.Window.Start != "" {
			v.Subtitle = fmt.Sprintf("%s to %s · %s of data · days in %s", humanTime(rep.Window.Start), humanTime(rep.Window.End), humanDays(rep.Window.Days), htmlOr(rep.Window.TZ, "UTC"))
		} else {
			v.Subtitle = "No priced records in the window."
		}
	}
	if v.IsAnalyze {
		total := rep.Totals.CostUSD
		v.Cards = []htmlKV{
			{Key: "Monthly savings", Value: htmlUSD(rep.Projection.MonthlySavingsUSD), Note: Percent(rep.Projection.MonthlySavingsUSD, rep.Projection.MonthlyCostUSD) + " of projected spend"},
			{Key: "Savings in window", Value: htmlUSD(rep.Projection.WindowSavingsUSD), Note: Count(int64(len(rep.Opportunities))) + " ranked " + plural(int64(len(rep.Opportunities)), "opportunity", "opportunities")},
			{Key: "Spend in window", Value: htmlUSD(total), Note: Count(rep.Totals.Requests) + " priced requests"},
			{Key: "Monthly projection", Value: htmlUSD(rep.Projection.MonthlyCostUSD), Note: projectionText(rep)},
		}
		if len(rep.Workflows) > 0 {
			v.Headline = verdictText(rep, opts)
		}
		v.Rounding = RoundingNote
		why, label, rules := batchRules(rep.Opportunities)
		n := opts.topN(len(rep.Opportunities))
		v.OppMore = len(rep.Opportunities) - n
		cost, newCost, save, monthly := decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
		shownMonthly := monthlyShown(rep.Opportunities, v.places)
		for i, o := range rep.Opportunities {
			c, nc := displayed(o.CostUSD, v.places), displayed(o.NewCostUSD, v.places)
			cost, newCost, save, monthly = cost.Add(c), newCost.Add(nc), save.Add(c.Sub(nc)), monthly.Add(shownMonthly[i])
			if i >= n {
				continue
			}
			v.Opps = append(v.Opps, htmlOpp{Rank: o.Rank, Workflow: o.Workflow, Lever: o.Lever, Class: o.Class,
				Cost: htmlUSD(c), NewCost: htmlUSD(nc), Savings: htmlUSD(c.Sub(nc)), Monthly: htmlUSD(shownMonthly[i]),
				Why: why[i], Rule: label[i]})
		}
		v.OppTotal = htmlOpp{Cost: htmlUSD(cost), NewCost: htmlUSD(newCost), Savings: htmlUSD(save), Monthly: htmlUSD(monthly)}
		if len(rep.Opportunities) > 0 {
			// The card shows the savings column's total, so the page
			// agrees with itself (see RoundingNote).
			v.Cards[1].Value = htmlUSD(save)
		}
		for i, r := range rules {
			v.Rules = append(v.Rules, htmlKV{Key: ruleLabel(i), Value: r})
		}
		v.Legend = sourceLegend(rules...)
		_, v.Staying = splitWorkflows(rep.Workflows)
		c := rep.Coverage
		v.Coverage = []htmlKV{
			{Key: "Files", Value: Count(int64(c.Files))},
			{Key: "Input lines", Value: Count(c.Lines), Note: "records + duplicates + rejected + skipped"},
			{Key: "Records", Value: Count(c.Records), Note: "priced + unbilled + unpriced"},
			{Key: "Priced", Value: Count(c.Priced)},
			{Key: "Unbilled", Value: Count(c.Unbilled), Note: "results the provider does not bill"},
			{Key: "Unpriced", Value: Count(c.Unpriced), Note: "no price book prices the model, its mode or its date; never counted as $0"},
			{Key: "Duplicates", Value: Count(c.Duplicates)},
			{Key: "Rejected", Value: Count(c.Rejected)},
			{Key: "Skipped", Value: Count(c.Skipped), Note: "valid lines that hold no request"},
			{Key: "Filtered", Value: Count(c.Filtered), Note: "records outside --since/--until"},
		}
		if c.ConflictingDuplicates > 0 {
			v.Coverage = append(v.Coverage, htmlKV{Key: "Conflicting duplicates", Value: Count(c.ConflictingDuplicates), Note: "copies that disagree with the kept one on workflow, model or status, e.g. " + c.ConflictExample})
		}
		if c.FileDated > 0 {
			note := "no timestamp in the log: dated by the file's modification time, left out of the window and the cadence"
			if c.FileTimesUsed {
				note = "no timestamp in the log: dated by the file's modification time (--file-times)"
			}
			v.Coverage = append(v.Coverage, htmlKV{Key: "Undated", Value: Count(c.FileDated), Note: note})
		}
		v.Rejected = htmlCounts(c.RejectedByReason)
		v.Unpriced = htmlCounts(c.UnpricedModels)
		v.Formats = htmlCounts(c.Formats)
		parts := func(n int, at func(int) decimal.Decimal) []decimal.Decimal {
			out := make([]decimal.Decimal, n)
			for i := range out {
				out[i] = at(i)
			}
			return apportion(out, v.places)
		}
		shown := parts(len(rep.ByClass), func(i int) decimal.Decimal { return rep.ByClass[i].CostUSD })
		for i, r := range rep.ByClass {
			v.Classes = append(v.Classes, htmlShareRow{Name: r.Class, Requests: r.Requests, Cost: shown[i], Share: Percent(r.CostUSD, total), Color: htmlClassColor(r.Class)})
		}
		shown = parts(len(rep.ByModel), func(i int) decimal.Decimal { return rep.ByModel[i].CostUSD })
		for i, r := range rep.ByModel {
			v.Models = append(v.Models, htmlShareRow{Name: r.Provider + "/" + r.Model, Requests: r.Requests, Cost: shown[i], Share: Percent(r.CostUSD, total)})
		}
		shown = parts(len(rep.ByMode), func(i int) decimal.Decimal { return rep.ByMode[i].CostUSD })
		for i, r := range rep.ByMode {
			v.Modes = append(v.Modes, htmlShareRow{Name: r.Mode, Requests: r.Requests, Cost: shown[i], Share: Percent(r.CostUSD, total)})
		}
		v.DayChart = htmlDayChart(rep.ByDay, htmlUSD, 960)
		v.SavingsChart = htmlSavingsChart(rep.Workflows, opts.topN(len(rep.Workflows)), v.places, htmlUSD, 960)
		v.ModelChart = htmlModelChart(rep.ByModel, htmlUSD, 960)
		v.DayChartPhone = htmlDayChart(rep.ByDay, htmlUSD, 400)
		v.SavingsChartPhone = htmlSavingsChart(rep.Workflows, opts.topN(len(rep.Workflows)), v.places, htmlUSD, 400)
		v.ModelChartPhone = htmlModelChart(rep.ByModel, htmlUSD, 400)
		for _, w := range rep.Workflows {
			v.Workflows = append(v.Workflows, htmlWorkflow{Workflow: w, Color: htmlClassColor(w.Class)})
		}
	}
	sets := map[string]int{}
	for _, g := range rep.Groups {
		i, ok := sets[g.Key]
		if !ok {
			i = len(v.Groups)
			sets[g.Key] = i
			v.Groups = append(v.Groups, htmlGroupSet{Key: g.Key})
		}
		v.Groups[i].Rows = append(v.Groups[i].Rows, htmlGroupRow{Value: g.Value, Requests: g.Requests, Cost: g.CostUSD, Savings: g.SavingsUSD, Share: Percent(g.CostUSD, rep.Totals.CostUSD)})
	}
	var chart []htmlBarItem
	for si, s := range rep.Scenarios {
		hs := htmlScenario{Scenario: s, Anchor: fmt.Sprintf("scenario-%d", si+1)}
		if len(s.Assumptions) > 0 {
			v.ScenarioAssumptions = true
		}
		title := htmlOr(s.Title, s.Name)
		for _, f := range s.Figures {
			st := htmlQuoteStatus(f.Value, f.Quoted)
			hf := htmlFigure{Figure: f, Computed: figureValue(f.Value, f.Unit, v.places), Quoted: quotedValue(f.Quoted, f.Unit, v.places), Status: st}
			hs.Figures = append(hs.Figures, hf)
			if strings.TrimSpace(f.Quoted) == "" {
				continue
			}
			row := htmlSummaryRow{Scenario: title, Anchor: hs.Anchor, Label: htmlOr(f.Label, f.Key), Computed: hf.Computed, Quoted: hf.Quoted, Status: st}
			switch st {
			case "matches":
				v.Matches++
			case "differs":
				v.Differs++
				row.Diff = htmlQuoteDiff(f.Value, f.Quoted, f.Unit, v.places)
			}
			v.Summary = append(v.Summary, row)
			// The chart pairs the seed's figure with the computed one,
			// each pair scaled to its larger bar, for money quoted as one
			// number.
			val, err := decimal.NewFromString(f.Value)
			lo, hi, _, ok := htmlParseQuote(f.Quoted)
			if err == nil && ok && lo.Equal(hi) && (f.Unit == "USD" || strings.HasPrefix(f.Unit, "USD/")) && val.Sign() > 0 && lo.Sign() > 0 {
				scale := decimal.Max(val, lo)
				name := htmlClip(title, 40)
				chart = append(chart,
					htmlBarItem{Label: name + " · seed", Value: lo, Color: "#9aa3ae", Scale: scale},
					htmlBarItem{Label: "computed", Value: val, Color: htmlStatusColor(st), Scale: scale})
			}
		}
		v.Scenarios = append(v.Scenarios, hs)
	}
	if len(chart) > 0 {
		v.SummaryChart = htmlHBarChart(chart, 32, v.usd, 960)
		v.SummaryChartPhone = htmlHBarChart(chart, 32, v.usd, 400)
	}
	for _, s := range rep.Scenarios {
		if htmlMentionsSeed(s) {
			v.SeedLegend = "“seed 000”, “seed 001”, … name the source documents the worked examples come from (examples/README.md lists them); a figure the seed printed is its “quoted” value."
			break
		}
	}
	return v
}

// htmlStatusColor colours a worked example's bar by its check.
func htmlStatusColor(status string) string {
	switch status {
	case "matches":
		return "#1a7f37"
	case "differs":
		return "#b42318"
	}
	return "#4c6a92"
}

// htmlMentionsSeed reports whether a scenario's text names a seed document.
func htmlMentionsSeed(s report.Scenario) bool {
	texts := append([]string{s.Title, s.Name}, s.Notes...)
	for _, a := range s.Assumptions {
		texts = append(texts, a.Source)
	}
	for _, f := range s.Figures {
		texts = append(texts, f.Note)
	}
	for _, t := range texts {
		if strings.Contains(strings.ToLower(t), "seed 0") {
			return true
		}
	}
	return false
}

// htmlQuoteDiff is how far a computed figure is from the seed's quote:
// "+$81.25 (+65.0%)", or "" when the quote is not a plain number.
func htmlQuoteDiff(value, quoted, unit string, places int) string {
	val, err := decimal.NewFromString(value)
	if err != nil {
		return ""
	}
	lo, hi, _, ok := htmlParseQuote(quoted)
	if !ok || !lo.Equal(hi) {
		return ""
	}
	d := val.Sub(lo)
	sign := "+"
	if d.Sign() < 0 {
		sign = "−"
	}
	abs := figureValue(d.Abs().String(), unit, places)
	if lo.Sign() == 0 {
		return sign + abs
	}
	return sign + abs + " (" + sign + d.Abs().Mul(decimal.NewFromInt(100)).DivRound(lo.Abs(), 1).StringFixed(1) + "%)"
}

// htmlCounts sorts a count map by count descending, then key.
func htmlCounts(m map[string]int64) []htmlKV {
	keys := SortedByCount(m)
	out := make([]htmlKV, len(keys))
	for i, k := range keys {
		out[i] = htmlKV{Key: k, Value: Count(m[k])}
	}
	return out
}

func htmlOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// htmlQuoteStatus compares a computed figure with a seed's quoted one:
// "matches" when the computed value, rounded to the quote's precision,
// equals the quote or lies within a quoted range ("~70–80%"); "differs"
// when it does not; "note" when the quote is not a number ("batch saves
// most") and only the figure's note can answer it.
func htmlQuoteStatus(value, quoted string) string {
	if strings.TrimSpace(quoted) == "" {
		return ""
	}
	val, err := decimal.NewFromString(value)
	if err != nil {
		return "note"
	}
	lo, hi, places, ok := htmlParseQuote(quoted)
	if !ok {
		return "note"
	}
	r := val.Round(places)
	if r.GreaterThanOrEqual(lo) && r.LessThanOrEqual(hi) {
		return "matches"
	}
	return "differs"
}

// htmlQuoteRe reads a quoted figure: an optional "~" or "≈", "$", a number
// with thousands separators and a K or M suffix, optionally a range to a
// second number; any text after it ("/month", "% off") is ignored.
var htmlQuoteRe = regexp.MustCompile(`^[~≈]?\s*\$?([0-9][0-9,]*(?:\.[0-9]+)?)([KkM]?)(?:\s*[–-]\s*\$?([0-9][0-9,]*(?:\.[0-9]+)?)([KkM]?))?`)

// htmlParseQuote returns the quoted range (lo = hi for one number) and the
// number of decimal places the quote was given to.
func htmlParseQuote(s string) (lo, hi decimal.Decimal, places int32, ok bool) {
	m := htmlQuoteRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return decimal.Zero, decimal.Zero, 0, false
	}
	num := func(n, suffix string) (decimal.Decimal, int32, bool) {
		n = strings.ReplaceAll(n, ",", "")
		d, err := decimal.NewFromString(n)
		if err != nil {
			return decimal.Zero, 0, false
		}
		p := int32(0)
		if _, frac, ok := strings.Cut(n, "."); ok {
			p = int32(len(frac))
		}
		switch suffix {
		case "K", "k":
			return d.Shift(3), p - 3, true
		case "M":
			return d.Shift(6), p - 6, true
		}
		return d, p, true
	}
	lo, places, ok = num(m[1], m[2])
	if !ok {
		return decimal.Zero, decimal.Zero, 0, false
	}
	hi = lo
	if m[3] != "" {
		suffix := m[4]
		if suffix == "" {
			suffix = m[2]
		}
		h, p2, ok2 := num(m[3], suffix)
		if !ok2 {
			return decimal.Zero, decimal.Zero, 0, false
		}
		if p2 > places {
			places = p2
		}
		if m[4] == "" && m[2] != "" {
			// "~1–2K": the suffix applies to both ends.
			lo, _, _ = num(m[1], m[2])
		}
		hi = h
		if hi.LessThan(lo) {
			lo, hi = hi, lo
		}
	}
	return lo, hi, places, true
}

var htmlFuncs = template.FuncMap{
	"cell": func(cols []string, i int, c string) string { return tableCell(cols, i, c, 2) },
	"usd":  func(d decimal.Decimal) string { return USD(d, 2) },
	"int":  Count,
	"join": strings.Join,
	"names": func(ss []string) string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = s
			if s == "" {
				out[i] = "(none)"
			}
		}
		return strings.Join(out, ", ")
	},
	"exact": func(d decimal.Decimal) string {
		return d.String()
	},
	"share":   Percent,
	"whyNot":  whyNot,
	"savings": func(cost, newCost decimal.Decimal) decimal.Decimal { return savingsShown(cost, newCost, 2) },
	"pct":     func(d decimal.Decimal) string { return d.Round(1).StringFixed(1) + "%" },
	"add":     func(a, b int) int { return a + b },
	"sub":     func(a, b int) int { return a - b },
	"status": func(s string) template.HTML {
		switch s {
		case "matches":
			return `<span class="ok">matches</span>`
		case "differs":
			return `<span class="bad">differs</span>`
		case "note":
			return `<span class="muted">see note</span>`
		}
		return ""
	},
	"yesno": func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	},
	"orDash": func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	},
	"groupValue": func(s string) string {
		if s == "" {
			return "(none)"
		}
		return s
	},
}

var htmlPage = template.Must(template.New("page").Funcs(htmlFuncs).Parse(htmlTemplate))
