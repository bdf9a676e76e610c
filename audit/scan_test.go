package audit

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/costaudit/costaudit/audit/decode"
)

// collector is a test consumer that keeps a copy of every record.
type collector struct{ recs []Record }

func (c *collector) Consume(r *Record) {
	cp := *r
	cp.RequestID = strings.Clone(r.RequestID)
	if r.Tags != nil {
		cp.Tags = map[string]string{}
		for k, v := range r.Tags {
			cp.Tags[k] = v
		}
	}
	c.recs = append(c.recs, cp)
}

// scanAll scans inputs and returns the stats and all records sorted by
// request id, then ts, then model.
func scanAll(t *testing.T, inputs []Input, opts ScanOptions) (Stats, []Record, error) {
	t.Helper()
	st, cons, err := Scan(inputs, opts, func() Consumer { return &collector{} })
	var all []Record
	for _, c := range cons {
		all = append(all, c.(*collector).recs...)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.RequestID != b.RequestID {
			return a.RequestID < b.RequestID
		}
		if !a.TS.Equal(b.TS) {
			return a.TS.Before(b.TS)
		}
		return a.Model < b.Model
	})
	return st, all, err
}

func mustScan(t *testing.T, inputs []Input, opts ScanOptions) (Stats, []Record) {
	t.Helper()
	st, recs, err := scanAll(t, inputs, opts)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return st, recs
}

func checkInvariant(t *testing.T, st Stats) {
	t.Helper()
	if st.Lines != st.Records+st.Duplicates+st.Rejected+st.Skipped {
		t.Errorf("lines %d != records %d + duplicates %d + rejected %d + skipped %d", st.Lines, st.Records, st.Duplicates, st.Rejected, st.Skipped)
	}
	var n int64
	for _, v := range st.RejectedByReason {
		n += v
	}
	if n != st.Rejected {
		t.Errorf("rejected %d but by reason %v", st.Rejected, st.RejectedByReason)
	}
}

const canonicalSample = `{"ts":"2026-05-01T10:00:00Z","request_id":"r1","provider":"OpenAI","model":"gpt-4.1","workflow":"triage","source":"cron","mode":"batch","user_waiting":false,"input_tokens":1000,"cache_read_tokens":24,"output_tokens":150,"reasoning_tokens":10,"latency_ms":2400,"ttft_ms":650.4,"status":"ok","max_tokens":500,"logged_cost_usd":0.004125,"team":"cs","tags":{"env":"prod","n":3}}
not json at all
{"ts":"2026-05-01T10:00:01Z","model":"gpt-4.1","output_tokens":-5}

{"ts":"2026-05-01T10:00:02Z","model":"gpt-4.1","output_tokens":1.5}
{"ts":"yesterday","model":"gpt-4.1","output_tokens":1}
{"model":"gpt-4.1","output_tokens":1}
{"ts":"2026-05-01T10:00:03Z","output_tokens":1}
{"ts":"2026-05-01T10:00:04Z","model":"claude-haiku-4-5"}
{"ts":"2026-05-01T10:00:00Z","request_id":"r1","provider":"OpenAI","model":"gpt-4.1","workflow":"triage","source":"cron","mode":"batch","user_waiting":false,"input_tokens":1000,"cache_read_tokens":24,"output_tokens":150,"reasoning_tokens":10,"latency_ms":2400,"ttft_ms":650.4,"status":"ok","max_tokens":500,"logged_cost_usd":0.004125,"team":"cs","tags":{"env":"prod","n":3}}
{"ts":1777629605,"model":"claude-haiku-4-5","provider":"anthropic","cache_write_1h_tokens":7,"workflow":"esc\u00e9","status":"canceled","mode":"stream"}
[1,2]
{"ts":"2026-05-01T10:00:06+02:00","model":"m","input_tokens":"12","mode":"later"}
`

func TestScanCanonical(t *testing.T) {
	var rejects bytes.Buffer
	st, recs := mustScan(t, []Input{BytesInput("logs.jsonl", []byte(canonicalSample))}, ScanOptions{Rejects: &rejects, Workers: 2})
	checkInvariant(t, st)
	want := Stats{
		Files: 1, Lines: 12, Records: 2, Duplicates: 1, Rejected: 9, Skipped: 0,
		RejectedByReason: map[string]int64{
			ReasonInvalidJSON: 1, ReasonNegative: 1, ReasonNotInteger: 1, ReasonBadTimestamp: 1,
			"missing field ts": 1, "missing field model": 1, "missing field tokens": 1,
			ReasonNotObject: 1, ReasonBadValue: 1,
		},
		Formats:     map[string]int64{decode.FormatCanonical: 1},
		FirstReject: "read logs.jsonl:2: invalid json: invalid character 'o' in literal null (expecting 'u')",
		DistinctIDs: 1, Passes: 1, BytesRead: int64(len(canonicalSample)),
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("stats:\n got %+v\nwant %+v", st, want)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records", len(recs))
	}
	r := recs[1]
	wantRec := Record{
		TS: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC), RequestID: "r1", Provider: "openai", Model: "gpt-4.1",
		Workflow: "triage", Source: "cron", Mode: "batch", UserWaiting: 0,
		InputTokens: 1000, CacheReadTokens: 24, OutputTokens: 150, ReasoningTokens: 10,
		LatencyMS: 2400, TTFTMS: 650, Status: "ok", MaxTokens: 500, LoggedCostUSD: "0.004125",
		Team: "cs", Tags: map[string]string{"env": "prod", "n": "3"},
	}
	if !reflect.DeepEqual(r, wantRec) {
		t.Errorf("record:\n got %+v\nwant %+v", r, wantRec)
	}
	r = recs[0]
	if r.Workflow != "esc\u00e9" || r.Status != StatusCancelled || r.CacheWrite1hTokens != 7 || r.Mode != "stream" ||
		!r.TS.Equal(time.Unix(1777629605, 0)) || r.UserWaiting != -1 || r.LatencyMS != -1 {
		t.Errorf("second record: %+v", r)
	}
	wantRejects := `not json at all
{"ts":"2026-05-01T10:00:01Z","model":"gpt-4.1","output_tokens":-5}
{"ts":"2026-05-01T10:00:02Z","model":"gpt-4.1","output_tokens":1.5}
{"ts":"yesterday","model":"gpt-4.1","output_tokens":1}
{"model":"gpt-4.1","output_tokens":1}
{"ts":"2026-05-01T10:00:03Z","output_tokens":1}
{"ts":"2026-05-01T10:00:04Z","model":"claude-haiku-4-5"}
[1,2]
{"ts":"2026-05-01T10:00:06+02:00","model":"m","input_tokens":"12","mode":"later"}
`
	if rejects.String() != wantRejects {
		t.Errorf("rejects:\n%s\nwant\n%s", rejects.String(), wantRejects)
	}
}

func TestScanStrict(t *testing.T) {
	log := "{\"ts\":\"2026-05-01T10:00:00Z\",\"model\":\"m\",\"output_tokens\":1}\n" +
		"{\"ts\":\"2026-05-01T10:00:00Z\",\"model\":\"m\",\"output_tokens\":-5}\n" +
		"garbage\n"
	_, _, err := scanAll(t, []Input{BytesInput("logs.jsonl", []byte(log))}, ScanOptions{Strict: true})
	var re *RejectError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *RejectError", err)
	}
	if got, want := err.Error(), "strict: read logs.jsonl:2: output_tokens: negative value -5"; got != want {
		t.Errorf("err = %q, want %q", got, want)
	}
	if re.Line != 2 || re.Field != "output_tokens" || re.Value != "-5" || re.Reason != ReasonNegative {
		t.Errorf("reject = %+v", re)
	}
}

// TestScanStrictFirstInOrder checks that with many chunks and workers the
// strict error is the first rejection in input order.
func TestScanStrictFirstInOrder(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 60000; i++ {
		if i == 41234 || i == 55000 {
			b.WriteString("{bad\n")
			continue
		}
		fmt.Fprintf(&b, "{\"ts\":\"2026-05-01T10:00:00Z\",\"model\":\"m\",\"output_tokens\":%d,\"workflow\":\"padding-padding-padding\"}\n", i)
	}
	for _, workers := range []int{1, 2, 4} {
		_, _, err := scanAll(t, []Input{BytesInput("a.jsonl", []byte(b.String()))}, ScanOptions{Strict: true, Workers: workers})
		var re *RejectError
		if !errors.As(err, &re) || re.Line != 41235 {
			t.Errorf("workers %d: err = %v", workers, err)
		}
	}
}

// genRecords returns canonical lines: n distinct requests, some logged twice,
// a few with a second, different copy of the same id.
func genRecords(n int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 1))
	var lines []string
	for i := 0; i < n; i++ {
		line := fmt.Sprintf(`{"ts":"2026-05-%02dT%02d:%02d:00Z","request_id":"req-%d","provider":"anthropic","model":"claude-sonnet-4-5","workflow":"wf-%d","input_tokens":%d,"cache_read_tokens":%d,"output_tokens":%d}`,
			1+i%28, i%24, i%60, i, i%7, rng.IntN(5000), rng.IntN(100), rng.IntN(900))
		lines = append(lines, line)
		switch i % 10 {
		case 3:
			lines = append(lines, line)
		case 7:
			lines = append(lines, strings.Replace(line, `"output_tokens":`, `"output_tokens":1`, 1))
		}
	}
	lines = append(lines, `{"ts":"2026-05-01T00:00:00Z","model":"x","output_tokens":1}`, `{"ts":"2026-05-01T00:00:00Z","model":"x","output_tokens":1}`)
	return lines
}

type totals struct {
	records, input, cacheRead, output int64
	byWorkflow                        map[string]int64
}

func sumRecords(recs []Record) totals {
	t := totals{byWorkflow: map[string]int64{}}
	for _, r := range recs {
		t.records++
		t.input += r.InputTokens
		t.cacheRead += r.CacheReadTokens
		t.output += r.OutputTokens
		t.byWorkflow[r.Workflow] += r.OutputTokens
	}
	return t
}

func TestScanDeterministic(t *testing.T) {
	lines := genRecords(20000, 7)
	ref := strings.Join(lines, "\n") + "\n"
	refStats, refRecs := mustScan(t, []Input{BytesInput("all.jsonl", []byte(ref))}, ScanOptions{Workers: 1})
	checkInvariant(t, refStats)
	if refStats.Records != 20002 || refStats.Duplicates != 4000 || refStats.DedupConflicts != 2000 {
		t.Fatalf("reference stats: %+v", refStats)
	}
	want := sumRecords(refRecs)
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 4; trial++ {
		shuffled := append([]string(nil), lines...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		// Split into 1..5 files.
		nfiles := 1 + trial
		var inputs []Input
		per := len(shuffled)/nfiles + 1
		for f := 0; f < nfiles; f++ {
			part := shuffled[min(f*per, len(shuffled)):min((f+1)*per, len(shuffled))]
			inputs = append(inputs, BytesInput(fmt.Sprintf("part%d.jsonl", f), []byte(strings.Join(part, "\n"))))
		}
		st, recs := mustScan(t, inputs, ScanOptions{Workers: 1 + trial%3})
		checkInvariant(t, st)
		got := sumRecords(recs)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("trial %d: totals differ: got %+v want %+v", trial, got.records, want.records)
		}
		if st.Records != refStats.Records || st.Duplicates != refStats.Duplicates || st.DedupConflicts != refStats.DedupConflicts {
			t.Errorf("trial %d: stats %+v, want %+v", trial, st, refStats)
		}
	}
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func zstdBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := zstd.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestScanCompressed(t *testing.T) {
	lines := genRecords(3000, 1)
	plain := []byte(strings.Join(lines, "\n") + "\n")
	_, want := mustScan(t, []Input{BytesInput("a.jsonl", plain)}, ScanOptions{})
	for _, tc := range []struct {
		name string
		data []byte
	}{{"a.jsonl.gz", gzipBytes(plain)}, {"a.jsonl.zst", zstdBytes(plain)}, {"noext", gzipBytes(plain)}} {
		_, got := mustScan(t, []Input{BytesInput(tc.name, tc.data)}, ScanOptions{})
		if !reflect.DeepEqual(sumRecords(got), sumRecords(want)) {
			t.Errorf("%s: totals differ", tc.name)
		}
		// Truncated: an error that names the file.
		_, _, err := scanAll(t, []Input{BytesInput(tc.name, tc.data[:len(tc.data)*2/3])}, ScanOptions{})
		if err == nil || !strings.Contains(err.Error(), "read "+tc.name+": truncated or corrupt") {
			t.Errorf("%s truncated: err = %v", tc.name, err)
		}
	}
}

func TestScanBadFiles(t *testing.T) {
	long := append([]byte(`{"ts":"2026-05-01T10:00:00Z","model":"m","output_tokens":1,"x":"`), bytes.Repeat([]byte("a"), 10<<20)...)
	long = append(long, "\"}\n{\"ts\":\"2026-05-01T10:00:00Z\",\"model\":\"m\",\"output_tokens\":2}\n"...)
	var rejects bytes.Buffer
	st, recs, err := scanAll(t, []Input{BytesInput("long.jsonl", long)}, ScanOptions{Rejects: &rejects})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, st)
	if st.RejectedByReason[ReasonLineTooLong] != 1 || len(recs) != 1 || recs[0].OutputTokens != 2 {
		t.Errorf("long line: stats %+v, %d records", st, len(recs))
	}
	if got, want := st.FirstReject, "read long.jsonl:1: line too long: 10485826 bytes: over the 8388608-byte limit (the line is not read; a line that long holds no request log)"; got != want {
		t.Errorf("first reject %q, want %q", got, want)
	}
	if rejects.Len() != DefaultMaxLineBytes+1 {
		t.Errorf("rejects holds %d bytes", rejects.Len())
	}

	_, _, err = scanAll(t, []Input{BytesInput("x.bin", []byte("\x7fELF\x02\x01\x01\x00\x00"))}, ScanOptions{})
	if err == nil || err.Error() != "read x.bin: binary file (byte 0x02 at offset 4), not a text log: give JSONL, JSON, CSV, or gzip/zstd of them" {
		t.Errorf("binary: %v", err)
	}
	st, _, err = scanAll(t, []Input{BytesInput("empty.jsonl", nil), BytesInput("blank.jsonl", []byte("\n \n"))}, ScanOptions{})
	if err != nil || !reflect.DeepEqual(st.EmptyFiles, []string{"empty.jsonl", "blank.jsonl"}) || st.Lines != 0 {
		t.Errorf("empty: %v %+v", err, st)
	}
	st, _, err = scanAll(t, []Input{BytesInput("empty.json", []byte(" [ ] "))}, ScanOptions{})
	if err != nil || !reflect.DeepEqual(st.EmptyFiles, []string{"empty.json"}) || len(st.Formats) != 0 {
		t.Errorf("empty: %v %+v", err, st)
	}
	_, _, err = scanAll(t, []Input{BytesInput("a.bz2", []byte("BZh91AY&SY"))}, ScanOptions{})
	if err == nil || !strings.Contains(err.Error(), "unsupported compression") {
		t.Errorf("bzip2: %v", err)
	}
	_, _, err = Scan(nil, ScanOptions{FormatIn: "xml"}, func() Consumer { return &collector{} })
	if err == nil || !strings.HasPrefix(err.Error(), `unknown input format "xml"`) {
		t.Errorf("bad format: %v", err)
	}
}

func TestScanArrayAndStream(t *testing.T) {
	array := `[
  {"ts": "2026-05-01T10:00:00Z", "model": "m", "output_tokens": 1, "note": "a ] \" { tricky"},
  {"ts": "2026-05-01T10:00:00Z",
   "model": "m", "output_tokens": -2},
  17,
  {"ts": "2026-05-01T10:00:00Z", "model": "m", "output_tokens": 3}
]`
	st, recs, err := scanAll(t, []Input{BytesInput("a.json", []byte(array))}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, st)
	if st.Records != 2 || st.Rejected != 2 || len(recs) != 2 || recs[0].OutputTokens+recs[1].OutputTokens != 4 {
		t.Errorf("array: %+v", st)
	}
	if st.FirstReject != "read a.json:3: output_tokens: negative value -2" {
		t.Errorf("array first reject: %q", st.FirstReject)
	}
	stream := "{\n  \"ts\": \"2026-05-01T10:00:00Z\",\n  \"model\": \"m\",\n  \"output_tokens\": 5\n}\n{\n  \"ts\": \"2026-05-01T10:00:00Z\",\n  \"model\": \"m\"\n}\n"
	st, recs, err = scanAll(t, []Input{BytesInput("s.json", []byte(stream))}, ScanOptions{})
	if err != nil || st.Records != 1 || recs[0].OutputTokens != 5 || st.FirstReject != "read s.json:6: missing field tokens: need at least one of input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, output_tokens" {
		t.Errorf("stream: %v %+v", err, st)
	}
}

func TestScanCSV(t *testing.T) {
	csvLog := "ts,request_id,provider,model,workflow,input_tokens,output_tokens,tags,tag.env,logged_cost_usd\n" +
		"2026-05-01T10:00:00Z,r1,openai,gpt-4.1,triage,100,10,\"{\"\"k\"\":\"\"v\"\"}\",prod,0.25\n" +
		"2026-05-01T10:00:01Z,r2,openai,gpt-4.1,\"multi\nline\",5,-1,,,\n" +
		"1777629600,r3,openai,gpt-4.1,triage,7,,,,\n"
	var rejects bytes.Buffer
	st, recs, err := scanAll(t, []Input{BytesInput("usage.csv", []byte(csvLog))}, ScanOptions{Rejects: &rejects})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, st)
	if st.Records != 2 || st.Rejected != 1 || st.Formats[decode.FormatCanonicalCSV] != 1 {
		t.Errorf("csv stats: %+v", st)
	}
	if st.FirstReject != "read usage.csv:3: output_tokens: negative value -1" {
		t.Errorf("csv first reject: %q", st.FirstReject)
	}
	want := Record{TS: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC), RequestID: "r1", Provider: "openai", Model: "gpt-4.1",
		Workflow: "triage", Mode: "sync", UserWaiting: -1, InputTokens: 100, OutputTokens: 10, LatencyMS: -1, TTFTMS: -1,
		Status: "ok", LoggedCostUSD: "0.25", Tags: map[string]string{"k": "v", "env": "prod"}}
	if !reflect.DeepEqual(recs[0], want) {
		t.Errorf("csv record:\n got %+v\nwant %+v", recs[0], want)
	}
	if recs[1].InputTokens != 7 || !recs[1].TS.Equal(time.Unix(1777629600, 0)) {
		t.Errorf("csv record 2: %+v", recs[1])
	}
	if rejects.String() != "2026-05-01T10:00:01Z,r2,openai,gpt-4.1,\"multi\nline\",5,-1,,,\n" {
		t.Errorf("csv rejects: %q", rejects.String())
	}
	// --workflow-key tag.env names the tag.env column: r1's workflow is
	// its value, r3's (no value) is empty.
	st, recs, err = scanAll(t, []Input{BytesInput("w.csv", []byte(csvLog))}, ScanOptions{WorkflowKey: "tag.env"})
	if err != nil || st.Records != 2 || recs[0].Workflow != "prod" || recs[1].Workflow != "" {
		t.Errorf("csv workflow key tag.env: %v %+v %q %q", err, st, recs[0].Workflow, recs[1].Workflow)
	}
}

func TestWorkflowKey(t *testing.T) {
	log := `{"ts":"2026-05-01T10:00:00Z","model":"m","output_tokens":1,"workflow":"a","tags":{"feature":"search"},"meta":{"job":{"name":"nightly"}}}` + "\n"
	for key, want := range map[string]string{"tags.feature": "search", "meta.job.name": "nightly", "model": "m", "missing": "", "": "a"} {
		_, recs := mustScan(t, []Input{BytesInput("a.jsonl", []byte(log))}, ScanOptions{WorkflowKey: key})
		if recs[0].Workflow != want {
			t.Errorf("key %q: workflow %q, want %q", key, recs[0].Workflow, want)
		}
	}
}

func TestWorkflowKeyVendor(t *testing.T) {
	row := `{"request_id":"x","spend":0,"prompt_tokens":1,"completion_tokens":1,"startTime":"2026-05-01T10:00:00Z","model":"m","custom_llm_provider":"openai","metadata":{"user_api_key_alias":"bot","spend_logs_metadata":{"job":"etl"}},"request_tags":["workflow:w"]}`
	_, recs := mustScan(t, []Input{testInput("s.jsonl", row)}, ScanOptions{WorkflowKey: "metadata.spend_logs_metadata.job"})
	if len(recs) != 1 || recs[0].Workflow != "etl" {
		t.Errorf("litellm workflow key: %+v", recs)
	}
	span := `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}},{"key":"deployment.environment","value":{"stringValue":"prod"}}]},"scopeSpans":[{"spans":[{"spanId":"s","startTimeUnixNano":"1777629600000000000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"m"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"1"}},{"key":"app.feature","value":{"stringValue":"search"}}]}]}]}]}`
	for key, want := range map[string]string{"app.feature": "search", "deployment.environment": "prod", "": "svc/chat"} {
		_, recs = mustScan(t, []Input{testInput("t.jsonl", span)}, ScanOptions{WorkflowKey: key})
		if len(recs) != 1 || recs[0].Workflow != want {
			t.Errorf("otel key %q: %+v", key, recs)
		}
	}
}

// TestScanStdinTwoPasses checks that differing copies of one id on stdin
// are resolved by a second pass over the spooled input.
func TestScanStdinTwoPasses(t *testing.T) {
	log := `{"ts":"2026-05-01T10:00:00Z","request_id":"x","model":"m","output_tokens":1}
{"ts":"2026-05-01T10:00:00Z","request_id":"x","model":"m","output_tokens":9}
`
	ins, err := ExpandInputs([]string{"-"}, strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	st, recs := mustScan(t, ins, ScanOptions{})
	if st.Passes != 2 || len(recs) != 1 || recs[0].OutputTokens != 9 || st.DedupConflicts != 1 {
		t.Errorf("stats %+v, records %+v", st, recs)
	}
}

func TestExpandInputs(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"b/x.jsonl", "a.jsonl.gz", "b/c/y.csv", "b/notes.txt", "z.json"} {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte("{}\n"), 0o644)
	}
	ins, err := ExpandInputs([]string{filepath.Join(dir, "b"), filepath.Join(dir, "*.gz"), filepath.Join(dir, "z.json"), "-", filepath.Join(dir, "b", "x.jsonl")}, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range ins {
		names = append(names, strings.TrimPrefix(in.Name, dir+"/"))
	}
	want := []string{"-", "a.jsonl.gz", "b/c/y.csv", "b/x.jsonl", "z.json"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("inputs %v, want %v", names, want)
	}
	if _, err := ExpandInputs([]string{filepath.Join(dir, "nope.jsonl")}, nil); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := ExpandInputs([]string{filepath.Join(dir, "*.zzz")}, nil); err == nil || !strings.Contains(err.Error(), "no file matches") {
		t.Errorf("empty glob: %v", err)
	}
}
