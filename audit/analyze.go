package audit

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
)

// AnalyzeConfig configures Analyze: the catalog to price with and the
// options of each stage of the pipeline.
type AnalyzeConfig struct {
	// Catalog prices every record; required.
	Catalog *pricing.Catalog
	// Scan configures decoding (format, workflow key, workers, rejects).
	Scan ScanOptions
	// Aggregate configures aggregation (time zone, window, group-by keys).
	// When Build.Rules is set and TagKeys is nil, TagKeys defaults to the
	// tag keys the rules match on, which the rules need counted.
	Aggregate aggregate.Options
	// Build configures the report (rules, batch classes, folding).
	Build BuildOptions
	// Measure, when set, makes one extra consumer per worker that sees
	// every record the worker's aggregator sees, for callers that measure
	// something more in the same pass (the CLI's what-if calibration).
	// Analyze returns them unmerged in Analysis.Measures.
	Measure func() Consumer
}

// Analysis is what Analyze produced.
type Analysis struct {
	// Report is the priced, classified report.
	Report *report.Report
	// Stats counts what the scan read (every input line accounted for).
	Stats Stats
	// Aggregate is the merged aggregate the report was built from (folded
	// in place when Build.MaxWorkflows folded the report); it holds the
	// per-workflow arrival evidence.
	Aggregate *aggregate.Aggregator
	// Measures are the consumers AnalyzeConfig.Measure made, one per
	// worker, in worker order; nil without Measure.
	Measures []Consumer
}

// Analyze runs the whole audit pipeline over inputs: Scan decodes them in
// parallel into one aggregate.Aggregator per worker, MergeConsumers merges
// those, and
// BuildReport classifies the workflows, prices the aggregate and assembles
// the report. It is the one call a library user needs; the stages stay
// exported for callers that feed their own aggregate (pre-aggregated files,
// the DuckDB engine).
//
// ctx stops the scan between reads: once it is done, the next read of an
// input fails with ctx's error, which Analyze returns. Errors are those of
// the stages, unchanged.
func Analyze(ctx context.Context, inputs []Input, cfg AnalyzeConfig) (*Analysis, error) {
	if cfg.Catalog == nil {
		return nil, errors.New("analyze: no catalog: load the price books with pricing.Load and set AnalyzeConfig.Catalog")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	aggOpts := cfg.Aggregate
	if cfg.Build.Rules != nil && aggOpts.TagKeys == nil {
		aggOpts.TagKeys = cfg.Build.Rules.TagKeys()
	}
	newConsumer := func() Consumer { return aggregate.New(cfg.Catalog, aggOpts) }
	if cfg.Measure != nil {
		newConsumer = func() Consumer {
			return &measured{Aggregator: aggregate.New(cfg.Catalog, aggOpts), measure: cfg.Measure()}
		}
	}
	stats, cons, err := Scan(withContext(ctx, inputs), cfg.Scan, newConsumer)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Analysis{Stats: stats}
	aggs := make([]Consumer, len(cons))
	for i, c := range cons {
		aggs[i] = c
		if m, ok := c.(*measured); ok {
			aggs[i] = m.Aggregator
			res.Measures = append(res.Measures, m.measure)
		}
	}
	if res.Aggregate, err = MergeConsumers(aggs); err != nil {
		return nil, err
	}
	if res.Report, err = BuildReport(res.Aggregate, stats, cfg.Catalog, cfg.Build); err != nil {
		return nil, err
	}
	return res, nil
}

// measured is the consumer of one worker under AnalyzeConfig.Measure: its
// aggregator and the caller's measuring consumer, fed the same records.
type measured struct {
	*aggregate.Aggregator
	measure Consumer
}

// Consume aggregates r and hands it to the measuring consumer.
func (m *measured) Consume(r *Record) {
	m.Aggregator.Consume(r)
	m.measure.Consume(r)
}

// withContext returns inputs whose readers fail with ctx's error once ctx
// is done. A context that can never be done leaves inputs as they are.
func withContext(ctx context.Context, inputs []Input) []Input {
	if ctx.Done() == nil {
		return inputs
	}
	out := make([]Input, len(inputs))
	for i, in := range inputs {
		open := in.Open
		in.Open = func() (io.ReadCloser, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rc, err := open()
			if err != nil {
				return nil, err
			}
			return ctxReader{ctx: ctx, ReadCloser: rc}, nil
		}
		out[i] = in
	}
	return out
}

// ctxReader is a ReadCloser that fails with its context's error once the
// context is done.
type ctxReader struct {
	ctx context.Context
	io.ReadCloser
}

// Read reads from the underlying reader unless the context is done.
func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.ReadCloser.Read(p)
}

// MergeConsumers merges the consumers returned by Scan, which must all be
// aggregators.
func MergeConsumers(cs []Consumer) (*aggregate.Aggregator, error) {
	aggs := make([]*aggregate.Aggregator, 0, len(cs))
	for i, c := range cs {
		g, ok := c.(*aggregate.Aggregator)
		if !ok {
			return nil, fmt.Errorf("merge consumers: consumer %d is %T, not *aggregate.Aggregator", i, c)
		}
		aggs = append(aggs, g)
	}
	if len(aggs) == 0 {
		return nil, errors.New("merge consumers: no aggregators")
	}
	// The consumers are not used again: merge them into the first, moving
	// rows and workflow stats instead of copying them, so that merging
	// never holds two copies of the aggregate.
	out := aggs[0]
	for _, g := range aggs[1:] {
		out.Take(g)
	}
	return out, nil
}

// FileStats returns the coverage counts of an aggregate file (read by an
// aggregate.Loader) as the Stats that BuildReport takes, as if a scan of
// one pass had read them.
func FileStats(c aggregate.Coverage) Stats {
	return Stats{
		Files: c.Files, Lines: c.Lines, Records: c.Records, Duplicates: c.Duplicates, Rejected: c.Rejected,
		RejectedByReason: c.RejectedByReason, Formats: c.Formats, Passes: 1,
	}
}
