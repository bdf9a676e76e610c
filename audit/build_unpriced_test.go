package audit

import (
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/pricing"
)

// TestUnpricedTokensReported checks that the tokens of unpriced records are
// shown by model, and that a record whose tokens the log does not give is
// counted unpriced with its reason, never priced at $0, even for a model
// the books know.
func TestUnpricedTokensReported(t *testing.T) {
	cat := testCatalog(t)
	ts := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	records := []Record{
		{TS: ts, Provider: "acme", Model: "acme-small", Workflow: "chat", Mode: pricing.ModeStream, UserWaiting: -1, InputTokens: 500, OutputTokens: 20, LatencyMS: -1, TTFTMS: -1, Status: StatusOK},
		{TS: ts, Provider: "acme", Model: "acme-small", Workflow: "chat", Mode: pricing.ModeStream, UserWaiting: -1, LatencyMS: -1, TTFTMS: -1, Status: StatusOK, TokensUnknown: true},
		{TS: ts, Provider: "acme", Model: "acme-mystery", Workflow: "chat", Mode: pricing.ModeSync, UserWaiting: -1, InputTokens: 70, CacheReadTokens: 30, CacheWrite1hTokens: 5, OutputTokens: 9, LatencyMS: -1, TTFTMS: -1, Status: StatusOK},
		{TS: ts, Provider: "acme", Model: "acme-mystery", Workflow: "chat", Mode: pricing.ModeSync, UserWaiting: -1, InputTokens: 1, OutputTokens: 1, LatencyMS: -1, TTFTMS: -1, Status: StatusOK},
	}
	agg := aggregate.New(cat, aggregate.Options{})
	for i := range records {
		agg.Consume(&records[i])
	}
	rep, err := BuildReport(agg, fixtureStats(len(records)), cat, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Coverage
	if c.Priced != 1 || c.Unpriced != 3 || c.UnpricedModels["acme-small"] != 1 || c.UnpricedModels["acme-mystery"] != 2 {
		t.Fatalf("coverage %+v", c)
	}
	m := c.UnpricedTokens["acme-mystery"]
	if m.Requests != 2 || m.InputTokens != 71 || m.CacheReadTokens != 30 || m.CacheWrite1hTokens != 5 || m.OutputTokens != 10 {
		t.Errorf("acme-mystery unpriced tokens %+v", m)
	}
	if s := c.UnpricedTokens["acme-small"]; s.Requests != 1 || s.InputTokens != 0 || s.OutputTokens != 0 {
		t.Errorf("acme-small unpriced tokens %+v", s)
	}
	if rep.Totals.Requests != 1 || rep.Totals.InputTokens != 500 {
		t.Errorf("totals %+v: only the priced record counts", rep.Totals)
	}
	note := strings.Join(rep.Notes, "\n")
	for _, want := range []string{"acme-small (1 requests, 0 input + 0 cache read + 0 cache write + 0 output tokens: tokens not logged", "acme-mystery (2 requests, 71 input + 30 cache read + 5 cache write + 10 output tokens"} {
		if !strings.Contains(note, want) {
			t.Errorf("notes lack %q:\n%s", want, note)
		}
	}
}
