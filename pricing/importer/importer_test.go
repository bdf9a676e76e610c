package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/costaudit/costaudit/internal/testutil" // registers -update: go test ./... -update runs here too

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/pricing"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// catalogOf loads the books of an import, and nothing else.
func catalogOf(t *testing.T, res *Result) *pricing.Catalog {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, b := range res.Books {
		fsys[b.File] = &fstest.MapFile{Data: b.TOML}
	}
	c, err := pricing.Load(pricing.BookSource{Name: "import", FS: fsys, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func omitted(res *Result, rule string) []string {
	for _, o := range res.Omitted {
		if strings.HasPrefix(o.Rule, rule) {
			return o.Models
		}
	}
	return nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestGenAIPricesOracle prices every non-batch row of the oracle fixture
// (made with genai-prices 0.1.8) with books imported from the same
// genai-prices data, and nothing else: the costs must match exactly.
// Batch rows must say that the books have no batch rule.
func TestGenAIPricesOracle(t *testing.T) {
	res, err := Import(GenAIPrices, readTestdata(t, "genai-prices-0.1.8.json"), Options{FileName: "genai-prices-0.1.8.json", Date: "2026-09-23"})
	if err != nil {
		t.Fatal(err)
	}
	c := catalogOf(t, res)
	f, err := os.Open(filepath.Join("testdata", "oracle-prices.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var n, priced, batch int
	for sc.Scan() {
		n++
		var r struct {
			TS       time.Time `json:"ts"`
			Provider string    `json:"provider"`
			Model    string    `json:"model"`
			Mode     string    `json:"mode"`
			In       int64     `json:"input_tokens"`
			CR       int64     `json:"cache_read_tokens"`
			CW5      int64     `json:"cache_write_5m_tokens"`
			CW1      int64     `json:"cache_write_1h_tokens"`
			Out      int64     `json:"output_tokens"`
			Want     string    `json:"expected_cost_usd"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("oracle line %d: %v", n, err)
		}
		u := pricing.Usage{Requests: 1, Input: r.In, CacheRead: r.CR, CacheWrite5m: r.CW5, CacheWrite1h: r.CW1, Output: r.Out}
		q, err := c.Price(r.Provider, r.Model, r.TS, pricing.Mode(r.Mode), u)
		if r.Mode == "batch" {
			batch++
			if !errors.Is(err, pricing.ErrNoBatch) {
				t.Errorf("line %d %s/%s batch: err = %v, want ErrNoBatch (genai-prices has no batch prices)", n, r.Provider, r.Model, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("line %d %s/%s: %v", n, r.Provider, r.Model, err)
			continue
		}
		want := decimal.RequireFromString(r.Want)
		if !q.Total.Equal(want) {
			t.Errorf("line %d %s/%s %s %s: cost %s, want %s (book %s, from %s, tier %s)", n, r.Provider, r.Model, r.TS.Format("2006-01-02"), r.Mode, q.Total, want, q.Book, q.EffectiveFrom, q.Tier)
		}
		priced++
	}
	if n != 80 || priced+batch != 80 || priced < 60 {
		t.Errorf("read %d oracle rows: %d priced, %d batch", n, priced, batch)
	}
	t.Logf("%d oracle rows priced exactly, %d batch rows refused", priced, batch)
}

func TestGenAIPricesBooks(t *testing.T) {
	res, err := Import(GenAIPrices, readTestdata(t, "genai-prices-0.1.8.json"), Options{FileName: "genai-prices-0.1.8.json", Date: "2026-09-23", Providers: []string{"openai", "anthropic"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Books) != 2 || res.Books[0].ID != "genai-prices-anthropic" || res.Books[1].ID != "genai-prices-openai" {
		t.Fatalf("books: %+v", res.Books)
	}
	c := catalogOf(t, res)
	// o3's history is kept: $10/$40 before 2025-06-10, $2/$8 from then.
	for _, tt := range []struct {
		day, want string
	}{{"2025-06-09", "50"}, {"2025-06-10", "10"}} {
		d, _ := time.Parse("2006-01-02", tt.day)
		q, err := c.Price("openai", "o3-2025-04-16", d, pricing.ModeSync, pricing.Usage{Requests: 1, Input: 1_000_000, Output: 1_000_000})
		if err != nil {
			t.Fatal(err)
		}
		if q.Total.String() != tt.want {
			t.Errorf("o3 on %s: %s, want %s", tt.day, q.Total, tt.want)
		}
	}
	// Long-context tiers: claude-sonnet-4-5 above 200K input re-prices the
	// whole request.
	q, err := c.Price("anthropic", "claude-sonnet-4-5-20250929", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), pricing.ModeSync, pricing.Usage{Requests: 1, Input: 200_001, Output: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if q.Total.String() != "1.222506" || q.Tier != ">200K" {
		t.Errorf("sonnet 4.5 at 200,001 input: %s tier %s, want 1.222506 (6 × 0.200001 + 22.5 × 0.001) at >200K", q.Total, q.Tier)
	}
	// Undated prices are flagged; history entries are not.
	if len(res.Undated) != 1 || !contains(res.Undated[0].Models, "openai/gpt-4o") {
		t.Errorf("undated: %+v", res.Undated)
	}
	if !strings.Contains(string(res.Books[1].TOML), `effective_from = "2025-06-10"`) {
		t.Error("o3's dated price change is missing from the book")
	}
	// What the source cannot say is listed.
	if !contains(omitted(res, "batch: genai-prices has no batch prices"), "openai/gpt-4o") {
		t.Error("missing batch is not listed for openai/gpt-4o")
	}
	if !contains(omitted(res, "genai-prices price web_searches_kcount"), "openai/gpt-4o") {
		t.Error("web search price left out without a listing")
	}
	// Same bytes twice.
	again, err := Import(GenAIPrices, readTestdata(t, "genai-prices-0.1.8.json"), Options{FileName: "genai-prices-0.1.8.json", Date: "2026-09-23", Providers: []string{"anthropic", "openai"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range res.Books {
		if !bytes.Equal(res.Books[i].TOML, again.Books[i].TOML) {
			t.Errorf("book %s differs between two imports", res.Books[i].ID)
		}
	}
}

func TestLiteLLMImport(t *testing.T) {
	res, err := Import(LiteLLM, readTestdata(t, "litellm-model-prices-2026-08-01.json"), Options{FileName: "litellm-model-prices-2026-08-01.json", Date: "2026-08-01"})
	if err != nil {
		t.Fatal(err)
	}
	c := catalogOf(t, res)
	day := time.Date(2026, 8, 2, 0, 0, 0, 0, time.UTC)
	million := pricing.Usage{Requests: 1, Input: 1_000_000, CacheRead: 1_000_000, Output: 1_000_000}
	tests := []struct {
		provider, model string
		mode            pricing.Mode
		u               pricing.Usage
		want            string
	}{
		// 2.5e-06 + 1.25e-06 + 1e-05 per token, exactly.
		{"openai", "gpt-4o", pricing.ModeSync, million, "13.75"},
		// batch 1.25e-06 / 5e-06: a 50% discount on input and output; cache reads keep their price.
		{"openai", "gpt-4o", pricing.ModeBatch, million, "7.5"},
		{"openai", "gpt-4o", pricing.ModePriority, million, "23.375"},
		{"openai", "gpt-5", pricing.ModeFlex, million, "5.6875"},
		// DeepSeek: 2.8e-07 / 2.8e-08 / 4.2e-07.
		{"deepseek", "deepseek-chat", pricing.ModeSync, million, "0.728"},
		// gemini/ prefix stripped, provider gemini → google.
		{"google", "gemini-2.5-pro", pricing.ModeSync, pricing.Usage{Requests: 1, Input: 300_000, Output: 1000}, "0.765"},
		{"anthropic", "claude-sonnet-4-5", pricing.ModeSync, pricing.Usage{Requests: 1, Input: 1000, CacheWrite1h: 1000, Output: 1000}, "0.024"},
	}
	for _, tt := range tests {
		q, err := c.Price(tt.provider, tt.model, day, tt.mode, tt.u)
		if err != nil {
			t.Errorf("%s/%s %s: %v", tt.provider, tt.model, tt.mode, err)
			continue
		}
		if q.Total.String() != tt.want {
			t.Errorf("%s/%s %s: %s, want %s (%+v)", tt.provider, tt.model, tt.mode, q.Total, tt.want, q.Items)
		}
	}
	// Undated: nothing before the file's date.
	if _, err := c.Price("openai", "gpt-4o", time.Date(2026, 7, 31, 0, 0, 0, 0, time.UTC), pricing.ModeSync, million); err == nil {
		t.Error("a LiteLLM price applied before the file's date")
	}
	if len(res.Undated) != 1 || !strings.Contains(res.Undated[0].Rule, "2026-08-01") || !contains(res.Undated[0].Models, "openai/gpt-4o") {
		t.Errorf("undated: %+v", res.Undated)
	}
	for _, rule := range []string{
		"batch: LiteLLM gives no batch price",
		"batch cache prices: LiteLLM gives batch input and output only",
		"litellm mode image_generation",
		"litellm search_context_cost_per_query",
	} {
		if len(omitted(res, rule)) == 0 {
			t.Errorf("nothing listed for %q", rule)
		}
	}
	if !contains(omitted(res, "batch: LiteLLM gives no batch price"), "openai/gpt-5") {
		t.Error("gpt-5 has no LiteLLM batch price but is not listed")
	}
	var providers []string
	for _, b := range res.Books {
		providers = append(providers, b.Provider)
	}
	t.Logf("%d books (%s), %d omission rules, %d artefacts", len(res.Books), strings.Join(providers[:5], ", ")+", …", len(res.Omitted), len(res.Artefacts))
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		name string
		src  Source
		data string
		o    Options
		want string
	}{
		{"litellm without date", LiteLLM, `{}`, Options{}, "the file's date is needed"},
		{"bad date", LiteLLM, `{}`, Options{Date: "2026-13-01"}, `date "2026-13-01"`},
		{"litellm not an object", LiteLLM, `[1]`, Options{Date: "2026-08-01"}, "read litellm prices"},
		{"litellm nothing usable", LiteLLM, `{"x": {"litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 1e-07}}`, Options{Date: "2026-08-01"}, "no model with per-token prices"},
		{"litellm string price", LiteLLM, `{"m": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": "1e-06", "output_cost_per_token": 1e-06}}`, Options{Date: "2026-08-01"}, "input_cost_per_token"},
		{"litellm negative", LiteLLM, `{"m": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": -1e-06, "output_cost_per_token": 1e-06}}`, Options{Date: "2026-08-01"}, "negative price"},
		{"genai not an array", GenAIPrices, `{}`, Options{}, "want the JSON array of providers"},
		{"genai bad start date", GenAIPrices, `[{"id":"openai","models":[{"id":"m","match":{"equals":"m"},"prices":[{"prices":{"input_mtok":1,"output_mtok":2}},{"constraint":{"type":"start_date","start_date":"soon"},"prices":{"input_mtok":1,"output_mtok":2}}]}]}]`, Options{}, `start_date: "soon" is not a date`},
		{"unknown source", Source("helicone"), `{}`, Options{}, "unknown source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import(tt.src, []byte(tt.data), tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestExactConversion checks per-token floats become per-million decimals
// through their decimal text, never through float64.
func TestExactConversion(t *testing.T) {
	data := `{"m": {"litellm_provider": "openai", "mode": "chat",
		"input_cost_per_token": 1.1000000000000001e-06, "output_cost_per_token": 3.3e-07,
		"cache_read_input_token_cost": 7.5e-08, "input_cost_per_token_above_128k_tokens": 2.2e-06}}`
	res, err := Import(LiteLLM, []byte(data), Options{Date: "2026-08-01"})
	if err != nil {
		t.Fatal(err)
	}
	toml := string(res.Books[0].TOML)
	for _, want := range []string{`input = "1.1000000000000001"`, `output = "0.33"`, `cache_read = "0.075"`, "above = 128000", `input = "2.2"`} {
		if !strings.Contains(toml, want) {
			t.Errorf("book lacks %s:\n%s", want, toml)
		}
	}
	if len(res.Artefacts) != 1 || !strings.Contains(res.Artefacts[0], "1.1000000000000001") {
		t.Errorf("artefacts: %v", res.Artefacts)
	}
	// The tier keeps the standard output and cache-read prices LiteLLM does not tier.
	i := strings.Index(toml, "[[models.prices.tiers]]")
	if i < 0 || !strings.Contains(toml[i:], `output = "0.33"`) || !strings.Contains(toml[i:], `cache_read = "0.075"`) {
		t.Errorf("tier lacks the untiered prices:\n%s", toml)
	}
}

// TestGenAIPricesConstraintsWithoutType imports price sets shaped like the
// repository's prices/data.json (pydantic/genai-prices @47df840a), whose
// constraints carry no "type": a start date keeps its dated entry, and a
// time of day becomes a window (here past midnight, as DeepSeek's 2025
// off-peak hours) that applies to the dated sets listed before it only.
func TestGenAIPricesConstraintsWithoutType(t *testing.T) {
	data := `[{"id":"deepseek","name":"Deepseek","pricing_urls":["https://api-docs.deepseek.com/quick_start/pricing"],"models":[
	 {"id":"chat","match":{"equals":"chat"},"prices":[
	   {"prices":{"input_mtok":0.135,"output_mtok":0.55}},
	   {"constraint":{"start_time":"00:30:00Z","end_time":"16:30:00Z"},"prices":{"input_mtok":0.27,"output_mtok":1.1}},
	   {"constraint":{"start_date":"2025-09-05"},"prices":{"input_mtok":0.56,"output_mtok":1.68}}]},
	 {"id":"odd","match":{"equals":"odd"},"prices":[
	   {"prices":{"input_mtok":1,"output_mtok":1}},
	   {"constraint":{"start_time":"00:30:30Z","end_time":"16:30:00Z"},"prices":{"input_mtok":2,"output_mtok":2}}]}]}]`
	res, err := Import(GenAIPrices, []byte(data), Options{FileName: "data.json", Date: "2026-08-21"})
	if err != nil {
		t.Fatal(err)
	}
	c := catalogOf(t, res)
	u := pricing.Usage{Input: 1_000_000}
	for _, tt := range []struct{ at, band, total string }{
		{"2025-07-01T00:29:59Z", "standard", "0.135"},
		{"2025-07-01T00:30:00Z", "window-1", "0.27"},
		{"2025-07-01T16:29:59Z", "window-1", "0.27"},
		{"2025-07-01T16:30:00Z", "standard", "0.135"},
		// The dated set is listed after the window: genai-prices tries it
		// first, so from its date on the window no longer applies.
		{"2025-09-05T12:00:00Z", "standard", "0.56"},
	} {
		q, err := c.Price("deepseek", "chat", mustTime(t, tt.at), pricing.ModeSync, u)
		if err != nil {
			t.Fatalf("%s: %v", tt.at, err)
		}
		if q.Tier != tt.band || q.Total.String() != tt.total {
			t.Errorf("%s: band %q total %s, want %q %s", tt.at, q.Tier, q.Total, tt.band, tt.total)
		}
	}
	if !contains(omitted(res, "genai-prices time-of-day constraint 00:30:30Z-16:30:00Z"), "deepseek/odd") {
		t.Errorf("a window with seconds was not listed as left out: %+v", res.Omitted)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
