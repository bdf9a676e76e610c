package loggen

import (
	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/pricing"
	"github.com/shopspring/decimal"
)

// listPrice is USD per million tokens for the generator's logged costs.
type listPrice struct {
	input, cacheRead, write5m, write1h, output string
	batch                                      bool // the provider has a 50% batch discount
}

// listPrices are the providers' list prices (https://openai.com/api/pricing,
// https://platform.claude.com/docs/en/about-claude/pricing, as in the
// embedded books) for the models of the built-in workloads. They only feed
// logged_cost_usd and LiteLLM's spend, the "cost the source recorded" that
// reconciliation compares with the price books; they are not the
// price books.
var listPrices = map[string]listPrice{
	"gpt-4o":            {"2.50", "1.25", "0", "0", "10.00", true},
	"gpt-4o-mini":       {"0.15", "0.075", "0", "0", "0.60", true},
	"gpt-4.1":           {"2.00", "0.50", "0", "0", "8.00", true},
	"o4-mini":           {"1.10", "0.275", "0", "0", "4.40", true},
	"claude-sonnet-4-5": {"3.00", "0.30", "3.75", "6.00", "15.00", true},
	"claude-haiku-4-5":  {"1.00", "0.10", "1.25", "2.00", "5.00", true},
	"gemini-2.5-flash":  {"0.30", "0.03", "0.30", "0.30", "2.50", true},
	"deepseek-chat":     {"0.28", "0.028", "0", "0", "0.42", false},
}

var million = decimal.NewFromInt(1_000_000)

// LoggedCost returns the cost a logging source would have recorded for r,
// as an exact decimal string in USD, from the generator's own list-price
// table: "0" for an unbilled record or a model the table lacks.
func LoggedCost(r *audit.Record) string {
	p, ok := listPrices[r.Model]
	if !ok || !r.Billed() {
		return "0"
	}
	sum := decimal.Zero
	for _, it := range []struct {
		n     int64
		price string
	}{{r.InputTokens, p.input}, {r.CacheReadTokens, p.cacheRead}, {r.CacheWrite5mTokens, p.write5m},
		{r.CacheWrite1hTokens, p.write1h}, {r.OutputTokens, p.output}} {
		if it.n != 0 {
			sum = sum.Add(decimal.RequireFromString(it.price).Mul(decimal.NewFromInt(it.n)))
		}
	}
	sum = sum.Div(million)
	if r.Mode == pricing.ModeBatch && p.batch {
		sum = sum.Div(decimal.NewFromInt(2))
	}
	return sum.String()
}
