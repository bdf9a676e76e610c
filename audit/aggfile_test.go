package audit

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/pricing"
)

// aggRecordsOf returns the aggregate records of one record, by the
// definition of the format (aggregate.FileRecord): a row, an evidence record, an
// arrival record and a tag record per counted tag key. The arrival record
// is a minute cell, or with legacyArrival the 10-minute bin of a file
// written before minute cells.
func aggRecordsOf(r *Record, thresholds []int64, tagKeys, groupBy []string, legacyArrival bool) []*aggregate.FileRecord {
	wf := r.Workflow
	if wf == "" {
		wf = aggregate.UnnamedWorkflow
	}
	mode := string(r.Mode)
	u := r.Usage()
	above := int64(0)
	for _, t := range thresholds {
		if u.TotalInput() > t {
			above = t
		}
	}
	us := r.TS.UnixMicro()
	day := r.TS.UTC().Format(time.DateOnly)
	row := &aggregate.FileRecord{
		Kind: aggregate.KindRow, Workflow: wf, Provider: strings.ToLower(r.Provider), Model: r.Model, Mode: mode,
		Billed: r.Billed(), LoggedCost: r.LoggedCostUSD != "", Day: day, InputAbove: above,
		Requests: 1, InputTokens: r.InputTokens, CacheReadTokens: r.CacheReadTokens,
		CacheWrite5mTokens: r.CacheWrite5mTokens, CacheWrite1hTokens: r.CacheWrite1hTokens,
		OutputTokens: r.OutputTokens, ReasoningTokens: r.ReasoningTokens,
		FirstTSUS: us, LastTSUS: us,
	}
	for _, g := range groupBy {
		if k, ok := strings.CutPrefix(g, "tag:"); ok {
			row.Groups = append(row.Groups, r.Tags[k])
		} else {
			row.Groups = append(row.Groups, r.Team)
		}
	}
	if r.LoggedCostUSD != "" {
		row.LoggedCostUSD = decimal.RequireFromString(r.LoggedCostUSD)
	}
	if r.Status == StatusCancelled && r.Mode == pricing.ModeStream {
		row.CancelledStreams = 1
		row.CancelledOutputTokens = r.OutputTokens
		if r.MaxTokens > 0 {
			row.CancelledWithMax = 1
			if h := r.MaxTokens - r.OutputTokens; h > 0 {
				row.CancelledHeadroomTokens = h
			}
		}
	}
	ev := &aggregate.FileRecord{Kind: aggregate.KindEvidence, Workflow: wf, Source: r.Source, Mode: mode, Model: r.Model, Team: r.Team,
		UserWaiting: int64(r.UserWaiting), TTFTBucket: -1, Requests: 1}
	if r.TTFTMS >= 0 {
		b := 0
		for b < len(aggregate.TTFTBoundsMS) && r.TTFTMS >= aggregate.TTFTBoundsMS[b] {
			b++
		}
		ev.TTFTBucket, ev.TTFTSumMS = int64(b), r.TTFTMS
	}
	sec := r.TS.Unix()
	arr := &aggregate.FileRecord{Kind: aggregate.KindArrival, Workflow: wf, Day: day, Bin: (sec % 86400) / 600, Requests: 1}
	if !legacyArrival {
		// A minute cell: keyed as a row is (but by UTC day and minute),
		// with the first arrival and the tokens.
		arr.Provider, arr.Model, arr.Mode, arr.Billed, arr.InputAbove = row.Provider, row.Model, row.Mode, row.Billed, row.InputAbove
		arr.InputTokens, arr.CacheReadTokens, arr.CacheWrite5mTokens = r.InputTokens, r.CacheReadTokens, r.CacheWrite5mTokens
		arr.CacheWrite1hTokens, arr.OutputTokens, arr.FirstTSUS = r.CacheWrite1hTokens, r.OutputTokens, us
	}
	out := []*aggregate.FileRecord{row, ev, arr}
	for _, k := range tagKeys {
		if v, ok := r.Tags[k]; ok {
			out = append(out, &aggregate.FileRecord{Kind: aggregate.KindTag, Workflow: wf, Tag: k + "=" + v, Requests: 1})
		}
	}
	return out
}

// TestAggLoaderMatchesConsume checks that records summed into aggregate
// records and loaded give the report of the same records consumed one by
// one: prices (entry changes, the long-context tier), unbilled and unpriced
// rows, early cancel, logged costs, the window and every classification
// input.
func TestAggLoaderMatchesConsume(t *testing.T) {
	cat := testCatalog(t)
	var recs []Record
	add := func(r Record, f func(*Record)) {
		if f != nil {
			f(&r)
		}
		recs = append(recs, r)
	}
	add(rec("2026-11-02T09:15:00.123456Z", "acme", "acme-large", "chat", pricing.ModeStream, 1200, 300), func(r *Record) {
		r.UserWaiting, r.Source, r.TTFTMS, r.Team = 1, "web_ui", 420, "support"
	})
	add(rec("2026-11-02T09:17:30Z", "ACME", "acme-large", "chat", pricing.ModeStream, 900, 80), func(r *Record) {
		r.UserWaiting, r.Source, r.TTFTMS, r.Status, r.MaxTokens = 1, "web_ui", 35000, StatusCancelled, 1000
	})
	add(rec("2026-11-05T02:00:00Z", "acme", "acme-large", "nightly", pricing.ModeSync, 150000, 2000), func(r *Record) {
		r.UserWaiting, r.Source, r.CacheReadTokens, r.LoggedCostUSD = 0, "cron", 5000, "0.3125"
		r.Tags = map[string]string{"job": "enrich"}
	})
	add(rec("2026-11-05T02:10:00Z", "acme", "acme-large", "nightly", pricing.ModeSync, 90000, 1000), func(r *Record) {
		r.UserWaiting, r.Source, r.CacheWrite1hTokens = 0, "cron", 20000
	})
	add(rec("2026-11-05T02:20:00Z", "acme", "acme-large", "nightly", pricing.ModeBatch, 500, 10), func(r *Record) {
		r.Status = StatusCancelled
	})
	add(rec("2026-11-06T23:59:59.999Z", "", "acme-small", "", pricing.ModeSync, 10, 5), func(r *Record) {
		r.Status = StatusError
	})
	add(rec("2026-11-07T12:00:00Z", "other", "mystery-1", "nightly", pricing.ModeSync, 10, 5), nil)

	for _, groupBy := range [][]string{nil, {"team", "tag:job"}} {
		for _, legacy := range []bool{false, true} {
			checkLoaderMatches(t, cat, recs, groupBy, legacy)
		}
	}
}

func checkLoaderMatches(t *testing.T, cat *pricing.Catalog, recs []Record, groupBy []string, legacy bool) {
	t.Helper()
	tagKeys := []string{"job"}
	want := aggregate.New(cat, aggregate.Options{TagKeys: tagKeys, GroupBy: groupBy})
	thresholds := []int64{100000}
	got := aggregate.New(cat, aggregate.Options{TagKeys: tagKeys, GroupBy: groupBy})
	ld, err := aggregate.NewLoader(got)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		want.Consume(&recs[i])
		for _, a := range aggRecordsOf(&recs[i], thresholds, tagKeys, groupBy, legacy) {
			if err := ld.Add(a); err != nil {
				t.Fatalf("record %d: %s: %v", i, a.Kind, err)
			}
		}
	}
	stats := FileStats(ld.Coverage())
	if stats.Records != int64(len(recs)) || stats.Lines != int64(len(recs)) {
		t.Errorf("stats %+v: want %d records and lines", stats, len(recs))
	}
	wantRep, err := BuildReport(want, stats, cat, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gotRep, err := BuildReport(got, stats, cat, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wj, _ := json.MarshalIndent(wantRep, "", " ")
	gj, _ := json.MarshalIndent(gotRep, "", " ")
	if string(wj) != string(gj) {
		t.Errorf("group-by %v: loaded report differs from the consumed one:\nwant %s\ngot  %s", groupBy, wj, gj)
	}
	if !reflect.DeepEqual(normRows(want.Rows()), normRows(got.Rows())) {
		t.Errorf("rows differ:\nwant %+v\ngot  %+v", want.Rows(), got.Rows())
	}
	// An aggregate file carries the minute cells, or in a legacy file
	// 10-minute arrival bins; it never carries latency.
	var wantWF []aggregate.WorkflowStats
	for _, w := range want.Workflows() {
		c := *w
		if legacy {
			c.Arrival.Bins, c.Arrival.Minutes = w.Arrival.BinCounts(), map[int64]aggregate.MinuteCell{}
		}
		c.Latency = aggregate.TTFTStats{}
		wantWF = append(wantWF, c)
	}
	var gotWF []aggregate.WorkflowStats
	for _, w := range got.Workflows() {
		gotWF = append(gotWF, *w)
	}
	if !reflect.DeepEqual(wantWF, gotWF) {
		t.Errorf("group-by %v, legacy %v: workflow evidence differs:\nwant %+v\ngot  %+v", groupBy, legacy, wantWF, gotWF)
	}
	if !reflect.DeepEqual(want.UnpricedReasons(), got.UnpricedReasons()) {
		t.Errorf("unpriced reasons %v, want %v", got.UnpricedReasons(), want.UnpricedReasons())
	}
}

// TestAggLoaderRefuses checks what a loader cannot do exactly: a row
// across a price change, and aggregators keyed other than by UTC day.
func TestAggLoaderRefuses(t *testing.T) {
	book := `schema = 1
id = "noon"
provider = "noon"
[[models]]
id = "m"
  [[models.prices]]
  effective_from = "2026-01-01"
  source = "test"
  input = "1.00"
  output = "2.00"
  [[models.prices]]
  effective_from = "2026-11-02T12:00:00Z"
  source = "test"
  input = "2.00"
  output = "4.00"
`
	cat, err := pricing.Load(pricing.BookSource{Name: "t", FS: fstest.MapFS{"noon.toml": {Data: []byte(book)}}, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	ld, err := aggregate.NewLoader(aggregate.New(cat, aggregate.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	row := &aggregate.FileRecord{Kind: aggregate.KindRow, Workflow: "w", Provider: "noon", Model: "m", Mode: "sync", Billed: true, Day: "2026-11-02",
		Requests: 2, InputTokens: 10, FirstTSUS: ts("2026-11-02T11:00:00Z").UnixMicro(), LastTSUS: ts("2026-11-02T13:00:00Z").UnixMicro()}
	err = ld.Add(row)
	wantErr := "first_ts_us 1793617200000000, last_ts_us 1793624400000000: the price of noon/m changes between them; split the row at the price change (group by hour)"
	if err == nil || err.Error() != wantErr {
		t.Errorf("row across a price change: error %v, want %q", err, wantErr)
	}
	row.LastTSUS = ts("2026-11-02T11:30:00Z").UnixMicro()
	if err := ld.Add(row); err != nil {
		t.Errorf("row before the change: %v", err)
	}

	gld, err := aggregate.NewLoader(aggregate.New(cat, aggregate.Options{GroupBy: []string{"team"}}))
	if err != nil {
		t.Fatal(err)
	}
	if err := gld.Add(row); err == nil || err.Error() != "group_values: 0 values for the 1 group-by keys [team] (sum the rows with the same group-by keys as aggregate.Options.GroupBy)" {
		t.Errorf("row without group values: error %v", err)
	}

	// Rows summed in another time zone or window than the report's.
	paris, _ := time.LoadLocation("Europe/Paris")
	late := ts("2026-11-02T23:30:00Z").UnixMicro() // 2026-11-03 00:30 in Paris
	for _, c := range []struct {
		opts aggregate.Options
		day  string
		want string
	}{
		{aggregate.Options{TZ: paris}, "2026-11-02", "first_ts_us 1793662200000000, last_ts_us 1793662200000000: not inside day 2026-11-02 in Europe/Paris (sum the rows with the time zone you report in, aggregate.Options.TZ)"},
		{aggregate.Options{}, "2026-11-03", "first_ts_us 1793662200000000, last_ts_us 1793662200000000: not inside day 2026-11-03 in UTC (sum the rows with the time zone you report in, aggregate.Options.TZ)"},
		{aggregate.Options{TZ: paris}, "2026-11-03", ""},
		{aggregate.Options{Until: ts("2026-11-02T23:00:00Z")}, "2026-11-02", "first_ts_us 1793662200000000, last_ts_us 1793662200000000: outside the reported window (sum the rows with the same aggregate.Options.Since and Until)"},
		{aggregate.Options{Since: ts("2026-11-02T23:30:00Z"), Until: ts("2026-11-02T23:30:00.000001Z")}, "2026-11-02", ""},
	} {
		ld, err := aggregate.NewLoader(aggregate.New(cat, c.opts))
		if err != nil {
			t.Fatal(err)
		}
		err = ld.Add(&aggregate.FileRecord{Kind: aggregate.KindRow, Workflow: "w", Provider: "noon", Model: "m", Mode: "sync", Billed: true, Day: c.day,
			Requests: 1, InputTokens: 10, FirstTSUS: late, LastTSUS: late})
		if (c.want == "" && err != nil) || (c.want != "" && (err == nil || err.Error() != c.want)) {
			t.Errorf("options %+v, day %s: error %v, want %q", c.opts, c.day, err, c.want)
		}
	}
}

// TestReadAggFile checks that the CSV form (columns in any order, a BOM,
// quoted empties, columns left out) and the JSONL form (nulls, true/false,
// numbers and strings, blank lines) read to the same records.
func TestReadAggFile(t *testing.T) {
	csvText := "\ufeffrequests,kind,workflow,model,mode,billed,logged_cost,logged_cost_usd,day,first_ts_us,last_ts_us,provider\n" +
		`3,row,chat,acme-large,sync,1,1,0.125,2026-11-02,1793610000000000,1793613600000000,acme` + "\n" +
		`7,scanned,"","","",0,0,0,"",0,0,""` + "\n" +
		`1,rejected,,,,0,0,0,,0,0,` + "\n"
	jsonlText := `{"kind":"row","workflow":"chat","provider":"acme","model":"acme-large","mode":"sync","billed":true,"logged_cost":1,"day":"2026-11-02","requests":3,"logged_cost_usd":0.125,"first_ts_us":1793610000000000,"last_ts_us":1793613600000000,"tag":null}` + "\n\n" +
		`{"kind":"scanned","requests":"7"}` + "\n" +
		`{"kind":"rejected","requests":1,"reason":null}` + "\n"
	read := func(name, text string) []aggregate.FileRecord {
		var out []aggregate.FileRecord
		err := aggregate.ReadFile(name, strings.NewReader(text), func(r *aggregate.FileRecord) error {
			out = append(out, *r)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return out
	}
	c, j := read("a.csv", csvText), read("a.jsonl", jsonlText)
	// Compare decimals by value: "0" read from CSV and a left-out column
	// are both zero.
	norm := func(rs []aggregate.FileRecord) []aggregate.FileRecord {
		out := make([]aggregate.FileRecord, len(rs))
		for i, r := range rs {
			r.Reason += "|" + r.LoggedCostUSD.String()
			r.LoggedCostUSD = decimal.Decimal{}
			out[i] = r
		}
		return out
	}
	c, j = norm(c), norm(j)
	if len(c) != 3 || !reflect.DeepEqual(c, j) {
		t.Errorf("CSV and JSONL read differently:\ncsv   %+v\njsonl %+v", c, j)
	}
	want := aggregate.FileRecord{Kind: aggregate.KindRow, Workflow: "chat", Provider: "acme", Model: "acme-large", Mode: "sync", Billed: true, LoggedCost: true,
		Day: "2026-11-02", Requests: 3, Reason: "|0.125", FirstTSUS: 1793610000000000, LastTSUS: 1793613600000000}
	if !reflect.DeepEqual(c[0], want) {
		t.Errorf("row %+v, want %+v", c[0], want)
	}
	// A loader refuses the rejected record without a reason, on its line.
	ld, err := aggregate.NewLoader(aggregate.New(testCatalog(t), aggregate.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	err = aggregate.ReadFile("a.csv", strings.NewReader(csvText), ld.Add)
	if err == nil || err.Error() != "read a.csv:4: reason: empty (a rejected record names its reason)" {
		t.Errorf("error %v", err)
	}
}
