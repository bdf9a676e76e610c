package classify

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/internal/numfmt"
)

// Latency classes of a workflow.
const (
	Realtime     = "realtime"      // a human waits: under ~2 s
	NearRealtime = "near-realtime" // async UX acceptable: under ~5 min
	Scheduled    = "scheduled"     // hourly, daily or weekly jobs
)

// Confidence levels of a classification.
const (
	ConfidenceHigh   = "high"
	ConfidenceMedium = "medium"
	ConfidenceLow    = "low"
)

// ParseClass returns the latency class named by s, or an error listing the
// allowed values.
func ParseClass(s string) (string, error) {
	switch s {
	case Realtime, NearRealtime, Scheduled:
		return s, nil
	}
	return "", fmt.Errorf("unknown class %q (allowed: realtime, near-realtime, scheduled)", s)
}

// Rule is one explicit classification rule of a rules file. Every condition
// that is set must hold; an unset condition matches anything.
type Rule struct {
	// Workflow is a path.Match glob over the workflow name ("nightly-*").
	Workflow string `toml:"workflow"`
	// Source, Model and Tags hold when more than half of the workflow's
	// requests carry that source, that model (a path.Match glob), and each
	// tag key=value.
	Source string            `toml:"source"`
	Model  string            `toml:"model"`
	Tags   map[string]string `toml:"tags"`
	Class  string            `toml:"class"`
	Reason string            `toml:"reason"`

	// Line is the line of the rule's [[rule]] header in its file.
	Line int `toml:"-"`
}

// Rules is a parsed rules file: the first rule that matches a workflow
// decides its class.
type Rules struct {
	File  string
	Rules []Rule
}

type rulesFile struct {
	Rule []Rule `toml:"rule"`
}

// tomlTypeErr matches BurntSushi/toml's type-mismatch errors, which carry
// the line and key only in their text.
var tomlTypeErr = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

var ruleHeader = regexp.MustCompile(`^\s*\[\[\s*"?rule"?\s*\]\]`)

// ParseRules parses a rules file. name is used in error messages. Unknown
// keys, unknown classes, bad globs and rules without any condition are
// errors naming the file, line and key.
//
// The format:
//
//	[[rule]]
//	workflow = "nightly-*"          # path.Match glob over the workflow name
//	source   = "cron"               # optional
//	model    = "gpt-4o*"            # optional glob over the model (case-insensitive)
//	tags     = { env = "prod" }     # optional
//	class    = "scheduled"          # realtime, near-realtime or scheduled
//	reason   = "report read the next morning"
func ParseRules(name string, data []byte) (*Rules, error) {
	var f rulesFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("read %s:%d: %s", name, pe.Position.Line, pe.Message)
		}
		if m := tomlTypeErr.FindStringSubmatch(err.Error()); m != nil {
			return nil, fmt.Errorf("read %s:%s: %s: %s", name, m[1], m[2], m[3])
		}
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	lines := strings.Split(string(data), "\n")
	var headers []int
	for i, l := range lines {
		if ruleHeader.MatchString(l) {
			headers = append(headers, i+1)
		}
	}
	lineOf := func(rule int) int {
		if rule < len(headers) {
			return headers[rule]
		}
		return 0
	}
	// keyLine finds the line of key inside the rule's section.
	keyLine := func(rule int, key string) int {
		start := lineOf(rule)
		end := len(lines)
		if rule+1 < len(headers) {
			end = headers[rule+1] - 1
		}
		re := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*[=.]`)
		for i := start; i < end && i < len(lines); i++ {
			if i >= 0 && re.MatchString(lines[i]) {
				return i + 1
			}
		}
		return start
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		if len(k) == 0 || k[0] != "rule" {
			return nil, fmt.Errorf("read %s: unknown top-level key %q (a rules file holds only [[rule]] tables)", name, k.String())
		}
		// Find which rule holds the key: the TOML key path does not carry
		// the array index, so search the sections in order.
		last := k[len(k)-1]
		if len(k) >= 2 {
			last = k[1]
		}
		for i := range f.Rule {
			if l := keyLine(i, last); l != lineOf(i) {
				return nil, fmt.Errorf("read %s:%d: rule %d: unknown key %q (allowed: workflow, source, model, tags, class, reason)", name, l, i+1, last)
			}
		}
		return nil, fmt.Errorf("read %s: unknown key %q (allowed in [[rule]]: workflow, source, model, tags, class, reason)", name, k.String())
	}
	if len(f.Rule) == 0 {
		return nil, fmt.Errorf("read %s: no [[rule]] tables", name)
	}
	for i := range f.Rule {
		r := &f.Rule[i]
		r.Line = lineOf(i)
		if r.Class == "" {
			return nil, fmt.Errorf("read %s:%d: rule %d: class: missing (set realtime, near-realtime or scheduled)", name, r.Line, i+1)
		}
		if _, err := ParseClass(r.Class); err != nil {
			return nil, fmt.Errorf("read %s:%d: rule %d: class: %w", name, keyLine(i, "class"), i+1, err)
		}
		if r.Workflow == "" && r.Source == "" && r.Model == "" && len(r.Tags) == 0 {
			return nil, fmt.Errorf("read %s:%d: rule %d: no condition (set at least one of workflow, source, model, tags)", name, r.Line, i+1)
		}
		for _, g := range []struct{ key, pat string }{{"workflow", r.Workflow}, {"model", r.Model}} {
			if g.pat == "" {
				continue
			}
			if _, err := path.Match(g.pat, ""); err != nil {
				return nil, fmt.Errorf("read %s:%d: rule %d: %s: bad glob %q: %w", name, keyLine(i, g.key), i+1, g.key, g.pat, err)
			}
		}
	}
	return &Rules{File: name, Rules: f.Rule}, nil
}

// TagKeys returns the tag keys the rules match on, sorted, for
// AggregateOptions.TagKeys.
func (rs *Rules) TagKeys() []string {
	if rs == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range rs.Rules {
		for k := range r.Tags {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// match returns the first rule that matches w with the evidence of why,
// or -1.
func (rs *Rules) match(w *aggregate.WorkflowStats) (int, string) {
	if rs == nil {
		return -1, ""
	}
	for i, r := range rs.Rules {
		var why []string
		if r.Workflow != "" {
			if ok, _ := path.Match(r.Workflow, w.Workflow); !ok {
				continue
			}
			why = append(why, fmt.Sprintf("workflow matches %q", r.Workflow))
		}
		ok := true
		if r.Source != "" {
			n := w.Sources[r.Source]
			if !majority(n, w.Requests) {
				ok = false
			} else {
				why = append(why, fmt.Sprintf("source %s on %s of %s", r.Source, numfmt.Int(n), numfmt.Count(w.Requests, "request")))
			}
		}
		if ok && r.Model != "" {
			var n int64
			for m, c := range w.Models {
				// Models are listed trimmed and lower-cased (see
				// modelRes.display): match the pattern the same way.
				if hit, _ := path.Match(strings.ToLower(strings.TrimSpace(r.Model)), m); hit {
					n += c
				}
			}
			if !majority(n, w.Requests) {
				ok = false
			} else {
				why = append(why, fmt.Sprintf("model %s on %s of %s", r.Model, numfmt.Int(n), numfmt.Count(w.Requests, "request")))
			}
		}
		if ok && len(r.Tags) > 0 {
			keys := make([]string, 0, len(r.Tags))
			for k := range r.Tags {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				n := w.Tags[k+"="+r.Tags[k]]
				if !majority(n, w.Requests) {
					ok = false
					break
				}
				why = append(why, fmt.Sprintf("tag %s=%s on %s of %s", k, r.Tags[k], numfmt.Int(n), numfmt.Count(w.Requests, "request")))
			}
		}
		if !ok {
			continue
		}
		reason := r.Reason
		if reason == "" {
			reason = "no reason given"
		}
		loc := rs.File
		if r.Line > 0 {
			loc = fmt.Sprintf("%s:%d", rs.File, r.Line)
		}
		return i, fmt.Sprintf("rule %d (%s): %s — %s", i+1, loc, reason, strings.Join(why, ", "))
	}
	return -1, ""
}

func majority(n, total int64) bool { return total > 0 && 2*n > total }
