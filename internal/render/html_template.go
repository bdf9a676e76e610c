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
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
.phone { display: none; }
.po { display: none; }
.headline { font-size: 17px; margin: 4px 0 16px; padding: 10px 14px; border-left: 4px solid var(--accent); background: var(--band); }
details { margin: 4px 0; }
details > summary { cursor: pointer; color: var(--accent); }
details.section > summary { font-size: 19px; font-weight: 700; color: var(--ink); margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
td.why { min-width: 16em; }
tr.total td, tr.total th { font-weight: 700; border-top: 2px solid var(--ink); }
ol.rules { padding-left: 0; list-style: none; font-size: 13px; color: var(--muted); }
ol.rules li { margin: 2px 0; }
@page { size: A4 landscape; margin: 12mm; }
@media (max-width: 700px) {
  body { padding: 12px 12px 32px; font-size: 14px; }
  h1 { font-size: 21px; }
  .cards { grid-template-columns: repeat(2, 1fr); gap: 8px; }
  .card .v { font-size: 19px; }
  th, td { padding: 4px 5px; }
  .wide { display: none; }
  .desk { display: none; }
  .phone { display: block; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack thead { display: none; }
  table.stack tr { border: 1px solid var(--rule); border-radius: 6px; margin: 0 0 10px; padding: 6px 8px; }
  table.stack td { border: 0; padding: 2px 0; text-align: left; white-space: normal; }
  table.stack td[data-k]::before { content: attr(data-k) ": "; color: var(--muted); font-size: 12px; }
  table.stack td.wide, table.stack td.desk-only { display: none; }
  .po { display: inline; font-size: 15px; }
  table.stack td:first-child { font-weight: 600; }
  table.stack td:first-child .muted { font-weight: 400; }
  td.why { min-width: 10em; }
  .headline { font-size: 15px; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  .cards { grid-template-columns: repeat(4, 1fr); }
  .scroll { overflow: visible; }
  .wide { display: table-cell; }
  .desk { display: block; }
  .phone { display: none; }
  h2 { break-before: auto; }
  tr, figure, .card { break-inside: avoid; }
  thead { display: table-header-group; }
  details > summary { color: var(--ink); }
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
{{- if .Headline}}
<p class="headline" id="headline">{{.Headline}}.</p>
{{- end}}

<section id="opportunities">
<h2>Opportunities, ranked by savings</h2>
{{- if .Opps}}
<div class="scroll">
<table class="stack">
<thead><tr><th class="n">#</th><th>Workflow</th><th class="wide">Lever</th><th class="wide">Class</th><th class="n">Cost</th><th class="n">New cost</th><th class="n">Savings</th><th class="n">Per month</th><th>Why</th></tr></thead>
<tbody>
{{- range .Opps}}
<tr><td class="n">{{.Rank}}<strong class="po"> {{.Workflow}}</strong></td><td class="desk-only">{{.Workflow}}</td><td class="wide">{{.Lever}}</td><td class="wide">{{.Class}}</td><td class="n" data-k="Cost">{{.Cost}}</td><td class="n" data-k="New cost">{{.NewCost}}</td><td class="n" data-k="Savings">{{.Savings}}</td><td class="n" data-k="Per month">{{.Monthly}}</td><td class="why">{{.Why}}{{if .Rule}} <span class="muted">(batch rule {{.Rule}})</span>{{end}}</td></tr>
{{- end}}
{{- if gt (len .R.Opportunities) 1}}{{with .OppTotal}}
<tr class="total"><td class="n"><strong class="po">Total</strong></td><td class="desk-only">Total{{if gt (len $.R.Opportunities) 1}} of {{len $.R.Opportunities}}{{end}}</td><td class="wide"></td><td class="wide"></td><td class="n" data-k="Cost">{{.Cost}}</td><td class="n" data-k="New cost">{{.NewCost}}</td><td class="n" data-k="Savings">{{.Savings}}</td><td class="n" data-k="Per month">{{.Monthly}}</td><td></td></tr>
{{- end}}{{end}}
</tbody>
</table>
</div>
{{- if .OppMore}}
<p class="muted">{{.OppMore}} more {{if eq .OppMore 1}}opportunity is{{else}}opportunities are{{end}} counted in the total but not listed (--top); the per-workflow evidence below lists every workflow.</p>
{{- end}}
{{- if .Rules}}
<ol class="rules">
{{- range .Rules}}
<li><strong>Batch rule {{.Key}}:</strong> {{.Value}}</li>
{{- end}}
{{- if .Legend}}
<li>{{.Legend}}</li>
{{- end}}
</ol>
{{- end}}
<figure id="chart-savings">
<figcaption>Batch savings in the window{{if gt (len .SavingsChart.Rows) 1}}, top {{len .SavingsChart.Rows}} workflows{{end}}</figcaption>
<div class="desk">{{template "hbar" .SavingsChart}}</div>
<div class="phone">{{template "hbar" .SavingsChartPhone}}</div>
</figure>
{{- else}}
<p class="muted">No opportunity found: no workflow has evidence that it can wait.</p>
{{- end}}
<p class="note">{{.Rounding}}</p>
{{- with .Staying}}
<details>
<summary>Why the other {{len .}} workflows stay as they are</summary>
<div class="scroll">
<table><thead><tr><th>Workflow</th><th>Class</th><th class="n">Cost</th><th>Why not batched</th></tr></thead><tbody>
{{- range .}}
<tr><td>{{.Workflow}}</td><td>{{.Class}}</td><td class="n">{{usd .CostUSD}}</td><td>{{whyNot .}}</td></tr>
{{- end}}
</tbody></table>
</div>
</details>
{{- end}}
</section>

<section id="spend">
<h2>Spend</h2>
<figure id="chart-days">
<figcaption>Spend per day, stacked by latency class</figcaption>
<div class="desk">{{template "days" .DayChart}}</div>
<div class="phone">{{template "days" .DayChartPhone}}</div>
</figure>

<h3>By latency class</h3>
<div class="scroll">
<table><thead><tr><th>Class</th><th class="n">Requests</th><th class="n">Cost</th><th class="n">Share</th></tr></thead><tbody>
{{- range .Classes}}
<tr><td><span class="swatch" style="background: {{.Color}}"></span>{{.Name}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .Cost}}</td><td class="n">{{.Share}}</td></tr>
{{- end}}
<tr class="total"><td>Total</td><td class="n">{{int .R.Totals.Requests}}</td><td class="n">{{usd .R.Totals.CostUSD}}</td><td class="n">100.0%</td></tr>
</tbody></table>
</div>

<h3>By model</h3>
<figure id="chart-models">
<figcaption>Cost by model</figcaption>
<div class="desk">{{template "hbar" .ModelChart}}</div>
<div class="phone">{{template "hbar" .ModelChartPhone}}</div>
</figure>
<div class="scroll">
<table><thead><tr><th>Provider/model</th><th class="n">Requests</th><th class="n">Cost</th><th class="n">Share</th></tr></thead><tbody>
{{- range .Models}}
<tr><td class="mono">{{.Name}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .Cost}}</td><td class="n">{{.Share}}</td></tr>
{{- end}}
<tr class="total"><td>Total</td><td class="n">{{int .R.Totals.Requests}}</td><td class="n">{{usd .R.Totals.CostUSD}}</td><td class="n">100.0%</td></tr>
</tbody></table>
</div>

{{- if .Modes}}
<h3>By delivery mode</h3>
<div class="scroll">
<table><thead><tr><th>Mode</th><th class="n">Requests</th><th class="n">Cost</th><th class="n">Share</th></tr></thead><tbody>
{{- range .Modes}}
<tr><td>{{.Name}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .Cost}}</td><td class="n">{{.Share}}</td></tr>
{{- end}}
</tbody></table>
</div>
{{- end}}

{{- if .R.ByDay}}
<details>
<summary>Spend by day ({{len .R.ByDay}} days)</summary>
<table><thead><tr><th>Day</th><th class="n">Requests</th><th class="n">Cost</th></tr></thead><tbody>
{{- range .R.ByDay}}
<tr><td>{{.Day}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .CostUSD}}</td></tr>
{{- end}}
</tbody></table>
</details>
{{- end}}
<p class="note">Tokens: input {{int .R.Totals.InputTokens}} · cache read {{int .R.Totals.CacheReadTokens}} · cache write 5m {{int .R.Totals.CacheWrite5mTokens}} · cache write 1h {{int .R.Totals.CacheWrite1hTokens}} · output {{int .R.Totals.OutputTokens}}. Exact total: <span class="mono">{{exact .R.Totals.CostUSD}}</span> USD.</p>
</section>
{{- end}}

{{- if .Groups}}
<section id="groups">
{{- range .Groups}}
<h2>By {{.Key}}</h2>
<div class="scroll">
<table><thead><tr><th>{{.Key}}</th><th class="n">Requests</th><th class="n">Cost</th><th class="n">Share</th><th class="n">Batch savings</th></tr></thead><tbody>
{{- range .Rows}}
<tr><td>{{groupValue .Value}}</td><td class="n">{{int .Requests}}</td><td class="n">{{usd .Cost}}</td><td class="n">{{.Share}}</td><td class="n">{{usd .Savings}}</td></tr>
{{- end}}
</tbody></table>
</div>
{{- end}}
</section>
{{- end}}

{{- if .IsAnalyze}}
<section id="early-cancel">
<h2>Early-cancel ledger</h2>
{{- with .R.EarlyCancel}}
<p class="note">{{.Note}}</p>
<div class="scroll">
<table><tbody>
<tr><td>Cancelled streams</td><td class="n">{{int .CancelledStreams}}</td></tr>
<tr><td>…with max_tokens known</td><td class="n">{{int .WithMaxTokens}}</td></tr>
<tr><td>Output tokens delivered</td><td class="n">{{int .DeliveredOutputTokens}}</td></tr>
<tr><td>Output tokens not generated</td><td class="n">{{int .NotGeneratedTokensMin}} – {{int .NotGeneratedTokensMax}}</td></tr>
<tr><td>Saved by cancelling</td><td class="n">{{usd .SavedUSDMin}} – {{usd .SavedUSDMax}}</td></tr>
</tbody></table>
</div>
{{- if .Workflows}}
<div class="scroll">
<table><thead><tr><th>Workflow</th><th class="n wide">Streams</th><th class="n">Cancelled</th><th class="n wide">Delivered output</th><th class="n">Not generated (max)</th><th class="n">Saved (max)</th></tr></thead><tbody>
{{- range .Workflows}}
<tr><td>{{.Workflow}}</td><td class="n wide">{{int .Streams}}</td><td class="n">{{int .Cancelled}}</td><td class="n wide">{{int .DeliveredOutputTokens}}</td><td class="n">{{int .NotGeneratedTokensMax}}</td><td class="n">{{usd .SavedUSDMax}}</td></tr>
{{- end}}
</tbody></table>
</div>
{{- end}}
{{- end}}
</section>
{{- template "packing" .}}


{{- if .R.Reconciliation}}
<section id="reconciliation">
<h2>Reconciliation with logged costs</h2>
<div class="scroll">
<table><thead><tr><th>Workflow</th><th class="wide">Model</th><th class="n wide">Requests</th><th class="n">Logged</th><th class="n">costaudit</th><th class="n">Difference</th><th>Likely cause</th></tr></thead><tbody>
{{- range .R.Reconciliation}}
<tr><td>{{.Workflow}}</td><td class="mono wide">{{.Provider}}/{{.Model}}</td><td class="n wide">{{int .Requests}}</td><td class="n">{{usd .LoggedCostUSD}}</td><td class="n">{{usd .OurCostUSD}}</td><td class="n">{{usd .DiffUSD}} ({{pct .DiffPct}})</td><td>{{.LikelyCause}}</td></tr>
{{- end}}
</tbody></table>
</div>
</section>
{{- end}}

<section id="inventory">
<h2>Latency inventory: the evidence per workflow</h2>
<p class="note">Each workflow's class with the evidence behind it (open a row to see all of it). Without evidence a workflow is assumed realtime and never recommended for batch.</p>
<div class="scroll">
<table class="stack">
<thead><tr><th>Workflow</th><th>Class</th><th>Evidence</th><th class="n wide">Requests</th><th class="n">Cost</th><th class="n">Batch cost</th><th class="n">Savings</th></tr></thead>
<tbody>
{{- range .Workflows}}
<tr>
<td><strong>{{.Workflow.Workflow}}</strong><br><span class="muted">{{names .Models}}{{if .Team}} · team {{.Team}}{{end}}</span></td>
<td><span class="badge" style="background: {{.Color}}">{{.Class}}</span><br><span class="muted">{{.Confidence}} confidence</span></td>
<td>{{if .Evidence}}<details><summary>{{index .Evidence 0}}</summary>{{if gt (len .Evidence) 1}}<ul class="ev">{{range slice .Evidence 1}}<li>{{.}}</li>{{end}}</ul>{{end}}</details>{{end}}</td>
<td class="n wide">{{int .Requests}}</td>
<td class="n" data-k="Cost">{{usd .CostUSD}}</td>
<td class="n" data-k="Batch cost">{{usd .WhatIf.BatchCostUSD}}</td>
<td class="n" data-k="Savings">{{usd (savings .CostUSD .WhatIf.BatchCostUSD)}} <span class="muted">{{if .WhatIf.Eligible}}eligible{{else}}not eligible{{end}}</span></td>
</tr>
{{- end}}
</tbody>
</table>
</div>
</section>

<section id="coverage">
<h2>Coverage</h2>
<p class="note">Every input line is accounted for: a record (priced, unbilled or unpriced), a duplicate, a rejection or a skipped line.</p>
<div class="scroll">
<table>
<thead><tr><th>Lines</th><th class="n">Count</th><th>Meaning</th></tr></thead>
<tbody>
{{- range .Coverage}}
<tr><td>{{.Key}}</td><td class="n">{{.Value}}</td><td class="muted">{{.Note}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
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
{{- end}}

{{- if .Scenarios}}
{{- if not .IsAnalyze}}
<section id="summary">
<h2>Summary</h2>
{{- if .Summary}}
<p class="headline" id="headline">{{len .Scenarios}} {{if eq (len .Scenarios) 1}}example{{else}}examples{{end}} recomputed: {{.Matches}} quoted {{if eq .Matches 1}}figure matches{{else}}figures match{{end}}, {{.Differs}} {{if eq .Differs 1}}differs{{else}}differ{{end}} from the seed{{if gt (sub (len .Summary) (add .Matches .Differs)) 0}}, {{sub (len .Summary) (add .Matches .Differs)}} answered in a note{{end}}.</p>
<div class="scroll">
<table class="stack">
<thead><tr><th>Example</th><th>Figure</th><th class="n">Seed says</th><th class="n">Computed</th><th class="n">Difference</th><th>Check</th></tr></thead>
<tbody>
{{- range .Summary}}
<tr><td>{{.Scenario}}</td><td data-k="Figure">{{.Label}}</td><td class="n" data-k="Seed says">{{.Quoted}}</td><td class="n" data-k="Computed">{{.Computed}}</td><td class="n" data-k="Difference">{{orDash .Diff}}</td><td data-k="Check">{{status .Status}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- else}}
<p class="headline" id="headline">{{len .Scenarios}} {{if eq (len .Scenarios) 1}}scenario{{else}}scenarios{{end}} computed.</p>
{{- end}}
{{- if .SummaryChart.Rows}}
<figure id="chart-examples">
<figcaption>The seed's figure (grey) beside the computed one (green: matches, red: differs); each pair is drawn to its own scale</figcaption>
<div class="desk">{{template "hbar" .SummaryChart}}</div>
<div class="phone">{{template "hbar" .SummaryChartPhone}}</div>
</figure>
{{- end}}
{{- if .SeedLegend}}
<p class="note">{{.SeedLegend}}</p>
{{- end}}
</section>
{{- end}}
<section id="scenarios">
<h2>Scenarios</h2>
{{- range .Scenarios}}
<h3 id="{{.Anchor}}">{{.Title}}</h3>
<p class="muted"><span class="mono">{{.Name}}</span> · {{.Kind}}</p>
<div class="scroll">
<table>
<thead><tr><th>Figure</th><th class="n">Computed</th><th class="n">Quoted</th><th>Check</th><th>Note</th></tr></thead>
<tbody>
{{- range .Figures}}
<tr><td>{{.Label}}{{if .Expr}}<br><span class="mono muted">{{.Expr}}</span>{{end}}</td><td class="n">{{.Computed}}</td><td class="n">{{orDash .Quoted}}</td><td>{{status .Status}}</td><td>{{.Note}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- range .Tables}}{{$t := .}}
<div class="scroll">
<table>
<caption class="muted">{{.Name}}</caption>
<thead><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range $i, $c := .}}<td>{{cell $t.Columns $i $c}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
{{- if .Assumptions}}
<details>
<summary>Assumptions of this scenario ({{len .Assumptions}})</summary>
<div class="scroll">
<table><thead><tr><th>Assumption</th><th>Value</th><th>Source</th></tr></thead><tbody>
{{- range .Assumptions}}
<tr><td class="mono">{{.Key}}</td><td>{{.Value}}</td><td>{{.Source}}</td></tr>
{{- end}}
</tbody></table>
</div>
</details>
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
<div class="scroll">
<table><thead><tr><th>Entry</th><th class="n">Input</th><th class="n">Cache read</th><th class="n">Write 5m</th><th class="n">Write 1h</th><th class="n">Output</th><th class="n">Batch in / out</th><th class="wide">Source</th></tr></thead><tbody>
{{- range .R.Prices}}
<tr><td class="mono">{{.Ref}}{{if .Tier}} ({{.Tier}}){{end}}</td><td class="n">{{exact .Input}}</td><td class="n">{{exact .CacheRead}}</td><td class="n">{{exact .CacheWrite5m}}</td><td class="n">{{exact .CacheWrite1h}}</td><td class="n">{{exact .Output}}</td><td class="n">{{if .HasBatch}}{{exact .BatchInput}} / {{exact .BatchOutput}}{{else}}no batch API{{end}}</td><td class="mono wide">{{.Source}}</td></tr>
{{- end}}
</tbody></table>
</div>
</section>
{{- end}}

{{- if or .R.Assumptions (not .ScenarioAssumptions)}}
<section id="assumptions">
<h2>Assumptions</h2>
{{- if .R.Assumptions}}
<div class="scroll">
<table><thead><tr><th>Key</th><th>Value</th><th>Source</th></tr></thead><tbody>
{{- range .R.Assumptions}}
<tr><td class="mono">{{.Key}}</td><td>{{.Value}}</td><td>{{.Source}}</td></tr>
{{- end}}
</tbody></table>
</div>
{{- else}}
<p class="muted">None.</p>
{{- end}}
</section>
{{- end}}

{{- if .R.Pricebooks}}
<section id="pricebooks">
<h2>Price books used</h2>
<div class="scroll">
<table><thead><tr><th>Book</th><th>Source</th><th>SHA-256</th></tr></thead><tbody>
{{- range .R.Pricebooks}}
<tr><td>{{.ID}}</td><td class="mono">{{.Source}}</td><td class="mono">{{.SHA256}}</td></tr>
{{- end}}
</tbody></table>
</div>
</section>
{{- end}}

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
{{define "days"}}{{$c := .}}
{{- with .}}
{{- if .Empty}}
<p class="muted">No priced days.</p>
{{- else}}
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="Spend per day stacked by latency class">
{{- range .Ticks}}
<line class="grid" x1="{{$c.AxisX0}}" x2="{{$c.AxisX1}}" y1="{{.Y}}" y2="{{.Y}}"/>
<text x="{{$c.AxisX0}}" y="{{.Y}}" dx="-6" dy="4" text-anchor="end">{{.Label}}</text>
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
{{- end}}
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
<p class="muted">{{.More}} more not charted.</p>
{{- end}}
{{- end}}
{{- end}}
`
