package audit

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/costaudit/costaudit/audit/decode"
)

// fuzzScan scans data in the given format and checks that every item is
// accounted for exactly once.
func fuzzScan(t *testing.T, name, format string, data []byte) {
	in := BytesInput(name, data)
	in.ModTime = modTime
	for _, strict := range []bool{false, true} {
		st, _, err := Scan([]Input{in}, ScanOptions{FormatIn: format, Workers: 2, MaxLineBytes: 4096, Strict: strict, Rejects: &bytes.Buffer{}},
			func() Consumer { return &collector{} })
		if err != nil && !strict {
			// Only whole-file problems are errors when lenient.
			if st.Lines != 0 {
				t.Fatalf("lenient error after %d items: %v", st.Lines, err)
			}
			return
		}
		if st.Lines != st.Records+st.Duplicates+st.Rejected+st.Skipped {
			t.Fatalf("strict=%v: lines %d != %d+%d+%d+%d", strict, st.Lines, st.Records, st.Duplicates, st.Rejected, st.Skipped)
		}
	}
}

func addSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join("testdata", "formats", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		for _, line := range bytes.Split(data, []byte{'\n'}) {
			f.Add(line)
		}
	}
}

func FuzzDecodeCanonical(f *testing.F) {
	f.Add([]byte(canonicalSample))
	for _, l := range bytes.Split([]byte(canonicalSample), []byte{'\n'}) {
		f.Add(l)
	}
	f.Add([]byte(`[{"ts":"2026-05-01T10:00:00Z","model":"m","output_tokens":1},{"a":"]"}]`))
	f.Add([]byte("{\n\"ts\": 1,\n\"model\": \"m\", \"input_tokens\": 1\n}\n{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.jsonl", decode.FormatCanonical, data)
	})
}

func FuzzDecodeCSV(f *testing.F) {
	f.Add([]byte("ts,model,input_tokens,tags,tag.env\n2026-05-01T10:00:00Z,m,5,\"{\"\"a\"\":\"\"b\"\"}\",prod\n1777629600,m,-1,,\n"))
	f.Add([]byte("ts,model\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.csv", decode.FormatCanonicalCSV, data)
	})
}

func FuzzDecodeOpenAI(f *testing.F) {
	f.Add([]byte(`{"id":"chatcmpl-1","object":"chat.completion","created":1760000000,"model":"gpt-4.1","service_tier":"flex","usage":{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":60}}}`))
	f.Add([]byte(`{"ts":"2026-05-01T10:00:00Z","workflow":"w","request":{"stream":true},"response":{"id":"r","object":"response","created_at":1,"model":"gpt-5","usage":{"input_tokens":3,"output_tokens":1}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.jsonl", decode.FormatOpenAI, data)
	})
}

func FuzzDecodeOpenAIBatch(f *testing.F) {
	addSeeds(f, "openai-batch-output.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "batch_x.jsonl", decode.FormatOpenAIBatch, data)
	})
}

func FuzzDecodeAnthropic(f *testing.F) {
	f.Add([]byte(`{"id":"msg_1","type":"message","model":"claude-sonnet-4-5","usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":40,"cache_creation":{"ephemeral_1h_input_tokens":5}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.jsonl", decode.FormatAnthropic, data)
	})
}

func FuzzDecodeAnthropicBatch(f *testing.F) {
	addSeeds(f, "anthropic-batch-results.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "msgbatch_x.jsonl", decode.FormatAnthropicBatch, data)
	})
}

func FuzzDecodeOTel(f *testing.F) {
	addSeeds(f, "otel-spans.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.jsonl", decode.FormatOTel, data)
	})
}

func FuzzDecodeLiteLLM(f *testing.F) {
	addSeeds(f, "litellm-spendlogs.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.json", decode.FormatLiteLLM, data)
	})
}

func FuzzDecodeClaudeCode(f *testing.F) {
	f.Add([]byte(`{"sessionId":"s","type":"assistant","message":{"id":"m","model":"claude-sonnet-4-5","usage":{"input_tokens":4,"cache_creation_input_tokens":5,"output_tokens":3}},"requestId":"r","timestamp":"2026-05-01T10:00:02.000Z"}` + "\n" + `{"type":"user","sessionId":"s"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "projects/p/s.jsonl", decode.FormatClaudeCode, data)
	})
}

// FuzzScanAuto fuzzes layout and format detection together.
func FuzzScanAuto(f *testing.F) {
	addSeeds(f, "openai-batch-output.jsonl", "anthropic-batch-results.jsonl", "otel-spans.jsonl", "litellm-spendlogs.jsonl")
	f.Add([]byte(`[{"ts":"2026-05-01T10:00:00Z","model":"m","output_tokens":1}, 5, "x", {"a":[1,{"b":"]"}]}]`))
	f.Add([]byte("{\n \"ts\": 1,\n \"model\": \"m\",\n \"input_tokens\": 1\n}\n{\n"))
	f.Add(gzipBytes([]byte(canonicalSample)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.json", "", data)
	})
}
