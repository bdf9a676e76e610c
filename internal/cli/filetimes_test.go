package cli

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// copyExamples copies examples/logs into a temporary directory and sets
// every file's modification time to mod, as a fresh clone on that day
// would.
func copyExamples(t *testing.T, mod time.Time) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join("..", "..", "examples", "logs")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(out, b, 0o644); err != nil {
			return err
		}
		return os.Chtimes(out, mod, mod)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestExamplesIndependentOfCloneDate analyzes the bundled mixed-format
// example as if cloned on two dates: Anthropic batch results carry no
// timestamp, and the report must not depend on the files' times.
func TestExamplesIndependentOfCloneDate(t *testing.T) {
	var reports []string
	for _, mod := range []time.Time{time.Date(2026, 11, 9, 12, 0, 0, 0, time.UTC), time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)} {
		dir := copyExamples(t, mod)
		out, stderr, code := runCLI(t, "", "analyze", "--format", "json", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var rep struct {
			Window   struct{ Start, End string }
			Coverage struct {
				FileDated int64 `json:"file_dated"`
			}
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Window.Start != "2026-11-02T01:01:17Z" || rep.Window.End != "2026-11-08T21:21:24Z" || rep.Coverage.FileDated == 0 {
			t.Errorf("%s: window %+v, file_dated %d", mod, rep.Window, rep.Coverage.FileDated)
		}
		reports = append(reports, out)
	}
	if reports[0] != reports[1] {
		t.Error("the report of examples/logs depends on the files' modification times")
	}
}

// TestFileTimesFlag checks that records dated by their file's time move
// the window only with --file-times, and are always flagged.
func TestFileTimesFlag(t *testing.T) {
	dir := copyExamples(t, time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC))
	file := filepath.Join(dir, "anthropic-batch.jsonl")
	for _, tc := range []struct {
		args []string
		end  string
		used bool
	}{
		{nil, "", false},
		{[]string{"--file-times"}, "2027-06-01T12:00:00Z", true},
	} {
		args := append([]string{"analyze", "--format", "json"}, tc.args...)
		out, stderr, code := runCLI(t, "", append(args, file)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var rep struct {
			Window   struct{ Start, End string }
			Coverage struct {
				Priced    int64 `json:"priced"`
				FileDated int64 `json:"file_dated"`
				Used      bool  `json:"file_times_used"`
			}
			Notes []string
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Window.End != tc.end || rep.Coverage.FileDated != 194 || rep.Coverage.Priced == 0 || rep.Coverage.Used != tc.used || len(rep.Notes) == 0 {
			t.Errorf("%v: window %+v, coverage %+v, notes %q", tc.args, rep.Window, rep.Coverage, rep.Notes)
		}
	}
}
