package render

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/internal/render/htmlcheck"
)

// chromiumOrSkip returns the browser binary, skipping the test when there
// is none, except under CI=true where a missing browser is a failure.
func chromiumOrSkip(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("headless Chromium check skipped in -short mode")
	}
	for _, b := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if b == "" {
			continue
		}
		if p, err := exec.LookPath(b); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but no chromium found: apt-get install -y chromium")
	}
	t.Skip("no chromium installed; set CI=true to make this a failure")
	return ""
}

// runScreenshot runs scripts/html-screenshot.sh on page and returns its
// output and error.
func runScreenshot(t *testing.T, browser string, page []byte) (string, string, error) {
	t.Helper()
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	if err := os.WriteFile(html, page, 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	cmd := exec.Command("../../scripts/html-screenshot.sh", html, shot)
	cmd.Env = append(os.Environ(), "CHROMIUM="+browser)
	out, err := cmd.CombinedOutput()
	return string(out), shot, err
}

// TestHTMLInChromium renders the report pages in headless Chromium: no
// console message, and a screenshot with a sane share of drawn pixels.
func TestHTMLInChromium(t *testing.T) {
	browser := chromiumOrSkip(t)
	for _, rep := range []struct {
		name     string
		page     string
		min, max float64
	}{
		{"analyze", renderHTMLString(t, fixtureAnalyzeReport(), Options{}), 0.10, 0.40},
		{"examples", renderHTMLString(t, fixtureExamplesReport(), Options{}), 0.05, 0.30},
	} {
		t.Run(rep.name, func(t *testing.T) {
			out, shot, err := runScreenshot(t, browser, []byte(rep.page))
			if err != nil {
				t.Fatalf("html-screenshot.sh: %v\n%s", err, out)
			}
			f, err := os.ReadFile(shot)
			if err != nil {
				t.Fatal(err)
			}
			s, err := htmlcheck.Check(bytes.NewReader(f), rep.min, rep.max)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %.1f%% of %d pixels drawn", rep.name, 100*s.Fraction(), s.Pixels)
		})
	}
}

// TestHTMLInChromiumCatchesErrors checks that the script fails on a page
// that logs to the console or loads from the network, so the check above
// can fail.
func TestHTMLInChromiumCatchesErrors(t *testing.T) {
	browser := chromiumOrSkip(t)
	page := renderHTMLString(t, fixtureAnalyzeReport(), Options{})
	bad := map[string]string{
		"script error":  strings.Replace(page, "</body>", "<script>undefinedFn()</script></body>", 1),
		"network image": strings.Replace(page, "</body>", `<img src="http://192.0.2.1/x.png"></body>`, 1),
		"blank page":    `<!DOCTYPE html><html><head><title>x</title></head><body><h1></h1></body></html>`,
	}
	for name, p := range bad {
		t.Run(name, func(t *testing.T) {
			out, _, err := runScreenshot(t, browser, []byte(p))
			if err == nil {
				t.Fatalf("html-screenshot.sh passed a bad page:\n%s", out)
			}
		})
	}
}
