package aggregate

// The aggregate interchange file: what a warehouse, DuckDB or any engine
// that can GROUP BY hands to costaudit instead of the raw request logs.
// See FileRecord for the format, ReadFile to read it and Loader to
// rebuild an Aggregator from it.

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/pricing"
)

// Kinds of FileRecord: the value of its kind column.
const (
	// KindRow sums the requests sharing workflow, provider, model, mode,
	// billed, logged_cost, day and input_above: the tokens that are priced.
	KindRow = "row"
	// KindEvidence counts the requests of a workflow sharing source, mode,
	// model, team, user_waiting and ttft_bucket: the classification evidence.
	KindEvidence = "evidence"
	// KindArrival counts the requests of a workflow per UTC minute, with the
	// first arrival and the tokens: the arrival pattern.
	KindArrival = "arrival"
	// KindTag counts the requests of a workflow carrying the tag "key=value"
	// (for classification rules that match on tags).
	KindTag = "tag"
	// KindScanned counts the records the query read (lines of the logs).
	KindScanned = "scanned"
	// KindDuplicate counts the records dropped as copies of a request id.
	KindDuplicate = "duplicate"
	// KindRejected counts the records the query rejected, per reason.
	KindRejected = "rejected"
	// KindFiltered counts the records outside the query's time window.
	KindFiltered = "filtered"
)

// FileColumns are the columns of the aggregate file in their canonical order
// (the CSV header; the keys of each JSONL object).
var FileColumns = []string{
	"kind", "workflow", "provider", "model", "mode", "billed", "logged_cost", "day",
	"input_above", "source", "team", "user_waiting", "ttft_bucket", "tag", "bin", "reason", "group_values",
	"requests", "input_tokens", "cache_read_tokens", "cache_write_5m_tokens",
	"cache_write_1h_tokens", "output_tokens", "reasoning_tokens",
	"cancelled_streams", "cancelled_output_tokens", "cancelled_with_max_tokens",
	"cancelled_headroom_tokens", "logged_cost_usd", "ttft_sum_ms", "first_ts_us", "last_ts_us",
}

// FileRecord is one record of the aggregate interchange file: a line of
// JSONL or a row of CSV with the columns FileColumns. Every kind uses the
// same columns; a column a kind does not use is empty or 0 and ignored.
// Every count is a sum, so records of the same kind and key add up, and
// the records of several files (one query per month) add up too.
//
// Kind "row" sums the priced part. Its key is workflow, provider, model,
// mode, billed, logged_cost, day, input_above and group_values:
//
//   - provider is as logged (lower case); the price books resolve it on
//     reading. model is as logged.
//   - billed is 0 for status error or expired and for cancelled batch
//     requests, else 1.
//   - day is the calendar day YYYY-MM-DD in the query's time zone (UTC
//     unless costaudit sql --tz says otherwise; analyze must read the file
//     with the same --tz).
//   - input_above is the largest long-context threshold of the price books
//     that the request's total input (input + cache reads + cache writes)
//     is strictly above, 0 when none; the price tier follows from it.
//   - group_values holds the values of the query's --group-by keys in
//     order, as a JSON array of strings such as ["support","prod"] (""
//     when a record lacks the field); empty without --group-by.
//
// A row carries requests; the disjoint token buckets input_tokens,
// cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens and
// output_tokens (reasoning_tokens is the informational part of output);
// the early-cancel sums over stream requests with status cancelled:
// cancelled_streams, cancelled_output_tokens, cancelled_with_max_tokens and
// cancelled_headroom_tokens (max_tokens minus output, when positive, over
// those that logged max_tokens); logged_cost_usd, an exact decimal (the
// key logged_cost is 1 when the records carry one); and first_ts_us and
// last_ts_us, the first and last request start in microseconds since
// 1970-01-01 UTC.
//
// Kind "evidence" counts requests per workflow, source, mode, model, team,
// user_waiting (1, 0, or -1 when not logged) and ttft_bucket (an index into
// TTFTBoundsMS, -1 when no time to first token was logged), with
// ttft_sum_ms.
//
// Kind "arrival" counts requests per workflow, provider, model, mode,
// billed, input_above (as in a row) and UTC minute: day is the minute's
// UTC day, bin its 10-minute bin of that day (0..143), first_ts_us the
// first request start inside the minute (its minute and millisecond are
// what the classifier reads), and input_tokens, cache_read_tokens,
// cache_write_5m_tokens, cache_write_1h_tokens and output_tokens the sums
// of the minute's requests (the reader prices the record as a row of the
// same key, and counts its tokens as priced usage when it is priced, to
// price the job part of a mixed workflow). An arrival record with
// first_ts_us 0 (a file written before minute cells) is a 10-minute bin:
// day and bin only; the classifier then reads no onset or pace.
//
// Kind "tag" counts requests per workflow and tag "key=value".
//
// Kinds "scanned", "duplicate", "rejected" (per reason) and "filtered"
// (outside the query's --since/--until) carry the query's coverage counts
// in requests. They are optional.
//
// Booleans are written 1 or 0 (true and false are read too). A row as CSV:
//
//	kind,workflow,provider,model,mode,billed,logged_cost,day,input_above,...,requests,input_tokens,...
//	row,nightly-enrich,openai,gpt-4.1,sync,1,0,2026-11-02,0,...,350,525000,...
type FileRecord struct {
	Kind        string   `json:"kind"`
	Workflow    string   `json:"workflow"`
	Provider    string   `json:"provider"`
	Model       string   `json:"model"`
	Mode        string   `json:"mode"`
	Billed      bool     `json:"billed"`
	LoggedCost  bool     `json:"logged_cost"`
	Day         string   `json:"day"`
	InputAbove  int64    `json:"input_above"`
	Source      string   `json:"source"`
	Team        string   `json:"team"`
	UserWaiting int64    `json:"user_waiting"`
	TTFTBucket  int64    `json:"ttft_bucket"`
	Tag         string   `json:"tag"`
	Bin         int64    `json:"bin"`
	Reason      string   `json:"reason"`
	Groups      []string `json:"group_values"`

	Requests                int64           `json:"requests"`
	InputTokens             int64           `json:"input_tokens"`
	CacheReadTokens         int64           `json:"cache_read_tokens"`
	CacheWrite5mTokens      int64           `json:"cache_write_5m_tokens"`
	CacheWrite1hTokens      int64           `json:"cache_write_1h_tokens"`
	OutputTokens            int64           `json:"output_tokens"`
	ReasoningTokens         int64           `json:"reasoning_tokens"`
	CancelledStreams        int64           `json:"cancelled_streams"`
	CancelledOutputTokens   int64           `json:"cancelled_output_tokens"`
	CancelledWithMax        int64           `json:"cancelled_with_max_tokens"`
	CancelledHeadroomTokens int64           `json:"cancelled_headroom_tokens"`
	LoggedCostUSD           decimal.Decimal `json:"logged_cost_usd"`
	TTFTSumMS               int64           `json:"ttft_sum_ms"`
	FirstTSUS               int64           `json:"first_ts_us"`
	LastTSUS                int64           `json:"last_ts_us"`
}

// Loader rebuilds an Aggregator from aggregate records: it resolves each
// row's model against the aggregator's price books, keys it to the price
// entry and tier in force, and adds the evidence, so that BuildReport gives
// the report the streaming engine gives for the same records. It also
// collects the coverage records (see Coverage).
type Loader struct {
	agg     *Aggregator
	stats   Coverage
	tagSeen map[string]bool
	// Hints says how to fix a row summed with other options than the
	// aggregator's; NewLoader sets DefaultHints, and a caller may
	// name its own settings instead (the CLI names its flags).
	Hints Hints
}

// Hints are the fixes Loader.Add names when a row was summed with
// other options than the aggregator's: other group-by keys, another time
// zone, another time window.
type Hints struct {
	GroupBy, TZ, Window string
}

// DefaultHints name the Options fields the rows must match.
var DefaultHints = Hints{
	GroupBy: "sum the rows with the same group-by keys as aggregate.Options.GroupBy",
	TZ:      "sum the rows with the time zone you report in, aggregate.Options.TZ",
	Window:  "sum the rows with the same aggregate.Options.Since and Until",
}

// NewLoader returns a loader that adds records to agg. The rows must
// have been summed with agg's group-by keys, time zone and time window: a row with another
// number of group values, or whose first or last request falls outside its
// day in agg's time zone or outside agg's window, is an error.
func NewLoader(agg *Aggregator) (*Loader, error) {
	return &Loader{agg: agg, stats: Coverage{RejectedByReason: map[string]int64{}, Formats: map[string]int64{}}, tagSeen: map[string]bool{}, Hints: DefaultHints}, nil
}

// Aggregator returns the aggregator the loader fills.
func (l *Loader) Aggregator() *Aggregator { return l.agg }

// Coverage is what an aggregate file says about the input behind its rows,
// in the fields of the scan's statistics: the input files and their
// formats, the lines read, the records (the rows' requests and the
// filtered records), the duplicates, and the rejections by reason.
type Coverage struct {
	Files                                int
	Lines, Records, Duplicates, Rejected int64
	RejectedByReason                     map[string]int64
	Formats                              map[string]int64
}

// Coverage returns the coverage counts: Records is the sum of the rows'
// requests and the filtered records; Lines, Duplicates, Rejected and
// RejectedByReason come from the scanned, duplicate and rejected records
// (Lines defaults to Records plus duplicates and rejections when the file
// has no scanned record).
func (l *Loader) Coverage() Coverage {
	s := l.stats
	s.RejectedByReason = make(map[string]int64, len(l.stats.RejectedByReason))
	for k, v := range l.stats.RejectedByReason {
		s.RejectedByReason[k] = v
	}
	s.Formats = make(map[string]int64, len(l.stats.Formats))
	for k, v := range l.stats.Formats {
		s.Formats[k] = v
	}
	if s.Lines == 0 {
		s.Lines = s.Records + s.Duplicates + s.Rejected
	}
	return s
}

// MissingTagKeys returns the tag keys the aggregator counts (for rules and
// tag group-by keys) of which the file held no tag record: either no
// record carries the tag, or the query was made without --tag-key for it.
func (l *Loader) MissingTagKeys() []string {
	var out []string
	for _, k := range l.agg.opts.TagKeys {
		if !l.tagSeen[k] {
			out = append(out, k)
		}
	}
	return out
}

// SetInputs records the inputs the records came from, for the coverage
// section: files read and files per format.
func (l *Loader) SetInputs(files int, formats map[string]int64) {
	l.stats.Files = files
	for k, v := range formats {
		l.stats.Formats[k] += v
	}
}

// Add adds one record. Errors name the column and value.
func (l *Loader) Add(r *FileRecord) error {
	if r.Requests < 0 {
		return fmt.Errorf("requests: negative value %d", r.Requests)
	}
	switch r.Kind {
	case KindRow:
		return l.addRow(r)
	case KindEvidence:
		return l.addEvidence(r)
	case KindArrival:
		return l.addArrival(r)
	case KindTag:
		if r.Tag == "" {
			return fmt.Errorf("tag: empty (want key=value)")
		}
		l.workflow(r.Workflow).Tags[r.Tag] += r.Requests
		k, _, _ := strings.Cut(r.Tag, "=")
		l.tagSeen[k] = true
	case KindScanned:
		l.stats.Lines += r.Requests
	case KindDuplicate:
		l.stats.Duplicates += r.Requests
	case KindFiltered:
		l.agg.filtered += r.Requests
		l.stats.Records += r.Requests
	case KindRejected:
		if r.Reason == "" {
			return fmt.Errorf("reason: empty (a rejected record names its reason)")
		}
		l.stats.Rejected += r.Requests
		if r.Requests > 0 {
			l.stats.RejectedByReason[r.Reason] += r.Requests
		}
	default:
		return fmt.Errorf("kind %q: unknown (allowed: row, evidence, arrival, tag, scanned, duplicate, rejected, filtered)", r.Kind)
	}
	return nil
}

func workflowName(s string) string {
	if s == "" {
		return UnnamedWorkflow
	}
	return s
}

func (l *Loader) workflow(name string) *WorkflowStats {
	name = workflowName(name)
	w := l.agg.wfs[name]
	if w == nil {
		w = NewWorkflowStats(name)
		l.agg.wfs[name] = w
	}
	return w
}

func parseAggMode(s string) (pricing.Mode, error) {
	m, err := pricing.ParseMode(s)
	if err != nil {
		return "", fmt.Errorf("mode %q: unknown (allowed: sync, stream, batch, flex, priority)", s)
	}
	return m, nil
}

func (l *Loader) addEvidence(r *FileRecord) error {
	mode, err := parseAggMode(r.Mode)
	if err != nil {
		return err
	}
	if r.UserWaiting < -1 || r.UserWaiting > 1 {
		return fmt.Errorf("user_waiting %d: want 1, 0 or -1 (not logged)", r.UserWaiting)
	}
	if r.TTFTBucket < -1 || r.TTFTBucket > int64(len(TTFTBoundsMS)) {
		return fmt.Errorf("ttft_bucket %d: out of range -1..%d", r.TTFTBucket, len(TTFTBoundsMS))
	}
	n := r.Requests
	w := l.workflow(r.Workflow)
	w.Requests += n
	switch r.UserWaiting {
	case 1:
		w.UserWaitingYes += n
	case 0:
		w.UserWaitingNo += n
	}
	w.Sources[r.Source] += n
	w.Modes[string(mode)] += n
	w.Models[strings.ToLower(strings.TrimSpace(r.Model))] += n
	if r.Team != "" {
		w.Teams[r.Team] += n
	}
	if r.TTFTBucket >= 0 {
		w.TTFT.Count += n
		w.TTFT.SumMS += r.TTFTSumMS
		w.TTFT.Hist[r.TTFTBucket] += n
	}
	if mode == pricing.ModeStream {
		w.Streams += n
		if r.TTFTBucket >= 0 {
			w.StreamsTTFT += n
		}
	}
	return nil
}

func (l *Loader) addRow(r *FileRecord) error {
	a := l.agg
	mode, err := parseAggMode(r.Mode)
	if err != nil {
		return err
	}
	day, err := time.Parse(time.DateOnly, r.Day)
	if err != nil {
		return fmt.Errorf("day %q: want a date such as 2026-06-01", r.Day)
	}
	if len(r.Groups) != len(a.opts.GroupBy) {
		return fmt.Errorf("group_values: %d values for the %d group-by keys [%s] (%s)", len(r.Groups), len(a.opts.GroupBy), strings.Join(a.opts.GroupBy, " "), l.Hints.GroupBy)
	}
	if r.InputAbove < 0 {
		return fmt.Errorf("input_above: negative value %d", r.InputAbove)
	}
	for _, c := range []struct {
		name string
		v    int64
	}{
		{"input_tokens", r.InputTokens}, {"cache_read_tokens", r.CacheReadTokens},
		{"cache_write_5m_tokens", r.CacheWrite5mTokens}, {"cache_write_1h_tokens", r.CacheWrite1hTokens},
		{"output_tokens", r.OutputTokens}, {"reasoning_tokens", r.ReasoningTokens},
		{"cancelled_streams", r.CancelledStreams}, {"cancelled_output_tokens", r.CancelledOutputTokens},
		{"cancelled_with_max_tokens", r.CancelledWithMax}, {"cancelled_headroom_tokens", r.CancelledHeadroomTokens},
	} {
		if c.v < 0 {
			return fmt.Errorf("%s: negative value %d", c.name, c.v)
		}
	}
	if r.Requests > 0 && r.LastTSUS < r.FirstTSUS {
		return fmt.Errorf("last_ts_us %d: before first_ts_us %d", r.LastTSUS, r.FirstTSUS)
	}
	first, last := time.UnixMicro(r.FirstTSUS).UTC(), time.UnixMicro(r.LastTSUS).UTC()
	if r.Requests > 0 && (!sameDay(first.In(a.tz), day) || !sameDay(last.In(a.tz), day)) {
		return fmt.Errorf("first_ts_us %d, last_ts_us %d: not inside day %s in %s (%s)", r.FirstTSUS, r.LastTSUS, r.Day, a.tz, l.Hints.TZ)
	}
	if r.Requests > 0 && ((!a.opts.Since.IsZero() && first.Before(a.opts.Since)) || (!a.opts.Until.IsZero() && !last.Before(a.opts.Until))) {
		return fmt.Errorf("first_ts_us %d, last_ts_us %d: outside the reported window (%s)", r.FirstTSUS, r.LastTSUS, l.Hints.Window)
	}
	k := rowKey{
		workflow: workflowName(r.Workflow),
		provider: r.Provider,
		model:    r.Model,
		mode:     mode,
		logged:   r.LoggedCost,
		day:      civilDay(day.Date()),
		groups:   strings.Join(r.Groups, groupSep),
	}
	m := a.resolve(r.Provider, r.Model)
	k.model = m.display
	if m.err == nil {
		k.provider = m.res.Provider
	}
	// A representative total input: the tier depends only on which
	// thresholds the total is above.
	total := int64(0)
	if r.InputAbove > 0 {
		total = r.InputAbove + 1
	}
	switch {
	case !r.Billed:
		k.status = statusUnbilled
	case m.err != nil:
		k.status = statusUnpriced
		a.noteUnpriced(m.display, m.err)
	default:
		pk, err := a.cat.KeyResolved(m.res, first, total)
		if err != nil {
			k.status = statusUnpriced
			a.notePredate(m, m.display, first, err)
			break
		}
		if mode != pricing.ModeSync && mode != pricing.ModeStream && !a.modePriced(pk, mode, m.display) {
			k.status = statusUnpriced
			break
		}
		if pk2, err2 := a.cat.KeyResolved(m.res, last, total); err2 != nil || pk2 != pk {
			return fmt.Errorf("first_ts_us %d, last_ts_us %d: the price of %s/%s changes between them; split the row at the price change (group by hour)", r.FirstTSUS, r.LastTSUS, m.res.Provider, m.res.ModelID)
		}
		k.status = statusPriced
		k.pk = pk
		lo, hi := first.UnixNano(), last.UnixNano()
		if !a.havePriced || lo < a.minTS {
			a.minTS = lo
		}
		if !a.havePriced || hi > a.maxTS {
			a.maxTS = hi
		}
		a.havePriced = true
	}
	v := &rowVal{
		usage: pricing.Usage{
			Requests:     r.Requests,
			Input:        r.InputTokens,
			CacheRead:    r.CacheReadTokens,
			CacheWrite5m: r.CacheWrite5mTokens,
			CacheWrite1h: r.CacheWrite1hTokens,
			Output:       r.OutputTokens,
		},
		reasoning: r.ReasoningTokens,
		cancelled: r.CancelledStreams,
		cDeliv:    r.CancelledOutputTokens,
		cWithMax:  r.CancelledWithMax,
		cHeadroom: r.CancelledHeadroomTokens,
	}
	if r.LoggedCost {
		v.logged = r.LoggedCostUSD
	}
	dst := a.rows[k]
	if dst == nil {
		dst = &rowVal{}
		a.rows[k] = dst
	}
	if !dst.add(v) {
		a.overflow = true
	}
	l.stats.Records += r.Requests
	return nil
}

func sameDay(t, day time.Time) bool {
	y, m, d := t.Date()
	y2, m2, d2 := day.Date()
	return y == y2 && m == m2 && d == d2
}

// addArrival adds an arrival record: a minute cell when it carries
// first_ts_us, else (a file written before minute cells) a 10-minute bin.
func (l *Loader) addArrival(r *FileRecord) error {
	w := l.workflow(r.Workflow)
	if r.FirstTSUS == 0 {
		return w.Arrival.AddCell(ArrivalCell{Day: r.Day, Bin: int(r.Bin), Requests: r.Requests})
	}
	first := time.UnixMicro(r.FirstTSUS).UTC()
	if r.Day != "" && r.Day != first.Format(time.DateOnly) {
		return fmt.Errorf("day %q: not the UTC day of first_ts_us %d (%s); arrival records are summed per UTC day", r.Day, r.FirstTSUS, first.Format(time.DateOnly))
	}
	minute, off := ArrivalMinute(first)
	if bin := floorMod(minute, 1440) / BinMinutes; r.Bin != bin {
		return fmt.Errorf("bin %d: first_ts_us %d falls in bin %d (the 10-minute bin of the UTC day)", r.Bin, r.FirstTSUS, bin)
	}
	for _, c := range []struct {
		name string
		v    int64
	}{
		{"input_tokens", r.InputTokens}, {"cache_read_tokens", r.CacheReadTokens},
		{"cache_write_5m_tokens", r.CacheWrite5mTokens}, {"cache_write_1h_tokens", r.CacheWrite1hTokens},
		{"output_tokens", r.OutputTokens},
	} {
		if c.v < 0 {
			return fmt.Errorf("%s: negative value %d", c.name, c.v)
		}
	}
	var priced pricing.Usage
	if r.Billed && r.Model != "" && l.arrivalPriced(r, first) {
		priced = pricing.Usage{Requests: r.Requests, Input: r.InputTokens, CacheRead: r.CacheReadTokens,
			CacheWrite5m: r.CacheWrite5mTokens, CacheWrite1h: r.CacheWrite1hTokens, Output: r.OutputTokens}
	}
	w.Arrival.AddMinute(minute, r.Requests, off, priced)
	return nil
}

// arrivalPriced reports whether the requests of a billed arrival record,
// the first of them at first, are priced as the rows of the same provider,
// model, mode and input_above are: whether their usage counts in the
// minute's priced usage. It notes nothing; the rows say why a model is
// not priced.
func (l *Loader) arrivalPriced(r *FileRecord, first time.Time) bool {
	a := l.agg
	mode, err := parseAggMode(r.Mode)
	if err != nil {
		return false
	}
	m := a.resolve(r.Provider, r.Model)
	if m.err != nil {
		return false
	}
	total := int64(0)
	if r.InputAbove > 0 {
		total = r.InputAbove + 1
	}
	pk, err := a.cat.KeyResolved(m.res, first, total)
	if err != nil {
		return false
	}
	if mode != pricing.ModeSync && mode != pricing.ModeStream {
		if _, err := a.cat.Quote(pk, mode, pricing.Usage{Requests: 1}); err != nil {
			return false
		}
	}
	return true
}
