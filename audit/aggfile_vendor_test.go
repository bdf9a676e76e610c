package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// TestUsageExports reads the providers' usage API examples as aggregate
// files and checks each row's key and buckets, then prices them through
// the loader and the embedded books.
func TestUsageExports(t *testing.T) {
	cases := []struct {
		file string
		want []string
	}{
		// OpenAI input_tokens include the cached: 1000 − 800, 5000 − 4000.
		// The ungrouped bucket has no model (unpriced, with its reason).
		{"openai-usage-completions.json", []string{
			"row|organization|openai||sync|2024-11-01|above=0|req=5 in=200 cr=800 w5=0 w1=0 out=500|2024-11-01T00:00:00Z..2024-11-01T23:59:59.999999Z",
			"row|proj_abc|openai|gpt-4o-mini-2024-07-18|sync|2024-11-02|above=0|req=5 in=1000 cr=4000 w5=0 w1=0 out=1000|2024-11-02T00:00:00Z..2024-11-02T23:59:59.999999Z",
		}},
		// Anthropic buckets map one to one; the report counts no requests.
		{"anthropic-usage-report.json", []string{
			"row|wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ|anthropic|claude-sonnet-4-20250514|sync|2025-08-01|above=0|req=0 in=1500 cr=200 w5=500 w1=1000 out=500|2025-08-01T00:00:00Z..2025-08-01T23:59:59.999999Z",
		}},
	}
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "vendor", tc.file)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path + ".SOURCE"); err != nil {
				t.Errorf("no SOURCE note: %v", err)
			}
			var got []string
			err = aggregate.ReadFile(tc.file, strings.NewReader(string(b)), func(r *aggregate.FileRecord) error {
				got = append(got, fmt.Sprintf("%s|%s|%s|%s|%s|%s|above=%d|req=%d in=%d cr=%d w5=%d w1=%d out=%d|%s..%s",
					r.Kind, r.Workflow, r.Provider, r.Model, r.Mode, r.Day, r.InputAbove, r.Requests,
					r.InputTokens, r.CacheReadTokens, r.CacheWrite5mTokens, r.CacheWrite1hTokens, r.OutputTokens,
					usTime(r.FirstTSUS), usTime(r.LastTSUS)))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			ld, err := aggregate.NewLoader(aggregate.New(cat, aggregate.Options{}))
			if err != nil {
				t.Fatal(err)
			}
			if err := aggregate.ReadFile(tc.file, strings.NewReader(string(b)), ld.Add); err != nil {
				t.Fatalf("load: %v", err)
			}
			rep, err := BuildReport(ld.Aggregator(), FileStats(ld.Coverage()), cat, BuildOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Totals.CostUSD.IsZero() {
				t.Errorf("nothing priced: coverage %+v, notes %v", rep.Coverage, rep.Notes)
			}
		})
	}
}

func usTime(us int64) string {
	return time.UnixMicro(us).UTC().Format("2006-01-02T15:04:05.999999Z07:00")
}

// TestUsageExportErrors checks that a bad value names the page, bucket,
// result and field, and that other result kinds are counted as rejected.
func TestUsageExportErrors(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{`{"object":"page","data":[{"object":"bucket","start_time":1730419200,"end_time":1730505600,"results":[{"object":"organization.usage.completions.result","input_tokens":10,"input_cached_tokens":11,"output_tokens":1,"num_model_requests":1,"model":"gpt-4o"}]}]}`,
			"read u.json: page 1 data[0].results[0].input_tokens: 10 is less than the cached and written input tokens 11"},
		{`{"object":"page","data":[{"object":"bucket","start_time":1730419200,"results":[{"object":"organization.usage.completions.result","input_tokens":-4,"num_model_requests":1}]}]}`,
			"read u.json: page 1 data[0].results[0].input_tokens: negative value -4"},
		{`{"data":[{"starting_at":"2025-08-01T00:00:00Z","ending_at":"2025-08-02T00:00:00Z","results":[{"uncached_input_tokens":1,"output_tokens":1,"model":"claude-sonnet-4-5","context_window":"1M-2M"}]}]}`,
			`read u.json: page 1 data[0].results[0].context_window: "1M-2M": unknown (want 0-200k or 200k-1M)`},
	} {
		err := aggregate.ReadFile("u.json", strings.NewReader(tc.data), func(*aggregate.FileRecord) error { return nil })
		if err == nil || err.Error() != tc.want {
			t.Errorf("error %v\nwant  %s", err, tc.want)
		}
	}
	var kinds []string
	data := `{"object":"page","data":[{"object":"bucket","start_time":1730419200,"results":[{"object":"organization.usage.embeddings.result","input_tokens":16,"num_model_requests":2,"model":"text-embedding-3-small"}]}]}
{"object":"page","data":[{"object":"bucket","start_time":1730505600,"results":[{"object":"organization.usage.completions.result","input_tokens":9,"output_tokens":1,"num_model_requests":1,"model":"gpt-4o","batch":true}]}]}`
	if err := aggregate.ReadFile("u.json", strings.NewReader(data), func(r *aggregate.FileRecord) error {
		kinds = append(kinds, fmt.Sprintf("%s %s %s %d", r.Kind, r.Mode, r.Reason, r.Requests))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"rejected  usage export result organization.usage.embeddings.result (only completions are read) 2", "row batch  1"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("records %q, want %q", kinds, want)
	}
}

// FuzzReadUsageExport checks that a usage export either reads or fails
// with an error naming the file, never panics.
func FuzzReadUsageExport(f *testing.F) {
	for _, name := range []string{"openai-usage-completions.json", "anthropic-usage-report.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "vendor", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := aggregate.ReadFile("u.json", strings.NewReader(string(data)), func(r *aggregate.FileRecord) error {
			if r.Requests < 0 || r.InputTokens < 0 || r.CacheReadTokens < 0 || r.OutputTokens < 0 {
				t.Fatalf("negative count in %+v", r)
			}
			return nil
		})
		if err != nil && !strings.HasPrefix(err.Error(), "read u.json") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
