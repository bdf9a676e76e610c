package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")

	if err := writeAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "first\n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "first\n" {
		t.Fatalf("file = %q", got)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, want 0644", st.Mode().Perm())
	}

	// A failing writer leaves the old content and no temporary file.
	boom := errors.New("boom")
	err := writeAtomic(path, func(w io.Writer) error {
		_, _ = io.WriteString(w, "half of a rep")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	got, _ = os.ReadFile(path)
	if string(got) != "first\n" {
		t.Errorf("after a failed write the file = %q, want the old content", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		names := []string{}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only report.json", names)
	}

	// A missing directory is an error naming the path.
	err = writeAtomic(filepath.Join(dir, "nope", "x.json"), func(io.Writer) error { return nil })
	if err == nil {
		t.Fatal("writing into a missing directory succeeded")
	}
}

func TestFormatForPath(t *testing.T) {
	cases := map[string]string{"r.json": "json", "R.CSV": "csv", "a/b.md": "markdown", "x.xlsx": "xlsx", "x.html": "html", "x": "", "x.txt": "table"}
	for in, want := range cases {
		if got := formatForPath(in); got != want {
			t.Errorf("formatForPath(%q) = %q, want %q", in, got, want)
		}
	}
}
