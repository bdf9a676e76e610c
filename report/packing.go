package report

// Packing is the batch packer's replay of each batch-eligible workflow's
// logged arrivals through a queue that submits every N hours (costaudit
// analyze --pack, costaudit route). Money is an exact decimal string.
type Packing struct {
	// DeadlineHours is the user's deadline, "" when none was given.
	DeadlineHours string `json:"deadline_hours"`
	// Window is the data window's length in days, the base of jobs per day
	// and of the monthly figures.
	WindowDays string `json:"window_days"`
	// MonteCarlo names the completion model, the replays and the seed.
	MonteCarlo string      `json:"monte_carlo"`
	Workflows  []PackTable `json:"workflows"`
}

// PackTable is the batch packer's replay of one workflow.
type PackTable struct {
	Workflow string `json:"workflow" toml:"workflow" yaml:"workflow"`
	Requests int64  `json:"requests" toml:"requests" yaml:"requests"`
	// Limit describes the per-job limits the queue obeyed.
	Limit string `json:"limit" toml:"limit" yaml:"limit"`
	// FullSavingsUSD is the window's saving with every request batched.
	FullSavingsUSD string `json:"full_savings_usd" toml:"full_savings_usd" yaml:"full_savings_usd"`
	// FlexMonthlySavingsUSD is the saving of flex instead, "" where no
	// book prices flex for every line.
	FlexMonthlySavingsUSD string    `json:"flex_monthly_savings_usd,omitempty" toml:"flex_monthly_savings_usd,omitempty" yaml:"flex_monthly_savings_usd,omitempty"`
	Rows                  []PackOut `json:"rows" toml:"rows" yaml:"rows"`
}

// PackOut is the packer's outcome for one submission interval: waits in
// hours with 2 decimals, money and shares exact to 6 places. Requests,
// Missed and Expired count requests over every Monte Carlo replay, so
// SavingsUSD = FullSavingsUSD × (Requests − Missed) / Requests and
// MonthlySavingsUSD = SavingsUSD × 30 / window days, each rounded to 6
// places.
type PackOut struct {
	EveryHours        int    `json:"every_hours" toml:"every_hours" yaml:"every_hours"`
	SavingsUSD        string `json:"savings_usd" toml:"savings_usd" yaml:"savings_usd"`
	MonthlySavingsUSD string `json:"monthly_savings_usd" toml:"monthly_savings_usd" yaml:"monthly_savings_usd"`
	WaitP50Hours      string `json:"wait_p50_hours" toml:"wait_p50_hours" yaml:"wait_p50_hours"`
	WaitP95Hours      string `json:"wait_p95_hours" toml:"wait_p95_hours" yaml:"wait_p95_hours"`
	WaitWorstHours    string `json:"wait_worst_hours" toml:"wait_worst_hours" yaml:"wait_worst_hours"`
	JobsPerDay        string `json:"jobs_per_day" toml:"jobs_per_day" yaml:"jobs_per_day"`
	Jobs              int64  `json:"jobs" toml:"jobs" yaml:"jobs"`
	FullJobs          int64  `json:"full_jobs" toml:"full_jobs" yaml:"full_jobs"`
	Requests          int64  `json:"requests" toml:"requests" yaml:"requests"`
	Missed            int64  `json:"missed" toml:"missed" yaml:"missed"`
	Expired           int64  `json:"expired" toml:"expired" yaml:"expired"`
	MissShare         string `json:"miss_deadline_share" toml:"miss_deadline_share" yaml:"miss_deadline_share"`
	ExpiredShare      string `json:"expired_share" toml:"expired_share" yaml:"expired_share"`
	Chosen            bool   `json:"chosen" toml:"chosen" yaml:"chosen"`
}
