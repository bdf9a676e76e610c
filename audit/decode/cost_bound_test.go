package decode

import "testing"

// TestLoggedCostBound checks the magnitude bound of logged_cost_usd: 1e400
// and other costs of a million dollars or more per record, and costs below
// 1e-30, are not decimals a record may carry.
func TestLoggedCostBound(t *testing.T) {
	for _, tc := range []struct {
		v  string
		ok bool
	}{
		{"0", true}, {"0.0", true}, {"-0", true}, {"0e99999", true}, {"0.00125", true}, {`"0.00125"`, true},
		{"999999.99", true}, {"-999999", true}, {"1.2e-05", true}, {"9.99e5", true}, {"1e-30", true},
		{"1000000", false}, {"1e6", false}, {"1e400", false}, {"-1e400", false}, {`"1e400"`, false},
		{"1e99999", false}, {"1e-31", false}, {"0.1e-30", false}, {"12345678901234567890", false},
	} {
		if _, got := decimalText([]byte(tc.v)); got != tc.ok {
			t.Errorf("decimalText(%s) ok = %v, want %v", tc.v, got, tc.ok)
		}
	}
}
