package cli

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/spf13/cobra"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/report"
)

// writeAtomic writes a file through fn without ever leaving half of it
// behind: fn writes to a temporary file in the same directory, which is
// flushed, synced and renamed over path only when fn succeeds. On any
// error the temporary file is removed and path is untouched. A new file
// gets mode 0644; an existing file keeps its mode.
func writeAtomic(path string, fn func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	mode := os.FileMode(0o644)
	if st, statErr := os.Stat(path); statErr == nil {
		if !st.Mode().IsRegular() {
			return fmt.Errorf("write %s: not a regular file", path)
		}
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = fn(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeOutput writes through fn to path atomically, or to stdout when path
// is "" or "-".
func writeOutput(env Env, path string, fn func(io.Writer) error) error {
	if path == "" || path == "-" {
		bw := bufio.NewWriterSize(env.Stdout, 1<<16)
		if err := fn(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return writeAtomic(path, fn)
}

// renderReport writes rep in format to path (stdout when "" or "-"). A
// table written to stdout fits the terminal and uses colour as
// terminalOptions decides.
func renderReport(env Env, path string, rep *report.Report, format string, opts render.Options) error {
	if format == "table" && (path == "" || path == "-") {
		opts = terminalOptions(env, opts)
	}
	return writeOutput(env, path, func(w io.Writer) error {
		return render.Render(w, rep, format, opts)
	})
}

// terminalOptions sets the width and colour of a table written to stdout.
// The width is COLUMNS when it holds a positive number, else the width of
// the terminal on stdout, else unlimited. Colour follows --color: always,
// never, or auto, which colours only a terminal, and only when NO_COLOR is
// unset or empty (https://no-color.org) and TERM is not "dumb".
func terminalOptions(env Env, opts render.Options) render.Options {
	getenv := env.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	tty, ttyWidth := false, 0
	if env.StdoutTerminal != nil {
		tty, ttyWidth = env.StdoutTerminal()
	}
	if n, err := strconv.Atoi(strings.TrimSpace(getenv("COLUMNS"))); err == nil && n > 0 {
		opts.Width = n
	} else if tty && ttyWidth > 0 {
		opts.Width = ttyWidth
	}
	mode := "auto"
	if env.color != nil {
		mode = *env.color
	}
	switch mode {
	case "always":
		opts.Color = true
	case "never":
		opts.Color = false
	default:
		opts.Color = tty && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
	}
	return opts
}

// checkFormat validates a --format value against the registered renderers,
// or against allowed when it is not empty. An unknown name is a usage
// error that lists the choices.
func checkFormat(format string, allowed []string) error {
	if len(allowed) == 0 {
		allowed = render.Formats()
	}
	for _, f := range allowed {
		if f == format && render.Has(f) {
			return nil
		}
	}
	return usagef("--format %q: unknown format (use one of %s)", format, strings.Join(allowed, ", "))
}

// formatForPath guesses the output format from an -o file name when
// --format was not given: .json, .csv, .md, .html, .xlsx. It returns ""
// when the extension says nothing.
func formatForPath(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "json"
	case ".csv":
		return "csv"
	case ".md", ".markdown":
		return "markdown"
	case ".html", ".htm":
		return "html"
	case ".xlsx":
		return "xlsx"
	case ".txt":
		return "table"
	}
	return ""
}

// formatFromOutput sets *format from the -o file name's extension when the
// user did not pass --format (see formatForPath); an explicit --format wins.
func formatFromOutput(cmd *cobra.Command, format *string, output string) {
	if cmd.Flags().Changed("format") || output == "" {
		return
	}
	if f := formatForPath(output); f != "" && render.Has(f) {
		*format = f
	}
}

// progressThreshold is the input size above which analyze shows a progress
// bar on a terminal.
const progressThreshold = 64 << 20

// newProgress returns a callback that draws a byte progress bar on stderr,
// and a function that finishes it, when stderr is a terminal and the input
// holds more than progressThreshold bytes (total; -1 when unknown, as for
// stdin). Otherwise both are silent no-ops.
func newProgress(env Env, total int64, quiet bool) (func(int64), func()) {
	if quiet || total <= progressThreshold || !stderrIsTerminal(env) {
		return nil, func() {}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(env.Stderr),
		progressbar.OptionSetDescription("reading logs"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetPredictTime(true),
	)
	return func(n int64) { _ = bar.Set64(min(n, total)) }, func() { _ = bar.Finish() }
}

// errNoInput is returned when a command that reads logs gets no argument.
var errNoInput = errors.New("no input: give log files, directories, globs, or - for stdin")
