package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/report"
)

// maxReportBytes bounds the size of a saved JSON report that report --from
// and diff read.
const maxReportBytes = 1 << 30

// reportOptions are the flags of costaudit report.
type reportOptions struct {
	From   string
	Format string
	Output string
	TopN   int
}

func newReportCmd(env Env) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report --from run.json [--format FMT] [-o FILE]",
		Short: "Re-render a saved JSON report in another format",
		Long: `report reads a JSON report written by analyze, classify --format json,
simulate or examples (--format json) and renders it again in any format:
table, json, csv, markdown, html, xlsx or focus. No logs are read and nothing
is re-priced: the output is the same as the original run would have written.`,
		Example: `  costaudit analyze --format json -o run.json logs/
  costaudit report --from run.json --format html -o report.html
  costaudit report --from run.json --format focus -o focus.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.From == "" {
				return usagef("report: --from FILE is required (a JSON report; - for stdin)")
			}
			formatFromOutput(cmd, &o.Format, o.Output)
			if err := checkFormat(o.Format, nil); err != nil {
				return err
			}
			return runReport(env, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.From, "from", "", "saved JSON report `FILE` to render (- for stdin)")
	bindFormatFlag(f, &o.Format, "table", render.Formats(), true)
	bindOutputFlag(f, &o.Output, "the report")
	f.IntVar(&o.TopN, "top", render.DefaultTopN, "rank `N` workflows on the first screen (0: all)")
	return cmd
}

func runReport(env Env, o reportOptions) error {
	if err := checkOutputName(o.Output, o.Format); err != nil {
		return err
	}
	if o.TopN < 0 {
		return usagef("--top %d: want 0 (all) or more", o.TopN)
	}
	if err := refuseOverwrite(env, [][2]string{{"-o", o.Output}}, []string{o.From}); err != nil {
		return err
	}
	rep, err := readReportFile(env, o.From)
	if err != nil {
		return err
	}
	top := o.TopN
	if top == 0 {
		top = -1
	}
	return renderReport(env, o.Output, rep, o.Format, reportRenderOptions(rep, top))
}

// reportRenderOptions are the render options that reproduce a report's
// original output: its --group-by keys come from its groups.
func reportRenderOptions(rep *report.Report, top int) render.Options {
	opts := render.Options{TopN: top}
	seen := map[string]bool{}
	for _, g := range rep.Groups {
		if !seen[g.Key] {
			seen[g.Key] = true
			opts.GroupBy = append(opts.GroupBy, g.Key)
		}
	}
	return opts
}

// readReportFile reads a saved JSON report from path, or stdin for "-".
func readReportFile(env Env, path string) (*report.Report, error) {
	var r io.Reader
	if path == "-" {
		r = env.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("read report: %w", err)
		}
		defer f.Close()
		r = f
	}
	name := path
	if path == "-" {
		name = "stdin"
	}
	data, err := io.ReadAll(io.LimitReader(r, maxReportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxReportBytes {
		return nil, fmt.Errorf("read %s: larger than %d bytes; is it a JSON report?", name, maxReportBytes)
	}
	return decodeReport(name, data)
}

// decodeReport strictly decodes a schema_version 1 JSON report: unknown
// fields, trailing data, another schema version or a classify inventory
// are errors that say what to do.
func decodeReport(name string, data []byte) (*report.Report, error) {
	var head struct {
		Kind          string `json:"kind"`
		SchemaVersion *int   `json:"schema_version"`
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&head); err != nil {
		return nil, fmt.Errorf("read %s: not a JSON report: %w", name, jsonErrorAt(data, err))
	}
	switch {
	case head.SchemaVersion == nil:
		return nil, fmt.Errorf("read %s: schema_version: missing; write the report with costaudit analyze --format json", name)
	case *head.SchemaVersion != report.SchemaVersion:
		return nil, fmt.Errorf("read %s: schema_version: %d is not supported; this costaudit reads schema_version %d", name, *head.SchemaVersion, report.SchemaVersion)
	case head.Kind == "classify":
		return nil, fmt.Errorf("read %s: kind: \"classify\" is a latency inventory, not a report; write a report with costaudit analyze --format json", name)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var rep report.Report
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, jsonErrorAt(data, err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: trailing data after the report", name)
	}
	return &rep, nil
}

// jsonErrorAt adds the line number to a JSON syntax or type error.
func jsonErrorAt(data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	return fmt.Errorf("line %d: %w", line, err)
}
