package render

// htmlTemplate is the page of the HTML report. It holds no script and loads
// nothing: the Content-Security-Policy allows only the inline style.
const htmlTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="costaudit">
<title>{{.Title}}</title>
<style>
:root { --ink: #1d2430; --muted: #5b6675; --rule: #d9dee5; --band: #f4f6f9; --accent: #0072b2; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1040px; padding: 24px 32px 48px; color: var(--ink); background: #ffffff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); break-after: avoid; }
h3 { font-size: 15px; margin: 20px 0 6px; break-after: avoid; }
p.sub, p.note, .muted { color: var(--muted); }
p.sub { margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; font-size: 13px; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.mono, span.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
ul.ev { margin: 0; padding-left: 16px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; background: var(--band); }
.card .k { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.card .v { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .s { font-size: 12px; color: var(--muted); }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px; color: #fff; white-space: nowrap; }
.ok { color: #1a7f37; font-weight: 600; }
.bad { color: #b42318; font-weight: 600; }
figure { margin: 8px 0 16px; break-inside: avoid; }
figcaption { font-size: 13px; color: var(--muted); margin-bottom: 4px; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
svg .axis { stroke: #8892a0; stroke-width: 1; }
svg .grid { stroke: var(--rule); stroke-width: 1; }
footer { margin-top: 40px; font-size: 12px; color: var(--muted); }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .cards { grid-template-columns: repeat(4, 1fr); }
  h2 { break-before: auto; }
  tr, figure, .card { break-inside: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="sub">{{.Subtitle}}</p>
</header>
{{- if .IsAnalyze}}
<div class="cards" id="summary">
{{- range .Cards}}
<div class="card"><div class="k">{{.Key}}</div><div class="v">{{.Value}}</div><div class="s">{{.Note}}</div></div>
{{- end}}
</div>

<section id="coverage">
<h2>Coverage</h2>
<p class="note">Every input line is accounted for: a record (priced, unbilled or unpriced), a duplicate, a rejection or a skipped line.</p>
<table>
<thead><tr><th>Lines</th><th class="n">Count</th><th>Meaning</th></tr></thead>
<tbody>
{{- range .Coverage}}
<tr><td>{{.Key}}</td><td class="n">{{.Value}}</td><td class="muted">{{.Note}}</td></tr>
{{- end}}
</tbody>
</table>
{{- if .Rejected}}
<h3>Rejected lines by reason</h3>
<table><thead><tr><th>Reason</th><th class="n">Lines</th></tr></thead><tbody>
{{- range .Rejected}}
<tr><td>{{.Key}}</td><td class="n">{{.Value}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
{{- if .Unpriced}}
<h3>Unpriced models</h3>
<p class="note">No price book knows these models; their records are counted, not priced at $0. Add a book with <span class="mono">--pricebook</span>.</p>
<table><thead><tr><th>Model</th><th class="n">Records</th></tr></thead><tbody>
{{- range .Unpriced}}
<tr><td class="mono">{{.Key}}</td><td class="n">{{.Value}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
{{- if .Formats}}
<h3>Input formats</h3>
<table><thead><tr><th>Format</th><th class="n">Files</th></tr></thead><tbody>
{{- range .Formats}}
<tr><td>{{.Key}}</td><td class="n">{{.Value}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
</section>

<section id="spend">
<h2>Spend</h2>
<figure id="chart-days">
<figcaption>Spend per day, stacked by latency class</figcaption>
{{- with .DayChart}}
{{- if .Empty}}
<p class="muted">No priced days.</p>
{{- else}}
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="Spend per day stacked by latency class">
{{- range .Ticks}}
<line class="grid" x1="{{$.DayChart.AxisX0}}" x2="{{$.DayChart.AxisX1}}" y1="{{.Y}}" y2="{{.Y}}"/>
<text x="{{$.DayChart.AxisX0}}" y="{{.Y}}" dx="-6" dy="4" text-anchor="end">{{.Label}}</text>
{{- end}}
{{- range .Bars}}{{$b := .}}
{{- range .Segments}}
<rect x="{{$b.X}}" y="{{.Y}}" width="{{$b.W}}" height="{{.H}}" fill="{{.Color}}"><title>{{.Title}}</title></rect>
{{- end}}
{{- if .Label}}
<text x="{{.LabelX}}" y="{{.LabelY}}" text-anchor="middle">{{.Label}}</text>
{{- end}}
{{- end}}
<line class="axis" x1="{{.AxisX0}}" x2="{{.AxisX1}}" y1="{{.AxisY}}" y2="{{.AxisY}}"/>
{{- range .Legend}}
<rect x="{{.X}}" y="{{.Y}}" width="12" height="12" fill="{{.Color}}"/>
<text x="{{.TextX}}" y="{{.TextY}}">{{.Label}}</text>
{{- end}}
</svg>
{{- end}}
{{- end}}
</figure>

<h3>By latency class</h3>
<table><thead><tr><th>Class</th><th class="n">Requests</th><th class="n">Cost</th><th class="n">Share</th></tr></thead><tbody>
{{- range .Classes}}
<tr><td><span class="swatch" style="background: {{.Color}}"></span>{{.Name}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .Cost}}</td><td class="n">{{.Share}}</td></tr>
{{- end}}
<tr><th>Total</th><th class="n">{{int .R.Totals.Requests}}</th><th class="n">{{usd .R.Totals.CostUSD}}</th><th class="n"></th></tr>
</tbody></table>

<h3>By model</h3>
<figure id="chart-models">
<figcaption>Cost by model</figcaption>
{{template "hbar" .ModelChart}}
</figure>
<table><thead><tr><th>Provider/model</th><th class="n">Requests</th><th class="n">Cost</th><th class="n">Share</th></tr></thead><tbody>
{{- range .Models}}
<tr><td class="mono">{{.Name}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .Cost}}</td><td class="n">{{.Share}}</td></tr>
{{- end}}
</tbody></table>

{{- if .Modes}}
<h3>By delivery mode</h3>
<table><thead><tr><th>Mode</th><th class="n">Requests</th><th class="n">Cost</th><th class="n">Share</th></tr></thead><tbody>
{{- range .Modes}}
<tr><td>{{.Name}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .Cost}}</td><td class="n">{{.Share}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}

{{- if .R.ByDay}}
<h3>By day</h3>
<table><thead><tr><th>Day</th><th class="n">Requests</th><th class="n">Cost</th></tr></thead><tbody>
{{- range .R.ByDay}}
<tr><td>{{.Day}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .CostUSD}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
<p class="note">Tokens: input {{int .R.Totals.InputTokens}} · cache read {{int .R.Totals.CacheReadTokens}} · cache write 5m {{int .R.Totals.CacheWrite5mTokens}} · cache write 1h {{int .R.Totals.CacheWrite1hTokens}} · output {{int .R.Totals.OutputTokens}}. Exact total: <span class="mono">{{exact .R.Totals.CostUSD}}</span> USD.</p>
</section>
{{- end}}

{{- if .Groups}}
<section id="groups">
{{- range .Groups}}
<h2>By {{.Key}}</h2>
<table><thead><tr><th>{{.Key}}</th><th class="n">Requests</th><th class="n">Cost</th><th class="n">Share</th><th class="n">Batch savings</th></tr></thead><tbody>
{{- range .Rows}}
<tr><td>{{groupValue .Value}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .Cost}}</td><td class="n">{{.Share}}</td><td class="n">{{usd .Savings}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
</section>
{{- end}}

{{- if .IsAnalyze}}
<section id="inventory">
<h2>Latency inventory</h2>
<p class="note">Each workflow's class with the evidence behind it. Without evidence a workflow is assumed realtime and never recommended for batch.</p>
<table>
<thead><tr><th>Workflow</th><th>Class</th><th>Evidence</th><th class="n">Requests</th><th class="n">Cost</th><th class="n">Batch cost</th><th class="n">Savings</th></tr></thead>
<tbody>
{{- range .Workflows}}
<tr>
<td><strong>{{.Workflow.Workflow}}</strong><br><span class="muted">{{names .Models}}{{if .Team}} · team {{.Team}}{{end}}</span></td>
<td><span class="badge" style="background: {{.Color}}">{{.Class}}</span><br><span class="muted">{{.Confidence}} confidence</span></td>
<td><ul class="ev">{{range .Evidence}}<li>{{.}}</li>{{end}}</ul></td>
<td class="n">{{int .Requests}}</td>
<td class="n">{{usd .CostUSD}}</td>
<td class="n">{{usd .WhatIf.BatchCostUSD}}</td>
<td class="n">{{usd .WhatIf.SavingsUSD}}<br><span class="muted">{{if .WhatIf.Eligible}}eligible{{else}}not eligible{{end}}</span></td>
</tr>
{{- end}}
</tbody>
</table>
</section>

<section id="opportunities">
<h2>Opportunities</h2>
<figure id="chart-savings">
<figcaption>Batch savings by workflow (in the window)</figcaption>
{{template "hbar" .SavingsChart}}
</figure>
{{- if .R.Opportunities}}
<table>
<thead><tr><th class="n">#</th><th>Workflow</th><th>Lever</th><th>Class</th><th class="n">Cost</th><th class="n">New cost</th><th class="n">Savings</th><th class="n">Per month</th><th>Why</th></tr></thead>
<tbody>
{{- range .R.Opportunities}}
<tr><td class="n">{{.Rank}}</td><td>{{.Workflow}}</td><td>{{.Lever}}</td><td>{{.Class}}</td><td class="n">{{usd .CostUSD}}</td><td class="n">{{usd .NewCostUSD}}</td><td class="n">{{usd .SavingsUSD}}</td><td class="n">{{usd .MonthlySavingsUSD}}</td><td>{{.Why}}</td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p class="muted">No opportunity found: no workflow has evidence that it can wait.</p>
{{- end}}
{{- with .R.Workflows}}
<h3>Why not the others</h3>
<table><thead><tr><th>Workflow</th><th>Batch what-if</th></tr></thead><tbody>
{{- range .}}{{if not .WhatIf.Eligible}}
<tr><td>{{.Workflow}}</td><td>{{.WhatIf.Reason}}</td></tr>
{{- end}}{{end}}
</tbody></table>
{{- end}}
</section>

<section id="early-cancel">
<h2>Early-cancel ledger</h2>
{{- with .R.EarlyCancel}}
<p class="note">{{.Note}}</p>
<table><tbody>
<tr><td>Cancelled streams</td><td class="n">{{int .CancelledStreams}}</td></tr>
<tr><td>…with max_tokens known</td><td class="n">{{int .WithMaxTokens}}</td></tr>
<tr><td>Output tokens delivered</td><td class="n">{{int .DeliveredOutputTokens}}</td></tr>
<tr><td>Output tokens not generated</td><td class="n">{{int .NotGeneratedTokensMin}} – {{int .NotGeneratedTokensMax}}</td></tr>
<tr><td>Saved by cancelling</td><td class="n">{{usd .SavedUSDMin}} – {{usd .SavedUSDMax}}</td></tr>
</tbody></table>
{{- if .Workflows}}
<table><thead><tr><th>Workflow</th><th class="n">Streams</th><th class="n">Cancelled</th><th class="n">Delivered output</th><th class="n">Not generated (max)</th><th class="n">Saved (max)</th></tr></thead><tbody>
{{- range .Workflows}}
<tr><td>{{.Workflow}}</td><td class="n">{{int .Streams}}</td><td class="n">{{int .Cancelled}}</td><td class="n">{{int .DeliveredOutputTokens}}</td><td class="n">{{int .NotGeneratedTokensMax}}</td><td class="n">{{usd .SavedUSDMax}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
{{- end}}
</section>

{{- template "packing" .}}

{{- if .R.Reconciliation}}
<section id="reconciliation">
<h2>Reconciliation with logged costs</h2>
<table><thead><tr><th>Workflow</th><th>Model</th><th class="n">Requests</th><th class="n">Logged</th><th class="n">costaudit</th><th class="n">Difference</th><th>Likely cause</th></tr></thead><tbody>
{{- range .R.Reconciliation}}
<tr><td>{{.Workflow}}</td><td class="mono">{{.Provider}}/{{.Model}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .LoggedCostUSD}}</td><td class="n">{{usd .OurCostUSD}}</td><td class="n">{{usd .DiffUSD}} ({{exact .DiffPct}}%)</td><td>{{.LikelyCause}}</td></tr>
{{- end}}
</tbody></table>
</section>
{{- end}}
{{- end}}

{{- if .Scenarios}}
<section id="scenarios">
<h2>Scenarios</h2>
{{- range .Scenarios}}
<h3>{{.Title}}</h3>
<p class="muted"><span class="mono">{{.Name}}</span> · {{.Kind}}</p>
<table>
<thead><tr><th>Figure</th><th class="n">Computed</th><th>Unit</th><th class="n">Quoted</th><th>Check</th><th>Note</th></tr></thead>
<tbody>
{{- range .Figures}}
<tr><td>{{.Label}}{{if .Expr}}<br><span class="mono muted">{{.Expr}}</span>{{end}}</td><td class="n">{{.Computed}}</td><td>{{.Unit}}</td><td class="n">{{orDash .Quoted}}</td><td>{{if eq .Status "matches"}}<span class="ok">matches</span>{{else if eq .Status "differs"}}<span class="bad">differs</span>{{else if eq .Status "note"}}<span class="muted">see note</span>{{end}}</td><td>{{.Note}}</td></tr>
{{- end}}
</tbody>
</table>
{{- range .Tables}}
<table>
<caption class="muted">{{.Name}}</caption>
<thead><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .Assumptions}}
<table><thead><tr><th>Assumption</th><th>Value</th><th>Source</th></tr></thead><tbody>
{{- range .Assumptions}}
<tr><td class="mono">{{.Key}}</td><td>{{.Value}}</td><td>{{.Source}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
{{- end}}
</section>
{{- end}}

{{- if .R.Prices}}
<section id="prices">
<h2>Prices used</h2>
<p class="note">USD per million tokens (request fee per request). Batch prices are blank where the provider has no batch API.</p>
<table><thead><tr><th>Entry</th><th class="n">Input</th><th class="n">Cache read</th><th class="n">Write 5m</th><th class="n">Write 1h</th><th class="n">Output</th><th class="n">Batch in / out</th><th>Source</th></tr></thead><tbody>
{{- range .R.Prices}}
<tr><td class="mono">{{.Ref}}{{if .Tier}} ({{.Tier}}){{end}}</td><td class="n">{{exact .Input}}</td><td class="n">{{exact .CacheRead}}</td><td class="n">{{exact .CacheWrite5m}}</td><td class="n">{{exact .CacheWrite1h}}</td><td class="n">{{exact .Output}}</td><td class="n">{{if .HasBatch}}{{exact .BatchInput}} / {{exact .BatchOutput}}{{else}}no batch API{{end}}</td><td class="mono">{{.Source}}</td></tr>
{{- end}}
</tbody></table>
</section>
{{- end}}

<section id="assumptions">
<h2>Assumptions</h2>
{{- if .R.Assumptions}}
<table><thead><tr><th>Key</th><th>Value</th><th>Source</th></tr></thead><tbody>
{{- range .R.Assumptions}}
<tr><td class="mono">{{.Key}}</td><td>{{.Value}}</td><td>{{.Source}}</td></tr>
{{- end}}
</tbody></table>
{{- else}}
<p class="muted">None.</p>
{{- end}}
</section>

<section id="pricebooks">
<h2>Price books used</h2>
<table><thead><tr><th>Book</th><th>Source</th><th>SHA-256</th></tr></thead><tbody>
{{- range .R.Pricebooks}}
<tr><td>{{.ID}}</td><td class="mono">{{.Source}}</td><td class="mono">{{.SHA256}}</td></tr>
{{- end}}
</tbody></table>
</section>

{{- if .R.Notes}}
<section id="notes">
<h2>Notes</h2>
<ul>
{{- range .R.Notes}}
<li>{{.}}</li>
{{- end}}
</ul>
</section>
{{- end}}

<footer>costaudit report · schema version {{.R.SchemaVersion}} · kind {{orDash .R.Kind}} · money in USD, exact values in the JSON report</footer>
</body>
</html>
{{define "hbar"}}
{{- if .Empty}}
<p class="muted">Nothing to chart.</p>
{{- else}}
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img">
{{- range .Rows}}
<g>
<title>{{.Title}}</title>
<text x="{{$.LabelX}}" y="{{.TextY}}" text-anchor="end">{{.Label}}</text>
<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Color}}"/>
<text x="{{.ValueX}}" y="{{.TextY}}">{{.Value}}</text>
</g>
{{- end}}
</svg>
{{- if .More}}
<p class="muted">{{.More}} more not charted; see the table.</p>
{{- end}}
{{- end}}
{{- end}}
`
