package audit

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/classify" // classify is a function of decode_format.go until the decoders move out
	"github.com/costaudit/costaudit/internal/numfmt"
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

// EarlyCancelNote explains why the early-cancel ledger is a range.
const EarlyCancelNote = "Providers do not document whether output is billed after a client disconnects " +
	"(unverified: no provider page states the rule, see community.openai.com/t/928978): the tokens not generated range from 0 (the provider finishes the generation and bills it) " +
	"to max_tokens minus the delivered output, for the cancelled streams that logged max_tokens."

var thirty = decimal.NewFromInt(projectionDays)

func (b *builder) assemble(stats Stats) (*report.Report, error) {
	rep := &report.Report{Kind: "analyze", SchemaVersion: report.SchemaVersion}
	tz := b.agg.Options().TZ.String()

	// Window and projection.
	rep.Window.TZ = tz
	days := decimal.Zero
	if first, last, ok := b.agg.PricedWindow(); ok {
		rep.Window.Start = first.Format(rfc3339)
		rep.Window.End = last.Format(rfc3339)
		days = windowDays(first, last)
		rep.Window.Days = days
	}
	project := func(d decimal.Decimal) decimal.Decimal {
		if !days.IsPositive() {
			return decimal.Zero
		}
		return d.Mul(thirty).DivRound(days, projectionPlaces)
	}

	// Price books.
	rep.Pricebooks = []report.Pricebook{}
	for _, bk := range b.cat.Books() {
		rep.Pricebooks = append(rep.Pricebooks, report.Pricebook{ID: bk.ID, Source: bk.Source, SHA256: bk.SHA256})
	}

	// Coverage.
	cov := report.Coverage{
		Files:            stats.Files,
		Lines:            stats.Lines,
		Records:          b.priced + b.unbilled + b.unpricedN,
		Priced:           b.priced,
		Unbilled:         b.unbilled,
		Unpriced:         b.unpricedN,
		Duplicates:       stats.Duplicates,
		Rejected:         stats.Rejected,
		Skipped:          stats.Skipped,
		Filtered:         b.agg.Filtered(),
		RejectedByReason: map[string]int64{},
		UnpricedModels:   b.unpriced,
		UnpricedTokens:   b.unpricedT,
		UnpricedReasons:  map[string]string{},
		Formats:          map[string]int64{},

		ConflictingDuplicates: stats.DedupMismatches,
		ConflictExample:       stats.MismatchExample,
		FileDated:             b.agg.FileDated(),
		FileTimesUsed:         b.agg.FileDated() > 0 && b.agg.Options().FileTimes,
	}
	for k, v := range stats.RejectedByReason {
		cov.RejectedByReason[k] = v
	}
	for k, v := range stats.Formats {
		cov.Formats[k] = v
	}
	for m := range b.unpriced {
		if why, _, ok := b.agg.UnpricedReason(m); m == "(no model)" {
			cov.UnpricedReasons[m] = "the log names no model"
		} else if ok {
			cov.UnpricedReasons[m] = why
		} else {
			cov.UnpricedReasons[m] = "no price book prices it"
		}
	}
	rep.Coverage = cov
	rep.Totals = b.totals

	// Workflows with their what-if.
	var windowSavings decimal.Decimal
	names := make([]string, 0, len(b.wf))
	for n := range b.wf {
		names = append(names, n)
	}
	sort.Strings(names)
	rep.Workflows = []report.Workflow{}
	rep.EarlyCancel = report.EarlyCancel{Workflows: []report.CancelRow{}, Note: EarlyCancelNote}
	for _, name := range names {
		w := b.wf[name]
		c := b.cls[name]
		rw := report.Workflow{
			Workflow:           name,
			Class:              c.Class,
			Confidence:         c.Confidence,
			Evidence:           append([]string{}, c.Evidence...),
			Requests:           w.records,
			Providers:          sortedStrings(w.providers),
			Models:             sortedStrings(w.models),
			Modes:              sortedStrings(w.modes),
			Team:               b.team(name),
			InputTokens:        w.usage.Input,
			CacheReadTokens:    w.usage.CacheRead,
			CacheWrite5mTokens: w.usage.CacheWrite5m,
			CacheWrite1hTokens: w.usage.CacheWrite1h,
			OutputTokens:       w.usage.Output,
			CostUSD:            w.cost,
			Lines:              []report.WorkflowLine{},
		}
		for _, p := range c.Parts {
			rp := report.WorkflowPart{Name: p.Name, Class: p.Class, Requests: p.Requests, Evidence: p.Evidence}
			if p.Priceable {
				if err := b.priceJobPart(w, p.Priced, &rp); err != nil {
					return nil, err
				}
			}
			rw.Parts = append(rw.Parts, rp)
		}
		// The rest of a priced job part costs what the workflow costs beyond it.
		if len(rw.Parts) == 2 && rw.Parts[0].CostUSD != nil && rw.Parts[1].CostUSD == nil && c.Parts[1].Name == "rest" {
			rest := w.cost.Sub(*rw.Parts[0].CostUSD)
			rw.Parts[1].CostUSD = &rest
		}
		if c.Requests != rw.Requests {
			rw.Evidence = append(rw.Evidence, fmt.Sprintf("the counts above are of all %s records of the workflow; %s of them are priced and shown as its requests, the rest are unbilled (errored, cancelled or expired batch results) or unpriced",
				numfmt.Int(c.Requests), numfmt.Int(rw.Requests)))
		}
		if w.unpricedRequests > 0 {
			rw.Evidence = append(rw.Evidence, fmt.Sprintf("%s requests not priced (see coverage.unpriced_reasons for why): cost shown is the priced part only", numfmt.Int(w.unpricedRequests)))
		}
		rw.WhatIf = b.whatIf(c, w)
		windowSavings = windowSavings.Add(rw.WhatIf.SavingsUSD)
		keys := make([]lineKey, 0, len(w.lines))
		for k := range w.lines {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			li, lj := w.lines[keys[i]], w.lines[keys[j]]
			if c := li.CostUSD.Cmp(lj.CostUSD); c != 0 {
				return c > 0
			}
			if li.PriceRef != lj.PriceRef {
				return li.PriceRef < lj.PriceRef
			}
			return li.Mode < lj.Mode
		})
		for _, k := range keys {
			rw.Lines = append(rw.Lines, *w.lines[k])
		}
		rep.Workflows = append(rep.Workflows, rw)

		if w.cancelled > 0 {
			ec := &rep.EarlyCancel
			ec.CancelledStreams += w.cancelled
			ec.WithMaxTokens += w.withMax
			ec.DeliveredOutputTokens += w.delivered
			ec.NotGeneratedTokensMax += w.headroom
			ec.SavedUSDMax = ec.SavedUSDMax.Add(w.savedMax)
			ec.Workflows = append(ec.Workflows, report.CancelRow{
				Workflow: name, Streams: w.streams, Cancelled: w.cancelled,
				DeliveredOutputTokens: w.delivered, NotGeneratedTokensMax: w.headroom, SavedUSDMax: w.savedMax,
			})
		}
	}
	sort.SliceStable(rep.Workflows, func(i, j int) bool {
		if c := rep.Workflows[i].CostUSD.Cmp(rep.Workflows[j].CostUSD); c != 0 {
			return c > 0
		}
		return rep.Workflows[i].Workflow < rep.Workflows[j].Workflow
	})
	sort.SliceStable(rep.EarlyCancel.Workflows, func(i, j int) bool {
		a, c := rep.EarlyCancel.Workflows[i], rep.EarlyCancel.Workflows[j]
		if x := a.SavedUSDMax.Cmp(c.SavedUSDMax); x != 0 {
			return x > 0
		}
		if a.Cancelled != c.Cancelled {
			return a.Cancelled > c.Cancelled
		}
		return a.Workflow < c.Workflow
	})

	// Opportunities: the batch savings, ranked.
	rep.Opportunities = []report.Opportunity{}
	for _, w := range rep.Workflows {
		if !w.WhatIf.SavingsUSD.IsPositive() {
			continue
		}
		why := fmt.Sprintf("%s (%s confidence)", w.Class, w.Confidence)
		if len(w.Evidence) > 0 {
			why += ": " + w.Evidence[0]
		}
		if rule := b.wf[w.Workflow].batchWhy; rule != "" {
			why += "; batch rule: " + rule
		}
		rep.Opportunities = append(rep.Opportunities, report.Opportunity{
			Workflow: w.Workflow, Lever: "batch", Class: w.Class,
			CostUSD: w.CostUSD, NewCostUSD: w.WhatIf.BatchCostUSD, SavingsUSD: w.WhatIf.SavingsUSD,
			MonthlySavingsUSD: project(w.WhatIf.SavingsUSD), Why: why,
		})
	}
	sort.SliceStable(rep.Opportunities, func(i, j int) bool {
		if c := rep.Opportunities[i].SavingsUSD.Cmp(rep.Opportunities[j].SavingsUSD); c != 0 {
			return c > 0
		}
		return rep.Opportunities[i].Workflow < rep.Opportunities[j].Workflow
	})
	for i := range rep.Opportunities {
		rep.Opportunities[i].Rank = i + 1
	}

	// Projection.
	rep.Projection = report.Projection{WindowSavingsUSD: windowSavings}
	if days.IsPositive() {
		rep.Projection.Basis = fmt.Sprintf("%d / %s days of data (%s to %s), a linear scale of the window to a 30-day month", projectionDays, days.String(), rep.Window.Start, rep.Window.End)
		rep.Projection.MonthlyCostUSD = project(b.totals.CostUSD)
		rep.Projection.MonthlySavingsUSD = project(windowSavings)
	} else if b.agg.FileDated() > 0 && !b.agg.Options().FileTimes {
		rep.Projection.Basis = "no projection: the priced records span no time (records dated only by their file's modification time are left out; --file-times counts them)"
	} else {
		rep.Projection.Basis = "no projection: the priced records span no time"
	}

	// Breakdowns.
	rep.ByClass = []report.ClassRow{}
	for _, cl := range []string{classify.Realtime, classify.NearRealtime, classify.Scheduled} {
		if r := b.byClass[cl]; r != nil {
			rep.ByClass = append(rep.ByClass, *r)
		} else {
			rep.ByClass = append(rep.ByClass, report.ClassRow{Class: cl})
		}
	}
	sort.SliceStable(rep.ByClass, func(i, j int) bool {
		if c := rep.ByClass[i].CostUSD.Cmp(rep.ByClass[j].CostUSD); c != 0 {
			return c > 0
		}
		return rep.ByClass[i].Class < rep.ByClass[j].Class
	})
	rep.ByModel = []report.ModelRow{}
	for _, r := range b.byModel {
		rep.ByModel = append(rep.ByModel, *r)
	}
	sort.Slice(rep.ByModel, func(i, j int) bool {
		a, c := rep.ByModel[i], rep.ByModel[j]
		if x := a.CostUSD.Cmp(c.CostUSD); x != 0 {
			return x > 0
		}
		if a.Provider != c.Provider {
			return a.Provider < c.Provider
		}
		return a.Model < c.Model
	})
	rep.ByMode = []report.ModeRow{}
	for _, r := range b.byMode {
		rep.ByMode = append(rep.ByMode, *r)
	}
	sort.Slice(rep.ByMode, func(i, j int) bool {
		if x := rep.ByMode[i].CostUSD.Cmp(rep.ByMode[j].CostUSD); x != 0 {
			return x > 0
		}
		return rep.ByMode[i].Mode < rep.ByMode[j].Mode
	})
	rep.ByDay = []report.DayRow{}
	for _, r := range b.byDay {
		rep.ByDay = append(rep.ByDay, *r)
	}
	sort.Slice(rep.ByDay, func(i, j int) bool { return rep.ByDay[i].Day < rep.ByDay[j].Day })
	if len(b.groups) > 0 {
		gks := make([]groupKey, 0, len(b.groups))
		for k := range b.groups {
			gks = append(gks, k)
		}
		sort.Slice(gks, func(i, j int) bool {
			a, c := gks[i], gks[j]
			if a.index != c.index {
				return a.index < c.index
			}
			if x := b.groups[a].CostUSD.Cmp(b.groups[c].CostUSD); x != 0 {
				return x > 0
			}
			return a.value < c.value
		})
		for _, k := range gks {
			rep.Groups = append(rep.Groups, *b.groups[k])
		}
	}

	rep.Reconciliation = b.reconciliation()

	// Prices used.
	rep.Prices = []report.PriceRow{}
	for _, e := range b.prices {
		rep.Prices = append(rep.Prices, priceRow(e))
	}
	sort.Slice(rep.Prices, func(i, j int) bool { return rep.Prices[i].Ref < rep.Prices[j].Ref })

	// FOCUS cells.
	fks := make([]focusKey, 0, len(b.focus))
	for k := range b.focus {
		fks = append(fks, k)
	}
	sort.Slice(fks, func(i, j int) bool {
		a, c := fks[i], fks[j]
		switch {
		case a.day != c.day:
			return a.day < c.day
		case a.ref != c.ref:
			return a.ref < c.ref
		case a.mode != c.mode:
			return a.mode < c.mode
		case a.bucket != c.bucket:
			return bucketOrder(a.bucket) < bucketOrder(c.bucket)
		}
		return a.groups < c.groups
	})
	for _, k := range fks {
		rep.FocusRows = append(rep.FocusRows, *b.focus[k])
	}

	rep.Assumptions = b.assumptions(rep)
	rep.Notes = b.notes(stats, rep)
	return rep, nil
}

const rfc3339 = "2006-01-02T15:04:05Z07:00"

func bucketOrder(bucket string) int {
	for i, n := range []string{pricing.BucketInput, pricing.BucketCacheRead, pricing.BucketCacheWrite5m, pricing.BucketCacheWrite1h, pricing.BucketOutput, pricing.BucketRequest} {
		if n == bucket {
			return i
		}
	}
	return 99
}

// team is the workflow's most frequent team ("" when none is logged).
func (b *builder) team(name string) string {
	ws := b.agg.Workflow(name)
	if ws == nil {
		return ""
	}
	best, bestN := "", int64(0)
	for _, t := range slices.Sorted(maps.Keys(ws.Teams)) {
		if ws.Teams[t] > bestN {
			best, bestN = t, ws.Teams[t]
		}
	}
	return best
}

// whatIf is the workflow's batch what-if with the reason it is or is not
// eligible.
func (b *builder) whatIf(c classify.Classification, w *wfAcc) report.WhatIf {
	wi := report.WhatIf{BatchCostUSD: w.batchCost, SavingsUSD: w.cost.Sub(w.batchCost), Eligible: w.linesEligible > 0}
	total := w.linesAlready + w.linesNoBatch + w.linesEligible
	switch {
	case total == 0 && len(w.lines) == 0:
		wi.Reason = "no priced requests"
	case !b.eligible[c.Class] && w.linesAlready == len(w.lines):
		wi.Reason = "already batched"
	case !b.eligible[c.Class]:
		wi.Reason = c.Class
		if c.Class == classify.NearRealtime {
			wi.Reason = "near-realtime (not in the batch classes; add it with --batch-classes near-realtime)"
		}
	case w.linesEligible == 0 && w.linesNoBatch == 0 && w.linesDearer == 0:
		wi.Reason = "already batched"
	case w.linesEligible == 0:
		parts := sortedStrings(w.noBatchWhy)
		if w.linesDearer > 0 {
			parts = append(parts, dearerWhy(w))
		}
		wi.Reason = strings.Join(parts, "; ")
	default:
		parts := []string{fmt.Sprintf("%s: moves to the provider's batch API", c.Class)}
		if w.linesAlready > 0 {
			parts = append(parts, "part already batched")
		}
		if w.linesNoBatch > 0 {
			parts = append(parts, "part not batchable: "+strings.Join(sortedStrings(w.noBatchWhy), "; "))
		}
		if w.linesDearer > 0 {
			parts = append(parts, "part stays: "+dearerWhy(w))
		}
		wi.Reason = strings.Join(parts, "; ")
	}
	return wi
}

// dearerWhy says which traffic of a workflow stays because batch would not
// be cheaper.
func dearerWhy(w *wfAcc) string {
	return strings.Join(sortedStrings(w.dearerModes), ", ") + " traffic would cost no less on batch, so it is not moved"
}

func priceRow(e pricing.EntryInfo) report.PriceRow {
	return report.PriceRow{
		Ref: e.Ref, Book: e.Book, Provider: e.Provider, Model: e.ModelID, EffectiveFrom: e.EffectiveFrom, Tier: e.Tier,
		Input: e.Prices.Input, CacheRead: e.Prices.CacheRead, CacheWrite5m: e.Prices.CacheWrite5m, CacheWrite1h: e.Prices.CacheWrite1h,
		Output: e.Prices.Output, RequestFee: e.Prices.RequestFee,
		HasBatch: e.HasBatch, BatchInput: e.Batch.Input, BatchCacheRead: e.Batch.CacheRead,
		BatchCacheWrite5m: e.Batch.CacheWrite5m, BatchCacheWrite1h: e.Batch.CacheWrite1h, BatchOutput: e.Batch.Output,
		Source: e.Source,
	}
}

// reconciliation lists the workflow/model pairs whose logged cost differs
// from ours by more than 1%, with the likely cause.
func (b *builder) reconciliation() []report.Reconciliation {
	out := []report.Reconciliation{}
	hundred := decimal.NewFromInt(100)
	for k, r := range b.recon {
		diff := r.logged.Sub(r.ours)
		if !r.unpriced && withinPct(r.logged, r.ours, 1) {
			continue
		}
		row := report.Reconciliation{
			Workflow: k.workflow, Provider: k.provider, Model: k.model, Requests: r.requests,
			LoggedCostUSD: r.logged, OurCostUSD: r.ours, DiffUSD: diff,
		}
		if r.ours.IsZero() {
			row.DiffPct = hundred
		} else {
			row.DiffPct = diff.Mul(hundred).DivRound(r.ours, 2)
		}
		row.LikelyCause = b.likelyCause(k, r)
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool {
		a, c := out[i], out[j]
		if x := a.DiffUSD.Abs().Cmp(c.DiffUSD.Abs()); x != 0 {
			return x > 0
		}
		if a.Workflow != c.Workflow {
			return a.Workflow < c.Workflow
		}
		if a.Provider != c.Provider {
			return a.Provider < c.Provider
		}
		return a.Model < c.Model
	})
	return out
}

func (b *builder) likelyCause(k reconKey, r *reconAcc) string {
	if r.unpriced {
		if why, early, ok := b.agg.UnpricedReason(k.model); ok && (early || !strings.HasPrefix(why, "unknown model")) {
			return fmt.Sprintf("not priced: costaudit has no price of %q to compare (%s)", k.model, why)
		}
		return fmt.Sprintf("unknown model: no price book prices %q, so costaudit has no price to compare", k.model)
	}
	if r.logged.IsZero() {
		// A zero logged cost has too many possible reasons (free tier,
		// credits, a logger that writes no cost, a failed lookup) to
		// pick one: say only what the log shows.
		return "the log records a cost of $0 for these requests and does not say why; the costaudit column is the list price"
	}
	if r.cacheTokens > 0 && r.altOK && withinPct(r.logged, r.cacheAsInput, 1) {
		return "cache tokens ignored by the logger: the logged cost matches pricing cache reads and writes as plain input"
	}
	var es []int32
	for e := range r.versions {
		if !r.versionsBad[e] {
			es = append(es, e)
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i] < es[j] })
	for _, e := range es {
		if withinPct(r.logged, r.versions[e], 1) {
			for pk := range r.pks {
				pk.Entry = e
				info := b.cat.Entry(pk)
				return fmt.Sprintf("price version: the logged cost matches %s, not the price in force at the request time", info.Ref)
			}
		}
	}
	if r.logged.LessThan(r.ours) {
		return fmt.Sprintf("logged cost is %s%% of list: a contract discount, or a logger that leaves out some tokens", r.logged.Mul(decimal.NewFromInt(100)).DivRound(r.ours, 1).StringFixed(1))
	}
	return fmt.Sprintf("logged cost is %s%% of list: the logger's price table is out of date or counts some tokens twice", r.logged.Mul(decimal.NewFromInt(100)).DivRound(r.ours, 1).StringFixed(1))
}

func (b *builder) assumptions(rep *report.Report) []report.Assumption {
	as := []report.Assumption{
		{Key: "tz", Value: b.agg.Options().TZ.String(), Source: tzSource(b.agg.Options().TZ.String())},
	}
	src := "default"
	if b.opts.BatchClassesFromFlag {
		src = "flag --batch-classes"
	}
	as = append(as, report.Assumption{Key: "batch_classes", Value: strings.Join(b.classes, ","), Source: src})
	as = append(as, report.Assumption{Key: "projection_basis", Value: rep.Projection.Basis, Source: "logs"})
	var books []string
	for _, p := range rep.Pricebooks {
		books = append(books, p.ID)
	}
	as = append(as, report.Assumption{Key: "price_books", Value: strings.Join(books, ","), Source: "price book"})
	if b.opts.Rules != nil {
		as = append(as, report.Assumption{Key: "rules_file", Value: b.opts.Rules.File, Source: "flag --rules"})
	} else {
		as = append(as, report.Assumption{Key: "rules_file", Value: "none", Source: "default"})
	}
	as = append(as, report.Assumption{Key: "business_hours", Value: fmt.Sprintf("Mon–Fri %02d:00–%02d:00 %s: machine runs that keep these hours get a lower confidence; the hours never decide a class", classify.OfficeStart, classify.OfficeEnd, b.agg.Options().TZ.String()), Source: "default"})
	if len(b.agg.Options().GroupBy) > 0 {
		as = append(as, report.Assumption{Key: "group_by", Value: strings.Join(b.agg.Options().GroupBy, ","), Source: "flag --group-by"})
	}
	if !b.agg.Options().Since.IsZero() {
		as = append(as, report.Assumption{Key: "since", Value: b.agg.Options().Since.UTC().Format(rfc3339), Source: "flag --since"})
	}
	if !b.agg.Options().Until.IsZero() {
		as = append(as, report.Assumption{Key: "until", Value: b.agg.Options().Until.UTC().Format(rfc3339), Source: "flag --until"})
	}
	return as
}

func tzSource(name string) string {
	if name == "UTC" {
		return "default"
	}
	return "flag --tz"
}

func (b *builder) notes(stats Stats, rep *report.Report) []string {
	notes := append([]string{}, stats.Warnings...)
	if n := int64(len(rep.Coverage.UnpricedModels)); n > 0 {
		var ms []string
		for _, m := range slices.Sorted(maps.Keys(rep.Coverage.UnpricedModels)) {
			why := rep.Coverage.UnpricedReasons[m]
			t := rep.Coverage.UnpricedTokens[m]
			ms = append(ms, fmt.Sprintf("%s (%s requests, %s input + %s cache read + %s cache write + %s output tokens: %s)", m, numfmt.Int(rep.Coverage.UnpricedModels[m]),
				numfmt.Int(t.InputTokens), numfmt.Int(t.CacheReadTokens), numfmt.Int(t.CacheWrite5mTokens+t.CacheWrite1hTokens), numfmt.Int(t.OutputTokens), why))
		}
		notes = append(notes, fmt.Sprintf("%s records could not be priced and are left out of every cost (never counted as $0): %s", numfmt.Int(rep.Coverage.Unpriced), strings.Join(ms, "; ")))
	}
	if c := rep.Coverage; c.FileDated > 0 {
		if c.FileTimesUsed {
			notes = append(notes, fmt.Sprintf("%s records carry no timestamp and are dated by their file's modification time, which counts in the window, the projection and the arrival evidence (--file-times): check that the files kept the times they were written", numfmt.Int(c.FileDated)))
		} else {
			notes = append(notes, fmt.Sprintf("%s records carry no timestamp (Anthropic responses and batch results, OpenAI batch error lines) and are dated by their file's modification time: they are priced, but left out of the window, the projection's basis and the arrival evidence; wrap them with a ts, or pass --file-times to count the file times", numfmt.Int(c.FileDated)))
		}
	}
	if c := rep.Coverage; c.ConflictingDuplicates > 0 {
		notes = append(notes, fmt.Sprintf("duplicates that disagree with the kept copy of their request id on workflow, model or status: %s (e.g. request id %q); the copy with the most tokens is kept, a billed copy before an unbilled one", numfmt.Int(c.ConflictingDuplicates), c.ConflictExample))
	}
	if b.agg.BadLoggedCosts() > 0 {
		notes = append(notes, fmt.Sprintf("%s records had a logged_cost_usd that is not a decimal number; they are reconciled as if none was logged", numfmt.Int(b.agg.BadLoggedCosts())))
	}
	if stats.Records != 0 && stats.Records != rep.Coverage.Records+rep.Coverage.Filtered {
		notes = append(notes, fmt.Sprintf("the scan handed %s records but the aggregate holds %s (+%s filtered): the counts disagree", numfmt.Int(stats.Records), numfmt.Int(rep.Coverage.Records), numfmt.Int(rep.Coverage.Filtered)))
	}
	if rep.Window.Days.IsPositive() && rep.Window.Days.LessThan(decimal.NewFromInt(7)) {
		notes = append(notes, fmt.Sprintf("the data spans %s days: the monthly projection scales less than a week and misses weekly cycles", rep.Window.Days.Round(1).String()))
	}
	unclassified := b.foldedUnclassified
	for _, w := range rep.Workflows {
		if len(w.Evidence) > 0 && w.Evidence[0] == classify.Unclassified {
			unclassified++
		}
	}
	if unclassified > 0 {
		notes = append(notes, fmt.Sprintf("%s had no evidence and %s assumed realtime (never batched); add hints (user_waiting, source) or a --rules file", numfmt.Count(int64(unclassified), "workflow"), map[bool]string{true: "is", false: "are"}[unclassified == 1]))
	}
	if b.earlyUnpriced > 0 {
		notes = append(notes, fmt.Sprintf("%s cancelled streams of unpriced models are counted in the early-cancel ledger without money", numfmt.Int(b.earlyUnpriced)))
	}
	return append(notes, b.opts.Notes...)
}

// priceJobPart prices the job part of a mixed workflow w, whose priced
// usage is u, as if it had its own workflow name: exact when the workflow
// has one price line (one model, tier, price version and mode), so that
// the part's tokens take that line's prices; otherwise rp.Note says why it
// is not priced. The figures stay out of every total.
func (b *builder) priceJobPart(w *wfAcc, u pricing.Usage, rp *report.WorkflowPart) error {
	if len(w.lines) != 1 {
		rp.Note = fmt.Sprintf("not priced alone: the workflow has %d price lines (models, tiers, price versions or modes), and its minutes do not say which the job used", len(w.lines))
		return nil
	}
	var lk lineKey
	for k := range w.lines {
		lk = k
	}
	if lk.mode == pricing.ModeBatch {
		rp.Note = "already batched"
		return nil
	}
	q, err := b.cat.Quote(lk.pk, lk.mode, u)
	if err != nil {
		return fmt.Errorf("price the job part of a workflow: %w", err)
	}
	cost := q.Total
	rp.CostUSD = &cost
	br := b.batch(lk.pk)
	if !br.ok {
		rp.Note = "if the job had its own workflow name: " + br.why
		return nil
	}
	bq, err := b.cat.Quote(lk.pk, pricing.ModeBatch, u)
	if err != nil {
		return fmt.Errorf("batch price of the job part of a workflow: %w", err)
	}
	bc := bq.Total
	sav := cost.Sub(bc)
	rp.BatchCostUSD = &bc
	if sav.IsPositive() {
		rp.SavingsUSD = &sav
	}
	rp.Note = fmt.Sprintf("if the job had its own workflow name (%s priced requests at the workflow's one price line): not counted in the totals, the opportunities or the projection", numfmt.Int(u.Requests))
	return nil
}
