package aggregate

import (
	"fmt"
	"sort"
	"time"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// BinsPerDay is the number of arrival bins in a day: one per 10 minutes.
const BinsPerDay = 144

// BinMinutes is the width of an arrival bin in minutes.
const BinMinutes = 10

// TTFTBoundsMS are the upper bounds, in milliseconds, of the buckets of
// TTFTStats.Hist; the last bucket (index len(TTFTBoundsMS)) is unbounded.
var TTFTBoundsMS = [...]int64{100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000}

// TTFTStats summarizes the time to first token of a workflow's requests
// that logged one. It merges by addition.
type TTFTStats struct {
	Count int64 `json:"count"`
	SumMS int64 `json:"sum_ms"`
	// Hist counts requests per bucket: Hist[i] holds TTFTs below
	// TTFTBoundsMS[i] and at or above TTFTBoundsMS[i-1]; the last bucket
	// holds the rest.
	Hist [len(TTFTBoundsMS) + 1]int64 `json:"hist"`
}

// Observe counts one request that took ms milliseconds.
func (s *TTFTStats) Observe(ms int64) {
	s.Count++
	s.SumMS += ms
	i := 0
	for i < len(TTFTBoundsMS) && ms >= TTFTBoundsMS[i] {
		i++
	}
	s.Hist[i]++
}

// Add adds o into s.
func (s *TTFTStats) Add(o TTFTStats) {
	s.Count += o.Count
	s.SumMS += o.SumMS
	for i := range s.Hist {
		s.Hist[i] += o.Hist[i]
	}
}

// Quantile returns an upper bound in milliseconds of the q-quantile
// (0 < q ≤ 1) of the histogram, and false when the quantile falls in the
// unbounded bucket or there is no data.
func (s *TTFTStats) Quantile(q float64) (int64, bool) {
	if s.Count == 0 {
		return 0, false
	}
	need := int64(q*float64(s.Count) + 0.999999)
	if need < 1 {
		need = 1
	}
	var cum int64
	for i, n := range s.Hist {
		cum += n
		if cum >= need {
			if i < len(TTFTBoundsMS) {
				return TTFTBoundsMS[i], true
			}
			return 0, false
		}
	}
	return 0, false
}

// ArrivalStats counts when a workflow's requests arrived, in UTC. It is the
// raw material of the arrival-pattern classifier and merges by addition.
type ArrivalStats struct {
	// Bins counts requests per UTC day and 10-minute bin of the day, keyed
	// by Day*BinsPerDay + Bin, where Day counts days since 1970-01-01 UTC
	// and Bin is 0 for 00:00–00:10 up to 143 for 23:50–24:00. It holds the
	// cells read back from an aggregate file; requests consumed one by one
	// are in Minutes, and BinCounts merges the two.
	Bins map[int64]int64 `json:"-"`
	// Hour counts requests per UTC hour of the day.
	Hour [24]int64 `json:"hour"`
	// Weekday counts requests per UTC day of the week, Sunday = 0.
	Weekday [7]int64 `json:"weekday"`
	// Minutes counts requests per UTC minute, keyed by Unix minute (Unix
	// seconds / 60), with the earliest arrival inside each minute. It is
	// the raw material of onset sharpness and pace. An aggregate file's
	// arrival records with first_ts_us fill it too; a file written before
	// them (10-minute bins only) fills Bins instead.
	Minutes map[int64]MinuteCell `json:"-"`
}

// MinuteCell is the arrivals of one minute: how many, the earliest of them
// in milliseconds after the minute began, and the usage of those of them
// that were priced (to price the parts of a mixed workflow).
type MinuteCell struct {
	N       int64
	FirstMS int32
	Priced  pricing.Usage
}

// ArrivalCell is one non-empty cell of ArrivalStats.Bins in export form.
type ArrivalCell struct {
	Day      string `json:"day"` // YYYY-MM-DD, UTC
	Bin      int    `json:"bin"` // 10-minute bin of the day, 0..143
	Requests int64  `json:"requests"`
}

// Observe counts one arrival at t, unpriced.
func (s *ArrivalStats) Observe(t time.Time) {
	minute, off := ArrivalMinute(t)
	s.AddMinute(minute, 1, off, pricing.Usage{})
}

// ArrivalMinute returns the Unix minute of t and the milliseconds of t
// after that minute began.
func ArrivalMinute(t time.Time) (minute int64, offMS int32) {
	ms := t.UnixMilli()
	minute = floorDiv(ms, 60000)
	return minute, int32(ms - minute*60000)
}

// AddMinute adds n arrivals in Unix minute m, the earliest offMS
// milliseconds into it, of which priced is the priced usage, to the minute
// counts and the hour and weekday counts.
func (s *ArrivalStats) AddMinute(m, n int64, offMS int32, priced pricing.Usage) {
	if s.Minutes == nil {
		s.Minutes = map[int64]MinuteCell{}
	}
	c, ok := s.Minutes[m]
	if !ok || offMS < c.FirstMS {
		c.FirstMS = offMS
	}
	c.N += n
	c.Priced = c.Priced.Add(priced)
	s.Minutes[m] = c
	day := floorDiv(m, 1440)
	s.addHourDay(day, (m-day*1440)/60, n)
}

func (s *ArrivalStats) addHourDay(day, hour, n int64) {
	s.Hour[hour] += n
	s.Weekday[int(floorMod(day+4, 7))] += n // 1970-01-01 was a Thursday
}

func (s *ArrivalStats) addBin(day, bin, n int64) {
	if s.Bins == nil {
		s.Bins = map[int64]int64{}
	}
	s.Bins[day*BinsPerDay+bin] += n
	s.addHourDay(day, bin/6, n)
}

// BinCounts returns the requests per UTC day and 10-minute bin (keyed as
// Bins) of both the minute counts and the bins read from a file.
func (s *ArrivalStats) BinCounts() map[int64]int64 {
	out := make(map[int64]int64, len(s.Bins)+len(s.Minutes)/BinMinutes)
	for k, n := range s.Bins {
		out[k] += n
	}
	for m, c := range s.Minutes {
		day := floorDiv(m, 1440)
		out[day*BinsPerDay+(m-day*1440)/BinMinutes] += c.N
	}
	return out
}

// Add adds o into s.
func (s *ArrivalStats) Add(o ArrivalStats) {
	if s.Bins == nil && len(o.Bins) > 0 {
		s.Bins = make(map[int64]int64, len(o.Bins))
	}
	for k, n := range o.Bins {
		s.Bins[k] += n
	}
	if s.Minutes == nil && len(o.Minutes) > 0 {
		s.Minutes = make(map[int64]MinuteCell, len(o.Minutes))
	}
	for m, oc := range o.Minutes {
		c, ok := s.Minutes[m]
		if !ok || oc.FirstMS < c.FirstMS {
			c.FirstMS = oc.FirstMS
		}
		c.N += oc.N
		c.Priced = c.Priced.Add(oc.Priced)
		s.Minutes[m] = c
	}
	for i := range s.Hour {
		s.Hour[i] += o.Hour[i]
	}
	for i := range s.Weekday {
		s.Weekday[i] += o.Weekday[i]
	}
}

// Cells returns the non-empty bins (BinCounts) sorted by day and bin.
func (s *ArrivalStats) Cells() []ArrivalCell {
	bins := s.BinCounts()
	keys := make([]int64, 0, len(bins))
	for k := range bins {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := make([]ArrivalCell, len(keys))
	for i, k := range keys {
		d := floorDiv(k, BinsPerDay)
		out[i] = ArrivalCell{Day: dayString(int32(d)), Bin: int(k - d*BinsPerDay), Requests: bins[k]}
	}
	return out
}

// AddCell adds an exported cell back, for reading an exported aggregate.
func (s *ArrivalStats) AddCell(c ArrivalCell) error {
	t, err := time.Parse(time.DateOnly, c.Day)
	if err != nil {
		return fmt.Errorf("arrival cell: day %q: %w", c.Day, err)
	}
	if c.Bin < 0 || c.Bin >= BinsPerDay {
		return fmt.Errorf("arrival cell %s: bin %d out of range 0..%d", c.Day, c.Bin, BinsPerDay-1)
	}
	s.addBin(t.Unix()/86400, int64(c.Bin), c.Requests)
	return nil
}

// dayString renders a day number since 1970-01-01 as YYYY-MM-DD.
func dayString(day int32) string {
	return time.Unix(int64(day)*86400, 0).UTC().Format(time.DateOnly)
}

// floorDiv is a / b rounded towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// floorMod is a mod b with the sign of b.
func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// WorkflowStats is the classification evidence of one workflow, over every
// record of it inside the window (priced, unbilled or unpriced). All counts
// merge by addition. The maps are keyed by the value as logged.
type WorkflowStats struct {
	Workflow       string           `json:"workflow"`
	Requests       int64            `json:"requests"`
	UserWaitingYes int64            `json:"user_waiting_true"`
	UserWaitingNo  int64            `json:"user_waiting_false"`
	Sources        map[string]int64 `json:"sources"` // "" when not logged
	Modes          map[string]int64 `json:"modes"`
	Models         map[string]int64 `json:"models"`
	Teams          map[string]int64 `json:"teams"`
	// Tags counts "key=value" pairs for the tag keys in
	// AggregateOptions.TagKeys and the tag group-by keys.
	Tags map[string]int64 `json:"tags"`
	// Streams counts requests in stream mode; StreamsTTFT those of them
	// that logged a time to first token.
	Streams     int64     `json:"streams"`
	StreamsTTFT int64     `json:"streams_ttft"`
	TTFT        TTFTStats `json:"ttft"`
	// Latency is the histogram of latency_ms (request to last byte) over
	// the requests that logged one, in the buckets of TTFTBoundsMS. An
	// aggregate file does not carry it.
	Latency TTFTStats    `json:"latency"`
	Arrival ArrivalStats `json:"arrival"`
}

// NewWorkflowStats returns the empty evidence of the workflow name, its
// maps made.
func NewWorkflowStats(name string) *WorkflowStats {
	return &WorkflowStats{
		Workflow: name,
		Sources:  map[string]int64{},
		Modes:    map[string]int64{},
		Models:   map[string]int64{},
		Teams:    map[string]int64{},
		Tags:     map[string]int64{},
		Arrival:  ArrivalStats{Minutes: map[int64]MinuteCell{}},
	}
}

// Observe adds one record; priced says whether it was priced (its usage
// then counts in the minute's priced usage).
func (w *WorkflowStats) Observe(r *record.Record, mode pricing.Mode, tagKeys []string, priced bool) {
	w.AddLabels(r.Source, mode, r.Model, r.Team, 1)
	w.ObserveRest(r, mode, tagKeys)
	minute, off := ArrivalMinute(r.TS)
	var u pricing.Usage
	if priced {
		u = pricing.Usage{Requests: 1, Input: r.InputTokens, CacheRead: r.CacheReadTokens,
			CacheWrite5m: r.CacheWrite5mTokens, CacheWrite1h: r.CacheWrite1hTokens, Output: r.OutputTokens}
	}
	w.Arrival.AddMinute(minute, 1, off, u)
}

// AddLabels counts n records of one source, mode, model and team.
func (w *WorkflowStats) AddLabels(source string, mode pricing.Mode, model, team string, n int64) {
	w.Sources[source] += n
	w.Modes[string(mode)] += n
	w.Models[model] += n
	if team != "" {
		w.Teams[team] += n
	}
}

// ObserveRest is Observe without AddLabels and the arrival bin, which the
// Aggregator batches.
func (w *WorkflowStats) ObserveRest(r *record.Record, mode pricing.Mode, tagKeys []string) {
	w.Requests++
	switch {
	case r.UserWaiting > 0:
		w.UserWaitingYes++
	case r.UserWaiting == 0:
		w.UserWaitingNo++
	}
	for _, k := range tagKeys {
		if v, ok := r.Tags[k]; ok {
			w.Tags[k+"="+v]++
		}
	}
	if r.TTFTMS >= 0 {
		w.TTFT.Observe(r.TTFTMS)
	}
	if r.LatencyMS >= 0 {
		w.Latency.Observe(r.LatencyMS)
	}
	if mode == pricing.ModeStream {
		w.Streams++
		if r.TTFTMS >= 0 {
			w.StreamsTTFT++
		}
	}
}

// Add adds the counts of o into w.
func (w *WorkflowStats) Add(o *WorkflowStats) {
	w.Requests += o.Requests
	w.UserWaitingYes += o.UserWaitingYes
	w.UserWaitingNo += o.UserWaitingNo
	addCounts(w.Sources, o.Sources)
	addCounts(w.Modes, o.Modes)
	addCounts(w.Models, o.Models)
	addCounts(w.Teams, o.Teams)
	addCounts(w.Tags, o.Tags)
	w.Streams += o.Streams
	w.StreamsTTFT += o.StreamsTTFT
	w.TTFT.Add(o.TTFT)
	w.Latency.Add(o.Latency)
	w.Arrival.Add(o.Arrival)
}

func addCounts(dst, src map[string]int64) {
	for k, n := range src {
		dst[k] += n
	}
}
