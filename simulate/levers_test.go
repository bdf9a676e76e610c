package simulate

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/report"
)

func runFile(t *testing.T, path string) report.Scenario {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFile(path, data)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Run(f, Options{Pricer: NewCatalogPricer(catalog(t)), At: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), AtSource: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestAllLevers checks examples/what-if/support-assistant.toml against
// hand calculations at the books' prices: Sonnet 4.5 $3/$15 (cache read
// $0.30, 1h write $6; batch $1.50/$7.50, read $0.15, 1h write $3), GPT-4.1
// $2/$8 (batch $1/$4), Haiku 4.5 $1/$5 (batch $0.50/$2.50).
func TestAllLevers(t *testing.T) {
	sc := runFile(t, "../examples/what-if/support-assistant.toml")
	want := map[string]string{
		// drafts: 1e8 input + 4e8 prefix at $3, 5e7 output at $15.
		"drafts_cost": "2250",
		// digest: 6e7 at $2 + 1.6e7 at $8.
		"digest_cost":       "248",
		"cost":              "2498",
		"drafts_batch_cost": "1125",
		"digest_batch_cost": "124",
		"batch_savings":     "1249",
		// 4e8 prefix × (0.7 × 0.30 + 0.3 × 6) = 804, + 300 + 750.
		"drafts_cache_cost":               "1854",
		"cache_savings":                   "396",
		"drafts_cache_breakeven_hit_rate": "52.631578947368421053",
		// on batch (stacked): 150 + 375 + 4e8 × (0.7 × 0.15 + 0.3 × 3) = 927.
		"drafts_cache_all_batch_cost": "927",
		"cache_batch_cost":            "1051",
		// 5e7 × 0.15 × (1 − 0.4) = 4.5e6 tokens not generated × $15.
		"drafts_cancel_tokens_max":    "4500000",
		"cancel_saved_max":            "67.5",
		"batch_forfeits_cancel_max":   "67.5",
		"batch_savings_net_of_cancel": "1181.5",
		// Haiku: 5e8 at $1 + 5e7 at $5 = 750, + digest 248.
		"swap_cost":       "998",
		"swap_savings":    "1500",
		"swap_batch_cost": "499",
		// Time value per submission: a month is 8760 / 12 = 730 h, so
		// 730 / 24 daily submissions; each saves 1249 × 12 × 24 / 8760 =
		// 41.063…, and 12 h of its delay at $2/h cost $24: break-even
		// 41.063… / 12 h. A month's delay: 730 / 24 × 12 h × $2 = 730.
		"submissions":                   "30.41666666666666666667",
		"batch_savings_per_submission":  "41.0630136986301369863",
		"breakeven_delay_cost_per_hour": "3.42191780821917808219",
		"delay_cost":                    "730",
		"net_batch_savings":             "519",
		// 120,000 requests move; 730 / (1249 / 120,000) = 87,600,000 / 1249.
		"delayed_requests":   "120000",
		"breakeven_requests": "70136.10888710968775020016",
		// daily submissions: 120,000 × 12 × 24 / 8760 requests.
		"drafts_batch_requests_per_submission": "3287.67123287671232876712",
		"drafts_batch_jobs_per_submission":     "1",
	}
	got := map[string]report.Figure{}
	for _, f := range sc.Figures {
		got[f.Key] = f
	}
	for k, v := range want {
		if got[k].Value != v {
			t.Errorf("%s = %q, want %s", k, got[k].Value, v)
		}
	}
	checkScenarioExprs(t, sc.Name, sc)

	// Tornado of batch_savings at ±20%: drafts requests carry 1,125 of the
	// savings (swing 450), the prefix 600 (swing 240), the drafts'
	// eligible share drops 0.2 × 1,125 and cannot rise above 1 (swing 225).
	var tornado *report.Table
	for i := range sc.Tables {
		if sc.Tables[i].Name == "sensitivity" {
			tornado = &sc.Tables[i]
		}
	}
	if tornado == nil {
		t.Fatal("no sensitivity table")
	}
	var top []string
	for _, r := range tornado.Rows[:4] {
		top = append(top, r[0]+"="+r[6])
	}
	if g, w := strings.Join(top, " "), "drafts_requests=450 drafts_prefix_tokens=240 drafts_eligible_share=225 drafts_output_tokens=150"; g != w {
		t.Errorf("tornado top 4\n  %s\nwant\n  %s", g, w)
	}
	for _, r := range tornado.Rows {
		if strings.Contains(r[0], "price_") {
			t.Errorf("tornado moves a book price %s", r[0])
		}
	}
	// The Monte Carlo prints its seed.
	if !strings.Contains(strings.Join(sc.Notes, "\n"), "seed 11") {
		t.Errorf("notes do not print the Monte Carlo seed: %q", sc.Notes)
	}
}
