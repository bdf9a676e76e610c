package audit_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// countConsumer counts the records it is handed.
type countConsumer struct{ n int64 }

func (c *countConsumer) Consume(*audit.Record) { c.n++ }

func TestAnalyze(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := audit.ExpandInputs([]string{"../examples/logs/canonical.jsonl"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("measure sees every record", func(t *testing.T) {
		an, err := audit.Analyze(context.Background(), inputs, audit.AnalyzeConfig{
			Catalog: cat,
			Scan:    audit.ScanOptions{Workers: 3},
			Measure: func() audit.Consumer { return &countConsumer{} },
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(an.Measures) != 3 {
			t.Fatalf("measures: got %d, want one per worker (3)", len(an.Measures))
		}
		var n int64
		for _, m := range an.Measures {
			n += m.(*countConsumer).n
		}
		if n != an.Stats.Records || n != 1000 {
			t.Errorf("measured records: got %d, want %d (Stats.Records) = 1000", n, an.Stats.Records)
		}
		if an.Report.Coverage.Priced != 999 {
			t.Errorf("priced: got %d, want 999", an.Report.Coverage.Priced)
		}
	})
	t.Run("no catalog", func(t *testing.T) {
		_, err := audit.Analyze(context.Background(), inputs, audit.AnalyzeConfig{})
		if err == nil || !strings.Contains(err.Error(), "no catalog") {
			t.Errorf("got %v, want a no catalog error", err)
		}
	})
	t.Run("cancelled before the scan", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := audit.Analyze(ctx, inputs, audit.AnalyzeConfig{Catalog: cat})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	})
	t.Run("cancelled during the scan", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		in := []audit.Input{{Name: "endless.jsonl", Size: -1, Open: func() (io.ReadCloser, error) {
			return io.NopCloser(&cancelAfter{cancel: cancel, left: 3}), nil
		}}}
		_, err := audit.Analyze(ctx, in, audit.AnalyzeConfig{Catalog: cat})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	})
}

// cancelAfter is an endless reader of canonical lines that cancels its
// context after left reads.
type cancelAfter struct {
	cancel func()
	left   int
}

func (r *cancelAfter) Read(p []byte) (int, error) {
	if r.left--; r.left <= 0 {
		r.cancel()
	}
	line := `{"ts":"2026-11-02T01:01:17Z","request_id":"","provider":"openai","model":"o4-mini","workflow":"w","input_tokens":1,"output_tokens":1,"status":"ok"}` + "\n"
	n := 0
	for n+len(line) <= len(p) {
		n += copy(p[n:], line)
	}
	return n, nil
}
