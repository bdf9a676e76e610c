package simulate

import (
	"testing"
	"time"

	_ "github.com/costaudit/costaudit/internal/testutil" // registers -update: go test ./... -update runs here too

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/pricing"
)

// TestCalibratesCompletion pins the rule of which records calibrate the
// completion model.
func TestCalibratesCompletion(t *testing.T) {
	tests := []struct {
		name string
		r    audit.Record
		want bool
	}{
		{"completed batch", audit.Record{Mode: pricing.ModeBatch, LatencyMS: 7_200_000, Status: audit.StatusOK}, true},
		{"status not logged", audit.Record{Mode: pricing.ModeBatch, LatencyMS: 60_000}, true},
		{"latency absent", audit.Record{Mode: pricing.ModeBatch, LatencyMS: -1, Status: audit.StatusOK}, false},
		{"latency 0", audit.Record{Mode: pricing.ModeBatch, LatencyMS: 0, Status: audit.StatusOK}, false},
		{"sync", audit.Record{Mode: pricing.ModeSync, LatencyMS: 900, Status: audit.StatusOK}, false},
		{"flex", audit.Record{Mode: pricing.ModeFlex, LatencyMS: 90_000, Status: audit.StatusOK}, false},
		{"expired", audit.Record{Mode: pricing.ModeBatch, LatencyMS: 86_400_000, Status: audit.StatusExpired}, false},
		{"errored", audit.Record{Mode: pricing.ModeBatch, LatencyMS: 3_600_000, Status: audit.StatusError}, false},
		{"cancelled batch", audit.Record{Mode: pricing.ModeBatch, LatencyMS: 3_600_000, Status: audit.StatusCancelled}, false},
	}
	for _, tt := range tests {
		if got := CalibratesCompletion(&tt.r); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBatchHours(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 2, 0, 0, 0, time.UTC) }
	a := &BatchHours{Since: day(2), Until: day(5)}
	b := &BatchHours{Since: day(2), Until: day(5)}
	for _, r := range []audit.Record{
		{TS: day(2), Mode: pricing.ModeBatch, LatencyMS: 7_200_000, Status: audit.StatusOK},
		{TS: day(1), Mode: pricing.ModeBatch, LatencyMS: 3_600_000, Status: audit.StatusOK}, // before --since
		{TS: day(5), Mode: pricing.ModeBatch, LatencyMS: 3_600_000, Status: audit.StatusOK}, // at --until
		{TS: day(3), Mode: pricing.ModeBatch, LatencyMS: 0, Status: audit.StatusOK},         // no time
	} {
		a.Consume(&r)
	}
	b.Consume(&audit.Record{TS: day(4), Mode: pricing.ModeBatch, LatencyMS: 1_800_000, Status: audit.StatusOK})
	got := MergeBatchHours(b, a, nil)
	if len(got) != 2 || got[0] != 0.5 || got[1] != 2 {
		t.Errorf("hours = %v, want [0.5 2]", got)
	}
}

// TestMergeBatchHoursSamples keeps MaxBatchSamples evenly spaced ranks,
// the extremes included.
func TestMergeBatchHoursSamples(t *testing.T) {
	b := &BatchHours{}
	for i := 2*MaxBatchSamples - 1; i >= 0; i-- {
		b.Hours = append(b.Hours, float64(i))
	}
	got := MergeBatchHours(b)
	if len(got) != MaxBatchSamples || got[0] != 0 || got[len(got)-1] != 2*MaxBatchSamples-1 || got[1] != 2 {
		t.Errorf("kept %d, first %v, second %v, last %v", len(got), got[0], got[1], got[len(got)-1])
	}
}
