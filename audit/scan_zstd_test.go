package audit

import (
	"os"
	"strings"
	"testing"
)

// TestScanZstdLongWindow reads frames written by the zstd tool with
// --long: a 256 MiB window is read, a 2 GiB one (over MaxZstdWindow) is
// refused with a message that says why and what to do.
func TestScanZstdLongWindow(t *testing.T) {
	for _, tc := range []struct {
		file    string
		records int
		err     string
	}{
		{"long28.jsonl.zst", 1, ""},
		{"long31.jsonl.zst", 0, "read long31.jsonl.zst: zstd frame needs a window larger than the 1024 MiB costaudit reads (written with zstd --long=31?): recompress with --long=30 or less: window size exceeded"},
	} {
		data, err := os.ReadFile("testdata/zstd/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		_, recs, err := scanAll(t, []Input{BytesInput(tc.file, data)}, ScanOptions{})
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.file, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: err = %v, want %q", tc.file, err, tc.err)
		case tc.err == "" && (len(recs) != tc.records || recs[0].InputTokens != 10):
			t.Errorf("%s: %d records %+v", tc.file, len(recs), recs)
		}
	}
}
