package loggen

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/costaudit/costaudit/internal/testutil"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/pricing"
)

// memTree is an in-memory Target for tree formats.
type memTree map[string]*bytes.Buffer

type memFile struct{ *bytes.Buffer }

func (memFile) Close() error { return nil }

func (m memTree) create(rel string) (io.WriteCloser, error) {
	if _, ok := m[rel]; ok {
		return nil, fmt.Errorf("%s created twice", rel)
	}
	b := &bytes.Buffer{}
	m[rel] = b
	return memFile{b}, nil
}

// output is what one Generate run wrote.
type output struct {
	stream []byte
	tree   memTree
}

// lines returns every line written, files of a tree in name order.
func (o output) lines() []string {
	var all []string
	add := func(b []byte) {
		for l := range strings.Lines(string(b)) {
			all = append(all, strings.TrimSuffix(l, "\n"))
		}
	}
	if o.tree == nil {
		add(o.stream)
		return all
	}
	names := make([]string, 0, len(o.tree))
	for n := range o.tree {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		add(o.tree[n].Bytes())
	}
	return all
}

func (o output) digest() string {
	h := sha256.New()
	if o.tree == nil {
		h.Write(o.stream)
	} else {
		for _, n := range slices.Sorted(func(yield func(string) bool) {
			for k := range o.tree {
				if !yield(k) {
					return
				}
			}
		}) {
			fmt.Fprintf(h, "%s\n", n)
			h.Write(o.tree[n].Bytes())
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func run(t *testing.T, w Workload, opts Options, f Format) (output, Stats) {
	t.Helper()
	var buf bytes.Buffer
	tree := memTree{}
	st, err := Generate(w, opts, f, Target{W: &buf, Create: tree.create})
	if err != nil {
		t.Fatalf("Generate %s: %v", f, err)
	}
	if f.IsTree() {
		return output{tree: tree}, st
	}
	return output{stream: buf.Bytes()}, st
}

var smallOpts = Options{Seed: 1, Requests: 400, DupShare: 0.05, BadShare: 0.03}

func TestGoldenDigests(t *testing.T) {
	var sb strings.Builder
	for _, f := range Formats() {
		a, _ := run(t, Default(), smallOpts, f)
		b, _ := run(t, Default(), smallOpts, f)
		if a.digest() != b.digest() {
			t.Errorf("%s: two runs with seed 1 differ", f)
		}
		fmt.Fprintf(&sb, "%s %s\n", a.digest(), f)
	}
	golden := filepath.Join("testdata", "golden.sha256")
	if *testutil.Update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got := sb.String(); got != string(want) {
		t.Errorf("digests changed (run go test -update if intended):\ngot\n%swant\n%s", got, want)
	}
}

func TestSeedChangesOutput(t *testing.T) {
	a, _ := run(t, Default(), smallOpts, FormatCanonical)
	o := smallOpts
	o.Seed = 2
	b, _ := run(t, Default(), o, FormatCanonical)
	if a.digest() == b.digest() {
		t.Fatal("seeds 1 and 2 wrote the same bytes")
	}
}

func TestRecordsAreExactAndOrdered(t *testing.T) {
	for _, n := range []int64{1, 7, 400, 2501} {
		var got int64
		var last time.Time
		start, end := DefaultStart, DefaultStart.AddDate(0, 0, DefaultDays)
		err := Records(Default(), Options{Seed: 9, Requests: n}, func(e *Event) error {
			if e.Rec.TS.Before(last) {
				t.Fatalf("record %d at %s before %s", e.Seq, e.Rec.TS, last)
			}
			if e.Rec.TS.Before(start) || !e.Rec.TS.Before(end) {
				t.Fatalf("record %d at %s outside the window", e.Seq, e.Rec.TS)
			}
			if e.Seq != got {
				t.Fatalf("seq %d, want %d", e.Seq, got)
			}
			last = e.Rec.TS
			got++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got != n {
			t.Errorf("Requests %d: generated %d", n, got)
		}
	}
}

func TestStatsMatchRecords(t *testing.T) {
	var want pricing.Usage
	var reasoning int64
	if err := Records(Default(), smallOpts, func(e *Event) error {
		want = want.Add(e.Rec.Usage())
		reasoning += e.Rec.ReasoningTokens
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	out, st := run(t, Default(), smallOpts, FormatCanonical)
	if st.Usage != want || st.Reasoning != reasoning {
		t.Errorf("stats usage %+v reasoning %d, records %+v %d", st.Usage, st.Reasoning, want, reasoning)
	}
	if lines := int64(len(out.lines())); lines != st.Records+st.Duplicates+st.BadLines() {
		t.Errorf("%d lines, stats say %d records + %d duplicates + %d bad", lines, st.Records, st.Duplicates, st.BadLines())
	}
	if st.Duplicates == 0 || st.BadLines() == 0 {
		t.Errorf("400 records at 5%% duplicates and 3%% bad lines wrote %d and %d", st.Duplicates, st.BadLines())
	}
}

// view is the part of a record's usage a format keeps. Formats that cannot
// split cache writes by TTL put them in writes; LiteLLM folds them into input.
type view struct {
	input, read, w5m, w1h, writes, output, reasoning int64
}

func (v view) add(o view) view {
	return view{v.input + o.input, v.read + o.read, v.w5m + o.w5m, v.w1h + o.w1h, v.writes + o.writes, v.output + o.output, v.reasoning + o.reasoning}
}

// project is what format f keeps of r's tokens, per doc.go.
func project(f Format, r *audit.Record) view {
	v := view{input: r.InputTokens, read: r.CacheReadTokens, w5m: r.CacheWrite5mTokens, w1h: r.CacheWrite1hTokens,
		output: r.OutputTokens, reasoning: r.ReasoningTokens}
	switch f {
	case FormatOpenAI, FormatOpenAIResponses, FormatOpenAIBatch, FormatOTel:
		v.writes, v.w5m, v.w1h = v.w5m+v.w1h, 0, 0
	case FormatLiteLLM:
		v.input += v.w5m + v.w1h
		v.w5m, v.w1h = 0, 0
	case FormatAnthropic, FormatAnthropicBatch, FormatClaudeCode:
		v.reasoning = 0
	case FormatGemini: // no cache-write bucket: written tokens are prompt
		v.input += v.w5m + v.w1h
		v.w5m, v.w1h = 0, 0
	case FormatBedrock: // one cache-write count, no reasoning
		v.writes, v.w5m, v.w1h, v.reasoning = v.w5m+v.w1h, 0, 0, 0
	}
	return v
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an integer: %q", s)
	}
	return n
}

// decode reads one good line of format f back into a view and an id, with
// the providers' usage rules (see the decoders in audit). Claude Code lines
// that hold no request return ok false.
func decode(t *testing.T, f Format, line string) (v view, id string, ok bool) {
	t.Helper()
	un := func(s string, into any) {
		t.Helper()
		if err := json.Unmarshal([]byte(s), into); err != nil {
			t.Fatalf("%s: %v in %s", f, err, s)
		}
	}
	fromOpenAI := func(u openAIUsage) view {
		return view{input: u.PromptTokens - u.PromptTokensDetails.CachedTokens - u.PromptTokensDetails.CacheWriteTokens,
			read: u.PromptTokensDetails.CachedTokens, writes: u.PromptTokensDetails.CacheWriteTokens,
			output: u.CompletionTokens, reasoning: u.CompletionTokensDetails.ReasoningTokens}
	}
	fromAnthropic := func(u anthropicUsage) view {
		if u.CacheCreation.Ephemeral5m+u.CacheCreation.Ephemeral1h != u.CacheCreationInputTokens {
			t.Fatalf("cache_creation breakdown does not add up: %s", line)
		}
		return view{input: u.InputTokens, read: u.CacheReadInputTokens, w5m: u.CacheCreation.Ephemeral5m,
			w1h: u.CacheCreation.Ephemeral1h, output: u.OutputTokens}
	}
	switch f {
	case FormatCanonical:
		var c struct {
			RequestID       string `json:"request_id"`
			InputTokens     int64  `json:"input_tokens"`
			CacheRead       int64  `json:"cache_read_tokens"`
			CacheW5         int64  `json:"cache_write_5m_tokens"`
			CacheW1         int64  `json:"cache_write_1h_tokens"`
			OutputTokens    int64  `json:"output_tokens"`
			ReasoningTokens int64  `json:"reasoning_tokens"`
		}
		un(line, &c)
		return view{c.InputTokens, c.CacheRead, c.CacheW5, c.CacheW1, 0, c.OutputTokens, c.ReasoningTokens}, c.RequestID, true
	case FormatOpenAI:
		var w struct {
			Status   string          `json:"status"`
			Response json.RawMessage `json:"response"`
		}
		un(line, &w)
		var c openAIChatCompletion
		un(string(w.Response), &c)
		if w.Status == audit.StatusError {
			return view{}, "err-" + line[:40], true
		}
		return fromOpenAI(c.Usage), c.ID, true
	case FormatOpenAIResponses:
		var r openAIResponseObject
		un(line, &r)
		u := r.Usage
		return view{input: u.InputTokens - u.InputTokensDetails.CachedTokens - u.InputTokensDetails.CacheWriteTokens,
			read: u.InputTokensDetails.CachedTokens, writes: u.InputTokensDetails.CacheWriteTokens,
			output: u.OutputTokens, reasoning: u.OutputTokensDetails.ReasoningTokens}, r.ID, true
	case FormatOpenAIBatch:
		var b openAIBatchOutput
		un(line, &b)
		if b.Response == nil {
			return view{}, b.ID, true
		}
		return fromOpenAI(b.Response.Body.Usage), b.ID, true
	case FormatAnthropic:
		var w struct {
			Status   string          `json:"status"`
			Response json.RawMessage `json:"response"`
		}
		un(line, &w)
		if w.Status == audit.StatusError {
			return view{}, "err-" + line[:40], true
		}
		var m anthropicMessageObject
		un(string(w.Response), &m)
		return fromAnthropic(m.Usage), m.ID, true
	case FormatAnthropicBatch:
		var b anthropicBatchResult
		un(line, &b)
		if b.Result.Message == nil {
			return view{}, b.CustomID, true
		}
		return fromAnthropic(b.Result.Message.Usage), b.CustomID, true
	case FormatOTel:
		var d otelTracesData
		un(line, &d)
		sp := d.ResourceSpans[0].ScopeSpans[0].Spans[0]
		a := map[string]string{}
		for _, at := range sp.Attributes {
			if at.Value.StringValue != nil {
				a[at.Key] = *at.Value.StringValue
			} else {
				a[at.Key] = at.Value.IntValue
			}
		}
		in, read, cw := atoi(t, a["gen_ai.usage.input_tokens"]), atoi(t, a["gen_ai.usage.cache_read.input_tokens"]), atoi(t, a["gen_ai.usage.cache_creation.input_tokens"])
		return view{input: in - read - cw, read: read, writes: cw, output: atoi(t, a["gen_ai.usage.output_tokens"]),
			reasoning: atoi(t, a["gen_ai.usage.reasoning.output_tokens"])}, sp.SpanID, true
	case FormatLiteLLM:
		var r liteLLMSpendLog
		un(line, &r)
		cached := r.Metadata.AdditionalUsageValues.PromptTokensDetails.CachedTokens
		v := view{input: r.PromptTokens - cached, read: cached, output: r.CompletionTokens}
		if d := r.Metadata.AdditionalUsageValues.CompletionTokensDetails; d != nil {
			v.reasoning = d.ReasoningTokens
		}
		if r.TotalTokens != r.PromptTokens+r.CompletionTokens {
			t.Fatalf("total_tokens does not add up: %s", line)
		}
		return v, r.RequestID, true
	case FormatGemini:
		var w struct {
			Status   string          `json:"status"`
			Response json.RawMessage `json:"response"`
		}
		un(line, &w)
		if w.Status == audit.StatusError {
			return view{}, "err-" + line[:40], true
		}
		var g geminiResponse
		un(string(w.Response), &g)
		u := g.UsageMetadata
		if u.TotalTokenCount != u.PromptTokenCount+u.CandidatesTokenCount+u.ThoughtsTokenCount {
			t.Fatalf("totalTokenCount does not add up: %s", line)
		}
		return view{input: u.PromptTokenCount - u.CachedContentTokenCount, read: u.CachedContentTokenCount,
			output: u.CandidatesTokenCount + u.ThoughtsTokenCount, reasoning: u.ThoughtsTokenCount}, g.ResponseID, true
	case FormatBedrock:
		var w struct {
			Response bedrockConverseResponse `json:"response"`
		}
		un(line, &w)
		u := w.Response.Usage
		if u.TotalTokens != u.InputTokens+u.CacheReadInputTokens+u.CacheWriteInputTokens+u.OutputTokens {
			t.Fatalf("totalTokens does not add up: %s", line)
		}
		return view{input: u.InputTokens, read: u.CacheReadInputTokens, writes: u.CacheWriteInputTokens, output: u.OutputTokens},
			w.Response.ResponseMetadata.RequestID, true
	case FormatLangfuse:
		var o langfuseObservation
		un(line, &o)
		d := o.UsageDetails
		return view{input: d["input"], read: d["input_cached_tokens"], w5m: d["cache_creation_input_tokens"],
			w1h: d["cache_creation_1h_input_tokens"], output: d["output"] + d["output_reasoning_tokens"],
			reasoning: d["output_reasoning_tokens"]}, o.ID, true
	case FormatClaudeCode:
		var l struct {
			Type      string          `json:"type"`
			RequestID string          `json:"requestId"`
			Message   json.RawMessage `json:"message"`
		}
		un(line, &l)
		if l.Type != "assistant" {
			return view{}, "", false
		}
		var m anthropicMessageObject
		un(string(l.Message), &m)
		return fromAnthropic(m.Usage), m.ID + "/" + l.RequestID, true
	}
	t.Fatalf("no decoder for %s", f)
	return
}

func decodeCSV(t *testing.T, data []byte) (views []view, ids []string) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		views = append(views, view{atoi(t, r[col["input_tokens"]]), atoi(t, r[col["cache_read_tokens"]]),
			atoi(t, r[col["cache_write_5m_tokens"]]), atoi(t, r[col["cache_write_1h_tokens"]]), 0,
			atoi(t, r[col["output_tokens"]]), atoi(t, r[col["reasoning_tokens"]])})
		ids = append(ids, r[col["request_id"]])
	}
	return views, ids
}

// readBack decodes a run without bad lines into one view per record,
// counting a repeated id (a duplicate, or a split Claude Code message) once.
func readBack(t *testing.T, f Format, out output) []view {
	t.Helper()
	var views []view
	var ids []string
	if f == FormatCanonicalCSV {
		views, ids = decodeCSV(t, out.stream)
	} else {
		for _, l := range out.lines() {
			if !json.Valid([]byte(l)) {
				t.Fatalf("%s: invalid JSON line %q", f, l)
			}
			v, id, ok := decode(t, f, l)
			if ok {
				views, ids = append(views, v), append(ids, id)
			}
		}
	}
	seen := map[string]bool{}
	var uniq []view
	for i, v := range views {
		if !seen[ids[i]] {
			seen[ids[i]] = true
			uniq = append(uniq, v)
		}
	}
	return uniq
}

func TestEveryFormatKeepsTokenTotals(t *testing.T) {
	workloads := []struct {
		name string
		w    Workload
	}{{"default", Default()}, {"portable", Portable()}, {"portable-batch", PortableBatch()}}
	for _, wl := range workloads {
		for _, f := range Formats() {
			t.Run(wl.name+"/"+string(f), func(t *testing.T) {
				opts := Options{Seed: 5, Requests: 600, DupShare: 0.05}
				var want, exact view
				var n int64
				if err := Records(wl.w, opts, func(e *Event) error {
					if f == FormatCanonical || f == FormatCanonicalCSV || vendorAccepts(f, e) {
						want = want.add(project(f, &e.Rec))
						exact = exact.add(project(FormatCanonical, &e.Rec))
						n++
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				out, st := run(t, wl.w, opts, f)
				if st.Records != n {
					t.Fatalf("wrote %d records, the format accepts %d", st.Records, n)
				}
				var got view
				views := readBack(t, f, out)
				for _, v := range views {
					got = got.add(v)
				}
				if int64(len(views)) != n {
					t.Errorf("read back %d distinct records, want %d", len(views), n)
				}
				if got != want {
					t.Errorf("totals %+v, want %+v", got, want)
				}
				// Portable workloads lose nothing that affects cost.
				if wl.name != "default" {
					got.reasoning, exact.reasoning = 0, 0
					if got != exact {
						t.Errorf("portable totals %+v, canonical %+v", got, exact)
					}
				}
			})
		}
	}
}

func TestPortableIsCarriedByEveryFormat(t *testing.T) {
	perRequest := []Format{FormatCanonical, FormatCanonicalCSV, FormatOpenAI, FormatAnthropic, FormatOTel, FormatLiteLLM, FormatClaudeCode,
		FormatGemini, FormatBedrock, FormatLangfuse}
	batch := []Format{FormatCanonical, FormatCanonicalCSV, FormatOpenAI}
	for _, c := range []struct {
		w       Workload
		formats []Format
	}{{Portable(), perRequest}, {PortableBatch(), batch}} {
		for _, f := range c.formats {
			_, st := run(t, c.w, Options{Seed: 4, Requests: 300}, f)
			if st.Skipped != 0 || st.Records != 300 {
				t.Errorf("%s %s: %d records, %d skipped, want all 300", c.w.Name, f, st.Records, st.Skipped)
			}
		}
	}
	// Each batch format carries its own provider's job.
	for _, f := range []Format{FormatOpenAIBatch, FormatAnthropicBatch} {
		_, st := run(t, PortableBatch(), Options{Seed: 4, Requests: 300}, f)
		if st.Records == 0 || st.Records+st.Skipped != 300 {
			t.Errorf("%s: %d records, %d skipped", f, st.Records, st.Skipped)
		}
	}
}

func TestBadLines(t *testing.T) {
	opts := Options{Seed: 11, Requests: 2000, BadShare: 0.05}
	for _, f := range Formats() {
		if f == FormatCanonicalCSV {
			continue
		}
		out, st := run(t, Default(), opts, f)
		var invalid int64
		for _, l := range out.lines() {
			if !json.Valid([]byte(l)) {
				invalid++
			}
		}
		if invalid != st.Bad[BadInvalidJSON] {
			t.Errorf("%s: %d invalid JSON lines, stats say %d", f, invalid, st.Bad[BadInvalidJSON])
		}
		if st.Records > 200 && (st.Bad[BadNegativeTokens] == 0 || st.Bad[BadMissingModel] == 0) {
			t.Errorf("%s: bad lines %v over %d records", f, st.Bad, st.Records)
		}
	}
	// In canonical JSONL each kind is recognisable.
	out, st := run(t, Default(), opts, FormatCanonical)
	var counts [numBadKinds]int64
	for _, l := range out.lines() {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) != nil {
			counts[BadInvalidJSON]++
			continue
		}
		if _, ok := m["model"]; !ok {
			counts[BadMissingModel]++
		}
		if m["output_tokens"].(float64) < 0 {
			counts[BadNegativeTokens]++
		}
		if _, err := time.Parse(time.RFC3339, m["ts"].(string)); err != nil {
			counts[BadTimestamp]++
		}
	}
	if counts != st.Bad {
		t.Errorf("bad lines found %v, stats %v", counts, st.Bad)
	}
}

func TestStripHints(t *testing.T) {
	opts := Options{Seed: 3, Requests: 500, StripHints: true}
	allowed := map[string]bool{"ts": true, "request_id": true, "provider": true, "model": true, "workflow": true, "status": true,
		"input_tokens": true, "cache_read_tokens": true, "cache_write_5m_tokens": true, "cache_write_1h_tokens": true,
		"output_tokens": true, "reasoning_tokens": true}
	out, _ := run(t, Default(), opts, FormatCanonical)
	for _, l := range out.lines() {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for k := range m {
			if !allowed[k] {
				t.Fatalf("stripped line keeps %q: %s", k, l)
			}
		}
	}
	csvOut, _ := run(t, Default(), opts, FormatCanonicalCSV)
	head, _, _ := strings.Cut(string(csvOut.stream), "\n")
	for _, h := range strings.Split(head, ",") {
		if !allowed[h] {
			t.Errorf("stripped CSV keeps column %q", h)
		}
	}
	for _, f := range []Format{FormatOpenAI, FormatAnthropic} {
		out, _ := run(t, Default(), opts, f)
		for _, l := range out.lines() {
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
			for k := range m {
				if !allowed[k] && k != "response" {
					t.Fatalf("%s: stripped wrapper keeps %q", f, k)
				}
			}
		}
	}
	for _, c := range []struct {
		f    Format
		hint string
	}{{FormatOTel, "gen_ai.request.stream"}, {FormatOTel, "time_to_first_chunk"}, {FormatOTel, "service.namespace"},
		{FormatLiteLLM, "env:prod"}, {FormatOpenAIResponses, `"team"`}} {
		out, _ := run(t, Default(), opts, c.f)
		if bytes.Contains(out.stream, []byte(c.hint)) {
			t.Errorf("%s: stripped output still has %s", c.f, c.hint)
		}
	}
	// Stripping changes no token.
	a, _ := run(t, Default(), Options{Seed: 3, Requests: 500}, FormatOTel)
	b, _ := run(t, Default(), opts, FormatOTel)
	if fmt.Sprint(readBack(t, FormatOTel, a)) != fmt.Sprint(readBack(t, FormatOTel, b)) {
		t.Error("strip-hints changed the tokens")
	}
}

func TestArrivalPatterns(t *testing.T) {
	type span struct{ lo, hi time.Duration }
	byFlow := map[string][]time.Time{}
	if err := Records(Default(), Options{Seed: 8, Days: 14}, func(e *Event) error {
		byFlow[e.Rec.Workflow] = append(byFlow[e.Rec.Workflow], e.Rec.TS)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	window := map[string]span{
		"nightly-enrichment": {2 * time.Hour, 2*time.Hour + 40*time.Minute},
		"weekly-digest":      {6 * time.Hour, 6*time.Hour + 30*time.Minute},
		"eval-batch":         {1 * time.Hour, 1*time.Hour + 20*time.Minute},
	}
	for name, w := range window {
		days := map[string]bool{}
		for _, ts := range byFlow[name] {
			tod := ts.Sub(ts.Truncate(24 * time.Hour))
			if tod < w.lo || tod >= w.hi {
				t.Fatalf("%s at %s, outside its window", name, ts)
			}
			if name == "weekly-digest" && ts.Weekday() != time.Monday {
				t.Fatalf("weekly digest on %s", ts.Weekday())
			}
			days[ts.Format(time.DateOnly)] = true
		}
		wantDays := 14
		if name == "weekly-digest" {
			wantDays = 2
		}
		if len(days) != wantDays {
			t.Errorf("%s ran on %d days, want %d", name, len(days), wantDays)
		}
	}
	// Business hours: most chat traffic on weekdays inside 08:00-20:00.
	var inside, weekend int
	chat := byFlow["chat-ui"]
	for _, ts := range chat {
		if ts.Weekday() == time.Saturday || ts.Weekday() == time.Sunday {
			weekend++
		} else if h := ts.Hour(); h >= 8 && h < 20 {
			inside++
		}
	}
	if inside < len(chat)*8/10 || weekend > len(chat)/10 {
		t.Errorf("chat-ui: %d of %d inside weekday business hours, %d on weekends", inside, len(chat), weekend)
	}
	// Around the clock: every hour of the day has webhook traffic.
	hours := map[int]bool{}
	for _, ts := range byFlow["ticket-triage"] {
		hours[ts.Hour()] = true
	}
	if len(hours) != 24 {
		t.Errorf("ticket-triage covers %d hours, want 24", len(hours))
	}
}

func TestEventsFollowTheSpec(t *testing.T) {
	var cancelled, truncated, errs int
	if err := Records(Default(), Options{Seed: 2, Requests: 5000}, func(e *Event) error {
		r, wf := &e.Rec, e.Flow
		if r.Provider != wf.Provider || r.Model != wf.Model || string(r.Mode) != wf.Mode {
			t.Fatalf("record %+v does not follow workflow %s", r, wf.Name)
		}
		if wf.MaxTokens > 0 && r.OutputTokens > wf.MaxTokens {
			t.Fatalf("%s: output %d over max_tokens %d", wf.Name, r.OutputTokens, wf.MaxTokens)
		}
		if r.ReasoningTokens > r.OutputTokens {
			t.Fatalf("%s: reasoning %d over output %d", wf.Name, r.ReasoningTokens, r.OutputTokens)
		}
		switch r.Status {
		case audit.StatusCancelled:
			cancelled++
			if r.Mode == pricing.ModeBatch && r.Usage() != (pricing.Usage{Requests: 1}) {
				t.Fatalf("cancelled batch request has tokens: %+v", r)
			}
		case audit.StatusError, audit.StatusExpired:
			errs++
			if r.Usage() != (pricing.Usage{Requests: 1}) {
				t.Fatalf("%s request has tokens: %+v", r.Status, r)
			}
		}
		if e.Truncated {
			truncated++
		}
		if r.Mode == pricing.ModeStream && r.Status == audit.StatusOK && (r.TTFTMS <= 0 || r.LatencyMS < r.TTFTMS) {
			t.Fatalf("stream without sane timings: %+v", r)
		}
		if (r.LoggedCostUSD != "") != wf.LoggedCost {
			t.Fatalf("%s: logged cost %q", wf.Name, r.LoggedCostUSD)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if cancelled == 0 || errs == 0 || truncated == 0 {
		t.Errorf("5000 records: %d cancelled, %d failed or expired, %d truncated", cancelled, errs, truncated)
	}
}

func TestLoggedCost(t *testing.T) {
	cases := []struct {
		rec  audit.Record
		want string
	}{
		// Seed 002's ticket: 1,500 in / 250 out at $3/$15 = $0.00825.
		{audit.Record{Model: "claude-sonnet-4-5", Mode: "sync", Status: "ok", InputTokens: 1500, OutputTokens: 250}, "0.00825"},
		{audit.Record{Model: "claude-sonnet-4-5", Mode: "batch", Status: "ok", InputTokens: 1500, OutputTokens: 250}, "0.004125"},
		{audit.Record{Model: "claude-haiku-4-5", Mode: "sync", Status: "ok", CacheReadTokens: 1000, CacheWrite5mTokens: 1000, CacheWrite1hTokens: 1000}, "0.00335"},
		{audit.Record{Model: "deepseek-chat", Mode: "batch", Status: "ok", InputTokens: 1_000_000}, "0.28"},
		{audit.Record{Model: "gpt-4o", Mode: "batch", Status: "expired", InputTokens: 10}, "0"},
		{audit.Record{Model: "unknown-model", Mode: "sync", Status: "ok", InputTokens: 10}, "0"},
	}
	for _, c := range cases {
		if got := LoggedCost(&c.rec); got != c.want {
			t.Errorf("LoggedCost(%s %s %+v) = %s, want %s", c.rec.Model, c.rec.Mode, c.rec.Usage(), got, c.want)
		}
	}
}

func TestWorkloadTOMLRoundTrip(t *testing.T) {
	for _, w := range []Workload{Default(), Portable(), PortableBatch()} {
		var buf bytes.Buffer
		if err := w.EncodeTOML(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ParseWorkload(&buf)
		if err != nil {
			t.Fatalf("%s: %v\n%s", w.Name, err, buf.String())
		}
		a, _ := run(t, w, smallOpts, FormatCanonical)
		b, _ := run(t, back, smallOpts, FormatCanonical)
		if a.digest() != b.digest() {
			t.Errorf("%s: the TOML round trip changed the output", w.Name)
		}
	}
}

func TestWorkloadValidation(t *testing.T) {
	cases := []struct {
		toml string
		want string
	}{
		{``, "no [[workflow]] tables"},
		{"[[workflow]]\nname = \"a\"\nprovider = \"openai\"\nmodel = \"gpt-4o\"\nclass = \"fast\"\nmode = \"sync\"\n[workflow.arrival]\npattern = \"daily\"\n", `class: "fast" is not realtime`},
		{"[[workflow]]\nname = \"a\"\nprovider = \"openai\"\nmodel = \"gpt-4o\"\nclass = \"realtime\"\nmode = \"sync\"\n[workflow.arrival]\npattern = \"hourly\"\n", `pattern: "hourly"`},
		{"[[workflow]]\nname = \"a\"\nprovider = \"openai\"\nmodel = \"gpt-4o\"\nclass = \"realtime\"\nmode = \"sync\"\n[workflow.arrival]\npattern = \"daily\"\nstart = \"25:00\"\n", `"25:00" is not a UTC time`},
		{"[[workflow]]\nname = \"a\"\nprovider = \"openai\"\nmodel = \"gpt-4o\"\nclass = \"realtime\"\nmode = \"sync\"\nreqests_per_day = 3\n[workflow.arrival]\npattern = \"daily\"\n", "unknown key workflow.reqests_per_day"},
		{"[[workflow]]\nname = \"a\"\nprovider = \"openai\"\nmodel = \"gpt-4o\"\nclass = \"realtime\"\nmode = \"sync\"\ncancel_share = 1.5\n[workflow.arrival]\npattern = \"daily\"\n", "cancel_share: 1.5 must be between 0 and 1"},
		{"[[workflow]]\nname = \"a\"\nprovider = \"openai\"\nmodel = \"gpt-4o\"\nclass = \"realtime\"\nmode = \"sync\"\nexpired_share = 0.1\n[workflow.arrival]\npattern = \"daily\"\n", "only batch requests expire"},
		{"[[workflow]]\nname = \"a\"\nprovider = \"openai\"\nmodel = \"gpt-4o\"\nclass = \"realtime\"\nmode = \"sync\"\n[workflow.arrival]\npattern = \"weekly\"\nweekday = \"funday\"\n", `weekday: "funday"`},
		{"[[workflow]]\nname = \"a\"\nprovider = \"openai\"\nmodel = \"\"\nclass = \"realtime\"\nmode = \"sync\"\n[workflow.arrival]\npattern = \"daily\"\n", "model: empty"},
	}
	for _, c := range cases {
		_, err := ParseWorkload(strings.NewReader(c.toml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseWorkload(%q) = %v, want an error containing %q", c.toml, err, c.want)
		}
	}
	// A workload without traffic in the window is an error, not an empty log.
	w := Workload{Name: "w", Workflows: []Workflow{{Name: "d", Provider: "openai", Model: "gpt-4o", Class: ClassScheduled, Mode: "sync",
		Arrival: Arrival{Pattern: PatternWeekly, Weekday: "sunday", Start: "06:00"}, RequestsPerDay: 10}}}
	if _, err := Generate(w, Options{Seed: 1, Days: 3, Requests: 5}, FormatCanonical, Target{W: io.Discard}); err == nil || !strings.Contains(err.Error(), "no traffic") {
		t.Errorf("Monday-Wednesday window for a Sunday job: %v", err)
	}
}

func TestClaudeCodeTree(t *testing.T) {
	out, st := run(t, Default(), Options{Seed: 6, Requests: 3000, DupShare: 0.02}, FormatClaudeCode)
	if st.Records == 0 {
		t.Fatal("no Claude Code records")
	}
	split := 0
	for name, b := range out.tree {
		if !strings.HasPrefix(name, "projects/ide-assistant/") || !strings.HasSuffix(name, ".jsonl") {
			t.Errorf("unexpected file %s", name)
		}
		session := strings.TrimSuffix(filepath.Base(name), ".jsonl")
		ids := map[string]int{}
		for l := range strings.Lines(b.String()) {
			var line struct {
				SessionID string `json:"sessionId"`
				Type      string `json:"type"`
				Message   struct {
					ID string `json:"id"`
				} `json:"message"`
			}
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
			if line.SessionID != session {
				t.Fatalf("%s: line of session %s", name, line.SessionID)
			}
			if line.Type == "assistant" {
				ids[line.Message.ID]++
			}
		}
		for _, n := range ids {
			if n > 1 {
				split++
			}
		}
	}
	if split == 0 {
		t.Error("no assistant message split over several lines")
	}
}

func TestRequestsForSize(t *testing.T) {
	n, err := RequestsForSize(Default(), Options{Seed: 1}, FormatCanonical, 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	_, st := run(t, Default(), Options{Seed: 1, Requests: n}, FormatCanonical)
	if st.Bytes < 3<<20 || st.Bytes > 5<<20 {
		t.Errorf("asked 4 MiB, wrote %d bytes (%d records)", st.Bytes, n)
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"plain", `q"uote\back`, "tab\tnl\nctl\x01", "ünïcödé ✓", "bad\xffutf8", ""} {
		b := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q → %s: %v", s, b, err)
		}
		want := strings.ToValidUTF8(s, "\uFFFD")
		if back != want {
			t.Errorf("%q → %s → %q", s, b, back)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		if g, err := ParseFormat(string(f)); err != nil || g != f {
			t.Errorf("ParseFormat(%s) = %s, %v", f, g, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "allowed: canonical") {
		t.Errorf("ParseFormat(xml) = %v", err)
	}
	names := make([]string, 0)
	for _, f := range Formats() {
		names = append(names, f.FileName())
	}
	sort.Strings(names)
	if len(slices.Compact(names)) != len(Formats()) {
		t.Errorf("file names collide: %v", names)
	}
}

func TestContentText(t *testing.T) {
	for _, n := range []int{1, 100, 3000} {
		a, b := contentText(42, n), contentText(42, n)
		if a != b {
			t.Errorf("contentText(42, %d) differs between two calls", n)
		}
		if len(a) < n || len(a) > n+200 {
			t.Errorf("contentText(42, %d) has %d bytes", n, len(a))
		}
		if !utf8.ValidString(a) {
			t.Errorf("contentText(42, %d) is not UTF-8", n)
		}
	}
	if contentText(1, 3000) == contentText(2, 3000) {
		t.Error("two ids give the same text")
	}
}

func TestClaudeCodeContentBlocks(t *testing.T) {
	out, _ := run(t, Default(), Options{Seed: 6, Requests: 2000, ContentBytes: 500}, FormatClaudeCode)
	kinds := map[string]int{}
	for _, b := range out.tree {
		for l := range strings.Lines(b.String()) {
			var line struct {
				Message struct {
					Content json.RawMessage `json:"content"`
				} `json:"message"`
			}
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
			if len(l) < 500 {
				t.Errorf("line of %d bytes, want at least 500: %s", len(l), l)
			}
			var s string
			if json.Unmarshal(line.Message.Content, &s) == nil {
				kinds["string"]++
				continue
			}
			var blocks []struct {
				Type string `json:"type"`
			}
			if err := json.Unmarshal(line.Message.Content, &blocks); err != nil || len(blocks) != 1 {
				t.Fatalf("content %s: %v", line.Message.Content, err)
			}
			kinds[blocks[0].Type]++
		}
	}
	for _, k := range []string{"string", "tool_result", "text", "tool_use", "thinking"} {
		if kinds[k] == 0 {
			t.Errorf("no %s content in %v", k, kinds)
		}
	}
}
