package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/pricing"
)

// PricebookOptions are the flags shared by the pricebook subcommands.
type PricebookOptions struct {
	Pricebooks []string
	Format     string   // table or json (list, show)
	At         []string // show: one date; diff: two dates
	Provider   string
	Output     string // list, show: -o FILE
}

func newPricebookCmd(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pricebook",
		Short: "List, show, validate and diff price books",
		Long: `pricebook inspects the price books costaudit prices with: the books embedded
in the binary plus any --pricebook DIR|FILE (repeatable; a user book overrides
or extends an embedded one, an overlay applies contract discounts).`,
		Example: `  costaudit pricebook list
  costaudit pricebook show claude-sonnet-4-20250514 --at 2025-07-01
  costaudit pricebook validate my-books/
  costaudit pricebook diff --at 2025-06-01 --at 2025-07-01
  costaudit pricebook diff old-books/ new-books/`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newPricebookListCmd(env), newPricebookShowCmd(env), newPricebookValidateCmd(env), newPricebookDiffCmd(env))
	cmd.AddCommand(newPricebookImportCmd(env)) // internal/cli/pricebook_import.go
	for _, c := range cmd.Commands() {
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &UsageError{Err: err} })
	}
	return cmd
}

// noArgs rejects positional arguments with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args)
	}
	return nil
}

func addPricebookFlag(cmd *cobra.Command, o *PricebookOptions) {
	cmd.Flags().StringArrayVar(&o.Pricebooks, "pricebook", nil, "extra price book `DIR|FILE` (repeatable)")
}

func checkTableJSON(format string) error {
	if format != "table" && format != "json" {
		return usagef("--format %q: want table or json", format)
	}
	return nil
}

func newPricebookListCmd(env Env) *cobra.Command {
	var o PricebookOptions
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the loaded books, providers, models and their price versions",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := checkTableJSON(o.Format); err != nil {
				return err
			}
			cat, err := loadCatalog(o.Pricebooks)
			if err != nil {
				return err
			}
			return withOutput(env, o.Output, func(env Env) error { return runPricebookList(env.Stdout, cat, o.Format) })
		},
	}
	addPricebookFlag(cmd, &o)
	bindFormatFlag(cmd.Flags(), &o.Format, "table", []string{"table", "json"}, false)
	bindOutputFlag(cmd.Flags(), &o.Output, "the list")
	return cmd
}

func runPricebookList(w io.Writer, cat *pricing.Catalog, format string) error {
	if format == "json" {
		return writeJSON(w, struct {
			Books     []pricing.BookInfo  `json:"books"`
			Providers []string            `json:"providers"`
			Models    []pricing.ModelInfo `json:"models"`
		}{cat.Books(), cat.Providers(), cat.Models()})
	}
	fmt.Fprintln(w, "Books")
	rows := [][]string{{"id", "kind", "provider", "source", "sha256"}}
	for _, b := range cat.Books() {
		rows = append(rows, []string{b.ID, b.Kind, b.Provider, b.Source, b.SHA256[:12]})
	}
	writeColumns(w, rows, nil, false)
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Providers: %s\n\n", strings.Join(cat.Providers(), ", "))
	fmt.Fprintln(w, "Models")
	rows = [][]string{{"provider", "model", "book", "versions", "aliases"}}
	for _, m := range cat.Models() {
		rows = append(rows, []string{m.Provider, m.ID, m.Book, strings.Join(m.Versions, ", "), strings.Join(m.Aliases, ", ")})
	}
	writeColumns(w, rows, nil, false)
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newPricebookShowCmd(env Env) *cobra.Command {
	var o PricebookOptions
	cmd := &cobra.Command{
		Use:   "show MODEL",
		Short: "Show the entry in force for a model and why the name matched",
		Example: `  costaudit pricebook show gpt-4o-2024-08-06
  costaudit pricebook show o3 --at 2025-05-01
  costaudit pricebook show models/gemini-2.5-pro --provider google --format json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("pricebook show takes one MODEL, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			if err := checkTableJSON(o.Format); err != nil {
				return err
			}
			if len(o.At) > 1 {
				return usagef("pricebook show takes one --at")
			}
			at, err := parseAt(env, strings.Join(o.At, ""))
			if err != nil {
				return err
			}
			cat, err := loadCatalog(o.Pricebooks)
			if err != nil {
				return err
			}
			return withOutput(env, o.Output, func(env Env) error {
				return runPricebookShow(env.Stdout, cat, o.Provider, args[0], at, o.Format)
			})
		},
	}
	addPricebookFlag(cmd, &o)
	bindFormatFlag(cmd.Flags(), &o.Format, "table", []string{"table", "json"}, false)
	bindOutputFlag(cmd.Flags(), &o.Output, "the entry")
	cmd.Flags().StringArrayVar(&o.At, "at", nil, "the entry in force at `DATE` (YYYY-MM-DD or RFC 3339; default now)")
	cmd.Flags().StringVar(&o.Provider, "provider", "", "`PROVIDER` of MODEL (inferred when empty)")
	return cmd
}

func runPricebookShow(w io.Writer, cat *pricing.Catalog, provider, model string, at time.Time, format string) error {
	res, err := cat.Resolve(provider, model)
	if err != nil {
		return err
	}
	k, err := cat.Key(res.Provider, res.ModelID, at, 0)
	if err != nil {
		return err
	}
	// The columns show the entry's own prices and each window's; the band
	// line says which one is in force at the time asked.
	band := cat.Entry(k).Tier
	k.Tier = 0
	e := cat.Entry(k)
	var mi pricing.ModelInfo
	for _, m := range cat.Models() {
		if m.Provider == res.Provider && m.ID == res.ModelID {
			mi = m
		}
	}
	if format == "json" {
		return writeJSON(w, struct {
			Query      string            `json:"query"`
			At         string            `json:"at"`
			Resolution string            `json:"resolution"`
			Model      pricing.ModelInfo `json:"model"`
			Entry      pricing.EntryInfo `json:"entry"`
		}{model, at.Format(time.RFC3339), res.Why, mi, e})
	}
	fmt.Fprintf(w, "%s/%s at %s\n", e.Provider, e.ModelID, at.Format(time.RFC3339))
	fmt.Fprintf(w, "matched:        %s\n", res.Why)
	fmt.Fprintf(w, "book:           %s (%s)\n", e.Book, e.BookSource)
	fmt.Fprintf(w, "effective from: %s\n", e.EffectiveFrom)
	fmt.Fprintf(w, "source:         %s", e.Source)
	if e.SourceDate != "" {
		fmt.Fprintf(w, " (checked %s)", e.SourceDate)
	}
	fmt.Fprintln(w)
	if mi.Note != "" {
		fmt.Fprintf(w, "model note:     %s\n", mi.Note)
	}
	if e.Note != "" {
		fmt.Fprintf(w, "note:           %s\n", e.Note)
	}
	fmt.Fprintf(w, "batch:          %s\n", e.BatchWhy)
	for _, win := range e.Windows {
		fmt.Fprintf(w, "window:         %s: %s %s-%s UTC\n", win.Label, strings.Join(win.Days, ","), win.From, win.Until)
	}
	if len(e.Windows) > 0 {
		fmt.Fprintf(w, "in force:       %s (at %s)\n", band, at.Format(time.RFC3339))
	}
	for _, md := range e.Modifiers {
		x := ""
		if len(md.Excludes) > 0 {
			var xs []string
			for _, m := range md.Excludes {
				xs = append(xs, string(m))
			}
			x = ", not with " + strings.Join(xs, ", ")
		}
		fmt.Fprintf(w, "modifier:       %s ×%s%s (--modifier %s)\n", md.Name, md.Multiplier, x, md.Name)
	}
	for _, ov := range e.Overlays {
		fmt.Fprintf(w, "overlay:        %s\n", ov)
	}
	if len(mi.Aliases) > 0 {
		fmt.Fprintf(w, "aliases:        %s\n", strings.Join(mi.Aliases, ", "))
	}
	var versions []string
	for _, v := range mi.Versions {
		if v == e.EffectiveFrom {
			v += " (in force)"
		}
		versions = append(versions, v)
	}
	fmt.Fprintf(w, "versions:       %s\n\n", strings.Join(versions, ", "))

	fmt.Fprintln(w, "USD per million tokens")
	cols := []string{"bucket", "standard"}
	sets := []pricing.Prices{e.Prices}
	if e.HasBatch {
		cols = append(cols, "batch")
		sets = append(sets, e.Batch)
	}
	if e.HasFlex {
		cols = append(cols, "flex")
		sets = append(sets, e.Flex)
	}
	if e.HasPriority {
		cols = append(cols, "priority")
		sets = append(sets, e.Priority)
	}
	tiers := e.Tiers
	for _, t := range tiers {
		cols = append(cols, t.Label)
		sets = append(sets, t.Prices)
	}
	for _, win := range e.Windows {
		cols = append(cols, win.Label)
		sets = append(sets, win.Prices)
	}
	rows := [][]string{cols}
	for _, b := range priceBuckets {
		if b.name == pricing.BucketRequest && e.Prices.RequestFee.IsZero() {
			continue
		}
		row := []string{b.name}
		for _, s := range sets {
			row = append(row, money(b.get(s)))
		}
		rows = append(rows, row)
	}
	right := make([]bool, len(cols))
	for i := 1; i < len(right); i++ {
		right[i] = true
	}
	writeColumns(w, rows, right, false)
	if len(tiers) > 0 {
		fmt.Fprintf(w, "\nTier columns are list prices for requests whose total input (input + cache reads + cache writes) is strictly above the threshold; the tier re-prices the whole request.\n")
	}
	if !e.OverlayFactor.Equal(decimal.NewFromInt(1)) {
		fmt.Fprintf(w, "Standard, batch, flex and priority columns include the contract overlays (factor %s).\n", e.OverlayFactor)
	}
	return nil
}

type bucketGetter struct {
	name string
	get  func(pricing.Prices) decimal.Decimal
}

var priceBuckets = []bucketGetter{
	{pricing.BucketInput, func(p pricing.Prices) decimal.Decimal { return p.Input }},
	{pricing.BucketCacheRead, func(p pricing.Prices) decimal.Decimal { return p.CacheRead }},
	{pricing.BucketCacheWrite5m, func(p pricing.Prices) decimal.Decimal { return p.CacheWrite5m }},
	{pricing.BucketCacheWrite1h, func(p pricing.Prices) decimal.Decimal { return p.CacheWrite1h }},
	{pricing.BucketOutput, func(p pricing.Prices) decimal.Decimal { return p.Output }},
	{pricing.BucketRequest, func(p pricing.Prices) decimal.Decimal { return p.RequestFee }},
}

// money renders an exact decimal with at least two decimals.
func money(d decimal.Decimal) string {
	s := d.String()
	if i := strings.IndexByte(s, '.'); i < 0 || len(s)-i-1 <= 2 {
		return d.StringFixed(2)
	}
	return s
}

func newPricebookValidateCmd(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check price-book files or directories; errors name file, line and key",
		Example: `  costaudit pricebook validate my-books/
  costaudit pricebook validate contract-overlay.toml new-model.toml`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("pricebook validate needs at least one PATH (a *.toml book or a directory of them)")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			return runPricebookValidate(env, args)
		},
	}
	return cmd
}

// errInvalidBooks is returned when validate finds errors (exit code 1).
var errInvalidBooks = errors.New("invalid price books")

func runPricebookValidate(env Env, paths []string) error {
	w := env.Stdout
	bad := 0
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("validate %s: %w", p, err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return fmt.Errorf("validate %s: %w", p, err)
		}
		n := 0
		for _, e := range ents {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".toml") {
				files = append(files, filepath.Join(p, e.Name()))
				n++
			}
		}
		if n == 0 {
			return fmt.Errorf("validate %s: the directory holds no *.toml file", p)
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("validate %s: %w", f, err)
		}
		info, err := pricing.LoadFile(filepath.ToSlash(f), data)
		if err != nil {
			bad++
			fmt.Fprintf(w, "FAIL %s\n", filepath.ToSlash(f))
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(w, "  %s\n", line)
			}
			continue
		}
		fmt.Fprintf(w, "ok   %s  (%s %s, sha256 %s)\n", filepath.ToSlash(f), info.Kind, info.ID, info.SHA256[:12])
	}
	if bad == 0 {
		// Cross-book checks: overlays must name known providers and models,
		// provider aliases must not clash, with the embedded books loaded first.
		if _, err := loadCatalog(paths); err != nil {
			fmt.Fprintln(w, "FAIL together with the embedded books")
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(w, "  %s\n", line)
			}
			bad++
		}
	}
	if bad > 0 {
		return fmt.Errorf("%w: %d of %d files or checks failed", errInvalidBooks, bad, len(files))
	}
	fmt.Fprintf(w, "%d price book files valid\n", len(files))
	return nil
}

func newPricebookDiffCmd(env Env) *cobra.Command {
	var o PricebookOptions
	cmd := &cobra.Command{
		Use:   "diff OLD NEW | diff --at DATE1 --at DATE2 [BOOK]",
		Short: "Show what changed between two books, or between two dates of one",
		Long: `diff compares prices per model, tier, delivery mode and token bucket.

With two paths (files or directories) it compares every dated entry of every
model: models added or removed, dated entries added or removed, and changed
prices. "embedded" names the books built into this binary and
"embedded:previous" the built-in books before their last update, so
"diff embedded:previous embedded" shows what the update changed. With --at twice it compares the entries in force at the two dates, in
the embedded books plus --pricebook, or in BOOK alone when given.`,
		Example: `  costaudit pricebook diff pricebooks-2025/ pricebooks/
  costaudit pricebook diff embedded:previous embedded
  costaudit pricebook diff --at 2025-06-01 --at 2025-07-01
  costaudit pricebook diff --at 2025-01-01 --at 2026-01-01 pricebooks/deepseek.toml`,
		RunE: func(_ *cobra.Command, args []string) error {
			switch {
			case len(o.At) == 0 && len(args) == 2:
				if len(o.Pricebooks) > 0 {
					return usagef("--pricebook does not apply when diffing two books")
				}
				return runPricebookDiffBooks(env.Stdout, args[0], args[1])
			case len(o.At) == 2 && len(args) <= 1:
				d1, err := parseAt(env, o.At[0])
				if err != nil {
					return err
				}
				d2, err := parseAt(env, o.At[1])
				if err != nil {
					return err
				}
				var cat *pricing.Catalog
				label := "embedded books"
				if len(args) == 1 {
					if len(o.Pricebooks) > 0 {
						return usagef("give either BOOK or --pricebook with --at, not both")
					}
					cat, err = loadOnly(args[0])
					label = args[0]
				} else {
					cat, err = loadCatalog(o.Pricebooks)
					if len(o.Pricebooks) > 0 {
						label += " + " + strings.Join(o.Pricebooks, " + ")
					}
				}
				if err != nil {
					return err
				}
				return runPricebookDiffDates(env.Stdout, cat, label, d1, d2)
			}
			return usagef("pricebook diff takes OLD NEW (two books), or --at DATE1 --at DATE2 with an optional BOOK")
		},
	}
	addPricebookFlag(cmd, &o)
	cmd.Flags().StringArrayVar(&o.At, "at", nil, "a `DATE` to compare (give twice)")
	return cmd
}

// loadOnly loads one book path without the embedded books.
func loadOnly(p string) (*pricing.Catalog, error) {
	s, err := bookSource(p)
	if err != nil {
		return nil, err
	}
	cat, err := pricing.Load(s)
	if err != nil {
		return nil, err
	}
	return cat.WithUnknownModelHint(unknownModelHint), nil
}

// priceView is one comparable price of an entry: a label like
// "batch cache_read" or ">200K output" and its value ("" when absent).
type priceView map[string]string

func viewOf(e pricing.EntryInfo) priceView {
	v := priceView{}
	put := func(prefix string, p pricing.Prices) {
		for _, b := range priceBuckets {
			if b.name == pricing.BucketRequest && p.RequestFee.IsZero() {
				continue
			}
			v[prefix+b.name] = money(b.get(p))
		}
	}
	put("", e.Prices)
	if e.HasBatch {
		put("batch ", e.Batch)
	}
	if e.HasFlex {
		put("flex ", e.Flex)
	}
	if e.HasPriority {
		put("priority ", e.Priority)
	}
	for _, t := range e.Tiers {
		put(t.Label+" ", t.Prices)
		v[t.Label+" above"] = fmt.Sprint(t.Above)
	}
	for _, w := range e.Windows {
		put(w.Label+" ", w.Prices)
		v[w.Label+" hours"] = strings.Join(w.Days, ",") + " " + w.From + "-" + w.Until + " UTC"
	}
	for _, m := range e.Modifiers {
		d := "×" + m.Multiplier.String()
		if len(m.Excludes) > 0 {
			var xs []string
			for _, x := range m.Excludes {
				xs = append(xs, string(x))
			}
			d += " (not with " + strings.Join(xs, ", ") + ")"
		}
		v["modifier "+m.Name] = d
	}
	if len(e.Overlays) > 0 {
		v["overlays"] = strings.Join(e.Overlays, "; ")
	}
	return v
}

// viewOrder sorts price labels: standard buckets first, then each mode and
// tier in bucket order.
func viewKeys(a, b priceView) []string {
	seen := map[string]bool{}
	var keys []string
	for _, v := range []priceView{a, b} {
		for k := range v {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	rank := func(k string) (string, int) {
		for i, bk := range priceBuckets {
			if k == bk.name {
				return "", i
			}
			if strings.HasSuffix(k, " "+bk.name) {
				return strings.TrimSuffix(k, " "+bk.name), i
			}
		}
		return k, 99
	}
	sort.Slice(keys, func(i, j int) bool {
		pi, ri := rank(keys[i])
		pj, rj := rank(keys[j])
		if pi != pj {
			return pi < pj
		}
		return ri < rj
	})
	return keys
}

// changes lists "label: old → new" for every differing price.
func changes(a, b priceView) []string {
	var out []string
	for _, k := range viewKeys(a, b) {
		if a[k] == b[k] {
			continue
		}
		old, nw := a[k], b[k]
		if old == "" {
			old = "—"
		}
		if nw == "" {
			nw = "—"
		}
		out = append(out, fmt.Sprintf("%s: %s → %s", k, old, nw))
	}
	return out
}

func modelMap(cat *pricing.Catalog) map[string]pricing.ModelInfo {
	m := map[string]pricing.ModelInfo{}
	for _, mi := range cat.Models() {
		m[mi.Provider+"/"+mi.ID] = mi
	}
	return m
}

func sortedKeys[V any](m ...map[string]V) []string {
	seen := map[string]bool{}
	var keys []string
	for _, mm := range m {
		for k := range mm {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// entryAt returns the entry of model mi in force at the date of version v.
func entryAt(cat *pricing.Catalog, mi pricing.ModelInfo, v string) (pricing.EntryInfo, bool) {
	t, err := pricing.ParseDate(v)
	if err != nil {
		return pricing.EntryInfo{}, false
	}
	k, err := cat.Key(mi.Provider, mi.ID, t, 0)
	if err != nil {
		return pricing.EntryInfo{}, false
	}
	return cat.Entry(k), true
}

func runPricebookDiffBooks(w io.Writer, oldPath, newPath string) error {
	oldCat, err := loadOnly(oldPath)
	if err != nil {
		return fmt.Errorf("old book: %w", err)
	}
	newCat, err := loadOnly(newPath)
	if err != nil {
		return fmt.Errorf("new book: %w", err)
	}
	fmt.Fprintf(w, "pricebook diff %s → %s\n\n", oldPath, newPath)
	om, nm := modelMap(oldCat), modelMap(newCat)
	var added, removed, changed int
	for _, key := range sortedKeys(om, nm) {
		o, inOld := om[key]
		n, inNew := nm[key]
		switch {
		case !inOld:
			added++
			fmt.Fprintf(w, "+ %s  (book %s, versions %s)\n", key, n.Book, strings.Join(n.Versions, ", "))
			continue
		case !inNew:
			removed++
			fmt.Fprintf(w, "- %s  (book %s, versions %s)\n", key, o.Book, strings.Join(o.Versions, ", "))
			continue
		}
		var lines []string
		ov := map[string]bool{}
		for _, v := range o.Versions {
			ov[v] = true
		}
		nv := map[string]bool{}
		for _, v := range n.Versions {
			nv[v] = true
		}
		for _, v := range sortedKeys(ov, nv) {
			switch {
			case !ov[v]:
				// A new dated entry: compare with what the old book had in force then.
				ne, _ := entryAt(newCat, n, v)
				oe, ok := entryAt(oldCat, o, v)
				lines = append(lines, fmt.Sprintf("+ entry from %s", v))
				if ok {
					for _, c := range changes(viewOf(oe), viewOf(ne)) {
						lines = append(lines, "    "+c)
					}
				}
			case !nv[v]:
				lines = append(lines, fmt.Sprintf("- entry from %s", v))
			default:
				oe, _ := entryAt(oldCat, o, v)
				ne, _ := entryAt(newCat, n, v)
				cs := changes(viewOf(oe), viewOf(ne))
				if len(cs) > 0 {
					lines = append(lines, fmt.Sprintf("~ entry from %s", v))
					for _, c := range cs {
						lines = append(lines, "    "+c)
					}
				}
			}
		}
		if strings.Join(o.Aliases, ",") != strings.Join(n.Aliases, ",") {
			lines = append(lines, fmt.Sprintf("  aliases: [%s] → [%s]", strings.Join(o.Aliases, ", "), strings.Join(n.Aliases, ", ")))
		}
		if len(lines) > 0 {
			changed++
			fmt.Fprintf(w, "~ %s\n", key)
			for _, l := range lines {
				fmt.Fprintf(w, "  %s\n", l)
			}
		}
	}
	fmt.Fprintf(w, "\n%d models added, %d removed, %d changed\n", added, removed, changed)
	return nil
}

func runPricebookDiffDates(w io.Writer, cat *pricing.Catalog, label string, d1, d2 time.Time) error {
	fmt.Fprintf(w, "pricebook diff %s at %s → %s\n\n", label, d1.Format(time.RFC3339), d2.Format(time.RFC3339))
	var added, removed, changed int
	for _, mi := range cat.Models() {
		key := mi.Provider + "/" + mi.ID
		k1, err1 := cat.Key(mi.Provider, mi.ID, d1, 0)
		k2, err2 := cat.Key(mi.Provider, mi.ID, d2, 0)
		switch {
		case err1 != nil && err2 != nil:
			continue
		case err1 != nil:
			added++
			fmt.Fprintf(w, "+ %s  (priced from %s)\n", key, cat.Entry(k2).EffectiveFrom)
			continue
		case err2 != nil:
			removed++
			fmt.Fprintf(w, "- %s  (priced from %s)\n", key, cat.Entry(k1).EffectiveFrom)
			continue
		}
		e1, e2 := cat.Entry(k1), cat.Entry(k2)
		cs := changes(viewOf(e1), viewOf(e2))
		if len(cs) == 0 {
			continue
		}
		changed++
		fmt.Fprintf(w, "~ %s  (entry %s → %s)\n", key, e1.EffectiveFrom, e2.EffectiveFrom)
		for _, c := range cs {
			fmt.Fprintf(w, "    %s\n", c)
		}
	}
	fmt.Fprintf(w, "\n%d models added, %d removed, %d changed\n", added, removed, changed)
	return nil
}
