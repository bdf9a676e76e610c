package pricing

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// snapshotRe matches a dated-snapshot suffix: -20250929, -2025-04-14,
// @20250929 (Vertex style) or OpenAI's older -0613.
var snapshotRe = regexp.MustCompile(`^(.+?)(-\d{8}|-\d{4}-\d{2}-\d{2}|@\d{8}|-\d{4})$`)

// claudeDotRe finds a version written with a dot between digits
// (claude-sonnet-4.5), as gateways spell the dashed Anthropic ids.
var claudeDotRe = regexp.MustCompile(`(\d)\.(\d)`)

// Resolve finds the priced model for a logged provider and model name. It
// tries, in order: the exact id, an alias, and for a dated snapshot the
// family it belongs to (unless the snapshot has its own price, which the
// exact-id step finds first). A provider prefix in the name ("openai/gpt-4o",
// "models/gemini-2.5-pro") is stripped; an empty provider is inferred from
// the model. Errors wrap ErrUnknownModel.
func (c *Catalog) Resolve(provider, model string) (Resolution, error) {
	var why []string
	prefixed := false
	prov := strings.ToLower(strings.TrimSpace(provider))
	name := strings.ToLower(strings.TrimSpace(model))
	if name == "" {
		return Resolution{}, fmt.Errorf("%w: empty model name", ErrUnknownModel)
	}
	if prov != "" {
		canon, ok := c.providers[prov]
		if !ok {
			return Resolution{}, fmt.Errorf("%w: no price book for provider %q (model %q); known providers: %s", ErrUnknownModel, provider, model, strings.Join(c.providerNames(), ", "))
		}
		if canon != prov {
			why = append(why, fmt.Sprintf("provider %q is an alias of %q", prov, canon))
		}
		prov = canon
	}
	if rest, ok := strings.CutPrefix(name, "models/"); ok {
		why = append(why, `resource prefix "models/" stripped`)
		name = rest
	}
	if i := strings.IndexByte(name, '/'); i > 0 {
		if canon, ok := c.providers[name[:i]]; ok {
			if prov != "" && prov != canon {
				return Resolution{}, fmt.Errorf("%w: model %q names provider %q but the record says %q", ErrUnknownModel, model, canon, prov)
			}
			why = append(why, fmt.Sprintf("provider prefix %q stripped", name[:i+1]))
			prefixed = true
			prov = canon
			name = name[i+1:]
		}
	}
	hit, how, err := c.lookupName(prov, name)
	if err != nil {
		return Resolution{}, err
	}
	if hit == nil {
		if m := snapshotRe.FindStringSubmatch(name); m != nil {
			fam, fhow, err := c.lookupName(prov, m[1])
			if err != nil {
				return Resolution{}, err
			}
			if fam != nil {
				if !fam.m.snapshots {
					return Resolution{}, fmt.Errorf("%w: %q looks like a dated snapshot of %s/%s, which book %s prices only under its own id", ErrUnknownModel, model, fam.m.provider, fam.m.id, fam.m.book.id)
				}
				hit = fam
				how = fmt.Sprintf("dated snapshot %q falls back to %s", name, fhow)
			}
		}
	}
	if hit == nil && strings.HasPrefix(name, "claude-") && claudeDotRe.MatchString(name) {
		// Anthropic's model ids write versions with dashes
		// (claude-sonnet-4-5); gateways such as OpenRouter write them with
		// dots (anthropic/claude-sonnet-4.5).
		dashed := claudeDotRe.ReplaceAllString(name, "$1-$2")
		dhit, dhow, err := c.lookupName(prov, dashed)
		if err != nil {
			return Resolution{}, err
		}
		if dhit != nil {
			hit = dhit
			how = fmt.Sprintf("version dots written as dashes (%q): %s", dashed, dhow)
		}
	}
	if hit == nil {
		where := "any price book"
		if prov != "" {
			where = "the " + prov + " price books"
		}
		hint := c.unknownHint
		if hint == "" {
			hint = DefaultUnknownModelHint
		}
		return Resolution{}, fmt.Errorf("%w: %q is not in %s (%s)", ErrUnknownModel, model, where, hint)
	}
	why = append(why, how)
	if strings.TrimSpace(provider) == "" && !prefixed {
		why = append(why, fmt.Sprintf("provider %s inferred from the model", hit.m.provider))
	}
	return Resolution{Provider: hit.m.provider, ModelID: hit.m.id, Book: hit.m.book.id, Why: strings.Join(why, "; ")}, nil
}

// lookupName finds an exact id or alias, restricted to prov when it is set.
func (c *Catalog) lookupName(prov, name string) (*nameHit, string, error) {
	hits := c.names[name]
	var cand []nameHit
	for _, h := range hits {
		if (prov == "" && !h.m.book.noInfer) || h.m.provider == prov {
			cand = append(cand, h)
		}
	}
	if len(cand) == 0 {
		return nil, "", nil
	}
	// exact ids before aliases
	sort.SliceStable(cand, func(i, j int) bool { return !cand[i].alias && cand[j].alias })
	if len(cand) > 1 && cand[0].m.provider != cand[1].m.provider && cand[0].alias == cand[1].alias {
		var ps []string
		for _, h := range cand {
			ps = append(ps, h.m.provider)
		}
		return nil, "", fmt.Errorf("%w: model %q is priced by several providers (%s); set the provider", ErrUnknownModel, name, strings.Join(ps, ", "))
	}
	h := cand[0]
	if h.alias {
		return &h, fmt.Sprintf("alias %q of %s/%s in book %s", name, h.m.provider, h.m.id, h.m.book.id), nil
	}
	return &h, fmt.Sprintf("exact id %s/%s in book %s", h.m.provider, h.m.id, h.m.book.id), nil
}

// Prices are USD per million tokens per bucket (RequestFee: USD per request).
type Prices struct {
	Input        decimal.Decimal `json:"input"`
	CacheRead    decimal.Decimal `json:"cache_read"`
	CacheWrite5m decimal.Decimal `json:"cache_write_5m"`
	CacheWrite1h decimal.Decimal `json:"cache_write_1h"`
	Output       decimal.Decimal `json:"output"`
	RequestFee   decimal.Decimal `json:"request_fee"`
}

// TierInfo is one long-context tier of an entry at list prices.
type TierInfo struct {
	Label  string `json:"label"`
	Above  int64  `json:"above"`
	Prices Prices `json:"prices"`
}

// EntryInfo is the price-book entry behind a PriceKey: its prices at the
// key's tier (contract overlays applied; OverlayFactor is their product), the
// prices under each delivery mode the book has a rule for, and where it came
// from.
type EntryInfo struct {
	Ref           string `json:"ref"` // provider/model@effective_from[#tier][*modifier...][+overlay...]
	Provider      string `json:"provider"`
	ModelID       string `json:"model"`
	Book          string `json:"book"`
	BookSource    string `json:"book_source"`
	EffectiveFrom string `json:"effective_from"`
	// SegmentFrom is when this key's stretch starts: the entry's date, or a
	// later date when a contract overlay starts or ends.
	SegmentFrom string `json:"segment_from"`
	Tier        string `json:"tier"`
	TierAbove   int64  `json:"tier_above"` // the tier's threshold; 0 for standard
	Source      string `json:"source"`
	SourceDate  string `json:"source_date,omitempty"`
	Note        string `json:"note,omitempty"`

	Prices Prices `json:"prices"`

	HasBatch             bool   `json:"has_batch"`
	Batch                Prices `json:"batch"`
	BatchWhy             string `json:"batch_why"`
	CacheStacksWithBatch bool   `json:"cache_stacks_with_batch"`
	HasFlex              bool   `json:"has_flex"`
	Flex                 Prices `json:"flex"`
	HasPriority          bool   `json:"has_priority"`
	Priority             Prices `json:"priority"`

	Tiers []TierInfo `json:"tiers,omitempty"` // every tier of the entry, list prices
	// Windows lists the entry's time-of-day windows at list prices; the key's
	// Tier names the one in force (or "standard").
	Windows []WindowInfo `json:"windows,omitempty"`
	// Modifiers lists the modifiers the entry offers; the prices above
	// include those the catalog switched on (WithModifiers).
	Modifiers     []ModifierInfo  `json:"modifiers,omitempty"`
	Overlays      []string        `json:"overlays"`
	OverlayFactor decimal.Decimal `json:"overlay_factor"`
}

func toPrices(p prices, fee decimal.Decimal, f decimal.Decimal) Prices {
	return Prices{Input: p.in.Mul(f), CacheRead: p.cr.Mul(f), CacheWrite5m: p.cw5.Mul(f), CacheWrite1h: p.cw1h.Mul(f), Output: p.out.Mul(f), RequestFee: fee.Mul(f)}
}

// Entry describes the entry behind k. It returns a zero EntryInfo for a key
// the catalog did not make.
func (c *Catalog) Entry(k PriceKey) EntryInfo {
	m, s, err := c.lookup(k)
	if err != nil {
		return EntryInfo{}
	}
	e := s.entry
	f, ovs := overlayFactor(s)
	info := EntryInfo{
		Provider: m.provider, ModelID: m.id, Book: m.book.id, BookSource: m.book.file,
		EffectiveFrom: e.fromText, SegmentFrom: s.from.Format(time.RFC3339), Tier: tierLabel(e, k.Tier),
		Source: e.source, SourceDate: e.sourceDate, Note: e.note,
		Overlays: ovs, OverlayFactor: f,
	}
	if info.Overlays == nil {
		info.Overlays = []string{}
	}
	info.Ref = m.provider + "/" + m.id + "@" + e.fromText
	if k.Tier > 0 {
		if len(e.windows) == 0 {
			info.TierAbove = e.tiers[k.Tier-1].above
		}
		info.Ref += "#" + info.Tier
	}
	for i := range e.windows {
		info.Windows = append(info.Windows, e.windows[i].info(e.fee))
	}
	for _, md := range modifiersOf(m, e) {
		info.Modifiers = append(info.Modifiers, ModifierInfo{Name: md.name, Multiplier: md.mult, Excludes: md.excluded, Note: md.note, Source: md.source})
	}
	active := c.activeModifiers(m, e)
	for _, md := range active {
		info.Ref += "*" + md.name
	}
	// mod applies the active modifiers to the prices of a mode; ok is false
	// when one of them excludes the mode.
	mod := func(p prices, mode Mode) (prices, bool) {
		p, _, err := applyModifiers(p, active, m, mode)
		return p, err == nil
	}
	for _, r := range s.overlays {
		info.Ref += "+" + r.book.id
	}
	base := basePrices(e, k.Tier)
	sp, _ := mod(base, ModeSync)
	info.Prices = toPrices(sp, e.fee, f)
	for _, t := range e.tiers {
		info.Tiers = append(info.Tiers, TierInfo{Label: t.label, Above: t.above, Prices: toPrices(t.p, e.fee, decimal.NewFromInt(1))})
	}
	if r, err := modeRuleFor(m, e, ModeBatch); err == nil {
		if p, err := effective(base, r, k.Tier, m, ModeBatch); err == nil {
			p, ok := mod(p, ModeBatch)
			info.HasBatch = ok
			info.Batch = toPrices(p, e.fee, f)
			info.CacheStacksWithBatch = r.cacheStacks || (r.explicit && (r.set[1] || r.set[2] || r.set[3]))
		}
	}
	_, info.BatchWhy = c.BatchRule(k)
	if _, ok := mod(base, ModeBatch); !ok {
		_, _, err := applyModifiers(base, active, m, ModeBatch)
		info.BatchWhy = err.Error()
	}
	if r, err := modeRuleFor(m, e, ModeFlex); err == nil {
		if p, err := effective(base, r, k.Tier, m, ModeFlex); err == nil {
			p, ok := mod(p, ModeFlex)
			info.HasFlex = ok
			info.Flex = toPrices(p, e.fee, f)
		}
	}
	if r, err := modeRuleFor(m, e, ModePriority); err == nil {
		if p, err := effective(base, r, k.Tier, m, ModePriority); err == nil {
			p, ok := mod(p, ModePriority)
			info.HasPriority = ok
			info.Priority = toPrices(p, e.fee, f)
		}
	}
	return info
}

// BatchRule reports whether k's model has a batch rule and describes it, or
// says why there is none (e.g. "DeepSeek has no batch API").
func (c *Catalog) BatchRule(k PriceKey) (ok bool, why string) {
	m, s, err := c.lookup(k)
	if err != nil {
		return false, err.Error()
	}
	r, err := modeRuleFor(m, s.entry, ModeBatch)
	if err != nil {
		return false, noBatchWhy(m)
	}
	var b strings.Builder
	if r.explicit {
		b.WriteString("explicit batch prices")
	} else {
		fmt.Fprintf(&b, "%s%% off input and output", r.discount.Shift(2).String())
		if r.cacheStacks {
			b.WriteString("; cache prices stack with the batch discount")
		} else {
			b.WriteString("; cache reads and writes stay at standard cache prices (no stacking)")
		}
	}
	if r.note != "" {
		b.WriteString(": ")
		b.WriteString(r.note)
	}
	if r.source != "" {
		b.WriteString(" [source: ")
		b.WriteString(r.source)
		b.WriteString("]")
	}
	return true, b.String()
}
