package importer

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// liteLLMProviders maps LiteLLM provider names to costaudit's where they
// differ; other names are kept.
var liteLLMProviders = map[string]string{
	"gemini":                 "google",
	"text-completion-openai": "openai",
}

// liteLLMModes are the LiteLLM modes of token-priced text models.
var liteLLMModes = map[string]bool{"chat": true, "completion": true, "responses": true}

// liteLLMKey is a LiteLLM per-token price key: a bucket, an optional
// long-context threshold and an optional service tier.
var liteLLMKey = regexp.MustCompile(`^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost_above_1hr|cache_creation_input_token_cost|input_cost_per_token_cache_hit)(?:_above_(\d+)k_tokens)?(?:_(batches|flex|priority))?$`)

var liteLLMBucket = map[string]string{
	"input_cost_per_token":                      "input",
	"output_cost_per_token":                     "output",
	"cache_read_input_token_cost":               "cache_read",
	"input_cost_per_token_cache_hit":            "cache_read",
	"cache_creation_input_token_cost":           "cache_write_5m",
	"cache_creation_input_token_cost_above_1hr": "cache_write_1h",
}

// importLiteLLM reads LiteLLM's model_prices_and_context_window.json: an
// object of model name → fields, prices in USD per token.
func importLiteLLM(c *collector, data []byte) error {
	if c.opts.Date == "" {
		return fmt.Errorf("%w: set Options.Date (YYYY-MM-DD) or keep the date in the file name", ErrNoDate)
	}
	var all map[string]json.RawMessage
	if err := decodeStrict(data, &all); err != nil {
		return fmt.Errorf("read litellm prices: %w (want model_prices_and_context_window.json)", err)
	}
	names := make([]string, 0, len(all))
	for k := range all {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "sample_spec" {
			continue
		}
		var fields map[string]any
		if err := decodeStrict(all[name], &fields); err != nil {
			return fmt.Errorf("read litellm prices: %q: %w", name, err)
		}
		prov, _ := fields["litellm_provider"].(string)
		if prov == "" {
			c.omit("no litellm_provider: entry left out", name)
			continue
		}
		provider := strings.ToLower(prov)
		if p, ok := liteLLMProviders[provider]; ok {
			provider = p
		}
		if !c.wants(provider) {
			continue
		}
		id := strings.TrimPrefix(name, prov+"/")
		key := provider + "/" + strings.ToLower(id)
		mode, _ := fields["mode"].(string)
		if !liteLLMModes[mode] {
			if mode == "" {
				mode = "none"
			}
			c.omit("litellm mode "+mode+" (not a token-priced text model): entry left out", key)
			continue
		}
		m, err := c.liteLLMModel(provider, key, id, name, fields)
		if err != nil {
			return fmt.Errorf("read litellm prices: %q: %w", name, err)
		}
		if m != nil {
			c.addModel(provider, m)
		}
	}
	return nil
}

// perMillion converts a LiteLLM per-token price (a JSON number) exactly.
func perMillion(v any) (decimal.Decimal, error) {
	n, ok := v.(json.Number)
	if !ok {
		return decimal.Zero, fmt.Errorf("%v is not a number", v)
	}
	d, err := decimal.NewFromString(n.String())
	if err != nil {
		return decimal.Zero, fmt.Errorf("%s is not a number", n)
	}
	if d.IsNegative() {
		return decimal.Zero, fmt.Errorf("negative price %s", n)
	}
	return d.Shift(6), nil
}

func (c *collector) liteLLMModel(provider, key, id, name string, fields map[string]any) (*model, error) {
	type variant struct {
		above int64  // 0: standard
		tier  string // "", batches, flex, priority
	}
	found := map[variant]*prices{}
	get := func(v variant) *prices {
		p := found[v]
		if p == nil {
			p = &prices{}
			found[v] = p
		}
		return p
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.Contains(k, "cost") {
			continue
		}
		mm := liteLLMKey.FindStringSubmatch(k)
		if mm == nil {
			c.omit("litellm "+k+": no costaudit bucket for it, left out", key)
			continue
		}
		val, err := perMillion(fields[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		c.checkArtefact(key+" "+k, val)
		v := variant{tier: mm[3]}
		if mm[2] != "" {
			n, _ := strconv.ParseInt(mm[2], 10, 64)
			v.above = n * 1000
		}
		p := get(v)
		d := val
		switch liteLLMBucket[mm[1]] {
		case "input":
			p.in = &d
		case "output":
			p.out = &d
		case "cache_read":
			if mm[1] == "input_cost_per_token_cache_hit" && p.cr != nil {
				continue // cache_read_input_token_cost wins
			}
			p.cr = &d
		case "cache_write_5m":
			p.cw5 = &d
		case "cache_write_1h":
			p.cw1h = &d
		}
	}
	std := found[variant{}]
	if std == nil || std.in == nil || std.out == nil {
		c.omit("no per-token input and output price: entry left out", key)
		return nil, nil
	}
	e := &entry{
		from:       c.opts.Date,
		source:     "LiteLLM " + c.sourceLabel() + ", " + name,
		sourceDate: c.opts.Date,
		note:       "undated in LiteLLM: the price in the file of " + c.opts.Date + ", effective from that date",
		p:          *std,
	}
	if src, ok := fields["source"].(string); ok && src != "" {
		e.source += " (" + src + ")"
	}
	c.markUndated("no dates in LiteLLM: effective from the file's date "+c.opts.Date, key)
	if std.cw1h == nil {
		c.omit("cache_write_1h: LiteLLM gives no 1-hour cache-write price (costaudit bills such writes at the input price)", key)
	}
	// Long-context tiers of the standard prices. A bucket LiteLLM does not
	// tier keeps its standard price above the threshold.
	var aboves []int64
	for v := range found {
		if v.above > 0 && v.tier == "" {
			aboves = append(aboves, v.above)
		}
	}
	sort.Slice(aboves, func(i, j int) bool { return aboves[i] < aboves[j] })
	for _, a := range aboves {
		tp := *found[variant{above: a}]
		fill := func(dst **decimal.Decimal, base *decimal.Decimal) {
			if *dst == nil {
				*dst = base
			}
		}
		fill(&tp.in, std.in)
		fill(&tp.out, std.out)
		if std.cr != nil {
			fill(&tp.cr, std.cr)
		}
		if std.cw5 != nil {
			fill(&tp.cw5, std.cw5)
		}
		if std.cw1h != nil {
			fill(&tp.cw1h, std.cw1h)
		}
		e.tiers = append(e.tiers, tier{above: a, p: tp})
	}
	// Delivery modes.
	for v := range found {
		if v.tier != "" && v.above > 0 {
			c.omit("litellm long-context "+v.tier+" prices: costaudit mode prices do not cover tiers, left out", key)
		}
	}
	if b := found[variant{tier: "batches"}]; b != nil {
		e.batch = c.liteLLMMode(key, "batch", std, b)
	} else {
		c.omit("batch: LiteLLM gives no batch price (batch what-ifs on these models say so instead of inventing a discount)", key)
	}
	if f := found[variant{tier: "flex"}]; f != nil {
		e.flex = c.liteLLMMode(key, "flex", std, f)
	}
	if p := found[variant{tier: "priority"}]; p != nil {
		e.priority = c.liteLLMMode(key, "priority", std, p)
	}
	m := &model{id: id, entries: []*entry{e}}
	if dd, ok := fields["deprecation_date"].(string); ok && dd != "" {
		m.note = "LiteLLM deprecation_date " + dd
	}
	return m, nil
}

// liteLLMMode converts batch, flex or priority prices. Batch prices that are
// one fraction off the standard input and output become a discount (cache
// tokens then keep their standard prices, as LiteLLM says nothing of
// stacking); other prices are explicit.
func (c *collector) liteLLMMode(key, name string, std, p *prices) *mode {
	if p.in == nil || p.out == nil {
		c.omit("litellm "+name+" prices without both input and output: left out", key)
		return nil
	}
	if name == "batch" && p.cr == nil && p.cw5 == nil && p.cw1h == nil && !std.in.IsZero() && !std.out.IsZero() {
		one := decimal.NewFromInt(1)
		fin := one.Sub(p.in.Div(*std.in))
		fout := one.Sub(p.out.Div(*std.out))
		if fin.Equal(fout) && fin.IsPositive() && fin.LessThan(one) && p.in.Equal(std.in.Mul(one.Sub(fin))) {
			c.omit("batch cache prices: LiteLLM gives batch input and output only; cache tokens in a batch keep their standard prices (no stacking assumed)", key)
			return &mode{discount: &fin, note: "from LiteLLM " + name + " input and output prices"}
		}
	}
	if p.cr == nil && std.cr != nil {
		c.omit("litellm "+name+" cache-read price missing: costaudit bills cache reads under "+name+" at its input price", key)
	}
	return &mode{p: *p, note: "from LiteLLM " + name + " prices"}
}
