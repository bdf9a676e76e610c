package loggen

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/costaudit/costaudit/internal/testutil"
)

// examplesDir holds the sample logs; examplesOpts are the options
// examples/logs/README.md documents (costaudit gen --format all --seed 3
// --requests 1000 --dup-share 0.01 --bad-share 0.008).
const examplesDir = "../../examples/logs"

var examplesOpts = Options{Seed: 3, Requests: 1000, DupShare: 0.01, BadShare: 0.008}

// TestExamplesAreCurrent regenerates examples/logs and compares it with the
// committed files, so a generator change cannot leave stale samples behind.
// go test -update rewrites them.
func TestExamplesAreCurrent(t *testing.T) {
	for _, f := range Formats() {
		out, _ := run(t, Default(), examplesOpts, f)
		if f.IsTree() {
			root := filepath.Join(examplesDir, f.FileName())
			if *testutil.Update {
				if err := os.RemoveAll(root); err != nil {
					t.Fatal(err)
				}
				for rel, b := range out.tree {
					p := filepath.Join(root, filepath.FromSlash(rel))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			onDisk := 0
			err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				onDisk++
				rel, _ := filepath.Rel(root, p)
				want, ok := out.tree[filepath.ToSlash(rel)]
				got, rerr := os.ReadFile(p)
				if !ok || rerr != nil || !bytes.Equal(got, want.Bytes()) {
					t.Errorf("%s is stale (run go test ./internal/loggen -update)", p)
				}
				return nil
			})
			if err != nil || onDisk != len(out.tree) {
				t.Errorf("%s: %d files on disk, generator writes %d (%v; run go test ./internal/loggen -update)", root, onDisk, len(out.tree), err)
			}
			continue
		}
		p := filepath.Join(examplesDir, f.FileName())
		if *testutil.Update {
			if err := os.WriteFile(p, out.stream, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, out.stream) {
			t.Errorf("%s is stale (run go test ./internal/loggen -update): %v", p, err)
		}
		if len(out.stream) > 1<<20 {
			t.Errorf("%s: %d bytes, samples stay under 1 MiB", p, len(out.stream))
		}
	}
	var w bytes.Buffer
	if err := Default().EncodeTOML(&w); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(examplesDir, "workload.toml")
	if *testutil.Update {
		if err := os.WriteFile(p, w.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, w.Bytes()) {
		t.Errorf("%s is stale (run go test ./internal/loggen -update): %v", p, err)
	}
}
