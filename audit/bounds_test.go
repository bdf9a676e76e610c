package audit

import (
	"bytes"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/decode"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// TestScanBounds checks the documented bounds: timestamps outside
// [MinTimestamp, MaxTimestamp) and token counts above MaxRecordTokens are
// counted rejections with their reason (and kept by --rejects), in every
// format; max_tokens -1 means no ceiling.
func TestScanBounds(t *testing.T) {
	const log = `{"ts":"9999-12-31T00:00:00Z","model":"gpt-4o","input_tokens":1}
{"ts":"1816-03-30T00:00:00Z","model":"gpt-4o","input_tokens":1}
{"ts":253402214400,"model":"gpt-4o","input_tokens":1}
{"ts":"2026-05-01T10:00:00Z","request_id":"a","model":"gpt-4o","input_tokens":4611686018427387904}
{"ts":"2026-05-01T10:00:00Z","request_id":"b","model":"gpt-4o","input_tokens":4611686018427387904}
{"ts":"2026-05-01T10:00:00Z","request_id":"c","model":"gpt-4o","input_tokens":4611686018427387904}
{"ts":"2026-05-01T10:00:00Z","request_id":"d","model":"gpt-4o","input_tokens":4611686018427387904}
{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","output_tokens":9223372036854775807}
{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","output_tokens":1000000000000,"max_tokens":-1}
{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","output_tokens":1,"max_tokens":9223372036854775807}
{"ts":"1999-12-31T23:59:59Z","model":"gpt-4o","input_tokens":1}
{"ts":"2000-01-01T00:00:00Z","model":"gpt-4o","input_tokens":1}
`
	var rejects bytes.Buffer
	st, recs, err := scanAll(t, []Input{BytesInput("b.jsonl", []byte(log))}, ScanOptions{Rejects: &rejects})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, st)
	want := map[string]int64{ReasonTimestampRange: 4, ReasonTooManyTokens: 5}
	if !reflect.DeepEqual(st.RejectedByReason, want) {
		t.Errorf("rejected %v, want %v", st.RejectedByReason, want)
	}
	if len(recs) != 3 || recs[0].InputTokens != 1 || recs[1].OutputTokens != 1000000000000 || recs[1].MaxTokens != 0 || recs[2].MaxTokens != 0 {
		t.Errorf("records %+v", recs)
	}
	if got := strings.Count(rejects.String(), "\n"); got != 9 {
		t.Errorf("--rejects kept %d lines, want 9", got)
	}
	if want := "read b.jsonl:1: ts: timestamp 9999-12-31T00:00:00Z out of range: accepted: 2000-01-01 to 2099-12-31 UTC"; st.FirstReject != want {
		t.Errorf("first reject %q, want %q", st.FirstReject, want)
	}
	_, _, err = scanAll(t, []Input{BytesInput("b.jsonl", []byte(log))}, ScanOptions{Strict: true, FormatIn: decode.FormatCanonical})
	if err == nil || !strings.Contains(err.Error(), "b.jsonl:1: ts: timestamp 9999-12-31T00:00:00Z out of range") {
		t.Errorf("strict: %v", err)
	}
	// The same bound in a vendor format.
	oa := `{"ts":"2026-05-01T10:00:00Z","response":{"object":"chat.completion","id":"x","created":1777629600,"model":"gpt-4o","usage":{"prompt_tokens":9223372036854775807,"completion_tokens":1}}}`
	st, _, _ = scanAll(t, []Input{BytesInput("o.jsonl", []byte(oa+"\n"))}, ScanOptions{})
	if st.RejectedByReason[ReasonTooManyTokens] != 1 {
		t.Errorf("openai: %+v", st)
	}
}

// TestAggregateOverflow checks that token sums that overflow int64 make
// BuildReport refuse to report instead of wrapping to a wrong figure.
func TestAggregateOverflow(t *testing.T) {
	cat := testCatalog(t)
	row := func(in, out int64) aggregate.Row {
		return aggregate.Row{Workflow: "w", Provider: "acme", Model: "acme-mystery", Mode: pricing.ModeSync, Status: aggregate.RowUnpriced, Day: "2026-11-02",
			Requests: 1, InputTokens: in, OutputTokens: out}
	}
	for name, rows := range map[string][]aggregate.Row{
		"one field":   {row(math.MaxInt64-5, 0), row(10, 0)},
		"grand total": {row(math.MaxInt64/2+1, 0), row(0, math.MaxInt64/2+1)},
	} {
		agg := aggregate.New(cat, aggregate.Options{})
		for _, r := range rows {
			if err := agg.AddRow(r); err != nil {
				t.Fatal(err)
			}
		}
		_, err := BuildReport(agg, Stats{}, nil, BuildOptions{})
		if err == nil || !strings.Contains(err.Error(), "the token sums exceed 9223372036854775807") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestFileDatedVendorBatch reads Message Batches results in the shape of
// Anthropic's documentation example (testdata/formats): their
// records carry no time, are marked as dated by the file, and move the
// priced window only under FileTimes.
func TestFileDatedVendorBatch(t *testing.T) {
	data, err := os.ReadFile("testdata/formats/anthropic-batch-results.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	in := BytesInput("msgbatch_results.jsonl", data)
	in.ModTime = modTime
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	for _, fileTimes := range []bool{false, true} {
		_, cons, err := Scan([]Input{in}, ScanOptions{}, func() Consumer {
			return aggregate.New(cat, aggregate.Options{FileTimes: fileTimes})
		})
		if err != nil {
			t.Fatal(err)
		}
		agg, err := MergeConsumers(cons)
		if err != nil {
			t.Fatal(err)
		}
		_, last, ok := agg.PricedWindow()
		if agg.FileDated() == 0 || ok != fileTimes || (ok && !last.Equal(modTime)) {
			t.Errorf("file times %v: %d file-dated, window ok %v end %s", fileTimes, agg.FileDated(), ok, last)
		}
	}
}
