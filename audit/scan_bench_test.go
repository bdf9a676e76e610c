package audit

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
)

// sumConsumer is the cheapest useful consumer: it adds tokens.
type sumConsumer struct{ n, in, out int64 }

func (s *sumConsumer) Consume(r *Record) { s.n++; s.in += r.InputTokens; s.out += r.OutputTokens }

// canonicalBenchLog returns about size bytes of ~450-byte canonical lines,
// every one with a distinct request id.
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

func benchScan(b *testing.B, name string, data []byte, opts ScanOptions) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var recs int64
	for i := 0; i < b.N; i++ {
		st, _, err := Scan([]Input{BytesInput(name, data)}, opts, func() Consumer { return &sumConsumer{} })
		if err != nil {
			b.Fatal(err)
		}
		recs += st.Records + st.Skipped + st.Duplicates
	}
	b.ReportMetric(float64(recs)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkScanCanonical measures the canonical JSONL path on all cores
// (set -cpu to choose the worker count).
func BenchmarkScanCanonical(b *testing.B) {
	data := canonicalBenchLog(64 << 20)
	b.ResetTimer()
	benchScan(b, "bench.jsonl", data, ScanOptions{Workers: runtime.GOMAXPROCS(0)})
}

// BenchmarkDecodeCanonicalLine measures the skimmer alone, one goroutine.
func BenchmarkDecodeCanonicalLine(b *testing.B) {
	data := canonicalBenchLog(1 << 20)
	lines := bytes.Split(bytes.TrimSpace(data), []byte{'\n'})
	ss := &scanState{opts: &ScanOptions{}, dd: newDedupSet()}
	w := newWorker(ss, &sumConsumer{})
	w.file = &fileCtx{name: "bench"}
	d := newCanonicalDecoder(w)
	b.SetBytes(int64(len(data) / len(lines)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := lines[i%len(lines)]
		w.begin(1, l)
		// Request ids repeat after len(lines): measure decoding, not dedup.
		d.decode(w, l)
	}
}
