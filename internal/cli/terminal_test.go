package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// termRun runs costaudit with an environment and a stdout that claims to
// be a terminal of ttyWidth cells (or no terminal when ttyWidth < 0).
func termRun(t *testing.T, env map[string]string, ttyWidth int, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Now:    func() time.Time { return time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC) },
		Getenv: func(k string) string { return env[k] },
	}
	if ttyWidth >= 0 {
		e.StdoutTerminal = func() (bool, int) { return true, ttyWidth }
	}
	code := Main(args, e)
	if code != 0 && code != ExitUsage {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	return out.String(), code
}

// TestAnalyzeFitsColumns is the newcomer's first command on an 80-column
// terminal: no line may be wider than COLUMNS (a wrapped rule or cell
// would break the layout), and the answer must still be on it.
func TestAnalyzeFitsColumns(t *testing.T) {
	log := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	for _, c := range []struct {
		name  string
		env   map[string]string
		tty   int
		width int
	}{
		{"COLUMNS=80", map[string]string{"COLUMNS": "80"}, -1, 80},
		{"COLUMNS=120", map[string]string{"COLUMNS": "120"}, -1, 120},
		{"tty 80", nil, 80, 80},
		{"COLUMNS wins over the tty", map[string]string{"COLUMNS": "100"}, 200, 100},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, _ := termRun(t, c.env, c.tty, "analyze", "--color", "never", log)
			for i, line := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(line); n > c.width {
					t.Errorf("line %d is %d wide (> %d): %q", i+1, n, c.width, line)
				}
			}
			for _, want := range []string{"nightly-enrichment", "verdict:", "$6.58", "6.8 days"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q", want)
				}
			}
		})
	}
}

// TestRouteFitsColumns checks that costaudit route's table fits an
// 80-column terminal too: the class column gives way first.
func TestRouteFitsColumns(t *testing.T) {
	log := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	out, _ := termRun(t, map[string]string{"COLUMNS": "80"}, -1, "route", "--color", "never", log)
	for i, line := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("line %d is %d wide (> 80): %q", i+1, n, line)
		}
	}
	for _, want := range []string{"nightly-enrichment", "change back if", "batch every"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// TestColorFlag checks --color and NO_COLOR: auto colours a terminal only
// and gives way to NO_COLOR or TERM=dumb; always and never win over both.
func TestColorFlag(t *testing.T) {
	log := filepath.Join("..", "..", "examples", "logs", "canonical.jsonl")
	for _, c := range []struct {
		name string
		env  map[string]string
		tty  int
		args []string
		want bool
	}{
		{"auto, terminal", nil, 100, nil, true},
		{"auto, pipe", nil, -1, nil, false},
		{"auto, NO_COLOR", map[string]string{"NO_COLOR": "1"}, 100, nil, false},
		{"auto, empty NO_COLOR", map[string]string{"NO_COLOR": ""}, 100, nil, true},
		{"auto, TERM=dumb", map[string]string{"TERM": "dumb"}, 100, nil, false},
		{"always, pipe", nil, -1, []string{"--color", "always"}, true},
		{"always beats NO_COLOR", map[string]string{"NO_COLOR": "1"}, -1, []string{"--color=always"}, true},
		{"never, terminal", nil, 100, []string{"--color", "never"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, code := termRun(t, c.env, c.tty, append(append([]string{"analyze"}, c.args...), log)...)
			if code != 0 {
				t.Fatalf("exit %d", code)
			}
			if got := strings.Contains(out, "\x1b["); got != c.want {
				t.Errorf("colour %v, want %v", got, c.want)
			}
		})
	}
	if _, code := termRun(t, nil, -1, "analyze", "--color", "sometimes", log); code != ExitUsage {
		t.Errorf("--color sometimes: exit %d, want %d", code, ExitUsage)
	}
}
