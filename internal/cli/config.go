package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/costaudit/costaudit/audit/classify"
	"github.com/costaudit/costaudit/audit/decode"
	"github.com/costaudit/costaudit/internal/config"
	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/report"
)

// setting is one costaudit.toml key and the flag it stands for. Keys at the
// top level apply to every command in Commands that has the flag; keys in a
// table ([check]) apply to that command only.
type setting struct {
	Key      string
	Flag     string // "" for inputs: the PATH arguments
	Commands []string
	Kind     config.Kind
	Path     bool
	// Check validates a value taken from the file, so a bad one is
	// reported at its line rather than as a flag the user never typed.
	Check func(string) error
}

// scanCommands are the commands that read logs.
var scanCommands = []string{"analyze", "classify", "check"}

// configCommands are the commands that read costaudit.toml.
var configCommands = []string{"analyze", "classify", "check", "diff"}

// settings lists every key costaudit.toml may hold, in the order config
// show prints them.
var settings = []setting{
	{Key: "inputs", Commands: scanCommands, Kind: config.List, Path: true},
	{Key: "pricebooks", Flag: "pricebook", Commands: scanCommands, Kind: config.List, Path: true},
	{Key: "rules", Flag: "rules", Commands: scanCommands, Kind: config.String, Path: true},
	{Key: "workflow_key", Flag: "workflow-key", Commands: scanCommands, Kind: config.String},
	{Key: "format_in", Flag: "format-in", Commands: scanCommands, Kind: config.String, Check: checkFormatIn},
	{Key: "tz", Flag: "tz", Commands: scanCommands, Kind: config.String, Check: checkTZ},
	{Key: "batch_classes", Flag: "batch-classes", Commands: []string{"analyze", "check"}, Kind: config.List, Check: checkBatchClass},
	{Key: "analyze.format", Flag: "format", Commands: []string{"analyze"}, Kind: config.String, Check: checkRenderFormat(nil)},
	{Key: "analyze.output", Flag: "output", Commands: []string{"analyze"}, Kind: config.String, Path: true},
	{Key: "analyze.top", Flag: "top", Commands: []string{"analyze"}, Kind: config.Int},
	{Key: "classify.format", Flag: "format", Commands: []string{"classify"}, Kind: config.String, Check: checkRenderFormat(classifyFormats)},
	{Key: "classify.output", Flag: "output", Commands: []string{"classify"}, Kind: config.String, Path: true},
	{Key: "check.max_batchable_usd", Flag: "max-batchable-usd", Commands: []string{"check"}, Kind: config.Decimal},
	{Key: "check.max_batchable_share", Flag: "max-batchable-share", Commands: []string{"check"}, Kind: config.Decimal},
	{Key: "check.max_unclassified_share", Flag: "max-unclassified-share", Commands: []string{"check"}, Kind: config.Decimal},
	{Key: "check.max_unpriced_share", Flag: "max-unpriced-share", Commands: []string{"check"}, Kind: config.Decimal},
	{Key: "check.baseline", Flag: "baseline", Commands: []string{"check"}, Kind: config.String, Path: true},
	{Key: "check.max_increase", Flag: "max-increase", Commands: []string{"check"}, Kind: config.Decimal},
	{Key: "check.min_usd", Flag: "min-usd", Commands: []string{"check"}, Kind: config.Decimal},
	{Key: "check.summary", Flag: "summary", Commands: []string{"check"}, Kind: config.String, Path: true},
	{Key: "check.report", Flag: "report", Commands: []string{"check"}, Kind: config.String, Path: true},
	{Key: "diff.threshold", Flag: "threshold", Commands: []string{"diff"}, Kind: config.Decimal},
	{Key: "diff.min_usd", Flag: "min-usd", Commands: []string{"diff"}, Kind: config.Decimal},
	{Key: "diff.format", Flag: "format", Commands: []string{"diff"}, Kind: config.String, Check: checkDiffFormat},
}

func configSpecs() []config.Spec {
	specs := make([]config.Spec, len(settings))
	for i, s := range settings {
		specs[i] = config.Spec{Key: s.Key, Kind: s.Kind, Path: s.Path}
	}
	return specs
}

func checkTZ(v string) error {
	if _, err := time.LoadLocation(v); err != nil || v == "" {
		return fmt.Errorf("%q: unknown time zone (use an IANA name such as UTC or Europe/Paris)", v)
	}
	return nil
}

func checkBatchClass(v string) error {
	if _, err := classify.ParseClass(v); err != nil {
		return err
	}
	if v == classify.Realtime {
		return errors.New("realtime: a human waits for realtime work; batch only scheduled or near-realtime")
	}
	return nil
}

func checkDiffFormat(v string) error {
	if !slices.Contains([]string{"table", "json", "markdown"}, v) {
		return fmt.Errorf("%q: unknown format for diff (use one of table, json, markdown)", v)
	}
	return nil
}

func checkFormatIn(v string) error {
	if !slices.Contains(decode.Formats(), v) {
		return fmt.Errorf("%q: unknown format (use one of %s)", v, strings.Join(decode.Formats(), ", "))
	}
	return nil
}

func checkRenderFormat(allowed []string) func(string) error {
	return func(v string) error {
		if err := checkFormat(v, allowed); err != nil {
			var ue *UsageError
			if errors.As(err, &ue) {
				return ue.Err
			}
			return err
		}
		return nil
	}
}

// configState is what applying costaudit.toml to one command produced; it
// travels in the command's context from PersistentPreRunE to RunE.
type configState struct {
	file  *config.File
	found string // how the file was found, for config show
	// inputs are the PATH arguments from the file, used when the command
	// line gives none.
	inputs     []string
	inputsFrom string
	// from maps a flag name to the place its value came from when that
	// place is the file ("costaudit.toml:4 (tz)").
	from map[string]string
}

type configKey struct{}

// stateOf returns the configState of cmd (empty when none was applied).
func stateOf(cmd *cobra.Command) *configState {
	if ctx := cmd.Context(); ctx != nil {
		if st, ok := ctx.Value(configKey{}).(*configState); ok {
			return st
		}
	}
	return &configState{from: map[string]string{}}
}

// wireConfig adds --config and --no-config to the commands that read
// costaudit.toml, and applies the file before each of them runs.
func wireConfig(root *cobra.Command) {
	for _, c := range root.Commands() {
		if slices.Contains(configCommands, c.Name()) {
			bindConfigFlags(c.Flags())
		}
	}
	prev := root.PersistentPreRunE
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if prev != nil {
			if err := prev(cmd, args); err != nil {
				return err
			}
		}
		if cmd.Parent() != root || !slices.Contains(configCommands, cmd.Name()) {
			return nil
		}
		st, err := applyConfig(cmd)
		if err != nil {
			return err
		}
		ctx := cmd.Context()
		if ctx == nil {
			ctx = context.Background()
		}
		cmd.SetContext(context.WithValue(ctx, configKey{}, st))
		return nil
	}
}

func bindConfigFlags(f *pflag.FlagSet) {
	f.String("config", "", "read defaults from this costaudit.toml `FILE` (default: ./"+config.FileName+" when it exists); flags override it")
	f.Bool("no-config", false, "ignore ./"+config.FileName)
}

// loadConfig finds and parses the config file of cmd: --config FILE, else
// costaudit.toml in the working directory, else none. A file that cannot
// be read or parsed is a usage error (exit 2), like a bad flag.
func loadConfig(f *pflag.FlagSet) (*config.File, string, error) {
	path, _ := f.GetString("config")
	none, _ := f.GetBool("no-config")
	switch {
	case none && path != "":
		return nil, "", usagef("--config %s and --no-config: give one or the other", path)
	case none:
		return nil, "ignored (--no-config)", nil
	case path != "":
		file, err := config.Load(path, configSpecs())
		if err != nil {
			return nil, "", &UsageError{Err: fmt.Errorf("--config: %w", err)}
		}
		return file, "given with --config", nil
	}
	if _, err := os.Stat(config.FileName); errors.Is(err, fs.ErrNotExist) {
		return nil, "none (no " + config.FileName + " in the working directory)", nil
	}
	file, err := config.Load(config.FileName, configSpecs())
	if err != nil {
		return nil, "", &UsageError{Err: err}
	}
	return file, "found in the working directory", nil
}

// applyConfig sets every flag of cmd that the command line left alone and
// the config file sets. Precedence: flag > config file > default. A format
// in the file yields to an -o FILE on the command line whose extension
// picks a format, because the command line is the more specific of the two.
func applyConfig(cmd *cobra.Command) (*configState, error) {
	f := cmd.Flags()
	file, found, err := loadConfig(f)
	if err != nil {
		return nil, err
	}
	st := &configState{file: file, found: found, from: map[string]string{}}
	if file == nil {
		return st, nil
	}
	// Every value is checked, not only this command's, so a mistake in
	// [diff] surfaces on the first run of any command, at its line.
	for _, s := range settings {
		v, ok := file.Get(s.Key)
		if !ok || s.Check == nil {
			continue
		}
		values := v.List
		if s.Kind != config.List {
			values = []string{v.Text}
		}
		for _, x := range values {
			if err := s.Check(x); err != nil {
				return nil, usagef("%s: %w", file.Where(v), err)
			}
		}
	}
	for _, s := range settings {
		if !slices.Contains(s.Commands, cmd.Name()) {
			continue
		}
		v, ok := file.Get(s.Key)
		if !ok {
			continue
		}
		where := file.Where(v)
		values := v.List
		if s.Kind != config.List {
			values = []string{v.Text}
		}
		if s.Flag == "" {
			st.inputs, st.inputsFrom = v.List, where
			continue
		}
		fl := f.Lookup(s.Flag)
		if fl == nil || fl.Changed {
			continue
		}
		if s.Flag == "format" {
			if out := f.Lookup("output"); out != nil && out.Changed && formatForPath(out.Value.String()) != "" {
				continue
			}
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			err = sv.Replace(values)
		} else {
			err = fl.Value.Set(v.Text)
		}
		if err != nil {
			return nil, usagef("%s: %w", where, err)
		}
		fl.Changed = true
		st.from[s.Flag] = where
	}
	return st, nil
}

// configInputs returns the PATH arguments of cmd: args, or the config
// file's inputs when args is empty and no --aggregates file is given.
func configInputs(cmd *cobra.Command, args []string) []string {
	if len(args) > 0 {
		return args
	}
	if fl := cmd.Flags().Lookup("aggregates"); fl != nil && fl.Changed {
		return args
	}
	return stateOf(cmd).inputs
}

// flagLabel names where the value of a flag came from, for error
// messages: "--tz", or "costaudit.toml:4 (tz)" when the file set it.
func flagLabel(cmd *cobra.Command, flag string) string {
	if w, ok := stateOf(cmd).from[flag]; ok {
		return w
	}
	return "--" + flag
}

// assumptionSources maps report assumption keys to the flag they come
// from, so a value the config file set is cited as the file.
var assumptionSources = map[string]string{"tz": "tz", "batch_classes": "batch-classes", "rules_file": "rules"}

// citeConfig rewrites the sources of the report assumptions whose value
// came from the config file.
func citeConfig(as []report.Assumption, from map[string]string) {
	for i := range as {
		if fl, ok := assumptionSources[as[i].Key]; ok {
			if w, ok := from[fl]; ok {
				as[i].Source = "config " + w
			}
		}
	}
}

func newConfigCmd(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the settings costaudit.toml gives each command",
		Long: `costaudit.toml holds the defaults a team would otherwise repeat on every
command line. costaudit reads ./costaudit.toml when it exists, or the file
given with --config, before analyze, classify, check and diff; a flag on the
command line overrides the file, and the file overrides the built-in default.
Relative paths in the file are relative to the file's directory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	show := &cobra.Command{
		Use:   "show [COMMAND [FLAGS] [PATHS]]",
		Short: "Print the effective settings and where each came from",
		Long: `config show prints every setting costaudit.toml can hold with the value in
effect and its source: "flag --tz", the file and line ("costaudit.toml:4
(tz)"), or "default". Given a command line (config show analyze --tz UTC
logs/), it parses it exactly as that command would, without running it, and
shows that command's settings.`,
		Example: `  costaudit config show
  costaudit config show --config ci/costaudit.toml
  costaudit config show check --max-unpriced-share 0.02`,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConfigShow(env, args)
		},
	}
	cmd.AddCommand(show)
	return cmd
}

// settingRow is one line of config show.
type settingRow struct{ key, flag, value, source string }

func runConfigShow(env Env, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		root := NewRoot(env)
		c, _, _ := root.Find([]string{"config", "show"})
		c.SetOut(env.Stdout)
		return c.Help()
	}
	var (
		target *cobra.Command
		rows   []settingRow
		found  string
		file   *config.File
	)
	root := NewRoot(env)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, _, _ = root.Find(args[:1])
		if target == nil || target == root || !slices.Contains(configCommands, target.Name()) {
			return usagef("config show %s: not a command that reads %s (use one of %s)", args[0], config.FileName, strings.Join(configCommands, ", "))
		}
		args = args[1:]
	} else {
		// The settings of every command: parse --config / --no-config alone.
		target = &cobra.Command{Use: "show"}
		bindConfigFlags(target.Flags())
	}
	if err := target.ParseFlags(args); err != nil {
		return &UsageError{Err: fmt.Errorf("config show: %w", err)}
	}
	given := map[string]bool{}
	target.Flags().Visit(func(fl *pflag.Flag) { given[fl.Name] = true })
	var st *configState
	var err error
	if target.Parent() == root {
		st, err = applyConfig(target)
	} else {
		st = &configState{from: map[string]string{}}
		file, found, err = loadConfig(target.Flags())
		st.file, st.found = file, found
	}
	if err != nil {
		return err
	}
	file, found = st.file, st.found
	for _, s := range settings {
		if target.Parent() == root && !slices.Contains(s.Commands, target.Name()) {
			continue
		}
		row := settingRow{key: s.Key, flag: "--" + s.Flag}
		if s.Flag == "" {
			row.flag = "PATH..."
			row.value, row.source = "(none)", "default"
			positional := target.Flags().Args()
			switch {
			case target.Parent() == root && len(positional) > 0:
				row.value, row.source = strings.Join(positional, ", "), "arguments"
			case st.inputsFrom != "":
				row.value, row.source = strings.Join(st.inputs, ", "), st.inputsFrom
			case target.Parent() != root:
				if v, ok := file.Get(s.Key); ok {
					row.value, row.source = strings.Join(v.List, ", "), file.Where(v)
				}
			}
			rows = append(rows, row)
			continue
		}
		if target.Parent() == root {
			fl := target.Flags().Lookup(s.Flag)
			row.value = flagValue(fl)
			out := target.Flags().Lookup("output")
			switch {
			case given[s.Flag]:
				row.source = "flag --" + s.Flag
			case s.Flag == "format" && given["output"] && out != nil && formatForPath(out.Value.String()) != "":
				row.value, row.source = formatForPath(out.Value.String()), "flag --output (its extension)"
			case st.from[s.Flag] != "":
				row.source = st.from[s.Flag]
			default:
				row.source = "default"
			}
		} else {
			row.value, row.source = defaultOf(root, s), "default"
			if v, ok := file.Get(s.Key); ok {
				row.value, row.source = v.Text, file.Where(v)
				if s.Kind == config.List {
					row.value = strings.Join(v.List, ", ")
				}
			}
		}
		rows = append(rows, row)
	}
	return writeOutput(env, "", func(w io.Writer) error { return writeSettings(w, file, found, target, rows) })
}

// flagValue is a flag's value as config show prints it.
func flagValue(fl *pflag.Flag) string {
	if fl == nil {
		return ""
	}
	if sv, ok := fl.Value.(pflag.SliceValue); ok {
		s := sv.GetSlice()
		if len(s) == 0 {
			return "(none)"
		}
		return strings.Join(s, ", ")
	}
	if v := fl.Value.String(); v != "" {
		return v
	}
	return "(none)"
}

// defaultOf is the built-in default of a setting, read from the flag of
// the first command that has it.
func defaultOf(root *cobra.Command, s setting) string {
	for _, name := range s.Commands {
		c, _, err := root.Find([]string{name})
		if err != nil || c == root {
			continue
		}
		if fl := c.Flags().Lookup(s.Flag); fl != nil {
			return flagValue(fl)
		}
	}
	return ""
}

func writeSettings(w io.Writer, file *config.File, found string, target *cobra.Command, rows []settingRow) error {
	var buf bytes.Buffer
	if file != nil {
		fmt.Fprintf(&buf, "config file: %s (%s)\n", file.Path, found)
	} else {
		fmt.Fprintf(&buf, "config file: %s\n", found)
	}
	if target.Name() != "show" {
		fmt.Fprintf(&buf, "command: %s\n", target.Name())
	}
	buf.WriteString("precedence: flag > config file > default\n\n")
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = []string{r.key, r.flag, render.Clean(r.value), render.Clean(r.source)}
	}
	if err := render.WriteTable(&buf, []render.Column{{Title: "setting"}, {Title: "flag"}, {Title: "value"}, {Title: "source"}}, cells); err != nil {
		return err
	}
	lines := strings.Split(buf.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}
