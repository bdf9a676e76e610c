package audit

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify" // classify is a function of decode_format.go until the decoders move out
	"github.com/costaudit/costaudit/internal/numfmt"
)

// DefaultMaxWorkflows is the number of workflows a report lists one by one
// unless told otherwise (BuildOptions.MaxWorkflows, analyze
// --max-workflows); the others are folded into one row per class.
const DefaultMaxWorkflows = 5000

// FoldedBasis is the classify.Classification.Basis of a row of folded workflows.
const FoldedBasis = "folded"

// foldName names the row that holds the folded workflows of class. The
// name does not carry their number (the evidence does), so that diff
// matches the row from one month's report to the next.
func foldName(class string) string { return "(other " + class + " workflows)" }

// confidenceRank orders confidences from the lowest.
var confidenceRank = map[string]int{classify.ConfidenceLow: 0, classify.ConfidenceMedium: 1, classify.ConfidenceHigh: 2}

// fold bounds the workflows of the report: when the aggregate holds more
// than max, it keeps the max costliest (cost descending, then name) and
// folds every other into one row per latency class, named "(other
// scheduled workflows)". Each workflow is classified on its own evidence
// before it is folded, so the class totals, the batch what-if (priced row
// by row) and every sum stay exact; only the per-workflow detail of the
// long tail is given up. It rewrites b.agg in place and returns a note for
// the report, or "" when nothing was folded.
func (b *builder) fold(max int) (string, error) {
	if max <= 0 || len(b.cls) <= max {
		return "", nil
	}
	a := b.agg
	cost := make(map[string]decimal.Decimal, len(b.cls))
	for row := range a.EachRow() {
		if row.Status != aggregate.RowPriced {
			continue
		}
		q, err := b.cat.Quote(row.PriceKey, row.Mode, row.Usage())
		if err != nil {
			return "", fmt.Errorf("price workflow %q model %q on %s: %w", row.Workflow, row.Model, row.Day, err)
		}
		cost[row.Workflow] = cost[row.Workflow].Add(q.Total)
	}
	names := make([]string, 0, len(b.cls))
	for name := range b.cls {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		if c := cost[names[i]].Cmp(cost[names[j]]); c != 0 {
			return c > 0
		}
		return names[i] < names[j]
	})
	tail := names[max:]
	cost = nil

	// One bucket per class.
	count := map[string]int64{}
	for _, name := range tail {
		count[b.cls[name].Class]++
	}
	bucket := map[string]string{} // workflow -> bucket name
	buckets := map[string]*classify.Classification{}
	kept := map[string]bool{}
	for _, name := range names[:max] {
		kept[name] = true
	}
	for _, name := range tail {
		c := b.cls[name]
		bn := foldName(c.Class)
		for kept[bn] {
			bn += "*" // a logged workflow already has the name
		}
		bucket[name] = bn
		bc := buckets[bn]
		if bc == nil {
			bc = &classify.Classification{Workflow: bn, Class: c.Class, Confidence: c.Confidence, Basis: FoldedBasis}
			buckets[bn] = bc
		}
		if confidenceRank[c.Confidence] < confidenceRank[bc.Confidence] {
			bc.Confidence = c.Confidence
		}
		bc.Requests += c.Requests
		if len(c.Evidence) > 0 && c.Evidence[0] == classify.Unclassified {
			b.foldedUnclassified++
		}
		delete(b.cls, name)
	}

	// Move the rows and the evidence counts of the tail into the buckets.
	a.Rename(bucket)
	for bn, bc := range buckets {
		if ws := a.Workflow(bn); ws != nil {
			bc.AlreadyBatched = ws.Requests > 0 && 2*ws.Modes["batch"] > ws.Requests
		}
		bc.Evidence = []string{fmt.Sprintf("%s workflows outside the %s costliest, each classified %s on its own evidence, folded into one row: requests, tokens and cost are their exact sums (--max-workflows 0 lists every workflow)",
			numfmt.Int(count[bc.Class]), numfmt.Int(int64(max)), bc.Class)}
		b.cls[bn] = *bc
	}
	return fmt.Sprintf("%s workflows: the %s costliest are listed one by one; the other %s are folded into one row per latency class with their exact request, token and cost sums (--max-workflows N lists more, 0 all)",
		numfmt.Int(int64(len(names))), numfmt.Int(int64(max)), numfmt.Int(int64(len(tail)))), nil
}
