package audit_test

import (
	"context"
	"fmt"
	"log"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// ExampleAnalyze audits the repository's sample canonical log with the
// embedded price books in one call and prints its coverage, its cost and
// what each latency class spends.
func ExampleAnalyze() {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		log.Fatal(err)
	}
	inputs, err := audit.ExpandInputs([]string{"../examples/logs/canonical.jsonl"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	an, err := audit.Analyze(context.Background(), inputs, audit.AnalyzeConfig{Catalog: cat})
	if err != nil {
		log.Fatal(err)
	}
	rep := an.Report
	c := rep.Coverage
	fmt.Printf("lines %d: priced %d, duplicates %d, rejected %d\n", c.Lines, c.Priced, c.Duplicates, c.Rejected)
	fmt.Printf("cost $%s over %s days\n", rep.Totals.CostUSD.StringFixed(2), rep.Window.Days)
	for _, row := range rep.ByClass {
		fmt.Printf("%s: %d requests, $%s\n", row.Class, row.Requests, row.CostUSD.StringFixed(2))
	}
	// Output:
	// lines 1017: priced 999, duplicates 6, rejected 11
	// cost $6.58 over 6.847305 days
	// realtime: 264 requests, $4.88
	// scheduled: 622 requests, $1.67
	// near-realtime: 113 requests, $0.04
}
