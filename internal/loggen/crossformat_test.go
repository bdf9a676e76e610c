package loggen_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"testing"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/internal/loggen"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

type memFile struct{ *bytes.Buffer }

func (memFile) Close() error { return nil }

// analyze writes w in format f and runs it through the real decoders,
// aggregation and pricing, as costaudit analyze does.
func analyze(t *testing.T, cat *pricing.Catalog, w loggen.Workload, opts loggen.Options, f loggen.Format) (*report.Report, loggen.Stats) {
	t.Helper()
	var stream bytes.Buffer
	files := map[string]*bytes.Buffer{}
	st, err := loggen.Generate(w, opts, f, loggen.Target{W: &stream, Create: func(rel string) (io.WriteCloser, error) {
		b := &bytes.Buffer{}
		files[rel] = b
		return memFile{b}, nil
	}})
	if err != nil {
		t.Fatalf("%s: %v", f, err)
	}
	// Message Batches results carry no timestamp: the decoder dates them
	// with the file's modification time, here the day after the window.
	modTime := loggen.DefaultStart.AddDate(0, 0, loggen.DefaultDays+1)
	input := func(name string, data []byte) audit.Input {
		in := audit.BytesInput(name, data)
		in.ModTime = modTime
		return in
	}
	var inputs []audit.Input
	if f.IsTree() {
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			inputs = append(inputs, input(n, files[n].Bytes()))
		}
	} else {
		inputs = []audit.Input{input(f.FileName(), stream.Bytes())}
	}
	an, err := audit.Analyze(context.Background(), inputs, audit.AnalyzeConfig{Catalog: cat, Scan: audit.ScanOptions{Workers: 2}})
	if err != nil {
		t.Fatalf("%s: analyze: %v", f, err)
	}
	return an.Report, st
}

func totals(r *report.Report) string {
	t := r.Totals
	return fmt.Sprintf("requests %d input %d cache_read %d write_5m %d write_1h %d output %d cost %s",
		t.Requests, t.InputTokens, t.CacheReadTokens, t.CacheWrite5mTokens, t.CacheWrite1hTokens, t.OutputTokens, t.CostUSD.String())
}

// wantRejected returns the rejections, by reason, that the bad lines of st
// must become when written in format f: every kind of bad line is rejected
// with its own reason in every format.
func wantRejected(f loggen.Format, st loggen.Stats) map[string]int64 {
	reasons := [...]string{
		loggen.BadInvalidJSON:    audit.ReasonInvalidJSON,
		loggen.BadNegativeTokens: audit.ReasonNegative,
		loggen.BadTimestamp:      audit.ReasonBadTimestamp,
		loggen.BadMissingModel:   "missing field model",
	}
	switch f {
	case loggen.FormatCanonicalCSV:
		reasons[loggen.BadInvalidJSON] = audit.ReasonBadCSV // a row cut short
	case loggen.FormatOTel:
		reasons[loggen.BadMissingModel] = "missing field gen_ai.request.model"
	case loggen.FormatGemini:
		reasons[loggen.BadMissingModel] = "missing field modelVersion"
	}
	want := map[string]int64{}
	for k, n := range st.Bad {
		if n > 0 {
			want[reasons[k]] += n
		}
	}
	return want
}

// checkCoverage asserts that every line written in format f is accounted
// for exactly: each record decoded and priced or unbilled, each copy a
// duplicate, each bad line rejected for its reason.
func checkCoverage(t *testing.T, f loggen.Format, r *report.Report, st loggen.Stats) {
	t.Helper()
	c := r.Coverage
	if c.Records != st.Records || c.Priced+c.Unbilled != st.Records || c.Unpriced != 0 {
		t.Errorf("%s: %d records (%d priced, %d unbilled, %d unpriced), wrote %d", f, c.Records, c.Priced, c.Unbilled, c.Unpriced, st.Records)
	}
	if want := wantRejected(f, st); c.Rejected != st.BadLines() || !maps.Equal(c.RejectedByReason, want) {
		t.Errorf("%s: %d rejected %v, wrote %d bad lines %v (want %v)", f, c.Rejected, c.RejectedByReason, st.BadLines(), st.Bad, want)
	}
	// Claude Code writes one response on several lines, which are
	// duplicates too, and its user turns are skipped.
	if f == loggen.FormatClaudeCode {
		if c.Duplicates < st.Duplicates {
			t.Errorf("%s: %d duplicates, wrote %d copies and more split lines", f, c.Duplicates, st.Duplicates)
		}
		return
	}
	if c.Duplicates != st.Duplicates || c.Skipped != 0 {
		t.Errorf("%s: %d duplicates, %d skipped; wrote %d duplicates", f, c.Duplicates, c.Skipped, st.Duplicates)
	}
}

// TestSameWorkloadSameTotalsInEveryFormat is the cross-format contract: the
// portable workloads written in every format that carries them decode to
// the same token totals and the same cost as the canonical log, with every
// duplicate and bad line accounted for.
func TestSameWorkloadSameTotalsInEveryFormat(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	clean := loggen.Options{Seed: 21, Requests: 1500}
	noisy := clean
	noisy.DupShare, noisy.BadShare = 0.02, 0.01

	t.Run("portable", func(t *testing.T) {
		want, _ := analyze(t, cat, loggen.Portable(), clean, loggen.FormatCanonical)
		if want.Totals.Requests != 1500 || want.Totals.CostUSD.IsZero() {
			t.Fatalf("canonical: %s", totals(want))
		}
		for _, f := range []loggen.Format{loggen.FormatCanonical, loggen.FormatCanonicalCSV, loggen.FormatOpenAI,
			loggen.FormatAnthropic, loggen.FormatOTel, loggen.FormatLiteLLM, loggen.FormatClaudeCode,
			loggen.FormatGemini, loggen.FormatBedrock, loggen.FormatLangfuse} {
			got, st := analyze(t, cat, loggen.Portable(), noisy, f)
			if totals(got) != totals(want) {
				t.Errorf("%s:\n got %s\nwant %s", f, totals(got), totals(want))
			}
			// Every kind of bad line is written, so each decoder's rejections
			// are exercised.
			if slices.Contains(st.Bad[:], 0) || got.Coverage.Priced != st.Records {
				t.Errorf("%s: %d priced, wrote %d records and bad lines %v", f, got.Coverage.Priced, st.Records, st.Bad)
			}
			checkCoverage(t, f, got, st)
		}
	})

	t.Run("portable-batch", func(t *testing.T) {
		want, _ := analyze(t, cat, loggen.PortableBatch(), clean, loggen.FormatCanonical)
		if want.Coverage.Unbilled == 0 || want.Totals.CostUSD.IsZero() {
			t.Fatalf("canonical: %s, %d unbilled", totals(want), want.Coverage.Unbilled)
		}
		for _, f := range []loggen.Format{loggen.FormatCanonicalCSV, loggen.FormatOpenAI} {
			got, st := analyze(t, cat, loggen.PortableBatch(), noisy, f)
			if totals(got) != totals(want) || got.Coverage.Unbilled != want.Coverage.Unbilled {
				t.Errorf("%s:\n got %s, %d unbilled\nwant %s, %d unbilled", f, totals(got), got.Coverage.Unbilled, totals(want), want.Coverage.Unbilled)
			}
			checkCoverage(t, f, got, st)
		}
		// The two batch result formats each hold one provider's job; together
		// they are the whole workload. Their bad lines include unparseable
		// "created" values, which must be rejected, not dated with the file
		// time.
		oa, oaSt := analyze(t, cat, loggen.PortableBatch(), noisy, loggen.FormatOpenAIBatch)
		an, anSt := analyze(t, cat, loggen.PortableBatch(), noisy, loggen.FormatAnthropicBatch)
		checkCoverage(t, loggen.FormatOpenAIBatch, oa, oaSt)
		checkCoverage(t, loggen.FormatAnthropicBatch, an, anSt)
		if oaSt.Bad[loggen.BadTimestamp] == 0 {
			t.Errorf("openai-batch: no bad timestamps written %v: pick a seed that writes one", oaSt.Bad)
		}
		sum := report.Totals{
			Requests:        oa.Totals.Requests + an.Totals.Requests,
			InputTokens:     oa.Totals.InputTokens + an.Totals.InputTokens,
			CacheReadTokens: oa.Totals.CacheReadTokens + an.Totals.CacheReadTokens,
			OutputTokens:    oa.Totals.OutputTokens + an.Totals.OutputTokens,
			CostUSD:         oa.Totals.CostUSD.Add(an.Totals.CostUSD),
		}
		if got := totals(&report.Report{Totals: sum}); got != totals(want) {
			t.Errorf("openai-batch + anthropic-batch:\n got %s\nwant %s", got, totals(want))
		}
		if u := oa.Coverage.Unbilled + an.Coverage.Unbilled; u != want.Coverage.Unbilled {
			t.Errorf("batch formats: %d unbilled, canonical %d", u, want.Coverage.Unbilled)
		}
	})
	// Bare Responses objects carry OpenAI interactive traffic only.
	t.Run("openai-responses", func(t *testing.T) {
		var w loggen.Workload
		for _, f := range loggen.Default().Workflows {
			if f.Provider == "openai" && f.Mode != "batch" {
				f.ErrorShare = 0
				w.Workflows = append(w.Workflows, f)
			}
		}
		want, _ := analyze(t, cat, w, clean, loggen.FormatCanonical)
		got, st := analyze(t, cat, w, noisy, loggen.FormatOpenAIResponses)
		if st.Skipped != 0 || totals(got) != totals(want) {
			t.Errorf("openai-responses (%d skipped):\n got %s\nwant %s", st.Skipped, totals(got), totals(want))
		}
		checkCoverage(t, loggen.FormatOpenAIResponses, got, st)
	})
}

// TestClaudeCodeContentChangesNoRecord checks that message text
// (Options.ContentBytes) only adds bytes: the tree with text decodes to the
// same records, coverage and cost as the tree with the placeholder, with
// lines of at least the asked size.
func TestClaudeCodeContentChangesNoRecord(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	opts := loggen.Options{Seed: 5, Requests: 3000, DupShare: 0.02, BadShare: 0.01}
	want, wst := analyze(t, cat, loggen.Default(), opts, loggen.FormatClaudeCode)
	opts.ContentBytes = 2000
	got, gst := analyze(t, cat, loggen.Default(), opts, loggen.FormatClaudeCode)
	if totals(got) != totals(want) || got.Coverage.Records != want.Coverage.Records ||
		got.Coverage.Duplicates != want.Coverage.Duplicates || got.Coverage.Rejected != want.Coverage.Rejected {
		t.Errorf("with content: %s, coverage %+v\nwithout:      %s, coverage %+v", totals(got), got.Coverage, totals(want), want.Coverage)
	}
	if gst.Records != wst.Records || gst.Bytes < wst.Bytes+int64(opts.ContentBytes)*gst.Records*2 {
		t.Errorf("with content: %d records, %d bytes; without: %d records, %d bytes", gst.Records, gst.Bytes, wst.Records, wst.Bytes)
	}
}
