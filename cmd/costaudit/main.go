// Command costaudit audits what a team pays for LLM inference and simulates
// what it would pay if each workflow were delivered the right way.
package main

import (
	"os"
	"runtime/debug"
	"time"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"

	"github.com/costaudit/costaudit/internal/cli"
)

func main() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(cli.MemoryLimit)
	}
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now, Signals: true,
		IsTerminal: func() bool { return isatty.IsTerminal(os.Stderr.Fd()) || isatty.IsCygwinTerminal(os.Stderr.Fd()) },
		Getenv:     os.Getenv,
		StdoutTerminal: func() (bool, int) {
			fd := os.Stdout.Fd()
			if !isatty.IsTerminal(fd) && !isatty.IsCygwinTerminal(fd) {
				return false, 0
			}
			w, _, err := term.GetSize(int(fd))
			if err != nil {
				return true, 0
			}
			return true, w
		}}))
}
