package render

import (
	"sort"
	"strconv"
	"time"

	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

// The charts of the HTML report are inline SVG laid out here in Go, so the
// file needs no script, font or network. Geometry is float64 (it is drawing,
// not money) formatted with one decimal, so the same report always gives the
// same bytes.

// htmlClassOrder is the order latency classes stack in, bottom up.
var htmlClassOrder = []string{"realtime", "near-realtime", "scheduled"}

// htmlClassColors are the fills of the latency classes; unknown classes get
// htmlOtherColor.
var htmlClassColors = map[string]string{
	"realtime":      "#c0392b",
	"near-realtime": "#e69f00",
	"scheduled":     "#0072b2",
}

const htmlOtherColor = "#7f7f7f"

// htmlSVGNum formats a coordinate with one decimal, dropping a trailing ".0".
func htmlSVGNum(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// htmlStackChart is a vertical bar chart of days with one segment per class.
type htmlStackChart struct {
	Width, Height string
	Bars          []htmlStackBar
	Ticks         []htmlTick
	Legend        []htmlLegend
	AxisX0        string // left edge of the plot
	AxisX1        string // right edge of the plot
	AxisY         string // baseline
	Empty         bool
}

type htmlStackBar struct {
	X, W     string
	Segments []htmlSegment
	Label    string // day, shown for every k-th bar
	LabelX   string
	LabelY   string
	Title    string
}

type htmlSegment struct {
	Y, H  string
	Color string
	Title string
}

type htmlTick struct {
	Y     string
	Label string
}

type htmlLegend struct {
	X, Y  string
	TextX string
	TextY string
	Color string
	Label string
}

// htmlBarChart is a horizontal bar chart of labelled values.
type htmlBarChart struct {
	Width, Height string
	Rows          []htmlBarRow
	LabelX        string
	Empty         bool
	More          int // rows left out beyond the chart's limit
}

type htmlBarRow struct {
	Y, H, X, W     string
	TextY          string
	Label          string
	Value          string
	ValueX         string
	Color          string
	Title          string
	ValueAnchorEnd bool
}

// htmlNiceStep returns a round step (1, 2 or 5 × 10^k) near max/n.
func htmlNiceStep(max float64, n int) float64 {
	if max <= 0 {
		return 1
	}
	raw := max / float64(n)
	p := 1.0
	for p*10 <= raw {
		p *= 10
	}
	for p > raw {
		p /= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if p*m >= raw {
			return p * m
		}
	}
	return p * 10
}

// htmlClassesOf lists the classes of the report's days: the known ones in
// stacking order, then any other in name order.
func htmlClassesOf(days []report.DayRow) []string {
	seen := map[string]bool{}
	for _, d := range days {
		for c := range d.ByClass {
			seen[c] = true
		}
	}
	var out []string
	for _, c := range htmlClassOrder {
		if seen[c] {
			out = append(out, c)
			delete(seen, c)
		}
	}
	var rest []string
	for c := range seen {
		rest = append(rest, c)
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func htmlClassColor(c string) string {
	if col, ok := htmlClassColors[c]; ok {
		return col
	}
	return htmlOtherColor
}

// htmlDayChart lays out spend per day stacked by latency class. Days with
// no class split show as one grey segment.
// width is the drawing's width in SVG units: 960 for a desktop page, about
// 400 for a phone, where the drawing is shown at its own size so its text
// stays readable.
func htmlDayChart(days []report.DayRow, usd func(decimal.Decimal) string, width float64) htmlStackChart {
	const (
		height = 300.0
		left   = 70.0
		right  = 10.0
		top    = 34.0
		bottom = 40.0
		// labelW is the room one day label needs ("30 Nov" at 12 px,
		// with a gap), so labels never overlap.
		labelW = 64.0
	)
	ch := htmlStackChart{Width: htmlSVGNum(width), Height: htmlSVGNum(height), AxisX0: htmlSVGNum(left), AxisX1: htmlSVGNum(width - right), AxisY: htmlSVGNum(height - bottom)}
	days = htmlFillDays(days)
	if len(days) == 0 {
		ch.Empty = true
		return ch
	}
	classes := htmlClassesOf(days)
	max := 0.0
	for _, d := range days {
		if f := d.CostUSD.InexactFloat64(); f > max {
			max = f
		}
	}
	step := htmlNiceStep(max, 4)
	nTicks := 4
	for step*float64(nTicks) < max {
		nTicks++
	}
	top4 := step * float64(nTicks)
	plotH := height - top - bottom
	plotW := width - left - right
	scale := plotH / top4
	for i := 0; i <= nTicks; i++ {
		v := step * float64(i)
		ch.Ticks = append(ch.Ticks, htmlTick{Y: htmlSVGNum(height - bottom - v*scale), Label: htmlAxisUSD(v, step)})
	}
	slot := plotW / float64(len(days))
	barW := slot * 0.8
	maxLbls := int(plotW / labelW)
	every := (len(days) + maxLbls - 1) / maxLbls
	for i, d := range days {
		x := left + slot*float64(i) + (slot-barW)/2
		b := htmlStackBar{X: htmlSVGNum(x), W: htmlSVGNum(barW), Title: d.Day + ": " + usd(d.CostUSD)}
		base := height - bottom
		if len(d.ByClass) == 0 {
			h := d.CostUSD.InexactFloat64() * scale
			b.Segments = append(b.Segments, htmlSegment{Y: htmlSVGNum(base - h), H: htmlSVGNum(h), Color: htmlOtherColor, Title: d.Day + " " + usd(d.CostUSD)})
		}
		for _, c := range classes {
			v, ok := d.ByClass[c]
			if !ok || v.Sign() <= 0 {
				continue
			}
			h := v.InexactFloat64() * scale
			base -= h
			b.Segments = append(b.Segments, htmlSegment{Y: htmlSVGNum(base), H: htmlSVGNum(h), Color: htmlClassColor(c), Title: d.Day + " " + c + ": " + usd(v)})
		}
		if i%every == 0 {
			b.Label = htmlShortDay(d.Day)
			b.LabelX = htmlSVGNum(x + barW/2)
			b.LabelY = htmlSVGNum(height - bottom + 16)
		}
		ch.Bars = append(ch.Bars, b)
	}
	if len(classes) == 0 {
		classes = []string{"unclassified"}
	}
	for i, c := range classes {
		x := left + float64(i)*min(150, (width-left)/float64(len(classes)))
		ch.Legend = append(ch.Legend, htmlLegend{X: htmlSVGNum(x), Y: "10", TextX: htmlSVGNum(x + 18), TextY: "21", Color: htmlClassColor(c), Label: c})
	}
	return ch
}

// htmlAxisUSD formats an axis value with as many decimals as the step needs.
func htmlAxisUSD(v, step float64) string {
	dec := 0
	for s := step; s < 1 && dec < 6; s *= 10 {
		dec++
	}
	return "$" + strconv.FormatFloat(v, 'f', dec, 64)
}

// htmlBarItem is one labelled value of a horizontal bar chart.
type htmlBarItem struct {
	Label string
	Value decimal.Decimal
	Color string
	// Scale, when positive, is the value a full-length bar stands for
	// (instead of the chart's largest value), so pairs of bars can be
	// compared with each other whatever their size.
	Scale decimal.Decimal
}

// htmlHBarChart lays out at most limit items (largest first, as given).
// The drawing is width SVG units wide (960 on a desktop page, about 400
// on a phone); labels get a third of it.
func htmlHBarChart(items []htmlBarItem, limit int, usd func(decimal.Decimal) string, width float64) htmlBarChart {
	const (
		rowH   = 24.0
		barH   = 16.0
		valueW = 90.0
		top    = 6.0
	)
	labelW := width * 0.3125
	clip := int(labelW / 7)
	ch := htmlBarChart{Width: htmlSVGNum(width), LabelX: htmlSVGNum(labelW - 8)}
	if len(items) > limit {
		ch.More = len(items) - limit
		items = items[:limit]
	}
	if len(items) == 0 {
		ch.Empty = true
		ch.Height = "0"
		return ch
	}
	max := 0.0
	for _, it := range items {
		if f := it.Value.InexactFloat64(); f > max {
			max = f
		}
	}
	plotW := width - labelW - valueW
	for i, it := range items {
		y := top + float64(i)*rowH
		w := 0.0
		if it.Scale.Sign() > 0 {
			w = it.Value.InexactFloat64() / it.Scale.InexactFloat64() * plotW
		} else if max > 0 {
			w = it.Value.InexactFloat64() / max * plotW
		}
		if w < 0 {
			w = 0
		}
		ch.Rows = append(ch.Rows, htmlBarRow{
			Y: htmlSVGNum(y), H: htmlSVGNum(barH), X: htmlSVGNum(labelW), W: htmlSVGNum(w),
			TextY: htmlSVGNum(y + barH - 3), Label: htmlClip(it.Label, clip), Value: usd(it.Value),
			ValueX: htmlSVGNum(labelW + w + 6), Color: it.Color, Title: it.Label + ": " + usd(it.Value),
		})
	}
	ch.Height = htmlSVGNum(top*2 + float64(len(items))*rowH)
	return ch
}

// htmlClip shortens s to n runes with an ellipsis.
func htmlClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// htmlSavingsChart charts the workflows whose batch what-if saves money.
// It shows the top limit of them, largest first. Each bar is the saving
// as the tables show it (the rounded cost less the rounded batch cost, at
// places decimals), so a bar's label and its table row agree.
func htmlSavingsChart(wfs []report.Workflow, limit, places int, usd func(decimal.Decimal) string, width float64) htmlBarChart {
	var items []htmlBarItem
	for _, w := range wfs {
		if w.WhatIf.SavingsUSD.Sign() > 0 {
			shown := savingsShown(w.CostUSD, w.WhatIf.BatchCostUSD, places)
			items = append(items, htmlBarItem{Label: w.Workflow, Value: shown, Color: htmlClassColor(w.Class)})
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if c := items[i].Value.Cmp(items[j].Value); c != 0 {
			return c > 0
		}
		return items[i].Label < items[j].Label
	})
	return htmlHBarChart(items, max(1, limit), usd, width)
}

// htmlModelChart charts cost per provider/model.
func htmlModelChart(models []report.ModelRow, usd func(decimal.Decimal) string, width float64) htmlBarChart {
	var items []htmlBarItem
	for _, m := range models {
		items = append(items, htmlBarItem{Label: m.Provider + "/" + m.Model, Value: m.CostUSD, Color: "#4c6a92"})
	}
	sort.SliceStable(items, func(i, j int) bool {
		if c := items[i].Value.Cmp(items[j].Value); c != 0 {
			return c > 0
		}
		return items[i].Label < items[j].Label
	})
	return htmlHBarChart(items, 15, usd, width)
}

// htmlFillDays adds an empty day for every calendar day missing between the
// first and the last, so a gap in the logs shows as a gap in the chart. It
// leaves the days as they are when they are not YYYY-MM-DD in ascending
// order, or span more than 400 days.
func htmlFillDays(days []report.DayRow) []report.DayRow {
	if len(days) < 2 {
		return days
	}
	first, err1 := time.Parse("2006-01-02", days[0].Day)
	last, err2 := time.Parse("2006-01-02", days[len(days)-1].Day)
	if err1 != nil || err2 != nil || !last.After(first) || last.Sub(first) > 400*24*time.Hour {
		return days
	}
	out := make([]report.DayRow, 0, int(last.Sub(first).Hours()/24)+1)
	i := 0
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		day := d.Format("2006-01-02")
		if i < len(days) && days[i].Day == day {
			out = append(out, days[i])
			i++
			continue
		}
		if i < len(days) && days[i].Day < day {
			return days // not ascending or not unique
		}
		out = append(out, report.DayRow{Day: day})
	}
	if i != len(days) {
		return days
	}
	return out
}

// htmlShortDay is a chart label for a YYYY-MM-DD day: "2 Nov"; other text
// is kept as it is.
func htmlShortDay(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.Format("2 Jan")
}
