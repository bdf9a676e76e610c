package loggen

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// The latency classes a workflow can truly belong to. They are the ground
// truth that classification tests measure accuracy against.
const (
	ClassRealtime     = "realtime"
	ClassNearRealtime = "near-realtime"
	ClassScheduled    = "scheduled"
)

// The arrival patterns a workflow can follow.
const (
	// PatternBusinessHours is a Poisson process concentrated on weekdays
	// between Arrival.Start and Arrival.End, with a small off-hours and
	// weekend share: people using a chat UI or an IDE.
	PatternBusinessHours = "business_hours"
	// PatternAroundTheClock is a Poisson process over all 24 hours with a
	// mild afternoon peak: webhooks and queue consumers.
	PatternAroundTheClock = "around_the_clock"
	// PatternDaily is a burst every day inside [Arrival.Start, Arrival.End):
	// a nightly cron job or a daily batch submission.
	PatternDaily = "daily"
	// PatternWeekly is a burst once a week on Arrival.Weekday inside
	// [Arrival.Start, Arrival.End): a weekly digest.
	PatternWeekly = "weekly"
)

// Workload describes a synthetic set of workflows. Generate turns it into
// request records; the same workload and Options always give the same bytes.
type Workload struct {
	// Name labels the workload in messages.
	Name string `toml:"name"`
	// Workflows are the callers of the workload; at most 255.
	Workflows []Workflow `toml:"workflow"`
}

// Workflow is one caller: a feature, job or pipeline with its provider,
// model, ground-truth latency class, hints, arrival pattern and token shape.
type Workflow struct {
	Name     string `toml:"name"`
	Provider string `toml:"provider"` // openai, anthropic, google, deepseek, ...
	Model    string `toml:"model"`
	// Class is the ground truth: realtime, near-realtime or scheduled.
	Class string `toml:"class"`
	// Source is the hint written to the source field (web_ui, ide, webhook, cron, etl, ...).
	Source string `toml:"source"`
	// UserWaiting is the user_waiting hint; nil leaves it out of the logs.
	UserWaiting *bool `toml:"user_waiting"`
	// Mode is stream, sync or batch.
	Mode string `toml:"mode"`
	// Arrival is when requests arrive.
	Arrival Arrival `toml:"arrival"`
	// RequestsPerDay is the average number of requests per day over a week
	// (a weekly workflow sends seven times this in its one run).
	RequestsPerDay float64 `toml:"requests_per_day"`
	// Input is the uncached, per-request part of the prompt.
	Input Dist `toml:"input"`
	// Cache is the shared prompt prefix, if any.
	Cache Cache `toml:"cache"`
	// Output is the number of output tokens, reasoning included, before
	// MaxTokens clamps it and before a cancel cuts it.
	Output Dist `toml:"output"`
	// ReasoningShare is the mean share of output tokens that are reasoning.
	ReasoningShare float64 `toml:"reasoning_share"`
	// MaxTokens is the max_tokens request parameter; 0 leaves it unset.
	MaxTokens int64 `toml:"max_tokens"`
	// CancelShare is the share of requests the client cancelled. A cancelled
	// stream keeps its input and a part of its output; a cancelled batch
	// request was never run and has no tokens.
	CancelShare float64 `toml:"cancel_share"`
	// ErrorShare is the share of failed requests (no tokens).
	ErrorShare float64 `toml:"error_share"`
	// ExpiredShare is the share of batch requests that expired (no tokens).
	ExpiredShare float64 `toml:"expired_share"`
	// TTFT is the time to first token in milliseconds (streams only).
	TTFT Dist `toml:"ttft_ms"`
	// TokensPerSecond is the output speed used for latency_ms.
	TokensPerSecond float64 `toml:"tokens_per_second"`
	Team            string  `toml:"team"`
	// Tags are free labels copied to every record.
	Tags map[string]string `toml:"tags"`
	// LoggedCost writes logged_cost_usd computed from the generator's own
	// list-price table (see LoggedCost), for reconciliation tests.
	LoggedCost bool `toml:"logged_cost"`
}

// Arrival says when a workflow's requests arrive. Times are UTC "HH:MM".
type Arrival struct {
	Pattern string `toml:"pattern"`
	Start   string `toml:"start"`
	End     string `toml:"end"`
	// Weekday is the day of a weekly run ("monday", ...).
	Weekday string `toml:"weekday"`
	// WeekendShare is, for business hours, the weekend-day volume as a share
	// of a weekday's (default 0.15).
	WeekendShare *float64 `toml:"weekend_share"`
	// OffHoursShare is, for business hours, the share of a day's requests
	// that fall outside [Start, End) (default 0.05).
	OffHoursShare *float64 `toml:"off_hours_share"`
}

// Dist is a log-normal token or time distribution: Median with spread Sigma
// (the standard deviation of the logarithm), clamped to [Min, Max]. A zero
// Median means a constant zero.
type Dist struct {
	Median float64 `toml:"median"`
	Sigma  float64 `toml:"sigma"`
	Min    int64   `toml:"min"`
	Max    int64   `toml:"max"`
}

// Cache is a prompt prefix shared by a workflow's requests.
type Cache struct {
	// PrefixTokens is the size of the shared prefix; 0 disables caching.
	PrefixTokens int64 `toml:"prefix_tokens"`
	// HitRate is the share of requests that read the prefix from the cache.
	HitRate float64 `toml:"hit_rate"`
	// Write is "5m" or "1h" when a miss writes the prefix to the cache
	// (Anthropic), or "" when misses pay it as plain input (OpenAI, Gemini,
	// DeepSeek caches are automatic and have no write charge).
	Write string `toml:"write"`
}

func boolp(b bool) *bool { return &b }

// Default returns the built-in workload: eight workflows over four providers
// covering every latency class and arrival pattern.
func Default() Workload {
	return Workload{
		Name: "default",
		Workflows: []Workflow{
			{
				Name: "chat-ui", Provider: "openai", Model: "gpt-4o", Class: ClassRealtime,
				Source: "web_ui", UserWaiting: boolp(true), Mode: "stream",
				Arrival:        Arrival{Pattern: PatternBusinessHours, Start: "08:00", End: "20:00"},
				RequestsPerDay: 400,
				Input:          Dist{Median: 900, Sigma: 0.7, Min: 20, Max: 30000},
				Cache:          Cache{PrefixTokens: 1280, HitRate: 0.6},
				Output:         Dist{Median: 350, Sigma: 0.8, Min: 5, Max: 4096},
				MaxTokens:      2048, CancelShare: 0.06,
				TTFT:            Dist{Median: 450, Sigma: 0.4, Min: 120, Max: 8000},
				TokensPerSecond: 70, Team: "support", Tags: map[string]string{"env": "prod", "feature": "assistant"},
			},
			{
				Name: "ide-assistant", Provider: "anthropic", Model: "claude-sonnet-4-5", Class: ClassRealtime,
				Source: "ide", UserWaiting: boolp(true), Mode: "stream",
				Arrival:        Arrival{Pattern: PatternBusinessHours, Start: "07:00", End: "19:00"},
				RequestsPerDay: 260,
				Input:          Dist{Median: 2500, Sigma: 0.8, Min: 50, Max: 60000},
				Cache:          Cache{PrefixTokens: 8000, HitRate: 0.75, Write: "5m"},
				Output:         Dist{Median: 600, Sigma: 0.7, Min: 10, Max: 8192},
				MaxTokens:      8192, CancelShare: 0.04,
				TTFT:            Dist{Median: 900, Sigma: 0.4, Min: 200, Max: 15000},
				TokensPerSecond: 60, Team: "dev-productivity", Tags: map[string]string{"env": "prod", "feature": "code-assist"},
				LoggedCost: true,
			},
			{
				Name: "ticket-triage", Provider: "openai", Model: "gpt-4o-mini", Class: ClassNearRealtime,
				Source: "webhook", UserWaiting: boolp(false), Mode: "sync",
				Arrival:        Arrival{Pattern: PatternAroundTheClock},
				RequestsPerDay: 300,
				Input:          Dist{Median: 1200, Sigma: 0.5, Min: 100, Max: 16000},
				Cache:          Cache{PrefixTokens: 1024, HitRate: 0.8},
				Output:         Dist{Median: 120, Sigma: 0.4, Min: 10, Max: 1000},
				MaxTokens:      512, ErrorShare: 0.002,
				TokensPerSecond: 90, Team: "support", Tags: map[string]string{"env": "prod", "feature": "triage"},
			},
			{
				Name: "nightly-enrichment", Provider: "openai", Model: "gpt-4.1", Class: ClassScheduled,
				Source: "cron", UserWaiting: boolp(false), Mode: "sync",
				Arrival:         Arrival{Pattern: PatternDaily, Start: "02:00", End: "02:40"},
				RequestsPerDay:  350,
				Input:           Dist{Median: 1500, Sigma: 0.3, Min: 200, Max: 8000},
				Output:          Dist{Median: 250, Sigma: 0.3, Min: 20, Max: 1200},
				TokensPerSecond: 80, Team: "catalog", Tags: map[string]string{"env": "prod", "job": "enrich"},
				LoggedCost: true,
			},
			{
				Name: "weekly-digest", Provider: "google", Model: "gemini-2.5-flash", Class: ClassScheduled,
				Source: "cron", UserWaiting: boolp(false), Mode: "sync",
				Arrival:        Arrival{Pattern: PatternWeekly, Weekday: "monday", Start: "06:00", End: "06:30"},
				RequestsPerDay: 80,
				Input:          Dist{Median: 5000, Sigma: 0.5, Min: 500, Max: 100000},
				Output:         Dist{Median: 700, Sigma: 0.4, Min: 50, Max: 4000},
				ReasoningShare: 0.3, TokensPerSecond: 150, Team: "growth", Tags: map[string]string{"env": "prod", "job": "digest"},
			},
			{
				Name: "eval-batch", Provider: "openai", Model: "o4-mini", Class: ClassScheduled,
				Source: "etl", UserWaiting: boolp(false), Mode: "batch",
				Arrival:        Arrival{Pattern: PatternDaily, Start: "01:00", End: "01:20"},
				RequestsPerDay: 400,
				Input:          Dist{Median: 800, Sigma: 0.4, Min: 50, Max: 10000},
				Output:         Dist{Median: 900, Sigma: 0.5, Min: 20, Max: 16000},
				ReasoningShare: 0.6, ErrorShare: 0.01, ExpiredShare: 0.005,
				Team: "ml-platform", Tags: map[string]string{"env": "prod", "job": "eval"},
			},
			{
				Name: "doc-classify-batch", Provider: "anthropic", Model: "claude-haiku-4-5", Class: ClassScheduled,
				Source: "etl", UserWaiting: boolp(false), Mode: "batch",
				Arrival:        Arrival{Pattern: PatternDaily, Start: "03:00", End: "03:10"},
				RequestsPerDay: 500,
				Input:          Dist{Median: 600, Sigma: 0.5, Min: 50, Max: 12000},
				Cache:          Cache{PrefixTokens: 4500, HitRate: 0.85, Write: "1h"},
				Output:         Dist{Median: 80, Sigma: 0.4, Min: 5, Max: 600},
				ErrorShare:     0.005, ExpiredShare: 0.003, CancelShare: 0.002,
				Team: "catalog", Tags: map[string]string{"env": "prod", "job": "classify"},
			},
			{
				Name: "deepseek-summaries", Provider: "deepseek", Model: "deepseek-chat", Class: ClassScheduled,
				Source: "queue", UserWaiting: boolp(false), Mode: "sync",
				Arrival:         Arrival{Pattern: PatternDaily, Start: "04:00", End: "05:00"},
				RequestsPerDay:  260,
				Input:           Dist{Median: 3000, Sigma: 0.5, Min: 200, Max: 50000},
				Cache:           Cache{PrefixTokens: 512, HitRate: 0.9},
				Output:          Dist{Median: 300, Sigma: 0.4, Min: 20, Max: 2000},
				TokensPerSecond: 40, Team: "research", Tags: map[string]string{"env": "prod", "job": "summaries"},
			},
		},
	}
}

// Portable returns a workload whose every record every per-request format
// (canonical JSONL and CSV, openai, openai-responses excepted, anthropic,
// otel, litellm, claude-code) carries with the same tokens and the same
// cost: Anthropic models (Claude Code logs hold nothing else), stream and
// sync only (OTel, LiteLLM and Claude Code cannot say batch), cache reads
// but no cache writes (LiteLLM cannot say writes), no errors.
func Portable() Workload {
	d := Default()
	ide := d.Workflows[1]
	ide.LoggedCost = false
	helper := Workflow{
		Name: "review-bot", Provider: "anthropic", Model: "claude-haiku-4-5", Class: ClassNearRealtime,
		Source: "webhook", UserWaiting: boolp(false), Mode: "sync",
		Arrival:         Arrival{Pattern: PatternAroundTheClock},
		RequestsPerDay:  150,
		Input:           Dist{Median: 1800, Sigma: 0.5, Min: 100, Max: 20000},
		Cache:           Cache{PrefixTokens: 4096, HitRate: 0.7},
		Output:          Dist{Median: 200, Sigma: 0.5, Min: 10, Max: 2000},
		TokensPerSecond: 100, Team: "dev-productivity", Tags: map[string]string{"env": "prod", "feature": "review"},
	}
	ide.Cache.Write = ""
	return Workload{Name: "portable", Workflows: []Workflow{ide, helper}}
}

// PortableBatch returns a workload of already-batched jobs, one per batch
// provider, whose records the batch formats (openai-batch for the OpenAI
// job, anthropic-batch for the Anthropic one), canonical JSONL and CSV and
// the wrapped openai and anthropic formats all carry with the same tokens
// and cost. It has errored, expired and canceled results but no cache
// writes.
func PortableBatch() Workload {
	d := Default()
	eval := d.Workflows[5]
	cls := d.Workflows[6]
	cls.Cache.Write = ""
	return Workload{Name: "portable-batch", Workflows: []Workflow{eval, cls}}
}

// LoadWorkload reads a workload from a TOML file and validates it.
func LoadWorkload(path string) (Workload, error) {
	f, err := os.Open(path)
	if err != nil {
		return Workload{}, fmt.Errorf("read workload: %w", err)
	}
	defer f.Close()
	w, err := ParseWorkload(f)
	if err != nil {
		return Workload{}, fmt.Errorf("read workload %s: %w", path, err)
	}
	return w, nil
}

// ParseWorkload decodes a TOML workload (top-level name and [[workflow]]
// tables with the field names of Workflow) and validates it. Unknown keys
// are an error so that a typo does not silently fall back to a default.
func ParseWorkload(r io.Reader) (Workload, error) {
	var w Workload
	md, err := toml.NewDecoder(r).Decode(&w)
	if err != nil {
		return Workload{}, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return Workload{}, fmt.Errorf("unknown key %s (check the spelling against the Workflow fields)", strings.Join(keys, ", "))
	}
	if err := w.Validate(); err != nil {
		return Workload{}, err
	}
	return w, nil
}

// EncodeTOML writes w as TOML that ParseWorkload reads back.
func (w Workload) EncodeTOML(out io.Writer) error {
	return toml.NewEncoder(out).Encode(w)
}

// Validate checks every workflow and names the first bad field.
func (w Workload) Validate() error {
	if len(w.Workflows) == 0 {
		return fmt.Errorf("workload %q: no [[workflow]] tables", w.Name)
	}
	if len(w.Workflows) > 255 {
		return fmt.Errorf("workload %q: %d workflows, at most 255", w.Name, len(w.Workflows))
	}
	seen := map[string]bool{}
	for i := range w.Workflows {
		f := &w.Workflows[i]
		if err := f.validate(); err != nil {
			return fmt.Errorf("workflow %d (%q): %w", i+1, f.Name, err)
		}
		if seen[f.Name] {
			return fmt.Errorf("workflow %d: name %q used twice", i+1, f.Name)
		}
		seen[f.Name] = true
	}
	return nil
}

func (f *Workflow) validate() error {
	switch {
	case f.Name == "":
		return fmt.Errorf("name: empty (every workflow needs a name)")
	case f.Provider == "":
		return fmt.Errorf("provider: empty (e.g. openai, anthropic, google, deepseek)")
	case f.Model == "":
		return fmt.Errorf("model: empty")
	}
	switch f.Class {
	case ClassRealtime, ClassNearRealtime, ClassScheduled:
	default:
		return fmt.Errorf("class: %q is not realtime, near-realtime or scheduled", f.Class)
	}
	switch f.Mode {
	case "stream", "sync", "batch":
	default:
		return fmt.Errorf("mode: %q is not stream, sync or batch", f.Mode)
	}
	if !(f.RequestsPerDay >= 0) || math.IsInf(f.RequestsPerDay, 0) {
		return fmt.Errorf("requests_per_day: %v must be a finite number >= 0", f.RequestsPerDay)
	}
	if err := f.Arrival.validate(); err != nil {
		return fmt.Errorf("arrival: %w", err)
	}
	for _, d := range []struct {
		name string
		d    Dist
	}{{"input", f.Input}, {"output", f.Output}, {"ttft_ms", f.TTFT}} {
		if err := d.d.validate(); err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
	}
	for _, s := range []struct {
		name string
		v    float64
	}{{"reasoning_share", f.ReasoningShare}, {"cancel_share", f.CancelShare}, {"error_share", f.ErrorShare}, {"expired_share", f.ExpiredShare}, {"cache.hit_rate", f.Cache.HitRate}} {
		if !(s.v >= 0 && s.v <= 1) {
			return fmt.Errorf("%s: %v must be between 0 and 1", s.name, s.v)
		}
	}
	if f.CancelShare+f.ErrorShare+f.ExpiredShare > 1 {
		return fmt.Errorf("cancel_share + error_share + expired_share: %v exceeds 1", f.CancelShare+f.ErrorShare+f.ExpiredShare)
	}
	if f.ExpiredShare > 0 && f.Mode != "batch" {
		return fmt.Errorf("expired_share: only batch requests expire (mode is %q)", f.Mode)
	}
	switch f.Cache.Write {
	case "", "5m", "1h":
	default:
		return fmt.Errorf("cache.write: %q is not \"5m\", \"1h\" or empty", f.Cache.Write)
	}
	if f.Cache.PrefixTokens < 0 {
		return fmt.Errorf("cache.prefix_tokens: negative value %d", f.Cache.PrefixTokens)
	}
	if f.MaxTokens < 0 {
		return fmt.Errorf("max_tokens: negative value %d", f.MaxTokens)
	}
	if f.TokensPerSecond < 0 {
		return fmt.Errorf("tokens_per_second: negative value %v", f.TokensPerSecond)
	}
	return nil
}

func (d Dist) validate() error {
	if !(d.Median >= 0) || math.IsInf(d.Median, 0) {
		return fmt.Errorf("median: %v must be a finite number >= 0", d.Median)
	}
	if !(d.Sigma >= 0 && d.Sigma <= 5) {
		return fmt.Errorf("sigma: %v must be between 0 and 5", d.Sigma)
	}
	if d.Min < 0 || (d.Max != 0 && d.Max < d.Min) {
		return fmt.Errorf("min %d / max %d: need 0 <= min <= max (max 0 means unbounded)", d.Min, d.Max)
	}
	return nil
}

func (a Arrival) validate() error {
	switch a.Pattern {
	case PatternBusinessHours, PatternAroundTheClock, PatternDaily, PatternWeekly:
	default:
		return fmt.Errorf("pattern: %q is not business_hours, around_the_clock, daily or weekly", a.Pattern)
	}
	start, end, err := a.window()
	if err != nil {
		return err
	}
	if a.Pattern != PatternAroundTheClock && end <= start {
		return fmt.Errorf("end %q: must be after start %q", a.End, a.Start)
	}
	if a.Pattern == PatternWeekly {
		if _, ok := parseWeekday(a.Weekday); !ok {
			return fmt.Errorf("weekday: %q is not a day name (monday ... sunday)", a.Weekday)
		}
	}
	for _, s := range []*float64{a.WeekendShare, a.OffHoursShare} {
		if s != nil && !(*s >= 0 && *s <= 1) {
			return fmt.Errorf("weekend_share / off_hours_share: %v must be between 0 and 1", *s)
		}
	}
	return nil
}

// window returns the pattern's [start, end) as offsets from midnight UTC.
func (a Arrival) window() (time.Duration, time.Duration, error) {
	defStart, defEnd := "00:00", "24:00"
	if a.Pattern == PatternBusinessHours {
		defStart, defEnd = "09:00", "18:00"
	}
	s, e := a.Start, a.End
	if s == "" {
		s = defStart
	}
	if e == "" {
		e = defEnd
		if a.Pattern == PatternDaily || a.Pattern == PatternWeekly {
			e = ""
		}
	}
	start, err := parseClock(s)
	if err != nil {
		return 0, 0, fmt.Errorf("start: %w", err)
	}
	if e == "" { // a burst without an end lasts an hour
		return start, min(start+time.Hour, 24*time.Hour), nil
	}
	end, err := parseClock(e)
	if err != nil {
		return 0, 0, fmt.Errorf("end: %w", err)
	}
	return start, end, nil
}

func parseClock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a UTC time HH:MM", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

func parseWeekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()) || strings.EqualFold(s, d.String()[:3]) {
			return d, true
		}
	}
	return 0, false
}
