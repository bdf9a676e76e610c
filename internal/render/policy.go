package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"

	"github.com/costaudit/costaudit/report"
	"github.com/costaudit/costaudit/simulate"
)

// PolicyFormats are the formats of costaudit route: a policy a gateway or
// a script reads (json, toml, yaml), a LiteLLM proxy config snippet
// (litellm), and views for people (table, markdown).
var PolicyFormats = []string{"json", "litellm", "markdown", "table", "toml", "yaml"}

// RenderPolicy writes p in format; the table view fits opts.Width and uses
// bold where opts.Color says, like the report's table.
func RenderPolicy(w io.Writer, p *simulate.Policy, format string, opts Options) error {
	switch format {
	case "json":
		b, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	case "toml":
		return toml.NewEncoder(w).Encode(p)
	case "yaml":
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(p); err != nil {
			return err
		}
		return enc.Close()
	case "litellm":
		return policyLiteLLM(w, p)
	case "table":
		return writeDocText(w, policyDoc(p), opts)
	case "markdown":
		return policyMarkdown(w, p)
	}
	return fmt.Errorf("policy format %q: unknown (use one of %s)", format, strings.Join(PolicyFormats, ", "))
}

// policyDoc lays the policy out for people: the routes, then each batch
// workflow's packer table.
func policyDoc(p *simulate.Policy) *doc {
	d := &doc{}
	d.title("costaudit route: delivery mode per workflow")
	basis := p.Basis
	if p.Span.Start != "" {
		d.line("window", windowText(p.Span))
		basis = "the window's saving scaled to a 30-day month"
	} else {
		d.line("window", p.Window)
	}
	if p.DeadlineHours != "" {
		d.line("deadline", p.DeadlineHours+" h")
	}
	d.line("monthly saving", packUSD(p.MonthlySavingsUSD)+" (whole workflows; "+basis+")")
	d.line("monte carlo", p.MonteCarlo)
	g := newGrid(left("workflow"), droppable(left("class"), 1), left("route"), right("saves /month"), wrapped("why", 48), wrapped("change back if", 40))
	for _, r := range p.Routes {
		name := r.Workflow
		if r.Part != "" {
			name += " (part " + r.Part + ")"
		}
		mode := r.Mode
		if r.SubmitEveryHours > 0 {
			mode += fmt.Sprintf(" every %d h", r.SubmitEveryHours)
		}
		why := strings.Join(r.Why, "\n")
		if len(r.Evidence) > 0 && r.Evidence[0] != "" {
			why = "evidence: " + r.Evidence[0] + "\n" + why
		}
		if r.Alternative != "" {
			why += "\nalternative: " + r.Alternative
		}
		g.add(name, r.Class, mode, packUSD(r.MonthlySavingsUSD), why, strings.Join(r.RevertIf, "\n"))
	}
	d.heading("Routes")
	d.table(g)
	packTables(d, p.Packing)
	d.heading("Notes")
	d.bullets(p.Notes)
	return d
}

// packTables adds the batch packer's table of each workflow to d.
func packTables(d *doc, tables []report.PackTable) {
	if len(tables) == 0 {
		return
	}
	d.heading("Batch packer: each workflow's logged arrivals replayed through the queue")
	for _, t := range tables {
		d.caption(fmt.Sprintf("%s: %s requests; limits: %s", t.Workflow, Count(t.Requests), t.Limit))
		g := newGrid(right("every"), right("saves /month"), right("wait p50 h"), right("p95 h"), right("worst h"), right("jobs/day"), right("missed deadline"), left(""))
		for _, r := range t.Rows {
			mark := ""
			if r.Chosen {
				mark = "best batch"
			}
			g.add(fmt.Sprintf("%d h", r.EveryHours), packUSD(r.MonthlySavingsUSD), r.WaitP50Hours, r.WaitP95Hours, r.WaitWorstHours,
				r.JobsPerDay, pctText(r.MissShare), mark)
		}
		if t.FlexMonthlySavingsUSD != "" {
			g.add("flex", packUSD(t.FlexMonthlySavingsUSD), "no queue", "", "", "", "", "synchronous, slower")
		}
		d.table(g)
	}
}

// packingSection is the packer section of an analyze report (analyze
// --pack): the Monte Carlo settings and each workflow's table.
func packingSection(d *doc, p *report.Packing) {
	if p == nil {
		return
	}
	packTables(d, p.Workflows)
	d.line("monte carlo", p.MonteCarlo)
	if p.DeadlineHours != "" {
		d.line("deadline", p.DeadlineHours+" h: a later request is sent again at the real-time price and saves nothing")
	}
}

// pctText renders a share as a percentage with 2 decimals.
func pctText(share string) string {
	d, ok := parseDec(share)
	if !ok {
		return share
	}
	return d.Shift(2).StringFixed(2) + "%"
}

// policyMarkdown renders the policy document as Markdown.
func policyMarkdown(w io.Writer, p *simulate.Policy) error {
	_, err := w.Write(docMarkdown(policyDoc(p)))
	return err
}

// liteLLMProviders are the providers whose flex tier LiteLLM passes on
// exactly: litellm_params holds any parameter litellm.completion() takes
// (https://docs.litellm.ai/docs/proxy/configs), and OpenAI's own
// Chat Completions parameter service_tier selects flex
// (https://developers.openai.com/api/docs/guides/flex-processing). How LiteLLM
// maps service_tier onto Gemini is not documented, so Gemini flex routes
// are listed as comments only.
var liteLLMProviders = map[string]string{"openai": "openai/"}

// liteModel is one model_list entry of the LiteLLM snippet.
type liteModel struct {
	ModelName string     `yaml:"model_name"`
	Params    liteParams `yaml:"litellm_params"`
}

type liteParams struct {
	Model       string `yaml:"model"`
	ServiceTier string `yaml:"service_tier"`
}

// policyLiteLLM writes a LiteLLM proxy config.yaml fragment: a model_list
// entry "<model>-flex" with service_tier flex for every flex route on a
// provider where the mapping is exact, and comments for every other
// route, saying why LiteLLM's config cannot express it.
func policyLiteLLM(w io.Writer, p *simulate.Policy) error {
	var buf bytes.Buffer
	buf.WriteString("# costaudit route: LiteLLM proxy config.yaml fragment (merge into model_list).\n")
	buf.WriteString("# Only flex routes on OpenAI map exactly (litellm_params.service_tier: flex);\n")
	buf.WriteString("# the workflows below call the \"-flex\" model name instead of the plain one.\n")
	buf.WriteString("# LiteLLM's config has no setting that turns a chat call into a batch job or\n")
	buf.WriteString("# that chooses stream or sync (the client does): those routes are comments.\n")
	byModel := map[string][]string{}
	var notes []string
	for _, r := range p.Routes {
		name := r.Workflow
		if r.Part != "" {
			name += " (part " + r.Part + ")"
		}
		exact := r.Mode == simulate.RouteFlex && r.Part == ""
		for _, prov := range r.Providers {
			if _, ok := liteLLMProviders[prov]; !ok {
				exact = false
			}
		}
		if exact {
			for _, m := range r.Models {
				key := r.Providers[0] + "\x00" + m
				byModel[key] = append(byModel[key], r.Workflow)
			}
			continue
		}
		why := ""
		switch {
		case r.Mode == simulate.RouteBatch:
			why = "submit through LiteLLM's /v1/batches files API or a queue"
		case r.Mode == simulate.RouteFlex && r.Part != "":
			why = "a part has no workflow name of its own yet"
		case r.Mode == simulate.RouteFlex:
			why = "LiteLLM's service_tier mapping for " + strings.Join(r.Providers, ", ") + " is not documented"
		default:
			why = "the client chooses; nothing to configure"
		}
		mode := r.Mode
		if r.SubmitEveryHours > 0 {
			mode += fmt.Sprintf(" every %d h", r.SubmitEveryHours)
		}
		notes = append(notes, fmt.Sprintf("# %s: %s (%s)", commentText(name), mode, why))
	}
	keys := make([]string, 0, len(byModel))
	for k := range byModel {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var list []liteModel
	var listNotes []string
	for _, k := range keys {
		prov, model, _ := strings.Cut(k, "\x00")
		list = append(list, liteModel{ModelName: model + "-flex", Params: liteParams{Model: liteLLMProviders[prov] + model, ServiceTier: "flex"}})
		listNotes = append(listNotes, fmt.Sprintf("# %s-flex: for %s", commentText(model), commentText(strings.Join(byModel[k], ", "))))
	}
	for _, n := range listNotes {
		buf.WriteString(n + "\n")
	}
	if len(list) == 0 {
		buf.WriteString("# No route maps exactly onto a LiteLLM setting.\nmodel_list: []\n")
	} else {
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(map[string][]liteModel{"model_list": list}); err != nil {
			return err
		}
		if err := enc.Close(); err != nil {
			return err
		}
	}
	if len(notes) > 0 {
		buf.WriteString("# Routes with no exact LiteLLM setting:\n")
		for _, n := range notes {
			buf.WriteString(n + "\n")
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// commentText keeps a name from the logs inside one YAML comment line.
func commentText(s string) string { return Clean(s) }
