// Command costaudit audits what a team pays for LLM inference and simulates
// what it would pay if each workflow were delivered the right way.
package main

import (
	"os"
	"runtime/debug"

	"github.com/costaudit/costaudit/internal/cli"
)

func main() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(cli.MemoryLimit)
	}
	os.Exit(cli.Main(os.Args[1:], cli.OSEnv()))
}
