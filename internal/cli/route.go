package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/simulate"
)

// routeOptions are the flags of costaudit route.
type routeOptions struct {
	scanOptions
	packFlags
	Format string
	Output string
}

// packFlags are the batch packer's flags, shared by route and analyze
// --pack.
type packFlags struct {
	Deadline string
	Every    []int
	Replays  int
	Seed     uint64
}

// bindPackFlags registers the packer's flags on cmd.
func bindPackFlags(cmd *cobra.Command, p *packFlags) {
	f := cmd.Flags()
	f.StringVar(&p.Deadline, "deadline", "", "a result is late after `DURATION` (e.g. 6h, 90m, 2d): the batch packer counts the requests that miss it and saves nothing on them")
	f.IntSliceVar(&p.Every, "every", simulate.DefaultPackIntervals, "batch packer: queue submission intervals to replay, in `HOURS` (1 to 24)")
	f.IntVar(&p.Replays, "replays", simulate.DefaultPackReplays, "batch packer: Monte Carlo replays of the arrivals (`N` completion draws per batch job)")
	f.Uint64Var(&p.Seed, "seed", simulate.DefaultSeed, "batch packer: Monte Carlo `SEED` (printed with the results)")
}

// check validates the packer's flags and returns the deadline in hours.
func (p *packFlags) check() (float64, error) {
	deadline, err := parseDeadline(p.Deadline)
	if err != nil {
		return 0, err
	}
	for _, h := range p.Every {
		if h < 1 || h > 24 {
			return 0, usagef("--every %d: want whole hours from 1 to 24", h)
		}
	}
	if p.Replays < 1 {
		return 0, usagef("--replays %d: want 1 or more", p.Replays)
	}
	return deadline, nil
}

// buildPolicy routes the scanned workflows and replays the batch-eligible
// ones through the packer, with completion times fitted to the logs' own
// batch requests when at least two logged latency_ms, else the prior.
func buildPolicy(res *scanResult, p *packFlags, deadline float64) (*simulate.Policy, error) {
	model := simulate.PriorCompletion()
	if n := len(res.whatIf.batchHours); n >= 2 {
		fit, err := simulate.FitCompletion(res.whatIf.batchHours, 24, fmt.Sprintf("lognormal fitted to the completion times of %s batch requests in the logs (latency_ms), 24 h window", render.Count(int64(n))))
		if err == nil {
			model = fit
		}
	}
	return simulate.BuildPolicy(res.rep, simulate.RouteOptions{
		Pack: simulate.PackOptions{
			EveryHours: p.Every, DeadlineHours: deadline, Completion: model,
			Replays: p.Replays, Seed: p.Seed,
		},
		DeadlineSet: deadline > 0,
		Arrivals:    func(wf string) []simulate.Arrival { return simulate.WorkflowArrivals(res.agg, wf) },
		Quoter:      &simulate.CatalogQuoter{Cat: res.cat},
	})
}

func newRouteCmd(env Env) *cobra.Command {
	o := &routeOptions{}
	cmd := &cobra.Command{
		Use:   "route PATH...",
		Short: "Write a routing policy: the delivery mode each workflow should use, with the batch packer's replay",
		Long: `route reads request logs like analyze and writes one route per workflow (and
per part of a mixed workflow): the delivery mode to use (stream, sync, batch
or flex), why, the expected monthly saving, and the observations under which
the route should change back.

For each batch-eligible workflow it replays the logged arrivals through a
queue that submits every N hours (--every) or when a provider's per-job
limit on requests or bytes fills, with completion times drawn from the
batch completion model (fitted to the logs' own batch requests when they
log latency_ms, else the documented prior), and reports the saving, the
added wait (p50, p95, worst), the batch jobs per day and the share of
requests that would miss --deadline. Realtime and mixed workflows are never
routed to batch.

Formats: json, toml, yaml (the policy), litellm (a LiteLLM proxy
config.yaml fragment for the routes it can express exactly), table and
markdown. With -o and no --format, the extension picks one.`,
		Example: `  costaudit route examples/logs/canonical.jsonl
  costaudit route --deadline 6h -o policy.toml examples/logs/canonical.jsonl
  costaudit route --format litellm -o litellm-routes.yaml logs/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Inputs = args
			if !cmd.Flags().Changed("format") && o.Output != "" {
				if f := routeFormatForPath(o.Output); f != "" {
					o.Format = f
				}
			}
			return runRoute(env, o, cmd.Flags().Changed("batch-classes"))
		},
	}
	bindScanFlags(cmd, &o.scanOptions, true)
	f := cmd.Flags()
	_ = f.MarkHidden("group-by") // spend groups are not part of a policy
	f.StringVarP(&o.Format, "format", "f", "table", "output `FORMAT`: "+strings.Join(render.PolicyFormats, ", ")+" (with -o and no --format, the file extension picks it)")
	f.StringVarP(&o.Output, "output", "o", "", "write the policy to `FILE` (atomically) instead of stdout")
	bindPackFlags(cmd, &o.packFlags)
	return cmd
}

// routeFormatForPath picks a policy format from an -o file name.
func routeFormatForPath(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".toml":
		return "toml"
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	case ".md", ".markdown":
		return "markdown"
	case ".txt":
		return "table"
	}
	return ""
}

// parseDeadline reads --deadline: a Go duration (6h, 90m) or whole days
// (2d), more than zero.
func parseDeadline(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return 0, usagef("--deadline %q: want a duration such as 6h, 90m or 2d", s)
		}
		d = time.Duration(days * 24 * float64(time.Hour))
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, usagef("--deadline %q: want a duration such as 6h, 90m or 2d", s)
		}
	}
	if d <= 0 {
		return 0, usagef("--deadline %q: want a duration above zero", s)
	}
	return d.Hours(), nil
}

// runRoute validates the options, scans the logs and writes the policy.
func runRoute(env Env, o *routeOptions, batchFromFlag bool) error {
	known := false
	for _, f := range render.PolicyFormats {
		known = known || f == o.Format
	}
	if !known {
		return usagef("--format %q: unknown format (use one of %s)", o.Format, strings.Join(render.PolicyFormats, ", "))
	}
	deadline, err := o.packFlags.check()
	if err != nil {
		return err
	}
	cfg, err := o.scanOptions.check()
	if err != nil {
		return err
	}
	res, err := scanAndBuild(env, &o.scanOptions, cfg, batchFromFlag, true)
	if err != nil {
		return err
	}
	p, err := buildPolicy(res, &o.packFlags, deadline)
	if err != nil {
		return err
	}
	var opts render.Options
	if o.Format == "table" && (o.Output == "" || o.Output == "-") {
		opts = terminalOptions(env, opts)
	}
	return writeOutput(env, o.Output, func(w io.Writer) error {
		return render.RenderPolicy(w, p, o.Format, opts)
	})
}
