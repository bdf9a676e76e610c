package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"sort"
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
	page := template.Must(htmlPage.Clone()).Funcs(template.FuncMap{"usd": v.usd})
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
	Coverage     []htmlKV
	Rejected     []htmlKV
	Unpriced     []htmlKV
	Formats      []htmlKV
	Classes      []htmlShareRow
	Models       []htmlShareRow
	Modes        []htmlShareRow
	Groups       []htmlGroupSet
	Workflows    []htmlWorkflow
	Scenarios    []htmlScenario
	Cards        []htmlKV
	places       int
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
	Figures []htmlFigure
}

// htmlFigure is a scenario figure with its quoted-versus-computed status.
type htmlFigure struct {
	report.Figure
	Computed string
	Status   string // "", "matches" or "differs"
}

func init() { Register("html", RenderHTML) }

func newHTMLView(rep *report.Report, opts Options) *htmlView {
	v := &htmlView{R: rep, IsAnalyze: rep.Kind == "analyze" || rep.Kind == "", places: int(opts.places())}
	htmlUSD := v.usd
	switch rep.Kind {
	case "examples":
		v.Title = "costaudit — worked examples"
		v.Subtitle = "The seeds' figures recomputed; quoted figures shown beside the computed ones."
	case "simulate":
		v.Title = "costaudit — simulation"
		v.Subtitle = "What-if scenarios with their assumptions."
	default:
		v.Title = "costaudit — LLM spend audit"
		if rep.Window.Start != "" {
			v.Subtitle = fmt.Sprintf("%s to %s (%s days, %s)", rep.Window.Start, rep.Window.End, rep.Window.Days.String(), htmlOr(rep.Window.TZ, "UTC"))
		} else {
			v.Subtitle = "No priced records in the window."
		}
	}
	if v.IsAnalyze {
		total := rep.Totals.CostUSD
		v.Cards = []htmlKV{
			{Key: "Spend in window", Value: htmlUSD(total), Note: Count(rep.Totals.Requests) + " priced requests"},
			{Key: "Monthly projection", Value: htmlUSD(rep.Projection.MonthlyCostUSD), Note: rep.Projection.Basis},
			{Key: "Savings in window", Value: htmlUSD(rep.Projection.WindowSavingsUSD), Note: "ranked opportunities"},
			{Key: "Monthly savings", Value: htmlUSD(rep.Projection.MonthlySavingsUSD), Note: Percent(rep.Projection.MonthlySavingsUSD, rep.Projection.MonthlyCostUSD) + " of projected spend"},
		}
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
		for _, r := range rep.ByClass {
			v.Classes = append(v.Classes, htmlShareRow{Name: r.Class, Requests: r.Requests, Cost: r.CostUSD, Share: Percent(r.CostUSD, total), Color: htmlClassColor(r.Class)})
		}
		for _, r := range rep.ByModel {
			v.Models = append(v.Models, htmlShareRow{Name: r.Provider + "/" + r.Model, Requests: r.Requests, Cost: r.CostUSD, Share: Percent(r.CostUSD, total)})
		}
		for _, r := range rep.ByMode {
			v.Modes = append(v.Modes, htmlShareRow{Name: r.Mode, Requests: r.Requests, Cost: r.CostUSD, Share: Percent(r.CostUSD, total)})
		}
		v.DayChart = htmlDayChart(rep.ByDay, htmlUSD)
		v.SavingsChart = htmlSavingsChart(rep.Workflows, htmlUSD)
		v.ModelChart = htmlModelChart(rep.ByModel, htmlUSD)
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
	for _, s := range rep.Scenarios {
		hs := htmlScenario{Scenario: s}
		for _, f := range s.Figures {
			hs.Figures = append(hs.Figures, htmlFigure{Figure: f, Computed: htmlFigureValue(f.Value), Status: htmlQuoteStatus(f.Value, f.Quoted)})
		}
		v.Scenarios = append(v.Scenarios, hs)
	}
	return v
}

// htmlCounts sorts a count map by count descending, then key.
func htmlCounts(m map[string]int64) []htmlKV {
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

// htmlFigureValue groups the integer digits of an exact decimal figure and
// leaves any other text as it is.
func htmlFigureValue(v string) string {
	if _, err := decimal.NewFromString(v); err != nil {
		return v
	}
	sign := ""
	if strings.HasPrefix(v, "-") {
		sign, v = "-", v[1:]
	}
	intPart, frac, ok := strings.Cut(v, ".")
	if ok {
		return sign + groupThousands(intPart) + "." + frac
	}
	return sign + groupThousands(intPart)
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
	"share": Percent,
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
