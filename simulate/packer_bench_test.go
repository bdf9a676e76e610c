package simulate

import (
	"testing"

	"github.com/shopspring/decimal"
)

// BenchmarkPackMonth replays a busy month: a request group in every
// minute of 30 days (43,200 arrivals), 200 replays, four intervals.
func BenchmarkPackMonth(b *testing.B) {
	arr := make([]Arrival, 30*1440)
	for i := range arr {
		arr[i] = Arrival{AtMS: int64(i) * 60_000, N: 3}
	}
	o := PackOptions{MaxRequests: 50_000, Completion: PriorCompletion(), DeadlineHours: 6, SavingsUSD: decimal.NewFromInt(100), WindowDays: decimal.NewFromInt(30)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Pack(arr, o); err != nil {
			b.Fatal(err)
		}
	}
}
