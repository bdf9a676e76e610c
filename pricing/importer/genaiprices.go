package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// genAIFloor is the effective date of a genai-prices price that has no
// start date. genai-prices applies such a price at any time before its next
// dated change, and so does the imported book; the entry is flagged.
const genAIFloor = "1970-01-01"

type gpProvider struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	PricingURLs []string  `json:"pricing_urls"`
	Models      []gpModel `json:"models"`
}

type gpModel struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	Match         json.RawMessage `json:"match"`
	Prices        json.RawMessage `json:"prices"`
	Deprecated    bool            `json:"deprecated"`
	PriceComments string          `json:"price_comments"`
}

type gpConditional struct {
	Constraint *struct {
		Type      string `json:"type"`
		StartDate string `json:"start_date"`
		StartTime string `json:"start_time"`
		EndTime   string `json:"end_time"`
	} `json:"constraint"`
	Prices map[string]json.RawMessage `json:"prices"`
}

// constraintType names a genai-prices constraint. The npm package's data
// file spells it out ("type"); the repository's prices/data.json leaves it
// out, so it is inferred from the keys present.
func constraintType(cd gpConditional) string {
	c := cd.Constraint
	switch {
	case c.Type != "":
		return c.Type
	case c.StartDate != "":
		return "start_date"
	case c.StartTime != "" || c.EndTime != "":
		return "time_of_date"
	}
	return ""
}

// gpClock converts a genai-prices UTC time of day ("16:30:00Z") to the
// book's "HH:MM"; ok is false for a time with seconds, another offset or no
// minute precision the book can hold.
func gpClock(s string) (string, bool) {
	t, err := time.Parse("15:04:05Z07:00", s)
	if err != nil || t.Second() != 0 {
		return "", false
	}
	_, off := t.Zone()
	if off != 0 {
		return "", false
	}
	return t.Format("15:04"), true
}

type gpTiered struct {
	Base  json.Number `json:"base"`
	Tiers []struct {
		Start json.Number `json:"start"`
		Price json.Number `json:"price"`
	} `json:"tiers"`
}

// gpBuckets maps genai-prices price keys to costaudit buckets.
var gpBuckets = map[string]string{
	"input_mtok":          "input",
	"cache_read_mtok":     "cache_read",
	"cache_write_mtok":    "cache_write_5m",
	"cache_write_1h_mtok": "cache_write_1h",
	"output_mtok":         "output",
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// importGenAIPrices reads genai-prices' data file: a JSON array of
// providers, each with models whose prices are either one price set or a
// list of conditional price sets (dated changes, times of day).
func importGenAIPrices(c *collector, data []byte) error {
	var provs []gpProvider
	if err := decodeStrict(data, &provs); err != nil {
		return fmt.Errorf("read genai-prices data: %w (want the JSON array of providers from the @pydantic/genai-prices data file)", err)
	}
	if len(provs) == 0 {
		return fmt.Errorf("read genai-prices data: no providers")
	}
	for pi, p := range provs {
		if p.ID == "" {
			return fmt.Errorf("read genai-prices data: provider %d: id: missing", pi)
		}
		provider := strings.ToLower(p.ID)
		if !c.wants(provider) {
			continue
		}
		cite := p.Name
		if len(p.PricingURLs) > 0 {
			cite = p.PricingURLs[0]
		}
		for mi, gm := range p.Models {
			if gm.ID == "" {
				return fmt.Errorf("read genai-prices data: provider %s model %d: id: missing", p.ID, mi)
			}
			key := provider + "/" + strings.ToLower(gm.ID)
			m, err := c.genAIModel(provider, key, cite, gm)
			if err != nil {
				return fmt.Errorf("read genai-prices data: provider %s model %s: %w", p.ID, gm.ID, err)
			}
			if m != nil {
				c.addModel(provider, m)
			}
		}
	}
	return nil
}

// genAIModel converts one model, or returns nil (listed) when it has no
// per-token input and output price.
func (c *collector) genAIModel(provider, key, cite string, gm gpModel) (*model, error) {
	var conds []gpConditional
	trimmed := bytes.TrimSpace(gm.Prices)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := decodeStrict(trimmed, &conds); err != nil {
			return nil, fmt.Errorf("prices: %w", err)
		}
	} else {
		var one map[string]json.RawMessage
		if err := decodeStrict(trimmed, &one); err != nil {
			return nil, fmt.Errorf("prices: %w", err)
		}
		conds = []gpConditional{{Prices: one}}
	}
	m := &model{id: gm.ID}
	var notes []string
	if gm.Deprecated {
		notes = append(notes, "deprecated in genai-prices")
	}
	if gm.PriceComments != "" {
		notes = append(notes, "genai-prices: "+gm.PriceComments)
	}
	m.note = strings.Join(notes, "; ")
	m.aliases = c.genAIAliases(key, gm.Match)

	type dated struct {
		from  string
		t     time.Time
		floor bool
		ps    map[string]json.RawMessage
		order int // place among the dated sets in the source list
	}
	var ds []dated
	// windows are the time-of-day price sets, with their place in the list:
	// genai-prices tries the sets last to first, so a window applies to the
	// dated sets listed before it and not to those listed after.
	type timed struct {
		at          int
		from, until string
		ps          map[string]json.RawMessage
	}
	var windows []timed
	for i, cd := range conds {
		switch {
		case cd.Constraint == nil:
			if i != 0 {
				c.omit("genai-prices price set without a constraint after the first: left out (genai-prices never reaches it)", key)
				continue
			}
			ds = append(ds, dated{from: genAIFloor, floor: true, ps: cd.Prices})
		case constraintType(cd) == "time_of_date":
			from, ok1 := gpClock(cd.Constraint.StartTime)
			until, ok2 := gpClock(cd.Constraint.EndTime)
			if !ok1 || !ok2 || from == until {
				c.omit(fmt.Sprintf("genai-prices time-of-day constraint %s-%s: not a whole-minute UTC window, those prices left out", cd.Constraint.StartTime, cd.Constraint.EndTime), key)
				continue
			}
			windows = append(windows, timed{at: len(ds), from: from, until: until, ps: cd.Prices})
		case constraintType(cd) == "start_date":
			t, err := time.Parse("2006-01-02", cd.Constraint.StartDate)
			from := cd.Constraint.StartDate
			if err != nil {
				t, err = time.Parse(time.RFC3339, cd.Constraint.StartDate)
				if err != nil {
					return nil, fmt.Errorf("prices[%d].constraint.start_date: %q is not a date", i, cd.Constraint.StartDate)
				}
				from = t.UTC().Format(time.RFC3339)
			}
			ds = append(ds, dated{from: from, t: t, ps: cd.Prices})
		default:
			c.omit(fmt.Sprintf("genai-prices %q price constraint: no costaudit rule, those prices left out", constraintType(cd)), key)
		}
	}
	for i := range ds {
		ds[i].order = i
	}
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].floor != ds[j].floor {
			return ds[i].floor
		}
		return ds[i].t.Before(ds[j].t)
	})
	for _, d := range ds {
		e, ok, err := c.genAIEntry(key, d.ps)
		if err != nil {
			return nil, err
		}
		if !ok {
			c.omit("no per-token input and output price (embedding, image, audio or per-request model): model left out", key)
			return nil, nil
		}
		for wi, tw := range windows {
			if d.order >= tw.at {
				continue // a later-listed dated set wins over this window
			}
			we, ok, err := c.genAIEntry(key, tw.ps)
			if err != nil {
				return nil, err
			}
			if !ok || len(we.tiers) > 0 || len(e.tiers) > 0 {
				c.omit("genai-prices time-of-day prices with long-context tiers, or without input and output: window left out", key)
				continue
			}
			e.windows = append(e.windows, window{label: fmt.Sprintf("window-%d", wi+1), from: tw.from, until: tw.until, p: we.p})
		}
		e.from = d.from
		e.source = cite + " via genai-prices (" + c.sourceLabel() + ")"
		e.sourceDate = c.opts.Date
		if d.floor {
			e.note = "undated in genai-prices, which applies this price at any time before its next dated change; imported from " + genAIFloor + " to do the same"
			c.markUndated("no start date in genai-prices: effective from "+genAIFloor+" (genai-prices applies the price at any earlier time too)", key)
		}
		if n := len(m.entries); n > 0 && m.entries[n-1].from == e.from {
			c.omit("two genai-prices price sets with the same start date: the later one kept", key)
			m.entries[n-1] = e
			continue
		}
		m.entries = append(m.entries, e)
	}
	if len(m.entries) == 0 {
		c.omit("no usable price set: model left out", key)
		return nil, nil
	}
	c.omit("batch: genai-prices has no batch prices (batch what-ifs on these models say so instead of inventing a discount)", key)
	return m, nil
}

// genAIEntry converts one price set. ok is false when the set has no
// input or output price per token.
func (c *collector) genAIEntry(key string, ps map[string]json.RawMessage) (*entry, bool, error) {
	type tiered struct {
		base   decimal.Decimal
		starts []int64
		prices []decimal.Decimal
	}
	buckets := map[string]*tiered{}
	e := &entry{}
	for _, k := range sortedRawKeys(ps) {
		raw := bytes.TrimSpace(ps[k])
		if k == "requests_kcount" {
			v, err := decimal.NewFromString(string(raw))
			if err != nil {
				return nil, false, fmt.Errorf("prices.%s: %s is not a number", k, raw)
			}
			fee := v.Shift(-3) // per thousand requests → per request
			e.fee = &fee
			continue
		}
		bucket, ok := gpBuckets[k]
		if !ok {
			c.omit("genai-prices price "+k+": no costaudit bucket for it, left out", key)
			continue
		}
		t := &tiered{}
		if len(raw) > 0 && raw[0] == '{' {
			var tp gpTiered
			if err := decodeStrict(raw, &tp); err != nil {
				return nil, false, fmt.Errorf("prices.%s: %w", k, err)
			}
			b, err := decimal.NewFromString(tp.Base.String())
			if err != nil {
				return nil, false, fmt.Errorf("prices.%s.base: %q is not a number", k, tp.Base)
			}
			t.base = b
			for i, tr := range tp.Tiers {
				s, err := tr.Start.Int64()
				if err != nil || s < 0 {
					return nil, false, fmt.Errorf("prices.%s.tiers[%d].start: %q is not a token count", k, i, tr.Start)
				}
				p, err := decimal.NewFromString(tr.Price.String())
				if err != nil {
					return nil, false, fmt.Errorf("prices.%s.tiers[%d].price: %q is not a number", k, i, tr.Price)
				}
				t.starts = append(t.starts, s)
				t.prices = append(t.prices, p)
			}
		} else {
			v, err := decimal.NewFromString(string(raw))
			if err != nil {
				return nil, false, fmt.Errorf("prices.%s: %s is not a number", k, raw)
			}
			t.base = v
		}
		if t.base.IsNegative() {
			return nil, false, fmt.Errorf("prices.%s: negative price %s", k, t.base)
		}
		c.checkArtefact(key+" "+k, t.base)
		buckets[bucket] = t
	}
	if buckets["input"] == nil || buckets["output"] == nil {
		return nil, false, nil
	}
	// genai-prices prices 1-hour cache writes at cache_write_mtok when it
	// has no cache_write_1h_mtok; so does the book.
	if buckets["cache_write_1h"] == nil && buckets["cache_write_5m"] != nil {
		buckets["cache_write_1h"] = buckets["cache_write_5m"]
	}
	set := func(p *prices, bucket string, v decimal.Decimal) {
		v2 := v
		switch bucket {
		case "input":
			p.in = &v2
		case "cache_read":
			p.cr = &v2
		case "cache_write_5m":
			p.cw5 = &v2
		case "cache_write_1h":
			p.cw1h = &v2
		case "output":
			p.out = &v2
		}
	}
	thresholds := map[int64]bool{}
	for b, t := range buckets {
		set(&e.p, b, t.base)
		for _, s := range t.starts {
			thresholds[s] = true
		}
	}
	var ts []int64
	for s := range thresholds {
		ts = append(ts, s)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	for _, th := range ts {
		if th == 0 {
			c.omit("genai-prices tier starting at 0 tokens: no costaudit tier above 0, left out", key)
			continue
		}
		tr := tier{above: th}
		for b, t := range buckets {
			// genai-prices: the price of the last tier whose start the
			// request's input exceeds; for a request just above th that is
			// the largest start <= th.
			v := t.base
			for i, s := range t.starts {
				if s <= th {
					v = t.prices[i]
				}
			}
			set(&tr.p, b, v)
		}
		e.tiers = append(e.tiers, tr)
	}
	return e, true, nil
}

func sortedRawKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// genAIAliases turns a genai-prices match rule into exact names: every
// literal of an equals, starts_with, ends_with or contains clause under a
// top-level "or" names the model itself. What a name match cannot say
// (prefixes beyond dated snapshots, regexes, "and" clauses) is listed.
func (c *collector) genAIAliases(key string, raw json.RawMessage) []string {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	var node map[string]json.RawMessage
	if err := json.Unmarshal(raw, &node); err != nil {
		c.omit("unreadable genai-prices match rule: only the model id is matched", key)
		return nil
	}
	var out []string
	var walk func(n map[string]json.RawMessage, top bool)
	walk = func(n map[string]json.RawMessage, top bool) {
		for _, op := range sortedRawKeys(n) {
			v := n[op]
			switch op {
			case "or":
				var kids []map[string]json.RawMessage
				if err := json.Unmarshal(v, &kids); err != nil {
					c.omit("unreadable genai-prices match rule: only the model id is matched", key)
					return
				}
				for _, k := range kids {
					walk(k, top)
				}
			case "equals":
				var s string
				if json.Unmarshal(v, &s) == nil {
					out = append(out, s)
				}
			case "starts_with", "ends_with", "contains":
				var s string
				if json.Unmarshal(v, &s) == nil {
					out = append(out, s)
					c.omit("genai-prices "+op+" name match: imported as the exact name (plus dated snapshots); other names it matched are not", key)
				}
			case "and", "regex":
				c.omit("genai-prices "+op+" name match: no costaudit equivalent, left out (the model id and exact names still match)", key)
			default:
				c.omit("genai-prices "+op+" name match: unknown, left out", key)
			}
		}
	}
	walk(node, true)
	return out
}
