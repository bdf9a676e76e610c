package audit

import (
	"testing"

	"github.com/costaudit/costaudit/audit/aggregate"
)

// BenchmarkAggregatorConsume measures the hot loop: one record per
// iteration, over the in-test workload.
func BenchmarkAggregatorConsume(b *testing.B) {
	cat := testCatalog(b)
	records := synthRecords(synthWorkload(), 7, 1, false)
	agg := aggregate.New(cat, aggregate.Options{GroupBy: []string{"team"}})
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		agg.Consume(&records[i%len(records)])
	}
}
