// Package cli holds the costaudit cobra commands. Commands are thin: each
// binds its flags into an Options struct, validates it, and calls a run
// function that takes the injected Env (standard streams and clock).
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
)

// Version is the costaudit version, set at build time with
// -ldflags "-X github.com/costaudit/costaudit/internal/cli.Version=v1.2.3".
var Version = "0.1.0-dev"

// Exit codes of the costaudit command.
const (
	ExitOK      = 0 // success
	ExitFailure = 1 // the command ran and failed (bad input under --strict, unknown model, I/O)
	ExitUsage   = 2 // the command line itself is wrong
)

// Env is what a command may touch of the outside world. Tests inject it.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Now    func() time.Time
	// IsTerminal reports whether stderr is an interactive terminal (for
	// progress bars); nil means it is not.
	IsTerminal func() bool
	// Getenv reads an environment variable ($GITHUB_STEP_SUMMARY); nil
	// means os.Getenv.
	Getenv func(string) string
}

// UsageError marks an error in the command line (exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// usagef returns a UsageError with a formatted message.
func usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// Main runs costaudit with args and returns the process exit code.
func Main(args []string, env Env) int {
	if env.Now == nil {
		env.Now = time.Now
	}
	root := NewRoot(env)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "costaudit: %v\n", err)
	var ue *UsageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	return ExitFailure
}

// NewRoot builds the command tree.
func NewRoot(env Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "costaudit",
		Short: "Audit LLM inference spend and simulate cheaper delivery",
		Long: `costaudit reads the LLM request logs you already have, tags each workflow
realtime / near-realtime / scheduled with evidence, prices every request with
versioned price books, and shows what batch delivery, prompt caching, early
cancellation and cheaper models would save.`,
		Example: `  costaudit analyze examples/logs/canonical.jsonl
  costaudit analyze --format json -o report.json logs/
  costaudit route --deadline 6h -o policy.toml logs/
  costaudit price --model claude-sonnet-4-5 --input 1500 --output 250 --mode batch
  costaudit pricebook show gpt-4o --at 2024-06-01
  costaudit examples run`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &UsageError{Err: err} })
	root.AddCommand(
		newPriceCmd(env),
		newPricebookCmd(env),
		newAnalyzeCmd(env),
		newClassifyCmd(env),
		newGenCmd(env),
		newSimulateCmd(env),
		newExamplesCmd(env),
		newReportCmd(env),
		newDiffCmd(env),
		newSQLCmd(env),
		newCheckCmd(env),
		newConfigCmd(env),
		newRouteCmd(env),
	)
	wireConfig(root)
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &UsageError{Err: err} })
	}
	return root
}

// stdinIsTerminal is the default terminal check for progress output.
func stderrIsTerminal(env Env) bool {
	if env.IsTerminal != nil {
		return env.IsTerminal()
	}
	return false
}

var _ = os.Stderr
