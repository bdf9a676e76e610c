package decode

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzSkimCanonical checks that the canonical skimmer agrees with
// encoding/json on every line it accepts. (FuzzDecodeCanonical in package
// audit fuzzes the whole scan of canonical input.)
func FuzzSkimCanonical(f *testing.F) {
	sample := `{"ts":"2026-05-01T10:00:00Z","request_id":"r1","provider":"OpenAI","model":"gpt-4.1","input_tokens":1000,"ttft_ms":650.4,"logged_cost_usd":0.004125,"team":"cs","tags":{"env":"prod","n":3}}
{"ts":"2026-05-01T10:00:01Z","request_id":"r2","provider":"OpenAI","model":"gpt-4.1","input_tokens":7,"ttft_ms":65,"team":"cs","tags":{"env":"prod","n":3}}
{"ts":"2026-05-01T10:00:02Z","model":"m\u00e9","output_tokens":1,"x":[1,{"a":"]"}]}`
	f.Add([]byte(sample))
	for _, l := range bytes.Split([]byte(sample), []byte{'\n'}) {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// One skimmer for all lines: it remembers the previous lines'
		// layout, which is what most needs checking.
		var sk skimmer
		for _, line := range bytes.Split(data, []byte{'\n'}) {
			var vals [cfCount][]byte
			if !sk.skim(line, &vals) {
				continue
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatalf("skimmer accepted what encoding/json rejects (%v): %q", err, line)
			}
			for fi, name := range canonicalFields {
				got, want := vals[fi], m[name]
				if !bytes.Equal(got, []byte(want)) {
					t.Fatalf("field %s: skimmer %q, encoding/json %q in %q", name, got, want, line)
				}
			}
		}
	})
}
