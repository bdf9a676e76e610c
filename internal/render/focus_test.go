package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

// focusFixture is the analyze fixture with --group-by team values on its
// cells and a model name that a spreadsheet would run as a formula.
func focusFixture() *report.Report {
	rep := fixtureAnalyzeReport()
	for i := range rep.FocusRows {
		if rep.FocusRows[i].Provider == "openai" {
			rep.FocusRows[i].Groups = map[string]string{"team": "=cmd|' /C calc'!A0"}
		} else {
			rep.FocusRows[i].Groups = map[string]string{"team": ""}
		}
	}
	rep.FocusRows[0].Model = "@SUM(A1)"
	return rep
}

func renderFOCUS(t *testing.T, rep *report.Report) ([]byte, []map[string]string) {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, rep, "focus", Options{}); err != nil {
		t.Fatalf("render focus: %v", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("focus output is not CSV: %v", err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, c := range recs[0] {
			row[c] = rec[i]
		}
		rows = append(rows, row)
	}
	return b.Bytes(), rows
}

func TestFOCUSGolden(t *testing.T) {
	got, _ := renderFOCUS(t, focusFixture())
	checkGolden(t, filepath.Join("focus", "analyze.csv"), got)
	again, _ := renderFOCUS(t, focusFixture())
	if !bytes.Equal(got, again) {
		t.Error("two renders of the same report differ")
	}
}

// TestFOCUSMandatory checks every FOCUS 1.2 Mandatory column is present and
// non-null where the specification forbids null.
func TestFOCUSMandatory(t *testing.T) {
	out, rows := renderFOCUS(t, focusFixture())
	header, _ := csv.NewReader(bytes.NewReader(out)).Read()
	have := map[string]bool{}
	for _, c := range header {
		have[c] = true
	}
	for _, c := range FOCUSMandatory {
		if !have[c] {
			t.Errorf("mandatory column %s missing", c)
		}
	}
	if len(rows) != len(focusFixture().FocusRows) {
		t.Fatalf("%d rows, want one per focus_usage cell (%d)", len(rows), len(focusFixture().FocusRows))
	}
	for i, r := range rows {
		for _, c := range FOCUSMandatory {
			if r[c] == "" && !FOCUSNullable[c] {
				t.Errorf("row %d: %s is null", i+1, c)
			}
		}
		// SkuId must not be null for Usage rows.
		if r["ChargeCategory"] == "Usage" && r["SkuId"] == "" {
			t.Errorf("row %d: SkuId is null on a Usage row", i+1)
		}
		for _, c := range []string{"SkuPriceDetails", "Tags"} {
			var m map[string]string
			if err := json.Unmarshal([]byte(r[c]), &m); err != nil {
				t.Errorf("row %d: %s %q is not a JSON object: %v", i+1, c, r[c], err)
			}
		}
	}
	// Every mapped column is documented, in order.
	if len(FOCUSMapping) != len(FOCUSColumns) {
		t.Fatalf("%d mapping rows for %d columns", len(FOCUSMapping), len(FOCUSColumns))
	}
	for i, m := range FOCUSMapping {
		if m[0] != FOCUSColumns[i] {
			t.Errorf("mapping row %d documents %s, column is %s", i, m[0], FOCUSColumns[i])
		}
	}
}

// TestFOCUSBilledCostSumsToTotal checks the export adds up, exactly.
func TestFOCUSBilledCostSumsToTotal(t *testing.T) {
	rep := focusFixture()
	_, rows := renderFOCUS(t, rep)
	sum, list := decimal.Zero, decimal.Zero
	for i, r := range rows {
		c, err := decimal.NewFromString(r["BilledCost"])
		if err != nil {
			t.Fatalf("row %d: BilledCost %q: %v", i+1, r["BilledCost"], err)
		}
		sum = sum.Add(c)
		lc, err := decimal.NewFromString(r["ListCost"])
		if err != nil {
			t.Fatalf("row %d: ListCost %q: %v", i+1, r["ListCost"], err)
		}
		list = list.Add(lc)
		// ListCost = ListUnitPrice × PricingQuantity and ContractedCost =
		// ContractedUnitPrice × PricingQuantity, exactly.
		q := decimal.RequireFromString(r["PricingQuantity"])
		p := decimal.RequireFromString(r["ListUnitPrice"])
		if !p.Mul(q).Equal(lc) {
			t.Errorf("row %d: ListUnitPrice %s × PricingQuantity %s ≠ ListCost %s", i+1, p, q, lc)
		}
		cp := decimal.RequireFromString(r["ContractedUnitPrice"])
		if cc := decimal.RequireFromString(r["ContractedCost"]); !cp.Mul(q).Equal(cc) {
			t.Errorf("row %d: ContractedUnitPrice %s × PricingQuantity %s ≠ ContractedCost %s", i+1, cp, q, cc)
		}
	}
	if !sum.Equal(rep.Totals.CostUSD) {
		t.Errorf("BilledCost sums to %s, report total is %s", sum, rep.Totals.CostUSD)
	}
	if sum.String() != "0.3275" {
		t.Errorf("BilledCost sums to %s, want 0.3275", sum)
	}
	if list.String() != "0.3345" {
		t.Errorf("ListCost sums to %s, want 0.3345", list)
	}
}

func TestFOCUSRowValues(t *testing.T) {
	_, rows := renderFOCUS(t, focusFixture())
	tests := []struct {
		row    int
		column string
		want   string
	}{
		{0, "ChargeDescription", "'@SUM(A1) input tokens, stream"},
		{0, "SkuId", "anthropic/@SUM(A1)"},
		{0, "PricingQuantity", "0.008"},
		{0, "PricingUnit", "1000000 Tokens"},
		{0, "ConsumedQuantity", "8000"},
		{0, "ChargePeriodStart", "2026-05-01T00:00:00Z"},
		{0, "ChargePeriodEnd", "2026-05-02T00:00:00Z"},
		{0, "BillingPeriodStart", "2026-05-01T00:00:00Z"},
		{0, "BillingPeriodEnd", "2026-06-01T00:00:00Z"},
		{0, "ProviderName", "Anthropic"},
		{0, "ServiceName", "Claude API"},
		{5, "ServiceName", "OpenAI API"},
		{0, "SkuPriceDetails", `{"DeliveryMode":"stream","ServiceTier":"standard","TokenType":"input"}`},
		{0, "SkuPriceId", "anthropic/claude-sonnet-4-5@2025-09-29#input@standard"},
		{0, "Tags", `{"team":""}`},
		{5, "Tags", `{"team":"=cmd|' /C calc'!A0"}`},
		{15, "PricingUnit", "Requests"},
		{15, "SkuMeter", "Requests"},
		{16, "SkuPriceDetails", `{"DeliveryMode":"batch","ServiceTier":"batch","TokenType":"input"}`},
		{16, "SkuPriceId", "openai/gpt-4o@2024-10-01#input@batch"},
		{10, "ListCost", "0.015"},
		{10, "ListUnitPrice", "15"},
		{10, "ContractedUnitPrice", "8"},
		{10, "SkuPriceDetails", `{"DeliveryMode":"flex","ServiceTier":"flex","TokenType":"output"}`},
		{10, "BilledCost", "0.008"},
		{10, "EffectiveCost", "0.008"},
		{10, "ChargeClass", ""},
	}
	for _, tt := range tests {
		if got := rows[tt.row][tt.column]; got != tt.want {
			t.Errorf("row %d %s = %q, want %q", tt.row+1, tt.column, got, tt.want)
		}
	}
}

// TestFOCUSTimeZone checks that days of a non-UTC report become UTC periods.
func TestFOCUSTimeZone(t *testing.T) {
	rep := focusFixture()
	rep.Window.TZ = "America/New_York"
	_, rows := renderFOCUS(t, rep)
	if got := rows[0]["ChargePeriodStart"]; got != "2026-05-01T04:00:00Z" {
		t.Errorf("ChargePeriodStart = %s, want 2026-05-01T04:00:00Z", got)
	}
	if got := rows[0]["BillingPeriodEnd"]; got != "2026-06-01T04:00:00Z" {
		t.Errorf("BillingPeriodEnd = %s, want 2026-06-01T04:00:00Z", got)
	}
	rep.Window.TZ = "Mars/Olympus"
	if err := Render(&bytes.Buffer{}, rep, "focus", Options{}); err == nil || !strings.Contains(err.Error(), "window.tz") {
		t.Errorf("unknown time zone: err = %v, want a window.tz error", err)
	}
	rep.Window.TZ = ""
	rep.FocusRows[3].Day = "May 1"
	if err := Render(&bytes.Buffer{}, rep, "focus", Options{}); err == nil || !strings.Contains(err.Error(), "focus_usage[3]: day") {
		t.Errorf("bad day: err = %v", err)
	}
}

// TestFOCUSTagKeys checks tag:KEY groups become plain tag keys.
func TestFOCUSTagKeys(t *testing.T) {
	got, err := focusTags(map[string]string{"tag:env": "prod", "team": "<ml>"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"env":"prod","team":"\u003cml\u003e"}`; got != want {
		t.Errorf("focusTags = %s, want %s", got, want)
	}
}
