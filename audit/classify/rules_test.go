package classify

import (
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit/aggregate"
)

const goodRules = `# classification rules
[[rule]]
workflow = "nightly-*"
class = "scheduled"
reason = "report read the next morning"

[[rule]]
source = "webhook"
tags = { env = "prod" }
class = "near-realtime"

[[rule]]
model = "acme-*"
class = "realtime"
reason = "everything else on acme is interactive"
`

func TestParseRules(t *testing.T) {
	rs, err := ParseRules("rules.toml", []byte(goodRules))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Rules) != 3 || rs.Rules[0].Line != 2 || rs.Rules[1].Line != 7 || rs.Rules[2].Line != 12 {
		t.Fatalf("rules %+v", rs.Rules)
	}
	if got := rs.TagKeys(); len(got) != 1 || got[0] != "env" {
		t.Errorf("TagKeys = %v", got)
	}
}

func TestParseRulesErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"unknown key", "[[rule]]\nworkflow = \"a\"\nclass = \"scheduled\"\n\n[[rule]]\nworkflow = \"b\"\nsourc = \"cron\"\nclass = \"scheduled\"\n",
			`read r.toml:7: rule 2: unknown key "sourc" (allowed: workflow, source, model, tags, class, reason)`},
		{"bad class", "[[rule]]\nworkflow = \"a\"\nclass = \"batch\"\n",
			`read r.toml:3: rule 1: class: unknown class "batch" (allowed: realtime, near-realtime, scheduled)`},
		{"missing class", "[[rule]]\nworkflow = \"a\"\n",
			`read r.toml:1: rule 1: class: missing (set realtime, near-realtime or scheduled)`},
		{"no condition", "[[rule]]\nclass = \"realtime\"\n",
			`read r.toml:1: rule 1: no condition (set at least one of workflow, source, model, tags)`},
		{"bad glob", "[[rule]]\nworkflow = \"[a\"\nclass = \"realtime\"\n",
			`read r.toml:2: rule 1: workflow: bad glob "[a": syntax error in pattern`},
		{"syntax", "[[rule]]\nworkflow = \n",
			`read r.toml:2:`},
		{"top-level key", "version = 2\n[[rule]]\nworkflow = \"a\"\nclass = \"realtime\"\n",
			`read r.toml: unknown top-level key "version" (a rules file holds only [[rule]] tables)`},
		{"empty", "# nothing\n", `read r.toml: no [[rule]] tables`},
		{"wrong type", "[[rule]]\nworkflow = 3\nclass = \"realtime\"\n",
			`read r.toml:2: rule.workflow: incompatible types: TOML value has type int64; destination has type string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRules("r.toml", []byte(tc.src))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func TestRulesMatch(t *testing.T) {
	rs, err := ParseRules("rules.toml", []byte(goodRules))
	if err != nil {
		t.Fatal(err)
	}
	w := func(name string, n int64, src, model, tag string) *aggregate.WorkflowStats {
		s := aggregate.NewWorkflowStats(name)
		s.Requests = n
		s.Sources[src] = n
		s.Models[model] = n
		if tag != "" {
			s.Tags[tag] = n
		}
		return s
	}
	for _, tc := range []struct {
		w         *aggregate.WorkflowStats
		class     string
		rule      int
		evidence0 string
	}{
		{w("nightly-etl", 10, "api", "x", ""), Scheduled, 1, `rule 1 (rules.toml:2): report read the next morning — workflow matches "nightly-*"`},
		{w("hooks", 10, "webhook", "x", "env=prod"), NearRealtime, 2, `rule 2 (rules.toml:7): no reason given — source webhook on 10 of 10 requests, tag env=prod on 10 of 10 requests`},
		{w("hooks-dev", 10, "webhook", "acme-large", "env=dev"), Realtime, 3, `rule 3 (rules.toml:12): everything else on acme is interactive — model acme-* on 10 of 10 requests`},
		{w("other", 10, "api", "gpt", ""), Realtime, 0, Unclassified},
	} {
		c := Workflow(tc.w, rs, time.UTC, Window{})
		if c.Class != tc.class || c.Rule != tc.rule || c.Evidence[0] != tc.evidence0 {
			t.Errorf("%s: got %s rule %d %q, want %s rule %d %q", tc.w.Workflow, c.Class, c.Rule, c.Evidence, tc.class, tc.rule, tc.evidence0)
		}
	}
}
