// Package testutil holds what the tests of several packages share: the
// -update flag and the golden-file comparison it switches.
package testutil

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Update is the -update flag: golden files are rewritten from the output
// instead of compared with it (go test ./... -update, then review the diff).
var Update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Golden compares got with the file at path and fails t at the first line
// that differs; under -update it writes got to path instead, creating the
// directory.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (check the change, then rerun go test with -update): %s", path, FirstDiff(want, got))
	}
}

// FirstDiff describes the first line where got differs from want.
func FirstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if i >= len(wl) || i >= len(gl) || !bytes.Equal(w, g) {
			return fmt.Sprintf("line %d:\n want %q\n  got %q", i+1, w, g)
		}
	}
	return "same lines, different bytes"
}
