package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPriceAcceptsWhatAnalyzeAccepts feeds the same lines to `price` and
// to `analyze`: a line analyze rejects gets the same rejection message as
// price's "error", and a line analyze keeps is priced (or not priced for a
// pricing reason, never rejected) by price.
func TestPriceAcceptsWhatAnalyzeAccepts(t *testing.T) {
	tests := []struct {
		name, line string
		reject     string // analyze's rejection reason; "" = a record
	}{
		{"numeric ts", `{"ts":1777629600,"model":"gpt-4o","input_tokens":10}`, ""},
		{"float integer", `{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","input_tokens":1500.0}`, ""},
		{"quoted integer", `{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","input_tokens":"12"}`, ""},
		{"bom", "\xef\xbb\xbf" + `{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","input_tokens":10}`, ""},
		{"max int64 tokens", `{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","input_tokens":9223372036854775807}`, "token count too large"},
		{"max_tokens -1", `{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","output_tokens":10,"max_tokens":-1}`, ""},
		{"weird status", `{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","output_tokens":10,"status":"weird"}`, "bad value"},
		{"year 9999", `{"ts":"9999-01-01T00:00:00Z","model":"gpt-4o","output_tokens":10}`, "timestamp out of range"},
		{"space for T", `{"ts":"2026-05-01 10:00:00","model":"gpt-4o","output_tokens":10}`, ""},
		{"mode later", `{"ts":"2026-05-01T10:00:00Z","model":"gpt-4o","output_tokens":10,"mode":"later"}`, "bad value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCLI(t, tt.line+"\n", "analyze", "--format", "json", "-")
			if code != 0 {
				t.Fatalf("analyze: exit %d: %s", code, stderr)
			}
			var rep struct {
				Coverage struct {
					Records          int64            `json:"records"`
					RejectedByReason map[string]int64 `json:"rejected_by_reason"`
				} `json:"coverage"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			pout, pstderr, pcode := runCLI(t, tt.line+"\n", "price")
			if pcode != 0 {
				t.Fatalf("price: exit %d: %s", pcode, pstderr)
			}
			var priced map[string]any
			if err := json.Unmarshal([]byte(pout), &priced); err != nil {
				t.Fatalf("price output %q: %v", pout, err)
			}
			perr, _ := priced["error"].(string)
			if tt.reject == "" {
				if rep.Coverage.Records != 1 || perr != "" || priced["cost_usd"] == nil {
					t.Errorf("analyze records %d (rejected %v); price %v", rep.Coverage.Records, rep.Coverage.RejectedByReason, priced)
				}
				return
			}
			if rep.Coverage.RejectedByReason[tt.reject] != 1 {
				t.Errorf("analyze rejected %v, want %q", rep.Coverage.RejectedByReason, tt.reject)
			}
			if !strings.HasPrefix(perr, "read stdin:1: ") || !strings.Contains(perr, strings.Fields(tt.reject)[0]) {
				t.Errorf("price error %q, want the analyze rejection (%s)", perr, tt.reject)
			}
		})
	}
}
