package cli

import (
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"
)

// OSEnv is the Env of the costaudit binary: the process's standard streams,
// clock and environment, terminal detection on stderr (progress bars) and
// stdout (table width), and signal handling.
func OSEnv() Env {
	return Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now, Signals: true,
		IsTerminal:     func() bool { return isTerminal(os.Stderr.Fd()) },
		Getenv:         os.Getenv,
		StdoutTerminal: stdoutTerminal,
	}
}

func isTerminal(fd uintptr) bool { return isatty.IsTerminal(fd) || isatty.IsCygwinTerminal(fd) }

// stdoutTerminal reports whether stdout is a terminal and its width in
// cells (0 when the size cannot be read).
func stdoutTerminal() (bool, int) {
	fd := os.Stdout.Fd()
	if !isTerminal(fd) {
		return false, 0
	}
	w, _, err := term.GetSize(int(fd))
	if err != nil {
		return true, 0
	}
	return true, w
}
