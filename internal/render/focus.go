package render

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/costaudit/costaudit/report"
	"github.com/shopspring/decimal"
)

func init() { Register("focus", RenderFOCUS) }

// FOCUSVersion is the FinOps FOCUS specification version of the focus
// export.
const FOCUSVersion = "1.2"

// FOCUSColumns are the columns of the focus export, in order: every FOCUS
// 1.2 Mandatory column, the Conditional and Recommended columns costaudit
// can fill, and three x_ custom columns. The mapping is documented in
// FOCUSMapping.
var FOCUSColumns = []string{
	"BilledCost",
	"BillingAccountId",
	"BillingAccountName",
	"BillingCurrency",
	"BillingPeriodEnd",
	"BillingPeriodStart",
	"ChargeCategory",
	"ChargeClass",
	"ChargeDescription",
	"ChargeFrequency",
	"ChargePeriodEnd",
	"ChargePeriodStart",
	"ConsumedQuantity",
	"ConsumedUnit",
	"ContractedCost",
	"ContractedUnitPrice",
	"EffectiveCost",
	"InvoiceIssuerName",
	"ListCost",
	"ListUnitPrice",
	"PricingCategory",
	"PricingQuantity",
	"PricingUnit",
	"ProviderName",
	"PublisherName",
	"ServiceCategory",
	"ServiceName",
	"ServiceSubcategory",
	"SkuId",
	"SkuMeter",
	"SkuPriceDetails",
	"SkuPriceId",
	"Tags",
	"x_CostauditPriceRef",
	"x_DeliveryMode",
	"x_TokenType",
}

// FOCUSMandatory are the FOCUS 1.2 Mandatory columns; FOCUSNullable are
// those of them the specification lets be null (empty in CSV).
var (
	FOCUSMandatory = []string{
		"BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
		"BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass",
		"ChargeDescription", "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost",
		"EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit",
		"ProviderName", "PublisherName", "ServiceCategory", "ServiceName",
	}
	FOCUSNullable = map[string]bool{"ChargeClass": true}
)

// FOCUSMapping documents where each focus column comes from, as
// (column, value) pairs in FOCUSColumns order. The README table is made
// from it.
var FOCUSMapping = [][2]string{
	{"BilledCost", "cost of the cell (focus_usage.cost_usd), exact decimal USD"},
	{"BillingAccountId", "provider id (costaudit sees no account ids in logs)"},
	{"BillingAccountName", "provider name + \" (costaudit)\""},
	{"BillingCurrency", "USD"},
	{"BillingPeriodEnd", "first instant of the next calendar month, UTC"},
	{"BillingPeriodStart", "first instant of the charge day's calendar month, UTC"},
	{"ChargeCategory", "Usage"},
	{"ChargeClass", "null (no corrections)"},
	{"ChargeDescription", "\"<model> <token type> tokens, <mode>\""},
	{"ChargeFrequency", "Usage-Based"},
	{"ChargePeriodEnd", "start of the next day in the report's --tz, as UTC"},
	{"ChargePeriodStart", "start of the day in the report's --tz, as UTC"},
	{"ConsumedQuantity", "tokens of the bucket (requests for request_fee)"},
	{"ConsumedUnit", "Tokens (Requests for request_fee)"},
	{"ContractedCost", "= BilledCost: the price of the delivery mode, contract overlays applied"},
	{"ContractedUnitPrice", "unit price charged (mode price, overlays applied) per PricingUnit; × PricingQuantity = ContractedCost"},
	{"EffectiveCost", "= BilledCost (no commitments or amortization)"},
	{"InvoiceIssuerName", "provider name (direct API billing)"},
	{"ListCost", "the same tokens at the standard (sync) price (focus_usage.list_cost_usd): ListCost − BilledCost is the batch/flex saving"},
	{"ListUnitPrice", "standard (sync) price per PricingUnit, USD per million tokens; × PricingQuantity = ListCost"},
	{"PricingCategory", "Standard (published prices; the delivery mode is in SkuPriceDetails)"},
	{"PricingQuantity", "tokens / 1,000,000, exact (requests for request_fee)"},
	{"PricingUnit", "1000000 Tokens (Requests for request_fee)"},
	{"ProviderName", "provider name: Anthropic, OpenAI, Google, DeepSeek, …"},
	{"PublisherName", "provider name (the model's publisher)"},
	{"ServiceCategory", "AI and Machine Learning"},
	{"ServiceName", "the provider's API: OpenAI API, Claude API, Gemini API, DeepSeek API, else \"<provider name> API\""},
	{"ServiceSubcategory", "Generative AI"},
	{"SkuId", "<provider>/<model>"},
	{"SkuMeter", "Input Tokens, Cache Read Tokens, Cache Write 5m Tokens, Cache Write 1h Tokens, Output Tokens, or Requests"},
	{"SkuPriceDetails", "JSON {\"DeliveryMode\", \"ServiceTier\", \"TokenType\"}"},
	{"SkuPriceId", "<price ref>#<token type>@<service tier>: one id per price point"},
	{"Tags", "JSON of the --group-by values ({\"team\": …}, {\"env\": …} for tag:env); {} without"},
	{"x_CostauditPriceRef", "price-book entry used (provider/model@effective_from[#tier])"},
	{"x_DeliveryMode", "sync, stream, batch, flex or priority"},
	{"x_TokenType", "input, cache_read, cache_write_5m, cache_write_1h, output, request_fee"},
}

var million = decimal.NewFromInt(1_000_000)

// RenderFOCUS writes the report's FOCUS usage cells (Report.FocusRows) as a
// FOCUS 1.2 cost-and-usage CSV: one row per day, provider, model, token
// bucket and delivery mode, with every Mandatory column. Money is the exact
// decimal of the report, so BilledCost sums to totals.cost_usd. Cells that
// come from logs are neutralized against spreadsheet formula injection.
func RenderFOCUS(w io.Writer, rep *report.Report, _ Options) error {
	if rep == nil {
		return fmt.Errorf("render focus: no report")
	}
	loc, err := focusLocation(rep.Window.TZ)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(FOCUSColumns); err != nil {
		return err
	}
	for i, fr := range rep.FocusRows {
		rec, err := focusRecord(fr, loc)
		if err != nil {
			return fmt.Errorf("render focus: focus_usage[%d]: %w", i, err)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// focusLocation loads the report's time zone (UTC when empty).
func focusLocation(tz string) (*time.Location, error) {
	if tz == "" || tz == "UTC" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("render focus: window.tz: unknown time zone %q: %w", tz, err)
	}
	return loc, nil
}

const focusTime = "2006-01-02T15:04:05Z"

// focusRecord maps one usage cell to a row in FOCUSColumns order.
func focusRecord(fr report.FocusUsage, loc *time.Location) ([]string, error) {
	day, err := time.ParseInLocation("2006-01-02", fr.Day, loc)
	if err != nil {
		return nil, fmt.Errorf("day: %q is not YYYY-MM-DD", fr.Day)
	}
	month := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, loc)
	provider := focusProviderName(fr.Provider)
	tier := focusServiceTier(fr.Mode)
	meter, consumedUnit, pricingUnit := focusMeter(fr.Bucket)
	quantity := decimal.NewFromInt(fr.Tokens)
	if fr.Bucket != "request_fee" {
		quantity = quantity.Div(million) // exact: a power of ten
	}
	details, err := focusJSON(map[string]string{"DeliveryMode": fr.Mode, "ServiceTier": tier, "TokenType": fr.Bucket})
	if err != nil {
		return nil, err
	}
	tags, err := focusTags(fr.Groups)
	if err != nil {
		return nil, err
	}
	cost := fr.CostUSD.String()
	// The list unit price is the standard (sync) price of the cell: its
	// list cost per pricing unit, exact because the list cost is a price
	// times this quantity. Without tokens it is the charged price.
	listUnit := fr.UnitPrice
	if !quantity.IsZero() {
		listUnit = fr.ListCostUSD.Div(quantity)
		if !listUnit.Mul(quantity).Equal(fr.ListCostUSD) {
			return nil, fmt.Errorf("list_cost_usd %s is not a unit price times %s pricing units", fr.ListCostUSD, quantity)
		}
	}
	values := map[string]string{
		"BilledCost":          cost,
		"BillingAccountId":    fr.Provider,
		"BillingAccountName":  provider + " (costaudit)",
		"BillingCurrency":     "USD",
		"BillingPeriodEnd":    month.AddDate(0, 1, 0).UTC().Format(focusTime),
		"BillingPeriodStart":  month.UTC().Format(focusTime),
		"ChargeCategory":      "Usage",
		"ChargeClass":         "",
		"ChargeDescription":   fmt.Sprintf("%s %s, %s", fr.Model, strings.ToLower(meter), fr.Mode),
		"ChargeFrequency":     "Usage-Based",
		"ChargePeriodEnd":     day.AddDate(0, 0, 1).UTC().Format(focusTime),
		"ChargePeriodStart":   day.UTC().Format(focusTime),
		"ConsumedQuantity":    fmt.Sprint(fr.Tokens),
		"ConsumedUnit":        consumedUnit,
		"ContractedCost":      cost,
		"ContractedUnitPrice": fr.UnitPrice.String(),
		"EffectiveCost":       cost,
		"InvoiceIssuerName":   provider,
		"ListCost":            fr.ListCostUSD.String(),
		"ListUnitPrice":       listUnit.String(),
		"PricingCategory":     "Standard",
		"PricingQuantity":     quantity.String(),
		"PricingUnit":         pricingUnit,
		"ProviderName":        provider,
		"PublisherName":       provider,
		"ServiceCategory":     "AI and Machine Learning",
		"ServiceName":         focusServiceName(fr.Provider, provider),
		"ServiceSubcategory":  "Generative AI",
		"SkuId":               fr.Provider + "/" + fr.Model,
		"SkuMeter":            meter,
		"SkuPriceDetails":     details,
		"SkuPriceId":          fr.PriceRef + "#" + fr.Bucket + "@" + tier,
		"Tags":                tags,
		"x_CostauditPriceRef": fr.PriceRef,
		"x_DeliveryMode":      fr.Mode,
		"x_TokenType":         fr.Bucket,
	}
	rec := make([]string, len(FOCUSColumns))
	for i, c := range FOCUSColumns {
		rec[i] = NeutralizeCell(values[c])
	}
	return rec, nil
}

// focusServiceTier names the provider's service tier of a delivery mode.
func focusServiceTier(mode string) string {
	switch mode {
	case "", "sync", "stream":
		return "standard"
	}
	return mode
}

// focusMeter returns the SkuMeter, ConsumedUnit and PricingUnit of a bucket.
func focusMeter(bucket string) (meter, consumed, pricing string) {
	switch bucket {
	case "input":
		return "Input Tokens", "Tokens", "1000000 Tokens"
	case "cache_read":
		return "Cache Read Tokens", "Tokens", "1000000 Tokens"
	case "cache_write_5m":
		return "Cache Write 5m Tokens", "Tokens", "1000000 Tokens"
	case "cache_write_1h":
		return "Cache Write 1h Tokens", "Tokens", "1000000 Tokens"
	case "output":
		return "Output Tokens", "Tokens", "1000000 Tokens"
	case "request_fee":
		return "Requests", "Requests", "Requests"
	}
	return bucket + " Tokens", "Tokens", "1000000 Tokens"
}

// focusProviderNames are the display names of the providers costaudit
// prices; any other provider id is shown as it is.
var focusProviderNames = map[string]string{
	"anthropic": "Anthropic",
	"openai":    "OpenAI",
	"google":    "Google",
	"gemini":    "Google",
	"vertex":    "Google",
	"deepseek":  "DeepSeek",
	"mistral":   "Mistral AI",
	"xai":       "xAI",
	"x-ai":      "xAI",
	"bedrock":   "Amazon Web Services",
	"aws":       "Amazon Web Services",
	"azure":     "Microsoft",
	"groq":      "Groq",
	"cohere":    "Cohere",
}

// focusServiceNames are the API product names of the main providers.
var focusServiceNames = map[string]string{
	"anthropic": "Claude API",
	"openai":    "OpenAI API",
	"google":    "Gemini API",
	"gemini":    "Gemini API",
	"deepseek":  "DeepSeek API",
}

func focusServiceName(id, provider string) string {
	if n, ok := focusServiceNames[id]; ok {
		return n
	}
	return provider + " API"
}

func focusProviderName(id string) string {
	if n, ok := focusProviderNames[id]; ok {
		return n
	}
	if id == "" {
		return "unknown"
	}
	return id
}

// focusTags writes the --group-by values as FOCUS Tags: "team" stays
// "team", "tag:env" becomes "env".
func focusTags(groups map[string]string) (string, error) {
	tags := make(map[string]string, len(groups))
	for k, v := range groups {
		tags[strings.TrimPrefix(k, "tag:")] = v
	}
	return focusJSON(tags)
}

// focusJSON marshals a string map with sorted keys and no HTML escaping.
func focusJSON(m map[string]string) (string, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kj, err := json.Marshal(k)
		if err != nil {
			return "", err
		}
		vj, err := json.Marshal(m[k])
		if err != nil {
			return "", err
		}
		b.Write(kj)
		b.WriteByte(':')
		b.Write(vj)
	}
	b.WriteByte('}')
	return b.String(), nil
}
