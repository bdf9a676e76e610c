package render

import (
	"html/template"
	"strconv"

	"github.com/costaudit/costaudit/report"
)

// The batch packer's section of the HTML report (costaudit analyze
// --pack): for each batch-eligible workflow a table of the submission
// intervals and a scatter chart of monthly saving against the p95 added
// wait, with flex at zero queue where a book prices it. The page template
// includes it with {{template "packing" .}}.

func init() {
	template.Must(htmlPage.New("packing").Funcs(template.FuncMap{"packChart": htmlPackChart, "packUSD": packUSD, "packPct": pctText}).Parse(htmlPackingTemplate))
}

// packUSD formats an exact decimal string as money for the page.
func packUSD(s string) string {
	d, ok := parseDec(s)
	if !ok {
		return s
	}
	return USD(d, 2)
}

// htmlPackPlot is the scatter chart of the packer section.
type htmlPackPlot struct {
	Width, Height  string
	X0, X1, Y0, Y1 string // plot edges
	XTicks, YTicks []htmlPackTick
	Points         []htmlPackPoint
	Legend         []htmlLegend
	XLabelX        string
	XLabelY        string
	Empty          bool
}

type htmlPackTick struct {
	X, Y  string // tick position (x for XTicks, y for YTicks)
	TX    string // label position
	TY    string
	Label string
}

type htmlPackPoint struct {
	X, Y   string
	LX, LY string // label position
	Label  string
	Color  string
	Flex   bool
	Title  string
}

// htmlPackColors are the series colours (Okabe–Ito, colour-blind safe).
var htmlPackColors = []string{"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"}

// htmlPackChart lays out the packer's rows as points: x the p95 added wait
// in hours, y the monthly saving on time.
func htmlPackChart(p *report.Packing) htmlPackPlot {
	const w, h, left, right, top, bottom = 640.0, 300.0, 64.0, 16.0, 12.0, 58.0
	out := htmlPackPlot{Width: htmlSVGNum(w), Height: htmlSVGNum(h)}
	type pt struct {
		x, y  float64
		label string
		color string
		flex  bool
		title string
	}
	var pts []pt
	maxX, maxY := 0.0, 0.0
	for i, t := range p.Workflows {
		color := htmlPackColors[i%len(htmlPackColors)]
		out.Legend = append(out.Legend, htmlLegend{Color: color, Label: t.Workflow})
		for _, r := range t.Rows {
			x := packFloat(r.WaitP95Hours)
			y := packFloat(r.MonthlySavingsUSD)
			pts = append(pts, pt{x, y, strconv.Itoa(r.EveryHours) + " h", color, false,
				t.Workflow + ": submit every " + strconv.Itoa(r.EveryHours) + " h, " + packUSD(r.MonthlySavingsUSD) + " a month, p95 added wait " + r.WaitP95Hours + " h"})
			maxX, maxY = max(maxX, x), max(maxY, y)
		}
		if t.FlexMonthlySavingsUSD != "" {
			y := packFloat(t.FlexMonthlySavingsUSD)
			pts = append(pts, pt{0, y, "flex", color, true, t.Workflow + ": flex, " + packUSD(t.FlexMonthlySavingsUSD) + " a month, no queue (wait not simulated)"})
			maxY = max(maxY, y)
		}
	}
	if len(pts) == 0 {
		out.Empty = true
		return out
	}
	xs, ys := htmlNiceStep(max(maxX, 1), 6), htmlNiceStep(max(maxY, 0.01), 5)
	xMax, yMax := xs*float64(int(maxX/xs)+1), ys*float64(int(maxY/ys)+1)
	px := func(x float64) float64 { return left + (w-left-right)*x/xMax }
	py := func(y float64) float64 { return h - bottom - (h-top-bottom)*y/yMax }
	out.X0, out.X1, out.Y0, out.Y1 = htmlSVGNum(left), htmlSVGNum(w-right), htmlSVGNum(h-bottom), htmlSVGNum(top)
	for v := 0.0; v <= xMax+xs/2; v += xs {
		out.XTicks = append(out.XTicks, htmlPackTick{X: htmlSVGNum(px(v)), TX: htmlSVGNum(px(v)), TY: htmlSVGNum(h - bottom + 14), Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	for v := 0.0; v <= yMax+ys/2; v += ys {
		out.YTicks = append(out.YTicks, htmlPackTick{Y: htmlSVGNum(py(v)), TX: htmlSVGNum(left - 6), TY: htmlSVGNum(py(v) + 4), Label: htmlAxisUSD(v, ys)})
	}
	out.XLabelX, out.XLabelY = htmlSVGNum((left+w-right)/2), htmlSVGNum(h-bottom+30)
	for _, p := range pts {
		x, y := px(p.x), py(p.y)
		out.Points = append(out.Points, htmlPackPoint{X: htmlSVGNum(x), Y: htmlSVGNum(y), LX: htmlSVGNum(x + 6), LY: htmlSVGNum(y - 6),
			Label: p.label, Color: p.color, Flex: p.flex, Title: p.title})
	}
	lx := left
	for i := range out.Legend {
		l := &out.Legend[i]
		l.X, l.Y = htmlSVGNum(lx), htmlSVGNum(h-12)
		l.TextX, l.TextY = htmlSVGNum(lx+14), htmlSVGNum(h-3)
		lx += 24 + 7*float64(len([]rune(l.Label)))
	}
	return out
}

func packFloat(s string) float64 {
	d, ok := parseDec(s)
	if !ok {
		return 0
	}
	return d.InexactFloat64()
}

const htmlPackingTemplate = `
{{- with .R.Packing}}
<section id="packing">
<h2>Batch packer</h2>
<p class="note">Each batch-eligible workflow's logged arrivals replayed through a queue that submits every N hours, or earlier when a provider's per-job limit fills. Monte Carlo: {{.MonteCarlo}}.{{if .DeadlineHours}} A request later than the {{.DeadlineHours}} h deadline is sent again at the real-time price and saves nothing.{{end}}</p>
{{- with packChart .}}{{$c := .}}{{if not .Empty}}
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img">
<title>Monthly saving against the p95 added wait</title>
<line x1="{{.X0}}" y1="{{.Y0}}" x2="{{.X1}}" y2="{{.Y0}}" stroke="#5b6675"/>
<line x1="{{.X0}}" y1="{{.Y0}}" x2="{{.X0}}" y2="{{.Y1}}" stroke="#5b6675"/>
{{- range .XTicks}}
<text x="{{.TX}}" y="{{.TY}}" text-anchor="middle" font-size="11">{{.Label}}</text>
{{- end}}
{{- range .YTicks}}
<line x1="{{$c.X0}}" y1="{{.Y}}" x2="{{$c.X1}}" y2="{{.Y}}" stroke="#d9dee5"/>
<text x="{{.TX}}" y="{{.TY}}" text-anchor="end" font-size="11">{{.Label}}</text>
{{- end}}
<text x="{{.XLabelX}}" y="{{.XLabelY}}" text-anchor="middle" font-size="12">p95 added wait (hours)</text>
{{- range .Points}}
<g><title>{{.Title}}</title>
{{- if .Flex}}<rect x="{{.X}}" y="{{.Y}}" width="8" height="8" transform="translate(-4 -4)" fill="{{.Color}}"/>{{else}}<circle cx="{{.X}}" cy="{{.Y}}" r="4" fill="{{.Color}}"/>{{end}}
<text x="{{.LX}}" y="{{.LY}}" font-size="11">{{.Label}}</text></g>
{{- end}}
{{- range .Legend}}
<rect x="{{.X}}" y="{{.Y}}" width="10" height="10" fill="{{.Color}}"/><text x="{{.TextX}}" y="{{.TextY}}" font-size="11">{{.Label}}</text>
{{- end}}
</svg>
{{- end}}{{end}}
{{- range .Workflows}}
<h3>{{.Workflow}}</h3>
<p class="muted">{{int .Requests}} requests · limits: {{.Limit}} · all batched: {{packUSD .FullSavingsUSD}} in the window</p>
<table><thead><tr><th class="n">Every</th><th class="n">Saving / month</th><th class="n">Wait p50 h</th><th class="n">p95 h</th><th class="n">Worst h</th><th class="n">Jobs / day</th><th class="n">Missed deadline</th><th></th></tr></thead><tbody>
{{- range .Rows}}
<tr><td class="n">{{.EveryHours}} h</td><td class="n">{{packUSD .MonthlySavingsUSD}}</td><td class="n">{{.WaitP50Hours}}</td><td class="n">{{.WaitP95Hours}}</td><td class="n">{{.WaitWorstHours}}</td><td class="n">{{.JobsPerDay}}</td><td class="n">{{packPct .MissShare}}</td><td>{{if .Chosen}}best batch{{end}}</td></tr>
{{- end}}
{{- if .FlexMonthlySavingsUSD}}
<tr><td class="n">flex</td><td class="n">{{packUSD .FlexMonthlySavingsUSD}}</td><td colspan="6" class="muted">no queue: synchronous, slower, may be refused for capacity (wait not simulated)</td></tr>
{{- end}}
</tbody></table>
{{- end}}
</section>
{{- end}}`
