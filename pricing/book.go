package pricing

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/shopspring/decimal"
)

// SchemaVersion is the price-book schema this package reads.
const SchemaVersion = 1

// Book kinds.
const (
	KindBook    = "book"
	KindOverlay = "overlay"
)

// BookError is an error in a price-book file, naming the file, the line and
// the key.
type BookError struct {
	File string
	Line int    // 0 when the line is unknown
	Key  string // TOML key path such as "models.prices.input"; may be empty
	Err  error
}

func (e *BookError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *BookError) Unwrap() error { return e.Err }

// rawVal captures any TOML value so that type checks happen here, with the
// key path and line of the value, instead of inside the TOML decoder.
type rawVal struct {
	v   any
	set bool
}

func (r *rawVal) UnmarshalTOML(v any) error {
	r.v, r.set = v, true
	return nil
}

type fileBook struct {
	Schema          rawVal         `toml:"schema"`
	ID              rawVal         `toml:"id"`
	Kind            rawVal         `toml:"kind"`
	Provider        rawVal         `toml:"provider"`
	ProviderAliases rawVal         `toml:"provider_aliases"`
	Title           rawVal         `toml:"title"`
	Source          rawVal         `toml:"source"`
	Note            rawVal         `toml:"note"`
	NoBatch         rawVal         `toml:"no_batch"`
	InferProvider   rawVal         `toml:"infer_provider"`
	Batch           *fileMode      `toml:"batch"`
	Flex            *fileMode      `toml:"flex"`
	Modifiers       []fileModifier `toml:"modifiers"`
	Models          []fileModel    `toml:"models"`
	Discounts       []fileDiscount `toml:"discounts"`
}

type fileMode struct {
	Discount     rawVal `toml:"discount"`
	Input        rawVal `toml:"input"`
	CacheRead    rawVal `toml:"cache_read"`
	CacheWrite5m rawVal `toml:"cache_write_5m"`
	CacheWrite1h rawVal `toml:"cache_write_1h"`
	Output       rawVal `toml:"output"`
	CacheStacks  rawVal `toml:"cache_stacks"`
	Note         rawVal `toml:"note"`
	Source       rawVal `toml:"source"`
}

type fileModel struct {
	ID        rawVal      `toml:"id"`
	Aliases   rawVal      `toml:"aliases"`
	Snapshots rawVal      `toml:"snapshots"`
	Note      rawVal      `toml:"note"`
	Prices    []fileEntry `toml:"prices"`
}

type fileEntry struct {
	EffectiveFrom rawVal         `toml:"effective_from"`
	Source        rawVal         `toml:"source"`
	SourceDate    rawVal         `toml:"source_date"`
	Note          rawVal         `toml:"note"`
	Input         rawVal         `toml:"input"`
	CacheRead     rawVal         `toml:"cache_read"`
	CacheWrite5m  rawVal         `toml:"cache_write_5m"`
	CacheWrite1h  rawVal         `toml:"cache_write_1h"`
	Output        rawVal         `toml:"output"`
	RequestFee    rawVal         `toml:"request_fee"`
	Batch         *fileMode      `toml:"batch"`
	Flex          *fileMode      `toml:"flex"`
	Priority      *fileMode      `toml:"priority"`
	Tiers         []fileTier     `toml:"tiers"`
	Windows       []fileWindow   `toml:"windows"`
	Modifiers     []fileModifier `toml:"modifiers"`
}

type fileTier struct {
	Above        rawVal `toml:"above"`
	Label        rawVal `toml:"label"`
	Input        rawVal `toml:"input"`
	CacheRead    rawVal `toml:"cache_read"`
	CacheWrite5m rawVal `toml:"cache_write_5m"`
	CacheWrite1h rawVal `toml:"cache_write_1h"`
	Output       rawVal `toml:"output"`
}

type fileDiscount struct {
	Provider      rawVal `toml:"provider"`
	Models        rawVal `toml:"models"`
	Discount      rawVal `toml:"discount"`
	EffectiveFrom rawVal `toml:"effective_from"`
	Until         rawVal `toml:"until"`
	Note          rawVal `toml:"note"`
}

// prices are USD per million tokens for each bucket. A cache price that a
// book leaves out is billed at the input price of the same entry or tier: a
// cached or cache-written token is never cheaper than the book says.
type prices struct {
	in, cr, cw5, cw1h, out decimal.Decimal
}

// modeRule is a delivery-mode rule: a fraction off the standard prices, or
// explicit prices.
type modeRule struct {
	hasDiscount bool
	discount    decimal.Decimal // fraction off, 0 < d < 1
	explicit    bool
	// explicit prices; a cache bucket left out (set[i] false) is billed at
	// the rule's input price, as in an entry.
	p           prices
	set         [5]bool
	cacheStacks bool
	note        string
	source      string
}

type tier struct {
	above int64
	label string
	p     prices
}

type entry struct {
	from       time.Time
	fromText   string
	source     string
	sourceDate string
	note       string
	p          prices
	fee        decimal.Decimal
	tiers      []tier
	batch      *modeRule
	flex       *modeRule
	priority   *modeRule
	windows    []window
	modifiers  []*modifier
}

type model struct {
	provider  string
	id        string
	aliases   []string
	snapshots bool
	note      string
	entries   []*entry
	book      *book
}

type discountRule struct {
	book     *book
	provider string
	models   []string
	frac     decimal.Decimal
	from     time.Time
	until    time.Time // zero: open-ended
	note     string
	path     string
	line     int
}

type book struct {
	id              string
	kind            string
	provider        string
	providerAliases []string
	title           string
	source          string
	note            string
	noBatch         string
	// noInfer is set by infer_provider = false: a record without a
	// provider is never resolved to this book's models.
	noInfer   bool
	batch     *modeRule
	flex      *modeRule
	modifiers []*modifier
	models    []*model
	discounts []*discountRule
	file      string
	sha       string
	lines     *lineIndex
}

// decoder accumulates the errors of one file.
type decoder struct {
	file string
	ix   *lineIndex
	errs []*BookError
}

func (d *decoder) fail(path string, format string, args ...any) {
	d.errs = append(d.errs, &BookError{File: d.file, Line: d.ix.line(path), Key: stripIndices(path), Err: fmt.Errorf(format, args...)})
}

func (d *decoder) err() error {
	if len(d.errs) == 0 {
		return nil
	}
	sort.SliceStable(d.errs, func(i, j int) bool { return d.errs[i].Line < d.errs[j].Line })
	errs := make([]error, len(d.errs))
	for i, e := range d.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

var (
	idRe      = regexp.MustCompile(`^[a-z0-9][a-z0-9._\-]*$`)
	decimalRe = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	dateRe    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	// tomlErrRe picks the line and key out of the TOML decoder's type errors.
	tomlErrRe = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)
)

func (d *decoder) str(path string, r rawVal, required bool) string {
	if !r.set {
		if required {
			d.fail(path, "missing; it is required")
		}
		return ""
	}
	s, ok := r.v.(string)
	if !ok {
		d.fail(path, "must be a string, got %s %v", tomlType(r.v), r.v)
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		d.fail(path, "must not be empty")
	}
	return s
}

func (d *decoder) boolean(path string, r rawVal, def bool) bool {
	if !r.set {
		return def
	}
	b, ok := r.v.(bool)
	if !ok {
		d.fail(path, "must be true or false, got %s %v", tomlType(r.v), r.v)
		return def
	}
	return b
}

func (d *decoder) strings(path string, r rawVal) []string {
	if !r.set {
		return nil
	}
	arr, ok := r.v.([]any)
	if !ok {
		d.fail(path, "must be an array of strings, got %s %v", tomlType(r.v), r.v)
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, v := range arr {
		s, ok := v.(string)
		if !ok {
			d.fail(path, "element %d must be a string, got %s %v", i, tomlType(v), v)
			continue
		}
		out = append(out, s)
	}
	return out
}

// money parses a decimal string price; ok reports whether the key was present
// and valid.
func (d *decoder) money(path string, r rawVal, required bool) (decimal.Decimal, bool) {
	if !r.set {
		if required {
			d.fail(path, "missing; it is required (USD per million tokens as a decimal string, e.g. \"2.50\")")
		}
		return decimal.Zero, false
	}
	s, ok := r.v.(string)
	if !ok {
		d.fail(path, "must be a decimal string such as \"2.50\", got %s %v: write it in quotes so it stays exact", tomlType(r.v), r.v)
		return decimal.Zero, false
	}
	s = strings.TrimSpace(s)
	if !decimalRe.MatchString(s) {
		d.fail(path, "%q is not a decimal number (digits with an optional fraction, e.g. \"0.075\")", s)
		return decimal.Zero, false
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		d.fail(path, "%q: %v", s, err)
		return decimal.Zero, false
	}
	if v.IsNegative() {
		d.fail(path, "negative price %s; prices must be zero or more", s)
		return decimal.Zero, false
	}
	return v, true
}

// fraction parses a discount: a decimal string strictly between 0 and 1.
func (d *decoder) fraction(path string, r rawVal) (decimal.Decimal, bool) {
	if !r.set {
		return decimal.Zero, false
	}
	s, ok := r.v.(string)
	if !ok {
		d.fail(path, "must be a decimal string such as \"0.5\", got %s %v", tomlType(r.v), r.v)
		return decimal.Zero, false
	}
	v, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil || !decimalRe.MatchString(strings.TrimSpace(s)) {
		d.fail(path, "%q is not a decimal number", s)
		return decimal.Zero, false
	}
	if !v.IsPositive() || v.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		d.fail(path, "discount %s must be greater than 0 and less than 1 (the fraction off: \"0.5\" is 50%% off)", s)
		return decimal.Zero, false
	}
	return v, true
}

// date parses an effective date: "YYYY-MM-DD" (00:00 UTC that day), an RFC 3339
// timestamp, or a TOML date or offset date-time.
func (d *decoder) date(path string, r rawVal, required bool) (time.Time, string, bool) {
	if !r.set {
		if required {
			d.fail(path, "missing; it is required (a date such as \"2025-06-10\")")
		}
		return time.Time{}, "", false
	}
	switch v := r.v.(type) {
	case string:
		t, err := ParseDate(v)
		if err != nil {
			d.fail(path, "%v", err)
			return time.Time{}, "", false
		}
		return t, v, true
	case time.Time:
		switch v.Location().String() {
		case "date-local":
			t := time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
			return t, t.Format("2006-01-02"), true
		case "datetime-local", "time-local":
			d.fail(path, "%v has no UTC offset; write a date (2025-06-10) or an RFC 3339 time with Z", v.Format("2006-01-02T15:04:05"))
			return time.Time{}, "", false
		}
		return v.UTC(), v.UTC().Format(time.RFC3339), true
	}
	d.fail(path, "must be a date such as \"2025-06-10\", got %s %v", tomlType(r.v), r.v)
	return time.Time{}, "", false
}

// ParseDate parses "YYYY-MM-DD" as 00:00 UTC that day, or an RFC 3339
// timestamp.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if dateRe.MatchString(s) {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return time.Time{}, fmt.Errorf("bad date %q: %v", s, err)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad date %q: want YYYY-MM-DD or an RFC 3339 time such as 2025-06-10T00:00:00Z", s)
	}
	return t.UTC(), nil
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case time.Time:
		return "date"
	case []any:
		return "array"
	case map[string]any:
		return "table"
	}
	return fmt.Sprintf("%T", v)
}

// parseBook decodes and validates one price-book file. name labels the file
// in errors.
func parseBook(name string, data []byte) (*book, error) {
	var fb fileBook
	md, err := toml.Decode(string(data), &fb)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &BookError{File: name, Line: pe.Position.Line, Key: pe.LastKey, Err: errors.New(pe.Message)}
		}
		if m := tomlErrRe.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, &BookError{File: name, Line: line, Key: m[2], Err: errors.New(m[3])}
		}
		return nil, &BookError{File: name, Err: err}
	}
	d := &decoder{file: name, ix: scanLines(string(data))}
	for _, k := range md.Undecoded() {
		plain := k.String()
		d.errs = append(d.errs, &BookError{File: name, Line: d.ix.linePlain(plain), Key: plain, Err: errors.New("unknown key (check the spelling against the price-book format in the README)")})
	}
	b := &book{file: name}
	sum := sha256.Sum256(data)
	b.sha = hex.EncodeToString(sum[:])
	b.lines = d.ix

	if !fb.Schema.set {
		d.fail("schema", "missing; write schema = %d", SchemaVersion)
	} else if v, ok := fb.Schema.v.(int64); !ok || v != SchemaVersion {
		d.fail("schema", "unsupported schema %v; this costaudit reads schema = %d", fb.Schema.v, SchemaVersion)
	}
	b.id = d.str("id", fb.ID, true)
	if b.id != "" && !idRe.MatchString(b.id) {
		d.fail("id", "%q must be lowercase letters, digits, '.', '_' or '-'", b.id)
	}
	b.kind = d.str("kind", fb.Kind, false)
	if b.kind == "" {
		b.kind = KindBook
	}
	if b.kind != KindBook && b.kind != KindOverlay {
		d.fail("kind", "%q is not a kind (allowed: book, overlay)", b.kind)
	}
	b.title = d.str("title", fb.Title, false)
	b.source = d.str("source", fb.Source, false)
	b.note = d.str("note", fb.Note, false)

	if b.kind == KindOverlay {
		parseOverlay(d, b, &fb)
		if err := d.err(); err != nil {
			return nil, err
		}
		return b, nil
	}

	b.provider = strings.ToLower(d.str("provider", fb.Provider, true))
	b.providerAliases = lower(d.strings("provider_aliases", fb.ProviderAliases))
	b.noBatch = d.str("no_batch", fb.NoBatch, false)
	b.noInfer = !d.boolean("infer_provider", fb.InferProvider, true)
	if fb.Batch != nil {
		b.batch = d.mode("batch", fb.Batch, true)
	}
	if fb.Flex != nil {
		b.flex = d.mode("flex", fb.Flex, true)
	}
	b.modifiers = d.modifiers("modifiers", fb.Modifiers)
	if b.noBatch != "" && b.batch != nil {
		d.fail("no_batch", "a book with no_batch cannot also have a [batch] rule")
	}
	if len(fb.Discounts) > 0 {
		d.fail("discounts", "[[discounts]] belong in a book of kind = \"overlay\"")
	}
	if len(fb.Models) == 0 {
		d.fail("models", "a book needs at least one [[models]] table")
	}
	seen := map[string]string{}
	for i := range fb.Models {
		mp := fmt.Sprintf("models[%d]", i)
		m := d.model(mp, &fb.Models[i], b)
		if m == nil {
			continue
		}
		for _, n := range append([]string{m.id}, m.aliases...) {
			if prev, dup := seen[n]; dup {
				d.fail(mp+".id", "name %q is already used by model %q in this book", n, prev)
			}
			seen[n] = m.id
		}
		b.models = append(b.models, m)
		if b.noBatch != "" {
			for j, e := range m.entries {
				if e.batch != nil {
					d.fail(fmt.Sprintf("%s.prices[%d].batch", mp, j), "the book says no_batch (%s) but this entry has a batch rule", b.noBatch)
				}
			}
		}
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return b, nil
}

func lower(ss []string) []string {
	for i := range ss {
		ss[i] = strings.ToLower(strings.TrimSpace(ss[i]))
	}
	return ss
}

func (d *decoder) model(mp string, fm *fileModel, b *book) *model {
	m := &model{provider: b.provider, book: b}
	m.id = strings.ToLower(d.str(mp+".id", fm.ID, true))
	if m.id == "" {
		return nil
	}
	m.aliases = lower(d.strings(mp+".aliases", fm.Aliases))
	m.snapshots = d.boolean(mp+".snapshots", fm.Snapshots, true)
	m.note = d.str(mp+".note", fm.Note, false)
	if len(fm.Prices) == 0 {
		d.fail(mp+".prices", "model %q has no [[models.prices]] entry", m.id)
		return m
	}
	for j := range fm.Prices {
		ep := fmt.Sprintf("%s.prices[%d]", mp, j)
		e := d.entry(ep, &fm.Prices[j], m.id)
		if e == nil {
			continue
		}
		if n := len(m.entries); n > 0 && !e.from.After(m.entries[n-1].from) {
			prev := m.entries[n-1]
			if e.from.Equal(prev.from) {
				d.fail(ep+".effective_from", "model %q has two entries effective from %s; effective dates must not overlap", m.id, e.fromText)
			} else {
				d.fail(ep+".effective_from", "model %q: entry effective from %s comes after the entry from %s; list entries in ascending date order", m.id, e.fromText, prev.fromText)
			}
		}
		m.entries = append(m.entries, e)
	}
	return m
}

func (d *decoder) entry(ep string, fe *fileEntry, modelID string) *entry {
	e := &entry{}
	var ok bool
	e.from, e.fromText, ok = d.date(ep+".effective_from", fe.EffectiveFrom, true)
	e.source = d.str(ep+".source", fe.Source, true)
	if fe.SourceDate.set {
		if _, txt, ok := d.date(ep+".source_date", fe.SourceDate, false); ok {
			e.sourceDate = txt
		}
	}
	e.note = d.str(ep+".note", fe.Note, false)
	e.p = d.prices(ep, fe.Input, fe.CacheRead, fe.CacheWrite5m, fe.CacheWrite1h, fe.Output)
	if fee, ok := d.money(ep+".request_fee", fe.RequestFee, false); ok {
		e.fee = fee
	}
	if fe.Batch != nil {
		e.batch = d.mode(ep+".batch", fe.Batch, false)
	}
	if fe.Flex != nil {
		e.flex = d.mode(ep+".flex", fe.Flex, false)
	}
	if fe.Priority != nil {
		e.priority = d.mode(ep+".priority", fe.Priority, false)
	}
	var prev int64
	for k := range fe.Tiers {
		tp := fmt.Sprintf("%s.tiers[%d]", ep, k)
		ft := &fe.Tiers[k]
		t := tier{}
		if !ft.Above.set {
			d.fail(tp+".above", "missing; a tier needs the input-token threshold it applies above")
		} else if v, ok := ft.Above.v.(int64); !ok {
			d.fail(tp+".above", "must be an integer token count, got %s %v", tomlType(ft.Above.v), ft.Above.v)
		} else if v <= 0 {
			d.fail(tp+".above", "threshold %d must be positive", v)
		} else if v <= prev {
			d.fail(tp+".above", "threshold %d must be greater than the previous tier's %d; list tiers in ascending order", v, prev)
		} else {
			t.above = v
			prev = v
		}
		t.label = d.str(tp+".label", ft.Label, false)
		if t.label == "" {
			t.label = fmt.Sprintf(">%d", t.above)
		}
		t.p = d.prices(tp, ft.Input, ft.CacheRead, ft.CacheWrite5m, ft.CacheWrite1h, ft.Output)
		e.tiers = append(e.tiers, t)
	}
	e.windows = d.windows(ep+".windows", fe.Windows)
	if len(e.windows) > 0 && len(e.tiers) > 0 {
		d.fail(ep+".windows", "an entry has either long-context tiers or time-of-day windows, not both")
	}
	e.modifiers = d.modifiers(ep+".modifiers", fe.Modifiers)
	if !ok {
		return nil
	}
	return e
}

// prices reads the five bucket prices; input and output are required, cache
// prices default to the input price.
func (d *decoder) prices(p string, in, cr, cw5, cw1h, out rawVal) prices {
	var ps prices
	ps.in, _ = d.money(p+".input", in, true)
	ps.out, _ = d.money(p+".output", out, true)
	var ok bool
	if ps.cr, ok = d.money(p+".cache_read", cr, false); !ok {
		ps.cr = ps.in
	}
	if ps.cw5, ok = d.money(p+".cache_write_5m", cw5, false); !ok {
		ps.cw5 = ps.in
	}
	if ps.cw1h, ok = d.money(p+".cache_write_1h", cw1h, false); !ok {
		ps.cw1h = ps.in
	}
	return ps
}

// mode reads a delivery-mode rule. Book-level rules (bookLevel) may only be
// discounts: explicit prices belong to an entry.
func (d *decoder) mode(p string, fm *fileMode, bookLevel bool) *modeRule {
	r := &modeRule{}
	r.note = d.str(p+".note", fm.Note, false)
	r.source = d.str(p+".source", fm.Source, false)
	r.discount, r.hasDiscount = d.fraction(p+".discount", fm.Discount)
	vals := []rawVal{fm.Input, fm.CacheRead, fm.CacheWrite5m, fm.CacheWrite1h, fm.Output}
	keys := []string{"input", "cache_read", "cache_write_5m", "cache_write_1h", "output"}
	dst := []*decimal.Decimal{&r.p.in, &r.p.cr, &r.p.cw5, &r.p.cw1h, &r.p.out}
	explicit := false
	for i := range vals {
		if vals[i].set {
			explicit = true
			*dst[i], r.set[i] = d.money(p+"."+keys[i], vals[i], false)
		}
	}
	r.explicit = explicit
	// As in an entry, cache prices left out default to the mode's input price.
	for i := 1; i <= 3; i++ {
		if !r.set[i] {
			*dst[i] = r.p.in
		}
	}
	if fm.CacheStacks.set {
		r.cacheStacks = d.boolean(p+".cache_stacks", fm.CacheStacks, false)
		if r.explicit && !fm.Discount.set {
			d.fail(p+".cache_stacks", "cache_stacks applies to a discount; with explicit prices write the cache prices themselves")
		}
	}
	switch {
	case fm.Discount.set && r.explicit:
		d.fail(p, "give either a discount or explicit prices, not both")
	case !fm.Discount.set && !r.explicit:
		d.fail(p, "needs a discount (e.g. discount = \"0.5\") or explicit input and output prices")
	case r.explicit && bookLevel:
		d.fail(p, "a book-level rule can only be a discount; put explicit prices in a model's [models.prices.%s]", p)
	case r.explicit && (!fm.Input.set || !fm.Output.set):
		d.fail(p, "explicit prices need at least input and output")
	}
	return r
}

func parseOverlay(d *decoder, b *book, fb *fileBook) {
	if fb.Provider.set {
		d.fail("provider", "an overlay names providers in each [[discounts]] table, not at the top")
	}
	if len(fb.Models) > 0 {
		d.fail("models", "an overlay holds [[discounts]], not [[models]]; put new models in a book of kind = \"book\"")
	}
	if fb.Batch != nil || fb.Flex != nil || fb.NoBatch.set || fb.ProviderAliases.set || fb.InferProvider.set || len(fb.Modifiers) > 0 {
		d.fail("kind", "an overlay holds only [[discounts]] (no batch, flex, no_batch or provider_aliases)")
	}
	if len(fb.Discounts) == 0 {
		d.fail("discounts", "an overlay needs at least one [[discounts]] table")
	}
	for i := range fb.Discounts {
		p := fmt.Sprintf("discounts[%d]", i)
		fd := &fb.Discounts[i]
		r := &discountRule{book: b, path: p, line: d.ix.line(p)}
		r.provider = strings.ToLower(d.str(p+".provider", fd.Provider, true))
		r.models = lower(d.strings(p+".models", fd.Models))
		var ok bool
		if r.frac, ok = d.fraction(p+".discount", fd.Discount); !ok && !fd.Discount.set {
			d.fail(p+".discount", "missing; write the negotiated discount as a fraction, e.g. \"0.15\" for 15%% off")
		}
		if fd.EffectiveFrom.set {
			r.from, _, _ = d.date(p+".effective_from", fd.EffectiveFrom, false)
		}
		if fd.Until.set {
			r.until, _, _ = d.date(p+".until", fd.Until, false)
			if !r.until.IsZero() && !r.until.After(r.from) {
				d.fail(p+".until", "until must be after effective_from")
			}
		}
		r.note = d.str(p+".note", fd.Note, false)
		b.discounts = append(b.discounts, r)
	}
}
