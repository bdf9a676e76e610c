package audit

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the process's user+system CPU time. Benchmarks report
// throughput per CPU-second too, because wall time on a shared machine
// says little: bytes / CPU-second × cores is the throughput of an idle
// machine when the work is parallel.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

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
	benchScanInputs(b, []Input{BytesInput(name, data)}, int64(len(data)), opts)
}

func benchScanInputs(b *testing.B, inputs []Input, size int64, opts ScanOptions) {
	b.SetBytes(size)
	b.ReportAllocs()
	var recs int64
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		st, _, err := Scan(inputs, opts, func() Consumer { return &sumConsumer{} })
		if err != nil {
			b.Fatal(err)
		}
		recs += st.Records + st.Skipped + st.Duplicates
	}
	b.ReportMetric(float64(recs)/b.Elapsed().Seconds(), "records/s")
	cpu := (cpuTime() - cpu0).Seconds()
	b.ReportMetric(float64(size)*float64(b.N)/cpu/1e6, "MB/cpu-s")
	b.ReportMetric(float64(recs)/cpu, "records/cpu-s")
}

// BenchmarkScanCanonical measures the canonical JSONL path on all cores
// (set -cpu to choose the worker count).
func BenchmarkScanCanonical(b *testing.B) {
	data := canonicalBenchLog(64 << 20)
	b.ResetTimer()
	benchScan(b, "bench.jsonl", data, ScanOptions{Workers: runtime.GOMAXPROCS(0)})
}

// BenchmarkScanFile scans the log named by $COSTAUDIT_BENCH_FILE (skipped
// when unset), to measure a large file from disk; run it under
// /usr/bin/time -v for the peak RSS.
func BenchmarkScanFile(b *testing.B) {
	path := os.Getenv("COSTAUDIT_BENCH_FILE")
	if path == "" {
		b.Skip("set COSTAUDIT_BENCH_FILE to a log file")
	}
	inputs, err := ExpandInputs([]string{path}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, in := range inputs {
		size += in.Size
	}
	benchScanInputs(b, inputs, size, ScanOptions{Workers: runtime.GOMAXPROCS(0)})
}
