package simulate

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/shopspring/decimal"
)

// Num is a number in a scenario file: a TOML integer, float or decimal
// string ("0.42"), kept as an exact decimal. Set is false when the key is
// absent.
type Num struct {
	D   decimal.Decimal
	Set bool
}

// UnmarshalTOML implements toml.Unmarshaler.
func (n *Num) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case int64:
		n.D = decimal.NewFromInt(x)
	case float64:
		n.D = decimal.NewFromFloat(x)
	case string:
		d, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(x), "_", ""))
		if err != nil {
			return fmt.Errorf("%q is not a number", x)
		}
		n.D = d
	default:
		return fmt.Errorf("expected a number, found %T", v)
	}
	n.Set = true
	return nil
}

// Date is a calendar date in a scenario file: a TOML date (2026-11-01) or
// an RFC 3339 string.
type Date struct {
	T   time.Time
	Set bool
}

// UnmarshalTOML implements toml.Unmarshaler.
func (d *Date) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case time.Time:
		d.T = time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), 0, time.UTC)
	case string:
		t, err := time.Parse("2006-01-02", x)
		if err != nil {
			t, err = time.Parse(time.RFC3339, x)
		}
		if err != nil {
			return fmt.Errorf("%q is not a date (want 2026-11-01)", x)
		}
		d.T = t.UTC()
	default:
		return fmt.Errorf("expected a date, found %T", v)
	}
	d.Set = true
	return nil
}

// File is a scenario file as written: a described workload and the levers
// to simulate on it. See the package documentation for the format.
type File struct {
	Name           string `toml:"name"`
	Title          string `toml:"title"`
	Period         string `toml:"period"`
	PeriodsPerYear Num    `toml:"periods_per_year"`
	At             Date   `toml:"at"`

	Volume   Volume    `toml:"volume"`
	Workload []Segment `toml:"workload"`

	Batch       *BatchLever       `toml:"batch"`
	Cache       *CacheLever       `toml:"cache"`
	Cancel      *CancelLever      `toml:"cancel"`
	Swap        *SwapLever        `toml:"swap"`
	TimeValue   *TimeValueLever   `toml:"time_value"`
	Completion  *CompletionLever  `toml:"completion"`
	Sensitivity *SensitivityLever `toml:"sensitivity"`

	Example *ExampleInfo `toml:"example"`

	path  string
	data  []byte
	sized bool // some segment has per-request sizes
	logs  bool // a what-if over audited logs
}

// Volume is traffic of one period. Per-request sizes (InputTokens,
// PrefixTokens, OutputTokens) apply to every request; totals and spend are
// for the whole period. A segment's own values override [volume]; a
// segment's share scales requests, totals and spend.
type Volume struct {
	Requests          Num `toml:"requests"`
	InputTokens       Num `toml:"input_tokens"`
	PrefixTokens      Num `toml:"prefix_tokens"`
	OutputTokens      Num `toml:"output_tokens"`
	TotalInputTokens  Num `toml:"total_input_tokens"`
	TotalOutputTokens Num `toml:"total_output_tokens"`
	Spend             Num `toml:"spend"`
}

// Segment is one slice of the workload on one model and delivery mode.
type Segment struct {
	Name          string     `toml:"name"`
	Share         Num        `toml:"share"`
	Provider      string     `toml:"provider"`
	Model         string     `toml:"model"`
	Prices        *PriceSpec `toml:"prices"`
	Mode          string     `toml:"mode"`
	Class         string     `toml:"class"`
	EligibleShare Num        `toml:"eligible_share"`
	Volume
}

// PriceSpec states prices explicitly, in USD per million tokens (per
// request for PerRequest), instead of looking a model up in the price books.
type PriceSpec struct {
	Input                Num    `toml:"input"`
	Output               Num    `toml:"output"`
	CacheRead            Num    `toml:"cache_read"`
	CacheWrite5m         Num    `toml:"cache_write_5m"`
	CacheWrite1h         Num    `toml:"cache_write_1h"`
	PerRequest           Num    `toml:"per_request"`
	BatchDiscount        Num    `toml:"batch_discount"`
	NoBatch              string `toml:"no_batch"`
	CacheStacksWithBatch *bool  `toml:"cache_stacks_with_batch"`
	Source               string `toml:"source"`
}

// BatchLever moves eligible traffic to the provider's batch API.
type BatchLever struct {
	Classes          []string `toml:"classes"`
	Workflows        []string `toml:"workflows"`
	SubmitEveryHours Num      `toml:"submit_every_hours"`
	BytesPerRequest  Num      `toml:"bytes_per_request"`
}

// CacheLever caches a shared prompt prefix.
type CacheLever struct {
	PrefixTokens Num      `toml:"prefix_tokens"`
	Workflows    []string `toml:"workflows"`
	HitRate      Num      `toml:"hit_rate"`
	BatchHitRate Num      `toml:"batch_hit_rate"`
	TTL          string   `toml:"ttl"`
	Segments     []string `toml:"segments"`
}

// CancelLever models a cancel button on streamed responses.
type CancelLever struct {
	Workflows []string `toml:"workflows"`
	Rate      Num      `toml:"rate"`
	Position  Num      `toml:"position"`
	Segments  []string `toml:"segments"`
}

// SwapLever prices the workload on another model.
type SwapLever struct {
	Workflows []string   `toml:"workflows"`
	Provider  string     `toml:"provider"`
	Model     string     `toml:"model"`
	Prices    *PriceSpec `toml:"prices"`
	Segments  []string   `toml:"segments"`
}

// TimeValueLever weighs batch savings against the cost of waiting.
type TimeValueLever struct {
	DelayHours     Num `toml:"delay_hours"`
	CostPerHour    Num `toml:"cost_per_hour"`
	CostPerRequest Num `toml:"cost_per_request"`
	FixedCost      Num `toml:"fixed_cost"`
}

// CompletionLever simulates batch completion time.
type CompletionLever struct {
	DeadlineHours Num   `toml:"deadline_hours"`
	MedianHours   Num   `toml:"median_hours"`
	Sigma         Num   `toml:"sigma"`
	CapHours      Num   `toml:"cap_hours"`
	ObservedHours []Num `toml:"observed_hours"`
	Draws         Num   `toml:"draws"`
	Seed          Num   `toml:"seed"`
}

// SensitivityLever asks for the tornado of one headline figure.
type SensitivityLever struct {
	Target string `toml:"target"`
	Step   Num    `toml:"step"`
}

// ExampleInfo marks a scenario file as a seed's worked example: what the
// seed asked and the figures it quoted.
type ExampleInfo struct {
	Seed     string   `toml:"seed"`
	Question string   `toml:"question"`
	Correct  string   `toml:"correct"`
	Quotes   []Quote  `toml:"quote"`
	Notes    []string `toml:"notes"`
}

// Quote is a figure as a seed quoted it.
type Quote struct {
	Figure string `toml:"figure"`
	Text   string `toml:"text"`  // as the seed wrote it: "$125"
	Value  Num    `toml:"value"` // the number, when the seed gave one
	Why    string `toml:"why"`   // why the seed's figure is wrong
}

// FileError is an error in a scenario file at a line and key.
type FileError struct {
	File string
	Line int // 0 when unknown
	Key  string
	Err  error
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	b.WriteString(": " + e.Err.Error())
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Err }

// ParseFile decodes a scenario file strictly: unknown keys, wrong types
// and out-of-range values are errors naming the file, line, key and the
// allowed range. path names the file in errors.
func ParseFile(path string, data []byte) (*File, error) {
	return parse(path, data, false)
}

// parse decodes a scenario file, or with logs a what-if file for audited
// logs (no workload; levers select workflows by name).
func parse(path string, data []byte, logs bool) (*File, error) {
	f := &File{path: path, data: data, logs: logs}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if i := strings.Index(msg, "): "); strings.HasPrefix(msg, "toml: ") && i > 0 {
				msg = msg[i+3:]
			}
			return nil, &FileError{File: path, Line: pe.Position.Line, Key: pe.LastKey, Err: errors.New(strings.TrimPrefix(msg, "toml: "))}
		}
		return nil, &FileError{File: path, Err: err}
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		return nil, &FileError{File: path, Line: f.line([]string(k)...), Key: k.String(), Err: fmt.Errorf("unknown key (allowed here: %s)", allowedKeys(f, []string(k)))}
	}
	for _, k := range md.Keys() {
		if len(k) > 0 && k[len(k)-1] != strings.ToLower(k[len(k)-1]) {
			return nil, &FileError{File: path, Line: f.line([]string(k)...), Key: k.String(), Err: errors.New("keys are lower case")}
		}
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	return f, nil
}

// errAt returns a FileError for the key path (table names and key).
func (f *File) errAt(err error, path ...string) error {
	return &FileError{File: f.path, Line: f.line(path...), Key: strings.Join(path, "."), Err: err}
}

// errSeg returns a FileError for key of the i-th [[workload]] segment.
func (f *File) errSeg(i int, key string, err error) error {
	line := f.lineIn("workload", i, key)
	if j := strings.LastIndex(key, "."); j > 0 && line == f.lineIn("workload", i, "") {
		line = f.lineIn("workload", i, key[:j])
	}
	return &FileError{File: f.path, Line: line, Key: fmt.Sprintf("workload[%d].%s", i+1, key), Err: err}
}

var headerRe = regexp.MustCompile(`^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?`)

// line finds the line of a key path in the file: the first line assigning
// the last element inside the table named by the others. It returns 0 when
// it cannot find one.
func (f *File) line(path ...string) int {
	if len(path) == 0 {
		return 0
	}
	for i := len(path) - 1; i >= 0; i-- {
		if n := f.lineIn(strings.Join(path[:i], "."), -1, path[len(path)-1]); n > 0 {
			return n
		}
	}
	return 0
}

// lineIn finds key inside table (the idx-th occurrence of an array table
// when idx >= 0): the first line assigning key's last dotted component
// between the table's header and the next header that is not a sub-table
// of it. An empty key returns the header line; an unknown key falls back
// to the header line, then to 0.
func (f *File) lineIn(table string, idx int, key string) int {
	lines := strings.Split(string(f.data), "\n")
	if i := strings.LastIndex(key, "."); i >= 0 {
		key = key[i+1:]
	}
	keyRe := regexp.MustCompile(`(^|[{,.\s])` + regexp.QuoteMeta(key) + `\s*=`)
	header, seen := 0, 0
	inside := table == ""
	for n, text := range lines {
		if m := headerRe.FindStringSubmatch(text); m != nil {
			name := m[2]
			switch {
			case name == table && (idx < 0 || seen == idx):
				if header > 0 && idx < 0 {
					inside = false
					continue
				}
				seen++
				header, inside = n+1, true
				if key == "" {
					return header
				}
			case name == table:
				seen++
				inside = false
			case inside && strings.HasPrefix(name, table+".") && table != "":
				// a sub-table such as [workload.prices] stays inside
			default:
				inside = false
			}
			continue
		}
		if inside && key != "" && keyRe.MatchString(text) {
			return n + 1
		}
	}
	return header
}

// allowedKeys lists the keys valid at the place of an unknown key.
func allowedKeys(f *File, k []string) string {
	table := map[string][]string{
		"":            {"name", "title", "period", "periods_per_year", "at", "volume", "workload", "batch", "cache", "cancel", "swap", "time_value", "completion", "sensitivity", "example"},
		"volume":      volumeKeys,
		"workload":    append([]string{"name", "share", "provider", "model", "prices", "mode", "class", "eligible_share"}, volumeKeys...),
		"prices":      {"input", "output", "cache_read", "cache_write_5m", "cache_write_1h", "per_request", "batch_discount", "no_batch", "cache_stacks_with_batch", "source"},
		"batch":       {"classes", "workflows", "submit_every_hours", "bytes_per_request"},
		"cache":       {"hit_rate", "batch_hit_rate", "ttl", "segments", "prefix_tokens", "workflows"},
		"cancel":      {"rate", "position", "segments", "workflows"},
		"swap":        {"provider", "model", "prices", "segments", "workflows"},
		"time_value":  {"delay_hours", "cost_per_hour", "cost_per_request", "fixed_cost"},
		"completion":  {"deadline_hours", "median_hours", "sigma", "cap_hours", "observed_hours", "draws", "seed"},
		"sensitivity": {"target", "step"},
		"example":     {"seed", "question", "correct", "quote", "notes"},
		"quote":       {"figure", "text", "value", "why"},
	}
	parent := ""
	if len(k) >= 2 {
		parent = k[len(k)-2]
	}
	keys := append([]string(nil), table[parent]...)
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

var volumeKeys = []string{"requests", "input_tokens", "prefix_tokens", "output_tokens", "total_input_tokens", "total_output_tokens", "spend"}
