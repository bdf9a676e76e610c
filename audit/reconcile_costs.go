package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

// Provider cost reports, for reconciliation against the bill: the pages of
// the OpenAI organization costs API
// (platform.openai.com/docs/api-reference/usage/costs) and of the Anthropic
// cost report (docs.anthropic.com/en/api/admin-api/usage-cost/get-cost-report).
//
//   - OpenAI results carry amount.value in US dollars, per project_id and
//     line_item when grouped so ("gpt-4o-2024-08-06, input"): the model is
//     the line item before its last ", ".
//   - Anthropic results carry amount as a decimal string in the lowest
//     currency unit, cents ("123.45" is $1.2345), per workspace_id and,
//     grouped by description, per model; costs of another cost_type than
//     tokens (web_search, code_execution) get the model "(cost_type)".
//
// A cost without a model (a report not grouped by line item or
// description) is compared with all models of its workflow.
//
// The workflow of a cost is its project or workspace, "organization" when
// the report is not grouped by them; the workflows of the usage exports
// read with --aggregates are named the same way, so the two meet.

// ProviderCost is the cost a provider billed for one workflow and model.
type ProviderCost struct {
	Workflow string // project or workspace id, or "organization"
	Provider string // openai or anthropic
	Model    string // "" for costs not tied to a model (tools, storage, …)
	CostUSD  decimal.Decimal
}

// costPage is one page of a cost report.
type costPage struct {
	Data []struct {
		Results []json.RawMessage `json:"results"`
	} `json:"data"`
}

// ReadCostReport reads an OpenAI costs export or an Anthropic cost report
// (pages as saved from the API, one after another) and returns the costs
// summed by workflow, provider and model, sorted.
func ReadCostReport(name string, r io.Reader) ([]ProviderCost, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(64 << 10)
	provider := ""
	switch {
	case bytes.Contains(head, []byte(`"organization.costs.result"`)):
		provider = "openai"
	case bytes.Contains(head, []byte(`"starting_at"`)) && bytes.Contains(head, []byte(`"amount"`)) && bytes.Contains(head, []byte(`"currency"`)):
		provider = "anthropic"
	default:
		return nil, fmt.Errorf("read %s: not a cost report (want the pages of OpenAI's /v1/organization/costs or Anthropic's /v1/organizations/cost_report)", name)
	}
	sums := map[[2]string]decimal.Decimal{}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	hundred := decimal.NewFromInt(100)
	for page := 1; ; page++ {
		var p costPage
		if err := dec.Decode(&p); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("read %s: page %d: invalid json: %w", name, page, err)
		}
		for bi, b := range p.Data {
			for ri, res := range b.Results {
				where := fmt.Sprintf("read %s: page %d data[%d].results[%d]", name, page, bi, ri)
				wf, model, amount, err := costResult(provider, res)
				if err != nil {
					return nil, fmt.Errorf("%s.%w", where, err)
				}
				if provider == "anthropic" {
					amount = amount.Div(hundred)
				}
				k := [2]string{wf, model}
				sums[k] = sums[k].Add(amount)
			}
		}
	}
	out := make([]ProviderCost, 0, len(sums))
	for k, v := range sums {
		out = append(out, ProviderCost{Workflow: k[0], Provider: provider, Model: k[1], CostUSD: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Workflow != out[j].Workflow {
			return out[i].Workflow < out[j].Workflow
		}
		return out[i].Model < out[j].Model
	})
	return out, nil
}

// costResult reads one result: workflow, model and amount (dollars for
// OpenAI, cents for Anthropic).
func costResult(provider string, b json.RawMessage) (string, string, decimal.Decimal, error) {
	var zero decimal.Decimal
	if provider == "openai" {
		var c struct {
			Amount *struct {
				Value    json.Number `json:"value"`
				Currency string      `json:"currency"`
			} `json:"amount"`
			LineItem  *string `json:"line_item"`
			ProjectID *string `json:"project_id"`
		}
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&c); err != nil {
			return "", "", zero, err
		}
		if c.Amount == nil {
			return "", "", zero, errors.New("amount: missing")
		}
		if cur := strings.ToLower(c.Amount.Currency); cur != "" && cur != "usd" {
			return "", "", zero, fmt.Errorf("amount.currency: %q: only usd is read", c.Amount.Currency)
		}
		v, err := decimal.NewFromString(string(c.Amount.Value))
		if err != nil {
			return "", "", zero, fmt.Errorf("amount.value: not a number %q", c.Amount.Value)
		}
		model := strOr(c.LineItem)
		if i := strings.LastIndex(model, ", "); i > 0 {
			model = model[:i]
		}
		wf := strOr(c.ProjectID)
		if wf == "" {
			wf = "organization"
		}
		return wf, model, v, nil
	}
	var c struct {
		Amount      string  `json:"amount"`
		Currency    string  `json:"currency"`
		WorkspaceID *string `json:"workspace_id"`
		Model       *string `json:"model"`
		CostType    *string `json:"cost_type"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return "", "", zero, err
	}
	if c.Currency != "" && !strings.EqualFold(c.Currency, "USD") {
		return "", "", zero, fmt.Errorf("currency: %q: only USD is read", c.Currency)
	}
	v, err := decimal.NewFromString(c.Amount)
	if err != nil {
		return "", "", zero, fmt.Errorf("amount: not a decimal string %q", c.Amount)
	}
	wf := strOr(c.WorkspaceID)
	if wf == "" {
		wf = "organization"
	}
	model := strOr(c.Model)
	if ct := strOr(c.CostType); ct != "" && ct != "tokens" {
		// Web search, code execution…: billed beside the tokens, never
		// matched to a model's token cost.
		model = "(" + ct + ")"
	}
	return wf, model, v, nil
}

// ReconcileCosts compares the providers' billed costs with the report's
// computed cost of the same workflow and model (all workflows of the
// provider when the cost is the organization's; all models of the
// workflow when the cost names none) and returns the pairs that differ by
// more than 1%, largest difference first. A billed cost with no computed
// counterpart is listed too: it is spend the logs do not show.
//
// Models are compared by what cat resolves them to, so a cost report's
// dated snapshot ("claude-sonnet-4-20250514") meets the report's line of
// the same model.
func ReconcileCosts(rep *report.Report, costs []ProviderCost, cat *pricing.Catalog) []report.Reconciliation {
	canon := func(provider, model string) string {
		if res, err := cat.Resolve(provider, model); err == nil {
			return res.Provider + "/" + res.ModelID
		}
		return provider + "/" + strings.ToLower(model)
	}
	var out []report.Reconciliation
	for _, c := range costs {
		want := canon(c.Provider, c.Model)
		var ours decimal.Decimal
		var reqs int64
		for _, w := range rep.Workflows {
			if c.Workflow != "organization" && w.Workflow != c.Workflow {
				continue
			}
			for _, l := range w.Lines {
				if l.Provider != c.Provider || (c.Model != "" && canon(l.Provider, l.Model) != want) {
					continue
				}
				ours = ours.Add(l.CostUSD)
				reqs += l.Requests
			}
		}
		diff := c.CostUSD.Sub(ours)
		if c.CostUSD.IsZero() && ours.IsZero() {
			continue
		}
		var pct decimal.Decimal
		if !ours.IsZero() {
			pct = diff.Div(ours).Mul(decimal.NewFromInt(100)).Round(2)
			if pct.Abs().LessThanOrEqual(decimal.NewFromInt(1)) {
				continue
			}
		}
		cause := "the provider's cost report differs from the computed price: check the price book entry, the service tier and the days both cover"
		switch {
		case ours.IsZero():
			cause = "billed, but no priced request in the logs matches (tools, storage, fine-tuning, another project, or requests missing from the logs)"
		case diff.IsNegative():
			cause = "billed less than computed: credits or discounts, or logs that reach past the cost report's days"
		}
		out = append(out, report.Reconciliation{
			Workflow: c.Workflow, Provider: c.Provider, Model: c.Model, Requests: reqs,
			LoggedCostUSD: c.CostUSD, OurCostUSD: ours, DiffUSD: diff, DiffPct: pct,
			LikelyCause: "cost report: " + cause,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DiffUSD.Abs().GreaterThan(out[j].DiffUSD.Abs()) })
	return out
}

// strOr returns the first of ps that is set and not empty, or "".
func strOr(ps ...*string) string {
	for _, p := range ps {
		if p != nil && *p != "" {
			return *p
		}
	}
	return ""
}
