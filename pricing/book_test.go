package pricing_test

import (
	"errors"
	"io/fs"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/costaudit/costaudit/internal/testutil" // registers -update: go test ./... -update runs here too

	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

const goodHead = `schema = 1
id = "acme"
provider = "acme"

[[models]]
id = "m1"

  [[models.prices]]
  effective_from = "2025-01-01"
  source = "test"
  input = "1.00"
  output = "2.00"
`

func TestMalformedBooks(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // file:line: key: ... substring
	}{
		{"float price", strings.Replace(goodHead, `output = "2.00"`, `output = 2.5`, 1),
			`books/bad.toml:12: models.prices.output: must be a decimal string such as "2.50", got float 2.5`},
		{"integer price", strings.Replace(goodHead, `input = "1.00"`, `input = 1`, 1),
			`books/bad.toml:11: models.prices.input: must be a decimal string`},
		{"unknown key", strings.Replace(goodHead, `source = "test"`, "source = \"test\"\n  cache_raed = \"0.1\"", 1),
			`books/bad.toml:11: models.prices.cache_raed: unknown key`},
		{"unknown top key", "titel = \"x\"\n" + goodHead,
			`books/bad.toml:1: titel: unknown key`},
		{"bad date", strings.Replace(goodHead, `"2025-01-01"`, `"2025-13-01"`, 1),
			`books/bad.toml:9: models.prices.effective_from: bad date "2025-13-01"`},
		{"date without offset", strings.Replace(goodHead, `"2025-01-01"`, `2025-01-01T10:00:00`, 1),
			`books/bad.toml:9: models.prices.effective_from: 2025-01-01T10:00:00 has no UTC offset`},
		{"negative price", strings.Replace(goodHead, `"1.00"`, `"-1.00"`, 1),
			`books/bad.toml:11: models.prices.input: negative price -1.00`},
		{"exponent price", strings.Replace(goodHead, `"1.00"`, `"1e3"`, 1),
			`books/bad.toml:11: models.prices.input: "1e3" is not a decimal number`},
		{"missing output", strings.Replace(goodHead, "  output = \"2.00\"\n", "", 1),
			`books/bad.toml:8: models.prices.output: missing; it is required`},
		{"missing source", strings.Replace(goodHead, "  source = \"test\"\n", "", 1),
			`books/bad.toml:8: models.prices.source: missing`},
		{"unordered dates", goodHead + `
  [[models.prices]]
  effective_from = "2024-06-01"
  source = "test"
  input = "1"
  output = "1"
`, `books/bad.toml:15: models.prices.effective_from: model "m1": entry effective from 2024-06-01 comes after the entry from 2025-01-01`},
		{"overlapping dates", goodHead + `
  [[models.prices]]
  effective_from = "2025-01-01T00:00:00Z"
  source = "test"
  input = "1"
  output = "1"
`, `books/bad.toml:15: models.prices.effective_from: model "m1" has two entries effective from`},
		{"tier not ascending", goodHead + `
    [[models.prices.tiers]]
    above = 200000
    input = "2"
    output = "3"

    [[models.prices.tiers]]
    above = 100000
    input = "3"
    output = "4"
`, `books/bad.toml:20: models.prices.tiers.above: threshold 100000 must be greater than the previous tier's 200000`},
		{"tier zero", goodHead + `
    [[models.prices.tiers]]
    above = 0
    input = "2"
    output = "3"
`, `books/bad.toml:15: models.prices.tiers.above: threshold 0 must be positive`},
		{"batch both", strings.Replace(goodHead, "[[models]]", "[batch]\ndiscount = \"0.5\"\ninput = \"1\"\n\n[[models]]", 1),
			`books/bad.toml:5: batch: give either a discount or explicit prices, not both`},
		{"batch discount range", strings.Replace(goodHead, "[[models]]", "[batch]\ndiscount = \"1.5\"\n\n[[models]]", 1),
			`books/bad.toml:6: batch.discount: discount 1.5 must be greater than 0 and less than 1`},
		{"batch empty", goodHead + "  batch = { note = \"x\" }\n",
			`books/bad.toml:13: models.prices.batch: needs a discount`},
		{"explicit cache_stacks", goodHead + "  priority = { input = \"2\", output = \"4\", cache_stacks = true }\n",
			`books/bad.toml:13: models.prices.priority.cache_stacks: cache_stacks applies to a discount`},
		{"no_batch with batch", strings.Replace(goodHead, "[[models]]", "no_batch = \"none\"\n[batch]\ndiscount = \"0.5\"\n\n[[models]]", 1),
			`books/bad.toml:5: no_batch: a book with no_batch cannot also have a [batch] rule`},
		{"schema", strings.Replace(goodHead, "schema = 1", "schema = 2", 1),
			`books/bad.toml:1: schema: unsupported schema 2`},
		{"string where table", goodHead + "  tiers = \"x\"\n",
			`books/bad.toml:13: models.prices.tiers: incompatible types`},
		{"syntax", goodHead + "input = \n",
			`books/bad.toml:13`},
		{"duplicate model", goodHead + strings.SplitN(goodHead, "\n\n", 2)[1],
			`models.id: name "m1" is already used`},
		{"second model error line", goodHead + `
[[models]]
id = "m2"

  [[models.prices]]
  effective_from = "2025-01-01"
  source = "test"
  input = 3.5
  output = "2.00"
`, `books/bad.toml:20: models.prices.input: must be a decimal string`},
		{"overlay bad model", `schema = 1
id = "deal"
kind = "overlay"

[[discounts]]
provider = "openai"
models = ["gpt-99"]
discount = "0.15"
`, `books/bad.toml:7: discounts.models: model "gpt-99": unknown model`},
		{"overlay bad provider", `schema = 1
id = "deal"
kind = "overlay"

[[discounts]]
provider = "nobody"
discount = "0.15"
`, `books/bad.toml:6: discounts.provider: no loaded price book prices provider "nobody"`},
		{"overlay missing discount", `schema = 1
id = "deal"
kind = "overlay"

[[discounts]]
provider = "openai"
`, `books/bad.toml:5: discounts.discount: missing`},
		{"overlay with models", `schema = 1
id = "deal"
kind = "overlay"
[[discounts]]
provider = "openai"
discount = "0.1"
` + strings.SplitN(goodHead, "\n\n", 2)[1], `models: an overlay holds [[discounts]], not [[models]]`},
		{"bad kind", strings.Replace(goodHead, `id = "acme"`, "id = \"acme\"\nkind = \"contract\"", 1),
			`books/bad.toml:3: kind: "contract" is not a kind`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pricing.Load(
				pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."},
				pricing.BookSource{Name: "books", FS: fstest.MapFS{"bad.toml": {Data: []byte(tt.body)}}, Path: "bad.toml"},
			)
			if err == nil {
				t.Fatalf("loaded a malformed book; want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n  %v\nwant it to contain:\n  %s", err, tt.want)
			}
			var be *pricing.BookError
			if !errors.As(err, &be) || be.File != "books/bad.toml" {
				t.Errorf("error is not a BookError naming the file: %#v", err)
			}
		})
	}
}

func TestLoadFileReportsEveryError(t *testing.T) {
	body := strings.Replace(strings.Replace(goodHead, `"1.00"`, `1.0`, 1), `"2.00"`, `"-2"`, 1)
	_, err := pricing.LoadFile("b.toml", []byte(body))
	if err == nil {
		t.Fatal("no error")
	}
	want := "b.toml:11: models.prices.input: must be a decimal string such as \"2.50\", got float 1 : write it in quotes so it stays exact\nb.toml:12: models.prices.output: negative price -2; prices must be zero or more"
	if strings.ReplaceAll(err.Error(), "float 1:", "float 1 :") != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
	info, err := pricing.LoadFile("good.toml", []byte(goodHead))
	if err != nil || info.ID != "acme" || info.Kind != "book" || info.Provider != "acme" {
		t.Errorf("good book: %+v %v", info, err)
	}
}

func TestLoadSources(t *testing.T) {
	if _, err := pricing.Load(pricing.BookSource{Name: "x", FS: fstest.MapFS{"a.txt": {}}, Path: "."}); err == nil || !strings.Contains(err.Error(), "holds no *.toml file") {
		t.Errorf("empty dir: %v", err)
	}
	if _, err := pricing.Load(pricing.BookSource{Name: "x", FS: fstest.MapFS{}, Path: "missing.toml"}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzLoad feeds arbitrary bytes to the book loader: it must return a book or
// an error naming the file, never panic, and a book it accepts must price.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"openai.toml", "anthropic.toml", "google.toml", "deepseek.toml", "vertex.toml", "xai.toml"} {
		data, err := fs.ReadFile(pricebooks.FS, name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(goodHead))
	f.Add([]byte(overlayBook))
	f.Add([]byte(rulesBook))
	f.Add([]byte(goodHead + "    [[models.prices.tiers]]\n    above = 10\n    input = \"2\"\n    output = \"3\"\n  batch = { discount = \"0.5\", cache_stacks = true }\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := pricing.Load(pricing.BookSource{Name: "fuzz", FS: fstest.MapFS{"f.toml": {Data: data}}, Path: "f.toml"})
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz/f.toml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, m := range c.Models() {
			for _, v := range m.Versions {
				at, err := pricing.ParseDate(v)
				if err != nil {
					t.Fatalf("version %q does not parse: %v", v, err)
				}
				for _, mode := range []pricing.Mode{pricing.ModeSync, pricing.ModeBatch, pricing.ModeFlex, pricing.ModePriority} {
					q, err := c.Price(m.Provider, m.ID, at.Add(time.Second), mode, pricing.Usage{Input: 300000, CacheRead: 5, Output: 7})
					if err == nil && q.Total.IsNegative() {
						t.Fatalf("negative total %s", q.Total)
					}
				}
				// A span must agree with Key everywhere inside it
				// (time-of-day windows end spans at their edges).
				res, err := c.Resolve(m.Provider, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, off := range []time.Duration{time.Second, 5 * time.Hour, 29 * time.Hour} {
					sp, err := c.KeySpanResolved(res, at.Add(off))
					if err != nil {
						continue
					}
					for _, ns := range []int64{sp.From, sp.Until - 1} {
						if ns < sp.From || (sp.Until != math.MaxInt64 && ns >= sp.Until) {
							continue
						}
						k, err := c.KeyResolved(res, time.Unix(0, ns), 7)
						if err != nil || k != sp.Tier(7) {
							t.Fatalf("%s at %d: key %+v (%v), span %+v", m.ID, ns, k, err, sp.Tier(7))
						}
					}
				}
			}
		}
	})
}
