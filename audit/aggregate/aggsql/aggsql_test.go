package aggsql

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/costaudit/costaudit/internal/testutil" // registers -update: go test ./... -update runs here too

	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

func TestLongContextThresholds(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	got, err := LongContextThresholds(cat)
	if err != nil {
		t.Fatal(err)
	}
	// Haiku 5.5's prompt-size tier (100K), xAI's "128K or more" and "200K
	// or more" (127999, 199999), Claude Sonnet 4.x and Gemini (200K), OpenAI
	// GPT-5.4 and later (272K).
	want := []int64{100000, 127999, 199999, 200000, 272000}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("embedded books: thresholds %v, want %v", got, want)
	}

	// A user book adds its own thresholds, from every entry.
	book := `schema = 1
id = "acme"
provider = "acme"
[[models]]
id = "m"
  [[models.prices]]
  effective_from = "2026-01-01"
  source = "test"
  input = "1.00"
  output = "2.00"
    [[models.prices.tiers]]
    above = 128000
    input = "2.00"
    output = "4.00"
  [[models.prices]]
  effective_from = "2026-06-01"
  source = "test"
  input = "1.00"
  output = "2.00"
    [[models.prices.tiers]]
    above = 64000
    input = "2.00"
    output = "4.00"
    [[models.prices.tiers]]
    above = 1000000
    input = "3.00"
    output = "6.00"
`
	cat, err = pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."},
		pricing.BookSource{Name: "user", FS: fstest.MapFS{"acme.toml": {Data: []byte(book)}}, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	got, err = LongContextThresholds(cat)
	if err != nil {
		t.Fatal(err)
	}
	want = []int64{64000, 100000, 127999, 128000, 199999, 200000, 272000, 1000000}
	if len(got) != len(want) {
		t.Fatalf("thresholds %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("thresholds %v, want %v", got, want)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	ok := Options{Dialect: "duckdb", Table: "t"}
	cases := []struct {
		mod  func(*Options)
		want string
	}{
		{func(o *Options) { o.Dialect = "mysql" }, `dialect "mysql": unknown (allowed: bigquery, clickhouse, duckdb, postgres)`},
		{func(o *Options) { o.Table = " " }, "table: empty; name the table of canonical records"},
		{func(o *Options) { o.Map = map[string]string{"cost": "x"} }, `map "cost=x": unknown canonical field "cost"`},
		{func(o *Options) { o.TagKeys = []string{"a b"} }, `tag key "a b": use letters, digits and _ . : / -`},
		{func(o *Options) { o.GroupBy = []string{"tag:"} }, `group-by "tag:": unknown key`},
		{func(o *Options) { o.TZ = "Europe/Paris'; DROP" }, `time zone "Europe/Paris'; DROP": want an IANA name`},
		{func(o *Options) { o.RejectColumn = "a-b" }, `reject column "a-b": want a column name`},
		{func(o *Options) { o.MicrosColumn = "1x" }, `micros column "1x": want a column name`},
	}
	for _, c := range cases {
		o := ok
		c.mod(&o)
		if _, err := Generate(o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", o, err, c.want)
		}
	}
	if _, err := Generate(ok); err != nil {
		t.Errorf("valid options: %v", err)
	}
}

// TestGenerateWindow checks the pieces a time window, a time zone and
// group-by keys add, in every dialect: the window bounds in microseconds,
// the filtered count, local days for rows and UTC days for arrivals, and
// the group values.
func TestGenerateWindow(t *testing.T) {
	since := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range Dialects {
		q, err := Generate(Options{Dialect: d, Table: "t", TZ: "Europe/Paris", Since: since, Until: until, GroupBy: []string{"team", "tag:env"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"us >= 1793491200000000 AND us < 1796083200000000",
			"'filtered' AS kind",
			"FROM ca_rec WHERE in_window = 0",
			"Europe/Paris",
			"AS utc_day",
			"utc_day AS day",
			"AS group_values",
			"'env=', tag_0",
		} {
			if !strings.Contains(q, want) {
				t.Errorf("%s: query lacks %q", d, want)
			}
		}
	}
}
