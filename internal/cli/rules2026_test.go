package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestAnalyzeDeepSeekPeakHours runs analyze over DeepSeek V4.1 Flash
// requests in and out of the peak windows, out of time order, and checks
// the total against the hand-worked sum: the aggregator's cached price
// spans must end at the window edges. 2026-11-02 is a Monday, 2026-11-07 a
// Saturday.
func TestAnalyzeDeepSeekPeakHours(t *testing.T) {
	lines := []string{
		// peak: 1M input at 0.30 + 1M output at 1.20
		`{"ts":"2026-11-02T02:00:00Z","provider":"deepseek","model":"deepseek-flash","workflow":"w","input_tokens":1000000,"output_tokens":1000000}`,
		// off-peak at 04:00 sharp: 0.15 + 0.60
		`{"ts":"2026-11-02T04:00:00Z","provider":"deepseek","model":"deepseek-flash","workflow":"w","input_tokens":1000000,"output_tokens":1000000}`,
		// peak again just before the edge: 0.30 + 1.20
		`{"ts":"2026-11-02T03:59:59Z","provider":"deepseek","model":"deepseek-flash","workflow":"w","input_tokens":1000000,"output_tokens":1000000}`,
		// Saturday inside the peak hours is off-peak: 0.15 + 0.60
		`{"ts":"2026-11-07T02:00:00Z","provider":"deepseek","model":"deepseek-flash","workflow":"w","input_tokens":1000000,"output_tokens":1000000}`,
		// second weekday window: 0.30 + 1.20
		`{"ts":"2026-11-02T09:59:59Z","provider":"deepseek","model":"deepseek-flash","workflow":"w","input_tokens":1000000,"output_tokens":1000000}`,
	}
	out, stderr, code := runCLI(t, strings.Join(lines, "\n")+"\n", "analyze", "-", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Totals struct {
			Requests int64  `json:"requests"`
			Cost     string `json:"cost_usd"`
		} `json:"totals"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// 3 × 1.50 + 2 × 0.75
	if rep.Totals.Requests != 5 || rep.Totals.Cost != "6" {
		t.Errorf("totals: %d requests, $%s; want 5 requests, $6", rep.Totals.Requests, rep.Totals.Cost)
	}
}

// TestAnalyzeModifier checks that --modifier reaches analyze's pricing:
// one Claude Opus 5 request priced with US-only residency (1.1x).
func TestAnalyzeModifier(t *testing.T) {
	in := `{"ts":"2026-11-02T02:00:00Z","provider":"anthropic","model":"claude-opus-5","workflow":"w","input_tokens":1000000,"output_tokens":100000}` + "\n"
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "7.5"}, // 5 + 2.5
		{[]string{"--modifier", "us-only"}, "8.25"}, // × 1.1
	} {
		out, stderr, code := runCLI(t, in, append([]string{"analyze", "-", "--format", "json"}, tt.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tt.args, code, stderr)
		}
		var rep struct {
			Totals struct {
				Cost string `json:"cost_usd"`
			} `json:"totals"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Totals.Cost != tt.want {
			t.Errorf("%v: cost $%s, want $%s", tt.args, rep.Totals.Cost, tt.want)
		}
	}
}
