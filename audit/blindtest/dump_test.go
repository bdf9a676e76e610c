package blindtest

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var dumpDir = flag.String("dump", "", "write the blind workloads as JSONL files into this directory")

// TestDump writes the workloads for a manual `costaudit analyze` run when
// -dump is given; without it there is nothing to do.
func TestDump(t *testing.T) {
	if *dumpDir == "" {
		return
	}
	for _, w := range Workloads(blindSeed) {
		f, err := os.Create(filepath.Join(*dumpDir, w.Name+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteJSONL(f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %s %d records", w.Name, w.TZ, len(w.Records))
	}
}
