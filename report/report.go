// Package report defines the costaudit report: the JSON interchange document
// (schema_version 1) that every output format renders, and that
// `costaudit report --from` and `costaudit diff` read back.
//
// Money is decimal.Decimal, which marshals as an exact decimal string. Lists
// are sorted by the builder (cost descending, then name) so the same inputs
// give the same bytes.
package report

import "github.com/shopspring/decimal"

// SchemaVersion is the version of the JSON report written by this build.
const SchemaVersion = 1

// Report is the whole audit: coverage, spend, classification, what-ifs,
// assumptions and the price books used.
type Report struct {
	// Kind is "analyze" for an audit of logs, "simulate" for what-ifs without
	// logs and "examples" for the seeds' worked examples. Renderers show the
	// log sections only for "analyze".
	Kind           string           `json:"kind"`
	SchemaVersion  int              `json:"schema_version"`
	Window         Window           `json:"window"`
	Pricebooks     []Pricebook      `json:"pricebooks"`
	Coverage       Coverage         `json:"coverage"`
	Totals         Totals           `json:"totals"`
	Projection     Projection       `json:"projection"`
	ByClass        []ClassRow       `json:"by_class"`
	ByModel        []ModelRow       `json:"by_model"`
	ByMode         []ModeRow        `json:"by_mode"`
	ByDay          []DayRow         `json:"by_day"`
	Groups         []GroupRow       `json:"groups,omitempty"`
	Workflows      []Workflow       `json:"workflows"`
	Opportunities  []Opportunity    `json:"opportunities"`
	EarlyCancel    EarlyCancel      `json:"early_cancel"`
	Reconciliation []Reconciliation `json:"reconciliation"`
	Scenarios      []Scenario       `json:"scenarios,omitempty"`
	Packing        *Packing         `json:"packing,omitempty"` // analyze --pack
	Prices         []PriceRow       `json:"prices"`
	FocusRows      []FocusUsage     `json:"focus_usage,omitempty"`
	Assumptions    []Assumption     `json:"assumptions"`
	Notes          []string         `json:"notes"`
}

// Window is the time span the data covers. Days is the span in days as an
// exact decimal (end minus start), the base of every monthly projection.
type Window struct {
	Start string          `json:"start"` // RFC 3339, UTC; empty with no records
	End   string          `json:"end"`
	Days  decimal.Decimal `json:"days"`
	TZ    string          `json:"tz"`
}

// Pricebook cites one price book the report used.
type Pricebook struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	SHA256 string `json:"sha256"`
}

// Coverage accounts for every input line. Lines = Records + Duplicates +
// Rejected + Skipped, and Records = Priced + Unbilled + Unpriced.
type Coverage struct {
	Files            int              `json:"files"`
	Lines            int64            `json:"lines"`
	Records          int64            `json:"records"`
	Priced           int64            `json:"priced"`
	Unbilled         int64            `json:"unbilled"`
	Unpriced         int64            `json:"unpriced"`
	Duplicates       int64            `json:"duplicates"`
	Rejected         int64            `json:"rejected"`
	Skipped          int64            `json:"skipped"`
	Filtered         int64            `json:"filtered"` // records outside --since/--until
	RejectedByReason map[string]int64 `json:"rejected_by_reason"`
	UnpricedModels   map[string]int64 `json:"unpriced_models"`
	// UnpricedReasons says, per key of UnpricedModels, why its records were
	// not priced: "\"x\" is not in any price book …", "no price in force on
	// 2023-01-05 (first price 2024-07-18)", "mode flex: … has no flex rule".
	UnpricedReasons map[string]string `json:"unpriced_reasons,omitempty"`
	// UnpricedTokens holds, per key of UnpricedModels, the tokens its
	// unpriced records carry, so that what no total counts is still shown;
	// absent when every record is priced.
	UnpricedTokens map[string]Tokens `json:"unpriced_tokens,omitempty"`
	Formats        map[string]int64  `json:"formats"` // input files per detected format
	// ConflictingDuplicates counts the duplicates (already in Duplicates)
	// whose workflow, model or status differ from the kept copy of their
	// request id; ConflictExample is one such id (the smallest).
	ConflictingDuplicates int64  `json:"conflicting_duplicates,omitempty"`
	ConflictExample       string `json:"conflict_example,omitempty"`
	// FileDated counts the records whose log gives no time (Anthropic
	// responses and batch results, OpenAI batch error lines), dated by
	// their file's modification time; unless FileTimesUsed, they are left
	// out of the window, the projection's basis and the arrival evidence.
	FileDated     int64 `json:"file_dated,omitempty"`
	FileTimesUsed bool  `json:"file_times_used,omitempty"`
}

// Tokens counts requests and their tokens in the disjoint buckets.
type Tokens struct {
	Requests           int64 `json:"requests"`
	InputTokens        int64 `json:"input_tokens"`
	CacheReadTokens    int64 `json:"cache_read_tokens"`
	CacheWrite5mTokens int64 `json:"cache_write_5m_tokens"`
	CacheWrite1hTokens int64 `json:"cache_write_1h_tokens"`
	OutputTokens       int64 `json:"output_tokens"`
}

// Totals sums the priced records.
type Totals struct {
	Requests           int64           `json:"requests"`
	InputTokens        int64           `json:"input_tokens"`
	CacheReadTokens    int64           `json:"cache_read_tokens"`
	CacheWrite5mTokens int64           `json:"cache_write_5m_tokens"`
	CacheWrite1hTokens int64           `json:"cache_write_1h_tokens"`
	OutputTokens       int64           `json:"output_tokens"`
	CostUSD            decimal.Decimal `json:"cost_usd"`
}

// Projection scales the window's cost and savings to a 30-day month.
type Projection struct {
	Basis             string          `json:"basis"` // e.g. "30 / 7 days of data"
	MonthlyCostUSD    decimal.Decimal `json:"monthly_cost_usd"`
	MonthlySavingsUSD decimal.Decimal `json:"monthly_savings_usd"`
	WindowSavingsUSD  decimal.Decimal `json:"window_savings_usd"`
}

// ClassRow is spend of one latency class: realtime, near-realtime or scheduled.
type ClassRow struct {
	Class    string          `json:"class"`
	Requests int64           `json:"requests"`
	CostUSD  decimal.Decimal `json:"cost_usd"`
}

// ModelRow is spend of one provider/model pair (the model as logged).
type ModelRow struct {
	Provider string          `json:"provider"`
	Model    string          `json:"model"`
	Requests int64           `json:"requests"`
	CostUSD  decimal.Decimal `json:"cost_usd"`
}

// ModeRow is spend of one delivery mode.
type ModeRow struct {
	Mode     string          `json:"mode"`
	Requests int64           `json:"requests"`
	CostUSD  decimal.Decimal `json:"cost_usd"`
}

// DayRow is spend of one calendar day in the report's time zone, split by
// latency class.
type DayRow struct {
	Day      string                     `json:"day"` // YYYY-MM-DD
	Requests int64                      `json:"requests"`
	CostUSD  decimal.Decimal            `json:"cost_usd"`
	ByClass  map[string]decimal.Decimal `json:"by_class,omitempty"`
}

// GroupRow is spend of one value of the --group-by key (team or tag:KEY).
type GroupRow struct {
	Key        string          `json:"key"`   // "team" or "tag:env"
	Value      string          `json:"value"` // "" when the record has none
	Requests   int64           `json:"requests"`
	CostUSD    decimal.Decimal `json:"cost_usd"`
	SavingsUSD decimal.Decimal `json:"savings_usd"`
}

// Workflow is one workflow of the latency inventory with its batch what-if.
type Workflow struct {
	Workflow   string   `json:"workflow"`
	Class      string   `json:"class"`
	Confidence string   `json:"confidence"` // high, medium, low
	Evidence   []string `json:"evidence"`
	// Parts are the populations of a mixed workflow (a job and the people
	// beside it), each with the class it would have alone; the workflow
	// keeps the most urgent class and is never batched as a whole.
	Parts              []WorkflowPart  `json:"parts,omitempty"`
	Requests           int64           `json:"requests"`
	Providers          []string        `json:"providers"`
	Models             []string        `json:"models"`
	Modes              []string        `json:"modes"`
	Team               string          `json:"team,omitempty"`
	InputTokens        int64           `json:"input_tokens"`
	CacheReadTokens    int64           `json:"cache_read_tokens"`
	CacheWrite5mTokens int64           `json:"cache_write_5m_tokens"`
	CacheWrite1hTokens int64           `json:"cache_write_1h_tokens"`
	OutputTokens       int64           `json:"output_tokens"`
	CostUSD            decimal.Decimal `json:"cost_usd"`
	WhatIf             WhatIf          `json:"what_if"`
	// Lines splits the workflow by price-book entry, tier and mode: the
	// rows a spreadsheet recomputes from list prices.
	Lines []WorkflowLine `json:"lines"`
}

// WorkflowPart is one population of a mixed workflow. Requests counts
// every record of the part (priced or not).
type WorkflowPart struct {
	Name     string `json:"name"`
	Class    string `json:"class"`
	Requests int64  `json:"requests"`
	Evidence string `json:"evidence"`
	// CostUSD, BatchCostUSD and SavingsUSD price a job part as if it had its
	// own workflow name (set when the workflow has one price line); they
	// are not in the totals, the opportunities or the projection. Note says
	// why a part is not priced, or what its figures assume.
	CostUSD      *decimal.Decimal `json:"cost_usd,omitempty"`
	BatchCostUSD *decimal.Decimal `json:"batch_cost_usd,omitempty"`
	SavingsUSD   *decimal.Decimal `json:"savings_usd,omitempty"`
	Note         string           `json:"note,omitempty"`
}

// WorkflowLine is the usage of one workflow under one price (PriceRef into
// Report.Prices) and one delivery mode, with its cost and batch what-if.
type WorkflowLine struct {
	Provider           string          `json:"provider"`
	Model              string          `json:"model"`
	PriceRef           string          `json:"price_ref"`
	Mode               string          `json:"mode"`
	Requests           int64           `json:"requests"`
	InputTokens        int64           `json:"input_tokens"`
	CacheReadTokens    int64           `json:"cache_read_tokens"`
	CacheWrite5mTokens int64           `json:"cache_write_5m_tokens"`
	CacheWrite1hTokens int64           `json:"cache_write_1h_tokens"`
	OutputTokens       int64           `json:"output_tokens"`
	CostUSD            decimal.Decimal `json:"cost_usd"`
	BatchCostUSD       decimal.Decimal `json:"batch_cost_usd"`
	BatchEligible      bool            `json:"batch_eligible"`
}

// PriceRow is one price-book entry (at one tier) used by the report, in USD
// per million tokens. The Batch* prices are empty (zero) and HasBatch false
// when the provider has no batch API.
type PriceRow struct {
	Ref               string          `json:"ref"` // provider/model@effective_from[#tier]
	Book              string          `json:"book"`
	Provider          string          `json:"provider"`
	Model             string          `json:"model"`
	EffectiveFrom     string          `json:"effective_from"`
	Tier              string          `json:"tier"`
	Input             decimal.Decimal `json:"input"`
	CacheRead         decimal.Decimal `json:"cache_read"`
	CacheWrite5m      decimal.Decimal `json:"cache_write_5m"`
	CacheWrite1h      decimal.Decimal `json:"cache_write_1h"`
	Output            decimal.Decimal `json:"output"`
	RequestFee        decimal.Decimal `json:"request_fee"`
	HasBatch          bool            `json:"has_batch"`
	BatchInput        decimal.Decimal `json:"batch_input"`
	BatchCacheRead    decimal.Decimal `json:"batch_cache_read"`
	BatchCacheWrite5m decimal.Decimal `json:"batch_cache_write_5m"`
	BatchCacheWrite1h decimal.Decimal `json:"batch_cache_write_1h"`
	BatchOutput       decimal.Decimal `json:"batch_output"`
	Source            string          `json:"source"`
}

// WhatIf is the cost of a workflow moved to its provider's batch rule.
// BatchCostUSD equals the current cost where the workflow is not eligible.
type WhatIf struct {
	BatchCostUSD decimal.Decimal `json:"batch_cost_usd"`
	SavingsUSD   decimal.Decimal `json:"savings_usd"`
	Eligible     bool            `json:"eligible"`
	Reason       string          `json:"reason"`
}

// Opportunity is one ranked saving with its monthly projection.
type Opportunity struct {
	Rank              int             `json:"rank"`
	Workflow          string          `json:"workflow"`
	Lever             string          `json:"lever"` // batch, cache, model-swap, ...
	Class             string          `json:"class"`
	CostUSD           decimal.Decimal `json:"cost_usd"`
	NewCostUSD        decimal.Decimal `json:"new_cost_usd"`
	SavingsUSD        decimal.Decimal `json:"savings_usd"`
	MonthlySavingsUSD decimal.Decimal `json:"monthly_savings_usd"`
	Why               string          `json:"why"`
}

// EarlyCancel is the ledger of streams the client cancelled. Providers do
// not document billing after a disconnect, so the output not generated is a
// range: from nothing saved (the provider finished the generation and billed
// it) to every token up to max_tokens saved.
type EarlyCancel struct {
	CancelledStreams      int64           `json:"cancelled_streams"`
	WithMaxTokens         int64           `json:"with_max_tokens"`
	DeliveredOutputTokens int64           `json:"delivered_output_tokens"`
	NotGeneratedTokensMin int64           `json:"not_generated_tokens_min"`
	NotGeneratedTokensMax int64           `json:"not_generated_tokens_max"`
	SavedUSDMin           decimal.Decimal `json:"saved_usd_min"`
	SavedUSDMax           decimal.Decimal `json:"saved_usd_max"`
	Workflows             []CancelRow     `json:"workflows"`
	Note                  string          `json:"note"`
}

// CancelRow is the early-cancel ledger of one workflow.
type CancelRow struct {
	Workflow              string          `json:"workflow"`
	Streams               int64           `json:"streams"`
	Cancelled             int64           `json:"cancelled"`
	DeliveredOutputTokens int64           `json:"delivered_output_tokens"`
	NotGeneratedTokensMax int64           `json:"not_generated_tokens_max"`
	SavedUSDMax           decimal.Decimal `json:"saved_usd_max"`
}

// Reconciliation compares the cost a source logged with costaudit's price
// for one workflow and model, where they differ by more than 1%.
type Reconciliation struct {
	Workflow      string          `json:"workflow"`
	Provider      string          `json:"provider"`
	Model         string          `json:"model"`
	Requests      int64           `json:"requests"`
	LoggedCostUSD decimal.Decimal `json:"logged_cost_usd"`
	OurCostUSD    decimal.Decimal `json:"our_cost_usd"`
	DiffUSD       decimal.Decimal `json:"diff_usd"`
	DiffPct       decimal.Decimal `json:"diff_pct"`
	LikelyCause   string          `json:"likely_cause"`
}

// Scenario is the result of one what-if scenario (costaudit simulate or
// analyze --what-if): named figures with their assumptions.
type Scenario struct {
	Name        string       `json:"name"`
	Kind        string       `json:"kind"`
	Title       string       `json:"title"`
	Figures     []Figure     `json:"figures"`
	Tables      []Table      `json:"tables,omitempty"`
	Assumptions []Assumption `json:"assumptions"`
	Notes       []string     `json:"notes,omitempty"`
}

// Figure is one computed value of a scenario. Value is an exact decimal
// string for money and counts, or a decimal rendering of a statistic.
type Figure struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Value  string `json:"value"`
	Unit   string `json:"unit"`             // USD, USD/month, tokens, requests, %, hours, ...
	Quoted string `json:"quoted,omitempty"` // a seed's figure, for worked examples
	// Expr is the figure as an arithmetic expression over the scenario's
	// assumption keys and earlier figure keys (+ - * / parentheses, numbers,
	// MIN, MAX, IF), so a spreadsheet can recompute it live. Empty for
	// figures that are not plain arithmetic (Monte Carlo, ranges).
	Expr string `json:"expr,omitempty"`
	Note string `json:"note,omitempty"` // why the quoted figure differs
}

// Table is a small table of a scenario (e.g. sensitivity, per-workflow).
type Table struct {
	Name    string     `json:"name"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// Assumption is one input of a computed figure and where it came from:
// flag, rules file, scenario file, logs, price book or default.
type Assumption struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

// FocusUsage is one priced (day, provider, model, token bucket, mode) cell,
// the raw material of the FOCUS export.
type FocusUsage struct {
	Day         string          `json:"day"`
	Provider    string          `json:"provider"`
	Model       string          `json:"model"`
	Bucket      string          `json:"bucket"`
	Mode        string          `json:"mode"`
	Tokens      int64           `json:"tokens"`
	UnitPrice   decimal.Decimal `json:"price_per_million"`
	ListCostUSD decimal.Decimal `json:"list_cost_usd"`
	CostUSD     decimal.Decimal `json:"cost_usd"`
	PriceRef    string          `json:"price_ref"` // book/model@effective_from[/tier]
	// Groups holds the cell's --group-by values keyed like GroupRow.Key
	// ("team", "tag:env"); empty without --group-by. The FOCUS export
	// writes them into Tags.
	Groups map[string]string `json:"groups,omitempty"`
}
