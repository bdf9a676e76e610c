package simulate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/costaudit/costaudit/internal/numfmt"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

// Delivery modes a route can name.
const (
	RouteStream = "stream"
	RouteSync   = "sync"
	RouteBatch  = "batch"
	RouteFlex   = "flex"
)

// PolicySchemaVersion is the version of the routing policy document.
const PolicySchemaVersion = 1

// FlexShareWorthIt is the share of the batch saving at or above which flex
// is named as the alternative to batch: flex answers synchronously, so it
// gives that much of the saving with no queue and no batch window.
var FlexShareWorthIt = decimal.RequireFromString("0.8")

// Policy is the routing policy of an audit: one route per workflow, and
// one per part of a mixed workflow, with the batch packer's replay of each
// batch-eligible workflow. Money is an exact decimal string in USD.
type Policy struct {
	SchemaVersion int    `json:"schema_version" toml:"schema_version" yaml:"schema_version"`
	Window        string `json:"window" toml:"window" yaml:"window"`
	// Span is the report's window, for the views people read; the
	// policy files carry Window.
	Span report.Window `json:"-" toml:"-" yaml:"-"`
	// Basis says how a window's saving becomes a monthly one.
	Basis string `json:"basis" toml:"basis" yaml:"basis"`
	// DeadlineHours is the --deadline in hours, "" when none was given.
	DeadlineHours string `json:"deadline_hours" toml:"deadline_hours" yaml:"deadline_hours"`
	// MonteCarlo names the completion model, the replays and the seed.
	MonteCarlo        string             `json:"monte_carlo" toml:"monte_carlo" yaml:"monte_carlo"`
	MonthlySavingsUSD string             `json:"monthly_savings_usd" toml:"monthly_savings_usd" yaml:"monthly_savings_usd"`
	Routes            []Route            `json:"routes" toml:"routes" yaml:"routes"`
	Packing           []report.PackTable `json:"packing" toml:"packing" yaml:"packing"`
	Notes             []string           `json:"notes" toml:"notes" yaml:"notes"`
}

// Route is the delivery mode one workflow (or one part of it) should use.
type Route struct {
	Workflow string `json:"workflow" toml:"workflow" yaml:"workflow"`
	// Part names a population of a mixed workflow ("job", "people",
	// "rest"); "" for the whole workflow. A gateway cannot tell the parts
	// apart by the workflow name: a part's route applies once the part has
	// its own workflow name.
	Part       string `json:"part,omitempty" toml:"part,omitempty" yaml:"part,omitempty"`
	Class      string `json:"class" toml:"class" yaml:"class"`
	Confidence string `json:"confidence,omitempty" toml:"confidence,omitempty" yaml:"confidence,omitempty"`
	// Evidence is what decided the class, as the classifier states it.
	Evidence []string `json:"evidence" toml:"evidence" yaml:"evidence"`
	Mode     string   `json:"mode" toml:"mode" yaml:"mode"`
	Current  []string `json:"current_modes" toml:"current_modes" yaml:"current_modes"`
	// SubmitEveryHours is the queue interval of a batch route.
	SubmitEveryHours int      `json:"submit_every_hours,omitempty" toml:"submit_every_hours,omitzero" yaml:"submit_every_hours,omitempty"`
	Providers        []string `json:"providers" toml:"providers" yaml:"providers"`
	Models           []string `json:"models" toml:"models" yaml:"models"`
	Requests         int64    `json:"requests" toml:"requests" yaml:"requests"`
	// MonthlySavingsUSD is what the route saves per 30 days against the
	// logged delivery, at list prices of the price books.
	MonthlySavingsUSD string `json:"monthly_savings_usd" toml:"monthly_savings_usd" yaml:"monthly_savings_usd"`
	// Why gives the reasons for the mode, from the evidence, the batch
	// what-if and the packer.
	Why []string `json:"why" toml:"why" yaml:"why"`
	// RevertIf are the observations under which the route should change.
	RevertIf    []string `json:"revert_if" toml:"revert_if" yaml:"revert_if"`
	Alternative string   `json:"alternative,omitempty" toml:"alternative,omitempty" yaml:"alternative,omitempty"`
}

// LineQuoter prices a workflow line's tokens under another delivery mode.
// ok is false when no price book prices that mode for the line's model.
type LineQuoter interface {
	QuoteLine(l report.WorkflowLine, mode pricing.Mode) (cost decimal.Decimal, ok bool, err error)
}

// RouteOptions are the inputs of BuildPolicy besides the report.
type RouteOptions struct {
	// Pack is the packer's template: intervals, completion model, replays,
	// seed and deadline. Limits, savings and window are set per workflow.
	Pack PackOptions
	// DeadlineSet says the deadline came from the user (--deadline).
	DeadlineSet bool
	// Arrivals returns a workflow's logged arrivals; nil when unknown.
	Arrivals func(workflow string) []Arrival
	Quoter   LineQuoter
	// BytesPerToken and BytesOverhead size a request of the batch input
	// file from its input tokens (defaults 4 and 500, as the what-ifs use).
	BytesPerToken, BytesOverhead int64
}

// BuildPolicy routes every workflow of rep. It never routes a realtime or
// mixed workflow, or a realtime part, to batch: batch needs the class
// scheduled (or near-realtime when the report's batch classes include it)
// and a provider with a batch API.
func BuildPolicy(rep *report.Report, o RouteOptions) (*Policy, error) {
	if o.BytesPerToken == 0 {
		o.BytesPerToken = 4
	}
	if o.BytesOverhead == 0 {
		o.BytesOverhead = 500
	}
	days := rep.Window.Days
	p := &Policy{
		SchemaVersion: PolicySchemaVersion,
		Window:        fmt.Sprintf("%s to %s (%s days)", rep.Window.Start, rep.Window.End, days),
		Span:          rep.Window,
		Basis:         fmt.Sprintf("monthly = window saving × 30 / %s days, rounded to 6 places", days),
		Routes:        []Route{},
		Packing:       []report.PackTable{},
		Notes:         []string{},
	}
	if o.DeadlineSet {
		p.DeadlineHours = ff(o.Pack.DeadlineHours, -1)
	}
	replays := o.Pack.Replays
	if replays == 0 {
		replays = DefaultPackReplays
	}
	p.MonteCarlo = fmt.Sprintf("%d replays of the logged arrivals, seed %d; completion: %s", replays, o.Pack.Seed, o.Pack.Completion.Source)
	if o.Pack.FixedHours > 0 {
		p.MonteCarlo = fmt.Sprintf("fixed completion of %s h, no draws", ff(o.Pack.FixedHours, -1))
	}
	monthly := func(d decimal.Decimal) decimal.Decimal {
		if !days.IsPositive() {
			return decimal.Zero
		}
		return d.Mul(decimal.NewFromInt(30)).DivRound(days, packPlaces)
	}
	total := decimal.Zero
	for i := range rep.Workflows {
		w := &rep.Workflows[i]
		r, pack, err := routeWorkflow(w, o, days, monthly)
		if err != nil {
			return nil, fmt.Errorf("route workflow %q: %w", w.Workflow, err)
		}
		if pack != nil {
			p.Packing = append(p.Packing, *pack)
		}
		p.Routes = append(p.Routes, r)
		total = total.Add(decimal.RequireFromString(r.MonthlySavingsUSD))
		parts, err := routeParts(w, r, o, monthly)
		if err != nil {
			return nil, fmt.Errorf("route workflow %q: %w", w.Workflow, err)
		}
		p.Routes = append(p.Routes, parts...)
	}
	p.MonthlySavingsUSD = total.String()
	sort.SliceStable(p.Routes, func(i, j int) bool {
		if p.Routes[i].Workflow != p.Routes[j].Workflow {
			return p.Routes[i].Workflow < p.Routes[j].Workflow
		}
		return p.Routes[i].Part < p.Routes[j].Part
	})
	sort.SliceStable(p.Packing, func(i, j int) bool { return p.Packing[i].Workflow < p.Packing[j].Workflow })
	p.Notes = append(p.Notes,
		"the total counts whole workflows only: a part's saving is an estimate that applies once the part has its own workflow name",
		"arrivals are replayed at minute resolution (each request at the first arrival of its minute), so queue waits are overstated by under a minute",
		"a request that misses the deadline is assumed to be sent again at the real-time price: it saves nothing",
		"flex answers synchronously but more slowly than standard and may be refused for capacity (OpenAI: 429 resource unavailable); its wait is not simulated")
	return p, nil
}

// routeWorkflow picks the mode of one whole workflow.
func routeWorkflow(w *report.Workflow, o RouteOptions, days decimal.Decimal, monthly func(decimal.Decimal) decimal.Decimal) (Route, *report.PackTable, error) {
	r := Route{
		Workflow: w.Workflow, Class: w.Class, Confidence: w.Confidence,
		Current: nonNil(w.Modes), Providers: nonNil(w.Providers), Models: nonNil(w.Models), Requests: w.Requests,
		MonthlySavingsUSD: "0", Evidence: nonNil(w.Evidence), Why: []string{},
	}
	flex, flexOK, err := flexSaving(w, o.Quoter)
	if err != nil {
		return r, nil, err
	}
	mixed := len(w.Parts) > 0
	alreadyBatched := w.WhatIf.Reason == "already batched" && w.Class != "realtime" && !mixed
	switch {
	case alreadyBatched:
		r.Mode = RouteBatch
		r.Why = append(r.Why, "already delivered by batch: keep it")
		r.RevertIf = batchRevert("")
	case w.WhatIf.Eligible && !mixed && w.Class != "realtime":
		pack, row, err := packWorkflow(w, o, days)
		if err != nil {
			return r, nil, err
		}
		if flexOK {
			pack.FlexMonthlySavingsUSD = monthly(flex).String()
		}
		if row == nil || row.Requests == 0 {
			// Nothing to replay: the whole saving, unsimulated.
			r.Mode, r.SubmitEveryHours = RouteBatch, 24
			r.MonthlySavingsUSD = monthly(w.WhatIf.SavingsUSD).String()
			r.Why = append(r.Why, "batch what-if: "+w.WhatIf.Reason, "no logged arrivals to replay: the saving assumes every request is in time")
			r.RevertIf = batchRevert("")
			return r, pack, nil
		}
		if !row.SavingsUSD.IsPositive() {
			// Every interval misses the deadline: batch saves nothing.
			r.Why = append(r.Why, fmt.Sprintf("batch-eligible, but at every interval tried the requests miss the %s h deadline", ff(o.Pack.DeadlineHours, -1)))
			r.Mode, r.MonthlySavingsUSD, r.RevertIf = syncOrFlex(w, flex, flexOK, monthly)
			return r, pack, nil
		}
		batchWhy := fmt.Sprintf("packer: submitting every %d h saves the most%s (added wait p95 %s h, %s jobs a day)",
			row.EveryHours, onTimeWords(row, o), hours(row.WaitP95S), row.JobsPerDay)
		if flexOK && flex.GreaterThanOrEqual(row.SavingsUSD) {
			// Flex saves as much with no queue: route flex, batch second.
			r.Mode, r.MonthlySavingsUSD = RouteFlex, monthly(flex).String()
			r.Why = append(r.Why, "batch what-if: "+w.WhatIf.Reason, batchWhy,
				fmt.Sprintf("flex saves $%s a month, at least as much as batch, with no queue: route flex", monthly(flex)))
			_, _, r.RevertIf = syncOrFlex(w, flex, flexOK, monthly)
			r.Alternative = fmt.Sprintf("batch every %d h saves $%s a month (added wait p95 %s h)", row.EveryHours, row.MonthlySavingsUSD, hours(row.WaitP95S))
			return r, pack, nil
		}
		r.Mode, r.SubmitEveryHours = RouteBatch, row.EveryHours
		r.MonthlySavingsUSD = row.MonthlySavingsUSD.String()
		r.Why = append(r.Why, "batch what-if: "+w.WhatIf.Reason, batchWhy)
		r.RevertIf = batchRevert(hours(row.WaitP95S))
		if flexOK && row.SavingsUSD.IsPositive() {
			share := flex.DivRound(row.SavingsUSD, 4)
			if share.GreaterThanOrEqual(FlexShareWorthIt) {
				r.Alternative = fmt.Sprintf("flex saves $%s a month (%s%% of this batch saving) with no queue and no batch window: responses come back synchronously, more slowly, and may be refused for capacity",
					monthly(flex), share.Shift(2).Round(1))
			}
		}
		return r, pack, nil
	case w.Class == "realtime" || mixed:
		r.Mode = streamOrSync(w)
		switch {
		case mixed:
			r.Why = append(r.Why, "mixed workflow: people wait on part of it, so it is never batched as a whole; see its parts")
		case strings.HasPrefix(strings.Join(w.Evidence, ""), "unclassified"):
			r.Why = append(r.Why, "no evidence that anyone can wait: assumed realtime, kept on "+r.Mode)
		default:
			r.Why = append(r.Why, "realtime: a person waits, so it stays on "+r.Mode)
		}
		r.RevertIf = realtimeRevert(w)
	default:
		// Scheduled without a batch API, or near-realtime outside the
		// batch classes.
		if w.WhatIf.Reason != "" {
			r.Why = append(r.Why, "not batched: "+w.WhatIf.Reason)
		}
		r.Mode, r.MonthlySavingsUSD, r.RevertIf = syncOrFlex(w, flex, flexOK, monthly)
	}
	return r, nil, nil
}

// onTimeWords says what share of the requests arrives before the deadline.
func onTimeWords(row *PackRow, o RouteOptions) string {
	if !o.DeadlineSet {
		return ""
	}
	return fmt.Sprintf(" within the %s h deadline (%s%% late)", ff(o.Pack.DeadlineHours, -1), row.MissShare.Shift(2).Round(2))
}

// syncOrFlex routes work that cannot go to batch: flex where a book prices
// flex for every line, else the synchronous API.
func syncOrFlex(w *report.Workflow, flex decimal.Decimal, flexOK bool, monthly func(decimal.Decimal) decimal.Decimal) (mode, saving string, revert []string) {
	if flexOK && flex.IsPositive() {
		return RouteFlex, monthly(flex).String(), []string{
			"if user_waiting=true appears on its requests (a person waits: sync or stream)",
			"if flex requests are refused for capacity often enough to miss the deadline (fall back to sync)",
			"if the price book drops the flex rule for its model",
		}
	}
	return RouteSync, "0", []string{
		"if a price book gains a batch or flex rule for its model (re-run costaudit route)",
		"if user_waiting=true appears on its requests and responses should stream",
	}
}

// streamOrSync keeps a realtime workflow on the mode most of its
// real-time requests use: all of them, or those of its realtime parts
// when it is mixed (the job beside the people seldom streams).
func streamOrSync(w *report.Workflow) string {
	var stream, n int64
	for _, l := range w.Lines {
		n += l.Requests
		if l.Mode == string(pricing.ModeStream) {
			stream += l.Requests
		}
	}
	if len(w.Parts) > 0 {
		n = 0
		for _, p := range w.Parts {
			if p.Class == "realtime" {
				n += p.Requests
			}
		}
	}
	if n > 0 && 2*stream >= n {
		return RouteStream
	}
	return RouteSync
}

func realtimeRevert(w *report.Workflow) []string {
	out := []string{"if user_waiting=false on every request and its arrivals keep a schedule (re-run costaudit route: it may batch)"}
	for _, e := range w.Evidence {
		if strings.HasPrefix(e, "unclassified") {
			out = append(out, "if evidence appears: user_waiting, a source such as cron, etl or queue, or a schedule in the arrivals")
			break
		}
	}
	return out
}

func batchRevert(p95 string) []string {
	out := []string{
		"if user_waiting=true appears on its requests",
		"if a source people use (web_ui, chat, ide) appears",
	}
	if p95 != "" {
		out = append(out, "if the deadline for a result drops below "+p95+" h (the p95 added wait)")
	}
	return append(out, "if the arrivals stop keeping their schedule (costaudit route no longer finds it scheduled)")
}

// flexSaving is the workflow's saving with every line not already on batch
// or flex moved to flex, and whether a book prices flex for all of them.
func flexSaving(w *report.Workflow, q LineQuoter) (decimal.Decimal, bool, error) {
	if q == nil {
		return decimal.Zero, false, nil
	}
	saving, moved := decimal.Zero, 0
	for _, l := range w.Lines {
		if l.Mode == string(pricing.ModeBatch) || l.Mode == string(pricing.ModeFlex) {
			continue
		}
		c, ok, err := q.QuoteLine(l, pricing.ModeFlex)
		if err != nil {
			return decimal.Zero, false, err
		}
		if !ok {
			return decimal.Zero, false, nil
		}
		saving = saving.Add(l.CostUSD.Sub(c))
		moved++
	}
	return saving, moved > 0, nil
}

// packWorkflow replays the workflow's arrivals and returns the table and
// the chosen row: the one that saves the most, the longest interval (the
// fewest jobs) among equals.
func packWorkflow(w *report.Workflow, o RouteOptions, days decimal.Decimal) (*report.PackTable, *PackRow, error) {
	po := o.Pack
	po.SavingsUSD, po.WindowDays = w.WhatIf.SavingsUSD, days
	var inTokens, reqs int64
	limitWords := []string{}
	for _, prov := range w.Providers {
		mr, mb, _ := BatchLimits(prov)
		if mr > 0 && (po.MaxRequests == 0 || mr < po.MaxRequests) {
			po.MaxRequests = mr
		}
		if mb > 0 && (po.MaxBytes == 0 || mb < po.MaxBytes) {
			po.MaxBytes = mb
		}
		if mr > 0 || mb > 0 {
			limitWords = append(limitWords, limitText(prov, mr, mb))
		}
	}
	for _, l := range w.Lines {
		if l.BatchEligible {
			inTokens += l.InputTokens + l.CacheReadTokens + l.CacheWrite5mTokens + l.CacheWrite1hTokens
			reqs += l.Requests
		}
	}
	if po.MaxBytes > 0 {
		po.BytesPerRequest = o.BytesOverhead
		if reqs > 0 {
			po.BytesPerRequest += ceilDiv(inTokens*o.BytesPerToken, reqs)
		}
		limitWords = append(limitWords, fmt.Sprintf("%d bytes per request (%d bytes per input token + %d)", po.BytesPerRequest, o.BytesPerToken, o.BytesOverhead))
	}
	if len(limitWords) == 0 {
		limitWords = append(limitWords, "no documented per-job limit")
	}
	var arr []Arrival
	if o.Arrivals != nil {
		arr = o.Arrivals(w.Workflow)
	}
	res, err := Pack(arr, po)
	if err != nil {
		return nil, nil, err
	}
	t := &report.PackTable{Workflow: w.Workflow, Requests: res.Requests, Limit: strings.Join(limitWords, "; "), FullSavingsUSD: w.WhatIf.SavingsUSD.String()}
	var best *PackRow
	for i := range res.Rows {
		if r := &res.Rows[i]; best == nil || better(r, best) {
			best = r
		}
	}
	for _, r := range res.Rows {
		expired := decimal.Zero
		if r.Requests > 0 {
			expired = decimal.NewFromInt(r.Expired).DivRound(decimal.NewFromInt(r.Requests), packPlaces)
		}
		t.Rows = append(t.Rows, report.PackOut{
			EveryHours: r.EveryHours, SavingsUSD: r.SavingsUSD.String(), MonthlySavingsUSD: r.MonthlySavingsUSD.String(),
			Jobs: r.Jobs, Requests: r.Requests, Missed: r.Missed, Expired: r.Expired,
			WaitP50Hours: hours(r.WaitP50S), WaitP95Hours: hours(r.WaitP95S), WaitWorstHours: hours(r.WaitWorstS),
			JobsPerDay: r.JobsPerDay.String(), FullJobs: r.FullJobs, MissShare: r.MissShare.String(), ExpiredShare: expired.String(),
			Chosen: best != nil && r.EveryHours == best.EveryHours,
		})
	}
	return t, best, nil
}

// better ranks packer rows: the larger saving, then the fewer jobs, then
// the shorter p95 wait, then the shorter interval.
func better(a, b *PackRow) bool {
	switch {
	case !a.SavingsUSD.Equal(b.SavingsUSD):
		return a.SavingsUSD.GreaterThan(b.SavingsUSD)
	case a.Jobs != b.Jobs:
		return a.Jobs < b.Jobs
	case a.WaitP95S != b.WaitP95S:
		return a.WaitP95S < b.WaitP95S
	}
	return a.EveryHours < b.EveryHours
}

// batchLimitPages are the provider pages that state the per-job limits.
var batchLimitPages = map[string]string{
	"openai":    "OpenAI Batch API (https://platform.openai.com/docs/guides/batch)",
	"anthropic": "Anthropic Message Batches (https://platform.claude.com/docs/en/build-with-claude/batch-processing)",
	"google":    "Gemini Batch Mode (https://ai.google.dev/gemini-api/docs/batch-mode; the 2 GB file limit is from a secondary source, unverified)",
	"gemini":    "Gemini Batch Mode (https://ai.google.dev/gemini-api/docs/batch-mode; the 2 GB file limit is from a secondary source, unverified)",
}

// limitText describes one provider's per-job limits.
func limitText(provider string, requests, bytes int64) string {
	var parts []string
	if requests > 0 {
		parts = append(parts, fmt.Sprintf("%s requests", numfmt.Int(requests)))
	}
	if bytes > 0 {
		parts = append(parts, fmt.Sprintf("%s MB", numfmt.Int(bytes/1_000_000)))
	}
	page := batchLimitPages[provider]
	if page == "" {
		page = provider
	}
	return page + ": at most " + strings.Join(parts, " and ") + " per job"
}

// hours renders whole seconds as hours with 2 decimals.
func hours(s int64) string {
	return decimal.NewFromInt(s).DivRound(decimal.NewFromInt(3600), 2).StringFixed(2)
}

// routeParts routes each part of a mixed workflow. A part's saving is
// pro rata by requests: the audit prices the workflow, not its parts.
func routeParts(w *report.Workflow, whole Route, o RouteOptions, monthly func(decimal.Decimal) decimal.Decimal) ([]Route, error) {
	var out []Route
	for _, part := range w.Parts {
		r := Route{
			Workflow: w.Workflow, Part: part.Name, Class: part.Class,
			Current: whole.Current, Providers: whole.Providers, Models: whole.Models, Requests: part.Requests,
			MonthlySavingsUSD: "0", Evidence: []string{part.Evidence}, Why: []string{},
		}
		switch part.Class {
		case "realtime":
			r.Mode = streamOrSync(w)
			r.Why = append(r.Why, "people wait on this part: real-time delivery")
			r.RevertIf = []string{"never batched: people wait on this part"}
		default:
			batch, ok, err := modeSaving(w, o.Quoter, pricing.ModeBatch)
			if err != nil {
				return nil, err
			}
			flex, flexOK, err := flexSaving(w, o.Quoter)
			if err != nil {
				return nil, err
			}
			switch {
			case part.Class == "scheduled" && ok && batch.IsPositive():
				r.Mode = RouteBatch
				r.MonthlySavingsUSD = monthly(proRata(batch, part.Requests, w.Requests)).String()
				r.Why = append(r.Why, "scheduled part: batch once it has its own workflow name (--workflow-key, or a workflow field in the logs); saving estimated pro rata by requests")
				r.RevertIf = batchRevert("")
			case flexOK && flex.IsPositive():
				r.Mode = RouteFlex
				r.MonthlySavingsUSD = monthly(proRata(flex, part.Requests, w.Requests)).String()
				r.Why = append(r.Why, "flex once the part has its own workflow name; saving estimated pro rata by requests")
				r.RevertIf = []string{"if user_waiting=true appears on its requests"}
			default:
				r.Mode = RouteSync
				r.RevertIf = []string{"if a price book gains a batch or flex rule for its model"}
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// modeSaving is the saving of every line not already in mode moved to it.
func modeSaving(w *report.Workflow, q LineQuoter, mode pricing.Mode) (decimal.Decimal, bool, error) {
	if q == nil {
		return decimal.Zero, false, nil
	}
	saving := decimal.Zero
	any := false
	for _, l := range w.Lines {
		if l.Mode == string(mode) || l.Mode == string(pricing.ModeBatch) {
			continue
		}
		c, ok, err := q.QuoteLine(l, mode)
		if err != nil {
			return decimal.Zero, false, err
		}
		if ok {
			saving, any = saving.Add(l.CostUSD.Sub(c)), true
		}
	}
	return saving, any, nil
}

func proRata(d decimal.Decimal, k, n int64) decimal.Decimal {
	if n <= 0 {
		return decimal.Zero
	}
	return d.Mul(decimal.NewFromInt(k)).DivRound(decimal.NewFromInt(n), packPlaces)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// CatalogQuoter prices workflow lines with a price catalog: it finds the
// price-book entry and tier a line's PriceRef names and quotes its tokens
// under another mode.
type CatalogQuoter struct {
	Cat  *pricing.Catalog
	keys map[string]pricing.PriceKey
}

// maxTiers bounds the long-context tiers searched for a PriceRef.
const maxTiers = 8

// QuoteLine implements LineQuoter.
func (c *CatalogQuoter) QuoteLine(l report.WorkflowLine, mode pricing.Mode) (decimal.Decimal, bool, error) {
	k, ok := c.key(l)
	if !ok {
		return decimal.Zero, false, nil
	}
	q, err := c.Cat.Quote(k, mode, pricing.Usage{Requests: l.Requests, Input: l.InputTokens, CacheRead: l.CacheReadTokens,
		CacheWrite5m: l.CacheWrite5mTokens, CacheWrite1h: l.CacheWrite1hTokens, Output: l.OutputTokens})
	if err != nil {
		// No rule for the mode (no batch API, no flex price): not an error
		// of the policy, only a mode it cannot use.
		return decimal.Zero, false, nil
	}
	return q.Total, true, nil
}

// key finds the catalog key whose entry reference is l.PriceRef.
func (c *CatalogQuoter) key(l report.WorkflowLine) (pricing.PriceKey, bool) {
	id := l.Provider + "\x00" + l.Model + "\x00" + l.PriceRef
	if k, ok := c.keys[id]; ok {
		return k, true
	}
	if c.keys == nil {
		c.keys = map[string]pricing.PriceKey{}
	}
	for e := int32(0); ; e++ {
		base := pricing.PriceKey{Provider: l.Provider, ModelID: l.Model, Entry: e}
		if c.Cat.Entry(base).Ref == "" {
			return pricing.PriceKey{}, false
		}
		for t := int8(0); t <= maxTiers; t++ {
			k := base
			k.Tier = t
			ref := c.Cat.Entry(k).Ref
			if ref == "" {
				break
			}
			if ref == l.PriceRef {
				c.keys[id] = k
				return k, true
			}
		}
	}
}

// PackingOf is the packer section of an analyze report: the policy's
// replays with their deadline, window and Monte Carlo settings.
func PackingOf(p *Policy, days decimal.Decimal) *report.Packing {
	return &report.Packing{DeadlineHours: p.DeadlineHours, WindowDays: days.String(), MonteCarlo: p.MonteCarlo, Workflows: p.Packing}
}
