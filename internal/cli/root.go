// Package cli holds the costaudit cobra commands. Commands are thin: each
// binds its flags into an Options struct, validates it, and calls a run
// function that takes the injected Env (standard streams and clock).
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// Version is the costaudit version, set at build time with
// -ldflags "-X github.com/costaudit/costaudit/internal/cli.Version=v1.2.3".
var Version = "0.1.0-dev"

// MemoryLimit is the soft memory limit the costaudit binary gives the Go
// runtime unless GOMEMLIMIT is set: near it the garbage collector runs more
// often instead of letting the heap grow to twice what the audit holds, so
// the 300,000-workflow benchmark log (scripts/bench-workflows.sh) stays
// under 1 GB of RSS. It is soft: an audit that needs more memory gets it,
// at the cost of more collection.
const MemoryLimit = 900 << 20

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
	// Getenv reads an environment variable (COLUMNS, NO_COLOR, TERM,
	// $GITHUB_STEP_SUMMARY); nil reads none, so tests are hermetic.
	Getenv func(string) string
	// StdoutTerminal reports whether stdout is a terminal and, when it is,
	// its width in cells (0 when unknown); nil means it is not a terminal.
	StdoutTerminal func() (bool, int)
	// Signals, when set, makes Main catch SIGINT and SIGTERM: it removes
	// the temporary files of unfinished outputs and exits with 130 or 143.
	// The costaudit binary sets it; tests that call Main leave it off.
	Signals bool

	// color is the --color flag of the root command, shared by every
	// subcommand that renders for a terminal.
	color *string
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
	if env.Signals {
		defer watchSignals(env.Stderr)()
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
	env.color = new(string)
	root.PersistentFlags().StringVar(env.color, "color", "auto", "colour and bold text in terminal tables: `auto` (when stdout is a terminal and NO_COLOR is unset), always or never")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		switch *env.color {
		case "auto", "always", "never":
			return nil
		}
		return usagef("--color %q: want auto, always or never", *env.color)
	}
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
	// costaudit alone prints its help; costaudit WORD with an unknown WORD
	// is a usage error like any other (exit 2), with cobra's suggestions.
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		return usagef("unknown command %q for %q%s", args[0], cmd.CommandPath(), suggestFor(cmd, args[0]))
	}
	// cobra adds its help and completion commands at Execute; made here,
	// they report an unknown topic or shell as usage errors too.
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(_ *cobra.Command, args []string) error {
			c, rest, err := root.Find(args)
			if err != nil || c == nil || (c == root && len(rest) > 0) {
				return usagef("help %s: unknown command (run costaudit --help for the commands)", strings.Join(args, " "))
			}
			return c.Help()
		},
	})
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" && !c.Runnable() {
			c.Args = cobra.NoArgs
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		}
	}
	usageErrors(root)
	return root
}

// usageErrors makes every flag error and every positional-argument error
// of cmd and its subcommands a UsageError (exit 2), so that no usage
// mistake exits 1 whichever command it is made on.
func usageErrors(cmd *cobra.Command) {
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &UsageError{Err: err} })
	if check := cmd.Args; check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := check(c, args); err != nil {
				var ue *UsageError
				if errors.As(err, &ue) {
					return err
				}
				return &UsageError{Err: err}
			}
			return nil
		}
	}
	for _, c := range cmd.Commands() {
		usageErrors(c)
	}
}

// suggestFor returns cobra's "Did you mean" text for an unknown
// subcommand name of cmd, or a pointer to --help.
func suggestFor(cmd *cobra.Command, name string) string {
	if s := cmd.SuggestionsFor(name); len(s) > 0 {
		return "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return " (run costaudit --help for the commands)"
}

// watchSignals catches SIGINT and SIGTERM until the returned function is
// called. On a signal it removes the hidden temporary files (.FILE.tmp-N)
// of the outputs being written, so an interrupted run leaves neither half
// a report nor litter, and exits with 128 + the signal number (130, 143)
// as a shell would.
func watchSignals(stderr io.Writer) func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			n := tempFiles.removeAll()
			code := 128 + int(sig.(syscall.Signal))
			fmt.Fprintf(stderr, "costaudit: %s: stopped; removed %d unfinished output file(s), nothing was renamed into place\n", sig, n)
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

// stdinIsTerminal is the default terminal check for progress output.
func stderrIsTerminal(env Env) bool {
	if env.IsTerminal != nil {
		return env.IsTerminal()
	}
	return false
}
