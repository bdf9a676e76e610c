package pricing

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"
)

// BookSource names price books to load: Path is one *.toml file in FS, or a
// directory ("." for the root) whose *.toml files are loaded in name order.
// Name prefixes the file names in errors and citations (a directory path,
// or "embedded").
type BookSource struct {
	Name string
	FS   fs.FS
	Path string
}

// BookInfo cites one loaded book.
type BookInfo struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"` // "book" or "overlay"
	Provider string `json:"provider,omitempty"`
	Title    string `json:"title,omitempty"`
	Source   string `json:"source"` // the file it was loaded from
	SHA256   string `json:"sha256"`
}

// Catalog is a set of loaded price books, ready to resolve models and price
// usage. It is immutable and safe for concurrent use.
type Catalog struct {
	books     []*book
	models    map[string]*model // provider + "/" + id
	names     map[string][]nameHit
	providers map[string]string // provider name or alias → provider
	segs      map[*model][]segment
	// active names the modifiers WithModifiers switched on.
	active map[string]bool
	// unknownHint is the fix an unknown-model error names (see
	// WithUnknownModelHint); "" means DefaultUnknownModelHint.
	unknownHint string

	// resolved caches name resolution for Key, which the aggregation hot
	// path calls per request: provider + "\x00" + model → resolved.
	resolved  sync.Map
	nResolved atomic.Int64
}

type resolved struct {
	m   *model
	err error
}

// maxResolved bounds the resolution cache against logs with endless
// distinct model names.
const maxResolved = 10000

type nameHit struct {
	m     *model
	alias bool
}

// segment is a stretch of time in which one entry and one set of overlays
// apply to a model.
type segment struct {
	from     time.Time
	entry    *entry
	overlays []*discountRule
}

// PriceKey identifies the price that applies to a request: a model, the
// stretch of time (price entry and contract overlays) its timestamp falls in,
// and its long-context tier. It is small and comparable, for use as a map key
// when aggregating.
type PriceKey struct {
	Provider string
	ModelID  string
	Entry    int32 // index of the time segment of the model
	// Tier is the price band: 0 standard, then 1.. the long-context tiers
	// or the time-of-day windows of the entry (an entry has one or the
	// other).
	Tier int8
}

// Resolution is how a logged provider and model name resolved to a priced
// model.
type Resolution struct {
	Provider string
	ModelID  string
	Book     string
	Why      string
}

// Quote is the cost of a usage under a delivery mode.
type Quote struct {
	Provider      string          `json:"provider"`
	ModelID       string          `json:"model"`
	Book          string          `json:"book"`
	EffectiveFrom string          `json:"effective_from"`
	Tier          string          `json:"tier"`
	Mode          Mode            `json:"mode"`
	Items         []LineItem      `json:"items"`
	Total         decimal.Decimal `json:"cost_usd"`
	Overlays      []string        `json:"overlays"`
	// Modifiers lists the active modifiers applied, as "name ×factor".
	Modifiers []string `json:"modifiers,omitempty"`
}

// ErrNoModePrice is wrapped by errors for a flex or priority price asked of a
// model whose book has no rule for that mode.
var ErrNoModePrice = errors.New("no price for this delivery mode")

// Load reads price books from the sources in order. A later book with the
// same id as an earlier one replaces it; a later book that prices a model
// another book already prices overrides that model; overlays apply contract
// discounts on top of whatever books define the models they name.
func Load(sources ...BookSource) (*Catalog, error) {
	var books []*book
	var errs []error
	for _, src := range sources {
		files, err := sourceFiles(src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range files {
			data, err := fs.ReadFile(src.FS, f)
			label := path.Join(src.Name, f)
			if src.Name == "" {
				label = f
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("read price book %s: %w", label, err))
				continue
			}
			b, err := parseBook(label, data)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			books = append(books, b)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return build(books)
}

// LoadFile parses and validates one price-book file's bytes on its own, as
// `pricebook validate` does. An overlay is checked for its own consistency
// only, since the models it names live in other books.
func LoadFile(name string, data []byte) (BookInfo, error) {
	b, err := parseBook(name, data)
	if err != nil {
		return BookInfo{}, err
	}
	return b.info(), nil
}

func sourceFiles(src BookSource) ([]string, error) {
	p := src.Path
	if p == "" {
		p = "."
	}
	st, err := fs.Stat(src.FS, p)
	if err != nil {
		return nil, fmt.Errorf("price book %s: %w", path.Join(src.Name, p), err)
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	ents, err := fs.ReadDir(src.FS, p)
	if err != nil {
		return nil, fmt.Errorf("price book directory %s: %w", path.Join(src.Name, p), err)
	}
	var files []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".toml") {
			files = append(files, path.Join(p, e.Name()))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("price book directory %s holds no *.toml file", path.Join(src.Name, p))
	}
	return files, nil
}

func (b *book) info() BookInfo {
	return BookInfo{ID: b.id, Kind: b.kind, Provider: b.provider, Title: b.title, Source: b.file, SHA256: b.sha}
}

func build(all []*book) (*Catalog, error) {
	// A later book with the same id replaces the earlier one in place.
	var books []*book
	pos := map[string]int{}
	for _, b := range all {
		if i, ok := pos[b.id]; ok {
			books[i] = b
			continue
		}
		pos[b.id] = len(books)
		books = append(books, b)
	}
	c := &Catalog{
		books:     books,
		models:    map[string]*model{},
		names:     map[string][]nameHit{},
		providers: map[string]string{},
		segs:      map[*model][]segment{},
	}
	var errs []error
	for _, b := range books {
		if b.kind != KindBook {
			continue
		}
		c.providers[b.provider] = b.provider
	}
	for _, b := range books {
		if b.kind != KindBook {
			continue
		}
		for _, a := range b.providerAliases {
			if prev, ok := c.providers[a]; ok && prev != b.provider {
				errs = append(errs, &BookError{File: b.file, Line: b.lines.line("provider_aliases"), Key: "provider_aliases", Err: fmt.Errorf("alias %q already names provider %q", a, prev)})
				continue
			}
			c.providers[a] = b.provider
		}
		for _, m := range b.models {
			c.models[m.provider+"/"+m.id] = m // later books override
		}
	}
	// Index names of the models that survived overriding.
	keys := make([]string, 0, len(c.models))
	for k := range c.models {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m := c.models[k]
		c.names[m.id] = append(c.names[m.id], nameHit{m: m})
		for _, a := range m.aliases {
			c.names[a] = append(c.names[a], nameHit{m: m, alias: true})
		}
	}
	// Overlays.
	var rules []*discountRule
	for _, b := range books {
		if b.kind != KindOverlay {
			continue
		}
		for _, r := range b.discounts {
			prov, ok := c.providers[r.provider]
			if !ok {
				errs = append(errs, &BookError{File: b.file, Line: b.lines.line(r.path + ".provider"), Key: "discounts.provider", Err: fmt.Errorf("no loaded price book prices provider %q (known: %s)", r.provider, strings.Join(c.providerNames(), ", "))})
				continue
			}
			r.provider = prov
			for i, name := range r.models {
				res, err := c.Resolve(prov, name)
				if err != nil {
					errs = append(errs, &BookError{File: b.file, Line: b.lines.line(r.path + ".models"), Key: "discounts.models", Err: fmt.Errorf("model %q: %w", name, err)})
					continue
				}
				r.models[i] = res.ModelID
			}
			rules = append(rules, r)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, m := range c.models {
		c.segs[m] = segmentsFor(m, rules)
	}
	return c, nil
}

func (c *Catalog) providerNames() []string {
	var out []string
	for k, v := range c.providers {
		if k == v {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func (r *discountRule) applies(m *model) bool {
	if r.provider != m.provider {
		return false
	}
	if len(r.models) == 0 {
		return true
	}
	for _, id := range r.models {
		if id == m.id {
			return true
		}
	}
	return false
}

func (r *discountRule) activeAt(t time.Time) bool {
	return !t.Before(r.from) && (r.until.IsZero() || t.Before(r.until))
}

func segmentsFor(m *model, rules []*discountRule) []segment {
	var mine []*discountRule
	for _, r := range rules {
		if r.applies(m) {
			mine = append(mine, r)
		}
	}
	first := m.entries[0].from
	times := []time.Time{}
	for _, e := range m.entries {
		times = append(times, e.from)
	}
	for _, r := range mine {
		for _, t := range []time.Time{r.from, r.until} {
			if !t.IsZero() && t.After(first) {
				times = append(times, t)
			}
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	var segs []segment
	for _, t := range times {
		if n := len(segs); n > 0 && segs[n-1].from.Equal(t) {
			continue
		}
		var e *entry
		for _, en := range m.entries {
			if !en.from.After(t) {
				e = en
			}
		}
		var ovs []*discountRule
		for _, r := range mine {
			if r.activeAt(t) {
				ovs = append(ovs, r)
			}
		}
		segs = append(segs, segment{from: t, entry: e, overlays: ovs})
	}
	return segs
}

// Books lists the loaded books and overlays in load order, for citation.
func (c *Catalog) Books() []BookInfo {
	out := make([]BookInfo, len(c.books))
	for i, b := range c.books {
		out[i] = b.info()
	}
	return out
}

// Providers lists the providers the catalog prices, sorted.
func (c *Catalog) Providers() []string { return c.providerNames() }

// ModelInfo describes one priced model.
type ModelInfo struct {
	Provider  string   `json:"provider"`
	ID        string   `json:"id"`
	Book      string   `json:"book"`
	Aliases   []string `json:"aliases,omitempty"`
	Snapshots bool     `json:"snapshots"`
	Note      string   `json:"note,omitempty"`
	Versions  []string `json:"versions"` // effective_from of each entry, ascending
}

// Models lists every priced model, sorted by provider then id.
func (c *Catalog) Models() []ModelInfo {
	keys := make([]string, 0, len(c.models))
	for k := range c.models {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]ModelInfo, 0, len(keys))
	for _, k := range keys {
		m := c.models[k]
		mi := ModelInfo{Provider: m.provider, ID: m.id, Book: m.book.id, Aliases: append([]string(nil), m.aliases...), Snapshots: m.snapshots, Note: m.note}
		for _, e := range m.entries {
			mi.Versions = append(mi.Versions, e.fromText)
		}
		out = append(out, mi)
	}
	return out
}

// Key returns the price key for one request of model at time at with
// totalInput input tokens (uncached input + cache reads + cache writes). A
// long-context tier applies when totalInput is strictly greater than its
// threshold. Errors wrap ErrUnknownModel when no book prices the model, or
// none did yet at that time.
func (c *Catalog) Key(provider, model string, at time.Time, totalInput int64) (PriceKey, error) {
	ck := provider + "\x00" + model
	if v, ok := c.resolved.Load(ck); ok {
		r := v.(resolved)
		if r.err != nil {
			return PriceKey{}, r.err
		}
		return c.keyFor(r.m, at, totalInput)
	}
	res, err := c.Resolve(provider, model)
	var r resolved
	if err != nil {
		r.err = err
	} else {
		r.m = c.models[res.Provider+"/"+res.ModelID]
	}
	if c.nResolved.Load() < maxResolved {
		if _, loaded := c.resolved.LoadOrStore(ck, r); !loaded {
			c.nResolved.Add(1)
		}
	}
	if err != nil {
		return PriceKey{}, err
	}
	return c.keyFor(r.m, at, totalInput)
}

func (c *Catalog) keyFor(m *model, at time.Time, totalInput int64) (PriceKey, error) {
	if totalInput < 0 {
		return PriceKey{}, fmt.Errorf("negative input token total %d", totalInput)
	}
	segs := c.segs[m]
	at = at.UTC()
	i := sort.Search(len(segs), func(i int) bool { return segs[i].from.After(at) }) - 1
	if i < 0 {
		return PriceKey{}, fmt.Errorf("%w: %s/%s has no price before %s (book %s); the request is at %s", ErrUnknownModel, m.provider, m.id, m.entries[0].fromText, m.book.id, at.Format(time.RFC3339))
	}
	k := PriceKey{Provider: m.provider, ModelID: m.id, Entry: int32(i)}
	e := segs[i].entry
	for t, tr := range e.tiers {
		if totalInput > tr.above {
			k.Tier = int8(t + 1)
		}
	}
	if len(e.windows) > 0 {
		k.Tier = windowAt(e, at)
	}
	return k, nil
}

func (c *Catalog) lookup(k PriceKey) (*model, segment, error) {
	m, ok := c.models[k.Provider+"/"+k.ModelID]
	if !ok {
		return nil, segment{}, fmt.Errorf("%w: no price book prices %s/%s", ErrUnknownModel, k.Provider, k.ModelID)
	}
	segs := c.segs[m]
	if k.Entry < 0 || int(k.Entry) >= len(segs) {
		return nil, segment{}, fmt.Errorf("price key %s/%s: entry %d out of range", k.Provider, k.ModelID, k.Entry)
	}
	s := segs[k.Entry]
	if k.Tier < 0 || int(k.Tier) > len(s.entry.tiers)+len(s.entry.windows) {
		return nil, segment{}, fmt.Errorf("price key %s/%s: tier %d out of range", k.Provider, k.ModelID, k.Tier)
	}
	return m, s, nil
}

func tierLabel(e *entry, t int8) string {
	if t == 0 {
		return "standard"
	}
	if len(e.windows) > 0 {
		return e.windows[t-1].label
	}
	return e.tiers[t-1].label
}

func basePrices(e *entry, t int8) prices {
	if t == 0 {
		return e.p
	}
	if len(e.windows) > 0 {
		return e.windows[t-1].p
	}
	return e.tiers[t-1].p
}

// modeRuleFor returns the rule for a non-standard mode, or an error wrapping
// ErrNoBatch or ErrNoModePrice.
func modeRuleFor(m *model, e *entry, mode Mode) (*modeRule, error) {
	switch mode {
	case ModeBatch:
		if e.batch != nil {
			return e.batch, nil
		}
		if m.book.batch != nil {
			return m.book.batch, nil
		}
		return nil, fmt.Errorf("%s/%s: %w: %s", m.provider, m.id, ErrNoBatch, noBatchWhy(m))
	case ModeFlex:
		if e.flex != nil {
			return e.flex, nil
		}
		if m.book.flex != nil {
			return m.book.flex, nil
		}
		return nil, fmt.Errorf("%s/%s: %w: book %s has no flex rule for it", m.provider, m.id, ErrNoModePrice, m.book.id)
	case ModePriority:
		if e.priority != nil {
			return e.priority, nil
		}
		return nil, fmt.Errorf("%s/%s: %w: book %s has no priority prices for it", m.provider, m.id, ErrNoModePrice, m.book.id)
	}
	return nil, nil
}

func noBatchWhy(m *model) string {
	if m.book.noBatch != "" {
		return m.book.noBatch
	}
	return fmt.Sprintf("book %s has no batch rule for %s", m.book.id, m.id)
}

// effective returns the unit prices of each bucket under rule (nil: standard).
func effective(base prices, r *modeRule, tier int8, m *model, mode Mode) (prices, error) {
	if r == nil {
		return base, nil
	}
	if r.explicit {
		if tier > 0 {
			return prices{}, fmt.Errorf("%s/%s: %w: the %s prices do not cover the long-context tier or time-of-day window", m.provider, m.id, ErrNoModePrice, mode)
		}
		return r.p, nil
	}
	f := decimal.NewFromInt(1).Sub(r.discount)
	out := base
	out.in = base.in.Mul(f)
	out.out = base.out.Mul(f)
	if r.cacheStacks {
		out.cr = base.cr.Mul(f)
		out.cw5 = base.cw5.Mul(f)
		out.cw1h = base.cw1h.Mul(f)
	}
	return out, nil
}

func overlayFactor(s segment) (decimal.Decimal, []string) {
	f := decimal.NewFromInt(1)
	var names []string
	for _, r := range s.overlays {
		f = f.Mul(decimal.NewFromInt(1).Sub(r.frac))
		names = append(names, r.book.id+": "+r.frac.Shift(2).String()+"% off")
	}
	return f, names
}

// Quote prices u (summed over u.Requests requests, all in k's tier) under
// mode. Cost = tokens × price per million / 1,000,000 per bucket, exactly;
// per-request fees are multiplied by u.Requests. Batch on a model without a
// batch rule returns an error wrapping ErrNoBatch.
func (c *Catalog) Quote(k PriceKey, mode Mode, u Usage) (Quote, error) {
	m, s, err := c.lookup(k)
	if err != nil {
		return Quote{}, err
	}
	if mode == "" {
		mode = ModeSync
	}
	if _, err := ParseMode(string(mode)); err != nil {
		return Quote{}, err
	}
	for _, b := range []struct {
		name string
		n    int64
	}{{"requests", u.Requests}, {BucketInput, u.Input}, {BucketCacheRead, u.CacheRead}, {BucketCacheWrite5m, u.CacheWrite5m}, {BucketCacheWrite1h, u.CacheWrite1h}, {BucketOutput, u.Output}} {
		if b.n < 0 {
			return Quote{}, fmt.Errorf("%s: negative token count %d", b.name, b.n)
		}
	}
	e := s.entry
	r, err := modeRuleFor(m, e, mode)
	if err != nil {
		return Quote{}, err
	}
	p, err := effective(basePrices(e, k.Tier), r, k.Tier, m, mode)
	if err != nil {
		return Quote{}, err
	}
	p, mods, err := applyModifiers(p, c.activeModifiers(m, e), m, mode)
	if err != nil {
		return Quote{}, err
	}
	f, ovs := overlayFactor(s)
	q := Quote{Provider: m.provider, ModelID: m.id, Book: m.book.id, EffectiveFrom: e.fromText, Tier: tierLabel(e, k.Tier), Mode: mode, Overlays: ovs, Modifiers: mods}
	if q.Overlays == nil {
		q.Overlays = []string{}
	}
	add := func(bucket string, n int64, unit decimal.Decimal, always bool) {
		if n == 0 && !always {
			return
		}
		unit = unit.Mul(f)
		cost := unit.Mul(decimal.NewFromInt(n)).Shift(-6)
		q.Items = append(q.Items, LineItem{Bucket: bucket, Tokens: n, UnitPrice: unit, Cost: cost})
		q.Total = q.Total.Add(cost)
	}
	add(BucketInput, u.Input, p.in, true)
	add(BucketCacheRead, u.CacheRead, p.cr, false)
	add(BucketCacheWrite5m, u.CacheWrite5m, p.cw5, false)
	add(BucketCacheWrite1h, u.CacheWrite1h, p.cw1h, false)
	add(BucketOutput, u.Output, p.out, true)
	if !e.fee.IsZero() && u.Requests > 0 {
		unit := e.fee.Mul(f)
		cost := unit.Mul(decimal.NewFromInt(u.Requests))
		q.Items = append(q.Items, LineItem{Bucket: BucketRequest, Tokens: u.Requests, UnitPrice: unit, Cost: cost})
		q.Total = q.Total.Add(cost)
	}
	return q, nil
}

// Price is Key and Quote for one request (u.Requests of 0 counts as 1) at
// time at.
func (c *Catalog) Price(provider, model string, at time.Time, mode Mode, u Usage) (Quote, error) {
	if u.Requests == 0 {
		u.Requests = 1
	}
	k, err := c.Key(provider, model, at, u.TotalInput())
	if err != nil {
		return Quote{}, err
	}
	return c.Quote(k, mode, u)
}
