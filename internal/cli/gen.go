package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/internal/loggen"
)

// genOptions are the flags of costaudit gen.
type genOptions struct {
	Format        string
	Days          int
	Start         string
	Seed          uint64
	SeedSet       bool
	Requests      int64
	Size          string
	DupShare      float64
	BadShare      float64
	StripHints    bool
	ContentBytes  int
	Workload      string
	Output        string
	PrintWorkload bool
}

func newGenCmd(env Env) *cobra.Command {
	var o genOptions
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Generate synthetic LLM request logs in canonical or vendor formats",
		Long: `gen writes a realistic synthetic workload as request logs: chat UI streams
with cancels, an IDE assistant, webhook triage, a nightly cron burst, a weekly
digest, already-batched jobs and a DeepSeek job, over OpenAI, Anthropic, Google
and DeepSeek models, with prompt caching, duplicates and a chosen share of bad
lines. The same seed and flags always give the same bytes; the seed is printed
to stderr.

Formats: canonical, canonical-csv, openai (wrapped Chat Completions objects),
openai-responses (bare Responses objects), openai-batch (Batch output and error
lines), anthropic (wrapped Messages responses), anthropic-batch (Message Batches
results), otel (OTLP JSON GenAI spans), litellm (SpendLogs rows), claude-code
(projects/<workflow>/<session>.jsonl, needs -o DIR), gemini (wrapped
generateContent responses), bedrock (wrapped Converse responses), langfuse
(generation observations), or all (every format into -o DIR). A format writes only the records it can carry: openai-batch only the
OpenAI batch job, claude-code only Anthropic interactive traffic, and so on.

--workload takes a TOML file, or one of the built-in workloads: default,
portable (Anthropic interactive traffic that every per-request format carries
exactly) and portable-batch (batch jobs for the batch formats).

--content-bytes fills Claude Code lines with message text (prose and code,
thinking, tool_use blocks and tool results) of about that many bytes, derived
from the seed, as real session logs are mostly text: a benchmark tree for
ccusage comparisons.`,
		Example: `  costaudit gen --days 7 --seed 42 -o logs.jsonl
  costaudit gen --format anthropic --requests 5000 --seed 1 > anthropic.jsonl
  costaudit gen --size 1GB --seed 7 -o big.jsonl
  costaudit gen --format otel --seed 7 -o spans.jsonl.zst
  costaudit gen --format claude-code --content-bytes 3300 --size 1.5GB --seed 7 -o cc/
  costaudit gen --format all --seed 20261102 --requests 2000 -o samples/
  costaudit gen --print-workload > workload.toml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.SeedSet = cmd.Flags().Changed("seed")
			return runGen(env, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Format, "format", "f", "canonical", "log `FORMAT`: canonical, canonical-csv, openai, openai-responses, openai-batch, anthropic, anthropic-batch, otel, litellm, claude-code, gemini, bedrock, langfuse, or all")
	f.IntVar(&o.Days, "days", loggen.DefaultDays, "number of `DAYS` to generate")
	f.StringVar(&o.Start, "start", loggen.DefaultStart.Format(time.DateOnly), "first `DAY` (YYYY-MM-DD, UTC)")
	f.Uint64Var(&o.Seed, "seed", 0, "random `SEED` (default: from the clock, printed to stderr)")
	f.Int64Var(&o.Requests, "requests", 0, "exact number `N` of distinct requests (default: the workload's own daily rates)")
	f.StringVar(&o.Size, "size", "", "approximate output `SIZE` instead of --requests, e.g. 500MB, 1GB, 2GiB")
	f.Float64Var(&o.DupShare, "dup-share", 0, "`SHARE` (0 to 1) of requests logged twice with the same request id")
	f.Float64Var(&o.BadShare, "bad-share", 0, "`SHARE` (0 to 1) of requests followed by a bad line (invalid JSON, negative tokens, bad timestamp, missing model)")
	f.BoolVar(&o.StripHints, "strip-hints", false, "keep only ts, provider, model, workflow, tokens, request_id and status")
	f.IntVar(&o.ContentBytes, "content-bytes", 0, "claude-code only: about `N` bytes of message text, tool calls or tool results on every line (0: a short placeholder)")
	f.StringVar(&o.Workload, "workload", "default", "`WORKLOAD`: default, portable, portable-batch, or a TOML file")
	f.StringVarP(&o.Output, "output", "o", "", "output `FILE`, compressed when it ends in .gz or .zst (a directory for claude-code and all); default stdout")
	f.BoolVar(&o.PrintWorkload, "print-workload", false, "print the workload as TOML and exit")
	return cmd
}

func loadWorkload(name string) (loggen.Workload, error) {
	switch name {
	case "default":
		return loggen.Default(), nil
	case "portable":
		return loggen.Portable(), nil
	case "portable-batch":
		return loggen.PortableBatch(), nil
	}
	return loggen.LoadWorkload(name)
}

// parseSize reads a byte size such as 1GB (10^9), 2GiB (2^30) or 123456.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1}}
	mult := 1.0
	for _, u := range units {
		if len(t) > len(u.suffix) && strings.EqualFold(t[len(t)-len(u.suffix):], u.suffix) {
			mult, t = u.mult, strings.TrimSpace(t[:len(t)-len(u.suffix)])
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || !(v > 0) || v*mult > 1<<50 {
		return 0, fmt.Errorf("--size: %q is not a size such as 500MB, 1GB or 2GiB", s)
	}
	return int64(v * mult), nil
}

func runGen(env Env, o genOptions) error {
	w, err := loadWorkload(o.Workload)
	if err != nil {
		return usagef("--workload: %w", err)
	}
	if o.PrintWorkload {
		return w.EncodeTOML(env.Stdout)
	}
	var formats []loggen.Format
	all := o.Format == "all"
	if all {
		formats = loggen.Formats()
	} else {
		f, err := loggen.ParseFormat(o.Format)
		if err != nil {
			return usagef("--format: %w", err)
		}
		formats = []loggen.Format{f}
	}
	tree := all || formats[0].IsTree()
	if tree && o.Output == "" {
		return usagef("--format %s writes a directory: give -o DIR", o.Format)
	}
	if o.Days < 1 {
		return usagef("--days: %d must be at least 1", o.Days)
	}
	start, err := time.Parse(time.DateOnly, o.Start)
	if err != nil {
		return usagef("--start: %q is not a date YYYY-MM-DD", o.Start)
	}
	if o.Size != "" && o.Requests != 0 {
		return usagef("--size and --requests: give one or the other")
	}
	seed := o.Seed
	if !o.SeedSet {
		seed = uint64(env.Now().UnixNano())
	}
	opts := loggen.Options{Seed: seed, Start: start, Days: o.Days, Requests: o.Requests,
		DupShare: o.DupShare, BadShare: o.BadShare, StripHints: o.StripHints, ContentBytes: o.ContentBytes}
	if o.Requests < 0 {
		return usagef("--requests: negative value %d", o.Requests)
	}
	if !(o.DupShare >= 0 && o.DupShare < 1) || !(o.BadShare >= 0 && o.BadShare < 1) {
		return usagef("--dup-share %v / --bad-share %v: each must be at least 0 and below 1", o.DupShare, o.BadShare)
	}
	if o.ContentBytes != 0 && !all && formats[0] != loggen.FormatClaudeCode {
		return usagef("--content-bytes: only claude-code logs carry message text; drop it or use --format claude-code")
	}
	if o.ContentBytes < 0 || o.ContentBytes > 1<<20 {
		return usagef("--content-bytes: %d must be between 0 and 1048576", o.ContentBytes)
	}
	var size int64
	if o.Size != "" {
		if size, err = parseSize(o.Size); err != nil {
			return &UsageError{Err: err}
		}
	}
	if err := refuseOverwrite(env, [][2]string{{"-o", o.Output}}, []string{o.Workload}); err != nil {
		return err
	}
	// The seed is printed once the flags are known to be good, so that a
	// usage error is the only line a wrong command prints.
	fmt.Fprintf(env.Stderr, "costaudit gen: seed %d (the same seed and flags give the same bytes)\n", seed)
	if o.Size != "" {
		n, err := loggen.RequestsForSize(w, opts, formats[0], size)
		if err != nil {
			return err
		}
		opts.Requests = n
	}

	if !tree {
		return genToStream(env, w, opts, formats[0], o.Output)
	}
	return genToDir(env, w, opts, formats, all, o.Output)
}

func reportGen(env Env, f loggen.Format, where string, st loggen.Stats) {
	var bad []string
	for k := loggen.BadInvalidJSON; k <= loggen.BadMissingModel; k++ {
		if n := st.Bad[k]; n > 0 {
			bad = append(bad, fmt.Sprintf("%s %d", k, n))
		}
	}
	msg := fmt.Sprintf("costaudit gen: %s: %d records, %d duplicates, %d bad lines", f, st.Records, st.Duplicates, st.BadLines())
	if len(bad) > 0 {
		msg += " (" + strings.Join(bad, ", ") + ")"
	}
	msg += fmt.Sprintf(", %d bytes to %s", st.Bytes, where)
	if strings.HasSuffix(where, ".gz") || strings.HasSuffix(where, ".zst") {
		msg += " (before compression)"
	}
	if st.Skipped > 0 {
		msg += fmt.Sprintf("; %d records skipped (the format cannot carry them)", st.Skipped)
	}
	fmt.Fprintln(env.Stderr, msg)
}

// genToStream writes one stream format to stdout or, through a temporary
// file renamed at the end, to a file.
func genToStream(env Env, w loggen.Workload, opts loggen.Options, f loggen.Format, out string) error {
	if out == "" || out == "-" {
		st, err := loggen.Generate(w, opts, f, loggen.Target{W: env.Stdout})
		if err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		reportGen(env, f, "stdout", st)
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return fmt.Errorf("gen: write %s: %w", out, err)
	}
	var dst io.Writer = tmp
	var zw io.WriteCloser
	switch {
	case strings.HasSuffix(out, ".gz"):
		zw = gzip.NewWriter(tmp)
	case strings.HasSuffix(out, ".zst"):
		if zw, err = zstd.NewWriter(tmp); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return fmt.Errorf("gen: write %s: %w", out, err)
		}
	}
	if zw != nil {
		dst = zw
	}
	st, err := loggen.Generate(w, opts, f, loggen.Target{W: dst})
	if zw != nil {
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("gen: write %s: %w", out, err)
	}
	reportGen(env, f, out, st)
	return nil
}

// genToDir writes tree formats (or every format) into a temporary directory
// beside out and renames it to out, which must not exist or be empty.
func genToDir(env Env, w loggen.Workload, opts loggen.Options, formats []loggen.Format, all bool, out string) error {
	out = filepath.Clean(out)
	if fi, err := os.Stat(out); err == nil {
		if !fi.IsDir() {
			return usagef("-o %s: exists and is not a directory", out)
		}
		ents, err := os.ReadDir(out)
		if err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		if len(ents) > 0 {
			return usagef("-o %s: directory is not empty (remove it or pick another)", out)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("gen: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return fmt.Errorf("gen: write %s: %w", out, err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return fmt.Errorf("gen: write %s: %w", out, err)
	}
	fail := func(err error) error {
		os.RemoveAll(tmp)
		return fmt.Errorf("gen: write %s: %w", out, err)
	}
	var stats []loggen.Stats
	for _, f := range formats {
		root := tmp
		if all && f.IsTree() {
			root = filepath.Join(tmp, f.FileName())
		}
		t := loggen.Target{Create: func(rel string) (io.WriteCloser, error) {
			p := filepath.Join(root, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return nil, err
			}
			return os.Create(p)
		}}
		var file *os.File
		if !f.IsTree() {
			file, err = os.Create(filepath.Join(tmp, f.FileName()))
			if err != nil {
				return fail(err)
			}
			t.W = file
		}
		st, err := loggen.Generate(w, opts, f, t)
		if file != nil {
			if cerr := file.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fail(err)
		}
		stats = append(stats, st)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fail(err)
	}
	os.Remove(out) // empty (checked above) or absent
	if err := os.Rename(tmp, out); err != nil {
		return fail(err)
	}
	for i, f := range formats {
		where := out
		if all {
			where = filepath.Join(out, f.FileName())
		}
		reportGen(env, f, where, stats[i])
	}
	return nil
}
