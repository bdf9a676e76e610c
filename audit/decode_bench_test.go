package audit

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// BenchmarkDedupAdmit measures de-duplication of distinct ids in a set
// reserved as Scan reserves it (b.N entries: far beyond the CPU caches for
// large b.N). BenchmarkDedupGrow measures the same without a reservation.
func BenchmarkDedupAdmit(b *testing.B) {
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = fmt.Sprintf("req_01HZX%012d", i)
	}
	dd := newDedupSet()
	dd.reserve(int64(b.N))
	defer dd.free()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dd.admit(hashID(ids[i]), 10, uint64(i), false)
	}
}

// BenchmarkDedupAdmitPrefetched is BenchmarkDedupAdmit the way workers
// admit: each slot prefetched, then pendCap records admitted together.
func BenchmarkDedupAdmitPrefetched(b *testing.B) {
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = fmt.Sprintf("req_01HZX%012d", i)
	}
	dd := newDedupSet()
	dd.reserve(int64(b.N))
	defer dd.free()
	type pend struct {
		si     int
		k0, k1 uint64
	}
	var batch [pendCap]pend
	var local dedupLocal
	dd.enter()
	defer dd.leave()
	b.ResetTimer()
	for i := 0; i < b.N; i += pendCap {
		n := min(pendCap, b.N-i)
		for j := 0; j < n; j++ {
			p := &batch[j]
			p.si, p.k0, p.k1 = dd.locate(hashID(ids[i+j]))
			dd.prefetch(p.si, p.k0)
		}
		for j := 0; j < n; j++ {
			p := &batch[j]
			dd.admitIn(&local, p.si, p.k0, p.k1, 10, uint64(i+j), false)
		}
	}
}

func BenchmarkDedupGrow(b *testing.B) {
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = fmt.Sprintf("req_01HZX%012d", i)
	}
	dd := newDedupSet()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dd.admit(hashID(ids[i]), 10, uint64(i), false)
	}
}

// vendorBenchLog repeats the sample lines of a format with fresh ids up to
// about size bytes.
func vendorBenchLog(b *testing.B, sample string, idField string, size int) []byte {
	lines := strings.Split(strings.TrimSpace(sample), "\n")
	var out bytes.Buffer
	for i := 0; out.Len() < size; i++ {
		l := lines[i%len(lines)]
		if idField != "" {
			l = strings.Replace(l, idField, fmt.Sprintf("%s%d-", idField, i), 1)
		}
		out.WriteString(l)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

func readFormatFile(b *testing.B, name string) string {
	data, err := os.ReadFile(filepath.Join("testdata", "formats", name))
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}

// BenchmarkDecoders measures Scan on each format (8 MiB samples).
func BenchmarkDecoders(b *testing.B) {
	cases := []struct {
		name, file, sample, idField string
	}{
		{"openai-batch", "batch.jsonl", readFormatFile(b, "openai-batch-output.jsonl"), `"request_id": "`},
		{"anthropic-batch", "results.jsonl", readFormatFile(b, "anthropic-batch-results.jsonl"), `"id":"`},
		{"otel", "spans.jsonl", readFormatFile(b, "otel-spans.jsonl"), `"spanId":"`},
		{"litellm", "spend.jsonl", readFormatFile(b, "litellm-spendlogs.jsonl"), `"request_id":"`},
		{"openai", "chat.jsonl", `{"ts":"2026-05-01T10:00:00Z","workflow":"chat-ui","response":{"id":"chatcmpl-2","object":"chat.completion","created":1760000000,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there."},"finish_reason":"stop"}],"usage":{"prompt_tokens":700,"completion_tokens":30,"prompt_tokens_details":{"cached_tokens":512}}}}`, `"id":"`},
		{"anthropic", "msgs.jsonl", `{"ts":"2026-05-01T10:00:00Z","workflow":"digest","response":{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello."}],"stop_reason":"end_turn","usage":{"input_tokens":10,"cache_creation_input_tokens":300,"cache_read_input_tokens":2000,"output_tokens":40}}}`, `"id":"`},
		{"claude-code", "projects/app/s.jsonl", `{"parentUuid":"u1","isSidechain":false,"cwd":"/home/u/app","sessionId":"0a1b","version":"1.0.80","type":"assistant","message":{"id":"msg_A","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"done"}],"usage":{"input_tokens":4,"cache_creation_input_tokens":500,"cache_read_input_tokens":12000,"output_tokens":310,"service_tier":"standard"}},"requestId":"req_A","uuid":"a2","timestamp":"2026-05-01T10:00:02.000Z"}`, `"id":"`},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			data := vendorBenchLog(b, tc.sample, tc.idField, 8<<20)
			in := BytesInput(tc.file, data)
			in.ModTime = modTime
			b.ResetTimer()
			benchScanInputs(b, []Input{in}, int64(len(data)), ScanOptions{FormatIn: tc.name, Workers: runtime.GOMAXPROCS(0)})
		})
	}
	b.Run("canonical-csv", func(b *testing.B) {
		var buf bytes.Buffer
		buf.WriteString("ts,request_id,provider,model,workflow,source,mode,input_tokens,cache_read_tokens,output_tokens,latency_ms,tag.env\n")
		for i := 0; buf.Len() < 8<<20; i++ {
			fmt.Fprintf(&buf, "2026-05-01T10:%02d:00Z,req-%d,openai,gpt-4.1,triage,webhook,sync,%d,%d,%d,%d,prod\n", i%60, i, 1000+i%500, i%300, 100+i%90, 900+i%400)
		}
		b.ResetTimer()
		benchScanInputs(b, []Input{BytesInput("usage.csv", buf.Bytes())}, int64(buf.Len()), ScanOptions{Workers: runtime.GOMAXPROCS(0)})
	})
}
