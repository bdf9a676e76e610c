package cli

import (
	"os"

	"github.com/costaudit/costaudit/pricing"
	"github.com/costaudit/costaudit/report"
	"github.com/costaudit/costaudit/simulate"
)

// applyWhatIf applies the what-if file at scenarioPath (costaudit analyze
// --what-if) to an audited report: it appends the scenario to
// rep.Scenarios and cites any price book the scenario used beyond the
// report's. Errors in the file name the file, line, key and allowed range.
func applyWhatIf(rep *report.Report, cat *pricing.Catalog, scenarioPath string) error {
	return applyWhatIfWith(rep, cat, scenarioPath, whatIfLogs{})
}

// whatIfLogs are the measurements of the logs a what-if over them uses
// beyond the report: the completion times, in hours, of the user's own
// batch jobs (see simulate.CalibratesCompletion) with the logs they came
// from ("" when no logs were read), and the per-request count of the
// prefix tokens a cache would newly serve (nil when not measured).
type whatIfLogs struct {
	batchHours []float64
	from       string
	prefix     *simulate.PrefixTokens
}

// readWhatIf reads and checks a what-if file.
func readWhatIf(scenarioPath string) (*simulate.File, error) {
	data, err := os.ReadFile(scenarioPath)
	if err != nil {
		return nil, err
	}
	return simulate.ParseWhatIf(scenarioPath, data)
}

// applyWhatIfWith is applyWhatIf with measurements of the logs.
func applyWhatIfWith(rep *report.Report, cat *pricing.Catalog, scenarioPath string, m whatIfLogs) error {
	f, err := readWhatIf(scenarioPath)
	if err != nil {
		return err
	}
	return applyWhatIfFile(rep, cat, f, m)
}

// applyWhatIfFile applies a parsed what-if file to rep.
func applyWhatIfFile(rep *report.Report, cat *pricing.Catalog, f *simulate.File, m whatIfLogs) error {
	rec := &bookRecorder{inner: simulate.NewCatalogPricer(cat), used: map[string]bool{}}
	opt := simulate.Options{Pricer: rec, ObservedBatchHours: m.batchHours, ObservedFrom: m.from, Prefix: m.prefix}
	sc, err := simulate.RunOnReport(f, rep, opt)
	if err != nil {
		return err
	}
	rep.Scenarios = append(rep.Scenarios, sc)
	have := map[string]bool{}
	for _, b := range rep.Pricebooks {
		have[b.ID] = true
	}
	for _, b := range rec.cite(cat) {
		if !have[b.ID] {
			rep.Pricebooks = append(rep.Pricebooks, b)
		}
	}
	return nil
}
