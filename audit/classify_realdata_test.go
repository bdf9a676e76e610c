package audit_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// TestClassifyAzureTraces classifies one hour of two production LLM
// services (Azure's public inference traces, see
// testdata/azure-llm-2023/README.md), rebuilt request by request from
// their minute counts and first arrivals. People wait on both: neither may
// be called scheduled nor get a batch saving, however dense the traffic.
func TestClassifyAzureTraces(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"conv", "code"} {
		f, err := os.Open(filepath.Join("testdata", "azure-llm-2023", name+"-minutes.csv"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		agg := aggregate.New(cat, aggregate.Options{})
		var total int64
		for _, row := range rows[1:] {
			minute, err := time.Parse("2006-01-02T15:04Z", row[0])
			if err != nil {
				t.Fatal(err)
			}
			n, _ := strconv.ParseInt(row[1], 10, 64)
			first, _ := strconv.ParseInt(row[2], 10, 64)
			ctx, _ := strconv.ParseInt(row[3], 10, 64)
			gen, _ := strconv.ParseInt(row[4], 10, 64)
			for i := int64(0); i < n; i++ {
				// The first request at its logged time, the rest spread over
				// the remainder of the minute; tokens split evenly.
				off := first + (60000-first)*i/n
				r := audit.Record{TS: minute.Add(time.Duration(off) * time.Millisecond), Provider: "openai", Model: "gpt-4-turbo", Workflow: "azure-" + name,
					UserWaiting: -1, LatencyMS: -1, TTFTMS: -1, InputTokens: ctx / n, OutputTokens: gen / n, Status: audit.StatusOK}
				agg.Consume(&r)
			}
			total += n
		}
		rep, err := audit.BuildReport(agg, audit.Stats{}, cat, audit.BuildOptions{BatchClasses: []string{classify.NearRealtime}})
		if err != nil {
			t.Fatal(err)
		}
		w := rep.Workflows[0]
		if w.Requests != total || w.Class != classify.Realtime || !w.WhatIf.SavingsUSD.IsZero() {
			t.Errorf("azure %s: %d requests (want %d), %s (%s), saving %s: %v", name, w.Requests, total, w.Class, w.Confidence, w.WhatIf.SavingsUSD, w.Evidence)
		}
		t.Logf("azure %s: %d requests: %s (%s): %v", name, w.Requests, w.Class, w.Confidence, w.Evidence)
	}
}
