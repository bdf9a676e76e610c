package audit

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify" // classify is a function of decode_format.go until the decoders move out
	"github.com/costaudit/costaudit/internal/testutil"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

// fixtureRecords is a small log over three days (2026-11-02 to 11-04, the
// acme-large price changes on 11-04) with one workflow of every kind:
// a nightly cron job, an interactive chat with cancelled streams, an ETL
// on a provider without batch, an already-batched eval with failures, and
// a workflow on an unknown model.
func fixtureRecords(t *testing.T, cat *pricing.Catalog) []Record {
	r := rand.New(rand.NewPCG(9, 9))
	var out []Record
	add := func(rc Record) { out = append(out, rc) }
	for d := range 3 {
		day := time.Date(2026, 11, 2+d, 0, 0, 0, 0, time.UTC)
		for i := range 30 {
			rc := Record{TS: day.Add(2*time.Hour + time.Duration(i*37)*time.Second), Provider: "acme", Model: "acme-large",
				Workflow: "nightly-enrich", Source: "cron", Mode: pricing.ModeSync, UserWaiting: 0,
				InputTokens: 1000 + int64(r.IntN(500)), CacheReadTokens: 2000, OutputTokens: 200 + int64(r.IntN(100)),
				LatencyMS: 900, TTFTMS: -1, Status: StatusOK, Team: "catalog", Tags: map[string]string{"env": "prod"}}
			if i == 0 && d == 2 {
				rc.InputTokens = 150000 // long-context tier
			}
			// The logger prices cache reads as plain input.
			alt := pricing.Usage{Requests: 1, Input: rc.InputTokens + rc.CacheReadTokens, Output: rc.OutputTokens}
			k, err := cat.Key("acme", "acme-large", rc.TS, rc.Usage().TotalInput())
			if err != nil {
				t.Fatal(err)
			}
			q, err := cat.Quote(k, pricing.ModeSync, alt)
			if err != nil {
				t.Fatal(err)
			}
			rc.LoggedCostUSD = q.Total.String()
			add(rc)
		}
		for i := range 24 {
			rc := Record{TS: day.Add(9*time.Hour + time.Duration(i*23)*time.Minute), Provider: "acme", Model: "acme-small",
				Workflow: "chat", Source: "web_ui", Mode: pricing.ModeStream, UserWaiting: 1,
				InputTokens: 500 + int64(r.IntN(200)), OutputTokens: 300 + int64(r.IntN(100)),
				LatencyMS: 2000, TTFTMS: 300 + int64(r.IntN(400)), Status: StatusOK, MaxTokens: 1000, Team: "support", Tags: map[string]string{"env": "prod"}}
			if i%8 == 3 {
				rc.Status, rc.OutputTokens = StatusCancelled, 40
			}
			add(rc)
		}
		for i := range 25 {
			add(Record{TS: day.Add(4*time.Hour + time.Duration(i*11)*time.Second), Provider: "nob", Model: "nob-chat",
				Workflow: "summaries", Source: "etl", Mode: pricing.ModeSync, UserWaiting: -1,
				InputTokens: 3000, CacheReadTokens: 500, OutputTokens: 300, LatencyMS: -1, TTFTMS: -1, Status: StatusOK, Team: "research"})
		}
		for i := range 20 {
			rc := Record{TS: day.Add(3*time.Hour + time.Duration(i)*time.Minute), Provider: "acme", Model: "acme-large",
				Workflow: "evals", Source: "etl", Mode: pricing.ModeBatch, UserWaiting: 0,
				InputTokens: 800, OutputTokens: 900, LatencyMS: -1, TTFTMS: -1, Status: StatusOK, Team: "ml"}
			if i == 7 {
				rc.Status, rc.InputTokens, rc.OutputTokens = StatusError, 0, 0
			}
			add(rc)
		}
		add(Record{TS: day.Add(15 * time.Hour), Provider: "acme", Model: "acme-mystery", Workflow: "labs", Mode: pricing.ModeSync,
			UserWaiting: -1, InputTokens: 100, OutputTokens: 100, LatencyMS: -1, TTFTMS: -1, Status: StatusOK, LoggedCostUSD: "0.01"})
	}
	return out
}

func fixtureStats(n int) Stats {
	return Stats{Files: 1, Lines: int64(n) + 3, Records: int64(n), Duplicates: 1, Rejected: 2,
		RejectedByReason: map[string]int64{"invalid JSON": 1, "negative token count": 1}, Formats: map[string]int64{"canonical-jsonl": 1}}
}

func buildFixture(t *testing.T, records []Record, parts int, groupBy []string) []byte {
	t.Helper()
	cat := testCatalog(t)
	opts := aggregate.Options{GroupBy: groupBy}
	aggs := make([]*aggregate.Aggregator, parts)
	for i := range aggs {
		aggs[i] = aggregate.New(cat, opts)
	}
	for i := range records {
		aggs[(i*7)%parts].Consume(&records[i])
	}
	rep, err := BuildReport(aggregate.Merge(aggs...), fixtureStats(len(records)), cat, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestBuildReportGolden(t *testing.T) {
	cat := testCatalog(t)
	got := buildFixture(t, fixtureRecords(t, cat), 1, []string{"team", "tag:env"})
	testutil.Golden(t, filepath.Join("testdata", "report", "analyze.golden.json"), got)
}

// TestBuildReportDeterministic feeds the records shuffled, split over
// several aggregators, and checks the report bytes do not change.
func TestBuildReportDeterministic(t *testing.T) {
	cat := testCatalog(t)
	records := fixtureRecords(t, cat)
	want := buildFixture(t, records, 1, []string{"team"})
	for seed := range uint64(3) {
		shuffled := append([]Record(nil), records...)
		rand.New(rand.NewPCG(seed, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for _, parts := range []int{1, 2, 5} {
			if got := buildFixture(t, shuffled, parts, []string{"team"}); !bytes.Equal(got, want) {
				t.Errorf("seed %d, %d aggregators: report bytes differ", seed, parts)
			}
		}
	}
}

// TestBuildReportFigures checks the figures a reader relies on against
// hand-computed values.
func TestBuildReportFigures(t *testing.T) {
	cat := testCatalog(t)
	records := fixtureRecords(t, cat)
	agg := aggregate.New(cat, aggregate.Options{})
	for i := range records {
		agg.Consume(&records[i])
	}
	rep, err := BuildReport(agg, fixtureStats(len(records)), cat, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Every record is priced, unbilled or unpriced.
	c := rep.Coverage
	if c.Records != int64(len(records)) || c.Priced+c.Unbilled+c.Unpriced != c.Records || c.Unbilled != 3 || c.Unpriced != 3 || c.UnpricedModels["acme-mystery"] != 3 {
		t.Errorf("coverage %+v", c)
	}
	// Sum of per-record prices equals the report total.
	var sum decimal.Decimal
	for _, rc := range records {
		if !rc.Billed() || rc.Model == "acme-mystery" {
			continue
		}
		q, err := cat.Price(rc.Provider, rc.Model, rc.TS, rc.Mode, rc.Usage())
		if err != nil {
			t.Fatal(err)
		}
		sum = sum.Add(q.Total)
	}
	if !sum.Equal(rep.Totals.CostUSD) {
		t.Errorf("total %s, per-record sum %s", rep.Totals.CostUSD, sum)
	}
	wf := map[string]report.Workflow{}
	for _, w := range rep.Workflows {
		wf[w.Workflow] = w
	}
	for _, tc := range []struct {
		name, class, reason string
		eligible            bool
	}{
		{"nightly-enrich", classify.Scheduled, "scheduled: moves to the provider's batch API", true},
		{"chat", classify.Realtime, "realtime", false},
		{"summaries", classify.Scheduled, "nob has no batch API", false},
		{"evals", classify.Scheduled, "already batched", false},
		{"labs", classify.Realtime, "no priced requests", false},
	} {
		w := wf[tc.name]
		if w.Class != tc.class || w.WhatIf.Reason != tc.reason || w.WhatIf.Eligible != tc.eligible {
			t.Errorf("%s: class %s what-if %+v, want %s %q %v", tc.name, w.Class, w.WhatIf, tc.class, tc.reason, tc.eligible)
		}
	}
	// Batch at 50% with cache stacking: the nightly job's batch cost is
	// exactly half its cost.
	n := wf["nightly-enrich"]
	if !n.WhatIf.BatchCostUSD.Mul(decimal.NewFromInt(2)).Equal(n.CostUSD) || !n.WhatIf.SavingsUSD.Equal(n.WhatIf.BatchCostUSD) {
		t.Errorf("nightly what-if %+v cost %s", n.WhatIf, n.CostUSD)
	}
	if len(rep.Opportunities) != 1 || rep.Opportunities[0].Workflow != "nightly-enrich" || rep.Opportunities[0].Rank != 1 {
		t.Errorf("opportunities %+v", rep.Opportunities)
	}
	// Cancelled streams: 3 per day, 40 tokens delivered of 1000.
	ec := rep.EarlyCancel
	if ec.CancelledStreams != 9 || ec.DeliveredOutputTokens != 360 || ec.NotGeneratedTokensMax != 9*960 || ec.NotGeneratedTokensMin != 0 ||
		!ec.SavedUSDMax.Equal(decimal.RequireFromString("0.003456")) || !strings.Contains(ec.Note, "unverified") {
		t.Errorf("early cancel %+v", ec)
	}
	// Reconciliation: the nightly logger ignored cache reads; the unknown
	// model has nothing to compare with.
	causes := map[string]string{}
	for _, r := range rep.Reconciliation {
		causes[r.Workflow] = r.LikelyCause
	}
	if !strings.HasPrefix(causes["nightly-enrich"], "cache tokens ignored by the logger") || !strings.HasPrefix(causes["labs"], "unknown model") || len(causes) != 2 {
		t.Errorf("reconciliation %+v", rep.Reconciliation)
	}
	// Window: first to last priced record, and a 30-day projection.
	if rep.Window.Start != "2026-11-02T02:00:00Z" || rep.Window.End != "2026-11-04T17:49:00Z" || rep.Window.Days.String() != "2.659028" {
		t.Errorf("window %+v", rep.Window)
	}
	if want := rep.Totals.CostUSD.Mul(decimal.NewFromInt(30)).DivRound(rep.Window.Days, 6); !rep.Projection.MonthlyCostUSD.Equal(want) {
		t.Errorf("projection %s, want %s", rep.Projection.MonthlyCostUSD, want)
	}
	// Near-realtime joins the batch what-if only when asked.
	rep2, err := BuildReport(agg, fixtureStats(len(records)), cat, BuildOptions{BatchClasses: []string{classify.Scheduled, classify.NearRealtime}, BatchClassesFromFlag: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Assumptions[1] != (report.Assumption{Key: "batch_classes", Value: "scheduled,near-realtime", Source: "flag --batch-classes"}) {
		t.Errorf("assumptions %+v", rep2.Assumptions)
	}
	if _, err := BuildReport(agg, Stats{}, cat, BuildOptions{BatchClasses: []string{"soon"}}); err == nil {
		t.Error("accepted batch class soon")
	}
}

func TestReconciliationCauses(t *testing.T) {
	cat := testCatalog(t)
	for _, tc := range []struct {
		name   string
		logged string // per record
		cache  int64
		cause  string
	}{
		// 1000 in + 100 out at v2 (1/5 per M) = 0.0015; at v1 (2/10) = 0.003.
		{"old price version", "0.003", 0, "price version: the logged cost matches acme/acme-large@2026-01-01, not the price in force at the request time"},
		// With 1000 cache reads: ours 0.0015 + 0.0001; cache as input 0.0025.
		{"cache ignored", "0.0025", 1000, "cache tokens ignored by the logger: the logged cost matches pricing cache reads and writes as plain input"},
		{"discount", "0.0012", 0, "logged cost is 80.0% of list: a contract discount, or a logger that leaves out some tokens"},
		{"within 1%", "0.001505", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			agg := aggregate.New(cat, aggregate.Options{})
			for i := range 4 {
				r := rec("2026-11-05T10:00:00Z", "acme", "acme-large", "w", pricing.ModeSync, 1000, 100)
				r.TS = r.TS.Add(time.Duration(i) * time.Minute)
				r.CacheReadTokens, r.LoggedCostUSD = tc.cache, tc.logged
				agg.Consume(&r)
			}
			rep, err := BuildReport(agg, Stats{}, cat, BuildOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.cause == "" {
				if len(rep.Reconciliation) != 0 {
					t.Errorf("listed %+v", rep.Reconciliation)
				}
				return
			}
			if len(rep.Reconciliation) != 1 || rep.Reconciliation[0].LikelyCause != tc.cause || rep.Reconciliation[0].Requests != 4 {
				t.Errorf("reconciliation %+v", rep.Reconciliation)
			}
		})
	}
}

// TestLikelyCauseZeroLogged checks that a $0 logged cost is reported as
// what the log shows, without a guessed cause, even when the cost of list
// is far above it (which the percentage rules would call a discount).
func TestLikelyCauseZeroLogged(t *testing.T) {
	b := &builder{}
	got := b.likelyCause(reconKey{model: "gpt-4o"}, &reconAcc{requests: 3, logged: decimal.Zero, ours: decimal.RequireFromString("1.25"), cacheTokens: 10, altOK: true})
	want := "the log records a cost of $0 for these requests and does not say why; the costaudit column is the list price"
	if got != want {
		t.Errorf("likelyCause = %q, want %q", got, want)
	}
}
