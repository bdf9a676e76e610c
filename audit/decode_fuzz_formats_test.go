package audit

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/costaudit/costaudit/audit/decode"
)

// addVendorSeeds seeds f with the samples of testdata/vendor, whole and
// line by line.
func addVendorSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join("testdata", "vendor", filepath.FromSlash(name)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		for _, line := range bytes.Split(data, []byte{'\n'}) {
			f.Add(line)
		}
	}
}

func FuzzDecodeGemini(f *testing.F) {
	addVendorSeeds(f, "gemini-generate-content.jsonl", "vertex-stream-generate-content.json")
	f.Add([]byte(`{"status":"","processed_time":"2026-05-02T03:00:00.000+00:00","request":{},"response":{"responseId":"g2","modelVersion":"m","candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":40,"cachedContentTokenCount":41}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.json", decode.FormatGemini, data)
	})
}

func FuzzDecodeBedrock(f *testing.F) {
	addVendorSeeds(f, "bedrock-invocation-log.jsonl", "bedrock-converse.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.jsonl", decode.FormatBedrock, data)
	})
}

func FuzzDecodeCodex(f *testing.F) {
	addVendorSeeds(f, "codex-sessions/session-alpha.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "rollout-x.jsonl", decode.FormatCodex, data)
	})
}

func FuzzDecodeLangfuse(f *testing.F) {
	addVendorSeeds(f, "langfuse-observations.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.json", decode.FormatLangfuse, data)
	})
}

// FuzzDecodeStreams fuzzes the stream-event paths of the Anthropic and
// OpenAI decoders, whose state spans lines.
func FuzzDecodeStreams(f *testing.F) {
	addVendorSeeds(f, "anthropic-stream-events.jsonl", "openai-responses-stream-events.jsonl", "openai-chat-stream-no-usage.jsonl", "anthropic-compaction-iterations.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzScan(t, "f.jsonl", "", data)
	})
}
