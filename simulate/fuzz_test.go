package simulate

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzParseFile feeds arbitrary scenario files to the parser and the
// simulation: they may be rejected, but never crash, and an accepted file
// always yields figures whose expressions reproduce their values.
func FuzzParseFile(f *testing.F) {
	paths, _ := filepath.Glob("../examples/scenarios/*.toml")
	paths = append(paths, "../examples/what-if/support-assistant.toml", "testdata/whatif.toml")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("[[workload]]\nrequests = 0\ninput_tokens = 0\nprices = { input = \"1\", batch_discount = \"0.5\", source = \"x\" }\n[batch]\n[time_value]\n[sensitivity]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseFile("fuzz.toml", data)
		if err == nil {
			sc, err := Run(file, Options{Pricer: fakePricer{}, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
			var fe *FileError
			switch {
			case err == nil:
				checkScenarioExprs(t, "fuzz", sc)
			case !errors.As(err, &fe):
				t.Errorf("a parsed file failed without naming its place: %v", err)
			}
		}
		if wf, err := ParseWhatIf("fuzz.toml", data); err == nil {
			_, _ = RunOnReport(wf, loadReport(t), Options{Pricer: fakePricer{}})
		}
	})
}
