package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/internal/render"
)

// runCLI runs costaudit with args and returns exit code, stdout, stderr.
func runCLIForReport(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
	})
	return code, out.String(), errb.String()
}

// TestReportJSONRoundTrip checks JSON → Report → JSON is byte-identical, so
// nothing is lost when a report is saved and read back.
func TestReportJSONRoundTrip(t *testing.T) {
	for _, name := range []string{"analyze.json", "examples.json"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "report", name))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := decodeReport(name, data)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := render.Render(&b, rep, "json", render.Options{}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), data) {
				t.Errorf("JSON → Report → JSON changed the document:\n%s", firstDiff(data, b.Bytes()))
			}
		})
	}
}

// firstDiff shows the first differing line of two documents.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths differ: " + strconv.Itoa(len(al)) + " vs " + strconv.Itoa(len(bl)) + " lines"
}

// TestReportFromEqualsDirect checks that report --from writes, for every
// format, the bytes a direct render of the same report writes.
func TestReportFromEqualsDirect(t *testing.T) {
	formats := render.Formats()
	for _, want := range []string{"table", "json", "csv", "markdown", "html", "focus"} {
		if !render.Has(want) {
			t.Errorf("format %s is not registered", want)
		}
	}
	for _, name := range []string{"analyze.json", "examples.json"} {
		path := filepath.Join("testdata", "report", name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := decodeReport(name, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range formats {
			t.Run(name+"/"+f, func(t *testing.T) {
				var direct bytes.Buffer
				if err := render.Render(&direct, rep, f, reportRenderOptions(rep, 0, 0)); err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(t.TempDir(), "out")
				code, _, stderr := runCLIForReport(t, "", "report", "--from", path, "--format", f, "-o", out)
				if code != ExitOK {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				got, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, direct.Bytes()) {
					t.Errorf("report --from %s --format %s differs from the direct render", name, f)
				}
				// Stdin gives the same bytes on stdout.
				if f != "xlsx" {
					code, stdout, stderr := runCLIForReport(t, string(data), "report", "--from", "-", "--format", f)
					if code != ExitOK || stdout != direct.String() {
						t.Errorf("report --from - --format %s: exit %d, stdout equal %v: %s", f, code, stdout == direct.String(), stderr)
					}
				}
			})
		}
	}
}

func TestReportFromErrors(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "report", "analyze.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		input string
		args  []string
		code  int
		want  string
	}{
		{"no --from", "", []string{"report"}, ExitUsage, "--from FILE is required"},
		{"bad format", string(good), []string{"report", "--from", "-", "--format", "pdf"}, ExitUsage, `--format "pdf": unknown format`},
		{"not json", "hello", []string{"report", "--from", "-"}, ExitFailure, "read stdin: not a JSON report"},
		{"no schema version", `{"kind":"analyze"}`, []string{"report", "--from", "-"}, ExitFailure, "schema_version: missing"},
		{"future schema", `{"kind":"analyze","schema_version":2}`, []string{"report", "--from", "-"}, ExitFailure, "schema_version: 2 is not supported"},
		{"inventory", `{"kind":"classify","schema_version":1}`, []string{"report", "--from", "-"}, ExitFailure, `"classify" is a latency inventory`},
		{"unknown field", strings.Replace(string(good), `"kind": "analyze",`, `"kind": "analyze", "colour": 1,`, 1), []string{"report", "--from", "-"}, ExitFailure, `unknown field "colour"`},
		{"wrong type", strings.Replace(string(good), `"files": 2,`, `"files": "two",`, 1), []string{"report", "--from", "-"}, ExitFailure, "line 23:"},
		{"trailing data", string(good) + "{}", []string{"report", "--from", "-"}, ExitFailure, "trailing data after the report"},
		{"missing file", "", []string{"report", "--from", "does-not-exist.json"}, ExitFailure, "does-not-exist.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLIForReport(t, tt.input, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

// TestReportFormatFromExtension checks -o report.html picks html.
func TestReportFormatFromExtension(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.html")
	code, _, stderr := runCLIForReport(t, "", "report", "--from", filepath.Join("testdata", "report", "analyze.json"), "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, []byte("<!DOCTYPE html>")) {
		t.Errorf("-o report.html wrote %.40q, want an HTML page", got)
	}
}
