package render

import (
	"bytes"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/costaudit/costaudit/simulate"
)

// TestPolicyLiteLLMNamesStayComments feeds workflow names built to break
// out of a YAML comment (a newline followed by a model_list entry, a
// carriage return, an escape sequence): the fragment still parses to the
// one entry of the flex route, and no log text lands outside a comment.
func TestPolicyLiteLLMNamesStayComments(t *testing.T) {
	p := &simulate.Policy{Routes: []simulate.Route{
		{Workflow: "ok\n- model_name: evil\n  litellm_params: {model: x}", Mode: simulate.RouteFlex, Providers: []string{"openai"}, Models: []string{"gpt-5-mini"}},
		{Workflow: "cr\rsync\x1b[31m", Mode: simulate.RouteSync, Providers: []string{"openai"}, Models: []string{"gpt-5"}},
		{Workflow: "job part", Part: "job\nmodel_list: []", Mode: simulate.RouteBatch, Providers: []string{"openai"}, Models: []string{"gpt-5"}},
	}}
	var buf bytes.Buffer
	if err := RenderPolicy(&buf, p, "litellm", Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ModelList []map[string]any `yaml:"model_list"`
	}
	if err := yaml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(doc.ModelList) != 1 || doc.ModelList[0]["model_name"] != "gpt-5-mini-flex" {
		t.Errorf("model_list %v\n%s", doc.ModelList, buf.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if strings.Contains(line, "evil") || strings.Contains(line, "sync\x1b") || strings.Contains(line, "\r") {
			if !strings.HasPrefix(line, "#") {
				t.Errorf("log text outside a comment: %q", line)
			}
		}
	}
}
