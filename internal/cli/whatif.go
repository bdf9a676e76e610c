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
	return applyWhatIfWith(rep, cat, scenarioPath, nil, "")
}

// applyWhatIfWith is applyWhatIf with the completion times, in hours, of
// the user's own batch jobs (see simulate.CalibratesCompletion), which
// calibrate the completion-risk Monte Carlo when the file has no
// observed_hours; from names the logs they were read from ("" when none
// were).
func applyWhatIfWith(rep *report.Report, cat *pricing.Catalog, scenarioPath string, batchHours []float64, from string) error {
	data, err := os.ReadFile(scenarioPath)
	if err != nil {
		return err
	}
	f, err := simulate.ParseWhatIf(scenarioPath, data)
	if err != nil {
		return err
	}
	rec := &bookRecorder{inner: simulate.NewCatalogPricer(cat), used: map[string]bool{}}
	opt := simulate.Options{Pricer: rec, ObservedBatchHours: batchHours, ObservedFrom: from}
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
