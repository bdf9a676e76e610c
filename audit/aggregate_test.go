package audit

import (
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify" // classify is a function of decode_format.go until the decoders move out
	"github.com/costaudit/costaudit/pricing"
)

func testCatalog(t testing.TB) *pricing.Catalog {
	t.Helper()
	c, err := pricing.Load(pricing.BookSource{Name: "test", FS: os.DirFS("testdata/books"), Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// rec returns a record with the absent-value conventions of the decoders.
func rec(at, provider, model, workflow string, mode pricing.Mode, in, out int64) Record {
	return Record{
		TS: ts(at), Provider: provider, Model: model, Workflow: workflow, Mode: mode,
		UserWaiting: -1, InputTokens: in, OutputTokens: out, LatencyMS: -1, TTFTMS: -1, Status: StatusOK,
	}
}

func TestAggregatorRows(t *testing.T) {
	cat := testCatalog(t)
	tier := rec("2026-11-05T10:00:00Z", "", "acme-large", "b", pricing.ModeSync, 200000, 1000)
	tier.LoggedCostUSD = "0.41"
	cancelled := rec("2026-11-05T23:30:00Z", "nob", "nob-chat", "c", pricing.ModeStream, 100, 50)
	cancelled.Status, cancelled.MaxTokens = StatusCancelled, 500
	failed := rec("2026-11-02T11:00:00Z", "acme", "acme-small", "a", pricing.ModeBatch, 0, 0)
	failed.Status = StatusError
	teamed := rec("2026-11-02T10:05:00Z", "acme", "acme-large", "a", pricing.ModeSync, 3000, 300)
	teamed.Team = "core"
	records := []Record{
		rec("2026-11-02T10:00:00Z", "acme", "acme-large", "a", pricing.ModeSync, 1000, 100),
		teamed,
		tier,
		cancelled,
		failed,
		rec("2026-11-03T09:00:00Z", "acme", "mystery-1", "a", pricing.ModeSync, 10, 10),
		rec("2026-10-01T09:00:00Z", "acme", "acme-large", "a", pricing.ModeSync, 10, 10), // before Since
		rec("2026-11-03T09:00:00Z", "", "acme-small", "", "", 7, 3),
	}
	agg := aggregate.New(cat, aggregate.Options{GroupBy: []string{"team"}, Since: ts("2026-11-01T00:00:00Z"), TZ: time.FixedZone("UTC+1", 3600)})
	for i := range records {
		agg.Consume(&records[i])
	}
	want := []aggregate.Row{
		{Workflow: aggregate.UnnamedWorkflow, Provider: "acme", Model: "acme-small", Mode: "sync", Status: aggregate.RowPriced, Day: "2026-11-03",
			PriceKey: pricing.PriceKey{Provider: "acme", ModelID: "acme-small"}, Groups: []string{""}, Requests: 1, InputTokens: 7, OutputTokens: 3},
		{Workflow: "a", Provider: "acme", Model: "acme-large", Mode: "sync", Status: aggregate.RowPriced, Day: "2026-11-02",
			PriceKey: pricing.PriceKey{Provider: "acme", ModelID: "acme-large"}, Groups: []string{""}, Requests: 1, InputTokens: 1000, OutputTokens: 100},
		{Workflow: "a", Provider: "acme", Model: "acme-large", Mode: "sync", Status: aggregate.RowPriced, Day: "2026-11-02",
			PriceKey: pricing.PriceKey{Provider: "acme", ModelID: "acme-large"}, Groups: []string{"core"}, Requests: 1, InputTokens: 3000, OutputTokens: 300},
		{Workflow: "a", Provider: "acme", Model: "acme-small", Mode: "batch", Status: aggregate.RowUnbilled, Day: "2026-11-02", Groups: []string{""}, Requests: 1},
		{Workflow: "a", Provider: "acme", Model: "mystery-1", Mode: "sync", Status: aggregate.RowUnpriced, Day: "2026-11-03", Groups: []string{""}, Requests: 1, InputTokens: 10, OutputTokens: 10},
		{Workflow: "b", Provider: "acme", Model: "acme-large", Mode: "sync", Status: aggregate.RowPriced, LoggedCost: true, Day: "2026-11-05",
			PriceKey: pricing.PriceKey{Provider: "acme", ModelID: "acme-large", Entry: 1, Tier: 1}, Groups: []string{""}, Requests: 1, InputTokens: 200000, OutputTokens: 1000,
			LoggedCostUSD: decimal.RequireFromString("0.41")},
		{Workflow: "c", Provider: "nob", Model: "nob-chat", Mode: "stream", Status: aggregate.RowPriced, Day: "2026-11-06", // 23:30 UTC is the next day at UTC+1
			PriceKey: pricing.PriceKey{Provider: "nob", ModelID: "nob-chat"}, Groups: []string{""}, Requests: 1, InputTokens: 100, OutputTokens: 50,
			CancelledStreams: 1, CancelledOutputTokens: 50, CancelledWithMax: 1, CancelledHeadroomTokens: 450},
	}
	got := agg.Rows()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !got[i].LoggedCostUSD.Equal(want[i].LoggedCostUSD) {
			t.Errorf("row %d logged cost %s, want %s", i, got[i].LoggedCostUSD, want[i].LoggedCostUSD)
		}
		got[i].LoggedCostUSD, want[i].LoggedCostUSD = decimal.Zero, decimal.Zero
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	if agg.Filtered() != 1 {
		t.Errorf("filtered %d, want 1", agg.Filtered())
	}
	first, last, ok := agg.PricedWindow()
	if !ok || !first.Equal(ts("2026-11-02T10:00:00Z")) || !last.Equal(ts("2026-11-05T23:30:00Z")) {
		t.Errorf("priced window %v %v %v", first, last, ok)
	}
	if why := agg.UnpricedReasons()["mystery-1"]; why == "" {
		t.Errorf("no reason for the unpriced model")
	}
	w := agg.Workflow("a")
	if w.Requests != 4 || w.Teams["core"] != 1 || w.Modes["batch"] != 1 || w.Arrival.Hour[10] != 2 || w.Arrival.Weekday[1] != 3 {
		t.Errorf("workflow a stats %+v", w)
	}
}

// TestAggregatorMerge splits records over aggregators in different orders
// and checks that every split merges to the same rows and evidence.
func TestAggregatorMerge(t *testing.T) {
	cat := testCatalog(t)
	var records []Record
	for i := range 300 {
		r := rec("2026-11-01T00:00:00Z", "acme", "acme-large", []string{"x", "y", "z"}[i%3], []pricing.Mode{"sync", "stream", "batch"}[i%3/1%3], int64(100+i), int64(i))
		r.TS = r.TS.Add(time.Duration(i) * 37 * time.Minute)
		if i%7 == 0 {
			r.LoggedCostUSD = "0.000123"
		}
		if i%11 == 0 {
			r.Status, r.MaxTokens = StatusCancelled, 1000
		}
		r.TTFTMS = int64(i * 10)
		r.Tags = map[string]string{"env": []string{"prod", "dev"}[i%2]}
		records = append(records, r)
	}
	opts := aggregate.Options{GroupBy: []string{"tag:env"}}
	one := aggregate.New(cat, opts)
	for i := range records {
		one.Consume(&records[i])
	}
	for _, parts := range []int{2, 3, 7} {
		aggs := make([]*aggregate.Aggregator, parts)
		for i := range aggs {
			aggs[i] = aggregate.New(cat, opts)
		}
		for i := len(records) - 1; i >= 0; i-- {
			aggs[(i*31)%parts].Consume(&records[i])
		}
		m := aggregate.Merge(aggs[parts-1], nil, aggregate.Merge(aggs[:parts-1]...))
		if !reflect.DeepEqual(normRows(m.Rows()), normRows(one.Rows())) {
			t.Errorf("%d parts: rows differ", parts)
		}
		for _, w := range one.Workflows() {
			if !reflect.DeepEqual(m.Workflow(w.Workflow), w) {
				t.Errorf("%d parts: workflow %s evidence differs", parts, w.Workflow)
			}
		}
		f1, l1, _ := m.PricedWindow()
		f2, l2, _ := one.PricedWindow()
		if !f1.Equal(f2) || !l1.Equal(l2) {
			t.Errorf("%d parts: window differs", parts)
		}
	}
}

func TestAggregateRowRoundTrip(t *testing.T) {
	cat := testCatalog(t)
	a := aggregate.New(cat, aggregate.Options{GroupBy: []string{"team", "tag:env"}})
	r := rec("2026-11-02T10:00:00Z", "acme", "acme-large", "a", pricing.ModeSync, 1000, 100)
	r.Team, r.Tags, r.LoggedCostUSD = "core", map[string]string{"env": "prod"}, "0.5"
	a.Consume(&r)
	b := aggregate.New(cat, aggregate.Options{GroupBy: []string{"team", "tag:env"}})
	for _, row := range a.Rows() {
		if err := b.AddRow(row); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(normRows(a.Rows()), normRows(b.Rows())) {
		t.Errorf("round trip: %+v != %+v", b.Rows(), a.Rows())
	}
	// Rows without their evidence price the same and stay assumed realtime.
	ra, err := BuildReport(a, Stats{}, cat, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := BuildReport(b, Stats{}, cat, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !ra.Totals.CostUSD.Equal(rb.Totals.CostUSD) || rb.Workflows[0].Class != classify.Realtime || rb.Workflows[0].Evidence[0] != classify.Unclassified {
		t.Errorf("report from rows: total %s vs %s, workflow %+v", rb.Totals.CostUSD, ra.Totals.CostUSD, rb.Workflows[0])
	}
	cells := a.Workflow("a").Arrival.Cells()
	if len(cells) != 1 || cells[0] != (aggregate.ArrivalCell{Day: "2026-11-02", Bin: 60, Requests: 1}) {
		t.Errorf("cells %+v", cells)
	}
	// Cells carry the 10-minute bins, not the minutes.
	var s aggregate.ArrivalStats
	want := a.Workflow("a").Arrival
	want.Bins, want.Minutes = want.BinCounts(), nil
	if err := s.AddCell(cells[0]); err != nil || !reflect.DeepEqual(s, want) {
		t.Errorf("AddCell: %v %+v", err, s)
	}
	bad := a.Rows()[0]
	bad.Status = "free"
	if err := b.AddRow(bad); err == nil {
		t.Error("AddRow accepted status free")
	}
}

func TestCheckGroupBy(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		ok   bool
	}{
		{nil, true},
		{[]string{"team", "tag:env"}, true},
		{[]string{"tag:"}, false},
		{[]string{"region"}, false},
		{[]string{"team", "team"}, false},
	} {
		if err := aggregate.CheckGroupBy(tc.keys); (err == nil) != tc.ok {
			t.Errorf("CheckGroupBy(%v) = %v", tc.keys, err)
		}
	}
}

func TestTTFTQuantile(t *testing.T) {
	var s aggregate.TTFTStats
	for _, ms := range []int64{50, 150, 450, 450, 900, 40000} {
		s.Observe(ms)
	}
	for _, tc := range []struct {
		q    float64
		want int64
		ok   bool
	}{{0.5, 500, true}, {0.1, 100, true}, {0.8, 1000, true}, {1, 0, false}} {
		got, ok := s.Quantile(tc.q)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Quantile(%v) = %d %v, want %d %v", tc.q, got, ok, tc.want, tc.ok)
		}
	}
	if s.Count != 6 || s.SumMS != 42000 {
		t.Errorf("count %d sum %d", s.Count, s.SumMS)
	}
}

// normRows replaces the decimals by their strings: equal decimals can
// differ in representation.
func normRows(rows []aggregate.Row) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		s := r.LoggedCostUSD.String()
		r.LoggedCostUSD = decimal.Zero
		out[i] = []any{r, s}
	}
	return out
}

// TestAggregatorCachesMatchMaps feeds more name combinations than the
// aggregator's caches hold, with names built afresh for every record (equal
// strings at different addresses), across price entries and tiers, and
// checks every row's price key against Catalog.Key and every workflow's
// label counts against aggregate.WorkflowStats.observe, also when the evidence is
// read half way through.
func TestAggregatorCachesMatchMaps(t *testing.T) {
	cat := testCatalog(t)
	agg := aggregate.New(cat, aggregate.Options{})
	type rowID struct {
		workflow, model string
		pk              pricing.PriceKey
	}
	wantRows := map[rowID]int64{}
	wantLogged := decimal.Zero
	wantWF := map[string]*aggregate.WorkflowStats{}
	days := []string{"2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"}
	models := []string{"acme-large", "acme-small", "mystery-9"}
	inputs := []int64{10, 100_000, 100_001, 250_000}
	for i := 0; i < 3000; i++ {
		r := rec(fmt.Sprintf("%sT%02d:%02d:00Z", days[i*7%len(days)], i%24, i%60), "acme",
			fmt.Sprint(models[i*5%len(models)]), fmt.Sprintf("wf-%d", i%23), pricing.ModeSync, inputs[i*3%len(inputs)], 5)
		r.Source = fmt.Sprintf("src-%d", i%7)
		switch i % 3 {
		case 0:
			r.LoggedCostUSD = fmt.Sprintf("0.%06d", i)
		case 1:
			r.LoggedCostUSD = fmt.Sprintf("-%d.5", i%4) // not a plain amount: decimal path
		}
		if i%4 != 0 {
			r.Team = fmt.Sprintf("team-%d", i%5)
		}
		if i == 1500 {
			agg.Workflows()
		}
		// Runs of equal records, so that the cached counts reach above one.
		for range 1 + i%3 {
			agg.Consume(&r)
			w := wantWF[r.Workflow]
			if w == nil {
				w = aggregate.NewWorkflowStats(r.Workflow)
				wantWF[r.Workflow] = w
			}
			pk, err := cat.Key(r.Provider, r.Model, r.TS, r.InputTokens)
			w.Observe(&r, r.Mode, nil, err == nil && r.Billed())
			if err != nil {
				pk = pricing.PriceKey{}
			}
			wantRows[rowID{r.Workflow, r.Model, pk}]++
			if r.LoggedCostUSD != "" {
				wantLogged = wantLogged.Add(decimal.RequireFromString(r.LoggedCostUSD))
			}
		}
	}
	gotRows := map[rowID]int64{}
	gotLogged := decimal.Zero
	for _, row := range agg.Rows() {
		gotRows[rowID{row.Workflow, row.Model, row.PriceKey}] += row.Requests
		gotLogged = gotLogged.Add(row.LoggedCostUSD)
	}
	if !gotLogged.Equal(wantLogged) {
		t.Errorf("logged cost %s, want %s", gotLogged, wantLogged)
	}
	if !reflect.DeepEqual(gotRows, wantRows) {
		t.Errorf("rows by price key:\ngot  %v\nwant %v", gotRows, wantRows)
	}
	got := agg.Workflows()
	if len(got) != len(wantWF) {
		t.Fatalf("%d workflows, want %d", len(got), len(wantWF))
	}
	for _, w := range got {
		want := wantWF[w.Workflow]
		if !reflect.DeepEqual(w, want) {
			t.Errorf("workflow %s:\ngot  %+v\nwant %+v", w.Workflow, w, want)
		}
	}
}
