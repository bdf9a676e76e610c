package loggen_test

import (
	"bytes"
	"fmt"
	"io"
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
	stats, cons, err := audit.Scan(inputs, audit.ScanOptions{Workers: 2},
		func() audit.Consumer { return audit.NewAggregator(cat, audit.AggregateOptions{}) })
	if err != nil {
		t.Fatalf("%s: scan: %v", f, err)
	}
	agg, err := audit.MergeConsumers(cons)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.BuildReport(agg, stats, cat, audit.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rep, st
}

func totals(r *report.Report) string {
	t := r.Totals
	return fmt.Sprintf("requests %d input %d cache_read %d write_5m %d write_1h %d output %d cost %s",
		t.Requests, t.InputTokens, t.CacheReadTokens, t.CacheWrite5mTokens, t.CacheWrite1hTokens, t.OutputTokens, t.CostUSD.String())
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
			loggen.FormatAnthropic, loggen.FormatOTel, loggen.FormatLiteLLM, loggen.FormatClaudeCode} {
			opts := noisy
			if f == loggen.FormatCanonicalCSV {
				// The CSV decoder takes a row cut short for a record.
				opts.BadShare = 0
			}
			got, st := analyze(t, cat, loggen.Portable(), opts, f)
			if totals(got) != totals(want) {
				t.Errorf("%s:\n got %s\nwant %s", f, totals(got), totals(want))
			}
			// Every line is accounted for: each record priced, each bad line
			// rejected (or, for a Claude Code line without a model, unpriced).
			c := got.Coverage
			if c.Priced != st.Records || c.Records+c.Rejected != st.Records+st.BadLines() {
				t.Errorf("%s: %d records (%d priced), %d rejected; wrote %d records, %d bad lines", f, c.Records, c.Priced, c.Rejected, st.Records, st.BadLines())
			}
			// Claude Code's split messages count as duplicates too.
			if f != loggen.FormatClaudeCode && c.Duplicates != st.Duplicates {
				t.Errorf("%s: %d duplicates, wrote %d", f, c.Duplicates, st.Duplicates)
			}
		}
	})

	t.Run("portable-batch", func(t *testing.T) {
		want, _ := analyze(t, cat, loggen.PortableBatch(), clean, loggen.FormatCanonical)
		if want.Coverage.Unbilled == 0 || want.Totals.CostUSD.IsZero() {
			t.Fatalf("canonical: %s, %d unbilled", totals(want), want.Coverage.Unbilled)
		}
		for _, f := range []loggen.Format{loggen.FormatCanonicalCSV, loggen.FormatOpenAI} {
			opts := noisy
			if f == loggen.FormatCanonicalCSV {
				opts.BadShare = 0
			}
			got, _ := analyze(t, cat, loggen.PortableBatch(), opts, f)
			if totals(got) != totals(want) || got.Coverage.Unbilled != want.Coverage.Unbilled {
				t.Errorf("%s:\n got %s, %d unbilled\nwant %s, %d unbilled", f, totals(got), got.Coverage.Unbilled, totals(want), want.Coverage.Unbilled)
			}
		}
		// The two batch result formats each hold one provider's job; together
		// they are the whole workload.
		// Without bad lines: the batch decoder dates a line whose "created"
		// is unparseable with the file time instead of rejecting it.
		dups := clean
		dups.DupShare = noisy.DupShare
		oa, _ := analyze(t, cat, loggen.PortableBatch(), dups, loggen.FormatOpenAIBatch)
		an, _ := analyze(t, cat, loggen.PortableBatch(), dups, loggen.FormatAnthropicBatch)
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
		if c := got.Coverage; c.Records+c.Rejected != st.Records+st.BadLines() || c.Duplicates != st.Duplicates {
			t.Errorf("openai-responses: coverage %+v; wrote %d records, %d duplicates, %d bad lines", c, st.Records, st.Duplicates, st.BadLines())
		}
	})
}
