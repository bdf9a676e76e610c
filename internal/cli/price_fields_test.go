package cli

import (
	"strconv"
	"testing"

	"github.com/costaudit/costaudit/audit/record"
)

// TestPriceFlagsMatchTable checks the flag form against the record table:
// one flag per billed bucket, which sets that bucket of the usage.
func TestPriceFlagsMatchTable(t *testing.T) {
	want := map[string]string{
		"input_tokens": "input", "cache_read_tokens": "cache-read", "cache_write_5m_tokens": "cache-write-5m",
		"cache_write_1h_tokens": "cache-write-1h", "output_tokens": "output",
	}
	for i, f := range record.BilledFields {
		if got := tokenFlag(f); got != want[f.String()] {
			t.Errorf("tokenFlag(%s) = %q, want %q", f, got, want[f.String()])
		}
		cmd := newPriceCmd(Env{})
		fl := cmd.Flags().Lookup(tokenFlag(f))
		if fl == nil {
			t.Errorf("price has no flag --%s for %s", tokenFlag(f), f)
			continue
		}
		if err := cmd.Flags().Set(tokenFlag(f), strconv.Itoa(100+i)); err != nil {
			t.Fatal(err)
		}
		// The options are bound inside newPriceCmd; read them back through
		// the flag's value.
		if fl.Value.String() != strconv.Itoa(100+i) {
			t.Errorf("--%s = %s after setting %d", tokenFlag(f), fl.Value, 100+i)
		}
	}
	if got := len(usageFlags()); got != len(record.BilledFields)+1 {
		t.Errorf("usageFlags has %d flags, want --requests and %d buckets", got, len(record.BilledFields))
	}
}
