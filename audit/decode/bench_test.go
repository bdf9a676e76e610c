package decode

import (
	"bytes"
	"fmt"
	"regexp"
	"testing"
)

// canonicalBenchLog returns about size bytes of ~450-byte canonical lines,
// every one with a distinct request id (as the scan benchmarks of package
// audit do).
func canonicalBenchLog(size int) []byte {
	var b bytes.Buffer
	models := []string{"claude-sonnet-4-5-20250929", "gpt-4.1-2025-04-14", "gpt-4o-mini", "claude-haiku-4-5"}
	flows := []string{"support-triage", "nightly-digest", "chat-ui", "invoice-extract", "search-rerank"}
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `{"ts":"2026-05-%02dT%02d:%02d:%02d.%03dZ","request_id":"req_01HZX%012d","provider":"anthropic","model":"%s","workflow":"%s","source":"webhook","mode":"sync","user_waiting":true,"input_tokens":%d,"cache_read_tokens":%d,"cache_write_5m_tokens":0,"cache_write_1h_tokens":0,"output_tokens":%d,"reasoning_tokens":0,"latency_ms":%d,"ttft_ms":%d,"status":"ok","max_tokens":1024,"team":"support","tags":{"env":"prod","region":"eu-west-1"}}`+"\n",
			1+i%28, i%24, i%60, (i/60)%60, i%1000, i, models[i%len(models)], flows[i%len(flows)], 1000+i%5000, i%7*1024, 100+i%900, 500+i%4000, 100+i%700)
	}
	return b.Bytes()
}

// BenchmarkSkimCanonical measures the canonical skimmer alone.
func BenchmarkSkimCanonical(b *testing.B) {
	data := canonicalBenchLog(1 << 20)
	lines := bytes.Split(bytes.TrimSpace(data), []byte{'\n'})
	b.SetBytes(int64(len(data) / len(lines)))
	var vals [cfCount][]byte
	var sk skimmer
	for i := 0; i < b.N; i++ {
		if !sk.skim(lines[i%len(lines)], &vals) {
			b.Fatal("skim refused a canonical line")
		}
	}
}

// BenchmarkSkimCanonicalMixed measures the skimmer on lines that, like
// those of costaudit gen, differ in which optional members they carry.
func BenchmarkSkimCanonicalMixed(b *testing.B) {
	data := canonicalBenchLog(1 << 20)
	lines := bytes.Split(bytes.TrimSpace(data), []byte{'\n'})
	latency := regexp.MustCompile(`"latency_ms":\d+,"ttft_ms":\d+,`)
	for i, l := range lines {
		if i%3 == 0 {
			l = latency.ReplaceAll(l, nil)
		}
		if i%5 == 0 {
			l = bytes.Replace(l, []byte(`"team":`), []byte(`"logged_cost_usd":"0.00125","team":`), 1)
		}
		lines[i] = l
	}
	b.SetBytes(int64(len(data) / len(lines)))
	var vals [cfCount][]byte
	var sk skimmer
	for i := 0; i < b.N; i++ {
		if !sk.skim(lines[i%len(lines)], &vals) {
			b.Fatal("skim refused a canonical line")
		}
	}
}

// BenchmarkBuildCanonical measures turning skimmed values into a record.
func BenchmarkBuildCanonical(b *testing.B) {
	data := canonicalBenchLog(1 << 20)
	lines := bytes.Split(bytes.TrimSpace(data), []byte{'\n'})
	w := NewState(&testSink{}, "")
	w.BeginChunk(&File{Name: "bench"}, 0)
	vals := make([][cfCount][]byte, len(lines))
	nums := make([][cfCount]int64, len(lines))
	masks := make([]uint32, len(lines))
	var sk skimmer
	for i, l := range lines {
		sk.skim(l, &vals[i])
		nums[i], masks[i] = sk.nums, sk.num
	}
	b.SetBytes(int64(len(data) / len(lines)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i % len(vals)
		w.numMask, w.nums = masks[j], &nums[j]
		if buildCanonical(w, &vals[j], nil) == nil {
			b.Fatal("rejected")
		}
	}
}
