package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/internal/render/htmlcheck"
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
				if err := render.Render(&direct, rep, f, reportRenderOptions(rep, render.DefaultTopN)); err != nil {
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

// TestReportFromEqualsAnalyze checks, on the example logs, that analyze
// --format FMT and analyze --format json followed by report --from write
// the same bytes in every format, with --group-by.
func TestReportFromEqualsAnalyze(t *testing.T) {
	logs := filepath.Join("..", "..", "examples", "logs")
	dir := t.TempDir()
	saved := filepath.Join(dir, "run.json")
	groupBy := []string{"--group-by", "team", "--group-by", "tag:env"}
	code, _, stderr := runCLIForReport(t, "", append([]string{"analyze", logs, "--format", "json", "-o", saved}, groupBy...)...)
	if code != ExitOK {
		t.Fatalf("analyze --format json: exit %d: %s", code, stderr)
	}
	for _, f := range render.Formats() {
		t.Run(f, func(t *testing.T) {
			direct := filepath.Join(dir, "direct."+f)
			via := filepath.Join(dir, "via."+f)
			if code, _, stderr := runCLIForReport(t, "", append([]string{"analyze", logs, "--format", f, "-o", direct}, groupBy...)...); code != ExitOK {
				t.Fatalf("analyze --format %s: exit %d: %s", f, code, stderr)
			}
			if code, _, stderr := runCLIForReport(t, "", "report", "--from", saved, "--format", f, "-o", via); code != ExitOK {
				t.Fatalf("report --from --format %s: exit %d: %s", f, code, stderr)
			}
			a, err := os.ReadFile(direct)
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(via)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("analyze --format %s and report --from differ (%d vs %d bytes)", f, len(a), len(b))
			}
		})
	}
}

// TestExampleHTMLInChromium renders the HTML report of the example logs in
// headless Chromium with scripts/html-screenshot.sh: no console message, and
// a screenshot whose share of drawn pixels is checked. Without Chromium it
// is skipped, except under CI=true.
func TestExampleHTMLInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("headless Chromium check skipped in -short mode")
	}
	browser := ""
	for _, b := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if b == "" {
			continue
		}
		if p, err := exec.LookPath(b); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but no chromium found: apt-get install -y chromium")
		}
		t.Skip("no chromium installed; set CI=true to make this a failure")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	code, _, stderr := runCLIForReport(t, "", "analyze", filepath.Join("..", "..", "examples", "logs"), "--format", "html", "-o", page)
	if code != ExitOK {
		t.Fatalf("analyze --format html: exit %d: %s", code, stderr)
	}
	shot := filepath.Join(dir, "shot.png")
	cmd := exec.Command(filepath.Join("..", "..", "scripts", "html-screenshot.sh"), page, shot)
	cmd.Env = append(os.Environ(), "CHROMIUM="+browser)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("html-screenshot.sh: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := htmlcheck.Check(f, 0.08, 0.40)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("example report: %.1f%% of %d pixels drawn", 100*s.Fraction(), s.Pixels)
}
