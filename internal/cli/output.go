package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/costaudit/costaudit/audit"
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
		if st.Mode()&(os.ModeCharDevice|os.ModeNamedPipe) != 0 {
			return writeDevice(path, fn)
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("write %s: not a regular file (a directory or a socket); name a file", path)
		}
		mode = st.Mode().Perm()
	}
	tmp, err := tempFiles.create(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer tempFiles.remove(tmp.Name())
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

// tempFiles are the temporary files of writeAtomic still being written;
// an interrupt removes them (see watchSignals).
var tempFiles = &tempSet{names: map[string]bool{}}

// tempSet is a set of file names safe for concurrent use.
type tempSet struct {
	mu     sync.Mutex
	names  map[string]bool
	closed bool // removeAll ran: the process is exiting
}

// errInterrupted is returned by create once removeAll has run.
var errInterrupted = errors.New("interrupted")

// create makes a temporary file (os.CreateTemp) and adds it to the set in
// one step, so that a signal cannot fall between the two and leave it.
func (t *tempSet) create(dir, pattern string) (*os.File, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, errInterrupted
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	t.names[f.Name()] = true
	return f, nil
}

func (t *tempSet) remove(name string) {
	t.mu.Lock()
	delete(t.names, name)
	t.mu.Unlock()
}

// removeAll deletes every file of the set from disk and returns how many
// it removed; later creates fail.
func (t *tempSet) removeAll() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	n := 0
	for name := range t.names {
		if os.Remove(name) == nil {
			n++
		}
		delete(t.names, name)
	}
	return n
}

// writeDevice writes through fn straight to a character device or a named
// pipe (-o /dev/null, -o /dev/stderr, a fifo), which cannot be renamed
// over.
func writeDevice(path string, fn func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := fn(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
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
// bar on a terminal (a variable for tests).
var progressThreshold int64 = 64 << 20

// progressDelay is how long the bar stays hidden after the scan starts, so
// that its first rate is measured over a real interval: drawn at once, the
// first block read from the page cache shows rates such as "(293 GB/s)".
const progressDelay = time.Second

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
	bar.StartWithoutRender() // the rate counts from the start of the scan
	start := env.Now()
	var mu sync.Mutex
	shown := false
	update := func(n int64) {
		mu.Lock()
		defer mu.Unlock()
		if !shown && env.Now().Sub(start) < progressDelay {
			return
		}
		shown = true
		_ = bar.Set64(min(n, total))
	}
	finish := func() {
		mu.Lock()
		defer mu.Unlock()
		if shown {
			_ = bar.Finish()
		}
	}
	return update, finish
}

// errNoInput is returned when a command that reads logs gets no argument.
var errNoInput = errors.New("no input: give log files, directories, globs, or - for stdin")

// bindFormatFlag registers -f/--format with the choices in its help. Every
// command that renders output uses it, so the flag reads the same
// everywhere. byExt says the command picks the format from the -o
// extension when --format is not given (formatFromOutput).
func bindFormatFlag(f *pflag.FlagSet, p *string, def string, choices []string, byExt bool) {
	usage := "output `FORMAT`: " + strings.Join(choices, ", ")
	if byExt {
		usage += " (with -o and no --format, the file extension picks it)"
	}
	f.StringVarP(p, "format", "f", def, usage)
}

// bindOutputFlag registers -o/--output: write what to FILE atomically
// instead of stdout.
func bindOutputFlag(f *pflag.FlagSet, p *string, what string) {
	f.StringVarP(p, "output", "o", "", "write "+what+" to `FILE` (atomically) instead of stdout")
}

// maxPlaces bounds --places.
const maxPlaces = 12

// bindPlacesFlag registers --places.
func bindPlacesFlag(f *pflag.FlagSet, p *int) {
	f.IntVar(p, "places", 0, fmt.Sprintf("`N` decimal places of money in table and markdown, 1 to %d (0: the default, 2)", maxPlaces))
}

// checkPlaces validates --places (a usage error when out of range).
func checkPlaces(n int) error {
	if n < 0 || n > maxPlaces {
		return usagef("--places %d: want 1 to %d (0: the default, 2)", n, maxPlaces)
	}
	return nil
}

// scenarioFormats are the formats simulate and examples write. FOCUS
// exports billed usage line by line, which a described workload does not
// have, so it is not one of them.
func scenarioFormats() []string {
	var out []string
	for _, f := range render.Formats() {
		if f != "focus" {
			out = append(out, f)
		}
	}
	return out
}

// checkScenarioFormat validates the --format, -o and --places of simulate
// and examples run.
func checkScenarioFormat(format, output string, places int) error {
	if format == "focus" {
		return usagef("--format focus: a FOCUS export lists billed usage from logs, and a scenario has none; use costaudit analyze --format focus on the logs, or one of %s", strings.Join(scenarioFormats(), ", "))
	}
	if err := checkFormat(format, scenarioFormats()); err != nil {
		return err
	}
	if err := checkOutputName(output, format); err != nil {
		return err
	}
	return checkPlaces(places)
}

// withOutput runs fn with env.Stdout writing to path atomically, or with
// env unchanged when path is "" or "-" (so that a command that streams to
// stdout keeps streaming).
func withOutput(env Env, path string, fn func(Env) error) error {
	if path == "" || path == "-" {
		return fn(env)
	}
	return writeAtomic(path, func(w io.Writer) error {
		e := env
		e.Stdout = w
		return fn(e)
	})
}

// excelExts are the extensions spreadsheet programs open as workbooks.
var excelExts = map[string]bool{".xls": true, ".xlsx": true, ".xlsm": true, ".xlsb": true, ".xltx": true, ".xlt": true}

// checkOutputName refuses an -o name that would mislabel its content: a
// text format under an Excel name (-o r.xls, which Excel then rejects as
// corrupt), or an xlsx workbook under another name than .xlsx. Standard
// output and devices such as /dev/null take anything.
func checkOutputName(path, format string) error {
	if path == "" || path == "-" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil
	}
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case format == "xlsx" && ext != "" && ext != ".xlsx":
		return usagef("-o %s: an xlsx workbook must be named .xlsx (spreadsheet programs refuse a workbook whose extension names another format)", path)
	case format != "xlsx" && excelExts[ext]:
		if ext == ".xlsx" {
			return usagef("-o %s: the name says an Excel workbook but --format is %s; drop --format (the .xlsx extension picks xlsx) or name the file for %s", path, format, format)
		}
		return usagef("-o %s: costaudit writes Excel workbooks as .xlsx only (%s is another Excel format); use -o %s", path, ext, strings.TrimSuffix(path, filepath.Ext(path))+".xlsx")
	}
	return nil
}

// refuseOverwrite returns a usage error when an output path (flag name →
// path) is the same file as one of the inputs: writing it would replace
// the log being read. Files are compared by device and inode (os.SameFile),
// so a symlink, a hard link or another spelling of the path is caught too;
// a standard input redirected from the file counts as that file.
func refuseOverwrite(env Env, outputs [][2]string, inputs []string) error {
	for _, o := range outputs {
		flag, path := o[0], o[1]
		if path == "" || path == "-" {
			continue
		}
		ost, err := os.Stat(path)
		if err != nil || !ost.Mode().IsRegular() {
			continue // a new file, or a device such as /dev/null
		}
		for _, in := range inputs {
			var ist os.FileInfo
			if in == "-" {
				f, ok := env.Stdin.(*os.File)
				if !ok {
					continue
				}
				if ist, err = f.Stat(); err != nil {
					continue
				}
			} else if ist, err = os.Stat(in); err != nil {
				continue
			}
			if ist.Mode().IsRegular() && os.SameFile(ost, ist) {
				what := "input " + in
				if in == "-" {
					what = "standard input"
				}
				return usagef("%s %s is the %s; writing it would overwrite the log being read (choose another file name)", flag, path, what)
			}
		}
	}
	return nil
}

// inputNames returns the names of expanded inputs, for refuseOverwrite.
func inputNames(ins []audit.Input) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.Name
	}
	return out
}
