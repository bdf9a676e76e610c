package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

func TestReadCostReport(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		// OpenAI amounts are dollars; the ungrouped result belongs to the
		// organization and names no model.
		{"openai-costs.json", []string{"organization|openai||0.06", "proj_abc|openai|Image models|0.06"}},
		// Anthropic amounts are cents: "123.45" is $1.2345.
		{"anthropic-cost-report.json", []string{"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ|anthropic|claude-sonnet-4-20250514|1.2345"}},
	} {
		f, err := os.Open(filepath.Join("testdata", "vendor", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		costs, err := ReadCostReport(tc.file, f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range costs {
			got = append(got, fmt.Sprintf("%s|%s|%s|%s", c.Workflow, c.Provider, c.Model, c.CostUSD))
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.file, got, tc.want)
		}
	}
	if _, err := ReadCostReport("x.json", strings.NewReader(`{"data":[]}`)); err == nil || !strings.HasPrefix(err.Error(), "read x.json: not a cost report") {
		t.Errorf("error %v", err)
	}
	_, err := ReadCostReport("c.json", strings.NewReader(`{"data":[{"starting_at":"2025-08-01T00:00:00Z","results":[{"currency":"EUR","amount":"1"}]}]}`))
	if err == nil || err.Error() != `read c.json: page 1 data[0].results[0].currency: "EUR": only USD is read` {
		t.Errorf("error %v", err)
	}
}

// TestReconcileCosts prices the Anthropic usage report example and compares
// it with the cost report example: the computed cost of the workspace's
// claude-sonnet-4 tokens at the book's prices against the $1.2345 billed,
// plus a web-search cost no request explains.
func TestReconcileCosts(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	ld, err := aggregate.NewLoader(aggregate.New(cat, aggregate.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "vendor", "anthropic-usage-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := aggregate.ReadFile("u.json", strings.NewReader(string(b)), ld.Add); err != nil {
		t.Fatal(err)
	}
	rep, err := BuildReport(ld.Aggregator(), FileStats(ld.Coverage()), cat, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join("testdata", "vendor", "anthropic-cost-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	costs, err := ReadCostReport("c.json", f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	extra, err := ReadCostReport("w.json", strings.NewReader(`{"data":[{"starting_at":"2025-08-01T00:00:00Z","ending_at":"2025-08-02T00:00:00Z","results":[{"currency":"USD","amount":"100","workspace_id":"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ","cost_type":"web_search"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	rows := ReconcileCosts(rep, append(costs, extra...), cat)
	// claude-sonnet-4 at $3 / $0.30 read / $3.75 5m write / $6 1h write /
	// $15 output per million: 1500, 200, 500, 1000 and 500 tokens cost
	// 0.0045 + 0.00006 + 0.001875 + 0.006 + 0.0075 = $0.019935.
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s|%s|billed %s ours %s diff %s pct %s|%s", r.Workflow, r.Model, r.LoggedCostUSD, r.OurCostUSD, r.DiffUSD, r.DiffPct, strings.SplitN(r.LikelyCause, ":", 2)[1][:20]))
	}
	want := []string{
		"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ|claude-sonnet-4-20250514|billed 1.2345 ours 0.019935 diff 1.214565 pct 6092.63| the provider's cost",
		"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ|(web_search)|billed 1 ours 0 diff 1 pct 0| billed, but no pric",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Within 1%: nothing listed.
	near := []ProviderCost{{Workflow: "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", Provider: "anthropic", Model: "claude-sonnet-4-20250514", CostUSD: rows[0].OurCostUSD.Mul(decimal.RequireFromString("1.005"))}}
	if r := ReconcileCosts(rep, near, cat); len(r) != 0 {
		t.Errorf("within 1%%: %+v", r)
	}
	// An organization-wide cost without a model meets every workflow and model.
	org := []ProviderCost{{Workflow: "organization", Provider: "anthropic", CostUSD: rows[0].OurCostUSD}}
	if r := ReconcileCosts(rep, org, cat); len(r) != 0 {
		t.Errorf("organization total equal to ours: %+v", r)
	}
}
