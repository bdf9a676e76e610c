package simulate

import (
	"testing"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/pricing"
)

func TestBatchHours(t *testing.T) {
	a, b := &BatchHours{}, &BatchHours{}
	for _, r := range []audit.Record{
		{Mode: pricing.ModeBatch, LatencyMS: 7_200_000, Status: audit.StatusOK},
		{Mode: pricing.ModeBatch, LatencyMS: -1, Status: audit.StatusOK},             // not logged
		{Mode: pricing.ModeSync, LatencyMS: 900, Status: audit.StatusOK},             // not batch
		{Mode: pricing.ModeBatch, LatencyMS: 3_600_000, Status: audit.StatusExpired}, // not billed
	} {
		a.Consume(&r)
	}
	b.Consume(&audit.Record{Mode: pricing.ModeBatch, LatencyMS: 1_800_000, Status: audit.StatusOK})
	got := MergeBatchHours([]audit.Consumer{a, b})
	if len(got) != 2 || got[0] != 0.5 || got[1] != 2 {
		t.Errorf("hours = %v, want [0.5 2]", got)
	}
}
