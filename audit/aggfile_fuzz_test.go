package audit

import (
	"os"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/audit/aggregate"
)

// FuzzReadAggFile feeds arbitrary bytes to the aggregate file reader and a
// loader: they must never panic, and every error must name the file.
func FuzzReadAggFile(f *testing.F) {
	f.Add("kind,workflow,requests\nscanned,,3\n")
	f.Add(`{"kind":"row","workflow":"w","provider":"acme","model":"acme-large","mode":"sync","billed":1,"day":"2026-11-02","requests":1,"input_tokens":5,"first_ts_us":1793610000000000,"last_ts_us":1793610000000000}` + "\n")
	f.Add(`{"kind":"evidence","workflow":"w","mode":"stream","ttft_bucket":3,"user_waiting":1,"requests":2,"ttft_sum_ms":700}` + "\n" +
		`{"kind":"arrival","workflow":"w","day":"2026-11-02","bin":54,"requests":2}` + "\n")
	if data, err := os.ReadFile("../internal/cli/testdata/aggregates/canonical.csv"); err == nil {
		f.Add(string(data[:min(len(data), 4000)]))
	}
	cat := testCatalog(f)
	f.Fuzz(func(t *testing.T, in string) {
		ld, err := aggregate.NewLoader(aggregate.New(cat, aggregate.Options{}))
		if err != nil {
			t.Fatal(err)
		}
		err = aggregate.ReadFile("f.agg", strings.NewReader(in), ld.Add)
		if err != nil && !strings.HasPrefix(err.Error(), "read f.agg") {
			t.Fatalf("error %q does not name the file", err)
		}
		if err == nil {
			if _, err := BuildReport(ld.Aggregator(), FileStats(ld.Coverage()), cat, BuildOptions{}); err != nil {
				t.Fatalf("report from a file that read cleanly: %v", err)
			}
		}
	})
}
