package audit

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestExpandInputsDoubleStar checks that ** matches any depth, the
// directory itself included (as shells with globstar do, and as
// ~/.claude/projects/**/*.jsonl is written), and that {a,b} picks
// alternatives.
func TestExpandInputsDoubleStar(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"top.jsonl", "p/a.jsonl", "p/q/b.jsonl", "p/q/r/c.jsonl.gz", "p/q/notes.txt", "x/d.csv"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{"**/*.jsonl", []string{"p/a.jsonl", "p/q/b.jsonl", "top.jsonl"}},
		{"p/**/*.jsonl*", []string{"p/a.jsonl", "p/q/b.jsonl", "p/q/r/c.jsonl.gz"}},
		{"**/q", []string{"p/q/b.jsonl", "p/q/r/c.jsonl.gz"}},
		{"{x,p/q}/*.{csv,jsonl}", []string{"p/q/b.jsonl", "x/d.csv"}},
	} {
		ins, err := ExpandInputs([]string{filepath.Join(dir, tc.pattern)}, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.pattern, err)
		}
		var names []string
		for _, in := range ins {
			names = append(names, filepath.ToSlash(strings.TrimPrefix(in.Name, dir+string(filepath.Separator))))
		}
		if !reflect.DeepEqual(names, tc.want) {
			t.Errorf("%s: %v, want %v", tc.pattern, names, tc.want)
		}
	}
}
