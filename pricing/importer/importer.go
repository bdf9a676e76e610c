package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/pricing"
)

// Source names a price database format.
type Source string

// The formats Import reads.
const (
	LiteLLM     Source = "litellm"
	GenAIPrices Source = "genai-prices"
)

// Sources lists the formats Import reads.
var Sources = []Source{LiteLLM, GenAIPrices}

// Options tune an import.
type Options struct {
	// FileName is the source file's name, cited in the books.
	FileName string
	// Date (YYYY-MM-DD) is the date of the source data. LiteLLM prices are
	// undated, so they take effect from this date. For genai-prices it is
	// the books' source_date.
	Date string
	// Providers keeps only these providers (costaudit names, e.g. "openai",
	// "google"); empty keeps all.
	Providers []string
}

// ErrNoDate is returned when LiteLLM prices, which are undated, come
// without Options.Date and without a date in the file name.
var ErrNoDate = errors.New("import litellm: the file's date is needed (LiteLLM prices are undated)")

// Book is one price book written by Import: one per provider.
type Book struct {
	File     string // file name, e.g. "litellm-openai.toml"
	ID       string
	Provider string
	Models   int
	Entries  int
	TOML     []byte
	SHA256   string
}

// Omission is a rule or price that was left out, with the models it
// concerns (sorted, provider/model).
type Omission struct {
	Rule   string
	Models []string
}

// Result is the outcome of an import.
type Result struct {
	Source Source
	SHA256 string // of the source bytes
	Books  []Book
	// Undated lists the entries (provider/model) whose start date the
	// source does not give, with the date used.
	Undated []Omission
	// Omitted lists what the source holds that the books do not, or what a
	// costaudit book could hold that the source does not give.
	Omitted []Omission
	// Artefacts lists prices whose decimal text shows a binary floating
	// point artefact in the source (more than 12 significant digits); they
	// are kept exactly as written.
	Artefacts []string
}

// Import converts a price database into costaudit books.
func Import(src Source, data []byte, o Options) (*Result, error) {
	if o.Date != "" {
		if _, err := time.Parse("2006-01-02", o.Date); err != nil {
			return nil, fmt.Errorf("import: date %q: want YYYY-MM-DD", o.Date)
		}
	}
	c := newCollector(src, o)
	var err error
	switch src {
	case LiteLLM:
		err = importLiteLLM(c, data)
	case GenAIPrices:
		err = importGenAIPrices(c, data)
	default:
		return nil, fmt.Errorf("import: unknown source %q (use litellm or genai-prices)", src)
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	res, err := c.result(hex.EncodeToString(sum[:]))
	if err != nil {
		return nil, err
	}
	return res, nil
}

// prices are per-million-token prices of the five buckets; nil means the
// source does not give it.
type prices struct {
	in, cr, cw5, cw1h, out *decimal.Decimal
}

type tier struct {
	above int64
	p     prices
}

type mode struct {
	discount *decimal.Decimal
	p        prices
	note     string
}

// window is a daily UTC time-of-day window with its own prices.
type window struct {
	label, from, until string
	p                  prices
}

type entry struct {
	windows    []window
	from       string
	source     string
	sourceDate string
	note       string
	p          prices
	fee        *decimal.Decimal
	tiers      []tier
	batch      *mode
	flex       *mode
	priority   *mode
}

type model struct {
	id      string
	aliases []string
	note    string
	entries []*entry
}

type book struct {
	provider string
	models   []*model
	names    map[string]string // name → model id, for uniqueness
}

// collector gathers books and omissions during an import.
type collector struct {
	src       Source
	opts      Options
	keep      map[string]bool
	books     map[string]*book
	omitted   map[string]map[string]bool
	undated   map[string]map[string]bool
	artefacts map[string]bool
}

func newCollector(src Source, o Options) *collector {
	c := &collector{src: src, opts: o, books: map[string]*book{}, omitted: map[string]map[string]bool{},
		undated: map[string]map[string]bool{}, artefacts: map[string]bool{}}
	if len(o.Providers) > 0 {
		c.keep = map[string]bool{}
		for _, p := range o.Providers {
			c.keep[strings.ToLower(p)] = true
		}
	}
	return c
}

// wants reports whether the provider passes the --provider filter.
func (c *collector) wants(provider string) bool { return c.keep == nil || c.keep[provider] }

// omit records that rule was left out for what (provider/model, or a
// source key).
func (c *collector) omit(rule, what string) {
	m := c.omitted[rule]
	if m == nil {
		m = map[string]bool{}
		c.omitted[rule] = m
	}
	m[what] = true
}

func (c *collector) markUndated(rule, what string) {
	m := c.undated[rule]
	if m == nil {
		m = map[string]bool{}
		c.undated[rule] = m
	}
	m[what] = true
}

func (c *collector) book(provider string) *book {
	b := c.books[provider]
	if b == nil {
		b = &book{provider: provider, names: map[string]string{}}
		c.books[provider] = b
	}
	return b
}

// addModel adds m to its provider's book. Names (id and aliases) already
// used by an earlier model of the book are dropped and listed; a model
// whose id is taken is left out.
func (c *collector) addModel(provider string, m *model) bool {
	b := c.book(provider)
	m.id = strings.ToLower(m.id)
	if prev, ok := b.names[m.id]; ok {
		c.omit("model name already taken by an earlier model of the source (first match wins there too): model left out", provider+"/"+m.id+" (taken by "+prev+")")
		return false
	}
	b.names[m.id] = m.id
	var aliases []string
	seen := map[string]bool{m.id: true}
	for _, a := range m.aliases {
		a = strings.ToLower(strings.TrimSpace(a))
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		if prev, ok := b.names[a]; ok {
			c.omit("alias already taken by an earlier model of the source: alias left out", provider+"/"+m.id+": "+a+" (taken by "+prev+")")
			continue
		}
		b.names[a] = m.id
		aliases = append(aliases, a)
	}
	sort.Strings(aliases)
	m.aliases = aliases
	b.models = append(b.models, m)
	return true
}

// bookID is the id of the book a source writes for a provider.
func (c *collector) bookID(provider string) string {
	return string(c.src) + "-" + sanitizeID(provider)
}

var idBad = regexp.MustCompile(`[^a-z0-9._\-]+`)

// sanitizeID makes a provider name a valid book id and file name.
func sanitizeID(s string) string {
	s = idBad.ReplaceAllString(strings.ToLower(s), "-")
	s = strings.Trim(s, "-._")
	if s == "" {
		return "unknown"
	}
	return s
}

// sourceLabel cites the source file in books.
func (c *collector) sourceLabel() string {
	name := c.opts.FileName
	if name == "" {
		name = string(c.src) + " data"
	}
	return name
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func omissions(m map[string]map[string]bool) []Omission {
	rules := make([]string, 0, len(m))
	for r := range m {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	out := make([]Omission, 0, len(rules))
	for _, r := range rules {
		out = append(out, Omission{Rule: r, Models: sortedSet(m[r])})
	}
	return out
}

// result writes the books and validates them, one by one and together.
func (c *collector) result(sha string) (*Result, error) {
	res := &Result{Source: c.src, SHA256: sha}
	providers := make([]string, 0, len(c.books))
	for p, b := range c.books {
		if len(b.models) > 0 {
			providers = append(providers, p)
		}
	}
	sort.Strings(providers)
	fsys := fstest.MapFS{}
	for _, p := range providers {
		b := c.books[p]
		sort.Slice(b.models, func(i, j int) bool { return b.models[i].id < b.models[j].id })
		id := c.bookID(p)
		text := c.writeBook(id, b, sha)
		file := id + ".toml"
		if _, err := pricing.LoadFile(file, text); err != nil {
			return nil, fmt.Errorf("import %s: the book for provider %s does not validate (a bug in the importer): %w", c.src, p, err)
		}
		entries := 0
		for _, m := range b.models {
			entries += len(m.entries)
		}
		s := sha256.Sum256(text)
		res.Books = append(res.Books, Book{File: file, ID: id, Provider: p, Models: len(b.models), Entries: entries, TOML: text, SHA256: hex.EncodeToString(s[:])})
		fsys[file] = &fstest.MapFile{Data: text}
	}
	if len(res.Books) == 0 {
		return nil, fmt.Errorf("import %s: no model with per-token prices found%s", c.src, c.filterText())
	}
	if _, err := pricing.Load(pricing.BookSource{Name: "import", FS: fsys, Path: "."}); err != nil {
		return nil, fmt.Errorf("import %s: the imported books do not load together: %w", c.src, err)
	}
	res.Omitted = omissions(c.omitted)
	res.Undated = omissions(c.undated)
	res.Artefacts = sortedSet(c.artefacts)
	return res, nil
}

func (c *collector) filterText() string {
	if c.keep == nil {
		return ""
	}
	return " for provider " + strings.Join(sortedSet(c.keep), ", ")
}

// checkArtefact flags a converted price with more than 12 significant
// digits: the source's float printing left a binary artefact in it.
func (c *collector) checkArtefact(what string, d decimal.Decimal) {
	digits := strings.TrimLeft(strings.ReplaceAll(strings.TrimPrefix(d.String(), "-"), ".", ""), "0")
	if len(digits) > 12 {
		c.artefacts[what+" = "+d.String()] = true
	}
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func tomlStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = tomlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// writeBook renders one provider's book as TOML.
func (c *collector) writeBook(id string, b *book, sha string) []byte {
	var w strings.Builder
	fmt.Fprintf(&w, "# Imported by costaudit pricebook import --from %s.\n", c.src)
	fmt.Fprintf(&w, "# Source file: %s (sha256 %s).\n", c.sourceLabel(), sha)
	w.WriteString("# USD per million tokens, converted exactly from the source's decimal text.\n")
	w.WriteString("# What the source could not express is listed by the import command, not invented here.\n")
	w.WriteString("schema = 1\n")
	fmt.Fprintf(&w, "id = %s\n", tomlString(id))
	w.WriteString("kind = \"book\"\n")
	fmt.Fprintf(&w, "provider = %s\n", tomlString(b.provider))
	fmt.Fprintf(&w, "title = %s\n", tomlString(fmt.Sprintf("%s prices imported from %s", b.provider, c.src)))
	fmt.Fprintf(&w, "source = %s\n", tomlString(c.sourceLabel()))
	for _, m := range b.models {
		w.WriteString("\n[[models]]\n")
		fmt.Fprintf(&w, "id = %s\n", tomlString(m.id))
		if len(m.aliases) > 0 {
			fmt.Fprintf(&w, "aliases = %s\n", tomlStrings(m.aliases))
		}
		if m.note != "" {
			fmt.Fprintf(&w, "note = %s\n", tomlString(m.note))
		}
		for _, e := range m.entries {
			w.WriteString("\n  [[models.prices]]\n")
			fmt.Fprintf(&w, "  effective_from = %s\n", tomlString(e.from))
			fmt.Fprintf(&w, "  source = %s\n", tomlString(e.source))
			if e.sourceDate != "" {
				fmt.Fprintf(&w, "  source_date = %s\n", tomlString(e.sourceDate))
			}
			if e.note != "" {
				fmt.Fprintf(&w, "  note = %s\n", tomlString(e.note))
			}
			writePrices(&w, "  ", e.p)
			if e.fee != nil {
				fmt.Fprintf(&w, "  request_fee = %s\n", tomlString(e.fee.String()))
			}
			for _, mm := range []struct {
				name string
				m    *mode
			}{{"batch", e.batch}, {"flex", e.flex}, {"priority", e.priority}} {
				if mm.m == nil {
					continue
				}
				fmt.Fprintf(&w, "\n    [models.prices.%s]\n", mm.name)
				if mm.m.discount != nil {
					fmt.Fprintf(&w, "    discount = %s\n", tomlString(mm.m.discount.String()))
				} else {
					writePrices(&w, "    ", mm.m.p)
				}
				if mm.m.note != "" {
					fmt.Fprintf(&w, "    note = %s\n", tomlString(mm.m.note))
				}
			}
			for _, t := range e.tiers {
				w.WriteString("\n    [[models.prices.tiers]]\n")
				fmt.Fprintf(&w, "    above = %d\n", t.above)
				fmt.Fprintf(&w, "    label = %s\n", tomlString(tierLabel(t.above)))
				writePrices(&w, "    ", t.p)
			}
			for _, win := range e.windows {
				w.WriteString("\n    [[models.prices.windows]]\n")
				fmt.Fprintf(&w, "    label = %s\n", tomlString(win.label))
				fmt.Fprintf(&w, "    from = %s\n", tomlString(win.from))
				fmt.Fprintf(&w, "    until = %s\n", tomlString(win.until))
				writePrices(&w, "    ", win.p)
			}
		}
	}
	return []byte(w.String())
}

// tierLabel names a long-context threshold: 200000 → ">200K".
func tierLabel(above int64) string {
	if above%1000 == 0 {
		return fmt.Sprintf(">%dK", above/1000)
	}
	return fmt.Sprintf(">%d", above)
}

func writePrices(w *strings.Builder, indent string, p prices) {
	for _, kv := range []struct {
		k string
		v *decimal.Decimal
	}{{"input", p.in}, {"cache_read", p.cr}, {"cache_write_5m", p.cw5}, {"cache_write_1h", p.cw1h}, {"output", p.out}} {
		if kv.v != nil {
			fmt.Fprintf(w, "%s%s = %s\n", indent, kv.k, tomlString(kv.v.String()))
		}
	}
}
