package loggen

import (
	"io"
	"testing"
)

// BenchmarkGenerate measures records and bytes per second of each format.
func BenchmarkGenerate(b *testing.B) {
	for _, f := range []Format{FormatCanonical, FormatCanonicalCSV, FormatOpenAI, FormatOTel, FormatClaudeCode} {
		b.Run(string(f), func(b *testing.B) {
			opts := Options{Seed: 1, Requests: 50000}
			var bytes int64
			for b.Loop() {
				st, err := Generate(Default(), opts, f, Target{W: io.Discard, Create: discardCreate})
				if err != nil {
					b.Fatal(err)
				}
				bytes = st.Bytes
			}
			b.SetBytes(bytes)
			b.ReportMetric(float64(opts.Requests)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
